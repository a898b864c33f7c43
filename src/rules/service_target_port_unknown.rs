//! `service-target-port-unknown`: a Service port's target is exposed by none of the pods the
//! Service selects.

use crate::load::tree::{Node, Span};
use crate::model::pod::PodTemplate;
use crate::model::references::{RefKind, object_references};
use crate::model::service::{
    PortRef, container_ports, selected_pods, service_ports, service_type, target_matches,
};
use crate::model::{Index, Object};
use crate::rules::{Cx, Rule, listed};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a Service port whose `targetPort` (absent: the same as `port`) does not reach
    /// the containers of the pods the Service selects. It runs only for Services that select
    /// at least one pod template in the input (one that selects none is
    /// `service-selects-nothing`'s).
    ///
    /// - A **named** `targetPort` resolves per pod, among the `ports` of its containers (and
    ///   sidecar init containers, `restartPolicy: Always`) with the same protocol. It is
    ///   reported when no selected pod template declares that name.
    /// - A **numbered** `targetPort` needs no declaration: a container may listen on a port
    ///   it does not list, and traffic reaches it. It is reported only when every selected pod
    ///   template declares ports, none of them declares this number, and the number appears
    ///   neither in a container's `command`, `args` or `env` values nor in the data of a
    ///   ConfigMap the pod references (where `--port=18080` or `listen: :5317` would configure
    ///   it). That is almost always a typo or a port changed on one side only.
    ///
    /// ## Why it matters
    ///
    /// The API server accepts any `targetPort`. A wrong one leaves the Service without
    /// endpoints for that port (a name no container declares) or sends traffic to a port
    /// nothing listens on: clients see timeouts or `connection refused`, and the ingress a 502,
    /// while every object looks healthy.
    ///
    /// ## Example
    ///
    /// ```yaml
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
    ///       targetPort: web
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    ///           ports:
    ///             - name: http
    ///               containerPort: 8080
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
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
    ///       targetPort: http
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    ///           ports:
    ///             - name: http
    ///               containerPort: 8080
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// A numbered target on pods that declare no ports at all is not judged: the rule cannot
    /// know what the process listens on. A named target missing from only some of the selected
    /// pod templates is not reported: Kubernetes leaves those pods out of the Service's
    /// endpoints, which is what a Service over a mixed set of pods (or unrelated bundles linted
    /// together in one namespace) relies on; a canary that renamed its port is therefore
    /// missed. Only pod templates in the input are considered: pods created by operators from
    /// custom resources are unknown to the rule.
    ServiceTargetPortUnknown {
        id: "service-target-port-unknown",
        category: Networking,
        severity: Error,
        enabled: true,
        kinds: &["Service"],
        summary: "a service port's target port is exposed by none of the selected pods",
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceTargetPortUnknown {}

impl Rule for ServiceTargetPortUnknown {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if !object.group.is_empty() || service_type(object) == "ExternalName" {
            return;
        }
        let index = cx.index;
        let pods: Vec<PodTemplate<'_, '_>> = selected_pods(index, object)
            .into_iter()
            .filter_map(PodTemplate::of)
            .collect();
        if pods.is_empty() {
            return;
        }
        let ports: Vec<_> = pods.iter().map(container_ports).collect();
        for service_port in service_ports(object) {
            let (Some(target), Some(node)) = (service_port.target(), service_port.target_node())
            else {
                continue;
            };
            let protocol = service_port.protocol();
            // Kubernetes resolves the target per pod; a pod without it gets no endpoint. Only a
            // target that no selected pod reaches is reported (see the docs).
            if (0..pods.len()).any(|i| target_matches(target, protocol, &ports[i])) {
                continue;
            }
            if let PortRef::Number(n) = target {
                // An undeclared number may still be listened on: judge only when every selected
                // pod declares its ports, and the number appears neither in a container's
                // command, args or env nor in a ConfigMap the pod mounts or reads.
                if ports.iter().any(Vec::is_empty)
                    || pods.iter().any(|pod| mentions_number(index, pod, n))
                {
                    continue;
                }
            }
            let written = if service_port
                .node
                .get("targetPort")
                .is_some_and(|n| !n.is_null())
            {
                format!("target port `{target}`")
            } else {
                format!("target port `{target}` (the port, as `targetPort` is not set)")
            };
            let message = format!(
                "{written} of {} is exposed by no container of the selected pods",
                service_port.describe()
            );
            // In the order found, each once: every selected pod's ports can be the same.
            let mut seen = rustc_hash::FxHashSet::default();
            let declared: Vec<String> = ports
                .iter()
                .flatten()
                .filter(|p| p.protocol() == protocol)
                .map(|p| p.describe())
                .filter(|d| seen.insert(d.clone()))
                .collect();
            let other_protocol = match target {
                PortRef::Name(name) => ports
                    .iter()
                    .flatten()
                    .find(|p| p.name() == Some(name))
                    .map(|p| p.protocol()),
                PortRef::Number(_) => None,
            };
            let help = match target {
                PortRef::Name(_) if other_protocol.is_some() => format!(
                    "container port `{target}` is {}, the Service port {protocol}: a name resolves only to a port of the same protocol; set the same `protocol` on both",
                    other_protocol.unwrap_or_default()
                ),
                PortRef::Name(_) if declared.is_empty() => format!(
                    "name the container port `{target}` in the pod template, or use a port number"
                ),
                PortRef::Name(_) => format!(
                    "use one of the declared container ports ({}), or name the container port `{target}`",
                    listed(declared.iter())
                ),
                PortRef::Number(_) => format!(
                    "the containers declare {}: point `targetPort` at the port the process listens on",
                    listed(declared.iter())
                ),
            };
            let mut report = cx.report(object, node.span(), message).help(help);
            for pod in &pods {
                report = report.related(
                    pod.object,
                    ports_span(pod),
                    format!(
                        "{} `{}` declares its container ports here",
                        pod.object.kind, pod.object.name
                    ),
                );
            }
        }
    }
}

/// The `ports:` key of the first container that declares ports, else the first container's
/// name, else the pod's `spec:`.
fn ports_span(pod: &PodTemplate<'_, '_>) -> Span {
    let regular: Vec<_> = pod
        .containers()
        .filter(|c| c.kind == crate::model::pod::ContainerKind::Regular)
        .collect();
    regular
        .iter()
        .find_map(|c| c.node.entry("ports").map(|e| e.key.span()))
        .or_else(|| regular.first().map(|c| c.anchor()))
        .unwrap_or_else(|| pod.spec_key_span())
}

/// Whether `n` appears as a whole number in a container's `command`, `args` or `env` values, or
/// in the data of a ConfigMap (in the input) that the pod references: the process is then
/// likely configured to listen on it without declaring it (`--port=18080`, `listen: :5317`).
fn mentions_number(index: &Index<'_>, pod: &PodTemplate<'_, '_>, n: i64) -> bool {
    let needle = n.to_string();
    let has = |text: &str| {
        text.split(|c: char| !c.is_ascii_digit())
            .any(|token| token == needle)
    };
    for container in pod.containers() {
        for key in ["command", "args"] {
            if container
                .get(key)
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(Node::scalar_text)
                .any(has)
            {
                return true;
            }
        }
        if container
            .get("env")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e.get("value").and_then(Node::scalar_text))
            .any(has)
        {
            return true;
        }
    }
    let ns = pod.object.namespace.as_deref();
    object_references(pod)
        .iter()
        .filter(|r| r.kind == RefKind::ConfigMap)
        // Every ConfigMap of that name: the input may define it twice.
        .flat_map(|r| index.lookup(ns, "", "ConfigMap", r.name))
        .any(|cm| {
            cm.root
                .get("data")
                .map(Node::entries)
                .unwrap_or_default()
                .iter()
                .filter_map(|e| e.value.scalar_text())
                .any(has)
        })
}
