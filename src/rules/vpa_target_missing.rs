//! `vpa-target-missing`: a VPA's `targetRef` names nothing in the input.

use crate::model::Object;
use crate::model::vpa::Vpa;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a VerticalPodAutoscaler (`autoscaling.k8s.io`) whose `targetRef` names no
    /// object of that kind and name in the VPA's namespace. The kind and the API group are
    /// compared, not the version.
    ///
    /// ## Why it matters
    ///
    /// A VPA with a dangling target computes nothing and applies nothing: requests stay at
    /// their written figures while the team believes they are right-sized. The seed relies on
    /// VPAs for the backend and the database.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: autoscaling.k8s.io/v1
    /// kind: VerticalPodAutoscaler
    /// metadata:
    ///   name: db
    /// spec:
    ///   targetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: postgres
    ///   updatePolicy:
    ///     updateMode: "Off"
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: postgres
    /// spec:
    ///   serviceName: postgres
    ///   selector:
    ///     matchLabels: {app: postgres}
    ///   template:
    ///     metadata:
    ///       labels: {app: postgres}
    ///     spec:
    ///       containers:
    ///         - name: postgres
    ///           image: postgres:16.4
    /// ---
    /// apiVersion: autoscaling.k8s.io/v1
    /// kind: VerticalPodAutoscaler
    /// metadata:
    ///   name: db
    /// spec:
    ///   targetRef:
    ///     apiVersion: apps/v1
    ///     kind: StatefulSet
    ///     name: postgres
    ///   updatePolicy:
    ///     updateMode: "Off"
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// The target must be in the input; a target made by an operator is reported.
    VpaTargetMissing {
        id: "vpa-target-missing",
        category: Scaling,
        severity: Warning,
        enabled: true,
        kinds: &["VerticalPodAutoscaler"],
        summary: "a VPA's target is not in its namespace",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpaTargetMissing {}

impl Rule for VpaTargetMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(vpa) = Vpa::of(object) else { return };
        let (Some(target), Some(ns)) = (vpa.target(), object.namespace.as_deref()) else {
            return;
        };
        if cx.index.relations().vpa_target.contains_key(&object.id) {
            return;
        }
        let span = target
            .node
            .get("name")
            .map_or(target.node.span(), |n| n.span());
        cx.report(
            object,
            span,
            format!(
                "target {} `{}` is not in namespace `{ns}`",
                target.kind, target.name
            ),
        )
        .help("name an object of the input in the VPA's namespace (check the kind, the name and the apiVersion's group)");
    }
}
