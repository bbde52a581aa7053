//! The helpers the compiled tier (`script::native`) calls directly, without Rhai's
//! function dispatch: each entry runs the same Rust body the registered helper runs.
//! An entry answers `None` where the registered helper would not be called (an
//! argument of another type) or would fail; the call is then left to Rhai, which
//! gives the error its exact words and position.

use super::{catalog, icd10, records, text, RuleData};
use rhai::{Array, Dynamic, ImmutableString};

/// A helper called directly: the rule set's data and the arguments, which it may
/// take.
pub(crate) type Direct = fn(&RuleData, &mut [Arg<'_>]) -> Option<Dynamic>;

/// An argument of a direct call: a value the caller computed, or a variable it
/// lends (read in place, and copied only when a helper keeps it).
pub(crate) enum Arg<'a> {
    /// A variable's value, lent.
    Lent(&'a Dynamic),
    /// A value of the caller's own.
    Own(Dynamic),
}

impl Arg<'_> {
    /// The value, to read.
    pub(crate) fn get(&self) -> &Dynamic {
        match self {
            Arg::Lent(v) => v,
            Arg::Own(v) => v,
        }
    }

    /// The value, to keep: moved when the caller's own, else copied.
    pub(crate) fn take(&mut self) -> Dynamic {
        match self {
            Arg::Lent(v) => (*v).clone(),
            Arg::Own(v) => std::mem::take(v),
        }
    }
}

/// The directly callable helper `name` taking `arity` arguments, if there is one.
pub(crate) fn direct(name: &str, arity: usize) -> Option<Direct> {
    let f: Direct = match (name, arity) {
        ("missing", 2) => |_, a| {
            let message = a[1].take();
            Some(map(records::missing(
                string(a[0].get())?,
                &Dynamic::UNIT,
                message,
            )))
        },
        ("missing", 3) => |_, a| {
            let message = a[2].take();
            Some(map(records::missing(
                string(a[0].get())?,
                a[1].get(),
                message,
            )))
        },
        ("finding", 3) => |_, a| {
            let (code, severity) = (string(a[0].get())?, string(a[1].get())?);
            let message = a[2].take();
            Some(map(records::finding(
                code,
                severity,
                &Dynamic::UNIT,
                message,
            )))
        },
        ("finding", 4) => |_, a| {
            let (code, severity) = (string(a[0].get())?, string(a[1].get())?);
            let message = a[3].take();
            Some(map(records::finding(code, severity, a[2].get(), message)))
        },
        ("require_attachment", 1) => {
            |_, a| Some(map(records::require_attachment(string(a[0].get())?)))
        }
        ("route", 2) => |_, a| Some(map(records::route(a[0].get(), string(a[1].get())?))),
        ("redirect", 3) => |_, a| {
            let reason = string(a[1].get())?;
            let form_url = a[2].take();
            Some(map(records::redirect(a[0].get(), reason, form_url)))
        },
        ("redirect_application", 2) => |_, a| {
            let reason = string(a[0].get())?;
            let form_url = a[1].take();
            Some(map(records::redirect(&Dynamic::UNIT, reason, form_url)))
        },
        ("setting", 1) => |d, a| catalog::setting(d, &string(a[0].get())?).ok(),
        ("setting_on", 2) => {
            |d, a| catalog::setting_on(d, &string(a[0].get())?, &string(a[1].get())?).ok()
        }
        ("is_purpose", 1) => |d, a| Some(catalog::is_purpose(d, a[0].get()).into()),
        ("purposes", 0) => |d, _| Some(catalog::purposes(d).into()),
        ("is_blank", 1) => |_, a| Some(text::is_blank(a[0].get()).into()),
        ("is_email", 1) => |_, a| Some(text::is_email_value(a[0].get()).into()),
        ("has_attachment", 2) => |_, a| {
            let kind = string(a[1].get())?;
            Some(text::has_attachment(a[0].get(), &kind).into())
        },
        ("common", 2) => |_, a| {
            let items = a[0].get().read_lock::<Array>()?;
            let others = a[1].get().read_lock::<Array>()?;
            Some(text::common(&items, &others).into())
        },
        ("icd10_normalise", 1) => |_, a| Some(icd10::normalised(a[0].get())),
        ("is_icd10", 1) => |_, a| Some(icd10::is_icd10_value(a[0].get()).into()),
        ("icd10_between", 3) => |_, a| {
            let (code, from, to) = (
                string(a[0].get())?,
                string(a[1].get())?,
                string(a[2].get())?,
            );
            Some(icd10::icd10_between(&code, &from, &to).into())
        },
        _ => return None,
    };
    Some(f)
}

/// A string argument, as a helper registered with an `ImmutableString` parameter
/// takes it; `None` for any other value.
fn string(value: &Dynamic) -> Option<ImmutableString> {
    value.read_lock::<ImmutableString>().map(|s| s.clone())
}

/// A record map as a value, as the registered record helpers return it.
fn map(record: rhai::Map) -> Dynamic {
    Dynamic::from_map(record)
}
