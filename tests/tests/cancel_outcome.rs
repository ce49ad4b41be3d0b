//! Cancel, then know: every cancel cassette of the five crates, replayed, gives the outcome its
//! answer means (`x-cancel` in the specs), read the same way for every service.

use cloud_runtime::CancelOutcome;
use replay::ids::{CLUSTER, EXECUTION, JOB, SESSION, SQL_ID, STATEMENT, WORKSPACE};
use replay::{Replay, TEST_PROJECT};

/// An outcome in a few words: the variant, the status and the service's code.
fn brief(outcome: &CancelOutcome) -> String {
    match outcome {
        CancelOutcome::Accepted => "accepted".into(),
        CancelOutcome::AcceptedOrAlreadyFinished => "accepted or already finished".into(),
        CancelOutcome::AlreadyFinished { code, .. } => {
            format!("already finished {}", code.as_deref().unwrap_or("-"))
        }
        CancelOutcome::NotFound { code, .. } => {
            format!("not found {}", code.as_deref().unwrap_or("-"))
        }
        CancelOutcome::Refused { status, code, .. } => {
            format!("refused {status} {}", code.as_deref().unwrap_or("-"))
        }
        CancelOutcome::Failed(message) => format!("failed: {message}"),
    }
}

/// Replays `cassette` through the cancel call its crate makes; the request must match.
async fn outcome(cassette: &str) -> String {
    let replay = Replay::start(cassette).await;
    let url = replay.url();
    let runtime = replay::runtime();
    let (service, _) = cassette.split_once('/').unwrap();
    let outcome = match service {
        "dli-v1" => {
            use dli_v1::CancelOutcomeExt;
            let result = dli_v1::Client::with_runtime(&url, runtime)
                .cancel_sql_job()
                .project_id(TEST_PROJECT)
                .job_id(JOB)
                .send()
                .await;
            result.cancel_outcome()
        }
        "dli-v2" => {
            use dli_v2::CancelOutcomeExt;
            let result = dli_v2::Client::with_runtime(&url, runtime)
                .cancel_spark_job()
                .project_id(TEST_PROJECT)
                .batch_id("0a324461-d9d9-45da-a52a-3b3c7a3d809e")
                .send()
                .await;
            result.cancel_outcome()
        }
        "mrs-v2" if cassette.contains("cancel_sql") => {
            use mrs_v2::CancelOutcomeExt;
            let result = mrs_v2::Client::with_runtime(&url, runtime)
                .cancel_sql()
                .project_id(TEST_PROJECT)
                .cluster_id(CLUSTER)
                .sql_id(SQL_ID)
                .send()
                .await;
            result.cancel_outcome()
        }
        "mrs-v2" => {
            use mrs_v2::CancelOutcomeExt;
            let result = mrs_v2::Client::with_runtime(&url, runtime)
                .stop_job()
                .project_id(TEST_PROJECT)
                .cluster_id(CLUSTER)
                .job_execution_id(JOB)
                .send()
                .await;
            result.cancel_outcome()
        }
        "mrs-v1-1" => {
            use mrs_v1_1::CancelOutcomeExt;
            let result = mrs_v1_1::Client::with_runtime(&url, runtime)
                .cancel_job_execution()
                .project_id(TEST_PROJECT)
                .job_execution_id(EXECUTION)
                .send()
                .await;
            result.cancel_outcome()
        }
        _ => {
            use dataarts_fabric_v1::CancelOutcomeExt;
            let result = dataarts_fabric_v1::Client::with_runtime(&url, runtime)
                .cancel_sql_statement()
                .workspace_id(WORKSPACE)
                .session_id(SESSION)
                .statement_id(STATEMENT)
                .send()
                .await;
            result.cancel_outcome()
        }
    };
    replay.assert_request().await;
    brief(&outcome)
}

#[tokio::test]
async fn every_cancel_cassette_maps_to_its_outcome() {
    let cases = [
        ("dli-v1/cancel_sql_job.200", "accepted"),
        ("dli-v1/cancel_sql_job.400", "not found DLI.0002"),
        ("dli-v1/cancel_sql_job.500", "not found DLI.0002"),
        // `msg: deleted`; no success flag. 400 DLI.0002 is "does not exist" (dli_02_0056).
        ("dli-v2/cancel_spark_job.200", "accepted"),
        ("dli-v2/cancel_spark_job.400", "not found DLI.0002"),
        ("dli-v2/cancel_spark_job.500", "refused 500 DLI.0999"),
        ("mrs-v2/cancel_sql.200", "accepted or already finished"),
        ("mrs-v2/cancel_sql.400", "refused 400 FAILED"),
        ("mrs-v2/cancel_sql.500", "refused 500 FAILED"),
        ("mrs-v2/stop_job.202", "accepted"),
        ("mrs-v2/stop_job.400", "refused 400 12000002"),
        ("mrs-v2/stop_job.500", "refused 500 0175"),
        ("mrs-v1-1/cancel_job_execution.200", "accepted"),
        ("mrs-v1-1/cancel_job_execution.400", "refused 400 12000002"),
        ("mrs-v1-1/cancel_job_execution.500", "refused 500 12000071"),
        ("dataarts-fabric-v1/cancel_sql_statement.200", "accepted"),
        (
            "dataarts-fabric-v1/cancel_sql_statement.400",
            "refused 400 common.01000001",
        ),
        (
            "dataarts-fabric-v1/cancel_sql_statement.401",
            "refused 401 APIG.1002",
        ),
        (
            "dataarts-fabric-v1/cancel_sql_statement.404",
            "not found common.01000001",
        ),
        (
            "dataarts-fabric-v1/cancel_sql_statement.408",
            "refused 408 common.00000408",
        ),
        (
            "dataarts-fabric-v1/cancel_sql_statement.500",
            "refused 500 common.00000500",
        ),
    ];
    for (cassette, expected) in cases {
        assert_eq!(outcome(cassette).await, expected, "{cassette}");
    }
    // Every cancel cassette is in the table.
    let dir = replay::cassettes_dir();
    let mut cancel_cassettes = 0;
    for service in [
        "dli-v1",
        "dli-v2",
        "mrs-v2",
        "mrs-v1-1",
        "dataarts-fabric-v1",
    ] {
        for entry in std::fs::read_dir(dir.join(service)).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if ["cancel_", "stop_job"].iter().any(|p| name.starts_with(p)) {
                cancel_cassettes += 1;
            }
        }
    }
    assert_eq!(
        cancel_cassettes,
        cases.len() + 1,
        "the table names every cancel cassette but the 403, below"
    );
}

#[tokio::test]
async fn a_gateway_body_with_a_numeric_code_is_still_refused_with_its_status() {
    assert!(
        outcome("dataarts-fabric-v1/cancel_sql_statement.403")
            .await
            .starts_with("refused 403")
    );
}
