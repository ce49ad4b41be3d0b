//! Waiters: poll an operation until what it reports reaches a phase, as the AWS SDKs' waiters
//! do. Each generated `wait_until_<name>()` is declared in its spec (`x-waiters` on the polled
//! operation) and calls [`until`] with how to poll once and how to read the phase.
//!
//! Polls go through the runtime like any call (signed, retried as a read). The interval starts
//! at [`Wait::poll_interval`] and grows by half each poll up to [`Wait::max_interval`], with
//! jitter; the wait gives up at [`Wait::max_wait`].

use std::{future::Future, time::Duration};

use crate::Phase;

/// How long and how often to poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wait {
    pub max_wait: Duration,
    pub poll_interval: Duration,
    pub max_interval: Duration,
}

impl Default for Wait {
    fn default() -> Self {
        Wait {
            max_wait: Duration::from_secs(30 * 60),
            poll_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(30),
        }
    }
}

/// How a wait ended well.
#[derive(Debug, Clone, PartialEq)]
pub enum Waited<T> {
    /// The last response, in one of the phases waited for.
    Reached(T),
    /// The service no longer knows the job (the status the spec declares as `gone`).
    Gone,
}

/// How a wait ended badly.
#[derive(Debug, thiserror::Error)]
pub enum WaitError<T: std::fmt::Debug, E: std::fmt::Display + std::fmt::Debug> {
    #[error("{waiter}: the job reached phase {phase}, which ends the wait without success")]
    Failed {
        waiter: &'static str,
        phase: Phase,
        response: Box<T>,
    },
    #[error("{waiter}: still in phase {last} after {waited:?}; giving up")]
    TimedOut {
        waiter: &'static str,
        waited: Duration,
        /// The phase of the last response.
        last: Phase,
    },
    #[error("{waiter}: a poll failed: {source}")]
    Call {
        waiter: &'static str,
        #[source]
        source: E,
    },
}

/// What a waiter declares: which phases end the wait, and which failed poll means gone.
#[derive(Debug, Clone, Copy)]
pub struct Waiter {
    pub name: &'static str,
    pub success: &'static [Phase],
    pub failure: &'static [Phase],
    pub gone: Option<Gone>,
}

/// The failed poll that means the service no longer knows the job: a documented status and,
/// where the service answers "does not exist" with a status it also uses for other errors
/// (DLI's 400 `DLI.0002`, MRS's 500 `0176`), the error codes that say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gone {
    pub status: u16,
    /// The error body's code field; unused when `codes` is empty.
    pub code_field: &'static str,
    /// The codes meaning gone; empty: any error with `status`.
    pub codes: &'static [&'static str],
}

impl Gone {
    /// Whether a failed poll with `status` and error `body` (as JSON) means gone.
    pub fn matches(&self, status: Option<u16>, body: Option<&serde_json::Value>) -> bool {
        status == Some(self.status)
            && (self.codes.is_empty()
                || body
                    .and_then(|body| body.get(self.code_field))
                    .and_then(serde_json::Value::as_str)
                    .is_some_and(|code| self.codes.contains(&code)))
    }
}

/// Polls `poll(builder)` until its response's phase is in `waiter.success` (the response is
/// returned) or `waiter.failure`, the time runs out, or a call fails. `error_of` gives a failed
/// poll's HTTP status and error body, to recognise `waiter.gone`.
pub async fn until<B, T, E, Fut>(
    builder: B,
    wait: &Wait,
    waiter: Waiter,
    poll: fn(B) -> Fut,
    phase_of: fn(&T) -> Phase,
    error_of: fn(&E) -> (Option<u16>, Option<serde_json::Value>),
) -> Result<Waited<T>, WaitError<T, E>>
where
    B: Clone,
    T: std::fmt::Debug,
    E: std::fmt::Display + std::fmt::Debug,
    Fut: Future<Output = Result<T, E>>,
{
    let start = tokio::time::Instant::now();
    let mut interval = wait.poll_interval;
    loop {
        let last = match poll(builder.clone()).await {
            Ok(response) => {
                let phase = phase_of(&response);
                if waiter.success.contains(&phase) {
                    return Ok(Waited::Reached(response));
                }
                if waiter.failure.contains(&phase) {
                    return Err(WaitError::Failed {
                        waiter: waiter.name,
                        phase,
                        response: Box::new(response),
                    });
                }
                phase
            }
            Err(error)
                if waiter.gone.is_some_and(|gone| {
                    let (status, body) = error_of(&error);
                    gone.matches(status, body.as_ref())
                }) =>
            {
                return Ok(Waited::Gone);
            }
            Err(error) => {
                return Err(WaitError::Call {
                    waiter: waiter.name,
                    source: error,
                });
            }
        };
        let waited = start.elapsed();
        if waited >= wait.max_wait {
            return Err(WaitError::TimedOut {
                waiter: waiter.name,
                waited,
                last,
            });
        }
        // Jitter over the upper half, so many waiters do not poll in step.
        let half = interval / 2;
        let delay = (half + half.mul_f64(fastrand::f64())).min(wait.max_wait - waited);
        tokio::time::sleep(delay).await;
        // Saturating: `poll_interval(Duration::MAX)` must not overflow.
        interval = interval.saturating_add(interval / 2).min(wait.max_interval);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A job that reports `phases` in turn (the last one for ever); records when it was polled.
    #[derive(Clone)]
    struct Job {
        phases: Arc<Vec<Result<Phase, &'static str>>>,
        polls: Arc<Mutex<Vec<Duration>>>,
        start: tokio::time::Instant,
    }

    impl Job {
        fn new(phases: Vec<Result<Phase, &'static str>>) -> Job {
            Job {
                phases: Arc::new(phases),
                polls: Arc::default(),
                start: tokio::time::Instant::now(),
            }
        }
    }

    async fn poll(job: Job) -> Result<Phase, String> {
        let mut polls = job.polls.lock().unwrap();
        polls.push(job.start.elapsed());
        let at = (polls.len() - 1).min(job.phases.len() - 1);
        job.phases[at]
            .clone()
            .map_err(|error| format!("status {error}"))
    }

    // `until` takes `fn(&E)`, and E is `String` here: `status 404` or `status 400 DLI.0002`.
    #[allow(clippy::ptr_arg)]
    fn error_of(error: &String) -> (Option<u16>, Option<serde_json::Value>) {
        let mut words = error.strip_prefix("status ").unwrap_or_default().split(' ');
        let status = words.next().and_then(|s| s.parse().ok());
        let body = words
            .next()
            .map(|code| serde_json::json!({"error_code": code}));
        (status, body)
    }

    const FINISHED: Waiter = Waiter {
        name: "wait_until_job_finished",
        success: &[Phase::Succeeded],
        failure: &[Phase::Failed, Phase::Cancelled],
        gone: None,
    };

    async fn wait(
        job: &Job,
        waiter: Waiter,
        wait: &Wait,
    ) -> Result<Waited<Phase>, WaitError<Phase, String>> {
        until(job.clone(), wait, waiter, poll, Clone::clone, error_of).await
    }

    #[tokio::test(start_paused = true)]
    async fn a_job_that_runs_runs_and_finishes_is_returned_finished() {
        let job = Job::new(vec![
            Ok(Phase::Queued),
            Ok(Phase::Running),
            Ok(Phase::Succeeded),
        ]);
        let outcome = wait(&job, FINISHED, &Wait::default()).await.unwrap();
        assert_eq!(outcome, Waited::Reached(Phase::Succeeded));
        assert_eq!(job.polls.lock().unwrap().len(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn a_job_that_fails_ends_the_wait_with_its_phase() {
        let job = Job::new(vec![Ok(Phase::Running), Ok(Phase::Failed)]);
        match wait(&job, FINISHED, &Wait::default()).await {
            Err(WaitError::Failed {
                phase, response, ..
            }) => {
                assert_eq!((phase, *response), (Phase::Failed, Phase::Failed));
            }
            other => panic!("{other:?}"),
        }
    }

    /// Paused time: 30 simulated minutes take no real time.
    #[tokio::test(start_paused = true)]
    async fn a_job_that_never_finishes_times_out_with_the_last_phase_and_backed_off_polls() {
        let job = Job::new(vec![Ok(Phase::Running)]);
        let error = wait(&job, FINISHED, &Wait::default()).await.unwrap_err();
        match &error {
            WaitError::TimedOut { waited, last, .. } => {
                assert_eq!(*last, Phase::Running);
                assert!(*waited >= Duration::from_secs(30 * 60), "{waited:?}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            error.to_string(),
            format!(
                "wait_until_job_finished: still in phase running after {:?}; giving up",
                Duration::from_secs(30 * 60)
            )
        );
        let polls = job.polls.lock().unwrap();
        let gaps: Vec<Duration> = polls.windows(2).map(|w| w[1] - w[0]).collect();
        // Intervals grow by half from 2 s, jittered in their upper half, capped at 30 s.
        assert!(
            gaps[0] >= Duration::from_secs(1) && gaps[0] <= Duration::from_secs(2),
            "{gaps:?}"
        );
        assert!(
            gaps.iter().all(|g| *g <= Duration::from_secs(30)),
            "{gaps:?}"
        );
        assert!(
            gaps[gaps.len() - 2] >= Duration::from_secs(15),
            "capped growth: {gaps:?}"
        );
        assert!(
            (60..=130).contains(&polls.len()),
            "{} polls in 30 minutes",
            polls.len()
        );
    }

    /// A failed poll ends a wait until stopped as gone only when it is the declared status
    /// (and, where codes are declared, one of them); any other is the call's error.
    #[tokio::test(start_paused = true)]
    async fn the_declared_gone_ends_a_wait_until_stopped_and_other_failures_are_errors() {
        const BY_STATUS: Gone = Gone {
            status: 404,
            code_field: "",
            codes: &[],
        };
        const BY_CODE: Gone = Gone {
            status: 400,
            code_field: "error_code",
            codes: &["DLI.0002"],
        };
        // (declared, failed poll) -> gone?
        let cases: [(Gone, &'static str, bool); 7] = [
            (BY_STATUS, "404", true),
            (BY_STATUS, "404 ANY.0001", true),
            (BY_STATUS, "500", false),
            (BY_CODE, "400 DLI.0002", true),
            (BY_CODE, "400 DLI.0001", false),
            (BY_CODE, "400", false),
            (BY_CODE, "500 DLI.0002", false),
        ];
        for (gone, failure, expected) in cases {
            let stopped = Waiter {
                name: "wait_until_job_stopped",
                success: &[Phase::Succeeded, Phase::Failed, Phase::Cancelled],
                failure: &[],
                gone: Some(gone),
            };
            let job = Job::new(vec![Ok(Phase::Running), Err(failure)]);
            match wait(&job, stopped, &Wait::default()).await {
                Ok(Waited::Gone) => assert!(expected, "{failure} is not gone"),
                Err(WaitError::Call { source, .. }) => {
                    assert!(!expected, "{failure} is gone");
                    assert_eq!(source, format!("status {failure}"));
                }
                other => panic!("{failure}: {other:?}"),
            }
        }
    }

    /// Whatever durations a caller passes, the wait ends as it should and nothing overflows:
    /// a zero interval polls at once, a huge one is cut to what is left of `max_wait`.
    #[tokio::test(start_paused = true)]
    async fn extreme_intervals_and_waits_neither_panic_nor_hang() {
        let finishing = || {
            Job::new(vec![
                Ok(Phase::Running),
                Ok(Phase::Running),
                Ok(Phase::Succeeded),
            ])
        };
        let hour = Duration::from_secs(3600);
        // (poll interval, max wait) -> reached?, polls
        let cases = [
            (Duration::ZERO, Duration::from_secs(1800), true, 3),
            (Duration::ZERO, Duration::ZERO, false, 1),
            (Duration::MAX, hour, false, 2),
            (Duration::from_secs(1), Duration::MAX, true, 3),
            (Duration::MAX, Duration::MAX, true, 3),
        ];
        for (poll_interval, max_wait, reached, polls) in cases {
            let job = finishing();
            let wait_for = Wait {
                max_wait,
                poll_interval,
                max_interval: Duration::from_secs(30).max(poll_interval),
            };
            let outcome = wait(&job, FINISHED, &wait_for).await;
            assert_eq!(
                matches!(outcome, Ok(Waited::Reached(_))),
                reached,
                "{poll_interval:?} / {max_wait:?}: {outcome:?}"
            );
            assert_eq!(
                job.polls.lock().unwrap().len(),
                polls,
                "{poll_interval:?} / {max_wait:?}"
            );
        }
    }
}
