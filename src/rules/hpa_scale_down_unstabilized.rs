//! `hpa-scale-down-unstabilized`: an HPA does not state its scale-down stabilisation window.

use crate::model::Object;
use crate::model::hpa::Hpa;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a HorizontalPodAutoscaler that sets no
    /// `behavior.scaleDown.stabilizationWindowSeconds`, or sets it below a configured minimum
    /// (default 300 seconds, the seed's 5 minutes). `autoscaling/v1` HPAs have no `behavior`
    /// and are reported when unset, so the rule is opt-in.
    ///
    /// ## Why it matters
    ///
    /// The window is how long load must stay low before the HPA removes pods. Too short and
    /// the workload flaps: pods are removed between two bursts, then recreated with cold
    /// caches and a startup delay while users wait. The API's default is also 300 seconds, so
    /// an unset window behaves well today; stating it keeps the behaviour reviewed and safe
    /// from a cluster-wide `--horizontal-pod-autoscaler-downscale-stabilization` change. The
    /// seed scales in only after 5 minutes of sustained low load.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 2
    ///   maxReplicas: 10
    ///   behavior:
    ///     scaleDown:
    ///       stabilizationWindowSeconds: 30
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 2
    ///   maxReplicas: 10
    ///   behavior:
    ///     scaleDown:
    ///       stabilizationWindowSeconds: 300
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `min_seconds` (default `300`, the seed's 5-minute scale-down stabilisation): the
    ///   shortest accepted window.
    ///
    /// ```yaml
    /// rules:
    ///   hpa-scale-down-unstabilized:
    ///     params: {min_seconds: 600}
    /// ```
    ///
    /// ## Known limitations
    ///
    /// Scale-down `policies` that slow removal (one pod per minute) also damp flapping; they
    /// are not taken into account.
    HpaScaleDownUnstabilized {
        id: "hpa-scale-down-unstabilized",
        category: Scaling,
        severity: Info,
        enabled: false,
        kinds: &["HorizontalPodAutoscaler"],
        summary: "an HPA states no scale-down stabilisation window, or a short one",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HpaScaleDownUnstabilized {
    pub min_seconds: i64,
}

impl Default for HpaScaleDownUnstabilized {
    fn default() -> Self {
        // The seed: "Scale-down Stabilization: 5 minutes".
        HpaScaleDownUnstabilized { min_seconds: 300 }
    }
}

impl Rule for HpaScaleDownUnstabilized {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(hpa) = Hpa::of(object) else { return };
        let min = self.min_seconds;
        match hpa.scale_down_stabilization() {
            Some((value, node)) if value < min => {
                cx.report(
                    object,
                    node.span(),
                    format!("scale-down stabilisation window is `{value}s`, below `{min}s`"),
                )
                .help(format!("set `stabilizationWindowSeconds: {min}` or more"));
            }
            Some(_) => {}
            None => {
                let span = hpa
                    .spec
                    .entry("behavior")
                    .map_or_else(|| hpa.spec_key(), |e| e.key.span());
                cx.report(
                    object,
                    span,
                    "HPA states no scale-down stabilisation window",
                )
                .help(format!(
                    "set `behavior.scaleDown.stabilizationWindowSeconds: {min}` (autoscaling/v2)"
                ));
            }
        }
    }
}
