//! `invalid-object`: a document has `apiVersion` or `kind` but is not a readable object.

use crate::rules::Rule;

declare_rule! {
/// ## What it does
///
/// Reports a document that declares itself a Kubernetes object but whose identity cannot be read: a
/// missing or non-string `apiVersion` or `kind`, `metadata` that is not a mapping, a missing
/// `metadata.name` (without `generateName`), or labels and annotations whose values are not
/// strings.
///
/// ## Why it matters
///
/// kubectl refuses such a document before it reaches the cluster, and no other rule can judge an
/// object it cannot identify. Unquoted label values such as `version: 1.10` are a classic: YAML
/// reads a number and kubectl fails with `cannot unmarshal number into ... of type string`.
///
/// ## Example
///
/// ```yaml
/// apiVersion: v1
/// kind: ConfigMap
/// metadata:
///   name: settings
///   labels:
///     version: 1.10
/// ```
///
/// ## Use instead
///
/// ```yaml
/// apiVersion: v1
/// kind: ConfigMap
/// metadata:
///   name: settings
///   labels:
///     version: "1.10"
/// ```
///
/// ## Parameters
///
/// None. The loader reports this problem; like every rule it can be ignored or given another
/// severity in the configuration.
///
/// ## Known limitations
///
/// Only the fields pake-lint needs to identify an object are checked here; everything else is
/// schema validation.
    InvalidObject {
        id: "invalid-object",
        category: Input,
        severity: Error,
        enabled: true,
        kinds: &[],
        summary: "a document has `apiVersion` or `kind` but is not a readable object",
    }
}

/// Reported by the loader; there is nothing to check per object.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidObject {}

impl Rule for InvalidObject {}
