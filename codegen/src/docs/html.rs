//! Reads one vendor API page in the doc-exports HTML format (the pages the RST sources were
//! converted from) into the same [`Page`] the RST reader gives: `<a name="<page-id>">`, the
//! `h1.topictitle1` title, `div.section`s titled by `h4.sectiontitle`, captioned tables (head
//! cells in `th`, each `<p>` of a cell a paragraph) and `pre` examples.

use std::{path::Path, sync::LazyLock};

use scraper::{ElementRef, Html, Selector};

use super::{Example, Page, classify};

const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];

/// The CSS selectors the reader uses, parsed once for all pages.
struct Selectors {
    anchor: Selector,
    h1: Selector,
    section: Selector,
    section_title: Selector,
    paragraph_or_item: Selector,
    table: Selector,
    caption: Selector,
    pre: Selector,
    row: Selector,
    cell: Selector,
    paragraph: Selector,
}

static SELECTORS: LazyLock<Selectors> = LazyLock::new(|| {
    // Constants, parsed by every test that reads a page: no page can reach the panic.
    let parse = |css: &str| match Selector::parse(css) {
        Ok(selector) => selector,
        Err(e) => unreachable!("constant selector `{css}` does not parse: {e}"),
    };
    Selectors {
        anchor: parse("a[name]"),
        h1: parse("h1"),
        section: parse("div.section"),
        section_title: parse("h4.sectiontitle"),
        paragraph_or_item: parse("p, li"),
        table: parse("table"),
        caption: parse("caption"),
        pre: parse("pre"),
        row: parse("tr"),
        cell: parse("th, td"),
        paragraph: parse("p"),
    }
});

/// The page in `html` (read from `file`), or `None` when it names no page id.
pub fn read(file: &Path, html: &str) -> Option<Page> {
    let css = &*SELECTORS;
    let document = Html::parse_document(html);
    let id = document
        .select(&css.anchor)
        .filter_map(|a| a.value().attr("name"))
        .find(|name| !name.contains("__"))?
        .to_owned();
    let mut page = Page {
        id,
        file: file.to_owned(),
        ..Page::default()
    };
    page.title = document
        .select(&css.h1)
        .next()
        .map(|h| text(&h))
        .unwrap_or_default();
    let mut uri_fields = Vec::new();
    for section in document.select(&css.section) {
        let title = section
            .select(&css.section_title)
            .next()
            .map(|h| text(&h))
            .unwrap_or_default();
        if page.method.is_none() {
            for node in section.select(&css.paragraph_or_item) {
                let line = text(&node);
                for candidate in line.lines() {
                    if let Some((method, rest)) = candidate.trim().split_once(' ')
                        && METHODS.contains(&method)
                        && rest.trim_start().starts_with('/')
                    {
                        page.method = Some(method.to_owned());
                        let route = rest.trim().split(['?', ' ']).next().unwrap_or_default();
                        page.route = Some(route.trim_end_matches('/').to_owned());
                        break;
                    }
                }
            }
        }
        for table in section.select(&css.table) {
            let caption = table
                .select(&css.caption)
                .next()
                .map(|c| text(&c))
                .unwrap_or_default();
            classify(&mut page, &mut uri_fields, &title, &caption, rows(&table));
        }
        let lower = title.to_ascii_lowercase();
        if lower.contains("example") {
            for pre in section.select(&css.pre) {
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

/// A table's rows, the header first: each cell's paragraphs (`<p>`, or its text when it has
/// none) joined by line breaks, whitespace within a paragraph collapsed.
fn rows(table: &ElementRef) -> Vec<Vec<String>> {
    let css = &*SELECTORS;
    let mut rows = Vec::new();
    for row in table.select(&css.row) {
        let cells: Vec<String> = row
            .select(&css.cell)
            .map(|cell| {
                let paragraphs: Vec<String> = cell
                    .select(&css.paragraph)
                    .map(|p| text(&p))
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

/// An element's text with its whitespace collapsed.
fn text(element: &ElementRef) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
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
