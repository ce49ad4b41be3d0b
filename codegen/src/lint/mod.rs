//! `cargo xtask lint`: everything wrong with a spec or a cassette, all at once, one line each.
//!
//! Rules work on the raw JSON form of each file, so every problem carries a JSON pointer to the
//! place to fix. [`spec_rules`] checks a spec on its own, [`cassette_rules`] checks a recorded
//! exchange against the spec of its crate; [`json_schema`] turns OpenAPI 3.0 schemas into JSON
//! Schema for the `jsonschema` validator.

pub mod cassette_rules;
pub mod crate_names;
pub mod generation_rules;
pub mod json_schema;
pub mod spec_rules;

use std::{
    fmt,
    path::{Path, PathBuf},
};

use serde_json::Value;

use crate::Layout;

/// Every rule a spec is checked by; `tests/bad-specs/` holds a spec breaking each.
pub const SPEC_RULES: &[&str] = &[
    "file-name",
    "crate-name",
    "yaml",
    "duplicate-key",
    "number",
    "ref-cycle",
    "rust-name",
    "route",
    "header-parameter",
    "text",
    "openapi-document",
    "openapi-version",
    "servers-and-tags",
    "ref",
    "operation-id",
    "documented",
    "path-parameters",
    "duplicate-parameter",
    "media-schema",
    "success-schemas",
    "error-schemas",
    "default-response",
    "responses",
    "enum",
    "pattern",
    "example",
    "response-constraints",
    "request-enum",
    "nullable-union",
    "nullable-type",
    "progenitor",
    "doc-page",
    "idempotent",
    "phase",
    "paginate",
    "waiter",
    "cancel",
];

/// Every rule a cassette is checked by.
pub const CASSETTE_RULES: &[&str] = &[
    "cassette-json",
    "cassette-operation",
    "cassette-request",
    "cassette-request-body",
    "cassette-status",
    "cassette-response-body",
    "cassette-credential",
    "cassette-name",
    "cassette-file",
];

/// One problem: `file : pointer : rule : message : hint`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Relative to the workspace root.
    pub file: PathBuf,
    /// JSON pointer into the file (`""` is the whole document).
    pub pointer: String,
    /// Stable rule name, e.g. `path-parameters`.
    pub rule: &'static str,
    pub message: String,
    pub hint: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(
            f,
            "{} : {} : {} : {} : {}",
            self.file.display(),
            pointer,
            self.rule,
            self.message,
            self.hint
        )
    }
}

/// Collects problems for one file.
pub struct Report<'a> {
    pub file: &'a Path,
    pub problems: Vec<Problem>,
}

impl<'a> Report<'a> {
    pub fn new(file: &'a Path) -> Self {
        Report {
            file,
            problems: Vec::new(),
        }
    }

    pub fn add(
        &mut self,
        pointer: impl Into<String>,
        rule: &'static str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        debug_assert!(
            SPEC_RULES.contains(&rule) || CASSETTE_RULES.contains(&rule),
            "rule `{rule}` is not listed in SPEC_RULES or CASSETTE_RULES"
        );
        self.problems.push(Problem {
            file: self.file.to_path_buf(),
            pointer: pointer.into(),
            rule,
            message: message.into(),
            hint: hint.into(),
        });
    }
}

/// Escapes one JSON pointer segment (`/` and `~`).
pub fn segment(text: &str) -> String {
    text.replace('~', "~0").replace('/', "~1")
}

/// Follows local `$ref`s (`#/...`) to the object they name; an unresolvable one is returned as
/// is (the `ref` rule reports it). Bounded, so a reference cycle cannot hang the linter.
pub fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..8 {
        let target = value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|t| t.strip_prefix('#'))
            .and_then(|p| doc.pointer(p));
        match target {
            Some(found) => value = found,
            None => return value,
        }
    }
    value
}

/// A spec file read for linting: its path and JSON form.
pub struct SpecDocument {
    pub path: PathBuf,
    pub document: Value,
}

/// Lints every spec and every cassette of `layout`: the spec rules, then (for specs that pass
/// them) whether progenitor can generate the crate, then the cassettes. `generate` refuses exactly
/// what this reports, with the same lines.
pub fn lint(layout: &Layout) -> Vec<Problem> {
    let loaded = crate::load::load(layout);
    let mut problems = lint_specs(&loaded);
    for spec in &loaded {
        let clean = !problems.iter().any(|p| p.file == spec.path);
        if let (true, Some(spec)) = (clean, crate::spec::Spec::from_loaded(spec))
            && let Err(error) = crate::render::render(&spec)
        {
            problems.push(crate::render::as_problem(&spec, &error));
        }
    }
    let documents: Vec<&SpecDocument> = loaded.iter().filter_map(|l| l.document.as_ref()).collect();
    problems.extend(cassettes(layout, &documents));
    problems
}

/// The cassette rules over every file below the cassettes directory: each `*.json` checked
/// against its spec, anything that is not a regular file (never read: a FIFO would block)
/// refused. Coverage counts only the cassettes this accepts.
pub fn cassettes(layout: &Layout, documents: &[&SpecDocument]) -> Vec<Problem> {
    let walk = crate::output::walk(layout.root, layout.cassettes_dir);
    let mut problems: Vec<Problem> = walk
        .special
        .into_iter()
        .map(|special| Problem {
            file: special.path,
            pointer: String::new(),
            rule: "cassette-file",
            message: format!("is a {}, not a regular file; it is not read", special.kind),
            hint: "make it a regular file (a copy, not a link) or remove it".into(),
        })
        .collect();
    for path in walk
        .files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        problems.extend(cassette_rules::check(layout.root, path, documents));
    }
    problems
}

/// The spec rules over specs as the loader read them: what it found while reading, every rule,
/// and (only when nothing more specific was found) the OpenAPI structure.
pub fn lint_specs(loaded: &[crate::load::Loaded]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for spec in loaded {
        let mut found = spec.problems.clone();
        if let Some(document) = &spec.document {
            found.extend(spec_rules::check(document));
        }
        if found.is_empty()
            && let Some(Err(problem)) = &spec.openapi
        {
            found.push(problem.clone());
        }
        problems.extend(found);
    }
    problems
}
