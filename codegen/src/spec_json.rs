//! Reading a spec in its JSON form, as the rules and the extensions' checks do: references
//! followed (bounded), operations in document order, pointers to them.

use std::path::PathBuf;

use serde_json::Value;

use crate::diagnostics::{Report, segment};

/// A spec file read for linting: its path and JSON form.
pub struct SpecDocument {
    pub path: PathBuf,
    pub document: Value,
}

/// Follows local `$ref`s (`#/...`) to the object they name; an unresolvable one is returned as
/// is (the `ref` rule reports it). Bounded, so a reference cycle cannot hang the linter.
pub fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..8 {
        let target = value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|t| t.strip_prefix('#'))
            .and_then(|p| doc.pointer(p));
        match target {
            Some(found) => value = found,
            None => return value,
        }
    }
    value
}

pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub fn operations(doc: &Value) -> impl Iterator<Item = (&String, &Value, &'static str, &Value)> {
    doc.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(route, item)| {
            METHODS
                .iter()
                .filter_map(move |m| Some((route, item, *m, item.get(*m)?)))
        })
}

pub fn at(route: &str, method: &str) -> String {
    format!("/paths/{}/{method}", segment(route))
}

/// The responses of `op` whose JSON body is an inline schema: codegen names the response types
/// of an operation carrying `x-waiters`, `x-paginate` or `x-cancel` by their components, so each
/// is reported under that extension's `rule`.
pub fn inline_responses(
    doc: &Value,
    op: &Value,
    at: &str,
    rule: &'static str,
    report: &mut Report,
) {
    for (status, response) in op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let schema = resolve(doc, response).pointer("/content/application~1json/schema");
        let named = schema
            .and_then(|s| s.get("$ref"))
            .and_then(Value::as_str)
            .is_some_and(|r| r.starts_with("#/components/schemas/"));
        if schema.is_some() && !named {
            report.add(
                format!("{at}/responses/{}", segment(status)),
                rule,
                format!("the {status} response's body is an inline schema; the generated code names it by its component"),
                "move the schema to `components/schemas` and `$ref` it",
            );
        }
    }
}

/// The (resolved) JSON schema of an operation's first 2xx response.
pub fn success_schema<'a>(doc: &'a Value, op: &'a Value) -> Option<&'a Value> {
    op.get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .find(|(status, _)| status.starts_with('2'))
        .and_then(|(_, r)| resolve(doc, r).pointer("/content/application~1json/schema"))
        .map(|s| resolve(doc, s))
}

/// `schema` with references followed, and through a single-member `allOf` (the OpenAPI 3.0 way
/// to make a reference nullable), as typify reads it.
pub fn resolve_schema<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let mut schema = resolve(doc, schema);
    for _ in 0..8 {
        match schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([only]) => schema = resolve(doc, only),
            _ => break,
        }
    }
    schema
}

/// The object a step of a waiter's status path is read from: `schema` itself, or the one
/// object branch of a `oneOf`/`anyOf` (DataArts Fabric's statement result is a statement or a
/// raw string; the other branches read as an unknown phase).
pub fn object_of<'a>(doc: &'a Value, schema: &'a Value) -> Result<&'a Value, &'static str> {
    if schema.get("properties").is_some() {
        return Ok(schema);
    }
    let branches = ["oneOf", "anyOf"]
        .iter()
        .filter_map(|key| schema.get(*key).and_then(Value::as_array))
        .flatten()
        .map(|branch| resolve_schema(doc, branch))
        .filter(|branch| branch.get("properties").is_some())
        .collect::<Vec<_>>();
    match branches.as_slice() {
        [object] => Ok(object),
        [] => Err("is not an object"),
        _ => Err("is a union of more than one object, so the status's place is not one field"),
    }
}

/// The field a waiter's `status` (or a marker paginator's `next`) names in the success
/// response: a property, or a dotted path through nested objects (`job_detail.job_result`). Every step is an `Option` in the generated
/// code, which the waiter reads as an unknown phase when missing: rule `response-constraints`
/// refuses `required` in response schemas.
pub fn field_at<'a>(
    doc: &'a Value,
    success: Option<&'a Value>,
    status: &str,
) -> Result<&'a Value, String> {
    let Some(mut schema) = success else {
        return Err("the operation has no JSON success response to read a status from".into());
    };
    for (i, step) in status.split('.').enumerate() {
        let path = status.split('.').take(i + 1).collect::<Vec<_>>().join(".");
        let parent = if i == 0 {
            "the success response".to_owned()
        } else {
            format!(
                "`{}`",
                status.split('.').take(i).collect::<Vec<_>>().join(".")
            )
        };
        let object = object_of(doc, schema).map_err(|problem| format!("{parent} {problem}"))?;
        let Some(field) = object.pointer(&format!("/properties/{}", segment(step))) else {
            return Err(format!("`{path}` is not a field of the success response"));
        };
        schema = resolve_schema(doc, field);
    }
    Ok(schema)
}

/// A problem (pointer below `what`, message) for each key of `map` not in `known`.
pub fn unknown_keys(
    map: &serde_json::Map<String, Value>,
    known: &[&str],
    what: &str,
) -> Vec<(String, String)> {
    map.keys()
        .filter(|key| !known.contains(&key.as_str()))
        .map(|key| {
            (
                format!("/{}", segment(key)),
                format!("`{key}` is not a key of `{what}`"),
            )
        })
        .collect()
}

/// Lower-case words of letters and digits, the first starting with a letter, joined by single
/// `_`: a name that is a Rust identifier in snake case and in camel case alike.
pub fn is_snake_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.split('_').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}
