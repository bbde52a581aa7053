//! The stage contract: the four stages, in the order they run, what each stage
//! function takes and what it returns. Written once here; the engine, `hds check`,
//! `hds api` and the rules guide all read it from this file.

/// The four stages, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Is everything required there? Runs first.
    Completeness,
    /// May each source be used for the stated purpose?
    Eligibility,
    /// Which custodian processes each source, or where it goes instead.
    Routing,
    /// How many working days each route has, in which calendar.
    Deadline,
}

impl Stage {
    /// Every stage, in the order they run.
    pub const ALL: [Stage; 4] = [
        Stage::Completeness,
        Stage::Eligibility,
        Stage::Routing,
        Stage::Deadline,
    ];

    /// The stage's name, which is also its file name and its function's name.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Completeness => "completeness",
            Stage::Eligibility => "eligibility",
            Stage::Routing => "routing",
            Stage::Deadline => "deadline",
        }
    }

    /// The parameters the stage function takes.
    pub fn params(self) -> &'static [&'static str] {
        match self {
            Stage::Deadline => &["app", "route"],
            _ => &["app", "sources"],
        }
    }

    /// The record helpers whose records this stage takes (all but the deadline
    /// stage return an array of records).
    pub fn records(self) -> &'static [&'static str] {
        match self {
            Stage::Completeness => &["missing", "finding", "require_attachment"],
            Stage::Eligibility => &["finding", "redirect_application", "redirect"],
            Stage::Routing => &["route", "redirect", "redirect_application", "finding"],
            Stage::Deadline => &[],
        }
    }

    /// The keys of the map the deadline stage returns; none for the other stages.
    pub fn result_keys(self) -> &'static [&'static str] {
        match self {
            Stage::Deadline => &["working_days", "reason", "calendar"],
            _ => &[],
        }
    }

    /// What the stage function returns, for the reference.
    pub fn returns(self) -> String {
        if self == Stage::Deadline {
            let keys: Vec<String> = self
                .result_keys()
                .iter()
                .map(|k| format!("`{k}`"))
                .collect();
            return format!("a map with any of {}; or `()`", keys.join(", "));
        }
        let helpers: Vec<String> = self.records().iter().map(|r| format!("`{r}(…)`")).collect();
        format!("an array of {} records", helpers.join(", "))
    }

    /// The stage function's signature as a script writes it.
    pub fn signature(self) -> String {
        format!("fn {}({})", self.name(), self.params().join(", "))
    }
}
