//! `pod-seccomp-unconfined`: a container runs without a seccomp profile.

use crate::load::tree::{Node, Span};
use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::{Container, Level, PodTemplate};
use crate::model::security::is_windows;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports containers (init and ephemeral containers included) whose effective
    /// `seccompProfile.type` is not `RuntimeDefault` or `Localhost`: unset, or `Unconfined`.
    /// The pod's `securityContext.seccompProfile` applies to every container unless the
    /// container sets its own.
    ///
    /// When the pod sets no profile and no container sets one, one finding points at the pod
    /// (its `securityContext:` key, else its `spec:` key). A pod-level `Unconfined` is one
    /// finding at that value, naming the containers that inherit it. A container that lacks a
    /// profile while its siblings set their own, or that sets `Unconfined` itself, is reported
    /// on the container.
    ///
    /// The legacy annotations (`seccomp.security.alpha.kubernetes.io/pod`,
    /// `container.seccomp.security.alpha.kubernetes.io/<name>`) are **not** accepted: the
    /// kubelet stopped honouring them in Kubernetes 1.25 and the API server stopped copying
    /// them into the fields in 1.27, so a pod that only has the annotation runs unconfined on
    /// a current cluster. When it is present, the help says so.
    ///
    /// ## Why it matters
    ///
    /// Without a profile the container runtime applies none (Kubernetes' default is
    /// `Unconfined` unless the kubelet's `--seccomp-default` is on), leaving every system call
    /// available to a compromised process, including the ones most kernel exploits need. The
    /// `RuntimeDefault` profile blocks about forty rarely used calls and breaks almost no
    /// application. The Pod Security Standards' `baseline` level forbids `Unconfined` and
    /// `restricted` requires a profile. Default severity: warning (privileged containers,
    /// which ignore seccomp, are `container-privileged`'s concern).
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
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
    ///     seccompProfile:
    ///       type: RuntimeDefault
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// A cluster whose kubelets run with `--seccomp-default` applies `RuntimeDefault` to pods
    /// without a profile; that is not visible in the manifests. Windows has no seccomp: pods that
    /// declare `spec.os.name: windows` are skipped.
    PodSeccompUnconfined {
        id: "pod-seccomp-unconfined",
        category: Security,
        severity: Warning,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a container runs without a seccomp profile",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodSeccompUnconfined {}

const LEGACY_POD: &str = "seccomp.security.alpha.kubernetes.io/pod";
const LEGACY_CONTAINER: &str = "container.seccomp.security.alpha.kubernetes.io/";

/// How a profile node reads: confined, `Unconfined`, or something else (no or unknown type).
enum Profile<'a, 's> {
    Confined,
    Unconfined(&'a Node<'s>),
    Missing,
}

fn read<'a, 's>(profile: &'a Node<'s>) -> Profile<'a, 's> {
    match profile.get("type") {
        Some(t) => match t.as_str() {
            Some("RuntimeDefault") | Some("Localhost") => Profile::Confined,
            Some("Unconfined") => Profile::Unconfined(t),
            _ => Profile::Missing,
        },
        None => Profile::Missing,
    }
}

fn names(containers: &[Container<'_, '_>]) -> String {
    containers
        .iter()
        .map(|c| format!("`{}`", c.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Rule for PodSeccompUnconfined {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        if is_windows(&pod) {
            return;
        }
        let annotations = pod.metadata.and_then(|m| m.get("annotations"));
        let has_legacy = annotations.is_some_and(|a| {
            a.entries().iter().any(|e| {
                e.key
                    .as_str()
                    .is_some_and(|k| k == LEGACY_POD || k.starts_with(LEGACY_CONTAINER))
            })
        });
        let help = if has_legacy {
            "set `securityContext.seccompProfile.type: RuntimeDefault` on the pod: the legacy seccomp annotation is ignored since Kubernetes 1.25"
        } else {
            "set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (or `Localhost` with a profile of your own)"
        };
        let pod_profile = pod
            .security_context()
            .and_then(|sc| sc.get("seccompProfile"))
            .filter(|n| !n.is_null());
        let containers: Vec<Container<'_, '_>> = pod.containers().collect();
        // Containers that inherit the pod's profile (they set none of their own).
        let mut inheriting = Vec::new();
        for container in &containers {
            match container.effective("seccompProfile") {
                Some((node, Level::Container)) => match read(node) {
                    Profile::Confined => {}
                    Profile::Unconfined(t) => {
                        cx.report(
                            object,
                            t.span(),
                            format!(
                                "{} runs with seccomp profile `Unconfined`",
                                container.describe()
                            ),
                        )
                        .help(help);
                    }
                    Profile::Missing => {
                        cx.report(
                            object,
                            node.span(),
                            format!(
                                "{} sets a seccomp profile without type `RuntimeDefault` or `Localhost`",
                                container.describe()
                            ),
                        )
                        .help(help);
                    }
                },
                _ => inheriting.push(*container),
            }
        }
        if inheriting.is_empty() {
            return;
        }
        match pod_profile.map(read) {
            Some(Profile::Confined) => {}
            Some(Profile::Unconfined(t)) => {
                cx.report(
                    object,
                    t.span(),
                    format!(
                        "pod sets seccomp profile `Unconfined`, inherited by {}",
                        names(&inheriting)
                    ),
                )
                .help(help);
            }
            Some(Profile::Missing) => {
                let span = pod_profile.map_or(pod.spec_key_span(), |n| n.span());
                cx.report(
                    object,
                    span,
                    format!(
                        "pod sets a seccomp profile without type `RuntimeDefault` or `Localhost`, inherited by {}",
                        names(&inheriting)
                    ),
                )
                .help(help);
            }
            None if inheriting.len() == containers.len() => {
                let span: Span = pod
                    .spec
                    .entry("securityContext")
                    .map_or_else(|| pod.spec_key_span(), |e| e.key.span());
                cx.report(
                    object,
                    span,
                    "pod has no seccomp profile: its containers run `Unconfined`".to_string(),
                )
                .help(help);
            }
            None => {
                for container in inheriting {
                    cx.report(
                        object,
                        container.security_anchor(),
                        format!(
                            "{} has no seccomp profile and the pod sets none",
                            container.describe()
                        ),
                    )
                    .help(help);
                }
            }
        }
    }
}
