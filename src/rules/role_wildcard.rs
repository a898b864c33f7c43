//! `role-wildcard`: a Role or ClusterRole rule grants `*` verbs, resources or API groups.

use crate::model::Object;
use crate::model::rbac::{self, PolicyRule};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports each rule of a Role or ClusterRole that has `*` among its `verbs`, `resources`
    /// or `apiGroups`, pointing at the first `*`. Roles named like Kubernetes' built-in roles
    /// (`cluster-admin`, `admin`, `edit`, `view`, `system:*`) are the cluster's own defaults
    /// and are not judged here; bindings to them are (`role-binding-cluster-admin`). The rules
    /// written in an aggregated ClusterRole (one with an `aggregationRule`) are ignored, since
    /// the controller overwrites them; the ClusterRoles it aggregates are judged instead.
    ///
    /// ## Why it matters
    ///
    /// A wildcard grants more than the author listed, including what does not exist yet: `*`
    /// verbs include `escalate`, `bind`, `impersonate` and `deletecollection`, `*` resources
    /// include secrets and every custom resource installed later, `*` API groups every group
    /// to come. Least privilege, which the seed's RBAC asks for, means listing what the
    /// workload needs.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: deployer
    ///   namespace: pake-system
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["*"]
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: deployer
    ///   namespace: pake-system
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "list", "watch", "patch"]
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Only the exact `*` is reported, not the `*/scale` form (one subresource of every
    /// resource). `nonResourceURLs` rules are not looked at. Operators that manage arbitrary
    /// resources (Argo CD, Flux, Crossplane) need wildcards by design: suppress with a reason.
    RoleWildcard {
        id: "role-wildcard",
        category: Rbac,
        severity: Warning,
        enabled: true,
        kinds: &["Role", "ClusterRole"],
        summary: "a role rule uses `*` in verbs, resources or API groups",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleWildcard {}

/// `verbs`, `verbs and resources`, `verbs, resources and apiGroups`.
fn join(fields: &[&str]) -> String {
    match fields {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => format!(
            "{} and `{last}`",
            init.iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

impl Rule for RoleWildcard {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if !rbac::is_role(object)
            || rbac::is_aggregated(object)
            || rbac::is_builtin_role(object.kind, object.namespace.as_deref(), &object.name)
        {
            return;
        }
        for rule in rbac::policy_rules(object) {
            report_rule(object, &rule, cx);
        }
    }
}

fn report_rule(object: &Object<'_>, rule: &PolicyRule<'_, '_>, cx: &mut Cx<'_, '_>) {
    let wildcards = rule.wildcards();
    let Some((_, first)) = wildcards.first() else {
        return;
    };
    let noun = if object.kind == "Role" {
        "role"
    } else {
        "cluster role"
    };
    let message = if rule.is_full_wildcard() {
        format!(
            "{noun} `{}` grants every verb on every resource in every API group",
            object.name
        )
    } else {
        let fields: Vec<&str> = ["verbs", "resources", "apiGroups"]
            .into_iter()
            .filter(|f| wildcards.iter().any(|(w, _)| w == f))
            .collect();
        format!(
            "{noun} `{}` has a rule with `*` in {}",
            object.name,
            join(&fields)
        )
    };
    cx.report(object, first.span, message)
        .help("list the verbs, resources and API groups the workload needs instead of `*`");
}
