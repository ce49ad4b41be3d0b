//! The spec extensions, one module each: what it declares, how lint checks it, what codegen
//! emits from it, and the names it adds to generated code (which the Rust-name rules keep spec
//! names away from).
//!
//! | extension | module | lint rule | adds |
//! |---|---|---|---|
//! | `x-phase` | [`phase`] | `phase` | `.phase()` on a status type and its open wrapper |
//! | `x-waiters` | [`waiters`] | `waiter` | `Client::wait_until_<name>()` and its waiter type |
//! | `x-paginate` | [`paginate`] | `paginate` | `.stream()` on the operation's builder |
//! | `x-cancel` | [`cancel`] | `cancel` | `.cancel_outcome()` on the operation's result |
//! | `x-idempotent` | [`idempotent`] | `idempotent` | a place in `RETRY_SAFE_OPERATIONS` |
//! | `x-doc-page`, `x-doc-deviation`, `x-doc-name` | [`doc_page`] | `doc-page` | what `docs check` compares |
//!
//! Adding an extension is a module here and a line in [`check`] (and in `render` for what it
//! emits).

pub mod cancel;
pub mod doc_page;
pub mod idempotent;
pub mod paginate;
pub mod phase;
pub mod waiters;

use serde_json::Value;

use crate::diagnostics::Report;

/// Every extension's lint check, on a spec in its JSON form.
pub fn check(doc: &Value, report: &mut Report) {
    phase::phases(doc, report);
    paginate::paginations(doc, report);
    waiters::waiters(doc, report);
    cancel::cancels(doc, report);
    idempotent::idempotents(doc, report);
    doc_page::doc_pages(doc, report);
    doc_page::deviations(doc, "", report);
}

/// Where `cargo xtask generate` writes [`json_schema`], below the specs directory (a spec names it
/// `# yaml-language-server: $schema=schema/extensions.schema.json`).
pub const SCHEMA_FILE: &str = "schema/extensions.schema.json";

/// The extensions as a JSON Schema (draft 7, what yaml-language-server reads) of a whole spec
/// file: each extension's value where it may stand (operations; parameters; request bodies and
/// responses; schemas and their properties, items and alternatives), everything else left to
/// OpenAPI's own schema. The values' shapes are derived from the models lint and the emitters
/// read (`schemars` on [`waiters::Waiter`], [`paginate::Paginate`], [`cancel::Cancel`]), the
/// phases from [`phase::PHASES`]; keys the models do not know are refused, as lint refuses them.
pub fn json_schema() -> Value {
    use serde_json::json;
    let mut generator = schemars::r#gen::SchemaSettings::draft07().into_generator();
    let to_value = |schema: schemars::schema::Schema| {
        serde_json::to_value(schema).expect("a schema always serializes")
    };
    let mut waiter_list = to_value(generator.subschema_for::<Vec<waiters::Waiter>>());
    let paginate_schema = to_value(generator.subschema_for::<paginate::Paginate>());
    let cancel_schema = to_value(generator.subschema_for::<cancel::Cancel>());
    let mut definitions: serde_json::Map<String, Value> = generator
        .take_definitions()
        .into_iter()
        .map(|(name, schema)| (name, to_value(schema)))
        .collect();
    let phases: Vec<&str> = phase::PHASES.iter().map(|(name, _)| *name).collect();
    let reference = |name: &str| json!({"$ref": format!("#/definitions/{name}")});
    let map_of = |name: &str| json!({"additionalProperties": reference(name)});
    let list_of = |name: &str| json!({"type": "array", "items": reference(name)});
    let deviation = json!({
        "description": "Why the spec keeps this difference from its vendor page (`docs check` then accepts it).",
        "type": "string",
        "pattern": "\\S",
    });
    let doc_name = json!({
        "description": "The name the vendor page gives this parameter or property.",
        "type": "string",
    });
    // Keys by the constants the rules read them by.
    let object = |entries: Vec<(&str, Value)>| {
        Value::Object(
            entries
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value))
                .collect(),
        )
    };
    waiter_list["description"] =
        json!("Waiters polling this operation: `Client::wait_until_<name>()` each.");
    let operation = json!({
        "description": "An operation and the extensions it may carry (`x-doc-page` on every one: lint's `doc-page` rule).",
        "required": [doc_page::PAGE],
        "properties": object(vec![
            (waiters::KEY, waiter_list),
            (paginate::KEY, paginate_schema),
            (cancel::KEY, cancel_schema),
            (idempotent::KEY, json!({
                "description": "`true` on a POST that is safe to send twice: retried like a read.",
                "type": "boolean",
            })),
            (doc_page::PAGE, json!({
                "description": "The vendor page the operation follows: its `:original_name:` without `.html` (`dli_02_0104`).",
                "type": "string",
                // Lint's `doc-page` rule: letters, digits and `_`, at least one.
                "pattern": "^[A-Za-z0-9_]+$",
            })),
            (doc_page::DEVIATION, deviation.clone()),
            ("parameters", list_of("Parameter")),
            ("requestBody", reference("Body")),
            ("responses", map_of("Body")),
        ]),
    });
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut path_item = json!({"properties": {"parameters": list_of("Parameter")}});
    for method in methods {
        path_item["properties"][method] = reference("Operation");
    }
    let schema_list = json!({"type": "array", "items": reference("Schema")});
    let structure = object(vec![
        ("PathItem", path_item),
        ("Operation", operation),
        (
            "Parameter",
            json!({"properties": object(vec![
                (doc_page::DOC_NAME, doc_name.clone()),
                (doc_page::DEVIATION, deviation.clone()),
                ("schema", reference("Schema")),
            ])}),
        ),
        (
            "Body",
            json!({
                "description": "A request body or a response.",
                "properties": object(vec![
                    (doc_page::DEVIATION, deviation.clone()),
                    ("content", map_of("MediaType")),
                ]),
            }),
        ),
        (
            "MediaType",
            json!({"properties": {"schema": reference("Schema")}}),
        ),
        (
            "Schema",
            json!({"properties": object(vec![
                (phase::KEY, json!({
                    "description": "Each value of this status enum (or documented integer) mapped onto the phase shared by all crates: `.phase()`.",
                    "type": "object",
                    "additionalProperties": {"enum": phases},
                })),
                (doc_page::DOC_NAME, doc_name),
                (doc_page::DEVIATION, deviation),
                ("properties", map_of("Schema")),
                ("additionalProperties", reference("Schema")),
                ("items", reference("Schema")),
                ("not", reference("Schema")),
                ("allOf", schema_list.clone()),
                ("anyOf", schema_list.clone()),
                ("oneOf", schema_list),
            ])}),
        ),
    ]);
    for (name, definition) in structure.as_object().into_iter().flatten() {
        definitions.insert(name.clone(), definition.clone());
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Spec extensions of this project's OpenAPI specs",
        "description": "Written by `cargo xtask generate` from codegen's extension models; do not edit. Checks only the `x-` extensions; OpenAPI's own schema and `cargo xtask lint` check the rest.",
        "properties": {
            "paths": map_of("PathItem"),
            "components": {
                "properties": {
                    "schemas": map_of("Schema"),
                    "parameters": map_of("Parameter"),
                    "requestBodies": map_of("Body"),
                    "responses": map_of("Body"),
                },
            },
        },
        "definitions": definitions,
    })
}

/// [`json_schema`] as the file holds it: pretty, ending in a newline.
pub fn json_schema_text() -> String {
    let mut text =
        serde_json::to_string_pretty(&json_schema()).expect("a JSON value always serializes");
    text.push('\n');
    text
}

/// Members codegen's extensions add to the builder of operation `op` (as JSON), each with what
/// adds it: a parameter becoming a setter of that name would collide.
pub fn builder_members(op: &Value) -> Vec<(&'static str, &'static str)> {
    let mut members = Vec::new();
    if op.get(paginate::KEY).is_some() {
        members.extend(
            paginate::BUILDER_MEMBERS
                .iter()
                .map(|m| (*m, "`x-paginate` adds to this operation's builder")),
        );
    }
    if op.get(waiters::KEY).is_some() {
        members.extend(waiters::WAITER_MEMBERS.iter().map(|m| {
            (
                *m,
                "each waiter polling this operation (`x-waiters`) already has",
            )
        }));
    }
    members
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::lint::{Report, generation_rules};

    /// A spec with a paginated list and a polled operation; `{param}` becomes one more query
    /// parameter of `{op}` (`list` or `show`), `{id}` the list's operation id.
    fn spec(param: &str, op: &str, id: &str) -> String {
        let extra = |on: &str| {
            if on == op && !param.is_empty() {
                format!("\n        - {{name: '{param}', in: query, schema: {{type: string}}}}")
            } else {
                String::new()
            }
        };
        format!(
            r#"
openapi: 3.0.3
info: {{title: t, version: v1}}
servers: [{{url: 'https://jobs.example.com'}}]
tags: [{{name: jobs}}]
paths:
  /v1/jobs:
    get:
      operationId: '{id}'
      x-doc-page: test_02_8601
      x-paginate: {{page: page, style: number, first: 1, items: jobs, total: count}}
      summary: List jobs.
      description: Lists jobs.
      tags: [jobs]
      parameters:
        - {{name: page, in: query, schema: {{type: integer}}}}{}
      responses:
        '200':
          description: ok
          content: {{application/json: {{schema: {{$ref: '#/components/schemas/JobList'}}}}}}
  /v1/jobs/{{job_id}}:
    get:
      operationId: show_job
      x-doc-page: test_02_8602
      x-waiters:
        - {{name: job_finished, status: state, success: [succeeded], failure: [failed]}}
      summary: Show a job.
      description: Reads one job.
      tags: [jobs]
      parameters:
        - {{name: job_id, in: path, required: true, schema: {{type: string}}}}{}
      responses:
        '200':
          description: ok
          content: {{application/json: {{schema: {{$ref: '#/components/schemas/Job'}}}}}}
components:
  schemas:
    JobList:
      type: object
      properties:
        jobs: {{type: array, nullable: true, items: {{$ref: '#/components/schemas/Job'}}}}
        count: {{type: integer}}
    Job:
      type: object
      properties:
        state: {{$ref: '#/components/schemas/State'}}
    State:
      anyOf: [{{$ref: '#/components/schemas/KnownState'}}, {{type: string, title: Other}}]
    KnownState:
      type: string
      enum: [RUNNING, DONE, FAILED]
      x-phase: {{RUNNING: running, DONE: succeeded, FAILED: failed}}
"#,
            extra("list"),
            extra("show"),
        )
    }

    fn lint(yaml: &str) -> Vec<crate::lint::Problem> {
        let document: Value = serde_yaml::from_str(yaml).unwrap();
        let path = std::path::Path::new("specs/t-v1.yaml");
        let mut report = Report::new(path);
        generation_rules::check(&document, &mut report);
        report.problems
    }

    /// The methods of every inherent impl of the type whose last path segment is `name`.
    fn methods_of(file: &syn::File, name: &str) -> BTreeSet<String> {
        fn walk(items: &[syn::Item], name: &str, out: &mut BTreeSet<String>) {
            for item in items {
                match item {
                    syn::Item::Impl(i) if i.trait_.is_none() => {
                        let syn::Type::Path(p) = &*i.self_ty else {
                            continue;
                        };
                        if p.path.segments.last().is_some_and(|s| s.ident == name) {
                            for member in &i.items {
                                if let syn::ImplItem::Fn(f) = member {
                                    out.insert(f.sig.ident.to_string());
                                }
                            }
                        }
                    }
                    syn::Item::Mod(m) => {
                        if let Some((_, items)) = &m.content {
                            walk(items, name, out);
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut out = BTreeSet::new();
        walk(&file.items, name, &mut out);
        out
    }

    /// The member lists lint keeps spec names away from are what the emitters really add:
    /// rendered, parsed, and compared, so neither can drift from the other.
    #[test]
    fn declared_members_are_what_render_emits() {
        let yaml = spec("", "", "list_jobs");
        let spec = crate::Spec::parse("specs/t-v1.yaml".into(), yaml.as_bytes()).unwrap();
        let rendered = crate::render::render(&spec, None).unwrap();
        let lib = rendered
            .files
            .iter()
            .find(|f| f.path.ends_with("src/lib.rs"))
            .unwrap();
        let file = syn::parse_file(&lib.contents).unwrap();
        let set = |names: &[&str]| {
            names
                .iter()
                .map(|n| (*n).to_owned())
                .collect::<BTreeSet<_>>()
        };
        let list_builder = methods_of(&file, "ListJobs");
        let added: BTreeSet<String> = list_builder
            .difference(&set(&["new", "page", "send"]))
            .cloned()
            .collect();
        assert_eq!(added, set(paginate::BUILDER_MEMBERS));
        let waiter = methods_of(&file, "JobFinished");
        let added: BTreeSet<String> = waiter.difference(&set(&["job_id"])).cloned().collect();
        assert_eq!(added, set(waiters::WAITER_MEMBERS));
        let client = methods_of(&file, "Client");
        assert!(
            client.contains(&waiters::client_method("job_finished")),
            "{client:?}"
        );
        let glue: BTreeSet<String> = client
            .difference(&set(&["list_jobs", "show_job", "wait_until_job_finished"]))
            .cloned()
            .collect();
        let refused: BTreeSet<String> = generation_rules::CLIENT_METHODS
            .iter()
            .map(|m| (*m).to_owned())
            .collect();
        assert!(
            glue.is_subset(&refused),
            "{glue:?} not all in CLIENT_METHODS"
        );
    }

    /// Every name an emitter adds to a builder, a waiter or the `Client`, used by a spec where it
    /// would collide, is refused naming the member; the same spec without it is clean.
    #[test]
    fn every_generated_member_is_refused_as_a_spec_name() {
        assert!(lint(&spec("", "", "list_jobs")).is_empty());
        // (spec, rule, pointer end, what the message names)
        let mut cases: Vec<(String, &str, &str, String)> = Vec::new();
        for member in paginate::BUILDER_MEMBERS {
            let yaml = spec(member, "list", "list_jobs");
            cases.push((
                yaml,
                "rust-name",
                "parameters/1/name",
                format!("`{member}`"),
            ));
        }
        for member in waiters::WAITER_MEMBERS {
            let yaml = spec(member, "show", "list_jobs");
            cases.push((
                yaml,
                "rust-name",
                "parameters/1/name",
                format!("`{member}`"),
            ));
        }
        for member in generation_rules::BUILDER_MEMBERS {
            let yaml = spec(member, "list", "list_jobs");
            cases.push((
                yaml,
                "rust-name",
                "parameters/1/name",
                format!("`{member}`"),
            ));
        }
        for method in generation_rules::CLIENT_METHODS {
            let yaml = spec("", "", method);
            cases.push((
                yaml,
                "rust-name",
                "operationId",
                format!("`Client::{method}`"),
            ));
        }
        // An operation named like a waiter's method is refused at the waiter.
        let method = waiters::client_method("job_finished");
        cases.push((
            spec("", "", &method),
            "waiter",
            "x-waiters/0/name",
            format!("`{method}`"),
        ));
        for (yaml, rule, pointer_end, names) in cases {
            let problems = lint(&yaml);
            assert!(
                problems.iter().any(|p| p.rule == rule
                    && p.pointer.ends_with(pointer_end)
                    && p.message.contains(&names)),
                "{names} at {pointer_end}: {problems:#?}"
            );
        }
    }
}
