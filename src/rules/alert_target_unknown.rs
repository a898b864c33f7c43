//! `alert-target-unknown`: an alert names a workload, job or namespace the input does not have.

use crate::model::Object;
use crate::model::kinds::PROMETHEUS_RULES;
use crate::model::promql::{LabelMatcher, MatcherOp};
use crate::model::signals::glob_match;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a label matcher of an alert's expression (`=` or `=~`, regexes anchored as
    /// Prometheus anchors them) on `namespace`, `deployment`, `statefulset`, `daemonset`,
    /// `horizontalpodautoscaler`, `persistentvolumeclaim` or `job` that accepts no namespace,
    /// object or job of the input. Jobs are those the input's ServiceMonitors and PodMonitors
    /// produce (the Service's name or its `jobLabel` label; `<namespace>/<name>` for a
    /// PodMonitor), checked only when the input has monitors.
    ///
    /// ## Why it matters
    ///
    /// A matcher that names nothing makes the alert select no series: it can never fire. A typo
    /// (`job="pake-backend-svc"`), a Service renamed after the rules were written, a namespace
    /// that differs between staging and production: the alert looks fine and stays silent.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: example/web:1.0
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
    ///           expr: kube_deployment_status_replicas_available{namespace="shop", deployment="wbe"} == 0
    ///           for: 5m
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: example/web:1.0
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
    /// ## Parameters
    ///
    /// - `ignore_jobs` (list of globs, default `[]`): jobs scraped by configurations the linter
    ///   does not see (`additionalScrapeConfigs`, the operator's kubelet Service).
    ///
    /// ```yaml
    /// rules:
    ///   alert-target-unknown:
    ///     params:
    ///       ignore_jobs: [kubelet, "kube-*"]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Opt-in: rule sets are often shared across clusters and name workloads another input
    /// deploys. Objects created outside the input (the kubelet's Service, control-plane
    /// components) are unknown to it. Matchers on `pod` and `container` are not checked.
    AlertTargetUnknown {
        id: "alert-target-unknown",
        category: Monitoring,
        severity: Warning,
        enabled: false,
        kinds: PROMETHEUS_RULES,
        summary: "an alert names a workload, job or namespace the input does not have",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertTargetUnknown {
    pub ignore_jobs: Vec<String>,
}

/// Labels naming objects, with the kind they name.
const OBJECT_LABELS: &[(&str, &str)] = &[
    ("deployment", "Deployment"),
    ("statefulset", "StatefulSet"),
    ("daemonset", "DaemonSet"),
    ("horizontalpodautoscaler", "HorizontalPodAutoscaler"),
    ("persistentvolumeclaim", "PersistentVolumeClaim"),
];

impl Rule for AlertTargetUnknown {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let index = cx.index;
        let alerting = index.alerting();
        let source = index.source(object.file);
        let jobs = alerting.monitors.all_jobs();
        for alert in alerting.alerts_of(object.id) {
            let Some(expr) = alert.expression() else {
                continue;
            };
            let mut seen: Vec<String> = Vec::new();
            for selector in &expr.selectors {
                let namespace_ok = |ns: &str| {
                    selector
                        .matchers_on("namespace")
                        .all(|m: &LabelMatcher| m.accepts(ns))
                };
                for m in &selector.matchers {
                    if !matches!(m.op, MatcherOp::Equal | MatcherOp::Regex) || m.value.is_empty() {
                        continue;
                    }
                    let unknown = match m.name.as_str() {
                        "namespace" => (!index.namespaces().iter().any(|ns| m.accepts(ns)))
                            .then(|| "the input has no such namespace".to_string()),
                        "job" => (!alerting.monitors.is_empty()
                            && !jobs.iter().any(|j| m.accepts(j))
                            && !self.ignore_jobs.iter().any(|g| glob_match(g, &m.value)))
                        .then(|| {
                            "no ServiceMonitor or PodMonitor of the input produces that job"
                                .to_string()
                        }),
                        label => {
                            let Some((_, kind)) = OBJECT_LABELS.iter().find(|(l, _)| *l == label)
                            else {
                                continue;
                            };
                            let in_scope =
                                |o: &Object<'_>| namespace_ok(o.namespace.as_deref().unwrap_or(""));
                            // An exact name is looked up; a pattern is tried on the names of
                            // the kind, stopping at the first it accepts.
                            let exists = match m.op {
                                MatcherOp::Equal => index
                                    .named(&m.value)
                                    .any(|o| o.kind == *kind && in_scope(o)),
                                _ => index
                                    .of_kind(kind)
                                    .any(|o| in_scope(o) && m.accepts(&o.name)),
                            };
                            // A StatefulSet's claims are named after its claim templates.
                            let claimed = || {
                                index
                                    .of_kind("StatefulSet")
                                    .filter(|o| in_scope(o))
                                    .any(|sts| {
                                        sts.root
                                            .path(&["spec", "volumeClaimTemplates"])
                                            .map(crate::load::tree::Node::items)
                                            .unwrap_or_default()
                                            .iter()
                                            .filter_map(|t| {
                                                t.path(&["metadata", "name"])
                                                    .and_then(|n| n.scalar_text())
                                            })
                                            .any(|n| m.accepts(&format!("{n}-{}-0", sts.name)))
                                    })
                            };
                            let known = exists || (*kind == "PersistentVolumeClaim" && claimed());
                            (!known).then(|| format!("the input has no such {kind}"))
                        }
                    };
                    let Some(reason) = unknown else { continue };
                    let text = m.to_string();
                    if seen.contains(&text) {
                        continue;
                    }
                    seen.push(text.clone());
                    let span = alert
                        .expr_span
                        .map(|span| {
                            let raw = source.and_then(|s| s.get(span.range())).unwrap_or_default();
                            // The quoted value, else the bare value, else the expression.
                            let at = [format!("\"{}\"", m.value), format!("'{}'", m.value)]
                                .iter()
                                .find_map(|q| raw.find(q.as_str()).map(|i| i + 1))
                                .or_else(|| raw.find(&m.value));
                            match at {
                                Some(i) => crate::load::tree::Span::new(
                                    span.start + i as u32,
                                    span.start + (i + m.value.len()) as u32,
                                ),
                                None => span,
                            }
                        })
                        .unwrap_or(alert.span);
                    cx.report(
                        object,
                        span,
                        format!(
                            "alert `{}` selects `{text}`, but {reason}: it can never fire",
                            alert.name
                        ),
                    )
                    .help("fix the matcher to name what the input deploys, or suppress if it is deployed elsewhere");
                }
            }
        }
    }
}
