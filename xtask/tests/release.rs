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
    version: &'static str,
    line: &'static str,
}

#[test]
fn a_planted_change_proposes_its_bump_and_ci_refuses_it_until_released() {
    let cases = [
        Case {
            name: "a required query parameter: breaking",
            from: SHOW_QUEUE_PARAMETERS,
            to: "        - $ref: '#/components/parameters/queue_name'\n        - {name: zone, in: query, required: true, description: The zone., schema: {type: string}}\n      responses:\n        '200':\n          description: The queue.",
            version: "0.2.0 -> 0.3.0",
            line: "rust breaking   wire breaking   operation show_queue (dli_02_0016): parameter zone: added, required",
        },
        Case {
            name: "an optional query parameter: compatible",
            from: SHOW_QUEUE_PARAMETERS,
            to: "        - $ref: '#/components/parameters/queue_name'\n        - {name: zone, in: query, description: The zone., schema: {type: string}}\n      responses:\n        '200':\n          description: The queue.",
            version: "0.2.0 -> 0.2.1",
            line: "operation show_queue (dli_02_0016): parameter zone: added, optional",
        },
        Case {
            name: "a summary: documentation only",
            from: "summary: Get a queue's details",
            to: "summary: Read a queue's details",
            version: "0.2.0 -> 0.2.1",
            line: "rust none       wire none       operation show_queue (dli_02_0016)",
        },
    ];
    for case in &cases {
        let root = copy_of_repo();
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
            stdout(&generate).contains(&format!("release: dli-queues-v1 {}", case.version)),
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
                proposed
                    .lines()
                    .any(|l| l == format!("{name} {}", case.version)),
                "{}: no `{name} {}` line:\n{proposed}",
                case.name,
                case.version
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
        let new = case.version.rsplit(' ').next().unwrap();
        // cloudjobs asks for the released command line, or Cargo would not load the workspace.
        let cloudjobs = fs::read_to_string(root.path().join("cli/Cargo.toml")).unwrap();
        assert!(
            cloudjobs.contains(&format!(
                "dli-queues-v1-cli = {{ path = \"../generated/dli-queues-v1-cli\", version = \"{new}\" }}"
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
                edit_file(&path, "\"version\": \"0.2.0\"", "\"version\": \"0.2\"");
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
