//! The `pake-lint` command line. Exit codes: 0 no finding at or above `--fail-on`, 1 findings
//! at or above it, 2 the run itself failed.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use pake_lint::config;
use pake_lint::diagnostic::Severity;
use pake_lint::engine::{self, Options};
use pake_lint::report::{self, Format, PrintOptions};
use pake_lint::rules;

#[derive(Parser)]
#[command(
    name = "pake-lint",
    version,
    about = "Lint rendered Kubernetes manifests",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    lint: LintArgs,
}

#[derive(Subcommand)]
enum Command {
    /// List the rules: id, category, default severity, enabled by default, profiles, summary.
    Rules {
        #[arg(short, long, value_enum, default_value = "human")]
        format: ListFormat,
    },
    /// Print a rule's documentation.
    Explain { rule: String },
    /// Print the seed's production-readiness checklist with each item's status, derived from
    /// the rules that back it (exit 1 when an item failed).
    Checklist(ChecklistArgs),
}

#[derive(Args)]
struct ChecklistArgs {
    /// Files, folders or glob patterns to check (default: the configuration's `paths`).
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "human")]
    format: ChecklistFormat,
    /// Print which rules back each item, and lint nothing.
    #[arg(long)]
    explain: bool,
    /// Read the configuration from FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<std::path::PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    no_config: bool,
    /// Namespace of objects that declare none.
    #[arg(long, value_name = "NS")]
    namespace: Option<String>,
    /// Skip files and folders matching GLOB in folder walks (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ChecklistFormat {
    Human,
    Markdown,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
struct LintArgs {
    /// Files, folders (searched for *.yaml, *.yml, *.json), glob patterns, or `-` for stdin.
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value = "human")]
    format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<std::path::PathBuf>,
    /// Also write a report in FORMAT to PATH (`-` for standard output), in the same run;
    /// repeatable: `--output-format sarif:pake.sarif --output-format json:pake.json`.
    #[arg(long = "output-format", value_name = "FORMAT:PATH", value_parser = parse_extra_output)]
    extra_outputs: Vec<ExtraOutput>,
    /// Report only on the PATHs given (the changed files a pre-commit hook passes) while
    /// linting the whole tree (`--tree`, else the configured paths, else `.`), so cross-object
    /// rules still see every
    /// object: a commit that touches only a Deployment gets no false "selects nothing" finding.
    #[arg(long)]
    changed: bool,
    /// With `--changed`: the tree to lint and index (repeatable; default: the configuration's
    /// `paths`, else `.`).
    #[arg(long, value_name = "PATH", requires = "changed")]
    tree: Vec<String>,
    /// Render the kustomize overlay in DIR (with `kustomize build` or `kubectl kustomize`) and
    /// lint the result; each object's origin annotation names its source file. Repeatable.
    #[arg(long, value_name = "DIR")]
    kustomize: Vec<String>,
    /// SARIF `automationDetails.id`, to tell apart several SARIF runs uploaded for one commit.
    #[arg(long, value_name = "NAME")]
    sarif_category: Option<String>,
    /// Exit with 1 when a finding has at least this severity.
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOn,
    /// Worker threads (default: one per core).
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// Rules or categories to run instead of the defaults (comma separated; `all` for every rule).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Vec<String>,
    /// Rules or categories not to run (comma separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    ignore: Vec<String>,
    /// Skip files and folders matching GLOB in folder walks (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Namespace of objects that declare none [default: the configuration's, else `default`].
    #[arg(long, value_name = "NS")]
    namespace: Option<String>,
    /// Read the configuration from FILE instead of looking for `.pake-lint.yaml` from the
    /// working directory up to the repository root.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<std::path::PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    no_config: bool,
    /// The rule profile: `baseline` (the default), `production` or `all`.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// Report suppressions (comments, annotations, `ignores`) that matched no finding.
    #[arg(long)]
    report_unused_suppressions: bool,
    /// Report only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<std::path::PathBuf>,
    /// Record the current findings in FILE (a baseline for `--baseline`) instead of reporting them.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<std::path::PathBuf>,
    /// The file name to show for input read from stdin.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// Colour the human output (honours NO_COLOR with `auto`).
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
    /// Print findings only, without the summary line.
    #[arg(short, long)]
    quiet: bool,
    /// Print the time each phase took (discover, read, parse, index, rules, report) and the
    /// slowest rules to stderr.
    #[arg(long)]
    timings: bool,
    /// The Kubernetes release to judge API versions and schemas against (`MAJOR.MINOR`)
    /// [default: the configuration's `kubernetes_version`, else 1.35]
    #[arg(long, value_name = "VERSION")]
    kubernetes_version: Option<pake_lint::model::api_versions::KubeVersion>,
    /// CustomResourceDefinitions (files or folders) to validate custom resources against, besides
    /// those in the input (repeatable).
    #[arg(long, value_name = "PATH")]
    crd: Vec<String>,
    /// Largest file read, in bytes (a limit above 2 GiB is lowered to 2 GiB); larger files are
    /// reported as `file-too-large`.
    #[arg(long, value_name = "BYTES", default_value_t = pake_lint::load::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
}

/// A report in addition to the main one: `FORMAT:PATH`.
#[derive(Clone, Debug)]
struct ExtraOutput {
    format: Format,
    path: std::path::PathBuf,
}

fn parse_extra_output(s: &str) -> Result<ExtraOutput, String> {
    let (format, path) = s.split_once(':').ok_or_else(|| {
        format!("expected FORMAT:PATH (for example `sarif:pake.sarif`), got `{s}`")
    })?;
    let format = Format::from_str(format, true).map_err(|_| {
        let names: Vec<&str> = Format::value_variants().iter().map(|f| f.name()).collect();
        format!(
            "unknown format `{format}`; expected one of {}",
            names.join(", ")
        )
    })?;
    if path.is_empty() {
        return Err(format!("no path after `{}:`", format.name()));
    }
    Ok(ExtraOutput {
        format,
        path: path.into(),
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Rules { format }) => list_rules(format).map(|()| 0),
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Checklist(args)) => checklist(args),
        None => lint(cli.lint),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // A reader that went away (`pake-lint k8s | head`) is not a failure.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pake-lint: error: {e}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow_lite::Error) -> bool {
    matches!(e, anyhow_lite::Error::Io(io) if io.kind() == io::ErrorKind::BrokenPipe)
}

mod anyhow_lite {
    //! The two kinds of failure `main` reports: the run's own, and writing the report.
    #[derive(Debug, thiserror::Error)]
    pub enum Error {
        #[error(transparent)]
        Run(#[from] pake_lint::engine::RunError),
        #[error("{0}")]
        Io(#[from] std::io::Error),
        #[error("{0}")]
        Usage(String),
    }
}
use anyhow_lite::Error;

/// The configuration file: `--config FILE`, none with `--no-config`, else `.pake-lint.yaml`
/// found from the working directory upward.
fn load_config(
    path: Option<&std::path::Path>,
    none: bool,
) -> Result<Option<std::sync::Arc<config::LoadedConfig>>, Error> {
    if none {
        return Ok(None);
    }
    let found = match path {
        Some(p) => Some((p.to_path_buf(), p.display().to_string())),
        None => {
            let cwd = std::env::current_dir()?;
            config::find(&cwd).map(|p| {
                // Named relative to the working directory (`../../.pake-lint.yaml`).
                let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
                let display = match p.parent().and_then(|dir| cwd.strip_prefix(dir).ok()) {
                    Some(below) => {
                        let mut rel = std::path::PathBuf::new();
                        for _ in below.components() {
                            rel.push("..");
                        }
                        rel.join(p.file_name().unwrap_or_default())
                            .display()
                            .to_string()
                    }
                    None => p.display().to_string(),
                };
                (p, display)
            })
        }
    };
    match found {
        Some((path, display)) => Ok(Some(std::sync::Arc::new(
            config::load(&path, &display).map_err(engine::RunError::from)?,
        ))),
        None => Ok(None),
    }
}

fn lint(args: LintArgs) -> Result<u8, Error> {
    let loaded = load_config(args.config.as_deref(), args.no_config)?;
    let namespace = args
        .namespace
        .or_else(|| loaded.as_ref().and_then(|c| c.options.namespace.clone()))
        .unwrap_or_else(|| "default".to_string());
    let wants_checks = args.format == Format::Junit
        || args.extra_outputs.iter().any(|o| o.format == Format::Junit);
    let mut rendered = Vec::new();
    for dir in &args.kustomize {
        rendered.push(
            pake_lint::load::kustomize::render(dir).map_err(|e| Error::Usage(e.to_string()))?,
        );
    }
    if let Some(jobs) = args.jobs {
        // The printers' parallel parts run on rayon's global pool: the same size as the
        // engine's, so `--jobs 1` means one thread throughout. Fails only if already built.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global();
    }
    let (paths, report_only) = if args.changed {
        (args.tree, Some(args.paths))
    } else {
        (args.paths, None)
    };
    let options = Options {
        paths,
        report_only,
        rendered,
        exclude: args.exclude,
        stdin_filename: args.stdin_filename,
        namespace,
        jobs: args.jobs,
        select: args.select,
        ignore: args.ignore,
        max_file_size: args.max_file_size,
        record_checks: wants_checks,
        time_rules: args.timings,
        progress: show_progress().then(Default::default),
        profile: args.profile,
        config: loaded,
        report_unused_suppressions: args.report_unused_suppressions,
        baseline: args.baseline,
        write_baseline: args.write_baseline,
        kubernetes_version: args.kubernetes_version,
        crd_paths: args.crd,
        ..Options::default()
    };
    // Open every output before linting, so an unwritable path fails fast.
    let open = |path: &std::path::Path| {
        std::fs::File::create(path)
            .map_err(|e| Error::Usage(format!("cannot write {}: {e}", path.display())))
    };
    let file = args.output.as_deref().map(open).transpose()?;
    let mut extras = Vec::new();
    for extra in &args.extra_outputs {
        let file = if extra.path.as_os_str() == "-" {
            None
        } else {
            Some(open(&extra.path)?)
        };
        extras.push((extra.format, file));
    }
    let progress = options.progress.clone().map(ProgressLine::start);
    let outcome = engine::run(&options);
    if let Some(line) = progress {
        line.finish();
    }
    // The process ends after the report: freeing every file, tree and finding would only
    // delay the exit, on success and on a failed write alike.
    let outcome = std::mem::ManuallyDrop::new(outcome?);
    if let Some(b) = outcome
        .baseline
        .as_ref()
        .filter(|_| options.write_baseline.is_some())
    {
        eprintln!(
            "pake-lint: wrote {} finding{} to the baseline {}",
            b.written,
            if b.written == 1 { "" } else { "s" },
            b.file
        );
    }
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            file.is_none()
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let print_options = PrintOptions {
        color,
        quiet: args.quiet,
        sarif_category: args.sarif_category,
        base_dir: None,
    };
    let report_started = std::time::Instant::now();
    write_report(args.format, file, &outcome, &print_options)?;
    let plain = PrintOptions {
        color: false,
        ..print_options.clone()
    };
    for (format, file) in extras {
        write_report(format, file, &outcome, &plain)?;
    }
    if args.timings {
        let t = &outcome.timings;
        let report = report_started.elapsed();
        eprintln!(
            "timings: discover {:.3}s, read {:.3}s, parse {:.3}s, index {:.3}s, rules {:.3}s, suppress {:.3}s, report {:.3}s, total {:.3}s ({} documents, {:.0} documents/s)",
            t.discover.as_secs_f64(),
            t.read.as_secs_f64(),
            t.parse.as_secs_f64(),
            t.index.as_secs_f64(),
            t.rules.as_secs_f64(),
            t.suppress.as_secs_f64(),
            report.as_secs_f64(),
            (outcome.elapsed + report).as_secs_f64(),
            outcome.stats.documents,
            outcome.stats.documents as f64 / (outcome.elapsed + report).as_secs_f64().max(1e-9),
        );
        // Time in each rule summed over threads, so the slowest ones stand out.
        let slowest: Vec<String> = t
            .by_rule
            .iter()
            .take(10)
            .filter(|(_, d)| !d.is_zero())
            .map(|(id, d)| format!("{id} {:.3}s", d.as_secs_f64()))
            .collect();
        if !slowest.is_empty() {
            eprintln!(
                "timings: slowest rules (summed over threads): {}",
                slowest.join(", ")
            );
        }
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| outcome.diagnostics.iter().any(|d| d.severity >= t));
    Ok(u8::from(failed))
}

/// A progress line on a terminal, only for runs that last more than a second, never in CI
/// (`CI` set) or when standard error is not a terminal (piped, redirected to a log).
fn show_progress() -> bool {
    io::stderr().is_terminal() && std::env::var_os("CI").is_none_or(|v| v.is_empty())
}

struct ProgressLine {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl ProgressLine {
    fn start(progress: std::sync::Arc<pake_lint::progress::Progress>) -> Self {
        use std::sync::atomic::Ordering;
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = done.clone();
        let thread = std::thread::spawn(move || {
            let started = std::time::Instant::now();
            let mut shown = false;
            while !flag.load(Ordering::Relaxed) {
                std::thread::park_timeout(std::time::Duration::from_millis(100));
                if flag.load(Ordering::Relaxed) {
                    break;
                }
                if started.elapsed() >= std::time::Duration::from_secs(1) {
                    let _ = write!(io::stderr(), "\r\x1b[2Kpake-lint: {}", progress.line());
                    shown = true;
                }
            }
            if shown {
                // Leave the terminal as it was: the report follows on a clean line.
                let _ = write!(io::stderr(), "\r\x1b[2K");
            }
        });
        ProgressLine { done, thread }
    }

    fn finish(self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.thread().unpark();
        let _ = self.thread.join();
    }
}

/// Prints one report to `file`, or to standard output when `None`.
fn write_report(
    format: Format,
    file: Option<std::fs::File>,
    outcome: &engine::Outcome,
    options: &PrintOptions,
) -> Result<(), Error> {
    match file {
        Some(f) => {
            let mut w = io::BufWriter::new(f);
            report::print(format, outcome, options, &mut w)?;
            w.flush()?;
        }
        None => {
            let stdout = io::stdout();
            let mut w = io::BufWriter::new(stdout.lock());
            report::print(format, outcome, options, &mut w)?;
            w.flush()?;
        }
    }
    Ok(())
}

fn list_rules(format: ListFormat) -> Result<(), Error> {
    let metas = rules::all_meta();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match format {
        ListFormat::Json => {
            let list: Vec<_> = metas
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "id": m.id,
                        "category": m.category,
                        "severity": m.severity,
                        "enabled_by_default": m.default_enabled,
                        "kinds": m.kinds,
                        "summary": m.summary,
                        "profiles": config::profiles::profiles_enabling(m),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        ListFormat::Human => {
            let width = metas.iter().map(|m| m.id.len()).max().unwrap_or(0);
            let profiles: Vec<String> = metas
                .iter()
                .map(|m| config::profiles::profiles_enabling(m).join(","))
                .collect();
            let pwidth = profiles.iter().map(String::len).max().unwrap_or(0).max(8);
            writeln!(
                out,
                "{:width$}  {:11}  {:8}  {:7}  {:pwidth$}  SUMMARY",
                "RULE", "CATEGORY", "SEVERITY", "DEFAULT", "PROFILES"
            )?;
            for (m, p) in metas.iter().zip(&profiles) {
                writeln!(
                    out,
                    "{:width$}  {:11}  {:8}  {:7}  {:pwidth$}  {}",
                    m.id,
                    m.category.as_str(),
                    m.severity.as_str(),
                    if m.default_enabled { "on" } else { "off" },
                    p,
                    m.summary
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

fn checklist(args: ChecklistArgs) -> Result<u8, Error> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.explain {
        pake_lint::checklist::print_explain(&mut out)?;
        out.flush()?;
        return Ok(0);
    }
    let loaded = load_config(args.config.as_deref(), args.no_config)?;
    let namespace = args
        .namespace
        .or_else(|| loaded.as_ref().and_then(|c| c.options.namespace.clone()))
        .unwrap_or_else(|| "default".to_string());
    let options = Options {
        paths: args.paths,
        exclude: args.exclude,
        namespace,
        select: pake_lint::checklist::rules()
            .into_iter()
            .map(str::to_string)
            .collect(),
        // The checklist is judged with the production profile's thresholds, unless the
        // configuration names a profile of its own.
        profile: loaded
            .as_ref()
            .is_none_or(|c| c.options.profile.is_none())
            .then(|| "production".to_string()),
        config: loaded,
        ..Options::default()
    };
    let ran: Vec<&str> = config::Settings::resolve(&options)?
        .rules
        .rules
        .iter()
        .map(|(m, _)| m.id)
        .collect();
    let outcome = engine::run(&options)?;
    let result = pake_lint::checklist::evaluate(&outcome, &ran);
    match args.format {
        ChecklistFormat::Human => pake_lint::checklist::print_human(&result, &mut out)?,
        ChecklistFormat::Markdown => pake_lint::checklist::print_markdown(&result, &mut out)?,
        ChecklistFormat::Json => pake_lint::checklist::print_json(&result, &mut out)?,
    }
    out.flush()?;
    Ok(u8::from(result.summary.failed > 0))
}

fn explain(id: &str) -> Result<u8, Error> {
    let Some(meta) = rules::find_meta(id) else {
        return Err(Error::Usage(format!(
            "unknown rule `{id}`; `pake-lint rules` lists them"
        )));
    };
    let mut out = io::stdout().lock();
    write!(
        out,
        "{}",
        pake_lint::docs::rule_page(meta)
            .split_once('\n')
            .map_or("", |(_, rest)| rest)
    )?;
    Ok(0)
}
