//! DLI v1 `cancel_sql_job`, replayed from the docs' examples.

use dli_v1::Client;
use replay::{Replay, expect_error_response, expect_unexpected_status, serve_undeclared};

const PROJECT: &str = "37caa80116e1403ab603e5eeb48a2f74";
const JOB: &str = "44b37a20-ffe8-42b1-b42b-78a5978d7e40";

async fn cancel(
    url: &str,
) -> Result<
    replay::ResponseValue<dli_v1::types::CancelSqlJobResult>,
    dli_v1::Error<dli_v1::types::DliError>,
> {
    Client::new(url)
        .cancel_sql_job()
        .project_id(PROJECT)
        .job_id(JOB)
        .send()
        .await
}

#[tokio::test]
async fn cancel_sql_job_200_reports_success() {
    let replay = Replay::start("dli-v1/cancel_sql_job.200").await;
    let result = cancel(&replay.url()).await;
    replay.assert_request().await;
    let value = result.expect("200 decodes").into_inner();
    assert_eq!(value.is_success, Some(true));
    assert_eq!(value.message.as_deref(), Some(""));
    replay.assert_decoded(&value);
}

#[tokio::test]
async fn cancel_sql_job_400_is_a_typed_error() {
    let replay = Replay::start("dli-v1/cancel_sql_job.400").await;
    let error = expect_error_response(cancel(&replay.url()).await, 400);
    replay.assert_request().await;
    assert_eq!(error.error_code.as_deref(), Some("DLI.0002"));
    assert_eq!(
        error.error_msg.as_deref(),
        Some("There is no queue named testqueue")
    );
    replay.assert_decoded(&error);
}

#[tokio::test]
async fn cancel_sql_job_500_is_a_typed_error() {
    let replay = Replay::start("dli-v1/cancel_sql_job.500").await;
    let error = expect_error_response(cancel(&replay.url()).await, 500);
    replay.assert_request().await;
    assert_eq!(error.error_code.as_deref(), Some("DLI.0002"));
    replay.assert_decoded(&error);
}

#[tokio::test]
async fn undeclared_status_is_an_unexpected_response_error() {
    let server = serve_undeclared(502).await;
    expect_unexpected_status(cancel(&server.uri()).await, 502);
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
        Err(dli_v1::Error::InvalidRequest(message)) => {
            assert!(message.contains("project_id"), "{message}")
        }
        other => panic!("expected InvalidRequest naming project_id, got {other:?}"),
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );
}
