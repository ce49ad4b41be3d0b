//! The runtime under the generated clients, against local servers: signatures the server
//! verifies (and refuses when wrong), token authentication, retries, and secrets kept out of
//! logs and errors.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use cloud_runtime::{Credentials, IamUser, RetryPolicy, Runtime, Secret, signing};
use dli_v1::{Client, Error, types::KnownSqlJobStatus};
use replay::ids::JOB;
use replay::{TEST_AK, TEST_PROJECT, refuse_bad_signatures, verify_signature};
use wiremock::{
    Mock, MockServer, Request, ResponseTemplate,
    matchers::{any, header, method, path},
};

const STATUS_BODY: &str = r#"{"is_success": true, "message": "", "job_id": "44b37a20-ffe8-42b1-b42b-78a5978d7e40", "status": "FINISHED"}"#;
const SK_FOR_WRONG_KEY_TEST: &str = "not-the-key-the-server-knows";

/// A runtime signing with the test key, retrying fast.
fn retrying_runtime(max_attempts: u32) -> Runtime {
    Runtime::builder()
        .credentials(Credentials::aksk(
            TEST_AK,
            "replay-secret-key-for-local-tests-only",
        ))
        .project_id(TEST_PROJECT)
        .retry(RetryPolicy {
            max_attempts,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

async fn show_status(
    client: &Client,
) -> Result<dli_v1::ResponseValue<dli_v1::types::SqlJobStatusResult>, Error<dli_v1::types::DliError>>
{
    client
        .show_sql_job_status()
        .project_id(TEST_PROJECT)
        .job_id(JOB)
        .send()
        .await
}

fn status_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(STATUS_BODY, "application/json")
}

/// A server that refuses bad signatures and answers `first` once, then `then` for ever.
async fn server_answering(first: ResponseTemplate, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    refuse_bad_signatures(&server).await;
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(then).mount(&server).await;
    server
}

/// A server answering `status_ok` to everything, signed or not (for token authentication).
async fn server_open() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(status_ok())
        .mount(&server)
        .await;
    server
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn a_signature_made_with_the_wrong_secret_key_is_refused() {
    let server = server_answering(status_ok(), status_ok()).await;
    let runtime = Runtime::builder()
        .credentials(Credentials::aksk(TEST_AK, SK_FOR_WRONG_KEY_TEST))
        .project_id(TEST_PROJECT)
        .build()
        .unwrap();
    let result = show_status(&Client::with_runtime(&server.uri(), runtime)).await;
    let message = replay::expect_unexpected_status(result, 401);
    assert!(message.contains("APIGW.0301"), "{message}");
    let problem = verify_signature(&received(&server).await[0]).unwrap_err();
    assert!(problem.starts_with("signature mismatch"), "{problem}");
}

#[tokio::test]
async fn a_request_changed_after_signing_is_refused() {
    let server = server_answering(status_ok(), status_ok()).await;
    let key = signing::SigningKey::new(
        TEST_AK,
        &Secret::new("replay-secret-key-for-local-tests-only"),
    )
    .unwrap();
    let http = reqwest::Client::new();
    let signed = |query: &str| {
        let mut request = http
            .get(format!("{}/v1.0/{TEST_PROJECT}/jobs?{query}", server.uri()))
            .header("x-project-id", TEST_PROJECT)
            .build()
            .unwrap();
        signing::sign_request(&mut request, &key, chrono::Utc::now());
        request
    };
    let honest = signed("page-size=10");
    assert_eq!(http.execute(honest).await.unwrap().status(), 200);

    let mut tampered = signed("page-size=10");
    tampered.url_mut().set_query(Some("page-size=1000"));
    assert_eq!(http.execute(tampered).await.unwrap().status(), 401);

    let mut tampered = signed("page-size=10");
    tampered
        .headers_mut()
        .insert("x-project-id", "another-project".parse().unwrap());
    assert_eq!(http.execute(tampered).await.unwrap().status(), 401);
}

#[tokio::test]
async fn a_read_is_retried_after_a_503_and_returns_the_body() {
    let server = server_answering(ResponseTemplate::new(503), status_ok()).await;
    let client = Client::with_runtime(&server.uri(), retrying_runtime(3));
    let status = show_status(&client).await.unwrap().into_inner();
    assert_eq!(status.status, Some(KnownSqlJobStatus::Finished.into()));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "one retry");
    for request in &requests {
        verify_signature(request).unwrap();
    }
}

#[tokio::test]
async fn a_read_gives_up_after_the_configured_attempts_with_a_clear_error() {
    let server = server_answering(ResponseTemplate::new(503), ResponseTemplate::new(503)).await;
    let client = Client::with_runtime(&server.uri(), retrying_runtime(4));
    match show_status(&client).await {
        Err(Error::Custom(message)) => assert_eq!(
            message,
            "show_sql_job_status: the service answered 503 Service Unavailable to all 4 attempts; giving up"
        ),
        other => panic!("expected the give-up error, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 4);
}

#[tokio::test]
async fn a_job_submission_answered_503_is_not_retried() {
    let server = server_answering(ResponseTemplate::new(503), status_ok()).await;
    let client = Client::with_runtime(&server.uri(), retrying_runtime(5));
    let result = client
        .create_sql_job()
        .project_id(TEST_PROJECT)
        .body_map(|b| b.sql("select 1"))
        .send()
        .await;
    let message = replay::expect_unexpected_status(result, 503);
    assert!(message.starts_with("create_sql_job: "), "{message}");
    assert_eq!(
        received(&server).await.len(),
        1,
        "a submission is sent once"
    );
}

#[tokio::test]
async fn a_cancel_sent_as_post_is_retried() {
    let server = server_answering(
        ResponseTemplate::new(502),
        ResponseTemplate::new(200).set_body_raw(r#"{"status": "SUCCEED"}"#, "application/json"),
    )
    .await;
    let client = mrs_v2::Client::with_runtime(&server.uri(), retrying_runtime(3));
    let result = client
        .cancel_sql()
        .project_id(TEST_PROJECT)
        .cluster_id("a9d74c8b-d2a7-4ee0-8cb2-ec1df5e52b4e")
        .sql_id("b4dbab3c-e2de-4fb0-9dcf-a8e54e6d7e1c")
        .send()
        .await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(received(&server).await.len(), 2);
    assert!(mrs_v2::RETRY_SAFE_OPERATIONS.contains(&"cancel_sql"));
    assert!(!mrs_v2::RETRY_SAFE_OPERATIONS.contains(&"execute_sql"));
}

#[tokio::test]
async fn retry_after_is_waited_for() {
    let server = server_answering(
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        status_ok(),
    )
    .await;
    let client = Client::with_runtime(&server.uri(), retrying_runtime(3));
    let started = Instant::now();
    show_status(&client).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    }; // nothing listens there any more
    let client = Client::with_runtime(&format!("http://127.0.0.1:{port}"), retrying_runtime(3));
    match show_status(&client).await {
        Err(Error::Custom(message)) => assert!(
            message.starts_with("show_sql_job_status: no answer after 3 attempts: "),
            "{message}"
        ),
        other => panic!("expected the give-up error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_held_token_is_sent_as_x_auth_token_without_a_signature() {
    let server = MockServer::start().await;
    Mock::given(header("x-auth-token", "token-held-by-the-user"))
        .respond_with(status_ok())
        .mount(&server)
        .await;
    let runtime = Runtime::builder()
        .credentials(Credentials::Token(Secret::new("token-held-by-the-user")))
        .build()
        .unwrap();
    show_status(&Client::with_runtime(&server.uri(), runtime))
        .await
        .unwrap();
    let request = &received(&server).await[0];
    assert!(request.headers.get("authorization").is_none());
    assert!(request.headers.get("x-sdk-date").is_none());
}

fn iam_user(iam: &MockServer) -> IamUser {
    IamUser {
        iam_url: iam.uri(),
        user: "alice".into(),
        password: Secret::new("password-of-alice"),
        domain: "example-domain".into(),
        project_id: TEST_PROJECT.into(),
    }
}

/// A runtime obtaining its tokens from the IAM server `iam`.
fn iam_runtime(iam: &MockServer) -> Runtime {
    Runtime::builder()
        .credentials(Credentials::Iam(iam_user(iam)))
        .build()
        .unwrap()
}

async fn iam_issuing(token: &str, valid_for: chrono::Duration) -> MockServer {
    let iam = MockServer::start().await;
    let expires_at = (chrono::Utc::now() + valid_for).to_rfc3339();
    Mock::given(method("POST"))
        .and(path("/v3/auth/tokens"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("x-subject-token", token)
                .set_body_json(serde_json::json!({"token": {"expires_at": expires_at}})),
        )
        .mount(&iam)
        .await;
    iam
}

#[tokio::test]
async fn an_iam_token_is_obtained_once_and_reused_until_near_expiry() {
    let iam = iam_issuing("token-from-iam", chrono::Duration::hours(1)).await;
    let server = MockServer::start().await;
    Mock::given(header("x-auth-token", "token-from-iam"))
        .respond_with(status_ok())
        .mount(&server)
        .await;
    let runtime = iam_runtime(&iam);
    let client = Client::with_runtime(&server.uri(), runtime);
    show_status(&client).await.unwrap();
    show_status(&client).await.unwrap();
    let token_requests = received(&iam).await;
    assert_eq!(token_requests.len(), 1, "the token is cached");
    let body: serde_json::Value = serde_json::from_slice(&token_requests[0].body).unwrap();
    assert_eq!(body["auth"]["identity"]["methods"][0], "password");
    assert_eq!(
        body["auth"]["identity"]["password"]["user"]["name"],
        "alice"
    );
    assert_eq!(
        body["auth"]["identity"]["password"]["user"]["domain"]["name"],
        "example-domain"
    );
    assert_eq!(body["auth"]["scope"]["project"]["id"], TEST_PROJECT);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn an_iam_refusal_is_a_clear_error_without_the_password() {
    let iam = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            r#"{"error": {"code": 401, "message": "The username or password is wrong."}}"#,
            "application/json",
        ))
        .mount(&iam)
        .await;
    let runtime = iam_runtime(&iam);
    let client = Client::with_runtime("http://127.0.0.1:9", runtime);
    match show_status(&client).await {
        Err(Error::Custom(message)) => {
            assert!(
                message.contains("IAM refused the token request"),
                "{message}"
            );
            assert!(message.contains("401"), "{message}");
            assert!(!message.contains("password-of-alice"), "{message}");
        }
        other => panic!("expected the IAM error, got {other:?}"),
    }
}

/// Collects everything logged, at every level.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_never_reach_logs_debug_or_errors() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // Global, not scoped to this thread: a thread-local subscriber misses events when other
    // tests run at once. The other tests' logs are captured too, and checked with these.
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");

    const SK: &str = "replay-secret-key-for-local-tests-only";
    let signed = retrying_runtime(2);
    let server = server_answering(ResponseTemplate::new(503), status_ok()).await;
    show_status(&Client::with_runtime(&server.uri(), signed.clone()))
        .await
        .unwrap();

    let iam = iam_issuing("iam-token-secret-value", chrono::Duration::hours(1)).await;
    let with_token = iam_runtime(&iam);
    let token_server = server_open().await;
    show_status(&Client::with_runtime(
        &token_server.uri(),
        with_token.clone(),
    ))
    .await
    .unwrap();

    let temporary = Runtime::builder()
        .credentials(Credentials::AkSk {
            ak: TEST_AK.into(),
            sk: Secret::new(SK),
            security_token: Some(Secret::new("security-token-secret-value")),
        })
        .build()
        .unwrap();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("operation=\"show_sql_job_status\"")
            || logs.contains("operation=show_sql_job_status"),
        "{logs}"
    );
    assert!(logs.contains("retrying"), "{logs}");
    let debug = format!("{signed:?} {with_token:?} {temporary:?}");
    for secret in [
        SK,
        "password-of-alice",
        "iam-token-secret-value",
        "security-token-secret-value",
    ] {
        assert!(!logs.contains(secret), "`{secret}` logged:\n{logs}");
        assert!(!debug.contains(secret), "`{secret}` in Debug: {debug}");
    }
    assert!(
        debug.contains(TEST_AK),
        "the access key id identifies the caller: {debug}"
    );
}
