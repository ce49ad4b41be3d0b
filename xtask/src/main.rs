//! `cargo xtask`: the thin command line over the `codegen` library.

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use clap::{Parser, Subcommand};
use codegen::{
    FileState, Layout, Outcome,
    diagnostics::{Format, render},
};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project tooling: regenerate and check the client crates and their test coverage."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate every crate under generated/ from specs/ (one line per spec).
    Generate {
        /// Write nothing; fail, naming each differing file with a short diff, if generated/ is stale.
        #[arg(long)]
        check: bool,
        /// Workspace root holding specs/ and generated/ (default: this repository).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Check every spec and cassette; print one line per problem (`file:line:col : pointer : rule : message : hint`).
    Lint {
        /// Workspace root holding specs/ and tests/cassettes/ (default: this repository).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// text (one line per problem), json (one object per line), github (workflow commands
        /// annotating the lines) or sarif (SARIF 2.1.0, for code scanning).
        #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = parse_format)]
        format: Format,
    },
    /// The vendor's API docs: compare the specs with their pages.
    Docs {
        #[command(subcommand)]
        command: DocsCommand,
    },
    /// The vendor's Go SDKs: compare the specs with them, as `docs check` does with the pages.
    Sdk {
        #[command(subcommand)]
        command: SdkCommand,
    },
    /// Print a spec's operation model as JSON: what its crates expose, as every output reads it
    /// (operations, parameters with their Rust types, bodies, statuses, waiters, paginators,
    /// public types). The same bytes on every run.
    Model {
        /// The spec: its crate name (`dli-v1`) or its path (`specs/dli-v1.yaml`).
        spec: String,
        /// Workspace root holding specs/ (default: this repository).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Release every spec whose crates changed since their last release: the change report
    /// (wire and Rust API), the semver bump it calls for, a CHANGELOG.md entry and the new
    /// record under releases/, then the crates regenerated at their new versions.
    Release {
        /// Print `<crate> <old> -> <new>` and the changes, and change nothing.
        #[arg(long, conflicts_with = "check")]
        dry_run: bool,
        /// As --dry-run, and fail if anything would be released (CI: a change lands with its
        /// release).
        #[arg(long)]
        check: bool,
        /// The release date written in the changelog (default: today, UTC), YYYY-MM-DD.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<String>,
        /// Workspace root holding specs/, generated/ and releases/ (default: this repository).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Print which documented status of which operation has a cassette; fail on a gap.
    Coverage {
        /// Workspace root holding specs/ and tests/cassettes/ (default: this repository).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum DocsCommand {
    /// Compare every operation that names its page (`x-doc-page`) with that page: one line per
    /// difference, then a summary; fail on any difference not declared with `x-doc-deviation`.
    Check {
        /// A tree of the vendor's API reference sources (`<repo>/api-ref/source`); repeatable.
        #[arg(long = "docs", value_name = "DIR", required = true)]
        docs: Vec<PathBuf>,
        /// Workspace root holding specs/ (default: this repository).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// text, json, github or sarif, as for `lint`.
        #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = parse_format)]
        format: Format,
    },
    /// Read every page of the trees and say, per API page, what the reader could not find.
    Pages {
        /// A tree of the vendor's API reference sources; repeatable.
        #[arg(long = "docs", value_name = "DIR", required = true)]
        docs: Vec<PathBuf>,
    },
    /// Print a draft operation (YAML to paste under `paths:`) from one page, with what the
    /// page leaves open in comments.
    Draft {
        /// A tree of the vendor's API reference sources; repeatable.
        #[arg(long = "docs", value_name = "DIR", required = true)]
        docs: Vec<PathBuf>,
        /// The page's id (its `:original_name:` without `.html`), e.g. `dli_02_0129`.
        page: String,
    },
}

#[derive(Subcommand)]
enum SdkCommand {
    /// Compare every operation with the SDK operation of its name (else of its method and
    /// route): parameters, request and response fields at every depth (name, type, required,
    /// enum values). One line per difference, then a summary; fail on any difference not
    /// declared with `x-sdk-deviation`.
    Check {
        /// A tree holding the vendor's SDK models (`huaweicloud-sdk-go-v3/services/...`,
        /// `gophertelekomcloud/openstack/...`); repeatable.
        #[arg(long = "sdk", value_name = "DIR", required = true)]
        sdk: Vec<PathBuf>,
        /// Workspace root holding specs/ (default: this repository).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Generate { check, root } => {
            let root = root.unwrap_or_else(project_root);
            generate(&Layout::standard(&root), check)
        }
        Command::Lint { root, format } => {
            let root = root.unwrap_or_else(project_root);
            lint(&Layout::standard(&root), format)
        }
        Command::Docs {
            command: DocsCommand::Check { docs, root, format },
        } => {
            let root = root.unwrap_or_else(project_root);
            docs_check(&Layout::standard(&root), &docs, format)
        }
        Command::Docs {
            command: DocsCommand::Draft { docs, page },
        } => docs_draft(&docs, &page),
        Command::Docs {
            command: DocsCommand::Pages { docs },
        } => docs_pages(&docs),
        Command::Sdk {
            command: SdkCommand::Check { sdk, root },
        } => {
            let root = root.unwrap_or_else(project_root);
            sdk_check(&Layout::standard(&root), &sdk)
        }
        Command::Model { spec, root } => {
            let root = root.unwrap_or_else(project_root);
            model(&Layout::standard(&root), &spec)
        }
        Command::Coverage { root } => {
            let root = root.unwrap_or_else(project_root);
            coverage(&Layout::standard(&root))
        }
        Command::Release {
            dry_run,
            check,
            date,
            root,
        } => {
            let root = root.unwrap_or_else(project_root);
            let date = date.unwrap_or_else(today);
            release(&Layout::standard(&root), &date, dry_run || check, check)
        }
    }
}

fn release(layout: &Layout, date: &str, dry_run: bool, check: bool) -> ExitCode {
    match codegen::release(layout, date, dry_run) {
        Ok(proposals) => {
            for proposal in &proposals {
                for line in proposal.lines() {
                    println!("{line}");
                }
            }
            match (proposals.is_empty(), dry_run) {
                (true, _) => println!("release: every crate is released as it is"),
                (false, true) => eprintln!(
                    "release: {} spec(s) changed since their release: `cargo xtask release` bumps them, writes their changelogs and records",
                    proposals.len()
                ),
                (false, false) => println!(
                    "release: {} spec(s) released; commit releases/ and generated/",
                    proposals.len()
                ),
            }
            if check && !proposals.is_empty() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(errors) => {
            eprintln!("{errors}");
            ExitCode::FAILURE
        }
    }
}

/// `YYYY-MM-DD`, checked.
fn parse_date(text: &str) -> Result<String, String> {
    let parts: Vec<&str> = text.split('-').collect();
    let ok = matches!(parts.as_slice(), [y, m, d]
        if y.len() == 4 && m.len() == 2 && d.len() == 2
            && [y, m, d].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
            && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
            && (1..=31).contains(&d.parse::<u32>().unwrap_or(0)));
    if ok {
        Ok(text.to_owned())
    } else {
        Err(format!("`{text}` is not a date YYYY-MM-DD"))
    }
}

/// Today in UTC, `YYYY-MM-DD` (days since 1970 to the civil calendar, Howard Hinnant's method).
fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn model(layout: &Layout, spec: &str) -> ExitCode {
    match codegen::model(layout, spec) {
        Ok(model) => {
            print!("{}", model.to_json());
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("{errors}");
            ExitCode::FAILURE
        }
    }
}

fn parse_format(name: &str) -> Result<Format, String> {
    name.parse()
}

/// Only the format's own output goes to stdout (a SARIF log or JSON lines stay parseable); a
/// summary goes there too in text, to stderr otherwise.
fn lint(layout: &Layout, format: Format) -> ExitCode {
    let problems = codegen::lint::lint(layout);
    print!("{}", render(&problems, format, "cargo xtask lint"));
    if problems.is_empty() {
        let summary = "lint: every spec and cassette is clean";
        if format == Format::Text {
            println!("{summary}");
        } else {
            eprintln!("{summary}");
        }
        ExitCode::SUCCESS
    } else {
        eprintln!("lint: {} problem(s)", problems.len());
        ExitCode::FAILURE
    }
}

/// The pages of `trees`, or `None` after printing each problem that kept one from being read.
fn read_docs(trees: &[PathBuf]) -> Option<std::collections::BTreeMap<String, codegen::docs::Page>> {
    match codegen::docs::read_trees(trees) {
        Ok(pages) => Some(pages),
        Err(problems) => {
            for problem in &problems {
                eprintln!("error: {problem}");
            }
            eprintln!(
                "docs: {} problems reading the docs, nothing checked",
                problems.len()
            );
            None
        }
    }
}

fn docs_check(layout: &Layout, trees: &[PathBuf], format: Format) -> ExitCode {
    let specs = match codegen::specs(layout) {
        Ok(specs) => specs,
        Err(errors) => {
            eprintln!("{errors}");
            return ExitCode::FAILURE;
        }
    };
    let Some(pages) = read_docs(trees) else {
        return ExitCode::FAILURE;
    };
    let mut outcome = codegen::docs::check::check(&specs, &pages);
    codegen::lint::locate_in_specs(layout, &mut outcome.drifts);
    print!(
        "{}",
        render(&outcome.drifts, format, "cargo xtask docs check")
    );
    if format == Format::Text {
        println!("{}", outcome.summary());
    } else {
        eprintln!("{}", outcome.summary());
    }
    if outcome.drifts.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn sdk_check(layout: &Layout, trees: &[PathBuf]) -> ExitCode {
    let specs = match codegen::specs(layout) {
        Ok(specs) => specs,
        Err(errors) => {
            eprintln!("{errors}");
            return ExitCode::FAILURE;
        }
    };
    let operations = match codegen::docs::sdk::read_trees(trees) {
        Ok(operations) => operations,
        Err(problems) => {
            for problem in &problems {
                eprintln!("error: {problem}");
            }
            eprintln!(
                "sdk: {} problems reading the SDKs, nothing checked",
                problems.len()
            );
            return ExitCode::FAILURE;
        }
    };
    let outcome = codegen::docs::sdk::check(&specs, &operations);
    for drift in &outcome.drifts {
        println!("{drift}");
    }
    println!("{}", outcome.summary());
    if outcome.drifts.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn docs_pages(trees: &[PathBuf]) -> ExitCode {
    let Some(pages) = read_docs(trees) else {
        return ExitCode::FAILURE;
    };
    let api: Vec<_> = pages.values().filter(|p| p.is_api()).collect();
    let mut complete = 0;
    for page in &api {
        let gaps = page.gaps();
        if gaps.is_empty() {
            complete += 1;
        } else {
            println!("{} ({}): {}", page.id, page.file.display(), gaps.join("; "));
        }
    }
    println!(
        "docs: {} pages read, {} document an API call, {complete} of those read with nothing missing",
        pages.len(),
        api.len()
    );
    ExitCode::SUCCESS
}

fn docs_draft(trees: &[PathBuf], id: &str) -> ExitCode {
    let Some(pages) = read_docs(trees) else {
        return ExitCode::FAILURE;
    };
    match pages.get(id) {
        Some(page) => {
            print!("{}", codegen::docs::draft::draft(page));
            ExitCode::SUCCESS
        }
        None => {
            eprintln!(
                "error: no page `{id}` in {} pages read\n  hint: give the id without `.html`, as the page's `:original_name:` line has it, and the tree that holds it (--docs <repo>/api-ref/source)",
                pages.len()
            );
            ExitCode::FAILURE
        }
    }
}

fn coverage(layout: &Layout) -> ExitCode {
    let coverage = match codegen::coverage(layout) {
        Ok(coverage) => coverage,
        Err(errors) => {
            eprintln!("{errors}");
            return ExitCode::FAILURE;
        }
    };
    print!("{}", coverage.markdown());
    println!("\n{}", coverage.summary());
    let mut failed = false;
    for row in coverage.gaps() {
        failed = true;
        eprintln!(
            "error: {} {} ({}) documents status {} but no cassette records it\n  hint: add {}/{}/{}.{}.json from the doc's example",
            row.crate_name,
            row.operation_id,
            row.request,
            row.status,
            layout.cassettes_dir.display(),
            row.crate_name,
            row.operation_id,
            row.status
        );
    }
    for path in &coverage.unmatched {
        failed = true;
        eprintln!(
            "error: {}: refused by the cassette rules, so it covers no status\n  hint: `cargo xtask lint` says why; a cassette records a status the spec declares, in a regular file named <operation_id>.<status>[.<case>].json after what it records",
            layout.cassettes_dir.join(path).display()
        );
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// What consumers will see of this regeneration, in short: one line per spec that changed
/// since its release.
fn print_releases(outcome: &Outcome) {
    for proposal in &outcome.releases {
        let breaking = proposal
            .changes
            .iter()
            .filter(|c| c.rust == codegen::changes::Verdict::Breaking)
            .count();
        let wire = proposal
            .changes
            .iter()
            .filter(|c| c.wire == codegen::changes::Verdict::Breaking)
            .count();
        println!(
            "release: {} {} -> {}: {} change(s), {breaking} breaking the Rust API, {wire} breaking on the wire (`cargo xtask release --dry-run` lists them)",
            proposal.crate_name,
            proposal.old.as_deref().unwrap_or("(unreleased)"),
            proposal.new,
            proposal.changes.len()
        );
    }
}

fn generate(layout: &Layout, check_only: bool) -> ExitCode {
    let result = if check_only {
        codegen::check(layout)
    } else {
        codegen::generate(layout)
    };
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(errors) => {
            eprintln!("{errors}");
            if errors.0.iter().all(codegen::Error::wrote_nothing) {
                eprintln!(
                    "\nnothing was written: {} is as it was",
                    layout.out_dir.display()
                );
            }
            return ExitCode::FAILURE;
        }
    };
    print_summary(&outcome, layout, check_only);
    if check_only && outcome.stale().next().is_some() {
        for file in outcome.stale() {
            match &file.state {
                FileState::Changed { diff, .. } => eprint!(
                    "\n{} differs from what the specs produce:\n{diff}",
                    file.path.display()
                ),
                FileState::Missing { .. } => eprintln!("\n{} is missing", file.path.display()),
                FileState::Stray => eprintln!("\n{} is produced by no spec", file.path.display()),
                FileState::Unchanged => {}
            }
        }
        eprintln!(
            "\n{} is stale: run `cargo xtask generate` and commit the result",
            layout.out_dir.display()
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn print_summary(outcome: &Outcome, layout: &Layout, check_only: bool) {
    print_releases(outcome);
    let out_dir = layout.out_dir;
    for krate in &outcome.crates {
        let crate_dir = out_dir.join(&krate.crate_name);
        let changed = outcome.stale().any(|f| f.path.starts_with(&crate_dir));
        let state = match (changed, check_only) {
            (false, _) => "unchanged",
            (true, true) => "stale",
            (true, false) => "changed",
        };
        let plural = if krate.operations == 1 { "" } else { "s" };
        println!(
            "{:<22} {:>3} operation{plural:<1}  {state}  (from {})",
            krate.crate_name,
            krate.operations,
            krate.spec_path.display()
        );
    }
    let coverage_state = match (
        outcome.stale().any(|f| f.path == layout.coverage_file),
        check_only,
    ) {
        (false, _) => "unchanged",
        (true, true) => "stale",
        (true, false) => "changed",
    };
    println!(
        "coverage: {}  {coverage_state}  ({})",
        outcome.coverage.summary(),
        layout.coverage_file.display()
    );
    let schema_file = layout.specs_dir.join(codegen::extensions::SCHEMA_FILE);
    let schema_state = match (outcome.stale().any(|f| f.path == schema_file), check_only) {
        (false, _) => "unchanged",
        (true, true) => "stale",
        (true, false) => "changed",
    };
    println!(
        "extensions schema: {schema_state}  ({})",
        schema_file.display()
    );
    for stray in outcome.files.iter().filter(|f| f.state == FileState::Stray) {
        let verb = if check_only {
            "would remove"
        } else {
            "removed"
        };
        println!("{verb} {}", stray.path.display());
    }
}

/// The workspace root: xtask lives one level below it.
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}
