//! Container probes and ports: the check a probe runs (compared by meaning, not by text), the
//! port it targets, its timing with Kubernetes' defaults, and the ports a container declares.

use crate::load::tree::{Node, Span};
use crate::model::Object;
use crate::model::pod::{Container, ContainerKind, PodTemplate};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

impl ProbeKind {
    pub const ALL: [ProbeKind; 3] = [
        ProbeKind::Liveness,
        ProbeKind::Readiness,
        ProbeKind::Startup,
    ];

    /// The container field: `livenessProbe`.
    pub fn field(self) -> &'static str {
        match self {
            ProbeKind::Liveness => "livenessProbe",
            ProbeKind::Readiness => "readinessProbe",
            ProbeKind::Startup => "startupProbe",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            ProbeKind::Liveness => "liveness probe",
            ProbeKind::Readiness => "readiness probe",
            ProbeKind::Startup => "startup probe",
        }
    }
}

/// A probe of a container.
#[derive(Clone, Copy, Debug)]
pub struct Probe<'a, 's> {
    pub kind: ProbeKind,
    /// The `livenessProbe:` key.
    pub key: Span,
    pub node: &'a Node<'s>,
}

/// The probe of `kind` of a container, when it sets one.
pub fn probe<'a, 's>(container: &Container<'a, 's>, kind: ProbeKind) -> Option<Probe<'a, 's>> {
    let entry = container.node.entry(kind.field())?;
    if entry.value.is_null() {
        return None;
    }
    Some(Probe {
        kind,
        key: entry.key.span(),
        node: &entry.value,
    })
}

/// A port as a probe or Service names it: a number, or the name of a container port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortRef<'a> {
    Number(i64),
    Name(&'a str),
}

impl<'a> PortRef<'a> {
    /// Reads an int-or-string port. A quoted number (`"8080"`) is a number: port names must
    /// contain a letter, and the kubelet falls back to reading the string as a number.
    pub fn of(node: &'a Node<'_>) -> Option<Self> {
        let text = node.scalar_text()?;
        Some(match text.parse::<i64>() {
            Ok(n) => PortRef::Number(n),
            Err(_) => PortRef::Name(text),
        })
    }
}

impl std::fmt::Display for PortRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortRef::Number(n) => write!(f, "{n}"),
            PortRef::Name(s) => f.write_str(s),
        }
    }
}

/// One entry of a container's `ports`.
#[derive(Clone, Copy, Debug)]
pub struct ContainerPort<'a> {
    pub name: Option<&'a str>,
    pub number: Option<i64>,
}

/// The ports a container declares.
pub fn container_ports<'a>(container: &Container<'a, '_>) -> Vec<ContainerPort<'a>> {
    container
        .get("ports")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(|p| ContainerPort {
            name: p.get("name").and_then(Node::scalar_text),
            number: p.get("containerPort").and_then(Node::as_i64),
        })
        .collect()
}

/// Whether the container declares `port` (by name, or by number).
pub fn declares(ports: &[ContainerPort<'_>], port: PortRef<'_>) -> bool {
    ports.iter().any(|p| match port {
        PortRef::Number(n) => p.number == Some(n),
        PortRef::Name(s) => p.name == Some(s),
    })
}

/// The port a probe of the network kinds targets: (`httpGet`, `tcpSocket` or `grpc`, the
/// `port` value).
pub fn probe_port<'a, 's>(probe: &Probe<'a, 's>) -> Option<(&'static str, &'a Node<'s>)> {
    for handler in ["httpGet", "tcpSocket", "grpc"] {
        if let Some(port) = probe.node.get(handler).and_then(|h| h.get("port")) {
            return Some((handler, port));
        }
    }
    None
}

/// What a probe checks, normalised: defaults filled in, named ports resolved to numbers when
/// the container declares them, headers sorted. Two probes with equal checks test the same
/// thing however they are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    Exec(Vec<String>),
    Http {
        scheme: String,
        host: String,
        port: String,
        path: String,
        headers: Vec<(String, String)>,
    },
    Tcp {
        host: String,
        port: String,
    },
    Grpc {
        port: String,
        service: String,
    },
}

fn text(node: Option<&Node<'_>>, default: &str) -> String {
    node.and_then(Node::scalar_text)
        .unwrap_or(default)
        .to_string()
}

fn port_text(container: &Container<'_, '_>, node: Option<&Node<'_>>) -> String {
    match node.and_then(PortRef::of) {
        Some(PortRef::Number(n)) => n.to_string(),
        Some(PortRef::Name(name)) => container_ports(container)
            .iter()
            .find(|p| p.name == Some(name))
            .and_then(|p| p.number)
            .map_or_else(|| name.to_string(), |n| n.to_string()),
        None => String::new(),
    }
}

/// The normalised check of a probe; `None` when it has no handler this model reads.
pub fn check_of(container: &Container<'_, '_>, probe: &Probe<'_, '_>) -> Option<Check> {
    let node = probe.node;
    if let Some(exec) = node.get("exec") {
        let command = exec
            .get("command")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .map(|c| c.scalar_text().unwrap_or("").to_string())
            .collect();
        return Some(Check::Exec(command));
    }
    if let Some(http) = node.get("httpGet") {
        let mut headers: Vec<(String, String)> = http
            .get("httpHeaders")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .map(|h| (text(h.get("name"), ""), text(h.get("value"), "")))
            .collect();
        headers.sort();
        return Some(Check::Http {
            scheme: text(http.get("scheme"), "HTTP").to_ascii_uppercase(),
            host: text(http.get("host"), ""),
            port: port_text(container, http.get("port")),
            path: text(http.get("path"), "/"),
            headers,
        });
    }
    if let Some(tcp) = node.get("tcpSocket") {
        return Some(Check::Tcp {
            host: text(tcp.get("host"), ""),
            port: port_text(container, tcp.get("port")),
        });
    }
    if let Some(grpc) = node.get("grpc") {
        return Some(Check::Grpc {
            port: port_text(container, grpc.get("port")),
            service: text(grpc.get("service"), ""),
        });
    }
    None
}

/// A probe's timing, with Kubernetes' defaults for unset fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    pub initial_delay_seconds: i64,
    pub period_seconds: i64,
    pub timeout_seconds: i64,
    pub failure_threshold: i64,
}

impl Timing {
    pub fn of(probe: &Probe<'_, '_>) -> Self {
        let field = |key: &str, default: i64| {
            probe
                .node
                .get(key)
                .and_then(Node::as_i64)
                .filter(|v| *v > 0 || key == "initialDelaySeconds")
                .unwrap_or(default)
        };
        Timing {
            initial_delay_seconds: field("initialDelaySeconds", 0),
            period_seconds: field("periodSeconds", 10),
            timeout_seconds: field("timeoutSeconds", 1),
            failure_threshold: field("failureThreshold", 3),
        }
    }

    /// How long a probe that starts failing takes to give up, in seconds: `failureThreshold`
    /// consecutive failures, `periodSeconds` apart.
    pub fn seconds_to_fail(&self) -> i64 {
        self.failure_threshold * self.period_seconds
    }
}

/// Kinds whose containers run for good and so need liveness and readiness probes: the
/// long-running workloads, and bare Pods (which [`long_running_containers`] keeps only when
/// their `restartPolicy` is `Always`, the default).
pub const PROBED_KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Rollout",
    "DeploymentConfig",
];

/// The regular containers of a long-running object, which the probe-missing rules check. Init
/// containers run to completion (and native sidecars, `restartPolicy: Always` init
/// containers, are left out too); a bare Pod with `restartPolicy: Never` or `OnFailure` is a
/// task, not a service.
pub fn long_running_containers<'a, 's>(object: &'a Object<'s>) -> Vec<Container<'a, 's>> {
    if !PROBED_KINDS.contains(&object.kind) {
        return Vec::new();
    }
    let Some(pod) = PodTemplate::of(object) else {
        return Vec::new();
    };
    if object.kind == "Pod"
        && matches!(
            pod.field("restartPolicy").and_then(Node::as_str),
            Some("Never" | "OnFailure")
        )
    {
        return Vec::new();
    }
    pod.containers()
        .filter(|c| c.kind == ContainerKind::Regular)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::FileId;
    use crate::load::yaml::{Limits, parse_stream};

    fn with_pod(src: &str, test: impl FnOnce(&Object<'_>)) {
        let arena = crate::load::Bump::new();
        let stream = parse_stream(src, &arena, Limits::default());
        let root = stream.documents[0].root.unwrap();
        let object = Object::from_node(FileId(0), root, 0, None).unwrap();
        test(&object);
    }

    #[test]
    fn checks_compare_by_meaning() {
        let src = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    ports: [{name: http, containerPort: 8000}]\n    livenessProbe: {httpGet: {port: http, httpHeaders: [{name: b, value: '2'}, {name: a, value: '1'}]}}\n    readinessProbe: {httpGet: {path: /, port: \"8000\", scheme: http, httpHeaders: [{name: a, value: '1'}, {name: b, value: '2'}]}, periodSeconds: 10}\n    startupProbe: {tcpSocket: {port: http}}\n";
        with_pod(src, |object| {
            let pod = PodTemplate::of(object).unwrap();
            let c = pod.containers().next().unwrap();
            let live = probe(&c, ProbeKind::Liveness).unwrap();
            let ready = probe(&c, ProbeKind::Readiness).unwrap();
            let startup = probe(&c, ProbeKind::Startup).unwrap();
            assert_eq!(check_of(&c, &live), check_of(&c, &ready));
            assert_ne!(check_of(&c, &live), check_of(&c, &startup));
            assert_eq!(Timing::of(&live), Timing::of(&ready));
            assert_eq!(Timing::of(&live).seconds_to_fail(), 30);
            let (handler, port) = probe_port(&startup).unwrap();
            assert_eq!(handler, "tcpSocket");
            assert_eq!(PortRef::of(port), Some(PortRef::Name("http")));
            assert!(declares(&container_ports(&c), PortRef::Number(8000)));
        });
    }

    #[test]
    fn run_once_pods_are_not_long_running() {
        let pod = |policy: &str| {
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  {policy}\n  initContainers: [{{name: init}}]\n  containers: [{{name: app}}]\n"
            )
        };
        with_pod(&pod("restartPolicy: Never"), |o| {
            assert!(long_running_containers(o).is_empty())
        });
        with_pod(&pod("hostname: x"), |o| {
            let names: Vec<&str> = long_running_containers(o)
                .iter()
                .map(|c| c.name())
                .collect();
            assert_eq!(names, ["app"]);
        });
    }
}
