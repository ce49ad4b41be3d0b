//! `.stream()` on list operations (`x-paginate` in the specs) against a local server that
//! serves a list of N items page by page: every item once, pages fetched lazily and each once,
//! the caller's page size kept, the stream ended by the documented total or a short page; and
//! against hostile servers that repeat themselves or never stop: every stream ends.

use std::sync::{Arc, Mutex};

use futures::StreamExt;
use replay::TEST_PROJECT;
use replay::ids::WORKSPACE;
use wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers::any};

fn query(request: &Request, name: &str) -> Option<u64> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
}

/// The page (or offset) each request asked for, read from its `key` query parameter, after
/// checking every request carried the caller's own `sent` parameters (`size=10`).
fn asked(seen: &Mutex<Vec<String>>, key: &str, sent: &[String]) -> Vec<u64> {
    seen.lock()
        .unwrap()
        .iter()
        .map(|q| {
            for parameter in sent {
                assert!(
                    q.contains(parameter.as_str()),
                    "the caller's {parameter}: {q}"
                );
            }
            q.split('&')
                .find_map(|p| p.strip_prefix(&format!("{key}=")))
                .and_then(|p| p.parse().ok())
                .unwrap_or_else(|| panic!("no {key} in {q}"))
        })
        .collect()
}

/// A server holding `total` items, serving `page_of(request) -> (first item, count)` slices
/// with `body(items, total)`; the queries it received are recorded.
async fn server(
    total: u64,
    slice: fn(&Request) -> (u64, u64),
    body: fn(Vec<u64>, u64) -> serde_json::Value,
) -> (MockServer, Arc<Mutex<Vec<String>>>) {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    Mock::given(any())
        .respond_with(move |request: &Request| {
            log.lock()
                .unwrap()
                .push(request.url.query().unwrap_or_default().to_owned());
            let (start, count) = slice(request);
            let items = (start..(start + count).min(total)).collect();
            ResponseTemplate::new(200).set_body_json(body(items, total))
        })
        .mount(&server)
        .await;
    (server, seen)
}

fn dli_page(request: &Request) -> (u64, u64) {
    let size = query(request, "page-size").unwrap_or(50);
    let page = query(request, "current-page").unwrap_or(1);
    ((page - 1) * size, size)
}

fn dli_body(items: Vec<u64>, total: u64) -> serde_json::Value {
    let jobs: Vec<_> = items
        .iter()
        .map(|i| serde_json::json!({"job_id": format!("job-{i}"), "status": "FINISHED"}))
        .collect();
    serde_json::json!({"is_success": true, "job_count": total, "jobs": jobs})
}

async fn dli_jobs(total: u64, page_size: u32) -> (Vec<String>, Vec<String>) {
    let (server, seen) = server(total, dli_page, dli_body).await;
    let client = dli_v1::Client::with_runtime(&server.uri(), replay::runtime());
    let jobs: Vec<String> = client
        .list_sql_jobs()
        .project_id(TEST_PROJECT)
        .page_size(page_size)
        .stream()
        .map(|job| job.unwrap().job_id.unwrap())
        .collect()
        .await;
    let queries = seen.lock().unwrap().clone();
    (jobs, queries)
}

#[tokio::test]
async fn dli_jobs_stream_across_pages_of_the_size_the_caller_set() {
    // (jobs on the server, page size) -> pages requested.
    let cases: [(u64, u32, &[u64]); 5] = [
        (0, 10, &[1]),
        (7, 10, &[1]),
        (10, 10, &[1]),
        (25, 10, &[1, 2, 3]),
        (30, 10, &[1, 2, 3]),
    ];
    for (total, size, pages) in cases {
        let (jobs, queries) = dli_jobs(total, size).await;
        let expected: Vec<String> = (0..total).map(|i| format!("job-{i}")).collect();
        assert_eq!(jobs, expected, "{total} jobs by {size}");
        let asked: Vec<u64> = queries
            .iter()
            .map(|q| {
                assert!(
                    q.contains(&format!("page-size={size}")),
                    "the caller's page size: {q}"
                );
                q.split('&')
                    .find_map(|p| p.strip_prefix("current-page="))
                    .and_then(|p| p.parse().ok())
                    .unwrap()
            })
            .collect();
        assert_eq!(
            asked, pages,
            "{total} jobs by {size}: each page once, no more"
        );
    }
}

fn spark_slice(request: &Request) -> (u64, u64) {
    (
        query(request, "from").unwrap_or(0),
        query(request, "size").unwrap_or(100),
    )
}

fn spark_body(items: Vec<u64>, total: u64) -> serde_json::Value {
    let from = items.first().copied().unwrap_or(0);
    let sessions: Vec<_> = items
        .iter()
        .map(|i| serde_json::json!({"id": format!("batch-{i}"), "state": "success"}))
        .collect();
    serde_json::json!({"from": from, "total": total, "sessions": sessions})
}

/// DLI Spark batches page by offset: `from` (from 0) and the caller's `size`, until `total`
/// or a short page.
#[tokio::test]
async fn dli_spark_batches_stream_by_offset_across_pages_of_the_callers_size() {
    // (batches on the server, size) -> offsets requested.
    let cases: [(u64, i32, &[u64]); 5] = [
        (0, 10, &[0]),
        (7, 10, &[0]),
        (10, 10, &[0]),
        (25, 10, &[0, 10, 20]),
        (30, 10, &[0, 10, 20]),
    ];
    for (total, size, offsets) in cases {
        let (server, seen) = server(total, spark_slice, spark_body).await;
        let client = dli_v2::Client::with_runtime(&server.uri(), replay::runtime());
        let batches: Vec<String> = client
            .list_spark_jobs()
            .project_id(TEST_PROJECT)
            .queue_name("test")
            .size(size)
            .stream()
            .map(|batch| batch.unwrap().id.unwrap())
            .collect()
            .await;
        let expected: Vec<String> = (0..total).map(|i| format!("batch-{i}")).collect();
        assert_eq!(batches, expected, "{total} batches by {size}");
        let sent = [format!("size={size}"), "queue_name=test".to_owned()];
        assert_eq!(
            asked(&seen, "from", &sent),
            offsets,
            "{total} batches by {size}: each page once"
        );
    }
}

#[tokio::test]
async fn fabric_records_stream_by_offset_and_stop_at_the_total() {
    fn slice(request: &Request) -> (u64, u64) {
        (
            query(request, "offset").unwrap_or(0),
            query(request, "limit").unwrap_or(10),
        )
    }
    fn body(items: Vec<u64>, total: u64) -> serde_json::Value {
        let records: Vec<_> = items
            .iter()
            .map(|i| serde_json::json!({"statement_id": format!("stmt_{i}")}))
            .collect();
        serde_json::json!({"records": records, "total": total})
    }
    let (server, seen) = server(12, slice, body).await;
    let client = dataarts_fabric_v1::Client::with_runtime(&server.uri(), replay::runtime());
    let records: Vec<String> = client
        .list_statement_records()
        .workspace_id(WORKSPACE)
        .limit(5u32)
        .stream()
        .map(|record| record.unwrap().statement_id.unwrap())
        .collect()
        .await;
    assert_eq!(
        records,
        (0..12).map(|i| format!("stmt_{i}")).collect::<Vec<_>>()
    );
    let offsets: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|q| {
            q.split('&')
                .find(|p| p.starts_with("offset="))
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(offsets, ["offset=0", "offset=5", "offset=10"]);
}

#[tokio::test]
async fn an_error_page_is_yielded_and_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(serde_json::json!({"error_code": "DLI.0999", "error_msg": "boom"})),
        )
        .mount(&server)
        .await;
    let client = dli_v1::Client::with_runtime(&server.uri(), replay::runtime());
    let results: Vec<_> = client
        .list_sql_jobs()
        .project_id(TEST_PROJECT)
        .stream()
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    match &results[0] {
        Err(dli_v1::Error::ErrorResponse(error)) => {
            assert_eq!(error.error_code.as_deref(), Some("DLI.0999"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// MRS v1.1 job executions page Sahara-style: `marker` is the ID of the last item read, the
/// response's `markers.next` the marker of the next page (`null` on the last).
async fn mrs_v1_1_executions(total: u64, limit: u64) -> (Vec<String>, Vec<String>) {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    Mock::given(any())
        .respond_with(move |request: &Request| {
            log.lock()
                .unwrap()
                .push(request.url.query().unwrap_or_default().to_owned());
            let marker = request.url.query_pairs().find(|(k, _)| k == "marker");
            let start = marker.map_or(0, |(_, m)| {
                m.strip_prefix("exe-").unwrap().parse::<u64>().unwrap() + 1
            });
            let end = (start + query(request, "limit").unwrap()).min(total);
            let executions: Vec<_> = (start..end)
                .map(|i| serde_json::json!({"id": format!("exe-{i}")}))
                .collect();
            let next = (end < total).then(|| format!("exe-{}", end - 1));
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "markers": {"prev": null, "next": next},
                "job_executions": executions,
            }))
        })
        .mount(&server)
        .await;
    let client = mrs_v1_1::Client::with_runtime(&server.uri(), replay::runtime());
    let ids: Vec<String> = client
        .list_job_executions()
        .project_id(TEST_PROJECT)
        .limit(limit)
        .stream()
        .map(|execution| execution.unwrap().id.unwrap())
        .collect()
        .await;
    let queries = seen.lock().unwrap().clone();
    (ids, queries)
}

#[tokio::test]
async fn mrs_v1_1_executions_stream_after_each_marker_once_until_there_is_none() {
    // (executions on the server, limit) -> the query of each page requested.
    let cases: [(u64, u64, &[&str]); 5] = [
        (0, 3, &["limit=3"]),
        (2, 3, &["limit=3"]),
        (3, 3, &["limit=3"]),
        (
            7,
            3,
            &["limit=3", "limit=3&marker=exe-2", "limit=3&marker=exe-5"],
        ),
        (
            9,
            3,
            &["limit=3", "limit=3&marker=exe-2", "limit=3&marker=exe-5"],
        ),
    ];
    for (total, limit, pages) in cases {
        let (ids, queries) = mrs_v1_1_executions(total, limit).await;
        let expected: Vec<String> = (0..total).map(|i| format!("exe-{i}")).collect();
        assert_eq!(ids, expected, "{total} executions by {limit}");
        assert_eq!(queries, pages, "{total} executions by {limit}");
    }
}

/// How a hostile server answers the `n`-th request (from 0) for a page of `size` items.
type Hostile = fn(n: u64, size: u64) -> (Vec<u64>, serde_json::Value);

/// Serves `hostile`'s pages, `(items, total)` put in each service's body by `body`.
async fn hostile_server(
    hostile: Hostile,
    size: u64,
    body: fn(Vec<u64>, serde_json::Value) -> serde_json::Value,
) -> (MockServer, Arc<Mutex<Vec<String>>>) {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    Mock::given(any())
        .respond_with(move |request: &Request| {
            let mut log = log.lock().unwrap();
            let (items, total) = hostile(log.len() as u64, size);
            log.push(request.url.query().unwrap_or_default().to_owned());
            ResponseTemplate::new(200).set_body_json(body(items, total))
        })
        .mount(&server)
        .await;
    (server, seen)
}

/// Collects a stream of `Result<String, _>` into the items and, if any, the last error's text.
async fn drain<T, E: std::fmt::Display>(
    stream: impl futures::Stream<Item = Result<T, E>>,
    id: fn(T) -> String,
) -> (Vec<String>, Option<String>) {
    let results: Vec<Result<T, E>> = stream.collect().await;
    let mut items = Vec::new();
    let mut error = None;
    for result in results {
        assert!(error.is_none(), "an error is the last item");
        match result {
            Ok(item) => items.push(id(item)),
            Err(e) => error = Some(e.to_string()),
        }
    }
    (items, error)
}

fn first_page(_: u64, size: u64) -> Vec<u64> {
    (0..size).collect()
}

fn fresh_page(n: u64, size: u64) -> Vec<u64> {
    (n * size..(n + 1) * size).collect()
}

fn same_page_no_total(n: u64, size: u64) -> (Vec<u64>, serde_json::Value) {
    (first_page(n, size), serde_json::Value::Null)
}

fn same_page_huge_total(n: u64, size: u64) -> (Vec<u64>, serde_json::Value) {
    (first_page(n, size), i32::MAX.into())
}

fn same_page_growing_total(n: u64, size: u64) -> (Vec<u64>, serde_json::Value) {
    (first_page(n, size), ((n + 2) * size).into())
}

fn same_page_total_minus_one(n: u64, size: u64) -> (Vec<u64>, serde_json::Value) {
    (first_page(n, size), (-1).into())
}

fn endless(n: u64, size: u64) -> (Vec<u64>, serde_json::Value) {
    (fresh_page(n, size), i32::MAX.into())
}

/// The stream's last error says what is expected, or both are absent.
fn assert_last(case: &str, last: Option<String>, expected: Option<&str>) {
    match (last, expected) {
        (None, None) => {}
        (Some(last), Some(expected)) => assert!(last.contains(expected), "{case}: {last}"),
        (last, _) => panic!("{case}: last error {last:?}, expected {expected:?}"),
    }
}

#[tokio::test]
async fn streams_end_against_servers_that_repeat_themselves_or_never_stop() {
    let stopped =
        "the stream stopped early: the list was read up to the stream's page limit, 5 pages";
    // A repeated page ends the list; short of the total the service announced, it says so.
    let repeated = "the service sent a page it had already sent";
    // (server, page limit set) -> (items read, requests, last error); 10 items a page.
    type Case = (
        &'static str,
        Hostile,
        Option<u32>,
        u64,
        u64,
        Option<&'static str>,
    );
    let cases: [Case; 5] = [
        ("same page, no total", same_page_no_total, None, 10, 2, None),
        (
            "same page, total i32::MAX",
            same_page_huge_total,
            None,
            10,
            2,
            Some(repeated),
        ),
        (
            "same page, growing total",
            same_page_growing_total,
            None,
            10,
            2,
            Some(repeated),
        ),
        (
            "same page, total -1",
            same_page_total_minus_one,
            None,
            10,
            2,
            None,
        ),
        ("new items for ever", endless, Some(5), 50, 5, Some(stopped)),
    ];
    for (name, hostile, max_pages, read, requests, error) in cases {
        // DLI, by page number.
        let (server, seen) = hostile_server(hostile, 10, |items, total| {
            let jobs: Vec<_> = items
                .iter()
                .map(|i| serde_json::json!({"job_id": format!("job-{i}")}))
                .collect();
            serde_json::json!({"is_success": true, "job_count": total, "jobs": jobs})
        })
        .await;
        let client = dli_v1::Client::with_runtime(&server.uri(), replay::runtime());
        let mut stream = client
            .list_sql_jobs()
            .project_id(TEST_PROJECT)
            .page_size(10u32)
            .stream();
        if let Some(max) = max_pages {
            stream = stream.max_pages(max);
        }
        let (items, last) = drain(stream, |job| job.job_id.unwrap()).await;
        let expected: Vec<String> = (0..read).map(|i| format!("job-{i}")).collect();
        assert_eq!(items, expected, "DLI, {name}");
        assert_last(&format!("DLI, {name}"), last, error);
        let pages: Vec<u64> = seen
            .lock()
            .unwrap()
            .iter()
            .map(|q| {
                q.split('&')
                    .find_map(|p| p.strip_prefix("current-page="))
                    .and_then(|p| p.parse().ok())
                    .unwrap()
            })
            .collect();
        assert_eq!(
            pages,
            (1..=requests).collect::<Vec<_>>(),
            "DLI, {name}: each page once"
        );

        // DataArts Fabric, by offset.
        let (server, seen) = hostile_server(hostile, 10, |items, total| {
            let records: Vec<_> = items
                .iter()
                .map(|i| serde_json::json!({"statement_id": format!("stmt_{i}")}))
                .collect();
            serde_json::json!({"records": records, "total": total})
        })
        .await;
        let client = dataarts_fabric_v1::Client::with_runtime(&server.uri(), replay::runtime());
        let mut stream = client
            .list_statement_records()
            .workspace_id(WORKSPACE)
            .limit(10u32)
            .stream();
        if let Some(max) = max_pages {
            stream = stream.max_pages(max);
        }
        let (items, last) = drain(stream, |record| record.statement_id.unwrap()).await;
        let expected: Vec<String> = (0..read).map(|i| format!("stmt_{i}")).collect();
        assert_eq!(items, expected, "Fabric, {name}");
        assert_last(&format!("Fabric, {name}"), last, error);
        let offsets: Vec<String> = seen
            .lock()
            .unwrap()
            .iter()
            .map(|q| {
                q.split('&')
                    .find(|p| p.starts_with("offset="))
                    .unwrap()
                    .to_owned()
            })
            .collect();
        let expected: Vec<String> = (0..requests)
            .map(|p| format!("offset={}", p * 10))
            .collect();
        assert_eq!(offsets, expected, "Fabric, {name}: each offset once");

        // A DLI elastic resource pool's scaling history, by offset, its total in `count`.
        let (server, seen) = hostile_server(hostile, 10, |items, total| {
            let records: Vec<_> = items
                .iter()
                .map(|i| serde_json::json!({"record_time": i, "status": "success"}))
                .collect();
            serde_json::json!({"count": total, "items": records})
        })
        .await;
        let client = dli_pools_v3::Client::with_runtime(&server.uri(), replay::runtime());
        let mut stream = client
            .list_elastic_resource_pool_scale_records()
            .project_id(TEST_PROJECT)
            .elastic_resource_pool_name("elastic_pool_0622_10")
            .limit(10)
            .stream();
        if let Some(max) = max_pages {
            stream = stream.max_pages(max);
        }
        let (items, last) = drain(stream, |record| record.record_time.unwrap().to_string()).await;
        let expected: Vec<String> = (0..read).map(|i| i.to_string()).collect();
        assert_eq!(items, expected, "pool history, {name}");
        assert_last(&format!("pool history, {name}"), last, error);
        let offsets: Vec<String> = seen
            .lock()
            .unwrap()
            .iter()
            .map(|q| {
                q.split('&')
                    .find(|p| p.starts_with("offset="))
                    .unwrap()
                    .to_owned()
            })
            .collect();
        let expected: Vec<String> = (0..requests)
            .map(|p| format!("offset={}", p * 10))
            .collect();
        assert_eq!(offsets, expected, "pool history, {name}: each offset once");
    }
}

#[tokio::test]
async fn marker_streams_end_against_servers_that_repeat_themselves_or_never_stop() {
    let stopped =
        "the stream stopped early: the list was read up to the stream's page limit, 3 pages";
    // (server: items and next marker for request n (from 0), the builder's marker, page limit)
    // -> (items read, queries, last error).
    type Case = (
        &'static str,
        fn(u64) -> (std::ops::Range<u64>, String),
        Option<&'static str>,
        Option<u32>,
        u64,
        Vec<&'static str>,
        Option<&'static str>,
    );
    let cases: Vec<Case> = vec![
        (
            "a fresh marker on every page, the same items",
            |n| (0..3, format!("fresh-{n}")),
            None,
            None,
            3,
            vec!["limit=3", "limit=3&marker=fresh-0"],
            None,
        ),
        (
            "the start marker handed back",
            |_| (5..8, "exe-4".to_owned()),
            Some("exe-4"),
            None,
            3,
            vec!["limit=3&marker=exe-4", "limit=3&marker=exe-4"],
            None,
        ),
        (
            "new items and markers for ever",
            |n| (n * 3..n * 3 + 3, format!("exe-{}", n * 3 + 2)),
            None,
            Some(3),
            9,
            vec!["limit=3", "limit=3&marker=exe-2", "limit=3&marker=exe-5"],
            Some(stopped),
        ),
    ];
    for (name, answer, start, max_pages, read, queries, error) in cases {
        let server = MockServer::start().await;
        let seen = Arc::new(Mutex::new(Vec::<String>::new()));
        let log = seen.clone();
        Mock::given(any())
            .respond_with(move |request: &Request| {
                let mut log = log.lock().unwrap();
                let (items, next) = answer(log.len() as u64);
                log.push(request.url.query().unwrap_or_default().to_owned());
                let executions: Vec<_> = items
                    .map(|i| serde_json::json!({"id": format!("exe-{i}")}))
                    .collect();
                ResponseTemplate::new(200).set_body_json(serde_json::json!({
                    "markers": {"prev": null, "next": next},
                    "job_executions": executions,
                }))
            })
            .mount(&server)
            .await;
        let client = mrs_v1_1::Client::with_runtime(&server.uri(), replay::runtime());
        let mut builder = client
            .list_job_executions()
            .project_id(TEST_PROJECT)
            .limit(3u64);
        if let Some(start) = start {
            builder = builder.marker(start);
        }
        let mut stream = builder.stream();
        if let Some(max) = max_pages {
            stream = stream.max_pages(max);
        }
        let (items, last) = drain(stream, |execution| execution.id.unwrap()).await;
        assert_eq!(items.len() as u64, read, "{name}: {items:?}");
        let unique: std::collections::BTreeSet<_> = items.iter().collect();
        assert_eq!(unique.len(), items.len(), "{name}: no item twice");
        assert_eq!(*seen.lock().unwrap(), queries, "{name}");
        assert_last(name, last, error);
    }
}

// --- DLI queues (dli-queues-v1, issue 20) ---

/// DLI queues page by number (`current-page` from 1, the caller's `page-size`); the answer
/// carries no total, so the stream ends at an empty page or one shorter than the first (the
/// stream does not know the page size: a short first page is followed by one more request).
#[tokio::test]
async fn dli_queues_stream_by_page_number_and_end_at_a_short_page() {
    fn body(items: Vec<u64>, _total: u64) -> serde_json::Value {
        let queues: Vec<_> = items
            .iter()
            .map(|i| serde_json::json!({"queue_name": format!("queue_{i}"), "queue_type": "sql"}))
            .collect();
        serde_json::json!({"is_success": true, "message": "", "queues": queues})
    }
    // (queues on the server, page size) -> pages requested.
    let cases: [(u64, u32, &[u64]); 4] = [
        (0, 10, &[1]),
        (7, 10, &[1, 2]),
        (10, 10, &[1, 2]),
        (25, 10, &[1, 2, 3]),
    ];
    for (total, size, pages) in cases {
        let (server, seen) = server(total, dli_page, body).await;
        let client = dli_queues_v1::Client::with_runtime(&server.uri(), replay::runtime());
        let queues: Vec<String> = client
            .list_queues()
            .project_id(TEST_PROJECT)
            .queue_type(dli_queues_v1::types::KnownQueueType::All)
            .page_size(size)
            .stream()
            .map(|queue| queue.unwrap().queue_name.unwrap())
            .collect()
            .await;
        let expected: Vec<String> = (0..total).map(|i| format!("queue_{i}")).collect();
        assert_eq!(queues, expected, "{total} queues by {size}");
        let sent = [format!("page-size={size}"), "queue_type=all".to_owned()];
        assert_eq!(
            asked(&seen, "current-page", &sent),
            pages,
            "{total} queues by {size}: each page once"
        );
    }
}

fn flink_slice(request: &Request) -> (u64, u64) {
    (
        query(request, "offset").unwrap_or(0),
        query(request, "limit").unwrap_or(10),
    )
}

fn flink_body(items: Vec<u64>, total: u64) -> serde_json::Value {
    let jobs: Vec<_> = items
        .iter()
        .map(|i| serde_json::json!({"job_id": i, "name": format!("job-{i}"), "status": "job_running"}))
        .collect();
    serde_json::json!({"is_success": "true", "message": "", "job_list": {"total_count": total, "jobs": jobs}})
}

/// DLI Flink nests its jobs and their total in `job_list` (`x-paginate` `items: job_list.jobs`):
/// the stream reads them there, by offset, and stops at the nested total.
#[tokio::test]
async fn dli_flink_jobs_stream_by_offset_from_the_nested_list() {
    // (jobs on the server, limit) -> offsets requested.
    let cases: [(u64, i32, &[u64]); 4] = [
        (0, 10, &[0]),
        (7, 10, &[0]),
        (20, 10, &[0, 10]),
        (25, 10, &[0, 10, 20]),
    ];
    for (total, limit, offsets) in cases {
        let (server, seen) = server(total, flink_slice, flink_body).await;
        let client = dli_flink_v1::Client::with_runtime(&server.uri(), replay::runtime());
        let jobs: Vec<i64> = client
            .list_flink_jobs()
            .project_id(TEST_PROJECT)
            .limit(limit)
            .stream()
            .map(|job| job.unwrap().job_id.unwrap())
            .collect()
            .await;
        let expected: Vec<i64> = (0..total as i64).collect();
        assert_eq!(jobs, expected, "{total} jobs by {limit}");
        let sent = [format!("limit={limit}")];
        assert_eq!(
            asked(&seen, "offset", &sent),
            offsets,
            "{total} jobs by {limit}: each page once"
        );
    }
}
