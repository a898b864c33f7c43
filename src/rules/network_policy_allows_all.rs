//! `network-policy-allows-all`: a restricting NetworkPolicy has a rule open to every source.

use crate::model::Object;
use crate::model::network_policy::{Direction, NetworkPolicy};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports, in a NetworkPolicy that isolates ingress, an ingress rule with no peers (no
    /// `from`, or an empty one: every source) or with an `ipBlock` of `0.0.0.0/0` or `::/0`
    /// without `except`. Rules limited to `ports` are left alone by default: opening one port
    /// to everyone is how public endpoints are exposed. With `egress: true`, egress rules are
    /// checked the same way.
    ///
    /// ## Why it matters
    ///
    /// The policy claims to restrict traffic, and reviewers read it as such, while one rule
    /// opens the pods to every pod of the cluster and every address outside it. A `- {}`
    /// ingress rule is the classic leftover of a debugging session.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress]
    ///   ingress:
    ///     - from:
    ///         - ipBlock:
    ///             cidr: 0.0.0.0/0
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress]
    ///   ingress:
    ///     - from:
    ///         - namespaceSelector:
    ///             matchLabels: {kubernetes.io/metadata.name: ingress-nginx}
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `ignore_port_restricted` (default `true`, our choice: public endpoints open one port to
    ///   everyone on purpose): do not report rules that list `ports`.
    /// - `egress` (default `false`, our choice: open egress is common and is
    ///   `namespace-default-deny-missing`'s concern): check egress rules too.
    ///
    /// ```yaml
    /// rules:
    ///   network-policy-allows-all:
    ///     params: {ignore_port_restricted: false, egress: true}
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Wide but not universal blocks (`10.0.0.0/8`) are not reported.
    NetworkPolicyAllowsAll {
        id: "network-policy-allows-all",
        category: Networking,
        severity: Warning,
        enabled: true,
        kinds: &["NetworkPolicy"],
        summary: "a network policy rule allows traffic from everywhere",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkPolicyAllowsAll {
    pub ignore_port_restricted: bool,
    pub egress: bool,
}

impl Default for NetworkPolicyAllowsAll {
    fn default() -> Self {
        NetworkPolicyAllowsAll {
            ignore_port_restricted: true,
            egress: false,
        }
    }
}

impl Rule for NetworkPolicyAllowsAll {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(policy) = NetworkPolicy::of(object) else {
            return;
        };
        let mut directions = vec![Direction::Ingress];
        if self.egress {
            directions.push(Direction::Egress);
        }
        for direction in directions {
            if !policy.isolates(direction) {
                continue;
            }
            let (side, peers_key, whom) = match direction {
                Direction::Ingress => ("ingress", "from", "source"),
                Direction::Egress => ("egress", "to", "destination"),
            };
            for rule in policy.rules(direction) {
                if self.ignore_port_restricted && rule.has_ports() {
                    continue;
                }
                if rule.has_no_peers() {
                    let span = rule.peers_node().map_or(rule.node.span(), |n| n.span());
                    let what = if rule.peers_node().is_some() {
                        format!("an empty `{peers_key}`")
                    } else {
                        format!("no `{peers_key}`")
                    };
                    cx.report(
                        object,
                        span,
                        format!("{side} rule with {what} allows every {whom}"),
                    )
                    .help(format!(
                        "list the {whom}s this rule is for under `{peers_key}` (podSelector, namespaceSelector or a narrow ipBlock)"
                    ));
                    continue;
                }
                for peer in rule.peers() {
                    let Some(block) = peer.ip_block else { continue };
                    let Some(cidr) = block.get("cidr") else {
                        continue;
                    };
                    let open = matches!(cidr.as_str(), Some("0.0.0.0/0" | "::/0"));
                    let excepts = block.get("except").is_some_and(|n| !n.items().is_empty());
                    if open && !excepts {
                        cx.report(
                            object,
                            cidr.span(),
                            format!(
                                "{side} peer `ipBlock` `{}` allows every address",
                                cidr.as_str().unwrap_or_default()
                            ),
                        )
                        .help(
                            "narrow the CIDR, add `except` ranges, or restrict the rule to `ports`",
                        );
                    }
                }
            }
        }
    }
}
