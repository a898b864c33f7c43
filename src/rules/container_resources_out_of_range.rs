//! `container-resources-out-of-range`: a container's request or limit is outside the configured
//! bounds.

use std::collections::BTreeMap;

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::{ContainerKind, PodTemplate};
use crate::model::quantity::Quantity;
use crate::model::resources::{self, Bound, QuantityParam, Resource, ResourceKey};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a container request or limit, as written, below the configured minimum or above
    /// the configured maximum for its key (`requests.cpu`, `limits.memory`...). Quantities are
    /// compared exactly (`4000m` equals `4`, `8Gi` equals `8192Mi`).
    ///
    /// ## Why it matters
    ///
    /// A limit larger than any node fits nowhere and the pod stays `Pending`; a request of `1m`
    /// CPU is a typo for `1` more often than a choice; a 64Gi limit in a namespace sized for
    /// 8Gi containers is usually a unit mistake (`Gi` for `Mi`). Bounds turn such slips into
    /// findings before the cluster's LimitRange or scheduler does.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    ///       resources:
    ///         requests: {cpu: 500m, memory: 1Gi}
    ///         limits: {cpu: "2", memory: 16Gi}
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    ///       resources:
    ///         requests: {cpu: 500m, memory: 1Gi}
    ///         limits: {cpu: "2", memory: 4Gi}
    /// ```
    ///
    /// ## Parameters
    ///
    /// The rule is opt-in: bounds depend on your nodes. Selected without parameters it uses
    /// the seed's figures: a maximum of `limits.cpu: 4` and `limits.memory: 8Gi` (the
    /// database tier, the largest the seed allocates), and a minimum of `requests.cpu: 10m`.
    ///
    /// - `min`: a map from key to the smallest allowed quantity.
    /// - `max`: a map from key to the largest allowed quantity.
    ///
    /// Keys are `requests.` or `limits.` followed by `cpu`, `memory` or `ephemeral-storage`;
    /// giving `min` or `max` replaces that default map as a whole. An unknown key or a value
    /// that is not a quantity fails the configuration.
    ///
    /// ```yaml
    /// rules:
    ///   container-resources-out-of-range:
    ///     enabled: true
    ///     params:
    ///       min: {requests.cpu: 10m, requests.memory: 32Mi}
    ///       max: {limits.cpu: "8", limits.memory: 16Gi}
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Only values written in the container are compared, not LimitRange defaults or a request
    /// taken from a limit. A value that is not a valid quantity is left to schema validation.
    ContainerResourcesOutOfRange {
        id: "container-resources-out-of-range",
        category: Resources,
        severity: Warning,
        enabled: false,
        kinds: POD_BEARING,
        summary: "a container's request or limit is outside the configured bounds",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContainerResourcesOutOfRange {
    pub min: BTreeMap<ResourceKey, QuantityParam>,
    pub max: BTreeMap<ResourceKey, QuantityParam>,
}

impl Default for ContainerResourcesOutOfRange {
    fn default() -> Self {
        ContainerResourcesOutOfRange {
            min: BTreeMap::from([(
                ResourceKey::new(Bound::Requests, Resource::Cpu),
                QuantityParam::new("10m"),
            )]),
            max: BTreeMap::from([
                (
                    ResourceKey::new(Bound::Limits, Resource::Cpu),
                    QuantityParam::new("4"),
                ),
                (
                    ResourceKey::new(Bound::Limits, Resource::Memory),
                    QuantityParam::new("8Gi"),
                ),
            ]),
        }
    }
}

impl Rule for ContainerResourcesOutOfRange {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        for container in pod.containers() {
            if container.kind == ContainerKind::Ephemeral {
                continue;
            }
            let keys = self.min.keys().chain(self.max.keys());
            let mut seen: Vec<ResourceKey> = Vec::new();
            for key in keys {
                if seen.contains(key) {
                    continue;
                }
                seen.push(*key);
                let Some(node) = resources::explicit(&container, *key) else {
                    continue;
                };
                let Some(Ok(value)) = Quantity::from_node(node) else {
                    continue;
                };
                let text = node.scalar_text().unwrap_or_default();
                let (bound, word, param) =
                    if let Some(min) = self.min.get(key).filter(|m| value < m.value) {
                        (min, "below the minimum", "min")
                    } else if let Some(max) = self.max.get(key).filter(|m| value > m.value) {
                        (max, "above the maximum", "max")
                    } else {
                        continue;
                    };
                cx.report(
                    object,
                    node.span(),
                    format!(
                        "{} sets `{key}` to `{text}`, {word} `{}`",
                        container.describe(),
                        bound.text
                    ),
                )
                .help(format!(
                    "check the unit and the figure, or change `{param}.{key}` in this rule's parameters if the bound is wrong"
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_are_checked_when_built() {
        let build = crate::rules::rule::<ContainerResourcesOutOfRange>().build;
        assert!(build(Some(&serde_json::json!({"max": {"limits.memory": "16Gi"}}))).is_ok());
        let err = build(Some(&serde_json::json!({"max": {"limits.gpu": "1"}})))
            .err()
            .unwrap();
        assert!(
            err.message.contains("unknown resource `limits.gpu`"),
            "{}",
            err.message
        );
        let err = build(Some(&serde_json::json!({"min": {"requests.cpu": "ten"}})))
            .err()
            .unwrap();
        assert!(
            err.message.contains("`ten` is not a valid quantity"),
            "{}",
            err.message
        );
    }
}
