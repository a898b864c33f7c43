//! `pod-host-namespace`: a pod shares the node's network, PID or IPC namespace.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::PodTemplate;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports each of `hostNetwork: true`, `hostPID: true` and `hostIPC: true` in a pod spec,
    /// one finding per field, at its value.
    ///
    /// ## Why it matters
    ///
    /// A pod in the host's network namespace sees every interface of the node, can bind any
    /// of its ports and reach services listening on localhost (the kubelet's, etcd's on control
    /// planes), bypassing NetworkPolicies. `hostPID` lets it see and signal every process of
    /// the node and read their environment; `hostIPC` gives it the node's shared memory. The
    /// Pod Security Standards' `baseline` level forbids all three. Default severity: error.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   hostNetwork: true
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
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
    /// Expose the pod through a Service instead of the node's network.
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// CNI plugins, node exporters and ingress controllers on bare metal legitimately use the
    /// host network; suppress the finding for them with a reason.
    PodHostNamespace {
        id: "pod-host-namespace",
        category: Security,
        severity: Error,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a pod shares a namespace of the node",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodHostNamespace {}

impl Rule for PodHostNamespace {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        for (field, what) in [
            ("hostNetwork", "network"),
            ("hostPID", "process (PID)"),
            ("hostIPC", "IPC"),
        ] {
            if let Some(value) = pod.field(field)
                && value.as_bool() == Some(true)
            {
                cx.report(
                    object,
                    value.span(),
                    format!("pod shares the node's {what} namespace (`{field}: true`)"),
                )
                .help(format!(
                    "remove `{field}: true`; run the workload in its own namespace"
                ));
            }
        }
    }
}
