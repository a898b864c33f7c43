//! `workload-pdb-missing`: a replicated workload has no PodDisruptionBudget.

use crate::model::replicas::{hpas_of, static_replicas};
use crate::model::workload::REPLICATED_KINDS;
use crate::model::{Index, Object};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a workload that runs two or more replicas (configurable), or that a
    /// HorizontalPodAutoscaler scales, when no PodDisruptionBudget of its namespace selects its
    /// pods. Every replicated kind is checked (Deployment, StatefulSet, ReplicaSet,
    /// ReplicationController, Argo Rollout, OpenShift DeploymentConfig), not only Deployments.
    /// The HPA, if any, is a related location.
    ///
    /// ## Why it matters
    ///
    /// Running several replicas is meant to survive the loss of some. Without a budget, a node
    /// drain (cluster upgrade, autoscaler scale-in) may evict every replica at once, since
    /// the eviction API only waits when a budget says so. The seed pairs each multi-replica
    /// workload with a PodDisruptionBudget.
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
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
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
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
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
    /// ## Parameters
    ///
    /// - `min_replicas` (default `2`, the seed's HPA minimum): workloads with at least this
    ///   many replicas need a budget. Workloads an HPA scales always do.
    ///
    /// ```yaml
    /// rules:
    ///   workload-pdb-missing:
    ///     params: {min_replicas: 3}
    /// ```
    ///
    /// ## Known limitations
    ///
    /// DaemonSets, Jobs and bare Pods are not checked: drains skip DaemonSet pods and batch
    /// pods are usually meant to be interruptible. Budgets outside the input are not seen.
    WorkloadPdbMissing {
        id: "workload-pdb-missing",
        category: Reliability,
        severity: Warning,
        enabled: true,
        kinds: REPLICATED_KINDS,
        summary: "a replicated workload has no pod disruption budget",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkloadPdbMissing {
    pub min_replicas: i64,
}

impl Default for WorkloadPdbMissing {
    fn default() -> Self {
        WorkloadPdbMissing { min_replicas: 2 }
    }
}

impl Rule for WorkloadPdbMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let index = cx.index;
        if !Index::related(&index.relations().pdbs_of, object.id).is_empty() {
            return;
        }
        let hpas = hpas_of(index, object);
        let message = if let Some(hpa) = hpas.first() {
            format!(
                "{} `{}` is scaled by HPA `{}` but no PodDisruptionBudget covers its pods",
                object.kind, object.name, hpa.object.name
            )
        } else {
            match static_replicas(object) {
                Some(n) if n >= self.min_replicas => format!(
                    "{} `{}` runs `{n}` replicas but no PodDisruptionBudget covers its pods",
                    object.kind, object.name
                ),
                _ => return,
            }
        };
        let mut report = cx
            .report(object, object.anchor(), message)
            .help("add a PodDisruptionBudget selecting its pods (`maxUnavailable: 1` suits most workloads)");
        for hpa in &hpas {
            report = report.related(
                hpa.object,
                hpa.object.anchor(),
                format!("HPA `{}` scales it", hpa.object.name),
            );
        }
    }
}
