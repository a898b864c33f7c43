//! `container-image-digest-missing`: a container image is not pinned by digest.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::PodTemplate;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a container image (init and ephemeral containers included) without a content
    /// digest (`@sha256:...`). Opt-in: enable it with `--select container-image-digest-missing`
    /// or in the configuration.
    ///
    /// ## Why it matters
    ///
    /// A tag, even a version tag, can be pushed again: only a digest guarantees that every
    /// node runs the bytes that were tested and scanned, and that a compromised registry
    /// account cannot swap the image under a running Deployment. It is off by default because
    /// pinning digests needs tooling (Renovate, Dependabot, `kustomize edit set image`) to keep
    /// them current; teams with that tooling should turn it on. Default severity: warning.
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
    ///       image: nginx:1.27.3
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
    ///       image: nginx:1.27.3@sha256:0a4ff7bf8a2f1f0b5b2f8e3b5c9e1d3c4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c
    /// ```
    ///
    /// Keeping the tag beside the digest documents the version; the digest decides.
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// The digest is not checked against a registry. Unrendered templates (`{{ .Values.image }}`,
    /// `${IMAGE}`) and placeholders
    /// (`<your-image>`) are not judged.
    ContainerImageDigestMissing {
        id: "container-image-digest-missing",
        category: Security,
        severity: Warning,
        enabled: false,
        kinds: POD_BEARING,
        summary: "a container image is not pinned by digest",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerImageDigestMissing {}

impl Rule for ContainerImageDigestMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        for container in pod.containers() {
            let Some((node, image)) = container.image() else {
                continue;
            };
            let text = node.as_str().unwrap_or_default();
            if image.has_digest() {
                continue;
            }
            cx.report(
                object,
                node.span(),
                format!(
                    "{} uses image `{text}`, which is not pinned by digest",
                    container.describe()
                ),
            )
            .help("append the image's digest (`@sha256:...`) and let a bot such as Renovate keep it current");
        }
    }
}
