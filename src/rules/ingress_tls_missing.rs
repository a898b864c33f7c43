//! `ingress-tls-missing`: an Ingress serves plain HTTP only.

use crate::load::tree::Node;
use crate::model::Object;
use crate::model::ingress::is_ingress;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports an Ingress without a `spec.tls` section (or with an empty one), unless one of
    /// the configured annotations says that TLS is terminated in front of the Ingress by a
    /// cloud load balancer with its own certificate (AWS ALB, Google Cloud).
    ///
    /// ## Why it matters
    ///
    /// Without `tls`, the controller serves the hosts over plain HTTP: credentials, session
    /// cookies and API tokens cross the network in clear text. The seed's architecture
    /// terminates SSL/TLS at the ingress layer ("Nginx Ingress Controller, SSL/TLS
    /// Termination"), and its security checklist asks for encryption in transit.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   rules:
    ///     - host: web.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: web
    ///                 port:
    ///                   number: 80
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     cert-manager.io/cluster-issuer: letsencrypt-prod
    /// spec:
    ///   tls:
    ///     - hosts: [web.example.com]
    ///       secretName: web-tls
    ///   rules:
    ///     - host: web.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: web
    ///                 port:
    ///                   number: 80
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `tls_annotations` (list of strings): annotations that configure TLS outside
    ///   `spec.tls`; an Ingress carrying any of them is not reported. Default:
    ///   `alb.ingress.kubernetes.io/certificate-arn`,
    ///   `ingress.gcp.kubernetes.io/pre-shared-cert`,
    ///   `networking.gke.io/managed-certificates`.
    ///
    /// ```yaml
    /// rules:
    ///   ingress-tls-missing:
    ///     params:
    ///       tls_annotations: [alb.ingress.kubernetes.io/certificate-arn]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Ingresses meant to be internal-only, or behind a TLS-terminating proxy the annotations
    /// do not reveal, are reported: suppress the finding with a reason. The rule does not check
    /// that every host of the rules is covered by a `tls` entry.
    IngressTlsMissing {
        id: "ingress-tls-missing",
        category: Networking,
        severity: Warning,
        enabled: true,
        kinds: &["Ingress"],
        summary: "an ingress has no tls section",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngressTlsMissing {
    pub tls_annotations: Vec<String>,
}

impl Default for IngressTlsMissing {
    fn default() -> Self {
        IngressTlsMissing {
            tls_annotations: [
                "alb.ingress.kubernetes.io/certificate-arn",
                "ingress.gcp.kubernetes.io/pre-shared-cert",
                "networking.gke.io/managed-certificates",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

impl Rule for IngressTlsMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if !is_ingress(object) {
            return;
        }
        let Some(spec) = object.spec() else {
            return;
        };
        let tls = spec.get("tls").filter(|n| !n.is_null());
        if tls.is_some_and(|t| !t.items().is_empty()) {
            return;
        }
        if self
            .tls_annotations
            .iter()
            .any(|a| object.annotation(a).is_some())
        {
            return;
        }
        let span = match tls {
            Some(t) => t.span(),
            None => object
                .root
                .entry("spec")
                .map_or_else(|| object.anchor(), |e| e.key.span()),
        };
        let hosts: Vec<&str> = spec
            .get("rules")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|r| r.get("host").and_then(Node::as_str))
            .collect();
        let message = if hosts.is_empty() {
            "ingress serves plain HTTP: it has no `tls` section".to_string()
        } else {
            format!(
                "ingress serves `{}` over plain HTTP: it has no `tls` section",
                hosts.join("`, `")
            )
        };
        cx.report(object, span, message).help(
            "add `spec.tls` with the hosts and the Secret holding their certificate (cert-manager can issue it)",
        );
    }
}
