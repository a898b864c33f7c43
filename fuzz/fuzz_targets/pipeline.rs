//! The whole pipeline with every rule enabled, on one arbitrary file: loading, the index,
//! every rule, and the human and JSON printers. It must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pake_lint::engine::{self, Options};
use pake_lint::report::{self, Format, PrintOptions};

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("pake-lint-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("input.yaml");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let options = Options {
        paths: vec![path.to_string_lossy().into_owned()],
        select: vec!["all".to_string()],
        jobs: Some(1),
        ..Options::default()
    };
    let Ok(outcome) = engine::run(&options) else {
        return;
    };
    let print = PrintOptions::default();
    for format in [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Gitlab,
    ] {
        let mut out = Vec::new();
        report::print(format, &outcome, &print, &mut out).unwrap();
    }
});
