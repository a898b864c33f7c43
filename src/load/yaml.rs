//! The one place that knows the YAML library: saphyr-parser's event stream is turned into our
//! span-keeping [`Node`] tree, one document at a time. Anchors and aliases are expanded under a
//! node budget, merge keys (`<<`) are applied, duplicate keys are found, and nesting is bounded.
//! A document that fails (syntax error, alias bomb, nesting too deep) is reported and parsing
//! resumes at the next `---` line, so one broken document never hides the others.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle, Span as SaphyrSpan};

use super::tree::{Entry, Node, NodeKind, Scalar, ScalarStyle, ScalarTag, Span};

/// Bounds that keep hostile input cheap.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The deepest nesting of mappings and sequences accepted in one document.
    pub max_depth: usize,
    /// How many nodes alias expansion may add to one document (a billion-laughs defence).
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_alias_nodes: 1_000_000,
        }
    }
}

/// One YAML document of a stream.
#[derive(Debug)]
pub struct RawDocument<'s> {
    /// The document's content; `None` for an empty document.
    pub root: Option<Node<'s>>,
    /// From the document's first byte (its `---` marker if explicit) to its last node.
    pub span: Span,
}

/// A problem found while parsing; the loader turns it into a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseProblemKind {
    Syntax,
    DuplicateKey,
    AliasBomb,
    TooDeep,
}

#[derive(Debug, Clone)]
pub struct ParseProblem {
    pub kind: ParseProblemKind,
    pub span: Span,
    pub message: String,
    /// For a duplicate key: the first occurrence.
    pub related: Option<Span>,
}

#[derive(Debug, Default)]
pub struct ParsedStream<'s> {
    pub documents: Vec<RawDocument<'s>>,
    pub problems: Vec<ParseProblem>,
    /// Documents abandoned because of a problem (counted so nothing goes unaccounted for).
    pub failed_documents: usize,
}

/// Parses a whole multi-document stream (YAML or JSON).
pub fn parse_stream<'s>(src: &'s str, limits: Limits) -> ParsedStream<'s> {
    let positions = Positions::new(src);
    let mut out = ParsedStream::default();
    let mut base = 0usize;
    loop {
        let failure = parse_from(src, base, &positions, limits, &mut out);
        match failure {
            None => break,
            Some(problem) => {
                let at = problem.span.start as usize;
                out.problems.push(problem);
                out.failed_documents += 1;
                match next_document_marker(src, at) {
                    Some(next) if next > base => base = next,
                    _ => break,
                }
            }
        }
    }
    out
}

/// Runs the YAML parser alone over `src`, building nothing, and returns the number of events
/// (or of events up to the first error): the floor that the benchmark compares pake-lint with.
pub fn count_events(src: &str) -> usize {
    let mut parser = Parser::new_from_str(src);
    let mut events = 0;
    while let Some(Ok(_)) = parser.next_event() {
        events += 1;
    }
    events
}

/// The byte offset of the first line starting with `---` at or after the line holding `from`.
fn next_document_marker(src: &str, from: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let from = from.min(bytes.len());
    let mut line_start = memchr::memrchr(b'\n', &bytes[..from]).map_or(0, |i| i + 1);
    while line_start < bytes.len() {
        let rest = &bytes[line_start..];
        if rest.starts_with(b"---") && rest.get(3).is_none_or(|b| b.is_ascii_whitespace()) {
            return Some(line_start);
        }
        line_start = match memchr::memchr(b'\n', rest) {
            Some(i) => line_start + i + 1,
            None => return None,
        };
    }
    None
}

/// Converts saphyr's character indices into byte offsets.
struct Positions {
    /// Byte offset of each character; empty when the source is ASCII (offsets are then equal).
    char_to_byte: Vec<u32>,
    len: u32,
}

impl Positions {
    fn new(src: &str) -> Self {
        let char_to_byte = if src.is_ascii() {
            Vec::new()
        } else {
            let mut table: Vec<u32> = src.char_indices().map(|(b, _)| b as u32).collect();
            table.push(src.len() as u32);
            table
        };
        Positions {
            char_to_byte,
            len: src.len() as u32,
        }
    }

    /// The character index of a byte offset that starts a character.
    fn char_index(&self, byte: usize) -> usize {
        if self.char_to_byte.is_empty() {
            byte
        } else {
            self.char_to_byte.partition_point(|&b| (b as usize) < byte)
        }
    }

    fn byte(&self, char_index: usize) -> u32 {
        if self.char_to_byte.is_empty() {
            (char_index as u32).min(self.len)
        } else {
            self.char_to_byte
                .get(char_index)
                .copied()
                .unwrap_or(self.len)
        }
    }
}

enum Frame<'s> {
    Mapping {
        start: u32,
        anchor: usize,
        entries: Vec<Entry<'s>>,
        key: Option<Node<'s>>,
    },
    Sequence {
        start: u32,
        anchor: usize,
        items: Vec<Node<'s>>,
    },
}

struct Builder<'s, 'p> {
    src: &'s str,
    positions: &'p Positions,
    base_char: usize,
    limits: Limits,
    stack: Vec<Frame<'s>>,
    /// Completed anchored nodes by anchor id, with their node counts.
    anchors: Vec<Option<(Node<'s>, usize)>>,
    alias_nodes: usize,
    root: Option<Node<'s>>,
    doc_start: u32,
    problems: Vec<ParseProblem>,
}

/// The length of the quoted scalar at the start of `raw`, closing quote included: `"a\"b"`
/// (backslash escapes) or `'it''s'` (a doubled quote is a quote).
fn quoted_end(raw: &str) -> Option<usize> {
    let bytes = raw.as_bytes();
    let quote = *bytes.first().filter(|b| matches!(b, b'"' | b'\''))?;
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

impl<'s> Builder<'s, '_> {
    fn span(&self, span: &SaphyrSpan) -> Span {
        Span::new(
            self.positions.byte(self.base_char + span.start.index()),
            self.positions.byte(self.base_char + span.end.index()),
        )
    }

    fn scalar(
        &self,
        text: Cow<'s, str>,
        style: SaphyrStyle,
        tag: ScalarTag,
        span: Span,
    ) -> Node<'s> {
        let style = match style {
            SaphyrStyle::Plain => ScalarStyle::Plain,
            SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
            SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
            SaphyrStyle::Literal => ScalarStyle::Literal,
            SaphyrStyle::Folded => ScalarStyle::Folded,
        };
        // The parser ends a quoted scalar's span at the next token, past trailing blanks and a
        // comment: end it at the closing quote instead.
        let span = match style {
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                quoted_end(&self.src[span.range()])
                    .map_or(span, |len| Span::new(span.start, span.start + len as u32))
            }
            _ => span,
        };
        // The parser hands out owned strings; keep a borrow of the source when the value is the
        // text as written (almost every plain scalar), so the tree costs little beyond the input.
        let raw = &self.src[span.range()];
        let text = match text {
            Cow::Owned(owned) if owned == raw => Cow::Borrowed(raw),
            Cow::Owned(owned) => {
                let inner = raw.get(1..raw.len().saturating_sub(1));
                if matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted)
                    && inner == Some(owned.as_str())
                {
                    Cow::Borrowed(inner.unwrap_or_default())
                } else {
                    Cow::Owned(owned)
                }
            }
            borrowed => borrowed,
        };
        Node {
            span,
            kind: NodeKind::Scalar(Scalar { text, style, tag }),
        }
    }

    /// Where a collection ends: just after its closing bracket for a flow collection (the end
    /// event's span can run on over blanks and a trailing comment), else after its last child.
    fn collection_end(&self, end_event: Span, last_child: u32, bracket: u8) -> u32 {
        if end_event.is_empty() {
            return last_child;
        }
        let bytes = self.src.as_bytes();
        let from = end_event.start as usize;
        let to = (end_event.end as usize).min(bytes.len());
        match bytes
            .get(from..to)
            .and_then(|window| memchr::memchr(bracket, window))
        {
            Some(i) => (from + i + 1) as u32,
            None => last_child.max(end_event.start),
        }
    }

    fn remember(&mut self, anchor: usize, node: &Node<'s>) {
        if anchor == 0 {
            return;
        }
        if self.anchors.len() <= anchor {
            self.anchors.resize_with(anchor + 1, || None);
        }
        self.anchors[anchor] = Some((node.clone(), node.count()));
    }

    /// Adds a completed node to its parent, or makes it the document's root.
    fn push(&mut self, node: Node<'s>) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Sequence { items, .. }) => items.push(node),
            Some(Frame::Mapping { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push(Entry {
                    key: k,
                    value: node,
                }),
            },
        }
    }

    fn finish_mapping(
        &mut self,
        start: u32,
        end_span: Span,
        mut entries: Vec<Entry<'s>>,
        dangling: Option<Node<'s>>,
    ) -> Node<'s> {
        if let Some(k) = dangling {
            // A key with no value event cannot happen with a well-formed stream; keep it as null.
            let at = k.span.end;
            entries.push(Entry {
                key: k,
                value: null_at(at),
            });
        }
        self.report_duplicates(&entries);
        if entries.iter().any(is_merge_entry) {
            entries = apply_merge_keys(entries);
        }
        let last_end = entries
            .last()
            .map_or(start, |e| e.value.span.end.max(e.key.span.end));
        // Flow mappings end at their `}`; block mappings at their last value.
        let end = self.collection_end(end_span, last_end, b'}');
        Node {
            span: Span::new(start, end),
            kind: NodeKind::Mapping(entries),
        }
    }

    fn report_duplicates(&mut self, entries: &[Entry<'s>]) {
        let key_text = |e: &Entry<'s>| e.key.as_scalar().map(|s| s.text.clone());
        if entries.len() <= 24 {
            for (i, later) in entries.iter().enumerate() {
                let Some(text) = key_text(later) else {
                    continue;
                };
                if text == "<<" {
                    continue;
                }
                if let Some(first) = entries[..i]
                    .iter()
                    .find(|e| key_text(e).as_deref() == Some(&*text))
                {
                    self.duplicate(&text, later.key.span, first.key.span);
                }
            }
        } else {
            let mut seen: rustc_hash::FxHashMap<Cow<'s, str>, Span> = Default::default();
            for e in entries {
                let Some(text) = key_text(e) else { continue };
                if text == "<<" {
                    continue;
                }
                if let Some(first) = seen.get(&text) {
                    let first = *first;
                    self.duplicate(&text, e.key.span, first);
                } else {
                    seen.insert(text, e.key.span);
                }
            }
        }
    }

    fn duplicate(&mut self, key: &str, span: Span, first: Span) {
        self.problems.push(ParseProblem {
            kind: ParseProblemKind::DuplicateKey,
            span,
            message: format!("duplicate key `{key}`"),
            related: Some(first),
        });
    }
}

fn null_at(at: u32) -> Node<'static> {
    Node {
        span: Span::new(at, at),
        kind: NodeKind::Scalar(Scalar {
            text: Cow::Borrowed(""),
            style: ScalarStyle::Plain,
            tag: ScalarTag::None,
        }),
    }
}

fn is_merge_entry(e: &Entry<'_>) -> bool {
    matches!(&e.key.kind, NodeKind::Scalar(s) if s.style == ScalarStyle::Plain && s.text == "<<")
}

/// Applies YAML merge keys: explicit keys win, then earlier merge sources win over later ones.
fn apply_merge_keys(entries: Vec<Entry<'_>>) -> Vec<Entry<'_>> {
    let (merges, mut explicit): (Vec<_>, Vec<_>) = entries.into_iter().partition(is_merge_entry);
    for merge in merges {
        let sources: Vec<Node<'_>> = match merge.value.kind {
            NodeKind::Mapping(_) => vec![merge.value],
            NodeKind::Sequence(items) => items,
            NodeKind::Scalar(_) => Vec::new(),
        };
        for source in sources {
            if let NodeKind::Mapping(inherited) = source.kind {
                for e in inherited {
                    let key = e.key.as_scalar().map(|s| s.text.clone());
                    let present = key.as_deref().is_some_and(|k| {
                        explicit
                            .iter()
                            .any(|x| x.key.as_scalar().is_some_and(|s| s.text == k))
                    });
                    if !present {
                        explicit.push(e);
                    }
                }
            }
        }
    }
    explicit
}

fn tag_of(tag: Option<&saphyr_parser::Tag>) -> ScalarTag {
    match tag {
        None => ScalarTag::None,
        Some(t) if t.handle == "tag:yaml.org,2002:" || t.handle == "!!" => {
            match t.suffix.as_str() {
                "str" => ScalarTag::Str,
                "int" => ScalarTag::Int,
                "float" => ScalarTag::Float,
                "bool" => ScalarTag::Bool,
                "null" => ScalarTag::Null,
                _ => ScalarTag::Other,
            }
        }
        Some(_) => ScalarTag::Other,
    }
}

/// Parses documents from `base` to the end; returns the problem that stopped it, if any.
fn parse_from<'s>(
    src: &'s str,
    base: usize,
    positions: &Positions,
    limits: Limits,
    out: &mut ParsedStream<'s>,
) -> Option<ParseProblem> {
    let base_char = positions.char_index(base);
    let mut parser = Parser::new_from_str(&src[base..]);
    let mut b = Builder {
        src,
        positions,
        base_char,
        limits,
        stack: Vec::new(),
        anchors: Vec::new(),
        alias_nodes: 0,
        root: None,
        doc_start: base as u32,
        problems: Vec::new(),
    };
    loop {
        let (event, saphyr_span) = match parser.next_event() {
            None => return None,
            Some(Ok(ev)) => ev,
            Some(Err(err)) => {
                out.problems.append(&mut b.problems);
                let at = positions.byte(base_char + err.marker().index());
                return Some(ParseProblem {
                    kind: ParseProblemKind::Syntax,
                    span: Span::new(at, at),
                    message: err.info().to_string(),
                    related: None,
                });
            }
        };
        let span = b.span(&saphyr_span);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(_) => {
                b.doc_start = span.start;
                b.root = None;
                b.anchors.clear();
                b.alias_nodes = 0;
            }
            Event::DocumentEnd => {
                let root = b.root.take();
                let end = root
                    .as_ref()
                    .map_or(span.start.max(b.doc_start), |r| r.span.end);
                out.problems.append(&mut b.problems);
                out.documents.push(RawDocument {
                    root,
                    span: Span::new(b.doc_start, end),
                });
                b.doc_start = span.end;
            }
            Event::Scalar(text, style, anchor, tag) => {
                let node = b.scalar(text, style, tag_of(tag.as_deref()), span);
                b.remember(anchor, &node);
                b.push(node);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if b.stack.len() >= b.limits.max_depth {
                    out.problems.append(&mut b.problems);
                    return Some(ParseProblem {
                        kind: ParseProblemKind::TooDeep,
                        span: Span::new(span.start, span.start),
                        message: format!("nesting deeper than {} levels", b.limits.max_depth),
                        related: None,
                    });
                }
                b.stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Mapping {
                        start: span.start,
                        anchor,
                        entries: Vec::new(),
                        key: None,
                    }
                } else {
                    Frame::Sequence {
                        start: span.start,
                        anchor,
                        items: Vec::new(),
                    }
                });
            }
            Event::SequenceEnd => {
                if let Some(Frame::Sequence {
                    start,
                    anchor,
                    items,
                }) = b.stack.pop()
                {
                    let last = items.last().map_or(start, |n| n.span.end);
                    let end = b.collection_end(span, last, b']');
                    let node = Node {
                        span: Span::new(start, end),
                        kind: NodeKind::Sequence(items),
                    };
                    b.remember(anchor, &node);
                    b.push(node);
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Mapping {
                    start,
                    anchor,
                    entries,
                    key,
                }) = b.stack.pop()
                {
                    let node = b.finish_mapping(start, span, entries, key);
                    b.remember(anchor, &node);
                    b.push(node);
                }
            }
            Event::Alias(id) => {
                let Some(Some((node, count))) = b.anchors.get(id) else {
                    continue;
                };
                b.alias_nodes += count;
                if b.alias_nodes > b.limits.max_alias_nodes {
                    out.problems.append(&mut b.problems);
                    return Some(ParseProblem {
                        kind: ParseProblemKind::AliasBomb,
                        span,
                        message: format!(
                            "aliases expand to more than {} nodes in this document",
                            b.limits.max_alias_nodes
                        ),
                        related: None,
                    });
                }
                let node = node.clone();
                b.push(node);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> ParsedStream<'_> {
        parse_stream(src, Limits::default())
    }

    #[test]
    fn spans_are_bytes_even_after_multibyte_text() {
        let src = "a: \"héllo\"\nb: x\n";
        let s = parse(src);
        let root = s.documents[0].root.as_ref().unwrap();
        let b = root.get("b").unwrap();
        assert_eq!(&src[b.span.range()], "x");
        let a = root.get("a").unwrap();
        assert_eq!(&src[a.span.range()], "\"héllo\"");
        assert_eq!(a.as_str(), Some("héllo"));
    }

    #[test]
    fn quoted_scalar_spans_end_at_the_closing_quote() {
        let src = "a:\n  - \"*\" # note\n  - 'it''s'   # note\n  - \"a\\\"b\"\nb: \"x\"  # c\n";
        let s = parse(src);
        let root = s.documents[0].root.as_ref().unwrap();
        let items = root.get("a").unwrap().items();
        assert_eq!(&src[items[0].span.range()], "\"*\"");
        assert_eq!(&src[items[1].span.range()], "'it''s'");
        assert_eq!(items[1].as_str(), Some("it's"));
        assert_eq!(&src[items[2].span.range()], "\"a\\\"b\"");
        assert_eq!(&src[root.get("b").unwrap().span.range()], "\"x\"");
    }

    #[test]
    fn flow_collections_end_at_their_bracket() {
        let src = "a: {x: 1} # note\nb: [1, 2]   # more\nc: []\n";
        let s = parse(src);
        let root = s.documents[0].root.as_ref().unwrap();
        for (key, text) in [("a", "{x: 1}"), ("b", "[1, 2]"), ("c", "[]")] {
            assert_eq!(&src[root.get(key).unwrap().span.range()], text);
        }
    }

    #[test]
    fn merge_keys_and_anchors() {
        let src = "base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n";
        let s = parse(src);
        let d = s.documents[0]
            .root
            .as_ref()
            .unwrap()
            .get("derived")
            .unwrap();
        assert_eq!(d.get("x").and_then(Node::as_i64), Some(1));
        assert_eq!(d.get("y").and_then(Node::as_i64), Some(3));
        assert!(d.get("<<").is_none());
    }

    #[test]
    fn duplicate_keys_are_reported_with_the_first() {
        let src = "a: 1\nb: 2\na: 3\n";
        let s = parse(src);
        assert_eq!(s.problems.len(), 1);
        assert_eq!(s.problems[0].kind, ParseProblemKind::DuplicateKey);
        assert_eq!(s.problems[0].span, Span::new(10, 11));
        assert_eq!(s.problems[0].related, Some(Span::new(0, 1)));
    }

    #[test]
    fn a_broken_document_does_not_hide_the_next() {
        let src = "a: 1\n---\nb: [1, 2\n---\nc: 3\n";
        let s = parse(src);
        assert_eq!(s.problems.len(), 1);
        assert_eq!(s.problems[0].kind, ParseProblemKind::Syntax);
        assert_eq!(s.failed_documents, 1);
        let roots: Vec<_> = s.documents.iter().filter_map(|d| d.root.as_ref()).collect();
        assert_eq!(roots.len(), 2);
        assert!(roots[1].get("c").is_some());
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            src.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let s = parse(&src);
        assert_eq!(s.problems[0].kind, ParseProblemKind::AliasBomb);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let src = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let s = parse_stream(
            &src,
            Limits {
                max_depth: 100,
                ..Limits::default()
            },
        );
        assert_eq!(s.problems[0].kind, ParseProblemKind::TooDeep);
        let block: String = (0..5000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        let s = parse(&block);
        assert_eq!(s.problems[0].kind, ParseProblemKind::TooDeep);
    }
}

#[cfg(test)]
mod quoted_span_tests {
    use super::quoted_end;

    #[test]
    fn quoted_scalars_end_at_their_closing_quote() {
        assert_eq!(quoted_end(r#""1.5"   # comment"#), Some(5));
        assert_eq!(quoted_end(r#""a\"b" x"#), Some(6));
        assert_eq!(quoted_end("'it''s' # c"), Some(7));
        assert_eq!(quoted_end("!!str x"), None);
    }
}
