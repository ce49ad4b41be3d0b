//! Checks, before progenitor runs, the response shapes it cannot generate correctly.
//!
//! progenitor 0.15 gives each operation one success type and one error type. Given two different
//! error schemas it sometimes panics and sometimes, worse, names both with one type and silently
//! drops the second; a `default` response beside a typed 2xx is decoded with the success type.
//! Both must fail loudly here, naming the operation and the responses involved.

use openapiv3::{ReferenceOr, Response, StatusCode};

use crate::{error::Error, spec::Spec};

pub fn check(spec: &Spec) -> Vec<Error> {
    let mut errors = Vec::new();
    for (method, route, op) in spec.operations() {
        let fail = |message: String, hint: &str| Error::Operation {
            path: spec.path.clone(),
            operation: op
                .operation_id
                .clone()
                .unwrap_or_else(|| "(no operationId)".into()),
            request: format!("{} {route}", method.to_uppercase()),
            message,
            hint: hint.into(),
        };
        let mut success = Vec::new();
        let mut failure = Vec::new();
        for (code, response) in &op.responses.responses {
            let is_success = match code {
                StatusCode::Code(n) => (200..300).contains(n),
                StatusCode::Range(n) => *n == 2,
            };
            let entry = (code.to_string(), body_shape(spec, response));
            if is_success {
                success.push(entry)
            } else {
                failure.push(entry)
            }
        }
        if let Some(default) = &op.responses.default {
            if success.iter().any(|(_, shape)| shape.is_some()) {
                errors.push(fail(
                    "has a `default` response beside a typed 2xx response".into(),
                    "declare each documented error status instead of `default` (progenitor would decode `default` with the success type)",
                ));
            }
            failure.push(("default".into(), body_shape(spec, default)));
        }
        for (kind, responses) in [("success (2xx)", &success), ("error", &failure)] {
            let Some((first_code, first)) = responses.first() else {
                continue;
            };
            if let Some((code, _)) = responses.iter().find(|(_, shape)| shape != first) {
                errors.push(fail(
                    format!("{kind} responses {first_code} and {code} have different bodies; progenitor can type only one"),
                    "give them one schema: `$ref` a shared component whose fields cover both bodies (optional where only one has them), or the same empty body",
                ));
            }
        }
    }
    errors
}

/// The JSON schema of a response, as comparable JSON (`None`: no JSON body).
fn body_shape(spec: &Spec, response: &ReferenceOr<Response>) -> Option<serde_json::Value> {
    let response = match response {
        ReferenceOr::Item(r) => r,
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/responses/")?;
            spec.openapi
                .components
                .as_ref()?
                .responses
                .get(name)?
                .as_item()?
        }
    };
    let media = response.content.get("application/json")?;
    // JSON content without a schema is its own shape: progenitor cannot type it at all.
    Some(serde_json::to_value(&media.schema).expect("schemas serialise"))
}
