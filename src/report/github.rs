//! GitHub Actions workflow commands (`::error file=...,line=...::message`): each finding becomes
//! an annotation on the pull request's diff, without code scanning. Values are escaped as the
//! runner expects: `%`, CR and LF in the message, and also `:` and `,` in properties.

use std::io::{self, Write};

use crate::diagnostic::Severity;
use crate::engine::Outcome;
use crate::report::{Locator, PrintOptions, relative_paths};

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes a command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn print(outcome: &Outcome, options: &PrintOptions, out: &mut dyn Write) -> io::Result<()> {
    let locator = Locator::new(&outcome.files);
    let base = options.base_dir();
    // Per file, not per finding.
    let paths = relative_paths(&outcome.files, &base);
    for d in &outcome.diagnostics {
        let (start, end) = locator.span(d.file, d.span);
        let file = &paths[d.file.index()];
        let mut message = d.message.to_string();
        if let Some(object) = &d.object {
            message.push_str(&format!(" ({object})"));
        }
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        if let Some(origin) = d.origin() {
            message.push_str(&format!("\nrendered from `{origin}`"));
        }
        for r in &d.related {
            let (rs, _) = locator.span(r.file, r.span);
            let rfile = &paths[r.file.index()];
            message.push_str(&format!(
                "\nnote: {} ({rfile}:{}:{})",
                r.message, rs.line, rs.column
            ));
        }
        if let Some(note) = d.related_omitted_note() {
            message.push_str(&format!("\nnote: {note}"));
        }
        writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            command(d.severity),
            escape_property(file),
            start.line,
            start.column,
            end.line,
            if end == start {
                end.column + 1
            } else {
                end.column
            },
            escape_property(&format!("pake-lint {}", d.rule)),
            escape_data(&message),
        )?;
    }
    if !options.quiet {
        writeln!(out, "{}", super::human::summary_line(outcome))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
