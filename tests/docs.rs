//! `rules/` is generated from the rules' doc comments: this test fails when a committed page
//! differs from what the code generates. Regenerate with
//! `PAKE_LINT_UPDATE_DOCS=1 cargo test --test docs`.

use std::path::Path;

use pake_lint::docs::{index_page, rule_page};
use pake_lint::rules::all_meta;

#[test]
fn rule_pages_match_the_code() {
    let update = std::env::var_os("PAKE_LINT_UPDATE_DOCS").is_some();
    let dir = Path::new("rules");
    let metas = all_meta();
    let mut expected: Vec<(String, String)> = metas
        .iter()
        .map(|m| (format!("{}.md", m.id), rule_page(m)))
        .collect();
    expected.push(("README.md".to_string(), index_page(&metas)));
    let mut stale = Vec::new();
    if update {
        std::fs::create_dir_all(dir).unwrap();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    for (name, content) in &expected {
        let path = dir.join(name);
        if update {
            std::fs::write(&path, content).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            stale.push(name.clone());
        }
    }
    let extra: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !expected.iter().any(|(name, _)| name == n))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "rules/ is out of date (stale: {stale:?}, not generated: {extra:?}); run `PAKE_LINT_UPDATE_DOCS=1 cargo test --test docs`"
    );
}
