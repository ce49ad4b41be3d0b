//! The cassette model: a recorded exchange as stored on disk
//! (`cassettes/<crate>/<operation_id>.<status>[.<case>].json`), and how a typed value is compared
//! with a recorded body.
//!
//! A response body is JSON (`"body": {...}`), or, for a body that is not JSON (a zip file an
//! export answers), its bytes in standard base64 (`"body_base64": "UEsDBA..."`) beside a
//! `content-type` header that is not JSON. The two are mutually exclusive; the replay server
//! answers the decoded bytes unchanged, and `cargo xtask lint` checks both rules.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A recorded exchange, as stored on disk.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cassette {
    /// The spec's `operationId` this exchange belongs to.
    pub operation_id: String,
    /// Where the exchange comes from: the doc page and its example.
    pub source: String,
    /// Decisions taken while recording (a doc contradiction, a value the doc leaves open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub request: RecordedRequest,
    pub response: RecordedResponse,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RecordedRequest {
    pub method: String,
    /// The raw path as sent, percent-encoding included.
    pub path: String,
    /// Query pairs; compared in any order (a signed request sends them sorted, canonically).
    #[serde(default)]
    pub query: Vec<(String, String)>,
    /// Headers that matter (lower-case names); others the client sends are ignored.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// JSON body; absent for a request without a body.
    #[serde(default)]
    pub body: Option<Value>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedResponse {
    pub status: u16,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// JSON body; absent for an empty body.
    #[serde(default)]
    pub body: Option<Value>,
    /// A body that is not JSON, its bytes in standard base64 (never beside `body`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_base64: Option<String>,
    /// JSON pointers (into `body`) of members the spec does not know: the typed value must drop them
    /// and decode everything else.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmodelled: Vec<String>,
}

/// The directory holding every cassette.
pub fn cassettes_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("cassettes")
}

impl RecordedResponse {
    /// The bytes of a `body_base64` body; `None` for a JSON or empty body.
    ///
    /// # Panics
    /// When the text is not standard base64 (lint refuses such a cassette first).
    pub fn binary_body(&self) -> Option<Vec<u8>> {
        use base64::Engine;
        let text = self.body_base64.as_ref()?;
        Some(
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .unwrap_or_else(|e| panic!("`body_base64` is not base64: {e}")),
        )
    }
}

impl Cassette {
    /// Loads `name` (`dli-v1/cancel_sql_job.200`), checking that its file name agrees with its
    /// content: the operation id and the status are part of how cassettes are found.
    pub fn load(name: &str) -> Cassette {
        let path = cassettes_dir().join(format!("{name}.json"));
        Cassette::read(&path).unwrap_or_else(|problem| panic!("{problem}"))
    }

    /// Reads the cassette at `path` (anywhere: a recording too), checking its file name against
    /// its content as [`Cassette::load`] does.
    pub fn read(path: &Path) -> Result<Cassette, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read cassette {}: {e}", path.display()))?;
        let cassette: Cassette = serde_json::from_str(&text)
            .map_err(|e| format!("cassette {} is malformed: {e}", path.display()))?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut parts = file_name.split('.');
        if parts.next() != Some(cassette.operation_id.as_str()) {
            return Err(format!(
                "{}: file name must start with the operation id",
                path.display()
            ));
        }
        if parts.next() != Some(cassette.response.status.to_string().as_str()) {
            return Err(format!(
                "{}: file name must carry the response status after the operation id",
                path.display()
            ));
        }
        if cassette.response.body.is_some() && cassette.response.body_base64.is_some() {
            return Err(format!(
                "{}: a response has `body` or `body_base64`, not both",
                path.display()
            ));
        }
        Ok(cassette)
    }
}

/// Normalises a JSON value for comparing a typed value with a recording: drops members that are
/// `null`, `[]` or `{}` (generated types skip `None` and empty collections when serialising), and
/// writes every number as a float (a recorded `0` and a typed `0.0` are the same `double`).
pub fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, without_nulls(v)))
                .filter(|(_, v)| !is_empty(v))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Number(n), Value::Number),
        other => other,
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}
