//! A view of NetworkPolicies: which directions a policy isolates (`policyTypes`, with the API's
//! defaulting), its rules and their peers, and the namespaces a `namespaceSelector` selects among
//! the Namespace objects of the input.

use crate::load::tree::{Node, Span};
use crate::model::selector::LabelSelector;
use crate::model::{Index, Object};

/// A direction of traffic a policy isolates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "Ingress",
            Direction::Egress => "Egress",
        }
    }

    /// The key of the rule list (`ingress`, `egress`) and of its peers (`from`, `to`).
    pub fn keys(self) -> (&'static str, &'static str) {
        match self {
            Direction::Ingress => ("ingress", "from"),
            Direction::Egress => ("egress", "to"),
        }
    }
}

/// One `from`/`to` entry.
#[derive(Clone, Copy, Debug)]
pub struct Peer<'a, 's> {
    pub node: &'a Node<'s>,
    /// The `podSelector:` key, where findings about the peer's pods point.
    pub pod_selector_key: Option<Span>,
    pub pod_selector: Option<&'a Node<'s>>,
    pub namespace_selector: Option<&'a Node<'s>>,
    pub ip_block: Option<&'a Node<'s>>,
}

/// One ingress or egress rule.
#[derive(Clone, Copy, Debug)]
pub struct PolicyRule<'a, 's> {
    pub node: &'a Node<'s>,
    pub direction: Direction,
}

impl<'a, 's> PolicyRule<'a, 's> {
    /// The `from`/`to` list, when written.
    pub fn peers_node(&self) -> Option<&'a Node<'s>> {
        self.node
            .get(self.direction.keys().1)
            .filter(|n| !n.is_null())
    }

    pub fn peers(&self) -> Vec<Peer<'a, 's>> {
        self.peers_node()
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .map(|node| Peer {
                node,
                pod_selector_key: node.entry("podSelector").map(|e| e.key.span()),
                pod_selector: node.get("podSelector").filter(|n| !n.is_null()),
                namespace_selector: node.get("namespaceSelector").filter(|n| !n.is_null()),
                ip_block: node.get("ipBlock").filter(|n| !n.is_null()),
            })
            .collect()
    }

    /// A missing or empty `from`/`to` list matches every source or destination.
    pub fn has_no_peers(&self) -> bool {
        self.peers_node().is_none_or(|n| n.items().is_empty())
    }

    /// Whether the rule lists `ports` (it then opens only those).
    pub fn has_ports(&self) -> bool {
        self.node
            .get("ports")
            .is_some_and(|n| !n.items().is_empty())
    }
}

/// A NetworkPolicy (`networking.k8s.io/v1`).
#[derive(Clone, Copy, Debug)]
pub struct NetworkPolicy<'a, 's> {
    pub object: &'a Object<'s>,
    pub spec: &'a Node<'s>,
}

impl<'a, 's> NetworkPolicy<'a, 's> {
    pub fn of(object: &'a Object<'s>) -> Option<Self> {
        if !object.is("networking.k8s.io", "NetworkPolicy") {
            return None;
        }
        let spec = object.spec()?;
        spec.as_mapping()?;
        Some(NetworkPolicy { object, spec })
    }

    /// Whether the policy isolates `direction`. Without `policyTypes` the API defaults to
    /// `Ingress`, plus `Egress` when the policy has a non-empty `egress` list.
    pub fn isolates(&self, direction: Direction) -> bool {
        match self.spec.get("policyTypes").filter(|n| !n.is_null()) {
            Some(types) => types
                .items()
                .iter()
                .any(|t| t.as_str() == Some(direction.as_str())),
            None => match direction {
                Direction::Ingress => true,
                Direction::Egress => self
                    .spec
                    .get("egress")
                    .is_some_and(|n| !n.items().is_empty()),
            },
        }
    }

    /// The `podSelector` value, when written.
    pub fn pod_selector_node(&self) -> Option<&'a Node<'s>> {
        self.spec.get("podSelector").filter(|n| !n.is_null())
    }

    /// Whether it applies to every pod of its namespace (`podSelector: {}`, or none).
    pub fn selects_all_pods(&self) -> bool {
        match self.pod_selector_node() {
            None => true,
            Some(n) => LabelSelector::parse(n).is_ok_and(|s| s.is_empty()),
        }
    }

    pub fn rules(&self, direction: Direction) -> Vec<PolicyRule<'a, 's>> {
        self.spec
            .get(direction.keys().0)
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .map(|node| PolicyRule { node, direction })
            .collect()
    }

    /// Whether the policy isolates `direction` for its pods without opening it to everyone:
    /// no rule of that direction allows every peer on every port.
    pub fn denies(&self, direction: Direction) -> bool {
        self.isolates(direction)
            && !self
                .rules(direction)
                .iter()
                .any(|r| r.has_no_peers() && !r.has_ports())
    }

    /// Where a finding about the policy's selection points: the `podSelector:` key, else `spec:`.
    pub fn selector_span(&self) -> Span {
        self.spec
            .entry("podSelector")
            .map(|e| e.key.span())
            .or_else(|| self.object.root.entry("spec").map(|e| e.key.span()))
            .unwrap_or_else(|| self.object.anchor())
    }
}

/// The Namespace objects of the input that `selector` selects. Every namespace carries the
/// label `kubernetes.io/metadata.name` with its own name (set by the API server since 1.21),
/// so that label is matched even when the manifest does not write it.
pub fn selected_namespaces<'a, 's>(
    index: &'a Index<'s>,
    selector: &LabelSelector,
) -> Vec<&'a Object<'s>> {
    index
        .relations()
        .namespace_labels
        .iter()
        .filter(|(_, labels)| selector.matches(labels))
        .map(|(id, _)| index.get(*id))
        .collect()
}
