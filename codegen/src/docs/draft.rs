//! `cargo xtask docs draft`: a page as the YAML of a new operation, for a maintainer to paste
//! under `paths:` in a spec and then edit. Route, method, an `operationId` in the project's
//! style, parameters with what the page states of their constraints, the request body and one
//! response per documented status with the page's examples. Whatever the page leaves open (a
//! type it does not name, a range in words, an example that is not JSON) is listed in comments
//! at the top rather than guessed.

use serde_yaml::{Mapping, Value};

use super::{Example, Field, Page};

/// The draft for `page`, as YAML text with a comment header.
pub fn draft(page: &Page) -> String {
    let mut open = Walk::default();
    let route = page.route.clone().unwrap_or_else(|| {
        open.push("the page gives no request line: fill in the route and method".to_owned());
        "/TODO".to_owned()
    });
    let method = page
        .method
        .clone()
        .unwrap_or_else(|| "GET".into())
        .to_ascii_lowercase();

    let mut operation = Mapping::new();
    operation.insert("operationId".into(), operation_id(&page.title).into());
    operation.insert(
        crate::extensions::doc_page::PAGE.into(),
        page.id.clone().into(),
    );
    operation.insert("summary".into(), page.title.clone().into());
    if is_deprecated(page) {
        operation.insert("deprecated".into(), true.into());
    }
    operation.insert(
        "description".into(),
        format!("Source: vendor page {} ({}).", page.id, page.title).into(),
    );
    let mut parameters = Vec::new();
    for (location, fields) in [
        ("path", &page.path_parameters),
        ("query", &page.query_parameters),
    ] {
        for field in fields {
            let mut parameter = Mapping::new();
            parameter.insert("name".into(), field.name.clone().into());
            parameter.insert("in".into(), location.into());
            if location == "path" || field.mandatory == Some(true) {
                parameter.insert("required".into(), true.into());
            }
            parameter.insert("description".into(), description(&field.description).into());
            let mut parameter_schema = schema(field, page, &mut open);
            // A page without a type column: path parameters are text.
            if location == "path"
                && let Value::Mapping(map) = &mut parameter_schema
                && !map.contains_key("type")
            {
                map.insert("type".into(), "string".into());
            }
            parameter.insert("schema".into(), parameter_schema);
            parameters.push(Value::Mapping(parameter));
        }
    }
    // A parameter of the route the URI table leaves out (dli_02_0316's `{job_id}`): declared,
    // as text, so the draft passes lint, and named as open.
    for name in crate::spec::route_parameters(&route) {
        if page.path_parameters.iter().any(|f| f.name == name) {
            continue;
        }
        let mut parameter = Mapping::new();
        parameter.insert("name".into(), name.into());
        parameter.insert("in".into(), "path".into());
        parameter.insert("required".into(), true.into());
        let mut text = Mapping::new();
        text.insert("type".into(), "string".into());
        parameter.insert("schema".into(), Value::Mapping(text));
        parameters.push(Value::Mapping(parameter));
        open.push(format!(
            "path parameter `{name}`: in the route, not in the page's URI table: describe and type it"
        ));
    }
    // Headers the page documents, but not those the runtime sends on every call itself
    // (authentication, signing, content type).
    for field in page.header_parameters.iter().filter(|f| {
        !crate::runtime_contract::HEADERS_SET_BY_RUNTIME
            .contains(&f.name.to_ascii_lowercase().as_str())
    }) {
        let mut parameter = Mapping::new();
        parameter.insert("name".into(), field.name.clone().into());
        parameter.insert("in".into(), "header".into());
        if field.mandatory == Some(true) {
            parameter.insert("required".into(), true.into());
        }
        parameter.insert("description".into(), description(&field.description).into());
        parameter.insert("schema".into(), schema(field, page, &mut open));
        parameters.push(Value::Mapping(parameter));
        open.push(format!(
            "header `{}`: if every operation of the spec takes it, make it one component parameter",
            field.name
        ));
    }
    if !parameters.is_empty() {
        operation.insert("parameters".into(), Value::Sequence(parameters));
    }
    if !page.request_fields.is_empty() {
        let mut media = Mapping::new();
        media.insert(
            "schema".into(),
            object(&page.request_fields, page, true, &mut open),
        );
        if let Some(example) = first_json(&page.example_requests, "request", &mut open) {
            media.insert("example".into(), example);
        }
        let mut body = Mapping::new();
        body.insert("required".into(), true.into());
        body.insert("content".into(), json_content(media));
        operation.insert("requestBody".into(), Value::Mapping(body));
    }
    let mut responses = Mapping::new();
    let example = first_json(&page.example_responses, "response", &mut open);
    if page.statuses.is_empty() {
        open.push("the page lists no status codes: add every documented status".into());
    } else if page.statuses_in_prose {
        open.push("the page has no status code table: the statuses are those its examples state; add the common errors the API's general pages document, and say where each comes from".into());
        if !page
            .statuses
            .iter()
            .any(|(code, _)| (200..300).contains(code))
        {
            open.push("the success example states no status: add the one the service answers (the vendor SDK's), declared with `x-doc-deviation`".into());
        }
    }
    let mut statuses = page.statuses.clone();
    if page.statuses_in_prose
        && !statuses.iter().any(|(code, _)| (200..300).contains(code))
        && !page.response_fields.is_empty()
    {
        // The fields are documented, the status is not: the draft keeps the fields under the
        // usual success status, which the open note above says to confirm.
        statuses.insert(
            0,
            (
                200,
                "TODO: the page states no success status; confirm it".into(),
            ),
        );
    }
    for (code, description) in &statuses {
        let mut response = Mapping::new();
        response.insert("description".into(), one_line(description).into());
        if (200..300).contains(code) && !page.response_fields.is_empty() {
            let mut media = Mapping::new();
            // Response schemas carry no constraints: the service decides what arrives.
            media.insert(
                "schema".into(),
                object(&page.response_fields, page, false, &mut open),
            );
            if let Some(example) = &example {
                media.insert("example".into(), example.clone());
            }
            response.insert("content".into(), json_content(media));
        } else if *code >= 400 {
            open.push(format!(
                "status {code}: give it the service's error body schema (a shared component)"
            ));
        }
        responses.insert(format!("{code}").into(), Value::Mapping(response));
    }
    operation.insert("responses".into(), Value::Mapping(responses));

    let mut item = Mapping::new();
    item.insert(method.into(), Value::Mapping(operation));
    let mut paths = Mapping::new();
    paths.insert(route.into(), Value::Mapping(item));
    let yaml = serde_yaml::to_string(&Value::Mapping(paths)).unwrap_or_default();

    let mut out = format!(
        "# Draft of an operation from {} ({}), {}.\n# Paste under `paths:`, then edit: choose the vendor SDK's operation name, set `tags`, share the\n# error body, make response enums open, and run `cargo xtask generate`.\n",
        page.id,
        page.title,
        page.file.display()
    );
    let mut open = open.notes;
    open.sort();
    open.dedup();
    for item in &open {
        out.push_str(&format!("# open: {item}\n"));
    }
    out.push_str(&yaml);
    out
}

fn json_content(media: Mapping) -> Value {
    let mut content = Mapping::new();
    content.insert("application/json".into(), Value::Mapping(media));
    Value::Mapping(content)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `Creating a Batch Processing Job` -> `create_batch_processing_job`: the leading gerund as a
/// verb, articles dropped.
pub fn operation_id(title: &str) -> String {
    const VERBS: &[(&str, &str)] = &[
        ("creating", "create"),
        ("submitting", "submit"),
        ("querying", "show"),
        ("obtaining", "show"),
        ("listing", "list"),
        ("canceling", "cancel"),
        ("cancelling", "cancel"),
        ("deleting", "delete"),
        ("updating", "update"),
        ("modifying", "update"),
        ("stopping", "stop"),
        ("terminating", "stop"),
        ("exporting", "export"),
        ("checking", "check"),
        ("previewing", "preview"),
        ("viewing", "show"),
        ("editing", "update"),
        ("starting", "start"),
        ("importing", "import"),
        ("retrying", "retry"),
    ];
    let title = title.split('(').next().unwrap_or(title);
    let mut words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .filter(|w| !matches!(w.as_str(), "a" | "an" | "the" | "of" | "in" | "for"))
        .collect();
    let many = words.iter().any(|w| w == "all" || w == "list");
    if let Some(first) = words.first_mut()
        && let Some((_, verb)) = VERBS.iter().find(|(gerund, _)| first == gerund)
    {
        // "Querying All Jobs", "Querying a List of Jobs": a list, the words said once.
        *first = if *verb == "show" && many {
            "list".into()
        } else {
            (*verb).into()
        };
    }
    let first = words.first().cloned();
    let rest: Vec<String> = words
        .into_iter()
        .skip(1)
        .filter(|w| !(first.as_deref() == Some("list") && (w == "all" || w == "list")))
        .collect();
    first.into_iter().chain(rest).collect::<Vec<_>>().join("_")
}

/// Fields drafted from nested tables at most: with the depth limit and the cycle check, a page
/// whose tables name each other many times over still drafts in bounded time and size.
const MAX_NESTED_FIELDS: usize = 10_000;

/// What the draft leaves open, and where its walk over nested tables is.
#[derive(Default)]
struct Walk {
    notes: Vec<String>,
    /// The nested tables being expanded, outermost first: the field naming each, and the table.
    path: Vec<(String, *const Vec<Field>)>,
    expansions: usize,
}

impl Walk {
    fn push(&mut self, note: String) {
        self.notes.push(note);
    }

    /// Whether the nested table `name` is expanded here: not when it is already being expanded
    /// (a table listing itself, or A listing B listing A), nor beyond the depth or the budget.
    fn enter(&mut self, name: &str, table: &Vec<Field>) -> bool {
        let refused = if self.path.iter().any(|(_, t)| std::ptr::eq(*t, table)) {
            let through: Vec<&str> = self.path.iter().map(|(n, _)| n.as_str()).collect();
            format!(
                "`{name}`: its table lists itself (through {}): not expanded again",
                through.join(" > ")
            )
        } else if self.path.len() >= super::MAX_NESTED_DEPTH {
            format!(
                "`{name}`: nested more than {} tables deep: not expanded",
                super::MAX_NESTED_DEPTH
            )
        } else if self.expansions + table.len() > MAX_NESTED_FIELDS {
            format!(
                "`{name}`: more than {MAX_NESTED_FIELDS} fields from nested tables: not expanded"
            )
        } else {
            self.expansions += table.len();
            self.path.push((name.to_owned(), table));
            return true;
        };
        self.notes.push(refused);
        false
    }

    fn leave(&mut self) {
        self.path.pop();
    }
}

/// An object schema of `fields`; `required` and constraints only for requests.
fn object(fields: &[Field], page: &Page, request: bool, open: &mut Walk) -> Value {
    let mut properties = Mapping::new();
    let mut required = Vec::new();
    for field in fields {
        let mut schema = if request {
            schema(field, page, open)
        } else {
            schema_without_constraints(field, page, open)
        };
        if let Value::Mapping(map) = &mut schema {
            map.insert("description".into(), description(&field.description).into());
        }
        properties.insert(field.name.clone().into(), schema);
        if request && field.mandatory == Some(true) {
            required.push(Value::from(field.name.clone()));
        }
    }
    let mut object = Mapping::new();
    object.insert("type".into(), "object".into());
    if !required.is_empty() {
        object.insert("required".into(), Value::Sequence(required));
    }
    object.insert("properties".into(), Value::Mapping(properties));
    Value::Mapping(object)
}

fn schema_without_constraints(field: &Field, page: &Page, open: &mut Walk) -> Value {
    let mut schema = schema(field, page, open);
    if let Value::Mapping(map) = &mut schema {
        for keyword in [
            "minLength",
            "maxLength",
            "minimum",
            "maximum",
            "required",
            "pattern",
            "default",
        ] {
            map.remove(keyword);
        }
    }
    schema
}

/// The schema the page's type names, with the constraints its range states in a form this
/// reads ("up to N characters", "N to M characters", "[a, b]"); anything else is left open.
fn schema(field: &Field, page: &Page, open: &mut Walk) -> Value {
    let nested = page
        .nested_of(field)
        .filter(|table| open.enter(&field.name, table));
    let schema = schema_of(field, page, nested, open);
    if nested.is_some() {
        open.leave();
    }
    schema
}

fn schema_of(field: &Field, page: &Page, nested: Option<&Vec<Field>>, open: &mut Walk) -> Value {
    let ty = field.type_.to_ascii_lowercase();
    let mut schema = Mapping::new();
    let scalar = |t: &str| -> Option<(&'static str, Option<&'static str>)> {
        Some(match t {
            t if t.starts_with("string") => ("string", None),
            t if t.starts_with("long") => ("integer", Some("int64")),
            t if t.starts_with("int") => ("integer", Some("int32")),
            t if t.starts_with("bool") => ("boolean", None),
            t if t.starts_with("float") || t.starts_with("double") || t.starts_with("number") => {
                ("number", None)
            }
            _ => return None,
        })
    };
    // `Array of strings`, `Array<String>`, and DataArts Factory's Java-style `List<Job>`.
    if let Some(item) = ty
        .strip_prefix("array of ")
        .or_else(|| ty.strip_prefix("array<"))
        .or_else(|| ty.strip_prefix("list<"))
    {
        schema.insert("type".into(), "array".into());
        let item = item.trim_end_matches('>').trim_end_matches('s');
        let items = match (scalar(item), nested) {
            (Some((t, format)), _) => {
                let mut items = Mapping::new();
                items.insert("type".into(), t.into());
                if let Some(format) = format {
                    items.insert("format".into(), format.into());
                }
                Value::Mapping(items)
            }
            (None, Some(fields)) => object(fields, page, true, open),
            (None, None) => {
                open.push(format!(
                    "`{}`: the items of `{}` are not described",
                    field.name, field.type_
                ));
                Value::Mapping(Mapping::new())
            }
        };
        schema.insert("items".into(), items);
    } else if let Some((t, format)) = scalar(&ty) {
        schema.insert("type".into(), t.into());
        if let Some(format) = format {
            schema.insert("format".into(), format.into());
        }
    } else if ty.starts_with("object") || ty.starts_with("map") || nested.is_some() {
        match nested {
            Some(fields) => return object(fields, page, true, open),
            None => {
                schema.insert("type".into(), "object".into());
                open.push(format!(
                    "`{}`: an object whose fields the page does not list",
                    field.name
                ));
            }
        }
    } else {
        open.push(format!(
            "`{}`: the page names no type (`{}`)",
            field.name, field.type_
        ));
    }
    if let Some(range) = &field.range {
        let stated = constraints(range, &mut schema);
        if !stated {
            open.push(format!(
                "`{}`: range in words: {}",
                field.name,
                one_line(range)
            ));
        }
    }
    if schema.get("type").and_then(Value::as_str) == Some("string")
        && let Some(pattern) = stated_pattern(&field.description)
    {
        schema.insert("pattern".into(), pattern.into());
    }
    if let Some(default) = &field.default {
        match default_literal(default, schema.get("type").and_then(Value::as_str)) {
            Some(value) => {
                schema.insert("default".into(), value);
            }
            None => open.push(format!("`{}`: default {}", field.name, one_line(default))),
        }
    }
    Value::Mapping(schema)
}

/// Adds the constraints `range` states in a form this reads; whether it read any.
pub(crate) fn constraints(range: &str, schema: &mut Mapping) -> bool {
    let numbers: Vec<u64> = range
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let lower = range.to_ascii_lowercase();
    if lower.contains("character") {
        match numbers.as_slice() {
            [max]
                if lower.contains("up to")
                    || lower.contains("at most")
                    || lower.contains("maximum") =>
            {
                schema.insert("maxLength".into(), (*max).into());
                true
            }
            [min, max, ..] => {
                schema.insert("minLength".into(), (*min).into());
                schema.insert("maxLength".into(), (*max).into());
                true
            }
            _ => false,
        }
    } else if let [min, max] = numbers.as_slice()
        // `- x86_64` (a bullet list of one word) holds two numbers but is no range.
        && min <= max
        && (range.contains('[')
            || lower.contains(" to ")
            || range.contains('-')
            || range.contains('–'))
    {
        schema.insert("minimum".into(), (*min).into());
        schema.insert("maximum".into(), (*max).into());
        true
    } else {
        false
    }
}

fn first_json(examples: &[Example], what: &str, open: &mut Walk) -> Option<Value> {
    for example in examples {
        match example {
            Example::Json(json) => return serde_yaml::to_value(json).ok(),
            Example::Invalid { text, error } => match repair_json(text) {
                Some((json, repairs)) => {
                    open.push(format!(
                        "the example {what} is not JSON on the page ({error}); the draft repaired it ({}): check it, and say so in the description",
                        repairs.join(", ")
                    ));
                    return serde_yaml::to_value(json).ok();
                }
                None => open.push(format!(
                    "the example {what} is not JSON ({error}): write a valid one"
                )),
            },
        }
    }
    None
}

/// A field's description as a spec wants it: the newer pages write each cell as "Definition …
/// Constraints … Range … Default Value …"; the range and default become schema keywords (or
/// open notes), so the description keeps the definition and any stated constraint.
fn description(text: &str) -> String {
    let text = one_line(text);
    let Some(rest) = text.strip_prefix("Definition ") else {
        return text;
    };
    let cut = |text: &str, marker: &str| -> (String, Option<String>) {
        match text.find(marker) {
            Some(at) => (
                text[..at].trim().to_owned(),
                Some(text[at + marker.len()..].trim().to_owned()),
            ),
            None => (text.trim().to_owned(), None),
        }
    };
    let (rest, _default) = cut(rest, " Default Value ");
    let (rest, _range) = cut(&rest, " Range ");
    let (definition, constraints) = cut(&rest, " Constraints ");
    match constraints.filter(|c| c != "None" && !c.is_empty()) {
        Some(constraints) => format!("{definition} Constraints: {constraints}"),
        None => definition,
    }
}

/// The regular expression a page's constraint states ("… matching the regular expression
/// `^[0-9a-f]{8}$`."), or its "Only letters and digits are allowed".
fn stated_pattern(description: &str) -> Option<String> {
    let text = one_line(description);
    if let Some(at) = text.find("regular expression ") {
        let expression = text[at + "regular expression ".len()..]
            .split_whitespace()
            .next()?
            .trim_end_matches(['.', ',', ';'])
            .trim_matches('`');
        return (!expression.is_empty() && regress::Regex::new(expression).is_ok())
            .then(|| expression.to_owned());
    }
    text.contains("Only letters and digits are allowed")
        .then(|| "^[A-Za-z0-9]*$".to_owned())
}

/// A default the page states as a literal of the field's type (`false`, `20`, `1.5`), as a YAML
/// value; `None` for anything in words.
fn default_literal(default: &str, ty: Option<&str>) -> Option<Value> {
    let text = default.trim().trim_end_matches('.');
    match ty? {
        "boolean" => match text.to_ascii_lowercase().as_str() {
            "true" => Some(true.into()),
            "false" => Some(false.into()),
            _ => None,
        },
        "integer" => text.parse::<i64>().ok().map(Value::from),
        "number" => text.parse::<f64>().ok().map(Value::from),
        _ => None,
    }
}

/// Whether the vendor marks the page out of date: "(Deprecated)" in its title, or a page of the
/// out-of-date API folder.
fn is_deprecated(page: &Page) -> bool {
    page.title.to_ascii_lowercase().contains("deprecated")
        || page
            .file
            .components()
            .any(|c| c.as_os_str().to_string_lossy().contains("out-of-date"))
}

/// The pages' usual JSON slips, repaired: a comma before `}` or `]`, a missing comma between a
/// value and the next key on the next line, a missing outer brace. The JSON and what was done,
/// or `None` when that is not enough.
pub(crate) fn repair_json(text: &str) -> Option<(serde_json::Value, Vec<&'static str>)> {
    let mut repairs = Vec::new();
    // Trailing commas, outside strings.
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        if c == ','
            && chars[i + 1..]
                .iter()
                .find(|c| !c.is_whitespace())
                .is_some_and(|next| matches!(next, '}' | ']'))
        {
            if !repairs.contains(&"a trailing comma removed") {
                repairs.push("a trailing comma removed");
            }
            continue;
        }
        out.push(c);
    }
    // Missing commas between lines: a value ends one line, a key starts the next.
    let lines: Vec<&str> = out.lines().collect();
    let mut joined = String::with_capacity(out.len() + 16);
    for (i, line) in lines.iter().enumerate() {
        joined.push_str(line);
        let end = line.trim_end();
        let next = lines[i + 1..]
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty());
        let ends_value = end.ends_with(['"', '}', ']'])
            || end.ends_with(|c: char| c.is_ascii_digit())
            || end.ends_with("true")
            || end.ends_with("false")
            || end.ends_with("null");
        if ends_value
            && !end.trim_start().is_empty()
            && next.is_some_and(|n| n.starts_with('"') || n.starts_with('{'))
        {
            joined.push(',');
            if !repairs.contains(&"a missing comma added") {
                repairs.push("a missing comma added");
            }
        }
        joined.push('\n');
    }
    let mut candidate = joined;
    if candidate.trim_start().starts_with('"') {
        candidate = format!("{{{candidate}}}");
        repairs.push("the outer braces added");
    }
    if repairs.is_empty() {
        return None;
    }
    serde_json::from_str(&candidate)
        .ok()
        .map(|json| (json, repairs))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::docs::rst;

    #[test]
    fn operation_ids_follow_the_project_style() {
        for (title, _route, id) in [
            (
                "Creating a Batch Processing Job",
                "/v2.0/{project_id}/batches",
                "create_batch_processing_job",
            ),
            ("Querying All Jobs", "/v1.0/{project_id}/jobs", "list_jobs"),
            (
                "Querying a List of Jobs",
                "/v2/{project_id}/clusters/{cluster_id}/job-executions",
                "list_jobs",
            ),
            (
                "Querying Job Status",
                "/v1.0/{project_id}/jobs/{job_id}/status",
                "show_job_status",
            ),
            (
                "Querying a Job",
                "/v1.0/{project_id}/jobs/{job_id}",
                "show_job",
            ),
            (
                "Canceling a Job (Recommended)",
                "/v1.0/{project_id}/jobs/{job_id}",
                "cancel_job",
            ),
        ] {
            assert_eq!(operation_id(title), id, "{title}");
        }
    }

    #[test]
    fn a_draft_is_a_spec_fragment_with_what_the_page_leaves_open_in_comments() {
        let page = rst::read(Path::new("p.rst"), rst::tests::PAGE).unwrap();
        let text = draft(&page);
        let (comments, yaml): (Vec<&str>, Vec<&str>) =
            text.lines().partition(|l| l.starts_with('#'));
        assert!(
            comments
                .iter()
                .any(|c| c.contains("the example response is not JSON")),
            "{text}"
        );
        assert!(
            comments
                .iter()
                .any(|c| c.contains("status 400: give it the service's error body")),
            "{text}"
        );
        let draft: serde_json::Value = serde_yaml::from_str(&yaml.join("\n")).unwrap();
        let op = &draft["/v1.0/{project_id}/jobs/submit"]["post"];
        assert_eq!(op["operationId"], "submit_test_job");
        assert_eq!(op["x-doc-page"], "test_02_0001");
        assert_eq!(op["parameters"][0]["name"], "project_id");
        assert_eq!(op["parameters"][0]["required"], true);
        assert_eq!(op["parameters"][0]["schema"]["maxLength"], 64);
        assert_eq!(op["parameters"][1]["in"], "query");
        let body = &op["requestBody"]["content"]["application/json"];
        assert_eq!(body["schema"]["required"], serde_json::json!(["sql"]));
        assert_eq!(
            body["schema"]["properties"]["tags"]["items"]["properties"]["key"]["type"],
            "string"
        );
        assert_eq!(body["example"], serde_json::json!({"sql": "select 1"}));
        let ok = &op["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(ok["properties"]["job_id"]["type"], "string");
        assert!(
            ok.get("required").is_none(),
            "response schemas carry no constraints"
        );
    }

    /// A page in the format of DLI's elastic resource pool and Flink graph pages: its route
    /// with emphasised parameters, one of them missing from its URI table, and its statuses in
    /// a bare table. The draft's route is plain, the missing parameter declared and named open,
    /// every status drafted.
    #[test]
    fn a_pool_page_drafts_its_plain_route_every_route_parameter_and_its_bare_statuses() {
        let text = rst::tests::BARE_STATUS_PAGE.replace(
            "GET /v3/{project_id}/pools",
            "GET /v3/{*project_id*}/pools/{*pool_name*}",
        );
        let page = rst::read(Path::new("p.rst"), &text).unwrap();
        let text = draft(&page);
        let (comments, yaml): (Vec<&str>, Vec<&str>) =
            text.lines().partition(|l| l.starts_with('#'));
        let draft: serde_json::Value = serde_yaml::from_str(&yaml.join("\n")).unwrap();
        let op = &draft["/v3/{project_id}/pools/{pool_name}"]["get"];
        let parameters: Vec<(&str, &str, bool)> = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap(),
                    p["in"].as_str().unwrap(),
                    p["required"] == true,
                )
            })
            .collect();
        assert_eq!(
            parameters,
            [("project_id", "path", true), ("pool_name", "path", true)]
        );
        let statuses: Vec<&String> = op["responses"].as_object().unwrap().keys().collect();
        assert_eq!(statuses, ["200", "400"]);
        assert!(
            comments.iter().any(|c| c
                .contains("path parameter `pool_name`: in the route, not in the page's URI table")),
            "{comments:#?}"
        );
        assert!(
            !comments.iter().any(|c| c.contains("lists no status codes")),
            "{comments:#?}"
        );
    }

    /// A DataArts Factory page: the `workspace` header drafted as a parameter (the runtime's own
    /// headers not), the query parameter only its request line names, the statuses its examples
    /// state, its `List<Widget>` an array, and the success status it does not state left open.
    #[test]
    fn a_factory_page_drafts_its_header_its_request_line_query_and_its_stated_statuses() {
        let page = rst::read(Path::new("p.rst"), rst::tests::FACTORY_PAGE).unwrap();
        let text = draft(&page);
        let (comments, yaml): (Vec<&str>, Vec<&str>) =
            text.lines().partition(|l| l.starts_with('#'));
        let draft: serde_json::Value = serde_yaml::from_str(&yaml.join("\n")).unwrap();
        let op = &draft["/v1/{project_id}/widgets"]["get"];
        assert_eq!(op["operationId"], "list_widget");
        let parameters: Vec<(&str, &str)> = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["name"].as_str().unwrap(), p["in"].as_str().unwrap()))
            .collect();
        assert_eq!(
            parameters,
            [
                ("project_id", "path"),
                ("kind", "query"),
                ("offset", "query"),
                ("colour", "query"),
                ("workspace", "header"),
            ]
        );
        let statuses: Vec<&String> = op["responses"].as_object().unwrap().keys().collect();
        assert_eq!(statuses, ["200", "400"]);
        assert!(
            op["responses"]["200"]["description"]
                .as_str()
                .unwrap()
                .starts_with("TODO")
        );
        let ok = &op["responses"]["200"]["content"]["application/json"];
        assert_eq!(ok["schema"]["properties"]["widgets"]["type"], "array");
        assert_eq!(
            ok["example"],
            serde_json::json!({"total": 0, "widgets": []})
        );
        for note in [
            "header `workspace`: if every operation of the spec takes it",
            "the statuses are those its examples state",
            "the success example states no status",
            "`colour`: the page names no type",
        ] {
            assert!(comments.iter().any(|c| c.contains(note)), "{note}: {text}");
        }
    }

    /// What the maintainers fixed by hand in every draft, now done by the draft: structured
    /// cells cut to their definition, defaults and patterns as keywords, RST escapes gone, the
    /// pages' broken JSON repaired (and said so), deprecated pages marked.
    #[test]
    fn drafts_do_what_maintainers_did_by_hand() {
        for (cell, expected) in [
            (
                "Definition Queue name. Constraints None Range None Default Value None",
                "Queue name.",
            ),
            (
                "Definition Main class. Constraints Spark 3.3 only. Range None Default Value None",
                "Main class. Constraints: Spark 3.3 only.",
            ),
            ("A plain description.", "A plain description."),
        ] {
            assert_eq!(description(cell), expected, "{cell}");
        }
        for (default, ty, expected) in [
            ("false", Some("boolean"), Some(Value::from(false))),
            ("20", Some("integer"), Some(Value::from(20))),
            ("1.5", Some("number"), Some(Value::from(1.5))),
            ("the queue's size", Some("integer"), None),
            ("A", Some("string"), None),
        ] {
            assert_eq!(default_literal(default, ty), expected, "{default}");
        }
        for (text, expected) in [
            (
                "Definition ID. Constraints The value must match the regular expression ^[0-9a-f]{8}$. Range None Default Value None",
                Some("^[0-9a-f]{8}$"),
            ),
            (
                "Definition ID. Constraints None Range Only letters and digits are allowed. Default Value None",
                Some("^[A-Za-z0-9]*$"),
            ),
            (
                "Definition ID. Constraints the regular expression ((( . Range None",
                None,
            ),
            ("No constraint.", None),
        ] {
            assert_eq!(stated_pattern(text).as_deref(), expected, "{text}");
        }
        // A one-word bullet list with digits in the word is no range.
        let mut schema = Mapping::new();
        assert!(!constraints("- x86_64", &mut schema), "{schema:?}");
        assert!(constraints("[1, 100]", &mut schema));
        assert_eq!(
            crate::docs::rst::clean(
                "obs://\\ *Bucket name*\\ /\\ *Package name*. Spark 3.3.\\ *x*"
            ),
            "obs://Bucket name/Package name. Spark 3.3.x"
        );
        // (page text, repaired?, what was done)
        for (text, repaired, done) in [
            ("{\n  \"a\": 1,\n}", true, "a trailing comma removed"),
            (
                "{\n  \"a\": \"x\"\n  \"b\": [1, 2,]\n}",
                true,
                "a missing comma added",
            ),
            ("\"a\": 1", true, "the outer braces added"),
            ("{\"a\": \"1,}\"}", false, ""),
            ("not json at all", false, ""),
        ] {
            match repair_json(text) {
                Some((_, repairs)) => {
                    assert!(repaired, "{text}");
                    assert!(repairs.contains(&done), "{text}: {repairs:?}");
                }
                None => assert!(!repaired, "{text}"),
            }
        }
    }
}
