//! `file-unreadable`: a file could not be read.

use crate::rules::Rule;

declare_rule! {
/// ## What it does
///
/// Reports a file that could not be read: permission denied, removed during the run, a symbolic
/// link loop, or a path that is not a regular file (a FIFO, socket or device named on the command
/// line).
///
/// ## Why it matters
///
/// A file that silently drops out of a lint run is a gap in review. pake-lint reports it and lints
/// everything else. Only regular files are opened, so naming a FIFO or `/dev/zero` can neither
/// block nor exhaust memory.
///
/// ## Example
///
/// ```sh
/// pake-lint /dev/zero secret-readonly.yaml
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
/// The message gives the operating system's reason in a portable form.
    FileUnreadable {
        id: "file-unreadable",
        category: Input,
        severity: Error,
        enabled: true,
        kinds: &[],
        summary: "a file could not be read",
    }
}

/// Reported by the loader; there is nothing to check per object.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileUnreadable {}

impl Rule for FileUnreadable {}
