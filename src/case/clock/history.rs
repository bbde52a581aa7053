//! What happened to each route and to the case, event by event up to the as-of
//! date: deliveries, refusals, withdrawal and dismissal close routes; appeals hold
//! them closed until decided, and a reversed decision reopens them; postponements
//! move their dates. An event with nothing to act on (a delivery to a closed route,
//! an appeal with nothing to appeal) is noted and changes nothing.

use super::{dates, Clock, Dated};
use crate::model::case::{AppealOutcome, EventKind};
use crate::model::error_record::ErrorRecord;
use chrono::NaiveDate;

/// What closed a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ClosedBy {
    Delivered,
    Refused,
    Withdrawn,
    Dismissed,
}

/// The event that closed a route.
#[derive(Debug, Clone, Copy)]
pub(super) struct Closure {
    pub by: ClosedBy,
    /// The date of the closing event.
    pub on: NaiveDate,
    /// Whether the closing event named the route (a refusal without `route`
    /// refuses every route).
    pub named: bool,
}

/// A postponement of a route's due date.
#[derive(Debug, Clone, Copy)]
pub(super) struct Postponement {
    pub index: usize,
    pub day: NaiveDate,
    pub until: NaiveDate,
}

/// An appeal received, with the last day it could be received.
#[derive(Debug, Clone)]
pub(super) struct Appeal {
    pub index: usize,
    pub day: NaiveDate,
    /// The route whose refusal it appeals; `None` for the dismissal.
    pub route: Option<String>,
    pub last_day: NaiveDate,
}

/// One route's past.
#[derive(Debug, Clone)]
pub(super) struct RoutePast {
    pub custodian: String,
    /// What closed it, unless a reversed appeal reopened it since.
    pub closure: Option<Closure>,
    /// An appeal against its refusal, received and not yet decided.
    pub pending_appeal: bool,
    /// An appeal was received since it was last closed.
    pub appealed: bool,
    /// The date a reversed appeal last reopened it.
    pub reopened_on: Option<NaiveDate>,
    /// Its postponements, in event order (none dated before a restart).
    pub postponements: Vec<Postponement>,
}

/// The case's past as of the date.
#[derive(Debug, Clone)]
pub(super) struct History {
    /// One per route of the application in force, in the decision's order.
    pub routes: Vec<RoutePast>,
    pub withdrawn: Option<NaiveDate>,
    /// The dismissal in force: its date; cleared by a reversed appeal.
    pub dismissed: Option<NaiveDate>,
    /// An appeal against the dismissal, received and not yet decided.
    pub dismissal_appeal_pending: bool,
    /// An appeal against the dismissal in force was received.
    pub dismissal_appealed: bool,
    /// A `preliminary_reply_sent` or `postponed` event (since the restart).
    pub preliminary_reply: bool,
    /// Every appeal received, for `appeal-late`.
    pub appeals: Vec<Appeal>,
    /// Events that had nothing to act on: (position, route, why), `why` a word of
    /// message `event-ignored` (`route-closed`, `already-withdrawn`, …).
    pub ignored: Vec<(usize, Option<String>, String)>,
}

impl History {
    /// Replays `events` (in date order, none after the as-of date) on the routes
    /// `route_ids`; postponements and preliminary replies dated before `restart`
    /// no longer count.
    pub fn replay(
        clock: &Clock<'_>,
        events: &[Dated<'_>],
        route_ids: &[&str],
        restart: Option<NaiveDate>,
    ) -> Result<History, ErrorRecord> {
        let mut h = History {
            routes: route_ids
                .iter()
                .map(|c| RoutePast {
                    custodian: c.to_string(),
                    closure: None,
                    pending_appeal: false,
                    appealed: false,
                    reopened_on: None,
                    postponements: Vec::new(),
                })
                .collect(),
            withdrawn: None,
            dismissed: None,
            dismissal_appeal_pending: false,
            dismissal_appealed: false,
            preliminary_reply: false,
            appeals: Vec::new(),
            ignored: Vec::new(),
        };
        let counts = |day: NaiveDate| restart.is_none_or(|r| day >= r);
        for e in events {
            let route = e.event.route();
            let named = route.is_some();
            match &e.event.what {
                EventKind::Delivered { .. } | EventKind::Refused { .. } => {
                    let by = if matches!(e.event.what, EventKind::Delivered { .. }) {
                        ClosedBy::Delivered
                    } else {
                        ClosedBy::Refused
                    };
                    let mut closed = false;
                    for r in h.targets(route).filter(|r| r.closure.is_none()) {
                        r.close(by, e.day, named);
                        closed = true;
                    }
                    if !closed {
                        h.ignore_for_route(e, route);
                    }
                }
                EventKind::Withdrawn {} => {
                    if h.withdrawn.is_some() {
                        h.ignore(e, None, "already-withdrawn");
                        continue;
                    }
                    h.withdrawn = Some(e.day);
                    h.close_open(ClosedBy::Withdrawn, e.day);
                }
                EventKind::Dismissed { .. } => {
                    if h.dismissed.is_some() {
                        h.ignore(e, None, "already-dismissed");
                        continue;
                    }
                    h.dismissed = Some(e.day);
                    h.dismissal_appealed = false;
                    h.close_open(ClosedBy::Dismissed, e.day);
                }
                EventKind::AppealReceived { .. } => h.appeal(clock, e, route)?,
                EventKind::AppealDecided { outcome, .. } => h.decide(e, route, *outcome),
                EventKind::Postponed { until, .. } if counts(e.day) => {
                    h.preliminary_reply = true;
                    // A closed route has no deadline left to move.
                    let mut moved = false;
                    for r in h.targets(route).filter(|r| r.closure.is_none()) {
                        r.postponements.push(Postponement {
                            index: e.index,
                            day: e.day,
                            until: *until,
                        });
                        moved = true;
                    }
                    if !moved {
                        h.ignore_for_route(e, route);
                    }
                }
                EventKind::PreliminaryReplySent { .. } if counts(e.day) => {
                    h.preliminary_reply = true;
                }
                _ => {}
            }
        }
        Ok(h)
    }

    /// The routes an event concerns: the one it names, else every route.
    fn targets<'s>(
        &'s mut self,
        route: Option<&'s str>,
    ) -> impl Iterator<Item = &'s mut RoutePast> {
        self.routes
            .iter_mut()
            .filter(move |r| route.is_none_or(|name| r.custodian == name))
    }

    fn close_open(&mut self, by: ClosedBy, day: NaiveDate) {
        for r in self.routes.iter_mut().filter(|r| r.closure.is_none()) {
            r.close(by, day, false);
        }
    }

    /// An event for a route that found no open route: it is gone, or closed.
    fn ignore_for_route(&mut self, e: &Dated<'_>, route: Option<&str>) {
        let why = match route {
            Some(r) if !self.routes.iter().any(|p| p.custodian == r) => "route-gone",
            _ => "route-closed",
        };
        self.ignore(e, route, why);
    }

    fn ignore(&mut self, e: &Dated<'_>, route: Option<&str>, why: &str) {
        self.ignored
            .push((e.index, route.map(str::to_string), why.to_string()));
    }

    /// An appeal: against the dismissal in force (no route, or a route the
    /// dismissal closed) and against each refusal it concerns not yet appealed.
    fn appeal(
        &mut self,
        clock: &Clock<'_>,
        e: &Dated<'_>,
        route: Option<&str>,
    ) -> Result<(), ErrorRecord> {
        let weeks = clock.policy.appeal_weeks;
        let mut appealed = false;
        let against_dismissal = match route {
            None => true,
            Some(name) => self.routes.iter().any(|r| {
                r.custodian == name && r.closure.is_some_and(|c| c.by == ClosedBy::Dismissed)
            }),
        };
        if let Some(dismissed) = self.dismissed.filter(|_| against_dismissal) {
            if !self.dismissal_appealed {
                let last_day = clock.dated(dates::weeks_after(clock.national, dismissed, weeks))?;
                self.dismissal_appealed = true;
                self.dismissal_appeal_pending = true;
                self.appeals.push(Appeal {
                    index: e.index,
                    day: e.day,
                    route: None,
                    last_day,
                });
                appealed = true;
            }
        }
        let mut refusals = Vec::new();
        for r in self.targets(route) {
            if let Some(c) = r
                .closure
                .filter(|c| c.by == ClosedBy::Refused && !r.appealed)
            {
                r.appealed = true;
                r.pending_appeal = true;
                refusals.push((r.custodian.clone(), c.on));
            }
        }
        for (custodian, refused_on) in refusals {
            let last_day = clock.dated(dates::weeks_after(clock.national, refused_on, weeks))?;
            self.appeals.push(Appeal {
                index: e.index,
                day: e.day,
                route: Some(custodian),
                last_day,
            });
            appealed = true;
        }
        if !appealed {
            self.ignore(e, route, "nothing-to-appeal");
        }
        Ok(())
    }

    /// An appeal decided: `reversed` reopens the refused route(s), or the case and
    /// every route the dismissal closed.
    fn decide(&mut self, e: &Dated<'_>, route: Option<&str>, outcome: AppealOutcome) {
        let reversed = outcome == AppealOutcome::Reversed;
        let mut decided = false;
        let against_dismissal = match route {
            None => true,
            Some(name) => self.routes.iter().any(|r| {
                r.custodian == name && r.closure.is_some_and(|c| c.by == ClosedBy::Dismissed)
            }),
        };
        if against_dismissal && self.dismissal_appeal_pending {
            self.dismissal_appeal_pending = false;
            decided = true;
            if reversed {
                self.dismissed = None;
                self.dismissal_appealed = false;
                for r in self.routes.iter_mut() {
                    if r.closure.is_some_and(|c| c.by == ClosedBy::Dismissed) {
                        r.reopen(e.day);
                    }
                }
            }
        }
        for r in self.targets(route).filter(|r| r.pending_appeal) {
            r.pending_appeal = false;
            decided = true;
            if reversed {
                r.reopen(e.day);
            }
        }
        if !decided {
            self.ignore(e, route, "no-appeal-pending");
        }
    }
}

impl RoutePast {
    fn close(&mut self, by: ClosedBy, on: NaiveDate, named: bool) {
        self.closure = Some(Closure { by, on, named });
        self.appealed = false;
        self.pending_appeal = false;
    }

    fn reopen(&mut self, on: NaiveDate) {
        self.closure = None;
        self.appealed = false;
        self.pending_appeal = false;
        self.reopened_on = Some(on);
    }

    /// The postponements that count: none dated before the route reopened.
    pub fn postponements_in_force(&self) -> impl Iterator<Item = &Postponement> {
        self.postponements
            .iter()
            .filter(|p| self.reopened_on.is_none_or(|r| p.day >= r))
    }
}
