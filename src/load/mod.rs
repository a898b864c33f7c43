//! Loading: discovery of the input files, reading them, and parsing every document into objects
//! with spans. Nothing here aborts a run: each problem becomes a positioned diagnostic and the
//! other files are still loaded.

pub mod discover;
mod documents;
pub mod kustomize;
mod scanner_input;
pub mod tree;
pub mod yaml;

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Diagnostic, FileId};
use crate::load::tree::Span;
use crate::model::Object;

/// The arena a file's node tree is allocated in; see [`tree`].
pub use bumpalo::Bump;
pub use discover::{DiscoverError, DiscoverOptions, InputFile, discover};
pub use documents::KUSTOMIZATION_FILE_NAMES;
pub use yaml::Limits;

/// The default cap on a file's size.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// The largest file pake-lint reads, whatever `--max-file-size` says (a larger limit is
/// lowered to it): spans are `u32` byte offsets, and 2 GiB keeps them, and an offset plus a
/// length of the same file, in range.
pub const LARGEST_FILE_SIZE: u64 = (u32::MAX / 2) as u64;

/// One input file's text, kept for the whole run: trees borrow from it and printers quote it.
#[derive(Debug)]
pub struct SourceFile {
    pub name: String,
    pub path: Option<PathBuf>,
    /// The text without a UTF-8 byte order mark. For a file that could not be decoded, the
    /// lossy decoding (used only to show where the problem is); empty for binary files.
    pub text: String,
    /// Whether the text is fit to parse.
    pub readable: bool,
}

impl SourceFile {
    /// A readable file whose text was made in memory rather than read from disk: a rendered
    /// overlay, or a test's YAML.
    pub fn in_memory(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            name: name.into(),
            path: None,
            text: text.into(),
            readable: true,
        }
    }
}

/// Counts that let a user check that every document was accounted for: `documents` equals
/// `object_documents + list_documents + skipped_documents + invalid_documents + failed_documents`.
/// A plain Prometheus rule file (a top-level `groups:` document) counts as an object document:
/// it becomes one synthetic `PrometheusRuleFile` object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct LoadStats {
    pub documents: usize,
    pub object_documents: usize,
    pub objects: usize,
    pub list_documents: usize,
    pub skipped_documents: usize,
    pub invalid_documents: usize,
    pub failed_documents: usize,
}

impl LoadStats {
    pub fn add(&mut self, other: &LoadStats) {
        self.documents += other.documents;
        self.object_documents += other.object_documents;
        self.objects += other.objects;
        self.list_documents += other.list_documents;
        self.skipped_documents += other.skipped_documents;
        self.invalid_documents += other.invalid_documents;
        self.failed_documents += other.failed_documents;
    }
}

/// What parsing one file yields.
#[derive(Debug, Default)]
pub struct ParsedFile<'s> {
    pub objects: Vec<Object<'s>>,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: LoadStats,
    /// Files that this file, a kustomization, lists as patches (partial objects), resolved
    /// against its folder.
    pub kustomize_patches: Vec<PathBuf>,
}

/// Input made in memory rather than read from a file: a rendered kustomize overlay. It is
/// linted like standard input, under `name`.
#[derive(Clone, Debug)]
pub struct RenderedInput {
    pub name: String,
    pub text: String,
}

impl RenderedInput {
    pub fn source_file(&self) -> SourceFile {
        SourceFile::in_memory(self.name.clone(), self.text.clone())
    }
}

/// Reads one input. A problem yields an unreadable [`SourceFile`] and a diagnostic.
pub fn read_input(
    input: &InputFile,
    id: FileId,
    max_size: u64,
) -> (SourceFile, Option<Diagnostic>) {
    let max_size = max_size.min(LARGEST_FILE_SIZE);
    let mut source = SourceFile {
        name: input.display.clone(),
        path: input.path.clone(),
        text: String::new(),
        readable: false,
    };
    let bytes = match &input.path {
        None => {
            let mut buf = Vec::new();
            match std::io::stdin()
                .lock()
                .take(max_size + 1)
                .read_to_end(&mut buf)
            {
                Ok(_) => buf,
                Err(e) => {
                    return (
                        source,
                        Some(unreadable(id, format!("cannot read standard input: {e}"))),
                    );
                }
            }
        }
        Some(path) => match read_bounded(path, max_size) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return (source, Some(too_large(id, max_size))),
            Err(message) => return (source, Some(unreadable(id, message))),
        },
    };
    if bytes.len() as u64 > max_size {
        return (source, Some(too_large(id, max_size)));
    }
    // UTF-16 (what Windows PowerShell's `>` writes) is full of NUL bytes but is not binary:
    // say what it is, so the fix is obvious.
    if let Some(encoding) = utf16_bom(&bytes) {
        let d = Diagnostic::new(
            "file-not-utf8",
            id,
            Span::default(),
            format!("file is {encoding} encoded, not UTF-8"),
        )
        .with_help("Kubernetes manifests are UTF-8: re-encode the file");
        return (source, Some(d));
    }
    if let Some(nul) = memchr::memchr(0, &bytes) {
        source.text = String::from_utf8_lossy(&bytes[..nul]).into_owned();
        let at = source.text.len() as u32;
        let d = Diagnostic::new(
            "file-binary",
            id,
            Span::new(at, at),
            "file contains a NUL byte: it is binary, not a manifest",
        )
        .with_help("exclude it with `--exclude`, or name only manifest files");
        return (source, Some(d));
    }
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    match String::from_utf8(bytes) {
        Ok(text) => {
            source.text = text;
            source.readable = true;
            (source, None)
        }
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            source.text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            // The lossy text has U+FFFD (three bytes) where the bad bytes were: the span must
            // cover that whole character, or printers would slice inside it.
            let byte = err.as_bytes()[at];
            let at = at as u32;
            let width = char::REPLACEMENT_CHARACTER.len_utf8() as u32;
            let d = Diagnostic::new(
                "file-not-utf8",
                id,
                Span::new(at, at + width),
                format!("file is not valid UTF-8 (byte `0x{byte:02x}`)"),
            )
            .with_help("Kubernetes manifests are UTF-8: re-encode the file");
            (source, Some(d))
        }
    }
}

fn utf16_bom(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, ..] => Some("UTF-16LE"),
        [0xFE, 0xFF, ..] => Some("UTF-16BE"),
        _ => None,
    }
}

fn too_large(id: FileId, max_size: u64) -> Diagnostic {
    Diagnostic::new(
        "file-too-large",
        id,
        Span::default(),
        format!("file is larger than the limit of {max_size} bytes"),
    )
    .with_help("split the file, or raise the limit with `--max-file-size`")
}

fn unreadable(id: FileId, message: String) -> Diagnostic {
    Diagnostic::new("file-unreadable", id, Span::default(), message)
}

/// The file's bytes, or `None` when it is larger than `max_size` (it is then not read at all).
fn read_bounded(path: &Path, max_size: u64) -> Result<Option<Vec<u8>>, String> {
    let meta = std::fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound && std::fs::symlink_metadata(path).is_ok() {
            return "cannot read file: it is a symbolic link to nothing".to_string();
        }
        format!("cannot read file: {}", io_reason(&e))
    })?;
    if !meta.is_file() {
        // Opening a FIFO would block and a device could be endless: only regular files are read.
        return Err("not a regular file (a directory, FIFO, socket or device)".to_string());
    }
    if meta.len() > max_size {
        return Ok(None);
    }
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read file: {}", io_reason(&e)))?;
    let mut buf = Vec::with_capacity(meta.len() as usize);
    file.take(max_size + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read file: {}", io_reason(&e)))?;
    Ok(Some(buf))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotFound => {
            "no such file (it may have been removed during the run)".to_string()
        }
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_lowercase()
        }
    }
}

/// The arena for the node trees of `text`, sized from it so that most files need one chunk.
///
/// A tree takes about 36 to 40 bytes per line of YAML, whatever the line's length: about one
/// entry (32 bytes) a line, plus the headers of collections and the few scalars that are not
/// their text as written (38.7 on the generated benchmark tree; a median of 35.6 and a 90th
/// percentile of 39.6 over the real-world corpus, 36.6 and 43.0 over the fixtures). Bytes per
/// byte of text vary three times more (0.96 to 3.2 in the corpus), as lines are long or short.
/// bumpalo doubles the next chunk when one fills, so a file that overflows once takes three
/// times its guess: 42 bytes a line fits nine files in ten and wastes a tenth on the benchmark
/// tree. Lines without nodes (blank, comments) would make the guess too large, so it is capped
/// at three times the text, a little below the 90th percentile of the corpus in bytes per byte:
/// a file of 64 MiB of line breaks reserves 192 MiB, not 2.8 GiB.
pub fn arena_for_text(text: &str) -> Bump {
    if text.is_empty() {
        return Bump::new();
    }
    let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
    Bump::with_capacity(
        lines
            .saturating_mul(ARENA_BYTES_PER_LINE)
            .min(text.len().saturating_mul(ARENA_MOST_BYTES_PER_BYTE)),
    )
}

const ARENA_BYTES_PER_LINE: usize = 42;
const ARENA_MOST_BYTES_PER_BYTE: usize = 3;

/// The arena for one file's node trees (see [`arena_for_text`]); an unreadable file gets an
/// empty one, which allocates nothing.
pub fn arena_for(source: &SourceFile) -> Bump {
    if source.readable {
        arena_for_text(&source.text)
    } else {
        Bump::new()
    }
}

/// Parses one readable file into objects, whose trees are allocated in `arena` (one per file,
/// living as long as the file's text).
pub fn parse_file<'s>(
    id: FileId,
    source: &'s SourceFile,
    arena: &'s Bump,
    limits: Limits,
) -> ParsedFile<'s> {
    if !source.readable {
        return ParsedFile::default();
    }
    // Read files are capped by `read_input`; a rendered chart or kustomization is not read
    // from disk, so its text is checked here.
    if source.text.len() as u64 > LARGEST_FILE_SIZE {
        let mut parsed = ParsedFile::default();
        parsed.diagnostics.push(
            Diagnostic::new(
                "file-too-large",
                id,
                Span::default(),
                format!("input is larger than the limit of {LARGEST_FILE_SIZE} bytes"),
            )
            .with_help("render it in smaller parts"),
        );
        return parsed;
    }
    documents::parse_documents(id, source, arena, limits)
}

/// `a/b/../c` -> `a/c`, without touching the file system, so patch paths listed by a
/// kustomization compare equal to the paths the walk found.
pub fn normalize_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first chunk: 42 bytes a line, but never more than three times the text, so a file
    /// of line breaks does not reserve fourteen times its size.
    #[test]
    fn arenas_are_sized_by_lines_within_three_times_the_text() {
        let chunk = |text: &str| arena_for_text(text).allocated_bytes();
        let long_lines = format!("{}\n", "x".repeat(199)).repeat(100);
        assert!((100 * 42..100 * 42 + 4096).contains(&chunk(&long_lines)));
        let breaks = "\n".repeat(1_000_000);
        assert!((3_000_000..3_000_000 + 4096).contains(&chunk(&breaks)));
        assert_eq!(chunk(""), 0);
    }
}
