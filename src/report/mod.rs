//! Printers: one per output format. They format what the engine decided and decide nothing.

pub mod human;
pub mod json;
pub mod lines;

use std::io::{self, Write};

use crate::diagnostic::Severity;
use crate::engine::Outcome;
use crate::load::SourceFile;
use lines::{LineIndex, Position};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Counts of findings by severity.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Counts {
    pub fn of(outcome: &Outcome) -> Self {
        let mut c = Counts::default();
        for d in &outcome.diagnostics {
            match d.severity {
                Severity::Error => c.error += 1,
                Severity::Warning => c.warning += 1,
                Severity::Info => c.info += 1,
            }
        }
        c
    }
}

/// Line indexes of the files findings point into, built once per file on demand.
pub struct Locator<'a> {
    files: &'a [SourceFile],
    indexes: Vec<std::sync::OnceLock<LineIndex>>,
}

impl<'a> Locator<'a> {
    pub fn new(files: &'a [SourceFile]) -> Self {
        Locator {
            files,
            indexes: (0..files.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        }
    }

    pub fn file(&self, id: crate::diagnostic::FileId) -> &'a SourceFile {
        &self.files[id.index()]
    }

    #[allow(clippy::should_implement_trait)]
    pub fn index(&self, id: crate::diagnostic::FileId) -> &LineIndex {
        self.indexes[id.index()].get_or_init(|| LineIndex::new(&self.files[id.index()].text))
    }

    pub fn span(
        &self,
        id: crate::diagnostic::FileId,
        span: crate::load::tree::Span,
    ) -> (Position, Position) {
        self.index(id).span(&self.file(id).text, span)
    }
}

pub struct PrintOptions {
    pub color: bool,
    pub quiet: bool,
}

pub fn print(
    format: Format,
    outcome: &Outcome,
    options: &PrintOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::print(outcome, options, out),
        Format::Json => json::print(outcome, out),
    }
}
