//! Open enums: what the service may answer beyond the values the docs list.
//!
//! A spec marks a response enum as open with the JSON Schema idiom
//! `anyOf: [{$ref: <string enum>}, {type: string}]`: a listed value or any other string. typify
//! turns `anyOf` into a struct of flattened optional members, which cannot decode a plain string,
//! but turns `oneOf` into an untagged enum tried branch by branch, which is exactly this idiom. So
//! the spec keeps the correct `anyOf` (examples validate against it) and progenitor is handed
//! `oneOf`: the generated type is `enum X { KnownX(KnownX), Other(String) }`.
//!
//! Requests are open too: the service accepts values its pages forget (MRS `sql_type` `SPARK`,
//! which the vendor's SDK sends). Every component string enum a spec references directly (not as
//! the known half of the idiom above) is handed to progenitor as that idiom: the component keeps
//! its name and becomes `enum X { KnownX(KnownX), Other(String) }`, its values in `KnownX`. So a
//! caller passes `KnownX::Value` (through `From`) or `X::Other("...")`. Inline enums in requests
//! are refused by lint rule `request-enum`, so that every request enum is a component.

#[cfg(test)]
use openapiv3::OpenAPI;
use serde_json::Value;

/// Turns every open-enum `anyOf` in `document` (an OpenAPI document as JSON) into `oneOf`;
/// nothing else changes.
pub fn open(document: &mut Value) {
    let enums = string_enums(document);
    rewrite(document, &enums);
    open_closed_components(document, &enums);
}

/// The known half of the idiom for component `X`.
pub fn known_name(name: &str) -> String {
    format!("Known{name}")
}

/// The idiom's other half: the `title` of its plain string, so typify's variant name.
pub const OTHER: &str = "Other";

/// Every component string enum referenced directly somewhere (after [`rewrite`], the known
/// halves of the idiom are referenced from a `oneOf` beside a plain string) becomes the idiom.
fn open_closed_components(document: &mut Value, enums: &[String]) {
    // A direct reference to the known half of an idiom (`KnownJobType` as a request field) is
    // pointed at the idiom (`JobType`), which already takes every known value through `From`.
    let wrappers = idiom_wrappers(document, enums);
    redirect_known_halves(document, &wrappers);
    let mut direct = std::collections::BTreeSet::new();
    direct_references(document, enums, &mut direct);
    let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for target in direct {
        let Some(name) = target.strip_prefix("#/components/schemas/") else {
            continue;
        };
        let known = known_name(name);
        // A spec that already has `KnownX` beside a closed `X` keeps `X` closed (lint names
        // the collision as rule `request-enum`).
        if schemas.contains_key(&known) {
            continue;
        }
        let Some(closed) = schemas.remove(name) else {
            continue;
        };
        let description = closed.get("description").cloned();
        let mut open = serde_json::json!({
            "oneOf": [
                {"$ref": format!("#/components/schemas/{known}")},
                {"type": "string", "title": OTHER},
            ]
        });
        if let Some(description) = description {
            open["description"] = description;
        }
        schemas.insert(known, closed);
        schemas.insert(name.to_owned(), open);
    }
}

/// Known half (`#/components/schemas/KnownX`) -> its idiom (`#/components/schemas/X`), for
/// every component that is the idiom (as [`rewrite`] left it, a `oneOf`).
fn idiom_wrappers(
    document: &Value,
    enums: &[String],
) -> std::collections::BTreeMap<String, String> {
    let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Default::default();
    };
    schemas
        .iter()
        .filter_map(|(name, schema)| {
            let branches = schema.get("oneOf")?.as_array()?;
            if !is_open_enum(branches, enums) {
                return None;
            }
            let known = branches[0].get("$ref")?.as_str()?.to_owned();
            Some((known, format!("#/components/schemas/{name}")))
        })
        .collect()
}

/// Points every `$ref` to a known half outside its idiom at the idiom.
fn redirect_known_halves(value: &mut Value, wrappers: &std::collections::BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            let is_idiom = map.get("oneOf").and_then(Value::as_array).is_some_and(|b| {
                b.first()
                    .and_then(|k| k.get("$ref"))
                    .and_then(Value::as_str)
                    .is_some_and(|target| wrappers.contains_key(target))
                    && b.len() == 2
            });
            if let Some(Value::String(target)) = map.get_mut("$ref")
                && let Some(wrapper) = wrappers.get(target.as_str())
            {
                *target = wrapper.clone();
            }
            for (key, child) in map.iter_mut() {
                if is_idiom && key == "oneOf" {
                    continue;
                }
                redirect_known_halves(child, wrappers);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| redirect_known_halves(v, wrappers)),
        _ => {}
    }
}

/// The `$ref` targets among `enums` that `value` references other than as the first member of
/// an open idiom's `oneOf`.
fn direct_references(
    value: &Value,
    enums: &[String],
    found: &mut std::collections::BTreeSet<String>,
) {
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str)
                && enums.iter().any(|e| e == target)
            {
                found.insert(target.to_owned());
            }
            for (key, child) in map {
                let is_idiom = key == "oneOf"
                    && child
                        .as_array()
                        .is_some_and(|branches| is_open_enum(branches, enums));
                if is_idiom {
                    // The known half stands in its idiom; the string half references nothing.
                    continue;
                }
                direct_references(child, enums, found);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| direct_references(v, enums, found)),
        _ => {}
    }
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

    /// A closed component enum referenced directly (a request field) becomes the idiom under its
    /// own name; the known half of an idiom and unreferenced enums stay as they are.
    #[test]
    fn closed_enums_referenced_directly_are_opened_under_their_name() {
        let yaml = r#"
openapi: 3.0.3
info: {title: t, version: v1}
paths: {}
components:
  schemas:
    Request:
      type: object
      properties:
        kind: {$ref: '#/components/schemas/Kind'}
        status: {$ref: '#/components/schemas/Status'}
        known_status: {$ref: '#/components/schemas/KnownStatus'}
    Kind:
      type: string
      description: The kind.
      enum: [hive, spark]
    Status:
      anyOf: [{$ref: '#/components/schemas/KnownStatus'}, {type: string, title: Other}]
    KnownStatus:
      type: string
      enum: [RUNNING]
    Unused:
      type: string
      enum: [a]
"#;
        let openapi: OpenAPI = serde_yaml::from_str(yaml).unwrap();
        let opened = serde_json::to_value(for_progenitor(&openapi)).unwrap();
        let schemas = &opened["components"]["schemas"];
        assert_eq!(
            schemas["Kind"]["oneOf"][0]["$ref"],
            "#/components/schemas/KnownKind"
        );
        assert_eq!(schemas["Kind"]["oneOf"][1]["title"], "Other");
        assert_eq!(schemas["Kind"]["description"], "The kind.");
        assert_eq!(
            schemas["KnownKind"]["enum"],
            serde_json::json!(["hive", "spark"])
        );
        assert_eq!(
            schemas["Status"]["oneOf"][0]["$ref"],
            "#/components/schemas/KnownStatus"
        );
        assert!(schemas.get("KnownKnownStatus").is_none(), "{schemas}");
        // The known half used directly is pointed at its idiom.
        assert_eq!(
            schemas["Request"]["properties"]["known_status"]["$ref"],
            "#/components/schemas/Status"
        );
        assert_eq!(schemas["Unused"]["enum"], serde_json::json!(["a"]));
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
