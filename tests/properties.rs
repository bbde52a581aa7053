//! Properties that hold for every input, checked on many generated ones (proptest,
//! on the stable toolchain): the calendar's due dates and day counts agree, and the
//! reader gives exactly one record per record of any bytes, in order.

use chrono::{Datelike, NaiveDate};
use hds::input::{read_records, read_stream, InputRecord};
use proptest::prelude::*;
use std::ops::ControlFlow;
use std::sync::OnceLock;

fn rules() -> &'static hds::RuleSet {
    static RULES: OnceLock<hds::RuleSet> = OnceLock::new();
    RULES.get_or_init(|| hds::RuleSet::built_in().expect("the built-in rule set loads"))
}

const CALENDARS: [&str; 6] = [
    "norway",
    "niph",
    "directorate-of-health",
    "cancer-registry",
    "medicines-agency",
    "national-archives",
];

/// A date well inside the calendars' years (1990–2100), leaving room for a year of
/// working days after it.
fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..40_000).prop_map(|days| {
        NaiveDate::from_ymd_opt(1990, 1, 1).expect("a date") + chrono::Duration::days(days)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn counting_the_days_to_a_due_date_gives_back_n(
        calendar in 0..CALENDARS.len(), from in date(), n in 0u32..260,
    ) {
        let cal = rules().calendars().get(CALENDARS[calendar]).expect("calendar");
        let due = cal.add_working_days(from, n).expect("in range");
        prop_assert_eq!(cal.working_days_between(from, due).expect("in range"), i64::from(n));
    }

    #[test]
    fn a_due_date_is_never_a_holiday_or_a_weekend(
        calendar in 0..CALENDARS.len(), from in date(), n in 1u32..260,
    ) {
        let cal = rules().calendars().get(CALENDARS[calendar]).expect("calendar");
        let due = cal.add_working_days(from, n).expect("in range");
        prop_assert!(cal.is_working_day(due).expect("in range"), "{} is not a working day", due);
        let holidays = cal.named_days_in_year(due.year()).expect("in range");
        prop_assert!(holidays.iter().all(|h| h.date != due), "{} is a named day", due);
    }

    #[test]
    fn due_dates_never_move_back_as_the_start_or_the_days_grow(
        calendar in 0..CALENDARS.len(), from in date(), later in 0i64..30, n in 0u32..200, more in 0u32..30,
    ) {
        let cal = rules().calendars().get(CALENDARS[calendar]).expect("calendar");
        let due = cal.add_working_days(from, n).expect("in range");
        prop_assert!(due >= from);
        prop_assert!(cal.add_working_days(from, n + more).expect("in range") >= due);
        let start = from + chrono::Duration::days(later);
        prop_assert!(cal.add_working_days(start, n).expect("in range") >= due);
    }
}

/// The records read from `bytes` in a file named `name`.
fn read_file(name: &str, bytes: &[u8]) -> Vec<InputRecord> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    let mut records = Vec::new();
    read_records(&path.display().to_string(), &mut |r| records.push(r));
    let shown = format!("{}:", path.display());
    for r in &mut records {
        r.input = r.input.replacen(&shown, "b:", 1);
    }
    records
}

fn read_piped(bytes: &[u8]) -> Vec<InputRecord> {
    let mut records = Vec::new();
    let _ = read_stream("-", bytes, &mut |r| {
        records.push(r);
        ControlFlow::Continue(())
    });
    records
}

/// The line number of `file:N`, if it has one.
fn line_of(input: &str) -> Option<usize> {
    input.rsplit_once(':').and_then(|(_, n)| n.parse().ok())
}

fn non_blank_lines(bytes: &[u8]) -> Vec<usize> {
    bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, l)| !l.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')))
        .map(|(i, _)| i + 1)
        .collect()
}

/// Bytes of any kind, leaning to those that matter to a reader: line ends, braces,
/// quotes, markers, bytes that are not UTF-8.
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        any::<u8>().prop_map(|b| vec![b]),
        Just(b"\n".to_vec()),
        Just(b"{".to_vec()),
        Just(b"}".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"---".to_vec()),
        Just(b"...".to_vec()),
        Just(b"\xff\xfe".to_vec()),
        Just(
            b"{\"id\": \"A\", \"submitted_at\": \"2026-03-02\", \"data_kind\": \"identifiable\"}"
                .to_vec()
        ),
        Just(b"id: A\n".to_vec()),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

/// How many lines standard input has as it is read: lines end at `\n`, `\r\n` or a
/// lone `\r`, as the YAML reader ends them (the last line may be empty).
fn yaml_line_count(input: &[u8]) -> usize {
    1 + input
        .iter()
        .enumerate()
        .filter(|&(i, b)| *b == b'\r' || *b == b'\n' && (i == 0 || input[i - 1] != b'\r'))
        .count()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_non_blank_line_of_a_json_lines_file_is_one_record_in_order(input in bytes()) {
        let records = read_file("b.jsonl", &input);
        let lines: Vec<Option<usize>> = records.iter().map(|r| line_of(&r.input)).collect();
        let want: Vec<Option<usize>> = non_blank_lines(&input).into_iter().map(Some).collect();
        prop_assert_eq!(lines, want);
    }

    #[test]
    fn every_line_that_opens_a_json_object_on_standard_input_is_one_record(
        lines in proptest::collection::vec(bytes(), 0..30),
    ) {
        // Each line starts with `{` and holds no line end of its own.
        let lines: Vec<Vec<u8>> = lines
            .into_iter()
            .map(|l| {
                let mut line = b"{".to_vec();
                line.extend(l.into_iter().filter(|b| *b != b'\n' && *b != b'\r'));
                if line == b"{" {
                    line.push(b'}');
                }
                line
            })
            .collect();
        let input = lines.join(&b'\n');
        let records = read_piped(&input);
        let got: Vec<Option<usize>> = records.iter().map(|r| line_of(&r.input)).collect();
        let want: Vec<Option<usize>> = (1..=lines.len()).map(Some).collect();
        if lines.is_empty() {
            prop_assert_eq!(records.len(), 1, "an empty stream is one empty document");
        } else {
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn any_bytes_on_standard_input_give_records_in_order_each_at_a_line_of_it(input in bytes()) {
        let records = read_piped(&input);
        prop_assert!(!records.is_empty());
        let lines = yaml_line_count(&input);
        let mut last = 0;
        for r in &records {
            if let Some(n) = line_of(&r.input) {
                prop_assert!(n > last && n <= lines, "{} after line {} of {}", r.input, last, lines);
                last = n;
            }
        }
        // Every line that opens a JSON object after a JSON record is a record.
        let json_lines = input
            .split(|b| *b == b'\n')
            .filter(|l| l.first() == Some(&b'{') && l.trim_ascii() != b"{")
            .count();
        prop_assert!(records.len() >= json_lines.min(1));
    }

    #[test]
    fn any_bytes_as_a_yaml_file_give_records_in_order(input in bytes()) {
        let records = read_file("b.yaml", &input);
        prop_assert!(!records.is_empty());
        let mut last = 0;
        for r in &records {
            if let Some(n) = line_of(&r.input) {
                prop_assert!(n > last, "{} after line {}", r.input, last);
                last = n;
            }
        }
    }
}
