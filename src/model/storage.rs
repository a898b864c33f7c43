//! Storage wiring: which objects claim volumes of which StorageClass, built once with the
//! [`Index`](crate::model::Index). A StatefulSet uses a class through its `volumeClaimTemplates`
//! and through the PersistentVolumeClaims its pods mount; a claim that names no class gets the
//! cluster's default class, which is the class annotated `is-default-class: "true"`.

use rustc_hash::FxHashMap;

use crate::load::tree::{Node, Span};
use crate::model::{Object, ObjectId};

/// The annotations that mark a StorageClass as the cluster's default (the beta one is still
/// honoured by the admission plugin).
const DEFAULT_CLASS_ANNOTATIONS: &[&str] = &[
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
];

/// How a claim names its class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassRef<'a> {
    /// `storageClassName: fast-ssd`.
    Named(&'a str),
    /// `storageClassName: ""`: no dynamic provisioning, binds only to pre-created volumes of
    /// no class.
    NoClass,
    /// No `storageClassName` (or null): the DefaultStorageClass admission plugin fills in the
    /// cluster's default class, if there is one.
    Default,
}

/// The deprecated annotation that the PersistentVolume controller still honours in place of
/// `storageClassName` (it wins when both are set).
pub const LEGACY_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

/// The class a claim (a PersistentVolumeClaim's root, or a volume claim template) asks for,
/// with the node that names it.
pub fn claim_class<'a, 's>(claim: &'a Node<'s>) -> (ClassRef<'a>, Option<&'a Node<'s>>) {
    let value = claim
        .path(&["metadata", "annotations", LEGACY_CLASS_ANNOTATION])
        .or_else(|| claim.path(&["spec", "storageClassName"]));
    let Some(value) = value else {
        return (ClassRef::Default, None);
    };
    match value.scalar_text() {
        Some("") => (ClassRef::NoClass, Some(value)),
        Some(name) => (ClassRef::Named(name), Some(value)),
        // A mapping or sequence: schema validation's business; treat as absent.
        None => (ClassRef::Default, None),
    }
}

/// Whether a StorageClass is annotated as the cluster's default class.
pub fn is_default_class(class: &Object<'_>) -> bool {
    DEFAULT_CLASS_ANNOTATIONS
        .iter()
        .any(|a| class.annotation(a) == Some("true"))
}

/// The `volumeClaimTemplates` of a StatefulSet.
pub fn claim_templates<'a, 's>(object: &'a Object<'s>) -> &'a [Node<'s>] {
    object
        .root
        .path(&["spec", "volumeClaimTemplates"])
        .map(Node::items)
        .unwrap_or_default()
}

/// How a StatefulSet reaches a class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// Through its volume claim template of this name.
    Template,
    /// Through a PersistentVolumeClaim its pods mount.
    Claim(ObjectId),
}

/// One use of a StorageClass by a StatefulSet.
#[derive(Clone, Debug)]
pub struct StorageUse {
    /// The StatefulSet.
    pub object: ObjectId,
    /// In the StatefulSet's file: the template's `storageClassName` value (or, for a template
    /// that relies on the default class, its `name`), or the `claimName` of the mounted claim.
    pub span: Span,
    /// The claim template's name, or the mounted claim's name.
    pub claim: String,
    pub via: Via,
    /// The claim names no class: it uses the class because that is the default one.
    pub by_default: bool,
}

/// StorageClass name -> the StatefulSets that claim volumes of it.
#[derive(Debug, Default)]
pub struct StorageIndex {
    by_class: FxHashMap<String, Vec<StorageUse>>,
    /// Uses by claims that name no class, so get the default class.
    by_default: Vec<StorageUse>,
}

impl StorageIndex {
    pub fn build(objects: &[Object<'_>]) -> Self {
        let mut claims: FxHashMap<(&str, &str), ObjectId> = FxHashMap::default();
        for (i, o) in objects.iter().enumerate() {
            if o.is("", "PersistentVolumeClaim")
                && let Some(ns) = o.namespace.as_deref()
            {
                claims.entry((ns, &o.name)).or_insert(ObjectId(i as u32));
            }
        }
        let mut index = StorageIndex::default();
        for (i, o) in objects.iter().enumerate() {
            if !o.is("apps", "StatefulSet") {
                continue;
            }
            let id = ObjectId(i as u32);
            for template in claim_templates(o) {
                let name_node = template.path(&["metadata", "name"]);
                let claim = name_node
                    .and_then(Node::scalar_text)
                    .unwrap_or_default()
                    .to_string();
                let (class, value) = claim_class(template);
                let anchor = name_node.map_or(template.span(), |n| n.span());
                index.add(
                    class,
                    id,
                    value.map_or(anchor, |v| v.span()),
                    claim,
                    Via::Template,
                );
            }
            let Some(ns) = o.namespace.as_deref() else {
                continue;
            };
            let volumes = o
                .root
                .path(&["spec", "template", "spec", "volumes"])
                .map(Node::items)
                .unwrap_or_default();
            for volume in volumes {
                let Some(claim_name) = volume.path(&["persistentVolumeClaim", "claimName"]) else {
                    continue;
                };
                let Some(name) = claim_name.scalar_text() else {
                    continue;
                };
                let Some(&pvc) = claims.get(&(ns, name)) else {
                    continue;
                };
                let (class, _) = claim_class(&objects[pvc.0 as usize].root);
                index.add(
                    class,
                    id,
                    claim_name.span(),
                    name.to_string(),
                    Via::Claim(pvc),
                );
            }
        }
        index
    }

    fn add(&mut self, class: ClassRef<'_>, object: ObjectId, span: Span, claim: String, via: Via) {
        let entry = StorageUse {
            object,
            span,
            claim,
            via,
            by_default: class == ClassRef::Default,
        };
        match class {
            ClassRef::Named(name) => self
                .by_class
                .entry(name.to_string())
                .or_default()
                .push(entry),
            ClassRef::Default => self.by_default.push(entry),
            ClassRef::NoClass => {}
        }
    }

    /// The StatefulSet uses of `class` (a StorageClass object), in input order: those naming it,
    /// then, when it is the default class, those naming no class.
    pub fn statefulset_uses<'a>(
        &'a self,
        class: &Object<'_>,
    ) -> impl Iterator<Item = &'a StorageUse> + 'a {
        let named = self
            .by_class
            .get(&*class.name)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let default: &[StorageUse] = if is_default_class(class) {
            &self.by_default
        } else {
            &[]
        };
        named.iter().chain(default)
    }
}
