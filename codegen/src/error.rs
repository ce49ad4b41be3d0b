//! Everything that can go wrong between a spec file and a written crate.
//!
//! Each message names the file, the place in it, and what to do about it: the maintainer reading
//! it should not need a backtrace or the progenitor source.

use std::{
    io,
    path::{Path, PathBuf},
};

use crate::diagnostics::{Problem, segment};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: cannot read: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },

    #[error("{}:{line}:{column}: not a valid OpenAPI 3.0 document: {message}\n  hint: fix the YAML at that line; `openapi`, `info` and `paths` are required", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    /// A lint rule the spec breaks; printed as the lint line.
    #[error("{0}")]
    Lint(Problem),

    #[error("{}: {message}\n  hint: {hint}", path.display())]
    Unsupported {
        path: PathBuf,
        message: String,
        hint: String,
    },

    #[error("{}: operation `{operation}` ({} {route}): progenitor cannot generate it: {message}\n  hint: {hint}", path.display(), method.to_uppercase())]
    Operation {
        path: PathBuf,
        operation: String,
        /// `post`, as the spec writes it.
        method: &'static str,
        /// `/v2/{project_id}/...`
        route: Box<str>,
        message: String,
        hint: &'static str,
    },

    #[error("{}: progenitor's output for this spec does not parse as Rust: {message}\n  hint: this is a progenitor bug; reduce the spec to the operation that triggers it", path.display())]
    Format { path: PathBuf, message: String },

    #[error("{}: {message}\n  hint: {hint}", path.display())]
    Output {
        path: PathBuf,
        message: String,
        hint: String,
    },

    /// A write that failed, with the files already replaced before it (none when it failed
    /// while staging, which is before any file is touched).
    #[error("{}: cannot write: {source}; {}", path.display(), replaced_summary(replaced))]
    Write {
        path: PathBuf,
        source: io::Error,
        replaced: Vec<PathBuf>,
    },
}

impl Error {
    /// A render failure of the spec at `spec_path` as the lint line both `lint` and `generate`
    /// print (rule `progenitor`).
    pub fn as_problem(&self, spec_path: &Path) -> Problem {
        let (pointer, message, hint) = match self {
            Error::Operation {
                operation,
                method,
                route,
                message,
                hint,
                ..
            } => (
                format!("/paths/{}/{method}", segment(route)),
                format!("operation `{operation}`: progenitor cannot generate it: {message}"),
                (*hint).to_owned(),
            ),
            Error::Unsupported { message, hint, .. } => {
                (String::new(), message.clone(), hint.clone())
            }
            other => (
                String::new(),
                other.to_string(),
                "reduce the spec to the operation that triggers it and report it".into(),
            ),
        };
        Problem {
            file: spec_path.to_path_buf(),
            pointer,
            rule: "progenitor",
            message,
            hint,
            position: None,
        }
    }
}

fn replaced_summary(replaced: &[PathBuf]) -> String {
    if replaced.is_empty() {
        return "no file was replaced".into();
    }
    let names: Vec<String> = replaced.iter().map(|p| p.display().to_string()).collect();
    format!(
        "already replaced: {} (every other file is as it was); run `cargo xtask generate` again once the cause is fixed",
        names.join(", ")
    )
}

impl Error {
    /// Whether the run stopped before changing anything on disk.
    pub fn wrote_nothing(&self) -> bool {
        match self {
            Error::Write { replaced, .. } => replaced.is_empty(),
            _ => true,
        }
    }
}

/// All the errors of one run, so a maintainer fixes every spec in one pass.
#[derive(Debug)]
pub struct Errors(pub Vec<Error>);

impl std::fmt::Display for Errors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

impl From<Error> for Errors {
    fn from(error: Error) -> Self {
        Errors(vec![error])
    }
}
