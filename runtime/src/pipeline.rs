//! The call pipeline, run by each generated crate's `ClientHooks`: [`Runtime::prepare`] before a
//! request, [`Runtime::execute`] to send it (signed per attempt, retried when safe, under the
//! timeout, a 401 answered once with a fresh IAM token), [`Runtime::finish`] on the outcome.

use reqwest::{
    Method, StatusCode,
    header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue},
};
use tracing::Instrument;

use crate::{
    call::Call,
    error::CallError,
    limits, response,
    retry::RetryPolicy,
    route,
    runtime::{Auth, Runtime, X_AUTH_TOKEN, X_PROJECT_ID, X_SECURITY_TOKEN},
    signing, tls, wait,
};

/// The header progenitor adds to every request; the vendor's SDKs never send it.
const PROGENITOR_API_VERSION: &str = "api-version";

/// Marks a final response the runtime refuses, with the message the caller gets.
#[derive(Debug, Clone)]
struct Refused(String);

impl Runtime {
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
        if !tls::reachable(request.url()) {
            return Err(CallError::NoTls {
                operation: call.operation_id.to_owned(),
                scheme: request.url().scheme().to_owned(),
                host: request.url().host_str().unwrap_or_default().to_owned(),
            });
        }
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
        for (name, value) in &self.inner.default_headers {
            // The call's own value (its builder's header parameter) wins.
            headers.entry(name).or_insert_with(|| value.clone());
        }
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
    /// IAM credentials a 401 is answered by one more send with a fresh token ([`crate::token`]).
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
            // Record mode off: `None`, nothing captured, nothing allocated.
            let sent = self.inner.recorder.as_ref().map(|r| r.capture(&current));
            let outcome = match (&self.inner.recorder, sent, client.execute(current).await) {
                (Some(recorder), Some(sent), Ok(response)) => {
                    Ok(recorder.exchange(sent, response, call, attempt).await)
                }
                (_, _, outcome) => outcome,
            };
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
                // Say "timed out" when it did: the transport's own words ("error sending
                // request") do not, and the fix (a longer --timeout) differs from a refused
                // connection's.
                let why = if error.is_timeout() {
                    format!(
                        "timed out (each attempt is limited to {} s)",
                        self.inner.timeout.as_secs_f64()
                    )
                } else {
                    error.to_string()
                };
                Err(format!(
                    "{}: no answer after {} attempts: {why}",
                    call.operation_id, self.inner.retry.max_attempts
                ))
            }
            Err(_) => Ok(()),
        }
    }

    /// The call's attempts; with IAM credentials, if the service answers 401 the token is dropped
    /// and the call sent once more with a fresh one. A 401 means the request was not processed,
    /// so this holds for every operation; a body that cannot be cloned is sent once.
    async fn attempts_renewing_token(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        call: Call<'_>,
    ) -> reqwest::Result<reqwest::Response> {
        let Auth::Iam(user) = &self.inner.auth else {
            return self.attempts(client, request, call).await;
        };
        let again = request.try_clone();
        let used = request.headers().get(X_AUTH_TOKEN).cloned();
        let outcome = self.attempts(client, request, call).await;
        let refused_token = matches!(&outcome, Ok(r) if r.status() == StatusCode::UNAUTHORIZED);
        let (true, Some(mut again), Some(used)) = (refused_token, again, used) else {
            return outcome;
        };
        self.inner.tokens.reject(&used);
        match self.inner.tokens.get(&self.inner.http, user).await {
            Ok(token) => {
                tracing::debug!("the service refused the IAM token (401); sending with a new one");
                again.headers_mut().insert(X_AUTH_TOKEN, token);
                self.attempts(client, again, call).await
            }
            Err(error) => Ok(refused(format!(
                "{}: the service refused the IAM token (401) and no new one was obtained: {error}",
                call.operation_id
            ))),
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
