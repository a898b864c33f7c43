//! The pipeline: discover, read and parse files in parallel, build the index once, run the
//! enabled rules in parallel, then resolve severities and sort, so the output is byte-for-byte
//! the same at any thread count.

use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::diagnostic::{Category, Diagnostic, FileId};
use crate::load::{self, DiscoverOptions, Limits, LoadStats, SourceFile};
use crate::model::Index;
use crate::model::api_versions::KubeVersion;
use crate::model::index::IndexOptions;
use crate::rules::{self, Cx, Rule, RuleMeta};

/// Everything a run needs, after the command line (and later the configuration) are merged.
#[derive(Clone, Debug)]
pub struct Options {
    pub paths: Vec<String>,
    pub exclude: Vec<String>,
    pub stdin_filename: Option<String>,
    pub namespace: String,
    pub jobs: Option<usize>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub max_file_size: u64,
    pub limits: Limits,
    /// The Kubernetes release the input is judged against: which API versions are served,
    /// which schemas apply.
    pub kubernetes_version: KubeVersion,
    /// Files and folders of CustomResourceDefinitions to validate custom resources against,
    /// besides those in the input (`--crd`).
    pub crd_paths: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            paths: Vec::new(),
            exclude: Vec::new(),
            stdin_filename: None,
            namespace: "default".to_string(),
            jobs: None,
            select: Vec::new(),
            ignore: Vec::new(),
            max_file_size: load::DEFAULT_MAX_FILE_SIZE,
            limits: Limits::default(),
            kubernetes_version: KubeVersion::DEFAULT,
            crd_paths: Vec::new(),
        }
    }
}

/// Failures of the run itself (exit code 2), as opposed to findings.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Discover(#[from] load::DiscoverError),
    #[error("unknown rule or category `{name}`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownRule {
        name: String,
        suggestion: Option<String>,
    },
    #[error(transparent)]
    Params(#[from] rules::ParamsError),
    #[error("cannot start {0} worker threads")]
    ThreadPool(usize),
}

/// Wall-clock time of each phase.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    pub discover: Duration,
    pub read: Duration,
    pub parse: Duration,
    pub index: Duration,
    pub rules: Duration,
}

/// The result of a run: the files (printers quote them), the sorted findings, and counts.
#[derive(Debug)]
pub struct Outcome {
    pub files: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: LoadStats,
    pub timings: Timings,
    pub elapsed: Duration,
}

/// The rules a run uses, each with its metadata.
pub struct RuleSet {
    pub rules: Vec<(&'static RuleMeta, Box<dyn Rule>)>,
}

impl RuleSet {
    /// Default-enabled rules, replaced by `select` when given (ids, categories or `all`), minus
    /// `ignore`. Input problems stay on unless ignored by name or category.
    pub fn resolve(select: &[String], ignore: &[String]) -> Result<Self, RunError> {
        let registry = rules::registry();
        let matches = |meta: &RuleMeta, names: &[String]| {
            names
                .iter()
                .any(|n| n == "all" || n == meta.id || n == meta.category.as_str())
        };
        for name in select.iter().chain(ignore) {
            let known = name == "all"
                || Category::parse(name).is_some()
                || registry.iter().any(|e| e.meta.id == name);
            if !known {
                let suggestion = registry
                    .iter()
                    .map(|e| e.meta.id)
                    .chain(Category::ALL.iter().map(|c| c.as_str()))
                    .map(|id| (strsim::jaro_winkler(id, name), id))
                    .filter(|(score, _)| *score > 0.85)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, id)| id.to_string());
                return Err(RunError::UnknownRule {
                    name: name.clone(),
                    suggestion,
                });
            }
        }
        let mut rules = Vec::new();
        for entry in registry {
            let meta = entry.meta;
            let selected = if select.is_empty() {
                meta.default_enabled
            } else {
                matches(meta, select) || meta.category == Category::Input
            };
            if selected && !matches(meta, ignore) {
                rules.push((meta, (entry.build)(None)?));
            }
        }
        Ok(RuleSet { rules })
    }
}

pub fn run(options: &Options) -> Result<Outcome, RunError> {
    let jobs = options.jobs.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|_| RunError::ThreadPool(jobs))?;
    let rule_set = RuleSet::resolve(&options.select, &options.ignore)?;
    pool.install(|| run_in_pool(options, &rule_set))
}

fn run_in_pool(options: &Options, rule_set: &RuleSet) -> Result<Outcome, RunError> {
    let started = Instant::now();
    let mut timings = Timings::default();

    let inputs = load::discover(&DiscoverOptions {
        paths: &options.paths,
        exclude: &options.exclude,
        stdin_filename: options.stdin_filename.as_deref(),
    })?;
    timings.discover = started.elapsed();

    let phase = Instant::now();
    let read: Vec<(SourceFile, Option<Diagnostic>)> = inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| load::read_input(input, FileId(i as u32), options.max_file_size))
        .collect();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut files = Vec::with_capacity(read.len());
    for (file, problem) in read {
        files.push(file);
        diagnostics.extend(problem);
    }
    timings.read = phase.elapsed();

    let phase = Instant::now();
    let mut parsed: Vec<load::ParsedFile<'_>> = files
        .par_iter()
        .enumerate()
        .map(|(i, file)| load::parse_file(FileId(i as u32), file, options.limits))
        .collect();
    drop_kustomize_patches(&files, &mut parsed);
    let mut stats = LoadStats::default();
    let mut objects = Vec::new();
    for file in parsed {
        stats.add(&file.stats);
        diagnostics.extend(file.diagnostics);
        objects.extend(file.objects);
    }
    timings.parse = phase.elapsed();

    let phase = Instant::now();
    let index = Index::build(
        objects,
        &IndexOptions {
            default_namespace: options.namespace.clone(),
            kubernetes_version: options.kubernetes_version,
            extra_crds: load_crds(options)?,
        },
    );
    timings.index = phase.elapsed();

    let phase = Instant::now();
    diagnostics.extend(run_rules(&index, rule_set));
    timings.rules = phase.elapsed();
    drop(index);

    let metas: FxHashMap<&str, &RuleMeta> =
        rule_set.rules.iter().map(|(m, _)| (m.id, *m)).collect();
    diagnostics.retain_mut(|d| match metas.get(d.rule) {
        Some(meta) => {
            d.severity = meta.severity;
            d.category = meta.category;
            true
        }
        None => false,
    });
    diagnostics.par_sort_unstable_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(Outcome {
        files,
        diagnostics,
        stats,
        timings,
        elapsed: started.elapsed(),
    })
}

/// The CustomResourceDefinitions in the `--crd` files, as JSON. Problems of those files are
/// not reported: they are reference material, not input.
fn load_crds(options: &Options) -> Result<Vec<(String, serde_json::Value)>, RunError> {
    if options.crd_paths.is_empty() {
        return Ok(Vec::new());
    }
    let inputs = load::discover(&DiscoverOptions {
        paths: &options.crd_paths,
        exclude: &[],
        stdin_filename: None,
    })?;
    let crds = inputs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, input)| {
            let (file, _) =
                load::read_input(input, FileId(u32::MAX - i as u32), options.max_file_size);
            let parsed = load::parse_file(FileId(u32::MAX - i as u32), &file, options.limits);
            parsed
                .objects
                .iter()
                .filter(|o| o.kind == "CustomResourceDefinition")
                .map(|o| (file.name.clone(), crate::model::schema::to_json(&o.root)))
                .collect::<Vec<_>>()
        })
        .collect();
    Ok(crds)
}

/// Files a kustomization lists as patches hold partial objects: count their documents as
/// skipped and drop what was read from them (objects, and the invalid-object findings their
/// partial shape causes).
fn drop_kustomize_patches(files: &[SourceFile], parsed: &mut [load::ParsedFile<'_>]) {
    let patches: rustc_hash::FxHashSet<std::path::PathBuf> = parsed
        .iter()
        .flat_map(|p| p.kustomize_patches.iter().cloned())
        .collect();
    if patches.is_empty() {
        return;
    }
    for (file, result) in files.iter().zip(parsed.iter_mut()) {
        let Some(path) = &file.path else { continue };
        if !patches.contains(&load::normalize_path(path)) {
            continue;
        }
        let s = &mut result.stats;
        s.skipped_documents += s.object_documents + s.list_documents + s.invalid_documents;
        s.object_documents = 0;
        s.list_documents = 0;
        s.invalid_documents = 0;
        s.objects = 0;
        result.objects.clear();
        result.diagnostics.retain(|d| d.rule != "invalid-object");
    }
}

fn run_rules(index: &Index<'_>, rule_set: &RuleSet) -> Vec<Diagnostic> {
    // Which rules look at which kind, decided once.
    let mut by_kind: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut every_kind: Vec<usize> = Vec::new();
    for (i, (meta, _)) in rule_set.rules.iter().enumerate() {
        for kind in meta.kinds {
            if *kind == "*" {
                every_kind.push(i);
            } else {
                by_kind.entry(kind).or_default().push(i);
            }
        }
    }
    let per_object = index.objects().par_iter().flat_map_iter(|object| {
        let mut cx = Cx::new(index, "");
        let specific = by_kind
            .get(object.kind.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        for &i in specific.iter().chain(&every_kind) {
            let (meta, rule) = &rule_set.rules[i];
            cx.set_rule(meta.id);
            rule.check(object, &mut cx);
        }
        cx.into_diagnostics()
    });
    let per_input = rule_set.rules.par_iter().flat_map_iter(|(meta, rule)| {
        let mut cx = Cx::new(index, meta.id);
        rule.check_input(&mut cx);
        cx.into_diagnostics()
    });
    per_object.chain(per_input).collect()
}
