//! `container-runs-as-root`: a container may run as root (UID 0).

use crate::load::tree::Node;
use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::{Level, PodTemplate};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a container (init and ephemeral containers included) that may run as root: its
    /// effective `runAsUser` is `0`, or its effective `runAsNonRoot` is not `true` and its
    /// effective `runAsUser` is not a non-zero UID. "Effective" follows Kubernetes: a field of
    /// the pod's `securityContext` applies to every container unless the container's own
    /// `securityContext` sets it.
    ///
    /// An explicit `runAsUser: 0` is reported even beside `runAsNonRoot: true` (the kubelet
    /// then refuses to start the container). The finding points at the `runAsUser: 0` value,
    /// at `runAsNonRoot: false`, or, when nothing is set, at the container's
    /// `securityContext:` key (or its name).
    ///
    /// ## Why it matters
    ///
    /// Without a UID in the manifest the image's `USER` decides, and most images run as root.
    /// Root in a container is one kernel bug or one misconfigured mount away from root on the
    /// node. The seed's production checklist lists "non-root containers". Default severity:
    /// warning (Pod Security Standards `restricted`, not `baseline`; Polaris rates
    /// `runAsRootAllowed` a warning).
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
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     runAsUser: 101
    ///   containers:
    ///     - name: app
    ///       image: nginxinc/nginx-unprivileged:1.27
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// The image's `USER` is not known: an image that runs as a non-root user by itself is
    /// reported until the manifest says so (`runAsNonRoot: true` lets the kubelet verify it).
    /// Windows pods (`windowsOptions.runAsUserName`) are not understood.
    ContainerRunsAsRoot {
        id: "container-runs-as-root",
        category: Security,
        severity: Warning,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a container may run as root",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerRunsAsRoot {}

fn origin(level: Level) -> &'static str {
    match level {
        Level::Pod => " (from the pod's `securityContext`)",
        Level::Container => "",
    }
}

impl Rule for ContainerRunsAsRoot {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        for container in pod.containers() {
            let who = container.describe();
            let user = container.effective("runAsUser");
            let non_root = container.effective("runAsNonRoot");
            match user.map(|(n, l)| (n.as_i64(), n, l)) {
                Some((Some(0), node, level)) => {
                    cx.report(
                        object,
                        node.span(),
                        format!("{who} runs as root: `runAsUser: 0`{}", origin(level)),
                    )
                    .help("run as a non-zero UID and set `runAsNonRoot: true`");
                    continue;
                }
                Some((Some(_), _, _)) => continue,
                _ => {}
            }
            match non_root.map(|(n, l): (&Node<'_>, Level)| (n.as_bool(), n, l)) {
                Some((Some(true), _, _)) => {}
                Some((Some(false), node, level)) => {
                    cx.report(
                        object,
                        node.span(),
                        format!(
                            "{who} may run as root: `runAsNonRoot: false`{} and no non-zero `runAsUser`",
                            origin(level)
                        ),
                    )
                    .help("set `runAsNonRoot: true` and a non-zero `runAsUser`");
                }
                _ => {
                    cx.report(
                        object,
                        container.security_anchor(),
                        format!(
                            "{who} may run as root: neither `runAsNonRoot: true` nor a non-zero `runAsUser` is set"
                        ),
                    )
                    .help("set `runAsNonRoot: true` and a non-zero `runAsUser` on the pod's or the container's `securityContext`");
                }
            }
        }
    }
}
