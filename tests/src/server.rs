//! The replay server: a local [`MockServer`] answering with one cassette's response, the
//! assertions on what it received, and the shapes every replay test takes.

use std::{fmt::Debug, future::Future, pin::Pin};

use serde::Serialize;
use serde_json::Value;
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

use crate::{
    Error, ResponseValue,
    cassette::{Cassette, RecordedRequest, without_nulls},
    gateway::{refuse_bad_signatures, verify_signature},
};

/// Headers a replayed (AK/SK-signed) request must not carry: progenitor's `api-version`, which the
/// vendor's SDKs never send, and a token beside the signature.
pub const HEADERS_NEVER_SENT: &[&str] = &["api-version", "x-auth-token"];

/// A local server replaying one cassette.
pub struct Replay {
    pub cassette: Cassette,
    name: String,
    server: MockServer,
}

impl Replay {
    /// Starts a local server answering every request with the cassette's response.
    pub async fn start(name: &str) -> Replay {
        Replay::serve(Cassette::load(name), name).await
    }

    /// Starts a local server answering every request with `cassette`'s response (one read from
    /// anywhere, such as a recording); `name` is what failures call it.
    pub async fn serve(cassette: Cassette, name: &str) -> Replay {
        let server = MockServer::start().await;
        refuse_bad_signatures(&server).await;
        let recorded = &cassette.response;
        let mut template = ResponseTemplate::new(recorded.status);
        for (name, value) in &recorded.headers {
            template = template.insert_header(name.as_str(), value.as_str());
        }
        if let Some(bytes) = recorded.binary_body() {
            // Byte for byte as recorded, with the recorded content type.
            let content_type = recorded
                .headers
                .get("content-type")
                .map_or("application/octet-stream", String::as_str);
            template = template.set_body_raw(bytes, content_type);
        } else if let Some(body) = &recorded.body {
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

    /// The base URL to hand to a generated `Client::with_runtime` (with [`crate::runtime`]).
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
            .iter()
            .filter_map(|(name, recorded)| {
                let value = request.headers.get(name.as_str())?.to_str().ok()?;
                // A header a recording scrubbed matches any value the client sends.
                let value = if recorded == SCRUBBED && !value.is_empty() {
                    SCRUBBED
                } else {
                    value
                };
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
        if let (Some(sent), Some(recorded)) = (got.body.as_mut(), want.body.as_ref()) {
            accept_scrubbed(sent, recorded);
        }
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
            // The last reference token, unescaped (`~1` is `/`, `~0` is `~`).
            let key = &key.replace("~1", "/").replace("~0", "~");
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

/// A call's outcome with its success value reduced to its `Debug` text, so that calls of
/// operations with different success types fit in one table.
pub type Erased<E> = Result<ResponseValue<String>, Error<E>>;

/// A call of one operation, given the server's URL, as a table row holds it:
/// `|url| erase(create(url))`.
pub type ErasedCall<E> = fn(String) -> Pin<Box<dyn Future<Output = Erased<E>>>>;

/// `call` with its success value erased (see [`Erased`]); its error stays typed.
pub fn erase<T, E, Fut>(call: Fut) -> Pin<Box<dyn Future<Output = Erased<E>>>>
where
    Fut: Future<Output = Result<ResponseValue<T>, Error<E>>> + 'static,
    T: Debug,
{
    Box::pin(async move {
        let value = call.await?;
        let (status, headers) = (value.status(), value.headers().clone());
        Ok(ResponseValue::new(
            format!("{:?}", value.into_inner()),
            status,
            headers,
        ))
    })
}

/// An erased call's error with its type erased too, so that calls of different crates fit in one
/// table.
pub fn untyped<E: 'static>(
    call: Pin<Box<dyn Future<Output = Erased<E>>>>,
) -> Pin<Box<dyn Future<Output = Erased<()>>>> {
    Box::pin(async move { call.await.map_err(Error::into_untyped) })
}

/// One row of a table of error cassettes: the cassette, the call that replays it, and the
/// service's code and message its typed error carries.
pub type ErrorRow<E> = (&'static str, ErasedCall<E>, (&'static str, &'static str));

/// Replays each row's cassette through its call as [`replay_err`] does (exactly one request,
/// signed and equal to the recording; `Error::ErrorResponse` with the recorded status; the typed
/// error serialising back to the recorded body), then checks the code and message `said` reads
/// from the typed error against the row's.
pub async fn replay_error_table<E>(rows: &[ErrorRow<E>], said: fn(&E) -> (String, String))
where
    E: Serialize + Debug,
{
    for (cassette, call, (code, message)) in rows {
        let error = replay_err(cassette, call).await;
        assert_eq!(
            said(&error),
            ((*code).to_owned(), (*message).to_owned()),
            "{cassette}: the typed error's code and message"
        );
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

/// What a cassette shows in place of a secret the client sends (a field the spec marks
/// `format: password`; lint rule `cassette-secret` refuses anything else there): the placeholder
/// record mode writes.
pub use cloud_runtime::record::SCRUBBED;

/// Where the recording shows [`SCRUBBED`], any non-empty string the client sent is taken as
/// matching: the secret a test passes is never written into a cassette.
fn accept_scrubbed(sent: &mut Value, recorded: &Value) {
    match (sent, recorded) {
        (Value::String(value), Value::String(placeholder))
            if placeholder == SCRUBBED && !value.is_empty() =>
        {
            *value = SCRUBBED.to_owned();
        }
        (Value::Object(sent), Value::Object(recorded)) => {
            for (key, value) in sent.iter_mut() {
                if let Some(recorded) = recorded.get(key) {
                    accept_scrubbed(value, recorded);
                }
            }
        }
        (Value::Array(sent), Value::Array(recorded)) => {
            for (value, recorded) in sent.iter_mut().zip(recorded) {
                accept_scrubbed(value, recorded);
            }
        }
        _ => {}
    }
}
