//! Changes to the crate's public types: what code building, reading or matching them sees.

use super::{Change, Verdict, change};
use crate::model::{CrateModel, PublicType, TypeKind};

pub(super) fn diff(old: &CrateModel, new: &CrateModel, changes: &mut Vec<Change>) {
    for (name, ty) in &new.types {
        let at = format!("type {name}");
        let Some(was) = old.types.get(name) else {
            changes.push(change(
                &at,
                "",
                "added".into(),
                Verdict::None,
                Verdict::Compatible,
            ));
            continue;
        };
        if was.kind != ty.kind {
            changes.push(change(
                &at,
                "",
                format!("{} -> {}", kind(was.kind), kind(ty.kind)),
                Verdict::Breaking,
                Verdict::Breaking,
            ));
            continue;
        }
        if was.serde != ty.serde {
            changes.push(change(
                &at,
                "",
                format!("serde {:?} -> {:?}", was.serde, ty.serde),
                Verdict::Breaking,
                Verdict::None,
            ));
        }
        if was.inner != ty.inner {
            changes.push(change(
                &at,
                "",
                format!(
                    "wraps {} -> {}",
                    was.inner.as_deref().unwrap_or("-"),
                    ty.inner.as_deref().unwrap_or("-")
                ),
                Verdict::None,
                Verdict::Breaking,
            ));
        }
        members(old, new, &at, was, ty, changes);
        if let (Some(a), Some(b)) = (&was.docs, &ty.docs)
            && a != b
        {
            changes.push(change(
                &at,
                "",
                "documentation changed".into(),
                Verdict::None,
                Verdict::None,
            ));
        }
    }
    for name in old.types.keys() {
        if !new.types.contains_key(name) {
            // A Rust name gone; what the wire carries is judged where a field or answer used it.
            changes.push(change(
                &format!("type {name}"),
                "",
                "removed".into(),
                Verdict::None,
                Verdict::Breaking,
            ));
        }
    }
}

fn kind(kind: TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct => "struct",
        TypeKind::Newtype => "newtype",
        TypeKind::Enum => "enum",
    }
}

fn members(
    old_model: &CrateModel,
    model: &CrateModel,
    at: &str,
    was: &PublicType,
    now: &PublicType,
    changes: &mut Vec<Change>,
) {
    let (noun, added_breaks) = match now.kind {
        TypeKind::Enum => ("variant", "breaks an exhaustive `match`"),
        _ => ("field", "breaks a struct literal"),
    };
    for member in &now.members {
        let item = format!("{noun} {}", member.name);
        let Some(old) = was.members.iter().find(|m| m.name == member.name) else {
            changes.push(change(
                at,
                &item,
                format!("added ({added_breaks})"),
                Verdict::Compatible,
                Verdict::Breaking,
            ));
            continue;
        };
        if old.ty != member.ty {
            let wire = retyped(old_model, model, &old.ty, &member.ty);
            let what = if old.ty.is_empty() || member.ty.is_empty() {
                format!("payload `{}` -> `{}`", old.ty, member.ty)
            } else {
                format!("type {} -> {}", old.ty, member.ty)
            };
            changes.push(change(at, &item, what, wire, Verdict::Breaking));
        }
        if old.wire != member.wire {
            changes.push(change(
                at,
                &item,
                format!(
                    "named `{}` on the wire (was `{}`)",
                    member.wire.as_deref().unwrap_or(&member.name),
                    old.wire.as_deref().unwrap_or(&old.name)
                ),
                Verdict::Breaking,
                Verdict::None,
            ));
        }
    }
    for member in &was.members {
        if !now.members.iter().any(|m| m.name == member.name) {
            // A variant an open enum no longer knows still arrives, as `Other`.
            let wire = if now.kind == TypeKind::Enum && is_known_half(model, at) {
                Verdict::Compatible
            } else {
                Verdict::Breaking
            };
            changes.push(change(
                at,
                &format!("{noun} {}", member.name),
                "removed".into(),
                wire,
                Verdict::Breaking,
            ));
        }
    }
}

/// Whether type `at` (`type KnownX`) is the known half of an open enum: some enum has a variant
/// holding it and one holding a `String`.
fn is_known_half(model: &CrateModel, at: &str) -> bool {
    let name = at.trim_start_matches("type ");
    model.types.values().any(|ty| {
        ty.kind == TypeKind::Enum
            && ty.members.iter().any(|m| bare(&m.ty) == name)
            && ty.members.iter().any(|m| m.ty.ends_with("String"))
    })
}

/// The type a field's type names, without `Option<..>` and paths: `Option<types::Job>` -> `Job`.
fn bare(ty: &str) -> &str {
    let mut ty = ty.trim();
    for wrapper in ["::std::option::Option<", "Option<"] {
        if let Some(inner) = ty.strip_prefix(wrapper).and_then(|t| t.strip_suffix('>')) {
            ty = inner;
        }
    }
    ty.rsplit("::").next().unwrap_or(ty)
}

/// The wire verdict of a field or answer whose Rust type went from `old` (in `old_model`) to
/// `new`: none when both carry the same JSON (a type renamed, as when a schema moves to a
/// shared component), compatible when `new` takes every value `old` took (made optional, or a
/// union holding `old`), breaking otherwise.
pub(super) fn retyped(old_model: &CrateModel, model: &CrateModel, old: &str, new: &str) -> Verdict {
    let optional = |ty: &str| ty.starts_with("::std::option::Option<") || ty.starts_with("Option<");
    if optional(old) == optional(new) && same_json(old_model, model, old, new, 0) {
        Verdict::None
    } else if widens(model, old, new) || (optional(new) && bare(old) == bare(new)) {
        Verdict::Compatible
    } else {
        Verdict::Breaking
    }
}

/// Whether Rust types `old` and `new` (of their models) read and write the same JSON: the same
/// name, or two generated types of the same kind, serde attributes, wrapped type and members
/// (wire names and, recursively, types). Bounded: a recursive type answers `false` past the bound.
fn same_json(old_model: &CrateModel, model: &CrateModel, old: &str, new: &str, depth: u8) -> bool {
    if old == new {
        return true;
    }
    if depth > 8 || old.replace(bare(old), "") != new.replace(bare(new), "") {
        return false;
    }
    let (Some(was), Some(now)) = (old_model.types.get(bare(old)), model.types.get(bare(new)))
    else {
        return false;
    };
    was.kind == now.kind
        && was.serde == now.serde
        && was.inner == now.inner
        && was.members.len() == now.members.len()
        && was.members.iter().zip(&now.members).all(|(a, b)| {
            a.wire.as_ref().unwrap_or(&a.name) == b.wire.as_ref().unwrap_or(&b.name)
                && same_json(old_model, model, &a.ty, &b.ty, depth + 1)
        })
}

/// Whether every value `old` decoded still decodes as `new`: `new` is an enum (a `oneOf` or
/// `anyOf` of the spec) one of whose variants holds `old`, as when a field the SDK reads as a
/// string and the page as an integer becomes "either".
pub(super) fn widens(model: &CrateModel, old: &str, new: &str) -> bool {
    let Some(union) = model.types.get(bare(new)) else {
        return false;
    };
    let old_inner = bare(old);
    union.kind == TypeKind::Enum
        && union
            .members
            .iter()
            .any(|m| !m.ty.is_empty() && bare(&m.ty) == old_inner)
}
