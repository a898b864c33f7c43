//! `storage-class-reclaim-delete`: a StorageClass that holds stateful data deletes its volumes
//! with their claims.

use crate::model::Object;
use crate::model::storage::Via;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a StorageClass whose `reclaimPolicy` is not `Retain` (an absent policy means
    /// `Delete`) when the class holds data worth keeping: a StatefulSet in the input claims
    /// volumes of it (through a `volumeClaimTemplates` entry, or a PersistentVolumeClaim its
    /// pods mount), or the class is listed as critical. A claim that names no class counts
    /// for the class annotated `storageclass.kubernetes.io/is-default-class: "true"`.
    ///
    /// ## Why it matters
    ///
    /// With `Delete`, removing a PersistentVolumeClaim deletes the volume and its data: an
    /// `helm uninstall`, a namespace deleted by mistake or a StatefulSet scaled down and its
    /// claims cleaned up is then a data loss, not an outage. The seed's production storage
    /// asks for a "Retain policy for critical data protection"; with `Retain` the volume
    /// outlives its claim and can be bound again.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: storage.k8s.io/v1
    /// kind: StorageClass
    /// metadata:
    ///   name: fast-ssd
    /// provisioner: ebs.csi.aws.com
    /// reclaimPolicy: Delete
    /// ---
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: postgres
    /// spec:
    ///   serviceName: postgres
    ///   selector:
    ///     matchLabels: {app: postgres}
    ///   template:
    ///     metadata:
    ///       labels: {app: postgres}
    ///     spec:
    ///       containers:
    ///         - name: postgres
    ///           image: postgres:16.4
    ///   volumeClaimTemplates:
    ///     - metadata:
    ///         name: data
    ///       spec:
    ///         accessModes: [ReadWriteOnce]
    ///         storageClassName: fast-ssd
    ///         resources:
    ///           requests:
    ///             storage: 100Gi
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: storage.k8s.io/v1
    /// kind: StorageClass
    /// metadata:
    ///   name: fast-ssd
    /// provisioner: ebs.csi.aws.com
    /// reclaimPolicy: Retain
    /// ```
    ///
    /// Released volumes then stay until an operator deletes them (or binds them again): plan
    /// for that cleanup, and for backups, which `Retain` does not replace.
    ///
    /// ## Parameters
    ///
    /// - `critical_classes` (list of class names, default `[]`): classes reported even when no
    ///   StatefulSet in the input uses them (the StatefulSets may live in another repository).
    /// - `all_classes` (boolean, default `false`): report every StorageClass that does not
    ///   retain its volumes.
    ///
    /// ```yaml
    /// rules:
    ///   storage-class-reclaim-delete:
    ///     params:
    ///       critical_classes: [fast-ssd, postgres-data]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Only StatefulSets make a class "used": a Deployment mounting a claim is not looked at,
    /// nor are claims whose StatefulSet is not in the input (list the class in
    /// `critical_classes`). The policy of volumes that already exist is not changed by editing
    /// the class: patch those PersistentVolumes' `persistentVolumeReclaimPolicy` as well.
    StorageClassReclaimDelete {
        id: "storage-class-reclaim-delete",
        category: Storage,
        severity: Warning,
        enabled: true,
        kinds: &["StorageClass"],
        summary: "a storage class used for stateful data deletes its volumes with their claims",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StorageClassReclaimDelete {
    pub critical_classes: Vec<String>,
    pub all_classes: bool,
}

impl Rule for StorageClassReclaimDelete {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if !object.is("storage.k8s.io", "StorageClass") {
            return;
        }
        let policy = object.root.get("reclaimPolicy").filter(|n| !n.is_null());
        let policy_text = policy.and_then(|n| n.scalar_text()).unwrap_or("Delete");
        if policy_text == "Retain" {
            return;
        }
        let index = cx.index;
        let uses: Vec<_> = index.storage().statefulset_uses(object).collect();
        let critical = self.critical_classes.iter().any(|c| *c == object.name);
        if uses.is_empty() && !critical && !self.all_classes {
            return;
        }
        let (span, policy_note) = match policy {
            Some(node) => (node.span(), format!("`reclaimPolicy: {policy_text}`")),
            None => (
                object.anchor(),
                "no `reclaimPolicy`, so `Delete` applies".to_string(),
            ),
        };
        let mut report = cx
            .report(
                object,
                span,
                format!(
                    "storage class `{}` deletes a volume when its claim is deleted ({policy_note})",
                    object.name
                ),
            )
            .help(
                "set `reclaimPolicy: Retain` so that deleting a claim keeps the volume and its data",
            );
        for u in uses {
            let sts = index.get(u.object);
            let message = match (u.via, u.by_default) {
                (Via::Template, false) => format!(
                    "StatefulSet `{}` claims volumes of this class in template `{}`",
                    sts.name, u.claim
                ),
                (Via::Template, true) => format!(
                    "StatefulSet `{}` claims volumes of the default class (this one) in template `{}`",
                    sts.name, u.claim
                ),
                (Via::Claim(_), false) => format!(
                    "StatefulSet `{}` mounts claim `{}` of this class",
                    sts.name, u.claim
                ),
                (Via::Claim(_), true) => format!(
                    "StatefulSet `{}` mounts claim `{}`, which gets the default class (this one)",
                    sts.name, u.claim
                ),
            };
            report = report.related(sts, u.span, message);
        }
    }
}
