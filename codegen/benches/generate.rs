//! `cargo bench -p codegen --bench generate`: lint, render and compare (`codegen::check`, what
//! `cargo xtask generate --check` does) for this repository's specs and for synthetic specs of
//! about 1 MB and 5 MB: a few operations and thousands of component schemas no operation uses.
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
    group.bench_function("this repository (4 specs)", |b| {
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
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
