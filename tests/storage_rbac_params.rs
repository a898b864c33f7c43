//! The parameters of the storage and RBAC rules, which fixtures cannot set until the
//! configuration file exists: each rule is built from its parameters as the registry does and
//! run over a small input.

mod common;

fn run(rule: &str, params: serde_json::Value, yaml: &str) -> Vec<String> {
    common::check_with_params(rule, params, yaml)
        .into_iter()
        .map(|(_, m)| m)
        .collect()
}

const UNUSED_DELETE_CLASS: &str = "
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: postgres-data
provisioner: ebs.csi.aws.com
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: scratch
provisioner: ebs.csi.aws.com
reclaimPolicy: Delete
";

#[test]
fn reclaim_delete_reports_critical_and_all_classes() {
    let rule = "storage-class-reclaim-delete";
    assert!(run(rule, serde_json::json!({}), UNUSED_DELETE_CLASS).is_empty());
    let critical = run(
        rule,
        serde_json::json!({"critical_classes": ["postgres-data"]}),
        UNUSED_DELETE_CLASS,
    );
    assert_eq!(critical.len(), 1, "{critical:?}");
    assert!(critical[0].contains("`postgres-data`"));
    let all = run(
        rule,
        serde_json::json!({"all_classes": true}),
        UNUSED_DELETE_CLASS,
    );
    assert_eq!(all.len(), 2, "{all:?}");
}

#[test]
fn unknown_parameters_are_refused() {
    let entry = pake_lint::rules::registry()
        .into_iter()
        .find(|e| e.meta.id == "storage-class-reclaim-delete")
        .unwrap();
    let error = (entry.build)(Some(&serde_json::json!({"critical": ["x"]})))
        .err()
        .expect("an unknown key is refused");
    assert!(error.to_string().contains("critical"), "{error}");
}

#[test]
fn expansion_exempt_provisioners_replace_the_default() {
    let yaml = "
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: nfs
provisioner: nfs.csi.k8s.io
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: efs
provisioner: efs.csi.aws.com
";
    let rule = "storage-class-expansion-disabled";
    let default = run(rule, serde_json::json!({}), yaml);
    assert_eq!(default.len(), 1, "{default:?}");
    assert!(default[0].contains("`nfs`"));
    let custom = run(
        rule,
        serde_json::json!({"exempt_provisioners": ["nfs.csi.k8s.io"]}),
        yaml,
    );
    assert_eq!(custom.len(), 1, "{custom:?}");
    assert!(custom[0].contains("`efs`"));
}

#[test]
fn external_roles_match_names_and_prefixes() {
    let yaml = "
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: a
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: platform-reader
subjects:
  - kind: Group
    name: devs
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: b
  namespace: team-a
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: eks:podsecuritypolicy:privileged
subjects:
  - kind: Group
    name: devs
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: c
  namespace: team-a
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: team-reader
subjects:
  - kind: Group
    name: devs
";
    let rule = "role-binding-role-missing";
    assert_eq!(run(rule, serde_json::json!({}), yaml).len(), 3);
    let left = run(
        rule,
        serde_json::json!({"external_roles": ["platform-reader", "eks:*"]}),
        yaml,
    );
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].contains("`team-reader`"));
}
