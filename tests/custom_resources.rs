//! `custom-resource-invalid` with CRDs given by `--crd` (the fixture harness has no per-fixture
//! options).

use pake_lint::engine::{self, Options};

fn run(input: &str, crds: &[&str]) -> Vec<(String, usize, String)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gadget.yaml");
    std::fs::write(&path, input).unwrap();
    let options = Options {
        paths: vec![path.to_string_lossy().into_owned()],
        select: vec![
            "custom-resource-invalid".to_string(),
            "custom-resource-unknown".to_string(),
        ],
        crd_paths: crds.iter().map(|s| s.to_string()).collect(),
        ..Options::default()
    };
    let outcome = engine::run(&options).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    outcome
        .diagnostics
        .iter()
        .map(|d| {
            let line = text[..d.span.start as usize].matches('\n').count() + 1;
            (d.rule.to_string(), line, d.message.to_string())
        })
        .collect()
}

const GADGET: &str = "apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n  replicas: 0\n  replica: 2\n";

#[test]
fn a_crd_given_with_the_flag_validates_custom_resources() {
    let found = run(GADGET, &["fixtures/custom-resource-invalid/crds"]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .any(|(rule, line, m)| rule == "custom-resource-invalid"
                && *line == 6
                && m.contains("spec.replicas"))
    );
    assert!(
        found
            .iter()
            .any(|(rule, line, m)| rule == "custom-resource-invalid"
                && *line == 7
                && m.contains("unknown field `replica`"))
    );
}

#[test]
fn without_the_crd_the_resource_is_unknown() {
    let found = run(GADGET, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "custom-resource-unknown");
}

#[test]
fn a_missing_crd_path_fails_the_run() {
    let options = Options {
        paths: vec!["fixtures/custom-resource-invalid/crds".to_string()],
        crd_paths: vec!["does/not/exist".to_string()],
        ..Options::default()
    };
    assert!(engine::run(&options).is_err());
}
