//! `suppression-expired`: a configuration `ignores` entry has passed its `expires` date.

use crate::rules::Rule;

declare_rule! {
/// ## What it does
///
/// Reports an entry of the configuration's `ignores` whose `expires` date (`YYYY-MM-DD`, UTC)
/// is today or past. From that day the entry no longer suppresses anything: the findings it
/// hid are reported again, and this finding points at the date.
///
/// ## Why it matters
///
/// Temporary exceptions ("until the chart is upgraded") become permanent when nothing reminds
/// anyone. An expiry date makes the exception a deadline that the linter enforces.
///
/// ## Example
///
/// ```yaml
/// # .pake-lint.yaml
/// ignores:
///   - rule: container-runs-as-root
///     name: legacy-*
///     reason: the legacy image needs root until its rebuild
///     expires: 2020-01-31
/// ```
///
/// ## Use instead
///
/// ```yaml
/// # .pake-lint.yaml
/// ignores:
///   - rule: container-runs-as-root
///     name: legacy-*
///     reason: the legacy image needs root until its rebuild (tracked in OPS-123)
///     expires: 2099-01-31
/// ```
///
/// ## Parameters
///
/// None. Like every rule it can be ignored or given another severity in the configuration.
///
/// ## Known limitations
///
/// The date is compared with the machine's clock in UTC.
    SuppressionExpired {
        id: "suppression-expired",
        category: Input,
        severity: Warning,
        enabled: true,
        kinds: &[],
        summary: "a configuration ignore entry has expired",
    }
}

/// Reported when suppressions are applied; there is nothing to check per object.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuppressionExpired {}

impl Rule for SuppressionExpired {}
