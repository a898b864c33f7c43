//! A view of HorizontalPodAutoscalers across API versions: `autoscaling/v1`
//! (`targetCPUUtilizationPercentage`), `v2beta1` (`targetAverageUtilization`) and `v2`/`v2beta2`
//! (`target.averageUtilization`), with the API's defaults (`minReplicas` 1).

use crate::load::tree::{Node, Span};
use crate::model::Object;
use crate::model::relations::TargetRef;

/// The metric source types of `autoscaling/v2`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricType {
    Resource,
    ContainerResource,
    Pods,
    Object,
    External,
    /// A `type` this version does not know.
    Other,
}

/// One entry of `spec.metrics` (or the single CPU target of `autoscaling/v1`).
#[derive(Clone, Debug)]
pub struct Metric<'a, 's> {
    pub kind: MetricType,
    /// The metric's node (the list item; for `autoscaling/v1`, the
    /// `targetCPUUtilizationPercentage` value).
    pub node: &'a Node<'s>,
    /// For Resource and ContainerResource metrics: the resource (`cpu`, `memory`).
    pub resource: Option<&'a str>,
    /// The resource's `name:` node (none for the implicit CPU of `autoscaling/v1`).
    pub resource_node: Option<&'a Node<'s>>,
    /// For ContainerResource metrics: the container whose usage counts.
    pub container: Option<&'a str>,
    /// An `averageUtilization` target (percent of the request), with its node.
    pub utilization: Option<(i64, &'a Node<'s>)>,
}

impl Metric<'_, '_> {
    /// `cpu` or `memory` when the metric is a utilisation of one of them, the only case where
    /// the HPA divides usage by the pods' requests.
    pub fn utilization_resource(&self) -> Option<&str> {
        self.utilization?;
        match self.kind {
            MetricType::Resource | MetricType::ContainerResource => self.resource,
            _ => None,
        }
    }

    /// Where a finding about the metric points: its utilisation target, else its resource name,
    /// else the item.
    pub fn span(&self) -> Span {
        self.utilization
            .map(|(_, n)| n.span())
            .or(self.resource_node.map(|n| n.span()))
            .unwrap_or(self.node.span())
    }
}

/// A HorizontalPodAutoscaler.
#[derive(Clone, Copy, Debug)]
pub struct Hpa<'a, 's> {
    pub object: &'a Object<'s>,
    pub spec: &'a Node<'s>,
}

impl<'a, 's> Hpa<'a, 's> {
    pub fn of(object: &'a Object<'s>) -> Option<Self> {
        if !object.is("autoscaling", "HorizontalPodAutoscaler") {
            return None;
        }
        let spec = object.spec()?;
        spec.as_mapping()?;
        Some(Hpa { object, spec })
    }

    pub fn scale_target_node(&self) -> Option<&'a Node<'s>> {
        self.spec.get("scaleTargetRef").filter(|n| !n.is_null())
    }

    pub fn scale_target(&self) -> Option<TargetRef<'a>> {
        // `TargetRef` borrows the node for one lifetime; the tree outlives the view.
        let node: &'a Node<'a> = self.scale_target_node()?;
        TargetRef::parse(node)
    }

    /// `minReplicas` as written, with its node.
    pub fn min_replicas(&self) -> Option<(i64, &'a Node<'s>)> {
        let n = self.spec.get("minReplicas").filter(|n| !n.is_null())?;
        Some((n.as_i64()?, n))
    }

    /// `minReplicas`, or the API's default of 1.
    pub fn effective_min(&self) -> i64 {
        self.min_replicas().map_or(1, |(v, _)| v)
    }

    pub fn max_replicas(&self) -> Option<(i64, &'a Node<'s>)> {
        let n = self.spec.get("maxReplicas").filter(|n| !n.is_null())?;
        Some((n.as_i64()?, n))
    }

    /// The metrics, whatever the API version. `autoscaling/v1` has one implicit CPU target:
    /// `targetCPUUtilizationPercentage`, defaulted by the API to 80 when unset (then it is
    /// reported here with the `spec:` node and no utilisation node of its own).
    pub fn metrics(&self) -> Vec<Metric<'a, 's>> {
        if self.object.api_version == "autoscaling/v1" {
            let Some(n) = self
                .spec
                .get("targetCPUUtilizationPercentage")
                .filter(|n| !n.is_null())
            else {
                return Vec::new();
            };
            return vec![Metric {
                kind: MetricType::Resource,
                node: n,
                resource: Some("cpu"),
                resource_node: None,
                container: None,
                utilization: n.as_i64().map(|v| (v, n)),
            }];
        }
        self.spec
            .get("metrics")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter(|n| n.as_mapping().is_some())
            .map(parse_metric)
            .collect()
    }

    /// Whether the autoscaler has any metric. An `autoscaling/v1` HPA without
    /// `targetCPUUtilizationPercentage` scales on CPU at 80% (the API default); a `v2` HPA
    /// without `metrics` is defaulted to CPU at 80% too.
    pub fn metrics_node(&self) -> Option<&'a Node<'s>> {
        self.spec.get("metrics").filter(|n| !n.is_null())
    }

    /// `behavior.scaleDown.stabilizationWindowSeconds`, with its node.
    pub fn scale_down_stabilization(&self) -> Option<(i64, &'a Node<'s>)> {
        let n = self
            .spec
            .path(&["behavior", "scaleDown", "stabilizationWindowSeconds"])?;
        Some((n.as_i64()?, n))
    }

    /// Where a finding about the HPA as a whole points: `spec:` key, else the object's name.
    pub fn spec_key(&self) -> Span {
        self.object
            .root
            .entry("spec")
            .map_or_else(|| self.object.anchor(), |e| e.key.span())
    }
}

fn parse_metric<'a, 's>(node: &'a Node<'s>) -> Metric<'a, 's> {
    let kind = match node.get("type").and_then(Node::as_str) {
        Some("Resource") => MetricType::Resource,
        Some("ContainerResource") => MetricType::ContainerResource,
        Some("Pods") => MetricType::Pods,
        Some("Object") => MetricType::Object,
        Some("External") => MetricType::External,
        _ => MetricType::Other,
    };
    let source = match kind {
        MetricType::Resource => node.get("resource"),
        MetricType::ContainerResource => node.get("containerResource"),
        _ => None,
    };
    let resource_node = source.and_then(|s| s.get("name")).filter(|n| !n.is_null());
    let resource = resource_node.and_then(Node::as_str);
    let container = source
        .and_then(|s| s.get("container"))
        .and_then(Node::as_str);
    // v2/v2beta2: `target.averageUtilization`; v2beta1: `targetAverageUtilization`.
    let utilization = source
        .and_then(|s| {
            s.path(&["target", "averageUtilization"])
                .or_else(|| s.get("targetAverageUtilization").filter(|n| !n.is_null()))
        })
        .and_then(|n| n.as_i64().map(|v| (v, n)));
    Metric {
        kind,
        node,
        resource,
        resource_node,
        container,
        utilization,
    }
}
