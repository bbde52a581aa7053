//! The status of a case as of a date (case contract section 2): where each route
//! stands, what is due next and what the clock found. Only ever written out; the
//! field order is the order of the JSON.

use crate::model::decision::{Decision, Finding, RulesetId};
use chrono::NaiveDate;
use serde::Serialize;

/// One case as of a date: its state, each route's clock, the actions due and the
/// findings, with the decision of the application in force. Lists are sorted, so
/// the same case file, rule set and date always give the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CaseStatus {
    /// The case id: the case file's `case`, else the application's `id`.
    pub case: String,
    /// The date the status is as of; events after it are ignored.
    pub as_of: NaiveDate,
    /// The rule set that counted, so the status can be reproduced.
    pub ruleset: RulesetId,
    /// The state of the whole case.
    pub state: CaseState,
    /// The date the application in force was received: its `submitted_at`, or the
    /// date of an amendment that restarted the clock.
    pub received_on: NaiveDate,
    /// The date it became complete; `null` while it is not.
    pub complete_on: Option<NaiveDate>,
    /// One clock per route of the application in force, sorted by custodian.
    pub routes: Vec<RouteStatus>,
    /// What someone must do next, sorted by due date, code and route.
    pub actions: Vec<Action>,
    /// What the clock noticed about the case's history, sorted as a decision's.
    pub findings: Vec<Finding>,
    /// The decision of the application in force on the as-of date, with the case's
    /// received and completion dates.
    pub decision: Decision,
}

/// The state of a case.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// At least one route is open.
    Open,
    /// Every route is closed (delivered or refused).
    Closed,
    /// The applicant withdrew the application.
    Withdrawn,
    /// The application was dismissed, and no appeal reversed that.
    Dismissed,
    /// The application is processed elsewhere (the decision's status).
    Redirected,
    /// No source may be used for the purpose (the decision's status).
    Ineligible,
    /// Something required is missing: no route has a due date yet.
    Incomplete,
}

impl CaseState {
    /// The state as written in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Open => "open",
            CaseState::Closed => "closed",
            CaseState::Withdrawn => "withdrawn",
            CaseState::Dismissed => "dismissed",
            CaseState::Redirected => "redirected",
            CaseState::Ineligible => "ineligible",
            CaseState::Incomplete => "incomplete",
        }
    }
}

/// One route's clock as of the date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RouteStatus {
    /// The custodian id, e.g. `niph`.
    pub custodian: String,
    /// Where the route stands, the first state that applies.
    pub state: RouteState,
    /// The statutory time limit in working days, as the decision gives it.
    pub working_days: u32,
    /// The statutory due date: the decision's, or counted again from the date a
    /// reversed appeal reopened the route. `null` while the application is
    /// incomplete.
    pub due: Option<NaiveDate>,
    /// The date the route is due now: `due`, or the latest postponement's date,
    /// moved later by the days the clock stood still.
    pub due_now: Option<NaiveDate>,
    /// Working days the clock stood still while the applicant was asked.
    pub paused_days: Option<u32>,
    /// Working days after the as-of date up to and including `due_now`; 0 when past
    /// or when the route is closed.
    pub working_days_left: Option<u32>,
    /// Working days after `due_now` up to and including the as-of date, or the day
    /// the route closed; 0 when not late.
    pub overdue_by: Option<u32>,
    /// The date of the event that closed the route (for a refusal under appeal, the
    /// refusal's); `null` while it is open.
    pub closed_on: Option<NaiveDate>,
}

/// Where a route stands: the first of these that applies.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub enum RouteState {
    /// The case was withdrawn.
    #[serde(rename = "withdrawn")]
    Withdrawn,
    /// The case was dismissed.
    #[serde(rename = "dismissed")]
    Dismissed,
    /// The custodian delivered the data.
    #[serde(rename = "delivered")]
    Delivered,
    /// An appeal against the refusal was received and is not yet decided.
    #[serde(rename = "appealed")]
    Appealed,
    /// Access was refused.
    #[serde(rename = "refused")]
    Refused,
    /// Past `due_now` and not closed.
    #[serde(rename = "overdue")]
    Overdue,
    /// A question to the applicant is open.
    #[serde(rename = "waiting")]
    Waiting,
    /// A postponement applies.
    #[serde(rename = "postponed")]
    Postponed,
    /// No due date yet: the application is not complete.
    #[serde(rename = "awaiting-completion")]
    AwaitingCompletion,
    /// Being processed, on time.
    #[serde(rename = "in_progress")]
    InProgress,
}

impl RouteState {
    /// The state as written in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            RouteState::Withdrawn => "withdrawn",
            RouteState::Dismissed => "dismissed",
            RouteState::Delivered => "delivered",
            RouteState::Appealed => "appealed",
            RouteState::Refused => "refused",
            RouteState::Overdue => "overdue",
            RouteState::Waiting => "waiting",
            RouteState::Postponed => "postponed",
            RouteState::AwaitingCompletion => "awaiting-completion",
            RouteState::InProgress => "in_progress",
        }
    }

    /// Whether the route is closed in this state: delivered, refused (also under
    /// appeal), withdrawn or dismissed.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            RouteState::Withdrawn
                | RouteState::Dismissed
                | RouteState::Delivered
                | RouteState::Appealed
                | RouteState::Refused
        )
    }
}

/// Something someone must do by a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Action {
    /// What to do.
    pub code: ActionCode,
    /// The route it concerns; `null` for the whole case.
    pub route: Option<String>,
    /// The last day to do it: a working day of the national calendar, or a route's
    /// `due_now`.
    pub due: NaiveDate,
    /// Whether the as-of date is after `due`.
    pub overdue: bool,
    /// What to do and why, in words in the language of the case's application
    /// (`nb` when it has none): the message `action-<code>` of the rule set.
    pub message: String,
}

/// The kinds of action, in the order they sort on the same due date.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ActionCode {
    /// An appeal may still be received until `due` (forvaltningsloven § 29).
    AppealWindow,
    /// Deliver the route's data, or postpone with a reason, by `due`.
    DeliverOrPostpone,
    /// No answer after the reminder: dismiss the application or follow up.
    DismissOrFollowUp,
    /// Send a preliminary reply (forvaltningsloven § 11 a).
    PreliminaryReply,
    /// The reply date of a question passed: send a reminder.
    SendReminder,
}

impl ActionCode {
    /// The code as written in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionCode::AppealWindow => "appeal-window",
            ActionCode::DeliverOrPostpone => "deliver-or-postpone",
            ActionCode::DismissOrFollowUp => "dismiss-or-follow-up",
            ActionCode::PreliminaryReply => "preliminary-reply",
            ActionCode::SendReminder => "send-reminder",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(value: impl Serialize) -> String {
        serde_json::to_string(&value).unwrap_or_default()
    }

    #[test]
    fn states_and_codes_are_written_as_the_contract_spells_them() {
        assert_eq!(written(RouteState::InProgress), "\"in_progress\"");
        assert_eq!(
            written(RouteState::AwaitingCompletion),
            "\"awaiting-completion\""
        );
        assert_eq!(
            written(ActionCode::DeliverOrPostpone),
            "\"deliver-or-postpone\""
        );
        assert_eq!(written(CaseState::Incomplete), "\"incomplete\"");
        for s in [RouteState::InProgress, RouteState::AwaitingCompletion] {
            assert_eq!(written(s), format!("\"{}\"", s.as_str()));
        }
    }

    #[test]
    fn action_codes_sort_alphabetically_as_written() {
        let mut codes = [
            ActionCode::SendReminder,
            ActionCode::PreliminaryReply,
            ActionCode::DismissOrFollowUp,
            ActionCode::DeliverOrPostpone,
            ActionCode::AppealWindow,
        ];
        codes.sort();
        let written: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        let mut sorted = written.clone();
        sorted.sort();
        assert_eq!(written, sorted);
    }
}
