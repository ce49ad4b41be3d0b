//! Replays recorded HTTP exchanges (cassettes) through a real local HTTP server.
//!
//! A cassette (`cassettes/<crate>/<operation_id>.<status>[.<case>].json`) holds the request a
//! generated client must send and the response to answer with, plus the doc page it came from.
//! [`Replay::start`] serves the response to any request on a fresh local [`MockServer`], so a wrong
//! request still gets an answer and the test can report exactly what differed:
//! [`Replay::assert_request`] compares the one request received with the recording.
//!
//! Every replayed call is signed: clients get [`runtime`] (a test AK/SK), and the server, like
//! the API gateway, recomputes the `SDK-HMAC-SHA256` signature from the request it received and
//! answers 401 to a mismatch ([`verify_signature`]).

use std::{
    collections::BTreeMap,
    future::Future,
    path::{Path, PathBuf},
};

use cloud_runtime::{
    Credentials, RetryPolicy, Runtime, Secret,
    signing::{self, ParsedAuthorization, Parts},
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate, matchers::any};

pub use progenitor_client::{Error, ResponseValue};

/// A recorded exchange, as stored on disk.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cassette {
    /// The spec's `operationId` this exchange belongs to.
    pub operation_id: String,
    /// Where the exchange comes from: the doc page and its example.
    pub source: String,
    /// Decisions taken while recording (a doc contradiction, a value the doc leaves open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub request: RecordedRequest,
    pub response: RecordedResponse,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RecordedRequest {
    pub method: String,
    /// The raw path as sent, percent-encoding included.
    pub path: String,
    /// Query pairs; compared in any order (a signed request sends them sorted, canonically).
    #[serde(default)]
    pub query: Vec<(String, String)>,
    /// Headers that matter (lower-case names); others the client sends are ignored.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// JSON body; absent for a request without a body.
    #[serde(default)]
    pub body: Option<Value>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedResponse {
    pub status: u16,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// JSON body; absent for an empty body.
    #[serde(default)]
    pub body: Option<Value>,
    /// JSON pointers (into `body`) of members the spec does not know: the typed value must drop them
    /// and decode everything else.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmodelled: Vec<String>,
}

/// The directory holding every cassette.
pub fn cassettes_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("cassettes")
}

impl Cassette {
    /// Loads `name` (`dli-v1/cancel_sql_job.200`), checking that its file name agrees with its
    /// content: the operation id and the status are part of how cassettes are found.
    pub fn load(name: &str) -> Cassette {
        let path = cassettes_dir().join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read cassette {}: {e}", path.display()));
        let cassette: Cassette = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("cassette {} is malformed: {e}", path.display()));
        let file_name = name.rsplit('/').next().unwrap_or(name);
        let mut parts = file_name.split('.');
        assert_eq!(
            parts.next(),
            Some(cassette.operation_id.as_str()),
            "{name}: file name must start with the operation id"
        );
        assert_eq!(
            parts.next(),
            Some(cassette.response.status.to_string().as_str()),
            "{name}: file name must carry the response status after the operation id"
        );
        cassette
    }
}

/// Headers a replayed (AK/SK-signed) request must not carry: progenitor's `api-version`, which the
/// vendor's SDKs never send, and a token beside the signature.
pub const HEADERS_NEVER_SENT: &[&str] = &["api-version", "x-auth-token"];

/// The test credentials every replayed call is signed with (not a real key).
pub const TEST_AK: &str = "AKREPLAY000000000001";
const TEST_SK: &str = "replay-secret-key-for-local-tests-only";
/// Sent and signed as `X-Project-Id`.
pub const TEST_PROJECT: &str = "37caa80116e1403ab603e5eeb48a2f74";

/// The runtime replayed clients call through: AK/SK signing with the test key, no retries (a
/// cassette is one exchange; retries have their own tests).
pub fn runtime() -> Runtime {
    Runtime::builder()
        .credentials(Credentials::aksk(TEST_AK, TEST_SK))
        .project_id(TEST_PROJECT)
        .retry(RetryPolicy::none())
        .build()
        .expect("a runtime builds")
}

/// Checks a received request's signature as the gateway does: the `Authorization` header is
/// recomputed from the method, path, query, signed headers and body that arrived, with the test
/// key. Also requires what a signed request must carry: `Host`, `X-Sdk-Date` (within 15 minutes)
/// and `X-Project-Id` signed, and the query sent in the canonical form that was signed.
pub fn verify_signature(request: &Request) -> Result<(), String> {
    let header = |name: &str| {
        let values: Vec<&str> = request
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        (!values.is_empty()).then(|| values.join(","))
    };
    let authorization = header("authorization").ok_or("no Authorization header")?;
    let parsed = ParsedAuthorization::parse(&authorization)
        .ok_or_else(|| format!("not an SDK-HMAC-SHA256 authorization: {authorization}"))?;
    if parsed.access != TEST_AK {
        return Err(format!("signed with access key {}", parsed.access));
    }
    for required in ["host", "x-sdk-date", "x-project-id"] {
        if !parsed.signed_headers.iter().any(|h| h == required) {
            return Err(format!("`{required}` is not signed: {authorization}"));
        }
    }
    let date = header("x-sdk-date").ok_or("no X-Sdk-Date header")?;
    let signed_at = chrono::NaiveDateTime::parse_from_str(&date, "%Y%m%dT%H%M%SZ")
        .map_err(|e| format!("X-Sdk-Date `{date}`: {e}"))?
        .and_utc();
    if (chrono::Utc::now() - signed_at).num_minutes().abs() > 15 {
        return Err(format!("X-Sdk-Date `{date}` is more than 15 minutes off"));
    }
    let mut headers = Vec::new();
    for name in &parsed.signed_headers {
        let value = header(name).ok_or_else(|| format!("signed header `{name}` was not sent"))?;
        headers.push((name.clone(), value));
    }
    let query: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let sent_query = request.url.query().unwrap_or_default();
    if sent_query != signing::canonical_query(&query) {
        return Err(format!(
            "the query sent, `{sent_query}`, is not the canonical one that was signed"
        ));
    }
    let method = request.method.as_str().to_owned();
    let parts = Parts {
        method: &method,
        path: request.url.path(),
        query: &query,
        headers: &headers,
        body: &request.body,
    };
    let expected = signing::authorization(TEST_AK, &Secret::new(TEST_SK), &parts)
        .map_err(|e| e.to_string())?;
    if expected != authorization {
        return Err(format!(
            "signature mismatch\n  sent:     {authorization}\n  expected: {expected}\ncanonical request the server computed:\n{}",
            signing::canonical_request(&parts).text
        ));
    }
    Ok(())
}

/// Matches requests whose signature does not verify, so the server can refuse them.
struct BadSignature;

impl Match for BadSignature {
    fn matches(&self, request: &Request) -> bool {
        verify_signature(request).is_err()
    }
}

/// Mounts, ahead of any other mock, the gateway's answer to a bad signature: 401 with the
/// gateway's error code and the reason.
pub async fn refuse_bad_signatures(server: &MockServer) {
    Mock::given(BadSignature)
        .respond_with(|request: &Request| {
            let reason = verify_signature(request).err().unwrap_or_default();
            ResponseTemplate::new(401).set_body_json(serde_json::json!({
                "error_code": "APIGW.0301",
                "error_msg": format!("Incorrect IAM authentication information: {reason}"),
            }))
        })
        .with_priority(1)
        .mount(server)
        .await;
}

/// A local server replaying one cassette.
pub struct Replay {
    pub cassette: Cassette,
    name: String,
    server: MockServer,
}

impl Replay {
    /// Starts a local server answering every request with the cassette's response.
    pub async fn start(name: &str) -> Replay {
        let cassette = Cassette::load(name);
        let server = MockServer::start().await;
        refuse_bad_signatures(&server).await;
        let recorded = &cassette.response;
        let mut template = ResponseTemplate::new(recorded.status);
        for (name, value) in &recorded.headers {
            template = template.insert_header(name.as_str(), value.as_str());
        }
        if let Some(body) = &recorded.body {
            let content_type = recorded
                .headers
                .get("content-type")
                .map_or("application/json", String::as_str);
            template = template.set_body_raw(
                serde_json::to_vec(body).expect("JSON serialises"),
                content_type,
            );
        }
        Mock::given(any())
            .respond_with(template)
            .mount(&server)
            .await;
        Replay {
            cassette,
            name: name.to_owned(),
            server,
        }
    }

    /// The base URL to hand to a generated `Client::with_runtime` (with [`runtime`]).
    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// Asserts the server received exactly one request, equal to the recorded one: method, raw
    /// path, query pairs, the recorded headers, and the JSON body (or no body).
    pub async fn assert_request(&self) {
        let received = self
            .server
            .received_requests()
            .await
            .expect("request recording is on");
        assert_eq!(
            received.len(),
            1,
            "{}: expected exactly one request, got {}",
            self.name,
            received.len()
        );
        let request = &received[0];
        if let Err(problem) = verify_signature(request) {
            panic!(
                "{}: the request's signature does not verify: {problem}",
                self.name
            );
        }
        let want = &self.cassette.request;
        for header in HEADERS_NEVER_SENT {
            assert!(
                !request.headers.contains_key(*header),
                "{}: the client sent `{header}`, which the vendor's SDKs never send",
                self.name
            );
        }

        let bodyless_write =
            want.body.is_none() && matches!(request.method.as_str(), "POST" | "PUT" | "PATCH");
        if bodyless_write {
            // What the vendor's SDKs send; front ends may answer 411 without it.
            let length = request
                .headers
                .get("content-length")
                .and_then(|v| v.to_str().ok());
            assert_eq!(
                length,
                Some("0"),
                "{}: a body-less {} must carry Content-Length: 0",
                self.name,
                request.method
            );
        }
        let body = if request.body.is_empty() {
            None
        } else {
            Some(
                serde_json::from_slice::<Value>(&request.body).unwrap_or_else(|e| {
                    panic!(
                        "{}: request body is not JSON ({e}): {}",
                        self.name,
                        String::from_utf8_lossy(&request.body)
                    )
                }),
            )
        };
        let headers = want
            .headers
            .keys()
            .filter_map(|name| {
                let value = request.headers.get(name.as_str())?.to_str().ok()?;
                Some((name.clone(), value.to_owned()))
            })
            .collect();
        let got = RecordedRequest {
            method: request.method.as_str().to_owned(),
            path: request.url.path().to_owned(),
            query: request
                .url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            headers,
            body,
        };
        let mut want = want.clone();
        let mut got = got;
        want.query.sort();
        got.query.sort();
        assert_eq!(
            got, want,
            "{}: the client's request differs from the recording (left: sent, right: recorded)",
            self.name
        );
    }

    /// The recorded response body.
    pub fn response_body(&self) -> &Value {
        self.cassette.response.body.as_ref().unwrap_or(&Value::Null)
    }

    /// Asserts that `typed`, serialised again, is the recorded body: every recorded field arrived
    /// in the typed value with its value (after [`without_nulls`] on both sides).
    /// Members listed in the cassette's `unmodelled` are expected to be dropped.
    pub fn assert_decoded<T: Serialize>(&self, typed: &T) {
        let typed = without_nulls(serde_json::to_value(typed).expect("typed values serialise"));
        let mut recorded = self.response_body().clone();
        for pointer in &self.cassette.response.unmodelled {
            let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
            let removed = recorded
                .pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .and_then(|object| object.remove(key));
            assert!(
                removed.is_some(),
                "{}: `unmodelled` names {pointer}, which the recorded body does not have",
                self.name
            );
        }
        let recorded = without_nulls(recorded);
        assert_eq!(
            typed, recorded,
            "{}: decoded value differs from the recorded body (left: typed, right: recorded)",
            self.name
        );
    }
}

/// Normalises a JSON value for comparing a typed value with a recording: drops members that are
/// `null`, `[]` or `{}` (generated types skip `None` and empty collections when serialising), and
/// writes every number as a float (a recorded `0` and a typed `0.0` are the same `double`).
pub fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, without_nulls(v)))
                .filter(|(_, v)| !is_empty(v))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Number(n), Value::Number),
        other => other,
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// Replays the success cassette `name` through `call` (given the server URL): asserts the request,
/// the status, and that the typed value serialises back to the recorded body. Returns the value
/// for the test's own field checks.
pub async fn replay_ok<T, E, Fut>(name: &str, call: impl FnOnce(String) -> Fut) -> T
where
    Fut: Future<Output = Result<ResponseValue<T>, Error<E>>>,
    T: Serialize + std::fmt::Debug,
    E: std::fmt::Debug,
{
    let replay = Replay::start(name).await;
    let result = call(replay.url()).await;
    replay.assert_request().await;
    let response = result.unwrap_or_else(|e| panic!("{name}: expected success, got {e:?}"));
    assert_eq!(
        response.status().as_u16(),
        replay.cassette.response.status,
        "{name}: status"
    );
    let value = response.into_inner();
    replay.assert_decoded(&value);
    value
}

/// Replays the error cassette `name` through `call`: asserts the request, that the outcome is
/// `Error::ErrorResponse` with the recorded status, and that the typed error serialises back to
/// the recorded body. Returns the error body for the test's own field checks.
pub async fn replay_err<T, E, Fut>(name: &str, call: impl FnOnce(String) -> Fut) -> E
where
    Fut: Future<Output = Result<ResponseValue<T>, Error<E>>>,
    T: std::fmt::Debug,
    E: Serialize + std::fmt::Debug,
{
    let replay = Replay::start(name).await;
    let result = call(replay.url()).await;
    replay.assert_request().await;
    let error = expect_error_response(result, replay.cassette.response.status);
    replay.assert_decoded(&error);
    error
}

/// Replays each error cassette of one operation (one per documented error status) through
/// `call`, as [`replay_err`] does; returns the typed errors in the order given.
pub async fn replay_errs<T, E, Fut>(names: &[&str], call: impl Fn(String) -> Fut) -> Vec<E>
where
    Fut: Future<Output = Result<ResponseValue<T>, Error<E>>>,
    T: std::fmt::Debug,
    E: Serialize + std::fmt::Debug,
{
    let mut errors = Vec::with_capacity(names.len());
    for name in names {
        errors.push(replay_err(name, &call).await);
    }
    errors
}

/// Unwraps the typed error body of an `Error::ErrorResponse` with the expected status; any other
/// outcome fails the test with what actually happened.
pub fn expect_error_response<T: std::fmt::Debug, E: std::fmt::Debug>(
    result: Result<ResponseValue<T>, Error<E>>,
    status: u16,
) -> E {
    match result {
        Err(Error::ErrorResponse(response)) => {
            assert_eq!(response.status().as_u16(), status, "error status");
            response.into_inner()
        }
        Ok(value) => panic!(
            "expected an error response with status {status}, got success {:?}",
            value.into_inner()
        ),
        Err(other) => panic!("expected an error response with status {status}, got: {other}"),
    }
}

/// Starts a server that answers everything with `status` and a non-JSON body: what a gateway
/// says when the service itself is not reached.
pub async fn serve_undeclared(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_raw("<html><body>gateway says no</body></html>", "text/html"),
        )
        .mount(&server)
        .await;
    server
}

/// Asserts that `result` is the runtime's readable error for a status the docs do not list: it
/// names the status and quotes the body, bounded (`cloud_runtime::response`).
pub fn expect_unexpected_status<T: std::fmt::Debug, E: std::fmt::Debug>(
    result: Result<ResponseValue<T>, Error<E>>,
    status: u16,
) -> String {
    match result {
        Err(Error::Custom(message)) => {
            assert!(
                message.contains(&format!(": unexpected status {status} ")),
                "{message}"
            );
            assert!(
                message.contains("body (") || message.ends_with("empty body"),
                "{message}"
            );
            message
        }
        other => panic!("expected the unexpected-status error for {status}, got {other:?}"),
    }
}

/// One request as it arrived on the socket, before any URL parsing: what a client really sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRequest {
    /// `POST /v2/p/clusters/c/job-executions/j/kill HTTP/1.1`
    pub line: String,
    /// Header names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A local HTTP/1.1 listener that records each request's raw request line, headers and body and
/// answers every one with `status` and `body`. wiremock parses (and so normalises) URLs; this
/// shows the bytes a client put on the wire.
pub struct RawListener {
    pub url: String,
    received: std::sync::Arc<std::sync::Mutex<Vec<RawRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl RawListener {
    pub async fn start(status: u16, body: &'static str) -> RawListener {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = received.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let log = log.clone();
                tokio::spawn(async move {
                    let mut data = Vec::new();
                    let mut buffer = [0u8; 4096];
                    let head_end = loop {
                        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                            break at;
                        }
                        match socket.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => data.extend_from_slice(&buffer[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
                    let mut lines = head.split("\r\n");
                    let line = lines.next().unwrap_or_default().to_owned();
                    let headers: Vec<(String, String)> = lines
                        .filter_map(|l| l.split_once(':'))
                        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
                        .collect();
                    let length: usize = headers
                        .iter()
                        .find(|(n, _)| n == "content-length")
                        .and_then(|(_, v)| v.parse().ok())
                        .unwrap_or(0);
                    let mut received = data[head_end + 4..].to_vec();
                    while received.len() < length {
                        match socket.read(&mut buffer).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => received.extend_from_slice(&buffer[..n]),
                        }
                    }
                    log.lock().expect("log").push(RawRequest {
                        line,
                        headers,
                        body: received,
                    });
                    let reply = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(reply.as_bytes()).await;
                });
            }
        });
        RawListener {
            url,
            received,
            task,
        }
    }

    /// Every request received so far, and forgets them.
    pub fn take(&self) -> Vec<RawRequest> {
        std::mem::take(&mut *self.received.lock().expect("log"))
    }
}

impl Drop for RawListener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The README's Rust example, compiled as a doctest so it cannot drift from the generated API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExample;
