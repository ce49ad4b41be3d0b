//! What the generated clients need at run time to call the real services: authentication
//! (AK/SK signing, IAM tokens), endpoints, timeouts, retries and tracing.
//!
//! Each generated crate's `Client` carries a [`Runtime`] (progenitor's "inner type") and its
//! `ClientHooks` impl, emitted by codegen, calls [`Runtime::prepare`] before a request,
//! [`Runtime::execute`] to send it, and [`Runtime::finish`] on the outcome. A generated crate
//! is reached in one line, `dli_v1::Client::from_env(&Region::otc("eu-de"))?`, which is:
//!
//! ```no_run
//! use cloud_runtime::{Region, Runtime, Service};
//! # fn demo() -> Result<(), cloud_runtime::ConfigError> {
//! // HUAWEICLOUD_SDK_AK / _SK (and _PROJECT_ID, _SECURITY_TOKEN) from the environment.
//! let runtime = Runtime::from_env()?;
//! let base_url = Region::otc("eu-de").endpoint(&Service::new("dli"))?;
//! // dli_v1::Client::with_runtime(&base_url, runtime)
//! # Ok(()) }
//! ```

pub mod call;
pub mod cancel;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod limits;
pub mod paginate;
pub mod phase;
pub mod response;
pub mod retry;
pub mod route;
pub mod signing;
pub mod token;
pub mod wait;

use std::{sync::Arc, time::Duration};

use reqwest::{
    Method,
    header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderName, HeaderValue},
};
use tracing::Instrument;

pub use call::{Call, Operation};
pub use cancel::CancelOutcome;
pub use credentials::{Credentials, IamUser, Secret};
pub use endpoint::{Cloud, Region, Service};
pub use error::{AuthError, CallError, ConfigError};
pub use phase::Phase;
pub use retry::RetryPolicy;

/// The header progenitor adds to every request; the vendor's SDKs never send it.
const PROGENITOR_API_VERSION: &str = "api-version";
const X_PROJECT_ID: HeaderName = HeaderName::from_static("x-project-id");
const X_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-security-token");
const X_AUTH_TOKEN: HeaderName = HeaderName::from_static("x-auth-token");

/// Configuration shared by every client made from it; cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

/// The credentials, checked and turned into what each request needs, once.
enum Auth {
    Signed {
        key: signing::SigningKey,
        security_token: Option<HeaderValue>,
    },
    Token(HeaderValue),
    Iam(IamUser),
    None,
}

struct Inner {
    credentials: Credentials,
    auth: Auth,
    project_id: Option<HeaderValue>,
    retry: RetryPolicy,
    timeout: Duration,
    http: reqwest::Client,
    tokens: token::TokenCache,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("credentials", &self.inner.credentials)
            .field("project_id", &self.inner.project_id)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}

/// Builds a [`Runtime`]: `Runtime::builder().credentials(..).project_id(..).build()`.
#[derive(Debug, Clone)]
pub struct RuntimeBuilder {
    credentials: Credentials,
    project_id: Option<String>,
    retry: RetryPolicy,
    connect_timeout: Duration,
    timeout: Duration,
}

impl Default for RuntimeBuilder {
    fn default() -> Self {
        RuntimeBuilder {
            credentials: Credentials::None,
            project_id: None,
            retry: RetryPolicy::default(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
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

    /// Checks the credentials and project ID (a trailing line break, as files and secret stores
    /// leave, is removed; anything else that cannot be sent is a [`ConfigError`] naming the
    /// field, never showing the value) and builds the HTTP client, which follows no redirect.
    pub fn build(self) -> Result<Runtime, ConfigError> {
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
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            // A redirect would carry X-Auth-Token / X-Security-Token (reqwest strips only
            // Authorization and Cookie across hosts) and replay request bodies to another host.
            // The vendor's APIs never redirect; one is reported to the caller instead.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ConfigError::HttpClient)?;
        Ok(Runtime {
            inner: Arc::new(Inner {
                credentials,
                auth,
                project_id,
                retry: self.retry,
                timeout: self.timeout,
                http,
                tokens: token::TokenCache::default(),
            }),
        })
    }
}

/// Marks a final response the runtime refuses, with the message the caller gets.
#[derive(Debug, Clone)]
struct Refused(String);

impl Runtime {
    pub fn builder() -> RuntimeBuilder {
        RuntimeBuilder::default()
    }

    /// AK/SK and project from the vendor SDKs' environment variables (see [`credentials`]).
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

    /// Before the request is sent (once per call): the URL must be the operation's route;
    /// a body-less POST/PUT/PATCH gets an empty JSON body (`Content-Length: 0`, as the vendor's
    /// SDKs send); authentication headers that do not change between attempts.
    pub async fn prepare(
        &self,
        request: &mut reqwest::Request,
        call: Call<'_>,
    ) -> Result<(), CallError> {
        let operation = call
            .operation
            .ok_or_else(|| CallError::UnknownOperation(call.operation_id.to_owned()))?;
        route::check(operation.route, call.base_url, request.url().path()).map_err(|reason| {
            CallError::Route {
                operation: call.operation_id.to_owned(),
                method: request.method().to_string(),
                route: operation.route,
                path: request.url().path().to_owned(),
                reason,
            }
        })?;
        if let Some((limit, value)) = limits::first_violation(operation, call.base_url, request) {
            return Err(CallError::OutOfRange {
                operation: call.operation_id.to_owned(),
                place: limit.place.as_str(),
                name: limit.name,
                value,
                range: limits::describe(limit),
            });
        }
        wait::record_polled(operation.route, call.base_url, request.url().path());
        let headers = request.headers_mut();
        headers.remove(PROGENITOR_API_VERSION);
        if request.body().is_none()
            && matches!(
                *request.method(),
                Method::POST | Method::PUT | Method::PATCH
            )
        {
            // hyper sends no length for an empty body, and front ends may answer 411 Length
            // Required: the header is set (and so signed) here.
            *request.body_mut() = Some(reqwest::Body::from(Vec::new()));
            let headers = request.headers_mut();
            headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
            headers
                .entry(CONTENT_TYPE)
                .or_insert(HeaderValue::from_static("application/json"));
        }
        let headers = request.headers_mut();
        match &self.inner.auth {
            Auth::Signed { security_token, .. } => {
                if let Some(token) = security_token {
                    headers.insert(X_SECURITY_TOKEN, token.clone());
                }
                if let Some(project_id) = &self.inner.project_id {
                    headers.insert(X_PROJECT_ID, project_id.clone());
                }
            }
            Auth::Token(token) => {
                headers.insert(X_AUTH_TOKEN, token.clone());
            }
            Auth::Iam(user) => {
                let token = self.inner.tokens.get(&self.inner.http, user).await?;
                request.headers_mut().insert(X_AUTH_TOKEN, token);
            }
            Auth::None => {}
        }
        Ok(())
    }

    /// Sends the request: signed afresh on each attempt, retried on a transient failure when
    /// the operation is retry-safe, each attempt under the runtime's timeout and in a tracing
    /// span; then the final response is checked against the docs ([`response::classify`]). With
    /// IAM credentials a 401 is answered by one more send with a fresh token ([`token`]).
    pub async fn execute(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        call: Call<'_>,
    ) -> reqwest::Result<reqwest::Response> {
        let span = tracing::info_span!(
            "call",
            operation = call.operation_id,
            method = %request.method(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        async {
            let outcome = self.attempts_renewing_token(client, request, call).await;
            let (Ok(response), Some(operation)) = (outcome.as_ref(), call.operation) else {
                return outcome;
            };
            if response.extensions().get::<Refused>().is_some() {
                return outcome;
            }
            let response = outcome?;
            match response::classify(response, call.operation_id, operation, call.decodes).await {
                response::Outcome::Pass(response) => Ok(response),
                response::Outcome::Refuse(message) => Ok(refused(message)),
            }
        }
        .instrument(span)
        .await
    }

    async fn attempts(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        call: Call<'_>,
    ) -> reqwest::Result<reqwest::Response> {
        let policy = &self.inner.retry;
        let max_attempts = if call.retry_safe() {
            policy.max_attempts.max(1)
        } else {
            1
        };
        let mut template = Some(request);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt >= max_attempts;
            let clone = if last {
                None
            } else {
                template.as_ref().and_then(reqwest::Request::try_clone)
            };
            // A body that cannot be cloned (a stream) is sent once.
            let last = last || clone.is_none();
            let Some(mut current) = clone.or_else(|| template.take()) else {
                unreachable!("the request is taken only on the last attempt")
            };
            *current.timeout_mut() = Some(self.inner.timeout);
            if let Auth::Signed { key, .. } = &self.inner.auth {
                signing::sign_request(&mut current, key, chrono::Utc::now());
            }
            let span = tracing::Span::current();
            span.record("attempts", attempt);
            let outcome = client.execute(current).await;
            let delay = match &outcome {
                Ok(response) => {
                    let status = response.status();
                    span.record("status", status.as_u16());
                    if !RetryPolicy::is_retryable(status) {
                        return outcome;
                    }
                    if last {
                        if attempt == 1 {
                            return outcome;
                        }
                        return Ok(refused(format!(
                            "{}: the service answered {} to all {attempt} attempts; giving up",
                            call.operation_id, status
                        )));
                    }
                    match policy.delay_after(attempt, response) {
                        Some(delay) => delay,
                        None => return outcome,
                    }
                }
                Err(error) if !last && (error.is_connect() || error.is_timeout()) => {
                    policy.backoff(attempt)
                }
                Err(_) => return outcome,
            };
            tracing::warn!(
                attempt,
                ?delay,
                status = outcome.as_ref().ok().map(|r| r.status().as_u16()),
                error = outcome.as_ref().err().map(|e| e.to_string()),
                "transient failure; retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// After the last attempt: the runtime's own error for a response it refused (retries used
    /// up, a redirect, an undocumented status, a body that is not JSON) or a connection that
    /// failed on every attempt.
    pub fn finish(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        call: Call<'_>,
    ) -> Result<(), String> {
        match result {
            Ok(response) => match response.extensions().get::<Refused>() {
                Some(Refused(message)) => Err(message.clone()),
                None => Ok(()),
            },
            Err(error)
                if call.retry_safe()
                    && self.inner.retry.max_attempts > 1
                    && (error.is_connect() || error.is_timeout()) =>
            {
                Err(format!(
                    "{}: no answer after {} attempts: {error}",
                    call.operation_id, self.inner.retry.max_attempts
                ))
            }
            Err(_) => Ok(()),
        }
    }
}

/// An empty response carrying the runtime's refusal, which [`Runtime::finish`] turns into the
/// caller's error before the generated code looks at it.
fn refused(message: String) -> reqwest::Response {
    let mut response = http::Response::new(Vec::<u8>::new());
    response.extensions_mut().insert(Refused(message));
    reqwest::Response::from(response)
}
