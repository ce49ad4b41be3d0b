//! The safety net beyond the lint rules: a legal spec full of names that are awkward in Rust
//! (`tests/good-specs/awkward-names-v1.yaml`: a keyword operation id, keyword and hyphenated
//! parameters and properties, a property starting with a digit, a header parameter, enum values
//! with punctuation, pipes and quotes in the text) is generated into a scratch workspace that
//! uses this repository's pins and lock file, built, its doctests run, and every operation
//! called against a raw local socket by a caller crate's test.

mod support;

use std::{fs, path::Path, process::Command};

use support::*;

/// The caller crate's test: exact request lines, headers and bodies, and decoded responses.
const CALLER_TEST: &str = r##"
use std::{io::{BufRead, BufReader, Read, Write}, net::TcpListener, sync::mpsc, thread};

use awkward_names_v1::{Client, Runtime, types::{Job, KnownKind}};

/// Answers one request with `status` and `body`; sends back the request line, headers and body.
fn serve_once(status: u16, body: &'static str) -> (String, mpsc::Receiver<(String, Vec<String>, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (send, receive) = mpsc::channel();
    thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let mut headers = Vec::new();
        let mut length = 0;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).unwrap();
            let header = header.trim_end().to_ascii_lowercase();
            if header.is_empty() { break; }
            if let Some(value) = header.strip_prefix("content-length: ") { length = value.parse().unwrap(); }
            headers.push(header);
        }
        let mut request_body = vec![0; length];
        reader.read_exact(&mut request_body).unwrap();
        let mut stream = stream;
        write!(stream, "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len()).unwrap();
        send.send((line.trim_end().to_owned(), headers, String::from_utf8(request_body).unwrap())).unwrap();
    });
    (url, receive)
}

fn client(url: &str) -> Client {
    Client::with_runtime(url, Runtime::builder().build().unwrap())
}

#[tokio::test]
async fn keyword_and_hyphenated_names_are_sent_and_read_back() {
    let (url, received) = serve_once(200, r#"{"type": "t", "self": "s", "ref": "r", "job-name": "j", "2fa": true, "kind": "with-hyphen"}"#);
    let job: Job = client(&url)
        .match_()
        .project_id("p1")
        .type_("t1")
        .page_size(10)
        .self_("me")
        .x_request_id("r-1")
        .send()
        .await
        .unwrap()
        .into_inner();
    let (line, headers, _) = received.recv().unwrap();
    assert_eq!(line, "GET /v1/p1/jobs/t1?page-size=10&self=me HTTP/1.1");
    assert!(headers.contains(&"x-request-id: r-1".to_owned()), "{headers:?}");
    assert_eq!(job.type_.as_deref(), Some("t"));
    assert_eq!(job.self_.as_deref(), Some("s"));
    assert_eq!(job.ref_.as_deref(), Some("r"));
    assert_eq!(job.job_name.as_deref(), Some("j"));
    assert_eq!(job.x2fa, Some(true));
    assert_eq!(job.kind, Some(KnownKind::WithHyphen.into()));
}

#[tokio::test]
async fn a_body_with_awkward_property_names_keeps_its_wire_names() {
    let (url, received) = serve_once(204, "");
    client(&url)
        .submit()
        .project_id("p1")
        .type_("t1")
        .body_map(|b| b.type_("t".to_owned()).self_("s".to_owned()).x2fa(true).job_name("j".to_owned()))
        .send()
        .await
        .unwrap();
    let (line, _, body) = received.recv().unwrap();
    assert_eq!(line, "POST /v1/p1/jobs/t1 HTTP/1.1");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body, serde_json::json!({"type": "t", "self": "s", "2fa": true, "job-name": "j"}));
}
"##;

/// A workspace at `root` with this repository's package settings, dependency pins (paths made
/// absolute) and lock file, whose members are the generated crates and `caller`.
fn scratch_workspace(root: &Path) {
    let repo = repo_root();
    let mut manifest: toml::Table = fs::read_to_string(repo.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let workspace = manifest["workspace"].as_table_mut().unwrap();
    workspace.insert(
        "members".into(),
        toml::Value::Array(vec!["generated/*".into(), "caller".into()]),
    );
    for (_, dependency) in workspace["dependencies"].as_table_mut().unwrap().iter_mut() {
        if let Some(path) = dependency.get("path").and_then(toml::Value::as_str) {
            let absolute = repo.join(path).display().to_string();
            dependency
                .as_table_mut()
                .unwrap()
                .insert("path".into(), absolute.into());
        }
    }
    fs::write(root.join("Cargo.toml"), toml::to_string(&manifest).unwrap()).unwrap();
    fs::copy(repo.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    fs::create_dir_all(root.join("specs")).unwrap();
    fs::copy(
        repo.join("tests/good-specs/awkward-names-v1.yaml"),
        root.join("specs/awkward-names-v1.yaml"),
    )
    .unwrap();
    fs::create_dir_all(root.join("caller/tests")).unwrap();
    fs::write(
        root.join("caller/Cargo.toml"),
        "[package]\nname = \"caller\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dev-dependencies]\nawkward-names-v1 = { path = \"../generated/awkward-names-v1\" }\n\
         serde_json.workspace = true\ntokio.workspace = true\n",
    )
    .unwrap();
    fs::create_dir_all(root.join("caller/src")).unwrap();
    fs::write(root.join("caller/src/lib.rs"), "").unwrap();
    fs::write(root.join("caller/tests/calls.rs"), CALLER_TEST).unwrap();
}

#[test]
fn a_spec_of_awkward_names_generates_a_crate_that_builds_documents_and_calls() {
    let root = tempfile::tempdir().unwrap();
    scratch_workspace(root.path());

    let generated = xtask(root.path(), &["generate"]);
    assert!(
        generated.status.success(),
        "generate: {}",
        stderr(&generated)
    );

    // Its own target directory: the outer `cargo test` may still hold the workspace's.
    let target = repo_root().join("target/awkward-names");
    let test = Command::new(env!("CARGO"))
        .args(["test", "--offline", "--workspace", "--quiet"])
        .current_dir(root.path())
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
    assert!(
        test.status.success(),
        "the generated crate fails to build or its tests fail:\n{report}"
    );
    assert!(
        report.contains("test result: ok. 2 passed"),
        "the caller's two tests ran:\n{report}"
    );
    assert!(
        report.contains("test result: ok. 1 passed"),
        "the crate docs' example compiled as a doctest:\n{report}"
    );
}
