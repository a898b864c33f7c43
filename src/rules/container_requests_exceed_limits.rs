//! `container-requests-exceed-limits`: a container requests more of a resource than its limit.

use crate::load::tree::Node;
use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::{ContainerKind, PodTemplate};
use crate::model::quantity::Quantity;
use crate::model::resources::{self, Bound, Resource, ResourceKey};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a container whose request for a resource (CPU, memory, ephemeral storage,
    /// hugepages, extended resources) is larger than its limit for it. Quantities are compared
    /// exactly, whatever their notation: `500m` equals `0.5`, `1Gi` equals `1024Mi`, `1e3`
    /// equals `1k`.
    ///
    /// A container that sets a request but no limit gets the `default` limit of its
    /// namespace's `Container` LimitRange (when one is in the input), and that limit is
    /// compared too.
    ///
    /// ## Why it matters
    ///
    /// The API server rejects the pod (`must be less than or equal to cpu limit`): the
    /// Deployment is accepted, but its ReplicaSet never creates a pod, and the rollout hangs
    /// until its deadline. When the limit comes from a LimitRange default, the manifest looks
    /// fine and the rejection surprises everyone.
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
    ///         requests: {cpu: "1.5", memory: 2Gi}
    ///         limits: {cpu: 1000m, memory: 2048Mi}
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
    ///         requests: {cpu: 500m, memory: 2Gi}
    ///         limits: {cpu: "1", memory: 2048Mi}
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `limit_range_defaults` (default `true`): also compare a request with the default
    ///   limit a LimitRange of the namespace gives a container that sets none.
    ///
    /// ```yaml
    /// rules:
    ///   container-requests-exceed-limits:
    ///     params:
    ///       limit_range_defaults: false
    /// ```
    ///
    /// ## Known limitations
    ///
    /// A value that is not a valid quantity (`1 GB`, `500 m`) is left to schema validation,
    /// which reports it once with the reason; this rule skips the pair. Only LimitRanges in the
    /// input are seen.
    ContainerRequestsExceedLimits {
        id: "container-requests-exceed-limits",
        category: Resources,
        severity: Error,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a container requests more of a resource than its limit",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContainerRequestsExceedLimits {
    pub limit_range_defaults: bool,
}

impl Default for ContainerRequestsExceedLimits {
    fn default() -> Self {
        ContainerRequestsExceedLimits {
            limit_range_defaults: true,
        }
    }
}

fn valid(node: &Node<'_>) -> Option<Quantity> {
    Quantity::from_node(node)?.ok()
}

impl Rule for ContainerRequestsExceedLimits {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        for container in pod.containers() {
            if container.kind == ContainerKind::Ephemeral {
                continue;
            }
            let Some(res) = container.get("resources") else {
                continue;
            };
            let limits = res.get("limits");
            for request in res.get("requests").map(|r| r.entries()).unwrap_or_default() {
                let Some(name) = request.key.scalar_text() else {
                    continue;
                };
                let Some(wanted) = valid(&request.value) else {
                    continue;
                };
                let text = request.value.scalar_text().unwrap_or_default();
                if let Some(limit) = limits.and_then(|l| l.get(name)).filter(|n| !n.is_null()) {
                    let Some(cap) = valid(limit) else { continue };
                    if wanted > cap {
                        cx.report(
                            object,
                            request.value.span(),
                            format!(
                                "{} requests `{text}` of `{name}`, more than its limit `{}`",
                                container.describe(),
                                limit.scalar_text().unwrap_or_default()
                            ),
                        )
                        .help(format!(
                            "lower the request or raise the limit: the API server rejects a pod whose `{name}` request exceeds its limit"
                        ))
                        .related(object, limit.span(), "the limit is set here");
                    }
                    continue;
                }
                if !self.limit_range_defaults {
                    continue;
                }
                let resource = match name {
                    "cpu" => Resource::Cpu,
                    "memory" => Resource::Memory,
                    "ephemeral-storage" => Resource::EphemeralStorage,
                    _ => continue,
                };
                let Some(namespace) = object.namespace.as_deref() else {
                    continue;
                };
                let Some(default) = resources::limit_range_default(
                    cx.index,
                    namespace,
                    ResourceKey::new(Bound::Limits, resource),
                ) else {
                    continue;
                };
                let Some(cap) = default.quantity() else {
                    continue;
                };
                if wanted > cap {
                    let resources::Origin::LimitRange(range) = default.origin else {
                        continue;
                    };
                    cx.report(
                        object,
                        request.value.span(),
                        format!(
                            "{} requests `{text}` of `{name}`, more than the default limit `{}` of LimitRange `{}`",
                            container.describe(),
                            default.node.scalar_text().unwrap_or_default(),
                            range.name
                        ),
                    )
                    .help(format!(
                        "set a `{name}` limit at least as large as the request: the container sets none, so it gets the LimitRange default and the API server rejects the pod"
                    ))
                    .related(range, default.node.span(), format!("LimitRange `{}` gives this default limit", range.name));
                }
            }
        }
    }
}
