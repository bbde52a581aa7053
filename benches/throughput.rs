//! Throughput of the engine: rule-set load time, parsing, and evaluation per
//! application, single-threaded, on generated applications; then each stage's
//! common rule on its own, on the compiled tier and on Rhai's interpreter.
//!
//! `cargo bench --bench throughput` (or `-- 20000` for another count).

use std::time::Instant;

const SOURCES: [&str; 13] = [
    "msis",
    "mfr",
    "dar",
    "sysvak",
    "hkr",
    "lmr",
    "npr",
    "kpr",
    "kreftregisteret",
    "bivirkninger",
    "helsearkivregisteret",
    "kuhr",
    "hunt",
];

/// A deterministic mix of applications as JSON Lines.
fn generate(n: usize) -> Vec<String> {
    let mut seed: u64 = 42;
    let mut next = move |m: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % m
    };
    (0..n)
        .map(|i| {
            let count = 1 + next(3) as usize;
            let sources: Vec<String> = (0..count)
                .map(|_| {
                    let id = SOURCES[next(SOURCES.len() as u64) as usize];
                    let icd = if id == "kreftregisteret" { r#", "icd10": ["C50"]"# } else { "" };
                    format!(r#"{{"id": "{id}", "variables": ["year", "county", "sex"]{icd}}}"#)
                })
                .collect();
            let linking = if next(3) == 0 { r#", "linking": {"comment": "link"}"# } else { "" };
            let purpose = ["research", "statistics", "commercial"][next(3) as usize];
            format!(
                r#"{{"id": "BENCH-{i}", "submitted_at": "20{}-{:02}-{:02}T10:30:00+01:00", "data_kind": "aggregated", "applicant": {{"name": "A B", "email": "a@b.no"}}, "project": {{"description": "x", "purpose": "{purpose}"}}, "sources": [{}], "attachments": [{{"kind": "sample_table", "file": "t.xlsx", "received_at": "2027-01-05"}}]{linking}}}"#,
                22 + next(6),
                1 + next(12),
                1 + next(28),
                sources.join(", ")
            )
        })
        .collect()
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);

    let started = Instant::now();
    let rules = hds::RuleSet::built_in().expect("built-in rule set loads");
    let load = started.elapsed();

    let lines = generate(n);
    let started = Instant::now();
    let apps: Vec<hds::Application> = lines
        .iter()
        .filter_map(|l| {
            hds::input::parse_json("bench.jsonl", Some(1), l)
                .result
                .ok()
        })
        .collect();
    let parse = started.elapsed();
    assert_eq!(apps.len(), n);

    let started = Instant::now();
    let mut decided = 0;
    for app in &apps {
        if hds::Evaluator::new(&rules).evaluate(app).is_ok() {
            decided += 1;
        }
    }
    let evaluate = started.elapsed();
    assert_eq!(decided, n);

    let started = Instant::now();
    let mut bytes = 0;
    for app in &apps {
        if let Ok(d) = hds::Evaluator::new(&rules).evaluate(app) {
            bytes += hds::render::json_line(&d).len();
        }
    }
    let with_output = started.elapsed();

    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let started = Instant::now();
    let per = apps.len().div_ceil(threads);
    let parallel_decided: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = apps
            .chunks(per)
            .map(|part| {
                scope.spawn(|| {
                    part.iter()
                        .filter(|a| hds::Evaluator::new(&rules).evaluate(a).is_ok())
                        .count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    let parallel = started.elapsed();
    assert_eq!(parallel_decided, n);

    let stages = stage_times(&apps);

    println!("rule set load:         {:8.2} ms", load.as_secs_f64() * 1e3);
    println!(
        "parse {n} applications: {:8.2} ms ({:.0}/s)",
        parse.as_secs_f64() * 1e3,
        n as f64 / parse.as_secs_f64()
    );
    println!(
        "evaluate:              {:8.2} ms ({:.0}/s, {:.1} µs each)",
        evaluate.as_secs_f64() * 1e3,
        n as f64 / evaluate.as_secs_f64(),
        evaluate.as_secs_f64() * 1e6 / n as f64
    );
    println!(
        "evaluate, {threads} threads:  {:8.2} ms ({:.0}/s)",
        parallel.as_secs_f64() * 1e3,
        n as f64 / parallel.as_secs_f64()
    );
    println!(
        "evaluate + JSON:       {:8.2} ms ({:.0}/s; {bytes} bytes)",
        with_output.as_secs_f64() * 1e3,
        n as f64 / with_output.as_secs_f64()
    );
    for (stage, compiled, interpreted) in stages {
        println!(
            "{stage:<13} (common):  {:6.2} µs each compiled, {:6.2} µs interpreted ({:.1}x)",
            compiled * 1e6 / n as f64,
            interpreted * 1e6 / n as f64,
            interpreted / compiled
        );
    }
}

/// Seconds each stage's common rule takes over all `apps`, called on its own
/// (the application's view built beforehand), compiled and interpreted.
fn stage_times(apps: &[hds::Application]) -> Vec<(&'static str, f64, f64)> {
    use hds::script::{AppView, RouteView, Stage};
    let tiered = hds::RuleSet::built_in().expect("built-in rule set loads");
    let mut interpreted = hds::RuleSet::built_in().expect("built-in rule set loads");
    interpreted.compiled.set_tiered(false);
    let views: Vec<AppView> = apps
        .iter()
        .map(|app| {
            let resolved = tiered
                .catalog()
                .resolve(app.sources.iter().map(|s| s.id.as_str()), app.received_on());
            AppView::new(app, &resolved)
        })
        .collect();
    let route = RouteView::new("niph", &[], &[], None, None, "niph", None);
    let time = |rules: &hds::RuleSet, stage: Stage| -> f64 {
        let Some(script) = rules.script(rules.coordinator(), stage) else {
            return f64::NAN;
        };
        let started = Instant::now();
        for view in &views {
            let ok = if stage == Stage::Deadline {
                rules.compiled.deadline(script, view, &route).is_ok()
            } else {
                rules
                    .compiled
                    .records(script, stage, view, &view.all_sources())
                    .is_ok()
            };
            assert!(ok, "{} fails", stage.name());
        }
        started.elapsed().as_secs_f64()
    };
    Stage::ALL
        .into_iter()
        .map(|stage| {
            (
                stage.name(),
                time(&tiered, stage),
                time(&interpreted, stage),
            )
        })
        .collect()
}
