//! Views of Ingress backends across API versions: `networking.k8s.io/v1` writes
//! `service: {name, port: {number | name}}` under `defaultBackend` and each path's `backend`;
//! `extensions/v1beta1` and `networking.k8s.io/v1beta1` wrote `serviceName` and `servicePort`
//! under `backend` and each path's `backend`.

use crate::load::tree::Node;
use crate::model::Object;
use crate::model::service::PortRef;

/// Whether an object is an Ingress of any served version.
pub fn is_ingress(object: &Object<'_>) -> bool {
    object.kind == "Ingress" && matches!(object.group, "networking.k8s.io" | "extensions")
}

/// A backend that names a Service.
#[derive(Clone, Copy, Debug)]
pub struct ServiceBackend<'a, 's> {
    /// The Service name's value node.
    pub name_node: &'a Node<'s>,
    pub name: &'a str,
    /// The port's value node (`number:`, `name:` or `servicePort:`), when given.
    pub port_node: Option<&'a Node<'s>>,
}

impl<'a> ServiceBackend<'a, '_> {
    pub fn port(&self) -> Option<PortRef<'a>> {
        self.port_node.and_then(PortRef::parse)
    }
}

fn read_backend<'a, 's>(backend: &'a Node<'s>) -> Option<ServiceBackend<'a, 's>> {
    // networking.k8s.io/v1
    if let Some(service) = backend.get("service").filter(|n| !n.is_null()) {
        let name_node = service.get("name")?;
        let port = service.get("port");
        let port_node = port
            .and_then(|p| p.get("number").filter(|n| !n.is_null()))
            .or_else(|| port.and_then(|p| p.get("name").filter(|n| !n.is_null())));
        return Some(ServiceBackend {
            name_node,
            name: name_node.as_str()?,
            port_node,
        });
    }
    // extensions/v1beta1 and networking.k8s.io/v1beta1
    let name_node = backend.get("serviceName")?;
    Some(ServiceBackend {
        name_node,
        name: name_node.as_str()?,
        port_node: backend.get("servicePort").filter(|n| !n.is_null()),
    })
}

/// Every Service backend of an Ingress: the default backend first, then each rule's paths.
/// Backends that name a `resource` instead of a Service are left out.
pub fn service_backends<'a, 's>(ingress: &'a Object<'s>) -> Vec<ServiceBackend<'a, 's>> {
    let mut out = Vec::new();
    let Some(spec) = ingress.spec() else {
        return out;
    };
    for key in ["defaultBackend", "backend"] {
        if let Some(b) = spec.get(key).and_then(read_backend) {
            out.push(b);
        }
    }
    for rule in spec.get("rules").map(Node::items).unwrap_or_default() {
        for path in rule
            .path(&["http", "paths"])
            .map(Node::items)
            .unwrap_or_default()
        {
            if let Some(b) = path.get("backend").and_then(read_backend) {
                out.push(b);
            }
        }
    }
    out
}
