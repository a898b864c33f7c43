//! The parameters of the security-context rules: each one is accepted, changes what the rule
//! reports, and unknown or ill-typed parameters are refused. (The fixture harness runs rules
//! with their defaults; configuration files come in a later issue.)

mod common;

fn check(id: &str, params: serde_json::Value, yaml: &str) -> Vec<(usize, String)> {
    common::check_with_params(id, params, yaml)
}

fn refused(id: &str, params: serde_json::Value) -> bool {
    common::params_refused(id, params)
}

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:stable
      securityContext:
        capabilities:
          add: [CHOWN, SYS_ADMIN]
  volumes:
    - name: secrets
      hostPath:
        path: /opt/secrets/db
";

#[test]
fn dangerous_capabilities_are_configurable() {
    let found = check(
        "container-capabilities-dangerous",
        serde_json::json!({"dangerous": ["cap_chown"]}),
        POD,
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("`CHOWN`"), "{found:?}");
    assert!(refused(
        "container-capabilities-dangerous",
        serde_json::json!({"danger": []})
    ));
}

#[test]
fn extra_sensitive_host_paths() {
    let plain = check("pod-host-path", serde_json::json!({}), POD);
    assert!(!plain[0].1.contains("sensitive"), "{plain:?}");
    let extra = check(
        "pod-host-path",
        serde_json::json!({"sensitive_paths": ["/opt/secrets"]}),
        POD,
    );
    assert!(extra[0].1.contains("sensitive"), "{extra:?}");
}

#[test]
fn mutable_tags_are_configurable() {
    assert!(check("container-image-tag-mutable", serde_json::json!({}), POD).is_empty());
    let found = check(
        "container-image-tag-mutable",
        serde_json::json!({"mutable_tags": ["latest", "stable"]}),
        POD,
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 8);
}

#[test]
fn minimum_pod_security_level() {
    let ns = "apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline
";
    assert!(check("namespace-pod-security-missing", serde_json::json!({}), ns).is_empty());
    let found = check(
        "namespace-pod-security-missing",
        serde_json::json!({"minimum_level": "restricted"}),
        ns,
    );
    assert_eq!(found.len(), 1);
    assert!(found[0].1.contains("below the required `restricted`"));
    assert!(refused(
        "namespace-pod-security-missing",
        serde_json::json!({"minimum_level": "strict"})
    ));
}

#[test]
fn secret_patterns_are_configurable() {
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: shop:1.0.0
      env:
        - name: SENTRY_DSN
          value: https://key@sentry.example.com/1
        - name: DB_PASSWORD
          value: hunter2
";
    let default = check("container-secret-in-env", serde_json::json!({}), pod);
    assert_eq!(default.len(), 1);
    assert_eq!(default[0].0, 13);
    let dsn = check(
        "container-secret-in-env",
        serde_json::json!({"patterns": ["DSN"]}),
        pod,
    );
    assert_eq!(dsn.len(), 1);
    assert_eq!(dsn[0].0, 11);
}
