//! Where the value that came out for a differing field was made, read from the
//! decision's trace: the rule file and line (`rules/niph/deadline.rhai:12`), and
//! for a date counted in a calendar, the calendar file. Shown beside a failing
//! scenario's differences so its reader knows which rule to open.

use crate::model::explain::CaseExplanation;
use crate::model::trace::{DeadlineTrace, Trace};
use crate::ruleset::RuleSet;
use crate::ruleset::CUSTODIAN_CALENDARS;
use serde_json::Value;

/// The list a difference's path starts with and the key value it names:
/// `routes[custodian=niph].due` gives `("routes", Some("niph"))`, `status` gives
/// `("status", None)`. `_include` and `_exclude` are taken off the list's name.
fn subject(path: &str) -> (&str, Option<&str>) {
    let head = path.split(['.', '[']).next().unwrap_or(path);
    let list = head
        .strip_suffix("_include")
        .or_else(|| head.strip_suffix("_exclude"))
        .unwrap_or(head);
    let key = path
        .strip_prefix(head)
        .and_then(|rest| rest.strip_prefix('['))
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(inside, _)| inside.split_once('='))
        .map(|(_, v)| v);
    (list, key)
}

/// `file:line (fn name)` of the first line of `file`'s script that names `value` in
/// quotes, else of its stage function `stage`, else the file alone.
fn place(rules: &RuleSet, file: &str, stage: &str, value: Option<&str>) -> String {
    let Some(script) = rules.compiled.scripts().find(|s| s.logical == file) else {
        return file.to_string();
    };
    let quoted = |v: &str| [format!("\"{v}\""), format!("'{v}'")];
    let by_value = value.and_then(|v| {
        script
            .text
            .lines()
            .position(|l| quoted(v).iter().any(|q| l.contains(q.as_str())))
    });
    let by_function = || {
        script.text.lines().position(|l| {
            l.trim_start()
                .strip_prefix("fn ")
                .is_some_and(|rest| rest.trim_start().starts_with(&format!("{stage}(")))
        })
    };
    match by_value.or_else(by_function) {
        Some(i) => format!("{}:{} (fn {stage})", script.display, i + 1),
        None => script.display.clone(),
    }
}

/// The line of `file`'s script that reads a setting whose value is `value`, and the
/// setting's name: one the trace shows the rule read for a date (`setting_on`), else
/// one read undated (`setting("deadline.working_days")`) whose value it is.
fn setting_read(
    rules: &RuleSet,
    trace: &Trace,
    file: &str,
    value: &Value,
) -> Option<(usize, String)> {
    let script = rules.compiled.scripts().find(|s| s.logical == file)?;
    let shown = value.to_string();
    let traced = trace
        .steps
        .iter()
        .filter(|s| s.rule == file)
        .flat_map(|s| &s.settings)
        .find(|t| t.value == shown)
        .map(|t| t.path.clone());
    let undated = || {
        script.text.lines().find_map(|line| {
            let rest = line
                .split("setting(\"")
                .nth(1)
                .or_else(|| line.split("setting_on(\"").nth(1))?;
            let name = rest.split('"').next()?;
            (rules.settings.get(name) == Some(value)).then(|| name.to_string())
        })
    };
    let name = traced.or_else(undated)?;
    let quoted = format!("\"{name}\"");
    let line = script.text.lines().position(|l| l.contains(&quoted))?;
    Some((line + 1, name))
}

/// Where a route's working days were set: the rule line that read the setting
/// with that value, and the setting's line, else the rule's deadline function.
fn working_days_source(rules: &RuleSet, trace: &Trace, d: &DeadlineTrace) -> Option<String> {
    let script = d.working_days_by.as_ref()?;
    let days = Value::from(d.working_days);
    Some(match setting_read(rules, trace, script, &days) {
        Some((line, name)) => {
            let display = rules
                .compiled
                .scripts()
                .find(|s| &s.logical == script)
                .map_or(script.as_str(), |s| s.display.as_str());
            let mut at = format!("{display}:{line} (fn deadline), setting {name}");
            if let Some(p) = rules.settings.position(&name) {
                at.push_str(&format!(" at {}:{}", rules.settings.display(), p.line));
            }
            at
        }
        None => place(rules, script, "deadline", None),
    })
}

/// The file of calendar `name`, as the user would open it.
fn calendar_file(rules: &RuleSet, name: &str) -> String {
    rules
        .calendars()
        .file(name)
        .map_or_else(|| format!("calendar {name}"), str::to_string)
}

/// Where the value at `path` (as a difference names it) of `decision` was made,
/// according to `trace`; `None` when no rule made it (a date read from the
/// application, say).
pub fn source_of(path: &str, decision: &Value, trace: &Trace, rules: &RuleSet) -> Option<String> {
    let (list, key) = subject(path);
    let stage_steps = |stage: &'static str| trace.steps.iter().filter(move |s| s.stage == stage);
    let naming = |stage: &'static str, word: &str| {
        stage_steps(stage)
            .find(|s| s.returned.iter().any(|r| r.contains(word)))
            .map(|s| place(rules, &s.rule, stage, Some(word)))
    };
    match list {
        "routes" => {
            let field = path
                .rsplit_once('.')
                .map(|(_, f)| f)
                .filter(|f| !f.contains(']'));
            let d = trace
                .deadlines
                .iter()
                .find(|d| key.is_none_or(|k| d.custodian == k));
            match (field, d) {
                (Some("working_days"), Some(d)) => working_days_source(rules, trace, d),
                (Some("due"), Some(d)) => {
                    let mut at = working_days_source(rules, trace, d)?;
                    at.push_str(&format!(
                        ", counted in {}",
                        calendar_file(rules, &d.calendar)
                    ));
                    Some(at)
                }
                (Some("reason"), Some(d)) => d
                    .reason_by
                    .as_ref()
                    .map(|r| place(rules, r, "deadline", None)),
                (Some("calendar"), Some(d)) => Some(match &d.calendar_by {
                    Some(r) => place(rules, r, "deadline", Some(&d.calendar)),
                    None => {
                        let name = format!("{CUSTODIAN_CALENDARS}.{}", d.custodian);
                        if rules.custodian_calendars.contains_key(&d.custodian) {
                            setting_at(rules, &name)
                        } else {
                            format!("the national calendar, as {name} is not set")
                        }
                    }
                }),
                (Some("clock_start"), _) => source_of("complete_on", decision, trace, rules),
                // The route itself, its custodian or its sources: the routing rule.
                _ => {
                    let word = key.map(|k| format!(" to {k}"));
                    stage_steps("routing")
                        .find(|s| {
                            s.returned.iter().any(|r| {
                                r.starts_with("route ")
                                    && word.as_ref().is_none_or(|w| r.ends_with(w.as_str()))
                            })
                        })
                        .map(|s| place(rules, &s.rule, "routing", key))
                }
            }
        }
        "findings" => {
            let k = key?;
            let finding = decision["findings"]
                .as_array()?
                .iter()
                .find(|f| f["code"] == k)?;
            let file = finding["rule"].as_str()?;
            let stage = trace
                .steps
                .iter()
                .find(|s| s.rule == file)
                .map_or("eligibility", |s| s.stage.as_str());
            Some(place(rules, file, stage, Some(k)))
        }
        "missing" => naming("completeness", key?),
        "redirects" => naming("routing", key?),
        "status" | "complete_on" => {
            let word = if decision["status"] == "redirected" {
                ("routing", "redirect")
            } else {
                ("completeness", "")
            };
            stage_steps(word.0)
                .find(|s| !s.returned.is_empty() && s.returned.iter().any(|r| r.contains(word.1)))
                .map(|s| place(rules, &s.rule, word.0, None))
        }
        _ => None,
    }
}

/// `name at file:line` of a setting of the rule set.
fn setting_at(rules: &RuleSet, name: &str) -> String {
    match rules.settings.position(name) {
        Some(p) => format!("setting {name} at {}:{}", rules.settings.display(), p.line),
        None => format!("setting {name}"),
    }
}

/// Where the value at `path` of a case status came from, according to the
/// explanation of that status (`hds status --explain`): the events that moved a
/// route, the questions that held its clock, the calendar it was counted in, and the
/// setting behind an action's date; `None` for the other fields.
pub fn case_source_of(path: &str, explained: &CaseExplanation, rules: &RuleSet) -> Option<String> {
    let (list, key) = subject(path);
    let field = path.rsplit('.').next().unwrap_or("");
    match list {
        "routes" => {
            let r = explained
                .routes
                .iter()
                .find(|r| key.is_none_or(|k| r.custodian == k))?;
            let mut parts = Vec::new();
            match field {
                "due" | "working_days" | "clock_start" => {
                    parts.push(format!("the decision: {}", r.working_days_reason));
                }
                "paused_days" => {
                    let mut questions: Vec<(usize, String)> = r
                        .paused
                        .iter()
                        .map(|p| (p.question, p.reply_by.to_string()))
                        .collect();
                    questions.dedup();
                    for (q, reply_by) in questions {
                        parts.push(format!("the question events[{q}] (reply by {reply_by})"));
                    }
                    parts.push(setting_at(rules, "case.paused_days"));
                }
                _ => {
                    for m in &r.moves {
                        parts.push(match m.event {
                            Some(e) => format!("events[{e}]: {}", m.why),
                            None => m.why.clone(),
                        });
                    }
                }
            }
            if field != "working_days" {
                parts.push(format!("counted in {}", calendar_file(rules, &r.calendar)));
            }
            Some(parts.join(", "))
        }
        "actions" => {
            let a = explained
                .actions
                .iter()
                .find(|a| key.is_none_or(|k| a.code.as_str() == k))?;
            a.setting.as_ref().map(|s| setting_at(rules, &s.name))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_names_its_list_and_item() {
        assert_eq!(
            subject("routes[custodian=niph].due"),
            ("routes", Some("niph"))
        );
        assert_eq!(
            subject("findings_include[code=a-b]"),
            ("findings", Some("a-b"))
        );
        assert_eq!(subject("status"), ("status", None));
        assert_eq!(subject("routes"), ("routes", None));
    }

    #[test]
    fn a_due_date_comes_from_the_deadline_rule_and_its_calendar() {
        let files = crate::ruleset::files::RuleFiles::built_in().expect("built in");
        let rules = RuleSet::load(&files).expect("loads");
        let app = crate::input::parse_yaml(
            "t",
            &std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/linked-niph.yaml"),
            )
            .expect("example"),
        )
        .result
        .expect("application");
        let (decision, trace) = crate::Evaluator::new(&rules).explain(&app);
        let decision = serde_json::to_value(decision.expect("decided")).expect("json");
        let at =
            source_of("routes[custodian=niph].due", &decision, &trace, &rules).expect("a source");
        assert!(
            at.starts_with("rules/helsedataservice/deadline.rhai:")
                && at.contains(
                    "(fn deadline), setting deadline.linked_working_days at rules/settings.yaml:"
                )
                && at.ends_with(", counted in calendars/niph.yaml"),
            "{at}"
        );
        let at = source_of(
            "findings[code=linking-longer-processing].message",
            &decision,
            &trace,
            &rules,
        )
        .expect("a source");
        assert!(
            at.starts_with("rules/helsedataservice/eligibility.rhai:"),
            "{at}"
        );
        assert_eq!(source_of("received_on", &decision, &trace, &rules), None);
    }

    #[test]
    fn a_case_date_comes_from_the_events_that_moved_it_and_an_action_from_its_setting() {
        let files = crate::ruleset::files::RuleFiles::built_in().expect("built in");
        let rules = RuleSet::load(&files).expect("loads");
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cases/postponed.yaml");
        let case = crate::case::file::read_case_file(&path).expect("case");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 8, 27).expect("date");
        let explained = crate::case::explain(&case, &rules, day).expect("explained");
        let at =
            case_source_of("routes[custodian=niph].due_now", &explained, &rules).expect("a source");
        assert_eq!(
            at,
            "questions held the clock 2 working days (late-days), events[3]: postponed on 2026-05-29, counted in calendars/niph.yaml"
        );
        let at = case_source_of("routes[custodian=niph].paused_days", &explained, &rules)
            .expect("a source");
        assert!(
            at.starts_with("the question events[1] (reply by 2026-04-13), setting case.paused_days at rules/settings.yaml:"),
            "{at}"
        );
        let at = case_source_of("actions[code=deliver-or-postpone].due", &explained, &rules)
            .expect("a source");
        assert!(
            at.starts_with("setting case.deliver_or_postpone_working_days at rules/settings.yaml:"),
            "{at}"
        );
        assert_eq!(case_source_of("state", &explained, &rules), None);
    }
}
