//! `statefulset-service-missing`: a StatefulSet's `serviceName` names no Service in the input.

use crate::model::Object;
use crate::model::references::{find_in_other_namespace, listed};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a StatefulSet whose `spec.serviceName` names a Service that is not in the
    /// input, in the StatefulSet's namespace. A StatefulSet without `serviceName` is not
    /// reported: the field was never required by the API server, and Kubernetes 1.33
    /// documents it as optional (kubernetes/kubernetes#130233); such pods simply get no
    /// per-pod DNS names.
    ///
    /// ## Why it matters
    ///
    /// The governing Service, usually headless (`clusterIP: None`), gives each replica its
    /// stable DNS name (`postgres-0.postgres.ns.svc`), which is why a StatefulSet is used at
    /// all: replicas find each other and clients reach the primary through it. The API server
    /// does not check that the Service exists; the StatefulSet rolls out and the names simply
    /// never resolve. kube-score checks the same (`statefulset-has-servicename`).
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: postgres
    /// spec:
    ///   serviceName: postgres-headless
    ///   selector:
    ///     matchLabels:
    ///       app: postgres
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: postgres
    ///     spec:
    ///       containers:
    ///         - name: postgres
    ///           image: postgres:16
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: postgres-headless
    /// spec:
    ///   clusterIP: None
    ///   selector:
    ///     app: postgres
    ///   ports:
    ///     - name: postgres
    ///       port: 5432
    /// ---
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: postgres
    /// spec:
    ///   serviceName: postgres-headless
    ///   selector:
    ///     matchLabels:
    ///       app: postgres
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: postgres
    ///     spec:
    ///       containers:
    ///         - name: postgres
    ///           image: postgres:16
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `external` (list of strings, default empty): Services created outside the input, as
    ///   `name` (any namespace) or `namespace/name`.
    ///
    /// ```yaml
    /// rules:
    ///   statefulset-service-missing:
    ///     params:
    ///       external: [data/postgres-headless]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// The rule checks that the Service exists, not that it is headless or that its selector
    /// matches the StatefulSet's pods. Some single-replica controllers set a `serviceName`
    /// that exists nowhere only because old kubectl versions required the field; list it in
    /// `external` or suppress the finding.
    StatefulsetServiceMissing {
        id: "statefulset-service-missing",
        category: Reliability,
        severity: Warning,
        enabled: true,
        kinds: &["StatefulSet"],
        summary: "a statefulset's service name names no service in the input",
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct StatefulsetServiceMissing {
    pub external: Vec<String>,
}

impl Rule for StatefulsetServiceMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if object.group != "apps" {
            return;
        }
        let Some(ns) = object.namespace.as_deref() else {
            return;
        };
        let Some(node) = object.root.path(&["spec", "serviceName"]) else {
            return;
        };
        let Some(name) = node.as_str().filter(|s| !s.is_empty()) else {
            return;
        };
        if listed(&self.external, Some(ns), name)
            || cx.index.find(Some(ns), "", "Service", name).is_some()
        {
            return;
        }
        let other = find_in_other_namespace(cx.index, ns, "", "Service", name);
        let help = match other {
            Some(other) => format!(
                "a Service `{name}` exists in namespace `{}`, but only a Service of the StatefulSet's own namespace governs it",
                other.namespace.as_deref().unwrap_or_default()
            ),
            None => format!(
                "add a headless Service `{name}` (`clusterIP: None`) selecting the StatefulSet's pods, or list it in the rule's `external` parameter if it is created elsewhere"
            ),
        };
        let report = cx
            .report(
                object,
                node.span(),
                format!("governing Service `{name}` is not in the input (namespace `{ns}`)"),
            )
            .help(help);
        if let Some(other) = other {
            report.related(
                other,
                other.anchor(),
                format!(
                    "Service `{name}` is defined in namespace `{}`",
                    other.namespace.as_deref().unwrap_or_default()
                ),
            );
        }
    }
}
