//! Views of Service ports and container ports, and how Kubernetes pairs them: a Service port's
//! `targetPort` (absent: the same as `port`) is a number or the name of a container port; a
//! name resolves per pod, among the ports of its containers with the same protocol.

use crate::load::tree::Node;
use crate::model::pod::{Container, ContainerKind, PodTemplate};
use crate::model::relations::pod_selector;
use crate::model::selector::LabelSelector;
use crate::model::{Index, Labels, Object};

/// A port written as a number or a name (`IntOrString`), with its node.
#[derive(Clone, Copy, Debug)]
pub enum PortRef<'a> {
    Number(i64),
    Name(&'a str),
}

impl<'a> PortRef<'a> {
    /// Reads an `IntOrString` port. A quoted number (`"8080"`) is read as the number: the API
    /// server would refuse it as a name (names must contain a letter), and the intent is clear.
    pub fn parse(node: &'a Node<'_>) -> Option<Self> {
        if let Some(n) = node.as_i64() {
            return Some(PortRef::Number(n));
        }
        let text = node.as_str()?;
        if text.is_empty() {
            return None;
        }
        match text.parse::<i64>() {
            Ok(n) => Some(PortRef::Number(n)),
            Err(_) => Some(PortRef::Name(text)),
        }
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

/// One entry of a Service's `spec.ports`.
#[derive(Clone, Copy, Debug)]
pub struct ServicePort<'a, 's> {
    pub node: &'a Node<'s>,
}

impl<'a, 's> ServicePort<'a, 's> {
    pub fn name(&self) -> Option<&'a str> {
        self.node.get("name").and_then(Node::scalar_text)
    }

    /// The `port:` value node.
    pub fn port_node(&self) -> Option<&'a Node<'s>> {
        self.node.get("port").filter(|n| !n.is_null())
    }

    pub fn port(&self) -> Option<i64> {
        self.port_node().and_then(|n| match PortRef::parse(n)? {
            PortRef::Number(n) => Some(n),
            PortRef::Name(_) => None,
        })
    }

    /// `TCP` unless set.
    pub fn protocol(&self) -> &'a str {
        self.node
            .get("protocol")
            .and_then(Node::as_str)
            .unwrap_or("TCP")
    }

    /// The node that decides the target: `targetPort:` when set, else `port:` (Kubernetes
    /// defaults the target port to the port).
    pub fn target_node(&self) -> Option<&'a Node<'s>> {
        self.node
            .get("targetPort")
            .filter(|n| !n.is_null())
            .or_else(|| self.port_node())
    }

    pub fn target(&self) -> Option<PortRef<'a>> {
        self.target_node().and_then(PortRef::parse)
    }

    /// `port `http`` or `port 80`, for messages.
    pub fn describe(&self) -> String {
        match (self.name(), self.port()) {
            (Some(name), _) => format!("port `{name}`"),
            (None, Some(n)) => format!("port `{n}`"),
            (None, None) => "port".to_string(),
        }
    }
}

/// The ports of a Service, in order.
pub fn service_ports<'a, 's>(service: &'a Object<'s>) -> Vec<ServicePort<'a, 's>> {
    service
        .root
        .path(&["spec", "ports"])
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter(|n| n.as_mapping().is_some())
        .map(|node| ServicePort { node })
        .collect()
}

/// The Service's `spec.type`, `ClusterIP` unless set.
pub fn service_type<'a>(service: &'a Object<'_>) -> &'a str {
    service
        .root
        .path(&["spec", "type"])
        .and_then(Node::as_str)
        .unwrap_or("ClusterIP")
}

/// One entry of a container's `ports`.
#[derive(Clone, Copy, Debug)]
pub struct ContainerPort<'a, 's> {
    pub container: Container<'a, 's>,
    pub node: &'a Node<'s>,
}

impl<'a> ContainerPort<'a, '_> {
    pub fn name(&self) -> Option<&'a str> {
        self.node.get("name").and_then(Node::scalar_text)
    }

    pub fn number(&self) -> Option<i64> {
        self.node
            .get("containerPort")
            .and_then(|n| match PortRef::parse(n)? {
                PortRef::Number(n) => Some(n),
                PortRef::Name(_) => None,
            })
    }

    pub fn protocol(&self) -> &'a str {
        self.node
            .get("protocol")
            .and_then(Node::as_str)
            .unwrap_or("TCP")
    }

    /// `http` (8080) or 8080, for help texts.
    pub fn describe(&self) -> String {
        match (self.name(), self.number()) {
            (Some(name), Some(n)) => format!("`{name}` ({n})"),
            (None, Some(n)) => format!("`{n}`"),
            (Some(name), None) => format!("`{name}`"),
            (None, None) => "a port without a number".to_string(),
        }
    }
}

/// Whether a container's ports can receive Service traffic: regular containers, and init
/// containers with `restartPolicy: Always` (sidecars, which run for the pod's whole life).
fn serves(container: &Container<'_, '_>) -> bool {
    match container.kind {
        ContainerKind::Regular => true,
        ContainerKind::Init => {
            container.get("restartPolicy").and_then(Node::as_str) == Some("Always")
        }
        ContainerKind::Ephemeral => false,
    }
}

/// The ports that the containers of a pod template declare, for the containers that can serve
/// traffic, in order.
pub fn container_ports<'a, 's>(pod: &PodTemplate<'a, 's>) -> Vec<ContainerPort<'a, 's>> {
    let mut out = Vec::new();
    for container in pod.containers().filter(serves) {
        for node in container.get("ports").map(Node::items).unwrap_or_default() {
            if node.as_mapping().is_some() {
                out.push(ContainerPort { container, node });
            }
        }
    }
    out
}

/// Whether a Service port's target reaches a declared port of this pod template: a name must
/// be a container port's name with the same protocol (as the endpoints controller resolves
/// it); a number must be a declared `containerPort` (any protocol).
pub fn target_matches(
    target: PortRef<'_>,
    protocol: &str,
    ports: &[ContainerPort<'_, '_>],
) -> bool {
    ports.iter().any(|p| match target {
        PortRef::Name(name) => p.name() == Some(name) && p.protocol() == protocol,
        PortRef::Number(n) => p.number() == Some(n),
    })
}

/// Labels that controllers add to the pods they create, which pod templates never carry:
/// the StatefulSet controller's per-pod name and index (a Service per replica selects
/// `statefulset.kubernetes.io/pod-name: db-0`), revision hashes, and the Job controller's
/// labels.
pub const CONTROLLER_LABELS: &[&str] = &[
    "statefulset.kubernetes.io/pod-name",
    "apps.kubernetes.io/pod-index",
    "pod-template-hash",
    "controller-revision-hash",
    "job-name",
    "batch.kubernetes.io/job-name",
    "controller-uid",
    "batch.kubernetes.io/controller-uid",
    "batch.kubernetes.io/job-completion-index",
];

/// The pod templates a Service selects: the index's relation; when that is empty and the
/// selector requires labels only controllers add, the templates its other requirements select.
pub fn selected_pods<'a, 's>(index: &'a Index<'s>, service: &Object<'s>) -> Vec<&'a Object<'s>> {
    let direct: Vec<&Object<'s>> = Index::related(&index.relations().service_pods, service.id)
        .iter()
        .map(|id| index.get(*id))
        .collect();
    if !direct.is_empty() {
        return direct;
    }
    let (Some(ns), Some(selector)) = (service.namespace.as_deref(), pod_selector(service)) else {
        return direct;
    };
    let reduced = LabelSelector {
        requirements: selector
            .requirements
            .iter()
            .filter(|r| !CONTROLLER_LABELS.contains(&r.key.as_str()))
            .cloned()
            .collect(),
        span: selector.span,
    };
    if reduced.requirements.len() == selector.requirements.len() || reduced.is_empty() {
        return direct;
    }
    let ids: Vec<_> = index.select_pods(ns, &reduced).map(|o| o.id).collect();
    ids.into_iter().map(|id| index.get(id)).collect()
}

/// The resources of the Prometheus operator (`monitoring.coreos.com`) that it runs as pods,
/// with the labels it gives those pods besides their name labels: `app.kubernetes.io/name`'s
/// value, and the keys whose value is the resource's name. From the operator's
/// `makeSelectorLabels`, which also sets `app.kubernetes.io/instance: <name>` and
/// `app.kubernetes.io/managed-by: prometheus-operator` on all of them.
const PROMETHEUS_OPERATOR_PODS: &[(&str, &str, &[&str])] = &[
    (
        "Prometheus",
        "prometheus",
        &["prometheus", "operator.prometheus.io/name"],
    ),
    ("Alertmanager", "alertmanager", &["alertmanager"]),
    ("ThanosRuler", "thanos-ruler", &["thanos-ruler"]),
    (
        "PrometheusAgent",
        "prometheus-agent",
        &["operator.prometheus.io/name"],
    ),
];

/// A custom resource in `namespace` from which an operator creates pods that `selector`
/// selects. Two kinds of resource count:
/// - the Prometheus operator's `Prometheus`, `Alertmanager`, `ThanosRuler` and
///   `PrometheusAgent`, whose pods carry `spec.podMetadata.labels` overridden by the labels
///   the operator sets ([`PROMETHEUS_OPERATOR_PODS`]);
/// - any other custom resource with `spec.podMetadata.labels`, whose pods are taken to carry
///   exactly those (having them at all says the resource runs pods).
///
/// Other custom resources (a ServiceMonitor, a PrometheusRule, a Certificate) never count,
/// whatever their names. Nor does any resource for a selector without a requirement that a
/// label be present (`{}`, or only `NotIn` and `DoesNotExist`): anything would match it.
pub fn operator_pod_source<'a, 's>(
    index: &'a Index<'s>,
    namespace: &str,
    selector: &LabelSelector,
) -> Option<&'a Object<'s>> {
    use crate::model::selector::Operator;
    let wants_a_label = selector
        .requirements
        .iter()
        .any(|r| matches!(r.operator, Operator::In | Operator::Exists));
    if !wants_a_label {
        return None;
    }
    index.custom_resources_in(namespace).find(|cr| {
        let conventional = if cr.group == "monitoring.coreos.com" {
            let found = PROMETHEUS_OPERATOR_PODS
                .iter()
                .find(|(kind, _, _)| *kind == cr.kind);
            if found.is_none() {
                // The operator's other resources (rules, monitors, probes) run no pods; a
                // tree of many PrometheusRules is not searched for `podMetadata` each time.
                return false;
            }
            found
        } else {
            None
        };
        let given = cr.root.path(&["spec", "podMetadata", "labels"]);
        let mut pairs: Vec<(String, String)> = given
            .map(Labels::from_node)
            .map(|labels| {
                labels
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            })
            .unwrap_or_default();
        match conventional {
            Some((_, app_name, name_keys)) => {
                let name = cr.name.to_string();
                let mut own: Vec<(String, String)> = vec![
                    ("app.kubernetes.io/name".into(), app_name.to_string()),
                    ("app.kubernetes.io/instance".into(), name.clone()),
                    (
                        "app.kubernetes.io/managed-by".into(),
                        "prometheus-operator".into(),
                    ),
                ];
                own.extend(name_keys.iter().map(|k| (k.to_string(), name.clone())));
                // The operator's labels win over the pod metadata's.
                pairs.retain(|(k, _)| own.iter().all(|(o, _)| o != k));
                pairs.extend(own);
            }
            None if given.is_none() => return false,
            None => {}
        }
        selector.matches(&Labels::from_pairs(pairs))
    })
}
