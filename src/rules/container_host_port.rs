//! `container-host-port`: a container binds a port of the node.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::PodTemplate;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports each container port (init and ephemeral containers included) with a non-zero
    /// `hostPort`, at its value.
    ///
    /// ## Why it matters
    ///
    /// A `hostPort` opens the port on the node's address, outside Services and often outside
    /// NetworkPolicies, and limits scheduling: two pods with the same `hostPort` cannot share
    /// a node, so a rolling update or an HPA scale-up can stall with pods `Pending`. The Pod
    /// Security Standards' `baseline` level forbids host ports unless allow-listed. Default
    /// severity: warning (it exposes a port rather than granting access to the node;
    /// Polaris rates `hostPortSet` a warning).
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
    ///       image: nginx:1.27
    ///       ports:
    ///         - containerPort: 8080
    ///           hostPort: 80
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
    ///       image: nginx:1.27
    ///       ports:
    ///         - containerPort: 8080
    /// ```
    ///
    /// Expose the port through a Service (`NodePort` or `LoadBalancer` when it must be
    /// reachable from outside).
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// With `hostNetwork: true` Kubernetes fills `hostPort` in from `containerPort`; only ports
    /// written in the manifest are reported (the host network itself is `pod-host-namespace`).
    ContainerHostPort {
        id: "container-host-port",
        category: Security,
        severity: Warning,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a container binds a port of the node",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerHostPort {}

impl Rule for ContainerHostPort {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        for container in pod.containers() {
            let ports = container
                .get("ports")
                .map(|n| n.items())
                .unwrap_or_default();
            for port in ports {
                let Some(host_port) = port.get("hostPort").filter(|n| !n.is_null()) else {
                    continue;
                };
                if host_port.as_i64() == Some(0) {
                    continue;
                }
                let text = host_port.scalar_text().unwrap_or("?");
                cx.report(
                    object,
                    host_port.span(),
                    format!("{} binds host port `{text}`", container.describe()),
                )
                .help("remove `hostPort` and expose the port through a Service");
            }
        }
    }
}
