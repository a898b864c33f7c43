//! `schema-invalid`: a built-in object breaks the Kubernetes schema of its kind.

use crate::load::tree::{Resolved, resolve_plain};
use crate::model::Object;
use crate::model::api_versions;
use crate::model::schema::{self, Problem, SchemaError};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Validates objects of built-in kinds against the OpenAPI schema of their kind in the
    /// target Kubernetes release (`--kubernetes-version`, default 1.35) and reports wrong types
    /// (`replicas: "two"`, a port written as a string), missing required fields, values
    /// outside an enumeration, and malformed quantities (`memory: 1.5 Gi`). Each error points
    /// at the offending value; a missing field points at the key of the mapping that lacks it.
    /// Unknown fields are `schema-unknown-field`'s.
    ///
    /// Scalars are read as kubectl reads them (YAML 1.1): `yes` and `on` are booleans and
    /// `0755` is an integer, so `value: yes` in an env var is a type error, as the API server
    /// says.
    ///
    /// ## Why it matters
    ///
    /// The API server rejects the object, and the whole `kubectl apply` or Helm release with
    /// it. Finding it in review, at the exact line, beats finding it in the deploy log.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: two
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    ///           ports:
    ///             - containerPort: "8080"
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 2
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    ///           ports:
    ///             - containerPort: 8080
    /// ```
    ///
    /// ## Parameters
    ///
    /// None. The schemas are those of the run's `--kubernetes-version`; releases 1.33 to 1.37
    /// are embedded, an older target uses 1.33's and a newer one 1.37's.
    ///
    /// ## Known limitations
    ///
    /// The schemas are generated ahead of time from each release's OpenAPI document (through
    /// the `kubernetes-validate` package's JSON Schemas; `scripts/generate-schemas.py`
    /// regenerates them) and embedded: nothing is downloaded. The OpenAPI document does not
    /// carry every rule the API server enforces: most enumerations (`imagePullPolicy`,
    /// `restartPolicy`), cross-field rules and value ranges are not checked. Objects whose
    /// `apiVersion` the target release no longer serves are left to `api-version-removed`;
    /// custom resources are not checked here.
    SchemaInvalid {
        id: "schema-invalid",
        category: Schema,
        severity: Error,
        enabled: true,
        kinds: &["*"],
        summary: "a built-in object breaks the Kubernetes schema of its kind",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaInvalid {}

impl Rule for SchemaInvalid {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let target = cx.index.kubernetes_version();
        if api_versions::is_removed(&object.api_version, &object.kind, target) {
            return;
        }
        let Some(errors) = schema::validate(object, cx.index) else {
            return;
        };
        for error in errors.iter() {
            if matches!(error.problem, Problem::Unknown { .. }) {
                continue;
            }
            report(object, error, cx);
        }
    }
}

fn report(object: &Object<'_>, error: &SchemaError, cx: &mut Cx<'_, '_>) {
    let Some(at) = schema::locate(&object.root, &error.path) else {
        return;
    };
    let path = schema::display_path(&error.path);
    match &error.problem {
        Problem::Required { field } => {
            // The mapping that lacks the field: point at its key, else at the object's name.
            // A sequence item has no key: point at its first key (`- image: ...`).
            let span = at
                .key
                .or_else(|| at.node.entries().first().map(|e| e.key.span))
                .unwrap_or_else(|| object.anchor());
            let whole = if path.is_empty() {
                format!("`{field}`")
            } else {
                format!("`{path}.{field}`")
            };
            let message = if path.is_empty() {
                format!("required field {whole} is missing")
            } else {
                format!("`{path}` has no `{field}`, which is required")
            };
            cx.report(object, span, message)
                .help(format!("add {whole}"));
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
            let is_scalar = at.node.as_scalar().is_some();
            // `"8080"` where a number is wanted: the quotes made it a string.
            let quoted_number = at.node.as_scalar().is_some_and(|s| {
                actual == "string" && !matches!(resolve_plain(&s.text), Resolved::Str(_))
            });
            let help = if quoted_number {
                "remove the quotes".to_string()
            } else if is_scalar && expected.iter().any(|t| t == "string") {
                format!("quote the value: YAML reads it as {}", article(actual))
            } else {
                format!("write `{path}` as {wanted}")
            };
            cx.report(
                object,
                at.node.span,
                format!("`{path}` must be {wanted}, not {}", article(actual)),
            )
            .help(help);
        }
        Problem::Enum { allowed } => {
            let value = at.node.scalar_text().unwrap_or_default();
            cx.report(
                object,
                at.node.span,
                format!("`{path}` is `{value}`, not one of the allowed values"),
            )
            .help(format!(
                "use one of {}",
                allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Problem::Pattern => {
            let value = at.node.scalar_text().unwrap_or_default();
            cx.report(
                object,
                at.node.span,
                format!("`{path}` is not a valid quantity: `{value}`"),
            )
            .help("write a number with an optional unit and no space: `500m`, `1.5Gi`, `2`");
        }
        Problem::Other(message) => {
            cx.report(
                object,
                at.node.span,
                format!("`{path}` is invalid: {message}"),
            );
        }
        Problem::Unknown { .. } => {}
    }
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
