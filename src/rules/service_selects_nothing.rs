//! `service-selects-nothing`: a Service's selector matches no pod template in its namespace.

use crate::model::Object;
use crate::model::pod::PodTemplate;
use crate::model::references::listed;
use crate::model::relations::pod_selector;
use crate::model::selector::LabelSelector;
use crate::model::service::{operator_pod_source, selected_pods, service_type};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a Service whose `selector` matches the labels of no pod template (Deployment,
    /// StatefulSet, DaemonSet, Job, CronJob, Pod...) in the Service's namespace. Services
    /// without a selector (their endpoints are managed by hand or by another controller) and
    /// `ExternalName` Services are exempt.
    ///
    /// Two cases are not reported. Labels that only controllers add to pods
    /// (`statefulset.kubernetes.io/pod-name`, `pod-template-hash`, `job-name`...) are left out of
    /// the match, so a Service per StatefulSet replica is matched against its StatefulSet. And a
    /// custom resource in the namespace from which an operator creates matching pods counts as
    /// their source: the Prometheus operator's `Prometheus`, `Alertmanager`, `ThanosRuler` and
    /// `PrometheusAgent`, whose pods carry their `spec.podMetadata.labels` and the labels the
    /// operator sets (`app.kubernetes.io/name: prometheus`, `app.kubernetes.io/instance: <name>`,
    /// `prometheus: <name>`...), and any other custom resource with `spec.podMetadata.labels`.
    /// Other custom resources (a ServiceMonitor named like the release) never count, nor does any
    /// resource for a selector that requires no label to be present (`{}`, or only `NotIn` and
    /// `DoesNotExist`).
    ///
    /// When a pod template in the same namespace matches all the selector's labels but one,
    /// or pods with these labels exist in another namespace, the help says so and the finding
    /// points at that template.
    ///
    /// ## Why it matters
    ///
    /// A Service selects pods by label, within its own namespace. A selector with a typo, a
    /// label renamed in the Deployment but not in the Service, or a Service deployed to the
    /// wrong namespace is accepted by the API server: the Service simply has no endpoints, and
    /// every client gets `connection refused` or a 503 from the ingress. Nothing fails at
    /// deploy time.
    ///
    /// kube-linter (`dangling-service`) and kube-score (`service-targets-pod`) have this check;
    /// kube-linter matches within one folder only. This rule matches across the whole input,
    /// namespace by namespace.
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
    ///     tier: front
    ///   ports:
    ///     - port: 80
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
    ///         tier: frontend
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
    ///     tier: frontend
    ///   ports:
    ///     - port: 80
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
    ///         tier: frontend
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
    /// - `external` (list of strings, default empty): Services whose pods are deployed
    ///   outside the linted input, as `name` (any namespace) or `namespace/name`.
    ///
    /// ```yaml
    /// rules:
    ///   service-selects-nothing:
    ///     params:
    ///       external: [monitoring/prometheus-operated]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// The rule sees only the input. When the pods come from elsewhere (another chart, an
    /// operator that creates them from a custom resource, a partial bundle linted on its own),
    /// the Service is reported although it works in the cluster: lint the whole release
    /// together, list the Service in `external`, or suppress the finding with a reason.
    /// Operators that create pods from custom resources (Prometheus, Alertmanager, Elasticsearch
    /// and the like) are the usual case.
    ServiceSelectsNothing {
        id: "service-selects-nothing",
        category: Networking,
        severity: Warning,
        enabled: true,
        kinds: &["Service"],
        summary: "a service's selector matches no pod template in its namespace",
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceSelectsNothing {
    pub external: Vec<String>,
}

/// How many candidates the help names at most.
const MAX_CANDIDATES: usize = 3;

impl Rule for ServiceSelectsNothing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if !object.group.is_empty() || service_type(object) == "ExternalName" {
            return;
        }
        let (Some(ns), Some(selector)) = (object.namespace.as_deref(), pod_selector(object)) else {
            return;
        };
        if listed(&self.external, Some(ns), &object.name) {
            return;
        }
        let index = cx.index;
        if !selected_pods(index, object).is_empty()
            || operator_pod_source(index, ns, &selector).is_some()
        {
            return;
        }
        let near = near_misses(cx, ns, &selector);
        let elsewhere: Vec<(&str, &Object<'_>)> = index
            .namespaces()
            .iter()
            .filter(|other| other.as_str() != ns)
            .filter_map(|other| {
                index
                    .select_pods(other, &selector)
                    .next()
                    .map(|o| (other.as_str(), o))
            })
            .take(MAX_CANDIDATES)
            .collect();
        let mut help = Vec::new();
        for (pod, missed) in &near {
            help.push(format!(
                "{} `{}` matches all but `{missed}`",
                pod.kind, pod.name
            ));
        }
        for (other, pod) in &elsewhere {
            if pod.declared_namespace.is_none() {
                help.push(format!(
                    "{} `{}` has these labels but declares no namespace, so it lands in `{other}` (the run's `--namespace`); give it `namespace: {ns}`",
                    pod.kind, pod.name
                ));
            } else {
                help.push(format!(
                    "pods with these labels exist in namespace `{other}` ({} `{}`), but a Service selects pods of its own namespace only: put them in the same namespace",
                    pod.kind, pod.name
                ));
            }
        }
        let help = if help.is_empty() {
            "fix the selector so it matches the pod template's labels, or add the workload to the input".to_string()
        } else if near.is_empty() {
            help.join("; ")
        } else {
            format!("{}: fix the selector or the labels", help.join("; "))
        };
        let mut report = cx
            .report(
                object,
                selector.span,
                format!("selector `{selector}` matches no pod template in namespace `{ns}`"),
            )
            .help(help);
        for (pod, missed) in &near {
            let span = labels_span(pod);
            report = report.related(
                pod,
                span,
                format!(
                    "{} `{}` has every label of the selector but `{missed}`",
                    pod.kind, pod.name
                ),
            );
        }
        for (_, pod) in &elsewhere {
            let span = labels_span(pod);
            report = report.related(
                pod,
                span,
                format!(
                    "{} `{}` in namespace `{}` matches",
                    pod.kind,
                    pod.name,
                    pod.namespace.as_deref().unwrap_or_default()
                ),
            );
        }
    }
}

/// Pod templates in `ns` that meet every requirement of `selector` but one, with that one
/// (`tier=front`). Only for selectors of two requirements or more: missing a one-label
/// selector is no near miss.
fn near_misses<'a, 's>(
    cx: &Cx<'a, 's>,
    ns: &str,
    selector: &LabelSelector,
) -> Vec<(&'a Object<'s>, String)> {
    if selector.requirements.len() < 2 {
        return Vec::new();
    }
    let index = cx.index;
    let mut out = Vec::new();
    for pod in index.pods_in(ns) {
        let failed: Vec<_> = selector
            .requirements
            .iter()
            .filter(|r| {
                !LabelSelector {
                    requirements: vec![(*r).clone()],
                    span: selector.span,
                }
                .matches(&pod.labels)
            })
            .collect();
        if let [only] = failed.as_slice() {
            let one = LabelSelector {
                requirements: vec![(*only).clone()],
                span: selector.span,
            };
            out.push((index.get(pod.object), one.to_string()));
            if out.len() == MAX_CANDIDATES {
                break;
            }
        }
    }
    out
}

/// The pod template's `labels:` mapping, else the object's name.
fn labels_span(object: &Object<'_>) -> crate::load::tree::Span {
    PodTemplate::of(object)
        .and_then(|p| p.metadata)
        .and_then(|m| m.get("labels"))
        .map_or_else(|| object.anchor(), |n| n.span())
}
