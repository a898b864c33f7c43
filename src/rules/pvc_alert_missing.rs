//! `pvc-alert-missing`: no alert says when a volume claim runs out of space.

use crate::load::tree::Node;
use crate::model::Object;
use crate::model::alerts::Alerting;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a PersistentVolumeClaim, or a StatefulSet's `volumeClaimTemplates` entry, that
    /// no `storage` alert covers: an alert on `kubelet_volume_stats_*` whose `namespace` and
    /// `persistentvolumeclaim` matchers include the claim (a template's claims are named
    /// `<template>-<statefulset>-<ordinal>`). It runs only when the input has alerting rules.
    /// See `workload-alert-missing` for the coverage model.
    ///
    /// ## Why it matters
    ///
    /// A full volume stops a database cold: writes fail, the WAL cannot grow, the pod may not
    /// even restart. Node filesystem alerts do not see it, since claims are mounted volumes,
    /// not the node's disks. The seed lists a storage space alert (`PakeStorageSpace`).
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    ///   namespace: shop
    /// spec:
    ///   accessModes: [ReadWriteOnce]
    ///   resources:
    ///     requests:
    ///       storage: 10Gi
    /// ---
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: PrometheusRule
    /// metadata:
    ///   name: shop
    ///   namespace: shop
    /// spec:
    ///   groups:
    ///     - name: shop
    ///       rules:
    ///         - alert: NodeDiskFull
    ///           expr: node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.1
    ///           for: 5m
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    ///   namespace: shop
    /// spec:
    ///   accessModes: [ReadWriteOnce]
    ///   resources:
    ///     requests:
    ///       storage: 10Gi
    /// ---
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: PrometheusRule
    /// metadata:
    ///   name: shop
    ///   namespace: shop
    /// spec:
    ///   groups:
    ///     - name: shop
    ///       rules:
    ///         - alert: VolumeAlmostFull
    ///           expr: kubelet_volume_stats_available_bytes{namespace="shop"} / kubelet_volume_stats_capacity_bytes{namespace="shop"} < 0.1
    ///           for: 5m
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Volumes whose CSI driver publishes no volume statistics have no `kubelet_volume_stats_*`
    /// series at all; the linter cannot tell.
    PvcAlertMissing {
        id: "pvc-alert-missing",
        category: Monitoring,
        severity: Warning,
        enabled: true,
        kinds: &["PersistentVolumeClaim", "StatefulSet"],
        summary: "no alert says when a volume claim runs out of space",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PvcAlertMissing {}

impl Rule for PvcAlertMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let alerting = cx.index.alerting();
        if !alerting.has_alerts() {
            return;
        }
        let namespace = object.namespace.as_deref().unwrap_or_default();
        let covered = |claim: &str| {
            let subject = Alerting::object_subject(
                "PersistentVolumeClaim",
                namespace,
                "persistentvolumeclaim",
                claim,
            );
            alerting.covering(&subject, "storage").next().is_some()
        };
        let help = "alert on `kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes` for its namespace";
        if object.kind == "PersistentVolumeClaim" {
            if !covered(&object.name) {
                cx.report(
                    object,
                    object.anchor(),
                    format!(
                        "no alert says when claim `{}` runs out of space",
                        object.name
                    ),
                )
                .help(help);
            }
            return;
        }
        for template in object
            .root
            .path(&["spec", "volumeClaimTemplates"])
            .map(Node::items)
            .unwrap_or_default()
        {
            let Some(name_node) = template.path(&["metadata", "name"]) else {
                continue;
            };
            let name = name_node.scalar_text().unwrap_or_default();
            if covered(&format!("{name}-{}-0", object.name)) {
                continue;
            }
            cx.report(
                object,
                name_node.span(),
                format!(
                    "no alert says when the claims of template `{name}` (`{name}-{}-0`...) run out of space",
                    object.name
                ),
            )
            .help(help);
        }
    }
}
