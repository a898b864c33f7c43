//! `alert-severity-missing`: an alert has no `severity` label, or one outside the known set.

use crate::model::Object;
use crate::model::alerts::alert_items;
use crate::model::kinds::PROMETHEUS_RULES;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports an alerting rule without a `severity` label, or whose `severity` is not one of
    /// the configured values (by default `critical`, `warning`, `info` and `none`).
    ///
    /// ## Why it matters
    ///
    /// Alertmanager routes on `severity`: an alert without it, or with a value no route knows
    /// (`crit`, `P1`), falls through to the default receiver, so a critical page may land in a
    /// channel nobody watches. The seed's production alerts are meant to page by severity.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: PrometheusRule
    /// metadata:
    ///   name: web
    /// spec:
    ///   groups:
    ///     - name: web
    ///       rules:
    ///         - alert: WebDown
    ///           expr: up{job="web"} == 0
    ///           for: 1m
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: PrometheusRule
    /// metadata:
    ///   name: web
    /// spec:
    ///   groups:
    ///     - name: web
    ///       rules:
    ///         - alert: WebDown
    ///           expr: up{job="web"} == 0
    ///           for: 1m
    ///           labels:
    ///             severity: critical
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `severities` (list, default `[critical, warning, info, none]`): the values your
    ///   Alertmanager routes. `none` is what kube-prometheus gives alerts that must never page
    ///   (`Watchdog`, `InfoInhibitor`).
    ///
    /// ```yaml
    /// rules:
    ///   alert-severity-missing:
    ///     params:
    ///       severities: [page, ticket]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// The label may be added later by Prometheus' `external_labels` or an Alertmanager
    /// relabeling, which the linter does not see.
    AlertSeverityMissing {
        id: "alert-severity-missing",
        category: Monitoring,
        severity: Warning,
        enabled: true,
        kinds: PROMETHEUS_RULES,
        summary: "an alert has no `severity` label, or one outside the known set",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertSeverityMissing {
    pub severities: Vec<String>,
}

impl Default for AlertSeverityMissing {
    fn default() -> Self {
        AlertSeverityMissing {
            severities: ["critical", "warning", "info", "none"]
                .map(String::from)
                .to_vec(),
        }
    }
}

impl Rule for AlertSeverityMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let known = || {
            self.severities
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for item in alert_items(object) {
            let name = item.name();
            match item.label("severity") {
                None => {
                    let span = item
                        .node
                        .entry("labels")
                        .map_or(item.anchor(), |e| e.key.span());
                    cx.report(
                        object,
                        span,
                        format!("alert `{name}` has no `severity` label"),
                    )
                    .help(format!(
                        "add `labels: {{severity: ...}}` with one of {}",
                        known()
                    ));
                }
                Some(value) => {
                    let v = value.scalar_text().unwrap_or("");
                    if !self.severities.iter().any(|s| s == v) {
                        cx.report(
                            object,
                            value.span(),
                            format!("alert `{name}` has severity `{v}`, which no route expects"),
                        )
                        .help(format!("use one of {}", known()));
                    }
                }
            }
        }
    }
}
