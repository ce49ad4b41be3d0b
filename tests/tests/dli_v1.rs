//! DLI v1 `cancel_sql_job`, replayed from the docs' examples.

use dli_v1::{Client, Error, types::CancelSqlJobResult, types::DliError};
use replay::{ResponseValue, expect_unexpected_status, replay_err, replay_ok, serve_undeclared};

const PROJECT: &str = "37caa80116e1403ab603e5eeb48a2f74";
const JOB: &str = "44b37a20-ffe8-42b1-b42b-78a5978d7e40";

async fn cancel(url: String) -> Result<ResponseValue<CancelSqlJobResult>, Error<DliError>> {
    Client::new(&url)
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
async fn cancel_sql_job_400_is_a_typed_error() {
    let error = replay_err("dli-v1/cancel_sql_job.400", cancel).await;
    assert_eq!(error.error_code.as_deref(), Some("DLI.0002"));
    assert_eq!(
        error.error_msg.as_deref(),
        Some("There is no queue named testqueue")
    );
}

#[tokio::test]
async fn cancel_sql_job_500_is_a_typed_error() {
    let error = replay_err("dli-v1/cancel_sql_job.500", cancel).await;
    assert_eq!(error.error_code.as_deref(), Some("DLI.0002"));
}

#[tokio::test]
async fn undeclared_status_is_an_unexpected_response_error() {
    let server = serve_undeclared(502).await;
    expect_unexpected_status(cancel(server.uri()).await, 502);
}

#[tokio::test]
async fn a_project_id_outside_the_documented_pattern_is_refused_before_sending() {
    let server = serve_undeclared(200).await;
    let result = Client::new(&server.uri())
        .cancel_sql_job()
        .project_id("not/a-project")
        .job_id(JOB)
        .send()
        .await;
    match result {
        Err(Error::InvalidRequest(message)) => assert!(message.contains("project_id"), "{message}"),
        other => panic!("expected InvalidRequest naming project_id, got {other:?}"),
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );
}
