//! The alert coverage rules on the PAKE example tree, whose monitoring.yaml carries the seed's
//! ten production alerts as a PrometheusRule.

mod common;

use common::lint;

const COVERAGE: &[&str] = &[
    "alert-catalog-incomplete",
    "workload-alert-missing",
    "hpa-alert-missing",
    "pvc-alert-missing",
    "service-monitor-selects-nothing",
    "workload-monitor-missing",
    "alert-expr-invalid",
    "alert-for-missing",
    "alert-severity-missing",
    "alert-annotations-missing",
    "alert-name-duplicate",
];

fn findings(path: &str) -> Vec<(String, String, String)> {
    let (_, json) = lint(&[path], COVERAGE);
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Every alert class of the seed is present, every expression parses, every monitor scrapes
/// something, every workload, HPA and claim is watched (`PakeBackendDown`, "Service
/// unavailable" in the seed, watches both PAKE services' jobs).
#[test]
fn pake_tree_is_covered() {
    for path in ["fixtures/pake/k8s", "fixtures/pake/rendered"] {
        let found = findings(path);
        assert!(found.is_empty(), "{path}: {found:#?}");
    }
}
