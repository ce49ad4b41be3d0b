//! `x-phase`: each value of a status enum (or integer) mapped onto a shared phase, checked by lint
//! rule `phase` and turned into `.phase()` on the type and its open wrapper.

use serde_json::Value;

use crate::{
    diagnostics::{Report, segment},
    error::Error,
    spec::*,
    spec_json::{resolve, resolve_schema},
};

/// `x-phase` maps every value of a status enum, once, onto one of the shared phases. On an
/// integer schema without `enum` (MRS v1.1's `job_final_status`), its keys are the documented
/// values, each an integer.
pub(crate) fn phases(doc: &Value, report: &mut Report) {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    let names: Vec<&str> = PHASES.iter().map(|(name, _)| *name).collect();
    for (name, schema) in schemas {
        let Some(phase) = schema.get(KEY) else {
            continue;
        };
        let at = format!("/components/schemas/{}/x-phase", segment(name));
        let hint = format!(
            "map each value of the enum (or each documented value of the integer) to one of {}",
            names.join(", ")
        );
        let Some(map) = phase.as_object() else {
            report.add(&at, "phase", "`x-phase` is not a mapping", &hint);
            continue;
        };
        let values: Vec<String> = match schema.get("enum").and_then(Value::as_array) {
            Some(values) => values
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect(),
            None if schema.get("type").and_then(Value::as_str) == Some("integer") => {
                for key in map.keys().filter(|k| k.parse::<i64>().is_err()) {
                    report.add(
                        format!("{at}/{}", segment(key)),
                        "phase",
                        format!("`{key}` is not an integer value"),
                        &hint,
                    );
                }
                map.keys().cloned().collect()
            }
            None => {
                report.add(
                    &at,
                    "phase",
                    "`x-phase` must be on an enum schema or an integer schema",
                    &hint,
                );
                continue;
            }
        };
        for value in &values {
            match map.get(value) {
                None => report.add(&at, "phase", format!("value `{value}` has no phase"), &hint),
                Some(p) if !p.as_str().is_some_and(|p| names.contains(&p)) => report.add(
                    format!("{at}/{}", segment(value)),
                    "phase",
                    format!(
                        "`{}` is not a phase",
                        p.as_str().map_or_else(|| p.to_string(), str::to_owned)
                    ),
                    &hint,
                ),
                Some(_) => {}
            }
        }
        for key in map.keys().filter(|k| !values.contains(k)) {
            report.add(
                format!("{at}/{}", segment(key)),
                "phase",
                format!("`{key}` is not a value of the enum"),
                &hint,
            );
        }
    }
}

/// The extension's key on a status schema.
pub const KEY: &str = "x-phase";

/// The phase `x-phase` name `name` stands for, as a `cloud_runtime::Phase` path.
pub(crate) fn phase_path(name: &str) -> Option<proc_macro2::TokenStream> {
    let variant = PHASES.iter().find(|(n, _)| *n == name)?.1;
    let ident = quote::format_ident!("{variant}");
    Some(quote::quote!(cloud_runtime::Phase::#ident))
}

/// The phase names `x-phase` may use, and the `cloud_runtime::Phase` each stands for.
pub use crate::runtime_contract::PHASES;

/// `.phase()` for every status enum whose spec maps its values with `x-phase`, and for each
/// open enum (`anyOf: [$ref KnownX, string]`) built on it: one table per enum, from the spec.
pub(crate) fn emit(spec: &Spec) -> Result<String, Error> {
    use quote::{format_ident, quote};
    let Some(components) = &spec.openapi.components else {
        return Ok(String::new());
    };
    let unsupported = |message: String| Error::Unsupported {
        path: spec.path.clone(),
        message: format!("x-phase: {message}"),
        hint: "declare phases that lint rule `phase` accepts".into(),
    };
    let mut items = Vec::new();
    for (name, schema) in &components.schemas {
        let Some(schema) = schema.as_item() else {
            continue;
        };
        let Some(map) = schema
            .schema_data
            .extensions
            .get(KEY)
            .and_then(serde_json::Value::as_object)
        else {
            continue;
        };
        let table = format_ident!(
            "PHASES_{}",
            heck::ToShoutySnakeCase::to_shouty_snake_case(name.as_str())
        );
        let rows = map.iter().filter_map(|(value, phase)| {
            let phase = phase_path(phase.as_str()?)?;
            Some(quote!((#value, #phase)))
        });
        let doc = format!(" The phase of each `{name}` value, from the spec's `x-phase`.");
        items.push(quote! {
            #[doc = #doc]
            const #table: &[(&str, cloud_runtime::Phase)] = &[#(#rows),*];
        });
        let reference = format!("#/components/schemas/{name}");
        let wrappers = components.schemas.iter().filter_map(|(wrapper, schema)| {
            let openapiv3::SchemaKind::AnyOf { any_of } = &schema.as_item()?.schema_kind else {
                return None;
            };
            any_of
                .iter()
                .any(|branch| matches!(branch, openapiv3::ReferenceOr::Reference { reference: r } if *r == reference))
                .then_some(wrapper)
        });
        for type_name in std::iter::once(name).chain(wrappers) {
            let type_name = syn::parse_str::<syn::Ident>(type_name)
                .map_err(|_| unsupported(format!("`{type_name}` is not a Rust identifier")))?;
            items.push(quote! {
                impl types::#type_name {
                    /// Where the job or statement is, in the phase every service shares; a value the spec does
                    /// not map is `Phase::Unknown` with the service's word.
                    pub fn phase(&self) -> cloud_runtime::Phase {
                        cloud_runtime::Phase::of(self, #table)
                    }
                }
            });
        }
    }
    if items.is_empty() {
        return Ok(String::new());
    }
    crate::formatting::section(&spec.path, "phases", quote!(#(#items)*))
}

/// Whether `schema` has a phase: an enum (or integer) with `x-phase`, or an open enum built on
/// one.
pub fn has_phase(doc: &Value, schema: &Value) -> bool {
    let schema = resolve_schema(doc, schema);
    schema.get(KEY).is_some()
        || schema
            .get("anyOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|branch| branch.get("$ref").is_some() && resolve(doc, branch).get(KEY).is_some())
}
