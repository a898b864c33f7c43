//! The production-readiness checklist report of the example tree, in its three forms, and the
//! mapping behind it.

use assert_cmd::Command;

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("pake-lint")
        .unwrap()
        .arg("checklist")
        .arg("--no-config")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "snapshots/checklist", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn example_tree_in_three_forms() {
    for (format, name) in [
        ("human", "pake-k8s__human"),
        ("markdown", "pake-k8s__markdown"),
        ("json", "pake-k8s__json"),
    ] {
        let (code, out) = run(&["--format", format, "fixtures/pake/k8s"]);
        // Exit 1 exactly when an item failed.
        let failed = match format {
            "human" => !out.contains("0 failed"),
            "markdown" => out.contains(":x:"),
            _ => serde_json::from_str::<serde_json::Value>(&out).unwrap()["summary"]["failed"] != 0,
        };
        assert_eq!(code, i32::from(failed), "{out}");
        snapshot(name, &out);
    }
}

#[test]
fn explain_shows_the_mapping() {
    let (code, out) = run(&["--explain"]);
    assert_eq!(code, 0);
    snapshot("explain", &out);
}

#[test]
fn mapping_names_registered_rules_and_every_seed_item() {
    for item in pake_lint::checklist::ITEMS {
        assert!(pake_lint::checklist::SECTIONS.contains(&item.section));
        for id in item.rules {
            assert!(
                pake_lint::rules::find_meta(id).is_some(),
                "checklist item `{}` names unknown rule `{id}`",
                item.text
            );
        }
    }
    // Every item of the seed's checklist, in its words.
    let seed = std::fs::read_to_string("fixtures/pake/checklist.md").unwrap();
    let seed_items: Vec<&str> = seed
        .lines()
        .filter_map(|l| l.strip_prefix("- [x] "))
        .collect();
    let ours: Vec<&str> = pake_lint::checklist::ITEMS.iter().map(|i| i.text).collect();
    assert_eq!(ours, seed_items);
}

#[test]
fn failed_items_count_their_findings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pod.yaml");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  containers:\n    - name: shell\n      image: busybox:latest\n      securityContext:\n        privileged: true\n",
    )
    .unwrap();
    let (code, out) = run(&[path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "  [ ] Rollback capabilities: failed, 1 finding (container-image-tag-mutable 1)"
        ),
        "{out}"
    );
    assert!(out.contains("  [ ] Security contexts: failed, "), "{out}");
    assert!(out.contains("container-privileged 1"), "{out}");
    assert!(
        out.contains("  [x] Encrypted communications: passed"),
        "{out}"
    );
}

#[test]
fn rules_switched_off_leave_items_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(
        dir.path().join(".pake-lint.yaml"),
        "ignore: [container-image-tag-mutable]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:latest\n",
    )
    .unwrap();
    let out = Command::cargo_bin("pake-lint")
        .unwrap()
        .current_dir(dir.path())
        .args(["checklist", "pod.yaml"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.contains("  [?] Rollback capabilities: not checked"),
        "{out}"
    );
}
