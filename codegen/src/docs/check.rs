//! `cargo xtask docs check`: every operation that names its page (`x-doc-page`) compared with
//! that page: route and method, path and query parameters (present, mandatory, type, range),
//! documented statuses, and the fields of the request body (mandatory flags included), of the
//! success response and of every status the page gives a field table, in nested tables at every
//! depth up to [`super::MAX_NESTED_DEPTH`]. A
//! difference the spec means to keep is declared with `x-doc-deviation: <reason>` on the element
//! concerned (the operation, a parameter, a response, a property) and counted as acknowledged.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{Operation, ReferenceOr, Schema, SchemaKind, StatusCode, Type};
use serde_json::Value;

use super::{Field, Page};
use crate::{lint::Problem, lint::segment, spec::Spec};

pub use crate::extensions::doc_page::{DEVIATION, DOC_NAME, PAGE};

/// What a check found.
#[derive(Debug, Default)]
pub struct Outcome {
    pub drifts: Vec<Problem>,
    /// Differences declared with `x-doc-deviation`.
    pub acknowledged: usize,
    /// Operations compared with a page.
    pub checked: usize,
    /// Distinct pages compared.
    pub pages: BTreeSet<String>,
    /// Operations whose page is not in the trees given (or that name none).
    pub unchecked: Vec<String>,
}

impl Outcome {
    /// `docs: N operations checked against M pages, D drifts, A acknowledged, U unchecked (...)`.
    pub fn summary(&self) -> String {
        format!(
            "docs: {} operations checked against {} pages, {} drifts, {} acknowledged, {} unchecked ({})",
            self.checked,
            self.pages.len(),
            self.drifts.len(),
            self.acknowledged,
            self.unchecked.len(),
            self.unchecked.join(", ")
        )
    }
}

/// Compares every operation of `specs` with its page in `pages`.
pub fn check(specs: &[Spec], pages: &BTreeMap<String, Page>) -> Outcome {
    let mut outcome = Outcome::default();
    for spec in specs {
        for (method, route, op) in spec.operations() {
            let id = op.operation_id.clone().unwrap_or_default();
            let page = op
                .extensions
                .get(PAGE)
                .and_then(Value::as_str)
                .and_then(|page| pages.get(page));
            let Some(page) = page else {
                outcome.unchecked.push(id);
                continue;
            };
            outcome.checked += 1;
            outcome.pages.insert(page.id.clone());
            let mut compare = Compare {
                spec,
                page,
                at: format!("/paths/{}/{method}", segment(route)),
                outcome: &mut outcome,
            };
            compare.route(method, route, op);
            compare.parameters(op);
            compare.statuses(op);
            compare.bodies(op);
            compare.status_bodies(op);
        }
    }
    outcome
}

struct Compare<'a> {
    spec: &'a Spec,
    page: &'a Page,
    at: String,
    outcome: &'a mut Outcome,
}

/// Whether an element's `x-doc-deviation` (looked up in its extensions) gives a reason.
fn declared(deviation: Option<&Value>) -> bool {
    deviation
        .and_then(Value::as_str)
        .is_some_and(|r| !r.trim().is_empty())
}

impl Compare<'_> {
    fn drift(
        &mut self,
        acknowledged: bool,
        pointer: String,
        kind: &'static str,
        message: String,
        hint: &str,
    ) {
        if acknowledged {
            self.outcome.acknowledged += 1;
            return;
        }
        self.outcome.drifts.push(Problem {
            file: self.spec.path.clone(),
            pointer,
            rule: kind,
            message: format!("{} ({}): {message}", self.page.id, self.page.title),
            hint: hint.into(),
        });
    }

    fn route(&mut self, method: &str, route: &str, op: &Operation) {
        let (Some(page_method), Some(page_route)) = (&self.page.method, &self.page.route) else {
            return;
        };
        let same = page_method.eq_ignore_ascii_case(method)
            && page_route.trim_end_matches('/') == route.trim_end_matches('/');
        if !same {
            self.drift(
                declared(op.extensions.get(DEVIATION)),
                self.at.clone(),
                "docs-route",
                format!("the page says `{page_method} {page_route}`, the spec `{} {route}`", method.to_uppercase()),
                "correct the route, or declare why it differs with `x-doc-deviation` on the operation",
            );
        }
    }

    fn parameters(&mut self, op: &Operation) {
        let documented: Vec<(&str, &Field)> = self
            .page
            .path_parameters
            .iter()
            .map(|f| ("path", f))
            .chain(self.page.query_parameters.iter().map(|f| ("query", f)))
            .collect();
        let mut in_spec = BTreeSet::new();
        for (i, parameter) in op.parameters.iter().enumerate() {
            let Some(data) = resolve_parameter(self.spec, parameter) else {
                continue;
            };
            let (location, data) = data;
            if location == "header" {
                continue;
            }
            in_spec.insert(data.name.clone());
            let pointer = format!("{}/parameters/{i}", self.at);
            let ack = declared(data.extensions.get(DEVIATION));
            let doc_name = data.extensions.get(DOC_NAME).and_then(Value::as_str);
            if let Some(doc_name) = doc_name
                && documented.iter().any(|(_, f)| f.name == doc_name)
            {
                in_spec.insert(doc_name.to_owned());
                self.outcome.acknowledged += 1;
            }
            match documented
                .iter()
                .find(|(_, f)| f.name == data.name || Some(f.name.as_str()) == doc_name)
            {
                None => self.drift(
                    ack,
                    pointer,
                    "docs-parameter",
                    format!("the spec has {location} parameter `{}`, the page does not", data.name),
                    "remove it, or say where it comes from with `x-doc-deviation` (an SDK name, another page)",
                ),
                Some((_, field)) if location == "query" && field.mandatory == Some(true) && !data.required => self.drift(
                    ack,
                    pointer,
                    "docs-parameter",
                    format!("the page makes `{}` mandatory, the spec optional", data.name),
                    "set `required: true`, or declare why not with `x-doc-deviation`",
                ),
                Some((_, field)) if location == "query" && field.mandatory == Some(false) && data.required => self.drift(
                    ack,
                    pointer,
                    "docs-parameter",
                    format!("the page makes `{}` optional, the spec requires it", data.name),
                    "remove `required: true`, or declare why with `x-doc-deviation`",
                ),
                Some((_, field)) => {
                    let spec_type = match &data.format {
                        openapiv3::ParameterSchemaOrContent::Schema(schema) => {
                            schema_type(self.spec, schema)
                        }
                        openapiv3::ParameterSchemaOrContent::Content(_) => None,
                    };
                    self.compare_type(ack, pointer.clone(), "docs-parameter", field, spec_type);
                    if let openapiv3::ParameterSchemaOrContent::Schema(schema) = &data.format
                        && let Some(schema) = self::schema(self.spec, schema)
                    {
                        self.compare_constraints(ack, pointer, "docs-parameter", field, schema);
                    }
                }
            }
        }
        for (location, field) in documented {
            if !in_spec.contains(&field.name) {
                self.drift(
                    declared(op.extensions.get(DEVIATION)),
                    format!("{}/parameters", self.at),
                    "docs-parameter",
                    format!("the page documents {location} parameter `{}`, the spec does not", field.name),
                    "add it with its documented constraints, or declare why not with `x-doc-deviation` on the operation",
                );
            }
        }
    }

    fn statuses(&mut self, op: &Operation) {
        let page: BTreeSet<u16> = self.page.statuses.iter().map(|(code, _)| *code).collect();
        if page.is_empty() {
            return;
        }
        let mut spec = BTreeSet::new();
        for (status, response) in &op.responses.responses {
            let StatusCode::Code(code) = status else {
                continue;
            };
            spec.insert(*code);
            if !page.contains(code) {
                let ack = self
                    .spec
                    .response(response)
                    .is_some_and(|r| declared(r.extensions.get(DEVIATION)));
                self.drift(
                    ack,
                    format!("{}/responses/{code}", self.at),
                    "docs-status",
                    format!("the spec documents status {code}, the page does not"),
                    "remove it, or say where it comes from with `x-doc-deviation` on the response",
                );
            }
        }
        for code in page.difference(&spec) {
            self.drift(
                declared(op.extensions.get(DEVIATION)),
                format!("{}/responses", self.at),
                "docs-status",
                format!("the page documents status {code}, the spec does not"),
                "add it with its body (and a cassette), or declare why not with `x-doc-deviation` on the operation",
            );
        }
    }

    fn bodies(&mut self, op: &Operation) {
        if !self.page.request_fields.is_empty()
            && let Some(schema) = op
                .request_body
                .as_ref()
                .and_then(|b| resolve_body(self.spec, b))
        {
            let at = format!("{}/requestBody", self.at);
            self.fields(
                &at,
                schema,
                &self.page.request_fields.clone(),
                "docs-request-field",
            );
        }
        if self.page.response_fields.is_empty() {
            return;
        }
        let success = op
            .responses
            .responses
            .iter()
            .find_map(|(status, response)| {
                let StatusCode::Code(code) = status else {
                    return None;
                };
                (200..300).contains(code).then_some((*code, response))
            });
        if let Some((code, response)) = success
            && let Some(schema) = resolve_response(self.spec, response)
        {
            let at = format!("{}/responses/{code}", self.at);
            self.fields(
                &at,
                schema,
                &self.page.response_fields.clone(),
                "docs-response-field",
            );
        }
    }

    /// The body of every other status the page gives a field table (`Status code: 400`),
    /// against the spec's response of that status.
    fn status_bodies(&mut self, op: &Operation) {
        let page = self.page;
        let success = op
            .responses
            .responses
            .keys()
            .find_map(|status| match status {
                StatusCode::Code(code) if (200..300).contains(code) => Some(*code),
                _ => None,
            });
        for (code, documented) in &page.status_fields {
            if Some(*code) == success && !page.response_fields.is_empty() {
                continue; // compared as the success body
            }
            let response = op
                .responses
                .responses
                .get(&StatusCode::Code(*code))
                .and_then(|r| resolve_response(self.spec, r));
            if let Some(schema) = response {
                let at = format!("{}/responses/{code}", self.at);
                self.fields(&at, schema, documented, "docs-response-field");
            }
        }
    }

    /// The length or bounds a page's **Range** states (in a form the draft reads too) against the
    /// spec's; only where the page states them, and only on what is sent (request side).
    fn compare_constraints(
        &mut self,
        acknowledged: bool,
        pointer: String,
        kind: &'static str,
        field: &Field,
        schema: &Schema,
    ) {
        let Some(range) = &field.range else { return };
        let mut stated = serde_yaml::Mapping::new();
        if !super::draft::constraints(range, &mut stated) {
            return;
        }
        for (keyword, value) in &stated {
            let (Some(keyword), Some(page)) = (keyword.as_str(), value.as_u64()) else {
                continue;
            };
            let spec = spec_constraint(schema, keyword);
            if spec != Some(page) {
                let spec = spec.map_or("none".to_owned(), |v| v.to_string());
                self.drift(
                    acknowledged,
                    pointer.clone(),
                    kind,
                    format!(
                        "the page states `{}` {keyword} {page}, the spec {spec}",
                        field.name
                    ),
                    "set the documented constraint, or declare why not with `x-doc-deviation`",
                );
            }
        }
    }

    /// A type the page names against the spec's, when both are known and differ.
    fn compare_type(
        &mut self,
        acknowledged: bool,
        pointer: String,
        kind: &'static str,
        field: &Field,
        spec: Option<Kind>,
    ) {
        let (Some(page), Some(spec)) = (page_kind(&field.type_), spec) else {
            return;
        };
        if !spec.accepts(page) {
            self.drift(
                acknowledged,
                pointer,
                kind,
                format!(
                    "the page types `{}` {}, the spec {}",
                    field.name,
                    field.type_,
                    spec.name()
                ),
                "give it the documented type, or declare why not with `x-doc-deviation` (what the service really sends)",
            );
        }
    }

    /// A deviation on the schema itself covers its whole field table (a wrapper object the page
    /// leaves out, a name the examples spell differently); one on a property covers that field.
    fn fields(&mut self, at: &str, schema: &Schema, documented: &[Field], kind: &'static str) {
        let mut budget = MAX_NESTED_COMPARISONS;
        self.fields_at(at, schema, documented, kind, 0, &mut budget);
    }

    fn fields_at(
        &mut self,
        at: &str,
        schema: &Schema,
        documented: &[Field],
        kind: &'static str,
        depth: usize,
        budget: &mut usize,
    ) {
        let Some(properties) = properties(self.spec, schema) else {
            return;
        };
        let required = required(self.spec, schema);
        let whole = declared(schema.schema_data.extensions.get(DEVIATION));
        // The page's name of each property: its own, or the `x-doc-name` it declares.
        let doc_name = |name: &String| -> String {
            properties
                .get(name)
                .copied()
                .flatten()
                .and_then(|p| p.schema_data.extensions.get(DOC_NAME))
                .and_then(Value::as_str)
                .map_or_else(|| name.clone(), str::to_owned)
        };
        // By the page's name: the property's schema, and whether the spec requires it.
        let required = properties
            .keys()
            .filter(|name| required.contains(*name))
            .map(&doc_name)
            .collect::<BTreeSet<String>>();
        let properties: BTreeMap<String, Option<&Schema>> = properties
            .iter()
            .map(|(name, property)| {
                let page_name = doc_name(name);
                if &page_name != name {
                    self.outcome.acknowledged += 1;
                }
                (page_name, *property)
            })
            .collect();
        let documented_names: BTreeSet<&str> = documented.iter().map(|f| f.name.as_str()).collect();
        for (name, property) in &properties {
            if !documented_names.contains(name.as_str()) {
                let ack = whole
                    || property.is_some_and(|s| declared(s.schema_data.extensions.get(DEVIATION)));
                self.drift(
                    ack,
                    format!("{at}/properties/{}", segment(name)),
                    kind,
                    format!("the spec has field `{name}`, the page does not"),
                    "remove it, or say where it comes from with `x-doc-deviation` on the property",
                );
            }
        }
        for field in documented {
            if let Some(property) = properties.get(&field.name) {
                let spec_type = property.and_then(|p| kind_of(self.spec, p));
                let ack = whole
                    || property.is_some_and(|s| declared(s.schema_data.extensions.get(DEVIATION)));
                let pointer = format!("{at}/properties/{}", segment(&field.name));
                self.compare_type(ack, pointer.clone(), kind, field, spec_type);
                if kind == "docs-request-field" {
                    let is_required = required.contains(&field.name);
                    match field.mandatory {
                        Some(true) if !is_required => self.drift(
                            ack,
                            pointer.clone(),
                            kind,
                            format!("the page makes field `{}` mandatory, the spec optional", field.name),
                            "list it in the schema's `required`, or declare why not with `x-doc-deviation` on the property",
                        ),
                        Some(false) if is_required => self.drift(
                            ack,
                            pointer.clone(),
                            kind,
                            format!("the page makes field `{}` optional, the spec requires it", field.name),
                            "remove it from the schema's `required`, or declare why with `x-doc-deviation` on the property",
                        ),
                        _ => {}
                    }
                    if let Some(property) = property {
                        self.compare_constraints(ack, pointer, kind, field, property);
                    }
                }
            }
            if !properties.contains_key(&field.name) {
                self.drift(
                    whole,
                    at.to_owned(),
                    kind,
                    format!(
                        "the page documents field `{}`, the spec does not",
                        field.name
                    ),
                    "add it, or declare why not with `x-doc-deviation` on the schema",
                );
            }
        }
        // A field the page describes in a nested table (`tags parameters`, `see Table 3`, a
        // type the type column names): compared one level down, through an array's items, at
        // every depth up to the limit every walk over nested tables shares (page tables may
        // name each other), and within a budget of comparisons per body.
        if depth >= super::MAX_NESTED_DEPTH {
            return;
        }
        let page = self.page;
        for field in documented {
            let (Some(nested), Some(Some(property))) =
                (page.nested_of(field), properties.get(&field.name))
            else {
                continue;
            };
            if *budget < nested.len() {
                return;
            }
            *budget -= nested.len();
            let mut at = format!("{at}/properties/{}", segment(&field.name));
            let mut target = *property;
            if let SchemaKind::Type(Type::Array(array)) = &property.schema_kind {
                let Some(items) = array.items.as_ref().and_then(|i| match i {
                    ReferenceOr::Item(b) => Some(b.as_ref()),
                    ReferenceOr::Reference { reference } => self
                        .spec
                        .openapi
                        .components
                        .as_ref()?
                        .schemas
                        .get(reference.strip_prefix("#/components/schemas/")?)?
                        .as_item(),
                }) else {
                    continue;
                };
                at.push_str("/items");
                target = items;
            }
            self.fields_at(&at, target, nested, kind, depth + 1, budget);
        }
    }
}

/// Fields of nested tables compared per body at most: with the depth limit, a page whose
/// tables name each other many times over is checked in bounded time.
const MAX_NESTED_COMPARISONS: usize = 10_000;

/// The names the object lists as `required` (through `allOf`).
fn required(spec: &Spec, s: &Schema) -> BTreeSet<String> {
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(object)) => object.required.iter().cloned().collect(),
        SchemaKind::AllOf { all_of } => all_of
            .iter()
            .filter_map(|part| schema(spec, part))
            .flat_map(|part| required(spec, part))
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// A length or bound keyword of `schema`, as an integer.
fn spec_constraint(schema: &Schema, keyword: &str) -> Option<u64> {
    match (&schema.schema_kind, keyword) {
        (SchemaKind::Type(Type::String(s)), "minLength") => Some(s.min_length? as u64),
        (SchemaKind::Type(Type::String(s)), "maxLength") => Some(s.max_length? as u64),
        (SchemaKind::Type(Type::Integer(i)), "minimum") => u64::try_from(i.minimum?).ok(),
        (SchemaKind::Type(Type::Integer(i)), "maximum") => u64::try_from(i.maximum?).ok(),
        (SchemaKind::Type(Type::Number(n)), "minimum") => Some(n.minimum? as u64),
        (SchemaKind::Type(Type::Number(n)), "maximum") => Some(n.maximum? as u64),
        _ => None,
    }
}

/// JSON types as the comparison sees them; a union (`oneOf`/`anyOf`, the open-enum idiom)
/// accepts each of its members' kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
    /// What a union or an untyped schema may be: anything.
    Any,
}

impl Kind {
    fn accepts(self, documented: Kind) -> bool {
        self == Kind::Any
            || self == documented
            || (self == Kind::Number && documented == Kind::Integer)
    }

    fn name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Array => "array",
            Kind::Object => "object",
            Kind::Any => "any",
        }
    }
}

/// The kind a page's type column names (`String`, `Long`, `Array of objects`, `Map<String,String>`).
fn page_kind(type_: &str) -> Option<Kind> {
    let t = type_.trim().to_ascii_lowercase();
    Some(match t {
        t if t.starts_with("array") || t.starts_with("list") || t.ends_with("[]") => Kind::Array,
        t if t.starts_with("string") => Kind::String,
        t if t.starts_with("int") || t.starts_with("long") => Kind::Integer,
        t if t.starts_with("float")
            || t.starts_with("double")
            || t.starts_with("number")
            || t.starts_with("bigdecimal") =>
        {
            Kind::Number
        }
        t if t.starts_with("bool") => Kind::Boolean,
        t if t.starts_with("object") || t.starts_with("map") || t.starts_with("json") => {
            Kind::Object
        }
        _ => return None,
    })
}

fn schema_type(spec: &Spec, schema: &ReferenceOr<Schema>) -> Option<Kind> {
    kind_of(spec, self::schema(spec, schema)?)
}

fn kind_of(spec: &Spec, s: &Schema) -> Option<Kind> {
    Some(match &s.schema_kind {
        SchemaKind::Type(Type::String(_)) => Kind::String,
        SchemaKind::Type(Type::Integer(_)) => Kind::Integer,
        SchemaKind::Type(Type::Number(_)) => Kind::Number,
        SchemaKind::Type(Type::Boolean(_)) => Kind::Boolean,
        SchemaKind::Type(Type::Array(_)) => Kind::Array,
        SchemaKind::Type(Type::Object(_)) => Kind::Object,
        SchemaKind::AllOf { all_of } if all_of.len() == 1 => schema_type(spec, &all_of[0])?,
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::Any(_) => Kind::Any,
        _ => return None,
    })
}

fn resolve_parameter<'a>(
    spec: &'a Spec,
    parameter: &'a ReferenceOr<openapiv3::Parameter>,
) -> Option<(&'static str, &'a openapiv3::ParameterData)> {
    let parameter = match parameter {
        ReferenceOr::Item(p) => p,
        ReferenceOr::Reference { reference } => spec
            .openapi
            .components
            .as_ref()?
            .parameters
            .get(reference.strip_prefix("#/components/parameters/")?)?
            .as_item()?,
    };
    let location = match parameter {
        openapiv3::Parameter::Path { .. } => "path",
        openapiv3::Parameter::Query { .. } => "query",
        openapiv3::Parameter::Header { .. } => "header",
        openapiv3::Parameter::Cookie { .. } => "header",
    };
    Some((location, parameter.parameter_data_ref()))
}

fn schema<'a>(spec: &'a Spec, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
    let mut current = schema;
    for _ in 0..8 {
        match current {
            ReferenceOr::Item(s) => return Some(s),
            ReferenceOr::Reference { reference } => {
                current = spec
                    .openapi
                    .components
                    .as_ref()?
                    .schemas
                    .get(reference.strip_prefix("#/components/schemas/")?)?;
            }
        }
    }
    None
}

fn resolve_body<'a>(
    spec: &'a Spec,
    body: &'a ReferenceOr<openapiv3::RequestBody>,
) -> Option<&'a Schema> {
    let body = match body {
        ReferenceOr::Item(b) => b,
        ReferenceOr::Reference { reference } => spec
            .openapi
            .components
            .as_ref()?
            .request_bodies
            .get(reference.strip_prefix("#/components/requestBodies/")?)?
            .as_item()?,
    };
    schema(spec, body.content.values().next()?.schema.as_ref()?)
}

fn resolve_response<'a>(
    spec: &'a Spec,
    response: &'a ReferenceOr<openapiv3::Response>,
) -> Option<&'a Schema> {
    let response = spec.response(response)?;
    schema(spec, response.content.values().next()?.schema.as_ref()?)
}

/// The object's properties (through `allOf`), each with its schema where it resolves.
fn properties<'a>(spec: &'a Spec, s: &'a Schema) -> Option<BTreeMap<String, Option<&'a Schema>>> {
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some(
            object
                .properties
                .iter()
                .map(|(name, property)| {
                    let property = match property {
                        ReferenceOr::Item(b) => Some(b.as_ref()),
                        ReferenceOr::Reference { reference } => spec
                            .openapi
                            .components
                            .as_ref()
                            .and_then(|c| {
                                c.schemas
                                    .get(reference.strip_prefix("#/components/schemas/")?)
                            })
                            .and_then(ReferenceOr::as_item),
                    };
                    (name.clone(), property)
                })
                .collect(),
        ),
        SchemaKind::AllOf { all_of } => {
            let mut merged = BTreeMap::new();
            for part in all_of {
                merged.extend(properties(spec, schema(spec, part)?)?);
            }
            Some(merged)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::docs::rst;

    /// The operation the test page documents, as a spec gets it right.
    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: v1}
paths:
  /v1.0/{project_id}/jobs/submit:
    post:
      operationId: submit_job
      x-doc-page: test_02_0001
      parameters:
        - {name: project_id, in: path, required: true, schema: {type: string, maxLength: 64}}
        - {name: dry_run, in: query, schema: {type: boolean}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [sql]
              properties: {sql: {type: string}, tags: {type: array, items: {type: object, required: [key], properties: {key: {type: string}}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {is_success: {type: boolean}, job_id: {type: string}}}
        '400': {description: no}
"#;

    fn drifts(spec: &str) -> Outcome {
        let spec = Spec::parse("specs/t-v1.yaml".into(), spec.as_bytes()).unwrap();
        let page = rst::read(Path::new("p.rst"), rst::tests::PAGE).unwrap();
        check(&[spec], &BTreeMap::from([(page.id.clone(), page)]))
    }

    #[test]
    fn a_spec_that_follows_its_page_checks_clean() {
        let outcome = drifts(SPEC);
        assert_eq!(outcome.drifts, []);
        // An open enum (a union) takes the documented string; a number takes an integer.
        let open = SPEC.replace(
            "job_id: {type: string}",
            "job_id: {anyOf: [{type: string, enum: [a]}, {type: string}]}",
        );
        assert_eq!(drifts(&open).drifts, []);
        assert_eq!(
            (
                outcome.checked,
                outcome.pages.len(),
                outcome.unchecked.len()
            ),
            (1, 1, 0)
        );
    }

    /// One case per kind of drift: (what to change in the spec, rule, pointer, message start).
    #[test]
    fn each_kind_of_drift_is_one_line_at_its_place() {
        let op = "/paths/~1v1.0~1{project_id}~1jobs~1submit/post";
        let cases: [(&str, &str, &str, &str, String); 13] = [
            (
                "              required: [sql]\n",
                "",
                "docs-request-field",
                "the page makes field `sql` mandatory, the spec optional",
                format!("{op}/requestBody/properties/sql"),
            ),
            (
                "{name: dry_run, in: query, schema: {type: boolean}}",
                "{name: dry_run, in: query, required: true, schema: {type: boolean}}",
                "docs-parameter",
                "the page makes `dry_run` optional, the spec requires it",
                format!("{op}/parameters/1"),
            ),
            (
                "properties: {key: {type: string}}",
                "properties: {name: {type: string}}",
                "docs-request-field",
                "the page documents field `key`",
                format!("{op}/requestBody/properties/tags/items"),
            ),
            (
                "schema: {type: string, maxLength: 64}",
                "schema: {type: string, maxLength: 32}",
                "docs-parameter",
                "the page states `project_id` maxLength 64, the spec 32",
                format!("{op}/parameters/0"),
            ),
            (
                "properties: {sql: {type: string}",
                "properties: {sql: {type: integer}",
                "docs-request-field",
                "the page types `sql` String, the spec integer",
                format!("{op}/requestBody/properties/sql"),
            ),
            (
                "{name: dry_run, in: query, schema: {type: boolean}}",
                "{name: dry_run, in: query, schema: {type: string}}",
                "docs-parameter",
                "the page types `dry_run` Boolean, the spec string",
                format!("{op}/parameters/1"),
            ),
            (
                "post:",
                "put:",
                "docs-route",
                "the page says `POST /v1.0/{project_id}/jobs/submit`, the spec `PUT",
                op.replace("/post", "/put"),
            ),
            (
                "{name: dry_run, in: query, schema: {type: boolean}}",
                "{name: dry_run, in: query, schema: {type: boolean}}\n        - {name: page, in: query, schema: {type: integer}}",
                "docs-parameter",
                "the spec has query parameter `page`",
                format!("{op}/parameters/2"),
            ),
            (
                "        - {name: dry_run, in: query, schema: {type: boolean}}\n",
                "",
                "docs-parameter",
                "the page documents query parameter `dry_run`",
                format!("{op}/parameters"),
            ),
            (
                "        '400': {description: no}\n",
                "",
                "docs-status",
                "the page documents status 400",
                format!("{op}/responses"),
            ),
            (
                "        '400': {description: no}\n",
                "        '400': {description: no}\n        '404': {description: gone}\n",
                "docs-status",
                "the spec documents status 404",
                format!("{op}/responses/404"),
            ),
            (
                "properties: {sql: {type: string}, tags",
                "properties: {statement: {type: string}, tags",
                "docs-request-field",
                "the spec has field `statement`",
                format!("{op}/requestBody/properties/statement"),
            ),
            (
                "job_id: {type: string}}}",
                "id: {type: string}}}",
                "docs-response-field",
                "the spec has field `id`",
                format!("{op}/responses/200/properties/id"),
            ),
        ];
        for (from, to, rule, message, pointer) in cases {
            assert!(SPEC.contains(from), "{from}");
            let outcome = drifts(&SPEC.replace(from, to));
            let found = outcome
                .drifts
                .iter()
                .find(|d| d.rule == rule && d.pointer == pointer)
                .unwrap_or_else(|| panic!("{rule} at {pointer}: {:#?}", outcome.drifts));
            assert!(
                found
                    .message
                    .starts_with(&format!("test_02_0001 (Submitting a Test Job): {message}")),
                "{}",
                found.message
            );
        }
    }

    /// A page written for this test with what the first one lacks: nested tables linked by
    /// `see Table N` and by the type column, two levels deep, and a response table per status.
    const NESTED_PAGE: &str = r#":original_name: test_02_0002.html

Querying a Test Job
===================

URI
---

POST /v1.0/{project_id}/jobs/{job_id}/query

.. table:: **Table 1** URI parameters

   ============ ============ ============ ============
   Parameter    Mandatory    Type         Description
   ============ ============ ============ ============
   project_id   Yes          String       Project.
   job_id       Yes          String       Job.
   ============ ============ ============ ============

Request Parameters
------------------

.. table:: **Table 2** Request parameters

   ============ ============ ============ ============
   Parameter    Mandatory    Type         Description
   ============ ============ ============ ============
   name         Yes          String       Name.
   options      No           Object       See Table 3.
   ============ ============ ============ ============

.. table:: **Table 3** Option parameters

   ============ ============ ============ ============
   Parameter    Mandatory    Type         Description
   ============ ============ ============ ============
   mode         Yes          String       Mode.
   ============ ============ ============ ============

Response Parameters
-------------------

**Status code: 200**

.. table:: **Table 4** Response body parameters

   ============ ============ ============ ============
   Parameter    Mandatory    Type         Description
   ============ ============ ============ ============
   job_detail   No           Object       See Table 5.
   ============ ============ ============ ============

.. table:: **Table 5** Job parameter description

   ============ ============ ============ ============
   Parameter    Mandatory    Type         Description
   ============ ============ ============ ============
   job_id       No           String       Job.
   stats        No           Stats object Counts.
   ============ ============ ============ ============

.. table:: **Table 6** Stats

   ============ ============ ============ ============
   Parameter    Mandatory    Type         Description
   ============ ============ ============ ============
   rows         No           Integer      Rows.
   ============ ============ ============ ============

**Status code: 400**

.. table:: **Table 7** Response body parameters

   ============ ============ ============ ============
   Parameter    Mandatory    Type         Description
   ============ ============ ============ ============
   error_code   No           String       Code.
   error_msg    No           String       Message.
   ============ ============ ============ ============

Status Code
-----------

.. table:: **Table 8** Status code

   =========== =======================
   Status Code Description
   =========== =======================
   200         Found.
   400         Wrong.
   =========== =======================
"#;

    const NESTED_SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: v1}
paths:
  /v1.0/{project_id}/jobs/{job_id}/query:
    post:
      operationId: query_job
      x-doc-page: test_02_0002
      parameters:
        - {name: project_id, in: path, required: true, schema: {type: string}}
        - {name: job_id, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                options: {type: object, required: [mode], properties: {mode: {type: string}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  job_detail:
                    type: object
                    properties:
                      job_id: {type: string}
                      stats: {type: object, properties: {rows: {type: integer}}}
        '400':
          description: no
          content:
            application/json:
              schema: {type: object, properties: {error_code: {type: string}, error_msg: {type: string}}}
"#;

    /// One change planted on the page per kind `docs check` must see beyond the top level:
    /// (row to change, its new text, rule, pointer, message start).
    #[test]
    fn changes_in_mandatory_flags_nested_tables_and_error_bodies_are_each_found() {
        let check_page = |text: &str| {
            let spec = Spec::parse("specs/t-v1.yaml".into(), NESTED_SPEC.as_bytes()).unwrap();
            let page = rst::read(Path::new("p.rst"), text).unwrap();
            check(&[spec], &BTreeMap::from([(page.id.clone(), page)]))
        };
        let clean = check_page(NESTED_PAGE);
        assert_eq!(clean.drifts, [], "the spec follows the page");
        let op = "/paths/~1v1.0~1{project_id}~1jobs~1{job_id}~1query/post";
        let row = |name: &str, mandatory: &str, type_: &str| {
            format!("   {name:<12} {mandatory:<12} {type_:<12} ")
        };
        let cases = [
            (
                row("options", "No", "Object"),
                row("options", "Yes", "Object"),
                "docs-request-field",
                format!("{op}/requestBody/properties/options"),
                "the page makes field `options` mandatory, the spec optional",
            ),
            (
                row("mode", "Yes", "String"),
                row("mode", "No", "String"),
                "docs-request-field",
                format!("{op}/requestBody/properties/options/properties/mode"),
                "the page makes field `mode` optional, the spec requires it",
            ),
            (
                row("job_id", "No", "String") + "Job.\n",
                row("job_id", "No", "String")
                    + "Job.\n"
                    + &row("queue", "No", "String")
                    + "Queue.\n",
                "docs-response-field",
                format!("{op}/responses/200/properties/job_detail"),
                "the page documents field `queue`, the spec does not",
            ),
            (
                row("rows", "No", "Integer") + "Rows.\n",
                row("rows", "No", "Integer")
                    + "Rows.\n"
                    + &row("bytes", "No", "Integer")
                    + "Bytes.\n",
                "docs-response-field",
                format!("{op}/responses/200/properties/job_detail/properties/stats"),
                "the page documents field `bytes`, the spec does not",
            ),
            (
                row("error_msg", "No", "String") + "Message.\n",
                row("error_msg", "No", "String")
                    + "Message.\n"
                    + &row("request_id", "No", "String")
                    + "Request.\n",
                "docs-response-field",
                format!("{op}/responses/400"),
                "the page documents field `request_id`, the spec does not",
            ),
            (
                row("error_code", "No", "String"),
                row("error_code", "No", "Integer"),
                "docs-response-field",
                format!("{op}/responses/400/properties/error_code"),
                "the page types `error_code` Integer, the spec string",
            ),
        ];
        for (from, to, rule, pointer, message) in cases {
            assert!(NESTED_PAGE.contains(&from), "{from}");
            let outcome = check_page(&NESTED_PAGE.replacen(&from, &to, 1));
            let found = outcome
                .drifts
                .iter()
                .find(|d| d.rule == rule && d.pointer == pointer)
                .unwrap_or_else(|| panic!("{rule} at {pointer}: {:#?}", outcome.drifts));
            assert!(
                found
                    .message
                    .starts_with(&format!("test_02_0002 (Querying a Test Job): {message}")),
                "{}",
                found.message
            );
            assert_eq!(outcome.drifts.len(), 1, "{:#?}", outcome.drifts);
        }
    }

    #[test]
    fn a_declared_deviation_is_acknowledged_not_reported() {
        let spec = SPEC.replace(
            "properties: {sql: {type: string}, tags",
            "properties: {statement: {type: string, x-doc-deviation: the vendor SDK's name}, sql: {type: string}, tags",
        );
        let outcome = drifts(&spec);
        assert_eq!(outcome.drifts, []);
        assert_eq!(outcome.acknowledged, 1);
        let outcome = drifts(&spec.replace(
            "x-doc-deviation: the vendor SDK's name",
            "x-doc-deviation: ''",
        ));
        assert_eq!(outcome.drifts.len(), 1, "an empty reason declares nothing");
    }

    #[test]
    fn a_name_the_page_spells_differently_is_declared_with_x_doc_name() {
        let renamed = SPEC
            .replace(
                "properties: {sql: {type: string}",
                "properties: {statement: {type: string}",
            )
            .replace("{name: dry_run, in: query,", "{name: dry-run, in: query,");
        assert_eq!(
            drifts(&renamed).drifts.len(),
            4,
            "both names differ, both ways"
        );
        let declared = SPEC
            .replace("required: [sql]", "required: [statement]")
            .replace(
                "properties: {sql: {type: string}",
                "properties: {statement: {type: string, x-doc-name: sql}",
            )
            .replace(
                "{name: dry_run, in: query,",
                "{name: dry-run, x-doc-name: dry_run, in: query,",
            );
        let outcome = drifts(&declared);
        assert_eq!(outcome.drifts, []);
        assert_eq!(outcome.acknowledged, 2);
    }

    #[test]
    fn a_deviation_on_a_shared_response_covers_every_operation_using_it() {
        let spec = format!(
            "{}\ncomponents:\n  responses:\n    Gone:\n      description: gone\n      x-doc-deviation: errors are documented in the appendix\n",
            SPEC.replace(
                "        '400': {description: no}\n",
                "        '400': {description: no}\n        '404': {$ref: '#/components/responses/Gone'}\n",
            )
        );
        let outcome = drifts(&spec);
        assert_eq!(
            (outcome.drifts.len(), outcome.acknowledged),
            (0, 1),
            "{:#?}",
            outcome.drifts
        );
    }

    #[test]
    fn operations_whose_page_is_not_given_are_listed_unchecked() {
        let outcome =
            drifts(&SPEC.replace("x-doc-page: test_02_0001", "x-doc-page: CancelSqlStatement"));
        assert_eq!(
            (outcome.checked, outcome.unchecked.clone()),
            (0, vec!["submit_job".to_owned()])
        );
        assert!(
            outcome
                .summary()
                .ends_with("0 drifts, 0 acknowledged, 1 unchecked (submit_job)"),
            "{}",
            outcome.summary()
        );
    }
}
