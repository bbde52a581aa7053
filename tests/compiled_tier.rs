//! The compiled tier decides exactly as Rhai's interpreter does: every shipped rule
//! function is compiled, and the decisions and traces of the examples and of many
//! generated applications are the same with the tier as without it
//! (`--interpreted`).

mod common;

use common::{hds, stdout_ok};
use hds::input::{read_stream, InputRecord};
use proptest::prelude::*;
use std::ops::ControlFlow;
use std::sync::OnceLock;

/// The built-in rule set, compiled tier on (as shipped) and off.
fn rules() -> &'static (hds::RuleSet, hds::RuleSet) {
    static RULES: OnceLock<(hds::RuleSet, hds::RuleSet)> = OnceLock::new();
    RULES.get_or_init(|| {
        let tiered = hds::RuleSet::built_in().expect("the built-in rule set loads");
        let mut interpreted = hds::RuleSet::built_in().expect("the built-in rule set loads");
        interpreted.compiled.set_tiered(false);
        (tiered, interpreted)
    })
}

#[test]
fn every_shipped_rule_function_runs_on_the_compiled_tier() {
    let (tiered, _) = rules();
    let mut seen = 0;
    for script in tiered.scripts() {
        let stage = script
            .logical
            .rsplit('/')
            .next()
            .and_then(|f| f.strip_suffix(".rhai"))
            .expect("a stage file");
        assert!(
            script.native.refused().is_empty() && script.native.has(stage, 2),
            "{}: {:?}",
            script.logical,
            script.native
        );
        seen += 1;
    }
    assert!(seen >= 5, "only {seen} rule files");
}

#[test]
fn the_examples_are_decided_and_traced_alike_with_and_without_the_compiled_tier() {
    for format in ["json", "text", "csv"] {
        let args = [
            "evaluate",
            "examples/",
            "tests/fixtures/late-sample-table.yaml",
            "--trace",
            "--format",
            format,
        ];
        let tiered = stdout_ok(hds().args(args));
        let interpreted = stdout_ok(hds().arg("--interpreted").args(args));
        assert!(tiered.lines().count() >= 8, "{tiered}");
        assert_eq!(tiered, interpreted, "--format {format}");
    }
}

#[test]
fn the_scenario_suite_passes_on_the_interpreter_too() {
    let out = stdout_ok(hds().args(["--interpreted", "test", "--quiet"]));
    assert!(out.trim_end().ends_with(" 0 failed"), "{out}");
}

/// One application as JSON, from generated choices.
#[allow(clippy::too_many_arguments)]
fn application(
    day: u32,
    kind: usize,
    purpose: usize,
    email: usize,
    description: bool,
    sources: Vec<(usize, Vec<usize>, Vec<usize>)>,
    attachments: Vec<usize>,
    linking: bool,
) -> String {
    const SOURCES: [&str; 15] = [
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
        "hunt",
        "tromso",
        "no-such-register",
        "NPR",
    ];
    const VARIABLES: [&str; 9] = [
        "year",
        "sex",
        "county",
        "age_group",
        "municipality",
        "month",
        "education",
        "age",
        "postcode",
    ];
    const CODES: [&str; 10] = [
        "C50", "i210", "C18-C20", "E11", "X", "C50.9", " c61 ", "D48", "A4", "Z99",
    ];
    const PURPOSES: [&str; 5] = ["research", "commercial", "", "statistics", "teaching"];
    const EMAILS: [&str; 3] = ["kari@example.org", "kari", ""];
    const ATTACHMENTS: [&str; 3] = ["sample_table", "variable_list", "other"];
    let date = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).expect("a date")
        + chrono::Duration::days(i64::from(day));
    let sources: Vec<serde_json::Value> = sources
        .into_iter()
        .map(|(s, vars, codes)| {
            let mut source = serde_json::json!({
                "id": SOURCES[s % SOURCES.len()],
                "variables": vars.iter().map(|v| VARIABLES[v % VARIABLES.len()]).collect::<Vec<_>>(),
            });
            if !codes.is_empty() {
                source["icd10"] = codes.iter().map(|c| CODES[c % CODES.len()]).collect();
            }
            source
        })
        .collect();
    let mut app = serde_json::json!({
        "id": "P-1",
        "submitted_at": format!("{date}T10:00:00+01:00"),
        "data_kind": if kind == 0 { "identifiable" } else { "aggregated" },
        "applicant": {"name": "Kari", "organisation": "UiO", "email": EMAILS[email % EMAILS.len()]},
        "project": {
            "title": "T",
            "description": if description { "Antall per år." } else { " " },
            "purpose": PURPOSES[purpose % PURPOSES.len()],
        },
        "sources": sources,
        "attachments": attachments
            .iter()
            .enumerate()
            .map(|(i, a)| serde_json::json!({"kind": ATTACHMENTS[a % ATTACHMENTS.len()], "file": format!("f{i}.pdf")}))
            .collect::<Vec<_>>(),
    });
    if linking {
        app["linking"] = serde_json::json!({"comment": "koble"});
    }
    app.to_string()
}

fn read(json: &str) -> InputRecord {
    let mut records = Vec::new();
    let _ = read_stream("-", json.as_bytes(), &mut |r| {
        records.push(r);
        ControlFlow::Continue(())
    });
    records.into_iter().next().expect("one record")
}

fn outcome(rules: &hds::RuleSet, app: &hds::model::application::Application) -> String {
    let (decision, trace) = hds::Evaluator::new(rules).explain(app);
    let decision = match decision {
        Ok(d) => serde_json::to_string(&d),
        Err(e) => Ok(e.to_string()),
    }
    .expect("serialises");
    format!(
        "{decision}\n{}",
        serde_json::to_string(&trace).expect("serialises")
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn generated_applications_are_decided_alike_with_and_without_the_compiled_tier(
        day in 0u32..6000,
        kind in 0usize..12,
        purpose in 0usize..8,
        email in 0usize..4,
        description in any::<bool>(),
        sources in prop::collection::vec(
            (0usize..15, prop::collection::vec(0usize..9, 0..12), prop::collection::vec(0usize..10, 0..3)),
            0..4,
        ),
        attachments in prop::collection::vec(0usize..3, 0..3),
        linking in any::<bool>(),
    ) {
        let json = application(day, kind, purpose, email, description, sources, attachments, linking);
        let record = read(&json);
        let app = record.result.as_ref().map_err(|e| format!("{e:?}")).expect("reads");
        let (tiered, interpreted) = rules();
        prop_assert_eq!(outcome(tiered, app), outcome(interpreted, app), "{}", json);
    }
}
