//! SARIF 2.1.0, as GitHub code scanning reads it: one run, every rule that can fire in
//! `tool.driver.rules` with its documentation, and one result per finding with a region, related
//! locations linked from the message, and fingerprints that survive edits elsewhere in the file.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Category, Diagnostic, Severity};
use crate::engine::Outcome;
use crate::report::{Locator, PrintOptions, fingerprints, relative_path};
use crate::rules::{self, RuleMeta};

/// The project's home, the base of each rule's `helpUri`
/// (`<REPOSITORY_URL>/blob/main/rules/<id>.md`). SARIF requires an absolute URI there, so this
/// is a full URL; a build for another home sets `PAKE_LINT_REPOSITORY_URL` at compile time.
pub const REPOSITORY_URL: &str = match option_env!("PAKE_LINT_REPOSITORY_URL") {
    Some(url) => url,
    None => "https://github.com/pake-system/pake-lint",
};

/// The page of a rule in the repository's `rules/` folder.
pub fn rule_url(id: &str) -> String {
    format!(
        "{}/blob/main/rules/{id}.md",
        REPOSITORY_URL.trim_end_matches('/')
    )
}

/// The key of our fingerprint in `partialFingerprints`, versioned so that a change of the
/// recipe is a new key rather than a silent change of every value.
pub const FINGERPRINT_KEY: &str = "pakeLint/v1";

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    automation_details: Option<AutomationDetails<'a>>,
    original_uri_base_ids: std::collections::BTreeMap<&'static str, ArtifactLocation>,
    invocations: [Invocation; 1],
    column_kind: &'static str,
    /// Always empty when serialized: the results are spliced in by [`super::parallel_json`].
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct AutomationDetails<'a> {
    id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: String,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
    enabled: bool,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: std::collections::BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties>,
}

#[derive(Serialize)]
struct ResultProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<String>,
    /// The source file of a rendered object (Helm `# Source:`, kustomize origin annotation).
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// GitHub's scale: 7.0 and above is high, 4.0 to 6.9 medium, below 4.0 low.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    }
}

/// `container-privileged` -> `ContainerPrivileged`.
pub fn upper_camel(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let mut c = part.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The prose of a section of a rule's documentation (`## What it does`), without code blocks.
fn section(docs: &str, title: &str) -> Option<String> {
    let start = docs.find(&format!("## {title}"))?;
    let body = &docs[start..];
    let body = body.split_once('\n').map_or("", |(_, rest)| rest);
    let end = body.find("\n## ").unwrap_or(body.len());
    let text = body[..end].trim();
    (!text.is_empty()).then(|| text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn descriptor(meta: &RuleMeta) -> ReportingDescriptor {
    let docs = rules::docs_markdown(meta);
    let summary = {
        let mut c = meta.summary.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    };
    let mut tags = vec![meta.category.as_str()];
    let security_severity = (meta.category == Category::Security).then(|| {
        tags.push("security");
        security_severity(meta.severity)
    });
    tags.dedup();
    ReportingDescriptor {
        id: meta.id,
        name: upper_camel(meta.id),
        short_description: Text {
            text: summary.clone(),
        },
        full_description: Text {
            text: section(&docs, "What it does").unwrap_or(summary),
        },
        help: Help {
            text: docs.trim().to_string(),
            markdown: docs.trim().to_string(),
        },
        help_uri: rule_url(meta.id),
        default_configuration: Configuration {
            level: level(meta.severity),
            enabled: meta.default_enabled,
        },
        properties: RuleProperties {
            tags,
            security_severity,
        },
    }
}

/// SARIF message text treats `[text](id)` as a link: literal brackets and backslashes are
/// escaped with a backslash.
fn escape_message(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Percent-encodes what may not appear in a URI reference (spaces, `%`, `#`, `?`, non-ASCII...).
fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'/' | b'-'
                    | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `file:///abs/dir/` for the base folder.
fn base_uri(base: &std::path::Path) -> String {
    let mut s = base.to_string_lossy().replace('\\', "/");
    if !s.ends_with('/') {
        s.push('/');
    }
    if !s.starts_with('/') {
        // A Windows drive path: file:///C:/...
        s.insert(0, '/');
    }
    format!("file://{}", encode_uri_path(&s).replace("%3A", ":"))
}

/// A file under the base folder is named relative to `%SRCROOT%`; one outside it (an absolute
/// path) by its own `file://` URI.
fn artifact(path: &str) -> ArtifactLocation {
    if path.starts_with('/') || path.get(1..3) == Some(":/") {
        ArtifactLocation {
            uri: base_uri(std::path::Path::new(path))
                .trim_end_matches('/')
                .to_string(),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode_uri_path(path),
            uri_base_id: Some(SRCROOT),
        }
    }
}

fn message_text(d: &Diagnostic) -> String {
    let mut text = escape_message(&d.message);
    if !d.related.is_empty() {
        let links: Vec<String> = d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| format!("[{}]({})", escape_message(&r.message), i + 1))
            .collect();
        text.push_str(&format!(" (see {})", links.join(", ")));
    }
    if let Some(help) = &d.help {
        text.push_str(&format!("\nhelp: {}", escape_message(help)));
    }
    text
}

pub fn print(outcome: &Outcome, options: &PrintOptions, out: &mut dyn Write) -> io::Result<()> {
    let locator = Locator::new(&outcome.files);
    let base = options.base_dir();
    let paths: Vec<String> = outcome
        .files
        .iter()
        .map(|f| relative_path(f, &base))
        .collect();
    let metas = rules::all_meta();
    let rule_index: rustc_hash::FxHashMap<&str, usize> =
        metas.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
    let fingerprints = fingerprints(outcome, &paths);
    let result = |n: usize, d: &Diagnostic| {
        let (start, end) = locator.span(d.file, d.span);
        let object = d.object.as_ref();
        let logical_locations = object
            .map(|o| LogicalLocation {
                name: o.name.clone().unwrap_or_default(),
                fully_qualified_name: o.to_string(),
                kind: "object",
            })
            .into_iter()
            .collect();
        let related_locations = d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let (start, end) = locator.span(r.file, r.span);
                Location {
                    id: Some(i + 1),
                    physical_location: PhysicalLocation {
                        artifact_location: artifact(&paths[r.file.index()]),
                        region: region(start, end),
                    },
                    logical_locations: Vec::new(),
                    message: Some(Text {
                        text: r.message.clone(),
                    }),
                }
            })
            .collect();
        let properties = (object.is_some() || d.origin.is_some()).then(|| ResultProperties {
            object: object.map(ToString::to_string),
            origin: d.origin.as_deref().map(str::to_string),
        });
        SarifResult {
            rule_id: d.rule,
            rule_index: rule_index.get(d.rule).copied(),
            level: level(d.severity),
            message: Text {
                text: message_text(d),
            },
            locations: [Location {
                id: None,
                physical_location: PhysicalLocation {
                    artifact_location: artifact(&paths[d.file.index()]),
                    region: region(start, end),
                },
                logical_locations,
                message: None,
            }],
            related_locations,
            partial_fingerprints: [(FINGERPRINT_KEY, fingerprints[n].as_str())].into(),
            properties,
        }
    };
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "pake-lint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: REPOSITORY_URL.to_string(),
                    rules: metas.iter().map(|m| descriptor(m)).collect(),
                },
            },
            automation_details: options
                .sarif_category
                .as_deref()
                .map(|id| AutomationDetails { id }),
            original_uri_base_ids: [(
                SRCROOT,
                ArtifactLocation {
                    uri: base_uri(&base),
                    uri_base_id: None,
                },
            )]
            .into(),
            invocations: [Invocation {
                execution_successful: true,
            }],
            column_kind: "unicodeCodePoints",
            results: Vec::new(),
        }],
    };
    super::parallel_json::write_with_array(out, &log, "results", &outcome.diagnostics, result)?;
    writeln!(out)
}

/// A SARIF region. A zero-width span (a missing value) is widened to one column, as viewers
/// show empty regions badly.
fn region(start: super::lines::Position, end: super::lines::Position) -> Region {
    let end_column = if end == start {
        end.column + 1
    } else {
        end.column
    };
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_escapes() {
        assert_eq!(upper_camel("container-privileged"), "ContainerPrivileged");
        assert_eq!(escape_message("a [b] \\ c"), "a \\[b\\] \\\\ c");
        assert_eq!(encode_uri_path("k8s/my app/x.yaml"), "k8s/my%20app/x.yaml");
        assert_eq!(encode_uri_path("c:x.yaml"), "c%3Ax.yaml");
        assert_eq!(base_uri(std::path::Path::new("/w/a b")), "file:///w/a%20b/");
    }
}
