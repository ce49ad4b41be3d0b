//! `cargo xtask docs check`: every operation that names its page (`x-doc-page`) compared with
//! that page: route and method, path and query parameters (present, mandatory, type, range),
//! documented statuses, and the fields of the request body (mandatory flags included), of the
//! success response and of every status the page gives a field table, in nested tables at every
//! depth up to [`super::MAX_NESTED_DEPTH`]. A
//! difference the spec means to keep is declared with `x-doc-deviation: <reason>` on the element
//! concerned (the operation, a parameter, a response, a property) and counted as acknowledged.
//!
//! `cargo xtask sdk check` is the same check with the vendor's SDKs as the witness
//! (the SDK reader, `docs::sdk`, reads each SDK operation into a [`Page`], and calls
//! [`check_against`] with [`SDK`]): its differences are declared with
//! `x-sdk-deviation`, and enum values are compared too (the SDKs list them; the pages' readers
//! do not).

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{Operation, ReferenceOr, Schema, SchemaKind, StatusCode, Type};
use serde_json::Value;

use super::{Field, Page};
use crate::{lint::Problem, lint::segment, spec::Spec};

pub use crate::extensions::doc_page::{DEVIATION, DOC_NAME, PAGE, SDK_DEVIATION, SDK_NAME};

mod witness;
pub use witness::{DOCS, SDK, Witness};

/// What a check found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Whom the specs were compared with.
    pub witness: Witness,
    pub drifts: Vec<Problem>,
    /// Differences declared with `x-doc-deviation` (`x-sdk-deviation`).
    pub acknowledged: usize,
    /// Operations compared with a page.
    pub checked: usize,
    /// Distinct pages (SDK operations) compared.
    pub pages: BTreeSet<String>,
    /// Operations whose page is not in the trees given (or that name none).
    pub unchecked: Vec<String>,
}

impl Outcome {
    /// `docs: N operations checked against M pages, D drifts, A acknowledged, U unchecked (...)`.
    pub fn summary(&self) -> String {
        format!(
            "{}: {} operations checked against {} {}, {} drifts, {} acknowledged, {} unchecked ({})",
            self.witness.name,
            self.checked,
            self.pages.len(),
            self.witness.units,
            self.drifts.len(),
            self.acknowledged,
            self.unchecked.len(),
            self.unchecked.join(", ")
        )
    }
}

/// Compares every operation of `specs` with its page in `pages`.
pub fn check(specs: &[Spec], pages: &BTreeMap<String, Page>) -> Outcome {
    check_against(specs, DOCS, |_, _, _, op| {
        op.extensions
            .get(PAGE)
            .and_then(Value::as_str)
            .and_then(|page| pages.get(page))
            .into_iter()
            .collect()
    })
}

/// Compares every operation of `specs` with what `find` says `witness` documents for it
/// (`find(spec, method, route, operation)`: none, one page, or one operation per SDK).
pub fn check_against<'p>(
    specs: &[Spec],
    witness: Witness,
    find: impl Fn(&Spec, &str, &str, &Operation) -> Vec<&'p Page>,
) -> Outcome {
    let mut outcome = Outcome {
        witness,
        ..Outcome::default()
    };
    for spec in specs {
        for (method, route, op) in spec.operations() {
            let id = op.operation_id.clone().unwrap_or_default();
            let found = find(spec, method, route, op);
            if found.is_empty() {
                outcome.unchecked.push(id);
                continue;
            }
            outcome.checked += 1;
            for page in found {
                outcome.pages.insert(page.id.clone());
                let mut compare = Compare {
                    spec,
                    page,
                    witness,
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
    }
    outcome
}

struct Compare<'a> {
    spec: &'a Spec,
    witness: Witness,
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
        // Messages and hints are written for the pages; the witness words them as its own.
        self.outcome.drifts.push(Problem {
            file: self.spec.path.clone(),
            pointer,
            rule: self.witness.rule(kind),
            message: format!(
                "{} ({}): {}",
                self.page.id,
                self.page.title,
                message.replace("the page", self.witness.the)
            ),
            hint: hint.replace(DEVIATION, self.witness.deviation),
            position: None,
        });
    }

    fn route(&mut self, method: &str, route: &str, op: &Operation) {
        let (Some(page_method), Some(page_route)) = (&self.page.method, &self.page.route) else {
            return;
        };
        // Placeholder names are compared with the path parameters, not here.
        let same = page_method.eq_ignore_ascii_case(method)
            && super::route_shape(page_route) == super::route_shape(route);
        if !same {
            self.drift(
                declared(op.extensions.get(self.witness.deviation)),
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
            let ack = declared(data.extensions.get(self.witness.deviation));
            let doc_name = self
                .witness
                .name_key
                .and_then(|key| data.extensions.get(key))
                .and_then(Value::as_str);
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
                        self.compare_values(ack, pointer.clone(), "docs-parameter", field, schema);
                        self.compare_constraints(ack, pointer, "docs-parameter", field, schema);
                    }
                }
            }
        }
        for (location, field) in documented {
            if !in_spec.contains(&field.name) {
                self.drift(
                    declared(op.extensions.get(self.witness.deviation)),
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
                    .is_some_and(|r| declared(r.extensions.get(self.witness.deviation)));
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
                declared(op.extensions.get(self.witness.deviation)),
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
            // An answer that is an array (Flink's batch run): its items' fields.
            let (schema, items_at) = match &schema.schema_kind {
                SchemaKind::Type(Type::Array(array)) if self.witness.array_items => {
                    match items(self.spec, array) {
                        Some(items) => (items, "/items"),
                        None => (schema, ""),
                    }
                }
                _ => (schema, ""),
            };
            let at = format!("{}/responses/{code}{items_at}", self.at);
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

    /// The values of an enum the page lists (the SDKs do) against the spec's, when the spec's
    /// schema is an enum (an open one: its known values).
    fn compare_values(
        &mut self,
        acknowledged: bool,
        pointer: String,
        kind: &'static str,
        field: &Field,
        schema: &Schema,
    ) {
        if field.values.is_empty() {
            return;
        }
        let mut spec = BTreeSet::new();
        if !enum_values(self.spec, schema, 0, &mut spec) {
            return;
        }
        let page: BTreeSet<String> = field.values.iter().cloned().collect();
        let list = |values: Vec<&String>| {
            values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let unknown = list(page.difference(&spec).collect());
        let unlisted = list(spec.difference(&page).collect());
        let message = match (unknown.is_empty(), unlisted.is_empty()) {
            (true, true) => return,
            (false, true) => format!(
                "the page lists values of `{}` the spec does not: {unknown}",
                field.name
            ),
            (true, false) => format!(
                "the spec lists values of `{}` the page does not: {unlisted}",
                field.name
            ),
            (false, false) => format!(
                "the page lists values of `{}` the spec does not: {unknown}; the spec lists values the page does not: {unlisted}",
                field.name
            ),
        };
        self.drift(
            acknowledged,
            pointer,
            kind,
            message,
            "list the values the service uses, or declare why not with `x-doc-deviation`",
        );
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
        // A witness that reads answers without regard to case names a field as the spec does
        // when the spec has no field of its exact name.
        let folded: Vec<Field>;
        let documented = if self.witness.answers_fold_case && kind == "docs-response-field" {
            folded = documented
                .iter()
                .map(|field| {
                    let mut field = field.clone();
                    if !properties.contains_key(&field.name)
                        && let Some(name) = properties
                            .keys()
                            .find(|name| name.eq_ignore_ascii_case(&field.name))
                    {
                        field.name = name.clone();
                    }
                    field
                })
                .collect();
            &folded[..]
        } else {
            documented
        };
        let required = required(self.spec, schema);
        let whole = declared(schema.schema_data.extensions.get(self.witness.deviation));
        // The page's name of each property: its own, or the `x-doc-name` it declares.
        let name_key = self.witness.name_key;
        let doc_name = |name: &String| -> String {
            properties
                .get(name)
                .copied()
                .flatten()
                .and_then(|p| p.schema_data.extensions.get(name_key?))
                .and_then(Value::as_str)
                .map_or_else(|| name.clone(), str::to_owned)
        };
        // By the page's name: the property's schema, and whether the spec requires it.
        let required = properties
            .keys()
            .filter(|name| required.contains(*name))
            .map(&doc_name)
            .collect::<BTreeSet<String>>();
        let mut renamed: Vec<(String, String)> = Vec::new();
        let properties: BTreeMap<String, Option<&Schema>> = properties
            .iter()
            .map(|(name, property)| {
                let page_name = doc_name(name);
                if &page_name != name {
                    self.outcome.acknowledged += 1;
                    renamed.push((name.clone(), page_name.clone()));
                }
                (page_name, *property)
            })
            .collect();
        // Pointers name a property as the spec does.
        let own = |name: &str| -> String {
            renamed
                .iter()
                .find(|(_, witness)| witness == name)
                .map_or_else(|| name.to_owned(), |(own, _)| own.clone())
        };
        // A renamed property may still be documented under the spec's own name (one SDK spells
        // it the page's way, another its own): either spelling finds it.
        let aliased: Vec<Field>;
        let documented = if renamed.is_empty() {
            documented
        } else {
            aliased = documented
                .iter()
                .map(|field| {
                    let mut field = field.clone();
                    if !properties.contains_key(&field.name)
                        && let Some((_, name)) = renamed.iter().find(|(own, _)| *own == field.name)
                    {
                        field.name = name.clone();
                    }
                    field
                })
                .collect();
            &aliased[..]
        };
        let documented_names: BTreeSet<&str> = documented.iter().map(|f| f.name.as_str()).collect();
        for (name, property) in &properties {
            if !documented_names.contains(name.as_str()) {
                let ack = whole
                    || property.is_some_and(|s| {
                        declared(s.schema_data.extensions.get(self.witness.deviation))
                    });
                self.drift(
                    ack,
                    format!("{at}/properties/{}", segment(&own(name))),
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
                    || property.is_some_and(|s| {
                        declared(s.schema_data.extensions.get(self.witness.deviation))
                    });
                let pointer = format!("{at}/properties/{}", segment(&own(&field.name)));
                self.compare_type(ack, pointer.clone(), kind, field, spec_type);
                if let Some(property) = property {
                    self.compare_values(ack, pointer.clone(), kind, field, property);
                }
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
                    match field.type_.trim() {
                        "" => format!(
                            "the page documents field `{}`, the spec does not",
                            field.name
                        ),
                        type_ => format!(
                            "the page documents field `{}` ({type_}), the spec does not",
                            field.name
                        ),
                    },
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
            let mut at = format!("{at}/properties/{}", segment(&own(&field.name)));
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

/// Adds the values an enum schema lists (through `$ref`, an open enum's `anyOf`/`oneOf` and an
/// array's items) to `values`; whether it found an enum.
fn enum_values(spec: &Spec, s: &Schema, depth: usize, values: &mut BTreeSet<String>) -> bool {
    if depth > super::MAX_NESTED_DEPTH {
        return false;
    }
    match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) if !t.enumeration.is_empty() => {
            values.extend(t.enumeration.iter().flatten().cloned());
            true
        }
        SchemaKind::Type(Type::Integer(t)) if !t.enumeration.is_empty() => {
            values.extend(t.enumeration.iter().flatten().map(i64::to_string));
            true
        }
        SchemaKind::Type(Type::Array(array)) => {
            items(spec, array).is_some_and(|items| enum_values(spec, items, depth + 1, values))
        }
        SchemaKind::OneOf { one_of: parts }
        | SchemaKind::AnyOf { any_of: parts }
        | SchemaKind::AllOf { all_of: parts } => {
            let mut found = false;
            for part in parts {
                if let Some(part) = schema(spec, part) {
                    found |= enum_values(spec, part, depth + 1, values);
                }
            }
            found
        }
        _ => false,
    }
}

/// An array's items schema, resolved.
fn items<'a>(spec: &'a Spec, array: &'a openapiv3::ArrayType) -> Option<&'a Schema> {
    match array.items.as_ref()? {
        ReferenceOr::Item(b) => Some(b.as_ref()),
        ReferenceOr::Reference { reference } => spec
            .openapi
            .components
            .as_ref()?
            .schemas
            .get(reference.strip_prefix("#/components/schemas/")?)?
            .as_item(),
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
mod tests;
