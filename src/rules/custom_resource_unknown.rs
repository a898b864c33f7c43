//! `custom-resource-unknown`: a custom resource whose CustomResourceDefinition is not available.

use crate::model::Object;
use crate::model::crd;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a custom resource (an object of an API group Kubernetes does not serve) whose
    /// CustomResourceDefinition is neither in the input nor in a `--crd` file, so
    /// `custom-resource-invalid` cannot check it.
    ///
    /// ## Why it matters
    ///
    /// It says which objects went unvalidated. Add the CRDs (most operators publish them as
    /// one YAML file) with `--crd` to have them checked; and a custom resource whose CRD is
    /// not installed in the cluster fails to apply (`no matches for kind`).
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: PrometheusRule
    /// metadata:
    ///   name: web
    /// spec:
    ///   groups: []
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: apiextensions.k8s.io/v1
    /// kind: CustomResourceDefinition
    /// metadata:
    ///   name: prometheusrules.monitoring.coreos.com
    /// spec:
    ///   group: monitoring.coreos.com
    ///   scope: Namespaced
    ///   names: {kind: PrometheusRule, plural: prometheusrules}
    ///   versions:
    ///     - name: v1
    ///       served: true
    ///       storage: true
    ///       schema:
    ///         openAPIV3Schema:
    ///           type: object
    ///           x-kubernetes-preserve-unknown-fields: true
    /// ---
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: PrometheusRule
    /// metadata:
    ///   name: web
    /// spec:
    ///   groups: []
    /// ```
    ///
    /// Or pass the operator's CRD file with `--crd`.
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Off by default: most trees do not carry the CRDs of the operators they use, and that
    /// is not a defect of the tree.
    CustomResourceUnknown {
        id: "custom-resource-unknown",
        category: Schema,
        severity: Info,
        enabled: false,
        kinds: &["*"],
        summary: "a custom resource whose CustomResourceDefinition is not available",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomResourceUnknown {}

impl Rule for CustomResourceUnknown {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if !crd::is_custom_resource(object)
            || cx.index.crds().find(object.group, object.kind).is_some()
        {
            return;
        }
        let span = object
            .root
            .get("apiVersion")
            .map_or(object.anchor(), |n| n.span());
        cx.report(
            object,
            span,
            format!(
                "no CustomResourceDefinition for {} in `{}` was found: it is not validated",
                object.kind, object.group
            ),
        )
        .help("add the CRD to the input or pass its file with `--crd PATH`");
    }
}
