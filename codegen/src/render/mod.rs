//! Renders one spec into the files of its client crate: `Cargo.toml` and `src/lib.rs`.
//!
//! Output depends only on the spec bytes and the pinned progenitor/prettyplease versions: no
//! timestamps, no absolute paths, no hash-map iteration order.

use std::path::PathBuf;

use crate::{
    changes::record::Record, error::Error, model::CrateModel, naming::method_name,
    progenitor_output::generated_types, progenitor_run, spec::Spec,
};

pub mod cli;
mod crate_docs;
mod file;
mod glue;
mod manifest;
pub mod mock;
mod readme;

use crate_docs::{crate_docs, submit_example};
use file::header;
pub use file::{GENERATED_MARKER, LICENSE, RenderedFile};
use glue::{decoders, runtime_glue};
use manifest::cargo_toml;

#[derive(Debug, Clone)]
pub struct RenderedCrate {
    pub crate_name: String,
    /// What the crates expose, as every output read it.
    pub model: CrateModel,
    pub spec_path: PathBuf,
    pub operations: usize,
    pub files: Vec<RenderedFile>,
}

/// The version a crate is rendered at when its spec has no release record yet.
pub const FIRST_VERSION: &str = "0.1.0";

/// Renders `spec`'s three crates at the version of its release record (`None`: not released
/// yet), each with the `CHANGELOG.md` the record holds.
pub fn render(spec: &Spec, release: Option<&Record>) -> Result<RenderedCrate, Error> {
    render_with(spec, release, false)
}

/// [`render`], with a `spare_thread` for formatting what codegen does not read of progenitor's
/// code (when fewer specs render than there are threads).
pub fn render_with(
    spec: &Spec,
    release: Option<&Record>,
    spare_thread: bool,
) -> Result<RenderedCrate, Error> {
    let version = release.map_or(FIRST_VERSION, |r| r.version.as_str());
    let service = service_host_label(spec)?;
    let generated = progenitor_run::generate(spec)?;
    // Formatted item by item; what codegen reads of the tree is kept as an outline.
    let formatted = crate::formatting::format_with_outline(generated.tokens, spare_thread)
        .map_err(|message| Error::Format {
            path: spec.path.clone(),
            message,
        })?;
    let model = CrateModel::build(spec, &formatted.outline)?;
    // The command line and the mocks read the model only: each is rendered on a thread of its
    // own while this one reads the outline (which cannot leave it), then drops it.
    let (client, (command_line, mocks)) = crate::parallel::beside(
        || client_code(spec, &model, &service, formatted),
        || {
            crate::parallel::beside(
                || cli::render(spec, &model, version),
                || mock::render(spec, &model, version),
            )
        },
    );
    let (code, glue, submit_example) = client?;
    let (command_line, mocks) = (command_line?, mocks?);
    // What the extensions emit beside progenitor's code, in a fixed order.
    let extensions = [
        crate::extensions::phase::emit(spec)?,
        crate::extensions::paginate::emit(spec)?,
        crate::extensions::cancel::emit(spec)?,
    ];

    let dir = PathBuf::from(spec.crate_name());
    // What every package holds beside its code: changelog, readme, license.
    let package_files = crate::crate_names::outputs(&spec.crate_name())
        .into_iter()
        .flat_map(|name| {
            let readme = if name == spec.crate_name() {
                readme::client(spec, &model, version)
            } else {
                readme::companion(spec, &model, &name, version)
            };
            [
                RenderedFile {
                    path: PathBuf::from(&name).join("CHANGELOG.md"),
                    contents: changelog(spec, release, &name),
                },
                RenderedFile {
                    path: PathBuf::from(&name).join("README.md"),
                    contents: readme,
                },
                RenderedFile {
                    path: PathBuf::from(&name).join("LICENSE"),
                    contents: LICENSE.to_owned(),
                },
            ]
        })
        .collect::<Vec<_>>();
    Ok(RenderedCrate {
        crate_name: spec.crate_name(),
        model,
        spec_path: spec.path.clone(),
        operations: spec.operations().count(),
        files: vec![
            RenderedFile {
                path: dir.join("Cargo.toml"),
                contents: cargo_toml(spec, version, &generated.extra_dependencies)?,
            },
            RenderedFile {
                path: dir.join("src/lib.rs"),
                contents: lib_rs(spec, &code, &glue, &extensions, submit_example.as_deref()),
            },
        ]
        .into_iter()
        .chain(command_line)
        .chain(mocks)
        .chain(package_files)
        .collect(),
    })
}

/// The client's code: progenitor's items formatted, then the waiters and decoders read from
/// their outline; the runtime glue; the submit example. The outline is dropped here.
fn client_code(
    spec: &Spec,
    model: &CrateModel,
    service: &str,
    formatted: crate::formatting::Formatted,
) -> Result<(String, String, Option<String>), Error> {
    let crate::formatting::Formatted { mut code, outline } = formatted;
    check_operation_ids(spec, &code)?;
    code.push_str(&crate::extensions::waiters::emit(spec, &outline)?);
    code.push_str(&decoders(spec, &outline)?);
    let submit_example = submit_example(spec, &generated_types(&outline));
    drop(outline);
    let glue = runtime_glue(spec, model, service)?;
    Ok((code, glue, submit_example))
}

/// A crate's `CHANGELOG.md`, behind the do-not-edit header: the record's releases, or that
/// there is none yet.
fn changelog(spec: &Spec, release: Option<&Record>, crate_name: &str) -> String {
    // One line, so the marker stands on the first (what `generate` looks for before deleting).
    let header = format!(
        "<!-- {GENERATED_MARKER} by `cargo xtask generate` from releases/{}.json and {}. Do not edit: `cargo xtask release` writes the entries. -->\n",
        spec.crate_name(),
        spec.display_path()
    );
    match release {
        Some(record) => format!(
            "{header}
{}",
            record.changelog(crate_name)
        ),
        None => format!(
            "{header}
# Changelog of `{crate_name}`

Not released yet: `cargo xtask release` makes the first release.
"
        ),
    }
}

fn lib_rs(
    spec: &Spec,
    code: &str,
    glue: &str,
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
    out.push_str(glue);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extensions::waiters::phase_words;
    use crate::progenitor_output::field_read;

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
            let manifest = cargo_toml(&spec, "0.1.0", &["chrono"]).unwrap();
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

    /// What crates.io accepts and a package needs: at most five keywords of at most 20
    /// characters (a letter, then letters, digits, `-`, `_`), the readme and license the
    /// package includes, no `publish = false`, and a version on the client beside each output.
    #[test]
    fn manifests_are_publishable() {
        for name in ["dli-v1", "dataarts-factory-v1", "mrs-v1.1"] {
            let yaml = "openapi: 3.0.3\ninfo: {title: t, version: v1}\npaths: {}\n";
            let spec = Spec::parse(format!("specs/{name}.yaml").into(), yaml.as_bytes()).unwrap();
            let manifests = [
                cargo_toml(&spec, "0.3.1", &[]).unwrap(),
                cli::manifest(&spec, "0.3.1").unwrap(),
                mock::manifest(&spec, "0.3.1").unwrap(),
            ];
            for manifest in manifests {
                let parsed: toml::Table = manifest.parse().unwrap();
                let package = parsed["package"].as_table().unwrap();
                let keywords = package["keywords"].as_array().unwrap();
                assert!(keywords.len() <= 5, "{manifest}");
                for keyword in keywords {
                    let keyword = keyword.as_str().unwrap();
                    assert!(
                        keyword.len() <= 20
                            && keyword.starts_with(|c: char| c.is_ascii_alphabetic())
                            && keyword
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                        "{keyword}"
                    );
                }
                assert!(!package.contains_key("publish"), "{manifest}");
                let include: Vec<&str> = package["include"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                assert!(include.contains(&"/README.md") && include.contains(&"/LICENSE"));
                assert_eq!(package["readme"].as_str(), Some("README.md"));
                let client = spec.crate_name();
                if let Some(dependency) = parsed["dependencies"].get(&client) {
                    assert_eq!(dependency["version"].as_str(), Some("0.3.1"), "{manifest}");
                    assert_eq!(
                        dependency["path"].as_str(),
                        Some(format!("../{client}").as_str())
                    );
                }
            }
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
            match render(&spec, None) {
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
        assert!(render(&spec, None).is_ok());
    }
}
