//! What the runtime does with the final response before the generated code decodes it: a
//! redirect, a status the docs do not list, or a non-JSON body where JSON is documented becomes
//! one readable, bounded error naming the operation; everything else passes through untouched.

use reqwest::{StatusCode, header::LOCATION};

use crate::call::{Decodes, Decoding, Operation};

/// How much of a body an error message quotes.
pub const EXCERPT_BYTES: usize = 2048;
/// How much of a body is read to say how long it was; past this the message says "more than".
pub const MEASURE_BYTES: usize = 16 * 1024 * 1024;
/// How much of a `Location` header a message quotes.
const LOCATION_CHARS: usize = 512;

/// The first [`EXCERPT_BYTES`] of a body, and how long the body was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyExcerpt {
    pub head: Vec<u8>,
    /// Bytes read in all; `complete` is false when reading stopped at [`MEASURE_BYTES`] or failed.
    pub length: usize,
    pub complete: bool,
}

impl BodyExcerpt {
    pub fn of(bytes: &[u8]) -> BodyExcerpt {
        BodyExcerpt {
            head: bytes[..bytes.len().min(EXCERPT_BYTES)].to_vec(),
            length: bytes.len(),
            complete: true,
        }
    }

    /// Reads what is left of `response`'s body: the head kept, the rest only counted.
    pub async fn read(mut response: reqwest::Response) -> BodyExcerpt {
        let mut excerpt = BodyExcerpt {
            head: Vec::new(),
            length: 0,
            complete: true,
        };
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = EXCERPT_BYTES.saturating_sub(excerpt.head.len());
                    excerpt
                        .head
                        .extend_from_slice(&chunk[..chunk.len().min(room)]);
                    excerpt.length += chunk.len();
                    if excerpt.length > MEASURE_BYTES {
                        excerpt.complete = false;
                        return excerpt;
                    }
                }
                Ok(None) => return excerpt,
                Err(_) => {
                    excerpt.complete = false;
                    return excerpt;
                }
            }
        }
    }
}

impl std::fmt::Display for BodyExcerpt {
    /// `body (N bytes): "<text>…"`, the text on one line with control characters escaped.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.length == 0 && self.complete {
            return f.write_str("empty body");
        }
        let size = if self.complete {
            format!("{} bytes", self.length)
        } else {
            format!("more than {} bytes", self.length)
        };
        let text = String::from_utf8_lossy(&self.head);
        let shown: String = text.chars().flat_map(char::escape_debug).collect();
        let cut = if self.head.len() < self.length || !self.complete {
            format!("… (first {} bytes shown)", self.head.len())
        } else {
            String::new()
        };
        write!(f, "body ({size}): \"{shown}\"{cut}")
    }
}

/// Text a server sent, as a message or a value shows it: at most `max_chars` characters, control
/// characters escaped (one line), and, when cut, how long it was: `abc… (10485760 bytes)`.
pub fn bounded_text(text: &str, max_chars: usize) -> String {
    let mut chars = text.chars();
    let mut shown = String::new();
    for c in chars.by_ref().take(max_chars) {
        if c.is_control() {
            shown.extend(c.escape_debug());
        } else {
            shown.push(c);
        }
    }
    if chars.next().is_some() {
        shown.push_str(&format!("… ({} bytes)", text.len()));
    }
    shown
}

/// A redirect's target as every message about one quotes it: `Location "<url>"` (bounded, on one
/// line, quoted as every header value in a message is) or `no Location header`. The runtime follows no redirect; both the
/// call pipeline and the IAM token request say where one pointed with this.
pub fn redirect_location(headers: &reqwest::header::HeaderMap) -> String {
    headers.get(LOCATION).map_or_else(
        || "no Location header".to_owned(),
        |l| format!("Location {}", quote_header(l.as_bytes())),
    )
}

/// Quotes a header value for a message: visible, bounded, on one line.
fn quote_header(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    let mut shown: String = text
        .chars()
        .take(LOCATION_CHARS)
        .flat_map(char::escape_debug)
        .collect();
    if text.chars().count() > LOCATION_CHARS {
        shown.push('…');
    }
    format!("\"{shown}\"")
}

/// What became of the final response.
pub enum Outcome {
    /// Hand it to the generated code.
    Pass(reqwest::Response),
    /// Refuse it with this message.
    Refuse(String),
}

/// A body up to this size is handed on unchecked: if it does not decode, the generated code's
/// error quotes it whole, which is still a few KiB at most. Larger ones are checked first.
pub const UNCHECKED_BYTES: usize = 1024;
/// The largest error body handed to the generated code, whose error text shows the decoded body
/// and headers whole; a larger one is refused with an excerpt. Documented error bodies are a
/// code and a message.
pub const ERROR_BODY_BYTES: usize = 8 * 1024;
/// How many bytes of headers an error response keeps, for the same reason.
pub const ERROR_HEADER_BYTES: usize = 8 * 1024;
/// Set on a response whose undocumented 2xx status was read as the documented success: the
/// status the service really sent (`ResponseValue::headers()` shows it).
pub const ORIGINAL_STATUS: &str = "x-original-status";

/// Checks the final response of `operation_id` against what its docs say.
///
/// A redirect, a status the docs do not list, a body that is not JSON where JSON is documented,
/// or one that does not decode as the documented type (checked with `decodes` above
/// [`UNCHECKED_BYTES`]) is refused with one bounded message naming the operation. A 2xx the docs
/// do not list, on an operation with a documented JSON success, is read as that success:
/// gateways and service versions disagree with the pages on 200 versus 201 or 202.
pub async fn classify(
    response: reqwest::Response,
    operation_id: &str,
    operation: &Operation,
    decodes: Option<Decodes>,
) -> Outcome {
    let status = response.status();
    if status.is_redirection() {
        let location = redirect_location(response.headers());
        return Outcome::Refuse(format!(
            "{operation_id}: the service answered {} with {location}; redirects are not followed, so that no credential or request body is sent anywhere but the endpoint the client was built for: if the new address is right, build the client for it",
            describe(status)
        ));
    }
    let mut code = status.as_u16();
    let mut original = None;
    if !operation.statuses.contains(&code) {
        let documented_success = operation
            .json_statuses
            .iter()
            .copied()
            .find(|s| (200..300).contains(s));
        match documented_success {
            Some(success) if status.is_success() => {
                original = Some(code);
                code = success;
            }
            _ => {
                let excerpt = BodyExcerpt::read(response).await;
                return Outcome::Refuse(format!(
                    "{operation_id}: unexpected status {} (the docs list {}); {excerpt}",
                    describe(status),
                    list(operation.statuses)
                ));
            }
        }
    }
    if !operation.json_statuses.contains(&code) {
        return Outcome::Pass(response);
    }
    let success = status.is_success();
    // The service's normal answer, small and labelled JSON, goes straight to the generated code:
    // reading and checking every body would cost each call more than the rest of the runtime.
    let small = response
        .content_length()
        .is_some_and(|length| length <= UNCHECKED_BYTES as u64);
    if success && original.is_none() && small && is_json(response.headers()) {
        return Outcome::Pass(response);
    }
    let status_text = describe(StatusCode::from_u16(code).unwrap_or(status));
    let parts = (response.version(), response.headers().clone());
    let content_type = parts.1.get(reqwest::header::CONTENT_TYPE).map_or_else(
        || "no Content-Type".to_owned(),
        |v| format!("Content-Type {}", quote_header(v.as_bytes())),
    );
    let bytes = if success {
        match response.bytes().await {
            Ok(bytes) => bytes,
            Err(error) => {
                return Outcome::Refuse(format!(
                    "{operation_id}: status {status_text}; the body could not be read: {}",
                    error.without_url()
                ));
            }
        }
    } else {
        match read_up_to(response, ERROR_BODY_BYTES).await {
            Ok(bytes) => bytes,
            Err(excerpt) => {
                return Outcome::Refuse(format!(
                    "{operation_id}: status {status_text} with an error body larger than the {ERROR_BODY_BYTES} bytes an error is read to ({content_type}); {excerpt}"
                ));
            }
        }
    };
    if !bytes.is_empty() && serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_err() {
        return Outcome::Refuse(format!(
            "{operation_id}: status {status_text} with a body that is not JSON ({content_type}); {}",
            BodyExcerpt::of(&bytes)
        ));
    }
    if bytes.len() > UNCHECKED_BYTES
        && let Some(decodes) = decodes
        && let Err(problem) = decodes(operation_id, code, &bytes, Decoding::Check)
    {
        return Outcome::Refuse(format!(
            "{operation_id}: status {status_text} with a body that does not decode as documented ({}); {}",
            bounded_text(&problem, 512),
            BodyExcerpt::of(&bytes)
        ));
    }
    let mut rebuilt = http::Response::new(bytes);
    *rebuilt.status_mut() = StatusCode::from_u16(code).unwrap_or(status);
    *rebuilt.version_mut() = parts.0;
    *rebuilt.headers_mut() = if success {
        parts.1
    } else {
        bounded_headers(parts.1)
    };
    if let Some(original) = original {
        rebuilt.headers_mut().insert(
            ORIGINAL_STATUS,
            reqwest::header::HeaderValue::from(original),
        );
    }
    Outcome::Pass(reqwest::Response::from(rebuilt))
}

/// The whole body when it is at most `limit` bytes; otherwise an excerpt that says how long it
/// was.
async fn read_up_to(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<bytes::Bytes, BodyExcerpt> {
    let mut kept = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                kept.extend_from_slice(&chunk);
                if kept.len() > limit {
                    let mut excerpt = BodyExcerpt::of(&kept);
                    let rest = BodyExcerpt::read(response).await;
                    excerpt.length += rest.length;
                    excerpt.complete = rest.complete;
                    return Err(excerpt);
                }
            }
            Ok(None) => return Ok(bytes::Bytes::from(kept)),
            Err(_) => {
                let mut excerpt = BodyExcerpt::of(&kept);
                excerpt.complete = false;
                return Err(excerpt);
            }
        }
    }
}

/// The headers of an error response, as many as fit in [`ERROR_HEADER_BYTES`], in order: the
/// generated error's text shows them all.
fn bounded_headers(headers: reqwest::header::HeaderMap) -> reqwest::header::HeaderMap {
    let mut kept = reqwest::header::HeaderMap::new();
    let mut size = 0;
    for (name, value) in &headers {
        size += name.as_str().len() + value.len();
        if size > ERROR_HEADER_BYTES {
            break;
        }
        kept.append(name, value.clone());
    }
    kept
}

/// Whether the `Content-Type` names JSON (`application/json`, `…+json`).
fn is_json(headers: &reqwest::header::HeaderMap) -> bool {
    headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"))
}

/// `503 Service Unavailable`.
fn describe(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

fn list(statuses: &[u16]) -> String {
    statuses
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_bounded_escaped_and_say_the_length() {
        let cases: [(&[u8], &str); 4] = [
            (b"", "empty body"),
            (b"<html>\n</html>", "body (14 bytes): \"<html>\\n</html>\""),
            (b"\x1b[31m\xff", "body (6 bytes): \"\\u{1b}[31m\u{fffd}\""),
            (&[b'a'; 10 * 1024 * 1024], "body (10485760 bytes): \""),
        ];
        for (body, start) in cases {
            let text = BodyExcerpt::of(body).to_string();
            assert!(text.starts_with(start), "{text}");
            assert!(
                text.len() <= EXCERPT_BYTES * 2 + 100,
                "{} bytes",
                text.len()
            );
        }
        let long = BodyExcerpt::of(&[b'a'; 5000]).to_string();
        assert!(long.ends_with("… (first 2048 bytes shown)"), "{long}");
    }

    #[test]
    fn header_quotes_are_bounded_and_on_one_line() {
        assert_eq!(quote_header(b"https://a/\r\nx"), "\"https://a/\\r\\nx\"");
        let long = quote_header(&[b'a'; 2000]);
        assert_eq!(long.chars().count(), LOCATION_CHARS + 3);
    }

    #[test]
    fn a_redirect_target_is_quoted_one_way() {
        let mut headers = reqwest::header::HeaderMap::new();
        assert_eq!(redirect_location(&headers), "no Location header");
        headers.insert(
            LOCATION,
            reqwest::header::HeaderValue::from_bytes(&[b'a'; 2000]).unwrap(),
        );
        let long = redirect_location(&headers);
        assert!(long.starts_with("Location \"aaa"), "{long}");
        assert!(long.ends_with("a…\""), "{long}");
        assert_eq!(long.chars().count(), "Location ".len() + LOCATION_CHARS + 3);
    }
}
