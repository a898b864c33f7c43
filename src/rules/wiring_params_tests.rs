//! Tests of the wiring rules' parameters, which fixtures cannot exercise until the
//! configuration file exists: each builds the rule with parameters and lints a string.

use crate::diagnostic::FileId;
use crate::load::{self, Limits, SourceFile};
use crate::model::Index;
use crate::model::index::IndexOptions;
use crate::rules::{Cx, Rule, RuleMeta};

/// The messages `rule` reports over `yaml`.
fn lint(meta: &RuleMeta, rule: &dyn Rule, yaml: &str) -> Vec<String> {
    let source = SourceFile::in_memory("test.yaml", yaml);
    let arena = load::Bump::new();
    let parsed = load::parse_file(FileId(0), &source, &arena, Limits::default());
    let index = Index::build(
        parsed.objects,
        &IndexOptions {
            default_namespace: "default".into(),
            ..IndexOptions::default()
        },
    );
    let mut cx = Cx::new(&index, meta.id);
    for object in index.objects() {
        if meta.kinds.contains(&object.kind) || meta.kinds.contains(&"*") {
            rule.check(object, &mut cx);
        }
    }
    rule.check_input(&mut cx);
    cx.into_diagnostics()
        .into_iter()
        .map(|d| d.message.into())
        .collect()
}

fn build<R: Rule + serde::de::DeserializeOwned>(params: serde_json::Value) -> R {
    serde_json::from_value(params).expect("valid parameters")
}

const POD_WITH_REFERENCES: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  serviceAccountName: web
  containers:
    - name: web
      image: nginx:1.27
      env:
        - name: PASSWORD
          valueFrom:
            secretKeyRef:
              name: db
              key: password
        - name: TOKEN
          valueFrom:
            secretKeyRef:
              name: api
              key: token
      envFrom:
        - configMapRef:
            name: platform-config
---
apiVersion: v1
kind: Secret
metadata:
  name: api
  namespace: shop
stringData:
  key: x
"#;

#[test]
fn env_reference_secrets_are_opt_in() {
    use super::env_reference_missing::EnvReferenceMissing as R;
    let off: R = build(serde_json::json!({}));
    let found = lint(&R::META, &off, POD_WITH_REFERENCES);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("ConfigMap `platform-config`"));

    let on: R = build(serde_json::json!({
        "check_secrets": true,
        "external": ["shop/platform-config"],
    }));
    let found = lint(&R::META, &on, POD_WITH_REFERENCES);
    assert_eq!(
        found,
        [
            "Secret `db` of variable `PASSWORD` of container `web` is not in the input (namespace `shop`)",
            "key `token` of variable `TOKEN` of container `web` is not in Secret `api`",
        ]
    );
}

#[test]
fn service_account_external_names() {
    use super::service_account_missing::ServiceAccountMissing as R;
    let plain: R = build(serde_json::json!({}));
    assert_eq!(lint(&R::META, &plain, POD_WITH_REFERENCES).len(), 1);
    let listed: R = build(serde_json::json!({"external": ["web"]}));
    assert!(lint(&R::META, &listed, POD_WITH_REFERENCES).is_empty());
    let other_namespace: R = build(serde_json::json!({"external": ["tools/web"]}));
    assert_eq!(
        lint(&R::META, &other_namespace, POD_WITH_REFERENCES).len(),
        1
    );
}

#[test]
fn ingress_tls_secret_external_list() {
    use super::ingress_tls_secret_missing::IngressTlsSecretMissing as R;
    let yaml = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  tls:
    - hosts: [web.example.com]
      secretName: wildcard-tls
"#;
    let plain: R = build(serde_json::json!({}));
    assert_eq!(lint(&R::META, &plain, yaml).len(), 1);
    let listed: R = build(serde_json::json!({"external_secrets": ["shop/wildcard-tls"]}));
    assert!(lint(&R::META, &listed, yaml).is_empty());
}

#[test]
fn ingress_backend_and_service_external_lists() {
    let yaml = r#"
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  tls:
    - secretName: web-tls
  defaultBackend:
    service:
      name: web
      port:
        number: 80
---
apiVersion: v1
kind: Service
metadata:
  name: prometheus-operated
  namespace: shop
spec:
  selector:
    app.kubernetes.io/name: prometheus
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  serviceName: db-headless
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
        - name: db
          image: postgres:16
"#;
    {
        use super::ingress_backend_missing::IngressBackendMissing as R;
        let plain: R = build(serde_json::json!({}));
        assert_eq!(lint(&R::META, &plain, yaml).len(), 1);
        let listed: R = build(serde_json::json!({"external": ["web"]}));
        assert!(lint(&R::META, &listed, yaml).is_empty());
    }
    {
        use super::service_selects_nothing::ServiceSelectsNothing as R;
        let plain: R = build(serde_json::json!({}));
        assert_eq!(lint(&R::META, &plain, yaml).len(), 1);
        let listed: R = build(serde_json::json!({"external": ["shop/prometheus-operated"]}));
        assert!(lint(&R::META, &listed, yaml).is_empty());
    }
    {
        use super::statefulset_service_missing::StatefulsetServiceMissing as R;
        let plain: R = build(serde_json::json!({}));
        assert_eq!(lint(&R::META, &plain, yaml).len(), 1);
        let listed: R = build(serde_json::json!({"external": ["db-headless"]}));
        assert!(lint(&R::META, &listed, yaml).is_empty());
    }
    {
        use super::ingress_tls_missing::IngressTlsMissing as R;
        let plain: R = build(serde_json::json!({}));
        assert!(lint(&R::META, &plain, yaml).is_empty());
    }
}

#[test]
fn unknown_parameters_are_refused() {
    let registry = crate::rules::registry();
    let entry = registry
        .iter()
        .find(|e| e.meta.id == "env-reference-missing")
        .unwrap();
    assert!((entry.build)(Some(&serde_json::json!({"check_secret": true}))).is_err());
}
