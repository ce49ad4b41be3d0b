//! `cargo xtask lint`: everything wrong with a spec or a cassette, all at once, one line each.
//!
//! Rules work on the raw JSON form of each file, so every problem carries a JSON pointer to the
//! place to fix. [`spec_rules`] checks a spec on its own, [`cassette_rules`] checks a recorded
//! exchange against the spec of its crate; [`json_schema`] turns OpenAPI 3.0 schemas into JSON
//! Schema for the `jsonschema` validator.

pub mod cassette_rules;
pub mod generation_rules;
pub mod json_schema;
pub mod leaks;
pub mod spec_rules;

use crate::layout::Layout;

pub use crate::diagnostics::{CASSETTE_RULES, Problem, Report, SPEC_RULES, segment};
pub use crate::{
    crate_names,
    spec_json::{SpecDocument, resolve},
};

/// Lints every spec and every cassette of `layout`: the spec rules, then (for specs that pass
/// them) whether progenitor can generate the crate, then the cassettes. `generate` refuses exactly
/// what this reports, with the same lines.
pub fn lint(layout: &Layout) -> Vec<Problem> {
    let loaded = crate::load::load(layout);
    let mut problems = lint_specs(&loaded);
    for spec in &loaded {
        let clean = !problems.iter().any(|p| p.file == spec.path);
        if let (true, Some(spec)) = (clean, spec.spec())
            && let Err(error) = crate::render::render(&spec, None)
        {
            problems.push(loaded_spec_locate(&loaded, error.as_problem(&spec.path)));
        }
    }
    let documents: Vec<&SpecDocument> = loaded.iter().filter_map(|l| l.document.as_ref()).collect();
    problems.extend(cassettes(layout, &documents));
    problems
}

/// The cassette rules over every file below the cassettes directory: each `*.json` checked
/// against its spec, anything that is not a regular file (never read: a FIFO would block)
/// refused. Coverage counts only the cassettes this accepts.
pub fn cassettes(layout: &Layout, documents: &[&SpecDocument]) -> Vec<Problem> {
    let walk = crate::files::walk(layout.root, layout.cassettes_dir);
    let mut problems: Vec<Problem> = walk
        .special
        .into_iter()
        .map(|special| Problem {
            file: special.path,
            pointer: String::new(),
            rule: "cassette-file",
            message: format!("is a {}, not a regular file; it is not read", special.kind),
            hint: "make it a regular file (a copy, not a link) or remove it".into(),
            position: None,
        })
        .collect();
    // One crate's cassettes on one thread, sharing its spec's compiled schemas; problems in the
    // walk's order whatever the threads.
    let mut crates: Vec<Vec<&std::path::PathBuf>> = Vec::new();
    for path in walk
        .files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        match crates.last_mut() {
            Some(run) if run[0].parent() == path.parent() => run.push(path),
            _ => crates.push(vec![path]),
        }
    }
    let checked = crate::parallel::map(&crates, |paths| {
        let schemas = cassette_rules::SpecSchemas::default();
        paths
            .iter()
            .flat_map(|path| cassette_rules::check(layout.root, path, documents, &schemas))
            .collect::<Vec<_>>()
    });
    problems.extend(checked.into_iter().flatten());
    problems
}

/// `problem` located in the loaded spec it is about (unchanged if none is).
fn loaded_spec_locate(loaded: &[crate::load::Loaded], problem: Problem) -> Problem {
    match loaded.iter().find(|l| l.path == problem.file) {
        Some(spec) => spec.locate(problem),
        None => problem,
    }
}

/// `problems` (about specs under `layout`) given the line and column of their pointers, as the
/// specs read now: for what `docs check` finds, which works from the typed specs.
pub fn locate_in_specs(layout: &Layout, problems: &mut [Problem]) {
    let loaded = crate::load::load(layout);
    for problem in problems {
        if let Some(spec) = loaded.iter().find(|l| l.path == problem.file) {
            problem.locate(spec.positions());
        }
    }
}

/// The spec rules over specs as the loader read them: what it found while reading, every rule,
/// and (only when nothing more specific was found) the OpenAPI structure; each problem at the
/// line and column of its pointer.
pub fn lint_specs(loaded: &[crate::load::Loaded]) -> Vec<Problem> {
    crate::parallel::map(loaded, |spec| {
        let mut found = spec.problems.clone();
        if let Some(document) = &spec.document {
            found.extend(spec_rules::check(document));
        }
        if found.is_empty()
            && let Some(Err(problem)) = &spec.openapi
        {
            found.push(problem.clone());
        }
        found
            .into_iter()
            .map(|p| spec.locate(p))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}
