//! Printers: one per output format. They format what the engine decided and decide nothing.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod lines;
pub mod parallel_json;
pub mod sarif;

use std::io::{self, Write};

use crate::diagnostic::Severity;
use crate::engine::Outcome;
use crate::load::SourceFile;
use lines::{LineIndex, Position};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets, for terminals.
    Human,
    /// Versioned JSON for scripts (fields are only ever added).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: inline annotations on a pull request.
    Github,
    /// JUnit XML: one test case per object and rule checked.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
}

impl Format {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Gitlab => "gitlab",
        }
    }
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

/// A serialization failure as an I/O error that keeps the underlying kind, so a closed pipe
/// (`pake-lint -f sarif | head`) is still recognised as one.
pub fn json_error(e: serde_json::Error) -> io::Error {
    match e.io_error_kind() {
        Some(kind) => io::Error::from(kind),
        None => io::Error::other(e),
    }
}

#[derive(Clone, Debug, Default)]
pub struct PrintOptions {
    pub color: bool,
    pub quiet: bool,
    /// SARIF `run.automationDetails.id` (`--sarif-category`), to tell several runs apart.
    pub sarif_category: Option<String>,
    /// The folder file paths are made relative to in SARIF, GitHub and GitLab output (the
    /// repository root in CI); the working directory when `None`.
    pub base_dir: Option<std::path::PathBuf>,
}

impl PrintOptions {
    /// The folder paths are made relative to: `base_dir`, else the working directory.
    pub fn base_dir(&self) -> std::path::PathBuf {
        self.base_dir
            .clone()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default()
    }
}

/// A file's path relative to `base` with forward slashes, as code-hosting tools name files in
/// a repository; absolute when the file is outside `base`. Input read from stdin (or rendered)
/// keeps its display name.
pub fn relative_path(file: &SourceFile, base: &std::path::Path) -> String {
    Relativizer::new(base).path(file)
}

/// [`relative_path`] of every file, in file order: the working directory and the normalized
/// base are looked up once, the files in parallel.
pub fn relative_paths(files: &[SourceFile], base: &std::path::Path) -> Vec<String> {
    use rayon::prelude::*;
    let relativizer = Relativizer::new(base);
    files.par_iter().map(|f| relativizer.path(f)).collect()
}

/// What [`relative_path`] needs besides the file, looked up once for many files.
struct Relativizer {
    cwd: Option<std::path::PathBuf>,
    base: std::path::PathBuf,
}

impl Relativizer {
    fn new(base: &std::path::Path) -> Self {
        Relativizer {
            cwd: std::env::current_dir().ok(),
            base: crate::load::normalize_path(base),
        }
    }

    fn path(&self, file: &SourceFile) -> String {
        let Some(path) = &file.path else {
            return file.name.replace('\\', "/");
        };
        let absolute = if path.is_absolute() {
            crate::load::normalize_path(path)
        } else {
            match &self.cwd {
                Some(cwd) => crate::load::normalize_path(&cwd.join(path)),
                None => crate::load::normalize_path(path),
            }
        };
        let relative = absolute
            .strip_prefix(&self.base)
            .map(std::path::Path::to_path_buf)
            .unwrap_or(absolute);
        let s = relative.to_string_lossy().replace('\\', "/");
        if s.is_empty() { ".".to_string() } else { s }
    }
}

/// A fingerprint of a finding that survives edits elsewhere in its file: a hash of the rule, the
/// object (kind, namespace, name; the file for findings about no object) and the message, never
/// of line numbers. SHA-256, truncated to 128 bits, so it does not change with the Rust version.
pub fn fingerprint(d: &crate::diagnostic::Diagnostic, file: &str) -> String {
    Fingerprint {
        hash: fingerprint_hash(d, file),
        n: 1,
    }
    .to_string()
}

/// The 128 bits of [`fingerprint`], before they are written in hexadecimal.
fn fingerprint_hash(d: &crate::diagnostic::Diagnostic, file: &str) -> [u8; 16] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    field(d.rule);
    match &d.object {
        Some(o) => {
            field(&o.kind);
            field(o.namespace.as_deref().unwrap_or(""));
            field(o.name.as_deref().unwrap_or(""));
        }
        None => field(file),
    }
    field(&d.message);
    let digest = h.finalize();
    let mut hash = [0; 16];
    hash.copy_from_slice(&digest[..16]);
    hash
}

/// A finding's fingerprint as printed: [`fingerprint`]'s 32 hexadecimal digits, then `:N` for
/// the N-th (N > 1) of identical ones. Kept as bytes and written when printed, rather than as
/// a string per finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    hash: [u8; 16],
    n: u32,
}

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = [0u8; 32];
        for (i, b) in self.hash.iter().enumerate() {
            hex[2 * i] = DIGITS[usize::from(b >> 4)];
            hex[2 * i + 1] = DIGITS[usize::from(b & 0xf)];
        }
        f.write_str(std::str::from_utf8(&hex).expect("hexadecimal digits"))?;
        if self.n > 1 {
            write!(f, ":{}", self.n)?;
        }
        Ok(())
    }
}

impl serde::Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Fingerprints of all findings, with `:N` appended to the second and later of identical ones
/// (same rule, object and message), so each finding keeps a distinct, stable fingerprint.
pub fn fingerprints(outcome: &Outcome, paths: &[String]) -> Vec<Fingerprint> {
    use rayon::prelude::*;
    let mut all: Vec<Fingerprint> = outcome
        .diagnostics
        .par_iter()
        .map(|d| Fingerprint {
            hash: fingerprint_hash(d, &paths[d.file.index()]),
            n: 1,
        })
        .collect();
    // Numbering identical fingerprints follows the findings' order, so it stays sequential.
    let mut seen: rustc_hash::FxHashMap<[u8; 16], u32> = rustc_hash::FxHashMap::default();
    seen.reserve(all.len());
    for fp in &mut all {
        let n = seen.entry(fp.hash).or_insert(0);
        *n += 1;
        fp.n = *n;
    }
    all
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
        Format::Sarif => sarif::print(outcome, options, out),
        Format::Github => github::print(outcome, options, out),
        Format::Junit => junit::print(outcome, options, out),
        Format::Gitlab => gitlab::print(outcome, options, out),
    }
}
