//! MRS v1.1 `cancel_job_execution`, replayed from the docs' examples.

use mrs_v1_1::Client;
use replay::{Replay, expect_error_response, expect_unexpected_status, serve_undeclared};

const PROJECT: &str = "37caa80116e1403ab603e5eeb48a2f74";
const EXECUTION: &str = "2de74673-1a78-48af-a95b-e1fec4a4ae9c";

async fn cancel(
    url: &str,
) -> Result<
    replay::ResponseValue<mrs_v1_1::types::JobExecutionEnvelope>,
    mrs_v1_1::Error<mrs_v1_1::types::MrsError>,
> {
    Client::new(url)
        .cancel_job_execution()
        .project_id(PROJECT)
        .job_execution_id(EXECUTION)
        .send()
        .await
}

#[tokio::test]
async fn cancel_job_execution_200_decodes_the_nulls_of_the_example() {
    let replay = Replay::start("mrs-v1-1/cancel_job_execution.200").await;
    let result = cancel(&replay.url()).await;
    replay.assert_request().await;
    let execution = result
        .expect("200 decodes")
        .into_inner()
        .job_execution
        .expect("wrapped in job_execution");
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
    replay.assert_decoded(&execution_envelope(execution));
}

fn execution_envelope(
    execution: mrs_v1_1::types::JobExecution,
) -> mrs_v1_1::types::JobExecutionEnvelope {
    mrs_v1_1::types::JobExecutionEnvelope {
        job_execution: Some(execution),
    }
}

#[tokio::test]
async fn cancel_job_execution_400_is_a_typed_error() {
    let replay = Replay::start("mrs-v1-1/cancel_job_execution.400").await;
    let error = expect_error_response(cancel(&replay.url()).await, 400);
    replay.assert_request().await;
    assert_eq!(error.error_code.as_deref(), Some("12000002"));
    assert_eq!(error.error_msg.as_deref(), Some("Invalid cluster name."));
    replay.assert_decoded(&error);
}

#[tokio::test]
async fn cancel_job_execution_500_is_a_typed_error() {
    let replay = Replay::start("mrs-v1-1/cancel_job_execution.500").await;
    let error = expect_error_response(cancel(&replay.url()).await, 500);
    replay.assert_request().await;
    assert_eq!(error.error_code.as_deref(), Some("12000071"));
    assert_eq!(
        error.error_msg.as_deref(),
        Some("The Executor server has an internal error.")
    );
    replay.assert_decoded(&error);
}

#[tokio::test]
async fn undeclared_status_is_an_unexpected_response_error() {
    let server = serve_undeclared(404).await;
    expect_unexpected_status(cancel(&server.uri()).await, 404);
}
