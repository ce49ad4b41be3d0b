//! `cargo bench -p replay --bench call`: one generated-client call against a local server, next
//! to the same call made with plain reqwest, unsigned and signed. The generated client adds its
//! builders, the runtime's hooks and its typed decoding; the gap is what those cost.
//!
//! Two measurements:
//! - criterion, each call on its own (absolute times);
//! - paired: plain and generated calls interleaved (ABBA, so neither always runs first), the
//!   ratio taken per sample. A machine whose speed drifts between two criterion groups moves
//!   both halves of a pair alike, so the ratio holds where back-to-back groups do not.
//!
//! The paired measurement runs the plain call twice over: with `reqwest::Client::new()` (no
//! timeout) and with the runtime's own reqwest client (its 60 s timeout, no redirects), so the
//! second ratio is the builders' and hooks' cost alone, like for like.

use std::time::{Duration, Instant};

use cloud_runtime::{Credentials, RetryPolicy, Runtime, Secret, signing};
use criterion::Criterion;
use dli_v1::{Client, types::SqlJobStatusResult};
use replay::ids::{JOB, PROJECT};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

const AK: &str = "AKREPLAY000000000001";
const SK: &str = "replay-secret-key-for-local-tests-only";
const BODY: &str = r#"{"is_success": true, "message": "", "job_id": "208b08d4-0dc2-4dd7-8879-ddd4c020d7aa", "job_type": "QUERY", "job_mode": "async", "queue_name": "default", "owner": "test", "start_time": 1517385246111, "duration": 2523, "status": "FINISHED", "input_size": 22, "result_count": 4, "database_name": "dbtest", "result_format": "CSV", "result_path": "obs://mybucket/dli/result/2026/job_id"}"#;

/// The two ways of making the same call.
struct Calls {
    plain: reqwest::Client,
    url: String,
    key: Option<signing::SigningKey>,
    client: Client,
}

impl Calls {
    /// `same_http`: the plain call uses the runtime's reqwest client instead of a default one.
    fn new(server: &MockServer, signed: bool, same_http: bool) -> Calls {
        let credentials = if signed {
            Credentials::aksk(AK, SK)
        } else {
            Credentials::None
        };
        let runtime = Runtime::builder()
            .credentials(credentials)
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        Calls {
            plain: if same_http {
                runtime.http_client()
            } else {
                reqwest::Client::new()
            },
            url: format!("{}/v1.0/{PROJECT}/jobs/{JOB}/status", server.uri()),
            key: signed.then(|| signing::SigningKey::new(AK, &Secret::new(SK)).unwrap()),
            client: Client::with_runtime(&server.uri(), runtime),
        }
    }

    async fn plain(&self) -> SqlJobStatusResult {
        let mut request = self
            .plain
            .get(&self.url)
            .header("accept", "application/json")
            .build()
            .unwrap();
        if let Some(key) = &self.key {
            signing::sign_request(&mut request, key, chrono::Utc::now());
        }
        let response = self.plain.execute(request).await.unwrap();
        assert_eq!(response.status(), 200);
        response.json::<SqlJobStatusResult>().await.unwrap()
    }

    async fn generated(&self) -> SqlJobStatusResult {
        self.client
            .show_sql_job_status()
            .project_id(PROJECT)
            .job_id(JOB)
            .send()
            .await
            .unwrap()
            .into_inner()
    }
}

async fn server() -> MockServer {
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(BODY, "application/json"))
        .mount(&server)
        .await;
    server
}

fn criterion_groups(c: &mut Criterion, rt: &tokio::runtime::Runtime, server: &MockServer) {
    for (signed, label) in [(false, "unsigned"), (true, "signed")] {
        let calls = Calls::new(server, signed, false);
        let mut group = c.benchmark_group(format!("one call, {label}"));
        group.bench_function("plain reqwest", |b| b.to_async(rt).iter(|| calls.plain()));
        group.bench_function("generated client", |b| {
            b.to_async(rt).iter(|| calls.generated())
        });
        group.finish();
    }
}

/// Pairs per sample and samples per measurement.
const PAIRS: usize = 50;
const SAMPLES: usize = 300;

/// generated/plain time ratios, one per sample of `PAIRS` interleaved pairs.
async fn paired_ratios(calls: &Calls) -> Vec<f64> {
    for _ in 0..200 {
        calls.plain().await;
        calls.generated().await;
    }
    let mut ratios = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let (mut plain, mut generated) = (Duration::ZERO, Duration::ZERO);
        for pair in 0..PAIRS {
            // ABBA: alternate which call goes first.
            let plain_first = pair % 2 == 0;
            for turn in 0..2 {
                let start = Instant::now();
                if (turn == 0) == plain_first {
                    std::hint::black_box(calls.plain().await);
                    plain += start.elapsed();
                } else {
                    std::hint::black_box(calls.generated().await);
                    generated += start.elapsed();
                }
            }
        }
        ratios.push(generated.as_secs_f64() / plain.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    ratios
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn paired(rt: &tokio::runtime::Runtime, server: &MockServer) {
    println!(
        "\npaired ({SAMPLES} samples of {PAIRS} interleaved pairs), generated / plain reqwest:"
    );
    for (same_http, baseline) in [(false, "Client::new()"), (true, "the runtime's client")] {
        for (signed, label) in [(false, "unsigned"), (true, "signed")] {
            let calls = Calls::new(server, signed, same_http);
            let ratios = rt.block_on(paired_ratios(&calls));
            println!(
                "  {label:<8} vs {baseline:<20} median {:.3}  (p10 {:.3}, p90 {:.3})",
                percentile(&ratios, 0.5),
                percentile(&ratios, 0.1),
                percentile(&ratios, 0.9)
            );
        }
    }
}

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(server());
    let mut criterion = Criterion::default().configure_from_args();
    criterion_groups(&mut criterion, &rt, &server);
    criterion.final_summary();
    // `cargo test --benches` runs this binary in test mode: the criterion groups then run once
    // each, and the paired measurement, which has no test mode, is left out.
    if std::env::args().any(|a| a == "--bench") {
        paired(&rt, &server);
    }
}
