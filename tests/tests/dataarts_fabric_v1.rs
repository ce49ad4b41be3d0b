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
use replay::ids::{ENDPOINT, SESSION, STATEMENT, WORKSPACE};
use replay::{ErrorRow, ResponseValue, erase, replay_err, replay_error_table, replay_ok};

type Reply<T> = Result<ResponseValue<T>, Error<FabricError>>;

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

#[tokio::test]
async fn cancel_sql_statement_403_gateway_body_with_numeric_code() {
    let error = replay_err("dataarts-fabric-v1/cancel_sql_statement.403", cancel).await;
    assert_eq!(error.error_code, Some(FabricErrorCode::Int64(403)));
    assert_eq!(error.title.as_deref(), Some("Forbidden"));
    let detail = error.error.expect("nested gateway error");
    assert_eq!(detail.code.as_deref(), Some("403"));
    assert_eq!(detail.title.as_deref(), Some("Forbidden"));
}

/// What every operation answers, per documented error status (the 403 is API Gateway's body,
/// its code a number).
const E400: (&str, &str) = (
    "common.01000001",
    "failed to read http request, please check your input, code: 400, reason: Type mismatch., cause: TypeMismatchException",
);
const E401: (&str, &str) = ("APIG.1002", "Incorrect token or token resolution failed");
const E403: (&str, &str) = ("403 (a number)", "X-Auth-Token is invalid in the request");
const E404: (&str, &str) = ("common.01000001", "response status exception, code: 404");
const E408: (&str, &str) = ("common.00000408", "timeout exception occurred");
const E500: (&str, &str) = ("common.00000500", "internal error");

/// The code (a number said so) and message of a DataArts Fabric error.
fn said(error: &FabricError) -> (String, String) {
    let code = match &error.error_code {
        Some(FabricErrorCode::String(code)) => code.clone(),
        Some(FabricErrorCode::Int64(code)) => format!("{code} (a number)"),
        None => String::new(),
    };
    (code, error.error_msg.clone().unwrap_or_default())
}
/// Every documented error status of every operation whose error is `FabricError`: the exact
/// request asserted, the typed error checked against the recorded body, and the code and
/// message it carries.
#[tokio::test]
async fn every_documented_error_is_typed() {
    #[rustfmt::skip]
    let table: &[ErrorRow<FabricError>] = &[
        ("dataarts-fabric-v1/create_sql_session.400", |url| erase(create(url)), E400),
        ("dataarts-fabric-v1/create_sql_session.401", |url| erase(create(url)), E401),
        ("dataarts-fabric-v1/create_sql_session.403", |url| erase(create(url)), E403),
        ("dataarts-fabric-v1/create_sql_session.404", |url| erase(create(url)), E404),
        ("dataarts-fabric-v1/create_sql_session.408", |url| erase(create(url)), E408),
        ("dataarts-fabric-v1/create_sql_session.500", |url| erase(create(url)), E500),
        ("dataarts-fabric-v1/list_sql_sessions.400", |url| erase(list_sessions(url)), E400),
        ("dataarts-fabric-v1/list_sql_sessions.401", |url| erase(list_sessions(url)), E401),
        ("dataarts-fabric-v1/list_sql_sessions.403", |url| erase(list_sessions(url)), E403),
        ("dataarts-fabric-v1/list_sql_sessions.404", |url| erase(list_sessions(url)), E404),
        ("dataarts-fabric-v1/list_sql_sessions.408", |url| erase(list_sessions(url)), E408),
        ("dataarts-fabric-v1/list_sql_sessions.500", |url| erase(list_sessions(url)), E500),
        ("dataarts-fabric-v1/show_sql_session.400", |url| erase(show_session(url)), E400),
        ("dataarts-fabric-v1/show_sql_session.401", |url| erase(show_session(url)), E401),
        ("dataarts-fabric-v1/show_sql_session.403", |url| erase(show_session(url)), E403),
        ("dataarts-fabric-v1/show_sql_session.404", |url| erase(show_session(url)), E404),
        ("dataarts-fabric-v1/show_sql_session.408", |url| erase(show_session(url)), E408),
        ("dataarts-fabric-v1/show_sql_session.500", |url| erase(show_session(url)), E500),
        ("dataarts-fabric-v1/close_sql_session.400", |url| erase(close(url)), E400),
        ("dataarts-fabric-v1/close_sql_session.401", |url| erase(close(url)), E401),
        ("dataarts-fabric-v1/close_sql_session.403", |url| erase(close(url)), E403),
        ("dataarts-fabric-v1/close_sql_session.404", |url| erase(close(url)), E404),
        ("dataarts-fabric-v1/close_sql_session.408", |url| erase(close(url)), E408),
        ("dataarts-fabric-v1/close_sql_session.500", |url| erase(close(url)), E500),
        ("dataarts-fabric-v1/execute_sql_statement.400", |url| erase(execute(url)), E400),
        ("dataarts-fabric-v1/execute_sql_statement.401", |url| erase(execute(url)), E401),
        ("dataarts-fabric-v1/execute_sql_statement.403", |url| erase(execute(url)), E403),
        ("dataarts-fabric-v1/execute_sql_statement.404", |url| erase(execute(url)), E404),
        ("dataarts-fabric-v1/execute_sql_statement.408", |url| erase(execute(url)), E408),
        ("dataarts-fabric-v1/execute_sql_statement.500", |url| erase(execute(url)), E500),
        ("dataarts-fabric-v1/show_sql_statement_result.400", |url| erase(result(url)), E400),
        ("dataarts-fabric-v1/show_sql_statement_result.401", |url| erase(result(url)), E401),
        ("dataarts-fabric-v1/show_sql_statement_result.403", |url| erase(result(url)), E403),
        ("dataarts-fabric-v1/show_sql_statement_result.404", |url| erase(result(url)), E404),
        ("dataarts-fabric-v1/show_sql_statement_result.408", |url| erase(result(url)), E408),
        ("dataarts-fabric-v1/show_sql_statement_result.500", |url| erase(result(url)), E500),
        ("dataarts-fabric-v1/list_session_statement_records.400", |url| erase(list_session_records(url)),
            E400),
        ("dataarts-fabric-v1/list_session_statement_records.401", |url| erase(list_session_records(url)),
            E401),
        ("dataarts-fabric-v1/list_session_statement_records.403", |url| erase(list_session_records(url)),
            E403),
        ("dataarts-fabric-v1/list_session_statement_records.404", |url| erase(list_session_records(url)),
            E404),
        ("dataarts-fabric-v1/list_session_statement_records.408", |url| erase(list_session_records(url)),
            E408),
        ("dataarts-fabric-v1/list_session_statement_records.500", |url| erase(list_session_records(url)),
            E500),
        ("dataarts-fabric-v1/list_statement_records.400", |url| erase(list_records(url)), E400),
        ("dataarts-fabric-v1/list_statement_records.401", |url| erase(list_records(url)), E401),
        ("dataarts-fabric-v1/list_statement_records.403", |url| erase(list_records(url)), E403),
        ("dataarts-fabric-v1/list_statement_records.404", |url| erase(list_records(url)), E404),
        ("dataarts-fabric-v1/list_statement_records.408", |url| erase(list_records(url)), E408),
        ("dataarts-fabric-v1/list_statement_records.500", |url| erase(list_records(url)), E500),
        ("dataarts-fabric-v1/cancel_sql_statement.400", |url| erase(cancel(url)), E400),
        ("dataarts-fabric-v1/cancel_sql_statement.401", |url| erase(cancel(url)), E401),
        ("dataarts-fabric-v1/cancel_sql_statement.404", |url| erase(cancel(url)), E404),
        ("dataarts-fabric-v1/cancel_sql_statement.408", |url| erase(cancel(url)), E408),
        ("dataarts-fabric-v1/cancel_sql_statement.403", |url| erase(cancel(url)), E403),
        ("dataarts-fabric-v1/cancel_sql_statement.500", |url| erase(cancel(url)), E500),
    ];
    replay_error_table(table, said).await;
}
