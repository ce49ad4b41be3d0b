//! The one place names become Rust identifiers, exactly as progenitor and typify make them, so
//! that what lint compares is what the generated crate will hold: method names from operation
//! ids and setter names from parameters (progenitor's `sanitize`), field names from properties
//! (typify's `sanitize`), type names, and the names codegen derives from these.
//!
//! Both sanitizers replace every character that cannot continue an identifier by `-`, apply
//! heck's case, prefix a name that cannot start one, and add `_` to a keyword; they differ only
//! in the prefix (`x` for typify, `_` for progenitor).

use heck::{ToPascalCase, ToSnakeCase};

/// Which generator names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Namer {
    /// Fields of generated types, enum variants, type names.
    Typify,
    /// Operation methods, builder setters.
    Progenitor,
}

/// Snake case (`http_server`) or Pascal case (`HttpServer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Snake,
    Pascal,
}

/// `input` as `namer` makes it an identifier in `case`.
pub fn sanitize(input: &str, case: Case, namer: Namer) -> String {
    let to_case = |text: &str| match case {
        Case::Snake => text.to_snake_case(),
        Case::Pascal => text.to_pascal_case(),
    };
    let out = match input {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => to_case(
            &input
                .replace('\'', "")
                .replace(|c: char| !unicode_ident::is_xid_continue(c), "-"),
        ),
    };
    let out = match out.chars().next() {
        None => to_case("x"),
        Some(c) if unicode_ident::is_xid_start(c) => out,
        Some(_) => match namer {
            Namer::Typify => format!("{}{out}", to_case("x")),
            Namer::Progenitor => format!("_{out}"),
        },
    };
    if is_keyword(&out) {
        format!("{out}_")
    } else {
        out
    }
}

/// A field of a generated type, from a property name.
pub fn field_name(property: &str) -> String {
    sanitize(property, Case::Snake, Namer::Typify)
}

/// A builder setter, from a parameter name.
pub fn setter_name(parameter: &str) -> String {
    sanitize(parameter, Case::Snake, Namer::Progenitor)
}

/// A `Client` method, from an operation id (or a waiter's name).
pub fn method_name(operation_id: &str) -> String {
    sanitize(operation_id, Case::Snake, Namer::Progenitor)
}

/// A type name (`ShowSqlJobStatus`), from an operation id or a waiter's name.
pub fn type_name(name: &str) -> String {
    sanitize(name, Case::Pascal, Namer::Progenitor)
}

/// progenitor's builder for an operation: the Pascal-case method name without its keyword `_`.
pub fn builder_name(operation_id: &str) -> String {
    method_name(operation_id)
        .trim_end_matches('_')
        .to_pascal_case()
}

/// Whether a name has something to name a Rust item by (a letter or digit); the sanitizers make
/// `x` of anything else, which two such names would share.
pub fn has_word(name: &str) -> bool {
    name.chars().any(char::is_alphanumeric)
}

/// The words typify's `accept_as_ident` refuses (Rust keywords, reserved words, `gen`).
fn is_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What typify and progenitor make of names the specs (and hostile specs) use.
    #[test]
    fn names_are_what_typify_and_progenitor_make() {
        // (name, field, setter or method)
        for (name, field, method) in [
            ("job_id", "job_id", "job_id"),
            ("jobId", "job_id", "job_id"),
            ("job-id", "job_id", "job_id"),
            ("JobID", "job_id", "job_id"),
            ("HTTPServer", "http_server", "http_server"),
            ("http_server", "http_server", "http_server"),
            ("show__job_", "show_job", "show_job"),
            ("page-size", "page_size", "page_size"),
            ("Self", "self_", "self_"),
            ("type", "type_", "type_"),
            ("$x", "x", "x"),
            ("1job", "x1job", "_1job"),
            ("", "x", "x"),
            ("--", "x", "x"),
            ("v1.1", "v1_1", "v1_1"),
        ] {
            assert_eq!(field_name(name), field, "field {name:?}");
            assert_eq!(method_name(name), method, "method {name:?}");
        }
        assert_eq!(builder_name("show_sql_job_status"), "ShowSqlJobStatus");
        assert_eq!(builder_name("type"), "Type");
        assert_eq!(type_name("sql_job_finished"), "SqlJobFinished");
        assert!(!has_word("--") && has_word("a-"));
    }
}
