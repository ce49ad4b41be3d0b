//! The SDK reader and check on small SDK trees written here in the vendors' formats (never
//! copied from them): a Huawei SDK service (`*_meta.go` and `model/`) and an OTC SDK package.

use std::path::{Path, PathBuf};

use super::{go, *};

/// A Huawei SDK service folder: one request definition, its request, body and response models,
/// an enum, a nested struct and a date.
const META: &str = r#"package v1

import (
	"net/http"

	"example.com/core/def"
	"example.com/services/dli/v1/model"
)

func GenReqDefForCreateBatchJob() *def.HttpRequestDef {
	reqDefBuilder := def.NewHttpRequestDefBuilder().
		WithMethod(http.MethodPost).
		WithPath("/v2.0/{project_id}/batches").
		WithResponse(new(model.CreateBatchJobResponse)).
		WithContentType("application/json")

	reqDefBuilder.WithRequestField(def.NewFieldDef().
		WithName("UserId").
		WithJsonTag("USER-ID").
		WithLocationType(def.Header))

	reqDefBuilder.WithRequestField(def.NewFieldDef().
		WithName("Body").
		WithLocationType(def.Body))

	requestDef := reqDefBuilder.Build()
	return requestDef
}

func GenReqDefForListBatchJobs() *def.HttpRequestDef {
	reqDefBuilder := def.NewHttpRequestDefBuilder().
		WithMethod(http.MethodGet).
		WithPath("/v2.0/{project_id}/batches").
		WithResponse(new(model.ListBatchJobsResponse)).
		WithContentType("application/json")

	reqDefBuilder.WithRequestField(def.NewFieldDef().
		WithName("QueueName").
		WithJsonTag("queue_name").
		WithLocationType(def.Query))
	reqDefBuilder.WithRequestField(def.NewFieldDef().
		WithName("State").
		WithJsonTag("state").
		WithLocationType(def.Query))

	reqDefBuilder.WithResponseField(def.NewFieldDef().
		WithName("XRequestId").
		WithJsonTag("X-request-id").
		WithLocationType(def.Header))

	requestDef := reqDefBuilder.Build()
	return requestDef
}
"#;

const MODELS: &str = r#"package model

import (
	"strings"

	"example.com/core/sdktime"
)

// CreateBatchJobRequest Request Object
type CreateBatchJobRequest struct {
	UserId *string `json:"USER-ID,omitempty"`

	Body *CreateBatchJobRequestBody `json:"body,omitempty"`
}

type CreateBatchJobRequestBody struct {
	// The main file.
	File string `json:"file"`

	ClassName *string `json:"className,omitempty"`

	NumExecutors *int32 `json:"numExecutors,omitempty"`

	Resources *[]BatchResource `json:"resources,omitempty"`

	Conf map[string]interface{} `json:"conf,omitempty"`
}

type BatchResource struct {
	Name string `json:"name"`

	Type *string `json:"type,omitempty"`
}

type CreateBatchJobResponse struct {
	Id *string `json:"id,omitempty"`

	CreateTime *sdktime.SdkTime `json:"create_time,omitempty"`

	BootstrapScripts *[]string `json:"bootstrapScripts,omitempty"`

	HttpStatusCode int `json:"-"`
}

type ListBatchJobsRequest struct {
	QueueName string `json:"queue_name"`

	State *ListBatchJobsRequestState `json:"state,omitempty"`
}

type ListBatchJobsRequestState struct {
	value string
}

type ListBatchJobsRequestStateEnum struct {
	STARTING ListBatchJobsRequestState
	DEAD     ListBatchJobsRequestState
}

func GetListBatchJobsRequestStateEnum() ListBatchJobsRequestStateEnum {
	return ListBatchJobsRequestStateEnum{
		STARTING: ListBatchJobsRequestState{
			value: "starting",
		},
		DEAD: ListBatchJobsRequestState{
			value: "dead",
		},
	}
}

func (c ListBatchJobsRequestState) Value() string {
	return c.value
}

type ListBatchJobsResponse struct {
	Total *int32 `json:"total,omitempty"`

	Jobs *[]BatchJob `json:"jobs,omitempty"`

	XRequestId     *string `json:"X-request-id,omitempty"`
	HttpStatusCode int     `json:"-"`
}

type BatchJob struct {
	Id *string `json:"id,omitempty"`

	Duration *string `json:"duration,omitempty"`

	JobName *string `json:"JobName,omitempty"`
}

func (o BatchJob) String() string {
	return strings.Join([]string{"BatchJob"}, " ")
}
"#;

/// An OTC SDK package: a function stating its route, a query struct, a result with dates.
const OTC: &str = r#"package job

import (
	"time"

	golangsdk "example.com/gophertelekomcloud"
)

type StatusReq struct {
	Workspace string `json:"-"`
	// Whether to include nodes.
	Nodes bool `q:"nodes,omitempty"`
}

// GetStatus reads a job's status.
// Send request GET /v1/{project_id}/jobs/{job_name}/status
func GetStatus(client *golangsdk.ServiceClient, jobName string, opts StatusReq) (*StatusResp, error) {
	return nil, nil
}

type base struct {
	Name string `json:"name" required:"true"`
}

type StatusResp struct {
	base
	Status    string     `json:"status,omitempty"`
	StartTime *time.Time `json:"startTime,omitempty"`
}

// Helper has no route: not an operation.
func Helper() {}
"#;

/// Writes the two SDK trees below `root`.
fn sdk_tree(root: &Path) -> PathBuf {
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("huaweicloud-sdk-go-v3/services/dli/v1/dli_meta.go", META);
    write(
        "huaweicloud-sdk-go-v3/services/dli/v1/model/models.go",
        MODELS,
    );
    write(
        "gophertelekomcloud/openstack/dataarts/v1/job/GetStatus.go",
        OTC,
    );
    root.to_owned()
}

/// A spec of both operations, with the differences the table below expects.
const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: v2}
paths:
  /v2.0/{project_id}/batches:
    post:
      operationId: create_batch_job
      parameters: [{name: project_id, in: path, required: true, schema: {type: string}}]
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/CreateBatchJobRequest'}}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Created'}}}
    get:
      operationId: list_batch_jobs
      parameters:
        - {name: project_id, in: path, required: true, schema: {type: string}}
        - {name: queue_name, in: query, schema: {type: string}}
        - {name: state, in: query, schema: {$ref: '#/components/schemas/State'}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Jobs'}}}
components:
  schemas:
    CreateBatchJobRequest:
      type: object
      required: [file, className]
      properties:
        file: {type: string}
        className: {type: string}
        numExecutors: {type: string}
        resources:
          type: array
          items:
            type: object
            required: [name]
            properties:
              name: {type: string}
              kind: {type: string, x-sdk-deviation: 'named so by the service (test)'}
        conf: {type: object}
    Created:
      type: object
      properties:
        id: {type: string}
        create_time: {type: integer}
        bootstrap_scripts: {type: array, items: {type: string}, x-sdk-name: bootstrapScripts}
    State:
      type: string
      enum: [starting, running]
    Jobs:
      type: object
      properties:
        total: {type: integer}
        jobs:
          type: array
          items:
            type: object
            properties:
              id: {type: string}
              jobName: {type: string}
"#;

fn spec(path: &str, text: &str) -> Spec {
    Spec::parse(path.into(), text.as_bytes()).unwrap()
}

/// Every kind of difference, found at its pointer under its rule, worded for the SDK; what is
/// declared is counted, not reported.
#[test]
fn every_kind_of_difference_is_reported_at_its_pointer() {
    let root = tempfile::tempdir().unwrap();
    let operations = read_trees(&[sdk_tree(root.path())]).unwrap();
    let outcome = check(&[spec("specs/dli-v2.yaml", SPEC)], &operations);
    let at = "/paths/~1v2.0~1{project_id}~1batches";
    let expected: &[(&str, &str, &str)] = &[
        (
            "post/requestBody/properties/className",
            "sdk-request-field",
            "the SDK makes field `className` optional, the spec requires it",
        ),
        (
            "post/requestBody/properties/numExecutors",
            "sdk-request-field",
            "the SDK types `numExecutors` Integer, the spec string",
        ),
        (
            "post/requestBody/properties/resources/items",
            "sdk-request-field",
            "the SDK documents field `type` (String), the spec does not",
        ),
        (
            "post/responses/200/properties/create_time",
            "sdk-response-field",
            "the SDK types `create_time` String, the spec integer",
        ),
        (
            "get/parameters/1",
            "sdk-parameter",
            "the SDK makes `queue_name` mandatory, the spec optional",
        ),
        (
            "get/parameters/2",
            "sdk-parameter",
            "the SDK lists values of `state` the spec does not: `dead`; the spec lists values the SDK does not: `running`",
        ),
        (
            "get/responses/200/properties/jobs/items",
            "sdk-response-field",
            "the SDK documents field `duration` (String), the spec does not",
        ),
    ];
    let found: Vec<(String, &str, String)> = outcome
        .drifts
        .iter()
        .map(|d| (d.pointer.clone(), d.rule, d.message.clone()))
        .collect();
    for (pointer, rule, message) in expected {
        let pointer = format!("{at}/{pointer}");
        assert!(
            found
                .iter()
                .any(|(p, r, m)| p == &pointer && r == rule && m.ends_with(message)),
            "{pointer} {rule} {message}\nfound: {found:#?}"
        );
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    let class_name = &found.iter().find(|f| f.0.ends_with("className")).unwrap().2;
    assert!(
        class_name.starts_with(
            "huaweicloud-sdk-go-v3 CreateBatchJob (huaweicloud-sdk-go-v3/services/dli/v1/dli_meta.go): "
        ),
        "{class_name}"
    );
    assert!(
        outcome
            .drifts
            .iter()
            .all(|d| d.hint.contains("`x-sdk-deviation`")),
        "{:#?}",
        outcome.drifts
    );
    // `kind`: declared with `x-sdk-deviation`; `bootstrap_scripts`: paired by `x-sdk-name`.
    // `JobName` reads `jobName`: Go's JSON reads answers without regard to case.
    assert_eq!(outcome.acknowledged, 2);
    assert_eq!(outcome.checked, 2);
    assert!(outcome.summary().starts_with(
        "sdk: 2 operations checked against 2 SDK operations, 7 drifts, 2 acknowledged, 0 unchecked"
    ));
}

/// What each SDK's models say, read into the page model: locations, required flags by each
/// SDK's convention, enum values, nested structs, dates, embedded fields, response headers
/// left out, routes from the OTC comment.
#[test]
fn both_sdks_are_read_into_pages() {
    let root = tempfile::tempdir().unwrap();
    let operations = read_trees(&[sdk_tree(root.path())]).unwrap();
    let names: Vec<(Sdk, &str, &str)> = operations
        .iter()
        .map(|o| (o.sdk, o.service.as_str(), o.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (Sdk::Otc, "dataarts-factory", "GetStatus"),
            (Sdk::Huawei, "dli", "CreateBatchJob"),
            (Sdk::Huawei, "dli", "ListBatchJobs"),
        ]
    );
    let page = |name: &str| &operations.iter().find(|o| o.name == name).unwrap().page;
    let field = |fields: &[Field], name: &str| -> Field {
        fields.iter().find(|f| f.name == name).unwrap().clone()
    };
    let create = page("CreateBatchJob");
    assert_eq!(create.method.as_deref(), Some("POST"));
    assert_eq!(create.route.as_deref(), Some("/v2.0/{project_id}/batches"));
    assert_eq!(create.header_parameters[0].name, "USER-ID");
    assert_eq!(create.path_parameters[0].name, "project_id");
    let file = field(&create.request_fields, "file");
    assert_eq!(
        (file.mandatory, file.type_.as_str()),
        (Some(true), "String")
    );
    let class = field(&create.request_fields, "className");
    assert_eq!(class.mandatory, Some(false));
    let resources = field(&create.request_fields, "resources");
    assert_eq!(resources.type_, "Array of BatchResource objects");
    let nested = create.nested_of(&resources).unwrap();
    assert_eq!(field(nested, "name").mandatory, Some(true));
    assert_eq!(field(&create.request_fields, "conf").type_, "Map");
    assert_eq!(
        field(&create.response_fields, "create_time").type_,
        "String"
    );
    assert!(
        create
            .response_fields
            .iter()
            .all(|f| f.name != "HttpStatusCode")
    );

    let list = page("ListBatchJobs");
    let state = field(&list.query_parameters, "state");
    assert_eq!(state.values, ["starting", "dead"]);
    assert_eq!(state.type_, "String");
    assert_eq!(
        field(&list.query_parameters, "queue_name").mandatory,
        Some(true)
    );
    assert!(
        list.response_fields
            .iter()
            .all(|f| f.name != "X-request-id")
    );

    let status = page("GetStatus");
    assert_eq!(
        status.route.as_deref(),
        Some("/v1/{project_id}/jobs/{job_name}/status")
    );
    let names: Vec<&str> = status
        .path_parameters
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["project_id", "job_name"]);
    assert_eq!(
        field(&status.query_parameters, "nodes").mandatory,
        Some(false)
    );
    // Promoted from the embedded struct; OTC's required tag.
    assert_eq!(field(&status.response_fields, "name").mandatory, Some(true));
    assert_eq!(
        field(&status.response_fields, "status").mandatory,
        Some(false)
    );
    assert_eq!(field(&status.response_fields, "startTime").type_, "String");
}

/// An operation is found by its SDK name in snake case on its route, else by name alone, else
/// by method and route (placeholder names aside); only in its own service.
#[test]
fn operations_match_by_name_then_route_within_their_service() {
    let root = tempfile::tempdir().unwrap();
    let operations = read_trees(&[sdk_tree(root.path())]).unwrap();
    let dli = spec("specs/dli-v2.yaml", SPEC);
    let factory = spec("specs/dataarts-factory-v1.yaml", SPEC);
    let cases: &[(&Spec, &str, &str, &str, &[&str])] = &[
        (
            &dli,
            "post",
            "/v2.0/{project_id}/batches",
            "create_batch_job",
            &["CreateBatchJob"],
        ),
        (
            &dli,
            "put",
            "/elsewhere",
            "create_batch_job",
            &["CreateBatchJob"],
        ),
        (
            &dli,
            "get",
            "/v2.0/{p}/batches/",
            "list_them",
            &["ListBatchJobs"],
        ),
        (&dli, "get", "/v2.0/{p}/other", "list_them", &[]),
        (
            &factory,
            "get",
            "/v1/{project_id}/jobs/{name}/status",
            "show_job_status",
            &["GetStatus"],
        ),
        (
            &factory,
            "post",
            "/v2.0/{project_id}/batches",
            "create_batch_job",
            &[],
        ),
    ];
    for (spec, method, route, id, expected) in cases {
        let found: Vec<&str> = matches(spec, method, route, id, &operations)
            .iter()
            .map(|o| o.name.as_str())
            .collect();
        assert_eq!(&found, expected, "{method} {route} {id}");
    }
}

/// Each way an SDK tree can be unreadable, and what `read_trees` reports for it.
#[test]
fn every_unreadable_tree_is_reported_with_its_path() {
    let root = tempfile::tempdir().unwrap();
    let dir = |name: &str, files: &[(&str, &str)]| {
        let dir = root.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        for (file, text) in files {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    };
    let cases: Vec<(&str, PathBuf, &str)> = vec![
        (
            "missing",
            root.path().join("missing"),
            "missing: cannot read the SDK tree",
        ),
        (
            "no operation",
            dir("models-only", &[("services/dli/v1/model/m.go", MODELS)]),
            "models-only: no SDK operation below it",
        ),
        (
            "not Go",
            dir(
                "broken",
                &[("services/dli/v1/dli_meta.go", "package v1\nfunc (\n")],
            ),
            "dli_meta.go: line 2: the file does not parse as Go",
        ),
    ];
    for (case, tree, expected) in cases {
        let problems = read_trees(&[tree]).expect_err(case);
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(
            text.iter().any(|t| t.contains(expected)),
            "{case}: {text:?}"
        );
        assert!(
            text.iter().all(|t| t.contains("hint: ")),
            "{case}: {text:?}"
        );
    }
}

/// Struct tags read as Go's `reflect.StructTag.Get` reads them.
#[test]
fn struct_tags_read_like_reflect() {
    /// The tag, the key, and what `Get` gives: the name and whether `omitempty` follows.
    type Case<'a> = (&'a str, &'a str, (Option<&'a str>, bool));
    let cases: &[Case] = &[
        (r#"json:"name,omitempty""#, "json", (Some("name"), true)),
        (r#"json:"name""#, "json", (Some("name"), false)),
        (r#"json:"-""#, "json", (Some("-"), false)),
        (
            r#"json:"a" required:"true""#,
            "required",
            (Some("true"), false),
        ),
        (
            r#"q:"limit,omitempty" json:"-""#,
            "q",
            (Some("limit"), true),
        ),
        (r#"json:"a""#, "q", (None, false)),
        (r#"json:"unterminated"#, "json", (None, false)),
        ("", "json", (None, false)),
    ];
    for (tag, key, (name, omitempty)) in cases {
        let (found, omit) = go::tag_value(tag, key);
        assert_eq!((found.as_deref(), omit), (*name, *omitempty), "{tag} {key}");
    }
}

/// Deeply nested types and hostile text: no panic, no unbounded recursion.
#[test]
fn hostile_go_is_read_or_refused_without_a_panic() {
    let deep = format!(
        "package m\ntype T struct {{\n\tF {}string `json:\"f\"`\n}}\n",
        "[]*".repeat(500)
    );
    let file = go::read(&deep).unwrap();
    assert_eq!(file.structs["T"][0].json.as_deref(), Some("f"));
    for text in ["", "package m", "\u{0}\u{0}", "type", &"(".repeat(10_000)] {
        let _ = go::read(text);
    }
}
