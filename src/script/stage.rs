//! The stage contract: the four stages, in the order they run, what each stage
//! function takes and what it returns. Written once here; the engine, `hds check`,
//! `hds api` and the rules guide all read it from this file.

/// The four stages, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Completeness,
    Eligibility,
    Routing,
    Deadline,
}

impl Stage {
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

    /// What the stage function returns, for the reference.
    pub fn returns(self) -> &'static str {
        match self {
            Stage::Completeness => {
                "an array of `missing(…)`, `finding(…)`, `require_attachment(…)` records"
            }
            Stage::Eligibility => {
                "an array of `finding(…)` records, or `[redirect_application(…)]`"
            }
            Stage::Routing => "an array of `route(…)`, `redirect(…)`, `finding(…)` records",
            Stage::Deadline => "a map with any of `working_days`, `reason`, `calendar`; or `()`",
        }
    }

    /// The stage function's signature as a script writes it.
    pub fn signature(self) -> String {
        format!("fn {}({})", self.name(), self.params().join(", "))
    }
}
