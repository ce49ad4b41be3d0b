//! The bad-spec corpus, `tests/bad-specs/*.yaml`. Each file breaks one rule and says so in its
//! header: `# expect: <rule> <pointer> [<message start>]` for each line lint reports (rule
//! `progenitor` for what only progenitor's own run finds). Lint and generate must report exactly
//! those lines, exit 1, never panic, and generate must write nothing.

mod support;

use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
};

use support::*;

struct Case {
    /// File name, e.g. `error-schemas.yaml`.
    name: String,
    path: PathBuf,
    expected: Vec<Expected>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    rule: String,
    pointer: String,
    message_start: String,
}

fn corpus() -> Vec<Case> {
    let dir = repo_root().join("tests/bad-specs");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths.into_iter().map(|path| read_case(&path)).collect()
}

fn read_case(path: &Path) -> Case {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let text = fs::read_to_string(path).unwrap();
    let mut expected = Vec::new();
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        if let Some(rest) = line.strip_prefix("# expect: ") {
            let mut parts = rest.splitn(3, ' ');
            let rule = parts.next().unwrap().to_owned();
            let pointer = parts
                .next()
                .unwrap_or_else(|| panic!("{name}: `# expect:` needs a rule and a pointer"))
                .to_owned();
            let message_start = parts.next().unwrap_or_default().to_owned();
            expected.push(Expected {
                rule,
                pointer,
                message_start,
            });
        }
    }
    assert!(
        !expected.is_empty(),
        "{name}: the header needs `# expect:` lines"
    );
    Case {
        name,
        path: path.to_owned(),
        expected,
    }
}

/// `file:line:col : pointer : rule : message : hint` lines about `file`, split.
fn reported(lines: &str, file: &str) -> Vec<Expected> {
    let mut found: Vec<Expected> = lines
        .lines()
        .map(|l| l.strip_prefix("error: ").unwrap_or(l))
        .filter_map(|l| about(l, file))
        .map(|rest| {
            let parts: Vec<&str> = rest.splitn(4, " : ").collect();
            assert_eq!(parts.len(), 4, "not a lint line: {rest}");
            Expected {
                pointer: parts[0].to_owned(),
                rule: parts[1].to_owned(),
                message_start: parts[2].to_owned(),
            }
        })
        .collect();
    found.sort();
    found
}

fn assert_reports(case: &Case, output: &str) {
    let file = format!("specs/{}", case.name);
    let found = reported(output, &file);
    let found_keys: BTreeSet<(&str, &str)> = found
        .iter()
        .map(|f| (f.rule.as_str(), f.pointer.as_str()))
        .collect();
    let expected_keys: BTreeSet<(&str, &str)> = case
        .expected
        .iter()
        .map(|e| (e.rule.as_str(), e.pointer.as_str()))
        .collect();
    assert_eq!(
        found_keys, expected_keys,
        "{}: lint must report exactly the expected (rule, pointer):\n{output}",
        case.name
    );
    for expected in &case.expected {
        assert!(
            found.iter().any(|f| f.rule == expected.rule
                && f.pointer == expected.pointer
                && f.message_start.starts_with(&expected.message_start)),
            "{}: message of {} should start with {:?}:\n{output}",
            case.name,
            expected.rule,
            expected.message_start
        );
    }
}

#[test]
fn the_corpus_breaks_every_spec_rule() {
    let cases = corpus();
    assert!(cases.len() >= 15, "{} corpus files", cases.len());
    let covered: BTreeSet<String> = cases
        .iter()
        .flat_map(|c| c.expected.iter().map(|e| e.rule.clone()))
        .collect();
    for rule in codegen::lint::SPEC_RULES {
        assert!(
            covered.contains(*rule),
            "no tests/bad-specs/ file breaks rule `{rule}`: add one"
        );
    }
}

#[test]
fn lint_reports_each_bad_spec_with_exactly_its_rule_and_pointer() {
    for case in &corpus() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir(root.path().join("specs")).unwrap();
        fs::copy(&case.path, root.path().join("specs").join(&case.name)).unwrap();

        let output = xtask(root.path(), &["lint"]);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}: {stdout}{}",
            case.name,
            stderr(&output)
        );
        assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
        assert_reports(case, &stdout);
    }
}

#[test]
fn generate_on_a_bad_spec_reports_it_and_leaves_generated_byte_identical() {
    for case in corpus() {
        let root = copy_of_repo();
        // Change a good spec too: a write of any crate would show.
        edit_file(
            &root.path().join("specs/dli-v1.yaml"),
            "Canceled.",
            "Cancelled.",
        );
        fs::copy(&case.path, root.path().join("specs").join(&case.name)).unwrap();
        let before = snapshot(&root.path().join("generated"));

        let output = xtask(root.path(), &["generate"]);
        let report = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{}: {report}", case.name);
        assert!(
            !report.contains("panicked at"),
            "{}: no raw panic: {report}",
            case.name
        );
        assert_reports(&case, &report);
        assert!(
            report.contains("nothing was written"),
            "{}: {report}",
            case.name
        );
        assert_eq!(
            before,
            snapshot(&root.path().join("generated")),
            "{}: generated/ must be byte-identical",
            case.name
        );
    }
}
