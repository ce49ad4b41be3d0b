//! `cargo bench -p cloud-runtime`: the cost of signing one request.

use cloud_runtime::{Secret, signing};
use criterion::{Criterion, criterion_group, criterion_main};

fn sign_one_request(c: &mut Criterion) {
    let sk = Secret::new("025b413f8a9a021ea648a7dd06839eb905b6e6e3");
    let body = br#"{"sql":"select * from t1","currentdb":"db1","queue_name":"default"}"#.to_vec();
    let template = reqwest::Client::new()
        .post("https://dli.eu-de.otc.t-systems.com/v1.0/37caa80116e1403ab603e5eeb48a2f74/jobs/submit-job?page-size=10&job-type=QUERY")
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(body)
        .build()
        .unwrap();
    let key = signing::SigningKey::new("AK035267854731514259", &sk).unwrap();
    let now = chrono::Utc::now();
    c.bench_function("sign one request (SDK-HMAC-SHA256)", |b| {
        b.iter_batched_ref(
            || template.try_clone().unwrap(),
            |request| signing::sign_request(request, &key, now),
            criterion::BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, sign_one_request);
criterion_main!(benches);
