//! `container-privilege-escalation`: a container may gain more privileges than its parent
//! process.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::PodTemplate;
use crate::model::security::{adds_capability, is_windows};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a container (init and ephemeral containers included) whose `securityContext`
    /// does not set `allowPrivilegeEscalation: false`. A privileged container, or one that
    /// adds `SYS_ADMIN`, is reported with a message saying so: Kubernetes always allows such a
    /// container to escalate (and refuses `allowPrivilegeEscalation: false` beside them).
    ///
    /// ## Why it matters
    ///
    /// `allowPrivilegeEscalation` controls the kernel's `no_new_privs` flag. Left unset it
    /// defaults to `true`: a setuid binary in the image (`su`, `sudo`, `ping` in many base
    /// images) or a file capability turns a compromised non-root process back into root. The
    /// seed's production checklist asks for security contexts and enforced Pod Security
    /// Standards, whose `restricted` level requires `allowPrivilegeEscalation: false`.
    /// Default severity: error, as kube-linter (`privilege-escalation-container`) and Polaris
    /// (`privilegeEscalationAllowed`, danger) rate it.
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
    ///       securityContext:
    ///         runAsNonRoot: true
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
    ///       securityContext:
    ///         runAsNonRoot: true
    ///         allowPrivilegeEscalation: false
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// The field is Linux-only: pods that declare `spec.os.name: windows` are skipped, Windows
    /// pods that do not declare it are reported. A cluster-wide admission policy that defaults the field is not visible in the
    /// manifests.
    ContainerPrivilegeEscalation {
        id: "container-privilege-escalation",
        category: Security,
        severity: Error,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a container may escalate its privileges",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerPrivilegeEscalation {}

impl Rule for ContainerPrivilegeEscalation {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        if is_windows(&pod) {
            return;
        }
        for container in pod.containers() {
            let field = container.security_field("allowPrivilegeEscalation");
            let span = field.map_or_else(|| container.security_anchor(), |n| n.span());
            let who = container.describe();
            let privileged = container
                .security_field("privileged")
                .and_then(|n| n.as_bool())
                == Some(true);
            if privileged {
                cx.report(
                    object,
                    span,
                    format!("{who} is privileged, so it can always escalate its privileges"),
                )
                .help("drop `privileged: true`, then set `allowPrivilegeEscalation: false`");
                continue;
            }
            if adds_capability(&container, "SYS_ADMIN") {
                cx.report(
                    object,
                    span,
                    format!("{who} adds `SYS_ADMIN`, so it can always escalate its privileges"),
                )
                .help("remove `SYS_ADMIN` from `capabilities.add`, then set `allowPrivilegeEscalation: false`");
                continue;
            }
            match field.map(|n| n.as_bool()) {
                Some(Some(false)) => {}
                Some(Some(true)) => {
                    cx.report(
                        object,
                        span,
                        format!("{who} sets `allowPrivilegeEscalation: true`"),
                    )
                    .help("set `allowPrivilegeEscalation: false`");
                }
                _ => {
                    cx.report(
                        object,
                        span,
                        format!("{who} does not set `allowPrivilegeEscalation: false`"),
                    )
                    .help("set `securityContext.allowPrivilegeEscalation: false` on the container (it defaults to `true`)");
                }
            }
        }
    }
}
