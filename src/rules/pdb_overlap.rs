//! `pdb-overlap`: a workload's pods are covered by two or more PodDisruptionBudgets.

use crate::model::kinds::POD_BEARING;
use crate::model::{Index, Object};
use crate::rules::{Cx, Rule, listed};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a workload whose pod template is selected by two or more PodDisruptionBudgets
    /// of its namespace. The budgets are related locations; the message names the first ten
    /// and counts the others, as a finding keeps ten related locations at most.
    ///
    /// ## Why it matters
    ///
    /// The eviction API refuses to evict a pod that more than one budget covers ("This pod
    /// has more than one PodDisruptionBudget, which the eviction subresource does not
    /// support"): node drains hang on it until someone deletes the pod by hand. Overlaps
    /// usually come from a broad budget (`app.kubernetes.io/part-of`) next to per-component
    /// ones.
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
    ///       labels: {app: web, tier: front}
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
    /// ---
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: front
    /// spec:
    ///   minAvailable: 50%
    ///   selector:
    ///     matchLabels: {tier: front}
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
    ///       labels: {app: web, tier: front}
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
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Only budgets in the input are seen.
    PdbOverlap {
        id: "pdb-overlap",
        category: Reliability,
        severity: Error,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a workload is covered by more than one pod disruption budget",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdbOverlap {}

impl Rule for PdbOverlap {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let index = cx.index;
        let pdbs = Index::related(&index.relations().pdbs_of, object.id);
        if pdbs.len() < 2 {
            return;
        }
        let mut report = cx
            .report(
                object,
                object.anchor(),
                format!(
                    "pods of {} `{}` are covered by {} PodDisruptionBudgets: {}",
                    object.kind,
                    object.name,
                    pdbs.len(),
                    listed(pdbs.iter().map(|id| format!("`{}`", index.get(*id).name)))
                ),
            )
            .help("keep one budget per workload: narrow the broader selector so that it excludes these pods");
        for id in pdbs {
            let pdb = index.get(*id);
            let span = pdb
                .spec()
                .and_then(|s| s.entry("selector"))
                .map_or_else(|| pdb.anchor(), |e| e.key.span());
            report = report.related(
                pdb,
                span,
                format!("PodDisruptionBudget `{}` selects them here", pdb.name),
            );
        }
    }
}
