//! `pdb-selects-nothing`: a PodDisruptionBudget selects no pod template of its namespace.

use crate::model::pdb::Pdb;
use crate::model::relations::pod_selector;
use crate::model::service::operator_pod_source;
use crate::model::{Index, Object};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a PodDisruptionBudget whose `selector` (`matchLabels` and `matchExpressions`)
    /// matches no pod template of any workload in its namespace, or that has no selector (a
    /// `policy/v1` budget with a null selector selects no pod).
    ///
    /// As for `service-selects-nothing`, a custom resource in the namespace from which an operator
    /// creates matching pods counts as their source: the Prometheus operator's `Prometheus`,
    /// `Alertmanager`, `ThanosRuler` and `PrometheusAgent`, whose pods carry their
    /// `spec.podMetadata.labels` and the labels the operator sets (`app.kubernetes.io/name:
    /// prometheus`, `app.kubernetes.io/instance: <name>`, `prometheus: <name>`...), and any other
    /// custom resource with `spec.podMetadata.labels`. Other custom resources (a ServiceMonitor
    /// named like the release) never count, nor does any resource for a selector that requires no
    /// label to be present (`{}`, or only `NotIn` and `DoesNotExist`). So the budgets and policies
    /// kube-prometheus writes for its `Prometheus` and `Alertmanager` resources are not reported.
    ///
    /// ## Why it matters
    ///
    /// A budget that selects nothing protects nothing, silently: drains evict the workload's
    /// pods all at once while the manifest suggests otherwise. The usual causes are a label
    /// renamed in the workload but not in the budget, a selector copied from another chart,
    /// or a budget in the wrong namespace. No peer linter checks this.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 3
    ///   selector:
    ///     matchLabels: {app.kubernetes.io/name: web}
    ///   template:
    ///     metadata:
    ///       labels: {app.kubernetes.io/name: web}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ---
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   maxUnavailable: 1
    ///   selector:
    ///     matchLabels: {app: web}
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 3
    ///   selector:
    ///     matchLabels: {app.kubernetes.io/name: web}
    ///   template:
    ///     metadata:
    ///       labels: {app.kubernetes.io/name: web}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ---
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   maxUnavailable: 1
    ///   selector:
    ///     matchLabels: {app.kubernetes.io/name: web}
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Only pod templates and operator resources in the input count: lint a budget together
    /// with its workloads. An operator that labels its pods otherwise than the convention
    /// above (a database operator's StatefulSets) is not seen; suppress the finding for
    /// budgets meant for its pods.
    PdbSelectsNothing {
        id: "pdb-selects-nothing",
        category: Reliability,
        severity: Warning,
        enabled: true,
        kinds: &["PodDisruptionBudget"],
        summary: "a pod disruption budget selects no pods",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdbSelectsNothing {}

impl Rule for PdbSelectsNothing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pdb) = Pdb::of(object) else { return };
        let Some(ns) = object.namespace.as_deref() else {
            return;
        };
        let span = pdb.selector_span();
        let Some(selector) = pod_selector(object) else {
            if pdb.spec.get("selector").is_none_or(|n| n.is_null()) {
                cx.report(
                    object,
                    span,
                    "PodDisruptionBudget has no selector: it covers no pod",
                )
                .help("add a `selector` matching the labels of the workload's pod template");
            }
            return;
        };
        if !Index::related(&cx.index.relations().pdb_pods, object.id).is_empty()
            || operator_pod_source(cx.index, ns, &selector).is_some()
        {
            return;
        }
        let shown = if selector.is_empty() {
            "{}".to_string()
        } else {
            selector.to_string()
        };
        cx.report(
            object,
            span,
            format!("selector `{shown}` matches no pod template in namespace `{ns}`"),
        )
        .help("match the labels of the workload's pod template (`spec.template.metadata.labels`)");
    }
}
