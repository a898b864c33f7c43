//! `hpa-min-replicas-low`: an HPA may scale its workload down to a single pod.

use crate::model::Object;
use crate::model::hpa::Hpa;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a HorizontalPodAutoscaler whose `minReplicas` is below the configured minimum
    /// (default 2), or unset: the API then defaults it to 1.
    ///
    /// ## Why it matters
    ///
    /// At night the autoscaler shrinks the workload to `minReplicas`. With one pod, a node
    /// drain, an eviction or a crash takes the service down until a new pod is ready, and a
    /// PodDisruptionBudget cannot protect a single pod without blocking drains. The seed's
    /// backend and frontend HPAs both keep at least 2 replicas.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   maxReplicas: 10
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 2
    ///   maxReplicas: 10
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `min_replicas` (default `2`, the seed's HPA minimum): the lowest acceptable
    ///   `minReplicas`.
    ///
    /// ```yaml
    /// rules:
    ///   hpa-min-replicas-low:
    ///     params: {min_replicas: 3}
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Workers that may pause (queue consumers) legitimately run one replica; suppress the
    /// finding for them. `minReplicas: 0` (alpha scale-to-zero) is reported too.
    HpaMinReplicasLow {
        id: "hpa-min-replicas-low",
        category: Scaling,
        severity: Warning,
        enabled: true,
        kinds: &["HorizontalPodAutoscaler"],
        summary: "an HPA may scale its workload below the minimum replica count",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HpaMinReplicasLow {
    pub min_replicas: i64,
}

impl Default for HpaMinReplicasLow {
    fn default() -> Self {
        // The seed: "HPA: Min Replicas: 2".
        HpaMinReplicasLow { min_replicas: 2 }
    }
}

impl Rule for HpaMinReplicasLow {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(hpa) = Hpa::of(object) else { return };
        let min = self.min_replicas;
        match hpa.min_replicas() {
            Some((value, node)) if value < min => {
                cx.report(
                    object,
                    node.span(),
                    format!("`minReplicas` is `{value}`, below the minimum of `{min}`"),
                )
                .help(format!("set `minReplicas: {min}` or more"));
            }
            Some(_) => {}
            None if 1 < min => {
                cx.report(
                    object,
                    hpa.spec_key(),
                    format!("`minReplicas` is unset: the API defaults it to `1`, below the minimum of `{min}`"),
                )
                .help(format!("set `minReplicas: {min}` or more"));
            }
            None => {}
        }
    }
}
