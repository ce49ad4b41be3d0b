//! Helpers shared by the xtask integration tests: copies of this repository and runs of the
//! `xtask` binary on them.
#![allow(dead_code)] // each test crate uses its own subset

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
    process::{Command, Output},
};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A temporary workspace root holding copies of `specs/`, `generated/`, the release records, the
/// cassettes and the coverage file they produce, and the workspace's manifests (which name the
/// packages a spec's crate must not collide with).
pub fn copy_of_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["specs", "generated", "releases", "tests/cassettes"] {
        copy_dir(&repo_root().join(sub), &dir.path().join(sub));
    }
    for manifest in [
        "Cargo.toml",
        "codegen/Cargo.toml",
        "xtask/Cargo.toml",
        "runtime/Cargo.toml",
        "tests/Cargo.toml",
        "cli/Cargo.toml",
    ] {
        let to = dir.path().join(manifest);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(repo_root().join(manifest), to).unwrap();
    }
    fs::copy(
        repo_root().join("tests/README.md"),
        dir.path().join("tests/README.md"),
    )
    .unwrap();
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(d) = pending.pop() {
        for entry in fs::read_dir(&d).unwrap().flatten() {
            if entry.file_type().unwrap().is_dir() {
                pending.push(entry.path());
            } else {
                let relative = entry.path().strip_prefix(dir).unwrap().to_owned();
                files.insert(relative, fs::read(entry.path()).unwrap());
            }
        }
    }
    files
}

pub fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

/// Replaces `from` by `to` in the file at `path`.
pub fn edit_file(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "{} has no `{from}` to edit",
        path.display()
    );
    fs::write(path, text.replace(from, to)).unwrap();
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The rest of a `file:line:col : ...` (or `file : ...`, about the file as a whole) line about
/// `file`.
pub fn about<'a>(line: &'a str, file: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(file)?;
    if let Some(rest) = rest.strip_prefix(" : ") {
        return Some(rest);
    }
    let (position, rest) = rest.strip_prefix(':')?.split_once(" : ")?;
    let (row, column) = position.split_once(':')?;
    let number = |n: &str| n.parse::<usize>().is_ok_and(|n| n > 0);
    (number(row) && number(column)).then_some(rest)
}
