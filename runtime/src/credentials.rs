//! Who the calls are made as: AK/SK (optionally temporary, with a security token), an IAM token
//! the user holds, or an IAM user whose token is fetched and cached. Secrets never print.

use std::fmt;

use crate::error::ConfigError;

/// The vendor SDKs' environment variable names.
pub const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
pub const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
pub const ENV_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";

/// A secret value: shown as `<redacted>` by `Debug` and `Display`, readable only through
/// [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself: for signing and for the header that carries it, nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

/// An IAM user that can obtain project-scoped tokens (`POST {iam}/v3/auth/tokens`).
#[derive(Debug, Clone)]
pub struct IamUser {
    /// Base URL of IAM, e.g. `https://iam.eu-de.otc.t-systems.com` (see [`crate::Region::iam_url`]).
    pub iam_url: String,
    pub user: String,
    pub password: Secret,
    /// The account (domain) name.
    pub domain: String,
    /// The project the token is scoped to.
    pub project_id: String,
}

#[derive(Debug, Clone)]
pub enum Credentials {
    /// Requests are signed with `SDK-HMAC-SHA256`; `security_token` for temporary credentials.
    AkSk {
        /// The access key id: not secret, it is sent in every `Authorization` header.
        ak: String,
        sk: Secret,
        security_token: Option<Secret>,
    },
    /// A token the caller already holds, sent as `X-Auth-Token`.
    Token(Secret),
    /// Tokens obtained from IAM and cached until shortly before they expire.
    Iam(IamUser),
    /// No authentication (a local or proxying endpoint).
    None,
}

impl Credentials {
    pub fn aksk(ak: impl Into<String>, sk: impl Into<Secret>) -> Self {
        Credentials::AkSk {
            ak: ak.into(),
            sk: sk.into(),
            security_token: None,
        }
    }

    /// AK/SK and project id from `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`,
    /// `HUAWEICLOUD_SDK_SECURITY_TOKEN` (optional) and `HUAWEICLOUD_SDK_PROJECT_ID` (optional).
    pub fn from_env() -> Result<(Credentials, Option<String>), ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`Credentials::from_env`] over any variable source (tests pass a map).
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<(Credentials, Option<String>), ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let ak = get(ENV_AK).ok_or(ConfigError::MissingEnv(ENV_AK))?;
        let sk = get(ENV_SK).ok_or(ConfigError::MissingEnv(ENV_SK))?;
        let credentials = Credentials::AkSk {
            ak,
            sk: Secret(sk),
            security_token: get(ENV_SECURITY_TOKEN).map(Secret),
        };
        Ok((credentials, get(ENV_PROJECT_ID)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let credentials = Credentials::AkSk {
            ak: "AKVISIBLE00000000000".into(),
            sk: Secret::new("sk-value-that-must-not-leak"),
            security_token: Some(Secret::new("token-value-that-must-not-leak")),
        };
        let printed = format!("{credentials:?} {}", Secret::new("display-secret"));
        assert!(printed.contains("AKVISIBLE00000000000"), "{printed}");
        for secret in ["sk-value", "token-value", "display-secret"] {
            assert!(!printed.contains(secret), "{printed}");
        }
    }

    #[test]
    fn environment_names_are_the_vendor_sdks() {
        let env = |name: &str| match name {
            "HUAWEICLOUD_SDK_AK" => Some("AK1".to_owned()),
            "HUAWEICLOUD_SDK_SK" => Some("SK1".to_owned()),
            "HUAWEICLOUD_SDK_PROJECT_ID" => Some("p1".to_owned()),
            "HUAWEICLOUD_SDK_SECURITY_TOKEN" => Some("t1".to_owned()),
            _ => None,
        };
        let (credentials, project) = Credentials::from_lookup(env).unwrap();
        assert_eq!(project.as_deref(), Some("p1"));
        match credentials {
            Credentials::AkSk {
                ak,
                sk,
                security_token,
            } => {
                assert_eq!(ak, "AK1");
                assert_eq!(sk.expose(), "SK1");
                assert_eq!(security_token.unwrap().expose(), "t1");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_missing_key_names_the_variable() {
        let error = Credentials::from_lookup(|_| None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "environment variable HUAWEICLOUD_SDK_AK is not set: export it (and HUAWEICLOUD_SDK_SK), or give credentials in code with Runtime::builder().credentials(..)"
        );
    }
}
