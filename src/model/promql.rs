//! PromQL expressions of alerting rules, read with the `promql-parser` crate: the selectors an
//! expression reads (metric name, label matchers, the functions around them), and where a syntax
//! error sits, mapped back from the expression's text into the YAML file.

use promql_parser::label::MatchOp;
use promql_parser::parser::{self, Expr};
use promql_parser::util::{ExprVisitor, walk_expr};

use crate::load::tree::Span;

/// How a label matcher compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatcherOp {
    Equal,
    NotEqual,
    Regex,
    NotRegex,
}

/// One label matcher of a selector (`namespace=~"pake-.*"`).
#[derive(Clone, Debug)]
pub struct LabelMatcher {
    pub name: String,
    pub op: MatcherOp,
    pub value: String,
    /// For regex matchers: the value anchored at both ends, as Prometheus anchors it. `None`
    /// for equality matchers, and for a regex that does not compile (it then accepts nothing).
    regex: Option<regex::Regex>,
}

impl LabelMatcher {
    pub fn new(name: &str, op: MatcherOp, value: &str) -> Self {
        let regex = match op {
            MatcherOp::Regex | MatcherOp::NotRegex => {
                regex::Regex::new(&format!("^(?:{value})$")).ok()
            }
            _ => None,
        };
        LabelMatcher {
            name: name.to_string(),
            op,
            value: value.to_string(),
            regex,
        }
    }

    /// Whether a series whose label `name` has `value` (the empty string when the series has
    /// no such label, as in Prometheus) passes this matcher.
    pub fn accepts(&self, value: &str) -> bool {
        match self.op {
            MatcherOp::Equal => self.value == value,
            MatcherOp::NotEqual => self.value != value,
            MatcherOp::Regex => self.regex.as_ref().is_some_and(|r| r.is_match(value)),
            MatcherOp::NotRegex => !self.regex.as_ref().is_some_and(|r| r.is_match(value)),
        }
    }

    /// Whether the matcher restricts series to ones that carry the label (it rejects the empty
    /// value), as `job="x"` does and `container!=""` does too.
    pub fn requires_label(&self) -> bool {
        !self.accepts("")
    }
}

impl std::fmt::Display for LabelMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let op = match self.op {
            MatcherOp::Equal => "=",
            MatcherOp::NotEqual => "!=",
            MatcherOp::Regex => "=~",
            MatcherOp::NotRegex => "!~",
        };
        write!(f, "{}{op}{:?}", self.name, self.value)
    }
}

/// A vector selector of an expression, with the functions it is an argument of.
#[derive(Clone, Debug, Default)]
pub struct Selector {
    /// The metric name, when the selector names one (`up`, or `{__name__="up"}`).
    pub metric: Option<String>,
    pub matchers: Vec<LabelMatcher>,
    /// Functions whose arguments contain this selector, outermost first (`histogram_quantile`,
    /// `rate`).
    pub functions: Vec<String>,
}

impl Selector {
    /// The matchers on label `name`.
    pub fn matchers_on<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a LabelMatcher> {
        self.matchers.iter().filter(move |m| m.name == name)
    }
}

/// What an expression reads.
#[derive(Clone, Debug, Default)]
pub struct Expression {
    pub selectors: Vec<Selector>,
}

impl Expression {
    /// Every metric name the expression reads, sorted and deduplicated.
    pub fn metrics(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .selectors
            .iter()
            .filter_map(|s| s.metric.as_deref())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// Why an expression does not parse, and where, as a byte offset into the expression's text
/// when the parser's message lets us find one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    pub message: String,
    pub at: Option<std::ops::Range<usize>>,
}

/// Parses `text` and lists its selectors.
pub fn analyze(text: &str) -> Result<Expression, ExprError> {
    let expr = parser::parse(text).map_err(|message| ExprError {
        at: locate_error(text, &message),
        message,
    })?;
    let mut visitor = Collector::default();
    let _ = walk_expr(&mut visitor, &expr);
    Ok(Expression {
        selectors: visitor.selectors,
    })
}

#[derive(Default)]
struct Collector {
    functions: Vec<String>,
    selectors: Vec<Selector>,
}

impl Collector {
    fn push(&mut self, vs: &parser::VectorSelector) {
        let convert = |m: &promql_parser::label::Matcher| {
            let op = match m.op {
                MatchOp::Equal => MatcherOp::Equal,
                MatchOp::NotEqual => MatcherOp::NotEqual,
                MatchOp::Re(_) => MatcherOp::Regex,
                MatchOp::NotRe(_) => MatcherOp::NotRegex,
            };
            LabelMatcher::new(&m.name, op, &m.value)
        };
        let mut branches: Vec<Vec<LabelMatcher>> =
            vec![vs.matchers.matchers.iter().map(convert).collect()];
        // `{a="1" or b="2"}`: each branch is a selector of its own.
        for or in &vs.matchers.or_matchers {
            branches.push(or.iter().map(convert).collect());
        }
        for mut matchers in branches {
            let mut metric = vs.name.clone();
            if let Some(i) = matchers
                .iter()
                .position(|m| m.name == "__name__" && m.op == MatcherOp::Equal)
            {
                metric = Some(matchers.remove(i).value);
            }
            self.selectors.push(Selector {
                metric,
                matchers,
                functions: self.functions.clone(),
            });
        }
    }
}

impl ExprVisitor for Collector {
    type Error = std::convert::Infallible;

    fn pre_visit(&mut self, expr: &Expr) -> Result<bool, Self::Error> {
        match expr {
            Expr::Call(call) => self.functions.push(call.func.name.to_string()),
            Expr::VectorSelector(vs) => self.push(vs),
            Expr::MatrixSelector(ms) => self.push(&ms.vs),
            _ => {}
        }
        Ok(true)
    }

    fn post_visit(&mut self, expr: &Expr) -> Result<bool, Self::Error> {
        if matches!(expr, Expr::Call(_)) {
            self.functions.pop();
        }
        Ok(true)
    }
}

/// Finds where in `text` the parser's `message` points. `promql-parser` reports errors as text
/// without positions, so: a lexer error is found by lexing ever longer prefixes until the same
/// error appears (an unclosed parenthesis is the innermost one left open); a grammar error that
/// quotes a fragment (`unknown function with name 'rat'`) is found by searching the fragment.
/// `None` when neither works (`invalid promql query`).
pub fn locate_error(text: &str, message: &str) -> Option<std::ops::Range<usize>> {
    if message.starts_with("no expression found") {
        return None;
    }
    if let Err(lex_message) = parser::lexer(text) {
        if lex_message == message {
            if message.contains("unclosed left parenthesis") {
                return unclosed_paren(text).map(|i| i..i + 1);
            }
            let mut ends: Vec<usize> = text.char_indices().map(|(i, _)| i).skip(1).collect();
            ends.push(text.len());
            for end in ends {
                if let Err(m) = parser::lexer(&text[..end])
                    && m == message
                {
                    let start = text[..end].char_indices().last().map_or(0, |(i, _)| i);
                    return Some(start..end);
                }
            }
        }
        return None;
    }
    let fragment = quoted_fragment(message)?;
    find_word(text, fragment).map(|i| i..i + fragment.len())
}

/// The first `'...'`-quoted part of a message.
fn quoted_fragment(message: &str) -> Option<&str> {
    let start = message.find('\'')? + 1;
    let len = message[start..].find('\'')?;
    let fragment = &message[start..start + len];
    (!fragment.is_empty()).then_some(fragment)
}

/// The first occurrence of `word` in `text` not inside a longer identifier.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    let alnum_word = word.chars().all(is_ident);
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        !alnum_word
            || (!text[..i].chars().next_back().is_some_and(is_ident)
                && !text[i + word.len()..].chars().next().is_some_and(is_ident))
    })
}

/// The innermost `(` left open at the end of `text`, skipping quoted strings and comments.
fn unclosed_paren(text: &str) -> Option<usize> {
    let mut stack = Vec::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '(' => stack.push(i),
            ')' => {
                stack.pop();
            }
            '"' | '\'' | '`' => {
                let mut escaped = false;
                for (_, d) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' && c != '`' {
                        escaped = true;
                    } else if d == c {
                        break;
                    }
                }
            }
            '#' => {
                for (_, d) in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    stack.pop()
}

/// Maps a byte range of a scalar's value back into the file. `raw` is the scalar as written
/// (`&source[span]`, with quotes, escapes, a block header and indentation); the value's
/// characters are found in it in order, skipping what the YAML parser removed. Falls back to the
/// whole scalar when the alignment fails.
pub fn map_range(raw: &str, span: Span, value: &str, range: std::ops::Range<usize>) -> Span {
    let mut raw_chars = raw.char_indices().peekable();
    let mut start = None;
    let mut end = None;
    for (vi, vc) in value.char_indices() {
        // Find `vc` in the raw text; a folded line break appears as a space in the value.
        let found = loop {
            let Some((ri, rc)) = raw_chars.next() else {
                break None;
            };
            if rc == vc || (vc == ' ' && rc == '\n') {
                break Some(ri);
            }
        };
        let Some(ri) = found else {
            return span;
        };
        if vi == range.start {
            start = Some(ri);
        }
        if vi + vc.len_utf8() == range.end {
            end = Some(ri + vc.len_utf8());
            break;
        }
    }
    match (start, end) {
        (Some(s), Some(e)) if s < e => Span::new(span.start + s as u32, span.start + e as u32),
        _ => span,
    }
}

/// Where a parse error of the expression written at `span` (with value `text`) is in the file:
/// the located range when there is one, else the whole expression without trailing line breaks
/// (a block scalar's span runs to the next key).
pub fn error_span(
    source: Option<&str>,
    span: Span,
    text: &str,
    at: Option<std::ops::Range<usize>>,
) -> Span {
    let Some(raw) = source.and_then(|s| s.get(span.range())) else {
        return span;
    };
    let range = at.unwrap_or(0..text.trim_end().len());
    if range.is_empty() {
        return span;
    }
    map_range(raw, span, text, range)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_and_functions() {
        let e = analyze(
            r#"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job=~"web|api"}[5m]))) > 0.5"#,
        )
        .unwrap();
        assert_eq!(e.selectors.len(), 1);
        let s = &e.selectors[0];
        assert_eq!(
            s.metric.as_deref(),
            Some("http_request_duration_seconds_bucket")
        );
        assert_eq!(s.functions, vec!["histogram_quantile", "rate"]);
        let job = s.matchers_on("job").next().unwrap();
        assert!(job.accepts("web"));
        assert!(!job.accepts("web2"), "regexes are anchored");
    }

    #[test]
    fn name_matcher_is_the_metric() {
        let e = analyze(r#"{__name__="up", job="x"} == 0"#).unwrap();
        assert_eq!(e.metrics(), vec!["up"]);
    }

    #[test]
    fn lexer_error_position() {
        let text = "sum(rate(x[5m]))\n/\nsum(rate(y{a=\"b\"}[5x]))";
        let err = analyze(text).unwrap_err();
        let at = err.at.clone().expect("located");
        let line = text[..at.start].matches('\n').count();
        assert_eq!(line, 2, "{err:?}");
    }

    #[test]
    fn unknown_function_position() {
        let text = "up == 0\nor\nrat(x[5m]) > 0";
        let err = analyze(text).unwrap_err();
        let at = err.at.expect("located");
        assert_eq!(&text[at], "rat");
    }

    #[test]
    fn unclosed_paren_position() {
        let text = "sum(up)\n+\nsum(rate(x[5m])";
        let err = analyze(text).unwrap_err();
        assert_eq!(err.at, Some(13..14), "{err:?}");
    }

    #[test]
    fn maps_folded_and_quoted_scalars() {
        let span = |raw: &str| Span::new(10, 10 + raw.len() as u32);
        let cut =
            |raw: &str, s: Span| raw[(s.start - 10) as usize..(s.end - 10) as usize].to_string();
        // Folded: lines joined by spaces in the value.
        let raw = ">\n  sum(x)\n  / rat(y)\n";
        let value = "sum(x) / rat(y)\n";
        let s = map_range(raw, span(raw), value, 9..12);
        assert_eq!(cut(raw, s), "rat");
        // Double-quoted with escapes.
        let raw = r#""up{job=\"web\"} + rat(x)""#;
        let value = r#"up{job="web"} + rat(x)"#;
        let s = map_range(raw, span(raw), value, 16..19);
        assert_eq!(cut(raw, s), "rat");
    }

    #[test]
    fn maps_block_scalar_lines() {
        let raw = "|\n    a\n    bc\n";
        let value = "a\nbc\n";
        let s = map_range(raw, Span::new(100, 100 + raw.len() as u32), value, 2..4);
        assert_eq!(&raw[(s.start - 100) as usize..(s.end - 100) as usize], "bc");
    }
}
