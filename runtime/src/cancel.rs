//! Cancel, then know: every service answers a cancel differently (DLI `is_success`, MRS v2 SQL
//! `SUCCEED`/`FAILED`, MRS v2 jobs a bare 202, MRS v1.1 the job execution, DataArts Fabric an
//! empty 200, and their own error codes). Each cancel operation's spec declares how its answers
//! read (`x-cancel`); the generated `.cancel_outcome()` on the call's result gives one
//! [`CancelOutcome`] for all of them.

use serde_json::Value;

use crate::{
    not_found::{NotFound, error_code},
    response::bounded_text,
};

/// What a cancel call's answer says, the same way for every service. As JSON (the command
/// line prints it): `{"outcome": "refused", "status": 400, "code": .., "message": ..}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CancelOutcome {
    /// The service accepted the cancel.
    Accepted,
    /// The service answers the same whether it cancelled the job or the job had already
    /// finished (MRS v2 SQL's `SUCCEED`): the "until stopped" waiter's final phase tells which.
    AcceptedOrAlreadyFinished,
    /// The job had already finished, so there was nothing to cancel.
    AlreadyFinished {
        code: Option<String>,
        message: Option<String>,
    },
    /// The service does not know the job.
    NotFound {
        code: Option<String>,
        message: Option<String>,
    },
    /// The service refused, with its code and message.
    Refused {
        status: u16,
        code: Option<String>,
        message: Option<String>,
    },
    /// No answer the service's docs describe (transport failure, undocumented status, ...).
    Failed(String),
}

/// How one cancel operation's answers read, from its spec's `x-cancel`.
#[derive(Debug, Clone, Copy)]
pub struct CancelRules {
    /// The success answer cannot tell "cancelled" from "had already finished".
    pub ambiguous: bool,
    /// A boolean field of a success body that, when `false`, means refused (DLI `is_success`).
    pub success_flag: Option<&'static str>,
    /// Fields of a body holding the service's code and message.
    pub code_field: &'static str,
    pub message_field: &'static str,
    /// The answers that say the job does not exist: a code under any status (DLI's
    /// `DLI.0002`), or a status of its own (404).
    pub not_found: &'static [NotFound<'static>],
    pub finished_codes: &'static [&'static str],
}

/// How much of a service's code or message an outcome keeps.
pub const TEXT_CHARS: usize = 1024;

/// A body's field as text, bounded: the service writes it, and it ends up in messages.
fn text(body: Option<&Value>, field: &str) -> Option<String> {
    Some(bounded_text(&error_code(body, field)?, TEXT_CHARS))
}

/// The outcome of a call that failed without a documented answer: its text, bounded.
pub fn failed(error: &dyn std::fmt::Display) -> CancelOutcome {
    CancelOutcome::Failed(bounded_text(&error.to_string(), TEXT_CHARS * 4))
}

/// The outcome of a documented success answer (`status`, `body` as JSON).
pub fn from_success(status: u16, body: Option<Value>, rules: &CancelRules) -> CancelOutcome {
    // Services write the flag as a Boolean or as a string (Flink: `true` and `"true"`).
    let refused =
        rules
            .success_flag
            .is_some_and(|flag| match body.as_ref().and_then(|b| b.get(flag)) {
                Some(Value::Bool(false)) => true,
                Some(Value::String(text)) => text.trim().eq_ignore_ascii_case("false"),
                _ => false,
            });
    if refused {
        return CancelOutcome::Refused {
            status,
            code: text(body.as_ref(), rules.code_field),
            message: text(body.as_ref(), rules.message_field),
        };
    }
    if rules.ambiguous {
        CancelOutcome::AcceptedOrAlreadyFinished
    } else {
        CancelOutcome::Accepted
    }
}

/// The outcome of a documented error answer.
pub fn from_error(status: u16, body: Option<Value>, rules: &CancelRules) -> CancelOutcome {
    let code = text(body.as_ref(), rules.code_field);
    let message = text(body.as_ref(), rules.message_field);
    let code_is = |codes: &[&str]| code.as_deref().is_some_and(|c| codes.contains(&c));
    if rules
        .not_found
        .iter()
        .any(|rule| rule.matches(status, body.as_ref()))
    {
        CancelOutcome::NotFound { code, message }
    } else if code_is(rules.finished_codes) {
        CancelOutcome::AlreadyFinished { code, message }
    } else {
        CancelOutcome::Refused {
            status,
            code,
            message,
        }
    }
}

/// The outcomes of a documented success answer that holds one result per job (`field`, an
/// array of objects each read with `rules`, as a batch stop answers; `""`: the answer is the
/// array); a body without that array reads as one outcome for the whole call.
pub fn per_item(
    status: u16,
    body: Option<Value>,
    field: &str,
    rules: &CancelRules,
) -> Vec<CancelOutcome> {
    // An empty field: the answer itself is the array (Flink's batch stop).
    if field.is_empty() {
        return match body {
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|item| from_success(status, Some(item), rules))
                .collect(),
            other => vec![from_success(status, other, rules)],
        };
    }
    match body {
        Some(Value::Object(mut map)) => match map.remove(field) {
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|item| from_success(status, Some(item), rules))
                .collect(),
            other => {
                if let Some(other) = other {
                    map.insert(field.to_owned(), other);
                }
                vec![from_success(status, Some(Value::Object(map)), rules)]
            }
        },
        other => vec![from_success(status, other, rules)],
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const RULES: CancelRules = CancelRules {
        ambiguous: false,
        success_flag: Some("is_success"),
        code_field: "error_code",
        message_field: "error_msg",
        not_found: &[
            NotFound {
                status: None,
                code_field: "error_code",
                codes: &["DLI.0002"],
            },
            NotFound {
                status: Some(404),
                code_field: "error_code",
                codes: &[],
            },
        ],
        finished_codes: &["DLI.0999"],
    };

    #[test]
    fn answers_read_the_same_way_for_every_service() {
        let refused = |status, code: &str, message: &str| CancelOutcome::Refused {
            status,
            code: Some(code.into()),
            message: Some(message.into()),
        };
        let cases = [
            (
                from_success(200, Some(json!({"is_success": true})), &RULES),
                CancelOutcome::Accepted,
            ),
            (from_success(204, None, &RULES), CancelOutcome::Accepted),
            (
                from_success(
                    200,
                    Some(
                        json!({"is_success": false, "error_code": "DLI.0001", "error_msg": "busy"}),
                    ),
                    &RULES,
                ),
                refused(200, "DLI.0001", "busy"),
            ),
            (
                from_success(
                    200,
                    Some(json!({"status": "SUCCEED"})),
                    &CancelRules {
                        ambiguous: true,
                        ..RULES
                    },
                ),
                CancelOutcome::AcceptedOrAlreadyFinished,
            ),
            (
                from_error(
                    400,
                    Some(json!({"error_code": "DLI.0002", "error_msg": "gone"})),
                    &RULES,
                ),
                CancelOutcome::NotFound {
                    code: Some("DLI.0002".into()),
                    message: Some("gone".into()),
                },
            ),
            (
                from_error(404, None, &RULES),
                CancelOutcome::NotFound {
                    code: None,
                    message: None,
                },
            ),
            (
                from_error(
                    400,
                    Some(json!({"error_code": "DLI.0999", "error_msg": "done"})),
                    &RULES,
                ),
                CancelOutcome::AlreadyFinished {
                    code: Some("DLI.0999".into()),
                    message: Some("done".into()),
                },
            ),
            (
                from_error(
                    500,
                    Some(json!({"error_code": 7, "error_msg": "x"})),
                    &RULES,
                ),
                refused(500, "7", "x"),
            ),
        ];
        for (got, expected) in cases {
            assert_eq!(got, expected);
        }
    }

    /// One outcome per job where the answer holds one result per job, whatever form the
    /// service writes its flag in; an answer without the array is one outcome.
    #[test]
    fn per_job_answers_read_one_outcome_each() {
        let refused = |code: &str, message: &str| CancelOutcome::Refused {
            status: 200,
            code: Some(code.into()),
            message: Some(message.into()),
        };
        let cases = [
            (
                json!({"results": [
                    {"is_success": true, "message": "stopped"},
                    {"is_success": "true"},
                    {"is_success": false, "error_code": "DLI.1", "error_msg": "running"},
                    {"is_success": " False ", "error_code": "DLI.2", "error_msg": "gone"},
                ]}),
                vec![
                    CancelOutcome::Accepted,
                    CancelOutcome::Accepted,
                    refused("DLI.1", "running"),
                    refused("DLI.2", "gone"),
                ],
            ),
            (json!({"results": []}), vec![]),
            (
                json!({"is_success": "false", "error_code": "X", "error_msg": "m"}),
                vec![refused("X", "m")],
            ),
            (
                json!({"results": "not a list"}),
                vec![CancelOutcome::Accepted],
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(
                per_item(200, Some(body.clone()), "results", &RULES),
                expected,
                "{body}"
            );
        }
        assert_eq!(
            per_item(200, None, "results", &RULES),
            vec![CancelOutcome::Accepted]
        );
    }
}
