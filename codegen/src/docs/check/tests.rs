//! Tables of pages written for the check, with one planted change of each kind.
use std::path::Path;

use super::*;
use crate::docs::rst;

/// The operation the test page documents, as a spec gets it right.
const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: v1}
paths:
  /v1.0/{project_id}/jobs/submit:
    post:
      operationId: submit_job
      x-doc-page: test_02_0001
      parameters:
        - {name: project_id, in: path, required: true, schema: {type: string, maxLength: 64}}
        - {name: dry_run, in: query, schema: {type: boolean}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [sql]
              properties: {sql: {type: string}, tags: {type: array, items: {type: object, required: [key], properties: {key: {type: string}}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {is_success: {type: boolean}, job_id: {type: string}}}
        '400': {description: no}
"#;

fn drifts(spec: &str) -> Outcome {
    let spec = Spec::parse("specs/t-v1.yaml".into(), spec.as_bytes()).unwrap();
    let page = rst::read(Path::new("p.rst"), rst::tests::PAGE).unwrap();
    check(&[spec], &BTreeMap::from([(page.id.clone(), page)]))
}

#[test]
fn a_spec_that_follows_its_page_checks_clean() {
    let outcome = drifts(SPEC);
    assert_eq!(outcome.drifts, []);
    // An open enum (a union) takes the documented string; a number takes an integer.
    let open = SPEC.replace(
        "job_id: {type: string}",
        "job_id: {anyOf: [{type: string, enum: [a]}, {type: string}]}",
    );
    assert_eq!(drifts(&open).drifts, []);
    assert_eq!(
        (
            outcome.checked,
            outcome.pages.len(),
            outcome.unchecked.len()
        ),
        (1, 1, 0)
    );
}

/// One case per kind of drift: (what to change in the spec, rule, pointer, message start).
#[test]
fn each_kind_of_drift_is_one_line_at_its_place() {
    let op = "/paths/~1v1.0~1{project_id}~1jobs~1submit/post";
    let cases: [(&str, &str, &str, &str, String); 13] = [
        (
            "              required: [sql]\n",
            "",
            "docs-request-field",
            "the page makes field `sql` mandatory, the spec optional",
            format!("{op}/requestBody/properties/sql"),
        ),
        (
            "{name: dry_run, in: query, schema: {type: boolean}}",
            "{name: dry_run, in: query, required: true, schema: {type: boolean}}",
            "docs-parameter",
            "the page makes `dry_run` optional, the spec requires it",
            format!("{op}/parameters/1"),
        ),
        (
            "properties: {key: {type: string}}",
            "properties: {name: {type: string}}",
            "docs-request-field",
            "the page documents field `key`",
            format!("{op}/requestBody/properties/tags/items"),
        ),
        (
            "schema: {type: string, maxLength: 64}",
            "schema: {type: string, maxLength: 32}",
            "docs-parameter",
            "the page states `project_id` maxLength 64, the spec 32",
            format!("{op}/parameters/0"),
        ),
        (
            "properties: {sql: {type: string}",
            "properties: {sql: {type: integer}",
            "docs-request-field",
            "the page types `sql` String, the spec integer",
            format!("{op}/requestBody/properties/sql"),
        ),
        (
            "{name: dry_run, in: query, schema: {type: boolean}}",
            "{name: dry_run, in: query, schema: {type: string}}",
            "docs-parameter",
            "the page types `dry_run` Boolean, the spec string",
            format!("{op}/parameters/1"),
        ),
        (
            "post:",
            "put:",
            "docs-route",
            "the page says `POST /v1.0/{project_id}/jobs/submit`, the spec `PUT",
            op.replace("/post", "/put"),
        ),
        (
            "{name: dry_run, in: query, schema: {type: boolean}}",
            "{name: dry_run, in: query, schema: {type: boolean}}\n        - {name: page, in: query, schema: {type: integer}}",
            "docs-parameter",
            "the spec has query parameter `page`",
            format!("{op}/parameters/2"),
        ),
        (
            "        - {name: dry_run, in: query, schema: {type: boolean}}\n",
            "",
            "docs-parameter",
            "the page documents query parameter `dry_run`",
            format!("{op}/parameters"),
        ),
        (
            "        '400': {description: no}\n",
            "",
            "docs-status",
            "the page documents status 400",
            format!("{op}/responses"),
        ),
        (
            "        '400': {description: no}\n",
            "        '400': {description: no}\n        '404': {description: gone}\n",
            "docs-status",
            "the spec documents status 404",
            format!("{op}/responses/404"),
        ),
        (
            "properties: {sql: {type: string}, tags",
            "properties: {statement: {type: string}, tags",
            "docs-request-field",
            "the spec has field `statement`",
            format!("{op}/requestBody/properties/statement"),
        ),
        (
            "job_id: {type: string}}}",
            "id: {type: string}}}",
            "docs-response-field",
            "the spec has field `id`",
            format!("{op}/responses/200/properties/id"),
        ),
    ];
    for (from, to, rule, message, pointer) in cases {
        assert!(SPEC.contains(from), "{from}");
        let outcome = drifts(&SPEC.replace(from, to));
        let found = outcome
            .drifts
            .iter()
            .find(|d| d.rule == rule && d.pointer == pointer)
            .unwrap_or_else(|| panic!("{rule} at {pointer}: {:#?}", outcome.drifts));
        assert!(
            found
                .message
                .starts_with(&format!("test_02_0001 (Submitting a Test Job): {message}")),
            "{}",
            found.message
        );
    }
}

/// A page written for this test with what the first one lacks: nested tables linked by
/// `see Table N` and by the type column, two levels deep, and a response table per status.
const NESTED_PAGE: &str = r#":original_name: test_02_0002.html

Querying a Test Job
===================

URI
---

POST /v1.0/{project_id}/jobs/{job_id}/query

.. table:: **Table 1** URI parameters

   ============ ============ ============ ============
   Parameter    Mandatory    Type         Description
   ============ ============ ============ ============
   project_id   Yes          String       Project.
   job_id       Yes          String       Job.
   ============ ============ ============ ============

Request Parameters
------------------

.. table:: **Table 2** Request parameters

   ============ ============ ============ ============
   Parameter    Mandatory    Type         Description
   ============ ============ ============ ============
   name         Yes          String       Name.
   options      No           Object       See Table 3.
   ============ ============ ============ ============

.. table:: **Table 3** Option parameters

   ============ ============ ============ ============
   Parameter    Mandatory    Type         Description
   ============ ============ ============ ============
   mode         Yes          String       Mode.
   ============ ============ ============ ============

Response Parameters
-------------------

**Status code: 200**

.. table:: **Table 4** Response body parameters

   ============ ============ ============ ============
   Parameter    Mandatory    Type         Description
   ============ ============ ============ ============
   job_detail   No           Object       See Table 5.
   ============ ============ ============ ============

.. table:: **Table 5** Job parameter description

   ============ ============ ============ ============
   Parameter    Mandatory    Type         Description
   ============ ============ ============ ============
   job_id       No           String       Job.
   stats        No           Stats object Counts.
   ============ ============ ============ ============

.. table:: **Table 6** Stats

   ============ ============ ============ ============
   Parameter    Mandatory    Type         Description
   ============ ============ ============ ============
   rows         No           Integer      Rows.
   ============ ============ ============ ============

**Status code: 400**

.. table:: **Table 7** Response body parameters

   ============ ============ ============ ============
   Parameter    Mandatory    Type         Description
   ============ ============ ============ ============
   error_code   No           String       Code.
   error_msg    No           String       Message.
   ============ ============ ============ ============

Status Code
-----------

.. table:: **Table 8** Status code

   =========== =======================
   Status Code Description
   =========== =======================
   200         Found.
   400         Wrong.
   =========== =======================
"#;

const NESTED_SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: v1}
paths:
  /v1.0/{project_id}/jobs/{job_id}/query:
    post:
      operationId: query_job
      x-doc-page: test_02_0002
      parameters:
        - {name: project_id, in: path, required: true, schema: {type: string}}
        - {name: job_id, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                options: {type: object, required: [mode], properties: {mode: {type: string}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  job_detail:
                    type: object
                    properties:
                      job_id: {type: string}
                      stats: {type: object, properties: {rows: {type: integer}}}
        '400':
          description: no
          content:
            application/json:
              schema: {type: object, properties: {error_code: {type: string}, error_msg: {type: string}}}
"#;

/// One change planted on the page per kind `docs check` must see beyond the top level:
/// (row to change, its new text, rule, pointer, message start).
#[test]
fn changes_in_mandatory_flags_nested_tables_and_error_bodies_are_each_found() {
    let check_page = |text: &str| {
        let spec = Spec::parse("specs/t-v1.yaml".into(), NESTED_SPEC.as_bytes()).unwrap();
        let page = rst::read(Path::new("p.rst"), text).unwrap();
        check(&[spec], &BTreeMap::from([(page.id.clone(), page)]))
    };
    let clean = check_page(NESTED_PAGE);
    assert_eq!(clean.drifts, [], "the spec follows the page");
    let op = "/paths/~1v1.0~1{project_id}~1jobs~1{job_id}~1query/post";
    let row = |name: &str, mandatory: &str, type_: &str| {
        format!("   {name:<12} {mandatory:<12} {type_:<12} ")
    };
    let cases = [
        (
            row("options", "No", "Object"),
            row("options", "Yes", "Object"),
            "docs-request-field",
            format!("{op}/requestBody/properties/options"),
            "the page makes field `options` mandatory, the spec optional",
        ),
        (
            row("mode", "Yes", "String"),
            row("mode", "No", "String"),
            "docs-request-field",
            format!("{op}/requestBody/properties/options/properties/mode"),
            "the page makes field `mode` optional, the spec requires it",
        ),
        (
            row("job_id", "No", "String") + "Job.\n",
            row("job_id", "No", "String") + "Job.\n" + &row("queue", "No", "String") + "Queue.\n",
            "docs-response-field",
            format!("{op}/responses/200/properties/job_detail"),
            "the page documents field `queue` (String), the spec does not",
        ),
        (
            row("rows", "No", "Integer") + "Rows.\n",
            row("rows", "No", "Integer") + "Rows.\n" + &row("bytes", "No", "Integer") + "Bytes.\n",
            "docs-response-field",
            format!("{op}/responses/200/properties/job_detail/properties/stats"),
            "the page documents field `bytes` (Integer), the spec does not",
        ),
        (
            row("error_msg", "No", "String") + "Message.\n",
            row("error_msg", "No", "String")
                + "Message.\n"
                + &row("request_id", "No", "String")
                + "Request.\n",
            "docs-response-field",
            format!("{op}/responses/400"),
            "the page documents field `request_id` (String), the spec does not",
        ),
        (
            row("error_code", "No", "String"),
            row("error_code", "No", "Integer"),
            "docs-response-field",
            format!("{op}/responses/400/properties/error_code"),
            "the page types `error_code` Integer, the spec string",
        ),
    ];
    for (from, to, rule, pointer, message) in cases {
        assert!(NESTED_PAGE.contains(&from), "{from}");
        let outcome = check_page(&NESTED_PAGE.replacen(&from, &to, 1));
        let found = outcome
            .drifts
            .iter()
            .find(|d| d.rule == rule && d.pointer == pointer)
            .unwrap_or_else(|| panic!("{rule} at {pointer}: {:#?}", outcome.drifts));
        assert!(
            found
                .message
                .starts_with(&format!("test_02_0002 (Querying a Test Job): {message}")),
            "{}",
            found.message
        );
        assert_eq!(outcome.drifts.len(), 1, "{:#?}", outcome.drifts);
    }
}

#[test]
fn a_declared_deviation_is_acknowledged_not_reported() {
    let spec = SPEC.replace(
            "properties: {sql: {type: string}, tags",
            "properties: {statement: {type: string, x-doc-deviation: the vendor SDK's name}, sql: {type: string}, tags",
        );
    let outcome = drifts(&spec);
    assert_eq!(outcome.drifts, []);
    assert_eq!(outcome.acknowledged, 1);
    let outcome = drifts(&spec.replace(
        "x-doc-deviation: the vendor SDK's name",
        "x-doc-deviation: ''",
    ));
    assert_eq!(outcome.drifts.len(), 1, "an empty reason declares nothing");
}

#[test]
fn a_name_the_page_spells_differently_is_declared_with_x_doc_name() {
    let renamed = SPEC
        .replace(
            "properties: {sql: {type: string}",
            "properties: {statement: {type: string}",
        )
        .replace("{name: dry_run, in: query,", "{name: dry-run, in: query,");
    assert_eq!(
        drifts(&renamed).drifts.len(),
        4,
        "both names differ, both ways"
    );
    let declared = SPEC
        .replace("required: [sql]", "required: [statement]")
        .replace(
            "properties: {sql: {type: string}",
            "properties: {statement: {type: string, x-doc-name: sql}",
        )
        .replace(
            "{name: dry_run, in: query,",
            "{name: dry-run, x-doc-name: dry_run, in: query,",
        );
    let outcome = drifts(&declared);
    assert_eq!(outcome.drifts, []);
    assert_eq!(outcome.acknowledged, 2);
}

#[test]
fn a_deviation_on_a_shared_response_covers_every_operation_using_it() {
    let spec = format!(
            "{}\ncomponents:\n  responses:\n    Gone:\n      description: gone\n      x-doc-deviation: errors are documented in the appendix\n",
            SPEC.replace(
                "        '400': {description: no}\n",
                "        '400': {description: no}\n        '404': {$ref: '#/components/responses/Gone'}\n",
            )
        );
    let outcome = drifts(&spec);
    assert_eq!(
        (outcome.drifts.len(), outcome.acknowledged),
        (0, 1),
        "{:#?}",
        outcome.drifts
    );
}

#[test]
fn operations_whose_page_is_not_given_are_listed_unchecked() {
    let outcome =
        drifts(&SPEC.replace("x-doc-page: test_02_0001", "x-doc-page: CancelSqlStatement"));
    assert_eq!(
        (outcome.checked, outcome.unchecked.clone()),
        (0, vec!["submit_job".to_owned()])
    );
    assert!(
        outcome
            .summary()
            .ends_with("0 drifts, 0 acknowledged, 1 unchecked (submit_job)"),
        "{}",
        outcome.summary()
    );
}
