//! The case policy: the `case:` block of `rules/settings.yaml`, the windows and
//! readings the case clock counts with (case contract section 2), read into typed
//! values when the rule set loads. A bad value stops the load at its line, so
//! `hds check` reports it before any case meets it.

use super::settings::shown;
use crate::error::Diagnostic;
use crate::ruleset::settings::Settings;
use serde_json::Value;

/// The settings key of the case policy.
pub const CASE_POLICY: &str = "case";

/// How the case clock counts: every window and reading, as the rule set sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePolicy {
    /// Working days an applicant has to answer a question (a `question_sent`
    /// without `reply_by`).
    pub reply_working_days: u32,
    /// Working days more a reminder gives (a `reminder_sent` without `reply_by`).
    pub reminder_working_days: u32,
    /// A route's `deliver-or-postpone` action is listed when this many working days
    /// or fewer are left.
    pub deliver_or_postpone_working_days: u32,
    /// Months after receipt by which a preliminary reply is due
    /// (forvaltningsloven § 11 a).
    pub preliminary_reply_months: u32,
    /// Weeks after a refusal or dismissal an appeal may be received
    /// (forvaltningsloven § 29).
    pub appeal_weeks: u32,
    /// Which days of a question the clock stands still for
    /// (forvaltningslovforskriften § 39).
    pub paused_days: PauseReading,
    /// Which amendments restart the clock.
    pub amendment_restarts: AmendmentRestart,
}

/// Which days of a question to the applicant hold the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseReading {
    /// `late-days`: only the working days after the reply date up to the answer.
    LateDays,
    /// `question-to-answer`: every working day after the question up to the answer.
    QuestionToAnswer,
}

/// Which amendments restart the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmendmentRestart {
    /// `request-change`: one that changes the request (a source added or removed,
    /// another purpose or data kind, linking asked or no longer asked).
    RequestChange,
    /// `always`: every amendment.
    Always,
}

impl PauseReading {
    const NAMES: [(&'static str, PauseReading); 2] = [
        ("late-days", PauseReading::LateDays),
        ("question-to-answer", PauseReading::QuestionToAnswer),
    ];

    /// The reading as written in the settings.
    pub fn as_str(self) -> &'static str {
        name_of(&Self::NAMES, self)
    }
}

impl AmendmentRestart {
    const NAMES: [(&'static str, AmendmentRestart); 2] = [
        ("request-change", AmendmentRestart::RequestChange),
        ("always", AmendmentRestart::Always),
    ];

    /// The rule as written in the settings.
    pub fn as_str(self) -> &'static str {
        name_of(&Self::NAMES, self)
    }
}

/// The word a policy choice is written as, from its table of words.
fn name_of<T: Copy + PartialEq>(names: &[(&'static str, T)], value: T) -> &'static str {
    names
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("", |(name, _)| name)
}

/// The keys of the `case:` block, each with its smallest value (numbers) or its
/// words (readings), in the order the settings file documents them.
const KEYS: [&str; 7] = [
    "reply_working_days",
    "reminder_working_days",
    "deliver_or_postpone_working_days",
    "preliminary_reply_months",
    "appeal_weeks",
    "paused_days",
    "amendment_restarts",
];

/// The largest number any window may be: far beyond any real one, and small enough
/// that every count stays inside the calendars.
const MOST: u64 = 1000;

/// Reads the `case:` block of the settings. `None` (and no problem) when the block
/// is absent: such a rule set decides applications but cannot follow cases. Every
/// problem is an error at its line: an unknown key, a missing one, a number out of
/// range, a reading that is not one of its words.
pub fn case_policy(settings: &Settings) -> (Option<CasePolicy>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let Some(block) = settings.get(CASE_POLICY) else {
        return (None, problems);
    };
    let display = settings.display();
    let at = |key: &str| settings.position(&format!("{CASE_POLICY}.{key}"));
    let Some(entries) = block.as_object() else {
        problems.push(
            Diagnostic::error(
                display,
                format!(
                    "{CASE_POLICY}: expected a map of case settings ({})",
                    KEYS.join(", ")
                ),
            )
            .at_position(settings.position(CASE_POLICY)),
        );
        return (None, problems);
    };
    let mut unknown: Vec<&String> = entries
        .keys()
        .filter(|k| !KEYS.contains(&k.as_str()))
        .collect();
    unknown.sort();
    for key in unknown {
        problems.push(
            Diagnostic::error(
                display,
                format!(
                    "{CASE_POLICY}.{key} is not a case setting; expected one of: {}",
                    KEYS.join(", ")
                ),
            )
            .at_position(at(key)),
        );
    }

    let mut number = |key: &str, least: u64, example: u64| -> Option<u32> {
        let fail = |message: String| {
            Diagnostic::error(display, format!("{CASE_POLICY}.{key}: {message}"))
                .at_position(at(key))
        };
        match entries.get(key) {
            None => {
                problems.push(
                    Diagnostic::error(
                        display,
                        format!(
                            "{CASE_POLICY}: missing `{key}`; expected a whole number, e.g. {key}: {example}"
                        ),
                    )
                    .at_position(settings.position(CASE_POLICY)),
                );
                None
            }
            Some(value) => match value.as_u64().filter(|n| (least..=MOST).contains(n)) {
                Some(n) => u32::try_from(n).ok(),
                None => {
                    problems.push(fail(format!(
                        "expected a whole number from {least} to {MOST}, e.g. {example}; got {}",
                        shown(value)
                    )));
                    None
                }
            },
        }
    };
    let reply = number("reply_working_days", 1, 10);
    let reminder = number("reminder_working_days", 1, 5);
    let lead = number("deliver_or_postpone_working_days", 0, 5);
    let months = number("preliminary_reply_months", 1, 1);
    let weeks = number("appeal_weeks", 1, 3);

    let paused = word(
        settings,
        entries,
        "paused_days",
        &PauseReading::NAMES,
        &mut problems,
    );
    let restarts = word(
        settings,
        entries,
        "amendment_restarts",
        &AmendmentRestart::NAMES,
        &mut problems,
    );

    let policy = (|| {
        Some(CasePolicy {
            reply_working_days: reply?,
            reminder_working_days: reminder?,
            deliver_or_postpone_working_days: lead?,
            preliminary_reply_months: months?,
            appeal_weeks: weeks?,
            paused_days: paused?,
            amendment_restarts: restarts?,
        })
    })();
    if !problems.is_empty() {
        return (None, problems);
    }
    (policy, problems)
}

/// One of a fixed set of words, e.g. `late-days`.
fn word<T: Copy>(
    settings: &Settings,
    entries: &serde_json::Map<String, Value>,
    key: &str,
    names: &[(&str, T)],
    problems: &mut Vec<Diagnostic>,
) -> Option<T> {
    let words: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
    let expected = words.join(" or ");
    let display = settings.display();
    match entries.get(key) {
        None => {
            problems.push(
                Diagnostic::error(
                    display,
                    format!(
                        "{CASE_POLICY}: missing `{key}`; expected {expected}, e.g. {key}: {}",
                        words[0]
                    ),
                )
                .at_position(settings.position(CASE_POLICY)),
            );
            None
        }
        Some(value) => {
            let found = value
                .as_str()
                .and_then(|s| names.iter().find(|(n, _)| *n == s).map(|(_, t)| *t));
            if found.is_none() {
                problems.push(
                    Diagnostic::error(
                        display,
                        format!(
                            "{CASE_POLICY}.{key}: expected {expected}; got {}",
                            shown(value)
                        ),
                    )
                    .at_position(settings.position(&format!("{CASE_POLICY}.{key}"))),
                );
            }
            found
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
case:
  reply_working_days: 10
  reminder_working_days: 5
  deliver_or_postpone_working_days: 5
  preliminary_reply_months: 1
  appeal_weeks: 3
  paused_days: late-days
  amendment_restarts: request-change
";

    fn read(text: &str) -> (Option<CasePolicy>, Vec<String>) {
        let settings = Settings::load("rules/settings.yaml", text).expect("a map");
        let (policy, problems) = case_policy(&settings);
        (policy, problems.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn the_case_block_reads_into_a_typed_policy() {
        let (policy, problems) = read(GOOD);
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(
            policy,
            Some(CasePolicy {
                reply_working_days: 10,
                reminder_working_days: 5,
                deliver_or_postpone_working_days: 5,
                preliminary_reply_months: 1,
                appeal_weeks: 3,
                paused_days: PauseReading::LateDays,
                amendment_restarts: AmendmentRestart::RequestChange,
            })
        );
        let other = GOOD
            .replace("late-days", "question-to-answer")
            .replace("request-change", "always");
        let (policy, _) = read(&other);
        let policy = policy.expect("reads");
        assert_eq!(policy.paused_days, PauseReading::QuestionToAnswer);
        assert_eq!(policy.amendment_restarts, AmendmentRestart::Always);
    }

    #[test]
    fn no_case_block_is_no_policy_and_no_problem() {
        assert_eq!(read("deadline:\n  working_days: 30\n"), (None, vec![]));
    }

    #[test]
    fn a_bad_value_is_an_error_at_its_line_and_column_saying_what_was_expected() {
        let text = GOOD
            .replace("reply_working_days: 10", "reply_working_days: 0")
            .replace("late-days", "late_days")
            .replace("appeal_weeks: 3", "appeal_weeks: three");
        let (policy, problems) = read(&text);
        assert_eq!(policy, None);
        assert_eq!(
            problems,
            [
                "rules/settings.yaml:2:3: error: case.reply_working_days: expected a whole number from 1 to 1000, e.g. 10; got 0",
                "rules/settings.yaml:6:3: error: case.appeal_weeks: expected a whole number from 1 to 1000, e.g. 3; got 'three'",
                "rules/settings.yaml:7:3: error: case.paused_days: expected late-days or question-to-answer; got 'late_days'",
            ]
        );
    }

    #[test]
    fn an_unknown_or_missing_key_is_an_error_naming_the_keys() {
        let text = GOOD.replace("  appeal_weeks: 3\n", "  appeal_week: 3\n");
        let (policy, problems) = read(&text);
        assert_eq!(policy, None);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with(
            "rules/settings.yaml:6:3: error: case.appeal_week is not a case setting; expected one of: reply_working_days,"
        ), "{problems:?}");
        assert_eq!(
            problems[1],
            "rules/settings.yaml:1:1: error: case: missing `appeal_weeks`; expected a whole number, e.g. appeal_weeks: 3"
        );
    }

    #[test]
    fn a_case_block_that_is_not_a_map_is_an_error() {
        let (policy, problems) = read("case: 10\n");
        assert_eq!(policy, None);
        assert!(
            problems[0].starts_with("rules/settings.yaml:1:1: error: case: expected a map"),
            "{problems:?}"
        );
    }
}
