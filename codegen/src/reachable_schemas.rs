//! A client crate holds the types its operations send and receive. Component schemas no
//! operation reaches, directly or through other components, are left out of what progenitor is
//! handed: typify would otherwise emit a type for each (a 5 MB spec of unused components made
//! 40 MB of Rust), and generation time and memory would grow with text no call can use.

use std::collections::BTreeSet;

use serde_json::Value;

const SCHEMAS: &str = "#/components/schemas/";

/// Removes from `document` (an OpenAPI document as JSON) every component schema that no
/// operation reaches.
pub fn prune(document: &mut Value) {
    let reached = match document.get("paths") {
        Some(paths) => reached_from(document, paths),
        None => BTreeSet::new(),
    };
    if let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.retain(|name, _| reached.contains(&format!("{SCHEMAS}{name}")));
    }
}

/// Every local `$ref` (`#/...`) that `from` reaches inside `document`, directly or through the
/// targets of others; a cycle is followed once.
pub fn reached_from(document: &Value, from: &Value) -> BTreeSet<String> {
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut pending: Vec<String> = Vec::new();
    refs(from, &mut pending);
    while let Some(reference) = pending.pop() {
        if !reached.insert(reference.clone()) {
            continue;
        }
        // Parameters, responses and bodies defined as components lead to schemas too.
        if let Some(target) = reference
            .strip_prefix('#')
            .and_then(|pointer| document.pointer(pointer))
        {
            refs(target, &mut pending);
        }
    }
    reached
}

/// Every `$ref` string inside `value`.
fn refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                found.push(target.to_owned());
            }
            map.values().for_each(|v| refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_schemas_an_operation_reaches_are_kept() {
        let mut document = serde_json::json!({
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/components/parameters/P"}],
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Direct"}}}}},
            }}},
            "components": {
                "parameters": {"P": {"schema": {"$ref": "#/components/schemas/ViaParameter"}}},
                "schemas": {
                    "Direct": {"properties": {"x": {"$ref": "#/components/schemas/Nested"}}},
                    "Nested": {"type": "string"},
                    "ViaParameter": {"type": "string"},
                    "Unused": {"properties": {"y": {"$ref": "#/components/schemas/OnlyFromUnused"}}},
                    "OnlyFromUnused": {"type": "string"},
                    "Cycle": {"$ref": "#/components/schemas/Cycle"},
                },
            },
        });
        prune(&mut document);
        let kept: Vec<&String> = document["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(kept, ["Direct", "Nested", "ViaParameter"]);
    }
}
