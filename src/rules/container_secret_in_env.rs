//! `container-secret-in-env`: a credential is written in a container's environment.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::PodTemplate;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports an `env` entry of a container (init and ephemeral containers included) whose
    /// name looks like a credential and whose value is a literal `value` instead of
    /// `valueFrom` (a `secretKeyRef`). The finding points at the value; the message never
    /// repeats it.
    ///
    /// Names are matched on segments, not substrings: the name is split at `_`, `-`, `.` and
    /// camelCase boundaries (`dbPassword` is `DB PASSWORD`), and a pattern matches a run of
    /// whole segments, so `PASSWORD` matches `DB_PASSWORD` but not `PASSWORDLESS`, and
    /// `API_KEY` matches `STRIPE_API_KEY`. To avoid the usual false positives:
    ///
    /// - a match followed by a segment that describes the credential rather than holding it
    ///   is not reported: `TOKEN_TTL_SECONDS`, `PASSWORD_MIN_LENGTH`, `SECRET_NAME`,
    ///   `PASSWORD_FILE`, `TOKEN_URL`, `ACCESS_KEY_ID` (see `safe_suffixes`);
    /// - values that cannot be credentials are not reported: empty, booleans (`"true"`,
    ///   `"off"`), numbers, absolute paths (`/run/secrets/db`), and values made only of
    ///   references (`$(OTHER_VAR)`, which Kubernetes expands, or unrendered `${VAR}` and
    ///   `{{ ... }}` templates).
    ///
    /// ## Why it matters
    ///
    /// A literal value is stored in the manifest, so in git, in CI logs and in every rendered
    /// copy, and anyone who can read the Deployment can read it (`get` on Deployments is
    /// granted far more widely than on Secrets). The seed's checklist lists secret management
    /// with an external secret operator: credentials belong in Secrets, referenced with
    /// `valueFrom.secretKeyRef`. Default severity: warning (name matching cannot be certain;
    /// kube-linter's `env-var-secret` is likewise a heuristic).
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: shop:1.4.0
    ///       env:
    ///         - name: DB_PASSWORD
    ///           value: hunter2
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: shop:1.4.0
    ///       env:
    ///         - name: DB_PASSWORD
    ///           valueFrom:
    ///             secretKeyRef:
    ///               name: shop-db
    ///               key: password
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `patterns` (list, default `PASSWORD`, `PASSWD`, `PASS`, `PASSPHRASE`, `SECRET`,
    ///   `TOKEN`, `API_KEY`, `APIKEY`, `PRIVATE_KEY`, `ACCESS_KEY`, `SECRET_KEY`,
    ///   `SIGNING_KEY`, `ENCRYPTION_KEY`, `MASTER_KEY`, `CREDENTIAL`, `CREDENTIALS`, and
    ///   `PGPASSWORD`, PostgreSQL's variable written as one word): name
    ///   patterns, each a run of segments separated by `_`, matched case-insensitively.
    ///   Replaces the default list.
    /// - `safe_suffixes` (list, default `FILE`, `PATH`, `DIR`, `NAME`, `ID`, `URL`, `URI`,
    ///   `ENDPOINT`, `HOST`, `PORT`, `TTL`, `TIMEOUT`, `EXPIRY`, `EXPIRATION`, `EXPIRES`,
    ///   `LIFETIME`, `INTERVAL`, `DURATION`, `SECONDS`, `MINUTES`, `HOURS`, `DAYS`, `LENGTH`,
    ///   `LEN`, `SIZE`, `MIN`, `MAX`, `LIMIT`, `COUNT`, `ENABLED`, `DISABLED`, `REQUIRED`,
    ///   `TYPE`, `MODE`, `HEADER`, `FIELD`, `KEY_REF`, `REF`, `PREFIX`, `VERSION`, `ISSUER`,
    ///   `AUDIENCE`, `ALGORITHM`, `PROVIDER`): segments that, after a match, mean the variable
    ///   describes the credential instead of holding it. Replaces the default list.
    ///
    /// ```yaml
    /// rules:
    ///   container-secret-in-env:
    ///     params:
    ///       patterns: [PASSWORD, SECRET, TOKEN, API_KEY, DSN]
    /// ```
    ///
    /// ## Known limitations
    ///
    /// A credential under an innocent name (`DATABASE_URL` with a password inside) is not
    /// found, and a harmless value under a credential's name (`ADMIN_PASSWORD: changeme` in
    /// a demo) is reported: suppress it with a reason. `envFrom` a ConfigMap holding
    /// credentials is not looked into.
    ContainerSecretInEnv {
        id: "container-secret-in-env",
        category: Security,
        severity: Warning,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a container's environment holds a literal credential",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContainerSecretInEnv {
    pub patterns: Vec<String>,
    pub safe_suffixes: Vec<String>,
}

impl Default for ContainerSecretInEnv {
    fn default() -> Self {
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        ContainerSecretInEnv {
            patterns: list(&[
                "PASSWORD",
                "PASSWD",
                "PASS",
                "PASSPHRASE",
                "SECRET",
                "TOKEN",
                "API_KEY",
                "APIKEY",
                "PRIVATE_KEY",
                "ACCESS_KEY",
                "SECRET_KEY",
                "SIGNING_KEY",
                "ENCRYPTION_KEY",
                "MASTER_KEY",
                "CREDENTIAL",
                "CREDENTIALS",
                "PGPASSWORD",
            ]),
            safe_suffixes: list(&[
                "FILE",
                "PATH",
                "DIR",
                "NAME",
                "ID",
                "URL",
                "URI",
                "ENDPOINT",
                "HOST",
                "PORT",
                "TTL",
                "TIMEOUT",
                "EXPIRY",
                "EXPIRATION",
                "EXPIRES",
                "LIFETIME",
                "INTERVAL",
                "DURATION",
                "SECONDS",
                "MINUTES",
                "HOURS",
                "DAYS",
                "LENGTH",
                "LEN",
                "SIZE",
                "MIN",
                "MAX",
                "LIMIT",
                "COUNT",
                "ENABLED",
                "DISABLED",
                "REQUIRED",
                "TYPE",
                "MODE",
                "HEADER",
                "FIELD",
                "KEY_REF",
                "REF",
                "PREFIX",
                "VERSION",
                "ISSUER",
                "AUDIENCE",
                "ALGORITHM",
                "PROVIDER",
            ]),
        }
    }
}

/// Splits an environment variable name into upper-case segments at `_`, `-`, `.` and
/// lower-to-upper camelCase boundaries: `dbPassword_file` -> `DB`, `PASSWORD`, `FILE`.
fn segments(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if matches!(c, '_' | '-' | '.') {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_uppercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether a literal value could be a credential at all.
fn could_be_credential(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || v.starts_with('/') {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "none"
    ) || v.parse::<f64>().is_ok()
    {
        return false;
    }
    // Values made only of references: `$(VAR)`, `${VAR}`, `{{ ... }}`.
    let mut rest = v;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return false;
        }
        let close = if rest.starts_with("$(") {
            ")"
        } else if rest.starts_with("${") {
            "}"
        } else if rest.starts_with("{{") {
            "}}"
        } else {
            return true;
        };
        match rest.find(close) {
            Some(i) => rest = &rest[i + close.len()..],
            None => return true,
        }
    }
}

impl ContainerSecretInEnv {
    /// The pattern the name matches, if it holds (not describes) a credential.
    fn matching_pattern(&self, name: &str) -> Option<&str> {
        let segs = segments(name);
        let safe: Vec<Vec<String>> = self.safe_suffixes.iter().map(|s| segments(s)).collect();
        for pattern in &self.patterns {
            let pat = segments(pattern);
            if pat.is_empty() || pat.len() > segs.len() {
                continue;
            }
            for start in 0..=segs.len() - pat.len() {
                if segs[start..start + pat.len()] != pat[..] {
                    continue;
                }
                let after = &segs[start + pat.len()..];
                let described = (0..after.len()).any(|i| {
                    safe.iter()
                        .any(|s| !s.is_empty() && after[i..].starts_with(s))
                });
                if !described {
                    return Some(pattern);
                }
            }
        }
        None
    }
}

impl Rule for ContainerSecretInEnv {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        for container in pod.containers() {
            let env = container.get("env").map(|n| n.items()).unwrap_or_default();
            for entry in env {
                let Some(name) = entry.get("name").and_then(|n| n.scalar_text()) else {
                    continue;
                };
                let Some(value) = entry.get("value").filter(|n| !n.is_null()) else {
                    continue;
                };
                let Some(text) = value.scalar_text() else {
                    continue;
                };
                if !could_be_credential(text) || self.matching_pattern(name).is_none() {
                    continue;
                }
                cx.report(
                    object,
                    value.span(),
                    format!(
                        "{} sets `{name}` to a literal value that looks like a credential",
                        container.describe()
                    ),
                )
                .help("store the value in a Secret and reference it with `valueFrom.secretKeyRef`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ContainerSecretInEnv, could_be_credential, segments};

    #[test]
    fn names_split_into_segments() {
        assert_eq!(segments("dbPassword_file"), ["DB", "PASSWORD", "FILE"]);
        assert_eq!(segments("APIKey"), ["APIKEY"]);
        assert_eq!(segments("aws.secret-key"), ["AWS", "SECRET", "KEY"]);
    }

    #[test]
    fn credential_names() {
        let rule = ContainerSecretInEnv::default();
        for name in [
            "DB_PASSWORD",
            "dbPassword",
            "GITHUB_TOKEN",
            "STRIPE_API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET_KEY_BASE",
            "REDIS_PASS",
            "GOOGLE_APPLICATION_CREDENTIALS_JSON",
        ] {
            assert!(rule.matching_pattern(name).is_some(), "{name}");
        }
        for name in [
            "TOKEN_TTL_SECONDS",
            "PASSWORD_MIN_LENGTH",
            "SECRET_NAME",
            "PASSWORD_FILE",
            "AWS_ACCESS_KEY_ID",
            "PASSWORDLESS",
            "BYPASS_CACHE",
            "PWD",
            "TOKEN_URL",
            "KEY",
        ] {
            assert!(rule.matching_pattern(name).is_none(), "{name}");
        }
    }

    #[test]
    fn values_that_cannot_be_credentials() {
        for v in [
            "",
            "true",
            "Off",
            "42",
            "/run/secrets/db",
            "$(DB_PASS)",
            "${TOKEN}",
            "{{ .Values.x }}",
        ] {
            assert!(!could_be_credential(v), "{v}");
        }
        for v in ["hunter2", "changeme", "$(USER):secret", "s3cr3t$"] {
            assert!(could_be_credential(v), "{v}");
        }
    }
}
