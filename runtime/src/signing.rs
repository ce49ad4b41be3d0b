//! AK/SK request signing, algorithm `SDK-HMAC-SHA256`, as the vendor's SDK signers compute it.
//!
//! The pure functions ([`canonical_request`], [`authorization`]) take the parts of a request and
//! are what the vendor's vectors check; [`sign_request`] applies them to a `reqwest::Request`
//! and makes the request carry exactly what was signed (Host, X-Sdk-Date, canonical query).

use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use reqwest::header::{AUTHORIZATION, HOST, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};

use crate::credentials::Secret;

pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
/// The header holding the signing time, `YYYYMMDD'T'HHMMSS'Z'` in UTC.
pub const DATE_HEADER: &str = "x-sdk-date";
/// When present, its value is the payload hash (`UNSIGNED-PAYLOAD` for bodies not hashed).
pub const CONTENT_SHA256_HEADER: &str = "x-sdk-content-sha256";
const DATE_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// RFC 3986: everything but `A-Z a-z 0-9 - _ . ~` is percent-encoded (uppercase hex), as the
/// SDKs' `quote(s, safe='~')` does.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// What the signature covers.
#[derive(Debug, Clone, Copy)]
pub struct Parts<'a> {
    /// Upper case, e.g. `GET`.
    pub method: &'a str,
    /// The request path as sent, percent-encoded or not.
    pub path: &'a str,
    /// Decoded query pairs, in any order; a repeated key is a repeated pair.
    pub query: &'a [(String, String)],
    /// Header names (any case) and values; `x-sdk-date` must be among them.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// The canonical request and the header list it signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalRequest {
    pub text: String,
    /// `content-type;host;x-sdk-date`
    pub signed_headers: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    #[error("the request has no X-Sdk-Date header to sign with")]
    MissingDate,
}

/// Percent-encodes one path segment, query key or query value.
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODE).to_string()
}

/// The path, percent-decoded, split on `/`, each segment re-encoded, with a trailing `/`.
pub fn canonical_uri(path: &str) -> String {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let mut uri = decoded.split('/').map(encode).collect::<Vec<_>>().join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Pairs sorted by key, then value, as decoded text (what the SDKs sort), then encoded and
/// joined with `&`. This is also the query string a signed request is sent with.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut pairs: Vec<&(String, String)> = query.iter().collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Lower-cased header names that are signed: every header except those whose name holds `_`
/// (gateways drop them), sorted, each once, with its trimmed value (repeated headers joined by
/// `,`).
fn signed_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut signed: Vec<(String, String)> = Vec::new();
    for (name, value) in headers {
        if name.contains('_') {
            continue;
        }
        let name = name.to_ascii_lowercase();
        let value = value.trim();
        match signed.iter_mut().find(|(n, _)| *n == name) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(value);
            }
            None => signed.push((name, value.to_owned())),
        }
    }
    signed.sort();
    signed
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

pub fn canonical_request(parts: &Parts) -> CanonicalRequest {
    let headers = signed_headers(parts.headers);
    let canonical_headers: String = headers
        .iter()
        .map(|(name, value)| format!("{name}:{value}\n"))
        .collect();
    let signed_headers = headers
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let payload_hash = match header(parts.headers, CONTENT_SHA256_HEADER) {
        Some(given) => given.to_owned(),
        None => hex::encode(Sha256::digest(parts.body)),
    };
    let text = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        parts.method.to_ascii_uppercase(),
        canonical_uri(parts.path),
        canonical_query(parts.query),
        canonical_headers,
        signed_headers,
        payload_hash
    );
    CanonicalRequest {
        text,
        signed_headers,
    }
}

pub fn string_to_sign(date: &str, canonical: &CanonicalRequest) -> String {
    format!(
        "{ALGORITHM}\n{date}\n{}",
        hex::encode(Sha256::digest(canonical.text.as_bytes()))
    )
}

/// Lowercase hex HMAC-SHA256 of `message` keyed with the secret key's UTF-8 bytes.
pub fn signature(sk: &Secret, message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(sk.expose().as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The `Authorization` header value for a request.
pub fn authorization(ak: &str, sk: &Secret, parts: &Parts) -> Result<String, SignError> {
    let date = header(parts.headers, DATE_HEADER).ok_or(SignError::MissingDate)?;
    let canonical = canonical_request(parts);
    let signature = signature(sk, &string_to_sign(date, &canonical));
    Ok(format!(
        "{ALGORITHM} Access={ak}, SignedHeaders={}, Signature={signature}",
        canonical.signed_headers
    ))
}

/// `YYYYMMDD'T'HHMMSS'Z'`.
pub fn format_date(time: DateTime<Utc>) -> String {
    time.format(DATE_FORMAT).to_string()
}

/// Signs `request` as of `now`: sets `X-Sdk-Date` and `Host`, rewrites the query into its
/// canonical form (so what is sent is what was signed), and sets `Authorization`. A request
/// signed before (a retry) is signed afresh.
pub fn sign_request(request: &mut reqwest::Request, ak: &str, sk: &Secret, now: DateTime<Utc>) {
    let url = request.url_mut();
    let query: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let canonical_query = canonical_query(&query);
    url.set_query((!canonical_query.is_empty()).then_some(canonical_query.as_str()));
    let host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => String::new(),
    };
    let path = url.path().to_owned();

    let headers = request.headers_mut();
    headers.remove(AUTHORIZATION);
    headers.insert(
        HeaderName::from_static(DATE_HEADER),
        HeaderValue::from_str(&format_date(now)).expect("a date is a header value"),
    );
    if let Ok(value) = HeaderValue::from_str(&host) {
        headers.insert(HOST, value);
    }
    let body = match request.body() {
        Some(body) => match body.as_bytes() {
            Some(bytes) => bytes.to_vec(),
            None => {
                // A streamed body cannot be hashed in advance.
                request.headers_mut().insert(
                    HeaderName::from_static(CONTENT_SHA256_HEADER),
                    HeaderValue::from_static("UNSIGNED-PAYLOAD"),
                );
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let header_pairs: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let method = request.method().as_str().to_owned();
    let parts = Parts {
        method: &method,
        path: &path,
        query: &query,
        headers: &header_pairs,
        body: &body,
    };
    let value = authorization(ak, sk, &parts).expect("X-Sdk-Date was just set");
    let mut value = HeaderValue::from_str(&value).expect("an authorization value is ASCII");
    value.set_sensitive(true);
    request.headers_mut().insert(AUTHORIZATION, value);
}

/// A parsed `Authorization: SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=..`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAuthorization {
    pub access: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

impl ParsedAuthorization {
    /// `None` when `value` is not an `SDK-HMAC-SHA256` authorization.
    pub fn parse(value: &str) -> Option<ParsedAuthorization> {
        let rest = value.strip_prefix(ALGORITHM)?.strip_prefix(' ')?;
        let mut access = None;
        let mut signed_headers = None;
        let mut signature = None;
        for field in rest.split(", ") {
            let (key, value) = field.split_once('=')?;
            match key {
                "Access" => access = Some(value.to_owned()),
                "SignedHeaders" => {
                    signed_headers = Some(value.split(';').map(str::to_owned).collect())
                }
                "Signature" => signature = Some(value.to_owned()),
                _ => return None,
            }
        }
        Some(ParsedAuthorization {
            access: access?,
            signed_headers: signed_headers?,
            signature: signature?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_keeps_only_unreserved_characters() {
        assert_eq!(encode("aZ09-_.~"), "aZ09-_.~");
        assert_eq!(encode("a b/c*+;ü"), "a%20b%2Fc%2A%2B%3B%C3%BC");
    }

    #[test]
    fn canonical_uri_decodes_splits_and_reencodes() {
        assert_eq!(canonical_uri("/v1/x%2Fy/a b"), "/v1/x/y/a%20b/");
        assert_eq!(canonical_uri("/plus+sign/"), "/plus%2Bsign/");
        assert_eq!(canonical_uri(""), "/");
    }

    #[test]
    fn the_sdk_query_vector() {
        let query = [
            ("limit", "1"),
            ("enable", "true"),
            ("test", "一 (&=?!#%.*)"),
            ("path", "/tmp/123"),
            ("multi", "1"),
            ("multi", "2"),
            ("multi", "3"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        assert_eq!(
            canonical_query(&query),
            "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
        );
    }

    #[test]
    fn underscore_headers_are_not_signed_and_values_are_trimmed() {
        let headers = [
            ("TEST_UNDERSCORE", "x"),
            ("X-Sdk-Date", " 20200608T023900Z "),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        assert_eq!(
            signed_headers(&headers),
            vec![("x-sdk-date".to_owned(), "20200608T023900Z".to_owned())]
        );
    }

    #[test]
    fn authorization_round_trips_through_parse() {
        let parsed = ParsedAuthorization::parse(
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=abc",
        )
        .unwrap();
        assert_eq!(parsed.access, "AK");
        assert_eq!(parsed.signed_headers, ["host", "x-sdk-date"]);
        assert_eq!(parsed.signature, "abc");
        assert_eq!(ParsedAuthorization::parse("Bearer x"), None);
    }
}
