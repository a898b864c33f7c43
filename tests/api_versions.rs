//! The API lifecycle rules judged against different target releases: the fixture harness runs
//! at the default release, these tests set `--kubernetes-version` through the engine options.

use pake_lint::engine::{self, Options};
use pake_lint::model::api_versions::KubeVersion;

fn findings(path: &str, version: &str) -> Vec<(String, String)> {
    let options = Options {
        paths: vec![path.to_string()],
        select: vec![
            "api-version-removed".to_string(),
            "api-version-deprecated".to_string(),
        ],
        kubernetes_version: Some(version.parse::<KubeVersion>().unwrap()),
        ..Options::default()
    };
    let outcome = engine::run(&options).expect("the run succeeds");
    outcome
        .diagnostics
        .iter()
        .map(|d| (d.rule.to_string(), d.message.to_string()))
        .collect()
}

const PDB: &str = "fixtures/api-version-removed/fail-removed-apis.yaml";

#[test]
fn pdb_v1beta1_is_removed_in_1_25() {
    let found = findings(PDB, "1.25");
    assert!(
        found
            .iter()
            .any(|(rule, message)| rule == "api-version-removed"
                && message.contains("`policy/v1beta1` PodDisruptionBudget")
                && message.contains("1.25"))
    );
}

#[test]
fn pdb_v1beta1_is_only_deprecated_in_1_24() {
    let found = findings(PDB, "1.24");
    let pdb: Vec<_> = found
        .iter()
        .filter(|(_, m)| m.contains("PodDisruptionBudget"))
        .collect();
    assert_eq!(pdb.len(), 1, "{found:?}");
    assert_eq!(pdb[0].0, "api-version-deprecated");
    // Removed long before 1.24: still reported as removed.
    assert!(found.iter().any(
        |(rule, m)| rule == "api-version-removed" && m.contains("`extensions/v1beta1` Ingress")
    ));
}

#[test]
fn pdb_v1beta1_is_fine_in_1_20() {
    let found = findings(PDB, "1.20");
    assert!(
        !found.iter().any(|(_, m)| m.contains("PodDisruptionBudget")),
        "{found:?}"
    );
}

#[test]
fn endpoints_are_fine_before_1_33() {
    let found = findings(
        "fixtures/api-version-deprecated/fail-deprecated-apis.yaml",
        "1.32",
    );
    assert!(
        !found.iter().any(|(_, m)| m.contains("Endpoints")),
        "{found:?}"
    );
}

#[test]
fn removed_api_versions_are_reported_by_api_version_removed_alone() {
    let options = Options {
        paths: vec![PDB.to_string()],
        select: vec![
            "api-version-removed".to_string(),
            "schema-invalid".to_string(),
            "schema-unknown-field".to_string(),
        ],
        ..Options::default()
    };
    let outcome = engine::run(&options).expect("the run succeeds");
    assert!(!outcome.diagnostics.is_empty());
    assert!(
        outcome
            .diagnostics
            .iter()
            .all(|d| d.rule == "api-version-removed"),
        "{:?}",
        outcome
            .diagnostics
            .iter()
            .map(|d| (d.rule, &d.message))
            .collect::<Vec<_>>()
    );
}
