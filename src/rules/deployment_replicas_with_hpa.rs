//! `deployment-replicas-with-hpa`: a workload an HPA scales also sets `spec.replicas`.

use crate::model::Object;
use crate::model::replicas::{REPLICATED, hpas_of, spec_replicas};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports `spec.replicas` on a Deployment (or StatefulSet, ReplicaSet, Rollout...) that a
    /// HorizontalPodAutoscaler of the input scales. The HPA is a related location.
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
        kinds: REPLICATED,
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
        let hpas = hpas_of(cx.index, object);
        let Some(first) = hpas.first() else { return };
        let mut report = cx
            .report(
                object,
                node.span,
                format!(
                    "`replicas: {value}` is set while HPA `{}` scales this {}",
                    first.object.name, object.kind
                ),
            )
            .help("remove `replicas`: every apply resets the count the HPA chose");
        for hpa in &hpas {
            let span = hpa
                .scale_target_node()
                .map_or_else(|| hpa.object.anchor(), |n| n.get("name").unwrap_or(n).span);
            report = report.related(
                hpa.object,
                span,
                format!("HPA `{}` targets it here", hpa.object.name),
            );
        }
    }
}
