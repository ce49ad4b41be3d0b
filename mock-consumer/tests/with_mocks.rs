//! The consumer's tests, written with the generated mocks as a user of the crates would.

use std::time::Duration;

use dli_v1::{Phase, types};
use dli_v1_mock::MockServer;
use mock_consumer::{QueryEnd, failed_jobs, run_query};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";

fn submitted(job_id: &str) -> types::CreateSqlJobResult {
    types::CreateSqlJobResult {
        is_success: Some(true),
        job_id: Some(job_id.into()),
        ..Default::default()
    }
}

/// The job runs for a few polls and then ends each way; the application reads each end.
#[tokio::test]
async fn a_query_ends_as_the_job_does() {
    let cases = [
        (
            Phase::Succeeded,
            QueryEnd::Finished {
                job_id: "job-1".into(),
            },
        ),
        (
            Phase::Failed,
            QueryEnd::Failed {
                job_id: "job-1".into(),
                reason: "FAILED".into(),
            },
        ),
    ];
    for (ends, expected) in cases {
        let server = MockServer::start().await;
        let _submit = server
            .create_sql_job()
            .project_id(PROJECT)
            .times(1)
            .respond_200(&submitted("job-1"))
            .await;
        let _job = server.sql_job_finished_job("job-1", 3, ends).await;
        let end = run_query(
            &server.client(),
            PROJECT,
            "default",
            "select 1",
            Duration::from_secs(30),
        )
        .await
        .unwrap();
        assert_eq!(end, expected);
    }
}

/// A job that never ends meets the application's deadline.
#[tokio::test]
async fn a_query_that_runs_too_long_is_reported() {
    let server = MockServer::start().await;
    let _submit = server
        .create_sql_job()
        .respond_200(&submitted("job-2"))
        .await;
    let _job = server
        .sql_job_finished_job("job-2", u64::MAX, Phase::Succeeded)
        .await;
    let end = run_query(
        &server.client(),
        PROJECT,
        "default",
        "select 1",
        Duration::from_millis(300),
    )
    .await
    .unwrap();
    assert_eq!(
        end,
        QueryEnd::TookTooLong {
            job_id: "job-2".into()
        }
    );
}

/// A documented error's typed body reaches the application.
#[tokio::test]
async fn a_refused_submission_carries_the_service_code() {
    let server = MockServer::start().await;
    let _submit = server
        .create_sql_job()
        .respond_400(&types::DliError {
            error_code: Some("DLI.0001".into()),
            error_msg: Some("queue not found".into()),
        })
        .await;
    let end = run_query(
        &server.client(),
        PROJECT,
        "nope",
        "select 1",
        Duration::from_secs(5),
    )
    .await
    .unwrap();
    assert_eq!(
        end,
        QueryEnd::Refused {
            code: "DLI.0001".into()
        }
    );
}

/// 25 jobs across pages of 10: every failed one is found.
#[tokio::test]
async fn failed_jobs_are_found_across_pages() {
    let server = MockServer::start().await;
    let jobs: Vec<types::SqlJob> = (0..25)
        .map(|i| types::SqlJob {
            job_id: Some(format!("job-{i}")),
            status: Some(if i % 7 == 0 {
                types::KnownSqlJobStatus::Failed.into()
            } else {
                types::KnownSqlJobStatus::Finished.into()
            }),
            ..Default::default()
        })
        .collect();
    let _list = server.list_sql_jobs_pages(jobs, 10).await;
    let failed = failed_jobs(&server.client(), PROJECT).await.unwrap();
    assert_eq!(failed, ["job-0", "job-7", "job-14", "job-21"]);
}
