//! Fields read from the application and from its sources that the contract does
//! not have: what each value in a script is known to be, and the chains of
//! property reads and indexes followed from it.

use super::suggest::did_you_mean;
use super::walk::Scope;
use super::Found;
use crate::model::application::{Applicant, Project};
use crate::script::view::{SCRIPT_FIELDS, SOURCE_FIELDS};
use rhai::{ASTFlags, Expr};

/// What a value in a script is known to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Other,
    App,
    Project,
    Applicant,
    /// A list of sources: the `sources` parameter, `app.sources`.
    Sources,
    Source,
}

impl Kind {
    /// What the value is called in messages, and the fields it has (`None`: not
    /// known, e.g. `app.extra`).
    fn fields(self) -> Option<(&'static str, Vec<String>)> {
        let names = |fields: &[(&str, &str)]| fields.iter().map(|(f, _)| f.to_string()).collect();
        match self {
            Kind::App => Some(("the application (`app`)", names(SCRIPT_FIELDS))),
            Kind::Source => Some(("a source", names(SOURCE_FIELDS))),
            Kind::Project => Some(("`app.project`", serde_fields::<Project>())),
            Kind::Applicant => Some(("`app.applicant`", serde_fields::<Applicant>())),
            Kind::Other | Kind::Sources => None,
        }
    }

    fn field(self, name: &str) -> Kind {
        match (self, name) {
            (Kind::App, "project") => Kind::Project,
            (Kind::App, "applicant") => Kind::Applicant,
            (Kind::App, "sources") => Kind::Sources,
            _ => Kind::Other,
        }
    }

    pub(super) fn element(self) -> Kind {
        match self {
            Kind::Sources => Kind::Source,
            _ => Kind::Other,
        }
    }
}

/// The fields of a contract map as scripts see it: the keys of its serde form
/// (the script view converts it with serde, absent values included as `()`).
fn serde_fields<T: Default + serde::Serialize>() -> Vec<String> {
    serde_json::to_value(T::default())
        .ok()
        .and_then(|v| v.as_object().map(|o| o.keys().cloned().collect()))
        .unwrap_or_default()
}

impl Scope {
    /// Checks an expression and says what its value is known to be.
    pub(super) fn expr(&mut self, expr: &Expr, found: &mut Vec<Found>) -> Kind {
        match expr {
            Expr::Variable(v, ..) => {
                if v.2.is_empty() {
                    self.kind_of(&v.1)
                } else {
                    Kind::Other
                }
            }
            Expr::Dot(link, ..) => {
                let (root, base) = self.root(&link.lhs, found);
                self.after_dot(Chain::read(root.as_deref()), base, &link.rhs, found)
            }
            Expr::Index(link, flags, _) => {
                let (root, base) = self.root(&link.lhs, found);
                self.after_bracket(Chain::read(root.as_deref()), base, &link.rhs, *flags, found)
            }
            Expr::FnCall(call, _) | Expr::MethodCall(call, _) => {
                for arg in call.args.iter() {
                    self.expr(arg, found);
                }
                Kind::Other
            }
            Expr::Stmt(block) => {
                self.block(block, found);
                Kind::Other
            }
            Expr::InterpolatedString(items, _) | Expr::Array(items, _) => {
                for item in items.iter() {
                    self.expr(item, found);
                }
                Kind::Other
            }
            Expr::Map(map, _) => {
                for (_, value) in map.0.iter() {
                    self.expr(value, found);
                }
                Kind::Other
            }
            Expr::And(items, _) | Expr::Or(items, _) | Expr::Coalesce(items, _) => {
                for item in items.iter() {
                    self.expr(item, found);
                }
                Kind::Other
            }
            Expr::Custom(custom, _) => {
                for item in custom.inputs.iter() {
                    self.expr(item, found);
                }
                Kind::Other
            }
            _ => Kind::Other,
        }
    }

    /// The start of a chain: its variable's name, if it is one, and what it is.
    fn root(&mut self, expr: &Expr, found: &mut Vec<Found>) -> (Option<String>, Kind) {
        let kind = self.expr(expr, found);
        (root_variable(expr).map(str::to_string), kind)
    }

    /// What follows a `.`: a property, a method call, or more of the chain.
    fn after_dot(&mut self, chain: Chain, base: Kind, rhs: &Expr, found: &mut Vec<Found>) -> Kind {
        match rhs {
            Expr::Dot(link, ..) => {
                let next = self.segment(chain.root, base, &link.lhs, found);
                self.after_dot(chain, next, &link.rhs, found)
            }
            Expr::Index(link, flags, _) => {
                let next = self.segment(chain.root, base, &link.lhs, found);
                self.after_bracket(chain, next, &link.rhs, *flags, found)
            }
            // The key an assignment writes need not exist yet.
            Expr::Property(..) if chain.written => Kind::Other,
            other => self.segment(chain.root, base, other, found),
        }
    }

    /// What follows a `[`: the index alone (when the chain ends there), or the
    /// index followed by more of the chain.
    fn after_bracket(
        &mut self,
        chain: Chain,
        base: Kind,
        rhs: &Expr,
        flags: ASTFlags,
        found: &mut Vec<Found>,
    ) -> Kind {
        if flags.contains(ASTFlags::BREAK) {
            self.expr(rhs, found);
            return base.element();
        }
        match rhs {
            Expr::Dot(link, ..) => {
                self.expr(&link.lhs, found);
                self.after_dot(chain, base.element(), &link.rhs, found)
            }
            Expr::Index(link, flags, _) => {
                self.expr(&link.lhs, found);
                self.after_bracket(chain, base.element(), &link.rhs, *flags, found)
            }
            index => {
                self.expr(index, found);
                base.element()
            }
        }
    }

    /// A chain an assignment writes to: every link is read but the last.
    pub(super) fn target(&mut self, target: &Expr, found: &mut Vec<Found>) {
        let chain = |root| Chain {
            root,
            written: true,
        };
        match target {
            Expr::Dot(link, ..) => {
                let (root, base) = self.root(&link.lhs, found);
                self.after_dot(chain(root.as_deref()), base, &link.rhs, found);
            }
            Expr::Index(link, flags, _) => {
                let (root, base) = self.root(&link.lhs, found);
                self.after_bracket(chain(root.as_deref()), base, &link.rhs, *flags, found);
            }
            other => {
                self.expr(other, found);
            }
        }
    }

    /// One link of a chain after a `.`.
    fn segment(
        &mut self,
        root: Option<&str>,
        base: Kind,
        expr: &Expr,
        found: &mut Vec<Found>,
    ) -> Kind {
        match expr {
            Expr::Property(property, pos) => {
                let name = property.2.as_str();
                if let Some((what, fields)) = base.fields() {
                    if !fields.iter().any(|f| f == name) {
                        found.push((
                            *pos,
                            "unknown-field",
                            format!(
                                "{what} has no field `{name}`{} expected one of: {}",
                                did_you_mean(name, fields.iter().map(String::as_str))
                                    .replace('\'', "`"),
                                fields.join(", ")
                            ),
                        ));
                    }
                }
                base.field(name)
            }
            Expr::MethodCall(call, _) => {
                for arg in call.args.iter() {
                    self.expr(arg, found);
                }
                if base.fields().is_some() {
                    // A method on a contract map may add or remove its keys.
                    if let Some(root) = root {
                        self.forget(root);
                    }
                }
                Kind::Other
            }
            other => {
                self.expr(other, found);
                Kind::Other
            }
        }
    }
}

/// A chain of property reads and indexes being followed: the variable it starts
/// from, and whether an assignment writes its last link.
#[derive(Debug, Clone, Copy)]
struct Chain<'r> {
    root: Option<&'r str>,
    written: bool,
}

impl<'r> Chain<'r> {
    fn read(root: Option<&'r str>) -> Self {
        Chain {
            root,
            written: false,
        }
    }
}

/// The variable a chain such as `a.b[0].c` starts from.
pub(super) fn root_variable(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Variable(v, ..) if v.2.is_empty() => Some(v.1.as_str()),
        Expr::Dot(chain, ..) | Expr::Index(chain, ..) => root_variable(&chain.lhs),
        _ => None,
    }
}
