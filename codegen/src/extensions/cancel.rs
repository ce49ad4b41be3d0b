//! `x-cancel`: how a cancel operation's answers read and its until-stopped waiter, checked by
//! lint rule `cancel` and turned into `.cancel_outcome()` on its result.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    diagnostics::{Report, segment},
    error::Error,
    spec::*,
    spec_json::*,
};

/// The extension's key on an operation.
pub const KEY: &str = "x-cancel";

/// `x-cancel`, read once for lint and emitter alike.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
// Lint refuses a key it does not know; so does the schema, for an editor to flag a typo.
#[schemars(deny_unknown_fields)]
pub struct Cancel {
    /// The until-stopped waiter that tells how the job stopped.
    pub waiter: Option<String>,
    /// The success answer cannot tell "cancelled" from "had already finished".
    #[serde(default)]
    pub ambiguous: bool,
    /// A boolean field of the success body that, when `false`, means refused.
    pub success_flag: Option<String>,
    /// The fields holding the service's code and message (default `error_code`, `error_msg`).
    pub code: Option<String>,
    pub message: Option<String>,
    /// Error codes meaning the job does not exist.
    #[serde(default)]
    pub not_found: Vec<String>,
    /// Error codes meaning the job had already finished.
    #[serde(default)]
    pub finished: Vec<String>,
    /// Documented statuses meaning the job does not exist.
    #[serde(default)]
    pub not_found_statuses: Vec<u16>,
    /// The array field of the success response holding one result per job (a batch stop):
    /// each is read with the rules above, giving `.cancel_outcomes()` one outcome per job.
    pub per_item: Option<String>,
}

impl Cancel {
    /// The declaration on an operation (its extension value), or why it does not read.
    pub fn read(value: &Value) -> Result<Cancel, String> {
        Cancel::deserialize(value).map_err(|e| format!("`x-cancel` does not read: {e}"))
    }
}

/// `x-cancel` on a cancel operation: known keys of the right kinds, a `success_flag` that is a
/// boolean field of the success response, `not_found_statuses` the operation documents, the
/// `waiter` that tells how the job stopped, and no two cancel operations of one spec with the
/// same response types (their generated `CancelOutcomeExt` impls would be the same).
pub(crate) fn cancels(doc: &Value, report: &mut Report) {
    let hint = "declare `x-cancel: {waiter: <until-stopped waiter>, ambiguous: <bool>, success_flag: <boolean field>, code: <field>, message: <field>, not_found: [<code>...], finished: [<code>...], not_found_statuses: [<status>...], per_item: <array field of one result per job>}`";
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (route, _, method, op) in operations(doc) {
        let Some(declared) = op.get(KEY) else {
            continue;
        };
        inline_responses(doc, op, &at(route, method), "cancel", report);
        let at = format!("{}/x-cancel", at(route, method));
        let Some(map) = declared.as_object() else {
            report.add(&at, "cancel", "`x-cancel` is not a mapping", hint);
            continue;
        };
        for (key, value) in map {
            let fits = match key.as_str() {
                "ambiguous" => value.is_boolean(),
                "success_flag" | "code" | "message" | "waiter" | "per_item" => value.is_string(),
                "not_found" | "finished" => value
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string)),
                "not_found_statuses" => value.as_array().is_some_and(|a| {
                    a.iter().all(|s| {
                        s.as_u64()
                            .is_some_and(|c| op.pointer(&format!("/responses/{c}")).is_some())
                    })
                }),
                _ => false,
            };
            if !fits {
                report.add(format!("{at}/{}", segment(key)), "cancel", format!("`{key}: {value}` is not a known key with a value of its kind (statuses must be documented)"), hint);
            }
        }
        // The kinds are reported key by key above; the rest reads the model.
        let model = Cancel::read(declared).unwrap_or_default();
        // A per-job cancel names its jobs in the request body, not in its route.
        let one_for_one = model.per_item.is_none();
        if let Err(problem) = stopped_waiter(doc, route, model.waiter.as_deref(), one_for_one) {
            report.add(format!("{at}/waiter"), "cancel", problem, hint);
        }
        // Per job, the flag is a field of each item of the `per_item` array.
        let success = success_schema(doc, op);
        let item = match model.per_item.as_deref() {
            None => success,
            // The answer itself is the array of per-job results.
            Some("") => {
                let array =
                    success.filter(|s| s.get("type").and_then(Value::as_str) == Some("array"));
                if array.is_none() {
                    report.add(
                        format!("{at}/per_item"),
                        "cancel",
                        "`per_item: \"\"` says the success response is an array, and it is not",
                        hint,
                    );
                }
                array
                    .and_then(|a| a.get("items"))
                    .map(|items| resolve_schema(doc, items))
            }
            Some(field) => {
                let array = success
                    .and_then(|s| s.pointer(&format!("/properties/{}", segment(field))))
                    .map(|p| resolve_schema(doc, p))
                    .filter(|p| p.get("type").and_then(Value::as_str) == Some("array"));
                if array.is_none() {
                    report.add(
                        format!("{at}/per_item"),
                        "cancel",
                        format!("`{field}` is not an array field of the success response"),
                        hint,
                    );
                }
                array
                    .and_then(|a| a.get("items"))
                    .map(|items| resolve_schema(doc, items))
            }
        };
        if let Some(flag) = model.success_flag.as_deref() {
            let boolean = item
                .and_then(|s| s.pointer(&format!("/properties/{}", segment(flag))))
                .map(|p| resolve_schema(doc, p))
                .is_some_and(|p| {
                    p.get("type").and_then(Value::as_str) == Some("boolean")
                        // A flag the service writes as a Boolean or a string.
                        || p.get("anyOf").and_then(Value::as_array).is_some_and(|branches| {
                            branches.iter().any(|b| {
                                b.get("type").and_then(Value::as_str) == Some("boolean")
                            })
                        })
                });
            if !boolean {
                report.add(
                    format!("{at}/success_flag"),
                    "cancel",
                    format!("`{flag}` is not a boolean field of the success response"),
                    hint,
                );
            }
        }
        let types: String = op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(status, r)| {
                let schema = resolve(doc, r)
                    .pointer("/content/application~1json/schema")
                    .map(|s| s.to_string());
                format!("{}:{}", status.starts_with('2'), schema.unwrap_or_default())
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join("|");
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if let Some(other) = seen.get(&types) {
            report.add(&at, "cancel", format!("`{id}` has the same response types as cancel operation `{other}`: one `.cancel_outcome()` cannot serve both"), "give one of them its own response schemas");
        } else {
            seen.insert(types, id);
        }
    }
}

/// A cancel's `waiter`: a waiter of this spec that waits until the job stopped (its success
/// phases are every terminal phase), polling an operation whose path parameters stand one for
/// one for the cancel's (the generated example passes the cancel's IDs to it in order).
pub(crate) fn stopped_waiter(
    doc: &Value,
    route: &str,
    waiter: Option<&str>,
    one_for_one: bool,
) -> Result<(), String> {
    let Some(name) = waiter else {
        return Err("`waiter` is missing: name the waiter that tells how the job stopped".into());
    };
    let found = operations(doc).find_map(|(polled, _, _, op)| {
        let declared = op.get(super::waiters::KEY)?.as_array()?;
        declared
            .iter()
            .find(|w| w.get("name").and_then(Value::as_str) == Some(name))
            .map(|w| (polled.as_str(), w))
    });
    let Some((polled, declared)) = found else {
        return Err(format!("`{name}` is not a waiter of this spec"));
    };
    let success: Vec<&str> = declared
        .get("success")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if !["succeeded", "failed", "cancelled"]
        .iter()
        .all(|phase| success.contains(phase))
    {
        return Err(format!(
            "waiter `{name}` does not wait until the job stopped: its `success` lacks one of succeeded, failed, cancelled"
        ));
    }
    let (ours, theirs) = (route_parameters(route), route_parameters(polled));
    if one_for_one && ours.len() != theirs.len() {
        return Err(format!(
            "waiter `{name}` polls an operation with path parameters ({}) that do not stand one for one for the cancel's ({})",
            theirs.join(", "),
            ours.join(", ")
        ));
    }
    Ok(())
}

/// `.cancel_outcome()` on the result of every cancel operation its spec declares with `x-cancel`
/// (`ambiguous`, `success_flag`, `code`, `message`, `not_found` and `finished` codes,
/// `not_found_statuses`), through a trait each crate defines (the result type is `std`'s).
pub(crate) fn emit(spec: &Spec) -> Result<String, Error> {
    use quote::quote;
    let mut impls = Vec::new();
    for (_, _, op) in spec.operations() {
        let Some(declared) = op.extensions.get(KEY) else {
            continue;
        };
        let id = op.operation_id.as_deref().unwrap_or_default();
        let unsupported = |message: String| Error::Unsupported {
            path: spec.path.clone(),
            message: format!("operation `{id}`: x-cancel: {message}"),
            hint: "declare a cancel that lint rule `cancel` accepts".into(),
        };
        let model = Cancel::read(declared).map_err(unsupported)?;
        let (success, error) = response_components(spec, op);
        let ty = |component: Option<&str>| {
            syn::parse_str::<syn::Type>(&type_path(component))
                .map_err(|e| unsupported(e.to_string()))
        };
        let (success, error) = (ty(success.as_deref())?, ty(error.as_deref())?);
        let ambiguous = model.ambiguous;
        let flag = match model.success_flag.as_deref() {
            Some(flag) => quote!(Some(#flag)),
            None => quote!(None),
        };
        let code = model.code.as_deref().unwrap_or("error_code");
        let message = model.message.as_deref().unwrap_or("error_msg");
        let finished = &model.finished;
        // "The job does not exist", as the runtime's one type: the codes under any status,
        // then each status of its own.
        let by_code = (!model.not_found.is_empty()).then(|| {
            let codes = &model.not_found;
            quote!(cloud_runtime::NotFound { status: None, code_field: #code, codes: &[#(#codes),*] })
        });
        let by_status = model.not_found_statuses.iter().map(|status| {
            let status = proc_macro2::Literal::u16_unsuffixed(*status);
            quote!(cloud_runtime::NotFound { status: Some(#status), code_field: #code, codes: &[] })
        });
        let not_found: Vec<proc_macro2::TokenStream> =
            by_code.into_iter().chain(by_status).collect();
        let doc = format!(" `{id}`: see `x-cancel` in the spec.");
        let rules = quote::format_ident!(
            "CANCEL_RULES_{}",
            heck::ToShoutySnakeCase::to_shouty_snake_case(id)
        );
        let per_item = model.per_item.as_deref().map(|field| {
            quote! {
                fn cancel_outcomes(&self) -> Vec<cloud_runtime::CancelOutcome> {
                    match self {
                        Ok(response) => cloud_runtime::cancel::per_item(
                            response.status().as_u16(),
                            serde_json::to_value(response.as_ref()).ok(),
                            #field,
                            &#rules,
                        ),
                        _ => vec![self.cancel_outcome()],
                    }
                }
            }
        });
        let rules_doc = format!(" How `{id}`'s answers read, from its `x-cancel`.");
        impls.push(quote! {
            #[doc = #rules_doc]
            const #rules: cloud_runtime::cancel::CancelRules = cloud_runtime::cancel::CancelRules {
                ambiguous: #ambiguous,
                success_flag: #flag,
                code_field: #code,
                message_field: #message,
                not_found: &[#(#not_found),*],
                finished_codes: &[#(#finished),*],
            };
            #[doc = #doc]
            impl CancelOutcomeExt for ::std::result::Result<ResponseValue<#success>, Error<#error>> {
                fn cancel_outcome(&self) -> cloud_runtime::CancelOutcome {
                    match self {
                        Ok(response) => cloud_runtime::cancel::from_success(
                            response.status().as_u16(),
                            serde_json::to_value(response.as_ref()).ok(),
                            &#rules,
                        ),
                        Err(Error::ErrorResponse(error)) => cloud_runtime::cancel::from_error(
                            error.status().as_u16(),
                            serde_json::to_value(error.as_ref()).ok(),
                            &#rules,
                        ),
                        Err(other) => cloud_runtime::cancel::failed(other),
                    }
                }
                #per_item
            }
        });
    }
    if impls.is_empty() {
        return Ok(String::new());
    }
    let tokens = quote! {
        /// How a cancel call ended, read the same way for every service: was it accepted, had the
        /// job already finished, was it not found, or was it refused (with the service's code and
        /// message)? Implemented for each cancel operation's result.
        pub trait CancelOutcomeExt {
            fn cancel_outcome(&self) -> cloud_runtime::CancelOutcome;

            /// One outcome per job, where the answer holds one result per job (`x-cancel`
            /// `per_item`, a batch stop); otherwise the call's one outcome.
            fn cancel_outcomes(&self) -> Vec<cloud_runtime::CancelOutcome> {
                vec![self.cancel_outcome()]
            }
        }
        #(#impls)*
    };
    crate::formatting::section(&spec.path, "cancel outcomes", tokens)
}
