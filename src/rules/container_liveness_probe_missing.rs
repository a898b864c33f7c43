//! `container-liveness-probe-missing`: a long-running container has no liveness probe.

use crate::model::Object;
use crate::model::probes::{self, PROBED_KINDS, ProbeKind};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a container of a long-running workload (Deployment, StatefulSet, DaemonSet,
    /// ReplicaSet, ReplicationController, Argo Rollout, OpenShift DeploymentConfig, and bare
    /// Pods whose `restartPolicy` is `Always`, the default) that has no `livenessProbe`.
    ///
    /// Jobs, CronJobs, Pods with `restartPolicy: Never` or `OnFailure`, and init containers run
    /// to completion and are not checked.
    ///
    /// ## Why it matters
    ///
    /// Without a liveness probe the kubelet restarts a container only when its process exits: a
    /// server that deadlocks or stops accepting connections keeps its place, and its share of the
    /// traffic, until someone notices. The seed promises "Health Checks: Multi-level probes
    /// (liveness, readiness, startup)".
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
    ///           livenessProbe:
    ///             httpGet: {path: /health, port: http}
    ///             periodSeconds: 10
    ///             failureThreshold: 3
    ///           readinessProbe:
    ///             httpGet: {path: /ready, port: http}
    ///             periodSeconds: 5
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Some processes are better without a liveness probe (one that only checks a dependency does
    /// harm, see `container-probes-identical`): suppress the finding with a reason for them.
    /// Native sidecars (`restartPolicy: Always` init containers) are not checked.
    ContainerLivenessProbeMissing {
        id: "container-liveness-probe-missing",
        category: Reliability,
        severity: Warning,
        enabled: true,
        kinds: PROBED_KINDS,
        summary: "a long-running container has no liveness probe",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerLivenessProbeMissing {}

impl Rule for ContainerLivenessProbeMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        for container in probes::long_running_containers(object) {
            if probes::probe(&container, ProbeKind::Liveness).is_none() {
                cx.report(
                    object,
                    container.anchor(),
                    format!("{} has no liveness probe", container.describe()),
                )
                .help("add a `livenessProbe` that checks the process itself (not its dependencies), so the kubelet restarts it when it hangs");
            }
        }
    }
}
