//! Label selectors (`matchLabels` and `matchExpressions`) against one label set, then the
//! index's uses of them on a generated tree: selecting the pods of every Service and
//! NetworkPolicy, building the reverse lookups, building the whole index, and reading the
//! reverse lookups back. `cargo bench --bench selectors`.

mod common;

use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use pake_lint::load::Bump;
use pake_lint::load::tree::Node;
use pake_lint::load::yaml::{self, Limits};
use pake_lint::model::index::IndexOptions;
use pake_lint::model::relations::{Relations, pod_selector};
use pake_lint::model::selector::LabelSelector;
use pake_lint::model::{Index, Labels};

fn main() {
    common::divan().main();
}

/// Labels on the pod: the three a generated pod template carries, or those and enough of the
/// kind Helm, kustomize and operators add to make 40.
const LABEL_COUNTS: [usize; 2] = [3, 40];

/// Tree sizes, in documents (bundles of twelve).
const DOCUMENTS: [usize; 2] = [1_200, 12_000];

fn labels(count: usize) -> Labels {
    let mut pairs: Vec<(String, String)> = [
        ("app.kubernetes.io/name", "svc-42"),
        ("app.kubernetes.io/part-of", "bench"),
        ("tier", "backend"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for i in pairs.len()..count {
        pairs.push((format!("example.com/label-{i:02}"), format!("value-{i}")));
    }
    Labels::from_pairs(pairs)
}

fn selector(yaml_text: &str) -> LabelSelector {
    let arena = Bump::new();
    let stream = yaml::parse_stream(yaml_text, &arena, Limits::default());
    let root = stream.documents[0].root.as_ref().expect("a selector");
    LabelSelector::parse(root).expect("a valid selector")
}

/// Every requirement holds, so every one is evaluated.
const MATCH_LABELS: &str =
    "matchLabels: {app.kubernetes.io/name: svc-42, app.kubernetes.io/part-of: bench}";

/// One requirement of each operator, every one holding.
const MATCH_EXPRESSIONS: &str = "matchExpressions:
  - {key: tier, operator: In, values: [frontend, backend]}
  - {key: environment, operator: NotIn, values: [dev, test]}
  - {key: app.kubernetes.io/name, operator: Exists}
  - {key: canary, operator: DoesNotExist}
";

/// The usual miss: another application's name, decided by the first requirement.
const MISMATCH: &str =
    "matchLabels: {app.kubernetes.io/name: svc-43, app.kubernetes.io/part-of: bench}";

#[divan::bench(args = LABEL_COUNTS)]
fn match_labels(bencher: Bencher, labels_count: usize) {
    let (selector, labels) = (selector(MATCH_LABELS), labels(labels_count));
    assert!(selector.matches(&labels));
    bencher.bench(|| black_box(&selector).matches(black_box(&labels)));
}

#[divan::bench(args = LABEL_COUNTS)]
fn match_expressions(bencher: Bencher, labels_count: usize) {
    let (selector, labels) = (selector(MATCH_EXPRESSIONS), labels(labels_count));
    assert!(selector.matches(&labels));
    bencher.bench(|| black_box(&selector).matches(black_box(&labels)));
}

#[divan::bench(args = LABEL_COUNTS)]
fn mismatch(bencher: Bencher, labels_count: usize) {
    let (selector, labels) = (selector(MISMATCH), labels(labels_count));
    assert!(!selector.matches(&labels));
    bencher.bench(|| black_box(&selector).matches(black_box(&labels)));
}

/// Reading a selector with both parts from its node, as the index does for every PDB and
/// NetworkPolicy.
#[divan::bench]
fn parse(bencher: Bencher) {
    let text = format!("{MATCH_LABELS}\n{MATCH_EXPRESSIONS}");
    let arena = Bump::new();
    let stream = yaml::parse_stream(&text, &arena, Limits::default());
    let node = stream.documents[0].root.as_ref().expect("a selector");
    bencher.bench(|| LabelSelector::parse(black_box(node)));
}

/// The pods of every Service's selector (equality only: the index narrows the candidates to
/// the pods carrying one of its labels).
#[divan::bench(args = DOCUMENTS)]
fn select_pods_services(bencher: Bencher, documents: usize) {
    let index = common::shared_index(documents);
    let selectors: Vec<(&str, LabelSelector)> = index
        .of_kind("Service")
        .filter_map(|o| Some((o.namespace.as_deref()?, pod_selector(o)?)))
        .collect();
    select_all(bencher, index, &selectors);
}

/// The pods of every NetworkPolicy's ingress peer (`tier In [frontend, backend]`: no equality
/// requirement, so every pod template of the namespace is tested).
#[divan::bench(args = DOCUMENTS)]
fn select_pods_peers(bencher: Bencher, documents: usize) {
    let index = common::shared_index(documents);
    let selectors: Vec<(&str, LabelSelector)> = index
        .of_kind("NetworkPolicy")
        .flat_map(|o| {
            let namespace = o.namespace.as_deref().unwrap_or_default();
            o.root
                .path(&["spec", "ingress"])
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .flat_map(|rule| rule.get("from").map(Node::items).unwrap_or_default())
                .filter_map(move |peer| {
                    let selector = LabelSelector::parse(peer.get("podSelector")?).ok()?;
                    Some((namespace, selector))
                })
        })
        .collect();
    select_all(bencher, index, &selectors);
}

fn select_all(bencher: Bencher, index: &Index<'_>, selectors: &[(&str, LabelSelector)]) {
    assert!(!selectors.is_empty());
    bencher.counter(ItemsCount::new(selectors.len())).bench(|| {
        selectors
            .iter()
            .map(|(namespace, selector)| index.select_pods(namespace, selector).count())
            .sum::<usize>()
    });
}

/// Every reverse lookup (HPAs and VPAs of each workload, PDBs, NetworkPolicies and Services
/// selecting its pods), as `Index::build` computes them once. Items: objects.
#[divan::bench(args = DOCUMENTS)]
fn relations_build(bencher: Bencher, documents: usize) {
    let index = common::shared_index(documents);
    bencher
        .counter(ItemsCount::new(index.objects().len()))
        .bench(|| Relations::build(black_box(index)));
}

/// The whole index from loaded objects: names, kinds, namespaces, pod labels, storage, RBAC,
/// CRDs and the reverse lookups. The objects, which `Index::build` consumes, are parsed once
/// and cloned (sharing their trees) before each run, outside the timing. Items: objects.
#[divan::bench(args = DOCUMENTS)]
fn index_build(bencher: Bencher, documents: usize) {
    let objects = common::shared_objects(documents);
    let options = IndexOptions {
        default_namespace: "default".into(),
        ..IndexOptions::default()
    };
    bencher
        .with_inputs(|| objects.to_vec())
        .input_counter(|objects| ItemsCount::new(objects.len()))
        .bench_local_values(|objects| Index::build(objects, &options));
}

/// What the rules ask of the reverse lookups: for every object, the HPAs, PDBs,
/// NetworkPolicies and Services related to it. Items: objects.
#[divan::bench(args = DOCUMENTS)]
fn reverse_lookups(bencher: Bencher, documents: usize) {
    let index = common::shared_index(documents);
    let r = index.relations();
    bencher
        .counter(ItemsCount::new(index.objects().len()))
        .bench(|| {
            index
                .objects()
                .iter()
                .map(|o| {
                    Index::related(&r.hpas_of, o.id).len()
                        + Index::related(&r.pdbs_of, o.id).len()
                        + Index::related(&r.policies_of, o.id).len()
                        + Index::related(&r.services_of, o.id).len()
                })
                .sum::<usize>()
        });
}
