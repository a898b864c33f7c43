//! SARIF 2.1.0, as GitHub code scanning reads it: one run, every rule that can fire in
//! `tool.driver.rules` with its documentation, and one result per finding with a region, related
//! locations linked from the message, and fingerprints that survive edits elsewhere in the file.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Category, Diagnostic, ObjectRef, Severity};
use crate::engine::Outcome;
use crate::report::{Fingerprint, Locator, PrintOptions, fingerprints, relative_paths};
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
struct Text<T = String> {
    text: T,
}

/// Serializes a value as the string its `Display` writes, without building that string.
struct Shown<T>(T);

impl<T: std::fmt::Display> Serialize for Shown<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
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

/// A result borrows what it prints: from the finding, and from per-file values computed once
/// (artifact locations); its message and object names are written while serializing.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text<Shown<MessageText<'a>>>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: PartialFingerprints,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties<'a>>,
}

/// `{"pakeLint/v1": "<fingerprint>"}`, as a one-entry map.
struct PartialFingerprints(Fingerprint);

impl Serialize for PartialFingerprints {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(FINGERPRINT_KEY, &self.0)?;
        map.end()
    }
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<Shown<&'a ObjectRef>>,
    /// The source file of a rendered object (Helm `# Source:`, kustomize origin annotation).
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation<'a>,
    /// At most one: the object of the finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_locations: Option<[LogicalLocation<'a>; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<&'a str>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    name: &'a str,
    fully_qualified_name: Shown<&'a ObjectRef>,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: &'a ArtifactLocation,
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
struct Escaped<'a>(&'a str);

impl std::fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.bytes().position(|b| matches!(b, b'\\' | b'[' | b']')) {
            f.write_str(&rest[..i])?;
            f.write_str("\\")?;
            f.write_str(&rest[i..=i])?;
            rest = &rest[i + 1..];
        }
        f.write_str(rest)
    }
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
            const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(DIGITS[usize::from(b >> 4)]));
            out.push(char::from(DIGITS[usize::from(b & 0xf)]));
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

/// A result's message: the finding's, with its related locations linked (`[note](1)`) and its
/// help on a line of its own, escaped; written straight into the output.
struct MessageText<'a>(&'a Diagnostic);

impl std::fmt::Display for MessageText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.0;
        Escaped(&d.message).fmt(f)?;
        if !d.related.is_empty() {
            f.write_str(" (see ")?;
            for (i, r) in d.related.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "[{}]({})", Escaped(&r.message), i + 1)?;
            }
            if let Some(note) = d.related_omitted_note() {
                write!(f, "; {note}")?;
            }
            f.write_str(")")?;
        }
        if let Some(help) = &d.help {
            write!(f, "\nhelp: {}", Escaped(help))?;
        }
        Ok(())
    }
}

pub fn print<'a>(
    outcome: &'a Outcome,
    options: &PrintOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    use rayon::prelude::*;
    let locator = Locator::new(&outcome.files);
    let base = options.base_dir();
    // Everything about a file is computed once for it, not once per finding in it.
    let paths = relative_paths(&outcome.files, &base);
    let artifacts: Vec<ArtifactLocation> = paths.par_iter().map(|p| artifact(p)).collect();
    let metas = rules::all_meta();
    let rule_index: rustc_hash::FxHashMap<&str, usize> =
        metas.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
    let fingerprints = fingerprints(outcome, &paths);
    let result = |n: usize, d: &'a Diagnostic| {
        let (start, end) = locator.span(d.file, d.span);
        let object = d.object.as_deref();
        let logical_locations = object.map(|o| {
            [LogicalLocation {
                name: o.name.as_deref().unwrap_or_default(),
                fully_qualified_name: Shown(o),
                kind: "object",
            }]
        });
        let related_locations = d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let (start, end) = locator.span(r.file, r.span);
                Location {
                    id: Some(i + 1),
                    physical_location: PhysicalLocation {
                        artifact_location: &artifacts[r.file.index()],
                        region: region(start, end),
                    },
                    logical_locations: None,
                    message: Some(Text {
                        text: r.message.as_str(),
                    }),
                }
            })
            .collect();
        let properties = (object.is_some() || d.origin().is_some()).then(|| ResultProperties {
            object: object.map(Shown),
            origin: d.origin(),
        });
        SarifResult {
            rule_id: d.rule,
            rule_index: rule_index.get(d.rule).copied(),
            level: level(d.severity),
            message: Text {
                text: Shown(MessageText(d)),
            },
            locations: [Location {
                id: None,
                physical_location: PhysicalLocation {
                    artifact_location: &artifacts[d.file.index()],
                    region: region(start, end),
                },
                logical_locations,
                message: None,
            }],
            related_locations,
            partial_fingerprints: PartialFingerprints(fingerprints[n]),
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
    let results: Vec<&Diagnostic> = outcome.diagnostics.iter().collect();
    super::parallel_json::write_with_array(out, &log, "results", &results, |n, d| result(n, d))?;
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
        assert_eq!(Escaped("a [b] \\ c").to_string(), "a \\[b\\] \\\\ c");
        assert_eq!(encode_uri_path("k8s/my app/x.yaml"), "k8s/my%20app/x.yaml");
        assert_eq!(encode_uri_path("c:x.yaml"), "c%3Ax.yaml");
        assert_eq!(base_uri(std::path::Path::new("/w/a b")), "file:///w/a%20b/");
    }
}
