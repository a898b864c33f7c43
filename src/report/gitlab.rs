//! GitLab Code Quality JSON (a CodeClimate subset): an array of issues with a description,
//! `check_name`, a stable `fingerprint`, a severity and `location.path` + `lines.begin`. GitLab
//! shows them in the merge request widget and the diff.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::engine::Outcome;
use crate::report::{Fingerprint, Locator, PrintOptions, fingerprints, relative_paths};

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: &'static str,
    fingerprint: Fingerprint,
    severity: &'static str,
    categories: [&'static str; 1],
    location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<Content<'a>>,
}

#[derive(Serialize)]
struct Content<'a> {
    body: &'a str,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// GitLab's scale is info, minor, major, critical, blocker. Our three levels map onto the
/// middle of it: an error is `critical` (blocker is left for what stops a pipeline by policy).
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

pub fn print(outcome: &Outcome, options: &PrintOptions, out: &mut dyn Write) -> io::Result<()> {
    let locator = Locator::new(&outcome.files);
    let base = options.base_dir();
    let paths = relative_paths(&outcome.files, &base);
    let issues: Vec<Issue<'_>> = outcome
        .diagnostics
        .iter()
        .zip(fingerprints(outcome, &paths))
        .map(|(d, fingerprint)| {
            let (start, end) = locator.span(d.file, d.span);
            let mut description = d.message.to_string();
            if let Some(object) = &d.object {
                description.push_str(&format!(" ({object})"));
            }
            Issue {
                kind: "issue",
                description,
                check_name: d.rule,
                fingerprint,
                severity: severity(d.severity),
                categories: [if d.category == crate::diagnostic::Category::Security {
                    "Security"
                } else {
                    "Bug Risk"
                }],
                location: Location {
                    path: paths[d.file.index()].clone(),
                    lines: Lines {
                        begin: start.line,
                        end: end.line.max(start.line),
                    },
                },
                content: d.help.as_deref().map(|body| Content { body }),
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues).map_err(super::json_error)?;
    writeln!(out)
}
