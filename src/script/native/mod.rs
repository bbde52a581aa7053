//! The compiled tier: rule functions turned, once at load, from Rhai's syntax tree
//! into Rust closures, which run a stage call without Rhai's interpreter (no
//! function lookup by hash, no scope search by name, variables in numbered slots,
//! helpers called directly).
//!
//! It is an accelerator with Rhai as the reference. A function is compiled only
//! when everything in it is something this tier does exactly as Rhai does
//! (statements, operators and functions of [`ops`] and the helpers of
//! [`crate::script::helpers::direct`]); anything else leaves that function to Rhai.
//! And a compiled call that meets anything it does not handle the plain way (a
//! value of another type, an overflow, a missing field, a helper's error, or more
//! operations, time or memory than a fraction of the call's budget) gives up
//! ([`Bail`]), and the caller runs the same call on Rhai from the start: stage
//! functions read their arguments and return a value, so nothing is left behind
//! but the settings lookups noted for the trace, which the caller rolls back. So
//! every error, with its words and position, is Rhai's own.

mod ops;

use super::frozen::{Frozen, SHAPES};
use super::helpers::direct::{direct, Arg, Direct};
use super::helpers::{DatedSetting, RuleData};
use rhai::{ASTFlags, ASTNode, Array, Dynamic, Expr, FnCallExpr, ImmutableString, Stmt, AST};
use smallvec::SmallVec;
use std::collections::HashMap;
use std::time::Instant;

/// Why a compiled call gave the call back to Rhai (the reason is for logs and
/// tests; the outcome is the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bail(pub &'static str);

/// How control leaves a statement other than by finishing it.
enum Flow {
    /// Give the call back to Rhai.
    Bail(&'static str),
    /// `return`.
    Return(Dynamic),
    /// `break`.
    Break,
    /// `continue`.
    Continue,
}

type Run = Result<Dynamic, Flow>;
type Code = Box<dyn Fn(&mut Cx<'_>, &mut [Dynamic]) -> Run + Send + Sync>;

/// Code that does nothing and gives `()`.
fn unit_code() -> Code {
    Box::new(|_, _| Ok(Dynamic::UNIT))
}

/// Lets go of a statement's value: `()`, the value of most statements, holds
/// nothing to free, so it is not dropped.
#[inline]
fn discard(v: Dynamic) {
    if !v.is_shared() && v.is_unit() {
        std::mem::forget(v);
    }
}

/// What one turn of a loop's body means for the loop: `Ok(true)` to go on (it
/// finished, or `continue`), `Ok(false)` to stop (`break`), or how control leaves
/// the loop (`return`, or giving the call back to Rhai).
fn go_on(turn: Run) -> Result<bool, Flow> {
    match turn {
        Ok(v) => {
            discard(v);
            Ok(true)
        }
        Err(Flow::Continue) => Ok(true),
        Err(Flow::Break) => Ok(false),
        Err(other) => Err(other),
    }
}

/// `Some(v)` as a value; `None` gives the call back to Rhai.
fn or_bail(value: Option<Dynamic>, why: &'static str) -> Run {
    value.ok_or(Flow::Bail(why))
}

/// One compiled function.
struct Function {
    /// Its parameters come first among its slots.
    params: usize,
    /// Parameters and every local variable.
    slots: usize,
    body: Code,
}

/// What a compiled call may use and has used.
pub struct Budget {
    /// Operations (statements, expressions, loop turns) before giving up.
    pub max_operations: u64,
    /// How deep calls may nest before giving up.
    pub max_depth: usize,
    /// When the call gives up for time.
    pub deadline: Instant,
    /// The thread's allocation count at which the call gives up for memory.
    pub memory_ceiling: i64,
}

/// The state of one compiled call.
struct Cx<'a> {
    data: &'a RuleData,
    native: &'a Native,
    budget: &'a Budget,
    operations: u64,
    depth: usize,
}

impl Cx<'_> {
    /// Counts one operation and checks memory (as Rhai's sandbox does after every
    /// operation: one doubling of a text can take much); the clock every 256.
    #[inline]
    fn tick(&mut self) -> Result<(), Flow> {
        self.operations += 1;
        if self.operations > self.budget.max_operations {
            return Err(Flow::Bail("operations"));
        }
        if super::memory::net_allocated() > self.budget.memory_ceiling {
            return Err(Flow::Bail("memory"));
        }
        if self.operations.is_multiple_of(256) && Instant::now() >= self.budget.deadline {
            return Err(Flow::Bail("time"));
        }
        Ok(())
    }
}

/// The compiled functions of one rule file.
#[derive(Default)]
pub struct Native {
    functions: Vec<Option<Function>>,
    /// Each function's name and arity, in the order of `functions`.
    names: Vec<(ImmutableString, usize)>,
    /// (name, arity) → index in `functions`, for compiling calls.
    index: HashMap<(String, usize), usize>,
    /// Why each function left to Rhai is, by name and arity, in name order.
    refused: Vec<(String, usize, String)>,
}

impl std::fmt::Debug for Native {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Native")
            .field("compiled", &self.compiled().collect::<Vec<_>>())
            .field("refused", &self.refused)
            .finish()
    }
}

impl Native {
    /// Compiles every function of `ast` it can; `data` is the rule set's data,
    /// whose settings and vocabulary do not change while it is loaded.
    pub fn compile(ast: &AST, data: &RuleData) -> Native {
        let defs: Vec<_> = ast.iter_fn_def().collect();
        let mut native = Native::default();
        for (i, f) in defs.iter().enumerate() {
            native.index.insert((f.name.to_string(), f.params.len()), i);
            native.names.push((f.name.clone(), f.params.len()));
        }
        let Some(bodies) = bodies(ast, &defs) else {
            native.refused = defs
                .iter()
                .map(|f| {
                    let why = "a statement of the script could not be placed in its function";
                    (f.name.to_string(), f.params.len(), why.to_string())
                })
                .collect();
            native.refused.sort();
            native.functions = defs.iter().map(|_| None).collect();
            return native;
        };
        let mut functions = Vec::with_capacity(defs.len());
        for (f, body) in defs.iter().zip(bodies) {
            let mut scope = Scope::default();
            for p in &f.params {
                scope.declare(p.clone());
            }
            let compiled = Compiler {
                index: &native.index,
                data,
                written: Default::default(),
            }
            .body(&body, &mut scope);
            match compiled {
                Ok(code) => functions.push(Some(Function {
                    params: f.params.len(),
                    slots: scope.most,
                    body: code,
                })),
                Err(why) => {
                    native
                        .refused
                        .push((f.name.to_string(), f.params.len(), why));
                    functions.push(None);
                }
            }
        }
        native.functions = functions;
        native.refused.sort();
        native
    }

    /// The name and arity of every compiled function.
    pub fn compiled(&self) -> impl Iterator<Item = (&str, usize)> {
        self.index
            .iter()
            .filter(|(_, i)| self.functions.get(**i).is_some_and(Option::is_some))
            .map(|((name, arity), _)| (name.as_str(), *arity))
    }

    /// Why each function left to Rhai is: name, arity and the reason.
    pub fn refused(&self) -> &[(String, usize, String)] {
        &self.refused
    }

    /// The index of function `name` taking `arity` arguments.
    fn find(&self, name: &str, arity: usize) -> Option<usize> {
        self.names
            .iter()
            .position(|(n, a)| *a == arity && n.as_str() == name)
    }

    /// Whether function `name` taking `arity` arguments is compiled.
    pub fn has(&self, name: &str, arity: usize) -> bool {
        self.find(name, arity)
            .is_some_and(|i| self.functions.get(i).is_some_and(Option::is_some))
    }

    /// Calls function `name` with `args`; `Err` gives the call back to Rhai.
    pub fn call(
        &self,
        data: &RuleData,
        budget: &Budget,
        name: &str,
        args: Vec<Dynamic>,
    ) -> Result<Dynamic, Bail> {
        let Some(i) = self.find(name, args.len()) else {
            return Err(Bail("no such function"));
        };
        let mut cx = Cx {
            data,
            native: self,
            budget,
            operations: 0,
            depth: 0,
        };
        match invoke(&mut cx, i, args) {
            Ok(v) => Ok(v),
            Err(Flow::Bail(why)) => Err(Bail(why)),
            Err(_) => Err(Bail("break or continue outside a loop")),
        }
    }
}

/// Runs function `i` with `args`.
fn invoke(cx: &mut Cx<'_>, i: usize, args: Vec<Dynamic>) -> Run {
    let native = cx.native;
    let Some(Some(f)) = native.functions.get(i) else {
        return Err(Flow::Bail("function not compiled"));
    };
    if args.len() != f.params {
        return Err(Flow::Bail("arity"));
    }
    if cx.depth >= cx.budget.max_depth {
        return Err(Flow::Bail("depth"));
    }
    cx.tick()?;
    let mut slots = args;
    slots.resize(f.slots.max(f.params), Dynamic::UNIT);
    cx.depth += 1;
    let result = (f.body)(cx, &mut slots);
    cx.depth -= 1;
    match result {
        Ok(v) | Err(Flow::Return(v)) => Ok(v),
        Err(Flow::Break | Flow::Continue) => Err(Flow::Bail("break or continue outside a loop")),
        Err(bail) => Err(bail),
    }
}

/// The top-level statements of each function's body, in the order of `defs`:
/// Rhai walks every function's body after the script's own statements, and a
/// statement belongs to the innermost function whose text holds it. `None` when
/// a statement could not be placed so (one without a position): compiling from
/// an incomplete body would change what a function does.
fn bodies(ast: &AST, defs: &[&rhai::Shared<rhai::ScriptFuncDef>]) -> Option<Vec<Vec<Stmt>>> {
    let at = |p: rhai::Position| (p.line().unwrap_or(0), p.position().unwrap_or(0));
    let ranges: Vec<_> = defs
        .iter()
        .map(|f| (at(f.body.start_position()), at(f.body.end_position())))
        .collect();
    let mut out: Vec<Vec<Stmt>> = vec![Vec::new(); defs.len()];
    let mut outside = 0usize;
    ast.walk(&mut |path: &[ASTNode]| {
        if let [ASTNode::Stmt(stmt)] = path {
            let p = at(stmt.position());
            let owner = ranges
                .iter()
                .enumerate()
                .filter(|(_, (start, end))| *start <= p && p <= *end)
                .min_by_key(|(_, (start, end))| (end.0 - start.0, end.1.abs_diff(start.1)))
                .map(|(i, _)| i);
            match owner {
                Some(i) => out[i].push((*stmt).clone()),
                None => outside += 1,
            }
        }
        true
    });
    // Every statement outside the functions must be one of the script's own.
    (outside == ast.statements().len()).then_some(out)
}

/// The variables in sight while compiling: each name's slot, innermost last.
#[derive(Default)]
struct Scope {
    names: Vec<(ImmutableString, usize)>,
    /// The slots in use now.
    used: usize,
    /// The most slots ever in use: the frame size.
    most: usize,
}

impl Scope {
    fn declare(&mut self, name: ImmutableString) -> usize {
        let slot = self.used;
        self.names.push((name, slot));
        self.used += 1;
        self.most = self.most.max(self.used);
        slot
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.names
            .iter()
            .rev()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, s)| *s)
    }

    /// Runs `f` in a nested block: names declared inside go out of sight after.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Scope) -> T) -> T {
        let (names, used) = (self.names.len(), self.used);
        let out = f(self);
        self.names.truncate(names);
        self.used = used;
        out
    }
}

type Compiled = Result<Code, String>;

struct Compiler<'a> {
    index: &'a HashMap<(String, usize), usize>,
    data: &'a RuleData,
    /// Every slot the code compiled so far writes to (assigns, or changes in
    /// place), in the order met: a loop over a variable its body never writes can
    /// read the items in place instead of iterating over a copy.
    written: std::cell::RefCell<Vec<usize>>,
}

impl Compiler<'_> {
    /// A function's body. Its frame ends with the call, so a variable it gives
    /// back as its last expression is moved out rather than copied.
    fn body(&self, stmts: &[Stmt], scope: &mut Scope) -> Compiled {
        let (last, init) = match stmts.split_last() {
            Some((Stmt::Expr(e), init)) if matches!(**e, Expr::Variable(..)) => (Some(e), init),
            _ => (None, stmts),
        };
        let Some(last) = last else {
            return self.block(&stmts.iter().collect::<Vec<_>>(), scope);
        };
        scope.nested(|scope| {
            let init = self.sequence(&init.iter().collect::<Vec<_>>(), scope)?;
            let Expr::Variable(v, _, _) = &**last else {
                return Err("a variable".to_string());
            };
            let slot = self.variable(v, scope)?;
            Ok(Box::new(move |cx: &mut Cx<'_>, f: &mut [Dynamic]| {
                let _ = init(cx, f)?;
                Ok(std::mem::take(&mut f[slot]))
            }) as Code)
        })
    }

    /// A block of statements: its value is that of the last one.
    fn block(&self, stmts: &[&Stmt], scope: &mut Scope) -> Compiled {
        scope.nested(|scope| self.sequence(stmts, scope))
    }

    /// Statements in the current block, its names staying in sight after.
    fn sequence(&self, stmts: &[&Stmt], scope: &mut Scope) -> Compiled {
        let codes = stmts
            .iter()
            .map(|s| self.stmt(s, scope))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(match codes.len() {
            0 => unit_code(),
            1 => codes.into_iter().next().unwrap_or_else(unit_code),
            _ => Box::new(move |cx, f| {
                let (last, init) = codes.split_last().ok_or(Flow::Bail("no statements"))?;
                for c in init {
                    discard(c(cx, f)?);
                }
                last(cx, f)
            }),
        })
    }

    fn stmt_block(&self, block: &rhai::StmtBlock, scope: &mut Scope) -> Compiled {
        let stmts: Vec<&Stmt> = block.iter().collect();
        self.block(&stmts, scope)
    }

    fn stmt(&self, stmt: &Stmt, scope: &mut Scope) -> Compiled {
        match stmt {
            Stmt::Noop(_) => Ok(unit_code()),
            Stmt::Expr(e) => self.expr(e, scope),
            Stmt::FnCall(call, _) => self.call(call, scope),
            Stmt::Block(b) => self.stmt_block(b, scope),
            Stmt::Var(x, _, _) => {
                let (ident, value, _) = &**x;
                let value = self.expr(value, scope)?;
                let slot = scope.declare(ident.name.clone());
                Ok(Box::new(move |cx, f| {
                    cx.tick()?;
                    f[slot] = value(cx, f)?;
                    Ok(Dynamic::UNIT)
                }))
            }
            Stmt::If(x, _) => {
                let cond = self.expr(&x.expr, scope)?;
                let then = self.stmt_block(&x.body, scope)?;
                let otherwise = self.stmt_block(&x.branch, scope)?;
                Ok(Box::new(move |cx, f| {
                    cx.tick()?;
                    match cond(cx, f)?.as_bool() {
                        Ok(true) => then(cx, f),
                        Ok(false) => otherwise(cx, f),
                        Err(_) => Err(Flow::Bail("condition not a boolean")),
                    }
                }))
            }
            Stmt::While(x, _) => {
                let forever = matches!(x.expr, Expr::Unit(_));
                let cond = self.expr(&x.expr, scope)?;
                let body = self.stmt_block(&x.body, scope)?;
                Ok(Box::new(move |cx, f| {
                    loop {
                        cx.tick()?;
                        if !forever {
                            match cond(cx, f)?.as_bool() {
                                Ok(true) => {}
                                Ok(false) => break,
                                Err(_) => return Err(Flow::Bail("condition not a boolean")),
                            }
                        }
                        if !go_on(body(cx, f))? {
                            break;
                        }
                    }
                    Ok(Dynamic::UNIT)
                }))
            }
            Stmt::For(x, _) => {
                let (var, counter, fc) = &**x;
                let items = self.expr(&fc.expr, scope)?;
                let source = match &fc.expr {
                    Expr::Variable(v, _, _) => self.variable(v, scope).ok(),
                    _ => None,
                };
                let before = self.written.borrow().len();
                let (slot, count_slot, body) = scope.nested(|scope| {
                    let slot = scope.declare(var.name.clone());
                    let count_slot = counter.as_ref().map(|c| scope.declare(c.name.clone()));
                    self.stmt_block(&fc.body, scope)
                        .map(|body| (slot, count_slot, body))
                })?;
                let unchanged = |source: &usize| !self.written.borrow()[before..].contains(source);
                if let Some(source) = source.filter(unchanged) {
                    // Rhai loops over a copy of the array; the body never writes the
                    // variable, so its items are the same read in place, one by one.
                    return Ok(Box::new(move |cx, f| {
                        cx.tick()?;
                        let Some(n) = f[source].read_lock::<Array>().map(|a| a.len()) else {
                            return Err(Flow::Bail("for over something not an array"));
                        };
                        for i in 0..n {
                            cx.tick()?;
                            let item = f[source]
                                .read_lock::<Array>()
                                .and_then(|a| a.get(i).cloned());
                            f[slot] = item.ok_or(Flow::Bail("for over a changed array"))?;
                            if let Some(c) = count_slot {
                                f[c] = Dynamic::from_int(i as rhai::INT);
                            }
                            if !go_on(body(cx, f))? {
                                break;
                            }
                        }
                        Ok(Dynamic::UNIT)
                    }));
                }
                Ok(Box::new(move |cx, f| {
                    cx.tick()?;
                    let items = items(cx, f)?;
                    let Some(items) = items.try_cast::<Array>() else {
                        return Err(Flow::Bail("for over something not an array"));
                    };
                    for (i, item) in items.into_iter().enumerate() {
                        cx.tick()?;
                        f[slot] = item;
                        if let Some(c) = count_slot {
                            f[c] = Dynamic::from_int(i as rhai::INT);
                        }
                        if !go_on(body(cx, f))? {
                            break;
                        }
                    }
                    Ok(Dynamic::UNIT)
                }))
            }
            Stmt::BreakLoop(value, flags, _) => {
                if value.is_some() {
                    return Err("break with a value".into());
                }
                if flags.intersects(ASTFlags::BREAK) {
                    Ok(Box::new(|_, _| Err(Flow::Break)))
                } else {
                    Ok(Box::new(|_, _| Err(Flow::Continue)))
                }
            }
            Stmt::Return(value, flags, _) => {
                if flags.intersects(ASTFlags::BREAK) {
                    return Err("throw".into());
                }
                if let Some(Expr::Variable(v, _, _)) = value.as_deref() {
                    // The frame ends with the return: move the value out.
                    let slot = self.variable(v, scope)?;
                    return Ok(Box::new(move |_, f| {
                        Err(Flow::Return(std::mem::take(&mut f[slot])))
                    }));
                }
                let value = match value {
                    Some(v) => self.expr(v, scope)?,
                    None => unit_code(),
                };
                Ok(Box::new(move |cx, f| Err(Flow::Return(value(cx, f)?))))
            }
            Stmt::Assignment(x) => self.assignment(&x.0, &x.1, scope),
            other => Err(format!("statement {:?}", std::mem::discriminant(other))),
        }
    }

    /// `x = v`, `x op= v`, `x[k] = v`, `x[k] op= v` for a local variable `x`.
    fn assignment(
        &self,
        op: &rhai::OpAssignment,
        target: &rhai::BinaryExpr,
        scope: &mut Scope,
    ) -> Compiled {
        let op: Option<&'static str> = op.get_op_assignment_info().map(|info| info.5);
        let value = self.expr(&target.rhs, scope)?;
        match &target.lhs {
            Expr::Variable(v, _, _) => {
                let slot = self.variable(v, scope)?;
                self.written.borrow_mut().push(slot);
                Ok(Box::new(move |cx, f| {
                    cx.tick()?;
                    let new = value(cx, f)?;
                    f[slot] = match op {
                        None => new,
                        Some(op) => or_bail(ops::binary(op, &f[slot], &new), "operator")?,
                    };
                    Ok(Dynamic::UNIT)
                }))
            }
            Expr::Index(x, flags, _) if !flags.intersects(ASTFlags::NEGATED) => {
                let Expr::Variable(v, _, _) = &x.lhs else {
                    return Err("assignment to an index of something not a variable".into());
                };
                let slot = self.variable(v, scope)?;
                self.written.borrow_mut().push(slot);
                let key = self.expr(&x.rhs, scope)?;
                Ok(Box::new(move |cx, f| {
                    cx.tick()?;
                    let key = key(cx, f)?;
                    let new = value(cx, f)?;
                    let new = match op {
                        None => new,
                        Some(op) => {
                            let old = or_bail(ops::index(&f[slot], &key), "index")?;
                            or_bail(ops::binary(op, &old, &new), "operator")?
                        }
                    };
                    set_index(&mut f[slot], &key, new).ok_or(Flow::Bail("index assignment"))?;
                    Ok(Dynamic::UNIT)
                }))
            }
            _ => Err("assignment to something not a variable".into()),
        }
    }

    fn variable(
        &self,
        v: &(
            Option<std::num::NonZeroUsize>,
            ImmutableString,
            rhai::Namespace,
            u64,
        ),
        scope: &Scope,
    ) -> Result<usize, String> {
        if !v.2.is_empty() {
            return Err("a variable of a module".into());
        }
        scope
            .find(v.1.as_str())
            .ok_or_else(|| format!("variable `{}` not declared in the function", v.1))
    }

    fn expr(&self, expr: &Expr, scope: &mut Scope) -> Compiled {
        let constant = |v: Dynamic| -> Compiled { Ok(Box::new(move |_, _| Ok(v.clone()))) };
        match expr {
            Expr::DynamicConstant(v, _) => constant((**v).clone()),
            Expr::BoolConstant(b, _) => constant(Dynamic::from_bool(*b)),
            Expr::IntegerConstant(n, _) => constant(Dynamic::from_int(*n)),
            Expr::CharConstant(c, _) => constant(Dynamic::from_char(*c)),
            Expr::StringConstant(s, _) => constant(Dynamic::from(s.clone())),
            Expr::Unit(_) => constant(Dynamic::UNIT),
            Expr::InterpolatedString(parts, _) => {
                let parts = self.args(parts, scope)?;
                Ok(Box::new(move |cx, f| {
                    cx.tick()?;
                    let mut out = String::new();
                    for p in &parts {
                        ops::to_text(&p(cx, f)?, &mut out).ok_or(Flow::Bail("interpolation"))?;
                    }
                    Ok(Dynamic::from(out))
                }))
            }
            Expr::Array(items, _) => {
                let items = self.args(items, scope)?;
                Ok(Box::new(move |cx, f| {
                    cx.tick()?;
                    let mut out = Array::with_capacity(items.len());
                    for i in &items {
                        out.push(i(cx, f)?);
                    }
                    Ok(Dynamic::from_array(out))
                }))
            }
            Expr::Map(x, _) => {
                let (fields, template) = &**x;
                let template = template.clone();
                let fields = fields
                    .iter()
                    .map(|(name, e)| Ok((name.name.clone(), self.expr(e, scope)?)))
                    .collect::<Result<Vec<_>, String>>()?;
                Ok(Box::new(move |cx, f| {
                    cx.tick()?;
                    let mut map = template.clone();
                    for (name, e) in &fields {
                        map.insert(name.as_str().into(), e(cx, f)?);
                    }
                    Ok(Dynamic::from_map(map))
                }))
            }
            Expr::Variable(v, _, _) => {
                let slot = self.variable(v, scope)?;
                Ok(Box::new(move |_, f| Ok(f[slot].clone())))
            }
            Expr::Stmt(block) => self.stmt_block(block, scope),
            Expr::FnCall(call, _) => self.call(call, scope),
            Expr::Dot(x, flags, _) if !flags.intersects(ASTFlags::NEGATED) => {
                // `x.push(v)` and `x.sort()` change the variable itself.
                if let (Expr::Variable(v, _, _), Expr::MethodCall(call, _)) = (&x.lhs, &x.rhs) {
                    if ops::is_call_mut(call.name.as_str(), call.args.len())
                        && !ops::is_call(call.name.as_str(), call.args.len() + 1)
                    {
                        let slot = self.variable(v, scope)?;
                        self.written.borrow_mut().push(slot);
                        let name = call.name.clone();
                        let args = self.args(&call.args, scope)?;
                        return Ok(Box::new(move |cx, f| {
                            cx.tick()?;
                            let mut values = Vec::with_capacity(args.len());
                            for a in &args {
                                values.push(a(cx, f)?);
                            }
                            or_bail(ops::call_mut(name.as_str(), &mut f[slot], values), "method")
                        }));
                    }
                }
                let (mut steps, mut args) = (Vec::new(), Vec::new());
                self.chain(&x.rhs, &mut steps, &mut args, scope)?;
                self.path(&x.lhs, steps, args, scope)
            }
            Expr::Index(x, flags, _) if !flags.intersects(ASTFlags::NEGATED) => {
                let args = vec![self.expr(&x.rhs, scope)?];
                self.path(&x.lhs, vec![Step::Index], args, scope)
            }
            Expr::And(items, _) | Expr::Or(items, _) => {
                let and = matches!(expr, Expr::And(..));
                let items = self.args(items, scope)?;
                Ok(Box::new(move |cx, f| {
                    cx.tick()?;
                    for i in &items {
                        let Ok(b) = i(cx, f)?.as_bool() else {
                            return Err(Flow::Bail("&& or || on something not a boolean"));
                        };
                        if b != and {
                            return Ok(Dynamic::from_bool(b));
                        }
                    }
                    Ok(Dynamic::from_bool(and))
                }))
            }
            Expr::Coalesce(items, _) => {
                let items = self.args(items, scope)?;
                Ok(Box::new(move |cx, f| {
                    cx.tick()?;
                    let mut last = Dynamic::UNIT;
                    for i in &items {
                        last = i(cx, f)?;
                        if !last.is_unit() {
                            break;
                        }
                    }
                    Ok(last)
                }))
            }
            other => Err(format!("expression {other:?}")),
        }
    }

    /// The steps of the rest of a `.` chain (`rhs`), in order, with the code of
    /// every argument and index in it, in order.
    fn chain(
        &self,
        rhs: &Expr,
        steps: &mut Vec<Step>,
        args: &mut Vec<Code>,
        scope: &mut Scope,
    ) -> Result<(), String> {
        match rhs {
            Expr::Property(p, _) => {
                let name = p.2.clone();
                let mut places = [None; SHAPES.len()];
                for (place, shape) in places.iter_mut().zip(SHAPES) {
                    *place = shape
                        .place(name.as_str())
                        .and_then(|i| u8::try_from(i).ok());
                }
                steps.push(Step::Field(name, places));
            }
            Expr::MethodCall(call, _) => {
                let arity = call.args.len() + 1;
                let helper = self.helper(call, arity)?;
                for a in call.args.iter() {
                    args.push(self.expr(a, scope)?);
                }
                steps.push(Step::Method {
                    name: call.name.clone(),
                    helper,
                    args: call.args.len(),
                });
            }
            Expr::Dot(x, flags, _) if !flags.intersects(ASTFlags::NEGATED) => {
                self.chain(&x.lhs, steps, args, scope)?;
                self.chain(&x.rhs, steps, args, scope)?;
            }
            Expr::Index(x, flags, _) if !flags.intersects(ASTFlags::NEGATED) => {
                self.chain(&x.lhs, steps, args, scope)?;
                args.push(self.expr(&x.rhs, scope)?);
                steps.push(Step::Index);
            }
            other => return Err(format!("in a chain: {other:?}")),
        }
        Ok(())
    }

    /// `base` followed by `steps`: the arguments first (as Rhai evaluates them),
    /// then the base, then each step read in place, so only the end is copied.
    fn path(&self, base: &Expr, steps: Vec<Step>, args: Vec<Code>, scope: &mut Scope) -> Compiled {
        if let Expr::Variable(v, _, _) = base {
            let slot = self.variable(v, scope)?;
            if args.is_empty() {
                // Fields only (`s.id`, `app.project.purpose`): nothing to evaluate first.
                return Ok(Box::new(move |cx, f| {
                    cx.tick()?;
                    or_bail(walk(cx.data, &f[slot], &steps, &mut []), "chain")
                }));
            }
            return Ok(Box::new(move |cx, f| {
                cx.tick()?;
                let mut values = evaluate(cx, f, &args)?;
                or_bail(walk(cx.data, &f[slot], &steps, &mut values), "chain")
            }));
        }
        let base = self.expr(base, scope)?;
        Ok(Box::new(move |cx, f| {
            cx.tick()?;
            let mut values = evaluate(cx, f, &args)?;
            let value = base(cx, f)?;
            or_bail(walk(cx.data, &value, &steps, &mut values), "chain")
        }))
    }

    /// A direct helper for a method call `x.name(…)` of `arity` arguments with
    /// `x`, or `None` when a standard function answers it; an error when neither.
    fn helper(&self, call: &FnCallExpr, arity: usize) -> Result<Option<Direct>, String> {
        let name = call.name.as_str();
        if call.is_qualified() {
            return Err(format!("`{name}` of a module"));
        }
        if self.index.contains_key(&(name.to_string(), arity)) {
            // A script function called as a method binds `this`: left to Rhai.
            return Err(format!("script function `{name}` called as a method"));
        }
        if let Some(h) = direct(name, arity) {
            return Ok(Some(h));
        }
        if ops::is_call(name, arity) {
            return Ok(None);
        }
        Err(format!("function `{name}` ({arity} arguments)"))
    }

    /// The value of a call that gives the same for the whole time the rule set
    /// is loaded, worked out once: `setting("a.b")` of a literal path that is
    /// there, and `purposes()`. (A path that is not there is left to the call,
    /// whose error Rhai then gives.)
    fn constant_call(&self, call: &FnCallExpr) -> Option<Dynamic> {
        let direct = direct(call.name.as_str(), call.args.len())?;
        let literal = match (call.name.as_str(), call.args.as_slice()) {
            ("setting", [Expr::StringConstant(path, _)]) => Some(Dynamic::from(path.clone())),
            ("purposes", []) => None,
            _ => return None,
        };
        let mut args: Vec<Arg<'_>> = literal.into_iter().map(Arg::Own).collect();
        direct(self.data, &mut args)
    }

    /// `setting_on("a.b", date)` of a literal path that is there, found once; a
    /// path that is not there is left to the call, whose error Rhai then gives.
    fn dated_setting(&self, call: &FnCallExpr) -> Option<DatedSetting> {
        match (call.name.as_str(), call.args.as_slice()) {
            ("setting_on", [Expr::StringConstant(path, _), _]) => {
                DatedSetting::find(self.data, path)
            }
            _ => None,
        }
    }

    /// A value that can be read where it is: a variable, a constant, or fields of
    /// a variable (`s.form`, `app.project.purpose`).
    fn operand(&self, e: &Expr, scope: &mut Scope) -> Option<Operand> {
        let constant = |v: Dynamic| Some(Operand::Constant(v));
        match e {
            Expr::Variable(v, _, _) => self.variable(v, scope).ok().map(Operand::Slot),
            Expr::DynamicConstant(v, _) => constant((**v).clone()),
            Expr::BoolConstant(b, _) => constant(Dynamic::from_bool(*b)),
            Expr::IntegerConstant(n, _) => constant(Dynamic::from_int(*n)),
            Expr::CharConstant(c, _) => constant(Dynamic::from_char(*c)),
            Expr::StringConstant(s, _) => constant(Dynamic::from(s.clone())),
            Expr::Unit(_) => constant(Dynamic::UNIT),
            Expr::Dot(x, flags, _) if !flags.intersects(ASTFlags::NEGATED) => {
                let Expr::Variable(v, _, _) = &x.lhs else {
                    return None;
                };
                let (mut steps, mut args) = (Vec::new(), Vec::new());
                self.chain(&x.rhs, &mut steps, &mut args, scope).ok()?;
                let fields_only =
                    args.is_empty() && steps.iter().all(|s| matches!(s, Step::Field(..)));
                fields_only.then(|| {
                    self.variable(v, scope)
                        .ok()
                        .map(|slot| Operand::Fields(slot, steps))
                })?
            }
            _ => None,
        }
    }

    /// Binary operator `op` on `a` and `b` without copying them, when each is
    /// read in place (see [`Compiler::operand`]), or one is a constant and the
    /// other any expression (a constant cannot be changed by evaluating it).
    fn in_place(&self, op: &str, a: &Expr, b: &Expr, scope: &mut Scope) -> Option<Code> {
        let op = ops::binary_op(op)?;
        match (self.operand(a, scope), self.operand(b, scope)) {
            (Some(x), Some(y)) => Some(Box::new(move |cx, f| {
                cx.tick()?;
                x.tick(cx)?;
                y.tick(cx)?;
                let out = x.read(f, &mut |a| y.read(f, &mut |b| op(a, b)));
                or_bail(out.flatten().flatten(), "operator")
            })),
            (Some(Operand::Constant(x)), None) => {
                let y = self.expr(b, scope).ok()?;
                Some(Box::new(move |cx, f| {
                    cx.tick()?;
                    let b = y(cx, f)?;
                    or_bail(op(&x, &b), "operator")
                }))
            }
            (None, Some(Operand::Constant(y))) => {
                let x = self.expr(a, scope).ok()?;
                Some(Box::new(move |cx, f| {
                    cx.tick()?;
                    let a = x(cx, f)?;
                    or_bail(op(&a, &y), "operator")
                }))
            }
            _ => None,
        }
    }

    fn args(&self, args: &[Expr], scope: &mut Scope) -> Result<Vec<Code>, String> {
        args.iter().map(|a| self.expr(a, scope)).collect()
    }

    /// A function call or operator.
    fn call(&self, call: &FnCallExpr, scope: &mut Scope) -> Compiled {
        let name = call.name.clone();
        let arity = call.args.len();
        let args = self.args(&call.args, scope)?;
        if call.is_operator_call() {
            return match (name.as_str(), args.as_slice()) {
                ("!" | "-", [_]) => {
                    let negate = name.as_str() == "-";
                    let x = args.into_iter().next().ok_or("operand")?;
                    Ok(Box::new(move |cx, f| {
                        cx.tick()?;
                        let v = x(cx, f)?;
                        let out = if negate {
                            ops::negate(&v)
                        } else {
                            ops::not(&v)
                        };
                        or_bail(out, "operator")
                    }))
                }
                ("==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%", [_, _]) => {
                    if let [a, b] = call.args.as_slice() {
                        if let Some(code) = self.in_place(name.as_str(), a, b, scope) {
                            return Ok(code);
                        }
                    }
                    let mut it = args.into_iter();
                    let (Some(x), Some(y)) = (it.next(), it.next()) else {
                        return Err("operands".into());
                    };
                    Ok(Box::new(move |cx, f| {
                        cx.tick()?;
                        let a = x(cx, f)?;
                        let b = y(cx, f)?;
                        or_bail(ops::binary(name.as_str(), &a, &b), "operator")
                    }))
                }
                _ => Err(format!("operator `{name}`")),
            };
        }
        if call.is_qualified() {
            return Err(format!("`{name}` of a module"));
        }
        if let Some(&i) = self.index.get(&(name.to_string(), arity)) {
            return Ok(Box::new(move |cx, f| {
                let mut values = Vec::with_capacity(args.len());
                for a in &args {
                    values.push(a(cx, f)?);
                }
                invoke(cx, i, values)
            }));
        }
        if let Some(value) = self.constant_call(call) {
            return Ok(Box::new(move |cx, _| {
                cx.tick()?;
                Ok(value.clone())
            }));
        }
        if let Some(setting) = self.dated_setting(call) {
            let date = args.into_iter().nth(1).ok_or("a date")?;
            return Ok(Box::new(move |cx, f| {
                cx.tick()?;
                let day = date(cx, f)?;
                or_bail(setting.on(&day), "helper")
            }));
        }
        let helper = self.helper(call, arity)?;
        // A variable given to a helper is lent, not copied.
        let lent: Vec<Option<usize>> = call
            .args
            .iter()
            .map(|a| match a {
                Expr::Variable(v, _, _) => self.variable(v, scope).ok(),
                _ => None,
            })
            .collect();
        let any_lent = lent.iter().any(Option::is_some);
        Ok(Box::new(move |cx, f| {
            cx.tick()?;
            let mut values: SmallVec<[Arg<'_>; 4]> = SmallVec::with_capacity(args.len());
            if !any_lent {
                for a in &args {
                    values.push(Arg::Own(a(cx, f)?));
                }
            } else {
                let mut own: SmallVec<[Dynamic; 4]> = SmallVec::with_capacity(args.len());
                for (a, lent) in args.iter().zip(&lent) {
                    own.push(if lent.is_some() {
                        Dynamic::UNIT
                    } else {
                        a(cx, f)?
                    });
                }
                let f: &[Dynamic] = f;
                values.extend(own.into_iter().zip(&lent).map(|(v, lent)| match lent {
                    Some(slot) => Arg::Lent(&f[*slot]),
                    None => Arg::Own(v),
                }));
            }
            match helper {
                Some(h) => or_bail(h(cx.data, &mut values), "helper"),
                None => {
                    let (target, rest) = values.split_first().ok_or(Flow::Bail("no arguments"))?;
                    let rest: SmallVec<[Dynamic; 4]> =
                        rest.iter().map(|a| a.get().clone()).collect();
                    or_bail(ops::call(name.as_str(), target.get(), &rest), "function")
                }
            }
        }))
    }
}

/// One step of a `.` or `[]` chain after its base.
enum Step {
    /// `.name`: a field, with its place in each shape that has it.
    Field(ImmutableString, [Option<u8>; SHAPES.len()]),
    /// `[key]`: the key is the next argument.
    Index,
    /// `.name(…)`: a helper or standard function with the value first, taking the
    /// next `args` arguments after it.
    Method {
        name: ImmutableString,
        helper: Option<Direct>,
        args: usize,
    },
}

/// A value read in place (see [`Compiler::operand`]).
enum Operand {
    /// A variable.
    Slot(usize),
    /// A constant.
    Constant(Dynamic),
    /// Fields of a variable.
    Fields(usize, Vec<Step>),
}

impl Operand {
    /// Counts the operation of reading fields, as a chain counts it.
    fn tick(&self, cx: &mut Cx<'_>) -> Result<(), Flow> {
        match self {
            Operand::Fields(..) => cx.tick(),
            _ => Ok(()),
        }
    }

    /// `k` of the value where it is; `None` when a field is not there.
    fn read<R>(&self, f: &[Dynamic], k: &mut dyn FnMut(&Dynamic) -> R) -> Option<R> {
        match self {
            Operand::Slot(slot) => Some(k(&f[*slot])),
            Operand::Constant(v) => Some(k(v)),
            Operand::Fields(slot, steps) => fields(&f[*slot], steps, k),
        }
    }
}

/// `k` of the value at the end of `steps` (fields only) from `value`, read in
/// place.
fn fields<R>(value: &Dynamic, steps: &[Step], k: &mut dyn FnMut(&Dynamic) -> R) -> Option<R> {
    let Some((step, rest)) = steps.split_first() else {
        return Some(k(value));
    };
    let Step::Field(name, places) = step else {
        return None;
    };
    if let Some(frozen) = value.read_lock::<Frozen>() {
        return fields(frozen.get_placed(places, name)?, rest, k);
    }
    let map = value.read_lock::<rhai::Map>()?;
    fields(map.get(name.as_str())?, rest, k)
}

/// The values of `codes`, in order.
fn evaluate(
    cx: &mut Cx<'_>,
    f: &mut [Dynamic],
    codes: &[Code],
) -> Result<SmallVec<[Dynamic; 4]>, Flow> {
    let mut out = SmallVec::with_capacity(codes.len());
    for c in codes {
        out.push(c(cx, f)?);
    }
    Ok(out)
}

/// Follows `steps` from `value`, reading each field or item in place (the read
/// guards live down the recursion); only the end is copied. `args` holds the
/// arguments and index keys of the steps, in order.
fn walk(data: &RuleData, value: &Dynamic, steps: &[Step], args: &mut [Dynamic]) -> Option<Dynamic> {
    let Some((step, rest)) = steps.split_first() else {
        return Some(value.clone());
    };
    match step {
        Step::Field(name, places) => {
            if let Some(frozen) = value.read_lock::<Frozen>() {
                return walk(data, frozen.get_placed(places, name)?, rest, args);
            }
            let map = value.read_lock::<rhai::Map>()?;
            walk(data, map.get(name.as_str())?, rest, args)
        }
        Step::Index => {
            let (key, args) = args.split_first_mut()?;
            if let Some(items) = value.read_lock::<Array>() {
                let i = usize::try_from(key.as_int().ok()?).ok()?;
                return walk(data, items.get(i)?, rest, args);
            }
            let key = key.read_lock::<ImmutableString>()?.clone();
            if let Some(frozen) = value.read_lock::<Frozen>() {
                return walk(data, frozen.get_ref(key.as_str())?, rest, args);
            }
            let map = value.read_lock::<rhai::Map>()?;
            walk(data, map.get(key.as_str())?, rest, args)
        }
        Step::Method {
            name,
            helper,
            args: n,
        } => {
            if args.len() < *n {
                return None;
            }
            let (mine, args) = args.split_at_mut(*n);
            let out = match helper {
                Some(h) => {
                    let mut values: SmallVec<[Arg<'_>; 4]> = SmallVec::with_capacity(n + 1);
                    values.push(Arg::Lent(value));
                    values.extend(mine.iter_mut().map(|v| Arg::Own(std::mem::take(v))));
                    h(data, &mut values)?
                }
                None => ops::call(name.as_str(), value, mine)?,
            };
            walk(data, &out, rest, args)
        }
    }
}

/// `target[key] = value` for a map field or an array item within the array.
fn set_index(target: &mut Dynamic, key: &Dynamic, value: Dynamic) -> Option<()> {
    if let Some(mut items) = target.write_lock::<Array>() {
        let i = usize::try_from(key.as_int().ok()?).ok()?;
        *items.get_mut(i)? = value;
        return Some(());
    }
    let key = key.read_lock::<ImmutableString>()?.clone();
    let mut map = target.write_lock::<rhai::Map>()?;
    map.insert(key.as_str().into(), value);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::CalendarSet;
    use crate::catalog::Catalog;
    use crate::script::instrument::{build_engine, Instrument};
    use crate::script::sandbox::Limits;
    use rhai::Scope;
    use std::sync::Arc;

    fn data() -> Arc<RuleData> {
        let settings = serde_json::json!({
            "n": 3,
            "words": ["a", "b"],
            "dated": [
                {"from": "2020-01-01", "until": "2020-12-31", "value": 1},
                {"from": "2021-01-01", "value": [2, "two"]}
            ]
        });
        Arc::new(RuleData::new(
            Catalog::empty(),
            CalendarSet::load(&[]).expect("no calendars load"),
            &settings,
            "rules/settings.yaml",
        ))
    }

    fn budget() -> Budget {
        Budget {
            max_operations: 100_000,
            max_depth: 16,
            deadline: Instant::now() + std::time::Duration::from_secs(10),
            memory_ceiling: i64::MAX,
        }
    }

    /// `f(args)` on the compiled tier and on Rhai, each as Rhai shows its value.
    fn both(script: &str, args: Vec<Dynamic>) -> (Result<String, Bail>, Result<String, String>) {
        let data = data();
        let engine = build_engine(&Limits::default(), data.clone(), Instrument::None);
        let ast = engine.compile(script).expect("compiles");
        let native = Native::compile(&ast, &data);
        assert!(
            native.has("f", args.len()),
            "not compiled: {:?}",
            native.refused()
        );
        let fast = native
            .call(&data, &budget(), "f", args.clone())
            .map(|v| format!("{v:?}"));
        let slow = engine
            .call_fn::<Dynamic>(&mut Scope::new(), &ast, "f", args)
            .map(|v| format!("{v:?}"))
            .map_err(|e| e.to_string());
        (fast, slow)
    }

    fn same(script: &str, args: Vec<Dynamic>) {
        let (fast, slow) = both(script, args);
        assert_eq!(fast.ok(), Some(slow.expect("Rhai runs it")), "{script}");
    }

    fn words(items: &[&str]) -> Dynamic {
        Dynamic::from_array(items.iter().map(|s| Dynamic::from(s.to_string())).collect())
    }

    #[test]
    fn a_dated_setting_of_a_literal_path_reads_and_is_noted_as_on_rhai() {
        use crate::script::helpers::dated::watch;
        let script = r#"fn f(d) { [setting_on("dated", d), setting_on("n", d)] }"#;
        for date in ["2020-01-01", "2020-12-31", "2021-01-01", "2030-05-17"] {
            let (fast, fast_used) = watch(|| both(script, vec![Dynamic::from(date)]).0);
            let (slow, slow_used) = watch(|| both(script, vec![Dynamic::from(date)]).1);
            assert_eq!(fast.ok(), Some(slow.expect("Rhai runs it")), "{date}");
            assert_eq!(fast_used.len(), 4, "{date}: {fast_used:?}");
            assert_eq!(fast_used[..2], slow_used[2..], "{date}");
        }
        // No value in force, not a date, not a string: Rhai gives the error.
        for date in [
            Dynamic::from("2019-12-31"),
            Dynamic::from("1.1.2020"),
            Dynamic::from(5_i64),
        ] {
            let (fast, slow) = both(script, vec![date.clone()]);
            assert!(fast.is_err() && slow.is_err(), "{date}: {fast:?} {slow:?}");
        }
    }

    #[test]
    fn records_maps_and_lists_come_out_as_rhai_builds_them() {
        same(
            r#"fn f(a) {
                let out = [];
                out.push(#{x: a, y: [1, "b", ()], z: #{}});
                out.push(missing("description", #{}));
                out.push(missing("variables", "npr", #{source: "npr"}));
                out.push(finding("x", "warning", #{n: 1}));
                out.push(require_attachment("sample_table"));
                out.push(route("npr", "niph"));
                out.push(redirect("npr", "own-form", ()));
                out
            }"#,
            vec![Dynamic::from("a".to_string())],
        );
    }

    #[test]
    fn loops_with_break_continue_and_counting_in_a_map_agree_with_rhai() {
        same(
            r#"fn f(a) {
                let t = #{};
                let n = 0;
                for x in a {
                    if x == "skip" { continue; }
                    if x == "stop" { break; }
                    if x in t { t[x] += 1; } else { t[x] = 1; }
                    n += 1;
                }
                let i = 0;
                while i < 10 { i += 1; }
                for (x, k) in a { n += k; }
                [t, n, i]
            }"#,
            vec![words(&["a", "b", "a", "skip", "c", "stop", "d"])],
        );
    }

    #[test]
    fn comparisons_across_kinds_interpolation_and_coalescing_agree_with_rhai() {
        same(
            r#"fn f(a) {
                let w = if a == "x" { "u" } else { "v" };
                [a < "2019", a == (), () == (), "x" != (), a > "a", 1 < 2, -3, 7 % 3, 7 / 2,
                 `${a}-${1}-${true}`, a ?? "none", () ?? "none", w, !(a == "b"),
                 a == "2020" && 1 == 1, a == "b" || 2 > 3, "ab" + "c"]
            }"#,
            vec![Dynamic::from("2020".to_string())],
        );
    }

    #[test]
    fn script_functions_returns_and_list_functions_agree_with_rhai() {
        same(
            r#"
            fn g(x) { if x > 2 { return x * 2; } x }
            fn f(a) {
                let s = a;
                s.sort();
                [g(1), g(3), len(a), a.len(), a.is_empty(), a.contains("b"), "blå".len(),
                 s, s[0], s.len() != 1 || s[0] != "x", is_blank("  "), is_blank(a),
                 common(a, ["b"]), icd10_normalise("C18-C20"), icd10_normalise("x"),
                 is_email("kari@example.org"), setting("n"), setting("words")]
            }"#,
            vec![words(&["c", "b", "a"])],
        );
    }

    #[test]
    fn a_loop_whose_body_changes_its_array_still_runs_over_the_array_as_it_was() {
        same(
            r#"fn f(a) {
                let items = ["x", "y"];
                let seen = [];
                for i in items {
                    items[1] = "changed";
                    items.push(i + "!");
                    seen.push(i);
                }
                for i in a { seen.push(i); }
                [seen, items]
            }"#,
            vec![words(&["a", "b"])],
        );
    }

    #[test]
    fn operators_on_fields_variables_and_constants_read_in_place_agree_with_rhai() {
        let mut map = rhai::Map::new();
        map.insert("form".into(), Dynamic::from("own".to_string()));
        map.insert("n".into(), Dynamic::from_int(2));
        let mut inner = rhai::Map::new();
        inner.insert("purpose".into(), Dynamic::from("research".to_string()));
        map.insert("project".into(), Dynamic::from_map(inner));
        same(
            r#"fn f(s) {
                let p = "research";
                [s.form == "own", "own" != s.form, s.project.purpose == p, p == s.project.purpose,
                 s.n > 1, 3 - s.n, s.n * s.n, s.form < s.project.purpose, s.form == (),
                 len(p) == 8, 8 == len(p), p + s.form]
            }"#,
            vec![Dynamic::from_map(map.clone())],
        );
        // A field that is not there is Rhai's error to give.
        let (fast, slow) = both("fn f(s) { s.nothing == 1 }", vec![Dynamic::from_map(map)]);
        assert!(fast.is_err(), "{fast:?}");
        assert!(slow.is_err(), "Rhai gave {slow:?}");
    }

    #[test]
    fn what_rhai_would_refuse_is_given_back_to_rhai() {
        for (script, arg) in [
            ("fn f(a) { a.nothing }", Dynamic::from_map(rhai::Map::new())),
            ("fn f(a) { a + 1 }", Dynamic::from_int(rhai::INT::MAX)),
            ("fn f(a) { setting(\"nothing\") }", Dynamic::UNIT),
            ("fn f(a) { if a { 1 } }", Dynamic::from_int(1)),
            ("fn f(a) { a[5] }", words(&["a"])),
            ("fn f(a) { let s = [1, \"b\"]; s.sort(); s }", Dynamic::UNIT),
        ] {
            let (fast, slow) = both(script, vec![arg]);
            assert!(fast.is_err(), "{script}: {fast:?}");
            assert!(slow.is_err(), "{script}: Rhai gave {slow:?}");
        }
    }

    #[test]
    fn functions_beside_statements_of_the_script_compile_with_their_own_bodies() {
        let engine = build_engine(&Limits::default(), data(), Instrument::None);
        let ast = engine
            .compile("let x = 1;\nfn f(a) { let b = a + 1; b * 2 }\nx + 1;\nfn g(a) { a }")
            .expect("compiles");
        let native = Native::compile(&ast, &data());
        assert!(native.refused().is_empty(), "{native:?}");
        let got = native.call(&data(), &budget(), "f", vec![Dynamic::from_int(2)]);
        assert_eq!(got.ok().and_then(|v| v.as_int().ok()), Some(6));
    }

    #[test]
    fn a_runaway_loop_gives_up_within_its_budget() {
        let data = data();
        let engine = build_engine(&Limits::default(), data.clone(), Instrument::None);
        let ast = engine
            .compile("fn f(a) { loop { a += 1; } }")
            .expect("compiles");
        let native = Native::compile(&ast, &data);
        let got = native.call(&data, &budget(), "f", vec![Dynamic::from_int(0)]);
        assert_eq!(got.err(), Some(Bail("operations")));
    }

    #[test]
    fn functions_using_what_is_not_compiled_are_left_to_rhai_with_the_reason() {
        let engine = build_engine(&Limits::default(), data(), Instrument::None);
        let ast = engine
            .compile(
                "fn f(a) { print(a); a } fn g(a) { switch a { 1 => 2, _ => 3 } } fn h(a) { a }",
            )
            .expect("compiles");
        let native = Native::compile(&ast, &data());
        assert!(native.has("h", 1));
        assert!(!native.has("f", 1), "{native:?}");
        assert!(!native.has("g", 1), "{native:?}");
        let refused: Vec<_> = native
            .refused()
            .iter()
            .map(|(n, _, _)| n.as_str())
            .collect();
        assert_eq!(refused, ["f", "g"]);
    }
}
