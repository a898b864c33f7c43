//! Views of pod-bearing objects down to their containers, and the effective security context:
//! fields set on the pod's `securityContext` apply to every container unless the container's
//! own `securityContext` sets them too.

use crate::load::tree::{Node, Span};
use crate::model::{Labels, Object};

/// The pod template of a pod-bearing object (or the pod itself).
#[derive(Clone, Copy, Debug)]
pub struct PodTemplate<'a, 's> {
    pub object: &'a Object<'s>,
    /// The pod's `metadata` (the template's, or the Pod's own).
    pub metadata: Option<&'a Node<'s>>,
    /// The pod's `spec`.
    pub spec: &'a Node<'s>,
}

/// Where the pod template sits in each pod-bearing kind.
fn template_path(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "Pod" => &[],
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job"
        | "Rollout"
        | "DeploymentConfig" => &["spec", "template"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template"],
        "PodTemplate" => &["template"],
        _ => return None,
    })
}

/// The labels of the pods `object` creates, when it is pod-bearing and has a template, even one
/// written without a `spec` (a fragment still tells which pods a Service or PDB is meant for).
pub fn pod_labels(object: &Object<'_>) -> Option<Labels> {
    let path = template_path(object.kind)?;
    let template = if path.is_empty() {
        &object.root
    } else {
        object.root.path(path)?
    };
    template.as_mapping()?;
    Some(
        template
            .path(&["metadata", "labels"])
            .map(Labels::from_node)
            .unwrap_or_default(),
    )
}

impl<'a, 's> PodTemplate<'a, 's> {
    /// The pod template of `object`, if its kind carries one and it is written out (an Argo
    /// Rollout may reference a Deployment's template instead).
    pub fn of(object: &'a Object<'s>) -> Option<Self> {
        let path = template_path(object.kind)?;
        let template = if path.is_empty() {
            &object.root
        } else {
            object.root.path(path)?
        };
        let spec = template.get("spec")?;
        spec.as_mapping()?;
        Some(PodTemplate {
            object,
            metadata: template.get("metadata"),
            spec,
        })
    }

    /// The labels the pods will carry.
    pub fn labels(&self) -> Labels {
        self.metadata
            .and_then(|m| m.get("labels"))
            .map(Labels::from_node)
            .unwrap_or_default()
    }

    pub fn security_context(&self) -> Option<&'a Node<'s>> {
        self.spec.get("securityContext").filter(|n| !n.is_null())
    }

    /// Every container: init containers first, then containers, then ephemeral containers.
    pub fn containers(&self) -> impl Iterator<Item = Container<'a, 's>> + '_ {
        let pod = *self;
        [
            ("initContainers", ContainerKind::Init),
            ("containers", ContainerKind::Regular),
            ("ephemeralContainers", ContainerKind::Ephemeral),
        ]
        .into_iter()
        .flat_map(move |(key, kind)| {
            pod.spec
                .get(key)
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter(|n| n.as_mapping().is_some())
                .map(move |node| Container { pod, node, kind })
        })
    }

    /// A pod-level field (`hostNetwork`), with its node.
    pub fn field(&self, key: &str) -> Option<&'a Node<'s>> {
        self.spec.get(key).filter(|n| !n.is_null())
    }

    /// The `spec:` key of the pod (or of the template), where findings about a missing pod-level
    /// field point.
    pub fn spec_key_span(&self) -> Span {
        let template = if self.object.kind == "Pod" {
            &self.object.root
        } else {
            template_path(self.object.kind)
                .and_then(|p| self.object.root.path(p))
                .unwrap_or(&self.object.root)
        };
        template
            .entry("spec")
            .map_or(self.spec.span(), |e| e.key.span())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    Init,
    Regular,
    Ephemeral,
}

impl ContainerKind {
    pub fn noun(self) -> &'static str {
        match self {
            ContainerKind::Init => "init container",
            ContainerKind::Regular => "container",
            ContainerKind::Ephemeral => "ephemeral container",
        }
    }
}

/// Where an effective security-context value was set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Pod,
    Container,
}

#[derive(Clone, Copy, Debug)]
pub struct Container<'a, 's> {
    pub pod: PodTemplate<'a, 's>,
    pub node: &'a Node<'s>,
    pub kind: ContainerKind,
}

impl<'a, 's> Container<'a, 's> {
    pub fn name(&self) -> &'a str {
        self.node
            .get("name")
            .and_then(Node::scalar_text)
            .unwrap_or("")
    }

    /// The container's `name:` value: where findings about something missing in it point.
    pub fn anchor(&self) -> Span {
        self.node.get("name").map_or(self.node.span(), |n| n.span())
    }

    pub fn get(&self, key: &str) -> Option<&'a Node<'s>> {
        self.node.get(key).filter(|n| !n.is_null())
    }

    pub fn security_context(&self) -> Option<&'a Node<'s>> {
        self.get("securityContext")
    }

    /// The `securityContext:` key of the container if present, else its name: the nearest
    /// existing place for a finding about a missing security setting.
    pub fn security_anchor(&self) -> Span {
        self.node
            .entry("securityContext")
            .map_or_else(|| self.anchor(), |e| e.key.span())
    }

    /// A container-only security field (`privileged`, `readOnlyRootFilesystem`...).
    pub fn security_field(&self, key: &str) -> Option<&'a Node<'s>> {
        self.security_context()?.get(key).filter(|n| !n.is_null())
    }

    /// A field that may be set on the pod and overridden by the container (`runAsNonRoot`,
    /// `runAsUser`, `seccompProfile`...), with where it was found.
    pub fn effective(&self, key: &str) -> Option<(&'a Node<'s>, Level)> {
        if let Some(n) = self.security_field(key) {
            return Some((n, Level::Container));
        }
        self.pod
            .security_context()?
            .get(key)
            .filter(|n| !n.is_null())
            .map(|n| (n, Level::Pod))
    }

    /// The container's `image:` value and its parsed reference; `None` when absent or not a
    /// judgeable reference (a template placeholder).
    pub fn image(&self) -> Option<(&'a Node<'s>, crate::model::image::ImageRef<'a>)> {
        let node = self.get("image")?;
        let image = crate::model::image::ImageRef::parse(node.as_str()?)?;
        Some((node, image))
    }

    /// `container `web`` or `init container `setup``, for messages.
    pub fn describe(&self) -> String {
        format!("{} `{}`", self.kind.noun(), self.name())
    }
}
