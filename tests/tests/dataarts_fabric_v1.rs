//! DataArts Fabric v1 SQL sessions and statements, replayed from the docs' examples. Every
//! operation documents the same error statuses with the common error body; the 403 example is an
//! API Gateway body with a numeric `error_code`.

use dataarts_fabric_v1::{
    Client, Error, Phase,
    types::{
        ExecutionStatus, FabricError, FabricErrorCode, KnownResultsetFetchMode, KnownSessionStatus,
        KnownStatementStatus, LakeFormationInfo, SessionStatus, SqlSession, SqlSessionList,
        StatementExecution, StatementRecordList, StatementResult, StatementStatus,
    },
};
use replay::{
    ResponseValue, expect_unexpected_status, replay_err, replay_errs, replay_ok, serve_undeclared,
};

const WORKSPACE: &str = "0d8b1c0e-3f4a-4b8e-9c1d-2a6e5f7b8c9d";
const SESSION: &str = "5f2a9c3e-7b1d-4e6f-8a9b-0c1d2e3f4a5b";
const STATEMENT: &str = "stmt_20250915_000001";
const ENDPOINT: &str = "3c2e1f0a-8b7d-4c6e-9f5a-1b2c3d4e5f60";

type Reply<T> = Result<ResponseValue<T>, Error<FabricError>>;

/// Checks the error codes every operation's error cassettes (400, 401, 403, 404, 408, 500) carry.
fn assert_common_errors(errors: &[FabricError]) {
    let codes: Vec<_> = errors.iter().map(|e| e.error_code.clone()).collect();
    let text = |c: &str| Some(FabricErrorCode::String(c.to_owned()));
    assert_eq!(
        codes,
        [
            text("common.01000001"),
            text("APIG.1002"),
            Some(FabricErrorCode::Int64(403)),
            text("common.01000001"),
            text("common.00000408"),
            text("common.00000500"),
        ]
    );
}

async fn create(url: String) -> Reply<SqlSession> {
    let lake_formation: LakeFormationInfo = LakeFormationInfo::builder()
        .instance_id("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")
        .catalog("hive")
        .try_into()
        .unwrap();
    Client::with_runtime(&url, replay::runtime())
        .create_sql_session()
        .workspace_id(WORKSPACE)
        .body_map(|b| {
            b.endpoint_id(ENDPOINT)
                .lake_formation_config(lake_formation)
                .wait_timeout(Some(600))
        })
        .send()
        .await
}

#[tokio::test]
async fn create_sql_session_200_returns_the_running_session() {
    let session = replay_ok("dataarts-fabric-v1/create_sql_session.200", create).await;
    assert_eq!(session.session_id.as_deref(), Some(SESSION));
    assert_eq!(
        session.status,
        Some(SessionStatus::from(KnownSessionStatus::Running))
    );
}

#[tokio::test]
async fn create_sql_session_errors_are_typed() {
    let errors = replay_errs(
        &[
            "dataarts-fabric-v1/create_sql_session.400",
            "dataarts-fabric-v1/create_sql_session.401",
            "dataarts-fabric-v1/create_sql_session.403",
            "dataarts-fabric-v1/create_sql_session.404",
            "dataarts-fabric-v1/create_sql_session.408",
            "dataarts-fabric-v1/create_sql_session.500",
        ],
        create,
    )
    .await;
    assert_common_errors(&errors);
}

#[test]
fn create_sql_session_refuses_a_catalog_outside_the_documented_characters() {
    let result: Result<LakeFormationInfo, _> = LakeFormationInfo::builder()
        .instance_id("i-1")
        .catalog("hive.db")
        .try_into();
    assert!(result.is_err());
}

async fn list_sessions(url: String) -> Reply<SqlSessionList> {
    Client::with_runtime(&url, replay::runtime())
        .list_sql_sessions()
        .workspace_id(WORKSPACE)
        .status(KnownSessionStatus::Running)
        .limit(10u32)
        .offset(0u64)
        .send()
        .await
}

#[tokio::test]
async fn list_sql_sessions_200_reads_the_sessions() {
    let value = replay_ok("dataarts-fabric-v1/list_sql_sessions.200", list_sessions).await;
    assert_eq!(value.total, Some(1));
    assert_eq!(
        value.sessions.unwrap()[0].session_id.as_deref(),
        Some(SESSION)
    );
}

#[tokio::test]
async fn list_sql_sessions_survives_an_unlisted_status_and_unknown_fields() {
    let value = replay_ok(
        "dataarts-fabric-v1/list_sql_sessions.200.service-drift",
        |url: String| async move {
            Client::with_runtime(&url, replay::runtime())
                .list_sql_sessions()
                .workspace_id(WORKSPACE)
                .send()
                .await
        },
    )
    .await;
    let sessions = value.sessions.unwrap();
    assert_eq!(
        sessions[1].status,
        Some(SessionStatus::Other("TERMINATING".into()))
    );
}

#[tokio::test]
async fn list_sql_sessions_errors_are_typed() {
    let errors = replay_errs(
        &[
            "dataarts-fabric-v1/list_sql_sessions.400",
            "dataarts-fabric-v1/list_sql_sessions.401",
            "dataarts-fabric-v1/list_sql_sessions.403",
            "dataarts-fabric-v1/list_sql_sessions.404",
            "dataarts-fabric-v1/list_sql_sessions.408",
            "dataarts-fabric-v1/list_sql_sessions.500",
        ],
        list_sessions,
    )
    .await;
    assert_common_errors(&errors);
}

async fn show_session(url: String) -> Reply<SqlSession> {
    Client::with_runtime(&url, replay::runtime())
        .show_sql_session()
        .workspace_id(WORKSPACE)
        .session_id(SESSION)
        .send()
        .await
}

#[tokio::test]
async fn show_sql_session_200_accepts_a_36_character_id_the_table_caps_at_32() {
    let session = replay_ok("dataarts-fabric-v1/show_sql_session.200", show_session).await;
    assert_eq!(session.session_id.as_deref().map(str::len), Some(36));
}

#[tokio::test]
async fn show_sql_session_errors_are_typed() {
    let errors = replay_errs(
        &[
            "dataarts-fabric-v1/show_sql_session.400",
            "dataarts-fabric-v1/show_sql_session.401",
            "dataarts-fabric-v1/show_sql_session.403",
            "dataarts-fabric-v1/show_sql_session.404",
            "dataarts-fabric-v1/show_sql_session.408",
            "dataarts-fabric-v1/show_sql_session.500",
        ],
        show_session,
    )
    .await;
    assert_common_errors(&errors);
}

async fn close(url: String) -> Reply<()> {
    Client::with_runtime(&url, replay::runtime())
        .close_sql_session()
        .workspace_id(WORKSPACE)
        .session_id(SESSION)
        .send()
        .await
}

#[tokio::test]
async fn close_sql_session_200_has_no_body() {
    replay_ok("dataarts-fabric-v1/close_sql_session.200", close).await;
}

#[tokio::test]
async fn close_sql_session_errors_are_typed() {
    let errors = replay_errs(
        &[
            "dataarts-fabric-v1/close_sql_session.400",
            "dataarts-fabric-v1/close_sql_session.401",
            "dataarts-fabric-v1/close_sql_session.403",
            "dataarts-fabric-v1/close_sql_session.404",
            "dataarts-fabric-v1/close_sql_session.408",
            "dataarts-fabric-v1/close_sql_session.500",
        ],
        close,
    )
    .await;
    assert_common_errors(&errors);
}

async fn execute(url: String) -> Reply<StatementExecution> {
    Client::with_runtime(&url, replay::runtime())
        .execute_sql_statement()
        .workspace_id(WORKSPACE)
        .body_map(|b| {
            b.statement("select * from orders where id = ?")
                .session_id(SESSION)
                .bindings(vec![vec!["1001".to_owned()]])
                .is_sync(Some(false))
                .limit(Some(100))
                .resultset_fetch_mode(Some(KnownResultsetFetchMode::Default.into()))
        })
        .send()
        .await
}

#[tokio::test]
async fn execute_sql_statement_200_reads_the_running_statement() {
    match replay_ok("dataarts-fabric-v1/execute_sql_statement.200", execute).await {
        StatementExecution::StatementResponse(response) => {
            assert_eq!(response.status, Some(ExecutionStatus(1)));
            assert_eq!(response.status.map(|s| s.phase()), Some(Phase::Running));
            assert_eq!(response.statement_id.as_deref(), Some(STATEMENT));
        }
        other => panic!("expected the JSON object, got {other:?}"),
    }
}

#[tokio::test]
async fn execute_sql_statement_errors_are_typed() {
    let errors = replay_errs(
        &[
            "dataarts-fabric-v1/execute_sql_statement.400",
            "dataarts-fabric-v1/execute_sql_statement.401",
            "dataarts-fabric-v1/execute_sql_statement.403",
            "dataarts-fabric-v1/execute_sql_statement.404",
            "dataarts-fabric-v1/execute_sql_statement.408",
            "dataarts-fabric-v1/execute_sql_statement.500",
        ],
        execute,
    )
    .await;
    assert_common_errors(&errors);
}

async fn result(url: String) -> Reply<StatementResult> {
    Client::with_runtime(&url, replay::runtime())
        .show_sql_statement_result()
        .workspace_id(WORKSPACE)
        .session_id(SESSION)
        .statement_id(STATEMENT)
        .page_num(1u32)
        .is_enable_obs_path(false)
        .send()
        .await
}

#[tokio::test]
async fn show_sql_statement_result_200_reads_the_statement() {
    match replay_ok("dataarts-fabric-v1/show_sql_statement_result.200", result).await {
        StatementResult::Statement(statement) => {
            assert_eq!(
                statement.status,
                Some(StatementStatus::from(KnownStatementStatus::Successful))
            );
            assert_eq!(statement.num_rows, Some(2));
            assert_eq!(statement.schema.unwrap()[1]["name"], "amount");
        }
        other => panic!("expected the JSON object, got {other:?}"),
    }
}

#[tokio::test]
async fn show_sql_statement_result_accepts_the_declared_string_body() {
    let value = replay_ok(
        "dataarts-fabric-v1/show_sql_statement_result.200.declared-string",
        |url: String| async move {
            Client::with_runtime(&url, replay::runtime())
                .show_sql_statement_result()
                .workspace_id(WORKSPACE)
                .session_id(SESSION)
                .statement_id(STATEMENT)
                .send()
                .await
        },
    )
    .await;
    assert_eq!(
        value,
        StatementResult::Raw("statement stmt_20250915_000001 is still running".into())
    );
}

#[tokio::test]
async fn show_sql_statement_result_errors_are_typed() {
    let errors = replay_errs(
        &[
            "dataarts-fabric-v1/show_sql_statement_result.400",
            "dataarts-fabric-v1/show_sql_statement_result.401",
            "dataarts-fabric-v1/show_sql_statement_result.403",
            "dataarts-fabric-v1/show_sql_statement_result.404",
            "dataarts-fabric-v1/show_sql_statement_result.408",
            "dataarts-fabric-v1/show_sql_statement_result.500",
        ],
        result,
    )
    .await;
    assert_common_errors(&errors);
}

async fn list_session_records(url: String) -> Reply<StatementRecordList> {
    Client::with_runtime(&url, replay::runtime())
        .list_session_statement_records()
        .workspace_id(WORKSPACE)
        .session_id(SESSION)
        .limit(10u32)
        .offset(0u64)
        .status(KnownStatementStatus::Successful)
        .send()
        .await
}

#[tokio::test]
async fn list_session_statement_records_200_reads_the_records() {
    let value = replay_ok(
        "dataarts-fabric-v1/list_session_statement_records.200",
        list_session_records,
    )
    .await;
    let record = &value.records.unwrap()[0];
    assert_eq!(
        record.status,
        Some(StatementStatus::from(KnownStatementStatus::Successful))
    );
}

#[tokio::test]
async fn list_session_statement_records_errors_are_typed() {
    let errors = replay_errs(
        &[
            "dataarts-fabric-v1/list_session_statement_records.400",
            "dataarts-fabric-v1/list_session_statement_records.401",
            "dataarts-fabric-v1/list_session_statement_records.403",
            "dataarts-fabric-v1/list_session_statement_records.404",
            "dataarts-fabric-v1/list_session_statement_records.408",
            "dataarts-fabric-v1/list_session_statement_records.500",
        ],
        list_session_records,
    )
    .await;
    assert_common_errors(&errors);
}

async fn list_records(url: String) -> Reply<StatementRecordList> {
    Client::with_runtime(&url, replay::runtime())
        .list_statement_records()
        .workspace_id(WORKSPACE)
        .limit(10u32)
        .offset(0u64)
        .source(0u32)
        .send()
        .await
}

#[tokio::test]
async fn list_statement_records_200_reads_the_records() {
    let value = replay_ok(
        "dataarts-fabric-v1/list_statement_records.200",
        list_records,
    )
    .await;
    assert_eq!(value.total, Some(1));
    assert_eq!(
        value.records.unwrap()[0].statement_id.as_deref(),
        Some(STATEMENT)
    );
}

#[tokio::test]
async fn list_statement_records_errors_are_typed() {
    let errors = replay_errs(
        &[
            "dataarts-fabric-v1/list_statement_records.400",
            "dataarts-fabric-v1/list_statement_records.401",
            "dataarts-fabric-v1/list_statement_records.403",
            "dataarts-fabric-v1/list_statement_records.404",
            "dataarts-fabric-v1/list_statement_records.408",
            "dataarts-fabric-v1/list_statement_records.500",
        ],
        list_records,
    )
    .await;
    assert_common_errors(&errors);
}

async fn cancel(url: String) -> Result<ResponseValue<()>, Error<FabricError>> {
    Client::with_runtime(&url, replay::runtime())
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
