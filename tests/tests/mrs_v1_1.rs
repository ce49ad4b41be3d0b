//! MRS v1.1 `cancel_job_execution`, replayed from the docs' examples.

use mrs_v1_1::{Client, Error, types::JobExecutionEnvelope, types::MrsError};
use replay::{ResponseValue, expect_unexpected_status, replay_err, replay_ok, serve_undeclared};

const PROJECT: &str = "37caa80116e1403ab603e5eeb48a2f74";
const EXECUTION: &str = "2de74673-1a78-48af-a95b-e1fec4a4ae9c";

async fn cancel(url: String) -> Result<ResponseValue<JobExecutionEnvelope>, Error<MrsError>> {
    Client::new(&url)
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

#[tokio::test]
async fn cancel_job_execution_400_is_a_typed_error() {
    let error = replay_err("mrs-v1-1/cancel_job_execution.400", cancel).await;
    assert_eq!(error.error_code.as_deref(), Some("12000002"));
    assert_eq!(error.error_msg.as_deref(), Some("Invalid cluster name."));
}

#[tokio::test]
async fn cancel_job_execution_500_is_a_typed_error() {
    let error = replay_err("mrs-v1-1/cancel_job_execution.500", cancel).await;
    assert_eq!(error.error_code.as_deref(), Some("12000071"));
    assert_eq!(
        error.error_msg.as_deref(),
        Some("The Executor server has an internal error.")
    );
}

#[tokio::test]
async fn undeclared_status_is_an_unexpected_response_error() {
    let server = serve_undeclared(404).await;
    expect_unexpected_status(cancel(server.uri()).await, 404);
}
