//! `alert-catalog-incomplete`: a required class of alert is absent from the input.

use crate::model::alerts::WATCHED_WORKLOADS;
use crate::model::kinds::PROMETHEUS_RULES;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Checks that the input's alerting rules include at least one alert of each configured
    /// class, by default the seed's ten production alerts: `availability` (backend down),
    /// `latency` (p95), `cpu`, `memory`, `error-rate`, `database-connection`,
    /// `redis-connection`, `crash-looping`, `hpa-max` and `storage`. An alert's class is the
    /// signal its metrics carry (see `workload-alert-missing` for the signals table). One
    /// finding per missing class, on the first `PrometheusRule` (or rule file) of the input.
    /// When the input has no alerting rules at all, one finding says so, on its first
    /// Deployment, StatefulSet or DaemonSet.
    ///
    /// ## Why it matters
    ///
    /// An alert class nobody wrote is an outage nobody hears about. The seed lists ten alerts
    /// as production-grade; a rule set that dropped one (in a refactor, in a chart upgrade)
    /// no longer matches the runbook.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: PrometheusRule
    /// metadata:
    ///   name: shop
    ///   namespace: shop
    /// spec:
    ///   groups:
    ///     - name: shop
    ///       rules:
    ///         - alert: WebDown
    ///           expr: up{job="web"} == 0
    ///           for: 1m
    /// ```
    ///
    /// ## Use instead
    ///
    /// One alert of each class (the seed's ten, condensed from
    /// `fixtures/pake/k8s/base/monitoring.yaml`):
    ///
    /// ```yaml
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: PrometheusRule
    /// metadata:
    ///   name: shop
    ///   namespace: shop
    /// spec:
    ///   groups:
    ///     - name: shop
    ///       rules:
    ///         - alert: WebDown
    ///           expr: up{job="web"} == 0
    ///           for: 1m
    ///         - alert: HighLatency
    ///           expr: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5
    ///           for: 5m
    ///         - alert: HighCPU
    ///           expr: rate(container_cpu_usage_seconds_total{namespace="shop"}[5m]) > 0.8
    ///           for: 10m
    ///         - alert: HighMemory
    ///           expr: container_memory_working_set_bytes{namespace="shop"} / 2e9 > 0.9
    ///           for: 5m
    ///         - alert: HighErrorRate
    ///           expr: sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.1
    ///           for: 5m
    ///         - alert: DatabaseDown
    ///           expr: pg_up == 0
    ///           for: 1m
    ///         - alert: RedisDown
    ///           expr: redis_up == 0
    ///           for: 1m
    ///         - alert: PodCrashLooping
    ///           expr: increase(kube_pod_container_status_restarts_total[15m]) > 3
    ///           for: 5m
    ///         - alert: HPAAtMaximum
    ///           expr: kube_horizontalpodautoscaler_status_current_replicas >= kube_horizontalpodautoscaler_spec_max_replicas
    ///           for: 15m
    ///         - alert: VolumeAlmostFull
    ///           expr: kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.1
    ///           for: 5m
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `classes` (list of signal names, default the seed's ten listed above).
    ///
    /// ```yaml
    /// rules:
    ///   alert-catalog-incomplete:
    ///     params:
    ///       classes: [availability, latency, error-rate, crash-looping]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// A class is recognised by the metrics an alert reads, not by its name or thresholds:
    /// "p95 over 500ms" and "p99 over 2s" are both `latency`. An exporter's `pg_up` or
    /// `redis_up` also counts as `availability`.
    AlertCatalogIncomplete {
        id: "alert-catalog-incomplete",
        category: Monitoring,
        severity: Warning,
        enabled: true,
        kinds: &[],
        summary: "a required class of alert is absent from the input",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertCatalogIncomplete {
    pub classes: Vec<String>,
}

impl Default for AlertCatalogIncomplete {
    fn default() -> Self {
        AlertCatalogIncomplete {
            classes: [
                "availability",
                "latency",
                "cpu",
                "memory",
                "error-rate",
                "database-connection",
                "redis-connection",
                "crash-looping",
                "hpa-max",
                "storage",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

impl Rule for AlertCatalogIncomplete {
    fn check_input(&self, cx: &mut Cx<'_, '_>) {
        let index = cx.index;
        let alerting = index.alerting();
        let rule_object = PROMETHEUS_RULES
            .iter()
            .flat_map(|k| index.of_kind(k))
            .min_by_key(|o| o.id);
        let Some(holder) = rule_object else {
            let workload = WATCHED_WORKLOADS
                .iter()
                .flat_map(|k| index.of_kind(k))
                .min_by_key(|o| o.id);
            if let Some(w) = workload
                && !self.classes.is_empty()
            {
                cx.report(
                    w,
                    w.anchor(),
                    format!(
                        "the input has no Prometheus alerting rules: none of the {} alert classes is covered",
                        self.classes.len()
                    ),
                )
                .help("add a PrometheusRule with alerts for availability, latency, errors and saturation");
            }
            return;
        };
        for class in &self.classes {
            if alerting.with_signal(class).next().is_some() {
                continue;
            }
            cx.report(
                holder,
                holder.anchor(),
                format!("no alert of class `{class}` in the input"),
            )
            .help(format!(
                "add an alert for `{class}` (see the signals table in the docs of `workload-alert-missing`)"
            ));
        }
    }
}
