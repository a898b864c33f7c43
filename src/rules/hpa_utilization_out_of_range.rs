//! `hpa-utilization-out-of-range`: an HPA's utilisation target is outside the accepted range,
//! or the HPA has no metrics.

use crate::model::Object;
use crate::model::hpa::Hpa;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports an `averageUtilization` target of a Resource or ContainerResource metric
    /// (`targetCPUUtilizationPercentage` in `autoscaling/v1`, `targetAverageUtilization` in
    /// `v2beta1`) outside a configured range (default 1 to 100 percent), and an
    /// `autoscaling/v2` or `v2beta*` HPA with no `metrics` at all.
    ///
    /// ## Why it matters
    ///
    /// Utilisation is usage divided by the pods' requests. A target of 0 is refused by the
    /// API; a target above 100% means pods run beyond their requests before the HPA reacts,
    /// using capacity the scheduler never reserved, so nodes overcommit and pods get throttled
    /// or OOM-killed first. A very low target keeps the workload at its maximum. An HPA without
    /// metrics silently falls back to 80% CPU, which is rarely what the author meant (a metrics
    /// list lost in templating). The seed targets 70% CPU and 80% memory.
    ///
    /// ## Example
    ///
    /// ```yaml
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
    ///         target: {type: Utilization, averageUtilization: 150}
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
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
    /// - `min` (default `1`: the API refuses 0): the lowest accepted target, in percent.
    /// - `max` (default `100`, our choice: beyond it pods run past their requests before
    ///   scaling): the highest accepted target, in percent.
    ///
    /// A production profile narrows the range around the seed's targets (70% CPU, 80% memory):
    ///
    /// ```yaml
    /// rules:
    ///   hpa-utilization-out-of-range:
    ///     params: {min: 50, max: 90}
    /// ```
    ///
    /// ## Known limitations
    ///
    /// One range applies to cpu and memory alike. Pods, Object and External metrics have no
    /// utilisation and are not checked. An `autoscaling/v1` HPA without
    /// `targetCPUUtilizationPercentage` (80% by default) is the classic form and not reported.
    HpaUtilizationOutOfRange {
        id: "hpa-utilization-out-of-range",
        category: Scaling,
        severity: Warning,
        enabled: true,
        kinds: &["HorizontalPodAutoscaler"],
        summary: "an HPA's utilisation target is out of range, or it has no metrics",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HpaUtilizationOutOfRange {
    pub min: i64,
    pub max: i64,
}

impl Default for HpaUtilizationOutOfRange {
    fn default() -> Self {
        HpaUtilizationOutOfRange { min: 1, max: 100 }
    }
}

impl Rule for HpaUtilizationOutOfRange {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(hpa) = Hpa::of(object) else { return };
        let metrics = hpa.metrics();
        if object.api_version != "autoscaling/v1" && metrics.is_empty() {
            let span = hpa
                .metrics_node()
                .map_or_else(|| hpa.spec_key(), |n| n.span());
            cx.report(
                object,
                span,
                "HPA has no metrics: the autoscaler falls back to 80% cpu utilisation",
            )
            .help("list the metrics to scale on under `spec.metrics`");
            return;
        }
        for metric in &metrics {
            let Some((value, node)) = metric.utilization else {
                continue;
            };
            if value < self.min || value > self.max {
                let resource = metric.resource.unwrap_or("resource");
                cx.report(
                    object,
                    node.span(),
                    format!(
                        "{resource} utilisation target is `{value}%`, outside `{}%`-`{}%`",
                        self.min, self.max
                    ),
                )
                .help(format!(
                    "target between {}% and {}% of the pods' requests",
                    self.min, self.max
                ));
            }
        }
    }
}
