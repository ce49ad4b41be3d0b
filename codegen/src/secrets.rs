//! Secret request fields: a string schema with `format: password` and `writeOnly: true` (plain
//! OpenAPI 3.0, which Spectral and Redocly read too) holds a password, a key or a token the
//! caller sends and nothing may show.
//!
//! - progenitor is handed each such schema as a reference to one synthetic component that typify
//!   replaces by [`RUST_TYPE`], so the field's `Debug` (and every struct's or builder's around it)
//!   prints `<redacted>` and the value is wiped when dropped ([`hand_over`]);
//! - the operations table lists where they sit in each request body ([`pointers`]), for whatever
//!   writes an exchange down;
//! - lint rule `secret` keeps the marking honest: a password-looking request field must be marked,
//!   a marked one must be a plain `writeOnly` string (`rules`); rule `cassette-secret` refuses a
//!   cassette whose request shows anything but the placeholder there.

use serde_json::{Map, Value, json};

use crate::{
    diagnostics::{Report, segment},
    schema_walk::{Step, Walker, walk},
    spec_json::{at, operations, resolve},
};

/// The Rust type every secret field becomes.
pub const RUST_TYPE: &str = "cloud_runtime::Secret";

/// The component progenitor is handed for every secret field; typify replaces it by
/// [`RUST_TYPE`]. A spec may not declare a component of this name (rule `secret`).
pub const COMPONENT: &str = "CloudRuntimeSecret";

/// Words in a request field's name that say it holds a secret (matched on the name's snake or
/// camel case parts, so `secret_key` and `clusterAdminSecret` are found, `secretary` is not).
const SECRET_WORDS: &[&str] = &["password", "passwd", "pwd", "secret", "passphrase"];

/// Whether `schema` (one schema object, not followed) is marked secret.
pub fn is_secret(schema: &Value) -> bool {
    schema.as_object().is_some_and(is_secret_map)
}

fn is_secret_map(schema: &Map<String, Value>) -> bool {
    schema.get("format").and_then(Value::as_str) == Some("password")
}

/// Every secret schema in `document` (an OpenAPI document as JSON) becomes a reference to
/// [`COMPONENT`], which is added; a document without one is left as it is.
pub fn hand_over(document: &mut Value) {
    if !replace(document) {
        return;
    }
    // A spec with inline schemas only has no `components` to add it to yet.
    let Some(root) = document.as_object_mut() else {
        return;
    };
    let components = root.entry("components").or_insert_with(|| json!({}));
    if let Some(components) = components.as_object_mut() {
        let schemas = components.entry("schemas").or_insert_with(|| json!({}));
        if let Some(schemas) = schemas.as_object_mut() {
            schemas.insert(COMPONENT.into(), json!({"type": "string"}));
        }
    }
}

/// Replaces secret schemas below `value` (examples are values, not schemas: left alone);
/// whether any was found.
fn replace(value: &mut Value) -> bool {
    match value {
        Value::Object(map) if map.get("format").and_then(Value::as_str) == Some("password") => {
            *value = json!({"$ref": format!("#/components/schemas/{COMPONENT}")});
            true
        }
        Value::Object(map) => map
            .iter_mut()
            .filter(|(key, _)| !matches!(key.as_str(), "example" | "examples"))
            .fold(false, |any, (_, inner)| replace(inner) | any),
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |any, inner| replace(inner) | any),
        _ => false,
    }
}

/// JSON pointers, into the JSON request body of `op`, of every secret field; `*` stands for any
/// array index or map key. Cycles (a tree of nodes) are followed once.
pub fn pointers(doc: &Value, op: &Value) -> Vec<String> {
    let Some(schema) = resolve(doc, op.get("requestBody").unwrap_or(&Value::Null))
        .pointer("/content/application~1json/schema")
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    // The context is the instance pointer: a component reached at two fields is found at both.
    walk(doc, schema, String::new(), String::new(), &mut |node, _| {
        if is_secret_map(node.schema) && !found.contains(&node.instance) {
            found.push(node.instance.clone());
        }
        Some(node.instance.clone())
    });
    found
}

/// The values `pointer` (from [`pointers`]: `*` is any index or key) reaches in `value`, each
/// with its concrete pointer.
pub fn expand<'a>(value: &'a Value, pointer: &str) -> Vec<(String, &'a Value)> {
    let mut reached = vec![(String::new(), value)];
    for step in pointer.split('/').skip(1) {
        reached = reached
            .into_iter()
            .flat_map(|(at, value)| -> Vec<(String, &'a Value)> {
                match (step, value) {
                    ("*", Value::Array(items)) => items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (format!("{at}/{i}"), v))
                        .collect(),
                    ("*", Value::Object(map)) => map
                        .iter()
                        .map(|(k, v)| (format!("{at}/{}", segment(k)), v))
                        .collect(),
                    (step, value) => {
                        let key = step.replace("~1", "/").replace("~0", "~");
                        value
                            .get(&key)
                            .map(|v| (format!("{at}/{step}"), v))
                            .into_iter()
                            .collect()
                    }
                }
            })
            .collect();
    }
    reached
}

/// Rule `cassette-secret`: every secret field of `op`'s request in a recorded request body
/// holds `placeholder`, never a value.
pub fn recorded(doc: &Value, op: &Value, body: &Value, placeholder: &str, report: &mut Report) {
    for pointer in pointers(doc, op) {
        for (at, value) in expand(body, &pointer) {
            if value.as_str() != Some(placeholder) {
                report.add(
                    format!("/request/body{at}"),
                    "cassette-secret",
                    "a secret field (`format: password` in the spec) holds a value",
                    format!("record `\"{placeholder}\"` in its place; the replay accepts any value the client sends there"),
                );
            }
        }
    }
}

/// Rule `secret`: a secret schema is a plain string the service checks (`type: string`,
/// `writeOnly: true`, no `pattern`, `minLength`, `maxLength` or `enum` the client would refuse a
/// valid password by), and a string field of a request body whose name says it holds a secret
/// is marked.
pub(crate) fn rules(doc: &Value, report: &mut Report) {
    if doc
        .pointer(&format!("/components/schemas/{COMPONENT}"))
        .is_some()
    {
        report.add(
            format!("/components/schemas/{COMPONENT}"),
            "secret",
            format!("the component name `{COMPONENT}` is codegen's, for secret fields"),
            "rename the component",
        );
    }
    marked(doc, "", report);
    let mut walker = Walker::new(doc);
    for (route, _, method, op) in operations(doc) {
        let Some(schema) = resolve(doc, op.get("requestBody").unwrap_or(&Value::Null))
            .pointer("/content/application~1json/schema")
        else {
            continue;
        };
        let start = format!(
            "{}/requestBody/content/application~1json/schema",
            at(route, method)
        );
        unmarked(&mut walker, schema, start, report);
    }
}

/// Every secret schema anywhere in the document (examples aside: they are values) is a plain
/// `writeOnly` string.
fn marked(value: &Value, pointer: &str, report: &mut Report) {
    match value {
        Value::Object(map) => {
            if is_secret(value) {
                check_marked(map, pointer, report);
            }
            for (key, inner) in map {
                if !matches!(key.as_str(), "example" | "examples") {
                    marked(inner, &format!("{pointer}/{}", segment(key)), report);
                }
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                marked(inner, &format!("{pointer}/{i}"), report);
            }
        }
        _ => {}
    }
}

fn check_marked(schema: &Map<String, Value>, pointer: &str, report: &mut Report) {
    let hint = "declare a secret as `type: string, format: password, writeOnly: true`; put the service's rules for it in its description";
    if schema.get("type").and_then(Value::as_str) != Some("string") {
        report.add(
            pointer,
            "secret",
            "`format: password` on a schema that is not `type: string`",
            hint,
        );
    }
    if schema.get("writeOnly").and_then(Value::as_bool) != Some(true) {
        report.add(
            pointer,
            "secret",
            "`format: password` without `writeOnly: true`: a secret is sent, never answered",
            hint,
        );
    }
    for key in ["pattern", "minLength", "maxLength", "enum"] {
        if schema.contains_key(key) {
            report.add(
                format!("{pointer}/{key}"),
                "secret",
                format!("a secret field with `{key}`: the client would refuse a password the service may accept, and would name the value in its error"),
                hint,
            );
        }
    }
}

/// String fields of a request body whose names say they hold a secret, not marked; each
/// place reported once.
fn unmarked<'a>(walker: &mut Walker<'a, ()>, schema: &'a Value, at: String, report: &mut Report) {
    walker.walk(schema, at, (), &mut |node, _| {
        if let Step::Property { name, .. } = node.step {
            let is_string = node.schema.get("type").and_then(Value::as_str) == Some("string");
            if is_string && names_a_secret(name) && !is_secret_map(node.schema) {
                report.add(
                    &node.at,
                    "secret",
                    format!("request field `{name}` is named like a secret but not marked as one: its value would show in `Debug`, logs and recordings"),
                    "add `format: password` and `writeOnly: true`",
                );
            }
        }
        Some(())
    });
}

/// Whether a field name holds one of [`SECRET_WORDS`] as a part of its snake or camel case.
fn names_a_secret(name: &str) -> bool {
    let snake = heck::ToSnakeCase::to_snake_case(name);
    snake.split('_').any(|part| SECRET_WORDS.contains(&part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for (name, secret) in [
            ("manager_admin_password", true),
            ("node_root_password", true),
            ("cluster_admin_secret", true),
            ("clusterMasterSecret", true),
            ("login_pwd", true),
            ("secretary", false),
            ("password_enabled", true),
            ("safe_mode", false),
            ("passwords", false),
        ] {
            assert_eq!(names_a_secret(name), secret, "{name}");
        }
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: v1}
servers: [{url: 'https://t.example.com'}]
paths:
  /v1/clusters:
    post:
      operationId: create_cluster
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/ClusterRequest'}}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}
components:
  schemas:
    ClusterRequest:
      type: object
      required: [admin_password]
      properties:
        name: {type: string}
        admin_password: {type: string, format: password, writeOnly: true, description: The admin's password.}
        nodes: {type: array, items: {$ref: '#/components/schemas/Node'}}
        labels: {type: object, additionalProperties: {$ref: '#/components/schemas/Label'}}
    Node:
      type: object
      properties:
        root_password: {type: string, format: password, writeOnly: true}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
    Label:
      type: object
      properties:
        token: {type: string, format: password, writeOnly: true}
"#;

    /// Found at any depth, through arrays, maps and a tree that refers to itself (followed once).
    #[test]
    fn pointers_reach_nested_fields_once() {
        let doc: Value = serde_yaml::from_str(SPEC).unwrap();
        let op = doc.pointer("/paths/~1v1~1clusters/post").unwrap();
        assert_eq!(
            pointers(&doc, op),
            [
                "/admin_password",
                "/labels/*/token",
                "/nodes/*/root_password"
            ]
        );
        let body = json!({
            "admin_password": "<scrubbed>",
            "nodes": [{"root_password": "<scrubbed>"}, {"root_password": "Mrs@Cluster2026!"}],
            "labels": {"a": {"token": "<scrubbed>"}},
        });
        let mut report = Report::new(std::path::Path::new("c.json"));
        recorded(&doc, op, &body, "<scrubbed>", &mut report);
        let at: Vec<&str> = report.problems.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(at, ["/request/body/nodes/1/root_password"]);
        assert!(report.problems.iter().all(|p| p.rule == "cassette-secret"));
    }

    /// The generated field is the redacting type, required or not, and the operations table
    /// lists where the secrets sit.
    #[test]
    fn generated_fields_are_secrets_and_listed() {
        let spec = crate::Spec::parse("specs/t-v1.yaml".into(), SPEC.as_bytes()).unwrap();
        let rendered = crate::render::render(&spec, None).unwrap();
        let lib = &rendered
            .files
            .iter()
            .find(|f| f.path.ends_with("src/lib.rs"))
            .unwrap()
            .contents;
        for expected in [
            "pub admin_password: cloud_runtime::Secret,",
            "pub root_password: ::std::option::Option<cloud_runtime::Secret>,",
            "pub token: ::std::option::Option<cloud_runtime::Secret>,",
            r#"secrets: &["/admin_password", "/labels/*/token", "/nodes/*/root_password"]"#,
        ] {
            assert!(lib.contains(expected), "missing {expected:?}");
        }
        assert!(!lib.contains("CloudRuntimeSecret"));
    }
}
