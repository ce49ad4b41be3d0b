//! The vendor's API reference pages, read into one model ([`Page`]) and compared with the specs
//! (`cargo xtask docs check`). Pages come as reStructuredText (`api-ref/source/**/*.rst` in the
//! vendor's doc repositories, each starting `:original_name: <page-id>.html`); [`rst`] reads them.

pub mod check;
pub mod draft;
pub mod rst;

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use serde_json::Value;

/// One documented parameter or body field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Field {
    pub name: String,
    /// `Some(true)` for "Yes"/"Mandatory", `Some(false)` for "No"/"Optional", `None` when the
    /// page leaves it open.
    pub mandatory: Option<bool>,
    /// As the page writes it: `String`, `Integer`, `Array of objects`, ...
    pub type_: String,
    pub description: String,
    /// The text of a **Range** block, or of a "value range" sentence.
    pub range: Option<String>,
    /// The text of a **Default Value** block.
    pub default: Option<String>,
}

/// A JSON example: parsed, or the text that does not parse (a finding, not a failure).
#[derive(Debug, Clone, PartialEq)]
pub enum Example {
    Json(Value),
    Invalid { text: String, error: String },
}

/// What one page documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// `dli_02_0104`.
    pub id: String,
    pub title: String,
    pub file: PathBuf,
    /// Upper case: `DELETE`.
    pub method: Option<String>,
    /// Without the query string: `/v1.0/{project_id}/jobs/{job_id}`.
    pub route: Option<String>,
    pub path_parameters: Vec<Field>,
    pub query_parameters: Vec<Field>,
    pub request_fields: Vec<Field>,
    pub response_fields: Vec<Field>,
    /// Tables describing a nested type, by the type's name as the caption gives it (`tags`).
    pub nested: BTreeMap<String, Vec<Field>>,
    /// Documented status codes with their descriptions.
    pub statuses: Vec<(u16, String)>,
    pub example_requests: Vec<Example>,
    pub example_responses: Vec<Example>,
}

impl Page {
    /// Whether the page documents an API call (some pages are overviews or appendices).
    pub fn is_api(&self) -> bool {
        self.method.is_some() && self.route.is_some()
    }
}

/// Every `.rst` page below each of `trees`, read; pages are keyed by their id.
pub fn read_trees(trees: &[PathBuf]) -> BTreeMap<String, Page> {
    let mut pages = BTreeMap::new();
    for tree in trees {
        let mut files = Vec::new();
        collect(tree, &mut files);
        files.sort();
        for file in files {
            if let Ok(text) = std::fs::read_to_string(&file)
                && let Some(page) = rst::read(&file, &text)
            {
                pages.insert(page.id.clone(), page);
            }
        }
    }
    pages
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect(&path, files),
            Ok(t) if t.is_file() && path.extension().is_some_and(|e| e == "rst") => {
                files.push(path)
            }
            _ => {}
        }
    }
}
