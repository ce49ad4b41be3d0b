use super::*;

const SPEC: &str = r#"openapi: 3.0.3
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
        - {name: project_id, in: path, required: true, description: The project., schema: {type: string, maxLength: 64}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: page_size, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, description: The name.}
                password: {type: string, format: password, writeOnly: true}
                labels: {type: array, items: {type: string}}
                conf: {type: object, additionalProperties: {type: string}}
                priority: {type: integer, minimum: 0, maximum: 9}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}
        '400':
          description: refused
          content: {application/json: {schema: {$ref: '#/components/schemas/Failure'}}}
        '202':
          description: accepted
          content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}
components:
  schemas:
    Job:
      type: object
      properties:
        id: {type: string}
        job_state: {type: string}
    Failure:
      type: object
      properties:
        error_code: {type: string}
"#;

fn model() -> CrateModel {
    let spec = Spec::parse("specs/jobs-v1.yaml".into(), SPEC.as_bytes()).unwrap();
    let generated = crate::progenitor_run::generate(&spec).unwrap();
    let file = syn::parse2::<syn::File>(generated.tokens).unwrap();
    CrateModel::build(&spec, &file).unwrap()
}

/// What every output reads: parameters typed by progenitor's setters with their limits, the
/// body's fields by kind with the secret marked, statuses with their JSON, the answer types.
#[test]
fn an_operation_holds_what_every_output_reads() {
    let model = model();
    assert_eq!(model.crate_name, "jobs-v1");
    let [op] = model.operations.as_slice() else {
        panic!("{:?}", model.operations);
    };
    assert_eq!(
        (op.id.as_str(), op.method.as_str(), op.route.as_str()),
        ("create_job", "POST", "/v1/{project_id}/jobs")
    );
    assert_eq!(op.doc_page.as_deref(), Some("jobs_02_0001"));
    assert!(!op.retry_safe, "a submission is never retried");
    let parameters: Vec<(&str, &str, &str, bool, bool)> = op
        .parameters
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.location.as_str(),
                p.rust_type.as_str(),
                p.required,
                p.array,
            )
        })
        .collect();
    assert_eq!(
        parameters,
        [
            ("project_id", "path", "types::ProjectId", true, false),
            (
                "tags",
                "query",
                "::std::vec::Vec<::std::string::String>",
                false,
                true
            ),
            ("page_size", "query", "::std::num::NonZeroU64", false, false),
        ]
    );
    assert_eq!(op.parameters[0].constraints.max_length, Some(64.into()));
    assert_eq!(
        op.limits,
        [
            Limit {
                place: "Body".into(),
                name: "/priority".into(),
                min: Some(0),
                max: Some(9)
            },
            Limit {
                place: "Query".into(),
                name: "page_size".into(),
                min: Some(1),
                max: Some(100)
            }
        ]
    );
    let body = op.body.as_ref().unwrap();
    assert!(body.required && body.is_json());
    let fields: Vec<(&str, FieldKind, bool, bool)> = body
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.kind, f.required, f.secret))
        .collect();
    assert_eq!(
        fields,
        [
            ("conf", FieldKind::Structured, false, false),
            ("labels", FieldKind::List, false, false),
            ("name", FieldKind::Scalar, true, false),
            ("password", FieldKind::Scalar, false, true),
            ("priority", FieldKind::Scalar, false, false),
        ]
    );
    assert_eq!(op.secrets, ["/password"]);
    let statuses: Vec<(u16, bool)> = op.statuses.iter().map(|s| (s.code, s.json)).collect();
    assert_eq!(statuses, [(200, true), (202, true), (400, true)]);
    assert_eq!(op.success_type, "types::Job");
    assert_eq!(op.error_type, "types::Failure");
    assert_eq!(op.answer_type(400), "types::Failure");
    let job = &model.types["Job"];
    assert_eq!(job.kind, TypeKind::Struct);
    let members: Vec<(&str, &str)> = job
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.ty.as_str()))
        .collect();
    assert_eq!(
        members,
        [
            ("id", "::std::option::Option<::std::string::String>"),
            ("job_state", "::std::option::Option<::std::string::String>"),
        ]
    );
}

/// `cargo xtask model` prints the same bytes on every run, and they read back as JSON.
#[test]
fn the_model_prints_the_same_json_every_time() {
    let (first, second) = (model().to_json(), model().to_json());
    assert_eq!(first, second);
    let value: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(value["operations"][0]["id"], "create_job");
    assert!(first.ends_with("}\n"));
}

#[test]
fn types_print_as_compact_source() {
    let cases: &[(syn::Type, &str)] = &[
        (syn::parse_quote!(Option<types::Job>), "Option<types::Job>"),
        (
            syn::parse_quote!(::std::collections::HashMap<::std::string::String, i64>),
            "::std::collections::HashMap<::std::string::String, i64>",
        ),
        (syn::parse_quote!(&'a str), "&'a str"),
        (syn::parse_quote!(()), "()"),
        (syn::parse_quote!(Vec<(u8, u16)>), "Vec<(u8, u16)>"),
    ];
    for (ty, expected) in cases {
        let printed = type_string(ty);
        assert_eq!(&printed, expected);
        // And it reads back as the same type.
        assert_eq!(type_string(&parse_type(&printed)), printed);
    }
}
