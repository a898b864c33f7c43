//! `namespace-default-deny-missing`: a namespace with workloads has no default-deny
//! NetworkPolicy.

use crate::model::network_policy::{Direction, NetworkPolicy};
use crate::model::{Index, Object};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a namespace that holds pod-bearing objects when no NetworkPolicy of that
    /// namespace selects all its pods (`podSelector: {}`) and isolates ingress without opening
    /// it again (no rule allowing every source on every port). With the `egress` parameter,
    /// egress must be denied by default too. The finding lands on the Namespace object when it
    /// is in the input, otherwise on the namespace's first workload.
    ///
    /// ## Why it matters
    ///
    /// Pods accept traffic from anywhere in the cluster until a policy selects them. Without a
    /// namespace-wide default deny, every new workload is open until someone remembers its
    /// policy, and one compromised pod elsewhere reaches the database directly. The seed lists
    /// network policies restricting pod-to-pod communication among its security features and
    /// its example tree starts from a default-deny policy.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
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
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress, Egress]
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
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
    /// ## Parameters
    ///
    /// - `egress` (default `false`, our choice: the seed names pod-to-pod restrictions, i.e.
    ///   ingress): also require a default deny of egress. The seed's example tree denies both
    ///   directions; turn it on for that profile.
    ///
    /// ```yaml
    /// rules:
    ///   namespace-default-deny-missing:
    ///     params: {egress: true}
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Cluster-wide policies of a CNI (Calico `GlobalNetworkPolicy`, Cilium
    /// `CiliumClusterwideNetworkPolicy`) and policies outside the input are not seen. Objects
    /// without a namespace land in the run's default namespace (`--namespace`).
    NamespaceDefaultDenyMissing {
        id: "namespace-default-deny-missing",
        category: Networking,
        severity: Warning,
        enabled: true,
        kinds: &[],
        summary: "a namespace with workloads has no default-deny network policy",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NamespaceDefaultDenyMissing {
    pub egress: bool,
}

impl Rule for NamespaceDefaultDenyMissing {
    fn check_input(&self, cx: &mut Cx<'_, '_>) {
        let index: &Index<'_> = cx.index;
        for ns in index.namespaces() {
            let Some(first) = index.workloads_in(ns).next() else {
                continue;
            };
            // Directions some namespace-wide policy denies by default.
            let (mut ingress, mut egress) = (false, false);
            for policy in index
                .in_namespace(ns, "networking.k8s.io", "NetworkPolicy")
                .filter_map(NetworkPolicy::of)
                .filter(NetworkPolicy::selects_all_pods)
            {
                ingress |= policy.denies(Direction::Ingress);
                egress |= policy.denies(Direction::Egress);
            }
            let missing = match (ingress, egress || !self.egress) {
                (true, true) => continue,
                (false, true) => "ingress",
                (true, false) => "egress",
                (false, false) => "ingress and egress",
            };
            let namespace: Option<&Object<'_>> = index.find(None, "", "Namespace", ns);
            let (object, span) = match namespace {
                Some(n) => (n, n.anchor()),
                None => (first, first.anchor()),
            };
            let message = match namespace {
                Some(_) => format!(
                    "namespace `{ns}` has no NetworkPolicy denying {missing} to all its pods by default"
                ),
                None => format!(
                    "namespace `{ns}` of {} `{}` has no NetworkPolicy denying {missing} to all its pods by default",
                    first.kind, first.name
                ),
            };
            let mut report = cx.report(object, span, message).help(format!(
                "add a NetworkPolicy with `podSelector: {{}}` and `policyTypes: [{}]` in `{ns}`, then allow each flow explicitly",
                match missing {
                    "ingress" => "Ingress",
                    "egress" => "Egress",
                    _ => "Ingress, Egress",
                }
            ));
            if namespace.is_some() {
                report = report.related(
                    first,
                    first.anchor(),
                    format!("{} `{}` runs in it", first.kind, first.name),
                );
            }
        }
    }
}
