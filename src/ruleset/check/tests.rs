//! The checks as `hds check` reports them, on scripts run against the built-in rule
//! set.

use super::*;
use crate::ruleset::files::RuleFiles;
use crate::ruleset::load::SETTINGS_FILE;
use crate::ruleset::RuleSet;
use crate::script::view::SCRIPT_FIELDS;

/// The built-in rule set's settings.
fn built_in_settings() -> Settings {
    let files = RuleFiles::built_in().expect("built-in files");
    Settings::load(SETTINGS_FILE, &files.files[SETTINGS_FILE].text).expect("settings")
}

/// The problems `hds check` finds in `text` as one stage script of the
/// built-in rule set, as `line:column: message` lines.
fn problems_with(stage: Stage, text: &str, settings: bool) -> Vec<String> {
    let rules = RuleSet::built_in().expect("built-in rules");
    let built_in = built_in_settings();
    let vocabularies = Vocabularies {
        settings: settings.then_some(&built_in),
        calendars: Some(rules.calendars()),
        catalog: Some(rules.catalog()),
    };
    let checker = Checker::new(
        rules.compiled.engine(),
        &rules.manifest.limits,
        vocabularies,
    );
    checker
        .check(stage, "t.rhai", text)
        .iter()
        .map(|d| {
            d.to_string()
                .trim_start_matches("t.rhai:")
                .replacen(": error: ", ": ", 1)
        })
        .collect()
}

fn problems(stage: Stage, text: &str) -> Vec<String> {
    problems_with(stage, text, true)
}

fn completeness(body: &str) -> Vec<String> {
    problems(
        Stage::Completeness,
        &format!("fn completeness(app, sources) {{\n{body}\n}}\n"),
    )
}

fn assert_one(found: &[String], start: &str) {
    assert!(
        found.len() == 1 && found[0].starts_with(start),
        "expected one problem starting {start:?}, got {found:#?}"
    );
}

#[test]
fn a_misspelt_helper_is_reported_at_its_name_with_the_helper_meant() {
    let found = completeness("    if has_attachement(app, \"sample_table\") { }\n    []");
    assert_one(&found, "2:8: unknown function `has_attachement`; did you mean `has_attachment`? expected a function this script defines");
}

#[test]
fn a_misspelt_method_is_reported_at_its_name() {
    let found = completeness("    let out = [];\n    out.pushh(1);\n    out");
    assert_one(
        &found,
        "3:9: unknown function `pushh`; did you mean `push`?",
    );
}

#[test]
fn builtins_keywords_methods_operators_and_own_functions_are_known() {
    let text = r#"
fn helper(x) { x + 1 }
fn completeness(app, sources) {
    let out = [];
    let n = helper(2) * 3 - len("abc") + "x".len();
    if sources.is_empty() || !(1 in [1, 2]) || "a".contains("b") { out.push(n); }
    let f = Fn("helper");
    out.push(f.call(1));
    out.push(type_of(n));
    out.push(is_def_var("n"));
    print(n); debug(n);
    let g = |v| v * n;
    out.push([1, 2].map(g));
    out.push([1, 2].filter(|v| v > 1).len());
    out.push(n.to_string().to_upper());
    out.push(helper.call(1));
    out
}
"#;
    assert_eq!(problems(Stage::Completeness, text), Vec::<String>::new());
}

#[test]
fn calling_a_variable_is_an_unknown_function() {
    let found = completeness("    let f = Fn(\"is_blank\");\n    f(1);\n    []");
    assert_one(&found, "3:5: unknown function `f`");
}

#[test]
fn a_misspelt_application_field_is_reported_with_the_fields_there_are() {
    let found = completeness("    let p = app.projct.purpose;\n    []");
    let fields: Vec<&str> = SCRIPT_FIELDS.iter().map(|(f, _)| *f).collect();
    let expected = format!("2:17: the application (`app`) has no field `projct`; did you mean `project`? expected one of: {}", fields.join(", "));
    assert_one(&found, &expected);
}

#[test]
fn project_and_applicant_fields_are_checked() {
    let found =
        completeness("    let t = app.project.titel;\n    let r = app.applicant.rolle;\n    []");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].starts_with("2:25: `app.project` has no field `titel`; did you mean `title`? expected one of: title, description, purpose"), "{found:#?}");
    assert!(found[1].starts_with("3:27: `app.applicant` has no field `rolle`; did you mean `role`? expected one of: name, organisation, email, role"), "{found:#?}");
}

#[test]
fn fields_under_extra_are_free_form() {
    let found = completeness(
        "    let x = app.extra.anything.at.all;\n    let y = app.extra[\"x\"];\n    []",
    );
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn source_fields_are_checked_in_loops_over_sources_and_by_index() {
    let text = "    for s in sources { s.nmae; }\n    for (s, i) in app.sources { s.custodin; }\n    let first = sources[0].idd;\n    let also = app.sources[0].knwn;\n    []";
    let found = completeness(text);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found[0].starts_with("2:26: a source has no field `nmae`; did you mean `name`? expected one of: id, variables,"), "{found:#?}");
    assert!(
        found[1].starts_with("3:35: a source has no field `custodin`; did you mean `custodian`?"),
        "{found:#?}"
    );
    assert!(
        found[2].starts_with("4:28: a source has no field `idd`"),
        "{found:#?}"
    );
    assert!(
        found[3].starts_with("5:31: a source has no field `knwn`"),
        "{found:#?}"
    );
}

#[test]
fn a_value_taken_from_the_application_keeps_its_fields() {
    let found = completeness("    let p = app.project;\n    let all = app.sources;\n    for s in all { s.purpose; }\n    p.purpos\n");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].starts_with("4:22: a source has no field `purpose`; did you mean `purposes`?"),
        "{found:#?}"
    );
    assert!(
        found[1].starts_with("5:7: `app.project` has no field `purpos`"),
        "{found:#?}"
    );
}

#[test]
fn a_variable_that_no_longer_holds_the_application_is_not_checked() {
    let text = "    let out = [];\n    if true { let app = #{ foo: 1 }; out.push(app.foo); }\n    let sources = [#{ bar: 1 }];\n    for s in sources { out.push(s.bar); }\n    out";
    assert_eq!(completeness(text), Vec::<String>::new());
    let text = "    app.foo = 1;\n    let x = app.foo;\n    let a = app;\n    a.mixin(#{ bar: 2 });\n    a.bar";
    assert_eq!(completeness(text), Vec::<String>::new());
}

#[test]
fn an_assignment_reads_every_link_of_its_target_but_the_key_it_writes() {
    let found = completeness("    app.projct.purpose = 1;\n    []");
    assert_one(&found, "2:9: the application (`app`) has no field `projct`");
    let found = completeness("    app.project.new_key = 1;\n    sources[0].new_key = 2;\n    []");
    assert_eq!(found, Vec::<String>::new());
    let found = completeness("    app.project.count += 1;\n    []");
    assert_one(&found, "2:17: `app.project` has no field `count`");
}

#[test]
fn an_unknown_function_with_nothing_near_it_says_what_was_expected() {
    let found = completeness("    frobnicate();\n    []");
    assert_one(&found, "2:5: unknown function `frobnicate`; expected a function this script defines, a helper (rules/API.md) or a Rhai built-in");
}

#[test]
fn the_application_is_checked_again_after_a_block_that_shadowed_it() {
    let text = "    if true { let app = 1; }\n    app.projct";
    assert_one(
        &completeness(text),
        "3:9: the application (`app`) has no field `projct`",
    );
}

#[test]
fn closures_and_other_functions_do_not_hide_the_stage_function_fields() {
    let text = r#"
fn helper(app) { app.anything }
fn completeness(app, sources) {
    let known = sources.filter(|s| s.whatever);
    let ids = sources.map(|app| app.id_of_something);
    app.projct
}
"#;
    let found = problems(Stage::Completeness, text);
    assert_one(&found, "6:9: the application (`app`) has no field `projct`");
}

#[test]
fn a_setting_after_a_comment_marker_inside_a_string_is_checked() {
    let found = completeness("    let u = \"http://x\"; let v = setting(\"no.such.key\");\n    []");
    assert_one(
        &found,
        "2:41: setting 'no.such.key' is not in rules/settings.yaml; expected one of: ",
    );
    let found = completeness("    let v = setting(\"deadline.working_day\");\n    []");
    assert_one(&found, "2:21: setting 'deadline.working_day' is not in rules/settings.yaml; did you mean 'deadline.working_days'?");
}

#[test]
fn an_unknown_setting_lists_every_setting_in_key_order() {
    let found = completeness("    setting(\"deadline\");\n    setting(\"deadline.nope\");\n    []");
    let all = "cancer_registry.icd10_from, cancer_registry.icd10_to, \
        case.amendment_restarts, case.appeal_weeks, case.deliver_or_postpone_working_days, \
        case.paused_days, case.preliminary_reply_months, case.reminder_working_days, \
        case.reply_working_days, confidentiality.fine_geography, confidentiality.max_variables, \
        confidentiality.single_year_age, deadline.calendars.cancer-registry, \
        deadline.calendars.directorate-of-health, deadline.calendars.medicines-agency, \
        deadline.calendars.national-archives, deadline.calendars.niph, \
        deadline.linked_working_days, deadline.working_days, \
        fees.cancer-registry.free_hours, fees.cancer-registry.hourly, fees.default.free_cases, \
        fees.default.free_hours, fees.default.minimum_hours, fees.default.rounding, \
        fees.default.vat_rate, fees.helsedataservice.base_fee.one_source, \
        fees.helsedataservice.base_fee.several_sources, fees.helsedataservice.free_cases, \
        fees.helsedataservice.hourly, fees.niph.hourly, fees.niph.minimum_hours, \
        redirects.identifiable_form_url, service.opened_on, variables.sample_table_counts";
    assert_eq!(
        found,
        [format!(
            "3:13: setting 'deadline.nope' is not in rules/settings.yaml; expected one of: {all}"
        )]
    );
}

#[test]
fn settings_are_not_checked_when_the_settings_file_did_not_load() {
    let text = "fn completeness(app, sources) {\n    setting(\"no.such.key\");\n    []\n}\n";
    assert_eq!(
        problems_with(Stage::Completeness, text, false),
        Vec::<String>::new()
    );
}

#[test]
fn literal_arguments_name_existing_calendars_custodians_kinds_and_severities() {
    let text = r#"    let out = [];
    add_working_days("2026-01-05", 3, "norwy");
    "2026-01-05".is_working_day("nope");
    working_days_between("2026-01-05", "2026-01-09", "niph");
    out.push(custodian_name("nope"));
    out.push(route(sources[0], "nihp"));
    out.push(require_attachment("sampel_table"));
    has_attachment(app, "variable_list");
    out.push(finding("code", "fatal", "message"));
    out.push(finding("code", "warning", sources[0], "message"));
    out"#;
    let found = completeness(text);
    assert_eq!(found.len(), 6, "{found:#?}");
    assert!(found[0].starts_with("3:39: calendar 'norwy' does not exist; did you mean 'norway'? expected one of: cancer-registry,"), "{found:#?}");
    assert!(
        found[1].starts_with("4:33: calendar 'nope' does not exist; expected one of: "),
        "{found:#?}"
    );
    assert!(found[2].starts_with("6:29: custodian 'nope' is not in the catalog; expected one of: cancer-registry, directorate-of-health,"), "{found:#?}");
    assert!(
        found[3].starts_with("7:32: custodian 'nihp' is not in the catalog; did you mean 'niph'?"),
        "{found:#?}"
    );
    assert!(found[4].starts_with("8:33: attachment kind 'sampel_table' does not exist; did you mean 'sample_table'? expected one of: sample_table, variable_list, other"), "{found:#?}");
    assert!(
        found[5].starts_with(
            "10:30: finding severity 'fatal' does not exist; expected one of: info, warning, error"
        ),
        "{found:#?}"
    );
}

#[test]
fn a_script_function_named_like_a_helper_takes_any_literal() {
    let text = "fn setting(x) { x }\nfn completeness(app, sources) {\n    setting(\"anything\");\n    []\n}\n";
    assert_eq!(problems(Stage::Completeness, text), Vec::<String>::new());
}

#[test]
fn a_deadline_result_with_an_unknown_key_is_reported_at_the_key() {
    let text = r#"fn deadline(app, route) {
    if app.linking != () {
        return #{ working_dayz: 60 };
    }
    if app.data_kind == "x" { throw #{ anything: 1 }; }
    let ignored = #{ not_a_result: 1 };
    if true {
        #{ working_days: 30, reasn: "standard" }
    } else {
        #{ calendar: "niph" }
    }
}"#;
    let found = problems(Stage::Deadline, text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].starts_with("3:19: `fn deadline(app, route)` returns a map with key `working_dayz`, which the deadline stage does not know; did you mean `working_days`? expected any of: working_days, reason, calendar"), "{found:#?}");
    assert!(
        found[1].starts_with("8:30: `fn deadline(app, route)` returns a map with key `reasn`"),
        "{found:#?}"
    );
}

#[test]
fn maps_returned_by_other_functions_are_not_deadline_results() {
    let text = "fn extra() { #{ anything: 1 } }\nfn deadline(app, route) {\n    let x = extra();\n    #{ reason: \"r\" }\n}\n";
    assert_eq!(problems(Stage::Deadline, text), Vec::<String>::new());
}

#[test]
fn an_unknown_calendar_in_a_deadline_map_is_reported_at_its_name() {
    let text = "fn deadline(app, route) {\n    #{ calendar: \"cancer-registri\" }\n}\n";
    assert_one(
        &problems(Stage::Deadline, text),
        "2:18: calendar 'cancer-registri' does not exist; did you mean 'cancer-registry'?",
    );
}

#[test]
fn the_shipped_rules_check_clean() {
    let rules = RuleSet::built_in().expect("built-in rules");
    let settings = built_in_settings();
    let checker = Checker::new(
        rules.compiled.engine(),
        &rules.manifest.limits,
        Vocabularies {
            settings: Some(&settings),
            calendars: Some(rules.calendars()),
            catalog: Some(rules.catalog()),
        },
    );
    let mut checked = 0;
    for script in rules.scripts() {
        let stage = Stage::ALL
            .into_iter()
            .find(|s| script.logical.ends_with(&format!("/{}.rhai", s.name())))
            .expect("a stage file");
        let found = checker.check(stage, &script.display, &script.text);
        assert!(found.is_empty(), "{}: {found:#?}", script.display);
        checked += 1;
    }
    // The common rules' four stages and the Cancer Registry's own completeness.
    assert_eq!(checked, 5);
}

/// The message ids a script names, with their line and argument names.
fn message_ids(text: &str) -> Vec<(String, Option<usize>, Option<Vec<String>>)> {
    let rules = RuleSet::built_in().expect("built-in rules");
    let checker = Checker::new(
        rules.compiled.engine(),
        &rules.manifest.limits,
        Vocabularies::default(),
    );
    checker
        .message_ids(text)
        .into_iter()
        .map(|(id, at, args)| (id, at.line(), args.map(|a| a.into_iter().collect())))
        .collect()
}

#[test]
fn message_ids_are_the_codes_the_items_and_the_message_keys_with_their_arguments() {
    let got = message_ids(
        "fn completeness(app, sources) {\n\
         \x20   let args = #{a: 1};\n\
         \x20   [finding(\"code-one\", \"info\", #{days: 3, source: \"npr\"}),\n\
         \x20    missing(\"purpose\", \"own words\"),\n\
         \x20    finding(\"code-two\", \"info\", args),\n\
         \x20    finding(\"code-three\", \"info\", #{message: \"other-id\", n: 2})]\n\
         }\n",
    );
    let owned = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(
        got,
        vec![
            ("code-one".to_string(), Some(3), owned(&["days", "source"])),
            ("missing-purpose".to_string(), Some(4), owned(&[])),
            ("code-two".to_string(), Some(5), None),
            ("other-id".to_string(), Some(6), owned(&["n"])),
        ]
    );
}

#[test]
fn import_and_a_pointer_to_eval_or_to_no_function_are_refused_at_their_place() {
    let found = completeness("    import \"x\" as y;\n    []");
    assert_one(&found, "2:5: `import` is not allowed");
    let found = completeness("    let f = Fn(\"eval\");\n    []");
    assert_one(
        &found,
        "2:16: `Fn(\"eval\")`: `eval` is not available to rule scripts",
    );
    let found = completeness("    let f = Fn(\"is_blnak\");\n    []");
    assert_one(
        &found,
        "2:16: unknown function `is_blnak`; did you mean `is_blank`?",
    );
    assert_eq!(
        completeness("    let f = Fn(\"is_blank\");\n    []"),
        Vec::<String>::new()
    );
}

#[test]
fn a_helper_called_with_the_wrong_number_of_arguments_is_reported_with_every_count_it_takes() {
    let text = "    let out = [];\n    if is_blank(app, sources) { }\n    out.push(finding(\"code\", \"info\"));\n    out";
    let found = completeness(text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(
        found[0],
        "3:8: `is_blank` is called with 2 arguments; expected 1 argument: `is_blank(value)` (rules/API.md)"
    );
    assert_eq!(
        found[1],
        "4:14: `finding` is called with 2 arguments; expected 3 or 4 arguments: `finding(code, severity, message)`, `finding(code, severity, source, message)` (rules/API.md)"
    );
}

#[test]
fn a_script_function_called_with_the_wrong_number_of_arguments_is_reported_with_its_signature() {
    let text = r#"
fn why(app, linked) { linked }
fn pick(a) { a }
fn pick(a, b) { b }
fn completeness(app, sources) {
    let a = why(app);
    let b = pick(1, 2, 3);
    let c = why(app, sources) + pick(1) + pick(1, 2);
    []
}
"#;
    let found = problems(Stage::Completeness, text);
    assert_eq!(
        found,
        [
            "6:13: `why` is called with 1 argument; expected 2 arguments: `fn why(app, linked)` in this file",
            "7:13: `pick` is called with 3 arguments; expected 1 or 2 arguments: `fn pick(a)` in this file, `fn pick(a, b)` in this file",
        ]
    );
}

#[test]
fn a_built_in_the_sandbox_bounds_is_reported_as_a_built_in_not_as_a_helper() {
    let found = completeness("    let s = \"x\".pad(3);\n    []");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("Rhai's built-in `pad`"), "{}", found[0]);
    assert!(!found[0].contains("rules/API.md"), "{}", found[0]);
}

#[test]
fn a_method_call_counts_the_value_before_the_dot() {
    let found = completeness("    let n = sources.len(1);\n    []");
    assert_one(
        &found,
        "2:21: `len` is called with 2 arguments, counting the value before the dot; expected 1 argument: `len(map)` (rules/API.md), or Rhai's built-in `len`",
    );
    let text = "fn twice(a, b) { a + b }\nfn completeness(app, sources) {\n    let n = 1.twice(2);\n    []\n}\n";
    assert_one(
        &problems(Stage::Completeness, text),
        "3:15: `twice` is called with 2 arguments, counting the value before the dot (a function of this file called as `value.f(…)` gets it as `this`); expected 3 arguments: `fn twice(a, b)` in this file",
    );
}

#[test]
fn valid_calls_of_overloaded_builtins_helpers_keywords_and_own_methods_are_not_reported() {
    let text = r#"
fn plus(n) { this + n }
fn completeness(app, sources) {
    let out = [];
    let parts = "a,b,c".split(",");
    let two = "a,b,c".split(",", 2);
    let also = split("a b");
    for i in range(0, 10, 2) { out.push(i); }
    out.sort();
    out.sort(|a, b| b - a);
    out.push(1.plus(2));
    out.push(app.project.contains("title"));
    out.push("2026-01-05".is_working_day("norway"));
    out.push(is_working_day("2026-01-05", "norway"));
    out.push(missing("description", #{}));
    out.push(missing("variables", sources[0], #{}));
    let f = Fn("plus");
    out.push(f.call(1));
    out.push(curry(f, 1).call());
    out.push(type_of(out));
    print(1); debug(1);
    out
}
"#;
    assert_eq!(problems(Stage::Completeness, text), Vec::<String>::new());
}

#[test]
fn a_misspelt_dated_setting_is_reported_with_the_setting_meant() {
    let found = completeness(
        "    let d = setting_on(\"deadline.workin_days\", app.received_on);\n    let e = \"2026-01-05\".setting_on(\"nope\");\n    []",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("2:24: setting 'deadline.workin_days' is not in rules/settings.yaml; did you mean 'deadline.working_days'? expected one of: cancer_registry.icd10_from,"), "{found:#?}");
    assert_eq!(
        completeness("    let d = setting_on(\"fees.niph.hourly\", \"2024-05-02\");\n    []"),
        Vec::<String>::new()
    );
}
