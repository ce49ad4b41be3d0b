//! The vendor's API reference pages, read into one model ([`Page`]) and compared with the specs
//! (`cargo xtask docs check`). Pages come as reStructuredText (`api-ref/source/**/*.rst` in the
//! vendor's doc repositories, each starting `:original_name: <page-id>.html`); [`rst`] reads them.
//! The vendor's Go SDKs are a second witness of the same kind: [`sdk`] reads each SDK operation
//! into a [`Page`], and the same check compares it (`cargo xtask sdk check`).

pub mod check;
pub mod draft;
#[doc(hidden)]
pub mod hostile;
pub mod html;
pub mod rst;
pub mod sdk;

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
    /// The table its description points to (`see Table 3`): where its fields are.
    pub table: Option<u32>,
    /// The type the type column names (`Array of validationResult objects`): a nested table's
    /// caption.
    pub type_name: Option<String>,
    /// The values an enum type allows (the SDK's enums; the pages' readers leave it empty).
    pub values: Vec<String>,
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
    /// Each nested table's number (`Table 3`), to its key in `nested`.
    pub table_numbers: BTreeMap<u32, String>,
    /// Response fields under a `Status code: N` heading, by status (the success one is also
    /// `response_fields`).
    pub status_fields: BTreeMap<u16, Vec<Field>>,
    /// Documented status codes with their descriptions.
    pub statuses: Vec<(u16, String)>,
    /// Whether `statuses` come from the examples' prose (`HTTP status code 204` under "Success
    /// response") because the page has no status code table (DataArts Factory's pages).
    pub statuses_in_prose: bool,
    /// The query parameters the request line names (`GET /v1/{project_id}/jobs?jobType={jobType}`),
    /// in its order: some pages document them only there, or in a table without a caption.
    pub route_query: Vec<String>,
    /// Example request bodies (a request line before the body, as some pages write it, is dropped).
    pub example_requests: Vec<Example>,
    /// Example response bodies of a success, or of no stated status.
    pub example_responses: Vec<Example>,
    /// Example bodies under a stated error status (`HTTP status code 400`), by status.
    pub status_examples: BTreeMap<u16, Vec<Example>>,
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
        // A name the request line's query string gives and no table row describes is still a
        // query parameter the page documents: without it, the check would call the spec's
        // parameter undocumented and the draft would leave it out.
        for name in self.route_query.clone() {
            if !self.query_parameters.iter().any(|f| f.name == name) {
                self.query_parameters.push(Field {
                    name,
                    description:
                        "Named in the request line's query string; no table row describes it."
                            .into(),
                    ..Field::default()
                });
            }
        }
    }

    /// The nested table describing `field`'s fields: the table its description points to,
    /// the one its type names, or the one named after it, in that order.
    pub fn nested_of(&self, field: &Field) -> Option<&Vec<Field>> {
        let by_number = field
            .table
            .and_then(|n| self.table_numbers.get(&n))
            .and_then(|key| self.nested.get(key));
        by_number
            .or_else(|| field.type_name.as_ref().and_then(|t| self.nested.get(t)))
            .or_else(|| self.nested.get(&field.name))
            .filter(|fields| !fields.is_empty())
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
        } else if self.statuses_in_prose {
            let stated: Vec<String> = self.statuses.iter().map(|(c, _)| c.to_string()).collect();
            gaps.push(format!(
                "no status code table (the examples state {})",
                stated.join(", ")
            ));
        }
        for name in &self.route_query {
            let described = self
                .query_parameters
                .iter()
                .any(|f| &f.name == name && !f.type_.is_empty());
            if !described {
                gaps.push(format!(
                    "query parameter `{name}` is only named in the request line"
                ));
            }
        }
        let untyped = self
            .path_parameters
            .iter()
            .chain(&self.query_parameters)
            .chain(&self.request_fields)
            .chain(&self.response_fields)
            // A query parameter only the request line names is reported above, once.
            .filter(|f| f.type_.is_empty() && !self.route_query.contains(&f.name))
            .count();
        if untyped > 0 {
            gaps.push(format!("{untyped} field(s) without a type column"));
        }
        let invalid = self
            .example_requests
            .iter()
            .chain(&self.example_responses)
            .chain(self.status_examples.values().flatten())
            .filter(|e| matches!(e, Example::Invalid { .. }))
            .count();
        if invalid > 0 {
            gaps.push(format!("{invalid} example(s) that are not JSON"));
        }
        gaps
    }
}

/// The methods a request line starts with.
pub(crate) const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];

/// A request line (`GET /v1/{project_id}/jobs?jobType={jobType}&offset={offset}`), shared by
/// both readers: the method, the route without its query string or trailing `/`, and the
/// names of the query string's parameters in their order. A parameter the page emphasises
/// (`{*project_id*}`, `{**job_id**}`, as some pages write it) is the parameter.
pub(crate) fn request_line(line: &str) -> Option<(String, String, Vec<String>)> {
    let (method, rest) = line.trim().split_once(' ')?;
    let rest = rest.trim_start();
    if !METHODS.contains(&method) || !rest.starts_with('/') {
        return None;
    }
    let target = rest.split(' ').next().unwrap_or_default();
    let (route, query) = target.split_once('?').unwrap_or((target, ""));
    let names = query
        .split('&')
        .filter_map(|pair| pair.split('=').next())
        .map(str::trim)
        .filter(|name| !name.is_empty() && !name.contains(['{', '}']))
        .map(str::to_owned)
        .collect();
    Some((
        method.to_owned(),
        plain_route(route.trim_end_matches('/')),
        names,
    ))
}

/// A route with its placeholders unnamed and no trailing `/` (`/v1/{}/jobs/{}`): what a
/// request line and a spec's route must agree on.
pub fn route_shape(route: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in route.trim_end_matches('/').chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// A route with RST emphasis taken off its parameters: `{*job_id*}` is `{job_id}`.
fn plain_route(route: &str) -> String {
    route
        .split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => format!("{{{}}}", name.trim_matches(['*', ' ', '\\'])),
                None => segment.to_owned(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

/// The status an example's prose states (`HTTP status code 204`, as DataArts Factory's pages
/// write under "Success response" and "Failure response").
pub(crate) fn stated_status(line: &str) -> Option<u16> {
    let line = line.trim().trim_matches('*').trim();
    let prefix = "http status code";
    let head = line.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let rest = line[prefix.len()..].trim_start_matches([' ', ':']);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let code: u16 = digits.parse().ok()?;
    (digits.len() == 3 && (100..600).contains(&code)).then_some(code)
}

/// Puts a table's rows where its caption says they belong (shared by both readers).
/// The status a `Status code: 400` heading (bold or not) names.
pub(crate) fn status_heading(line: &str) -> Option<u16> {
    let line = line.trim().trim_matches('*').trim();
    let rest = line
        .strip_prefix("Status code:")
        .or_else(|| line.strip_prefix("Status Code:"))?;
    rest.trim().trim_matches('*').trim().parse().ok()
}

/// `Table 3` in a caption or description: the number.
fn table_number(text: &str) -> Option<u32> {
    let at = text.find("Table ")?;
    let digits: String = text[at + 6..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

pub(crate) fn classify(
    page: &mut Page,
    uri: &mut Vec<Field>,
    section: &str,
    caption: &str,
    rows: Vec<Vec<String>>,
    status: Option<u16>,
) {
    let number = table_number(caption).filter(|_| caption.trim().starts_with("Table "));
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
        if let Some(number) = number {
            page.table_numbers.insert(number, name.clone());
        }
        add_fields(page.nested.entry(name).or_default(), fields);
        return;
    }
    if lower.contains("header") {
        add_fields(&mut page.header_parameters, fields);
        return;
    }
    let generic = matches!(
        lower.as_str(),
        "parameters" | "parameter" | "parameter description" | "parameter descriptions"
    );
    if lower.contains("uri") || lower.contains("query") || lower.contains("path parameter") {
        add_fields(uri, fields);
    } else if lower.starts_with("request") || (generic && section.contains("request")) {
        add_fields(&mut page.request_fields, fields);
    } else if lower.starts_with("response") || (generic && section.contains("response")) {
        match status {
            Some(code) if !(200..300).contains(&code) => {
                add_fields(page.status_fields.entry(code).or_default(), fields);
            }
            Some(code) => {
                add_fields(page.status_fields.entry(code).or_default(), fields.clone());
                add_fields(&mut page.response_fields, fields);
            }
            None => add_fields(&mut page.response_fields, fields),
        }
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
        if let Some(number) = number {
            page.table_numbers.insert(number, name.clone());
        }
        add_fields(page.nested.entry(name).or_default(), fields);
    }
}

/// How deep `check` and `draft` follow nested tables (a page's tables may name each other, or
/// themselves): one limit for every walk over them.
pub const MAX_NESTED_DEPTH: usize = 8;

/// Adds `fields` to `list`, each name once: a row repeated on a page (or a table given twice)
/// adds nothing, so no walk over the fields multiplies its work by it.
pub(crate) fn add_fields(list: &mut Vec<Field>, fields: Vec<Field>) {
    let mut seen: std::collections::BTreeSet<String> =
        list.iter().map(|f| f.name.clone()).collect();
    for field in fields {
        if seen.insert(field.name.clone()) {
            list.push(field);
        }
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
                table: table_number(&description),
                type_name: type_.and_then(|t| type_name(row.get(t)?)),
                description,
                values: Vec::new(),
            })
        })
        .collect()
}

/// The type a type column names beyond the basic ones: `Array of validationResult objects`,
/// `JobDetail object`, `JobDetail` -> the name (a nested table's caption).
fn type_name(type_: &str) -> Option<String> {
    let t = type_.trim();
    let t = t.strip_prefix("Array of ").unwrap_or(t);
    let t = t
        .strip_suffix(" objects")
        .or_else(|| t.strip_suffix(" object"))
        .unwrap_or(t)
        .trim();
    (!t.is_empty() && !t.contains(' ')).then(|| t.to_owned())
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

/// Why a docs tree could not be read. Every problem is reported, so a wrong `--docs` path or an
/// unreadable page can never pass as "nothing to check".
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}: cannot read the docs tree: {source}\n  hint: give a directory holding the vendor's pages (--docs <repo>/api-ref/source)", path.display())]
    Tree {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: no `.rst` or `.html` page below it\n  hint: give a directory holding the vendor's pages (--docs <repo>/api-ref/source)", path.display())]
    NoPages { path: PathBuf },
    #[error("{}: cannot read the page: {source}\n  hint: pages are UTF-8 text files; convert or remove this one", path.display())]
    Page {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: is a {kind}, not a regular file or a directory; it is not read\n  hint: docs trees hold regular files: replace it by a copy of what it stands for, or remove it", path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("{}:{line}: elements nested more than {limit} deep; the page is not read\n  hint: the vendor's pages nest far less: check that this is one of them (an unclosed tag repeated?)", path.display())]
    TooDeep {
        path: PathBuf,
        line: usize,
        limit: usize,
    },
    #[error("{} and {}: both are page `{id}`\n  hint: give each page once (one tree per docs version)", first.display(), second.display())]
    DuplicatePage {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },
}

/// Every page below each of `trees` (`.rst` sources or doc-exports `.html`), read; pages are
/// keyed by their id. Files that name no page id (indexes, change logs) are not pages.
pub fn read_trees(trees: &[PathBuf]) -> Result<BTreeMap<String, Page>, Vec<ReadError>> {
    let mut pages: BTreeMap<String, Page> = BTreeMap::new();
    let mut problems = Vec::new();
    for tree in trees {
        let mut files = Vec::new();
        if let Err(problem) = collect(tree, &mut files, &mut problems) {
            problems.push(problem);
            continue;
        }
        if files.is_empty() {
            problems.push(ReadError::NoPages { path: tree.clone() });
        }
        files.sort();
        for file in files {
            let text = match std::fs::read_to_string(&file) {
                Ok(text) => text,
                Err(source) => {
                    problems.push(ReadError::Page { path: file, source });
                    continue;
                }
            };
            let page = match file.extension().and_then(|e| e.to_str()) {
                Some("rst") => rst::read(&file, &text),
                _ => {
                    if let Some(line) = html::nesting_beyond(&text, html::MAX_NESTING) {
                        problems.push(ReadError::TooDeep {
                            path: file,
                            line,
                            limit: html::MAX_NESTING,
                        });
                        continue;
                    }
                    html::read(&file, &text)
                }
            };
            let Some(page) = page else { continue };
            if let Some(first) = pages.get(&page.id) {
                problems.push(ReadError::DuplicatePage {
                    id: page.id.clone(),
                    first: first.file.clone(),
                    second: page.file.clone(),
                });
                continue;
            }
            pages.insert(page.id.clone(), page);
        }
    }
    if problems.is_empty() {
        Ok(pages)
    } else {
        Err(problems)
    }
}

/// The `.rst` and `.html` files below `dir`; a directory that cannot be listed is a problem,
/// and so is each entry that is neither a regular file nor a directory.
fn collect(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    problems: &mut Vec<ReadError>,
) -> Result<(), ReadError> {
    let tree_error = |source| ReadError::Tree {
        path: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(tree_error)? {
        let entry = entry.map_err(tree_error)?;
        let path = entry.path();
        let file_type = entry.file_type().map_err(tree_error)?;
        if file_type.is_dir() {
            collect(&path, files, problems)?;
        } else if let Some(kind) = crate::files::special_kind(file_type) {
            // Never read (a FIFO would block) nor followed: reported, not skipped.
            problems.push(ReadError::NotAFile { path, kind });
        } else if path.extension().is_some_and(|e| e == "rst" || e == "html") {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::{hostile::hostile_pages, *};

    /// Request lines as pages write them: the route's parameters plain whatever emphasis the
    /// page puts on them, the query's names in order.
    #[test]
    fn request_lines_read_their_route_without_emphasis() {
        // (line) -> (method, route, query names)
        type Read = (&'static str, &'static str, &'static [&'static str]);
        let cases: [(&str, Option<Read>); 6] = [
            (
                "GET /v1/{project_id}/jobs",
                Some(("GET", "/v1/{project_id}/jobs", &[])),
            ),
            (
                "POST /v3/{*project_id*}/streaming/jobs/{*job_id*}/gen-graph",
                Some((
                    "POST",
                    "/v3/{project_id}/streaming/jobs/{job_id}/gen-graph",
                    &[],
                )),
            ),
            (
                "DELETE /v1/{**project_id**}/vars/{*var_name*}/",
                Some(("DELETE", "/v1/{project_id}/vars/{var_name}", &[])),
            ),
            (
                "GET /v1/{project_id}/x?a={a}&b=1",
                Some(("GET", "/v1/{project_id}/x", &["a", "b"])),
            ),
            // Emphasis outside a parameter is the route's own text, kept.
            ("GET /v1/*jobs*", Some(("GET", "/v1/*jobs*", &[]))),
            ("FETCH /v1/jobs", None),
        ];
        for (line, expected) in cases {
            let read = request_line(line);
            let read = read.as_ref().map(|(m, r, q)| {
                (
                    m.as_str(),
                    r.as_str(),
                    q.iter().map(String::as_str).collect::<Vec<_>>(),
                )
            });
            let expected = expected.map(|(m, r, q)| (m, r, q.to_vec()));
            assert_eq!(read, expected, "{line}");
        }
    }

    /// The operation the hostile pages document, its body a `tags` array of itself.
    fn hostile_spec() -> crate::spec::Spec {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: v1}
paths:
  /v1/{p}/jobs:
    post:
      operationId: hostile
      x-doc-page: hostile_01
      parameters: [{name: p, in: path, required: true, schema: {type: string}}]
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Tags'}}}
      responses: {'200': {description: ok}}
components:
  schemas:
    Tags:
      type: object
      properties:
        tags: {type: array, items: {$ref: '#/components/schemas/Tags'}}
        a: {$ref: '#/components/schemas/Tags'}
        b: {$ref: '#/components/schemas/Tags'}
"#;
        crate::spec::Spec::parse("specs/t-v1.yaml".into(), spec.as_bytes()).unwrap()
    }

    /// Every string a page holds, in bytes: what reading it built.
    fn volume(page: &Page) -> usize {
        let fields = |fields: &[Field]| -> usize {
            fields
                .iter()
                .map(|f| {
                    f.name.len()
                        + f.type_.len()
                        + f.description.len()
                        + f.range.as_ref().map_or(0, String::len)
                })
                .sum()
        };
        fields(&page.path_parameters)
            + fields(&page.query_parameters)
            + fields(&page.request_fields)
            + fields(&page.response_fields)
            + page.nested.values().map(|f| fields(f)).sum::<usize>()
            + page
                .status_fields
                .values()
                .map(|f| fields(f))
                .sum::<usize>()
    }

    /// Each hostile page at 100 KB: read, drafted and checked without a panic or a stack
    /// overflow, and what the reader builds grows with the page, not with its square (the
    /// readers used to collect each nested table's text once per enclosing table: 544 MiB for
    /// 400 tables). Times are in `benches/docs.rs`.
    #[test]
    fn hostile_pages_read_into_a_model_no_larger_than_the_page() {
        for (shape, file, text) in hostile_pages(100_000) {
            assert!(text.len() > 60_000, "{shape}: {}", text.len());
            if file.ends_with(".html") && html::nesting_beyond(&text, html::MAX_NESTING).is_some() {
                assert!(shape.starts_with("nested"), "{shape} is refused");
                assert_eq!(html::read(Path::new(file), &text), None, "{shape}");
                // Nearly as deep as allowed: read, in time the bench shows.
                let shape_of = |bytes| {
                    hostile_pages(bytes)
                        .into_iter()
                        .find(|(s, _, _)| s == &shape)
                        .map(|(_, _, text)| text)
                        .unwrap()
                };
                let mut bytes = 100_000;
                while html::nesting_beyond(&shape_of(bytes), html::MAX_NESTING).is_some() {
                    bytes = bytes * 3 / 4;
                }
                let allowed = shape_of(bytes);
                assert_eq!(
                    html::nesting_beyond(&allowed, html::MAX_NESTING),
                    None,
                    "{shape}"
                );
                let page = html::read(Path::new(file), &allowed).unwrap();
                assert!(volume(&page) <= allowed.len(), "{shape}");
                continue;
            }
            let page = if file.ends_with(".rst") {
                rst::read(Path::new(file), &text)
            } else {
                html::read(Path::new(file), &text)
            }
            .unwrap_or_else(|| panic!("{shape}: no page"));
            assert!(
                volume(&page) <= text.len(),
                "{shape}: {} bytes read from {}",
                volume(&page),
                text.len()
            );
            // Checked against a spec whose schema nests without end, as the page's tables do:
            // repeated rows no longer multiply the comparisons (N^3) or the lines.
            let outcome = check::check(
                &[hostile_spec()],
                &BTreeMap::from([(page.id.clone(), page.clone())]),
            );
            assert_eq!(outcome.checked, 1, "{shape}");
            assert!(
                outcome.drifts.len() <= 20,
                "{shape}: {} drifts",
                outcome.drifts.len()
            );
            let draft = draft::draft(&page);
            assert!(
                draft.len() <= 2 * text.len() + 10_000,
                "{shape}: a draft of {} bytes",
                draft.len()
            );
        }
    }

    /// A page whose nested table lists a field of its own name, and an A -> B -> A pair: the
    /// draft stops at the cycle (it overflowed the stack) and says where.
    #[test]
    fn a_table_that_names_itself_is_drafted_once_and_noted() {
        let pages = hostile_pages(2_000);
        for shape in [
            "repeated rows naming their own table",
            "repeated rows, A to B to A",
        ] {
            let (_, file, text) = pages.iter().find(|(s, _, _)| *s == shape).unwrap();
            let page = if file.ends_with(".rst") {
                rst::read(Path::new(file), text)
            } else {
                html::read(Path::new(file), text)
            }
            .unwrap();
            let draft = draft::draft(&page);
            assert!(
                draft.contains("its table lists itself (through "),
                "{shape}: {draft}"
            );
        }
    }

    /// Each way a docs tree can be unreadable, and what `read_trees` reports for it.
    #[test]
    fn every_unreadable_tree_is_reported_with_its_path() {
        let root = tempfile::tempdir().unwrap();
        let dir = |name: &str, files: &[(&str, &[u8])]| {
            let dir = root.path().join(name);
            std::fs::create_dir_all(&dir).unwrap();
            for (file, bytes) in files {
                let path = dir.join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, bytes).unwrap();
            }
            dir
        };
        let page = rst::tests::PAGE.as_bytes();
        let good = dir(
            "good",
            &[("a/page.rst", page), ("index.rst", b"Index\n=====\n")],
        );
        let cases: Vec<(&str, Vec<PathBuf>, Vec<&str>)> = vec![
            (
                "missing",
                vec![root.path().join("missing")],
                vec!["missing: cannot read the docs tree"],
            ),
            (
                "empty",
                vec![dir("empty", &[("notes.txt", b"x")])],
                vec!["empty: no `.rst` or `.html` page below it"],
            ),
            (
                "not UTF-8",
                vec![dir("latin1", &[("p.rst", b"caf\xe9")])],
                vec!["p.rst: cannot read the page", "UTF-8"],
            ),
            (
                "a symlink among the pages",
                vec![dir("linked", &[("a.rst", page)])],
                vec!["linked/b.rst: is a symlink, not a regular file"],
            ),
            (
                "a FIFO among the pages",
                vec![dir("fifo", &[("a.rst", page)])],
                vec!["fifo/b.html: is a FIFO, not a regular file"],
            ),
            (
                "markup nested too deep",
                vec![dir(
                    "deep",
                    &[(
                        "p.html",
                        "<a name=\"x_01\"></a>\n<ul><li>".repeat(300).as_bytes(),
                    )],
                )],
                vec![
                    "deep/p.html:",
                    ": elements nested more than 256 deep; the page is not read",
                ],
            ),
            (
                "one page twice",
                vec![good.clone(), dir("copy", &[("page.rst", page)])],
                vec![
                    "a/page.rst and ",
                    "copy/page.rst: both are page `test_02_0001`",
                ],
            ),
        ];
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("a.rst", root.path().join("linked/b.rst")).unwrap();
            let fifo = root.path().join("fifo/b.html");
            assert!(
                std::process::Command::new("mkfifo")
                    .arg(&fifo)
                    .status()
                    .unwrap()
                    .success()
            );
        }
        for (case, trees, expected) in cases {
            let problems = read_trees(&trees).expect_err(case);
            assert_eq!(problems.len(), 1, "{case}: {problems:?}");
            let message = problems[0].to_string();
            for part in expected {
                assert!(message.contains(part), "{case}: {message}");
            }
            assert!(message.contains("hint: "), "{case}: {message}");
        }
        let pages = read_trees(&[good]).unwrap();
        assert_eq!(pages.keys().collect::<Vec<_>>(), ["test_02_0001"]);
    }
}
