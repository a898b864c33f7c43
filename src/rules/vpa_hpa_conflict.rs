//! `vpa-hpa-conflict`: a VPA resizes cpu or memory of a workload an HPA scales on the same
//! resource.

use crate::model::Object;
use crate::model::hpa::MetricType;
use crate::model::pod::{ContainerKind, PodTemplate};
use crate::model::replicas::hpas_of;
use crate::model::vpa::Vpa;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a VerticalPodAutoscaler in `Auto`, `Recreate` or `InPlaceOrRecreate` mode (the
    /// VPA's default mode is `Auto`) that controls cpu or memory of a workload which a
    /// HorizontalPodAutoscaler scales on a Resource or ContainerResource metric of the same
    /// resource. The VPA's `controlledResources` and per-container `mode: "Off"` are honoured.
    /// The HPA's metric is a related location.
    ///
    /// ## Why it matters
    ///
    /// The two controllers fight over the same signal. When usage rises the HPA adds pods and
    /// the VPA raises requests, which lowers utilisation, so the HPA removes pods, usage per
    /// pod rises, and so on; the VPA also evicts pods to apply new requests while the HPA
    /// resizes the set. The VPA project documents that it must not be used with an HPA on cpu
    /// or memory. Recommendation mode (`updateMode: "Off"`) is safe, which is what the seed
    /// does for its database.
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
    ///   updatePolicy:
    ///     updateMode: Auto
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 2
    ///   maxReplicas: 10
    ///   metrics:
    ///     - type: Resource
    ///       resource:
    ///         name: cpu
    ///         target: {type: Utilization, averageUtilization: 70}
    /// ---
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
    ///   updatePolicy:
    ///     updateMode: "Off"
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 2
    ///   maxReplicas: 10
    ///   metrics:
    ///     - type: Resource
    ///       resource:
    ///         name: cpu
    ///         target: {type: Utilization, averageUtilization: 70}
    /// ---
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
    /// ```
    ///
    /// Or keep the VPA in `Auto` and let the HPA scale on a Pods, Object or External metric
    /// (requests per second, queue length).
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// `Initial` mode (requests set only at pod creation) is not reported, though it still
    /// shifts the HPA's utilisation at each rollout. Both autoscalers must be in the input.
    VpaHpaConflict {
        id: "vpa-hpa-conflict",
        category: Scaling,
        severity: Error,
        enabled: true,
        kinds: &["VerticalPodAutoscaler"],
        summary: "a VPA resizes a resource an HPA scales the same workload on",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpaHpaConflict {}

impl Rule for VpaHpaConflict {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(vpa) = Vpa::of(object) else { return };
        if !vpa.updates_pods() {
            return;
        }
        let index = cx.index;
        let Some(target) = index.relations().vpa_target.get(&object.id) else {
            return;
        };
        let target = index.get(*target);
        let containers: Vec<String> = PodTemplate::of(target)
            .map(|pod| {
                pod.containers()
                    .filter(|c| c.kind == ContainerKind::Regular)
                    .map(|c| c.name().to_string())
                    .collect()
            })
            .unwrap_or_default();
        // Whether the VPA resizes `resource` of the containers the metric measures.
        let controls = |resource: &str, container: Option<&str>| match container {
            Some(c) => vpa.controls(c, resource),
            None if containers.is_empty() => vpa.controls("*", resource),
            None => containers.iter().any(|c| vpa.controls(c, resource)),
        };
        let mut conflicts = Vec::new();
        for hpa in hpas_of(index, target) {
            for metric in hpa.metrics() {
                let container = match metric.kind {
                    MetricType::Resource => None,
                    MetricType::ContainerResource => metric.container,
                    _ => continue,
                };
                let Some(resource) = metric.resource else {
                    continue;
                };
                if (resource == "cpu" || resource == "memory") && controls(resource, container) {
                    conflicts.push((hpa, resource, metric.span()));
                }
            }
        }
        let Some((first, _, _)) = conflicts.first() else {
            return;
        };
        let mut resources: Vec<&str> = conflicts.iter().map(|(_, r, _)| *r).collect();
        resources.sort();
        resources.dedup();
        let resources: Vec<String> = resources.iter().map(|r| format!("`{r}`")).collect();
        let (mode, _) = vpa.update_mode();
        let mut report = cx
            .report(
                object,
                vpa.mode_span(),
                format!(
                    "VPA in `{mode}` mode resizes {} of {} `{}`, which HPA `{}` scales on",
                    resources.join(" and "),
                    target.kind,
                    target.name,
                    first.object.name
                ),
            )
            .help("set `updateMode: \"Off\"` (recommendations only), or scale the HPA on a Pods, Object or External metric");
        for (hpa, resource, span) in conflicts {
            report = report.related(
                hpa.object,
                span,
                format!("HPA `{}` scales on {resource} here", hpa.object.name),
            );
        }
    }
}
