//! What progenitor's output needs from a spec to compile and to work: names that become distinct
//! Rust identifiers, routes it can build and a server can tell apart, headers it can send (and
//! that the runtime does not own), and text it can put in doc comments without making doctests.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Report, resolve, segment};
use crate::{
    naming::{field_name, has_word, method_name, setter_name},
    spec_json::{at, operations},
};

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

pub fn check(doc: &Value, report: &mut Report) {
    crate::extensions::check(doc, report);
    operation_names(doc, report);
    routes(doc, report);
    parameters(doc, report);
    property_names(doc, "", report);
    text(doc, "", report);
    server_host(doc, report);
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
                    } else if crate::runtime_contract::HEADERS_SET_BY_RUNTIME
                        .contains(&lower.as_str())
                    {
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
