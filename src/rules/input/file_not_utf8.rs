//! `file-not-utf8`: a file is not valid UTF-8.

use crate::rules::Rule;

declare_rule! {
/// ## What it does
///
/// Reports a file that is not valid UTF-8, at the first invalid byte.
///
/// ## Why it matters
///
/// The Kubernetes API and kubectl read manifests as UTF-8; a Latin-1 `é` in a description makes the
/// apply fail or, worse, stores mojibake.
///
/// ## Example
///
/// ```sh
/// printf 'metadata:\n  name: caf\xe9\n' > latin1.yaml
/// ```
///
/// ## Use instead
///
/// ```sh
/// printf 'metadata:\n  name: cafe\n' > utf8.yaml
/// ```
///
/// ## Parameters
///
/// None. The loader reports this problem; like every rule it can be ignored or given another
/// severity in the configuration.
///
/// ## Known limitations
///
/// A UTF-8 byte order mark is accepted and ignored.
    FileNotUtf8 {
        id: "file-not-utf8",
        category: Input,
        severity: Error,
        enabled: true,
        kinds: &[],
        summary: "a file is not valid UTF-8",
    }
}

/// Reported by the loader; there is nothing to check per object.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileNotUtf8 {}

impl Rule for FileNotUtf8 {}
