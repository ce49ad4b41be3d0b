//! Everything that can go wrong between a spec file and a written crate.
//!
//! Each message names the file, the place in it, and what to do about it: the maintainer reading
//! it should not need a backtrace or the progenitor source.

use std::{io, path::PathBuf};

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

    /// A rule of [`crate::lint`] the spec breaks; printed as the lint line.
    #[error("{0}")]
    Lint(crate::lint::Problem),

    #[error("{}: {message}\n  hint: {hint}", path.display())]
    Unsupported {
        path: PathBuf,
        message: String,
        hint: String,
    },

    #[error("{}: operation `{operation}` ({request}): progenitor cannot generate it: {message}\n  hint: {hint}", path.display())]
    Operation {
        path: PathBuf,
        operation: String,
        /// `POST /v2/{project_id}/...`
        request: String,
        message: String,
        hint: String,
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
