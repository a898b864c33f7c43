//! `api-version-deprecated`: an object uses an API version that is deprecated in the target
//! Kubernetes release.

use crate::model::Object;
use crate::model::api_versions::{self, ApiStatus};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports an object whose `apiVersion` and `kind` are deprecated, but still served, in the
    /// target Kubernetes release (`--kubernetes-version`, default 1.35), naming the API version
    /// to move to and, when known, the release that removes it.
    ///
    /// ## Why it matters
    ///
    /// A deprecated API version disappears in a later release; when it does, the manifests
    /// that still use it stop applying, typically in the middle of a cluster upgrade. Moving
    /// while both versions are served costs nothing.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Endpoints
    /// metadata:
    ///   name: external-db
    /// subsets:
    ///   - addresses:
    ///       - ip: 10.0.0.12
    ///     ports:
    ///       - port: 5432
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: external-db
    ///   labels:
    ///     kubernetes.io/service-name: external-db
    /// addressType: IPv4
    /// endpoints:
    ///   - addresses: ["10.0.0.12"]
    /// ports:
    ///   - port: 5432
    /// ```
    ///
    /// ## Parameters
    ///
    /// None. The target release is the run's `--kubernetes-version` (default `1.35`).
    ///
    /// ## Known limitations
    ///
    /// The table (`src/model/api_versions.rs`) follows the official Deprecated API Migration
    /// Guide (<https://kubernetes.io/docs/reference/using-api/deprecation-guide/>). For betas
    /// whose GA version shipped after 1.32 the deprecation release is the one that made the
    /// replacement GA, which is when Kubernetes starts warning. Removed API versions are
    /// reported by `api-version-removed` instead.
    ApiVersionDeprecated {
        id: "api-version-deprecated",
        category: Schema,
        severity: Warning,
        enabled: true,
        kinds: &["*"],
        summary: "an object uses an API version deprecated in the target Kubernetes release",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiVersionDeprecated {}

impl Rule for ApiVersionDeprecated {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let target = cx.index.kubernetes_version();
        let Some((entry, span)) = api_versions::with_status(object, target, ApiStatus::Deprecated)
        else {
            return;
        };
        let deprecated = entry.deprecated.unwrap_or_default();
        let removal = match entry.removed {
            Some(r) => format!(" and removed in 1.{r}"),
            None => String::new(),
        };
        let mut help = match entry.replacement {
            Some(r) => format!("move to `apiVersion: {r}`"),
            None => format!(
                "`{}` has no replacement: plan to remove the object",
                object.kind
            ),
        };
        if let Some(note) = entry.note {
            help.push_str("; ");
            help.push_str(note);
        }
        cx.report(
            object,
            span,
            format!(
                "`{}` {} is deprecated since Kubernetes 1.{deprecated}{removal} (target {target})",
                object.api_version, object.kind
            ),
        )
        .help(help);
    }
}
