//! Generated waiters (`x-waiters` in the specs) against a local server: every poll is a signed
//! call through the runtime; the wait ends on the phases the spec declares. Timing (backoff,
//! giving up after 30 minutes) is tested instantly on paused time in `cloud_runtime::wait`.

use std::time::Duration;

use cloud_runtime::{
    Phase,
    wait::{WaitError, Waited},
};
use replay::ids::{JOB, SESSION, STATEMENT, WORKSPACE};
use replay::{TEST_PROJECT, refuse_bad_signatures, verify_signature};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

const FAST: Duration = Duration::from_millis(5);
const BOUND: Duration = Duration::from_secs(10);
const CLUSTER: &str = "a9d74c8b-d2a7-4ee0-8cb2-ec1df5e52b4e";

/// A server answering each reply once, in turn, then the last for ever.
async fn serve(replies: &[(u16, serde_json::Value)]) -> MockServer {
    let server = MockServer::start().await;
    refuse_bad_signatures(&server).await;
    let (last, first) = replies.split_last().unwrap();
    for (i, (code, body)) in first.iter().enumerate() {
        Mock::given(any())
            .respond_with(ResponseTemplate::new(*code).set_body_json(body))
            .up_to_n_times(1)
            .with_priority(2 + i as u8)
            .mount(&server)
            .await;
    }
    Mock::given(any())
        .respond_with(ResponseTemplate::new(last.0).set_body_json(&last.1))
        .with_priority(50)
        .mount(&server)
        .await;
    server
}

/// A server answering `code` with each body of `statuses` once, in turn, then the last for ever.
async fn server(code: u16, statuses: &[&str], body: fn(&str) -> serde_json::Value) -> MockServer {
    let replies: Vec<_> = statuses.iter().map(|s| (code, body(s))).collect();
    serve(&replies).await
}

/// The server received exactly `polls` requests, each signed and for `path`.
async fn assert_signed_polls(server: &MockServer, polls: usize, path: &str) {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), polls);
    for request in &requests {
        verify_signature(request).unwrap();
        assert_eq!(request.url.path(), path);
    }
}

fn dli(status: &str) -> serde_json::Value {
    if status.trim().eq_ignore_ascii_case("failed") {
        return serde_json::json!({"is_success": true, "job_id": JOB, "status": status, "message": "Table orders not found"});
    }
    serde_json::json!({"is_success": true, "job_id": JOB, "status": status})
}

/// An MRS v2 job whose `job_result` is `result`; an empty `result` is a body without the job
/// (the waiter reads it as an unknown phase and polls on).
fn mrs_job(result: &str) -> serde_json::Value {
    if result.is_empty() {
        return serde_json::json!({});
    }
    serde_json::json!({"job_detail": {"job_id": JOB, "job_state": "RUNNING", "job_result": result}})
}

fn mrs_sql(status: &str) -> serde_json::Value {
    serde_json::json!({"id": "b4dbab3c", "status": status})
}

/// Each waiter, set for the test job and polling fast, bounded so a broken waiter fails in
/// seconds rather than the default 30 minutes.
fn dli_finished(client: &dli_v1::Client) -> dli_v1::waiters::SqlJobFinished<'_> {
    client
        .wait_until_sql_job_finished()
        .project_id(TEST_PROJECT)
        .job_id(JOB)
        .poll_interval(FAST)
        .max_wait(BOUND)
}

fn dli_stopped(client: &dli_v1::Client) -> dli_v1::waiters::SqlJobStopped<'_> {
    client
        .wait_until_sql_job_stopped()
        .project_id(TEST_PROJECT)
        .job_id(JOB)
        .poll_interval(FAST)
        .max_wait(BOUND)
}

fn mrs_job_finished(client: &mrs_v2::Client) -> mrs_v2::waiters::JobFinished<'_> {
    client
        .wait_until_job_finished()
        .project_id(TEST_PROJECT)
        .cluster_id(CLUSTER)
        .job_execution_id(JOB)
        .poll_interval(FAST)
        .max_wait(BOUND)
}

fn mrs_job_stopped(client: &mrs_v2::Client) -> mrs_v2::waiters::JobStopped<'_> {
    client
        .wait_until_job_stopped()
        .project_id(TEST_PROJECT)
        .cluster_id(CLUSTER)
        .job_execution_id(JOB)
        .poll_interval(FAST)
        .max_wait(BOUND)
}

fn mrs_v1_1_finished(client: &mrs_v1_1::Client) -> mrs_v1_1::waiters::JobExecutionFinished<'_> {
    client
        .wait_until_job_execution_finished()
        .project_id(TEST_PROJECT)
        .job_exe_id(JOB)
        .poll_interval(FAST)
        .max_wait(BOUND)
}

fn mrs_v1_1_stopped(client: &mrs_v1_1::Client) -> mrs_v1_1::waiters::JobExecutionStopped<'_> {
    client
        .wait_until_job_execution_stopped()
        .project_id(TEST_PROJECT)
        .job_exe_id(JOB)
        .poll_interval(FAST)
        .max_wait(BOUND)
}

fn fabric_finished(
    client: &dataarts_fabric_v1::Client,
) -> dataarts_fabric_v1::waiters::StatementFinished<'_> {
    client
        .wait_until_statement_finished()
        .workspace_id(WORKSPACE)
        .session_id(SESSION)
        .statement_id(STATEMENT)
        .poll_interval(FAST)
        .max_wait(BOUND)
}

fn fabric_stopped(
    client: &dataarts_fabric_v1::Client,
) -> dataarts_fabric_v1::waiters::StatementStopped<'_> {
    client
        .wait_until_statement_stopped()
        .workspace_id(WORKSPACE)
        .session_id(SESSION)
        .statement_id(STATEMENT)
        .poll_interval(FAST)
        .max_wait(BOUND)
}

#[tokio::test]
async fn a_dli_job_that_runs_runs_and_finishes_is_returned_finished() {
    let server = server(200, &["RUNNING", "RUNNING", "FINISHED"], dli).await;
    let client = dli_v1::Client::with_runtime(&server.uri(), replay::runtime());
    let outcome = dli_finished(&client).send().await.unwrap();
    match outcome {
        Waited::Reached(status) => assert_eq!(status.status.unwrap().phase(), Phase::Succeeded),
        other => panic!("{other:?}"),
    }
    assert_signed_polls(
        &server,
        3,
        &format!("/v1.0/{TEST_PROJECT}/jobs/{JOB}/status"),
    )
    .await;
}

#[tokio::test]
async fn a_dli_job_that_fails_ends_the_wait_with_the_state_and_the_response() {
    let server = server(200, &["RUNNING", "FAILED"], dli).await;
    let client = dli_v1::Client::with_runtime(&server.uri(), replay::runtime());
    let error = dli_finished(&client).send().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "wait_until_sql_job_finished: the job reached phase failed (the service says FAILED: Table orders not found), which ends the wait without success"
    );
    match error {
        WaitError::Failed {
            phase, response, ..
        } => {
            assert_eq!(phase, Phase::Failed);
            assert_eq!(response.job_id.as_deref(), Some(JOB));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn waiting_until_stopped_takes_any_end_a_cancelled_job_included() {
    let server = server(200, &["RUNNING", "CANCELLED"], dli).await;
    let client = dli_v1::Client::with_runtime(&server.uri(), replay::runtime());
    let outcome = dli_stopped(&client).send().await.unwrap();
    assert!(
        matches!(outcome, Waited::Reached(status) if status.status.as_ref().map(|s| s.phase()) == Some(Phase::Cancelled))
    );
}

#[tokio::test]
async fn an_mrs_statement_that_never_finishes_times_out_with_its_last_phase() {
    let server = server(200, &["RUNNING"], mrs_sql).await;
    let client = mrs_v2::Client::with_runtime(&server.uri(), replay::runtime());
    let error = client
        .wait_until_sql_finished()
        .project_id(TEST_PROJECT)
        .cluster_id("a9d74c8b-d2a7-4ee0-8cb2-ec1df5e52b4e")
        .sql_id("b4dbab3c-e2de-4fb0-9dcf-a8e54e6d7e1c")
        .poll_interval(FAST)
        .max_wait(Duration::from_millis(400))
        .send()
        .await
        .unwrap_err();
    match error {
        WaitError::TimedOut { last, waited, .. } => {
            assert_eq!(last, Phase::Running);
            assert!(waited >= Duration::from_millis(400));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        server.received_requests().await.unwrap().len() >= 2,
        "it kept polling"
    );
}

/// The MRS v2 job waiters read the nested `job_detail.job_result` (a dotted `status` in
/// `x-waiters`): UNDEFINED and a body without the job keep it polling; the service's 202 is its
/// documented success.
#[tokio::test]
async fn an_mrs_job_is_waited_for_through_its_nested_result() {
    let server = server(202, &["UNDEFINED", "", "SUCCEEDED"], mrs_job).await;
    let client = mrs_v2::Client::with_runtime(&server.uri(), replay::runtime());
    let outcome = mrs_job_finished(&client).send().await.unwrap();
    match outcome {
        Waited::Reached(job) => {
            let result = job.job_detail.and_then(|detail| detail.job_result);
            assert_eq!(result.map(|r| r.phase()), Some(Phase::Succeeded));
        }
        other => panic!("{other:?}"),
    }
    assert_signed_polls(
        &server,
        3,
        &format!("/v2/{TEST_PROJECT}/clusters/{CLUSTER}/job-executions/{JOB}"),
    )
    .await;
}

#[tokio::test]
async fn a_killed_mrs_job_fails_the_finished_waiter_and_satisfies_the_stopped_one() {
    let server = server(202, &["UNDEFINED", "KILLED"], mrs_job).await;
    let client = mrs_v2::Client::with_runtime(&server.uri(), replay::runtime());
    let error = mrs_job_finished(&client).send().await.unwrap_err();
    assert!(
        matches!(
            error,
            WaitError::Failed {
                phase: Phase::Cancelled,
                ..
            }
        ),
        "{error:?}"
    );
    let stopped = mrs_job_stopped(&client).send().await.unwrap();
    assert!(matches!(stopped, Waited::Reached(_)), "{stopped:?}");
}

/// An MRS v1.1 job exe whose `job_final_status` is `status` (0 unfinished, 1 failed, 2
/// succeeded, 3 cancelled); `job_state` alone cannot tell a failed job from one that succeeded.
fn mrs_v1_1_job(status: &str) -> serde_json::Value {
    let status: i64 = status.parse().unwrap();
    serde_json::json!({"job_execution": {"id": JOB, "job_state": if status == 0 { 2 } else { 3 }, "job_final_status": status}})
}

#[tokio::test]
async fn an_mrs_v1_1_job_execution_is_waited_for_through_its_final_status() {
    let server = server(200, &["0", "0", "2"], mrs_v1_1_job).await;
    let client = mrs_v1_1::Client::with_runtime(&server.uri(), replay::runtime());
    let outcome = mrs_v1_1_finished(&client).send().await.unwrap();
    match outcome {
        Waited::Reached(envelope) => {
            assert_eq!(
                mrs_v1_1::waiters::JobExecutionFinished::phase_of(&envelope),
                Phase::Succeeded
            );
            let status = envelope.job_execution.and_then(|job| job.job_final_status);
            assert_eq!(status.map(|s| s.phase()), Some(Phase::Succeeded));
        }
        other => panic!("{other:?}"),
    }
    assert_signed_polls(&server, 3, &format!("/v1.1/{TEST_PROJECT}/job-exes/{JOB}")).await;
}

#[tokio::test]
async fn an_mrs_v1_1_job_that_ends_in_error_fails_the_finished_waiter_and_stops_the_other() {
    let server = server(200, &["0", "1"], mrs_v1_1_job).await;
    let client = mrs_v1_1::Client::with_runtime(&server.uri(), replay::runtime());
    let error = mrs_v1_1_finished(&client).send().await.unwrap_err();
    assert!(
        matches!(&error, WaitError::Failed { phase: Phase::Failed, response, .. }
            if response.job_execution.as_ref().and_then(|j| j.id.as_deref()) == Some(JOB)),
        "{error:?}"
    );
    let stopped = mrs_v1_1_stopped(&client).send().await.unwrap();
    assert!(matches!(stopped, Waited::Reached(_)), "{stopped:?}");
}

fn fabric_statement(status: &str) -> serde_json::Value {
    serde_json::json!({"status": status, "session_id": SESSION, "statement_id": STATEMENT})
}

/// The Fabric waiters read `status` from the statement variant of the statement-or-raw-string
/// result.
#[tokio::test]
async fn a_fabric_statement_that_is_submitted_then_runs_then_succeeds_is_returned() {
    let server = server(
        200,
        &["SUBMITTED", "RUNNING", "SUCCESSFUL"],
        fabric_statement,
    )
    .await;
    let client = dataarts_fabric_v1::Client::with_runtime(&server.uri(), replay::runtime());
    match fabric_finished(&client).send().await.unwrap() {
        Waited::Reached(dataarts_fabric_v1::types::StatementResult::Statement(statement)) => {
            assert_eq!(statement.status.map(|s| s.phase()), Some(Phase::Succeeded));
        }
        other => panic!("{other:?}"),
    }
    assert_signed_polls(
        &server,
        3,
        &format!("/v1/workspaces/{WORKSPACE}/sessions/{SESSION}/statements/{STATEMENT}"),
    )
    .await;
}

/// A raw-string result has no status: the waiter cannot tell where the statement is, so it polls
/// on and gives up on time, saying so.
#[tokio::test]
async fn a_fabric_result_without_a_status_keeps_the_waiter_polling_until_it_gives_up() {
    let replies = [(200, serde_json::json!("{\"rows\": []}"))];
    let server = serve(&replies).await;
    let client = dataarts_fabric_v1::Client::with_runtime(&server.uri(), replay::runtime());
    // Polls start at least 50 ms apart (jittered in the upper half): 400 ms leaves room for
    // several on a loaded machine.
    let error = fabric_finished(&client)
        .max_wait(Duration::from_millis(400))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, WaitError::TimedOut { last: Phase::Unknown(word), .. } if word.is_empty()),
        "{error:?}"
    );
    assert!(
        error.to_string().starts_with(
            "wait_until_statement_finished: still in phase unknown (no status in the response) after "
        ),
        "{error}"
    );
    assert!(server.received_requests().await.unwrap().len() >= 2);
    let raw = dataarts_fabric_v1::types::StatementResult::Raw("{}".into());
    assert_eq!(
        dataarts_fabric_v1::waiters::StatementFinished::phase_of(&raw),
        Phase::Unknown(String::new())
    );
}

/// `statement_stopped` declares `gone: 404`: a statement the service no longer knows has stopped.
/// Other error statuses end the wait as the call's error.
#[tokio::test]
async fn a_404_while_waiting_until_a_fabric_statement_stopped_is_gone_and_a_400_is_the_error() {
    let not_found = serde_json::json!({"error_code": "DataArtsFabric.0404", "error_msg": "statement not found"});
    for (code, gone) in [(404, true), (400, false)] {
        let server = serve(&[
            (200, fabric_statement("RUNNING")),
            (code, not_found.clone()),
        ])
        .await;
        let client = dataarts_fabric_v1::Client::with_runtime(&server.uri(), replay::runtime());
        let outcome = fabric_stopped(&client).send().await;
        if gone {
            assert!(matches!(outcome, Ok(Waited::Gone)), "{outcome:?}");
        } else {
            match outcome {
                Err(WaitError::Call { source, .. }) => {
                    assert_eq!(source.status().map(|s| s.as_u16()), Some(400));
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    }
}

/// The flow each crate's docs show (`after` on the waiter in the spec): submit, read the job's ID
/// from the answer, wait until it finished, read the result; every request signed, in order.
#[tokio::test]
async fn submit_wait_and_read_the_result_as_the_dli_docs_show() {
    use wiremock::matchers::{method, path};
    let server = MockServer::start().await;
    refuse_bad_signatures(&server).await;
    let base = format!("/v1.0/{TEST_PROJECT}/jobs");
    Mock::given(method("POST"))
        .and(path(format!("{base}/submit-job")))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"is_success": true, "job_id": JOB, "job_mode": "async"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{base}/{JOB}/status")))
        .respond_with(ResponseTemplate::new(200).set_body_json(dli("RUNNING")))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{base}/{JOB}/status")))
        .respond_with(ResponseTemplate::new(200).set_body_json(dli("FINISHED")))
        .with_priority(3)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{base}/{JOB}/preview")))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"is_success": true, "job_id": JOB, "row_count": 1, "rows": [["1"]]}),
        ))
        .mount(&server)
        .await;
    let client = dli_v1::Client::with_runtime(&server.uri(), replay::runtime());

    let submitted = client
        .create_sql_job()
        .project_id(TEST_PROJECT)
        .body_map(|b| b.sql("select 1"))
        .send()
        .await
        .unwrap()
        .into_inner();
    let job_id = submitted.job_id.as_deref().unwrap();
    let waited = client
        .wait_until_sql_job_finished()
        .project_id(TEST_PROJECT)
        .job_id(job_id)
        .poll_interval(FAST)
        .send()
        .await
        .unwrap();
    assert!(matches!(waited, Waited::Reached(_)), "{waited:?}");
    let preview = client
        .preview_sql_job_result()
        .project_id(TEST_PROJECT)
        .job_id(job_id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(preview.row_count, Some(1));

    let requests = server.received_requests().await.unwrap();
    let lines: Vec<String> = requests
        .iter()
        .map(|r| {
            verify_signature(r).unwrap();
            format!("{} {}", r.method, r.url.path())
        })
        .collect();
    assert_eq!(
        lines,
        [
            format!("POST {base}/submit-job"),
            format!("GET {base}/{JOB}/status"),
            format!("GET {base}/{JOB}/status"),
            format!("GET {base}/{JOB}/preview"),
        ]
    );
}

/// DLI answers "does not exist" with 400 `DLI.0002`, a status it uses for other errors too:
/// `sql_job_stopped` declares the code, so only that answer means gone. MRS answers 500 `0176`.
#[tokio::test]
async fn a_declared_not_found_code_while_waiting_until_stopped_is_gone_and_other_codes_are_errors()
{
    // (status, code) -> gone?
    let cases = [
        (400, "DLI.0002", true),
        (400, "DLI.0001", false),
        (500, "DLI.0002", false),
    ];
    for (status, code, gone) in cases {
        let error = serde_json::json!({"error_code": code, "error_msg": "no such job"});
        let server = serve(&[(200, dli("RUNNING")), (status, error)]).await;
        let client = dli_v1::Client::with_runtime(&server.uri(), replay::runtime());
        let outcome = dli_stopped(&client).send().await;
        match outcome {
            Ok(Waited::Gone) => assert!(gone, "{status} {code} is not gone"),
            Err(WaitError::Call { source, .. }) => {
                assert!(!gone, "{status} {code} is gone");
                assert_eq!(source.status().map(|s| s.as_u16()), Some(status));
            }
            other => panic!("{status} {code}: {other:?}"),
        }
    }
    let error = serde_json::json!({"error_code": "0176", "error_msg": "job does not exist"});
    let server = serve(&[(202, mrs_job("UNDEFINED")), (500, error)]).await;
    let client = mrs_v2::Client::with_runtime(&server.uri(), replay::runtime());
    let outcome = mrs_job_stopped(&client).send().await;
    assert!(matches!(outcome, Ok(Waited::Gone)), "{outcome:?}");
}

/// The service's words, read as it means them: status words in any case or padded end the
/// wait as their phase, and an answer about another job than the one asked for ends it with an
/// error saying so (DLI answers carry `job_id`, declared as the waiter's `id`).
#[tokio::test]
async fn dli_status_words_in_any_case_end_the_wait_and_another_jobs_answer_is_refused() {
    // (status words served in turn, finished?, the error's start)
    let cases: [(&[&str], Result<(), &str>); 5] = [
        (&["running", " Finished "], Ok(())),
        (&["Running", "finished"], Ok(())),
        (
            &["RUNNING", "failed"],
            Err(
                "wait_until_sql_job_finished: the job reached phase failed (the service says failed: Table orders not found)",
            ),
        ),
        (
            &[" Failed\t"],
            Err(
                "wait_until_sql_job_finished: the job reached phase failed (the service says  Failed\\t: Table orders not found)",
            ),
        ),
        (
            &["cancelled"],
            Err(
                "wait_until_sql_job_finished: the job reached phase cancelled (the service says cancelled)",
            ),
        ),
    ];
    for (words, expected) in cases {
        let server = server(200, words, dli).await;
        let client = dli_v1::Client::with_runtime(&server.uri(), replay::runtime());
        match (dli_finished(&client).send().await, expected) {
            (Ok(Waited::Reached(_)), Ok(())) => {}
            (Err(error), Err(start)) => {
                assert!(error.to_string().starts_with(start), "{words:?}: {error}")
            }
            (outcome, expected) => panic!("{words:?}: {outcome:?}, expected {expected:?}"),
        }
    }
    let other_job = serve(&[(
        200,
        serde_json::json!({"is_success": true, "job_id": "another-job", "status": "FINISHED"}),
    )])
    .await;
    let client = dli_v1::Client::with_runtime(&other_job.uri(), replay::runtime());
    let error = dli_finished(&client).send().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "wait_until_sql_job_finished: asked about job {JOB}, the service answered about job another-job"
        )
    );
    assert!(matches!(error, WaitError::OtherJob { .. }), "{error:?}");
}

const BATCH: &str = "0a324461-d9d9-45da-a52a-3b3c7a3d809e";

/// A DLI Spark batch's state answer (`show_spark_job_status`): the job's ID and its state.
fn spark_batch(state: &str) -> serde_json::Value {
    serde_json::json!({"id": BATCH, "state": state})
}

fn batch_finished(client: &dli_v2::Client) -> dli_v2::waiters::BatchFinished<'_> {
    client
        .wait_until_batch_finished()
        .project_id(TEST_PROJECT)
        .batch_id(BATCH)
        .poll_interval(FAST)
        .max_wait(BOUND)
}

fn batch_stopped(client: &dli_v2::Client) -> dli_v2::waiters::BatchStopped<'_> {
    client
        .wait_until_batch_stopped()
        .project_id(TEST_PROJECT)
        .batch_id(BATCH)
        .poll_interval(FAST)
        .max_wait(BOUND)
}

/// The Spark batch waiters read `state` (Livy's words, lower-case in the docs' list and
/// `Success` in their example): `starting` is queued, `running` and `recovering` run, `success`
/// ends well and `dead` ends badly. `batch_finished` fails on `dead`; `batch_stopped` takes
/// either end.
#[tokio::test]
async fn a_spark_batch_is_waited_for_through_its_state_in_any_case() {
    // (states served in turn, polls) -> finished: Ok(final phase) or Err(the error's text).
    let finished: [(&[&str], Result<Phase, &str>); 5] = [
        (&["starting", "running", "success"], Ok(Phase::Succeeded)),
        (
            &["starting", "recovering", "running", "Success"],
            Ok(Phase::Succeeded),
        ),
        (
            &["running", "dead"],
            Err(
                "wait_until_batch_finished: the job reached phase failed (the service says dead), which ends the wait without success",
            ),
        ),
        (
            &["starting", " DEAD "],
            Err(
                "wait_until_batch_finished: the job reached phase failed (the service says  DEAD ), which ends the wait without success",
            ),
        ),
        (&["SUCCESS"], Ok(Phase::Succeeded)),
    ];
    for (states, expected) in finished {
        let polled = server(200, states, spark_batch).await;
        let client = dli_v2::Client::with_runtime(&polled.uri(), replay::runtime());
        match (batch_finished(&client).send().await, expected) {
            (Ok(Waited::Reached(answer)), Ok(phase)) => {
                assert_eq!(answer.state.map(|s| s.phase()), Some(phase), "{states:?}");
                assert_eq!(answer.id.as_deref(), Some(BATCH));
            }
            (Err(error), Err(text)) => {
                assert_eq!(error.to_string(), text, "{states:?}");
                assert!(
                    matches!(&error, WaitError::Failed { phase: Phase::Failed, response, .. }
                        if response.id.as_deref() == Some(BATCH)),
                    "{error:?}"
                );
            }
            (outcome, expected) => panic!("{states:?}: {outcome:?}, expected {expected:?}"),
        }
        assert_signed_polls(
            &polled,
            states.len(),
            &format!("/v2.0/{TEST_PROJECT}/batches/{BATCH}/state"),
        )
        .await;
        // Until stopped, every end is reached, the dead one included.
        let polled = server(200, states, spark_batch).await;
        let client = dli_v2::Client::with_runtime(&polled.uri(), replay::runtime());
        let stopped = batch_stopped(&client).send().await.unwrap();
        assert!(
            matches!(stopped, Waited::Reached(_)),
            "{states:?}: {stopped:?}"
        );
    }
}

/// DLI answers "does not exist" with 400 `DLI.0002` (dli_02_0056) here too: `batch_stopped`
/// declares it gone; another code, or the same code at another status, is the call's error. An
/// answer about another batch ends the wait.
#[tokio::test]
async fn a_spark_batch_that_is_gone_stops_the_wait_and_another_batchs_answer_is_refused() {
    // (status, code) -> gone?
    let cases = [
        (400, "DLI.0002", true),
        (400, "DLI.0001", false),
        (500, "DLI.0002", false),
    ];
    for (status, code, gone) in cases {
        let error = serde_json::json!({"error_code": code, "error_msg": "batch not found"});
        let server = serve(&[(200, spark_batch("running")), (status, error)]).await;
        let client = dli_v2::Client::with_runtime(&server.uri(), replay::runtime());
        match batch_stopped(&client).send().await {
            Ok(Waited::Gone) => assert!(gone, "{status} {code} is not gone"),
            Err(WaitError::Call { source, .. }) => {
                assert!(!gone, "{status} {code} is gone");
                assert_eq!(source.status().map(|s| s.as_u16()), Some(status));
            }
            other => panic!("{status} {code}: {other:?}"),
        }
    }
    let other = serve(&[(
        200,
        serde_json::json!({"id": "07a3e4e6-9a28-4e92-8d3f-9c538621a166", "state": "success"}),
    )])
    .await;
    let client = dli_v2::Client::with_runtime(&other.uri(), replay::runtime());
    let error = batch_finished(&client).send().await.unwrap_err();
    assert!(matches!(error, WaitError::OtherJob { .. }), "{error:?}");
}

/// The Spark flow the README shows: submit a batch, read its ID from the answer, wait until it
/// finished, read its state and its driver log; every request signed, in order.
#[tokio::test]
async fn submit_a_spark_batch_wait_and_read_its_state_and_log() {
    use wiremock::matchers::{method, path, query_param};
    let server = MockServer::start().await;
    refuse_bad_signatures(&server).await;
    let base = format!("/v2.0/{TEST_PROJECT}/batches");
    Mock::given(method("POST"))
        .and(path(base.clone()))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(
            {"id": BATCH, "state": "starting", "appId": "", "log": [], "queue": "test"}
        )))
        .mount(&server)
        .await;
    for (i, state) in ["starting", "running"].iter().enumerate() {
        Mock::given(method("GET"))
            .and(path(format!("{base}/{BATCH}/state")))
            .respond_with(ResponseTemplate::new(200).set_body_json(spark_batch(state)))
            .up_to_n_times(1)
            .with_priority(2 + i as u8)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(format!("{base}/{BATCH}/state")))
        .respond_with(ResponseTemplate::new(200).set_body_json(spark_batch("success")))
        .with_priority(10)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{base}/{BATCH}/log")))
        .and(query_param("type", "driver"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(
            {"id": BATCH, "from": 0, "total": 2, "log": ["Pi is roughly 3.14", "exit 0"]}
        )))
        .mount(&server)
        .await;
    let client = dli_v2::Client::with_runtime(&server.uri(), replay::runtime());

    let body: dli_v2::types::CreateSparkJobRequest = serde_json::from_value(serde_json::json!({
        "file": "obs://bucket/spark-examples.jar",
        "className": "org.apache.spark.examples.SparkPi",
        "queue": "test"
    }))
    .unwrap();
    let submitted = client
        .create_spark_job()
        .project_id(TEST_PROJECT)
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner();
    let batch_id = submitted.id.as_deref().unwrap();
    let waited = client
        .wait_until_batch_finished()
        .project_id(TEST_PROJECT)
        .batch_id(batch_id)
        .poll_interval(FAST)
        .send()
        .await
        .unwrap();
    let Waited::Reached(state) = waited else {
        panic!("{waited:?}")
    };
    assert_eq!(state.state.map(|s| s.phase()), Some(Phase::Succeeded));
    let log = client
        .show_spark_job_log()
        .project_id(TEST_PROJECT)
        .batch_id(batch_id)
        .type_(dli_v2::types::KnownSparkLogType::Driver)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(log.log.unwrap(), ["Pi is roughly 3.14", "exit 0"]);

    let requests = server.received_requests().await.unwrap();
    let lines: Vec<String> = requests
        .iter()
        .map(|r| {
            verify_signature(r).unwrap();
            format!("{} {}", r.method, r.url.path())
        })
        .collect();
    assert_eq!(
        lines,
        [
            format!("POST {base}"),
            format!("GET {base}/{BATCH}/state"),
            format!("GET {base}/{BATCH}/state"),
            format!("GET {base}/{BATCH}/state"),
            format!("GET {base}/{BATCH}/log"),
        ]
    );
}

/// Cancel, then wait until stopped: the cancel is accepted (`msg: deleted`), and the batch then
/// reads `dead`, the only end the docs give a stopped batch besides `success`. No documented
/// state means "cancelled", so the final phase is `failed`: the waiter cannot tell a cancelled
/// batch from one that failed on its own (the spec says so on `cancel_spark_job`).
#[tokio::test]
async fn a_cancelled_spark_batch_stops_and_reads_as_failed() {
    use dli_v2::{CancelOutcome, CancelOutcomeExt};
    let server = serve(&[
        (200, serde_json::json!({"msg": "deleted"})),
        (200, spark_batch("running")),
        (200, spark_batch("dead")),
    ])
    .await;
    let client = dli_v2::Client::with_runtime(&server.uri(), replay::runtime());
    let cancel = client
        .cancel_spark_job()
        .project_id(TEST_PROJECT)
        .batch_id(BATCH)
        .send()
        .await;
    assert_eq!(cancel.cancel_outcome(), CancelOutcome::Accepted);
    match batch_stopped(&client).send().await.unwrap() {
        Waited::Reached(answer) => {
            assert_eq!(answer.state.map(|s| s.phase()), Some(Phase::Failed))
        }
        other => panic!("{other:?}"),
    }
}

// --- DLI Flink jobs (dli-flink-v1) ---

/// A Flink job's details answer (`show_flink_job`): its integer ID, status and description.
fn flink_job(status: &str) -> serde_json::Value {
    serde_json::json!({
        "is_success": "true",
        "job_detail": {"job_id": 148, "status": status, "status_desc": format!("{status} desc")}
    })
}

/// The Flink flow the README shows: create a SQL job, run it, wait until it runs (a streaming
/// job succeeds by running), stop it, wait until it stopped; every request signed, in order.
#[tokio::test]
async fn a_flink_sql_job_is_created_run_waited_for_stopped_and_waited_for_again() {
    use dli_flink_v1::types::{BatchRunFlinkJobsRequest, BatchStopFlinkJobsRequest};
    use wiremock::matchers::{method, path};
    let server = MockServer::start().await;
    refuse_bad_signatures(&server).await;
    let base = format!("/v1.0/{TEST_PROJECT}/streaming");
    Mock::given(method("POST"))
        .and(path(format!("{base}/sql-jobs")))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "is_success": true, "job": {"job_id": 148, "status_name": "job_init"}
        })))
        .mount(&server)
        .await;
    for action in ["run", "stop"] {
        Mock::given(method("POST"))
            .and(path(format!("{base}/jobs/{action}")))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!([{"is_success": "true", "message": action}])),
            )
            .mount(&server)
            .await;
    }
    let statuses = [
        "job_init",
        "job_submitting",
        "job_running",
        "job_canceling",
        "job_cancel_success",
    ];
    for (i, status) in statuses.iter().enumerate() {
        let poll = Mock::given(method("GET")).and(path(format!("{base}/jobs/148")));
        let reply = ResponseTemplate::new(200).set_body_json(flink_job(status));
        if i + 1 < statuses.len() {
            poll.respond_with(reply)
                .up_to_n_times(1)
                .with_priority(2 + i as u8)
        } else {
            poll.respond_with(reply).with_priority(50)
        }
        .mount(&server)
        .await;
    }
    let client = dli_flink_v1::Client::with_runtime(&server.uri(), replay::runtime());
    let created = client
        .create_flink_sql_job()
        .project_id(TEST_PROJECT)
        .body_map(|b| {
            b.name(
                "counter"
                    .parse::<dli_flink_v1::types::CreateFlinkSqlJobRequestName>()
                    .unwrap(),
            )
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    let job_id = created.job.and_then(|j| j.job_id).unwrap();
    let run: BatchRunFlinkJobsRequest = BatchRunFlinkJobsRequest::builder()
        .job_ids(vec![job_id])
        .try_into()
        .unwrap();
    let results = client
        .batch_run_flink_jobs()
        .project_id(TEST_PROJECT)
        .body(run)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(results.as_deref().map(<[_]>::len), Some(1));
    let running = client
        .wait_until_job_running()
        .project_id(TEST_PROJECT)
        .job_id(job_id.to_string())
        .poll_interval(FAST)
        .max_wait(BOUND)
        .send()
        .await
        .unwrap();
    let Waited::Reached(answer) = running else {
        panic!("{running:?}")
    };
    let status = answer.job_detail.and_then(|j| j.status).unwrap();
    assert_eq!(status.phase(), Phase::Running);
    let stop: BatchStopFlinkJobsRequest = BatchStopFlinkJobsRequest::builder()
        .job_ids(vec![job_id])
        .try_into()
        .unwrap();
    client
        .batch_stop_flink_jobs()
        .project_id(TEST_PROJECT)
        .body(stop)
        .send()
        .await
        .unwrap();
    let stopped = client
        .wait_until_job_stopped()
        .project_id(TEST_PROJECT)
        .job_id(job_id.to_string())
        .poll_interval(FAST)
        .max_wait(BOUND)
        .send()
        .await
        .unwrap();
    let Waited::Reached(answer) = stopped else {
        panic!("{stopped:?}")
    };
    let status = answer.job_detail.and_then(|j| j.status).unwrap();
    assert_eq!(status.phase(), Phase::Cancelled);
    let requests = server.received_requests().await.unwrap();
    for request in &requests {
        verify_signature(request).unwrap();
    }
    let route: Vec<_> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    let poll = format!("GET {base}/jobs/148");
    assert_eq!(
        route,
        [
            format!("POST {base}/sql-jobs"),
            format!("POST {base}/jobs/run"),
            poll.clone(),
            poll.clone(),
            poll.clone(),
            format!("POST {base}/jobs/stop"),
            poll.clone(),
            poll.clone(),
        ]
    );
}

/// A Flink job that fails to submit, or is stopped, before it runs ends `job_running` with its
/// status and description; an exception while running is a failure too. `job_stopped` takes
/// every end; an answer about another job ends either wait.
#[tokio::test]
async fn a_flink_job_that_never_runs_fails_the_running_wait_and_another_jobs_answer_is_refused() {
    for (statuses, phase) in [
        (&["job_submitting", "job_submit_fail"][..], Phase::Failed),
        (&["job_running_exception"][..], Phase::Failed),
        (&["job_init", "job_cancel_success"][..], Phase::Cancelled),
    ] {
        let polled = server(200, statuses, flink_job).await;
        let client = dli_flink_v1::Client::with_runtime(&polled.uri(), replay::runtime());
        let waiter = || {
            client
                .wait_until_job_running()
                .project_id(TEST_PROJECT)
                .job_id("148")
                .poll_interval(FAST)
                .max_wait(BOUND)
        };
        match waiter().send().await {
            Err(WaitError::Failed {
                phase: got,
                message,
                ..
            }) => {
                assert_eq!(got, phase, "{statuses:?}");
                let last = statuses.last().unwrap();
                assert_eq!(message.as_deref(), Some(format!("{last} desc").as_str()));
            }
            other => panic!("{statuses:?}: {other:?}"),
        }
        let polled = server(200, statuses, flink_job).await;
        let client = dli_flink_v1::Client::with_runtime(&polled.uri(), replay::runtime());
        let stopped = client
            .wait_until_job_stopped()
            .project_id(TEST_PROJECT)
            .job_id("148")
            .poll_interval(FAST)
            .max_wait(BOUND)
            .send()
            .await
            .unwrap();
        assert!(matches!(stopped, Waited::Reached(_)), "{statuses:?}");
    }
    let other = server(200, &["job_running"], flink_job).await;
    let client = dli_flink_v1::Client::with_runtime(&other.uri(), replay::runtime());
    let error = client
        .wait_until_job_running()
        .project_id(TEST_PROJECT)
        .job_id("7")
        .poll_interval(FAST)
        .max_wait(BOUND)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, WaitError::OtherJob { .. }), "{error:?}");
}
