//! The [`Runtime`] every generated client carries: credentials checked and turned once into what
//! each request needs, the project, the retry policy, the timeouts, the HTTP client and the IAM
//! token cache. What it does with a call is in `pipeline`.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use reqwest::header::{HeaderName, HeaderValue};

use crate::{
    credentials::{self, Credentials, IamUser},
    error::ConfigError,
    record::{self, Recorder},
    retry::RetryPolicy,
    secret::Secret,
    signing, token,
};

pub(crate) const X_PROJECT_ID: HeaderName = HeaderName::from_static("x-project-id");
pub(crate) const X_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-security-token");
pub(crate) const X_AUTH_TOKEN: HeaderName = HeaderName::from_static("x-auth-token");

/// Configuration shared by every client made from it; cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    pub(crate) inner: Arc<Inner>,
}

/// The credentials, checked and turned into what each request needs, once.
pub(crate) enum Auth {
    Signed {
        key: signing::SigningKey,
        security_token: Option<HeaderValue>,
    },
    Token(HeaderValue),
    Iam(IamUser),
    None,
}

pub(crate) struct Inner {
    pub(crate) credentials: Credentials,
    pub(crate) auth: Auth,
    pub(crate) project_id: Option<HeaderValue>,
    /// Sent on every request that does not set the header itself.
    pub(crate) default_headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Duration,
    pub(crate) http: reqwest::Client,
    pub(crate) tokens: token::TokenCache,
    /// Record mode (`None`: off, and the call path does nothing more).
    pub(crate) recorder: Option<Recorder>,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("credentials", &self.inner.credentials)
            .field("project_id", &self.inner.project_id)
            .field(
                "default_headers",
                &self
                    .inner
                    .default_headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("record", &self.inner.recorder.as_ref().map(Recorder::dir))
            .finish()
    }
}

/// Builds a [`Runtime`]: `Runtime::builder().credentials(..).project_id(..).build()`.
#[derive(Debug, Clone)]
pub struct RuntimeBuilder {
    credentials: Credentials,
    project_id: Option<String>,
    default_headers: Vec<(String, Secret)>,
    retry: RetryPolicy,
    connect_timeout: Duration,
    timeout: Duration,
    record: record::Rules,
}

impl Default for RuntimeBuilder {
    fn default() -> Self {
        RuntimeBuilder {
            credentials: Credentials::None,
            project_id: None,
            default_headers: Vec::new(),
            retry: RetryPolicy::default(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            record: record::Rules::default(),
        }
    }
}

/// A header value holding a secret: marked sensitive, so that `Debug` of a request hides it.
fn secret_header(secret: &Secret, field: &'static str) -> Result<HeaderValue, ConfigError> {
    let mut value =
        HeaderValue::from_str(secret.expose()).map_err(|_| ConfigError::InvalidCredential {
            field,
            problem: "it cannot be sent in a header",
        })?;
    value.set_sensitive(true);
    Ok(value)
}

/// One default header, checked: a valid name the runtime does not own, a value that can be sent
/// (marked sensitive, as it may hold a key).
fn default_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), ConfigError> {
    let refuse = |problem| ConfigError::InvalidHeader {
        name: crate::response::bounded_text(&format!("{name:?}"), 64),
        problem,
    };
    let header = HeaderName::from_bytes(name.trim().as_bytes())
        .map_err(|_| refuse("it is not a header name"))?;
    if crate::contract::HEADERS_SET_BY_RUNTIME.contains(&header.as_str()) {
        return Err(refuse("the runtime sets it"));
    }
    let mut value = HeaderValue::from_str(value.trim_end_matches(['\r', '\n']))
        .map_err(|_| refuse("its value cannot be sent in a header"))?;
    if value.is_empty() {
        return Err(refuse("its value is empty"));
    }
    value.set_sensitive(true);
    Ok((header, value))
}

impl RuntimeBuilder {
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Sent (and signed) as `X-Project-Id` with AK/SK, as the vendor's SDKs do.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// A header sent (and signed) on every request of every client made from this runtime,
    /// unless the call sets it itself: a per-call value wins. For what a user sets once, such as
    /// DataArts Studio's `workspace`. Checked by [`RuntimeBuilder::build`]; a header the runtime
    /// sets itself (authentication, `Host`, `Content-*`, `X-Sdk-Date`, `X-Project-Id`) is refused.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers
            .push((name.into(), Secret::new(value.into())));
        self
    }

    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The limit on each attempt, from sending to the end of the response.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Record mode: every exchange of every call (each attempt) is written to `dir` as a cassette
    /// `tests/` replays, scrubbed (see [`crate::record`]). Without this, [`RuntimeBuilder::build`]
    /// reads the directory from `CLOUD_RUNTIME_RECORD` ([`record::ENV_RECORD`]); neither: off.
    pub fn record(mut self, dir: impl Into<PathBuf>) -> Self {
        self.record.dir = Some(dir.into());
        self
    }

    /// The domain (account) ID, written as [`record::DOMAIN_PLACEHOLDER`] in recordings; without
    /// this, read from `HUAWEICLOUD_SDK_DOMAIN_ID` when recording. Not sent anywhere.
    pub fn domain_id(mut self, domain_id: impl Into<Secret>) -> Self {
        self.record.domain_id = Some(domain_id.into());
        self
    }

    /// In recordings, the value of header `name` (request or response) is written as
    /// [`record::SCRUBBED`].
    pub fn scrub_header(mut self, name: impl Into<String>) -> Self {
        self.record.headers.push(name.into());
        self
    }

    /// In recordings, the value at `pointer` is written as [`record::SCRUBBED`]: a JSON pointer
    /// into the cassette's request or response body (`/request/body/password`,
    /// `/response/body/jobs/*/owner`; `*` is any array index or member).
    pub fn scrub_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.record.pointers.push(pointer.into());
        self
    }

    /// In recordings, `value` is written as `placeholder` wherever it appears (paths, queries,
    /// headers, bodies): `.scrub_literal("my-bucket", "<bucket>")`.
    pub fn scrub_literal(
        mut self,
        value: impl Into<Secret>,
        placeholder: impl Into<String>,
    ) -> Self {
        self.record
            .literals
            .push((value.into(), placeholder.into()));
        self
    }

    /// Checks the credentials and project ID (a trailing line break, as files and secret stores
    /// leave, is removed; anything else that cannot be sent is a [`ConfigError`] naming the
    /// field, never showing the value) and builds the HTTP client, which follows no redirect.
    pub fn build(self) -> Result<Runtime, ConfigError> {
        self.build_with_env(&|name| std::env::var(name).ok())
    }

    /// [`RuntimeBuilder::build`] reading the environment through `lookup` (tests pass a map).
    pub(crate) fn build_with_env(
        self,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Runtime, ConfigError> {
        let credentials = self.credentials.checked()?;
        let project_id = self
            .project_id
            .as_deref()
            .map(credentials::checked_project_id)
            .transpose()?
            .map(|id| {
                HeaderValue::from_str(&id).map_err(|_| ConfigError::InvalidCredential {
                    field: "the project ID",
                    problem: "it cannot be sent in a header",
                })
            })
            .transpose()?;
        let default_headers = self
            .default_headers
            .iter()
            .map(|(name, value)| default_header(name, value.expose()))
            .collect::<Result<Vec<_>, _>>()?;
        let auth = match &credentials {
            Credentials::AkSk {
                ak,
                sk,
                security_token,
            } => Auth::Signed {
                key: signing::SigningKey::new(ak, sk).map_err(|_| {
                    ConfigError::InvalidCredential {
                        field: "the access key (AK)",
                        problem: "it cannot be sent in an Authorization header",
                    }
                })?,
                security_token: security_token
                    .as_ref()
                    .map(|t| secret_header(t, "the security token"))
                    .transpose()?,
            },
            Credentials::Token(token) => Auth::Token(secret_header(token, "the token")?),
            Credentials::Iam(user) => Auth::Iam(user.clone()),
            Credentials::None => Auth::None,
        };
        crate::tls::install_provider();
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            // A redirect would carry X-Auth-Token / X-Security-Token (reqwest strips only
            // Authorization and Cookie across hosts) and replay request bodies to another host.
            // The vendor's APIs never redirect; one is reported to the caller instead.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ConfigError::HttpClient)?;
        let recorder = Recorder::configure(
            &self.record,
            &credentials,
            project_id.as_ref().and_then(|v| v.to_str().ok()),
            lookup,
        )?;
        Ok(Runtime {
            inner: Arc::new(Inner {
                credentials,
                auth,
                project_id,
                default_headers,
                retry: self.retry,
                timeout: self.timeout,
                http,
                tokens: token::TokenCache::default(),
                recorder,
            }),
        })
    }
}

impl Runtime {
    pub fn builder() -> RuntimeBuilder {
        RuntimeBuilder::default()
    }

    /// AK/SK and project from the vendor SDKs' environment variables (see [`crate::credentials`]).
    pub fn from_env() -> Result<Runtime, ConfigError> {
        let (credentials, project_id) = Credentials::from_env()?;
        let mut builder = Runtime::builder().credentials(credentials);
        if let Some(project_id) = project_id {
            builder = builder.project_id(project_id);
        }
        builder.build()
    }

    /// The HTTP client holding this runtime's timeouts, for the generated `Client`.
    pub fn http_client(&self) -> reqwest::Client {
        self.inner.http.clone()
    }

    pub fn project_id(&self) -> Option<&str> {
        self.inner.project_id.as_ref().and_then(|v| v.to_str().ok())
    }

    /// Where record mode writes, if it is on.
    pub fn recording_dir(&self) -> Option<&Path> {
        self.inner.recorder.as_ref().map(Recorder::dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Call, Operation};

    const OPERATION: Operation = Operation {
        id: "list_jobs",
        method: "GET",
        route: "/v1/{project_id}/jobs",
        retry_safe: true,
        statuses: &[200],
        json_statuses: &[200],
        limits: &[],
        secrets: &[],
    };

    /// Every default header that cannot be sent, or that would replace one the runtime sets, is
    /// refused by `build`, naming the header and never the value.
    #[test]
    fn default_headers_are_checked() {
        let cases: &[(&str, &str, &str)] = &[
            ("workspace id", "abc", "not a header name"),
            ("", "abc", "not a header name"),
            (
                "Authorization",
                "SDK-HMAC-SHA256 forged",
                "the runtime sets it",
            ),
            ("X-Auth-Token", "MIIforged", "the runtime sets it"),
            (
                "x-project-id",
                "0123456789abcdef0123456789abcdef",
                "the runtime sets it",
            ),
            ("Host", "evil.example.com", "the runtime sets it"),
            ("workspace", "line\r\nX-Injected: 1", "cannot be sent"),
            ("workspace", "", "empty"),
        ];
        for (name, value, problem) in cases {
            let error = Runtime::builder()
                .default_header(*name, *value)
                .build()
                .unwrap_err();
            let text = error.to_string();
            assert!(text.contains(problem), "{name:?}: {text}");
            assert!(
                value.is_empty() || !text.contains(value),
                "{name:?}: the value shows in {text}"
            );
        }
    }

    /// Sent on every request, unless the call carries the header itself; never in `Debug`.
    #[tokio::test]
    async fn a_default_header_is_sent_unless_the_call_sets_it() {
        let runtime = Runtime::builder()
            .default_header("workspace", "ws-default\n")
            .build()
            .unwrap();
        assert!(!format!("{runtime:?}").contains("ws-default"));
        let table: &'static [Operation] = &[OPERATION];
        let cases: &[(Option<&str>, &str)] = &[(None, "ws-default"), (Some("ws-call"), "ws-call")];
        for (own, sent) in cases {
            let client = reqwest::Client::new();
            let mut builder = client.get("http://127.0.0.1:1/v1/p1/jobs");
            if let Some(own) = own {
                builder = builder.header("workspace", *own);
            }
            let mut request = builder.build().unwrap();
            runtime
                .prepare(
                    &mut request,
                    Call::new(table, "list_jobs", "http://127.0.0.1:1"),
                )
                .await
                .unwrap();
            let values: Vec<_> = request.headers().get_all("workspace").iter().collect();
            assert_eq!(values, [*sent], "call header {own:?}");
        }
    }
}
