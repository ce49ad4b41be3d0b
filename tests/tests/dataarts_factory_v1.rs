//! DataArts Factory (DLF) job development API, replayed from the pages' examples: every documented
//! status of the 18 operations, the `workspace` header per call and runtime-wide, the exported zip
//! streamed byte for byte, phases, waiters, paginators and the stop's cancel outcome.

use std::{future::Future, pin::Pin, time::Duration};

use dataarts_factory_v1::{
    CancelOutcome, CancelOutcomeExt, Client, Error, Phase,
    types::{
        DlfError, ExportJobListRequest, FactoryDate, FilePath, ImportJobRequest, InstanceStatus,
        JobDefinition, JobParams, JobStatus, KnownInstanceStatus, KnownProcessType, NodeType,
        SystemTaskStatus,
    },
    wait::{WaitError, Waited},
};
use futures::StreamExt;
use replay::{
    Cassette, ErrorRow, Replay, erase, replay_error_table, replay_ok, runtime_with_default_header,
};
use serde_json::Value;
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

const PROJECT: &str = "37caa80116e1403ab603e5eeb48a2f74";
const WORKSPACE: &str = "1d8b54ba7b8c4b54a0b3c1b8c9c6c5d5";

fn client(url: &str) -> Client {
    Client::with_runtime(url, replay::runtime())
}

/// The request body a cassette recorded, typed: what the call sends must be that body again.
fn recorded_body<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let cassette = Cassette::load(name);
    serde_json::from_value(cassette.request.body.expect("a recorded request body"))
        .expect("the recorded body is the request type")
}

#[tokio::test]
async fn jobs_are_created_updated_deleted_started_and_stopped_in_a_workspace() {
    // (cassette, call): each a 204 without a body, the workspace header set per call.
    type Reply = Result<replay::ResponseValue<()>, Error<DlfError>>;
    type Row = (
        &'static str,
        fn(String) -> Pin<Box<dyn Future<Output = Reply>>>,
    );
    let rows: Vec<Row> = vec![
        ("dataarts-factory-v1/create_job.204", |url| {
            Box::pin(async move {
                client(&url)
                    .create_job()
                    .project_id(PROJECT)
                    .workspace(WORKSPACE)
                    .body(recorded_body::<JobDefinition>(
                        "dataarts-factory-v1/create_job.204",
                    ))
                    .send()
                    .await
            })
        }),
        ("dataarts-factory-v1/update_job.204", |url| {
            Box::pin(async move {
                client(&url)
                    .update_job()
                    .project_id(PROJECT)
                    .workspace(WORKSPACE)
                    .job_name("myJob")
                    .body(recorded_body::<JobDefinition>(
                        "dataarts-factory-v1/update_job.204",
                    ))
                    .send()
                    .await
            })
        }),
        ("dataarts-factory-v1/delete_job.204", |url| {
            Box::pin(async move {
                client(&url)
                    .delete_job()
                    .project_id(PROJECT)
                    .workspace(WORKSPACE)
                    .job_name("joba")
                    .send()
                    .await
            })
        }),
        ("dataarts-factory-v1/start_job.204", |url| {
            Box::pin(async move {
                client(&url)
                    .start_job()
                    .project_id(PROJECT)
                    .workspace(WORKSPACE)
                    .job_name("myJob")
                    .body(recorded_body::<JobParams>(
                        "dataarts-factory-v1/start_job.204",
                    ))
                    .send()
                    .await
            })
        }),
        ("dataarts-factory-v1/stop_job.204", |url| {
            Box::pin(async move {
                client(&url)
                    .stop_job()
                    .project_id(PROJECT)
                    .workspace(WORKSPACE)
                    .job_name("myJob")
                    .send()
                    .await
            })
        }),
        ("dataarts-factory-v1/restore_job_instance.204", |url| {
            Box::pin(async move {
                client(&url)
                    .restore_job_instance()
                    .project_id(PROJECT)
                    .workspace(WORKSPACE)
                    .job_name("job_batch")
                    .instance_id(34765)
                    .send()
                    .await
            })
        }),
    ];
    for (name, call) in rows {
        // The request as recorded; the answer a 204 without a body.
        replay_ok(name, call).await;
    }
}

#[tokio::test]
async fn job_definition_list_status_and_instances_decode_typed() {
    let job = replay_ok("dataarts-factory-v1/show_job.200", |url| async move {
        client(&url)
            .show_job()
            .project_id(PROJECT)
            .workspace(WORKSPACE)
            .job_name("myJob")
            .send()
            .await
    })
    .await;
    assert_eq!(job.id, Some(608627), "a Long");
    let node = &job.nodes.as_ref().unwrap()[0];
    assert_eq!(
        node.type_,
        Some(NodeType::from(
            dataarts_factory_v1::types::KnownNodeType::HiveSql
        ))
    );
    let property = &node.properties.as_ref().unwrap()[0];
    assert_eq!(
        (property.name.as_deref(), property.value.as_deref()),
        (Some("scriptName"), Some("Hive_SQL_test"))
    );
    assert_eq!(node.location.as_ref().and_then(|l| l.x), Some(-45.5));

    let list = replay_ok("dataarts-factory-v1/list_jobs.200", |url| async move {
        client(&url)
            .list_jobs()
            .project_id(PROJECT)
            .workspace(WORKSPACE)
            .job_type(KnownProcessType::Batch)
            .offset(0)
            .limit(10)
            .send()
            .await
    })
    .await;
    let first = &list.jobs.as_ref().unwrap()[0];
    assert_eq!(
        first.status.as_ref().map(JobStatus::phase),
        Some(Phase::Running),
        "SCHEDULING"
    );
    assert_eq!(
        first
            .last_instance_status
            .as_ref()
            .map(InstanceStatus::phase),
        Some(Phase::Succeeded)
    );

    let status = replay_ok(
        "dataarts-factory-v1/show_job_status.200",
        |url| async move {
            client(&url)
                .show_job_status()
                .project_id(PROJECT)
                .workspace(WORKSPACE)
                .job_name("job_sms")
                .send()
                .await
        },
    )
    .await;
    assert_eq!(
        status.status.as_ref().map(JobStatus::phase),
        Some(Phase::Running),
        "NORMAL"
    );
    assert_eq!(status.start_time, Some(FactoryDate::Millis(1544777081000)));

    // The page types the dates Date and both vendor SDKs read strings: those decode too.
    let dated = replay_ok(
        "dataarts-factory-v1/show_job_status.200.date-strings",
        |url| async move {
            client(&url)
                .show_job_status()
                .project_id(PROJECT)
                .workspace(WORKSPACE)
                .job_name("job_stream")
                .send()
                .await
        },
    )
    .await;
    assert_eq!(
        (dated.start_time, dated.last_update_time, dated.end_time),
        (
            Some(FactoryDate::Text("2026-12-06T08:00:00.000+08:00".into())),
            Some(FactoryDate::Text("2026-12-06T09:30:00.000+08:00".into())),
            None
        )
    );
    assert_eq!(
        dated.status.as_ref().map(JobStatus::phase),
        Some(Phase::Running)
    );

    let instances = replay_ok(
        "dataarts-factory-v1/list_job_instances.200",
        |url| async move {
            client(&url)
                .list_job_instances()
                .project_id(PROJECT)
                .workspace(WORKSPACE)
                .job_name("job_batch")
                .limit(10)
                .offset(0)
                .send()
                .await
        },
    )
    .await;
    let ids: Vec<Option<i64>> = instances
        .instances
        .as_ref()
        .unwrap()
        .iter()
        .map(|i| i.instance_id)
        .collect();
    assert_eq!(ids, [Some(34765), Some(34764)]);

    let instance = replay_ok(
        "dataarts-factory-v1/show_job_instance.200",
        |url| async move {
            client(&url)
                .show_job_instance()
                .project_id(PROJECT)
                .workspace(WORKSPACE)
                .job_name("job_batch")
                .instance_id(34765)
                .send()
                .await
        },
    )
    .await;
    assert_eq!(
        instance.status.as_ref().map(InstanceStatus::phase),
        Some(Phase::Failed),
        "fail"
    );

    let run = replay_ok("dataarts-factory-v1/run_once.200", |url| async move {
        client(&url)
            .run_once()
            .project_id(PROJECT)
            .workspace(WORKSPACE)
            .job_name("myJob")
            .body(recorded_body::<JobParams>(
                "dataarts-factory-v1/run_once.200",
            ))
            .send()
            .await
    })
    .await;
    assert_eq!(run.instance_id, Some(34765));
}

#[tokio::test]
async fn import_check_file_and_system_task_decode_typed() {
    let import = replay_ok("dataarts-factory-v1/import_job.200", |url| async move {
        client(&url)
            .import_job()
            .project_id(PROJECT)
            .workspace(WORKSPACE)
            .body(recorded_body::<ImportJobRequest>(
                "dataarts-factory-v1/import_job.200",
            ))
            .send()
            .await
    })
    .await;
    assert_eq!(
        import.task_id.as_deref(),
        Some("008aae2e675d3bcb01675d40ab3f0005")
    );
    let file = replay_ok("dataarts-factory-v1/show_file_info.200", |url| async move {
        client(&url)
            .show_file_info()
            .project_id(PROJECT)
            .workspace(WORKSPACE)
            .body(recorded_body::<FilePath>(
                "dataarts-factory-v1/show_file_info.200",
            ))
            .send()
            .await
    })
    .await;
    assert_eq!(
        file.jobs.as_ref().unwrap()[0].name.as_deref(),
        Some("myJob")
    );
    let task = replay_ok(
        "dataarts-factory-v1/list_system_tasks.200",
        |url| async move {
            client(&url)
                .list_system_tasks()
                .project_id(PROJECT)
                .workspace(WORKSPACE)
                .task_id("008aae2e675d3bcb01675d40ab3f0005")
                .send()
                .await
        },
    )
    .await;
    assert_eq!(
        task.status.as_ref().map(SystemTaskStatus::phase),
        Some(Phase::Succeeded)
    );
}

/// The zip the export answers arrives as a byte stream, unchanged (the recording is above 1 KiB,
/// past the size from which the runtime checks JSON bodies).
#[tokio::test]
async fn exports_stream_the_zip_byte_for_byte() {
    for name in [
        "dataarts-factory-v1/export_job.200",
        "dataarts-factory-v1/export_job_list.200",
    ] {
        let replay = Replay::start(name).await;
        let expected = replay.cassette.response.binary_body().unwrap();
        assert!(
            expected.len() > 1024 && expected.starts_with(b"PK\x03\x04"),
            "{name}: a zip above 1 KiB"
        );
        let client = client(&replay.url());
        let result = if name.ends_with("/export_job.200") {
            client
                .export_job()
                .project_id(PROJECT)
                .workspace(WORKSPACE)
                .job_name("myJob")
                .send()
                .await
        } else {
            client
                .export_job_list()
                .project_id(PROJECT)
                .workspace(WORKSPACE)
                .body(recorded_body::<ExportJobListRequest>(name))
                .send()
                .await
        };
        replay.assert_request().await;
        let response = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(response.status().as_u16(), 200, "{name}");
        let mut stream = response.into_inner().into_inner();
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            bytes.extend_from_slice(&chunk.expect("a chunk"));
        }
        assert_eq!(bytes, expected, "{name}: the zip, unchanged");
    }
}

/// An export's outcome with its byte stream dropped (a stream has no `Debug`): these rows check
/// the error, which stays typed (the generated client's own large error type, as it returns it).
#[allow(clippy::result_large_err)]
fn without_stream<T>(
    result: Result<replay::ResponseValue<T>, Error<DlfError>>,
) -> Result<replay::ResponseValue<()>, Error<DlfError>> {
    result.map(|r| replay::ResponseValue::new((), r.status(), r.headers().clone()))
}

fn said(error: &DlfError) -> (String, String) {
    (
        error.error_code.clone().unwrap_or_default(),
        error.error_msg.clone().unwrap_or_default(),
    )
}

#[tokio::test]
async fn every_operation_answers_its_documented_400_typed() {
    let rows: Vec<ErrorRow<DlfError>> = vec![
        (
            "dataarts-factory-v1/create_job.400",
            |url| {
                erase(async move {
                    client(&url)
                        .create_job()
                        .project_id(PROJECT)
                        .body(recorded_body::<JobDefinition>(
                            "dataarts-factory-v1/create_job.400",
                        ))
                        .send()
                        .await
                })
            },
            ("DLF.0102", "The job name has been used by another job."),
        ),
        (
            "dataarts-factory-v1/list_jobs.400",
            |url| erase(async move { client(&url).list_jobs().project_id(PROJECT).send().await }),
            ("DLF.3051", "The request parameter is invalid."),
        ),
        (
            "dataarts-factory-v1/show_job.400",
            |url| {
                erase(async move {
                    client(&url)
                        .show_job()
                        .project_id(PROJECT)
                        .job_name("myJob")
                        .send()
                        .await
                })
            },
            ("DLF.0100", "The job does not exists."),
        ),
        (
            "dataarts-factory-v1/update_job.400",
            |url| {
                erase(async move {
                    client(&url)
                        .update_job()
                        .project_id(PROJECT)
                        .job_name("myJob")
                        .body(recorded_body::<JobDefinition>(
                            "dataarts-factory-v1/update_job.400",
                        ))
                        .send()
                        .await
                })
            },
            ("DLF.0100", "The job does not exists."),
        ),
        (
            "dataarts-factory-v1/delete_job.400",
            |url| {
                erase(async move {
                    client(&url)
                        .delete_job()
                        .project_id(PROJECT)
                        .job_name("joba")
                        .send()
                        .await
                })
            },
            ("DLF.0100", "The job does not exists."),
        ),
        (
            "dataarts-factory-v1/start_job.400",
            |url| {
                erase(async move {
                    client(&url)
                        .start_job()
                        .project_id(PROJECT)
                        .job_name("myJob")
                        .send()
                        .await
                })
            },
            ("DLF.0100", "The job does not exists."),
        ),
        (
            "dataarts-factory-v1/stop_job.400",
            |url| {
                erase(async move {
                    client(&url)
                        .stop_job()
                        .project_id(PROJECT)
                        .job_name("myJob")
                        .send()
                        .await
                })
            },
            ("DLF.0100", "The job does not exists."),
        ),
        (
            "dataarts-factory-v1/run_once.400",
            |url| {
                erase(async move {
                    client(&url)
                        .run_once()
                        .project_id(PROJECT)
                        .job_name("myJob")
                        .send()
                        .await
                })
            },
            ("DLF.0100", "The job does not exists."),
        ),
        (
            "dataarts-factory-v1/show_job_status.400",
            |url| {
                erase(async move {
                    client(&url)
                        .show_job_status()
                        .project_id(PROJECT)
                        .job_name("job_sms")
                        .send()
                        .await
                })
            },
            ("DLF.0100", "The job does not exists."),
        ),
        (
            "dataarts-factory-v1/list_job_instances.400",
            |url| {
                erase(async move {
                    client(&url)
                        .list_job_instances()
                        .project_id(PROJECT)
                        .job_name("job_batch")
                        .send()
                        .await
                })
            },
            ("DLF.3051", "The request parameter is invalid."),
        ),
        (
            "dataarts-factory-v1/show_job_instance.400",
            |url| {
                erase(async move {
                    client(&url)
                        .show_job_instance()
                        .project_id(PROJECT)
                        .job_name("job_batch")
                        .instance_id(34765)
                        .send()
                        .await
                })
            },
            ("DLF.0137", "Job instance does not exist."),
        ),
        (
            "dataarts-factory-v1/stop_job_instance.400",
            |url| {
                erase(async move {
                    client(&url)
                        .stop_job_instance()
                        .project_id(PROJECT)
                        .job_name("job_batch")
                        .instance_id(34765)
                        .send()
                        .await
                })
            },
            ("DLF.0137", "Job instance does not exist."),
        ),
        (
            "dataarts-factory-v1/restore_job_instance.400",
            |url| {
                erase(async move {
                    client(&url)
                        .restore_job_instance()
                        .project_id(PROJECT)
                        .job_name("job_batch")
                        .instance_id(34765)
                        .send()
                        .await
                })
            },
            ("DLF.0137", "Job instance does not exist."),
        ),
        (
            "dataarts-factory-v1/import_job.400",
            |url| {
                erase(async move {
                    client(&url)
                        .import_job()
                        .project_id(PROJECT)
                        .body(recorded_body::<ImportJobRequest>(
                            "dataarts-factory-v1/import_job.400",
                        ))
                        .send()
                        .await
                })
            },
            ("DLF.0815", "Fail to read OBS file."),
        ),
        (
            "dataarts-factory-v1/export_job.400",
            |url| {
                erase(async move {
                    without_stream(
                        client(&url)
                            .export_job()
                            .project_id(PROJECT)
                            .job_name("myJob")
                            .send()
                            .await,
                    )
                })
            },
            ("DLF.0100", "The job does not exists."),
        ),
        (
            "dataarts-factory-v1/export_job_list.400",
            |url| {
                erase(async move {
                    without_stream(
                        client(&url)
                            .export_job_list()
                            .project_id(PROJECT)
                            .body(recorded_body::<ExportJobListRequest>(
                                "dataarts-factory-v1/export_job_list.400",
                            ))
                            .send()
                            .await,
                    )
                })
            },
            ("DLF.3051", "The request parameter is invalid."),
        ),
        (
            "dataarts-factory-v1/show_file_info.400",
            |url| {
                erase(async move {
                    client(&url)
                        .show_file_info()
                        .project_id(PROJECT)
                        .body(recorded_body::<FilePath>(
                            "dataarts-factory-v1/show_file_info.400",
                        ))
                        .send()
                        .await
                })
            },
            ("DLF.0815", "Fail to read OBS file."),
        ),
        (
            "dataarts-factory-v1/list_system_tasks.400",
            |url| {
                erase(async move {
                    client(&url)
                        .list_system_tasks()
                        .project_id(PROJECT)
                        .task_id("008aae2e675d3bcb01675d40ab3f0005")
                        .send()
                        .await
                })
            },
            (
                "DLF.20810",
                "Task[008aae2e675d3bcb01675d40ab3f0005] does not exist",
            ),
        ),
    ];
    replay_error_table(&rows, said).await;
}

/// The `workspace` header: (case, the runtime's default, the call's own, what is sent).
#[tokio::test]
async fn the_workspace_header_is_the_calls_own_or_the_runtimes_default() {
    type Case<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
    let cases: [Case; 4] = [
        ("neither: the default workspace", None, None, None),
        ("per call", None, Some("ws-call"), Some("ws-call")),
        ("runtime-wide", Some("ws-runtime"), None, Some("ws-runtime")),
        (
            "the call's own wins",
            Some("ws-runtime"),
            Some("ws-call"),
            Some("ws-call"),
        ),
    ];
    for (case, default, own, sent) in cases {
        let server = MockServer::start().await;
        replay::refuse_bad_signatures(&server).await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let runtime = match default {
            Some(value) => runtime_with_default_header("workspace", value),
            None => replay::runtime(),
        };
        let client = Client::with_runtime(&server.uri(), runtime);
        let mut call = client.stop_job().project_id(PROJECT).job_name("myJob");
        if let Some(own) = own {
            call = call.workspace(own);
        }
        call.send().await.unwrap_or_else(|e| panic!("{case}: {e}"));
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 1, "{case}");
        let got: Vec<&str> = received[0]
            .headers
            .get_all("workspace")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        assert_eq!(
            got,
            sent.into_iter().collect::<Vec<_>>(),
            "{case}: one workspace header, the right one"
        );
        replay::verify_signature(&received[0]).unwrap_or_else(|e| panic!("{case}: {e}"));
    }
}

/// Serves `bodies` in turn (the last one again), each a 200 JSON answer.
async fn serve_in_turn(bodies: Vec<Value>) -> MockServer {
    let server = MockServer::start().await;
    let count = bodies.len();
    for (i, body) in bodies.into_iter().enumerate() {
        let mock = Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(body));
        if i + 1 < count {
            mock.up_to_n_times(1)
                .with_priority(u8::try_from(i + 1).unwrap())
                .mount(&server)
                .await;
        } else {
            mock.with_priority(u8::try_from(i + 1).unwrap())
                .mount(&server)
                .await;
        }
    }
    server
}

/// `instance_finished` and `instance_stopped`: (case, statuses polled, the outcome's phase, or
/// `None` for a failed wait).
#[tokio::test]
async fn instance_waiters_end_on_the_phase_of_the_instance_status() {
    let cases: [(&str, &[&str], bool, Option<Phase>); 5] = [
        (
            "finished: runs then succeeds",
            &["waiting", "running", "success"],
            true,
            Some(Phase::Succeeded),
        ),
        ("finished: fails", &["running", "fail"], true, None),
        (
            "finished: stopped by hand is a failure",
            &["running", "manual-stop"],
            true,
            None,
        ),
        (
            "stopped: stopped by hand",
            &["running", "manual-stop"],
            false,
            Some(Phase::Cancelled),
        ),
        (
            "stopped: it failed on its own",
            &["running-exception", "fail"],
            false,
            Some(Phase::Failed),
        ),
    ];
    for (case, statuses, finished, outcome) in cases {
        let bodies = statuses
            .iter()
            .map(|s| serde_json::json!({"jobName": "job_batch", "instanceId": 34765, "status": s}))
            .collect();
        let server = serve_in_turn(bodies).await;
        let client = client(&server.uri());
        let result = if finished {
            client
                .wait_until_instance_finished()
                .project_id(PROJECT)
                .job_name("job_batch")
                .instance_id(34765)
                .poll_interval(Duration::from_millis(50))
                .max_wait(Duration::from_secs(10))
                .send()
                .await
        } else {
            client
                .wait_until_instance_stopped()
                .project_id(PROJECT)
                .job_name("job_batch")
                .instance_id(34765)
                .poll_interval(Duration::from_millis(50))
                .max_wait(Duration::from_secs(10))
                .send()
                .await
        };
        match (result, outcome) {
            (Ok(Waited::Reached(instance)), Some(phase)) => {
                assert_eq!(instance.status.map(|s| s.phase()), Some(phase), "{case}")
            }
            (Err(WaitError::Failed { .. }), None) => {}
            (other, _) => panic!("{case}: {other:?}"),
        }
        let polls = server.received_requests().await.unwrap().len();
        assert_eq!(
            polls,
            statuses.len(),
            "{case}: one poll per status until it ends"
        );
    }
}

#[tokio::test]
async fn an_instance_or_a_task_that_does_not_exist_is_gone() {
    let replay = Replay::start("dataarts-factory-v1/show_job_instance.400").await;
    let waited = client(&replay.url())
        .wait_until_instance_finished()
        .project_id(PROJECT)
        .job_name("job_batch")
        .instance_id(34765)
        .send()
        .await;
    assert!(matches!(waited, Ok(Waited::Gone)), "DLF.0137: {waited:?}");
    let replay = Replay::start("dataarts-factory-v1/list_system_tasks.400").await;
    let waited = client(&replay.url())
        .wait_until_system_task_finished()
        .project_id(PROJECT)
        .task_id("008aae2e675d3bcb01675d40ab3f0005")
        .send()
        .await;
    assert!(matches!(waited, Ok(Waited::Gone)), "DLF.20810: {waited:?}");
}

#[tokio::test]
async fn an_import_is_waited_for_as_a_system_task() {
    let task = |status: &str| serde_json::json!({"id": "008aae2e675d3bcb01675d40ab3f0005", "status": status});
    for (case, statuses, succeeds) in [
        ("succeeds", vec!["RUNNING", "SUCCESSFUL"], true),
        ("fails", vec!["RUNNING", "FAILED"], false),
    ] {
        let server = serve_in_turn(statuses.iter().map(|s| task(s)).collect()).await;
        let result = client(&server.uri())
            .wait_until_system_task_finished()
            .project_id(PROJECT)
            .task_id("008aae2e675d3bcb01675d40ab3f0005")
            .poll_interval(Duration::from_millis(50))
            .max_wait(Duration::from_secs(10))
            .send()
            .await;
        assert_eq!(
            matches!(result, Ok(Waited::Reached(_))),
            succeeds,
            "{case}: {result:?}"
        );
    }
}

/// The stop's outcome: accepted (204), or the instance gone (400 `DLF.0137`).
#[tokio::test]
async fn stopping_an_instance_reads_as_a_cancel_outcome() {
    for (name, expected) in [
        ("dataarts-factory-v1/stop_job_instance.204", "accepted"),
        ("dataarts-factory-v1/stop_job_instance.400", "not found"),
    ] {
        let replay = Replay::start(name).await;
        let client = client(&replay.url());
        let mut call = client
            .stop_job_instance()
            .project_id(PROJECT)
            .job_name("job_batch")
            .instance_id(34765);
        if name.ends_with(".204") {
            call = call.workspace(WORKSPACE);
        }
        let result = call.send().await;
        replay.assert_request().await;
        let outcome = result.cancel_outcome();
        match (expected, &outcome) {
            ("accepted", CancelOutcome::Accepted)
            | ("not found", CancelOutcome::NotFound { .. }) => {}
            _ => panic!("{name}: {outcome:?}"),
        }
    }
}

/// Both lists page by page number from 0: (list, pages served, items read).
#[tokio::test]
async fn both_lists_stream_every_item_across_pages() {
    let job = |name: &str| serde_json::json!({"name": name, "status": "SCHEDULING"});
    let server = serve_in_turn(vec![
        serde_json::json!({"total": 3, "jobs": [job("a"), job("b")]}),
        serde_json::json!({"total": 3, "jobs": [job("c")]}),
    ])
    .await;
    let names: Vec<String> = client(&server.uri())
        .list_jobs()
        .project_id(PROJECT)
        .limit(2)
        .stream()
        .map(|j| j.expect("an item").name.unwrap_or_default())
        .collect()
        .await;
    assert_eq!(names, ["a", "b", "c"]);
    let offsets: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "offset")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(offsets, ["0", "1"], "page numbers from 0");

    let instance = |id: i64| serde_json::json!({"instanceId": id, "status": "success"});
    let server = serve_in_turn(vec![
        serde_json::json!({"total": 3, "instances": [instance(3), instance(2)]}),
        serde_json::json!({"total": 3, "instances": [instance(1)]}),
    ])
    .await;
    let ids: Vec<i64> = client(&server.uri())
        .list_job_instances()
        .project_id(PROJECT)
        .job_name("job_batch")
        .limit(2)
        .stream()
        .map(|i| i.expect("an item").instance_id.unwrap_or_default())
        .collect()
        .await;
    assert_eq!(ids, [3, 2, 1]);
}

#[test]
fn instance_statuses_have_their_phases() {
    for (status, phase) in [
        (KnownInstanceStatus::Waiting, Phase::Queued),
        (KnownInstanceStatus::Running, Phase::Running),
        (KnownInstanceStatus::RunningException, Phase::Running),
        (KnownInstanceStatus::Pause, Phase::Queued),
        (KnownInstanceStatus::Success, Phase::Succeeded),
        (KnownInstanceStatus::Fail, Phase::Failed),
        (KnownInstanceStatus::ManualStop, Phase::Cancelled),
    ] {
        assert_eq!(InstanceStatus::from(status).phase(), phase, "{status:?}");
    }
    let unknown: InstanceStatus = serde_json::from_value(serde_json::json!("frozen")).unwrap();
    assert_eq!(unknown.phase(), Phase::Unknown("frozen".into()));
}
