//! The keys a stage function's result may carry: the map literals a deadline
//! function returns, by `return` or as the last statement of its body.

use super::suggest::did_you_mean;
use super::walk::Scope;
use super::Found;
use rhai::{Expr, Position, Stmt, StmtBlock};

/// The keys of a map literal a stage function returns, with their positions.
pub(super) type ResultKeys = Vec<(String, Position)>;

/// The map literals a statement yields when it is the last of a function body.
pub(super) fn tail_maps(stmt: &Stmt) -> Vec<ResultKeys> {
    match stmt {
        Stmt::Expr(e) => tail_expr(e),
        Stmt::Block(block) => tail_block(block),
        Stmt::If(flow, _) => {
            let mut out = tail_block(&flow.body);
            out.extend(tail_block(&flow.branch));
            out
        }
        Stmt::Switch(switch, _) => switch
            .1
            .expressions
            .iter()
            .flat_map(|case| tail_expr(&case.rhs))
            .collect(),
        _ => Vec::new(),
    }
}

fn tail_block(block: &StmtBlock) -> Vec<ResultKeys> {
    block.statements().last().map(tail_maps).unwrap_or_default()
}

pub(super) fn tail_expr(expr: &Expr) -> Vec<ResultKeys> {
    match expr {
        Expr::Map(map, _) => vec![map
            .0
            .iter()
            .map(|(key, _)| (key.name.to_string(), key.pos))
            .collect()],
        Expr::Stmt(block) => tail_block(block),
        _ => Vec::new(),
    }
}

impl Scope {
    /// The function body ended: its last statement's maps are results.
    pub(super) fn finish(&mut self, found: &mut Vec<Found>) {
        for keys in std::mem::take(&mut self.tail) {
            self.check_result(&keys, found);
        }
    }

    pub(super) fn check_result(&self, keys: &ResultKeys, found: &mut Vec<Found>) {
        let allowed = self.stage.result_keys();
        for (key, pos) in keys {
            if !allowed.contains(&key.as_str()) {
                found.push((
                    *pos,
                    "unknown-result-key",
                    format!(
                        "`{}` returns a map with key `{key}`, which the {} stage does not know{} expected any of: {}",
                        self.stage.signature(),
                        self.stage.name(),
                        did_you_mean(key, allowed.iter().copied()).replace('\'', "`"),
                        allowed.join(", ")
                    ),
                ));
            }
        }
    }
}
