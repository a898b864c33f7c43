//! `container-root-filesystem-writable`: a container can write to its root filesystem.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::PodTemplate;
use crate::model::security::is_windows;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a container (init and ephemeral containers included) whose `securityContext`
    /// does not set `readOnlyRootFilesystem: true`. The field exists only on containers: the
    /// pod's `securityContext` has no such field to inherit. Windows does not support it: pods
    /// that declare `spec.os.name: windows` are skipped.
    ///
    /// ## Why it matters
    ///
    /// A writable root filesystem lets an attacker drop tools and binaries, modify the
    /// application or persist across process restarts. The seed's production checklist lists
    /// "read-only filesystems" among its security contexts. Directories the application must
    /// write to (`/tmp`, caches) belong on `emptyDir` volumes. Default severity: warning (no
    /// Pod Security Standards level requires it; kube-linter and Polaris rate it a warning).
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
    ///         allowPrivilegeEscalation: false
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
    ///         allowPrivilegeEscalation: false
    ///         readOnlyRootFilesystem: true
    ///       volumeMounts:
    ///         - name: tmp
    ///           mountPath: /tmp
    ///   volumes:
    ///     - name: tmp
    ///       emptyDir: {}
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Whether the application actually needs to write elsewhere than its volumes is not
    /// known; some images (databases, nginx without an `emptyDir` for its cache) fail to start
    /// with a read-only root until given volumes for their write paths.
    ContainerRootFilesystemWritable {
        id: "container-root-filesystem-writable",
        category: Security,
        severity: Warning,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a container's root filesystem is writable",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerRootFilesystemWritable {}

impl Rule for ContainerRootFilesystemWritable {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        if is_windows(&pod) {
            return;
        }
        for container in pod.containers() {
            let field = container.security_field("readOnlyRootFilesystem");
            if field.and_then(|n| n.as_bool()) == Some(true) {
                continue;
            }
            let who = container.describe();
            let (span, message) = match field {
                Some(n) => (
                    n.span(),
                    format!(
                        "{who} has a writable root filesystem: `readOnlyRootFilesystem` is not `true`"
                    ),
                ),
                None => (
                    container.security_anchor(),
                    format!(
                        "{who} has a writable root filesystem: `readOnlyRootFilesystem` is not set"
                    ),
                ),
            };
            cx.report(object, span, message).help(
                "set `readOnlyRootFilesystem: true` and mount `emptyDir` volumes where the process must write",
            );
        }
    }
}
