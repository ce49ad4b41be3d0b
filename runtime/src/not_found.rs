//! "The job does not exist": one rule for every place that must recognise the answer, a waiter's
//! failed poll (a waiter's `gone`) and a cancel's error (its rules' `not_found`),
//! both declared in the spec and emitted by codegen as this one type.
//!
//! Services say it with a status of its own (DataArts Fabric's 404) or with an error code under a
//! status they also use for other errors (DLI's 400 `DLI.0002`, MRS's 500 `0176`). The code is
//! read the same way everywhere ([`error_code`]): the body's code field as text, a number as
//! written, surrounding whitespace ignored.

use std::borrow::Cow;

use serde_json::Value;

/// One way a service says the job does not exist, in an error answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotFound<'a> {
    /// The status that says it; `None`: any status (the code alone says it).
    pub status: Option<u16>,
    /// The error body's field holding the service's code; unused when `codes` is empty.
    pub code_field: &'a str,
    /// The codes that say it; empty: every answer with `status`, whatever its body.
    pub codes: &'a [&'a str],
}

impl NotFound<'_> {
    /// Whether an error answer with `status` and `body` (as JSON) says the job does not exist.
    pub fn matches(&self, status: u16, body: Option<&Value>) -> bool {
        self.status.is_none_or(|expected| expected == status)
            && (self.codes.is_empty()
                || error_code(body, self.code_field)
                    .is_some_and(|code| self.codes.contains(&code.trim())))
    }
}

/// The service's code in an error `body`: the `field` as text (a string as sent, another value
/// as JSON writes it); `None` when absent or `null`.
pub fn error_code<'a>(body: Option<&'a Value>, field: &str) -> Option<Cow<'a, str>> {
    match body?.get(field)? {
        Value::String(code) => Some(Cow::Borrowed(code.as_str())),
        Value::Null => None,
        other => Some(Cow::Owned(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_status_a_code_or_both_say_it() {
        const BY_STATUS: NotFound = NotFound {
            status: Some(404),
            code_field: "error_code",
            codes: &[],
        };
        const BY_CODE: NotFound = NotFound {
            status: None,
            code_field: "error_code",
            codes: &["DLI.0002"],
        };
        const BY_BOTH: NotFound = NotFound {
            status: Some(500),
            code_field: "error_code",
            codes: &["0176"],
        };
        let cases = [
            (BY_STATUS, 404, None, true),
            (
                BY_STATUS,
                404,
                Some(json!({"error_code": "anything"})),
                true,
            ),
            (BY_STATUS, 400, None, false),
            (BY_CODE, 400, Some(json!({"error_code": "DLI.0002"})), true),
            (
                BY_CODE,
                500,
                Some(json!({"error_code": " DLI.0002\n"})),
                true,
            ),
            (BY_CODE, 400, Some(json!({"error_code": "DLI.0001"})), false),
            (BY_CODE, 400, Some(json!({"error_code": null})), false),
            (BY_CODE, 400, None, false),
            (BY_BOTH, 500, Some(json!({"error_code": "0176"})), true),
            (BY_BOTH, 400, Some(json!({"error_code": "0176"})), false),
            (BY_BOTH, 500, Some(json!({"error_code": 176})), false),
        ];
        for (rule, status, body, expected) in cases {
            assert_eq!(
                rule.matches(status, body.as_ref()),
                expected,
                "{rule:?} {status} {body:?}"
            );
        }
    }

    #[test]
    fn a_code_is_read_as_text() {
        let body = json!({"s": "DLI.0002", "n": 7, "z": null});
        assert_eq!(error_code(Some(&body), "s").as_deref(), Some("DLI.0002"));
        assert_eq!(error_code(Some(&body), "n").as_deref(), Some("7"));
        assert_eq!(error_code(Some(&body), "z"), None);
        assert_eq!(error_code(Some(&body), "missing"), None);
        assert_eq!(error_code(None, "s"), None);
    }
}
