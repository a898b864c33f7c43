//! What the benchmarks share: input made by the project's manifest generator (the one behind
//! `examples/gen_tree.rs`), held in memory so no benchmark touches the disk, and its loaded and
//! indexed form, built once per size and reused by every benchmark of that size.
// Each benchmark file uses part of it.
#![allow(dead_code)]

#[path = "../../examples/common/generator.rs"]
pub mod generator;

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use pake_lint::diagnostic::FileId;
use pake_lint::load::{self, Limits, SourceFile};
use pake_lint::model::index::IndexOptions;
use pake_lint::model::{Index, Object};

use generator::{DOCS_PER_APP, RBAC_DOCS_PER_APP, app, rbac};

/// divan as every benchmark file runs it: each benchmark stops sampling after 3 seconds, so
/// `cargo bench` stays short on two shared cores. `--max-time` and `--sample-count` on the
/// command line (after `--`) override it.
pub fn divan() -> divan::Divan {
    divan::Divan::default()
        .max_time(Duration::from_secs(3))
        .config_with_args()
}

/// Documents in one application bundle of [`tree`]: the generator's bundle and its RBAC.
pub const TREE_DOCS_PER_APP: usize = DOCS_PER_APP + RBAC_DOCS_PER_APP;

/// One multi-document stream of `documents` documents, rounded up to whole bundles (the
/// generator's bundle, as `gen_tree` writes it).
pub fn stream(documents: usize) -> String {
    (0..documents.div_ceil(DOCS_PER_APP)).map(app).collect()
}

/// Documents separated by a `---` line in `text`: what a benchmark reports as items.
pub fn documents_in(text: &str) -> usize {
    text.matches("\n---\n").count() + usize::from(text.starts_with("---\n"))
}

/// The same stream with input problems: one bundle in ten has a duplicate key
/// (`yaml-duplicate-key`) and another one in ten a syntax error in its ConfigMap (`yaml-syntax`,
/// after which the loader resumes at the next `---`).
pub fn stream_with_problems(documents: usize) -> String {
    (0..documents.div_ceil(DOCS_PER_APP))
        .map(|i| {
            let text = app(i);
            match i % 10 {
                3 => text.replacen("\n  replicas: ", "\n  replicas: 2\n  replicas: ", 1),
                7 => text.replacen(
                    "\ndata:\n  database_host:",
                    "\ndata:\n  broken: [unclosed\n  database_host:",
                    1,
                ),
                _ => text,
            }
        })
        .collect()
}

/// A tree of `documents` documents (whole bundles of [`TREE_DOCS_PER_APP`]) as in-memory
/// files, one per application as `gen_tree` lays them out, each with its Role and RoleBinding.
pub fn tree(documents: usize) -> Vec<SourceFile> {
    (0..documents.div_ceil(TREE_DOCS_PER_APP))
        .map(|i| SourceFile {
            name: format!("team-{:02}/svc-{i:06}.yaml", i % 20),
            path: None,
            text: app(i) + &rbac(i),
            readable: true,
        })
        .collect()
}

/// One empty arena per file, for [`objects`].
pub fn arenas(files: &[SourceFile]) -> Vec<load::Bump> {
    files.iter().map(|_| load::Bump::new()).collect()
}

/// Parses every file into objects, each file's trees in its arena, as the engine's parse phase
/// does (on one thread).
pub fn objects<'s>(files: &'s [SourceFile], arenas: &'s [load::Bump]) -> Vec<Object<'s>> {
    files
        .iter()
        .zip(arenas)
        .enumerate()
        .flat_map(|(i, (file, arena))| {
            load::parse_file(FileId(i as u32), file, arena, Limits::default()).objects
        })
        .collect()
}

/// Builds the index as the engine does, with the default options.
pub fn index<'s>(files: &'s [SourceFile], arenas: &'s [load::Bump]) -> Index<'s> {
    Index::build(
        objects(files, arenas),
        &IndexOptions {
            default_namespace: "default".into(),
            ..IndexOptions::default()
        },
    )
    .with_sources(files.iter().map(|f| f.text.as_str()).collect())
}

/// [`tree`]`(documents)`, made on first use and kept for the process.
pub fn shared_tree(documents: usize) -> &'static [SourceFile] {
    static TREES: OnceLock<Mutex<HashMap<usize, &'static [SourceFile]>>> = OnceLock::new();
    let mut trees = TREES.get_or_init(Default::default).lock().unwrap();
    trees
        .entry(documents)
        .or_insert_with(|| Vec::leak(tree(documents)))
}

/// The objects of [`shared_tree`]`(documents)`, parsed on first use and kept for the process
/// (their trees in arenas kept as long): a clone of them is what `Index::build` consumes.
pub fn shared_objects(documents: usize) -> &'static [Object<'static>] {
    static OBJECTS: OnceLock<Mutex<HashMap<usize, &'static [Object<'static>]>>> = OnceLock::new();
    let files = shared_tree(documents);
    let mut objects = OBJECTS.get_or_init(Default::default).lock().unwrap();
    objects
        .entry(documents)
        .or_insert_with(|| Vec::leak(self::objects(files, Vec::leak(arenas(files)))))
}

/// The index of [`shared_tree`]`(documents)`, built on first use and kept for the process:
/// building it is what the benchmarks that use it leave out.
pub fn shared_index(documents: usize) -> &'static Index<'static> {
    static INDEXES: OnceLock<Mutex<HashMap<usize, &'static Index<'static>>>> = OnceLock::new();
    let files = shared_tree(documents);
    let mut indexes = INDEXES.get_or_init(Default::default).lock().unwrap();
    indexes
        .entry(documents)
        .or_insert_with(|| Box::leak(Box::new(index(files, Vec::leak(arenas(files))))))
}
