//! The pipeline: discover, read and parse files in parallel, build the index once, run the
//! enabled rules in parallel, then resolve severities and sort, so the output is byte-for-byte
//! the same at any thread count.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::baseline::BaselineSummary;
use crate::config::date::Date;
use crate::config::{ConfigError, LoadedConfig, Settings};
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::load::{self, DiscoverOptions, Limits, LoadStats, SourceFile};
use crate::model::Index;
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
    /// `--profile`; overrides the configuration's `profile`.
    pub profile: Option<String>,
    /// The configuration file, already read (`config::find` and `config::load`).
    pub config: Option<std::sync::Arc<LoadedConfig>>,
    /// `--report-unused-suppressions`.
    pub report_unused_suppressions: bool,
    /// `--baseline FILE`: report only findings not recorded in it.
    pub baseline: Option<PathBuf>,
    /// `--write-baseline FILE`: record the findings in it instead of reporting them.
    pub write_baseline: Option<PathBuf>,
    /// The date `expires:` is compared with (today when `None`).
    pub today: Option<Date>,
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
            profile: None,
            config: None,
            report_unused_suppressions: false,
            baseline: None,
            write_baseline: None,
            today: None,
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
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot write the baseline: {0}")]
    WriteBaseline(std::io::Error),
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
    /// Suppressions and the baseline.
    pub suppress: Duration,
}

/// The result of a run: the files (printers quote them), the sorted findings, and counts.
#[derive(Debug)]
pub struct Outcome {
    pub files: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: LoadStats,
    pub timings: Timings,
    pub elapsed: Duration,
    /// Findings hidden by suppressions (comments, annotations, configuration `ignores`).
    pub suppressed: usize,
    /// What `--baseline` or `--write-baseline` did.
    pub baseline: Option<BaselineSummary>,
}

/// The rules a run uses, each with its metadata, and the severity each reports with.
pub struct RuleSet {
    pub rules: Vec<(&'static RuleMeta, Box<dyn Rule>)>,
    pub severity: FxHashMap<&'static str, Severity>,
}

impl RuleSet {
    /// Default-enabled rules, replaced by `select` when given (ids, categories or `all`), minus
    /// `ignore`. Input problems stay on unless ignored by name or category. Without a
    /// configuration file; [`Settings::resolve`] is the whole story.
    pub fn resolve(select: &[String], ignore: &[String]) -> Result<Self, RunError> {
        let options = Options {
            select: select.to_vec(),
            ignore: ignore.to_vec(),
            ..Options::default()
        };
        Ok(Settings::resolve(&options)?.rules)
    }
}

pub fn run(options: &Options) -> Result<Outcome, RunError> {
    let jobs = options.jobs.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|_| RunError::ThreadPool(jobs))?;
    // Everything that can be wrong with the configuration fails here, before any manifest is
    // read.
    let settings = Settings::resolve(options)?;
    pool.install(|| run_in_pool(options, &settings))
}

fn run_in_pool(options: &Options, settings: &Settings) -> Result<Outcome, RunError> {
    let rule_set = &settings.rules;
    let started = Instant::now();
    let mut timings = Timings::default();

    let inputs = load::discover(&DiscoverOptions {
        paths: &settings.paths,
        exclude: &settings.exclude,
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
        },
    )
    .with_sources(files.iter().map(|f| f.text.as_str()).collect())
    .with_external(settings.external.clone())
    .with_kubernetes_version(settings.kubernetes_version.clone())
    .with_signals(settings.alert_signals.clone());
    timings.index = phase.elapsed();

    let phase = Instant::now();
    diagnostics.extend(run_rules(&index, rule_set));
    timings.rules = phase.elapsed();

    let metas: FxHashMap<&str, &RuleMeta> =
        rule_set.rules.iter().map(|(m, _)| (m.id, *m)).collect();
    diagnostics.retain_mut(|d| match metas.get(d.rule) {
        Some(meta) => {
            d.severity = settings.severity(meta.id).unwrap_or(meta.severity);
            d.category = meta.category;
            true
        }
        None => false,
    });
    let phase = Instant::now();
    let config_file = FileId(files.len() as u32);
    let applied = crate::config::suppress::apply(
        settings,
        &files,
        &index,
        &mut diagnostics,
        &crate::config::suppress::ApplyOptions {
            report_unused: options.report_unused_suppressions,
            write_baseline: options.write_baseline.as_deref(),
            config_file,
        },
    )
    .map_err(RunError::WriteBaseline)?;
    timings.suppress = phase.elapsed();
    drop(index);
    if applied.config_file_used
        && let Some(c) = &settings.config
    {
        // Findings about `ignores` entries point into the configuration file.
        files.push(SourceFile {
            name: c.display.clone(),
            path: Some(c.path.clone()),
            text: c.text.clone(),
            readable: true,
        });
    }
    diagnostics.par_sort_unstable_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(Outcome {
        files,
        diagnostics,
        stats,
        timings,
        elapsed: started.elapsed(),
        suppressed: applied.suppressed,
        baseline: applied.baseline,
    })
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
