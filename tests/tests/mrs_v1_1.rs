//! MRS v1.1 job APIs (submit, job exes) and the Sahara-compatible job executions, replayed from the
//! docs' examples.

use mrs_v1_1::{
    Client, Error, Phase,
    types::{
        JobExeEnvelope, JobExeList, JobExecutionEnvelope, JobExecutionList, JobFinalStatus,
        MrsError, SubmitJobRequest, SubmittedJobEnvelope, SubmittedJobReturnCode,
    },
};
use replay::ids::{EXE, EXECUTION, PROJECT};
use replay::{ErrorRow, ResponseValue, erase, replay_error_table, replay_ok};

type Reply<T> = Result<ResponseValue<T>, Error<MrsError>>;

fn mapreduce_job() -> SubmitJobRequest {
    SubmitJobRequest {
        job_type: 1,
        job_name: "mrs_test_jobone_20170602_141106".parse().unwrap(),
        cluster_id: "e955a7a3-d334-4943-a39a-994976900d56".parse().unwrap(),
        jar_path: Some(
            "s3a://mrs-opsadm/jarpath/hadoop-mapreduce-examples-2.7.2.jar"
                .parse()
                .unwrap(),
        ),
        arguments: Some("wordcount".parse().unwrap()),
        input: Some("s3a://mrs-opsadm/input/".parse().unwrap()),
        output: Some("s3a://mrs-opsadm/output/".parse().unwrap()),
        job_log: Some("s3a://mrs-opsadm/log/".parse().unwrap()),
        file_action: Some(String::new()),
        hql: Some(String::new()),
        hive_script_path: Some(String::new()),
    }
}

async fn submit(url: String) -> Reply<SubmittedJobEnvelope> {
    Client::with_runtime(&url, replay::runtime())
        .create_and_execute_job()
        .project_id(PROJECT)
        .body(mapreduce_job())
        .send()
        .await
}

#[tokio::test]
async fn create_and_execute_job_200_reads_the_wrapped_running_job() {
    let job = replay_ok("mrs-v1-1/create_and_execute_job.200", submit)
        .await
        .job_execution
        .expect("wrapped in job_execution, as in the OTC example");
    assert_eq!(job.job_state, Some(2));
    assert_eq!(job.job_final_status, Some(JobFinalStatus(0)));
    assert_eq!(job.job_final_status.unwrap().phase(), Phase::Running);
    assert_eq!(job.created_at, Some(1496387588));
    assert_eq!(job.end_time, None);
    assert_eq!(job.return_code, None);
}

#[tokio::test]
async fn create_and_execute_job_reads_return_code_as_a_string() {
    let job = replay_ok(
        "mrs-v1-1/create_and_execute_job.200.return-code-string",
        submit,
    )
    .await
    .job_execution
    .unwrap();
    assert_eq!(
        job.return_code,
        Some(SubmittedJobReturnCode::String("0".into()))
    );
    assert_eq!(job.job_final_status, Some(JobFinalStatus(2)));
    assert_eq!(job.job_final_status.unwrap().phase(), Phase::Succeeded);
}

#[test]
fn create_and_execute_job_refuses_shell_metacharacters_in_paths() {
    let mut job = serde_json::to_value(mapreduce_job()).unwrap();
    job["jar_path"] = "s3a://bucket/x.jar; rm -rf /".into();
    assert!(serde_json::from_value::<SubmitJobRequest>(job).is_err());
}

async fn list_exes(url: String) -> Reply<JobExeList> {
    Client::with_runtime(&url, replay::runtime())
        .list_execute_job()
        .project_id(PROJECT)
        .cluster_id("20ca8601-435a-4424-a41a-17b5d4a6f3f9")
        .page_size(10u32)
        .current_page(1u32)
        .state(3)
        .job_name("myfirstjob")
        .send()
        .await
}

#[tokio::test]
async fn list_execute_job_200_reads_nulls_the_sdk_calls_non_null() {
    let value = replay_ok("mrs-v1-1/list_execute_job.200", list_exes).await;
    assert_eq!(value.total_record, Some(1));
    let exe = &value.job_executions.unwrap()[0];
    assert_eq!(exe.create_at, Some(1498016657000));
    assert_eq!((exe.end_time, exe.spend_time), (None, None));
    assert_eq!(exe.hive_script_path, None);
    assert_eq!(exe.progress.as_deref(), Some("first progress"));
}

async fn show_exe(url: String) -> Reply<JobExeEnvelope> {
    Client::with_runtime(&url, replay::runtime())
        .show_job_exes()
        .project_id(PROJECT)
        .job_exe_id(EXE)
        .send()
        .await
}

#[tokio::test]
async fn show_job_exes_200_reads_a_hive_script_job() {
    let exe = replay_ok("mrs-v1-1/show_job_exes.200", show_exe)
        .await
        .job_execution
        .unwrap();
    assert_eq!(exe.job_type, Some(3));
    assert_eq!(exe.hql, None);
    assert_eq!(exe.step_seq, Some(222));
}

async fn list_executions(url: String) -> Reply<JobExecutionList> {
    Client::with_runtime(&url, replay::runtime())
        .list_job_executions()
        .project_id(PROJECT)
        .limit(2u64)
        .marker("839244be-91d7-4b62-9ab0-d73b7a50a6d1")
        .sort_by("id")
        .send()
        .await
}

#[tokio::test]
async fn list_job_executions_200_reads_markers_and_executions() {
    let value = replay_ok("mrs-v1-1/list_job_executions.200", list_executions).await;
    let markers = value.markers.unwrap();
    assert_eq!(
        markers.prev.as_deref(),
        Some("839244be-91d7-4b62-9ab0-d73b7a50a6d1")
    );
    assert_eq!(markers.next, None, "null on the last page");
    assert_eq!(
        value.job_executions.unwrap()[0].id.as_deref(),
        Some(EXECUTION)
    );
}

async fn show_execution(url: String) -> Reply<JobExecutionEnvelope> {
    Client::with_runtime(&url, replay::runtime())
        .show_job_execution()
        .project_id(PROJECT)
        .job_execution_id(EXECUTION)
        .send()
        .await
}

#[tokio::test]
async fn show_job_execution_200_reads_job_configs() {
    let execution = replay_ok("mrs-v1-1/show_job_execution.200", show_execution)
        .await
        .job_execution
        .unwrap();
    let configs = execution.job_configs.unwrap();
    assert_eq!(configs["args"], serde_json::json!(["wordcount"]));
}

async fn delete(url: String) -> Reply<()> {
    Client::with_runtime(&url, replay::runtime())
        .delete_job_execution()
        .project_id(PROJECT)
        .job_execution_id(EXECUTION)
        .send()
        .await
}

#[tokio::test]
async fn delete_job_execution_204_has_no_body() {
    replay_ok("mrs-v1-1/delete_job_execution.204", delete).await;
}

async fn cancel(url: String) -> Reply<JobExecutionEnvelope> {
    Client::with_runtime(&url, replay::runtime())
        .cancel_job_execution()
        .project_id(PROJECT)
        .job_execution_id(EXECUTION)
        .send()
        .await
}

#[tokio::test]
async fn cancel_job_execution_200_decodes_the_nulls_of_the_example() {
    let envelope = replay_ok("mrs-v1-1/cancel_job_execution.200", cancel).await;
    let execution = envelope.job_execution.expect("wrapped in job_execution");
    assert_eq!(execution.id.as_deref(), Some(EXECUTION));
    assert_eq!(execution.tenant_id.as_deref(), Some(PROJECT));
    assert_eq!(
        execution.cluster_id.as_deref(),
        Some("ef7b54f2-3d92-49b2-a6d7-94607e1ea7df")
    );
    assert_eq!(execution.job_id.as_deref(), Some(""));
    assert_eq!(execution.created_at.as_deref(), Some("2017-05-25T07:28:12"));
    assert_eq!(execution.updated_at.as_deref(), Some("2017-05-25T07:28:13"));
    assert_eq!(execution.start_time.as_deref(), Some("2017-05-25T07:28:12"));
    // Typed Bool by the table, null in the example: the spec follows the example.
    assert_eq!(execution.end_time, None);
    assert_eq!(execution.is_protected, Some(false));
    assert_eq!(execution.is_public, None);
    assert_eq!(execution.return_code, None);
}

/// MRS's answer to a parameter it refuses.
const INVALID_PARAMETER: (&str, &str) = ("12000002", "Invalid parameter.");

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
        ("mrs-v1-1/create_and_execute_job.400", |url| erase(submit(url)),
            ("12000085", "The V1.1 job submission API is not supported by this cluster version. Use the V2 job-executions API.")),
        ("mrs-v1-1/create_and_execute_job.500", |url| erase(submit(url)),
            ("0173", "Failed to submit the job.")),
        ("mrs-v1-1/list_execute_job.400", |url| erase(list_exes(url)),
            ("12000064", "Jobs cannot be queried on a security cluster through the API.")),
        ("mrs-v1-1/list_execute_job.500", |url| erase(list_exes(url)),
            ("0166", "Failed to query the job list.")),
        ("mrs-v1-1/show_job_exes.400", |url| erase(show_exe(url)), INVALID_PARAMETER),
        ("mrs-v1-1/show_job_exes.500", |url| erase(show_exe(url)),
            ("0162", "Failed to query the job.")),
        ("mrs-v1-1/list_job_executions.400", |url| erase(list_executions(url)), INVALID_PARAMETER),
        ("mrs-v1-1/list_job_executions.500", |url| erase(list_executions(url)),
            ("0166", "Failed to query the job list.")),
        ("mrs-v1-1/show_job_execution.400", |url| erase(show_execution(url)), INVALID_PARAMETER),
        ("mrs-v1-1/show_job_execution.500", |url| erase(show_execution(url)),
            ("0162", "Failed to query the job.")),
        ("mrs-v1-1/delete_job_execution.400", |url| erase(delete(url)), INVALID_PARAMETER),
        ("mrs-v1-1/delete_job_execution.500", |url| erase(delete(url)),
            ("0161", "Failed to delete jobs.")),
        ("mrs-v1-1/cancel_job_execution.400", |url| erase(cancel(url)),
            ("12000002", "Invalid cluster name.")),
        ("mrs-v1-1/cancel_job_execution.500", |url| erase(cancel(url)),
            ("12000071", "The Executor server has an internal error.")),
    ];
    replay_error_table(table, said).await;
}
