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
//! checklist needs that is off by default, whose parameters the checklist tightens, or whose
//! severity it raises, with the seed's figure in a comment. Rows must name registered rules
//! and valid parameters (a test builds each one).

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

const fn tuned(id: &'static str, severity: Option<Severity>, params: &'static str) -> ProfileRule {
    ProfileRule {
        id,
        severity,
        params: Some(params),
    }
}

/// The seed's production checklist ("Production Readiness Checklist", "Security Features
/// Implemented", "Auto-scaling Configuration"): rules beyond the defaults, the seed's
/// thresholds, and stricter severities. Sorted by id.
pub const PRODUCTION: &[ProfileRule] = &[
    // "Production alerting rules": the seed's ten alerts each carry a runbook for the on-call.
    tuned(
        "alert-annotations-missing",
        None,
        r#"{"required": ["summary", "description"], "require_runbook_url": true}"#,
    ),
    // "Alert Management: 10+ production-grade alerts": every one of the ten classes exists.
    severity("alert-catalog-incomplete", Severity::Error),
    // Immutable, auditable images: a digest pins exactly what was reviewed and rolled back to.
    on("container-image-digest-missing"),
    // "Requests and limits required": the seed sizes every pod (backend 500m/1Gi requests,
    // 2000m/4Gi limits).
    severity("container-resources-missing", Severity::Error),
    // The seed's largest container (the database) is limited to 4000m CPU and 8Gi memory.
    tuned(
        "container-resources-out-of-range",
        None,
        r#"{"max": {"limits.cpu": "4", "limits.memory": "8Gi"}}"#,
    ),
    // "Security Contexts: Non-root containers, read-only filesystems": required, not advised.
    severity("container-root-filesystem-writable", Severity::Error),
    severity("container-runs-as-root", Severity::Error),
    // "Secret Management: Encrypted secrets with external secret operator support".
    severity("container-secret-in-env", Severity::Error),
    // "HPA: Max Replicas: 10".
    tuned(
        "hpa-bounds-invalid",
        None,
        r#"{"max_replicas_ceiling": 10}"#,
    ),
    // "HPA: Min Replicas: 2".
    tuned("hpa-min-replicas-low", None, r#"{"min_replicas": 2}"#),
    // "Scale-down Stabilization: 5 minutes".
    tuned(
        "hpa-scale-down-unstabilized",
        None,
        r#"{"min_seconds": 300}"#,
    ),
    // "CPU Target: 70%", "Memory Target: 80%": targets within 50-90 %.
    tuned(
        "hpa-utilization-out-of-range",
        None,
        r#"{"min": 50, "max": 90}"#,
    ),
    // TLS Secrets of Ingresses must exist ("Encrypted communications").
    on("ingress-tls-secret-missing"),
    // "Pod Security Standards: Enforced security baselines".
    severity("namespace-pod-security-missing", Severity::Error),
    // "Resource Quotas: Namespace-level resource limits".
    severity("namespace-quota-missing", Severity::Error),
    // "Performance Tiers: High IOPS for database workloads": claims name their class.
    on("pvc-storage-class-missing"),
    // "Network Policies: Pod-to-pod communication restrictions", in both directions.
    tuned(
        "workload-network-policy-missing",
        None,
        r#"{"policy_types": ["Ingress", "Egress"]}"#,
    ),
    // "Comprehensive monitoring": every workload is watched for what the seed's alerts watch
    // (backend down, p95 latency, error rate, CPU, memory, crash looping).
    tuned(
        "workload-alert-missing",
        Some(Severity::Error),
        r#"{"signals": ["availability", "latency", "error-rate", "cpu", "memory", "crash-looping"]}"#,
    ),
    // "Multi-replica high availability": a PDB per replicated workload, at least 2 replicas.
    severity("workload-pdb-missing", Severity::Error),
    tuned(
        "workload-single-replica",
        Some(Severity::Error),
        r#"{"min_replicas": 2}"#,
    ),
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
