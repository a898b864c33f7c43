//! `workload-alert-missing`: no alert watches a workload for a required signal.

use crate::model::Object;
use crate::model::alerts::WATCHED_WORKLOADS;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a Deployment, StatefulSet or DaemonSet that no alert covers for one of the
    /// required signals (by default `availability` and `crash-looping`). It runs only when the
    /// input has alerting rules (`PrometheusRule` objects or plain rule files); an input without
    /// any is reported once by `alert-catalog-incomplete`.
    ///
    /// The coverage model:
    ///
    /// - An alert's **signals** come from the metrics its expression reads, by a table shipped
    ///   with defaults: `availability` (`up`, `kube_deployment_status_replicas_available`,
    ///   `kube_statefulset_status_replicas_ready`, `kube_daemonset_status_number_*`, an
    ///   exporter's `pg_up`/`redis_up`...), `latency` (`histogram_quantile` over `*_bucket`),
    ///   `error-rate` (`*requests_total` filtered on a `code`/`status` matcher that accepts
    ///   `500`), `crash-looping` (`kube_pod_container_status_restarts_total`,
    ///   `kube_pod_container_status_waiting_reason`), `cpu` (`container_cpu_usage_seconds_total`
    ///   and its recording rules), `memory` (`container_memory_working_set_bytes`...), `hpa-max`
    ///   (both `kube_horizontalpodautoscaler_status_current_replicas` and
    ///   `..._spec_max_replicas`), `storage` (`kubelet_volume_stats_*`; node filesystem metrics
    ///   watch nodes, not claims), `database-connection` (`pg_up`, `mysql_up`, `mongodb_up`) and
    ///   `redis-connection` (`redis_up`).
    /// - An alert's **scope** comes from the label matchers of the selectors that carry the
    ///   signal: `namespace`, `deployment`, `statefulset`, `daemonset`, `pod` (tested against
    ///   the names the controller gives pods: `web-0`, `web-<hash>-<id>`), `container`, and
    ///   `job`/`service`. Regex matchers are anchored as Prometheus anchors them; a missing
    ///   label is the empty string. `job` and `service` are resolved through the index: the
    ///   workload <- Services selecting its pods <- ServiceMonitors selecting those Services
    ///   (honouring `namespaceSelector`; the job is the Service's name, or its `jobLabel`
    ///   label), or PodMonitors selecting its pods (job `<namespace>/<name>`, or the pod's
    ///   `jobLabel` label). Metrics published by kube-state-metrics, the kubelet or cAdvisor
    ///   carry the exporter's `job`, so there `job` and `service` do not scope; metrics scraped
    ///   from the workload itself (`up`, `http_*`) exist only for workloads some monitor
    ///   scrapes. An alert without scoping matchers covers every workload its metrics apply to.
    /// - An alert on a recording rule is read as the metrics the recording reads (three levels
    ///   of recordings deep), narrowed by the alert's own matchers.
    /// - A workload is **covered** for a signal when some alert with that signal has it in
    ///   scope.
    ///
    /// ## Why it matters
    ///
    /// An alerting stack that looks complete can still leave a service unwatched: a `job`
    /// matcher that names an old Service, a namespace matcher with a typo, a workload added
    /// after the rules were written. It goes down and nobody is paged. The seed says every
    /// service is monitored and lists ten production alerts.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: worker
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: worker
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: worker
    ///     spec:
    ///       containers:
    ///         - name: worker
    ///           image: example/worker:1.0
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
    ///         - alert: WebUnavailable
    ///           expr: kube_deployment_status_replicas_available{namespace="shop", deployment="web"} == 0
    ///           for: 5m
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: worker
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: worker
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: worker
    ///     spec:
    ///       containers:
    ///         - name: worker
    ///           image: example/worker:1.0
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
    ///         - alert: DeploymentUnavailable
    ///           expr: kube_deployment_status_replicas_available{namespace="shop"} == 0
    ///           for: 5m
    ///         - alert: PodCrashLooping
    ///           expr: increase(kube_pod_container_status_restarts_total{namespace="shop"}[15m]) > 3
    ///           for: 5m
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `signals` (list, default `[availability, crash-looping]`): the signals every workload
    ///   needs an alert for. The production profile, the seed's set for workloads, is
    ///   `[availability, latency, error-rate, cpu, memory, crash-looping]`.
    ///
    /// ```yaml
    /// rules:
    ///   workload-alert-missing:
    ///     params:
    ///       signals: [availability, latency, error-rate, cpu, memory, crash-looping]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Which metrics a target exports is not known: an alert on a target metric without
    /// `job`, `service`, `namespace` or `pod` matchers covers every scraped workload, whether
    /// or not it exports that metric (kube-prometheus' `GrafanaRequestsFailing` counts for every
    /// scraped workload). The signals table is not yet extendable from the configuration file.
    /// Label rewriting
    /// (`relabelings`, `metricRelabelings`, `honorLabels`), the operator's
    /// `enforcedNamespaceLabel`, and `and`/`unless` clauses that narrow an expression are not
    /// modelled: scope comes from each selector's own matchers.
    WorkloadAlertMissing {
        id: "workload-alert-missing",
        category: Monitoring,
        severity: Warning,
        enabled: true,
        kinds: WATCHED_WORKLOADS,
        summary: "no alert watches a workload for a required signal",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkloadAlertMissing {
    pub signals: Vec<String>,
}

impl Default for WorkloadAlertMissing {
    fn default() -> Self {
        WorkloadAlertMissing {
            signals: vec!["availability".into(), "crash-looping".into()],
        }
    }
}

impl Rule for WorkloadAlertMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let index = cx.index;
        let alerting = index.alerting();
        if !alerting.has_alerts() {
            return;
        }
        let subject = alerting.workload_subject(object);
        for signal in &self.signals {
            if alerting.covering(&subject, signal).next().is_some() {
                continue;
            }
            let report = cx
                .report(
                    object,
                    object.anchor(),
                    format!(
                        "no alert watches {} `{}` for `{signal}`",
                        object.kind, object.name
                    ),
                )
                .help(format!(
                    "add an alert for `{signal}` whose matchers (`namespace`, `job`, `{}`...) include this workload",
                    object.kind.to_lowercase()
                ));
            // Point at an alert that could have covered it: one on `up` or on this kind's
            // kube-state-metrics series, not a dependency's `pg_up`.
            let near = alerting.nearest(signal, object.kind);
            if let Some(other) = near {
                report.related(
                    index.get(other.object),
                    other.span,
                    format!(
                        "alert `{}` watches `{signal}`, but not this workload",
                        other.name
                    ),
                );
            }
        }
    }
}
