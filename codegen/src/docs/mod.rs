//! The vendor's API reference pages, read into one model ([`Page`]) and compared with the specs
//! (`cargo xtask docs check`). Pages come as reStructuredText (`api-ref/source/**/*.rst` in the
//! vendor's doc repositories, each starting `:original_name: <page-id>.html`); [`rst`] reads them.

pub mod check;
pub mod draft;
pub mod html;
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
    pub header_parameters: Vec<Field>,
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

    /// Files the rows of URI tables (shared by both readers): a method without a body documents
    /// its query parameters as "request parameters" too, and the route says which names are
    /// path parameters.
    pub(crate) fn place_uri_fields(&mut self, mut uri_fields: Vec<Field>) {
        if matches!(self.method.as_deref(), Some("GET" | "DELETE" | "HEAD")) {
            uri_fields.append(&mut self.request_fields);
        }
        let route = self.route.clone().unwrap_or_default();
        for field in uri_fields {
            if route.contains(&format!("{{{}}}", field.name)) {
                self.path_parameters.push(field);
            } else {
                self.query_parameters.push(field);
            }
        }
    }

    /// What an API page lacks for the check and the draft: a request line, a parameter table
    /// for each path parameter, status codes, field types, examples that are JSON.
    pub fn gaps(&self) -> Vec<String> {
        let mut gaps = Vec::new();
        let route = self.route.clone().unwrap_or_default();
        for placeholder in route.split('{').skip(1).filter_map(|r| r.split_once('}')) {
            if !self.path_parameters.iter().any(|p| p.name == placeholder.0) {
                gaps.push(format!(
                    "no table row for path parameter `{}`",
                    placeholder.0
                ));
            }
        }
        if self.statuses.is_empty() {
            gaps.push("no status code table".into());
        }
        let untyped = self
            .path_parameters
            .iter()
            .chain(&self.query_parameters)
            .chain(&self.request_fields)
            .chain(&self.response_fields)
            .filter(|f| f.type_.is_empty())
            .count();
        if untyped > 0 {
            gaps.push(format!("{untyped} field(s) without a type column"));
        }
        let invalid = self
            .example_requests
            .iter()
            .chain(&self.example_responses)
            .filter(|e| matches!(e, Example::Invalid { .. }))
            .count();
        if invalid > 0 {
            gaps.push(format!("{invalid} example(s) that are not JSON"));
        }
        gaps
    }
}

/// Puts a table's rows where its caption says they belong (shared by both readers).
pub(crate) fn classify(
    page: &mut Page,
    uri: &mut Vec<Field>,
    section: &str,
    caption: &str,
    rows: Vec<Vec<String>>,
) {
    let caption = caption.trim().to_owned();
    let caption = caption
        .split_once(|c: char| c.is_ascii_digit())
        .map(|(_, rest)| rest.trim_start_matches(|c: char| c.is_ascii_digit()).trim())
        .unwrap_or(&caption)
        .to_owned();
    let lower = caption.to_ascii_lowercase();
    let section = section.to_ascii_lowercase();
    let Some((header, body)) = rows.split_first() else {
        return;
    };
    let header: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    if lower.contains("status code") {
        for row in body {
            let code = row
                .first()
                .and_then(|c| c.split_whitespace().next()?.parse::<u16>().ok());
            if let Some(code) = code {
                page.statuses
                    .push((code, row.get(1).cloned().unwrap_or_default()));
            }
        }
        return;
    }
    if lower.contains("error code") {
        return;
    }
    let fields = fields(&header, body);
    // "Parameters in the **sub_jobs** field": a nested type, named after "the".
    if let Some(rest) = lower.split_once(" in the ").map(|(_, rest)| rest) {
        let name = rest
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();
        page.nested.entry(name).or_default().extend(fields);
        return;
    }
    if lower.contains("header") {
        page.header_parameters.extend(fields);
        return;
    }
    let generic = matches!(
        lower.as_str(),
        "parameters" | "parameter" | "parameter description" | "parameter descriptions"
    );
    if lower.contains("uri") || lower.contains("query") || lower.contains("path parameter") {
        uri.extend(fields);
    } else if lower.starts_with("request") || (generic && section.contains("request")) {
        page.request_fields.extend(fields);
    } else if lower.starts_with("response") || (generic && section.contains("response")) {
        page.response_fields.extend(fields);
    } else {
        let name = lower
            .replace("parameters", "")
            .replace("parameter", "")
            .replace("descriptions", "")
            .replace("description", "")
            .trim()
            .to_owned();
        let name = caption
            .get(..name.len())
            .map(str::trim)
            .unwrap_or(&name)
            .to_owned();
        page.nested.entry(name).or_default().extend(fields);
    }
}

fn fields(header: &[String], body: &[Vec<String>]) -> Vec<Field> {
    let column = |words: &[&str]| {
        header
            .iter()
            .position(|h| words.iter().any(|w| h.contains(w)))
    };
    let (Some(name), Some(description)) =
        (column(&["parameter", "name"]), column(&["description"]))
    else {
        return Vec::new();
    };
    let mandatory = column(&["mandatory", "required"]);
    let type_ = column(&["type"]);
    body.iter()
        .filter_map(|row| {
            let name = row.get(name)?.split_whitespace().next()?.to_owned();
            let description = row.get(description).cloned().unwrap_or_default();
            Some(Field {
                name,
                mandatory: mandatory.and_then(|m| {
                    match row.get(m)?.to_ascii_lowercase().as_str() {
                        "yes" | "mandatory" | "true" => Some(true),
                        "no" | "optional" | "false" => Some(false),
                        _ => None,
                    }
                }),
                type_: type_.and_then(|t| row.get(t).cloned()).unwrap_or_default(),
                range: block(&description, "Range"),
                default: block(&description, "Default Value"),
                description,
            })
        })
        .collect()
}

/// The text under a `Definition`/`Constraints`/`Range`/`Default Value` heading in a cell (the
/// newer pages' structure), up to the next heading; `None` when absent or "None".
fn block(description: &str, heading: &str) -> Option<String> {
    const HEADINGS: &[&str] = &["Definition", "Constraints", "Range", "Default Value"];
    let mut lines = description.lines().skip_while(|l| l.trim() != heading);
    lines.next()?;
    let text: Vec<&str> = lines
        .take_while(|l| !HEADINGS.contains(&l.trim()))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let text = text.join(" ");
    (!text.is_empty() && !text.eq_ignore_ascii_case("none")).then_some(text)
}

/// Every page below each of `trees` (`.rst` sources or doc-exports `.html`), read; pages are
/// keyed by their id.
pub fn read_trees(trees: &[PathBuf]) -> BTreeMap<String, Page> {
    let mut pages = BTreeMap::new();
    for tree in trees {
        let mut files = Vec::new();
        collect(tree, &mut files);
        files.sort();
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let page = match file.extension().and_then(|e| e.to_str()) {
                Some("rst") => rst::read(&file, &text),
                _ => html::read(&file, &text),
            };
            if let Some(page) = page {
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
            Ok(t) if t.is_file() && path.extension().is_some_and(|e| e == "rst" || e == "html") => {
                files.push(path)
            }
            _ => {}
        }
    }
}
