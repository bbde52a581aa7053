//! Throughput of following cases: reading case files (`read_cases`), the case clock
//! over all of them (`case::status` as of a fixed date), and the whole `hds status`
//! path (cases read on one thread, statuses computed and written as JSON Lines on
//! another), on generated case files written to a temporary folder. Then the
//! `hds status` binary itself on the same folder, with its peak memory.
//!
//! `cargo bench --bench status` (or `-- 2000` for another count).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// The date every status is counted to.
const AS_OF: &str = "2026-09-30";

/// Source ids and whether they are processed here (a source with its own form is
/// only redirected).
const SOURCES: [(&str, &str); 12] = [
    ("msis", "niph"),
    ("mfr", "niph"),
    ("dar", "niph"),
    ("sysvak", "niph"),
    ("npr", "niph"),
    ("lmr", "niph"),
    ("kpr", "niph"),
    ("kreftregisteret", "cancer-registry"),
    ("bivirkninger", "medicines-agency"),
    ("helsearkivregisteret", "national-archives"),
    ("kuhr", ""),
    ("hunt", ""),
];

/// A small deterministic generator (a linear congruential one).
struct Seed(u64);

impl Seed {
    fn next(&mut self, m: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % m
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next(100) < percent
    }
}

/// A date as days after 2024-01-01 (no holidays needed: the clock counts them).
fn date(days: u64) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date");
    (start + chrono::Days::new(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// An inline application document, indented under `key:` by `indent` spaces.
fn application(
    id: &str,
    submitted: u64,
    sources: &[usize],
    complete: bool,
    linking: bool,
    purpose: &str,
    indent: usize,
) -> String {
    let pad = " ".repeat(indent);
    let mut s = String::new();
    let _ = writeln!(s, "{pad}id: {id}");
    let _ = writeln!(s, "{pad}submitted_at: {}", date(submitted));
    let _ = writeln!(s, "{pad}data_kind: aggregated");
    let _ = writeln!(
        s,
        "{pad}applicant: {{name: Kari Nordmann, organisation: Universitetet i Oslo, email: kari@example.org, role: researcher}}"
    );
    let _ = writeln!(
        s,
        "{pad}project: {{title: Generated case, description: Counts per year and county., purpose: {purpose}}}"
    );
    let _ = writeln!(s, "{pad}sources:");
    for &i in sources {
        let (id, _) = SOURCES[i];
        let icd = if id == "kreftregisteret" {
            ", icd10: [C50]"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "{pad}  - {{id: {id}, variables: [year, county, sex], years: {{from: 2015, to: 2023}}{icd}}}"
        );
    }
    if complete {
        let _ = writeln!(
            s,
            "{pad}attachments: [{{kind: sample_table, file: table.xlsx}}]"
        );
    }
    if linking && sources.len() > 1 {
        let _ = writeln!(s, "{pad}linking: {{comment: linked on year and county}}");
    }
    s
}

/// One case file: an inline application and a realistic course of events.
fn case_file(i: usize, r: &mut Seed) -> String {
    let id = format!("HDS-B-{i:05}");
    let submitted = r.next(900); // 2024-01-01 .. mid 2026
    let count = 1 + r.next(3) as usize;
    let mut sources: Vec<usize> = Vec::new();
    while sources.len() < count {
        // Mostly sources processed here; now and then one with its own form.
        let pick = if r.chance(4) {
            10 + r.next(2) as usize
        } else {
            r.next(10) as usize
        };
        if !sources.contains(&pick) {
            sources.push(pick);
        }
    }
    sources.sort_unstable();
    let complete = !r.chance(15);
    let purpose = ["research", "statistics", "administration"][r.next(3) as usize];
    let linking = r.chance(30);
    let mut routes: Vec<&str> = sources
        .iter()
        .map(|&s| SOURCES[s].1)
        .filter(|c| !c.is_empty())
        .collect();
    routes.sort_unstable();
    routes.dedup();

    let mut events: Vec<String> = Vec::new();
    let mut ev = |line: String| events.push(format!("  - {line}"));
    let d = |n: u64| date(submitted + n);
    ev(format!(
        "{{date: {}, kind: work_logged, party: helsedataservice, hours: {}.{}}}",
        d(1 + r.next(4)),
        1 + r.next(3),
        [0, 25, 5, 75][r.next(4) as usize]
    ));
    if !complete && r.chance(60) {
        ev(format!(
            "{{date: {}, kind: attachment_received, attachment: {{kind: sample_table, file: late.xlsx}}}}",
            d(3 + r.next(20))
        ));
    }
    if r.chance(12) {
        let mut amended = sources.clone();
        if r.chance(50) && !amended.contains(&0) {
            amended.insert(0, 0);
        }
        ev(format!(
            "date: {}\n    kind: amended\n    note: sources changed\n    application:\n{}",
            d(5 + r.next(10)),
            application(&id, submitted, &amended, complete, linking, purpose, 6).trim_end()
        ));
        if amended.contains(&0) && !routes.contains(&"niph") {
            routes.insert(0, "niph");
        }
    }
    if r.chance(60) {
        ev(format!(
            "{{date: {}, kind: preliminary_reply_sent}}",
            d(10 + r.next(15))
        ));
    }
    if let Some(&route) = routes.first() {
        if r.chance(40) {
            let asked = 20 + r.next(20);
            ev(format!(
                "{{date: {}, kind: question_sent, route: {route}, note: Which age groups?}}",
                d(asked)
            ));
            if r.chance(65) {
                ev(format!(
                    "{{date: {}, kind: answer_received, route: {route}}}",
                    d(asked + 5 + r.next(20))
                ));
            } else if r.chance(60) {
                ev(format!(
                    "{{date: {}, kind: reminder_sent, route: {route}}}",
                    d(asked + 16)
                ));
                if r.chance(50) {
                    ev(format!(
                        "{{date: {}, kind: answer_received, route: {route}}}",
                        d(asked + 20)
                    ));
                } else if r.chance(60) {
                    let dismissed = asked + 30;
                    ev(format!(
                        "{{date: {}, kind: dismissed, reason: No answer after the reminder.}}",
                        d(dismissed)
                    ));
                    if r.chance(30) {
                        ev(format!(
                            "{{date: {}, kind: appeal_received}}",
                            d(dismissed + 10)
                        ));
                        let outcome = if r.chance(50) { "upheld" } else { "reversed" };
                        ev(format!(
                            "{{date: {}, kind: appeal_decided, outcome: {outcome}}}",
                            d(dismissed + 30)
                        ));
                    }
                }
            }
        }
    }
    if r.chance(4) {
        ev(format!("{{date: {}, kind: withdrawn}}", d(30 + r.next(60))));
    }
    for route in &routes {
        if r.chance(25) {
            ev(format!(
                "{{date: {}, kind: postponed, route: {route}, until: {}, reason: Linking needs a new key.}}",
                d(35 + r.next(30)),
                d(120 + r.next(40))
            ));
        }
        if r.chance(10) {
            let refused = 40 + r.next(30);
            ev(format!(
                "{{date: {}, kind: refused, route: {route}, reason: Cells under five.}}",
                d(refused)
            ));
            if r.chance(50) {
                ev(format!(
                    "{{date: {}, kind: appeal_received, route: {route}}}",
                    d(refused + 7)
                ));
                let reversed = r.chance(50);
                let outcome = if reversed { "reversed" } else { "upheld" };
                ev(format!(
                    "{{date: {}, kind: appeal_decided, route: {route}, outcome: {outcome}}}",
                    d(refused + 25)
                ));
                if reversed {
                    ev(format!(
                        "{{date: {}, kind: delivered, route: {route}}}",
                        d(refused + 60)
                    ));
                }
            }
        } else if r.chance(65) {
            ev(format!(
                "{{date: {}, kind: delivered, route: {route}}}",
                d(45 + r.next(80))
            ));
        }
        if r.chance(70) {
            ev(format!(
                "{{date: {}, kind: work_logged, party: {route}, hours: {}}}",
                d(30 + r.next(60)),
                1 + r.next(12)
            ));
        }
    }

    let mut text = format!(
        "# A generated case.\ncase: {id}\napplication:\n{}events:\n",
        application(&id, submitted, &sources, complete, linking, purpose, 2)
    );
    if events.is_empty() {
        text.push_str("  []\n");
    }
    for e in events {
        text.push_str(&e);
        text.push('\n');
    }
    text
}

fn per_second(n: usize, t: Duration) -> f64 {
    n as f64 / t.as_secs_f64()
}

fn report(what: &str, n: usize, t: Duration) {
    println!(
        "{what:<34} {:9.1} ms ({:.0} cases/s)",
        t.as_secs_f64() * 1e3,
        per_second(n, t)
    );
}

/// The `hds status` binary on `folder`: its time and peak resident memory (KiB,
/// sampled from /proc while it runs; `None` where there is no /proc).
fn run_binary(folder: &Path, rules: &Path) -> (Duration, Option<u64>, bool) {
    let started = Instant::now();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_hds"))
        .args(["status", "--as-of", AS_OF, "--rules"])
        .arg(rules)
        .arg(folder)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return (started.elapsed(), None, false);
    };
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak: Option<u64> = None;
    let ok = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            if let Some(kib) = hwm {
                peak = Some(peak.map_or(kib, |p| p.max(kib)));
            }
        }
        match child.try_wait() {
            Ok(Some(status)) => break status.code().is_some_and(|c| c <= 1),
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break false,
        }
    };
    (started.elapsed(), peak, ok)
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let as_of = chrono::NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").expect("the as-of date");

    let dir = tempfile::tempdir().expect("a temporary folder");
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).expect("the cases folder");
    let mut seed = Seed(42);
    let mut bytes = 0usize;
    for i in 0..n {
        let text = case_file(i, &mut seed);
        bytes += text.len();
        let mut f =
            std::fs::File::create(cases.join(format!("case-{i:05}.yaml"))).expect("a case file");
        f.write_all(text.as_bytes()).expect("written");
    }
    println!("{n} case files, {} KiB, as of {AS_OF}", bytes / 1024);

    let rules = hds::RuleSet::built_in().expect("built-in rule set loads");
    let paths = vec![cases.display().to_string()];

    let started = Instant::now();
    let mut loaded = Vec::with_capacity(n);
    let mut unreadable = 0usize;
    hds::case::file::read_cases(&paths, |c| match c {
        Ok(c) => loaded.push(c),
        Err(e) => {
            if unreadable == 0 {
                eprintln!("first unreadable: {}", e.error.message);
            }
            unreadable += 1;
        }
    });
    let read = started.elapsed();

    let started = Instant::now();
    let mut bad = 0usize;
    let mut states = std::collections::BTreeMap::<String, usize>::new();
    for c in &loaded {
        match hds::case::status(c, &rules, as_of) {
            Ok(s) => *states.entry(format!("{:?}", s.state)).or_default() += 1,
            Err(e) => {
                if bad == 0 {
                    eprintln!("first case not followed: {}", e.error.message);
                }
                bad += 1;
            }
        }
    }
    let clock = started.elapsed();
    drop(loaded);

    let options = hds::cli::status::StatusOptions {
        as_of,
        format: hds::cli::OutputFormat::Json,
        overdue: false,
        due_within: None,
        explain: false,
    };
    let started = Instant::now();
    let mut out = std::io::BufWriter::new(std::io::sink());
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(64);
        let paths = &paths;
        scope.spawn(move || {
            hds::case::file::read_cases(paths, |case| {
                let _ = tx.send(case);
            });
        });
        hds::cli::status::print_statuses(&rules, rx, &options, &mut out);
    });
    let whole = started.elapsed();

    let rules_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let (binary, peak, ran) = run_binary(&cases, &rules_dir);

    println!(
        "read {} cases ({unreadable} unreadable), followed {} ({bad} not): {states:?}",
        n - unreadable,
        n - unreadable - bad
    );
    report("read_cases", n, read);
    report("case::status (clock)", n, clock);
    report("hds status path (JSON, to sink)", n, whole);
    report("read + clock, one thread", n, read + clock);
    match peak {
        Some(kib) => println!(
            "hds status binary:                 {:9.1} ms ({:.0} cases/s), peak memory {:.1} MiB{}",
            binary.as_secs_f64() * 1e3,
            per_second(n, binary),
            kib as f64 / 1024.0,
            if ran { "" } else { " (did not run cleanly)" }
        ),
        None => report("hds status binary", n, binary),
    }
}
