//! One Go source file of the vendor's SDKs, read with tree-sitter's Go grammar into what the
//! check needs: struct types (fields, JSON tags, `omitempty`, `required:"true"`), named types,
//! the values of the Huawei SDK's enum types (`GetXEnum()`), its request definitions
//! (`GenReqDefForX()` in `*_meta.go`) and functions with their doc comments (the OTC SDK states
//! each call's route in one: `// Send request GET /v1/{project_id}/jobs`).

use std::collections::BTreeMap;

use tree_sitter::{Node, Parser};

/// A Go type expression, as far as the check reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoType {
    /// A name in the file's package or a predeclared one (`string`, `int64`, `JobResource`).
    Named(String),
    /// `pkg.Name` (`model.CreateSparkJobResponse`, `time.Time`).
    Qualified {
        package: String,
        name: String,
    },
    Pointer(Box<GoType>),
    /// `[]T` or `[N]T`.
    Slice(Box<GoType>),
    Map(Box<GoType>),
    /// `interface{}`, `any`, a function or channel type: anything.
    Any,
}

impl GoType {
    /// Without pointers.
    pub fn pointee(&self) -> &GoType {
        match self {
            GoType::Pointer(inner) => inner.pointee(),
            other => other,
        }
    }

    /// The declared type it names (`Named` or `Qualified`), without pointers.
    pub fn name(&self) -> Option<&str> {
        match self.pointee() {
            GoType::Named(name) | GoType::Qualified { name, .. } => Some(name),
            _ => None,
        }
    }
}

/// One field of a struct type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoField {
    /// The Go name (`ClassName`).
    pub name: String,
    /// The `json:"..."` tag's name; `None` without one, `Some("-")` for a field never sent.
    pub json: Option<String>,
    /// The `q:"..."` tag's name (the OTC SDK's query parameters).
    pub query: Option<String>,
    /// `omitempty` in the `json` or `q` tag.
    pub omitempty: bool,
    /// `required:"true"` (the OTC SDK's mark of a mandatory field).
    pub required_tag: bool,
    /// An embedded field: its type's fields are promoted into the struct.
    pub embedded: bool,
    pub type_: GoType,
}

/// Where a request definition puts a field (`def.Path`, `def.Query`, `def.Header`, `def.Body`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Body,
    /// A location the reader does not know (`def.Cookie`, a form field).
    Other,
}

/// A field of a request definition: the Go field of the request struct and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefField {
    pub name: String,
    pub json_tag: Option<String>,
    pub location: Location,
}

/// `GenReqDefForX()`: the Huawei SDK's definition of operation `X`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestDef {
    /// `X`: the operation's name (`CreateSparkJob`).
    pub name: String,
    /// Upper case.
    pub method: Option<String>,
    pub path: Option<String>,
    /// The response struct (`CreateSparkJobResponse`).
    pub response: Option<String>,
    pub request_fields: Vec<DefField>,
    /// Response fields read from elsewhere than the body (headers).
    pub response_fields: Vec<DefField>,
}

/// A top-level function: its name, doc comment, parameter and result types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    pub comment: String,
    pub parameters: Vec<GoType>,
    pub results: Vec<GoType>,
}

/// What one file declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoFile {
    pub structs: BTreeMap<String, Vec<GoField>>,
    /// `type X string` and the like: the type it stands for.
    pub aliases: BTreeMap<String, GoType>,
    /// An enum type's values, by the type's name (`ListSparkJobsRequestState`).
    pub enums: BTreeMap<String, Vec<String>>,
    pub request_defs: Vec<RequestDef>,
    pub functions: Vec<Function>,
}

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GoError {
    #[error("the Go grammar could not be loaded: {0}")]
    Grammar(String),
    #[error("tree-sitter gave no syntax tree")]
    NoTree,
    #[error("line {line}: the file does not parse as Go (first error there)")]
    Syntax { line: usize },
}

/// Type declarations and type expressions nest; deeper than this is not a vendor model (their
/// deepest is a map of slices of pointers) and is read as `Any`, so no input recurses without
/// end.
const MAX_TYPE_DEPTH: usize = 16;

/// Reads one Go file. A file with a syntax error is refused (naming the line): reading half of it
/// could drop fields and report them as missing.
pub fn read(text: &str) -> Result<GoFile, GoError> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_go::LANGUAGE.into())
        .map_err(|e| GoError::Grammar(e.to_string()))?;
    let tree = parser.parse(text, None).ok_or(GoError::NoTree)?;
    let root = tree.root_node();
    if root.has_error() {
        return Err(GoError::Syntax {
            line: first_error(root).map_or(1, |n| n.start_position().row + 1),
        });
    }
    let source = text.as_bytes();
    let mut file = GoFile::default();
    let mut cursor = root.walk();
    let mut comment = String::new();
    for node in root.named_children(&mut cursor) {
        match node.kind() {
            "comment" => {
                let line = text_of(node, source);
                let line = line.trim_start_matches("//").trim();
                comment.push_str(line);
                comment.push('\n');
                continue;
            }
            "type_declaration" => type_declaration(node, source, &mut file),
            "function_declaration" => function(node, source, comment.clone(), &mut file),
            _ => {}
        }
        comment.clear();
    }
    Ok(file)
}

/// The first node in error, walked without recursion (a file may nest without end).
fn first_error(node: Node) -> Option<Node> {
    let mut current = node;
    loop {
        if current.is_error() || current.is_missing() {
            return Some(current);
        }
        let mut cursor = current.walk();
        let next = current.children(&mut cursor).find(|c| c.has_error());
        current = next?;
    }
}

fn text_of<'a>(node: Node, source: &'a [u8]) -> &'a str {
    node.utf8_text(source).unwrap_or_default()
}

fn type_declaration(node: Node, source: &[u8], file: &mut GoFile) {
    let mut cursor = node.walk();
    for spec in node.named_children(&mut cursor) {
        if spec.kind() != "type_spec" {
            continue;
        }
        let (Some(name), Some(type_)) = (
            spec.child_by_field_name("name"),
            spec.child_by_field_name("type"),
        ) else {
            continue;
        };
        let name = text_of(name, source).to_owned();
        if type_.kind() == "struct_type" {
            file.structs.insert(name, struct_fields(type_, source));
        } else {
            file.aliases.insert(name, go_type(type_, source, 0));
        }
    }
}

fn struct_fields(node: Node, source: &[u8]) -> Vec<GoField> {
    let mut fields = Vec::new();
    let Some(list) = (0..node.named_child_count())
        .filter_map(|i| node.named_child(i))
        .find(|c| c.kind() == "field_declaration_list")
    else {
        return fields;
    };
    let mut cursor = list.walk();
    for declaration in list.named_children(&mut cursor) {
        if declaration.kind() != "field_declaration" {
            continue;
        }
        let Some(type_) = declaration.child_by_field_name("type") else {
            continue;
        };
        let type_ = go_type(type_, source, 0);
        let tag = declaration
            .child_by_field_name("tag")
            .map(|t| tag_text(text_of(t, source)))
            .unwrap_or_default();
        let (json, json_omit) = tag_value(&tag, "json");
        let (query, query_omit) = tag_value(&tag, "q");
        let required_tag = tag_value(&tag, "required").0.as_deref() == Some("true");
        let mut names = declaration
            .children_by_field_name("name", &mut declaration.walk())
            .map(|n| text_of(n, source).to_owned())
            .collect::<Vec<_>>();
        let embedded = names.is_empty();
        if embedded {
            names.push(type_.name().unwrap_or_default().to_owned());
        }
        for name in names {
            fields.push(GoField {
                name,
                json: json.clone(),
                query: query.clone(),
                omitempty: json_omit || query_omit,
                required_tag,
                embedded,
                type_: type_.clone(),
            });
        }
    }
    fields
}

/// A tag literal's text: a raw string's between its backquotes, an interpreted one's unquoted.
fn tag_text(literal: &str) -> String {
    match literal.strip_prefix('`').and_then(|l| l.strip_suffix('`')) {
        Some(raw) => raw.to_owned(),
        None => unquote(literal),
    }
}

/// A struct tag's value for `key` (`json:"name,omitempty"` -> `("name", true)`), as Go's
/// `reflect.StructTag.Get` reads it: space-separated `key:"value"` pairs.
pub fn tag_value(tag: &str, key: &str) -> (Option<String>, bool) {
    let mut rest = tag.trim();
    while !rest.is_empty() {
        let Some((name, after)) = rest.split_once(':') else {
            break;
        };
        let Some(after) = after.strip_prefix('"') else {
            break;
        };
        let Some((value, tail)) = after.split_once('"') else {
            break;
        };
        if name.trim() == key {
            let mut parts = value.split(',');
            let name = parts.next().unwrap_or_default().to_owned();
            let omitempty = parts.any(|p| p == "omitempty");
            return (Some(name), omitempty);
        }
        rest = tail.trim_start();
    }
    (None, false)
}

fn go_type(node: Node, source: &[u8], depth: usize) -> GoType {
    if depth > MAX_TYPE_DEPTH {
        return GoType::Any;
    }
    let child = |field: &str| node.child_by_field_name(field);
    match node.kind() {
        "type_identifier" => match text_of(node, source) {
            "any" => GoType::Any,
            name => GoType::Named(name.to_owned()),
        },
        "qualified_type" => GoType::Qualified {
            package: child("package")
                .map(|n| text_of(n, source).to_owned())
                .unwrap_or_default(),
            name: child("name")
                .map(|n| text_of(n, source).to_owned())
                .unwrap_or_default(),
        },
        "pointer_type" => match node.named_child(0) {
            Some(inner) => GoType::Pointer(Box::new(go_type(inner, source, depth + 1))),
            None => GoType::Any,
        },
        "slice_type" | "array_type" => match child("element") {
            Some(inner) => GoType::Slice(Box::new(go_type(inner, source, depth + 1))),
            None => GoType::Any,
        },
        "map_type" => match child("value") {
            Some(inner) => GoType::Map(Box::new(go_type(inner, source, depth + 1))),
            None => GoType::Any,
        },
        "parenthesized_type" => match node.named_child(0) {
            Some(inner) => go_type(inner, source, depth + 1),
            None => GoType::Any,
        },
        // An anonymous struct is rare in the models; its fields are not compared.
        _ => GoType::Any,
    }
}

fn function(node: Node, source: &[u8], comment: String, file: &mut GoFile) {
    let Some(name) = node
        .child_by_field_name("name")
        .map(|n| text_of(n, source).to_owned())
    else {
        return;
    };
    if let Some(operation) = name.strip_prefix("GenReqDefFor") {
        if let Some(body) = node.child_by_field_name("body") {
            file.request_defs.push(request_def(operation, body, source));
        }
        return;
    }
    if let Some(enum_type) = name
        .strip_prefix("Get")
        .and_then(|n| n.strip_suffix("Enum"))
        .filter(|n| !n.is_empty())
        && let Some(body) = node.child_by_field_name("body")
    {
        let mut values = Vec::new();
        enum_values(body, source, &mut values, 0);
        if !values.is_empty() {
            file.enums.insert(enum_type.to_owned(), values);
            return;
        }
    }
    let types = |field: &str| -> Vec<GoType> {
        let Some(list) = node.child_by_field_name(field) else {
            return Vec::new();
        };
        if list.kind() != "parameter_list" {
            return vec![go_type(list, source, 0)];
        }
        let mut cursor = list.walk();
        list.named_children(&mut cursor)
            .filter_map(|p| p.child_by_field_name("type"))
            .map(|t| go_type(t, source, 0))
            .collect()
    };
    file.functions.push(Function {
        parameters: types("parameters"),
        results: types("result"),
        name,
        comment,
    });
}

/// The string (or integer) literals keyed `value` in `GetXEnum()`'s composite literal.
fn enum_values(node: Node, source: &[u8], values: &mut Vec<String>, depth: usize) {
    if depth > 64 {
        return;
    }
    if node.kind() == "keyed_element" {
        let mut cursor = node.walk();
        let parts: Vec<Node> = node.named_children(&mut cursor).collect();
        if let [key, value] = parts.as_slice()
            && text_of(*key, source) == "value"
        {
            let literal = value
                .named_child(0)
                .filter(|_| value.kind() == "literal_element")
                .unwrap_or(*value);
            let text = text_of(literal, source);
            match literal.kind() {
                "interpreted_string_literal" | "raw_string_literal" => {
                    values.push(unquote(text));
                }
                "int_literal" | "float_literal" => values.push(text.to_owned()),
                _ => {}
            }
            return;
        }
    }
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        enum_values(child, source, values, depth + 1);
    }
}

/// A Go string literal's value (the SDK's literals hold no escapes beyond `\"` and `\\`).
fn unquote(literal: &str) -> String {
    let inner = literal
        .strip_prefix('"')
        .and_then(|l| l.strip_suffix('"'))
        .or_else(|| literal.strip_prefix('`').and_then(|l| l.strip_suffix('`')))
        .unwrap_or(literal);
    inner.replace("\\\"", "\"").replace("\\\\", "\\")
}

/// The calls of one `GenReqDefForX()` body: `WithMethod(http.MethodPost)`, `WithPath("...")`,
/// `WithResponse(new(model.XResponse))`, and each `WithRequestField(...)` /
/// `WithResponseField(...)` with its `WithName`, `WithJsonTag` and `WithLocationType`.
fn request_def(name: &str, body: Node, source: &[u8]) -> RequestDef {
    let mut def = RequestDef {
        name: name.to_owned(),
        ..RequestDef::default()
    };
    calls(body, source, 0, &mut |method, argument| match method {
        "WithMethod" => {
            let text = text_of(argument, source);
            let verb = text.rsplit('.').next().unwrap_or(text);
            def.method = Some(verb.trim_start_matches("Method").to_ascii_uppercase());
            false
        }
        "WithPath" => {
            def.path = Some(unquote(text_of(argument, source)));
            false
        }
        "WithResponse" => {
            let mut name = None;
            find_kind(argument, "qualified_type", &mut |n| {
                name = n
                    .child_by_field_name("name")
                    .map(|n| text_of(n, source).to_owned());
            });
            if name.is_none() {
                // `new(model.X)` parses as a call whose argument is a selector expression.
                find_kind(argument, "selector_expression", &mut |n| {
                    name = n
                        .child_by_field_name("field")
                        .map(|n| text_of(n, source).to_owned());
                });
            }
            def.response = name;
            false
        }
        "WithRequestField" | "WithResponseField" => {
            let mut field = DefField {
                name: String::new(),
                json_tag: None,
                location: Location::Other,
            };
            calls(argument, source, 0, &mut |inner, argument| {
                let text = text_of(argument, source);
                match inner {
                    "WithName" => field.name = unquote(text),
                    "WithJsonTag" => field.json_tag = Some(unquote(text)),
                    "WithLocationType" => {
                        field.location = match text.rsplit('.').next().unwrap_or(text) {
                            "Path" => Location::Path,
                            "Query" => Location::Query,
                            "Header" => Location::Header,
                            "Body" => Location::Body,
                            _ => Location::Other,
                        }
                    }
                    _ => {}
                }
                false
            });
            if method == "WithRequestField" {
                def.request_fields.push(field);
            } else {
                def.response_fields.push(field);
            }
            // Its inner calls are the field's, not the definition's.
            true
        }
        _ => false,
    });
    def
}

/// Every call `x.Method(argument)` below `node`, outermost first; `visit` returns whether the
/// argument was consumed (then the walk does not descend into it).
fn calls(node: Node, source: &[u8], depth: usize, visit: &mut dyn FnMut(&str, Node) -> bool) {
    if depth > 256 {
        return;
    }
    let mut consumed = None;
    if node.kind() == "call_expression"
        && let Some(function) = node.child_by_field_name("function")
        && function.kind() == "selector_expression"
        && let Some(field) = function.child_by_field_name("field")
        && let Some(argument) = node
            .child_by_field_name("arguments")
            .and_then(|a| a.named_child(0))
        && visit(text_of(field, source), argument)
    {
        consumed = Some(argument.id());
    }
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        if child.kind() == "argument_list"
            && consumed.is_some_and(|id| child.named_child(0).is_some_and(|a| a.id() == id))
        {
            continue;
        }
        calls(child, source, depth + 1, visit);
    }
}

fn find_kind(node: Node, kind: &str, found: &mut dyn FnMut(Node)) {
    find_kind_at(node, kind, found, 0);
}

/// Bounded like every walk here: an argument nests a few levels in the SDK's definitions.
fn find_kind_at(node: Node, kind: &str, found: &mut dyn FnMut(Node), depth: usize) {
    if node.kind() == kind {
        found(node);
        return;
    }
    if depth > 64 {
        return;
    }
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        find_kind_at(child, kind, found, depth + 1);
    }
}
