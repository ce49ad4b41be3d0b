//! Turns the hand-written OpenAPI specs into client crates.
//!
//! The pipeline, one module per step: [`load`] reads each `specs/*.yaml` once; [`lint`] checks
//! every spec (and, for `cargo xtask lint`, every cassette) and refuses what progenitor would
//! mistype; [`spec`] is the loaded spec; [`open_enums`] hands progenitor open enums in a form it
//! types well and [`path_segments`] confines every path parameter to its segment
//! ([`path_parameter_types`] gives each one type per spec); `progenitor_run` feeds it to
//! progenitor with panics caught; [`render`] formats the code ([`formatting`]) and writes the
//! crate's files in memory; [`output`] compares them with `generated/` and writes
//! them in two phases; [`mod@coverage`] tables which documented status has a cassette, into
//! `tests/README.md`; [`docs`] reads the vendor's pages. `xtask` is the command line over
//! [`generate`] and [`check`].

pub mod changes;
pub mod coverage;
pub mod crate_names;
pub mod diagnostics;
pub mod docs;
pub mod error;
pub mod extensions;
pub mod files;
pub mod formatting;
mod guard;
mod layout;
pub mod lint;
pub mod load;
pub mod model;
pub mod naming;
pub mod open_enums;
pub mod output;
pub mod parallel;
pub mod path_parameter_types;
pub mod path_segments;
pub mod progenitor_output;
mod progenitor_run;
pub mod reachable_schemas;
pub mod release;
pub mod render;
/// What codegen must know of `cloud-runtime`, compiled from the runtime's own file.
#[path = "../../runtime/src/contract.rs"]
pub mod runtime_contract;
pub mod schema_walk;
pub mod secrets;
pub mod spec;
pub mod spec_json;

pub use coverage::Coverage;
pub use error::{Error, Errors};
pub use layout::Layout;
pub use output::{FileReport, FileState};
pub use progenitor_run::PROGENITOR_VERSION;
pub use render::{RenderedCrate, RenderedFile};
pub use spec::Spec;

/// The outcome of rendering every spec and comparing it with disk.
#[derive(Debug)]
pub struct Outcome {
    pub crates: Vec<RenderedCrate>,
    /// The releases the models call for since each spec's record (`cargo xtask release`).
    pub releases: Vec<release::Proposal>,
    /// The crates' files, then the coverage file.
    pub files: Vec<FileReport>,
    pub coverage: Coverage,
}

impl Outcome {
    /// Files whose content on disk is not what the specs produce.
    pub fn stale(&self) -> impl Iterator<Item = &FileReport> {
        self.files
            .iter()
            .filter(|f| f.state != FileState::Unchanged)
    }
}

/// The specs under `layout`, read once ([`load`]), if every one passes the spec rules of [`lint`].
fn linted_specs(layout: &Layout) -> Result<Vec<load::Loaded>, Errors> {
    let loaded = load::load(layout);
    refuse(lint::lint_specs(&loaded))?;
    Ok(loaded)
}

/// Lint's `problems` as the errors that stop a run, if there are any.
fn refuse(problems: Vec<lint::Problem>) -> Result<(), Errors> {
    match problems.is_empty() {
        true => Ok(()),
        false => Err(Errors(problems.into_iter().map(Error::Lint).collect())),
    }
}

/// The specs under `layout`, read and linted, without rendering anything.
pub fn specs(layout: &Layout) -> Result<Vec<Spec>, Errors> {
    Ok(linted_specs(layout)?
        .iter()
        .filter_map(crate::load::Loaded::spec)
        .collect())
}

/// The cassettes the cassette rules refuse: they do not count as coverage.
fn refused_cassettes(layout: &Layout, loaded: &[load::Loaded]) -> Vec<std::path::PathBuf> {
    let documents: Vec<&lint::SpecDocument> =
        loaded.iter().filter_map(|l| l.document.as_ref()).collect();
    lint::cassettes(layout, &documents)
        .into_iter()
        .map(|p| p.file)
        .collect()
}

/// The coverage table of `loaded`, counting no cassette of `refused`.
fn compute_coverage(
    layout: &Layout,
    loaded: &[load::Loaded],
    refused: &[std::path::PathBuf],
) -> Coverage {
    let specs: Vec<Spec> = loaded
        .iter()
        .filter_map(crate::load::Loaded::spec)
        .collect();
    coverage::compute(&specs, layout.root, layout.cassettes_dir, &|path| {
        refused.iter().any(|r| r == path)
    })
}

/// The coverage table of the specs under `layout`, without rendering anything.
pub fn coverage(layout: &Layout) -> Result<Coverage, Errors> {
    let loaded = linted_specs(layout)?;
    Ok(compute_coverage(
        layout,
        &loaded,
        &refused_cassettes(layout, &loaded),
    ))
}

/// The operation model of the spec named `name` (its crate name, `dli-v1`, or its path,
/// `specs/dli-v1.yaml`): what its crates expose, as every output reads it.
pub fn model(layout: &Layout, name: &str) -> Result<model::CrateModel, Errors> {
    let specs = specs(layout)?;
    let wanted = name.trim_end_matches('/').replace('\\', "/");
    let Some(spec) = specs
        .iter()
        .find(|s| s.crate_name() == wanted || s.display_path() == wanted || s.stem == wanted)
    else {
        let known: Vec<String> = specs.iter().map(Spec::crate_name).collect();
        return Err(Errors(vec![Error::Unsupported {
            path: layout.specs_dir.to_path_buf(),
            message: format!("no spec makes crate `{name}`"),
            hint: format!("name one of: {}", known.join(", ")),
        }]));
    };
    render::render(spec, None)
        .map(|rendered| rendered.model)
        .map_err(|e| Errors(vec![Error::Lint(e.as_problem(&spec.path))]))
}

/// Lints every spec and renders each, then compares with disk, writing nothing. Lint and the
/// cassette rules (for the coverage table) run beside rendering: they read the same loaded
/// specs and find nothing rendering needs. When lint finds a problem, its problems are the
/// answer and what was rendered is dropped.
pub fn check(layout: &Layout) -> Result<Outcome, Errors> {
    let loaded = load::load(layout);
    let records = release::records(layout);
    let specs: Vec<Spec> = loaded
        .iter()
        .filter_map(crate::load::Loaded::spec)
        .collect();
    // A spec rendering on a thread of its own while others are spare hands them work.
    let spare_thread = parallel::jobs() > specs.len();
    let (rendered, (problems, refused)) = parallel::beside(
        || {
            let records = records.as_ref().ok()?;
            Some(parallel::map(&specs, |spec| {
                render::render_with(spec, records.get(&spec.crate_name()), spare_thread)
            }))
        },
        || {
            let problems = lint::lint_specs(&loaded);
            let refused = problems
                .is_empty()
                .then(|| refused_cassettes(layout, &loaded));
            (problems, refused)
        },
    );
    refuse(problems)?;
    let records = records?;
    let mut crates = Vec::new();
    let mut errors = Vec::new();
    for (spec, result) in specs.iter().zip(rendered.into_iter().flatten()) {
        match result {
            Ok(c) => crates.push(c),
            // The line `cargo xtask lint` prints for the same spec, at its line and column.
            Err(e) => {
                let problem = e.as_problem(&spec.path);
                let problem = match loaded.iter().find(|l| l.path == spec.path) {
                    Some(loaded) => loaded.locate(problem),
                    None => problem,
                };
                errors.push(Error::Lint(problem));
            }
        }
    }
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    let mut files = output::compare(layout.root, layout.out_dir, &crates)?;
    let coverage = compute_coverage(layout, &loaded, &refused.unwrap_or_default());
    files.push(output::compare_file(
        layout.root,
        layout.coverage_file.to_path_buf(),
        &coverage.readme(),
    )?);
    files.extend(output::leftovers(layout.root, layout.coverage_file));
    // The extensions' JSON Schema, for editors: derived from the models lint reads.
    let schema_file = layout.specs_dir.join(extensions::SCHEMA_FILE);
    files.push(output::compare_file(
        layout.root,
        schema_file.clone(),
        &extensions::json_schema_text(),
    )?);
    files.extend(output::leftovers(layout.root, &schema_file));
    let models: Vec<&model::CrateModel> = crates.iter().map(|c| &c.model).collect();
    let releases = release::plan(&models, &records);
    Ok(Outcome {
        crates,
        files,
        coverage,
        releases,
    })
}

/// Releases every spec whose model changed since its record: new records under `releases/`
/// (dated `date`, `YYYY-MM-DD`), then the crates regenerated at their new versions. With
/// `dry_run`, only says what it would do. Returns the proposals it made (or would make).
pub fn release(
    layout: &Layout,
    date: &str,
    dry_run: bool,
) -> Result<Vec<release::Proposal>, Errors> {
    let outcome = check(layout)?;
    if dry_run || outcome.releases.is_empty() {
        return Ok(outcome.releases);
    }
    let records = release::records(layout)?;
    let models: Vec<&model::CrateModel> = outcome.crates.iter().map(|c| &c.model).collect();
    let released = release::apply(&outcome.releases, &models, &records, date);
    release::write(layout, &released)?;
    release::require_in_cloudjobs(layout, &released)?;
    generate(layout)?;
    release::write_lock(layout, &outcome.releases)?;
    Ok(outcome.releases)
}

/// Renders every spec and, only if all succeed, brings the generated directory up to date.
pub fn generate(layout: &Layout) -> Result<Outcome, Errors> {
    let outcome = check(layout)?;
    output::write(layout.root, layout.out_dir, &outcome.files)?;
    Ok(outcome)
}
