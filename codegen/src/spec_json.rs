//! Reading a spec in its JSON form, as the rules and the extensions' checks do: references
//! followed (bounded), operations in document order, pointers to them.

use serde_json::Value;

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
