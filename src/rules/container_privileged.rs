//! `container-privileged`: a container runs privileged.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::PodTemplate;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a container (init and ephemeral containers included) whose `securityContext`
    /// sets `privileged: true`.
    ///
    /// ## Why it matters
    ///
    /// A privileged container has every capability and access to all host devices: it is root
    /// on the node. One compromised process escapes the container trivially. The seed's
    /// production checklist asks for security contexts and enforced Pod Security Standards,
    /// whose `baseline` level already forbids privileged containers.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: debug
    /// spec:
    ///   containers:
    ///     - name: shell
    ///       image: busybox:1.36
    ///       securityContext:
    ///         privileged: true
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: debug
    /// spec:
    ///   containers:
    ///     - name: shell
    ///       image: busybox:1.36
    ///       securityContext:
    ///         privileged: false
    ///         capabilities:
    ///           add: ["NET_BIND_SERVICE"]
    /// ```
    ///
    /// Grant the one capability the process needs instead.
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// System components (CNI plugins, CSI node drivers) legitimately run privileged; suppress
    /// the finding for them with a reason.
    ContainerPrivileged {
        id: "container-privileged",
        category: Security,
        severity: Error,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a container runs privileged",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerPrivileged {}

impl Rule for ContainerPrivileged {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        for container in pod.containers() {
            if let Some(value) = container.security_field("privileged")
                && value.as_bool() == Some(true)
            {
                cx.report(
                    object,
                    value.span(),
                    format!("{} runs privileged", container.describe()),
                )
                .help("remove `privileged: true` and add only the capabilities the process needs");
            }
        }
    }
}
