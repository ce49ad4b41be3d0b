//! Files that are not what they seem, where `generate`, `lint` and `coverage` read: each is an
//! error naming it, nothing blocks on it, nothing is deleted because of it, and a cassette is
//! judged by what it records, not by its name.

mod support;

use std::{
    fs,
    path::Path,
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use support::*;

/// `xtask` on `root`, stopped (and the test failed) if it has not ended after a generous bound:
/// a FIFO read would otherwise hang the test run instead of failing it.
fn xtask_bounded(root: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--root")
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("xtask {args:?} blocked");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

type Plant = fn(&Path);

/// A spec replaced by each kind of non-regular file, or renamed to another extension: generate,
/// lint and coverage refuse it, naming it, and the crate it produced stays as it was (a skipped
/// spec used to delete its crate).
#[cfg(unix)]
#[test]
fn a_spec_that_is_not_a_regular_file_is_refused_and_its_crate_kept() {
    let cases: [(&str, Plant); 5] = [
        ("symlink", |spec| {
            fs::rename(spec, spec.with_file_name("real.txt")).unwrap();
            std::os::unix::fs::symlink("real.txt", spec).unwrap();
        }),
        ("renamed", |spec| {
            fs::rename(spec, spec.with_extension("yml")).unwrap();
        }),
        ("FIFO", |spec| {
            fs::remove_file(spec).unwrap();
            mkfifo(spec);
        }),
        ("directory", |spec| {
            fs::remove_file(spec).unwrap();
            fs::create_dir(spec).unwrap();
        }),
        ("symlink", |spec| {
            fs::remove_file(spec).unwrap();
            std::os::unix::fs::symlink("/dev/null", spec).unwrap();
        }),
    ];
    for (kind, plant) in cases {
        let root = copy_of_repo();
        plant(&root.path().join("specs/mrs-v2.yaml"));
        let before = snapshot(&root.path().join("generated"));
        let readme = fs::read(root.path().join("tests/README.md")).unwrap();
        for command in [
            &["generate"][..],
            &["lint"],
            &["coverage"],
            &["generate", "--check"],
        ] {
            let output = xtask_bounded(root.path(), command);
            let report = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                stderr(&output)
            );
            assert_eq!(
                output.status.code(),
                Some(1),
                "{kind} {command:?}: {report}"
            );
            let expected = match kind {
                "renamed" => "specs/mrs-v2.yml : / : file-name : looks like a spec but is not read"
                    .to_owned(),
                _ => format!("specs/mrs-v2.yaml : / : read : is a {kind}, not a regular file"),
            };
            assert!(report.contains(&expected), "{kind} {command:?}: {report}");
        }
        assert_eq!(
            before,
            snapshot(&root.path().join("generated")),
            "{kind}: crate kept"
        );
        assert_eq!(
            readme,
            fs::read(root.path().join("tests/README.md")).unwrap()
        );
    }
}

/// Cassettes judged by content: a name that disagrees with what the file records, and files
/// that are not regular files, are lint errors naming them, and coverage counts none of them.
#[cfg(unix)]
#[test]
fn a_cassette_is_judged_by_what_it_records_and_must_be_a_regular_file() {
    let dir = "tests/cassettes/dli-v1";
    let cases: [(&str, Plant, &str, &str); 5] = [
        (
            "check_sql.400.json",
            |c| {
                fs::copy(c.with_file_name("check_sql.200.json"), c)
                    .map(drop)
                    .unwrap()
            },
            "/response/status : cassette-name : records status 200 but its file name says `400`",
            "1 without a cassette",
        ),
        (
            "check_sql.400.json",
            |c| {
                let text = fs::read_to_string(c.with_file_name("cancel_sql_job.400.json")).unwrap();
                fs::write(c, text).unwrap();
            },
            "/operation_id : cassette-name : records `cancel_sql_job` but its file name says `check_sql`",
            "1 without a cassette",
        ),
        (
            "check_sql.400.json",
            |c| {
                fs::rename(c, c.with_file_name("elsewhere.txt")).unwrap();
                std::os::unix::fs::symlink("elsewhere.txt", c).unwrap();
            },
            "/ : cassette-file : is a symlink, not a regular file",
            "1 without a cassette",
        ),
        (
            "check_sql.400.json",
            |c| {
                fs::remove_file(c).unwrap();
                mkfifo(c);
            },
            "/ : cassette-file : is a FIFO, not a regular file",
            "1 without a cassette",
        ),
        (
            "check_sql.400.other.json",
            |c| {
                fs::copy(c.with_file_name("check_sql.500.json"), c)
                    .map(drop)
                    .unwrap()
            },
            "/response/status : cassette-name : records status 500 but its file name says `400`",
            "no gap",
        ),
    ];
    for (name, plant, line, gaps) in cases {
        let root = copy_of_repo();
        let file = format!("{dir}/{name}");
        plant(&root.path().join(&file));
        let lint = xtask_bounded(root.path(), &["lint"]);
        let stdout = String::from_utf8_lossy(&lint.stdout).into_owned();
        assert_eq!(lint.status.code(), Some(1), "{line}: {stdout}");
        // At the node's line and column, or none for a file refused as a whole.
        assert!(
            stdout
                .lines()
                .filter_map(|l| about(l, &file))
                .any(|rest| rest.starts_with(line)),
            "{line}: {stdout}"
        );
        let coverage = xtask_bounded(root.path(), &["coverage"]);
        let table = String::from_utf8_lossy(&coverage.stdout).into_owned();
        assert_eq!(coverage.status.code(), Some(1), "{line}: {table}");
        assert!(table.contains(gaps), "{line}: {table}");
        assert!(
            stderr(&coverage).contains(&format!("dli-v1/{name}: refused by the cassette rules")),
            "{line}: {}",
            stderr(&coverage)
        );
    }
}
