//! A generated file, and what opens every one: the marker and where it came from.

use std::path::PathBuf;

use crate::{progenitor_run::PROGENITOR_VERSION, spec::Spec};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    /// Relative to the generated-crates directory: `dli-v1/src/lib.rs`.
    pub path: PathBuf,
    pub contents: String,
}

/// The marker tools (and reviewers) look for; `cargo xtask generate` only deletes files bearing it.
pub const GENERATED_MARKER: &str = "@generated";

/// The do-not-edit header, one line per entry, behind `comment`.
pub(crate) fn header(spec: &Spec, comment: &str) -> String {
    format!(
        "{comment} {GENERATED_MARKER} by `cargo xtask generate` with progenitor {PROGENITOR_VERSION}\n\
         {comment} from {} (sha256 {}).\n\
         {comment} Do not edit: change the spec and run `cargo xtask generate`.\n",
        spec.display_path(),
        spec.sha256,
    )
}

/// The workspace's license text (Apache-2.0), copied into every generated crate: a published
/// package carries its license, and Cargo packs no file from outside the crate's directory.
/// It cannot open with the marker (it is the license, word for word), so `generate` knows it by
/// its whole text instead.
pub const LICENSE: &str = include_str!("../../../LICENSE");
