//! The output is byte-for-byte the same at any thread count: files are parsed and rules run in
//! parallel, and the engine sorts before printing.

use std::process::Command;

fn output(format: &str, jobs: &str) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_pake-lint"))
        .args([
            "--format", format, "--quiet", "--color", "never", "--select", "all", "--jobs", jobs,
            "fixtures",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the fixtures have findings: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn json_and_human_output_do_not_depend_on_jobs() {
    for format in ["json", "human"] {
        let one = output(format, "1");
        assert!(
            one.len() > 1000,
            "{format}: the fixtures produce a real report"
        );
        for jobs in ["2", "8", "8"] {
            let many = output(format, jobs);
            if one != many {
                let one = String::from_utf8_lossy(&one);
                let many = String::from_utf8_lossy(&many);
                let (line, a, b) = one
                    .lines()
                    .zip(many.lines())
                    .enumerate()
                    .find(|(_, (a, b))| a != b)
                    .map(|(i, (a, b))| (i + 1, a.to_string(), b.to_string()))
                    .unwrap_or_default();
                panic!(
                    "{format}: --jobs 1 and --jobs {jobs} differ, first at line {line}:\n  {a}\n  {b}"
                );
            }
        }
    }
}
