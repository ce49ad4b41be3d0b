//! DataArts Fabric v1 `cancel_sql_statement`, replayed from the docs' examples.

use dataarts_fabric_v1::{Client, Error, types::FabricError, types::FabricErrorCode};
use replay::{ResponseValue, expect_unexpected_status, replay_err, replay_ok, serve_undeclared};

const WORKSPACE: &str = "0d8b1c0e-3f4a-4b8e-9c1d-2a6e5f7b8c9d";
const SESSION: &str = "5f2a9c3e-7b1d-4e6f-8a9b-0c1d2e3f4a5b";
const STATEMENT: &str = "stmt_20250915_000001";

async fn cancel(url: String) -> Result<ResponseValue<()>, Error<FabricError>> {
    Client::new(&url)
        .cancel_sql_statement()
        .workspace_id(WORKSPACE)
        .session_id(SESSION)
        .statement_id(STATEMENT)
        .send()
        .await
}

#[tokio::test]
async fn cancel_sql_statement_200_has_an_empty_body() {
    replay_ok("dataarts-fabric-v1/cancel_sql_statement.200", cancel).await;
}

/// Replays an error cassette and checks the two documented fields.
async fn replay_error(cassette: &str, code: FabricErrorCode, message: &str) -> FabricError {
    let error = replay_err(cassette, cancel).await;
    assert_eq!(error.error_code, Some(code));
    assert_eq!(error.error_msg.as_deref(), Some(message));
    error
}

fn code(text: &str) -> FabricErrorCode {
    FabricErrorCode::String(text.to_owned())
}

#[tokio::test]
async fn cancel_sql_statement_400() {
    replay_error(
        "dataarts-fabric-v1/cancel_sql_statement.400",
        code("common.01000001"),
        "failed to read http request, please check your input, code: 400, reason: Type mismatch., cause: TypeMismatchException",
    )
    .await;
}

#[tokio::test]
async fn cancel_sql_statement_401() {
    let message = "Incorrect token or token resolution failed";
    replay_error(
        "dataarts-fabric-v1/cancel_sql_statement.401",
        code("APIG.1002"),
        message,
    )
    .await;
}

#[tokio::test]
async fn cancel_sql_statement_403_gateway_body_with_numeric_code() {
    let message = "X-Auth-Token is invalid in the request";
    let cassette = "dataarts-fabric-v1/cancel_sql_statement.403";
    let error = replay_error(cassette, FabricErrorCode::Int64(403), message).await;
    assert_eq!(error.title.as_deref(), Some("Forbidden"));
    let detail = error.error.expect("nested gateway error");
    assert_eq!(detail.code.as_deref(), Some("403"));
    assert_eq!(detail.title.as_deref(), Some("Forbidden"));
}

#[tokio::test]
async fn cancel_sql_statement_404() {
    let message = "response status exception, code: 404";
    replay_error(
        "dataarts-fabric-v1/cancel_sql_statement.404",
        code("common.01000001"),
        message,
    )
    .await;
}

#[tokio::test]
async fn cancel_sql_statement_408() {
    let message = "timeout exception occurred";
    replay_error(
        "dataarts-fabric-v1/cancel_sql_statement.408",
        code("common.00000408"),
        message,
    )
    .await;
}

#[tokio::test]
async fn cancel_sql_statement_500() {
    let message = "internal error";
    replay_error(
        "dataarts-fabric-v1/cancel_sql_statement.500",
        code("common.00000500"),
        message,
    )
    .await;
}

#[tokio::test]
async fn undeclared_status_is_an_unexpected_response_error() {
    let server = serve_undeclared(502).await;
    expect_unexpected_status(cancel(server.uri()).await, 502);
}
