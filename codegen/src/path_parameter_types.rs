//! A path parameter that every operation declares alike is one Rust type, named by the parameter.
//!
//! progenitor names an inline parameter schema after its operation, so `project_id` in thirteen
//! operations was thirteen validated newtypes (`CancelSqlJobProjectId`, ...): a caller could not
//! hand one operation's id to another, and a spec of thousands of operations spent a third of
//! its client on copies (3,000 operations: 6,000 newtypes). On the copy progenitor sees, each
//! path parameter whose name always comes with the same string schema that typify makes a type
//! of (a `pattern`, which [`crate::path_segments`] gives every free string, or an `enum`)
//! becomes one component schema, `ProjectId`, and every use a `$ref` to it. The spec is left as
//! written.
//!
//! A name is left per operation when its schema differs between operations, or when its type
//! name could be one typify already derives: a component schema's name, or a name starting with
//! a component's or an operation's (typify names inline schemas `{Parent}{Property}`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::{
    naming::{Case, Namer, sanitize},
    path_segments::for_each_path_parameter,
};

const SCHEMAS: &str = "#/components/schemas/";

/// Shares the schemas of `document`'s path parameters (an OpenAPI 3.0 document as JSON, after
/// [`crate::path_segments::confine`]).
pub fn share(document: &mut Value) {
    // Each name's schema, or `None` once two of its parameters differ.
    let mut schema_by_name: BTreeMap<String, Option<Value>> = BTreeMap::new();
    for_each_path_parameter(document, |parameter| {
        if let (Some(name), Some(schema)) = (
            parameter.get("name").and_then(Value::as_str),
            parameter.get("schema"),
        ) {
            match schema_by_name.get_mut(name) {
                None => {
                    schema_by_name.insert(name.to_owned(), Some(schema.clone()));
                }
                Some(known) if known.as_ref() != Some(schema) => *known = None,
                Some(_) => {}
            }
        }
    });
    let taken = taken_prefixes(document);
    let mut type_names: BTreeMap<String, Vec<(String, Value)>> = BTreeMap::new();
    for (name, schema) in schema_by_name {
        let Some(schema) = schema.filter(typify_names_it) else {
            continue;
        };
        let type_name = sanitize(&name, Case::Pascal, Namer::Typify);
        if !taken.iter().any(|prefix| type_name.starts_with(prefix)) {
            type_names
                .entry(type_name)
                .or_default()
                .push((name, schema));
        }
    }
    // Two parameter names that make one type name (`project-id`, `project_id`) keep their own.
    let shared: BTreeMap<String, (String, Value)> = type_names
        .into_iter()
        .filter_map(|(type_name, mut named)| match named.len() {
            1 => named
                .pop()
                .map(|(name, schema)| (name, (type_name, schema))),
            _ => None,
        })
        .collect();
    if shared.is_empty() {
        return;
    }
    for_each_path_parameter(document, |parameter| {
        let type_name = parameter
            .get("name")
            .and_then(Value::as_str)
            .and_then(|name| shared.get(name));
        if let Some((type_name, _)) = type_name {
            parameter.insert(
                "schema".into(),
                serde_json::json!({ "$ref": format!("{SCHEMAS}{type_name}") }),
            );
        }
    });
    let components = document.as_object_mut().map(|root| {
        root.entry("components")
            .or_insert_with(|| Value::Object(Map::new()))
    });
    let Some(components) = components.and_then(Value::as_object_mut) else {
        return;
    };
    let schemas = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(schemas) = schemas.as_object_mut() {
        for (type_name, schema) in shared.into_values() {
            schemas.insert(type_name, schema);
        }
    }
}

/// A string schema typify turns into a named type: validated (`pattern`) or closed (`enum`).
fn typify_names_it(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string")
        && (schema.get("pattern").is_some() || schema.get("enum").is_some())
}

/// Type names a shared type must not start with: every component schema's and operation's.
fn taken_prefixes(document: &Value) -> BTreeSet<String> {
    let components = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|schemas| schemas.keys());
    let operations = document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|op| op.get("operationId").and_then(Value::as_str));
    components
        .map(String::as_str)
        .chain(operations)
        .map(|name| sanitize(name, Case::Pascal, Namer::Typify))
        .filter(|name| !name.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parameter(name: &str, schema: Value) -> Value {
        json!({"name": name, "in": "path", "required": true, "schema": schema})
    }

    fn guarded() -> Value {
        json!({"type": "string", "pattern": "^[a-z]+$"})
    }

    /// What it is, the parameters of two operations (`ListThings`, `ShowThing`), the component
    /// schemas, and the type names shared.
    type SharingCase = (
        &'static str,
        Vec<Value>,
        Vec<Value>,
        Value,
        Vec<&'static str>,
    );

    /// Which parameter names end up sharing one type.
    #[test]
    fn which_parameters_share_one_type() {
        let cases: Vec<SharingCase> = vec![
            (
                "same name and schema everywhere",
                vec![parameter("project_id", guarded())],
                vec![parameter("project_id", guarded())],
                json!({}),
                vec!["ProjectId"],
            ),
            (
                "one operation alone still names it by the parameter",
                vec![parameter("var_name", guarded())],
                vec![],
                json!({}),
                vec!["VarName"],
            ),
            (
                "schemas differ: per operation",
                vec![parameter("job_id", guarded())],
                vec![parameter(
                    "job_id",
                    json!({"type": "string", "pattern": "^[0-9]+$"}),
                )],
                json!({}),
                vec![],
            ),
            (
                "closed enums are shared too",
                vec![parameter(
                    "kind",
                    json!({"type": "string", "enum": ["a", "b"]}),
                )],
                vec![parameter(
                    "kind",
                    json!({"type": "string", "enum": ["a", "b"]}),
                )],
                json!({}),
                vec!["Kind"],
            ),
            (
                "integers and plain strings have no type of their own",
                vec![
                    parameter("n", json!({"type": "integer"})),
                    parameter("s", json!({"type": "string"})),
                ],
                vec![],
                json!({}),
                vec![],
            ),
            (
                "a component of that name exists",
                vec![parameter("session_id", guarded())],
                vec![],
                json!({"SessionId": {"type": "string"}}),
                vec![],
            ),
            (
                "typify could derive the name from a component",
                vec![parameter("job_status", guarded())],
                vec![],
                json!({"Job": {"type": "object"}}),
                vec![],
            ),
            (
                "typify could derive the name from an operation",
                vec![parameter("show_thing_x", guarded())],
                vec![],
                json!({}),
                vec![],
            ),
            (
                "two names, one type name: neither is shared",
                vec![parameter("project_id", guarded())],
                vec![parameter("project-id", guarded())],
                json!({}),
                vec![],
            ),
        ];
        for (case, list, show, components, expected) in cases {
            let mut document = json!({
                "paths": {
                    "/things": {"get": {"operationId": "ListThings", "parameters": list}},
                    "/things/{x}": {"get": {"operationId": "showThing", "parameters": show}},
                },
                "components": {"schemas": components.clone()},
            });
            share(&mut document);
            let added: Vec<&str> = document["components"]["schemas"]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .filter(|name| components.get(name).is_none())
                .collect();
            assert_eq!(added, expected, "{case}");
            for (route, method) in [("/things", "get"), ("/things/{x}", "get")] {
                for parameter in document["paths"][route][method]["parameters"]
                    .as_array()
                    .unwrap()
                {
                    let reference = parameter["schema"]["$ref"].as_str();
                    let name = parameter["name"].as_str().unwrap();
                    let shared =
                        expected.contains(&sanitize(name, Case::Pascal, Namer::Typify).as_str());
                    assert_eq!(reference.is_some(), shared, "{case}: {name}");
                }
            }
        }
    }

    #[test]
    fn component_and_path_item_parameters_are_shared_with_the_operations() {
        let mut document = json!({
            "paths": {"/p/{project_id}/{job_id}": {
                "parameters": [{"$ref": "#/components/parameters/Project"}],
                "get": {"operationId": "a", "parameters": [parameter("job_id", guarded())]},
                "delete": {"operationId": "b", "parameters": [parameter("job_id", guarded())]},
            }},
            "components": {"parameters": {"Project": parameter("project_id", guarded())}},
        });
        share(&mut document);
        assert_eq!(
            document["components"]["parameters"]["Project"]["schema"]["$ref"],
            "#/components/schemas/ProjectId"
        );
        assert_eq!(document["components"]["schemas"]["JobId"], guarded());
        assert_eq!(
            document["paths"]["/p/{project_id}/{job_id}"]["delete"]["parameters"][0]["schema"]["$ref"],
            "#/components/schemas/JobId"
        );
    }
}
