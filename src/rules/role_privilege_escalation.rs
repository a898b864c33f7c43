//! `role-privilege-escalation`: a Role or ClusterRole grants a way to gain more privileges
//! than it lists.

use crate::model::Object;
use crate::model::rbac::{self, Item, PolicyRule, RBAC_GROUP};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports each rule of a Role or ClusterRole that grants one of the known privilege
    /// escalation paths:
    ///
    /// - `create` on `pods`: run a pod under any service account of the namespace, mount any
    ///   of its secrets, and act with that account's rights;
    /// - `get` or `create` on `pods/exec` or `pods/attach`: run commands in existing pods, with
    ///   their tokens and secrets (exec over a WebSocket needs only `get`);
    /// - the verbs `escalate` and `bind` (on roles and cluster roles): grant permissions the
    ///   holder does not have;
    /// - the verb `impersonate` (on users, groups or service accounts): act as anyone.
    ///
    /// `*` counts for every verb, resource and API group it covers (`*` verbs on
    /// `serviceaccounts` include `impersonate`). One finding per rule, on the first grant
    /// found; the message lists them all. Built-in roles and the rules written in aggregated
    /// ClusterRoles are left alone, as in `role-wildcard`.
    ///
    /// ## Why it matters
    ///
    /// RBAC is only as tight as its escape hatches: each of these turns a narrow role into
    /// the rights of another account, often a cluster-wide one. They belong to a few trusted
    /// controllers, not to application service accounts.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: debugger
    ///   namespace: pake-system
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/exec"]
    ///     verbs: ["get", "create"]
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: debugger
    ///   namespace: pake-system
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/log"]
    ///     verbs: ["get", "list"]
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Creating workloads (Deployments, Jobs...) also runs pods under any service account,
    /// and `create` on `serviceaccounts/token` mints tokens; neither is reported, as both are
    /// what deployment tools and operators do. Job runners (Argo Workflows, Tekton, Jenkins
    /// agents) need `create` on pods by design: suppress with a reason.
    RolePrivilegeEscalation {
        id: "role-privilege-escalation",
        category: Rbac,
        severity: Warning,
        enabled: true,
        kinds: &["Role", "ClusterRole"],
        summary: "a role grants a privilege escalation path",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolePrivilegeEscalation {}

/// The escalation paths a policy rule grants: (what, the item that grants it).
fn grants<'a>(rule: &PolicyRule<'a, '_>) -> Vec<(String, Item<'a>)> {
    let mut out = Vec::new();
    if rule.verb("create").is_some()
        && let Some(item) = rule.resource("", "pods")
    {
        out.push(("`create` on `pods`".to_string(), item));
    }
    // Name the verbs actually granted (`get`, `create`, or both through `*`).
    let verbs: Vec<&str> = ["get", "create"]
        .into_iter()
        .filter(|v| rule.verb(v).is_some())
        .collect();
    if !verbs.is_empty() {
        let verbs = verbs
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join("/");
        for sub in ["pods/exec", "pods/attach"] {
            if let Some(item) = rule.resource("", sub) {
                out.push((format!("{verbs} on `{sub}`"), item));
            }
        }
    }
    // An explicit `escalate`, `bind` or `impersonate` says what it is for; `*` verbs count
    // where the verb means something.
    const ROLES: &[(&str, &str)] = &[(RBAC_GROUP, "roles"), (RBAC_GROUP, "clusterroles")];
    const IDENTITIES: &[(&str, &str)] = &[("", "users"), ("", "groups"), ("", "serviceaccounts")];
    let targets = [
        ("escalate", "`escalate`", ROLES),
        ("bind", "`bind`", ROLES),
        ("impersonate", "`impersonate`", IDENTITIES),
    ];
    for (verb, what, resources) in targets {
        if let Some(item) = rule.verbs.iter().find(|v| v.text == verb) {
            out.push((what.to_string(), *item));
        } else if let Some(star) = rule.verbs.iter().find(|v| v.text == "*")
            && resources.iter().any(|(g, r)| rule.resource(g, r).is_some())
        {
            out.push((what.to_string(), *star));
        }
    }
    out
}

impl Rule for RolePrivilegeEscalation {
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
            let found = grants(&rule);
            let Some((_, first)) = found.first() else {
                continue;
            };
            let list = found
                .iter()
                .map(|(what, _)| what.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            cx.report(
                object,
                first.span,
                format!("{noun} `{}` allows privilege escalation: {list}", object.name),
            )
            .help("grant these only to trusted controllers; give applications the narrowest verbs and resources they use");
        }
    }
}
