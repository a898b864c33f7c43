//! The pipeline: discover, read and parse files in parallel, build the index once, run the
//! enabled rules in parallel, then resolve severities and sort, so the output is byte-for-byte
//! the same at any thread count.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::baseline::BaselineSummary;
use crate::config::date::Date;
use crate::config::{ConfigError, LoadedConfig, Settings};
use crate::diagnostic::{Diagnostic, FileId, Findings, Severity};
use crate::load::{self, DiscoverOptions, Limits, LoadStats, SourceFile};
use crate::model::Index;
use crate::model::api_versions::KubeVersion;
use crate::model::index::IndexOptions;
use crate::progress::{Phase, Progress};
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
    /// Record which rules ran on which object ([`Outcome::checked`]), for reports that list
    /// passing checks too (JUnit). Off by default: it costs a pass over the objects.
    pub record_checks: bool,
    /// Time every rule (`--timings`), into [`Timings::by_rule`]. Off by default: it reads the
    /// clock around each rule on each object.
    pub time_rules: bool,
    /// Report only findings whose primary location is in one of these files (pre-commit's
    /// changed files), while still indexing everything in `paths`, so cross-object rules see
    /// the whole tree. The files are linted even when the walk of `paths` would skip them.
    pub report_only: Option<Vec<String>>,
    /// Input made in memory (a rendered kustomize overlay), linted like stdin under its name.
    pub rendered: Vec<load::RenderedInput>,
    /// Counters for a progress display, updated once per file and per phase.
    pub progress: Option<std::sync::Arc<crate::progress::Progress>>,
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
    /// The Kubernetes release the input is judged against: which API versions are served,
    /// which schemas apply.
    /// `None`: the configuration's `kubernetes_version`, else [`KubeVersion::DEFAULT`].
    pub kubernetes_version: Option<KubeVersion>,
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
            record_checks: false,
            time_rules: false,
            report_only: None,
            rendered: Vec::new(),
            progress: None,
            profile: None,
            config: None,
            report_unused_suppressions: false,
            baseline: None,
            write_baseline: None,
            today: None,
            kubernetes_version: None,
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
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot write the baseline: {0}")]
    WriteBaseline(std::io::Error),
    #[error("cannot start {0} worker threads")]
    ThreadPool(usize),
}

/// Wall-clock time of each phase.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    pub discover: Duration,
    pub read: Duration,
    pub parse: Duration,
    pub index: Duration,
    pub rules: Duration,
    /// Suppressions and the baseline.
    pub suppress: Duration,
    /// Time spent in each rule over the whole run, summed over threads, slowest first; filled
    /// when [`Options::time_rules`] is set. A thread waiting inside a rule (for a model another
    /// thread is building) counts as time in it.
    pub by_rule: Vec<(&'static str, Duration)>,
}

/// The result of a run: the files (printers quote them), the sorted findings, and counts.
#[derive(Debug)]
pub struct Outcome {
    pub files: Vec<SourceFile>,
    /// In the output's order. Kept in the chunks the rules wrote them in: gathering them into
    /// one vector would copy them all at once (see [`Findings`]).
    pub diagnostics: Findings,
    pub stats: LoadStats,
    pub timings: Timings,
    pub elapsed: Duration,
    /// Findings hidden by suppressions (comments, annotations, configuration `ignores`).
    pub suppressed: usize,
    /// What `--baseline` or `--write-baseline` did.
    pub baseline: Option<BaselineSummary>,
    /// With [`Options::record_checks`]: every object and the rules run on it, in input order.
    pub checked: Vec<Checked>,
}

/// An object and the ids of the rules whose `check` ran on it.
#[derive(Clone, Debug)]
pub struct Checked {
    pub file: FileId,
    /// The object's anchor (its name), where a report points for it.
    pub span: crate::load::tree::Span,
    pub object: crate::diagnostic::ObjectRef,
    pub rules: Vec<&'static str>,
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

    let mut paths = settings.paths.clone();
    if let Some(changed) = &options.report_only {
        if paths.is_empty() {
            paths.push(".".to_string());
        }
        // Changed files outside the walk (an excluded folder, an unusual extension) are still
        // linted; `discover` drops the ones the walk finds too.
        paths.extend(changed.iter().filter(|p| Path::new(p).exists()).cloned());
    }
    let mut inputs = if paths.is_empty() && !options.rendered.is_empty() {
        Vec::new()
    } else {
        load::discover(&DiscoverOptions {
            paths: &paths,
            exclude: &settings.exclude,
            stdin_filename: options.stdin_filename.as_deref(),
        })?
    };
    if options.report_only.is_some() {
        // A changed file is named both by the walk of the tree and on its own, perhaps once
        // absolute and once relative: read it once.
        let cwd = std::env::current_dir().unwrap_or_default();
        let mut seen = rustc_hash::FxHashSet::default();
        inputs.retain(|input| {
            input
                .path
                .as_deref()
                .is_none_or(|p| seen.insert(load::normalize_path(&cwd.join(p))))
        });
    }
    timings.discover = started.elapsed();
    let progress = options.progress.as_deref();
    if let Some(p) = progress {
        Progress::add(&p.files_total, inputs.len() + options.rendered.len());
        p.set_phase(Phase::Reading);
    }

    let phase = Instant::now();
    let mut read: Vec<(SourceFile, Option<Diagnostic>)> = inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| {
            let result = load::read_input(input, FileId(i as u32), options.max_file_size);
            if let Some(p) = progress {
                Progress::add(&p.files_read, 1);
            }
            result
        })
        .collect();
    read.extend(options.rendered.iter().map(|r| (r.source_file(), None)));
    let mut diagnostics = Findings::new();
    let mut files = Vec::with_capacity(read.len());
    for (file, problem) in read {
        files.push(file);
        diagnostics.extend(problem);
    }
    timings.read = phase.elapsed();

    let phase = Instant::now();
    // One arena per file holds its node trees. They live as long as `files`, until the index
    // is gone, and each is freed whole; each is filled on the thread that parses its file.
    let mut arenas: Vec<load::Bump> = files.iter().map(|_| load::Bump::new()).collect();
    let mut parsed: Vec<load::ParsedFile<'_>> = files
        .par_iter()
        .zip(arenas.par_iter_mut())
        .enumerate()
        .map(|(i, (file, arena))| {
            *arena = load::arena_for(file);
            let arena = &*arena;
            let parsed = load::parse_file(FileId(i as u32), file, arena, options.limits);
            if let Some(p) = progress {
                Progress::add(&p.documents, parsed.stats.documents);
                Progress::add(&p.findings, parsed.diagnostics.len());
            }
            parsed
        })
        .collect();
    drop_kustomize_patches(&files, &mut parsed);
    let mut stats = LoadStats::default();
    // Sized once: growing by doubling would hold two copies of every object at the end.
    let mut objects = Vec::with_capacity(parsed.iter().map(|f| f.objects.len()).sum());
    for file in parsed {
        stats.add(&file.stats);
        diagnostics.extend(file.diagnostics);
        objects.extend(file.objects);
    }
    timings.parse = phase.elapsed();

    if let Some(p) = progress {
        p.set_phase(Phase::Indexing);
    }
    let phase = Instant::now();
    let index = Index::build(
        objects,
        &IndexOptions {
            default_namespace: options.namespace.clone(),
            // The command line wins over the configuration (validated when it was read).
            kubernetes_version: options
                .kubernetes_version
                .or_else(|| {
                    settings
                        .kubernetes_version
                        .as_deref()
                        .and_then(|v| v.parse().ok())
                })
                .unwrap_or(KubeVersion::DEFAULT),
            extra_crds: load_crds(options)?,
        },
    )
    .with_sources(files.iter().map(|f| f.text.as_str()).collect())
    .with_external(settings.external.clone())
    .with_signals(settings.alert_signals.clone());
    timings.index = phase.elapsed();

    if let Some(p) = progress {
        p.set_phase(Phase::Checking);
    }
    let phase = Instant::now();
    // The alert model is built here, outside the rules' parallel loop (see `Index::alerting`),
    // whatever the rule set: cheap without PrometheusRules, and no rule can then trigger it
    // from inside the loop. Beside it, the schema validators of the kinds in the input (see
    // `schema::prepare`).
    let validates = rule_set
        .rules
        .iter()
        .any(|(meta, _)| matches!(meta.id, "schema-invalid" | "schema-unknown-field"));
    rayon::join(
        || index.alerting(),
        || validates.then(|| crate::model::schema::prepare(&index)),
    );
    let clocks = options
        .time_rules
        .then(|| RuleClocks::new(rule_set.rules.len()));
    // The loader's findings follow the rules'.
    let mut diagnostics = run_rules(&index, rule_set, clocks.as_ref(), diagnostics);
    if let Some(clocks) = clocks {
        timings.by_rule = clocks.slowest_first(rule_set);
    }
    timings.rules = phase.elapsed();
    let checked = if options.record_checks {
        record_checks(&index, rule_set)
    } else {
        Vec::new()
    };

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
    // The trees are in the arenas, each freed whole.
    index.dispose();
    drop(arenas);
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
    let mut checked = checked;
    if let Some(changed) = &options.report_only {
        // Compared as absolute paths, so `--tree /repo/k8s` matches `k8s/a.yaml` from `/repo`.
        let cwd = std::env::current_dir().unwrap_or_default();
        let absolute = |p: &Path| load::normalize_path(&cwd.join(p));
        let wanted: rustc_hash::FxHashSet<std::path::PathBuf> =
            changed.iter().map(|p| absolute(Path::new(p))).collect();
        let reported: Vec<bool> = files
            .iter()
            .map(|f| {
                f.path
                    .as_deref()
                    .is_some_and(|p| wanted.contains(&absolute(p)))
            })
            .collect();
        diagnostics.retain(|d| reported[d.file.index()]);
        checked.retain(|c| reported[c.file.index()]);
    }
    diagnostics.sort();
    if let Some(p) = progress {
        p.findings
            .store(diagnostics.len(), std::sync::atomic::Ordering::Relaxed);
        p.set_phase(Phase::Done);
    }
    Ok(Outcome {
        files,
        diagnostics,
        stats,
        timings,
        elapsed: started.elapsed(),
        checked,
        suppressed: applied.suppressed,
        baseline: applied.baseline,
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
            let arena = load::arena_for(&file);
            let parsed =
                load::parse_file(FileId(u32::MAX - i as u32), &file, &arena, options.limits);
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

/// Which rules look at which kind (indexes into the rule set), and which look at every kind.
fn rules_by_kind(rule_set: &RuleSet) -> (FxHashMap<&'static str, Vec<usize>>, Vec<usize>) {
    let mut by_kind: FxHashMap<&'static str, Vec<usize>> = FxHashMap::default();
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
    (by_kind, every_kind)
}

/// The rules `run_rules` calls for each object, derived from the same table rather than
/// recorded in the hot loop.
fn record_checks(index: &Index<'_>, rule_set: &RuleSet) -> Vec<Checked> {
    let (by_kind, every_kind) = rules_by_kind(rule_set);
    index
        .objects()
        .iter()
        .map(|object| {
            let specific = by_kind
                .get(object.kind)
                .map(Vec::as_slice)
                .unwrap_or_default();
            Checked {
                file: object.file,
                span: object.anchor(),
                object: object.object_ref(),
                rules: specific
                    .iter()
                    .chain(&every_kind)
                    .map(|&i| rule_set.rules[i].0.id)
                    .collect(),
            }
        })
        .collect()
}

/// Nanoseconds spent in each rule (by its position in the rule set), added to by all threads.
struct RuleClocks(Vec<Clock>);

/// One rule's clock on a cache line of its own, so threads timing different rules do not
/// contend for the line.
#[derive(Default)]
#[repr(align(64))]
struct Clock(std::sync::atomic::AtomicU64);

impl RuleClocks {
    fn new(rules: usize) -> Self {
        RuleClocks((0..rules).map(|_| Clock::default()).collect())
    }

    /// Runs `f`, adding its duration to rule `i`'s clock when there are clocks.
    fn time<T>(clocks: Option<&Self>, i: usize, f: impl FnOnce() -> T) -> T {
        let Some(clocks) = clocks else {
            return f();
        };
        let started = Instant::now();
        let result = f();
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        clocks.0[i]
            .0
            .fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
        result
    }

    fn slowest_first(&self, rule_set: &RuleSet) -> Vec<(&'static str, Duration)> {
        let mut by_rule: Vec<(&'static str, Duration)> = rule_set
            .rules
            .iter()
            .zip(&self.0)
            .map(|((meta, _), nanos)| {
                let nanos = nanos.0.load(std::sync::atomic::Ordering::Relaxed);
                (meta.id, Duration::from_nanos(nanos))
            })
            .collect();
        by_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        by_rule
    }
}

/// Runs the rules on every object, then on the input as a whole, and returns their findings
/// followed by `loaded` (the loader's), in that order.
///
/// Each thread gathers the findings of its run of objects (rayon's `fold`) in chunks that do
/// not grow once allocated ([`Findings`]), and the chunks are then moved, not copied, into one
/// store, which goes on to suppression and the printers as it is. The end of the rules is the
/// run's peak of memory, with every tree alive, so no finding is ever held twice.
fn run_rules(
    index: &Index<'_>,
    rule_set: &RuleSet,
    clocks: Option<&RuleClocks>,
    loaded: Findings,
) -> Findings {
    // Which rules look at which kind, decided once.
    let (by_kind, every_kind) = rules_by_kind(rule_set);
    // The per-input rules run alongside the per-object ones, as they did when the two were one
    // parallel iterator.
    let per_object = || -> Vec<Findings> {
        index
            .objects()
            .par_iter()
            .fold(
                || Cx::new(index, ""),
                |mut cx, object| {
                    let specific = by_kind
                        .get(object.kind)
                        .map(Vec::as_slice)
                        .unwrap_or_default();
                    for &i in specific.iter().chain(&every_kind) {
                        let (meta, rule) = &rule_set.rules[i];
                        cx.set_rule(meta.id);
                        RuleClocks::time(clocks, i, || rule.check(object, &mut cx));
                    }
                    cx
                },
            )
            .map(Cx::into_findings)
            .collect()
    };
    let per_input = || -> Vec<Findings> {
        rule_set
            .rules
            .par_iter()
            .enumerate()
            .map(|(i, (meta, rule))| {
                let mut cx = Cx::new(index, meta.id);
                RuleClocks::time(clocks, i, || rule.check_input(&mut cx));
                cx.into_findings()
            })
            .collect()
    };
    let (per_object, per_input) = rayon::join(per_object, per_input);
    let mut all = Findings::new();
    for part in per_object.into_iter().chain(per_input).chain([loaded]) {
        all.append(part);
    }
    all
}
