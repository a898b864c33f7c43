//! `suppression-malformed`: a suppression cannot be read or gives no reason.

use crate::rules::Rule;

declare_rule! {
/// ## What it does
///
/// Reports a `# pake-lint:` comment that is not one of `ignore[...]`, `ignore-document[...]`
/// or `ignore-file[...]`, a rule list without brackets or rules, and a suppression without a
/// reason: a comment without `-- reason`, or a `pake-lint.io/ignore` annotation without a
/// `pake-lint.io/ignore-reason` annotation beside it.
///
/// ## Why it matters
///
/// A suppression is a decision that the next reader must be able to review: without a reason
/// nobody knows whether it still holds. A directive that cannot be read suppresses nothing,
/// silently. A suppression without a reason still applies; this finding asks for the reason.
///
/// ## Example
///
/// ```yaml
/// apiVersion: v1
/// kind: Pod
/// metadata:
///   name: debug
/// spec:
///   containers:
///     - name: shell
///       image: busybox:1.36
///       securityContext:
///         privileged: true # pake-lint: ignore[container-privileged]
/// ```
///
/// ## Use instead
///
/// ```yaml
/// apiVersion: v1
/// kind: Pod
/// metadata:
///   name: debug
/// spec:
///   containers:
///     - name: shell
///       image: busybox:1.36
///       securityContext:
///         privileged: true # pake-lint: ignore[container-privileged] -- node debugging, removed after the incident
/// ```
///
/// ## Parameters
///
/// None. Like every rule it can be ignored or given another severity in the configuration.
///
/// ## Known limitations
///
/// Directives are recognised in comments only: `pake-lint:` inside a quoted string is text.
    SuppressionMalformed {
        id: "suppression-malformed",
        category: Input,
        severity: Warning,
        enabled: true,
        kinds: &[],
        summary: "a suppression cannot be read or gives no reason",
    }
}

/// Reported when suppressions are applied; there is nothing to check per object.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuppressionMalformed {}

impl Rule for SuppressionMalformed {}
