//! `namespace-pod-security-missing`: a Namespace does not enforce a Pod Security Standard.

use crate::model::Object;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a Namespace without a `pod-security.kubernetes.io/enforce` label, or whose
    /// label enforces a level below the minimum (`baseline` by default), or names no level
    /// Kubernetes knows (`privileged`, `baseline`, `restricted`). The finding points at the
    /// label's value, or for a missing label at the `labels:` key (else the Namespace's name).
    ///
    /// ## Why it matters
    ///
    /// Pod Security Admission, built into Kubernetes since 1.25, rejects pods that break the
    /// level a namespace enforces; without the label nothing is enforced and every rule of
    /// this family depends on reviewers alone. The seed's checklist claims "Pod Security
    /// Standards: Enforced security baselines", hence the default minimum `baseline`, the
    /// level that blocks known privilege escalations while running almost every workload.
    /// Teams that meet `restricted` (as the PAKE tree does) should raise the minimum so that
    /// a namespace quietly lowered to `baseline` is reported. Default severity: warning.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop
    ///   labels:
    ///     pod-security.kubernetes.io/enforce: restricted
    ///     pod-security.kubernetes.io/warn: restricted
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `minimum_level` (`privileged`, `baseline` or `restricted`; default `baseline`, from
    ///   the seed's "enforced security baselines"): the lowest enforced level accepted.
    ///   `privileged` only reports a missing or unknown label.
    ///
    /// ```yaml
    /// rules:
    ///   namespace-pod-security-missing:
    ///     params:
    ///       minimum_level: restricted
    /// ```
    ///
    /// ## Known limitations
    ///
    /// A cluster-wide default set in the API server's `AdmissionConfiguration` is not
    /// visible in manifests. System namespaces (`kube-system`, CNI and CSI namespaces) need
    /// `privileged`; suppress the finding for them with a reason.
    NamespacePodSecurityMissing {
        id: "namespace-pod-security-missing",
        category: Security,
        severity: Warning,
        enabled: true,
        kinds: &["Namespace"],
        summary: "a namespace does not enforce a pod security standard",
    }
}

const LABEL: &str = "pod-security.kubernetes.io/enforce";

/// The Pod Security Standards levels, from least to most restrictive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    fn parse(s: &str) -> Option<Level> {
        match s {
            "privileged" => Some(Level::Privileged),
            "baseline" => Some(Level::Baseline),
            "restricted" => Some(Level::Restricted),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NamespacePodSecurityMissing {
    pub minimum_level: Level,
}

impl Default for NamespacePodSecurityMissing {
    fn default() -> Self {
        NamespacePodSecurityMissing {
            minimum_level: Level::Baseline,
        }
    }
}

impl Rule for NamespacePodSecurityMissing {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        if !object.is("", "Namespace") {
            return;
        }
        let name = &object.name;
        let minimum = self.minimum_level.as_str();
        let help = format!("label the namespace `{LABEL}: {minimum}` (or stricter)");
        let value = object
            .root
            .path(&["metadata", "labels", LABEL])
            .filter(|n| !n.is_null());
        let Some(value) = value else {
            let span = object
                .metadata()
                .and_then(|m| m.entry("labels"))
                .map_or_else(|| object.anchor(), |e| e.key.span());
            cx.report(
                object,
                span,
                format!("namespace `{name}` has no `{LABEL}` label"),
            )
            .help(help);
            return;
        };
        let text = value.scalar_text().unwrap_or("");
        match Level::parse(text) {
            None => {
                cx.report(
                    object,
                    value.span(),
                    format!("namespace `{name}` enforces the unknown Pod Security level `{text}`"),
                )
                .help("use `privileged`, `baseline` or `restricted`: Pod Security Admission knows no other level");
            }
            Some(level) if level < self.minimum_level => {
                cx.report(
                    object,
                    value.span(),
                    format!(
                        "namespace `{name}` enforces Pod Security level `{text}`, below the required `{minimum}`"
                    ),
                )
                .help(help);
            }
            Some(_) => {}
        }
    }
}
