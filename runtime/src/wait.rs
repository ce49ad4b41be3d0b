//! Waiters: poll an operation until what it reports reaches a phase, as the AWS SDKs' waiters
//! do. Each generated `wait_until_<name>()` is declared in its spec (`x-waiters` on the polled
//! operation) and calls [`until`] with how to poll once and how to read an answer.
//!
//! Polls go through the runtime like any call (signed, retried as a read). The interval starts
//! at [`Wait::poll_interval`] (at least [`MIN_POLL_INTERVAL`]) and grows by half each poll up
//! to [`Wait::max_interval`], with jitter. [`Wait::max_wait`] is a deadline: a poll still under
//! way when it passes (a server that never answers, a long `Retry-After`, retries) is abandoned
//! and the wait ends as [`WaitError::TimedOut`].
//!
//! Errors quote what the service said, bounded: its status word and message on failure (declared
//! per waiter), and a `Debug` of the last answer cut at [`DEBUG_BYTES`].

use std::{
    future::Future,
    sync::{Arc, Mutex},
    time::Duration,
};

use crate::{not_found::NotFound, phase::Phase, response::bounded_text, retry::jitter};

/// The shortest interval between polls, whatever the caller sets: a zero interval would poll
/// hundreds of times a second.
pub const MIN_POLL_INTERVAL: Duration = Duration::from_millis(50);
/// How much of the service's status word and message an error keeps.
pub const MESSAGE_CHARS: usize = 1024;
/// How much of an answer's `Debug` an error's `Debug` shows.
pub const DEBUG_BYTES: usize = 2048;

/// Told of each answer while a waiter polls: what it read and how long the wait has run (a
/// command line shows a progress line with it).
pub type OnPoll = Arc<dyn Fn(&Reading, Duration) + Send + Sync>;

/// How long and how often to poll.
#[derive(Clone)]
pub struct Wait {
    pub max_wait: Duration,
    pub poll_interval: Duration,
    pub max_interval: Duration,
    pub on_poll: Option<OnPoll>,
}

impl std::fmt::Debug for Wait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wait")
            .field("max_wait", &self.max_wait)
            .field("poll_interval", &self.poll_interval)
            .field("max_interval", &self.max_interval)
            .field("on_poll", &self.on_poll.is_some())
            .finish()
    }
}

impl Default for Wait {
    fn default() -> Self {
        Wait {
            max_wait: Duration::from_secs(30 * 60),
            poll_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(30),
            on_poll: None,
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

/// How a wait ended badly. `Display` and `Debug` quote at most a few KiB of what the service
/// sent.
#[derive(thiserror::Error)]
pub enum WaitError<T: std::fmt::Debug, E: std::fmt::Display + std::fmt::Debug> {
    #[error("{waiter}: the job reached phase {phase}{}, which ends the wait without success", said(status.as_deref(), message.as_deref()))]
    Failed {
        waiter: &'static str,
        phase: Phase,
        /// The service's own status word (`FAILED`, `job_submit_fail`), bounded.
        status: Option<String>,
        /// The service's message, where the waiter declares where it is (`x-waiters`
        /// `message`), bounded.
        message: Option<String>,
        response: Box<T>,
    },
    #[error("{waiter}: still in phase {last} after {waited:?}; giving up")]
    TimedOut {
        waiter: &'static str,
        waited: Duration,
        /// The phase of the last response (`Phase::Unknown("")` when no poll answered).
        last: Phase,
    },
    /// The answer is about another job than the one asked for (where the answer carries the
    /// job's ID, `x-waiters` `id`): a proxy or cache answering for the wrong job.
    #[error("{waiter}: asked about job {asked}, the service answered about job {answered}")]
    OtherJob {
        waiter: &'static str,
        asked: String,
        answered: String,
        response: Box<T>,
    },
    #[error("{waiter}: a poll failed: {source}")]
    Call {
        waiter: &'static str,
        #[source]
        source: E,
    },
}

/// ` (the service says FAILED: out of memory)`, or nothing.
fn said(status: Option<&str>, message: Option<&str>) -> String {
    match (status, message) {
        (None, None) => String::new(),
        (Some(status), None) => format!(" (the service says {status})"),
        (None, Some(message)) => format!(" (the service says: {message})"),
        (Some(status), Some(message)) => format!(" (the service says {status}: {message})"),
    }
}

impl<T: std::fmt::Debug, E: std::fmt::Display + std::fmt::Debug> std::fmt::Debug
    for WaitError<T, E>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WaitError::Failed {
                waiter,
                phase,
                status,
                message,
                response,
            } => f
                .debug_struct("Failed")
                .field("waiter", waiter)
                .field("phase", phase)
                .field("status", status)
                .field("message", message)
                .field("response", &Bounded(response))
                .finish(),
            WaitError::TimedOut {
                waiter,
                waited,
                last,
            } => f
                .debug_struct("TimedOut")
                .field("waiter", waiter)
                .field("waited", waited)
                .field("last", last)
                .finish(),
            WaitError::OtherJob {
                waiter,
                asked,
                answered,
                response,
            } => f
                .debug_struct("OtherJob")
                .field("waiter", waiter)
                .field("asked", asked)
                .field("answered", answered)
                .field("response", &Bounded(response))
                .finish(),
            WaitError::Call { waiter, source } => f
                .debug_struct("Call")
                .field("waiter", waiter)
                .field("source", &Bounded(source))
                .finish(),
        }
    }
}

/// A value's `Debug`, cut at [`DEBUG_BYTES`] with how long it was.
pub struct Bounded<'a, T: std::fmt::Debug>(pub &'a T);

impl<T: std::fmt::Debug> std::fmt::Debug for Bounded<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        /// Keeps the first `DEBUG_BYTES` written and counts the rest.
        struct Capped {
            kept: String,
            total: usize,
        }
        impl std::fmt::Write for Capped {
            fn write_str(&mut self, s: &str) -> std::fmt::Result {
                self.total += s.len();
                let room = DEBUG_BYTES.saturating_sub(self.kept.len());
                let mut cut = s.len().min(room);
                while !s.is_char_boundary(cut) {
                    cut -= 1;
                }
                self.kept.push_str(&s[..cut]);
                Ok(())
            }
        }
        let mut capped = Capped {
            kept: String::new(),
            total: 0,
        };
        std::fmt::write(&mut capped, format_args!("{:?}", self.0))?;
        f.write_str(&capped.kept)?;
        if capped.total > capped.kept.len() {
            write!(f, "… ({} bytes of Debug)", capped.total)?;
        }
        Ok(())
    }
}

/// What a waiter declares: which phases end the wait, and which failed poll means gone.
#[derive(Debug, Clone, Copy)]
pub struct Waiter {
    pub name: &'static str,
    pub success: &'static [Phase],
    pub failure: &'static [Phase],
    /// The failed poll that means the service no longer knows the job: a documented status
    /// and, where the service answers "does not exist" with a status it also uses for other
    /// errors (DLI's 400 `DLI.0002`, MRS's 500 `0176`), the error codes that say so.
    pub gone: Option<NotFound<'static>>,
    /// The path parameter naming the job, when the answer carries the job's ID too
    /// ([`Reading::id`]): an answer about another job ends the wait.
    pub id_parameter: Option<&'static str>,
}

/// What one answer says, as the generated waiter reads it (from `x-waiters`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub phase: Phase,
    /// The status word as the service sent it.
    pub status: Option<String>,
    /// The service's message about the job.
    pub message: Option<String>,
    /// The ID of the job the answer is about.
    pub id: Option<String>,
}

impl Reading {
    /// A reading with only a phase.
    pub fn phase(phase: Phase) -> Reading {
        Reading {
            phase,
            status: None,
            message: None,
            id: None,
        }
    }
}

tokio::task_local! {
    /// Set around each poll: the runtime records there the value of the waiter's ID path
    /// parameter from the URL it sends, so the answer's ID can be compared with what was asked.
    static POLLED: Polled;
}

/// The ID path parameter of the poll under way, as the runtime sent it.
#[derive(Clone)]
struct Polled {
    parameter: &'static str,
    value: Arc<Mutex<Option<String>>>,
}

/// Called by the runtime with each request's route and path: inside a poll whose waiter names
/// an ID parameter, records that parameter's value.
pub(crate) fn record_polled(route: &str, base_url: &str, path: &str) {
    let _ = POLLED.try_with(|polled| {
        if let Some(value) = crate::route::parameter(route, base_url, path, polled.parameter)
            && let Ok(mut slot) = polled.value.lock()
        {
            *slot = Some(value);
        }
    });
}

/// Polls `poll(builder)` until its answer's phase (read by `read`) is in `waiter.success` (the
/// answer is returned) or `waiter.failure`, the deadline passes, or a call fails. `error_of`
/// gives a failed poll's HTTP status and error body, to recognise `waiter.gone`.
pub async fn until<B, T, E, Fut>(
    builder: B,
    wait: &Wait,
    waiter: Waiter,
    poll: fn(B) -> Fut,
    read: fn(&T) -> Reading,
    error_of: fn(&E) -> (Option<u16>, Option<serde_json::Value>),
) -> Result<Waited<T>, WaitError<T, E>>
where
    B: Clone,
    T: std::fmt::Debug,
    E: std::fmt::Display + std::fmt::Debug,
    Fut: Future<Output = Result<T, E>>,
{
    poll_until(
        builder,
        wait,
        waiter,
        poll,
        |answer| Some(read(answer)),
        error_of,
    )
    .await
}

/// [`until`] for a job whose state only a list answers (`x-waiters` `item`: a DLI elastic
/// resource pool, read from the pool list filtered by name): `read` finds the job in the answer,
/// by the key the caller asked for, and `None`, a list without it, means the service no longer
/// knows the job ([`Waited::Gone`]).
pub async fn until_listed<B, T, E, Fut>(
    builder: B,
    wait: &Wait,
    waiter: Waiter,
    poll: fn(B) -> Fut,
    read: impl Fn(&T) -> Option<Reading>,
    error_of: fn(&E) -> (Option<u16>, Option<serde_json::Value>),
) -> Result<Waited<T>, WaitError<T, E>>
where
    B: Clone,
    T: std::fmt::Debug,
    E: std::fmt::Display + std::fmt::Debug,
    Fut: Future<Output = Result<T, E>>,
{
    poll_until(builder, wait, waiter, poll, read, error_of).await
}

/// The loop of [`until`] and [`until_listed`]: `read` gives `None` when the answer does not
/// carry the job.
async fn poll_until<B, T, E, Fut>(
    builder: B,
    wait: &Wait,
    waiter: Waiter,
    poll: fn(B) -> Fut,
    read: impl Fn(&T) -> Option<Reading>,
    error_of: fn(&E) -> (Option<u16>, Option<serde_json::Value>),
) -> Result<Waited<T>, WaitError<T, E>>
where
    B: Clone,
    T: std::fmt::Debug,
    E: std::fmt::Display + std::fmt::Debug,
    Fut: Future<Output = Result<T, E>>,
{
    let start = tokio::time::Instant::now();
    let deadline = start.checked_add(wait.max_wait);
    let mut interval = wait.poll_interval.max(MIN_POLL_INTERVAL);
    let max_interval = wait.max_interval.max(MIN_POLL_INTERVAL);
    let mut last = Phase::Unknown(String::new());
    loop {
        let polled = Polled {
            parameter: waiter.id_parameter.unwrap_or_default(),
            value: Arc::default(),
        };
        let poll_once = POLLED.scope(polled.clone(), poll(builder.clone()));
        let outcome = match deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline, poll_once).await {
                Ok(outcome) => outcome,
                Err(_) => {
                    return Err(WaitError::TimedOut {
                        waiter: waiter.name,
                        waited: start.elapsed(),
                        last,
                    });
                }
            },
            None => poll_once.await,
        };
        match outcome {
            Ok(response) => {
                let Some(reading) = read(&response) else {
                    return Ok(Waited::Gone);
                };
                if let Some(on_poll) = &wait.on_poll {
                    on_poll(&reading, start.elapsed());
                }
                let asked = polled.value.lock().ok().and_then(|slot| slot.clone());
                if let (Some(asked), Some(answered)) = (asked, reading.id.as_deref())
                    && waiter.id_parameter.is_some()
                    && asked != answered.trim()
                {
                    return Err(WaitError::OtherJob {
                        waiter: waiter.name,
                        asked: bounded_text(&asked, MESSAGE_CHARS),
                        answered: bounded_text(answered, MESSAGE_CHARS),
                        response: Box::new(response),
                    });
                }
                if waiter.success.contains(&reading.phase) {
                    return Ok(Waited::Reached(response));
                }
                if waiter.failure.contains(&reading.phase) {
                    let bound =
                        |text: Option<String>| text.map(|t| bounded_text(&t, MESSAGE_CHARS));
                    return Err(WaitError::Failed {
                        waiter: waiter.name,
                        phase: reading.phase,
                        status: bound(reading.status),
                        message: bound(reading.message),
                        response: Box::new(response),
                    });
                }
                last = reading.phase;
            }
            Err(error)
                if waiter.gone.is_some_and(|gone| {
                    let (status, body) = error_of(&error);
                    status.is_some_and(|status| gone.matches(status, body.as_ref()))
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
        }
        let waited = start.elapsed();
        let left = wait.max_wait.saturating_sub(waited);
        if left.is_zero() {
            return Err(WaitError::TimedOut {
                waiter: waiter.name,
                waited,
                last,
            });
        }
        let delay = jitter(interval).min(left);
        tokio::time::sleep(delay).await;
        // Saturating: `poll_interval(Duration::MAX)` must not overflow.
        interval = interval.saturating_add(interval / 2).min(max_interval);
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
        id_parameter: None,
    };

    async fn wait(
        job: &Job,
        waiter: Waiter,
        wait: &Wait,
    ) -> Result<Waited<Phase>, WaitError<Phase, String>> {
        until(
            job.clone(),
            wait,
            waiter,
            poll,
            |phase| Reading::phase(phase.clone()),
            error_of,
        )
        .await
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
        const BY_STATUS: NotFound = NotFound {
            status: Some(404),
            code_field: "",
            codes: &[],
        };
        const BY_CODE: NotFound = NotFound {
            status: Some(400),
            code_field: "error_code",
            codes: &["DLI.0002"],
        };
        // (declared, failed poll) -> gone?
        let cases: [(NotFound, &'static str, bool); 7] = [
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
                id_parameter: None,
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

    /// A job read from a list (`until_listed`): the list without it is gone, whichever phases
    /// the waiter waits for; with it, its phase ends the wait as for `until`. Here a poll
    /// answering `Unknown("absent")` stands for a list without the job.
    #[tokio::test(start_paused = true)]
    async fn a_listed_job_missing_from_the_list_is_gone() {
        let absent = || Ok(Phase::Unknown("absent".into()));
        let available = Waiter {
            name: "wait_until_pool_available",
            success: &[Phase::Succeeded],
            failure: &[Phase::Failed],
            gone: None,
            id_parameter: None,
        };
        let deleted = Waiter {
            name: "wait_until_pool_deleted",
            success: &[],
            failure: &[],
            ..available
        };
        // (waiter, answers) -> expected end
        type Case = (Waiter, Vec<Result<Phase, &'static str>>, &'static str);
        let cases: Vec<Case> = vec![
            (
                available,
                vec![Ok(Phase::Queued), Ok(Phase::Succeeded)],
                "reached",
            ),
            (available, vec![Ok(Phase::Queued), absent()], "gone"),
            (
                available,
                vec![Ok(Phase::Queued), Ok(Phase::Failed)],
                "failed",
            ),
            (available, vec![Err("500")], "call"),
            (
                deleted,
                vec![Ok(Phase::Running), Ok(Phase::Succeeded), absent()],
                "gone",
            ),
            (deleted, vec![Ok(Phase::Succeeded)], "timed out"),
        ];
        for (waiter, answers, expected) in cases {
            let job = Job::new(answers.clone());
            let outcome = until_listed(
                job.clone(),
                &Wait {
                    max_wait: Duration::from_secs(60),
                    ..Wait::default()
                },
                waiter,
                poll,
                |phase: &Phase| {
                    (*phase != Phase::Unknown("absent".into()))
                        .then(|| Reading::phase(phase.clone()))
                },
                error_of,
            )
            .await;
            let ended = match &outcome {
                Ok(Waited::Reached(_)) => "reached",
                Ok(Waited::Gone) => "gone",
                Err(WaitError::Failed { .. }) => "failed",
                Err(WaitError::Call { .. }) => "call",
                Err(WaitError::TimedOut { .. }) => "timed out",
                Err(other) => panic!("{answers:?}: {other:?}"),
            };
            assert_eq!(
                ended, expected,
                "{} over {answers:?}: {outcome:?}",
                waiter.name
            );
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
                on_poll: None,
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

    type Boxed<T> = std::pin::Pin<Box<dyn Future<Output = Result<T, String>> + Send>>;
    type Poll<T> = fn(()) -> Boxed<T>;

    fn hangs(_: ()) -> Boxed<Phase> {
        Box::pin(std::future::pending())
    }
    fn answers_after_ten_minutes(_: ()) -> Boxed<Phase> {
        Box::pin(async {
            tokio::time::sleep(Duration::from_secs(600)).await;
            Ok(Phase::Running)
        })
    }
    fn runs(_: ()) -> Boxed<Phase> {
        Box::pin(async { Ok(Phase::Running) })
    }
    fn read_phase(phase: &Phase) -> Reading {
        Reading::phase(phase.clone())
    }

    /// `max_wait` is a deadline: a poll that never answers, or answers after it (a long
    /// `Retry-After`, a slow server), is abandoned when it passes; a zero interval still grows
    /// from the floor. Paused clock: the simulated minutes take no real time.
    #[tokio::test(start_paused = true)]
    async fn max_wait_is_a_deadline_whatever_the_server_does() {
        let second = Duration::from_secs(1);
        let polls: [(&str, Poll<Phase>); 3] = [
            ("never answers", hangs),
            ("answers after ten minutes", answers_after_ten_minutes),
            ("answers running at once", runs),
        ];
        for (server, poll) in polls {
            for poll_interval in [Duration::ZERO, Duration::from_nanos(1), second] {
                let start = tokio::time::Instant::now();
                let wait = Wait {
                    max_wait: second,
                    poll_interval,
                    max_interval: Duration::from_secs(30),
                    on_poll: None,
                };
                let outcome = until((), &wait, FINISHED, poll, read_phase, |_| (None, None)).await;
                let took = start.elapsed();
                assert!(
                    matches!(outcome, Err(WaitError::TimedOut { .. })),
                    "{server}: {outcome:?}"
                );
                assert!(
                    took >= second && took <= second + MIN_POLL_INTERVAL,
                    "{server}, interval {poll_interval:?}: took {took:?}"
                );
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_zero_interval_starts_at_the_floor_and_grows() {
        let job = Job::new(vec![Ok(Phase::Running)]);
        let wait_for = Wait {
            max_wait: Duration::from_secs(60),
            poll_interval: Duration::ZERO,
            max_interval: Duration::from_secs(30),
            on_poll: None,
        };
        let outcome = wait(&job, FINISHED, &wait_for).await;
        assert!(
            matches!(outcome, Err(WaitError::TimedOut { .. })),
            "{outcome:?}"
        );
        let polls = job.polls.lock().unwrap();
        let gaps: Vec<Duration> = polls.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(
            gaps.iter().all(|gap| *gap >= MIN_POLL_INTERVAL / 2),
            "{gaps:?}"
        );
        // Jittered, so no one pair is sure to double: the interval grows over the wait.
        let (first, longest) = (gaps[0], gaps.iter().max().copied().unwrap_or_default());
        assert!(longest >= first * 20, "no growth: {gaps:?}");
        // 50 ms growing by half to 30 s: about 17 polls in a minute, not thousands.
        assert!(polls.len() < 30, "{} polls in a minute", polls.len());
    }

    /// The observer hears every answer, in order, with the time waited so far, and nothing
    /// for a failed poll (which ends the wait).
    #[tokio::test(start_paused = true)]
    async fn on_poll_hears_each_answer() {
        type Polls = Vec<Result<Phase, &'static str>>;
        let cases: [(Polls, &[Phase]); 2] = [
            (
                vec![Ok(Phase::Queued), Ok(Phase::Running), Ok(Phase::Succeeded)],
                &[Phase::Queued, Phase::Running, Phase::Succeeded],
            ),
            (
                vec![Ok(Phase::Queued), Err("503"), Ok(Phase::Running)],
                &[Phase::Queued],
            ),
        ];
        for (phases, expected) in cases {
            let job = Job::new(phases);
            let heard: Arc<Mutex<Vec<(Phase, Duration)>>> = Arc::default();
            let sink = heard.clone();
            let wait_for = Wait {
                poll_interval: Duration::from_secs(1),
                on_poll: Some(Arc::new(move |reading: &Reading, waited| {
                    sink.lock().unwrap().push((reading.phase.clone(), waited));
                })),
                ..Wait::default()
            };
            let _ = wait(&job, FINISHED, &wait_for).await;
            let heard = heard.lock().unwrap().clone();
            let phases: Vec<Phase> = heard.iter().map(|(p, _)| p.clone()).collect();
            assert_eq!(phases, expected);
            assert!(heard.windows(2).all(|w| w[1].1 > w[0].1), "{heard:?}");
        }
    }

    fn failed_with_words(_: ()) -> Boxed<Reading> {
        Box::pin(async {
            Ok(Reading {
                phase: Phase::Failed,
                status: Some(format!("FAILED{}", "!".repeat(10 * 1024 * 1024))),
                message: Some(format!("out of memory\n{}", "x".repeat(10 * 1024 * 1024))),
                id: Some("job-1".into()),
            })
        })
    }
    fn answers_for_another_job(_: ()) -> Boxed<Reading> {
        Box::pin(async {
            record_polled("/v1/jobs/{job_id}", "http://h", "/v1/jobs/job-1");
            Ok(Reading {
                phase: Phase::Running,
                status: Some("RUNNING".into()),
                message: None,
                id: Some("job-2".into()),
            })
        })
    }
    fn answers_for_this_job(_: ()) -> Boxed<Reading> {
        Box::pin(async {
            record_polled("/v1/jobs/{job_id}", "http://h", "/v1/jobs/job-1");
            Ok(Reading {
                phase: Phase::Succeeded,
                status: Some("FINISHED".into()),
                message: None,
                id: Some(" job-1".into()),
            })
        })
    }

    /// The service's own words travel with a failure, bounded, and an answer about another job
    /// than the one asked for ends the wait; every text and `Debug` stays a few KiB.
    #[tokio::test(start_paused = true)]
    async fn failures_carry_the_services_words_and_other_jobs_are_refused() {
        let waiter = Waiter {
            id_parameter: Some("job_id"),
            ..FINISHED
        };
        let polls: [(Poll<Reading>, &str); 3] = [
            (failed_with_words, "the service says FAILED!!!"),
            (
                answers_for_another_job,
                "asked about job job-1, the service answered about job job-2",
            ),
            (answers_for_this_job, ""),
        ];
        for (poll, says) in polls {
            let outcome = until((), &Wait::default(), waiter, poll, Reading::clone, |_| {
                (None, None)
            })
            .await;
            match outcome {
                Ok(Waited::Reached(reading)) => assert!(says.is_empty(), "{reading:?}"),
                Err(error) => {
                    let text = error.to_string();
                    let debug = format!("{error:?}");
                    assert!(text.contains(says), "{text}");
                    assert!(
                        text.len() < 4096 && !text.contains('\n'),
                        "{} bytes",
                        text.len()
                    );
                    assert!(debug.len() < 8192, "{} bytes of Debug", debug.len());
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
