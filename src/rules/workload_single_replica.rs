//! `workload-single-replica`: a Deployment or StatefulSet runs fewer replicas than required.

use crate::model::Object;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a Deployment or StatefulSet (and their equivalents, an Argo Rollout and an
    /// OpenShift DeploymentConfig) that asks for fewer replicas than `min_replicas`, 2 by
    /// default. A missing `replicas` means 1, as the API server defaults it. A workload that a
    /// HorizontalPodAutoscaler (or a KEDA ScaledObject) in the input targets is skipped: the
    /// autoscaler owns its replica count
    /// (whether its `minReplicas` is high enough is the HPA rules' business). `replicas: 0`, a
    /// workload switched off on purpose, is skipped too.
    ///
    /// ## Why it matters
    ///
    /// One replica is one point of failure: a node drain, an eviction or a crash takes the
    /// service down until a new pod is scheduled and ready, and a PodDisruptionBudget can only
    /// block the drain, not keep the service up. The seed's checklist asks for "Multi-replica
    /// high availability", and its HPAs never go below 2 replicas.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 1
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
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 3
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
    /// Or leave `replicas` out and let an HPA with `minReplicas: 2` manage the Deployment.
    ///
    /// ## Parameters
    ///
    /// - `min_replicas` (default `2`, the seed's HPA minimum for both tiers): the fewest
    ///   replicas a workload may ask for.
    ///
    /// ```yaml
    /// rules:
    ///   workload-single-replica:
    ///     params:
    ///       min_replicas: 3
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Only autoscalers in the input count. A database that cannot run more than one instance without a replication
    /// setup (the seed's PostgreSQL and Redis) is reported: that is a real single point of
    /// failure, suppress it with the reason if it is accepted.
    WorkloadSingleReplica {
        id: "workload-single-replica",
        category: Reliability,
        severity: Warning,
        enabled: true,
        kinds: &["Deployment", "StatefulSet", "Rollout", "DeploymentConfig"],
        summary: "a deployment or statefulset runs fewer replicas than required",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkloadSingleReplica {
    pub min_replicas: i64,
}

impl Default for WorkloadSingleReplica {
    fn default() -> Self {
        WorkloadSingleReplica { min_replicas: 2 }
    }
}

impl Rule for WorkloadSingleReplica {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some((count, node)) = crate::model::workload::replicas(object) else {
            return;
        };
        if count == 0 || count >= self.min_replicas {
            return;
        }
        if !crate::model::workload::autoscalers(cx.index, object).is_empty() {
            return;
        }
        let noun = if count == 1 { "replica" } else { "replicas" };
        let (span, message) = match node {
            Some(n) => (
                n.span(),
                format!("{} `{}` runs {count} {noun}", object.kind, object.name),
            ),
            None => (
                object
                    .root
                    .entry("spec")
                    .map_or_else(|| object.anchor(), |e| e.key.span()),
                format!(
                    "{} `{}` sets no `replicas`, so it runs 1",
                    object.kind, object.name
                ),
            ),
        };
        cx.report(object, span, message).help(format!(
            "run at least {} replicas spread over nodes or zones, or let a HorizontalPodAutoscaler manage the count",
            self.min_replicas
        ));
    }
}
