//! Helpers shared by the integration tests: lint in-process and render the output formats.
#![allow(dead_code)]

use pake_lint::engine::{self, Options, Outcome};
use pake_lint::report::{self, Format, PrintOptions};

/// Lints `paths` with `select` (empty: the defaults) and returns the outcome and its JSON.
pub fn lint(paths: &[&str], select: &[&str]) -> (Outcome, serde_json::Value) {
    let outcome = run(paths, select);
    let json = json_of(&outcome);
    (outcome, json)
}

pub fn run(paths: &[&str], select: &[&str]) -> Outcome {
    let options = Options {
        paths: paths.iter().map(|s| s.to_string()).collect(),
        select: select.iter().map(|s| s.to_string()).collect(),
        ..Options::default()
    };
    engine::run(&options).expect("the run succeeds")
}

pub fn json_of(outcome: &Outcome) -> serde_json::Value {
    let mut buf = Vec::new();
    report::print(
        Format::Json,
        outcome,
        &PrintOptions {
            color: false,
            quiet: false,
            ..PrintOptions::default()
        },
        &mut buf,
    )
    .unwrap();
    serde_json::from_slice(&buf).unwrap()
}

pub fn human_of(outcome: &Outcome) -> String {
    let mut buf = Vec::new();
    report::print(
        Format::Human,
        outcome,
        &PrintOptions {
            color: false,
            quiet: true,
            ..PrintOptions::default()
        },
        &mut buf,
    )
    .unwrap();
    String::from_utf8(buf).unwrap()
}

/// Lints one fixture (a file, or a folder linted as one run). A folder may hold a
/// `pake-lint.yaml`: the fixture is then linted with that configuration, as
/// `--config <folder>/pake-lint.yaml` would. Fixtures of `suppression-unused` run with
/// `--report-unused-suppressions`, the only way that rule reports.
pub fn run_case(case: &str, select: &[&str]) -> Outcome {
    let config = std::path::Path::new(case).join("pake-lint.yaml");
    let config = config.is_file().then(|| {
        std::sync::Arc::new(
            pake_lint::config::load(&config, &config.to_string_lossy())
                .expect("the fixture's configuration is valid"),
        )
    });
    let options = Options {
        paths: vec![case.to_string()],
        select: select.iter().map(|s| s.to_string()).collect(),
        report_unused_suppressions: select.contains(&"suppression-unused"),
        config,
        ..Options::default()
    };
    engine::run(&options).expect("the run succeeds")
}

/// The human output (findings only, no timing) and the JSON output of a run.
pub fn render(paths: &[&str], select: &[&str]) -> (String, serde_json::Value) {
    let outcome = run(paths, select);
    (human_of(&outcome), json_of(&outcome))
}
