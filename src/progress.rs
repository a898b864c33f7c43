//! Counters a run updates as it goes (files read, documents, findings), for the progress line
//! the command line shows on a terminal during long runs. Updated once per file and once per
//! phase, never per object, so they cost nothing measurable.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// The phase a run is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Discovering,
    Reading,
    Indexing,
    Checking,
    Done,
}

#[derive(Debug, Default)]
pub struct Progress {
    phase: AtomicU8,
    pub files_total: AtomicUsize,
    pub files_read: AtomicUsize,
    pub documents: AtomicUsize,
    pub findings: AtomicUsize,
}

impl Progress {
    pub fn set_phase(&self, phase: Phase) {
        self.phase.store(phase as u8, Ordering::Relaxed);
    }

    pub fn phase(&self) -> Phase {
        match self.phase.load(Ordering::Relaxed) {
            0 => Phase::Discovering,
            1 => Phase::Reading,
            2 => Phase::Indexing,
            3 => Phase::Checking,
            _ => Phase::Done,
        }
    }

    pub fn add(counter: &AtomicUsize, n: usize) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// One line: `reading 1200/5000 files, 3400 documents, 17 findings`.
    pub fn line(&self) -> String {
        let phase = match self.phase() {
            Phase::Discovering => "finding files",
            Phase::Reading => "reading",
            Phase::Indexing => "indexing",
            Phase::Checking => "checking",
            Phase::Done => "done",
        };
        format!(
            "{phase} {}/{} files, {} documents, {} findings",
            self.files_read.load(Ordering::Relaxed),
            self.files_total.load(Ordering::Relaxed),
            self.documents.load(Ordering::Relaxed),
            self.findings.load(Ordering::Relaxed),
        )
    }
}
