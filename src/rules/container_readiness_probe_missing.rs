//! `container-readiness-probe-missing`: a long-running container has no readiness probe.

use crate::model::Object;
use crate::model::probes::{self, PROBED_KINDS, ProbeKind};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a container of a long-running workload (Deployment, StatefulSet, DaemonSet,
    /// ReplicaSet, ReplicationController, Argo Rollout, OpenShift DeploymentConfig, and bare
    /// Pods whose `restartPolicy` is `Always`, the default) that has no `readinessProbe`.
    ///
    /// Jobs, CronJobs, Pods with `restartPolicy: Never` or `OnFailure`, and init containers run
    /// to completion and are not checked.
    ///
    /// ## Why it matters
    ///
    /// Without a readiness probe a pod is marked ready as soon as its containers start: Services send
    /// it traffic before it can serve, and a rolling update replaces healthy pods with new ones
    /// that fail, because nothing tells the Deployment to stop. The seed promises "Health Checks:
    /// Multi-level probes (liveness, readiness, startup)" and "Zero-downtime Deployments: Rolling
    /// updates with health checks".
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
    ///           image: ghcr.io/example/web:1.0
    ///           ports:
    ///             - {name: http, containerPort: 8000}
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
    ///           image: ghcr.io/example/web:1.0
    ///           ports:
    ///             - {name: http, containerPort: 8000}
    ///           readinessProbe:
    ///             httpGet: {path: /ready, port: http}
    ///             periodSeconds: 5
    ///           livenessProbe:
    ///             httpGet: {path: /health, port: http}
    ///             periodSeconds: 10
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// A worker that no Service selects still benefits from a readiness probe (rollouts wait for
    /// it), so the rule does not look at Services. Native sidecars (`restartPolicy: Always` init
    /// containers) are not checked.
    ContainerReadinessProbeMissing {
        id: "container-readiness-probe-missing",
        category: Reliability,
        severity: Warning,
        enabled: true,
        kinds: PROBED_KINDS,
        summary: "a long-running container has no readiness probe",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerReadinessProbeMissing {}

impl Rule for ContainerReadinessProbeMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        for container in probes::long_running_containers(object) {
            if probes::probe(&container, ProbeKind::Readiness).is_none() {
                cx.report(
                    object,
                    container.anchor(),
                    format!("{} has no readiness probe", container.describe()),
                )
                .help("add a `readinessProbe`, so the pod gets traffic only when it can serve it and a broken rollout stops");
            }
        }
    }
}
