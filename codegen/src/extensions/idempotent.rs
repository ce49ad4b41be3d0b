//! `x-idempotent: true`: a POST safe to send twice (a cancel), retried like a read; checked by
//! lint rule `idempotent`.

use serde_json::Value;

use crate::{diagnostics::Report, spec_json::*};

/// `x-idempotent` is `true` or `false`: any other value would silently leave the operation
/// unretried (or, read loosely, retry a submission).
pub(crate) fn idempotents(doc: &Value, report: &mut Report) {
    for (route, _, method, op) in operations(doc) {
        if let Some(value) = op.get(KEY).filter(|v| !v.is_boolean()) {
            report.add(
                format!("{}/x-idempotent", at(route, method)),
                "idempotent",
                format!("`{value}` is not `true` or `false`"),
                "write `x-idempotent: true` on an operation that is safe to send twice",
            );
        }
    }
}

/// The extension's key on an operation.
pub const KEY: &str = "x-idempotent";

/// Whether `op` is declared safe to send twice (`x-idempotent: true`).
pub fn declared(op: &openapiv3::Operation) -> bool {
    op.extensions.get(KEY) == Some(&Value::Bool(true))
}
