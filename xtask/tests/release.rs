//! `cargo xtask release` end to end: a spec edit in a copy of this repository, regenerated, then
//! what `release --dry-run` proposes, what `release --check` (CI's gate) says, and what
//! `release` writes.

mod support;

use std::fs;

use support::*;

const SPEC: &str = "specs/dli-queues-v1.yaml";
/// The end of `show_queue`'s parameters, where the planted edits go.
const SHOW_QUEUE_PARAMETERS: &str = "        - $ref: '#/components/parameters/queue_name'\n      responses:\n        '200':\n          description: The queue.";

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// One planted edit: what `release --dry-run` must propose and a line it must print.
struct Case {
    name: &'static str,
    from: &'static str,
    to: &'static str,
    /// The part of the released version the edit bumps (before 1.0, breaking bumps the minor).
    bump: Bump,
    line: &'static str,
}

#[derive(Clone, Copy)]
enum Bump {
    Minor,
    Patch,
}

/// `0.2.0 -> 0.3.0`: the spec's released version (read from its record, so a new release of the
/// real spec does not break this test) and the one `bump` proposes.
fn proposal(root: &std::path::Path, bump: Bump) -> String {
    let record = fs::read_to_string(root.join("releases/dli-queues-v1.json")).unwrap();
    let record: serde_json::Value = serde_json::from_str(&record).unwrap();
    let old = record["version"].as_str().unwrap().to_owned();
    let parts: Vec<u64> = old.split('.').map(|p| p.parse().unwrap()).collect();
    assert_eq!(parts[0], 0, "the cases expect a version before 1.0");
    let new = match bump {
        Bump::Minor => format!("0.{}.0", parts[1] + 1),
        Bump::Patch => format!("0.{}.{}", parts[1], parts[2] + 1),
    };
    format!("{old} -> {new}")
}

#[test]
fn a_planted_change_proposes_its_bump_and_ci_refuses_it_until_released() {
    let cases = [
        Case {
            name: "a required query parameter: breaking",
            from: SHOW_QUEUE_PARAMETERS,
            to: "        - $ref: '#/components/parameters/queue_name'\n        - {name: zone, in: query, required: true, description: The zone., schema: {type: string}}\n      responses:\n        '200':\n          description: The queue.",
            bump: Bump::Minor,
            line: "rust breaking   wire breaking   operation show_queue (dli_02_0016): parameter zone: added, required",
        },
        Case {
            name: "an optional query parameter: compatible",
            from: SHOW_QUEUE_PARAMETERS,
            to: "        - $ref: '#/components/parameters/queue_name'\n        - {name: zone, in: query, description: The zone., schema: {type: string}}\n      responses:\n        '200':\n          description: The queue.",
            bump: Bump::Patch,
            line: "operation show_queue (dli_02_0016): parameter zone: added, optional",
        },
        Case {
            name: "a summary: documentation only",
            from: "summary: Get a queue's details",
            to: "summary: Read a queue's details",
            bump: Bump::Patch,
            line: "rust none       wire none       operation show_queue (dli_02_0016)",
        },
    ];
    for case in &cases {
        let root = copy_of_repo();
        let version = proposal(root.path(), case.bump);
        let spec = root.path().join(SPEC);
        edit_file(&spec, case.from, case.to);
        let generate = xtask(root.path(), &["generate"]);
        assert!(
            generate.status.success(),
            "{}: {}",
            case.name,
            stderr(&generate)
        );
        assert!(
            stdout(&generate).contains(&format!("release: dli-queues-v1 {version}")),
            "{}: generate says what consumers will see:\n{}",
            case.name,
            stdout(&generate)
        );

        let before = snapshot(root.path());
        let dry_run = xtask(root.path(), &["release", "--dry-run"]);
        assert!(
            dry_run.status.success(),
            "{}: {}",
            case.name,
            stderr(&dry_run)
        );
        let proposed = stdout(&dry_run);
        for name in ["dli-queues-v1", "dli-queues-v1-cli", "dli-queues-v1-mock"] {
            assert!(
                proposed.lines().any(|l| l == format!("{name} {version}")),
                "{}: no `{name} {version}` line:\n{proposed}",
                case.name,
            );
        }
        assert!(proposed.contains(case.line), "{}:\n{proposed}", case.name);
        assert!(
            !proposed.contains("dli-v1 "),
            "{}: only the edited spec is proposed:\n{proposed}",
            case.name
        );
        assert_eq!(
            before,
            snapshot(root.path()),
            "{}: --dry-run wrote",
            case.name
        );

        let gate = xtask(root.path(), &["release", "--check"]);
        assert_eq!(gate.status.code(), Some(1), "{}: CI refuses", case.name);
        assert!(
            stdout(&gate).contains(case.line),
            "{}: the report is the message",
            case.name
        );

        let release = xtask(root.path(), &["release", "--date", "2027-01-02"]);
        assert!(
            release.status.success(),
            "{}: {}",
            case.name,
            stderr(&release)
        );
        let new = version.rsplit(' ').next().unwrap();
        // cloudjobs asks for the released command line, or Cargo would not load the workspace.
        let cloudjobs = fs::read_to_string(root.path().join("cli/Cargo.toml")).unwrap();
        assert!(
            cloudjobs.contains(&format!(
                "dli-queues-v1-cli = {{ path = \"../generated/dli-queues-v1-cli\", version = \"{new}\", optional = true }}"
            )),
            "{}:\n{cloudjobs}",
            case.name
        );
        for name in ["dli-queues-v1", "dli-queues-v1-cli", "dli-queues-v1-mock"] {
            let manifest =
                fs::read_to_string(root.path().join("generated").join(name).join("Cargo.toml"))
                    .unwrap();
            assert!(
                manifest.contains(&format!("version = \"{new}\"")),
                "{}: {name}:\n{manifest}",
                case.name
            );
            let changelog = fs::read_to_string(
                root.path()
                    .join("generated")
                    .join(name)
                    .join("CHANGELOG.md"),
            )
            .unwrap();
            assert!(
                changelog.contains(&format!("## [{new}] - 2027-01-02")),
                "{}: {name}:\n{changelog}",
                case.name
            );
        }
        let record = fs::read_to_string(root.path().join("releases/dli-queues-v1.json")).unwrap();
        assert!(
            record.contains(&format!("\"version\": \"{new}\"")),
            "{}",
            case.name
        );
        for settled in [&["release", "--check"][..], &["generate", "--check"]] {
            let output = xtask(root.path(), settled);
            assert!(
                output.status.success(),
                "{}: {settled:?} after the release: {}{}",
                case.name,
                stdout(&output),
                stderr(&output)
            );
        }
    }
}

#[test]
fn this_repository_is_released_as_it_is() {
    let output = xtask(&repo_root(), &["release", "--dry-run"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "release: every crate is released as it is\n",
        "a change landed without its release"
    );
}

#[test]
fn a_broken_record_is_named_and_nothing_is_written() {
    let cases: &[(&str, &str, &str)] = &[
        ("not json", "{", "is not a release record"),
        (
            "another crate's",
            "",
            "names crate `dli-v1`, not its file's",
        ),
        ("a version that is not one", "", "is not MAJOR.MINOR.PATCH"),
    ];
    for (name, text, message) in cases {
        let root = copy_of_repo();
        let path = root.path().join("releases/dli-queues-v1.json");
        match *name {
            "another crate's" => {
                fs::copy(root.path().join("releases/dli-v1.json"), &path).unwrap();
            }
            "a version that is not one" => {
                let record = fs::read_to_string(&path).unwrap();
                let version = record
                    .lines()
                    .find(|l| l.trim_start().starts_with("\"version\": "))
                    .unwrap()
                    .to_owned();
                // The record's own version (the first line saying one), not its changelog's.
                edit_file(&path, &format!("\n{version}"), "\n  \"version\": \"0.1\",");
            }
            _ => fs::write(&path, text).unwrap(),
        }
        let before = snapshot(root.path());
        for args in [&["release"][..], &["generate"]] {
            let output = xtask(root.path(), args);
            assert_eq!(output.status.code(), Some(1), "{name}: {args:?}");
            let report = stderr(&output);
            assert!(
                report.contains("releases/dli-queues-v1.json") && report.contains(message),
                "{name}: {args:?}: {report}"
            );
        }
        assert_eq!(before, snapshot(root.path()), "{name}: nothing written");
    }
}
