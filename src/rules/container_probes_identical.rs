//! `container-probes-identical`: a container's liveness probe is its readiness probe.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::PodTemplate;
use crate::model::probes::{self, ProbeKind, Timing};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a container whose liveness probe runs the same check as its readiness probe
    /// (same command, or same scheme, host, port, path and headers, or same TCP or gRPC
    /// target) and gives up no later than it: `failureThreshold × periodSeconds` of the
    /// liveness probe is not longer than the readiness probe's. Probes are compared by meaning:
    /// defaults are filled in (`path: /`, `scheme: HTTP`, `periodSeconds: 10`,
    /// `failureThreshold: 3`) and a named port equals the number it names.
    ///
    /// The same check with a longer liveness window is not reported: it is the pattern the
    /// Kubernetes documentation recommends ("use the same low-cost HTTP endpoint as for
    /// readiness probes, but with a higher failureThreshold"), as the readiness probe then
    /// takes the pod out of rotation well before the liveness probe restarts it.
    ///
    /// ## Why it matters
    ///
    /// Readiness answers "should this pod get traffic now?", liveness "is this process beyond
    /// repair?". When both run the same check, a slow database or a burst of load fails them
    /// together: instead of shedding traffic for a few seconds, every pod is restarted at
    /// once, caches go cold, and the outage grows. kube-score reports identical probes as
    /// critical for that reason.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/web:1.0
    ///       ports:
    ///         - {name: http, containerPort: 8000}
    ///       livenessProbe:
    ///         httpGet: {path: /health, port: http}
    ///       readinessProbe:
    ///         httpGet: {path: /health, port: 8000, scheme: HTTP}
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/web:1.0
    ///       ports:
    ///         - {name: http, containerPort: 8000}
    ///       livenessProbe:
    ///         httpGet: {path: /health, port: http}
    ///       readinessProbe:
    ///         httpGet: {path: /ready, port: http}
    /// ```
    ///
    /// Or keep one endpoint and give the liveness probe the longer window
    /// (`failureThreshold: 6` against the readiness probe's 3).
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Two different paths may still run the same code (`/health` and `/healthz` served by one
    /// handler that checks the database); only the manifest is compared.
    ContainerProbesIdentical {
        id: "container-probes-identical",
        category: Reliability,
        severity: Warning,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a container's liveness probe is its readiness probe",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerProbesIdentical {}

impl Rule for ContainerProbesIdentical {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        for container in pod.containers() {
            let (Some(live), Some(ready)) = (
                probes::probe(&container, ProbeKind::Liveness),
                probes::probe(&container, ProbeKind::Readiness),
            ) else {
                continue;
            };
            let (Some(live_check), Some(ready_check)) = (
                probes::check_of(&container, &live),
                probes::check_of(&container, &ready),
            ) else {
                continue;
            };
            if live_check != ready_check {
                continue;
            }
            let (live_timing, ready_timing) = (Timing::of(&live), Timing::of(&ready));
            let (live_window, ready_window) = (
                live_timing.seconds_to_fail(),
                ready_timing.seconds_to_fail(),
            );
            if live_window > ready_window {
                continue;
            }
            let message = if live_timing == ready_timing {
                format!(
                    "the liveness and readiness probes of {} are identical",
                    container.describe()
                )
            } else if live_window == ready_window {
                format!(
                    "the liveness probe of {} runs its readiness check and gives up as soon (after {live_window}s)",
                    container.describe()
                )
            } else {
                format!(
                    "the liveness probe of {} runs its readiness check and gives up sooner (after {live_window}s, against {ready_window}s)",
                    container.describe()
                )
            };
            cx.report(object, live.key, message)
                .help("let the liveness probe check only the process itself (an endpoint that calls no dependency), or give it a longer failure window (`failureThreshold` × `periodSeconds`) than the readiness probe")
                .related(object, ready.key, "the readiness probe runs the same check");
        }
    }
}
