//! DataArts Fabric v1 `cancel_sql_statement`, replayed from the docs' examples.

use dataarts_fabric_v1::{Client, types::FabricErrorCode};
use replay::{Replay, expect_error_response, expect_unexpected_status, serve_undeclared};

const WORKSPACE: &str = "0d8b1c0e-3f4a-4b8e-9c1d-2a6e5f7b8c9d";
const SESSION: &str = "5f2a9c3e-7b1d-4e6f-8a9b-0c1d2e3f4a5b";
const STATEMENT: &str = "stmt_20250915_000001";

async fn cancel(
    url: &str,
) -> Result<
    replay::ResponseValue<()>,
    dataarts_fabric_v1::Error<dataarts_fabric_v1::types::FabricError>,
> {
    Client::new(url)
        .cancel_sql_statement()
        .workspace_id(WORKSPACE)
        .session_id(SESSION)
        .statement_id(STATEMENT)
        .send()
        .await
}

#[tokio::test]
async fn cancel_sql_statement_200_has_an_empty_body() {
    let replay = Replay::start("dataarts-fabric-v1/cancel_sql_statement.200").await;
    let result = cancel(&replay.url()).await;
    replay.assert_request().await;
    let response = result.expect("an empty 200 is success");
    assert_eq!(response.status().as_u16(), 200);
}

/// Replays an error cassette and checks the typed error against the recording.
async fn replay_error(
    cassette: &str,
    code: FabricErrorCode,
    message: &str,
) -> dataarts_fabric_v1::types::FabricError {
    let replay = Replay::start(cassette).await;
    let status = replay.cassette.response.status;
    let error = expect_error_response(cancel(&replay.url()).await, status);
    replay.assert_request().await;
    assert_eq!(error.error_code, Some(code));
    assert_eq!(error.error_msg.as_deref(), Some(message));
    replay.assert_decoded(&error);
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
    replay_error(
        "dataarts-fabric-v1/cancel_sql_statement.401",
        code("APIG.1002"),
        "Incorrect token or token resolution failed",
    )
    .await;
}

#[tokio::test]
async fn cancel_sql_statement_403_gateway_body_with_numeric_code() {
    let error = replay_error(
        "dataarts-fabric-v1/cancel_sql_statement.403",
        FabricErrorCode::Int64(403),
        "X-Auth-Token is invalid in the request",
    )
    .await;
    assert_eq!(error.title.as_deref(), Some("Forbidden"));
    let detail = error.error.expect("nested gateway error");
    assert_eq!(detail.code.as_deref(), Some("403"));
    assert_eq!(detail.title.as_deref(), Some("Forbidden"));
}

#[tokio::test]
async fn cancel_sql_statement_404() {
    replay_error(
        "dataarts-fabric-v1/cancel_sql_statement.404",
        code("common.01000001"),
        "response status exception, code: 404",
    )
    .await;
}

#[tokio::test]
async fn cancel_sql_statement_408() {
    replay_error(
        "dataarts-fabric-v1/cancel_sql_statement.408",
        code("common.00000408"),
        "timeout exception occurred",
    )
    .await;
}

#[tokio::test]
async fn cancel_sql_statement_500() {
    replay_error(
        "dataarts-fabric-v1/cancel_sql_statement.500",
        code("common.00000500"),
        "internal error",
    )
    .await;
}

#[tokio::test]
async fn undeclared_status_is_an_unexpected_response_error() {
    let server = serve_undeclared(502).await;
    expect_unexpected_status(cancel(&server.uri()).await, 502);
}
