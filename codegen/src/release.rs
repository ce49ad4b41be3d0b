//! Releases: each spec's record (`releases/<crate>.json`) read and written, and what a release
//! would do now: for every spec whose model changed since its record, the change report and the
//! version it calls for. `cargo xtask release --dry-run` prints that plan, `cargo xtask release`
//! applies it (new record, then the crates regenerated at the new version with the new changelog
//! entry), and `release --check` is CI's gate: a change lands with its release.

use std::{collections::BTreeMap, path::PathBuf};

use crate::{
    changes::{
        Change, bump, bumped, diff, parse_version,
        record::{Entry, Record},
    },
    error::{Error, Errors},
    files,
    layout::Layout,
    model::CrateModel,
    render::FIRST_VERSION,
};

/// Release records by crate name; a spec without one has not been released.
pub fn records(layout: &Layout) -> Result<BTreeMap<String, Record>, Errors> {
    let dir = layout.root.join(layout.releases_dir);
    let mut found = BTreeMap::new();
    let mut errors = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(found);
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    for path in paths {
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let shown = layout
            .releases_dir
            .join(path.file_name().unwrap_or_default());
        let refuse = |message: String| Error::Unsupported {
            path: shown.clone(),
            message,
            hint: "restore it from git: release records are written by `cargo xtask release` only"
                .into(),
        };
        let text = match read_record(&path) {
            Ok(text) => text,
            Err(problem) => {
                errors.push(refuse(problem));
                continue;
            }
        };
        match serde_json::from_str::<Record>(&text) {
            Ok(record)
                if Some(record.crate_name.as_str())
                    == path.file_stem().and_then(|s| s.to_str()) =>
            {
                if parse_version(&record.version).is_none() {
                    errors.push(refuse(format!(
                        "version `{}` is not MAJOR.MINOR.PATCH",
                        record.version
                    )));
                } else {
                    found.insert(record.crate_name.clone(), record);
                }
            }
            Ok(record) => errors.push(refuse(format!(
                "names crate `{}`, not its file's",
                record.crate_name
            ))),
            Err(e) => errors.push(refuse(format!("is not a release record: {e}"))),
        }
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(Errors(errors))
    }
}

/// A record's text: a regular file (a link or FIFO is named, never followed) of at most 64 MiB.
fn read_record(path: &std::path::Path) -> Result<String, String> {
    const MAX_BYTES: u64 = 64 << 20;
    let metadata = std::fs::symlink_metadata(path).map_err(|e| format!("cannot be read: {e}"))?;
    if let Some(kind) = files::special_kind(metadata.file_type()) {
        return Err(format!("is a {kind}, not a regular file"));
    }
    if metadata.len() > MAX_BYTES {
        return Err(format!(
            "is {} bytes, more than a record can be",
            metadata.len()
        ));
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot be read: {e}"))
}

/// What releasing one spec's crates now would do.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub crate_name: String,
    /// `None`: never released.
    pub old: Option<String>,
    pub new: String,
    pub changes: Vec<Change>,
}

impl Proposal {
    /// `<crate> <old> -> <new>` for each of the spec's three crates, then one line per change.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = crate::crate_names::outputs(&self.crate_name)
            .iter()
            .map(|name| {
                format!(
                    "{name} {} -> {}",
                    self.old.as_deref().unwrap_or("(unreleased)"),
                    self.new
                )
            })
            .collect();
        if self.old.is_none() {
            lines.push("  first release".into());
        }
        lines.extend(self.changes.iter().map(|c| format!("  {c}")));
        lines
    }
}

/// The releases today's models call for, given the records.
pub fn plan(models: &[&CrateModel], records: &BTreeMap<String, Record>) -> Vec<Proposal> {
    models
        .iter()
        .filter_map(|model| {
            let Some(record) = records.get(&model.crate_name) else {
                return Some(Proposal {
                    crate_name: model.crate_name.clone(),
                    old: None,
                    new: FIRST_VERSION.into(),
                    changes: Vec::new(),
                });
            };
            let changes = diff(&record.model, model);
            let version = parse_version(&record.version)?;
            let next = bumped(&version, bump(&changes, &version));
            (next != version).then(|| Proposal {
                crate_name: model.crate_name.clone(),
                old: Some(record.version.clone()),
                new: next.to_string(),
                changes,
            })
        })
        .collect()
}

/// The records after `proposals`, released on `date` (`YYYY-MM-DD`).
pub fn apply(
    proposals: &[Proposal],
    models: &[&CrateModel],
    records: &BTreeMap<String, Record>,
    date: &str,
) -> Vec<Record> {
    proposals
        .iter()
        .filter_map(|proposal| {
            let model = models
                .iter()
                .find(|m| m.crate_name == proposal.crate_name)?;
            let mut changelog = records
                .get(&proposal.crate_name)
                .map(|r| r.changelog.clone())
                .unwrap_or_default();
            changelog.insert(
                0,
                Entry {
                    version: proposal.new.clone(),
                    date: date.to_owned(),
                    changes: proposal.changes.clone(),
                },
            );
            Some(Record {
                crate_name: proposal.crate_name.clone(),
                version: proposal.new.clone(),
                changelog,
                model: (*model).clone(),
            })
        })
        .collect()
}

/// Writes `records` under `releases/`, each to a temporary file renamed into place.
pub fn write(layout: &Layout, records: &[Record]) -> Result<Vec<PathBuf>, Errors> {
    let dir = layout.root.join(layout.releases_dir);
    std::fs::create_dir_all(&dir).map_err(|e| {
        Errors(vec![Error::Unsupported {
            path: layout.releases_dir.to_path_buf(),
            message: format!("cannot be created: {e}"),
            hint: "check the directory's permissions".into(),
        }])
    })?;
    let mut written = Vec::new();
    for record in records {
        let name = format!("{}.json", record.crate_name);
        let (path, temporary) = (dir.join(&name), dir.join(format!(".{name}.tmp")));
        let shown = layout.releases_dir.join(&name);
        std::fs::write(&temporary, record.to_json())
            .and_then(|()| std::fs::rename(&temporary, &path))
            .map_err(|e| {
                let _ = std::fs::remove_file(&temporary);
                Errors(vec![Error::Unsupported {
                    path: shown.clone(),
                    message: format!("cannot be written: {e}"),
                    hint: "check the directory's permissions; records written before it stand"
                        .into(),
                }])
            })?;
        written.push(shown);
    }
    Ok(written)
}

/// The manifest of `cloudjobs`, which names every `<crate>-cli` by path and version.
pub const CLOUDJOBS_MANIFEST: &str = "cli/Cargo.toml";

/// Brings `cloudjobs`' requirement on each released `<crate>-cli` to its new version: Cargo
/// refuses a path dependency whose crate no longer matches the requirement (`0.2.0` after a
/// release to `0.3.0`), and a published `cloudjobs` must ask for the command lines it was built
/// with. Only the `version` of a `<crate>-cli = { path = "../generated/<crate>-cli", .. }` line
/// changes; a layout without the manifest (a scratch workspace) has nothing to change.
pub fn require_in_cloudjobs(layout: &Layout, records: &[Record]) -> Result<(), Errors> {
    let path = layout.root.join(CLOUDJOBS_MANIFEST);
    let Ok(manifest) = std::fs::read_to_string(&path) else {
        return Ok(());
    };
    let mut lines: Vec<String> = manifest.lines().map(str::to_owned).collect();
    for record in records {
        let prefix = format!(
            "{0}-cli = {{ path = \"../generated/{0}-cli\", version = \"",
            record.crate_name
        );
        for line in lines.iter_mut().filter(|l| l.starts_with(&prefix)) {
            let rest = &line[prefix.len()..];
            let tail = rest.find('"').map_or("", |end| &rest[end..]);
            *line = format!("{prefix}{}{tail}", record.version);
        }
    }
    let mut updated = lines.join("\n");
    if manifest.ends_with('\n') {
        updated.push('\n');
    }
    if updated == manifest {
        return Ok(());
    }
    std::fs::write(&path, updated).map_err(|e| {
        Errors(vec![Error::Unsupported {
            path: PathBuf::from(CLOUDJOBS_MANIFEST),
            message: format!("cannot be written: {e}"),
            hint: "set the released versions of the command lines there by hand".into(),
        }])
    })
}

/// `Cargo.lock` with each released crate's entry at its new version, so a release commit builds
/// with `--locked`. Workspace members are the entries without a `source`; a crate not in the lock
/// yet (a first release) is added by cargo's next build. `None`: nothing to change.
pub fn relock(lock: &str, proposals: &[Proposal]) -> Option<String> {
    let released: BTreeMap<String, &str> = proposals
        .iter()
        .flat_map(|p| {
            crate::crate_names::outputs(&p.crate_name)
                .into_iter()
                .map(move |name| (format!("name = \"{name}\""), p.new.as_str()))
        })
        .collect();
    let mut lines: Vec<String> = lock.split('\n').map(str::to_owned).collect();
    let mut changed = false;
    for at in 1..lines.len() {
        let Some(new) = released.get(&lines[at - 1]) else {
            continue;
        };
        let is_member = lines[at + 1..]
            .iter()
            .take_while(|l| !l.is_empty())
            .all(|l| !l.starts_with("source = "));
        let version = format!("version = \"{new}\"");
        if is_member && lines[at].starts_with("version = ") && lines[at] != version {
            lines[at] = version;
            changed = true;
        }
    }
    changed.then(|| lines.join("\n"))
}

/// [`relock`] applied to the workspace's `Cargo.lock`, through a temporary file renamed into
/// place; a workspace without one is left so.
pub fn write_lock(layout: &Layout, proposals: &[Proposal]) -> Result<(), Errors> {
    let path = layout.root.join("Cargo.lock");
    let Ok(lock) = std::fs::read_to_string(&path) else {
        return Ok(());
    };
    let Some(new) = relock(&lock, proposals) else {
        return Ok(());
    };
    let temporary = layout.root.join(".Cargo.lock.tmp");
    std::fs::write(&temporary, new)
        .and_then(|()| std::fs::rename(&temporary, &path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            Errors(vec![Error::Unsupported {
                path: PathBuf::from("Cargo.lock"),
                message: format!("cannot be written: {e}"),
                hint: "check the file's permissions, then run `cargo update --workspace`".into(),
            }])
        })
}

#[cfg(test)]
mod tests {
    use super::{Proposal, relock};

    const LOCK: &str = "version = 4\n\n[[package]]\nname = \"dli-v1\"\nversion = \"0.1.0\"\ndependencies = [\n \"cloud-runtime\",\n]\n\n[[package]]\nname = \"dli-v1-cli\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"dli-v1-mock\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"dli-v1\"\nversion = \"9.9.9\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"00\"\n\n[[package]]\nname = \"dli-v2\"\nversion = \"0.1.0\"\n";

    fn proposal(crate_name: &str, new: &str) -> Proposal {
        Proposal {
            crate_name: crate_name.into(),
            old: Some("0.1.0".into()),
            new: new.into(),
            changes: Vec::new(),
        }
    }

    /// The released spec's three members move to the new version; a registry crate of the same
    /// name, other specs and a lock already current are left as they are.
    #[test]
    fn the_lock_follows_a_release() {
        // (case, the releases, the pieces the new lock holds; None: the lock is left as it is)
        type Case = (&'static str, Vec<Proposal>, Option<&'static [&'static str]>);
        let cases: &[Case] = &[
            (
                "one spec released",
                vec![proposal("dli-v1", "0.2.0")],
                Some(&[
                    "name = \"dli-v1\"\nversion = \"0.2.0\"",
                    "name = \"dli-v1-cli\"\nversion = \"0.2.0\"",
                    "name = \"dli-v1-mock\"\nversion = \"0.2.0\"",
                    "name = \"dli-v1\"\nversion = \"9.9.9\"\nsource",
                    "name = \"dli-v2\"\nversion = \"0.1.0\"",
                ]),
            ),
            ("nothing released", vec![], None),
            ("already current", vec![proposal("dli-v1", "0.1.0")], None),
            (
                "a first release (not in the lock yet)",
                vec![proposal("dli-pools-v3", "0.1.0")],
                None,
            ),
        ];
        for (name, proposals, expected) in cases {
            let relocked = relock(LOCK, proposals);
            match (expected, &relocked) {
                (None, None) => {}
                (Some(parts), Some(lock)) => {
                    for part in *parts {
                        assert!(lock.contains(part), "{name}: no {part:?} in\n{lock}");
                    }
                    assert_eq!(lock.lines().count(), LOCK.lines().count(), "{name}");
                }
                _ => panic!("{name}: {relocked:?}"),
            }
        }
    }
}
