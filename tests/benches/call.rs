//! `cargo bench -p replay --bench call`: one generated-client call against a local server,
//! next to the same call made with plain reqwest, unsigned and signed. The generated client adds
//! its builders, the runtime's hooks and its typed decoding; the gap is what those cost.

use cloud_runtime::{Credentials, RetryPolicy, Runtime, Secret, signing};
use criterion::{Criterion, criterion_group, criterion_main};
use dli_v1::{Client, types::SqlJobStatusResult};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

const PROJECT: &str = "37caa80116e1403ab603e5eeb48a2f74";
const JOB: &str = "44b37a20-ffe8-42b1-b42b-78a5978d7e40";
const AK: &str = "AKREPLAY000000000001";
const SK: &str = "replay-secret-key-for-local-tests-only";
const BODY: &str = r#"{"is_success": true, "message": "", "job_id": "208b08d4-0dc2-4dd7-8879-ddd4c020d7aa", "job_type": "QUERY", "job_mode": "async", "queue_name": "default", "owner": "test", "start_time": 1517385246111, "duration": 2523, "status": "FINISHED", "input_size": 22, "result_count": 4, "database_name": "dbtest", "result_format": "CSV", "result_path": "obs://mybucket/dli/result/2026/job_id"}"#;

fn runtime(credentials: Credentials) -> Runtime {
    Runtime::builder()
        .credentials(credentials)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn calls(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(async {
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_raw(BODY, "application/json"))
            .mount(&server)
            .await;
        server
    });
    let url = format!("{}/v1.0/{PROJECT}/jobs/{JOB}/status", server.uri());
    let key = signing::SigningKey::new(AK, &Secret::new(SK)).unwrap();

    for (signed, label) in [(false, "unsigned"), (true, "signed")] {
        let mut group = c.benchmark_group(format!("one call, {label}"));
        let plain = reqwest::Client::new();
        group.bench_function("plain reqwest", |b| {
            b.to_async(&rt).iter(|| async {
                let mut request = plain
                    .get(&url)
                    .header("accept", "application/json")
                    .build()
                    .unwrap();
                if signed {
                    signing::sign_request(&mut request, &key, chrono::Utc::now());
                }
                let response = plain.execute(request).await.unwrap();
                assert_eq!(response.status(), 200);
                response.json::<SqlJobStatusResult>().await.unwrap()
            })
        });
        let credentials = if signed {
            Credentials::aksk(AK, SK)
        } else {
            Credentials::None
        };
        let client = Client::with_runtime(&server.uri(), runtime(credentials));
        group.bench_function("generated client", |b| {
            b.to_async(&rt).iter(|| async {
                client
                    .show_sql_job_status()
                    .project_id(PROJECT)
                    .job_id(JOB)
                    .send()
                    .await
                    .unwrap()
                    .into_inner()
            })
        });
        group.finish();
    }
}

criterion_group!(benches, calls);
criterion_main!(benches);
