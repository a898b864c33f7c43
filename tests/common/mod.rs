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

/// Builds rule `id` from `params` as the registry does and runs it over `yaml` (per object of
/// the kinds it declares, then once over the input); returns (1-based line, message) per
/// finding, in order. For the parameters the fixture harness's defaults cannot show.
pub fn check_with_params(id: &str, params: serde_json::Value, yaml: &str) -> Vec<(usize, String)> {
    use pake_lint::diagnostic::FileId;
    use pake_lint::load::{self, Limits, SourceFile};
    use pake_lint::model::Index;
    use pake_lint::model::index::IndexOptions;
    use pake_lint::rules::{Cx, registry};

    let entry = registry()
        .into_iter()
        .find(|e| e.meta.id == id)
        .expect("the rule is registered");
    let rule = (entry.build)(Some(&params)).expect("the parameters are accepted");
    let source = SourceFile::in_memory("test.yaml", yaml);
    let arena = load::Bump::new();
    let parsed = load::parse_file(FileId(0), &source, &arena, Limits::default());
    let index = Index::build(
        parsed.objects,
        &IndexOptions {
            default_namespace: "default".into(),
            ..IndexOptions::default()
        },
    );
    let mut cx = Cx::new(&index, entry.meta.id);
    for object in index.objects() {
        if entry
            .meta
            .kinds
            .iter()
            .any(|k| *k == "*" || *k == object.kind)
        {
            rule.check(object, &mut cx);
        }
    }
    rule.check_input(&mut cx);
    let mut out: Vec<(usize, String)> = cx
        .into_diagnostics()
        .into_iter()
        .map(|d| {
            (
                yaml[..d.span.start as usize].matches('\n').count() + 1,
                d.message.into(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Whether rule `id` refuses `params`.
pub fn params_refused(id: &str, params: serde_json::Value) -> bool {
    let entry = pake_lint::rules::registry()
        .into_iter()
        .find(|e| e.meta.id == id)
        .expect("the rule is registered");
    (entry.build)(Some(&params)).is_err()
}
