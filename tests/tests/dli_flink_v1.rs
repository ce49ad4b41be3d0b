//! DLI Flink jobs, replayed from the docs' examples: create a SQL job, list, details, batch run
//! and batch stop (one result per job, `is_success` as a Boolean or a string).

use cloud_runtime::Phase;
use dli_flink_v1::types::{
    CreateFlinkTemplateRequestName, CreateFlinkTemplateResult, DeleteFlinkTemplateResult,
    ListFlinkTemplatesResult,
};
use dli_flink_v1::types::{
    ExportFlinkJobsRequestObsDir, ExportFlinkJobsResult, FlinkJobIdValue,
    ImportFlinkJobsRequestZipFile, ImportFlinkJobsResult, ShowFlinkJobExecutionGraphResult,
};
use dli_flink_v1::types::{
    UpdateFlinkJarJobRequest, UpdateFlinkJobResult, UpdateFlinkSqlJobRequest,
};
use dli_flink_v1::{
    Client, Error,
    types::{
        BatchRunFlinkJobsRequest, BatchStopFlinkJobsRequest, CheckpointMode,
        CreateFlinkJarJobRequest, CreateFlinkJobResult, CreateFlinkSqlJobRequest, DliError,
        FlinkBatchError, FlinkJobResult, FlinkJobResults, FlinkJobStatus, FlinkSuccessFlag,
        KnownFlinkJobStatus, ListFlinkJobsResult, ShowFlinkJobResult,
    },
};
use replay::{ResponseValue, replay_errs, replay_ok};

const PROJECT: &str = "37caa80116e1403ab603e5eeb48a2f74";

type Reply<T> = Result<ResponseValue<T>, Error<DliError>>;

/// `is_success` read as the service means it, whichever form it takes.
fn succeeded(flag: Option<&FlinkSuccessFlag>) -> Option<bool> {
    match flag? {
        FlinkSuccessFlag::Boolean(b) => Some(*b),
        FlinkSuccessFlag::String(s) => s.trim().parse().ok(),
    }
}

/// The page's example request (dli_02_0228).
async fn create(url: String) -> Reply<CreateFlinkJobResult> {
    let body: CreateFlinkSqlJobRequest = serde_json::from_value(serde_json::json!({
        "name": "myjob",
        "desc": "This is a job used for counting characters.",
        "template_id": 100000,
        "queue_name": "testQueue",
        "sql_body": "select * from source_table",
        "run_mode": "exclusive_cluster",
        "cu_number": 2,
        "parallel_number": 1,
        "checkpoint_enabled": false,
        "checkpoint_mode": "exactly_once",
        "checkpoint_interval": 0,
        "obs_bucket": "my_obs_bucket",
        "log_enabled": false,
        "restart_when_exception": false,
        "idle_state_retention": 3600,
        "job_type": "flink_sql_job",
        "dirty_data_strategy": "0",
        "udf_jar_url": "group/test.jar",
        "execution_agency_urn": "myAgencyName",
    }))
    .expect("the page's example request");
    assert_eq!(
        body.checkpoint_mode,
        Some(CheckpointMode::String("exactly_once".into()))
    );
    Client::with_runtime(&url, replay::runtime())
        .create_flink_sql_job()
        .project_id(PROJECT)
        .body(body)
        .send()
        .await
}

#[tokio::test]
async fn create_flink_sql_job_200_returns_the_draft_job_and_its_integer_id() {
    let value = replay_ok("dli-flink-v1/create_flink_sql_job.200", create).await;
    assert_eq!(succeeded(value.is_success.as_ref()), Some(true));
    let job = value.job.unwrap();
    assert_eq!(job.job_id, Some(148));
    let status = job.status_name.unwrap();
    assert_eq!(status, FlinkJobStatus::from(KnownFlinkJobStatus::JobInit));
    assert_eq!(status.phase(), Phase::Queued);
}

#[test]
fn checkpoint_mode_is_sent_as_the_table_s_integer_or_the_example_s_word() {
    let numeric: CreateFlinkSqlJobRequest =
        serde_json::from_value(serde_json::json!({"name": "j", "checkpoint_mode": 2})).unwrap();
    assert_eq!(numeric.checkpoint_mode, Some(CheckpointMode::Int32(2)));
    assert_eq!(
        serde_json::to_value(&numeric).unwrap()["checkpoint_mode"],
        serde_json::json!(2)
    );
    assert!(
        serde_json::from_value::<CreateFlinkSqlJobRequest>(
            serde_json::json!({"name": "x".repeat(58)})
        )
        .is_err()
    );
}

/// The page's example request (dli_02_0230).
async fn create_jar(url: String) -> Reply<CreateFlinkJobResult> {
    let body: CreateFlinkJarJobRequest = serde_json::from_value(serde_json::json!({
        "name": "test",
        "desc": "job for test",
        "queue_name": "testQueue",
        "manager_cu_number": 1,
        "cu_number": 2,
        "parallel_number": 1,
        "tm_cus": 1,
        "tm_slot_num": 1,
        "log_enabled": true,
        "obs_bucket": "bucketName",
        "smn_topic": "topic",
        "main_class": "org.apache.flink.examples.streaming.JavaQueueStream",
        "restart_when_exception": false,
        "entrypoint": "javaQueueStream.jar",
        "entrypoint_args": "-windowSize 2000 -rate 3",
        "dependency_jars": ["myGroup/test.jar", "myGroup/test1.jar"],
        "dependency_files": ["myGroup/test.csv", "myGroup/test1.csv"],
        "execution_agency_urn": "myAgencyName",
    }))
    .expect("the page's example request");
    Client::with_runtime(&url, replay::runtime())
        .create_flink_jar_job()
        .project_id(PROJECT)
        .body(body)
        .send()
        .await
}

/// The Jar page's answer sends `is_success` as a Boolean, the SQL page's as a string.
#[tokio::test]
async fn create_flink_jar_job_200_reads_a_boolean_flag() {
    let value = replay_ok("dli-flink-v1/create_flink_jar_job.200", create_jar).await;
    assert_eq!(value.is_success, Some(FlinkSuccessFlag::Boolean(true)));
    let job = value.job.unwrap();
    assert_eq!(job.job_id, Some(138));
    assert_eq!(job.status_name.map(|s| s.phase()), Some(Phase::Queued));
}

/// The page's example request (dli_02_0229), for job 104.
async fn update_sql(url: String) -> Reply<UpdateFlinkJobResult> {
    let body: UpdateFlinkSqlJobRequest = serde_json::from_value(serde_json::json!({"checkpoint_enabled": false, "checkpoint_interval": 10, "checkpoint_mode": "exactly_once", "cu_number": 4, "desc": "My first job", "dirty_data_strategy": "0", "edge_group_ids": ["62de1e1c-066e-48a8-a79d-f461a31b2ee1", "2eb00f85-99f2-4144-bcb7-d39ff47f9002"], "execution_agency_urn": "myAgencyName", "idle_state_retention": 3600, "log_enabled": false, "name": "myjob", "obs_bucket": "", "parallel_number": 4, "queue_name": "testQueue", "restart_when_exception": false, "run_mode": "shared_cluster", "smn_topic": "", "sql_body": "select * from source_table", "udf_jar_url": "group/test.jar"}))
    .expect("the page's example request");
    Client::with_runtime(&url, replay::runtime())
        .update_flink_sql_job()
        .project_id(PROJECT)
        .job_id("104")
        .body(body)
        .send()
        .await
}

/// The page's example request (dli_02_0231), for job 104.
async fn update_jar(url: String) -> Reply<UpdateFlinkJobResult> {
    let body: UpdateFlinkJarJobRequest = serde_json::from_value(serde_json::json!({"cu_number": 2, "dependency_files": ["myGroup/test.csv", "myGroup/test1.csv"], "dependency_jars": ["myGroup/test.jar", "myGroup/test1.jar"], "desc": "job for test", "entrypoint": "FemaleInfoCollec.jar", "execution_agency_urn": "myAgencyName", "job_type": "flink_jar_job", "log_enabled": false, "main_class": "org.apache.flink.examples.streaming.JavaQueueStream", "manager_cu_number": 1, "name": "test1", "parallel_number": 1, "queue_name": "testQueue", "restart_when_exception": false}))
    .expect("the page's example request");
    Client::with_runtime(&url, replay::runtime())
        .update_flink_jar_job()
        .project_id(PROJECT)
        .job_id("104")
        .body(body)
        .send()
        .await
}

/// Both update pages answer the update time; the SQL page's flag is a string, the Jar page's a
/// Boolean.
#[tokio::test]
async fn update_flink_sql_and_jar_jobs_200_read_the_update_time() {
    let sql = replay_ok("dli-flink-v1/update_flink_sql_job.200", update_sql).await;
    assert_eq!(
        sql.is_success,
        Some(FlinkSuccessFlag::String("true".into()))
    );
    assert_eq!(sql.job.and_then(|j| j.update_time), Some(1578905682534));
    let jar = replay_ok("dli-flink-v1/update_flink_jar_job.200", update_jar).await;
    assert_eq!(jar.is_success, Some(FlinkSuccessFlag::Boolean(true)));
    assert_eq!(jar.job.and_then(|j| j.update_time), Some(1516952770835));
}

async fn list(url: String) -> Reply<ListFlinkJobsResult> {
    Client::with_runtime(&url, replay::runtime())
        .list_flink_jobs()
        .project_id(PROJECT)
        .job_type("flink_sql_job")
        .limit(10u32)
        .offset(0u32)
        .send()
        .await
}

#[tokio::test]
async fn list_flink_jobs_200_reads_the_nested_job_list() {
    let value = replay_ok("dli-flink-v1/list_flink_jobs.200", list).await;
    assert_eq!(succeeded(value.is_success.as_ref()), Some(true));
    let list = value.job_list.unwrap();
    assert_eq!(list.total_count, Some(26));
    let job = &list.jobs.as_deref().unwrap()[0];
    assert_eq!(job.job_id, Some(146));
    assert_eq!(job.status.as_ref().map(|s| s.phase()), Some(Phase::Queued));
    assert_eq!(job.root_id, Some(-1));
    assert_eq!(job.create_time, Some(1578892414688));
}

async fn show(url: String) -> Reply<ShowFlinkJobResult> {
    Client::with_runtime(&url, replay::runtime())
        .show_flink_job()
        .project_id(PROJECT)
        .job_id("104")
        .send()
        .await
}

#[tokio::test]
async fn show_flink_job_200_reads_a_jar_job_with_nulls_and_a_worded_checkpoint_mode() {
    let value = replay_ok("dli-flink-v1/show_flink_job.200", show).await;
    let job = value.job_detail.unwrap();
    assert_eq!(job.job_id, Some(104));
    assert_eq!(job.start_time, None);
    assert_eq!(job.update_time, Some(1578467395713));
    let config = job.job_config.unwrap();
    assert_eq!(
        config.checkpoint_mode,
        Some(CheckpointMode::String("exactly_once".into()))
    );
    assert_eq!(config.obs_bucket, None);
    assert_eq!(config.edge_group_ids, None);
    assert_eq!(config.dependency_jars.map(|j| j.len()), Some(2));
}

fn run_body(job_ids: Vec<i64>) -> BatchRunFlinkJobsRequest {
    BatchRunFlinkJobsRequest::builder()
        .job_ids(job_ids)
        .resume_savepoint(Some(true))
        .try_into()
        .unwrap()
}

/// A batch run's error is the DLI error object or an array of them (`FlinkBatchError`).
type RunReply = Result<ResponseValue<FlinkJobResults>, Error<FlinkBatchError>>;

async fn run(url: String) -> RunReply {
    Client::with_runtime(&url, replay::runtime())
        .batch_run_flink_jobs()
        .project_id(PROJECT)
        .body(run_body(vec![131, 130, 138, 137]))
        .send()
        .await
}

/// A batch run's 400 in both forms the service writes: the DLI error object (the error page's
/// shape) and a JSON array of one error per job (real traffic, like the success body).
#[tokio::test]
async fn batch_run_flink_jobs_400_decodes_the_object_and_the_array() {
    let object = replay_errs(&["dli-flink-v1/batch_run_flink_jobs.400"], run).await;
    let FlinkBatchError::DliError(error) = &object[0] else {
        panic!("the object form: {object:?}");
    };
    assert_eq!(
        (error.error_code.as_deref(), error.error_msg.as_deref()),
        (Some("DLI.0001"), Some("The input parameter is invalid."))
    );
    let array = replay_errs(
        &["dli-flink-v1/batch_run_flink_jobs.400.array-body"],
        |url| async move {
            Client::with_runtime(&url, replay::runtime())
                .batch_run_flink_jobs()
                .project_id(PROJECT)
                .body_map(|b| b.job_ids(vec![131, 130]).resume_savepoint(Some(false)))
                .send()
                .await
        },
    )
    .await;
    let FlinkBatchError::PerJob(Some(errors)) = &array[0] else {
        panic!("the array form: {array:?}");
    };
    let said: Vec<(Option<&str>, Option<&str>)> = errors
        .iter()
        .map(|e| (e.error_code.as_deref(), e.error_msg.as_deref()))
        .collect();
    assert_eq!(
        said,
        [
            (Some("DLI.0002"), Some("The job 131 does not exist.")),
            (Some("DLI.0015"), Some("The job 130 is already running.")),
        ]
    );
}

/// The page's answer: one result per job, each read on its own.
#[tokio::test]
async fn batch_run_flink_jobs_200_answers_one_result_per_job() {
    let value = replay_ok("dli-flink-v1/batch_run_flink_jobs.200", run).await;
    let results: &[FlinkJobResult] = value.as_deref().unwrap();
    assert_eq!(results.len(), 4);
    for result in results {
        assert_eq!(succeeded(result.is_success.as_ref()), Some(true));
    }
}

/// Beyond the page: the table's Boolean flag and a refused job beside an accepted one.
#[tokio::test]
async fn batch_run_flink_jobs_reads_boolean_and_string_flags_per_job() {
    let value = replay_ok(
        "dli-flink-v1/batch_run_flink_jobs.200.mixed-flags",
        |url: String| async move {
            Client::with_runtime(&url, replay::runtime())
                .batch_run_flink_jobs()
                .project_id(PROJECT)
                .body(BatchRunFlinkJobsRequest::builder().job_ids(vec![131, 999]))
                .send()
                .await
        },
    )
    .await;
    let results = value.as_deref().unwrap();
    assert_eq!(results[0].is_success, Some(FlinkSuccessFlag::Boolean(true)));
    assert_eq!(
        results[1].is_success,
        Some(FlinkSuccessFlag::String("false".into()))
    );
    let flags: Vec<_> = results
        .iter()
        .map(|r| succeeded(r.is_success.as_ref()))
        .collect();
    assert_eq!(flags, [Some(true), Some(false)]);
    assert_eq!(
        results[1].message.as_deref(),
        Some("The job does not exist.")
    );
}

async fn stop(url: String) -> Reply<FlinkJobResults> {
    Client::with_runtime(&url, replay::runtime())
        .batch_stop_flink_jobs()
        .project_id(PROJECT)
        .body(
            BatchStopFlinkJobsRequest::builder()
                .job_ids(vec![128, 137])
                .trigger_savepoint(Some(false)),
        )
        .send()
        .await
}

#[tokio::test]
async fn batch_stop_flink_jobs_200_answers_one_result_per_job() {
    let value = replay_ok("dli-flink-v1/batch_stop_flink_jobs.200", stop).await;
    let results = value.as_deref().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(succeeded(results[0].is_success.as_ref()), Some(true));
}

/// The batch stop's answer read as one cancel outcome per job (`x-cancel` `per_item: ''`),
/// whether the service writes `is_success` as a Boolean or a string; an error answer is the
/// call's one outcome.
#[tokio::test]
async fn batch_stop_flink_jobs_reads_one_cancel_outcome_per_job() {
    use dli_flink_v1::{CancelOutcome, CancelOutcomeExt};
    let answer = |body: serde_json::Value| async move {
        let server = wiremock::MockServer::start().await;
        replay::refuse_bad_signatures(&server).await;
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
        server
    };
    let refused = |message: &str| CancelOutcome::Refused {
        status: 200,
        code: None,
        message: Some(message.into()),
    };
    let cases = [
        (
            serde_json::json!([
                {"is_success": true, "message": "stopping"},
                {"is_success": "false", "message": "The job does not exist."},
                {"is_success": "true"},
                {"is_success": false, "message": "already stopped"},
            ]),
            vec![
                CancelOutcome::Accepted,
                refused("The job does not exist."),
                CancelOutcome::Accepted,
                refused("already stopped"),
            ],
        ),
        (serde_json::json!([]), vec![]),
        // The page's example answer.
        (
            serde_json::json!([{"is_success": "true", "message": "The request for stopping DLI jobs is successfully delivered."}]),
            vec![CancelOutcome::Accepted],
        ),
    ];
    for (body, expected) in cases {
        let server = answer(body.clone()).await;
        let result = stop(server.uri()).await;
        assert_eq!(result.cancel_outcomes(), expected, "{body}");
    }
}

async fn delete(url: String) -> Reply<FlinkJobResult> {
    Client::with_runtime(&url, replay::runtime())
        .delete_flink_job()
        .project_id(PROJECT)
        .job_id("104")
        .send()
        .await
}

#[tokio::test]
async fn delete_flink_job_200_reads_the_repaired_example() {
    let value = replay_ok("dli-flink-v1/delete_flink_job.200", delete).await;
    assert_eq!(succeeded(value.is_success.as_ref()), Some(true));
    assert_eq!(
        value.message.as_deref(),
        Some("The job is successfully deleted.")
    );
}

async fn batch_delete(url: String) -> Reply<FlinkJobResults> {
    Client::with_runtime(&url, replay::runtime())
        .batch_delete_flink_jobs()
        .project_id(PROJECT)
        .body_map(|b| b.job_ids(vec![12, 232]))
        .send()
        .await
}

#[tokio::test]
async fn batch_delete_flink_jobs_200_answers_one_result_per_job() {
    let value = replay_ok("dli-flink-v1/batch_delete_flink_jobs.200", batch_delete).await;
    let results = value.as_deref().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(succeeded(results[0].is_success.as_ref()), Some(true));
}

async fn graph(url: String) -> Reply<ShowFlinkJobExecutionGraphResult> {
    Client::with_runtime(&url, replay::runtime())
        .show_flink_job_execution_graph()
        .project_id(PROJECT)
        .job_id("104")
        .send()
        .await
}

#[tokio::test]
async fn show_flink_job_execution_graph_200_reads_hyphenated_fields() {
    let value = replay_ok("dli-flink-v1/show_flink_job_execution_graph.200", graph).await;
    let graph = value.execute_graph.unwrap();
    assert_eq!(
        graph.jid.as_deref(),
        Some("4e966f43f2c90b0e1bf3188ecf55504b")
    );
    assert_eq!(graph.start_time, Some(1578904488436));
    assert_eq!(graph.end_time, Some(-1));
    assert_eq!(graph.is_stoppable, Some(false));
    assert_eq!(graph.state.as_deref(), Some("RUNNING"));
}

async fn export(url: String) -> Reply<ExportFlinkJobsResult> {
    Client::with_runtime(&url, replay::runtime())
        .export_flink_jobs()
        .project_id(PROJECT)
        .body_map(|b| {
            b.obs_dir("obs-test".parse::<ExportFlinkJobsRequestObsDir>().unwrap())
                .is_selected(true)
                .job_selected(vec![100])
        })
        .send()
        .await
}

#[tokio::test]
async fn export_flink_jobs_200_names_the_zip_files() {
    let value = replay_ok("dli-flink-v1/export_flink_jobs.200", export).await;
    assert_eq!(value.is_success, Some(FlinkSuccessFlag::Boolean(true)));
    assert_eq!(
        value.zip_file,
        Some(vec!["obs-test/aggregate_1582677879475.zip".to_owned()])
    );
}

async fn import(url: String) -> Reply<ImportFlinkJobsResult> {
    Client::with_runtime(&url, replay::runtime())
        .import_flink_jobs()
        .project_id(PROJECT)
        .body_map(|b| {
            b.zip_file(
                "test/ggregate_1582677879475.zip"
                    .parse::<ImportFlinkJobsRequestZipFile>()
                    .unwrap(),
            )
            .is_cover(Some(true))
        })
        .send()
        .await
}

/// The table types the mapping's IDs Long, the example sends strings: both decode.
#[tokio::test]
async fn import_flink_jobs_200_maps_old_to_new_ids_written_as_strings() {
    let value = replay_ok("dli-flink-v1/import_flink_jobs.200", import).await;
    let mapping = &value.job_mapping.unwrap()[0];
    assert_eq!(
        mapping.old_job_id,
        Some(FlinkJobIdValue::String("100".into()))
    );
    assert_eq!(
        mapping.new_job_id,
        Some(FlinkJobIdValue::String("200".into()))
    );
    let numeric: dli_flink_v1::types::FlinkJobMapping =
        serde_json::from_value(serde_json::json!({"old_job_id": 100, "new_job_id": -1})).unwrap();
    assert_eq!(numeric.new_job_id, Some(FlinkJobIdValue::Int64(-1)));
}

async fn create_template(url: String) -> Reply<CreateFlinkTemplateResult> {
    Client::with_runtime(&url, replay::runtime())
        .create_flink_template()
        .project_id(PROJECT)
        .body_map(|b| {
            b.name(
                "simple_stream_sql"
                    .parse::<CreateFlinkTemplateRequestName>()
                    .unwrap(),
            )
            .desc(Some("Example of quick start".parse().unwrap()))
            .sql_body(Some("select * from source_table".parse().unwrap()))
            .job_type(Some("flink_sql_job".to_owned()))
        })
        .send()
        .await
}

#[tokio::test]
async fn create_flink_template_200_returns_the_template() {
    let value = replay_ok("dli-flink-v1/create_flink_template.200", create_template).await;
    assert_eq!(value.is_success, Some(FlinkSuccessFlag::Boolean(true)));
    let template = value.template.unwrap();
    assert_eq!(template.template_id, Some(0));
    assert_eq!(template.create_time, Some(1516952710040));
    assert_eq!(
        template.job_type.as_deref(),
        Some("flink_opensource_sql_job")
    );
    assert!(
        "x".repeat(65)
            .parse::<CreateFlinkTemplateRequestName>()
            .is_err()
    );
}

async fn list_templates(url: String) -> Reply<ListFlinkTemplatesResult> {
    Client::with_runtime(&url, replay::runtime())
        .list_flink_templates()
        .project_id(PROJECT)
        .limit(10)
        .offset(0)
        .send()
        .await
}

#[tokio::test]
async fn list_flink_templates_200_reads_the_nested_template_list() {
    let value = replay_ok("dli-flink-v1/list_flink_templates.200", list_templates).await;
    let list = value.template_list.unwrap();
    assert_eq!(list.total_count, Some(2));
    let templates = list.templates.unwrap();
    assert_eq!(templates[0].template_id, Some(2));
    assert_eq!(templates[1].job_type, None);
    assert_eq!(templates[1].update_time, Some(1577951045000));
}

async fn update_template(url: String) -> Reply<FlinkJobResult> {
    Client::with_runtime(&url, replay::runtime())
        .update_flink_template()
        .project_id(PROJECT)
        .template_id("2")
        .body_map(|b| {
            b.name(Some("simple_stream_sql".parse().unwrap()))
                .desc(Some("Example of quick start".parse().unwrap()))
                .sql_body(Some("select * from source_table".parse().unwrap()))
        })
        .send()
        .await
}

async fn delete_template(url: String) -> Reply<DeleteFlinkTemplateResult> {
    Client::with_runtime(&url, replay::runtime())
        .delete_flink_template()
        .project_id(PROJECT)
        .template_id("2")
        .send()
        .await
}

#[tokio::test]
async fn update_and_delete_flink_template_200_read_their_answers() {
    let updated = replay_ok("dli-flink-v1/update_flink_template.200", update_template).await;
    assert_eq!(succeeded(updated.is_success.as_ref()), Some(true));
    let deleted = replay_ok("dli-flink-v1/delete_flink_template.200", delete_template).await;
    assert_eq!(succeeded(deleted.is_success.as_ref()), Some(true));
    assert_eq!(deleted.template.and_then(|t| t.template_id), Some(2));
}

/// Every documented 400 decodes as the shared DLI error body (a batch run's may also be an array:
/// `batch_run_flink_jobs_400_decodes_the_object_and_the_array`).
#[tokio::test]
async fn every_documented_400_is_the_typed_dli_error() {
    let mut errors = Vec::new();
    errors.extend(replay_errs(&["dli-flink-v1/create_flink_sql_job.400"], create).await);
    errors.extend(replay_errs(&["dli-flink-v1/create_flink_jar_job.400"], create_jar).await);
    errors.extend(replay_errs(&["dli-flink-v1/update_flink_sql_job.400"], update_sql).await);
    errors.extend(replay_errs(&["dli-flink-v1/update_flink_jar_job.400"], update_jar).await);
    errors.extend(replay_errs(&["dli-flink-v1/show_flink_job_execution_graph.400"], graph).await);
    errors.extend(replay_errs(&["dli-flink-v1/export_flink_jobs.400"], export).await);
    errors.extend(replay_errs(&["dli-flink-v1/import_flink_jobs.400"], import).await);
    errors.extend(replay_errs(&["dli-flink-v1/create_flink_template.400"], create_template).await);
    errors.extend(replay_errs(&["dli-flink-v1/list_flink_templates.400"], list_templates).await);
    errors.extend(replay_errs(&["dli-flink-v1/update_flink_template.400"], update_template).await);
    errors.extend(replay_errs(&["dli-flink-v1/delete_flink_template.400"], delete_template).await);
    errors.extend(replay_errs(&["dli-flink-v1/list_flink_jobs.400"], list).await);
    errors.extend(replay_errs(&["dli-flink-v1/show_flink_job.400"], show).await);
    errors.extend(replay_errs(&["dli-flink-v1/batch_stop_flink_jobs.400"], stop).await);
    errors.extend(replay_errs(&["dli-flink-v1/delete_flink_job.400"], delete).await);
    errors.extend(replay_errs(&["dli-flink-v1/batch_delete_flink_jobs.400"], batch_delete).await);
    errors.extend(
        replay_errs(
            &["dli-flink-v1/create_flink_sql_job_graph.400"],
            stream_graph,
        )
        .await,
    );
    assert_eq!(errors.len(), 17);
    for error in errors {
        assert_eq!(error.error_code.as_deref(), Some("DLI.0001"));
    }
}

/// The page's example: the static stream graph of a datagen-to-print job, with resource
/// estimates.
async fn stream_graph(url: String) -> Reply<dli_flink_v1::types::CreateFlinkSqlJobGraphResult> {
    let body: dli_flink_v1::types::CreateFlinkSqlJobGraphRequest = serde_json::from_value(serde_json::json!({
        "job_type": "flink_opensource_sql_job",
        "graph_type": "job_graph",
        "sql_body": "create table orders(\r\n  name string,\r\n  num int\r\n) with (\r\n  'connector' = 'datagen',\r\n  'rows-per-second' = '1', --Generate a data record per second.\r\n  'fields.name.kind' = 'random', --Specify a random generator for the user_id field.\r\n  'fields.name.length' = '5' --Limit the length of user_id to 3.\r\n);\r\n \r\nCREATE TABLE sink_table (\r\n  name string,\r\n  num int\r\n) WITH (\r\n   'connector' = 'print'\r\n);\r\nINSERT into sink_table SELECT * FROM orders;",
        "cu_number": 2,
        "manager_cu_number": 1,
        "parallel_number": 2,
        "tm_cus": 1,
        "tm_slot_num": 0,
        "operator_config": "",
        "static_estimator": true,
        "flink_version": "1.12",
        "static_estimator_config": "{\"operator_list\":[{\"id\":\"0a448493b4782967b150582570326227\",\"output_rate\":1000},{\"id\":\"bc764cd8ddf7a0cff126f51c16239658\",\"output_rate\":1000}]}",
    }))
    .unwrap();
    Client::with_runtime(&url, replay::runtime())
        .create_flink_sql_job_graph()
        .project_id(PROJECT)
        .job_id("104")
        .body(body)
        .send()
        .await
}

/// The graph is a JSON document in a string: it parses, with the page's two operators
/// (source, then sink) linked.
#[tokio::test]
async fn create_flink_sql_job_graph_200_answers_the_graph_as_json_text() {
    let answer = replay_ok("dli-flink-v1/create_flink_sql_job_graph.200", stream_graph).await;
    assert_eq!(answer.is_success, Some(true));
    assert_eq!(answer.error_code.as_deref(), Some(""));
    let graph: serde_json::Value =
        serde_json::from_str(answer.stream_graph.as_deref().unwrap()).unwrap();
    assert_eq!(graph["jid"], "44334c4259f6714bddef1ac525364052");
    let operators: Vec<&str> = graph["operator_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["type"].as_str().unwrap())
        .collect();
    assert_eq!(operators, ["Sink", "Source"]);
    assert_eq!(
        graph["nodes"][0]["inputs"][0]["id"],
        graph["operator_list"][1]["id"]
    );
}
