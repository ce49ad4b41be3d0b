//! Rules a recorded exchange must satisfy against the spec of its crate: it records an operation
//! that exists, with the request that operation sends and a response it declares, and it holds
//! no credential.

use std::{cell::RefCell, collections::HashMap, fs, path::Path, rc::Rc};

use serde_json::Value;

use super::{Problem, Report, SpecDocument, json_schema::Schemas, resolve, segment};

/// Headers that carry credentials; a cassette may only hold them scrubbed.
const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "x-auth-token",
    "x-subject-token",
    "x-security-token",
];
/// What a scrubbed credential reads.
pub const SCRUBBED: &str = "<scrubbed>";

/// Each spec's schemas as JSON Schema, with the validators compiled so far, kept across the
/// cassettes of one checker: converting the components and compiling a validator cost far more
/// than validating a recording, and a spec has dozens of cassettes.
#[derive(Default)]
pub struct SpecSchemas(RefCell<HashMap<std::path::PathBuf, Rc<Schemas>>>);

impl SpecSchemas {
    fn of(&self, spec: &SpecDocument) -> Rc<Schemas> {
        self.0
            .borrow_mut()
            .entry(spec.path.clone())
            .or_insert_with(|| Rc::new(Schemas::new(&spec.document)))
            .clone()
    }
}

/// Every rule over the cassette at `root/path`, each problem at the line and column of its
/// pointer in the cassette's text.
pub fn check(
    root: &Path,
    path: &Path,
    specs: &[&SpecDocument],
    schemas: &SpecSchemas,
) -> Vec<Problem> {
    let text = fs::read_to_string(root.join(path));
    let mut problems = check_text(
        path,
        text.as_deref().map_err(|e| e.to_string()),
        specs,
        schemas,
    );
    // Only a cassette with problems is scanned for positions: a clean run reads each once.
    if let (Ok(text), false) = (&text, problems.is_empty()) {
        let positions = crate::diagnostics::json_positions(text);
        for problem in &mut problems {
            problem.locate(&positions);
        }
    }
    problems
}

fn check_text(
    path: &Path,
    text: Result<&str, String>,
    specs: &[&SpecDocument],
    spec_schemas: &SpecSchemas,
) -> Vec<Problem> {
    let mut report = Report::new(path);
    let parsed = text.and_then(|t| {
        serde_json::from_str::<Value>(t).map_err(|e| {
            // serde_json's own place of the fault: no node is written there to point at.
            let at = (e.line() > 0)
                .then(|| crate::diagnostics::Position::new(e.line(), e.column().max(1)));
            report.add(
                "",
                "cassette-json",
                format!("not readable JSON: {e}"),
                "fix the JSON syntax",
            );
            if let Some(problem) = report.problems.last_mut() {
                problem.position = at;
            }
            String::new()
        })
    });
    let cassette = match parsed {
        Ok(v) => v,
        Err(e) => {
            // A read error; a syntax error is reported above, with its place.
            if !e.is_empty() {
                report.add(
                    "",
                    "cassette-json",
                    format!("not readable JSON: {e}"),
                    "fix the JSON syntax",
                );
            }
            return report.problems;
        }
    };
    credentials(&cassette, &mut report);
    members(&cassette, &mut report);
    name(path, &cassette, &mut report);

    let crate_dir = path
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(spec) = specs
        .iter()
        .find(|s| crate::spec::crate_name_of(&s.path) == crate_dir)
    else {
        report.add(
            "",
            "cassette-operation",
            format!("no spec produces a crate named `{crate_dir}`"),
            "keep cassettes in `tests/cassettes/<crate>/`, named after a spec's crate",
        );
        return report.problems;
    };
    let operation_id = cassette
        .get("operation_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some((route, method, op)) = find_operation(&spec.document, operation_id) else {
        report.add(
            "/operation_id",
            "cassette-operation",
            format!(
                "`{operation_id}` is not an operation of {}",
                spec.path.display()
            ),
            "use the spec's `operationId`, or add the operation to the spec",
        );
        return report.problems;
    };
    let schemas = spec_schemas.of(spec);
    request(
        &spec.document,
        &schemas,
        &cassette,
        route,
        method,
        op,
        &mut report,
    );
    response(&spec.document, &schemas, &cassette, op, &mut report);
    report.problems
}

/// The members a cassette may have, where (the replay harness refuses any other, so lint does
/// first: a misplaced `unmodelled` would otherwise pass lint and stop every test).
const MEMBERS: &[(&str, &[&str])] = &[
    (
        "",
        &["operation_id", "source", "note", "request", "response"],
    ),
    ("/request", &["method", "path", "query", "headers", "body"]),
    (
        "/response",
        &["status", "headers", "body", "body_base64", "unmodelled"],
    ),
];

fn members(cassette: &Value, report: &mut Report) {
    for (at, allowed) in MEMBERS {
        let Some(object) = cassette.pointer(at).and_then(Value::as_object) else {
            continue;
        };
        for key in object.keys().filter(|k| !allowed.contains(&k.as_str())) {
            report.add(
                format!("{at}/{}", segment(key)),
                "cassette-json",
                format!(
                    "`{}` is not a member a cassette has here",
                    key.chars().take(64).collect::<String>()
                ),
                format!("keep to {}", allowed.join(", ")),
            );
        }
    }
}

/// The file name, `<operation_id>.<status>[.<case>].json`, must say what the content records:
/// coverage reads names, so a name that disagrees would count the wrong status as covered.
fn name(path: &Path, cassette: &Value, report: &mut Report) {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut parts = stem.splitn(3, '.');
    let (named_operation, named_status) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let operation = cassette.get("operation_id").and_then(Value::as_str);
    if operation.is_some_and(|o| o != named_operation) {
        report.add(
            "/operation_id",
            "cassette-name",
            format!(
                "records `{}` but its file name says `{named_operation}`",
                operation.unwrap_or_default()
            ),
            "name the file `<operation_id>.<status>[.<case>].json` after what it records",
        );
    }
    let status = cassette.pointer("/response/status").map(|s| match s {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    if status.as_deref().is_some_and(|s| s != named_status) {
        report.add(
            "/response/status",
            "cassette-name",
            format!(
                "records status {} but its file name says `{named_status}`",
                status.unwrap_or_default()
            ),
            "name the file `<operation_id>.<status>[.<case>].json` after what it records",
        );
    }
}

fn find_operation<'a>(doc: &'a Value, operation_id: &str) -> Option<(&'a str, &'a str, &'a Value)> {
    doc.get("paths")?
        .as_object()?
        .iter()
        .find_map(|(route, item)| {
            item.as_object()?.iter().find_map(|(method, op)| {
                (op.get("operationId").and_then(Value::as_str) == Some(operation_id)).then_some((
                    route.as_str(),
                    method.as_str(),
                    op,
                ))
            })
        })
}

fn json_schema<'a>(doc: &'a Value, body_owner: &'a Value) -> Option<&'a Value> {
    let content = resolve(doc, body_owner).get("content")?.as_object()?;
    content
        .iter()
        .find(|(media, _)| media.contains("json"))
        .and_then(|(_, m)| m.get("schema"))
}

/// Whether `path` (as sent, percent-encoded) fits the route template `route`.
fn path_matches(route: &str, path: &str) -> bool {
    let want: Vec<&str> = route.split('/').collect();
    let got: Vec<&str> = path.split('/').collect();
    want.len() == got.len()
        && want.iter().zip(&got).all(|(w, g)| {
            if w.starts_with('{') && w.ends_with('}') {
                !g.is_empty()
            } else {
                w == g
            }
        })
}

fn request(
    doc: &Value,
    schemas: &Schemas,
    cassette: &Value,
    route: &str,
    method: &str,
    op: &Value,
    report: &mut Report,
) {
    let sent_method = cassette
        .pointer("/request/method")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !sent_method.eq_ignore_ascii_case(method) {
        report.add(
            "/request/method",
            "cassette-request",
            format!(
                "`{sent_method}` but the operation is `{}`",
                method.to_uppercase()
            ),
            "record the operation's method",
        );
    }
    let path = cassette
        .pointer("/request/path")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !path_matches(route, path) {
        report.add(
            "/request/path",
            "cassette-request",
            format!("`{path}` does not fit the route `{route}`"),
            "record the path the operation sends: its route with the path parameters filled in",
        );
    }
    let body = cassette.pointer("/request/body");
    if let Some(body) = body {
        crate::secrets::recorded(doc, op, body, SCRUBBED, report);
    }
    let schema = op.get("requestBody").and_then(|b| json_schema(doc, b));
    match (body, schema) {
        (Some(body), Some(schema)) => {
            for error in schemas.validate(schema, body) {
                report.add(
                    format!("/request/body{}", error.at),
                    "cassette-request-body",
                    format!(
                        "the body does not match the request schema: {}",
                        error.message
                    ),
                    "record what the client sends for the doc's example request",
                );
            }
        }
        (Some(_), None) => report.add(
            "/request/body",
            "cassette-request-body",
            "a body is recorded but the operation sends none",
            "remove the body, or declare the operation's requestBody",
        ),
        (None, Some(_)) if op.pointer("/requestBody/required") == Some(&Value::Bool(true)) => {
            report.add(
                "/request",
                "cassette-request-body",
                "the operation requires a body but none is recorded",
                "record the doc's example request body",
            )
        }
        _ => {}
    }
}

fn response(doc: &Value, schemas: &Schemas, cassette: &Value, op: &Value, report: &mut Report) {
    let status = cassette
        .pointer("/response/status")
        .and_then(Value::as_u64)
        .unwrap_or_default()
        .to_string();
    let Some(declared) = op.get("responses").and_then(|r| r.get(&status)) else {
        report.add(
            "/response/status",
            "cassette-status",
            format!("status {status} is not declared by the operation"),
            "declare the documented status in the spec, or record one it declares",
        );
        return;
    };
    if let Some(encoded) = cassette.pointer("/response/body_base64") {
        binary_body(doc, cassette, declared, encoded, &status, report);
        return;
    }
    let body = cassette.pointer("/response/body");
    match (body, json_schema(doc, declared)) {
        (Some(body), Some(schema)) => {
            for error in schemas.validate(schema, body) {
                report.add(format!("/response/body{}", error.at), "cassette-response-body", format!("the body does not match the {status} schema: {}", error.message), "fix the recording, or the schema if the service really sends this (note why in its description)");
            }
        }
        (Some(_), None) => report.add(
            "/response/body",
            "cassette-response-body",
            format!("a body is recorded but status {status} declares none"),
            "declare the body's schema, or record an empty body",
        ),
        _ => {}
    }
}

/// A `body_base64` response: standard base64, never beside `body`, recorded with a content type
/// that is not JSON, for a status that declares that content type (a JSON body is recorded as
/// JSON, so it stays checked against its schema).
fn binary_body(
    doc: &Value,
    cassette: &Value,
    declared: &Value,
    encoded: &Value,
    status: &str,
    report: &mut Report,
) {
    use base64::Engine;
    let at = "/response/body_base64";
    if cassette.pointer("/response/body").is_some() {
        report.add(
            at,
            "cassette-response-body",
            "both `body` and `body_base64` are recorded",
            "keep `body` for JSON and `body_base64` for any other content, never both",
        );
    }
    let valid = encoded.as_str().is_some_and(|text| {
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .is_ok()
    });
    if !valid {
        report.add(
            at,
            "cassette-response-body",
            "`body_base64` is not a string of standard base64",
            "record the body's bytes in standard base64 (with `=` padding)",
        );
    }
    let content_type = cassette
        .pointer("/response/headers")
        .and_then(Value::as_object)
        .and_then(|headers| {
            headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        })
        .and_then(|(_, value)| value.as_str())
        .map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or(value)
                .trim()
                .to_ascii_lowercase()
        });
    let Some(content_type) = content_type.filter(|t| !t.contains("json")) else {
        report.add(
            at,
            "cassette-response-body",
            "`body_base64` without a `content-type` header that is not JSON",
            "record the response's `content-type` (e.g. `application/octet-stream`); record a JSON body as `body`",
        );
        return;
    };
    let declares = resolve(doc, declared)
        .get("content")
        .and_then(Value::as_object)
        .is_some_and(|content| content.contains_key(&content_type));
    if !declares {
        report.add(
            at,
            "cassette-response-body",
            format!("status {status} declares no `{content_type}` body"),
            "declare the content type in the spec, or record what the operation answers",
        );
    }
}

/// Credential-bearing headers must be scrubbed; no string may look like a live credential, and
/// no project or account ID may be other than a placeholder ([`super::leaks`]).
fn credentials(cassette: &Value, report: &mut Report) {
    for headers in ["/request/headers", "/response/headers"] {
        let Some(map) = cassette.pointer(headers).and_then(Value::as_object) else {
            continue;
        };
        for (key, v) in map {
            if CREDENTIAL_HEADERS.contains(&key.to_ascii_lowercase().as_str())
                && v.as_str() != Some(SCRUBBED)
            {
                report.add(
                    format!("{headers}/{}", segment(key)),
                    "cassette-credential",
                    format!("header `{key}` holds a credential"),
                    format!("replace its value with `{SCRUBBED}`"),
                );
            }
        }
    }
    for (at, what) in super::leaks::find(cassette) {
        let header = at
            .strip_prefix("/request/headers/")
            .or_else(|| at.strip_prefix("/response/headers/"));
        if header.is_some_and(|h| CREDENTIAL_HEADERS.contains(&h.to_ascii_lowercase().as_str())) {
            continue; // reported above, once
        }
        let hint = if what.contains("not a placeholder") {
            "replace it with the placeholder (record mode does: `.project_id(..)`, `.domain_id(..)`), or with `.scrub_literal(..)`'s"
        } else {
            "replace it with `<scrubbed>` (record mode does for the runtime's own credentials; declare others with `.scrub_literal(..)`)"
        };
        report.add(&at, "cassette-credential", what, hint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each way a `body_base64` response can be wrong, and the one way it is right: (case,
    /// response, the problems' messages).
    #[test]
    fn binary_bodies_are_base64_of_a_declared_content_type_that_is_not_json() {
        let doc = serde_json::json!({});
        let declared = serde_json::json!({
            "description": "zip",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
        });
        let zip = serde_json::json!({"content-type": "application/octet-stream"});
        let cases: Vec<(&str, Value, Vec<&str>)> = vec![
            (
                "a zip as base64",
                serde_json::json!({"headers": zip, "body_base64": "UEsDBA=="}),
                vec![],
            ),
            (
                "with a charset parameter",
                serde_json::json!({"headers": {"Content-Type": "application/octet-stream; charset=binary"}, "body_base64": ""}),
                vec![],
            ),
            (
                "not base64",
                serde_json::json!({"headers": zip, "body_base64": "not base64!"}),
                vec!["`body_base64` is not a string of standard base64"],
            ),
            (
                "not a string",
                serde_json::json!({"headers": zip, "body_base64": 42}),
                vec!["`body_base64` is not a string of standard base64"],
            ),
            (
                "beside a JSON body",
                serde_json::json!({"headers": zip, "body": {}, "body_base64": "UEsDBA=="}),
                vec!["both `body` and `body_base64` are recorded"],
            ),
            (
                "for JSON content",
                serde_json::json!({"headers": {"content-type": "application/json"}, "body_base64": "e30="}),
                vec!["without a `content-type` header that is not JSON"],
            ),
            (
                "without a content type",
                serde_json::json!({"body_base64": "UEsDBA=="}),
                vec!["without a `content-type` header that is not JSON"],
            ),
            (
                "of a content type the status does not declare",
                serde_json::json!({"headers": {"content-type": "application/zip"}, "body_base64": "UEsDBA=="}),
                vec!["status 200 declares no `application/zip` body"],
            ),
        ];
        for (case, response, expected) in cases {
            let cassette = serde_json::json!({"response": response});
            let mut report = Report::new(Path::new("c.json"));
            let encoded = cassette.pointer("/response/body_base64").unwrap();
            binary_body(&doc, &cassette, &declared, encoded, "200", &mut report);
            let messages: Vec<&str> = report.problems.iter().map(|p| p.message.as_str()).collect();
            assert_eq!(messages.len(), expected.len(), "{case}: {messages:?}");
            for (message, part) in messages.iter().zip(&expected) {
                assert!(message.contains(part), "{case}: {message}");
            }
        }
        // A recorded zip is not scanned as text for keys.
        let mut report = Report::new(Path::new("c.json"));
        let cassette = serde_json::json!({"response": {"body_base64": "QTWAOYTTINDUT2QVKYUCMFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"}});
        credentials(&cassette, &mut report);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }

    #[test]
    fn paths_fit_templates() {
        assert!(path_matches("/v1/{p}/jobs/{id}", "/v1/abc/jobs/x-1"));
        assert!(!path_matches("/v1/{p}/jobs/{id}", "/v1/abc/jobs"));
        assert!(!path_matches("/v1/{p}/jobs", "/v1.0/abc/jobs"));
    }
}
