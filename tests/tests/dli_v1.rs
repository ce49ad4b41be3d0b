//! DLI v1 SQL jobs, replayed from the docs' examples: submit, list, status, detail, preview,
//! export, check, progress and cancel.

use dli_v1::{
    Client, Error,
    types::{
        CancelSqlJobResult, CheckSqlResult, CreateSqlJobRequestCurrentdb,
        CreateSqlJobRequestQueueName, CreateSqlJobResult, DliError, ExportSqlJobResultResult,
        JobMode, KnownJobMode, KnownSqlJobOrder, KnownSqlJobStatus, KnownSqlJobType,
        ListSqlJobsResult, PreviewSqlJobResult, SqlJobCount, SqlJobDetail, SqlJobProgress,
        SqlJobStatus, SqlJobStatusResult, SqlJobType, TagInput,
    },
};
use replay::ids::{JOB, PROJECT};
use replay::{ErrorRow, ResponseValue, erase, replay_error_table, replay_ok, serve_undeclared};

type Reply<T> = Result<ResponseValue<T>, Error<DliError>>;

fn tag(key: &str, value: &str) -> TagInput {
    TagInput::builder()
        .key(key)
        .value(value)
        .try_into()
        .expect("a valid tag")
}

async fn create(url: String) -> Reply<CreateSqlJobResult> {
    Client::with_runtime(&url, replay::runtime())
        .create_sql_job()
        .project_id(PROJECT)
        .body_map(|b| {
            b.sql("desc table1")
                .currentdb(Some("db1".parse::<CreateSqlJobRequestCurrentdb>().unwrap()))
                .queue_name(Some(
                    "default".parse::<CreateSqlJobRequestQueueName>().unwrap(),
                ))
                .conf(vec!["dli.sql.shuffle.partitions = 200".to_owned()])
                .tags(vec![tag("workspace", "space1"), tag("jobName", "name1")])
        })
        .send()
        .await
}

#[tokio::test]
async fn create_sql_job_200_returns_the_inline_ddl_result() {
    let value = replay_ok("dli-v1/create_sql_job.200", create).await;
    assert_eq!(value.job_type, Some(SqlJobType::from(KnownSqlJobType::Ddl)));
    assert_eq!(value.job_mode, Some(JobMode::from(KnownJobMode::Sync)));
    assert_eq!(
        value.schema.as_deref().unwrap()[0]
            .get("col_name")
            .map(String::as_str),
        Some("string")
    );
    // Cells may be null: the doc's example rows end with a null comment.
    assert_eq!(
        value.rows.as_deref().unwrap()[0],
        vec![Some("c1".to_owned()), Some("int".to_owned()), None]
    );
}

#[test]
fn create_sql_job_refuses_a_database_name_the_docs_forbid() {
    for bad in ["_tmp", "123", "db-1", ""] {
        assert!(
            bad.parse::<CreateSqlJobRequestCurrentdb>().is_err(),
            "{bad:?} must be refused"
        );
    }
    assert!(
        TagInput::builder()
            .key("_sys_x")
            .value("v")
            .try_into()
            .map(|_: TagInput| ())
            .is_err()
    );
}

async fn list(url: String) -> Reply<ListSqlJobsResult> {
    Client::with_runtime(&url, replay::runtime())
        .list_sql_jobs()
        .project_id(PROJECT)
        .page_size(50u32)
        .current_page(1u32)
        // Open enums take the service's string (tests/open_enums.rs).
        .job_type("QUERY")
        .job_status(KnownSqlJobStatus::Finished)
        .order(KnownSqlJobOrder::StartTimeDesc)
        .tags("workspace=space1,jobName=name1")
        .send()
        .await
}

#[tokio::test]
async fn list_sql_jobs_200_sends_the_hyphenated_filters() {
    let value = replay_ok("dli-v1/list_sql_jobs.200", list).await;
    assert_eq!(value.job_count, Some(1));
    let job = &value.jobs.as_deref().unwrap()[0];
    assert_eq!(
        job.status,
        Some(SqlJobStatus::from(KnownSqlJobStatus::Finished))
    );
    assert_eq!(job.duration, Some(17731));
    assert_eq!(job.with_column_header, Some(false));
}

#[tokio::test]
async fn list_sql_jobs_survives_unknown_statuses_types_fields_and_nulls() {
    let value = replay_ok(
        "dli-v1/list_sql_jobs.200.service-drift",
        |url: String| async move {
            Client::with_runtime(&url, replay::runtime())
                .list_sql_jobs()
                .project_id(PROJECT)
                .job_types(vec![
                    KnownSqlJobType::Query.into(),
                    KnownSqlJobType::Insert.into(),
                ])
                .page_size(10u32)
                .send()
                .await
        },
    )
    .await;
    let jobs = value.jobs.as_deref().unwrap();
    assert_eq!(
        jobs[0].status,
        Some(SqlJobStatus::from(KnownSqlJobStatus::Scaling))
    );
    let drifted = &jobs[1];
    assert_eq!(
        drifted.status,
        Some(SqlJobStatus::Other("QUEUED_FOR_RESOURCES".into()))
    );
    assert_eq!(
        drifted.job_type,
        Some(SqlJobType::Other("SPARK_SQL_V2".into()))
    );
    assert_eq!(drifted.end_time, None);
    assert_eq!(drifted.tags, None);
    // Fields the docs omit and the vendor SDK's newer model decodes.
    assert_eq!(
        (drifted.cpu_cost.clone(), drifted.output_byte.clone()),
        (
            Some(SqlJobCount::Number(112)),
            Some(SqlJobCount::Number(2048))
        )
    );
}

async fn status(url: String) -> Reply<SqlJobStatusResult> {
    Client::with_runtime(&url, replay::runtime())
        .show_sql_job_status()
        .project_id(PROJECT)
        .job_id(JOB)
        .send()
        .await
}

#[tokio::test]
async fn show_sql_job_status_200_reads_the_finished_query() {
    let value = replay_ok("dli-v1/show_sql_job_status.200", status).await;
    assert_eq!(
        value.status,
        Some(SqlJobStatus::from(KnownSqlJobStatus::Finished))
    );
    assert_eq!(value.job_mode, Some(JobMode::from(KnownJobMode::Async)));
    assert_eq!(value.result_count, Some(4));
    assert_eq!(value.database_name.as_deref(), Some("dbtest"));
}

#[tokio::test]
async fn show_sql_job_status_reads_scaling_and_an_unlisted_mode() {
    let value = replay_ok("dli-v1/show_sql_job_status.200.scaling", status).await;
    assert_eq!(
        value.status,
        Some(SqlJobStatus::from(KnownSqlJobStatus::Scaling))
    );
    assert_eq!(value.job_mode, Some(JobMode::Other("batch".into())));
}

async fn detail(url: String) -> Reply<SqlJobDetail> {
    Client::with_runtime(&url, replay::runtime())
        .show_sql_job_detail()
        .project_id(PROJECT)
        .job_id(JOB)
        .send()
        .await
}

#[tokio::test]
async fn show_sql_job_detail_200_reads_an_import_job() {
    let value = replay_ok("dli-v1/show_sql_job_detail.200", detail).await;
    assert_eq!(value.data_type.as_deref(), Some("json"));
    assert_eq!(value.escape_char.as_deref(), Some("\\"));
    assert_eq!(value.quote_char.as_deref(), Some("\""));
    assert_eq!(value.export_mode, None);
}

#[tokio::test]
async fn show_sql_job_detail_200_reads_an_export_job_without_import_fields() {
    let value = replay_ok("dli-v1/show_sql_job_detail.200.export", detail).await;
    assert_eq!(value.export_mode.as_deref(), Some("Overwrite"));
    assert_eq!(value.compress.as_deref(), Some("none"));
    assert_eq!(value.delimiter, None);
}

async fn preview(url: String) -> Reply<PreviewSqlJobResult> {
    Client::with_runtime(&url, replay::runtime())
        .preview_sql_job_result()
        .project_id(PROJECT)
        .job_id(JOB)
        .queue_name("queue1")
        .send()
        .await
}

#[tokio::test]
async fn preview_sql_job_result_200_reads_mixed_cells() {
    let value = replay_ok("dli-v1/preview_sql_job_result.200", preview).await;
    assert_eq!(value.row_count, Some(1));
    assert_eq!(
        value.rows,
        Some(vec![vec![serde_json::json!(23), serde_json::json!("sda")]])
    );
    assert_eq!(
        value.schema.as_deref().unwrap()[1]
            .get("c2")
            .map(String::as_str),
        Some("string")
    );
}

async fn export(url: String) -> Reply<ExportSqlJobResultResult> {
    Client::with_runtime(&url, replay::runtime())
        .export_sql_job_result()
        .project_id(PROJECT)
        .job_id(JOB)
        .body_map(|b| {
            b.data_path("obs://obs-bucket1/path")
                .data_type("json")
                .compress(Some(dli_v1::types::KnownCompressType::Gzip.into()))
                .with_column_header(Some(true))
                .queue_name(Some("queue2".to_owned()))
                .limit_num(Some(10))
        })
        .send()
        .await
}

#[tokio::test]
async fn export_sql_job_result_200_returns_the_export_job() {
    let value = replay_ok("dli-v1/export_sql_job_result.200", export).await;
    assert_eq!(
        value.job_id.as_deref(),
        Some("37a40ef9-86f5-42e6-b4c6-8febec89cc20")
    );
    assert_eq!(value.job_mode, Some(JobMode::from(KnownJobMode::Async)));
}

async fn check(url: String) -> Reply<CheckSqlResult> {
    Client::with_runtime(&url, replay::runtime())
        .check_sql()
        .project_id(PROJECT)
        .body_map(|b| b.sql("select * from t1").currentdb(Some("db1".to_owned())))
        .send()
        .await
}

#[tokio::test]
async fn check_sql_200_says_the_sql_is_ok() {
    let value = replay_ok("dli-v1/check_sql.200", check).await;
    assert_eq!(value.message.as_deref(), Some("the sql is ok"));
    assert_eq!(
        value.job_type,
        Some(SqlJobType::from(KnownSqlJobType::Query))
    );
}

async fn progress(url: String) -> Reply<SqlJobProgress> {
    Client::with_runtime(&url, replay::runtime())
        .show_sql_job_progress()
        .project_id(PROJECT)
        .job_id(JOB)
        .send()
        .await
}

#[tokio::test]
async fn show_sql_job_progress_200_is_under_v1_and_reads_sub_jobs() {
    let value = replay_ok("dli-v1/show_sql_job_progress.200", progress).await;
    assert_eq!(value.progress, Some(0.0));
    let sub_job = &value.sub_jobs.as_deref().unwrap()[0];
    assert_eq!(
        sub_job.submission_time.as_deref(),
        Some("Mon Jul 27 17:24:03 CST 2020")
    );
    assert_eq!(sub_job.stage_ids, Some(vec![0]));
}

async fn cancel(url: String) -> Reply<CancelSqlJobResult> {
    Client::with_runtime(&url, replay::runtime())
        .cancel_sql_job()
        .project_id(PROJECT)
        .job_id(JOB)
        .send()
        .await
}

#[tokio::test]
async fn cancel_sql_job_200_reports_success() {
    let value = replay_ok("dli-v1/cancel_sql_job.200", cancel).await;
    assert_eq!(value.is_success, Some(true));
    assert_eq!(value.message.as_deref(), Some(""));
}

#[tokio::test]
async fn ids_outside_the_documented_patterns_are_refused_before_sending() {
    let server = serve_undeclared(200).await;
    let bad_project = Client::with_runtime(&server.uri(), replay::runtime())
        .cancel_sql_job()
        .project_id("not/a-project")
        .job_id(JOB)
        .send()
        .await;
    let bad_job = Client::with_runtime(&server.uri(), replay::runtime())
        .show_sql_job_status()
        .project_id(PROJECT)
        .job_id("44b37a20 ffe8")
        .send()
        .await;
    for (result, field) in [
        (bad_project.map(|_| ()), "project_id"),
        (bad_job.map(|_| ()), "job_id"),
    ] {
        match result {
            Err(Error::InvalidRequest(message)) => assert!(message.contains(field), "{message}"),
            other => panic!("expected InvalidRequest naming {field}, got {other:?}"),
        }
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );
}

/// DLI's answers to a queue that does not exist and to a failure of its own.
const NO_QUEUE: (&str, &str) = ("DLI.0002", "There is no queue named testqueue");
const SERVER_SIDE: (&str, &str) = ("DLI.0999", "Server-side errors.");

/// The code and message of a DLI error.
fn said(error: &DliError) -> (String, String) {
    let text = |field: &Option<String>| field.clone().unwrap_or_default();
    (text(&error.error_code), text(&error.error_msg))
}
/// Every documented error status of every operation whose error is `DliError`: the exact
/// request asserted, the typed error checked against the recorded body, and the code and
/// message it carries.
#[tokio::test]
async fn every_documented_error_is_typed() {
    #[rustfmt::skip]
    let table: &[ErrorRow<DliError>] = &[
        ("dli-v1/create_sql_job.400", |url| erase(create(url)), NO_QUEUE),
        ("dli-v1/create_sql_job.500", |url| erase(create(url)), SERVER_SIDE),
        ("dli-v1/list_sql_jobs.400", |url| erase(list(url)), NO_QUEUE),
        ("dli-v1/list_sql_jobs.500", |url| erase(list(url)), SERVER_SIDE),
        ("dli-v1/show_sql_job_status.400", |url| erase(status(url)), NO_QUEUE),
        ("dli-v1/show_sql_job_status.500", |url| erase(status(url)), SERVER_SIDE),
        ("dli-v1/show_sql_job_detail.400", |url| erase(detail(url)), NO_QUEUE),
        ("dli-v1/show_sql_job_detail.500", |url| erase(detail(url)), SERVER_SIDE),
        ("dli-v1/preview_sql_job_result.400", |url| erase(preview(url)), NO_QUEUE),
        ("dli-v1/preview_sql_job_result.500", |url| erase(preview(url)), SERVER_SIDE),
        ("dli-v1/export_sql_job_result.400", |url| erase(export(url)), NO_QUEUE),
        ("dli-v1/export_sql_job_result.500", |url| erase(export(url)), SERVER_SIDE),
        ("dli-v1/check_sql.400", |url| erase(check(url)), ("DLI.0004", "SQL syntax parse error.")),
        ("dli-v1/check_sql.500", |url| erase(check(url)), SERVER_SIDE),
        ("dli-v1/show_sql_job_progress.400", |url| erase(progress(url)),
            ("DLI.0999", "The queue backend version is too old or the queue is busy.")),
        ("dli-v1/cancel_sql_job.400", |url| erase(cancel(url)), NO_QUEUE),
        ("dli-v1/cancel_sql_job.500", |url| erase(cancel(url)), NO_QUEUE),
        ("dli-v1/create_global_variable.400", |url| erase(create_variable(url)),
            ("DLI.0999", "The object exists.")),
        ("dli-v1/list_global_variables.400", |url| erase(list_variables(url)),
            ("DLI.0001", "Parameter check errors occur.")),
        ("dli-v1/delete_global_variable.400", |url| erase(delete_variable(url)),
            ("DLI.0001", "Parameter check errors occur.")),
        ("dli-v1/update_global_variable.400", |url| erase(update_variable(url)),
            ("DLI.12004", "The job does not exist. Check the reason or create a job.")),
    ];
    replay_error_table(table, said).await;
}

// --- global variables: create, list, modify, delete ---

/// What a caller really sends as a sensitive variable's value; cassettes show `<scrubbed>`.
const VALUE: &str = "obs-access-key-of-the-etl-job";
/// The pages' example variable (its name is the word `string`).
const VARIABLE: &str = "string";

fn new_variable() -> dli_v1::types::CreateGlobalVariableRequest {
    dli_v1::types::CreateGlobalVariableRequest::builder()
        .var_name(VARIABLE)
        .var_value(cloud_runtime::Secret::new(VALUE))
        .is_sensitive(Some(true))
        .try_into()
        .expect("a valid variable")
}

async fn create_variable(url: String) -> Reply<dli_v1::types::GlobalVariableResult> {
    dli_v1::Client::with_runtime(&url, replay::runtime())
        .create_global_variable()
        .project_id(PROJECT)
        .body(new_variable())
        .send()
        .await
}

async fn list_variables(url: String) -> Reply<dli_v1::types::ListGlobalVariablesResult> {
    dli_v1::Client::with_runtime(&url, replay::runtime())
        .list_global_variables()
        .project_id(PROJECT)
        .limit(100)
        .offset(0)
        .send()
        .await
}

async fn delete_variable(url: String) -> Reply<dli_v1::types::GlobalVariableResult> {
    dli_v1::Client::with_runtime(&url, replay::runtime())
        .delete_global_variable()
        .project_id(PROJECT)
        .var_name(VARIABLE)
        .send()
        .await
}

async fn update_variable(url: String) -> Reply<dli_v1::types::GlobalVariableResult> {
    dli_v1::Client::with_runtime(&url, replay::runtime())
        .update_global_variable()
        .project_id(PROJECT)
        .var_name(VARIABLE)
        .body_map(|b| b.var_value(cloud_runtime::Secret::new(VALUE)))
        .send()
        .await
}

#[tokio::test]
async fn global_variable_changes_200_are_successes() {
    for (name, value) in [
        (
            "create",
            replay_ok("dli-v1/create_global_variable.200", create_variable).await,
        ),
        (
            "update",
            replay_ok("dli-v1/update_global_variable.200", update_variable).await,
        ),
        (
            "delete",
            replay_ok("dli-v1/delete_global_variable.200", delete_variable).await,
        ),
    ] {
        assert_eq!(value.is_success, Some(true), "{name}");
        assert_eq!(value.message.as_deref(), Some("string"), "{name}");
    }
}

/// A variable's value is a secret field: sent as given, never shown by `Debug`.
#[test]
fn a_global_variable_value_never_shows_in_debug() {
    let request = new_variable();
    let shown = format!("{request:?}");
    assert!(!shown.contains(VALUE), "{shown}");
    assert!(shown.contains(VARIABLE), "{shown}");
    let sent = serde_json::to_value(&request).unwrap();
    assert_eq!(sent["var_value"], VALUE);
}

#[tokio::test]
async fn list_global_variables_200_reads_the_page() {
    let value = replay_ok("dli-v1/list_global_variables.200", list_variables).await;
    assert_eq!(value.count, Some(0));
    let variable = &value.global_vars.as_deref().unwrap()[0];
    assert_eq!(variable.id, Some(0));
    assert_eq!(variable.var_name.as_deref(), Some(VARIABLE));
    assert_eq!(variable.is_sensitive, None);
}

#[tokio::test]
async fn global_variable_names_the_docs_forbid_are_refused_before_sending() {
    let server = serve_undeclared(200).await;
    for bad in ["", "_var", "12345", "var-1", "var 1"] {
        let sent = dli_v1::Client::with_runtime(&server.uri(), replay::runtime())
            .delete_global_variable()
            .project_id(PROJECT)
            .var_name(bad)
            .send()
            .await;
        assert!(
            matches!(sent, Err(Error::InvalidRequest(_))),
            "{bad:?}: {sent:?}"
        );
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );
}
