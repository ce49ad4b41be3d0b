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

use super::{
    file::{RenderedFile, header},
    manifest,
};
use crate::{
    error::Error,
    extensions::waiters::client_method,
    model::{Body, Constraints, CrateModel, FieldKind, Operation, parse_type},
    naming::method_name,
    spec::Spec,
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

/// The crate's files: `Cargo.toml` and `src/lib.rs`, from the crate's model. Each command is
/// declared as data (`cloud_runtime::cli::Command`, built into `clap` by the runtime); what stays
/// per operation is the typed code that sets each flag on the builder.
pub(super) fn render(
    spec: &Spec,
    model: &CrateModel,
    version: &str,
) -> Result<Vec<RenderedFile>, Error> {
    let refuse = |operation: &str, message: String, hint: &str| Error::Unsupported {
        path: spec.path.clone(),
        message: format!("command line, `{operation}`: {message}"),
        hint: hint.into(),
    };
    let mut declarations = Vec::new();
    let (mut commands, mut arms, mut helpers) = (Vec::new(), Vec::new(), Vec::new());
    let (mut waiter_commands, mut waiter_arms) = (Vec::new(), Vec::new());
    for operation in &model.operations {
        let id = operation.id.as_str();
        let flags = flags(operation)
            .map_err(|problem| refuse(id, problem, "rename the parameter, or report this"))?;
        let method = operation.method_name();
        let name = method.to_kebab_case();
        let run_fn = format_ident!("run_{method}");
        let declared = format_ident!("COMMAND_{}", method.to_uppercase());
        let method_ident = format_ident!("{method}");
        let (summary, long) = (&operation.summary, &operation.description);
        let paginated = operation.paginate.is_some();
        if operation.error_is_bytes() {
            return Err(refuse(
                id,
                "its error answer is not JSON".into(),
                "declare the error statuses' bodies as JSON",
            ));
        }

        // The body: `--json-body` and a flag per scalar top-level field.
        let taken: BTreeSet<&str> = flags.iter().map(|f| f.flag.as_str()).collect();
        let body = operation
            .body
            .as_ref()
            .map(|body| body_flags(body, &taken))
            .transpose()
            .map_err(|problem| refuse(id, problem, "declare the body as a JSON object schema"))?;
        let (body_flags, body_set) = match (&body, &operation.body) {
            (Some(fields), Some(declared)) => {
                let ty = parse_type(&declared.rust_type);
                let field_flags = fields.iter().map(|(flag, field, help, list)| {
                    declare(flag, &format!("Body field `{field}`. {help}"), false, *list)
                });
                let pairs = fields
                    .iter()
                    .map(|(flag, field, _, _)| quote!((#flag, #field)));
                let missing = if declared.required {
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
                    quote!(Some(&[#(#field_flags),*])),
                    quote! {
                        if let Some(body) = cli::body::<#ty>(matches, &[#(#pairs),*])? {
                            request = request.body(body);
                        } #missing
                    },
                )
            }
            _ => (quote!(None), quote!()),
        };
        let flag_table = flags.iter().map(Flag::declaration);
        declarations.push(quote! {
            const #declared: cli::Command = cli::Command {
                name: #name,
                about: #summary,
                long_about: #long,
                flags: &[#(#flag_table),*],
                body: #body_flags,
                all: #paginated,
                wait: false,
            };
        });

        let sets: Vec<TokenStream> = flags.iter().map(|f| set_on(f, quote!(request))).collect();
        let send = if operation.cancel.is_some() {
            quote! {
                let result = request.send().await;
                let outcomes = api::CancelOutcomeExt::cancel_outcomes(&result);
                cli::cancelled(result, outcomes)
            }
        } else if operation.success_is_bytes() {
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
        let (context, matches) =
            parameter_names(&flags, body.is_some() || paginated || !flags.is_empty());
        helpers.push(quote! {
            async fn #run_fn(client: &api::Client, #context: &cli::Context, #matches: &clap::ArgMatches) -> cli::Outcome {
                let mut request = client.#method_ident();
                #(#sets)*
                #body_set
                #stream
                #send
            }
        });
        commands.push(quote!(#declared));
        arms.push(quote!(Some((#name, matches)) => #run_fn(&client, context, matches).await,));

        // Each waiter polling this operation: `wait <name>`, the same parameter flags.
        for waiter in &operation.waiters {
            let waiter = &waiter.declared;
            let wait_name = waiter.name.to_kebab_case();
            let wait_method = format_ident!("{}", client_method(&waiter.name));
            let wait_declared = format_ident!("WAIT_{}", method_name(&waiter.name).to_uppercase());
            let run_fn = format_ident!("wait_{}", method_name(&waiter.name));
            let about = format!(
                "Wait until `{}` says the job is {} (`x-waiters` `{}`); the phase and time on standard error while waiting",
                name,
                waiter.success.clone().unwrap_or_default().join(" or "),
                waiter.name
            );
            let sets = flags.iter().map(|flag| set_on(flag, quote!(waiter)));
            let (context, _) = parameter_names(&flags, true);
            declarations.push(quote! {
                const #wait_declared: cli::Command = cli::Command {
                    name: #wait_name,
                    about: #about,
                    long_about: "",
                    flags: #declared.flags,
                    body: None,
                    all: false,
                    wait: true,
                };
            });
            helpers.push(quote! {
                async fn #run_fn(client: &api::Client, #context: &cli::Context, matches: &clap::ArgMatches) -> cli::Outcome {
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
            waiter_commands.push(quote!(#wait_declared));
            waiter_arms.push(
                quote!(Some((#wait_name, matches)) => #run_fn(&client, context, matches).await,),
            );
        }
    }

    let lib = &model.lib;
    let api = format_ident!("{lib}");
    let service = &model.crate_name;
    let about = format!(
        "{} (API {}): every operation of {}",
        model.title, model.api_version, model.spec
    );
    let wait_arm = if waiter_commands.is_empty() {
        quote!()
    } else {
        quote! {
            Some(("wait", matches)) => match matches.subcommand() {
                #(#waiter_arms)*
                _ => Err(cli::Failure::usage("no waiter named: see `wait --help`")),
            },
        }
    };
    let tokens = quote! {
        use cloud_runtime::cli;
        use #api as api;
        #[allow(unused_imports)]
        use api::types;

        /// The service's name on the command line.
        pub const NAME: &str = #service;

        /// The service's command: one subcommand per operation, and `wait`.
        pub fn command() -> clap::Command {
            cli::service(NAME, #about, &[#(#commands),*], &[#(#waiter_commands),*])
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

        #(#declarations)*

        #(#helpers)*
    };
    let code = crate::formatting::format(tokens).map_err(|e| Error::Format {
        path: spec.path.clone(),
        message: format!("command line: {e}"),
    })?;
    let mut lib_rs = header(spec, "//");
    lib_rs.push_str("#![cfg_attr(rustfmt, rustfmt::skip)]\n#![allow(clippy::all)]\n");
    lib_rs.push_str(&format!(
        "//! The command line of [`{lib}`]: `cloudjobs {service} <operation> --flag value ...`.\n//! Generated beside the client from the same spec; see `cloud_runtime::cli` for the exit codes.\n\n"
    ));
    lib_rs.push_str(&code);
    let dir = std::path::PathBuf::from(crate_name(spec));
    Ok(vec![
        RenderedFile {
            path: dir.join("Cargo.toml"),
            contents: manifest(spec, version)?,
        },
        RenderedFile {
            path: dir.join("src/lib.rs"),
            contents: lib_rs,
        },
    ])
}

/// The program's own option, which a `project_id` parameter's flag falls back to.
const PROJECT_FLAG: &str = "project-id";

/// A run function's `context` and `matches`, `_`-prefixed where its body does not read them.
fn parameter_names(flags: &[Flag], reads_matches: bool) -> (syn::Ident, syn::Ident) {
    let context = if flags.iter().any(|f| f.project) {
        format_ident!("context")
    } else {
        format_ident!("_context")
    };
    let matches = if reads_matches {
        format_ident!("matches")
    } else {
        format_ident!("_matches")
    };
    (context, matches)
}

/// One entry of a command's flag table.
fn declare(flag: &str, help: &str, required: bool, list: bool) -> TokenStream {
    let constructor = if list && required {
        format_ident!("required_repeated")
    } else if list {
        format_ident!("repeated")
    } else if required {
        format_ident!("required")
    } else {
        format_ident!("optional")
    };
    quote!(cli::Flag::#constructor(#flag, #help))
}

/// The parameters of an operation as flags, typed by the builder's setters; two parameters
/// with one flag, or a parameter named like a reserved flag, cannot both be given.
fn flags(operation: &Operation) -> Result<Vec<Flag>, String> {
    let mut flags = Vec::new();
    let mut seen = BTreeSet::new();
    for parameter in &operation.parameters {
        // A parameter named like a flag every command keeps (`all`) is given by its place:
        // `--query-all`. Setter names are unique (lint rule `rust-name`), so flags are too.
        let mut flag = parameter.setter.trim_end_matches('_').to_kebab_case();
        if RESERVED_FLAGS.contains(&flag.as_str()) {
            flag = format!("{}-{flag}", parameter.location);
        }
        if !seen.insert(flag.clone()) {
            return Err(format!(
                "parameter `{}` would be flag `--{flag}`, which is taken",
                parameter.name
            ));
        }
        flags.push(Flag {
            // Whatever the parameter's spelling, a flag named like the program's own
            // `--project-id` falls back to it; one predicate for the table and the run function.
            project: flag == PROJECT_FLAG,
            required: parameter.required,
            help: help(&parameter.description, &parameter.constraints),
            setter: format_ident!("{}", parameter.setter),
            ty: parse_type(&parameter.rust_type),
            flag,
        });
    }
    Ok(flags)
}

/// How long a flag's help may grow before its sentences stop.
const HELP_CHARS: usize = 300;

/// A flag's help: the description's first paragraph in whole sentences (as many as fit in
/// [`HELP_CHARS`]; a first sentence longer than that ends at a word, with `…`), and the
/// constraints a value is checked against. A description wraps across lines, so its first line
/// alone ends mid-sentence.
fn help(description: &str, constraints: &Constraints) -> String {
    let mut text = sentences(description, HELP_CHARS);
    let mut said = Vec::new();
    if !constraints.values.is_empty() {
        said.push(format!("one of {}", constraints.values.join(", ")));
    }
    match (&constraints.minimum, &constraints.maximum) {
        (Some(min), Some(max)) => said.push(format!("{min}..={max}")),
        (Some(min), None) => said.push(format!(">= {min}")),
        (None, Some(max)) => said.push(format!("<= {max}")),
        (None, None) => {}
    }
    if let Some(max) = &constraints.max_length {
        said.push(format!("at most {max} characters"));
    }
    if let Some(pattern) = &constraints.pattern {
        // The path-segment rule codegen adds (codegen/src/path_segments.rs) said in words; any
        // other pattern as the spec gives it.
        if pattern.contains(r"(?!\.\.?$)") {
            said.push(
                "one path segment: not `.` or `..`, no `/`, `\\` or control characters".to_owned(),
            );
        } else {
            said.push(format!("matching {pattern}"));
        }
    }
    if !said.is_empty() {
        text.push_str(&format!(" [{}]", said.join("; ")));
    }
    text
}

/// The whole sentences of `description`'s first paragraph that fit in `limit` characters, its
/// lines joined; a first sentence longer than that ends at a word, with `…`.
fn sentences(description: &str, limit: usize) -> String {
    let paragraph = description
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if paragraph.chars().count() <= limit {
        return paragraph;
    }
    // Sentence ends: `. ` (or `? `, `! `) after a word of more than one letter (not `e.g.`).
    let mut end = None;
    for (at, _) in paragraph.match_indices(['.', '?', '!']) {
        if paragraph[..=at].chars().count() > limit {
            break;
        }
        let next = paragraph[at + 1..].chars().next();
        let word = paragraph[..at].rsplit(' ').next().unwrap_or_default();
        if next == Some(' ') && word.chars().count() > 1 && !word.contains('.') {
            end = Some(at + 1);
        }
    }
    if let Some(end) = end {
        return paragraph[..end].to_owned();
    }
    let mut cut = String::new();
    for word in paragraph.split(' ') {
        if cut.chars().count() + word.chars().count() + 2 > limit {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    cut.push('…');
    cut
}

impl Flag {
    /// Its entry in the command's flag table; `--project-id` falls back to the program's.
    fn declaration(&self) -> TokenStream {
        let help = if self.project {
            format!("{} (default: the program's --project-id)", self.help)
        } else {
            self.help.clone()
        };
        declare(
            &self.flag,
            &help,
            self.required && !self.project,
            is_list(&self.ty),
        )
    }
}

/// Sets one flag's value on `target` (the operation's builder, or a waiter's).
fn set_on(flag: &Flag, target: TokenStream) -> TokenStream {
    let Flag {
        flag,
        setter,
        ty,
        project,
        ..
    } = flag;
    if *project {
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

/// The flags of a JSON body's scalar top-level fields, as `(flag, field, help, repeated)`;
/// secret fields only through `--json-body`, so a password never lands in a shell's history.
type BodyFlag = (String, String, String, bool);

fn body_flags(body: &Body, taken: &BTreeSet<&str>) -> Result<Vec<BodyFlag>, String> {
    if !body.is_json() {
        return Err(format!(
            "its request body is {}, not JSON",
            body.media.join(", ")
        ));
    }
    let mut fields: Vec<BodyFlag> = Vec::new();
    for field in &body.fields {
        if field.secret || field.kind == FieldKind::Structured {
            continue;
        }
        let plain = field.name.to_kebab_case();
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
                "body field `{}` would be flag `--{flag}`, which is taken",
                field.name
            ));
        }
        let help = help(&field.description, &field.constraints);
        fields.push((
            flag,
            field.name.clone(),
            help,
            field.kind == FieldKind::List,
        ));
    }
    Ok(fields)
}

pub(super) fn manifest(spec: &Spec, version: &str) -> Result<String, Error> {
    let mut dependencies = toml::Table::new();
    let (client, path) = manifest::client(spec, version);
    dependencies.insert(client, path);
    dependencies.insert("cloud-runtime".into(), manifest::workspace(&["cli"]));
    dependencies.insert("clap".into(), manifest::workspace(&[]));
    let description = format!(
        "Command line for {} (API {}), generated from {}",
        spec.openapi.info.title,
        spec.openapi.info.version,
        spec.display_path()
    );
    manifest::manifest(
        spec,
        manifest::Kind::CommandLine,
        &crate_name(spec),
        version,
        description,
        dependencies,
        toml::Table::new(),
    )
}

#[cfg(test)]
mod tests {
    /// Help is whole sentences: a description wrapped over lines is joined, cut after the last
    /// sentence that fits, or at a word with `…` when even the first does not.
    #[test]
    fn flag_help_is_never_cut_mid_sentence() {
        let long_word_run = "word ".repeat(80);
        let cases: &[(&str, usize, &str)] = &[
            ("Page number.", 300, "Page number."),
            (
                "Queue to run on; same character\nrules as `currentdb`.",
                300,
                "Queue to run on; same character rules as `currentdb`.",
            ),
            (
                "First sentence here. Second one is longer than the limit allows here.",
                30,
                "First sentence here.",
            ),
            (
                "Keys, e.g. `a.b`, are set. Then more text follows on and on.",
                30,
                "Keys, e.g. `a.b`, are set.",
            ),
            (
                "One paragraph.\n\nAnother paragraph.",
                300,
                "One paragraph.",
            ),
            (&long_word_run, 30, "word word word word word word…"),
        ];
        for (description, limit, expected) in cases {
            let said = super::sentences(description, *limit);
            assert_eq!(said, *expected, "{description:?}");
            assert!(said.chars().count() <= *limit, "{said}");
        }
    }

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
        let rendered = crate::render::render(&spec, None).unwrap();
        let lib = &rendered
            .files
            .iter()
            .find(|f| f.path.ends_with("t-v1-cli/src/lib.rs"))
            .unwrap()
            .contents;
        // The first string of each `cli::Flag::<arity>(name, help)` is the flag.
        let declared: Vec<&str> = lib
            .split("cli::Flag::")
            .skip(1)
            .filter_map(|entry| entry.split('"').nth(1))
            .collect();
        assert_eq!(
            declared,
            [
                "project-id",
                "query-all",
                "header-json-body",
                "page-size",
                "name",
                "body-page-size",
                "tags"
            ],
            "a secret field has no flag"
        );
        assert!(
            lib.contains("body: Some("),
            "the body is read from --json-body"
        );
        assert!(lib.contains("[1..=100]"), "the range is in the help");
    }
}
