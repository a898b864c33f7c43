//! A view of VerticalPodAutoscalers (`autoscaling.k8s.io`): update mode, target and container
//! policies, with the defaults of the VPA's API (`updateMode: Auto`, `controlledResources:
//! [cpu, memory]`).

use crate::load::tree::{Node, Span};
use crate::model::Object;
use crate::model::relations::TargetRef;

/// A container policy of `resourcePolicy.containerPolicies`.
#[derive(Clone, Copy, Debug)]
pub struct ContainerPolicy<'a, 's> {
    pub node: &'a Node<'s>,
}

impl<'a, 's> ContainerPolicy<'a, 's> {
    /// `containerName`; `*` applies to every container without a policy of its own.
    pub fn container_name(&self) -> &'a str {
        self.node
            .get("containerName")
            .and_then(Node::as_str)
            .unwrap_or("*")
    }

    /// `mode: Off` turns the VPA off for the container.
    pub fn is_off(&self) -> bool {
        self.node.get("mode").and_then(Node::as_str) == Some("Off")
    }

    /// Whether the policy lets the VPA change `resource` (`controlledResources`, default both).
    pub fn controls(&self, resource: &str) -> bool {
        match self
            .node
            .get("controlledResources")
            .filter(|n| !n.is_null())
        {
            None => true,
            Some(list) => list.items().iter().any(|n| n.as_str() == Some(resource)),
        }
    }

    pub fn min_allowed(&self) -> Option<&'a Node<'s>> {
        self.node.get("minAllowed").filter(|n| !n.is_null())
    }

    pub fn max_allowed(&self) -> Option<&'a Node<'s>> {
        self.node.get("maxAllowed").filter(|n| !n.is_null())
    }
}

/// A VerticalPodAutoscaler.
#[derive(Clone, Copy, Debug)]
pub struct Vpa<'a, 's> {
    pub object: &'a Object<'s>,
    pub spec: &'a Node<'s>,
}

impl<'a, 's> Vpa<'a, 's> {
    pub fn of(object: &'a Object<'s>) -> Option<Self> {
        if !object.is("autoscaling.k8s.io", "VerticalPodAutoscaler") {
            return None;
        }
        let spec = object.spec()?;
        spec.as_mapping()?;
        Some(Vpa { object, spec })
    }

    pub fn target_node(&self) -> Option<&'a Node<'s>> {
        self.spec.get("targetRef").filter(|n| !n.is_null())
    }

    pub fn target(&self) -> Option<TargetRef<'a>> {
        let node: &'a Node<'a> = self.target_node()?;
        TargetRef::parse(node)
    }

    /// `updatePolicy.updateMode`, defaulted to `Auto` by the VPA, with its node when written.
    pub fn update_mode(&self) -> (&'a str, Option<&'a Node<'s>>) {
        match self.spec.path(&["updatePolicy", "updateMode"]) {
            Some(n) => (n.as_str().unwrap_or("Auto"), Some(n)),
            None => ("Auto", None),
        }
    }

    /// Whether the VPA applies its recommendations to running pods (every mode but `Off` and
    /// `Initial`, which only sets requests at pod creation).
    pub fn updates_pods(&self) -> bool {
        matches!(
            self.update_mode().0,
            "Auto" | "Recreate" | "InPlaceOrRecreate"
        )
    }

    pub fn container_policies(&self) -> Vec<ContainerPolicy<'a, 's>> {
        self.spec
            .path(&["resourcePolicy", "containerPolicies"])
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter(|n| n.as_mapping().is_some())
            .map(|node| ContainerPolicy { node })
            .collect()
    }

    /// The policy that applies to `container`: its own, else the `*` one.
    pub fn policy_for(&self, container: &str) -> Option<ContainerPolicy<'a, 's>> {
        let policies = self.container_policies();
        policies
            .iter()
            .find(|p| p.container_name() == container)
            .or_else(|| policies.iter().find(|p| p.container_name() == "*"))
            .copied()
    }

    /// Whether the VPA changes `resource` of `container`.
    pub fn controls(&self, container: &str, resource: &str) -> bool {
        self.policy_for(container)
            .is_none_or(|p| !p.is_off() && p.controls(resource))
    }

    /// Where a finding about the VPA's mode points: the `updateMode` value, else `targetRef`,
    /// else the name.
    pub fn mode_span(&self) -> Span {
        self.update_mode()
            .1
            .map(|n| n.span())
            .or_else(|| self.spec.entry("targetRef").map(|e| e.key.span()))
            .unwrap_or_else(|| self.object.anchor())
    }
}
