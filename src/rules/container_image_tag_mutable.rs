//! `container-image-tag-mutable`: a container image is not pinned to a fixed version.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::PodTemplate;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a container image (init and ephemeral containers included) that has no tag, or
    /// a mutable tag (`latest` by default), and no digest. References are parsed as the
    /// runtime reads them: in `registry:5000/app` the `:5000` is the registry's port, not a
    /// tag, so the image has no tag; an image pinned by digest (`app@sha256:...`) is never
    /// reported, whatever its tag.
    ///
    /// ## Why it matters
    ///
    /// An image without a tag means `latest`, and `latest` (or any moving tag) names whatever
    /// was pushed last: two replicas of one Deployment can run different code, a rollback
    /// does not roll back, and a node that restarts pulls an untested build. The seed's
    /// deployment automation (rolling updates with rollback) only works with fixed versions.
    /// Default severity: warning (kube-linter's `latest-tag` and Polaris' `tagNotSpecified`).
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
    ///       image: nginx:latest
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
    ///       image: nginx:1.27.3
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `mutable_tags` (list of tags, default `["latest"]`): tags that move, compared
    ///   exactly. Add your own channel tags (`stable`, `main`, `dev`...).
    ///
    /// ```yaml
    /// rules:
    ///   container-image-tag-mutable:
    ///     params:
    ///       mutable_tags: [latest, stable, main, master, dev]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Version tags can be moved too (`nginx:1.27` follows patch releases); only a digest
    /// pins content, which `container-image-digest-missing` (opt-in) asks for. Unrendered
    /// templates (`{{ .Values.image }}`, `${IMAGE}`) and placeholders
    /// (`<your-image>`) are not judged.
    ContainerImageTagMutable {
        id: "container-image-tag-mutable",
        category: Security,
        severity: Warning,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a container image has no tag or a mutable tag",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContainerImageTagMutable {
    pub mutable_tags: Vec<String>,
}

impl Default for ContainerImageTagMutable {
    fn default() -> Self {
        ContainerImageTagMutable {
            mutable_tags: vec!["latest".to_string()],
        }
    }
}

impl Rule for ContainerImageTagMutable {
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
            let who = container.describe();
            match image.tag {
                None => {
                    cx.report(
                        object,
                        node.span(),
                        format!("{who} uses image `{text}` without a tag, which means `latest`"),
                    )
                    .help("pin the image to a version tag, or better a digest (`@sha256:...`)");
                }
                Some(tag) if self.mutable_tags.iter().any(|t| t == tag) => {
                    cx.report(
                        object,
                        node.span(),
                        format!("{who} uses image `{text}` with the mutable tag `{tag}`"),
                    )
                    .help("pin the image to a version tag, or better a digest (`@sha256:...`)");
                }
                Some(_) => {}
            }
        }
    }
}
