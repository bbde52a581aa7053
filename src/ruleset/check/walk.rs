//! The syntax-tree plumbing of the field and result checks: which function each
//! statement belongs to, and the variables in scope as a function body is read,
//! with what each is known to be.

use super::fields::{root_variable, Kind};
use super::results::{tail_expr, tail_maps, ResultKeys};
use super::{Checker, Found};
use crate::script::Stage;
use rhai::{ASTFlags, ASTNode, Expr, Position, Stmt, StmtBlock, AST};

impl Checker<'_> {
    /// Fields read from the application and its sources, and the maps a deadline
    /// function returns. Rhai hands out function bodies only through `AST::walk`,
    /// one top-level statement at a time; each statement is given to the function
    /// whose body holds its position most closely (closures are functions too).
    pub(super) fn check_fields_and_results(&self, ast: &AST, stage: Stage, found: &mut Vec<Found>) {
        let functions: Vec<FunctionSpan> = ast
            .iter_fn_def()
            .map(|f| {
                let start = place(f.body.start_position());
                let end = place(f.body.end_position());
                let is_stage =
                    f.name.as_str() == stage.name() && f.params.len() == stage.params().len();
                FunctionSpan {
                    start,
                    end: if end == (0, 0) { start } else { end },
                    env: f
                        .params
                        .iter()
                        .enumerate()
                        .map(|(i, p)| {
                            let contract = stage.params().get(i).filter(|_| is_stage);
                            let kind = match contract.copied() {
                                Some("app") => Kind::App,
                                Some("sources") => Kind::Sources,
                                _ => Kind::Other,
                            };
                            (p.to_string(), kind)
                        })
                        .collect(),
                    results: is_stage && !stage.result_keys().is_empty(),
                }
            })
            .collect();
        let top_level = ast.statements().len();
        let mut seen = 0;
        let mut current: Option<(Option<usize>, (usize, usize))> = None;
        let mut scope = Scope::new(stage, Vec::new(), false);
        ast.walk(&mut |path: &[ASTNode]| {
            let [ASTNode::Stmt(stmt)] = path else {
                return true;
            };
            let at = place(stmt.position());
            let owner = if seen < top_level {
                seen += 1;
                None
            } else if at == (0, 0) {
                // A statement with no position (nothing to check) stays where it is.
                current.and_then(|(owner, _)| owner)
            } else {
                functions
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.start <= at && at <= f.end)
                    .max_by_key(|(_, f)| f.start)
                    .map(|(i, _)| i)
            };
            let same =
                matches!(current, Some((o, last)) if o == owner && (last < at || at == (0, 0)));
            if !same {
                scope.finish(found);
                let (env, results) = match owner.and_then(|i| functions.get(i)) {
                    Some(f) => (f.env.clone(), f.results),
                    None => (Vec::new(), false),
                };
                scope = Scope::new(stage, env, results);
            }
            if at != (0, 0) {
                current = Some((owner, at));
            }
            scope.statement(stmt, found);
            scope.tail = if scope.results {
                tail_maps(stmt)
            } else {
                Vec::new()
            };
            true
        });
        scope.finish(found);
    }
}

/// A script function's body span, its parameters' kinds, and whether the maps it
/// returns are stage results.
struct FunctionSpan {
    start: (usize, usize),
    end: (usize, usize),
    env: Vec<(String, Kind)>,
    results: bool,
}

fn place(pos: Position) -> (usize, usize) {
    (pos.line().unwrap_or(0), pos.position().unwrap_or(0))
}

/// The variables in scope at a point of one function body, with what each is
/// known to be; checks field reads and, in a stage function, returned maps.
pub(super) struct Scope {
    pub(super) stage: Stage,
    env: Vec<(String, Kind)>,
    /// Whether maps returned here are the stage's result.
    results: bool,
    /// The maps the last statement seen yields, should it be the last of the body.
    pub(super) tail: Vec<ResultKeys>,
}

impl Scope {
    fn new(stage: Stage, env: Vec<(String, Kind)>, results: bool) -> Self {
        Scope {
            stage,
            env,
            results,
            tail: Vec::new(),
        }
    }

    pub(super) fn kind_of(&self, name: &str) -> Kind {
        self.env
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map_or(Kind::Other, |(_, k)| *k)
    }

    /// After an assignment or a method call that may change it, nothing is known
    /// about the variable any more.
    pub(super) fn forget(&mut self, name: &str) {
        if let Some(entry) = self.env.iter_mut().rev().find(|(n, _)| n == name) {
            entry.1 = Kind::Other;
        }
    }

    fn scoped(&mut self, found: &mut Vec<Found>, f: impl FnOnce(&mut Self, &mut Vec<Found>)) {
        let mark = self.env.len();
        f(self, found);
        self.env.truncate(mark);
    }

    pub(super) fn block(&mut self, block: &StmtBlock, found: &mut Vec<Found>) {
        self.scoped(found, |s, found| {
            for stmt in block.statements() {
                s.statement(stmt, found);
            }
        });
    }

    fn statement(&mut self, stmt: &Stmt, found: &mut Vec<Found>) {
        match stmt {
            Stmt::Var(var, ..) => {
                let kind = self.expr(&var.1, found);
                self.env.push((var.0.name.to_string(), kind));
            }
            Stmt::Assignment(assignment) => {
                let value = &assignment.1;
                let kind = self.expr(&value.rhs, found);
                match &value.lhs {
                    Expr::Variable(v, ..) => {
                        let name = v.1.as_str();
                        if let Some(entry) = self.env.iter_mut().rev().find(|(n, _)| n == name) {
                            entry.1 = if assignment.0.is_op_assignment() {
                                Kind::Other
                            } else {
                                kind
                            };
                        }
                    }
                    target => {
                        if assignment.0.is_op_assignment() {
                            // `a.b += 1` reads `a.b` first.
                            self.expr(target, found);
                        } else {
                            self.target(target, found);
                        }
                        if let Some(root) = root_variable(target) {
                            self.forget(root);
                        }
                    }
                }
            }
            Stmt::FnCall(call, _) => {
                for arg in call.args.iter() {
                    self.expr(arg, found);
                }
            }
            Stmt::Expr(e) => {
                self.expr(e, found);
            }
            Stmt::Block(block) => self.block(block, found),
            Stmt::If(flow, _) | Stmt::While(flow, _) | Stmt::Do(flow, ..) => {
                self.expr(&flow.expr, found);
                self.block(&flow.body, found);
                self.block(&flow.branch, found);
            }
            Stmt::For(for_loop, _) => {
                let (var, counter, flow) = &**for_loop;
                let items = self.expr(&flow.expr, found);
                self.scoped(found, |s, found| {
                    s.env.push((var.name.to_string(), items.element()));
                    if let Some(counter) = counter {
                        s.env.push((counter.name.to_string(), Kind::Other));
                    }
                    s.block(&flow.body, found);
                });
            }
            Stmt::Switch(switch, _) => {
                self.expr(&switch.0, found);
                for case in switch.1.expressions.iter() {
                    self.expr(&case.lhs, found);
                    self.expr(&case.rhs, found);
                }
            }
            Stmt::TryCatch(flow, _) => {
                self.block(&flow.body, found);
                self.scoped(found, |s, found| {
                    if let Expr::Variable(v, ..) = &flow.expr {
                        s.env.push((v.1.to_string(), Kind::Other));
                    }
                    s.block(&flow.branch, found);
                });
            }
            Stmt::Return(Some(value), flags, _) => {
                self.expr(value, found);
                if self.results && !flags.contains(ASTFlags::BREAK) {
                    for keys in tail_expr(value) {
                        self.check_result(&keys, found);
                    }
                }
            }
            Stmt::BreakLoop(Some(value), ..) => {
                self.expr(value, found);
            }
            _ => {}
        }
    }
}
