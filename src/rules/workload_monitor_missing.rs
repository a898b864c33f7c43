//! `workload-monitor-missing`: a workload exposes a metrics port that nothing scrapes.

use crate::load::tree::Node;
use crate::model::Object;
use crate::model::alerts::WATCHED_WORKLOADS;
use crate::model::pod::PodTemplate;
use crate::model::signals::glob_match;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a Deployment, StatefulSet or DaemonSet with a container port named like a
    /// metrics port (`metrics`, `http-metrics`...) that no `ServiceMonitor` (through a Service
    /// selecting its pods) and no `PodMonitor` scrapes. It runs only when the input uses
    /// monitors at all: without any, scraping is configured some other way.
    ///
    /// ## Why it matters
    ///
    /// The workload publishes metrics nobody collects: its dashboards are empty and every alert
    /// on its metrics is silent. The seed says every service is monitored.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: worker
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
    ///           ports:
    ///             - name: metrics
    ///               containerPort: 9090
    /// ---
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: PodMonitor
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   podMetricsEndpoints:
    ///     - port: metrics
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: worker
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
    ///           ports:
    ///             - name: metrics
    ///               containerPort: 9090
    /// ---
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: PodMonitor
    /// metadata:
    ///   name: worker
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: worker
    ///   podMetricsEndpoints:
    ///     - port: metrics
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `port_names` (list of globs, default `["*metrics*", "prometheus", "prom"]`): container
    ///   port names that mean "scrape me".
    ///
    /// ```yaml
    /// rules:
    ///   workload-monitor-missing:
    ///     params:
    ///       port_names: ["*metrics*", "telemetry"]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Pods annotated `prometheus.io/scrape: "true"` are taken as scraped by annotation-based
    /// discovery. Scrape configurations outside the operator's CRDs (`additionalScrapeConfigs`)
    /// are not seen; suppress with a reason.
    WorkloadMonitorMissing {
        id: "workload-monitor-missing",
        category: Monitoring,
        severity: Warning,
        enabled: true,
        kinds: WATCHED_WORKLOADS,
        summary: "a workload exposes a metrics port that nothing scrapes",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkloadMonitorMissing {
    pub port_names: Vec<String>,
}

impl Default for WorkloadMonitorMissing {
    fn default() -> Self {
        WorkloadMonitorMissing {
            port_names: vec!["*metrics*".into(), "prometheus".into(), "prom".into()],
        }
    }
}

impl Rule for WorkloadMonitorMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let monitors = &cx.index.alerting().monitors;
        if monitors.is_empty() || monitors.monitors_of(object.id).next().is_some() {
            return;
        }
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        let annotated = pod
            .metadata
            .and_then(|m| m.path(&["annotations", "prometheus.io/scrape"]))
            .and_then(Node::scalar_text)
            == Some("true");
        if annotated {
            return;
        }
        let port = pod.containers().find_map(|c| {
            c.node
                .get("ports")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|p| p.get("name"))
                .find(|n| {
                    n.scalar_text()
                        .is_some_and(|name| self.port_names.iter().any(|g| glob_match(g, name)))
                })
        });
        let Some(port) = port else { return };
        cx.report(
            object,
            port.span(),
            format!(
                "{} `{}` exposes metrics port `{}` but no ServiceMonitor or PodMonitor scrapes it",
                object.kind,
                object.name,
                port.scalar_text().unwrap_or("")
            ),
        )
        .help("add a ServiceMonitor selecting a Service of these pods, or a PodMonitor selecting the pods");
    }
}
