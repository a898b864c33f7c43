//! `alert-name-duplicate`: the same alert is defined twice, with the same name and labels.

use crate::model::Object;
use crate::model::kinds::PROMETHEUS_RULES;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports an alerting rule whose name and labels are those of an alert defined earlier in
    /// the input (in the same object or another `PrometheusRule` or rule file). The finding is
    /// on the later definition, with the first one as a related location.
    ///
    /// ## Why it matters
    ///
    /// Prometheus evaluates both: when both fire, Alertmanager receives two alerts with the same
    /// identity from different expressions and thresholds, and whichever was evaluated last
    /// wins. It is usually a copy-paste left behind, or the same rules deployed by two charts.
    /// Alerts with the same name but different labels (a `warning` and a `critical` threshold)
    /// are the usual pattern and are not reported.
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
    ///         - alert: WebDown
    ///           expr: absent(up{job="web"})
    ///           for: 5m
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
    ///           expr: up{job="web"} == 0 or absent(up{job="web"})
    ///           for: 1m
    ///           labels:
    ///             severity: critical
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Labels are compared as written; labels added by the expression or by external labels are
    /// not considered. Rules meant for different Prometheus instances (selected by
    /// `ruleSelector`) may legitimately repeat an alert: suppress the finding there.
    AlertNameDuplicate {
        id: "alert-name-duplicate",
        category: Monitoring,
        severity: Warning,
        enabled: true,
        kinds: PROMETHEUS_RULES,
        summary: "the same alert is defined twice, with the same name and labels",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertNameDuplicate {}

impl Rule for AlertNameDuplicate {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let alerting = cx.index.alerting();
        for alert in alerting.alerts_of(object.id) {
            let Some(first) = alerting.first_like(alert) else {
                continue;
            };
            if std::ptr::eq(first, alert) {
                continue;
            }
            let other = cx.index.get(first.object);
            let labels = if alert.labels.is_empty() {
                "no labels".to_string()
            } else {
                let pairs: Vec<String> = alert
                    .labels
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                format!("the same labels (`{}`)", pairs.join(","))
            };
            cx.report(
                object,
                alert.span,
                format!("alert `{}` is defined again with {labels}", alert.name),
            )
            .help("remove one definition, or tell them apart with a label (`severity`)")
            .related(other, first.span, "first defined here");
        }
    }
}
