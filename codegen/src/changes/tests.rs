//! The change report on pairs of specs: one base, one edit per row, the change expected (a
//! piece of its line), its two verdicts and the bump the crate's next release gets.

use super::*;
use crate::spec::Spec;

const BASE: &str = r#"openapi: 3.0.3
info: {title: Jobs, version: v1}
servers: [{url: 'https://jobs.example.com'}]
paths:
  /v1/{project_id}/jobs:
    post:
      operationId: create_job
      x-doc-page: jobs_02_0001
      summary: Submit a job.
      description: Submits a job.
      parameters:
        - {name: project_id, in: path, required: true, schema: {type: string}}
        - {name: priority, in: query, schema: {type: integer, minimum: 0, maximum: 9}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/JobRequest'}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}
        '400':
          description: refused
          content: {application/json: {schema: {$ref: '#/components/schemas/Failure'}}}
    get:
      operationId: list_jobs
      x-doc-page: jobs_02_0002
      summary: List jobs.
      x-paginate: {page: page, style: number, first: 1, items: jobs, total: total}
      parameters:
        - {name: project_id, in: path, required: true, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/JobList'}}}
  /v1/{project_id}/jobs/{job_id}:
    get:
      operationId: show_job
      x-doc-page: jobs_02_0003
      summary: Show a job.
      x-waiters:
        - {name: job_done, status: state, success: [succeeded], failure: [failed]}
      parameters:
        - {name: project_id, in: path, required: true, schema: {type: string}}
        - {name: job_id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}
        '404':
          description: gone
          content: {application/json: {schema: {$ref: '#/components/schemas/Failure'}}}
components:
  schemas:
    JobRequest:
      type: object
      required: [name]
      properties:
        name: {type: string}
        queue: {type: string}
    Job:
      type: object
      properties:
        id: {type: string}
        state: {$ref: '#/components/schemas/State'}
        cost: {type: integer}
    JobList:
      type: object
      properties:
        total: {type: integer}
        jobs: {type: array, items: {$ref: '#/components/schemas/Job'}}
    State:
      anyOf:
        - {$ref: '#/components/schemas/KnownState'}
        - {type: string, title: Other}
    KnownState:
      type: string
      enum: [RUNNING, DONE, FAILED]
      x-phase: {RUNNING: running, DONE: succeeded, FAILED: failed}
    Failure:
      type: object
      properties:
        error_code: {type: string}
"#;

fn model(yaml: &str) -> CrateModel {
    let spec = Spec::parse("specs/jobs-v1.yaml".into(), yaml.as_bytes()).unwrap();
    let generated = crate::progenitor_run::generate(&spec).unwrap();
    let file = syn::parse2::<syn::File>(generated.tokens).unwrap();
    CrateModel::build(&spec, &file).unwrap()
}

type Row = (
    &'static str,
    // What to replace in BASE, and with what.
    &'static str,
    &'static str,
    // A piece of the expected change's line, its wire and Rust verdicts.
    &'static str,
    Verdict,
    Verdict,
    Bump,
);

#[test]
fn each_kind_of_change_is_reported_with_its_verdicts_and_bump() {
    use Verdict::{Breaking as B, Compatible as C, None as N};
    let rows: &[Row] = &[
        (
            "a request field made optional: the same bytes sent when set",
            "required: [name]",
            "required: []",
            "type JobRequest: field name: type ::std::string::String -> ::std::option::Option<::std::string::String>",
            C,
            B,
            Bump::Minor,
        ),
        (
            "a field's schema inlined: another Rust name, the same JSON",
            "state: {$ref: '#/components/schemas/State'}",
            "state: {anyOf: [{$ref: '#/components/schemas/KnownState'}, {type: string, title: Other}]}",
            "type Job: field state: type",
            N,
            B,
            Bump::Minor,
        ),
        (
            "docs only",
            "summary: Show a job.",
            "summary: Show one job.",
            "show_job (jobs_02_0003): documentation changed",
            N,
            N,
            Bump::Patch,
        ),
        (
            "optional parameter added",
            "        - {name: page, in: query, schema: {type: integer}}",
            "        - {name: page, in: query, schema: {type: integer}}\n        - {name: owner, in: query, schema: {type: string}}",
            "parameter owner: added, optional",
            C,
            C,
            Bump::Patch,
        ),
        (
            "required parameter added",
            "        - {name: page, in: query, schema: {type: integer}}",
            "        - {name: page, in: query, schema: {type: integer}}\n        - {name: owner, in: query, required: true, schema: {type: string}}",
            "parameter owner: added, required",
            B,
            B,
            Bump::Minor,
        ),
        (
            "parameter removed",
            "        - {name: priority, in: query, schema: {type: integer, minimum: 0, maximum: 9}}\n",
            "",
            "parameter priority: removed",
            B,
            B,
            Bump::Minor,
        ),
        (
            "range narrowed",
            "maximum: 9}",
            "maximum: 5}",
            "parameter priority: maximum 9 -> 5 (narrowed)",
            B,
            N,
            Bump::Patch,
        ),
        (
            "range widened",
            "maximum: 9}",
            "maximum: 99}",
            "parameter priority: maximum 9 -> 99 (widened)",
            C,
            N,
            Bump::Patch,
        ),
        (
            "pattern added",
            "        - {name: job_id, in: path, required: true, schema: {type: string}}",
            "        - {name: job_id, in: path, required: true, schema: {type: string, pattern: '^[a-z]+$'}}",
            "parameter job_id: pattern `^[a-z]+$` added",
            B,
            N,
            Bump::Patch,
        ),
        (
            "optional body field added",
            "        queue: {type: string}",
            "        queue: {type: string}\n        tags: {type: string}",
            "type JobRequest: field tags: added (breaks a struct literal)",
            C,
            B,
            Bump::Minor,
        ),
        (
            "body field became required",
            "      required: [name]",
            "      required: [name, queue]",
            "body field queue: became required",
            B,
            B,
            Bump::Minor,
        ),
        (
            "response field added",
            "        cost: {type: integer}",
            "        cost: {type: integer}\n        owner: {type: string}",
            "type Job: field owner: added",
            C,
            B,
            Bump::Minor,
        ),
        (
            "response field removed",
            "        cost: {type: integer}\n",
            "",
            "type Job: field cost: removed",
            B,
            B,
            Bump::Minor,
        ),
        (
            "response field became a union",
            "        cost: {type: integer}",
            "        cost: {anyOf: [{type: integer}, {type: string}]}",
            "type Job: field cost: type",
            C,
            B,
            Bump::Minor,
        ),
        (
            "known status word added",
            "enum: [RUNNING, DONE, FAILED]",
            "enum: [RUNNING, DONE, FAILED, QUEUED]",
            "type KnownState: variant Queued: added (breaks an exhaustive `match`)",
            C,
            B,
            Bump::Minor,
        ),
        (
            "known status word removed",
            "enum: [RUNNING, DONE, FAILED]",
            "enum: [RUNNING, DONE]",
            "type KnownState: variant Failed: removed",
            C,
            B,
            Bump::Minor,
        ),
        (
            "status added",
            "        '404':\n          description: gone",
            "        '409':\n          description: busy\n          content: {application/json: {schema: {$ref: '#/components/schemas/Failure'}}}\n        '404':\n          description: gone",
            "status 409 documented",
            C,
            C,
            Bump::Patch,
        ),
        (
            "status removed",
            "        '400':\n          description: refused\n          content: {application/json: {schema: {$ref: '#/components/schemas/Failure'}}}\n    get:",
            "    get:",
            "create_job (jobs_02_0001): status 400 no longer documented",
            B,
            B,
            Bump::Minor,
        ),
        (
            "route changed",
            "  /v1/{project_id}/jobs/{job_id}:",
            "  /v2/{project_id}/jobs/{job_id}:",
            "sent as GET /v2/{project_id}/jobs/{job_id}",
            B,
            N,
            Bump::Patch,
        ),
        (
            "phase mapping changed",
            "DONE: succeeded, FAILED: failed}",
            "DONE: failed, FAILED: failed}",
            "type KnownState: phase of `DONE`: succeeded -> failed",
            N,
            B,
            Bump::Minor,
        ),
        (
            "waiter removed",
            "      x-waiters:\n        - {name: job_done, status: state, success: [succeeded], failure: [failed]}\n",
            "",
            "waiter job_done: removed",
            N,
            B,
            Bump::Minor,
        ),
        (
            "waiter ends on other phases",
            "success: [succeeded], failure: [failed]}",
            "success: [succeeded, failed], failure: []}",
            "waiter job_done: ends on other phases",
            N,
            B,
            Bump::Minor,
        ),
        (
            "paginator removed",
            "      x-paginate: {page: page, style: number, first: 1, items: jobs, total: total}\n",
            "",
            "paginator: removed (`.stream()`)",
            N,
            B,
            Bump::Minor,
        ),
        (
            "paginator pages another way",
            "style: number, first: 1,",
            "style: number, first: 0,",
            "paginator: pages another way",
            N,
            B,
            Bump::Minor,
        ),
        (
            "field became secret",
            "        queue: {type: string}",
            "        queue: {type: string, format: password, writeOnly: true}",
            "body /queue: became secret",
            N,
            B,
            Bump::Minor,
        ),
        (
            "deprecated",
            "      summary: List jobs.",
            "      summary: List jobs.\n      deprecated: true",
            "list_jobs (jobs_02_0002): deprecated",
            N,
            C,
            Bump::Patch,
        ),
        (
            "operation removed",
            "    get:\n      operationId: list_jobs",
            "    put:\n      operationId: replace_jobs",
            "list_jobs (jobs_02_0002): operation removed",
            B,
            B,
            Bump::Minor,
        ),
        (
            "operation added",
            "    get:\n      operationId: show_job",
            "    delete:\n      operationId: delete_job\n      parameters:\n        - {name: project_id, in: path, required: true, schema: {type: string}}\n        - {name: job_id, in: path, required: true, schema: {type: string}}\n      responses:\n        '204': {description: deleted}\n    get:\n      operationId: show_job",
            "delete_job: operation added: DELETE",
            C,
            C,
            Bump::Patch,
        ),
        (
            "parameter retyped: the same query text, another Rust type",
            "        - {name: page, in: query, schema: {type: integer}}",
            "        - {name: page, in: query, schema: {type: string}}",
            "parameter page: type i64 -> ::std::string::String",
            N,
            B,
            Bump::Minor,
        ),
        (
            "parameter renamed: a removal and an addition",
            "{name: priority, in: query,",
            "{name: prio, in: query,",
            "parameter priority: removed",
            B,
            B,
            Bump::Minor,
        ),
        (
            "minimum raised (typify's type narrows with it)",
            "minimum: 0,",
            "minimum: 1,",
            "parameter priority: minimum 0 -> 1 (narrowed)",
            B,
            N,
            Bump::Minor,
        ),
        (
            "minimum lowered",
            "minimum: 0,",
            "minimum: -1,",
            "parameter priority: minimum 0 -> -1 (widened)",
            C,
            N,
            Bump::Patch,
        ),
        (
            "maximum removed",
            ", maximum: 9}",
            "}",
            "parameter priority: maximum 9 removed (widened)",
            C,
            N,
            Bump::Minor,
        ),
        (
            // A Rust tool sees no change: the builder refuses longer values at run time.
            "length limit added to a parameter",
            "        - {name: job_id, in: path, required: true, schema: {type: string}}",
            "        - {name: job_id, in: path, required: true, schema: {type: string, maxLength: 64}}",
            "parameter job_id: maxLength 64 added (narrowed)",
            B,
            N,
            Bump::Patch,
        ),
        (
            "length limit added to a body field",
            "        name: {type: string}",
            "        name: {type: string, maxLength: 10}",
            "body field name: maxLength 10 added (narrowed)",
            B,
            N,
            Bump::Minor,
        ),
        (
            "body field removed",
            "        queue: {type: string}\n",
            "",
            "body field queue: removed",
            B,
            B,
            Bump::Minor,
        ),
        (
            // cargo-semver-checks does not report a field's type change (its documented gap).
            "body field retyped",
            "        queue: {type: string}",
            "        queue: {type: integer}",
            "type JobRequest: field queue: type ::std::option::Option<::std::string::String> -> ::std::option::Option<i64>",
            B,
            B,
            Bump::Minor,
        ),
        (
            "body field became a closed enum",
            "        queue: {type: string}",
            "        queue: {type: string, enum: [default, batch]}",
            "type JobRequest: field queue: type",
            B,
            B,
            Bump::Minor,
        ),
        (
            // As above: invisible to a Rust API tool, yet an answer that decoded no longer does.
            "response field retyped",
            "        cost: {type: integer}",
            "        cost: {type: string}",
            "type Job: field cost: type ::std::option::Option<i64> -> ::std::option::Option<::std::string::String>",
            B,
            B,
            Bump::Minor,
        ),
        (
            "response field became required",
            "    Job:\n      type: object\n      properties:",
            "    Job:\n      type: object\n      required: [id]\n      properties:",
            "type Job: field id: type",
            B,
            B,
            Bump::Minor,
        ),
        (
            "error body changed",
            "          content: {application/json: {schema: {$ref: '#/components/schemas/Failure'}}}\n    get:",
            "          content: {application/json: {schema: {$ref: '#/components/schemas/JobList'}}}\n    get:",
            "error answer: type types::Failure -> types::JobList",
            B,
            B,
            Bump::Minor,
        ),
        (
            "error body field added",
            "        error_code: {type: string}",
            "        error_code: {type: string}\n        error_msg: {type: string}",
            "type Failure: field error_msg: added (breaks a struct literal)",
            C,
            B,
            Bump::Minor,
        ),
        (
            "success body changed",
            "          content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}\n        '400':",
            "          content: {application/json: {schema: {$ref: '#/components/schemas/JobList'}}}\n        '400':",
            "success answer: type types::Job -> types::JobList",
            B,
            B,
            Bump::Minor,
        ),
        (
            "parameter became required",
            "{name: priority, in: query, schema:",
            "{name: priority, in: query, required: true, schema:",
            "parameter priority: became required",
            B,
            B,
            Bump::Minor,
        ),
        (
            "request body became optional",
            "      requestBody:\n        required: true",
            "      requestBody:\n        required: false",
            "body: became optional",
            C,
            C,
            Bump::Patch,
        ),
        (
            "status word added with its phase",
            "enum: [RUNNING, DONE, FAILED]\n      x-phase: {RUNNING: running,",
            "enum: [RUNNING, DONE, FAILED, QUEUED]\n      x-phase: {QUEUED: pending, RUNNING: running,",
            "type KnownState: phase of `QUEUED`: unknown -> pending",
            N,
            B,
            Bump::Minor,
        ),
        (
            "a status word's phase changed: its waiter reads it another way",
            "{RUNNING: running,",
            "{RUNNING: succeeded,",
            "waiter job_done: status words map to other phases",
            N,
            B,
            Bump::Minor,
        ),
        (
            "waiter added",
            "        - {name: job_done, status: state, success: [succeeded], failure: [failed]}",
            "        - {name: job_done, status: state, success: [succeeded], failure: [failed]}\n        - {name: job_failed, status: state, success: [failed], failure: []}",
            "waiter job_failed: added",
            N,
            C,
            Bump::Patch,
        ),
        (
            "paginator no longer reads a total",
            "items: jobs, total: total}",
            "items: jobs}",
            "paginator: pages another way",
            N,
            B,
            Bump::Minor,
        ),
        (
            "cancel outcome added",
            "      summary: Submit a job.",
            "      summary: Submit a job.\n      x-cancel: {success_flag: ok}",
            "cancel outcome: added",
            N,
            C,
            Bump::Patch,
        ),
        (
            "a field's description edited: documentation only",
            "        cost: {type: integer}",
            "        cost: {type: integer, description: CPU seconds.}",
            "type Job: documentation changed",
            N,
            N,
            Bump::Patch,
        ),
        (
            "doc page moved: documentation only",
            "x-doc-page: jobs_02_0003",
            "x-doc-page: jobs_02_0009",
            "show_job (jobs_02_0009): documentation changed",
            N,
            N,
            Bump::Patch,
        ),
    ];
    let base = model(BASE);
    assert!(
        diff(&base, &model(BASE)).is_empty(),
        "no change reports nothing"
    );
    let version = parse_version("0.3.1").unwrap();
    for (case, from, to, expected, wire, rust, expected_bump) in rows {
        assert!(BASE.contains(from), "{case}: the base has no `{from}`");
        let changes = diff(&base, &model(&BASE.replacen(from, to, 1)));
        let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
        let found = changes
            .iter()
            .find(|c| c.to_string().contains(expected))
            .unwrap_or_else(|| {
                panic!(
                    "{case}: no change reads `{expected}`:\n{}",
                    lines.join("\n")
                )
            });
        assert_eq!((found.wire, found.rust), (*wire, *rust), "{case}: {found}");
        assert_eq!(
            bump(&changes, &version),
            *expected_bump,
            "{case}:\n{}",
            lines.join("\n")
        );
    }
}

#[test]
fn versions_bump_as_semver_says_before_and_after_one() {
    let v = |text| parse_version(text).unwrap();
    let breaking = [change(
        "type X",
        "",
        "removed".into(),
        Verdict::Breaking,
        Verdict::Breaking,
    )];
    let compatible = [change(
        "type X",
        "",
        "added".into(),
        Verdict::None,
        Verdict::Compatible,
    )];
    let docs = [change(
        "operation x",
        "",
        "documentation changed".into(),
        Verdict::None,
        Verdict::None,
    )];
    let cases: &[(&str, &[Change], &str)] = &[
        ("0.3.1", &breaking, "0.4.0"),
        ("0.3.1", &compatible, "0.3.2"),
        ("0.3.1", &docs, "0.3.2"),
        ("0.3.1", &[], "0.3.1"),
        ("1.2.3", &breaking, "2.0.0"),
        ("1.2.3", &compatible, "1.3.0"),
        ("1.2.3", &docs, "1.2.4"),
    ];
    for (from, changes, to) in cases {
        let version = v(from);
        assert_eq!(
            bumped(&version, bump(changes, &version)).to_string(),
            *to,
            "{from}"
        );
    }
    for bad in [
        "",
        "1",
        "1.2",
        "1.2.3.4",
        "1.x.3",
        "-1.0.0",
        "1.0.0-rc.1",
        "1.0.0+build",
    ] {
        assert_eq!(parse_version(bad), None, "{bad:?}");
    }
    let compatible_cases = [
        ("0.1.0", "0.1.3", true),
        ("0.1.0", "0.2.0", false),
        ("1.2.0", "1.9.1", true),
        ("1.2.0", "2.0.0", false),
        ("0.0.1", "0.0.2", false),
    ];
    for (old, new, expected) in compatible_cases {
        assert_eq!(
            super::compatible(&v(old), &v(new)),
            expected,
            "{old} -> {new}"
        );
    }
}

#[test]
fn a_newer_runtime_releases_the_crates_again() {
    let base = model(BASE);
    let cases = [
        ("0.1.0", "0.1.0", None),
        ("0.1.0", "0.1.1", Some(Verdict::Compatible)),
        ("0.1.3", "0.2.0", Some(Verdict::Breaking)),
        ("1.4.0", "1.5.0", Some(Verdict::Compatible)),
        ("", "0.1.0", Some(Verdict::Breaking)),
    ];
    for (was, now, expected) in cases {
        let (mut old, mut new) = (base.clone(), base.clone());
        old.runtime = was.into();
        new.runtime = now.into();
        let changes = diff(&old, &new);
        let found = changes
            .iter()
            .find(|c| c.place == "dependency cloud-runtime");
        assert_eq!(
            found.map(|c| c.rust),
            expected,
            "{was} -> {now}: {changes:?}"
        );
        if let Some(change) = found {
            assert_eq!(
                change.wire,
                Verdict::None,
                "the bytes sent are the client's"
            );
            assert!(
                change.what.starts_with(&format!("requires {now}")),
                "{change}"
            );
        }
    }
}
