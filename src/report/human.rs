//! The terminal format: rustc-style diagnostics with the source line and a caret under the span,
//! help and related notes, then a summary line. Only the lines of each span are handed to the
//! renderer, so the cost per finding does not grow with the file's size.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::engine::Outcome;
use crate::load::tree::Span;
use crate::report::{Counts, Locator, PrintOptions};

pub fn print(outcome: &Outcome, options: &PrintOptions, out: &mut dyn Write) -> io::Result<()> {
    let renderer = if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let locator = Locator::new(&outcome.files);
    for d in &outcome.diagnostics {
        let rendered = render(d, &locator, &renderer);
        writeln!(out, "{rendered}\n")?;
    }
    if !options.quiet {
        writeln!(out, "{}", summary_line(outcome))?;
    }
    Ok(())
}

/// A window of source: the whole lines a span covers, and the span relative to them.
struct Window<'a> {
    text: &'a str,
    first_line: usize,
    span: std::ops::Range<usize>,
}

fn window<'a>(locator: &Locator<'a>, file: FileId, span: Span) -> Option<Window<'a>> {
    let text = locator.file(file).text.as_str();
    if text.is_empty() {
        return None;
    }
    let index = locator.index(file);
    let start = (span.start as usize).min(text.len());
    let end = (span.end as usize).clamp(start, text.len());
    let first = index.line_of(start as u32);
    let last = index
        .line_of(end.saturating_sub(1).max(start) as u32)
        .max(first);
    // Long spans (a whole block) are cut to their first lines: the caret marks the start.
    let last = last.min(first + 5);
    let from = index.line_range(text, first).start;
    let to = index.line_range(text, last).end;
    let mut rel = (start - from)..(end.min(to) - from);
    if rel.is_empty() {
        // A zero-width span (a missing value, the end of the file) still gets one caret.
        let line_end = index.line_range(text, first).end - from;
        let next = text[from + rel.start..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        rel = rel.start..(rel.start + next).min(line_end.max(rel.start));
    }
    Some(Window {
        text: &text[from..to],
        first_line: first + 1,
        span: rel,
    })
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

fn render(d: &Diagnostic, locator: &Locator<'_>, renderer: &Renderer) -> String {
    let file = locator.file(d.file);
    let title = level(d.severity).primary_title(&*d.message).id(d.rule);
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut main = match window(locator, d.file, d.span) {
        Some(w) => title.element(
            Snippet::source(w.text)
                .line_start(w.first_line)
                .path(file.name.as_str())
                .fold(false)
                .annotation(AnnotationKind::Primary.span(w.span)),
        ),
        None => {
            let (pos, _) = locator.span(d.file, d.span);
            title.element(
                Origin::path(file.name.as_str())
                    .line(pos.line)
                    .char_column(pos.column),
            )
        }
    };
    if let Some(help) = &d.help {
        main = main.element(Level::HELP.message(&**help));
    }
    if let Some(origin) = d.origin() {
        main = main.element(Level::NOTE.message(format!("rendered from `{origin}`")));
    }
    groups.push(main);
    for related in &d.related {
        let rfile = locator.file(related.file);
        let group = Group::with_title(Level::NOTE.secondary_title(related.message.as_str()));
        let group = match window(locator, related.file, related.span) {
            Some(w) => group.element(
                Snippet::source(w.text)
                    .line_start(w.first_line)
                    .path(rfile.name.as_str())
                    .fold(false)
                    .annotation(AnnotationKind::Context.span(w.span)),
            ),
            None => group,
        };
        groups.push(group);
    }
    if let Some(note) = d.related_omitted_note() {
        groups.push(Group::with_title(Level::NOTE.secondary_title(note)));
    }
    renderer.render(&groups)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn summary_line(outcome: &Outcome) -> String {
    let s = &outcome.stats;
    let c = Counts::of(outcome);
    let mut extra = String::new();
    if outcome.suppressed > 0 {
        extra.push_str(&format!(", {} suppressed", outcome.suppressed));
    }
    if let Some(b) = &outcome.baseline {
        if b.wrote {
            extra.push_str(&format!(", {} recorded in the baseline", b.written));
        } else {
            extra.push_str(&format!(
                ", {} in the baseline, {}",
                b.matched,
                plural(b.stale, "stale baseline entry", "stale baseline entries")
            ));
        }
    }
    format!(
        "{} linted: {}, {} ({} skipped), {}: {}, {}, {}{extra} in {:.2}s",
        plural(outcome.files.len(), "file", "files"),
        plural(s.documents, "document", "documents"),
        plural(s.objects, "object", "objects"),
        s.skipped_documents,
        plural(c.error + c.warning + c.info, "finding", "findings"),
        plural(c.error, "error", "errors"),
        plural(c.warning, "warning", "warnings"),
        plural(c.info, "info", "infos"),
        outcome.elapsed.as_secs_f64()
    )
}
