//! `.pake-lint.yaml` as written: serde structs that refuse unknown keys. Nothing here is
//! validated beyond shape; [`super::settings`] resolves and checks the values, naming the key
//! and its line when one is wrong.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostic::Severity;

/// The whole file. Every key is optional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileOptions {
    /// The profile: `baseline` (the default), `production` or `all`. `--profile` overrides it.
    #[serde(default)]
    pub profile: Option<String>,
    /// What to lint when no path is given on the command line, relative to the file's folder.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Globs of files and folders skipped in folder walks; `--exclude` adds to them.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Rules or categories to run instead of the profile's (`all` for every rule). `--select`
    /// replaces it.
    #[serde(default)]
    pub select: Option<Vec<String>>,
    /// Rules or categories not to run; `--ignore` adds to them.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Per-rule severity, on/off switch and parameters, by rule id.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleOptions>,
    /// The namespace of objects that declare none; `--namespace` overrides it.
    #[serde(default)]
    pub namespace: Option<String>,
    /// The Kubernetes version the manifests target, `"1.30"` (quoted: YAML reads `1.30` as the
    /// number 1.3). Stored for the rules that judge API versions.
    #[serde(default)]
    pub kubernetes_version: Option<String>,
    /// Suppressions by rule, kind, namespace, name or file glob, each with a reason.
    #[serde(default)]
    pub ignores: Vec<IgnoreOptions>,
    /// Objects that exist in the cluster but not in the linted tree.
    #[serde(default)]
    pub external: External,
}

/// `rules: {<id>: {...}}`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOptions {
    /// Replaces the rule's default severity.
    #[serde(default)]
    pub severity: Option<Severity>,
    /// Turns the rule on (an opt-in rule) or off, whatever the profile says.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// The rule's parameters, as documented on its page; merged over the profile's.
    #[serde(default)]
    pub params: Option<serde_json::Value>,
}

/// One entry of `ignores`. Every matcher given must match (at least one is required).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreOptions {
    /// A rule id or a list of them (any rule when absent).
    #[serde(default)]
    pub rule: Option<OneOrMany>,
    /// The object's kind, exactly (`Deployment`).
    #[serde(default)]
    pub kind: Option<String>,
    /// A glob over the object's namespace.
    #[serde(default)]
    pub namespace: Option<String>,
    /// A glob over the object's name.
    #[serde(default)]
    pub name: Option<String>,
    /// A glob over the file's path as printed (`charts/**`).
    #[serde(default)]
    pub path: Option<String>,
    /// Why the findings are acceptable. Required.
    pub reason: String,
    /// `YYYY-MM-DD`: from this day on the entry no longer suppresses and is reported.
    #[serde(default)]
    pub expires: Option<String>,
}

/// A string or a list of strings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a rule id or a list of rule ids")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![v.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMany, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(OneOrMany(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// Objects managed outside the linted tree (by another repository, an operator, or by hand),
/// so that rules checking references (a Secret an env var names, a ServiceAccount a pod uses, a
/// custom resource's definition) do not report them as missing.
///
/// Names are `namespace/name`, or `name` for that name in any namespace; `*` as either part
/// matches anything (`monitoring/*`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct External {
    pub secrets: Vec<String>,
    pub config_maps: Vec<String>,
    pub service_accounts: Vec<String>,
    /// Custom resource kinds whose CustomResourceDefinition is installed elsewhere: `group/Kind`
    /// (`monitoring.coreos.com/ServiceMonitor`) or the definition's name
    /// (`servicemonitors.monitoring.coreos.com`).
    pub custom_resources: Vec<String>,
    /// Any other object: `{kind, name, namespace}` (namespace optional, names as above).
    pub objects: Vec<ExternalObject>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalObject {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub namespace: Option<String>,
}

fn name_matches(pattern: &str, namespace: Option<&str>, name: &str) -> bool {
    let (ns_pattern, name_pattern) = match pattern.split_once('/') {
        Some((ns, n)) => (Some(ns), n),
        None => (None, pattern),
    };
    let ns_ok = match (ns_pattern, namespace) {
        (None, _) | (Some("*"), _) => true,
        (Some(p), Some(ns)) => p == ns,
        (Some(_), None) => false,
    };
    ns_ok && (name_pattern == "*" || name_pattern == name)
}

impl External {
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
            && self.config_maps.is_empty()
            && self.service_accounts.is_empty()
            && self.custom_resources.is_empty()
            && self.objects.is_empty()
    }

    /// Whether an object of `kind` named `name` in `namespace` (`None`: cluster-scoped) is
    /// declared external. Secrets, ConfigMaps and ServiceAccounts are looked up in their own
    /// lists and in `objects`.
    pub fn has(&self, kind: &str, namespace: Option<&str>, name: &str) -> bool {
        let list = match kind {
            "Secret" => &self.secrets[..],
            "ConfigMap" => &self.config_maps[..],
            "ServiceAccount" => &self.service_accounts[..],
            _ => &[],
        };
        list.iter().any(|p| name_matches(p, namespace, name))
            || self.objects.iter().any(|o| {
                o.kind == kind
                    && match &o.namespace {
                        Some(ns) => name_matches(&format!("{ns}/{}", o.name), namespace, name),
                        None => name_matches(&o.name, namespace, name),
                    }
            })
    }

    /// Whether the definition of custom kind `kind` in API group `group` is installed elsewhere.
    pub fn has_custom_resource(&self, group: &str, kind: &str) -> bool {
        self.custom_resources
            .iter()
            .any(|entry| match entry.split_once('/') {
                Some((g, k)) => g == group && k == kind,
                // A definition's name is `<plural>.<group>`; the plural is not the kind, so match
                // the group and the lowercased kind as a prefix (`servicemonitors` / `ServiceMonitor`).
                None => entry.split_once('.').is_some_and(|(plural, g)| {
                    g == group && plural.starts_with(&kind.to_ascii_lowercase())
                }),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_names() {
        let e = External {
            secrets: vec!["pake-system/db".into(), "tls".into(), "monitoring/*".into()],
            custom_resources: vec![
                "monitoring.coreos.com/ServiceMonitor".into(),
                "prometheusrules.monitoring.coreos.com".into(),
            ],
            objects: vec![ExternalObject {
                kind: "Service".into(),
                name: "vault".into(),
                namespace: Some("vault".into()),
            }],
            ..External::default()
        };
        assert!(e.has("Secret", Some("pake-system"), "db"));
        assert!(!e.has("Secret", Some("other"), "db"));
        assert!(e.has("Secret", Some("any"), "tls"));
        assert!(e.has("Secret", Some("monitoring"), "x"));
        assert!(!e.has("ConfigMap", Some("pake-system"), "db"));
        assert!(e.has("Service", Some("vault"), "vault"));
        assert!(!e.has("Service", Some("default"), "vault"));
        assert!(e.has_custom_resource("monitoring.coreos.com", "ServiceMonitor"));
        assert!(e.has_custom_resource("monitoring.coreos.com", "PrometheusRule"));
        assert!(!e.has_custom_resource("example.com", "PrometheusRule"));
    }
}
