//! `alert-for-missing`: an alert fires on a single evaluation, with no `for` or `for: 0s`.

use crate::model::Object;
use crate::model::alerts::alert_items;
use crate::model::kinds::PROMETHEUS_RULES;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports an alerting rule with no `for`, or with a `for` of zero (`0s`, `0m`).
    ///
    /// ## Why it matters
    ///
    /// Without `for`, an alert fires the first time its expression is true: one failed scrape,
    /// one slow request burst, one restart during a rollout pages someone. The seed's production
    /// alerts all carry a duration ("down for over a minute", "p95 over 500ms for 5 minutes",
    /// "CPU over 80% for 10 minutes").
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
    ///           labels:
    ///             severity: critical
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
    /// - `allow` (list of alert names, default `[Watchdog, InfoInhibitor]`): alerts meant to
    ///   fire at once or always, like kube-prometheus' dead man's switch `Watchdog` and its
    ///   `InfoInhibitor`.
    ///
    /// ```yaml
    /// rules:
    ///   alert-for-missing:
    ///     params:
    ///       allow: [Watchdog, InfoInhibitor, DeadMansSwitch]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Some alerts are right to fire at once (a certificate already expired, a job that failed):
    /// suppress those with a reason, or add them to `allow`.
    AlertForMissing {
        id: "alert-for-missing",
        category: Monitoring,
        severity: Warning,
        enabled: true,
        kinds: PROMETHEUS_RULES,
        summary: "an alert fires on a single evaluation, with no `for` or `for: 0s`",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertForMissing {
    pub allow: Vec<String>,
}

impl Default for AlertForMissing {
    fn default() -> Self {
        AlertForMissing {
            allow: vec!["Watchdog".into(), "InfoInhibitor".into()],
        }
    }
}

/// `0`, `0s`, `0m0s`...: a duration of zero.
fn is_zero(text: &str) -> bool {
    let t = text.trim();
    t.contains('0') && t.chars().all(|c| c == '0' || c.is_ascii_alphabetic())
}

impl Rule for AlertForMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        for item in alert_items(object) {
            let name = item.name();
            if self.allow.iter().any(|a| a == name) {
                continue;
            }
            match item.get("for") {
                None => {
                    cx.report(
                        object,
                        item.anchor(),
                        format!("alert `{name}` has no `for`: it fires on a single evaluation"),
                    )
                    .help("add `for:` with how long the condition must hold before paging (`for: 5m`)");
                }
                Some(value) if value.scalar_text().is_some_and(is_zero) => {
                    cx.report(
                        object,
                        value.span(),
                        format!(
                            "alert `{name}` has `for: {}`: it fires on a single evaluation",
                            value.scalar_text().unwrap_or("")
                        ),
                    )
                    .help("set how long the condition must hold before paging (`for: 5m`)");
                }
                Some(_) => {}
            }
        }
    }
}
