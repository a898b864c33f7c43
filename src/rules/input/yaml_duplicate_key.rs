//! `yaml-duplicate-key`: a mapping defines the same key twice.

use crate::rules::Rule;

declare_rule! {
/// ## What it does
///
/// Reports a key that appears twice in the same mapping, pointing at the second occurrence with the
/// first as a related location.
///
/// ## Why it matters
///
/// kubectl rejects documents with duplicate keys (`mapping key already defined`), and tools that
/// accept them silently keep one of the values: a second `env:` or `resources:` block added by a
/// merge hides the first.
///
/// ## Example
///
/// ```yaml
/// spec:
///   replicas: 2
///   replicas: 3
/// ```
///
/// ## Use instead
///
/// ```yaml
/// spec:
///   replicas: 3
/// ```
///
/// ## Parameters
///
/// None. The loader reports this problem; like every rule it can be ignored or given another
/// severity in the configuration.
///
/// ## Known limitations
///
/// Keys are compared by their text; `1` and `"1"` count as different keys.
    YamlDuplicateKey {
        id: "yaml-duplicate-key",
        category: Input,
        severity: Error,
        enabled: true,
        kinds: &[],
        summary: "a mapping defines the same key twice",
    }
}

/// Reported by the loader; there is nothing to check per object.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YamlDuplicateKey {}

impl Rule for YamlDuplicateKey {}
