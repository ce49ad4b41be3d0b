//! Record mode: every exchange of every call (each attempt: a retried 503 and the 200 after it
//! are two files) written as a cassette in the format `tests/` replays
//! (`<operation>.<status>[.<case>].json`), with credentials, the project and account IDs, the
//! request fields the spec marks secret and whatever the caller declares replaced before anything
//! touches the disk.
//!
//! Off unless [`crate::RuntimeBuilder::record`] or the environment variable [`ENV_RECORD`] names a
//! directory. When off, the call path holds one `None` and does nothing else.
//!
//! What a recording keeps and replaces:
//!
//! - **Request**: method, raw path, query pairs, JSON body, and the headers the call itself set
//!   (`accept`, `content-type`, header parameters, default headers). Headers the runtime or the
//!   transport sets (`Authorization`, `X-Auth-Token`, `X-Security-Token`, `X-Sdk-Date`,
//!   `X-Project-Id`, `Host`, `Content-Length`, ...) are not written: the replaying runtime sends
//!   its own. Their values (the signature, the access key, the token) are replaced by
//!   [`SCRUBBED`] wherever else they appear in the exchange.
//! - **Response**: status, `content-type` (and `retry-after`, `location`), the JSON body as the
//!   service sent it, and under `unmodelled` the members the typed value drops (found by decoding
//!   the body into the generated type and writing it back: [`crate::call::Decodes`]).
//! - **Replaced everywhere** (paths, queries, headers, bodies, member names, notes): the secret
//!   key, access key, security token, token and IAM password by [`SCRUBBED`]; the project ID by
//!   [`PROJECT_PLACEHOLDER`]; the domain (account) ID by [`DOMAIN_PLACEHOLDER`]; each
//!   [`crate::RuntimeBuilder::scrub_literal`] by its placeholder. The request body fields the
//!   operation's table lists as secret and each [`crate::RuntimeBuilder::scrub_pointer`] become
//!   [`SCRUBBED`]; each [`crate::RuntimeBuilder::scrub_header`] keeps its name, not its value.
//! - **Not recorded**: IAM's token exchange (`POST /v3/auth/tokens`): it is no operation of any
//!   crate, its request holds the password and its answer the token; the token it issues is
//!   scrubbed from every exchange that carries it. An attempt that got no response (a refused
//!   connection, a timeout) has nothing to write.
//!
//! Writing never changes what the caller receives: the response body is read once, written, and
//! handed on as the same bytes (a body that fails mid-read is handed on failing the same way, and
//! not written). A failed write is reported once per runtime with `tracing::warn!` and never fails
//! the call. Each file is written to a temporary name and linked into place, so it is whole or
//! absent, and a name already taken is never replaced: the next free `.recorded-<n>` case is used.

use std::{
    borrow::Cow,
    fs,
    io::Write,
    path::{Path, PathBuf},
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::{ResponseBuilderExt, header::HeaderName};
use serde::Serialize;
use serde_json::Value;

use crate::{
    call::{Call, Decoding},
    credentials::Credentials,
    error::ConfigError,
    response::bounded_text,
    secret::Secret,
};

/// The environment variable that turns record mode on, naming the directory to write to; read by
/// [`crate::RuntimeBuilder::build`] when the builder did not set one.
pub const ENV_RECORD: &str = "CLOUD_RUNTIME_RECORD";
/// The domain (account) ID to replace, as the vendor's SDKs name it; read when the builder did
/// not set [`crate::RuntimeBuilder::domain_id`].
pub const ENV_DOMAIN_ID: &str = "HUAWEICLOUD_SDK_DOMAIN_ID";
/// What a recording shows for the project ID: the project every replayed call is signed for
/// (`tests/src/gateway.rs`, `TEST_PROJECT`).
pub const PROJECT_PLACEHOLDER: &str = "37caa80116e1403ab603e5eeb48a2f74";
/// What a recording shows for the domain (account) ID: 32 hex digits, as a real one, and plainly
/// made up (`…d0a1`, "domain 1").
pub const DOMAIN_PLACEHOLDER: &str = "0000000000000000000000000000d0a1";
/// What a recording shows for a credential or a secret field (the placeholder cassettes and
/// `cargo xtask lint` know).
pub const SCRUBBED: &str = "<scrubbed>";

/// Request headers the runtime or the transport sets: not written (the replaying runtime sends
/// its own, and the first four carry credentials).
const UNRECORDED_REQUEST_HEADERS: &[&str] = &[
    "authorization",
    "x-auth-token",
    "x-security-token",
    "x-subject-token",
    "x-sdk-date",
    "x-project-id",
    "host",
    "content-length",
    "api-version",
    "user-agent",
    "accept-encoding",
    "connection",
    "transfer-encoding",
];
/// Of these, the ones whose value is a credential, replaced wherever else it appears.
const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "x-auth-token",
    "x-security-token",
    "x-subject-token",
];
/// Response headers a recording keeps: what the client reads. Request IDs, dates and transport
/// headers say nothing a replay needs.
const RECORDED_RESPONSE_HEADERS: &[&str] = &["content-type", "retry-after", "location"];
/// Case suffixes tried for a name already taken before giving up.
const MAX_CASES: u32 = 10_000;
/// Characters of a path segment left as they are (RFC 3986 unreserved).
/// Makes temporary names unique within the process, across every runtime in it.
static TEMPORARY_NAMES: AtomicU64 = AtomicU64::new(0);

const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What the builder was told about recording.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rules {
    pub(crate) dir: Option<PathBuf>,
    pub(crate) domain_id: Option<Secret>,
    pub(crate) headers: Vec<String>,
    pub(crate) pointers: Vec<String>,
    pub(crate) literals: Vec<(Secret, String)>,
}

/// Record mode, on: where to write and what to replace.
pub(crate) struct Recorder {
    dir: PathBuf,
    /// `(value, placeholder)`, longest value first, so that a value containing another is
    /// replaced whole.
    literals: Vec<(Secret, String)>,
    /// Lower-case names of headers whose value is not written.
    headers: Vec<String>,
    /// JSON pointers into the cassette (`/request/body/...`, `/response/body/...`), split.
    pointers: Vec<Vec<String>>,
    /// Whether a failed write was already reported.
    warned: AtomicBool,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("dir", &self.dir)
            .field("headers", &self.headers)
            .field("pointers", &self.pointers)
            .finish_non_exhaustive()
    }
}

impl Recorder {
    /// Record mode as configured, or `None` when off: the builder's directory, else the one in
    /// [`ENV_RECORD`] (empty is off). Rules that cannot apply are refused, naming the rule.
    pub(crate) fn configure(
        rules: &Rules,
        credentials: &Credentials,
        project_id: Option<&str>,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<Recorder>, ConfigError> {
        let from_env = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let Some(dir) = rules
            .dir
            .clone()
            .or_else(|| from_env(ENV_RECORD).map(PathBuf::from))
        else {
            return Ok(None);
        };
        let refuse = |rule: &str, problem| ConfigError::InvalidRecordRule {
            rule: bounded_text(&format!("{rule:?}"), 64),
            problem,
        };
        let mut headers = Vec::new();
        for name in &rules.headers {
            let header = HeaderName::from_bytes(name.trim().as_bytes())
                .map_err(|_| refuse(name, "it is not a header name"))?;
            headers.push(header.as_str().to_owned());
        }
        let mut pointers = Vec::new();
        for pointer in &rules.pointers {
            let tokens = split_pointer(pointer);
            let into_a_body = matches!(
                tokens
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice(),
                ["request" | "response", "body", ..]
            );
            if !into_a_body {
                return Err(refuse(
                    pointer,
                    "a pointer must start with /request/body or /response/body",
                ));
            }
            pointers.push(tokens);
        }
        let mut literals: Vec<(Secret, String)> = Vec::new();
        let mut add = |value: &str, placeholder: &str| {
            let value = value.trim_end_matches(['\r', '\n']);
            if !value.is_empty() && value != placeholder {
                literals.push((Secret::new(value.to_owned()), placeholder.to_owned()));
            }
        };
        match credentials {
            Credentials::AkSk {
                ak,
                sk,
                security_token,
            } => {
                add(ak, SCRUBBED);
                add(sk.expose(), SCRUBBED);
                if let Some(token) = security_token {
                    add(token.expose(), SCRUBBED);
                }
            }
            Credentials::Token(token) => add(token.expose(), SCRUBBED),
            Credentials::Iam(user) => {
                add(user.password.expose(), SCRUBBED);
                add(&user.project_id, PROJECT_PLACEHOLDER);
            }
            Credentials::None => {}
        }
        if let Some(project_id) = project_id {
            add(project_id, PROJECT_PLACEHOLDER);
        }
        let domain_id = rules
            .domain_id
            .as_ref()
            .map(|d| d.expose().to_owned())
            .or_else(|| from_env(ENV_DOMAIN_ID));
        if let Some(domain_id) = domain_id {
            add(&domain_id, DOMAIN_PLACEHOLDER);
        }
        for (value, placeholder) in &rules.literals {
            if value.expose().is_empty() {
                return Err(refuse(placeholder, "the value to replace is empty"));
            }
            if placeholder.contains(value.expose()) {
                return Err(refuse(placeholder, "the placeholder contains the value"));
            }
            add(value.expose(), placeholder);
        }
        literals.sort_by_key(|(value, _)| std::cmp::Reverse(value.expose().len()));
        Ok(Some(Recorder {
            dir,
            literals,
            headers,
            pointers,
            warned: AtomicBool::new(false),
        }))
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// What is kept of a request about to be sent (signed, with its credentials).
    pub(crate) fn capture(&self, request: &reqwest::Request) -> Sent {
        let url = request.url();
        let mut headers = Vec::new();
        let mut credentials = Vec::new();
        for (name, value) in request.headers() {
            let name = name.as_str();
            let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
            if CREDENTIAL_HEADERS.contains(&name) {
                credentials.extend(credential_parts(&text).map(|p| Secret::new(p.to_owned())));
                credentials.push(Secret::new(text));
            } else if !UNRECORDED_REQUEST_HEADERS.contains(&name) {
                headers.push((name.to_owned(), text));
            }
        }
        Sent {
            method: request.method().to_string(),
            host: url.host_str().unwrap_or_default().to_owned(),
            path: url.path().to_owned(),
            query: url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            headers,
            credentials,
            body: request
                .body()
                .and_then(reqwest::Body::as_bytes)
                .map(<[u8]>::to_vec),
        }
    }

    /// Reads `response`'s body, writes the exchange, and hands the response on with the same
    /// status, headers and bytes.
    pub(crate) async fn exchange(
        &self,
        sent: Sent,
        response: reqwest::Response,
        call: Call<'_>,
        attempt: u32,
    ) -> reqwest::Response {
        let url = response.url().clone();
        let (mut parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
        // The conversion drops the response's URL; it is put back for whoever reads it.
        let (with_url, ()) = http::Response::builder()
            .url(url)
            .body(())
            .map(http::Response::into_parts)
            .unwrap_or_else(|_| http::Response::new(()).into_parts());
        parts.extensions.extend(with_url.extensions);
        let mut reader = reqwest::Response::from(http::Response::new(body));
        let mut bytes = Vec::new();
        loop {
            match reader.chunk().await {
                Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(error) => {
                    let error = error.without_url();
                    self.warn(format_args!(
                        "{}: the response body could not be read, so the exchange is not recorded: {error}",
                        call.operation_id,
                    ));
                    // The caller meets the same failure, after the same bytes.
                    let replay = futures::stream::iter([Ok(bytes::Bytes::from(bytes)), Err(error)]);
                    let body = reqwest::Body::wrap_stream(replay);
                    return reqwest::Response::from(http::Response::from_parts(parts, body));
                }
            }
        }
        let cassette = self.cassette(
            &sent,
            parts.status.as_u16(),
            &parts.headers,
            &bytes,
            call,
            attempt,
        );
        if let Err(problem) = self.write(call.operation_id, parts.status.as_u16(), &cassette) {
            self.warn(format_args!(
                "{}: the exchange could not be recorded in {}: {problem}",
                call.operation_id,
                self.dir.display()
            ));
        }
        reqwest::Response::from(http::Response::from_parts(
            parts,
            reqwest::Body::from(bytes),
        ))
    }

    /// A failed write, reported once per runtime: recording is a development aid and never
    /// fails a call, but a silent gap in a recording would be taken for the whole exchange.
    fn warn(&self, message: std::fmt::Arguments<'_>) {
        if !self.warned.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                "record mode: {message} (further failures of this runtime are not reported)"
            );
        }
    }

    /// The exchange as a cassette, every rule applied.
    fn cassette(
        &self,
        sent: &Sent,
        status: u16,
        headers: &http::HeaderMap,
        body: &[u8],
        call: Call<'_>,
        attempt: u32,
    ) -> Cassette {
        let mut notes = Vec::new();
        let request_body = sent
            .body
            .as_deref()
            .and_then(|b| json_or_text(b, "request", &mut notes));
        let response_body = json_or_text(body, "response", &mut notes);
        let unmodelled = match (&response_body, call.decodes, call.operation) {
            (Some(recorded), Some(decodes), Some(operation))
                if operation.json_statuses.contains(&status) || (200..300).contains(&status) =>
            {
                match decodes(call.operation_id, status, body, Decoding::Reencode) {
                    Ok(Some(typed)) => {
                        let mut found = Vec::new();
                        dropped_members(recorded, &typed, String::new(), &mut found);
                        found
                    }
                    Ok(None) => Vec::new(),
                    Err(problem) => {
                        notes.push(format!(
                            "the body does not decode as the documented type: {}",
                            bounded_text(&problem, 512)
                        ));
                        Vec::new()
                    }
                }
            }
            _ => Vec::new(),
        };
        if attempt > 1 {
            notes.push(format!("attempt {attempt} of the call"));
        }
        let mut cassette = Cassette {
            operation_id: call.operation_id.to_owned(),
            source: format!(
                "recorded by cloud-runtime record mode from {} at {}",
                sent.host,
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
            note: (!notes.is_empty()).then(|| notes.join("; ")),
            request: Request {
                method: sent.method.clone(),
                path: sent.path.clone(),
                query: sent.query.clone(),
                headers: sent.headers.iter().cloned().collect(),
                body: request_body,
            },
            response: Response {
                status,
                headers: headers
                    .iter()
                    .filter(|(name, _)| RECORDED_RESPONSE_HEADERS.contains(&name.as_str()))
                    .map(|(name, value)| {
                        (
                            name.as_str().to_owned(),
                            String::from_utf8_lossy(value.as_bytes()).into_owned(),
                        )
                    })
                    .collect(),
                body: response_body,
                unmodelled,
            },
        };
        self.scrub(&mut cassette, sent, call);
        cassette
    }

    /// Applies every rule to `cassette`: headers by name, pointers, secret fields, then literals
    /// everywhere.
    fn scrub(&self, cassette: &mut Cassette, sent: &Sent, call: Call<'_>) {
        for headers in [
            &mut cassette.request.headers,
            &mut cassette.response.headers,
        ] {
            for (name, value) in headers.iter_mut() {
                if self.headers.contains(name) {
                    *value = SCRUBBED.to_owned();
                }
            }
        }
        let secrets = call.operation.map_or(&[][..], |o| o.secrets);
        if let Some(body) = cassette.request.body.as_mut() {
            for pointer in secrets {
                replace_at(body, &split_pointer(pointer), SCRUBBED);
            }
        }
        for pointer in &self.pointers {
            let (body, rest) = match pointer.first().map(String::as_str) {
                Some("request") => (cassette.request.body.as_mut(), &pointer[2..]),
                _ => (cassette.response.body.as_mut(), &pointer[2..]),
            };
            if let Some(body) = body {
                replace_at(body, rest, SCRUBBED);
            }
        }
        // A project ID given for this call (`.project_id(..)` on its builder, a command line's
        // per-operation flag) names the account as much as the runtime-wide one does.
        let call_project = call.operation.and_then(|operation| {
            crate::route::parameter(operation.route, call.base_url, &sent.path, "project_id")
        });
        // Real project IDs are 32 characters; a value of a few would replace unrelated text.
        let call_project = call_project.filter(|project| project.len() >= 8);
        // This exchange's signature, access key and token, then the runtime's literals.
        let mut literals: Vec<(&str, &str)> = sent
            .credentials
            .iter()
            .map(|c| (c.expose(), SCRUBBED))
            .chain(self.literals.iter().map(|(v, p)| (v.expose(), p.as_str())))
            .chain(call_project.as_deref().map(|p| (p, PROJECT_PLACEHOLDER)))
            .filter(|(value, _)| !value.is_empty())
            .collect();
        // Each value in every encoding a URL or body carries it in (percent-encoded, as a
        // next-page URL holds a token; JSON-escaped, in a body that holds JSON text; base64),
        // so that no form survives: the one place the forms are listed.
        let forms: Vec<(String, &str)> = literals
            .iter()
            .flat_map(|(value, placeholder)| {
                encodings(value)
                    .into_iter()
                    .map(move |form| (form, *placeholder))
            })
            .collect();
        literals.extend(
            forms
                .iter()
                .map(|(form, placeholder)| (form.as_str(), *placeholder)),
        );
        literals.sort_by_key(|(value, _)| std::cmp::Reverse(value.len()));
        literals.dedup_by(|a, b| a.0 == b.0);
        let text = |s: &mut String| {
            if let Cow::Owned(replaced) = replace_all(s, &literals) {
                *s = replaced;
            }
        };
        // A path holds each placeholder percent-encoded, as a client would send it.
        for (value, placeholder) in &literals {
            let encoded = utf8_percent_encode(placeholder, PATH_SEGMENT).to_string();
            let path = &mut cassette.request.path;
            for form in [
                Cow::Borrowed(*value),
                Cow::Owned(utf8_percent_encode(value, PATH_SEGMENT).to_string()),
            ] {
                if path.contains(form.as_ref()) {
                    *path = path.replace(form.as_ref(), &encoded);
                }
            }
        }
        text(&mut cassette.source);
        if let Some(note) = cassette.note.as_mut() {
            text(note);
        }
        for (key, value) in &mut cassette.request.query {
            text(key);
            text(value);
        }
        for headers in [
            &mut cassette.request.headers,
            &mut cassette.response.headers,
        ] {
            *headers = std::mem::take(headers)
                .into_iter()
                .map(|(mut name, mut value)| {
                    text(&mut name);
                    text(&mut value);
                    (name, value)
                })
                .collect();
        }
        for body in [
            cassette.request.body.as_mut(),
            cassette.response.body.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            replace_in_value(body, &literals);
        }
        for pointer in &mut cassette.response.unmodelled {
            text(pointer);
        }
    }

    /// Writes `cassette` as `<operation>.<status>.json`, or the first free
    /// `<operation>.<status>.recorded-<n>.json`: to a temporary file first, then linked to its
    /// name, which fails rather than replace a file (two runtimes writing at once included).
    fn write(
        &self,
        operation_id: &str,
        status: u16,
        cassette: &Cassette,
    ) -> Result<PathBuf, String> {
        let mut text = serde_json::to_vec_pretty(cassette).map_err(|e| e.to_string())?;
        text.push(b'\n');
        fs::create_dir_all(&self.dir).map_err(|e| format!("cannot create the directory: {e}"))?;
        let stem: String = operation_id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let temporary = self.dir.join(format!(
            ".{stem}.{}.{}.tmp",
            std::process::id(),
            // One counter for the process, not one per runtime: two runtimes recording into one
            // directory would otherwise make the same name, and one's cleanup delete the
            // other's file.
            TEMPORARY_NAMES.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| {
            let mut file = fs::File::create_new(&temporary)?;
            file.write_all(&text)?;
            file.sync_all()
        })();
        let placed = written
            .map_err(|e| format!("cannot write {}: {e}", temporary.display()))
            .and_then(|()| self.place(&temporary, &stem, status));
        // The temporary name is gone whatever happened (after a link, the file lives on under
        // its own name).
        let _ = fs::remove_file(&temporary);
        placed
    }

    fn place(&self, temporary: &Path, stem: &str, status: u16) -> Result<PathBuf, String> {
        for case in 1..=MAX_CASES {
            let name = if case == 1 {
                format!("{stem}.{status}.json")
            } else {
                format!("{stem}.{status}.recorded-{case}.json")
            };
            let path = self.dir.join(name);
            match fs::hard_link(temporary, &path) {
                Ok(()) => return Ok(path),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(format!("cannot create {}: {e}", path.display())),
            }
        }
        Err(format!(
            "{MAX_CASES} recordings of {stem}.{status} already exist"
        ))
    }
}

/// A request as record mode keeps it before sending.
pub(crate) struct Sent {
    method: String,
    host: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    /// The values of its credential headers (and their parts): scrubbed wherever they appear.
    credentials: Vec<Secret>,
    body: Option<Vec<u8>>,
}

/// The cassette format of `tests/src/cassette.rs`, field for field and in its order.
#[derive(Debug, Serialize)]
struct Cassette {
    operation_id: String,
    source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    request: Request,
    response: Response,
}

#[derive(Debug, Serialize)]
struct Request {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: std::collections::BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<Value>,
}

#[derive(Debug, Serialize)]
struct Response {
    status: u16,
    headers: std::collections::BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unmodelled: Vec<String>,
}

/// The parts of an `Authorization` value that may show up alone: the access key and the
/// signature (`SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`).
fn credential_parts(value: &str) -> impl Iterator<Item = &str> {
    value
        .split([',', ' '])
        .filter_map(|part| {
            let (key, value) = part.split_once('=')?;
            matches!(key, "Access" | "Signature").then_some(value)
        })
        .filter(|v| !v.is_empty())
}

/// A body as JSON; one that is not JSON is kept as a string, and a note says so (the cassette
/// format holds JSON bodies: a replay serves it quoted).
fn json_or_text(bytes: &[u8], which: &str, notes: &mut Vec<String>) -> Option<Value> {
    if bytes.is_empty() {
        return None;
    }
    match serde_json::from_slice(bytes) {
        Ok(value) => Some(value),
        Err(_) => {
            notes.push(format!(
                "the {which} body is not JSON: it is kept as a string, and a replay serves it quoted"
            ));
            Some(Value::String(String::from_utf8_lossy(bytes).into_owned()))
        }
    }
}

/// A JSON pointer's reference tokens, unescaped (`~1` is `/`, `~0` is `~`).
fn split_pointer(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Replaces the value at `tokens` (`*` is any array index or member) by `placeholder`; a pointer
/// that leads nowhere replaces nothing.
fn replace_at(value: &mut Value, tokens: &[String], placeholder: &str) {
    let Some((first, rest)) = tokens.split_first() else {
        *value = Value::String(placeholder.to_owned());
        return;
    };
    match value {
        Value::Object(map) if first == "*" => {
            for inner in map.values_mut() {
                replace_at(inner, rest, placeholder);
            }
        }
        Value::Object(map) => {
            if let Some(inner) = map.get_mut(first) {
                replace_at(inner, rest, placeholder);
            }
        }
        Value::Array(items) if first == "*" => {
            for inner in items {
                replace_at(inner, rest, placeholder);
            }
        }
        Value::Array(items) => {
            if let Some(inner) = first.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                replace_at(inner, rest, placeholder);
            }
        }
        _ => {}
    }
}

/// The other forms `value` may travel in, those that differ from it: percent-encoded (as a path
/// segment and as a query or form component, upper- and lower-case hex), JSON-escaped, and
/// base64 (standard and URL-safe, with and without padding).
pub(crate) fn encodings(value: &str) -> Vec<String> {
    use base64::Engine as _;
    const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let mut forms = Vec::new();
    for set in [PATH_SEGMENT, COMPONENT, NON_ALPHANUMERIC] {
        let encoded = utf8_percent_encode(value, set).to_string();
        forms.push(lower_hex_escapes(&encoded));
        forms.push(encoded);
    }
    if let Ok(json) = serde_json::to_string(value) {
        forms.push(json[1..json.len() - 1].to_owned());
    }
    for engine in [
        &base64::engine::general_purpose::STANDARD,
        &base64::engine::general_purpose::STANDARD_NO_PAD,
        &base64::engine::general_purpose::URL_SAFE,
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ] {
        forms.push(engine.encode(value));
    }
    forms.retain(|form| form != value && !form.is_empty());
    forms.sort();
    forms.dedup();
    forms
}

/// `%2F` as `%2f`: some servers echo percent-escapes in lower case.
fn lower_hex_escapes(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut rest = encoded;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let escape = rest.get(at..at + 3).unwrap_or(&rest[at..]);
        out.push_str(&escape.to_ascii_lowercase());
        rest = &rest[at + escape.len()..];
    }
    out.push_str(rest);
    out
}

/// `text` with every literal replaced by its placeholder, in the order given.
fn replace_all<'a>(text: &'a str, literals: &[(&str, &str)]) -> Cow<'a, str> {
    let mut text = Cow::Borrowed(text);
    for (value, placeholder) in literals {
        if text.contains(value) {
            text = Cow::Owned(text.replace(value, placeholder));
        }
    }
    text
}

/// [`replace_all`] on every string and member name in `value`.
fn replace_in_value(value: &mut Value, literals: &[(&str, &str)]) {
    match value {
        Value::String(text) => {
            if let Cow::Owned(replaced) = replace_all(text, literals) {
                *text = replaced;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| replace_in_value(v, literals)),
        Value::Object(map) => {
            let renamed = map
                .keys()
                .any(|k| matches!(replace_all(k, literals), Cow::Owned(_)));
            if renamed {
                *map = std::mem::take(map)
                    .into_iter()
                    .map(|(k, v)| (replace_all(&k, literals).into_owned(), v))
                    .collect();
            }
            map.values_mut().for_each(|v| replace_in_value(v, literals));
        }
        _ => {}
    }
}

/// JSON pointers of the members of `recorded` that `typed` (the body decoded into its generated
/// type and written back) does not have: what the spec does not model. Members whose value is
/// `null`, `[]` or `{}` are left out: the typed value drops those whether modelled or not, and
/// the replay harness compares without them.
fn dropped_members(recorded: &Value, typed: &Value, at: String, found: &mut Vec<String>) {
    match (recorded, typed) {
        (Value::Object(recorded), Value::Object(typed)) => {
            for (key, value) in recorded {
                let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                match typed.get(key) {
                    Some(inner) => dropped_members(value, inner, here, found),
                    None if !is_empty(value) => found.push(here),
                    None => {}
                }
            }
        }
        (Value::Array(recorded), Value::Array(typed)) => {
            for (i, (value, inner)) in recorded.iter().zip(typed).enumerate() {
                dropped_members(value, inner, format!("{at}/{i}"), found);
            }
        }
        _ => {}
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

#[cfg(test)]
mod tests;
