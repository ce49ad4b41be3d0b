//! DLI v2 Spark batch jobs, replayed from the docs' examples: submit, list, details, state,
//! cancel and the (vendor-deprecated) driver log.

use cloud_runtime::Phase;
use dli_v2::{
    Client, Error,
    types::{
        CancelSparkJobResult, CreateSparkJobRequestName, CreateSparkJobResult, DliError,
        JobResource, JobResourcesGroup, KnownScType, KnownSparkJobFeature, KnownSparkJobOrder,
        KnownSparkJobState, KnownSparkLogType, ListSparkJobsResult, SparkJobDetail, SparkJobLog,
        SparkJobState, SparkJobStatusResult,
    },
};
use replay::{ResponseValue, expect_unexpected_status, replay_errs, replay_ok, serve_undeclared};

const PROJECT: &str = "37caa80116e1403ab603e5eeb48a2f74";
const BATCH: &str = "0a324461-d9d9-45da-a52a-3b3c7a3d809e";

type Reply<T> = Result<ResponseValue<T>, Error<DliError>>;

fn jar(name: &str) -> JobResource {
    JobResource::builder()
        .name(Some(name.to_owned()))
        .type_(Some("jar".to_owned()))
        .try_into()
        .expect("a resource")
}

fn group(name: &str, jars: &[&str]) -> JobResourcesGroup {
    JobResourcesGroup::builder()
        .name(Some(name.to_owned()))
        .resources(jars.iter().map(|j| jar(j)).collect::<Vec<_>>())
        .try_into()
        .expect("a group")
}

/// The page's example request, repaired (see the cassette's note).
async fn create(url: String) -> Reply<CreateSparkJobResult> {
    Client::with_runtime(&url, replay::runtime())
        .create_spark_job()
        .project_id(PROJECT)
        .body_map(|b| {
            b.file(
                "batchTest/spark-examples_2.11-2.1.0.luxor.jar"
                    .parse::<dli_v2::types::CreateSparkJobRequestFile>()
                    .unwrap(),
            )
            .class_name(Some(
                "org.apache.spark.examples.SparkPi"
                    .parse::<dli_v2::types::CreateSparkJobRequestClassName>()
                    .unwrap(),
            ))
            .sc_type(Some(KnownScType::A.into()))
            .jars(vec!["demo-1.0.0.jar".to_owned()])
            .files(vec!["count.txt".to_owned()])
            .resources(vec![
                jar("groupTest/testJar.jar"),
                jar("kafka-clients-0.10.0.0.jar"),
            ])
            .groups(vec![
                group("groupTestJar", &["testJar.jar", "testJar1.jar"]),
                group("batchTest", &["luxor.jar"]),
            ])
            .queue(Some("test".to_owned()))
            .name(Some(
                "TestDemo4".parse::<CreateSparkJobRequestName>().unwrap(),
            ))
            .execution_agency_urn(Some("myAgencyName".to_owned()))
        })
        .send()
        .await
}

#[tokio::test]
async fn create_spark_job_200_returns_the_starting_job() {
    let value = replay_ok("dli-v2/create_spark_job.200", create).await;
    assert_eq!(
        value.id.as_deref(),
        Some("07a3e4e6-9a28-4e92-8d3f-9c538621a166")
    );
    let state = value.state.unwrap();
    assert_eq!(state, SparkJobState::from(KnownSparkJobState::Starting));
    assert_eq!(state.phase(), Phase::Queued);
    assert_eq!(value.sc_type.as_deref(), Some("CUSTOMIZED"));
    assert_eq!(value.log, Some(vec![]));
    assert_eq!(value.create_time, Some(1607589874156));
}

/// A PySpark batch as a pipeline submits it: no main class (the page marks `className`
/// mandatory, the service accepts a Python batch without one), the Huawei SDK's `feature` and
/// `spark_version`, `catalog_name`, the older `cluster_name`, and the camelCase resource fields.
async fn create_pyspark(url: String) -> Reply<CreateSparkJobResult> {
    Client::with_runtime(&url, replay::runtime())
        .create_spark_job()
        .project_id(PROJECT)
        .body_map(|b| {
            b.file(
                "obs://pipeline-bucket/jobs/daily_orders.py"
                    .parse::<dli_v2::types::CreateSparkJobRequestFile>()
                    .unwrap(),
            )
            .py_files(vec!["obs://pipeline-bucket/jobs/lib/helpers.py".to_owned()])
            .args(vec!["--date".to_owned(), "2026-12-06".to_owned()])
            .cluster_name(Some("etl_queue".to_owned()))
            .name(Some(
                "daily_orders".parse::<CreateSparkJobRequestName>().unwrap(),
            ))
            .conf(serde_json::Map::from_iter([(
                "spark.sql.shuffle.partitions".to_owned(),
                serde_json::json!("200"),
            )]))
            .driver_memory(Some("4G".to_owned()))
            .driver_cores(Some(2))
            .executor_memory(Some("8G".to_owned()))
            .executor_cores(Some(4))
            .num_executors(Some(6))
            .catalog_name(Some("dli".to_owned()))
            .feature(Some(KnownSparkJobFeature::Basic.into()))
            .spark_version(Some("3.3.1".to_owned()))
        })
        .send()
        .await
}

#[tokio::test]
async fn create_spark_job_200_sends_a_pyspark_batch_without_a_main_class() {
    let value = replay_ok("dli-v2/create_spark_job.200.pyspark", create_pyspark).await;
    assert_eq!(
        value.id.as_deref(),
        Some("4f4d6a1e-0a7c-4b55-9e1a-2c5d0f3e8b71")
    );
    assert_eq!(value.state.map(|s| s.phase()), Some(Phase::Queued));
    assert_eq!(value.cluster_name.as_deref(), Some("etl_queue"));
}

#[tokio::test]
async fn create_spark_job_refuses_what_the_docs_forbid_before_sending() {
    let server = serve_undeclared(200).await;
    let too_many_retries = Client::with_runtime(&server.uri(), replay::runtime())
        .create_spark_job()
        .project_id(PROJECT)
        .body_map(|b| {
            b.file(
                "obs://bucket/job.jar"
                    .parse::<dli_v2::types::CreateSparkJobRequestFile>()
                    .unwrap(),
            )
            .class_name(Some(
                "Main"
                    .parse::<dli_v2::types::CreateSparkJobRequestClassName>()
                    .unwrap(),
            ))
            .max_retry_times(Some(101))
        })
        .send()
        .await;
    match too_many_retries {
        Err(Error::InvalidRequest(message)) => {
            assert!(message.contains("max_retry_times"), "{message}")
        }
        other => panic!("expected InvalidRequest naming max_retry_times, got {other:?}"),
    }
    // `file` is the one field page and SDK both require (`className` is optional: a PySpark
    // batch has none).
    let without_file = Client::with_runtime(&server.uri(), replay::runtime())
        .create_spark_job()
        .project_id(PROJECT)
        .body_map(|b| {
            b.class_name(Some(
                "Main"
                    .parse::<dli_v2::types::CreateSparkJobRequestClassName>()
                    .unwrap(),
            ))
        })
        .send()
        .await;
    assert!(
        matches!(without_file, Err(Error::InvalidRequest(_))),
        "{without_file:?}"
    );
    assert!(
        "".parse::<dli_v2::types::CreateSparkJobRequestFile>()
            .is_err()
    );
    assert!(
        "x".repeat(129)
            .parse::<CreateSparkJobRequestName>()
            .is_err()
    );
    assert!("x".repeat(128).parse::<CreateSparkJobRequestName>().is_ok());
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );
}

async fn list(url: String) -> Reply<ListSparkJobsResult> {
    Client::with_runtime(&url, replay::runtime())
        .list_spark_jobs()
        .project_id(PROJECT)
        .queue_name("test")
        .state(KnownSparkJobState::Dead)
        .from(0u32)
        .size(10)
        .send()
        .await
}

#[tokio::test]
async fn list_spark_jobs_200_reads_a_dead_job_with_a_null_app_id() {
    let value = replay_ok("dli-v2/list_spark_jobs.200", list).await;
    assert_eq!((value.from, value.total), (Some(0), Some(1)));
    let job = &value.sessions.as_deref().unwrap()[0];
    assert_eq!(job.state.as_ref().map(|s| s.phase()), Some(Phase::Failed));
    assert_eq!(job.app_id, None);
    assert_eq!(job.log.as_ref().map(Vec::len), Some(3));
    assert_eq!(job.create_time, Some(1531906043036));
}

/// What the service sends beyond the page's example: every Table 4 field (the SDK model's
/// example values), a state no doc lists, nulls, and a field the spec does not know.
#[tokio::test]
async fn list_spark_jobs_survives_unknown_states_nulls_and_reads_every_field() {
    let value = replay_ok(
        "dli-v2/list_spark_jobs.200.service-drift",
        |url: String| async move {
            Client::with_runtime(&url, replay::runtime())
                .list_spark_jobs()
                .project_id(PROJECT)
                .cluster_name("gen0218")
                .from(20u32)
                .start(1739867000000u64)
                .order(KnownSparkJobOrder::CreateTimeDesc)
                .send()
                .await
        },
    )
    .await;
    assert_eq!((value.from, value.total), (Some(20), Some(22)));
    let sessions = value.sessions.as_deref().unwrap();
    let full = &sessions[0];
    assert_eq!(
        full.state.as_ref().map(|s| s.phase()),
        Some(Phase::Succeeded)
    );
    assert_eq!(
        full.app_id.as_deref(),
        Some("batch-session-1f49b734-757a-419c-9519-7754520cb03c:31309")
    );
    assert_eq!(full.duration, Some(141079));
    let request: serde_json::Value =
        serde_json::from_str(full.req_body.as_deref().unwrap()).unwrap();
    assert_eq!(request["feature"], "custom");
    let drifted = &sessions[1];
    assert_eq!(drifted.state, Some(SparkJobState::Other("killed".into())));
    assert_eq!(
        drifted.state.as_ref().map(|s| s.phase()),
        Some(Phase::Unknown("killed".into()))
    );
    assert_eq!(
        (drifted.log.as_ref(), drifted.app_id.as_ref()),
        (None, None)
    );
}

async fn show(url: String) -> Reply<SparkJobDetail> {
    Client::with_runtime(&url, replay::runtime())
        .show_spark_job()
        .project_id(PROJECT)
        .batch_id(BATCH)
        .send()
        .await
}

#[tokio::test]
async fn show_spark_job_200_reads_the_job_and_its_last_log_lines() {
    let value = replay_ok("dli-v2/show_spark_job.200", show).await;
    assert_eq!(value.id.as_deref(), Some(BATCH));
    assert_eq!(
        value.state,
        Some(SparkJobState::from(KnownSparkJobState::Starting))
    );
    assert_eq!(value.log.as_deref().unwrap()[2], "YARN Diagnostics: ");
    assert_eq!(value.queue.as_deref(), Some("test"));
}

async fn status(url: String) -> Reply<SparkJobStatusResult> {
    Client::with_runtime(&url, replay::runtime())
        .show_spark_job_status()
        .project_id(PROJECT)
        .batch_id(BATCH)
        .send()
        .await
}

/// The page lists `success`; its example answers `Success`. The open enum keeps the service's
/// word, and the phase reads it in any case.
#[tokio::test]
async fn show_spark_job_status_200_reads_success_in_the_examples_case() {
    let value = replay_ok("dli-v2/show_spark_job_status.200", status).await;
    let state = value.state.unwrap();
    assert_eq!(state, SparkJobState::Other("Success".into()));
    assert_eq!(state.phase(), Phase::Succeeded);
    assert_eq!(
        dli_v2::waiters::BatchFinished::phase_of(&SparkJobStatusResult {
            id: Some(BATCH.into()),
            state: Some(state),
        }),
        Phase::Succeeded
    );
}

async fn cancel(url: String) -> Reply<CancelSparkJobResult> {
    Client::with_runtime(&url, replay::runtime())
        .cancel_spark_job()
        .project_id(PROJECT)
        .batch_id(BATCH)
        .send()
        .await
}

#[tokio::test]
async fn cancel_spark_job_200_says_deleted() {
    let value = replay_ok("dli-v2/cancel_spark_job.200", cancel).await;
    assert_eq!(value.msg.as_deref(), Some("deleted"));
}

async fn log(url: String) -> Reply<SparkJobLog> {
    Client::with_runtime(&url, replay::runtime())
        .show_spark_job_log()
        .project_id(PROJECT)
        .batch_id(BATCH)
        .type_(KnownSparkLogType::Driver)
        .index(0u32)
        .from(0u32)
        .size(100)
        .send()
        .await
}

#[tokio::test]
async fn show_spark_job_log_200_reads_the_driver_log() {
    let value = replay_ok("dli-v2/show_spark_job_log.200", log).await;
    assert_eq!((value.from, value.total), (Some(0), Some(3)));
    assert_eq!(
        value.log,
        Some(vec!["Detailed information about job logs".to_owned()])
    );
}

/// Every operation's documented 400 and 500, one table: the typed DLI error body with the code
/// the recording carries (the error-code page's example, and its server-side row).
#[tokio::test]
async fn every_operations_errors_are_typed() {
    fn codes(errors: Vec<DliError>) -> Vec<Option<String>> {
        errors.into_iter().map(|e| e.error_code).collect()
    }
    let expected = vec![Some("DLI.0002".to_owned()), Some("DLI.0999".to_owned())];
    let create_errors = ["dli-v2/create_spark_job.400", "dli-v2/create_spark_job.500"];
    let list_errors = ["dli-v2/list_spark_jobs.400", "dli-v2/list_spark_jobs.500"];
    let show_errors = ["dli-v2/show_spark_job.400", "dli-v2/show_spark_job.500"];
    let status_errors = [
        "dli-v2/show_spark_job_status.400",
        "dli-v2/show_spark_job_status.500",
    ];
    let cancel_errors = ["dli-v2/cancel_spark_job.400", "dli-v2/cancel_spark_job.500"];
    let log_errors = [
        "dli-v2/show_spark_job_log.400",
        "dli-v2/show_spark_job_log.500",
    ];
    let cases = [
        ("create", codes(replay_errs(&create_errors, create).await)),
        ("list", codes(replay_errs(&list_errors, list).await)),
        ("show", codes(replay_errs(&show_errors, show).await)),
        ("status", codes(replay_errs(&status_errors, status).await)),
        ("cancel", codes(replay_errs(&cancel_errors, cancel).await)),
        ("log", codes(replay_errs(&log_errors, log).await)),
    ];
    for (operation, got) in cases {
        assert_eq!(got, expected, "{operation}");
    }
}

#[tokio::test]
async fn undeclared_status_is_an_unexpected_response_error() {
    let server = serve_undeclared(502).await;
    expect_unexpected_status(status(server.uri()).await, 502);
}

#[tokio::test]
async fn batch_ids_outside_the_documented_uuid_pattern_are_refused_before_sending() {
    let server = serve_undeclared(200).await;
    for bad in [
        "not-a-uuid",
        "0a324461d9d945daa52a3b3c7a3d809e",
        "../state",
        "",
    ] {
        let result = Client::with_runtime(&server.uri(), replay::runtime())
            .show_spark_job_status()
            .project_id(PROJECT)
            .batch_id(bad)
            .send()
            .await;
        match result {
            Err(Error::InvalidRequest(message)) => {
                assert!(message.contains("batch_id"), "{bad:?}: {message}")
            }
            other => panic!("{bad:?}: expected InvalidRequest naming batch_id, got {other:?}"),
        }
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );
}

/// Reads, the log and the cancel (a DELETE) are retried; a batch submission never is: sent
/// twice, it would start two Spark jobs.
#[test]
fn only_the_submission_is_not_retried() {
    let mut safe = dli_v2::RETRY_SAFE_OPERATIONS.to_vec();
    safe.sort_unstable();
    assert_eq!(
        safe,
        [
            "cancel_spark_job",
            "list_spark_jobs",
            "show_spark_job",
            "show_spark_job_log",
            "show_spark_job_status",
        ]
    );
}
