//! Typed, span-returning views over loaded objects, and the [`Index`] that owns the Kubernetes
//! semantics rules share: effective namespaces, lookups, label-selector matching.

pub mod alerts;
pub mod api_versions;
pub mod crd;
pub mod field_path;
pub mod hpa;
pub mod image;
pub mod index;
pub mod ingress;
pub mod kinds;
pub mod labels;
pub mod monitors;
pub mod names;
pub mod namespaces;
pub mod network_policy;
pub mod pdb;
pub mod pod;
pub mod probes;
pub mod promql;
pub mod quantity;
pub mod quota;
pub mod rbac;
pub mod references;
pub mod relations;
pub mod replicas;
pub mod resources;
pub mod schema;
pub mod schema_instance;
pub mod schema_report;
pub mod security;
pub mod selector;
pub mod service;
pub mod signals;
pub mod storage;
pub mod vpa;
pub mod workload;

use std::borrow::Cow;
use std::sync::Arc;

use crate::diagnostic::{FileId, ObjectRef};
use crate::load::tree::{Node, Span};

pub use index::{Index, ObjectId};
pub use labels::Labels;

/// One Kubernetes object from the input, with its tree. Its identity borrows from the tree (the
/// source text, or the file's arena for an escaped scalar), since copying six strings for
/// every object was a large share of a big run's allocations. Only the labels, a rule file's
/// name and a defaulted namespace are copies.
#[derive(Clone, Debug)]
pub struct Object<'s> {
    /// Position in the [`Index`]; set by [`Index::build`].
    pub id: ObjectId,
    pub file: FileId,
    /// The document's position in its file (0-based), for suppression and baselines.
    pub document: u32,
    pub root: Node<'s>,
    pub api_version: &'s str,
    /// The API group: `apps` for `apps/v1`, empty for the core group (`v1`).
    pub group: &'s str,
    pub kind: &'s str,
    /// `metadata.name`; empty only for objects that use `generateName`. Owned only for a
    /// Prometheus rule file, named after the file.
    pub name: Cow<'s, str>,
    pub declared_namespace: Option<&'s str>,
    /// The namespace the object lands in: declared, else the run's default; `None` for
    /// cluster-scoped kinds. Set by [`Index::build`].
    pub namespace: Option<Cow<'s, str>>,
    pub labels: Labels,
    /// Where a rendered object came from: Helm's `# Source:` comment, else kustomize's
    /// `config.kubernetes.io/origin` annotation.
    pub origin: Option<String>,
}

/// A structural problem that stops a document from being read as an object.
#[derive(Debug)]
pub struct ObjectProblem {
    pub span: Span,
    pub message: String,
}

fn problem(node: &Node<'_>, message: impl Into<String>) -> ObjectProblem {
    ObjectProblem {
        span: node.span(),
        message: message.into(),
    }
}

impl<'s> Object<'s> {
    /// Reads the identity of an object, or says why kubectl could not.
    pub fn from_node(
        file: FileId,
        root: Node<'s>,
        document: u32,
        origin: Option<String>,
    ) -> Result<Self, ObjectProblem> {
        if root.as_mapping().is_none() {
            return Err(problem(
                &root,
                format!(
                    "a Kubernetes object must be a mapping, not a {}",
                    root.type_name()
                ),
            ));
        }
        let api_version = match root.get("apiVersion") {
            // Point at the field that is there, not at the start of the document.
            None => {
                let at = root.entry("kind").map_or(&root, |e| &e.key);
                return Err(problem(at, "object has a `kind` but no `apiVersion`"));
            }
            Some(n) => n
                .as_str()
                .filter(|s| !s.is_empty())
                .ok_or_else(|| problem(n, "`apiVersion` must be a non-empty string"))?,
        };
        let kind = match root.get("kind") {
            None => {
                let at = root.entry("apiVersion").map_or(&root, |e| &e.key);
                return Err(problem(at, "object has an `apiVersion` but no `kind`"));
            }
            Some(n) => n
                .as_str()
                .filter(|s| !s.is_empty())
                .ok_or_else(|| problem(n, "`kind` must be a non-empty string"))?,
        };
        let mut name = "";
        let mut declared_namespace = None;
        let mut labels = Labels::default();
        match root.get("metadata") {
            None => {
                let kind_node = root.get("kind").unwrap_or(&root);
                return Err(problem(
                    kind_node,
                    "object has no `metadata`: it needs at least a name",
                ));
            }
            Some(metadata) => {
                if metadata.as_mapping().is_none() {
                    return Err(problem(
                        metadata,
                        format!(
                            "`metadata` must be a mapping, not a {}",
                            metadata.type_name()
                        ),
                    ));
                }
                if let Some(n) = metadata.get("name").filter(|n| !n.is_null()) {
                    name = n.as_str().ok_or_else(|| {
                        problem(
                            n,
                            format!("`metadata.name` must be a string, not a {}", n.type_name()),
                        )
                    })?;
                } else if metadata.get("generateName").is_none() {
                    let key = metadata_key(&root);
                    return Err(ObjectProblem {
                        span: key,
                        message: "object has no `metadata.name`".into(),
                    });
                }
                if let Some(n) = metadata.get("namespace").filter(|n| !n.is_null()) {
                    let ns = n
                        .as_str()
                        .ok_or_else(|| problem(n, "`metadata.namespace` must be a string"))?;
                    declared_namespace = Some(ns);
                }
                for field in ["labels", "annotations"] {
                    let Some(map) = metadata.get(field).filter(|n| !n.is_null()) else {
                        continue;
                    };
                    if map.as_mapping().is_none() {
                        return Err(problem(
                            map,
                            format!(
                                "`metadata.{field}` must be a mapping, not a {}",
                                map.type_name()
                            ),
                        ));
                    }
                    for entry in map.entries() {
                        if entry.value.is_null() {
                            continue;
                        }
                        if entry.value.as_str().is_none() {
                            return Err(problem(
                                &entry.value,
                                format!(
                                    "`metadata.{field}` values must be strings, not a {}: quote it",
                                    entry.value.type_name()
                                ),
                            ));
                        }
                    }
                }
                if let Some(map) = metadata.get("labels") {
                    labels = Labels::from_node(map);
                }
            }
        }
        let group = kinds::group_of(api_version);
        Ok(Object {
            id: ObjectId(u32::MAX),
            file,
            document,
            api_version,
            group,
            kind,
            name: Cow::Borrowed(name),
            declared_namespace,
            namespace: None,
            labels,
            origin,
            root,
        })
    }

    /// A plain Prometheus rule file (a top-level `groups:` document, no `apiVersion` or `kind`)
    /// as a synthetic object of kind [`kinds::PROMETHEUS_RULE_FILE`], named after its file, so
    /// that the alerting rules see it like a `PrometheusRule`. It has no namespace.
    pub fn rule_file(
        file: FileId,
        root: Node<'s>,
        document: u32,
        name: String,
        origin: Option<String>,
    ) -> Self {
        Object {
            id: ObjectId(u32::MAX),
            file,
            document,
            root,
            api_version: "",
            group: "",
            kind: kinds::PROMETHEUS_RULE_FILE,
            name: Cow::Owned(name),
            declared_namespace: None,
            namespace: None,
            labels: Labels::default(),
            origin,
        }
    }

    pub fn object_ref(&self) -> ObjectRef {
        self.object_ref_with(&mut |text| Arc::from(text))
    }

    /// [`Object::object_ref`], with `share` making the API version, kind and namespace (which
    /// a caller may keep once for many objects).
    pub fn object_ref_with(&self, share: &mut impl FnMut(&str) -> Arc<str>) -> ObjectRef {
        ObjectRef {
            api_version: share(self.api_version),
            kind: share(self.kind),
            namespace: self.namespace.as_deref().map(&mut *share),
            name: if self.name.is_empty() {
                None
            } else {
                Some(Box::from(&*self.name))
            },
            origin: self.origin.as_deref().map(Box::from),
        }
    }

    pub fn metadata(&self) -> Option<&Node<'s>> {
        self.root.get("metadata")
    }

    pub fn spec(&self) -> Option<&Node<'s>> {
        self.root.get("spec")
    }

    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.root.path(&["metadata", "annotations", key])?.as_str()
    }

    /// Where a finding about the object as a whole points: its name, else its kind.
    pub fn anchor(&self) -> Span {
        self.root
            .path(&["metadata", "name"])
            .or_else(|| self.root.get("kind"))
            .map(|n| n.span())
            // A plain Prometheus rule file has neither: its `groups:` key.
            .or_else(|| self.root.entry("groups").map(|e| e.key.span()))
            .unwrap_or(self.root.span())
    }

    /// `Kind namespace/name`, for messages.
    pub fn display_name(&self) -> String {
        self.object_ref().to_string()
    }

    /// Whether this object is of `kind` in `group` (the version is not compared).
    pub fn is(&self, group: &str, kind: &str) -> bool {
        self.kind == kind && self.group == group
    }
}

fn metadata_key(root: &Node<'_>) -> Span {
    root.entry("metadata").map_or(root.span(), |e| e.key.span())
}
