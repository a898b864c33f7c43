//! `metadata-invalid` cases too large for a fixture file.

use pake_lint::engine::{self, Options};

#[test]
fn annotations_over_256_kib_are_reported_on_the_annotations_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.yaml");
    let big = "x".repeat(270 * 1024);
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  annotations:\n    notes: {big}\ndata: {{}}\n"
        ),
    )
    .unwrap();
    let options = Options {
        paths: vec![path.to_string_lossy().into_owned()],
        select: vec!["metadata-invalid".to_string()],
        ..Options::default()
    };
    let outcome = engine::run(&options).unwrap();
    let found: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.rule == "metadata-invalid")
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].message.contains("annotations total"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(&text[found[0].span.range()], "annotations");
}
