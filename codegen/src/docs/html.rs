//! Reads one vendor API page in the doc-exports HTML format (the pages the RST sources were
//! converted from) into the same [`Page`] the RST reader gives: `<a name="<page-id>">`, the
//! `h1.topictitle1` title, `div.section`s titled by `h4.sectiontitle`, captioned tables (head
//! cells in `th`, each `<p>` of a cell a paragraph) and `pre` examples.

use std::path::Path;

use scraper::{ElementRef, Html, Node};

use super::{Example, Page, classify};

/// The page in `html` (read from `file`), or `None` when it names no page id.
///
/// In time linear in the page, however its markup nests: each element is visited once per
/// part it belongs to (its section, its table, its row, its cell), as every walk below stops at
/// a nested section or table, which is read as its own; text is never collected twice.
pub fn read(file: &Path, html: &str) -> Option<Page> {
    if nesting_beyond(html, MAX_NESTING).is_some() {
        return None; // `read_trees` reports it
    }
    let document = Html::parse_document(html);
    let root = document.root_element();
    let all = own(root, |_| false);
    let id = all
        .iter()
        .filter(|e| e.value().name() == "a")
        .filter_map(|a| a.value().attr("name"))
        .find(|name| !name.contains("__"))?
        .to_owned();
    let mut page = Page {
        id,
        file: file.to_owned(),
        ..Page::default()
    };
    page.title = all
        .iter()
        .find(|e| e.value().name() == "h1")
        .map(text)
        .unwrap_or_default();
    let mut uri_fields = Vec::new();
    for section in all.iter().filter(|e| is_section(e)) {
        let parts = own(*section, is_section);
        let title = parts
            .iter()
            .find(|e| e.value().name() == "h4" && has_class(e, "sectiontitle"))
            .map(text)
            .unwrap_or_default();
        if page.method.is_none() {
            'lines: for node in parts
                .iter()
                .filter(|e| matches!(e.value().name(), "p" | "li"))
            {
                let line = text(node);
                for candidate in line.lines() {
                    if let Some((method, route, query)) = super::request_line(candidate) {
                        page.method = Some(method);
                        page.route = Some(route);
                        page.route_query = query;
                        break 'lines;
                    }
                }
            }
        }
        // `<p><strong>Status code: 400</strong></p>`: the status the tables below it answer.
        let mut status = None;
        for part in &parts {
            match part.value().name() {
                "p" => status = super::status_heading(&text(part)).or(status),
                "table" => {
                    let caption = own(*part, is_table)
                        .into_iter()
                        .find(|e| e.value().name() == "caption")
                        .map(|c| text(&c))
                        .unwrap_or_default();
                    classify(
                        &mut page,
                        &mut uri_fields,
                        &title,
                        &caption,
                        rows(part),
                        status,
                    );
                }
                _ => {}
            }
        }
        let lower = title.to_ascii_lowercase();
        if lower.contains("example") {
            for pre in parts.iter().filter(|e| e.value().name() == "pre") {
                let block = pre.text().collect::<String>().trim().to_owned();
                if block.is_empty() {
                    continue;
                }
                let example = match serde_json::from_str(&block) {
                    Ok(value) => Example::Json(value),
                    Err(e) => Example::Invalid {
                        text: block,
                        error: e.to_string(),
                    },
                };
                if lower.contains("request") {
                    page.example_requests.push(example);
                } else if lower.contains("response") {
                    page.example_responses.push(example);
                }
            }
        }
    }
    page.place_uri_fields(uri_fields);
    Some(page)
}

/// How deep a page's elements may nest. The HTML parsing algorithm looks through the open
/// elements at each tag (is a `<p>` open, in scope?), so its time grows with the square of the
/// nesting: a deeper page is refused by a linear scan before it is parsed. The vendor's pages
/// nest about 15 deep.
pub const MAX_NESTING: usize = 256;

/// Elements that never hold content (no end tag).
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The line where `html`'s start tags first outnumber its end tags by more than `limit`,
/// scanning once; comments and declarations are skipped. It over-counts (an unclosed `<p>`
/// counts) rather than misses.
pub fn nesting_beyond(html: &str, limit: usize) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'<' if html[i..].starts_with("<!--") => {
                let end = html[i..].find("-->").map_or(bytes.len(), |e| i + e + 3);
                line += html[i..end].matches('\n').count();
                i = end;
                continue;
            }
            b'<' => match bytes.get(i + 1) {
                Some(b'/') => depth = depth.saturating_sub(1),
                Some(c) if c.is_ascii_alphabetic() => {
                    let name: String = html[i + 1..]
                        .chars()
                        .take_while(char::is_ascii_alphanumeric)
                        .collect::<String>()
                        .to_ascii_lowercase();
                    // No `>` left: no tag either (and no search again, which would be quadratic).
                    let end = html[i..].find('>')? + i;
                    let self_closing = bytes[end - 1] == b'/';
                    if !VOID.contains(&name.as_str()) && !self_closing {
                        depth += 1;
                        if depth > limit {
                            return Some(line);
                        }
                    }
                    // Past the tag: each byte is looked at once.
                    line += html[i..end].matches('\n').count();
                    i = end + 1;
                    continue;
                }
                _ => {}
            },
            _ => {}
        }
        i += 1;
    }
    None
}

fn has_class(element: &ElementRef, class: &str) -> bool {
    element.value().classes().any(|c| c == class)
}

fn is_section(element: &ElementRef) -> bool {
    element.value().name() == "div" && has_class(element, "section")
}

fn is_table(element: &ElementRef) -> bool {
    element.value().name() == "table"
}

/// The elements below `root` in document order, without walking into an element `stop`
/// accepts (it is listed, its inside is not). Iterative: nesting depth costs no stack.
fn own<'a>(root: ElementRef<'a>, stop: fn(&ElementRef) -> bool) -> Vec<ElementRef<'a>> {
    let mut found = Vec::new();
    let mut pending: Vec<_> = root.children().rev().collect();
    while let Some(node) = pending.pop() {
        let Some(element) = ElementRef::wrap(node) else {
            continue;
        };
        found.push(element);
        if !stop(&element) {
            pending.extend(node.children().rev());
        }
    }
    found
}

/// A table's rows, the header first: each cell's paragraphs (`<p>`, or its text when it has
/// none) joined by line breaks, whitespace within a paragraph collapsed. A table nested in a
/// cell is not part of the cell: it is read as a table of its own.
fn rows(table: &ElementRef) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for row in own(*table, is_table)
        .into_iter()
        .filter(|e| e.value().name() == "tr")
    {
        let cells: Vec<String> = own(row, is_table)
            .into_iter()
            .filter(|e| matches!(e.value().name(), "th" | "td"))
            .map(|cell| {
                let paragraphs: Vec<String> = own(cell, is_table)
                    .iter()
                    .filter(|e| e.value().name() == "p")
                    .map(text)
                    .filter(|p| !p.is_empty())
                    .collect();
                if paragraphs.is_empty() {
                    text(&cell)
                } else {
                    paragraphs.join("\n")
                }
            })
            .collect();
        if !cells.is_empty() {
            rows.push(cells);
        }
    }
    rows
}

/// An element's text with its whitespace collapsed, without what nested sections and tables
/// hold (read on their own), nor, for a list item, nested lists (their items are read too).
fn text(element: &ElementRef) -> String {
    let list_item = element.value().name() == "li";
    let mut raw = String::new();
    let mut pending: Vec<_> = element.children().rev().collect();
    while let Some(node) = pending.pop() {
        match node.value() {
            Node::Text(t) => raw.push_str(t),
            Node::Element(_) => {
                let Some(e) = ElementRef::wrap(node) else {
                    continue;
                };
                let nested = is_section(&e)
                    || is_table(&e)
                    || (list_item && matches!(e.value().name(), "ul" | "ol"));
                if !nested {
                    pending.extend(node.children().rev());
                }
            }
            _ => {}
        }
    }
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::rst;

    /// The RST test page (`rst::tests::PAGE`) as the doc-exports HTML of the same page.
    const PAGE: &str = r##"<a name="test_02_0001"></a><a name="test_02_0001"></a>
<h1 class="topictitle1">Submitting a Test Job</h1>
<div id="body1"><div class="section" id="test_02_0001__s1"><h4 class="sectiontitle">Function</h4><p>Submits a job.</p></div>
<div class="section" id="test_02_0001__s2"><h4 class="sectiontitle">URI</h4><ul><li>Format<p>POST /v1.0/{project_id}/jobs/submit?dry_run=true</p></li>
<li>Parameter description
<div class="tablenoborder"><table><caption><b>Table 1 </b>URI parameters</caption>
<thead align="left"><tr><th><p>Parameter</p></th><th><p>Mandatory</p></th><th><p>Type</p></th><th><p>Description</p></th></tr></thead>
<tbody><tr><td><p>project_id</p></td><td><p>Yes</p></td><td><p>String</p></td>
<td><p><strong>Definition</strong></p><p>Project ID.</p><p><strong>Range</strong></p><p>Up to 64 characters.</p><p><strong>Default Value</strong></p><p>None</p></td></tr>
<tr><td><p>dry_run</p></td><td><p>No</p></td><td><p>Boolean</p></td><td><p>Check only. Default: false.</p></td></tr>
</tbody></table></div></li></ul></div>
<div class="section" id="test_02_0001__s3"><h4 class="sectiontitle">Request Parameters</h4>
<div class="tablenoborder"><table><caption><b>Table 2 </b>Request parameters</caption>
<thead align="left"><tr><th><p>Parameter</p></th><th><p>Mandatory</p></th><th><p>Type</p></th><th><p>Description</p></th></tr></thead>
<tbody><tr><td><p>sql</p></td><td><p>Yes</p></td><td><p>String</p></td><td><p>The statement, <strong>ü</strong> allowed.</p></td></tr>
<tr><td><p>tags</p></td><td><p>No</p></td><td><p>Array of objects</p></td><td><p>See <a href="#t3">Table 3</a>.</p></td></tr>
</tbody></table></div>
<div class="tablenoborder"><table><caption><b>Table 3 </b><strong>tags</strong> parameters</caption>
<thead align="left"><tr><th><p>Parameter</p></th><th><p>Mandatory</p></th><th><p>Type</p></th><th><p>Description</p></th></tr></thead>
<tbody><tr><td><p>key</p></td><td><p>Yes</p></td><td><p>String</p></td><td><p>Tag key.</p></td></tr></tbody></table></div></div>
<div class="section" id="test_02_0001__s4"><h4 class="sectiontitle">Response Parameters</h4>
<div class="tablenoborder"><table><caption><b>Table 4 </b>Response parameters</caption>
<thead align="left"><tr><th><p>Parameter</p></th><th><p>Mandatory</p></th><th><p>Type</p></th><th><p>Description</p></th></tr></thead>
<tbody><tr><td><p>is_success</p></td><td><p>No</p></td><td><p>Boolean</p></td><td><p>Whether it worked.</p></td></tr>
<tr><td><p>job_id</p></td><td><p>No</p></td><td><p>String</p></td><td><p>The job, which the service
assigns.</p></td></tr></tbody></table></div></div>
<div class="section" id="test_02_0001__s5"><h4 class="sectiontitle">Example Request</h4><pre class="screen">{"sql": "select 1"}</pre></div>
<div class="section" id="test_02_0001__s6"><h4 class="sectiontitle">Example Response</h4><pre class="screen">{
  "is_success": true,
  "job_id": "x",
}</pre></div>
<div class="section" id="test_02_0001__s7"><h4 class="sectiontitle">Status Code</h4>
<div class="tablenoborder"><table><caption><b>Table 5 </b>Status code</caption>
<thead align="left"><tr><th><p>Status Code</p></th><th><p>Description</p></th></tr></thead>
<tbody><tr><td><p>200</p></td><td><p>Submitted.</p></td></tr>
<tr><td><p>400</p></td><td><p>Request error; the body says which.</p></td></tr></tbody></table></div></div>
</div>
"##;

    #[test]
    fn the_same_page_in_html_and_rst_reads_into_the_same_model() {
        let from_html = read(Path::new("test_02_0001.html"), PAGE).unwrap();
        let from_rst = rst::read(Path::new("p.rst"), rst::tests::PAGE).unwrap();
        let without_file = |page: Page| Page {
            file: Default::default(),
            ..page
        };
        assert_eq!(without_file(from_html), without_file(from_rst));
    }

    /// A page cut anywhere (every third character, to keep the test fast) reads without a
    /// panic, as no page or under a prefix of its id.
    #[test]
    fn a_cut_page_reads_as_its_page_or_as_no_page() {
        for (cut, _) in PAGE.char_indices().step_by(3) {
            let id = read(Path::new("p.html"), &PAGE[..cut])
                .map(|page| page.id)
                .unwrap_or_default();
            assert!("test_02_0001".starts_with(&id), "cut at byte {cut}: {id}");
        }
    }

    #[test]
    fn a_file_naming_no_page_is_not_a_page() {
        assert_eq!(
            read(Path::new("x.html"), "<html><body><p>hi</p></body></html>"),
            None
        );
    }
}
