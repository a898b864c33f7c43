//! `schema-invalid`: a built-in object breaks the Kubernetes schema of its kind.

use crate::model::Object;
use crate::model::api_versions;
use crate::model::schema::{self, Problem};
use crate::model::schema_report::describe;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Validates objects of built-in kinds against the OpenAPI schema of their kind in the
    /// target Kubernetes release (`--kubernetes-version`, default 1.35) and reports wrong types
    /// (`replicas: "two"`, a port written as a string), missing required fields, values
    /// outside an enumeration (`imagePullPolicy: Sometimes`), and malformed quantities
    /// (`memory: 1.5 Gi`). Each error points at the offending value; a missing field points at
    /// the key of the mapping that lacks it. Unknown fields are `schema-unknown-field`'s.
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
    /// carry every rule the API server enforces: it states enumerations only in prose, so only
    /// the stable ones the generator lists are checked (`imagePullPolicy`, `restartPolicy`,
    /// `dnsPolicy`, Service `type` and traffic policies, port `protocol`, update strategies,
    /// access modes, `pathType`, selector operators, taint effects, seccomp profile types...);
    /// cross-field rules and value ranges are not checked. A kustomize base that relies on
    /// `labels`/`commonLabels` to add `spec.selector` is reported as missing it: lint the
    /// rendered output (`kustomize build`) instead of the base. Objects whose
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
        if api_versions::is_removed(object.api_version, object.kind, target) {
            return;
        }
        let Some(errors) = schema::validate(object, cx.index) else {
            return;
        };
        for error in errors.iter() {
            if matches!(error.problem, Problem::Unknown { .. }) {
                continue;
            }
            if let Some(finding) = describe(object, error) {
                let report = cx.report(object, finding.span, finding.message);
                if let Some(help) = finding.help {
                    report.help(help);
                }
            }
        }
    }
}
