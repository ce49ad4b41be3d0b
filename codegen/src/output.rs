//! Compares rendered crates with what is on disk, and writes them.
//!
//! Nothing is written until every spec has rendered. Then, so that the workspace loads in Cargo
//! whatever stops the run (an error, a full disk, a kill): a new crate is staged complete
//! outside the `generated/*` member glob and appears by one directory rename; a changed file
//! is staged beside its target and renamed over it, each crate's `Cargo.toml` last; a removed
//! crate leaves the glob by one rename before it is deleted. Staged files carry names this
//! module alone uses, so the next run removes whatever a killed one left.

use std::{
    fs,
    io::{self, Write as _},
    path::{Path, PathBuf},
};

use similar::TextDiff;

use crate::files::{Special, special_kind, walk};
use crate::{
    error::{Error, Errors},
    render::{GENERATED_MARKER, LICENSE, RenderedCrate},
};

/// Diff lines shown per file in a `--check` report; enough to see what drifted.
const MAX_DIFF_LINES: usize = 40;
/// Staged files and the staging directory end in this; nothing else does.
const TEMP_SUFFIX: &str = ".generate-tmp";

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
    /// On disk under the generated directory, produced by no spec (a removed or renamed spec),
    /// or a file a killed run staged; a directory holding no file at all is one too.
    Stray,
}

#[derive(Debug, Clone)]
pub struct FileReport {
    /// Relative to the workspace root: `generated/dli-v1/src/lib.rs`.
    pub path: PathBuf,
    pub state: FileState,
}

/// Whether `path` names a file this module staged (`.<name>.<pid>.generate-tmp`).
fn is_staged_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix('.')?.strip_suffix(TEMP_SUFFIX))
        .and_then(|n| n.rsplit_once('.'))
        .is_some_and(|(name, pid)| {
            !name.is_empty() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Where new crates are staged and removed ones parked: beside the generated directory, so
/// outside its member glob (`generated/.generated.generate-tmp` would be a member).
fn staging_dir(root: &Path, out_dir: &Path) -> PathBuf {
    let name = out_dir.file_name().unwrap_or_default().to_string_lossy();
    root.join(out_dir.parent().unwrap_or(Path::new("")))
        .join(format!(".{name}{TEMP_SUFFIX}"))
}

/// What `write` would change. Fails, before anything is written, on a stray file that is not
/// marked generated (it was put there by hand and deleting it would lose work) and on anything
/// under the generated directory that is not a regular file or a directory.
pub fn compare(
    root: &Path,
    out_dir: &Path,
    crates: &[RenderedCrate],
) -> Result<Vec<FileReport>, Errors> {
    let mut errors = Vec::new();
    let mut reports = Vec::new();
    for file in crates.iter().flat_map(|c| &c.files) {
        match compare_file(root, out_dir.join(&file.path), &file.contents) {
            Ok(report) => reports.push(report),
            Err(error) => errors.push(error),
        }
    }
    let rendered: Vec<PathBuf> = crates
        .iter()
        .flat_map(|c| c.files.iter().map(|f| out_dir.join(&f.path)))
        .collect();
    let walk = walk(root, out_dir);
    for special in walk.special {
        if !rendered.contains(&special.path) {
            errors.push(special_error(special));
        }
    }
    for path in walk.files {
        if rendered.contains(&path) {
            continue;
        }
        let is_generated = is_staged_name(&path)
            || first_line_is_generated(&root.join(&path))
            || is_generated_license(&root.join(&path));
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
    // A crate directory holding no file (left by an older, interrupted run) keeps Cargo from
    // loading the workspace: it is stray too.
    for dir in walk.empty_crate_dirs {
        if !crates.iter().any(|c| out_dir.join(&c.crate_name) == dir) {
            reports.push(FileReport {
                path: dir,
                state: FileState::Stray,
            });
        }
    }
    if errors.is_empty() {
        Ok(reports)
    } else {
        Err(Errors(errors))
    }
}

/// Whether the file's first line carries the `@generated` marker; read only up to that line.
fn first_line_is_generated(path: &Path) -> bool {
    use std::io::Read as _;
    let Ok(file) = fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    if file.take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    let head = String::from_utf8_lossy(&head);
    head.lines()
        .next()
        .is_some_and(|l| l.contains(GENERATED_MARKER))
}

/// Whether the file is the license `generate` copies into each crate, word for word: the one
/// generated file that cannot carry the marker. An edited copy is not taken for it.
fn is_generated_license(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "LICENSE")
        && fs::read_to_string(path).is_ok_and(|text| text == LICENSE)
}

fn special_error(special: Special) -> Error {
    Error::Output {
        message: format!(
            "is a {}, not a regular file: it is never read, followed or replaced",
            special.kind
        ),
        hint: "remove it (the run writes regular files only), then run again".into(),
        path: special.path,
    }
}

/// Compares one rendered file (`path` relative to `root`) with disk; what stands there must be
/// a regular file (reading a FIFO would block, replacing a symlink would be a guess).
pub fn compare_file(root: &Path, path: PathBuf, contents: &str) -> Result<FileReport, Error> {
    let target = root.join(&path);
    if let Ok(metadata) = fs::symlink_metadata(&target)
        && let Some(kind) =
            special_kind(metadata.file_type()).or(metadata.is_dir().then_some("directory"))
    {
        return Err(special_error(Special { path, kind }));
    }
    let state = match fs::read_to_string(&target) {
        Ok(on_disk) if on_disk == contents => FileState::Unchanged,
        Ok(on_disk) => FileState::Changed {
            diff: short_diff(&path, &on_disk, contents),
            contents: contents.to_owned(),
        },
        Err(_) => FileState::Missing {
            contents: contents.to_owned(),
        },
    };
    Ok(FileReport { path, state })
}

/// Files a killed run staged beside `target` (`.<name>.<pid>.generate-tmp`), as stray reports.
pub fn leftovers(root: &Path, target: &Path) -> Vec<FileReport> {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return Vec::new();
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut found: Vec<FileReport> = fs::read_dir(root.join(parent))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| parent.join(entry.file_name()))
        .filter(|path| {
            is_staged_name(path)
                && path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
        })
        .map(|path| FileReport {
            path,
            state: FileState::Stray,
        })
        .collect();
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// One file-system change `write` is about to make. [`write_with`] hands each to a hook before
/// making it: the tests fail a step (a full disk, a refused rename) or stop the run there (a
/// kill) to show the workspace loads at every point.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// Writing a staged file.
    Stage(&'a Path),
    /// Renaming a staged file or crate into place, or a removed crate out of the glob.
    Rename(&'a Path),
    /// Deleting a stray file or a parked crate.
    Remove(&'a Path),
}

/// Applies `reports`: writes changed and missing files, deletes stray ones.
pub fn write(root: &Path, out_dir: &Path, reports: &[FileReport]) -> Result<(), Error> {
    write_with(root, out_dir, reports, &mut |_| Ok(()))
}

/// [`write()`], calling `hook` before each change; an error from it is that change failing.
///
/// In phases, so that a failure part-way replaces nothing and a kill leaves a workspace Cargo
/// loads: every file is first written in full (a new crate's in the staging directory, outside
/// the member glob; others beside their target), and only when all are staged does anything
/// move into place. A failure while staging removes what was staged and reports that nothing was
/// replaced; one while renaming (which needs no space) reports exactly what was.
pub fn write_with(
    root: &Path,
    out_dir: &Path,
    reports: &[FileReport],
    hook: &mut dyn FnMut(Step<'_>) -> io::Result<()>,
) -> Result<(), Error> {
    let staging = staging_dir(root, out_dir);
    let relative_staging = staging.strip_prefix(root).unwrap_or(&staging).to_owned();
    let fail = |path: &Path, source, replaced| Error::Write {
        path: path.to_owned(),
        source,
        replaced,
    };
    // What a killed run left in the staging directory is this module's alone.
    match fs::remove_dir_all(&staging) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            return Err(fail(&relative_staging, e, Vec::new()));
        }
        _ => {}
    }
    let crate_of = |path: &Path| -> Option<PathBuf> {
        let rest = path.strip_prefix(out_dir).ok()?;
        Some(out_dir.join(rest.components().next()?))
    };
    let is_new = |krate: &Path| fs::symlink_metadata(root.join(krate)).is_err();

    // Phase 1: stage.
    let mut new_crates: Vec<PathBuf> = Vec::new();
    let mut staged: Vec<(PathBuf, &FileReport)> = Vec::new();
    let clean_up = |staged: &[(PathBuf, &FileReport)]| {
        for (temp, _) in staged {
            let _ = fs::remove_file(temp);
        }
        let _ = fs::remove_dir_all(&staging);
    };
    for report in reports {
        let (FileState::Changed { contents, .. } | FileState::Missing { contents }) = &report.state
        else {
            continue;
        };
        let new_crate = crate_of(&report.path).filter(|k| is_new(k));
        let result = match &new_crate {
            Some(krate) => {
                if !new_crates.contains(krate) {
                    new_crates.push(krate.clone());
                }
                let inside = report.path.strip_prefix(out_dir).unwrap_or(&report.path);
                let temp = staging.join("new").join(inside);
                stage_new(&temp, contents, hook).map(|()| None)
            }
            None => stage_beside(&root.join(&report.path), contents, hook).map(Some),
        };
        match result {
            Ok(Some(temp)) => staged.push((temp, report)),
            Ok(None) => {}
            Err(source) => {
                clean_up(&staged);
                return Err(fail(&report.path, source, Vec::new()));
            }
        }
    }

    // Phase 2: move into place. A new crate appears complete, by one rename; in an existing
    // crate its manifest is replaced last, so a crate's files are there before Cargo reads them.
    let mut replaced = Vec::new();
    for krate in &new_crates {
        let inside = krate.strip_prefix(out_dir).unwrap_or(krate);
        let from = staging.join("new").join(inside);
        let moved = hook(Step::Rename(krate))
            .and_then(|()| fs::create_dir_all(root.join(out_dir)))
            .and_then(|()| fs::rename(&from, root.join(krate)));
        if let Err(source) = moved {
            clean_up(&staged);
            return Err(fail(krate, source, replaced));
        }
        replaced.push(krate.clone());
    }
    staged.sort_by_key(|(_, report)| report.path.ends_with("Cargo.toml"));
    for (i, (temp, report)) in staged.iter().enumerate() {
        let target = root.join(&report.path);
        if let Err(source) =
            hook(Step::Rename(&report.path)).and_then(|()| fs::rename(temp, &target))
        {
            clean_up(&staged[i..]);
            return Err(fail(&report.path, source, replaced));
        }
        replaced.push(report.path.clone());
    }

    // Phase 3: remove. A crate no spec produces leaves the member glob whole, by one rename,
    // before it is deleted; other stray files go one by one.
    let strays: Vec<&FileReport> = reports
        .iter()
        .filter(|r| r.state == FileState::Stray)
        .collect();
    let mut gone_crates: Vec<PathBuf> = Vec::new();
    for report in &strays {
        let Some(krate) = crate_of(&report.path) else {
            continue;
        };
        let whole = reports
            .iter()
            .filter(|r| r.path.starts_with(&krate))
            .all(|r| r.state == FileState::Stray);
        if whole && !gone_crates.contains(&krate) && !new_crates.contains(&krate) {
            gone_crates.push(krate);
        }
    }
    for krate in &gone_crates {
        let inside = krate.strip_prefix(out_dir).unwrap_or(krate);
        let parked = staging.join("removed").join(inside);
        let moved = hook(Step::Rename(krate))
            .and_then(|()| fs::create_dir_all(staging.join("removed")))
            .and_then(|()| fs::rename(root.join(krate), &parked));
        if let Err(source) = moved {
            return Err(fail(krate, source, replaced));
        }
        replaced.push(krate.clone());
        // Already outside the glob: a failure here leaves only the staging directory, which
        // the next run removes.
        let _ = hook(Step::Remove(krate)).and_then(|()| fs::remove_dir_all(&parked));
    }
    let mut loose: Vec<&&FileReport> = strays
        .iter()
        .filter(|r| !crate_of(&r.path).is_some_and(|k| gone_crates.contains(&k)))
        .collect();
    loose.sort_by_key(|r| r.path.ends_with("Cargo.toml"));
    for report in loose {
        let target = root.join(&report.path);
        let removed = hook(Step::Remove(&report.path)).and_then(|()| {
            if fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
                fs::remove_dir_all(&target)
            } else {
                fs::remove_file(&target)
            }
        });
        // Gone already: a file this run staged under the name a killed run used (same id).
        if let Err(source) = removed.or_else(|e| match e.kind() {
            io::ErrorKind::NotFound => Ok(()),
            _ => Err(e),
        }) {
            return Err(fail(&report.path, source, replaced));
        }
        remove_empty_parents(&target, &root.join(out_dir));
        replaced.push(report.path.clone());
    }
    let _ = fs::remove_dir_all(&staging);
    Ok(())
}

/// Writes `contents` to a new file `path` (creating its directories), through `hook`.
fn stage_new(
    path: &Path,
    contents: &str,
    hook: &mut dyn FnMut(Step<'_>) -> io::Result<()>,
) -> io::Result<()> {
    hook(Step::Stage(path))?;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let written = (|| {
        // `create_new`: a file already there (a FIFO included) is an error, never opened.
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()
    })();
    if written.is_err() {
        let _ = fs::remove_file(path);
    }
    written
}

/// Writes `contents` to a new file beside `target` and returns its path. The file is created
/// as any other with the default mode, so the user's umask applies (a temp-file library would
/// make it 0600).
fn stage_beside(
    target: &Path,
    contents: &str,
    hook: &mut dyn FnMut(Step<'_>) -> io::Result<()>,
) -> io::Result<PathBuf> {
    let parent = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let temp = parent.join(format!(".{name}.{}{TEMP_SUFFIX}", std::process::id()));
    // One left by a killed run with this process id: ours, and never opened (it may be anything).
    let _ = fs::remove_file(&temp);
    hook(Step::Stage(&temp))?;
    fs::create_dir_all(parent)?;
    stage_new(&temp, contents, &mut |_| Ok(()))?;
    Ok(temp)
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

    /// A crate as `render` gives it: a manifest Cargo loads without dependencies, and a library.
    fn rendered(name: &str, version: &str) -> RenderedCrate {
        let file = |path: &str, contents: String| crate::render::RenderedFile {
            path: PathBuf::from(name).join(path),
            contents,
        };
        RenderedCrate {
            crate_name: name.into(),
            model: crate::model::CrateModel {
                crate_name: name.into(),
                lib: name.replace('-', "_"),
                title: String::new(),
                api_version: String::new(),
                spec: format!("specs/{name}.yaml"),
                operations: Vec::new(),
                types: Default::default(),
                phases: Default::default(),
                runtime: String::new(),
            },
            spec_path: PathBuf::from(format!("specs/{name}.yaml")),
            operations: 1,
            files: vec![
                file(
                    "Cargo.toml",
                    format!(
                        "# {GENERATED_MARKER}\n[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n# {version}\n"
                    ),
                ),
                file(
                    "src/lib.rs",
                    format!("// {GENERATED_MARKER}\n// {version}\n"),
                ),
            ],
        }
    }

    /// A scratch workspace whose members are `generated/*`: `kept` and `old` generated, and
    /// the coverage file.
    fn scratch() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        fs::write(
            root.path().join("Cargo.toml"),
            "[workspace]\nresolver = \"2\"\nmembers = [\"generated/*\"]\n",
        )
        .unwrap();
        let reports = compare(
            root.path(),
            Path::new("generated"),
            &[rendered("kept", "1"), rendered("old", "1")],
        )
        .unwrap();
        write(root.path(), Path::new("generated"), &reports).unwrap();
        fs::create_dir_all(root.path().join("tests")).unwrap();
        fs::write(root.path().join("tests/README.md"), "old table\n").unwrap();
        root
    }

    /// The run under test: `kept` changes, `fresh` is new, `old` is removed, the table changes.
    fn reports(root: &Path) -> Vec<FileReport> {
        let mut reports = compare(
            root,
            Path::new("generated"),
            &[rendered("fresh", "2"), rendered("kept", "2")],
        )
        .unwrap();
        reports.push(compare_file(root, PathBuf::from("tests/README.md"), "new table\n").unwrap());
        reports.extend(leftovers(root, Path::new("tests/README.md")));
        reports
    }

    /// Every file below `dir` with its bytes.
    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<(PathBuf, Vec<u8>)> = walk(dir, Path::new(""))
            .files
            .into_iter()
            .map(|p| (p.clone(), fs::read(dir.join(&p)).unwrap()))
            .collect();
        files.sort();
        files
    }

    /// What `cargo metadata` says of the scratch workspace: `None` when it loads.
    fn cargo_metadata_fails(root: &Path) -> Option<String> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let output = std::process::Command::new(cargo)
            .args([
                "metadata",
                "--no-deps",
                "--offline",
                "--format-version",
                "1",
                "--manifest-path",
            ])
            .arg(root.join("Cargo.toml"))
            .output()
            .unwrap();
        (!output.status.success()).then(|| String::from_utf8_lossy(&output.stderr).into_owned())
    }

    /// Every step `write` takes, failed (an error such as a full disk) and killed (the hook
    /// panics: no clean-up runs), one case each: afterwards `cargo metadata` loads the
    /// workspace, a failure that says it replaced nothing did not, and the next run brings
    /// everything to what the specs produce, leaving no staged file.
    #[test]
    fn the_workspace_loads_whatever_step_fails_or_is_killed_and_the_next_run_repairs_it() {
        let expected = {
            let root = scratch();
            write(root.path(), Path::new("generated"), &reports(root.path())).unwrap();
            assert_eq!(cargo_metadata_fails(root.path()), None);
            snapshot(root.path())
        };
        let steps = {
            let root = scratch();
            let mut steps = Vec::new();
            write_with(
                root.path(),
                Path::new("generated"),
                &reports(root.path()),
                &mut |step| {
                    steps.push(format!("{step:?}"));
                    Ok(())
                },
            )
            .unwrap();
            steps
        };
        assert!(steps.len() >= 8, "{steps:#?}");
        for (at, step) in steps.iter().enumerate() {
            for killed in [false, true] {
                let case = format!(
                    "{} at step {at} ({step})",
                    if killed { "killed" } else { "failed" }
                );
                let root = scratch();
                let before = snapshot(root.path());
                let mut count = 0;
                let mut hook = |_: Step<'_>| {
                    count += 1;
                    if count <= at {
                        return Ok(());
                    }
                    if killed {
                        panic!("killed");
                    }
                    Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"))
                };
                let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    write_with(
                        root.path(),
                        Path::new("generated"),
                        &reports(root.path()),
                        &mut hook,
                    )
                }));
                match (killed, run) {
                    (true, Err(_)) => {}
                    // Deleting a crate already moved out of the glob: the next run finishes it.
                    (false, Ok(Ok(()))) if step.starts_with("Remove(") => {}
                    (false, Ok(Err(error))) => {
                        if error.wrote_nothing() {
                            assert_eq!(snapshot(root.path()), before, "{case}: {error}");
                        }
                        let leftover = walk(root.path(), Path::new("")).files;
                        assert!(
                            !leftover.iter().any(|p| is_staged_name(p)),
                            "{case}: a failed run removes what it staged: {leftover:?}"
                        );
                    }
                    (_, other) => {
                        panic!("{case}: {:?}", other.map(|r| r.map_err(|e| e.to_string())))
                    }
                }
                if let Some(error) = cargo_metadata_fails(root.path()) {
                    panic!("{case}: the workspace does not load:\n{error}");
                }
                write(root.path(), Path::new("generated"), &reports(root.path())).unwrap();
                assert_eq!(
                    snapshot(root.path()),
                    expected,
                    "{case}: the next run repairs it"
                );
                assert!(
                    !staging_dir(root.path(), Path::new("generated")).exists(),
                    "{case}"
                );
            }
        }
    }

    /// What interrupted runs left (this version's, and the empty or manifest-less crate
    /// directories older versions left): each is reported stale, and one run repairs it.
    #[test]
    fn one_run_repairs_what_an_interrupted_run_left() {
        type Plant = fn(&Path);
        let cases: [(&str, Plant); 6] = [
            ("an empty directory of the new crate", |root| {
                fs::create_dir_all(root.join("generated/fresh/src")).unwrap()
            }),
            ("an empty directory of no crate", |root| {
                fs::create_dir_all(root.join("generated/ghost/src")).unwrap()
            }),
            ("a library without its manifest", |root| {
                fs::create_dir_all(root.join("generated/ghost/src")).unwrap();
                fs::write(
                    root.join("generated/ghost/src/lib.rs"),
                    format!("// {GENERATED_MARKER}\n"),
                )
                .unwrap();
            }),
            ("a staged table", |root| {
                fs::write(root.join("tests/.README.md.123.generate-tmp"), "half").unwrap()
            }),
            ("an empty staged file", |root| {
                fs::write(root.join("generated/kept/src/.lib.rs.77.generate-tmp"), "").unwrap()
            }),
            ("the staging directory", |root| {
                let staged = root.join(".generated.generate-tmp/new/fresh/src");
                fs::create_dir_all(&staged).unwrap();
                fs::write(staged.join("lib.rs"), "half").unwrap();
            }),
        ];
        let expected = {
            let root = scratch();
            write(root.path(), Path::new("generated"), &reports(root.path())).unwrap();
            snapshot(root.path())
        };
        for (case, plant) in cases {
            let root = scratch();
            plant(root.path());
            let stale = reports(root.path());
            assert!(
                stale
                    .iter()
                    .any(|r| r.state == FileState::Stray && !r.path.starts_with("generated/old"))
                    || case == "the staging directory"
                    || case == "an empty directory of the new crate",
                "{case}: reported stale: {stale:#?}"
            );
            write(root.path(), Path::new("generated"), &stale).unwrap();
            assert_eq!(cargo_metadata_fails(root.path()), None, "{case}");
            assert_eq!(snapshot(root.path()), expected, "{case}");
        }
    }

    /// A special file where generate would read or write is an error naming it, never opened
    /// (a FIFO would block) and never replaced or deleted.
    #[cfg(unix)]
    #[test]
    fn a_special_file_among_the_generated_files_is_an_error_naming_it() {
        let fifo = |path: &Path| {
            let status = std::process::Command::new("mkfifo")
                .arg(path)
                .status()
                .unwrap();
            assert!(status.success());
        };
        type Plant = fn(&Path, &dyn Fn(&Path));
        let cases: [(&str, Plant, &str); 5] = [
            (
                "generated/kept/src/lib.rs",
                |p, fifo| {
                    fs::remove_file(p).unwrap();
                    fifo(p)
                },
                "is a FIFO",
            ),
            (
                "generated/kept/src/extra.rs",
                |p, fifo| fifo(p),
                "is a FIFO",
            ),
            (
                "generated/kept/src/lib.rs",
                |p, _| {
                    fs::remove_file(p).unwrap();
                    std::os::unix::fs::symlink("/etc/hostname", p).unwrap()
                },
                "is a symlink",
            ),
            (
                "generated/kept/src/lib.rs",
                |p, _| {
                    fs::remove_file(p).unwrap();
                    fs::create_dir(p).unwrap()
                },
                "is a directory",
            ),
            (
                "tests/README.md",
                |p, fifo| {
                    fs::remove_file(p).unwrap();
                    fifo(p)
                },
                "is a FIFO",
            ),
        ];
        for (place, plant, message) in cases {
            let root = scratch();
            plant(&root.path().join(place), &fifo);
            let before = walk(root.path(), Path::new(""));
            let result = (|| -> Result<Vec<FileReport>, Errors> {
                let mut reports = compare(
                    root.path(),
                    Path::new("generated"),
                    &[rendered("kept", "2")],
                )?;
                reports.push(compare_file(
                    root.path(),
                    PathBuf::from("tests/README.md"),
                    "new\n",
                )?);
                Ok(reports)
            })();
            let errors = result.expect_err(place);
            let text = errors.to_string();
            assert!(
                text.contains(&format!("{place}: {message}")),
                "{place}: {text}"
            );
            let after = walk(root.path(), Path::new(""));
            assert_eq!(
                (before.files, before.special),
                (after.files, after.special),
                "{place}"
            );
        }
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

    /// A removed crate's LICENSE (which cannot carry the marker) is removed with it when it is
    /// the license word for word; an edited one is hand-written and stops the run.
    #[test]
    fn a_removed_crates_license_goes_with_it_unless_edited() {
        for (text, removed) in [
            (LICENSE.to_owned(), true),
            (format!("{LICENSE}\nedited\n"), false),
        ] {
            let root = scratch();
            fs::write(root.path().join("generated/old/LICENSE"), &text).unwrap();
            let result = compare(
                root.path(),
                Path::new("generated"),
                &[rendered("kept", "1")],
            );
            match result {
                Ok(reports) => {
                    assert!(removed, "an edited LICENSE was taken for the generated one");
                    assert!(
                        reports
                            .iter()
                            .any(|r| r.path == Path::new("generated/old/LICENSE")
                                && matches!(r.state, FileState::Stray))
                    );
                }
                Err(errors) => {
                    assert!(!removed, "{errors:?}");
                    assert!(
                        format!("{errors:?}").contains("not marked @generated"),
                        "{errors:?}"
                    );
                }
            }
        }
    }
}
