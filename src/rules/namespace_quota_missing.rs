//! `namespace-quota-missing`: a namespace that runs workloads has no ResourceQuota.

use crate::model::Object;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a namespace that holds workloads (pods, or objects that create them) but no
    /// ResourceQuota in the input that caps CPU or memory (a quota that only counts objects,
    /// `pods: "40"`, caps neither), and, with `require_limit_range`, no LimitRange either. The
    /// finding is reported on the Namespace object when the input defines it, otherwise on the
    /// first workload of that namespace.
    ///
    /// Objects that declare no `metadata.namespace` land in whatever namespace they are applied
    /// to (`kubectl apply -n`, `helm install -n`), which the input cannot know: a namespace
    /// reached only that way is not checked unless `include_undeclared` is set.
    ///
    /// ## Why it matters
    ///
    /// A ResourceQuota caps what one namespace can take from the cluster: without it, a
    /// runaway HPA or a replica typo starves every other team. The seed's security section
    /// lists "Resource Quotas: Namespace-level resource limits", and its checklist "Resource
    /// quotas and limits".
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
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
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop
    /// ---
    /// apiVersion: v1
    /// kind: ResourceQuota
    /// metadata:
    ///   name: shop-quota
    ///   namespace: shop
    /// spec:
    ///   hard:
    ///     requests.cpu: "8"
    ///     requests.memory: 16Gi
    ///     limits.cpu: "16"
    ///     limits.memory: 32Gi
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
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
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `require_limit_range` (default `false`): also require a LimitRange. It gives
    ///   containers that set no requests or limits a default, which
    ///   `container-resources-missing` already asks every container to set itself.
    /// - `include_undeclared` (default `false`): also check the run's default namespace
    ///   (`--namespace`) for objects that declare none.
    /// - `exempt_namespaces` (default `kube-system`, `kube-public`, `kube-node-lease`): the
    ///   cluster's own namespaces, whose quotas (if any) belong to the cluster's operators.
    ///
    /// ```yaml
    /// rules:
    ///   namespace-quota-missing:
    ///     params:
    ///       require_limit_range: true
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Quotas are often managed by the platform team, outside an application's manifests: when
    /// the input is one application of a shared namespace, suppress the finding or lint the
    /// platform's manifests together with it.
    NamespaceQuotaMissing {
        id: "namespace-quota-missing",
        category: Resources,
        severity: Warning,
        enabled: true,
        kinds: &[],
        summary: "a namespace that runs workloads has no resourcequota",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NamespaceQuotaMissing {
    pub require_limit_range: bool,
    pub include_undeclared: bool,
    pub exempt_namespaces: Vec<String>,
}

impl Default for NamespaceQuotaMissing {
    fn default() -> Self {
        NamespaceQuotaMissing {
            require_limit_range: false,
            include_undeclared: false,
            exempt_namespaces: ["kube-system", "kube-public", "kube-node-lease"]
                .map(String::from)
                .to_vec(),
        }
    }
}

impl Rule for NamespaceQuotaMissing {
    fn check_input(&self, cx: &mut Cx<'_, '_>) {
        let index = cx.index;
        for ns in index.namespaces() {
            if self.exempt_namespaces.contains(ns) {
                continue;
            }
            let namespace_object = index.find(None, "", "Namespace", ns);
            let workloads: Vec<&Object<'_>> = index
                .workloads_in(ns)
                .filter(|w| {
                    self.include_undeclared
                        || namespace_object.is_some()
                        || w.declared_namespace.is_some()
                })
                .collect();
            let Some(first) = workloads.first() else {
                continue;
            };
            let mut missing = Vec::new();
            let quotas: Vec<&Object<'_>> = index.in_namespace(ns, "", "ResourceQuota").collect();
            // A quota that only counts objects (`pods`, `count/secrets`) caps no CPU or memory.
            let weak = match quotas.as_slice() {
                [] => {
                    missing.push("ResourceQuota");
                    None
                }
                all if !all
                    .iter()
                    .any(|q| crate::model::resources::quota_caps_compute(q)) =>
                {
                    Some(all[0])
                }
                _ => None,
            };
            if self.require_limit_range && index.in_namespace(ns, "", "LimitRange").next().is_none()
            {
                missing.push("LimitRange");
            }
            if missing.is_empty() && weak.is_none() {
                continue;
            }
            let count = match workloads.len() {
                1 => "1 workload".to_string(),
                n => format!("{n} workloads"),
            };
            let message = match (weak, missing.is_empty()) {
                (Some(quota), true) => format!(
                    "namespace `{ns}` runs {count} but its ResourceQuota `{}` caps neither CPU nor memory",
                    quota.name
                ),
                (Some(quota), false) => format!(
                    "namespace `{ns}` runs {count} but has no LimitRange, and its ResourceQuota `{}` caps neither CPU nor memory",
                    quota.name
                ),
                (None, _) => format!(
                    "namespace `{ns}` runs {count} but has no {}",
                    missing.join(" or ")
                ),
            };

            let help = match weak {
                Some(quota) => format!(
                    "add `requests.cpu`, `requests.memory`, `limits.cpu` and `limits.memory` to the `spec.hard` of ResourceQuota `{}`{}",
                    quota.name,
                    if missing.is_empty() {
                        ""
                    } else {
                        ", and add a LimitRange"
                    }
                ),
                None => format!(
                    "add a {} to namespace `{ns}` that caps its CPU and memory",
                    missing.join(" and a ")
                ),
            };
            let mut report = match namespace_object {
                Some(namespace) => cx
                    .report(namespace, namespace.anchor(), message)
                    .help(help)
                    .related(
                        first,
                        first.anchor(),
                        format!("{} `{}` runs in it", first.kind, first.name),
                    ),
                None => cx.report(first, first.anchor(), message).help(help),
            };
            if let Some(quota) = weak {
                let at = quota
                    .root
                    .get("spec")
                    .and_then(|s| s.entry("hard"))
                    .map_or_else(|| quota.anchor(), |e| e.key.span());
                report = report.related(
                    quota,
                    at,
                    format!("ResourceQuota `{}` counts objects only", quota.name),
                );
            }
            let _ = report;
        }
    }
}
