//! Which documented status of which operation has a recorded exchange (cassette).
//!
//! The table is generated, never hand-kept: rows come from the specs (every response status of
//! every operation), cells from the cassette files (`tests/cassettes/<crate>/<operation>.<status>
//! [.<case>].json`). `cargo xtask generate` writes it into `tests/README.md`; `cargo xtask
//! coverage` prints it and fails on a gap.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

use crate::{render::GENERATED_MARKER, spec::Spec};

/// One documented status of one operation, and the cassettes recording it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub crate_name: String,
    pub operation_id: String,
    /// `GET /v1.0/{project_id}/jobs`.
    pub request: String,
    pub status: String,
    /// Cassette names (file stems), sorted.
    pub cassettes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub rows: Vec<Row>,
    /// Cassettes (relative to the cassettes directory) that count for nothing: refused by the
    /// cassette rules (a status the spec does not declare, a name that disagrees with the
    /// content, a file that is not a regular file), so `cargo xtask lint` says why.
    pub unmatched: Vec<PathBuf>,
}

impl Coverage {
    /// Rows without a cassette.
    pub fn gaps(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.cassettes.is_empty())
    }

    pub fn operations(&self) -> usize {
        let mut ops: Vec<_> = self
            .rows
            .iter()
            .map(|r| (&r.crate_name, &r.operation_id))
            .collect();
        ops.dedup();
        ops.len()
    }

    pub fn cassettes(&self) -> usize {
        self.rows.iter().map(|r| r.cassettes.len()).sum()
    }

    /// One line: `34 operations, 95 documented statuses, 138 cassettes, no gap`.
    pub fn summary(&self) -> String {
        let gaps = self.gaps().count();
        let gap_text = match gaps {
            0 => "no gap".to_owned(),
            n => format!("{n} without a cassette"),
        };
        format!(
            "{} operations, {} documented statuses, {} cassettes, {gap_text}",
            self.operations(),
            self.rows.len(),
            self.cassettes()
        )
    }

    /// The coverage table in Markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::from(
            "| crate | operation | request | status | cassettes |\n|---|---|---|---|---|\n",
        );
        for row in &self.rows {
            let cassettes = match row.cassettes.as_slice() {
                [] => "**none**".to_owned(),
                names => names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            let _ = writeln!(
                out,
                "| {} | `{}` | `{}` | {} | {cassettes} |",
                row.crate_name, row.operation_id, row.request, row.status
            );
        }
        for path in &self.unmatched {
            let _ = writeln!(
                out,
                "\nRefused by `cargo xtask lint`, so it covers nothing: `{}`",
                path.display()
            );
        }
        out
    }

    /// The whole of `tests/README.md`.
    pub fn readme(&self) -> String {
        format!(
            "<!-- {GENERATED_MARKER} by `cargo xtask generate` from specs/ and tests/cassettes/. Do not edit. -->\n\
             # Replay tests\n\n\
             `cassettes/<crate>/<operation>.<status>[.<case>].json` each hold one recorded exchange: the\n\
             request the generated client must send and the response the service gave, with the doc page\n\
             it comes from. `tests/*.rs` replay them through a local HTTP server (wiremock) and check the\n\
             exact request and the typed response. A `<case>` records service behaviour beyond the docs'\n\
             examples (values the docs do not list, unknown fields, `null`s, numbers sent as strings).\n\n\
             ## Coverage\n\n\
             Every documented status of every operation, and the cassettes that record it\n\
             ({}). `cargo xtask coverage` prints this table and fails on a gap.\n\n{}",
            self.summary(),
            self.markdown()
        )
    }
}

/// Builds the table from `specs` and the cassette files under `root/cassettes_dir`; a cassette
/// counts only when `refused` (the cassette rules' verdict, by path relative to `root`) is
/// false, as its file name is what places it in a row.
pub fn compute(
    specs: &[Spec],
    root: &Path,
    cassettes_dir: &Path,
    refused: &dyn Fn(&Path) -> bool,
) -> Coverage {
    let walk = crate::files::walk(root, cassettes_dir);
    let mut unmatched: Vec<PathBuf> = walk
        .special
        .iter()
        .filter_map(|s| {
            s.path
                .strip_prefix(cassettes_dir)
                .ok()
                .map(Path::to_path_buf)
        })
        .collect();
    let mut files: Vec<(String, String)> = Vec::new();
    for path in walk
        .files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let relative = path
            .strip_prefix(cassettes_dir)
            .unwrap_or(path)
            .to_path_buf();
        let named = (|| {
            let crate_dir = relative
                .parent()?
                .file_name()?
                .to_string_lossy()
                .into_owned();
            let stem = relative.file_stem()?.to_string_lossy().into_owned();
            Some((crate_dir, stem))
        })();
        match named {
            Some(named) if !refused(path) => files.push(named),
            _ => unmatched.push(relative),
        }
    }
    let mut rows = Vec::new();
    for spec in specs {
        let crate_name = spec.crate_name();
        for (method, route, operation) in spec.operations() {
            let operation_id = operation.operation_id.clone().unwrap_or_default();
            let mut statuses: Vec<String> = operation
                .responses
                .responses
                .keys()
                .map(|code| code.to_string())
                .collect();
            if operation.responses.default.is_some() {
                statuses.push("default".into());
            }
            for status in statuses {
                let prefix = format!("{operation_id}.{status}");
                let mut cassettes: Vec<String> = Vec::new();
                files.retain(|(dir, stem)| {
                    let ours = dir == &crate_name
                        && (stem == &prefix || stem.starts_with(&format!("{prefix}.")));
                    if ours {
                        cassettes.push(stem.clone());
                    }
                    !ours
                });
                cassettes.sort();
                rows.push(Row {
                    crate_name: crate_name.clone(),
                    operation_id: operation_id.clone(),
                    request: format!("{} {route}", method.to_uppercase()),
                    status,
                    cassettes,
                });
            }
        }
    }
    unmatched.extend(
        files
            .into_iter()
            .map(|(dir, stem)| Path::new(&dir).join(format!("{stem}.json"))),
    );
    unmatched.sort();
    Coverage { rows, unmatched }
}

/// What the repository's README says about the specs that they do not: its crate table (one
/// row per spec: ``| `<crate>` | `specs/<file>` | ... | <operations> |``) and its total (`<N>
/// operations covering`), checked against `specs` as (crate, spec path, operations). One line
/// per difference, naming the place and the fix; none when they agree.
pub fn readme_problems(readme: &str, specs: &[(String, String, usize)]) -> Vec<String> {
    let mut problems = Vec::new();
    // Rows of the crate table: the crate, its spec and its count.
    let rows: Vec<(String, String, Option<usize>)> = readme
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line
                .trim()
                .strip_prefix('|')?
                .strip_suffix('|')?
                .split('|')
                .collect();
            let unquote = |cell: &str| {
                cell.trim()
                    .strip_prefix('`')?
                    .strip_suffix('`')
                    .map(str::to_owned)
            };
            let spec = unquote(cells.get(1)?)?;
            if !spec.starts_with("specs/") {
                return None;
            }
            let count = cells.last().and_then(|c| c.trim().parse().ok());
            Some((unquote(cells.first()?)?, spec, count))
        })
        .collect();
    for (crate_name, spec, operations) in specs {
        match rows.iter().find(|(name, _, _)| name == crate_name) {
            None => problems.push(format!(
                "README.md: the crate table has no row for `{crate_name}` ({spec}, {operations} operations): add one"
            )),
            Some((_, path, count)) => {
                if path != spec {
                    problems.push(format!(
                        "README.md: the crate table names `{path}` for `{crate_name}`, whose spec is `{spec}`: correct the row"
                    ));
                }
                if *count != Some(*operations) {
                    let said = count.map_or("no number".to_owned(), |c| c.to_string());
                    problems.push(format!(
                        "README.md: the crate table gives `{crate_name}` {said} operations, {spec} has {operations}: correct the row"
                    ));
                }
            }
        }
    }
    for (name, path, _) in &rows {
        if !specs.iter().any(|(crate_name, _, _)| crate_name == name) {
            problems.push(format!(
                "README.md: the crate table has a row for `{name}` ({path}), which no spec makes: remove it"
            ));
        }
    }
    let total: usize = specs.iter().map(|(_, _, n)| n).sum();
    let said: Vec<usize> = readme
        .split(" operations covering")
        .collect::<Vec<_>>()
        .split_last()
        .map(|(_, before)| before)
        .unwrap_or_default()
        .iter()
        .filter_map(|text| text.rsplit(char::is_whitespace).next()?.parse().ok())
        .collect();
    match said.as_slice() {
        [n] if *n == total => {}
        [n] => problems.push(format!(
            "README.md: says {n} operations covering the job lifecycle; the specs have {total}: correct the number"
        )),
        _ => problems.push(format!(
            "README.md: no one `<N> operations covering` sentence to check against the specs' {total} operations: write it once"
        )),
    }
    problems
}

#[cfg(test)]
mod readme_tests {
    use super::*;

    fn specs(counts: &[(&str, usize)]) -> Vec<(String, String, usize)> {
        counts
            .iter()
            .map(|(name, n)| ((*name).to_owned(), format!("specs/{name}.yaml"), *n))
            .collect()
    }

    /// The README as it is and the specs as they are agree: the README's operation counts are
    /// checked, not typed on trust.
    #[test]
    fn the_readme_counts_what_the_specs_have() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
        let mut specs = Vec::new();
        for entry in std::fs::read_dir(root.join("specs")).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".yaml") {
                continue;
            }
            let path = PathBuf::from("specs").join(&name);
            let spec = Spec::parse(path.clone(), &std::fs::read(entry.path()).unwrap()).unwrap();
            specs.push((
                spec.crate_name(),
                format!("specs/{name}"),
                spec.operations().count(),
            ));
        }
        specs.sort();
        assert!(specs.len() >= 9, "{specs:?}");
        let problems = readme_problems(&readme, &specs);
        assert!(problems.is_empty(), "{problems:#?}");
    }

    /// Each way a README can disagree with the specs is one line naming the crate and the fix.
    #[test]
    fn every_disagreement_is_named() {
        let readme = "5 operations covering the jobs.\n\n| crate | spec | service | operations |\n|---|---|---|---|\n| `a-v1` | `specs/a-v1.yaml` | A | 2 |\n| `b-v1` | `specs/b-v1.yaml` | B | 3 |\n";
        // (specs, README) -> the problems' distinguishing words
        type Case = (Vec<(String, String, usize)>, String, Vec<&'static str>);
        let cases: Vec<Case> = vec![
            (
                specs(&[("a-v1", 2), ("b-v1", 3)]),
                readme.to_owned(),
                vec![],
            ),
            (
                specs(&[("a-v1", 2), ("b-v1", 4)]),
                readme.to_owned(),
                vec![
                    "`b-v1` 3 operations, specs/b-v1.yaml has 4",
                    "says 5 operations",
                ],
            ),
            (
                specs(&[("a-v1", 2), ("b-v1", 3), ("c-v3", 0)]),
                readme.to_owned(),
                vec!["no row for `c-v3`"],
            ),
            (
                specs(&[("a-v1", 5)]),
                readme.to_owned(),
                vec![
                    "`a-v1` 2 operations, specs/a-v1.yaml has 5",
                    "row for `b-v1` (specs/b-v1.yaml), which no spec makes",
                ],
            ),
            (
                specs(&[("a-v1", 2), ("b-v1", 3)]),
                readme.replace("`specs/b-v1.yaml`", "`specs/b.yaml`"),
                vec!["names `specs/b.yaml` for `b-v1`"],
            ),
            (
                specs(&[("a-v1", 2), ("b-v1", 3)]),
                readme.replace(" | 3 |", " | three |"),
                vec!["`b-v1` no number operations"],
            ),
            (
                specs(&[("a-v1", 2), ("b-v1", 3)]),
                readme.replace("5 operations covering", "five operations covering"),
                vec!["no one `<N> operations covering`"],
            ),
        ];
        for (specs, readme, expected) in cases {
            let problems = readme_problems(&readme, &specs);
            assert_eq!(problems.len(), expected.len(), "{problems:#?}");
            for (problem, words) in problems.iter().zip(&expected) {
                assert!(problem.contains(words), "{problem} lacks {words}");
            }
        }
    }
}
