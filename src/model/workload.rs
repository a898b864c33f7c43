//! Facts about replicated workloads: how many replicas they ask for, and which kinds have them.

use crate::load::tree::Node;
use crate::model::Object;

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
