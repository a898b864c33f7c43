//! The `pake-lint` command line. Exit codes: 0 no finding at or above `--fail-on`, 1 findings
//! at or above it, 2 the run itself failed.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// List the rules: id, category, default severity, enabled by default, summary.
    Rules {
        #[arg(short, long, value_enum, default_value = "human")]
        format: ListFormat,
    },
    /// Print a rule's documentation.
    Explain { rule: String },
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
    /// Namespace of objects that declare none.
    #[arg(long, value_name = "NS", default_value = "default")]
    namespace: String,
    /// The file name to show for input read from stdin.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// Colour the human output (honours NO_COLOR with `auto`).
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
    /// Print findings only, without the summary line.
    #[arg(short, long)]
    quiet: bool,
    /// Print the time each phase took (discover, read, parse, index, rules, report) to stderr.
    #[arg(long)]
    timings: bool,
    /// The Kubernetes release to judge API versions and schemas against (`MAJOR.MINOR`).
    #[arg(long, value_name = "VERSION", default_value_t = pake_lint::model::api_versions::KubeVersion::DEFAULT)]
    kubernetes_version: pake_lint::model::api_versions::KubeVersion,
    /// CustomResourceDefinitions (files or folders) to validate custom resources against, besides
    /// those in the input (repeatable).
    #[arg(long, value_name = "PATH")]
    crd: Vec<String>,
    /// Largest file read, in bytes; larger files are reported as `file-too-large`.
    #[arg(long, value_name = "BYTES", default_value_t = pake_lint::load::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Rules { format }) => list_rules(format).map(|()| 0),
        Some(Command::Explain { rule }) => explain(&rule),
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

fn lint(args: LintArgs) -> Result<u8, Error> {
    let options = Options {
        paths: args.paths,
        exclude: args.exclude,
        stdin_filename: args.stdin_filename,
        namespace: args.namespace,
        jobs: args.jobs,
        select: args.select,
        ignore: args.ignore,
        max_file_size: args.max_file_size,
        kubernetes_version: args.kubernetes_version,
        crd_paths: args.crd,
        ..Options::default()
    };
    // Open the output before linting, so an unwritable path fails fast.
    let mut file = match &args.output {
        Some(path) => Some(
            std::fs::File::create(path)
                .map_err(|e| Error::Usage(format!("cannot write {}: {e}", path.display())))?,
        ),
        None => None,
    };
    let outcome = engine::run(&options)?;
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
    };
    let report_started = std::time::Instant::now();
    match &mut file {
        Some(f) => {
            let mut w = io::BufWriter::new(f);
            report::print(args.format, &outcome, &print_options, &mut w)?;
            w.flush()?;
        }
        None => {
            let stdout = io::stdout();
            let mut w = io::BufWriter::new(stdout.lock());
            report::print(args.format, &outcome, &print_options, &mut w)?;
            w.flush()?;
        }
    }
    if args.timings {
        let t = &outcome.timings;
        let report = report_started.elapsed();
        eprintln!(
            "timings: discover {:.3}s, read {:.3}s, parse {:.3}s, index {:.3}s, rules {:.3}s, report {:.3}s, total {:.3}s ({} documents, {:.0} documents/s)",
            t.discover.as_secs_f64(),
            t.read.as_secs_f64(),
            t.parse.as_secs_f64(),
            t.index.as_secs_f64(),
            t.rules.as_secs_f64(),
            report.as_secs_f64(),
            (outcome.elapsed + report).as_secs_f64(),
            outcome.stats.documents,
            outcome.stats.documents as f64 / (outcome.elapsed + report).as_secs_f64().max(1e-9),
        );
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
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list).map_err(io::Error::other)?;
            writeln!(out)?;
        }
        ListFormat::Human => {
            let width = metas.iter().map(|m| m.id.len()).max().unwrap_or(0);
            writeln!(
                out,
                "{:width$}  {:11}  {:8}  {:7}  SUMMARY",
                "RULE", "CATEGORY", "SEVERITY", "DEFAULT"
            )?;
            for m in metas {
                writeln!(
                    out,
                    "{:width$}  {:11}  {:8}  {:7}  {}",
                    m.id,
                    m.category.as_str(),
                    m.severity.as_str(),
                    if m.default_enabled { "on" } else { "off" },
                    m.summary
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
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
