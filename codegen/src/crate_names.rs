//! Every spec makes three crates (the client, its command line and its mocks: [`outputs`]), and
//! the workspace must still load afterwards: a crate name that is a Rust keyword, names a package
//! this workspace already has, shadows one of its dependencies, or is shared by two spec files'
//! outputs would make every `cargo` command fail until the crate is deleted by hand. Cargo treats
//! `-` and `_` in names alike, and so does this check.

use std::{
    fs,
    path::{Path, PathBuf},
};

use crate::diagnostics::Problem;

const RULE: &str = "crate-name";

/// What each output adds to the client crate's name: the client, its command line, its mocks.
pub const OUTPUT_SUFFIXES: &[&str] = &["", "-cli", "-mock"];

/// The crates a spec whose client crate is `name` makes.
pub fn outputs(name: &str) -> Vec<String> {
    OUTPUT_SUFFIXES
        .iter()
        .map(|s| format!("{name}{s}"))
        .collect()
}

/// Names the compiler or Cargo reserve (keywords and the standard crates).
const RESERVED: &[&str] = &[
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "crate",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "gen",
    "macro",
    "override",
    "priv",
    "try",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    "std",
    "core",
    "alloc",
    "test",
    "proc_macro",
];

/// A name already taken in the workspace, and the manifest that takes it.
struct Taken {
    name: String,
    by: PathBuf,
}

fn normalized(name: &str) -> String {
    name.replace('_', "-").to_ascii_lowercase()
}

/// Package names of the workspace's members outside `out_dir` (generated crates are the specs'
/// own), and the keys of `[workspace.dependencies]`, read from `root/Cargo.toml`. A root
/// without a manifest (a lone specs folder) takes none.
fn taken_names(root: &Path, out_dir: &Path) -> Vec<Taken> {
    let manifest = Path::new("Cargo.toml");
    let Ok(text) = fs::read_to_string(root.join(manifest)) else {
        return Vec::new();
    };
    let Ok(table) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut taken = Vec::new();
    let workspace = table.get("workspace").and_then(toml::Value::as_table);
    let members = workspace
        .and_then(|w| w.get("members"))
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_str);
    for member in members {
        let dirs: Vec<PathBuf> = match member.strip_suffix("/*") {
            Some(parent) => fs::read_dir(root.join(parent))
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| Path::new(parent).join(e.file_name()))
                .collect(),
            None => vec![PathBuf::from(member)],
        };
        for dir in dirs.into_iter().filter(|d| !d.starts_with(out_dir)) {
            let path = dir.join("Cargo.toml");
            let name = fs::read_to_string(root.join(&path))
                .ok()
                .and_then(|t| t.parse::<toml::Table>().ok())
                .and_then(|t| Some(t.get("package")?.get("name")?.as_str()?.to_owned()));
            if let Some(name) = name {
                taken.push(Taken { name, by: path });
            }
        }
    }
    let dependencies = workspace
        .and_then(|w| w.get("dependencies"))
        .and_then(toml::Value::as_table);
    for name in dependencies.into_iter().flat_map(|d| d.keys()) {
        if !taken
            .iter()
            .any(|t| normalized(&t.name) == normalized(name))
        {
            taken.push(Taken {
                name: name.clone(),
                by: manifest.to_owned(),
            });
        }
    }
    taken
}

/// Problems with the crate names of `specs` (paths relative to `root`).
pub fn check(root: &Path, out_dir: &Path, specs: &[PathBuf]) -> Vec<Problem> {
    let taken = taken_names(root, out_dir);
    let mut problems = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let client = crate::spec::crate_name_of(spec);
        let problem = |message: String, hint: String| Problem {
            file: spec.clone(),
            pointer: String::new(),
            rule: RULE,
            message,
            hint,
            position: None,
        };
        if RESERVED.contains(&normalized(&client).replace('-', "_").as_str()) {
            problems.push(problem(
                format!("its crate would be named `{client}`, which Rust or Cargo reserve"),
                "rename the file `<service>-v<version>.yaml`".into(),
            ));
        }
        for name in outputs(&client) {
            let key = normalized(&name);
            if let Some(other) = taken.iter().find(|t| normalized(&t.name) == key) {
                problems.push(problem(
                    format!(
                        "its crate would be named `{name}`, which {} already names",
                        other.by.display()
                    ),
                    "rename the spec file: a second package of that name stops the whole workspace from loading".into(),
                ));
            }
            let earlier = specs[..i].iter().find(|s| {
                outputs(&crate::spec::crate_name_of(s))
                    .iter()
                    .any(|o| normalized(o) == key)
            });
            if let Some(first) = earlier {
                problems.push(problem(
                    format!(
                        "its crate would be named `{name}`, like one of the crates of {}",
                        first.display()
                    ),
                    "keep one spec file per crate: remove or rename one of the two".into(),
                ));
            }
        }
    }
    problems
}
