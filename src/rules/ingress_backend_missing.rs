//! `ingress-backend-missing`: an Ingress backend names a Service, or a Service port, that is not
//! in the input.

use crate::model::Object;
use crate::model::ingress::{is_ingress, service_backends};
use crate::model::references::{find_in_other_namespace, listed};
use crate::model::service::{PortRef, service_ports, service_type};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports an Ingress backend (a path's `backend`, or the `defaultBackend`) that names a
    /// Service not in the input, in the Ingress's namespace, or a port the Service does not
    /// have: a `port.number` must be one of the Service's `port` values (not a `targetPort`),
    /// and a `port.name` one of its port names. The `networking.k8s.io/v1` form
    /// (`service.name`, `service.port.number` or `.name`) and the older `extensions/v1beta1`
    /// and `networking.k8s.io/v1beta1` form (`serviceName`, `servicePort`) are both read.
    /// Backends that name a `resource` instead of a Service are not checked.
    ///
    /// ## Why it matters
    ///
    /// An Ingress can only route to Services of its own namespace. A wrong name or port is
    /// accepted by the API server; the controller then answers 503 (ingress-nginx: "service
    /// not found" or "no endpoints") for every request on that host and path.
    ///
    /// kube-linter (`dangling-ingress`) and kube-score (`ingress-targets-service`) check the
    /// Service name; the port is checked here too.
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
    ///                   number: 8080
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - name: http
    ///       port: 80
    ///       targetPort: 8080
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
    ///                   name: http
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - name: http
    ///       port: 80
    ///       targetPort: 8080
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `external` (list of strings, default empty): Services deployed outside the linted
    ///   input, as `name` (any namespace) or `namespace/name`; backends naming them are not
    ///   checked.
    ///
    /// ```yaml
    /// rules:
    ///   ingress-backend-missing:
    ///     params:
    ///       external: [argocd/argocd-server]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// The rule sees only the input: an Ingress linted without its Services (a partial bundle,
    /// or Services created by an operator from a custom resource) is reported. Lint the whole
    /// release together, list the Service in `external`, or suppress the finding with a reason.
    /// An `ExternalName` Service without `ports` accepts any port, as ingress controllers
    /// forward to the external name on the backend's port.
    IngressBackendMissing {
        id: "ingress-backend-missing",
        category: Networking,
        severity: Error,
        enabled: true,
        kinds: &["Ingress"],
        summary: "an ingress backend names a service or service port that is not in the input",
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct IngressBackendMissing {
    pub external: Vec<String>,
}

impl Rule for IngressBackendMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if !is_ingress(object) {
            return;
        }
        let Some(ns) = object.namespace.as_deref() else {
            return;
        };
        let index = cx.index;
        for backend in service_backends(object) {
            if listed(&self.external, Some(ns), backend.name) {
                continue;
            }
            let Some(service) = index.find(Some(ns), "", "Service", backend.name) else {
                let elsewhere = find_in_other_namespace(index, ns, "", "Service", backend.name);
                let help = match elsewhere {
                    Some(other) => format!(
                        "a Service `{}` exists in namespace `{}`, but an Ingress routes only to Services of its own namespace",
                        backend.name,
                        other.namespace.as_deref().unwrap_or_default()
                    ),
                    None => "add the Service to the input, fix the name, or list it in the rule's `external` parameter if it is deployed separately".to_string(),
                };
                let report = cx
                    .report(
                        object,
                        backend.name_node.span(),
                        format!(
                            "backend Service `{}` is not in the input (namespace `{ns}`)",
                            backend.name
                        ),
                    )
                    .help(help);
                if let Some(other) = elsewhere {
                    report.related(
                        other,
                        other.anchor(),
                        format!(
                            "Service `{}` is defined in namespace `{}`",
                            other.name,
                            other.namespace.as_deref().unwrap_or_default()
                        ),
                    );
                }
                continue;
            };
            let (Some(port), Some(port_node)) = (backend.port(), backend.port_node) else {
                continue;
            };
            let ports = service_ports(service);
            if ports.is_empty() && service_type(service) == "ExternalName" {
                continue;
            }
            let found = ports.iter().any(|p| match port {
                PortRef::Number(n) => p.port() == Some(n),
                PortRef::Name(name) => p.name() == Some(name),
            });
            if found {
                continue;
            }
            let listed_ports: Vec<String> = ports
                .iter()
                .map(|p| match (p.name(), p.port()) {
                    (Some(name), Some(n)) => format!("`{name}` ({n})"),
                    (None, Some(n)) => format!("`{n}`"),
                    (Some(name), None) => format!("`{name}`"),
                    (None, None) => "a port without a number".to_string(),
                })
                .collect();
            let targets_number = match port {
                PortRef::Number(n) => ports.iter().any(|p| {
                    p.node
                        .get("targetPort")
                        .and_then(PortRef::parse)
                        .is_some_and(|t| matches!(t, PortRef::Number(m) if m == n))
                }),
                PortRef::Name(_) => false,
            };
            let mut help = if listed_ports.is_empty() {
                "the Service declares no ports".to_string()
            } else {
                format!("the Service's ports are {}", listed_ports.join(", "))
            };
            if targets_number {
                help.push_str(&format!(
                    "; `{port}` is a `targetPort`: an Ingress names the Service's `port`, not the container's"
                ));
            }
            cx.report(
                object,
                port_node.span(),
                format!("backend Service `{}` has no port `{port}`", backend.name),
            )
            .help(help)
            .related(
                service,
                service
                    .root
                    .path(&["spec", "ports"])
                    .map_or_else(|| service.anchor(), |n| n.span()),
                format!("Service `{}` declares its ports here", service.name),
            );
        }
    }
}
