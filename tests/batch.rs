//! Batch work as operators do it: every way in (files, folders, standard input)
//! gives exactly one output line per record, in order, read one record at a time;
//! output goes out as records are decided and stops quietly when its reader goes
//! away; the summary, CSV and --fail-fast.

mod common;

use common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

fn binary() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("hds")
}

/// A readable application on one JSON line.
fn app(id: &str) -> String {
    format!(
        r#"{{"id": "{id}", "submitted_at": "2026-03-02", "data_kind": "aggregated", "applicant": {{"name": "Kari Nordmann", "organisation": "UiO", "email": "kari@uio.no"}}, "project": {{"description": "Rates by county", "purpose": "research"}}, "sources": [{{"id": "msis", "variables": ["year"]}}]}}"#
    )
}

fn redirected(id: &str) -> String {
    format!(r#"{{"id": "{id}", "submitted_at": "2026-03-02", "data_kind": "identifiable"}}"#)
}

/// `hds evaluate -` with `input` on standard input, as raw bytes.
fn evaluate_stdin(input: &[u8]) -> (Option<i32>, Vec<Value>, String) {
    let output = hds()
        .args(["evaluate", "-"])
        .write_stdin(input.to_vec())
        .output()
        .expect("runs");
    (
        output.status.code(),
        lines(&output.stdout),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn inputs(records: &[Value]) -> Vec<&str> {
    records
        .iter()
        .map(|r| r["input"].as_str().unwrap_or("?"))
        .collect()
}

#[test]
fn a_non_utf8_byte_on_standard_input_spoils_one_record_not_the_stream() {
    let mut input = Vec::new();
    input.extend_from_slice(redirected("A").as_bytes());
    input.extend_from_slice(b"\n{\"id\": \"B\xff\"}\n");
    input.extend_from_slice(redirected("C").as_bytes());
    input.push(b'\n');
    let (code, records, _) = evaluate_stdin(&input);
    assert_eq!(code, Some(1));
    assert_eq!(inputs(&records), ["-:1", "-:2", "-:3"]);
    assert_eq!(records[1]["error"]["kind"], "unreadable");
    assert_eq!(records[2]["application"], "C");
}

#[test]
fn standard_input_is_told_apart_record_by_record_not_by_its_first_line() {
    // YAML first, then JSON lines, then YAML again after a marker, then a
    // pretty-printed JSON object.
    let input = format!(
        "id: A\nsubmitted_at: 2026-03-02\ndata_kind: identifiable\n{}\n{}\n---\nid: D\nsubmitted_at: 2026-03-02\ndata_kind: identifiable\n--- {{id: E, submitted_at: 2026-03-02, data_kind: identifiable}}\n{{\n  \"id\": \"F\",\n  \"submitted_at\": \"2026-03-02\",\n  \"data_kind\": \"identifiable\"\n}}\n",
        redirected("B"),
        redirected("C")
    );
    let (code, records, stderr) = evaluate_stdin(input.as_bytes());
    assert_eq!(code, Some(0), "{stderr}");
    let ids: Vec<&str> = records
        .iter()
        .map(|r| r["application"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(ids, ["A", "B", "C", "D", "E", "F"]);
    assert_eq!(
        inputs(&records),
        ["-:1", "-:4", "-:5", "-:7", "-:10", "-:11"]
    );
}

#[test]
fn yaml_documents_on_standard_input_are_one_record_each() {
    let doc = |id: &str| format!("id: {id}\nsubmitted_at: 2026-03-02\ndata_kind: identifiable\n");
    let input = format!(
        "{}---\nid: [broken\n---\n{}...\n{}",
        doc("A"),
        doc("C"),
        doc("D")
    );
    let (code, records, _) = evaluate_stdin(input.as_bytes());
    assert_eq!(code, Some(1));
    assert_eq!(inputs(&records), ["-:1", "-:5", "-:7", "-:11"]);
    assert_eq!(records[1]["error"]["kind"], "syntax");
}

#[test]
fn old_mac_line_ends_are_line_breaks_in_yaml_files_and_on_standard_input() {
    // Lines end at a lone `\r`: a document marker, a comment line and every line
    // number are what the YAML reader reads.
    let two = "---\r# A comment\rid: A\rsubmitted_at: 2026-03-02\rdata_kind: identifiable\r---\r# B\rid: B\rsubmitted_at: 2026-03-02\rdata_kind: identifiable\rcolour: red\r";
    let one = "---\r# A comment\rid: A\rsubmitted_at: 2026-03-02\rdata_kind: identifiable\r";
    fn check(records: &[Value], name: &str) {
        assert_eq!(inputs(records), [format!("{name}:2"), format!("{name}:7")]);
        assert_eq!(records[0]["status"], "redirected", "{}", records[0]);
        assert_eq!(records[1]["application"], "B");
        let message = records[1]["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with(&format!("{name}:11:1: colour: unknown field `colour`")),
            "{message}"
        );
    }
    Test::new()
        .file("two.yaml", two)
        .file("one.yaml", one)
        .file("blank.yaml", "---\r# only a comment\r\r")
        .args(["evaluate", "two.yaml", "one.yaml", "blank.yaml"])
        .code(1)
        .stdout_json(|r| {
            check(&r[..2], "two.yaml");
            assert_eq!(r[2]["input"], "one.yaml");
            assert_eq!(r[2]["status"], "redirected", "{}", r[2]);
            assert_eq!(
                r[3]["error"]["message"],
                "blank.yaml: empty document; expected an application with id, submitted_at and data_kind"
            );
        })
        .run();
    let (code, records, _) = evaluate_stdin(two.as_bytes());
    assert_eq!(code, Some(1));
    check(&records, "-");
    let (code, records, _) = evaluate_stdin(one.as_bytes());
    assert_eq!(code, Some(0));
    assert_eq!(inputs(&records), ["-"]);
    // JSON Lines end at `\n` only: a `\r` between tokens is blank space.
    Test::new()
        .file(
            "a.jsonl",
            &format!("{}\r\n", redirected("A").replace(", ", ",\r")),
        )
        .args(["evaluate", "a.jsonl"])
        .stdout_json(|r| assert_eq!(inputs(r), ["a.jsonl:1"]))
        .run();
}

#[test]
fn an_unclosed_json_object_is_placed_at_its_last_character_wherever_it_comes_from() {
    // 1-based columns: never column 0, and the same place with or without line
    // ends after the last character, in a file or on standard input.
    let open = "{\n  \"id\": \"A\",\n  \"sources\": [";
    let says = "3:14: sources: not a readable YAML or JSON document: EOF while parsing a list";
    Test::new()
        .file("bare.json", open)
        .file("ended.json", &format!("{open}\n"))
        .file("trailing.json", &format!("{open}\r\n\n  \n"))
        .args(["evaluate", "bare.json", "ended.json", "trailing.json"])
        .code(1)
        .stdout_json(move |r| {
            for (record, name) in r.iter().zip(["bare.json", "ended.json", "trailing.json"]) {
                assert_eq!(
                    record["error"]["message"],
                    format!("{name}:{says}"),
                    "{record}"
                );
            }
        })
        .run();
    for input in [format!("{open}\n"), format!("{open}\n\n\n")] {
        let (code, records, _) = evaluate_stdin(input.as_bytes());
        assert_eq!(code, Some(1));
        assert_eq!(records[0]["error"]["message"], format!("-:{says}"));
    }
    // After a record: its own lines count.
    let (_, records, _) = evaluate_stdin(format!("{}\n{open}\n", redirected("R")).as_bytes());
    assert_eq!(
        records[1]["error"]["message"],
        "-:4:14: sources: not a readable YAML or JSON document: EOF while parsing a list"
    );
}

/// A small deterministic generator (xorshift), so the mutations are the same on
/// every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Records mutated byte by byte (any byte but a line end: each stays one line).
fn mutated_records(n: usize, seed: u64) -> Vec<Vec<u8>> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|i| {
            let mut bytes = if i % 2 == 0 {
                app(&format!("M-{i}")).into_bytes()
            } else {
                redirected(&format!("M-{i}")).into_bytes()
            };
            for _ in 0..rng.below(4) {
                let at = rng.below(bytes.len());
                let byte = loop {
                    let b = (rng.next() & 0xff) as u8;
                    if b != b'\n' && b != b'\r' {
                        break b;
                    }
                };
                match rng.below(3) {
                    0 => bytes[at] = byte,
                    1 => bytes.insert(at, byte),
                    _ => {
                        if bytes.len() > 1 && at > 0 {
                            bytes.remove(at);
                        }
                    }
                }
            }
            // A line that became blank is no record; keep every line a record.
            if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                bytes.push(b'x');
            }
            bytes
        })
        .collect()
}

#[test]
fn mutated_records_through_standard_input_lose_none() {
    // HDS_STDIN_FUZZ_RECORDS=20000 for the full run.
    let n: usize = std::env::var("HDS_STDIN_FUZZ_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    let records = mutated_records(n, 0x5eed_1234_abcd_0042);
    let mut input = Vec::new();
    for r in &records {
        input.extend_from_slice(r);
        input.push(b'\n');
    }
    let (code, out, stderr) = evaluate_stdin(&input);
    assert!(matches!(code, Some(0 | 1)), "{code:?}: {stderr}");
    assert_eq!(out.len(), n, "records in {n}, lines out {}", out.len());
    for (i, r) in out.iter().enumerate() {
        assert_eq!(r["input"], format!("-:{}", i + 1), "{r}");
    }
}

#[test]
fn a_link_to_an_endless_file_gives_one_too_large_record_for_every_file_type() {
    let t = tempfile::tempdir().expect("temp dir");
    for name in ["zero.jsonl", "zero.json", "zero.yaml"] {
        let link = t.path().join(name);
        std::os::unix::fs::symlink("/dev/zero", &link).expect("link");
        let output = hds()
            .current_dir(t.path())
            .args(["evaluate", name])
            .env("HDS_RULES", root().join("rules"))
            .timeout(Duration::from_secs(60))
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(1), "{name}");
        let records = lines(&output.stdout);
        assert_eq!(records.len(), 1, "{name}");
        assert_eq!(records[0]["error"]["kind"], "too-large", "{name}");
    }
    drop(t);
}

#[test]
fn brackets_nested_too_deep_behind_an_apostrophe_are_one_too_large_record_at_their_place() {
    // An apostrophe in a plain word (`it's`) is not a quote in YAML: it must not
    // hide the brackets after it from the nesting guard.
    let deep = common::nested_brackets(100_000);
    let good = "id: A\nsubmitted_at: 2026-03-02\ndata_kind: identifiable\n";
    let input = format!(
        "{good}---\nid: B\nsubmitted_at: 2026-03-02\ndata_kind: aggregated\nextra: {{note: [it's, {deep}]}}\n---\n{}",
        good.replace("id: A", "id: C")
    );
    let (code, records, _) = evaluate_stdin(input.as_bytes());
    assert_eq!(code, Some(1));
    assert_eq!(records.len(), 3, "{records:?}");
    assert_eq!(records[0]["application"], "A");
    assert_eq!(records[2]["application"], "C");
    assert!(records[2]["error"].is_null(), "{}", records[2]);
    let e = &records[1]["error"];
    assert_eq!(e["kind"], "too-large", "{e}");
    assert_eq!(
        e["message"],
        "-:8:84: brackets nested more than 64 deep; expected an application document"
    );
}

#[test]
fn a_pipe_sees_the_first_decision_before_standard_input_ends() {
    let mut child = Command::new(binary())
        .current_dir(root())
        .args(["evaluate", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let mut stdin = child.stdin.take().expect("stdin");
    writeln!(stdin, "{}", redirected("FIRST")).expect("write");
    stdin.flush().expect("flush");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(Duration::from_secs(60));
    drop(stdin);
    let _ = child.wait();
    let line = line.expect("a decision while standard input is still open");
    assert!(line.contains("\"FIRST\""), "{line}");
}

/// Runs `hds ARGS` with standard output closed before anything is read; the exit
/// code and standard error.
fn with_closed_stdout(args: &[&str], dir: &std::path::Path) -> (Option<i32>, String) {
    let mut child = Command::new(binary())
        .current_dir(dir)
        .args(args)
        .env_remove("HDS_RULES")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    drop(child.stdout.take());
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    let status = child.wait().expect("waits");
    (status.code(), stderr)
}

/// Runs `hds ARGS` with standard output to `/dev/full`.
fn to_full_disk(args: &[&str], dir: &std::path::Path) -> (Option<i32>, String) {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let output = Command::new(binary())
        .current_dir(dir)
        .args(args)
        .env_remove("HDS_RULES")
        .stdin(Stdio::null())
        .stdout(full)
        .output()
        .expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const EVERY_COMMAND: &[&[&str]] = &[
    &["api"],
    &["schema", "decision"],
    &["check"],
    &["check", "--format", "json"],
    &["test", "--format", "junit"],
    &["calendar", "holidays", "--year", "2026"],
    &["calendar", "due", "--from", "2026-03-06", "--days", "60"],
    &["calendar", "between", "2026-03-06", "2026-06-08"],
    &["status", "--as-of", "2026-11-02", "examples/cases/"],
    &["invoice", "--as-of", "2026-11-02", "examples/cases/"],
    &["evaluate", "examples/"],
    &["evaluate", "--format", "csv", "examples/"],
    &["explain", "examples/linked-niph.yaml"],
    &["completions", "bash"],
    &["man"],
];

#[test]
fn every_command_reports_a_full_disk_as_an_error_with_exit_code_2() {
    for args in EVERY_COMMAND {
        let (code, stderr) = to_full_disk(args, &root());
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn every_command_stops_quietly_when_its_reader_has_gone() {
    for args in EVERY_COMMAND {
        let (code, stderr) = with_closed_stdout(args, &root());
        assert!(matches!(code, Some(0 | 141)), "{args:?}: {code:?} {stderr}");
        assert!(
            !stderr.contains("cannot write") && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_closed_pipe_stops_an_endless_batch() {
    // Standard input never ends: the batch can only stop because its reader went
    // away after the first decision, as it does under `head -1`.
    let mut child = Command::new(binary())
        .env("HDS_RULES", root().join("rules"))
        .args(["evaluate", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    // A guard against a batch that never stops: it is ended after two minutes,
    // and its exit code then fails the test.
    let pid = child.id().to_string();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watched = done.clone();
    std::thread::spawn(move || {
        for _ in 0..1200 {
            std::thread::sleep(Duration::from_millis(100));
            if watched.load(std::sync::atomic::Ordering::SeqCst) {
                return;
            }
        }
        let _ = Command::new("kill").args(["-9", &pid]).status();
    });
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        // Writes until hds has gone and the pipe breaks.
        for i in 0u64.. {
            if writeln!(stdin, "{}", app(&format!("B-{i}"))).is_err() {
                return i;
            }
        }
        u64::MAX
    });
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("a line");
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    let status = child.wait().expect("waits");
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let written = writer.join().expect("the writer ends");
    assert!(first.contains("\"B-0\""), "{first}");
    assert!(
        matches!(status.code(), Some(0 | 141)),
        "{status:?}: {stderr}"
    );
    assert_eq!(stderr, "");
    assert!(written > 0);
}

#[test]
fn a_folder_gives_every_application_file_inside_sorted() {
    Test::new()
        .file(
            "batch/b.yaml",
            "id: B\nsubmitted_at: 2026-03-02\ndata_kind: identifiable\n",
        )
        .file(
            "batch/a.jsonl",
            &format!("{}\n{}\n", redirected("A1"), redirected("A2")),
        )
        .file("batch/notes.txt", "not an application")
        .file("batch/.hidden.yaml", "id: HIDDEN\n")
        .file("batch/c.json", &redirected("C"))
        .args(["evaluate", "batch"])
        .stdout_json(|records| {
            let got: Vec<(&str, &str)> = records
                .iter()
                .map(|r| {
                    (
                        r["application"].as_str().unwrap_or("?"),
                        r["input"].as_str().unwrap_or("?"),
                    )
                })
                .collect();
            assert_eq!(
                got,
                [
                    ("A1", "batch/a.jsonl:1"),
                    ("A2", "batch/a.jsonl:2"),
                    ("B", "batch/b.yaml"),
                    ("C", "batch/c.json"),
                ]
            );
        })
        .run();
}

#[cfg(unix)]
#[test]
fn a_named_pipe_or_a_broken_link_in_a_folder_is_one_error_record_and_the_rest_is_read() {
    let t = tempfile::tempdir().expect("temp dir");
    let batch = t.path().join("batch");
    std::fs::create_dir(&batch).expect("mkdir");
    write(&batch.join("a.json"), &redirected("A"));
    let made = Command::new("mkfifo")
        .arg(batch.join("b.yaml"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    std::os::unix::fs::symlink(batch.join("nowhere.yaml"), batch.join("c.yaml")).expect("link");
    write(&batch.join("d.json"), &redirected("D"));
    // A pipe that is opened waits for a writer that never comes.
    let output = hds()
        .current_dir(t.path())
        .args(["evaluate", "batch"])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let records = lines(&output.stdout);
    assert_eq!(
        inputs(&records),
        [
            "batch/a.json",
            "batch/b.yaml",
            "batch/c.yaml",
            "batch/d.json"
        ]
    );
    assert_eq!(records[1]["error"]["kind"], "unreadable");
    assert_eq!(
        records[1]["error"]["message"],
        "batch/b.yaml: not a regular file (a device, pipe or socket); expected an application file"
    );
    assert_eq!(records[2]["error"]["kind"], "unreadable");
    assert!(records[3]["error"].is_null(), "{}", records[3]);
}

#[test]
fn an_empty_folder_is_one_error_record() {
    Test::new()
        .dir("empty")
        .args(["evaluate", "empty"])
        .code(1)
        .stdout_json(|r| {
            assert_eq!(r.len(), 1);
            assert_eq!(r[0]["error"]["kind"], "unreadable");
            assert!(r[0]["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("no application files")));
        })
        .run();
}

#[test]
fn each_decision_names_its_input_file_and_line() {
    Test::new()
        .file(
            "two.jsonl",
            &format!("{}\n\n{}\n", redirected("A"), redirected("B")),
        )
        .args(["evaluate", "two.jsonl", "examples/linked-niph.yaml"])
        .stdout_json(|r| {
            assert_eq!(
                inputs(r),
                ["two.jsonl:1", "two.jsonl:3", "examples/linked-niph.yaml"]
            );
            let keys: Vec<&String> = r[0]
                .as_object()
                .map(|o| o.keys().collect())
                .unwrap_or_default();
            assert_eq!(keys[..3], ["application", "input", "ruleset"]);
        })
        .run();
}

#[test]
fn csv_gives_a_header_and_one_quoted_row_per_route() {
    let out = Test::new()
        .file(
            "bad.jsonl",
            "{\"id\": \"X\", \"submitted_at\": \"2026-03-02\"}\n",
        )
        .args([
            "evaluate",
            "--format",
            "csv",
            "examples/linked-niph.yaml",
            "examples/identifiable.yaml",
            "bad.jsonl",
        ])
        .code(1)
        .run();
    let rows: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(rows[0], "application,input,status,custodian,due,reason");
    assert_eq!(
        rows[1],
        "HDS-2026-0142,examples/linked-niph.yaml,complete,niph,2026-06-08,\"kobling av data fra flere kilder (msis, npr): 60 virkedager\""
    );
    assert!(
        rows[2].starts_with("HDS-2026-0720,examples/identifiable.yaml,redirected,,,"),
        "{}",
        rows[2]
    );
    assert!(
        rows[3].starts_with("X,bad.jsonl:1,error,,,missing-field: bad.jsonl:1:"),
        "{}",
        rows[3]
    );
    assert_eq!(rows.len(), 4);
}

#[test]
fn the_summary_goes_to_standard_error_and_leaves_json_output_unchanged() {
    let files = [
        "examples/linked-niph.yaml",
        "examples/identifiable.yaml",
        "tests/fixtures/not-yaml.yaml",
    ];
    let plain = Test::new().arg("evaluate").args(files).code(1).run();
    assert_eq!(plain.stderr, "", "no summary unless asked for in JSON mode");
    let with = Test::new()
        .args(["evaluate", "--summary", "json"])
        .args(files)
        .code(1)
        .run();
    assert_eq!(plain.stdout, with.stdout);
    let summary: Value = serde_json::from_str(with.stderr.trim()).expect("one JSON object");
    assert_eq!(summary["records"], 3);
    assert_eq!(summary["decided"], 2);
    assert_eq!(summary["statuses"]["complete"], 1);
    assert_eq!(summary["statuses"]["redirected"], 1);
    assert_eq!(summary["routes"]["niph"], 1);
    assert_eq!(summary["earliest_due"], "2026-06-08");
    assert_eq!(summary["errors"].as_object().map(|o| o.len()), Some(1));
    assert!(summary["seconds"].is_number());
    Test::new()
        .args(["evaluate", "--format", "text"])
        .args(files)
        .code(1)
        .stderr_contains("3 record(s): 2 decided, 1 not decided")
        .stderr_contains("earliest due: 2026-06-08")
        .run();
}

#[test]
fn fail_fast_stops_at_the_first_record_not_decided() {
    Test::new()
        .file(
            "batch.jsonl",
            &format!("{}\nnot json\n{}\n", redirected("A"), redirected("C")),
        )
        .args(["evaluate", "--fail-fast", "batch.jsonl"])
        .code(1)
        .stdout_json(|r| {
            assert_eq!(r.len(), 2);
            assert_eq!(r[1]["error"]["kind"], "syntax");
        })
        .run();
}
