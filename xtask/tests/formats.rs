//! `cargo xtask lint --format text|json|github|sarif`: problems planted in a copy of this
//! repository are reported at the right file, line and column in every format (a problem about
//! a file as a whole at none), and the SARIF log validates against the published SARIF 2.1.0
//! schema (`tests/data/`, see its README).

mod support;

use std::{fs, path::Path};

use serde_json::Value;
use support::*;

/// One planted problem: the file edited, the edit, and where lint must report it: rule, pointer,
/// and the text whose first character (searched after `anchor`) the position names, `None` for a
/// problem about the file as a whole.
struct Planted {
    case: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    rule: &'static str,
    pointer: &'static str,
    at: Option<(&'static str, &'static str)>,
}

const PLANTED: &[Planted] = &[
    Planted {
        case: "a nested property's key",
        file: "specs/dli-flink-v1.yaml",
        from: "x-doc-deviation: the page links its fields to Table 5 of dli_02_0230 (cpu, memory); read on this page, Table 5 is resource_config itself",
        to: "x-doc-deviation: ''",
        rule: "doc-page",
        pointer: "/components/schemas/FlinkJobResourceConfig/properties/jobmanager_resource_spec/x-doc-deviation",
        at: Some(("jobmanager_resource_spec:\n", "x-doc-deviation: ''")),
    },
    Planted {
        case: "a parameter's example",
        file: "specs/dli-v1.yaml",
        from: "example: 1502349803729",
        to: "example: soon",
        rule: "example",
        pointer: "/paths/~1v1.0~1{project_id}~1jobs/get/parameters/3/example",
        at: Some(("", "example: soon")),
    },
    Planted {
        case: "a misspelt waiter key, in a flow mapping",
        file: "specs/dli-v1.yaml",
        from: "{name: sql_job_finished,",
        to: "{nmae: sql_job_finished,",
        rule: "waiter",
        pointer: "/paths/~1v1.0~1{project_id}~1jobs~1{job_id}~1status/get/x-waiters/0/nmae",
        at: Some(("", "nmae: sql_job_finished")),
    },
    Planted {
        case: "a missing waiter key: at the nearest parent written, the waiter",
        file: "specs/dli-v1.yaml",
        from: "{name: sql_job_finished,",
        to: "{nmae: sql_job_finished,",
        rule: "waiter",
        pointer: "/paths/~1v1.0~1{project_id}~1jobs~1{job_id}~1status/get/x-waiters/0/name",
        at: Some(("", "{nmae: sql_job_finished")),
    },
    Planted {
        case: "a cassette field",
        file: "tests/cassettes/mrs-v2/stop_job.500.json",
        from: "\"status\": 500",
        to: "\"status\": 409",
        rule: "cassette-status",
        pointer: "/response/status",
        at: Some(("\"response\"", "\"status\": 409")),
    },
    Planted {
        case: "a file as a whole",
        file: "specs/mrs-v2.yml",
        from: "",
        to: "",
        rule: "file-name",
        pointer: "",
        at: None,
    },
];

/// 1-based line and column (in characters) of the first `needle` after `anchor` in `text`.
fn position_in(text: &str, anchor: &str, needle: &str) -> (usize, usize) {
    let start = text.find(anchor).expect("anchor") + anchor.len();
    let at = start + text[start..].find(needle).expect("needle");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, column)
}

/// A copy of the repository with every problem planted, and each problem's expected position.
fn planted() -> (tempfile::TempDir, Vec<Option<(usize, usize)>>) {
    let root = copy_of_repo();
    for p in PLANTED {
        let path = root.path().join(p.file);
        if p.from.is_empty() {
            // A spec under another extension: refused as a whole, never read.
            fs::copy(root.path().join("specs/mrs-v2.yaml"), &path).unwrap();
        } else if fs::read_to_string(&path).unwrap().contains(p.from) {
            edit_file(&path, p.from, p.to);
        }
    }
    let positions = PLANTED
        .iter()
        .map(|p| {
            let text = fs::read_to_string(root.path().join(p.file)).unwrap();
            p.at.map(|(anchor, needle)| position_in(&text, anchor, needle))
        })
        .collect();
    (root, positions)
}

fn lint(root: &Path, format: &str) -> String {
    let output = xtask(root, &["lint", "--format", format]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{format}: {}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("problem(s)"),
        "{}",
        stderr(&output)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_format_reports_each_planted_problem_at_its_line_and_column() {
    let (root, positions) = planted();
    let text = lint(root.path(), "text");
    let json = lint(root.path(), "json");
    let github = lint(root.path(), "github");
    let sarif: Value = serde_json::from_str(&lint(root.path(), "sarif")).unwrap();
    let json: Vec<Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(
        json.len(),
        text.lines().count(),
        "one JSON object per problem"
    );
    assert_eq!(results.len(), json.len(), "one SARIF result per problem");
    assert_eq!(
        github.lines().count(),
        json.len(),
        "one command per problem"
    );
    for (p, position) in PLANTED.iter().zip(&positions) {
        let case = p.case;
        let shown_pointer = if p.pointer.is_empty() { "/" } else { p.pointer };
        // text: `file:line:col : pointer : rule : ...`, or `file : / : ...` for the whole file.
        let location = match position {
            Some((line, column)) => format!("{}:{line}:{column}", p.file),
            None => p.file.to_owned(),
        };
        let line = format!("{location} : {shown_pointer} : {} : ", p.rule);
        assert!(text.contains(&line), "{case}: no `{line}` in\n{text}");
        // json
        let (line_value, column_value) = match position {
            Some((line, column)) => (Value::from(*line), Value::from(*column)),
            None => (Value::Null, Value::Null),
        };
        assert!(
            json.iter().any(|o| o["file"] == p.file
                && o["pointer"] == p.pointer
                && o["rule"] == p.rule
                && o["line"] == line_value
                && o["column"] == column_value),
            "{case}: {json:#?}"
        );
        // github: file, line and column as properties, the rule as title.
        let command = match position {
            Some((line, column)) => {
                format!(
                    "::error file={},line={line},col={column},title={}::",
                    p.file, p.rule
                )
            }
            None => format!("::error file={},title={}::", p.file, p.rule),
        };
        assert!(
            github
                .lines()
                .any(|l| l.starts_with(&command) && l.contains(&format!("(at {shown_pointer})"))),
            "{case}: no `{command}` in\n{github}"
        );
        // sarif: the physical location, a region only where there is a position.
        let found = results.iter().any(|r| {
            let location = &r["locations"][0];
            let physical = &location["physicalLocation"];
            r["ruleId"] == p.rule
                && location["logicalLocations"][0]["fullyQualifiedName"] == shown_pointer
                && physical["artifactLocation"]["uri"] == p.file
                && match position {
                    Some((line, column)) => {
                        physical["region"]["startLine"] == *line
                            && physical["region"]["startColumn"] == *column
                    }
                    None => physical.get("region").is_none(),
                }
        });
        assert!(found, "{case}: {results:#?}");
    }
}

/// The SARIF log of a run with problems, and of a clean run, is SARIF 2.1.0 as its published
/// schema defines it, naming each rule's description and help from the registry.
#[test]
fn sarif_validates_against_the_published_schema() {
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(repo_root().join("xtask/tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let (root, _) = planted();
    let with_problems: Value = serde_json::from_str(&lint(root.path(), "sarif")).unwrap();
    let clean = xtask(&repo_root(), &["lint", "--format", "sarif"]);
    assert!(clean.status.success(), "{}", stderr(&clean));
    let clean: Value = serde_json::from_slice(&clean.stdout).unwrap();
    assert_eq!(clean["runs"][0]["results"], serde_json::json!([]));
    for log in [&with_problems, &clean] {
        let errors: Vec<String> = validator
            .iter_errors(log)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // A log that breaks the schema is refused: the validation can fail.
    let mut broken = with_problems.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
    let rules = with_problems["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for planted in PLANTED {
        let rule = rules
            .iter()
            .find(|r| r["id"] == planted.rule)
            .unwrap_or_else(|| panic!("rule {} in {rules:#?}", planted.rule));
        assert!(
            rule["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        assert!(rule["help"]["text"].as_str().is_some_and(|t| !t.is_empty()));
    }
}

/// A format no one knows is refused, naming the ones there are; text is the default.
#[test]
fn an_unknown_format_is_refused() {
    let output = xtask(&repo_root(), &["lint", "--format", "junit"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("text, json, github, sarif"),
        "{}",
        stderr(&output)
    );
    let output = xtask(&repo_root(), &["lint"]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("every spec and cassette is clean"));
}

/// A vendor page (written here, in the reStructuredText form of the vendor's docs) whose route
/// differs from the spec's `cancel_sql_job`.
const MOVED_PAGE: &str = ":original_name: dli_02_0104.html

.. _dli_02_0104:

Canceling a Job
===============

Function
--------

Cancels a job.

URI
---

-  Format

   DELETE /v1.0/{project_id}/jobs/{job_id}/cancel
";

/// `docs check --format`: a drift is reported at the line and column of the spec's node in
/// every format, as lint's problems are; the SARIF validates.
#[test]
fn docs_check_reports_a_drift_at_its_line_in_every_format() {
    let docs = tempfile::tempdir().unwrap();
    fs::write(docs.path().join("canceling_a_job.rst"), MOVED_PAGE).unwrap();
    let spec = fs::read_to_string(repo_root().join("specs/dli-v1.yaml")).unwrap();
    let (line, column) = position_in(&spec, "  /v1.0/{project_id}/jobs/{job_id}:\n", "delete:");
    let pointer = "/paths/~1v1.0~1{project_id}~1jobs~1{job_id}/delete";
    let run = |format: &str| {
        let tree = docs.path().to_str().unwrap();
        let output = xtask(
            &repo_root(),
            &["docs", "check", "--docs", tree, "--format", format],
        );
        assert_eq!(
            output.status.code(),
            Some(1),
            "{format}: {}",
            stderr(&output)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let text = run("text");
    let expected = format!("specs/dli-v1.yaml:{line}:{column} : {pointer} : docs-route : ");
    assert!(text.contains(&expected), "no `{expected}` in\n{text}");
    let github = run("github");
    let command =
        format!("::error file=specs/dli-v1.yaml,line={line},col={column},title=docs-route::");
    assert!(github.lines().any(|l| l.starts_with(&command)), "{github}");
    let json = run("json");
    assert!(
        json.lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .any(|o| o["rule"] == "docs-route"
                && o["pointer"] == pointer
                && o["line"] == line
                && o["column"] == column),
        "{json}"
    );
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(repo_root().join("xtask/tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    assert!(jsonschema::is_valid(&schema, &sarif));
    assert!(
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["ruleId"] == "docs-route"
                && r["locations"][0]["physicalLocation"]["region"]["startLine"] == line),
        "{sarif:#}"
    );
}
