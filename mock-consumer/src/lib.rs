//! An application's own code over `dli-v1`, the kind its tests would cover with `dli-v1-mock`
//! (see `tests/`): submit a query and wait for it within a deadline, and list what failed.

use std::time::Duration;

use dli_v1::{Client, types};
use futures::StreamExt;

/// How an application sees a query end.
#[derive(Debug, PartialEq)]
pub enum QueryEnd {
    Finished { job_id: String },
    Failed { job_id: String, reason: String },
    TookTooLong { job_id: String },
    Refused { code: String },
}

/// Submits `sql` on `queue` and waits up to `max_wait` for it to end.
pub async fn run_query(
    client: &Client,
    project: &str,
    queue: &str,
    sql: &str,
    max_wait: Duration,
) -> Result<QueryEnd, String> {
    let queue: types::CreateSqlJobRequestQueueName = queue.parse().map_err(|e| format!("{e}"))?;
    let body = types::CreateSqlJobRequest::builder()
        .sql(sql)
        .queue_name(Some(queue));
    let submitted = client
        .create_sql_job()
        .project_id(project)
        .body(body)
        .send()
        .await;
    let job_id = match submitted {
        Ok(answer) => answer.into_inner().job_id.unwrap_or_default(),
        Err(dli_v1::Error::ErrorResponse(error)) => {
            return Ok(QueryEnd::Refused {
                code: error.into_inner().error_code.unwrap_or_default(),
            });
        }
        Err(other) => return Err(other.to_string()),
    };
    let waited = client
        .wait_until_sql_job_finished()
        .project_id(project)
        .job_id(job_id.as_str())
        .poll_interval(Duration::from_millis(50))
        .max_wait(max_wait)
        .send()
        .await;
    Ok(match waited {
        Ok(_) => QueryEnd::Finished { job_id },
        Err(dli_v1::wait::WaitError::Failed {
            message, status, ..
        }) => QueryEnd::Failed {
            job_id,
            reason: message.or(status).unwrap_or_default(),
        },
        Err(dli_v1::wait::WaitError::TimedOut { .. }) => QueryEnd::TookTooLong { job_id },
        Err(other) => return Err(other.to_string()),
    })
}

/// The IDs of every failed job of the project, across all pages.
pub async fn failed_jobs(client: &Client, project: &str) -> Result<Vec<String>, String> {
    let mut failed = Vec::new();
    let mut jobs = client
        .list_sql_jobs()
        .project_id(project)
        .page_size(10)
        .stream();
    while let Some(job) = jobs.next().await {
        let job = job.map_err(|e| e.to_string())?;
        if job.status.as_ref().map(dli_v1::types::SqlJobStatus::phase)
            == Some(dli_v1::Phase::Failed)
        {
            failed.push(job.job_id.unwrap_or_default());
        }
    }
    Ok(failed)
}
