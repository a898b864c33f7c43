//! `alert-expr-invalid`: a Prometheus rule's expression does not parse.

use crate::model::Object;
use crate::model::alerts::rule_items;
use crate::model::kinds::PROMETHEUS_RULES;
use crate::model::promql;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Parses the `expr` of every alerting and recording rule, in `PrometheusRule` objects
    /// (`spec.groups[].rules[]`) and in plain Prometheus rule files (a top-level `groups:`
    /// document), as PromQL, and reports the ones that do not parse. The finding points at the
    /// place in the expression where the parser stopped when it can be found, on the right line
    /// of a multi-line block scalar (`expr: |`), and at the whole expression otherwise.
    ///
    /// ## Why it matters
    ///
    /// The Prometheus operator rejects a `PrometheusRule` with an invalid expression in its
    /// admission webhook, or, without the webhook, Prometheus refuses to load the whole rule
    /// file: every alert of the group stops being evaluated, not only the broken one. The seed's
    /// ten production alerts are only as good as the expressions behind them.
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
    ///         - alert: WebHighErrorRate
    ///           expr: |
    ///             sum(rate(http_requests_total{status=~"5.."}[5m]))
    ///             /
    ///             sum(rat(http_requests_total[5m])) > 0.1
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
    ///         - alert: WebHighErrorRate
    ///           expr: |
    ///             sum(rate(http_requests_total{status=~"5.."}[5m]))
    ///             /
    ///             sum(rate(http_requests_total[5m])) > 0.1
    ///           for: 5m
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
    /// Expressions are parsed with the `promql-parser` crate, which follows Prometheus' grammar
    /// but may lag behind the newest Prometheus releases (experimental functions behind feature
    /// flags). Its errors carry no position: a lexical error is located by lexing ever longer
    /// prefixes, a grammar error that quotes a fragment (`unknown function with name 'rat'`) by
    /// finding that fragment; other grammar errors (`invalid promql query`) point at the whole
    /// expression. Templated expressions (Helm `{{ }}` left unrendered) are reported as invalid.
    AlertExprInvalid {
        id: "alert-expr-invalid",
        category: Monitoring,
        severity: Error,
        enabled: true,
        kinds: PROMETHEUS_RULES,
        summary: "a Prometheus rule's expression does not parse",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertExprInvalid {}

impl Rule for AlertExprInvalid {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let alerting = cx.index.alerting();
        let source = cx.index.source(object.file);
        let mut alerts = alerting.alerts_of(object.id);
        for item in rule_items(object) {
            let alert = if item.is_alert() { alerts.next() } else { None };
            let Some(expr) = item.expr() else { continue };
            let what = if item.is_alert() {
                "alert"
            } else {
                "recording rule"
            };
            // Alerts were parsed once when the alerting model was built; recording rules here.
            let (message, span) = if item.is_alert() {
                let Some(alert) = alert else { continue };
                match &alert.expr {
                    Some(Err(e)) => (e.message.clone(), alert.error_span.unwrap_or(expr.span())),
                    _ => continue,
                }
            } else {
                let Some(text) = expr.scalar_text() else {
                    continue;
                };
                match promql::analyze(text) {
                    Ok(_) => continue,
                    Err(e) => {
                        let span = promql::error_span(source, expr.span(), text, e.at.clone());
                        (e.message, span)
                    }
                }
            };
            cx.report(
                object,
                span,
                format!(
                    "expression of {what} `{}` does not parse: {message}",
                    item.name()
                ),
            )
            .help("fix the PromQL: Prometheus refuses to load the whole rule group");
        }
    }
}
