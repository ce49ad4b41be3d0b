//! The real `cloudjobs` binary against local servers: the replay gateway verifies each request's
//! signature, as the service's gateway would.

use std::{
    process::Stdio,
    sync::{Arc, Mutex},
};

use replay::{Replay, TEST_AK, TEST_PROJECT, TEST_SK, ids, verify_signature};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers::any};

/// What one run of the program printed and how it ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON value ({e}): {}", self.stdout))
    }
}

/// Runs `cloudjobs --endpoint <url> <args>` with the test credentials (`stdin` piped in).
async fn cloudjobs(endpoint: &str, args: &[&str], stdin: Option<&str>) -> Run {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_cloudjobs"));
    command
        .arg("--endpoint")
        .arg(endpoint)
        .args(args)
        .env("HUAWEICLOUD_SDK_AK", TEST_AK)
        .env("HUAWEICLOUD_SDK_SK", TEST_SK)
        .env("HUAWEICLOUD_SDK_PROJECT_ID", TEST_PROJECT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary starts");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).await.unwrap();
    }
    drop(input);
    let output = child.wait_with_output().await.unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// One read per service, each replayed from its cassette: the request is exactly the recorded
/// one (signature verified) and standard output is the typed answer.
#[tokio::test]
async fn one_call_per_service() {
    let cases: &[(&str, &[&str])] = &[
        (
            "dataarts-fabric-v1/show_sql_session.200",
            &[
                "dataarts-fabric-v1",
                "show-sql-session",
                "--workspace-id",
                ids::WORKSPACE,
                "--session-id",
                ids::SESSION,
            ],
        ),
        (
            "dataarts-factory-v1/show_job_status.200",
            &[
                "dataarts-factory-v1",
                "show-job-status",
                "--job-name",
                "job_sms",
                "--workspace",
                "1d8b54ba7b8c4b54a0b3c1b8c9c6c5d5",
            ],
        ),
        (
            "dli-flink-v1/show_flink_job.200",
            &["dli-flink-v1", "show-flink-job", "--job-id", "104"],
        ),
        (
            "dli-queues-v1/show_queue.200",
            &["dli-queues-v1", "show-queue", "--queue-name", "test"],
        ),
        (
            "dli-v1/show_sql_job_status.200",
            &["dli-v1", "show-sql-job-status", "--job-id", ids::JOB],
        ),
        (
            "dli-v2/show_spark_job_status.200",
            &[
                "dli-v2",
                "show-spark-job-status",
                "--batch-id",
                "0a324461-d9d9-45da-a52a-3b3c7a3d809e",
            ],
        ),
        (
            "mrs-v1-1/show_job_execution.200",
            &[
                "mrs-v1-1",
                "show-job-execution",
                "--job-execution-id",
                ids::EXECUTION,
            ],
        ),
        (
            "mrs-v2/show_sql_result.200",
            &[
                "mrs-v2",
                "show-sql-result",
                "--cluster-id",
                ids::CLUSTER,
                "--sql-id",
                ids::SQL_ID,
            ],
        ),
    ];
    for (cassette, args) in cases {
        let replay = Replay::start(cassette).await;
        let run = cloudjobs(&replay.url(), args, None).await;
        assert_eq!(run.code, 0, "{cassette}: {}", run.stderr);
        replay.assert_request().await;
        replay.assert_decoded(&run.json());
    }
}

/// A body from standard input, and one from field flags; a documented error status prints its
/// typed body on standard error and exits 1.
#[tokio::test]
async fn bodies_from_stdin_and_flags_and_a_documented_error() {
    let replay = Replay::start("dli-v1/create_sql_job.200").await;
    let body = serde_json::to_string(&replay_request_body("dli-v1/create_sql_job.200")).unwrap();
    let run = cloudjobs(
        &replay.url(),
        &["dli-v1", "create-sql-job", "--json-body", "-"],
        Some(&body),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    replay.assert_request().await;
    replay.assert_decoded(&run.json());

    let replay = Replay::start("dli-v1/check_sql.400").await;
    let run = cloudjobs(
        &replay.url(),
        &[
            "dli-v1",
            "check-sql",
            "--currentdb",
            "db1",
            "--sql",
            "select * from t1",
        ],
        None,
    )
    .await;
    replay.assert_request().await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains("status 400") && run.stderr.contains("DLI.0004"),
        "{}",
        run.stderr
    );
}

fn replay_request_body(cassette: &str) -> Value {
    replay::Cassette::load(cassette).request.body.unwrap()
}

/// `--all` reads every page, one item per line.
#[tokio::test]
async fn all_streams_every_page() {
    let server = MockServer::start().await;
    let pages = Arc::new(Mutex::new(Vec::new()));
    let seen = pages.clone();
    Mock::given(any())
        .respond_with(move |request: &Request| {
            assert!(verify_signature(request).is_ok());
            let page: u64 = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "current-page")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(1);
            seen.lock().unwrap().push(page);
            let jobs: Vec<Value> = ((page - 1) * 2..(page * 2).min(5))
                .map(|i| json!({"job_id": format!("job-{i}"), "status": "FINISHED"}))
                .collect();
            ResponseTemplate::new(200)
                .set_body_json(json!({"is_success": true, "job_count": 5, "jobs": jobs}))
        })
        .mount(&server)
        .await;
    let run = cloudjobs(
        &server.uri(),
        &["dli-v1", "list-sql-jobs", "--page-size", "2", "--all"],
        None,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ids: Vec<String> = run
        .stdout
        .lines()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["job_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(ids, ["job-0", "job-1", "job-2", "job-3", "job-4"]);
    assert_eq!(*pages.lock().unwrap(), [1, 2, 3]);
}

/// A server whose job reports `statuses` in turn (the last for ever).
async fn job_server(statuses: &'static [&'static str]) -> MockServer {
    let server = MockServer::start().await;
    let polls = Arc::new(Mutex::new(0usize));
    Mock::given(any())
        .respond_with(move |request: &Request| {
            assert!(verify_signature(request).is_ok());
            let mut polls = polls.lock().unwrap();
            let status = statuses[(*polls).min(statuses.len() - 1)];
            *polls += 1;
            ResponseTemplate::new(200).set_body_json(json!({
                "is_success": true, "job_id": ids::JOB, "status": status, "message": "from the test"
            }))
        })
        .mount(&server)
        .await;
    server
}

/// A waiter to success prints the last answer; to failure it exits 4 naming the phase; nothing
/// is drawn on a standard error that is not a terminal.
#[tokio::test]
async fn waiters_end_in_success_or_exit_4() {
    let cases: &[(&[&str], i32, &str)] = &[
        (&["RUNNING", "RUNNING", "FINISHED"], 0, ""),
        (&["RUNNING", "FAILED"], 4, "phase failed"),
    ];
    for (statuses, code, said) in cases {
        let server = job_server(statuses).await;
        let run = cloudjobs(
            &server.uri(),
            &[
                "dli-v1",
                "wait",
                "sql-job-finished",
                "--job-id",
                ids::JOB,
                "--poll-interval",
                "50ms",
                "--max-wait",
                "30s",
            ],
            None,
        )
        .await;
        assert_eq!(run.code, *code, "{statuses:?}: {}", run.stderr);
        if *code == 0 {
            assert_eq!(run.json()["status"], "FINISHED");
            assert!(run.stderr.is_empty(), "{}", run.stderr);
        } else {
            assert!(run.stderr.contains(said), "{}", run.stderr);
        }
    }
}

/// Exit codes: an invalid flag value, a documented range, a missing body are refused before
/// sending (2); no server is 3.
#[tokio::test]
async fn exit_codes_say_what_went_wrong() {
    let server = MockServer::start().await;
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["dli-v1", "list-sql-jobs", "--page-size", "500"],
            2,
            "page-size",
        ),
        (
            &["dli-v1", "list-sql-jobs", "--page-size", "many"],
            2,
            "--page-size",
        ),
        (&["dli-v1", "create-sql-job"], 2, "needs a request body"),
        (
            &[
                "dli-v1",
                "create-sql-job",
                "--json-body",
                "/nonexistent/body.json",
            ],
            2,
            "--json-body",
        ),
        (&["dli-v1", "no-such-operation"], 2, "no-such-operation"),
        (
            &[
                "dli-v1",
                "wait",
                "sql-job-finished",
                "--job-id",
                "x",
                "--max-wait",
                "10d",
            ],
            2,
            "unit",
        ),
    ];
    for (args, code, said) in cases {
        let run = cloudjobs(&server.uri(), args, None).await;
        assert_eq!(run.code, *code, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(said), "{args:?}: {}", run.stderr);
    }
    assert!(server.received_requests().await.unwrap().is_empty());

    let closed = "http://127.0.0.1:9";
    let run = cloudjobs(
        closed,
        &["dli-v1", "show-sql-job-status", "--job-id", ids::JOB],
        None,
    )
    .await;
    assert_eq!(run.code, 3, "{}", run.stderr);
}

/// Completions for the shells the issue names, each mentioning the services.
#[tokio::test]
async fn completions() {
    for shell in ["bash", "zsh", "fish"] {
        let run = cloudjobs("http://unused", &["completions", shell], None).await;
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains("dli-v1"), "{shell}");
    }
}

/// `--record DIR` writes the exchange as a cassette the harness replays, without the secret key
/// or the signature.
#[tokio::test]
async fn record_writes_a_scrubbed_cassette() {
    let dir = tempfile::tempdir().unwrap();
    let replay = Replay::start("dli-v1/show_sql_job_status.200").await;
    let record = dir.path().to_string_lossy().into_owned();
    let run = cloudjobs(
        &replay.url(),
        &[
            "--record",
            &record,
            "dli-v1",
            "show-sql-job-status",
            "--job-id",
            ids::JOB,
        ],
        None,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = dir.path().join("show_sql_job_status.200.json");
    let text = std::fs::read_to_string(&written).expect("the exchange is recorded");
    for secret in [TEST_SK, "SDK-HMAC-SHA256", "Signature="] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    let recorded = replay::Cassette::read(&written).unwrap();
    assert_eq!(
        recorded.request.path,
        replay::Cassette::load("dli-v1/show_sql_job_status.200")
            .request
            .path
    );
}

/// A cancel prints its outcome beside the answer: accepted exits 0; the service's "no such job"
/// (a documented 400 with `DLI.0002`) is `not_found` and exits 1.
#[tokio::test]
async fn cancels_print_their_outcome() {
    let cases: &[(&str, i32, &str)] = &[
        ("dli-v1/cancel_sql_job.200", 0, "accepted"),
        ("dli-v1/cancel_sql_job.400", 1, "not_found"),
    ];
    for (cassette, code, outcome) in cases {
        let replay = Replay::start(cassette).await;
        let run = cloudjobs(
            &replay.url(),
            &["dli-v1", "cancel-sql-job", "--job-id", ids::JOB],
            None,
        )
        .await;
        replay.assert_request().await;
        assert_eq!(run.code, *code, "{cassette}: {}", run.stderr);
        let printed = run.json();
        assert_eq!(
            printed["outcomes"][0]["outcome"], *outcome,
            "{cassette}: {printed}"
        );
        assert_eq!(printed["answer"], *replay.response_body(), "{cassette}");
    }
}
