//! Reading progenitor's generated code (as `syn`): its modules, its types by name, and the
//! expression that reads a field path over them. Emitters use it so the names they write are
//! the ones progenitor chose.

use crate::naming::method_name;

/// The items of progenitor's top-level module `name` (`types`, `builder`).
pub fn module_items<'a>(
    generated: &'a syn::File,
    name: &'a str,
) -> impl Iterator<Item = &'a syn::Item> {
    generated
        .items
        .iter()
        .filter_map(move |item| match item {
            syn::Item::Mod(m) if m.ident == name => m.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items)
}

/// The structs and enums of progenitor's `types` module, by name.
pub fn generated_types(generated: &syn::File) -> std::collections::BTreeMap<String, &syn::Item> {
    module_items(generated, "types")
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some((s.ident.to_string(), item)),
            syn::Item::Enum(e) => Some((e.ident.to_string(), item)),
            _ => None,
        })
        .collect()
}

/// The type inside `Option<..>`, by its last path segment: `Option<JobExe>` gives `JobExe`.
pub fn option_inner(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(syn::Type::Path(inner)) => {
            Some(inner.path.segments.last()?.ident.to_string())
        }
        _ => None,
    }
}

/// The expression, over `root` (a `<success>`, or a reference to one if `root_is_reference`),
/// that reads a field path (`a.b.c`, a waiter's
/// status or a submission's job ID) as an `Option<&_>`, as Rust source naming types through
/// `types` (`types` in the crate, `dli_v1::types` in its docs): each step is an optional field
/// (lint rule `waiter`), so a missing one reads as `None`. A step on an enum (a `oneOf` such as
/// a statement or a raw string) is read from its one variant holding a struct with that field;
/// the other variants read as missing. Walked over progenitor's generated types, so the names
/// are the ones it chose.
pub fn field_read(
    types_by_name: &std::collections::BTreeMap<String, &syn::Item>,
    types: &str,
    root: &str,
    root_is_reference: bool,
    success: &str,
    path: &str,
) -> Result<String, String> {
    let field_of = |name: &str, field: &str| -> Option<&syn::Type> {
        let Some(syn::Item::Struct(item)) = types_by_name.get(name) else {
            return None;
        };
        item.fields
            .iter()
            .find(|f| f.ident.as_ref().is_some_and(|i| i == field))
            .map(|f| &f.ty)
    };
    let mut type_name = success.to_owned();
    let mut chain: Option<String> = None;
    for step in path.split('.') {
        let field = method_name(step);
        let (ty, variant) = match types_by_name.get(&type_name) {
            Some(syn::Item::Struct(_)) => {
                let ty = field_of(&type_name, &field)
                    .ok_or_else(|| format!("`{type_name}` has no field `{field}`"))?;
                (ty, None)
            }
            Some(syn::Item::Enum(item)) => {
                let holding: Vec<(&syn::Ident, String)> = item
                    .variants
                    .iter()
                    .filter_map(|variant| match &variant.fields {
                        syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                            let syn::Type::Path(p) = &fields.unnamed[0].ty else {
                                return None;
                            };
                            let held = p.path.segments.last()?.ident.to_string();
                            field_of(&held, &field)
                                .is_some()
                                .then_some((&variant.ident, held))
                        }
                        _ => None,
                    })
                    .collect();
                let [(variant, held)] = holding.as_slice() else {
                    return Err(format!(
                        "`{type_name}` has {} variants holding a field `{field}`, not one",
                        holding.len()
                    ));
                };
                let ty = field_of(held, &field)
                    .ok_or_else(|| format!("`{held}` has no field `{field}`"))?;
                (ty, Some(format!("{types}::{type_name}::{variant}")))
            }
            _ => return Err(format!("`{type_name}` is not a generated struct or enum")),
        };
        let read_from = |value: &str| match &variant {
            None => format!("{value}.{field}.as_ref()"),
            Some(variant) => {
                format!("match {value} {{ {variant}(value) => value.{field}.as_ref(), _ => None }}")
            }
        };
        chain = Some(match chain {
            // A match must not move an owned root.
            None if variant.is_some() && !root_is_reference => read_from(&format!("&{root}")),
            None => read_from(root),
            Some(chain) => format!("{chain}.and_then(|value| {})", read_from("value")),
        });
        type_name = option_inner(ty)
            .ok_or_else(|| format!("field `{field}` of `{type_name}` is not an `Option`"))?;
    }
    chain.ok_or_else(|| "the path is empty".to_owned())
}

/// One of progenitor's builders: each setter's value type (the `T` of its
/// `V: TryInto<T>` bound), and the `T` and `E` of what `send` answers
/// (`Result<ResponseValue<T>, Error<E>>`).
pub struct Builder {
    pub setters: std::collections::BTreeMap<String, syn::Type>,
    pub answer: Option<(syn::Type, syn::Type)>,
}

impl Builder {
    /// Whether the success or the error answer is bytes, not decoded JSON.
    pub fn answers_bytes(&self) -> (bool, bool) {
        self.answer
            .as_ref()
            .map_or((false, false), |(ok, err)| (is_bytes(ok), is_bytes(err)))
    }
}

/// Whether an answer type is progenitor's byte stream (a body that is not JSON).
pub fn is_bytes(ty: &syn::Type) -> bool {
    quote::quote!(#ty).to_string().contains("ByteStream")
}

/// progenitor's builders, by name, read from its `builder` module: what the command line and the
/// mocks are typed by.
pub fn builders(generated: &syn::File) -> std::collections::BTreeMap<String, Builder> {
    let mut found = std::collections::BTreeMap::new();
    for item in module_items(generated, "builder") {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let syn::Type::Path(path) = &*block.self_ty else {
            continue;
        };
        let Some(name) = path.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        let mut builder = Builder {
            setters: std::collections::BTreeMap::new(),
            answer: None,
        };
        for member in &block.items {
            let syn::ImplItem::Fn(method) = member else {
                continue;
            };
            if method.sig.ident == "send" {
                if let syn::ReturnType::Type(_, ty) = &method.sig.output {
                    builder.answer = answer_types(ty);
                }
            } else if let Some(ty) = try_into_bound(&method.sig) {
                builder.setters.insert(method.sig.ident.to_string(), ty);
            }
        }
        found.insert(name, builder);
    }
    found
}

/// `T` and `E` of `Result<ResponseValue<T>, Error<E>>`.
fn answer_types(ty: &syn::Type) -> Option<(syn::Type, syn::Type)> {
    let args = generic_args(ty)?;
    let ok = generic_args(args.first()?)?.first()?.clone();
    let err = generic_args(args.get(1)?)?.first()?.clone();
    Some((ok, err))
}

/// The type arguments of `Name<A, B>`.
fn generic_args(ty: &syn::Type) -> Option<Vec<syn::Type>> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    Some(
        args.args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
    )
}

/// `T` of a setter's `where V: std::convert::TryInto<T>`.
fn try_into_bound(sig: &syn::Signature) -> Option<syn::Type> {
    for predicate in &sig.generics.where_clause.as_ref()?.predicates {
        let syn::WherePredicate::Type(predicate) = predicate else {
            continue;
        };
        for bound in &predicate.bounds {
            let syn::TypeParamBound::Trait(bound) = bound else {
                continue;
            };
            let last = bound.path.segments.last()?;
            if last.ident != "TryInto" {
                continue;
            }
            if let syn::PathArguments::AngleBracketed(args) = &last.arguments
                && let Some(syn::GenericArgument::Type(ty)) = args.args.first()
            {
                return Some(ty.clone());
            }
        }
    }
    None
}
