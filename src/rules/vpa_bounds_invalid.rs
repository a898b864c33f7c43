//! `vpa-bounds-invalid`: a VPA container policy allows a minimum above its maximum.

use crate::model::Object;
use crate::model::quantity::Quantity;
use crate::model::vpa::Vpa;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a resource of a VerticalPodAutoscaler container policy whose `minAllowed`
    /// quantity is above its `maxAllowed` one (`1Gi` and `1024Mi` compare equal).
    ///
    /// ## Why it matters
    ///
    /// The recommender clamps its recommendation into `[minAllowed, maxAllowed]`. An inverted
    /// pair is a typo (`4Gi` for `4Mi`, `2000m` for `200m`) and the VPA then applies one bound
    /// or the other whatever the usage, resizing pods to figures nobody chose. The seed bounds
    /// the backend to 250m-2000m CPU and 512Mi-4Gi memory.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: autoscaling.k8s.io/v1
    /// kind: VerticalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   resourcePolicy:
    ///     containerPolicies:
    ///       - containerName: web
    ///         minAllowed: {cpu: 250m, memory: 4Gi}
    ///         maxAllowed: {cpu: "2", memory: 512Mi}
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: autoscaling.k8s.io/v1
    /// kind: VerticalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   resourcePolicy:
    ///     containerPolicies:
    ///       - containerName: web
    ///         minAllowed: {cpu: 250m, memory: 512Mi}
    ///         maxAllowed: {cpu: "2", memory: 4Gi}
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Bounds are not compared with the container's own requests and limits, nor with a
    /// LimitRange.
    VpaBoundsInvalid {
        id: "vpa-bounds-invalid",
        category: Scaling,
        severity: Error,
        enabled: true,
        kinds: &["VerticalPodAutoscaler"],
        summary: "a VPA container policy's minAllowed is above its maxAllowed",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpaBoundsInvalid {}

impl Rule for VpaBoundsInvalid {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(vpa) = Vpa::of(object) else { return };
        for policy in vpa.container_policies() {
            let (Some(min), Some(max)) = (policy.min_allowed(), policy.max_allowed()) else {
                continue;
            };
            for entry in min.entries() {
                let Some(resource) = entry.key.as_str() else {
                    continue;
                };
                let Some(max_node) = max.get(resource) else {
                    continue;
                };
                let (Some(Ok(lo)), Some(Ok(hi))) = (
                    Quantity::from_node(&entry.value),
                    Quantity::from_node(max_node),
                ) else {
                    continue;
                };
                if lo > hi {
                    cx.report(
                        object,
                        entry.value.span(),
                        format!(
                            "`minAllowed.{resource}` (`{lo}`) of container `{}` is above its `maxAllowed` (`{hi}`)",
                            policy.container_name()
                        ),
                    )
                    .help("swap the bounds, or fix the unit of the one that is wrong")
                    .related(object, max_node.span(), format!("`maxAllowed.{resource}` is here"));
                }
            }
        }
    }
}
