//! `cargo xtask generate` end to end, on copies of this repository's specs and generated crates.

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
    process::{Command, Output},
};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A temporary workspace root holding copies of `specs/`, `generated/`, the cassettes and the
/// coverage file they produce.
fn copy_of_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["specs", "generated", "tests/cassettes"] {
        copy_dir(&repo_root().join(sub), &dir.path().join(sub));
    }
    fs::copy(
        repo_root().join("tests/README.md"),
        dir.path().join("tests/README.md"),
    )
    .unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
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
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
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

fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

/// Replaces `from` by `to` in the file at `path`.
fn edit_file(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "{} has no `{from}` to edit",
        path.display()
    );
    fs::write(path, text.replace(from, to)).unwrap();
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn committed_generated_crates_are_what_the_specs_produce() {
    let output = xtask(&repo_root(), &["generate", "--check"]);
    assert!(
        output.status.success(),
        "generated/ is stale:\n{}",
        stderr(&output)
    );
}

#[test]
fn generation_is_byte_for_byte_deterministic() {
    let root = copy_of_repo();
    let generated = root.path().join("generated");
    fs::remove_dir_all(&generated).unwrap();
    assert!(xtask(root.path(), &["generate"]).status.success());
    let first = snapshot(&generated);
    fs::remove_dir_all(&generated).unwrap();
    assert!(xtask(root.path(), &["generate"]).status.success());
    assert_eq!(first, snapshot(&generated));
    let committed = snapshot(&repo_root().join("generated"));
    assert_eq!(first, committed, "fresh output equals the committed crates");
}

#[test]
fn check_names_the_stale_file_and_generate_fixes_it() {
    let root = copy_of_repo();
    edit_file(
        &root.path().join("specs/dli-v1.yaml"),
        "is_success:",
        "was_successful:",
    );
    let before = snapshot(&root.path().join("generated"));

    let check = xtask(root.path(), &["generate", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    let report = stderr(&check);
    assert!(
        report.contains("generated/dli-v1/src/lib.rs differs"),
        "{report}"
    );
    assert!(
        report.contains("generated/dli-v1/Cargo.toml differs"),
        "the spec digest changed: {report}"
    );
    assert!(
        report.contains("+        pub was_successful"),
        "a diff is shown: {report}"
    );
    assert_eq!(
        before,
        snapshot(&root.path().join("generated")),
        "--check writes nothing"
    );

    assert!(xtask(root.path(), &["generate"]).status.success());
    assert!(
        xtask(root.path(), &["generate", "--check"])
            .status
            .success()
    );
}

#[test]
fn a_spec_without_a_generated_crate_is_reported_missing() {
    let root = copy_of_repo();
    fs::remove_dir_all(root.path().join("generated/mrs-v2")).unwrap();
    let check = xtask(root.path(), &["generate", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    let report = stderr(&check);
    assert!(
        report.contains("generated/mrs-v2/src/lib.rs is missing"),
        "{report}"
    );
}

#[test]
fn a_crate_whose_spec_was_removed_is_deleted_by_generate() {
    let root = copy_of_repo();
    fs::remove_file(root.path().join("specs/mrs-v2.yaml")).unwrap();
    let check = xtask(root.path(), &["generate", "--check"]);
    let report = stderr(&check);
    assert!(
        report.contains("generated/mrs-v2/src/lib.rs is produced by no spec"),
        "{report}"
    );
    assert!(xtask(root.path(), &["generate"]).status.success());
    assert!(!root.path().join("generated/mrs-v2").exists());
}

#[test]
fn a_hand_written_file_in_generated_is_never_deleted() {
    let root = copy_of_repo();
    let notes = root.path().join("generated/dli-v1/NOTES.md");
    fs::write(&notes, "mine\n").unwrap();
    let output = xtask(root.path(), &["generate"]);
    assert_eq!(output.status.code(), Some(1));
    let report = stderr(&output);
    assert!(
        report.contains(
            "generated/dli-v1/NOTES.md: is not produced by any spec and is not marked @generated"
        ),
        "{report}"
    );
    assert!(notes.exists());
}

/// Each `tests/bad-specs/progenitor-*.yaml` makes progenitor panic or silently mistype; generate
/// must name the file and the operation in one paragraph, exit 1, and leave generated/ as it was.
#[test]
fn specs_progenitor_cannot_generate_are_reported_and_write_nothing() {
    let corpus = repo_root().join("tests/bad-specs");
    let mut cases: Vec<PathBuf> = fs::read_dir(&corpus)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("progenitor-")
        })
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 5,
        "the corpus holds the known progenitor failures"
    );
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let root = copy_of_repo();
        // Change a good spec too: nothing of it may be written either.
        edit_file(
            &root.path().join("specs/dli-v1.yaml"),
            "Canceled.",
            "Cancelled.",
        );
        fs::copy(&case, root.path().join("specs").join(&name)).unwrap();
        let before = snapshot(&root.path().join("generated"));

        let output = xtask(root.path(), &["generate"]);
        let report = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{name}: {report}");
        assert!(
            report.contains(&format!("specs/{name}: operation `")),
            "{name}: names file and operation: {report}"
        );
        assert!(
            report.contains("hint: "),
            "{name}: says what to do: {report}"
        );
        assert!(
            !report.contains("panicked at"),
            "{name}: no raw panic: {report}"
        );
        assert_eq!(
            before,
            snapshot(&root.path().join("generated")),
            "{name}: generated/ must be untouched"
        );
    }
}

#[test]
fn a_yaml_error_names_line_and_column() {
    let root = copy_of_repo();
    fs::write(
        root.path().join("specs/broken.yaml"),
        "openapi: 3.0.3\ninfo: {title: x\n",
    )
    .unwrap();
    let output = xtask(root.path(), &["generate"]);
    assert_eq!(output.status.code(), Some(1));
    let report = stderr(&output);
    assert!(
        report.contains("specs/broken.yaml:3:1: not a valid OpenAPI 3.0 document"),
        "{report}"
    );
}

#[test]
fn coverage_names_a_documented_status_without_a_cassette() {
    let root = copy_of_repo();
    fs::remove_file(root.path().join("tests/cassettes/mrs-v2/stop_job.202.json")).unwrap();
    let output = xtask(root.path(), &["coverage"]);
    assert!(!output.status.success());
    let report = stderr(&output);
    assert!(
        report.contains("mrs-v2 stop_job (POST /v2/{project_id}/clusters/{cluster_id}/job-executions/{job_execution_id}/kill) documents status 202 but no cassette records it"),
        "{report}"
    );
    assert!(
        report.contains("hint: add tests/cassettes/mrs-v2/stop_job.202.json"),
        "{report}"
    );
    // The table is part of what generate produces: --check sees it drift.
    let check = xtask(root.path(), &["generate", "--check"]);
    assert!(
        stderr(&check).contains("tests/README.md differs"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn coverage_names_a_cassette_for_an_undeclared_status() {
    let root = copy_of_repo();
    let dir = root.path().join("tests/cassettes/dli-v1");
    fs::copy(
        dir.join("check_sql.400.json"),
        dir.join("check_sql.404.json"),
    )
    .unwrap();
    let output = xtask(root.path(), &["coverage"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("dli-v1/check_sql.404.json: records no documented status"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn coverage_of_this_repository_has_no_gap() {
    let output = xtask(&repo_root(), &["coverage"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(table.contains("34 operations"), "{table}");
    assert!(!table.contains("**none**"), "{table}");
}

#[test]
fn lint_of_this_repository_is_clean() {
    let output = xtask(&repo_root(), &["lint"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn lint_reports_every_problem_with_file_pointer_and_rule() {
    let root = copy_of_repo();
    let spec = root.path().join("specs/dli-v1.yaml");
    edit_file(&spec, "operationId: check_sql", "operationId: checkSql");
    edit_file(&spec, "example: 1502349803729", "example: soon");
    let cassette = root.path().join("tests/cassettes/mrs-v2/stop_job.500.json");
    edit_file(&cassette, "\"status\": 500", "\"status\": 409");
    let output = xtask(root.path(), &["lint"]);
    assert_eq!(output.status.code(), Some(1));
    let lines = String::from_utf8_lossy(&output.stdout).into_owned();
    for expected in [
        "specs/dli-v1.yaml : /paths/~1v1.0~1{project_id}~1jobs~1check-sql/post/operationId : operation-id : `checkSql` is not snake_case",
        "specs/dli-v1.yaml : /paths/~1v1.0~1{project_id}~1jobs/get/parameters/3/example : example : ",
        "tests/cassettes/mrs-v2/stop_job.500.json : /response/status : cassette-status : status 409 is not declared",
    ] {
        assert!(
            lines.contains(expected),
            "missing {expected:?} in:\n{lines}"
        );
    }
}

#[test]
fn lint_refuses_a_cassette_holding_a_credential() {
    let root = copy_of_repo();
    let cassette = root
        .path()
        .join("tests/cassettes/dli-v1/check_sql.200.json");
    edit_file(
        &cassette,
        "\"accept\": \"application/json\"",
        "\"accept\": \"application/json\", \"x-auth-token\": \"MIIDkgYJKoZIhvcNAQcC\"",
    );
    let output = xtask(root.path(), &["lint"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains(
            "tests/cassettes/dli-v1/check_sql.200.json : /request/headers/x-auth-token : cassette-credential"
        ),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
