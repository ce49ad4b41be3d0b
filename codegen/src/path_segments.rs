//! Path parameters stay in their one segment, for every operation of every spec.
//!
//! progenitor percent-encodes path parameters but leaves `.` and `\`; URL parsing then resolves
//! `.`/`..` segments and reads `\` as `/`, so a value like `..\..\v1.1\<other>\x` would send a
//! validly signed request to another route. Every string path parameter handed to progenitor
//! therefore carries [`SEGMENT_GUARD`] in its `pattern` (joined with a documented pattern, which
//! still applies), so its builder setter refuses such a value before anything is sent. The spec
//! keeps its documented pattern; this happens only on the copy progenitor sees. The runtime's
//! route check (`cloud_runtime::route`) is the backstop on the final URL.

use serde_json::{Map, Value};

/// Matches at the start of a value that is not empty, not `.` or `..`, and holds no `/`, `\` or
/// control character (ECMAScript syntax, as typify's `regress` reads it).
pub const SEGMENT_GUARD: &str = r"^(?!\.\.?$)(?=[^/\\\x00-\x1f\x7f]+$)";

/// The guard alone, without lookahead for the character class: what a parameter with no
/// documented pattern gets.
const GUARD_ONLY: &str = r"^(?!\.\.?$)[^/\\\x00-\x1f\x7f]+$";

/// The guard alone (`SEGMENT_GUARD` made to match the whole value), `documented` itself when it
/// already admits only safe segments, or both joined so that both must hold. JSON Schema
/// patterns are searched, not anchored; `[\s\S]*?` keeps that meaning for `documented`.
pub fn guarded_pattern(documented: Option<&str>) -> String {
    match documented {
        Some(pattern) if admits_only_safe_segments(pattern) => pattern.to_owned(),
        Some(pattern) => format!(r"{SEGMENT_GUARD}[\s\S]*?(?:{pattern})"),
        None => GUARD_ONLY.to_owned(),
    }
}

/// Whether `pattern` is `^[class]{m,n}$` or `^[class]+$` with `m >= 1` and a class of ASCII
/// letters, digits, `-` and `_` only (ranges between letters or digits): every value it accepts
/// is a non-empty segment without `.`, `/`, `\` or control characters, so the guard would only
/// add cost (its lookaheads make `regress` backtrack on every call).
fn admits_only_safe_segments(pattern: &str) -> bool {
    let Some(body) = pattern.strip_prefix("^[").and_then(|p| p.strip_suffix('$')) else {
        return false;
    };
    let Some((class, repeat)) = body.split_once(']') else {
        return false;
    };
    let class_is_safe = !class.is_empty()
        && !class.starts_with('^')
        && class
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && class.as_bytes().windows(3).all(|w| {
            // `a-z`: a range only between two letters or two digits of the same kind.
            w[1] != b'-'
                || (w[0].is_ascii_lowercase() && w[2].is_ascii_lowercase())
                || (w[0].is_ascii_uppercase() && w[2].is_ascii_uppercase())
                || (w[0].is_ascii_digit() && w[2].is_ascii_digit())
                || w[0] == b'-'
                || w[2] == b'-'
                || w[0] == b'_'
                || w[2] == b'_'
        });
    let at_least_one = repeat == "+"
        || repeat
            .strip_prefix('{')
            .and_then(|r| r.strip_suffix('}'))
            .and_then(|r| r.split(',').next())
            .and_then(|min| min.parse::<u32>().ok())
            .is_some_and(|min| min >= 1);
    class_is_safe && at_least_one
}

/// Adds the guard to every string path parameter of `document` (an OpenAPI 3.0 document as JSON).
pub fn confine(document: &mut Value) {
    let components = document.get("components").cloned().unwrap_or(Value::Null);
    for_each_path_parameter(document, |parameter| {
        guard_parameter(parameter, &components);
    });
}

/// Calls `visit` with every path parameter written out: inline in a path item or an operation,
/// or as a component parameter (which `$ref`s reach).
pub(crate) fn for_each_path_parameter(
    document: &mut Value,
    mut visit: impl FnMut(&mut Map<String, Value>),
) {
    let mut visit_path = |parameter: &mut Value| {
        if let Some(parameter) = parameter.as_object_mut()
            && parameter.get("in").and_then(Value::as_str) == Some("path")
        {
            visit(parameter);
        }
    };
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (key, value) in item.iter_mut() {
                let parameters = match key.as_str() {
                    "parameters" => Some(value),
                    "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                        value.get_mut("parameters")
                    }
                    _ => None,
                };
                for parameter in parameters
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    visit_path(parameter);
                }
            }
        }
    }
    if let Some(parameters) = document
        .pointer_mut("/components/parameters")
        .and_then(Value::as_object_mut)
    {
        parameters.values_mut().for_each(visit_path);
    }
}

fn guard_parameter(parameter: &mut Map<String, Value>, components: &Value) {
    let Some(schema) = parameter.get_mut("schema") else {
        return;
    };
    // A `$ref`ed schema is copied in, so the component (maybe used elsewhere) is left alone.
    if let Some(target) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .and_then(|name| components.pointer(&format!("/schemas/{name}")))
    {
        *schema = target.clone();
    }
    let Some(schema) = schema.as_object_mut() else {
        return;
    };
    if is_free_string(schema) {
        let documented = schema
            .get("pattern")
            .and_then(Value::as_str)
            .map(str::to_owned);
        schema.insert(
            "pattern".into(),
            Value::String(guarded_pattern(documented.as_deref())),
        );
    }
}

/// A string schema whose values are not a closed list: enum values are the spec's own words.
fn is_free_string(schema: &Map<String, Value>) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string") && !schema.contains_key("enum")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guard as typify's generated code applies it (`regress`, searched).
    fn accepts(pattern: &str, value: &str) -> bool {
        regress::Regex::new(pattern).unwrap().find(value).is_some()
    }

    #[test]
    fn the_guard_refuses_what_would_leave_the_segment() {
        let guard = guarded_pattern(None);
        let refused = [
            "", ".", "..", "a/b", "a\\b", "..\\x", "a\u{0}b", "a\nb", "a\tb", "a\u{7f}b", "/", "\\",
        ];
        for value in refused {
            assert!(!accepts(&guard, value), "{value:?} accepted");
        }
        let kept = [
            "a",
            "...",
            ".a",
            "a.",
            "a..b",
            "%2e%2e",
            "a?b",
            "a#b",
            "a b",
            "ü-ñ",
            "job-1_2.3~",
        ];
        for value in kept {
            assert!(accepts(&guard, value), "{value:?} refused");
        }
    }

    #[test]
    fn a_documented_pattern_of_safe_characters_stands_alone() {
        for safe in ["^[A-Za-z0-9-]{1,64}$", "^[A-Za-z0-9_-]+$", "^[a-z0-9]{32}$"] {
            assert_eq!(guarded_pattern(Some(safe)), safe);
        }
        for unsafe_ in [
            "^[A-Za-z0-9.]{1,64}$",
            "^[A-Za-z0-9-]{0,64}$",
            "^[A-Za-z0-9-]*$",
            "^[^/]+$",
            "^[+-/]+$",
            "[A-Za-z0-9-]{1,64}",
            "^[\\w]+$",
        ] {
            assert_ne!(guarded_pattern(Some(unsafe_)), unsafe_, "{unsafe_}");
        }
    }

    #[test]
    fn a_documented_pattern_still_applies() {
        let anchored = guarded_pattern(Some("^[A-Za-z0-9.-]{1,64}$"));
        assert!(accepts(&anchored, "44b37a20-ffe8"));
        assert!(accepts(&anchored, "v1.1"));
        assert!(!accepts(&anchored, "a_b"));
        assert!(!accepts(&anchored, ".."));
        // Unanchored, as JSON Schema reads it: somewhere in the value.
        let searched = guarded_pattern(Some("[0-9]{3}"));
        assert!(accepts(&searched, "job-123-x"));
        assert!(!accepts(&searched, "job-12"));
        assert!(!accepts(&searched, "..\\123"));
    }

    #[test]
    fn every_string_path_parameter_is_guarded_and_nothing_else() {
        let mut document = serde_json::json!({
            "paths": {"/a/{x}/{y}/{z}/{w}": {
                "parameters": [{"$ref": "#/components/parameters/W"}],
                "get": {"parameters": [
                    {"name": "x", "in": "path", "schema": {"type": "string"}},
                    {"name": "y", "in": "path", "schema": {"type": "string", "enum": ["a", "b"]}},
                    {"name": "z", "in": "path", "schema": {"$ref": "#/components/schemas/Id"}},
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {"name": "n", "in": "path", "schema": {"type": "integer"}},
                ]},
            }},
            "components": {
                "parameters": {"W": {"name": "w", "in": "path", "schema": {"type": "string", "pattern": "^w"}}},
                "schemas": {"Id": {"type": "string", "maxLength": 8}},
            },
        });
        confine(&mut document);
        let parameters = &document["paths"]["/a/{x}/{y}/{z}/{w}"]["get"]["parameters"];
        assert_eq!(parameters[0]["schema"]["pattern"], GUARD_ONLY);
        assert!(parameters[1]["schema"].get("pattern").is_none());
        assert_eq!(parameters[2]["schema"]["pattern"], GUARD_ONLY);
        assert_eq!(parameters[2]["schema"]["maxLength"], 8);
        assert!(parameters[3]["schema"].get("pattern").is_none());
        assert!(parameters[4]["schema"].get("pattern").is_none());
        assert_eq!(
            document["components"]["parameters"]["W"]["schema"]["pattern"],
            guarded_pattern(Some("^w"))
        );
        assert!(
            document["components"]["schemas"]["Id"]
                .get("pattern")
                .is_none()
        );
    }

    /// A component parameter is guarded once however many operations refer to it (each
    /// reference used to wrap its pattern in the guard again: the same values, a slower regex).
    #[test]
    fn a_shared_component_parameter_is_guarded_once() {
        let mut document = serde_json::json!({
            "paths": {
                "/a/{p}": {"get": {"parameters": [{"$ref": "#/components/parameters/P"}]}},
                "/b/{p}": {
                    "parameters": [{"$ref": "#/components/parameters/P"}],
                    "get": {"parameters": [{"$ref": "#/components/parameters/P"}]},
                    "delete": {"parameters": [{"$ref": "#/components/parameters/P"}]},
                },
            },
            "components": {
                "parameters": {"P": {"name": "p", "in": "path", "schema": {"type": "string"}}},
            },
        });
        confine(&mut document);
        assert_eq!(
            document["components"]["parameters"]["P"]["schema"]["pattern"],
            GUARD_ONLY
        );
    }
}
