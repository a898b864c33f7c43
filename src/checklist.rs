//! The production-readiness checklist of the seed's PAKE System report ("Production Readiness
//! Checklist": Infrastructure, Observability, Operations, Security), each item in the seed's
//! words, with its status derived from the rules that back it: passed, failed (with counts),
//! not checked (manifests could show it, but no rule backs it yet), or not checkable from
//! manifests. The mapping is the data in [`ITEMS`];
//! `pake-lint checklist --explain` prints it.
//!
//! How other rule families join: add their ids to the item they back (a test checks that every
//! id is registered).

use std::io::{self, Write};

use serde::Serialize;

use crate::engine::Outcome;

/// One checklist item and the rules that decide it.
#[derive(Debug)]
pub struct Item {
    pub section: &'static str,
    /// The seed's words.
    pub text: &'static str,
    /// Rules whose findings fail the item.
    pub rules: &'static [&'static str],
    /// Whether manifests can show the item at all (a pipeline or a backup cannot).
    pub checkable: bool,
    /// Why the item is (or is only partly) checkable from manifests.
    pub note: &'static str,
}

pub const SECTIONS: [&str; 4] = ["Infrastructure", "Observability", "Operations", "Security"];

/// An item manifests can show: failed when one of `rules` reports.
const fn item(
    section: &'static str,
    text: &'static str,
    rules: &'static [&'static str],
    note: &'static str,
) -> Item {
    Item {
        section,
        text,
        rules,
        checkable: true,
        note,
    }
}

/// An item that lives outside the manifests.
const fn outside(section: &'static str, text: &'static str, note: &'static str) -> Item {
    Item {
        section,
        text,
        rules: &[],
        checkable: false,
        note,
    }
}

/// The seed's checklist, in its order.
pub const ITEMS: &[Item] = &[
    item(
        "Infrastructure",
        "Multi-replica high availability",
        &[
            "workload-not-spread",
            "workload-pdb-missing",
            "workload-single-replica",
            "pdb-blocks-eviction",
            "pdb-overlap",
            "pdb-selects-nothing",
        ],
        "replicas, spread over nodes and zones, and disruption budgets that allow evictions",
    ),
    item(
        "Infrastructure",
        "Auto-scaling (HPA + VPA)",
        &[
            "deployment-replicas-with-hpa",
            "hpa-bounds-invalid",
            "hpa-min-replicas-low",
            "hpa-quota-exceeded",
            "hpa-scale-down-unstabilized",
            "hpa-target-missing",
            "hpa-target-requests-missing",
            "hpa-utilization-out-of-range",
            "vpa-bounds-invalid",
            "vpa-hpa-conflict",
            "vpa-target-missing",
        ],
        "the seed's HPA 2-10 replicas at 70 % CPU and 80 % memory, and VPAs that do not fight them",
    ),
    item(
        "Infrastructure",
        "Persistent storage with backups",
        &[
            "pvc-storage-class-missing",
            "statefulset-service-missing",
            "storage-class-expansion-disabled",
            "storage-class-reclaim-delete",
        ],
        "storage classes that keep and grow volumes; the backups themselves live outside the manifests",
    ),
    item(
        "Infrastructure",
        "Network security policies",
        &[
            "namespace-default-deny-missing",
            "network-policy-allows-all",
            "network-policy-peer-selects-nothing",
            "network-policy-selects-nothing",
            "workload-network-policy-missing",
        ],
        "default-deny per namespace and a policy per workload that selects something",
    ),
    item(
        "Infrastructure",
        "Resource quotas and limits",
        &[
            "container-requests-exceed-limits",
            "container-resources-missing",
            "container-resources-out-of-range",
            "namespace-quota-missing",
        ],
        "requests and limits on every container, and a ResourceQuota per namespace",
    ),
    item(
        "Observability",
        "Comprehensive monitoring",
        &[
            "service-monitor-selects-nothing",
            "workload-alert-missing",
            "workload-monitor-missing",
        ],
        "every workload scraped by a monitor that selects something, and watched by alerts",
    ),
    item(
        "Observability",
        "Production alerting rules",
        &[
            "alert-annotations-missing",
            "alert-catalog-incomplete",
            "alert-expr-invalid",
            "alert-for-missing",
            "alert-name-duplicate",
            "alert-severity-missing",
            "hpa-alert-missing",
            "pvc-alert-missing",
        ],
        "the seed's ten alert classes, each alert valid PromQL with a duration, severity and annotations",
    ),
    outside(
        "Observability",
        "Grafana dashboards",
        "dashboards live in Grafana, not in the manifests",
    ),
    item(
        "Observability",
        "Health check endpoints",
        &[
            "container-liveness-probe-missing",
            "container-probe-port-unknown",
            "container-probes-identical",
            "container-readiness-probe-missing",
        ],
        "liveness and readiness probes that point at a declared port",
    ),
    outside(
        "Observability",
        "Distributed tracing ready",
        "tracing is instrumentation in the application",
    ),
    outside(
        "Operations",
        "Automated deployment pipeline",
        "the pipeline lives outside the manifests",
    ),
    item(
        "Operations",
        "Rollback capabilities",
        &["container-image-tag-mutable"],
        "a rollback redeploys what ran before only if image references are immutable",
    ),
    outside(
        "Operations",
        "Environment management",
        "overlays per environment are a layout, not a property of the objects",
    ),
    item(
        "Operations",
        "Secret management",
        &["container-secret-in-env", "env-reference-missing"],
        "credentials in Secrets, not literal environment values, and references that resolve",
    ),
    outside(
        "Operations",
        "Backup and recovery",
        "backups live outside the manifests",
    ),
    item(
        "Security",
        "RBAC and access controls",
        &[
            "pod-service-account-token-automounted",
            "role-binding-cluster-admin",
            "role-binding-role-missing",
            "role-privilege-escalation",
            "role-secrets-access",
            "role-wildcard",
            "service-account-missing",
        ],
        "least-privilege Roles, and API credentials mounted only where needed",
    ),
    item(
        "Security",
        "Network segmentation",
        &[
            "container-host-port",
            "pod-host-namespace",
            "workload-network-policy-missing",
        ],
        "a NetworkPolicy per workload; host ports and host namespaces bypass them",
    ),
    item(
        "Security",
        "Security contexts",
        &[
            "container-capabilities-dangerous",
            "container-capabilities-not-dropped",
            "container-privilege-escalation",
            "container-privileged",
            "container-root-filesystem-writable",
            "container-runs-as-root",
            "namespace-pod-security-missing",
            "pod-host-path",
            "pod-seccomp-unconfined",
        ],
        "the seed's non-root containers, read-only filesystems and enforced Pod Security Standards",
    ),
    item(
        "Security",
        "Encrypted communications",
        &["ingress-tls-missing", "ingress-tls-secret-missing"],
        "TLS on every Ingress, with its certificate Secret present",
    ),
    outside(
        "Security",
        "Audit logging",
        "API server configuration, not a manifest",
    ),
];

/// Every rule the checklist needs, for `--select`.
pub fn rules() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = ITEMS.iter().flat_map(|i| i.rules.iter().copied()).collect();
    ids.sort();
    ids.dedup();
    ids
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Passed,
    Failed,
    /// Manifests could show it, but no rule backs it in this build.
    NotChecked,
    NotCheckable,
}

#[derive(Debug, Serialize)]
pub struct RuleResult {
    pub id: &'static str,
    pub findings: usize,
}

#[derive(Debug, Serialize)]
pub struct ItemResult {
    pub section: &'static str,
    pub item: &'static str,
    pub status: Status,
    pub findings: usize,
    pub rules: Vec<RuleResult>,
    pub note: &'static str,
}

#[derive(Debug, Default, Serialize)]
pub struct Totals {
    pub passed: usize,
    pub failed: usize,
    pub not_checked: usize,
    pub not_checkable: usize,
}

/// The checklist evaluated over a run's findings.
#[derive(Debug, Serialize)]
pub struct Checklist {
    pub version: u32,
    pub title: &'static str,
    pub objects: usize,
    pub summary: Totals,
    pub items: Vec<ItemResult>,
}

pub const TITLE: &str = "Production Readiness Checklist";

/// Evaluates the checklist over a run's findings. `ran` is the rules the run used: an item
/// whose rules the configuration switched off is not checked rather than passed.
pub fn evaluate(outcome: &Outcome, ran: &[&str]) -> Checklist {
    let mut totals = Totals::default();
    let items = ITEMS
        .iter()
        .map(|item| {
            let rules: Vec<RuleResult> = item
                .rules
                .iter()
                .filter(|id| ran.contains(id))
                .map(|id| RuleResult {
                    id,
                    findings: outcome.diagnostics.iter().filter(|d| d.rule == *id).count(),
                })
                .collect();
            let findings = rules.iter().map(|r| r.findings).sum();
            let status = if !item.checkable {
                totals.not_checkable += 1;
                Status::NotCheckable
            } else if rules.is_empty() {
                totals.not_checked += 1;
                Status::NotChecked
            } else if findings > 0 {
                totals.failed += 1;
                Status::Failed
            } else {
                totals.passed += 1;
                Status::Passed
            };
            ItemResult {
                section: item.section,
                item: item.text,
                status,
                findings,
                rules,
                note: item.note,
            }
        })
        .collect();
    Checklist {
        version: 1,
        title: TITLE,
        objects: outcome.stats.objects,
        summary: totals,
        items,
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn totals_line(c: &Checklist) -> String {
    let t = &c.summary;
    let mut s = format!("{} passed, {} failed", t.passed, t.failed);
    if t.not_checked > 0 {
        s.push_str(&format!(", {} not checked (no rule yet)", t.not_checked));
    }
    s.push_str(&format!(
        ", {} not checkable from manifests",
        t.not_checkable
    ));
    s
}

fn failing_rules(item: &ItemResult) -> String {
    item.rules
        .iter()
        .filter(|r| r.findings > 0)
        .map(|r| format!("{} {}", r.id, r.findings))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn print_human(c: &Checklist, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} ({})",
        c.title,
        plural(c.objects, "object", "objects")
    )?;
    for section in SECTIONS {
        writeln!(out, "\n{section}")?;
        for item in c.items.iter().filter(|i| i.section == section) {
            match item.status {
                Status::Passed => writeln!(out, "  [x] {}: passed", item.item)?,
                Status::Failed => writeln!(
                    out,
                    "  [ ] {}: failed, {} ({})",
                    item.item,
                    plural(item.findings, "finding", "findings"),
                    failing_rules(item)
                )?,
                Status::NotChecked => {
                    writeln!(out, "  [?] {}: not checked ({})", item.item, item.note)?
                }
                Status::NotCheckable => writeln!(
                    out,
                    "  [-] {}: not checkable from manifests ({})",
                    item.item, item.note
                )?,
            }
        }
    }
    writeln!(out, "\n{}", totals_line(c))
}

pub fn print_markdown(c: &Checklist, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## {}\n", c.title)?;
    writeln!(
        out,
        "{} ({} linted).",
        totals_line(c),
        plural(c.objects, "object", "objects")
    )?;
    for section in SECTIONS {
        writeln!(out, "\n### {section}\n")?;
        writeln!(out, "| | Item | Status | Rules |")?;
        writeln!(out, "|---|---|---|---|")?;
        for item in c.items.iter().filter(|i| i.section == section) {
            let (mark, status) = match item.status {
                Status::Passed => (":white_check_mark:", "passed".to_string()),
                Status::Failed => (
                    ":x:",
                    format!("failed: {}", plural(item.findings, "finding", "findings")),
                ),
                Status::NotChecked => (":grey_question:", format!("not checked: {}", item.note)),
                Status::NotCheckable => (
                    ":heavy_minus_sign:",
                    format!("not checkable from manifests: {}", item.note),
                ),
            };
            let rules = item
                .rules
                .iter()
                .map(|r| {
                    if r.findings > 0 {
                        format!("`{}` ({})", r.id, r.findings)
                    } else {
                        format!("`{}`", r.id)
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            writeln!(out, "| {mark} | {} | {status} | {rules} |", item.item)?;
        }
    }
    Ok(())
}

pub fn print_json(c: &Checklist, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, c).map_err(io::Error::other)?;
    writeln!(out)
}

/// `pake-lint checklist --explain`: which rules back each item.
pub fn print_explain(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}: the rules behind each item", TITLE)?;
    for section in SECTIONS {
        writeln!(out, "\n{section}")?;
        for item in ITEMS.iter().filter(|i| i.section == section) {
            writeln!(out, "  {}", item.text)?;
            if !item.checkable {
                writeln!(out, "    not checkable from manifests: {}", item.note)?;
            } else if item.rules.is_empty() {
                writeln!(out, "    not checked: {}", item.note)?;
            } else {
                for rule in item.rules {
                    writeln!(out, "    {rule}")?;
                }
                writeln!(out, "    ({})", item.note)?;
            }
        }
    }
    Ok(())
}
