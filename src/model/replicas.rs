//! How many pods a workload runs: its written `replicas` (defaulted as the API does, see
//! [`crate::model::workload`]), and the range an HPA gives it when one manages it.

use crate::load::tree::Node;
use crate::model::hpa::Hpa;
use crate::model::workload::{REPLICATED_KINDS, replicas};
use crate::model::{Index, Object};

/// The `spec.replicas` value as written, with its node.
pub fn spec_replicas<'a, 's>(object: &'a Object<'s>) -> Option<(i64, &'a Node<'s>)> {
    if !REPLICATED_KINDS.contains(&object.kind) {
        return None;
    }
    match replicas(object)? {
        (n, Some(node)) => Some((n, node)),
        (_, None) => None,
    }
}

/// The number of pods the object runs without an autoscaler: `replicas` (default 1) for
/// replicated kinds, 1 for a Pod, `parallelism` (default 1) for a Job or a CronJob's job.
/// `None` when the input does not say (a DaemonSet runs one pod per node; a PodTemplate none).
pub fn static_replicas(object: &Object<'_>) -> Option<i64> {
    let kind = object.kind;
    if REPLICATED_KINDS.contains(&kind) {
        return replicas(object).map(|(n, _)| n);
    }
    let parallelism = |path: &[&str]| object.root.path(path).and_then(Node::as_i64).unwrap_or(1);
    match kind {
        "Pod" => Some(1),
        "Job" => Some(parallelism(&["spec", "parallelism"])),
        "CronJob" => Some(parallelism(&["spec", "jobTemplate", "spec", "parallelism"])),
        _ => None,
    }
}

/// The HPAs of the input that scale `object`.
pub fn hpas_of<'a, 's>(index: &'a Index<'s>, object: &Object<'_>) -> Vec<Hpa<'a, 's>> {
    Index::related(&index.relations().hpas_of, object.id)
        .iter()
        .filter_map(|id| Hpa::of(index.get(*id)))
        .collect()
}

/// The fewest pods the workload runs: the HPA's `minReplicas` (default 1) when an HPA manages
/// it (the smallest, should several), else [`static_replicas`].
pub fn min_replicas(index: &Index<'_>, object: &Object<'_>) -> Option<i64> {
    let hpas = hpas_of(index, object);
    if hpas.is_empty() {
        return static_replicas(object);
    }
    hpas.iter().map(Hpa::effective_min).min()
}

/// The most pods the workload runs: the HPA's `maxReplicas` when an HPA manages it (the
/// largest, should several), else [`static_replicas`].
pub fn max_replicas(index: &Index<'_>, object: &Object<'_>) -> Option<i64> {
    let hpas = hpas_of(index, object);
    if hpas.is_empty() {
        return static_replicas(object);
    }
    hpas.iter()
        .filter_map(|h| h.max_replicas().map(|(v, _)| v))
        .max()
        .or_else(|| static_replicas(object))
}
