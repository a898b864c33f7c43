//! `file-binary`: a file contains a NUL byte.

use crate::rules::Rule;

declare_rule! {
/// ## What it does
///
/// Reports a file containing a NUL byte, which no YAML or JSON text may contain: an archive, an
/// image, a UTF-16 file or a corrupted file.
///
/// ## Why it matters
///
/// Binary content in a manifest folder is a mistake (a committed archive, a file saved as UTF-16).
/// pake-lint reports it at the first NUL byte instead of feeding it to the parser.
///
/// ## Example
///
/// ```sh
/// printf 'apiVersion: v1\0' > broken.yaml
/// ```
///
/// ## Use instead
///
/// ```sh
/// printf 'apiVersion: v1\n' > ok.yaml
/// ```
///
/// ## Parameters
///
/// None. The loader reports this problem; like every rule it can be ignored or given another
/// severity in the configuration.
///
/// ## Known limitations
///
/// Files saved as UTF-16 are reported here; convert them to UTF-8.
    FileBinary {
        id: "file-binary",
        category: Input,
        severity: Error,
        enabled: true,
        kinds: &[],
        summary: "a file contains a NUL byte",
    }
}

/// Reported by the loader; there is nothing to check per object.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileBinary {}

impl Rule for FileBinary {}
