//! The example tree: the PAKE System's kustomize source tree (what `pake-lint k8s/` sees on the
//! seed's layout) and its rendered production overlay. Their findings are the README's
//! walkthrough; any change to them must be deliberate.

mod common;

use common::render;

fn snapshot(name: &str, path: &str) {
    let (human, json) = render(&[path], &[]);
    insta::with_settings!({ snapshot_path => "snapshots/example", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(format!("{name}__human"), human);
        insta::assert_json_snapshot!(format!("{name}__json"), json);
    });
}

#[test]
fn source_tree() {
    snapshot("pake-k8s", "fixtures/pake/k8s");
}

#[test]
fn rendered_production_overlay() {
    snapshot("pake-rendered", "fixtures/pake/rendered/production.yaml");
}

#[test]
fn patches_and_kustomizations_are_skipped_not_linted() {
    let (_, json) = common::lint(&["fixtures/pake/k8s"], &[]);
    let summary = &json["summary"];
    // Two kustomization.yaml files and the production overlay's patch documents.
    assert!(
        summary["skipped_documents"].as_u64().unwrap() >= 3,
        "{summary}"
    );
    assert!(
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| !d["file"]
                .as_str()
                .unwrap()
                .ends_with("production-resources.yaml")),
        "the patch file must not be linted"
    );
}
