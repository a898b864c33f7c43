//! The machine-readable formats that integrations read: SARIF (validated against the official
//! schema when `../shared/schemas/sarif-2.1.0.json` is there), GitHub workflow commands, JUnit
//! and GitLab Code Quality, each snapshot-tested; and several outputs in one run.

mod common;

use std::path::Path;

use pake_lint::engine::{self, Options, Outcome};
use pake_lint::report::{self, Format, PrintOptions};

const PRIVILEGED: &str = "fixtures/container-privileged/fail-privileged.yaml";
const DUPLICATE: &str = "tests/data/integrations/duplicate-key.yaml";
const SCHEMA: &str = "../shared/schemas/sarif-2.1.0.json";

fn run(paths: &[&str], select: &[&str]) -> Outcome {
    engine::run(&Options {
        paths: paths.iter().map(|s| s.to_string()).collect(),
        select: select.iter().map(|s| s.to_string()).collect(),
        record_checks: true,
        ..Options::default()
    })
    .expect("the run succeeds")
}

fn render(format: Format, outcome: &Outcome, category: Option<&str>) -> String {
    let mut buf = Vec::new();
    let options = PrintOptions {
        quiet: true,
        sarif_category: category.map(str::to_string),
        base_dir: Some(std::env::current_dir().unwrap()),
        ..PrintOptions::default()
    };
    report::print(format, outcome, &options, &mut buf).unwrap();
    String::from_utf8(buf).unwrap()
}

fn sarif(paths: &[&str], select: &[&str]) -> (Outcome, serde_json::Value) {
    let outcome = run(paths, select);
    let text = render(Format::Sarif, &outcome, Some("pake-lint/k8s"));
    (outcome, serde_json::from_str(&text).unwrap())
}

/// Validates against the official schema, or says the check was skipped.
fn validate(sarif: &serde_json::Value, what: &str) {
    let Ok(text) = std::fs::read_to_string(SCHEMA) else {
        eprintln!("skipped: SARIF schema validation of {what}: {SCHEMA} is absent");
        return;
    };
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: invalid SARIF:\n{}",
        errors.join("\n")
    );
    // The validator is not vacuous: a level SARIF does not know is refused.
    let mut broken = sarif.clone();
    broken["runs"][0]["columnKind"] = "bytes".into();
    assert!(
        !validator.is_valid(&broken),
        "the schema check rejects bad SARIF"
    );
}

/// Every result's region starts on the finding's line, and related locations are linked.
fn check_regions(outcome: &Outcome, sarif: &serde_json::Value) {
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), outcome.diagnostics.len());
    let json = common::json_of(outcome);
    for (result, d) in results.iter().zip(json["diagnostics"].as_array().unwrap()) {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], d["line"], "{result}");
        assert_eq!(region["startColumn"], d["column"], "{result}");
        assert_eq!(result["ruleId"], d["rule"]);
        let rule_index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            sarif["runs"][0]["tool"]["driver"]["rules"][rule_index]["id"],
            d["rule"]
        );
        let text = result["message"]["text"].as_str().unwrap();
        for related in result["relatedLocations"].as_array().into_iter().flatten() {
            let id = related["id"].as_u64().unwrap();
            assert!(text.contains(&format!("]({id})")), "{text}");
        }
        assert!(
            result["partialFingerprints"]["pakeLint/v1"]
                .as_str()
                .is_some_and(|f| f.len() >= 32)
        );
    }
}

#[test]
fn sarif_of_the_example_tree_is_valid() {
    for select in [&[][..], &["all"][..]] {
        let (outcome, sarif) = sarif(&["fixtures/pake/k8s"], select);
        validate(&sarif, "fixtures/pake/k8s");
        check_regions(&outcome, &sarif);
        let run = &sarif["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        assert_eq!(run["automationDetails"]["id"], "pake-lint/k8s");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), pake_lint::rules::all_meta().len());
    }
}

#[test]
fn sarif_of_findings_is_valid_and_stable() {
    let (outcome, sarif) = sarif(&[PRIVILEGED, DUPLICATE], &["container-privileged"]);
    validate(&sarif, PRIVILEGED);
    check_regions(&outcome, &sarif);
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 4);
    let descriptor = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "container-privileged")
        .unwrap()
        .clone();
    assert_eq!(descriptor["properties"]["security-severity"], "8.0");
    assert_eq!(descriptor["name"], "ContainerPrivileged");
    let mut snapshot = run.clone();
    snapshot["tool"]["driver"]["rules"] = serde_json::json!([descriptor]);
    snapshot["tool"]["driver"]["version"] = "[version]".into();
    snapshot["tool"]["driver"]["semanticVersion"] = "[version]".into();
    snapshot["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///[cwd]/".into();
    for result in snapshot["results"].as_array_mut().unwrap() {
        result["ruleIndex"] = "[index]".into();
    }
    insta::assert_json_snapshot!("sarif", snapshot);
}

#[test]
fn fingerprints_survive_edits_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(PRIVILEGED).unwrap();
    let a = dir.path().join("a.yaml");
    std::fs::write(&a, &original).unwrap();
    let before = sarif(&[a.to_str().unwrap()], &["container-privileged"]).1;
    std::fs::write(&a, format!("# a new comment\n# and another\n{original}")).unwrap();
    let after = sarif(&[a.to_str().unwrap()], &["container-privileged"]).1;
    let prints = |s: &serde_json::Value| -> Vec<(serde_json::Value, serde_json::Value)> {
        s["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"].clone(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
                )
            })
            .collect()
    };
    let (b, a) = (prints(&before), prints(&after));
    assert_eq!(b.len(), a.len());
    for (b, a) in b.iter().zip(&a) {
        assert_eq!(b.0, a.0, "fingerprint changed");
        assert_ne!(b.1, a.1, "the lines did move");
    }
    let unique: std::collections::BTreeSet<String> = b.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(unique.len(), b.len(), "fingerprints are distinct");
}

#[test]
fn github_annotations() {
    let outcome = run(&[PRIVILEGED, DUPLICATE], &["container-privileged"]);
    let text = render(Format::Github, &outcome, None);
    for line in text.lines() {
        assert!(line.starts_with("::error file="), "{line}");
        assert!(!line.contains('\r'));
    }
    insta::assert_snapshot!("github", text);
}

#[test]
fn junit_lists_passing_and_failing_checks() {
    let outcome = run(
        &[PRIVILEGED, DUPLICATE, "fixtures/pake/k8s/base/backend.yaml"],
        &["container-privileged"],
    );
    let text = render(Format::Junit, &outcome, None);
    assert!(
        text.contains(
            r#"<testcase name="Deployment pake-system/pake-backend: container-privileged""#
        )
    );
    assert!(text.contains("<failure "));
    insta::assert_snapshot!("junit", text);
}

#[test]
fn gitlab_code_quality() {
    let outcome = run(&[PRIVILEGED, DUPLICATE], &["container-privileged"]);
    let text = render(Format::Gitlab, &outcome, None);
    let issues: serde_json::Value = serde_json::from_str(&text).unwrap();
    for issue in issues.as_array().unwrap() {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].is_string(), "{key} in {issue}");
        }
        assert!(issue["location"]["path"].is_string());
        assert!(issue["location"]["lines"]["begin"].is_u64());
    }
    insta::assert_json_snapshot!("gitlab", issues);
}

#[test]
fn several_outputs_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif_path = dir.path().join("out.sarif");
    let json_path = dir.path().join("out.json");
    let output = assert_cmd::Command::cargo_bin("pake-lint")
        .unwrap()
        .args([PRIVILEGED, "-f", "github", "--sarif-category", "cat"])
        .args(["--select", "container-privileged"])
        .arg("--output-format")
        .arg(format!("sarif:{}", sarif_path.display()))
        .arg("--output-format")
        .arg(format!("json:{}", json_path.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    // No progress line when standard error is not a terminal.
    assert!(
        output.stderr.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("::error ")).count(),
        3
    );
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&sarif_path).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 3);
    assert_eq!(sarif["runs"][0]["automationDetails"]["id"], "cat");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    assert_eq!(json["summary"]["findings"]["error"], 3);

    // A bad FORMAT:PATH is a usage error.
    let bad = assert_cmd::Command::cargo_bin("pake-lint")
        .unwrap()
        .args([PRIVILEGED, "--output-format", "xml:out.xml"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown format `xml`"));
}

#[test]
fn schema_path_is_relative_to_the_crate() {
    // The schema lives beside the repository (`../shared/`); say so when it is missing.
    if !Path::new(SCHEMA).exists() {
        eprintln!("skipped: {SCHEMA} is absent; SARIF output is not schema-validated");
    }
}

#[test]
fn changed_reports_only_on_the_files_given_but_lints_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let privileged = std::fs::read_to_string(PRIVILEGED).unwrap();
    std::fs::create_dir_all(dir.path().join("k8s")).unwrap();
    std::fs::write(dir.path().join("k8s/bad.yaml"), &privileged).unwrap();
    std::fs::write(
        dir.path().join("k8s/good.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n",
    )
    .unwrap();
    let lint = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("pake-lint")
            .unwrap()
            .current_dir(dir.path())
            .args(args)
            .args([
                "-f",
                "json",
                "--select",
                "container-privileged,hpa-target-missing",
            ])
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), json)
    };
    // An HPA and its Deployment in two files: a commit that touches only the HPA.
    std::fs::write(
        dir.path().join("k8s/deployment.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("k8s/hpa.yaml"),
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 2\n  maxReplicas: 4\n",
    )
    .unwrap();
    // Linting only the changed file would claim the HPA's target is missing...
    let (code, json) = lint(&["k8s/hpa.yaml"]);
    assert_eq!(code, Some(1));
    assert_eq!(json["diagnostics"][0]["rule"], "hpa-target-missing");
    // ... while `--changed` indexes the whole tree.
    let (code, json) = lint(&["--changed", "k8s/hpa.yaml"]);
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 0);
    let (code, json) = lint(&["--changed", "k8s/good.yaml"]);
    assert_eq!(code, Some(0));
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 0);
    // The whole tree was read, not only the changed file.
    assert_eq!(json["summary"]["files"], 4);
    let (code, json) = lint(&["--changed", "k8s/bad.yaml", "k8s/good.yaml"]);
    assert_eq!(code, Some(1));
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 3);
    let (code, json) = lint(&["--changed", "--tree", "k8s", "./k8s/bad.yaml"]);
    assert_eq!(code, Some(1));
    assert_eq!(json["diagnostics"][0]["file"], "k8s/bad.yaml");
    let tree = dir.path().join("k8s").to_string_lossy().into_owned();
    let (code, json) = lint(&["--changed", "--tree", &tree, "k8s/bad.yaml"]);
    assert_eq!(code, Some(1));
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 3);
    // No file changed: nothing to report.
    let (code, _) = lint(&["--changed"]);
    assert_eq!(code, Some(0));
}

/// A finding with more related locations than it keeps says how many were left out, in every
/// format that shows related locations, and its SARIF stays valid.
#[test]
fn omitted_related_locations_are_counted_in_every_format() {
    const MANY: &str = "fixtures/pdb-overlap/fail-many-budgets.yaml";
    let (outcome, sarif) = sarif(&[MANY], &["pdb-overlap"]);
    validate(&sarif, MANY);
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["relatedLocations"].as_array().unwrap().len(), 10);
    let text = result["message"]["text"].as_str().unwrap();
    assert!(
        text.contains("](10); 2 more related locations not shown)"),
        "{text}"
    );
    for format in [Format::Github, Format::Junit, Format::Human] {
        let text = render(format, &outcome, None);
        assert!(
            text.contains("2 more related locations not shown"),
            "{format:?}: {text}"
        );
    }
}
