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

/// What a consumer debugging a test sees: an unmet expectation names the operation; a request
/// no mock matches is answered "no mock matched <METHOD> <path>", which the client reports as an
/// undocumented status, never as the service's documented error.
#[tokio::test]
async fn unmet_and_unmatched_mocks_say_which_operation() {
    let server = MockServer::start().await;
    let unmet = tokio::spawn(async move {
        let _submit = server
            .create_sql_job()
            .times(1)
            .respond_200(&submitted("job-5"))
            .await;
    })
    .await
    .expect_err("an unmet .times(1) fails the test");
    let payload = unmet.into_panic();
    let said = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    assert!(said.contains("create_sql_job"), "{said}");
    assert!(!said.contains("Mock #0"), "{said}");

    let server = MockServer::start().await;
    let unmatched = server
        .client()
        .show_sql_job_status()
        .project_id(PROJECT)
        .job_id("job-9")
        .send()
        .await
        .expect_err("no mock answers it");
    assert!(
        !matches!(unmatched, dli_v1::Error::ErrorResponse(_)),
        "{unmatched:?}"
    );
    let said = unmatched.to_string();
    assert!(
        said.contains(&format!(
            "no mock matched GET /v1.0/{PROJECT}/jobs/job-9/status"
        )),
        "{said}"
    );
}

/// A job can end in a status word the spec does not map, so the application's `Unknown` branch
/// is testable; the client reads it as an unknown phase.
#[tokio::test]
async fn a_job_can_end_in_an_undocumented_word() {
    let server = MockServer::start().await;
    let _job = server
        .sql_job_finished_job("job-6", 0, Phase::Unknown("MOTHBALLED".into()))
        .await;
    let answer = server
        .client()
        .show_sql_job_status()
        .project_id(PROJECT)
        .job_id("job-6")
        .send()
        .await
        .unwrap()
        .into_inner();
    let status = answer.status.expect("a status");
    assert_eq!(serde_json::to_value(&status).unwrap(), "MOTHBALLED");
    assert!(matches!(status.phase(), Phase::Unknown(_)), "{status:?}");
}

/// A body matcher picks the mock by what is submitted (typed, or a JSON part), and answers come
/// in sequence: a 503, then the 200.
#[tokio::test]
async fn bodies_match_and_answers_come_in_sequence() {
    let server = MockServer::start().await;
    let exact: types::CreateSqlJobRequest = types::CreateSqlJobRequest::builder()
        .sql("select 1")
        .queue_name(Some("default".parse().unwrap()))
        .try_into()
        .unwrap();
    let _one = server
        .create_sql_job()
        .body(&exact)
        .times(1)
        .respond_200(&submitted("job-one"))
        .await;
    let _two = server
        .create_sql_job()
        .body_includes(serde_json::json!({"sql": "select 2"}))
        .times(1)
        .respond_200(&submitted("job-two"))
        .await;
    for (sql, job) in [("select 1", "job-one"), ("select 2", "job-two")] {
        let answer = server
            .client()
            .create_sql_job()
            .project_id(PROJECT)
            .body(
                types::CreateSqlJobRequest::builder()
                    .sql(sql)
                    .queue_name(Some("default".parse().unwrap())),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(answer.into_inner().job_id.as_deref(), Some(job), "{sql}");
    }

    let _status = server
        .show_sql_job_status()
        .job_id("job-7")
        .times(3)
        .respond_sequence(vec![
            (503, None),
            (
                200,
                Some(serde_json::json!({"is_success": true, "job_id": "job-7", "status": "FINISHED"})),
            ),
        ])
        .await;
    let mut outcomes = Vec::new();
    for _ in 0..3 {
        let result = server
            .client()
            .show_sql_job_status()
            .project_id(PROJECT)
            .job_id("job-7")
            .send()
            .await;
        outcomes.push(result.is_ok());
    }
    assert_eq!(outcomes, [false, true, true]);
}
