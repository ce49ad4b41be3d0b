//! Reads one vendor API page in reStructuredText into a [`Page`].
//!
//! No crate reads RST grid and simple tables into cells (the RST crates on crates.io render or
//! parse prose), so this reads the subset the vendor's pages use: a `:original_name:` line,
//! section titles underlined with `=`/`-`, the request line (`GET /v1.0/...`, its query string
//! naming query parameters) in the URI section, `.. table::` directives holding grid (`+---+`)
//! or simple (`=== ===`) tables, and `.. code-block::` examples. Tables are told apart by their
//! caption (`URI parameters`, `Request parameters`, `Status codes`, or a nested type's name:
//! `tags parameters`); a grid table without a directive (DataArts Factory's URI tables) takes
//! its section's. Pages without a status code table state statuses in their examples' prose
//! (`HTTP status code 204`); those are read as the page's statuses.

use std::path::Path;

use super::{Example, Field, Page, classify};

/// The page in `text` (read from `file`), or `None` when it has no `:original_name:`.
pub fn read(file: &Path, text: &str) -> Option<Page> {
    let lines: Vec<&str> = text.lines().collect();
    let id = lines.iter().find_map(|l| {
        let name = l.trim().strip_prefix(":original_name:")?.trim();
        Some(name.strip_suffix(".html").unwrap_or(name).to_owned())
    })?;
    let mut page = Page {
        id,
        file: file.to_owned(),
        ..Page::default()
    };
    let mut uri_fields: Vec<Field> = Vec::new();
    let mut section = String::new();
    // The `**Status code: 400**` heading the tables below it answer.
    let mut status: Option<u16> = None;
    // In an example response section: the status its prose states for the examples below
    // (`HTTP status code 400`), and the bullet naming them (`Failure response`).
    let mut stated: Option<u16> = None;
    let mut label = String::new();
    // Every `**Status code: N**` heading: the page's statuses when it has no status table.
    let mut headings: Vec<u16> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let underline = lines.get(i + 1).map(|l| l.trim_end()).unwrap_or_default();
        if !line.trim().is_empty() && !line.starts_with(' ') && is_underline(underline, '=') {
            page.title = line.trim().to_owned();
            i += 2;
            continue;
        }
        if !line.trim().is_empty() && !line.starts_with(' ') && is_underline(underline, '-') {
            section = line.trim().to_owned();
            status = None;
            stated = None;
            label.clear();
            i += 2;
            continue;
        }
        let trimmed = line.trim();
        if let Some(code) = super::status_heading(trimmed) {
            status = Some(code);
            if !headings.contains(&code) {
                headings.push(code);
            }
        }
        if page.method.is_none()
            && let Some((method, route, query)) = super::request_line(trimmed)
        {
            page.method = Some(method);
            page.route = Some(route).filter(|r| !r.is_empty());
            page.route_query = query;
        }
        let lower_section = section.to_ascii_lowercase();
        let in_example_response =
            lower_section.contains("example") && lower_section.contains("response");
        if in_example_response {
            if let Some(code) = super::stated_status(trimmed) {
                stated = Some(code);
                if !page.statuses.iter().any(|(c, _)| *c == code) {
                    page.statuses.push((code, label.clone()));
                    page.statuses_in_prose = true;
                }
            } else if let Some(text) = trimmed.strip_prefix("- ") {
                // `-  Success response`: the label of the example below, and a new example
                // whose status is not stated yet.
                label = clean(text);
                stated = None;
            }
        }
        // A table without a `.. table::` directive: the caption its section implies. Status
        // code sections leave simple tables bare too (DLI's elastic resource pool pages).
        let simple_border =
            trimmed.starts_with("==") && trimmed.chars().all(|c| c == '=' || c == ' ');
        let bare = if lower_section.starts_with("status code") {
            (trimmed.starts_with("+-") || simple_border).then_some("Status codes")
        } else if trimmed.starts_with("+-") {
            implied_caption(&lower_section)
        } else {
            None
        };
        if let Some(caption) = bare {
            let (rows, next) = table(&lines, i);
            classify(&mut page, &mut uri_fields, &section, caption, rows, status);
            i = next.max(i + 1);
            continue;
        }
        if let Some(caption) = trimmed.strip_prefix(".. table::") {
            let (rows, next) = table(&lines, i + 1);
            classify(
                &mut page,
                &mut uri_fields,
                &section,
                &clean(caption),
                rows,
                status,
            );
            i = next;
            continue;
        }
        if trimmed.starts_with(".. code-block::") {
            let (block, next) = indented_block(&lines, i + 1);
            let lower = section.to_ascii_lowercase();
            if lower.contains("example")
                && !block.trim().is_empty()
                && !block.trim().eq_ignore_ascii_case("none")
            {
                if lower.contains("request") {
                    // `POST /v1/.../jobs/import` above the body: the line is the request, not
                    // its body; a block of only a request line is a request without a body.
                    let body = match super::request_line(block.lines().next().unwrap_or("")) {
                        Some(_) => block.split_once('\n').map_or("", |(_, b)| b).trim(),
                        None => block.as_str(),
                    };
                    if !body.is_empty() {
                        page.example_requests.push(example(body));
                    }
                } else if lower.contains("response") {
                    let example = example(&block);
                    match stated {
                        Some(code) if !(200..300).contains(&code) => {
                            page.status_examples.entry(code).or_default().push(example)
                        }
                        _ => page.example_responses.push(example),
                    }
                }
            }
            i = next;
            continue;
        }
        i += 1;
    }
    // A page whose status section only refers elsewhere ("See Status Codes") still heads its
    // response tables `**Status code: 200**` (MRS v2): those are its statuses.
    if page.statuses.is_empty() {
        page.statuses = headings
            .into_iter()
            .map(|code| (code, String::new()))
            .collect();
    }
    page.place_uri_fields(uri_fields);
    Some(page)
}

/// The caption a grid table without a `.. table::` directive takes from its section: only the
/// sections whose tables the directive-less pages leave bare (URI, request and response
/// parameters); elsewhere such a table is not read.
fn implied_caption(section: &str) -> Option<&'static str> {
    if section == "uri" {
        Some("URI parameters")
    } else if section.starts_with("request parameter") {
        Some("Request parameters")
    } else if section.starts_with("response parameter") {
        Some("Response parameters")
    } else {
        None
    }
}

fn is_underline(line: &str, c: char) -> bool {
    line.len() >= 3 && line.chars().all(|x| x == c)
}

fn example(text: &str) -> Example {
    match serde_json::from_str(text) {
        Ok(value) => Example::Json(value),
        Err(e) => Example::Invalid {
            text: text.to_owned(),
            error: e.to_string(),
        },
    }
}

/// The lines indented more than the directive after `start`, dedented, and the index after them.
fn indented_block(lines: &[&str], start: usize) -> (String, usize) {
    let mut end = start;
    let mut block = Vec::new();
    while end < lines.len() {
        let line = lines[end];
        if !line.trim().is_empty() && !line.starts_with(' ') {
            break;
        }
        block.push(line);
        end += 1;
    }
    let indent = block
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let text: Vec<&str> = block
        .iter()
        .map(|l| l.get(indent..).unwrap_or(""))
        .collect();
    (text.join("\n").trim().to_owned(), end)
}

/// A table's rows (the header first), and the index after it. Blank lines before it are
/// skipped; it ends at the first line that is not part of it.
fn table(lines: &[&str], start: usize) -> (Vec<Vec<String>>, usize) {
    let mut i = start;
    while i < lines.len() && lines[i].trim().is_empty() {
        i += 1;
    }
    let Some(first) = lines.get(i) else {
        return (Vec::new(), i);
    };
    let body_start = i;
    let mut end = i;
    while end < lines.len() && !lines[end].trim().is_empty() {
        end += 1;
    }
    let body: Vec<&str> = lines[body_start..end].iter().map(|l| l.trim()).collect();
    if first.trim().starts_with('+') {
        (grid(&body), end)
    } else if first.trim().starts_with('=') {
        let (rows, consumed) = simple(&lines[body_start..]);
        (rows, body_start + consumed)
    } else {
        (Vec::new(), end)
    }
}

/// A grid table: cells between the `+` column positions of the first border; a border ends a
/// row; the `+===+` border ends the header.
fn grid(lines: &[&str]) -> Vec<Vec<String>> {
    let border: Vec<char> = lines[0].chars().collect();
    let columns: Vec<usize> = border
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == '+')
        .map(|(i, _)| i)
        .collect();
    let mut rows = Vec::new();
    let mut current: Vec<Vec<String>> = vec![Vec::new(); columns.len().saturating_sub(1)];
    for line in &lines[1..] {
        if line.starts_with('+') {
            if current.iter().any(|cell| !cell.is_empty()) {
                rows.push(current.iter().map(|c| clean(&paragraphs(c))).collect());
            }
            current = vec![Vec::new(); columns.len().saturating_sub(1)];
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        for (k, window) in columns.windows(2).enumerate() {
            let cell: String = chars
                .get(window[0] + 1..window[1].min(chars.len()))
                .map(|c| c.iter().collect())
                .unwrap_or_default();
            current[k].push(cell.trim_end().to_owned());
        }
    }
    rows
}

/// A simple table: columns start where the `=` runs of the first border start; a line whose
/// first column is blank continues the row above. Returns the rows and the lines consumed, up to
/// the closing border.
fn simple(lines: &[&str]) -> (Vec<Vec<String>>, usize) {
    let border = lines[0].trim_end();
    let indent = border.len() - border.trim_start().len();
    let mut starts = Vec::new();
    let mut previous = ' ';
    for (i, c) in border.chars().enumerate() {
        if c == '=' && previous == ' ' {
            starts.push(i);
        }
        previous = c;
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut borders = 1;
    let mut consumed = 1;
    for line in &lines[1..] {
        consumed += 1;
        let trimmed = line.trim();
        if trimmed.starts_with('=') && trimmed.chars().all(|c| c == '=' || c == ' ') {
            borders += 1;
            if borders == 3 {
                break;
            }
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        let cells: Vec<String> = starts
            .iter()
            .enumerate()
            .map(|(k, &s)| {
                let to = starts
                    .get(k + 1)
                    .copied()
                    .unwrap_or(chars.len())
                    .min(chars.len());
                chars
                    .get(s.min(chars.len())..to)
                    .map(|c| c.iter().collect::<String>())
                    .unwrap_or_default()
                    .trim()
                    .to_owned()
            })
            .collect();
        let continues =
            cells.first().is_some_and(String::is_empty) && !rows.is_empty() && line.len() > indent;
        if continues {
            let last = rows.last_mut().expect("checked");
            for (cell, more) in last.iter_mut().zip(cells) {
                if !more.is_empty() {
                    cell.push(' ');
                    cell.push_str(&more);
                }
            }
        } else {
            rows.push(cells);
        }
    }
    let rows = rows
        .into_iter()
        .map(|r| r.iter().map(|c| clean(c)).collect())
        .collect();
    (rows, consumed)
}

/// A cell's lines as paragraphs: lines wrapped within a paragraph joined by a space, paragraphs
/// (separated by a blank line) by a line break, as the HTML reader joins its `<p>`s.
fn paragraphs(lines: &[String]) -> String {
    lines
        .split(|l| l.trim().is_empty())
        .map(|p| p.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Cell text without RST markup: `**bold**`, `:ref:\`text <target>\``, escapes. One pass, so a
/// cell of many references costs its length, not its length times their number.
pub(crate) fn clean(text: &str) -> String {
    let text = text.replace("**", "");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find(":ref:`") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 6..];
        let Some(close) = after.find('`') else {
            rest = &rest[start..];
            break;
        };
        let inner = &after[..close];
        out.push_str(inner.split(" <").next().unwrap_or(inner));
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    strip_escaped_emphasis(&out.replace("\\_", "_"))
        .trim()
        .to_owned()
}

/// `obs://\ *Bucket name*\ /\ *Package name*` as the page shows it: `obs://Bucket name/Package
/// name`. RST needs the escaped spaces to put emphasis inside a word; a spec wants the text.
fn strip_escaped_emphasis(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("\\ *") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let Some(close) = after.find('*') else {
            rest = after;
            break;
        };
        out.push_str(&after[..close]);
        rest = after[close + 1..]
            .strip_prefix("\\ ")
            .unwrap_or(&after[close + 1..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A page written for this test in the vendor's format: the newer structured cells, `Format`
    /// instead of `URI format`, a simple status table with a continued row, a nested type table,
    /// and examples (one not valid JSON).
    pub const PAGE: &str = r#":original_name: test_02_0001.html

.. _test_02_0001:

Submitting a Test Job
=====================

Function
--------

Submits a job.

URI
---

-  Format

   POST /v1.0/{project_id}/jobs/submit?dry_run=true

-  Parameter description

   .. table:: **Table 1** URI parameters

      +------------+-----------+--------+------------------------------+
      | Parameter  | Mandatory | Type   | Description                  |
      +============+===========+========+==============================+
      | project_id | Yes       | String | **Definition**               |
      |            |           |        |                              |
      |            |           |        | Project ID.                  |
      |            |           |        |                              |
      |            |           |        | **Range**                    |
      |            |           |        |                              |
      |            |           |        | Up to 64 characters.         |
      |            |           |        |                              |
      |            |           |        | **Default Value**            |
      |            |           |        |                              |
      |            |           |        | None                         |
      +------------+-----------+--------+------------------------------+
      | dry_run    | No        | Boolean| Check only. Default: false.  |
      +------------+-----------+--------+------------------------------+

Request Parameters
------------------

.. table:: **Table 2** Request parameters

   +-----------+-----------+------------------+-------------------------------+
   | Parameter | Mandatory | Type             | Description                   |
   +===========+===========+==================+===============================+
   | sql       | Yes       | String           | The statement, **ü** allowed. |
   +-----------+-----------+------------------+-------------------------------+
   | tags      | No        | Array of objects | See :ref:`Table 3 <t3>`.      |
   +-----------+-----------+------------------+-------------------------------+

.. table:: **Table 3** **tags** parameters

   +-----------+-----------+--------+-------------+
   | Parameter | Mandatory | Type   | Description |
   +===========+===========+========+=============+
   | key       | Yes       | String | Tag key.    |
   +-----------+-----------+--------+-------------+

Response Parameters
-------------------

.. table:: **Table 4** Response parameters

   ========== ========= ======= ===========================
   Parameter  Mandatory Type    Description
   ========== ========= ======= ===========================
   is_success No        Boolean Whether it worked.
   job_id     No        String  The job, which the service
                                assigns.
   ========== ========= ======= ===========================

Example Request
---------------

.. code-block::

   {"sql": "select 1"}

Example Response
----------------

.. code-block::

   {
     "is_success": true,
     "job_id": "x",
   }

Status Code
-----------

.. table:: **Table 5** Status code

   =========== =======================
   Status Code Description
   =========== =======================
   200         Submitted.
   400         Request error; the body
               says which.
   =========== =======================
"#;

    #[test]
    fn a_page_in_every_shape_the_vendor_uses_reads_into_the_model() {
        let page = read(Path::new("p.rst"), PAGE).unwrap();
        assert_eq!(page.id, "test_02_0001");
        assert_eq!(page.title, "Submitting a Test Job");
        assert_eq!(page.method.as_deref(), Some("POST"));
        assert_eq!(
            page.route.as_deref(),
            Some("/v1.0/{project_id}/jobs/submit")
        );
        let project = &page.path_parameters[0];
        assert_eq!(
            (
                project.name.as_str(),
                project.mandatory,
                project.type_.as_str()
            ),
            ("project_id", Some(true), "String")
        );
        assert_eq!(project.range.as_deref(), Some("Up to 64 characters."));
        assert_eq!(project.default, None, "`None` is no default");
        assert_eq!(page.query_parameters.len(), 1);
        assert_eq!(
            (
                page.query_parameters[0].name.as_str(),
                page.query_parameters[0].mandatory
            ),
            ("dry_run", Some(false))
        );
        let names = |fields: &[Field]| fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&page.request_fields), ["sql", "tags"]);
        assert_eq!(
            page.request_fields[0].description,
            "The statement, ü allowed."
        );
        assert_eq!(page.request_fields[1].description, "See Table 3.");
        assert_eq!(names(&page.nested["tags"]), ["key"]);
        assert_eq!(names(&page.response_fields), ["is_success", "job_id"]);
        assert_eq!(
            page.response_fields[1].description,
            "The job, which the service assigns."
        );
        assert_eq!(
            page.statuses,
            [
                (200, "Submitted.".into()),
                (400, "Request error; the body says which.".into())
            ]
        );
        assert_eq!(
            page.example_requests,
            [Example::Json(serde_json::json!({"sql": "select 1"}))]
        );
        assert!(
            matches!(&page.example_responses[..], [Example::Invalid { error, .. }] if error.contains("trailing comma"))
        );
    }

    #[test]
    fn a_get_documents_its_query_parameters_as_request_parameters() {
        let page = PAGE
            .replace("POST /v1.0", "GET /v1.0")
            .replace("Request parameters", "Request parameter description");
        let page = read(Path::new("p.rst"), &page).unwrap();
        assert!(page.request_fields.is_empty());
        let names: Vec<&str> = page
            .query_parameters
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(names, ["dry_run", "sql", "tags"]);
    }

    /// Broken pages (cut anywhere, a line missing, CRLF endings) read without a panic, and as
    /// the page exactly when its `:original_name:` line is whole.
    #[test]
    fn a_broken_page_reads_as_its_page_or_as_no_page() {
        let lines: Vec<&str> = PAGE.lines().collect();
        let name_line = lines
            .iter()
            .position(|l| l.starts_with(":original_name:"))
            .unwrap();
        let id_of = |text: &str| read(Path::new("p.rst"), text).map(|page| page.id);
        for cut in 0..=lines.len() {
            let text = lines[..cut].join("\n");
            let expected = (cut > name_line).then(|| "test_02_0001".to_owned());
            assert_eq!(id_of(&text), expected, "cut after {cut} lines");
        }
        for missing in 0..lines.len() {
            let mut broken = lines.clone();
            broken.remove(missing);
            let expected = (missing != name_line).then(|| "test_02_0001".to_owned());
            assert_eq!(
                id_of(&broken.join("\n")),
                expected,
                "line {missing} missing"
            );
        }
        for (cut, _) in PAGE.char_indices() {
            let id = id_of(&PAGE[..cut]).unwrap_or_default();
            assert!(
                "test_02_0001.html".starts_with(&id),
                "cut at byte {cut}: {id}"
            );
        }
        assert_eq!(
            id_of(&PAGE.replace('\n', "\r\n")).as_deref(),
            Some("test_02_0001")
        );
    }

    /// A page written for these tests in DataArts Factory's format: query parameters in the
    /// request line (one with no table row), a URI table without a `.. table::` directive, a
    /// header table, statuses stated only in the examples' prose, request examples that start
    /// with their request line.
    pub const FACTORY_PAGE: &str = r#":original_name: test_03_0001.html

.. _test_03_0001:

Viewing a Widget List
=====================

Function
--------

Lists widgets.

URI
---

-  URI format

   GET /v1/{project_id}/widgets?kind={kind}&offset={offset}&colour={colour}

-  Parameter description

   +------------+-----------+---------+----------------------------+
   | Parameter  | Mandatory | Type    | Description                |
   +============+===========+=========+============================+
   | project_id | Yes       | String  | Project ID.                |
   +------------+-----------+---------+----------------------------+
   | kind       | No        | String  | Widget kind.               |
   +------------+-----------+---------+----------------------------+
   | offset     | No        | Integer | Start of the page.         |
   +------------+-----------+---------+----------------------------+

Request Parameters
------------------

.. table:: **Table 1** Request header parameter

   +--------------+-----------+--------+---------------+
   | Parameter    | Mandatory | Type   | Description   |
   +==============+===========+========+===============+
   | workspace    | No        | String | Workspace ID. |
   +--------------+-----------+--------+---------------+
   | X-Auth-Token | Yes       | String | A token.      |
   +--------------+-----------+--------+---------------+

Response Parameters
-------------------

.. table:: **Table 2** Response parameters

   +-----------+-----------+--------------+-------------+
   | Parameter | Mandatory | Type         | Description |
   +===========+===========+==============+=============+
   | total     | Yes       | Integer      | How many.   |
   +-----------+-----------+--------------+-------------+
   | widgets   | Yes       | List<Widget> | The widgets.|
   +-----------+-----------+--------------+-------------+

Example Request
---------------

.. code-block:: text

   GET /v1/b384b9e9ab9b4ee8994c8633aabc9505/widgets?kind=round

Example Response
----------------

-  Success response

   .. code-block::

      {"total": 0, "widgets": []}

-  Failure response

   HTTP status code 400

   .. code-block::

      {
          "error_code":"TST.0001",
          "error_msg":"The request parameter is invalid."
      }
"#;

    /// What the reader makes of each shape of a DataArts Factory page: (case, the page as
    /// changed for it, its statuses, whether they come from prose, its query parameters with
    /// their types, its example request bodies, the statuses of its error examples).
    #[test]
    fn factory_pages_give_statuses_from_prose_and_query_parameters_from_the_request_line() {
        type Row = (
            &'static str,
            String,
            Vec<u16>,
            bool,
            Vec<(&'static str, &'static str)>,
            Vec<serde_json::Value>,
            Vec<u16>,
        );
        let page = FACTORY_PAGE.to_owned();
        let query = vec![("kind", "String"), ("offset", "Integer"), ("colour", "")];
        let rows: Vec<Row> = vec![
            (
                "as written: a success example states no status",
                page.clone(),
                vec![400],
                true,
                query.clone(),
                vec![],
                vec![400],
            ),
            (
                "a success that states its status",
                page.replace(
                    "-  Success response\n",
                    "-  Success response\n\n   HTTP status code 200\n",
                ),
                vec![200, 400],
                true,
                query.clone(),
                vec![],
                vec![400],
            ),
            (
                "a POST whose request example carries its body below the request line",
                page.replace("GET /v1/{project_id}", "POST /v1/{project_id}")
                    .replace(
                        "GET /v1/b384b9e9ab9b4ee8994c8633aabc9505/widgets?kind=round",
                        "POST /v1/b384b9e9ab9b4ee8994c8633aabc9505/widgets\n   {\"name\": \"w\"}",
                    )
                    .replace(
                        "-  Success response\n",
                        "-  Success response\n\n   HTTP status code 204\n",
                    ),
                vec![204, 400],
                true,
                query.clone(),
                vec![serde_json::json!({"name": "w"})],
                vec![400],
            ),
            (
                "a status code table adds to the prose",
                format!(
                    "{page}\nStatus Codes\n------------\n\n.. table:: **Table 9** Status codes\n\n   =========== ===========\n   Status Code Description\n   =========== ===========\n   200         OK.\n   =========== ===========\n"
                ),
                vec![400, 200],
                true,
                query.clone(),
                vec![],
                vec![400],
            ),
            (
                "no query string in the request line",
                page.replace("?kind={kind}&offset={offset}&colour={colour}", ""),
                vec![400],
                true,
                vec![("kind", "String"), ("offset", "Integer")],
                vec![],
                vec![400],
            ),
            (
                "prose outside the example response section is not a status",
                page.replace("Lists widgets.", "Lists widgets.\n\nHTTP status code 202"),
                vec![400],
                true,
                query.clone(),
                vec![],
                vec![400],
            ),
        ];
        for (case, text, statuses, in_prose, query, requests, error_examples) in rows {
            let page = read(Path::new("p.rst"), &text).unwrap();
            let codes: Vec<u16> = page.statuses.iter().map(|(c, _)| *c).collect();
            assert_eq!(codes, statuses, "{case}: statuses");
            assert_eq!(page.statuses_in_prose, in_prose, "{case}");
            let got: Vec<(&str, &str)> = page
                .query_parameters
                .iter()
                .map(|f| (f.name.as_str(), f.type_.as_str()))
                .collect();
            assert_eq!(got, query, "{case}: query parameters");
            assert_eq!(
                page.path_parameters
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>(),
                ["project_id"],
                "{case}: the table without a directive is read"
            );
            assert_eq!(
                page.header_parameters
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>(),
                ["workspace", "X-Auth-Token"],
                "{case}"
            );
            let bodies: Vec<serde_json::Value> = page
                .example_requests
                .iter()
                .map(|e| match e {
                    Example::Json(json) => json.clone(),
                    Example::Invalid { text, .. } => panic!("{case}: not JSON: {text}"),
                })
                .collect();
            assert_eq!(bodies, requests, "{case}: request examples");
            assert_eq!(
                page.status_examples.keys().copied().collect::<Vec<_>>(),
                error_examples,
                "{case}: error examples by status"
            );
            assert_eq!(
                page.example_responses,
                [Example::Json(
                    serde_json::json!({"total": 0, "widgets": []})
                )],
                "{case}: the success example, not the error one"
            );
        }
        let page = read(Path::new("p.rst"), FACTORY_PAGE).unwrap();
        assert_eq!(
            page.gaps(),
            [
                "no status code table (the examples state 400)",
                "query parameter `colour` is only named in the request line"
            ]
        );
    }

    /// A page written for this test in the format of DLI's elastic resource pool pages: its
    /// status codes in a table without a `.. table::` directive.
    pub const BARE_STATUS_PAGE: &str = r#":original_name: test_02_0330.html

.. _test_02_0330:

Listing Pools
=============

URI
---

GET /v3/{project_id}/pools

Response Parameters
-------------------

.. table:: **Table 1** Response parameters

   ========== ======= ==============
   Parameter  Type    Description
   ========== ======= ==============
   count      Integer Pools in all.
   ========== ======= ==============

Status Codes
------------

=========== ===========
Status Code Description
=========== ===========
200         OK
400         Bad request
=========== ===========

Error Codes
-----------

See :ref:`Error Codes <test_02_0056>`.
"#;

    /// Where a page's statuses come from when it writes them without a status table directive:
    /// a bare simple or grid table under "Status Codes", else its `**Status code: N**`
    /// response headings; a bare table elsewhere outside the known sections is not read.
    #[test]
    fn statuses_come_from_bare_status_tables_and_else_from_response_headings() {
        let grid = "+-------------+-------------+\n| Status Code | Description |\n+=============+=============+\n| 200         | OK          |\n+-------------+-------------+\n| 403         | Forbidden   |\n+-------------+-------------+";
        let simple = "=========== ===========\nStatus Code Description\n=========== ===========\n200         OK\n400         Bad request\n=========== ===========";
        let headed = "Response Parameters\n-------------------\n\n**Status code: 200**\n\n.. table:: **Table 1** Response body parameters\n\n   ========== ======= ==============\n   Parameter  Type    Description\n   ========== ======= ==============\n   count      Integer Pools in all.\n   ========== ======= ==============\n\n**Status code: 400**\n\nThe error.\n\nStatus Codes\n------------\n\nSee :ref:`Status Codes <test_02_0015>`.";
        // (case, page) -> statuses
        let cases: Vec<(&str, String, Vec<u16>)> = vec![
            ("a bare simple table", BARE_STATUS_PAGE.to_owned(), vec![200, 400]),
            ("a bare grid table", BARE_STATUS_PAGE.replace(simple, grid), vec![200, 403]),
            (
                "no status table: the response headings",
                BARE_STATUS_PAGE
                    .replace(simple, "")
                    .replace("Response Parameters\n-------------------\n\n.. table:: **Table 1** Response parameters\n\n   ========== ======= ==============\n   Parameter  Type    Description\n   ========== ======= ==============\n   count      Integer Pools in all.\n   ========== ======= ==============\n\nStatus Codes\n------------\n", headed),
                vec![200, 400],
            ),
            (
                "a status table wins over the headings",
                BARE_STATUS_PAGE.replace("Response Parameters\n-------------------\n", "Response Parameters\n-------------------\n\n**Status code: 500**\n"),
                vec![200, 400],
            ),
            (
                "a bare simple table in another section is not a status table",
                BARE_STATUS_PAGE.replace("Status Codes\n------------", "Notes\n-----"),
                vec![],
            ),
        ];
        for (case, text, statuses) in cases {
            let page = read(Path::new("p.rst"), &text).unwrap();
            let codes: Vec<u16> = page.statuses.iter().map(|(c, _)| *c).collect();
            assert_eq!(codes, statuses, "{case}");
            assert_eq!(
                page.route.as_deref(),
                Some("/v3/{project_id}/pools"),
                "{case}"
            );
        }
    }

    #[test]
    fn a_file_without_a_page_id_is_not_a_page() {
        assert_eq!(read(Path::new("index.rst"), "Overview\n========\n"), None);
    }
}
