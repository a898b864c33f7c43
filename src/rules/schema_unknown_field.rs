//! `schema-unknown-field`: a built-in object has a field its kind's schema does not know.

use crate::model::Object;
use crate::model::api_versions;
use crate::model::schema::{self, Problem};
use crate::model::schema_report::describe;
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
        if api_versions::is_removed(object.api_version, object.kind, target) {
            return;
        }
        let Some(errors) = schema::validate(object, cx.index) else {
            return;
        };
        for error in errors.iter() {
            if !matches!(error.problem, Problem::Unknown { .. }) {
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
