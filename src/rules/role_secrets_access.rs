//! `role-secrets-access`: a Role or ClusterRole can read Secrets.

use crate::model::Object;
use crate::model::rbac;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports each rule of a Role or ClusterRole that grants `get`, `list` or `watch` (or `*`)
    /// on `secrets` (or `*` resources) in the core API group (`""` or `*`), pointing at the
    /// resource that covers secrets. Rules restricted by `resourceNames` (reading named
    /// secrets only) are not reported. Built-in roles and the rules written in aggregated
    /// ClusterRoles are left alone, as in `role-wildcard`.
    ///
    /// ## Why it matters
    ///
    /// Secrets hold database passwords, API keys and service-account tokens: whoever can read
    /// them can act as the workloads that own them. `list` and `watch` return the secrets'
    /// contents, not just their names, so they are as sensitive as `get`. A workload that
    /// needs one secret should mount it, or read it by name.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: config-reader
    ///   namespace: pake-system
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps", "secrets"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: config-reader
    ///   namespace: pake-system
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     verbs: ["get", "list", "watch"]
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     resourceNames: ["pake-backend-config"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Controllers whose job is secrets (cert-manager, external-secrets, ingress controllers
    /// reading TLS certificates) need this access: suppress with a reason. Write access
    /// (`create`, `update`) without read access is not reported.
    RoleSecretsAccess {
        id: "role-secrets-access",
        category: Rbac,
        severity: Warning,
        enabled: true,
        kinds: &["Role", "ClusterRole"],
        summary: "a role can read secrets",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSecretsAccess {}

const READ_VERBS: &[&str] = &["get", "list", "watch"];

impl Rule for RoleSecretsAccess {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if !rbac::is_role(object)
            || rbac::is_aggregated(object)
            || rbac::is_builtin_role(object.kind, object.namespace.as_deref(), &object.name)
        {
            return;
        }
        let noun = if object.kind == "Role" {
            "role"
        } else {
            "cluster role"
        };
        for rule in rbac::policy_rules(object) {
            if rule.has_resource_names {
                continue;
            }
            let Some(resource) = rule.resource("", "secrets") else {
                continue;
            };
            let verbs: Vec<&str> = if rule.verbs.iter().any(|v| v.text == "*") {
                vec!["*"]
            } else {
                READ_VERBS
                    .iter()
                    .copied()
                    .filter(|v| rule.verbs.iter().any(|i| i.text == *v))
                    .collect()
            };
            if verbs.is_empty() {
                continue;
            }
            let verbs = verbs
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let scope = match object.namespace.as_deref() {
                Some(ns) => format!("in namespace `{ns}`"),
                None => "wherever it is bound".to_string(),
            };
            cx.report(
                object,
                resource.span,
                format!(
                    "{noun} `{}` can read secrets ({verbs}) {scope}",
                    object.name
                ),
            )
            .help("mount the secrets the workload needs, or restrict the rule with `resourceNames` and `get`");
        }
    }
}
