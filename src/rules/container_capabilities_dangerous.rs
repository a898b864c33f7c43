//! `container-capabilities-dangerous`: a container adds a capability that breaks isolation.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::PodTemplate;
use crate::model::security::{capability_items, normalize_capability};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports every item of a container's `securityContext.capabilities.add` (init and
    /// ephemeral containers included) that names a dangerous capability. Names are compared
    /// as the runtime reads them: case-insensitive, with or without the `CAP_` prefix.
    ///
    /// ## Why it matters
    ///
    /// These capabilities each give a way out of the container or over the node:
    /// `SYS_ADMIN` (mounts, namespaces: nearly root), `SYS_MODULE` (load kernel modules),
    /// `SYS_PTRACE` (read other processes' memory), `SYS_RAWIO` and `DAC_READ_SEARCH` (raw
    /// devices, the "shocker" escape), `NET_ADMIN` and `NET_RAW` (rewrite routing and
    /// firewalls, spoof packets), `BPF` and `PERFMON` (kernel programs and tracing), `SYS_BOOT`,
    /// `SYS_TIME`, `MAC_ADMIN`, `MAC_OVERRIDE`, and `ALL`. The Pod Security Standards'
    /// `baseline` level forbids adding any of them. Default severity: error, like
    /// `container-privileged`.
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
    ///           add: ["SYS_ADMIN"]
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
    /// - `dangerous` (list of capability names, default `ALL`, `SYS_ADMIN`, `NET_ADMIN`,
    ///   `NET_RAW`, `SYS_PTRACE`, `SYS_MODULE`, `SYS_RAWIO`, `SYS_BOOT`, `SYS_TIME`,
    ///   `DAC_READ_SEARCH`, `BPF`, `PERFMON`, `MAC_ADMIN`, `MAC_OVERRIDE`): the capabilities
    ///   reported. Replaces the default list; the `CAP_` prefix and case do not matter.
    ///
    /// ```yaml
    /// rules:
    ///   container-capabilities-dangerous:
    ///     params:
    ///       dangerous: [ALL, SYS_ADMIN, SYS_MODULE, SYS_PTRACE, BPF]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Network plugins and node agents legitimately add `NET_ADMIN` or `SYS_ADMIN`; suppress
    /// the finding for them with a reason. `NET_RAW` is in the runtime's default set (drop it
    /// with `drop: ["ALL"]`, see `container-capabilities-not-dropped`); only adding it
    /// explicitly is reported here.
    ContainerCapabilitiesDangerous {
        id: "container-capabilities-dangerous",
        category: Security,
        severity: Error,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a container adds a dangerous capability",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContainerCapabilitiesDangerous {
    pub dangerous: Vec<String>,
}

impl Default for ContainerCapabilitiesDangerous {
    fn default() -> Self {
        ContainerCapabilitiesDangerous {
            dangerous: [
                "ALL",
                "SYS_ADMIN",
                "NET_ADMIN",
                "NET_RAW",
                "SYS_PTRACE",
                "SYS_MODULE",
                "SYS_RAWIO",
                "SYS_BOOT",
                "SYS_TIME",
                "DAC_READ_SEARCH",
                "BPF",
                "PERFMON",
                "MAC_ADMIN",
                "MAC_OVERRIDE",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

impl Rule for ContainerCapabilitiesDangerous {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        for container in pod.containers() {
            for (capability, node) in capability_items(&container, "add") {
                if !self
                    .dangerous
                    .iter()
                    .any(|d| normalize_capability(d) == capability)
                {
                    continue;
                }
                let message = if capability == "ALL" {
                    format!("{} adds `ALL` capabilities", container.describe())
                } else {
                    format!(
                        "{} adds the dangerous capability `{capability}`",
                        container.describe()
                    )
                };
                cx.report(object, node.span(), message)
                    .help("remove it from `capabilities.add` and grant only the narrow capability the process needs");
            }
        }
    }
}
