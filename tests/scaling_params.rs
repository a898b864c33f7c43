//! The parameters of the scaling, disruption-budget and network-policy rules: each one is
//! accepted and changes what the rule reports, and unknown parameters are refused. (The fixture
//! harness runs rules with their defaults; configuration files come in a later issue.)

mod common;

use serde_json::json;

fn check(id: &str, params: serde_json::Value, yaml: &str) -> Vec<(usize, String)> {
    common::check_with_params(id, params, yaml)
}

fn refused(id: &str, params: serde_json::Value) -> bool {
    common::params_refused(id, params)
}

const HPA: &str = "apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 20
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 95}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
";

#[test]
fn hpa_parameters_move_the_thresholds() {
    assert!(check("hpa-min-replicas-low", json!({}), HPA).is_empty());
    assert_eq!(
        check("hpa-min-replicas-low", json!({"min_replicas": 3}), HPA).len(),
        1
    );
    assert!(check("hpa-bounds-invalid", json!({}), HPA).is_empty());
    assert_eq!(
        check(
            "hpa-bounds-invalid",
            json!({"max_replicas_ceiling": 10}),
            HPA
        ),
        vec![(
            8,
            "`maxReplicas` is `20`, above the ceiling of `10`".to_string()
        )]
    );
    assert!(check("hpa-utilization-out-of-range", json!({}), HPA).is_empty());
    assert_eq!(
        check(
            "hpa-utilization-out-of-range",
            json!({"min": 50, "max": 90}),
            HPA
        )
        .len(),
        1
    );
    assert!(check("hpa-scale-down-unstabilized", json!({}), HPA).is_empty());
    assert_eq!(
        check(
            "hpa-scale-down-unstabilized",
            json!({"min_seconds": 600}),
            HPA
        )
        .len(),
        1
    );
}

const WORKLOAD: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
    - ports: [{port: 80}]
";

#[test]
fn pdb_and_network_policy_parameters() {
    assert_eq!(check("workload-pdb-missing", json!({}), WORKLOAD).len(), 1);
    assert!(check("workload-pdb-missing", json!({"min_replicas": 3}), WORKLOAD).is_empty());
    assert!(check("namespace-default-deny-missing", json!({}), WORKLOAD).is_empty());
    assert_eq!(
        check("namespace-default-deny-missing", json!({"egress": true}), WORKLOAD),
        vec![(
            4,
            "namespace `default` of Deployment `web` has no NetworkPolicy denying egress to all its pods by default".to_string()
        )]
    );
    assert!(check("workload-network-policy-missing", json!({}), WORKLOAD).is_empty());
    assert_eq!(
        check(
            "workload-network-policy-missing",
            json!({"policy_types": ["Ingress", "Egress"]}),
            WORKLOAD
        )
        .len(),
        1
    );
    assert!(check("network-policy-allows-all", json!({}), WORKLOAD).is_empty());
    assert_eq!(
        check(
            "network-policy-allows-all",
            json!({"ignore_port_restricted": false}),
            WORKLOAD
        )
        .len(),
        1
    );
}

#[test]
fn quota_counts_vpa_maximum_on_request() {
    // The seed's production overlay: its quota holds the HPAs' maximum at the written requests
    // but not at what the backend's VPA in Auto mode may raise them to (2 CPU, 4Gi per pod).
    let yaml = std::fs::read_to_string("fixtures/pake/rendered/production.yaml").unwrap();
    assert!(check("hpa-quota-exceeded", serde_json::json!({}), &yaml).is_empty());
    let found = check(
        "hpa-quota-exceeded",
        serde_json::json!({"vpa_max_allowed": true}),
        &yaml,
    );
    let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "cpu requests reach `23050m` at HPA maximum scale, above `requests.cpu: 12`",
            "memory requests reach `47744Mi` at HPA maximum scale, above `requests.memory: 24Gi`",
        ]
    );
}

#[test]
fn unknown_parameters_are_refused() {
    for id in [
        "hpa-min-replicas-low",
        "hpa-bounds-invalid",
        "hpa-quota-exceeded",
        "namespace-default-deny-missing",
        "pdb-overlap",
        "workload-network-policy-missing",
    ] {
        assert!(refused(id, json!({"no_such_parameter": 1})), "{id}");
    }
    assert!(refused(
        "workload-network-policy-missing",
        json!({"policy_types": ["Sideways"]})
    ));
}
