//! `metadata-invalid`: an object name, namespace, label or annotation the API server would
//! reject.

use crate::load::tree::Node;
use crate::model::names::{self, ANNOTATIONS_MAX_BYTES};
use crate::model::{Object, kinds};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    ///
    /// Reports metadata the API server rejects, in the object's `metadata` and in the pod
    /// template's (`spec.template.metadata`, `spec.jobTemplate.spec.template.metadata`):
    ///
    /// - `metadata.name` of a built-in kind that breaks its kind's syntax. Most kinds take a
    ///   DNS-1123 subdomain (lowercase letters, digits, `-` and `.`, at most 253 characters);
    ///   a Namespace takes a DNS-1123 label (no `.`, at most 63); a Service a DNS-1035 label
    ///   (a label that starts with a letter); RBAC objects (Role, ClusterRole and their
    ///   bindings) any path segment, so `system:metrics-reader` is fine; a CronJob at most 52
    ///   characters (its Jobs append an 11-character suffix and must fit in a 63-character
    ///   label). The table is `name_syntax` in `src/model/names.rs`, taken from each kind's
    ///   validation in the Kubernetes API server.
    /// - `metadata.namespace` that is not a DNS-1123 label.
    /// - Label and annotation keys that are not qualified names: an optional prefix (a DNS-1123
    ///   subdomain of at most 253 characters) and `/`, then a name of at most 63 characters of
    ///   letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit.
    /// - Label values longer than 63 characters or outside that character set (an empty value
    ///   is fine).
    /// - Annotations whose keys and values total more than 256 KiB.
    ///
    /// ## Why it matters
    ///
    /// The API server refuses the whole object, so the deployment fails at apply time; Helm
    /// renders such names easily (`{{ .Release.Name }}-{{ .Values.component }}` with an
    /// uppercase or long value) and a 256 KiB annotation usually means a whole file was pasted
    /// into `kubectl.kubernetes.io/last-applied-configuration`-style metadata.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: Web_API
    ///   labels:
    ///     app.kubernetes.io/version: "release 1.2"
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web-api
    ///   labels:
    ///     app.kubernetes.io/version: release-1.2
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## Parameters
    ///
    /// None: the limits are the API server's.
    ///
    /// ## Known limitations
    ///
    /// Names of custom resources are not checked (their CRDs decide); `generateName` is not
    /// checked. Kinds whose names the API server checks more loosely than a DNS-1123 subdomain
    /// and that are not in the table above may be reported too strictly: say so in an issue.
    MetadataInvalid {
        id: "metadata-invalid",
        category: Schema,
        severity: Error,
        enabled: true,
        kinds: &["*"],
        summary: "an object name, namespace, label or annotation the API server would reject",
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetadataInvalid {}

impl Rule for MetadataInvalid {
    fn check(&self, object: &Object<'_>, cx: &mut Cx<'_, '_>) {
        let Some(metadata) = object.metadata() else {
            return;
        };
        if kinds::is_builtin_group(object.group)
            && let Some(name) = metadata.get("name")
            && let Some(text) = name.as_str()
        {
            let syntax = names::name_syntax(object.group, object.kind);
            let problem = syntax.check(text).or_else(|| {
                names::max_name_length(object.group, object.kind)
                    .filter(|&max| text.len() > max)
                    .map(|max| format!("must be at most {max} characters (it has {})", text.len()))
            });
            if let Some(problem) = problem {
                cx.report(
                    object,
                    name.span(),
                    format!("{} name `{text}` is invalid: {problem}", object.kind),
                )
                .help(format!(
                    "a {} name must be {}: rename it",
                    object.kind,
                    syntax.describe()
                ));
            }
        }
        if let Some(ns) = metadata.get("namespace")
            && let Some(text) = ns.as_str()
            && let Some(problem) = names::NameSyntax::Dns1123Label.check(text)
        {
            cx.report(
                object,
                ns.span(),
                format!("namespace `{text}` is invalid: {problem}"),
            )
            .help("a namespace name must be a DNS-1123 label");
        }
        check_metadata(object, metadata, "", cx);
        for path in [
            &["spec", "template", "metadata"][..],
            &["spec", "jobTemplate", "spec", "template", "metadata"],
        ] {
            if let Some(template) = object.root.path(path) {
                check_metadata(object, template, "pod template ", cx);
            }
        }
    }
}

/// Labels and annotations of one `metadata` mapping.
fn check_metadata(object: &Object<'_>, metadata: &Node<'_>, whose: &str, cx: &mut Cx<'_, '_>) {
    if let Some(labels) = metadata.get("labels") {
        for entry in labels.entries() {
            let Some(key) = entry.key.scalar_text() else {
                continue;
            };
            if let Some(problem) = names::qualified_name(key) {
                cx.report(
                    object,
                    entry.key.span(),
                    format!("{whose}label key `{key}` is invalid: {problem}"),
                )
                .help("a label key is an optional DNS subdomain prefix and `/`, then a name of at most 63 letters, digits, `-`, `_` or `.`");
            }
            if let Some(value) = entry.value.scalar_text()
                && let Some(problem) = names::label_value(value)
            {
                cx.report(
                    object,
                    entry.value.span(),
                    format!("{whose}label `{key}` has an invalid value `{}`: {problem}", shorten(value)),
                )
                .help("a label value is at most 63 letters, digits, `-`, `_` or `.`; move longer text to an annotation");
            }
        }
    }
    if let Some(annotations) = metadata.get("annotations") {
        let mut total = 0usize;
        for entry in annotations.entries() {
            let Some(key) = entry.key.scalar_text() else {
                continue;
            };
            total += key.len() + entry.value.scalar_text().map_or(0, str::len);
            if let Some(problem) = names::qualified_name(key) {
                cx.report(
                    object,
                    entry.key.span(),
                    format!("{whose}annotation key `{key}` is invalid: {problem}"),
                )
                .help("an annotation key is an optional DNS subdomain prefix and `/`, then a name of at most 63 letters, digits, `-`, `_` or `.`");
            }
        }
        if total > ANNOTATIONS_MAX_BYTES {
            let key_span = metadata
                .entry("annotations")
                .map_or(annotations.span(), |e| e.key.span());
            cx.report(
                object,
                key_span,
                format!(
                    "{whose}annotations total {total} bytes, more than the API server's limit of {ANNOTATIONS_MAX_BYTES}"
                ),
            )
            .help("move large data to a ConfigMap");
        }
    }
}

/// A value cut to fit in a message.
fn shorten(value: &str) -> String {
    if value.chars().count() > 70 {
        format!("{}...", value.chars().take(67).collect::<String>())
    } else {
        value.to_string()
    }
}
