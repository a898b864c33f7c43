//! `--kustomize DIR` and origin annotations: rendered objects are attributed to the files they
//! came from. The rendering tests run only where `kustomize` or `kubectl` is installed.

use std::process::Command;

use pake_lint::diagnostic::FileId;
use pake_lint::load::{self, kustomize};

const OVERLAY: &str = "fixtures/pake/k8s/overlays/production";

fn renderer() -> bool {
    let ok = kustomize::available();
    if !ok {
        eprintln!("skipped: neither kustomize nor kubectl is installed");
    }
    ok
}

#[test]
fn production_overlay_objects_carry_their_base_files() {
    if !renderer() {
        return;
    }
    let rendered = kustomize::render(OVERLAY).expect("the overlay renders");
    assert_eq!(rendered.name, OVERLAY);
    let source = rendered.source_file();
    let arena = load::Bump::new();
    let parsed = load::parse_file(FileId(0), &source, &arena, load::Limits::default());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert!(parsed.objects.len() > 20);
    for object in &parsed.objects {
        let origin = object
            .origin
            .as_deref()
            .unwrap_or_else(|| panic!("{} has no origin", object.display_name()));
        assert!(
            origin.starts_with("fixtures/pake/k8s/") && std::path::Path::new(origin).is_file(),
            "{}: {origin}",
            object.display_name()
        );
    }
    let origin_of = |kind: &str, name: &str| {
        parsed
            .objects
            .iter()
            .find(|o| o.kind == kind && o.name == name)
            .and_then(|o| o.origin.clone())
    };
    assert_eq!(
        origin_of("Deployment", "pake-backend").as_deref(),
        Some("fixtures/pake/k8s/base/backend.yaml")
    );
    assert_eq!(
        origin_of("StatefulSet", "postgres").as_deref(),
        Some("fixtures/pake/k8s/base/postgres.yaml")
    );
}

#[test]
fn findings_in_a_rendered_overlay_name_their_origin() {
    if !renderer() {
        return;
    }
    // Every finding on the production overlay (all rules) points back into the example tree.
    let out = Command::new(env!("CARGO_BIN_EXE_pake-lint"))
        .args(["--kustomize", OVERLAY, "--select", "all", "-f", "json"])
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["summary"]["objects"].as_u64().unwrap() > 20);
    for d in json["diagnostics"].as_array().unwrap() {
        if d["object"].is_null() {
            continue;
        }
        let origin = d["origin"].as_str().expect("an origin");
        assert!(origin.starts_with("fixtures/pake/k8s/"), "{d}");
    }

    // A base with a privileged container: the finding is attributed to the base file.
    let dir = tempfile::tempdir_in(".").unwrap();
    let base = dir.path().join("base");
    let overlay = dir.path().join("overlay");
    std::fs::create_dir_all(&base).unwrap();
    std::fs::create_dir_all(&overlay).unwrap();
    std::fs::write(
        base.join("kustomization.yaml"),
        "resources:\n  - app.yaml\n",
    )
    .unwrap();
    std::fs::write(
        base.join("app.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n",
    )
    .unwrap();
    std::fs::write(
        overlay.join("kustomization.yaml"),
        "resources:\n  - ../base\nnamespace: prod\n",
    )
    .unwrap();
    // Relative names, as a user would type them.
    let name = dir
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let overlay_arg = format!("{name}/overlay");
    let out = Command::new(env!("CARGO_BIN_EXE_pake-lint"))
        .args(["--kustomize", &overlay_arg, "-f", "json"])
        .args(["--select", "container-privileged"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["rule"], "container-privileged");
    assert_eq!(d["file"], overlay_arg.as_str());
    let expected = format!("{name}/base/app.yaml");
    assert_eq!(d["origin"], expected.as_str());
    assert_eq!(d["object"]["namespace"], "prod");

    let human = Command::new(env!("CARGO_BIN_EXE_pake-lint"))
        .args(["--kustomize", &overlay_arg, "--color", "never"])
        .args(["--select", "container-privileged"])
        .output()
        .unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(
        human.contains(&format!("rendered from `{expected}`")),
        "{human}"
    );
}

#[test]
fn a_missing_overlay_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_pake-lint"))
        .args(["--kustomize", "no/such/overlay"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such folder"));
}
