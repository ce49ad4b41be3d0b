//! The IDs the cassettes carry, named once for every test that builds a call or an answer
//! around them.

/// The project every cassette's path holds: the one replayed calls are signed for.
pub const PROJECT: &str = crate::gateway::TEST_PROJECT;
/// The DLI job, also the MRS v2 job execution.
pub const JOB: &str = "44b37a20-ffe8-42b1-b42b-78a5978d7e40";
/// The MRS v2 cluster.
pub const CLUSTER: &str = "ef7b54f2-3d92-49b2-a6d7-94607e1ea7df";
/// The MRS v2 SQL statement.
pub const SQL_ID: &str = "20190909_011820_00151_xxxxx";
/// The MRS v1.1 job execution.
pub const EXECUTION: &str = "2de74673-1a78-48af-a95b-e1fec4a4ae9c";
/// The MRS v1.1 job exe.
pub const EXE: &str = "669476bd-3ecb-4cac-8ccb-a1da1c36a5d5";
/// The DataArts Fabric workspace.
pub const WORKSPACE: &str = "0d8b1c0e-3f4a-4b8e-9c1d-2a6e5f7b8c9d";
/// The DataArts Fabric SQL session.
pub const SESSION: &str = "5f2a9c3e-7b1d-4e6f-8a9b-0c1d2e3f4a5b";
/// The DataArts Fabric statement.
pub const STATEMENT: &str = "stmt_20250915_000001";
/// The DataArts Fabric endpoint.
pub const ENDPOINT: &str = "3c2e1f0a-8b7d-4c6e-9f5a-1b2c3d4e5f60";
