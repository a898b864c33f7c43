//! `container-capabilities-not-dropped`: a container keeps the runtime's default capabilities.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::PodTemplate;
use crate::model::security::{capability_items, is_windows};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a container (init and ephemeral containers included) whose
    /// `securityContext.capabilities.drop` does not contain `ALL` (in any case, with or
    /// without the `CAP_` prefix, as the runtime reads it).
    ///
    /// ## Why it matters
    ///
    /// Container runtimes grant a default set of about fourteen capabilities (`CHOWN`,
    /// `DAC_OVERRIDE`, `FOWNER`, `SETUID`, `NET_RAW`...) that most applications never use and
    /// that widen what a compromised process can do. Dropping `ALL` and adding back only what
    /// is needed (`NET_BIND_SERVICE` for ports below 1024) is what the Pod Security Standards'
    /// `restricted` level requires, and what the seed's "security contexts" item means in
    /// practice. Default severity: warning (`restricted`, not `baseline`).
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
    ///         capabilities:
    ///           drop: ["NET_RAW"]
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
    ///         capabilities:
    ///           drop: ["ALL"]
    ///           add: ["NET_BIND_SERVICE"]
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Dropping every default capability one by one instead of `ALL` is still reported.
    /// Capabilities are Linux-only: pods that declare `spec.os.name: windows` are skipped,
    /// Windows pods that do not declare it are reported.
    ContainerCapabilitiesNotDropped {
        id: "container-capabilities-not-dropped",
        category: Security,
        severity: Warning,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a container does not drop all capabilities",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerCapabilitiesNotDropped {}

impl Rule for ContainerCapabilitiesNotDropped {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        if is_windows(&pod) {
            return;
        }
        for container in pod.containers() {
            if capability_items(&container, "drop").any(|(c, _)| c == "ALL") {
                continue;
            }
            // The nearest existing key: `drop:`, else `capabilities:`, else `securityContext:`.
            let capabilities = container
                .security_context()
                .and_then(|sc| sc.entry("capabilities"));
            let span = capabilities
                .and_then(|e| e.value.entry("drop"))
                .or(capabilities)
                .map_or_else(|| container.security_anchor(), |e| e.key.span());
            cx.report(
                object,
                span,
                format!("{} does not drop `ALL` capabilities", container.describe()),
            )
            .help("set `capabilities.drop: [\"ALL\"]` and add back only the capabilities the process needs");
        }
    }
}
