//! Record mode (issue 24), end to end through the generated `dli_v1` client: with AK/SK (and a
//! security token), a held token and an IAM user, a local stand-in for the real service is
//! called (a submit, a status poll, a documented error, a 503 retried into a 200), every exchange
//! written by the runtime; every written byte is searched for every secret; then each recording is
//! replayed through the harness (signature verified with the test key) and gives the typed value
//! the live call gave, with the secrets replaced.

use std::{
    fmt::Debug,
    future::Future,
    path::{Path, PathBuf},
    pin::Pin,
    time::Duration,
};

use cloud_runtime::{
    Credentials, IamUser, RetryPolicy, Runtime, Secret,
    record::{DOMAIN_PLACEHOLDER, PROJECT_PLACEHOLDER, SCRUBBED},
};
use dli_v1::Client;
use replay::{Cassette, Error, Replay, ResponseValue, ids};
use serde::Serialize;
use serde_json::{Value, json};
use wiremock::{
    Mock, MockServer, Request, ResponseTemplate,
    matchers::{method, path},
};

/// The live account's values: none may reach a recording.
const LIVE_PROJECT: &str = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const LIVE_DOMAIN: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const LIVE_AK: &str = "LIVEAKQ7X2M9P4R8T1ZZ";
const LIVE_SK: &str = "live-secret-key-never-written-5f3a9c1e7b";
const LIVE_SECURITY_TOKEN: &str = "gQpjbi1ub3J0aC00LiveSecurityToken0123456789abcdefXYZ";
const LIVE_TOKEN: &str = "MIILiveTokenHeldByTheCaller0123456789abcdefghijklmnopqrstuvwxyz";
const IAM_TOKEN: &str = "MIIIamIssuedToken0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH";
const LIVE_PASSWORD: &str = "correct horse battery staple 42";
/// A caller-declared literal (`.scrub_literal(BUCKET, "<bucket>")`).
const BUCKET: &str = "acme-prod-bucket";
const BUCKET_PLACEHOLDER: &str = "<bucket>";

/// Job IDs the stand-in answers differently for.
const MISSING_JOB: &str = "0f0f0f0f-0000-4000-8000-000000000404";
const BUSY_JOB: &str = "0f0f0f0f-0000-4000-8000-000000000503";

#[derive(Debug, Clone, Copy)]
enum Kind {
    AkSk,
    Token,
    Iam,
}

/// What a call sends that differs between the live call and its replay.
#[derive(Clone, Copy)]
struct Values {
    project: &'static str,
    bucket: &'static str,
}

const LIVE: Values = Values {
    project: LIVE_PROJECT,
    bucket: BUCKET,
};
const REPLAYED: Values = Values {
    project: PROJECT_PLACEHOLDER,
    bucket: BUCKET_PLACEHOLDER,
};

/// A call's typed outcome: its status, the typed value's `Debug` and its JSON, for a success and
/// for a documented error alike; `Err` for anything else (the runtime's own error text).
#[derive(Debug)]
struct Typed {
    status: u16,
    debug: String,
    json: Value,
}

type Outcome = Result<Typed, String>;
type Call = fn(Client, Values) -> Pin<Box<dyn Future<Output = Outcome>>>;

async fn typed<T, E>(call: impl Future<Output = Result<ResponseValue<T>, Error<E>>>) -> Outcome
where
    T: Serialize + Debug,
    E: Serialize + Debug,
{
    let typed = |status: u16, value: &dyn erased::Value| Typed {
        status,
        debug: value.debug(),
        json: value.json(),
    };
    match call.await {
        Ok(value) => {
            let status = value.status().as_u16();
            Ok(typed(status, &value.into_inner()))
        }
        Err(Error::ErrorResponse(error)) => {
            let status = error.status().as_u16();
            Ok(typed(status, &error.into_inner()))
        }
        Err(other) => Err(other.to_string()),
    }
}

/// A typed value as the table compares it.
mod erased {
    pub trait Value {
        fn debug(&self) -> String;
        fn json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize + std::fmt::Debug> Value for T {
        fn debug(&self) -> String {
            format!("{self:?}")
        }
        fn json(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap_or_default()
        }
    }
}

fn submit(client: Client, values: Values) -> Pin<Box<dyn Future<Output = Outcome>>> {
    Box::pin(async move {
        let sql = format!("select * from obs_{}_orders", values.bucket);
        typed(
            client
                .create_sql_job()
                .project_id(values.project)
                .body_map(|b| b.sql(sql))
                .send(),
        )
        .await
    })
}

fn status_of(job: &'static str) -> Call {
    match job {
        ids::JOB => {
            |client, values| Box::pin(async move { status(client, values, ids::JOB).await })
        }
        MISSING_JOB => {
            |client, values| Box::pin(async move { status(client, values, MISSING_JOB).await })
        }
        _ => |client, values| Box::pin(async move { status(client, values, BUSY_JOB).await }),
    }
}

async fn status(client: Client, values: Values, job: &str) -> Outcome {
    typed(
        client
            .show_sql_job_status()
            .project_id(values.project)
            .job_id(job)
            .send(),
    )
    .await
}

/// The calls made live, in order, and the recordings each leaves (the retried poll leaves two: its
/// 503, and its 200 under the next free case name).
fn calls() -> Vec<(&'static str, Call, &'static [&'static str])> {
    vec![
        ("submit", submit, &["create_sql_job.200"]),
        ("status", status_of(ids::JOB), &["show_sql_job_status.200"]),
        (
            "documented error",
            status_of(MISSING_JOB),
            &["show_sql_job_status.400"],
        ),
        (
            "503, retried",
            status_of(BUSY_JOB),
            &[
                "show_sql_job_status.503",
                "show_sql_job_status.200.recorded-2",
            ],
        ),
    ]
}

/// What the caller presented on a request: the `Authorization` header or the token.
fn presented(request: &Request) -> String {
    ["authorization", "x-auth-token"]
        .iter()
        .filter_map(|h| request.headers.get(*h)?.to_str().ok())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The stand-in for the real service (and IAM): answers that carry the project ID, the domain
/// ID, the caller's bucket, a member the spec does not know, and (in an error) the credential
/// the caller presented, as a careless service might echo it.
async fn live_service() -> MockServer {
    let server = MockServer::start().await;
    let jobs = format!("/v1.0/{LIVE_PROJECT}/jobs");
    Mock::given(method("POST"))
        .and(path("/v3/auth/tokens"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("x-subject-token", IAM_TOKEN)
                .set_body_json(json!({"token": {
                    "expires_at": "2099-01-01T00:00:00Z",
                    "user": {"domain": {"id": LIVE_DOMAIN, "name": "acme"}},
                    "project": {"id": LIVE_PROJECT},
                }})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{jobs}/submit-job")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "is_success": true,
            "message": format!("submitted in project {LIVE_PROJECT}, reading obs://{BUCKET}/orders"),
            "job_id": ids::JOB,
            "job_type": "QUERY",
            "job_mode": "async",
            "queue_owner": {"domain_id": LIVE_DOMAIN, "tier": 2},
        })))
        .mount(&server)
        .await;
    let running = json!({
        "is_success": true,
        "message": "",
        "job_id": ids::JOB,
        "job_type": "QUERY",
        "status": "RUNNING",
        "owner": "recorder",
        "statement": format!("select * from obs_{BUCKET}_orders"),
        "duration": 1200,
    });
    for job in [ids::JOB, BUSY_JOB] {
        Mock::given(method("GET"))
            .and(path(format!("{jobs}/{job}/status")))
            .respond_with(ResponseTemplate::new(200).set_body_json(&running))
            .mount(&server)
            .await;
    }
    // The first poll of the busy job is refused (ahead of the 200 above), once.
    Mock::given(method("GET"))
        .and(path(format!("{jobs}/{BUSY_JOB}/status")))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "0")
                .set_body_json(json!({"error_code": "APIGW.0308", "error_msg": "busy"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{jobs}/{MISSING_JOB}/status")))
        .respond_with(|request: &Request| {
            ResponseTemplate::new(400).set_body_json(json!({
                "error_code": "DLI.0002",
                "error_msg": format!(
                    "The job does not exist in project {LIVE_PROJECT} (caller: {})",
                    presented(request)
                ),
            }))
        })
        .mount(&server)
        .await;
    server
}

fn credentials(kind: Kind, iam_url: &str) -> Credentials {
    match kind {
        Kind::AkSk => Credentials::AkSk {
            ak: LIVE_AK.into(),
            sk: Secret::from(LIVE_SK),
            security_token: Some(Secret::from(LIVE_SECURITY_TOKEN)),
        },
        Kind::Token => Credentials::Token(Secret::from(LIVE_TOKEN)),
        Kind::Iam => Credentials::Iam(IamUser {
            iam_url: iam_url.into(),
            user: "recorder".into(),
            password: Secret::from(LIVE_PASSWORD),
            domain: "acme".into(),
            project_id: LIVE_PROJECT.into(),
        }),
    }
}

fn recording_runtime(kind: Kind, iam_url: &str, dir: &Path) -> Runtime {
    Runtime::builder()
        .credentials(credentials(kind, iam_url))
        .project_id(LIVE_PROJECT)
        .domain_id(LIVE_DOMAIN)
        .scrub_literal(BUCKET, BUCKET_PLACEHOLDER)
        .retry(RetryPolicy {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(1),
            max_retry_after: Duration::from_millis(1),
        })
        .record(dir)
        .build()
        .expect("the recording runtime builds")
}

/// `text` with the live values replaced as the recorder replaces them: what a recording's replay
/// must give for what the live call gave.
fn as_recorded(text: &str, presented: &[String]) -> String {
    let mut literals: Vec<(&str, &str)> = presented
        .iter()
        .map(|p| (p.as_str(), SCRUBBED))
        .chain([
            (LIVE_PROJECT, PROJECT_PLACEHOLDER),
            (LIVE_DOMAIN, DOMAIN_PLACEHOLDER),
            (BUCKET, BUCKET_PLACEHOLDER),
        ])
        .collect();
    literals.sort_by_key(|(value, _)| std::cmp::Reverse(value.len()));
    literals
        .into_iter()
        .fold(text.to_owned(), |text, (value, placeholder)| {
            text.replace(value, placeholder)
        })
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the recording directory exists")
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn recordings_hold_no_secret_and_replay_to_the_same_typed_values() {
    for kind in [Kind::AkSk, Kind::Token, Kind::Iam] {
        let live = live_service().await;
        let dir = tempfile::tempdir().expect("a temporary directory");
        let runtime = recording_runtime(kind, &live.uri(), dir.path());
        assert_eq!(runtime.recording_dir(), Some(dir.path()), "{kind:?}");
        let client = Client::with_runtime(&live.uri(), runtime);

        // Live: each call's typed outcome, and the recordings it is expected to leave.
        let mut expected = Vec::new();
        for (what, call, recordings) in calls() {
            let outcome = call(client.clone(), LIVE).await;
            let typed = outcome.unwrap_or_else(|e| panic!("{kind:?} {what}: {e}"));
            for recording in recordings {
                expected.push((*recording, call, typed.debug.clone()));
            }
        }
        let received = live.received_requests().await.expect("requests are kept");
        let presented: Vec<String> = received
            .iter()
            .map(presented)
            .filter(|p| !p.is_empty())
            .collect();
        assert!(
            !presented.is_empty(),
            "{kind:?}: every call is authenticated"
        );

        // Exactly the expected files, each whole JSON: no temporary file left, nothing else.
        let mut names: Vec<String> = files_in(dir.path())
            .iter()
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        let mut want: Vec<String> = expected
            .iter()
            .map(|(name, _, _)| format!("{name}.json"))
            .collect();
        want.sort();
        assert_eq!(names, want, "{kind:?}: the files written");

        // Not one byte of any secret, in any file.
        let mut secrets: Vec<(&str, String)> = vec![
            ("secret key", LIVE_SK.into()),
            ("access key", LIVE_AK.into()),
            ("security token", LIVE_SECURITY_TOKEN.into()),
            ("held token", LIVE_TOKEN.into()),
            ("IAM token", IAM_TOKEN.into()),
            ("IAM password", LIVE_PASSWORD.into()),
            ("project ID", LIVE_PROJECT.into()),
            ("domain ID", LIVE_DOMAIN.into()),
            ("declared literal", BUCKET.into()),
        ];
        for value in &presented {
            secrets.push(("credential presented", value.clone()));
            if let Some((_, signature)) = value.rsplit_once("Signature=") {
                secrets.push(("signature", signature.to_owned()));
            }
        }
        for file in files_in(dir.path()) {
            let bytes = std::fs::read(&file).expect("the recording reads");
            let text = String::from_utf8_lossy(&bytes);
            for (what, secret) in &secrets {
                assert!(
                    !text.contains(secret.as_str()),
                    "{kind:?}: {} holds the {what}",
                    file.display()
                );
            }
        }

        // The placeholders stand where the secrets were, and the undocumented member is listed.
        let submitted = Cassette::read(&dir.path().join("create_sql_job.200.json"))
            .expect("the submit recording reads");
        assert_eq!(
            submitted.request.path,
            format!("/v1.0/{PROJECT_PLACEHOLDER}/jobs/submit-job"),
            "{kind:?}"
        );
        assert_eq!(
            submitted.request.body,
            Some(json!({"sql": "select * from obs_<bucket>_orders"})),
            "{kind:?}"
        );
        assert_eq!(
            submitted.response.body.as_ref().map(|b| &b["queue_owner"]),
            Some(&json!({"domain_id": DOMAIN_PLACEHOLDER, "tier": 2})),
            "{kind:?}"
        );
        assert_eq!(submitted.response.unmodelled, ["/queue_owner"], "{kind:?}");
        assert!(
            submitted
                .source
                .starts_with("recorded by cloud-runtime record mode from 127.0.0.1"),
            "{kind:?}: {}",
            submitted.source
        );
        let refused = Cassette::read(&dir.path().join("show_sql_job_status.400.json"))
            .expect("the error recording reads");
        let message = refused
            .response
            .body
            .as_ref()
            .map(|b| b["error_msg"].clone());
        assert_eq!(
            message,
            Some(json!(format!(
                "The job does not exist in project {PROJECT_PLACEHOLDER} (caller: {SCRUBBED})"
            ))),
            "{kind:?}"
        );

        // Replayed through the harness, signed with the test key: the same typed values.
        for (name, call, live_debug) in &expected {
            let file = dir.path().join(format!("{name}.json"));
            let cassette = Cassette::read(&file).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
            let replay = Replay::serve(cassette, name).await;
            let client = Client::with_runtime(&replay.url(), replay::runtime());
            let outcome = call(client, REPLAYED).await;
            replay.assert_request().await;
            if name.ends_with(".503") {
                // The live call went on to its 200; alone, this exchange is an undocumented status.
                let error = outcome.expect_err("a 503 alone is an error");
                assert!(
                    error.contains("unexpected status 503"),
                    "{kind:?} {name}: {error}"
                );
                continue;
            }
            let typed = outcome.unwrap_or_else(|e| panic!("{kind:?} {name}: {e}"));
            assert_eq!(
                typed.status, replay.cassette.response.status,
                "{kind:?} {name}"
            );
            replay.assert_decoded(&typed.json);
            assert_eq!(
                typed.debug,
                as_recorded(live_debug, &presented),
                "{kind:?} {name}: the replayed typed value differs from the live one"
            );
        }
    }
}

/// Record mode off (the default, and no environment variable in tests): nothing written, no
/// directory reported.
#[tokio::test]
async fn record_mode_is_off_unless_asked_for() {
    let live = live_service().await;
    let runtime = Runtime::builder()
        .credentials(credentials(Kind::AkSk, &live.uri()))
        .build()
        .expect("a runtime builds");
    assert_eq!(runtime.recording_dir(), None);
    assert!(!format!("{runtime:?}").contains(LIVE_SK));
}

/// The fields a spec marks secret (MRS v2 `create_cluster`'s two passwords) are replaced in a
/// recording, and the recording replays: the harness accepts the password the client sends
/// where the cassette shows the placeholder.
#[tokio::test]
async fn secret_request_fields_are_scrubbed_and_the_recording_replays() {
    const ADMIN: &str = "Mrs@Admin2026!live";
    const ROOT: &str = "Mrs@Root2026!live";
    let live = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"cluster_id": ids::CLUSTER})))
        .mount(&live)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let runtime = Runtime::builder()
        .credentials(Credentials::aksk(LIVE_AK, LIVE_SK))
        .project_id(LIVE_PROJECT)
        .retry(RetryPolicy::none())
        .record(dir.path())
        .build()
        .unwrap();
    let mut body = Cassette::load("mrs-v2/create_cluster.200")
        .request
        .body
        .unwrap();
    body["manager_admin_password"] = json!(ADMIN);
    body["node_root_password"] = json!(ROOT);
    let request: mrs_v2::types::CreateClusterRequest = serde_json::from_value(body).unwrap();
    let client = mrs_v2::Client::with_runtime(&live.uri(), runtime);
    client
        .create_cluster()
        .project_id(LIVE_PROJECT)
        .body(request.clone())
        .send()
        .await
        .unwrap();

    let written = dir.path().join("create_cluster.200.json");
    let text = std::fs::read_to_string(&written).unwrap();
    for secret in [ADMIN, ROOT, LIVE_SK, LIVE_PROJECT] {
        assert!(!text.contains(secret), "{secret} is in the recording");
    }
    let recorded = Cassette::read(&written).unwrap();
    let sent = recorded.request.body.clone().unwrap();
    assert_eq!(sent["manager_admin_password"], SCRUBBED);
    assert_eq!(sent["node_root_password"], SCRUBBED);

    let replay = Replay::serve(recorded, "recorded create_cluster").await;
    let client = mrs_v2::Client::with_runtime(&replay.url(), replay::runtime());
    let answer = client
        .create_cluster()
        .project_id(PROJECT_PLACEHOLDER)
        .body(request)
        .send()
        .await
        .unwrap();
    replay.assert_request().await;
    assert_eq!(
        answer.into_inner().cluster_id.as_deref(),
        Some(ids::CLUSTER)
    );
}
