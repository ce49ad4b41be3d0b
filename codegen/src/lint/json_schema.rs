//! Validates values against a spec's OpenAPI 3.0 schemas with a real JSON Schema validator.
//!
//! OpenAPI 3.0 schemas are a dialect of JSON Schema draft 4/5: `nullable: true` stands for "or
//! null", and `example` is documentation. [`to_json_schema`] rewrites those two; `$ref`s keep
//! pointing at `#/components/schemas/...`, which the validator resolves inside a root document
//! holding the converted components.

use serde_json::{Map, Value, json};

/// Where a value breaks its schema: `at` is the JSON pointer into the value (`""` is all of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub at: String,
    pub message: String,
}

/// The spec's components, converted, to resolve `$ref`s against.
pub struct Schemas {
    /// `{"components": {"schemas": ...}}`: where `#/components/schemas/X` points.
    root: Value,
    /// Validators compiled so far, by the schema's JSON text: many examples and recordings share
    /// a schema, and compiling one (with every component) costs far more than validating.
    compiled: std::cell::RefCell<
        std::collections::HashMap<String, Result<std::rc::Rc<jsonschema::Validator>, String>>,
    >,
}

impl Schemas {
    pub fn new(document: &Value) -> Self {
        let schemas = document
            .pointer("/components/schemas")
            .cloned()
            .unwrap_or_else(|| json!({}));
        Schemas {
            root: json!({ "components": { "schemas": to_json_schema(&schemas, true) } }),
            compiled: Default::default(),
        }
    }

    fn validator(&self, schema: &Value) -> Result<std::rc::Rc<jsonschema::Validator>, String> {
        let key = schema.to_string();
        if let Some(found) = self.compiled.borrow().get(&key) {
            return found.clone();
        }
        let converted = to_json_schema(schema, false);
        let components = self.components_reached_from(&converted);
        let mut root = match converted {
            Value::Object(map) => map,
            other => {
                let mut map = Map::new();
                map.insert("allOf".into(), json!([other]));
                map
            }
        };
        root.insert("components".into(), components);
        let compiled = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(&Value::Object(root))
            .map(std::rc::Rc::new)
            .map_err(|e| e.to_string());
        self.compiled.borrow_mut().insert(key, compiled.clone());
        compiled
    }

    /// `{"schemas": ...}` with only the components `schema` reaches: compiling a validator walks
    /// all it is given, and most schemas checked (a property's example) reach none. All of them
    /// when a reference names no component by its plain name (escaped, or pointing elsewhere).
    fn components_reached_from(&self, schema: &Value) -> Value {
        let all = &self.root["components"];
        let mut reached = Map::new();
        for reference in crate::reachable_schemas::reached_from(&self.root, schema) {
            let target = reference
                .strip_prefix("#/components/schemas/")
                .filter(|name| !name.contains(['~', '%', '/']))
                .and_then(|name| Some((name, all["schemas"].get(name)?)));
            match target {
                Some((name, target)) => {
                    reached.insert(name.to_owned(), target.clone());
                }
                None => return all.clone(),
            }
        }
        json!({ "schemas": reached })
    }

    /// Errors of `value` against the OpenAPI `schema`, each as `pointer-in-value: message`.
    /// A schema the validator cannot compile is one error saying so.
    pub fn validate(&self, schema: &Value, value: &Value) -> Vec<Mismatch> {
        let validator = match self.validator(schema) {
            Ok(v) => v,
            Err(e) => {
                return vec![Mismatch {
                    at: String::new(),
                    message: format!("the schema does not compile: {e}"),
                }];
            }
        };
        validator
            .iter_errors(value)
            .map(|e| Mismatch {
                at: e.instance_path.to_string(),
                message: e.to_string(),
            })
            .collect()
    }
}

/// Converts an OpenAPI 3.0 schema (or, with `is_map`, a map of named schemas) to JSON Schema.
pub fn to_json_schema(schema: &Value, is_map: bool) -> Value {
    if is_map {
        return match schema {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), to_json_schema(v, false)))
                    .collect(),
            ),
            other => other.clone(),
        };
    }
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        let converted = match key.as_str() {
            // Documentation only; an example is checked against the schema, not part of it.
            "example" | "nullable" | "xml" | "externalDocs" | "discriminator" => continue,
            "properties" | "patternProperties" => to_json_schema(value, true),
            "items" | "additionalProperties" | "not" => to_json_schema(value, false),
            "allOf" | "anyOf" | "oneOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|s| to_json_schema(s, false))
                    .collect(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    if map.get("nullable") == Some(&Value::Bool(true)) {
        return or_null(out);
    }
    Value::Object(out)
}

/// `schema` or `null`.
fn or_null(mut schema: Map<String, Value>) -> Value {
    match schema.get("type").cloned() {
        Some(Value::String(t)) if !schema.contains_key("$ref") => {
            schema.insert("type".into(), json!([t, "null"]));
            if let Some(Value::Array(values)) = schema.get_mut("enum") {
                values.push(Value::Null);
            }
            Value::Object(schema)
        }
        _ => json!({ "anyOf": [Value::Object(schema), { "type": "null" }] }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas() -> Schemas {
        Schemas::new(&json!({"components": {"schemas": {
            "Known": {"type": "string", "enum": ["A", "B"]},
            "Open": {"anyOf": [{"$ref": "#/components/schemas/Known"}, {"type": "string"}]},
            "Thing": {"type": "object", "properties": {
                "n": {"type": "integer", "nullable": true},
                "k": {"$ref": "#/components/schemas/Known"}
            }}
        }}}))
    }

    #[test]
    fn nullable_allows_null_and_refs_resolve() {
        let s = schemas();
        let thing = json!({"$ref": "#/components/schemas/Thing"});
        assert!(s.validate(&thing, &json!({"n": null, "k": "A"})).is_empty());
        let errors = s.validate(&thing, &json!({"n": "x", "k": "C"}));
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors.iter().any(|e| e.at == "/k"), "{errors:?}");
    }

    #[test]
    fn open_enums_accept_known_and_unknown_values() {
        let s = schemas();
        let open = json!({"$ref": "#/components/schemas/Open"});
        assert!(s.validate(&open, &json!("A")).is_empty());
        assert!(s.validate(&open, &json!("Z")).is_empty());
        assert!(!s.validate(&open, &json!(3)).is_empty());
    }

    /// Each schema is compiled with only the components it reaches; references that must be
    /// unescaped, cycles and chains still resolve. Each case: schema, a value it accepts and one
    /// it refuses.
    #[test]
    fn references_resolve_whatever_they_name() {
        let s = Schemas::new(&json!({"components": {"schemas": {
            "a/b": {"type": "integer"},
            "Node": {"type": "object", "properties": {
                "next": {"$ref": "#/components/schemas/Node"},
                "v": {"$ref": "#/components/schemas/Leaf"}
            }},
            "Leaf": {"$ref": "#/components/schemas/Known"},
            "Known": {"type": "string", "enum": ["A", "B"]},
            "Unrelated": {"type": "boolean"}
        }}}));
        let cases = [
            (
                json!({"$ref": "#/components/schemas/a~1b"}),
                json!(1),
                json!("x"),
            ),
            (
                json!({"$ref": "#/components/schemas/Node"}),
                json!({"next": {"next": {"v": "A"}}}),
                json!({"next": {"next": {"v": "C"}}}),
            ),
            (
                json!({"type": "array", "items": {"$ref": "#/components/schemas/Leaf"}}),
                json!(["A", "B"]),
                json!(["A", 1]),
            ),
            (
                json!({"type": "string", "maxLength": 2}),
                json!("ab"),
                json!("abc"),
            ),
        ];
        for (schema, accepted, refused) in cases {
            assert!(
                s.validate(&schema, &accepted).is_empty(),
                "{schema} {accepted}"
            );
            assert!(
                !s.validate(&schema, &refused).is_empty(),
                "{schema} {refused}"
            );
        }
    }
}
