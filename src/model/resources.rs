//! Container resource requests and limits, with the values Kubernetes fills in before a pod runs:
//! a limit without a request sets the request (pod defaulting), and a `Container` LimitRange of
//! the namespace supplies missing limits and requests (LimitRanger admission).

use std::fmt;

use crate::load::tree::Node;
use crate::model::pod::Container;
use crate::model::quantity::Quantity;
use crate::model::{Index, Object};

/// `requests` or `limits`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bound {
    Requests,
    Limits,
}

impl Bound {
    pub fn as_str(self) -> &'static str {
        match self {
            Bound::Requests => "requests",
            Bound::Limits => "limits",
        }
    }
}

/// The resources the resource rules know about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resource {
    Cpu,
    Memory,
    EphemeralStorage,
}

impl Resource {
    pub fn as_str(self) -> &'static str {
        match self {
            Resource::Cpu => "cpu",
            Resource::Memory => "memory",
            Resource::EphemeralStorage => "ephemeral-storage",
        }
    }
}

/// A `requests.cpu`-style key, as ResourceQuotas and the rules' parameters spell it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct ResourceKey {
    pub bound: Bound,
    pub resource: Resource,
}

impl ResourceKey {
    pub const fn new(bound: Bound, resource: Resource) -> Self {
        ResourceKey { bound, resource }
    }

    /// The four keys the seed asks every container to set.
    pub const CPU_AND_MEMORY: [ResourceKey; 4] = [
        ResourceKey::new(Bound::Requests, Resource::Cpu),
        ResourceKey::new(Bound::Requests, Resource::Memory),
        ResourceKey::new(Bound::Limits, Resource::Cpu),
        ResourceKey::new(Bound::Limits, Resource::Memory),
    ];

    pub fn parse(s: &str) -> Option<Self> {
        let (bound, resource) = s.split_once('.')?;
        let bound = match bound {
            "requests" => Bound::Requests,
            "limits" => Bound::Limits,
            _ => return None,
        };
        let resource = match resource {
            "cpu" => Resource::Cpu,
            "memory" => Resource::Memory,
            "ephemeral-storage" => Resource::EphemeralStorage,
            _ => return None,
        };
        Some(ResourceKey { bound, resource })
    }
}

impl TryFrom<String> for ResourceKey {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        ResourceKey::parse(&s).ok_or_else(|| {
            format!(
                "unknown resource `{s}`: expected `requests.` or `limits.` followed by `cpu`, `memory` or `ephemeral-storage`"
            )
        })
    }
}

impl fmt::Display for ResourceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.bound.as_str(), self.resource.as_str())
    }
}

/// A quantity given as a rule parameter, parsed when the rule is built so that a typo fails the
/// configuration, not the run.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "serde_json::Value")]
pub struct QuantityParam {
    pub value: Quantity,
    pub text: String,
}

impl QuantityParam {
    pub fn new(text: &str) -> Self {
        QuantityParam {
            value: Quantity::parse(text).expect("a valid default quantity"),
            text: text.to_string(),
        }
    }
}

impl TryFrom<serde_json::Value> for QuantityParam {
    type Error = String;
    fn try_from(v: serde_json::Value) -> Result<Self, String> {
        let text = match v {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            other => {
                return Err(format!(
                    "expected a quantity such as `500m` or `1Gi`, not {other}"
                ));
            }
        };
        let value = Quantity::parse(&text).map_err(|e| e.to_string())?;
        Ok(QuantityParam { value, text })
    }
}

/// Where a container's effective request or limit comes from.
#[derive(Clone, Copy, Debug)]
pub enum Origin<'a, 's> {
    /// Written in the container's `resources`.
    Explicit,
    /// A request taken from the container's own limit (Kubernetes defaults a missing request to
    /// the limit).
    FromLimit,
    /// A default of a LimitRange of the namespace.
    LimitRange(&'a Object<'s>),
}

/// A container's effective value for one key: the node holding it and where it came from.
#[derive(Clone, Copy, Debug)]
pub struct Effective<'a, 's> {
    pub node: &'a Node<'s>,
    pub origin: Origin<'a, 's>,
}

impl Effective<'_, '_> {
    /// The value as a quantity; `None` when it is not a valid one (schema validation's finding).
    pub fn quantity(&self) -> Option<Quantity> {
        Quantity::from_node(self.node)?.ok()
    }
}

/// The value written in the container's `resources.<bound>.<resource>`.
pub fn explicit<'a, 's>(container: &Container<'a, 's>, key: ResourceKey) -> Option<&'a Node<'s>> {
    container
        .get("resources")?
        .get(key.bound.as_str())?
        .get(key.resource.as_str())
        .filter(|n| !n.is_null())
}

/// The default the first `Container` item of the namespace's LimitRanges gives for `key`, with
/// the LimitRange's own defaulting: a missing `default` limit is the `max`; a missing
/// `defaultRequest` is the `default` limit, else the `max`, else the `min`.
pub fn limit_range_default<'a, 's>(
    index: &'a Index<'s>,
    namespace: &str,
    key: ResourceKey,
) -> Option<Effective<'a, 's>> {
    let fields: &[&str] = match key.bound {
        Bound::Limits => &["default", "max"],
        Bound::Requests => &["defaultRequest", "default", "max", "min"],
    };
    for range in index.in_namespace(namespace, "", "LimitRange") {
        let items = range.root.path(&["spec", "limits"]).map(Node::items);
        for item in items.unwrap_or_default() {
            if item.get("type").and_then(Node::as_str) != Some("Container") {
                continue;
            }
            for field in fields {
                if let Some(node) = item
                    .get(field)
                    .and_then(|m| m.get(key.resource.as_str()))
                    .filter(|n| !n.is_null())
                {
                    return Some(Effective {
                        node,
                        origin: Origin::LimitRange(range),
                    });
                }
            }
        }
    }
    None
}

/// The container's value for `key` once Kubernetes has defaulted it: written, else (for a
/// request) the container's own limit, else (when `limit_ranges` is set) a LimitRange default.
pub fn effective<'a, 's>(
    index: &'a Index<'s>,
    container: &Container<'a, 's>,
    key: ResourceKey,
    limit_ranges: bool,
) -> Option<Effective<'a, 's>> {
    if let Some(node) = explicit(container, key) {
        return Some(Effective {
            node,
            origin: Origin::Explicit,
        });
    }
    if key.bound == Bound::Requests
        && let Some(node) = explicit(container, ResourceKey::new(Bound::Limits, key.resource))
    {
        return Some(Effective {
            node,
            origin: Origin::FromLimit,
        });
    }
    if limit_ranges {
        let namespace = container.pod.object.namespace.as_deref()?;
        return limit_range_default(index, namespace, key);
    }
    None
}

/// The keys of a ResourceQuota's `spec.hard` that cap `key` (`cpu` is `requests.cpu`).
fn quota_keys(key: ResourceKey) -> &'static [&'static str] {
    match (key.bound, key.resource) {
        (Bound::Requests, Resource::Cpu) => &["requests.cpu", "cpu"],
        (Bound::Requests, Resource::Memory) => &["requests.memory", "memory"],
        (Bound::Requests, Resource::EphemeralStorage) => {
            &["requests.ephemeral-storage", "ephemeral-storage"]
        }
        (Bound::Limits, Resource::Cpu) => &["limits.cpu"],
        (Bound::Limits, Resource::Memory) => &["limits.memory"],
        (Bound::Limits, Resource::EphemeralStorage) => &["limits.ephemeral-storage"],
    }
}

/// A ResourceQuota of `namespace` that tracks `key`, with the `spec.hard` entry's key node: the
/// quota admission plugin rejects a pod whose containers leave a tracked value unset.
pub fn quota_tracking<'a, 's>(
    index: &'a Index<'s>,
    namespace: &str,
    key: ResourceKey,
) -> Option<(&'a Object<'s>, &'a Node<'s>)> {
    index
        .in_namespace(namespace, "", "ResourceQuota")
        .find_map(|quota| {
            let hard = quota.root.path(&["spec", "hard"])?;
            quota_keys(key)
                .iter()
                .find_map(|k| hard.entry(k))
                .map(|e| (quota, &e.key))
        })
}

/// Whether a ResourceQuota caps CPU or memory (requests or limits), not only object counts.
pub fn quota_caps_compute(quota: &Object<'_>) -> bool {
    quota.root.path(&["spec", "hard"]).is_some_and(|hard| {
        ResourceKey::CPU_AND_MEMORY
            .iter()
            .flat_map(|k| quota_keys(*k))
            .any(|k| hard.get(k).is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for key in ResourceKey::CPU_AND_MEMORY {
            assert_eq!(ResourceKey::parse(&key.to_string()), Some(key));
        }
        assert_eq!(
            ResourceKey::parse("limits.ephemeral-storage"),
            Some(ResourceKey::new(Bound::Limits, Resource::EphemeralStorage))
        );
        assert_eq!(ResourceKey::parse("requests.gpu"), None);
        assert_eq!(ResourceKey::parse("cpu"), None);
    }

    #[test]
    fn quantity_params_parse_when_built() {
        let q: QuantityParam = serde_json::from_value(serde_json::json!("1Gi")).unwrap();
        assert_eq!(q.value, Quantity::parse("1024Mi").unwrap());
        let q: QuantityParam = serde_json::from_value(serde_json::json!(0.5)).unwrap();
        assert_eq!(q.value, Quantity::parse("500m").unwrap());
        assert!(serde_json::from_value::<QuantityParam>(serde_json::json!("lots")).is_err());
    }
}
