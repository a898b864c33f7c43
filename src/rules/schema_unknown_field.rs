//! `schema-unknown-field`: a built-in object has a field its kind's schema does not know.

use crate::model::Object;
use crate::model::api_versions;
use crate::model::schema::{self, Problem};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a field that the Kubernetes schema of the object's kind (in the target release,
    /// `--kubernetes-version`) does not define, such as a misspelt `selctor` or a
    /// `resources` block indented one level too deep, and suggests the known field it most
    /// resembles.
    ///
    /// ## Why it matters
    ///
    /// Depending on the client, an unknown field is either silently dropped (so the setting
    /// you wrote never takes effect: a misspelt `readinessProbe` leaves the pod without one) or
    /// rejected by the API server's strict field validation (`kubectl apply` since 1.27 warns,
    /// `--validate=strict` fails). Either way the manifest does not say what runs.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selctor:
    ///     app: web
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Fields are judged against the embedded schemas of the target release (1.33 to 1.37):
    /// a field added in a newer release than the target is reported, which is right when the
    /// cluster runs the target release. Custom resources are not checked here; objects with a
    /// removed `apiVersion` are left to `api-version-removed`.
    SchemaUnknownField {
        id: "schema-unknown-field",
        category: Schema,
        severity: Error,
        enabled: true,
        kinds: &["*"],
        summary: "a built-in object has a field its kind's schema does not know",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaUnknownField {}

impl Rule for SchemaUnknownField {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let target = cx.index.kubernetes_version();
        if api_versions::is_removed(&object.api_version, &object.kind, target) {
            return;
        }
        let Some(errors) = schema::validate(object, cx.index) else {
            return;
        };
        for error in errors.iter() {
            let Problem::Unknown { field, known } = &error.problem else {
                continue;
            };
            let Some(at) = schema::locate(&object.root, &error.path) else {
                continue;
            };
            let span = at.node.entry(field).map_or(at.node.span, |e| e.key.span);
            let path = schema::display_path(&error.path);
            let whereabouts = if path.is_empty() {
                format!("{} {}", object.api_version, object.kind)
            } else {
                format!("`{path}`")
            };
            let message = format!("unknown field `{field}` in {whereabouts}");
            let help = match suggestion(field, known) {
                Some(s) => format!("did you mean `{s}`?"),
                None if known.is_empty() => "remove the field".to_string(),
                None => format!(
                    "remove the field, or move it where the schema expects it; {whereabouts} knows {}",
                    list(known)
                ),
            };
            cx.report(object, span, message).help(help);
        }
    }
}

/// The known field closest to `field`, when one is close enough to be a typo.
fn suggestion<'k>(field: &str, known: &'k [String]) -> Option<&'k str> {
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
