//! Reverse lookups between objects, computed once when the index is built so that rules never
//! scan all objects: which HPAs and VPAs target a workload, which PDBs, NetworkPolicies and
//! Services select its pods.

use rustc_hash::FxHashMap;

use crate::load::tree::Node;
use crate::model::kinds::group_of;
use crate::model::selector::LabelSelector;
use crate::model::{Index, Labels, Object, ObjectId};

/// A reference by (apiVersion, kind, name) in the referrer's namespace, as HPAs and VPAs write it.
#[derive(Clone, Debug)]
pub struct TargetRef<'a> {
    /// The API group, when an `apiVersion` is given.
    pub group: Option<&'a str>,
    pub kind: &'a str,
    pub name: &'a str,
    /// The reference's node (`scaleTargetRef:` value), for spans.
    pub node: &'a Node<'a>,
}

impl<'a> TargetRef<'a> {
    pub fn parse(node: &'a Node<'a>) -> Option<Self> {
        Some(TargetRef {
            group: node.get("apiVersion").and_then(Node::as_str).map(group_of),
            kind: node.get("kind")?.as_str()?,
            name: node.get("name")?.as_str()?,
            node,
        })
    }
}

/// Which objects relate to which, by id. Filled by [`Relations::build`].
#[derive(Debug, Default)]
pub struct Relations {
    /// HPA -> the workload its `scaleTargetRef` names (when it is in the input).
    pub hpa_target: FxHashMap<ObjectId, ObjectId>,
    /// Workload -> HPAs targeting it.
    pub hpas_of: FxHashMap<ObjectId, Vec<ObjectId>>,
    /// VPA -> the workload its `targetRef` names.
    pub vpa_target: FxHashMap<ObjectId, ObjectId>,
    /// Workload -> VPAs targeting it.
    pub vpas_of: FxHashMap<ObjectId, Vec<ObjectId>>,
    /// PDB -> pod-bearing objects whose pods it selects.
    pub pdb_pods: FxHashMap<ObjectId, Vec<ObjectId>>,
    /// Pod-bearing object -> PDBs selecting its pods.
    pub pdbs_of: FxHashMap<ObjectId, Vec<ObjectId>>,
    /// NetworkPolicy -> pod-bearing objects its `podSelector` selects.
    pub policy_pods: FxHashMap<ObjectId, Vec<ObjectId>>,
    /// Pod-bearing object -> NetworkPolicies selecting its pods.
    pub policies_of: FxHashMap<ObjectId, Vec<ObjectId>>,
    /// Service -> pod-bearing objects its selector selects.
    pub service_pods: FxHashMap<ObjectId, Vec<ObjectId>>,
    /// Pod-bearing object -> Services selecting its pods.
    pub services_of: FxHashMap<ObjectId, Vec<ObjectId>>,
    /// Namespace objects of the input with their labels, the implicit
    /// `kubernetes.io/metadata.name` included, for `namespaceSelector` matching.
    pub namespace_labels: Vec<(ObjectId, Labels)>,
}

/// What one object links to, found by [`Relations::links_of`].
enum Found {
    NamespaceLabels(Labels),
    HpaTarget(ObjectId),
    VpaTarget(ObjectId),
    PdbPods(Vec<ObjectId>),
    PolicyPods(Vec<ObjectId>),
    ServicePods(Vec<ObjectId>),
}

fn link(
    forward: &mut FxHashMap<ObjectId, Vec<ObjectId>>,
    backward: &mut FxHashMap<ObjectId, Vec<ObjectId>>,
    from: ObjectId,
    to: Vec<ObjectId>,
) {
    for t in &to {
        backward.entry(*t).or_default().push(from);
    }
    forward.insert(from, to);
}

/// The selector of a PDB (`spec.selector`), a NetworkPolicy (`spec.podSelector`) or a Service
/// (`spec.selector`, equality only). `None` when the object selects no pods at all: a PDB or
/// Service without a selector, or an unreadable one.
pub fn pod_selector(object: &Object<'_>) -> Option<LabelSelector> {
    let spec = object.spec()?;
    match (object.group, object.kind) {
        ("policy", "PodDisruptionBudget") => {
            LabelSelector::parse(spec.get("selector").filter(|n| !n.is_null())?).ok()
        }
        // An empty podSelector selects every pod of the namespace; a missing one too.
        ("networking.k8s.io", "NetworkPolicy") => {
            match spec.get("podSelector").filter(|n| !n.is_null()) {
                Some(n) => LabelSelector::parse(n).ok(),
                None => Some(LabelSelector {
                    requirements: Vec::new(),
                    span: spec.span(),
                }),
            }
        }
        // A Service with no (or an empty) selector manages no endpoints: it selects nothing.
        ("", "Service") => {
            let selector = spec
                .get("selector")
                .filter(|n| n.as_mapping().is_some_and(|m| !m.is_empty()))?;
            Some(LabelSelector::from_map(selector))
        }
        _ => None,
    }
}

impl Relations {
    pub fn build(index: &Index<'_>) -> Self {
        use rayon::prelude::*;
        // Resolving targets and selecting pods is the work, and each object's links are its
        // own: found on all threads, then recorded in input order, as one loop would.
        let found: Vec<(ObjectId, Found)> = index
            .objects()
            .par_iter()
            .with_min_len(256)
            .filter_map(|object| Some((object.id, Self::links_of(index, object)?)))
            .collect();
        let mut r = Relations::default();
        for (id, links) in found {
            match links {
                Found::NamespaceLabels(labels) => r.namespace_labels.push((id, labels)),
                Found::HpaTarget(target) => {
                    r.hpa_target.insert(id, target);
                    r.hpas_of.entry(target).or_default().push(id);
                }
                Found::VpaTarget(target) => {
                    r.vpa_target.insert(id, target);
                    r.vpas_of.entry(target).or_default().push(id);
                }
                Found::PdbPods(pods) => link(&mut r.pdb_pods, &mut r.pdbs_of, id, pods),
                Found::PolicyPods(pods) => link(&mut r.policy_pods, &mut r.policies_of, id, pods),
                Found::ServicePods(pods) => link(&mut r.service_pods, &mut r.services_of, id, pods),
            }
        }
        r
    }

    fn links_of(index: &Index<'_>, object: &Object<'_>) -> Option<Found> {
        if object.is("", "Namespace") {
            // The API server sets this label to the name, overriding any written value.
            let mut pairs: Vec<(String, String)> = object
                .labels
                .iter()
                .filter(|(k, _)| *k != "kubernetes.io/metadata.name")
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            pairs.push((
                "kubernetes.io/metadata.name".into(),
                object.name.to_string(),
            ));
            return Some(Found::NamespaceLabels(Labels::from_pairs(pairs)));
        }
        let ns = object.namespace.as_deref()?;
        match (object.group, object.kind) {
            ("autoscaling", "HorizontalPodAutoscaler") => {
                target_of(index, object, ns, "scaleTargetRef").map(Found::HpaTarget)
            }
            ("autoscaling.k8s.io", "VerticalPodAutoscaler") => {
                target_of(index, object, ns, "targetRef").map(Found::VpaTarget)
            }
            ("policy", "PodDisruptionBudget")
            | ("networking.k8s.io", "NetworkPolicy")
            | ("", "Service") => {
                let selector = pod_selector(object)?;
                let pods: Vec<ObjectId> = index.select_pods(ns, &selector).map(|o| o.id).collect();
                Some(match object.kind {
                    "PodDisruptionBudget" => Found::PdbPods(pods),
                    "NetworkPolicy" => Found::PolicyPods(pods),
                    _ => Found::ServicePods(pods),
                })
            }
            _ => None,
        }
    }
}

/// The object an autoscaler's `spec.<field>` reference names in its namespace, when the input
/// has it.
fn target_of(index: &Index<'_>, object: &Object<'_>, ns: &str, field: &str) -> Option<ObjectId> {
    let target = object
        .root
        .path(&["spec", field])
        .and_then(TargetRef::parse)?;
    Some(index.resolve_target(ns, &target)?.id)
}
