//! The JSON format, `"version": 1`: a stable contract for scripts. Fields are only ever added.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Category, ObjectRef, Severity};
use crate::engine::Outcome;
use crate::report::{Counts, Locator};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    summary: Summary<'a>,
    /// Always empty when serialized: the diagnostics are spliced in by
    /// [`super::parallel_json`].
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary<'a> {
    files: usize,
    documents: usize,
    objects: usize,
    skipped_documents: usize,
    object_documents: usize,
    list_documents: usize,
    invalid_documents: usize,
    failed_documents: usize,
    findings: Counts,
    /// Findings hidden by suppressions; absent when none were.
    #[serde(skip_serializing_if = "is_zero")]
    suppressed: usize,
    /// What `--baseline` or `--write-baseline` did; absent without them.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'a crate::config::baseline::BaselineSummary>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'static str,
    severity: Severity,
    category: Category,
    message: &'a str,
    help: Option<&'a str>,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    object: Option<&'a ObjectRef>,
    origin: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
    /// Related locations left out beyond the first ten; absent when none were.
    #[serde(skip_serializing_if = "is_zero")]
    related_omitted: usize,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

pub fn print<'a>(outcome: &'a Outcome, out: &mut dyn Write) -> io::Result<()> {
    let locator = Locator::new(&outcome.files);
    let diagnostic = |_: usize, d: &'a crate::diagnostic::Diagnostic| {
        let (start, end) = locator.span(d.file, d.span);
        JsonDiagnostic {
            rule: d.rule,
            severity: d.severity,
            category: d.category,
            message: &d.message,
            help: d.help.as_deref(),
            file: &locator.file(d.file).name,
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            object: d.object.as_deref(),
            origin: d.origin(),
            related: d
                .related
                .iter()
                .map(|r| {
                    let (start, end) = locator.span(r.file, r.span);
                    JsonRelated {
                        file: &locator.file(r.file).name,
                        line: start.line,
                        column: start.column,
                        end_line: end.line,
                        end_column: end.column,
                        message: &r.message,
                    }
                })
                .collect(),
            related_omitted: d.related_omitted.into(),
        }
    };
    let s = &outcome.stats;
    let doc = Document {
        version: 1,
        tool: Tool {
            name: "pake-lint",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            files: outcome.files.len(),
            documents: s.documents,
            objects: s.objects,
            skipped_documents: s.skipped_documents,
            object_documents: s.object_documents,
            list_documents: s.list_documents,
            invalid_documents: s.invalid_documents,
            failed_documents: s.failed_documents,
            findings: Counts::of(outcome),
            suppressed: outcome.suppressed,
            baseline: outcome.baseline.as_ref(),
        },
        diagnostics: Vec::new(),
    };
    super::parallel_json::write_with_array(
        out,
        &doc,
        "diagnostics",
        &outcome.diagnostics.iter().collect::<Vec<_>>(),
        |n, d| diagnostic(n, d),
    )?;
    writeln!(out)
}
