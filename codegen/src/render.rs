//! Renders one spec into the files of its client crate: `Cargo.toml` and `src/lib.rs`.
//!
//! Output depends only on the spec bytes and the pinned progenitor/prettyplease versions: no
//! timestamps, no absolute paths, no hash-map iteration order.

use std::{fmt::Write as _, path::PathBuf};

use crate::{PROGENITOR_VERSION, error::Error, progenitor_run, spec::Spec};

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
    let generated = progenitor_run::generate(spec)?;
    let file = syn::parse2::<syn::File>(generated.tokens).map_err(|e| Error::Format {
        path: spec.path.clone(),
        message: e.to_string(),
    })?;
    let code = prettyplease::unparse(&file);

    let dir = PathBuf::from(spec.crate_name());
    Ok(RenderedCrate {
        crate_name: spec.crate_name(),
        spec_path: spec.path.clone(),
        operations: spec.operations().count(),
        files: vec![
            RenderedFile {
                path: dir.join("Cargo.toml"),
                contents: cargo_toml(spec, &generated.extra_dependencies),
            },
            RenderedFile {
                path: dir.join("src/lib.rs"),
                contents: lib_rs(spec, &code),
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

fn cargo_toml(spec: &Spec, extra_dependencies: &[&str]) -> String {
    let mut out = header(spec, "#");
    let _ = write!(
        out,
        "\n[package]\n\
         name = \"{name}\"\n\
         description = {description}\n\
         version.workspace = true\n\
         edition.workspace = true\n\
         rust-version.workspace = true\n\
         license.workspace = true\n\
         publish.workspace = true\n\
         \n[dependencies]\n\
         progenitor-client.workspace = true\n\
         reqwest.workspace = true\n\
         serde.workspace = true\n\
         serde_json.workspace = true\n",
        name = spec.crate_name(),
        description = toml_string(&format!(
            "Typed client for {} (API {}), generated from {}",
            spec.openapi.info.title,
            spec.openapi.info.version,
            spec_path_display(spec)
        )),
    );
    for dep in extra_dependencies {
        let _ = writeln!(out, "{dep}.workspace = true");
    }
    out
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise") // a JSON string is a valid TOML basic string
}

fn lib_rs(spec: &Spec, code: &str) -> String {
    let mut out = header(spec, "//");
    // prettyplease is the one formatter of generated code; rustfmt must not reformat it.
    out.push_str("#![cfg_attr(rustfmt, rustfmt::skip)]\n");
    // progenitor marks its modules `allow(clippy::all)` but not `impl Client`, where multi-line
    // spec descriptions become doc comments clippy dislikes. Findings here are fixed in the spec
    // or in codegen, never in this file; rustc's own warnings stay on.
    out.push_str("#![allow(clippy::all)]\n");
    out.push_str(&crate_docs(spec));
    out.push('\n');
    out.push_str(code);
    out.push_str(CLIENT_HOOKS);
    out
}

/// Emitted into every crate (the orphan rule keeps it out of a shared crate). progenitor adds an
/// `api-version` header to every request; the vendor's SDKs send none, so it is removed before
/// the request leaves. This impl for `Client` takes precedence over progenitor's default for
/// `&Client`.
const CLIENT_HOOKS: &str = "
/// Request hooks: requests carry only the headers the vendor's own SDKs send.
impl ClientHooks<()> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> std::result::Result<(), Error<E>> {
        request.headers_mut().remove(\"api-version\");
        Ok(())
    }
}
";

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
";

fn crate_docs(spec: &Spec) -> String {
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
            op.operation_id.as_deref().unwrap_or_default(),
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

/// `.name("example")` for each required parameter, or `None` when one has no string example.
fn example_call(spec: &Spec, op: &openapiv3::Operation) -> Option<String> {
    let mut call = String::new();
    for parameter in spec.parameters(op) {
        let data = parameter.parameter_data_ref();
        if !data.required {
            continue;
        }
        let value = data.example.as_ref()?.as_str()?;
        let _ = write!(call, "\n    .{}({:?})", data.name, value);
    }
    Some(call)
}

/// A compiled (not run: it needs credentials and the network) example: the first read
/// operation (GET, no body) whose required parameters all have string examples, called with them.
fn example(spec: &Spec) -> Option<String> {
    let (operation_id, call) = spec
        .operations()
        .filter(|(method, _, op)| *method == "get" && op.request_body.is_none())
        .find_map(|(_, _, op)| Some((op.operation_id.as_deref()?, example_call(spec, op)?)))?;
    let lib = spec.lib_name();
    let base_url = spec
        .openapi
        .servers
        .first()
        .map(|server| {
            let mut url = server.url.clone();
            for (name, variable) in server.variables.iter().flatten() {
                url = url.replace(&format!("{{{name}}}"), &variable.default);
            }
            url
        })
        .unwrap_or_else(|| "https://example.invalid".into());
    Some(format!(
        "# async fn example() {{\n\
         let client = {lib}::Client::new({base_url:?});\n\
         let result = client\n    .{operation_id}(){call}\n    .send()\n    .await;\n\
         match result {{\n    \
             Ok(response) => println!(\"{{:?}}\", response.into_inner()),\n    \
             Err({lib}::Error::ErrorResponse(error)) => {{\n        \
                 eprintln!(\"{{}}: {{:?}}\", error.status(), error.into_inner())\n    \
             }}\n    \
             Err(other) => eprintln!(\"{{other}}\"),\n\
         }}\n\
         # }}\n"
    ))
}
