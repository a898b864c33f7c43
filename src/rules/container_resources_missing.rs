//! `container-resources-missing`: a container sets no CPU or memory requests or limits.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::{ContainerKind, PodTemplate};
use crate::model::resources::{self, ResourceKey};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a container (init containers included) that leaves a required resource request
    /// or limit unset: by default all four of `requests.cpu`, `requests.memory`, `limits.cpu`
    /// and `limits.memory`. One finding per container lists everything it misses.
    ///
    /// A value counts as set when Kubernetes fills it in before the pod runs:
    ///
    /// - a request with no value of its own takes the container's limit (Kubernetes defaults a
    ///   missing request to the limit), so `limits.cpu` alone also sets `requests.cpu`;
    /// - a `Container` LimitRange of the namespace, in the input, supplies its `default` limit
    ///   and `defaultRequest` (with the LimitRange's own fallbacks to `max` and `min`).
    ///
    /// When a ResourceQuota of the namespace tracks a value the container leaves unset, the
    /// finding names the quota: the API server rejects such a pod.
    ///
    /// ## Why it matters
    ///
    /// Without requests the scheduler places pods blind and the pod is the first evicted under
    /// node pressure (`BestEffort`); without limits one leaking process takes the node's memory
    /// or CPU from its neighbours. A namespace with a ResourceQuota on CPU or memory rejects
    /// pods that leave those values unset. The seed's production checklist asks for
    /// "Resource quotas and limits" and gives requests and limits for every tier.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: nginx:1.27
    ///           resources:
    ///             requests:
    ///               cpu: 200m
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: nginx:1.27
    ///           resources:
    ///             requests: {cpu: 200m, memory: 512Mi}
    ///             limits: {cpu: "1", memory: 2Gi}
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `required` (default: all four, as the seed gives requests and limits for every tier):
    ///   the keys every container must set, among `requests.cpu`, `requests.memory`,
    ///   `limits.cpu`, `limits.memory`, `requests.ephemeral-storage` and
    ///   `limits.ephemeral-storage`.
    /// - `limit_range_defaults` (default `true`): whether a LimitRange default of the namespace
    ///   counts as set.
    ///
    /// ```yaml
    /// rules:
    ///   container-resources-missing:
    ///     params:
    ///       required: [requests.cpu, requests.memory, limits.memory]
    ///       limit_range_defaults: false
    /// ```
    ///
    /// Many teams leave `limits.cpu` out on purpose (CPU throttling hurts latency more than a
    /// noisy neighbour does); drop it from `required` to follow that policy.
    ///
    /// ## Known limitations
    ///
    /// Only LimitRanges in the input are seen; one that lives in the cluster but not in the
    /// input does not count. Ephemeral containers are not checked (they cannot set resources).
    ContainerResourcesMissing {
        id: "container-resources-missing",
        category: Resources,
        severity: Warning,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a container sets no cpu or memory requests or limits",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContainerResourcesMissing {
    pub required: Vec<ResourceKey>,
    pub limit_range_defaults: bool,
}

impl Default for ContainerResourcesMissing {
    fn default() -> Self {
        ContainerResourcesMissing {
            required: ResourceKey::CPU_AND_MEMORY.to_vec(),
            limit_range_defaults: true,
        }
    }
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

impl Rule for ContainerResourcesMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        for container in pod.containers() {
            if container.kind == ContainerKind::Ephemeral {
                continue;
            }
            let index = cx.index;
            let missing_keys: Vec<ResourceKey> = self
                .required
                .iter()
                .copied()
                .filter(|key| {
                    resources::effective(index, &container, *key, self.limit_range_defaults)
                        .is_none()
                })
                .collect();
            if missing_keys.is_empty() {
                continue;
            }
            let missing: Vec<String> = missing_keys.iter().map(|k| format!("`{k}`")).collect();
            // A ResourceQuota that tracks a value the container leaves unset (even after
            // LimitRange defaults) makes the API server reject the pod.
            let quota = object.namespace.as_deref().and_then(|ns| {
                missing_keys.iter().find_map(|key| {
                    resources::effective(index, &container, *key, true)
                        .is_none()
                        .then(|| resources::quota_tracking(index, ns, *key))
                        .flatten()
                        .map(|(quota, node)| (*key, quota, node))
                })
            });
            let span = container
                .node
                .entry("resources")
                .map_or_else(|| container.anchor(), |e| e.key.span());
            let report = cx.report(
                object,
                span,
                format!("{} sets no {}", container.describe(), or_list(&missing)),
            );
            match quota {
                None => {
                    report.help("set `resources.requests` and `resources.limits` for cpu and memory, sized from observed usage");
                }
                Some((key, quota, node)) => {
                    report
                        .help(format!(
                            "set `resources.requests` and `resources.limits` for cpu and memory: ResourceQuota `{}` tracks `{key}`, so the API server rejects the pod until it is set",
                            quota.name
                        ))
                        .related(
                            quota,
                            node.span(),
                            format!("ResourceQuota `{}` tracks `{key}` here", quota.name),
                        );
                }
            }
        }
    }
}
