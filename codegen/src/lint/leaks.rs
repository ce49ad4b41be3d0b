//! What a cassette must not carry (rule `cassette-credential`): a string shaped like a live
//! credential, and a project or domain (account) ID other than the placeholders record mode
//! writes (`runtime/src/record.rs`).
//!
//! Precise on purpose: documentation pages' example IDs that identify no account (a Flink job
//! graph's `jid`, operator IDs, user IDs in `create_by`) are 32 hex digits too, and pass. An ID is
//! held to the placeholders only where it names a project or an account: a request path segment,
//! a query value or header, or a body member whose name says project, tenant (MRS's word for the
//! project), domain or account (and the `id` member of such an object).

use serde_json::Value;

/// The project every cassette is recorded for: `tests/src/gateway.rs` `TEST_PROJECT`,
/// `runtime/src/record.rs` `PROJECT_PLACEHOLDER`.
pub const PROJECT_PLACEHOLDER: &str = "37caa80116e1403ab603e5eeb48a2f74";
/// The domain (account) ID record mode writes: `runtime/src/record.rs` `DOMAIN_PLACEHOLDER`.
pub const DOMAIN_PLACEHOLDER: &str = "0000000000000000000000000000d0a1";

/// The parts of a cassette where every 32-hex word must be a placeholder: where the project ID
/// travels.
const ACCOUNT_PARTS: &[&str] = &["/request/path", "/request/query"];

/// Where headers are recorded: a header whose name says it holds a project or account
/// (`X-Project-Id`, `X-Domain-Id`) must hold a placeholder; others (a DataArts `workspace`) name
/// a resource, not an account.
const HEADER_PARTS: &[&str] = &["/request/headers", "/response/headers"];

/// Words in a body member's name that say its value identifies an account or a project.
const ACCOUNT_WORDS: &[&str] = &["project", "tenant", "domain", "account"];

/// What `text` looks like, if it looks like a credential: a request signature, an IAM token (a
/// PKI token, `MII…`, or a JSON Web Token), a long opaque token (a security token), a secret key
/// or an access key. Percent-encoded text (a next-page URL echoing a token) is read decoded too,
/// up to three times over: an encoded token is as live as a plain one.
pub fn credential_shape(text: &str) -> Option<&'static str> {
    let mut text = std::borrow::Cow::Borrowed(text);
    for _ in 0..4 {
        if let Some(shape) = plain_credential_shape(&text) {
            return Some(shape);
        }
        match percent_decoded(&text) {
            Some(decoded) => text = std::borrow::Cow::Owned(decoded),
            None => return None,
        }
    }
    None
}

/// `text` with its `%XX` escapes decoded, when it has any (bytes that are not UTF-8 kept as
/// replacement characters).
fn percent_decoded(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut changed = false;
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(high), Some(low)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((high * 16 + low) as u8);
            changed = true;
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    changed.then(|| String::from_utf8_lossy(&out).into_owned())
}

fn plain_credential_shape(text: &str) -> Option<&'static str> {
    if text.contains("SDK-HMAC-SHA256") || text.contains("Signature=") {
        return Some("a request signature");
    }
    // Base64 words, the URL-safe alphabet and padding included.
    let base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_');
    for word in text.split(|c: char| !(base64(c) || c == '.')) {
        let parts: Vec<&str> = word.split('.').collect();
        if parts.len() == 3 && parts[0].starts_with("eyJ") && parts.iter().all(|p| p.len() >= 8) {
            return Some("a JSON Web Token");
        }
    }
    for word in text.split(|c: char| !base64(c)) {
        // IAM's PKI tokens are thousands of characters; 64 is far above any English word.
        // `=` is base64's padding, but also the `key=` before a token in a query.
        if word
            .split('=')
            .any(|part| part.starts_with("MII") && part.len() >= 64)
        {
            return Some("an IAM token");
        }
        let has = |f: fn(&char) -> bool| word.chars().any(|c| f(&c));
        // A long URL or file path is slashes between short words; base64 has one in 64.
        let slashes = word.chars().filter(|&c| c == '/').count();
        if word.len() >= 128
            && slashes * 16 <= word.len()
            && has(char::is_ascii_uppercase)
            && has(char::is_ascii_lowercase)
            && has(char::is_ascii_digit)
        {
            return Some("a long opaque token (a security or IAM token)");
        }
    }
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .find_map(|word| {
            let mixed = word.chars().any(|c| c.is_ascii_digit())
                && word.chars().any(|c| c.is_ascii_alphabetic());
            let access_key = word.len() == 20
                && word
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
            match (mixed, access_key, word.len() == 40) {
                (true, true, _) => Some("an access key"),
                (true, _, true) => Some("a secret key"),
                _ => None,
            }
        })
}

/// The first 32-hex-digit word of `text` that is not a placeholder: an account or project ID
/// that should have been replaced.
pub fn foreign_account_id(text: &str) -> Option<&str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .find(|word| {
            word.len() == 32
                && word.chars().all(|c| c.is_ascii_hexdigit())
                && !word.eq_ignore_ascii_case(PROJECT_PLACEHOLDER)
                && !word.eq_ignore_ascii_case(DOMAIN_PLACEHOLDER)
        })
}

/// Whether a body member named `key` holds an account or project ID, `inside` saying whether its
/// object is itself such a member's value (`"project": {"id": ...}`).
pub fn names_an_account(key: &str, inside: bool) -> bool {
    let key = key.to_ascii_lowercase();
    ACCOUNT_WORDS.iter().any(|word| key.contains(word)) || (inside && key == "id")
}

/// Every leak in `cassette`: `(JSON pointer, what it looks like)`.
pub fn find(cassette: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    walk(cassette, String::new(), Place::Free, &mut found);
    found
}

/// Where a value sits, which decides whether a 32-hex word in it must be a placeholder.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Anywhere else: only credential shapes are looked for.
    Free,
    /// Request path, query, headers, or an account-naming body member.
    Account,
    /// A body's object inside an account-naming member: its `id` is one.
    InsideAccount,
}

fn walk(value: &Value, at: String, place: Place, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let here = format!("{at}/{}", crate::diagnostics::segment(key));
                // Recorded bytes (checked as base64 by the cassette rules) are no text to scan:
                // any long run of them would read as a key.
                if here == "/response/body_base64" {
                    continue;
                }
                if let Some(what) = credential_shape(key) {
                    found.push((here.clone(), format!("the member name looks like {what}")));
                }
                let header_of_account = HEADER_PARTS.contains(&at.as_str())
                    && ACCOUNT_WORDS
                        .iter()
                        .any(|w| key.to_ascii_lowercase().contains(w));
                let next = if ACCOUNT_PARTS.contains(&here.as_str())
                    || header_of_account
                    || place == Place::Account
                {
                    Place::Account
                } else if here.starts_with("/request/body/") || here.starts_with("/response/body/")
                {
                    account_place(key, place == Place::InsideAccount)
                } else {
                    Place::Free
                };
                walk(inner, here, next, found);
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                walk(inner, format!("{at}/{i}"), place, found);
            }
        }
        Value::String(text) => {
            if let Some(what) = credential_shape(text) {
                found.push((at, format!("the value looks like {what}")));
            } else if place != Place::Free
                && let Some(id) = foreign_account_id(account_part(&at, text))
            {
                found.push((
                    at,
                    format!(
                        "`{id}` is a project or account ID that is not a placeholder (project `{PROJECT_PLACEHOLDER}`, domain `{DOMAIN_PLACEHOLDER}`)"
                    ),
                ));
            }
        }
        _ => {}
    }
}

/// The part of `text` at `at` that may name an account: in a path, the segment after the API
/// version (`/v1.0/{project_id}/...`), where every spec puts the project; later segments name
/// jobs and tasks, whose IDs may be 32 hex digits too.
fn account_part<'a>(at: &str, text: &'a str) -> &'a str {
    if at == "/request/path" {
        text.split('/').nth(2).unwrap_or_default()
    } else {
        text
    }
}

/// The place of a body member named `key`: an account member's value is an account place (an
/// object there is looked inside for its `id`).
fn account_place(key: &str, inside: bool) -> Place {
    if names_an_account(key, inside) {
        Place::InsideAccount
    } else {
        Place::Free
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn credential_shapes_are_recognised_and_ordinary_values_are_not() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        let pki = format!(
            "MIIEhwYJKoZIhvcNAQcCoIIEeDCCBHQCAQExDTALBglghkgBZQMEAgEwggLVBgkqhkiG{}",
            "9w0BBwGgggLGBIICwnsidG9rZW4iOnsiZXhwaXJlc19hdCI6"
        );
        let security = format!("gQpjbi1ub3J0aC00{}", "iGUJ8zQx2aZ7Wb9Kq3".repeat(8));
        // (text, what it looks like; None: not a credential).
        let cases: Vec<(&str, Option<&str>)> = vec![
            (
                "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=host",
                Some("a request signature"),
            ),
            ("Credential=x, Signature=abc", Some("a request signature")),
            ("QTWAOYTTINDUT2QVKYUC", Some("an access key")),
            (
                "key QTWAOYTTINDUT2QVKYUC is not valid",
                Some("an access key"),
            ),
            (
                "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
                Some("a secret key"),
            ),
            (jwt, Some("a JSON Web Token")),
            (&pki, Some("an IAM token")),
            (
                &security,
                Some("a long opaque token (a security or IAM token)"),
            ),
            // Doc examples and ordinary values.
            ("44b37a20-ffe8-42b1-b42b-78a5978d7e40", None),
            ("37caa80116e1403ab603e5eeb48a2f74", None),
            ("4e966f43f2c90b0e1bf3188ecf55504b", None),
            ("JOBSTAT_SUBMIT_FAILED", None),
            ("MIIDkgYJKoZIhvcNAQcC", None),
            ("MISSING_PARAMETER_IN_THE_REQUEST", None),
            ("select * from orders where id = 1", None),
            ("obs://my-bucket/jobs/spark-examples.jar", None),
            ("eyJ.only.two", None),
            ("20190909_011820_00151_xxxxx", None),
            ("<scrubbed>", None),
            ("100%25 done, 50%", None),
        ];
        for (text, expected) in cases {
            assert_eq!(credential_shape(text), expected, "{text}");
        }
        // Percent-encoded (once, twice, lower-case escapes), as a next-page URL echoes a token.
        let encode = |text: &str| -> String {
            text.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect()
        };
        // A token with `+` every 8 characters: encoded, no plain word of it is long.
        let plus: String = pki
            .chars()
            .enumerate()
            .flat_map(|(i, c)| (i % 8 == 7).then_some('+').into_iter().chain([c]))
            .collect();
        assert!(encode(&plus).split('%').all(|word| word.len() < 16));
        let pki_query = format!("https://x.example.com/jobs?marker={}", encode(&plus));
        let lower = encode(&plus).replace("%2B", "%2b");
        let twice = encode(&encode(&plus));
        let signature = encode("SDK-HMAC-SHA256 Signature=abc");
        let cases: Vec<(&str, Option<&str>)> = vec![
            (&plus, Some("an IAM token")),
            (&pki_query, Some("an IAM token")),
            (&lower, Some("an IAM token")),
            (&twice, Some("an IAM token")),
            (&signature, Some("a request signature")),
        ];
        for (text, expected) in cases {
            assert_eq!(credential_shape(text), expected, "{text}");
        }
    }

    #[test]
    fn account_ids_must_be_placeholders_where_they_name_an_account() {
        let foreign = "b67132be2f054a45b247365647e05af0";
        // (cassette, pointers flagged).
        let cases: Vec<(Value, Vec<&str>)> = vec![
            (
                json!({"request": {"path": format!("/v1.0/{PROJECT_PLACEHOLDER}/jobs")}}),
                vec![],
            ),
            (
                json!({"request": {"path": format!("/v1.0/{foreign}/jobs")}}),
                vec!["/request/path"],
            ),
            (
                json!({"request": {"query": [["domain_id", foreign]]}}),
                vec!["/request/query/0/1"],
            ),
            (
                json!({"request": {"headers": {"x-domain-id": DOMAIN_PLACEHOLDER}}}),
                vec![],
            ),
            (
                json!({"request": {"headers": {"X-Project-Id": foreign}}}),
                vec!["/request/headers/X-Project-Id"],
            ),
            // A resource, not an account: a DataArts workspace, a system task in the path.
            (
                json!({"request": {"headers": {"workspace": foreign}}}),
                vec![],
            ),
            (
                json!({"request": {"path": format!("/v1/{PROJECT_PLACEHOLDER}/system-tasks/{foreign}")}}),
                vec![],
            ),
            (
                json!({"response": {"body": {"project_id": foreign}}}),
                vec!["/response/body/project_id"],
            ),
            (
                json!({"response": {"body": {"jobs": [{"tenant_id": foreign}]}}}),
                vec!["/response/body/jobs/0/tenant_id"],
            ),
            (
                json!({"response": {"body": {"token": {"project": {"id": foreign, "name": "eu-de"}}}}}),
                vec!["/response/body/token/project/id"],
            ),
            (
                json!({"request": {"body": {"domainId": foreign}}}),
                vec!["/request/body/domainId"],
            ),
            (
                json!({"response": {"body": {"project_id": PROJECT_PLACEHOLDER, "domain_id": DOMAIN_PLACEHOLDER}}}),
                vec![],
            ),
            // Not an account: a job graph, a user, an operator.
            (
                json!({"response": {"body": {"jid": foreign, "create_by": foreign, "user_id": foreign, "operators": [{"id": foreign}]}}}),
                vec![],
            ),
            (json!({"source": format!("page example {foreign}")}), vec![]),
        ];
        for (cassette, expected) in cases {
            let found: Vec<String> = find(&cassette).into_iter().map(|(at, _)| at).collect();
            assert_eq!(found, expected, "{cassette}");
        }
    }
}
