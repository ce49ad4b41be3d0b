//! `cargo xtask lint`: everything wrong with a spec or a cassette, all at once, one line each.
//!
//! Rules work on the raw JSON form of each file, so every problem carries a JSON pointer to the
//! place to fix. [`spec_rules`] checks a spec on its own, [`cassette_rules`] checks a recorded
//! exchange against the spec of its crate; [`json_schema`] turns OpenAPI 3.0 schemas into JSON
//! Schema for the `jsonschema` validator.

pub mod cassette_rules;
pub mod crate_names;
pub mod json_schema;
pub mod spec_rules;

use std::{
    fmt, fs,
    path::{Path, PathBuf},
};

use serde_json::Value;

use crate::Layout;

/// Every rule a spec is checked by; `tests/bad-specs/` holds a spec breaking each.
pub const SPEC_RULES: &[&str] = &[
    "file-name",
    "crate-name",
    "yaml",
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
    "nullable-union",
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

/// Parses a spec's YAML into JSON, reporting a syntax error with its line and column.
pub fn parse_spec(path: &Path, text: &str) -> Result<SpecDocument, Problem> {
    serde_yaml::from_str::<Value>(text)
        .map(|document| SpecDocument {
            path: path.to_path_buf(),
            document,
        })
        .map_err(|e| {
            located(
                path,
                "yaml",
                e,
                "fix the YAML syntax at that line (indentation, quoting of `: ` and `#`)",
            )
        })
}

/// Whether the spec has the structure of an OpenAPI 3.0 document, as codegen reads it. Asked
/// only when no specific rule found anything: those name the place better.
fn check_structure(path: &Path, text: &str) -> Option<Problem> {
    serde_yaml::from_str::<openapiv3::OpenAPI>(text).err().map(|e| {
        located(
            path,
            "openapi-document",
            e,
            "give the document the OpenAPI 3.0 structure: `openapi`, `info` (title, version) and `paths` are required, each field with its documented type",
        )
    })
}

/// A YAML (or YAML-to-OpenAPI) error as a problem whose message leads with line and column.
fn located(path: &Path, rule: &'static str, e: serde_yaml::Error, hint: &str) -> Problem {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    // serde_yaml ends its message with the location, which leads here instead.
    let text = e.to_string();
    let message = text
        .split_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m);
    Problem {
        file: path.to_path_buf(),
        pointer: String::new(),
        rule,
        message: format!("line {line} column {column}: {message}"),
        hint: hint.into(),
    }
}

/// Lints every spec and every cassette of `layout`. Returns every problem found, in file order.
pub fn lint(layout: &Layout) -> Vec<Problem> {
    let (specs, mut problems) = lint_specs(layout);
    for path in files_with_extension(layout.root, layout.cassettes_dir, "json") {
        problems.extend(cassette_rules::check(layout.root, &path, &specs));
    }
    problems
}

/// Lints every spec of `layout`: the checks `generate` runs before anything else.
/// Returns the specs that parsed, and every problem found.
pub fn lint_specs(layout: &Layout) -> (Vec<SpecDocument>, Vec<Problem>) {
    let (root, specs_dir) = (layout.root, layout.specs_dir);
    let mut problems = Vec::new();
    let mut specs = Vec::new();
    // Only the files directly in specs/, as codegen reads them.
    let files: Vec<PathBuf> = files_with_extension(root, specs_dir, crate::spec::SPEC_EXTENSION)
        .into_iter()
        .filter(|path| path.parent() == Some(specs_dir))
        .collect();
    problems.extend(crate_names::check(root, layout.out_dir, &files));
    for path in files {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        if !crate::spec::is_valid_crate_stem(&stem) {
            problems.push(Problem {
                file: path.clone(),
                pointer: String::new(),
                rule: "file-name",
                message: format!("`{stem}` cannot name a crate"),
                hint: "name spec files `<service>-v<version>.yaml` in lowercase letters, digits, `-` and `.`".into(),
            });
        }
        match fs::read_to_string(root.join(&path)) {
            Ok(text) => match parse_spec(&path, &text) {
                Ok(spec) => {
                    let found = spec_rules::check(&spec);
                    if found.is_empty() {
                        problems.extend(check_structure(&path, &text));
                    }
                    problems.extend(found);
                    specs.push(spec);
                }
                Err(problem) => problems.push(problem),
            },
            Err(e) => problems.push(Problem {
                file: path,
                pointer: String::new(),
                rule: "read",
                message: e.to_string(),
                hint: "make the file readable".into(),
            }),
        }
    }
    (specs, problems)
}

/// Files ending in `.extension` below `root/dir`, as paths relative to `root`, sorted.
fn files_with_extension(root: &Path, dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files = crate::output::files_under(root, dir);
    files.retain(|path| path.extension().is_some_and(|e| e == extension));
    files
}
