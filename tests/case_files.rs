//! Case files (case contract section 1): reading them through the library, each bad
//! one an error record naming the case file, the event, its line and what was
//! expected while the good ones still read; and `hds case new` and `hds case
//! record`, which start a case file and add events to one, keeping its text, or
//! refuse and leave it byte for byte as it was.

mod common;

use common::*;
use hds::case::check as check_events;
use hds::case::file::{read_case, read_cases};
use hds::case::LoadedCase;
use hds::model::error_record::ErrorRecord;
use std::path::{Path, PathBuf};

const APP: &str = "\
id: HDS-T-1
submitted_at: 2026-03-02T09:15:00+01:00
data_kind: aggregated
applicant: {name: A, email: a@example.org}
project: {description: Tables, purpose: research}
sources:
  - {id: msis, variables: [year, county]}
attachments:
  - {kind: sample_table, file: t.xlsx}
";

/// A case file for `app.yaml` beside it, with `events` as written under `events:`.
fn case(events: &str) -> String {
    format!("# A test case.\ncase: T-1\napplication: app.yaml\nevents:\n{events}")
}

/// Every case read from `paths` (relative to `dir`), in input order.
fn read_all(dir: &Path, paths: &[&str]) -> Vec<Result<LoadedCase, ErrorRecord>> {
    let paths: Vec<String> = paths
        .iter()
        .map(|p| dir.join(p).display().to_string())
        .collect();
    let mut out = Vec::new();
    read_cases(&paths, |r| out.push(r));
    out
}

fn rules() -> hds::RuleSet {
    hds::RuleSet::built_in().expect("the built-in rule set loads")
}

#[test]
fn every_example_case_reads_and_agrees_with_the_rules() {
    let mut results = Vec::new();
    read_cases(
        &[root().join("examples/cases").display().to_string()],
        |r| results.push(r),
    );
    assert_eq!(results.len(), 6);
    let rules = rules();
    let mut ids = Vec::new();
    for r in results {
        let case = r.unwrap_or_else(|e| panic!("{}", e.error.message));
        if let Err(e) = check_events(&case, &rules) {
            panic!("{}", e.error.message);
        }
        ids.push((
            case.path.rsplit('/').next().unwrap_or_default().to_string(),
            case.id,
        ));
    }
    // Sorted by file name.
    let names: Vec<&str> = ids.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "amended.yaml",
            "appealed.yaml",
            "dismissed.yaml",
            "on-time.yaml",
            "overdue.yaml",
            "postponed.yaml"
        ]
    );
}

/// One bad case file: its events, the kind of its error record, the line its input
/// names, and what the message must say.
struct Bad {
    file: &'static str,
    text: String,
    kind: &'static str,
    line: Option<usize>,
    says: &'static [&'static str],
}

fn bad_cases() -> Vec<Bad> {
    let ok = "  - {date: 2026-03-05, kind: withdrawn}\n";
    let with = |second: &str| case(&format!("{ok}{second}"));
    vec![
        Bad {
            file: "b01-unknown-kind.yaml",
            text: with("  - {date: 2026-03-09, kind: deliverd, route: niph}\n"),
            kind: "invalid-value",
            line: Some(6),
            says: &["events[1].kind", "unknown kind 'deliverd'", "did you mean 'delivered'?", "expected one of: attachment_received, question_sent"],
        },
        Bad {
            file: "b02-unknown-field.yaml",
            text: with("  - {date: 2026-03-09, kind: question_sent, rout: niph}\n"),
            kind: "unknown-field",
            line: Some(6),
            says: &["events[1].rout", "unknown field `rout`", "a question_sent event takes route (optional), reply_by (optional)"],
        },
        Bad {
            file: "b03-missing-field.yaml",
            text: with("  - {date: 2026-03-09, kind: postponed, route: niph,\n     reason: \"A new key.\"}\n"),
            kind: "missing-field",
            line: Some(6),
            says: &["events[1]:", "missing field `until`", "a postponed event needs `until` (a date YYYY-MM-DD)"],
        },
        Bad {
            file: "b04-blank-reason.yaml",
            text: with("  - {date: 2026-03-09, kind: refused, reason: \" \"}\n"),
            kind: "invalid-value",
            line: Some(6),
            says: &["events[1].reason", "`reason` is blank", "needs the reason in words"],
        },
        Bad {
            file: "b05-before-received.yaml",
            text: with("  # a comment between events\n  - date: 2026-03-01\n    kind: delivered\n"),
            kind: "invalid-value",
            line: Some(7),
            says: &["events[1].date", "before the application was received on 2026-03-02", "expected a date on or after 2026-03-02"],
        },
        Bad {
            file: "b06-hours-decimals.yaml",
            text: with("  - {date: 2026-03-09, kind: work_logged, party: niph, hours: 1.255}\n"),
            kind: "invalid-value",
            line: Some(6),
            says: &["events[1].hours", "hours '1.255'", "expected a number above 0 with at most two decimals"],
        },
        Bad {
            file: "b07-hours-zero.yaml",
            text: with("  - {date: 2026-03-09, kind: work_logged, party: niph, hours: 0}\n"),
            kind: "invalid-value",
            line: Some(6),
            says: &["events[1].hours", "expected a number above 0"],
        },
        Bad {
            file: "b08-bad-date.yaml",
            text: with("  - {date: 2026-03-09, kind: postponed, until: 2026-02-30, reason: x}\n"),
            kind: "invalid-value",
            line: Some(6),
            says: &["events[1].until", "'2026-02-30' is not a date; expected a date YYYY-MM-DD"],
        },
        Bad {
            file: "b09-timestamp-without-offset.yaml",
            text: with("  - {date: 2026-03-09T10:00:00, kind: delivered}\n"),
            kind: "invalid-timestamp",
            line: Some(6),
            says: &["events[1].date", "no UTC offset"],
        },
        Bad {
            file: "b10-unknown-outcome.yaml",
            text: with("  - {date: 2026-03-09, kind: appeal_decided, outcome: granted}\n"),
            kind: "invalid-value",
            line: Some(6),
            says: &["events[1].outcome", "unknown variant `granted`", "`upheld` or `reversed`"],
        },
        Bad {
            file: "b11-no-kind.yaml",
            text: with("  - {date: 2026-03-09, route: niph}\n"),
            kind: "missing-field",
            line: Some(6),
            says: &["events[1]:", "missing field `kind`; expected one of"],
        },
        Bad {
            file: "b12-unreadable-amendment.yaml",
            text: with("  - {date: 2026-03-09, kind: amended, application: gone.yaml}\n"),
            kind: "unreadable",
            line: Some(6),
            says: &["events[1].application", "cannot read the application 'gone.yaml'", "cannot open"],
        },
        Bad {
            file: "b13-unreadable-application.yaml",
            text: case(ok).replace("app.yaml", "missing.yaml"),
            kind: "unreadable",
            line: Some(3),
            says: &["application:", "cannot read the application 'missing.yaml'"],
        },
        Bad {
            file: "b14-syntax.yaml",
            text: with("  - {date: 2026-03-09, kind: delivered\n"),
            kind: "syntax",
            line: None,
            says: &["not a readable YAML document"],
        },
        Bad {
            file: "b15-not-an-event.yaml",
            text: with("  - delivered\n"),
            kind: "invalid-value",
            line: Some(6),
            says: &["events[1]:", "expected an event: a map with date, kind and the fields of its kind"],
        },
        Bad {
            file: "b16-reply-by-before-question.yaml",
            text: with("  - {date: 2026-04-01, kind: question_sent, reply_by: 2026-03-25}\n"),
            kind: "invalid-value",
            line: Some(6),
            says: &["events[1].reply_by", "2026-03-25 is before the event's date, 2026-04-01", "expected a reply date on or after it"],
        },
        Bad {
            file: "b17-postponed-until-before-postponement.yaml",
            text: with("  - {date: 2026-04-01, kind: postponed, until: 2026-03-25, reason: x}\n"),
            kind: "invalid-value",
            line: Some(6),
            says: &["events[1].until", "2026-03-25 is before the event's date, 2026-04-01", "expected a new due date on or after it"],
        },
    ]
}

#[test]
fn each_bad_case_file_is_an_error_record_naming_the_event_its_line_and_the_expectation() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join("app.yaml"), APP);
    std::fs::create_dir_all(dir.path().join("cases")).expect("mkdir");
    let beside = |text: &str| text.replace("application: app.yaml", "application: ../app.yaml");
    write(
        &dir.path().join("cases/a-good.yaml"),
        &beside(&case(
            "  - {date: 2026-03-05, kind: question_sent, route: niph}\n",
        )),
    );
    let bad = bad_cases();
    for b in &bad {
        write(&dir.path().join("cases").join(b.file), &beside(&b.text));
    }
    let results = read_all(dir.path(), &["cases"]);
    assert_eq!(results.len(), bad.len() + 1);
    let good = results[0]
        .as_ref()
        .unwrap_or_else(|e| panic!("{}", e.error.message));
    assert_eq!(good.id, "T-1");
    for (b, result) in bad.iter().zip(&results[1..]) {
        let Err(record) = result else {
            panic!("{} read without error", b.file);
        };
        let file = dir.path().join("cases").join(b.file).display().to_string();
        let input = match b.line {
            Some(l) => format!("{file}:{l}"),
            None => file.clone(),
        };
        assert_eq!(
            record.error.kind, b.kind,
            "{}: {}",
            b.file, record.error.message
        );
        if b.line.is_some() {
            assert_eq!(record.input, input, "{}", b.file);
        } else {
            assert!(
                record.input.starts_with(&file),
                "{}: {}",
                b.file,
                record.input
            );
        }
        assert!(
            record.error.message.starts_with(&format!("{file}:")),
            "{}: {}",
            b.file,
            record.error.message
        );
        for says in b.says {
            assert!(
                record.error.message.contains(says),
                "{}: no '{says}' in {}",
                b.file,
                record.error.message
            );
        }
        assert_eq!(record.application.as_deref(), Some("T-1"), "{}", b.file);
    }
}

#[test]
fn a_case_file_larger_than_a_mebibyte_is_too_large() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.yaml");
    let note = "x".repeat(1 << 20);
    write(
        &path,
        &case(&format!(
            "  - {{date: 2026-03-05, kind: withdrawn, note: {note}}}\n"
        )),
    );
    let e = read_case(&path).expect_err("too large");
    assert_eq!(e.error.kind, "too-large");
    assert!(
        e.error.message.contains("expected at most 1048576"),
        "{}",
        e.error.message
    );
}

#[test]
fn a_case_file_nested_too_deep_is_too_large_at_the_bracket_past_the_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("deep.yaml");
    let deep = common::nested_brackets(200);
    write(
        &path,
        &case(&format!(
            "  - {{date: 2026-03-05, kind: withdrawn, note: [it's, {deep}]}}\n"
        )),
    );
    let e = read_case(&path).expect_err("too deep");
    assert_eq!(e.error.kind, "too-large");
    assert!(
        e.error
            .message
            .contains(": brackets nested more than 64 deep; expected a case file"),
        "{}",
        e.error.message
    );
    let line = case("").lines().count() + 1;
    assert!(
        e.error.message.contains(&format!("deep.yaml:{line}:")),
        "{}",
        e.error.message
    );
}

#[test]
fn folders_files_and_unsupported_names_are_read_in_input_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join("app.yaml"), APP);
    std::fs::create_dir_all(dir.path().join("cases/empty")).expect("mkdir");
    write(
        &dir.path().join("cases/b.yml"),
        &case("  []\n").replace("app.yaml", "../app.yaml"),
    );
    write(
        &dir.path().join("cases/a.json"),
        "{\"application\": \"../app.yaml\"}",
    );
    write(&dir.path().join("cases/notes.txt"), "not a case");
    write(&dir.path().join("cases/.hidden.yaml"), "not read");
    let results = read_all(
        dir.path(),
        &["cases", "cases/empty", "cases/notes.txt", "missing.yaml"],
    );
    let summary: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(c) => format!("ok {}", c.id),
            Err(e) => format!("{} {}", e.error.kind, e.error.message),
        })
        .collect();
    assert_eq!(summary.len(), 5, "{summary:#?}");
    assert_eq!(summary[0], "ok HDS-T-1");
    assert_eq!(summary[1], "ok T-1");
    assert!(
        summary[2].starts_with("unreadable ")
            && summary[2].contains("no case files in this folder"),
        "{}",
        summary[2]
    );
    assert!(
        summary[3]
            .contains("unsupported file type; expected a case file ending in .yaml, .yml or .json"),
        "{}",
        summary[3]
    );
    assert!(
        summary[4].contains("missing.yaml: cannot open"),
        "{}",
        summary[4]
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_or_a_broken_link_in_a_case_folder_is_an_error_record_not_left_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join("app.yaml"), APP);
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).expect("mkdir");
    write(
        &cases.join("a.yaml"),
        &case("  []\n").replace("app.yaml", "../app.yaml"),
    );
    let made = std::process::Command::new("mkfifo")
        .arg(cases.join("b.yaml"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    std::os::unix::fs::symlink(cases.join("nowhere.yaml"), cases.join("c.yaml")).expect("link");
    let summary: Vec<String> = read_all(dir.path(), &["cases"])
        .iter()
        .map(|r| match r {
            Ok(c) => format!("ok {}", c.id),
            Err(e) => format!("{} {} {}", e.error.kind, e.input, e.error.message),
        })
        .collect();
    assert_eq!(summary.len(), 3, "{summary:#?}");
    assert_eq!(summary[0], "ok T-1");
    let b = cases.join("b.yaml").display().to_string();
    assert_eq!(
        summary[1],
        format!("unreadable {b} {b}: not a regular file (a device, pipe or socket); expected a case file")
    );
    assert!(
        summary[2].starts_with("unreadable ") && summary[2].contains("c.yaml: cannot open"),
        "{}",
        summary[2]
    );
}

#[test]
fn a_json_case_file_gives_the_line_of_each_event() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join("app.yaml"), APP);
    let path = dir.path().join("c.json");
    write(
        &path,
        "{\n  \"application\": \"app.yaml\",\n  \"events\": [\n    {\"date\": \"2026-03-05\", \"kind\": \"question_sent\"},\n    {\"date\": \"2026-03-06\",\n     \"kind\": \"answer_received\"}\n  ]\n}\n",
    );
    let c = read_case(&path).unwrap_or_else(|e| panic!("{}", e.error.message));
    assert_eq!(c.event_lines, vec![Some(4), Some(5)]);
}

#[test]
fn an_unclosed_json_case_file_is_placed_at_its_last_character() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join("app.yaml"), APP);
    let path = dir.path().join("c.json");
    write(
        &path,
        "{\n  \"application\": \"app.yaml\",\n  \"events\": [\n\n",
    );
    let e = read_case(&path).expect_err("not closed");
    assert_eq!(e.error.kind, "syntax");
    assert!(
        e.error.message.ends_with(
            "c.json:3:13: events: not a readable JSON document: EOF while parsing a list"
        ),
        "{}",
        e.error.message
    );
}

#[test]
fn routes_and_answers_are_checked_against_the_rules() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join("app.yaml"), APP);
    let check = |events: &str| {
        let path = dir.path().join("c.yaml");
        write(&path, &case(events));
        let c = read_case(&path).unwrap_or_else(|e| panic!("{}", e.error.message));
        check_events(&c, &rules()).map_err(|e| (e.input, e.error.kind, e.error.message))
    };
    assert_eq!(
        check("  - {date: 2026-03-05, kind: question_sent}\n  - {date: 2026-03-09, kind: answer_received, route: niph}\n"),
        Ok(())
    );
    let (input, kind, message) =
        check("  - {date: 2026-03-05, kind: delivered, route: fhi}\n").expect_err("route");
    assert!(input.ends_with("c.yaml:5"), "{input}");
    assert_eq!(kind, "invalid-value");
    assert!(
        message
            .ends_with("events[0].route: 'fhi' is not a route of this case; expected one of: niph"),
        "{message}"
    );
    let (_, _, message) = check(
        "  - {date: 2026-03-05, kind: question_sent, route: niph}\n  - {date: 2026-03-04, kind: answer_received, route: niph}\n",
    )
    .expect_err("answer first");
    assert!(
        message.contains("events[1]: an answer for niph with no open question"),
        "{message}"
    );
}

#[test]
fn a_party_the_rule_set_does_not_know_is_an_error_at_its_event_for_every_command() {
    let f = Folder::new();
    let file = "examples/cases/postponed.yaml";
    let good = "  - {date: 2026-05-20, kind: work_logged, party: niph, hours: 6.25}\n";
    let text = f.read(file);
    assert!(text.contains(good), "{text}");
    write(
        &f.path(file),
        &text.replacen(good, &good.replace("niph", "nihp"), 1),
    );
    let before = f.bytes(file);
    let says = format!(
        "{file}:17: events[5].party: 'nihp' is not a party of this rule set (did you mean 'niph'?); expected one of: helsedataservice, cancer-registry, directorate-of-health, medicines-agency, national-archives, niph"
    );
    // The case file reads (its reader knows no rule set); the clock's checks refuse it.
    let c = read_case(&f.path(file)).unwrap_or_else(|e| panic!("{}", e.error.message));
    let e = check_events(&c, &rules()).expect_err("an unknown party");
    assert!(e.input.ends_with(&format!("{file}:17")), "{}", e.input);
    assert!(e.error.message.ends_with(&says), "{}", e.error.message);
    for args in [
        &["status", "--as-of", "2026-09-01", file][..],
        &["status", "--as-of", "2026-04-01", file][..],
        &["invoice", "--as-of", "2026-09-01", file][..],
    ] {
        let out = f.hds(args, 1);
        let record: serde_json::Value = serde_json::from_str(out.stdout.trim()).expect("JSON");
        assert_eq!(record["input"], format!("{file}:17"), "{}", args.join(" "));
        assert_eq!(record["error"]["kind"], "invalid-value");
        assert_eq!(
            record["error"]["message"],
            says.as_str(),
            "{}",
            args.join(" ")
        );
    }
    let out = f.hds(
        &["invoice", "--as-of", "2026-09-01", "--format", "text", file],
        1,
    );
    let both = format!("{}{}", out.stdout, out.stderr);
    assert!(both.contains(&says), "{both}");
    assert!(!both.contains("price-missing"), "{both}");
    // Nothing is added to a case file that is wrong as it is.
    let out = f.hds(
        &[
            "case",
            "record",
            file,
            "--kind",
            "delivered",
            "--date",
            "2026-08-28",
        ],
        1,
    );
    assert!(out.stderr.contains(&says), "{}", out.stderr);
    assert_eq!(f.bytes(file), before);
    // Nor an event logged by a party the rule set does not know.
    write(&f.path(file), &text);
    let before = f.bytes(file);
    let out = f.hds(
        &[
            "case",
            "record",
            file,
            "--kind",
            "work_logged",
            "--date",
            "2026-08-28",
            "party=fhi",
            "hours=2",
        ],
        1,
    );
    assert!(
        out.stderr.contains(&format!("{file}:18: events[6].party: 'fhi' is not a party of this rule set; expected one of: helsedataservice, ")),
        "{}",
        out.stderr
    );
    assert_eq!(f.bytes(file), before);
}

/// A folder laid out like the repository root (examples, rules, calendars), for
/// commands whose files are looked at afterwards.
struct Folder {
    dir: tempfile::TempDir,
}

impl Folder {
    fn new() -> Folder {
        let dir = tempfile::tempdir().expect("temp dir");
        for part in ["examples", "rules", "calendars"] {
            copy_dir(&root().join(part), &dir.path().join(part));
        }
        Folder { dir }
    }

    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    fn read(&self, p: &str) -> String {
        std::fs::read_to_string(self.path(p)).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    fn bytes(&self, p: &str) -> Vec<u8> {
        std::fs::read(self.path(p)).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    fn hds(&self, args: &[&str], code: i32) -> Output {
        let out = hds()
            .current_dir(self.dir.path())
            .args(args)
            .output()
            .expect("hds runs");
        let out = Output {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert_eq!(out.code, Some(code), "hds {}\n{out:?}", args.join(" "));
        out
    }
}

#[test]
fn case_new_writes_the_id_the_application_path_and_no_events() {
    Test::new()
        .args(["case", "new", "examples/linked-niph.yaml"])
        .stdout(
            "
            # Case HDS-2026-0142: the application as received and every event since, one a line, in any order.
            # Record an event: hds case record CASEFILE --kind KIND --date YYYY-MM-DD [FIELD=VALUE...]
            case: HDS-2026-0142
            application: examples/linked-niph.yaml
            events: []
            ",
        )
        .run();
}

#[test]
fn case_new_to_a_file_names_the_application_relative_to_it_and_never_overwrites() {
    let f = Folder::new();
    std::fs::create_dir_all(f.path("cases")).expect("mkdir");
    f.hds(
        &[
            "case",
            "new",
            "examples/linked-niph.yaml",
            "-o",
            "cases/c.yaml",
        ],
        0,
    );
    let text = f.read("cases/c.yaml");
    assert!(
        text.contains("\napplication: ../examples/linked-niph.yaml\nevents: []\n"),
        "{text}"
    );
    let c = read_case(&f.path("cases/c.yaml")).unwrap_or_else(|e| panic!("{}", e.error.message));
    assert_eq!(c.id, "HDS-2026-0142");
    let out = f.hds(
        &[
            "case",
            "new",
            "examples/cancer-registry.yaml",
            "-o",
            "cases/c.yaml",
        ],
        2,
    );
    assert!(
        out.stderr.contains("cases/c.yaml: already exists"),
        "{}",
        out.stderr
    );
    assert_eq!(f.read("cases/c.yaml"), text);
    let out = f.hds(
        &[
            "case",
            "new",
            "examples/linked-niph.yaml",
            "-o",
            "nowhere/c.yaml",
        ],
        2,
    );
    assert!(out.stderr.contains("no such folder"), "{}", out.stderr);
}

#[test]
fn case_new_from_standard_input_writes_the_application_inline() {
    let out = Test::new()
        .args(["case", "new", "-"])
        .stdin(
            &std::fs::read_to_string(root().join("examples/cancer-registry.yaml")).expect("read"),
        )
        .stdout_contains("case: HDS-2026-0201\napplication:\n  # Breast cancer statistics")
        .stdout_contains("\n  id: HDS-2026-0201\n")
        .run();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("c.yaml");
    write(&path, &out.stdout);
    let c = read_case(&path).unwrap_or_else(|e| panic!("{}", e.error.message));
    assert_eq!(c.application.id, "HDS-2026-0201");
    assert!(matches!(
        c.file.application,
        hds::model::case::ApplicationRef::Inline(_)
    ));
}

#[test]
fn case_new_refuses_an_application_that_does_not_read() {
    Test::new()
        .args(["case", "new", "tests/fixtures/not-yaml.yaml"])
        .code(1)
        .stderr_contains("hds: no case file started: tests/fixtures/not-yaml.yaml")
        .run();
}

#[test]
fn case_record_appends_one_line_after_the_last_event_keeping_the_comments() {
    let f = Folder::new();
    let before = f.read("examples/cases/postponed.yaml");
    let out = f.hds(
        &[
            "case",
            "record",
            "examples/cases/postponed.yaml",
            "--kind",
            "delivered",
            "--date",
            "2026-08-28",
            "--route",
            "niph",
            "note=Delivered: \"tables\" by e-mail",
        ],
        0,
    );
    assert_eq!(
        out.stdout,
        "examples/cases/postponed.yaml:18: recorded events[6]: delivered on 2026-08-28\n"
    );
    let after = f.read("examples/cases/postponed.yaml");
    let last = "  - {date: 2026-05-20, kind: work_logged, party: niph, hours: 6.25}\n";
    let line = "  - {date: 2026-08-28, kind: delivered, route: niph, note: \"Delivered: \\\"tables\\\" by e-mail\"}\n";
    assert_eq!(after, before.replacen(last, &format!("{last}{line}"), 1));
    let c = read_case(&f.path("examples/cases/postponed.yaml"))
        .unwrap_or_else(|e| panic!("{}", e.error.message));
    assert_eq!(c.file.events.len(), 7);
    assert_eq!(c.file.events[6].what.name(), "delivered");
    assert_eq!(
        c.file.events[6].note.as_deref(),
        Some("Delivered: \"tables\" by e-mail")
    );
    assert_eq!(c.event_lines[6], Some(18));
}

#[test]
fn case_record_fills_a_new_case_and_reads_back_every_kind_of_field() {
    let f = Folder::new();
    f.hds(
        &["case", "new", "examples/linked-niph.yaml", "-o", "c.yaml"],
        0,
    );
    let record = |args: &[&str]| {
        let mut all = vec!["case", "record", "c.yaml"];
        all.extend_from_slice(args);
        f.hds(&all, 0);
    };
    record(&[
        "--kind",
        "question_sent",
        "--date",
        "2026-03-25",
        "--route",
        "niph",
        "reply_by=2026-04-13",
    ]);
    record(&[
        "--kind",
        "answer_received",
        "--date",
        "2026-04-15T10:30:00+02:00",
        "route=niph",
    ]);
    record(&[
        "--kind",
        "attachment_received",
        "--date",
        "2026-04-16",
        "attachment.kind=variable_list",
        "attachment.file=vars v2.csv",
    ]);
    record(&[
        "--kind",
        "work_logged",
        "--date",
        "2026-04-17",
        "party=helsedataservice",
        "hours=1.25",
    ]);
    record(&[
        "--kind",
        "amended",
        "--date",
        "2026-04-20",
        "application=examples/linked-niph.yaml",
    ]);
    record(&[
        "--kind",
        "refused",
        "--date",
        "2026-05-04",
        "--route",
        "niph",
        "reason=No key.",
    ]);
    record(&[
        "--kind",
        "appeal_received",
        "--date",
        "2026-05-06",
        "--route",
        "niph",
    ]);
    record(&[
        "--kind",
        "appeal_decided",
        "--date",
        "2026-05-20",
        "--route",
        "niph",
        "outcome=reversed",
    ]);
    let text = f.read("c.yaml");
    assert!(text.contains("\nevents:\n  - {date: 2026-03-25, kind: question_sent, route: niph, reply_by: 2026-04-13}\n"), "{text}");
    assert!(
        text.contains(
            "  - {date: 2026-04-20, kind: amended, application: examples/linked-niph.yaml}\n"
        ),
        "{text}"
    );
    let c = read_case(&f.path("c.yaml")).unwrap_or_else(|e| panic!("{}", e.error.message));
    let kinds: Vec<&str> = c.file.events.iter().map(|e| e.what.name()).collect();
    assert_eq!(
        kinds,
        [
            "question_sent",
            "answer_received",
            "attachment_received",
            "work_logged",
            "amended",
            "refused",
            "appeal_received",
            "appeal_decided"
        ]
    );
    assert!(c.amendments[4].is_some());
    assert_eq!(c.event_lines, (6..14).map(Some).collect::<Vec<_>>());
}

#[test]
fn case_record_rewrites_a_json_case_file_as_json() {
    let f = Folder::new();
    write(
        &f.path("c.json"),
        "{\"case\": \"J\", \"application\": \"examples/linked-niph.yaml\"}",
    );
    f.hds(
        &[
            "case",
            "record",
            "c.json",
            "--kind",
            "work_logged",
            "--date",
            "2026-03-10",
            "party=niph",
            "hours=2",
        ],
        0,
    );
    let v: serde_json::Value = serde_json::from_str(&f.read("c.json")).expect("JSON");
    assert_eq!(
        v,
        serde_json::json!({"case": "J", "application": "examples/linked-niph.yaml",
            "events": [{"date": "2026-03-10", "kind": "work_logged", "party": "niph", "hours": 2}]})
    );
}

#[test]
fn case_record_refuses_a_bad_event_and_leaves_the_file_byte_for_byte() {
    let f = Folder::new();
    let file = "examples/cases/postponed.yaml";
    // The file as an operator's editor may leave it: CRLF line endings, no newline
    // at the end.
    let text = f.read(file).trim_end().replace('\n', "\r\n");
    write(&f.path(file), &text);
    let before = f.bytes(file);
    let refusals: &[(&[&str], &str)] = &[
        (&["--kind", "delivered", "--date", "2026-08-28", "--route", "nihp"], "events[6].route: 'nihp' is not a route of this case; expected one of: niph"),
        (&["--kind", "answer_received", "--date", "2026-04-20", "--route", "niph"], "events[6]: an answer for niph with no open question"),
        (&["--kind", "postponed", "--date", "2026-08-28", "until=2026-09-15", "reason=  "], "events[6].reason: `reason` is blank"),
        (&["--kind", "postponed", "--date", "2026-08-28", "until=2026-09-15"], "a postponed event needs reason=…"),
        (&["--kind", "delivered", "--date", "2026-02-27"], "events[6].date: the event is dated 2026-02-27, before the application was received on 2026-03-02"),
        (&["--kind", "work_logged", "--date", "2026-08-28", "party=niph", "hours=1.005"], "events[6].hours: hours '1.005': expected a number above 0 with at most two decimals"),
        (&["--kind", "work_logged", "--date", "2026-08-28", "party=niph", "hours=-2"], "events[6].hours"),
        (&["--kind", "delivered", "--date", "2026-08-28", "reason=x"], "'reason=x': not a field of a delivered event; it takes route=, note="),
        (&["--kind", "appeal_decided", "--date", "2026-08-28", "outcome=granted"], "events[6].outcome: unknown variant `granted`"),
        (&["--kind", "delivered", "--date", "28.08.2026"], "--date: invalid timestamp '28.08.2026'"),
        (&["--kind", "amended", "--date", "2026-08-28", "application=examples/none.yaml"], "events[6].application: cannot read the application"),
    ];
    for (args, says) in refusals {
        let mut all = vec!["case", "record", file];
        all.extend_from_slice(args);
        let out = f.hds(&all, 1);
        assert!(
            out.stderr
                .starts_with(&format!("hds: refused; {file} is unchanged: ")),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains(says), "no '{says}' in {}", out.stderr);
        assert!(out.stdout.is_empty(), "{}", out.stdout);
        assert_eq!(f.bytes(file), before, "hds {}", all.join(" "));
    }
    // A good event keeps the CRLF endings.
    f.hds(
        &[
            "case",
            "record",
            file,
            "--kind",
            "delivered",
            "--date",
            "2026-08-28",
        ],
        0,
    );
    assert_eq!(
        f.read(file),
        text.replacen(
            "hours: 6.25}\r\n",
            "hours: 6.25}\r\n  - {date: 2026-08-28, kind: delivered}\r\n",
            1
        )
    );
}

#[test]
fn case_record_writes_each_value_so_that_it_reads_back_as_typed() {
    let f = Folder::new();
    let file = "examples/cases/postponed.yaml";
    let before = f.bytes(file);
    // Written plain, YAML would read these as numbers (16, 1000, infinity, 15):
    // quoted, they read as the text typed, which is not a number of hours.
    for hours in ["0x10", "1e3", ".inf", "0o17"] {
        let field = format!("hours={hours}");
        let out = f.hds(
            &[
                "case",
                "record",
                file,
                "--kind",
                "work_logged",
                "--date",
                "2026-08-28",
                "party=niph",
                &field,
            ],
            1,
        );
        let says = format!(
            "{file}:18:63: events[6].hours: hours '{hours}': expected a number above 0 with at most two decimals, e.g. 1.5"
        );
        assert!(out.stderr.contains(&says), "no '{says}' in {}", out.stderr);
        assert_eq!(f.bytes(file), before, "{field}");
    }
    // A path that YAML would read as the number 16 is looked for as a file.
    let out = f.hds(
        &[
            "case",
            "record",
            file,
            "--kind",
            "amended",
            "--date",
            "2026-08-28",
            "application=0x10",
        ],
        1,
    );
    assert!(
        out.stderr
            .contains("events[6].application: cannot read the application '0x10'"),
        "{}",
        out.stderr
    );
    assert_eq!(f.bytes(file), before);
    // A leading zero is decimal: 010 hours are 10 hours, whatever reads the file.
    f.hds(
        &[
            "case",
            "record",
            file,
            "--kind",
            "work_logged",
            "--date",
            "2026-08-28",
            "party=niph",
            "hours=010",
            "note=yes",
        ],
        0,
    );
    let text = f.read(file);
    assert!(
        text.contains("  - {date: 2026-08-28, kind: work_logged, party: niph, hours: \"010\", note: \"yes\"}\n"),
        "{text}"
    );
    let c = read_case(&f.path(file)).unwrap_or_else(|e| panic!("{}", e.error.message));
    assert!(
        matches!(c.file.events[6].what, hds::model::case::EventKind::WorkLogged { hours, .. } if hours == hds::model::case::Hours(1000)),
        "{:?}",
        c.file.events[6]
    );
    // JSON: a number only when it is a plain decimal, else the text typed.
    write(
        &f.path("c.json"),
        "{\"case\": \"J\", \"application\": \"examples/linked-niph.yaml\"}",
    );
    let before = f.bytes("c.json");
    let out = f.hds(
        &[
            "case",
            "record",
            "c.json",
            "--kind",
            "work_logged",
            "--date",
            "2026-03-10",
            "party=niph",
            "hours=1e3",
        ],
        1,
    );
    assert!(
        out.stderr
            .contains("events[0].hours: hours '1e3': expected a number above 0"),
        "{}",
        out.stderr
    );
    assert_eq!(f.bytes("c.json"), before);
}

#[test]
fn a_case_file_with_old_mac_line_ends_reads_and_takes_an_event() {
    let f = Folder::new();
    // Lines end at a lone `\r`: the comment is one line, the rest is the case.
    let text = "# A case.\rcase: T-1\rapplication: examples/linked-niph.yaml\revents:\r  - {date: 2026-03-25, kind: question_sent, route: niph}\r";
    write(&f.path("c.yaml"), text);
    let c = read_case(&f.path("c.yaml")).unwrap_or_else(|e| panic!("{}", e.error.message));
    assert_eq!(
        (c.id.as_str(), c.event_lines.as_slice()),
        ("T-1", &[Some(5)][..])
    );
    let out = f.hds(
        &[
            "case",
            "record",
            "c.yaml",
            "--kind",
            "answer_received",
            "--date",
            "2026-04-01",
            "--route",
            "niph",
        ],
        0,
    );
    assert_eq!(
        out.stdout,
        "c.yaml:6: recorded events[1]: answer_received on 2026-04-01\n"
    );
    assert_eq!(
        f.read("c.yaml"),
        format!("{text}  - {{date: 2026-04-01, kind: answer_received, route: niph}}\r")
    );
    // A problem is placed on its line.
    write(
        &f.path("c.yaml"),
        &format!("---\r{text}  - {{date: 2026-04-01, kind: bogus}}\r"),
    );
    let out = f.hds(&["status", "--as-of", "2026-05-01", "c.yaml"], 1);
    assert!(
        out.stdout
            .contains("\"c.yaml:7:30: events[1].kind: unknown kind 'bogus'"),
        "{}",
        out.stdout
    );
    // Comments alone are an empty document, whatever the line ends.
    write(&f.path("c.yaml"), "# A case.\r\r  # Nothing yet.\r");
    let out = f.hds(&["status", "--as-of", "2026-05-01", "c.yaml"], 1);
    assert!(
        out.stdout
            .contains("c.yaml: empty document; expected a case file"),
        "{}",
        out.stdout
    );
}

#[test]
fn case_record_refuses_a_case_file_that_does_not_read_as_it_is() {
    let f = Folder::new();
    write(
        &f.path("c.yaml"),
        "application: examples/linked-niph.yaml\nevents:\n  - {date: 2026-03-05, kind: bogus}\n",
    );
    let before = f.bytes("c.yaml");
    let out = f.hds(
        &[
            "case",
            "record",
            "c.yaml",
            "--kind",
            "withdrawn",
            "--date",
            "2026-03-06",
        ],
        1,
    );
    assert!(out.stderr.contains("the case file does not read as it is: c.yaml:3:30: events[0].kind: unknown kind 'bogus'"), "{}", out.stderr);
    assert_eq!(f.bytes("c.yaml"), before);
    let out = f.hds(
        &[
            "case",
            "record",
            "missing.yaml",
            "--kind",
            "withdrawn",
            "--date",
            "2026-03-06",
        ],
        1,
    );
    assert!(
        out.stderr.contains("missing.yaml: cannot open"),
        "{}",
        out.stderr
    );
    let out = f.hds(
        &[
            "case",
            "record",
            "c.yaml",
            "--kind",
            "bogus",
            "--date",
            "2026-03-06",
        ],
        2,
    );
    assert!(out.stderr.contains("possible values"), "{}", out.stderr);
}

#[test]
fn case_record_help_lists_every_kind_with_its_fields() {
    let out = Test::new().args(["case", "record", "--help"]).run();
    let fields = out
        .stdout
        .split("FIELDS by kind")
        .nth(1)
        .expect("a FIELDS section");
    for kind in hds::case::events::KINDS {
        let line = fields
            .lines()
            .find(|l| l.split_whitespace().next() == Some(kind.name))
            .unwrap_or_else(|| panic!("no line for {}", kind.name));
        for field in kind.fields() {
            assert!(line.contains(field), "{}: no {field} in {line}", kind.name);
        }
    }
}
