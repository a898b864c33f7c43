//! `yaml-alias-bomb`: aliases expand to an unreasonable number of nodes.

use crate::rules::Rule;

declare_rule! {
/// ## What it does
///
/// Reports a document whose anchors and aliases expand to more than a million nodes (a "billion
/// laughs" attack), at the alias that crossed the budget. The budget is shared by all the
/// documents of a file, so a file of many documents that each stay just under it is caught too
/// (the message then says "in this file").
///
/// ## Why it matters
///
/// Every consumer of the manifest (kubectl, the API server, admission webhooks) expands aliases; a
/// few hundred bytes can expand to gigabytes and take them down. pake-lint stops expanding at a
/// fixed budget, so the check costs bounded time and memory.
///
/// ## Example
///
/// ```yaml
/// a: &a [x, x, x, x, x, x, x, x, x, x]
/// b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
/// # ... nine more levels
/// ```
///
/// ## Use instead
///
/// ```yaml
/// a: &a [x, x]
/// b: [*a, *a]
/// ```
///
/// ## Parameters
///
/// None. The loader reports this problem; like every rule it can be ignored or given another
/// severity in the configuration.
///
/// ## Known limitations
///
/// The budget counts nodes, not bytes: a single huge scalar is not an alias bomb (the file size
/// limit bounds it).
    YamlAliasBomb {
        id: "yaml-alias-bomb",
        category: Input,
        severity: Error,
        enabled: true,
        kinds: &[],
        summary: "aliases expand to an unreasonable number of nodes",
    }
}

/// Reported by the loader; there is nothing to check per object.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YamlAliasBomb {}

impl Rule for YamlAliasBomb {}
