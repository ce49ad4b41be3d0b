//! IAM tokens: obtained with `POST {iam}/v3/auth/tokens` (token in `X-Subject-Token`) and cached
//! in the [`TokenCache`] every client made from one `Runtime` shares.
//!
//! What the cache promises, however many calls run at once:
//!
//! - At most one token request is in flight. Every caller needing a token while it runs waits
//!   for that request and gets its outcome, success or failure; callers hold no lock across the
//!   network (the cache's lock is taken only to read or swap its state). Against a failing or
//!   hanging IAM, a hundred concurrent calls make one request and all fail after one timeout.
//!   The request runs as its own task, so it ends (and its outcome is kept) even if every call
//!   waiting for it is cancelled.
//! - A failure is remembered for [`FAILURE_REMEMBERED`]: calls in that window get it at once,
//!   without asking IAM again.
//! - A token is renewed ahead of its expiry, by [`RENEW_BEFORE_EXPIRY`] or a quarter of its
//!   validity, whichever is less (so a token valid for less than the margin is still used).
//!   Once it is due, one call fetches the next token while the others go on with the current
//!   one, still valid; if that fetch fails, the current one is used until it expires.
//! - The validity is IAM's own `expires_at - issued_at` (a skewed local clock does not matter),
//!   else `expires_at` from now, else 24 hours; taken between 1 minute and 24 hours, so that a
//!   hostile answer can neither make every call fetch a token nor keep one for ever.
//! - A token the service refuses (401) is dropped ([`TokenCache::reject`]) and the call is sent
//!   once more with a fresh one (`Runtime::execute`, in `pipeline`); a second 401 is the caller's.

use std::{
    fmt,
    future::Future,
    sync::{Arc, Mutex, MutexGuard, PoisonError, Weak},
    time::Duration,
};

use chrono::{DateTime, Utc};
use futures::{
    FutureExt,
    future::{BoxFuture, Shared},
};
use reqwest::header::HeaderValue;
use serde_json::json;
use tokio::time::Instant;

use crate::{credentials::IamUser, error::AuthError, response};

/// A token is renewed this long before it expires at most, so that a call rarely carries one
/// that lapses in flight (a 401 then renews it).
pub const RENEW_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);
/// ... or when this part of its validity is left, if that is less.
const RENEW_FRACTION: u32 = 4;
/// How long a failed token request answers for IAM: long enough that a burst of calls asks once,
/// short enough that IAM coming back is noticed at once.
pub const FAILURE_REMEMBERED: Duration = Duration::from_secs(2);
/// IAM tokens last 24 hours; assumed when a response does not say, and the most believed.
const DEFAULT_VALIDITY: Duration = Duration::from_secs(24 * 60 * 60);
/// The most of IAM's answer read for the expiry; the rest of the body is the service catalogue
/// (tens to hundreds of KiB). Past it, the expiry is taken as unknown.
const TOKEN_BODY_BYTES: usize = 4 * 1024 * 1024;
/// The least validity believed: a token said to lapse sooner is kept this long (the service's
/// 401 renews it if it really has lapsed).
const MIN_VALIDITY: Duration = Duration::from_secs(60);

/// A token IAM issued, and for how long.
#[derive(Clone)]
struct Issued {
    /// As sent in `X-Auth-Token`, marked sensitive.
    value: HeaderValue,
    validity: Duration,
}

#[derive(Clone)]
struct Cached {
    value: HeaderValue,
    renew_at: Instant,
    expires_at: Instant,
}

impl Cached {
    fn new(issued: Issued, now: Instant) -> Self {
        let margin = RENEW_BEFORE_EXPIRY.min(issued.validity / RENEW_FRACTION);
        Cached {
            value: issued.value,
            renew_at: now + (issued.validity - margin),
            expires_at: now + issued.validity,
        }
    }
}

type Fetching = Shared<BoxFuture<'static, Result<Cached, AuthError>>>;
/// A token request to wait for, and the current token if it is still valid.
type Waiting = (Fetching, Option<HeaderValue>);

#[derive(Default)]
struct State {
    token: Option<Cached>,
    /// The one token request in flight.
    fetching: Option<Fetching>,
    /// The last request's failure, and until when it stands for IAM.
    failed: Option<(AuthError, Instant)>,
}

/// The IAM token of one runtime, shared by all its calls.
#[derive(Default)]
pub struct TokenCache {
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("TokenCache")
            .field("has_token", &state.token.is_some())
            .field("fetching", &state.fetching.is_some())
            .finish()
    }
}

/// Nothing panics while the lock is held; a poisoned state is still consistent.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl TokenCache {
    /// A valid token for `user`, from the cache or from IAM (see the [module docs](self)).
    pub async fn get(
        &self,
        http: &reqwest::Client,
        user: &IamUser,
    ) -> Result<HeaderValue, AuthError> {
        self.get_with(|| fetch(http.clone(), user.clone())).await
    }

    /// Drops `token` if it is still the cached one, so that the next call fetches another. A
    /// token already replaced is left alone: concurrent 401s renew once.
    pub fn reject(&self, token: &HeaderValue) {
        let mut state = lock(&self.state);
        if state.token.as_ref().is_some_and(|t| t.value == *token) {
            state.token = None;
        }
    }

    /// [`TokenCache::get`] with the token request given: `fetch` is called only if this call
    /// starts one.
    async fn get_with<Fut>(&self, fetch: impl Fn() -> Fut) -> Result<HeaderValue, AuthError>
    where
        Fut: Future<Output = Result<Issued, AuthError>> + Send + 'static,
    {
        let mut lost_before = false;
        loop {
            let (fetching, current) = match self.cached_or_fetching(&fetch) {
                Ok(answer) => return answer,
                Err(waiting) => waiting,
            };
            match fetching.await {
                Ok(token) => return Ok(token.value),
                // A request lost with another async runtime is no answer from IAM: ask again.
                Err(AuthError::TokenRequestLost) if !lost_before => lost_before = true,
                Err(error) => return current.ok_or(error),
            }
        }
    }

    /// The answer the cache holds, or the request to wait for (started here if none is in
    /// flight) and the current token to fall back on.
    fn cached_or_fetching<Fut>(
        &self,
        fetch: impl Fn() -> Fut,
    ) -> Result<Result<HeaderValue, AuthError>, Waiting>
    where
        Fut: Future<Output = Result<Issued, AuthError>> + Send + 'static,
    {
        let now = Instant::now();
        let mut state = lock(&self.state);
        let current = match &state.token {
            Some(token) if now < token.renew_at => return Ok(Ok(token.value.clone())),
            Some(token) if now < token.expires_at => Some(token.value.clone()),
            _ => None,
        };
        if let Some((error, until)) = &state.failed
            && now < *until
        {
            return Ok(current.ok_or_else(|| error.clone()));
        }
        match (state.fetching.clone(), current) {
            // Another call is renewing it; this one goes on with the current token.
            (Some(_), Some(current)) => Ok(Ok(current)),
            (Some(fetching), None) => Err((fetching, None)),
            (None, current) => {
                let fetching = start_fetch(Arc::downgrade(&self.state), fetch());
                state.fetching = Some(fetching.clone());
                Err((fetching, current))
            }
        }
    }
}

/// Stores a token request's outcome for the calls that come after it.
fn record(state: &Weak<Mutex<State>>, outcome: &Result<Cached, AuthError>) {
    let Some(state) = state.upgrade() else {
        return;
    };
    let mut state = lock(&state);
    state.fetching = None;
    match outcome {
        Ok(token) => {
            state.token = Some(token.clone());
            state.failed = None;
        }
        Err(error) => {
            state.failed = Some((error.clone(), Instant::now() + FAILURE_REMEMBERED));
        }
    }
}

/// The token request, run once however many callers await it; its outcome is stored before any
/// of them sees it.
fn start_fetch<Fut>(state: Weak<Mutex<State>>, fetch: Fut) -> Fetching
where
    Fut: Future<Output = Result<Issued, AuthError>> + Send + 'static,
{
    let recorder = state.clone();
    let request = async move {
        let outcome = fetch
            .await
            .map(|issued| Cached::new(issued, Instant::now()));
        record(&recorder, &outcome);
        outcome
    };
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return request.boxed().shared();
    };
    // Spawned, so that it runs to its end even if every call waiting for it is cancelled: a
    // request left half-way would resume past its timeout when next awaited, and fail that call.
    let task = runtime.spawn(request);
    async move {
        task.await.unwrap_or_else(|_| {
            // It never recorded an outcome; the next call starts another.
            if let Some(state) = state.upgrade() {
                lock(&state).fetching = None;
            }
            Err(AuthError::TokenRequestLost)
        })
    }
    .boxed()
    .shared()
}

async fn fetch(http: reqwest::Client, user: IamUser) -> Result<Issued, AuthError> {
    let url = format!("{}/v3/auth/tokens", user.iam_url.trim_end_matches('/'));
    let body = json!({
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {
                    "name": user.user,
                    "password": user.password.expose(),
                    "domain": {"name": user.domain},
                }},
            },
            "scope": {"project": {"id": user.project_id}},
        }
    });
    let response =
        http.post(&url)
            .json(&body)
            .send()
            .await
            .map_err(|source| AuthError::TokenTransport {
                url: url.clone(),
                source: Arc::new(source.without_url()),
            })?;
    let status = response.status();
    if status.is_redirection() {
        return Err(AuthError::TokenRedirected {
            url,
            status: status.as_u16(),
            location: response::redirect_location(response.headers()),
        });
    }
    if !status.is_success() {
        let body = response::BodyExcerpt::read(response).await.to_string();
        return Err(AuthError::TokenRefused {
            url,
            status: status.as_u16(),
            body,
        });
    }
    // A header value already, so it can be sent as one; marked sensitive so that no `Debug`
    // shows it.
    let mut value = response
        .headers()
        .get("x-subject-token")
        .filter(|v| !v.is_empty())
        .cloned()
        .ok_or_else(|| AuthError::TokenMissing { url: url.clone() })?;
    value.set_sensitive(true);
    let body = json_within(response, TOKEN_BODY_BYTES).await;
    Ok(Issued {
        value,
        validity: validity(body.as_ref(), Utc::now()),
    })
}

/// The body as JSON if it is, and no longer than `limit`: what a hostile IAM sends is not read
/// to its end.
async fn json_within(mut response: reqwest::Response, limit: usize) -> Option<serde_json::Value> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.ok()? {
        if body.len() + chunk.len() > limit {
            return None;
        }
        body.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&body).ok()
}

/// How long a token is believed valid, from IAM's answer (see the module docs).
fn validity(body: Option<&serde_json::Value>, now: DateTime<Utc>) -> Duration {
    let time = |pointer: &str| {
        let text = body?.pointer(pointer)?.as_str()?;
        DateTime::parse_from_rfc3339(text).ok()
    };
    let claimed = match (time("/token/issued_at"), time("/token/expires_at")) {
        (Some(issued), Some(expires)) => expires.signed_duration_since(issued),
        (None, Some(expires)) => expires.with_timezone(&Utc).signed_duration_since(now),
        _ => return DEFAULT_VALIDITY,
    };
    claimed
        .to_std()
        .unwrap_or(Duration::ZERO)
        .clamp(MIN_VALIDITY, DEFAULT_VALIDITY)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use tokio::time::sleep_until;

    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);
    const MINUTE: Duration = Duration::from_secs(60);
    const TIMEOUT: Duration = Duration::from_secs(60);

    /// A fake IAM on the paused clock: counts requests; each takes `delay`, then issues
    /// `token-<n>` valid for the given time, or fails.
    #[derive(Clone, Default)]
    struct FakeIam {
        requests: Arc<AtomicU32>,
        /// Requests that ran to their end.
        answered: Arc<AtomicU32>,
        answer: Arc<Mutex<(Duration, Option<Duration>)>>,
    }

    impl FakeIam {
        fn answering(delay: Duration, validity: Option<Duration>) -> Self {
            let iam = FakeIam::default();
            iam.set(delay, validity);
            iam
        }

        fn set(&self, delay: Duration, validity: Option<Duration>) {
            *self.answer.lock().unwrap() = (delay, validity);
        }

        fn requests(&self) -> u32 {
            self.requests.load(Ordering::SeqCst)
        }

        fn fetch(&self) -> impl Future<Output = Result<Issued, AuthError>> + Send + 'static {
            let n = self.requests.fetch_add(1, Ordering::SeqCst) + 1;
            let (delay, validity) = *self.answer.lock().unwrap();
            let answered = self.answered.clone();
            async move {
                tokio::time::sleep(delay).await;
                answered.fetch_add(1, Ordering::SeqCst);
                match validity {
                    Some(validity) => Ok(Issued {
                        value: HeaderValue::from_str(&format!("token-{n}")).unwrap(),
                        validity,
                    }),
                    None => Err(AuthError::TokenRefused {
                        url: "http://iam.test/v3/auth/tokens".into(),
                        status: 500,
                        body: "internal error".into(),
                    }),
                }
            }
        }
    }

    async fn get(cache: &TokenCache, iam: &FakeIam) -> Result<String, String> {
        cache
            .get_with(|| iam.fetch())
            .await
            .map(|token| token.to_str().unwrap().to_owned())
            .map_err(|error| error.to_string())
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_one_token_request_and_its_outcome() {
        let refused = "IAM refused the token request (http://iam.test/v3/auth/tokens): status 500: internal error";
        // (IAM's delay, validity or failure) -> what each of 100 concurrent callers gets.
        let cases: [(Duration, Option<Duration>, Result<&str, &str>); 4] = [
            (Duration::ZERO, Some(HOUR), Ok("token-1")),
            (Duration::ZERO, None, Err(refused)),
            // IAM hanging until the HTTP timeout, then failing or answering.
            (TIMEOUT, None, Err(refused)),
            (TIMEOUT, Some(HOUR), Ok("token-1")),
        ];
        for (delay, validity, expected) in cases {
            let iam = FakeIam::answering(delay, validity);
            let cache = Arc::new(TokenCache::default());
            let started = Instant::now();
            let callers: Vec<_> = (0..100)
                .map(|_| {
                    let (cache, iam) = (cache.clone(), iam.clone());
                    tokio::spawn(async move { get(&cache, &iam).await })
                })
                .collect();
            for caller in callers {
                let got = caller.await.unwrap();
                let expected = expected.map(str::to_owned).map_err(str::to_owned);
                assert_eq!(got, expected, "{delay:?} {validity:?}");
            }
            assert_eq!(iam.requests(), 1, "{delay:?} {validity:?}");
            // On the paused clock: all of them within one delay, not one delay per caller.
            assert_eq!(started.elapsed(), delay, "{delay:?} {validity:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_answers_for_a_short_while_then_iam_is_asked_again() {
        let iam = FakeIam::answering(Duration::ZERO, None);
        let cache = TokenCache::default();
        let start = Instant::now();
        assert!(get(&cache, &iam).await.is_err());
        sleep_until(start + FAILURE_REMEMBERED / 2).await;
        assert!(get(&cache, &iam).await.is_err());
        assert_eq!(iam.requests(), 1, "the failure is remembered");
        iam.set(Duration::ZERO, Some(HOUR));
        sleep_until(start + FAILURE_REMEMBERED).await;
        assert_eq!(get(&cache, &iam).await.as_deref(), Ok("token-2"));
        assert_eq!(iam.requests(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_token_is_renewed_once_ahead_of_expiry_and_used_until_then() {
        // (validity, (time of a call, requests made by then)...).
        let cases: [(Duration, &[(Duration, u32)]); 3] = [
            // Renewed 5 minutes before the end.
            (
                HOUR,
                &[
                    (Duration::ZERO, 1),
                    (54 * MINUTE, 1),
                    (56 * MINUTE, 2),
                    (57 * MINUTE, 2),
                ],
            ),
            // Shorter than the margin: renewed with a quarter of it left, at 45 s.
            (
                MINUTE,
                &[
                    (Duration::ZERO, 1),
                    (Duration::from_secs(44), 1),
                    (Duration::from_secs(46), 2),
                    (Duration::from_secs(50), 2),
                ],
            ),
            // Past its expiry (nobody called while it was due): fetched again, once.
            (
                MINUTE,
                &[(Duration::ZERO, 1), (2 * MINUTE, 2), (2 * MINUTE, 2)],
            ),
        ];
        for (validity, calls) in cases {
            let iam = FakeIam::answering(Duration::ZERO, Some(validity));
            let cache = TokenCache::default();
            let start = Instant::now();
            for &(at, requests) in calls {
                sleep_until(start + at).await;
                get(&cache, &iam).await.unwrap();
                assert_eq!(iam.requests(), requests, "{validity:?}, call at {at:?}");
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn while_a_token_is_renewed_the_current_one_is_used_and_kept_if_renewal_fails() {
        let iam = FakeIam::answering(Duration::ZERO, Some(MINUTE));
        let cache = Arc::new(TokenCache::default());
        let start = Instant::now();
        assert_eq!(get(&cache, &iam).await.as_deref(), Ok("token-1"));
        // Due at 45 s; IAM now takes 5 s and fails.
        iam.set(Duration::from_secs(5), None);
        sleep_until(start + Duration::from_secs(46)).await;
        let renewing = tokio::spawn({
            let (cache, iam) = (cache.clone(), iam.clone());
            async move { get(&cache, &iam).await }
        });
        tokio::task::yield_now().await;
        assert_eq!(iam.requests(), 2, "the renewal started");
        assert_eq!(get(&cache, &iam).await.as_deref(), Ok("token-1"), "no wait");
        assert_eq!(renewing.await.unwrap().as_deref(), Ok("token-1"), "kept");
        assert_eq!(get(&cache, &iam).await.as_deref(), Ok("token-1"));
        assert_eq!(iam.requests(), 2, "the failure is remembered");
        // Expired, with IAM still failing: the failure.
        sleep_until(start + MINUTE).await;
        assert!(get(&cache, &iam).await.is_err());
        assert_eq!(iam.requests(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn a_token_request_runs_to_its_end_when_every_waiting_call_is_cancelled() {
        let iam = FakeIam::answering(Duration::from_secs(10), Some(HOUR));
        let cache = TokenCache::default();
        let start = Instant::now();
        let cancelled = tokio::time::timeout(Duration::from_secs(1), get(&cache, &iam)).await;
        assert!(cancelled.is_err(), "the call gave up waiting");
        sleep_until(start + Duration::from_secs(11)).await;
        assert_eq!(
            iam.answered.load(Ordering::SeqCst),
            1,
            "no caller, still answered"
        );
        assert_eq!(get(&cache, &iam).await.as_deref(), Ok("token-1"));
        assert_eq!(iam.requests(), 1);
    }

    #[test]
    fn a_token_request_lost_with_its_runtime_is_asked_again() {
        let runtime = || {
            tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(true)
                .build()
                .unwrap()
        };
        let iam = FakeIam::answering(HOUR, Some(HOUR));
        let cache = TokenCache::default();
        let first = runtime();
        first.block_on(async {
            let waited = tokio::time::timeout(Duration::from_secs(1), get(&cache, &iam)).await;
            assert!(waited.is_err());
        });
        drop(first);
        iam.set(Duration::ZERO, Some(HOUR));
        runtime().block_on(async {
            assert_eq!(get(&cache, &iam).await.as_deref(), Ok("token-2"));
        });
        assert_eq!(
            (iam.requests(), iam.answered.load(Ordering::SeqCst)),
            (2, 1)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_rejected_token_is_dropped_once_however_many_calls_reject_it() {
        let iam = FakeIam::answering(Duration::ZERO, Some(HOUR));
        let cache = TokenCache::default();
        let first = get(&cache, &iam).await.unwrap();
        let first = HeaderValue::from_str(&first).unwrap();
        cache.reject(&first);
        assert_eq!(get(&cache, &iam).await.as_deref(), Ok("token-2"));
        // Late rejections of the old token leave the new one alone.
        cache.reject(&first);
        cache.reject(&first);
        assert_eq!(get(&cache, &iam).await.as_deref(), Ok("token-2"));
        assert_eq!(iam.requests(), 2);
    }

    #[tokio::test]
    async fn iams_body_is_read_only_up_to_the_limit() {
        let body = r#"{"token": {"expires_at": "2026-11-28T01:00:00Z"}}"#;
        // (body, limit) -> read as JSON?
        let cases = [
            (body.to_owned(), body.len(), true),
            (body.to_owned(), body.len() - 1, false),
            (format!("{body}{}", " ".repeat(1 << 20)), 1 << 20, false),
            ("not json".to_owned(), 1 << 20, false),
        ];
        for (body, limit, json) in cases {
            let response = reqwest::Response::from(http::Response::new(body.clone().into_bytes()));
            let read = json_within(response, limit).await;
            assert_eq!(read.is_some(), json, "{} bytes, limit {limit}", body.len());
        }
    }

    #[test]
    fn validity_is_read_from_iams_own_clock_and_bounded() {
        let now = DateTime::parse_from_rfc3339("2026-11-28T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let token = |issued: Option<&str>, expires: &str| {
            let mut token = json!({"expires_at": expires});
            if let Some(issued) = issued {
                token["issued_at"] = json!(issued);
            }
            json!({ "token": token })
        };
        let cases: Vec<(Option<serde_json::Value>, Duration)> = vec![
            // A local clock a year off does not matter when IAM gives both times.
            (
                Some(token(
                    Some("2025-11-28T00:00:00.000000Z"),
                    "2025-11-29T00:00:00.000000Z",
                )),
                DEFAULT_VALIDITY,
            ),
            (
                Some(token(Some("2026-11-28T00:00:00Z"), "2026-11-28T00:30:00Z")),
                30 * MINUTE,
            ),
            (Some(token(None, "2026-11-28T01:00:00Z")), HOUR),
            (Some(token(None, "2026-11-27T00:00:00Z")), MIN_VALIDITY),
            (
                Some(token(Some("2026-11-28T00:00:00Z"), "2026-11-27T00:00:00Z")),
                MIN_VALIDITY,
            ),
            (Some(token(None, "9999-12-31T23:59:59Z")), DEFAULT_VALIDITY),
            (Some(token(None, "tomorrow")), DEFAULT_VALIDITY),
            (Some(json!({"token": {"expires_at": 17}})), DEFAULT_VALIDITY),
            (None, DEFAULT_VALIDITY),
        ];
        for (body, expected) in cases {
            assert_eq!(validity(body.as_ref(), now), expected, "{body:?}");
        }
    }
}
