//! MRS v2 SQL and job APIs, replayed from the docs' examples.

use mrs_v2::{
    Client, Error,
    types::{
        JobDetail, JobExecutionRequestArgumentsItem, JobExecutionRequestJobName, JobList,
        JobResult, JobSqlResult, JobState, JobSubmitResponse, JobSubmitState, JobType,
        KnownJobResult, KnownJobState, KnownJobSubmitState, KnownJobType, KnownSortOrder,
        KnownSqlCancelStatus, KnownSqlStatus, KnownSqlType, MrsError, SqlCancelResult,
        SqlCancelStatus, SqlExecution, SqlExecutionError, SqlExecutionRequestSqlContent, SqlStatus,
    },
};
use replay::ids::{CLUSTER, JOB, PROJECT, SQL_ID};
use replay::{
    ErrorRow, ResponseValue, erase, replay_error_table, replay_errs, replay_ok, serve_undeclared,
};

type Reply<T> = Result<ResponseValue<T>, Error<MrsError>>;

async fn execute(url: String) -> Result<ResponseValue<SqlExecution>, Error<SqlExecutionError>> {
    Client::with_runtime(&url, replay::runtime())
        .execute_sql()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .body_map(|b| {
            b.sql_type(KnownSqlType::Presto)
                .sql_content("show tables")
                .database(Some("default".to_owned()))
                .archive_path(Some("obs://my-bucket/path".to_owned()))
        })
        .send()
        .await
}

#[tokio::test]
async fn execute_sql_200_reads_sql_id_and_the_flat_content() {
    let value = replay_ok("mrs-v2/execute_sql.200", execute).await;
    assert_eq!(value.sql_id.as_deref(), Some(SQL_ID));
    assert_eq!(value.id, None, "the example names the field sql_id, not id");
    assert_eq!(
        value.status,
        Some(SqlStatus::from(KnownSqlStatus::Finished))
    );
    let content = value.content.unwrap();
    assert_eq!(
        content[..2],
        [serde_json::Value::Null, serde_json::json!("t1")]
    );
}

#[tokio::test]
async fn execute_sql_failures_of_both_doc_versions_decode_into_one_error_type() {
    let errors = replay_errs(
        &["mrs-v2/execute_sql.400", "mrs-v2/execute_sql.500"],
        execute,
    )
    .await;
    assert_eq!(errors[0].error_code.as_deref(), Some("MRS.0011"));
    assert_eq!(
        errors[1].status,
        Some(SqlStatus::from(KnownSqlStatus::Failed))
    );
    assert_eq!(errors[1].sql_id.as_deref(), Some(SQL_ID));
}

#[test]
fn execute_sql_refuses_more_than_one_statement() {
    assert!(
        "show tables; drop table t1"
            .parse::<SqlExecutionRequestSqlContent>()
            .is_err()
    );
    assert!("".parse::<SqlExecutionRequestSqlContent>().is_err());
}

async fn result(url: String) -> Reply<SqlExecution> {
    Client::with_runtime(&url, replay::runtime())
        .show_sql_result()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .sql_id(SQL_ID)
        .send()
        .await
}

#[tokio::test]
async fn show_sql_result_200_reads_nested_content() {
    let value = replay_ok("mrs-v2/show_sql_result.200", result).await;
    assert_eq!(value.id.as_deref(), Some(SQL_ID));
    assert_eq!(value.content.unwrap()[2], serde_json::json!(["t3", null]));
}

async fn cancel(url: String) -> Result<ResponseValue<SqlCancelResult>, Error<SqlCancelResult>> {
    Client::with_runtime(&url, replay::runtime())
        .cancel_sql()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .sql_id(SQL_ID)
        .send()
        .await
}

#[tokio::test]
async fn cancel_sql_200_reports_succeed() {
    let value = replay_ok("mrs-v2/cancel_sql.200", cancel).await;
    assert_eq!(
        value.status,
        Some(SqlCancelStatus::from(KnownSqlCancelStatus::Succeed))
    );
    assert_eq!(value.message, None);
}

#[tokio::test]
async fn cancel_sql_failures_of_both_doc_versions_are_typed() {
    for error in replay_errs(&["mrs-v2/cancel_sql.400", "mrs-v2/cancel_sql.500"], cancel).await {
        assert_eq!(
            error.status,
            Some(SqlCancelStatus::from(KnownSqlCancelStatus::Failed))
        );
        assert_eq!(error.message.as_deref(), Some("Cancel sql error"));
    }
}

async fn submit(url: String) -> Reply<JobSubmitResponse> {
    let arguments = [
        "--master",
        "yarn",
        "--deploy-mode",
        "cluster",
        "--py-files",
        "obs://obs-test/a.py",
        "--conf",
        "spark.yarn.appMasterEnv.PYTHONPATH=/tmp",
        "--conf",
        "spark.yarn.appMasterEnv.aaa=aaaa",
        "--conf",
        "spark.executorEnv.aaa=executoraaa",
        "--properties-file",
        "obs://obs-test/test-spark.conf",
        "obs://obs-test/pi.py",
        "100000",
    ]
    .map(|a| a.parse::<JobExecutionRequestArgumentsItem>().unwrap());
    let properties: std::collections::HashMap<String, String> =
        [("fs.obs.access.key", "xxx"), ("fs.obs.secret.key", "yyy")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into();
    Client::with_runtime(&url, replay::runtime())
        .create_execute_job()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .body_map(|b| {
            b.job_name(
                "SparkSubmitTest"
                    .parse::<JobExecutionRequestJobName>()
                    .unwrap(),
            )
            .job_type(KnownJobType::SparkSubmit)
            .arguments(arguments.to_vec())
            .properties(properties)
        })
        .send()
        .await
}

#[tokio::test]
async fn create_execute_job_200_reads_the_nested_submit_result() {
    let value = replay_ok("mrs-v2/create_execute_job.200", submit).await;
    let result = value.job_submit_result.unwrap();
    assert_eq!(result.job_id.as_deref(), Some(JOB));
    assert_eq!(
        result.state,
        Some(JobSubmitState::from(KnownJobSubmitState::Complete))
    );
}

#[test]
fn create_execute_job_refuses_shell_metacharacters_in_arguments() {
    for bad in ["a;b", "x | y", "$HOME", "a>b"] {
        assert!(
            bad.parse::<JobExecutionRequestArgumentsItem>().is_err(),
            "{bad:?}"
        );
    }
    assert!(
        "name with space"
            .parse::<JobExecutionRequestJobName>()
            .is_err()
    );
}

async fn list(url: String) -> Reply<JobList> {
    Client::with_runtime(&url, replay::runtime())
        .show_job_exe_list_new()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .job_state(KnownJobState::Accepted)
        .limit(10u32)
        .offset(1u32)
        .sort_by(KnownSortOrder::Desc)
        .send()
        .await
}

#[tokio::test]
async fn show_job_exe_list_new_202_reads_arguments_and_properties_as_strings() {
    let value = replay_ok("mrs-v2/show_job_exe_list_new.202", list).await;
    assert_eq!(value.total_record, Some(1));
    let job = &value.job_list.unwrap()[0];
    assert_eq!(job.job_state, Some(JobState::from(KnownJobState::Accepted)));
    assert_eq!(
        job.job_result,
        Some(JobResult::from(KnownJobResult::Undefined))
    );
    assert!(
        job.arguments
            .as_deref()
            .unwrap()
            .starts_with("[--class, org.apache.spark")
    );
    assert_eq!(job.properties.as_deref(), Some("{}"));
    assert_eq!(job.queue.as_deref(), Some("default"));
}

#[tokio::test]
async fn show_job_exe_list_new_survives_unknown_states_nulls_and_fields() {
    let value = replay_ok(
        "mrs-v2/show_job_exe_list_new.202.service-drift",
        |url: String| async move {
            Client::with_runtime(&url, replay::runtime())
                .show_job_exe_list_new()
                .project_id(PROJECT)
                .cluster_id(CLUSTER)
                .limit(10u32)
                .send()
                .await
        },
    )
    .await;
    assert_eq!(value.total_record, None);
    let job = &value.job_list.unwrap()[0];
    assert_eq!(job.job_state, Some(JobState::Other("SUSPENDED".into())));
    assert_eq!(job.job_result, None);
    assert_eq!(job.job_type, Some(JobType::from(KnownJobType::SparkPython)));
}

/// The docs say "default 1" and state no minimum; the vendor SDK sends `offset=0`.
#[tokio::test]
async fn show_job_exe_list_new_sends_offset_zero_as_the_vendor_sdk_does() {
    let server = replay::RawListener::start(202, r#"{"total_record": 0, "job_list": []}"#).await;
    let result = Client::with_runtime(&server.url, replay::runtime())
        .show_job_exe_list_new()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .offset(0u32)
        .limit(0u32)
        .send()
        .await;
    assert!(result.is_ok(), "{result:?}");
    let line = &server.take()[0].line;
    assert!(line.contains("limit=0&offset=0"), "{line}");
}

async fn get(url: String) -> Reply<JobDetail> {
    Client::with_runtime(&url, replay::runtime())
        .show_single_job_exe()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .job_execution_id(JOB)
        .send()
        .await
}

#[tokio::test]
async fn show_single_job_exe_202_reads_the_job() {
    let value = replay_ok("mrs-v2/show_single_job_exe.202", get).await;
    let job = value.job_detail.unwrap();
    assert_eq!(
        job.job_result,
        Some(JobResult::from(KnownJobResult::Succeeded))
    );
    assert_eq!(job.job_progress, Some(100.0));
    assert_eq!(job.elapsed_time, Some(55281));
}

async fn batch_delete(url: String) -> Reply<()> {
    Client::with_runtime(&url, replay::runtime())
        .batch_delete_jobs()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .body_map(|b| {
            b.job_id_list(vec![
                "c23c1f53-5c8e-4eb8-ab2f-a6acff8ac369".to_owned(),
                "8f7969b6-d2fb-4442-9533-3fe7d7bdf31b".to_owned(),
            ])
        })
        .send()
        .await
}

#[tokio::test]
async fn batch_delete_jobs_200_has_no_body() {
    replay_ok("mrs-v2/batch_delete_jobs.200", batch_delete).await;
}

async fn stop(url: String) -> Reply<()> {
    Client::with_runtime(&url, replay::runtime())
        .stop_job()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .job_execution_id(JOB)
        .send()
        .await
}

#[tokio::test]
async fn stop_job_202_is_accepted_without_a_body() {
    replay_ok("mrs-v2/stop_job.202", stop).await;
}

async fn job_sql_result(url: String) -> Reply<JobSqlResult> {
    Client::with_runtime(&url, replay::runtime())
        .show_sql_result_with_job()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .job_execution_id(JOB)
        .send()
        .await
}

#[tokio::test]
async fn show_sql_result_with_job_200_reads_rows_per_statement() {
    let value = replay_ok("mrs-v2/show_sql_result_with_job.200", job_sql_result).await;
    let results = value.sql_results.unwrap();
    assert_eq!(results["4"].len(), 2);
    assert_eq!(
        results["1"][0]["tableName"].as_deref(),
        Some("src_wordcount")
    );
}

#[tokio::test]
/// Gateways and service versions answer 200 where the page says 202 (and the reverse): an
/// undocumented 2xx decodes as the documented success, and `x-original-status` says what came;
/// a 2xx that is not JSON is still refused with an excerpt.
async fn a_200_where_the_docs_say_202_decodes_as_the_success_and_says_so() {
    for status in [200u16, 201, 203] {
        let server = wiremock::MockServer::start().await;
        replay::refuse_bad_signatures(&server).await;
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(wiremock::ResponseTemplate::new(status).set_body_json(
                serde_json::json!({"job_detail": {"job_id": JOB, "job_result": "SUCCEEDED"}}),
            ))
            .mount(&server)
            .await;
        let value = get(server.uri()).await.unwrap();
        assert_eq!(value.status().as_u16(), 202, "{status}");
        assert_eq!(
            value.headers()["x-original-status"],
            status.to_string().as_str()
        );
        let job = value.into_inner().job_detail.unwrap();
        assert_eq!(
            job.job_result,
            Some(JobResult::from(KnownJobResult::Succeeded))
        );
    }
    let server = serve_undeclared(200).await;
    let message = match get(server.uri()).await {
        Err(mrs_v2::Error::Custom(message)) => message,
        other => panic!("{other:?}"),
    };
    assert!(
        message.contains("with a body that is not JSON"),
        "{message}"
    );
}

/// MRS's answer to a cluster it does not know.
const INVALID_CLUSTER: (&str, &str) = ("12000002", "Invalid cluster name.");

/// The code and message of an MRS error.
fn said(error: &MrsError) -> (String, String) {
    let text = |field: &Option<String>| field.clone().unwrap_or_default();
    (text(&error.error_code), text(&error.error_msg))
}
/// Every documented error status of every operation whose error is `MrsError`: the exact
/// request asserted, the typed error checked against the recorded body, and the code and
/// message it carries.
#[tokio::test]
async fn every_documented_error_is_typed() {
    #[rustfmt::skip]
    let table: &[ErrorRow<MrsError>] = &[
        ("mrs-v2/show_sql_result.400", |url| erase(result(url)),
            ("MRS.0011", "Failed to query the SQL result.")),
        ("mrs-v2/create_execute_job.400", |url| erase(submit(url)),
            ("12000003", "The cluster does not exist.")),
        ("mrs-v2/create_execute_job.500", |url| erase(submit(url)),
            ("0168", "Hive jobs cannot be submitted.")),
        ("mrs-v2/show_job_exe_list_new.400", |url| erase(list(url)), INVALID_CLUSTER),
        ("mrs-v2/show_job_exe_list_new.500", |url| erase(list(url)),
            ("0166", "Failed to query the job list.")),
        ("mrs-v2/show_single_job_exe.400", |url| erase(get(url)), INVALID_CLUSTER),
        ("mrs-v2/show_single_job_exe.500", |url| erase(get(url)),
            ("0162", "Failed to query the job.")),
        ("mrs-v2/batch_delete_jobs.400", |url| erase(batch_delete(url)), INVALID_CLUSTER),
        ("mrs-v2/batch_delete_jobs.500", |url| erase(batch_delete(url)),
            ("0161", "Failed to delete jobs in batches.")),
        ("mrs-v2/stop_job.400", |url| erase(stop(url)), INVALID_CLUSTER),
        ("mrs-v2/stop_job.500", |url| erase(stop(url)), ("0175", "Failed to terminate the job.")),
        ("mrs-v2/show_sql_result_with_job.400", |url| erase(job_sql_result(url)), INVALID_CLUSTER),
        ("mrs-v2/show_sql_result_with_job.500", |url| erase(job_sql_result(url)),
            ("0172", "Failed to collect SQL job results.")),
    ];
    replay_error_table(table, said).await;
}
