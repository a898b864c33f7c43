//! RBAC views: the policy rules of Roles and ClusterRoles with RBAC's matching semantics (`*`
//! matches everything, `""` is the core API group), bindings and their `roleRef`, Kubernetes'
//! built-in roles, and ClusterRole aggregation (built once with the
//! [`Index`](crate::model::Index)).

use rustc_hash::FxHashMap;

use crate::load::tree::{Node, Span};
use crate::model::selector::LabelSelector;
use crate::model::{Index, Object, ObjectId};

/// The API group of Roles, ClusterRoles and their bindings.
pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// The ClusterRoles every cluster creates at start-up (the API server's bootstrap policy) that
/// do not carry the reserved `system:` prefix. Every `system:*` name is Kubernetes' own too
/// (`system:node`, `system:auth-delegator`, `system:controller:*`, `system:aggregate-to-*`).
pub const BUILTIN_CLUSTER_ROLES: &[&str] = &["cluster-admin", "admin", "edit", "view"];

/// The bootstrap policy's namespaced Roles without the `system:` prefix, by namespace.
/// (Its other Roles, `system::leader-locking-*` and `system:controller:*` in `kube-system` and
/// `kube-public`, carry the prefix.)
pub const BUILTIN_ROLES: &[(&str, &str)] =
    &[("kube-system", "extension-apiserver-authentication-reader")];

/// Whether a Role (in `namespace`) or ClusterRole named `name` is one of the cluster's own
/// defaults, which the API server creates (and reconciles) itself.
pub fn is_builtin_role(kind: &str, namespace: Option<&str>, name: &str) -> bool {
    if name.starts_with("system:") {
        return true;
    }
    match kind {
        "ClusterRole" => BUILTIN_CLUSTER_ROLES.contains(&name),
        "Role" => BUILTIN_ROLES
            .iter()
            .any(|&(ns, n)| Some(ns) == namespace && n == name),
        _ => false,
    }
}

/// Whether an object is a Role or ClusterRole (of the RBAC group).
pub fn is_role(object: &Object<'_>) -> bool {
    object.is(RBAC_GROUP, "Role") || object.is(RBAC_GROUP, "ClusterRole")
}

/// A ClusterRole whose rules the aggregation controller fills in from other ClusterRoles: any
/// rules written in it are overwritten.
pub fn is_aggregated(object: &Object<'_>) -> bool {
    object.is(RBAC_GROUP, "ClusterRole")
        && object
            .root
            .get("aggregationRule")
            .is_some_and(|n| !n.is_null())
}

/// One string of a policy rule list (`verbs: [get]`), with its span.
#[derive(Clone, Copy, Debug)]
pub struct Item<'a> {
    pub text: &'a str,
    pub span: Span,
}

/// One entry of a Role's `rules`.
#[derive(Clone, Debug)]
pub struct PolicyRule<'a, 's> {
    pub node: &'a Node<'s>,
    pub api_groups: Vec<Item<'a>>,
    pub resources: Vec<Item<'a>>,
    pub verbs: Vec<Item<'a>>,
    /// The rule names particular objects (`resourceNames`), so it grants much less.
    pub has_resource_names: bool,
}

fn items<'a>(node: &'a Node<'_>, key: &str) -> Vec<Item<'a>> {
    node.get(key)
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| {
            Some(Item {
                text: n.scalar_text()?,
                span: n.span(),
            })
        })
        .collect()
}

impl<'a, 's> PolicyRule<'a, 's> {
    pub fn of(node: &'a Node<'s>) -> Self {
        PolicyRule {
            node,
            api_groups: items(node, "apiGroups"),
            resources: items(node, "resources"),
            verbs: items(node, "verbs"),
            has_resource_names: node
                .get("resourceNames")
                .is_some_and(|n| !n.items().is_empty()),
        }
    }

    /// The `*` items of this rule's verbs, resources and apiGroups, in source order. A rule
    /// without resources (a `nonResourceURLs` rule of a ClusterRole: `/healthz`, `/metrics`)
    /// has none: its verbs apply to URLs, not to API objects.
    pub fn wildcards(&self) -> Vec<(&'static str, Item<'a>)> {
        if self.resources.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<(&'static str, Item<'a>)> = [
            ("verbs", &self.verbs),
            ("resources", &self.resources),
            ("apiGroups", &self.api_groups),
        ]
        .into_iter()
        .flat_map(|(field, list)| {
            list.iter()
                .filter(|i| i.text == "*")
                .map(move |i| (field, *i))
        })
        .collect();
        out.sort_by_key(|(_, i)| i.span.start);
        out
    }

    /// Every verb on every resource in every API group: what `cluster-admin` grants.
    pub fn is_full_wildcard(&self) -> bool {
        [&self.verbs, &self.resources, &self.api_groups]
            .iter()
            .all(|list| list.iter().any(|i| i.text == "*"))
    }

    /// The item of `verbs` that grants `verb` (the verb itself, else `*`).
    pub fn verb(&self, verb: &str) -> Option<Item<'a>> {
        find(&self.verbs, verb)
    }

    /// The item of `resources` that covers `resource` (possibly `pods/exec`) in `group`, when
    /// the rule's apiGroups cover `group` too.
    pub fn resource(&self, group: &str, resource: &str) -> Option<Item<'a>> {
        find(&self.api_groups, group)?;
        if let Some(item) = self.resources.iter().find(|i| i.text == resource) {
            return Some(*item);
        }
        // `*/exec` covers the `exec` subresource of every resource.
        if let Some((_, sub)) = resource.split_once('/')
            && let Some(item) = self
                .resources
                .iter()
                .find(|i| i.text.strip_prefix("*/") == Some(sub))
        {
            return Some(*item);
        }
        self.resources.iter().find(|i| i.text == "*").copied()
    }
}

/// The item equal to `wanted`, else a `*` item.
fn find<'a>(list: &[Item<'a>], wanted: &str) -> Option<Item<'a>> {
    list.iter()
        .find(|i| i.text == wanted)
        .or_else(|| list.iter().find(|i| i.text == "*"))
        .copied()
}

/// The policy rules of a Role or ClusterRole, as written.
pub fn policy_rules<'a, 's>(role: &'a Object<'s>) -> Vec<PolicyRule<'a, 's>> {
    role.root
        .get("rules")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter(|n| n.as_mapping().is_some())
        .map(PolicyRule::of)
        .collect()
}

/// A binding's `roleRef`.
#[derive(Clone, Copy, Debug)]
pub struct RoleRef<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    /// The `name:` value, where findings about the reference point.
    pub span: Span,
}

/// The `roleRef` of a RoleBinding or ClusterRoleBinding, when it names a role. (Without a
/// `kind` the API server rejects the binding: schema validation's business, not a lookup's.)
pub fn role_ref<'a>(binding: &'a Object<'_>) -> Option<RoleRef<'a>> {
    let node = binding.root.get("roleRef")?;
    let name = node.get("name")?;
    Some(RoleRef {
        kind: node.get("kind").and_then(Node::as_str)?,
        name: name.scalar_text()?,
        span: name.span(),
    })
}

/// The role in the input that a binding's `roleRef` names: a RoleBinding's `Role` is looked up
/// in the binding's namespace, a `ClusterRole` cluster-wide. (Should the input define it
/// twice, the first; `object-duplicate` reports the second.)
pub fn bound_role<'a, 's>(
    index: &'a Index<'s>,
    binding: &Object<'_>,
    role_ref: RoleRef<'_>,
) -> Option<&'a Object<'s>> {
    let namespace = match role_ref.kind {
        "Role" => Some(binding.namespace.as_deref()?),
        _ => None,
    };
    index.find(namespace, RBAC_GROUP, role_ref.kind, role_ref.name)
}

/// Who a binding grants its role to, for messages: `service account `ns/name``, or a count.
pub fn describe_subjects(binding: &Object<'_>) -> String {
    let subjects = binding
        .root
        .get("subjects")
        .map(Node::items)
        .unwrap_or_default();
    let describe = |s: &Node<'_>| {
        let kind = s.get("kind").and_then(Node::as_str).unwrap_or("subject");
        let name = s.get("name").and_then(Node::scalar_text).unwrap_or("");
        match kind {
            "ServiceAccount" => {
                let ns = s
                    .get("namespace")
                    .and_then(Node::as_str)
                    .or(binding.namespace.as_deref());
                match ns {
                    Some(ns) => format!("service account `{ns}/{name}`"),
                    None => format!("service account `{name}`"),
                }
            }
            "User" => format!("user `{name}`"),
            "Group" => format!("group `{name}`"),
            other => format!("{other} `{name}`"),
        }
    };
    match subjects {
        [] => "no subject".to_string(),
        [one] => describe(one),
        [first, rest @ ..] => format!(
            "{} and {} other subject{}",
            describe(first),
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    }
}

/// Aggregated ClusterRole (by name) -> the ClusterRoles in the input its
/// `clusterRoleSelectors` select.
#[derive(Debug, Default)]
pub struct RbacIndex {
    components: FxHashMap<String, Vec<ObjectId>>,
    /// Namespaced Roles by name, in every namespace.
    roles_by_name: FxHashMap<String, Vec<ObjectId>>,
}

impl RbacIndex {
    pub fn build(objects: &[Object<'_>]) -> Self {
        let cluster_roles: Vec<ObjectId> = objects
            .iter()
            .enumerate()
            .filter(|(_, o)| o.is(RBAC_GROUP, "ClusterRole"))
            .map(|(i, _)| ObjectId(i as u32))
            .collect();
        let mut roles_by_name: FxHashMap<String, Vec<ObjectId>> = FxHashMap::default();
        for (i, o) in objects.iter().enumerate() {
            if o.is(RBAC_GROUP, "Role") {
                roles_by_name
                    .entry(o.name.to_string())
                    .or_default()
                    .push(ObjectId(i as u32));
            }
        }
        let mut components: FxHashMap<String, Vec<ObjectId>> = FxHashMap::default();
        for &id in &cluster_roles {
            let role = &objects[id.0 as usize];
            if !is_aggregated(role) {
                continue;
            }
            let selectors: Vec<LabelSelector> = role
                .root
                .path(&["aggregationRule", "clusterRoleSelectors"])
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|n| LabelSelector::parse(n).ok())
                .collect();
            let selected = cluster_roles.iter().copied().filter(|&other| {
                let labels = &objects[other.0 as usize].labels;
                other != id && selectors.iter().any(|s| s.matches(labels))
            });
            let entry = components.entry(role.name.to_string()).or_default();
            entry.extend(selected);
            entry.sort();
            entry.dedup();
        }
        RbacIndex {
            components,
            roles_by_name,
        }
    }

    /// The ClusterRoles in the input that the aggregated ClusterRole `name` gathers its rules
    /// from.
    pub fn components(&self, name: &str) -> &[ObjectId] {
        self.components
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The Roles named `name`, in any namespace, in input order.
    pub fn roles_named(&self, name: &str) -> &[ObjectId] {
        self.roles_by_name
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}
