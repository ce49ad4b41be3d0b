//! The one place spec files are read. Each file under `specs/` is discovered, read, checked as
//! YAML (syntax, duplicate keys, non-finite numbers), converted once to the JSON form the lint
//! rules read, parsed from that into the typed form codegen renders (openapiv3, guarded: it
//! panics on some documents serde accepts), and hashed. Lint, render and output all work from
//! what this returns: data flows one way, and every guard on reading has this one home.

use std::{
    fs,
    path::{Path, PathBuf},
};

use openapiv3::OpenAPI;
use serde::Deserialize as _;
use sha2::{Digest, Sha256};

use crate::{
    Layout,
    lint::{Problem, SpecDocument, crate_names, segment},
    spec::{SPEC_EXTENSION, is_valid_crate_stem},
};

/// One spec file, read once.
pub struct Loaded {
    /// Relative to the workspace root: `specs/dli-v1.yaml`.
    pub path: PathBuf,
    pub sha256: String,
    /// The JSON form the lint rules read; `None` when the file is not readable YAML.
    pub document: Option<SpecDocument>,
    /// The typed form codegen renders, or why openapiv3 cannot read it; `None` without a document.
    pub openapi: Option<Result<OpenAPI, Problem>>,
    /// What reading found: file and crate name, YAML syntax, duplicate keys, numbers.
    pub problems: Vec<Problem>,
}

/// Every `*.yaml` directly in `layout.specs_dir`, sorted by name so that nothing depends on the
/// file system's order, each read once.
pub fn load(layout: &Layout) -> Vec<Loaded> {
    let files = discover(layout.root, layout.specs_dir);
    let names = crate_names::check(layout.root, layout.out_dir, &files);
    files
        .into_iter()
        .map(|path| {
            let mut loaded = read(layout.root, &path);
            let mut problems: Vec<Problem> = names.iter().filter(|p| p.file == path).cloned().collect();
            let stem = path.file_stem().unwrap_or_default().to_string_lossy();
            if !is_valid_crate_stem(&stem) {
                problems.push(Problem {
                    file: path.clone(),
                    pointer: String::new(),
                    rule: "file-name",
                    message: format!("`{stem}` cannot name a crate"),
                    hint: "name spec files `<service>-v<version>.yaml` in lowercase letters, digits, `-` and `.`".into(),
                });
            }
            problems.append(&mut loaded.problems);
            loaded.problems = problems;
            loaded
        })
        .collect()
}

/// Spec files directly in `root/specs_dir`, relative to `root`, sorted.
pub fn discover(root: &Path, specs_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(root.join(specs_dir))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| specs_dir.join(entry.file_name()))
        .filter(|path| path.extension().is_some_and(|e| e == SPEC_EXTENSION))
        .collect();
    files.sort();
    files
}

fn read(root: &Path, path: &Path) -> Loaded {
    let mut loaded = Loaded {
        path: path.to_owned(),
        sha256: String::new(),
        document: None,
        openapi: None,
        problems: Vec::new(),
    };
    let bytes = match fs::read(root.join(path)) {
        Ok(bytes) => bytes,
        Err(e) => {
            loaded.problems.push(read_problem(path, e.to_string()));
            return loaded;
        }
    };
    loaded.sha256 = hex::encode(Sha256::digest(&bytes));
    let Ok(text) = std::str::from_utf8(&bytes) else {
        loaded
            .problems
            .push(read_problem(path, "the file is not UTF-8".into()));
        return loaded;
    };
    let (parsed, problems) = parse_spec(path, text);
    loaded.problems = problems;
    if let Some((yaml, document)) = parsed {
        // From the YAML value, which keeps the document's order (a JSON object sorts its keys).
        let typed = crate::guard::guarded(|| OpenAPI::deserialize(&yaml));
        loaded.openapi = Some(match typed {
            Ok(Ok(openapi)) => Ok(openapi),
            Ok(Err(e)) => Err(
                locate_structure_error(path, text).unwrap_or_else(|| Problem {
                    file: path.to_owned(),
                    pointer: String::new(),
                    rule: "openapi-document",
                    message: e.to_string(),
                    hint: STRUCTURE_HINT.into(),
                }),
            ),
            Err(panic) => Err(Problem {
                file: path.to_owned(),
                pointer: String::new(),
                rule: "openapi-document",
                message: format!("the OpenAPI reader (openapiv3) fails on this document: {panic}"),
                hint: STRUCTURE_HINT.into(),
            }),
        });
        loaded.document = Some(document);
    }
    loaded
}

const STRUCTURE_HINT: &str = "give the document the OpenAPI 3.0 structure: `openapi`, `info` (title, version) and `paths` are required, each field with its documented type";

fn read_problem(path: &Path, message: String) -> Problem {
    Problem {
        file: path.to_owned(),
        pointer: String::new(),
        rule: "read",
        message,
        hint: "make the file a readable UTF-8 YAML file".into(),
    }
}

/// Reads a spec once: YAML syntax and duplicate keys (which YAML readers resolve silently by
/// keeping the last) are checked on the YAML itself, then non-finite numbers (`.inf`, `.nan`,
/// which JSON cannot hold and openapiv3 panics on), then the document is converted to JSON for
/// the rules. A spec that cannot be read gives its problems and no document.
fn parse_spec(
    path: &Path,
    text: &str,
) -> (Option<(serde_yaml::Value, SpecDocument)>, Vec<Problem>) {
    let yaml = match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(yaml) => yaml,
        Err(e) if e.to_string().contains("duplicate entry with key") => {
            return (None, vec![duplicate_key(path, e)]);
        }
        Err(e) => {
            let hint = "fix the YAML syntax at that line (indentation, quoting of `: ` and `#`)";
            return (None, vec![located(path, "yaml", e, hint)]);
        }
    };
    let mut problems = Vec::new();
    non_finite_numbers(path, &yaml, &mut String::new(), &mut problems);
    match serde_json::to_value(&yaml) {
        Ok(document) => {
            let spec = SpecDocument {
                path: path.to_path_buf(),
                document,
            };
            (Some((yaml, spec)), problems)
        }
        Err(e) => {
            problems.push(Problem {
                file: path.to_path_buf(),
                pointer: String::new(),
                rule: "yaml",
                message: format!("not a JSON-shaped document: {e}"),
                hint: "use strings as mapping keys (quote numeric keys such as status codes: `'200':`)".into(),
            });
            (None, problems)
        }
    }
}

/// serde_yaml's `<path>: duplicate entry with key "k" at line L column C`, as a problem.
fn duplicate_key(path: &Path, e: serde_yaml::Error) -> Problem {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let text = e.to_string();
    let (inside, key) = match text.split_once(": duplicate entry with key ") {
        Some((inside, rest)) => (inside, rest.split(" at line ").next().unwrap_or(rest)),
        None => ("", text.as_str()),
    };
    let place = if inside.is_empty() || inside.starts_with("duplicate") {
        "the document".to_owned()
    } else {
        format!("`{inside}`")
    };
    Problem {
        file: path.to_path_buf(),
        pointer: String::new(),
        rule: "duplicate-key",
        message: format!(
            "line {line} column {column}: key {key} appears twice in {place}; YAML would keep only the last"
        ),
        hint: "merge the two entries into one (each key once per mapping)".into(),
    }
}

/// Problems for every `.inf`/`.nan` in `value`, by JSON pointer.
fn non_finite_numbers(
    path: &Path,
    value: &serde_yaml::Value,
    at: &mut String,
    problems: &mut Vec<Problem>,
) {
    match value {
        serde_yaml::Value::Number(n) if n.as_f64().is_some_and(|f| !f.is_finite()) => {
            problems.push(Problem {
                file: path.to_path_buf(),
                pointer: at.clone(),
                rule: "number",
                message: format!("`{n}` is not a finite number"),
                hint: "give a finite bound, or leave the keyword out (no `maximum` means no bound)"
                    .into(),
            });
        }
        serde_yaml::Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                non_finite_numbers(path, item, at, problems);
                at.truncate(len);
            }
        }
        serde_yaml::Value::Mapping(map) => {
            for (key, item) in map {
                let len = at.len();
                let key = match key {
                    serde_yaml::Value::String(k) => k.clone(),
                    other => serde_yaml::to_string(other)
                        .unwrap_or_default()
                        .trim_end()
                        .to_owned(),
                };
                at.push('/');
                at.push_str(&segment(&key));
                non_finite_numbers(path, item, at, problems);
                at.truncate(len);
            }
        }
        serde_yaml::Value::Tagged(tagged) => non_finite_numbers(path, &tagged.value, at, problems),
        _ => {}
    }
}

/// Why openapiv3 cannot read `text`, with the line and column: read again from the text only
/// on this (failing) path, as the JSON form carries no positions.
fn locate_structure_error(path: &Path, text: &str) -> Option<Problem> {
    match crate::guard::guarded(|| serde_yaml::from_str::<OpenAPI>(text)) {
        Ok(Err(e)) => Some(located(path, "openapi-document", e, STRUCTURE_HINT)),
        _ => None,
    }
}

/// A YAML (or YAML-to-OpenAPI) error as a problem whose message leads with line and column.
fn located(path: &Path, rule: &'static str, e: serde_yaml::Error, hint: &str) -> Problem {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    // serde_yaml ends its message with the location, which leads here instead.
    let text = e.to_string();
    let message = text
        .split_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m);
    Problem {
        file: path.to_path_buf(),
        pointer: String::new(),
        rule,
        message: format!("line {line} column {column}: {message}"),
        hint: hint.into(),
    }
}
