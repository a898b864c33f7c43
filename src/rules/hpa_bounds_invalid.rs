//! `hpa-bounds-invalid`: an HPA's replica range is empty, inverted or beyond the ceiling.

use crate::model::Object;
use crate::model::hpa::Hpa;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a HorizontalPodAutoscaler whose `maxReplicas` is below its `minReplicas`
    /// (`minReplicas` defaults to 1), equal to it, or above a configured ceiling (default 100).
    ///
    /// ## Why it matters
    ///
    /// The API refuses `maxReplicas` below `minReplicas`, so the apply fails at deploy time.
    /// With both equal the HPA can never scale: it only pins the replica count, which is
    /// probably a leftover of a debugging session. A very large maximum (a typo, `100` for
    /// `10`) lets a load spike or a metrics bug grow the workload until it exhausts the
    /// namespace quota or the cluster. The seed's backend scales between 2 and 10.
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
    ///   minReplicas: 4
    ///   maxReplicas: 4
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
    /// ```
    ///
    /// ## Parameters
    ///
    /// - `max_replicas_ceiling` (default `100`, our choice: ten times the seed's backend
    ///   maximum of 10): the largest acceptable `maxReplicas`. The seed's production profile
    ///   would set it to `10`.
    ///
    /// ```yaml
    /// rules:
    ///   hpa-bounds-invalid:
    ///     params: {max_replicas_ceiling: 10}
    /// ```
    ///
    /// ## Known limitations
    ///
    /// The ceiling is one figure for every HPA; large fleets with one very wide workload should
    /// suppress the finding on it.
    HpaBoundsInvalid {
        id: "hpa-bounds-invalid",
        category: Scaling,
        severity: Error,
        enabled: true,
        kinds: &["HorizontalPodAutoscaler"],
        summary: "an HPA's replica range is empty, inverted or above the ceiling",
    }
}

#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HpaBoundsInvalid {
    pub max_replicas_ceiling: i64,
}

impl Default for HpaBoundsInvalid {
    fn default() -> Self {
        HpaBoundsInvalid {
            max_replicas_ceiling: 100,
        }
    }
}

impl Rule for HpaBoundsInvalid {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(hpa) = Hpa::of(object) else { return };
        let Some((max, max_node)) = hpa.max_replicas() else {
            return;
        };
        let min = hpa.effective_min();
        let min_text = match hpa.min_replicas() {
            Some(_) => format!("`minReplicas` (`{min}`)"),
            None => "the default `minReplicas` (`1`)".to_string(),
        };
        if max < min {
            cx.report(
                object,
                max_node.span(),
                format!("`maxReplicas` (`{max}`) is below {min_text}"),
            )
            .help("the API refuses this HPA: raise `maxReplicas` above `minReplicas`");
        } else if max == min {
            cx.report(
                object,
                max_node.span(),
                format!("`maxReplicas` equals {min_text}: the HPA can never scale"),
            )
            .help("raise `maxReplicas` above `minReplicas`, or delete the HPA and set `replicas` on the workload");
        } else if max > self.max_replicas_ceiling {
            cx.report(
                object,
                max_node.span(),
                format!(
                    "`maxReplicas` is `{max}`, above the ceiling of `{}`",
                    self.max_replicas_ceiling
                ),
            )
            .help("lower `maxReplicas` to what the namespace quota and the cluster can hold");
        }
    }
}
