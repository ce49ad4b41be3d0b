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

/// Reads a spec once: YAML syntax and duplicate keys (which YAML readers resolve silently by
/// keeping the last) are checked on the YAML itself, then non-finite numbers (`.inf`, `.nan`,
/// which JSON cannot hold and openapiv3 panics on), then the document is converted to JSON for
/// the rules. A spec that cannot be read gives its problems and no document.
pub fn parse_spec(path: &Path, text: &str) -> (Option<SpecDocument>, Vec<Problem>) {
    let yaml = match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(yaml) => yaml,
        Err(e) if e.to_string().contains("duplicate entry with key") => {
            return (None, vec![duplicate_key(path, e)]);
        }
        Err(e) => {
            let hint = "fix the YAML syntax at that line (indentation, quoting of `: ` and `#`)";
            return (None, vec![located(path, "yaml", e, hint)]);
        }
    };
    let mut problems = Vec::new();
    non_finite_numbers(path, &yaml, &mut String::new(), &mut problems);
    match serde_json::to_value(&yaml) {
        Ok(document) => {
            let spec = SpecDocument {
                path: path.to_path_buf(),
                document,
            };
            (Some(spec), problems)
        }
        Err(e) => {
            problems.push(Problem {
                file: path.to_path_buf(),
                pointer: String::new(),
                rule: "yaml",
                message: format!("not a JSON-shaped document: {e}"),
                hint: "use strings as mapping keys (quote numeric keys such as status codes: `'200':`)".into(),
            });
            (None, problems)
        }
    }
}

/// serde_yaml's `<path>: duplicate entry with key "k" at line L column C`, as a problem.
fn duplicate_key(path: &Path, e: serde_yaml::Error) -> Problem {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let text = e.to_string();
    let (inside, key) = match text.split_once(": duplicate entry with key ") {
        Some((inside, rest)) => (inside, rest.split(" at line ").next().unwrap_or(rest)),
        None => ("", text.as_str()),
    };
    let place = if inside.is_empty() || inside.starts_with("duplicate") {
        "the document".to_owned()
    } else {
        format!("`{inside}`")
    };
    Problem {
        file: path.to_path_buf(),
        pointer: String::new(),
        rule: "duplicate-key",
        message: format!(
            "line {line} column {column}: key {key} appears twice in {place}; YAML would keep only the last"
        ),
        hint: "merge the two entries into one (each key once per mapping)".into(),
    }
}

/// Problems for every `.inf`/`.nan` in `value`, by JSON pointer.
fn non_finite_numbers(
    path: &Path,
    value: &serde_yaml::Value,
    at: &mut String,
    problems: &mut Vec<Problem>,
) {
    match value {
        serde_yaml::Value::Number(n) if n.as_f64().is_some_and(|f| !f.is_finite()) => {
            problems.push(Problem {
                file: path.to_path_buf(),
                pointer: at.clone(),
                rule: "number",
                message: format!("`{n}` is not a finite number"),
                hint: "give a finite bound, or leave the keyword out (no `maximum` means no bound)"
                    .into(),
            });
        }
        serde_yaml::Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                non_finite_numbers(path, item, at, problems);
                at.truncate(len);
            }
        }
        serde_yaml::Value::Mapping(map) => {
            for (key, item) in map {
                let len = at.len();
                let key = match key {
                    serde_yaml::Value::String(k) => k.clone(),
                    other => serde_yaml::to_string(other)
                        .unwrap_or_default()
                        .trim_end()
                        .to_owned(),
                };
                at.push('/');
                at.push_str(&segment(&key));
                non_finite_numbers(path, item, at, problems);
                at.truncate(len);
            }
        }
        serde_yaml::Value::Tagged(tagged) => non_finite_numbers(path, &tagged.value, at, problems),
        _ => {}
    }
}

/// Whether the spec has the structure of an OpenAPI 3.0 document, as codegen reads it. Asked
/// only when no specific rule found anything: those name the place better. openapiv3 runs
/// guarded: it panics on some documents serde accepts.
fn check_structure(path: &Path, text: &str) -> Option<Problem> {
    let hint = "give the document the OpenAPI 3.0 structure: `openapi`, `info` (title, version) and `paths` are required, each field with its documented type";
    match crate::guard::guarded(|| serde_yaml::from_str::<openapiv3::OpenAPI>(text)) {
        Ok(Ok(_)) => None,
        Ok(Err(e)) => Some(located(path, "openapi-document", e, hint)),
        Err(panic) => Some(Problem {
            file: path.to_path_buf(),
            pointer: String::new(),
            rule: "openapi-document",
            message: format!("the OpenAPI reader (openapiv3) fails on this document: {panic}"),
            hint: hint.into(),
        }),
    }
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
            Ok(text) => {
                let (spec, mut found) = parse_spec(&path, &text);
                if let Some(spec) = spec {
                    found.extend(spec_rules::check(&spec));
                    if found.is_empty() {
                        found.extend(check_structure(&path, &text));
                    }
                    specs.push(spec);
                }
                problems.extend(found);
            }
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
