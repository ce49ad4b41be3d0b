//! An application outside the workspace, built by `.ci/registry` against `dli-v1` as published
//! to a registry (by version, never by path): submit a query, give it a deadline, cancel it when
//! the deadline passes, and wait until the service says it stopped.

use std::time::Duration;

use dli_v1::{CancelOutcome, CancelOutcomeExt, Client, Phase, types, wait, waiters::SqlJobStopped};

/// How the query ended for the application.
#[derive(Debug, PartialEq)]
pub enum Ended {
    /// It finished within the deadline.
    Finished { job_id: String },
    /// The deadline passed; the cancel was sent and the job ended in `phase`.
    Cancelled { job_id: String, phase: Phase },
}

/// Submits `sql` on `queue`; if the job has not finished within `deadline`, cancels it and waits
/// for it to stop.
pub async fn query_with_deadline(
    client: &Client,
    project: &str,
    queue: &str,
    sql: &str,
    deadline: Duration,
) -> Result<Ended, String> {
    let queue: types::CreateSqlJobRequestQueueName = queue.parse().map_err(|e| format!("{e}"))?;
    let body = types::CreateSqlJobRequest::builder()
        .sql(sql)
        .queue_name(Some(queue));
    let submitted = client
        .create_sql_job()
        .project_id(project)
        .body(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let job_id = submitted
        .into_inner()
        .job_id
        .ok_or("the submission answered no job_id")?;
    let waited = client
        .wait_until_sql_job_finished()
        .project_id(project)
        .job_id(job_id.as_str())
        .poll_interval(Duration::from_millis(50))
        .max_wait(deadline)
        .send()
        .await;
    match waited {
        Ok(_) => return Ok(Ended::Finished { job_id }),
        Err(wait::WaitError::TimedOut { .. }) => {}
        Err(other) => return Err(other.to_string()),
    }
    let cancel = client
        .cancel_sql_job()
        .project_id(project)
        .job_id(job_id.as_str())
        .send()
        .await;
    match cancel.cancel_outcome() {
        CancelOutcome::Accepted | CancelOutcome::AcceptedOrAlreadyFinished => {}
        other => return Err(format!("the cancel was not accepted: {other:?}")),
    }
    let stopped = client
        .wait_until_sql_job_stopped()
        .project_id(project)
        .job_id(job_id.as_str())
        .poll_interval(Duration::from_millis(50))
        .max_wait(Duration::from_secs(30))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    match stopped {
        wait::Waited::Reached(last) => Ok(Ended::Cancelled {
            job_id,
            phase: SqlJobStopped::phase_of(&last),
        }),
        wait::Waited::Gone => Err("the service no longer knows the job".into()),
    }
}
