//! `hpa-target-requests-missing`: an HPA scales on cpu or memory utilisation of pods that do
//! not request that resource.

use crate::load::tree::Span;
use crate::model::Object;
use crate::model::hpa::{Hpa, MetricType};
use crate::model::pod::{ContainerKind, PodTemplate};
use crate::model::quota::container_amount;
use crate::model::resources::{Bound, Resource};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a Resource or ContainerResource metric of a HorizontalPodAutoscaler that
    /// targets an `averageUtilization` of cpu or memory (`targetCPUUtilizationPercentage` in
    /// `autoscaling/v1`), or that has no metrics at all (the autoscaler then targets 80% cpu),
    /// while a container of the scaled workload (the named one, for a
    /// ContainerResource metric) sets no request for that resource. A limit counts (the API
    /// server copies a missing request from the limit), and so does a `defaultRequest` of a
    /// LimitRange of the namespace. The workload's containers are related locations.
    ///
    /// ## Why it matters
    ///
    /// Utilisation is usage divided by the request. Without a request the autoscaler cannot
    /// compute it: the HPA reports `FailedGetResourceMetric` ("missing request for cpu") and
    /// never scales, so the workload stays at its current count through the peak the HPA was
    /// written for. No peer linter relates the HPA to its target's requests.
    ///
    /// ## Example
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
    ///           resources:
    ///             requests: {memory: 256Mi}
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
    ///           resources:
    ///             requests: {cpu: 500m, memory: 256Mi}
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
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// The target, and the LimitRange a namespace relies on, must be in the input.
    /// `AverageValue` targets do not divide by requests and are not checked.
    HpaTargetRequestsMissing {
        id: "hpa-target-requests-missing",
        category: Scaling,
        severity: Error,
        enabled: true,
        kinds: &["HorizontalPodAutoscaler"],
        summary: "an HPA scales on utilisation of a resource its target does not request",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HpaTargetRequestsMissing {}

impl Rule for HpaTargetRequestsMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(hpa) = Hpa::of(object) else { return };
        let index = cx.index;
        let Some(target) = index.relations().hpa_target.get(&object.id) else {
            return;
        };
        let target = index.get(*target);
        let Some(pod) = PodTemplate::of(target) else {
            return;
        };
        // (resource, the one container measured, where, prefix) per utilisation target. Without
        // metrics the autoscaler targets 80% cpu utilisation (the API's default).
        let metrics = hpa.metrics();
        let mut targets: Vec<(&str, Option<&str>, Span, &str)> = metrics
            .iter()
            .filter_map(|m| {
                let container = match m.kind {
                    MetricType::ContainerResource => Some(m.container?),
                    _ => None,
                };
                Some((
                    m.utilization_resource()?,
                    container,
                    m.span(),
                    "utilisation target",
                ))
            })
            .collect();
        if metrics.is_empty() {
            let span = hpa
                .metrics_node()
                .map_or_else(|| hpa.spec_key(), |n| n.span());
            targets.push(("cpu", None, span, "default "));
        }
        for (resource, only, span, what) in targets {
            let resource_kind = match resource {
                "cpu" => Resource::Cpu,
                "memory" => Resource::Memory,
                _ => continue,
            };
            let lacking: Vec<_> = pod
                .containers()
                .filter(|c| c.kind == ContainerKind::Regular)
                .filter(|c| only.is_none_or(|name| c.name() == name))
                .filter(|c| container_amount(index, c, Bound::Requests, resource_kind).is_none())
                .collect();
            if lacking.is_empty() {
                continue;
            }
            let names: Vec<String> = lacking.iter().map(|c| format!("`{}`", c.name())).collect();
            let (noun, verb) = if lacking.len() == 1 {
                ("container", "sets")
            } else {
                ("containers", "set")
            };
            let mut report = cx
                .report(
                    object,
                    span,
                    format!(
                        "{what}{resource} utilisation target, but {noun} {} of {} `{}` {verb} no {resource} request",
                        names.join(", "),
                        target.kind,
                        target.name
                    ),
                )
                .help(format!(
                    "set `resources.requests.{resource}` on every container of `{}`: the HPA cannot compute utilisation without it and never scales",
                    target.name
                ));
            for c in lacking {
                report = report.related(
                    target,
                    c.anchor(),
                    format!("{} has no {resource} request", c.describe()),
                );
            }
        }
    }
}
