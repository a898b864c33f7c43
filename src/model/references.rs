//! The ConfigMaps and Secrets a pod template references: `env[].valueFrom.configMapKeyRef` and
//! `secretKeyRef`, `envFrom[].configMapRef` and `secretRef`, `configMap` and `secret` volumes,
//! and the `configMap` and `secret` sources of projected volumes. Each reference may be marked
//! `optional: true`, in which case a missing object (or key) is not an error for the kubelet.
//! Also the external-name lists that the cross-object rules accept as parameters.

use crate::load::tree::Node;
use crate::model::pod::PodTemplate;
use crate::model::{Index, Object};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    ConfigMap,
    Secret,
}

impl RefKind {
    pub fn kind(self) -> &'static str {
        match self {
            RefKind::ConfigMap => "ConfigMap",
            RefKind::Secret => "Secret",
        }
    }

    /// The reference kind of a core-group ConfigMap or Secret; `None` for any other object.
    pub fn of(object: &crate::model::Object<'_>) -> Option<RefKind> {
        match (object.group, object.kind) {
            ("", "ConfigMap") => Some(RefKind::ConfigMap),
            ("", "Secret") => Some(RefKind::Secret),
            _ => None,
        }
    }

    /// The fields that hold the keys a reference can name.
    pub fn data_fields(self) -> &'static [&'static str] {
        match self {
            RefKind::ConfigMap => &["data", "binaryData"],
            RefKind::Secret => &["data", "stringData"],
        }
    }

    /// The keys of a ConfigMap or Secret of this kind, in the order written.
    pub fn keys<'s>(self, object: &crate::model::Object<'s>) -> impl Iterator<Item = &'s str> {
        let root = object.root;
        self.data_fields()
            .iter()
            .filter_map(move |f| root.get(f))
            .flat_map(|n| n.entries())
            .filter_map(|e| e.key.scalar_text())
    }
}

/// Where the reference is written, for messages.
#[derive(Clone, Debug)]
pub enum RefSite {
    /// `env` of a container (`container `web``), with the variable name.
    Env { container: String, variable: String },
    /// `envFrom` of a container.
    EnvFrom { container: String },
    /// A volume (or a source of a projected volume).
    Volume { volume: String },
}

impl std::fmt::Display for RefSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RefSite::Env {
                container,
                variable,
            } => write!(f, "variable `{variable}` of {container}"),
            RefSite::EnvFrom { container } => write!(f, "`envFrom` of {container}"),
            RefSite::Volume { volume } => write!(f, "volume `{volume}`"),
        }
    }
}

/// One reference to a ConfigMap or Secret.
#[derive(Clone, Debug)]
pub struct ObjectReference<'a, 's> {
    pub kind: RefKind,
    pub name: &'a str,
    pub name_node: &'a Node<'s>,
    /// Keys the reference needs (`configMapKeyRef.key`, or a volume's `items[].key`).
    pub keys: Vec<&'a Node<'s>>,
    pub optional: bool,
    pub site: RefSite,
}

fn is_optional(node: &Node<'_>) -> bool {
    node.get("optional").and_then(Node::as_bool) == Some(true)
}

fn item_keys<'a, 's>(source: &'a Node<'s>) -> Vec<&'a Node<'s>> {
    source
        .get("items")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|i| i.get("key").filter(|k| k.scalar_text().is_some()))
        .collect()
}

fn push<'a, 's>(
    out: &mut Vec<ObjectReference<'a, 's>>,
    kind: RefKind,
    source: &'a Node<'s>,
    name_key: &str,
    keys: Vec<&'a Node<'s>>,
    site: RefSite,
) {
    let Some(name_node) = source.get(name_key) else {
        return;
    };
    let Some(name) = name_node.as_str().filter(|s| !s.is_empty()) else {
        return;
    };
    out.push(ObjectReference {
        kind,
        name,
        name_node,
        keys,
        optional: is_optional(source),
        site,
    });
}

/// Every ConfigMap and Secret reference of a pod template, in document order by container and
/// then by volume.
pub fn object_references<'a, 's>(pod: &PodTemplate<'a, 's>) -> Vec<ObjectReference<'a, 's>> {
    let mut out = Vec::new();
    for container in pod.containers() {
        let who = container.describe();
        for env in container.get("env").map(Node::items).unwrap_or_default() {
            let variable = env
                .get("name")
                .and_then(Node::scalar_text)
                .unwrap_or("")
                .to_string();
            let Some(from) = env.get("valueFrom") else {
                continue;
            };
            for (field, kind) in [
                ("configMapKeyRef", RefKind::ConfigMap),
                ("secretKeyRef", RefKind::Secret),
            ] {
                if let Some(source) = from.get(field).filter(|n| n.as_mapping().is_some()) {
                    let keys = source
                        .get("key")
                        .filter(|k| k.scalar_text().is_some())
                        .into_iter()
                        .collect();
                    let site = RefSite::Env {
                        container: who.clone(),
                        variable: variable.clone(),
                    };
                    push(&mut out, kind, source, "name", keys, site);
                }
            }
        }
        for from in container
            .get("envFrom")
            .map(Node::items)
            .unwrap_or_default()
        {
            for (field, kind) in [
                ("configMapRef", RefKind::ConfigMap),
                ("secretRef", RefKind::Secret),
            ] {
                if let Some(source) = from.get(field).filter(|n| n.as_mapping().is_some()) {
                    let site = RefSite::EnvFrom {
                        container: who.clone(),
                    };
                    push(&mut out, kind, source, "name", Vec::new(), site);
                }
            }
        }
    }
    for volume in pod.spec.get("volumes").map(Node::items).unwrap_or_default() {
        let name = volume
            .get("name")
            .and_then(Node::scalar_text)
            .unwrap_or("")
            .to_string();
        let site = || RefSite::Volume {
            volume: name.clone(),
        };
        if let Some(source) = volume.get("configMap").filter(|n| n.as_mapping().is_some()) {
            push(
                &mut out,
                RefKind::ConfigMap,
                source,
                "name",
                item_keys(source),
                site(),
            );
        }
        if let Some(source) = volume.get("secret").filter(|n| n.as_mapping().is_some()) {
            push(
                &mut out,
                RefKind::Secret,
                source,
                "secretName",
                item_keys(source),
                site(),
            );
        }
        for projected in volume
            .path(&["projected", "sources"])
            .map(Node::items)
            .unwrap_or_default()
        {
            for (field, kind) in [
                ("configMap", RefKind::ConfigMap),
                ("secret", RefKind::Secret),
            ] {
                if let Some(source) = projected.get(field).filter(|n| n.as_mapping().is_some()) {
                    push(&mut out, kind, source, "name", item_keys(source), site());
                }
            }
        }
    }
    out
}

/// Whether `name` in `namespace` is in a list of externally managed objects, written as `name`
/// (any namespace) or `namespace/name`.
pub fn listed(list: &[String], namespace: Option<&str>, name: &str) -> bool {
    list.iter().any(|entry| match entry.split_once('/') {
        Some((ns, n)) => n == name && Some(ns) == namespace,
        None => entry == name,
    })
}

/// An object of `group`/`kind` named `name` in a namespace other than `namespace`: the usual
/// reason a same-namespace reference does not resolve, worth naming in a finding.
pub fn find_in_other_namespace<'a, 's>(
    index: &'a Index<'s>,
    namespace: &str,
    group: &str,
    kind: &str,
    name: &str,
) -> Option<&'a Object<'s>> {
    index
        .lookup_any_namespace(group, kind, name)
        .find(|o| o.namespace.as_deref().is_some_and(|ns| ns != namespace))
}
