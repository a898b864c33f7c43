//! `pvc-storage-class-missing`: a claim leaves its storage class to the cluster's default.

use crate::load::tree::{Node, Span};
use crate::model::Object;
use crate::model::storage::{ClassRef, claim_class, claim_templates};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a PersistentVolumeClaim, or a StatefulSet's volume claim template, that names no
    /// `storageClassName` (nor the legacy `volume.beta.kubernetes.io/storage-class`
    /// annotation). `storageClassName: ""`, which explicitly asks for no class, is not reported.
    ///
    /// ## Why it matters
    ///
    /// A claim without a class silently gets whatever the cluster's default StorageClass is at
    /// creation time: an HDD class on one cluster, a `Delete`-policy class on another, none at
    /// all on a third (the claim then stays `Pending`). Naming the class makes the manifest say
    /// which performance, encryption and reclaim policy the data gets; the seed's production
    /// storage puts databases on an explicit, encrypted, `Retain` SSD class.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: uploads
    /// spec:
    ///   accessModes: [ReadWriteOnce]
    ///   resources:
    ///     requests:
    ///       storage: 10Gi
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: uploads
    /// spec:
    ///   accessModes: [ReadWriteOnce]
    ///   storageClassName: fast-ssd
    ///   resources:
    ///     requests:
    ///       storage: 10Gi
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Opt-in: charts meant to run on any cluster leave the class to the default on purpose
    /// (and usually expose it as a value). Enable the rule for the manifests of a known
    /// cluster.
    PvcStorageClassMissing {
        id: "pvc-storage-class-missing",
        category: Storage,
        severity: Info,
        enabled: false,
        kinds: &["PersistentVolumeClaim", "StatefulSet"],
        summary: "a persistent volume claim names no storage class",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PvcStorageClassMissing {}

/// Whether a claim (a PVC's root, or a claim template) relies on the default class; the span of
/// its `spec:` key (where the field would go) or, without a spec, of its name.
fn relies_on_default(claim: &Node<'_>) -> Option<Span> {
    if claim_class(claim).0 != ClassRef::Default {
        return None;
    }
    Some(
        claim
            .entry("spec")
            .map(|e| e.key.span())
            .or_else(|| claim.path(&["metadata", "name"]).map(|n| n.span()))
            .unwrap_or(claim.span()),
    )
}

const HELP: &str = "set `storageClassName` to the class the data needs (`\"\"` to bind only to pre-created volumes)";

impl Rule for PvcStorageClassMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if object.is("", "PersistentVolumeClaim") {
            if let Some(span) = relies_on_default(&object.root) {
                cx.report(
                    object,
                    span,
                    format!(
                        "claim `{}` names no storage class: the cluster's default class applies",
                        object.name
                    ),
                )
                .help(HELP);
            }
        } else if object.is("apps", "StatefulSet") {
            for template in claim_templates(object) {
                if let Some(span) = relies_on_default(template) {
                    let name = template
                        .path(&["metadata", "name"])
                        .and_then(Node::scalar_text)
                        .unwrap_or_default();
                    cx.report(
                        object,
                        span,
                        format!(
                            "volume claim template `{name}` names no storage class: the cluster's default class applies"
                        ),
                    )
                    .help(HELP);
                }
            }
        }
    }
}
