//! MRS clusters: create (v1.1 run-job-flow and v2), list, details, resize, delete, hosts and
//! rename, replayed from the pages' examples (own answers where the pages show none, see each
//! cassette's `source` and `note`); the cluster state's phases, the cluster waiters and the two
//! paginators against a local server.

// The run-job-flow body is one `json!` literal deeper than the default limit expands.
#![recursion_limit = "256"]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use mrs_v1_1::{
    Client, Error, Phase,
    types::{
        ClusterEnvelope, ClusterList, ClusterScalingRequest, ClusterScalingResult, ClusterState,
        CreateClusterRequest, CreateClusterResult, HostList, IntegerOrString, KnownClusterState,
        MrsError,
    },
    wait::{WaitError, Waited},
};
use replay::ids::PROJECT;
use replay::{
    ErrorRow, ResponseValue, erase, refuse_bad_signatures, replay_error_table, replay_ok,
};
use wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers::any};

type Reply<T> = Result<ResponseValue<T>, Error<MrsError>>;

/// The cluster every cassette is about: the ID the pages' creation examples answer.
const CLUSTER: &str = "da1592c2-bb7e-468d-9ac9-83246e95447a";
/// What a caller really sends; the cassettes show `<scrubbed>` where a password goes.
const PASSWORD: &str = "Mrs@Cluster2026!";

/// The run-job-flow page's first example, fixed as its table types it (see the cassette's note).
fn run_job_flow() -> CreateClusterRequest {
    serde_json::from_value(run_job_flow_json()).unwrap()
}

async fn create(url: String) -> Reply<CreateClusterResult> {
    Client::with_runtime(&url, replay::runtime())
        .create_cluster()
        .project_id(PROJECT)
        .body(run_job_flow())
        .send()
        .await
}

#[tokio::test]
async fn create_cluster_200_answers_the_new_clusters_id() {
    let created = replay_ok("mrs-v1-1/create_cluster.200", create).await;
    assert_eq!(created.cluster_id.as_deref(), Some(CLUSTER));
    assert_eq!(created.result, Some(true));
    assert_eq!(created.msg.as_deref(), Some(""));
}

#[test]
fn create_cluster_checks_names_but_leaves_passwords_to_the_service() {
    // A password never shows in the request's Debug (a log line, a panic message).
    let request = run_job_flow();
    assert!(!format!("{request:?}").contains(PASSWORD), "{request:?}");
    let mut body = serde_json::to_value(request).unwrap();
    // Complexity rules are the service's to apply: any password goes out as given.
    for password in ["short", "with spaces and ünïcödé", "a;b|c"] {
        body["cluster_admin_secret"] = password.into();
        assert!(
            serde_json::from_value::<CreateClusterRequest>(body.clone()).is_ok(),
            "{password:?}"
        );
    }
    // The documented name pattern is checked before anything is sent.
    for name in ["", "has space", &"x".repeat(65)] {
        body["cluster_name"] = name.into();
        assert!(
            serde_json::from_value::<CreateClusterRequest>(body.clone()).is_err(),
            "{name:?}"
        );
    }
}

async fn list(url: String) -> Reply<ClusterList> {
    Client::with_runtime(&url, replay::runtime())
        .list_clusters()
        .project_id(PROJECT)
        .page_size(10u32)
        .current_page(1u32)
        .cluster_state(KnownClusterState::Running)
        .tags("key1*value1")
        .send()
        .await
}

#[tokio::test]
async fn list_clusters_200_reads_the_pages_string_numbers() {
    let list = replay_ok("mrs-v1-1/list_clusters.200", list).await;
    assert_eq!(
        list.cluster_total,
        Some(IntegerOrString::String("2".into()))
    );
    let clusters = list.clusters.unwrap();
    assert_eq!(clusters.len(), 2);
    let first = &clusters[0];
    assert_eq!(first.cluster_id.as_deref(), Some(CLUSTER));
    assert_eq!(
        first.cluster_state.as_ref().map(ClusterState::phase),
        Some(Phase::Running)
    );
    assert_eq!(first.safe_mode, Some(IntegerOrString::String("0".into())));
    assert_eq!(first.mrs_manager_finish, Some(true));
    let groups = first.node_groups.as_ref().unwrap();
    assert_eq!(groups[1].node_num, Some(3));
    assert_eq!(
        groups[1].data_volume_size,
        Some(IntegerOrString::String("600".into()))
    );
    let components = first.component_list.as_ref().unwrap();
    assert_eq!(
        components[0].component_id.as_deref(),
        Some("MRS 3.1.2-LTS.6_001")
    );
    assert_eq!(
        clusters[1].cluster_type,
        Some(IntegerOrString::String("1".into()))
    );
}

/// The SDKs' integers where the page says String, the Huawei SDK's spelling, tags as a string
/// or an array, and a state no doc lists: all decode.
#[tokio::test]
async fn list_clusters_reads_the_sdks_types_and_states_no_doc_lists() {
    let list = replay_ok("mrs-v1-1/list_clusters.200.service-drift", list).await;
    assert_eq!(list.cluster_total, Some(IntegerOrString::Integer(2)));
    let clusters = list.clusters.unwrap();
    let (drifted, frozen) = (&clusters[0], &clusters[1]);
    assert_eq!(drifted.safe_mode, Some(IntegerOrString::Integer(1)));
    assert_eq!(drifted.cluster_type, Some(IntegerOrString::Integer(0)));
    assert_eq!(
        (drifted.is_mrs_manager_finish, drifted.mrs_manager_finish),
        (Some(true), None)
    );
    assert_eq!(
        drifted.cluster_state,
        Some(ClusterState::Other("stopped".into()))
    );
    assert_eq!(
        drifted.cluster_state.as_ref().unwrap().phase(),
        Phase::Unknown("stopped".into())
    );
    assert_eq!(drifted.tags, Some(serde_json::json!("key1=value1")));
    let script = &drifted.bootstrap_scripts.as_ref().unwrap()[0];
    assert_eq!(
        script.start_time,
        Some(IntegerOrString::Integer(1689212500))
    );
    assert_eq!(
        drifted.node_groups.as_ref().unwrap()[0].data_volume_size,
        Some(IntegerOrString::Integer(600))
    );
    assert_eq!(
        frozen.cluster_state.as_ref().unwrap().phase(),
        Phase::Queued
    );
    assert_eq!(
        frozen.tags,
        Some(serde_json::json!([{"key": "key1", "value": "value1"}]))
    );
    // A field the Huawei SDK reads and the page does not list.
    assert_eq!(
        drifted.eip_id.as_deref(),
        Some("3a7c4d2e-1f0b-4c8d-9e6a-5b4f3c2d1e0f")
    );
}

async fn details(url: String) -> Reply<ClusterEnvelope> {
    Client::with_runtime(&url, replay::runtime())
        .show_cluster_details()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .send()
        .await
}

#[tokio::test]
async fn show_cluster_details_200_reads_the_cluster_inside_its_envelope() {
    let cluster = replay_ok("mrs-v1-1/show_cluster_details.200", details)
        .await
        .cluster
        .expect("both SDKs read the fields inside `cluster`");
    assert_eq!(cluster.cluster_id.as_deref(), Some(CLUSTER));
    assert_eq!(
        cluster.cluster_state,
        Some(ClusterState::from(KnownClusterState::Running))
    );
    assert_eq!(cluster.scale.as_deref(), Some(""));
    let script = &cluster.bootstrap_scripts.unwrap()[0];
    assert_eq!(
        script.start_time,
        Some(IntegerOrString::String("1689212500".into()))
    );
    assert_eq!(script.state.as_deref(), Some("SUCCESS"));
    assert_eq!(
        cluster.tags,
        Some(serde_json::json!([{"key": "key1", "value": "value1"}]))
    );
}

async fn resize(url: String, body: serde_json::Value) -> Reply<ClusterScalingResult> {
    let body: ClusterScalingRequest = serde_json::from_value(body).unwrap();
    Client::with_runtime(&url, replay::runtime())
        .update_cluster_scaling()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .body(body)
        .send()
        .await
}

/// The page's "Scaling out Core nodes" example: `instances` as the string it sends.
async fn scale_out(url: String) -> Reply<ClusterScalingResult> {
    let body = serde_json::json!({
        "service_id": "", "plan_id": "",
        "parameters": {"order_id": "", "scale_type": "scale_out", "node_id": "node_orderadd",
            "node_group": "core_node_default_group", "instances": "1",
            "skip_bootstrap_scripts": false, "scale_without_start": false},
        "previous_values": {"plan_id": ""}
    });
    resize(url, body).await
}

#[tokio::test]
async fn update_cluster_scaling_sends_instances_as_a_string_or_an_integer() {
    // (cassette, the scaling sent): the page's string count, and the SDK's integer one with
    // the Task nodes to remove.
    let scale_in = serde_json::json!({
        "service_id": "", "plan_id": "",
        "parameters": {"order_id": "", "scale_type": "scale_in", "node_id": "node_orderadd",
            "node_group": "task_node_default_group", "instances": 2,
            "server_ids": ["c9573435-7814-4b2c-9131-ad78b814414c", "a4951009-6a0f-4e7b-9c81-9d4bd1f8c537"]},
        "previous_values": {"plan_id": ""}
    });
    let answer = replay_ok("mrs-v1-1/update_cluster_scaling.200", scale_out).await;
    assert_eq!(answer.result.as_deref(), Some("succeeded"));
    let answer = replay_ok("mrs-v1-1/update_cluster_scaling.200.task-scale-in", |url| {
        resize(url, scale_in)
    })
    .await;
    assert_eq!(answer.result.as_deref(), Some("succeeded"));
}

async fn delete(url: String) -> Reply<()> {
    Client::with_runtime(&url, replay::runtime())
        .delete_cluster()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .send()
        .await
}

#[tokio::test]
async fn delete_cluster_204_has_no_body() {
    replay_ok("mrs-v1-1/delete_cluster.204", delete).await;
}

async fn hosts(url: String) -> Reply<HostList> {
    Client::with_runtime(&url, replay::runtime())
        .list_hosts()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .page_size(10u32)
        .current_page(1u32)
        .send()
        .await
}

#[tokio::test]
async fn list_hosts_200_reads_the_pages_example() {
    let list = replay_ok("mrs-v1-1/list_hosts.200", hosts).await;
    assert_eq!(list.total, Some(5));
    let hosts = list.hosts.unwrap();
    assert_eq!(hosts.len(), 5);
    let masters = hosts
        .iter()
        .filter(|h| h.type_.as_deref() == Some("Master"))
        .count();
    assert_eq!(masters, 2);
    assert_eq!(hosts[1].mem.as_deref(), Some("32768"));
    assert_eq!(
        (hosts[0].data_volume_size, hosts[0].data_volume_count),
        (Some(100), Some(1))
    );
}

/// The code and message of an MRS error.
fn said(error: &MrsError) -> (String, String) {
    let text = |field: &Option<String>| field.clone().unwrap_or_default();
    (text(&error.error_code), text(&error.error_msg))
}

const INTERNAL: (&str, &str) = ("12000004", "Internal server error.");

/// Every documented error status of the v1.1 cluster operations: the exact request asserted,
/// the typed error checked against the recorded body, and its code and message.
#[tokio::test]
async fn every_documented_v1_1_cluster_error_is_typed() {
    #[rustfmt::skip]
    let table: &[ErrorRow<MrsError>] = &[
        ("mrs-v1-1/create_cluster.400", |url| erase(create(url)),
            ("12000043", "Duplicate cluster name: mrs_HEbK.")),
        ("mrs-v1-1/create_cluster.500", |url| erase(create(url)), INTERNAL),
        ("mrs-v1-1/list_clusters.400", |url| erase(list(url)),
            ("12000041", "Failed to obtain the cluster list.")),
        ("mrs-v1-1/list_clusters.500", |url| erase(list(url)), INTERNAL),
        ("mrs-v1-1/show_cluster_details.400", |url| erase(details(url)),
            ("12000003", "The cluster does not exist.")),
        ("mrs-v1-1/show_cluster_details.500", |url| erase(details(url)),
            ("0023", "Failed to obtain cluster details.")),
        ("mrs-v1-1/update_cluster_scaling.400", |url| erase(scale_out(url)),
            ("12000017", "Scale-out or scale-in is not allowed for clusters that are not in the Running state.")),
        ("mrs-v1-1/update_cluster_scaling.500", |url| erase(scale_out(url)), INTERNAL),
        ("mrs-v1-1/delete_cluster.400", |url| erase(delete(url)),
            ("12000021", "Clusters in the starting state cannot be terminated.")),
        ("mrs-v1-1/delete_cluster.500", |url| erase(delete(url)),
            ("12000020", "Failed to terminate the cluster.")),
        ("mrs-v1-1/list_hosts.400", |url| erase(hosts(url)),
            ("12000019", "Failed to obtain hosts of the cluster.")),
        ("mrs-v1-1/list_hosts.500", |url| erase(hosts(url)), INTERNAL),
        ("mrs-v1-1/create_scaling_policy.400", |url| erase(scaling_policy(url)),
            ("12000003", "The cluster does not exist.")),
        ("mrs-v1-1/create_scaling_policy.500", |url| erase(scaling_policy(url)), INTERNAL),
    ];
    replay_error_table(table, said).await;
}

// --- mrs-v2: create (with the transient flow's body) and rename ---

type Reply2<T> = Result<ResponseValue<T>, mrs_v2::Error<mrs_v2::types::MrsError>>;

async fn create_v2(
    url: String,
    body: serde_json::Value,
) -> Reply2<mrs_v2::types::CreateClusterResult> {
    let body: mrs_v2::types::CreateClusterRequest = serde_json::from_value(body).unwrap();
    mrs_v2::Client::with_runtime(&url, replay::runtime())
        .create_cluster()
        .project_id(PROJECT)
        .body(body)
        .send()
        .await
}

/// The page's analysis-cluster example, fixed as its table types it (see the cassette's note).
async fn create_analysis(url: String) -> Reply2<mrs_v2::types::CreateClusterResult> {
    create_v2(url, analysis_cluster_json()).await
}

#[tokio::test]
async fn create_cluster_v2_200_answers_the_id_with_and_without_a_job() {
    // (cassette, body): the page's analysis cluster; a transient cluster with one Spark job.
    let created = replay_ok("mrs-v2/create_cluster.200", create_analysis).await;
    assert_eq!(created.cluster_id.as_deref(), Some(CLUSTER));
    let created = replay_ok("mrs-v2/create_cluster.200.transient-spark", |url| {
        create_v2(url, transient_cluster_json())
    })
    .await;
    assert_eq!(created.cluster_id.as_deref(), Some(CLUSTER));
}

async fn rename(url: String) -> Reply2<mrs_v2::types::UpdateClusterNameResult> {
    mrs_v2::Client::with_runtime(&url, replay::runtime())
        .update_cluster_name()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .body_map(|b| b.cluster_name("mrs_jdRU_dm01"))
        .send()
        .await
}

#[tokio::test]
async fn update_cluster_name_200_succeeds() {
    let answer = replay_ok("mrs-v2/update_cluster_name.200", rename).await;
    assert_eq!(answer.result.as_deref(), Some("succeeded"));
}

fn said_v2(error: &mrs_v2::types::MrsError) -> (String, String) {
    let text = |field: &Option<String>| field.clone().unwrap_or_default();
    (text(&error.error_code), text(&error.error_msg))
}

#[tokio::test]
async fn every_documented_v2_cluster_error_is_typed() {
    #[rustfmt::skip]
    let table: &[ErrorRow<mrs_v2::types::MrsError>] = &[
        ("mrs-v2/create_cluster.400", |url| erase(create_analysis(url)),
            ("MRS.0002", "The parameter is invalid.")),
        ("mrs-v2/create_cluster.500", |url| erase(create_analysis(url)), INTERNAL),
        ("mrs-v2/update_cluster_name.400", |url| erase(rename(url)),
            ("12000360", "Cluster name cannot be updated for a cluster that is in the terminating or terminated state.")),
        ("mrs-v2/show_auto_scaling_policy.400", |url| erase(auto_scaling_policies(url)),
            ("12000003", "The cluster does not exist.")),
    ];
    replay_error_table(table, said_v2).await;
}

// --- auto scaling: configure a node group's rule (v1.1), read every group's (v2) ---

/// The v1.1 page's example, fixed as its tables type it (see the cassette's note).
async fn scaling_policy(url: String) -> Reply<mrs_v1_1::types::CreateScalingPolicyResult> {
    let body: mrs_v1_1::types::CreateScalingPolicyRequest = serde_json::from_value(serde_json::json!({
        "node_group": "task_node_default_group",
        "auto_scaling_policy": {
            "auto_scaling_enable": true, "min_capacity": 1, "max_capacity": 3,
            "resources_plans": [
                {"period_type": "daily", "start_time": "9:50", "end_time": "10:20", "min_capacity": 2, "max_capacity": 3},
                {"period_type": "daily", "start_time": "10:20", "end_time": "12:30", "min_capacity": 0, "max_capacity": 2},
            ],
            "exec_scripts": [
                {"name": "before_scale_out", "uri": "s3a://XXX/zeppelin_install.sh", "parameters": "",
                 "nodes": ["master", "core", "task"], "active_master": true, "action_stage": "before_scale_out", "fail_action": "continue"},
                {"name": "after_scale_out", "uri": "s3a://XXX/storm_rebalance.sh", "parameters": "",
                 "nodes": ["master", "core", "task"], "active_master": true, "action_stage": "after_scale_out", "fail_action": "continue"},
            ],
            "rules": [
                {"name": "default-expand-1", "adjustment_type": "scale_out", "cool_down_minutes": 5, "scaling_adjustment": 1,
                 "trigger": {"metric_name": "YARNMemoryAvailablePercentage", "metric_value": "25", "comparison_operator": "LT", "evaluation_periods": 10}},
                {"name": "default-shrink-1", "adjustment_type": "scale_in", "cool_down_minutes": 5, "scaling_adjustment": 1,
                 "trigger": {"metric_name": "YARNMemoryAvailablePercentage", "metric_value": "70", "comparison_operator": "GT", "evaluation_periods": 10}},
            ],
        },
    }))
    .unwrap();
    Client::with_runtime(&url, replay::runtime())
        .create_scaling_policy()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .body(body)
        .send()
        .await
}

#[tokio::test]
async fn create_scaling_policy_200_succeeds() {
    let answer = replay_ok("mrs-v1-1/create_scaling_policy.200", scaling_policy).await;
    assert_eq!(answer.result.as_deref(), Some("succeeded"));
}

/// The cluster the v2 cassettes name.
const CLUSTER_V2: &str = replay::ids::CLUSTER;

async fn auto_scaling_policies(url: String) -> Reply2<mrs_v2::types::AutoScalingPolicies> {
    mrs_v2::Client::with_runtime(&url, replay::runtime())
        .show_auto_scaling_policy()
        .project_id(PROJECT)
        .cluster_id(CLUSTER_V2)
        .send()
        .await
}

/// The page's example wraps the policies in `auto_scaling_policies`; its table and the SDK
/// answer the array itself. Both read as the same policies; `metric_value` is a number there.
#[tokio::test]
async fn show_auto_scaling_policy_200_reads_wrapped_and_bare_answers_alike() {
    use mrs_v2::types::{AutoScalingPolicies, MetricValue};
    for cassette in [
        "mrs-v2/show_auto_scaling_policy.200",
        "mrs-v2/show_auto_scaling_policy.200.array",
    ] {
        let answer = replay_ok(cassette, auto_scaling_policies).await;
        let policies = match answer {
            AutoScalingPolicies::List(list) => list,
            AutoScalingPolicies::WrappedAutoScalingPolicies(wrapped) => {
                wrapped.auto_scaling_policies
            }
        }
        .unwrap_or_default();
        assert_eq!(policies.len(), 1, "{cassette}");
        let group = &policies[0];
        assert_eq!(
            group.node_group_name.as_deref(),
            Some("task_node_analysis_group"),
            "{cassette}"
        );
        let policy = group.auto_scaling_policy.as_ref().unwrap();
        assert_eq!(
            (
                policy.auto_scaling_enable,
                policy.min_capacity,
                policy.max_capacity
            ),
            (Some(true), Some(0), Some(1)),
            "{cassette}"
        );
        let plan = &policy.resources_plans.as_deref().unwrap()[0];
        assert_eq!(
            plan.effective_days.as_deref(),
            Some(&["SUNDAY".to_owned()][..])
        );
        let rule = &policy.rules.as_deref().unwrap()[0];
        assert_eq!(rule.adjustment_type.as_deref(), Some("scale_out"));
        let trigger = rule.trigger.as_ref().unwrap();
        assert_eq!(trigger.metric_name.as_deref(), Some("YARNAppRunning"));
        assert_eq!(
            trigger.metric_value,
            Some(MetricValue::Double(100.0)),
            "{cassette}"
        );
    }
}

// --- phase, waiters, paginators ---

/// Every documented state and its phase, as the spec maps them (`x-phase` on KnownClusterState).
#[test]
fn every_cluster_state_has_the_documented_phase() {
    #[rustfmt::skip]
    let table = [
        ("starting", Phase::Queued),
        ("frozen", Phase::Queued), // the account is frozen: not ended, not running jobs
        ("running", Phase::Running),
        ("scaling-out", Phase::Running),
        ("scaling-in", Phase::Running),
        ("terminating", Phase::Running), // not ended yet
        ("terminated", Phase::Succeeded), // a cluster's normal end
        ("failed", Phase::Failed),
        ("abnormal", Phase::Failed),
    ];
    for (word, phase) in table {
        let known: KnownClusterState = word.parse().unwrap();
        assert_eq!(known.phase(), phase, "{word}");
        assert_eq!(ClusterState::from(known).phase(), phase, "{word}");
        // The service's word in another case or with space around it reads the same.
        let shouted: ClusterState =
            serde_json::from_value(format!(" {} ", word.to_uppercase()).into()).unwrap();
        assert_eq!(shouted.phase(), phase, "{word}");
    }
}

const FAST: Duration = Duration::from_millis(5);
const BOUND: Duration = Duration::from_secs(10);

/// A server answering each reply once, in turn, then the last for ever.
async fn serve(replies: &[(u16, serde_json::Value)]) -> MockServer {
    let server = MockServer::start().await;
    refuse_bad_signatures(&server).await;
    let (last, first) = replies.split_last().unwrap();
    for (i, (code, body)) in first.iter().enumerate() {
        Mock::given(any())
            .respond_with(ResponseTemplate::new(*code).set_body_json(body))
            .up_to_n_times(1)
            .with_priority(2 + i as u8)
            .mount(&server)
            .await;
    }
    Mock::given(any())
        .respond_with(ResponseTemplate::new(last.0).set_body_json(&last.1))
        .with_priority(50)
        .mount(&server)
        .await;
    server
}

/// A details answer for the test cluster in `state`.
fn in_state(state: &str) -> (u16, serde_json::Value) {
    (
        200,
        serde_json::json!({"cluster": {"clusterId": CLUSTER, "clusterState": state, "errorInfo": ""}}),
    )
}

/// The server was polled `polls` times, each a signed read of the test cluster.
async fn assert_polls(server: &MockServer, polls: usize) {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), polls);
    for request in &requests {
        replay::verify_signature(request).unwrap();
        assert_eq!(
            request.url.path(),
            format!("/v1.1/{PROJECT}/cluster_infos/{CLUSTER}")
        );
    }
}

fn running(client: &Client) -> mrs_v1_1::waiters::ClusterRunning<'_> {
    client
        .wait_until_cluster_running()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .poll_interval(FAST)
        .max_wait(BOUND)
}

fn terminated(client: &Client) -> mrs_v1_1::waiters::ClusterTerminated<'_> {
    client
        .wait_until_cluster_terminated()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .poll_interval(FAST)
        .max_wait(BOUND)
}

/// `cluster_running`: waits through starting and frozen, succeeds at running (or while it is
/// resized), and fails at a failed, abnormal or already terminated cluster.
#[tokio::test]
async fn cluster_running_waits_until_the_cluster_runs_and_fails_at_an_end() {
    // (states polled, Ok(final state) or Err(phase of the failure))
    #[rustfmt::skip]
    let cases: &[(&[&str], Result<&str, Phase>)] = &[
        (&["starting", "starting", "running"], Ok("running")),
        (&["starting", "frozen", "scaling-out"], Ok("scaling-out")),
        (&["starting", "failed"], Err(Phase::Failed)),
        (&["starting", "abnormal"], Err(Phase::Failed)),
        // A transient cluster that finished its job before the first poll.
        (&["terminated"], Err(Phase::Succeeded)),
    ];
    for (states, expected) in cases {
        let replies: Vec<_> = states.iter().map(|s| in_state(s)).collect();
        let server = serve(&replies).await;
        let client = Client::with_runtime(&server.uri(), replay::runtime());
        let outcome = running(&client).send().await;
        match (outcome, expected) {
            (Ok(Waited::Reached(answer)), Ok(state)) => {
                let cluster = answer.cluster.unwrap();
                assert_eq!(
                    cluster.cluster_state,
                    Some(state.parse::<KnownClusterState>().unwrap().into())
                );
            }
            (Err(WaitError::Failed { phase, status, .. }), Err(failed)) => {
                assert_eq!(&phase, failed, "{states:?}");
                assert_eq!(status.as_deref(), states.last().copied());
            }
            (other, _) => panic!("{states:?}: {other:?}"),
        }
        assert_polls(&server, states.len()).await;
    }
}

/// `cluster_terminated`: polls through running and terminating until terminated; a cluster the
/// service no longer knows (400 `12000003`) is gone; another refusal is the poll's error.
#[tokio::test]
async fn cluster_terminated_ends_at_terminated_or_gone() {
    let unknown = (
        400,
        serde_json::json!({"error_code": "12000003", "error_msg": "The cluster does not exist."}),
    );
    let refused = (
        400,
        serde_json::json!({"error_code": "12000002", "error_msg": "The parameter is invalid."}),
    );
    let server = serve(&[
        in_state("running"),
        in_state("terminating"),
        in_state("terminated"),
    ])
    .await;
    let client = Client::with_runtime(&server.uri(), replay::runtime());
    match terminated(&client).send().await {
        Ok(Waited::Reached(answer)) => assert_eq!(
            answer
                .cluster
                .and_then(|c| c.cluster_state)
                .map(|s| s.phase()),
            Some(Phase::Succeeded)
        ),
        other => panic!("{other:?}"),
    }
    assert_polls(&server, 3).await;
    let server = serve(&[in_state("terminating"), unknown]).await;
    let client = Client::with_runtime(&server.uri(), replay::runtime());
    assert!(matches!(terminated(&client).send().await, Ok(Waited::Gone)));
    let server = serve(&[in_state("terminating"), refused]).await;
    let client = Client::with_runtime(&server.uri(), replay::runtime());
    assert!(matches!(
        terminated(&client).send().await,
        Err(WaitError::Call { .. })
    ));
}

/// An answer about another cluster ends the wait instead of being taken for this one's.
#[tokio::test]
async fn a_cluster_waiter_refuses_an_answer_about_another_cluster() {
    let other = (
        200,
        serde_json::json!({"cluster": {"clusterId": "bdb064ff-2855-4624-90d5-e9a6376abd6e", "clusterState": "running"}}),
    );
    let server = serve(&[other]).await;
    let client = Client::with_runtime(&server.uri(), replay::runtime());
    assert!(matches!(
        running(&client).send().await,
        Err(WaitError::OtherJob { .. })
    ));
}

/// A server holding `total` items, served by page (`currentPage`, `pageSize`) with `body`;
/// the pages asked for are recorded.
async fn paged(
    total: u64,
    body: fn(Vec<u64>, u64) -> serde_json::Value,
) -> (MockServer, Arc<Mutex<Vec<(u64, u64)>>>) {
    paged_with(total, body).await
}

/// [`paged`], with a body maker that may capture (how the total is written).
async fn paged_with(
    total: u64,
    body: impl Fn(Vec<u64>, u64) -> serde_json::Value + Send + Sync + 'static,
) -> (MockServer, Arc<Mutex<Vec<(u64, u64)>>>) {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    Mock::given(any())
        .respond_with(move |request: &Request| {
            replay::verify_signature(request).unwrap();
            let query = |name: &str| {
                request
                    .url
                    .query_pairs()
                    .find(|(k, _)| k == name)
                    .and_then(|(_, v)| v.parse::<u64>().ok())
            };
            let (page, size) = (query("currentPage").unwrap(), query("pageSize").unwrap());
            log.lock().unwrap().push((page, size));
            let items = ((page - 1) * size..(page * size).min(total)).collect();
            ResponseTemplate::new(200).set_body_json(body(items, total))
        })
        .mount(&server)
        .await;
    (server, seen)
}

/// Both lists end at their total, asking no page beyond it: `list_clusters`' `clusterTotal` a
/// String or an integer, `list_hosts`' `total`.
#[tokio::test]
async fn cluster_and_host_lists_stream_every_item_across_pages() {
    // `clusterTotal` as the page types it (a string) and as the SDKs do (an integer): either is
    // the count, so four clusters in pages of two take two requests, not a third empty one.
    fn as_string(total: u64) -> serde_json::Value {
        serde_json::json!(total.to_string())
    }
    fn as_integer(total: u64) -> serde_json::Value {
        serde_json::json!(total)
    }
    let forms: [fn(u64) -> serde_json::Value; 2] = [as_string, as_integer];
    for (total_as, clusters) in forms.into_iter().flat_map(|f| [(f, 5u64), (f, 4)]) {
        let (server, seen) = paged_with(clusters, move |items, total| {
            let clusters: Vec<_> = items
                .iter()
                .map(|i| serde_json::json!({"clusterId": format!("c-{i}"), "clusterState": "running"}))
                .collect();
            serde_json::json!({"clusterTotal": total_as(total), "clusters": clusters})
        })
        .await;
        let client = Client::with_runtime(&server.uri(), replay::runtime());
        let ids: Vec<String> = client
            .list_clusters()
            .project_id(PROJECT)
            .page_size(2u32)
            .stream()
            .map(|c| c.unwrap().cluster_id.unwrap())
            .collect()
            .await;
        let expected: Vec<String> = (0..clusters).map(|i| format!("c-{i}")).collect();
        assert_eq!(ids, expected);
        let pages: Vec<(u64, u64)> = (1..=clusters.div_ceil(2)).map(|p| (p, 2)).collect();
        assert_eq!(*seen.lock().unwrap(), pages, "{clusters} clusters");
    }

    let (server, seen) = paged(4, |items, total| {
        let hosts: Vec<_> = items
            .iter()
            .map(|i| serde_json::json!({"id": format!("h-{i}"), "status": "ACTIVE"}))
            .collect();
        serde_json::json!({"total": total, "hosts": hosts})
    })
    .await;
    let client = Client::with_runtime(&server.uri(), replay::runtime());
    let ids: Vec<String> = client
        .list_hosts()
        .project_id(PROJECT)
        .cluster_id(CLUSTER)
        .page_size(2u32)
        .stream()
        .map(|h| h.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, ["h-0", "h-1", "h-2", "h-3"]);
    // Two full pages make the total: no third page is asked for.
    assert_eq!(*seen.lock().unwrap(), [(1, 2), (2, 2)]);
}

// The request bodies, written out so the replayed request is compared with an independent
// recording; `PASSWORD` goes where the cassettes say `<scrubbed>`.

fn run_job_flow_json() -> serde_json::Value {
    serde_json::json!({
        "billing_type": 12,
        "data_center": "eu-de",
        "available_zone_id": "bf84aba586ce4e948da0b97d9a7d62fb",
        "cluster_name": "mrs_HEbK",
        "cluster_version": "MRS 3.X.X",
        "safe_mode": 0,
        "cluster_type": 0,
        "component_list": [
            {
                "component_name": "Hadoop"
            },
            {
                "component_name": "Spark"
            },
            {
                "component_name": "HBase"
            },
            {
                "component_name": "Hive"
            },
            {
                "component_name": "Presto"
            },
            {
                "component_name": "Tez"
            },
            {
                "component_name": "Hue"
            },
            {
                "component_name": "Loader"
            },
            {
                "component_name": "Flink"
            }
        ],
        "vpc": "vpc-4b1c",
        "vpc_id": "4a365717-67be-4f33-80c5-98e98a813af8",
        "subnet_id": "67984709-e15e-4e86-9886-d76712d4e00a",
        "subnet_name": "subnet-4b44",
        "security_groups_id": "4820eace-66ad-4f2c-8d46-cf340e3029dd",
        "enterprise_project_id": "0",
        "tags": [
            {
                "key": "key1",
                "value": "value1"
            },
            {
                "key": "key2",
                "value": "value2"
            }
        ],
        "node_groups": [
            {
                "group_name": "master_node_default_group",
                "node_num": 2,
                "node_size": "c6.4.xlarge.4linux.mrs",
                "root_volume_size": 480,
                "root_volume_type": "SATA",
                "data_volume_type": "SATA",
                "data_volume_count": 1,
                "data_volume_size": 600
            },
            {
                "group_name": "core_node_analysis_group",
                "node_num": 3,
                "node_size": "c6.4.xlarge.4linux.mrs",
                "root_volume_size": 480,
                "root_volume_type": "SATA",
                "data_volume_type": "SATA",
                "data_volume_count": 1,
                "data_volume_size": 600
            },
            {
                "group_name": "task_node_analysis_group",
                "node_num": 2,
                "node_size": "c6.4.xlarge.4linux.mrs",
                "root_volume_size": 480,
                "root_volume_type": "SATA",
                "data_volume_type": "SATA",
                "data_volume_count": 0,
                "data_volume_size": 600,
                "auto_scaling_policy": {
                    "auto_scaling_enable": true,
                    "min_capacity": 1,
                    "max_capacity": 3,
                    "resources_plans": [
                        {
                            "period_type": "daily",
                            "start_time": "9:50",
                            "end_time": "10:20",
                            "min_capacity": 2,
                            "max_capacity": 3
                        },
                        {
                            "period_type": "daily",
                            "start_time": "10:20",
                            "end_time": "12:30",
                            "min_capacity": 0,
                            "max_capacity": 2
                        }
                    ],
                    "exec_scripts": [
                        {
                            "name": "before_scale_out",
                            "uri": "s3a://XXX/zeppelin_install.sh",
                            "parameters": "${mrs_scale_node_num} ${mrs_scale_type} xxx",
                            "nodes": [
                                "master",
                                "core",
                                "task"
                            ],
                            "active_master": true,
                            "action_stage": "before_scale_out",
                            "fail_action": "continue"
                        },
                        {
                            "name": "after_scale_out",
                            "uri": "s3a://XXX/storm_rebalance.sh",
                            "parameters": "${mrs_scale_node_hostnames} ${mrs_scale_node_ips}",
                            "nodes": [
                                "master",
                                "core",
                                "task"
                            ],
                            "active_master": true,
                            "action_stage": "after_scale_out",
                            "fail_action": "continue"
                        }
                    ],
                    "rules": [
                        {
                            "name": "default-expand-1",
                            "adjustment_type": "scale_out",
                            "cool_down_minutes": 5,
                            "scaling_adjustment": 1,
                            "trigger": {
                                "metric_name": "YARNMemoryAvailablePercentage",
                                "metric_value": "25",
                                "comparison_operator": "LT",
                                "evaluation_periods": 10
                            }
                        },
                        {
                            "name": "default-shrink-1",
                            "adjustment_type": "scale_in",
                            "cool_down_minutes": 5,
                            "scaling_adjustment": 1,
                            "trigger": {
                                "metric_name": "YARNMemoryAvailablePercentage",
                                "metric_value": "70",
                                "comparison_operator": "GT",
                                "evaluation_periods": 10
                            }
                        }
                    ]
                }
            }
        ],
        "login_mode": 0,
        "cluster_master_secret": PASSWORD,
        "cluster_admin_secret": PASSWORD,
        "log_collection": 1,
        "add_jobs": [
            {
                "job_type": 1,
                "job_name": "tenji111",
                "jar_path": "s3a://bigdata/program/hadoop-mapreduce-examples-2.7.2.jar",
                "arguments": "wordcount",
                "input": "s3a://bigdata/input/wd_1k/",
                "output": "s3a://bigdata/ouput/",
                "job_log": "s3a://bigdata/log/",
                "shutdown_cluster": true,
                "file_action": "",
                "submit_job_once_cluster_run": true,
                "hql": "",
                "hive_script_path": ""
            }
        ],
        "bootstrap_scripts": [
            {
                "name": "Modify os config",
                "uri": "s3a://XXX/modify_os_config.sh",
                "parameters": "param1 param2",
                "nodes": [
                    "master",
                    "core",
                    "task"
                ],
                "active_master": false,
                "before_component_start": true,
                "fail_action": "continue"
            },
            {
                "name": "Install zepplin",
                "uri": "s3a://XXX/zeppelin_install.sh",
                "parameters": "",
                "nodes": [
                    "master"
                ],
                "active_master": true,
                "before_component_start": false,
                "fail_action": "continue"
            }
        ]
    })
}

fn analysis_cluster_json() -> serde_json::Value {
    serde_json::json!({
        "cluster_version": "MRS 3.X.X",
        "cluster_name": "mrs_DyJA_dm",
        "cluster_type": "ANALYSIS",
        "charge_info": {
            "charge_mode": "postPaid"
        },
        "region": "",
        "availability_zone": "",
        "vpc_name": "vpc-37cd",
        "subnet_name": "subnet-ed99",
        "components": "Hadoop,Spark2x,HBase,Hive,Hue,Loader,Flink,Oozie,Ranger,Tez",
        "safe_mode": "KERBEROS",
        "manager_admin_password": PASSWORD,
        "login_mode": "PASSWORD",
        "node_root_password": PASSWORD,
        "log_collection": 1,
        "mrs_ecs_default_agency": "MRS_ECS_DEFAULT_AGENCY",
        "tags": [
            {
                "key": "tag1",
                "value": "111"
            },
            {
                "key": "tag2",
                "value": "222"
            }
        ],
        "node_groups": [
            {
                "group_name": "master_node_default_group",
                "node_num": 2,
                "node_size": "rc3.4xlarge.4.linux.bigdata",
                "root_volume": {
                    "type": "SAS",
                    "size": 100
                },
                "data_volume": {
                    "type": "SAS",
                    "size": 600
                },
                "data_volume_count": 1
            },
            {
                "group_name": "core_node_analysis_group",
                "node_num": 3,
                "node_size": "rc3.4xlarge.4.linux.bigdata",
                "root_volume": {
                    "type": "SAS",
                    "size": 100
                },
                "data_volume": {
                    "type": "SAS",
                    "size": 600
                },
                "data_volume_count": 1
            },
            {
                "group_name": "task_node_analysis_group",
                "node_num": 3,
                "node_size": "rc3.4xlarge.4.linux.bigdata",
                "root_volume": {
                    "type": "SAS",
                    "size": 100
                },
                "data_volume": {
                    "type": "SAS",
                    "size": 600
                },
                "data_volume_count": 1,
                "auto_scaling_policy": {
                    "auto_scaling_enable": true,
                    "min_capacity": 0,
                    "max_capacity": 1,
                    "rules": [
                        {
                            "name": "default-expand-1",
                            "description": "",
                            "adjustment_type": "scale_out",
                            "cool_down_minutes": 5,
                            "scaling_adjustment": 1,
                            "trigger": {
                                "metric_name": "StormSlotAvailablePercentage",
                                "metric_value": "100",
                                "comparison_operator": "LTOE",
                                "evaluation_periods": 1
                            }
                        }
                    ]
                }
            }
        ]
    })
}

fn transient_cluster_json() -> serde_json::Value {
    serde_json::json!({
        "cluster_version": "MRS 3.X.X",
        "cluster_name": "mrs_transient_spark",
        "cluster_type": "ANALYSIS",
        "charge_info": {
            "charge_mode": "postPaid"
        },
        "region": "",
        "availability_zone": "",
        "vpc_name": "vpc-37cd",
        "subnet_name": "subnet-ed99",
        "components": "Hadoop,Spark2x,HBase,Hive,Hue,Loader,Flink,Oozie,Ranger,Tez",
        "safe_mode": "KERBEROS",
        "manager_admin_password": PASSWORD,
        "login_mode": "PASSWORD",
        "node_root_password": PASSWORD,
        "log_collection": 1,
        "mrs_ecs_default_agency": "MRS_ECS_DEFAULT_AGENCY",
        "tags": [
            {
                "key": "tag1",
                "value": "111"
            },
            {
                "key": "tag2",
                "value": "222"
            }
        ],
        "node_groups": [
            {
                "group_name": "master_node_default_group",
                "node_num": 2,
                "node_size": "rc3.4xlarge.4.linux.bigdata",
                "root_volume": {
                    "type": "SAS",
                    "size": 100
                },
                "data_volume": {
                    "type": "SAS",
                    "size": 600
                },
                "data_volume_count": 1
            },
            {
                "group_name": "core_node_analysis_group",
                "node_num": 3,
                "node_size": "rc3.4xlarge.4.linux.bigdata",
                "root_volume": {
                    "type": "SAS",
                    "size": 100
                },
                "data_volume": {
                    "type": "SAS",
                    "size": 600
                },
                "data_volume_count": 1
            }
        ],
        "add_jobs": [
            {
                "job_type": 2,
                "job_name": "spark_pi",
                "jar_path": "s3a://bigdata/program/spark-examples_2.12-3.1.1.jar",
                "arguments": "org.apache.spark.examples.SparkPi 1000",
                "job_log": "s3a://bigdata/log/",
                "shutdown_cluster": true,
                "submit_job_once_cluster_run": true
            }
        ],
        "bootstrap_scripts": [
            {
                "name": "Modify os config",
                "uri": "s3a://XXX/modify_os_config.sh",
                "parameters": "param1 param2",
                "nodes": [
                    "Master",
                    "Core"
                ],
                "active_master": false,
                "before_component_start": true,
                "fail_action": "continue"
            }
        ]
    })
}
