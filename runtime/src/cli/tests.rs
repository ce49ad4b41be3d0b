use super::*;

#[test]
fn flag_values_read_as_the_client_types() {
    assert_eq!(parse::<i64>("page", "5").unwrap(), 5);
    assert_eq!(parse::<String>("id", "5").unwrap(), "5");
    assert_eq!(parse::<String>("id", "job-1").unwrap(), "job-1");
    assert!(parse::<bool>("all", "true").unwrap());
    assert_eq!(
        parse::<Vec<String>>("ids", r#"["a","b"]"#).unwrap(),
        ["a", "b"]
    );
    let refused = parse::<std::num::NonZeroU32>("page-size", "0").unwrap_err();
    assert_eq!(refused.exit, Exit::Usage);
    assert!(
        refused.message.starts_with("--page-size \"0\""),
        "{}",
        refused.message
    );
    let long = "x".repeat(100_000);
    assert!(parse::<u8>("n", &long).unwrap_err().message.len() < 1000);
}

#[test]
fn durations() {
    let cases: &[(&str, Option<u64>)] = &[
        ("90", Some(90_000)),
        ("90s", Some(90_000)),
        ("500ms", Some(500)),
        ("10m", Some(600_000)),
        ("2h", Some(7_200_000)),
        ("", None),
        ("m", None),
        ("10d", None),
        ("-5s", None),
        ("99999999999999999999s", None),
    ];
    for (raw, millis) in cases {
        let got = duration("max-wait", raw).ok().map(|d| d.as_millis() as u64);
        assert_eq!(got, *millis, "{raw:?}");
    }
}

#[test]
fn progress_lines() {
    let reading = Reading {
        phase: Phase::Running,
        status: Some("RUNNING".into()),
        message: None,
        id: None,
    };
    assert_eq!(
        progress_line(&reading, Duration::from_secs(42)),
        "phase running, 42 s"
    );
    let reading = Reading {
        phase: Phase::Queued,
        status: Some("LAUNCHING".into()),
        message: None,
        id: None,
    };
    assert_eq!(
        progress_line(&reading, Duration::from_millis(1500)),
        "phase queued (LAUNCHING), 1 s"
    );
}

/// Library messages as a shell user reads them: one `error:` (no `Error:` after it), no
/// advice for code, patterns said in words or summarised, everything bounded.
#[test]
fn library_messages_in_a_shell_users_words() {
    let segment = format!(
        "conversion to `QueueName` for queue_name failed: doesn't match pattern \"{}\"",
        r"^(?!\.\.?$)(?=[^/\\\x00-\x1f\x7f]+$)[\s\S]*?(?:^(?!\.\.?$)(?=[^/\\\x00-\x1f\x7f]+$)[\s\S]*?(?:^(?!\.\.?$)[^/\\\x00-\x1f\x7f]+$))".repeat(3)
    );
    let long = format!("doesn't match pattern \"^{}$\"", "[a-z]".repeat(40));
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "Error: show_sql_job_status: no answer after 3 attempts: timed out",
            &["show_sql_job_status: no answer after 3 attempts: timed out"],
            &["Error:"],
        ),
        ("Custom Error: Error: x", &["x"], &["Error"]),
        (
            "environment variable HUAWEICLOUD_SDK_AK is not set: export it (and HUAWEICLOUD_SDK_SK), or give credentials in code with Runtime::builder().credentials(..)",
            &["HUAWEICLOUD_SDK_AK is not set: export it (and HUAWEICLOUD_SDK_SK)"],
            &["Runtime::builder"],
        ),
        (
            &segment,
            &["queue_name", "must be one path segment"],
            &["(?!", "\\x00"],
        ),
        (
            "doesn't match pattern \"^[A-Za-z0-9-]{1,64}$\"",
            &["must match the pattern `^[A-Za-z0-9-]{1,64}$`"],
            &["doesn't match"],
        ),
        (&long, &["a pattern of 202 characters"], &["[a-z][a-z]"]),
    ];
    for (message, present, absent) in cases {
        let said = shell_message(message);
        assert!(said.len() < 400, "{said}");
        for part in *present {
            assert!(said.contains(part), "{message:.80}: {said}");
        }
        for part in *absent {
            assert!(!said.contains(part), "{message:.80}: {said}");
        }
    }
}

/// `--json-body` takes one JSON object whose keys are each given once.
#[test]
fn bodies_are_one_object_with_each_key_once() {
    let cases: &[(&str, Result<(), &str>)] = &[
        (r#"{"sql": "select 1"}"#, Ok(())),
        (r#"{"a": {"b": 1, "c": [1, {"d": 2}]}}"#, Ok(())),
        (r#"{}"#, Ok(())),
        (r#"[[], null, "select 42"]"#, Err("not an array")),
        (r#""select 42""#, Err("not a string")),
        ("42", Err("not a number")),
        ("null", Err("not null")),
        ("true", Err("not a Boolean")),
        (
            r#"{"sql": "a", "sql": "b"}"#,
            Err(r#"the key "sql" is given twice"#),
        ),
        (
            r#"{"conf": {"k": 1, "k": 2}}"#,
            Err(r#"the key "k" is given twice"#),
        ),
        ("{", Err("not JSON")),
        ("", Err("not JSON")),
    ];
    for (text, expected) in cases {
        match (strict_json(text.as_bytes()), expected) {
            (Ok(value), Ok(())) => {
                assert_eq!(value, serde_json::from_str::<Value>(text).unwrap())
            }
            (Err(said), Err(part)) => assert!(said.contains(part), "{text}: {said}"),
            (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
        }
    }
}

/// How a stream's error ends `--all`: cut short is 5 and says so; other errors keep their
/// code.
#[tokio::test]
async fn lists_cut_short_exit_5() {
    type Item = Result<u32, Error<()>>;
    let truncated: Error<()> = crate::paginate::Truncated::MaxPages { pages: 3 }.into();
    let cases: Vec<(Vec<Item>, Exit, &str)> = vec![
        (vec![Err(truncated)], Exit::CutShort, "cut short"),
        (
            vec![Err(Error::InvalidRequest("bad".into()))],
            Exit::Usage,
            "bad",
        ),
        (
            vec![Err(Error::Custom("Error: no answer".into()))],
            Exit::NoAnswer,
            "no answer",
        ),
    ];
    for (items, exit, said) in cases {
        let failure = all(futures::stream::iter(items)).await.unwrap_err();
        assert_eq!(failure.exit, exit, "{}", failure.message);
        assert!(failure.message.contains(said), "{}", failure.message);
        assert!(!failure.message.contains("Error:"), "{}", failure.message);
    }
}

/// A reader that left ends quietly with 0; any other write failure is exit 6.
#[test]
fn output_failures() {
    let cases = [
        (std::io::ErrorKind::BrokenPipe, Exit::Success, ""),
        (
            std::io::ErrorKind::StorageFull,
            Exit::Output,
            "answer is lost",
        ),
        (std::io::ErrorKind::Other, Exit::Output, "answer is lost"),
    ];
    for (kind, exit, said) in cases {
        let failure = output_failure(std::io::Error::from(kind));
        assert_eq!(failure.exit, exit, "{kind:?}");
        assert!(failure.message.contains(said), "{kind:?}");
        assert_eq!(failure.message.is_empty(), said.is_empty(), "{kind:?}");
    }
}
