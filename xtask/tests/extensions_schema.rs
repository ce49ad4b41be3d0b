//! `specs/schema/extensions.schema.json`, the spec extensions as a JSON Schema for editors: every
//! spec of this repository satisfies it, and what each bad spec about an extension
//! (`tests/bad-specs/`) gets wrong in an extension's shape it flags, where lint does.

mod support;

use std::{collections::BTreeSet, fs, path::Path};

use serde_json::Value;
use support::*;

fn validator() -> jsonschema::Validator {
    let path = repo_root().join("specs/schema/extensions.schema.json");
    let schema: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// The JSON form of a YAML file, as an editor's YAML language server reads it.
fn document(path: &Path) -> Value {
    let yaml: serde_yaml::Value = serde_yaml::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    serde_json::to_value(yaml).unwrap()
}

/// Where the schema finds `document` wrong: the instance pointers of its errors.
fn flagged(validator: &jsonschema::Validator, document: &Value) -> BTreeSet<String> {
    validator
        .iter_errors(document)
        .map(|e| e.instance_path.to_string())
        .collect()
}

#[test]
fn every_spec_satisfies_the_extensions_schema() {
    let validator = validator();
    let mut specs = 0;
    for entry in fs::read_dir(repo_root().join("specs")).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            specs += 1;
            let errors: Vec<String> = validator
                .iter_errors(&document(&path))
                .map(|e| format!("{} at {}", e, e.instance_path))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        }
    }
    assert!(specs >= 8, "{specs} specs");
}

/// Each bad spec breaking an extension's rule, and where the schema flags it: the shapes
/// (unknown keys, a value of the wrong kind, a phase that is none, a missing `x-doc-page`, an
/// empty reason). What needs the rest of the spec (a field of the response, a documented
/// status, a waiter of the spec) is lint's alone.
#[test]
fn the_schema_flags_the_shape_errors_of_the_bad_specs_about_extensions() {
    let validator = validator();
    let op = |route: &str, method: &str| format!("/paths/{}/{method}", route.replace('/', "~1"));
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "cancel.yaml",
            vec![format!("{}/x-cancel", op("/v1/jobs/{job_id}", "delete"))],
        ),
        (
            "doc-page.yaml",
            vec![
                op("/v1/jobs", "get"),
                format!("{}/responses/200/x-doc-deviation", op("/v1/jobs", "get")),
            ],
        ),
        (
            "idempotent.yaml",
            vec![format!(
                "{}/x-idempotent",
                op("/v1/jobs/{job_id}/cancel", "post")
            )],
        ),
        (
            "phase.yaml",
            vec!["/components/schemas/KnownJobStatus/x-phase/FAILED".to_owned()],
        ),
        ("paginate.yaml", vec![]),
        (
            "waiter.yaml",
            vec![
                format!("{}/x-waiters/5/after", op("/v1/jobs/{job_id}", "get")),
                format!("{}/x-waiters/8/gone", op("/v1/jobs/{job_id}", "get")),
                format!("{}/x-waiters/13/status", op("/v1/jobs/{job_id}", "get")),
                format!("{}/x-waiters/14/id", op("/v1/jobs/{job_id}", "get")),
            ],
        ),
        (
            "waiter-item.yaml",
            // `extra`: an unknown key of `item` (the object is flagged).
            vec![format!("{}/x-waiters/3/item", op("/v1/pools", "get"))],
        ),
    ];
    let extension_rules = [
        "cancel",
        "doc-page",
        "idempotent",
        "phase",
        "paginate",
        "waiter",
    ];
    let mut about_extensions = BTreeSet::new();
    for entry in fs::read_dir(repo_root().join("tests/bad-specs"))
        .unwrap()
        .flatten()
    {
        let text = fs::read_to_string(entry.path()).unwrap();
        if text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .any(|l| extension_rules.contains(&l.split(' ').next().unwrap_or_default()))
        {
            about_extensions.insert(entry.file_name().to_string_lossy().into_owned());
        }
    }
    let named: BTreeSet<String> = cases.iter().map(|(name, _)| (*name).to_owned()).collect();
    assert_eq!(
        named, about_extensions,
        "a case for each bad spec about an extension"
    );
    for (name, expected) in cases {
        let found = flagged(
            &validator,
            &document(&repo_root().join("tests/bad-specs").join(name)),
        );
        let expected: BTreeSet<String> = expected.into_iter().collect();
        assert_eq!(found, expected, "{name}");
    }
}

/// A misspelt waiter key, as an editor shows it: the schema names the key that is not one.
#[test]
fn a_misspelt_waiter_key_is_flagged() {
    let validator = validator();
    let mut spec = document(&repo_root().join("specs/dli-v1.yaml"));
    let at = "/paths/~1v1.0~1{project_id}~1jobs~1{job_id}~1status/get/x-waiters/0";
    let waiter = spec.pointer_mut(at).unwrap().as_object_mut().unwrap();
    let name = waiter.remove("name").unwrap();
    waiter.insert("nmae".into(), name);
    let errors: Vec<(String, String)> = validator
        .iter_errors(&spec)
        .map(|e| (e.instance_path.to_string(), e.to_string()))
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].0, at);
    assert!(errors[0].1.contains("nmae"), "{errors:#?}");
}

/// The file is what codegen derives from the models now (also `generate --check`'s business).
#[test]
fn the_schema_file_is_the_models_schema() {
    let on_disk =
        fs::read_to_string(repo_root().join("specs/schema/extensions.schema.json")).unwrap();
    assert_eq!(on_disk, codegen::extensions::json_schema_text());
}
