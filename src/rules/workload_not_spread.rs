//! `workload-not-spread`: a replicated workload does not spread its pods over nodes or zones.

use crate::load::tree::{Node, Span};
use crate::model::pod::PodTemplate;
use crate::model::selector::LabelSelector;
use crate::model::workload::{self, REPLICATED_KINDS};
use crate::model::{Labels, Object};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a workload that runs two or more replicas (or that a HorizontalPodAutoscaler or a
    /// KEDA ScaledObject scales) without a topology spread constraint or a pod anti-affinity term (required or
    /// preferred) over nodes or zones. A constraint or term counts when its `topologyKey` is
    /// one of `topology_keys` and its `labelSelector` selects the workload's own pods: one
    /// that selects other pods, or none (a missing `labelSelector` counts no pods), spreads
    /// nothing, and is reported as such.
    ///
    /// ## Why it matters
    ///
    /// The scheduler packs pods where resources are free: without a constraint, all replicas
    /// may land on one node or in one zone, and losing it takes the whole service down
    /// despite the replicas. The seed promises "High Availability: Multi-AZ pod
    /// distribution".
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 3
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 3
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       topologySpreadConstraints:
    ///         - maxSkew: 1
    ///           topologyKey: topology.kubernetes.io/zone
    ///           whenUnsatisfiable: ScheduleAnyway
    ///           labelSelector:
    ///             matchLabels: {app: web}
    ///       containers:
    ///         - name: app
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `topology_keys` (default `kubernetes.io/hostname`, `topology.kubernetes.io/zone` and
    ///   the legacy `failure-domain.beta.kubernetes.io/zone`): the node labels a spread must
    ///   use to count.
    ///
    /// ```yaml
    /// rules:
    ///   workload-not-spread:
    ///     params:
    ///       topology_keys: [topology.kubernetes.io/zone]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Only the pod template is read: a cluster-wide default spread (the scheduler's
    /// `defaultConstraints`, which spread over hostname and zone with `ScheduleAnyway`) is not
    /// seen, nor is a mutating webhook that adds constraints. DaemonSets are not checked (they
    /// run one pod per node by design).
    WorkloadNotSpread {
        id: "workload-not-spread",
        category: Reliability,
        severity: Warning,
        enabled: true,
        kinds: REPLICATED_KINDS,
        summary: "a replicated workload does not spread its pods over nodes or zones",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkloadNotSpread {
    pub topology_keys: Vec<String>,
}

impl Default for WorkloadNotSpread {
    fn default() -> Self {
        WorkloadNotSpread {
            topology_keys: vec![
                "kubernetes.io/hostname".into(),
                "topology.kubernetes.io/zone".into(),
                "failure-domain.beta.kubernetes.io/zone".into(),
            ],
        }
    }
}

/// A spread term: a topology spread constraint or an anti-affinity term.
struct Term<'a, 's> {
    key: Option<&'a str>,
    selector: Option<&'a Node<'s>>,
    node: &'a Node<'s>,
}

fn terms<'a, 's>(pod: &PodTemplate<'a, 's>) -> Vec<Term<'a, 's>> {
    let mut out = Vec::new();
    let term = |node: &'a Node<'s>| Term {
        key: node.get("topologyKey").and_then(Node::as_str),
        selector: node.get("labelSelector").filter(|n| !n.is_null()),
        node,
    };
    if let Some(tsc) = pod.field("topologySpreadConstraints") {
        out.extend(tsc.items().iter().map(term));
    }
    if let Some(anti) = pod.field("affinity").and_then(|a| a.get("podAntiAffinity")) {
        if let Some(required) = anti.get("requiredDuringSchedulingIgnoredDuringExecution") {
            out.extend(required.items().iter().map(term));
        }
        if let Some(preferred) = anti.get("preferredDuringSchedulingIgnoredDuringExecution") {
            out.extend(
                preferred
                    .items()
                    .iter()
                    .filter_map(|p| p.get("podAffinityTerm"))
                    .map(term),
            );
        }
    }
    out
}

fn selects(term: &Term<'_, '_>, labels: &Labels) -> bool {
    term.selector
        .and_then(|s| LabelSelector::parse(s).ok())
        .is_some_and(|s| s.matches(labels))
}

impl Rule for WorkloadNotSpread {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        let Some((count, _)) = workload::replicas(object) else {
            return;
        };
        let hpas = workload::autoscalers(cx.index, object);
        if count < 2 && hpas.is_empty() {
            return;
        }
        let labels = pod.labels();
        let terms = terms(&pod);
        let over_keys: Vec<&Term<'_, '_>> = terms
            .iter()
            .filter(|t| {
                t.key
                    .is_some_and(|k| self.topology_keys.iter().any(|a| a == k))
            })
            .collect();
        if over_keys.iter().any(|t| selects(t, &labels)) {
            return;
        }
        let who = format!("{} `{}`", object.kind, object.name);
        let scale = match hpas.first() {
            Some(hpa) => format!("is scaled by {} `{}`", hpa.kind, hpa.name),
            None => format!("runs {count} replicas"),
        };
        let (span, message, help): (Span, String, &str) = match over_keys.first() {
            Some(t) => (
                t.selector.map_or(t.node.span(), |s| s.span()),
                format!(
                    "{who} {scale}, but its spread over `{}` does not select its own pods",
                    t.key.unwrap_or_default()
                ),
                "make the `labelSelector` of the constraint or anti-affinity term select the pod template's labels: it counts only the pods it selects",
            ),
            None => (
                pod.spec_key_span(),
                format!(
                    "{who} {scale} with no topology spread constraint or pod anti-affinity over nodes or zones"
                ),
                "add a `topologySpreadConstraints` entry over `topology.kubernetes.io/zone` (and `kubernetes.io/hostname`) that selects the pod template's labels",
            ),
        };
        let mut report = cx.report(object, span, message).help(help);
        if let Some(hpa) = hpas.first() {
            report = report.related(
                hpa,
                hpa.root
                    .path(&["spec", "scaleTargetRef"])
                    .map_or_else(|| hpa.anchor(), |n| n.span()),
                format!("{} `{}` scales it", hpa.kind, hpa.name),
            );
        }
        let _ = report;
    }
}
