//! The signature gateway: the test credentials every replayed call is signed with, and the check
//! the local server makes, as the API gateway does, on every request it receives.

use cloud_runtime::{
    Credentials, RetryPolicy, Runtime, Secret,
    signing::{self, ParsedAuthorization, Parts},
};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

/// The test credentials every replayed call is signed with (not a real key).
pub const TEST_AK: &str = "AKREPLAY000000000001";
pub const TEST_SK: &str = "replay-secret-key-for-local-tests-only";
/// Sent and signed as `X-Project-Id`: the placeholder record mode writes for a real project, so
/// a recording replays here.
pub const TEST_PROJECT: &str = cloud_runtime::record::PROJECT_PLACEHOLDER;

/// The runtime replayed clients call through: AK/SK signing with the test key, no retries (a
/// cassette is one exchange; retries have their own tests).
pub fn runtime() -> Runtime {
    Runtime::builder()
        .credentials(Credentials::aksk(TEST_AK, TEST_SK))
        .project_id(TEST_PROJECT)
        .retry(RetryPolicy::none())
        .build()
        .expect("a runtime builds")
}

/// [`runtime`] with one header sent on every request that does not set it itself (a DataArts
/// workspace), signed like the rest.
pub fn runtime_with_default_header(name: &str, value: &str) -> Runtime {
    Runtime::builder()
        .credentials(Credentials::aksk(TEST_AK, TEST_SK))
        .project_id(TEST_PROJECT)
        .retry(RetryPolicy::none())
        .default_header(name, value)
        .build()
        .expect("a runtime builds")
}

/// Checks a received request's signature as the gateway does: the `Authorization` header is
/// recomputed from the method, path, query, signed headers and body that arrived, with the test
/// key. Also requires what a signed request must carry: `Host`, `X-Sdk-Date` (within 15 minutes)
/// and `X-Project-Id` signed, and the query sent in the canonical form that was signed.
pub fn verify_signature(request: &Request) -> Result<(), String> {
    let header = |name: &str| {
        let values: Vec<&str> = request
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        (!values.is_empty()).then(|| values.join(","))
    };
    let authorization = header("authorization").ok_or("no Authorization header")?;
    let parsed = ParsedAuthorization::parse(&authorization)
        .ok_or_else(|| format!("not an SDK-HMAC-SHA256 authorization: {authorization}"))?;
    if parsed.access != TEST_AK {
        return Err(format!("signed with access key {}", parsed.access));
    }
    for required in ["host", "x-sdk-date", "x-project-id"] {
        if !parsed.signed_headers.iter().any(|h| h == required) {
            return Err(format!("`{required}` is not signed: {authorization}"));
        }
    }
    let date = header("x-sdk-date").ok_or("no X-Sdk-Date header")?;
    let signed_at = chrono::NaiveDateTime::parse_from_str(&date, "%Y%m%dT%H%M%SZ")
        .map_err(|e| format!("X-Sdk-Date `{date}`: {e}"))?
        .and_utc();
    if (chrono::Utc::now() - signed_at).num_minutes().abs() > 15 {
        return Err(format!("X-Sdk-Date `{date}` is more than 15 minutes off"));
    }
    let mut headers = Vec::new();
    for name in &parsed.signed_headers {
        let value = header(name).ok_or_else(|| format!("signed header `{name}` was not sent"))?;
        headers.push((name.clone(), value));
    }
    let query: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let sent_query = request.url.query().unwrap_or_default();
    if sent_query != signing::canonical_query(&query) {
        return Err(format!(
            "the query sent, `{sent_query}`, is not the canonical one that was signed"
        ));
    }
    let method = request.method.as_str().to_owned();
    let parts = Parts {
        method: &method,
        path: request.url.path(),
        query: &query,
        headers: &headers,
        body: &request.body,
    };
    let expected = signing::authorization(TEST_AK, &Secret::new(TEST_SK), &parts)
        .map_err(|e| e.to_string())?;
    if expected != authorization {
        return Err(format!(
            "signature mismatch\n  sent:     {authorization}\n  expected: {expected}\ncanonical request the server computed:\n{}",
            signing::canonical_request(&parts).text
        ));
    }
    Ok(())
}

/// Matches requests whose signature does not verify, so the server can refuse them.
struct BadSignature;

impl Match for BadSignature {
    fn matches(&self, request: &Request) -> bool {
        verify_signature(request).is_err()
    }
}

/// Mounts, ahead of any other mock, the gateway's answer to a bad signature: 401 with the
/// gateway's error code and the reason.
pub async fn refuse_bad_signatures(server: &MockServer) {
    Mock::given(BadSignature)
        .respond_with(|request: &Request| {
            let reason = verify_signature(request).err().unwrap_or_default();
            ResponseTemplate::new(401).set_body_json(serde_json::json!({
                "error_code": "APIGW.0301",
                "error_msg": format!("Incorrect IAM authentication information: {reason}"),
            }))
        })
        .with_priority(1)
        .mount(server)
        .await;
}
