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
//! let base_url = Region::otc("eu-de").endpoint(&Service::new("dli"));
//! // dli_v1::Client::with_runtime(&base_url, runtime)
//! # Ok(()) }
//! ```

pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod retry;
pub mod signing;
pub mod token;

use std::{sync::Arc, time::Duration};

use reqwest::header::{HeaderName, HeaderValue};
use tracing::Instrument;

pub use credentials::{Credentials, IamUser, Secret};
pub use endpoint::{Cloud, Region, Service};
pub use error::{AuthError, ConfigError};
pub use retry::RetryPolicy;

/// The header progenitor adds to every request; the vendor's SDKs never send it.
const PROGENITOR_API_VERSION: &str = "api-version";

/// One operation call, as the generated hooks describe it.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    pub operation_id: &'a str,
    /// Whether sending it twice does no harm (GET, DELETE, cancels): only then is it retried.
    pub retry_safe: bool,
}

/// Configuration shared by every client made from it; cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

struct Inner {
    credentials: Credentials,
    project_id: Option<String>,
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

    pub fn build(self) -> Result<Runtime, ConfigError> {
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .build()
            .map_err(ConfigError::HttpClient)?;
        Ok(Runtime {
            inner: Arc::new(Inner {
                credentials: self.credentials,
                project_id: self.project_id,
                retry: self.retry,
                timeout: self.timeout,
                http,
                tokens: token::TokenCache::default(),
            }),
        })
    }
}

/// Marks a response given back after every allowed attempt answered a retryable status.
#[derive(Debug, Clone, Copy)]
struct GaveUp {
    attempts: u32,
}

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
        self.inner.project_id.as_deref()
    }

    /// Before the request is sent (once per call): authentication headers that do not change
    /// between attempts.
    pub async fn prepare(&self, request: &mut reqwest::Request) -> Result<(), AuthError> {
        request.headers_mut().remove(PROGENITOR_API_VERSION);
        match &self.inner.credentials {
            Credentials::AkSk { security_token, .. } => {
                if let Some(token) = security_token {
                    set_secret(request, "x-security-token", token);
                }
                if let Some(project_id) = &self.inner.project_id
                    && let Ok(value) = HeaderValue::from_str(project_id)
                {
                    request
                        .headers_mut()
                        .insert(HeaderName::from_static("x-project-id"), value);
                }
            }
            Credentials::Token(token) => set_secret(request, "x-auth-token", token),
            Credentials::Iam(user) => {
                let token = self.inner.tokens.get(&self.inner.http, user).await?;
                set_secret(request, "x-auth-token", &token);
            }
            Credentials::None => {}
        }
        Ok(())
    }

    /// Sends the request: signed afresh on each attempt, retried on a transient failure when
    /// `call.retry_safe`, each attempt under the runtime's timeout and in a tracing span.
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
        self.attempts(client, request, call).instrument(span).await
    }

    async fn attempts(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        call: Call<'_>,
    ) -> reqwest::Result<reqwest::Response> {
        let policy = &self.inner.retry;
        let max_attempts = if call.retry_safe {
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
            let mut current = match clone {
                Some(clone) => clone,
                None => template.take().expect("the last attempt takes the request"),
            };
            *current.timeout_mut() = Some(self.inner.timeout);
            if let Credentials::AkSk { ak, sk, .. } = &self.inner.credentials {
                signing::sign_request(&mut current, ak, sk, chrono::Utc::now());
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
                        return outcome.map(|mut response| {
                            if attempt > 1 {
                                response
                                    .extensions_mut()
                                    .insert(GaveUp { attempts: attempt });
                            }
                            response
                        });
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

    /// After the last attempt: a clear error when retries were used up.
    pub fn finish(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        call: Call<'_>,
    ) -> Result<(), String> {
        match result {
            Ok(response) => match response.extensions().get::<GaveUp>() {
                Some(gave_up) => Err(format!(
                    "{}: the service answered {} to all {} attempts; giving up",
                    call.operation_id,
                    response.status(),
                    gave_up.attempts
                )),
                None => Ok(()),
            },
            Err(error)
                if call.retry_safe
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

/// Sets a header holding a secret, marked sensitive so that `Debug` of the request hides it.
fn set_secret(request: &mut reqwest::Request, name: &'static str, secret: &Secret) {
    if let Ok(mut value) = HeaderValue::from_str(secret.expose()) {
        value.set_sensitive(true);
        request
            .headers_mut()
            .insert(HeaderName::from_static(name), value);
    }
}
