//! `pdb-blocks-eviction`: a PodDisruptionBudget allows no eviction at all.

use crate::model::pdb::{Budget, Pdb};
use crate::model::replicas::{hpas_of, min_replicas};
use crate::model::{Index, Object};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a PodDisruptionBudget that allows no voluntary disruption: `maxUnavailable: 0`
    /// (or `0%`), or a `minAvailable` (integer or percentage, rounded up as the disruption
    /// controller does) at or above the number of pods it covers. That number is the sum of
    /// the replicas of the workloads it selects, using an HPA's `minReplicas` (default 1) when
    /// an HPA manages the workload, since that is where it sits when load is low. The covered
    /// workloads are related locations. A budget that covers nothing is left to
    /// `pdb-selects-nothing`.
    ///
    /// ## Why it matters
    ///
    /// `kubectl drain` evicts through the eviction API, which refuses while the budget has no
    /// disruption left. With zero allowed, every node drain (cluster upgrade, node autoscaler
    /// scale-in, spot reclaim) hangs on the workload's node until an operator deletes the pod
    /// by hand or the upgrade tool's timeout forces it. The typical case is `minAvailable: 1`
    /// on a single-replica database.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: db
    /// spec:
    ///   replicas: 1
    ///   serviceName: db
    ///   selector:
    ///     matchLabels: {app: db}
    ///   template:
    ///     metadata:
    ///       labels: {app: db}
    ///     spec:
    ///       containers:
    ///         - name: db
    ///           image: postgres:16.4
    /// ---
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: db
    /// spec:
    ///   minAvailable: 1
    ///   selector:
    ///     matchLabels: {app: db}
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: db
    /// spec:
    ///   replicas: 3
    ///   serviceName: db
    ///   selector:
    ///     matchLabels: {app: db}
    ///   template:
    ///     metadata:
    ///       labels: {app: db}
    ///     spec:
    ///       containers:
    ///         - name: db
    ///           image: postgres:16.4
    /// ---
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: db
    /// spec:
    ///   maxUnavailable: 1
    ///   selector:
    ///     matchLabels: {app: db}
    /// ```
    ///
    /// A single-replica workload that must never be evicted blindly is better served by no
    /// budget and a documented maintenance procedure, or by running more replicas.
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Pods of DaemonSets and of workloads whose replica count is unknown make the count
    /// unknown: only `maxUnavailable: 0` is then reported. Unhealthy pods, which the
    /// `unhealthyPodEvictionPolicy` may let go, are not modelled.
    PdbBlocksEviction {
        id: "pdb-blocks-eviction",
        category: Reliability,
        severity: Warning,
        enabled: true,
        kinds: &["PodDisruptionBudget"],
        summary: "a pod disruption budget allows no eviction, so node drains hang",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdbBlocksEviction {}

impl Rule for PdbBlocksEviction {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pdb) = Pdb::of(object) else { return };
        let Some(budget) = pdb.budget() else { return };
        let index = cx.index;
        let covered = Index::related(&index.relations().pdb_pods, object.id);
        if covered.is_empty() {
            return;
        }
        let workloads: Vec<&Object<'_>> = covered.iter().map(|id| index.get(*id)).collect();
        let help = "allow at least one disruption: `maxUnavailable: 1`, or more replicas than `minAvailable`";
        if let Budget::MaxUnavailable(v, node) = budget
            && v.is_zero()
        {
            let mut report = cx
                .report(
                    object,
                    node.span(),
                    format!("`maxUnavailable: {v}` allows no eviction: node drains hang"),
                )
                .help(help);
            for w in &workloads {
                report =
                    report.related(w, w.anchor(), format!("it covers {} `{}`", w.kind, w.name));
            }
            return;
        }
        let mut total = 0;
        for w in &workloads {
            let Some(n) = min_replicas(index, w) else {
                return;
            };
            total += n;
        }
        if total == 0 || budget.allowed_disruptions(total) > 0 {
            return;
        }
        let pods = if total == 1 { "pod" } else { "pods" };
        let mut report = cx
            .report(
                object,
                budget.node().span(),
                format!(
                    "`{}` with `{total}` {pods} covered allows no eviction: node drains hang",
                    budget.describe()
                ),
            )
            .help(help);
        for w in &workloads {
            let hpa = hpas_of(index, w);
            let (span, message) = match hpa.first() {
                Some(h) => (
                    h.min_replicas()
                        .map_or_else(|| h.object.anchor(), |(_, n)| n.span()),
                    format!(
                        "HPA `{}` scales {} `{}` down to `{}`",
                        h.object.name,
                        w.kind,
                        w.name,
                        h.effective_min()
                    ),
                ),
                None => (
                    w.root
                        .path(&["spec", "replicas"])
                        .map_or_else(|| w.anchor(), |n| n.span()),
                    format!(
                        "{} `{}` runs `{}` {}",
                        w.kind,
                        w.name,
                        min_replicas(index, w).unwrap_or(0),
                        if min_replicas(index, w) == Some(1) {
                            "replica"
                        } else {
                            "replicas"
                        }
                    ),
                ),
            };
            let target = hpa.first().map_or(*w, |h| h.object);
            report = report.related(target, span, message);
        }
    }
}
