//! The bottom of codegen: one [`Problem`] type for every rule and every refusal, printed as
//! `file:line:col : pointer : rule : message : hint`, the [`Report`] that collects them for one
//! file, the registry of rule names (with what each checks, for SARIF's rule metadata), the
//! [`Positions`] of a file's nodes, and the output formats ([`Format`]). Everything else reports
//! through this; it imports nothing of the crate.

use std::{
    collections::HashMap,
    fmt,
    num::NonZeroU32,
    path::{Path, PathBuf},
};

mod format;
mod rules;

pub use format::{Format, render};
pub use rules::{RuleInfo, rule_info};

/// Every rule a spec is checked by; `tests/bad-specs/` holds a spec breaking each.
pub const SPEC_RULES: &[&str] = &[
    "file-name",
    "crate-name",
    "yaml",
    "duplicate-key",
    "number",
    "ref-cycle",
    "rust-name",
    "route",
    "header-parameter",
    "text",
    "openapi-document",
    "openapi-version",
    "servers-and-tags",
    "ref",
    "operation-id",
    "documented",
    "path-parameters",
    "duplicate-parameter",
    "media-schema",
    "success-schemas",
    "error-schemas",
    "default-response",
    "responses",
    "enum",
    "pattern",
    "example",
    "response-constraints",
    "request-enum",
    "secret",
    "nullable-union",
    "nullable-type",
    "progenitor",
    "doc-page",
    "sdk-deviation",
    "idempotent",
    "phase",
    "paginate",
    "waiter",
    "cancel",
];

/// Every rule a cassette is checked by.
pub const CASSETTE_RULES: &[&str] = &[
    "cassette-json",
    "cassette-operation",
    "cassette-request",
    "cassette-request-body",
    "cassette-secret",
    "cassette-status",
    "cassette-response-body",
    "cassette-credential",
    "cassette-name",
    "cassette-file",
];

/// One problem: `file:line:col : pointer : rule : message : hint`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Relative to the workspace root.
    pub file: PathBuf,
    /// JSON pointer into the file (`""` is the whole document).
    pub pointer: String,
    /// Stable rule name, e.g. `path-parameters`.
    pub rule: &'static str,
    pub message: String,
    pub hint: String,
    /// Where in the file the pointer's node (or its nearest existing parent) is written; `None`
    /// for a problem about the file as a whole, or one not yet [located](Problem::locate).
    pub position: Option<Position>,
}

impl Problem {
    /// Gives the problem the position of its pointer's node in `positions` (or of the nearest
    /// parent that exists, for a missing key), unless it already has one.
    pub fn locate(&mut self, positions: &Positions) {
        if self.position.is_none() {
            self.position = positions.find(&self.pointer);
        }
    }

    /// The pointer as printed: `/` for the whole document.
    pub fn pointer_text(&self) -> &str {
        if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        }
    }

    /// `file:line:col`, or `file` for a problem about the file as a whole.
    pub fn location(&self) -> String {
        match self.position {
            Some(position) => format!(
                "{}:{}:{}",
                self.file.display(),
                position.line(),
                position.column()
            ),
            None => self.file.display().to_string(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} : {} : {} : {} : {}",
            self.location(),
            self.pointer_text(),
            self.rule,
            self.message,
            self.hint
        )
    }
}

/// A place in a text file: line and column, both from 1, the column counted in characters.
/// Non-zero `u32`s keep `Option<Position>` in 8 bytes, and [`Problem`] (so every `Result`
/// carrying one) small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    line: NonZeroU32,
    column: NonZeroU32,
}

impl Position {
    /// From a parser's counts, from 1 (0 reads as 1; past `u32::MAX` is capped, not wrapped).
    pub fn new(line: usize, column: usize) -> Position {
        let count = |n: usize| {
            NonZeroU32::new(u32::try_from(n).unwrap_or(u32::MAX).max(1)).unwrap_or(NonZeroU32::MIN)
        };
        Position {
            line: count(line),
            column: count(column),
        }
    }

    pub fn line(&self) -> u32 {
        self.line.get()
    }

    pub fn column(&self) -> u32 {
        self.column.get()
    }
}

/// Where each node of one file is written, by JSON pointer: built once per file from the parser
/// that read it (YAML marks for a spec, the JSON text for a cassette). A mapping entry is at its
/// key, a list item at the item.
#[derive(Debug, Clone, Default)]
pub struct Positions {
    nodes: HashMap<String, Position>,
}

impl Positions {
    pub fn insert(&mut self, pointer: String, position: Position) {
        self.nodes.entry(pointer).or_insert(position);
    }

    /// The position of `pointer`'s node, or of its nearest parent that is written in the file
    /// (a key a rule finds missing, a key a YAML merge brought in); `None` when only the
    /// document itself is left, which is the file as a whole.
    pub fn find(&self, pointer: &str) -> Option<Position> {
        let mut pointer = pointer;
        while !pointer.is_empty() {
            if let Some(position) = self.nodes.get(pointer) {
                return Some(*position);
            }
            pointer = &pointer[..pointer.rfind('/').unwrap_or(0)];
        }
        None
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// The positions of every node of a JSON text. A text that does not read as JSON gives the
/// nodes before the fault (its problem is reported with serde_json's own line and column).
pub fn json_positions(text: &str) -> Positions {
    let mut scanner = JsonScanner {
        text,
        at: 0,
        line: 1,
        column: 1,
        positions: Positions::default(),
    };
    let mut pointer = String::new();
    // Depth is bounded by serde_json's own limit (128) on the same text, read first.
    let _ = scanner.value(&mut pointer, 0);
    scanner.positions
}

struct JsonScanner<'a> {
    text: &'a str,
    at: usize,
    line: usize,
    column: usize,
    positions: Positions,
}

impl JsonScanner<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn here(&self) -> Position {
        Position::new(self.line, self.column)
    }

    fn space(&mut self) {
        while self
            .peek()
            .is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
        {
            self.bump();
        }
    }

    /// A string token, decoded; `None` at anything else.
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        if self.bump()? != '"' {
            return None;
        }
        loop {
            match self.bump()? {
                '\\' => {
                    self.bump()?;
                }
                '"' => break,
                _ => {}
            }
        }
        serde_json::from_str(&self.text[start..self.at]).ok()
    }

    fn value(&mut self, pointer: &mut String, depth: usize) -> Option<()> {
        const MAX_DEPTH: usize = 256;
        if depth > MAX_DEPTH {
            return None;
        }
        self.space();
        match self.peek()? {
            '{' => {
                self.bump();
                loop {
                    self.space();
                    if self.peek()? == '}' {
                        self.bump();
                        return Some(());
                    }
                    let position = self.here();
                    let key = self.string()?;
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&segment(&key));
                    self.positions.insert(pointer.clone(), position);
                    self.space();
                    if self.bump()? != ':' {
                        return None;
                    }
                    self.value(pointer, depth + 1)?;
                    pointer.truncate(len);
                    self.space();
                    match self.bump()? {
                        ',' => {}
                        '}' => return Some(()),
                        _ => return None,
                    }
                }
            }
            '[' => {
                self.bump();
                let mut index = 0usize;
                loop {
                    self.space();
                    if self.peek()? == ']' {
                        self.bump();
                        return Some(());
                    }
                    let len = pointer.len();
                    pointer.push_str(&format!("/{index}"));
                    self.positions.insert(pointer.clone(), self.here());
                    self.value(pointer, depth + 1)?;
                    pointer.truncate(len);
                    index += 1;
                    self.space();
                    match self.bump()? {
                        ',' => {}
                        ']' => return Some(()),
                        _ => return None,
                    }
                }
            }
            '"' => self.string().map(drop),
            _ => {
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, ',' | '}' | ']' | ' ' | '\t' | '\n' | '\r'))
                {
                    self.bump();
                }
                Some(())
            }
        }
    }
}

/// Collects problems for one file.
pub struct Report<'a> {
    pub file: &'a Path,
    pub problems: Vec<Problem>,
}

impl<'a> Report<'a> {
    pub fn new(file: &'a Path) -> Self {
        Report {
            file,
            problems: Vec::new(),
        }
    }

    pub fn add(
        &mut self,
        pointer: impl Into<String>,
        rule: &'static str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        debug_assert!(
            SPEC_RULES.contains(&rule) || CASSETTE_RULES.contains(&rule),
            "rule `{rule}` is not listed in SPEC_RULES or CASSETTE_RULES"
        );
        self.problems.push(Problem {
            file: self.file.to_path_buf(),
            pointer: pointer.into(),
            rule,
            message: message.into(),
            hint: hint.into(),
            position: None,
        });
    }
}

/// Escapes one JSON pointer segment (`/` and `~`).
pub fn segment(text: &str) -> String {
    text.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cassette's pointers at their key (or list item) in the JSON text: (case, pointer,
    /// expected line and column).
    #[test]
    fn json_pointers_have_the_line_and_column_of_their_node() {
        let text = "{\n  \"request\": {\"path\": \"/v1\", \"query\": [[\"a\", \"1\"], [\"b\", \"é\"]]},\n  \"response\": {\n    \"status\": 200,\n    \"a/b\\\"c\": {\"body\": null}\n  }\n}\n";
        let positions = json_positions(text);
        let at = |line, column| Some(Position::new(line, column));
        let cases = [
            ("key", "/request", at(2, 3)),
            ("key in a flow object", "/request/path", at(2, 15)),
            ("list item", "/request/query/1", at(2, 52)),
            ("item of an item", "/request/query/1/1", at(2, 58)),
            ("next line", "/response/status", at(4, 5)),
            ("escaped key", "/response/a~1b\"c/body", at(5, 16)),
            ("missing key: its parent", "/response/headers", at(3, 3)),
            ("whole document", "", None),
        ];
        for (case, pointer, expected) in cases {
            assert_eq!(positions.find(pointer), expected, "{case}: {pointer}");
        }
        // Text that is not JSON gives the nodes before the fault, and no panic.
        for broken in ["{\"a\": [1, 2", "{\"a\" 1}", "\"", "[", "{\"a\": \"\\", ""] {
            let _ = json_positions(broken);
        }
        assert_eq!(
            json_positions("{\"a\": {\"b\": [1,").find("/a/b/0"),
            at(1, 14)
        );
    }

    /// Text form: `file:line:col : pointer : ...`, or `file : / : ...` for the file as a whole.
    #[test]
    fn a_problem_prints_its_position_or_none() {
        let mut problem = Problem {
            file: PathBuf::from("specs/t-v1.yaml"),
            pointer: String::new(),
            rule: "file-name",
            message: "m".into(),
            hint: "h".into(),
            position: None,
        };
        assert_eq!(
            problem.to_string(),
            "specs/t-v1.yaml : / : file-name : m : h"
        );
        problem.pointer = "/info".into();
        problem.position = Some(Position::new(2, 1));
        assert_eq!(
            problem.to_string(),
            "specs/t-v1.yaml:2:1 : /info : file-name : m : h"
        );
    }
}
