//! What the runtime does with the final response before the generated code decodes it: a
//! redirect, a status the docs do not list, or a non-JSON body where JSON is documented becomes
//! one readable, bounded error naming the operation; everything else passes through untouched.

use reqwest::{StatusCode, header::LOCATION};

use crate::call::Operation;

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

/// Checks the final response of `operation_id` against what its docs say.
pub async fn classify(
    response: reqwest::Response,
    operation_id: &str,
    operation: &Operation,
) -> Outcome {
    let status = response.status();
    if status.is_redirection() {
        let location = response.headers().get(LOCATION).map_or_else(
            || "no Location header".to_owned(),
            |l| format!("Location {}", quote_header(l.as_bytes())),
        );
        return Outcome::Refuse(format!(
            "{operation_id}: the service answered {} with {location}; redirects are not followed, so that no credential or request body is sent anywhere but the endpoint the client was built for: if the new address is right, build the client for it",
            describe(status)
        ));
    }
    let code = status.as_u16();
    if !operation.statuses.contains(&code) {
        let excerpt = BodyExcerpt::read(response).await;
        return Outcome::Refuse(format!(
            "{operation_id}: unexpected status {} (the docs list {}); {excerpt}",
            describe(status),
            list(operation.statuses)
        ));
    }
    if !operation.json_statuses.contains(&code) {
        return Outcome::Pass(response);
    }
    // The service's normal answer, labelled JSON, goes straight to the generated code: reading
    // and checking every success body would cost each call more than the rest of the runtime.
    if status.is_success() && is_json(response.headers()) {
        return Outcome::Pass(response);
    }
    // A documented JSON status: its body must be JSON for the generated code to decode it; an
    // HTML page from a gateway would otherwise come back whole inside a decoding error.
    let parts = (
        response.status(),
        response.version(),
        response.headers().clone(),
    );
    let bytes = match response.bytes().await {
        Ok(bytes) => bytes,
        Err(error) => {
            return Outcome::Refuse(format!(
                "{operation_id}: status {}; the body could not be read: {}",
                describe(status),
                error.without_url()
            ));
        }
    };
    if !bytes.is_empty() && serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_err() {
        let content_type = parts.2.get(reqwest::header::CONTENT_TYPE).map_or_else(
            || "no Content-Type".to_owned(),
            |v| format!("Content-Type {}", quote_header(v.as_bytes())),
        );
        return Outcome::Refuse(format!(
            "{operation_id}: status {} with a body that is not JSON ({content_type}); {}",
            describe(status),
            BodyExcerpt::of(&bytes)
        ));
    }
    let mut rebuilt = http::Response::new(bytes);
    *rebuilt.status_mut() = parts.0;
    *rebuilt.version_mut() = parts.1;
    *rebuilt.headers_mut() = parts.2;
    Outcome::Pass(reqwest::Response::from(rebuilt))
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
}
