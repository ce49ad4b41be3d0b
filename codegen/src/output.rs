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
///
/// In two phases, so that a failure part-way (a full disk, a read-only file) replaces nothing:
/// every new file is first written in full beside its target under a temporary name, and only
/// when all are staged is each renamed over its target. A failure while staging removes the
/// staged files and reports that nothing was replaced; one while renaming (which does not need
/// space) reports exactly which files were.
pub fn write(root: &Path, out_dir: &Path, reports: &[FileReport]) -> Result<(), Error> {
    let mut staged: Vec<(PathBuf, &FileReport)> = Vec::new();
    for report in reports {
        let (FileState::Changed { contents, .. } | FileState::Missing { contents }) = &report.state
        else {
            continue;
        };
        match stage(&root.join(&report.path), contents) {
            Ok(temp) => staged.push((temp, report)),
            Err(source) => {
                for (temp, _) in &staged {
                    let _ = fs::remove_file(temp);
                }
                return Err(Error::Write {
                    path: report.path.clone(),
                    source,
                    replaced: Vec::new(),
                });
            }
        }
    }
    let mut replaced = Vec::new();
    let mut pending = staged.iter();
    for (temp, report) in pending.by_ref() {
        if let Err(source) = fs::rename(temp, root.join(&report.path)) {
            for (temp, _) in pending {
                let _ = fs::remove_file(temp);
            }
            let _ = fs::remove_file(temp);
            return Err(Error::Write {
                path: report.path.clone(),
                source,
                replaced,
            });
        }
        replaced.push(report.path.clone());
    }
    for report in reports.iter().filter(|r| r.state == FileState::Stray) {
        let target = root.join(&report.path);
        if let Err(source) = fs::remove_file(&target) {
            return Err(Error::Write {
                path: report.path.clone(),
                source,
                replaced,
            });
        }
        remove_empty_parents(&target, &root.join(out_dir));
        replaced.push(report.path.clone());
    }
    Ok(())
}

/// Writes `contents` to a new file beside `target` and returns its path. The file is created
/// as any other with the default mode, so the user's umask applies (a temp-file library would
/// make it 0600).
fn stage(target: &Path, contents: &str) -> std::io::Result<PathBuf> {
    let parent = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let temp = parent.join(format!(".{name}.{}.generate-tmp", std::process::id()));
    let written = (|| {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temp)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()
    })();
    match written {
        Ok(()) => Ok(temp),
        Err(error) => {
            let _ = fs::remove_file(&temp);
            Err(error)
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn report(path: &str, contents: &str) -> FileReport {
        FileReport {
            path: PathBuf::from(path),
            state: FileState::Changed {
                diff: String::new(),
                contents: contents.into(),
            },
        }
    }

    /// Files left in `dir`, by name.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_write_that_fails_part_way_replaces_nothing_and_leaves_no_temporary_file() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("generated");
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join("a/lib.rs"), "old a").unwrap();
        // A regular file where the second crate's directory should be: nobody, root included,
        // can create a file below it.
        fs::write(out.join("b"), "in the way").unwrap();
        let reports = [
            report("generated/a/lib.rs", "new a"),
            report("generated/b/lib.rs", "new b"),
        ];
        let error = write(root.path(), Path::new("generated"), &reports).unwrap_err();
        assert!(error.wrote_nothing(), "{error}");
        let message = error.to_string();
        assert!(
            message.starts_with("generated/b/lib.rs: cannot write: "),
            "{message}"
        );
        assert!(message.ends_with("no file was replaced"), "{message}");
        assert_eq!(fs::read_to_string(out.join("a/lib.rs")).unwrap(), "old a");
        assert_eq!(
            names(&out.join("a")),
            ["lib.rs"],
            "no temporary file is left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn written_files_get_the_mode_of_any_other_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let reports = [report("generated/a/lib.rs", "new a")];
        write(root.path(), Path::new("generated"), &reports).unwrap();
        let plain = root.path().join("generated/a/plain.rs");
        fs::write(&plain, "").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&root.path().join("generated/a/lib.rs")), mode(&plain));
        assert_eq!(
            fs::read_to_string(root.path().join("generated/a/lib.rs")).unwrap(),
            "new a"
        );
    }
}
