//! The benchmark's floor: the YAML parser alone (no tree, no index, no rules) over every
//! `*.yaml` file of a folder, on all cores: `cargo run --release --example parse_only -- DIR`.

use std::time::Instant;

use rayon::prelude::*;

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/bench-tree".to_string());
    let mut files = Vec::new();
    collect(std::path::Path::new(&dir), &mut files);
    let started = Instant::now();
    let texts: Vec<String> = files
        .par_iter()
        .map(|p| std::fs::read_to_string(p).expect("UTF-8 file"))
        .collect();
    let read = started.elapsed();
    let parse_started = Instant::now();
    let events: usize = texts
        .par_iter()
        .map(|t| pake_lint::load::yaml::count_events(t))
        .sum();
    let parse = parse_started.elapsed();
    let bytes: usize = texts.iter().map(String::len).sum();
    let documents: usize = texts
        .iter()
        .map(|t| t.matches("\n---").count() + usize::from(t.starts_with("---")))
        .sum();
    let total = started.elapsed().as_secs_f64();
    println!(
        "parse-only: {} files, {documents} documents, {:.1} MB, {events} events; read {:.3}s, parse {:.3}s; {:.0} documents/s, {:.1} MB/s end to end",
        files.len(),
        bytes as f64 / 1e6,
        read.as_secs_f64(),
        parse.as_secs_f64(),
        documents as f64 / total,
        bytes as f64 / 1e6 / total
    );
}
