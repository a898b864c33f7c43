//! The loader on one generated multi-document stream (Deployments, Services, HPAs, PDBs,
//! NetworkPolicies, ConfigMaps with block scalars, PrometheusRules...), at each stage, so each
//! stage's cost is the difference with the one before: the YAML parser's events alone (the
//! floor), the span-keeping tree, then the objects. `cargo bench --bench loader`.
//!
//! Throughput is in bytes and in documents. The result is dropped outside the timing.

mod common;

use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};
use pake_lint::diagnostic::FileId;
use pake_lint::load::{self, Limits, SourceFile, yaml};

fn main() {
    common::divan().main();
}

const DOCUMENTS: [usize; 2] = [100, 1_000];

fn source(text: String) -> SourceFile {
    SourceFile {
        name: "stream.yaml".into(),
        path: None,
        text,
        readable: true,
    }
}

fn counted<'a, 'b>(bencher: Bencher<'a, 'b>, text: &str) -> Bencher<'a, 'b> {
    bencher
        .counter(BytesCount::of_str(text))
        .counter(ItemsCount::new(common::documents_in(text)))
}

/// saphyr-parser's events, building nothing: what no loader on that parser can beat.
#[divan::bench(args = DOCUMENTS)]
fn parser_events(bencher: Bencher, documents: usize) {
    let text = common::stream(documents);
    counted(bencher, &text).bench(|| yaml::count_events(black_box(&text)));
}

/// The events turned into the span-keeping tree (anchors, merge keys, duplicate keys, limits).
#[divan::bench(args = DOCUMENTS)]
fn parse_stream(bencher: Bencher, documents: usize) {
    let text = common::stream(documents);
    // Each run parses into a fresh arena, sized as the engine sizes it; the arena (the trees)
    // is freed outside the timing, as the trees were before they moved into arenas.
    counted(bencher, &text)
        .with_inputs(|| load::arena_for_text(&text))
        .bench_local_refs(|arena| {
            yaml::parse_stream(black_box(&text), arena, Limits::default())
                .documents
                .len()
        });
}

/// The whole loader on one file: the tree, then each document read as an object (kind,
/// metadata, labels), as the engine's parse phase does per file. The objects are dropped
/// inside the timing (they borrow the arena, which is freed outside it).
#[divan::bench(args = DOCUMENTS)]
fn parse_file(bencher: Bencher, documents: usize) {
    let file = source(common::stream(documents));
    counted(bencher, &file.text)
        .with_inputs(|| load::arena_for(&file))
        .bench_local_refs(|arena| {
            load::parse_file(FileId(0), black_box(&file), arena, Limits::default())
                .objects
                .len()
        });
}
