//! Documented integer ranges, checked before a request is sent. typify turns `minimum` and
//! `maximum` of an integer into nothing more than the integer type, so the ranges travel in each
//! crate's `OPERATIONS` table ([`crate::call::Limit`]) and are checked here, on the request as
//! it will be sent, in one place for query, path and header parameters and body fields.

use crate::call::{Limit, Operation, Place};

/// The first value of `request` outside its documented range: `(limit, value as sent)`.
pub fn first_violation(
    operation: &Operation,
    base_url: &str,
    request: &reqwest::Request,
) -> Option<(&'static Limit, String)> {
    if operation.limits.is_empty() {
        return None;
    }
    // Parsed once, and only when a body field has a range.
    let body = operation
        .limits
        .iter()
        .any(|limit| limit.place == Place::Body)
        .then(|| {
            request
                .body()
                .and_then(reqwest::Body::as_bytes)
                .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(bytes).ok())
        })
        .flatten();
    for limit in operation.limits {
        let values: Vec<String> = match limit.place {
            Place::Query => request
                .url()
                .query_pairs()
                .filter(|(name, _)| name == limit.name)
                .map(|(_, value)| value.into_owned())
                .collect(),
            Place::Path => {
                crate::route::parameter(operation.route, base_url, request.url().path(), limit.name)
                    .into_iter()
                    .collect()
            }
            Place::Header => request
                .headers()
                .get_all(limit.name)
                .iter()
                .filter_map(|value| value.to_str().ok().map(str::to_owned))
                .collect(),
            Place::Body => body
                .as_ref()
                .and_then(|body| body.pointer(limit.name))
                .filter(|value| value.is_number())
                .map(ToString::to_string)
                .into_iter()
                .collect(),
        };
        for value in values {
            if !within(limit, value.trim()) {
                return Some((limit, crate::response::bounded_text(&value, 64)));
            }
        }
    }
    None
}

/// Whether `value` (as sent: digits, maybe signed) lies in `limit`'s range. A value too large for
/// an `i64` is above any maximum and below no minimum; a value that is not an integer is left to
/// the service.
fn within(limit: &Limit, value: &str) -> bool {
    let parsed = match value.parse::<i128>() {
        Ok(number) => number,
        Err(_) => return true,
    };
    limit.min.is_none_or(|min| parsed >= i128::from(min))
        && limit.max.is_none_or(|max| parsed <= i128::from(max))
}

/// `1..=100`, `>= 1`, `<= 100`.
pub fn describe(limit: &Limit) -> String {
    match (limit.min, limit.max) {
        (Some(min), Some(max)) => format!("{min}..={max}"),
        (Some(min), None) => format!(">= {min}"),
        (None, Some(max)) => format!("<= {max}"),
        (None, None) => "any".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: &[Limit] = &[
        Limit {
            place: Place::Query,
            name: "page-size",
            min: Some(1),
            max: Some(100),
        },
        Limit {
            place: Place::Path,
            name: "count",
            min: Some(0),
            max: None,
        },
        Limit {
            place: Place::Header,
            name: "x-limit",
            min: None,
            max: Some(10),
        },
        Limit {
            place: Place::Body,
            name: "/wait_timeout",
            min: Some(300),
            max: Some(7200),
        },
    ];

    const OPERATION: Operation = Operation {
        id: "op",
        method: "POST",
        route: "/v1/{count}/items",
        retry_safe: false,
        statuses: &[200],
        json_statuses: &[200],
        limits: LIMITS,
        secrets: &[],
    };

    fn request(path_and_query: &str, header: Option<&str>, body: Option<&str>) -> reqwest::Request {
        let client = reqwest::Client::new();
        let mut builder = client.post(format!("http://127.0.0.1/base{path_and_query}"));
        if let Some(header) = header {
            builder = builder.header("x-limit", header);
        }
        if let Some(body) = body {
            builder = builder.body(body.to_owned());
        }
        builder.build().unwrap()
    }

    #[test]
    fn every_place_is_checked_at_both_ends_and_in_range_values_pass() {
        // (path and query, header, body) -> the parameter refused, if any
        type Case<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
        let cases: [Case; 14] = [
            (
                "/v1/3/items?page-size=1",
                Some("10"),
                Some(r#"{"wait_timeout":300}"#),
                None,
            ),
            (
                "/v1/0/items?page-size=100",
                None,
                Some(r#"{"wait_timeout":7200}"#),
                None,
            ),
            ("/v1/3/items", None, None, None),
            ("/v1/3/items?page-size=0", None, None, Some("page-size")),
            ("/v1/3/items?page-size=101", None, None, Some("page-size")),
            ("/v1/3/items?page-size=5000", None, None, Some("page-size")),
            ("/v1/3/items?page-size=-1", None, None, Some("page-size")),
            (
                "/v1/3/items?page-size=99999999999999999999999",
                None,
                None,
                Some("page-size"),
            ),
            (
                "/v1/3/items?page-size=1&page-size=200",
                None,
                None,
                Some("page-size"),
            ),
            ("/v1/-1/items", None, None, Some("count")),
            ("/v1/3/items", Some("11"), None, Some("x-limit")),
            (
                "/v1/3/items",
                None,
                Some(r#"{"wait_timeout":299}"#),
                Some("/wait_timeout"),
            ),
            (
                "/v1/3/items",
                None,
                Some(r#"{"wait_timeout":7201}"#),
                Some("/wait_timeout"),
            ),
            ("/v1/3/items", None, Some(r#"{"other":1}"#), None),
        ];
        for (path, header, body, refused) in cases {
            let request = request(path, header, body);
            let found = first_violation(&OPERATION, "http://127.0.0.1/base", &request)
                .map(|(limit, _)| limit.name);
            assert_eq!(found, refused, "{path} {header:?} {body:?}");
        }
    }

    #[test]
    fn ranges_read_as_rust_ranges() {
        assert_eq!(describe(&LIMITS[0]), "1..=100");
        assert_eq!(describe(&LIMITS[1]), ">= 0");
        assert_eq!(describe(&LIMITS[2]), "<= 10");
    }
}
