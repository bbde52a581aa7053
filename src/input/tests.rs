//! Reading application documents: kinds, positions and ids of what fails.

use super::*;
use crate::yaml::{
    json_nested_deeper_than, nested_brackets as brackets, nested_deeper_than, surely_within,
};
use InputErrorKind::*;

const GOOD: &str = "id: A-1\nsubmitted_at: 2026-03-02T09:15:00+01:00\ndata_kind: aggregated\n";

fn err(r: InputRecord) -> InputError {
    r.result.expect_err("should not parse")
}

#[test]
fn good_yaml_parses() {
    let r = parse_yaml("a.yaml", GOOD);
    assert_eq!(r.result.ok().map(|a| a.id), Some("A-1".to_string()));
}

#[test]
fn unknown_field_names_field_and_line_and_keeps_the_id() {
    let text = format!("{GOOD}projekt:\n  title: x\n");
    let e = err(parse_yaml("a.yaml", &text));
    assert_eq!(e.kind, UnknownField);
    assert_eq!(e.application.as_deref(), Some("A-1"));
    assert!(e.message.starts_with("a.yaml:4:"), "{}", e.message);
    assert!(e.message.contains("projekt"), "{}", e.message);
}

#[test]
fn nested_unknown_field_names_its_path() {
    let text = format!("{GOOD}sources:\n  - id: npr\n    variabels: [year]\n");
    let e = err(parse_yaml("a.yaml", &text));
    assert_eq!(e.kind, UnknownField);
    assert!(e.message.contains("sources[0]"), "{}", e.message);
    assert!(e.message.starts_with("a.yaml:6:"), "{}", e.message);
}

#[test]
fn timestamp_without_offset_is_its_own_kind_with_field_name() {
    let text = GOOD.replace("+01:00", "");
    let e = err(parse_yaml("a.yaml", &text));
    assert_eq!(e.kind, InvalidTimestamp);
    assert!(e.message.contains("submitted_at"), "{}", e.message);
    assert!(e.message.starts_with("a.yaml:2:"), "{}", e.message);
}

#[test]
fn missing_id_is_a_missing_field() {
    let e = err(parse_yaml(
        "a.yaml",
        "submitted_at: 2026-03-02\ndata_kind: aggregated\n",
    ));
    assert_eq!(e.kind, MissingField);
    assert!(e.message.contains("`id`"), "{}", e.message);
    assert_eq!(e.application, None);
}

#[test]
fn broken_yaml_is_a_syntax_error() {
    let e = err(parse_yaml("a.yaml", "id: [unclosed\nsubmitted_at: x\n"));
    assert_eq!(e.kind, Syntax);
}

#[test]
fn json_line_error_uses_the_line_of_the_file() {
    let r = parse_json("b.jsonl", Some(7), "{\"id\": \"X\", \"submitted_at\": 5}");
    assert_eq!(r.input, "b.jsonl:7");
    let e = err(r);
    assert_eq!(e.kind, InvalidValue);
    assert_eq!(e.application.as_deref(), Some("X"));
    assert!(e.message.starts_with("b.jsonl:7:"), "{}", e.message);
}

#[test]
fn several_yaml_documents_are_several_records_with_their_lines() {
    let text = format!(
        "{GOOD}---\n{}---\n# only a comment\n---\n{GOOD}projekt: 1\n",
        GOOD.replace("A-1", "A-2")
    );
    let records = parse_yaml_documents("m.yaml", &text);
    assert_eq!(records.len(), 3);
    assert_eq!(records[0].input, "m.yaml:1");
    assert_eq!(records[1].input, "m.yaml:5");
    assert_eq!(
        records[1].result.as_ref().map(|a| a.id.as_str()).ok(),
        Some("A-2")
    );
    let e = records[2].result.as_ref().expect_err("unknown field");
    assert_eq!(records[2].input, "m.yaml:11");
    assert!(e.message.starts_with("m.yaml:14:"), "{}", e.message);
}

#[test]
fn a_json_array_is_not_an_application() {
    let e = err(parse_json(
        "a.json",
        None,
        "[\"HDS-1\", \"2026-03-02\", \"aggregated\"]",
    ));
    assert_eq!(e.kind, InvalidValue);
    assert!(e.message.contains("use .jsonl"), "{}", e.message);
}

#[test]
fn empty_or_null_ids_are_rejected() {
    for id in ["''", "~", "null", "'  '"] {
        let e = err(parse_yaml("a.yaml", &GOOD.replace("A-1", id)));
        assert_eq!(e.kind, InvalidValue, "{id}: {}", e.message);
    }
}

#[test]
fn deep_bracket_nesting_is_refused_before_parsing() {
    let deep = format!(
        "{GOOD}extra: {{a: {}{}}}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_eq!(err(parse_yaml("a.yaml", &deep)).kind, TooLarge);
}

#[test]
fn a_duplicate_key_is_reported_where_it_appears_again() {
    let e = err(parse_yaml("a.yaml", &format!("{GOOD}id: B\n")));
    assert!(e.message.starts_with("a.yaml:4:1: "), "{}", e.message);
    assert!(e.message.contains("duplicate field `id`"), "{}", e.message);
}

#[test]
fn json_garbage_is_a_syntax_error() {
    let e = err(parse_json("b.jsonl", Some(1), "not json"));
    assert_eq!(e.kind, Syntax);
}

#[test]
fn kinds_keep_their_stable_codes() {
    let all = [
        (Unreadable, "unreadable"),
        (TooLarge, "too-large"),
        (Syntax, "syntax"),
        (MissingField, "missing-field"),
        (UnknownField, "unknown-field"),
        (InvalidValue, "invalid-value"),
        (InvalidTimestamp, "invalid-timestamp"),
    ];
    for (kind, code) in all {
        assert_eq!((kind.code(), kind.to_string()), (code, code.to_string()));
    }
}

#[test]
fn a_document_starting_on_its_marker_line_is_read_not_dropped() {
    let text = format!(
        "{GOOD}--- {{id: B, submitted_at: 2026-03-02, data_kind: aggregated}}\n---\n{}",
        GOOD.replace("A-1", "C")
    );
    let records = parse_yaml_documents("m.yaml", &text);
    let ids: Vec<(&str, Option<&str>)> = records
        .iter()
        .map(|r| {
            (
                r.input.as_str(),
                r.result.as_ref().ok().map(|a| a.id.as_str()),
            )
        })
        .collect();
    assert_eq!(
        ids,
        vec![
            ("m.yaml:1", Some("A-1")),
            ("m.yaml:4", Some("B")),
            ("m.yaml:6", Some("C"))
        ]
    );
}

#[test]
fn an_error_in_a_document_on_its_marker_line_has_the_files_position() {
    let text = format!("{GOOD}--- {{id: B, submitted_at: 2026-03-02, data_kind: nope}}\n");
    let records = parse_yaml_documents("m.yaml", &text);
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].input, "m.yaml:4");
    let e = records[1].result.as_ref().expect_err("invalid data_kind");
    assert_eq!(e.kind, InvalidValue);
    assert!(
        e.message.starts_with("m.yaml:4:50: data_kind: "),
        "{}",
        e.message
    );
}

#[test]
fn a_broken_document_in_a_stream_does_not_hide_the_next() {
    let text = format!("{GOOD}---\nid: [broken\n---\n{}", GOOD.replace("A-1", "C"));
    let records = parse_yaml_documents("m.yaml", &text);
    assert_eq!(records.len(), 3);
    assert_eq!(records[1].input, "m.yaml:5");
    assert_eq!(err_ref(&records[1]).kind, Syntax);
    assert_eq!(records[2].input, "m.yaml:7");
    assert!(records[2].result.is_ok());
}

fn err_ref(r: &InputRecord) -> &InputError {
    r.result.as_ref().expect_err("should not parse")
}

#[test]
fn a_duplicate_key_inside_a_list_item_is_placed_in_that_item() {
    let text = format!("{GOOD}sources:\n  - id: npr\n    variables: [a]\n  - id: mfr\n    variables: [b]\n    id: kpr\n");
    let e = err(parse_yaml("a.yaml", &text));
    assert!(
        e.message.starts_with("a.yaml:9:5: sources[1]: "),
        "{}",
        e.message
    );
}

#[test]
fn the_kind_comes_from_what_failed_not_from_the_words_of_the_message() {
    // An enum value that happens to read "invalid timestamp" is an invalid value.
    let text = GOOD.replace("aggregated", "invalid timestamp");
    let e = err(parse_yaml("a.yaml", &text));
    assert_eq!(e.kind, InvalidValue, "{}", e.message);
    // A timestamp given as a list is the wrong type, not a timestamp that failed.
    let e = err(parse_yaml(
        "a.yaml",
        "id: A\nsubmitted_at: [1]\ndata_kind: aggregated\n",
    ));
    assert_eq!(e.kind, InvalidValue, "{}", e.message);
    let e = err(parse_json(
        "a.jsonl",
        Some(3),
        r#"{"id": "A", "submitted_at": "2026-03-02T10:00", "data_kind": "aggregated"}"#,
    ));
    assert_eq!(e.kind, InvalidTimestamp, "{}", e.message);
    let e = err(parse_json(
        "a.jsonl",
        Some(3),
        r#"{"id": "A", "submitted_at": "2026-03-02", "data_kind": "aggregated", "sources": [{"id": "npr", "variabler": []}]}"#,
    ));
    assert_eq!(e.kind, UnknownField, "{}", e.message);
    assert!(e.message.contains("sources[0].variabler"), "{}", e.message);
}

#[test]
fn markers_that_frame_one_application_leave_one_application() {
    // Before a directive, after a blank document, or closed by `---` or `...`.
    for text in [
        format!("%YAML 1.1\n---\n{GOOD}"),
        format!("---\n# draft\n---\n{GOOD}"),
        format!("{GOOD}---\n"),
        format!("{GOOD}...\n"),
    ] {
        let records = parse_yaml_documents("a.yaml", &text);
        assert_eq!(records.len(), 1, "{text}");
        assert_eq!(records[0].input, "a.yaml");
        assert!(records[0].result.is_ok(), "{text}: {:?}", records[0].result);
    }
}

fn piped(text: &str) -> Vec<InputRecord> {
    let mut records = Vec::new();
    let _ = read_stream("-", text.as_bytes(), &mut |r| {
        records.push(r);
        std::ops::ControlFlow::Continue(())
    });
    records
}

#[test]
fn an_error_in_a_pretty_printed_json_object_on_standard_input_has_the_streams_line() {
    let text = "{\"id\": \"A\", \"submitted_at\": \"2026-03-02\", \"data_kind\": \"identifiable\"}\n{\n  \"id\": \"B\",\n  \"submitted_at\": \"2026-03-02\",\n  \"data_kind\": \"nope\"\n}\n";
    let records = piped(text);
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].input, "-:2");
    let e = err_ref(&records[1]);
    assert_eq!(e.kind, InvalidValue);
    assert!(
        e.message.starts_with("-:5:21: data_kind: "),
        "{}",
        e.message
    );
}

#[test]
fn a_lone_yaml_document_on_standard_input_is_named_by_the_stream_alone() {
    let records = piped(GOOD);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].input, "-");
    let records = piped(&format!("{GOOD}---\n{GOOD}"));
    let inputs: Vec<&str> = records.iter().map(|r| r.input.as_str()).collect();
    assert_eq!(inputs, ["-:1", "-:5"]);
}

#[test]
fn a_json_document_nested_deeper_than_yaml_may_is_too_large() {
    let deep = format!(
        "{{\"id\": \"A\", \"extra\": {}}}",
        brackets(MAX_NESTING + 1)
    );
    assert_eq!(err(parse_json("a.jsonl", Some(1), &deep)).kind, TooLarge);
}

#[test]
fn a_number_where_a_word_belongs_in_json_is_an_invalid_value_not_a_syntax_error() {
    let e = err(parse_json(
        "a.jsonl",
        Some(2),
        r#"{"id": "A", "submitted_at": "2026-03-02", "data_kind": 5}"#,
    ));
    assert_eq!(e.kind, InvalidValue, "{}", e.message);
    assert!(e.message.starts_with("a.jsonl:2:"), "{}", e.message);
    assert!(e.message.contains("data_kind: "), "{}", e.message);
    assert!(e.message.contains("allowed words"), "{}", e.message);
}

#[test]
fn a_json_number_or_escape_no_reader_takes_is_a_syntax_error_at_its_field() {
    for (bad, field, what) in [
        (
            "\"years\": {\"from\": 1e999}",
            "sources[0].years.from",
            "number out of range",
        ),
        ("\"title\": \"\\ud800\"", "project.title", "escape"),
    ] {
        let (top, inner) = if field.starts_with("sources") {
            ("sources", format!("[{{\"id\": \"npr\", {bad}}}]"))
        } else {
            ("project", format!("{{{bad}}}"))
        };
        let text = format!(
            r#"{{"id": "A", "submitted_at": "2026-03-02", "data_kind": "aggregated", "{top}": {inner}}}"#
        );
        let e = err(parse_json("a.jsonl", Some(2), &text));
        assert_eq!(e.kind, Syntax, "{}", e.message);
        assert!(e.message.starts_with("a.jsonl:2:"), "{}", e.message);
        assert!(e.message.contains(&format!("{field}: ")), "{}", e.message);
        assert!(e.message.contains(what), "{}", e.message);
        assert!(!e.message.contains("allowed words"), "{}", e.message);
    }
}

#[test]
fn numbers_out_of_range_are_described_without_rust_types() {
    let e = err(parse_json(
        "a.jsonl",
        Some(1),
        r#"{"id": "A", "submitted_at": "2026-03-02", "data_kind": "aggregated", "sources": [{"id": "npr", "years": {"from": 99999999999999999999999}}]}"#,
    ));
    assert!(
        e.message.contains("expected a whole number"),
        "{}",
        e.message
    );
    assert!(!e.message.contains("i64"), "{}", e.message);
}

#[test]
fn nesting_is_found_where_yaml_reads_it_whatever_the_characters() {
    let text = "{\"å[\": [ø, {x: 'é{'}], y: \"ü\"}";
    assert_eq!(nested_deeper_than(text, 2), Some((1, 12)));
    assert_eq!(nested_deeper_than(text, 3), None);
    assert_eq!(
        json_nested_deeper_than("{\"å[\": [1, {\"x\": 2}]}", 2),
        Some((1, 12))
    );
}

#[test]
fn an_apostrophe_in_a_word_or_a_comment_hides_no_brackets() {
    let deep = brackets(MAX_NESTING + 1);
    for text in [
        format!("extra: [it's, {deep}]"),
        format!("# it's\nextra: {deep}"),
        format!("title: it's\nextra: {deep}"),
        format!("extra: [\"a \\\" b\", {deep}]"),
        format!("extra: {{a: 'it''s', b: {deep}}}"),
    ] {
        let at = nested_deeper_than(&text, MAX_NESTING);
        assert!(
            at.is_some_and(|(line, _)| line == text.lines().count()),
            "{text}: {at:?}"
        );
    }
}

#[test]
fn an_anchor_or_a_tag_before_a_bracket_hides_no_nesting() {
    for (name, open) in [
        ("anchored", "&a{n} ["),
        ("tagged", "!t ["),
        ("both", "!t &a{n} {x: "),
    ] {
        let opened: String = (0..=MAX_NESTING)
            .map(|n| open.replace("{n}", &n.to_string()))
            .collect();
        let closed = if open.ends_with('[') { "]" } else { "}" }.repeat(MAX_NESTING + 1);
        let text = format!("id: A\nextra:\n  x: {opened}1{closed}\n");
        let column = opened.rfind(['[', '{']).map(|i| i + 1);
        assert_eq!(
            nested_deeper_than(&text, MAX_NESTING),
            column.map(|c| (3, c + 5)),
            "{name}: {text}"
        );
    }
}

#[test]
fn many_collections_on_one_long_line_are_judged_by_their_depth() {
    // Collections after text of several bytes a character, on one line: each is
    // found at its own character, however far along the line.
    let shallow = "[é, {ø: [1]}], ".repeat(5_000);
    let text = format!("id: A\nextra: [{shallow}]\n");
    assert_eq!(nested_deeper_than(&text, MAX_NESTING), None);
    let text = format!("id: A\nextra: [{shallow}{}]\n", brackets(MAX_NESTING));
    let column = "extra: [".chars().count() + shallow.chars().count() + MAX_NESTING;
    assert_eq!(nested_deeper_than(&text, MAX_NESTING), Some((2, column)));
}

#[test]
fn brackets_in_quoted_or_plain_text_are_not_nesting() {
    let open = "[".repeat(MAX_NESTING + 1);
    for text in [
        format!("title: \"{open}\""),
        format!("title: '{open}'"),
        format!("title: a {open}"),
        format!("description: |\n  {open}\n  it's\nid: A"),
    ] {
        assert_eq!(nested_deeper_than(&text, MAX_NESTING), None, "{text}");
    }
    assert_eq!(
        json_nested_deeper_than(&format!("{{\"t\": \"{open}\"}}"), MAX_NESTING),
        None
    );
}

#[test]
fn an_escaped_quote_in_json_hides_no_brackets() {
    let text = format!("{{\"a\": \"\\\"\", \"x\": {}}}", brackets(MAX_NESTING + 1));
    assert_eq!(
        json_nested_deeper_than(&text, MAX_NESTING),
        Some((1, 16 + MAX_NESTING + 1))
    );
}

#[test]
fn text_yaml_cannot_read_is_too_deep_if_either_rough_count_says_so() {
    let deep = brackets(MAX_NESTING + 1);
    // Not YAML (a map value after a plain scalar on one line), with a stray quote.
    let text = format!("a: b: c\nx: [it's, {deep}]");
    assert!(nested_deeper_than(&text, MAX_NESTING).is_some(), "{text}");
    // Not YAML, with `]` inside quotes between the brackets.
    let cancelled = "[']', ".repeat(MAX_NESTING + 1);
    let text = format!("a: b: c\nx: {cancelled}");
    assert!(nested_deeper_than(&text, MAX_NESTING).is_some(), "{text}");
}

#[test]
fn a_yaml_document_nested_too_deep_is_too_large_at_its_line_and_column() {
    let text = format!(
        "{GOOD}extra: {{a: [it's, {}]}}\n",
        brackets(MAX_NESTING + 1)
    );
    let e = err(parse_yaml("a.yaml", &text));
    assert_eq!(e.kind, TooLarge);
    assert!(
        e.message.starts_with(&format!(
            "a.yaml:4:{}: brackets nested more than {MAX_NESTING} deep",
            17 + MAX_NESTING
        )),
        "{}",
        e.message
    );
}

#[test]
fn many_flow_collections_are_judged_as_the_reader_would() {
    // Many flow collections side by side, nested a little, beside comments, quoted
    // values and brackets in plain words of the block context.
    let entry = "- {id: msis, variables: [year, sex], years: {from: 2001, to: 2002}}\n";
    let head = "# it's a test\ntitle: a ] b [ c\ndescription: \"it's [x]\"\nsources:\n- 'y'\n";
    let many = format!("{head}{}", entry.repeat(40));
    assert_eq!(nested_deeper_than(&many, 2), None);
    assert_eq!(nested_deeper_than(&many, 1), Some((6, 25)));
    let quoted = many.replace("title: a ] b [ c", "title: a b c");
    assert!(surely_within(&quoted, 2));
    assert_eq!(nested_deeper_than(&quoted, 1), Some((6, 25)));
    let deep = format!("x: {}", brackets(MAX_NESTING + 1));
    assert_eq!(
        nested_deeper_than(&deep, MAX_NESTING),
        Some((1, 4 + MAX_NESTING))
    );
}

#[test]
fn the_quick_count_follows_quotes_only_where_the_reader_does() {
    for (text, sure) in [
        ("title: \"Rates [[[by county\"", true),
        ("- 'a [[[b'", true),
        ("project: {description: \"x [[[\", purpose: research}", true),
        ("title: 'it''s [[['", true),
        ("title: \"a \\\" [[[ \"", true),
        ("title: it's [x]", true),
        ("# it's [[[", true),
        ("title: a # it's [[[", true),
        ("x: {\"a\":\"[[[\"}", false),
        ("title: \"abc [[[", false),
        ("key: &a \"x\"", false),
        ("key: !!str \"x\"", false),
        ("x: [1,\n \"a\"]", false),
    ] {
        assert_eq!(surely_within(text, 2), sure, "{text}");
    }
    // Inside a flow collection a line of quotes may be part of a plain word, so
    // the parser decides.
    let hidden = format!("x: [it\n  \"{}\"\n]", brackets(MAX_NESTING + 1));
    assert!(!surely_within(&hidden, MAX_NESTING));
    assert!(
        nested_deeper_than(&hidden, MAX_NESTING).is_some(),
        "{hidden}"
    );
}
