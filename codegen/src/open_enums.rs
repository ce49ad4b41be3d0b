//! Open enums: what the service may answer beyond the values the docs list.
//!
//! A spec marks a response enum as open with the JSON Schema idiom
//! `anyOf: [{$ref: <string enum>}, {type: string}]`: a listed value or any other string. typify
//! turns `anyOf` into a struct of flattened optional members, which cannot decode a plain string,
//! but turns `oneOf` into an untagged enum tried branch by branch, which is exactly this idiom. So
//! the spec keeps the correct `anyOf` (examples validate against it) and progenitor is handed
//! `oneOf`: the generated type is `enum X { KnownX(KnownX), Other(String) }`.

#[cfg(test)]
use openapiv3::OpenAPI;
use serde_json::Value;

/// Turns every open-enum `anyOf` in `document` (an OpenAPI document as JSON) into `oneOf`;
/// nothing else changes.
pub fn open(document: &mut Value) {
    let enums = string_enums(document);
    rewrite(document, &enums);
}

/// A copy of `openapi` with every open-enum `anyOf` turned into `oneOf`.
#[cfg(test)]
fn for_progenitor(openapi: &OpenAPI) -> OpenAPI {
    let mut document = serde_json::to_value(openapi).unwrap();
    open(&mut document);
    serde_json::from_value(document).unwrap()
}

/// `$ref` targets (`#/components/schemas/X`) that are plain string enums.
fn string_enums(document: &Value) -> Vec<String> {
    let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    schemas
        .iter()
        .filter(|(_, schema)| {
            schema.get("type").and_then(Value::as_str) == Some("string")
                && schema.get("enum").is_some()
        })
        .map(|(name, _)| format!("#/components/schemas/{name}"))
        .collect()
}

/// Whether `branches` is `[{$ref: <string enum>}, {type: string, ...}]`.
pub fn is_open_enum(branches: &[Value], enums: &[String]) -> bool {
    let [known, other] = branches else {
        return false;
    };
    let known_ok = known
        .get("$ref")
        .and_then(Value::as_str)
        .is_some_and(|target| enums.iter().any(|e| e == target));
    let other_ok = other.get("type").and_then(Value::as_str) == Some("string")
        && other.get("enum").is_none()
        && other.get("$ref").is_none();
    known_ok && other_ok
}

fn rewrite(value: &mut Value, enums: &[String]) {
    match value {
        Value::Object(map) => {
            let open = map
                .get("anyOf")
                .and_then(Value::as_array)
                .is_some_and(|branches| is_open_enum(branches, enums));
            if open {
                let branches = map.remove("anyOf").expect("checked above");
                map.insert("oneOf".into(), branches);
            }
            map.values_mut().for_each(|v| rewrite(v, enums));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, enums)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(status: &str) -> OpenAPI {
        let yaml = format!(
            r#"
openapi: 3.0.3
info: {{title: t, version: v1}}
paths: {{}}
components:
  schemas:
    Status:
      {status}
    KnownStatus:
      type: string
      enum: [RUNNING, FINISHED]
"#
        );
        serde_yaml::from_str(&yaml).unwrap()
    }

    fn status_of(openapi: &OpenAPI) -> Value {
        serde_json::to_value(openapi).unwrap()["components"]["schemas"]["Status"].clone()
    }

    #[test]
    fn the_open_enum_idiom_becomes_one_of() {
        let open = spec(
            "anyOf: [{$ref: '#/components/schemas/KnownStatus'}, {type: string, title: Other}]",
        );
        let status = status_of(&for_progenitor(&open));
        assert!(status.get("anyOf").is_none(), "{status}");
        assert_eq!(status["oneOf"][1]["title"], "Other");
    }

    #[test]
    fn any_other_any_of_is_left_alone() {
        for other in [
            "anyOf: [{$ref: '#/components/schemas/KnownStatus'}, {type: integer}]",
            "anyOf: [{type: string}, {$ref: '#/components/schemas/KnownStatus'}]",
            "anyOf: [{$ref: '#/components/schemas/Missing'}, {type: string}]",
        ] {
            let original = spec(other);
            assert_eq!(
                status_of(&for_progenitor(&original)),
                status_of(&original),
                "{other}"
            );
        }
    }
}
