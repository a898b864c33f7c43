//! `service-account-missing`: a pod runs as a ServiceAccount that is not in the input.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::PodTemplate;
use crate::model::references::{find_in_other_namespace, listed};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a pod template whose `serviceAccountName` (or the deprecated `serviceAccount`)
    /// names a ServiceAccount that is not in the input, in the pod's namespace. `default`,
    /// which Kubernetes creates in every namespace, is exempt, and so are the names listed in
    /// the `external` parameter.
    ///
    /// ## Why it matters
    ///
    /// The API server's ServiceAccount admission refuses a pod whose ServiceAccount does not
    /// exist. For a Deployment this does not fail the deploy: the ReplicaSet keeps failing to
    /// create pods (`error looking up service account`), visible only in its events, and the
    /// rollout hangs.
    ///
    /// kube-linter has the same check (`non-existent-service-account`), within one folder.
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
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       serviceAccountName: web
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: web
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       serviceAccountName: web
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `external` (list of strings, default empty): ServiceAccounts created outside the
    ///   input, as `name` (any namespace) or `namespace/name`. The configuration's
    ///   `external: {service_accounts}` (shared by every rule) is honoured too.
    ///
    /// ```yaml
    /// rules:
    ///   service-account-missing:
    ///     params:
    ///       external: [kube-system/cluster-autoscaler]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// ServiceAccounts created by another release, by an operator or by the platform team are
    /// reported when the input does not hold them: list them in `external`.
    ServiceAccountMissing {
        id: "service-account-missing",
        category: Reliability,
        severity: Error,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a pod's service account is not in the input",
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceAccountMissing {
    pub external: Vec<String>,
}

impl Rule for ServiceAccountMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        let Some(ns) = object.namespace.as_deref() else {
            return;
        };
        // `serviceAccountName` wins over the deprecated `serviceAccount` when both are set.
        let Some((field, node)) = ["serviceAccountName", "serviceAccount"]
            .into_iter()
            .find_map(|f| pod.field(f).map(|n| (f, n)))
        else {
            return;
        };
        let Some(name) = node.as_str().filter(|s| !s.is_empty()) else {
            return;
        };
        if name == "default"
            || listed(&self.external, Some(ns), name)
            || cx.external().has("ServiceAccount", Some(ns), name)
            || cx
                .index
                .find(Some(ns), "", "ServiceAccount", name)
                .is_some()
        {
            return;
        }
        let other = find_in_other_namespace(cx.index, ns, "", "ServiceAccount", name);
        let help = match other {
            Some(other) => format!(
                "a ServiceAccount `{name}` exists in namespace `{}`, but pods can use only ServiceAccounts of their own namespace",
                other.namespace.as_deref().unwrap_or_default()
            ),
            None => "add the ServiceAccount to the input, or list it in the rule's `external` parameter if it is created elsewhere".to_string(),
        };
        let help = if field == "serviceAccount" {
            format!("{help}; and write `serviceAccountName`: `serviceAccount` is deprecated")
        } else {
            help
        };
        let report = cx
            .report(
                object,
                node.span(),
                format!("service account `{name}` is not in the input (namespace `{ns}`)"),
            )
            .help(help);
        if let Some(other) = other {
            report.related(
                other,
                other.anchor(),
                format!(
                    "ServiceAccount `{name}` is defined in namespace `{}`",
                    other.namespace.as_deref().unwrap_or_default()
                ),
            );
        }
    }
}
