//! Every request reaches exactly its operation's route.
//!
//! progenitor percent-encodes path parameters but leaves `.` and `\`, and URL parsing then
//! resolves `.`/`..` segments and reads `\` as `/`: a parameter value could move a request to
//! another route. Codegen closes that for values (every path parameter's type refuses empty, `.`,
//! `..`, `/`, `\` and control characters); this check is the backstop on the URL itself, before
//! anything is signed or sent: the path must be the base URL's path followed by the route, with
//! every literal segment as the route has it and every parameter one non-empty segment.

/// Why `path` is not `base_path` + `route`, or `Ok`.
pub fn check(route: &str, base_url: &str, path: &str) -> Result<(), String> {
    let base_path = base_path(base_url);
    let Some(rest) = path.strip_prefix(base_path) else {
        return Err(format!(
            "it does not start with the base URL's path `{base_path}`"
        ));
    };
    let mut sent = rest.split('/');
    let mut expected = route.split('/');
    loop {
        match (expected.next(), sent.next()) {
            (None, None) => return Ok(()),
            (Some(template), Some(segment)) => {
                if let Some(name) = parameter_name(template) {
                    if segment.is_empty() {
                        return Err(format!("path parameter `{name}` is empty"));
                    }
                    if matches!(segment, "." | "..")
                        || segment.eq_ignore_ascii_case("%2e")
                        || segment.eq_ignore_ascii_case("%2e%2e")
                    {
                        return Err(format!("path parameter `{name}` is a dot segment"));
                    }
                } else if template != segment {
                    return Err(format!(
                        "segment `{segment}` stands where the route has `{template}`"
                    ));
                }
            }
            (Some(_), None) => return Err("it has fewer segments than the route".into()),
            (None, Some(_)) => return Err("it has more segments than the route".into()),
        }
    }
}

/// The value of path parameter `name` in `path` (percent-decoded), when `path` is `base_url`'s
/// path followed by `route`.
pub fn parameter(route: &str, base_url: &str, path: &str, name: &str) -> Option<String> {
    let rest = path.strip_prefix(base_path(base_url))?;
    let at = route
        .split('/')
        .position(|template| parameter_name(template) == Some(name))?;
    let segment = rest.split('/').nth(at)?;
    Some(
        percent_encoding::percent_decode_str(segment)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// `job_id` for `{job_id}`.
fn parameter_name(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
}

/// The path of `base_url` without its trailing `/`: `""` for `https://host` or `https://host/`.
fn base_path(base_url: &str) -> &str {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |at| &after_scheme[at..]);
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_parameter_is_read_back_decoded() {
        let route = "/v1.0/{project_id}/jobs/{job_id}/status";
        for (base, path, name, value) in [
            ("https://h", "/v1.0/p/jobs/j1/status", "job_id", Some("j1")),
            (
                "https://h/",
                "/v1.0/p/jobs/j%201/status",
                "job_id",
                Some("j 1"),
            ),
            (
                "http://h/prefix",
                "/prefix/v1.0/p/jobs/j/status",
                "project_id",
                Some("p"),
            ),
            ("https://h", "/v1.0/p/jobs/j/status", "cluster_id", None),
            ("http://h/prefix", "/v1.0/p/jobs/j/status", "job_id", None),
        ] {
            assert_eq!(
                parameter(route, base, path, name).as_deref(),
                value,
                "{base} {path} {name}"
            );
        }
    }

    const ROUTE: &str =
        "/v2/{project_id}/clusters/{cluster_id}/job-executions/{job_execution_id}/kill";

    #[test]
    fn the_route_with_its_parameters_passes() {
        assert_eq!(
            check(
                ROUTE,
                "https://mrs.x.com",
                "/v2/p/clusters/c/job-executions/j/kill"
            ),
            Ok(())
        );
        assert_eq!(
            check(
                ROUTE,
                "http://127.0.0.1:9/proxy/",
                "/proxy/v2/p/clusters/c/job-executions/a%5Cb/kill"
            ),
            Ok(())
        );
    }

    #[test]
    fn paths_that_left_the_route_are_refused() {
        let cases = [
            (
                "/v2/p/clusters/c/kill",
                "`kill` stands where the route has `job-executions`",
            ),
            ("/v2/p/clusters/c/job-executions/j", "fewer segments"),
            ("/v2/p/clusters/c/job-executions/j/kill/x", "more segments"),
            (
                "/v2/p/clusters/c/job-executions//kill",
                "`job_execution_id` is empty",
            ),
            ("/v2/p/clusters/c/job-executions/%2E%2E/kill", "dot segment"),
            (
                "/v2/p/clusters/c/sql-execution/j/kill",
                "where the route has `job-executions`",
            ),
            (
                "/other/v2/p/clusters/c/job-executions/j/kill",
                "where the route has `v2`",
            ),
        ];
        for (path, reason) in cases {
            let problem = check(ROUTE, "https://mrs.x.com", path).unwrap_err();
            assert!(problem.contains(reason), "{path}: {problem}");
        }
        let problem = check(
            ROUTE,
            "https://h/base",
            "/v2/p/clusters/c/job-executions/j/kill",
        )
        .unwrap_err();
        assert!(problem.contains("base URL's path `/base`"), "{problem}");
    }
}
