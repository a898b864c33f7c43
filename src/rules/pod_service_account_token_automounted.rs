//! `pod-service-account-token-automounted`: a pod gets an API token it may not need.

use crate::model::Object;
use crate::model::kinds::POD_BEARING;
use crate::model::pod::PodTemplate;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports a pod whose service account token is mounted automatically: the pod does not
    /// set `automountServiceAccountToken: false`, and neither does its ServiceAccount (the
    /// pod's `serviceAccountName`, or `default`, looked up in the pod's namespace) when that
    /// ServiceAccount is in the input. A pod-level `automountServiceAccountToken: true` wins
    /// over the ServiceAccount, as in Kubernetes, and is reported at its value. When the
    /// ServiceAccount is in the input, the finding has a related location on it.
    ///
    /// The finding points at the `serviceAccountName` value when there is one, else at the
    /// pod's `spec:` key.
    ///
    /// ## Why it matters
    ///
    /// Every container of the pod gets a token at
    /// `/var/run/secrets/kubernetes.io/serviceaccount/token`. Most applications never call the
    /// Kubernetes API; for them the token is only useful to an attacker who gets code
    /// execution in the pod, and whatever RBAC grants the account (sometimes a lot, through
    /// bindings to `default`) becomes theirs. The seed's checklist lists RBAC; not handing
    /// out credentials is its first step. Default severity: warning (kube-linter and Polaris
    /// keep it informational or off by default, since some workloads need the API).
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   serviceAccountName: web
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   serviceAccountName: web
    ///   automountServiceAccountToken: false
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    /// ```
    ///
    /// Or set `automountServiceAccountToken: false` on the ServiceAccount, which then covers
    /// every pod using it.
    ///
    /// ## Parameters
    ///
    /// None.
    ///
    /// ## Known limitations
    ///
    /// Operators, controllers and other pods that do call the API need the token: suppress
    /// the finding for them with a reason (or mount a projected token volume explicitly).
    /// A ServiceAccount that is not in the input is assumed to leave the default (`true`).
    PodServiceAccountTokenAutomounted {
        id: "pod-service-account-token-automounted",
        category: Security,
        severity: Warning,
        enabled: true,
        kinds: POD_BEARING,
        summary: "a pod mounts its service account token automatically",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodServiceAccountTokenAutomounted {}

const HELP: &str = "set `automountServiceAccountToken: false` on the pod (or its ServiceAccount) unless it calls the Kubernetes API";

impl Rule for PodServiceAccountTokenAutomounted {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(pod) = PodTemplate::of(object) else {
            return;
        };
        let pod_setting = pod.field("automountServiceAccountToken");
        match pod_setting.and_then(|n| n.as_bool()) {
            Some(false) => return,
            Some(true) => {
                let node = pod_setting.expect("matched a value");
                cx.report(
                    object,
                    node.span(),
                    "pod mounts its service account token (`automountServiceAccountToken: true`)",
                )
                .help(HELP);
                return;
            }
            None => {}
        }
        // `serviceAccount` is the deprecated spelling of `serviceAccountName`.
        let name_node = pod
            .field("serviceAccountName")
            .or_else(|| pod.field("serviceAccount"))
            .filter(|n| n.scalar_text().is_some_and(|s| !s.is_empty()));
        let account = name_node.and_then(|n| n.scalar_text()).unwrap_or("default");
        let span = name_node.map_or_else(|| pod.spec_key_span(), |n| n.span());
        let found = cx
            .index
            .find(object.namespace.as_deref(), "", "ServiceAccount", account);
        match found {
            Some(sa) => {
                let sa_setting = sa.root.get("automountServiceAccountToken");
                if sa_setting.and_then(|n| n.as_bool()) == Some(false) {
                    return;
                }
                let (related_span, note) = match sa_setting.filter(|n| !n.is_null()) {
                    Some(n) => (
                        n.span(),
                        format!(
                            "ServiceAccount `{account}` sets `automountServiceAccountToken: {}` here",
                            n.scalar_text().unwrap_or("?")
                        ),
                    ),
                    None => (
                        sa.anchor(),
                        format!(
                            "ServiceAccount `{account}` does not set `automountServiceAccountToken: false`"
                        ),
                    ),
                };
                cx.report(
                    object,
                    span,
                    format!(
                        "pod mounts the token of ServiceAccount `{account}`: neither the pod nor the account disables automounting"
                    ),
                )
                .help(HELP)
                .related(sa, related_span, note);
            }
            None => {
                cx.report(
                    object,
                    span,
                    format!(
                        "pod mounts the token of ServiceAccount `{account}`: the pod does not set `automountServiceAccountToken: false`"
                    ),
                )
                .help(HELP);
            }
        }
    }
}
