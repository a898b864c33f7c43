//! Suppressions, applied to the findings after the rules ran, then the baseline. Three forms,
//! each with a reason:
//!
//! - YAML comments: `# pake-lint: ignore[rule-a, rule-b] -- reason` at the end of the offending
//!   line, or on its own line just above it (blank and comment lines in between are skipped);
//!   `# pake-lint: ignore-document[...] -- reason` at the start of a document;
//!   `# pake-lint: ignore-file[...] -- reason` anywhere in a file. Comments are not in the YAML
//!   tree, so the source text is scanned, and only files that contain `pake-lint:` at all.
//! - The annotation `pake-lint.io/ignore: "rule-a, rule-b"` with `pake-lint.io/ignore-reason`,
//!   which survives `kubectl kustomize` and Helm rendering, where comments do not.
//! - Configuration `ignores` entries, matched by rule, kind, namespace, name and file glob, with
//!   an optional `expires` date after which the entry stops suppressing and is reported.
//!
//! Problems with suppressions are findings of their own: `suppression-unknown-rule`,
//! `suppression-malformed`, `suppression-expired`, and, with `--report-unused-suppressions`,
//! `suppression-unused`. Suppressions never hide those.

use std::path::Path;

use memchr::memmem;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::config::Seg;
use crate::config::baseline::{Baseline, BaselineSummary, Entry};
use crate::config::settings::Settings;
use crate::diagnostic::{Diagnostic, FileId, Findings};
use crate::load::SourceFile;
use crate::load::tree::Span;
use crate::model::field_path::field_path;
use crate::model::{Index, Object, ObjectId};
use crate::report::lines::LineIndex;

/// The annotation naming the rules to suppress on an object.
pub const IGNORE_ANNOTATION: &str = "pake-lint.io/ignore";
/// The annotation giving the reason.
pub const REASON_ANNOTATION: &str = "pake-lint.io/ignore-reason";

const MARKER: &str = "pake-lint:";

/// What a comment suppression covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A 0-based line.
    Line(usize),
    /// A document, by its position among the file's `---` separators.
    Document(usize),
    File,
}

/// A suppression parsed from a comment.
#[derive(Clone, Debug)]
pub struct CommentSuppression {
    pub scope: Scope,
    /// Rule names with their spans.
    pub names: Vec<(String, Span)>,
    pub reason: Option<String>,
    /// The directive, `pake-lint: ...`.
    pub span: Span,
}

/// A comment that starts like a directive but cannot be read.
#[derive(Clone, Debug)]
pub struct Malformed {
    pub span: Span,
    pub message: String,
}

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Whether a line holds content (not blank, not only a comment).
fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// Offsets where a document separator line (`---`) starts.
fn document_starts(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0usize;
    for line in text.split_inclusive('\n') {
        if line.starts_with("---") && bytes.get(at + 3).is_none_or(|b| b.is_ascii_whitespace()) {
            out.push(at as u32);
        }
        at += line.len();
    }
    out
}

/// The document holding `offset`: how many separators start at or before it.
fn document_of(starts: &[u32], offset: u32) -> usize {
    starts.partition_point(|&s| s <= offset)
}

/// Reads every `pake-lint:` directive of a file.
pub fn parse_comments(text: &str) -> (Vec<CommentSuppression>, Vec<Malformed>) {
    let mut sups = Vec::new();
    let mut bad = Vec::new();
    if memmem::find(text.as_bytes(), MARKER.as_bytes()).is_none() {
        return (sups, bad);
    }
    let lines = LineIndex::new(text);
    let starts = document_starts(text);
    let bytes = text.as_bytes();
    for at in memmem::find_iter(bytes, MARKER.as_bytes()) {
        let line = lines.line_of(at as u32);
        let line_range = lines.line_range(text, line);
        let before = &text[line_range.start..at];
        // A directive is a comment: `#`, then only spaces up to the marker, and the `#` at
        // the line's start or after a space (`a#b` is not a comment in YAML).
        let Some(hash) = before.rfind('#') else {
            continue;
        };
        if !before[hash + 1..].bytes().all(is_space) {
            continue;
        }
        let hash_abs = line_range.start + hash;
        if hash_abs > line_range.start && !is_space(bytes[hash_abs - 1]) {
            continue;
        }
        let own_line = before[..hash].trim().is_empty();
        let rest_start = at + MARKER.len();
        let rest = &text[rest_start..line_range.end];
        let directive_span = Span::new(at as u32, line_range.end as u32);
        let trimmed = rest.trim_start();
        let word_start = rest_start + (rest.len() - trimmed.len());
        let word_len = trimmed
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
            .count();
        let word = &trimmed[..word_len];
        let after_word = &trimmed[word_len..];
        let scope = match word {
            "ignore" => {
                if own_line {
                    // The next line with content.
                    let mut target = line + 1;
                    while target < lines.line_count() {
                        let r = lines.line_range(text, target);
                        if is_content(&text[r]) {
                            break;
                        }
                        target += 1;
                    }
                    Scope::Line(target)
                } else {
                    Scope::Line(line)
                }
            }
            "ignore-document" => {
                // The document of the next line with content (a `---` line starts a new one).
                let mut target = line + 1;
                let mut offset = text.len() as u32;
                while target < lines.line_count() {
                    let r = lines.line_range(text, target);
                    if is_content(&text[r.clone()]) {
                        offset = r.start as u32;
                        break;
                    }
                    target += 1;
                }
                Scope::Document(document_of(&starts, offset))
            }
            "ignore-file" => Scope::File,
            _ => {
                bad.push(Malformed {
                    span: Span::new(word_start as u32, (word_start + word_len.max(1)) as u32),
                    message: format!(
                        "unknown directive `{word}`: use `ignore[...]`, `ignore-document[...]` or `ignore-file[...]`"
                    ),
                });
                continue;
            }
        };
        let list_start = word_start + word_len;
        let Some(open) = after_word.strip_prefix('[') else {
            bad.push(Malformed {
                span: directive_span,
                message: format!(
                    "`{word}` needs the rules in brackets: `{word}[rule-id] -- reason`"
                ),
            });
            continue;
        };
        let Some(close) = open.find(']') else {
            bad.push(Malformed {
                span: directive_span,
                message: "the rule list has no closing `]`".into(),
            });
            continue;
        };
        let mut names = Vec::new();
        let mut offset = list_start + 1;
        for part in open[..close].split(',') {
            let lead = part.len() - part.trim_start().len();
            let name = part.trim();
            if !name.is_empty() {
                let s = (offset + lead) as u32;
                names.push((name.to_string(), Span::new(s, s + name.len() as u32)));
            }
            offset += part.len() + 1;
        }
        if names.is_empty() {
            bad.push(Malformed {
                span: directive_span,
                message: "the suppression names no rule".into(),
            });
            continue;
        }
        let tail = open[close + 1..].trim();
        let reason = tail
            .strip_prefix("--")
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        if reason.is_none() {
            bad.push(Malformed {
                span: directive_span,
                message: "the suppression gives no reason".into(),
            });
        }
        sups.push(CommentSuppression {
            scope,
            names,
            reason,
            span: directive_span,
        });
    }
    (sups, bad)
}

/// A suppression from an object's annotations.
struct AnnotationSuppression {
    file: FileId,
    /// Rule names, each with its place in the annotation's value.
    names: Vec<(String, Span)>,
    span: Span,
}

fn annotation_suppression(object: &Object<'_>, text: &str) -> Option<AnnotationSuppression> {
    let node = object
        .root
        .path(&["metadata", "annotations", IGNORE_ANNOTATION])?;
    // Each name's own span when it is written verbatim in the source (no escapes), else the
    // value's.
    let source = text.get(node.span().range()).unwrap_or_default();
    let mut from = 0;
    let names = node
        .as_str()?
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|name| {
            let span = match source[from..].find(name) {
                Some(at) => {
                    let start = node.span().start + (from + at) as u32;
                    from += at + name.len();
                    Span::new(start, start + name.len() as u32)
                }
                None => node.span(),
            };
            (name.to_string(), span)
        })
        .collect();
    Some(AnnotationSuppression {
        file: object.file,
        names,
        span: node.span(),
    })
}

/// Objects by file, sorted by position, to find the object a finding is in.
struct ObjectsByFile(FxHashMap<FileId, Vec<(Span, ObjectId)>>);

impl ObjectsByFile {
    fn new(index: &Index<'_>) -> Self {
        let mut map: FxHashMap<FileId, Vec<(Span, ObjectId)>> = FxHashMap::default();
        for o in index.objects() {
            map.entry(o.file).or_default().push((o.root.span(), o.id));
        }
        for v in map.values_mut() {
            v.sort();
        }
        ObjectsByFile(map)
    }

    fn find(&self, file: FileId, span: Span) -> Option<ObjectId> {
        let list = self.0.get(&file)?;
        let i = list.partition_point(|(s, _)| s.start <= span.start);
        let (s, id) = list.get(i.checked_sub(1)?)?;
        (span.start <= s.end).then_some(*id)
    }
}

/// What applying suppressions and the baseline did.
#[derive(Debug, Default)]
pub struct Applied {
    pub suppressed: usize,
    pub baseline: Option<BaselineSummary>,
    /// Whether a finding points into the configuration file (it must then be added to the
    /// run's files, at the id that was passed in).
    pub config_file_used: bool,
}

/// Where the run writes a baseline, and what the suppression pass needs to know.
pub struct ApplyOptions<'a> {
    pub report_unused: bool,
    pub write_baseline: Option<&'a Path>,
    /// The id the configuration file gets if a finding points into it.
    pub config_file: FileId,
}

fn is_suppression_rule(rule: &str) -> bool {
    rule.starts_with("suppression-")
}

/// Applies suppressions, then the baseline, to `diagnostics` (whose severities are resolved),
/// adding findings about the suppressions themselves.
pub fn apply(
    settings: &Settings,
    files: &[SourceFile],
    index: &Index<'_>,
    diagnostics: &mut Findings,
    options: &ApplyOptions<'_>,
) -> std::io::Result<Applied> {
    let mut applied = Applied::default();
    let registered: FxHashSet<&'static str> =
        crate::rules::all_meta().iter().map(|m| m.id).collect();
    let enabled: FxHashSet<&'static str> = settings.rules.rules.iter().map(|(m, _)| m.id).collect();
    let mut extra: Vec<Diagnostic> = Vec::new();

    // Comment suppressions, per file.
    struct FileSups {
        sups: Vec<CommentSuppression>,
        used: Vec<Vec<usize>>,
        lines: LineIndex,
        starts: Vec<u32>,
    }
    let mut by_file: FxHashMap<FileId, FileSups> = FxHashMap::default();
    for (i, file) in files.iter().enumerate() {
        if !file.readable {
            continue;
        }
        let id = FileId(i as u32);
        let (sups, bad) = parse_comments(&file.text);
        for m in bad {
            extra.push(
                Diagnostic::new("suppression-malformed", id, m.span, m.message)
                    .with_help("write `# pake-lint: ignore[rule-id] -- reason`"),
            );
        }
        if sups.is_empty() {
            continue;
        }
        for s in &sups {
            for (name, span) in &s.names {
                if !registered.contains(name.as_str()) {
                    extra.push(unknown_rule(id, *span, name, &registered));
                }
            }
        }
        by_file.insert(
            id,
            FileSups {
                used: sups.iter().map(|s| vec![0; s.names.len()]).collect(),
                sups,
                lines: LineIndex::new(&file.text),
                starts: document_starts(&file.text),
            },
        );
    }

    // Annotation suppressions, per object.
    let mut annotations: FxHashMap<ObjectId, (AnnotationSuppression, Vec<usize>)> =
        FxHashMap::default();
    for object in index.objects() {
        let text = files
            .get(object.file.index())
            .map_or("", |f| f.text.as_str());
        let Some(sup) = annotation_suppression(object, text) else {
            continue;
        };
        for (name, span) in &sup.names {
            if !registered.contains(name.as_str()) {
                extra.push(unknown_rule(sup.file, *span, name, &registered));
            }
        }
        if object
            .annotation(REASON_ANNOTATION)
            .is_none_or(|r| r.trim().is_empty())
        {
            extra.push(
                Diagnostic::new(
                    "suppression-malformed",
                    sup.file,
                    sup.span,
                    format!("`{IGNORE_ANNOTATION}` has no `{REASON_ANNOTATION}` annotation"),
                )
                .with_help(format!("add `{REASON_ANNOTATION}: \"why\"` beside it")),
            );
        }
        let n = sup.names.len();
        annotations.insert(object.id, (sup, vec![0; n]));
    }

    // Configuration ignores: expired entries no longer suppress and are reported.
    let config = settings.config.as_deref();
    let mut config_used = vec![0usize; settings.ignores.len()];
    let expired: Vec<bool> = settings
        .ignores
        .iter()
        .map(|i| i.expires.is_some_and(|d| d <= settings.today))
        .collect();
    if let Some(c) = config {
        for (ignore, is_expired) in settings.ignores.iter().zip(&expired) {
            if *is_expired {
                let span = c.span_of(
                    &[
                        Seg::Key("ignores".into()),
                        Seg::Index(ignore.index),
                        Seg::Key("expires".into()),
                    ],
                    false,
                );
                extra.push(
                    Diagnostic::new(
                        "suppression-expired",
                        options.config_file,
                        span,
                        format!(
                            "ignore entry expired on {}: its findings are reported again",
                            ignore.expires.expect("expired entries have a date")
                        ),
                    )
                    .with_help("fix the findings, or extend `expires` with a reason"),
                );
                applied.config_file_used = true;
            }
        }
    }

    // `path` globs are relative to the configuration file's folder (the run may start in a
    // subfolder, where printed names start with `../`).
    let relative: Vec<String> = if settings.ignores.iter().any(|i| i.path.is_some()) {
        let base = config.and_then(|c| std::fs::canonicalize(c.dir()).ok());
        files
            .iter()
            .map(|f| {
                let rel = f.path.as_ref().zip(base.as_ref()).and_then(|(p, base)| {
                    let abs = std::fs::canonicalize(p).ok()?;
                    Some(abs.strip_prefix(base).ok()?.to_string_lossy().into_owned())
                });
                rel.unwrap_or_else(|| f.name.trim_start_matches("./").to_string())
            })
            .collect()
    } else {
        vec![String::new(); files.len()]
    };
    let objects = ObjectsByFile::new(index);
    let before = diagnostics.len();
    diagnostics.retain(|d| {
        if is_suppression_rule(d.rule) {
            return true;
        }
        let mut suppressed = false;
        if let Some(fs) = by_file.get_mut(&d.file) {
            let line = fs.lines.line_of(d.span.start);
            let doc = document_of(&fs.starts, d.span.start);
            for (s, used) in fs.sups.iter().zip(fs.used.iter_mut()) {
                let in_scope = match s.scope {
                    Scope::Line(l) => l == line,
                    Scope::Document(k) => k == doc,
                    Scope::File => true,
                };
                if !in_scope {
                    continue;
                }
                for ((name, _), count) in s.names.iter().zip(used.iter_mut()) {
                    if name == d.rule {
                        *count += 1;
                        suppressed = true;
                    }
                }
            }
        }
        if d.object.is_some()
            && let Some(id) = objects.find(d.file, d.span)
            && let Some((sup, used)) = annotations.get_mut(&id)
        {
            for ((name, _), count) in sup.names.iter().zip(used.iter_mut()) {
                if name == d.rule {
                    *count += 1;
                    suppressed = true;
                }
            }
        }
        for ((ignore, count), is_expired) in settings
            .ignores
            .iter()
            .zip(config_used.iter_mut())
            .zip(&expired)
        {
            if *is_expired {
                continue;
            }
            let object = d.object.as_ref();
            let ok = (ignore.rules.is_empty() || ignore.rules.iter().any(|r| r == d.rule))
                && ignore
                    .kind
                    .as_ref()
                    .is_none_or(|k| object.is_some_and(|o| *o.kind == **k))
                && ignore.namespace.as_ref().is_none_or(|g| {
                    object
                        .and_then(|o| o.namespace.as_deref())
                        .is_some_and(|ns| g.is_match(ns))
                })
                && ignore.name.as_ref().is_none_or(|g| {
                    object
                        .and_then(|o| o.name.as_deref())
                        .is_some_and(|n| g.is_match(n))
                })
                && ignore.path.as_ref().is_none_or(|g| {
                    g.is_match(&relative[d.file.index()])
                        || g.is_match(files[d.file.index()].name.trim_start_matches("./"))
                });
            if ok {
                *count += 1;
                suppressed = true;
            }
        }
        !suppressed
    });
    applied.suppressed = before - diagnostics.len();

    if options.report_unused {
        for (file, fs) in &by_file {
            for (s, used) in fs.sups.iter().zip(&fs.used) {
                for ((name, span), count) in s.names.iter().zip(used) {
                    if *count == 0 && enabled.contains(name.as_str()) {
                        extra.push(unused(*file, *span, name));
                    }
                }
            }
        }
        let mut ids: Vec<&ObjectId> = annotations.keys().collect();
        ids.sort();
        for id in ids {
            let (sup, used) = &annotations[id];
            for ((name, span), count) in sup.names.iter().zip(used) {
                if *count == 0 && enabled.contains(name.as_str()) {
                    extra.push(unused(sup.file, *span, name));
                }
            }
        }
        if let Some(c) = config {
            for ((ignore, count), is_expired) in
                settings.ignores.iter().zip(&config_used).zip(&expired)
            {
                let relevant = ignore.rules.is_empty()
                    || ignore.rules.iter().any(|r| enabled.contains(r.as_str()));
                if *count == 0 && !*is_expired && relevant {
                    let span = c.span_of(
                        &[
                            Seg::Key("ignores".into()),
                            Seg::Index(ignore.index),
                            Seg::Key("reason".into()),
                        ],
                        true,
                    );
                    extra.push(
                        Diagnostic::new(
                            "suppression-unused",
                            options.config_file,
                            span,
                            format!("ignore entry {} matched no finding", ignore.index + 1),
                        )
                        .with_help("remove the entry: what it suppressed is gone"),
                    );
                    applied.config_file_used = true;
                }
            }
        }
    }

    // Findings about suppressions get their severity like any other, or are dropped when
    // their rule is off.
    for mut d in extra {
        let Some(severity) = settings.severity(d.rule) else {
            continue;
        };
        d.severity = severity;
        d.category = crate::diagnostic::Category::Input;
        diagnostics.push(d);
    }

    // The baseline.
    let key = |d: &Diagnostic| -> Entry {
        // Only findings a rule reported on an object have one (not a file's syntax error).
        match d.object.as_ref().and_then(|_| objects.find(d.file, d.span)) {
            Some(id) => {
                let o = index.get(id);
                Entry {
                    rule: d.rule.to_string(),
                    kind: Some(o.kind.to_string()),
                    namespace: o.namespace.as_deref().map(str::to_string),
                    name: Some(o.name.to_string()),
                    path: Some(field_path(&o.root, d.span)),
                    file: None,
                    message: None,
                }
            }
            _ => Entry {
                rule: d.rule.to_string(),
                kind: None,
                namespace: None,
                name: None,
                path: None,
                file: Some(files.get(d.file.index()).map_or_else(
                    || config.map_or_else(String::new, |c| c.display.clone()),
                    |f| f.name.clone(),
                )),
                message: Some(d.message.to_string()),
            },
        }
    };
    if let Some(path) = options.write_baseline {
        let entries: Vec<Entry> = diagnostics.iter().map(key).collect();
        let n = entries.len();
        Baseline::new(entries).write(path)?;
        diagnostics.clear();
        applied.baseline = Some(BaselineSummary {
            file: path.display().to_string(),
            written: n,
            entries: n,
            wrote: true,
            ..BaselineSummary::default()
        });
    } else if let Some((path, baseline)) = &settings.baseline {
        let mut budget = baseline.budget();
        let before = diagnostics.len();
        diagnostics.retain(|d| {
            let k = key(d);
            match budget.get_mut(&k) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        let stale_entries: Vec<Entry> = budget
            .iter()
            .flat_map(|(e, n)| std::iter::repeat_n((*e).clone(), *n))
            .collect();
        applied.baseline = Some(BaselineSummary {
            file: path.display().to_string(),
            entries: baseline.findings.len(),
            matched: before - diagnostics.len(),
            stale: stale_entries.len(),
            stale_entries,
            written: 0,
            wrote: false,
        });
    }
    Ok(applied)
}

fn unknown_rule(
    file: FileId,
    span: Span,
    name: &str,
    registered: &FxHashSet<&'static str>,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        "suppression-unknown-rule",
        file,
        span,
        format!("suppression names unknown rule `{name}`"),
    );
    d.help = Some(
        match crate::config::did_you_mean(name, registered.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? `pake-lint rules` lists the rules").into(),
            None => "`pake-lint rules` lists the rules".into(),
        },
    );
    d
}

fn unused(file: FileId, span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(
        "suppression-unused",
        file,
        span,
        format!("suppression of `{name}` matched no finding"),
    )
    .with_help("remove it: what it suppressed is gone")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives() {
        let text = "a: 1 # pake-lint: ignore[r-a, r-b] -- legacy\n# pake-lint: ignore[r-c] -- x\n\n# other\nb: 2\n# pake-lint: ignore-file[r-d]\nc: \"# pake-lint: ignore[r-e]\"\nd: 1 # pake-lint: nope[r]\n";
        let (sups, bad) = parse_comments(text);
        assert_eq!(sups[0].scope, Scope::Line(0));
        assert_eq!(sups[0].names.len(), 2);
        assert_eq!(&text[sups[0].names[1].1.range()], "r-b");
        assert_eq!(sups[0].reason.as_deref(), Some("legacy"));
        assert_eq!(sups[1].scope, Scope::Line(4));
        assert_eq!(sups[2].scope, Scope::File);
        assert!(sups[2].reason.is_none());
        assert_eq!(sups.len(), 3, "a marker inside a string is not a comment");
        assert_eq!(bad.len(), 2, "{bad:?}");
    }

    #[test]
    fn documents() {
        let text = "# pake-lint: ignore-document[r] -- x\n---\na: 1\n---\n# pake-lint: ignore-document[r] -- y\nb: 2\n";
        let (sups, _) = parse_comments(text);
        let starts = document_starts(text);
        assert_eq!(
            sups[0].scope,
            Scope::Document(document_of(&starts, text.find("a:").unwrap() as u32))
        );
        assert_eq!(
            sups[1].scope,
            Scope::Document(document_of(&starts, text.find("b:").unwrap() as u32))
        );
        assert_ne!(sups[0].scope, sups[1].scope);
    }
}
