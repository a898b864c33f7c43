//! `hpa-target-missing`: an HPA's `scaleTargetRef` names no object in its namespace.

use crate::model::Object;
use crate::model::hpa::Hpa;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a HorizontalPodAutoscaler whose `scaleTargetRef` names no object of that kind
    /// and name in the HPA's own namespace. The kind and the API group are compared (`apps` in
    /// `apps/v1`), not the version. When an object of that kind and name exists in another
    /// namespace, it is shown as a related location.
    ///
    /// ## Why it matters
    ///
    /// An HPA only scales an object of its own namespace. With a misspelt name, a wrong kind
    /// (`Deployment` for a `StatefulSet`) or a target in another namespace, the HPA reports
    /// `FailedGetScale` and never scales: the workload runs at its static replica count through
    /// every load peak, while dashboards show an HPA that looks configured.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: wbe
    ///   minReplicas: 2
    ///   maxReplicas: 10
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
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: web
    ///   minReplicas: 2
    ///   maxReplicas: 10
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// The target must be in the input: lint an HPA together with the workload it scales. A
    /// target created by another tool (an operator's custom resource) is reported; suppress the
    /// finding there.
    HpaTargetMissing {
        id: "hpa-target-missing",
        category: Scaling,
        severity: Error,
        enabled: true,
        kinds: &["HorizontalPodAutoscaler"],
        summary: "an HPA's scale target is not in its namespace",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HpaTargetMissing {}

impl Rule for HpaTargetMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(hpa) = Hpa::of(object) else { return };
        let (Some(target), Some(ns)) = (hpa.scale_target(), object.namespace.as_deref()) else {
            return;
        };
        if cx.index.relations().hpa_target.contains_key(&object.id) {
            return;
        }
        let index = cx.index;
        let span = target
            .node
            .get("name")
            .map_or(target.node.span(), |n| n.span());
        // The same kind and name elsewhere: the usual cause is a namespace mismatch.
        let elsewhere: Vec<&Object<'_>> = index
            .named(target.name)
            .filter(|o| o.kind == target.kind && target.group.is_none_or(|g| g == o.group))
            .filter(|o| o.namespace.as_deref() != Some(ns))
            .collect();
        let mut report = cx
            .report(
                object,
                span,
                format!(
                    "scale target {} `{}` is not in namespace `{ns}`",
                    target.kind, target.name
                ),
            )
            .help(if elsewhere.is_empty() {
                "name an object of the input in the HPA's namespace (check the kind, the name and the apiVersion's group)".to_string()
            } else {
                "an HPA scales only objects of its own namespace: move the HPA to the workload's namespace".to_string()
            });
        for o in elsewhere {
            report = report.related(
                o,
                o.anchor(),
                format!(
                    "{} `{}` is in namespace `{}`",
                    o.kind,
                    o.name,
                    o.namespace.as_deref().unwrap_or("")
                ),
            );
        }
    }
}
