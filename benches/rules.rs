//! One rule of each family over a generated tree, then the whole engine with those rules, so a
//! rule's cost can be read against the rest of a run. `cargo bench --bench rules`.
//!
//! `rule` times the rule alone: the tree is loaded and indexed once, outside the timing, and
//! the rule is called as the engine calls it (`check` on every object of the kinds it declares,
//! then `check_input`), on one thread. Models the index builds on first use and keeps (the
//! alert coverage model) and the compiled JSON Schema validators are built in the first
//! iterations and reused after, as they are within a run; `alerting_model` times the former.
//! The input family is reported by the loader, not by a `check`: `input_problems` times the
//! loader on a stream where `yaml-syntax` and `yaml-duplicate-key` fire, to read against
//! `cargo bench --bench loader`'s `parse_file`.

mod common;

use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};
use pake_lint::diagnostic::{Category, FileId};
use pake_lint::engine::{self, Options};
use pake_lint::load::{self, Limits, RenderedInput, SourceFile};
use pake_lint::model::alerts::Alerting;
use pake_lint::rules::{Cx, registry};

/// The benchmarked rule of each family but `input`: one that does the family's typical work
/// (a walk of every container, a reverse lookup, a reference, the alert coverage model, a
/// JSON Schema validation).
const RULES: [&str; 9] = [
    "container-privileged",
    "container-resources-missing",
    "workload-pdb-missing",
    "hpa-target-missing",
    "workload-network-policy-missing",
    "pvc-storage-class-missing",
    "role-wildcard",
    "workload-alert-missing",
    "schema-invalid",
];

/// The tree the rules run over, in documents (100 bundles of twelve).
const DOCUMENTS: usize = 1_200;

fn main() {
    // A family added to `Category` needs a representative here.
    for category in Category::ALL {
        assert!(
            category == Category::Input
                || RULES.iter().any(|id| {
                    pake_lint::rules::find_meta(id).map(|m| m.category) == Some(category)
                }),
            "no benchmarked rule of the `{}` family",
            category.as_str()
        );
    }
    common::divan().main();
}

/// The rule alone over the indexed tree. Items: the objects of the kinds it declares.
#[divan::bench(args = RULES)]
fn rule(bencher: Bencher, id: &str) {
    let index = common::shared_index(DOCUMENTS);
    let entry = registry()
        .into_iter()
        .find(|e| e.meta.id == id)
        .expect("a registered rule");
    let rule = (entry.build)(None).expect("the default parameters");
    let applies = |kind: &str| entry.meta.kinds.iter().any(|k| *k == "*" || *k == kind);
    let objects: Vec<_> = index.objects().iter().filter(|o| applies(o.kind)).collect();
    assert!(!objects.is_empty(), "`{id}` has nothing to check");
    bencher.counter(ItemsCount::new(objects.len())).bench(|| {
        let mut cx = Cx::new(index, entry.meta.id);
        for object in &objects {
            rule.check(object, &mut cx);
        }
        rule.check_input(&mut cx);
        cx.into_diagnostics()
    });
}

/// The alert coverage model (alerts, their PromQL parsed, what each one watches), which the
/// monitoring rules share and the index builds once per run. Items: objects.
#[divan::bench]
fn alerting_model(bencher: Bencher) {
    let index = common::shared_index(DOCUMENTS);
    bencher
        .counter(ItemsCount::new(index.objects().len()))
        .bench(|| Alerting::build(black_box(index)));
}

/// The loader on a stream of 1,000 documents where one bundle in ten has a duplicate key and
/// another one in ten a syntax error (the rest of that document is skipped).
#[divan::bench]
fn input_problems(bencher: Bencher) {
    let file = SourceFile {
        name: "stream.yaml".into(),
        path: None,
        text: common::stream_with_problems(1_000),
        readable: true,
    };
    let arena = load::arena_for(&file);
    let parsed = load::parse_file(FileId(0), &file, &arena, Limits::default());
    for rule in ["yaml-syntax", "yaml-duplicate-key"] {
        assert!(parsed.diagnostics.iter().any(|d| d.rule == rule), "{rule}");
    }
    bencher
        .counter(BytesCount::of_str(&file.text))
        .counter(ItemsCount::new(common::documents_in(&file.text)))
        .with_inputs(|| load::arena_for(&file))
        .bench_local_refs(|arena| {
            load::parse_file(FileId(0), black_box(&file), arena, Limits::default()).diagnostics
        });
}

/// `engine::run` with the benchmarked rules selected (the input family is always on), on one
/// thread, over the same tree given in memory: parsing, indexing, the rules, suppression and
/// sorting. Items: documents.
#[divan::bench]
fn engine_run(bencher: Bencher) {
    let options = Options {
        rendered: common::shared_tree(DOCUMENTS)
            .iter()
            .map(|f| RenderedInput {
                name: f.name.clone(),
                text: f.text.clone(),
            })
            .collect(),
        select: RULES.iter().map(|s| s.to_string()).collect(),
        jobs: Some(1),
        ..Options::default()
    };
    bencher
        .counter(ItemsCount::new(DOCUMENTS))
        .bench(|| engine::run(&options).expect("the run succeeds"));
}
