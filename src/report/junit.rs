//! JUnit XML, for CI systems that show test reports: one `<testsuite>` per file, one
//! `<testcase>` per object and rule checked (`Deployment prod/web: container-privileged`), failed
//! when the rule reported on that object. Findings about no object (input problems, per-run
//! checks) are failed test cases of their file too. Passing cases need
//! [`crate::engine::Options::record_checks`]; without it only failures are listed.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, FileId};
use crate::engine::Outcome;
use crate::report::{Locator, PrintOptions, relative_path};

/// Escapes text for XML content and attribute values; characters XML 1.0 forbids are dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

struct Case<'a> {
    name: String,
    failures: Vec<&'a Diagnostic>,
}

pub fn print(outcome: &Outcome, options: &PrintOptions, out: &mut dyn Write) -> io::Result<()> {
    let locator = Locator::new(&outcome.files);
    let base = options.base_dir();
    // Per file, the cases in order: checked (object, rule) pairs first, then the findings that
    // belong to no checked pair.
    let mut suites: BTreeMap<FileId, Vec<Case<'_>>> = BTreeMap::new();
    let mut slot: rustc_hash::FxHashMap<(FileId, String, &str), usize> =
        rustc_hash::FxHashMap::default();
    for checked in &outcome.checked {
        let cases = suites.entry(checked.file).or_default();
        for rule in &checked.rules {
            let key = (checked.file, checked.object.to_string(), *rule);
            slot.entry(key).or_insert_with(|| {
                cases.push(Case {
                    name: format!("{}: {rule}", checked.object),
                    failures: Vec::new(),
                });
                cases.len() - 1
            });
        }
    }
    for d in &outcome.diagnostics {
        let object = d.object.as_ref().map(ToString::to_string);
        let cases = suites.entry(d.file).or_default();
        let at = object
            .as_ref()
            .and_then(|o| slot.get(&(d.file, o.clone(), d.rule)).copied());
        match at {
            Some(i) => cases[i].failures.push(d),
            None => {
                let name = match &object {
                    Some(o) => format!("{o}: {}", d.rule),
                    None => d.rule.to_string(),
                };
                let i = cases.len();
                cases.push(Case {
                    name,
                    failures: vec![d],
                });
                if let Some(o) = object {
                    slot.insert((d.file, o, d.rule), i);
                }
            }
        }
    }
    let total: usize = suites.values().map(Vec::len).sum();
    let failed: usize = suites
        .values()
        .flatten()
        .filter(|c| !c.failures.is_empty())
        .count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="pake-lint" tests="{total}" failures="{failed}" errors="0">"#
    )?;
    for (file, cases) in suites.iter().filter(|(_, cases)| !cases.is_empty()) {
        let path = escape(&relative_path(locator.file(*file), &base));
        let failures = cases.iter().filter(|c| !c.failures.is_empty()).count();
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{}" failures="{failures}" errors="0" skipped="0">"#,
            cases.len()
        )?;
        for case in cases {
            let name = escape(&case.name);
            if case.failures.is_empty() {
                writeln!(out, r#"    <testcase name="{name}" classname="{path}"/>"#)?;
                continue;
            }
            writeln!(out, r#"    <testcase name="{name}" classname="{path}">"#)?;
            for d in &case.failures {
                let (start, _) = locator.span(d.file, d.span);
                let mut text = format!(
                    "{}:{}:{}: {}: {} [{}]",
                    relative_path(locator.file(d.file), &base),
                    start.line,
                    start.column,
                    d.severity,
                    d.message,
                    d.rule
                );
                if let Some(help) = &d.help {
                    text.push_str(&format!("\nhelp: {help}"));
                }
                if let Some(origin) = d.origin() {
                    text.push_str(&format!("\nrendered from `{origin}`"));
                }
                for r in &d.related {
                    let (rs, _) = locator.span(r.file, r.span);
                    text.push_str(&format!(
                        "\nnote: {} ({}:{}:{})",
                        r.message,
                        relative_path(locator.file(r.file), &base),
                        rs.line,
                        rs.column
                    ));
                }
                if let Some(note) = d.related_omitted_note() {
                    text.push_str(&format!("\nnote: {note}"));
                }
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{}</failure>"#,
                    escape(&d.message),
                    d.severity,
                    escape(&text).replace("&#10;", "\n")
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping() {
        assert_eq!(
            super::escape("a<b>&\"'\u{1}\n"),
            "a&lt;b&gt;&amp;&quot;&apos;&#10;"
        );
    }
}
