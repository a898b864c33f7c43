//! `alert-annotations-missing`: an alert lacks a required annotation.

use crate::model::Object;
use crate::model::alerts::alert_items;
use crate::model::kinds::PROMETHEUS_RULES;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports an alerting rule that lacks one of the required annotations (`summary` and
    /// `description` by default; `runbook_url` too with `require_runbook_url`), or has it
    /// empty. One finding per alert names every missing annotation.
    ///
    /// ## Why it matters
    ///
    /// The annotations are what the person paged at night reads: an alert that says only
    /// `PakeHighLatency` leaves them to rediscover what it measures and what to do. The seed's
    /// production alerts each carry a summary, a description and a runbook.
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
    ///           labels:
    ///             severity: critical
    ///           annotations:
    ///             summary: web is down
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
    ///           annotations:
    ///             summary: web is down
    ///             description: No web instance has answered a scrape for a minute.
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `required` (list, default `[summary, description]`): annotations every alert needs.
    /// - `require_runbook_url` (boolean, default `false`): require `runbook_url` too.
    ///
    /// ```yaml
    /// rules:
    ///   alert-annotations-missing:
    ///     params:
    ///       required: [summary, description]
    ///       require_runbook_url: true
    /// ```
    ///
    /// ## Known limitations
    ///
    /// The content of the annotations is not checked (templates that name labels the
    /// expression drops render empty).
    AlertAnnotationsMissing {
        id: "alert-annotations-missing",
        category: Monitoring,
        severity: Warning,
        enabled: true,
        kinds: PROMETHEUS_RULES,
        summary: "an alert lacks a required annotation",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertAnnotationsMissing {
    pub required: Vec<String>,
    pub require_runbook_url: bool,
}

impl Default for AlertAnnotationsMissing {
    fn default() -> Self {
        AlertAnnotationsMissing {
            required: vec!["summary".into(), "description".into()],
            require_runbook_url: false,
        }
    }
}

impl Rule for AlertAnnotationsMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let mut required: Vec<&str> = self.required.iter().map(String::as_str).collect();
        if self.require_runbook_url && !required.contains(&"runbook_url") {
            required.push("runbook_url");
        }
        for item in alert_items(object) {
            let annotations = item.get("annotations");
            let missing: Vec<&str> = required
                .iter()
                .copied()
                .filter(|key| {
                    annotations
                        .and_then(|a| a.get(key))
                        .and_then(|v| v.scalar_text())
                        .is_none_or(|v| v.trim().is_empty())
                })
                .collect();
            if missing.is_empty() {
                continue;
            }
            let span = item
                .node
                .entry("annotations")
                .map_or(item.anchor(), |e| e.key.span());
            let quoted: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
            let list = match quoted.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("{} and {last} annotations", rest.join(", "))
                }
                _ => format!("{} annotation", quoted.join("")),
            };
            cx.report(
                object,
                span,
                format!("alert `{}` lacks the {list}", item.name()),
            )
            .help("say what the alert means and what to do about it, for whoever is paged");
        }
    }
}
