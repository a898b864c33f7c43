//! `suppression-unused`: a suppression matched no finding.

use crate::rules::Rule;

declare_rule! {
/// ## What it does
///
/// With `--report-unused-suppressions`, reports each rule named by a suppression comment, a
/// `pake-lint.io/ignore` annotation or a configuration `ignores` entry that hid no finding in
/// the run. Rules that did not run (not selected, ignored) are not judged.
///
/// ## Why it matters
///
/// Suppressions outlive the problems they excused: once the manifest is fixed, a stale
/// `ignore[...]` silently hides the problem if it ever comes back. Reviewing unused
/// suppressions keeps the list of accepted exceptions honest.
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
///         privileged: false # pake-lint: ignore[container-privileged] -- node debugging
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
///         privileged: false
/// ```
///
/// ## Parameters
///
/// None. The rule reports only when `--report-unused-suppressions` is given.
///
/// ## Known limitations
///
/// A suppression is judged against the files of one run: lint the whole tree before removing
/// `ignore-file` comments of files linted separately.
    SuppressionUnused {
        id: "suppression-unused",
        category: Input,
        severity: Info,
        enabled: true,
        kinds: &[],
        summary: "a suppression matched no finding",
    }
}

/// Reported when suppressions are applied; there is nothing to check per object.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuppressionUnused {}

impl Rule for SuppressionUnused {}
