//! What a regeneration changed for the people who use a crate: the difference between two
//! operation models (the last release's and today's), one [`Change`] per thing a consumer can
//! see, each with two verdicts: on the **wire** (is a request that was accepted still sent the
//! same; does an answer that decoded still decode) and in the **Rust API** (does code that
//! compiled still compile and mean the same).
//!
//! The Rust verdicts follow the crates' documented promise (README, "Versions and what a release
//! promises"): generated types are plain structs and exhaustive enums (progenitor's output is
//! never patched to add `#[non_exhaustive]`), so a field added to a struct breaks a struct
//! literal and a variant added to an enum breaks an exhaustive `match`: both are breaking, as
//! cargo-semver-checks says of them too.

pub mod record;
mod types;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Body, Constraints, CrateModel, Operation, Parameter};

/// How a change affects one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Nothing a consumer relies on moved (documentation).
    None,
    Compatible,
    Breaking,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `pad`, so a width in the report's columns applies.
        f.pad(match self {
            Verdict::None => "none",
            Verdict::Compatible => "compatible",
            Verdict::Breaking => "breaking",
        })
    }
}

/// One change a consumer can see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// `operation create_sql_job (dli_02_0102)`, `type SqlJob`.
    pub place: String,
    /// The field or parameter path inside it, if any: `body.conf`, `parameter job_id`.
    pub item: String,
    /// What happened: `added, required`, `type ::std::string::String -> i64`.
    pub what: String,
    pub wire: Verdict,
    pub rust: Verdict,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "rust {:<10} wire {:<10} {}",
            self.rust, self.wire, self.place
        )?;
        if !self.item.is_empty() {
            write!(f, ": {}", self.item)?;
        }
        write!(f, ": {}", self.what)
    }
}

/// The semver bump a list of changes calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

/// The bump for `changes` of a crate at `version`: the strongest Rust-API verdict decides;
/// before 1.0 a breaking change bumps the minor and anything else the patch.
pub fn bump(changes: &[Change], version: &semver::Version) -> Bump {
    if changes.is_empty() {
        return Bump::None;
    }
    let breaking = changes.iter().any(|c| c.rust == Verdict::Breaking);
    match (breaking, version.major) {
        (true, 0) => Bump::Minor,
        (true, _) => Bump::Major,
        (false, 0) => Bump::Patch,
        (false, _) if changes.iter().any(|c| c.rust == Verdict::Compatible) => Bump::Minor,
        (false, _) => Bump::Patch,
    }
}

/// A release version as the project writes it: `MAJOR.MINOR.PATCH`, no pre-release or build.
pub fn parse_version(text: &str) -> Option<semver::Version> {
    semver::Version::parse(text)
        .ok()
        .filter(|v| v.pre.is_empty() && v.build.is_empty())
}

/// `version` after `bump`.
pub fn bumped(version: &semver::Version, bump: Bump) -> semver::Version {
    let (major, minor, patch) = (version.major, version.minor, version.patch);
    match bump {
        Bump::None => version.clone(),
        Bump::Patch => semver::Version::new(major, minor, patch + 1),
        Bump::Minor => semver::Version::new(major, minor + 1, 0),
        Bump::Major => semver::Version::new(major + 1, 0, 0),
    }
}

/// Whether code built against `old` may be given `new` by cargo (`^old` matches it).
pub fn compatible(old: &semver::Version, new: &semver::Version) -> bool {
    semver::VersionReq::parse(&format!("^{old}")).is_ok_and(|req| req.matches(new))
}

/// Every change from `old` to `new`: operations (by id), then types (by name), then phase
/// tables; each list in a stable order.
pub fn diff(old: &CrateModel, new: &CrateModel) -> Vec<Change> {
    let mut changes = Vec::new();
    let by_id = |model: &CrateModel| -> BTreeMap<String, Operation> {
        model
            .operations
            .iter()
            .map(|op| (op.id.clone(), op.clone()))
            .collect()
    };
    let (before, after) = (by_id(old), by_id(new));
    for (id, op) in &after {
        match before.get(id) {
            None => changes.push(change(
                &place(op),
                "",
                format!("operation added: {} {}", op.method, op.route),
                Verdict::Compatible,
                Verdict::Compatible,
            )),
            Some(was) => operation(was, op, old, new, &mut changes),
        }
    }
    for (id, op) in &before {
        if !after.contains_key(id) {
            changes.push(change(
                &place(op),
                "",
                "operation removed".into(),
                Verdict::Breaking,
                Verdict::Breaking,
            ));
        }
    }
    types::diff(old, new, &mut changes);
    phases(old, new, &mut changes);
    runtime(old, new, &mut changes);
    changes
}

/// A newer `cloud-runtime` under the crates: their public API names its types (waiters' errors,
/// the runtime a client is built with), so a runtime that cargo would not take for the old one
/// breaks code that names both; a compatible one is still a release, so consumers get it.
fn runtime(old: &CrateModel, new: &CrateModel, changes: &mut Vec<Change>) {
    if old.runtime == new.runtime {
        return;
    }
    let rust = match (parse_version(&old.runtime), parse_version(&new.runtime)) {
        (Some(was), Some(now)) if compatible(&was, &now) => Verdict::Compatible,
        _ => Verdict::Breaking,
    };
    changes.push(change(
        "dependency cloud-runtime",
        "",
        format!(
            "requires {} (was {})",
            new.runtime,
            if old.runtime.is_empty() {
                "unrecorded"
            } else {
                &old.runtime
            }
        ),
        Verdict::None,
        rust,
    ));
}

fn change(place: &str, item: &str, what: String, wire: Verdict, rust: Verdict) -> Change {
    Change {
        place: place.to_owned(),
        item: item.to_owned(),
        what,
        wire,
        rust,
    }
}

fn place(op: &Operation) -> String {
    match &op.doc_page {
        Some(page) => format!("operation {} ({page})", op.id),
        None => format!("operation {}", op.id),
    }
}

fn operation(
    was: &Operation,
    now: &Operation,
    old_model: &CrateModel,
    model: &CrateModel,
    changes: &mut Vec<Change>,
) {
    let at = place(now);
    let mut push = |item: &str, what: String, wire, rust| {
        changes.push(change(&at, item, what, wire, rust));
    };
    if (was.method.as_str(), was.route.as_str()) != (now.method.as_str(), now.route.as_str()) {
        push(
            "",
            format!(
                "sent as {} {} (was {} {})",
                now.method, now.route, was.method, was.route
            ),
            Verdict::Breaking,
            Verdict::None,
        );
    }
    if was.deprecated != now.deprecated {
        let what = if now.deprecated {
            "deprecated"
        } else {
            "no longer deprecated"
        };
        push("", what.into(), Verdict::None, Verdict::Compatible);
    }
    if was.retry_safe != now.retry_safe {
        let what = if now.retry_safe {
            "retried after a transient failure"
        } else {
            "no longer retried after a transient failure"
        };
        push("", what.into(), Verdict::Compatible, Verdict::None);
    }
    if (&was.summary, &was.description, &was.doc_page)
        != (&now.summary, &now.description, &now.doc_page)
    {
        push(
            "",
            "documentation changed".into(),
            Verdict::None,
            Verdict::None,
        );
    }
    parameters(&was.parameters, &now.parameters, &mut push);
    body(was.body.as_ref(), now.body.as_ref(), &mut push);
    // Statuses and the types answers decode into.
    for status in &now.statuses {
        match was.statuses.iter().find(|s| s.code == status.code) {
            None => push(
                "",
                format!("status {} documented", status.code),
                Verdict::Compatible,
                Verdict::Compatible,
            ),
            Some(old) if old.json != status.json => push(
                "",
                format!(
                    "status {} body is {}",
                    status.code,
                    if status.json { "JSON" } else { "not JSON" }
                ),
                Verdict::Breaking,
                Verdict::None,
            ),
            Some(_) => {}
        }
    }
    for status in &was.statuses {
        if !now.statuses.iter().any(|s| s.code == status.code) {
            // A mock loses its `respond_<status>`; the answer is no longer a documented one.
            push(
                "",
                format!("status {} no longer documented", status.code),
                Verdict::Breaking,
                Verdict::Breaking,
            );
        }
    }
    for (which, old, new) in [
        ("success answer", &was.success_type, &now.success_type),
        ("error answer", &was.error_type, &now.error_type),
    ] {
        if old != new {
            let wire = types::retyped(old_model, model, old, new);
            push(
                which,
                format!("type {old} -> {new}"),
                wire,
                Verdict::Breaking,
            );
        }
    }
    for pointer in &now.secrets {
        if !was.secrets.contains(pointer) {
            push(
                &format!("body {pointer}"),
                "became secret (`Secret`, never shown)".into(),
                Verdict::None,
                Verdict::Breaking,
            );
        }
    }
    extensions(was, now, &mut push);
}

fn parameters(
    was: &[Parameter],
    now: &[Parameter],
    push: &mut impl FnMut(&str, String, Verdict, Verdict),
) {
    for parameter in now {
        let item = format!("parameter {}", parameter.name);
        let Some(old) = was.iter().find(|p| p.name == parameter.name) else {
            if parameter.required {
                push(
                    &item,
                    "added, required".into(),
                    Verdict::Breaking,
                    Verdict::Breaking,
                );
            } else {
                push(
                    &item,
                    "added, optional".into(),
                    Verdict::Compatible,
                    Verdict::Compatible,
                );
            }
            continue;
        };
        if old.location != parameter.location {
            push(
                &item,
                format!(
                    "sent in the {} (was the {})",
                    parameter.location, old.location
                ),
                Verdict::Breaking,
                Verdict::None,
            );
        }
        if old.rust_type != parameter.rust_type {
            push(
                &item,
                format!("type {} -> {}", old.rust_type, parameter.rust_type),
                Verdict::None,
                Verdict::Breaking,
            );
        }
        required(&item, old.required, parameter.required, push);
        constraints(&item, &old.constraints, &parameter.constraints, push);
    }
    for parameter in was {
        if !now.iter().any(|p| p.name == parameter.name) {
            push(
                &format!("parameter {}", parameter.name),
                "removed".into(),
                Verdict::Breaking,
                Verdict::Breaking,
            );
        }
    }
}

fn required(
    item: &str,
    was: bool,
    now: bool,
    push: &mut impl FnMut(&str, String, Verdict, Verdict),
) {
    match (was, now) {
        (false, true) => push(
            item,
            "became required".into(),
            Verdict::Breaking,
            Verdict::Breaking,
        ),
        (true, false) => push(
            item,
            "became optional".into(),
            Verdict::Compatible,
            Verdict::Compatible,
        ),
        _ => {}
    }
}

fn body(
    was: Option<&Body>,
    now: Option<&Body>,
    push: &mut impl FnMut(&str, String, Verdict, Verdict),
) {
    let (was, now) = match (was, now) {
        (None, None) => return,
        (None, Some(_)) => {
            push("body", "added".into(), Verdict::Breaking, Verdict::Breaking);
            return;
        }
        (Some(_), None) => {
            push(
                "body",
                "removed".into(),
                Verdict::Breaking,
                Verdict::Breaking,
            );
            return;
        }
        (Some(was), Some(now)) => (was, now),
    };
    required("body", was.required, now.required, push);
    if was.media != now.media {
        push(
            "body",
            format!(
                "sent as {} (was {})",
                now.media.join(", "),
                was.media.join(", ")
            ),
            Verdict::Breaking,
            Verdict::None,
        );
    }
    for field in &now.fields {
        let item = format!("body field {}", field.name);
        let Some(old) = was.fields.iter().find(|f| f.name == field.name) else {
            // The body's type gains a field: the type diff reports the struct literal.
            let (wire, what) = if field.required {
                (Verdict::Breaking, "added, required")
            } else {
                (Verdict::Compatible, "added, optional")
            };
            push(&item, what.into(), wire, Verdict::Compatible);
            continue;
        };
        required(&item, old.required, field.required, push);
        constraints(&item, &old.constraints, &field.constraints, push);
    }
    for field in &was.fields {
        if !now.fields.iter().any(|f| f.name == field.name) {
            push(
                &format!("body field {}", field.name),
                "removed".into(),
                Verdict::Breaking,
                Verdict::Breaking,
            );
        }
    }
}

/// Values, ranges, lengths and patterns: a value that was sent and is now refused before sending
/// is a wire break; the Rust types say nothing of it.
fn constraints(
    item: &str,
    was: &Constraints,
    now: &Constraints,
    push: &mut impl FnMut(&str, String, Verdict, Verdict),
) {
    for value in &now.values {
        if !was.values.is_empty() && !was.values.contains(value) {
            push(
                item,
                format!("value `{value}` added"),
                Verdict::Compatible,
                Verdict::None,
            );
        }
    }
    for value in &was.values {
        if !now.values.contains(value) {
            // Request enums are open: the value is still sent, as `Other`.
            push(
                item,
                format!("value `{value}` no longer documented"),
                Verdict::Compatible,
                Verdict::None,
            );
        }
    }
    let number = |v: &Option<serde_json::Value>| v.as_ref().and_then(serde_json::Value::as_f64);
    let mut bound = |name: &str,
                     old: Option<f64>,
                     new: Option<f64>,
                     narrower: fn(f64, f64) -> bool| {
        let what = match (old, new) {
            (None, Some(n)) => Some((format!("{name} {n} added"), true)),
            (Some(o), None) => Some((format!("{name} {o} removed"), false)),
            (Some(o), Some(n)) if o != n => Some((format!("{name} {o} -> {n}"), narrower(o, n))),
            _ => None,
        };
        if let Some((what, narrowed)) = what {
            let wire = if narrowed {
                Verdict::Breaking
            } else {
                Verdict::Compatible
            };
            let what = format!("{what} ({})", if narrowed { "narrowed" } else { "widened" });
            push(item, what, wire, Verdict::None);
        }
    };
    bound(
        "minimum",
        number(&was.minimum),
        number(&now.minimum),
        |o, n| n > o,
    );
    bound(
        "maximum",
        number(&was.maximum),
        number(&now.maximum),
        |o, n| n < o,
    );
    bound(
        "maxLength",
        number(&was.max_length),
        number(&now.max_length),
        |o, n| n < o,
    );
    match (&was.pattern, &now.pattern) {
        (None, Some(p)) => push(
            item,
            format!("pattern `{p}` added"),
            Verdict::Breaking,
            Verdict::None,
        ),
        (Some(_), None) => push(
            item,
            "pattern removed (widened)".into(),
            Verdict::Compatible,
            Verdict::None,
        ),
        (Some(o), Some(p)) if o != p => push(
            item,
            format!("pattern `{o}` -> `{p}`"),
            Verdict::Breaking,
            Verdict::None,
        ),
        _ => {}
    }
}

/// Waiters, paginator and cancel: what a consumer's loop does with an answer.
fn extensions(
    was: &Operation,
    now: &Operation,
    push: &mut impl FnMut(&str, String, Verdict, Verdict),
) {
    let json = |value: &dyn erased::Json| value.json();
    for waiter in &now.waiters {
        let item = format!("waiter {}", waiter.declared.name);
        match was
            .waiters
            .iter()
            .find(|w| w.declared.name == waiter.declared.name)
        {
            None => push(&item, "added".into(), Verdict::None, Verdict::Compatible),
            Some(old) => {
                if old.words != waiter.words {
                    push(
                        &item,
                        "status words map to other phases".into(),
                        Verdict::None,
                        Verdict::Breaking,
                    );
                }
                if json(&old.declared) != json(&waiter.declared) {
                    push(
                        &item,
                        "ends on other phases, answers or statuses".into(),
                        Verdict::None,
                        Verdict::Breaking,
                    );
                }
            }
        }
    }
    for waiter in &was.waiters {
        if !now
            .waiters
            .iter()
            .any(|w| w.declared.name == waiter.declared.name)
        {
            push(
                &format!("waiter {}", waiter.declared.name),
                "removed".into(),
                Verdict::None,
                Verdict::Breaking,
            );
        }
    }
    match (&was.paginate, &now.paginate) {
        (None, Some(_)) => push(
            "paginator",
            "added (`.stream()`)".into(),
            Verdict::None,
            Verdict::Compatible,
        ),
        (Some(_), None) => push(
            "paginator",
            "removed (`.stream()`)".into(),
            Verdict::None,
            Verdict::Breaking,
        ),
        (Some(a), Some(b))
            if json(&a.declared) != json(&b.declared) || a.item_type != b.item_type =>
        {
            push(
                "paginator",
                "pages another way".into(),
                Verdict::None,
                Verdict::Breaking,
            )
        }
        _ => {}
    }
    match (&was.cancel, &now.cancel) {
        (None, Some(_)) => push(
            "cancel outcome",
            "added".into(),
            Verdict::None,
            Verdict::Compatible,
        ),
        (Some(_), None) => push(
            "cancel outcome",
            "removed".into(),
            Verdict::None,
            Verdict::Breaking,
        ),
        (Some(a), Some(b)) if json(a) != json(b) => push(
            "cancel outcome",
            "reads answers another way".into(),
            Verdict::None,
            Verdict::Breaking,
        ),
        _ => {}
    }
}

/// `.phase()` tables: a word mapped to another phase changes what a consumer's code does.
fn phases(old: &CrateModel, new: &CrateModel, changes: &mut Vec<Change>) {
    for (name, table) in &new.phases {
        let at = format!("type {name}");
        let Some(was) = old.phases.get(name) else {
            changes.push(change(
                &at,
                "x-phase",
                "`.phase()` added".into(),
                Verdict::None,
                Verdict::Compatible,
            ));
            continue;
        };
        for (word, phase) in table {
            match was.get(word) {
                Some(old) if old != phase => changes.push(change(
                    &at,
                    &format!("phase of `{word}`"),
                    format!("{old} -> {phase}"),
                    Verdict::None,
                    Verdict::Breaking,
                )),
                None => changes.push(change(
                    &at,
                    &format!("phase of `{word}`"),
                    format!("unknown -> {phase}"),
                    Verdict::None,
                    Verdict::Breaking,
                )),
                _ => {}
            }
        }
        for (word, phase) in was {
            if !table.contains_key(word) {
                changes.push(change(
                    &at,
                    &format!("phase of `{word}`"),
                    format!("{phase} -> unknown"),
                    Verdict::None,
                    Verdict::Breaking,
                ));
            }
        }
    }
    for name in old.phases.keys() {
        if !new.phases.contains_key(name) {
            changes.push(change(
                &format!("type {name}"),
                "x-phase",
                "`.phase()` removed".into(),
                Verdict::None,
                Verdict::Breaking,
            ));
        }
    }
}

/// Comparing extension declarations by their JSON, whatever their type.
mod erased {
    pub trait Json {
        fn json(&self) -> String;
    }

    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests;
