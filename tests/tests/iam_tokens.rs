//! IAM tokens through a generated client, against a local IAM and service that fail, hang,
//! refuse tokens or issue odd expiries: how many token requests are made, which token each
//! request carries, and what the caller gets.

use std::time::Duration;

use cloud_runtime::{Credentials, IamUser, RetryPolicy, Runtime, Secret};
use dli_v1::{Client, Error};
use futures::future::join_all;
use replay::ids::JOB;
use replay::{TEST_AK, TEST_PROJECT};
use wiremock::{
    Mock, MockServer, Request, ResponseTemplate,
    matchers::{any, header, method, path},
};

const PASSWORD: &str = "password-of-alice";
const STATUS_BODY: &str = r#"{"is_success": true, "message": "", "job_id": "44b37a20-ffe8-42b1-b42b-78a5978d7e40", "status": "FINISHED"}"#;

type Outcome = Result<(), String>;

fn iam_runtime(iam: &MockServer, timeout: Duration) -> Runtime {
    Runtime::builder()
        .credentials(Credentials::Iam(IamUser {
            iam_url: iam.uri(),
            user: "alice".into(),
            password: Secret::new(PASSWORD),
            domain: "example-domain".into(),
            project_id: TEST_PROJECT.into(),
        }))
        .retry(RetryPolicy::none())
        .timeout(timeout)
        .build()
        .unwrap()
}

fn issue(token: &str, expires_at: Option<String>) -> ResponseTemplate {
    let body = match expires_at {
        Some(at) => serde_json::json!({"token": {"expires_at": at}}),
        None => serde_json::json!({"token": {}}),
    };
    ResponseTemplate::new(201)
        .insert_header("x-subject-token", token)
        .set_body_json(body)
}

/// An IAM answering each of `answers` once, in turn, and the last one for ever.
async fn iam_answering(answers: Vec<ResponseTemplate>) -> MockServer {
    let iam = MockServer::start().await;
    let last = answers.len() - 1;
    for (i, answer) in answers.into_iter().enumerate() {
        let mock = Mock::given(method("POST"))
            .and(path("/v3/auth/tokens"))
            .respond_with(answer);
        let mock = if i < last {
            mock.up_to_n_times(1).with_priority(1 + i as u8)
        } else {
            mock.with_priority(100)
        };
        mock.mount(&iam).await;
    }
    iam
}

fn in_an_hour() -> Option<String> {
    Some((chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339())
}

/// A service accepting the token `accepted` (any request if `None` is not given) and answering
/// 401 to everything else, as the API gateway does to a token it no longer takes.
async fn service_accepting(accepted: Option<&str>) -> MockServer {
    let server = MockServer::start().await;
    if let Some(token) = accepted {
        Mock::given(header("x-auth-token", token))
            .respond_with(ResponseTemplate::new(200).set_body_raw(STATUS_BODY, "application/json"))
            .with_priority(1)
            .mount(&server)
            .await;
    }
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(
            serde_json::json!({"error_code": "APIGW.0307", "error_msg": "The token must be updated."}),
        ))
        .mount(&server)
        .await;
    server
}

#[derive(Debug, Clone, Copy)]
enum Op {
    /// `show_sql_job_status`, a GET.
    Read,
    /// `create_sql_job`, a POST sent once even on a 503.
    Submit,
}

async fn call(client: &Client, op: Op) -> Outcome {
    let result = match op {
        Op::Read => client
            .show_sql_job_status()
            .project_id(TEST_PROJECT)
            .job_id(JOB)
            .send()
            .await
            .map(|_| ()),
        Op::Submit => client
            .create_sql_job()
            .project_id(TEST_PROJECT)
            .body_map(|b| b.sql("select 1"))
            .send()
            .await
            .map(|_| ()),
    };
    result.map_err(|error| match error {
        Error::Custom(message) => message,
        other => format!("{other:?}"),
    })
}

fn tokens_sent(requests: &[Request]) -> Vec<String> {
    requests
        .iter()
        .map(|r| {
            r.headers
                .get("x-auth-token")
                .map_or("-".to_owned(), |v| v.to_str().unwrap().to_owned())
        })
        .collect()
}

fn assert_no_secret(outcome: &Outcome) {
    if let Err(message) = outcome {
        assert!(!message.contains(PASSWORD), "{message}");
        assert!(message.len() < 4096, "bounded: {message}");
    }
}

#[tokio::test]
async fn a_refused_iam_token_is_renewed_and_the_call_sent_once_more() {
    let refused = "unexpected status 401";
    // (IAM's answers in turn, the token the service takes, the operation) -> (what the caller
    // gets: Ok or a part of the error, token requests, the token each service request carried).
    type Case = (
        Vec<Option<&'static str>>,
        Option<&'static str>,
        Op,
        Result<(), &'static str>,
        usize,
        Vec<&'static str>,
    );
    let cases: Vec<Case> = vec![
        (
            vec![Some("t1")],
            Some("t1"),
            Op::Read,
            Ok(()),
            1,
            vec!["t1"],
        ),
        (
            vec![Some("t1"), Some("t2")],
            Some("t2"),
            Op::Read,
            Ok(()),
            2,
            vec!["t1", "t2"],
        ),
        // A 401 says the request was not processed: a submission is sent again too.
        (
            vec![Some("t1"), Some("t2")],
            Some("t2"),
            Op::Submit,
            Ok(()),
            2,
            vec!["t1", "t2"],
        ),
        // A second 401 is the caller's.
        (
            vec![Some("t1"), Some("t2")],
            None,
            Op::Read,
            Err(refused),
            2,
            vec!["t1", "t2"],
        ),
        (
            vec![Some("t1"), Some("t2"), Some("t3")],
            None,
            Op::Read,
            Err(refused),
            2,
            vec!["t1", "t2"],
        ),
        // No new token: the caller learns both.
        (
            vec![Some("t1"), None],
            None,
            Op::Read,
            Err(
                "show_sql_job_status: the service refused the IAM token (401) and no new one was obtained: IAM refused the token request",
            ),
            2,
            vec!["t1"],
        ),
    ];
    for (answers, accepted, op, expected, token_requests, sent) in cases {
        let case = format!("{answers:?} accepted {accepted:?} {op:?}");
        let iam = iam_answering(
            answers
                .iter()
                .map(|answer| match answer {
                    Some(token) => issue(token, in_an_hour()),
                    None => ResponseTemplate::new(500).set_body_raw("IAM is down", "text/plain"),
                })
                .collect(),
        )
        .await;
        let service = service_accepting(accepted).await;
        let client =
            Client::with_runtime(&service.uri(), iam_runtime(&iam, Duration::from_secs(10)));
        let outcome = call(&client, op).await;
        assert_no_secret(&outcome);
        match expected {
            Ok(()) => assert_eq!(outcome, Ok(()), "{case}"),
            Err(part) => {
                let message = outcome.expect_err(&case);
                assert!(message.contains(part), "{case}: {message}");
            }
        }
        assert_eq!(
            iam.received_requests().await.unwrap().len(),
            token_requests,
            "{case}"
        );
        let requests = service.received_requests().await.unwrap();
        assert_eq!(tokens_sent(&requests), sent, "{case}");
        if let [first, second] = &requests[..] {
            assert_eq!(first.body, second.body, "{case}: the same request again");
        }
    }
}

#[tokio::test]
async fn a_401_is_retried_only_for_iam_tokens() {
    let service = service_accepting(None).await;
    let held = Runtime::builder()
        .credentials(Credentials::Token(Secret::new("token-held-by-the-user")))
        .build()
        .unwrap();
    let signed = Runtime::builder()
        .credentials(Credentials::aksk(
            TEST_AK,
            "replay-secret-key-for-local-tests-only",
        ))
        .project_id(TEST_PROJECT)
        .build()
        .unwrap();
    for runtime in [held, signed] {
        let before = service.received_requests().await.unwrap().len();
        let outcome = call(&Client::with_runtime(&service.uri(), runtime), Op::Read).await;
        assert!(outcome.unwrap_err().contains("unexpected status 401"));
        assert_eq!(service.received_requests().await.unwrap().len(), before + 1);
    }
}

#[tokio::test]
async fn concurrent_calls_make_one_token_request_whatever_iam_answers() {
    let calls = 100;
    // (IAM's answer, its delay, the runtime's timeout) -> (calls that succeed, part of each
    // error). All end within one timeout: the bound below is far less than one per caller.
    let cases: [(ResponseTemplate, Duration, usize, &str); 3] = [
        (
            issue("t1", in_an_hour()),
            Duration::from_secs(10),
            calls,
            "",
        ),
        (
            ResponseTemplate::new(500).set_body_raw("IAM is down", "text/plain"),
            Duration::from_secs(10),
            0,
            "IAM refused the token request",
        ),
        // Hanging until the runtime's timeout.
        (
            ResponseTemplate::new(201).set_delay(Duration::from_secs(30)),
            Duration::from_millis(300),
            0,
            "IAM token request to http://",
        ),
    ];
    for (answer, timeout, succeeded, error) in cases {
        let iam = iam_answering(vec![answer]).await;
        let service = service_accepting(Some("t1")).await;
        let client = Client::with_runtime(&service.uri(), iam_runtime(&iam, timeout));
        let outcomes = tokio::time::timeout(
            Duration::from_secs(5),
            join_all((0..calls).map(|_| call(&client, Op::Read))),
        )
        .await
        .expect("every call ended");
        for outcome in &outcomes {
            assert_no_secret(outcome);
            if let Err(message) = outcome {
                assert!(message.contains(error), "{message}");
            }
        }
        assert_eq!(
            outcomes.iter().filter(|o| o.is_ok()).count(),
            succeeded,
            "{error}"
        );
        assert_eq!(iam.received_requests().await.unwrap().len(), 1, "{error}");
        assert_eq!(service.received_requests().await.unwrap().len(), succeeded);
    }
}

#[tokio::test]
async fn a_token_is_fetched_once_whatever_expiry_iam_gives() {
    let at = |offset: chrono::Duration| Some((chrono::Utc::now() + offset).to_rfc3339());
    // Shorter than the renewal margin, already past (a skewed clock), none, a long one; a body
    // too long to read (its expiry is then unknown).
    let answers = [
        ("1 minute", issue("t1", at(chrono::Duration::minutes(1)))),
        ("past", issue("t1", at(chrono::Duration::hours(-1)))),
        ("none", issue("t1", None)),
        (
            "a century",
            issue("t1", at(chrono::Duration::days(365 * 100))),
        ),
        (
            "5 MiB of body",
            ResponseTemplate::new(201)
                .insert_header("x-subject-token", "t1")
                .set_body_raw(vec![b' '; 5 << 20], "application/json"),
        ),
    ];
    for (expires_at, answer) in answers {
        let iam = iam_answering(vec![answer]).await;
        let service = service_accepting(Some("t1")).await;
        let client =
            Client::with_runtime(&service.uri(), iam_runtime(&iam, Duration::from_secs(10)));
        for _ in 0..3 {
            call(&client, Op::Read).await.unwrap();
        }
        assert_eq!(
            iam.received_requests().await.unwrap().len(),
            1,
            "{expires_at:?}"
        );
    }
}
