//! Prometheus alerting rules: views over the rule groups of `PrometheusRule` objects
//! (`spec.groups[].rules[]`) and plain rule files (`groups[].rules[]`), and the [`Alerting`]
//! model built once per run: every alert with its parsed expression and signals, the monitors,
//! and which workloads, HPAs and PVCs each alert covers.

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::load::tree::{Node, Span};
use crate::model::kinds::PROMETHEUS_RULE_FILE;
use crate::model::monitors::Monitors;
use crate::model::promql::{self, ExprError, Expression};
use crate::model::signals::{self, AlertSignal, Subject};
use crate::model::{Index, Object, ObjectId};

/// The `groups` sequence of a rule-holding object.
pub fn groups<'a, 's>(object: &'a Object<'s>) -> &'a [Node<'s>] {
    let node = if object.kind == PROMETHEUS_RULE_FILE {
        object.root.get("groups")
    } else if object.kind == "PrometheusRule" {
        object.root.path(&["spec", "groups"])
    } else {
        None
    };
    node.map(Node::items).unwrap_or_default()
}

/// One rule (`alert:` or `record:`) of a group.
#[derive(Clone, Copy, Debug)]
pub struct RuleItem<'a, 's> {
    pub node: &'a Node<'s>,
    /// The group's `name`, when it has one.
    pub group: Option<&'a str>,
}

impl<'a, 's> RuleItem<'a, 's> {
    /// The `alert:` value, for alerting rules.
    pub fn alert(&self) -> Option<&'a Node<'s>> {
        self.node.get("alert").filter(|n| !n.is_null())
    }

    pub fn is_alert(&self) -> bool {
        self.alert().is_some()
    }

    /// The alert or record name.
    pub fn name(&self) -> &'a str {
        self.alert()
            .or_else(|| self.node.get("record"))
            .and_then(Node::scalar_text)
            .unwrap_or("")
    }

    pub fn expr(&self) -> Option<&'a Node<'s>> {
        self.node.get("expr").filter(|n| !n.is_null())
    }

    pub fn get(&self, key: &str) -> Option<&'a Node<'s>> {
        self.node.get(key).filter(|n| !n.is_null())
    }

    /// A label of the rule (`severity`).
    pub fn label(&self, key: &str) -> Option<&'a Node<'s>> {
        self.node.path(&["labels", key])
    }

    /// Where a finding about the rule as a whole points: its `alert:` (or `record:`) value.
    pub fn anchor(&self) -> Span {
        self.alert()
            .or_else(|| self.node.get("record"))
            .map_or(self.node.span(), |n| n.span())
    }

    /// The rule's labels as sorted `(key, value)` pairs.
    pub fn labels(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = self
            .get("labels")
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| {
                Some((
                    e.key.scalar_text()?.to_string(),
                    e.value.scalar_text().unwrap_or("").to_string(),
                ))
            })
            .collect();
        pairs.sort();
        pairs
    }
}

/// Every rule of a rule-holding object, in order.
pub fn rule_items<'a, 's>(object: &'a Object<'s>) -> impl Iterator<Item = RuleItem<'a, 's>> {
    groups(object).iter().flat_map(|g| {
        let group = g.get("name").and_then(Node::scalar_text);
        g.get("rules")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter(|r| r.as_mapping().is_some())
            .map(move |node| RuleItem { node, group })
    })
}

/// Alerting rules only.
pub fn alert_items<'a, 's>(object: &'a Object<'s>) -> impl Iterator<Item = RuleItem<'a, 's>> {
    rule_items(object).filter(RuleItem::is_alert)
}

/// An alerting rule of the input with what its expression reads.
#[derive(Debug)]
pub struct Alert {
    pub object: ObjectId,
    pub name: String,
    /// The `alert:` value.
    pub span: Span,
    pub labels: Vec<(String, String)>,
    /// The `expr:` value.
    pub expr_span: Option<Span>,
    /// The parsed expression; `None` without an `expr`.
    pub expr: Option<Result<Expression, ExprError>>,
    /// Where in the file the parse error is, when it could be located.
    pub error_span: Option<Span>,
    /// The expression with the recording rules it reads expanded, when it reads any (see
    /// [`Alert::expanded`]): most alerts read none, and a copy of each would double the
    /// alert model's memory.
    expansion: Option<Expression>,
    /// Signals, with selector indices into [`Alert::expanded`].
    pub signals: Vec<AlertSignal>,
}

impl Alert {
    pub fn expression(&self) -> Option<&Expression> {
        self.expr.as_ref()?.as_ref().ok()
    }

    /// The expression with the recording rules it reads expanded: what its signals and scope
    /// are computed from. Empty when the expression is missing or does not parse.
    pub fn expanded(&self) -> &Expression {
        static NOTHING: Expression = Expression {
            selectors: Vec::new(),
        };
        self.expansion
            .as_ref()
            .or_else(|| self.expression())
            .unwrap_or(&NOTHING)
    }

    pub fn signal(&self, name: &str) -> Option<&AlertSignal> {
        self.signals.iter().find(|s| s.name == name)
    }

    fn same_identity(&self, other: &Alert) -> bool {
        self.name == other.name && self.labels == other.labels
    }

    pub fn has_signal(&self, name: &str) -> bool {
        self.signal(name).is_some()
    }
}

/// `expr` with every selector of a recorded metric followed by the selectors of the recording
/// rule's expression, narrowed by the alert's matchers (recording rules keep the labels they
/// aggregate by) and wrapped in the alert's functions; recordings of recordings too, three
/// levels deep. `None` when `expr` reads no recording rule: its expansion would be itself.
fn expand(expr: &Expression, records: &FxHashMap<String, Vec<Expression>>) -> Option<Expression> {
    let reads_a_record = expr
        .selectors
        .iter()
        .any(|s| s.metric.as_deref().is_some_and(|m| records.contains_key(m)));
    if !reads_a_record {
        return None;
    }
    let mut out = expr.selectors.clone();
    let mut frontier: Vec<promql::Selector> = expr.selectors.clone();
    for _ in 0..3 {
        let mut next = Vec::new();
        for s in &frontier {
            let Some(recorded) = s.metric.as_deref().and_then(|m| records.get(m)) else {
                continue;
            };
            for e in recorded {
                for inner in &e.selectors {
                    let mut matchers = inner.matchers.clone();
                    matchers.extend(s.matchers.iter().cloned());
                    let mut functions = s.functions.clone();
                    functions.extend(inner.functions.iter().cloned());
                    next.push(promql::Selector {
                        metric: inner.metric.clone(),
                        matchers,
                        functions,
                    });
                }
            }
        }
        if next.is_empty() {
            break;
        }
        out.extend(next.iter().cloned());
        frontier = next;
    }
    Some(Expression { selectors: out })
}

/// Kinds whose pods alerts watch.
pub const WATCHED_WORKLOADS: &[&str] = &["Deployment", "StatefulSet", "DaemonSet"];

/// The alerting model of a run, built once (lazily, on first use) by [`Index::alerting`].
#[derive(Debug, Default)]
pub struct Alerting {
    /// Every alerting rule, in input order.
    pub alerts: Vec<Alert>,
    alerts_of: FxHashMap<ObjectId, Vec<usize>>,
    /// Hash of (name, labels) -> the first alert of each (name, labels) with that hash (one,
    /// short of a collision): the first alert defined so, found without copying its key.
    first_by_key: FxHashMap<u64, Vec<usize>>,
    pub monitors: Monitors,
    /// Alerts by what their signal's selectors pin (a namespace, and one object, job, service
    /// or pod name), so that a coverage question looks only at the alerts that could answer
    /// it. Without the pin on job, service and pod, a namespace of many services, each with its
    /// own alerts, made every workload look at all of them: quadratic in the services.
    coverage: FxHashMap<CoverageKey, Vec<usize>>,
    /// The lengths of the pod-name prefixes that pin some alert, shortest first: the only
    /// prefixes of a subject's pod names worth looking up.
    pod_prefix_lengths: Vec<usize>,
    /// Signal -> the alerts that have it, in input order.
    by_signal: FxHashMap<String, Vec<usize>>,
    /// Signal -> workload kind -> the first alert with the signal on `up` or on that kind's
    /// series: the alert to point at when a workload of the kind is not covered.
    nearest: FxHashMap<String, FxHashMap<&'static str, usize>>,
    /// Whether every alert's identity hashes alike (a test of the collision path), fixed when
    /// the model is built so that lookups hash as it was built.
    #[cfg(test)]
    every_hash_collides: bool,
}

/// Set by a test so that the alert models built meanwhile give every alert the same identity
/// hash. Another test building one then gets a model that takes the collision path on every
/// lookup, which must give the same answers.
#[cfg(test)]
static EVERY_IDENTITY_HASH_COLLIDES: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Labels naming one object, whose equality matchers narrow an alert to it.
const OBJECT_LABELS: &[&str] = &[
    "deployment",
    "statefulset",
    "daemonset",
    "horizontalpodautoscaler",
    "persistentvolumeclaim",
];

/// The pin of a pod name: an equality matcher's value or a regex's literal prefix, looked up
/// with every prefix of the subject's pod names.
const POD_PREFIX: &str = "pod^";

/// A hash of (`namespace="..."` if pinned, one pinned label and value). Two keys with the same
/// hash share a bucket, which costs time, never correctness: every candidate is
/// judged in full by [`Subject::covered_by`]. A hash rather than owned strings lets a lookup
/// go without allocating.
type CoverageKey = u64;

fn coverage_hash(namespace: Option<&str>, pin: Option<(&str, &str)>) -> CoverageKey {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    (namespace, pin).hash(&mut h);
    h.finish()
}

/// What a selector, recognised by `pattern`, pins: a subject outside it cannot be in the
/// selector's scope, since an equality matcher accepts one value, an anchored regex only
/// values that start with its literal prefix, and a missing label is the empty value. `job`
/// and `service` pin only series scraped from the workload itself (see
/// [`Subject::in_scope`]). Returns the pinned namespace and the pinned name.
fn coverage_pin<'a>(
    selector: &'a promql::Selector,
    pattern: &signals::Pattern,
) -> (Option<&'a str>, Option<(&'static str, Cow<'a, str>)>) {
    let equal = |name: &'static str| {
        selector
            .matchers_on(name)
            .find(|m| m.op == promql::MatcherOp::Equal && !m.value.is_empty())
            .map(|m| m.value.as_str())
    };
    let scrape_labels: &[&str] = match pattern.source {
        signals::Source::Target => &["job", "service"],
        signals::Source::Exporter => &[],
    };
    let pod_prefix = || {
        selector.matchers_on("pod").find_map(|m| {
            let prefix = match m.op {
                promql::MatcherOp::Equal => Cow::Borrowed(m.value.as_str()),
                promql::MatcherOp::Regex => Cow::Owned(literal_prefix(&m.value)),
                _ => Cow::Borrowed(""),
            };
            (!prefix.is_empty()).then_some((POD_PREFIX, prefix))
        })
    };
    let pin = OBJECT_LABELS
        .iter()
        .chain(scrape_labels)
        .find_map(|l| equal(l).map(|v| (*l, Cow::Borrowed(v))))
        .or_else(pod_prefix);
    (equal("namespace"), pin)
}

/// The text that every value a Prometheus regex accepts starts with: the longest prefix common
/// to the literals regex-syntax extracts from it, anchored as Prometheus anchors it (the regex
/// crate's own prefilters rest on the same extraction). Empty when there is none, or when the
/// regex does not parse (it then accepts nothing).
fn literal_prefix(regex: &str) -> String {
    let Ok(hir) = regex_syntax::parse(&format!("^(?:{regex})$")) else {
        return String::new();
    };
    // A `)` in the value can close the wrapper early and leave a branch unanchored
    // (`)ab|a(?:` becomes `^(?:)ab|a(?:)$`, which accepts `ba`): a literal prefix then says
    // where a match starts, not how the value does, so it pins nothing.
    if !hir
        .properties()
        .look_set_prefix()
        .contains(regex_syntax::hir::Look::Start)
    {
        return String::new();
    }
    let literals = regex_syntax::hir::literal::Extractor::new().extract(&hir);
    let prefix = literals.longest_common_prefix().unwrap_or_default();
    // Cut back to whole characters: the pod names it is compared with are text.
    let whole = match std::str::from_utf8(prefix) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&prefix[..e.valid_up_to()]).unwrap_or_default(),
    };
    whole.to_string()
}

impl Alerting {
    /// A hash of an alert's name and labels, what makes two alerts the same alert.
    fn identity_hash(&self, alert: &Alert) -> u64 {
        #[cfg(test)]
        if self.every_hash_collides {
            return 0;
        }
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut hasher = rustc_hash::FxBuildHasher.build_hasher();
        alert.name.hash(&mut hasher);
        alert.labels.hash(&mut hasher);
        hasher.finish()
    }

    pub fn build(index: &Index<'_>) -> Self {
        let mut a = Alerting {
            monitors: Monitors::build(index),
            #[cfg(test)]
            every_hash_collides: EVERY_IDENTITY_HASH_COLLIDES
                .load(std::sync::atomic::Ordering::Relaxed),
            ..Alerting::default()
        };
        let table = index.signals();
        let objects = crate::model::kinds::PROMETHEUS_RULES
            .iter()
            .flat_map(|k| index.of_kind(k));
        let mut objects: Vec<&Object<'_>> = objects.collect();
        objects.sort_by_key(|o| o.id);
        // Parsing PromQL is most of the cost and each rule is independent: analyse on all
        // threads, then fill the maps in input order so the result does not depend on them.
        let analysed: Vec<Vec<(String, Expression)>> = objects
            .par_iter()
            .map(|object| {
                rule_items(object)
                    .filter(|i| !i.is_alert())
                    .filter_map(|item| {
                        match item.expr().and_then(Node::scalar_text).map(promql::analyze) {
                            Some(Ok(e)) => Some((item.name().to_string(), e)),
                            _ => None,
                        }
                    })
                    .collect()
            })
            .collect();
        // Recording rules by name, so that an alert on `job:http_errors:rate5m` is read as the
        // metrics behind it.
        let mut records: FxHashMap<String, Vec<Expression>> = FxHashMap::default();
        for (name, e) in analysed.into_iter().flatten() {
            records.entry(name).or_default().push(e);
        }
        let alerts: Vec<Vec<Alert>> = objects
            .par_iter()
            .map(|object| {
                let source = index.source(object.file);
                alert_items(object)
                    .map(|item| {
                        let expr_node = item.expr();
                        let text = expr_node.and_then(Node::scalar_text);
                        let expr = text.map(promql::analyze);
                        let error_span = match (&expr, expr_node, text) {
                            (Some(Err(e)), Some(node), Some(text)) => {
                                Some(promql::error_span(source, node.span(), text, e.at.clone()))
                            }
                            _ => None,
                        };
                        let expansion = match &expr {
                            Some(Ok(e)) => expand(e, &records),
                            _ => None,
                        };
                        let expanded = match (&expansion, &expr) {
                            (Some(x), _) | (None, Some(Ok(x))) => x,
                            _ => &Expression::default(),
                        };
                        let signals = signals::signals_of(expanded, table);
                        Alert {
                            object: object.id,
                            name: item.name().to_string(),
                            span: item.anchor(),
                            labels: item.labels(),
                            expr_span: expr_node.map(|n| n.span()),
                            expr,
                            error_span,
                            expansion,
                            signals,
                        }
                    })
                    .collect()
            })
            .collect();
        for alert in alerts.into_iter().flatten() {
            let i = a.alerts.len();
            let hash = a.identity_hash(&alert);
            let firsts = a.first_by_key.entry(hash).or_default();
            if !firsts.iter().any(|&j| a.alerts[j].same_identity(&alert)) {
                firsts.push(i);
            }
            a.alerts_of.entry(alert.object).or_default().push(i);
            for signal in &alert.signals {
                match a.by_signal.get_mut(signal.name.as_str()) {
                    Some(list) => list.push(i),
                    None => {
                        a.by_signal.insert(signal.name.clone(), vec![i]);
                    }
                }
                for kind in crate::model::kinds::POD_BEARING {
                    let near = signal.matches.iter().any(|(_, p)| {
                        p.metric == "up"
                            || p.kinds.iter().any(|k| k == kind)
                            || (p.kinds.is_empty() && p.source == signals::Source::Exporter)
                    });
                    if near {
                        match a.nearest.get_mut(signal.name.as_str()) {
                            Some(kinds) => {
                                kinds.entry(kind).or_insert(i);
                            }
                            None => {
                                let kinds = FxHashMap::from_iter([(*kind, i)]);
                                a.nearest.insert(signal.name.clone(), kinds);
                            }
                        }
                    }
                }
                for (selector, pattern) in &signal.matches {
                    let (namespace, pin) =
                        coverage_pin(&alert.expanded().selectors[*selector], pattern);
                    let pin = pin.as_ref().map(|(label, value)| (*label, value.as_ref()));
                    if let Some((POD_PREFIX, prefix)) = pin {
                        a.pod_prefix_lengths.push(prefix.len());
                    }
                    let bucket = a.coverage.entry(coverage_hash(namespace, pin)).or_default();
                    if bucket.last() != Some(&i) {
                        bucket.push(i);
                    }
                }
            }
            a.alerts.push(alert);
        }
        a.pod_prefix_lengths.sort_unstable();
        a.pod_prefix_lengths.dedup();
        a
    }

    /// The alerts of one rule-holding object, in order.
    pub fn alerts_of(&self, object: ObjectId) -> impl Iterator<Item = &Alert> {
        self.alerts_of
            .get(&object)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|&i| &self.alerts[i])
    }

    /// The first alert with the same name and labels as `alert`.
    pub fn first_like(&self, alert: &Alert) -> Option<&Alert> {
        self.first_by_key
            .get(&self.identity_hash(alert))?
            .iter()
            .map(|&i| &self.alerts[i])
            .find(|first| first.same_identity(alert))
    }

    /// Whether the input has any alerting rule.
    pub fn has_alerts(&self) -> bool {
        !self.alerts.is_empty()
    }

    /// Alerts with `signal` that cover `subject`.
    pub fn covering<'a>(
        &'a self,
        subject: &'a Subject,
        signal: &'a str,
    ) -> impl Iterator<Item = &'a Alert> + 'a {
        let candidates = subject.candidates.get_or_init(|| self.candidates(subject));
        candidates
            .iter()
            .map(|&i| &self.alerts[i])
            .filter(move |a| {
                a.signal(signal)
                    .is_some_and(|s| subject.covered_by(a.expanded(), s))
            })
    }

    /// The alerts pinned to nothing, to the subject's namespace, to one of its names (object,
    /// job, service, pod-name prefix), or to both, in input order: those that may cover it.
    fn candidates(&self, subject: &Subject) -> Vec<usize> {
        let mut pins: Vec<Option<(&str, &str)>> = vec![None];
        for (label, values) in &subject.labels {
            if OBJECT_LABELS.contains(label) || matches!(*label, "job" | "service") {
                pins.extend(values.iter().map(|v| Some((*label, v.as_str()))));
            } else if *label == "pod" {
                for pod in values {
                    pins.extend(
                        self.pod_prefix_lengths
                            .iter()
                            .filter_map(|&len| pod.get(..len))
                            .map(|prefix| Some((POD_PREFIX, prefix))),
                    );
                }
            }
        }
        let mut candidates: Vec<usize> = Vec::new();
        for namespace in [None, Some(subject.namespace.as_str())] {
            for &pin in &pins {
                if let Some(bucket) = self.coverage.get(&coverage_hash(namespace, pin)) {
                    candidates.extend_from_slice(bucket);
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }

    /// Alerts with `signal`, whatever their scope.
    pub fn with_signal<'a>(&'a self, signal: &'a str) -> impl Iterator<Item = &'a Alert> + 'a {
        self.by_signal
            .get(signal)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|&i| &self.alerts[i])
    }

    /// An alert that watches `signal` on `up` or on the series of `kind` (not a dependency's
    /// `pg_up`): the one that could have covered a workload of that kind, to point at.
    pub fn nearest(&self, signal: &str, kind: &str) -> Option<&Alert> {
        self.nearest
            .get(signal)?
            .get(kind)
            .map(|&i| &self.alerts[i])
    }

    /// The subject of a workload (Deployment, StatefulSet, DaemonSet...): its namespace, its
    /// kind's label (`deployment: web`), a representative pod name, its containers, and the
    /// `job`/`service` labels its monitors give its series.
    pub fn workload_subject(&self, object: &Object<'_>) -> Subject {
        let mut labels: Vec<(&'static str, Vec<String>)> = Vec::new();
        let kind_label = match object.kind {
            "Deployment" => Some("deployment"),
            "StatefulSet" => Some("statefulset"),
            "DaemonSet" => Some("daemonset"),
            _ => None,
        };
        if let Some(l) = kind_label {
            labels.push((l, vec![object.name.to_string()]));
        }
        // Pod names as the controllers generate them.
        let pod = match object.kind {
            "StatefulSet" => format!("{}-0", object.name),
            "Deployment" => format!("{}-5d8f7c9b6-x2x7k", object.name),
            "Pod" => object.name.to_string(),
            _ => format!("{}-x2x7k", object.name),
        };
        labels.push(("pod", vec![pod]));
        if let Some(t) = crate::model::pod::PodTemplate::of(object) {
            let containers: Vec<String> = t
                .containers()
                .filter(|c| c.kind != crate::model::pod::ContainerKind::Init)
                .map(|c| c.name().to_string())
                .collect();
            labels.push(("container", containers));
        }
        let jobs = self.monitors.jobs_of(object.id).to_vec();
        let scraped = !jobs.is_empty();
        labels.push(("job", jobs));
        labels.push(("service", self.monitors.services_of(object.id).to_vec()));
        Subject {
            kind: object.kind.to_string(),
            namespace: object.namespace.as_deref().unwrap_or_default().to_string(),
            labels,
            scraped,
            candidates: Default::default(),
        }
    }

    /// The subject of an HPA or a PersistentVolumeClaim, named by its kube-state-metrics (or
    /// kubelet) label.
    pub fn object_subject(kind: &str, namespace: &str, label: &'static str, name: &str) -> Subject {
        Subject {
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            labels: vec![(label, vec![name.to_string()])],
            scraped: false,
            candidates: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::FileId;
    use crate::load::{self, Limits, SourceFile};
    use crate::model::index::IndexOptions;

    /// For each alert, in input order: its name and labels, and the position of the first alert
    /// with the same identity.
    fn firsts() -> Vec<(String, usize)> {
        let text = "
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: rules, namespace: shop}
spec:
  groups:
  - name: shop
    rules:
    - {alert: Down, expr: 'up == 0', labels: {severity: page}}
    - {alert: Down, expr: 'up == 0', labels: {severity: ticket}}
    - {alert: Down, expr: 'up{job=\"a\"} == 0', labels: {severity: page}}
    - {alert: Slow, expr: 'up == 0', labels: {severity: page}}
    - {alert: Down, expr: 'up == 0'}
    - {alert: Slow, expr: 'up == 0', labels: {severity: page}}
";
        let source = SourceFile::in_memory("rules.yaml", text);
        let arena = load::Bump::new();
        let parsed = load::parse_file(FileId(0), &source, &arena, Limits::default());
        let index = crate::model::Index::build(parsed.objects, &IndexOptions::default());
        let alerting = Alerting::build(&index);
        alerting
            .alerts
            .iter()
            .map(|alert| {
                let first = alerting.first_like(alert).expect("an alert is like itself");
                let position = alerting
                    .alerts
                    .iter()
                    .position(|a| std::ptr::eq(a, first))
                    .expect("one of the alerts");
                (format!("{} {:?}", alert.name, alert.labels), position)
            })
            .collect()
    }

    /// Alerts are found by a hash of their name and labels; alerts that share a hash share a
    /// list, in which the first of the same identity must still be the one found.
    #[test]
    fn the_first_alert_of_an_identity_is_found_when_every_hash_collides() {
        let honest = firsts();
        let positions: Vec<usize> = honest.iter().map(|(_, p)| *p).collect();
        assert_eq!(positions, [0, 1, 0, 3, 4, 3]);
        EVERY_IDENTITY_HASH_COLLIDES.store(true, std::sync::atomic::Ordering::Relaxed);
        let colliding = firsts();
        EVERY_IDENTITY_HASH_COLLIDES.store(false, std::sync::atomic::Ordering::Relaxed);
        assert_eq!(colliding, honest);
    }

    #[test]
    fn literal_prefixes_are_what_every_accepted_value_starts_with() {
        assert_eq!(literal_prefix("web-.*"), "web-");
        assert_eq!(literal_prefix("api-[a-z0-9]+"), "api-");
        assert_eq!(literal_prefix("apiar?y-.*"), "apia");
        assert_eq!(literal_prefix("web*"), "we");
        assert_eq!(literal_prefix("web{0,2}"), "we");
        assert_eq!(literal_prefix("db+"), "db");
        assert_eq!(literal_prefix("exact_name"), "exact_name");
        assert_eq!(literal_prefix("(?:web)-.*"), "web-");
        assert_eq!(literal_prefix("(web|db)-.*"), "");
        assert_eq!(literal_prefix("web-.*|db-.*"), "");
        assert_eq!(literal_prefix("(?i)web"), "");
        assert_eq!(literal_prefix(".*"), "");
        // Prometheus wraps the regex in `^(?:...)$`, which a `)` inside may close early, and
        // the regex crate accepts stacked repetitions: both once fooled a hand-made scan.
        assert_eq!(literal_prefix("zzz)?(?:x-.*"), "");
        assert_eq!(literal_prefix(")ab|a(?:"), "");
        assert_eq!(literal_prefix(")|(?:web-.*"), "");
        assert_eq!(literal_prefix("zzz+{0}x-.*"), "zzx-");
        assert_eq!(literal_prefix("web+*"), "we");
        assert_eq!(literal_prefix("(unclosed"), "");
        assert_eq!(literal_prefix("pé[a-z]"), "pé");
    }

    #[test]
    fn a_selector_pins_its_object_job_or_pod_prefix() {
        let selector = |expr: &str| promql::analyze(expr).unwrap().selectors.remove(0);
        let pattern = |source| signals::Pattern {
            metric: "*".into(),
            function: None,
            label: None,
            value: None,
            source,
            kinds: Vec::new(),
        };
        let (target, exporter) = (
            pattern(signals::Source::Target),
            pattern(signals::Source::Exporter),
        );
        let borrowed = |label, value| Some((label, Cow::Borrowed(value)));
        let s = selector(r#"up{namespace="shop", job="api"}"#);
        assert_eq!(
            coverage_pin(&s, &target),
            (Some("shop"), borrowed("job", "api"))
        );
        // Exporter series carry the exporter's job, which says nothing about the workload.
        assert_eq!(coverage_pin(&s, &exporter), (Some("shop"), None));
        let s = selector(r#"x{pod=~"web-.*", deployment="web"}"#);
        assert_eq!(
            coverage_pin(&s, &exporter),
            (None, borrowed("deployment", "web"))
        );
        let s = selector(r#"x{pod=~"web-.*"}"#);
        assert_eq!(
            coverage_pin(&s, &exporter),
            (None, borrowed(POD_PREFIX, "web-"))
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        /// The prefix is a promise about every value the regex accepts: a value that breaks it
        /// would fall into a bucket nobody looks in, and its workload be reported unwatched.
        #[test]
        fn every_value_a_regex_accepts_starts_with_its_literal_prefix(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "b", "ab", "-", "(", ")", "?", "*", "+", "{0}", "{1}", "{0,2}", "|",
                    "[ab]", ".", "\\-", "(?i)", "A", "é", "$", "^", "(?:", "x",
                ]),
                1..7,
            )
        ) {
            let regex = parts.concat();
            if let Ok(anchored) = regex::Regex::new(&format!("^(?:{regex})$")) {
                let prefix = literal_prefix(&regex);
                for value in [
                    "", "a", "b", "ab", "ba", "aab", "abb", "a-b", "x", "ax", "xa", "bx", "A",
                    "Ab", "é", "éa", "-", "aa", "bb", "abab", "axb",
                ] {
                    proptest::prop_assert!(
                        !anchored.is_match(value) || value.starts_with(prefix.as_str()),
                        "{regex:?} accepts {value:?}, which does not start with {prefix:?}"
                    );
                }
            }
        }
    }
}
