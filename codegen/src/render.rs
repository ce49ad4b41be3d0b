//! Renders one spec into the files of its client crate: `Cargo.toml` and `src/lib.rs`.
//!
//! Output depends only on the spec bytes and the pinned progenitor/prettyplease versions: no
//! timestamps, no absolute paths, no hash-map iteration order.

use std::{fmt::Write as _, path::PathBuf};

use crate::{
    PROGENITOR_VERSION,
    error::Error,
    extensions::{cancel::Cancel, waiters::Waiter},
    naming::{builder_name, method_name},
    progenitor_output::{field_read, generated_types, module_items},
    progenitor_run,
    spec::{Spec, response_components, schema_component},
};

/// The marker tools (and reviewers) look for; `cargo xtask generate` only deletes files bearing it.
pub const GENERATED_MARKER: &str = "@generated";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    /// Relative to the generated-crates directory: `dli-v1/src/lib.rs`.
    pub path: PathBuf,
    pub contents: String,
}

#[derive(Debug, Clone)]
pub struct RenderedCrate {
    pub crate_name: String,
    pub spec_path: PathBuf,
    pub operations: usize,
    pub files: Vec<RenderedFile>,
}

pub fn render(spec: &Spec) -> Result<RenderedCrate, Error> {
    let service = service_host_label(spec)?;
    let generated = progenitor_run::generate(spec)?;
    let file = syn::parse2::<syn::File>(generated.tokens).map_err(|e| Error::Format {
        path: spec.path.clone(),
        message: e.to_string(),
    })?;
    let code = prettyplease::unparse(&file);
    check_operation_ids(spec, &code)?;
    let waiters = crate::extensions::waiters::emit(spec, &file)?;
    let decoders = decoders(spec, &file)?;
    let submit_example = submit_example(spec, &generated_types(&file));
    // What the extensions emit beside progenitor's code, in a fixed order.
    let extensions = [
        crate::extensions::phase::emit(spec),
        crate::extensions::paginate::emit(spec)?,
        crate::extensions::cancel::emit(spec)?,
    ];

    let dir = PathBuf::from(spec.crate_name());
    Ok(RenderedCrate {
        crate_name: spec.crate_name(),
        spec_path: spec.path.clone(),
        operations: spec.operations().count(),
        files: vec![
            RenderedFile {
                path: dir.join("Cargo.toml"),
                contents: cargo_toml(spec, &generated.extra_dependencies)?,
            },
            RenderedFile {
                path: dir.join("src/lib.rs"),
                contents: lib_rs(
                    spec,
                    &format!("{code}{waiters}{decoders}"),
                    &service,
                    &extensions,
                    submit_example.as_deref(),
                ),
            },
        ],
    })
}

/// The do-not-edit header, one line per entry, behind `comment`.
fn header(spec: &Spec, comment: &str) -> String {
    format!(
        "{comment} {GENERATED_MARKER} by `cargo xtask generate` with progenitor {PROGENITOR_VERSION}\n\
         {comment} from {} (sha256 {}).\n\
         {comment} Do not edit: change the spec and run `cargo xtask generate`.\n",
        spec_path_display(spec),
        spec.sha256,
    )
}

fn spec_path_display(spec: &Spec) -> String {
    spec.path.to_string_lossy().replace('\\', "/")
}

/// The crate's manifest, written by the `toml` serializer so that any title or version a spec
/// holds (quotes, control characters) is escaped as TOML requires.
fn cargo_toml(spec: &Spec, extra_dependencies: &[&str]) -> Result<String, Error> {
    let workspace = || {
        let mut inherit = toml::Table::new();
        inherit.insert("workspace".into(), toml::Value::Boolean(true));
        toml::Value::Table(inherit)
    };
    let mut package = toml::Table::new();
    package.insert("name".into(), spec.crate_name().into());
    package.insert(
        "description".into(),
        format!(
            "Typed client for {} (API {}), generated from {}",
            spec.openapi.info.title,
            spec.openapi.info.version,
            spec_path_display(spec)
        )
        .into(),
    );
    for key in ["version", "edition", "rust-version", "license", "publish"] {
        package.insert(key.into(), workspace());
    }
    let mut dependencies = toml::Table::new();
    let always = [
        "cloud-runtime",
        "progenitor-client",
        "reqwest",
        "serde",
        "serde_json",
    ];
    for name in always.iter().chain(extra_dependencies) {
        dependencies.insert((*name).to_owned(), workspace());
    }
    let mut manifest = toml::Table::new();
    manifest.insert("package".into(), toml::Value::Table(package));
    manifest.insert("dependencies".into(), toml::Value::Table(dependencies));
    let body = toml::to_string(&manifest).map_err(|e| Error::Format {
        path: spec.path.clone(),
        message: format!("the manifest cannot be written: {e}"),
    })?;
    Ok(format!("{}\n{body}", header(spec, "#")))
}

fn lib_rs(
    spec: &Spec,
    code: &str,
    service: &str,
    extensions: &[String],
    submit_example: Option<&str>,
) -> String {
    let mut out = header(spec, "//");
    // prettyplease is the one formatter of generated code; rustfmt must not reformat it.
    out.push_str("#![cfg_attr(rustfmt, rustfmt::skip)]\n");
    // progenitor marks its modules `allow(clippy::all)` but not `impl Client`, where multi-line
    // spec descriptions become doc comments clippy dislikes. Findings here are fixed in the spec
    // or in codegen, never in this file; rustc's own warnings stay on.
    out.push_str("#![allow(clippy::all)]\n");
    out.push_str(&crate_docs(spec, submit_example));
    out.push('\n');
    out.push_str(code);
    out.push_str(&runtime_glue(spec, service));
    for emitted in extensions {
        out.push_str(emitted);
    }
    out
}

/// The first label of the first server's host (`https://dli.{region}.myhuaweicloud.com` ->
/// `dli`): how the runtime builds regional endpoints.
fn service_host_label(spec: &Spec) -> Result<String, Error> {
    let label = spec.openapi.servers.first().and_then(|server| {
        let host = server.url.split_once("://")?.1;
        let label = host.split(['.', '/', ':']).next()?;
        (!label.is_empty() && !label.contains('{')).then(|| label.to_owned())
    });
    label.ok_or_else(|| Error::Unsupported {
        path: spec.path.clone(),
        message: "the first server URL does not start with the service's host label".into(),
        hint: "list the Huawei Cloud server first: `https://<service>.{region}.myhuaweicloud.com`"
            .into(),
    })
}

/// Every `OperationInfo { operation_id: ".." }` in progenitor's output must be in `OPERATIONS`,
/// or the runtime would refuse the call: checked here so a naming change fails generation.
fn check_operation_ids(spec: &Spec, code: &str) -> Result<(), Error> {
    let known: Vec<String> = spec
        .operations()
        .filter_map(|(_, _, op)| op.operation_id.as_deref().map(method_name))
        .collect();
    for rest in code.split("operation_id: \"").skip(1) {
        let id = rest.split('"').next().unwrap_or_default();
        if !known.iter().any(|k| k == id) {
            return Err(Error::Unsupported {
                path: spec.path.clone(),
                message: format!(
                    "progenitor names an operation `{id}`, which codegen's OPERATIONS table does not list"
                ),
                hint: "report this: naming::method_name no longer matches progenitor's naming"
                    .into(),
            });
        }
    }
    Ok(())
}

/// Operations that may be sent again after a transient failure: reads and deletes, and what
/// the spec marks `x-idempotent: true` (cancels sent as POST). Never a submission.
fn retry_safe_operations(spec: &Spec) -> Vec<String> {
    let mut ids: Vec<String> = spec
        .operations()
        .filter(|(method, _, op)| {
            matches!(*method, "get" | "head" | "options" | "delete")
                || crate::extensions::idempotent::declared(op)
        })
        .filter_map(|(_, _, op)| op.operation_id.as_deref().map(method_name))
        .collect();
    ids.sort();
    ids
}

/// Documented statuses of `op` (lint allows only three-digit codes), and those with a JSON body.
fn statuses(spec: &Spec, op: &openapiv3::Operation) -> (Vec<u16>, Vec<u16>) {
    let mut all = Vec::new();
    let mut json = Vec::new();
    for (status, response) in &op.responses.responses {
        let openapiv3::StatusCode::Code(code) = status else {
            continue;
        };
        all.push(*code);
        let has_json = spec
            .response(response)
            .is_some_and(|r| r.content.keys().any(|media| media.contains("json")));
        if has_json {
            json.push(*code);
        }
    }
    all.sort_unstable();
    json.sort_unstable();
    (all, json)
}

/// One `cloud_runtime::Operation` per operation, sorted by id (the runtime looks them up by
/// binary search): route, method, whether retried, documented statuses.
fn operation_table(spec: &Spec) -> String {
    let retry_safe = retry_safe_operations(spec);
    let mut rows: Vec<(String, String)> = spec
        .operations()
        .filter_map(|(method, route, op)| {
            let id = method_name(op.operation_id.as_deref()?);
            let (all, json) = statuses(spec, op);
            let list = |codes: &[u16]| {
                codes.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
            };
            let limits: String = integer_limits(spec, op)
                .iter()
                .map(|(place, name, min, max)| {
                    format!(
                        "\n            cloud_runtime::call::Limit {{ place: cloud_runtime::call::Place::{place}, name: {name:?}, min: {min:?}, max: {max:?} }},"
                    )
                })
                .collect();
            let limits = if limits.is_empty() {
                String::new()
            } else {
                format!("{limits}\n        ")
            };
            let row = format!(
                "    cloud_runtime::Operation {{\n        id: {id:?},\n        method: {:?},\n        route: {route:?},\n        retry_safe: {},\n        statuses: &[{}],\n        json_statuses: &[{}],\n        limits: &[{limits}],\n    }},\n",
                method.to_uppercase(),
                retry_safe.contains(&id),
                list(&all),
                list(&json),
            );
            Some((id, row))
        })
        .collect();
    rows.sort();
    rows.into_iter().map(|(_, row)| row).collect()
}

/// The documented integer ranges of `op`'s parameters and of its JSON request body's top-level
/// fields, as (place, name or JSON pointer, minimum, maximum); an exclusive bound is moved in by
/// one.
fn integer_limits(
    spec: &Spec,
    op: &openapiv3::Operation,
) -> Vec<(&'static str, String, Option<i64>, Option<i64>)> {
    let components = spec.openapi.components.as_ref();
    let schema_of =
        |schema: &openapiv3::ReferenceOr<openapiv3::Schema>| -> Option<openapiv3::Schema> {
            match schema {
                openapiv3::ReferenceOr::Item(schema) => Some(schema.clone()),
                openapiv3::ReferenceOr::Reference { reference } => components?
                    .schemas
                    .get(reference.strip_prefix("#/components/schemas/")?)?
                    .as_item()
                    .cloned(),
            }
        };
    let range = |schema: &openapiv3::Schema| -> Option<(Option<i64>, Option<i64>)> {
        let openapiv3::SchemaKind::Type(openapiv3::Type::Integer(integer)) = &schema.schema_kind
        else {
            return None;
        };
        let min = integer
            .minimum
            .map(|m| m.saturating_add(i64::from(integer.exclusive_minimum)));
        let max = integer
            .maximum
            .map(|m| m.saturating_sub(i64::from(integer.exclusive_maximum)));
        (min.is_some() || max.is_some()).then_some((min, max))
    };
    let mut limits = Vec::new();
    for parameter in spec.parameters(op) {
        let (place, data) = match parameter {
            openapiv3::Parameter::Query { parameter_data, .. } => ("Query", parameter_data),
            openapiv3::Parameter::Path { parameter_data, .. } => ("Path", parameter_data),
            openapiv3::Parameter::Header { parameter_data, .. } => ("Header", parameter_data),
            openapiv3::Parameter::Cookie { .. } => continue,
        };
        let openapiv3::ParameterSchemaOrContent::Schema(schema) = &data.format else {
            continue;
        };
        if let Some((min, max)) = schema_of(schema).as_ref().and_then(range) {
            limits.push((place, data.name.clone(), min, max));
        }
    }
    let body = op.request_body.as_ref().and_then(|body| match body {
        openapiv3::ReferenceOr::Item(body) => Some(body),
        openapiv3::ReferenceOr::Reference { .. } => None,
    });
    let body_schema = body
        .and_then(|body| {
            body.content
                .iter()
                .find(|(media, _)| media.contains("json"))
        })
        .and_then(|(_, media)| media.schema.as_ref())
        .and_then(schema_of);
    if let Some(openapiv3::Schema {
        schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)),
        ..
    }) = body_schema
    {
        for (name, property) in &object.properties {
            let property = match property {
                openapiv3::ReferenceOr::Item(schema) => Some((**schema).clone()),
                openapiv3::ReferenceOr::Reference { reference } => {
                    schema_of(&openapiv3::ReferenceOr::Reference {
                        reference: reference.clone(),
                    })
                }
            };
            if let Some((min, max)) = property.as_ref().and_then(range) {
                let pointer = format!("/{}", name.replace('~', "~0").replace('/', "~1"));
                limits.push(("Body", pointer, min, max));
            }
        }
    }
    limits.sort();
    limits
}

/// `decodes`: for each operation, whether a body decodes as the type its builder's `send` reads
/// a success or an error into (read off progenitor's output, so the types are the ones it chose).
/// The runtime calls it on bodies it would otherwise hand on unread, so that an undecodable one
/// is refused with a bounded message instead of progenitor's error quoting it whole.
fn decoders(spec: &Spec, generated: &syn::File) -> Result<String, Error> {
    use quote::quote;
    let sends: std::collections::BTreeMap<String, &syn::Signature> =
        module_items(generated, "builder")
            .filter_map(|item| match item {
                syn::Item::Impl(i) => Some(i),
                _ => None,
            })
            .filter_map(|i| {
                let syn::Type::Path(p) = &*i.self_ty else {
                    return None;
                };
                let name = p.path.segments.last()?.ident.to_string();
                let send = i.items.iter().find_map(|item| match item {
                    syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(&f.sig),
                    _ => None,
                })?;
                Some((name, send))
            })
            .collect();
    // `Result<ResponseValue<S>, Error<E>>` -> (S, E).
    let generic = |ty: &syn::Type, wrapper: &str| -> Option<syn::Type> {
        let syn::Type::Path(p) = ty else { return None };
        let last = p.path.segments.last()?;
        if last.ident != wrapper {
            return None;
        }
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        match args.args.first()? {
            syn::GenericArgument::Type(inner) => Some(inner.clone()),
            _ => None,
        }
    };
    // Bodies that are not decoded from JSON into a type of the crate: nothing to check.
    let checked = |ty: &syn::Type| {
        let syn::Type::Path(p) = ty else { return false };
        p.path.segments.first().is_some_and(|s| s.ident == "types")
    };
    let mut arms = Vec::new();
    let mut ids: Vec<String> = spec
        .operations()
        .filter_map(|(_, _, op)| op.operation_id.clone())
        .collect();
    ids.sort();
    for id in ids {
        let Some(send) = sends.get(&builder_name(&id)) else {
            continue;
        };
        let syn::ReturnType::Type(_, result) = &send.output else {
            continue;
        };
        let syn::Type::Path(p) = &**result else {
            continue;
        };
        let Some(syn::PathArguments::AngleBracketed(args)) =
            p.path.segments.last().map(|s| &s.arguments)
        else {
            continue;
        };
        let types: Vec<&syn::Type> = args
            .args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect();
        let [ok, err] = types.as_slice() else {
            continue;
        };
        let method = method_name(&id);
        if let Some(success) = generic(ok, "ResponseValue").filter(checked) {
            arms.push(quote!((#method, true) => check::<#success>(body),));
        }
        if let Some(error) = generic(err, "Error").filter(checked) {
            arms.push(quote!((#method, false) => check::<#error>(body),));
        }
    }
    let tokens = quote! {
        /// Whether `body`, sent with `status` to `operation_id`, decodes as the type the
        /// operation reads it into. The runtime checks bodies above a few KiB with it, so that
        /// one that does not decode is refused with a bounded message.
        fn decodes(operation_id: &str, status: u16, body: &[u8]) -> std::result::Result<(), String> {
            fn check<T: serde::de::DeserializeOwned>(body: &[u8]) -> std::result::Result<(), String> {
                serde_json::from_slice::<T>(body).map(drop).map_err(|e| e.to_string())
            }
            match (operation_id, (200..300).contains(&status)) {
                #(#arms)*
                _ => Ok(()),
            }
        }
    };
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| Error::Format {
        path: spec.path.clone(),
        message: format!("decoders: {e}"),
    })?;
    Ok(format!("\n{}", prettyplease::unparse(&file)))
}

/// Emitted into every crate (the orphan rule keeps the `ClientHooks` impl out of a shared crate):
/// constructors over the runtime, the table of operations it checks calls against, and the hooks
/// that hand each request to it.
fn runtime_glue(spec: &Spec, service: &str) -> String {
    let retry_safe: String = retry_safe_operations(spec)
        .iter()
        .map(|id| format!("    {id:?},\n"))
        .collect();
    RUNTIME_GLUE
        .replace("{service}", service)
        .replace("{retry_safe}", &retry_safe)
        .replace("{operations}", &operation_table(spec))
}

const RUNTIME_GLUE: &str = r#"
pub use cloud_runtime::{CancelOutcome, ConfigError, Credentials, Phase, Region, RetryPolicy, Runtime, wait};

/// This service, as its endpoint hosts name it.
pub const SERVICE: cloud_runtime::Service = cloud_runtime::Service::new("{service}");

/// Operations sent again after a transient failure (see [`RetryPolicy`]): reads, deletes and
/// cancels. Submissions are never retried.
pub const RETRY_SAFE_OPERATIONS: &[&str] = &[
{retry_safe}];

impl Client {
    /// A client for this service in `region`, signing with the AK/SK (and project) in the
    /// environment variables the vendor's SDKs read: `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`,
    /// `HUAWEICLOUD_SDK_PROJECT_ID`, `HUAWEICLOUD_SDK_SECURITY_TOKEN`.
    pub fn from_env(region: &Region) -> Result<Self, cloud_runtime::ConfigError> {
        Self::for_region(region, Runtime::from_env()?)
    }

    /// A client for this service in `region`, calling through `runtime`; a region id that is
    /// not one DNS label (`eu-de`) is refused, so the endpoint stays in the cloud's domain.
    pub fn for_region(region: &Region, runtime: Runtime) -> Result<Self, cloud_runtime::ConfigError> {
        Ok(Self::with_runtime(&region.endpoint(&SERVICE)?, runtime))
    }

    /// A client for any base URL (a proxy, a local server, a path prefix), calling through
    /// `runtime`; a trailing `/` is dropped, as the routes start with one.
    pub fn with_runtime(base_url: &str, runtime: Runtime) -> Self {
        Self::new_with_client(base_url.trim_end_matches('/'), runtime.http_client(), runtime)
    }
}

/// Every operation as the runtime checks it: the route each request must reach, the statuses the
/// docs list (another is an error naming it), and whether it may be retried.
pub const OPERATIONS: &[cloud_runtime::Operation] = &[
{operations}];

fn runtime_call<'a>(client: &'a Client, info: &OperationInfo) -> cloud_runtime::Call<'a> {
    cloud_runtime::Call::new(OPERATIONS, info.operation_id, client.baseurl()).decoding(decodes)
}

/// Every request goes through the runtime: route check, authentication, signing, retries,
/// tracing, and a readable error for a response the docs do not describe.
impl ClientHooks<Runtime> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> std::result::Result<(), Error<E>> {
        self.inner()
            .prepare(request, runtime_call(self, info))
            .await
            .map_err(|e| match e {
                cloud_runtime::CallError::OutOfRange { .. } => Error::InvalidRequest(e.to_string()),
                e => Error::Custom(e.to_string()),
            })
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        self.inner().execute(self.client(), request, runtime_call(self, info)).await
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        info: &OperationInfo,
    ) -> std::result::Result<(), Error<E>> {
        self.inner().finish(result, runtime_call(self, info)).map_err(Error::Custom)
    }
}
"#;

/// How every generated crate is called and what its results mean; the same for all of them.
const CALLING_DOCS: &str = "
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

fn crate_docs(spec: &Spec, submit_example: Option<&str>) -> String {
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
        spec_path_display(spec)
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
fn string_path_parameters<'a>(
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
fn submit_example(
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
        for (parameter, field) in &after.ids {
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
fn cancel_example(spec: &Spec) -> Option<String> {
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
fn example_call(spec: &Spec, op: &openapiv3::Operation) -> Option<String> {
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
fn example(spec: &Spec) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extensions::waiters::phase_words;

    /// Whatever a spec's title and version hold, the manifest is valid TOML that says it back.
    #[test]
    fn manifests_escape_what_titles_and_versions_hold() {
        let titles = [
            "quote \" and \\ backslash",
            "delete \u{7f} char",
            "tab\there",
            "ü ✓ 日本",
        ];
        for title in titles {
            let yaml = serde_yaml::to_string(&serde_json::json!({
                "openapi": "3.0.3",
                "info": {"title": title, "version": "v1\u{0}"},
                "paths": {},
            }))
            .unwrap();
            let spec = Spec::parse("specs/x-v1.yaml".into(), yaml.as_bytes()).unwrap();
            let manifest = cargo_toml(&spec, &["chrono"]).unwrap();
            let parsed: toml::Table = manifest
                .parse()
                .unwrap_or_else(|e| panic!("{title:?}: {e}\n{manifest}"));
            let description = parsed["package"]["description"].as_str().unwrap();
            assert_eq!(
                description,
                format!("Typed client for {title} (API v1\u{0}), generated from specs/x-v1.yaml")
            );
            assert_eq!(parsed["package"]["name"].as_str(), Some("x-v1"));
            assert_eq!(
                parsed["dependencies"]["chrono"]["workspace"].as_bool(),
                Some(true)
            );
        }
    }

    /// A waiter's status path is walked over the generated types: fields through structs, the
    /// one struct-holding variant of an enum, and refusals naming the step that cannot be read.
    #[test]
    fn field_paths_are_read_through_structs_and_one_variant_of_an_enum() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Envelope { pub job: Option<Job>, pub count: i64 }
                pub struct Job { pub state: Option<State>, pub result: Option<Result> }
                pub struct Other { pub state: Option<State> }
                pub enum Result { Job(Job), Raw(String) }
                pub enum Either { Job(Job), Other(Other) }
                pub struct Holder { pub either: Option<Either> }
            }
        };
        let types = generated_types(&file);
        let read = |success: &str, status: &str| {
            field_read(&types, "types", "response", true, success, status)
        };
        let cases: &[(&str, &str, Result<&str, &str>)] = &[
            ("Job", "state", Ok("response.state.as_ref()")),
            (
                "Envelope",
                "job.state",
                Ok("response.job.as_ref().and_then(|value| value.state.as_ref())"),
            ),
            (
                "Result",
                "state",
                Ok(
                    "match response { types::Result::Job(value) => value.state.as_ref(), _ => None }",
                ),
            ),
            (
                "Job",
                "result.state",
                Ok(
                    "response.result.as_ref().and_then(|value| match value { types::Result::Job(value) => value.state.as_ref(), _ => None })",
                ),
            ),
            (
                "Envelope",
                "missing",
                Err("`Envelope` has no field `missing`"),
            ),
            (
                "Envelope",
                "count.x",
                Err("field `count` of `Envelope` is not an `Option`"),
            ),
            (
                "Holder",
                "either.state",
                Err("`Either` has 2 variants holding a field `state`, not one"),
            ),
            (
                "Job",
                "state.x",
                Err("`State` is not a generated struct or enum"),
            ),
        ];
        for (success, status, expected) in cases {
            assert_eq!(
                read(success, status).as_deref(),
                expected.map_err(str::to_owned).as_deref(),
                "{success} {status}"
            );
        }
    }

    #[test]
    fn phase_lists_read_as_words() {
        let cases = [
            (serde_json::json!([]), ""),
            (serde_json::json!(["succeeded"]), "succeeded"),
            (
                serde_json::json!(["succeeded", "failed"]),
                "succeeded or failed",
            ),
            (
                serde_json::json!(["succeeded", "failed", "cancelled"]),
                "succeeded, failed or cancelled",
            ),
        ];
        for (phases, words) in cases {
            let phases: Vec<String> = serde_json::from_value(phases).unwrap();
            assert_eq!(phase_words(&phases), words);
        }
        assert_eq!(phase_words(&[]), "");
    }

    /// Render without lint (a library caller may skip it): a waiter name that is no Rust
    /// identifier is an error naming the operation, not a panic in `quote`.
    #[test]
    fn waiter_names_that_are_no_identifier_are_errors_not_panics() {
        const SPEC: &str = r#"openapi: 3.0.3
info: {title: odd, version: v1}
servers: [{url: 'https://jobs.example.com'}]
tags: [{name: jobs}]
paths:
  /v1/jobs/{job_id}:
    get:
      operationId: show_job
      x-doc-page: test_02_0001
      x-waiters:
        - {name: NAME, status: state, success: [succeeded], failure: []}
      summary: Show a job.
      description: Show a job.
      tags: [jobs]
      parameters:
        - {name: job_id, in: path, required: true, description: The job., schema: {type: string}, example: j1}
      responses:
        '200':
          description: The job.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Job'}
components:
  schemas:
    Job:
      type: object
      properties:
        state: {$ref: '#/components/schemas/State'}
    State:
      anyOf:
        - {$ref: '#/components/schemas/KnownState'}
        - {type: string, title: Other}
    KnownState:
      type: string
      enum: [RUNNING, DONE]
      x-phase: {RUNNING: running, DONE: succeeded}
"#;
        for name in ["1job", "self", "Self"] {
            let spec = Spec::parse(
                "specs/odd-v1.yaml".into(),
                SPEC.replace("NAME", name).as_bytes(),
            )
            .unwrap();
            match render(&spec) {
                Err(Error::Unsupported { message, .. }) => assert!(
                    message.starts_with("operation `show_job`: x-waiters: `")
                        && message.ends_with("` is not a Rust identifier"),
                    "{name}: {message}"
                ),
                Err(other) => panic!("{name}: {other}"),
                Ok(_) => panic!("{name}: rendered"),
            }
        }
        let spec = Spec::parse(
            "specs/odd-v1.yaml".into(),
            SPEC.replace("NAME", "job_done").as_bytes(),
        )
        .unwrap();
        assert!(render(&spec).is_ok());
    }
}
