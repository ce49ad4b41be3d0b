//! Rules a spec must satisfy on its own: what progenitor can generate, and what keeps the spec
//! honest (resolvable references, examples that match their schemas, documented operations).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{Report, SpecDocument, json_schema::Schemas, resolve, segment};
use crate::schema_walk::{Step, Walker};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub fn check(spec: &SpecDocument) -> Vec<super::Problem> {
    let mut report = Report::new(&spec.path);
    let doc = &spec.document;
    top_level(doc, &mut report);
    references(doc, &mut report);
    if ref_cycles(doc, &mut report) {
        // The rules below resolve schemas, and the validator would recurse through the cycle
        // without end: it is reported alone, to be fixed first.
        return report.problems;
    }
    super::generation_rules::check(doc, &mut report);
    enums_and_patterns(doc, &mut report);
    let schemas = Schemas::new(doc);
    schema_examples(doc, &schemas, &mut report);
    response_constraints(doc, &mut report);
    request_enums(doc, &mut report);
    crate::secrets::rules(doc, &mut report);
    nullable_unions(doc, &mut report);
    nullable_types(doc, "", &mut report);
    let mut operation_ids = BTreeSet::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (route, item) in paths {
            let item_pointer = format!("/paths/{}", segment(route));
            for method in METHODS {
                let Some(op) = item.get(*method) else {
                    continue;
                };
                let at = format!("{item_pointer}/{method}");
                operation(
                    doc,
                    &schemas,
                    route,
                    item,
                    op,
                    &at,
                    &mut operation_ids,
                    &mut report,
                );
            }
        }
    }
    report.problems
}

/// Components that are, through `$ref` and the members of `allOf`/`oneOf`/`anyOf`, themselves:
/// `A: {$ref: B}`, `B: {$ref: A}`. Such a schema describes no value; readers that follow it
/// recurse without end. (A property or item that refers back, a tree, is fine.) Returns whether
/// any was found.
fn ref_cycles(doc: &Value, report: &mut Report) -> bool {
    let Some(components) = doc.get("components").and_then(Value::as_object) else {
        return false;
    };
    // Every component, as `#/components/<kind>/<name>`, with the components it is made of.
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (kind, entries) in components {
        for (name, value) in entries.as_object().into_iter().flatten() {
            let mut targets = Vec::new();
            let mut refs = |v: &Value| {
                if let Some(target) = v.get("$ref").and_then(Value::as_str) {
                    targets.push(target.to_owned());
                }
            };
            refs(value);
            for combinator in ["allOf", "oneOf", "anyOf"] {
                for member in value
                    .get(combinator)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    refs(member);
                }
            }
            edges.insert(format!("#/components/{kind}/{name}"), targets);
        }
    }
    let mut reported: BTreeSet<String> = BTreeSet::new();
    let mut found = false;
    for start in edges.keys() {
        // Follow alias edges depth-first from `start`; a path back to `start` is a cycle.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in edges.get(&node).into_iter().flatten() {
                if next == start {
                    let mut members = path.clone();
                    members.sort();
                    if reported.insert(members.join(" ")) {
                        let names: Vec<&str> = path
                            .iter()
                            .chain([start])
                            .map(|p| p.rsplit('/').next().unwrap_or(p))
                            .collect();
                        report.add(
                            start.trim_start_matches('#').to_owned(),
                            "ref-cycle",
                            format!(
                                "`{}` is, through `$ref`/`allOf`/`oneOf`/`anyOf`, itself: it describes no value",
                                names.join("` -> `")
                            ),
                            "make one of them a real schema (properties, items or a type), or point the `$ref` at a different component",
                        );
                    }
                    found = true;
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    found
}

fn top_level(doc: &Value, report: &mut Report) {
    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => {}
        other => report.add(
            "/openapi",
            "openapi-version",
            format!(
                "`openapi` is {}; only OpenAPI 3.0.x is supported",
                other.map_or("missing".into(), |v| format!("`{v}`"))
            ),
            "set `openapi: 3.0.3` (progenitor 0.15 reads 3.0 only)",
        ),
    }
    for (key, what) in [("servers", "a server URL"), ("tags", "a tag")] {
        if doc
            .get(key)
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
        {
            report.add(
                format!("/{key}"),
                "servers-and-tags",
                format!("`{key}` is missing or empty"),
                format!("declare at least {what} at the top level"),
            );
        }
    }
}

/// Calls `visit` with every object in `value` and its JSON pointer, parents before children.
fn for_each_object(value: &Value, at: &str, visit: &mut impl FnMut(&Map<String, Value>, &str)) {
    match value {
        Value::Object(map) => {
            visit(map, at);
            for (k, v) in map {
                for_each_object(v, &format!("{at}/{}", segment(k)), visit);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                for_each_object(v, &format!("{at}/{i}"), visit);
            }
        }
        _ => {}
    }
}

/// Every `$ref` must point inside this document at something that exists.
fn references(doc: &Value, report: &mut Report) {
    for_each_object(doc, "", &mut |map, at| {
        if let Some(Value::String(target)) = map.get("$ref")
            && target
                .strip_prefix('#')
                .and_then(|p| doc.pointer(p))
                .is_none()
        {
            report.add(
                format!("{at}/$ref"),
                "ref",
                format!("`{target}` does not resolve"),
                "point `$ref` at an existing `#/components/...` entry (check the spelling)",
            );
        }
    });
}

/// `enum` lists are non-empty and unique; `pattern`s compile as ECMAScript regexes (what the
/// generated code checks them with).
fn enums_and_patterns(doc: &Value, report: &mut Report) {
    for_each_object(doc, "", &mut |map, at| {
        if let Some(Value::Array(values)) = map.get("enum") {
            if values.is_empty() {
                report.add(
                    format!("{at}/enum"),
                    "enum",
                    "the enum lists no value",
                    "list the documented values, or drop `enum`",
                );
            }
            for (i, v) in values.iter().enumerate() {
                if values[..i].contains(v) {
                    report.add(
                        format!("{at}/enum/{i}"),
                        "enum",
                        format!("{v} is listed twice"),
                        "remove the repeated value",
                    );
                }
            }
        }
        if let Some(Value::String(pattern)) = map.get("pattern")
            && let Err(e) = regress::Regex::new(pattern)
        {
            report.add(
                format!("{at}/pattern"),
                "pattern",
                format!("`{pattern}` is not an ECMAScript regex: {e}"),
                "write the pattern in ECMAScript syntax (the generated code checks it with `regress`)",
            );
        }
    });
}

/// `example`s on component schemas and their nested property schemas.
fn schema_examples(doc: &Value, schemas: &Schemas, report: &mut Report) {
    fn walk(schema: &Value, at: &str, schemas: &Schemas, report: &mut Report) {
        let Value::Object(map) = schema else { return };
        if let Some(example) = map.get("example") {
            check_example(schemas, schema, example, &format!("{at}/example"), report);
        }
        if let Some(Value::Object(properties)) = map.get("properties") {
            for (name, property) in properties {
                walk(
                    property,
                    &format!("{at}/properties/{}", segment(name)),
                    schemas,
                    report,
                );
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(inner) = map.get(key) {
                walk(inner, &format!("{at}/{key}"), schemas, report);
            }
        }
    }
    if let Some(Value::Object(components)) = doc.pointer("/components/schemas") {
        for (name, schema) in components {
            walk(
                schema,
                &format!("/components/schemas/{}", segment(name)),
                schemas,
                report,
            );
        }
    }
}

fn check_example(
    schemas: &Schemas,
    schema: &Value,
    example: &Value,
    at: &str,
    report: &mut Report,
) {
    for error in schemas.validate(schema, example) {
        report.add(
            format!("{at}{}", error.at),
            "example",
            format!("the example does not match its schema: {}", error.message),
            "fix the example (it should be the doc's), or the schema if the doc's example shows what the service sends",
        );
    }
}

/// Keywords that make a generated type refuse a value: on a response field they turn a real
/// response the docs did not foresee into a failed call.
const DECODE_CONSTRAINTS: &[&str] = &[
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
    "required",
];

/// Schemas that decode responses carry no constraint and no closed enum (see the README's
/// response robustness rules): the service, not the doc table, decides what arrives.
fn response_constraints(doc: &Value, report: &mut Report) {
    let mut walker = Walker::new(doc);
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return;
    };
    for (route, item) in paths {
        for method in METHODS {
            let Some(responses) = item
                .get(*method)
                .and_then(|op| op.get("responses"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            for (status, response) in responses {
                let mut at = format!(
                    "/paths/{}/{method}/responses/{}",
                    segment(route),
                    segment(status)
                );
                if let Some(target) = response.get("$ref").and_then(Value::as_str) {
                    at = target.trim_start_matches('#').to_owned();
                }
                let Some(content) = resolve(doc, response)
                    .get("content")
                    .and_then(Value::as_object)
                else {
                    continue;
                };
                for (media_type, media) in content {
                    if let Some(schema) = media.get("schema") {
                        let schema_at = format!("{at}/content/{}/schema", segment(media_type));
                        response_schema(&mut walker, schema, schema_at, report);
                    }
                }
            }
        }
    }
}

/// Enums a request reaches (its parameters and JSON body, through references) are components:
/// codegen then hands each to progenitor open (`enum X { KnownX(KnownX), Other(String) }`, see
/// `open_enums`), so a caller is never blocked by a value the pages forgot. An inline enum could
/// not be opened under a name the caller knows, and a `Known<X>` beside a closed `X` would take
/// the name codegen gives its known half.
fn request_enums(doc: &Value, report: &mut Report) {
    let mut walker = Walker::new(doc);
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut roots: Vec<(String, &Value)> = Vec::new();
    for (route, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let at = format!("/paths/{}/{method}", segment(route));
            let parameters = item
                .get("parameters")
                .and_then(Value::as_array)
                .map(|p| (format!("/paths/{}/parameters", segment(route)), p))
                .into_iter()
                .chain(
                    op.get("parameters")
                        .and_then(Value::as_array)
                        .map(|p| (format!("{at}/parameters"), p)),
                );
            for (list_at, list) in parameters {
                for (i, parameter) in list.iter().enumerate() {
                    let (parameter_at, parameter) =
                        match parameter.get("$ref").and_then(Value::as_str) {
                            Some(target) => (
                                target.trim_start_matches('#').to_owned(),
                                resolve(doc, parameter),
                            ),
                            None => (format!("{list_at}/{i}"), parameter),
                        };
                    if let Some(schema) = parameter.get("schema") {
                        roots.push((format!("{parameter_at}/schema"), schema));
                    }
                }
            }
            let body = op.get("requestBody").map(|b| resolve(doc, b));
            for (media_type, media) in body
                .and_then(|b| b.get("content"))
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if let Some(schema) = media.get("schema") {
                    roots.push((
                        format!("{at}/requestBody/content/{}/schema", segment(media_type)),
                        schema,
                    ));
                }
            }
        }
    }
    for (at, schema) in roots {
        request_schema(&mut walker, doc, schema, at, report);
    }
}

/// Every enum a request schema reaches is a component codegen can open.
fn request_schema<'a>(
    walker: &mut Walker<'a, ()>,
    doc: &Value,
    schema: &'a Value,
    at: String,
    report: &mut Report,
) {
    walker.walk(schema, at, (), &mut |node, _| {
        if !node.schema.contains_key("enum") {
            return Some(());
        }
        let at = &node.at;
        match at.strip_prefix("/components/schemas/") {
            Some(name) if !name.contains('/') => {
                let known = crate::open_enums::known_name(name);
                let component = |name: &str| {
                    doc.pointer(&format!("/components/schemas/{}", segment(name)))
                        .is_some()
                };
                // `KnownX` with no `X` is not an idiom's known half: opened, it would be named
                // `KnownKnownX` in Rust.
                if let Some(bare) = name.strip_prefix("Known").filter(|b| !component(b)) {
                    report.add(
                        format!("{at}/enum"),
                        "request-enum",
                        format!("request enum `{name}` would be opened as `{name}` with its values in `{known}`: `Known` names the values of an open idiom"),
                        format!("rename it `{bare}` (codegen opens it: `{bare}` holds `{name}` or `Other(String)`), or add the idiom `{bare}`: `anyOf: [{{$ref: '#/components/schemas/{name}'}}, {{type: string, title: Other}}]`"),
                    );
                } else if component(&known) {
                    report.add(
                        format!("{at}/enum"),
                        "request-enum",
                        format!("request enum `{name}` cannot be opened: `{known}`, the name of its known values, is another component"),
                        format!("rename `{known}`, or make `{name}` the open idiom `anyOf: [{{$ref: '#/components/schemas/{known}'}}, {{type: string, title: Other}}]`"),
                    );
                }
            }
            _ => report.add(
                format!("{at}/enum"),
                "request-enum",
                "an inline enum in a request: it cannot be opened, so a value the docs forgot would be refused before sending",
                "move it to `components/schemas/<Name>` and `$ref` it: codegen hands every request enum component to progenitor open (`KnownName` or `Other(String)`)",
            ),
        }
        Some(())
    });
}

/// A schema that decodes a response, and all below it: no constraint, no closed enum. The
/// context a parent passes down says whether its `anyOf`/`oneOf` holds a plain string, which
/// opens the enums of its members.
fn response_schema<'a>(
    walker: &mut Walker<'a, bool>,
    schema: &'a Value,
    at: String,
    report: &mut Report,
) {
    walker.walk(schema, at, false, &mut |node, opened_by_parent| {
        let (map, at) = (node.schema, &node.at);
        let open = *opened_by_parent
            && matches!(node.step, Step::Member { keyword, .. } if keyword != "allOf");
        for keyword in DECODE_CONSTRAINTS {
            if map.contains_key(*keyword) {
                report.add(
                    format!("{at}/{keyword}"),
                    "response-constraints",
                    format!("`{keyword}` on a schema that decodes a response: a response outside it fails the whole call"),
                    "drop it from the response schema (constraints belong on request fields; make response fields optional instead of `required`)",
                );
            }
        }
        if map.get("additionalProperties") == Some(&Value::Bool(false)) {
            report.add(
                format!("{at}/additionalProperties"),
                "response-constraints",
                "`additionalProperties: false` on a schema that decodes a response: the type refuses every field the docs did not list",
                "drop it: unknown response fields are ignored, which is how services add fields without breaking clients",
            );
        }
        if let Some(format) = map
            .get("format")
            .and_then(Value::as_str)
            .filter(|f| matches!(*f, "uuid" | "date-time" | "date" | "ipv4" | "ipv6"))
        {
            report.add(
                format!("{at}/format"),
                "response-constraints",
                format!("`format: {format}` on a schema that decodes a response: a value in another shape fails the whole call"),
                "drop the format from the response schema and say it in the description; keep it on request fields",
            );
        }
        if map.contains_key("enum") && !open {
            report.add(
                format!("{at}/enum"),
                "response-constraints",
                "a closed enum decodes a response: a value the docs did not list fails the whole call",
                "make it open: `anyOf: [{$ref: '#/components/schemas/Known<Name>'}, {type: string, title: Other}]` with the enum in `Known<Name>`",
            );
        }
        let opens_members = ["anyOf", "oneOf"].iter().any(|keyword| {
            map.get(*keyword)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|m| {
                    m.get("type").and_then(Value::as_str) == Some("string")
                        && m.get("enum").is_none()
                })
        });
        Some(opens_members)
    });
}

/// typify turns a *named* schema that is both `nullable` and a union into a type that contains
/// itself (it does not compile); written inline where it is used, the same schema works.
fn nullable_unions(doc: &Value, report: &mut Report) {
    let Some(Value::Object(components)) = doc.pointer("/components/schemas") else {
        return;
    };
    for (name, schema) in components {
        let union = ["oneOf", "anyOf"]
            .into_iter()
            .find(|k| schema.get(*k).is_some());
        if let (Some(Value::Bool(true)), Some(union)) = (schema.get("nullable"), union) {
            report.add(
                format!("/components/schemas/{}/nullable", segment(name)),
                "nullable-union",
                format!("component `{name}` is `nullable` and a `{union}`: progenitor generates a type that contains itself"),
                "write the schema inline where it is used (typify types the inline form correctly)",
            );
        }
    }
}

/// OpenAPI 3.0.3 gives `nullable: true` a meaning only beside a `type` (Spectral refuses the
/// examples of such a schema); typify reads it anyway, so the two would disagree. Every schema
/// object in the document is checked; example and extension values are data, not schemas.
fn nullable_types(value: &Value, at: &str, report: &mut Report) {
    match value {
        Value::Object(map) => {
            // A named nullable union is rule `nullable-union`'s, with its own fix.
            let named_union = at.starts_with("/components/schemas/")
                && at.matches('/').count() == 3
                && (map.contains_key("oneOf") || map.contains_key("anyOf"));
            if map.get("nullable") == Some(&Value::Bool(true))
                && !map.contains_key("type")
                && !named_union
            {
                report.add(
                    format!("{at}/nullable"),
                    "nullable-type",
                    "`nullable: true` without a `type` means nothing in OpenAPI 3.0.3",
                    "give the schema its `type` (beside `allOf: [$ref]`, the referenced schema's type)",
                );
            }
            for (key, inner) in map {
                if matches!(key.as_str(), "example" | "examples" | "default" | "enum")
                    || key.starts_with("x-")
                {
                    continue;
                }
                nullable_types(inner, &format!("{at}/{}", segment(key)), report);
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                nullable_types(inner, &format!("{at}/{i}"), report);
            }
        }
        _ => {}
    }
}

#[allow(clippy::too_many_arguments)]
fn operation(
    doc: &Value,
    schemas: &Schemas,
    route: &str,
    item: &Value,
    op: &Value,
    at: &str,
    operation_ids: &mut BTreeSet<String>,
    report: &mut Report,
) {
    match op.get("operationId").and_then(Value::as_str) {
        None => report.add(
            at,
            "operation-id",
            "the operation has no `operationId`",
            "add a snake_case `operationId` (the vendor SDK's operation name in snake_case)",
        ),
        Some(id) => {
            let snake = id.starts_with(|c: char| c.is_ascii_lowercase())
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !snake {
                report.add(
                    format!("{at}/operationId"),
                    "operation-id",
                    format!("`{id}` is not snake_case"),
                    "use lower-case words joined by `_`: it becomes the Rust method name",
                );
            }
            if !operation_ids.insert(id.to_owned()) {
                report.add(
                    format!("{at}/operationId"),
                    "operation-id",
                    format!("`{id}` is used by another operation"),
                    "give every operation its own `operationId`",
                );
            }
        }
    }
    for key in ["summary", "description"] {
        if op
            .get(key)
            .and_then(Value::as_str)
            .is_none_or(|s| s.trim().is_empty())
        {
            report.add(at, "documented", format!("the operation has no `{key}`"), format!("add a `{key}`: it becomes the method's documentation (name the source doc page)"));
        }
    }
    parameters(doc, schemas, route, item, op, at, report);
    if let Some(body) = op.get("requestBody") {
        let body_at = format!("{at}/requestBody");
        media(doc, schemas, resolve(doc, body), &body_at, report);
    }
    responses(doc, schemas, op, at, report);
}

fn parameters(
    doc: &Value,
    schemas: &Schemas,
    route: &str,
    item: &Value,
    op: &Value,
    at: &str,
    report: &mut Report,
) {
    let template: BTreeSet<&str> = route
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    let mut declared_path = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let lists = [("/parameters", item), ("/parameters", op)];
    for (i, (suffix, owner)) in lists.iter().enumerate() {
        let Some(list) = owner.get("parameters").and_then(Value::as_array) else {
            continue;
        };
        let list_at = if i == 0 {
            format!("{}{suffix}", at.rsplit_once('/').map_or(at, |(p, _)| p))
        } else {
            format!("{at}{suffix}")
        };
        for (n, parameter) in list.iter().enumerate() {
            let p_at = format!("{list_at}/{n}");
            let p = resolve(doc, parameter);
            let (Some(name), Some(location)) = (
                p.get("name").and_then(Value::as_str),
                p.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            if !seen.insert((name.to_owned(), location.to_owned())) {
                report.add(
                    &p_at,
                    "duplicate-parameter",
                    format!("`{name}` in {location} is declared twice"),
                    "declare each parameter once per operation",
                );
            }
            if location == "path" {
                declared_path.insert(name.to_owned());
                if !template.contains(name) {
                    report.add(
                        &p_at,
                        "path-parameters",
                        format!("path parameter `{name}` is not in the route `{route}`"),
                        format!("add `{{{name}}}` to the route, or declare `{name}` `in: query`"),
                    );
                }
                if p.get("required") != Some(&Value::Bool(true)) {
                    report.add(
                        &p_at,
                        "path-parameters",
                        format!("path parameter `{name}` is not `required: true`"),
                        "path parameters are always required: add `required: true`",
                    );
                }
            }
            if let (Some(example), Some(schema)) = (p.get("example"), p.get("schema")) {
                check_example(schemas, schema, example, &format!("{p_at}/example"), report);
            }
        }
    }
    for name in template {
        if !declared_path.contains(name) {
            report.add(
                format!("{at}/parameters"),
                "path-parameters",
                format!("`{{{name}}}` in the route is not a declared path parameter"),
                format!("declare `{name}` with `in: path` and `required: true`"),
            );
        }
    }
}

/// A request body or response: JSON content needs a schema; examples must match it.
/// Returns the JSON schema, if any.
fn media<'a>(
    doc: &'a Value,
    schemas: &Schemas,
    object: &'a Value,
    at: &str,
    report: &mut Report,
) -> Option<&'a Value> {
    let content = object.get("content").and_then(Value::as_object)?;
    let mut json_schema = None;
    for (media_type, media) in content {
        let media_at = format!("{at}/content/{}", segment(media_type));
        let schema = media.get("schema");
        if media_type.contains("json") && schema.is_none() {
            report.add(
                &media_at,
                "media-schema",
                format!("`{media_type}` content has no schema"),
                "add a `schema` (progenitor cannot type a JSON body without one)",
            );
        }
        if let Some(schema) = schema {
            if let Some(example) = media.get("example") {
                check_example(
                    schemas,
                    schema,
                    example,
                    &format!("{media_at}/example"),
                    report,
                );
            }
            if let Some(Value::Object(examples)) = media.get("examples") {
                for (name, example) in examples {
                    if let Some(value) = resolve(doc, example).get("value") {
                        check_example(
                            schemas,
                            schema,
                            value,
                            &format!("{media_at}/examples/{}/value", segment(name)),
                            report,
                        );
                    }
                }
            }
            if media_type.contains("json") {
                json_schema = Some(schema);
            }
        }
    }
    json_schema
}

fn responses(doc: &Value, schemas: &Schemas, op: &Value, at: &str, report: &mut Report) {
    let Some(responses) = op.get("responses").and_then(Value::as_object) else {
        report.add(
            at,
            "responses",
            "the operation declares no responses",
            "declare every documented status with its body",
        );
        return;
    };
    let responses_at = format!("{at}/responses");
    let mut success = Vec::new();
    let mut errors = Vec::new();
    for (status, response) in responses {
        let r_at = format!("{responses_at}/{}", segment(status));
        let schema = media(doc, schemas, resolve(doc, response), &r_at, report).cloned();
        if status.starts_with('2') {
            success.push((status.clone(), schema));
        } else {
            errors.push((status.clone(), schema));
        }
    }
    for (kind, list, rule) in [
        ("success (2xx)", &success, "success-schemas"),
        ("error", &errors, "error-schemas"),
    ] {
        let distinct: Vec<&Option<Value>> =
            list.iter().map(|(_, s)| s).fold(Vec::new(), |mut acc, s| {
                if !acc.contains(&s) {
                    acc.push(s);
                }
                acc
            });
        if distinct.len() > 1 {
            let statuses: Vec<&str> = list.iter().map(|(s, _)| s.as_str()).collect();
            report.add(
                &responses_at,
                rule,
                format!("{kind} responses {} have {} different bodies; progenitor types one", statuses.join(", "), distinct.len()),
                "give them one schema: a shared component holding every documented field as optional (or no body for all)",
            );
        }
    }
    if responses.contains_key("default") && success.iter().any(|(_, s)| s.is_some()) {
        report.add(
            format!("{responses_at}/default"),
            "default-response",
            "`default` stands beside a typed 2xx response",
            "declare the documented error statuses one by one instead of `default`",
        );
    }
}
