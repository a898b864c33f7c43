//! `deployment-replicas-with-hpa`: a workload an HPA scales also sets `spec.replicas`.

use crate::model::Object;
use crate::model::replicas::spec_replicas;
use crate::model::workload::REPLICATED_KINDS;
use crate::model::workload::autoscalers;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports `spec.replicas` on a Deployment (or StatefulSet, ReplicaSet, Rollout...) that a
    /// HorizontalPodAutoscaler of the input scales, or a KEDA ScaledObject (which creates an
    /// HPA in the cluster). The autoscaler is a related location.
    ///
    /// ## Why it matters
    ///
    /// The HPA owns the replica count once it exists. Every `kubectl apply` (or GitOps sync)
    /// of a manifest that still sets `replicas` resets the count to the written figure: a
    /// workload scaled to 10 under load drops to the static figure mid-peak, and the HPA needs
    /// minutes to climb back. kube-score has this check; the Kubernetes documentation
    /// recommends removing `replicas` from the manifest when an HPA manages it.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 5
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ---
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
    ///         - name: web
    ///           image: nginx:1.27
    /// ---
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
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Server-side apply with a field manager that does not own `replicas` avoids the reset;
    /// the rule cannot see how manifests are applied. Only HPAs in the input count.
    DeploymentReplicasWithHpa {
        id: "deployment-replicas-with-hpa",
        category: Scaling,
        severity: Warning,
        enabled: true,
        kinds: REPLICATED_KINDS,
        summary: "a workload scaled by an HPA also sets replicas",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploymentReplicasWithHpa {}

impl Rule for DeploymentReplicasWithHpa {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some((value, node)) = spec_replicas(object) else {
            return;
        };
        // HPAs of the input, and KEDA ScaledObjects (which create an HPA in the cluster).
        let owners = autoscalers(cx.index, object);
        let Some(first) = owners.first() else { return };
        let noun = |o: &Object<'_>| {
            if o.kind == "HorizontalPodAutoscaler" {
                "HPA"
            } else {
                "ScaledObject"
            }
        };
        let mut report = cx
            .report(
                object,
                node.span(),
                format!(
                    "`replicas: {value}` is set while {} `{}` scales this {}",
                    noun(first),
                    first.name,
                    object.kind
                ),
            )
            .help("remove `replicas`: every apply resets the count the autoscaler chose");
        for owner in &owners {
            let span = owner
                .root
                .path(&["spec", "scaleTargetRef"])
                .map_or_else(|| owner.anchor(), |n| n.get("name").unwrap_or(n).span());
            report = report.related(
                owner,
                span,
                format!("{} `{}` targets it here", noun(owner), owner.name),
            );
        }
    }
}
