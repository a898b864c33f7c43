//! `yaml-syntax`: the file is not valid YAML or JSON.

use crate::rules::Rule;

declare_rule! {
/// ## What it does
///
/// Reports a YAML (or JSON) syntax error at the line and column where the parser stopped.
///
/// ## Why it matters
///
/// A manifest that does not parse cannot be applied, and every object after the error in the same
/// document is invisible to review. pake-lint reports the error, skips the broken document and
/// resumes at the next `---` line, so the other documents of the file are still linted.
///
/// ## Example
///
/// ```yaml
/// metadata:
///   name: web
///   labels: {app: web
/// ```
///
/// ## Use instead
///
/// ```yaml
/// metadata:
///   name: web
///   labels: {app: web}
/// ```
///
/// ## Parameters
///
/// None. The loader reports this problem; like every rule it can be ignored or given another
/// severity in the configuration.
///
/// ## Known limitations
///
/// The parser stops at the first error in a document; later errors in the same document appear once
/// the first is fixed.
///
/// Like kubectl (go-yaml), and unlike the YAML specification, pake-lint accepts quoted scalars
/// and flow collections (`[...]`, `{...}`) whose continuation lines are not indented past their
/// key, such as a closing `]` back at its key's column, and a byte order mark right after a
/// `---` line (files joined with `cat`).
    YamlSyntax {
        id: "yaml-syntax",
        category: Input,
        severity: Error,
        enabled: true,
        kinds: &[],
        summary: "the file is not valid YAML or JSON",
    }
}

/// Reported by the loader; there is nothing to check per object.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YamlSyntax {}

impl Rule for YamlSyntax {}
