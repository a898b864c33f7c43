//! `role-binding-role-missing`: a binding's `roleRef` names a role that is not in the input.

use crate::model::Object;
use crate::model::rbac::{self, RBAC_GROUP};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a RoleBinding or ClusterRoleBinding whose `roleRef` names a role that is
    /// neither in the input nor one of Kubernetes' built-in roles. A RoleBinding's `Role` is
    /// looked up in the binding's own namespace (a Role of the same name elsewhere does not
    /// count), a `ClusterRole` cluster-wide. A ClusterRoleBinding that refers to a `Role` is
    /// reported too: only ClusterRoles can be bound cluster-wide.
    ///
    /// Built-in roles, which the API server creates itself: the ClusterRoles `cluster-admin`,
    /// `admin`, `edit`, `view`, every role named `system:*` (`system:auth-delegator`,
    /// `system:node`, `system:controller:*`...), and the Role
    /// `extension-apiserver-authentication-reader` in `kube-system`.
    ///
    /// ## Why it matters
    ///
    /// The API server accepts a binding to a role that does not exist, and it grants
    /// nothing: the workload then fails at run time with `forbidden` errors, far from the
    /// typo (`pake-reader` vs `pake-readers`) or the namespace mix-up that caused it.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: pake-backend
    ///   namespace: pake-system
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: pake-reader
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
    /// kind: Role
    /// metadata:
    ///   name: pake-reader
    ///   namespace: pake-system
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     verbs: ["get"]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: pake-backend
    ///   namespace: pake-system
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: pake-reader
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: pake-backend
    ///     namespace: pake-system
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `external_roles` (list of names, default `[]`): roles managed outside the input
    ///   (another chart, the platform team, a cloud add-on). A trailing `*` matches a prefix:
    ///   `gce:*`, `eks:*`.
    ///
    /// ```yaml
    /// rules:
    ///   role-binding-role-missing:
    ///     params:
    ///       external_roles: [platform-reader, "eks:*"]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Linting one chart of a larger release reports the roles the other charts define: lint
    /// them together, or list those roles in `external_roles`. Roles created by cloud
    /// providers and add-ons without the `system:` prefix are not known built-ins.
    RoleBindingRoleMissing {
        id: "role-binding-role-missing",
        category: Rbac,
        severity: Warning,
        enabled: true,
        kinds: &["RoleBinding", "ClusterRoleBinding"],
        summary: "a binding refers to a role that is not in the input",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RoleBindingRoleMissing {
    pub external_roles: Vec<String>,
}

impl RoleBindingRoleMissing {
    fn is_external(&self, name: &str) -> bool {
        self.external_roles
            .iter()
            .any(|pattern| match pattern.strip_suffix('*') {
                Some(prefix) => name.starts_with(prefix),
                None => pattern == name,
            })
    }
}

impl Rule for RoleBindingRoleMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let cluster_binding = object.is(RBAC_GROUP, "ClusterRoleBinding");
        if !(cluster_binding || object.is(RBAC_GROUP, "RoleBinding")) {
            return;
        }
        let Some(role_ref) = rbac::role_ref(object) else {
            return;
        };
        if !matches!(role_ref.kind, "Role" | "ClusterRole") {
            return;
        }
        if cluster_binding && role_ref.kind == "Role" {
            cx.report(
                object,
                role_ref.span,
                format!(
                    "cluster role binding refers to Role `{}`: only a ClusterRole can be bound cluster-wide",
                    role_ref.name
                ),
            )
            .help("refer to a ClusterRole, or bind the Role with a RoleBinding in its namespace");
            return;
        }
        let namespace = if role_ref.kind == "Role" {
            object.namespace.as_deref()
        } else {
            None
        };
        if rbac::is_builtin_role(role_ref.kind, namespace, role_ref.name)
            || self.is_external(role_ref.name)
            || rbac::bound_role(cx.index, object, role_ref).is_some()
        {
            return;
        }
        let index = cx.index;
        let (message, elsewhere) = match namespace {
            Some(ns) => {
                // A Role of that name in another namespace is the likely mix-up: point at it.
                let other = index
                    .rbac()
                    .roles_named(role_ref.name)
                    .first()
                    .map(|id| index.get(*id));
                (
                    format!(
                        "Role `{}` is not in the input: looked up in the binding's namespace `{ns}`",
                        role_ref.name
                    ),
                    other,
                )
            }
            None => (
                format!("ClusterRole `{}` is not in the input", role_ref.name),
                None,
            ),
        };
        let mut report = cx.report(object, role_ref.span, message).help(
            "define the role, fix the name or kind, or list it in `external_roles` if it is managed elsewhere",
        );
        if let Some(other) = elsewhere {
            report = report.related(
                other,
                other.anchor(),
                format!(
                    "a Role of that name is defined in namespace `{}`",
                    other.namespace.as_deref().unwrap_or_default()
                ),
            );
        }
        // A ClusterRole of that name exists: the kind is probably wrong.
        if role_ref.kind == "Role"
            && let Some(cluster_role) = index.find(None, RBAC_GROUP, "ClusterRole", role_ref.name)
        {
            let _ = report.related(
                cluster_role,
                cluster_role.anchor(),
                "a ClusterRole of that name is defined here: set `kind: ClusterRole`",
            );
        }
    }
}
