//! The forms problems are printed in: `text` for people (one `file:line:col : pointer : rule :
//! message : hint` line each), `json` for scripts (one object per line), `github` for GitHub
//! Actions (workflow commands, which annotate the pull request's lines) and `sarif` for code
//! scanning (SARIF 2.1.0, with each rule's description from the registry).

use std::{fmt, str::FromStr};

use serde_json::{Value, json};

use super::{Problem, rules::rule_info};

/// An output format of `cargo xtask lint` and `cargo xtask docs check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    Github,
    Sarif,
}

impl Format {
    pub const NAMES: &[&str] = &["text", "json", "github", "sarif"];
}

impl FromStr for Format {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, String> {
        match name {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "github" => Ok(Format::Github),
            "sarif" => Ok(Format::Sarif),
            other => Err(format!(
                "`{other}` is not a format: use one of {}",
                Format::NAMES.join(", ")
            )),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Github => "github",
            Format::Sarif => "sarif",
        })
    }
}

/// `problems` in `format`, as the whole standard output: lines ending in `\n` (nothing for no
/// problem), or for SARIF one log (with an empty result list when all is clean). `tool` names
/// the command in SARIF (`cargo xtask lint`).
pub fn render(problems: &[Problem], format: Format, tool: &str) -> String {
    match format {
        Format::Text => problems.iter().map(|p| format!("{p}\n")).collect(),
        Format::Json => problems
            .iter()
            .map(|p| format!("{}\n", json_line(p)))
            .collect(),
        Format::Github => problems.iter().map(github_line).collect(),
        Format::Sarif => {
            let mut text = serde_json::to_string_pretty(&sarif(problems, tool))
                .expect("a JSON value always serializes");
            text.push('\n');
            text
        }
    }
}

fn json_line(problem: &Problem) -> Value {
    json!({
        "file": path_text(problem),
        "line": problem.position.map(|p| p.line()),
        "column": problem.position.map(|p| p.column()),
        "pointer": problem.pointer,
        "rule": problem.rule,
        "message": problem.message,
        "hint": problem.hint,
    })
}

/// The file as a `/`-separated relative path, the same on every system.
fn path_text(problem: &Problem) -> String {
    problem
        .file
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `::error file=F,line=L,col=C,title=RULE::MESSAGE`, escaped as GitHub's toolkit escapes
/// workflow commands: `%`, `\r`, `\n` in the message, and `:` and `,` too in a property.
fn github_line(problem: &Problem) -> String {
    let mut properties = format!("file={}", escape_property(&path_text(problem)));
    if let Some(position) = problem.position {
        properties.push_str(&format!(
            ",line={},col={}",
            position.line(),
            position.column()
        ));
    }
    properties.push_str(&format!(",title={}", escape_property(problem.rule)));
    let message = format!(
        "{} (at {})\nhint: {}",
        problem.message,
        problem.pointer_text(),
        problem.hint
    );
    format!("::error {properties}::{}\n", escape_data(&message))
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One SARIF 2.1.0 log: one run of `tool`, the rules its results name (with the registry's
/// description and help), and a result per problem at its file, line and column (a problem about
/// a file as a whole has no region), its JSON pointer as the logical location.
fn sarif(problems: &[Problem], tool: &str) -> Value {
    let mut rules: Vec<&'static str> = problems.iter().map(|p| p.rule).collect();
    rules.sort_unstable();
    rules.dedup();
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|name| {
            let info = rule_info(name);
            json!({
                "id": info.name,
                "name": info.name,
                "shortDescription": {"text": info.description},
                "fullDescription": {"text": info.description},
                "help": {"text": info.help},
                "defaultConfiguration": {"level": "error"},
            })
        })
        .collect();
    let results: Vec<Value> = problems
        .iter()
        .map(|problem| {
            let mut physical = json!({
                "artifactLocation": {"uri": uri(&path_text(problem))},
            });
            if let Some(position) = problem.position {
                physical["region"] = json!({
                    "startLine": position.line(),
                    "startColumn": position.column(),
                });
            }
            json!({
                "ruleId": problem.rule,
                "ruleIndex": rules.iter().position(|r| *r == problem.rule),
                "level": "error",
                "message": {"text": format!("{}\nhint: {}", problem.message, problem.hint)},
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{
                        "fullyQualifiedName": problem.pointer_text(),
                        "kind": "element",
                    }],
                }],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": tool,
                "version": env!("CARGO_PKG_VERSION"),
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// A relative path as a URI reference: bytes outside RFC 3986's unreserved set (and `/`)
/// percent-encoded, so a space or `#` in a file name stays part of the path.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GitHub's toolkit escapes: data `%`, CR, LF; properties also `:` and `,`.
    #[test]
    fn workflow_commands_escape_as_github_documents() {
        let cases = [
            ("100%\r\nnext", "100%25%0D%0Anext", "100%25%0D%0Anext"),
            ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
        ];
        for (text, data, property) in cases {
            assert_eq!(escape_data(text), data, "{text:?}");
            assert_eq!(escape_property(text), property, "{text:?}");
        }
        assert_eq!(uri("tests/a b#c.json"), "tests/a%20b%23c.json");
    }

    #[test]
    fn format_names_read_back() {
        for name in Format::NAMES {
            assert_eq!(name.parse::<Format>().unwrap().to_string(), *name);
        }
        assert!(
            "yaml"
                .parse::<Format>()
                .unwrap_err()
                .contains("text, json, github, sarif")
        );
    }
}
