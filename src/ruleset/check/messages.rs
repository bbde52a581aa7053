//! The message ids a script names: the literal code of each `finding(…)`, the
//! literal item of each `missing(…)` as `missing-<item>`, and the literal value of
//! each `message:` key of a map (a deadline's `reason: #{message: "…", …}`), each
//! with the names of the arguments it is given when they are a map written out.

use super::Checker;
use rhai::{ASTNode, Expr, Position};
use std::collections::BTreeSet;

/// A message id a script names, where, and the argument names it gives (`None`
/// when they are not a map written out).
pub type MessageUse = (String, Position, Option<BTreeSet<String>>);

/// The argument names of a message argument: a map's keys (but `message`), none for
/// the rule's own words, unknown for anything else.
fn arg_names(arg: Option<&Expr>) -> Option<BTreeSet<String>> {
    match arg {
        Some(Expr::Map(map, _)) => Some(
            map.0
                .iter()
                .map(|(key, _)| key.name.to_string())
                .filter(|k| k != "message")
                .collect(),
        ),
        Some(Expr::StringConstant(..) | Expr::InterpolatedString(..)) => Some(BTreeSet::new()),
        _ => None,
    }
}

impl Checker<'_> {
    /// Every message id the script names, with where it is named and the arguments
    /// it is given; nothing when the script does not parse (its syntax error is
    /// reported by [`Checker::check`]).
    pub fn message_ids(&self, text: &str) -> Vec<MessageUse> {
        let Ok(ast) = self.parser.compile(text) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        ast.walk(&mut |nodes: &[ASTNode]| {
            match nodes.last() {
                Some(ASTNode::Expr(Expr::FnCall(call, _))) => {
                    // A map naming its own `message` is counted as that message below.
                    let names_its_own = matches!(call.args.last(), Some(Expr::Map(map, _))
                        if map.0.iter().any(|(key, _)| key.name == "message"));
                    if let (Some(Expr::StringConstant(value, at)), false) =
                        (call.args.first(), names_its_own)
                    {
                        let args = arg_names(call.args.last());
                        match call.name.as_str() {
                            "finding" => out.push((value.to_string(), *at, args)),
                            "missing" => out.push((format!("missing-{value}"), *at, args)),
                            _ => {}
                        }
                    }
                }
                Some(ASTNode::Expr(map @ Expr::Map(entries, _))) => {
                    for (key, value) in &entries.0 {
                        if let ("message", Expr::StringConstant(id, at)) =
                            (key.name.as_str(), value)
                        {
                            out.push((id.to_string(), *at, arg_names(Some(map))));
                        }
                    }
                }
                _ => {}
            }
            true
        });
        out
    }
}
