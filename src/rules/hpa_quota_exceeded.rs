//! `hpa-quota-exceeded`: at their HPAs' maximum scale, a namespace's workloads need more cpu
//! or memory than its ResourceQuota allows.

use crate::model::Index;
use crate::model::Object;
use crate::model::pod::PodTemplate;
use crate::model::quantity::Quantity;
use crate::model::quota::{ResourceQuota, container_amount, pod_amount_by};
use crate::model::replicas::{hpas_of, max_replicas};
use crate::model::resources::Bound;
use crate::model::vpa::Vpa;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// For a ResourceQuota, adds up over the workloads of its namespace the pod count at full
    /// scale (the HPA's `maxReplicas` when an HPA manages the workload, else its static
    /// `replicas`, Job `parallelism`, or 1 for a Pod) times the pod's requests or limits of
    /// cpu and memory, and reports each `hard` figure (`requests.cpu`, `cpu`, `limits.cpu`,
    /// `requests.memory`, `memory`, `limits.memory`) that the sum exceeds, when at least one
    /// HPA takes part. Containers are counted as admission defaults them: a missing request is
    /// the limit, then a LimitRange default of the namespace applies; init containers count as
    /// the scheduler counts them. The finding lands on the quota's
    /// figure; the HPAs that push past it are related locations.
    ///
    /// ## Why it matters
    ///
    /// The quota admission refuses pods beyond the quota. The HPA then asks for replicas the
    /// ReplicaSet cannot create (`exceeded quota` events), so the workload stops growing
    /// before its configured maximum, exactly under the peak load it was sized for. Rolling
    /// updates at high scale also stall, since surge pods are refused. No peer linter relates
    /// HPAs to quotas.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: ResourceQuota
    /// metadata:
    ///   name: quota
    /// spec:
    ///   hard:
    ///     limits.memory: 16Gi
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels: {app: api}
    ///   template:
    ///     metadata:
    ///       labels: {app: api}
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: ghcr.io/example/api:1.0
    ///           resources:
    ///             requests: {cpu: 500m, memory: 1Gi}
    ///             limits: {cpu: "2", memory: 4Gi}
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: api
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
    ///   minReplicas: 2
    ///   maxReplicas: 10
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: ResourceQuota
    /// metadata:
    ///   name: quota
    /// spec:
    ///   hard:
    ///     limits.memory: 48Gi
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels: {app: api}
    ///   template:
    ///     metadata:
    ///       labels: {app: api}
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: ghcr.io/example/api:1.0
    ///           resources:
    ///             requests: {cpu: 500m, memory: 1Gi}
    ///             limits: {cpu: "2", memory: 4Gi}
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: api
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
    ///   minReplicas: 2
    ///   maxReplicas: 10
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `vpa_max_allowed` (default `false`): count requests as a VPA that updates pods (`Auto`,
    ///   `Recreate`, `InPlaceOrRecreate`) may raise them, up to its `maxAllowed`, for the
    ///   containers and resources it controls. The seed runs its backend VPA in `Auto` mode up
    ///   to 2000m and 4Gi; turn this on to see whether the quota holds the HPA's maximum at the
    ///   VPA's maximum.
    ///
    /// ```yaml
    /// rules:
    ///   hpa-quota-exceeded:
    ///     params: {vpa_max_allowed: true}
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Rolling-update surge pods, limits raised by a VPA (it scales them
    /// with requests), DaemonSets (one pod per node) and pods outside the input are not counted, so the
    /// sum is a lower bound: a quota can still be too small when this rule is silent. Quotas
    /// with `scopes` or a `scopeSelector` are skipped.
    HpaQuotaExceeded {
        id: "hpa-quota-exceeded",
        category: Scaling,
        severity: Warning,
        enabled: true,
        kinds: &["ResourceQuota"],
        summary: "workloads at their HPAs' maximum scale exceed the namespace quota",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HpaQuotaExceeded {
    pub vpa_max_allowed: bool,
}

impl HpaQuotaExceeded {
    /// The VPAs whose `maxAllowed` count for `workload`'s requests, when the parameter asks.
    fn vpas<'a, 's>(&self, index: &'a Index<'s>, workload: &Object<'_>) -> Vec<Vpa<'a, 's>> {
        if !self.vpa_max_allowed {
            return Vec::new();
        }
        Index::related(&index.relations().vpas_of, workload.id)
            .iter()
            .filter_map(|id| Vpa::of(index.get(*id)))
            .filter(Vpa::updates_pods)
            .collect()
    }
}

impl Rule for HpaQuotaExceeded {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(quota) = ResourceQuota::of(object) else {
            return;
        };
        let Some(ns) = object.namespace.as_deref() else {
            return;
        };
        if quota.is_scoped() {
            return;
        }
        let hard = quota.hard();
        if hard.is_empty() {
            return;
        }
        let index = cx.index;
        // Each workload's pod template and pod count at full scale.
        let workloads: Vec<(&Object<'_>, PodTemplate<'_, '_>, i64)> = index
            .workloads_in(ns)
            .filter_map(|o| Some((o, PodTemplate::of(o)?, max_replicas(index, o)?)))
            .collect();
        for figure in hard {
            let mut total = Quantity(0);
            let mut pushers = Vec::new();
            for (workload, pod, count) in &workloads {
                let resource = figure.resource.as_str();
                let vpas = if figure.bound == Bound::Requests {
                    self.vpas(index, workload)
                } else {
                    Vec::new()
                };
                let per_pod = pod_amount_by(pod, |c| {
                    let written = container_amount(index, c, figure.bound, figure.resource);
                    // The most a VPA may set the request to, when it controls it.
                    let raised = vpas
                        .iter()
                        .filter(|v| v.controls(c.name(), resource))
                        .filter_map(|v| v.policy_for(c.name())?.max_allowed()?.get(resource))
                        .filter_map(|n| Quantity::from_node(n)?.ok())
                        .max();
                    written.max(raised)
                });
                if per_pod.is_zero() || *count <= 0 {
                    continue;
                }
                let amount = per_pod.checked_mul(i128::from(*count)).unwrap_or(per_pod);
                total = total.checked_add(amount).unwrap_or(total);
                for hpa in hpas_of(index, workload) {
                    pushers.push((hpa, *workload, *count, per_pod, amount));
                }
            }
            if total <= figure.amount || pushers.is_empty() {
                continue;
            }
            let noun = figure.bound.as_str();
            let resource = figure.resource.as_str();
            let mut report = cx
                .report(
                    object,
                    figure.node.span(),
                    format!(
                        "{resource} {noun} reach `{total}` at HPA maximum scale, above `{}: {}`",
                        figure.key, figure.amount
                    ),
                )
                .help(format!(
                    "raise `{}` to at least `{total}`, or lower the HPAs' `maxReplicas` or the pods' {resource} {noun}",
                    figure.key
                ));
            for (hpa, workload, count, per_pod, amount) in pushers {
                let span = hpa
                    .max_replicas()
                    .map_or_else(|| hpa.object.anchor(), |(_, n)| n.span());
                report = report.related(
                    hpa.object,
                    span,
                    format!(
                        "HPA `{}` scales {} `{}` to `{count}` pods x `{per_pod}` {resource} {noun} = `{amount}`",
                        hpa.object.name, workload.kind, workload.name
                    ),
                );
            }
        }
    }
}
