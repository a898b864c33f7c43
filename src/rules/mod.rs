//! The rules: one file each, with its documentation, metadata, parameters and check. The
//! registry at the bottom is one line per rule.

use std::borrow::Cow;
use std::sync::Arc;

use rustc_hash::FxHashSet;
use serde::de::DeserializeOwned;

use crate::diagnostic::{Category, Diagnostic, Findings, Help, Severity};
use crate::load::tree::Span;
use crate::model::{Index, Object};

/// What the engine and the documentation need to know about a rule.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// Opt-in rules are off unless selected.
    pub default_enabled: bool,
    /// Kinds the rule's `check` is called for; `["*"]` for every object, `[]` for none (rules
    /// that only look at the input as a whole, or input problems reported by the loader).
    pub kinds: &'static [&'static str],
    pub summary: &'static str,
    /// The documentation: Markdown with the sections What it does, Why it matters, Example,
    /// Use instead, Parameters, Known limitations.
    pub docs: &'static str,
}

/// Declares a rule's metadata with its documentation taken from the doc comments above it, as
/// clippy does, so code and documentation live in one place.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            id: $id:literal,
            category: $category:ident,
            severity: $severity:ident,
            enabled: $enabled:literal,
            kinds: $kinds:expr,
            summary: $summary:literal $(,)?
        }
    ) => {
        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                category: $crate::diagnostic::Category::$category,
                severity: $crate::diagnostic::Severity::$severity,
                default_enabled: $enabled,
                kinds: $kinds,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
            };
        }
        impl $crate::rules::HasMeta for $name {
            const META_REF: &'static $crate::rules::RuleMeta = &$name::META;
        }
    };
}

/// The per-object (or per-run) context a rule reports through.
pub struct Cx<'a, 's> {
    pub index: &'a Index<'s>,
    rule: &'static str,
    out: Findings,
    /// The reference of the object last reported on, shared by its findings: a run can make
    /// hundreds of thousands, and four strings each weighed more than the findings' messages.
    last_object: Option<SharedObject>,
    /// Formatted helps already given, shared by the findings that repeat them.
    helps: FxHashSet<Arc<str>>,
    /// API versions, kinds and namespaces of the objects reported on, shared by their
    /// references.
    names: FxHashSet<Arc<str>>,
}

/// What the findings of one object share: its reference, with its origin.
struct SharedObject {
    id: crate::model::ObjectId,
    object: Arc<crate::diagnostic::ObjectRef>,
}

impl<'a, 's> Cx<'a, 's> {
    pub fn new(index: &'a Index<'s>, rule: &'static str) -> Self {
        Cx {
            index,
            rule,
            out: Findings::new(),
            last_object: None,
            helps: FxHashSet::default(),
            names: FxHashSet::default(),
        }
    }

    pub fn set_rule(&mut self, rule: &'static str) {
        self.rule = rule;
    }

    /// Objects that exist in the cluster but not in the input (`external:` in the
    /// configuration): rules that check references consult it before reporting one missing.
    pub fn external(&self) -> &crate::config::External {
        self.index.external()
    }

    /// Reports a finding on `object` at `span` (a place in the object's own file).
    pub fn report(
        &mut self,
        object: &Object<'_>,
        span: Span,
        message: impl Into<String>,
    ) -> Report<'_> {
        let mut d = Diagnostic::new(self.rule, object.file, span, message);
        let shared = match &self.last_object {
            // Objects outside the index all carry the placeholder id: never share theirs.
            Some(shared) if shared.id == object.id && object.id.0 != u32::MAX => shared,
            _ => self.last_object.insert(SharedObject {
                id: object.id,
                object: Arc::new(object.object_ref_with(&mut |text| share(&mut self.names, text))),
            }),
        };
        d.object = Some(shared.object.clone());
        Report {
            diagnostic: self.out.push(d),
            helps: &mut self.helps,
        }
    }

    pub fn into_findings(self) -> Findings {
        self.out
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.out.into_vec()
    }
}

/// Distinct texts a `Cx` keeps for sharing, in each of its sets (see [`share`]).
const SHARED_TEXTS: usize = 256;

/// `text`, shared with the earlier calls that gave the same: from `seen`, or added to it. The
/// set starts over when it holds [`SHARED_TEXTS`] texts, so that texts that are all different
/// (helps that name each object) do not grow it for nothing.
fn share(seen: &mut FxHashSet<Arc<str>>, text: &str) -> Arc<str> {
    if let Some(shared) = seen.get(text) {
        return shared.clone();
    }
    if seen.len() == SHARED_TEXTS {
        seen.clear();
    }
    let shared: Arc<str> = text.into();
    seen.insert(shared.clone());
    shared
}

/// The most items a message lists. A list of other objects grows with the input (every budget
/// that covers a workload), and a message should not; the rest are counted.
pub const MAX_LISTED: usize = 10;

/// The items joined by ", ": the first [`MAX_LISTED`], then "and N more". Items past those
/// are never formatted.
pub fn listed<T: std::fmt::Display>(items: impl ExactSizeIterator<Item = T>) -> String {
    let total = items.len();
    listed_of(items, total)
}

/// [`listed`] for items whose number is known apart from them (`total`).
pub fn listed_of<T: std::fmt::Display>(items: impl Iterator<Item = T>, total: usize) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for (i, item) in items.take(MAX_LISTED).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{item}");
    }
    if total > MAX_LISTED {
        let _ = write!(out, " and {} more", total - MAX_LISTED);
    }
    out
}

/// Adds help and related locations to a reported finding.
pub struct Report<'d> {
    diagnostic: &'d mut Diagnostic,
    helps: &'d mut FxHashSet<Arc<str>>,
}

impl Report<'_> {
    /// A literal costs nothing per finding; a formatted help is shared with the earlier
    /// findings that have the same.
    pub fn help(self, help: impl Into<Cow<'static, str>>) -> Self {
        let help = match help.into() {
            Cow::Borrowed(literal) => Help::Literal(literal),
            Cow::Owned(text) => Help::Shared(share(self.helps, &text)),
        };
        self.diagnostic.help = Some(help);
        self
    }

    /// Points at another object involved in the finding.
    pub fn related(self, object: &Object<'_>, span: Span, message: impl Into<String>) -> Self {
        self.diagnostic.push_related(crate::diagnostic::Related {
            file: object.file,
            span,
            message: message.into(),
        });
        self
    }
}

/// A rule's behaviour. Its metadata comes from `declare_rule!`; the engine pairs the two.
pub trait Rule: Send + Sync {
    /// Called for every object whose kind the rule declares.
    fn check(&self, _object: &Object<'_>, _cx: &mut Cx<'_, '_>) {}

    /// Called once per run, for findings about the input as a whole.
    fn check_input(&self, _cx: &mut Cx<'_, '_>) {}
}

/// Why a rule's parameters were refused.
#[derive(Debug, thiserror::Error)]
#[error("invalid parameters for `{rule}`: {message}")]
pub struct ParamsError {
    pub rule: &'static str,
    pub message: String,
    /// Where in the parameters the problem is (empty: the parameters as a whole).
    pub path: Vec<crate::config::Seg>,
}

/// Builds a rule from its parameters (`None`: the defaults).
pub type BuildFn = fn(Option<&serde_json::Value>) -> Result<Box<dyn Rule>, ParamsError>;

/// A registry entry: the rule's metadata and how to build it from its parameters.
pub struct RuleEntry {
    pub meta: &'static RuleMeta,
    pub build: BuildFn,
}

/// Registers a rule whose struct is also its parameter set (`Deserialize` with defaults).
pub fn rule<R: Rule + DeserializeOwned + Default + HasMeta + 'static>() -> RuleEntry {
    RuleEntry {
        meta: R::META_REF,
        build: |params| match params {
            None => Ok(Box::new(R::default())),
            Some(value) => serde_path_to_error::deserialize::<_, R>(value.clone())
                .map(|r| Box::new(r) as Box<dyn Rule>)
                .map_err(|e| ParamsError {
                    rule: R::META_REF.id,
                    message: e.inner().to_string(),
                    path: crate::config::path_segments(e.path()),
                }),
        },
    }
}

/// Gives generic code the `META` that `declare_rule!` defines.
pub trait HasMeta {
    const META_REF: &'static RuleMeta;
}

pub mod input;

mod alert_annotations_missing;
mod alert_catalog_incomplete;
mod alert_expr_invalid;
mod alert_for_missing;
mod alert_name_duplicate;
mod alert_severity_missing;
mod alert_target_unknown;
mod api_version_deprecated;
mod api_version_removed;
mod container_capabilities_dangerous;
mod container_capabilities_not_dropped;
mod container_host_port;
mod container_image_digest_missing;
mod container_image_tag_mutable;
mod container_liveness_probe_missing;
mod container_privilege_escalation;
mod container_privileged;
mod container_probe_port_unknown;
mod container_probes_identical;
mod container_readiness_probe_missing;
mod container_requests_exceed_limits;
mod container_resources_missing;
mod container_resources_out_of_range;
mod container_root_filesystem_writable;
mod container_runs_as_root;
mod container_secret_in_env;
mod container_startup_probe_missing;
mod custom_resource_invalid;
mod custom_resource_unknown;
mod deployment_replicas_with_hpa;
mod env_reference_missing;
mod hpa_alert_missing;
mod hpa_bounds_invalid;
mod hpa_min_replicas_low;
mod hpa_quota_exceeded;
mod hpa_scale_down_unstabilized;
mod hpa_target_missing;
mod hpa_target_requests_missing;
mod hpa_utilization_out_of_range;
mod ingress_backend_missing;
mod ingress_tls_missing;
mod ingress_tls_secret_missing;
mod metadata_invalid;
mod namespace_default_deny_missing;
mod namespace_pod_security_missing;
mod namespace_quota_missing;
mod network_policy_allows_all;
mod network_policy_peer_selects_nothing;
mod network_policy_selects_nothing;
mod object_duplicate;
mod pdb_blocks_eviction;
mod pdb_overlap;
mod pdb_selects_nothing;
mod pod_host_namespace;
mod pod_host_path;
mod pod_seccomp_unconfined;
mod pod_service_account_token_automounted;
mod pvc_alert_missing;
mod pvc_storage_class_missing;
mod role_binding_cluster_admin;
mod role_binding_role_missing;
mod role_privilege_escalation;
mod role_secrets_access;
mod role_wildcard;
mod schema_invalid;
mod schema_unknown_field;
mod service_account_missing;
mod service_monitor_selects_nothing;
mod service_selects_nothing;
mod service_target_port_unknown;
mod statefulset_service_missing;
mod storage_class_expansion_disabled;
mod storage_class_reclaim_delete;
mod vpa_bounds_invalid;
mod vpa_hpa_conflict;
mod vpa_target_missing;
#[cfg(test)]
mod wiring_params_tests;
mod workload_alert_missing;
mod workload_monitor_missing;
mod workload_network_policy_missing;
mod workload_not_spread;
mod workload_pdb_missing;
mod workload_selector_mismatch;
mod workload_single_replica;

/// Every rule pake-lint knows, in id order within each family.
pub fn registry() -> Vec<RuleEntry> {
    let mut rules = input::entries();
    rules.extend([
        rule::<alert_annotations_missing::AlertAnnotationsMissing>(),
        rule::<alert_catalog_incomplete::AlertCatalogIncomplete>(),
        rule::<alert_expr_invalid::AlertExprInvalid>(),
        rule::<alert_for_missing::AlertForMissing>(),
        rule::<alert_name_duplicate::AlertNameDuplicate>(),
        rule::<alert_severity_missing::AlertSeverityMissing>(),
        rule::<alert_target_unknown::AlertTargetUnknown>(),
        rule::<api_version_deprecated::ApiVersionDeprecated>(),
        rule::<api_version_removed::ApiVersionRemoved>(),
        rule::<container_capabilities_dangerous::ContainerCapabilitiesDangerous>(),
        rule::<container_capabilities_not_dropped::ContainerCapabilitiesNotDropped>(),
        rule::<container_host_port::ContainerHostPort>(),
        rule::<container_image_digest_missing::ContainerImageDigestMissing>(),
        rule::<container_image_tag_mutable::ContainerImageTagMutable>(),
        rule::<container_liveness_probe_missing::ContainerLivenessProbeMissing>(),
        rule::<container_privilege_escalation::ContainerPrivilegeEscalation>(),
        rule::<container_privileged::ContainerPrivileged>(),
        rule::<container_probe_port_unknown::ContainerProbePortUnknown>(),
        rule::<container_probes_identical::ContainerProbesIdentical>(),
        rule::<container_readiness_probe_missing::ContainerReadinessProbeMissing>(),
        rule::<container_requests_exceed_limits::ContainerRequestsExceedLimits>(),
        rule::<container_resources_missing::ContainerResourcesMissing>(),
        rule::<container_resources_out_of_range::ContainerResourcesOutOfRange>(),
        rule::<container_root_filesystem_writable::ContainerRootFilesystemWritable>(),
        rule::<container_runs_as_root::ContainerRunsAsRoot>(),
        rule::<container_secret_in_env::ContainerSecretInEnv>(),
        rule::<container_startup_probe_missing::ContainerStartupProbeMissing>(),
        rule::<custom_resource_invalid::CustomResourceInvalid>(),
        rule::<custom_resource_unknown::CustomResourceUnknown>(),
        rule::<deployment_replicas_with_hpa::DeploymentReplicasWithHpa>(),
        rule::<env_reference_missing::EnvReferenceMissing>(),
        rule::<hpa_alert_missing::HpaAlertMissing>(),
        rule::<hpa_bounds_invalid::HpaBoundsInvalid>(),
        rule::<hpa_min_replicas_low::HpaMinReplicasLow>(),
        rule::<hpa_quota_exceeded::HpaQuotaExceeded>(),
        rule::<hpa_scale_down_unstabilized::HpaScaleDownUnstabilized>(),
        rule::<hpa_target_missing::HpaTargetMissing>(),
        rule::<hpa_target_requests_missing::HpaTargetRequestsMissing>(),
        rule::<hpa_utilization_out_of_range::HpaUtilizationOutOfRange>(),
        rule::<ingress_backend_missing::IngressBackendMissing>(),
        rule::<ingress_tls_missing::IngressTlsMissing>(),
        rule::<ingress_tls_secret_missing::IngressTlsSecretMissing>(),
        rule::<metadata_invalid::MetadataInvalid>(),
        rule::<namespace_default_deny_missing::NamespaceDefaultDenyMissing>(),
        rule::<namespace_pod_security_missing::NamespacePodSecurityMissing>(),
        rule::<namespace_quota_missing::NamespaceQuotaMissing>(),
        rule::<network_policy_allows_all::NetworkPolicyAllowsAll>(),
        rule::<network_policy_peer_selects_nothing::NetworkPolicyPeerSelectsNothing>(),
        rule::<network_policy_selects_nothing::NetworkPolicySelectsNothing>(),
        rule::<object_duplicate::ObjectDuplicate>(),
        rule::<pdb_blocks_eviction::PdbBlocksEviction>(),
        rule::<pdb_overlap::PdbOverlap>(),
        rule::<pdb_selects_nothing::PdbSelectsNothing>(),
        rule::<pod_host_namespace::PodHostNamespace>(),
        rule::<pod_host_path::PodHostPath>(),
        rule::<pod_seccomp_unconfined::PodSeccompUnconfined>(),
        rule::<pod_service_account_token_automounted::PodServiceAccountTokenAutomounted>(),
        rule::<pvc_alert_missing::PvcAlertMissing>(),
        rule::<pvc_storage_class_missing::PvcStorageClassMissing>(),
        rule::<role_binding_cluster_admin::RoleBindingClusterAdmin>(),
        rule::<role_binding_role_missing::RoleBindingRoleMissing>(),
        rule::<role_privilege_escalation::RolePrivilegeEscalation>(),
        rule::<role_secrets_access::RoleSecretsAccess>(),
        rule::<role_wildcard::RoleWildcard>(),
        rule::<schema_invalid::SchemaInvalid>(),
        rule::<schema_unknown_field::SchemaUnknownField>(),
        rule::<service_account_missing::ServiceAccountMissing>(),
        rule::<service_monitor_selects_nothing::ServiceMonitorSelectsNothing>(),
        rule::<service_selects_nothing::ServiceSelectsNothing>(),
        rule::<service_target_port_unknown::ServiceTargetPortUnknown>(),
        rule::<statefulset_service_missing::StatefulsetServiceMissing>(),
        rule::<storage_class_expansion_disabled::StorageClassExpansionDisabled>(),
        rule::<storage_class_reclaim_delete::StorageClassReclaimDelete>(),
        rule::<vpa_bounds_invalid::VpaBoundsInvalid>(),
        rule::<vpa_hpa_conflict::VpaHpaConflict>(),
        rule::<vpa_target_missing::VpaTargetMissing>(),
        rule::<workload_alert_missing::WorkloadAlertMissing>(),
        rule::<workload_monitor_missing::WorkloadMonitorMissing>(),
        rule::<workload_network_policy_missing::WorkloadNetworkPolicyMissing>(),
        rule::<workload_not_spread::WorkloadNotSpread>(),
        rule::<workload_pdb_missing::WorkloadPdbMissing>(),
        rule::<workload_selector_mismatch::WorkloadSelectorMismatch>(),
        rule::<workload_single_replica::WorkloadSingleReplica>(),
    ]);
    rules
}

/// The metadata of every rule, in registry order.
pub fn all_meta() -> Vec<&'static RuleMeta> {
    registry().into_iter().map(|e| e.meta).collect()
}

pub fn find_meta(id: &str) -> Option<&'static RuleMeta> {
    registry().into_iter().map(|e| e.meta).find(|m| m.id == id)
}

/// Strips the single leading space rustdoc comments leave on each line.
pub fn docs_markdown(meta: &RuleMeta) -> String {
    meta.docs
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod report_tests {
    use crate::diagnostic::{FileId, Help};
    use crate::load::{self, Limits, SourceFile};
    use crate::model::Index;
    use crate::model::index::IndexOptions;
    use crate::rules::{Cx, MAX_LISTED, SHARED_TEXTS, listed};

    #[test]
    fn lists_name_at_most_max_listed_items_and_count_the_rest() {
        assert_eq!(listed(std::iter::empty::<&str>()), "");
        assert_eq!(listed(["`a`"].iter()), "`a`");
        assert_eq!(listed(["`a`", "`b`"].iter()), "`a`, `b`");
        let exactly: Vec<String> = (0..MAX_LISTED).map(|n| n.to_string()).collect();
        assert_eq!(listed(exactly.iter()), exactly.join(", "));
        // Items past the bound are counted, never taken from the iterator (nor formatted).
        let formatted = std::cell::Cell::new(0);
        let many = (0..MAX_LISTED + 490).inspect(|_| formatted.set(formatted.get() + 1));
        assert_eq!(listed(many), format!("{} and 490 more", exactly.join(", ")));
        assert_eq!(formatted.get(), MAX_LISTED);
    }

    #[test]
    fn formatted_helps_are_shared_and_literals_borrowed() {
        let source = SourceFile::in_memory(
            "test.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
        );
        let arena = load::Bump::new();
        let parsed = load::parse_file(FileId(0), &source, &arena, Limits::default());
        let index = Index::build(parsed.objects, &IndexOptions::default());
        let object = &index.objects()[0];
        let mut cx = Cx::new(&index, "test");
        let signal = "up";
        for _ in 0..2 {
            cx.report(object, object.anchor(), "m")
                .help(format!("watch `{signal}`"));
        }
        cx.report(object, object.anchor(), "m").help("a literal");
        // More distinct helps than the set keeps: it starts over, and sharing goes on.
        for i in 0..=SHARED_TEXTS {
            cx.report(object, object.anchor(), "m")
                .help(format!("help {i}"));
        }
        cx.report(object, object.anchor(), "m")
            .help(format!("help {}", SHARED_TEXTS));
        assert!(cx.helps.len() <= SHARED_TEXTS);
        let found = cx.into_diagnostics();
        let shared = |i: usize| match &found[i].help {
            Some(Help::Shared(text)) => text.clone(),
            other => panic!("finding {i} has {other:?}"),
        };
        assert_eq!(&*shared(0), "watch `up`");
        assert!(std::sync::Arc::ptr_eq(&shared(0), &shared(1)));
        assert_eq!(found[2].help, Some(Help::Literal("a literal")));
        let last = found.len() - 1;
        assert_eq!(&*shared(last), format!("help {}", SHARED_TEXTS));
        assert!(std::sync::Arc::ptr_eq(&shared(last - 1), &shared(last)));
        assert!(each_keeps_its_own_text(&found));
    }

    #[test]
    fn object_references_share_their_kind_and_namespace() {
        let source = SourceFile::in_memory(
            "test.yaml",
            "kind: ConfigMap\napiVersion: v1\nmetadata: {name: a, namespace: shop}\n---\n\
             kind: ConfigMap\napiVersion: v1\nmetadata: {name: b, namespace: shop}\n",
        );
        let arena = load::Bump::new();
        let parsed = load::parse_file(FileId(0), &source, &arena, Limits::default());
        let index = Index::build(parsed.objects, &IndexOptions::default());
        let mut cx = Cx::new(&index, "test");
        for object in index.objects() {
            cx.report(object, object.anchor(), "m");
        }
        let found = cx.into_diagnostics();
        let (a, b) = (
            found[0].object.as_deref().unwrap(),
            found[1].object.as_deref().unwrap(),
        );
        assert_eq!(
            (a.name.as_deref(), b.name.as_deref()),
            (Some("a"), Some("b"))
        );
        assert!(std::sync::Arc::ptr_eq(&a.kind, &b.kind));
        assert!(std::sync::Arc::ptr_eq(&a.api_version, &b.api_version));
        let namespace = |o: &crate::diagnostic::ObjectRef| o.namespace.clone().unwrap();
        assert_eq!(&*namespace(a), "shop");
        assert!(std::sync::Arc::ptr_eq(&namespace(a), &namespace(b)));
    }

    /// Every finding kept its own text, whatever was shared.
    fn each_keeps_its_own_text(found: &[crate::diagnostic::Diagnostic]) -> bool {
        found[3..found.len() - 1]
            .iter()
            .enumerate()
            .all(|(i, d)| d.help.as_deref() == Some(format!("help {i}").as_str()))
    }
}
