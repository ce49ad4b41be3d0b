//! DLI elastic resource pools, replayed from the docs' examples: create, list, modify, delete,
//! the pool's queues and their scaling policies, and the scaling history; then the pool
//! waiters (`x-waiters` with `item`: a pool's status is read from the list filtered by name)
//! and the streams against hostile answers.

use std::time::Duration;

use cloud_runtime::{
    Phase,
    wait::{WaitError, Waited},
};
use dli_pools_v3::{
    Client, Error,
    types::{
        CreateElasticResourcePoolRequest, CreateElasticResourcePoolResult, DliError,
        KnownPoolStatus, KnownScaleStatus, ListElasticResourcePoolQueuesResult,
        ListElasticResourcePoolsResult, ListScaleRecordsResult, PoolActionResult, PoolStatus,
        PoolStatusFilter, ScaleStatus, UpdateElasticResourcePoolQueueRequest,
        UpdateElasticResourcePoolRequest,
    },
    waiters::PoolAvailable,
};
use futures::StreamExt;
use replay::ids::PROJECT;
use replay::{
    ErrorRow, ResponseValue, erase, refuse_bad_signatures, replay_error_table, replay_ok,
    serve_undeclared, verify_signature,
};
use wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers::any};

type Reply<T> = Result<ResponseValue<T>, Error<DliError>>;

/// The creation page's pool, and the pool the list and history pages show.
const POOL: &str = "elastic_pool_0623_02";
const LISTED: &str = "elastic_pool_0622_10";
const QUEUE: &str = "lhm_sql";

fn client(url: &str) -> Client {
    Client::with_runtime(url, replay::runtime())
}

fn body<T: serde::de::DeserializeOwned>(json: serde_json::Value) -> T {
    serde_json::from_value(json).expect("a body the spec accepts")
}

/// The page's example: 684 CUs at least and at most.
async fn create(url: String) -> Reply<CreateElasticResourcePoolResult> {
    let request: CreateElasticResourcePoolRequest = body(serde_json::json!({
        "elastic_resource_pool_name": POOL, "description": "test", "cidr_in_vpc": "172.16.0.0/14",
        "charging_mode": 1, "max_cu": 684, "min_cu": 684,
    }));
    client(&url)
        .create_elastic_resource_pool()
        .project_id(PROJECT)
        .body(request)
        .send()
        .await
}

#[tokio::test]
async fn create_elastic_resource_pool_200_names_the_new_pool() {
    let value = replay_ok("dli-pools-v3/create_elastic_resource_pool.200", create).await;
    assert_eq!(value.is_success, Some(true));
    assert_eq!(value.elastic_resource_pool_name.as_deref(), Some(POOL));
}

/// Names the page forbids are refused before anything is sent.
#[tokio::test]
async fn create_elastic_resource_pool_refuses_names_the_docs_forbid_before_sending() {
    let server = serve_undeclared(200).await;
    for bad in ["", "_pool", "12345", "pool-1", "pool 1", &"p".repeat(129)] {
        let sent = client(&server.uri())
            .create_elastic_resource_pool()
            .project_id(PROJECT)
            .body_map(|b| b.elastic_resource_pool_name(bad).max_cu(64).min_cu(64))
            .send()
            .await;
        assert!(
            matches!(sent, Err(Error::InvalidRequest(_))),
            "{bad:?}: {sent:?}"
        );
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );
}

async fn list(url: String) -> Reply<ListElasticResourcePoolsResult> {
    client(&url)
        .list_elastic_resource_pools()
        .project_id(PROJECT)
        .limit(100)
        .offset(0)
        .send()
        .await
}

#[tokio::test]
async fn list_elastic_resource_pools_200_reads_every_pool_and_its_phase() {
    let value = replay_ok("dli-pools-v3/list_elastic_resource_pools.200", list).await;
    assert_eq!(value.count, Some(2));
    let pools = value.elastic_resource_pools.as_deref().unwrap();
    assert_eq!(pools.len(), 2);
    let first = &pools[0];
    assert_eq!(first.elastic_resource_pool_name.as_deref(), Some(LISTED));
    assert_eq!(first.id, Some(1026));
    assert_eq!(first.current_cu, Some(64));
    assert_eq!(first.create_time, Some(1624366266826));
    assert_eq!(
        first.status,
        Some(PoolStatus::from(KnownPoolStatus::Available))
    );
    assert_eq!(
        first.status.as_ref().map(|s| s.phase()),
        Some(Phase::Succeeded)
    );
    // The second pool's answer has no `current_cu`.
    assert_eq!((pools[1].max_cu, pools[1].current_cu), (Some(684), None));
    // The waiter reads the pool named, not the first one listed.
    assert_eq!(
        PoolAvailable::phase_of(&value, "ELASTIC_POOL_0622_0"),
        Phase::Succeeded
    );
    assert_eq!(
        PoolAvailable::phase_of(&value, "elastic_pool"),
        Phase::Unknown(String::new())
    );
}

async fn list_unknown_status(url: String) -> Reply<ListElasticResourcePoolsResult> {
    client(&url)
        .list_elastic_resource_pools()
        .project_id(PROJECT)
        .status(PoolStatusFilter::Other("DELETED".into()))
        .send()
        .await
}

async fn delete(url: String) -> Reply<PoolActionResult> {
    client(&url)
        .delete_elastic_resource_pool()
        .project_id(PROJECT)
        .elastic_resource_pool_name(POOL)
        .send()
        .await
}

async fn update(url: String) -> Reply<PoolActionResult> {
    let request: UpdateElasticResourcePoolRequest = body(serde_json::json!({
        "description": "test_update", "min_cu": 78, "max_cu": 990,
    }));
    client(&url)
        .update_elastic_resource_pool()
        .project_id(PROJECT)
        .elastic_resource_pool_name(POOL)
        .body(request)
        .send()
        .await
}

async fn queues(url: String) -> Reply<ListElasticResourcePoolQueuesResult> {
    client(&url)
        .list_elastic_resource_pool_queues()
        .project_id(PROJECT)
        .elastic_resource_pool_name(POOL)
        .send()
        .await
}

async fn associate(url: String) -> Reply<PoolActionResult> {
    client(&url)
        .associate_queue_to_elastic_resource_pool()
        .project_id(PROJECT)
        .elastic_resource_pool_name(POOL)
        .body_map(|b| b.queue_name(QUEUE))
        .send()
        .await
}

/// The page's three policies (its example quotes the CUs; sent as the integers they are).
async fn update_queue(url: String) -> Reply<PoolActionResult> {
    let request: UpdateElasticResourcePoolQueueRequest = body(serde_json::json!({
        "queue_scaling_policies": [
            {"priority": 1, "impact_start_time": "00:00", "impact_stop_time": "24:00", "min_cu": 64, "max_cu": 752},
            {"priority": 100, "impact_start_time": "10:00", "impact_stop_time": "22:00", "min_cu": 64, "max_cu": 752},
            {"priority": 50, "impact_start_time": "22:00", "impact_stop_time": "10:00", "min_cu": 64, "max_cu": 752},
        ],
    }));
    client(&url)
        .update_elastic_resource_pool_queue()
        .project_id(PROJECT)
        .elastic_resource_pool_name(POOL)
        .queue_name(QUEUE)
        .body(request)
        .send()
        .await
}

/// The page's example request, without its empty `status=`.
async fn scale_records(url: String) -> Reply<ListScaleRecordsResult> {
    client(&url)
        .list_elastic_resource_pool_scale_records()
        .project_id(PROJECT)
        .elastic_resource_pool_name(LISTED)
        .start_time(1650784624000i64)
        .end_time(1652625304002i64)
        .offset(1)
        .limit(20)
        .send()
        .await
}

async fn scale_records_too_old(url: String) -> Reply<ListScaleRecordsResult> {
    client(&url)
        .list_elastic_resource_pool_scale_records()
        .project_id(PROJECT)
        .elastic_resource_pool_name(LISTED)
        .start_time(1600000000000i64)
        .send()
        .await
}

#[tokio::test]
async fn pool_changes_200_are_successes() {
    for (name, value) in [
        (
            "delete",
            replay_ok("dli-pools-v3/delete_elastic_resource_pool.200", delete).await,
        ),
        (
            "update",
            replay_ok("dli-pools-v3/update_elastic_resource_pool.200", update).await,
        ),
        (
            "associate",
            replay_ok(
                "dli-pools-v3/associate_queue_to_elastic_resource_pool.200",
                associate,
            )
            .await,
        ),
        (
            "update queue",
            replay_ok(
                "dli-pools-v3/update_elastic_resource_pool_queue.200",
                update_queue,
            )
            .await,
        ),
    ] {
        assert_eq!(value.is_success, Some(true), "{name}");
        assert_eq!(value.message.as_deref(), Some(""), "{name}");
    }
}

#[tokio::test]
async fn list_elastic_resource_pool_queues_200_reads_the_scaling_policies() {
    let value = replay_ok("dli-pools-v3/list_elastic_resource_pool_queues.200", queues).await;
    assert_eq!(value.count, Some(1));
    let queue = &value.queues.as_deref().unwrap()[0];
    assert_eq!(queue.queue_name.as_deref(), Some(QUEUE));
    assert_eq!(queue.queue_type.as_deref(), Some("sql"));
    let policies = queue.queue_scaling_policies.as_deref().unwrap();
    let read: Vec<_> = policies
        .iter()
        .map(|p| {
            (
                p.priority.unwrap(),
                p.impact_start_time.as_deref().unwrap(),
                p.impact_stop_time.as_deref().unwrap(),
                p.min_cu.unwrap(),
                p.max_cu.unwrap(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            (50, "00:00", "24:00", 16, 16),
            (100, "00:00", "12:00", 32, 64),
            (50, "12:00", "24:00", 16, 32)
        ]
    );
}

#[tokio::test]
async fn list_elastic_resource_pool_scale_records_200_reads_a_failed_scaling() {
    let value = replay_ok(
        "dli-pools-v3/list_elastic_resource_pool_scale_records.200",
        scale_records,
    )
    .await;
    assert_eq!(value.count, Some(1));
    let record = &value.items.as_deref().unwrap()[0];
    assert_eq!(
        (record.origin_cu, record.target_cu, record.current_cu),
        (Some(16), Some(16), Some(16))
    );
    assert_eq!(record.record_time, Some(1650784624000));
    assert_eq!(
        record.status,
        Some(ScaleStatus::from(KnownScaleStatus::Fail))
    );
    assert_eq!(
        record.fail_reason.as_deref(),
        Some("Internal error, please contact technical support.")
    );
}

/// The code and message of a DLI error.
fn said(error: &DliError) -> (String, String) {
    let text = |field: &Option<String>| field.clone().unwrap_or_default();
    (text(&error.error_code), text(&error.error_msg))
}

const NO_POOL: (&str, &str) = (
    "DLI.0002",
    "Elastic resource pool elastic_pool_0623_02 does not exist.",
);

/// Every documented error status: the exact request asserted, the typed error checked against
/// the recorded body, and the code and message it carries.
#[tokio::test]
async fn every_documented_error_is_typed() {
    #[rustfmt::skip]
    let table: &[ErrorRow<DliError>] = &[
        ("dli-pools-v3/create_elastic_resource_pool.400", |url| erase(create(url)),
            ("DLI.0001", "Elastic resource pool elastic_pool_0623_02 already exists.")),
        ("dli-pools-v3/create_elastic_resource_pool.403", |url| erase(create(url)),
            ("DLI.0003", "Permission denied for creating an elastic resource pool.")),
        ("dli-pools-v3/list_elastic_resource_pools.400", |url| erase(list_unknown_status(url)),
            ("DLI.0001", "Parameter check errors occur.")),
        ("dli-pools-v3/delete_elastic_resource_pool.400", |url| erase(delete(url)), NO_POOL),
        ("dli-pools-v3/update_elastic_resource_pool.400", |url| erase(update(url)),
            ("DLI.0001", "The max_cu must be greater than the sum of the max_cu of the queues in the pool.")),
        ("dli-pools-v3/list_elastic_resource_pool_queues.400", |url| erase(queues(url)), NO_POOL),
        ("dli-pools-v3/associate_queue_to_elastic_resource_pool.400", |url| erase(associate(url)),
            ("DLI.0002", "There is no queue named lhm_sql")),
        ("dli-pools-v3/update_elastic_resource_pool_queue.400", |url| erase(update_queue(url)),
            ("DLI.0001", "The periods of the scaling policies overlap.")),
        ("dli-pools-v3/list_elastic_resource_pool_scale_records.400", |url| erase(scale_records_too_old(url)),
            ("DLI.0001", "The start_time must be within the last 30 days.")),
    ];
    replay_error_table(table, said).await;
}

const FAST: Duration = Duration::from_millis(5);
const BOUND: Duration = Duration::from_secs(10);

/// A pool list answer holding `pools` as (name, status word, fail reason).
fn pools(pools: &[(&str, &str, &str)]) -> serde_json::Value {
    let listed: Vec<_> = pools
        .iter()
        .map(|(name, status, reason)| {
            serde_json::json!({"elastic_resource_pool_name": name, "status": status, "fail_reason": reason})
        })
        .collect();
    serde_json::json!({"is_success": true, "count": listed.len(), "elastic_resource_pools": listed})
}

/// A server answering each reply once, in turn, then the last for ever; each request must be
/// signed.
async fn serve(replies: Vec<(u16, serde_json::Value)>) -> MockServer {
    let server = MockServer::start().await;
    refuse_bad_signatures(&server).await;
    let (last, first) = replies.split_last().unwrap();
    for (i, (code, body)) in first.iter().enumerate() {
        Mock::given(any())
            .respond_with(ResponseTemplate::new(*code).set_body_json(body))
            .up_to_n_times(1)
            .with_priority(2 + i as u8)
            .mount(&server)
            .await;
    }
    Mock::given(any())
        .respond_with(ResponseTemplate::new(last.0).set_body_json(&last.1))
        .with_priority(50)
        .mount(&server)
        .await;
    server
}

/// How a pool wait ended, in a word, with the service's message where it failed.
fn ended<T: std::fmt::Debug, E: std::fmt::Display + std::fmt::Debug>(
    outcome: &Result<Waited<T>, WaitError<T, E>>,
) -> String {
    match outcome {
        Ok(Waited::Reached(_)) => "reached".into(),
        Ok(Waited::Gone) => "gone".into(),
        Err(WaitError::Failed {
            status, message, ..
        }) => format!("failed {status:?} {message:?}"),
        Err(WaitError::TimedOut { last, .. }) => format!("timed out in {last}"),
        Err(WaitError::Call { source, .. }) => format!("call: {source}"),
        Err(other) => format!("{other}"),
    }
}

/// Both pool waiters against the answers a pool list gives, hostile ones included: other
/// pools (a name filter matches by substring), a name in another case, a pool that leaves
/// the list, a failure with its reason, a status no page lists, an error answer.
#[tokio::test]
async fn pool_waiters_read_the_named_pool_from_the_list() {
    let other = ("elastic_pool_0623_02_old", "AVAILABLE", "");
    let creating = (POOL, "CREATING", "");
    // (waiter, answers in turn) -> how it ends, and the polls it took; the pool is asked for
    // as `POOL` unless the case says otherwise.
    type Case = (
        &'static str,
        Vec<(u16, serde_json::Value)>,
        &'static str,
        usize,
    );
    let cases: Vec<Case> = vec![
        (
            "available",
            vec![
                (200, pools(&[creating])),
                (200, pools(&[(POOL, "AVAILABLE", "")])),
            ],
            "reached",
            2,
        ),
        // Another pool is available, ours is still being created: keep waiting.
        (
            "available",
            vec![
                (200, pools(&[other, creating])),
                (200, pools(&[other, (POOL, "AVAILABLE", "")])),
            ],
            "reached",
            2,
        ),
        // The service lowercases names, and pads none: asked for in mixed case, answered in
        // upper case with a space, it is the same pool.
        (
            "available in mixed case",
            vec![(200, pools(&[("ELASTIC_POOL_0623_02 ", "AVAILABLE", "")]))],
            "reached",
            1,
        ),
        // A status word no page lists (an unknown phase) keeps the wait going.
        (
            "available",
            vec![
                (200, pools(&[(POOL, "UPGRADING", "")])),
                (200, pools(&[(POOL, " available ", "")])),
            ],
            "reached",
            2,
        ),
        (
            "available",
            vec![
                (200, pools(&[creating])),
                (200, pools(&[(POOL, "FAILED", "Insufficient resources.")])),
            ],
            "failed Some(\"FAILED\") Some(\"Insufficient resources.\")",
            2,
        ),
        // Only other pools: ours is not there (gone), not theirs taken for ours.
        ("available", vec![(200, pools(&[other]))], "gone", 1),
        (
            "available",
            vec![(200, serde_json::json!({"is_success": true, "count": 0}))],
            "gone",
            1,
        ),
        (
            "available",
            vec![(
                400,
                serde_json::json!({"error_code": "DLI.0001", "error_msg": "bad"}),
            )],
            "call",
            1,
        ),
        (
            "deleted",
            vec![
                (200, pools(&[(POOL, "AVAILABLE", "")])),
                (200, pools(&[(POOL, "SCALING", "")])),
                (200, pools(&[other])),
            ],
            "gone",
            3,
        ),
        (
            "deleted",
            vec![(200, pools(&[(POOL, "FAILED", "")])), (200, pools(&[]))],
            "gone",
            2,
        ),
    ];
    for (waiter, replies, expected, polls) in cases {
        let described = format!("{waiter} over {replies:?}");
        let server = serve(replies).await;
        let client = client(&server.uri());
        let outcome = match waiter {
            "available" | "available in mixed case" => ended(
                &client
                    .wait_until_pool_available()
                    .project_id(PROJECT)
                    .name(if waiter == "available" {
                        POOL
                    } else {
                        "Elastic_Pool_0623_02"
                    })
                    .poll_interval(FAST)
                    .max_wait(BOUND)
                    .send()
                    .await,
            ),
            _ => ended(
                &client
                    .wait_until_pool_deleted()
                    .project_id(PROJECT)
                    .name(POOL)
                    .poll_interval(FAST)
                    .max_wait(BOUND)
                    .send()
                    .await,
            ),
        };
        assert!(outcome.starts_with(expected), "{described}: {outcome}");
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), polls, "{described}");
        for request in &requests {
            verify_signature(request).unwrap();
            assert_eq!(
                request.url.path(),
                format!("/v3/{PROJECT}/elastic-resource-pools")
            );
            let name = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "name")
                .map(|(_, v)| v.into_owned());
            assert!(name.is_some(), "{described}: the list is filtered by name");
        }
    }
}

/// A pool waiter without a name cannot tell which pool to read: an error, nothing sent.
#[tokio::test]
async fn a_pool_waiter_without_a_name_sends_nothing() {
    let server = serve_undeclared(200).await;
    let outcome = client(&server.uri())
        .wait_until_pool_available()
        .project_id(PROJECT)
        .send()
        .await;
    let text = ended(&outcome);
    assert!(
        text.contains("wait_until_pool_available: set `name`"),
        "{text}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// A pool stuck in a running phase times out at `max_wait`, naming the phase it was in.
#[tokio::test]
async fn a_pool_that_stays_scaling_times_out() {
    let server = serve(vec![(200, pools(&[(POOL, "SCALING", "")]))]).await;
    let outcome = client(&server.uri())
        .wait_until_pool_available()
        .project_id(PROJECT)
        .name(POOL)
        .poll_interval(FAST)
        .max_wait(Duration::from_millis(200))
        .send()
        .await;
    assert_eq!(ended(&outcome), "timed out in running");
}

fn query(request: &Request, name: &str) -> Option<u64> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
}

/// The three lists that page stream every item once, by offset, up to the total (`count`).
#[tokio::test]
async fn pool_lists_stream_by_offset_up_to_the_total() {
    // (items on the server, page size) -> offsets asked for.
    let cases: [(u64, u32, &[u64]); 4] = [
        (0, 10, &[0]),
        (7, 10, &[0]),
        (10, 10, &[0]),
        (25, 10, &[0, 10, 20]),
    ];
    for (total, size, offsets) in cases {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(move |request: &Request| {
                let start = query(request, "offset").unwrap_or(0);
                let limit = query(request, "limit").unwrap_or(100);
                let items: Vec<u64> = (start..(start + limit).min(total)).collect();
                let path = request.url.path().to_owned();
                let body = if path.ends_with("/scale-records") {
                    let records: Vec<_> = items.iter().map(|i| serde_json::json!({"record_time": i, "status": "success"})).collect();
                    serde_json::json!({"count": total, "items": records})
                } else if path.ends_with("/queues") {
                    let queues: Vec<_> = items.iter().map(|i| serde_json::json!({"queue_name": format!("q{i}")})).collect();
                    serde_json::json!({"is_success": true, "count": total, "queues": queues})
                } else {
                    let pools: Vec<_> = items.iter().map(|i| serde_json::json!({"elastic_resource_pool_name": format!("p{i}")})).collect();
                    serde_json::json!({"is_success": true, "count": total, "elastic_resource_pools": pools})
                };
                ResponseTemplate::new(200).set_body_json(body)
            })
            .mount(&server)
            .await;
        let client = client(&server.uri());
        let pools: Vec<String> = client
            .list_elastic_resource_pools()
            .project_id(PROJECT)
            .limit(size)
            .stream()
            .map(|pool| pool.unwrap().elastic_resource_pool_name.unwrap())
            .collect()
            .await;
        let queues: Vec<String> = client
            .list_elastic_resource_pool_queues()
            .project_id(PROJECT)
            .elastic_resource_pool_name(POOL)
            .limit(size)
            .stream()
            .map(|queue| queue.unwrap().queue_name.unwrap())
            .collect()
            .await;
        let records: Vec<String> = client
            .list_elastic_resource_pool_scale_records()
            .project_id(PROJECT)
            .elastic_resource_pool_name(POOL)
            .limit(size)
            .stream()
            .map(|record| record.unwrap().record_time.unwrap().to_string())
            .collect()
            .await;
        assert_eq!(
            pools,
            (0..total).map(|i| format!("p{i}")).collect::<Vec<_>>()
        );
        assert_eq!(
            queues,
            (0..total).map(|i| format!("q{i}")).collect::<Vec<_>>()
        );
        assert_eq!(
            records,
            (0..total).map(|i| i.to_string()).collect::<Vec<_>>()
        );
        let asked: Vec<u64> = server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .map(|r| query(r, "offset").unwrap())
            .collect();
        let expected: Vec<u64> = offsets
            .iter()
            .chain(offsets)
            .chain(offsets)
            .copied()
            .collect();
        assert_eq!(asked, expected, "{total} items by {size}: each page once");
    }
}

/// The generated mocks script a pool as the one item of the pool list: the waiter reads it
/// through its running polls to the phase asked for, and a test of code that waits on pools
/// needs no hand-written answers.
#[tokio::test]
async fn the_generated_mock_scripts_a_pool_in_the_list() {
    for (ends, expected) in [
        (Phase::Succeeded, "reached"),
        (Phase::Failed, "failed Some(\"FAILED\") None"),
    ] {
        let server = dli_pools_v3_mock::MockServer::start().await;
        let _pool = server.pool_available_job(POOL, 2, ends.clone()).await;
        let outcome = server
            .client()
            .wait_until_pool_available()
            .project_id(PROJECT)
            .name(POOL)
            .poll_interval(FAST)
            .max_wait(BOUND)
            .send()
            .await;
        assert_eq!(ended(&outcome), expected, "{ends}");
        let polls = server.wiremock().received_requests().await.unwrap().len();
        assert_eq!(polls, 3, "{ends}: two running polls, then the end");
    }
}
