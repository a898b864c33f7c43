//! `network-policy-peer-selects-nothing`: a NetworkPolicy peer's `podSelector` matches no pod
//! template.

use crate::model::Object;
use crate::model::network_policy::{Direction, NetworkPolicy, selected_namespaces};
use crate::model::selector::LabelSelector;
use crate::model::service::operator_pod_source;
use crate::rules::{Cx, Rule, listed};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a `from` (ingress) or `to` (egress) peer whose non-empty `podSelector` matches
    /// no pod template: in the policy's own namespace, or, when the peer has a
    /// `namespaceSelector`, in the namespaces it selects among the Namespace objects of the
    /// input (every namespace carries `kubernetes.io/metadata.name: <name>`). A
    /// `namespaceSelector` that selects no Namespace of the input, or every namespace (`{}`),
    /// points outside what the linter sees and is not reported. The selected Namespaces are
    /// related locations.
    ///
    /// As for `service-selects-nothing`, a custom resource from which an operator creates matching
    /// pods counts as their source: the Prometheus operator's `Prometheus`, `Alertmanager`,
    /// `ThanosRuler` and `PrometheusAgent`, whose pods carry their `spec.podMetadata.labels` and
    /// the labels the operator sets (`app.kubernetes.io/name: prometheus`,
    /// `app.kubernetes.io/instance: <name>`, `prometheus: <name>`...), and any other custom
    /// resource with `spec.podMetadata.labels`. Other custom resources (a ServiceMonitor named like
    /// the release) never count, nor does any resource for a selector that requires no label to be
    /// present (`{}`, or only `NotIn` and `DoesNotExist`). So a peer written for the pods of a
    /// `Prometheus` resource (`app.kubernetes.io/name: prometheus`) is not reported.
    ///
    /// ## Why it matters
    ///
    /// A peer that matches nothing opens nothing: the flow the policy was written for is
    /// dropped (under a default deny) and the application fails with timeouts that look like
    /// network trouble. The usual causes are a renamed label, or a peer without a
    /// `namespaceSelector` that was meant to reach another namespace (a bare `podSelector`
    /// only matches pods of the policy's own namespace).
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels: {app: api}
    ///   template:
    ///     metadata:
    ///       labels: {app: api}
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: ghcr.io/example/api:1.0
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: api}
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels: {app: frontend}
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels: {app: api}
    ///   template:
    ///     metadata:
    ///       labels: {app: api}
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: ghcr.io/example/api:1.0
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: api}
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels: {app: api}
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Namespaces and pods outside the input are unknown: a peer in the policy's own namespace
    /// is reported even when its pods come from another repository, or from an operator that
    /// labels them otherwise than the convention above.
    NetworkPolicyPeerSelectsNothing {
        id: "network-policy-peer-selects-nothing",
        category: Networking,
        severity: Warning,
        enabled: true,
        kinds: &["NetworkPolicy"],
        summary: "a network policy peer's pod selector matches no pods",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkPolicyPeerSelectsNothing {}

impl Rule for NetworkPolicyPeerSelectsNothing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(policy) = NetworkPolicy::of(object) else {
            return;
        };
        let Some(own_ns) = object.namespace.as_deref() else {
            return;
        };
        let index = cx.index;
        for direction in [Direction::Ingress, Direction::Egress] {
            for rule in policy.rules(direction) {
                for peer in rule.peers() {
                    let Some(pod_node) = peer.pod_selector else {
                        continue;
                    };
                    let Ok(pods) = LabelSelector::parse(pod_node) else {
                        continue;
                    };
                    if pods.is_empty() {
                        continue;
                    }
                    // The namespaces the peer looks in.
                    let namespaces: Vec<(String, Option<&Object<'_>>)> =
                        match peer.namespace_selector {
                            None => vec![(own_ns.to_string(), None)],
                            Some(ns_node) => {
                                let Ok(ns_selector) = LabelSelector::parse(ns_node) else {
                                    continue;
                                };
                                if ns_selector.is_empty() {
                                    continue;
                                }
                                selected_namespaces(index, &ns_selector)
                                    .into_iter()
                                    .map(|n| (n.name.to_string(), Some(n)))
                                    .collect()
                            }
                        };
                    if namespaces.is_empty()
                        || namespaces.iter().any(|(ns, _)| {
                            index.select_pods(ns, &pods).next().is_some()
                                || operator_pod_source(index, ns, &pods).is_some()
                        })
                    {
                        continue;
                    }
                    let side = match direction {
                        Direction::Ingress => "ingress `from`",
                        Direction::Egress => "egress `to`",
                    };
                    let names = listed(namespaces.iter().map(|(n, _)| format!("`{n}`")));
                    let where_ = if namespaces.len() == 1 {
                        format!("namespace {names}")
                    } else {
                        format!("namespaces {names}")
                    };
                    let mut report = cx
                        .report(
                            object,
                            peer.pod_selector_key.unwrap_or(pod_node.span()),
                            format!("{side} peer `{pods}` matches no pod template in {where_}"),
                        )
                        .help(if peer.namespace_selector.is_none() {
                            "match the labels of the peer's pod template; a peer in another namespace also needs a `namespaceSelector`"
                        } else {
                            "match the labels of the peer's pod template in the selected namespaces"
                        });
                    for (name, ns) in &namespaces {
                        if let Some(ns) = ns {
                            report = report.related(
                                ns,
                                ns.anchor(),
                                format!("namespace `{name}` is selected by the peer's `namespaceSelector`"),
                            );
                        }
                    }
                }
            }
        }
    }
}
