//! `container-startup-probe-missing`: a long-running container has no startup probe.

use crate::model::Object;
use crate::model::probes::{self, PROBED_KINDS, ProbeKind};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a container of a long-running workload (Deployment, StatefulSet, DaemonSet,
    /// ReplicaSet, ReplicationController, Argo Rollout, OpenShift DeploymentConfig, and bare
    /// Pods whose `restartPolicy` is `Always`, the default) that has no `startupProbe`.
    ///
    /// Jobs, CronJobs, Pods with `restartPolicy: Never` or `OnFailure`, and init containers run
    /// to completion and are not checked.
    ///
    /// ## Why it matters
    ///
    /// A slow-starting container (migrations, cache warm-up, JIT) has to survive its liveness probe
    /// while it boots; without a startup probe the usual fix is a long `initialDelaySeconds`,
    /// which also delays the restart of a container that hangs later. A startup probe holds the
    /// other probes back until the container has started, once. The seed promises "Health
    /// Checks: Multi-level probes (liveness, readiness, startup)"; the rule is opt-in because
    /// fast-starting containers do not need one.
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
    ///           startupProbe:
    ///             httpGet: {path: /health, port: http}
    ///             periodSeconds: 5
    ///             failureThreshold: 12
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
    /// Whether a container starts slowly is not in the manifest: select the rule for the workloads
    /// that do (a large `initialDelaySeconds` on the liveness probe is a good hint). Native
    /// sidecars are not checked.
    ContainerStartupProbeMissing {
        id: "container-startup-probe-missing",
        category: Reliability,
        severity: Info,
        enabled: false,
        kinds: PROBED_KINDS,
        summary: "a long-running container has no startup probe",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerStartupProbeMissing {}

impl Rule for ContainerStartupProbeMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        for container in probes::long_running_containers(object) {
            if probes::probe(&container, ProbeKind::Startup).is_none() {
                cx.report(
                    object,
                    container.anchor(),
                    format!("{} has no startup probe", container.describe()),
                )
                .help("add a `startupProbe` that allows for the slowest start, and drop any long `initialDelaySeconds` from the liveness probe");
            }
        }
    }
}
