//! The command-line crate beside each client (`generated/<crate>-cli`): one subcommand per
//! operation, one flag per parameter, the JSON body from a file, standard input or per-field
//! flags, `--all` on every list with `.stream()`, and a `wait` subcommand per waiter. What the
//! commands share (reading flags, printing, exit codes) is `cloud_runtime::cli`.
//!
//! progenitor's own `Generator::cli` is not used: it needs `schemars::JsonSchema` on every type
//! (a dependency of every client crate), reads no body from standard input, and knows nothing of
//! waiters, streams or cancel outcomes. The flag types are read from progenitor's builders (the
//! setters' `TryInto<T>` bounds), so a flag's value goes through the same checks as a call's.

use std::collections::BTreeSet;

use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::{header, manifest, spec_path_display};
use crate::{
    diagnostics::segment,
    error::Error,
    extensions::waiters::{Waiter, client_method},
    naming::{builder_name, method_name, setter_name},
    progenitor_output::{Builder, builders},
    secrets,
    spec::Spec,
    spec_json::resolve,
};

/// The command-line crate of a spec: `<crate>-cli`.
pub fn crate_name(spec: &Spec) -> String {
    crate::crate_names::outputs(&spec.crate_name())[1].clone()
}

/// Flags every operation command may carry besides its parameters.
const RESERVED_FLAGS: &[&str] = &["json-body", "all", "max-wait", "poll-interval", "help"];

/// Whether `ty` is a `Vec<..>` (a repeated flag).
fn is_list(ty: &syn::Type) -> bool {
    quote!(#ty).to_string().contains("Vec <")
}

/// One parameter as a flag.
struct Flag {
    flag: String,
    setter: syn::Ident,
    ty: syn::Type,
    required: bool,
    help: String,
    /// `project_id`: falls back to the program's `--project-id`.
    project: bool,
}

/// The crate's files: `Cargo.toml` and `src/lib.rs`.
pub(super) fn render(spec: &Spec, file: &syn::File) -> Result<Vec<super::RenderedFile>, Error> {
    let refuse = |operation: &str, message: String, hint: &str| Error::Unsupported {
        path: spec.path.clone(),
        message: format!("command line, `{operation}`: {message}"),
        hint: hint.into(),
    };
    let document = serde_json::to_value(&spec.openapi).unwrap_or_default();
    let builders = builders(file);
    let mut commands = Vec::new();
    let mut arms = Vec::new();
    let mut helpers = Vec::new();
    let mut waiter_commands = Vec::new();
    let mut waiter_arms = Vec::new();
    for (method, route, op) in spec.operations() {
        let Some(id) = op.operation_id.as_deref() else {
            continue;
        };
        let op_json = document
            .pointer(&format!("/paths/{}/{method}", segment(route)))
            .unwrap_or(&Value::Null);
        let Some(builder) = builders.get(&builder_name(id)) else {
            return Err(refuse(
                id,
                "progenitor made no builder for it".into(),
                "report this",
            ));
        };
        let flags = flags(&document, op_json, builder)
            .map_err(|problem| refuse(id, problem, "rename the parameter, or report this"))?;
        let name = method_name(id).to_kebab_case();
        let run_fn = format_ident!("run_{}", method_name(id));
        let command_fn = format_ident!("command_{}", method_name(id));
        let method_ident = format_ident!("{}", method_name(id));
        let summary = op.summary.clone().unwrap_or_default();
        let long = op.description.clone().unwrap_or_default();
        let paginated = op.extensions.contains_key(crate::extensions::paginate::KEY);
        let cancel = op.extensions.contains_key(crate::extensions::cancel::KEY);
        let (bytes, error_bytes) = builder.answers_bytes();
        if error_bytes {
            return Err(refuse(
                id,
                "its error answer is not JSON".into(),
                "declare the error statuses' bodies as JSON",
            ));
        }

        // The body: `--json-body` and a flag per scalar top-level field.
        let taken: BTreeSet<&str> = flags.iter().map(|f| f.flag.as_str()).collect();
        let body = request_body(&document, op_json, &taken)
            .map_err(|problem| refuse(id, problem, "declare the body as a JSON object schema"))?;
        let (body_args, body_set) = match (&body, builder.setters.get("body")) {
            (Some(body), Some(ty)) => {
                let field_args = body.fields.iter().map(|(flag, field, help, list)| {
                    let action = if *list {
                        quote!(.action(clap::ArgAction::Append))
                    } else {
                        quote!()
                    };
                    let help = format!("Body field `{field}`. {help}");
                    quote! {
                        .arg(clap::Arg::new(#flag).long(#flag).value_name("VALUE").help(#help) #action)
                    }
                });
                let pairs = body
                    .fields
                    .iter()
                    .map(|(flag, field, _, _)| quote!((#flag, #field)));
                let missing = if body.required {
                    quote! {
                        else {
                            return Err(cli::Failure::usage(
                                "this operation needs a request body: --json-body FILE (- for standard input), or its field flags",
                            ));
                        }
                    }
                } else {
                    quote!()
                };
                (
                    quote! {
                        .arg(clap::Arg::new("json-body").long("json-body").value_name("FILE")
                            .help("The request body as JSON, from FILE or - for standard input; field flags are set on it"))
                        #(#field_args)*
                    },
                    quote! {
                        if let Some(body) = cli::body::<#ty>(matches, &[#(#pairs),*])? {
                            request = request.body(body);
                        } #missing
                    },
                )
            }
            (Some(_), None) => {
                return Err(refuse(
                    id,
                    "its body has no `body` setter".into(),
                    "report this",
                ));
            }
            (None, _) => (quote!(), quote!()),
        };

        let args = flags.iter().map(arg);
        let sets: Vec<TokenStream> = flags.iter().map(set).collect();
        let all_arg = if paginated {
            quote! {
                .arg(clap::Arg::new("all").long("all").action(clap::ArgAction::SetTrue)
                    .help("Every item of every page, one JSON value per line, as each page arrives"))
            }
        } else {
            quote!()
        };
        let send = if cancel {
            quote! {
                let result = request.send().await;
                let outcomes = api::CancelOutcomeExt::cancel_outcomes(&result);
                cli::cancelled(result, outcomes)
            }
        } else if bytes {
            quote!(cli::answer_bytes(request.send().await).await)
        } else {
            quote!(cli::answer(request.send().await))
        };
        let stream = if paginated {
            quote! {
                if matches.get_flag("all") {
                    return cli::all(request.stream()).await;
                }
            }
        } else {
            quote!()
        };
        helpers.push(quote! {
            fn #command_fn() -> clap::Command {
                clap::Command::new(#name)
                    .about(#summary)
                    .long_about(#long)
                    #(#args)*
                    #body_args
                    #all_arg
            }

            async fn #run_fn(
                client: &api::Client,
                context: &cli::Context,
                matches: &clap::ArgMatches,
            ) -> cli::Outcome {
                let _ = (context, matches);
                let mut request = client.#method_ident();
                #(#sets)*
                #body_set
                #stream
                #send
            }
        });
        commands.push(quote!(.subcommand(#command_fn())));
        arms.push(quote!(Some((#name, matches)) => #run_fn(&client, context, matches).await,));

        // Each waiter polling this operation: `wait <name>`, the same parameter flags.
        let waiters =
            Waiter::read_all(op).map_err(|problem| refuse(id, problem, "fix `x-waiters`"))?;
        for waiter in waiters {
            let wait_name = waiter.name.to_kebab_case();
            let wait_method = format_ident!("{}", client_method(&waiter.name));
            let command_fn = format_ident!("wait_command_{}", method_name(&waiter.name));
            let run_fn = format_ident!("wait_{}", method_name(&waiter.name));
            let about = format!(
                "Wait until `{}` says the job is {} (`x-waiters` `{}`); the phase and time on standard error while waiting",
                name,
                waiter.success.clone().unwrap_or_default().join(" or "),
                waiter.name
            );
            let args = flags.iter().map(arg);
            let sets = flags.iter().map(|flag| set_on(flag, quote!(waiter)));
            helpers.push(quote! {
                fn #command_fn() -> clap::Command {
                    clap::Command::new(#wait_name)
                        .about(#about)
                        #(#args)*
                        .arg(clap::Arg::new("max-wait").long("max-wait").value_name("DURATION")
                            .help("How long to wait in all: 90s, 10m, 2h (default 30m)"))
                        .arg(clap::Arg::new("poll-interval").long("poll-interval").value_name("DURATION")
                            .help("The first interval between polls (default 2s); it grows by half each poll"))
                }

                async fn #run_fn(
                    client: &api::Client,
                    context: &cli::Context,
                    matches: &clap::ArgMatches,
                ) -> cli::Outcome {
                    let _ = context;
                    let mut waiter = client.#wait_method();
                    #(#sets)*
                    if let Some(raw) = cli::value(matches, "max-wait") {
                        waiter = waiter.max_wait(cli::duration("max-wait", raw)?);
                    }
                    if let Some(raw) = cli::value(matches, "poll-interval") {
                        waiter = waiter.poll_interval(cli::duration("poll-interval", raw)?);
                    }
                    if let Some(progress) = cli::progress() {
                        waiter = waiter.on_poll(move |reading, waited| progress(reading, waited));
                    }
                    cli::waited(waiter.send().await)
                }
            });
            waiter_commands.push(quote!(.subcommand(#command_fn())));
            waiter_arms.push(
                quote!(Some((#wait_name, matches)) => #run_fn(&client, context, matches).await,),
            );
        }
    }

    let lib = spec.lib_name();
    let api = format_ident!("{lib}");
    let service = spec.crate_name();
    let about = format!(
        "{} (API {}): every operation of {}",
        spec.openapi.info.title,
        spec.openapi.info.version,
        spec_path_display(spec)
    );
    let wait = if waiter_commands.is_empty() {
        (quote!(), quote!())
    } else {
        (
            quote! {
                .subcommand(
                    clap::Command::new("wait")
                        .about("Wait until a job reaches a phase (from the spec's `x-waiters`)")
                        .subcommand_required(true)
                        #(#waiter_commands)*
                )
            },
            quote! {
                Some(("wait", matches)) => match matches.subcommand() {
                    #(#waiter_arms)*
                    _ => Err(cli::Failure::usage("no waiter named: see `wait --help`")),
                },
            },
        )
    };
    let (wait_command, wait_arm) = wait;
    let tokens = quote! {
        use cloud_runtime::cli;
        use #api as api;
        #[allow(unused_imports)]
        use api::types;

        /// The service's name on the command line.
        pub const NAME: &str = #service;

        /// The service's command: one subcommand per operation, and `wait`.
        pub fn command() -> clap::Command {
            clap::Command::new(NAME)
                .about(#about)
                .subcommand_required(true)
                #(#commands)*
                #wait_command
        }

        /// Runs the operation `matches` names (from [`command`]) through `context`.
        pub async fn run(context: &cli::Context, matches: &clap::ArgMatches) -> cli::Outcome {
            let client = api::Client::with_runtime(&context.base_url(&api::SERVICE)?, context.runtime.clone());
            match matches.subcommand() {
                #(#arms)*
                #wait_arm
                _ => Err(cli::Failure::usage("no operation named: see --help")),
            }
        }

        #(#helpers)*
    };
    let parsed = syn::parse2::<syn::File>(tokens).map_err(|e| Error::Format {
        path: spec.path.clone(),
        message: format!("command line: {e}"),
    })?;
    let mut lib_rs = header(spec, "//");
    lib_rs.push_str("#![cfg_attr(rustfmt, rustfmt::skip)]\n#![allow(clippy::all)]\n");
    lib_rs.push_str(&format!(
        "//! The command line of [`{lib}`]: `cloudjobs {service} <operation> --flag value ...`.\n//! Generated beside the client from the same spec; see `cloud_runtime::cli` for the exit codes.\n\n"
    ));
    lib_rs.push_str(&prettyplease::unparse(&parsed));
    let dir = std::path::PathBuf::from(crate_name(spec));
    Ok(vec![
        super::RenderedFile {
            path: dir.join("Cargo.toml"),
            contents: manifest(spec)?,
        },
        super::RenderedFile {
            path: dir.join("src/lib.rs"),
            contents: lib_rs,
        },
    ])
}

/// The parameters of `op` as flags, typed by the builder's setters; two parameters with one
/// flag, or a parameter named like a reserved flag, cannot both be given.
fn flags(document: &Value, op: &Value, builder: &Builder) -> Result<Vec<Flag>, String> {
    let mut flags = Vec::new();
    let mut seen = BTreeSet::new();
    for parameter in op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let parameter = resolve(document, parameter);
        let Some(name) = parameter.get("name").and_then(Value::as_str) else {
            continue;
        };
        let setter = setter_name(name);
        let Some(ty) = builder.setters.get(&setter) else {
            return Err(format!(
                "parameter `{name}` has no builder setter `{setter}`"
            ));
        };
        // A parameter named like a flag every command keeps (`all`) is given by its place:
        // `--query-all`. Setter names are unique (lint rule `rust-name`), so flags are too.
        let mut flag = setter.trim_end_matches('_').to_kebab_case();
        if RESERVED_FLAGS.contains(&flag.as_str()) {
            let place = parameter
                .get("in")
                .and_then(Value::as_str)
                .unwrap_or("param");
            flag = format!("{place}-{flag}");
        }
        if !seen.insert(flag.clone()) {
            return Err(format!(
                "parameter `{name}` would be flag `--{flag}`, which is taken"
            ));
        }
        let schema = resolve(document, parameter.get("schema").unwrap_or(&Value::Null));
        flags.push(Flag {
            project: name == "project_id",
            required: parameter.get("required").and_then(Value::as_bool) == Some(true),
            help: help(document, parameter.get("description"), schema),
            setter: format_ident!("{setter}"),
            ty: ty.clone(),
            flag,
        });
    }
    Ok(flags)
}

/// A flag's help: the description's first line, and the constraints a value is checked against.
fn help(document: &Value, description: Option<&Value>, schema: &Value) -> String {
    let first = description
        .and_then(Value::as_str)
        .and_then(|d| d.lines().next())
        .unwrap_or_default();
    let mut text: String = first.chars().take(300).collect();
    let mut constraints = Vec::new();
    let values = schema
        .get("enum")
        .or_else(|| {
            schema
                .get("oneOf")
                .or(schema.get("anyOf"))
                .and_then(Value::as_array)
                .and_then(|branches| branches.first())
                .map(|known| resolve(document, known))
                .and_then(|known| known.get("enum"))
        })
        .and_then(Value::as_array);
    if let Some(values) = values {
        let words: Vec<String> = values
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect();
        constraints.push(format!("one of {}", words.join(", ")));
    }
    match (schema.get("minimum"), schema.get("maximum")) {
        (Some(min), Some(max)) => constraints.push(format!("{min}..={max}")),
        (Some(min), None) => constraints.push(format!(">= {min}")),
        (None, Some(max)) => constraints.push(format!("<= {max}")),
        (None, None) => {}
    }
    if let Some(max) = schema.get("maxLength") {
        constraints.push(format!("at most {max} characters"));
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        constraints.push(format!("matching {pattern}"));
    }
    if !constraints.is_empty() {
        text.push_str(&format!(" [{}]", constraints.join("; ")));
    }
    text
}

fn arg(flag: &Flag) -> TokenStream {
    let Flag {
        flag,
        help,
        ty,
        required,
        project,
        ..
    } = flag;
    let help = if *project {
        format!("{help} (default: the program's --project-id)")
    } else {
        help.clone()
    };
    let required = *required && !project;
    let action = if is_list(ty) {
        quote!(.action(clap::ArgAction::Append))
    } else {
        quote!()
    };
    quote! {
        .arg(clap::Arg::new(#flag).long(#flag).value_name("VALUE").help(#help).required(#required) #action)
    }
}

fn set(flag: &Flag) -> TokenStream {
    set_on(flag, quote!(request))
}

/// Sets one flag's value on `target` (the operation's builder, or a waiter's).
fn set_on(flag: &Flag, target: TokenStream) -> TokenStream {
    let Flag {
        flag, setter, ty, ..
    } = flag;
    if flag_is_project(flag) {
        return quote! {
            #target = #target.#setter(cli::parse::<#ty>(#flag, &context.project_id(matches)?)?);
        };
    }
    if is_list(ty) {
        quote! {
            if let Some(value) = cli::parse_list::<#ty>(matches, #flag)? {
                #target = #target.#setter(value);
            }
        }
    } else {
        quote! {
            if let Some(raw) = cli::value(matches, #flag) {
                #target = #target.#setter(cli::parse::<#ty>(#flag, raw)?);
            }
        }
    }
}

fn flag_is_project(flag: &str) -> bool {
    flag == "project-id"
}

/// A JSON request body: whether it is required, and its scalar top-level fields as flags
/// (`(flag, field, help, repeated)`); secret fields only through `--json-body`, so a password
/// never lands in a shell's history.
struct Body {
    required: bool,
    fields: Vec<(String, String, String, bool)>,
}

fn request_body(
    document: &Value,
    op: &Value,
    taken: &BTreeSet<&str>,
) -> Result<Option<Body>, String> {
    let Some(request) = op.get("requestBody").map(|b| resolve(document, b)) else {
        return Ok(None);
    };
    let Some(content) = request.get("content").and_then(Value::as_object) else {
        return Ok(None);
    };
    let Some(media) = content.get("application/json") else {
        return Err(format!(
            "its request body is {}, not JSON",
            content.keys().cloned().collect::<Vec<_>>().join(", ")
        ));
    };
    let schema = resolve(document, media.get("schema").unwrap_or(&Value::Null));
    let mut fields: Vec<(String, String, String, bool)> = Vec::new();
    for (field, property) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let property = resolve(document, property);
        if secrets::is_secret(property) {
            continue;
        }
        let kind = |schema: &Value| {
            let schema = resolve(document, schema);
            match schema.get("type").and_then(Value::as_str) {
                Some("string" | "integer" | "number" | "boolean") => true,
                None => schema
                    .get("anyOf")
                    .or(schema.get("oneOf"))
                    .is_some_and(|branches| {
                        branches.as_array().into_iter().flatten().all(|b| {
                            resolve(document, b).get("type").and_then(Value::as_str)
                                == Some("string")
                        })
                    }),
                _ => false,
            }
        };
        let list = property.get("type").and_then(Value::as_str) == Some("array")
            && property.get("items").is_some_and(kind);
        if !list && !kind(property) {
            continue;
        }
        let plain = field.to_kebab_case();
        let flag = if taken.contains(plain.as_str()) || RESERVED_FLAGS.contains(&plain.as_str()) {
            format!("body-{plain}")
        } else {
            plain
        };
        if flag.is_empty()
            || taken.contains(flag.as_str())
            || fields.iter().any(|(f, ..)| f == &flag)
        {
            return Err(format!(
                "body field `{field}` would be flag `--{flag}`, which is taken"
            ));
        }
        let help = help(document, property.get("description"), property);
        fields.push((flag, field.clone(), help, list));
    }
    Ok(Some(Body {
        required: request.get("required").and_then(Value::as_bool) == Some(true),
        fields,
    }))
}

fn manifest(spec: &Spec) -> Result<String, Error> {
    let mut dependencies = toml::Table::new();
    let (client, path) = manifest::client(spec);
    dependencies.insert(client, path);
    dependencies.insert("cloud-runtime".into(), manifest::workspace(&["cli"]));
    dependencies.insert("clap".into(), manifest::workspace(&[]));
    let description = format!(
        "Command line for {} (API {}), generated from {}",
        spec.openapi.info.title,
        spec.openapi.info.version,
        spec_path_display(spec)
    );
    manifest::manifest(spec, &crate_name(spec), description, dependencies)
}

#[cfg(test)]
mod tests {
    /// Flags from parameter names: kebab case; one named like a reserved flag gets its place;
    /// body fields colliding with a parameter get `body-`; secret fields get none.
    #[test]
    fn flags_never_collide() {
        let yaml = r#"
openapi: 3.0.3
info: {title: t, version: v1}
servers: [{url: 'https://t.example.com'}]
paths:
  /v1/{project_id}/jobs:
    post:
      operationId: create_job
      parameters:
        - {name: project_id, in: path, required: true, schema: {type: string}}
        - {name: all, in: query, schema: {type: boolean}}
        - {name: json-body, in: header, schema: {type: string}}
        - {name: page_size, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                page_size: {type: integer}
                name: {type: string}
                password: {type: string, format: password, writeOnly: true}
                tags: {type: array, items: {type: string}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}
"#;
        let spec = crate::Spec::parse("specs/t-v1.yaml".into(), yaml.as_bytes()).unwrap();
        let rendered = crate::render::render(&spec).unwrap();
        let lib = &rendered
            .files
            .iter()
            .find(|f| f.path.ends_with("t-v1-cli/src/lib.rs"))
            .unwrap()
            .contents;
        for flag in [
            "project-id",
            "query-all",
            "header-json-body",
            "page-size",
            "body-page-size",
            "name",
            "tags",
            "json-body",
        ] {
            assert!(lib.contains(&format!(".long(\"{flag}\")")), "no --{flag}");
        }
        assert!(
            !lib.contains(".long(\"password\")"),
            "a secret field has a flag"
        );
        assert!(lib.contains("[1..=100]"), "the range is in the help");
    }
}
