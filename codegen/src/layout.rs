//! Where a workspace keeps its specs, generated crates, cassettes and coverage table.

use std::path::Path;

/// Where specs are read from and crates written to, relative to a workspace root.
#[derive(Debug, Clone)]
pub struct Layout<'a> {
    pub root: &'a Path,
    pub specs_dir: &'a Path,
    pub out_dir: &'a Path,
    /// Recorded exchanges, `<crate>/<operation>.<status>[.<case>].json`.
    pub cassettes_dir: &'a Path,
    /// The generated file holding the coverage table.
    pub coverage_file: &'a Path,
    /// One release record per spec, `<crate>.json` (`cargo xtask release`).
    pub releases_dir: &'a Path,
}

impl<'a> Layout<'a> {
    /// The layout of this repository: `specs/` -> `generated/` under `root`.
    pub fn standard(root: &'a Path) -> Self {
        Layout {
            root,
            specs_dir: Path::new("specs"),
            out_dir: Path::new("generated"),
            cassettes_dir: Path::new("tests/cassettes"),
            coverage_file: Path::new("tests/README.md"),
            releases_dir: Path::new("releases"),
        }
    }
}
