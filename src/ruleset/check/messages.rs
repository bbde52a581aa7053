//! The message ids a script names: the literal code of each `finding(…)`, the
//! literal item of each `missing(…)` as `missing-<item>`, and the literal value of
//! each `message:` key of a map (a deadline's `reason: #{message: "…", …}`).

use super::Checker;
use rhai::{ASTNode, Expr, Position};

impl Checker<'_> {
    /// Every message id the script names, with where it is named; nothing when the
    /// script does not parse (its syntax error is reported by [`Checker::check`]).
    pub fn message_ids(&self, text: &str) -> Vec<(String, Position)> {
        let Ok(ast) = self.parser.compile(text) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        ast.walk(&mut |nodes: &[ASTNode]| {
            match nodes.last() {
                Some(ASTNode::Expr(Expr::FnCall(call, _))) => {
                    if let Some(Expr::StringConstant(value, at)) = call.args.first() {
                        match call.name.as_str() {
                            "finding" => out.push((value.to_string(), *at)),
                            "missing" => out.push((format!("missing-{value}"), *at)),
                            _ => {}
                        }
                    }
                }
                Some(ASTNode::Expr(Expr::Map(map, _))) => {
                    for (key, value) in &map.0 {
                        if let ("message", Expr::StringConstant(id, at)) =
                            (key.name.as_str(), value)
                        {
                            out.push((id.to_string(), *at));
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
