//! How a schema error reads: the span, message and help that `schema-invalid`,
//! `schema-unknown-field` and `custom-resource-invalid` report, so the three speak alike.

use crate::load::tree::{Resolved, Span, resolve_plain};
use crate::model::Object;
use crate::model::schema::{self, Problem, SchemaError};

/// The pattern the generated built-in schemas give quantities (see
/// `scripts/generate-schemas.py`).
const QUANTITY_PATTERN_START: &str = "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)";

/// One finding, ready to report.
pub struct Finding {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

/// The finding for one schema error. `None` when the path does not lead to a node.
pub fn describe(object: &Object<'_>, error: &SchemaError) -> Option<Finding> {
    let at = schema::locate(&object.root, &error.path)?;
    let path = schema::display_path(&error.path);
    let finding = match &error.problem {
        Problem::Required { field } => {
            // The mapping that lacks the field: point at its key; a sequence item has no key,
            // so at its first key (`- image: ...`); the root at the object's name.
            let span = at
                .key
                .or_else(|| {
                    (!error.path.is_empty())
                        .then(|| at.node.entries().first().map(|e| e.key.span()))
                        .flatten()
                })
                .unwrap_or_else(|| object.anchor());
            let (message, whole) = if path.is_empty() {
                (
                    format!("required field `{field}` is missing"),
                    format!("`{field}`"),
                )
            } else {
                (
                    format!("`{path}` has no `{field}`, which is required"),
                    format!("`{path}.{field}`"),
                )
            };
            Finding {
                span,
                message,
                help: Some(format!("add {whole}")),
            }
        }
        Problem::Type { expected } => {
            let wanted = if expected.is_empty() {
                "another type".to_string()
            } else {
                expected
                    .iter()
                    .map(|t| article(t))
                    .collect::<Vec<_>>()
                    .join(" or ")
            };
            let actual = at.node.type_name();
            // `"8080"` where a number is wanted: the quotes made it a string.
            let quoted_number = at.node.as_scalar().is_some_and(|s| {
                actual == "string" && !matches!(resolve_plain(s.text), Resolved::Str(_))
            });
            let help = if quoted_number {
                "remove the quotes".to_string()
            } else if at.node.as_scalar().is_some() && expected.iter().any(|t| t == "string") {
                format!("quote the value: YAML reads it as {}", article(actual))
            } else {
                format!("write `{path}` as {wanted}")
            };
            Finding {
                span: at.node.span(),
                message: format!("`{path}` must be {wanted}, not {}", article(actual)),
                help: Some(help),
            }
        }
        Problem::Enum { allowed } => Finding {
            span: at.node.span(),
            message: format!(
                "`{path}` is `{}`, not one of the allowed values",
                at.node.scalar_text().unwrap_or_default()
            ),
            help: Some(format!(
                "use one of {}",
                allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        },
        Problem::Pattern { pattern } => {
            let value = at.node.scalar_text().unwrap_or_default();
            if pattern.starts_with(QUANTITY_PATTERN_START) {
                Finding {
                    span: at.node.span(),
                    message: format!("`{path}` is not a valid quantity: `{value}`"),
                    help: Some(
                        "write a number with an optional unit and no space: `500m`, `1.5Gi`, `2`"
                            .into(),
                    ),
                }
            } else {
                Finding {
                    span: at.node.span(),
                    message: format!("`{path}` is `{value}`, which does not match `{pattern}`"),
                    help: None,
                }
            }
        }
        Problem::Unknown { field, known } => {
            let span = at
                .node
                .entry(field)
                .map_or(at.node.span(), |e| e.key.span());
            let whereabouts = if path.is_empty() {
                format!("{} {}", object.api_version, object.kind)
            } else {
                format!("`{path}`")
            };
            let help = match suggestion(field, known) {
                Some(s) => format!("did you mean `{s}`?"),
                None if known.is_empty() => "remove the field".to_string(),
                None => format!(
                    "remove the field, or move it where the schema expects it; {whereabouts} knows {}",
                    list(known)
                ),
            };
            Finding {
                span,
                message: format!("unknown field `{field}` in {whereabouts}"),
                help: Some(help),
            }
        }
        Problem::Other(message) => Finding {
            span: at.node.span(),
            message: if path.is_empty() {
                message.clone()
            } else {
                format!("`{path}` is invalid: {message}")
            },
            help: None,
        },
    };
    Some(finding)
}

/// A JSON Schema or YAML type name with its article, in YAML's words.
fn article(t: &str) -> String {
    match t {
        "integer" => "an integer".into(),
        "object" | "mapping" => "a mapping".into(),
        "array" | "sequence" => "a sequence".into(),
        "null" => "null".into(),
        _ => format!("a {t}"),
    }
}

/// The known field closest to `field`, when one is close enough to be a typo.
pub fn suggestion<'k>(field: &str, known: &'k [String]) -> Option<&'k str> {
    let lower = field.to_ascii_lowercase();
    known
        .iter()
        .map(|k| {
            let score = if k.to_ascii_lowercase() == lower {
                1.0
            } else {
                strsim::jaro_winkler(&k.to_ascii_lowercase(), &lower)
            };
            (score, k)
        })
        .filter(|(score, _)| *score >= 0.88)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.as_str())
}

/// A short list of known fields for the help text.
fn list(known: &[String]) -> String {
    let mut sorted: Vec<&String> = known.iter().collect();
    sorted.sort();
    let shown: Vec<String> = sorted.iter().take(8).map(|k| format!("`{k}`")).collect();
    if sorted.len() > 8 {
        format!("{}, ...", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_fields_only() {
        let known: Vec<String> = ["selector", "ports", "type", "clusterIP"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(suggestion("selctor", &known), Some("selector"));
        assert_eq!(suggestion("clusterip", &known), Some("clusterIP"));
        assert_eq!(suggestion("replicas", &known), None);
    }
}
