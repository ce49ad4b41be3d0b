//! IAM tokens: obtained with `POST {iam}/v3/auth/tokens` (token in `X-Subject-Token`), cached
//! until shortly before `token.expires_at`. One request at a time refreshes the cache.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderValue, LOCATION};
use serde_json::json;
use tokio::sync::Mutex;

use crate::{credentials::IamUser, error::AuthError, response::BodyExcerpt};

/// A token is renewed this long before it expires, so a call never carries one that lapses in
/// flight.
pub const RENEW_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);
/// IAM tokens last 24 hours; assumed when a response does not say.
const DEFAULT_VALIDITY: Duration = Duration::from_secs(24 * 60 * 60);

#[derive(Debug, Default)]
pub struct TokenCache {
    /// The token as sent in `X-Auth-Token`, marked sensitive, and when it expires.
    current: Mutex<Option<(HeaderValue, DateTime<Utc>)>>,
}

impl TokenCache {
    /// A valid token for `user`, from the cache or from IAM.
    pub async fn get(
        &self,
        http: &reqwest::Client,
        user: &IamUser,
    ) -> Result<HeaderValue, AuthError> {
        let mut current = self.current.lock().await;
        if let Some((token, expires_at)) = current.as_ref()
            && Utc::now() + RENEW_BEFORE_EXPIRY < *expires_at
        {
            return Ok(token.clone());
        }
        let (token, expires_at) = fetch(http, user).await?;
        tracing::debug!(%expires_at, "obtained an IAM token");
        *current = Some((token.clone(), expires_at));
        Ok(token)
    }
}

async fn fetch(
    http: &reqwest::Client,
    user: &IamUser,
) -> Result<(HeaderValue, DateTime<Utc>), AuthError> {
    let url = format!("{}/v3/auth/tokens", user.iam_url.trim_end_matches('/'));
    let body = json!({
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {
                    "name": user.user,
                    "password": user.password.expose(),
                    "domain": {"name": user.domain},
                }},
            },
            "scope": {"project": {"id": user.project_id}},
        }
    });
    let response =
        http.post(&url)
            .json(&body)
            .send()
            .await
            .map_err(|source| AuthError::TokenTransport {
                url: url.clone(),
                source: source.without_url(),
            })?;
    let status = response.status();
    if status.is_redirection() {
        let location = response.headers().get(LOCATION).map_or_else(
            || "no Location header".to_owned(),
            |l| format!("Location {:?}", String::from_utf8_lossy(l.as_bytes())),
        );
        return Err(AuthError::TokenRedirected {
            url,
            status: status.as_u16(),
            location: location.chars().take(600).collect(),
        });
    }
    if !status.is_success() {
        let body = BodyExcerpt::read(response).await.to_string();
        return Err(AuthError::TokenRefused {
            url,
            status: status.as_u16(),
            body,
        });
    }
    // A header value already, so it can be sent as one; marked sensitive so that no `Debug`
    // shows it.
    let mut token = response
        .headers()
        .get("x-subject-token")
        .filter(|v| !v.is_empty())
        .cloned()
        .ok_or_else(|| AuthError::TokenMissing { url: url.clone() })?;
    token.set_sensitive(true);
    let expires_at = response
        .json::<serde_json::Value>()
        .await
        .ok()
        .and_then(|body| {
            let text = body.pointer("/token/expires_at")?.as_str()?.to_owned();
            DateTime::parse_from_rfc3339(&text).ok()
        })
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_else(|| Utc::now() + DEFAULT_VALIDITY);
    Ok((token, expires_at))
}
