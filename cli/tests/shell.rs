//! The shell's conventions, against the real `cloudjobs` binary: options anywhere, flags checked
//! before anything is sent, one `error:` a shell user can act on, bodies taken only as one JSON
//! object, the service's request ID, "timed out" when it did, record mode refused at start
//! where it cannot write, and standard output that stops for a reader that left and fails on a
//! full disk.

use std::{
    process::Stdio,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use replay::{TEST_AK, TEST_PROJECT, TEST_SK, ids};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers::any};

/// What one run of the program printed and how it ended.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// The program with the test credentials and project (`env` added or, with an empty value,
/// removed).
fn command(args: &[&str], env: &[(&str, &str)]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_cloudjobs"));
    command
        .args(args)
        .env("HUAWEICLOUD_SDK_AK", TEST_AK)
        .env("HUAWEICLOUD_SDK_SK", TEST_SK)
        .env("HUAWEICLOUD_SDK_PROJECT_ID", TEST_PROJECT)
        .env_remove("HUAWEICLOUD_SDK_SECURITY_TOKEN")
        .env_remove("CLOUDJOBS_TIMEOUT")
        .env_remove("CLOUDJOBS_RETRIES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        if value.is_empty() {
            command.env_remove(name);
        } else {
            command.env(name, value);
        }
    }
    command
}

async fn run(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let mut child = command(args, env).spawn().expect("the binary starts");
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

/// A server that answers every request with a job status (or, for `check-sql`, a documented
/// 400 with a request ID), and counts them.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|request: &Request| {
            if request.url.path().ends_with("/jobs/check-sql") {
                return ResponseTemplate::new(400)
                    .insert_header("X-Request-Id", "req-0123456789abcdef")
                    .set_body_json(json!({"is_success": false, "error_code": "DLI.0004", "message": "bad SQL"}));
            }
            ResponseTemplate::new(200).set_body_json(json!({
                "is_success": true, "job_id": ids::JOB, "status": "FINISHED"
            }))
        })
        .mount(&server)
        .await;
    server
}

/// Every case of the shell's conventions: (args, environment, standard input, exit code, what
/// standard error says, what it must not say, whether a request may be sent).
#[tokio::test]
async fn the_shells_conventions() {
    let server = server().await;
    let url = server.uri();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let file = file.to_string_lossy().into_owned();
    let under_file = format!("{file}/cassettes");
    let show = ["dli-v1", "show-sql-job-status", "--job-id", ids::JOB];
    let with = |extra: &[&str]| -> Vec<String> {
        show.iter().chain(extra).map(|s| (*s).to_owned()).collect()
    };
    let project_nl = format!("{TEST_PROJECT}\n");
    type Case<'a> = (
        Vec<String>,
        Vec<(&'a str, &'a str)>,
        Option<&'a str>,
        i32,
        &'a [&'a str],
        &'a [&'a str],
    );
    let args = |list: &[&str]| -> Vec<String> { list.iter().map(|s| (*s).to_owned()).collect() };
    let cases: Vec<Case> = vec![
        // Program options after the operation, and between service and operation.
        (with(&["--endpoint", &url]), vec![], None, 0, &[], &[]),
        (
            args(&[
                "dli-v1",
                "--endpoint",
                &url,
                "--retries",
                "0",
                "show-sql-job-status",
                "--job-id",
                ids::JOB,
            ]),
            vec![],
            None,
            0,
            &[],
            &[],
        ),
        (
            with(&[
                "--timeout",
                "5s",
                "--endpoint",
                &url,
                "--project-id",
                TEST_PROJECT,
            ]),
            vec![],
            None,
            0,
            &[],
            &[],
        ),
        // A trailing line break in the environment's project is removed.
        (
            with(&["--endpoint", &url]),
            vec![("HUAWEICLOUD_SDK_PROJECT_ID", &project_nl)],
            None,
            0,
            &[],
            &[],
        ),
        // --endpoint: an http(s) URL with a host, else 2 naming the flag.
        (
            with(&["--endpoint", "ftp://x"]),
            vec![],
            None,
            2,
            &["--endpoint", "ftp"],
            &["Communication"],
        ),
        (
            with(&["--endpoint", "file:///etc"]),
            vec![],
            None,
            2,
            &["--endpoint"],
            &[],
        ),
        (
            with(&["--endpoint", "not a url"]),
            vec![],
            None,
            2,
            &["--endpoint"],
            &[],
        ),
        (
            with(&["--endpoint", ""]),
            vec![],
            None,
            2,
            &["--endpoint"],
            &[],
        ),
        (
            with(&["--endpoint", "http://"]),
            vec![],
            None,
            2,
            &["--endpoint"],
            &[],
        ),
        // A security token over http:// is warned about.
        (
            with(&["--endpoint", &url]),
            vec![("HUAWEICLOUD_SDK_SECURITY_TOKEN", "token-of-the-session")],
            None,
            0,
            &["warning", "in clear"],
            &["token-of-the-session"],
        ),
        // --timeout and --retries are checked.
        (
            with(&["--endpoint", &url, "--timeout", "soon"]),
            vec![],
            None,
            2,
            &["--timeout"],
            &[],
        ),
        (
            with(&["--endpoint", &url, "--timeout", "0"]),
            vec![],
            None,
            2,
            &["--timeout"],
            &[],
        ),
        (
            with(&["--endpoint", &url, "--retries", "11"]),
            vec![],
            None,
            2,
            &["--retries"],
            &[],
        ),
        (
            with(&["--endpoint", &url]),
            vec![("CLOUDJOBS_RETRIES", "many")],
            None,
            2,
            &["--retries"],
            &[],
        ),
        // Words a shell user can act on.
        (
            with(&["--endpoint", &url]),
            vec![("HUAWEICLOUD_SDK_AK", "")],
            None,
            2,
            &["HUAWEICLOUD_SDK_AK"],
            &["Runtime::builder"],
        ),
        (
            args(&[
                "dli-queues-v1",
                "show-queue",
                "--queue-name",
                "..",
                "--endpoint",
                &url,
            ]),
            vec![],
            None,
            2,
            &["queue"],
            &["(?!", "\\x00"],
        ),
        (
            args(&["dli-v1", "check-sql", "--sql", "select", "--endpoint", &url]),
            vec![],
            None,
            1,
            &["status 400", "request ID req-0123456789abcdef", "DLI.0004"],
            &[],
        ),
        // Bodies: one JSON object, each key once.
        (
            args(&[
                "dli-v1",
                "create-sql-job",
                "--json-body",
                "-",
                "--endpoint",
                &url,
            ]),
            vec![],
            Some(r#"[[], null, "select 42"]"#),
            2,
            &["--json-body", "JSON object", "array"],
            &[],
        ),
        (
            args(&[
                "dli-v1",
                "create-sql-job",
                "--json-body",
                "-",
                "--endpoint",
                &url,
            ]),
            vec![],
            Some("42"),
            2,
            &["--json-body", "JSON object"],
            &[],
        ),
        (
            args(&[
                "dli-v1",
                "create-sql-job",
                "--json-body",
                "-",
                "--endpoint",
                &url,
            ]),
            vec![],
            Some(r#"{"sql": "select 1", "sql": "drop table t"}"#),
            2,
            &["--json-body", r#""sql" is given twice"#],
            &[],
        ),
        // --record where nothing can be written is refused at start.
        (
            with(&["--endpoint", &url, "--record", &file]),
            vec![],
            None,
            2,
            &["--record", "not a directory"],
            &[],
        ),
        (
            with(&["--endpoint", &url, "--record", &under_file]),
            vec![],
            None,
            2,
            &["--record"],
            &[],
        ),
    ];
    for (args, env, stdin, code, said, unsaid) in &cases {
        let before = server.received_requests().await.unwrap().len();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = run(&args, env, *stdin).await;
        let sent = server.received_requests().await.unwrap().len() - before;
        assert_eq!(run.code, *code, "{args:?} {env:?}: {run:?}");
        for part in *said {
            assert!(
                run.stderr.contains(part),
                "{args:?}: {part:?} not in {}",
                run.stderr
            );
        }
        for part in unsaid.iter().chain(&["Error:", "error: error"]) {
            assert!(
                !run.stderr.contains(part),
                "{args:?}: {part:?} in {}",
                run.stderr
            );
        }
        if *code == 2 {
            assert_eq!(sent, 0, "{args:?}: refused, yet sent");
        }
        if *code == 0 {
            assert!(run.stdout.contains(ids::JOB), "{args:?}: {run:?}");
        }
    }
    // The project from the environment reached the path without its line break.
    for request in server.received_requests().await.unwrap() {
        assert!(
            !request.url.path().contains("%0A"),
            "{}",
            request.url.path()
        );
    }
}

/// `--help` never prints the project ID from the environment, at any level.
#[tokio::test]
async fn help_never_prints_the_project() {
    let secret = "feedfacefeedfacefeedfacefeedface";
    for args in [
        &["--help"][..],
        &["dli-v1", "--help"],
        &["dli-v1", "show-sql-job-status", "--help"],
    ] {
        let run = run(args, &[("HUAWEICLOUD_SDK_PROJECT_ID", secret)], None).await;
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        assert!(!run.stdout.contains(secret), "{args:?}: {}", run.stdout);
    }
}

/// An attempt that outlasts `--timeout` is reported as timed out (exit 3), with retries or
/// without.
#[tokio::test]
async fn a_slow_service_times_out() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    for retries in ["0", "1"] {
        let run = run(
            &[
                "dli-v1",
                "show-sql-job-status",
                "--job-id",
                ids::JOB,
                "--endpoint",
                &server.uri(),
                "--timeout",
                "200ms",
                "--retries",
                retries,
            ],
            &[],
            None,
        )
        .await;
        assert_eq!(run.code, 3, "--retries {retries}: {run:?}");
        assert!(
            run.stderr.contains("timed out"),
            "--retries {retries}: {}",
            run.stderr
        );
    }
}

/// A list that never ends, two new items a page, with a total of a million.
async fn endless_list(pages: Arc<AtomicU64>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(move |request: &Request| {
            pages.fetch_add(1, Ordering::SeqCst);
            let page: u64 = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "current-page")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(1);
            let jobs: Vec<_> = (0..2)
                .map(|i| json!({"job_id": format!("job-{page}-{i}"), "status": "FINISHED"}))
                .collect();
            ResponseTemplate::new(200)
                .set_body_json(json!({"is_success": true, "job_count": 1_000_000, "jobs": jobs}))
        })
        .mount(&server)
        .await;
    server
}

/// A reader that leaves after the first line ends the program quietly with 0, and no further
/// page is asked for; a full disk is exit 6, not a success with the answer lost.
#[tokio::test]
async fn output_stops_for_a_reader_that_left_and_fails_on_a_full_disk() {
    let pages = Arc::new(AtomicU64::new(0));
    let server = endless_list(pages.clone()).await;
    let args = [
        "dli-v1",
        "list-sql-jobs",
        "--page-size",
        "2",
        "--all",
        "--endpoint",
        &server.uri(),
    ];
    let mut child = command(&args, &[]).spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).await.unwrap();
    assert!(first.contains("job-1-0"), "{first}");
    drop(stdout);
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("the program stops once its reader left")
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let asked = pages.load(Ordering::SeqCst);
    assert!(asked <= 3, "{asked} pages asked for after the reader left");

    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = command(
        &[
            "dli-v1",
            "show-sql-job-status",
            "--job-id",
            ids::JOB,
            "--endpoint",
            &server.uri(),
        ],
        &[],
    )
    .stdout(full)
    // Not `output()`: tokio's would pipe standard output again.
    .spawn()
    .unwrap()
    .wait_with_output()
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("cannot write standard output"), "{stderr}");
}

/// The operation's own `--project-id` is scrubbed from a recording like the program's.
#[tokio::test]
async fn record_scrubs_the_operations_project() {
    let server = server().await;
    let dir = tempfile::tempdir().unwrap();
    let other = "abcdefabcdefabcdefabcdefabcdef12";
    let run = run(
        &[
            "dli-v1",
            "show-sql-job-status",
            "--job-id",
            ids::JOB,
            "--project-id",
            other,
            "--endpoint",
            &server.uri(),
            "--record",
            &dir.path().to_string_lossy(),
        ],
        &[],
        None,
    )
    .await;
    assert_eq!(run.code, 0, "{run:?}");
    let path = server.received_requests().await.unwrap()[0]
        .url
        .path()
        .to_owned();
    assert!(path.contains(other), "{path}");
    let written = std::fs::read_to_string(dir.path().join("show_sql_job_status.200.json"))
        .expect("the exchange is recorded");
    assert!(!written.contains(other), "{written}");
    // The placeholder record mode writes for any project (the one replays are signed for).
    assert!(
        written.contains(&format!("/v1.0/{TEST_PROJECT}/jobs/")),
        "{written}"
    );
}
