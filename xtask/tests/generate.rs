//! `cargo xtask generate` end to end, on copies of this repository's specs and generated crates.

mod support;

use std::fs;

use support::*;

#[test]
fn committed_generated_crates_are_what_the_specs_produce() {
    let output = xtask(&repo_root(), &["generate", "--check"]);
    assert!(
        output.status.success(),
        "generated/ is stale:\n{}",
        stderr(&output)
    );
}

/// The same output run after run and whatever the thread count (`CODEGEN_JOBS`): one thread,
/// two, and more threads than specs.
#[test]
fn generation_is_byte_for_byte_deterministic() {
    let root = copy_of_repo();
    let generated = root.path().join("generated");
    let committed = snapshot(&repo_root().join("generated"));
    for jobs in ["1", "2", "16", "16"] {
        fs::remove_dir_all(&generated).unwrap();
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["generate", "--root"])
            .arg(root.path())
            .env("CODEGEN_JOBS", jobs)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{jobs} threads: {}",
            stderr(&output)
        );
        assert!(
            snapshot(&generated) == committed,
            "{jobs} threads: fresh output differs from the committed crates"
        );
    }
}

#[test]
fn check_names_the_stale_file_and_generate_fixes_it() {
    let root = copy_of_repo();
    edit_file(
        &root.path().join("specs/dli-v1.yaml"),
        "input_size:",
        "scanned_bytes:",
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
        report.contains("+        pub scanned_bytes"),
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
        stderr(&output).contains("dli-v1/check_sql.404.json: refused by the cassette rules"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn coverage_of_this_repository_has_no_gap() {
    let output = xtask(&repo_root(), &["coverage"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let table = String::from_utf8_lossy(&output.stdout);
    // One term per branch that adds operations, so that branches merge line by line.
    let operations = 40
        // dli-queues-v1 (issue 20): seven queue operations.
        + 7
        // dli-flink-v1 (issue 20): seventeen Flink job and template operations.
        + 17
        // mrs-v1-1 and mrs-v2 (issue 21): eight cluster operations.
        + 8
        // dataarts-factory-v1 (issue 22): eighteen Factory job operations.
        + 18
        // issue 34: DLI elastic resource pools (8), global variables (4), the Flink stream graph
        // (1), MRS auto scaling (2).
        + 15;
    assert!(
        table.contains(&format!("{operations} operations")),
        "{table}"
    );
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
    // Lines and columns are the ones an editor shows for the edited text.
    let spec_text = fs::read_to_string(&spec).unwrap();
    let at = |text: &str, needle: &str| {
        let before = &text[..text.find(needle).unwrap()];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        format!("{line}:{column}")
    };
    let expected_lines = [
        format!(
            "specs/dli-v1.yaml:{} : /paths/~1v1.0~1{{project_id}}~1jobs~1check-sql/post/operationId : operation-id : `checkSql` is not snake_case",
            at(&spec_text, "operationId: checkSql")
        ),
        format!(
            "specs/dli-v1.yaml:{} : /paths/~1v1.0~1{{project_id}}~1jobs/get/parameters/3/example : example : ",
            at(&spec_text, "example: soon")
        ),
        format!(
            "tests/cassettes/mrs-v2/stop_job.500.json:{} : /response/status : cassette-status : status 409 is not declared",
            at(&fs::read_to_string(&cassette).unwrap(), "\"status\": 409")
        ),
    ];
    for expected in &expected_lines {
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
        String::from_utf8_lossy(&output.stdout).contains(&format!(
            "tests/cassettes/dli-v1/check_sql.200.json:{} : /request/headers/x-auth-token : cassette-credential",
            {
                let text = fs::read_to_string(&cassette).unwrap();
                let before = &text[..text.find("\"x-auth-token\"").unwrap()];
                let line = before.matches('\n').count() + 1;
                format!("{line}:{}", before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1)
            }
        )),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// One broken copy of `tests/cassettes/dli-v1/check_sql.200.json` per cassette rule.
#[test]
fn lint_reports_each_broken_cassette_with_its_rule_and_pointer() {
    let file = "tests/cassettes/dli-v1/check_sql.200.json";
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "{\n  \"operation_id\"",
            "{{\n  \"operation_id\"",
            "/",
            "cassette-json",
        ),
        (
            "\"operation_id\": \"check_sql\"",
            "\"operation_id\": \"check_sqls\"",
            "/operation_id",
            "cassette-operation",
        ),
        (
            "\"operation_id\": \"check_sql\"",
            "\"unmodelled\": [], \"operation_id\": \"check_sql\"",
            "/unmodelled",
            "cassette-json",
        ),
        (
            "\"method\": \"POST\"",
            "\"method\": \"GET\"",
            "/request/method",
            "cassette-request",
        ),
        (
            "/jobs/check-sql\"",
            "/jobs/check-sql/now\"",
            "/request/path",
            "cassette-request",
        ),
        (
            "\"currentdb\": \"db1\"",
            "\"currentdb\": 1",
            "/request/body/currentdb",
            "cassette-request-body",
        ),
        (
            "\"status\": 200",
            "\"status\": 201",
            "/response/status",
            "cassette-status",
        ),
        (
            "\"is_success\": true",
            "\"is_success\": \"yes\"",
            "/response/body/is_success",
            "cassette-response-body",
        ),
        (
            "\"message\": \"the sql is ok\"",
            "\"message\": \"AKIAIOSFODNN7EXAMPLE\"",
            "/response/body/message",
            "cassette-credential",
        ),
        // An IAM token, and a project ID that is not the placeholder, in the path and a body.
        (
            "\"message\": \"the sql is ok\"",
            "\"message\": \"token MIIEhwYJKoZIhvcNAQcCoIIEeDCCBHQCAQExDTALBglghkgBZQMEAgEwggLVBgkqhkiG9w0BBwGg\"",
            "/response/body/message",
            "cassette-credential",
        ),
        (
            "/v1.0/37caa80116e1403ab603e5eeb48a2f74/jobs/check-sql",
            "/v1.0/9f8e7d6c5b4a39281706f5e4d3c2b1a0/jobs/check-sql",
            "/request/path",
            "cassette-credential",
        ),
        (
            "\"currentdb\": \"db1\"",
            "\"currentdb\": \"db1\", \"project_id\": \"9f8e7d6c5b4a39281706f5e4d3c2b1a0\"",
            "/request/body/project_id",
            "cassette-credential",
        ),
    ];
    for (from, to, pointer, rule) in cases {
        let root = copy_of_repo();
        edit_file(&root.path().join(file), from, to);
        let output = xtask(root.path(), &["lint"]);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert_eq!(output.status.code(), Some(1), "{rule}: {stdout}");
        // At any line (a missing member is at its parent's): `formats.rs` checks positions.
        let expected = format!("{pointer} : {rule} : ");
        assert!(
            stdout
                .lines()
                .filter_map(|l| about(l, file))
                .any(|rest| rest.starts_with(&expected)),
            "{rule}: missing {file} ... {expected:?} in:\n{stdout}"
        );
    }
}

/// A password the spec marks secret (`format: password`) may be recorded only as the
/// placeholder: anything else in its place is refused, in both MRS creation requests.
#[test]
fn lint_refuses_a_recorded_password() {
    let cases = [
        (
            "tests/cassettes/mrs-v2/create_cluster.200.json",
            "\"manager_admin_password\": \"<scrubbed>\"",
            "\"manager_admin_password\": \"Mrs@Cluster2026!\"",
            "/request/body/manager_admin_password",
        ),
        (
            "tests/cassettes/mrs-v1-1/create_cluster.200.json",
            "\"cluster_admin_secret\": \"<scrubbed>\"",
            "\"cluster_admin_secret\": \"Admin@12345\"",
            "/request/body/cluster_admin_secret",
        ),
    ];
    for (file, from, to, pointer) in cases {
        let root = copy_of_repo();
        edit_file(&root.path().join(file), from, to);
        let output = xtask(root.path(), &["lint"]);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert_eq!(output.status.code(), Some(1), "{file}: {stdout}");
        let text = fs::read_to_string(root.path().join(file)).unwrap();
        let before = &text[..text.find(to).unwrap()];
        let (line, column) = (
            before.matches('\n').count() + 1,
            before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1,
        );
        let expected = format!("{file}:{line}:{column} : {pointer} : cassette-secret : ");
        assert!(
            stdout.lines().any(|l| l.starts_with(&expected)),
            "missing {expected:?} in:\n{stdout}"
        );
        assert!(
            !stdout.contains("Mrs@Cluster2026!") && !stdout.contains("Admin@12345"),
            "the value shows: {stdout}"
        );
    }
}

/// A spec whose crate name a workspace package, a dependency or another spec already has would
/// make a second package of that name, and Cargo would then load nothing: refused, naming both.
#[test]
fn crate_names_that_would_break_the_workspace_are_refused_naming_both_files() {
    let cases = [
        ("xtask.yaml", "xtask/Cargo.toml"),
        ("replay.yaml", "tests/Cargo.toml"),
        ("cloud-runtime.yaml", "runtime/Cargo.toml"),
        ("serde.yaml", "Cargo.toml"),
        ("mrs-v1-1.yaml", "specs/mrs-v1-1.yaml"),
        // Its client crate would be dli-v1's command line.
        ("dli-v1-cli.yaml", "specs/dli-v1"),
        // Its command line would be the program's own package.
        ("cloudjobs.yaml", "cli/Cargo.toml"),
    ];
    let spec = fs::read_to_string(repo_root().join("specs/dli-v1.yaml")).unwrap();
    for (file, other) in cases {
        let root = copy_of_repo();
        fs::write(root.path().join("specs").join(file), &spec).unwrap();
        let before = snapshot(&root.path().join("generated"));
        for command in [&["generate"][..], &["lint"][..]] {
            let output = xtask(root.path(), command);
            let report = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                stderr(&output)
            );
            assert_eq!(output.status.code(), Some(1), "{file}: {report}");
            let line = report
                .lines()
                .find(|l| l.contains(" : crate-name : "))
                .unwrap_or_else(|| panic!("{file} {command:?}: no crate-name line: {report}"));
            assert!(line.contains(other), "{file}: names {other}: {line}");
            assert!(line.contains("specs/"), "{file}: names the spec: {line}");
        }
        assert_eq!(
            before,
            snapshot(&root.path().join("generated")),
            "{file}: nothing written"
        );
    }
}

/// A user who depends on a client crate alone compiles neither the command line's nor the
/// mocks' dependencies: they are other crates, and the runtime's `cli` and `mock` features.
#[test]
fn a_client_crate_alone_pulls_no_command_line_or_mock_dependency() {
    for client in ["dli-v1", "mrs-v2", "dataarts-factory-v1"] {
        let output = std::process::Command::new(env!("CARGO"))
            .args([
                "tree",
                "--offline",
                "-e",
                "normal",
                "--prefix",
                "none",
                "-p",
                client,
            ])
            .current_dir(repo_root())
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let tree = String::from_utf8_lossy(&output.stdout);
        for heavy in ["clap ", "clap_complete ", "wiremock "] {
            assert!(
                !tree.lines().any(|line| line.starts_with(heavy)),
                "{client} pulls {heavy}"
            );
        }
        assert!(tree.contains("cloud-runtime "), "{client}: {tree}");
    }
}
