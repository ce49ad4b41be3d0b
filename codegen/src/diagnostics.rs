//! The bottom of codegen: one [`Problem`] type for every rule and every refusal, printed as
//! `file : pointer : rule : message : hint`, the [`Report`] that collects them for one file, and
//! the registry of rule names. Everything else reports through this; it imports nothing of the
//! crate.

use std::{
    fmt,
    path::{Path, PathBuf},
};

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
    "secret",
    "nullable-union",
    "nullable-type",
    "progenitor",
    "doc-page",
    "sdk-deviation",
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
    "cassette-secret",
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
