//! `x-waiters`: waiters polling an operation, checked by lint rule `waiter` and turned into
//! `Client::wait_until_<name>()` and one waiter type each, which forwards every setter of the
//! polled operation's builder.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    diagnostics::{Report, segment},
    spec_json::*,
};

use super::phase::{has_phase, phase_path};
use crate::progenitor_output::*;
use crate::{naming::method_name, spec::*};

/// The extension's key on an operation.
pub const KEY: &str = "x-waiters";

/// What the emitter adds to each waiter type beside the polled operation's setters: a parameter
/// of the polled operation named like one would be a second method of that name.
pub const WAITER_MEMBERS: &[&str] = &[
    "max_wait",
    "poll_interval",
    "on_poll",
    "phase_of",
    "read",
    "send",
];

/// One waiter of `x-waiters`, read once for the emitter and the crate docs' examples.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
// Lint refuses keys the model does not know (`unknown_keys_deep`); so does the schema.
#[schemars(deny_unknown_fields)]
pub struct Waiter {
    /// snake_case; the waiter is `Client::wait_until_<name>()`.
    #[serde(default)]
    pub name: String,
    /// The status field, or a dotted path to it, in the polled operation's success response.
    #[serde(default)]
    pub status: String,
    /// The phases that end the wait well, and badly (lint requires both lists).
    pub success: Option<Vec<String>>,
    pub failure: Option<Vec<String>>,
    pub gone: Option<GoneWhen>,
    pub after: Option<After>,
    /// Where the answer says why (a field path).
    pub message: Option<String>,
    /// Where the answer names its job, and the path parameter that asked for it.
    pub id: Option<JobId>,
    /// The job is one item of a list answer (`status` and `message` are then read from the item).
    pub item: Option<Item>,
}

/// `item: {items, key, parameter}`: the polled operation lists jobs, `items` (a field path) is
/// the array, `key` the string field of an item naming it, and `parameter` the string query
/// parameter the caller names the job with. The waiter reads the item whose `key` is that name
/// (ASCII case ignored); an answer without it means the job is gone. For what the service lets
/// read only from a list, such as a DLI elastic resource pool.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Item {
    /// The field path of the list's array in the success response.
    #[serde(default)]
    pub items: String,
    /// The string field of an item that names it.
    #[serde(default)]
    pub key: String,
    /// The string query parameter the caller names the job with.
    #[serde(default)]
    pub parameter: String,
}

/// `gone: 404`, or `gone: {status: 400, code: error_code, codes: [DLI.0002]}`.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
#[schemars(deny_unknown_fields)]
pub enum GoneWhen {
    Status(u16),
    Code {
        status: u16,
        code: Option<String>,
        codes: Option<Vec<String>>,
    },
}

/// `after: {submit, ids, result}`: the submission the waiter follows, where the polled IDs are
/// in its answer, and the operation that reads the result.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct After {
    #[serde(default)]
    pub submit: String,
    pub ids: Option<std::collections::BTreeMap<String, String>>,
    pub result: Option<String>,
}

/// `id: {field, parameter}`.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct JobId {
    pub field: Option<String>,
    #[serde(default)]
    pub parameter: String,
}

impl Waiter {
    /// The waiters declared on an operation, or why they do not read.
    pub fn read_all(op: &openapiv3::Operation) -> Result<Vec<Waiter>, String> {
        match op.extensions.get(KEY) {
            None => Ok(Vec::new()),
            Some(value) => Vec::<Waiter>::deserialize(value)
                .map_err(|e| format!("`x-waiters` does not read: {e}")),
        }
    }
}

/// The `Client` method of waiter `name`.
pub fn client_method(name: &str) -> String {
    format!("wait_until_{}", crate::naming::method_name(name))
}

/// `x-waiters` on a polled operation: each a snake_case `name`, a `status` field (or dotted path
/// to a nested one) of the success response that has a phase, `success`/`failure` phase lists, and a `gone` status the operation
/// documents.
pub(crate) fn waiters(doc: &Value, report: &mut Report) {
    let phase_names: Vec<&str> = super::phase::PHASES.iter().map(|(n, _)| *n).collect();
    // Waiters' Rust type names (all in `mod waiters`) and the operations' method names.
    let mut waiter_names: BTreeMap<String, String> = BTreeMap::new();
    let methods: Vec<String> = operations(doc)
        .filter_map(|(_, _, _, op)| op.get("operationId")?.as_str())
        .map(method_name)
        .collect();
    for (route, _, method, op) in operations(doc) {
        let Some(declared) = op.get(KEY) else {
            continue;
        };
        inline_responses(doc, op, &at(route, method), "waiter", report);
        let at = format!("{}/x-waiters", at(route, method));
        let hint = "declare `x-waiters: [{name: <snake_case>, status: <field, or dotted path, with a phase>, success: [<phase>...], failure: [<phase>...], gone: <documented status> or {status: <documented status>, code: <error body field>, codes: [<code>...]}, after: {submit: <operation>, ids: {<path parameter>: <field of its answer, of the parameter's type>}, result: <operation>}, message: <field saying why>, id: {field: <field naming the job>, parameter: <path parameter>}, item: {items: <array field of the answer>, key: <string field of an item>, parameter: <string query parameter>}}]`";
        let Some(list) = declared.as_array() else {
            report.add(&at, "waiter", "`x-waiters` is not a list", hint);
            continue;
        };
        let success = success_schema(doc, op);
        for (i, value) in list.iter().enumerate() {
            let at = format!("{at}/{i}");
            // The shape first: keys the model does not know, at their own pointers.
            for (pointer, problem) in unknown_keys_deep(value) {
                report.add(format!("{at}{pointer}"), "waiter", problem, hint);
            }
            // Then everything else on the model the emitter reads.
            let waiter = match Waiter::deserialize(value) {
                Ok(waiter) => waiter,
                Err(e) => {
                    report.add(
                        &at,
                        "waiter",
                        format!("the waiter does not read: {e}"),
                        hint,
                    );
                    continue;
                }
            };
            let name = waiter.name.as_str();
            if !is_snake_case(name) {
                report.add(
                    format!("{at}/name"),
                    "waiter",
                    format!("`{name}` is not a snake_case waiter name"),
                    hint,
                );
            } else if syn::parse_str::<syn::Ident>(&heck::ToUpperCamelCase::to_upper_camel_case(
                name,
            ))
            .is_err()
            {
                report.add(
                    format!("{at}/name"),
                    "waiter",
                    format!("waiter `{name}` would be named by a Rust keyword"),
                    hint,
                );
            } else if let Some(other) = waiter_names.insert(
                heck::ToUpperCamelCase::to_upper_camel_case(name),
                name.to_owned(),
            ) {
                report.add(
                    format!("{at}/name"),
                    "waiter",
                    format!("waiter `{name}` and waiter `{other}` become the same Rust type"),
                    hint,
                );
            } else if methods.contains(&client_method(name)) {
                report.add(
                    format!("{at}/name"),
                    "waiter",
                    format!("`{}` is already an operation's method", client_method(name)),
                    hint,
                );
            }
            // With `item`, the status and message are read from the listed item.
            let read_from = match &waiter.item {
                None => success,
                Some(item) => {
                    let (problems, schema) = item_problems(doc, op, success, item);
                    for (pointer, problem) in problems {
                        report.add(format!("{at}/item{pointer}"), "waiter", problem, hint);
                    }
                    for (key, given) in [
                        ("id", waiter.id.is_some()),
                        ("after", waiter.after.is_some()),
                    ] {
                        if given {
                            report.add(
                                format!("{at}/{key}"),
                                "waiter",
                                format!("`{key}` does not go with `item`: the item's `key` names the job"),
                                hint,
                            );
                        }
                    }
                    schema
                }
            };
            // Items that do not read are reported once, above, not again for each field.
            let unread_items = waiter.item.is_some() && read_from.is_none();
            let status = waiter.status.as_str();
            match field_at(doc, read_from, status) {
                Err(_) if unread_items => {}
                Err(problem) => report.add(format!("{at}/status"), "waiter", problem, hint),
                Ok(field) if !has_phase(doc, field) => report.add(
                    format!("{at}/status"),
                    "waiter",
                    format!("`{status}` is a field of the success response whose values have no phase (`x-phase`)"),
                    hint,
                ),
                Ok(_) => {}
            }
            for (key, phases) in [("success", &waiter.success), ("failure", &waiter.failure)] {
                let valid = phases
                    .as_ref()
                    .is_some_and(|p| p.iter().all(|p| phase_names.contains(&p.as_str())));
                if !valid {
                    report.add(
                        format!("{at}/{key}"),
                        "waiter",
                        format!(
                            "`{key}` is not a list of phases ({})",
                            phase_names.join(", ")
                        ),
                        hint,
                    );
                }
            }
            if let Some(after) = &waiter.after {
                for (pointer, problem) in after_problems(doc, route, op, after) {
                    report.add(format!("{at}/after{pointer}"), "waiter", problem, hint);
                }
            }
            if let Some(gone) = &waiter.gone {
                for (pointer, problem) in gone_problems(doc, op, gone) {
                    report.add(format!("{at}/gone{pointer}"), "waiter", problem, hint);
                }
            }
            // With `item`, `id` is refused above: not checked again as a path parameter.
            let said = Waiter {
                id: waiter.id.clone().filter(|_| waiter.item.is_none()),
                ..waiter.clone()
            };
            for (pointer, problem) in said_problems(doc, route, read_from, &said)
                .into_iter()
                .filter(|_| !unread_items)
            {
                report.add(format!("{at}{pointer}"), "waiter", problem, hint);
            }
        }
    }
}

/// Keys of a waiter, and of its `after`, `gone` and `id` mappings, that the model does not know
/// (serde would ignore them silently), as (pointer below the waiter, message).
fn unknown_keys_deep(value: &Value) -> Vec<(String, String)> {
    let Some(map) = value.as_object() else {
        return Vec::new();
    };
    let known = [
        "name", "status", "success", "failure", "gone", "after", "message", "id", "item",
    ];
    let mut problems = unknown_keys(map, &known, "the waiter");
    for (key, known) in [
        ("after", &["submit", "ids", "result"][..]),
        ("gone", &["status", "code", "codes"][..]),
        ("id", &["field", "parameter"][..]),
        ("item", &["items", "key", "parameter"][..]),
    ] {
        if let Some(inner) = map.get(key).and_then(Value::as_object) {
            problems.extend(
                unknown_keys(inner, known, key)
                    .into_iter()
                    .map(|(pointer, problem)| (format!("/{key}{pointer}"), problem)),
            );
        }
    }
    problems
}

/// A waiter's `item`: `items` an array of objects in the success response, `key` a string field
/// of its items, `parameter` a query parameter of the polled operation that is a plain string
/// (the waiter keeps the value it is given). Problems as (pointer below `item`, message), and the
/// items' schema when it reads.
pub(crate) fn item_problems<'a>(
    doc: &'a Value,
    op: &'a Value,
    success: Option<&'a Value>,
    item: &Item,
) -> (Vec<(String, String)>, Option<&'a Value>) {
    let mut problems = Vec::new();
    let items = match field_at(doc, success, &item.items) {
        Err(problem) => {
            problems.push(("/items".into(), problem));
            None
        }
        Ok(array) => {
            let schema = (array.get("type").and_then(Value::as_str) == Some("array"))
                .then(|| array.get("items"))
                .flatten()
                .map(|items| resolve_schema(doc, items))
                .filter(|items| object_of(doc, items).is_ok());
            if schema.is_none() {
                problems.push((
                    "/items".into(),
                    format!(
                        "`{}` is not an array of objects in the success response",
                        item.items
                    ),
                ));
            }
            schema
        }
    };
    if let Some(schema) = items {
        match field_at(doc, Some(schema), &item.key) {
            Ok(key) if key.get("type").and_then(Value::as_str) == Some("string") => {}
            Ok(_) => problems.push((
                "/key".into(),
                format!("`{}` is not a string field of the items", item.key),
            )),
            Err(problem) => problems.push((
                "/key".into(),
                problem.replace("of the success response", "of the items"),
            )),
        }
    }
    let parameter = op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| resolve(doc, p))
        .find(|p| p.get("name").and_then(Value::as_str) == Some(item.parameter.as_str()));
    let plain_string = parameter.is_some_and(|p| {
        p.get("in").and_then(Value::as_str) == Some("query")
            && p.get("schema")
                .map(|s| resolve_schema(doc, s))
                .is_some_and(|s| {
                    s.get("type").and_then(Value::as_str) == Some("string")
                        && ["pattern", "minLength", "maxLength", "enum", "format"]
                            .iter()
                            .all(|k| s.get(*k).is_none())
                })
    });
    if !plain_string {
        problems.push((
            "/parameter".into(),
            format!(
                "`{}` is not a query parameter of the polled operation typed a plain string (no pattern, length, enum or format)",
                item.parameter
            ),
        ));
    }
    (problems, items)
}

/// A waiter's `message` (where the answer says why, a field path) and `id` (`{field, parameter}`:
/// where the answer names its job, and the polled path parameter that asked for it). Both are
/// scalar fields of the success response. Problems as (pointer below the waiter, message).
pub(crate) fn said_problems(
    doc: &Value,
    route: &str,
    success: Option<&Value>,
    waiter: &Waiter,
) -> Vec<(String, String)> {
    let scalar = |pointer: &str, path: Option<&str>| -> Option<(String, String)> {
        let Some(path) = path else {
            return Some((pointer.into(), "not a field path (`a.b.c`)".into()));
        };
        match field_at(doc, success, path) {
            Err(problem) => Some((pointer.into(), problem)),
            Ok(field)
                if matches!(
                    field.get("type").and_then(Value::as_str),
                    Some("string" | "integer" | "number" | "boolean")
                ) || field.get("anyOf").is_some() =>
            {
                None
            }
            Ok(_) => Some((
                pointer.into(),
                format!(
                    "`{path}` is not a string, number or boolean field of the success response"
                ),
            )),
        }
    };
    let mut problems = Vec::new();
    if let Some(message) = &waiter.message {
        problems.extend(scalar("/message", Some(message)));
    }
    if let Some(id) = &waiter.id {
        problems.extend(scalar("/id/field", id.field.as_deref()));
        if !route_parameters(route).contains(&id.parameter.as_str()) {
            problems.push((
                "/id/parameter".into(),
                format!(
                    "`{}` is not a path parameter of the polled operation",
                    id.parameter
                ),
            ));
        }
    }
    problems
}

/// A waiter's `gone`: a status the polled operation documents, or `{status, code, codes}` where
/// that status also means other errors: `code` a string field of its error body and `codes`
/// the ones meaning the job does not exist. Problems as (pointer below `gone`, message).
pub(crate) fn gone_problems(doc: &Value, op: &Value, gone: &GoneWhen) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let (status, detail) = match gone {
        GoneWhen::Status(status) => (*status, None),
        GoneWhen::Code {
            status,
            code,
            codes,
        } => (*status, Some((code.as_deref().unwrap_or_default(), codes))),
    };
    let Some(response) = op.pointer(&format!("/responses/{status}")) else {
        let at = if detail.is_some() { "/status" } else { "" };
        problems.push((
            at.into(),
            format!("`{status}` is not a status the operation documents"),
        ));
        return problems;
    };
    let Some((code, codes)) = detail else {
        return problems;
    };
    if codes.as_ref().is_none_or(Vec::is_empty) {
        problems.push((
            "/codes".into(),
            "`codes` is not a list of error codes".into(),
        ));
    }
    let body = resolve(doc, response)
        .pointer("/content/application~1json/schema")
        .map(|schema| resolve_schema(doc, schema));
    let string = body
        .and_then(|body| body.pointer(&format!("/properties/{}", segment(code))))
        .map(|field| resolve_schema(doc, field))
        .is_some_and(|field| {
            field.get("type").and_then(Value::as_str) == Some("string")
                || field.get("anyOf").is_some()
        });
    if !string {
        problems.push((
            "/code".into(),
            format!("`{code}` is not a string field of the error body of status {status}"),
        ));
    }
    problems
}

/// A waiter's `after`: the operation that starts the job (`submit`), where in its answer the
/// polled operation's IDs are (`ids`: path parameter to a field or dotted path of the same type,
/// string or integer (DataArts' `instanceId` is an int64); the other
/// path parameters are the submission's own), and optionally the operation that reads the
/// result (`result`, whose path parameters are the polled one's). The crate docs' example
/// follows it: submit, wait, read the result. Problems as (pointer below `after`, message).
pub(crate) fn after_problems(
    doc: &Value,
    polled_route: &str,
    polled_op: &Value,
    after: &After,
) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let operation = |id: &str| {
        operations(doc)
            .find(|(_, _, _, op)| op.get("operationId").and_then(Value::as_str) == Some(id))
    };
    let polled = route_parameters(polled_route);
    let Some((submit_route, _, _, submit_op)) = operation(&after.submit) else {
        problems.push((
            "/submit".into(),
            format!("`{}` is not an operation of this spec", after.submit),
        ));
        return problems;
    };
    let submitted = route_parameters(submit_route);
    let answer = success_schema(doc, submit_op);
    let ids = after.ids.as_ref();
    if ids.is_none() {
        problems.push(("/ids".into(), "`ids` is not a mapping".into()));
    }
    for (parameter, field) in ids.into_iter().flatten() {
        let at = format!("/ids/{}", segment(parameter));
        if !polled.contains(&parameter.as_str()) {
            problems.push((
                at,
                format!("`{parameter}` is not a path parameter of the polled operation"),
            ));
            continue;
        }
        if submitted.contains(&parameter.as_str()) {
            problems.push((
                at,
                format!(
                    "`{parameter}` is a path parameter of the submission, not read from its answer"
                ),
            ));
            continue;
        }
        // The parameter's type: what the field read from the answer is passed as.
        let kind = polled_op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| resolve(doc, p))
            .find(|p| p.get("name").and_then(Value::as_str) == Some(parameter.as_str()))
            .and_then(|p| p.get("schema"))
            .map(|schema| resolve_schema(doc, schema))
            .and_then(|schema| schema.get("type").and_then(Value::as_str))
            .filter(|kind| *kind == "integer")
            .unwrap_or("string");
        match field_at(doc, answer, field) {
            Ok(schema) if schema.get("type").and_then(Value::as_str) == Some(kind) => {}
            Ok(_) => problems.push((
                at,
                format!(
                    "`{field}` is not a {kind} field of the submission's answer, as path parameter `{parameter}` is"
                ),
            )),
            Err(problem) => problems.push((
                at,
                problem.replace("success response", "submission's answer"),
            )),
        }
    }
    for parameter in polled
        .iter()
        .filter(|p| !submitted.contains(p) && !ids.is_some_and(|ids| ids.contains_key(**p)))
    {
        problems.push((
            "/ids".into(),
            format!("path parameter `{parameter}` of the polled operation is neither the submission's nor in `ids`"),
        ));
    }
    if let Some(id) = after.result.as_deref() {
        match operation(id) {
            None => problems.push((
                "/result".into(),
                format!("`{id}` is not an operation of this spec"),
            )),
            Some((route, _, _, _)) => {
                if let Some(parameter) =
                    route_parameters(route).iter().find(|p| !polled.contains(p))
                {
                    problems.push((
                        "/result".into(),
                        format!("`{id}` takes path parameter `{parameter}`, which the polled operation does not"),
                    ));
                }
            }
        }
    }
    problems
}

mod emit;
pub(crate) use emit::emit;
#[cfg(test)]
pub(crate) use emit::phase_words;
