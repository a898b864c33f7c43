//! `service-monitor-selects-nothing`: a ServiceMonitor or PodMonitor scrapes nothing.

use crate::model::Object;
use crate::model::monitors::MONITOR_KINDS;
use crate::rules::{Cx, Rule, listed};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a `ServiceMonitor` whose selector matches no Service, or a `PodMonitor` whose
    /// selector matches no pod, in the namespaces it looks in (its own; `namespaceSelector`'s
    /// `matchNames`; every namespace of the input with `any: true`). For a monitor that does
    /// select something, reports each endpoint `port` that none of the selected Services (or
    /// none of the selected pods' containers) names.
    ///
    /// ## Why it matters
    ///
    /// The Prometheus operator accepts such a monitor silently: no target appears, `up` has no
    /// series, and every alert written as `up == 0` stays quiet while the service is down. A
    /// label renamed on the Service, or a port named `http-metrics` on one side and `metrics`
    /// on the other, is enough. The seed says every service is monitored.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - name: http
    ///       port: 80
    /// ---
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: ServiceMonitor
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   endpoints:
    ///     - port: metrics
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - name: http
    ///       port: 80
    ///     - name: metrics
    ///       port: 9090
    /// ---
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: ServiceMonitor
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   endpoints:
    ///     - port: metrics
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// A monitor that looks only in namespaces where the input defines no Service (no pods,
    /// for a PodMonitor) is not reported: what it scrapes is deployed elsewhere
    /// (kube-prometheus' monitors for the kubelet and `kube-system`, created by the operator
    /// or the cluster installer).
    /// Endpoints that use `targetPort` instead of `port` are not checked.
    ServiceMonitorSelectsNothing {
        id: "service-monitor-selects-nothing",
        category: Monitoring,
        severity: Warning,
        enabled: true,
        kinds: MONITOR_KINDS,
        summary: "a ServiceMonitor or PodMonitor scrapes nothing",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceMonitorSelectsNothing {}

impl Rule for ServiceMonitorSelectsNothing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let index = cx.index;
        let Some(monitor) = index.alerting().monitors.of_object(object.id) else {
            return;
        };
        if !monitor.judged {
            return;
        }
        let (what, where_) = if monitor.pod_monitor {
            ("pod", "container port")
        } else {
            ("Service", "Service port")
        };
        if monitor.selected.is_empty() && !monitor.selects_builtin {
            let place = if monitor.any_namespace {
                "any namespace".to_string()
            } else {
                let list: Vec<String> = monitor
                    .namespaces
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect();
                let noun = if list.len() == 1 {
                    "namespace"
                } else {
                    "namespaces"
                };
                format!("{noun} {}", list.join(", "))
            };
            cx.report(
                object,
                monitor.selector_span,
                format!(
                    "{} `{}` selects no {what} in {place}",
                    object.kind, object.name
                ),
            )
            .help(format!(
                "make the selector match the labels of the {what}s to scrape, or set `namespaceSelector`"
            ));
            return;
        }
        for port in &monitor.ports {
            if monitor.available_ports.contains(&port.name) {
                continue;
            }
            let available = if monitor.available_ports.is_empty() {
                format!("they name no {where_}")
            } else {
                format!(
                    "they have {}",
                    listed(monitor.available_ports.iter().map(|p| format!("`{p}`")))
                )
            };
            let report = cx
                .report(
                    object,
                    port.span,
                    format!(
                        "no selected {what} has a {where_} named `{}`: {available}",
                        port.name
                    ),
                )
                .help(format!(
                    "name the {where_} `{}`, or scrape one that exists",
                    port.name
                ));
            if let Some(first) = monitor.selected.first() {
                let other = index.get(*first);
                report.related(
                    other,
                    other.anchor(),
                    format!("{} `{}` is selected", other.kind, other.name),
                );
            }
        }
    }
}
