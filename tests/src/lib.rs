//! Replays recorded HTTP exchanges (cassettes) through a real local HTTP server.
//!
//! A cassette (`cassettes/<crate>/<operation_id>.<status>[.<case>].json`) holds the request a
//! generated client must send and the response to answer with, plus the doc page it came from.
//! [`Replay::start`] serves the response to any request on a fresh local
//! [`MockServer`](wiremock::MockServer), so a wrong request still gets an answer and the test can
//! report exactly what differed:
//! [`Replay::assert_request`] compares the one request received with the recording.
//!
//! Every replayed call is signed: clients get [`runtime`] (a test AK/SK), and the server, like
//! the API gateway, recomputes the `SDK-HMAC-SHA256` signature from the request it received and
//! answers 401 to a mismatch ([`verify_signature`]).

//!
//! The harness is four parts: the cassette model ([`cassette`]), the signature gateway
//! ([`gateway`]), the replay server ([`server`], with the tables tests are written as) and the
//! raw listener ([`raw`]); [`ids`] names the IDs the cassettes carry. Everything is re-exported
//! here, so tests name it `replay::...`.

pub mod cassette;
pub mod gateway;
pub mod ids;
pub mod raw;
pub mod server;

pub use cassette::{Cassette, RecordedRequest, RecordedResponse, cassettes_dir, without_nulls};
pub use gateway::{
    TEST_AK, TEST_PROJECT, TEST_SK, refuse_bad_signatures, runtime, runtime_with_default_header,
    verify_signature,
};
pub use progenitor_client::{Error, ResponseValue};
pub use raw::{RawListener, RawRequest};
pub use server::{
    Erased, ErasedCall, ErrorRow, HEADERS_NEVER_SENT, Replay, erase, expect_error_response,
    expect_unexpected_status, replay_err, replay_error_table, replay_errs, replay_ok,
    serve_undeclared, untyped,
};

/// The README's Rust example, compiled as a doctest so it cannot drift from the generated API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExample;
