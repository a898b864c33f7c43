//! `workload-network-policy-missing`: no NetworkPolicy selects a workload's pods.

use crate::model::kinds::POD_BEARING;
use crate::model::network_policy::{Direction, NetworkPolicy};
use crate::model::{Index, Object};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a pod-bearing object whose pod template no NetworkPolicy of its namespace
    /// selects for ingress (by default; `policy_types` adds egress). A policy counts for a
    /// direction only if it isolates it: its `policyTypes` lists it, or, without
    /// `policyTypes`, it is ingress (always) or egress (when the policy has egress rules). A
    /// namespace-wide policy (`podSelector: {}`) covers every workload. Opt-in:
    /// `namespace-default-deny-missing` is the default-on check of the same concern.
    ///
    /// ## Why it matters
    ///
    /// A pod no policy selects accepts connections from every pod of the cluster, whatever
    /// policies its neighbours have. The seed restricts pod-to-pod communication with network
    /// policies; this rule finds the workload that was forgotten.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: web}
    ///   policyTypes: [Ingress]
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels: {app: gateway}
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `policy_types` (default `["Ingress"]`): the directions a policy must isolate for each
    ///   workload; `["Ingress", "Egress"]` matches the seed's deny-everything model.
    ///
    /// ```yaml
    /// rules:
    ///   workload-network-policy-missing:
    ///     params: {policy_types: [Ingress, Egress]}
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Policies of other engines (Calico, Cilium) and policies outside the input are not seen.
    WorkloadNetworkPolicyMissing {
        id: "workload-network-policy-missing",
        category: Networking,
        severity: Warning,
        enabled: false,
        kinds: POD_BEARING,
        summary: "no network policy selects a workload's pods",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkloadNetworkPolicyMissing {
    pub policy_types: Vec<PolicyType>,
}

#[derive(Clone, Copy, serde::Deserialize)]
pub enum PolicyType {
    Ingress,
    Egress,
}

impl Default for WorkloadNetworkPolicyMissing {
    fn default() -> Self {
        WorkloadNetworkPolicyMissing {
            policy_types: vec![PolicyType::Ingress],
        }
    }
}

impl Rule for WorkloadNetworkPolicyMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if object.kind == "PodTemplate" {
            return;
        }
        let index = cx.index;
        let policies: Vec<NetworkPolicy<'_, '_>> =
            Index::related(&index.relations().policies_of, object.id)
                .iter()
                .filter_map(|id| NetworkPolicy::of(index.get(*id)))
                .collect();
        let missing: Vec<&str> = self
            .policy_types
            .iter()
            .map(|t| match t {
                PolicyType::Ingress => Direction::Ingress,
                PolicyType::Egress => Direction::Egress,
            })
            .filter(|d| !policies.iter().any(|p| p.isolates(*d)))
            .map(|d| match d {
                Direction::Ingress => "ingress",
                Direction::Egress => "egress",
            })
            .collect();
        if missing.is_empty() {
            return;
        }
        let what = missing.join(" or ");
        let message = if policies.is_empty() {
            format!(
                "no NetworkPolicy selects the pods of {} `{}`",
                object.kind, object.name
            )
        } else {
            format!(
                "no NetworkPolicy restricts {what} of the pods of {} `{}`",
                object.kind, object.name
            )
        };
        let mut report = cx.report(object, object.anchor(), message).help(format!(
            "add a NetworkPolicy selecting its pod labels that restricts {what}"
        ));
        for p in &policies {
            report = report.related(
                p.object,
                p.selector_span(),
                format!(
                    "NetworkPolicy `{}` selects it but does not restrict {what}",
                    p.object.name
                ),
            );
        }
    }
}
