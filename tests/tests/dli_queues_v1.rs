//! DLI queues, replayed from the docs' examples: create, list, details, delete, restart and
//! scale, and the address connectivity test.

use dli_queues_v1::{
    Client, Error,
    types::{
        Connectivity, ConnectivityTaskResult, CreateConnectivityTaskResult,
        CreateQueueRequestQueueName, CreateQueueResult, DliError, KnownConnectivity,
        KnownNewQueueType, KnownQueueAction, KnownQueueOrder, KnownQueueType, ListQueuesResult,
        QueueAction, QueueActionResult, QueueDetail, QueueType, RunQueueActionResult, TaskId,
    },
};
use replay::{ResponseValue, expect_unexpected_status, replay_errs, replay_ok, serve_undeclared};

const PROJECT: &str = "37caa80116e1403ab603e5eeb48a2f74";
const QUEUE: &str = "queue1";

type Reply<T> = Result<ResponseValue<T>, Error<DliError>>;

fn client(url: &str) -> Client {
    Client::with_runtime(url, replay::runtime())
}

/// The page's first example: a dedicated general-purpose queue of 16 CUs in two AZs.
async fn create(url: String) -> Reply<CreateQueueResult> {
    client(&url)
        .create_queue()
        .project_id(PROJECT)
        .body_map(|b| {
            b.queue_name(QUEUE.parse::<CreateQueueRequestQueueName>().unwrap())
                .description(Some("test".to_owned()))
                .cu_count(16)
                .resource_mode(Some(1))
                .queue_type(Some(KnownNewQueueType::General.into()))
                .labels(vec!["multi_az=2".to_owned()])
        })
        .send()
        .await
}

#[tokio::test]
async fn create_queue_200_names_the_new_queue() {
    let value = replay_ok("dli-queues-v1/create_queue.200", create).await;
    assert_eq!(value.is_success, Some(true));
    assert_eq!(value.message.as_deref(), Some(""));
    assert_eq!(value.queue_name.as_deref(), Some(QUEUE));
}

/// The page's second example: a queue in an elastic resource pool, a field its table omits.
#[tokio::test]
async fn create_queue_in_an_elastic_resource_pool() {
    let value = replay_ok(
        "dli-queues-v1/create_queue.200.elastic-pool",
        |url: String| async move {
            client(&url)
                .create_queue()
                .project_id(PROJECT)
                .body_map(|b| {
                    b.queue_name("queue2".parse::<CreateQueueRequestQueueName>().unwrap())
                        .description(Some("test_esp".to_owned()))
                        .cu_count(16)
                        .resource_mode(Some(1))
                        .enterprise_project_id(Some("0".to_owned()))
                        .queue_type(Some(KnownNewQueueType::General.into()))
                        .labels(vec!["multi_az=2".to_owned()])
                        .elastic_resource_pool_name(Some("elastic_pool_0622_10".to_owned()))
                })
                .send()
                .await
        },
    )
    .await;
    assert_eq!(value.queue_name.as_deref(), Some("queue2"));
}

#[tokio::test]
async fn create_queue_refuses_names_the_docs_forbid_before_sending() {
    for bad in ["", "_queue", "12345", "queue-1", "queue 1"] {
        assert!(
            bad.parse::<CreateQueueRequestQueueName>().is_err(),
            "{bad:?} must be refused"
        );
    }
    assert!(
        "x".repeat(129)
            .parse::<CreateQueueRequestQueueName>()
            .is_err()
    );
    for good in ["queue1", "Queue_1", "q", "1a"] {
        assert!(
            good.parse::<CreateQueueRequestQueueName>().is_ok(),
            "{good:?} is a valid name"
        );
    }
    assert!(
        "x".repeat(128)
            .parse::<CreateQueueRequestQueueName>()
            .is_ok()
    );
    let server = serve_undeclared(200).await;
    let without_cus = client(&server.uri())
        .create_queue()
        .project_id(PROJECT)
        .body_map(|b| b.queue_name(QUEUE.parse::<CreateQueueRequestQueueName>().unwrap()))
        .send()
        .await;
    assert!(
        matches!(without_cus, Err(Error::InvalidRequest(_))),
        "{without_cus:?}"
    );
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );
}

async fn list(url: String) -> Reply<ListQueuesResult> {
    client(&url)
        .list_queues()
        .project_id(PROJECT)
        .queue_type(KnownQueueType::All)
        .send()
        .await
}

/// The page's example answers a type its table does not list (`spark`): it decodes as `Other`.
#[tokio::test]
async fn list_queues_200_reads_every_queue_and_an_undocumented_type() {
    let value = replay_ok("dli-queues-v1/list_queues.200", list).await;
    assert_eq!(value.is_success, Some(true));
    let queues = value.queues.as_deref().unwrap();
    assert_eq!(queues.len(), 1);
    let queue = &queues[0];
    assert_eq!(queue.queue_name.as_deref(), Some("test"));
    assert_eq!(queue.queue_type, Some(QueueType::Other("spark".into())));
    assert_eq!(queue.create_time, Some(1562221422671));
    assert_eq!((queue.cu_count, queue.cu_spec), (Some(16), Some(16)));
    assert_eq!(queue.resource_mode, Some(1));
    assert_eq!(queue.is_restarting, Some(false));
    assert_eq!(queue.labels.as_deref(), Some("multi_az=2"));
    assert_eq!(queue.resource_type.as_deref(), Some("vm"));
    assert_eq!(queue.cidr_in_mgntsubnet.as_deref(), Some("10.23.128.0/24"));
    assert_eq!(queue.support_spark_versions, None);
}

/// What the service sends beyond the page's example: every Table 4 field and the SDK's, null
/// version lists, a field the spec does not know; and every query parameter, hyphenated as sent.
#[tokio::test]
async fn list_queues_reads_every_field_nulls_and_sends_every_filter() {
    let value = replay_ok(
        "dli-queues-v1/list_queues.200.service-drift",
        |url: String| async move {
            client(&url)
                .list_queues()
                .project_id(PROJECT)
                .queue_type(KnownQueueType::All)
                .with_priv(true)
                .with_charge_info(true)
                .page_size(2u32)
                .current_page(1u32)
                .order(KnownQueueOrder::CuDesc)
                .send()
                .await
        },
    )
    .await;
    let queues = value.queues.as_deref().unwrap();
    let full = &queues[0];
    assert_eq!(full.queue_id, Some(1024));
    assert_eq!(
        full.queue_type,
        Some(QueueType::from(KnownQueueType::General))
    );
    assert_eq!(full.used_cu, Some(12.5));
    assert_eq!(
        (full.cu_scale_in_limit, full.cu_scale_out_limit),
        (Some(16), Some(128))
    );
    assert_eq!(full.is_restarting, Some(true));
    assert_eq!(
        full.support_spark_versions.as_deref(),
        Some(&["2.4.5".to_owned(), "3.3.1".to_owned()][..])
    );
    assert_eq!(full.charging_mode, Some(1));
    assert_eq!(
        full.elastic_resource_pool_name.as_deref(),
        Some("elastic_pool_0622_10")
    );
    let sparse = &queues[1];
    assert_eq!(
        sparse.queue_type,
        Some(QueueType::from(KnownQueueType::Sql))
    );
    assert_eq!(
        (
            &sparse.support_spark_versions,
            &sparse.support_opensource_flink_versions
        ),
        (&None, &None)
    );
    // Read by the Huawei SDK, not on the page.
    assert_eq!(
        sparse.support_hetu_engine_versions,
        Some(vec!["2.1.0".to_owned()])
    );
}

async fn show(url: String) -> Reply<QueueDetail> {
    client(&url)
        .show_queue()
        .project_id(PROJECT)
        .queue_name("test")
        .send()
        .await
}

/// The details spell `queueName`, `queueType` and `cuCount` in camel case, unlike the list.
#[tokio::test]
async fn show_queue_200_reads_the_camel_case_fields() {
    let value = replay_ok("dli-queues-v1/show_queue.200", show).await;
    assert_eq!(value.queue_name.as_deref(), Some("test"));
    assert_eq!(
        value.queue_type,
        Some(QueueType::from(KnownQueueType::General))
    );
    assert_eq!(value.cu_count, Some(16));
    assert_eq!(value.create_time, Some(1587613028851));
    assert_eq!(value.resource_mode, Some(0));
    assert_eq!(
        value.resource_id.as_deref(),
        Some("03d51b88-db63-4611-b779-9a72ba0cf58b")
    );
}

async fn delete(url: String) -> Reply<QueueActionResult> {
    client(&url)
        .delete_queue()
        .project_id(PROJECT)
        .queue_name(QUEUE)
        .send()
        .await
}

#[tokio::test]
async fn delete_queue_200_succeeds() {
    let value = replay_ok("dli-queues-v1/delete_queue.200", delete).await;
    assert_eq!(value.is_success, Some(true));
}

async fn restart(url: String) -> Reply<RunQueueActionResult> {
    client(&url)
        .run_queue_action()
        .project_id(PROJECT)
        .queue_name(QUEUE)
        .body_map(|b| {
            b.action(QueueAction::from(KnownQueueAction::Restart))
                .force(Some(false))
        })
        .send()
        .await
}

#[tokio::test]
async fn run_queue_action_200_restarts() {
    let value = replay_ok("dli-queues-v1/run_queue_action.200", restart).await;
    assert_eq!(value.is_success, Some(true));
    assert_eq!(value.message.as_deref(), Some("Restart success"));
    assert_eq!(value.job_id, None);
}

/// A forced restart runs as a job: the answer names it.
#[tokio::test]
async fn run_queue_action_forced_restart_answers_the_restart_job() {
    let value = replay_ok(
        "dli-queues-v1/run_queue_action.200.forced-restart",
        |url: String| async move {
            client(&url)
                .run_queue_action()
                .project_id(PROJECT)
                .queue_name(QUEUE)
                .body_map(|b| {
                    b.action(QueueAction::from(KnownQueueAction::Restart))
                        .force(Some(true))
                })
                .send()
                .await
        },
    )
    .await;
    assert_eq!(
        value.job_id.as_deref(),
        Some("d90396c7-3a25-4944-ad1e-99c764d902e7")
    );
}

/// A scale answers in other fields than a restart: `queue_name` and `result`.
#[tokio::test]
async fn run_queue_action_scale_out_answers_the_result() {
    let value = replay_ok(
        "dli-queues-v1/run_queue_action.200.scale-out",
        |url: String| async move {
            client(&url)
                .run_queue_action()
                .project_id(PROJECT)
                .queue_name("myQueue")
                .body_map(|b| {
                    b.action(QueueAction::from(KnownQueueAction::ScaleOut))
                        .cu_count(Some(16))
                })
                .send()
                .await
        },
    )
    .await;
    assert_eq!(
        (value.queue_name.as_deref(), value.result),
        (Some("myQueue"), Some(true))
    );
    assert_eq!(value.is_success, None);
}

async fn test_address(url: String) -> Reply<CreateConnectivityTaskResult> {
    client(&url)
        .create_connectivity_task()
        .project_id(PROJECT)
        .queue_name(QUEUE)
        .body_map(|b| {
            b.address(
                "iam.xxx.com:443"
                    .parse::<dli_queues_v1::types::ConnectivityTaskRequestAddress>()
                    .unwrap(),
            )
        })
        .send()
        .await
}

/// The page types `task_id` Integer, the Huawei SDK string: both decode, and both read as the
/// `task_id` path parameter of `show_connectivity_task`.
#[tokio::test]
async fn create_connectivity_task_200_answers_the_task_id_as_a_number_or_a_string() {
    let number = replay_ok("dli-queues-v1/create_connectivity_task.200", test_address).await;
    assert_eq!(number.is_success, Some(true));
    assert_eq!(number.task_id, Some(TaskId::Number(9)));
    let text = replay_ok(
        "dli-queues-v1/create_connectivity_task.200.sdk-string-id",
        test_address,
    )
    .await;
    assert_eq!(text.task_id, Some(TaskId::Text("9".into())));
    assert_eq!(
        number.task_id.map(|id| id.to_string()),
        text.task_id.map(|id| id.to_string())
    );
}

async fn test_result(url: String) -> Reply<ConnectivityTaskResult> {
    client(&url)
        .show_connectivity_task()
        .project_id(PROJECT)
        .queue_name(QUEUE)
        .task_id("9")
        .send()
        .await
}

#[tokio::test]
async fn show_connectivity_task_200_reads_reachable() {
    let value = replay_ok("dli-queues-v1/show_connectivity_task.200", test_result).await;
    assert_eq!(
        value.connectivity,
        Some(Connectivity::from(KnownConnectivity::Reachable))
    );
    assert_eq!(
        value.message.as_deref(),
        Some("Get node connectivity status successfully for addressId:9")
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
    let create_errors = [
        "dli-queues-v1/create_queue.400",
        "dli-queues-v1/create_queue.500",
    ];
    let list_errors = [
        "dli-queues-v1/list_queues.400",
        "dli-queues-v1/list_queues.500",
    ];
    let show_errors = [
        "dli-queues-v1/show_queue.400",
        "dli-queues-v1/show_queue.500",
    ];
    let delete_errors = [
        "dli-queues-v1/delete_queue.400",
        "dli-queues-v1/delete_queue.500",
    ];
    let action_errors = [
        "dli-queues-v1/run_queue_action.400",
        "dli-queues-v1/run_queue_action.500",
    ];
    let test_errors = [
        "dli-queues-v1/create_connectivity_task.400",
        "dli-queues-v1/create_connectivity_task.500",
    ];
    let result_errors = [
        "dli-queues-v1/show_connectivity_task.400",
        "dli-queues-v1/show_connectivity_task.500",
    ];
    let cases = [
        ("create", codes(replay_errs(&create_errors, create).await)),
        ("list", codes(replay_errs(&list_errors, list).await)),
        ("show", codes(replay_errs(&show_errors, show).await)),
        ("delete", codes(replay_errs(&delete_errors, delete).await)),
        ("action", codes(replay_errs(&action_errors, restart).await)),
        ("test", codes(replay_errs(&test_errors, test_address).await)),
        (
            "result",
            codes(replay_errs(&result_errors, test_result).await),
        ),
    ];
    for (operation, got) in cases {
        assert_eq!(got, expected, "{operation}");
    }
}

#[tokio::test]
async fn undeclared_status_is_an_unexpected_response_error() {
    let server = serve_undeclared(502).await;
    expect_unexpected_status(show(server.uri()).await, 502);
}

/// Queue names stay in their path segment and within the documented length.
#[tokio::test]
async fn queue_names_that_leave_their_segment_are_refused_before_sending() {
    let server = serve_undeclared(200).await;
    for bad in ["", "..", "a/b", &"x".repeat(129)] {
        let result = client(&server.uri())
            .show_queue()
            .project_id(PROJECT)
            .queue_name(bad)
            .send()
            .await;
        match result {
            Err(Error::InvalidRequest(message)) => {
                assert!(message.contains("queue_name"), "{bad:?}: {message}")
            }
            other => panic!("{bad:?}: expected InvalidRequest naming queue_name, got {other:?}"),
        }
    }
    let order = client(&server.uri())
        .list_queues()
        .project_id(PROJECT)
        .order(KnownQueueOrder::CuDesc)
        .page_size(0u32)
        .send()
        .await;
    assert!(matches!(order, Err(Error::InvalidRequest(_))), "{order:?}");
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );
}

/// Reads and the delete are retried; creating a queue, restarting or scaling it, and creating a
/// connectivity test never are: a scale-out sent twice adds its CUs twice.
#[test]
fn only_reads_and_the_delete_are_retried() {
    let mut safe = dli_queues_v1::RETRY_SAFE_OPERATIONS.to_vec();
    safe.sort_unstable();
    assert_eq!(
        safe,
        [
            "delete_queue",
            "list_queues",
            "show_connectivity_task",
            "show_queue",
        ]
    );
}
