//! What the generated clients need at run time to call the real services: authentication
//! (AK/SK signing, IAM tokens), endpoints, timeouts, retries and tracing.
//!
//! Each generated crate's `Client` carries a [`Runtime`] (progenitor's "inner type") and its
//! `ClientHooks` impl, emitted by codegen, calls [`Runtime::prepare`] before a request,
//! [`Runtime::execute`] to send it, and [`Runtime::finish`] on the outcome. A generated crate
//! is reached in one line, `dli_v1::Client::from_env(&Region::otc("eu-de"))?`, which is:
//!
//! ```no_run
//! use cloud_runtime::{Region, Runtime, Service};
//! # fn demo() -> Result<(), cloud_runtime::ConfigError> {
//! // HUAWEICLOUD_SDK_AK / _SK (and _PROJECT_ID, _SECURITY_TOKEN) from the environment.
//! let runtime = Runtime::from_env()?;
//! let base_url = Region::otc("eu-de").endpoint(&Service::new("dli"))?;
//! // dli_v1::Client::with_runtime(&base_url, runtime)
//! # Ok(()) }
//! ```

pub mod call;
pub mod cancel;
#[cfg(feature = "cli")]
pub mod cli;
pub mod contract;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod limits;
#[cfg(feature = "mock")]
pub mod mock;
pub mod not_found;
pub mod paginate;
pub mod phase;
mod pipeline;
pub mod record;
pub mod response;
pub mod retry;
pub mod route;
mod runtime;
pub mod secret;
pub mod signing;
pub mod tls;
pub mod token;
pub mod wait;

pub use call::{Call, Operation};
pub use cancel::CancelOutcome;
pub use credentials::{Credentials, IamUser};
pub use endpoint::{Cloud, Region, Service};
pub use error::{AuthError, CallError, ConfigError};
pub use not_found::NotFound;
pub use phase::Phase;
pub use retry::RetryPolicy;
pub use runtime::{Runtime, RuntimeBuilder};
pub use secret::Secret;

#[cfg(test)]
mod tests {
    /// `contract::VERSION` is what codegen writes into every generated manifest and model: it
    /// moves with this crate's own version or a release would point at the wrong runtime.
    #[test]
    fn the_contract_names_this_crates_version() {
        assert_eq!(crate::contract::VERSION, env!("CARGO_PKG_VERSION"));
    }

    /// Codegen forwards `contract::TLS_FEATURES` from every client crate: each must be a feature
    /// here, the first the default, and each must enable a backend `tls::AVAILABLE` counts.
    #[test]
    fn the_contract_names_this_crates_tls_features() {
        let manifest: &str = include_str!("../Cargo.toml");
        let tls = include_str!("tls.rs");
        let default = format!("default = [\"{}\"]", crate::contract::TLS_FEATURES[0]);
        assert!(manifest.lines().any(|l| l == default), "{default}");
        for feature in crate::contract::TLS_FEATURES {
            let declared = format!("{feature} = [");
            assert!(
                manifest.lines().any(|l| l.starts_with(&declared)),
                "{feature}"
            );
            assert!(
                tls.contains(&format!("feature = \"{feature}\"")),
                "{feature}"
            );
        }
    }
}
