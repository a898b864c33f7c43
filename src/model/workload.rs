//! Facts about replicated workloads: how many replicas they ask for, which kinds have them, and
//! which autoscalers own the count.

use crate::load::tree::Node;
use crate::model::{Index, Object};

/// Kinds that run a number of identical pods set by `spec.replicas`.
pub const REPLICATED_KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "ReplicaSet",
    "ReplicationController",
    "Rollout",
    "DeploymentConfig",
];

/// The replica count a workload asks for, and the `replicas` value node when it is written.
/// A missing (or null) `replicas` means 1, as the API server defaults it; `None` when the value
/// is not an integer (schema validation reports that).
pub fn replicas<'a, 's>(object: &'a Object<'s>) -> Option<(i64, Option<&'a Node<'s>>)> {
    match object.root.path(&["spec", "replicas"]) {
        None => Some((1, None)),
        Some(node) => node.as_i64().map(|n| (n, Some(node))),
    }
}

/// The autoscalers that own a workload's replica count: the HorizontalPodAutoscalers of the
/// input that target it, and KEDA ScaledObjects (which create their HPA in the cluster) whose
/// `scaleTargetRef` names it (`kind` defaults to Deployment).
pub fn autoscalers<'a, 's>(index: &'a Index<'s>, object: &Object<'_>) -> Vec<&'a Object<'s>> {
    let mut out: Vec<&Object<'s>> = Index::related(&index.relations().hpas_of, object.id)
        .iter()
        .map(|id| index.get(*id))
        .collect();
    if let Some(ns) = object.namespace.as_deref() {
        out.extend(
            index
                .in_namespace(ns, "keda.sh", "ScaledObject")
                .filter(|so| {
                    let target = so.root.path(&["spec", "scaleTargetRef"]);
                    let name = target.and_then(|t| t.get("name")).and_then(Node::as_str);
                    let kind = target
                        .and_then(|t| t.get("kind"))
                        .and_then(Node::as_str)
                        .unwrap_or("Deployment");
                    name == Some(&*object.name) && kind == object.kind
                }),
        );
    }
    out
}
