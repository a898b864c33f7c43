//! `custom-resource-invalid`: a custom resource breaks the schema of its
//! CustomResourceDefinition.

use crate::model::Object;
use crate::model::crd::{self, CrdCheck, CrdSource};
use crate::model::schema_report::describe;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Validates custom resources against the `openAPIV3Schema` of the version they use, taken
    /// from the CustomResourceDefinitions in the input or in files given with `--crd PATH`
    /// (files or folders, repeatable): wrong types, missing required fields, values outside an
    /// enumeration or a pattern, unknown fields (the API server prunes them, so they never take
    /// effect), and versions the CRD does not serve. `nullable`, `x-kubernetes-int-or-string`,
    /// `x-kubernetes-preserve-unknown-fields` and `x-kubernetes-embedded-resource` are
    /// honoured, and a required field that has a `default` is not required.
    ///
    /// ## Why it matters
    ///
    /// Operators act on custom resources: a PrometheusRule whose `for` is a number, or a
    /// VerticalPodAutoscaler whose `updateMode` is misspelt, is refused at apply time or, for
    /// a misplaced field, silently dropped. No schema validator checks them without hand-made
    /// conversions; here the CRD in the same tree is enough.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apiextensions.k8s.io/v1
    /// kind: CustomResourceDefinition
    /// metadata:
    ///   name: widgets.example.com
    /// spec:
    ///   group: example.com
    ///   scope: Namespaced
    ///   names: {kind: Widget, plural: widgets}
    ///   versions:
    ///     - name: v1
    ///       served: true
    ///       storage: true
    ///       schema:
    ///         openAPIV3Schema:
    ///           type: object
    ///           properties:
    ///             spec:
    ///               type: object
    ///               required: [size]
    ///               properties:
    ///                 size: {type: integer}
    /// ---
    /// apiVersion: example.com/v1
    /// kind: Widget
    /// metadata:
    ///   name: w
    /// spec:
    ///   size: large
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: apiextensions.k8s.io/v1
    /// kind: CustomResourceDefinition
    /// metadata:
    ///   name: widgets.example.com
    /// spec:
    ///   group: example.com
    ///   scope: Namespaced
    ///   names: {kind: Widget, plural: widgets}
    ///   versions:
    ///     - name: v1
    ///       served: true
    ///       storage: true
    ///       schema:
    ///         openAPIV3Schema:
    ///           type: object
    ///           properties:
    ///             spec:
    ///               type: object
    ///               required: [size]
    ///               properties:
    ///                 size: {type: integer}
    /// ---
    /// apiVersion: example.com/v1
    /// kind: Widget
    /// metadata:
    ///   name: w
    /// spec:
    ///   size: 3
    /// ```
    ///
    /// ## Parameters
    ///
    /// None. CRDs come from the input and from `--crd PATH`; a CRD in the input wins over a
    /// `--crd` file defining the same kind.
    ///
    /// ## Known limitations
    ///
    /// CEL rules (`x-kubernetes-validations`), `format`s and list-type uniqueness are not
    /// checked. Custom resources whose CRD is not available are skipped (turn on
    /// `custom-resource-unknown` to list them).
    CustomResourceInvalid {
        id: "custom-resource-invalid",
        category: Schema,
        severity: Error,
        enabled: true,
        kinds: &["*"],
        summary: "a custom resource breaks the schema of its CustomResourceDefinition",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomResourceInvalid {}

impl Rule for CustomResourceInvalid {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if !crd::is_custom_resource(object) {
            return;
        }
        let Some(definition) = cx.index.crds().find(object.group, object.kind) else {
            return;
        };
        let related = match &definition.source {
            CrdSource::Input(id) => Some(cx.index.get(*id)),
            CrdSource::File(_) => None,
        };
        let origin = match &definition.source {
            CrdSource::Input(_) => String::new(),
            CrdSource::File(file) => format!(" (from `{file}`)"),
        };
        match definition.check(object) {
            CrdCheck::NoSchema => {}
            CrdCheck::VersionNotServed { served } => {
                let span = object
                    .root
                    .get("apiVersion")
                    .map_or(object.anchor(), |n| n.span());
                let version = object.api_version.rsplit_once('/').map_or("", |(_, v)| v);
                let served_list = served
                    .iter()
                    .map(|v| format!("`{}/{v}`", definition.group))
                    .collect::<Vec<_>>()
                    .join(", ");
                let report = cx
                    .report(
                        object,
                        span,
                        format!(
                            "CustomResourceDefinition `{}`{origin} does not serve version `{version}` of {}",
                            definition.name, definition.kind
                        ),
                    )
                    .help(if served.is_empty() {
                        "the CRD serves no version".to_string()
                    } else {
                        format!("use {served_list}")
                    });
                if let Some(crd) = related {
                    report.related(crd, crd.anchor(), "the CustomResourceDefinition");
                }
            }
            CrdCheck::Errors(errors) => {
                for error in &errors {
                    let Some(finding) = describe(object, error) else {
                        continue;
                    };
                    let mut report = cx.report(object, finding.span, finding.message);
                    if let Some(help) = finding.help {
                        report = report.help(help);
                    }
                    if let Some(crd) = related {
                        report.related(
                            crd,
                            crd.anchor(),
                            "the CustomResourceDefinition that defines the schema",
                        );
                    }
                }
            }
        }
    }
}
