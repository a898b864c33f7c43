//! Configuration end to end: every key of `.pake-lint.yaml`, every class of configuration
//! error with its position, the command line overriding the file, profiles, each suppression
//! form (including one that `kubectl kustomize` strips), expired ignores, and baselines.

use std::path::Path;

use assert_cmd::Command;

/// A scratch repository: files written under a temporary folder holding `.git`.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new(files: &[(&str, &str)]) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let repo = Repo { dir };
        for (name, text) in files {
            repo.write(name, text);
        }
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Runs pake-lint in `sub` (a folder of the repository) and returns (exit code, stdout,
    /// stderr).
    fn run_in(&self, sub: &str, args: &[&str]) -> (i32, String, String) {
        let out = Command::cargo_bin("pake-lint")
            .unwrap()
            .current_dir(self.path().join(sub))
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        self.run_in("", args)
    }

    /// The JSON report of a run.
    fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["-f", "json"];
        all.extend_from_slice(args);
        let (code, out, err) = self.run(&all);
        assert!(code < 2, "exit {code}: {err}");
        serde_json::from_str(&out).unwrap()
    }

    /// The rule ids a run reports, sorted.
    fn rules(&self, args: &[&str]) -> Vec<String> {
        let mut rules: Vec<String> = self.json(args)["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect();
        rules.sort();
        rules
    }
}

const PRIVILEGED: &str = "apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers:
    - name: shell
      image: busybox:1.36
      securityContext:
        privileged: true
";

/// A pod that passes every default rule.
const CLEAN: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    runAsUser: 1000
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: [ALL]
";

const WITH_ENV: &str = "apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers:
    - name: shell
      image: busybox:1.36
      env:
        - name: LICENSE_KEY
          value: abc123
        - name: DB_PASSWORD
          value: hunter2
      securityContext:
        privileged: true
";

fn has(rules: &[String], id: &str) -> bool {
    rules.iter().any(|r| r == id)
}

// ---- Finding and choosing the file ----

#[test]
fn found_upward_from_the_working_directory() {
    let repo = Repo::new(&[
        (".pake-lint.yaml", "ignore: [container-privileged]\n"),
        ("k8s/apps/pod.yaml", PRIVILEGED),
    ]);
    let (_, out, err) = repo.run_in("k8s/apps", &["-f", "json", "pod.yaml"]);
    let json: serde_json::Value = serde_json::from_str(&out).expect(&err);
    assert!(
        !json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "container-privileged")
    );
}

#[test]
fn errors_name_a_file_found_upward_relative_to_the_working_directory() {
    let repo = Repo::new(&[
        (".pake-lint.yaml", "profil: production\n"),
        ("k8s/apps/pod.yaml", PRIVILEGED),
    ]);
    let (code, _, err) = repo.run_in("k8s/apps", &["pod.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("pake-lint: error: ../../.pake-lint.yaml:1:1: unknown key `profil`"),
        "{err}"
    );
}

#[test]
fn search_stops_at_the_repository_root() {
    let repo = Repo::new(&[
        (".pake-lint.yaml", "ignore: [container-privileged]\n"),
        ("nested/.git/HEAD", ""),
        ("nested/pod.yaml", PRIVILEGED),
    ]);
    let (code, _, _) = repo.run_in("nested", &["pod.yaml"]);
    assert_eq!(code, 1, "the outer configuration must not apply");
}

#[test]
fn explicit_file_and_no_config() {
    let repo = Repo::new(&[
        (".pake-lint.yaml", "ignore: [container-privileged]\n"),
        ("other.yaml", "select: [container-privileged]\n"),
        ("pod.yaml", PRIVILEGED),
    ]);
    assert_eq!(
        repo.rules(&["--config", "other.yaml", "pod.yaml"]),
        ["container-privileged"]
    );
    assert!(has(
        &repo.rules(&["--no-config", "pod.yaml"]),
        "container-privileged"
    ));
    assert!(!has(&repo.rules(&["pod.yaml"]), "container-privileged"));
}

// ---- Every key ----

#[test]
fn key_profile() {
    let repo = Repo::new(&[("pod.yaml", CLEAN)]);
    let digest = "container-image-digest-missing";
    assert!(!has(&repo.rules(&["pod.yaml"]), digest));
    repo.write(".pake-lint.yaml", "profile: production\n");
    assert!(
        has(&repo.rules(&["pod.yaml"]), digest),
        "production pins images by digest"
    );
    // The command line wins.
    assert!(!has(
        &repo.rules(&["--profile", "baseline", "pod.yaml"]),
        digest
    ));
}

#[test]
fn key_paths_relative_to_the_file() {
    let repo = Repo::new(&[
        (".pake-lint.yaml", "paths: [manifests]\n"),
        ("manifests/pod.yaml", PRIVILEGED),
        ("tools/x", ""),
    ]);
    let (code, out, _) = repo.run(&["-q"]);
    assert_eq!(code, 1);
    assert!(out.contains("manifests/pod.yaml"), "{out}");
    let (code, out, _) = repo.run_in("tools", &["-q"]);
    assert_eq!(code, 1);
    assert!(out.contains("../manifests/pod.yaml"), "{out}");
}

#[test]
fn key_exclude_adds_to_the_command_line() {
    let repo = Repo::new(&[
        (".pake-lint.yaml", "exclude: [\"legacy/**\"]\n"),
        ("k8s/legacy/pod.yaml", PRIVILEGED),
        ("k8s/vendor/pod.yaml", PRIVILEGED),
        ("k8s/app/pod.yaml", CLEAN),
    ]);
    let (code, _, _) = repo.run(&["k8s", "--exclude", "vendor"]);
    assert_eq!(code, 0);
}

#[test]
fn key_select_and_ignore() {
    let repo = Repo::new(&[
        (
            ".pake-lint.yaml",
            "select: [security]\nignore: [container-privileged, pod-seccomp-unconfined]\n",
        ),
        ("pod.yaml", PRIVILEGED),
    ]);
    let rules = repo.rules(&["pod.yaml"]);
    assert!(!has(&rules, "container-privileged"));
    assert!(!has(&rules, "pod-seccomp-unconfined"));
    assert!(has(&rules, "container-runs-as-root"));
    // `--select` replaces the file's select; `--ignore` adds to its ignore.
    assert_eq!(
        repo.rules(&[
            "--select",
            "container-privileged,container-runs-as-root",
            "pod.yaml"
        ]),
        ["container-runs-as-root"]
    );
    assert!(
        repo.rules(&["--ignore", "container-runs-as-root", "pod.yaml"])
            .iter()
            .all(|r| r != "container-runs-as-root")
    );
}

#[test]
fn key_rules_severity_enabled_params() {
    let repo = Repo::new(&[
        (
            ".pake-lint.yaml",
            "rules:
  container-privileged:
    severity: info
  pod-seccomp-unconfined:
    enabled: false
  container-image-digest-missing:
    enabled: true
  container-secret-in-env:
    params:
      patterns: [LICENSE]
",
        ),
        ("pod.yaml", WITH_ENV),
    ]);
    let json = repo.json(&["pod.yaml"]);
    let diags = json["diagnostics"].as_array().unwrap();
    let find = |id: &str| diags.iter().filter(|d| d["rule"] == id).collect::<Vec<_>>();
    assert_eq!(find("container-privileged")[0]["severity"], "info");
    assert!(find("pod-seccomp-unconfined").is_empty());
    assert_eq!(find("container-image-digest-missing").len(), 1);
    let secrets = find("container-secret-in-env");
    assert_eq!(secrets.len(), 1, "{secrets:?}");
    assert!(
        secrets[0]["message"]
            .as_str()
            .unwrap()
            .contains("LICENSE_KEY")
    );
}

#[test]
fn key_namespace_and_command_line_override() {
    let repo = Repo::new(&[
        (".pake-lint.yaml", "namespace: team-a\n"),
        ("pod.yaml", PRIVILEGED),
    ]);
    let json = repo.json(&["pod.yaml"]);
    assert_eq!(json["diagnostics"][0]["object"]["namespace"], "team-a");
    let json = repo.json(&["--namespace", "team-b", "pod.yaml"]);
    assert_eq!(json["diagnostics"][0]["object"]["namespace"], "team-b");
}

fn settings_of(text: &str) -> pake_lint::config::Settings {
    let loaded = pake_lint::config::parse(
        Path::new(".pake-lint.yaml"),
        ".pake-lint.yaml",
        text.to_string(),
    )
    .unwrap();
    let options = pake_lint::engine::Options {
        config: Some(std::sync::Arc::new(loaded)),
        ..Default::default()
    };
    pake_lint::config::Settings::resolve(&options).unwrap()
}

#[test]
fn key_kubernetes_version_is_stored() {
    let settings = settings_of("kubernetes_version: \"1.30\"\n");
    assert_eq!(settings.kubernetes_version.as_deref(), Some("1.30"));
}

#[test]
fn key_external_reaches_rules_through_the_index() {
    let settings = settings_of(
        "external:
  secrets: [shop/db-credentials]
  config_maps: [\"*/cluster-info\"]
  service_accounts: [vault-agent]
  custom_resources: [monitoring.coreos.com/ServiceMonitor]
  objects:
    - {kind: Service, namespace: vault, name: vault}
",
    );
    let index = pake_lint::model::Index::build(Vec::new(), &Default::default())
        .with_external(settings.external.clone());
    let cx = pake_lint::rules::Cx::new(&index, "test");
    let e = cx.external();
    assert!(e.has("Secret", Some("shop"), "db-credentials"));
    assert!(!e.has("Secret", Some("other"), "db-credentials"));
    assert!(e.has("ConfigMap", Some("any"), "cluster-info"));
    assert!(e.has("ServiceAccount", Some("x"), "vault-agent"));
    assert!(e.has_custom_resource("monitoring.coreos.com", "ServiceMonitor"));
    assert!(e.has("Service", Some("vault"), "vault"));
}

#[test]
fn key_ignores_matchers() {
    let two = format!(
        "{PRIVILEGED}---\n{}",
        PRIVILEGED.replace("name: debug", "name: other")
    );
    let count = |config: &str| {
        let repo = Repo::new(&[(".pake-lint.yaml", config), ("k8s/pods.yaml", &two)]);
        repo.rules(&["--select", "container-privileged", "k8s"])
            .len()
    };
    assert_eq!(count("{}\n"), 2);
    let entry = |m: &str| format!("ignores:\n  - {m}\n    reason: accepted\n");
    assert_eq!(count(&entry("rule: container-privileged")), 0);
    assert_eq!(count(&entry("rule: [container-runs-as-root]")), 2);
    assert_eq!(count(&entry("kind: Pod")), 0);
    assert_eq!(count(&entry("kind: Deployment")), 2);
    assert_eq!(count(&entry("namespace: default")), 0);
    assert_eq!(count(&entry("namespace: \"prod-*\"")), 2);
    assert_eq!(count(&entry("name: \"deb*\"")), 1);
    assert_eq!(count(&entry("path: \"k8s/*.yaml\"")), 0);
    assert_eq!(count(&entry("path: \"charts/**\"")), 2);
    assert_eq!(
        count(&entry("rule: container-privileged\n    name: other")),
        1,
        "matchers combine"
    );
}

#[test]
fn ignores_path_globs_are_relative_to_the_configuration() {
    let repo = Repo::new(&[
        (
            ".pake-lint.yaml",
            "ignores:\n  - path: \"k8s/legacy/**\"\n    reason: scheduled for removal\n",
        ),
        ("k8s/legacy/pod.yaml", PRIVILEGED),
        ("k8s/app/pod.yaml", CLEAN),
    ]);
    let (code, out, err) = repo.run_in("k8s/app", &["-q", "../legacy", "."]);
    assert_eq!(code, 0, "{out}{err}");
}

// ---- Errors, with their position, before any manifest is read ----

fn error_of(config: &str) -> String {
    let repo = Repo::new(&[(".pake-lint.yaml", config)]);
    // The path does not exist: a configuration error must be reported first.
    let (code, out, err) = repo.run(&["missing.yaml"]);
    assert_eq!(code, 2, "{out}{err}");
    err.trim().to_string()
}

#[test]
fn error_unknown_key() {
    assert_eq!(
        error_of("profile: baseline\nexlude: [x]\n"),
        "pake-lint: error: .pake-lint.yaml:2:1: unknown key `exlude`; expected one of `profile`, `paths`, `exclude`, `select`, `ignore`, `rules`, `namespace`, `kubernetes_version`, `ignores`, `external` (did you mean `exclude`?)"
    );
    assert_eq!(
        error_of("rules:\n  container-privileged:\n    enable: false\n"),
        "pake-lint: error: .pake-lint.yaml:3:5: rules.container-privileged: unknown key `enable`; expected one of `severity`, `enabled`, `params` (did you mean `enabled`?)"
    );
    assert!(
        error_of("external:\n  secret: [a]\n")
            .contains(".pake-lint.yaml:2:3: external: unknown key `secret`")
    );
}

#[test]
fn error_wrong_type() {
    assert_eq!(
        error_of("select: container-privileged\n"),
        "pake-lint: error: .pake-lint.yaml:1:9: select: invalid type: string \"container-privileged\", expected a sequence"
    );
    assert!(error_of("kubernetes_version: 1.30\n").contains(".pake-lint.yaml:1:21: kubernetes_version: invalid type: floating point `1.3`, expected a string: quote it"));
    assert!(error_of("rules:\n  container-privileged:\n    severity: eror\n").contains(".pake-lint.yaml:3:15: rules.container-privileged.severity: unknown variant `eror`, expected one of `info`, `warning`, `error` (did you mean `error`?)"));
    assert!(
        error_of("[1, 2]\n").contains(".pake-lint.yaml:1:1: the configuration must be a mapping")
    );
    assert!(
        error_of("ignores:\n  - rule: container-privileged\n")
            .contains(".pake-lint.yaml:2:5: ignores[0]: missing key `reason`")
    );
}

#[test]
fn error_unknown_rule() {
    assert_eq!(
        error_of("rules:\n  container-privilegd:\n    severity: info\n"),
        "pake-lint: error: .pake-lint.yaml:2:3: unknown rule `container-privilegd` (did you mean `container-privileged`?)"
    );
    assert!(error_of("ignore: [pod-host-pth]\n").contains(".pake-lint.yaml:1:10: unknown rule or category `pod-host-pth` (did you mean `pod-host-path`?)"));
    assert!(error_of("select: [securty]\n").contains("(did you mean `security`?)"));
    assert!(
        error_of("ignores:\n  - rule: [container-privileged, pod-hostpath]\n    reason: x\n")
            .contains(
                ".pake-lint.yaml:2:34: unknown rule `pod-hostpath` (did you mean `pod-host-path`?)"
            )
    );
}

#[test]
fn error_invalid_parameter() {
    assert_eq!(
        error_of("rules:\n  container-secret-in-env:\n    params:\n      patern: [X]\n"),
        "pake-lint: error: .pake-lint.yaml:4:7: rules.container-secret-in-env.params: unknown key `patern`; expected one of `patterns`, `safe_suffixes` (did you mean `patterns`?)"
    );
    assert!(error_of("rules:\n  container-secret-in-env:\n    params:\n      patterns: 3\n").contains(".pake-lint.yaml:4:17: rules.container-secret-in-env.params.patterns: invalid type: integer `3`, expected a sequence"));
    assert!(
        error_of("rules:\n  container-privileged:\n    params: {x: 1}\n")
            .contains(".pake-lint.yaml:3:14: rules.container-privileged.params: unknown key `x`")
    );
}

#[test]
fn error_bad_glob_and_date() {
    assert_eq!(
        error_of("exclude: [\"ok\", \"a/[b\"]\n"),
        "pake-lint: error: .pake-lint.yaml:1:17: invalid glob `a/[b`: unclosed character class; missing ']'"
    );
    assert!(
        error_of("ignores:\n  - name: \"web-[\"\n    reason: x\n")
            .contains(".pake-lint.yaml:2:11: invalid glob `web-[`")
    );
    assert!(
        error_of("ignores:\n  - kind: Pod\n    reason: x\n    expires: 31/01/2027\n")
            .contains(".pake-lint.yaml:4:14: `31/01/2027` is not a date: write `YYYY-MM-DD`")
    );
    assert!(
        error_of("ignores:\n  - reason: everything\n")
            .contains("an ignore entry needs at least one of")
    );
}

#[test]
fn error_unknown_profile() {
    assert_eq!(
        error_of("profile: prod\n"),
        "pake-lint: error: .pake-lint.yaml:1:10: unknown profile `prod`; profiles: `baseline`, `production`, `all` (did you mean `production`?)"
    );
    let repo = Repo::new(&[("pod.yaml", CLEAN)]);
    let (code, _, err) = repo.run(&["--profile", "al", "pod.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown profile `al`"), "{err}");
}

#[test]
fn error_yaml_syntax_in_the_file() {
    assert!(error_of("rules: [\n").starts_with("pake-lint: error: .pake-lint.yaml:"));
    assert!(error_of("a: 1\na: 2\n").contains(".pake-lint.yaml:2:1"));
}

// ---- Profiles ----

#[test]
fn rules_listing_shows_profiles() {
    let repo = Repo::new(&[]);
    let (_, out, _) = repo.run(&["rules", "-f", "json"]);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let profiles = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["profiles"]
            .clone()
    };
    assert_eq!(
        profiles("container-privileged"),
        serde_json::json!(["baseline", "production", "all"])
    );
    assert_eq!(
        profiles("container-image-digest-missing"),
        serde_json::json!(["production", "all"])
    );
    let (_, out, _) = repo.run(&["rules"]);
    assert!(out.lines().next().unwrap().contains("PROFILES"));
}

#[test]
fn profiles_select_rules_and_severities() {
    let repo = Repo::new(&[("pod.yaml", PRIVILEGED)]);
    let severity = |args: &[&str]| {
        let json = repo.json(args);
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == "container-runs-as-root")
            .map(|d| d["severity"].as_str().unwrap().to_string())
    };
    assert_eq!(severity(&["pod.yaml"]).as_deref(), Some("warning"));
    assert_eq!(
        severity(&["--profile", "production", "pod.yaml"]).as_deref(),
        Some("error")
    );
    assert!(has(
        &repo.rules(&["--profile", "all", "pod.yaml"]),
        "container-image-digest-missing"
    ));
}

#[test]
fn profile_table_names_registered_rules() {
    for rule in pake_lint::config::profiles::PRODUCTION {
        assert!(
            pake_lint::rules::find_meta(rule.id).is_some(),
            "profile `production` names unknown rule `{}`",
            rule.id
        );
        if let Some(params) = rule.params {
            let entry = pake_lint::rules::registry()
                .into_iter()
                .find(|e| e.meta.id == rule.id)
                .unwrap();
            (entry.build)(Some(&serde_json::from_str(params).unwrap())).unwrap();
        }
    }
}

// ---- Suppressions ----

#[test]
fn comment_on_the_line_and_above_it() {
    let trailing = PRIVILEGED.replace(
        "privileged: true",
        "privileged: true # pake-lint: ignore[container-privileged] -- debugging pod",
    );
    let above = PRIVILEGED.replace(
        "        privileged: true",
        "        # pake-lint: ignore[container-privileged] -- debugging pod\n\n        privileged: true",
    );
    let two_lines_above = PRIVILEGED.replace(
        "      securityContext:",
        "      # pake-lint: ignore[container-privileged] -- too far: applies to the next line only\n      securityContext:",
    );
    for (text, suppressed) in [(trailing, true), (above, true), (two_lines_above, false)] {
        let repo = Repo::new(&[("pod.yaml", &text)]);
        let rules = repo.rules(&["--select", "container-privileged", "pod.yaml"]);
        assert_eq!(rules.is_empty(), suppressed, "{text}");
    }
}

#[test]
fn comment_for_a_document_and_a_file() {
    let other = PRIVILEGED.replace("name: debug", "name: other");
    let doc = format!(
        "---\n# pake-lint: ignore-document[container-privileged] -- first pod only\n{PRIVILEGED}---\n{other}"
    );
    let repo = Repo::new(&[("pods.yaml", &doc)]);
    let json = repo.json(&["--select", "container-privileged", "pods.yaml"]);
    let diags = json["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["object"]["name"], "other");
    assert_eq!(json["summary"]["suppressed"], 1);

    let file = format!(
        "{PRIVILEGED}---\n{other}# pake-lint: ignore-file[container-privileged] -- a debugging bundle\n"
    );
    let repo = Repo::new(&[("pods.yaml", &file)]);
    assert!(
        repo.rules(&["--select", "container-privileged", "pods.yaml"])
            .is_empty()
    );
}

#[test]
fn annotation_survives_kustomize_where_comments_do_not() {
    let run = |path: &str| {
        let (_, json) = pake_lint_json(&[
            "--select",
            "security",
            "--ignore",
            "container-image-digest-missing",
            path,
        ]);
        let mut rules: Vec<String> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect();
        rules.sort();
        rules
    };
    // The source: both suppressions apply.
    assert!(run("fixtures/config/kustomize/base/debug.yaml").is_empty());
    // Rendered by `kubectl kustomize` (committed; regenerated below when kubectl is there):
    // the annotation still suppresses, the comment is gone so its finding comes back.
    assert_eq!(
        run("fixtures/config/kustomize/rendered.yaml"),
        ["container-root-filesystem-writable"]
    );
    if let Ok(out) = std::process::Command::new("kubectl")
        .args(["kustomize", "fixtures/config/kustomize/base"])
        .output()
        && out.status.success()
    {
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            std::fs::read_to_string("fixtures/config/kustomize/rendered.yaml").unwrap(),
            "regenerate fixtures/config/kustomize/rendered.yaml with `kubectl kustomize`"
        );
    }
}

fn pake_lint_json(args: &[&str]) -> (i32, serde_json::Value) {
    let out = Command::cargo_bin("pake-lint")
        .unwrap()
        .args(["-f", "json", "--no-config"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

#[test]
fn expired_ignore_stops_suppressing_and_is_reported() {
    let repo = Repo::new(&[
        (
            ".pake-lint.yaml",
            "ignores:
  - rule: container-privileged
    reason: debugging pod until the incident review
    expires: 2020-01-31
  - rule: container-runs-as-root
    reason: legacy image
    expires: 2999-12-31
",
        ),
        ("pod.yaml", PRIVILEGED),
    ]);
    let json = repo.json(&[
        "--select",
        "container-privileged,container-runs-as-root",
        "pod.yaml",
    ]);
    let diags = json["diagnostics"].as_array().unwrap();
    let rules: Vec<&str> = diags.iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["container-privileged", "suppression-expired"]);
    let expired = &diags[1];
    assert_eq!(expired["file"], ".pake-lint.yaml");
    assert_eq!(expired["line"], 4);
    assert_eq!(json["summary"]["suppressed"], 1);
}

#[test]
fn unknown_and_unused_suppressions() {
    let text = PRIVILEGED
        .replace(
            "privileged: true",
            "privileged: true # pake-lint: ignore[container-privileged, container-privilegd] -- x",
        )
        .replace(
            "image: busybox:1.36",
            "image: busybox:1.36 # pake-lint: ignore[container-privilege-escalation] -- wrong line",
        );
    let repo = Repo::new(&[
        (
            ".pake-lint.yaml",
            "ignores:\n  - kind: Deployment\n    rule: container-privileged\n    reason: nothing matches\n",
        ),
        ("pod.yaml", &text),
    ]);
    let args = [
        "--select",
        "container-privileged,container-privilege-escalation",
        "pod.yaml",
    ];
    let rules = repo.rules(&args);
    assert_eq!(
        rules,
        ["container-privilege-escalation", "suppression-unknown-rule"]
    );
    let mut with_unused = vec!["--report-unused-suppressions"];
    with_unused.extend(args);
    let json = repo.json(&with_unused);
    let unused: Vec<(String, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "suppression-unused")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    // The privilege-escalation finding is on `securityContext:` (line 9), not on the line the
    // comment names (8); the configuration entry matches no Deployment.
    assert_eq!(
        unused,
        [
            ("pod.yaml".to_string(), 8),
            (".pake-lint.yaml".to_string(), 4)
        ]
    );
}

// ---- Baselines ----

#[test]
fn baseline_write_read_and_stale_entries() {
    let two = format!(
        "{PRIVILEGED}---\n{}",
        PRIVILEGED.replace("name: debug", "name: other")
    );
    let repo = Repo::new(&[("pods.yaml", &two)]);
    let select = "container-privileged,container-runs-as-root";
    let (code, _, err) = repo.run(&[
        "--select",
        select,
        "--write-baseline",
        "baseline.json",
        "pods.yaml",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("wrote 4 findings to the baseline baseline.json"),
        "{err}"
    );
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(written["version"], 1);
    assert_eq!(
        written["findings"][0],
        serde_json::json!({"rule": "container-privileged", "kind": "Pod", "namespace": "default",
            "name": "debug", "path": "spec.containers[shell].securityContext.privileged"})
    );

    // Read back: nothing new.
    let (code, out, _) = repo.run(&[
        "--select",
        select,
        "--baseline",
        "baseline.json",
        "pods.yaml",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("4 in the baseline, 0 stale baseline entries"),
        "{out}"
    );

    // An edit elsewhere in the file moves every line: the baseline still matches.
    let edited = format!(
        "# owned by the platform team\n\n{}",
        two.replace(
            "  name: debug\n",
            "  name: debug\n  labels:\n    app: debug\n"
        )
    );
    repo.write("pods.yaml", &edited);
    let json = repo.json(&[
        "--select",
        select,
        "--baseline",
        "baseline.json",
        "pods.yaml",
    ]);
    assert!(json["diagnostics"].as_array().unwrap().is_empty(), "{json}");
    assert_eq!(json["summary"]["baseline"]["matched"], 4);

    // Fix one pod, break it differently: the fix leaves stale entries, the new finding shows.
    let fixed = edited.replacen("privileged: true", "privileged: false", 1);
    let fixed = fixed.replacen(
        "      securityContext:\n        privileged: false",
        "      securityContext:\n        privileged: false\n        runAsNonRoot: true\n        runAsUser: 1000",
        1,
    );
    repo.write("pods.yaml", &fixed);
    let json = repo.json(&[
        "--select",
        select,
        "--baseline",
        "baseline.json",
        "pods.yaml",
    ]);
    assert!(json["diagnostics"].as_array().unwrap().is_empty(), "{json}");
    let summary = &json["summary"]["baseline"];
    assert_eq!(summary["stale"], 2, "{summary}");
    assert_eq!(summary["stale_entries"][0]["name"], "debug");
    let (_, out, _) = repo.run(&[
        "--select",
        select,
        "--baseline",
        "baseline.json",
        "pods.yaml",
    ]);
    assert!(out.contains("2 stale baseline entries"), "{out}");

    // A new finding is reported.
    repo.write(
        "pods.yaml",
        &format!(
            "{fixed}---\n{}",
            PRIVILEGED.replace("name: debug", "name: new")
        ),
    );
    let json = repo.json(&[
        "--select",
        select,
        "--baseline",
        "baseline.json",
        "pods.yaml",
    ]);
    let names: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["object"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["new", "new"]);
}

#[test]
fn baseline_errors_exit_2() {
    let repo = Repo::new(&[("pod.yaml", PRIVILEGED), ("bad.json", "{\"findings\": 3}")]);
    let (code, _, err) = repo.run(&["--baseline", "missing.json", "pod.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.json"), "{err}");
    let (code, _, err) = repo.run(&["--baseline", "bad.json", "pod.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.json:1:"), "{err}");
}

#[test]
fn external_objects_are_not_reported_missing() {
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: shop
spec:
  serviceAccountName: vault-agent
  containers:
    - name: app
      image: app:1.0
      envFrom:
        - configMapRef:
            name: cluster-info
";
    let repo = Repo::new(&[("pod.yaml", pod)]);
    let select = [
        "--select",
        "env-reference-missing,service-account-missing",
        "pod.yaml",
    ];
    assert_eq!(
        repo.rules(&select),
        ["env-reference-missing", "service-account-missing"]
    );
    repo.write(
        ".pake-lint.yaml",
        "external:\n  config_maps: [\"*/cluster-info\"]\n  service_accounts: [shop/vault-agent]\n",
    );
    assert!(repo.rules(&select).is_empty());
}

/// The README's complete example is a valid configuration.
#[test]
fn the_documented_example_is_valid() {
    let path = Path::new("fixtures/config/example.pake-lint.yaml");
    let loaded = pake_lint::config::load(path, "example.pake-lint.yaml").unwrap();
    let options = pake_lint::engine::Options {
        config: Some(std::sync::Arc::new(loaded)),
        ..Default::default()
    };
    let settings = pake_lint::config::Settings::resolve(&options).unwrap();
    assert_eq!(settings.profile.name, "production");
    assert_eq!(settings.ignores.len(), 2);
    assert!(
        settings
            .external
            .has("Secret", Some("pake-system"), "pake-secrets")
    );
    assert_eq!(settings.paths, ["fixtures/config/k8s"]);
}
