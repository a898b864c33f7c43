//! The alert coverage model. An alert's **signals** (availability, latency, ...) come from the
//! metrics its expression reads, by a table of patterns that is data (defaults below). Its
//! **scope** comes from the label matchers of those selectors. A **subject** (a workload, an
//! HPA, a PersistentVolumeClaim) is covered for a signal when some alert with that signal has it
//! in scope.

use std::sync::Arc;

use serde::Deserialize;

use crate::model::promql::{Expression, Selector};

/// Where a metric's series come from, which decides what `job` and `service` mean in them.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Scraped from the workload itself (`up`, `http_requests_total`, an exporter sidecar's
    /// `pg_up`): `job` and `service` name the workload's scrape target, so only workloads that
    /// a ServiceMonitor or PodMonitor scrapes have such series.
    #[default]
    Target,
    /// Published about the object by a cluster exporter (kube-state-metrics, the kubelet,
    /// cAdvisor): `job` and `service` name the exporter and do not scope; `namespace`, `pod`,
    /// `deployment`... name the object.
    Exporter,
}

/// One way to recognise a signal in a selector.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    /// The metric name; `*` matches any run of characters (`*_bucket`).
    pub metric: String,
    /// A function the selector must be an argument of (`histogram_quantile`).
    #[serde(default)]
    pub function: Option<String>,
    /// A label (one of several, `code|status`) the selector must match on, with [`Self::value`].
    #[serde(default)]
    pub label: Option<String>,
    /// A value the matcher on [`Self::label`] must accept (`500` for a 5xx filter).
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub source: Source,
    /// The kinds the series describe (`Deployment` for `kube_deployment_*`); empty: every
    /// workload's pods.
    #[serde(default)]
    pub kinds: Vec<String>,
}

/// A signal: its name and its patterns. An expression has the signal when every pattern of
/// `all` and (when `any` is not empty) one pattern of `any` match one of its selectors.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signal {
    pub name: String,
    // Shared, not copied, into the signals of every alert that matches them: a tree of 20,000
    // alerts otherwise held as many copies of the table's patterns and their strings.
    #[serde(default)]
    pub any: Vec<Arc<Pattern>>,
    #[serde(default)]
    pub all: Vec<Arc<Pattern>>,
}

/// The default signals table, as YAML data.
pub const DEFAULT_SIGNALS: &str = r#"
- name: availability
  any:
    - {metric: up}
    - {metric: kube_deployment_status_replicas_available, source: exporter, kinds: [Deployment]}
    - {metric: kube_deployment_status_replicas_unavailable, source: exporter, kinds: [Deployment]}
    - {metric: kube_deployment_status_replicas_ready, source: exporter, kinds: [Deployment]}
    - {metric: kube_statefulset_status_replicas_ready, source: exporter, kinds: [StatefulSet]}
    - {metric: kube_statefulset_status_replicas_available, source: exporter, kinds: [StatefulSet]}
    - {metric: kube_daemonset_status_number_available, source: exporter, kinds: [DaemonSet]}
    - {metric: kube_daemonset_status_number_unavailable, source: exporter, kinds: [DaemonSet]}
    - {metric: kube_daemonset_status_number_ready, source: exporter, kinds: [DaemonSet]}
    - {metric: kube_daemonset_status_number_misscheduled, source: exporter, kinds: [DaemonSet]}
    # An exporter's `_up` says whether the service it watches answers.
    - {metric: pg_up}
    - {metric: mysql_up}
    - {metric: mongodb_up}
    - {metric: redis_up}
- name: latency
  any:
    - {metric: "*_bucket", function: histogram_quantile}
- name: error-rate
  any:
    # Request counters (and recording rules over them) filtered on a 5xx status.
    - {metric: "*requests_total*", label: "code|status|status_code|response_code", value: "500"}
    - {metric: "*request_total*", label: "code|status|status_code|response_code", value: "500"}
    # A latency histogram's `_count` counts requests too.
    - {metric: "*_duration_seconds_count*", label: "code|status|status_code|response_code", value: "500"}
- name: crash-looping
  any:
    - {metric: kube_pod_container_status_restarts_total, source: exporter}
    - {metric: kube_pod_container_status_waiting_reason, source: exporter}
- name: cpu
  any:
    - {metric: container_cpu_usage_seconds_total, source: exporter}
    - {metric: "*:container_cpu_usage_seconds_total:*", source: exporter}
    - {metric: container_cpu_cfs_throttled_periods_total, source: exporter}
- name: memory
  any:
    - {metric: container_memory_working_set_bytes, source: exporter}
    - {metric: "*:container_memory_working_set_bytes*", source: exporter}
    - {metric: container_memory_rss, source: exporter}
    - {metric: container_memory_usage_bytes, source: exporter}
    - {metric: kube_pod_container_status_last_terminated_reason, label: reason, value: OOMKilled, source: exporter}
- name: hpa-max
  all:
    - {metric: kube_horizontalpodautoscaler_status_current_replicas, source: exporter, kinds: [HorizontalPodAutoscaler]}
    - {metric: kube_horizontalpodautoscaler_spec_max_replicas, source: exporter, kinds: [HorizontalPodAutoscaler]}
- name: storage
  any:
    - {metric: "kubelet_volume_stats_*", source: exporter, kinds: [PersistentVolumeClaim]}
- name: database-connection
  any:
    - {metric: pg_up}
    - {metric: mysql_up}
    - {metric: mongodb_up}
    - {metric: "*database_connection_errors_total"}
- name: redis-connection
  any:
    - {metric: redis_up}
    - {metric: "*redis_connection_errors_total"}
"#;

/// The default table, parsed once.
pub fn default_signals() -> &'static [Signal] {
    static TABLE: std::sync::OnceLock<Vec<Signal>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        serde_json::from_value(yaml_to_json(DEFAULT_SIGNALS)).expect("the default table is valid")
    })
}

/// The default table with the configuration's additions: patterns given for a known signal
/// are added to it; a signal of a new name is added whole.
pub fn with_additions(additions: &[Signal]) -> Vec<Signal> {
    let mut table = default_signals().to_vec();
    for addition in additions {
        match table.iter_mut().find(|s| s.name == addition.name) {
            Some(signal) => {
                signal.any.extend(addition.any.iter().cloned());
                signal.all.extend(addition.all.iter().cloned());
            }
            None => table.push(addition.clone()),
        }
    }
    table
}

/// Reads the small YAML table with the loader's parser into JSON for serde.
fn yaml_to_json(text: &str) -> serde_json::Value {
    let arena = crate::load::Bump::new();
    let stream =
        crate::load::yaml::parse_stream(text, &arena, crate::load::yaml::Limits::default());
    let root = stream.documents[0].root.as_ref().expect("a document");
    fn convert(n: &crate::load::tree::Node<'_>) -> serde_json::Value {
        use crate::load::tree::{NodeKind, Resolved};
        match n.kind() {
            NodeKind::Mapping(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|e| {
                        (
                            e.key.scalar_text().unwrap_or_default().to_string(),
                            convert(&e.value),
                        )
                    })
                    .collect(),
            ),
            NodeKind::Sequence(items) => {
                serde_json::Value::Array(items.iter().map(convert).collect())
            }
            NodeKind::Scalar(s) => match s.resolve() {
                Resolved::Null => serde_json::Value::Null,
                Resolved::Bool(b) => serde_json::Value::Bool(b),
                // Values in the table are names: keep numbers as written (`500`).
                _ => serde_json::Value::String(s.text.to_string()),
            },
        }
    }
    convert(root)
}

/// Glob matching with `*` only. Called for every pattern of the signals table on every selector
/// of every alert, so it walks the pattern without collecting its parts.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let Some((first, after_first)) = pattern.split_once('*') else {
        return pattern == text;
    };
    let (middle, last) = after_first.rsplit_once('*').unwrap_or(("", after_first));
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    // With a single `*` there is no middle, not even an empty part.
    if after_first.contains('*') {
        for part in middle.split('*') {
            match rest.find(part) {
                Some(i) => rest = &rest[i + part.len()..],
                None => return false,
            }
        }
    }
    true
}

impl Pattern {
    pub fn matches(&self, selector: &Selector) -> bool {
        let Some(metric) = selector.metric.as_deref() else {
            return false;
        };
        if !glob_match(&self.metric, metric) {
            return false;
        }
        if let Some(f) = &self.function
            && !selector.functions.iter().any(|g| g == f)
        {
            return false;
        }
        if let Some(label) = &self.label {
            let value = self.value.as_deref().unwrap_or_default();
            let names: Vec<&str> = label.split('|').collect();
            let ok = selector.matchers.iter().any(|m| {
                names.contains(&m.name.as_str()) && m.requires_label() && m.accepts(value)
            });
            if !ok {
                return false;
            }
        }
        true
    }
}

/// A signal an alert has, with the selectors (and the pattern each matched) that carry it.
#[derive(Clone, Debug)]
pub struct AlertSignal {
    pub name: String,
    /// (selector index in the expression, pattern) pairs.
    pub matches: Vec<(usize, Arc<Pattern>)>,
}

/// The signals of an expression under `table`.
pub fn signals_of(expr: &Expression, table: &[Signal]) -> Vec<AlertSignal> {
    let mut out = Vec::new();
    for signal in table {
        let mut matches = Vec::new();
        let mut all_ok = true;
        for p in &signal.all {
            let found: Vec<usize> = (0..expr.selectors.len())
                .filter(|&i| p.matches(&expr.selectors[i]))
                .collect();
            if found.is_empty() {
                all_ok = false;
                break;
            }
            matches.extend(found.into_iter().map(|i| (i, Arc::clone(p))));
        }
        if !all_ok || (signal.all.is_empty() && signal.any.is_empty()) {
            continue;
        }
        let mut any_found = signal.any.is_empty();
        for p in &signal.any {
            for (i, s) in expr.selectors.iter().enumerate() {
                if p.matches(s) {
                    any_found = true;
                    matches.push((i, Arc::clone(p)));
                }
            }
        }
        if any_found {
            out.push(AlertSignal {
                name: signal.name.clone(),
                matches,
            });
        }
    }
    out
}

/// Labels that scope an alert to objects. Other labels (`reason`, `resource`, `le`...) filter
/// series without naming an object.
pub const SCOPE_LABELS: &[&str] = &[
    "namespace",
    "deployment",
    "statefulset",
    "daemonset",
    "horizontalpodautoscaler",
    "persistentvolumeclaim",
    "pod",
    "container",
    "job",
    "service",
];

/// What an alert may be about: a workload, an HPA or a PVC, described by the label values its
/// series carry.
#[derive(Clone, Debug)]
pub struct Subject {
    pub kind: String,
    pub namespace: String,
    /// Label -> the values the subject's series may carry (a workload has several containers,
    /// and may be scraped under several jobs). A label absent here has the empty value.
    pub labels: Vec<(&'static str, Vec<String>)>,
    /// Whether some ServiceMonitor or PodMonitor scrapes it (so it has `Target` series).
    pub scraped: bool,
    /// The alerts that may cover it, whatever the signal: found on the first coverage question
    /// (see `Alerting::covering`) and reused for the next signals.
    pub candidates: std::cell::OnceCell<Vec<usize>>,
}

impl Subject {
    fn values(&self, label: &str) -> &[String] {
        self.labels
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, v)| v.as_slice())
            .unwrap_or_default()
    }

    /// Whether `selector`, recognised by `pattern`, can select series about this subject.
    pub fn in_scope(&self, selector: &Selector, pattern: &Pattern) -> bool {
        // A pattern without kinds is about pods and containers: it covers pod-bearing objects,
        // not HPAs or claims.
        let applies = if pattern.kinds.is_empty() {
            crate::model::kinds::POD_BEARING.contains(&self.kind.as_str())
        } else {
            pattern.kinds.contains(&self.kind)
        };
        if !applies {
            return false;
        }
        if pattern.source == Source::Target && !self.scraped {
            return false;
        }
        selector.matchers.iter().all(|m| {
            if !SCOPE_LABELS.contains(&m.name.as_str()) {
                return true;
            }
            if pattern.source == Source::Exporter && matches!(m.name.as_str(), "job" | "service") {
                return true;
            }
            if m.name == "namespace" {
                return m.accepts(&self.namespace);
            }
            let values = self.values(&m.name);
            if values.is_empty() {
                m.accepts("")
            } else {
                values.iter().any(|v| m.accepts(v))
            }
        })
    }

    /// Whether an alert with `signal` covers this subject.
    pub fn covered_by(&self, expr: &Expression, signal: &AlertSignal) -> bool {
        signal
            .matches
            .iter()
            .any(|(i, p)| self.in_scope(&expr.selectors[*i], p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::promql::analyze;

    fn names(expr: &str) -> Vec<String> {
        signals_of(&analyze(expr).unwrap(), default_signals())
            .into_iter()
            .map(|s| s.name)
            .collect()
    }

    #[test]
    fn default_table_parses_and_recognises_the_seed_alerts() {
        assert_eq!(names("up{job=\"x\"} == 0"), ["availability"]);
        assert_eq!(
            names(
                "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5"
            ),
            ["latency"]
        );
        assert_eq!(
            names(
                "sum(rate(http_requests_total{status=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m])) > 0.1"
            ),
            ["error-rate"]
        );
        assert!(names("sum(rate(http_requests_total{status=~\"2..\"}[5m])) > 1").is_empty());
        assert_eq!(
            names(
                "kube_horizontalpodautoscaler_status_current_replicas >= kube_horizontalpodautoscaler_spec_max_replicas"
            ),
            ["hpa-max"]
        );
        assert!(names("kube_horizontalpodautoscaler_status_current_replicas > 3").is_empty());
        assert_eq!(
            names(
                "kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.1"
            ),
            ["storage"]
        );
    }

    #[test]
    fn globs() {
        assert!(glob_match("*_bucket", "a_bucket"));
        assert!(glob_match(
            "kubelet_volume_stats_*",
            "kubelet_volume_stats_used_bytes"
        ));
        assert!(glob_match(
            "*:container_cpu_usage_seconds_total:*",
            "node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate"
        ));
        assert!(!glob_match("*_bucket", "bucket"));
        assert!(glob_match("up", "up"));
        assert!(glob_match("a**b", "ab"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*a", "aba"));
        assert!(!glob_match("a*b*a", "aab"));
        assert!(!glob_match("a*a", "a"));
    }

    proptest::proptest! {
        /// The glob means what the same pattern means as an anchored regex with `.*` for `*`.
        #[test]
        fn globs_match_like_the_regex_they_stand_for(
            pattern in "[ab*]{0,6}",
            text in "[ab]{0,8}",
        ) {
            let regex = format!(
                "^{}$",
                pattern.split('*').map(regex::escape).collect::<Vec<_>>().join(".*")
            );
            let expected = regex::Regex::new(&regex).unwrap().is_match(&text);
            proptest::prop_assert_eq!(glob_match(&pattern, &text), expected);
        }
    }
}
