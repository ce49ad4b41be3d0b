//! What progenitor's output needs from a spec to compile and to work: names that become distinct
//! Rust identifiers, routes it can build and a server can tell apart, headers it can send (and
//! that the runtime does not own), and text it can put in doc comments without making doctests.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Report, resolve, segment};
use crate::{
    naming::{field_name, has_word, method_name, setter_name},
    spec::route_parameters,
};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Methods every generated `Client` has: an operation of that name would collide.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "new_with_client",
    "baseurl",
    "client",
    "api_version",
    "inner",
    "from_env",
    "for_region",
    "with_runtime",
];

/// Members of every operation builder: a parameter of that name would collide.
pub const BUILDER_MEMBERS: &[&str] = &["new", "send", "client", "body", "body_map"];

/// Headers the runtime sets on every request; a spec parameter would fight it.
const RUNTIME_HEADERS: &[&str] = &[
    "authorization",
    "x-auth-token",
    "x-security-token",
    "x-project-id",
    "x-sdk-date",
    "x-sdk-content-sha256",
    "host",
    "content-length",
    "content-type",
];

pub fn check(doc: &Value, report: &mut Report) {
    phases(doc, report);
    paginations(doc, report);
    waiters(doc, report);
    cancels(doc, report);
    idempotents(doc, report);
    doc_pages(doc, report);
    deviations(doc, "", report);
    operation_names(doc, report);
    routes(doc, report);
    parameters(doc, report);
    property_names(doc, "", report);
    text(doc, "", report);
    server_host(doc, report);
}

fn operations(doc: &Value) -> impl Iterator<Item = (&String, &Value, &'static str, &Value)> {
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

fn at(route: &str, method: &str) -> String {
    format!("/paths/{}/{method}", segment(route))
}

/// `x-paginate` names what codegen's `.stream()` needs: a query parameter of the operation
/// (`page`), a `style` (`number`, `offset` or `marker`), and in the success response an `items`
/// array of a component, an optional integer `total` (number and offset), or the string field
/// (or dotted path) holding the `next` marker (marker). Codegen skips a declaration it cannot
/// use, so every part is checked here.
fn paginations(doc: &Value, report: &mut Report) {
    for (route, item, method, op) in operations(doc) {
        let Some(declared) = op.get("x-paginate") else {
            continue;
        };
        inline_responses(doc, op, &at(route, method), "paginate", report);
        let at = format!("{}/x-paginate", at(route, method));
        let hint = "declare `x-paginate: {page: <query parameter>, style: number|offset, first: 0|1, items: <array field>, total: <integer field>}`, or `{page: <query parameter>, style: marker, items: <array field>, next: <string field, or dotted path>}`";
        let text = |key: &str| declared.get(key).and_then(Value::as_str);
        let params: Vec<&str> = [item, op]
            .iter()
            .filter_map(|o| o.get("parameters").and_then(Value::as_array))
            .flatten()
            .map(|p| resolve(doc, p))
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
            .filter_map(|p| p.get("name").and_then(Value::as_str))
            .collect();
        match text("page") {
            Some(page) if params.contains(&page) => {}
            Some(page) => report.add(
                format!("{at}/page"),
                "paginate",
                format!("`{page}` is not a query parameter of the operation"),
                hint,
            ),
            None => report.add(&at, "paginate", "`page` is missing", hint),
        }
        let style = text("style");
        if !matches!(style, Some("number" | "offset" | "marker")) {
            report.add(
                format!("{at}/style"),
                "paginate",
                "`style` is not `number`, `offset` or `marker`",
                hint,
            );
        }
        let success = success_schema(doc, op);
        let (needs, refuses) = match style {
            Some("marker") => ("next", ["total", "first"].as_slice()),
            _ => ("", ["next"].as_slice()),
        };
        for key in refuses.iter().filter(|key| declared.get(**key).is_some()) {
            report.add(
                format!("{at}/{key}"),
                "paginate",
                format!(
                    "`{key}` does not belong to style `{}`",
                    style.unwrap_or_default()
                ),
                hint,
            );
        }
        if !needs.is_empty() {
            match text(needs).map(|next| (next, field_at(doc, success, next))) {
                None => report.add(&at, "paginate", format!("`{needs}` is missing"), hint),
                Some((_, Ok(field)))
                    if field.get("type").and_then(Value::as_str) == Some("string") => {}
                Some((next, Ok(_))) => report.add(
                    format!("{at}/next"),
                    "paginate",
                    format!("`{next}` is not a string field of the success response"),
                    hint,
                ),
                Some((_, Err(problem))) => {
                    report.add(format!("{at}/next"), "paginate", problem, hint);
                }
            }
        }
        let property =
            |name: &str| success.and_then(|s| s.pointer(&format!("/properties/{}", segment(name))));
        match text("items") {
            Some(items) => {
                let array_of_component = property(items).is_some_and(|p| {
                    p.get("type").and_then(Value::as_str) == Some("array")
                        && p.pointer("/items/$ref")
                            .and_then(Value::as_str)
                            .is_some_and(|r| r.starts_with("#/components/schemas/"))
                });
                if !array_of_component {
                    report.add(format!("{at}/items"), "paginate", format!("`{items}` is not an array of a component schema in the success response"), hint);
                }
            }
            None => report.add(&at, "paginate", "`items` is missing", hint),
        }
        if let Some(total) = text("total")
            && property(total)
                .and_then(|p| p.get("type"))
                .and_then(Value::as_str)
                != Some("integer")
        {
            report.add(
                format!("{at}/total"),
                "paginate",
                format!("`{total}` is not an integer field of the success response"),
                hint,
            );
        }
    }
}

/// The responses of `op` whose JSON body is an inline schema: codegen names the response types
/// of an operation carrying `x-waiters`, `x-paginate` or `x-cancel` by their components, so each
/// is reported under that extension's `rule`.
fn inline_responses(doc: &Value, op: &Value, at: &str, rule: &'static str, report: &mut Report) {
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
fn success_schema<'a>(doc: &'a Value, op: &'a Value) -> Option<&'a Value> {
    op.get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .find(|(status, _)| status.starts_with('2'))
        .and_then(|(_, r)| resolve(doc, r).pointer("/content/application~1json/schema"))
        .map(|s| resolve(doc, s))
}

/// `x-cancel` on a cancel operation: known keys of the right kinds, a `success_flag` that is a
/// boolean field of the success response, `not_found_statuses` the operation documents, the
/// `waiter` that tells how the job stopped, and no two cancel operations of one spec with the
/// same response types (their generated `CancelOutcomeExt` impls would be the same).
fn cancels(doc: &Value, report: &mut Report) {
    let hint = "declare `x-cancel: {waiter: <until-stopped waiter>, ambiguous: <bool>, success_flag: <boolean field>, code: <field>, message: <field>, not_found: [<code>...], finished: [<code>...], not_found_statuses: [<status>...]}`";
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (route, _, method, op) in operations(doc) {
        let Some(declared) = op.get("x-cancel") else {
            continue;
        };
        inline_responses(doc, op, &at(route, method), "cancel", report);
        let at = format!("{}/x-cancel", at(route, method));
        let Some(map) = declared.as_object() else {
            report.add(&at, "cancel", "`x-cancel` is not a mapping", hint);
            continue;
        };
        for (key, value) in map {
            let fits = match key.as_str() {
                "ambiguous" => value.is_boolean(),
                "success_flag" | "code" | "message" | "waiter" => value.is_string(),
                "not_found" | "finished" => value
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string)),
                "not_found_statuses" => value.as_array().is_some_and(|a| {
                    a.iter().all(|s| {
                        s.as_u64()
                            .is_some_and(|c| op.pointer(&format!("/responses/{c}")).is_some())
                    })
                }),
                _ => false,
            };
            if !fits {
                report.add(format!("{at}/{}", segment(key)), "cancel", format!("`{key}: {value}` is not a known key with a value of its kind (statuses must be documented)"), hint);
            }
        }
        if let Err(problem) = stopped_waiter(doc, route, map.get("waiter")) {
            report.add(format!("{at}/waiter"), "cancel", problem, hint);
        }
        if let Some(flag) = map.get("success_flag").and_then(Value::as_str) {
            let boolean = success_schema(doc, op)
                .and_then(|s| s.pointer(&format!("/properties/{}", segment(flag))))
                .and_then(|p| p.get("type"))
                .and_then(Value::as_str)
                == Some("boolean");
            if !boolean {
                report.add(
                    format!("{at}/success_flag"),
                    "cancel",
                    format!("`{flag}` is not a boolean field of the success response"),
                    hint,
                );
            }
        }
        let types: String = op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(status, r)| {
                let schema = resolve(doc, r)
                    .pointer("/content/application~1json/schema")
                    .map(|s| s.to_string());
                format!("{}:{}", status.starts_with('2'), schema.unwrap_or_default())
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join("|");
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if let Some(other) = seen.get(&types) {
            report.add(&at, "cancel", format!("`{id}` has the same response types as cancel operation `{other}`: one `.cancel_outcome()` cannot serve both"), "give one of them its own response schemas");
        } else {
            seen.insert(types, id);
        }
    }
}

/// A cancel's `waiter`: a waiter of this spec that waits until the job stopped (its success
/// phases are every terminal phase), polling an operation whose path parameters stand one for
/// one for the cancel's (the generated example passes the cancel's IDs to it in order).
fn stopped_waiter(doc: &Value, route: &str, waiter: Option<&Value>) -> Result<(), String> {
    let Some(name) = waiter.and_then(Value::as_str) else {
        return Err("`waiter` is missing: name the waiter that tells how the job stopped".into());
    };
    let found = operations(doc).find_map(|(polled, _, _, op)| {
        let declared = op.get("x-waiters")?.as_array()?;
        declared
            .iter()
            .find(|w| w.get("name").and_then(Value::as_str) == Some(name))
            .map(|w| (polled.as_str(), w))
    });
    let Some((polled, declared)) = found else {
        return Err(format!("`{name}` is not a waiter of this spec"));
    };
    let success: Vec<&str> = declared
        .get("success")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if !["succeeded", "failed", "cancelled"]
        .iter()
        .all(|phase| success.contains(phase))
    {
        return Err(format!(
            "waiter `{name}` does not wait until the job stopped: its `success` lacks one of succeeded, failed, cancelled"
        ));
    }
    let (ours, theirs) = (route_parameters(route), route_parameters(polled));
    if ours.len() != theirs.len() {
        return Err(format!(
            "waiter `{name}` polls an operation with path parameters ({}) that do not stand one for one for the cancel's ({})",
            theirs.join(", "),
            ours.join(", ")
        ));
    }
    Ok(())
}

/// `schema` with references followed, and through a single-member `allOf` (the OpenAPI 3.0 way
/// to make a reference nullable), as typify reads it.
fn resolve_schema<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
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

/// Whether `schema` has a phase: an enum (or integer) with `x-phase`, or an open enum built on
/// one.
fn has_phase(doc: &Value, schema: &Value) -> bool {
    let schema = resolve_schema(doc, schema);
    schema.get("x-phase").is_some()
        || schema
            .get("anyOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|branch| {
                branch.get("$ref").is_some() && resolve(doc, branch).get("x-phase").is_some()
            })
}

/// The object a step of a waiter's status path is read from: `schema` itself, or the one
/// object branch of a `oneOf`/`anyOf` (DataArts Fabric's statement result is a statement or a
/// raw string; the other branches read as an unknown phase).
fn object_of<'a>(doc: &'a Value, schema: &'a Value) -> Result<&'a Value, &'static str> {
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
fn field_at<'a>(
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

/// `x-waiters` on a polled operation: each a snake_case `name`, a `status` field (or dotted path
/// to a nested one) of the success response that has a phase, `success`/`failure` phase lists, and a `gone` status the operation
/// documents.
fn waiters(doc: &Value, report: &mut Report) {
    let phase_names: Vec<&str> = crate::render::PHASES.iter().map(|(n, _)| *n).collect();
    // Waiters' Rust type names (all in `mod waiters`) and the operations' method names.
    let mut waiter_names: BTreeMap<String, String> = BTreeMap::new();
    let methods: Vec<String> = operations(doc)
        .filter_map(|(_, _, _, op)| op.get("operationId")?.as_str())
        .map(method_name)
        .collect();
    for (route, _, method, op) in operations(doc) {
        let Some(declared) = op.get("x-waiters") else {
            continue;
        };
        inline_responses(doc, op, &at(route, method), "waiter", report);
        let at = format!("{}/x-waiters", at(route, method));
        let hint = "declare `x-waiters: [{name: <snake_case>, status: <field, or dotted path, with a phase>, success: [<phase>...], failure: [<phase>...], gone: <documented status> or {status: <documented status>, code: <error body field>, codes: [<code>...]}, after: {submit: <operation>, ids: {<path parameter>: <string field of its answer>}, result: <operation>}, message: <field saying why>, id: {field: <field naming the job>, parameter: <path parameter>}}]`";
        let Some(list) = declared.as_array() else {
            report.add(&at, "waiter", "`x-waiters` is not a list", hint);
            continue;
        };
        let success = success_schema(doc, op);
        for (i, waiter) in list.iter().enumerate() {
            let at = format!("{at}/{i}");
            let name = waiter
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
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
            } else if methods.contains(&crate::extensions::waiters::client_method(name)) {
                report.add(
                    format!("{at}/name"),
                    "waiter",
                    format!("`wait_until_{name}` is already an operation's method"),
                    hint,
                );
            }
            let status = waiter
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or_default();
            match field_at(doc, success, status) {
                Err(problem) => report.add(format!("{at}/status"), "waiter", problem, hint),
                Ok(field) if !has_phase(doc, field) => report.add(
                    format!("{at}/status"),
                    "waiter",
                    format!("`{status}` is a field of the success response whose values have no phase (`x-phase`)"),
                    hint,
                ),
                Ok(_) => {}
            }
            for key in ["success", "failure"] {
                let phases = waiter.get(key).and_then(Value::as_array);
                let valid = phases.is_some_and(|p| {
                    p.iter()
                        .all(|p| p.as_str().is_some_and(|p| phase_names.contains(&p)))
                });
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
            if let Some(after) = waiter.get("after") {
                for (pointer, problem) in after_problems(doc, route, after) {
                    report.add(format!("{at}/after{pointer}"), "waiter", problem, hint);
                }
            }
            if let Some(gone) = waiter.get("gone") {
                for (pointer, problem) in gone_problems(doc, op, gone) {
                    report.add(format!("{at}/gone{pointer}"), "waiter", problem, hint);
                }
            }
            if let Some(map) = waiter.as_object() {
                let known = [
                    "name", "status", "success", "failure", "gone", "after", "message", "id",
                ];
                for (pointer, problem) in unknown_keys(map, &known, "the waiter") {
                    report.add(format!("{at}{pointer}"), "waiter", problem, hint);
                }
            }
            for (pointer, problem) in said_problems(doc, route, success, waiter) {
                report.add(format!("{at}{pointer}"), "waiter", problem, hint);
            }
        }
    }
}

/// A waiter's `message` (where the answer says why, a field path) and `id` (`{field, parameter}`:
/// where the answer names its job, and the polled path parameter that asked for it). Both are
/// scalar fields of the success response. Problems as (pointer below the waiter, message).
fn said_problems(
    doc: &Value,
    route: &str,
    success: Option<&Value>,
    waiter: &Value,
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
    if let Some(message) = waiter.get("message") {
        problems.extend(scalar("/message", message.as_str()));
    }
    if let Some(id) = waiter.get("id") {
        let Some(map) = id.as_object() else {
            problems.push((
                "/id".into(),
                "`id` is not a mapping `{field, parameter}`".into(),
            ));
            return problems;
        };
        problems.extend(
            unknown_keys(map, &["field", "parameter"], "id")
                .into_iter()
                .map(|(pointer, problem)| (format!("/id{pointer}"), problem)),
        );
        problems.extend(scalar(
            "/id/field",
            map.get("field").and_then(Value::as_str),
        ));
        let parameter = map
            .get("parameter")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !route_parameters(route).contains(&parameter) {
            problems.push((
                "/id/parameter".into(),
                format!("`{parameter}` is not a path parameter of the polled operation"),
            ));
        }
    }
    problems
}

/// Lower-case words of letters and digits, the first starting with a letter, joined by single
/// `_`: a name that is a Rust identifier in snake case and in camel case alike.
fn is_snake_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.split('_').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A problem (pointer below `what`, message) for each key of `map` not in `known`.
fn unknown_keys(
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

/// A waiter's `gone`: a status the polled operation documents, or `{status, code, codes}` where
/// that status also means other errors: `code` a string field of its error body and `codes`
/// the ones meaning the job does not exist. Problems as (pointer below `gone`, message).
fn gone_problems(doc: &Value, op: &Value, gone: &Value) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let status = match gone.as_object() {
        None => gone.as_u64(),
        Some(map) => {
            problems.extend(unknown_keys(map, &["status", "code", "codes"], "gone"));
            map.get("status").and_then(Value::as_u64)
        }
    };
    let response = status.and_then(|code| op.pointer(&format!("/responses/{code}")));
    let Some(response) = response else {
        let at = if gone.is_object() { "/status" } else { "" };
        let shown = gone.get("status").unwrap_or(gone);
        problems.push((
            at.into(),
            format!("`{shown}` is not a status the operation documents"),
        ));
        return problems;
    };
    let Some(map) = gone.as_object() else {
        return problems;
    };
    let codes = map.get("codes").and_then(Value::as_array);
    if !codes.is_some_and(|c| !c.is_empty() && c.iter().all(Value::is_string)) {
        problems.push((
            "/codes".into(),
            "`codes` is not a list of error codes".into(),
        ));
    }
    let code = map.get("code").and_then(Value::as_str).unwrap_or_default();
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
            format!(
                "`{code}` is not a string field of the error body of status {}",
                status.unwrap_or_default()
            ),
        ));
    }
    problems
}

/// A waiter's `after`: the operation that starts the job (`submit`), where in its answer the
/// polled operation's IDs are (`ids`: path parameter to string field or dotted path; the other
/// path parameters are the submission's own), and optionally the operation that reads the
/// result (`result`, whose path parameters are the polled one's). The crate docs' example
/// follows it: submit, wait, read the result. Problems as (pointer below `after`, message).
fn after_problems(doc: &Value, polled_route: &str, after: &Value) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let Some(map) = after.as_object() else {
        return vec![(String::new(), "`after` is not a mapping".into())];
    };
    problems.extend(unknown_keys(map, &["submit", "ids", "result"], "after"));
    let operation = |id: &str| {
        operations(doc)
            .find(|(_, _, _, op)| op.get("operationId").and_then(Value::as_str) == Some(id))
    };
    let polled = route_parameters(polled_route);
    let submit = map.get("submit").and_then(Value::as_str);
    let Some((submit_route, _, _, submit_op)) = submit.and_then(operation) else {
        problems.push((
            "/submit".into(),
            format!(
                "`{}` is not an operation of this spec",
                submit.unwrap_or_default()
            ),
        ));
        return problems;
    };
    let submitted = route_parameters(submit_route);
    let answer = success_schema(doc, submit_op);
    let ids = map.get("ids").and_then(Value::as_object);
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
        let field = field.as_str().unwrap_or_default();
        match field_at(doc, answer, field) {
            Ok(schema) if schema.get("type").and_then(Value::as_str) == Some("string") => {}
            Ok(_) => problems.push((
                at,
                format!("`{field}` is not a string field of the submission's answer"),
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
    if let Some(result) = map.get("result") {
        let id = result.as_str().unwrap_or_default();
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

/// `x-phase` maps every value of a status enum, once, onto one of the shared phases. On an
/// integer schema without `enum` (MRS v1.1's `job_final_status`), its keys are the documented
/// values, each an integer.
fn phases(doc: &Value, report: &mut Report) {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    let names: Vec<&str> = crate::render::PHASES
        .iter()
        .map(|(name, _)| *name)
        .collect();
    for (name, schema) in schemas {
        let Some(phase) = schema.get("x-phase") else {
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

/// `x-idempotent` is `true` or `false`: any other value would silently leave the operation
/// unretried (or, read loosely, retry a submission).
fn idempotents(doc: &Value, report: &mut Report) {
    for (route, _, method, op) in operations(doc) {
        if let Some(value) = op.get("x-idempotent").filter(|v| !v.is_boolean()) {
            report.add(
                format!("{}/x-idempotent", at(route, method)),
                "idempotent",
                format!("`{value}` is not `true` or `false`"),
                "write `x-idempotent: true` on an operation that is safe to send twice",
            );
        }
    }
}

/// Every operation names the vendor page it follows (`x-doc-page`), which `cargo xtask docs
/// check` compares it with.
fn doc_pages(doc: &Value, report: &mut Report) {
    for (route, _, method, op) in operations(doc) {
        let page = op.get("x-doc-page");
        let valid = page.and_then(Value::as_str).is_some_and(|p| {
            !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        });
        if !valid {
            report.add(
                at(route, method),
                "doc-page",
                match page {
                    None => "the operation names no doc page".to_owned(),
                    Some(other) => format!("`x-doc-page: {other}` is not a page id"),
                },
                "add `x-doc-page: <page id>`: the vendor page's `:original_name:` without `.html` (`dli_02_0104`), or its Huawei Cloud page name",
            );
        }
    }
}

/// A declared deviation from the docs gives its reason.
fn deviations(value: &Value, at: &str, report: &mut Report) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let pointer = format!("{at}/{}", segment(key));
                if key == "x-doc-deviation" {
                    if child.as_str().is_none_or(|r| r.trim().is_empty()) {
                        report.add(pointer, "doc-page", "`x-doc-deviation` gives no reason", "say why the spec differs from its page (a contradiction in the docs, the vendor SDK's name, ...)");
                    }
                } else {
                    deviations(child, &pointer, report);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                deviations(child, &format!("{at}/{i}"), report);
            }
        }
        _ => {}
    }
}

/// Operation ids that become the same method (`show_job`, `show__job`, `show_job_`), or one the
/// `Client` already has.
fn operation_names(doc: &Value, report: &mut Report) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (route, _, method, op) in operations(doc) {
        let Some(id) = op.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let name = method_name(id);
        let pointer = format!("{}/operationId", at(route, method));
        if CLIENT_METHODS.contains(&name.as_str()) {
            report.add(
                &pointer,
                "rust-name",
                format!("operation `{id}` would be `Client::{name}`, which every generated client already has"),
                "rename the operation (its vendor SDK name in snake_case)",
            );
        }
        match seen.get(&name) {
            Some(first) if first != id => report.add(
                &pointer,
                "rust-name",
                format!("operation `{id}` and operation `{first}` both become the method `{name}`"),
                "give the operations names that differ in more than `_`",
            ),
            _ => {
                seen.insert(name, id.to_owned());
            }
        }
    }
}

/// Routes progenitor can build and a server can tell apart: `/` first, no empty segment, each
/// parameter a whole segment, no two routes of one method alike but for parameter names.
fn routes(doc: &Value, report: &mut Report) {
    let mut shapes: BTreeMap<(String, &str), &String> = BTreeMap::new();
    for (route, _, method, _) in operations(doc) {
        let pointer = format!("/paths/{}", segment(route));
        let problem = if !route.starts_with('/') {
            Some("does not start with `/`, so it would be joined to the base URL's host")
        } else if route.len() > 1 && route[1..].split('/').any(str::is_empty) {
            Some("has an empty segment (`//` or a trailing `/`), which URL handling drops")
        } else if route.split('/').any(|s| {
            s.contains(['{', '}'])
                && !(s.starts_with('{') && s.ends_with('}') && s.matches('{').count() == 1)
        }) {
            Some("has a parameter that is not a whole segment (`/{a}{b}`, `/x{a}`)")
        } else {
            None
        };
        if let Some(problem) = problem {
            report.add(
                &pointer,
                "route",
                format!("route `{route}` {problem}"),
                "write the route as the docs give it: `/v1/{project_id}/jobs`",
            );
            continue;
        }
        let shape: String = route
            .split('/')
            .map(|s| if s.starts_with('{') { "{}" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        match shapes.get(&(shape.clone(), method)) {
            Some(first) if *first != route => report.add(
                &pointer,
                "route",
                format!("`{} {route}` and `{} {first}` differ only in parameter names: no server can tell them apart", method.to_uppercase(), method.to_uppercase()),
                "keep one route; the docs name one parameter per position",
            ),
            _ => {
                shapes.insert((shape, method), route);
            }
        }
    }
}

/// Parameters of one operation whose Rust names collide with each other or with the builder's
/// own members; header parameters that are not HTTP header names or that the runtime owns.
fn parameters(doc: &Value, report: &mut Report) {
    for (route, item, method, op) in operations(doc) {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let added = crate::extensions::builder_members(op);
        let lists = [
            (format!("/paths/{}/parameters", segment(route)), item),
            (format!("{}/parameters", at(route, method)), op),
        ];
        for (list_at, owner) in &lists {
            let Some(list) = owner.get("parameters").and_then(Value::as_array) else {
                continue;
            };
            for (i, parameter) in list.iter().enumerate() {
                let parameter = resolve(doc, parameter);
                let Some(name) = parameter.get("name").and_then(Value::as_str) else {
                    continue;
                };
                let pointer = format!("{list_at}/{i}/name");
                let rust = setter_name(name);
                if !has_word(name) {
                    report.add(
                        &pointer,
                        "rust-name",
                        format!("parameter `{name}` has no letter or digit to name its setter"),
                        "use the name the docs give",
                    );
                } else if BUILDER_MEMBERS.contains(&rust.as_str()) {
                    report.add(&pointer, "rust-name", format!("parameter `{name}` would be the setter `{rust}`, which every operation builder already has"), "rename it in the spec and keep the wire name with the docs' spelling in a description note");
                } else if let Some((_, added_by)) = added.iter().find(|(member, _)| *member == rust)
                {
                    report.add(&pointer, "rust-name", format!("parameter `{name}` would be the setter `{rust}`, which {added_by}"), "rename it in the spec and keep the wire name with the docs' spelling in a description note");
                } else if let Some(first) = seen.get(&rust).filter(|first| *first != name) {
                    report.add(&pointer, "rust-name", format!("parameters `{name}` and `{first}` both become the setter `{rust}`"), "keep one: two parameters differing only in case or punctuation are one to Rust");
                } else {
                    seen.insert(rust, name.to_owned());
                }
                if parameter.get("in").and_then(Value::as_str) == Some("header") {
                    let lower = name.to_ascii_lowercase();
                    let is_token = !name.is_empty()
                        && name
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                    if !is_token {
                        report.add(
                            &pointer,
                            "header-parameter",
                            format!("`{name}` is not an HTTP header name"),
                            "header names are letters, digits and `-` (RFC 9110 tokens)",
                        );
                    } else if RUNTIME_HEADERS.contains(&lower.as_str()) {
                        report.add(&pointer, "header-parameter", format!("`{name}` is set by the runtime on every request"), "remove the parameter: authentication, signing, project and content headers come from `cloud-runtime`");
                    }
                }
            }
        }
    }
}

/// Properties of one object whose Rust field names collide, or that have none.
fn property_names(value: &Value, at: &str, report: &mut Report) {
    match value {
        Value::Object(map) => {
            if let Some(properties) = map.get("properties").and_then(Value::as_object) {
                let mut seen: BTreeMap<String, &str> = BTreeMap::new();
                for name in properties.keys() {
                    let pointer = format!("{at}/properties/{}", segment(name));
                    let rust = field_name(name);
                    if !has_word(name) {
                        report.add(&pointer, "rust-name", format!("property `{name}` has no letter or digit to name its field"), "name the property as the service sends it; it must hold a letter or digit");
                    } else if let Some(first) = seen.get(&rust) {
                        report.add(
                            &pointer,
                            "rust-name",
                            format!(
                                "properties `{name}` and `{first}` both become the field `{rust}`"
                            ),
                            "keep one of them: the service sends one spelling",
                        );
                    } else {
                        seen.insert(rust, name);
                    }
                }
            }
            for (key, child) in map {
                property_names(child, &format!("{at}/{}", segment(key)), report);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                property_names(child, &format!("{at}/{i}"), report);
            }
        }
        _ => {}
    }
}

/// Text that becomes doc comments and the manifest: no control characters but line breaks and
/// tabs, no code block rustdoc would compile as a doctest (a ``` fence left open, or a line
/// indented four spaces after a blank line).
fn text(value: &Value, at: &str, report: &mut Report) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let pointer = format!("{at}/{}", segment(key));
                match (key.as_str(), child) {
                    ("title" | "summary" | "description" | "version", Value::String(s)) => {
                        check_text(s, &pointer, report)
                    }
                    // `example`s are data, not documentation.
                    ("example" | "examples" | "enum" | "default", _) => {}
                    _ => text(child, &pointer, report),
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                text(child, &format!("{at}/{i}"), report);
            }
        }
        _ => {}
    }
}

fn check_text(s: &str, pointer: &str, report: &mut Report) {
    if let Some(c) = s
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        report.add(
            pointer,
            "text",
            format!("holds the control character {:?}", c),
            "remove it: the text becomes Rust doc comments and the crate's manifest",
        );
        return;
    }
    let fences = s
        .lines()
        .filter(|l| l.trim_start().starts_with("```"))
        .count();
    if fences % 2 == 1 {
        report.add(
            pointer,
            "text",
            "a ``` code block is left open",
            "close it with ```: rustdoc would compile the rest as a doctest",
        );
        return;
    }
    let mut previous_blank = true;
    let mut in_fence = false;
    for line in s.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && previous_blank && line.starts_with("    ") && !line.trim().is_empty() {
            report.add(
                pointer,
                "text",
                format!("the line `{}` is indented four spaces after a blank line: rustdoc would compile it as a doctest", line.trim()),
                "indent it less, or put it in a ```text block",
            );
            return;
        }
        previous_blank = line.trim().is_empty();
    }
}

/// The first server's host label names the service in `SERVICE` and in endpoints: letters,
/// digits and `-` only.
fn server_host(doc: &Value, report: &mut Report) {
    let Some(url) = doc.pointer("/servers/0/url").and_then(Value::as_str) else {
        return;
    };
    let host = url.split_once("://").map_or(url, |(_, rest)| rest);
    let label = host.split(['.', '/', ':']).next().unwrap_or_default();
    if label.contains('{') {
        return;
    }
    if label.is_empty()
        || !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        report.add(
            "/servers/0/url",
            "servers-and-tags",
            format!("the first server's host label `{label}` is not a service name"),
            "list the Huawei Cloud server first: `https://<service>.{region}.myhuaweicloud.com`",
        );
    }
}
