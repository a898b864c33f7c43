//! The command line as a contract: exit codes, flags, subcommands, output destinations,
//! colour, and a reader that goes away early.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use assert_cmd::prelude::*;
use serde_json::Value;

fn bin() -> Command {
    Command::cargo_bin("pake-lint").unwrap()
}

/// Findings at error severity, with [`ONLY`].
const PRIVILEGED: &str = "fixtures/container-privileged/fail-privileged.yaml";
/// No findings, with [`ONLY`].
const CLEAN: &str = "fixtures/container-privileged/pass-unprivileged.yaml";
/// Pins the rule set, so that the rules other issues add do not change what these tests see.
const ONLY: [&str; 2] = ["--select", "container-privileged"];

/// A pod on which `container-image-tag-mutable` finds a warning and
/// `container-startup-probe-missing` an info.
const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
  - name: app
    image: nginx:latest
";

/// `args` with the rule set pinned to [`ONLY`].
fn only(args: &[&str]) -> Vec<String> {
    ONLY.iter().chain(args).map(|s| s.to_string()).collect()
}

fn code<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> i32 {
    let out = bin().args(args).output().unwrap();
    out.status.code().expect("exited normally")
}

fn stdout<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> String {
    let out = bin().args(args).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn stderr(args: &[&str]) -> String {
    let out = bin().args(args).output().unwrap();
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let pod = dir.path().join("pod.yaml");
    std::fs::write(&pod, POD).unwrap();
    let pod = pod.to_str().unwrap();
    let rank = |s: &str| ["info", "warning", "error"].iter().position(|x| *x == s);
    // (rule, file, the severity of every finding it gives there; `none`: no finding).
    let cases = [
        ("container-privileged", CLEAN, "none"),
        ("container-privileged", PRIVILEGED, "error"),
        ("container-image-tag-mutable", pod, "warning"),
        ("container-startup-probe-missing", pod, "info"),
    ];
    for (rule, file, severity) in cases {
        // The premise first: the findings have exactly this severity.
        let json: Value =
            serde_json::from_str(&stdout(&["-f", "json", "--select", rule, file])).unwrap();
        let found: Vec<&str> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["severity"].as_str().unwrap())
            .collect();
        if severity == "none" {
            assert!(found.is_empty(), "{rule}: {found:?}");
        } else {
            assert!(
                !found.is_empty() && found.iter().all(|s| *s == severity),
                "{rule}: {found:?}"
            );
        }
        for level in ["error", "warning", "info"] {
            let fails = rank(severity).is_some_and(|s| s >= rank(level).unwrap());
            assert_eq!(
                code(&["--select", rule, "--fail-on", level, file]),
                i32::from(fails),
                "{rule} --fail-on {level}"
            );
        }
        assert_eq!(code(&["--select", rule, "--fail-on", "never", file]), 0);
        let default = code(&["--select", rule, file]);
        assert_eq!(
            default,
            i32::from(severity == "error"),
            "the default is --fail-on error"
        );
    }
    // Findings of a rule that is ignored do not count.
    assert_eq!(
        code(&only(&["--ignore", "container-privileged", PRIVILEGED])),
        0
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(code(&["--no-such-flag"]), 2);
    assert_eq!(code(&["--fail-on", "sometimes", CLEAN]), 2);
    assert_eq!(code(&["--format", "xml", CLEAN]), 2);
    assert_eq!(code(&["--jobs", "many", CLEAN]), 2);
    assert_eq!(code(&["--exclude", "[", "fixtures/loader"]), 2);
    assert!(stderr(&["--exclude", "[", "fixtures/loader"]).contains("invalid glob `[`"));
    assert_eq!(code(&["no/such/path.yaml"]), 2);
}

#[test]
fn output_file_receives_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let out = bin()
        .args(["-f", "json", "-o", report.to_str().unwrap(), PRIVILEGED])
        .args(ONLY)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing on stdout with -o");
    let json: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["diagnostics"][0]["rule"], "container-privileged");
    // Human output to a file has no colour, even when asked for by `auto`.
    let human = dir.path().join("report.txt");
    bin()
        .args(["-o", human.to_str().unwrap(), PRIVILEGED])
        .args(ONLY)
        .assert()
        .code(1);
    let text = std::fs::read_to_string(&human).unwrap();
    assert!(text.contains("error[container-privileged]"));
    assert!(!text.contains('\u{1b}'));
}

#[test]
fn an_unwritable_output_path_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/folder/report.json");
    let out = bin()
        .args(["-o", missing.to_str().unwrap(), CLEAN])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("pake-lint: error: cannot write "), "{err}");
    // A folder is not a file either.
    let out = bin()
        .args(["-o", dir.path().to_str().unwrap(), CLEAN])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rules_lists_every_rule() {
    let text = stdout(&["rules"]);
    let header = text.lines().next().unwrap();
    for column in ["RULE", "CATEGORY", "SEVERITY", "DEFAULT", "SUMMARY"] {
        assert!(header.contains(column), "{header}");
    }
    let row = text
        .lines()
        .find(|l| l.starts_with("container-privileged "))
        .expect("container-privileged is listed");
    assert!(row.contains("security") && row.contains("error") && row.contains("on"));

    let json: Value = serde_json::from_str(&stdout(&["rules", "--format", "json"])).unwrap();
    let rules = json.as_array().unwrap();
    assert_eq!(
        rules.len(),
        text.lines().count() - 1,
        "same rules in both formats"
    );
    let rule = rules
        .iter()
        .find(|r| r["id"] == "container-privileged")
        .unwrap();
    assert_eq!(rule["category"], "security");
    assert_eq!(rule["severity"], "error");
    assert_eq!(rule["enabled_by_default"], true);
    assert!(rule["summary"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(rules.iter().any(|r| r["id"] == "yaml-syntax"));
}

#[test]
fn explain_prints_a_rules_documentation() {
    let out = bin()
        .args(["explain", "container-privileged"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for section in [
        "## What it does",
        "## Why it matters",
        "## Example",
        "## Use instead",
    ] {
        assert!(text.contains(section), "{section} missing:\n{text}");
    }
    let out = bin()
        .args(["explain", "container-priviliged"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown rule `container-priviliged`"), "{err}");
}

#[test]
fn select_and_ignore_take_ids_and_categories() {
    let bad = "fixtures/yaml-duplicate-key/fail-duplicate-keys.yaml";
    // The distinct rules that fire, sorted.
    let rules = |flags: &[&str]| -> Vec<String> {
        let mut args = vec!["-f", "json", "--fail-on", "never"];
        args.extend(flags);
        args.extend([PRIVILEGED, bad]);
        let json: Value = serde_json::from_str(&stdout(&args)).unwrap();
        let mut rules: Vec<String> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect();
        rules.sort();
        rules.dedup();
        rules
    };
    let has = |rules: &[String], id: &str| rules.iter().any(|r| r == id);
    let defaults = rules(&[]);
    assert!(has(&defaults, "container-privileged") && has(&defaults, "yaml-duplicate-key"));
    // Selecting a rule keeps the input checks: broken input is never silent.
    assert_eq!(
        rules(&["--select", "container-privileged"]),
        ["container-privileged", "yaml-duplicate-key"]
    );
    assert_eq!(
        rules(&["--select", "container-privileged", "--ignore", "input"]),
        ["container-privileged"]
    );
    assert_eq!(
        rules(&[
            "--select",
            "container-privileged",
            "--ignore",
            "yaml-duplicate-key"
        ]),
        ["container-privileged"]
    );
    assert_eq!(
        rules(&[
            "--select",
            "container-privileged",
            "--ignore",
            "container-privileged"
        ]),
        ["yaml-duplicate-key"]
    );
    // Categories: every rule that fires belongs to a selected one.
    let security = rules(&["--select", "security"]);
    assert!(has(&security, "container-privileged"));
    assert!(security.iter().all(|r| r.starts_with("container-")
        || r.starts_with("pod-")
        || r.starts_with("namespace-")
        || r == "yaml-duplicate-key"));
    let no_security = rules(&["--ignore", "security"]);
    assert!(!has(&no_security, "container-privileged") && has(&no_security, "yaml-duplicate-key"));
    // Comma-separated lists and `all`.
    assert_eq!(
        rules(&[
            "--select",
            "container-privileged,yaml-syntax",
            "--ignore",
            "input"
        ]),
        ["container-privileged"]
    );
    let all = rules(&["--select", "all"]);
    assert!(all.len() >= defaults.len());
}

#[test]
fn an_unknown_rule_in_select_or_ignore_exits_2_with_a_suggestion() {
    for flag in ["--select", "--ignore"] {
        let out = bin()
            .args([flag, "container-privilged", CLEAN])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.trim(),
            "pake-lint: error: unknown rule or category `container-privilged` (did you mean `container-privileged`?)"
        );
    }
    let err = stderr(&["--select", "securty", CLEAN]);
    assert!(err.contains("did you mean `security`?"), "{err}");
    let err = stderr(&["--select", "zzzz", CLEAN]);
    assert!(err.contains("unknown rule or category `zzzz`") && !err.contains("did you mean"));
}

#[test]
fn color_always_colours_and_never_or_no_color_do_not() {
    let coloured = stdout(&only(&["--color", "always", PRIVILEGED]));
    assert!(coloured.contains("\u{1b}["), "{coloured:?}");
    let plain = stdout(&only(&["--color", "never", PRIVILEGED]));
    assert!(!plain.contains('\u{1b}'));
    // `auto` on a pipe: no colour.
    assert!(!stdout(&only(&[PRIVILEGED])).contains('\u{1b}'));
    // `auto` on a terminal honours NO_COLOR. `script` gives the process a terminal.
    let on_tty = |no_color: Option<&str>| -> Option<String> {
        let binary = assert_cmd::cargo::cargo_bin("pake-lint");
        let mut cmd = Command::new("script");
        cmd.args([
            "-qec",
            &format!("{} {} {PRIVILEGED}", binary.display(), ONLY.join(" ")),
            "/dev/null",
        ]);
        cmd.env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().ok()?;
        if out.status.code() != Some(1) {
            return None;
        }
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    match on_tty(None) {
        None => eprintln!("skipped: `script` cannot give pake-lint a terminal here"),
        Some(text) => {
            assert!(text.contains("\u{1b}["), "a terminal gets colour: {text:?}");
            let text = on_tty(Some("1")).unwrap();
            assert!(!text.contains('\u{1b}'), "NO_COLOR=1: {text:?}");
            // An empty NO_COLOR is unset, per no-color.org.
            let text = on_tty(Some("")).unwrap();
            assert!(text.contains("\u{1b}["));
        }
    }
}

#[test]
fn quiet_drops_the_summary() {
    let loud = stdout(&only(&[PRIVILEGED]));
    let summary = loud.lines().last().unwrap();
    assert!(summary.starts_with("1 file linted:"), "{summary}");
    let quiet = stdout(&only(&["-q", PRIVILEGED]));
    assert!(!quiet.contains("linted"), "{quiet}");
    assert!(quiet.contains("error[container-privileged]"));
    assert_eq!(stdout(&only(&["--quiet", CLEAN])), "");
}

#[test]
fn a_closed_stdout_is_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let pod = std::fs::read_to_string(PRIVILEGED).unwrap();
    let many: Vec<String> = (0..2000)
        .map(|i| pod.replace("name: web", &format!("name: web-{i}")))
        .collect();
    let path = dir.path().join("many.yaml");
    std::fs::write(&path, many.join("\n---\n")).unwrap();
    for format in ["human", "json"] {
        let mut child = bin()
            .args(["-f", format, path.to_str().unwrap()])
            .args(ONLY)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one line, as `| head -1` would, and hang up.
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 64];
        let _ = stdout.read(&mut first).unwrap();
        drop(stdout);
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!err.contains("panicked"), "{format}: {err}");
        assert!(err.is_empty(), "{format}: nothing on stderr: {err}");
        assert!(matches!(status.code(), Some(0 | 1)), "{format}: {status:?}");
    }
}

#[test]
fn version_and_help() {
    let version = stdout(&["--version"]);
    assert!(version.starts_with("pake-lint "), "{version}");
    let help = stdout(&["--help"]);
    for flag in [
        "--format",
        "--output",
        "--fail-on",
        "--jobs",
        "--select",
        "--ignore",
        "--exclude",
        "--namespace",
        "--stdin-filename",
        "--color",
        "--quiet",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    assert!(Path::new(PRIVILEGED).exists() && Path::new(CLEAN).exists());
}

/// `--timings` prints every phase and the slowest rules to stderr, leaving the report alone.
#[test]
fn timings_list_phases_and_slowest_rules() {
    let output = bin()
        .args([
            "fixtures/pake/k8s",
            "--no-config",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--timings",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let err = String::from_utf8(output.stderr).unwrap();
    let phases = err
        .lines()
        .find(|l| l.starts_with("timings: discover "))
        .expect("a phase line");
    for phase in [
        "read", "parse", "index", "rules", "suppress", "report", "total",
    ] {
        assert!(
            phases.contains(&format!(" {phase} ")),
            "{phase} in {phases}"
        );
    }
    let rules = err
        .lines()
        .find_map(|l| l.strip_prefix("timings: slowest rules (summed over threads): "))
        .expect("a slowest-rules line");
    let listed: Vec<&str> = rules.split(", ").collect();
    assert!((1..=10).contains(&listed.len()), "{rules}");
    for entry in &listed {
        let (id, time) = entry.rsplit_once(' ').unwrap();
        assert!(
            pake_lint::rules::all_meta().iter().any(|m| m.id == id),
            "{id} is a rule"
        );
        assert!(time.ends_with('s') && time[..time.len() - 1].parse::<f64>().is_ok());
    }
    // The report itself is untouched: stdout is still one JSON document.
    serde_json::from_slice::<Value>(&output.stdout).expect("JSON on stdout");
}
