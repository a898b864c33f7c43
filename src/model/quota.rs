//! Resource amounts of pods as the quota admission counts them (on top of the defaulting in
//! [`crate::model::resources`]), and a view of ResourceQuota `hard` figures for cpu and memory.

use crate::load::tree::Node;
use crate::model::pod::{Container, ContainerKind, PodTemplate};
use crate::model::quantity::Quantity;
use crate::model::resources::{Bound, Resource, ResourceKey, effective};
use crate::model::{Index, Object};

/// A container's request or limit of `resource` once Kubernetes has defaulted it: written,
/// else (for a request) its own limit, else a LimitRange default of its namespace.
pub fn container_amount(
    index: &Index<'_>,
    container: &Container<'_, '_>,
    bound: Bound,
    resource: Resource,
) -> Option<Quantity> {
    effective(index, container, ResourceKey::new(bound, resource), true)?.quantity()
}

/// Whether an init container keeps running beside the app containers (a sidecar).
fn is_sidecar(container: &Container<'_, '_>) -> bool {
    container.kind == ContainerKind::Init
        && container.get("restartPolicy").and_then(Node::as_str) == Some("Always")
}

/// A pod's effective amount of `resource`, as the scheduler and quota count it: the sum over
/// app containers and sidecars, or the largest init container if that is more. Containers left
/// without a value after defaulting count as zero.
pub fn pod_amount(
    index: &Index<'_>,
    pod: &PodTemplate<'_, '_>,
    bound: Bound,
    resource: Resource,
) -> Quantity {
    pod_amount_by(pod, |c| container_amount(index, c, bound, resource))
}

/// [`pod_amount`] with each container's amount given by `amount` (to apply what an autoscaler
/// may set instead of what is written).
pub fn pod_amount_by(
    pod: &PodTemplate<'_, '_>,
    amount: impl Fn(&Container<'_, '_>) -> Option<Quantity>,
) -> Quantity {
    let mut running = Quantity(0);
    let mut init_max = Quantity(0);
    for c in pod.containers() {
        let amount = amount(&c).unwrap_or(Quantity(0));
        match c.kind {
            ContainerKind::Regular => running = running.checked_add(amount).unwrap_or(running),
            ContainerKind::Init if is_sidecar(&c) => {
                running = running.checked_add(amount).unwrap_or(running)
            }
            ContainerKind::Init => init_max = init_max.max(amount),
            ContainerKind::Ephemeral => {}
        }
    }
    running.max(init_max)
}

/// One `hard` figure of a quota on cpu or memory requests or limits.
#[derive(Clone, Debug)]
pub struct HardFigure<'a, 's> {
    pub bound: Bound,
    pub resource: Resource,
    pub amount: Quantity,
    /// The key as written (`requests.cpu`, `cpu`...).
    pub key: &'a str,
    pub node: &'a Node<'s>,
}

/// A ResourceQuota.
#[derive(Clone, Copy, Debug)]
pub struct ResourceQuota<'a, 's> {
    pub object: &'a Object<'s>,
    pub spec: &'a Node<'s>,
}

impl<'a, 's> ResourceQuota<'a, 's> {
    pub fn of(object: &'a Object<'s>) -> Option<Self> {
        if !object.is("", "ResourceQuota") {
            return None;
        }
        let spec = object.spec()?;
        spec.as_mapping()?;
        Some(ResourceQuota { object, spec })
    }

    /// Whether the quota counts only some pods (`scopes`, `scopeSelector`).
    pub fn is_scoped(&self) -> bool {
        self.spec
            .get("scopes")
            .is_some_and(|n| !n.items().is_empty())
            || self.spec.get("scopeSelector").is_some_and(|n| !n.is_null())
    }

    /// The cpu and memory figures of `hard` (`cpu` and `memory` alone mean requests).
    pub fn hard(&self) -> Vec<HardFigure<'a, 's>> {
        let mut out = Vec::new();
        for e in self.spec.get("hard").map(Node::entries).unwrap_or_default() {
            let Some(key) = e.key.as_str() else { continue };
            let (bound, resource) = match key {
                "cpu" | "requests.cpu" => (Bound::Requests, Resource::Cpu),
                "memory" | "requests.memory" => (Bound::Requests, Resource::Memory),
                "limits.cpu" => (Bound::Limits, Resource::Cpu),
                "limits.memory" => (Bound::Limits, Resource::Memory),
                _ => continue,
            };
            let Some(Ok(amount)) = Quantity::from_node(&e.value) else {
                continue;
            };
            out.push(HardFigure {
                bound,
                resource,
                amount,
                key,
                node: &e.value,
            });
        }
        out
    }
}
