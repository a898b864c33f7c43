//! `pod-host-path`: a pod mounts a directory or file of the node.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::PodTemplate;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports every `hostPath` volume of a pod, at its `path` value. Paths that give control
    /// over the node are called out as **sensitive** in the message and help: the root `/`,
    /// `/etc`, `/proc`, `/sys`, `/root`, `/home`, `/boot`, `/dev`, the system directories
    /// `/usr`, `/lib`, `/lib64`, `/bin` and `/sbin` (kernel modules, kubelet plugins, node
    /// binaries; the list kube-linter's `sensitive-host-mounts` uses), `/var/lib/kubelet`,
    /// `/var/lib/docker`, `/var/lib/containerd`, `/var/lib/etcd`, `/var/log`, the container
    /// runtime sockets (`/var/run/docker.sock`, `/run/containerd/containerd.sock`,
    /// `/var/run/crio/crio.sock`, with their `/run` and `/var/run` spellings) and anything
    /// under them, and any directory that contains one of them (`/var`, `/run`). Paths are
    /// normalised first (`/etc/` and `/var/./lib/../lib/kubelet` count).
    ///
    /// The rule has one severity (error); sensitivity is said in the message, not in a second
    /// severity, so that configuration stays one knob per rule.
    ///
    /// ## Why it matters
    ///
    /// A `hostPath` volume reaches past the container's filesystem into the node's. A
    /// container runtime socket gives full control of every container on the node, `/` or
    /// `/etc` lets the pod rewrite node configuration, `/var/lib/kubelet` holds other pods'
    /// secrets and `/var/log` is a known escape route (symlinks followed by the kubelet).
    /// Even harmless-looking paths tie the pod to one node's disk. The Pod Security Standards'
    /// `baseline` level forbids all `hostPath` volumes. Default severity: error.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   containers:
    ///     - name: docker
    ///       image: docker:27-cli
    ///       volumeMounts:
    ///         - name: sock
    ///           mountPath: /var/run/docker.sock
    ///   volumes:
    ///     - name: sock
    ///       hostPath:
    ///         path: /var/run/docker.sock
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   containers:
    ///     - name: build
    ///       image: gcr.io/kaniko-project/executor:v1.23.2
    ///       volumeMounts:
    ///         - name: workspace
    ///           mountPath: /workspace
    ///   volumes:
    ///     - name: workspace
    ///       emptyDir: {}
    /// ```
    ///
    /// Use `emptyDir`, a PersistentVolumeClaim, or a daemonless tool instead of the node's
    /// files.
    ///
    /// ## Parameters
    ///
    /// - `sensitive_paths` (list of absolute paths, default empty): more paths reported as
    ///   sensitive, with everything under them, in addition to the built-in list.
    ///
    /// ```yaml
    /// rules:
    ///   pod-host-path:
    ///     params:
    ///       sensitive_paths: [/opt/secrets, /srv/registry]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Node agents (log collectors, CSI node plugins, monitoring exporters) need `hostPath`;
    /// suppress the finding for them with a reason. Symbolic links on the node are not known.
    PodHostPath {
        id: "pod-host-path",
        category: Security,
        severity: Error,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a pod mounts a path of the node",
    }
}

/// Paths whose mount gives control over the node; everything under them, and every directory
/// that contains one of them, too.
const SENSITIVE: &[&str] = &[
    "/",
    "/etc",
    "/proc",
    "/sys",
    "/root",
    "/home",
    "/boot",
    "/dev",
    "/usr",
    "/lib",
    "/lib64",
    "/bin",
    "/sbin",
    "/var/lib/kubelet",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/lib/etcd",
    "/var/log",
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run/containerd",
    "/run/containerd",
    "/var/run/crio",
    "/run/crio",
    "/var/run/cri-dockerd.sock",
    "/run/cri-dockerd.sock",
];

#[derive(Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PodHostPath {
    pub sensitive_paths: Vec<String>,
}

/// `path` with `.`, `..`, repeated and trailing slashes resolved (`/var/./lib//x/` ->
/// `/var/lib/x`).
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Whether `path` is `base` or under it. `/` matches only itself: everything is under it.
fn is_at_or_under(path: &str, base: &str) -> bool {
    let base = normalize(base);
    if base == "/" {
        return path == "/";
    }
    path == base || path.strip_prefix(&base).is_some_and(|r| r.starts_with('/'))
}

impl PodHostPath {
    fn sensitive(&self, path: &str) -> bool {
        SENSITIVE
            .iter()
            .copied()
            .chain(self.sensitive_paths.iter().map(String::as_str))
            // A mount of `/var` contains `/var/lib/kubelet`: parents of sensitive paths count.
            .any(|base| is_at_or_under(path, base) || is_at_or_under(&normalize(base), path))
    }
}

impl Rule for PodHostPath {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        let volumes = pod.field("volumes").map(|n| n.items()).unwrap_or_default();
        for volume in volumes {
            let Some(host_path) = volume.get("hostPath").filter(|n| !n.is_null()) else {
                continue;
            };
            let name = volume
                .get("name")
                .and_then(|n| n.scalar_text())
                .unwrap_or("");
            let Some(path_node) = host_path.get("path").filter(|n| !n.is_null()) else {
                cx.report(
                    object,
                    host_path.span(),
                    format!("volume `{name}` mounts a path of the node"),
                )
                .help("use an `emptyDir` or a PersistentVolumeClaim instead of `hostPath`");
                continue;
            };
            let written = path_node.scalar_text().unwrap_or("");
            if self.sensitive(&normalize(written)) {
                cx.report(
                    object,
                    path_node.span(),
                    format!("volume `{name}` mounts the sensitive node path `{written}`"),
                )
                .help("this path gives control over the node: remove the volume, or isolate the workload on dedicated nodes and suppress with a reason");
            } else {
                cx.report(
                    object,
                    path_node.span(),
                    format!("volume `{name}` mounts the node path `{written}`"),
                )
                .help("use an `emptyDir` or a PersistentVolumeClaim instead of `hostPath`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{PodHostPath, normalize};

    #[test]
    fn sensitive_paths_and_their_children() {
        let rule = PodHostPath {
            sensitive_paths: vec!["/opt/secrets/".into()],
        };
        for p in [
            "/",
            "/etc",
            "/etc/",
            "/etc/kubernetes/pki",
            "/var/run/docker.sock",
            "/var/./lib/../lib/kubelet/pods",
            "/run/containerd/containerd.sock",
            "/opt/secrets/x",
            "/var",
            "/var/run",
            "/run",
            "/lib/modules",
            "/usr/libexec/kubernetes/kubelet-plugins/volume/exec/",
        ] {
            assert!(rule.sensitive(&normalize(p)), "{p}");
        }
        for p in [
            "/data",
            "/etcd-data",
            "/var/lib/app",
            "/opt/secretsx",
            "/mnt/disks",
            "/run/xtables.lock",
        ] {
            assert!(!rule.sensitive(&normalize(p)), "{p}");
        }
    }
}
