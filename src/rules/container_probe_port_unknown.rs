//! `container-probe-port-unknown`: a probe targets a port the container does not declare.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::PodTemplate;
use crate::model::probes::{self, PortRef, ProbeKind};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports an `httpGet`, `tcpSocket` or `grpc` probe (liveness, readiness or startup, in any
    /// container) whose `port` names a port the container does not declare in its `ports`.
    /// With `numeric_ports`, a port number the container does not declare is reported too.
    ///
    /// ## Why it matters
    ///
    /// The kubelet resolves a named probe port against the probed container's own `ports`
    /// only. A name it cannot find (a typo, a port renamed, a port declared on the sidecar
    /// instead) fails the probe every time: a readiness probe keeps the pod out of every
    /// Service, a liveness or startup probe restarts the container in a loop. The API server
    /// accepts the manifest, so nothing fails until the rollout does.
    ///
    /// A numeric port needs no declaration to be reachable (declaring container ports is
    /// informational), so an undeclared number is only a hint that the probe and the ports
    /// disagree; that check is off by default, as in kube-linter's `probe-port`, which also
    /// reports only names.
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
    ///       readinessProbe:
    ///         httpGet: {path: /ready, port: htttp}
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
    ///       readinessProbe:
    ///         httpGet: {path: /ready, port: http}
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `numeric_ports` (default `false`): also report a port number that the container does
    ///   not declare.
    ///
    /// ```yaml
    /// rules:
    ///   container-probe-port-unknown:
    ///     params:
    ///       numeric_ports: true
    /// ```
    ///
    /// ## Known limitations
    ///
    /// A probe on `host:` another address is checked like any other. Lifecycle hooks
    /// (`preStop.httpGet`) are not checked.
    ContainerProbePortUnknown {
        id: "container-probe-port-unknown",
        category: Reliability,
        severity: Error,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a probe targets a port the container does not declare",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContainerProbePortUnknown {
    pub numeric_ports: bool,
}

impl Rule for ContainerProbePortUnknown {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        for container in pod.containers() {
            let ports = probes::container_ports(&container);
            for kind in ProbeKind::ALL {
                let Some(probe) = probes::probe(&container, kind) else {
                    continue;
                };
                let Some((handler, port_node)) = probes::probe_port(&probe) else {
                    continue;
                };
                let Some(port) = PortRef::of(port_node) else {
                    continue;
                };
                if probes::declares(&ports, port) {
                    continue;
                }
                if matches!(port, PortRef::Number(_)) && !self.numeric_ports {
                    continue;
                }
                let declared: Vec<String> = ports
                    .iter()
                    .filter_map(|p| match port {
                        PortRef::Name(_) => p.name.map(|n| format!("`{n}`")),
                        PortRef::Number(_) => p.number.map(|n| format!("`{n}`")),
                    })
                    .collect();
                let sibling = pod.containers().find(|other| {
                    other.node.span() != container.node.span()
                        && probes::declares(&probes::container_ports(other), port)
                });
                let what = match port {
                    PortRef::Name(_) => "a port named",
                    PortRef::Number(_) => "port",
                };
                let mut help = if declared.is_empty() {
                    format!("declare {what} `{port}` in the container's `ports`")
                } else {
                    format!(
                        "use one of the container's ports ({}), or declare {what} `{port}` in its `ports`",
                        declared.join(", ")
                    )
                };
                if let Some(other) = sibling {
                    help.push_str(&format!(
                        "; {} declares it, but the kubelet only looks at the probed container's ports",
                        other.describe()
                    ));
                }
                cx.report(
                    object,
                    port_node.span(),
                    format!(
                        "{} `{handler}` of {} targets {what} `{port}` that the container does not declare",
                        kind.noun(),
                        container.describe()
                    ),
                )
                .help(help);
            }
        }
    }
}
