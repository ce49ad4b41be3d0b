//! What can go wrong before a request is sent. Messages name the setting to fix and never
//! contain a secret.

use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "environment variable {0} is not set: export it (and HUAWEICLOUD_SDK_SK), or give credentials in code with Runtime::builder().credentials(..)"
    )]
    MissingEnv(&'static str),

    #[error("cannot build the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),

    /// A region id that is not one DNS label: it would put the endpoint (and the IAM URL, where
    /// the password goes) outside the cloud's domain.
    #[error(
        "region id {id} cannot be used: {problem}; use the vendor's id, e.g. `eu-de` or `cn-north-4`"
    )]
    InvalidRegion { id: String, problem: &'static str },

    /// A default header ([`crate::RuntimeBuilder::default_header`]) that cannot be sent, or one
    /// the runtime sets itself. Its value is never shown (it may be a key).
    #[error(
        "default header {name} cannot be used: {problem}; give a header the operations declare (e.g. `workspace`), with a value of visible ASCII"
    )]
    InvalidHeader { name: String, problem: &'static str },

    /// A record-mode rule ([`crate::RuntimeBuilder::scrub_header`], `scrub_pointer`,
    /// `scrub_literal`) that cannot apply. A literal's value is never shown (it may be a secret).
    #[error("record-mode rule {rule} cannot be used: {problem}")]
    InvalidRecordRule { rule: String, problem: &'static str },

    /// A credential, token or project ID that cannot be sent. The value is never shown.
    #[error(
        "{field} cannot be used: {problem}; correct it where it is stored (the value is not shown here)"
    )]
    InvalidCredential {
        field: &'static str,
        problem: &'static str,
    },
}

/// Why a request was not sent, or its answer not accepted, before the generated code decodes it.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error(transparent)]
    Auth(#[from] AuthError),

    /// The URL built from the parameters is not the operation's route.
    #[error(
        "{operation}: refusing to send {method} {path}: it is not the route {route} ({reason}); each path parameter must be one non-empty segment, not `.` or `..`, without `/` or `\\`"
    )]
    Route {
        operation: String,
        method: String,
        route: &'static str,
        path: String,
        reason: String,
    },

    /// A value outside its documented integer range: the service would refuse it.
    #[error(
        "{operation}: {place} `{name}` is {value}, outside its documented range {range}: pass a value within it"
    )]
    OutOfRange {
        operation: String,
        place: &'static str,
        name: &'static str,
        value: String,
        range: String,
    },

    /// An `https` URL in a build without a TLS backend (see [`crate::tls`]).
    #[error(
        "{operation}: cannot send to {scheme}://{host}: {}",
        crate::tls::MISSING
    )]
    NoTls {
        operation: String,
        scheme: String,
        host: String,
    },

    #[error(
        "{0}: the crate's OPERATIONS table has no such operation: regenerate the crate with `cargo xtask generate`"
    )]
    UnknownOperation(String),
}

/// A request could not be authenticated. Cloneable: one failed token request answers every
/// call that waited for it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AuthError {
    #[error("IAM token request to {url} failed: {source}")]
    TokenTransport {
        url: String,
        #[source]
        source: Arc<reqwest::Error>,
    },

    #[error("IAM refused the token request ({url}): status {status}: {body}")]
    TokenRefused {
        url: String,
        status: u16,
        /// An excerpt of IAM's error body (it holds no secret: the password is only in the
        /// request).
        body: String,
    },

    #[error(
        "IAM answered the token request ({url}) with a redirect, status {status}, {location}; it is not followed, so that the password goes nowhere else: set the IAM URL to the right address"
    )]
    TokenRedirected {
        url: String,
        status: u16,
        location: String,
    },

    #[error("IAM answered {url} without an X-Subject-Token header")]
    TokenMissing { url: String },

    /// The task requesting the token ended before IAM answered: the async runtime it ran on
    /// shut down. Calls waiting for it get this; the next call asks IAM again.
    #[error("the IAM token request was stopped before IAM answered (its async runtime shut down)")]
    TokenRequestLost,
}
