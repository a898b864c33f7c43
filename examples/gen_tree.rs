//! Writes a deterministic tree of Kubernetes manifests for benchmarks:
//! `cargo run --release --example gen_tree -- DOCUMENTS OUT_DIR`.
//!
//! One file per application bundle (see `common/generator.rs`), spread over 20 team folders.

#[path = "common/generator.rs"]
mod generator;

use std::path::Path;

use generator::{DOCS_PER_APP, app};

fn main() {
    let mut args = std::env::args().skip(1);
    let documents: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let out = args
        .next()
        .unwrap_or_else(|| "target/bench-tree".to_string());
    let out = Path::new(&out);
    std::fs::create_dir_all(out).expect("create the output folder");
    let apps = documents.div_ceil(DOCS_PER_APP);
    let mut bytes = 0usize;
    for i in 0..apps {
        let dir = out.join(format!("team-{:02}", i % 20));
        std::fs::create_dir_all(&dir).expect("create a team folder");
        let text = app(i);
        bytes += text.len();
        std::fs::write(dir.join(format!("svc-{i:06}.yaml")), text).expect("write a manifest");
    }
    println!(
        "{} documents in {} files, {:.1} MB, under {}",
        apps * DOCS_PER_APP,
        apps,
        bytes as f64 / 1e6,
        out.display()
    );
}
