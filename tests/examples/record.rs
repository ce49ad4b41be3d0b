//! Records a DLI SQL job's exchanges from the real service as cassettes: submit, then poll its
//! status until it ends (each attempt, retries included, is one file).
//!
//! ```sh
//! export HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_PROJECT_ID=...
//! export HUAWEICLOUD_SDK_DOMAIN_ID=...            # optional: replaced by the domain placeholder
//! export CLOUD_RUNTIME_RECORD=recordings/dli-v1   # where the cassettes go
//! cargo run -p replay --example record -- eu-de "select 1" [queue]
//! ```
//!
//! Then check what was written before moving any of it into `tests/cassettes/dli-v1/` (README,
//! "Recording a cassette from the real service").

use std::time::Duration;

use dli_v1::{Client, Credentials, Region, Runtime};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let region = args.next().unwrap_or_else(|| "eu-de".to_owned());
    let sql = args.next().unwrap_or_else(|| "select 1".to_owned());
    let queue = args.next();
    let (credentials, project_id) = Credentials::from_env()?;
    let project_id =
        project_id.ok_or("set HUAWEICLOUD_SDK_PROJECT_ID: the calls name the project")?;
    // `build` turns record mode on from CLOUD_RUNTIME_RECORD; the queue name is the caller's own,
    // so it is written as a placeholder too.
    let mut runtime = Runtime::builder()
        .credentials(credentials)
        .project_id(project_id.as_str());
    if let Some(queue) = &queue {
        runtime = runtime.scrub_literal(queue.as_str(), "<queue>");
    }
    let runtime = runtime.build()?;
    let Some(dir) = runtime.recording_dir().map(|d| d.display().to_string()) else {
        return Err("set CLOUD_RUNTIME_RECORD to the directory the recordings go to".into());
    };
    let queue_name = queue
        .as_deref()
        .map(str::parse::<dli_v1::types::CreateSqlJobRequestQueueName>)
        .transpose()
        .map_err(|e| format!("queue name: {e}"))?;
    let client = Client::for_region(&Region::otc(&region), runtime)?;
    let submitted = client
        .create_sql_job()
        .project_id(project_id.as_str())
        .body_map(|b| b.sql(sql).queue_name(queue_name))
        .send()
        .await?
        .into_inner();
    let job_id = submitted.job_id.ok_or("the service answered no job id")?;
    let waited = client
        .wait_until_sql_job_finished()
        .project_id(project_id.as_str())
        .job_id(job_id.as_str())
        .max_wait(Duration::from_secs(300))
        .send()
        .await;
    println!(
        "job {job_id}: {}",
        match waited {
            Ok(_) => "finished".to_owned(),
            Err(error) => error.to_string(),
        }
    );
    println!("recorded in {dir}: run `cargo xtask lint` on them before committing any");
    Ok(())
}
