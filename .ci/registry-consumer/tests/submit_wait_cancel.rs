//! The application's flow against `dli-v1-mock` from the registry: a job that outlives the
//! deadline is cancelled and seen stopped; one that finishes in time is not cancelled.

use std::time::Duration;

use dli_v1::{Phase, types};
use dli_v1_mock::MockServer;
use registry_consumer::{Ended, query_with_deadline};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";

fn submitted(job_id: &str) -> types::CreateSqlJobResult {
    types::CreateSqlJobResult {
        is_success: Some(true),
        job_id: Some(job_id.into()),
        ..Default::default()
    }
}

/// Mocks are set up before the first request and kept to the end of the test: wiremock 0.6.5
/// sorts its mocks by priority on each request while a `MockGuard` holds an index into them, so
/// after the catch-all (lowest priority) moves, dropping a guard or reading its requests would
/// touch another mock. What the flow returns is the proof: it fails unless the cancel was
/// accepted and the job then read as stopped.
#[tokio::test]
async fn a_job_past_its_deadline_is_cancelled_and_seen_stopped() {
    let server = MockServer::start().await;
    let _submit = server
        .create_sql_job()
        .project_id(PROJECT)
        .respond_200(&submitted("job-7"))
        .await;
    // Twelve polls in a running phase: more than a 200 ms deadline allows at 50 ms or more
    // between polls, so the deadline passes first; then CANCELLED, as after a cancel.
    let _job = server
        .sql_job_stopped_job("job-7", 12, Phase::Cancelled)
        .await;
    let _cancel = server
        .cancel_sql_job()
        .project_id(PROJECT)
        .job_id("job-7")
        .respond_200(&types::CancelSqlJobResult {
            is_success: Some(true),
            message: None,
        })
        .await;
    let ended = query_with_deadline(
        &server.client(),
        PROJECT,
        "default",
        "select 1",
        Duration::from_millis(200),
    )
    .await;
    assert_eq!(
        ended.unwrap(),
        Ended::Cancelled {
            job_id: "job-7".into(),
            phase: Phase::Cancelled
        }
    );
}

#[tokio::test]
async fn a_job_that_finishes_in_time_is_not_cancelled() {
    let server = MockServer::start().await;
    let _submit = server
        .create_sql_job()
        .project_id(PROJECT)
        .respond_200(&submitted("job-8"))
        .await;
    let _job = server
        .sql_job_finished_job("job-8", 2, Phase::Succeeded)
        .await;
    // No cancel mock: a cancel would be answered by the catch-all and the flow would fail.
    let ended = query_with_deadline(
        &server.client(),
        PROJECT,
        "default",
        "select 1",
        Duration::from_secs(30),
    )
    .await;
    assert_eq!(
        ended.unwrap(),
        Ended::Finished {
            job_id: "job-8".into()
        }
    );
}

/// The TLS backend the consumer chose (`.ci/registry` builds it with `rustls-ring` alone, whose
/// crypto provider the runtime installs): a client for a region's https endpoint builds, where
/// reqwest would panic without a provider.
#[test]
fn a_client_for_a_regions_https_endpoint_builds() {
    let runtime = dli_v1::Runtime::builder()
        .credentials(dli_v1::Credentials::aksk("AK0123456789", "sk-not-a-real-secret"))
        .build()
        .expect("a runtime with the chosen TLS backend");
    dli_v1::Client::for_region(&dli_v1::Region::otc("eu-de"), runtime).expect("a client");
}
