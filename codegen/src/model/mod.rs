//! The operation model: what one spec's crates expose, built once per spec from the spec and
//! progenitor's output, and read by every output (the `OPERATIONS` table, the command line, the
//! mocks) and by `cargo xtask model`, which prints it as JSON for a maintainer (and, later, for
//! the change report that diffs two of them).
//!
//! Like `progenitor-impl`'s `OperationMethod`, each [`Operation`] holds everything an output
//! needs: method and route, parameters with their Rust types (read off progenitor's builder
//! setters) and documented limits, the body's fields with secrets marked, each documented status
//! with the type it decodes into, and the extensions (waiters, paginator, cancel). The model is
//! plain data: every map is a `BTreeMap`, every list is in document or sorted order, so its JSON
//! is the same on every run.

mod types;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    diagnostics::segment,
    error::Error,
    extensions::{
        cancel::Cancel,
        paginate::Paginate,
        phase::{KEY as PHASE_KEY, PHASES},
        waiters::Waiter,
    },
    naming::{builder_name, method_name, setter_name},
    progenitor_output::{Builder, builders},
    secrets,
    spec::{Spec, array_item_component, response_components},
    spec_json::{field_at, resolve, success_schema},
};

pub use types::{PublicType, TypeKind};

/// One spec's crate as its users see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CrateModel {
    /// `dli-v1`; the library is `lib`.
    pub crate_name: String,
    pub lib: String,
    pub title: String,
    pub api_version: String,
    /// `specs/dli-v1.yaml`.
    pub spec: String,
    /// In document order, as progenitor emits them.
    pub operations: Vec<Operation>,
    /// progenitor's `types` module, by name.
    pub types: BTreeMap<String, PublicType>,
    /// `x-phase` tables: component -> the service's word -> phase (`.phase()` on its type).
    #[serde(default)]
    pub phases: BTreeMap<String, BTreeMap<String, String>>,
    /// The `cloud-runtime` version the crates are generated against (`contract::VERSION`).
    #[serde(default)]
    pub runtime: String,
}

/// One operation: a builder on `Client`, a subcommand, a mock.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Operation {
    /// The `operationId`, which is the builder method's name (lint rule `operation-id`).
    pub id: String,
    /// Upper case: `GET`.
    pub method: String,
    pub route: String,
    /// The vendor page it follows (`x-doc-page`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_page: Option<String>,
    pub summary: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Sent again after a transient failure: reads, deletes and `x-idempotent`.
    pub retry_safe: bool,
    pub parameters: Vec<Parameter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    /// Every documented status, ascending.
    pub statuses: Vec<Status>,
    /// What `send` answers: `Result<ResponseValue<success>, Error<error>>`.
    pub success_type: String,
    pub error_type: String,
    /// Documented integer ranges the runtime checks before sending, sorted.
    pub limits: Vec<Limit>,
    /// JSON pointers of secret request fields (`format: password`), as record mode scrubs them.
    pub secrets: Vec<String>,
    pub waiters: Vec<WaiterModel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paginate: Option<PaginateModel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel: Option<Cancel>,
}

/// A path, query or header parameter.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Parameter {
    pub name: String,
    /// `path`, `query` or `header`.
    pub location: String,
    /// The builder's setter.
    pub setter: String,
    /// The `T` of the setter's `TryInto<T>`: what a value is checked as.
    pub rust_type: String,
    pub required: bool,
    /// Repeated (`type: array`).
    pub array: bool,
    pub description: String,
    pub constraints: Constraints,
}

/// What the spec documents a value must satisfy; numbers as the spec writes them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Constraints {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

/// A request body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Body {
    pub required: bool,
    /// Its media types, sorted; `fields` are read only from `application/json`.
    pub media: Vec<String>,
    /// The `body` setter's type.
    pub rust_type: String,
    /// Top-level fields, sorted by name.
    pub fields: Vec<BodyField>,
}

/// A top-level field of a request body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BodyField {
    pub name: String,
    pub kind: FieldKind,
    pub required: bool,
    /// `format: password`: never shown, never a command-line flag.
    pub secret: bool,
    pub description: String,
    pub constraints: Constraints,
}

/// How a body field is given on a command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// A string, number, Boolean or string enum: one flag.
    Scalar,
    /// An array of those: a repeated flag.
    List,
    /// Anything else: only through the whole JSON body.
    Structured,
}

/// A documented status.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Status {
    pub code: u16,
    /// Its body is JSON (else none, or bytes).
    pub json: bool,
}

/// A documented integer range (`cloud_runtime::call::Limit`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Limit {
    /// `Query`, `Path`, `Header` or `Body`.
    pub place: String,
    /// The parameter, or the body field's JSON pointer.
    pub name: String,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// A waiter as declared, with what its status field reads as.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WaiterModel {
    #[serde(flatten)]
    pub declared: Waiter,
    /// `Client::wait_until_<name>`.
    pub client_method: String,
    /// The status words `x-phase` maps, as (word, `Phase` variant), in the spec's order.
    pub words: Vec<(String, String)>,
    /// The status field is an integer.
    pub numeric: bool,
    /// The answer's job ID field is a number.
    pub id_numeric: bool,
}

/// A paginator as declared, with the type of its items.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PaginateModel {
    #[serde(flatten)]
    pub declared: Paginate,
    /// The component the items are.
    pub item_type: String,
}

impl CrateModel {
    /// The model of `spec`'s crates, from the spec and progenitor's output for it.
    pub fn build(spec: &Spec, generated: &syn::File) -> Result<CrateModel, Error> {
        let document = serde_json::to_value(&spec.openapi).unwrap_or_default();
        let builders = builders(generated);
        let mut operations = Vec::new();
        for (method, route, op) in spec.operations() {
            let Some(id) = op.operation_id.as_deref() else {
                continue;
            };
            let op_json = document
                .pointer(&format!("/paths/{}/{method}", segment(route)))
                .unwrap_or(&Value::Null);
            let refuse = |message: String| Error::Unsupported {
                path: spec.path.clone(),
                message: format!("operation `{id}`: {message}"),
                hint: "report this: lint accepts what codegen cannot model".into(),
            };
            let builder = builders
                .get(&builder_name(id))
                .ok_or_else(|| refuse("progenitor made no builder for it".into()))?;
            let (success, error) = builder
                .answer
                .clone()
                .ok_or_else(|| refuse("progenitor's `send` answers an unexpected type".into()))?;
            let context = Context {
                spec,
                document: &document,
                op_json,
                route,
                method,
            };
            operations.push(Operation {
                id: id.to_owned(),
                method: method.to_uppercase(),
                route: route.to_owned(),
                doc_page: op
                    .extensions
                    .get(crate::extensions::doc_page::PAGE)
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                summary: op.summary.clone().unwrap_or_default(),
                description: op.description.clone().unwrap_or_default(),
                deprecated: op.deprecated,
                retry_safe: matches!(method, "get" | "head" | "options" | "delete")
                    || crate::extensions::idempotent::declared(op),
                parameters: parameters(&document, op_json, builder).map_err(refuse)?,
                body: body(&document, op_json, builder).map_err(refuse)?,
                statuses: statuses(spec, op),
                success_type: type_string(&success),
                error_type: type_string(&error),
                limits: limits(spec, op),
                secrets: secrets::pointers(&document, op_json),
                waiters: waiters(&context, op)?,
                paginate: paginate(&context, op)?,
                cancel: op
                    .extensions
                    .get(crate::extensions::cancel::KEY)
                    .map(Cancel::read)
                    .transpose()
                    .map_err(refuse)?,
            });
        }
        Ok(CrateModel {
            crate_name: spec.crate_name(),
            lib: spec.lib_name(),
            title: spec.openapi.info.title.clone(),
            api_version: spec.openapi.info.version.clone(),
            spec: spec.display_path(),
            operations,
            types: types::public_types(generated),
            phases: phase_tables(&document),
            runtime: crate::runtime_contract::VERSION.to_owned(),
        })
    }

    /// The model as pretty JSON, the same bytes on every run.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.push('\n');
        json
    }
}

impl Body {
    /// Whether the body is JSON (`application/json`).
    pub fn is_json(&self) -> bool {
        self.media.iter().any(|m| m == "application/json")
    }
}

impl Operation {
    /// The builder method, `Client::<method>`.
    pub fn method_name(&self) -> String {
        method_name(&self.id)
    }

    /// Whether the success answer is progenitor's byte stream (not decoded JSON).
    pub fn success_is_bytes(&self) -> bool {
        self.success_type.contains("ByteStream")
    }

    /// Whether the error answer is progenitor's byte stream.
    pub fn error_is_bytes(&self) -> bool {
        self.error_type.contains("ByteStream")
    }

    /// The Rust type `send` answers for `status`: the success or the error type.
    pub fn answer_type(&self, status: u16) -> &str {
        if (200..300).contains(&status) {
            &self.success_type
        } else {
            &self.error_type
        }
    }
}

/// The Rust type `ty` as one line of source: `Option<types::Job>`.
pub fn type_string(ty: &syn::Type) -> String {
    tokens_string(&quote::quote!(#ty))
}

/// Tokens as compact source: no space around `::`, `<`, `>`, `&`, before `,`.
pub(crate) fn tokens_string(tokens: &proc_macro2::TokenStream) -> String {
    let spaced = tokens.to_string();
    let mut out = String::with_capacity(spaced.len());
    let mut chars = spaced.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let previous = out.chars().last();
            let next = chars.peek().copied();
            let tight_after = matches!(previous, Some(':' | '<' | '&' | '('));
            let tight_before = matches!(next, Some(':' | '<' | '>' | ',' | ')'));
            if previous != Some(',') && (tight_after || tight_before) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// The Rust type a model's type string names, for an emitter's `quote!`.
pub fn parse_type(ty: &str) -> syn::Type {
    syn::parse_str(ty).unwrap_or_else(|_| syn::parse_quote!(()))
}

struct Context<'a> {
    spec: &'a Spec,
    document: &'a Value,
    op_json: &'a Value,
    route: &'a str,
    method: &'a str,
}

/// The operation's parameters, typed by the builder's setters.
fn parameters(document: &Value, op: &Value, builder: &Builder) -> Result<Vec<Parameter>, String> {
    let mut found = Vec::new();
    for parameter in op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let parameter = resolve(document, parameter);
        let (Some(name), Some(location)) = (
            parameter.get("name").and_then(Value::as_str),
            parameter.get("in").and_then(Value::as_str),
        ) else {
            continue;
        };
        let setter = setter_name(name);
        let Some(ty) = builder.setters.get(&setter) else {
            return Err(format!(
                "parameter `{name}` has no builder setter `{setter}`"
            ));
        };
        let schema = resolve(document, parameter.get("schema").unwrap_or(&Value::Null));
        found.push(Parameter {
            name: name.to_owned(),
            location: location.to_owned(),
            setter,
            rust_type: type_string(ty),
            required: parameter.get("required").and_then(Value::as_bool) == Some(true),
            array: schema.get("type").and_then(Value::as_str) == Some("array"),
            description: description(parameter),
            constraints: constraints(document, schema),
        });
    }
    Ok(found)
}

fn description(schema: &Value) -> String {
    schema
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The constraints a schema documents: its values (or its open enum's known values), range,
/// length and pattern.
fn constraints(document: &Value, schema: &Value) -> Constraints {
    let values = schema
        .get("enum")
        .or_else(|| {
            schema
                .get("oneOf")
                .or(schema.get("anyOf"))
                .and_then(Value::as_array)
                .and_then(|branches| branches.first())
                .map(|known| resolve(document, known))
                .and_then(|known| known.get("enum"))
        })
        .and_then(Value::as_array)
        .map(|values| {
            values
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Constraints {
        values,
        minimum: schema.get("minimum").cloned(),
        maximum: schema.get("maximum").cloned(),
        max_length: schema.get("maxLength").cloned(),
        pattern: schema
            .get("pattern")
            .and_then(Value::as_str)
            .map(str::to_owned),
    }
}

/// The JSON request body, if any: its fields and how each is given.
fn body(document: &Value, op: &Value, builder: &Builder) -> Result<Option<Body>, String> {
    let Some(request) = op.get("requestBody").map(|b| resolve(document, b)) else {
        return Ok(None);
    };
    let Some(content) = request.get("content").and_then(Value::as_object) else {
        return Ok(None);
    };
    let Some(ty) = builder.setters.get("body") else {
        return Err("its body has no `body` setter".into());
    };
    let media: Vec<String> = content.keys().cloned().collect();
    let schema = content
        .get("application/json")
        .map_or(&Value::Null, |json| {
            resolve(document, json.get("schema").unwrap_or(&Value::Null))
        });
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let is_scalar = |schema: &Value| {
        let schema = resolve(document, schema);
        match schema.get("type").and_then(Value::as_str) {
            Some("string" | "integer" | "number" | "boolean") => true,
            None => schema
                .get("anyOf")
                .or(schema.get("oneOf"))
                .is_some_and(|branches| {
                    branches.as_array().into_iter().flatten().all(|b| {
                        resolve(document, b).get("type").and_then(Value::as_str) == Some("string")
                    })
                }),
            _ => false,
        }
    };
    let fields = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, property)| {
            let property = resolve(document, property);
            let kind = if property.get("type").and_then(Value::as_str) == Some("array")
                && property.get("items").is_some_and(is_scalar)
            {
                FieldKind::List
            } else if is_scalar(property) {
                FieldKind::Scalar
            } else {
                FieldKind::Structured
            };
            BodyField {
                name: name.clone(),
                kind,
                required: required.contains(&name.as_str()),
                secret: secrets::is_secret(property),
                description: description(property),
                constraints: constraints(document, property),
            }
        })
        .collect();
    Ok(Some(Body {
        required: request.get("required").and_then(Value::as_bool) == Some(true),
        media,
        rust_type: type_string(ty),
        fields,
    }))
}

/// Documented statuses (lint allows only three-digit codes), ascending, and which have JSON.
fn statuses(spec: &Spec, op: &openapiv3::Operation) -> Vec<Status> {
    let mut found: Vec<Status> = op
        .responses
        .responses
        .iter()
        .filter_map(|(status, response)| {
            let openapiv3::StatusCode::Code(code) = status else {
                return None;
            };
            let json = spec
                .response(response)
                .is_some_and(|r| r.content.keys().any(|media| media.contains("json")));
            Some(Status { code: *code, json })
        })
        .collect();
    found.sort_by_key(|s| s.code);
    found
}

/// The documented integer ranges of the parameters and of the JSON body's top-level fields; an
/// exclusive bound is moved in by one.
fn limits(spec: &Spec, op: &openapiv3::Operation) -> Vec<Limit> {
    let range = |schema: &openapiv3::Schema| -> Option<(Option<i64>, Option<i64>)> {
        let openapiv3::SchemaKind::Type(openapiv3::Type::Integer(integer)) = &schema.schema_kind
        else {
            return None;
        };
        let min = integer
            .minimum
            .map(|m| m.saturating_add(i64::from(integer.exclusive_minimum)));
        let max = integer
            .maximum
            .map(|m| m.saturating_sub(i64::from(integer.exclusive_maximum)));
        (min.is_some() || max.is_some()).then_some((min, max))
    };
    let mut limits = Vec::new();
    for parameter in spec.parameters(op) {
        let (place, data) = match parameter {
            openapiv3::Parameter::Query { parameter_data, .. } => ("Query", parameter_data),
            openapiv3::Parameter::Path { parameter_data, .. } => ("Path", parameter_data),
            openapiv3::Parameter::Header { parameter_data, .. } => ("Header", parameter_data),
            openapiv3::Parameter::Cookie { .. } => continue,
        };
        let openapiv3::ParameterSchemaOrContent::Schema(schema) = &data.format else {
            continue;
        };
        if let Some((min, max)) = spec.schema(schema).and_then(range) {
            limits.push(Limit {
                place: place.into(),
                name: data.name.clone(),
                min,
                max,
            });
        }
    }
    let body = op.request_body.as_ref().and_then(|body| match body {
        openapiv3::ReferenceOr::Item(body) => Some(body),
        openapiv3::ReferenceOr::Reference { .. } => None,
    });
    let body_schema = body
        .and_then(|body| {
            body.content
                .iter()
                .find(|(media, _)| media.contains("json"))
        })
        .and_then(|(_, media)| media.schema.as_ref())
        .and_then(|schema| spec.schema(schema));
    if let Some(openapiv3::Schema {
        schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)),
        ..
    }) = body_schema
    {
        for (name, property) in &object.properties {
            if let Some((min, max)) = spec.boxed_schema(property).and_then(range) {
                limits.push(Limit {
                    place: "Body".into(),
                    name: format!("/{}", segment(name)),
                    min,
                    max,
                });
            }
        }
    }
    limits.sort();
    limits
}

/// The operation's waiters, each with its status words and whether its fields are numbers.
fn waiters(context: &Context, op: &openapiv3::Operation) -> Result<Vec<WaiterModel>, Error> {
    let Context {
        spec,
        document,
        op_json,
        ..
    } = context;
    let id = op.operation_id.as_deref().unwrap_or_default();
    let declared = Waiter::read_all(op).map_err(|problem| Error::Unsupported {
        path: spec.path.clone(),
        message: format!("operation `{id}`: {problem}"),
        hint: "fix `x-waiters`".into(),
    })?;
    let success = success_schema(document, op_json);
    declared
        .into_iter()
        .map(|waiter| {
            let unsupported = |message: String| Error::Unsupported {
                path: spec.path.clone(),
                message: format!("waiter `{}`: {message}", waiter.name),
                hint: "declare the waiter as lint rule `waiter` accepts".into(),
            };
            // An `item` waiter reads its job from the list's items: status and key are the item's.
            let (read_from, id_field) = match &waiter.item {
                None => (
                    success,
                    waiter.id.as_ref().and_then(|id| id.field.as_deref()),
                ),
                Some(item) => {
                    let (problems, schema) =
                        crate::extensions::waiters::item_problems(document, op_json, success, item);
                    if let Some((_, problem)) = problems.into_iter().next() {
                        return Err(unsupported(problem));
                    }
                    (schema, Some(item.key.as_str()))
                }
            };
            let field = field_at(document, read_from, &waiter.status).map_err(unsupported)?;
            let (words, numeric) = phase_words(document, field)
                .ok_or_else(|| unsupported(format!("`{}` has no `x-phase`", waiter.status)))?;
            let id_numeric = match id_field {
                Some(path) => matches!(
                    field_at(document, read_from, path)
                        .map_err(unsupported)?
                        .get("type")
                        .and_then(Value::as_str),
                    Some("integer" | "number")
                ),
                None => false,
            };
            Ok(WaiterModel {
                client_method: crate::extensions::waiters::client_method(&waiter.name),
                declared: waiter,
                words,
                numeric,
                id_numeric,
            })
        })
        .collect()
}

/// The words `x-phase` maps for a status field (on it, or on an open enum's known half), as
/// (word, `Phase` variant); and whether the field is an integer.
fn phase_words(document: &Value, field: &Value) -> Option<(Vec<(String, String)>, bool)> {
    let numeric = field.get("type").and_then(Value::as_str) == Some("integer");
    let mut candidates = vec![field];
    for key in ["anyOf", "oneOf", "allOf"] {
        for branch in field
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            candidates.push(resolve(document, branch));
        }
    }
    let table = candidates
        .iter()
        .find_map(|schema| schema.get(PHASE_KEY))?
        .as_object()?;
    let words = table
        .iter()
        .filter_map(|(word, phase)| {
            let variant = PHASES
                .iter()
                .find(|(name, _)| Some(*name) == phase.as_str())?
                .1;
            Some((word.clone(), variant.to_owned()))
        })
        .collect();
    Some((words, numeric))
}

/// Every component's `x-phase` table, as the spec writes it.
fn phase_tables(document: &Value) -> BTreeMap<String, BTreeMap<String, String>> {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, schema)| {
            let table = schema.get(PHASE_KEY)?.as_object()?;
            let words = table
                .iter()
                .map(|(word, phase)| {
                    let phase = phase
                        .as_str()
                        .map_or_else(|| phase.to_string(), str::to_owned);
                    (word.clone(), phase)
                })
                .collect();
            Some((name.clone(), words))
        })
        .collect()
}

/// The operation's paginator, with the component its items are.
fn paginate(context: &Context, op: &openapiv3::Operation) -> Result<Option<PaginateModel>, Error> {
    let Some(declared) = op.extensions.get(crate::extensions::paginate::KEY) else {
        return Ok(None);
    };
    let id = op.operation_id.as_deref().unwrap_or_default();
    let unsupported = |message: String| Error::Unsupported {
        path: context.spec.path.clone(),
        message: format!(
            "`{id}` ({} {}) x-paginate: {message}",
            context.method.to_uppercase(),
            context.route
        ),
        hint: "declare a paginator that lint rule `paginate` accepts".into(),
    };
    let model = Paginate::read(declared).map_err(unsupported)?;
    let (Some(_), Some(items)) = (model.page.as_deref(), model.items.as_deref()) else {
        return Err(unsupported("`page` or `items` is missing".into()));
    };
    let (success, _) = response_components(context.spec, op);
    let success =
        success.ok_or_else(|| unsupported("the success response is not a component".into()))?;
    let item = array_item_component(context.spec, &success, items)
        .ok_or_else(|| unsupported("`items` is not an array of a component schema".into()))?;
    Ok(Some(PaginateModel {
        declared: model,
        item_type: item,
    }))
}

#[cfg(test)]
mod tests;
