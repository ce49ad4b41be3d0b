//! The crate's documentation: what it covers, how to call it, and compiled examples drawn from
//! the spec (a call, submit-wait-read, cancel-then-wait).

use std::fmt::Write as _;

use crate::{
    extensions::{cancel::Cancel, waiters::Waiter},
    naming::method_name,
    progenitor_output::field_read,
    spec::{Spec, response_components, schema_component},
};

/// How every generated crate is called and what its results mean; the same for all of them.
pub(super) const CALLING_DOCS: &str = "
# Calling an operation

Each operation is a builder: `client.<operation>()`, one setter per parameter (and `body` or
`body_map` for a JSON body), then `.send().await`. Inputs with documented constraints (length,
pattern, range) are checked before anything is sent: a bad value gives `Error::InvalidRequest`
naming the parameter, and body fields with constraints are newtypes whose `parse` checks them.

Responses decode what the service really sends: every response field is optional (services omit
fields their docs call mandatory), `null` is accepted wherever the docs show one, fields the spec
does not know are ignored, and enums the service may extend decode a value the docs do not list
as `Other(String)` instead of failing. A documented error status gives `Error::ErrorResponse`
with the typed error body; any other status gives `Error::UnexpectedResponse`.

# Authentication, endpoints, retries

`Client::from_env(&Region::huawei(..))` (or `Region::otc(..)`) signs every request with AK/SK
(`SDK-HMAC-SHA256`) from the vendor SDKs' environment variables. `Client::for_region` and
`Client::with_runtime` take a [`Runtime`] built in code: AK/SK, a held IAM token, or an IAM user
whose token is fetched and cached (`Runtime::builder().credentials(..)`), timeouts and the
[`RetryPolicy`]. Reads, deletes and cancels ([`RETRY_SAFE_OPERATIONS`]) are retried on 408,
429, 502, 503, 504 and connection failures, re-signed each time; submissions never are.

# Phase, waiters, paginators

Status types the spec maps (`x-phase`) have `.phase()`, one [`Phase`] shared by every crate.
`Client::wait_until_<name>()` (declared by `x-waiters`) polls an operation until the job ends,
returning the last response or a [`wait::WaitError`] saying how it ended; list builders declared
by `x-paginate` have `.stream()`, every item across the pages.
";

pub(super) fn crate_docs(spec: &Spec, submit_example: Option<&str>) -> String {
    let info = &spec.openapi.info;
    let mut doc = String::new();
    let _ = writeln!(
        doc,
        "Typed client for **{}**, API version `{}`.",
        info.title, info.version
    );
    if let Some(description) = &info.description {
        let _ = writeln!(doc, "\n{}", description.trim_end());
    }
    let _ = writeln!(
        doc,
        "\nGenerated from `{}` by `cargo xtask generate`; edit the spec, not this crate.",
        spec.display_path()
    );
    let _ = writeln!(
        doc,
        "\n# Operations\n\n| Method | Request | Summary |\n|---|---|---|"
    );
    for (method, route, op) in spec.operations() {
        let _ = writeln!(
            doc,
            "| [`Client::{}`] | `{} {}` | {} |",
            method_name(op.operation_id.as_deref().unwrap_or_default()),
            method.to_uppercase(),
            route,
            op.summary
                .as_deref()
                .unwrap_or_default()
                .replace('|', "\\|"),
        );
    }
    doc.push_str(CALLING_DOCS);
    if let Some(example) = example(spec) {
        let _ = writeln!(doc, "\n# Example\n\n```no_run\n{example}```");
    }
    if let Some(example) = submit_example {
        let _ = writeln!(
            doc,
            "\n# Submit, wait, read the result\n\nA failed or cancelled job, a wait that runs out of time, and a failed call are each\nan error ([`wait::WaitError`]) saying which.\n\n```no_run\n{example}```"
        );
    }
    if let Some(example) = cancel_example(spec) {
        let _ = writeln!(
            doc,
            "\n# Cancel, then wait\n\nThe cancel's outcome says whether it was accepted; the until-stopped waiter's final\nphase says how the job ended (a job that had already finished is not cancelled).\n\n```no_run\n{example}```"
        );
    }
    doc.lines()
        .map(|line| {
            if line.is_empty() {
                "//!\n".to_owned()
            } else {
                format!("//! {line}\n")
            }
        })
        .collect()
}

/// The path parameters of `op`, in route order, if they are all strings and the operation
/// needs nothing else (no other required parameter, and no body unless `with_body`): what a
/// compiled example can pass as `&str` variables.
pub(super) fn string_path_parameters<'a>(
    spec: &'a Spec,
    route: &'a str,
    op: &'a openapiv3::Operation,
    with_body: bool,
) -> Option<Vec<&'a str>> {
    if op.request_body.is_some() && !with_body {
        return None;
    }
    let mut path = Vec::new();
    for parameter in spec.parameters(op) {
        let data = parameter.parameter_data_ref();
        let is_path = matches!(parameter, openapiv3::Parameter::Path { .. });
        if !is_path && data.required {
            return None;
        }
        if is_path {
            let openapiv3::ParameterSchemaOrContent::Schema(schema) = &data.format else {
                return None;
            };
            let string = match schema {
                openapiv3::ReferenceOr::Item(schema) => matches!(
                    schema.schema_kind,
                    openapiv3::SchemaKind::Type(openapiv3::Type::String(_))
                ),
                openapiv3::ReferenceOr::Reference { .. } => false,
            };
            if !string {
                return None;
            }
            path.push(data.name.as_str());
        }
    }
    let ordered = crate::spec::route_parameters(route);
    (ordered.len() == path.len() && ordered.iter().all(|name| path.contains(name)))
        .then_some(ordered)
}

/// A compiled example of the first waiter whose spec declares `after`: submit the job with the
/// request body's documented example, read its IDs from the answer, wait, read the result (or
/// print the last response when no `result` operation is declared). `None` when the submission
/// needs more than string path parameters and an example body.
pub(super) fn submit_example(
    spec: &Spec,
    types: &std::collections::BTreeMap<String, &syn::Item>,
) -> Option<String> {
    let lib = spec.lib_name();
    spec.operations().find_map(|(_, polled_route, polled)| {
        let waiters = Waiter::read_all(polled).ok()?;
        let (waiter, after) = waiters
            .iter()
            .find_map(|w| Some((w.name.as_str(), w.after.as_ref()?)))?;
        let (_, submit_route, submit) = spec.operation(&after.submit)?;
        let arguments = string_path_parameters(spec, submit_route, submit, true)?;
        let polled_parameters = string_path_parameters(spec, polled_route, polled, false)?;
        let body = match &submit.request_body {
            None => String::new(),
            Some(body) => {
                let media = body.as_item()?.content.get("application/json")?;
                let body_type = schema_component(media.schema.as_ref()?)?;
                let json = serde_json::to_string(media.example.as_ref()?).ok()?;
                // JSON's `\u` escapes are not Rust's.
                if json.contains("\\u") {
                    return None;
                }
                format!(
                    "\n    .body(serde_json::from_value::<{lib}::types::{body_type}>(serde_json::json!({json}))?)"
                )
            }
        };
        let (answer, _) = response_components(spec, submit);
        let answer = answer?;
        let mut reads = String::new();
        for (parameter, field) in after.ids.iter().flatten() {
            let read = field_read(types, &format!("{lib}::types"), "submitted", false, &answer, field).ok()?;
            let _ = write!(
                reads,
                "let {} = {read}\n    .map(String::as_str)\n    .ok_or(\"the answer carries no {field}\")?;\n",
                method_name(parameter),
            );
        }
        let setters = |names: &[&str]| -> String {
            names
                .iter()
                .map(|name| format!("\n    .{0}({0})", method_name(name)))
                .collect()
        };
        let arguments_list: String = arguments
            .iter()
            .map(|name| format!(", {}: &str", method_name(name)))
            .collect();
        let submit_id = method_name(submit.operation_id.as_deref()?);
        let wait = method_name(waiter);
        let (reached, result) = match after.result.as_deref() {
            Some(result) => {
                let (_, result_route, result_op) = spec.operation(result)?;
                let names = string_path_parameters(spec, result_route, result_op, false)?;
                (
                    "Waited::Reached(_) => {}".to_owned(),
                    format!(
                        "let result = client\n    .{}(){}\n    .send()\n    .await?;\nprintln!(\"{{:?}}\", result.into_inner());\n",
                        method_name(result),
                        setters(&names)
                    ),
                )
            }
            None => ("Waited::Reached(last) => println!(\"{last:?}\"),".to_owned(), String::new()),
        };
        Some(format!(
            "# async fn example(client: {lib}::Client{arguments_list}) -> Result<(), Box<dyn std::error::Error>> {{\n\
             use {lib}::wait::Waited;\n\
             \n\
             let submitted = client\n    .{submit_id}(){submit_setters}{body}\n    .send()\n    .await?\n    .into_inner();\n\
             {reads}\
             match client\n    .wait_until_{wait}(){wait_setters}\n    .max_wait(std::time::Duration::from_secs(600))\n    .send()\n    .await?\n\
             {{\n    \
                 {reached}\n    \
                 Waited::Gone => return Err(\"the service no longer knows the job\".into()),\n\
             }}\n\
             {result}\
             # Ok(())\n\
             # }}\n",
            submit_setters = setters(&arguments),
            wait_setters = setters(&polled_parameters),
        ))
    })
}

/// A compiled example of the first cancel operation whose `x-cancel` names its until-stopped
/// `waiter`: cancel, read the outcome, wait, read the final phase. The cancel's path parameters
/// are the example's arguments, passed to the waiter one for one (lint rule `cancel`).
pub(super) fn cancel_example(spec: &Spec) -> Option<String> {
    let lib = spec.lib_name();
    spec.operations().find_map(|(_, route, op)| {
        let cancel = Cancel::read(op.extensions.get(crate::extensions::cancel::KEY)?).ok()?;
        let waiter = cancel.waiter?;
        let waiter = waiter.as_str();
        let (polled_route, polled) = spec.operations().find_map(|(_, route, polled)| {
            Waiter::read_all(polled)
                .ok()?
                .iter()
                .any(|w| w.name == waiter)
                .then_some((route, polled))
        })?;
        let ours = string_path_parameters(spec, route, op, false)?;
        let theirs = string_path_parameters(spec, polled_route, polled, false)?;
        if ours.len() != theirs.len() {
            return None;
        }
        let arguments: String = ours
            .iter()
            .map(|name| format!(", {}: &str", method_name(name)))
            .collect();
        let cancel_setters: String = ours
            .iter()
            .map(|name| format!(".{0}({0})", method_name(name)))
            .collect();
        let wait_setters: String = theirs
            .iter()
            .zip(&ours)
            .map(|(theirs, ours)| format!("\n    .{}({})", method_name(theirs), method_name(ours)))
            .collect();
        let cancel = method_name(op.operation_id.as_deref()?);
        let waiter_fn = method_name(waiter);
        let waiter_type = heck::ToUpperCamelCase::to_upper_camel_case(waiter);
        Some(format!(
            "# async fn example(client: {lib}::Client{arguments}) -> Result<(), Box<dyn std::error::Error>> {{\n\
             use {lib}::{{CancelOutcome, CancelOutcomeExt, wait::Waited, waiters::{waiter_type}}};\n\
             \n\
             let cancel = client.{cancel}(){cancel_setters}.send().await;\n\
             match cancel.cancel_outcome() {{\n    \
                 CancelOutcome::NotFound {{ .. }} => return Ok(()),\n    \
                 CancelOutcome::Refused {{ status, code, message }} => {{\n        \
                     return Err(format!(\"refused ({{status}}): {{code:?}} {{message:?}}\").into())\n    \
                 }}\n    \
                 outcome => println!(\"{{outcome:?}}\"),\n\
             }}\n\
             match client\n    .wait_until_{waiter_fn}(){wait_setters}\n    .send()\n    .await?\n\
             {{\n    \
                 Waited::Reached(last) => println!(\"stopped: {{}}\", {waiter_type}::phase_of(&last)),\n    \
                 Waited::Gone => println!(\"the service no longer knows the job\"),\n\
             }}\n\
             # Ok(())\n\
             # }}\n"
        ))
    })
}

/// `.setter("example")` for each required parameter (progenitor's setter name: `job-id` ->
/// `job_id`, `type` -> `type_`), or `None` when one has no string example.
pub(super) fn example_call(spec: &Spec, op: &openapiv3::Operation) -> Option<String> {
    let mut call = String::new();
    for parameter in spec.parameters(op) {
        let data = parameter.parameter_data_ref();
        if !data.required {
            continue;
        }
        let value = data.example.as_ref()?.as_str()?;
        let _ = write!(call, "\n    .{}({:?})", method_name(&data.name), value);
    }
    Some(call)
}

/// A compiled (not run: it needs credentials and the network) example: the first read
/// operation (GET, no body) whose required parameters all have string examples, called with them.
pub(super) fn example(spec: &Spec) -> Option<String> {
    let (operation_id, call) = spec
        .operations()
        .filter(|(method, _, op)| *method == "get" && op.request_body.is_none())
        .find_map(|(_, _, op)| {
            Some((
                method_name(op.operation_id.as_deref()?),
                example_call(spec, op)?,
            ))
        })?;
    let lib = spec.lib_name();
    // The first server is Huawei Cloud's; its `region` variable's default is a real region.
    let region = spec
        .openapi
        .servers
        .first()
        .and_then(|server| server.variables.as_ref()?.get("region"))
        .map_or("cn-north-4", |variable| variable.default.as_str());
    Some(format!(
        "# async fn example() -> Result<(), {lib}::ConfigError> {{\n\
         // Signs with HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK from the environment.\n\
         let client = {lib}::Client::from_env(&{lib}::Region::huawei({region:?}))?;\n\
         let result = client\n    .{operation_id}(){call}\n    .send()\n    .await;\n\
         match result {{\n    \
             Ok(response) => println!(\"{{:?}}\", response.into_inner()),\n    \
             Err({lib}::Error::ErrorResponse(error)) => {{\n        \
                 eprintln!(\"{{}}: {{:?}}\", error.status(), error.into_inner())\n    \
             }}\n    \
             Err(other) => eprintln!(\"{{other}}\"),\n\
         }}\n\
         # Ok(())\n\
         # }}\n"
    ))
}
