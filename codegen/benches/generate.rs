//! `cargo bench -p codegen --bench generate`: lint, render and compare (`codegen::check`, what
//! `cargo xtask generate --check` does) for this repository's specs, for synthetic specs of
//! about 1 MB and 5 MB (a few operations and thousands of component schemas no operation uses),
//! and for specs of 100, 1,000 and 3,000 operations (each a GET with two path parameters and its
//! own small answer), so the cost per operation is tracked as the specs grow.
//! The synthetic specs are left in `target/bench-specs/<size>/specs/` so peak memory can be
//! measured on the same input: `/usr/bin/time -v cargo xtask generate --root target/bench-specs/5mb`.

use std::path::{Path, PathBuf};

use codegen::Layout;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Map, Value, json};

/// A spec of `operations` operations and `unused` unused component schemas of eight fields.
fn synthetic_spec(operations: usize, unused: usize) -> String {
    let mut schemas = Map::new();
    for i in 0..unused {
        let properties: Map<String, Value> = (0..8)
            .map(|j| {
                let field = json!({"type": "string", "description": format!("Field {j} of thing {i}: a string the service returns.")});
                (format!("field_{j}"), field)
            })
            .collect();
        schemas.insert(
            format!("Thing{i}"),
            json!({"type": "object", "description": format!("Unused component {i}."), "properties": properties}),
        );
    }
    schemas.insert(
        "Job".into(),
        json!({"type": "object", "properties": {"id": {"type": "string"}}}),
    );
    schemas.insert(
        "Problem".into(),
        json!({"type": "object", "properties": {"error_code": {"type": "string"}}}),
    );
    let paths: Map<String, Value> = (0..operations)
        .map(|k| {
            let operation = json!({"get": {
                "operationId": format!("show_job{k}"),
                "x-doc-page": format!("synthetic_02_{k:04}"),
                "summary": "Show a job.",
                "description": "Show a job.",
                "tags": ["jobs"],
                "parameters": [{"name": "job_id", "in": "path", "required": true, "description": "The job.", "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "The job.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}},
                    "400": {"description": "Refused.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                },
            }});
            (format!("/v1/jobs{k}/{{job_id}}"), operation)
        })
        .collect();
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "synthetic", "version": "v1"},
        "servers": [{"url": "https://synthetic.example.com"}],
        "tags": [{"name": "jobs"}],
        "paths": paths,
        "components": {"schemas": schemas},
    });
    serde_yaml::to_string(&document).unwrap()
}

/// A spec of `operations` operations, each a GET with two path parameters answering its own
/// three-field object (or a shared error).
fn operations_spec(operations: usize) -> String {
    let mut schemas = Map::new();
    schemas.insert(
        "Problem".into(),
        json!({"type": "object", "properties": {"error_code": {"type": "string"}, "error_msg": {"type": "string"}}}),
    );
    let mut paths = Map::new();
    for k in 0..operations {
        schemas.insert(
            format!("Thing{k}"),
            json!({"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "size": {"type": "integer"}}}),
        );
        paths.insert(
            format!("/v1/{{project_id}}/things{k}/{{thing_id}}"),
            json!({"get": {
                "operationId": format!("show_thing{k}"),
                "x-doc-page": format!("synthetic_02_{k:04}"),
                "summary": "Show a thing.",
                "description": "Show a thing.",
                "tags": ["things"],
                "parameters": [
                    {"name": "project_id", "in": "path", "required": true, "description": "The project.", "schema": {"type": "string"}},
                    {"name": "thing_id", "in": "path", "required": true, "description": "The thing.", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {"description": "The thing.", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/Thing{k}")}}}},
                    "400": {"description": "Refused.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                },
            }}),
        );
    }
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "synthetic", "version": "v1"},
        "servers": [{"url": "https://synthetic.example.com"}],
        "tags": [{"name": "things"}],
        "paths": paths,
        "components": {"schemas": schemas},
    });
    serde_yaml::to_string(&document).unwrap()
}

/// Writes a spec of `operations` operations under `target/bench-specs/ops-<n>/`; returns its
/// root (peak memory: `/usr/bin/time -v cargo xtask generate --check --root <it>`).
fn operations_root(operations: usize) -> PathBuf {
    let root = workspace_root().join(format!("target/bench-specs/ops-{operations}"));
    std::fs::create_dir_all(root.join("specs")).unwrap();
    std::fs::write(
        root.join("specs/synthetic-v1.yaml"),
        operations_spec(operations),
    )
    .unwrap();
    root
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Writes a synthetic spec of about `megabytes` MB under `target/bench-specs/`; returns its root.
fn synthetic_root(megabytes: usize) -> PathBuf {
    let root = workspace_root().join(format!("target/bench-specs/{megabytes}mb"));
    std::fs::create_dir_all(root.join("specs")).unwrap();
    // One unused schema of eight described fields is about 1.1 KB of YAML.
    let spec = synthetic_spec(10, megabytes * 900);
    std::fs::write(root.join("specs/synthetic-v1.yaml"), spec).unwrap();
    root
}

fn generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate --check");
    group.sample_size(10);
    let repo = workspace_root();
    group.bench_function("this repository's specs", |b| {
        b.iter(|| codegen::check(&Layout::standard(&repo)).unwrap())
    });
    for megabytes in [1, 5] {
        let root = synthetic_root(megabytes);
        let size = std::fs::metadata(root.join("specs/synthetic-v1.yaml"))
            .unwrap()
            .len();
        group.bench_function(
            format!("synthetic spec, {:.1} MB", size as f64 / 1e6),
            |b| b.iter(|| codegen::check(&Layout::standard(&root)).unwrap()),
        );
    }
    // Only the smaller sizes by default: 3,000 operations take seconds an iteration
    // (`BENCH_OPERATIONS=100,1000,3000` runs them all).
    let sizes = std::env::var("BENCH_OPERATIONS").unwrap_or_else(|_| "100,1000".into());
    for operations in sizes
        .split(',')
        .filter_map(|n| n.trim().parse::<usize>().ok())
    {
        let root = operations_root(operations);
        group.bench_function(format!("{operations} operations"), |b| {
            b.iter(|| codegen::check(&Layout::standard(&root)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
