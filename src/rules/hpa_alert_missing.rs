//! `hpa-alert-missing`: no alert says when an HPA is stuck at its maximum.

use crate::model::Object;
use crate::model::alerts::Alerting;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a HorizontalPodAutoscaler that no `hpa-max` alert covers: an alert comparing
    /// `kube_horizontalpodautoscaler_status_current_replicas` with
    /// `kube_horizontalpodautoscaler_spec_max_replicas` whose `namespace` and
    /// `horizontalpodautoscaler` matchers (regexes anchored as Prometheus does) include it. It
    /// runs only when the input has alerting rules. See `workload-alert-missing` for the
    /// coverage model.
    ///
    /// ## Why it matters
    ///
    /// An HPA at `maxReplicas` cannot absorb more load: latency and errors follow, and the fix
    /// (raise the ceiling, add nodes) takes a human. The seed lists "HPA at maximum scale"
    /// (`PakeHPAScaling`) among its ten production alerts.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: web
    ///   minReplicas: 2
    ///   maxReplicas: 10
    /// ---
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: PrometheusRule
    /// metadata:
    ///   name: shop
    ///   namespace: shop
    /// spec:
    ///   groups:
    ///     - name: shop
    ///       rules:
    ///         - alert: HPAMaxedOut
    ///           expr: kube_horizontalpodautoscaler_status_current_replicas{namespace="shop", horizontalpodautoscaler="api"} >= kube_horizontalpodautoscaler_spec_max_replicas{namespace="shop", horizontalpodautoscaler="api"}
    ///           for: 15m
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: web
    ///   minReplicas: 2
    ///   maxReplicas: 10
    /// ---
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: PrometheusRule
    /// metadata:
    ///   name: shop
    ///   namespace: shop
    /// spec:
    ///   groups:
    ///     - name: shop
    ///       rules:
    ///         - alert: HPAMaxedOut
    ///           expr: kube_horizontalpodautoscaler_status_current_replicas{namespace="shop"} >= kube_horizontalpodautoscaler_spec_max_replicas{namespace="shop"}
    ///           for: 15m
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// kube-state-metrics v1 named the metrics `kube_hpa_*`; add them to your expressions'
    /// recording rules or suppress. The signals table is not yet configurable.
    HpaAlertMissing {
        id: "hpa-alert-missing",
        category: Monitoring,
        severity: Warning,
        enabled: true,
        kinds: &["HorizontalPodAutoscaler"],
        summary: "no alert says when an HPA is stuck at its maximum",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HpaAlertMissing {}

impl Rule for HpaAlertMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let alerting = cx.index.alerting();
        if !alerting.has_alerts() {
            return;
        }
        let subject = Alerting::object_subject(
            object.kind,
            object.namespace.as_deref().unwrap_or_default(),
            "horizontalpodautoscaler",
            &object.name,
        );
        if alerting.covering(&subject, "hpa-max").next().is_some() {
            return;
        }
        cx.report(
            object,
            object.anchor(),
            format!(
                "no alert says when HPA `{}` is stuck at `maxReplicas`",
                object.name
            ),
        )
        .help("alert on `kube_horizontalpodautoscaler_status_current_replicas >= kube_horizontalpodautoscaler_spec_max_replicas` for its namespace");
    }
}
