//! `workload-selector-mismatch`: a workload's selector does not select its own pod template.

use crate::load::tree::Node;
use crate::model::Object;
use crate::model::pod::PodTemplate;
use crate::model::selector::LabelSelector;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController or Argo
    /// Rollout whose `spec.selector` does not match the labels of its own pod template
    /// (`matchLabels` and `matchExpressions`, with Kubernetes' exact semantics), or is empty.
    /// The finding points at the first requirement the template labels fail.
    ///
    /// ## Why it matters
    ///
    /// The API server rejects the object (`selector does not match template labels`, or
    /// `empty selector is invalid`): the apply fails, often halfway through a release. When
    /// the selector is edited in place on a live object the error is worse, since the selector
    /// of an `apps/v1` workload is immutable.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web, tier: frontend}
    ///   template:
    ///     metadata:
    ///       labels: {app: web, tier: front}
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
    ///   selector:
    ///     matchLabels: {app: web, tier: frontend}
    ///   template:
    ///     metadata:
    ///       labels: {app: web, tier: frontend}
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// A missing selector is left to schema validation (`apps/v1` requires one; older API
    /// versions and ReplicationControllers default it to the template labels). A selector that
    /// cannot be read (an unknown operator) is left to schema validation too.
    WorkloadSelectorMismatch {
        id: "workload-selector-mismatch",
        category: Reliability,
        severity: Error,
        enabled: true,
        kinds: &[
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "ReplicaSet",
            "ReplicationController",
            "Rollout",
        ],
        summary: "a workload's selector does not match its pod template labels",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadSelectorMismatch {}

impl Rule for WorkloadSelectorMismatch {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        let Some(node) = object.root.path(&["spec", "selector"]) else {
            return;
        };
        // A ReplicationController's selector is a plain map; the others are LabelSelectors.
        let (selector, spans) = if object.kind == "ReplicationController" {
            let selector = LabelSelector::from_map(node);
            let spans = node
                .entries()
                .iter()
                .filter(|e| e.key.scalar_text().is_some())
                .map(|e| crate::load::tree::Span::new(e.key.span().start, e.value.span().end))
                .collect();
            (selector, spans)
        } else {
            match LabelSelector::parse_with_spans(node) {
                Ok(parsed) => parsed,
                Err(_) => return,
            }
        };
        let labels_node = pod.metadata.and_then(|m| m.get("labels"));
        let labels = pod.labels();
        let selector_key = object
            .root
            .get("spec")
            .and_then(|s| s.entry("selector"))
            .map_or(node.span(), |e| e.key.span());
        if selector.is_empty() {
            if object.kind == "ReplicationController" {
                return;
            }
            // `selector: {app: web}` on a LabelSelector field: labels written without
            // `matchLabels`, which the API server drops as unknown fields.
            let stray: Vec<String> = node
                .entries()
                .iter()
                .filter_map(|e| e.key.scalar_text())
                .filter(|k| !matches!(*k, "matchLabels" | "matchExpressions"))
                .map(|k| format!("`{k}`"))
                .collect();
            if !stray.is_empty() {
                cx.report(
                    object,
                    node.span(),
                    format!(
                        "the selector of {} `{}` has no `matchLabels` or `matchExpressions`, only {}",
                        object.kind,
                        object.name,
                        stray.join(", ")
                    ),
                )
                .help("move the labels under `selector.matchLabels`: the API server ignores other keys and rejects the empty selector that remains");
                return;
            }
            cx.report(
                object,
                selector_key,
                format!("{} `{}` has an empty selector", object.kind, object.name),
            )
            .help("select the pod template's labels in `matchLabels`: the API server rejects an empty selector");
            return;
        }
        let Some(failing) = selector.requirements.iter().zip(&spans).find(|(r, _)| {
            !LabelSelector {
                requirements: vec![(*r).clone()],
                span: node.span(),
            }
            .matches(&labels)
        }) else {
            return;
        };
        let (requirement, span) = failing;
        let one = LabelSelector {
            requirements: vec![requirement.clone()],
            span: *span,
        };
        let got = match labels.get(&requirement.key) {
            Some(v) => format!("the template has `{}={v}`", requirement.key),
            None => format!("the template has no `{}` label", requirement.key),
        };
        let mut report = cx
            .report(
                object,
                *span,
                format!(
                    "the selector of {} `{}` requires `{one}`, but {got}",
                    object.kind, object.name
                ),
            )
            .help("make the selector and `template.metadata.labels` agree: the API server rejects a selector that does not select its own template");
        report = match labels_node.filter(|n| !Node::is_null(n)) {
            Some(n) => report.related(object, n.span(), "the pod template's labels"),
            None => report.related(
                object,
                pod.spec_key_span(),
                "the pod template has no labels",
            ),
        };
        let _ = report;
    }
}
