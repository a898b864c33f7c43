//! `storage-class-expansion-disabled`: a StorageClass does not allow its volumes to grow.

use crate::model::Object;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a StorageClass without `allowVolumeExpansion: true`, unless its provisioner is
    /// one whose volumes cannot or need not be resized (see Parameters).
    ///
    /// ## Why it matters
    ///
    /// Without it, the API server refuses to raise a claim's `resources.requests.storage`: a
    /// database whose disk fills up must be migrated to a new, larger volume instead of being
    /// grown in place, during an outage. The seed's storage scaling relies on "Volume
    /// Expansion: Automatic storage growth". The flag can be set on an existing class, and
    /// then applies to its existing volumes too.
    ///
    /// ## Example
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
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: storage.k8s.io/v1
    /// kind: StorageClass
    /// metadata:
    ///   name: fast-ssd
    /// provisioner: ebs.csi.aws.com
    /// reclaimPolicy: Retain
    /// allowVolumeExpansion: true
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `exempt_provisioners` (list of provisioner names): provisioners whose classes are not
    ///   reported. The default lists those whose volumes cannot or need not grow: Amazon EFS
    ///   (`efs.csi.aws.com`) is elastic, the requested size is ignored; local, pre-created
    ///   volumes (`kubernetes.io/no-provisioner`) and the host-path provisioners of development
    ///   clusters (`rancher.io/local-path` of k3s and kind, `k8s.io/minikube-hostpath`,
    ///   `docker.io/hostpath` of Docker Desktop, `microk8s.io/hostpath`) are directories on a
    ///   node, with no size to expand. Setting the list replaces the default.
    ///
    /// ```yaml
    /// rules:
    ///   storage-class-expansion-disabled:
    ///     params:
    ///       exempt_provisioners: [efs.csi.aws.com, kubernetes.io/no-provisioner, nfs.csi.k8s.io]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Whether the driver supports expansion at all is not known to the linter: setting the
    /// flag on a class whose CSI driver lacks the `EXPAND_VOLUME` capability only moves the
    /// failure to resize time. Exempt such provisioners.
    StorageClassExpansionDisabled {
        id: "storage-class-expansion-disabled",
        category: Storage,
        severity: Warning,
        enabled: true,
        kinds: &["StorageClass"],
        summary: "a storage class does not allow volume expansion",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StorageClassExpansionDisabled {
    pub exempt_provisioners: Vec<String>,
}

impl Default for StorageClassExpansionDisabled {
    fn default() -> Self {
        StorageClassExpansionDisabled {
            exempt_provisioners: [
                "efs.csi.aws.com",
                "kubernetes.io/no-provisioner",
                "rancher.io/local-path",
                "k8s.io/minikube-hostpath",
                "docker.io/hostpath",
                "microk8s.io/hostpath",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

impl Rule for StorageClassExpansionDisabled {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if !object.is("storage.k8s.io", "StorageClass") {
            return;
        }
        let provisioner = object
            .root
            .get("provisioner")
            .and_then(|n| n.scalar_text())
            .unwrap_or_default();
        if self.exempt_provisioners.iter().any(|p| p == provisioner) {
            return;
        }
        let flag = object
            .root
            .get("allowVolumeExpansion")
            .filter(|n| !n.is_null());
        // A string or number there is a schema error, which the API server reports.
        if let Some(Some(true) | None) = flag.map(|n| n.as_bool()) {
            return;
        }
        let (span, message) = match flag {
            Some(node) => (
                node.span(),
                format!(
                    "storage class `{}` sets `allowVolumeExpansion: {}`: its volumes cannot grow",
                    object.name,
                    node.scalar_text().unwrap_or("false")
                ),
            ),
            None => (
                object.anchor(),
                format!(
                    "storage class `{}` has no `allowVolumeExpansion: true`: its volumes cannot grow",
                    object.name
                ),
            ),
        };
        cx.report(object, span, message).help(
            "set `allowVolumeExpansion: true` so that a full volume can be grown by raising its claim's request",
        );
    }
}
