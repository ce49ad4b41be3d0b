//! Compares rendered crates with what is on disk, and writes them.
//!
//! Nothing is written until every spec has rendered, and each file is replaced by an atomic
//! rename, so a failed run leaves the generated directory exactly as it was.

use std::{
    fs,
    io::Write as _,
    path::{Path, PathBuf},
};

use similar::TextDiff;

use crate::{
    error::{Error, Errors},
    render::{GENERATED_MARKER, RenderedCrate},
};

/// Diff lines shown per file in a `--check` report; enough to see what drifted.
const MAX_DIFF_LINES: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    Unchanged,
    /// On disk but different; `diff` is a short unified diff from disk to rendered, `contents`
    /// what `write` puts there.
    Changed {
        diff: String,
        contents: String,
    },
    /// Rendered but not on disk yet.
    Missing {
        contents: String,
    },
    /// On disk under the generated directory, produced by no spec (a removed or renamed spec).
    Stray,
}

#[derive(Debug, Clone)]
pub struct FileReport {
    /// Relative to the workspace root: `generated/dli-v1/src/lib.rs`.
    pub path: PathBuf,
    pub state: FileState,
}

/// What `write` would change. Fails, before anything is written, on a stray file that is not
/// marked generated: it was put there by hand and deleting it would lose work.
pub fn compare(
    root: &Path,
    out_dir: &Path,
    crates: &[RenderedCrate],
) -> Result<Vec<FileReport>, Errors> {
    let mut reports: Vec<FileReport> = crates
        .iter()
        .flat_map(|c| &c.files)
        .map(|file| compare_file(root, out_dir.join(&file.path), &file.contents))
        .collect();

    let rendered: Vec<PathBuf> = crates
        .iter()
        .flat_map(|c| c.files.iter().map(|f| out_dir.join(&f.path)))
        .collect();
    let mut errors = Vec::new();
    for path in files_under(root, out_dir) {
        if rendered.contains(&path) {
            continue;
        }
        let is_generated = fs::read_to_string(root.join(&path)).is_ok_and(|text| {
            text.lines()
                .next()
                .is_some_and(|l| l.contains(GENERATED_MARKER))
        });
        if is_generated {
            reports.push(FileReport {
                path,
                state: FileState::Stray,
            });
        } else {
            errors.push(Error::Output {
                message: "is not produced by any spec and is not marked @generated".into(),
                hint: format!(
                    "{} holds machine-written crates only: move this file elsewhere, or add the spec that produces it",
                    out_dir.display()
                ),
                path,
            });
        }
    }
    if errors.is_empty() {
        Ok(reports)
    } else {
        Err(Errors(errors))
    }
}

/// Compares one rendered file (`path` relative to `root`) with disk.
pub fn compare_file(root: &Path, path: PathBuf, contents: &str) -> FileReport {
    let state = match fs::read_to_string(root.join(&path)) {
        Ok(on_disk) if on_disk == contents => FileState::Unchanged,
        Ok(on_disk) => FileState::Changed {
            diff: short_diff(&path, &on_disk, contents),
            contents: contents.to_owned(),
        },
        Err(_) => FileState::Missing {
            contents: contents.to_owned(),
        },
    };
    FileReport { path, state }
}

/// Applies `reports`: writes changed and missing files, deletes stray generated ones.
pub fn write(root: &Path, out_dir: &Path, reports: &[FileReport]) -> Result<(), Error> {
    for report in reports {
        let target = root.join(&report.path);
        let written = match &report.state {
            FileState::Unchanged => Ok(()),
            FileState::Changed { contents, .. } | FileState::Missing { contents } => {
                write_atomically(&target, contents)
            }
            FileState::Stray => fs::remove_file(&target)
                .map(|()| remove_empty_parents(&target, &root.join(out_dir))),
        };
        written.map_err(|source| Error::Write {
            path: report.path.clone(),
            source,
        })?;
    }
    Ok(())
}

fn write_atomically(target: &Path, contents: &str) -> std::io::Result<()> {
    let parent = target
        .parent()
        .expect("generated files live in a crate directory");
    fs::create_dir_all(parent)?;
    let mut temp = tempfile::NamedTempFile::new_in(parent)?;
    temp.write_all(contents.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

fn remove_empty_parents(file: &Path, stop: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == stop || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Every file below `root/dir`, as paths relative to `root`, sorted; build output is skipped.
pub(crate) fn files_under(root: &Path, dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(root.join(&dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = dir.join(entry.file_name());
            match entry.file_type() {
                Ok(t) if t.is_dir() && entry.file_name() != "target" => pending.push(path),
                Ok(t) if t.is_file() => files.push(path),
                _ => {}
            }
        }
    }
    files.sort();
    files
}

fn short_diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    let diff = TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("{name} (on disk)"),
            &format!("{name} (from the spec)"),
        )
        .to_string();
    let total = diff.lines().count();
    let mut shown: String = diff
        .lines()
        .take(MAX_DIFF_LINES)
        .map(|l| format!("{l}\n"))
        .collect();
    if total > MAX_DIFF_LINES {
        shown.push_str(&format!("... {} more diff lines\n", total - MAX_DIFF_LINES));
    }
    shown
}
