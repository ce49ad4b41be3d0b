//! A spec file on disk: its bytes, its digest, its parsed OpenAPI document and the crate it makes.

use std::{path::Path, path::PathBuf};

use openapiv3::OpenAPI;
use sha2::{Digest, Sha256};

use crate::error::Error;

/// Spec files end in this; the file stem names the crate (`dli-v1.yaml` -> crate `dli-v1`).
pub const SPEC_EXTENSION: &str = "yaml";

#[derive(Debug, Clone)]
pub struct Spec {
    /// Path relative to the workspace root, with `/` separators: what headers and errors show.
    pub path: PathBuf,
    /// File stem: `mrs-v1.1`.
    pub stem: String,
    pub sha256: String,
    pub openapi: OpenAPI,
}

impl Spec {
    /// Cargo package name: see [`crate_name_of`].
    pub fn crate_name(&self) -> String {
        crate_name_of(&self.path)
    }

    /// The spec's path as headers and docs show it: `specs/dli-v1.yaml`, `/` separators.
    pub fn display_path(&self) -> String {
        self.path.to_string_lossy().replace('\\', "/")
    }

    /// Rust library name: `mrs_v1_1`.
    pub fn lib_name(&self) -> String {
        self.crate_name().replace('-', "_")
    }

    /// Every operation as (method, route, operation id), in document order.
    pub fn operations(&self) -> impl Iterator<Item = (&str, &str, &openapiv3::Operation)> {
        self.openapi.paths.paths.iter().flat_map(|(route, item)| {
            item.as_item().into_iter().flat_map(move |item| {
                item.iter()
                    .map(move |(method, op)| (method, route.as_str(), op))
            })
        })
    }

    /// The operation whose `operationId` is `id`, as (method, route, operation).
    pub fn operation(&self, id: &str) -> Option<(&str, &str, &openapiv3::Operation)> {
        self.operations()
            .find(|(_, _, op)| op.operation_id.as_deref() == Some(id))
    }

    /// The operation's parameters with `#/components/parameters/*` references resolved; an
    /// unresolvable reference is skipped (the linter reports it).
    pub fn parameters<'a>(
        &'a self,
        op: &'a openapiv3::Operation,
    ) -> impl Iterator<Item = &'a openapiv3::Parameter> {
        op.parameters.iter().filter_map(|p| match p {
            openapiv3::ReferenceOr::Item(p) => Some(p),
            openapiv3::ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/parameters/")?;
                self.openapi
                    .components
                    .as_ref()?
                    .parameters
                    .get(name)?
                    .as_item()
            }
        })
    }

    /// A schema, through its `#/components/schemas/*` reference when it is one; `None` for an
    /// unresolvable reference (the linter reports it).
    pub fn schema<'a>(
        &'a self,
        schema: &'a openapiv3::ReferenceOr<openapiv3::Schema>,
    ) -> Option<&'a openapiv3::Schema> {
        match schema {
            openapiv3::ReferenceOr::Item(schema) => Some(schema),
            openapiv3::ReferenceOr::Reference { reference } => self.component(reference),
        }
    }

    /// The same for the boxed schemas of properties and items.
    pub fn boxed_schema<'a>(
        &'a self,
        schema: &'a openapiv3::ReferenceOr<Box<openapiv3::Schema>>,
    ) -> Option<&'a openapiv3::Schema> {
        match schema {
            openapiv3::ReferenceOr::Item(schema) => Some(schema),
            openapiv3::ReferenceOr::Reference { reference } => self.component(reference),
        }
    }

    /// The component schema `#/components/schemas/<name>` names.
    fn component(&self, reference: &str) -> Option<&openapiv3::Schema> {
        self.openapi
            .components
            .as_ref()?
            .schemas
            .get(reference.strip_prefix("#/components/schemas/")?)?
            .as_item()
    }

    /// A response, through its `#/components/responses/*` reference when it is one; `None` for
    /// an unresolvable reference (the linter reports it).
    pub fn response<'a>(
        &'a self,
        response: &'a openapiv3::ReferenceOr<openapiv3::Response>,
    ) -> Option<&'a openapiv3::Response> {
        match response {
            openapiv3::ReferenceOr::Item(response) => Some(response),
            openapiv3::ReferenceOr::Reference { reference } => self
                .openapi
                .components
                .as_ref()?
                .responses
                .get(reference.strip_prefix("#/components/responses/")?)?
                .as_item(),
        }
    }

    /// Parses `bytes` read from `path` (given relative to the workspace root). The spec is
    /// expected to have passed `lint::lint_specs` (file name, structure, rules).
    pub fn parse(path: PathBuf, bytes: &[u8]) -> Result<Spec, Error> {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        // Guarded: openapiv3 panics on some documents serde accepts.
        let parsed = crate::guard::guarded(|| serde_yaml::from_slice::<OpenAPI>(bytes)).map_err(
            |panic| Error::Parse {
                path: path.clone(),
                line: 1,
                column: 1,
                message: format!("the OpenAPI reader (openapiv3) fails on this document: {panic}"),
            },
        )?;
        let openapi: OpenAPI = parsed.map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((1, 1));
            Error::Parse {
                path: path.clone(),
                line,
                column,
                message: e.to_string(),
            }
        })?;
        Ok(Spec {
            sha256: hex::encode(Sha256::digest(bytes)),
            path,
            stem,
            openapi,
        })
    }
}

/// The crate a spec file produces: its stem with `.` turned into `-` (`mrs-v1.1` -> `mrs-v1-1`).
pub fn crate_name_of(spec_path: &Path) -> String {
    spec_path
        .file_stem()
        .map(|s| s.to_string_lossy().replace('.', "-"))
        .unwrap_or_default()
}

/// Whether a spec's file stem can name a crate (lowercase letters, digits, `-`, `.`).
pub(crate) fn is_valid_crate_stem(stem: &str) -> bool {
    stem.starts_with(|c: char| c.is_ascii_lowercase())
        && stem
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
}

/// The path parameters of a route template, in order: `job_id` for `/v1/jobs/{job_id}`.
pub fn route_parameters(route: &str) -> Vec<&str> {
    route
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}

/// The component a response's schema names by `$ref` (`#/components/schemas/SqlJob` ->
/// `SqlJob`).
pub fn response_component(
    spec: &Spec,
    response: &openapiv3::ReferenceOr<openapiv3::Response>,
) -> Option<String> {
    let schema = spec
        .response(response)?
        .content
        .values()
        .next()?
        .schema
        .as_ref()?;
    schema_component(schema)
}

/// The component schema a `$ref` names (`#/components/schemas/SqlJob` -> `SqlJob`); `None`
/// for an inline schema.
pub fn schema_component<T>(schema: &openapiv3::ReferenceOr<T>) -> Option<String> {
    match schema {
        openapiv3::ReferenceOr::Reference { reference } => {
            Some(reference.strip_prefix("#/components/schemas/")?.to_owned())
        }
        openapiv3::ReferenceOr::Item(_) => None,
    }
}

/// The component the items of array property `field` (or dotted path, `job_list.jobs`) of
/// component `object` are (`SqlJob` for `jobs: {type: array, items: {$ref: SqlJob}}`).
pub fn array_item_component(spec: &Spec, object: &str, field: &str) -> Option<String> {
    // `job_list.jobs`: every step but the last an object (by reference or inline).
    let mut current = spec
        .openapi
        .components
        .as_ref()?
        .schemas
        .get(object)?
        .as_item()?;
    let steps: Vec<&str> = field.split('.').collect();
    let (last, path) = steps.split_last()?;
    for step in path {
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &current.schema_kind
        else {
            return None;
        };
        current = spec.boxed_schema(object.properties.get(*step)?)?;
    }
    let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &current.schema_kind else {
        return None;
    };
    let property = spec.boxed_schema(object.properties.get(*last)?)?;
    let openapiv3::SchemaKind::Type(openapiv3::Type::Array(array)) = &property.schema_kind else {
        return None;
    };
    schema_component(array.items.as_ref()?)
}

/// The Rust type a response component is in a generated crate (`()` when it has none).
pub fn type_path(component: Option<&str>) -> String {
    component.map_or("()".to_owned(), |c| format!("types::{c}"))
}

/// The components an operation's success and error responses are (the types progenitor names
/// its `ResponseValue` and `Error` after), when each is a `$ref`.
pub fn response_components(
    spec: &Spec,
    op: &openapiv3::Operation,
) -> (Option<String>, Option<String>) {
    let mut success = None;
    let mut error = None;
    for (status, response) in &op.responses.responses {
        let openapiv3::StatusCode::Code(code) = status else {
            continue;
        };
        let schema = response_component(spec, response);
        if (200..300).contains(code) {
            success = success.or(schema);
        } else {
            error = error.or(schema);
        }
    }
    (success, error)
}
