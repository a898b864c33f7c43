//! Prints the alert coverage pake-lint computes for an input: per workload, HPA and volume
//! claim, the signals some alert covers it for, then the totals per signal.
//!
//! `cargo run --example alert_coverage -- <paths...>`

use pake_lint::diagnostic::FileId;
use pake_lint::load::{self, DiscoverOptions, Limits};
use pake_lint::model::Index;
use pake_lint::model::alerts::{Alerting, WATCHED_WORKLOADS};
use pake_lint::model::index::IndexOptions;
use pake_lint::model::signals::default_signals;

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let inputs = load::discover(&DiscoverOptions {
        paths: &paths,
        exclude: &[],
        stdin_filename: None,
    })
    .expect("the paths exist");
    let files: Vec<_> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| load::read_input(input, FileId(i as u32), load::DEFAULT_MAX_FILE_SIZE).0)
        .collect();
    let arenas: Vec<load::Bump> = files.iter().map(load::arena_for).collect();
    let mut objects = Vec::new();
    for (i, (f, arena)) in files.iter().zip(&arenas).enumerate() {
        objects.extend(load::parse_file(FileId(i as u32), f, arena, Limits::default()).objects);
    }
    let index = Index::build(
        objects,
        &IndexOptions {
            default_namespace: "default".into(),
            ..IndexOptions::default()
        },
    )
    .with_sources(files.iter().map(|f| f.text.as_str()).collect());
    let alerting = index.alerting();
    let parsed = alerting
        .alerts
        .iter()
        .filter(|a| a.expression().is_some())
        .count();
    println!(
        "alerts: {} ({} parse), monitors: {}",
        alerting.alerts.len(),
        parsed,
        alerting.monitors.list.len()
    );
    for m in &alerting.monitors.list {
        let o = index.get(m.object);
        println!(
            "  {} {}/{}: {} selected, {} workloads, namespaces {:?}{}",
            o.kind,
            o.namespace.as_deref().unwrap_or(""),
            o.name,
            m.selected.len(),
            m.workloads.len(),
            m.namespaces,
            if m.judged {
                ""
            } else {
                " (not judged: deployed elsewhere)"
            }
        );
    }
    for alert in &alerting.alerts {
        if let Some(Err(e)) = &alert.expr {
            println!("  does not parse: {}: {}", alert.name, e.message);
        }
    }
    let signals: Vec<&str> = default_signals().iter().map(|s| s.name.as_str()).collect();
    let mut totals: Vec<(usize, usize)> = vec![(0, 0); signals.len()];
    let mut subjects = Vec::new();
    for kind in WATCHED_WORKLOADS {
        for o in index.of_kind(kind) {
            subjects.push((
                format!(
                    "{} {}/{}",
                    o.kind,
                    o.namespace.as_deref().unwrap_or(""),
                    o.name
                ),
                alerting.workload_subject(o),
            ));
        }
    }
    for o in index.of_kind("HorizontalPodAutoscaler") {
        let ns = o.namespace.as_deref().unwrap_or("");
        subjects.push((
            format!("HPA {ns}/{}", o.name),
            Alerting::object_subject(o.kind, ns, "horizontalpodautoscaler", &o.name),
        ));
    }
    for o in index.of_kind("PersistentVolumeClaim") {
        let ns = o.namespace.as_deref().unwrap_or("");
        subjects.push((
            format!("PVC {ns}/{}", o.name),
            Alerting::object_subject(o.kind, ns, "persistentvolumeclaim", &o.name),
        ));
    }
    for (name, subject) in &subjects {
        let mut covered = Vec::new();
        for (i, s) in signals.iter().enumerate() {
            let applies = default_signals()[i]
                .any
                .iter()
                .chain(&default_signals()[i].all)
                .any(|p| {
                    if p.kinds.is_empty() {
                        WATCHED_WORKLOADS.contains(&subject.kind.as_str())
                    } else {
                        p.kinds.contains(&subject.kind)
                    }
                });
            // Connection signals watch a dependency (a database, a cache), not every workload.
            if !applies || s.ends_with("-connection") {
                continue;
            }
            totals[i].1 += 1;
            let by: Vec<&str> = alerting
                .covering(subject, s)
                .map(|a| a.name.as_str())
                .collect();
            if !by.is_empty() {
                totals[i].0 += 1;
                let mut by = by;
                by.dedup();
                covered.push(format!("{s} ({})", by.join(", ")));
            }
        }
        println!(
            "{name}{}: {}",
            if subject.scraped { " [scraped]" } else { "" },
            if covered.is_empty() {
                "-".to_string()
            } else {
                covered.join("; ")
            }
        );
    }
    println!("totals (covered / applicable):");
    for (i, s) in signals.iter().enumerate() {
        println!("  {s}: {}/{}", totals[i].0, totals[i].1);
    }
}
