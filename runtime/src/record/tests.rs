//! Record mode's unit tests: environment, refused rules, scrubbing, naming, failed writes.

use serde_json::json;

use super::*;
use crate::{Operation, Runtime};

const REAL_PROJECT: &str = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const REAL_DOMAIN: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

static TABLE: &[Operation] = &[Operation {
    id: "create_bucket",
    method: "POST",
    route: "/v1/{project_id}/buckets/{name}",
    retry_safe: false,
    statuses: &[200],
    json_statuses: &[200],
    limits: &[],
    secrets: &["/password", "/users/*/key"],
}];

/// Stands in for a crate's `decodes`: its type knows every member but `extra`.
fn decodes(_: &str, _: u16, body: &[u8], decoding: Decoding) -> Result<Option<Value>, String> {
    let mut value: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    if let Some(map) = value.as_object_mut() {
        map.remove("extra");
    }
    Ok((decoding == Decoding::Reencode).then_some(value))
}

fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        pairs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

/// On by the builder or by `CLOUD_RUNTIME_RECORD` (the builder wins); off otherwise.
#[test]
fn record_mode_is_on_only_when_a_directory_is_named() {
    type Variables = &'static [(&'static str, &'static str)];
    let cases: &[(Option<&str>, Variables, Option<&str>)] = &[
        (None, &[], None),
        (None, &[(ENV_RECORD, "")], None),
        (None, &[(ENV_RECORD, "  ")], None),
        (
            None,
            &[(ENV_RECORD, "/tmp/from-env")],
            Some("/tmp/from-env"),
        ),
        (Some("/tmp/builder"), &[], Some("/tmp/builder")),
        (
            Some("/tmp/builder"),
            &[(ENV_RECORD, "/tmp/from-env")],
            Some("/tmp/builder"),
        ),
    ];
    for (builder, variables, expected) in cases {
        let mut runtime = Runtime::builder();
        if let Some(dir) = builder {
            runtime = runtime.record(*dir);
        }
        let runtime = runtime.build_with_env(&env(variables)).unwrap();
        assert_eq!(
            runtime.recording_dir(),
            expected.map(Path::new),
            "{builder:?} {variables:?}"
        );
    }
}

/// A rule that cannot apply is refused at build, naming the rule, never a literal's value.
#[test]
fn rules_that_cannot_apply_are_refused() {
    type Rule = fn(crate::RuntimeBuilder) -> crate::RuntimeBuilder;
    let cases: &[(Rule, &str)] = &[
        (|b| b.scrub_header("x api key"), "not a header name"),
        (
            |b| b.scrub_pointer("/source"),
            "must start with /request/body",
        ),
        (
            |b| b.scrub_pointer("/request/bodyguard"),
            "must start with /request/body",
        ),
        (|b| b.scrub_literal("", "<empty>"), "is empty"),
        (
            |b| b.scrub_literal("hunter2", "<hunter2>"),
            "the placeholder contains the value",
        ),
    ];
    for (rule, problem) in cases {
        let error = rule(Runtime::builder().record("/tmp/unused"))
            .build_with_env(&env(&[]))
            .unwrap_err()
            .to_string();
        assert!(error.contains(problem), "{error}");
        assert!(!error.contains("hunter2\""), "the value shows: {error}");
    }
    // Off, the rules are not looked at.
    assert!(
        Runtime::builder()
            .scrub_header("x api key")
            .build_with_env(&env(&[]))
            .is_ok()
    );
}

fn recorder(dir: &Path) -> Recorder {
    let rules = Rules {
        dir: Some(dir.to_owned()),
        domain_id: Some(Secret::from(REAL_DOMAIN)),
        headers: vec!["X-Api-Key".into()],
        pointers: vec!["/response/body/owner".into()],
        literals: vec![(Secret::from("my-bucket"), "<bucket>".into())],
    };
    let credentials = Credentials::aksk("QTWAOYTTINDUT2QVKYUC", "the-secret-key");
    Recorder::configure(&rules, &credentials, Some(REAL_PROJECT), &env(&[]))
        .unwrap()
        .unwrap()
}

/// Every rule, on one exchange: what the runtime sets is dropped and its credentials
/// scrubbed wherever they appear; project and domain IDs become placeholders in the path, the
/// query, headers, bodies and member names; secret fields, declared headers, pointers and
/// literals are replaced; the member the type drops is listed.
#[test]
fn an_exchange_is_written_scrubbed() {
    let dir = std::env::temp_dir();
    let recorder = recorder(&dir);
    let signature = "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=host;x-sdk-date, Signature=0123456789abcdef0123456789abcdef";
    let request = reqwest::Client::new()
        .post(format!(
            "https://obs.eu-de.example.com/v1/{REAL_PROJECT}/buckets/my-bucket?owner={REAL_DOMAIN}&name=my%20bucket"
        ))
        .header("authorization", signature)
        .header("x-sdk-date", "20261128T000000Z")
        .header("x-project-id", REAL_PROJECT)
        .header("x-api-key", "key-of-the-caller")
        .header("accept", "application/json")
        .header("content-type", "application/json")
        .body(
            json!({
                "password": "pw-of-the-user",
                "users": [{"key": "k1", "name": "a"}, {"key": "k2"}],
                "location": "obs://my-bucket/data",
                REAL_PROJECT: "a member named after the project",
            })
            .to_string(),
        )
        .build()
        .unwrap();
    let sent = recorder.capture(&request);
    let mut headers = http::HeaderMap::new();
    for (name, value) in [
        ("content-type", "application/json;charset=UTF-8"),
        ("x-api-key", "key-echoed"),
        ("x-request-id", "r-1"),
        ("date", "Sat, 28 Nov 2026 00:00:00 GMT"),
    ] {
        headers.insert(name, value.parse().unwrap());
    }
    let body = json!({
        "owner": "alice",
        "project_id": REAL_PROJECT,
        "domain": {"id": REAL_DOMAIN},
        "echo": format!("signed with {signature}"),
        "note": "access key QTWAOYTTINDUT2QVKYUC, secret the-secret-key",
        "extra": {"bucket": "my-bucket"},
    })
    .to_string();
    let call = Call::new(TABLE, "create_bucket", "https://obs.eu-de.example.com").decoding(decodes);
    let cassette = recorder.cassette(&sent, 200, &headers, body.as_bytes(), call, 1);
    let mut written = serde_json::to_value(&cassette).unwrap();
    let source = written["source"].as_str().unwrap().to_owned();
    assert!(
        source
            .starts_with("recorded by cloud-runtime record mode from obs.eu-de.example.com at 20"),
        "{source}"
    );
    written["source"] = json!("-");
    let expected = json!({
        "operation_id": "create_bucket",
        "source": "-",
        "request": {
            "method": "POST",
            "path": format!("/v1/{PROJECT_PLACEHOLDER}/buckets/%3Cbucket%3E"),
            "query": [["owner", DOMAIN_PLACEHOLDER], ["name", "my bucket"]],
            "headers": {
                "accept": "application/json",
                "content-type": "application/json",
                "x-api-key": SCRUBBED,
            },
            "body": {
                "password": SCRUBBED,
                "users": [{"key": SCRUBBED, "name": "a"}, {"key": SCRUBBED}],
                "location": "obs://<bucket>/data",
                PROJECT_PLACEHOLDER: "a member named after the project",
            },
        },
        "response": {
            "status": 200,
            "headers": {"content-type": "application/json;charset=UTF-8"},
            "body": {
                "owner": SCRUBBED,
                "project_id": PROJECT_PLACEHOLDER,
                "domain": {"id": DOMAIN_PLACEHOLDER},
                "echo": format!("signed with {SCRUBBED}"),
                "note": format!("access key {SCRUBBED}, secret {SCRUBBED}"),
                "extra": {"bucket": "<bucket>"},
            },
            "unmodelled": ["/extra"],
        },
    });
    assert_eq!(written, expected);
}

/// A name already taken gets the next `.recorded-<n>` case; no file is replaced, and no
/// temporary file stays.
#[test]
fn a_taken_name_gets_the_next_case_and_nothing_is_replaced() {
    let cases: &[(&[&str], &str)] = &[
        (&[], "create_bucket.200.json"),
        (
            &["create_bucket.200.json"],
            "create_bucket.200.recorded-2.json",
        ),
        (
            &[
                "create_bucket.200.json",
                "create_bucket.200.recorded-2.json",
            ],
            "create_bucket.200.recorded-3.json",
        ),
        (&["create_bucket.500.json"], "create_bucket.200.json"),
    ];
    for (existing, expected) in cases {
        let dir = tempdir();
        for name in *existing {
            fs::write(dir.join(name), "kept").unwrap();
        }
        let recorder = recorder(&dir);
        let cassette = Cassette {
            operation_id: "create_bucket".into(),
            source: "test".into(),
            note: None,
            request: Request {
                method: "POST".into(),
                path: "/".into(),
                query: vec![],
                headers: Default::default(),
                body: None,
            },
            response: Response {
                status: 200,
                headers: Default::default(),
                body: None,
                unmodelled: vec![],
            },
        };
        let path = recorder.write("create_bucket", 200, &cassette).unwrap();
        assert_eq!(path, dir.join(expected), "{existing:?}");
        for name in *existing {
            assert_eq!(fs::read_to_string(dir.join(name)).unwrap(), "kept");
        }
        let mut names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let mut want: Vec<String> = existing.iter().map(|n| (*n).to_owned()).collect();
        want.push((*expected).to_owned());
        want.sort();
        assert_eq!(names, want, "{existing:?}");
        fs::remove_dir_all(&dir).unwrap();
    }
}

/// A write that fails (the directory is a file) is reported, and the caller gets the
/// response as the service sent it, every time.
#[tokio::test]
async fn a_failed_write_never_changes_the_response() {
    let dir = tempdir();
    let blocked = dir.join("a-file");
    fs::write(&blocked, "not a directory").unwrap();
    let recorder = recorder(&blocked);
    let call = Call::new(TABLE, "create_bucket", "http://127.0.0.1:1");
    for _ in 0..2 {
        let request = reqwest::Client::new()
            .get("http://127.0.0.1:1/v1/p/buckets/b")
            .build()
            .unwrap();
        let mut response = http::Response::new(r#"{"owner": "alice"}"#);
        *response.status_mut() = http::StatusCode::CREATED;
        response
            .headers_mut()
            .insert("x-request-id", "r-1".parse().unwrap());
        let response = recorder
            .exchange(
                recorder.capture(&request),
                reqwest::Response::from(response),
                call,
                1,
            )
            .await;
        assert_eq!(response.status(), 201);
        assert_eq!(response.headers()["x-request-id"], "r-1");
        assert_eq!(response.text().await.unwrap(), r#"{"owner": "alice"}"#);
        assert!(recorder.warned.load(Ordering::Relaxed), "reported");
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn dropped_members_are_those_the_typed_value_lacks() {
    // (recorded, typed again, pointers).
    let cases: Vec<(Value, Value, Vec<&str>)> = vec![
        (json!({"a": 1}), json!({"a": 1}), vec![]),
        (json!({"a": 1, "b": 2}), json!({"a": 1}), vec!["/b"]),
        // Empty or null: dropped by every typed value, not listed.
        (
            json!({"a": 1, "b": null, "c": [], "d": {}}),
            json!({"a": 1}),
            vec![],
        ),
        (
            json!({"jobs": [{"id": 1, "x": true}, {"id": 2}]}),
            json!({"jobs": [{"id": 1}, {"id": 2}]}),
            vec!["/jobs/0/x"],
        ),
        (
            json!({"a/b": 1, "m~n": 2}),
            json!({}),
            vec!["/a~1b", "/m~0n"],
        ),
        (json!({"o": {"k": "v"}}), json!({"o": {}}), vec!["/o/k"]),
    ];
    for (recorded, typed, expected) in cases {
        let mut found = Vec::new();
        dropped_members(&recorded, &typed, String::new(), &mut found);
        assert_eq!(found, expected, "{recorded}");
    }
}

/// Every value that names the account, in every form a URL or body carries it (raw,
/// percent-encoded in upper or lower case, base64, inside JSON text; JSON-escaped where it needs
/// escaping), becomes its
/// placeholder: the IAM token echoed in a next-page URL, the project given for one call only.
#[test]
fn account_values_are_scrubbed_in_every_encoding() {
    use base64::Engine as _;
    const TOKEN: &str = "MIIEhQYJKoZIhvcNAQcCoIIEdjCCBHICAQExDTAL+/a=b&c";
    const CALL_PROJECT: &str = "11112222333344445555666677778888";
    let dir = tempdir();
    let recorder = recorder(&dir);
    let percent = |value: &str, set| utf8_percent_encode(value, set).to_string();
    let b64 = base64::engine::general_purpose::STANDARD.encode(TOKEN);
    assert!(encodings(r#"a"b\c"#).contains(&r#"a\"b\\c"#.to_owned()));
    let request = reqwest::Client::new()
        .post(format!(
            "https://obs.eu-de.example.com/v1/{CALL_PROJECT}/buckets/b1?next={}",
            percent(TOKEN, NON_ALPHANUMERIC)
        ))
        .header("x-auth-token", TOKEN)
        .body("{}")
        .build()
        .unwrap();
    let sent = recorder.capture(&request);
    let forms: Vec<(&str, String)> = vec![
        ("raw token", TOKEN.to_owned()),
        ("percent-encoded token", percent(TOKEN, NON_ALPHANUMERIC)),
        (
            "lower-case percent-encoded token",
            lower_hex_escapes(&percent(TOKEN, NON_ALPHANUMERIC)),
        ),
        ("token as a path segment", percent(TOKEN, PATH_SEGMENT)),
        ("base64 token", b64.clone()),
        ("the call's project", CALL_PROJECT.to_owned()),
        (
            "the runtime's project, percent-encoded",
            percent(REAL_PROJECT, NON_ALPHANUMERIC),
        ),
        (
            "the domain, base64",
            base64::engine::general_purpose::STANDARD.encode(REAL_DOMAIN),
        ),
    ];
    let body = Value::Object(
        forms
            .iter()
            .map(|(what, form)| {
                (
                    (*what).to_owned(),
                    json!(format!(
                        "https://x.example.com/next?marker={form}&text={{\"t\":\"{form}\"}}"
                    )),
                )
            })
            .collect(),
    )
    .to_string();
    let call = Call::new(TABLE, "create_bucket", "https://obs.eu-de.example.com");
    let cassette = recorder.cassette(
        &sent,
        200,
        &http::HeaderMap::new(),
        body.as_bytes(),
        call,
        1,
    );
    let written = serde_json::to_string(&cassette).unwrap();
    for (what, form) in &forms {
        assert!(
            !written.contains(form.as_str()),
            "{what} ({form}) survives: {written}"
        );
    }
    assert!(
        cassette
            .request
            .path
            .contains(&percent(PROJECT_PLACEHOLDER, PATH_SEGMENT)),
        "{}",
        cassette.request.path
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// Two runtimes recording into one directory from one process, 200 recordings at once: every
/// one is written under its own name, and no temporary file stays.
#[test]
fn two_recorders_in_one_process_lose_nothing() {
    let dir = tempdir();
    let recorders = [recorder(&dir), recorder(&dir)];
    let cassette = Cassette {
        operation_id: "create_bucket".into(),
        source: "test".into(),
        note: None,
        request: Request {
            method: "POST".into(),
            path: "/".into(),
            query: vec![],
            headers: Default::default(),
            body: None,
        },
        response: Response {
            status: 200,
            headers: Default::default(),
            body: None,
            unmodelled: vec![],
        },
    };
    std::thread::scope(|scope| {
        for i in 0..200 {
            let (recorders, cassette) = (&recorders, &cassette);
            scope.spawn(move || {
                recorders[i % 2]
                    .write("create_bucket", 200, cassette)
                    .unwrap()
            });
        }
    });
    let names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.iter().filter(|n| n.ends_with(".json")).count(),
        200,
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
    fs::remove_dir_all(&dir).unwrap();
}

/// A fresh directory under the system's temporary one.
fn tempdir() -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "cloud-runtime-record-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}
