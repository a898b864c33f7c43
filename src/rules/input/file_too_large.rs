//! `file-too-large`: a file is larger than the size limit.

use crate::rules::Rule;

declare_rule! {
/// ## What it does
///
/// Reports a file larger than the size limit (64 MiB by default, `--max-file-size` to change it,
/// 2 GiB at most since positions are 32-bit offsets) without reading it.
///
/// ## Why it matters
///
/// Rendered manifests are rarely more than a few megabytes; a file of this size is almost always a
/// mistake (a dump, a binary) and would cost memory that the rest of the run needs.
///
/// ## Example
///
/// ```sh
/// pake-lint huge-dump.yaml   # 200 MiB
/// ```
///
/// ## Use instead
///
/// ```sh
/// pake-lint k8s/
/// ```
///
/// ## Parameters
///
/// None. The loader reports this problem; like every rule it can be ignored or given another
/// severity in the configuration.
///
/// ## Known limitations
///
/// The limit applies to each file, not to the whole run.
    FileTooLarge {
        id: "file-too-large",
        category: Input,
        severity: Error,
        enabled: true,
        kinds: &[],
        summary: "a file is larger than the size limit",
    }
}

/// Reported by the loader; there is nothing to check per object.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileTooLarge {}

impl Rule for FileTooLarge {}
