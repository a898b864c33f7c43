//! The loader on arbitrary bytes: reading (binary, UTF-8), parsing every document, building
//! objects. It must never panic and always account for every document it saw.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pake_lint::diagnostic::FileId;
use pake_lint::load::{self, Limits, SourceFile};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile {
        name: "fuzz.yaml".into(),
        path: None,
        text: text.to_string(),
        readable: true,
    };
    let arena = load::arena_for(&source);
    let parsed = load::parse_file(FileId(0), &source, &arena, Limits::default());
    let s = parsed.stats;
    assert_eq!(
        s.documents,
        s.object_documents
            + s.list_documents
            + s.skipped_documents
            + s.invalid_documents
            + s.failed_documents
    );
    for d in &parsed.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end as usize <= text.len());
    }
});
