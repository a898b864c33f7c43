//! Profiles: named rule sets with parameter and severity overrides, chosen with `profile:` or
//! `--profile`. A profile is data: which rules it turns on beyond the rules' own defaults, and
//! what it changes about them.
//!
//! - `baseline` (the default): every rule enabled by default in its metadata. Rule authors turn
//!   a rule on by default only when it is broadly accepted practice for any cluster and low in
//!   noise, so this profile grows with the registry without a table.
//! - `production`: `baseline` plus the seed's production-readiness checklist with its
//!   thresholds (the table below).
//! - `all`: every rule, with default parameters.
//!
//! How other rule families join `production`: add a row to [`PRODUCTION`] for each rule the
//! checklist needs that is off by default or whose parameters the checklist tightens, with the
//! seed's figure in a comment. Rows must name registered rules (a test checks it). Candidates,
//! as their families land: `workload-single-replica` (multi-replica high availability: the seed
//! runs 2-5 replicas), `container-resources-missing` (requests and limits required),
//! `namespace-quota-missing` (resource quotas), `workload-not-spread`, the `hpa-*` rules (HPA
//! `minReplicas: 2`, `maxReplicas: 10`, CPU target 70 %, memory 80 %), the PDB and
//! NetworkPolicy rules (one per workload, default-deny), and the alert-coverage rules with the
//! seed's ten alerts (`PakeBackendDown`, `PakeHighLatency`, `PakeHighCPU`, `PakeHighMemory`,
//! `PakeHighErrorRate`, `PakeDatabaseConnectionFailed`, `PakeRedisConnectionFailed`,
//! `PakePodCrashLooping`, `PakeHPAScaling`, `PakeStorageSpace`).

use crate::diagnostic::Severity;
use crate::rules::RuleMeta;

/// A profile's change to one rule.
#[derive(Debug)]
pub struct ProfileRule {
    pub id: &'static str,
    /// Replaces the rule's default severity.
    pub severity: Option<Severity>,
    /// Parameters as JSON text, merged under the configuration's `rules.<id>.params`.
    pub params: Option<&'static str>,
}

#[derive(Debug)]
pub struct Profile {
    pub name: &'static str,
    pub description: &'static str,
    /// Every registered rule is on (`all`), rather than those enabled by default.
    pub everything: bool,
    /// Rules turned on beyond the defaults, and their overrides.
    pub rules: &'static [ProfileRule],
}

const fn on(id: &'static str) -> ProfileRule {
    ProfileRule {
        id,
        severity: None,
        params: None,
    }
}

const fn severity(id: &'static str, severity: Severity) -> ProfileRule {
    ProfileRule {
        id,
        severity: Some(severity),
        params: None,
    }
}

/// The seed's production checklist ("Production Readiness Checklist" and "Security Features
/// Implemented"): rules beyond the defaults and stricter severities. Sorted by id.
pub const PRODUCTION: &[ProfileRule] = &[
    // Immutable, auditable images: a digest pins exactly what was reviewed.
    on("container-image-digest-missing"),
    // "Security Contexts: Non-root containers, read-only filesystems": required, not advised.
    severity("container-root-filesystem-writable", Severity::Error),
    severity("container-runs-as-root", Severity::Error),
    // "Pod Security Standards: Enforced security baselines".
    severity("namespace-pod-security-missing", Severity::Error),
    // "Secret Management: Encrypted secrets with external secret operator support".
    severity("container-secret-in-env", Severity::Error),
];

pub const PROFILES: &[Profile] = &[
    Profile {
        name: "baseline",
        description: "broadly accepted practice for any cluster, low noise (the default)",
        everything: false,
        rules: &[],
    },
    Profile {
        name: "production",
        description: "the seed's production-readiness checklist with its thresholds",
        everything: false,
        rules: PRODUCTION,
    },
    Profile {
        name: "all",
        description: "every rule, with default parameters",
        everything: true,
        rules: &[],
    },
];

/// The profile used when none is chosen.
pub const DEFAULT_PROFILE: &str = "baseline";

pub fn find(name: &str) -> Option<&'static Profile> {
    PROFILES.iter().find(|p| p.name == name)
}

pub fn default_profile() -> &'static Profile {
    find(DEFAULT_PROFILE).expect("the default profile exists")
}

impl Profile {
    pub fn rule(&self, id: &str) -> Option<&'static ProfileRule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Whether the profile runs the rule (before `select`, `ignore` and `rules.<id>.enabled`).
    pub fn enables(&self, meta: &RuleMeta) -> bool {
        self.everything || meta.default_enabled || self.rule(meta.id).is_some()
    }
}

/// The names of the profiles that run a rule, for `pake-lint rules`.
pub fn profiles_enabling(meta: &RuleMeta) -> Vec<&'static str> {
    PROFILES
        .iter()
        .filter(|p| p.enables(meta))
        .map(|p| p.name)
        .collect()
}
