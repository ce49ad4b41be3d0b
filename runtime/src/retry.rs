//! When to send a request again and how long to wait first.

use std::time::Duration;

use reqwest::{StatusCode, header::RETRY_AFTER};

/// Statuses that say "try again later": the request was not processed, or a gateway lost it.
pub const RETRYABLE_STATUSES: [u16; 5] = [408, 429, 502, 503, 504];

/// Capped exponential backoff with jitter, honouring `Retry-After`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// Wait before the first retry (before jitter); doubled for each further one.
    pub initial_backoff: Duration,
    /// Cap on the computed wait.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; a server asking for more gets its answer returned.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    pub fn is_retryable(status: StatusCode) -> bool {
        RETRYABLE_STATUSES.contains(&status.as_u16())
    }

    /// The wait before retry number `retry` (1 for the first), in [half, full] of the capped
    /// exponential value so that concurrent clients spread out.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)));
        jitter(exponential.min(self.max_backoff))
    }

    /// The wait before retry number `retry` after `response`: its `Retry-After` when it gives
    /// one (`None` when that is longer than we wait), the backoff otherwise.
    pub fn delay_after(&self, retry: u32, response: &reqwest::Response) -> Option<Duration> {
        match retry_after(response) {
            Some(asked) if asked > self.max_retry_after => None,
            Some(asked) => Some(asked),
            None => Some(self.backoff(retry)),
        }
    }
}

/// A wait drawn evenly from the upper half of `full`, [half, full], so that concurrent clients
/// (retries, waiters' polls) do not act in step.
pub fn jitter(full: Duration) -> Duration {
    let half = full / 2;
    half + half.mul_f64(fastrand::f64())
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(retry_after: Option<&str>) -> reqwest::Response {
        let mut builder = http::Response::builder().status(503);
        if let Some(value) = retry_after {
            builder = builder.header("retry-after", value);
        }
        reqwest::Response::from(builder.body(Vec::<u8>::new()).unwrap())
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half() {
        let policy = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(300),
            ..RetryPolicy::default()
        };
        for _ in 0..100 {
            let first = policy.backoff(1);
            assert!((Duration::from_millis(50)..=Duration::from_millis(100)).contains(&first));
            let second = policy.backoff(2);
            assert!((Duration::from_millis(100)..=Duration::from_millis(200)).contains(&second));
            let capped = policy.backoff(10);
            assert!((Duration::from_millis(150)..=Duration::from_millis(300)).contains(&capped));
        }
    }

    #[test]
    fn retry_after_seconds_and_dates_are_honoured_up_to_the_limit() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay_after(1, &response(Some("2"))),
            Some(Duration::from_secs(2))
        );
        assert_eq!(policy.delay_after(1, &response(Some("3600"))), None);
        let past = "Wed, 21 Oct 2015 07:28:00 GMT";
        assert_eq!(
            policy.delay_after(1, &response(Some(past))),
            Some(Duration::ZERO)
        );
        let computed = policy.delay_after(1, &response(None)).unwrap();
        assert!(computed <= policy.initial_backoff);
    }

    #[test]
    fn only_the_documented_transient_statuses_are_retried() {
        for status in [408, 429, 502, 503, 504] {
            assert!(RetryPolicy::is_retryable(
                StatusCode::from_u16(status).unwrap()
            ));
        }
        for status in [200, 400, 401, 404, 409, 500, 501] {
            assert!(!RetryPolicy::is_retryable(
                StatusCode::from_u16(status).unwrap()
            ));
        }
    }
}
