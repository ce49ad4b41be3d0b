//! MRS v2 `cancel_sql`, replayed from the docs' examples.

use mrs_v2::{Client, Error, types::SqlCancelResult, types::SqlCancelStatus};
use replay::{ResponseValue, expect_unexpected_status, replay_err, replay_ok, serve_undeclared};

const PROJECT: &str = "37caa80116e1403ab603e5eeb48a2f74";
const CLUSTER: &str = "ef7b54f2-3d92-49b2-a6d7-94607e1ea7df";
const SQL: &str = "20190909_011820_00151_xxxxx";

async fn cancel(url: String) -> Result<ResponseValue<SqlCancelResult>, Error<SqlCancelResult>> {
    Client::new(&url)
        .cancel_sql()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .sql_id(SQL)
        .send()
        .await
}

#[tokio::test]
async fn cancel_sql_200_succeeds() {
    let value = replay_ok("mrs-v2/cancel_sql.200", cancel).await;
    assert_eq!(value.status, Some(SqlCancelStatus::Succeed));
    assert_eq!(value.message, None);
}

#[tokio::test]
async fn cancel_sql_400_carries_the_failed_status() {
    let error = replay_err("mrs-v2/cancel_sql.400", cancel).await;
    assert_eq!(error.status, Some(SqlCancelStatus::Failed));
    assert_eq!(error.message.as_deref(), Some("Cancel sql error"));
}

#[tokio::test]
async fn cancel_sql_500_of_the_older_docs_decodes_the_same_body() {
    let error = replay_err("mrs-v2/cancel_sql.500", cancel).await;
    assert_eq!(error.status, Some(SqlCancelStatus::Failed));
    assert_eq!(error.message.as_deref(), Some("Cancel sql error"));
}

#[tokio::test]
async fn undeclared_status_is_an_unexpected_response_error() {
    let server = serve_undeclared(503).await;
    expect_unexpected_status(cancel(server.uri()).await, 503);
}
