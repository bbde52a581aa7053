//! The static checks of rule scripts, made on their syntax trees when a rule set
//! loads (and so by `hds check`): calls to functions that nobody defines, or with a
//! number of arguments no overload of the function takes; literal helper arguments
//! that name something that does not exist (a setting, calendar, custodian,
//! attachment kind or finding severity); fields of the application and of its
//! sources that the contract does not have; and keys a deadline result may not
//! carry. Each problem is an error placed at its node's line and column.
//!
//! Scripts are parsed again here without optimisation, so that every node stays
//! where it was written (the optimiser folds constant maps and removes dead code).
//!
//! [`Checker`] is the entry point; each kind of check has its file: `functions.rs`
//! (unknown functions and calls with a number of arguments no overload takes),
//! `suggest.rs` (the did-you-mean every message offers), `arguments.rs`
//! (literal helper arguments), `fields.rs` (fields of the application and of its
//! sources), `results.rs` (the keys a deadline result may carry) and `walk.rs` (the
//! syntax-tree plumbing: the function each statement belongs to, and the variables
//! in scope).
//!
//! May use: `script` (the sandbox, the stage contract, the fields scripts see),
//! `model`, `catalog`, `calendar`, `error` and the rule set's settings; Rhai's syntax
//! tree, never its dynamic values.

mod arguments;
mod fields;
mod functions;
mod messages;
mod results;
pub(super) mod suggest;
mod walk;

use crate::calendar::CalendarSet;
use crate::catalog::Catalog;
use crate::error::Diagnostic;
use crate::ruleset::settings::Settings;
use crate::script::{sandboxed_engine, Limits, Stage};
use rhai::{Engine, OptimizationLevel, Position};

/// What the literal arguments of helpers are checked against; `None` where that
/// file did not load (its own errors are reported instead).
#[derive(Debug, Clone, Copy, Default)]
pub struct Vocabularies<'a> {
    /// settings.yaml: the paths `setting("…")` and `setting_on("…", date)` may
    /// name.
    pub settings: Option<&'a Settings>,
    /// The calendars a `calendar` argument may name.
    pub calendars: Option<&'a CalendarSet>,
    /// The catalog, whose custodians a `custodian` argument may name.
    pub catalog: Option<&'a Catalog>,
}

/// Checks rule scripts against the engine they run in and the rule set's data.
pub struct Checker<'a> {
    /// The sandbox's parser, without optimisation.
    parser: Engine,
    functions: functions::EngineFunctions,
    vocabularies: Vocabularies<'a>,
}

/// A problem found, before it is placed in a file.
/// A problem found in a script: where, its stable code, and the message.
type Found = (Position, &'static str, String);

impl<'a> Checker<'a> {
    /// A checker for scripts run by `engine` (whose functions are the known ones).
    pub fn new(engine: &Engine, limits: &Limits, vocabularies: Vocabularies<'a>) -> Self {
        let mut parser = sandboxed_engine(limits);
        parser.set_optimization_level(OptimizationLevel::None);
        Checker {
            parser,
            functions: functions::EngineFunctions::of(engine),
            vocabularies,
        }
    }

    /// Every problem of one stage script, in the order of their positions.
    pub fn check(&self, stage: Stage, display: &str, text: &str) -> Vec<Diagnostic> {
        let ast = match self.parser.compile(text) {
            Ok(ast) => ast,
            Err(e) => {
                let pos = e.position();
                return vec![Diagnostic::error(display, e.err_type().to_string())
                    .at(pos.line(), pos.position())
                    .with_code("rule-syntax")];
            }
        };
        let mut found = Vec::new();
        self.check_calls(&ast, stage, &mut found);
        self.check_fields_and_results(&ast, stage, &mut found);
        let mut placed: Vec<(usize, usize, String, &'static str)> = found
            .into_iter()
            .map(|(pos, code, message)| {
                (
                    pos.line().unwrap_or(0),
                    pos.position().unwrap_or(0),
                    message,
                    code,
                )
            })
            .collect();
        placed.sort();
        placed.dedup();
        placed
            .into_iter()
            .map(|(line, column, message, code)| {
                Diagnostic::error(display, message)
                    .at((line > 0).then_some(line), (column > 0).then_some(column))
                    .with_code(code)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
