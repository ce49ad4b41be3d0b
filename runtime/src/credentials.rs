//! Who the calls are made as: AK/SK (optionally temporary, with a security token), an IAM token
//! the user holds, or an IAM user whose token is fetched and cached. Secrets never print.

use crate::{error::ConfigError, secret::Secret};

/// The vendor SDKs' environment variable names.
pub const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
pub const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
pub const ENV_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";

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
            sk: Secret::from(sk),
            security_token: get(ENV_SECURITY_TOKEN).map(Secret::from),
        };
        Ok((credentials, get(ENV_PROJECT_ID)))
    }
}

/// How a field travels, which decides what it may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carried {
    /// In a header (AK, tokens, project ID): visible ASCII only.
    Header,
    /// Only hashed or sent inside a JSON body (SK, IAM password and names): no control characters.
    Text,
}

/// One field, checked: trailing line breaks (which files and secret stores leave) removed, then
/// refused if empty or if it holds what its carrier cannot take. The value never appears in the
/// error.
fn checked(field: &'static str, value: &str, carried: Carried) -> Result<String, ConfigError> {
    let value = value.trim_end_matches(['\r', '\n']);
    let problem = if value.is_empty() {
        Some("it is empty")
    } else if value.chars().any(char::is_control) {
        Some("it contains a control character")
    } else if carried == Carried::Header && !value.is_ascii() {
        Some("it contains a non-ASCII character, which a header cannot carry")
    } else if carried == Carried::Header && value.contains(' ') {
        Some("it contains a space")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(ConfigError::InvalidCredential { field, problem }),
        None => Ok(value.to_owned()),
    }
}

fn checked_secret(
    field: &'static str,
    secret: &Secret,
    carried: Carried,
) -> Result<Secret, ConfigError> {
    checked(field, secret.expose(), carried).map(Secret::from)
}

/// A project ID as sent in `X-Project-Id`, checked like a credential.
pub(crate) fn checked_project_id(project_id: &str) -> Result<String, ConfigError> {
    checked("the project ID", project_id, Carried::Header)
}

impl Credentials {
    /// These credentials with every field checked (see the crate docs: trailing line breaks
    /// are removed, anything else that cannot be sent is refused, naming the field).
    pub fn checked(&self) -> Result<Credentials, ConfigError> {
        Ok(match self {
            Credentials::AkSk {
                ak,
                sk,
                security_token,
            } => {
                let ak = checked("the access key (AK)", ak, Carried::Header)?;
                if ak.contains(',') {
                    return Err(ConfigError::InvalidCredential {
                        field: "the access key (AK)",
                        problem: "it contains `,`",
                    });
                }
                Credentials::AkSk {
                    ak,
                    sk: checked_secret("the secret key (SK)", sk, Carried::Text)?,
                    security_token: security_token
                        .as_ref()
                        .map(|t| checked_secret("the security token", t, Carried::Header))
                        .transpose()?,
                }
            }
            Credentials::Token(token) => {
                Credentials::Token(checked_secret("the token", token, Carried::Header)?)
            }
            Credentials::Iam(user) => {
                let iam_url = checked("the IAM URL", &user.iam_url, Carried::Header)?;
                let parsed = reqwest::Url::parse(&iam_url).ok();
                if !parsed.as_ref().is_some_and(|u| {
                    matches!(u.scheme(), "http" | "https") && u.host_str().is_some()
                }) {
                    return Err(ConfigError::InvalidCredential {
                        field: "the IAM URL",
                        problem: "it is not an http(s) URL with a host",
                    });
                }
                Credentials::Iam(IamUser {
                    iam_url,
                    user: checked("the IAM user name", &user.user, Carried::Text)?,
                    password: checked_secret("the IAM password", &user.password, Carried::Text)?,
                    domain: checked("the IAM domain name", &user.domain, Carried::Text)?,
                    project_id: checked("the IAM project ID", &user.project_id, Carried::Header)?,
                })
            }
            Credentials::None => Credentials::None,
        })
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

    /// Every credential field, with the values a secret file or a careless paste produces.
    #[test]
    fn credential_fields_are_checked_and_trailing_line_breaks_trimmed() {
        const SECRET: &str = "s3cr3t-VALUE";
        let iam = |f: &dyn Fn(&mut IamUser)| {
            let mut user = IamUser {
                iam_url: "https://iam.eu-de.otc.t-systems.com".into(),
                user: "u".into(),
                password: Secret::new("p"),
                domain: "d".into(),
                project_id: "p1".into(),
            };
            f(&mut user);
            Credentials::Iam(user)
        };
        let aksk = |ak: &str, sk: &str, token: Option<&str>| Credentials::AkSk {
            ak: ak.into(),
            sk: Secret::new(sk),
            security_token: token.map(Secret::new),
        };
        let bad: Vec<(Credentials, &str)> = vec![
            (
                aksk("", SECRET, None),
                "the access key (AK) cannot be used: it is empty",
            ),
            (
                aksk("AK\tX", SECRET, None),
                "the access key (AK) cannot be used: it contains a control character",
            ),
            (
                aksk("AK X", SECRET, None),
                "the access key (AK) cannot be used: it contains a space",
            ),
            (
                aksk("AK,X", SECRET, None),
                "the access key (AK) cannot be used: it contains `,`",
            ),
            (
                aksk("AKé", SECRET, None),
                "the access key (AK) cannot be used: it contains a non-ASCII",
            ),
            (
                aksk("AK", "\n", None),
                "the secret key (SK) cannot be used: it is empty",
            ),
            (
                aksk("AK", "s3cr3t\0VALUE", None),
                "the secret key (SK) cannot be used: it contains a control character",
            ),
            (
                aksk("AK", SECRET, Some("s3cr3t-VALUE\nX")),
                "the security token cannot be used: it contains a control character",
            ),
            (
                aksk("AK", SECRET, Some("s3cr3t-VALUE ")),
                "the security token cannot be used: it contains a space",
            ),
            (
                Credentials::Token(Secret::new("s3cr3t-VALUEü")),
                "the token cannot be used: it contains a non-ASCII",
            ),
            (
                Credentials::Token(Secret::new("\r\n")),
                "the token cannot be used: it is empty",
            ),
            (
                iam(&|u| u.iam_url = "iam.example.com".into()),
                "the IAM URL cannot be used: it is not an http(s) URL",
            ),
            (
                iam(&|u| u.iam_url = "ftp://iam".into()),
                "the IAM URL cannot be used: it is not an http(s) URL",
            ),
            (
                iam(&|u| u.password = Secret::new("s3cr3t\u{7f}VALUE")),
                "the IAM password cannot be used: it contains a control character",
            ),
            (
                iam(&|u| u.user = String::new()),
                "the IAM user name cannot be used: it is empty",
            ),
            (
                iam(&|u| u.domain = "d\x01".into()),
                "the IAM domain name cannot be used: it contains a control",
            ),
            (
                iam(&|u| u.project_id = "p 1".into()),
                "the IAM project ID cannot be used: it contains a space",
            ),
        ];
        for (credentials, expected) in bad {
            let message = credentials.checked().unwrap_err().to_string();
            assert!(message.starts_with(expected), "{message}");
            assert!(!message.contains("s3cr3t"), "the secret leaked: {message}");
        }
        match aksk("AK1\r\n", "SK1\n", Some("token\n")).checked().unwrap() {
            Credentials::AkSk {
                ak,
                sk,
                security_token,
            } => {
                assert_eq!((ak.as_str(), sk.expose()), ("AK1", "SK1"));
                assert_eq!(security_token.unwrap().expose(), "token");
            }
            other => panic!("{other:?}"),
        }
        match iam(&|u| u.password = Secret::new("pw\n"))
            .checked()
            .unwrap()
        {
            Credentials::Iam(user) => assert_eq!(user.password.expose(), "pw"),
            other => panic!("{other:?}"),
        }
        assert_eq!(checked_project_id("p1\n").unwrap(), "p1");
        assert!(checked_project_id("p1\nX-Evil: 1").is_err());
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
