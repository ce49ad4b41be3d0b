//! The job phase every service shares: each status value the specs map with `x-phase`, through
//! the generated `.phase()` of the status enum and of its open wrapper, and a value no doc lists
//! kept as text. One `match` serves jobs and statements of every crate.

use cloud_runtime::Phase;

/// What a caller writes once for DLI, MRS and DataArts Fabric alike.
fn summary(phase: &Phase) -> &'static str {
    match phase {
        Phase::Queued | Phase::Running => "in progress",
        Phase::Succeeded => "done",
        Phase::Failed | Phase::Cancelled => "stopped without a result",
        Phase::Unknown(_) => "ask the service",
    }
}

#[test]
fn every_mapped_status_value_has_its_phase_in_every_crate() {
    use dataarts_fabric_v1::types::{KnownStatementStatus as Fabric, StatementStatus};
    use dli_v1::types::{KnownSqlJobStatus as Dli, SqlJobStatus};
    use dli_v2::types::{KnownSparkJobState as Spark, SparkJobState};
    use mrs_v2::types::{JobResult, KnownJobResult as MrsJob, KnownSqlStatus as MrsSql, SqlStatus};

    let dli = [
        (Dli::Launching, Phase::Queued),
        (Dli::Running, Phase::Running),
        (Dli::Scaling, Phase::Running),
        (Dli::Finished, Phase::Succeeded),
        (Dli::Failed, Phase::Failed),
        (Dli::Cancelled, Phase::Cancelled),
    ];
    for (value, phase) in dli {
        assert_eq!(value.phase(), phase, "{value}");
        assert_eq!(
            SqlJobStatus::from(value).phase(),
            phase,
            "{value} in its open enum"
        );
    }
    let spark = [
        (Spark::Starting, Phase::Queued),
        (Spark::Running, Phase::Running),
        (Spark::Recovering, Phase::Running),
        (Spark::Success, Phase::Succeeded),
        (Spark::Dead, Phase::Failed),
    ];
    for (value, phase) in spark {
        assert_eq!(SparkJobState::from(value).phase(), phase, "{value}");
    }
    // No DLI page or SDK model lists a state for a cancelled batch (Livy's `killed`): a word
    // the docs do not list is kept, and its phase is unknown.
    assert_eq!(
        SparkJobState::Other("killed".into()).phase(),
        Phase::Unknown("killed".into())
    );
    let mrs_sql = [
        (MrsSql::Queued, Phase::Queued),
        (MrsSql::WaitingForResources, Phase::Queued),
        (MrsSql::Planning, Phase::Running),
        (MrsSql::Starting, Phase::Running),
        (MrsSql::Running, Phase::Running),
        (MrsSql::Finishing, Phase::Running),
        (MrsSql::Finished, Phase::Succeeded),
        (MrsSql::Failed, Phase::Failed),
    ];
    for (value, phase) in mrs_sql {
        assert_eq!(SqlStatus::from(value).phase(), phase, "{value}");
    }
    let mrs_job = [
        (MrsJob::Undefined, Phase::Running),
        (MrsJob::Succeeded, Phase::Succeeded),
        (MrsJob::Failed, Phase::Failed),
        (MrsJob::Killed, Phase::Cancelled),
    ];
    for (value, phase) in mrs_job {
        assert_eq!(JobResult::from(value).phase(), phase, "{value}");
    }
    let fabric = [
        (Fabric::Submitted, Phase::Queued),
        (Fabric::Running, Phase::Running),
        (Fabric::Successful, Phase::Succeeded),
        (Fabric::Failed, Phase::Failed),
        (Fabric::Error, Phase::Failed),
        (Fabric::Canceled, Phase::Cancelled),
    ];
    for (value, phase) in fabric {
        assert_eq!(StatementStatus::from(value).phase(), phase, "{value}");
    }
}

#[test]
fn a_value_no_doc_lists_is_unknown_with_the_services_word() {
    let dli = dli_v1::types::SqlJobStatus::Other("QUEUED_FOR_RESOURCES".into());
    assert_eq!(dli.phase(), Phase::Unknown("QUEUED_FOR_RESOURCES".into()));
    let fabric = dataarts_fabric_v1::types::StatementStatus::Other("PAUSED".into());
    assert_eq!(fabric.phase(), Phase::Unknown("PAUSED".into()));
}

#[test]
fn one_match_reads_the_phase_of_every_service() {
    let finished = [
        dli_v1::types::SqlJobStatus::from(dli_v1::types::KnownSqlJobStatus::Finished).phase(),
        mrs_v2::types::SqlStatus::from(mrs_v2::types::KnownSqlStatus::Finished).phase(),
        dataarts_fabric_v1::types::StatementStatus::from(
            dataarts_fabric_v1::types::KnownStatementStatus::Successful,
        )
        .phase(),
    ];
    for phase in &finished {
        assert_eq!(summary(phase), "done");
        assert!(phase.is_terminal());
    }
    // Decoded from the wire, as a response gives it.
    let status: dli_v1::types::SqlJobStatus = serde_json::from_str(r#""SCALING""#).unwrap();
    assert_eq!(summary(&status.phase()), "in progress");
}

// --- DLI Flink jobs (dli-flink-v1) ---

/// Every Flink job status the list and details pages give, with its phase (the reasons are in
/// `KnownFlinkJobStatus`'s description in the spec).
#[test]
fn every_flink_job_status_has_its_phase() {
    use dli_flink_v1::types::{FlinkJobStatus, KnownFlinkJobStatus as Flink};
    let flink = [
        (Flink::JobInit, Phase::Queued),
        (Flink::JobSubmitting, Phase::Queued),
        (Flink::JobDownloading, Phase::Queued),
        (Flink::JobIdle, Phase::Queued),
        (Flink::JobArrearageRecovering, Phase::Queued),
        (Flink::JobRunning, Phase::Running),
        (Flink::JobSavepointing, Phase::Running),
        (Flink::JobCanceling, Phase::Running),
        (Flink::JobCancelFail, Phase::Running),
        (Flink::JobRunningException, Phase::Failed),
        (Flink::JobSubmitFail, Phase::Failed),
        (Flink::JobArrearageStopped, Phase::Failed),
        (Flink::JobCancelSuccess, Phase::Cancelled),
        (Flink::JobFinish, Phase::Succeeded),
    ];
    for (value, phase) in flink {
        assert_eq!(value.phase(), phase, "{value}");
        assert_eq!(
            FlinkJobStatus::from(value).phase(),
            phase,
            "{value} in its open enum"
        );
    }
    assert_eq!(
        FlinkJobStatus::Other("job_paused".into()).phase(),
        Phase::Unknown("job_paused".into())
    );
}
