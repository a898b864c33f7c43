//! `ingress-tls-secret-missing`: an Ingress's TLS Secret is neither in the input, nor produced by
//! cert-manager, nor listed as externally managed.

use crate::load::tree::Node;
use crate::model::Object;
use crate::model::ingress::is_ingress;
use crate::model::references::{find_in_other_namespace, listed};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a `spec.tls[].secretName` of an Ingress that names a Secret which is:
    ///
    /// - not in the input (same namespace),
    /// - not produced by a cert-manager `Certificate` (`cert-manager.io`) in the input whose
    ///   `spec.secretName` is that name,
    /// - not listed in the `external_secrets` parameter.
    ///
    /// An Ingress annotated for cert-manager's ingress-shim (`cert-manager.io/cluster-issuer`,
    /// `cert-manager.io/issuer`, or `kubernetes.io/tls-acme: "true"`) is not reported: the
    /// shim creates a Certificate, and so the Secret, for each `tls` entry. A `tls` entry
    /// without `secretName` uses the controller's default certificate and is not checked.
    ///
    /// The rule is opt-in: certificates are very often created outside the manifests (by
    /// cert-manager in another release, by an external-secrets operator, by hand).
    ///
    /// ## Why it matters
    ///
    /// When the Secret does not exist, ingress-nginx serves its self-signed "Kubernetes Ingress
    /// Controller Fake Certificate" for the host: browsers show a certificate error and API
    /// clients refuse to connect.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
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
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
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
    /// ---
    /// apiVersion: cert-manager.io/v1
    /// kind: Certificate
    /// metadata:
    ///   name: web
    /// spec:
    ///   secretName: web-tls
    ///   dnsNames: [web.example.com]
    ///   issuerRef:
    ///     kind: ClusterIssuer
    ///     name: letsencrypt-prod
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `external_secrets` (list of strings, default empty): TLS Secrets managed outside the
    ///   input, as `name` (any namespace) or `namespace/name`. The configuration's
    ///   `external: {secrets}` (shared by every rule) is honoured too.
    ///
    /// ```yaml
    /// rules:
    ///   ingress-tls-secret-missing:
    ///     params:
    ///       external_secrets: [pake-system/wildcard-tls]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Secrets produced by other operators (external-secrets, sealed-secrets, Vault agents)
    /// are recognised only when their Secret is in the input or listed in `external_secrets`.
    /// The rule does not check that the Secret is of type `kubernetes.io/tls`.
    IngressTlsSecretMissing {
        id: "ingress-tls-secret-missing",
        category: Networking,
        severity: Warning,
        enabled: false,
        kinds: &["Ingress"],
        summary: "an ingress tls secret is not in the input and not produced by cert-manager",
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct IngressTlsSecretMissing {
    pub external_secrets: Vec<String>,
}

/// Annotations that make cert-manager's ingress-shim create the TLS Secrets of an Ingress.
const SHIM_ANNOTATIONS: &[&str] = &["cert-manager.io/cluster-issuer", "cert-manager.io/issuer"];

impl Rule for IngressTlsSecretMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if !is_ingress(object) {
            return;
        }
        let Some(ns) = object.namespace.as_deref() else {
            return;
        };
        if SHIM_ANNOTATIONS
            .iter()
            .any(|a| object.annotation(a).is_some())
            || object.annotation("kubernetes.io/tls-acme") == Some("true")
        {
            return;
        }
        let index = cx.index;
        for tls in object
            .root
            .path(&["spec", "tls"])
            .map(Node::items)
            .unwrap_or_default()
        {
            let Some(node) = tls.get("secretName") else {
                continue;
            };
            let Some(name) = node.as_str().filter(|s| !s.is_empty()) else {
                continue;
            };
            if index.find(Some(ns), "", "Secret", name).is_some()
                || listed(&self.external_secrets, Some(ns), name)
                || cx.external().has("Secret", Some(ns), name)
            {
                continue;
            }
            let producer = |c: &&Object<'_>| {
                c.group == "cert-manager.io"
                    && c.root.path(&["spec", "secretName"]).and_then(Node::as_str) == Some(name)
            };
            let certificates: Vec<&Object<'_>> =
                index.of_kind("Certificate").filter(producer).collect();
            if certificates
                .iter()
                .any(|c| c.namespace.as_deref() == Some(ns))
            {
                continue;
            }
            let elsewhere = certificates.first().copied();
            let elsewhere =
                elsewhere.or_else(|| find_in_other_namespace(index, ns, "", "Secret", name));
            let help = match elsewhere {
                Some(other) => format!(
                    "{} `{}` provides it in namespace `{}`, but an Ingress reads TLS Secrets of its own namespace only",
                    other.kind,
                    other.name,
                    other.namespace.as_deref().unwrap_or_default()
                ),
                None => "add a cert-manager Certificate (or the `cert-manager.io/cluster-issuer` annotation), or list the Secret in the rule's `external_secrets` parameter".to_string(),
            };
            let report = cx
                .report(
                    object,
                    node.span(),
                    format!("TLS Secret `{name}` is not in the input (namespace `{ns}`) and no cert-manager Certificate produces it"),
                )
                .help(help);
            if let Some(other) = elsewhere {
                report.related(
                    other,
                    other.anchor(),
                    format!(
                        "{} `{}` is defined in namespace `{}`",
                        other.kind,
                        other.name,
                        other.namespace.as_deref().unwrap_or_default()
                    ),
                );
            }
        }
    }
}
