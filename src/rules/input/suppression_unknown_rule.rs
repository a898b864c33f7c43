//! `suppression-unknown-rule`: a suppression names a rule that does not exist.

use crate::rules::Rule;

declare_rule! {
/// ## What it does
///
/// Reports a suppression comment (`# pake-lint: ignore[...]`, `ignore-document[...]`,
/// `ignore-file[...]`) or a `pake-lint.io/ignore` annotation that names a rule pake-lint does
/// not have.
///
/// ## Why it matters
///
/// A misspelt rule id suppresses nothing: the author believes a finding is silenced with a
/// reason while it is either still reported or, worse, the suppression hides a typo that
/// will never match. Configuration files are checked the same way, before the run.
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
///         privileged: true # pake-lint: ignore[container-privilegd] -- node debugging
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
///         privileged: true # pake-lint: ignore[container-privileged] -- node debugging
/// ```
///
/// ## Parameters
///
/// None. Like every rule it can be ignored or given another severity in the configuration.
///
/// ## Known limitations
///
/// Suppressions name rule ids, not categories.
    SuppressionUnknownRule {
        id: "suppression-unknown-rule",
        category: Input,
        severity: Warning,
        enabled: true,
        kinds: &[],
        summary: "a suppression names a rule that does not exist",
    }
}

/// Reported when suppressions are applied; there is nothing to check per object.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuppressionUnknownRule {}

impl Rule for SuppressionUnknownRule {}
