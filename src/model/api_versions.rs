//! The Kubernetes version a run targets (`--kubernetes-version`), and the lifecycle of API
//! versions: which `apiVersion` + `kind` pairs are deprecated as of, or no longer served in,
//! each Kubernetes release, with what replaces them.
//!
//! Sources: the official "Deprecated API Migration Guide"
//! (<https://kubernetes.io/docs/reference/using-api/deprecation-guide/>) for every beta API it
//! lists; for alpha APIs (which upstream removes without a deprecation period) and for releases
//! after 1.32, the kinds each release's OpenAPI document defines, diffed release by release
//! (the schemas under `data/schemas/` and the kubernetes-validate package, see
//! `scripts/generate-schemas.py`). A `deprecated` release given for a beta whose GA replacement
//! appeared after 1.32 is the release that made the replacement GA: Kubernetes deprecates a beta
//! version when its GA version ships.

use std::fmt;
use std::str::FromStr;

/// A Kubernetes minor release, `1.35`. Patch numbers are accepted and ignored: APIs only
/// change between minor releases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    pub major: u16,
    pub minor: u16,
}

impl KubeVersion {
    pub const fn new(major: u16, minor: u16) -> Self {
        KubeVersion { major, minor }
    }

    /// The default target: the oldest minor release upstream still supports on the date of this
    /// release of pake-lint (1.35, 1.36 and 1.37 as of 2026-11), so that what is reported as
    /// removed is gone from every supported cluster.
    pub const DEFAULT: KubeVersion = KubeVersion::new(1, 35);
}

impl Default for KubeVersion {
    fn default() -> Self {
        KubeVersion::DEFAULT
    }
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Why a `--kubernetes-version` value was refused.
#[derive(Debug, thiserror::Error)]
#[error("invalid Kubernetes version `{0}`: expected `MAJOR.MINOR`, such as `1.35`")]
pub struct KubeVersionError(pub String);

impl FromStr for KubeVersion {
    type Err = KubeVersionError;

    /// Reads `1.35`, `v1.35` or `1.35.2`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || KubeVersionError(s.to_string());
        let t = s.trim().strip_prefix('v').unwrap_or(s.trim());
        let mut parts = t.split('.');
        let major: u16 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(err)?;
        let minor: u16 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(err)?;
        if let Some(patch) = parts.next()
            && patch.parse::<u16>().is_err()
        {
            return Err(err());
        }
        if parts.next().is_some() || major != 1 {
            return Err(err());
        }
        Ok(KubeVersion { major, minor })
    }
}

/// One API version of one kind that was deprecated or removed.
#[derive(Debug)]
pub struct ApiLifecycle {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// The first release that warns about it (the release its replacement became GA in, for
    /// alpha versions and recent betas).
    pub deprecated: Option<u16>,
    /// The first release that no longer serves it.
    pub removed: Option<u16>,
    /// The `apiVersion` to use instead; `None` when the API is gone without replacement.
    pub replacement: Option<&'static str>,
    /// What else the migration needs, for the help text.
    pub note: Option<&'static str>,
}

const fn api(
    api_version: &'static str,
    kind: &'static str,
    deprecated: u16,
    removed: u16,
    replacement: &'static str,
) -> ApiLifecycle {
    ApiLifecycle {
        api_version,
        kind,
        deprecated: if deprecated == 0 {
            None
        } else {
            Some(deprecated)
        },
        removed: if removed == 0 { None } else { Some(removed) },
        replacement: if replacement.is_empty() {
            None
        } else {
            Some(replacement)
        },
        note: None,
    }
}

const fn with_note(mut a: ApiLifecycle, note: &'static str) -> ApiLifecycle {
    a.note = Some(note);
    a
}

/// The table, by release of removal (0: not removed as of 1.37). Minor versions of Kubernetes 1.
pub const API_LIFECYCLE: &[ApiLifecycle] = &[
    // 1.16: the workload APIs of `extensions/v1beta1`, `apps/v1beta1` and `apps/v1beta2`.
    api("extensions/v1beta1", "Deployment", 9, 16, "apps/v1"),
    api("extensions/v1beta1", "DaemonSet", 9, 16, "apps/v1"),
    api("extensions/v1beta1", "ReplicaSet", 9, 16, "apps/v1"),
    api(
        "extensions/v1beta1",
        "NetworkPolicy",
        9,
        16,
        "networking.k8s.io/v1",
    ),
    with_note(
        api("extensions/v1beta1", "PodSecurityPolicy", 11, 16, ""),
        "PodSecurityPolicy was removed entirely in 1.25: enforce Pod Security Standards with Pod Security Admission namespace labels instead",
    ),
    api("apps/v1beta1", "Deployment", 9, 16, "apps/v1"),
    api("apps/v1beta1", "StatefulSet", 9, 16, "apps/v1"),
    api("apps/v1beta1", "ControllerRevision", 9, 16, "apps/v1"),
    api("apps/v1beta2", "Deployment", 9, 16, "apps/v1"),
    api("apps/v1beta2", "StatefulSet", 9, 16, "apps/v1"),
    api("apps/v1beta2", "DaemonSet", 9, 16, "apps/v1"),
    api("apps/v1beta2", "ReplicaSet", 9, 16, "apps/v1"),
    api("apps/v1beta2", "ControllerRevision", 9, 16, "apps/v1"),
    // 1.22
    api(
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
        16,
        22,
        "admissionregistration.k8s.io/v1",
    ),
    api(
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
        16,
        22,
        "admissionregistration.k8s.io/v1",
    ),
    api(
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        16,
        22,
        "apiextensions.k8s.io/v1",
    ),
    api(
        "apiregistration.k8s.io/v1beta1",
        "APIService",
        19,
        22,
        "apiregistration.k8s.io/v1",
    ),
    api(
        "authentication.k8s.io/v1beta1",
        "TokenReview",
        19,
        22,
        "authentication.k8s.io/v1",
    ),
    api(
        "authorization.k8s.io/v1beta1",
        "SubjectAccessReview",
        19,
        22,
        "authorization.k8s.io/v1",
    ),
    api(
        "authorization.k8s.io/v1beta1",
        "LocalSubjectAccessReview",
        19,
        22,
        "authorization.k8s.io/v1",
    ),
    api(
        "authorization.k8s.io/v1beta1",
        "SelfSubjectAccessReview",
        19,
        22,
        "authorization.k8s.io/v1",
    ),
    api(
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        19,
        22,
        "certificates.k8s.io/v1",
    ),
    api(
        "coordination.k8s.io/v1beta1",
        "Lease",
        19,
        22,
        "coordination.k8s.io/v1",
    ),
    with_note(
        api(
            "extensions/v1beta1",
            "Ingress",
            14,
            22,
            "networking.k8s.io/v1",
        ),
        "`networking.k8s.io/v1` renames `serviceName`/`servicePort` to `service.name`/`service.port` and requires `pathType`",
    ),
    with_note(
        api(
            "networking.k8s.io/v1beta1",
            "Ingress",
            19,
            22,
            "networking.k8s.io/v1",
        ),
        "`networking.k8s.io/v1` renames `serviceName`/`servicePort` to `service.name`/`service.port` and requires `pathType`",
    ),
    api(
        "networking.k8s.io/v1beta1",
        "IngressClass",
        19,
        22,
        "networking.k8s.io/v1",
    ),
    api(
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRole",
        17,
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    api(
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRoleBinding",
        17,
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    api(
        "rbac.authorization.k8s.io/v1beta1",
        "Role",
        17,
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    api(
        "rbac.authorization.k8s.io/v1beta1",
        "RoleBinding",
        17,
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    api(
        "rbac.authorization.k8s.io/v1alpha1",
        "ClusterRole",
        17,
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    api(
        "rbac.authorization.k8s.io/v1alpha1",
        "ClusterRoleBinding",
        17,
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    api(
        "rbac.authorization.k8s.io/v1alpha1",
        "Role",
        17,
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    api(
        "rbac.authorization.k8s.io/v1alpha1",
        "RoleBinding",
        17,
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    api(
        "scheduling.k8s.io/v1beta1",
        "PriorityClass",
        14,
        22,
        "scheduling.k8s.io/v1",
    ),
    api(
        "storage.k8s.io/v1beta1",
        "CSIDriver",
        19,
        22,
        "storage.k8s.io/v1",
    ),
    api(
        "storage.k8s.io/v1beta1",
        "CSINode",
        17,
        22,
        "storage.k8s.io/v1",
    ),
    api(
        "storage.k8s.io/v1beta1",
        "StorageClass",
        19,
        22,
        "storage.k8s.io/v1",
    ),
    api(
        "storage.k8s.io/v1beta1",
        "VolumeAttachment",
        19,
        22,
        "storage.k8s.io/v1",
    ),
    // 1.25
    api("batch/v1beta1", "CronJob", 21, 25, "batch/v1"),
    api(
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        21,
        25,
        "discovery.k8s.io/v1",
    ),
    api("events.k8s.io/v1beta1", "Event", 19, 25, "events.k8s.io/v1"),
    api(
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        22,
        25,
        "autoscaling/v2",
    ),
    api("policy/v1beta1", "PodDisruptionBudget", 21, 25, "policy/v1"),
    with_note(
        api("policy/v1beta1", "PodSecurityPolicy", 21, 25, ""),
        "PodSecurityPolicy was removed entirely in 1.25: enforce Pod Security Standards with Pod Security Admission namespace labels instead",
    ),
    api(
        "node.k8s.io/v1beta1",
        "RuntimeClass",
        20,
        25,
        "node.k8s.io/v1",
    ),
    // 1.26
    api(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "FlowSchema",
        23,
        26,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    api(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "PriorityLevelConfiguration",
        23,
        26,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    api(
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        23,
        26,
        "autoscaling/v2",
    ),
    // 1.27
    api(
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        24,
        27,
        "storage.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1alpha1",
        "ResourceClaim",
        0,
        27,
        "resource.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1alpha1",
        "ResourceClaimTemplate",
        0,
        27,
        "resource.k8s.io/v1",
    ),
    api("resource.k8s.io/v1alpha1", "ResourceClass", 0, 27, ""),
    api("resource.k8s.io/v1alpha1", "PodScheduling", 0, 27, ""),
    // 1.29
    with_note(
        api(
            "flowcontrol.apiserver.k8s.io/v1beta2",
            "FlowSchema",
            26,
            29,
            "flowcontrol.apiserver.k8s.io/v1",
        ),
        "`spec.limited.assuredConcurrencyShares` is renamed `nominalConcurrencyShares`",
    ),
    with_note(
        api(
            "flowcontrol.apiserver.k8s.io/v1beta2",
            "PriorityLevelConfiguration",
            26,
            29,
            "flowcontrol.apiserver.k8s.io/v1",
        ),
        "`spec.limited.assuredConcurrencyShares` is renamed `nominalConcurrencyShares`",
    ),
    api("networking.k8s.io/v1alpha1", "ClusterCIDR", 0, 29, ""),
    // 1.31
    api(
        "networking.k8s.io/v1alpha1",
        "IPAddress",
        0,
        31,
        "networking.k8s.io/v1",
    ),
    api(
        "networking.k8s.io/v1alpha1",
        "ServiceCIDR",
        0,
        31,
        "networking.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1alpha2",
        "ResourceClaim",
        0,
        31,
        "resource.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1alpha2",
        "ResourceClaimTemplate",
        0,
        31,
        "resource.k8s.io/v1",
    ),
    api("resource.k8s.io/v1alpha2", "ResourceClass", 0, 31, ""),
    api(
        "resource.k8s.io/v1alpha2",
        "ResourceSlice",
        0,
        31,
        "resource.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1alpha2",
        "PodSchedulingContext",
        0,
        31,
        "",
    ),
    api(
        "resource.k8s.io/v1alpha2",
        "ResourceClaimParameters",
        0,
        31,
        "",
    ),
    api(
        "resource.k8s.io/v1alpha2",
        "ResourceClassParameters",
        0,
        31,
        "",
    ),
    // 1.32
    api(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "FlowSchema",
        29,
        32,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    api(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "PriorityLevelConfiguration",
        29,
        32,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    api(
        "admissionregistration.k8s.io/v1alpha1",
        "ValidatingAdmissionPolicy",
        0,
        32,
        "admissionregistration.k8s.io/v1",
    ),
    api(
        "admissionregistration.k8s.io/v1alpha1",
        "ValidatingAdmissionPolicyBinding",
        0,
        32,
        "admissionregistration.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1alpha3",
        "PodSchedulingContext",
        0,
        32,
        "",
    ),
    // 1.33
    api(
        "authentication.k8s.io/v1beta1",
        "SelfSubjectReview",
        28,
        33,
        "authentication.k8s.io/v1",
    ),
    // 1.34
    api(
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingAdmissionPolicy",
        30,
        34,
        "admissionregistration.k8s.io/v1",
    ),
    api(
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingAdmissionPolicyBinding",
        30,
        34,
        "admissionregistration.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1alpha3",
        "DeviceClass",
        0,
        34,
        "resource.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1alpha3",
        "ResourceClaim",
        0,
        34,
        "resource.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1alpha3",
        "ResourceClaimTemplate",
        0,
        34,
        "resource.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1alpha3",
        "ResourceSlice",
        0,
        34,
        "resource.k8s.io/v1",
    ),
    // 1.35
    api(
        "storage.k8s.io/v1alpha1",
        "VolumeAttributesClass",
        0,
        35,
        "storage.k8s.io/v1",
    ),
    api(
        "storagemigration.k8s.io/v1alpha1",
        "StorageVersionMigration",
        0,
        35,
        "storagemigration.k8s.io/v1beta1",
    ),
    // 1.37
    api(
        "networking.k8s.io/v1beta1",
        "IPAddress",
        33,
        37,
        "networking.k8s.io/v1",
    ),
    api(
        "networking.k8s.io/v1beta1",
        "ServiceCIDR",
        33,
        37,
        "networking.k8s.io/v1",
    ),
    api(
        "storage.k8s.io/v1beta1",
        "VolumeAttributesClass",
        34,
        37,
        "storage.k8s.io/v1",
    ),
    api(
        "certificates.k8s.io/v1alpha1",
        "ClusterTrustBundle",
        0,
        37,
        "certificates.k8s.io/v1",
    ),
    // Deprecated, still served in 1.37.
    with_note(
        api("v1", "Endpoints", 33, 0, "discovery.k8s.io/v1"),
        "write an `EndpointSlice` (with the `kubernetes.io/service-name` label) instead",
    ),
    api(
        "resource.k8s.io/v1beta1",
        "DeviceClass",
        34,
        0,
        "resource.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1beta1",
        "ResourceClaim",
        34,
        0,
        "resource.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1beta1",
        "ResourceClaimTemplate",
        34,
        0,
        "resource.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1beta1",
        "ResourceSlice",
        34,
        0,
        "resource.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1beta2",
        "DeviceClass",
        34,
        0,
        "resource.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1beta2",
        "ResourceClaim",
        34,
        0,
        "resource.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1beta2",
        "ResourceClaimTemplate",
        34,
        0,
        "resource.k8s.io/v1",
    ),
    api(
        "resource.k8s.io/v1beta2",
        "ResourceSlice",
        34,
        0,
        "resource.k8s.io/v1",
    ),
    api(
        "certificates.k8s.io/v1beta1",
        "ClusterTrustBundle",
        37,
        0,
        "certificates.k8s.io/v1",
    ),
];

/// Where an API version of a kind stands in a target release.
#[derive(Debug, PartialEq, Eq)]
pub enum ApiStatus {
    Served,
    Deprecated,
    Removed,
}

/// The lifecycle entry of `api_version` + `kind`, if the table has one.
/// The lifecycle entry of `object`'s `apiVersion` when that API has `status` in the `target`
/// release, with the span of the `apiVersion` value (where the api-version rules point).
pub fn with_status(
    object: &crate::model::Object<'_>,
    target: KubeVersion,
    status: ApiStatus,
) -> Option<(&'static ApiLifecycle, crate::load::tree::Span)> {
    let entry = lifecycle(object.api_version, object.kind)?;
    if entry.status(target) != status {
        return None;
    }
    let span = object
        .root
        .get("apiVersion")
        .map_or(object.anchor(), |n| n.span());
    Some((entry, span))
}

pub fn lifecycle(api_version: &str, kind: &str) -> Option<&'static ApiLifecycle> {
    API_LIFECYCLE
        .iter()
        .find(|a| a.api_version == api_version && a.kind == kind)
}

impl ApiLifecycle {
    /// Its status in `target`.
    pub fn status(&self, target: KubeVersion) -> ApiStatus {
        let at = |minor: Option<u16>| minor.is_some_and(|m| target >= KubeVersion::new(1, m));
        if at(self.removed) {
            ApiStatus::Removed
        } else if at(self.deprecated) {
            ApiStatus::Deprecated
        } else {
            ApiStatus::Served
        }
    }
}

/// Whether `api_version` + `kind` is no longer served in `target`.
pub fn is_removed(api_version: &str, kind: &str, target: KubeVersion) -> bool {
    lifecycle(api_version, kind).is_some_and(|a| a.status(target) == ApiStatus::Removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_versions() {
        assert_eq!(
            "1.35".parse::<KubeVersion>().unwrap(),
            KubeVersion::new(1, 35)
        );
        assert_eq!(
            "v1.24".parse::<KubeVersion>().unwrap(),
            KubeVersion::new(1, 24)
        );
        assert_eq!(
            "1.30.2".parse::<KubeVersion>().unwrap(),
            KubeVersion::new(1, 30)
        );
        assert!("1".parse::<KubeVersion>().is_err());
        assert!("2.1".parse::<KubeVersion>().is_err());
        assert!("1.x".parse::<KubeVersion>().is_err());
    }

    #[test]
    fn pdb_v1beta1_is_removed_in_1_25_only() {
        let pdb = lifecycle("policy/v1beta1", "PodDisruptionBudget").unwrap();
        assert_eq!(pdb.status(KubeVersion::new(1, 20)), ApiStatus::Served);
        assert_eq!(pdb.status(KubeVersion::new(1, 24)), ApiStatus::Deprecated);
        assert_eq!(pdb.status(KubeVersion::new(1, 25)), ApiStatus::Removed);
    }

    #[test]
    fn table_has_no_duplicates_and_sane_orders() {
        for (i, a) in API_LIFECYCLE.iter().enumerate() {
            assert!(
                !API_LIFECYCLE[..i]
                    .iter()
                    .any(|b| b.api_version == a.api_version && b.kind == a.kind),
                "duplicate {} {}",
                a.api_version,
                a.kind
            );
            if let (Some(d), Some(r)) = (a.deprecated, a.removed) {
                assert!(d < r, "{} {}", a.api_version, a.kind);
            }
            assert!(a.deprecated.is_some() || a.removed.is_some());
        }
    }
}
