//! A status no crate's docs list, answered by a gateway with an HTML page: every crate's client
//! gives the runtime's readable error naming the status and quoting the body, bounded.

use replay::{
    Erased, ErasedCall, erase, expect_unexpected_status,
    ids::{CLUSTER, EXECUTION, JOB, PROJECT, SESSION, SQL_ID, STATEMENT, WORKSPACE},
    serve_undeclared, untyped,
};

/// A call in flight, its outcome erased (see `replay::erase`).
type Sent = std::pin::Pin<Box<dyn Future<Output = Erased<()>>>>;

fn dli_v1_cancel(url: String) -> Sent {
    untyped(erase(async move {
        dli_v1::Client::with_runtime(&url, replay::runtime())
            .cancel_sql_job()
            .project_id(PROJECT)
            .job_id(JOB)
            .send()
            .await
    }))
}

fn mrs_v1_1_cancel(url: String) -> Sent {
    untyped(erase(async move {
        mrs_v1_1::Client::with_runtime(&url, replay::runtime())
            .cancel_job_execution()
            .project_id(PROJECT)
            .job_execution_id(EXECUTION)
            .send()
            .await
    }))
}

fn mrs_v2_cancel(url: String) -> Sent {
    untyped(erase(async move {
        mrs_v2::Client::with_runtime(&url, replay::runtime())
            .cancel_sql()
            .project_id(PROJECT)
            .cluster_id(CLUSTER)
            .sql_id(SQL_ID)
            .send()
            .await
    }))
}

fn dataarts_fabric_v1_cancel(url: String) -> Sent {
    untyped(erase(async move {
        dataarts_fabric_v1::Client::with_runtime(&url, replay::runtime())
            .cancel_sql_statement()
            .workspace_id(WORKSPACE)
            .session_id(SESSION)
            .statement_id(STATEMENT)
            .send()
            .await
    }))
}

#[tokio::test]
async fn an_undeclared_status_is_the_runtimes_unexpected_status_error_in_every_crate() {
    let table: &[(&str, u16, ErasedCall<()>)] = &[
        ("dli-v1 cancel_sql_job", 502, dli_v1_cancel),
        ("mrs-v1-1 cancel_job_execution", 503, mrs_v1_1_cancel),
        ("mrs-v2 cancel_sql", 502, mrs_v2_cancel),
        (
            "dataarts-fabric-v1 cancel_sql_statement",
            502,
            dataarts_fabric_v1_cancel,
        ),
    ];
    for (call, status, send) in table {
        let server = serve_undeclared(*status).await;
        let message = expect_unexpected_status(send(server.uri()).await, *status);
        assert!(message.contains("cancel"), "{call}: {message}");
    }
}
