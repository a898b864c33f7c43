//! The fixture harness. `fixtures/<rule-id>/fail-*.yaml` (or `fail-*/` folders, linted as one
//! run) mark every expected finding with a trailing `# expect: <rule-id>` on the line where its
//! primary span starts; `pass-*` fixtures must report nothing at all. Each fixture is linted with
//! its rule selected (so opt-in rules run too), and the human and JSON output of every fail
//! fixture is snapshot-tested. A fixture folder may hold a `pake-lint.yaml` for a configured
//! variant (see `common::run_case`).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{human_of, json_of, run_case};

/// Folders of `fixtures/` that are not rule fixtures.
const NOT_RULES: &[&str] = &["pake", "loader", "bench", "config"];

fn rule_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("fixtures")
        .expect("fixtures/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && !NOT_RULES.contains(&p.file_name().unwrap().to_str().unwrap()))
        .collect();
    dirs.sort();
    dirs
}

/// The fixtures of one rule folder: files or folders named `pass-*` or `fail-*`.
fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.starts_with("pass-") || name.starts_with("fail-")
        })
        .collect();
    cases.sort();
    cases
}

fn files_of(case: &Path) -> Vec<PathBuf> {
    if case.is_dir() {
        let mut files: Vec<PathBuf> = walk(case);
        files.sort();
        files
    } else {
        vec![case.to_path_buf()]
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn decode(bytes: &[u8]) -> String {
    let utf16 = |be: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if be {
                    u16::from_be_bytes([c[0], c[1]])
                } else {
                    u16::from_le_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(false),
        [0xFE, 0xFF, ..] => utf16(true),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// (file, line, rule) for every `# expect: rule[, rule]` marker.
fn expected(case: &Path) -> BTreeSet<(String, usize, String)> {
    let mut set = BTreeSet::new();
    for file in files_of(case) {
        let bytes = std::fs::read(&file).unwrap();
        // Lossy, so a fixture with a NUL byte or invalid UTF-8 can carry its marker on the same
        // line; a UTF-16 fixture (with its byte order mark) is decoded as such.
        let text = decode(&bytes);
        for (i, line) in text.split('\n').enumerate() {
            if let Some((_, rules)) = line.split_once("# expect:") {
                for rule in rules.split(',') {
                    set.insert((
                        file.to_string_lossy().into_owned(),
                        i + 1,
                        rule.trim().to_string(),
                    ));
                }
            }
        }
    }
    set
}

#[test]
fn every_fixture_reports_exactly_what_it_expects() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for dir in rule_dirs() {
        let rule = dir.file_name().unwrap().to_str().unwrap().to_string();
        for case in cases(&dir) {
            checked += 1;
            let path = case.to_string_lossy().into_owned();
            let json = json_of(&run_case(&path, &[rule.as_str()]));
            let actual: BTreeSet<(String, usize, String)> = json["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    (
                        d["file"].as_str().unwrap().to_string(),
                        d["line"].as_u64().unwrap() as usize,
                        d["rule"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            let want = expected(&case);
            let is_fail = case
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("fail-");
            if is_fail && want.is_empty() {
                failures.push(format!(
                    "{path}: a fail fixture must mark at least one `# expect:`"
                ));
            }
            if !is_fail && !want.is_empty() {
                failures.push(format!("{path}: a pass fixture must not expect findings"));
            }
            if actual != want {
                let missing: Vec<_> = want.difference(&actual).collect();
                let extra: Vec<_> = actual.difference(&want).collect();
                failures.push(format!(
                    "{path}:\n  missing: {missing:?}\n  unexpected: {extra:?}"
                ));
            }
        }
    }
    assert!(checked > 0, "no fixtures found");
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn fail_fixture_snapshots() {
    for dir in rule_dirs() {
        let rule = dir.file_name().unwrap().to_str().unwrap().to_string();
        for case in cases(&dir) {
            let name = case.file_name().unwrap().to_str().unwrap().to_string();
            if !name.starts_with("fail-") {
                continue;
            }
            let path = case.to_string_lossy().into_owned();
            let outcome = run_case(&path, &[rule.as_str()]);
            let (human, json) = (human_of(&outcome), json_of(&outcome));
            let snapshot = format!(
                "{rule}__{}",
                name.trim_end_matches(".yaml")
                    .trim_end_matches(".yml")
                    .trim_end_matches(".json")
            );
            insta::with_settings!({ snapshot_path => "snapshots/fixtures", prepend_module_to_snapshot => false, omit_expression => true }, {
                insta::assert_snapshot!(format!("{snapshot}__human"), human);
                insta::assert_json_snapshot!(format!("{snapshot}__json"), json);
            });
        }
    }
}
