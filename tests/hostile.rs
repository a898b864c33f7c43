//! Hostile and huge input: each case ends in bounded time with a diagnostic or a clean skip,
//! and the rest of the input is still linted. Also: no network is ever needed.

use std::process::Command;
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pake-lint"))
}

fn json_of(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)))
}

const GOOD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n";

#[test]
fn a_million_tiny_documents_in_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.yaml");
    let mut text = String::with_capacity(8_000_000);
    for _ in 0..1_000_000 {
        text.push_str("---\na: 1\n");
    }
    std::fs::write(&path, text).unwrap();
    std::fs::write(dir.path().join("good.yaml"), GOOD).unwrap();
    let started = Instant::now();
    let out = bin().arg(dir.path()).args(["-f", "json"]).output().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "took {:?}",
        started.elapsed()
    );
    let json = json_of(&out);
    assert_eq!(json["summary"]["documents"], 1_000_001);
    assert_eq!(json["summary"]["skipped_documents"], 1_000_000);
    assert_eq!(json["summary"]["objects"], 1);
}

#[test]
fn a_ten_megabyte_single_line() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: long\ndata:\n  blob: \"{}\"\n",
        "x".repeat(10 * 1024 * 1024)
    );
    std::fs::write(dir.path().join("long.yaml"), long).unwrap();
    let mut flow = String::from("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [");
    for i in 0..100_000 {
        flow.push_str(&format!("{{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {{\"name\": \"c{i}\"}}}},"));
    }
    flow.push_str(
        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"last\"}}]}",
    );
    std::fs::write(dir.path().join("one-line.json"), flow).unwrap();
    let started = Instant::now();
    let out = bin()
        .arg(dir.path())
        .args(["-f", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(started.elapsed() < Duration::from_secs(120));
    let json = json_of(&out);
    assert_eq!(json["summary"]["objects"], 100_002);
}

#[test]
fn nul_bytes_and_invalid_utf8_do_not_hide_other_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a-nul.yaml"),
        b"apiVersion: v1\x00\nkind: Pod\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b-latin1.yaml"),
        b"metadata:\n  name: caf\xe9\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("c-good.yaml"), GOOD).unwrap();
    let out = bin().arg(dir.path()).args(["-f", "json"]).output().unwrap();
    let json = json_of(&out);
    let rules: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["file-binary", "file-not-utf8"]);
    assert_eq!(json["summary"]["objects"], 1);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_dangling_symlink_named_on_the_command_line() {
    // A path that disappears between discovery and reading looks the same to the reader.
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("gone.yaml");
    std::os::unix::fs::symlink(dir.path().join("removed.yaml"), &link).unwrap();
    let good = dir.path().join("good.yaml");
    std::fs::write(&good, GOOD).unwrap();
    let out = bin()
        .args([link.to_str().unwrap(), good.to_str().unwrap(), "-f", "json"])
        .output()
        .unwrap();
    let json = json_of(&out);
    assert_eq!(json["diagnostics"][0]["rule"], "file-unreadable");
    assert_eq!(json["summary"]["objects"], 1);
}

#[test]
fn the_same_output_without_a_network() {
    if !Command::new("unshare")
        .args(["-n", "true"])
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: `unshare -n` is not permitted here");
        return;
    }
    let args = ["fixtures/pake/k8s", "-f", "json", "--fail-on", "never"];
    let online = bin().args(args).output().unwrap();
    let offline = Command::new("unshare")
        .arg("-n")
        .arg(env!("CARGO_BIN_EXE_pake-lint"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        offline.status.success(),
        "{}",
        String::from_utf8_lossy(&offline.stderr)
    );
    assert_eq!(
        json_of(&online)["diagnostics"],
        json_of(&offline)["diagnostics"]
    );
}

/// Every budget covers every workload: the relations are as many as budgets times workloads,
/// but a finding must not grow with them, or the findings and the report would grow with the
/// square of the input (before related locations were bounded, 500 budgets over 5,000
/// Deployments made 2.5 million related locations and a 640 MB report out of 1.4 MB of YAML).
#[test]
fn every_budget_over_every_workload_keeps_each_finding_bounded() {
    const WORKLOADS: usize = 300;
    const BUDGETS: usize = 60;
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..WORKLOADS {
        text.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app{i}, namespace: ns}}\n\
             spec:\n  selector: {{matchLabels: {{app: app{i}}}}}\n  template:\n    metadata: \
             {{labels: {{app: app{i}, tier: web}}}}\n    spec:\n      containers: [{{name: c, image: \"x:1\"}}]\n"
        ));
    }
    for i in 0..BUDGETS {
        text.push_str(&format!(
            "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {{name: pdb{i}, namespace: ns}}\n\
             spec:\n  minAvailable: 1\n  selector: {{matchLabels: {{tier: web}}}}\n"
        ));
    }
    std::fs::write(dir.path().join("all.yaml"), text).unwrap();
    let out = bin()
        .arg(dir.path())
        .args(["-f", "json", "--select", "pdb-overlap", "--no-config"])
        .output()
        .unwrap();
    let json = json_of(&out);
    let findings = json["diagnostics"].as_array().unwrap();
    assert_eq!(findings.len(), WORKLOADS);
    for f in findings {
        assert_eq!(f["related"].as_array().unwrap().len(), 10, "{f}");
        assert_eq!(f["related_omitted"], BUDGETS - 10, "{f}");
        let message = f["message"].as_str().unwrap();
        assert!(message.ends_with("`pdb9` and 50 more"), "{message}");
    }
}
