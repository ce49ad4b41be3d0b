//! What can go wrong before a request is sent. Messages name the setting to fix and never
//! contain a secret.

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "environment variable {0} is not set: export it (and HUAWEICLOUD_SDK_SK), or give credentials in code with Runtime::builder().credentials(..)"
    )]
    MissingEnv(&'static str),

    #[error("cannot build the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),
}

/// A request could not be authenticated.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("IAM token request to {url} failed: {source}")]
    TokenTransport {
        url: String,
        #[source]
        source: reqwest::Error,
    },

    #[error("IAM refused the token request ({url}): status {status}: {body}")]
    TokenRefused {
        url: String,
        status: u16,
        /// IAM's error body (it holds no secret: the password is only in the request).
        body: String,
    },

    #[error("IAM answered {url} without an X-Subject-Token header")]
    TokenMissing { url: String },
}
