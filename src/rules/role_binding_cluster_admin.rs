//! `role-binding-cluster-admin`: a binding grants `cluster-admin`, or a role that allows
//! everything.

use crate::model::Object;
use crate::model::rbac::{self, RBAC_GROUP};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a RoleBinding or ClusterRoleBinding whose `roleRef` is the built-in ClusterRole
    /// `cluster-admin`, or a Role or ClusterRole in the input with a rule that has `*` in all
    /// of its verbs, resources and API groups (what `cluster-admin` is). For an aggregated
    /// ClusterRole, the ClusterRoles in the input that it aggregates are looked at. The role,
    /// when it is in the input, is a related location.
    ///
    /// ## Why it matters
    ///
    /// `cluster-admin` is every permission on every object, secrets and RBAC included: a
    /// ClusterRoleBinding makes its subjects owners of the cluster, a RoleBinding owners of
    /// the namespace. A compromised pod running under such a service account takes the
    /// cluster with it. The seed's RBAC means roles scoped to what each workload does.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: pake-backend-admin
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: cluster-admin
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: pake-backend
    ///     namespace: pake-system
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: pake-backend-view
    ///   namespace: pake-system
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: pake-backend
    ///     namespace: pake-system
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// A role that reaches the same power by listing every resource by name is not
    /// recognised. Cluster-management tools (Argo CD's application controller, Flux) are
    /// bound to `cluster-admin` by design: suppress with a reason.
    RoleBindingClusterAdmin {
        id: "role-binding-cluster-admin",
        category: Rbac,
        severity: Error,
        enabled: true,
        kinds: &["RoleBinding", "ClusterRoleBinding"],
        summary: "a binding grants cluster-admin or an all-powerful role",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleBindingClusterAdmin {}

impl Rule for RoleBindingClusterAdmin {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if !(object.is(RBAC_GROUP, "RoleBinding") || object.is(RBAC_GROUP, "ClusterRoleBinding")) {
            return;
        }
        let Some(role_ref) = rbac::role_ref(object) else {
            return;
        };
        let index = cx.index;
        let role = rbac::bound_role(index, object, role_ref);
        let is_cluster_admin = role_ref.kind == "ClusterRole" && role_ref.name == "cluster-admin";
        // The role (or, for an aggregated one, the aggregated role) with a full-wildcard rule,
        // and that rule's first `*`.
        let wildcard = role.and_then(|role| {
            let candidates: Vec<&Object<'_>> = if rbac::is_aggregated(role) {
                index
                    .rbac()
                    .components(&role.name)
                    .iter()
                    .map(|id| index.get(*id))
                    .collect()
            } else {
                vec![role]
            };
            candidates.into_iter().find_map(|r| {
                rbac::policy_rules(r)
                    .into_iter()
                    .find(|p| p.is_full_wildcard())
                    .and_then(|p| p.wildcards().first().map(|(_, i)| i.span))
                    .map(|span| (r, span))
            })
        });
        if !is_cluster_admin && wildcard.is_none() {
            return;
        }
        let scope = match (object.kind, object.namespace.as_deref()) {
            ("RoleBinding", Some(ns)) => format!(" in namespace `{ns}`"),
            _ => " cluster-wide".to_string(),
        };
        let subjects = rbac::describe_subjects(object);
        let what = if is_cluster_admin {
            "`cluster-admin`".to_string()
        } else {
            let noun = if role_ref.kind == "Role" {
                "role"
            } else {
                "cluster role"
            };
            format!("{noun} `{}`, which allows everything,", role_ref.name)
        };
        let mut report = cx
            .report(
                object,
                role_ref.span,
                format!("binding grants {what} to {subjects}{scope}"),
            )
            .help("bind a role that lists only the verbs and resources the subjects use");
        match wildcard {
            Some((component, span)) if role.is_some_and(|r| !std::ptr::eq(r, component)) => {
                report = report.related(
                    component,
                    span,
                    format!(
                        "cluster role `{}`, aggregated into `{}`, grants everything here",
                        component.name, role_ref.name
                    ),
                );
            }
            Some((component, span)) => {
                let noun = if component.kind == "Role" {
                    "role"
                } else {
                    "cluster role"
                };
                report = report.related(
                    component,
                    span,
                    format!("{noun} `{}` grants everything here", component.name),
                );
            }
            None => {}
        }
        if let (Some(role), None) = (role, wildcard) {
            let _ = report.related(role, role.anchor(), "the role is defined here");
        }
    }
}
