//! The loader, end to end: what is read, what is skipped and counted, what is reported and
//! where, and that hostile or broken input is bounded and never hides the other documents.
//! Small inputs live in `fixtures/loader/` (which the fixture harness ignores) or are written
//! to a temporary folder by the test that needs them.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pake_lint::engine::{self, Options, Outcome};
use pake_lint::load::tree::{Node, Resolved};
use pake_lint::load::yaml::{Limits, parse_stream};
use pake_lint::load::{Bump, LoadStats};
use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pake-lint"))
}

/// A pod whose container is privileged: `container-privileged` fires on `line` (1-based) of
/// the returned text, 9 lines after the first.
fn privileged_pod(name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext: {{privileged: true}}\n"
    )
}

fn config_map(name: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n")
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

fn run_with(options: Options) -> (Outcome, Value) {
    let outcome = engine::run(&options).expect("the run succeeds");
    let json = common::json_of(&outcome);
    (outcome, json)
}

/// The rules these tests run: the input checks (always on) and `container-privileged`, whose
/// findings show that an object was read and where its values are. Pinned, so that the rules
/// other issues add do not change what these tests see.
fn options(paths: &[&str]) -> Options {
    Options {
        paths: paths.iter().map(|s| s.to_string()).collect(),
        select: vec!["container-privileged".to_string()],
        ..Options::default()
    }
}

fn lint(paths: &[&str]) -> (Outcome, Value) {
    run_with(options(paths))
}

/// (file name, rule, line, column) of every diagnostic; the file is its last path component so
/// that temporary folders do not show.
fn findings(json: &Value) -> Vec<(String, String, u64, u64)> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap();
            let name = Path::new(file).file_name().unwrap().to_string_lossy();
            (
                name.into_owned(),
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn f(file: &str, rule: &str, line: u64, column: u64) -> (String, String, u64, u64) {
    (file.to_string(), rule.to_string(), line, column)
}

/// Every document is accounted for exactly once.
fn assert_accounted(stats: &LoadStats) {
    assert_eq!(
        stats.documents,
        stats.object_documents
            + stats.list_documents
            + stats.skipped_documents
            + stats.invalid_documents
            + stats.failed_documents,
        "{stats:?}"
    );
}

fn names_of_privileged(json: &Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "container-privileged")
        .map(|d| d["object"]["name"].as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Documents and streams

#[test]
fn a_broken_middle_document_hides_neither_neighbour() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n  labels: {{app: web\n---\n{}",
        privileged_pod("before"),
        privileged_pod("after")
    );
    let path = write(dir.path(), "multi.yaml", &text);
    let (outcome, json) = lint(&[&path]);
    assert_eq!(
        findings(&json),
        vec![
            f("multi.yaml", "container-privileged", 9, 35),
            // The parser notices the unclosed `{` at the next `---` line.
            f("multi.yaml", "yaml-syntax", 16, 1),
            f("multi.yaml", "container-privileged", 25, 35),
        ]
    );
    let syntax = &json["diagnostics"][1];
    assert_eq!(syntax["related"][0]["line"], 15);
    assert_eq!(syntax["related"][0]["column"], 11);
    assert_eq!(
        syntax["related"][0]["message"],
        "the flow mapping opens here"
    );
    assert_eq!(outcome.stats.documents, 3);
    assert_eq!(outcome.stats.failed_documents, 1);
    assert_eq!(outcome.stats.object_documents, 2);
    assert_accounted(&outcome.stats);
}

#[test]
fn lists_are_expanded_with_each_items_own_spans() {
    let (outcome, json) = lint(&["fixtures/loader/list.yaml"]);
    assert_eq!(
        findings(&json),
        vec![
            f("list.yaml", "container-privileged", 13, 37),
            f("list.yaml", "container-privileged", 23, 21),
            // An item of a `RoleList` that is not an object is reported on its own; a null
            // item is passed over.
            f("list.yaml", "invalid-object", 36, 13),
        ]
    );
    assert_eq!(names_of_privileged(&json), ["first", "second"]);
    assert_eq!(outcome.stats.list_documents, 2);
    assert_eq!(outcome.stats.objects, 3);
    assert_accounted(&outcome.stats);
}

#[test]
fn json_objects_and_lists_are_read() {
    let (outcome, json) = lint(&["fixtures/loader/pod.json", "fixtures/loader/list.json"]);
    assert_eq!(
        findings(&json),
        vec![
            f("pod.json", "container-privileged", 3, 38),
            f("list.json", "container-privileged", 10, 104),
        ]
    );
    assert_eq!(names_of_privileged(&json), ["json-pod", "json-list-pod"]);
    assert_eq!(outcome.stats.objects, 3);
    assert_eq!(outcome.stats.list_documents, 1);
    assert_accounted(&outcome.stats);
}

#[test]
fn standard_input_is_read_and_named() {
    let run = |args: &[&str]| {
        let mut child = bin()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(privileged_pod("from-stdin").as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let json = run(&[
        "-f",
        "json",
        "--select",
        "container-privileged",
        "--stdin-filename",
        "k8s/pod.yaml",
        "-",
    ]);
    assert_eq!(json["diagnostics"][0]["file"], "k8s/pod.yaml");
    assert_eq!(json["diagnostics"][0]["line"], 9);
    assert_eq!(json["summary"]["files"], 1);
    let json = run(&["-f", "json", "--select", "container-privileged", "-"]);
    assert_eq!(json["diagnostics"][0]["file"], "<stdin>");
}

#[test]
fn non_kubernetes_yaml_is_skipped_and_counted_not_reported() {
    // Helm values, a Helm Chart.yaml, a GitHub workflow, a Prometheus configuration.
    let (outcome, json) = lint(&["fixtures/loader/non-kubernetes"]);
    assert_eq!(findings(&json), vec![]);
    assert_eq!(outcome.stats.documents, 4);
    assert_eq!(outcome.stats.skipped_documents, 4);
    assert_eq!(json["summary"]["skipped_documents"], 4);
    assert_eq!(json["summary"]["objects"], 0);
    assert_accounted(&outcome.stats);
}

#[test]
fn helm_source_comment_is_the_origin() {
    let (outcome, json) = lint(&["fixtures/loader/helm.yaml"]);
    assert_eq!(
        findings(&json),
        vec![f("helm.yaml", "container-privileged", 18, 19)]
    );
    assert_eq!(json["diagnostics"][0]["origin"], "shop/templates/pod.yaml");
    let human = common::human_of(&outcome);
    assert!(
        human.contains("note: rendered from `shop/templates/pod.yaml`"),
        "{human}"
    );
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_keep_positions_right() {
    let dir = tempfile::tempdir().unwrap();
    // A multi-byte character before the finding: columns count characters, not bytes.
    let lf = privileged_pod("crlf").replace("{privileged", "{é: ü, privileged") + "# end\n";
    let crlf = lf.replace('\n', "\r\n");
    let a = write(dir.path(), "crlf.yaml", &crlf);
    let b = write(
        dir.path(),
        "bom.yaml",
        [b"\xEF\xBB\xBF".as_slice(), lf.as_bytes()].concat(),
    );
    let c = write(
        dir.path(),
        "bom-crlf.yaml",
        [b"\xEF\xBB\xBF".as_slice(), crlf.as_bytes()].concat(),
    );
    // Files joined with `cat`: a byte order mark after a `---` line, as kubectl accepts.
    let joined = [
        b"\xEF\xBB\xBF".as_slice(),
        crlf.as_bytes(),
        b"---\r\n\xEF\xBB\xBF",
        crlf.as_bytes(),
    ]
    .concat();
    let d = write(dir.path(), "joined.yaml", joined);
    let (_, json) = lint(&[&d]);
    assert_eq!(
        findings(&json),
        vec![
            f("joined.yaml", "container-privileged", 9, 41),
            f("joined.yaml", "container-privileged", 20, 41),
        ]
    );
    let (outcome, json) = lint(&[&a, &b, &c]);
    for d in json["diagnostics"].as_array().unwrap() {
        assert_eq!(d["rule"], "container-privileged", "{d}");
        assert_eq!(
            (&d["line"], &d["column"], &d["end_line"], &d["end_column"]),
            (&9.into(), &41.into(), &9.into(), &45.into()),
            "{d}"
        );
    }
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 3);
    // The human output quotes the line without a stray carriage return.
    let human = common::human_of(&outcome);
    assert!(!human.contains('\r'), "{human:?}");
    assert!(
        human.contains("securityContext: {é: ü, privileged: true}\n"),
        "{human}"
    );
}

#[test]
fn empty_files_and_empty_documents_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "empty.yaml", "");
    let b = write(dir.path(), "blank.yaml", "\n\n   \n");
    let c = write(
        dir.path(),
        "docs.yaml",
        format!(
            "---\n---\n# only a comment\n---\n...\n---\n{}---\n",
            config_map("x")
        ),
    );
    let (outcome, json) = lint(&[&a, &b, &c]);
    assert_eq!(findings(&json), vec![]);
    assert_eq!(outcome.stats.documents, 1);
    assert_eq!(outcome.stats.objects, 1);
    assert_accounted(&outcome.stats);
}

// ---------------------------------------------------------------------------------------------
// Hostile input: bounded, reported, and the rest still linted

#[test]
fn an_alias_bomb_is_bounded_and_the_other_documents_are_linted() {
    let dir = tempfile::tempdir().unwrap();
    let mut bomb = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..30 {
        let p = format!("*a{}", i - 1);
        bomb.push_str(&format!(
            "  a{i}: &a{i} [{}]\n",
            [p.as_str(); 10].join(", ")
        ));
    }
    let text = format!(
        "{}---\n{bomb}---\n{}",
        privileged_pod("before"),
        privileged_pod("after")
    );
    let path = write(dir.path(), "bomb.yaml", &text);
    let started = Instant::now();
    let (outcome, json) = lint(&[&path]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    let rules: Vec<_> = findings(&json).into_iter().map(|d| d.1).collect();
    assert_eq!(
        rules,
        [
            "container-privileged",
            "yaml-alias-bomb",
            "container-privileged"
        ]
    );
    assert_eq!(names_of_privileged(&json), ["before", "after"]);
    assert_accounted(&outcome.stats);
}

#[test]
fn many_small_bombs_in_one_file_share_one_budget() {
    // Each document stays under the budget on its own; the file as a whole does not.
    let doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a0: &a0 [x, x, x, x]\n  a1: &a1 [*a0, *a0, *a0, *a0]\n  a2: &a2 [*a1, *a1, *a1, *a1]\n  a3: &a3 [*a2, *a2, *a2, *a2]\n  a4: &a4 [*a3, *a3, *a3, *a3]\n  a5: &a5 [*a4, *a4, *a4, *a4]\n";
    let text = [doc; 50].join("---\n");
    let arena = Bump::new();
    let s = parse_stream(
        &text,
        &arena,
        Limits {
            max_alias_nodes: 20_000,
            ..Limits::default()
        },
    );
    assert!(s.documents.len() < 50);
    assert_eq!(s.documents.len() + s.failed_documents, 50);
}

#[test]
fn deep_nesting_is_bounded_and_the_other_documents_are_linted() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 100_000;
    let flow = format!("x: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let block = format!("{}x\n", "- ".repeat(depth));
    let nested_maps = format!("{}1{}\n", "{a: ".repeat(depth), "}".repeat(depth));
    for (name, deep) in [("flow", flow), ("block", block), ("maps", nested_maps)] {
        let text = format!(
            "{}---\n{deep}---\n{}",
            privileged_pod("before"),
            privileged_pod("after")
        );
        let path = write(dir.path(), &format!("{name}.yaml"), &text);
        let started = Instant::now();
        let (outcome, json) = lint(&[&path]);
        assert!(started.elapsed() < Duration::from_secs(20), "{name}");
        let found = findings(&json);
        assert_eq!(found.len(), 3, "{name}: {found:?}");
        assert_eq!(found[1].1, "yaml-too-deep", "{name}");
        assert_eq!(found[1].2, 11, "{name}: the deep line");
        assert_eq!(names_of_privileged(&json), ["before", "after"], "{name}");
        assert_eq!(outcome.stats.failed_documents, 1);
        assert_accounted(&outcome.stats);
    }
}

// ---------------------------------------------------------------------------------------------
// Files that cannot be read as text

#[test]
fn a_binary_file_is_reported_at_its_nul_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "image.yaml",
        b"apiVersion: v1\nkind: x\x00\x01\x02",
    );
    let ok = write(dir.path(), "ok.yaml", privileged_pod("ok"));
    let (outcome, json) = lint(&[&path, &ok]);
    assert_eq!(
        findings(&json),
        vec![
            f("image.yaml", "file-binary", 2, 8),
            f("ok.yaml", "container-privileged", 9, 35),
        ]
    );
    assert_eq!(outcome.stats.documents, 1);
    // The human output renders the text before the NUL.
    let human = common::human_of(&outcome);
    assert!(human.contains("2 | kind: x"), "{human}");
}

#[test]
fn a_file_that_is_not_utf8_is_reported_where_it_goes_wrong() {
    let dir = tempfile::tempdir().unwrap();
    // Latin-1 `é` after a UTF-8 `é`: the column counts characters.
    let path = write(
        dir.path(),
        "latin1.yaml",
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations: {a: \"\xc3\xa9 caf\xe9\"}\n",
    );
    let (outcome, json) = lint(&[&path]);
    assert_eq!(
        findings(&json),
        vec![f("latin1.yaml", "file-not-utf8", 5, 26)]
    );
    assert_eq!(json["diagnostics"][0]["end_column"], 27);
    assert_eq!(
        json["diagnostics"][0]["message"],
        "file is not valid UTF-8 (byte `0xe9`)"
    );
    // Rendering it must not slice inside the replacement character (it used to panic).
    let human = common::human_of(&outcome);
    assert!(human.contains("latin1.yaml:5:26"), "{human}");
}

#[test]
fn a_utf16_file_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    for unit in config_map("x").encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    let path = write(dir.path(), "utf16.yaml", bytes);
    let (_, json) = lint(&[&path]);
    assert_eq!(
        findings(&json),
        vec![f("utf16.yaml", "file-not-utf8", 1, 1)]
    );
    assert_eq!(
        json["diagnostics"][0]["message"],
        "file is UTF-16LE encoded, not UTF-8"
    );
}

#[test]
fn a_file_over_the_size_limit_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = write(dir.path(), "big.yaml", privileged_pod("big"));
    let small = write(dir.path(), "small.yaml", config_map("small"));
    let (outcome, json) = run_with(Options {
        max_file_size: 100,
        ..options(&[&big, &small])
    });
    assert_eq!(findings(&json), vec![f("big.yaml", "file-too-large", 1, 1)]);
    assert!(
        json["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("100 bytes")
    );
    assert_eq!(outcome.stats.objects, 1);
    // And from the command line.
    let path = write(dir.path(), "cli.yaml", privileged_pod("cli"));
    let out = bin()
        .args(["-f", "json", "--select", "container-privileged"])
        .args(["--max-file-size", "10", &path])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["rule"], "file-too-large");
    assert_eq!(out.status.code(), Some(1));
    // A limit past what positions can address is lowered to 2 GiB, not refused: scripts that
    // pass a huge value to lift the limit keep working.
    let out = bin()
        .args(["-f", "json", "--select", "container-privileged"])
        .args(["--max-file-size", "18446744073709551615", &path])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["rule"], "container-privileged");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn an_unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "secret.yaml", config_map("x"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Root (as in many CI containers) reads anything: permissions cannot make a file
        // unreadable, so this case cannot be shown here. The FIFO and symlink-loop tests
        // below cover `file-unreadable` in every environment.
        eprintln!("skipped: running with privileges that ignore file permissions");
        return;
    }
    let (_, json) = lint(&[&path]);
    assert_eq!(
        findings(&json),
        vec![f("secret.yaml", "file-unreadable", 1, 1)]
    );
    assert_eq!(
        json["diagnostics"][0]["message"],
        "cannot read file: permission denied"
    );
}

#[test]
fn a_fifo_named_on_the_command_line_is_reported_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.yaml");
    let status = Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let ok = write(dir.path(), "ok.yaml", config_map("x"));
    let mut child = bin()
        .args(["-f", "json", fifo.to_str().unwrap(), &ok])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("pake-lint blocked on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        findings(&json),
        vec![f("pipe.yaml", "file-unreadable", 1, 1)]
    );
    assert_eq!(json["summary"]["objects"], 1);
    // A FIFO met in a folder walk is not a manifest file: it is passed over silently.
    let (_, json) = lint(&[dir.path().to_str().unwrap()]);
    assert_eq!(findings(&json), vec![]);
    assert_eq!(json["summary"]["files"], 1);
}

#[test]
fn a_symlink_loop_is_reported_not_followed_forever() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("b.yaml", dir.path().join("a.yaml")).unwrap();
    std::os::unix::fs::symlink("a.yaml", dir.path().join("b.yaml")).unwrap();
    // A folder that links to its parent.
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("sub/up")).unwrap();
    write(dir.path(), "sub/ok.yaml", config_map("ok"));
    let named = dir.path().join("a.yaml");
    let (_, json) = lint(&[named.to_str().unwrap()]);
    assert_eq!(findings(&json), vec![f("a.yaml", "file-unreadable", 1, 1)]);
    assert!(
        json["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("symbolic links"),
        "{}",
        json["diagnostics"][0]
    );
    // A link to nothing, named on the command line (this works as root too).
    std::os::unix::fs::symlink("gone.yaml", dir.path().join("dangling.yaml")).unwrap();
    let named = dir.path().join("dangling.yaml");
    let (_, json) = lint(&[named.to_str().unwrap()]);
    assert_eq!(
        findings(&json),
        vec![f("dangling.yaml", "file-unreadable", 1, 1)]
    );
    assert_eq!(
        json["diagnostics"][0]["message"],
        "cannot read file: it is a symbolic link to nothing"
    );
    // Walking the folder terminates; links are not followed in walks.
    let (outcome, json) = lint(&[dir.path().to_str().unwrap()]);
    assert_eq!(findings(&json), vec![]);
    assert_eq!(outcome.stats.objects, 1);
}

#[test]
fn a_nonexistent_path_fails_the_run_with_exit_2() {
    let out = bin()
        .args(["fixtures/loader/list.yaml", "does/not/exist.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim(),
        "pake-lint: error: does/not/exist.yaml: no such file or directory"
    );
    assert!(out.stdout.is_empty());
    let out = bin().args(["nothing-matches-*.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no file matches this pattern"));
}

// ---------------------------------------------------------------------------------------------
// Discovery

#[test]
fn kustomize_patches_are_skipped_and_counted_not_linted() {
    let (outcome, json) = lint(&["fixtures/loader/kustomize"]);
    assert_eq!(
        findings(&json),
        vec![
            f("pod.yaml", "container-privileged", 10, 19),
            f("extra.yaml", "container-privileged", 11, 19),
        ]
    );
    // Two kustomizations and three patch files.
    assert_eq!(outcome.stats.skipped_documents, 5);
    assert_eq!(outcome.stats.objects, 2);
    assert_accounted(&outcome.stats);
}

#[test]
fn gitignore_and_excludes_apply_to_walks_but_named_files_are_always_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".gitignore", "generated/\n*.tmp.yaml\n");
    write(root, "generated/a.yaml", privileged_pod("generated"));
    write(root, "scratch.tmp.yaml", privileged_pod("scratch"));
    write(root, "app/web.yaml", privileged_pod("web"));
    write(root, "app/test/fixture.yaml", privileged_pod("fixture"));
    write(root, "app/notes.txt", privileged_pod("notes"));
    write(root, ".hidden/chart.yml", privileged_pod("hidden"));
    let r = root.to_str().unwrap();

    let (_, json) = lint(&[r]);
    let mut names = names_of_privileged(&json);
    names.sort();
    assert_eq!(names, ["fixture", "hidden", "web"]);

    let (_, json) = run_with(Options {
        exclude: vec!["test".to_string(), "*.yml".to_string()],
        ..options(&[r])
    });
    assert_eq!(names_of_privileged(&json), ["web"]);

    // Named explicitly: read whatever the ignore files and the extension say.
    let named = [
        root.join("generated/a.yaml"),
        root.join("scratch.tmp.yaml"),
        root.join("app/notes.txt"),
    ];
    let named: Vec<String> = named
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let named: Vec<&str> = named.iter().map(String::as_str).collect();
    let (_, json) = run_with(Options {
        exclude: vec!["*.yaml".to_string()],
        ..options(&named)
    });
    assert_eq!(
        names_of_privileged(&json),
        ["generated", "scratch", "notes"]
    );
}

#[test]
fn glob_patterns_are_expanded_like_a_shell() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "a.yaml", privileged_pod("a"));
    write(root, "b.yml", privileged_pod("b"));
    write(root, "sub/c.yaml", privileged_pod("c"));
    write(root, "sub/deeper/d.yaml", privileged_pod("d"));
    let r = root.to_str().unwrap();
    let names = |pattern: &str| {
        let (_, json) = lint(&[&format!("{r}/{pattern}")]);
        let mut names = names_of_privileged(&json);
        names.sort();
        names
    };
    // `*` stays in one folder; `**` crosses folders.
    assert_eq!(names("*.yaml"), ["a"]);
    assert_eq!(names("*.y*ml"), ["a", "b"]);
    assert_eq!(names("sub/*.yaml"), ["c"]);
    assert_eq!(names("**/*.yaml"), ["a", "c", "d"]);
    assert_eq!(names("sub/**/*.yaml"), ["c", "d"]);
    assert_eq!(names("[ab].*"), ["a", "b"]);
}

#[test]
fn the_same_file_named_twice_is_read_once() {
    let (outcome, _) = lint(&[
        "fixtures/loader/helm.yaml",
        "fixtures/loader/helm.yaml",
        "./fixtures/loader/helm.yaml",
        "fixtures/loader/../loader/helm.yaml",
        "fixtures/loader",
    ]);
    let helm = outcome
        .files
        .iter()
        .filter(|f| f.name.ends_with("helm.yaml"))
        .count();
    assert_eq!(helm, 1);
    assert_eq!(outcome.files[0].name, "fixtures/loader/helm.yaml");
}

// ---------------------------------------------------------------------------------------------
// Scalars and mappings, the way kubectl reads them

#[test]
fn yaml_1_1_scalars_merge_keys_and_anchors() {
    let text = std::fs::read_to_string("fixtures/loader/yaml11.yaml").unwrap();
    let arena = Bump::new();
    let s = parse_stream(&text, &arena, Limits::default());
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    let root = s.documents[0].root.as_ref().unwrap();
    let data = root.get("data").unwrap();
    assert_eq!(
        data.get("enabled").unwrap().resolve(),
        Some(Resolved::Bool(true))
    );
    assert_eq!(
        data.get("answer").unwrap().resolve(),
        Some(Resolved::Bool(true))
    );
    assert_eq!(data.get("disabled").and_then(Node::as_str), Some("off"));
    assert_eq!(data.get("mode").and_then(Node::as_i64), Some(0o755));
    assert_eq!(data.get("hex").and_then(Node::as_i64), Some(31));
    // `1.10` is the number 1.1; its text is kept for who wants it.
    assert_eq!(data.get("version").and_then(Node::as_f64), Some(1.1));
    assert_eq!(
        data.get("version").and_then(Node::scalar_text),
        Some("1.10")
    );
    let spec = root.get("spec").unwrap();
    assert_eq!(spec.get("app").and_then(Node::as_str), Some("web"));
    assert_eq!(spec.get("tier").and_then(Node::as_str), Some("front"));
    assert!(spec.get("<<").is_none());
    // A merged value keeps the span of where it was written (under the anchor).
    let app = spec.get("app").unwrap();
    assert_eq!(&text[app.span().range()], "web");
    assert!(app.span().start < spec.span().start);
    let mode = spec.path(&["volumes"]).unwrap().items()[0].get("defaultMode");
    assert_eq!(mode.and_then(Node::as_i64), Some(0o644));
    // The whole file lints cleanly.
    let (_, json) = lint(&["fixtures/loader/yaml11.yaml"]);
    assert_eq!(findings(&json), vec![]);
}

#[test]
fn a_duplicate_key_points_at_the_second_with_the_first_related() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "dup.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n  labels:\n    app: a\n    app: b\n",
    );
    let (outcome, json) = lint(&[&path]);
    assert_eq!(
        findings(&json),
        vec![f("dup.yaml", "yaml-duplicate-key", 7, 5)]
    );
    let d = &json["diagnostics"][0];
    assert_eq!(d["message"], "duplicate key `app`");
    assert_eq!(d["related"][0]["line"], 6);
    assert_eq!(d["related"][0]["column"], 5);
    assert_eq!(d["related"][0]["message"], "first defined here");
    // The object is still read (with the first value, as the Index sees it).
    assert_eq!(outcome.stats.objects, 1);
}

#[test]
fn metadata_that_is_a_list_is_an_invalid_object() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "bad.yaml",
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n- name: x\n---\n{}",
            privileged_pod("fine")
        ),
    );
    let (outcome, json) = lint(&[&path]);
    assert_eq!(
        findings(&json),
        vec![
            f("bad.yaml", "invalid-object", 4, 1),
            f("bad.yaml", "container-privileged", 14, 35),
        ]
    );
    assert_eq!(
        json["diagnostics"][0]["message"],
        "`metadata` must be a mapping, not a sequence"
    );
    assert_eq!(outcome.stats.invalid_documents, 1);
    assert_accounted(&outcome.stats);
}

// ---------------------------------------------------------------------------------------------
// Accounting

#[test]
fn every_document_is_accounted_for() {
    let (outcome, json) = lint(&["fixtures"]);
    let s = outcome.stats;
    assert_accounted(&s);
    assert!(s.object_documents > 0 && s.list_documents > 0 && s.skipped_documents > 0);
    assert!(s.invalid_documents > 0 && s.failed_documents > 0);
    let summary = &json["summary"];
    assert_eq!(summary["documents"], s.documents);
    assert_eq!(summary["skipped_documents"], s.skipped_documents);
    assert_eq!(summary["objects"], s.objects);
}

#[test]
fn indentation_that_kubectl_accepts_keeps_every_position_right() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string("fixtures/yaml-syntax/pass-indentation-kubectl-accepts.yaml")
            .unwrap()
            .replace(
                "    env:\n",
                "    securityContext:\n      privileged: true\n    env:\n",
            );
    let path = write(dir.path(), "lenient.yaml", &text);
    let (_, json) = lint(&[&path]);
    assert_eq!(
        findings(&json),
        vec![f("lenient.yaml", "container-privileged", 19, 19)]
    );
}
