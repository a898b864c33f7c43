//! `api-version-removed`: an object uses an API version the target Kubernetes release no longer
//! serves.

use crate::model::Object;
use crate::model::api_versions::{self, ApiStatus};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports an object whose `apiVersion` and `kind` are no longer served by the target
    /// Kubernetes release (`--kubernetes-version`, default 1.35), and names the API version to
    /// use instead and the release that removed it: `policy/v1beta1` PodDisruptionBudget
    /// (removed in 1.25), `extensions/v1beta1` Ingress (1.22), `autoscaling/v2beta2`
    /// HorizontalPodAutoscaler (1.26), `flowcontrol.apiserver.k8s.io/v1beta3` (1.32), and so on.
    ///
    /// ## Why it matters
    ///
    /// The API server rejects the object outright (`no matches for kind ... in version ...`):
    /// the whole release fails to apply, usually discovered during a cluster upgrade. Such an
    /// object is reported by this rule alone, not also by the schema rules.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: policy/v1beta1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   minAvailable: 1
    ///   selector:
    ///     matchLabels:
    ///       app: web
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   minAvailable: 1
    ///   selector:
    ///     matchLabels:
    ///       app: web
    /// ```
    ///
    /// ## Parameters
    ///
    /// None. The target release is the run's `--kubernetes-version` (default `1.35`, the oldest
    /// minor release upstream supported when this version of pake-lint was released).
    ///
    /// ## Known limitations
    ///
    /// The table (`src/model/api_versions.rs`) follows the official Deprecated API Migration
    /// Guide (<https://kubernetes.io/docs/reference/using-api/deprecation-guide/>) for beta
    /// APIs, and the kinds each release's OpenAPI document defines for alpha APIs; alpha APIs
    /// that were never enabled by default are listed only when a later release replaced them.
    /// API versions of custom resources are judged by the CRD rules, not here.
    ApiVersionRemoved {
        id: "api-version-removed",
        category: Schema,
        severity: Error,
        enabled: true,
        kinds: &["*"],
        summary: "an object uses an API version the target Kubernetes release no longer serves",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiVersionRemoved {}

impl Rule for ApiVersionRemoved {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let target = cx.index.kubernetes_version();
        let Some((entry, span)) = api_versions::with_status(object, target, ApiStatus::Removed)
        else {
            return;
        };
        let removed = entry.removed.unwrap_or_default();
        let mut help = match entry.replacement {
            Some(r) => format!("use `apiVersion: {r}`"),
            None => "remove the object".to_string(),
        };
        if let Some(note) = entry.note {
            help.push_str("; ");
            help.push_str(note);
        }
        cx.report(
            object,
            span,
            format!(
                "`{}` {} is no longer served since Kubernetes 1.{removed} (target {target})",
                object.api_version, object.kind
            ),
        )
        .help(help);
    }
}
