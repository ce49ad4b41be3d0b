//! Open enums take strings, as the AWS SDK's do: a known value becomes its known variant, any
//! other string `Other`, and both serialize to the string given. One table over the crates'
//! `From<&str>`/`From<String>` (codegen's glue emits them for every open enum), and the builders
//! that take them.

use dli_v1::types::{KnownSqlJobTypeFilter, SqlJobTypeFilter};
use mrs_v2::types::{KnownSqlType, SqlType};

#[test]
fn a_string_becomes_its_known_variant_or_other() {
    // (input, the value it must become, the JSON it must send)
    let dli: [(&str, SqlJobTypeFilter, &str); 4] = [
        ("QUERY", KnownSqlJobTypeFilter::Query.into(), r#""QUERY""#),
        ("ALL", KnownSqlJobTypeFilter::All.into(), r#""ALL""#),
        // Case is the service's: a lower-case name is not the known value.
        (
            "query",
            SqlJobTypeFilter::Other("query".into()),
            r#""query""#,
        ),
        ("", SqlJobTypeFilter::Other(String::new()), r#""""#),
    ];
    for (input, want, json) in dli {
        assert_eq!(SqlJobTypeFilter::from(input), want, "{input:?} from &str");
        assert_eq!(
            SqlJobTypeFilter::from(input.to_owned()),
            want,
            "{input:?} from String"
        );
        assert_eq!(
            serde_json::to_string(&want).unwrap(),
            json,
            "{input:?} on the wire"
        );
    }
    let mrs: [(&str, SqlType); 3] = [
        ("presto", KnownSqlType::Presto.into()),
        // A SQL engine the page does not list yet: sent as given, not refused.
        ("SPARK", SqlType::Other("SPARK".into())),
        ("hive\u{0}", SqlType::Other("hive\u{0}".into())),
    ];
    for (input, want) in mrs {
        assert_eq!(SqlType::from(input), want, "{input:?}");
        assert_eq!(
            serde_json::to_value(SqlType::from(input)).unwrap(),
            serde_json::Value::String(input.to_owned())
        );
    }
}

#[test]
fn builders_take_a_string_where_they_take_an_open_enum() {
    let body = mrs_v2::types::builder::SqlExecutionRequest::default()
        .sql_type("SPARK")
        .sql_content("show tables");
    let body = mrs_v2::types::SqlExecutionRequest::try_from(body).unwrap();
    assert_eq!(body.sql_type, SqlType::Other("SPARK".into()));
    let json = serde_json::to_value(&body).unwrap();
    assert_eq!(json["sql_type"], "SPARK");
}
