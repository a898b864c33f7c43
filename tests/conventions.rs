//! Lint the linter: rule ids, files, documentation sections and fixtures follow the project's
//! conventions, and each rule's documented example does what it says.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use pake_lint::diagnostic::Category;
use pake_lint::rules::{all_meta, docs_markdown};

/// Input problems that cannot be shown by a fixture file: they are covered in tests/loader.rs.
const NO_FIXTURES: &[&str] = &["file-too-large", "file-unreadable"];

const SECTIONS: [&str; 6] = [
    "## What it does",
    "## Why it matters",
    "## Example",
    "## Use instead",
    "## Parameters",
    "## Known limitations",
];

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[test]
fn ids_are_unique_kebab_case_and_named_after_their_file() {
    let mut seen = BTreeSet::new();
    for meta in all_meta() {
        assert!(is_kebab(meta.id), "`{}` is not kebab-case", meta.id);
        assert!(seen.insert(meta.id), "`{}` is registered twice", meta.id);
        assert!(
            !meta.id.starts_with("no-") && !meta.id.starts_with("check-"),
            "`{}`: name the problem",
            meta.id
        );
        let file = meta.id.replace('-', "_") + ".rs";
        let in_rules = Path::new("src/rules").join(&file);
        let in_input = Path::new("src/rules/input").join(&file);
        assert!(
            in_rules.exists() || in_input.exists(),
            "`{}` should live in src/rules/{file}",
            meta.id
        );
        assert!(
            !meta.summary.ends_with('.')
                && meta
                    .summary
                    .chars()
                    .next()
                    .is_some_and(|c| !c.is_uppercase()),
            "`{}`: summaries are lowercase without a trailing period",
            meta.id
        );
    }
}

#[test]
fn docs_have_every_section_in_order() {
    for meta in all_meta() {
        let docs = docs_markdown(meta);
        let mut at = 0;
        for section in SECTIONS {
            let found = docs[at..].find(section);
            assert!(
                found.is_some(),
                "`{}`: missing or misplaced `{section}`",
                meta.id
            );
            at += found.unwrap() + section.len();
        }
    }
}

#[test]
fn every_rule_has_pass_and_fail_fixtures() {
    let mut missing = Vec::new();
    for meta in all_meta() {
        if NO_FIXTURES.contains(&meta.id) {
            continue;
        }
        let dir = Path::new("fixtures").join(meta.id);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        for prefix in ["pass-", "fail-"] {
            if !names.iter().any(|n| n.starts_with(prefix)) {
                missing.push(format!("{}/{prefix}*", dir.display()));
            }
        }
    }
    assert!(missing.is_empty(), "missing fixtures: {missing:?}");
}

/// The YAML blocks under `## Example` and `## Use instead`.
fn yaml_block(docs: &str, section: &str) -> Option<String> {
    let start = docs.find(section)? + section.len();
    let rest = &docs[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    let body = &rest[..end];
    let open = body.find("```yaml\n")? + "```yaml\n".len();
    let close = body[open..].find("```")?;
    Some(body[open..open + close].to_string())
}

#[test]
fn documented_examples_trigger_and_fixes_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for meta in all_meta() {
        if meta.category == Category::Input {
            continue;
        }
        let docs = docs_markdown(meta);
        for (section, should_fire) in [("## Example", true), ("## Use instead", false)] {
            let Some(yaml) = yaml_block(&docs, section) else {
                problems.push(format!("`{}`: `{section}` has no ```yaml block", meta.id));
                continue;
            };
            let path = dir.path().join(format!("{}-{}.yaml", meta.id, should_fire));
            std::fs::write(&path, yaml).unwrap();
            let (_, json) = common::lint(&[path.to_str().unwrap()], &[meta.id]);
            let fired = json["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["rule"] == meta.id);
            let others: Vec<String> = json["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["rule"] != meta.id)
                .map(|d| d["rule"].as_str().unwrap().to_string())
                .collect();
            if fired != should_fire || !others.is_empty() {
                problems.push(format!(
                    "`{}`: `{section}` fired={fired}, other findings {others:?}",
                    meta.id
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
