//! Label selectors with Kubernetes' exact semantics: `matchLabels` and `matchExpressions`
//! (`In`, `NotIn`, `Exists`, `DoesNotExist`), and the equality-only selectors of Services.

use crate::load::tree::{Node, Span};
use crate::model::Labels;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub operator: Operator,
    /// As written (messages show them so).
    pub values: Vec<String>,
    /// For a long list, the positions of `values` in the order of their text, so that a pod's
    /// label is found by binary search: 200 policies with `NotIn` lists of 5,000 names over
    /// 5,000 pods took 7 s of index time by scanning. Empty for short lists.
    by_value: Vec<u32>,
}

/// Value lists longer than this are searched through [`Requirement::by_value`].
const LONG_VALUES: usize = 16;

impl Requirement {
    pub fn new(key: String, operator: Operator, values: Vec<String>) -> Self {
        let mut by_value = Vec::new();
        if values.len() > LONG_VALUES {
            by_value = (0..values.len() as u32).collect();
            by_value.sort_unstable_by(|a, b| values[*a as usize].cmp(&values[*b as usize]));
        }
        Requirement {
            key,
            operator,
            values,
            by_value,
        }
    }

    /// Whether `value` is one of the requirement's values.
    pub fn has_value(&self, value: &str) -> bool {
        if self.by_value.is_empty() {
            return self.values.iter().any(|x| x == value);
        }
        self.by_value
            .binary_search_by(|i| self.values[*i as usize].as_str().cmp(value))
            .is_ok()
    }
}

/// A parsed selector. An empty selector (`{}`) selects everything; whether a *missing*
/// selector selects nothing or everything depends on the field, so callers decide that.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    pub requirements: Vec<Requirement>,
    pub span: Span,
}

/// Why a selector cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectorProblem {
    pub span: Span,
    pub message: String,
}

impl LabelSelector {
    /// Reads a `metav1.LabelSelector` (`matchLabels` and `matchExpressions`).
    pub fn parse(node: &Node<'_>) -> Result<Self, SelectorProblem> {
        Self::parse_with_spans(node).map(|(selector, _)| selector)
    }

    /// [`LabelSelector::parse`], with the span of each requirement in the same order: the
    /// `key: value` entry of `matchLabels`, or the `matchExpressions` item.
    pub fn parse_with_spans(node: &Node<'_>) -> Result<(Self, Vec<Span>), SelectorProblem> {
        let mut requirements = Vec::new();
        let mut spans = Vec::new();
        if let Some(labels) = node.get("matchLabels") {
            for e in labels.entries() {
                let (Some(k), Some(v)) = (e.key.scalar_text(), e.value.scalar_text().or(Some("")))
                else {
                    continue;
                };
                requirements.push(Requirement::new(
                    k.to_string(),
                    Operator::In,
                    vec![v.to_string()],
                ));
                spans.push(Span::new(
                    e.key.span().start,
                    e.value.span().end.max(e.key.span().end),
                ));
            }
        }
        if let Some(expressions) = node.get("matchExpressions") {
            for expr in expressions.items() {
                let Some(key) = expr.get("key").and_then(Node::scalar_text) else {
                    return Err(SelectorProblem {
                        span: expr.span(),
                        message: "a `matchExpressions` entry has no `key`".into(),
                    });
                };
                let op_node = expr.get("operator");
                let operator = match op_node.and_then(Node::as_str) {
                    Some("In") => Operator::In,
                    Some("NotIn") => Operator::NotIn,
                    Some("Exists") => Operator::Exists,
                    Some("DoesNotExist") => Operator::DoesNotExist,
                    other => {
                        return Err(SelectorProblem {
                            span: op_node.map_or(expr.span(), |n| n.span()),
                            message: format!("unknown selector operator `{}`", other.unwrap_or("")),
                        });
                    }
                };
                let values: Vec<String> = expr
                    .get("values")
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|v| v.scalar_text().map(str::to_string))
                    .collect();
                requirements.push(Requirement::new(key.to_string(), operator, values));
                spans.push(expr.span());
            }
        }
        Ok((
            LabelSelector {
                requirements,
                span: node.span(),
            },
            spans,
        ))
    }

    /// Reads the plain `key: value` selector of a Service or ReplicationController.
    pub fn from_map(node: &Node<'_>) -> Self {
        let requirements = node
            .entries()
            .iter()
            .filter_map(|e| {
                Some(Requirement::new(
                    e.key.scalar_text()?.to_string(),
                    Operator::In,
                    vec![e.value.scalar_text().unwrap_or("").to_string()],
                ))
            })
            .collect();
        LabelSelector {
            requirements,
            span: node.span(),
        }
    }

    /// An empty selector: in a PDB, NetworkPolicy or LabelSelector field it selects every pod.
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    pub fn matches(&self, labels: &Labels) -> bool {
        self.requirements.iter().all(|r| {
            let value = labels.get(&r.key);
            match r.operator {
                Operator::In => value.is_some_and(|v| r.has_value(v)),
                // NotIn matches objects without the key, as in Kubernetes.
                Operator::NotIn => value.is_none_or(|v| !r.has_value(v)),
                Operator::Exists => value.is_some(),
                Operator::DoesNotExist => value.is_none(),
            }
        })
    }
}

impl std::fmt::Display for LabelSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .requirements
            .iter()
            .map(|r| match r.operator {
                Operator::In if r.values.len() == 1 => format!("{}={}", r.key, r.values[0]),
                Operator::In => format!("{} in ({})", r.key, r.values.join(",")),
                Operator::NotIn => format!("{} notin ({})", r.key, r.values.join(",")),
                Operator::Exists => r.key.clone(),
                Operator::DoesNotExist => format!("!{}", r.key),
            })
            .collect();
        f.write_str(&parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{Limits, parse_stream};

    fn selector(src: &str) -> LabelSelector {
        let arena = crate::load::Bump::new();
        let s = parse_stream(src, &arena, Limits::default());
        LabelSelector::parse(s.documents[0].root.as_ref().unwrap()).unwrap()
    }

    #[test]
    fn match_labels_and_expressions() {
        let sel = selector(
            "matchLabels: {app: web}\nmatchExpressions:\n- {key: tier, operator: In, values: [front, edge]}\n- {key: canary, operator: DoesNotExist}\n- {key: env, operator: NotIn, values: [dev]}\n",
        );
        assert!(sel.matches(&Labels::from_pairs([("app", "web"), ("tier", "edge")])));
        assert!(!sel.matches(&Labels::from_pairs([
            ("app", "web"),
            ("tier", "edge"),
            ("canary", "1")
        ])));
        assert!(!sel.matches(&Labels::from_pairs([("app", "web"), ("tier", "back")])));
        assert!(!sel.matches(&Labels::from_pairs([
            ("app", "web"),
            ("tier", "edge"),
            ("env", "dev")
        ])));
        assert!(sel.matches(&Labels::from_pairs([
            ("app", "web"),
            ("tier", "front"),
            ("env", "prod")
        ])));
    }

    #[test]
    fn requirement_spans_follow_requirements() {
        let src = "matchLabels: {app: web}\nmatchExpressions:\n- {key: tier, operator: Exists}\n";
        let arena = crate::load::Bump::new();
        let s = parse_stream(src, &arena, Limits::default());
        let (sel, spans) =
            LabelSelector::parse_with_spans(s.documents[0].root.as_ref().unwrap()).unwrap();
        assert_eq!(sel.requirements.len(), spans.len());
        assert_eq!(&src[spans[0].range()], "app: web");
        assert_eq!(&src[spans[1].range()], "{key: tier, operator: Exists}");
    }

    #[test]
    fn empty_selector_matches_everything() {
        let sel = selector("{}");
        assert!(sel.is_empty());
        assert!(sel.matches(&Labels::default()));
    }
}
