//! A spec's release record (`releases/<crate>.json`): the version its three crates were last
//! released at, the model they exposed then (what the next change report compares against), and
//! the changelog so far, from which every crate's `CHANGELOG.md` is rendered.

use serde::{Deserialize, Serialize};

use super::{Change, Verdict};
use crate::model::CrateModel;

/// The last release of a spec's crates (`<crate>`, `<crate>-cli`, `<crate>-mock`, released
/// together at one version).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub crate_name: String,
    pub version: String,
    /// Newest first.
    pub changelog: Vec<Entry>,
    pub model: CrateModel,
}

/// One release in the changelog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub version: String,
    /// `YYYY-MM-DD`, the day `cargo xtask release` ran.
    pub date: String,
    pub changes: Vec<Change>,
}

impl Record {
    /// The record as written to disk: pretty JSON, the same bytes for the same record.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.push('\n');
        json
    }

    /// `CHANGELOG.md` of `crate_name` (one of the spec's three crates), in the Keep a Changelog
    /// form: one section per release, changes grouped as Added, Changed, Deprecated, Removed and
    /// Security, one line each naming the operation (and its doc page) or type.
    pub fn changelog(&self, crate_name: &str) -> String {
        let mut out = format!(
            "# Changelog of `{crate_name}`\n\n\
             Every release of this crate, newest first ([Keep a Changelog](https://keepachangelog.com/en/1.1.0/)),\n\
             written by `cargo xtask release` from the change report of its spec. Versions follow\n\
             semver: before 1.0, a breaking change to the Rust API bumps the minor version, anything\n\
             else the patch. Each line says what changed for code using the crate (Rust) and for what\n\
             is sent and read (wire).\n"
        );
        for entry in &self.changelog {
            out.push_str(&format!("\n## [{}] - {}\n", entry.version, entry.date));
            if entry.changes.is_empty() {
                out.push_str("\nFirst release.\n");
                continue;
            }
            for (heading, changes) in sections(&entry.changes) {
                out.push_str(&format!("\n### {heading}\n\n"));
                for change in changes {
                    out.push_str(&format!("- {}\n", line(change)));
                }
            }
        }
        out
    }
}

fn sections(changes: &[Change]) -> Vec<(&'static str, Vec<&Change>)> {
    let section = |change: &Change| -> &'static str {
        let what = change.what.as_str();
        if what.contains("secret") {
            "Security"
        } else if what.starts_with("deprecated") {
            "Deprecated"
        } else if what.contains("removed") || what.contains("no longer documented") {
            "Removed"
        } else if what.contains("added") || what.contains("documented") {
            "Added"
        } else {
            "Changed"
        }
    };
    ["Added", "Changed", "Deprecated", "Removed", "Security"]
        .into_iter()
        .filter_map(|heading| {
            let matching: Vec<&Change> = changes.iter().filter(|c| section(c) == heading).collect();
            (!matching.is_empty()).then_some((heading, matching))
        })
        .collect()
}

fn line(change: &Change) -> String {
    let mut text = change.place.clone();
    if !change.item.is_empty() {
        text.push_str(&format!(", {}", change.item));
    }
    text.push_str(&format!(": {}", change.what));
    let marks: Vec<String> = [("Rust", change.rust), ("wire", change.wire)]
        .into_iter()
        .filter(|(_, verdict)| *verdict == Verdict::Breaking)
        .map(|(side, _)| format!("**breaking** ({side})"))
        .collect();
    if !marks.is_empty() {
        text.push_str(&format!(" — {}", marks.join(", ")));
    }
    text
}
