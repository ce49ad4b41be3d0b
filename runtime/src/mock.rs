//! What the generated mock crates (`generated/<crate>-mock`) share: a local server, an operation
//! matched by method, route, parameters and header, answered with a status and body, and the
//! scripted answers waiters and streams need (a job that runs for N polls, a list across pages).
//! Behind feature `mock`, on wiremock, so a user of a client crate alone never compiles it.
//!
//! What a consumer debugging a test sees: an unmet expectation names the operation (its ID, or
//! `METHOD route`), never "Mock #0"; a request no mock matches is answered by a catch-all with
//! status [`NO_MATCH_STATUS`] (418, which no spec documents, so the client reports it as an
//! undocumented status quoting `no mock matched <METHOD> <path>`, never as the service's 404);
//! a body can be matched (`.body(&typed)`, `.body_includes(json)`); answers can come in sequence
//! (`respond_sequence`: a 503, then a 200); a scripted job can end in any status word, one the
//! spec does not map included (`Phase::Unknown("WHATEVER".into())`), to test an `Unknown` branch.
//!
//! wiremock, not progenitor's httpmock output: the workspace tests with it already, its query
//! matchers see every pair of a repeated (array) parameter, and a guard checks on drop that a
//! mock was called as expected.

use std::{
    collections::BTreeMap,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

pub use serde::Serialize;
/// Any JSON, for body matchers and answers.
pub use serde_json::Value as Json;
use serde_json::{Map, Value};
use wiremock::{
    Match, Mock, MockGuard, MockServer, Request, ResponseTemplate,
    matchers::{any, body_json, body_partial_json, header, method, query_param},
};

/// The status the catch-all answers a request no mock matches with: one no spec documents and
/// no retry policy repeats, so the client reports it as an undocumented status (quoting the body
/// `no mock matched <METHOD> <path>`), distinct from a documented 404.
pub const NO_MATCH_STATUS: u16 = 418;

use crate::{Phase, RetryPolicy, Runtime, paginate::Paging};

/// A runtime for a client pointed at a mock server: no credentials, no retries (a retried
/// request would count twice against an expectation).
pub fn runtime() -> Runtime {
    Runtime::builder()
        .retry(RetryPolicy::none())
        .build()
        .expect("a runtime without credentials builds")
}

/// The local server every generated `MockServer` wraps: what they all share.
///
/// The catch-all is re-mounted behind each new mock, all at one priority, rather than mounted
/// once at the lowest: wiremock sorts its mocks by priority on every request, while a
/// [`MockGuard`] keeps its mock's position, so one lower-priority mock ahead of the others made
/// guards drop, count and verify their neighbours (wiremock 0.6.5).
pub struct Server {
    server: MockServer,
    /// The catch-all now in scope, and the lock that keeps a mount and its re-arm together.
    catch_all: tokio::sync::Mutex<Option<MockGuard>>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

/// The mock that answers what no other does: every mock is mounted before it.
fn catch_all() -> Mock {
    Mock::given(any())
        .respond_with(|request: &Request| {
            let query = request
                .url
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            ResponseTemplate::new(NO_MATCH_STATUS)
                .insert_header("x-mock-no-match", "true")
                .set_body_raw(
                    format!(
                        "no mock matched {} {}{query}",
                        request.method,
                        request.url.path()
                    ),
                    "text/plain",
                )
        })
        .named("catch-all: no mock matched")
}

impl Server {
    /// Starts a server on a free local port, with the catch-all: a request no mock matches is
    /// answered [`NO_MATCH_STATUS`] with `no mock matched <METHOD> <path>`.
    pub async fn start() -> Server {
        let server = MockServer::start().await;
        let armed = catch_all().mount_as_scoped(&server).await;
        Server {
            server,
            catch_all: tokio::sync::Mutex::new(Some(armed)),
        }
    }

    /// Mounts `mock` ahead of the catch-all (the typed mocks all come here). A mock mounted on
    /// [`Server::wiremock`] directly would sit behind the catch-all and never answer: mount
    /// your own `wiremock::Mock`s here. Keep wiremock's default priority, as a lower one
    /// reorders the mocks under their guards.
    pub async fn mount(&self, mock: Mock) -> MockGuard {
        let mut armed = self.catch_all.lock().await;
        let guard = mock.mount_as_scoped(&self.server).await;
        let behind = catch_all().mount_as_scoped(&self.server).await;
        // The old catch-all goes out of scope; the new one is after every mock.
        drop(armed.replace(behind));
        guard
    }

    /// Its base URL.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The wiremock server underneath, for what the typed mocks do not say (received
    /// requests, say); mount mocks with [`Server::mount`].
    pub fn wiremock(&self) -> &MockServer {
        &self.server
    }

    /// A client of the crate `new` builds (its `Client::with_runtime`), calling this server
    /// without credentials or retries.
    pub fn client<C>(&self, new: impl FnOnce(&str, Runtime) -> C) -> C {
        new(&self.server.uri(), runtime())
    }

    /// A mock of the operation `method route`, to be given matchers and an answer.
    pub fn operation(&self, method: &'static str, route: &'static str) -> OperationMock<'_> {
        OperationMock::new(self, method, route)
    }
}

/// One operation's mock, before it is answered: `method route`, the parameters it must be called
/// with (others match anything), and how many calls are expected.
#[derive(Debug)]
pub struct OperationMock<'a> {
    server: &'a Server,
    method: &'static str,
    route: &'static str,
    path: BTreeMap<&'static str, String>,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<BodyMatch>,
    times: Option<u64>,
    name: String,
}

/// How a mock matches a request body.
#[derive(Debug, Clone)]
enum BodyMatch {
    Equals(Value),
    Includes(Value),
}

impl<'a> OperationMock<'a> {
    pub fn new(server: &'a Server, method: &'static str, route: &'static str) -> Self {
        OperationMock {
            server,
            method,
            route,
            path: BTreeMap::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            times: None,
            name: format!("{method} {route}"),
        }
    }

    /// Names the mock by its operation (the generated mocks give the operation ID), for the
    /// message of an unmet expectation.
    pub fn named(mut self, operation_id: &str) -> Self {
        self.name = format!("{operation_id} ({} {})", self.method, self.route);
        self
    }

    /// Matches a request whose JSON body equals `body` (the client's typed request body, or any
    /// JSON).
    pub fn body<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        let body = serde_json::to_value(body).expect("a request body serialises");
        self.body = Some(BodyMatch::Equals(body));
        self
    }

    /// Matches a request whose JSON body includes `json`: its fields (recursively) with these
    /// values, others anything.
    pub fn body_includes(mut self, json: Value) -> Self {
        self.body = Some(BodyMatch::Includes(json));
        self
    }

    /// Answers the calls in order with `answers` (status, JSON body or none), the last one
    /// repeated: a 503 then a 200, as a retry test needs.
    pub async fn respond_sequence(self, answers: Vec<(u16, Option<Value>)>) -> MockGuard {
        let calls = AtomicU64::new(0);
        let answers: Vec<ResponseTemplate> = answers
            .into_iter()
            .map(|(status, body)| {
                let template = ResponseTemplate::new(status);
                match body {
                    Some(body) => template.set_body_json(body),
                    None => template,
                }
            })
            .collect();
        assert!(
            !answers.is_empty(),
            "{}: respond_sequence needs at least one answer",
            self.name
        );
        self.respond_with(move |_: &Request| {
            let call = calls.fetch_add(1, Ordering::SeqCst) as usize;
            answers[call.min(answers.len() - 1)].clone()
        })
        .await
    }

    /// Matches path parameter `name` exactly (percent-encoded as a client sends it).
    pub fn path(mut self, name: &'static str, value: impl std::fmt::Display) -> Self {
        self.path.insert(name, value.to_string());
        self
    }

    /// Matches a query pair; for an array parameter, one call per value.
    pub fn query(mut self, name: &'static str, value: impl std::fmt::Display) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Matches a header.
    pub fn header(mut self, name: &'static str, value: impl std::fmt::Display) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    /// Expects exactly `n` calls, checked when the returned guard drops (default: at least one).
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Answers every matching call with `status` and a JSON body (`None`: no body); the guard
    /// checks the expectation when dropped.
    pub async fn respond(self, status: u16, body: Option<Value>) -> MockGuard {
        let mut template = ResponseTemplate::new(status);
        if let Some(body) = body {
            template = template.set_body_json(body);
        }
        self.respond_with(template).await
    }

    /// Answers `status` with a generated type as its JSON body.
    pub async fn respond_json<T: serde::Serialize>(self, status: u16, body: &T) -> MockGuard {
        let body = serde_json::to_value(body).expect("a generated type serialises");
        self.respond(status, Some(body)).await
    }

    /// Answers with bytes of `content_type` (an export's zip).
    pub async fn respond_bytes(self, status: u16, body: Vec<u8>, content_type: &str) -> MockGuard {
        self.respond_with(ResponseTemplate::new(status).set_body_raw(body, content_type))
            .await
    }

    /// Answers with whatever `respond` computes from each request.
    pub async fn respond_with(self, respond: impl wiremock::Respond + 'static) -> MockGuard {
        let route = Route {
            route: self.route,
            path: self.path.clone(),
        };
        let mut mock = Mock::given(method(self.method)).and(route);
        for (name, value) in &self.query {
            mock = mock.and(query_param(*name, value.as_str()));
        }
        for (name, value) in &self.headers {
            mock = mock.and(header(*name, value.as_str()));
        }
        match &self.body {
            Some(BodyMatch::Equals(body)) => mock = mock.and(body_json(body)),
            Some(BodyMatch::Includes(body)) => mock = mock.and(body_partial_json(body)),
            None => {}
        }
        let mock = mock.respond_with(respond).named(self.name);
        let mock = match self.times {
            Some(n) => mock.expect(n),
            None => mock.expect(1..),
        };
        self.server.mount(mock).await
    }
}

/// Matches a request on `route`, read as the runtime reads routes ([`crate::route`]): every
/// parameter one non-empty segment, the given ones the values asked for (percent-decoded).
#[derive(Debug)]
struct Route {
    route: &'static str,
    path: BTreeMap<&'static str, String>,
}

impl Match for Route {
    fn matches(&self, request: &Request) -> bool {
        let path = request.url.path();
        crate::route::check(self.route, "", path).is_ok()
            && self.path.iter().all(|(name, value)| {
                crate::route::parameter(self.route, "", path, name).as_deref() == Some(value)
            })
    }
}

/// A job a waiter polls: `running_polls` answers in a running phase, then `ends` for ever.
/// `words` maps the status enum's words to phases (from the spec's `x-phase`); `status` and `id`
/// are the waiter's field paths (`a.b`), `id_value` the job's ID to answer with.
#[derive(Debug, Clone)]
pub struct ScriptedJob {
    pub words: &'static [(&'static str, Phase)],
    /// The status is an integer (MRS v1.1's `job_final_status`): its words are numbers.
    pub numeric: bool,
    pub status: &'static str,
    pub id: Option<&'static str>,
    pub id_value: String,
    /// The job ID is an integer (Flink's `job_id`).
    pub id_numeric: bool,
    /// The job is the one item of a list at this path (`x-waiters` `item`); `status` and `id`
    /// are then the item's fields.
    pub items: Option<&'static str>,
    pub running_polls: u64,
    pub ends: Phase,
}

impl ScriptedJob {
    /// The word the service says for `phase`: the first the spec maps to it; for
    /// `Phase::Unknown(word)` (or a phase the spec maps no word to, given as that), the word
    /// itself, so that a test can end a job in a word the spec does not document.
    pub fn word(&self, phase: &Phase) -> Result<String, String> {
        if let Phase::Unknown(word) = phase
            && !word.is_empty()
        {
            return Ok(word.clone());
        }
        self.words
            .iter()
            .find(|(_, p)| p == phase)
            .map(|(word, _)| (*word).to_owned())
            .ok_or_else(|| {
                format!(
                    "no status word of `{}` maps to phase {phase} in the spec's x-phase: end the job in Phase::Unknown(\"<WORD>\") to answer any word",
                    self.status
                )
            })
    }

    /// The responder: each answer counts one poll. A phase the spec maps no word to is answered
    /// as an error body naming it (status 500), not a panic inside the server.
    pub fn responder(self) -> impl wiremock::Respond {
        let running = self.word(&Phase::Running);
        let ends = self.word(&self.ends);
        let polls = AtomicU64::new(0);
        move |_: &Request| {
            let poll = polls.fetch_add(1, Ordering::SeqCst);
            let word = if poll < self.running_polls {
                &running
            } else {
                &ends
            };
            let word = match word {
                Ok(word) => word,
                Err(problem) => {
                    return ResponseTemplate::new(500).set_body_raw(problem.clone(), "text/plain");
                }
            };
            let mut body = Value::Object(Map::new());
            set_path(&mut body, self.status, typed(word, self.numeric));
            if let Some(id) = self.id {
                set_path(&mut body, id, typed(&self.id_value, self.id_numeric));
            }
            if let Some(items) = self.items {
                let mut list = Value::Object(Map::new());
                set_path(&mut list, items, Value::Array(vec![body]));
                body = list;
            }
            ResponseTemplate::new(200).set_body_json(body)
        }
    }
}

/// `text` as a JSON number when the field is one (and it reads as one), else a string.
fn typed(text: &str, numeric: bool) -> Value {
    match text.parse::<i64>() {
        Ok(number) if numeric => Value::from(number),
        _ => Value::String(text.to_owned()),
    }
}

/// A list of `items` served `page_size` at a time, as `x-paginate` describes the operation:
/// each page's items at `items` (a field path), the total at `total`.
#[derive(Debug, Clone)]
pub struct ScriptedList {
    /// How the list pages (`x-paginate` `style`).
    pub paging: Paging,
    /// The query parameter naming the page, offset or marker.
    pub page: &'static str,
    /// With [`Paging::Marker`]: where an answer names the next marker (a field path).
    pub next: &'static str,
    pub items_path: &'static str,
    pub total_path: Option<&'static str>,
    pub items: Arc<Vec<Value>>,
    pub page_size: usize,
}

impl ScriptedList {
    /// The items of a generated type, as the list serves them.
    pub fn items<T: serde::Serialize>(items: &[T]) -> Arc<Vec<Value>> {
        Arc::new(
            items
                .iter()
                .map(|item| serde_json::to_value(item).expect("a generated type serialises"))
                .collect(),
        )
    }

    pub fn responder(self) -> impl wiremock::Respond {
        move |request: &Request| {
            let asked = |name: &str| {
                request
                    .url
                    .query_pairs()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.into_owned())
            };
            let size = self.page_size.max(1);
            let page = self.page;
            let start = match self.paging {
                Paging::Number { first } => {
                    let first = u64::from(first);
                    let number: u64 = asked(page).and_then(|v| v.parse().ok()).unwrap_or(first);
                    (number.saturating_sub(first) as usize).saturating_mul(size)
                }
                Paging::Offset | Paging::Marker => {
                    asked(page).and_then(|v| v.parse().ok()).unwrap_or(0)
                }
            };
            let end = start.saturating_add(size).min(self.items.len());
            let slice: Vec<Value> = self.items.get(start..end).unwrap_or_default().to_vec();
            let mut body = Value::Object(Map::new());
            set_path(&mut body, self.items_path, Value::Array(slice));
            if let Some(total) = self.total_path {
                set_path(&mut body, total, Value::from(self.items.len()));
            }
            if self.paging == Paging::Marker && end < self.items.len() {
                set_path(&mut body, self.next, Value::String(end.to_string()));
            }
            ResponseTemplate::new(200).set_body_json(body)
        }
    }
}

/// Sets `value` at a dotted field path of `body`, making the objects on the way.
fn set_path(body: &mut Value, path: &str, value: Value) {
    let mut at = body;
    let steps: Vec<&str> = path.split('.').collect();
    for (i, step) in steps.iter().enumerate() {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let object = at.as_object_mut().expect("made an object above");
        if i + 1 == steps.len() {
            object.insert((*step).to_owned(), value);
            return;
        }
        at = object
            .entry((*step).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_given_parameters_exactly_and_others_by_segment() {
        let route = Route {
            route: "/v1.0/{project_id}/jobs/{job_id}",
            path: [("job_id", "a b/c".to_owned())].into(),
        };
        for (path, matches) in [
            ("/v1.0/p1/jobs/a%20b%2Fc", true),
            ("/v1.0/p1/jobs/other", false),
            ("/v1.0/p1/x/jobs/a%20b%2Fc", false),
            ("/v1.0/p1/jobs/a%20b%2Fc/more", false),
            ("/v1.0//jobs/a%20b%2Fc", false),
        ] {
            let request = wiremock::Request {
                url: format!("http://127.0.0.1{path}").parse().unwrap(),
                method: http::Method::GET,
                headers: http::HeaderMap::new(),
                body: Vec::new(),
            };
            assert_eq!(route.matches(&request), matches, "{path}");
        }
    }

    /// Each guard counts, verifies and drops its own mock, whatever was mounted or asked before
    /// it; what no mock matches gets the catch-all's answer. (With the catch-all mounted once
    /// at the lowest priority, wiremock's re-sorting made guards act on their neighbours.)
    #[tokio::test]
    async fn guards_keep_their_own_mock_behind_the_catch_all() {
        use wiremock::matchers::path;
        let server = Server::start().await;
        let http = reqwest::Client::new();
        let get = |to: &str| {
            let request = http.get(format!("{}{to}", server.uri()));
            async move { request.send().await.unwrap().status().as_u16() }
        };
        let answer = |path_: &str, status: u16| {
            Mock::given(path(path_.to_owned()))
                .respond_with(ResponseTemplate::new(status))
                .named(path_.to_owned())
        };
        let a = server.mount(answer("/a", 200)).await;
        let b = server.mount(answer("/b", 201)).await;
        // (step, path, status expected)
        let steps: &[(&str, &str, u16)] = &[
            ("a mounted", "/a", 200),
            ("b mounted", "/b", 201),
            ("nothing mounted", "/c", NO_MATCH_STATUS),
        ];
        for (step, to, status) in steps {
            assert_eq!(get(to).await, *status, "{step}: {to}");
        }
        drop(b);
        assert_eq!(get("/b").await, NO_MATCH_STATUS, "b dropped, not another");
        assert_eq!(
            get("/a").await,
            200,
            "a still answers after b's guard dropped"
        );
        // Mounted after requests (wiremock has sorted its list by then).
        let c = server.mount(answer("/c", 202)).await;
        assert_eq!(get("/c").await, 202);
        let paths = |requests: Vec<Request>| -> Vec<String> {
            requests.iter().map(|r| r.url.path().to_owned()).collect()
        };
        assert_eq!(paths(a.received_requests().await), ["/a", "/a"]);
        assert_eq!(paths(c.received_requests().await), ["/c"]);
        let text = http
            .get(format!("{}/d?x=1", server.uri()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(text, "no mock matched GET /d?x=1");
    }

    #[test]
    fn field_paths_are_made() {
        let mut body = Value::Object(Map::new());
        set_path(&mut body, "job_list.jobs", Value::from(1));
        set_path(&mut body, "job_list.total", Value::from(2));
        set_path(&mut body, "status", Value::from("x"));
        assert_eq!(
            body,
            serde_json::json!({"job_list": {"jobs": 1, "total": 2}, "status": "x"})
        );
    }
}
