//! `network-policy-selects-nothing`: a NetworkPolicy's `podSelector` matches no pod template.

use crate::model::network_policy::NetworkPolicy;
use crate::model::service::operator_pod_source;
use crate::model::{Index, Object};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a NetworkPolicy whose non-empty `podSelector` (`matchLabels` and
    /// `matchExpressions`) matches no pod template of any workload in its namespace. An empty
    /// `podSelector` (every pod) is never reported.
    ///
    /// As for `service-selects-nothing`, a custom resource in the namespace from which an operator
    /// creates matching pods counts as their source: the Prometheus operator's `Prometheus`,
    /// `Alertmanager`, `ThanosRuler` and `PrometheusAgent`, whose pods carry their
    /// `spec.podMetadata.labels` and the labels the operator sets (`app.kubernetes.io/name:
    /// prometheus`, `app.kubernetes.io/instance: <name>`, `prometheus: <name>`...), and any other
    /// custom resource with `spec.podMetadata.labels`. Other custom resources (a ServiceMonitor
    /// named like the release) never count, nor does any resource for a selector that requires no
    /// label to be present (`{}`, or only `NotIn` and `DoesNotExist`). So the budgets and policies
    /// kube-prometheus writes for its `Prometheus` and `Alertmanager` resources are not reported.
    ///
    /// ## Why it matters
    ///
    /// A policy that selects nothing enforces nothing: the pods it was written for stay open
    /// (or, for an allow policy, stay cut off while the author believes the flow is open).
    /// The usual causes are labels renamed in the workload only, or a policy in the wrong
    /// namespace.
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
    ///     matchLabels: {app.kubernetes.io/name: api}
    ///   template:
    ///     metadata:
    ///       labels: {app.kubernetes.io/name: api}
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
    ///   policyTypes: [Ingress]
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
    ///     matchLabels: {app.kubernetes.io/name: api}
    ///   template:
    ///     metadata:
    ///       labels: {app.kubernetes.io/name: api}
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
    ///     matchLabels: {app.kubernetes.io/name: api}
    ///   policyTypes: [Ingress]
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Only pod templates and operator resources in the input count; an operator that labels
    /// its pods otherwise than the convention above is not seen.
    NetworkPolicySelectsNothing {
        id: "network-policy-selects-nothing",
        category: Networking,
        severity: Warning,
        enabled: true,
        kinds: &["NetworkPolicy"],
        summary: "a network policy's pod selector matches no pods",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkPolicySelectsNothing {}

impl Rule for NetworkPolicySelectsNothing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(policy) = NetworkPolicy::of(object) else {
            return;
        };
        let (Some(ns), Some(node)) = (object.namespace.as_deref(), policy.pod_selector_node())
        else {
            return;
        };
        if policy.selects_all_pods()
            || !Index::related(&cx.index.relations().policy_pods, object.id).is_empty()
        {
            return;
        }
        let Ok(selector) = crate::model::selector::LabelSelector::parse(node) else {
            return;
        };
        if operator_pod_source(cx.index, ns, &selector).is_some() {
            return;
        }
        cx.report(
            object,
            policy.selector_span(),
            format!("podSelector `{selector}` matches no pod template in namespace `{ns}`"),
        )
        .help("match the labels of the workload's pod template (`spec.template.metadata.labels`)");
    }
}
