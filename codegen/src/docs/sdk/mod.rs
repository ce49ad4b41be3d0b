//! `cargo xtask sdk check`: the vendor's own Go SDKs as a second witness beside the pages. Each
//! SDK operation is read into the same [`Page`] model the doc readers build (route, path and
//! query parameters with their mandatory flags and types, request and response fields, nested
//! types as nested tables, enum values), so `docs::check` compares it with the spec and reports
//! and acknowledges its differences as it does the pages' (`x-sdk-deviation`).
//!
//! Two SDKs are read:
//! - the Huawei Cloud SDK (`huaweicloud-sdk-go-v3/services/<service>/<version>`): each
//!   `GenReqDefForX()` in `*_meta.go` defines operation `X` (method, path, where each field of
//!   `model.XRequest` goes, the response `model.XResponse`); a field without `omitempty` is
//!   required;
//! - the OTC SDK (`gophertelekomcloud/openstack/<service>/...`): a function whose doc comment
//!   says `Send request <METHOD> <path>` is an operation; its struct parameter is the body (or, with
//!   `q:` tags, the query), its struct result the response; `required:"true"` marks what it
//!   requires.
//!
//! Go is read with tree-sitter's Go grammar ([`go`]).

pub mod go;

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

use go::{GoField, GoFile, GoType, Location};

use super::{Field, Page};
use crate::spec::Spec;

/// Which SDK an operation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sdk {
    /// `huaweicloud-sdk-go-v3`: generated from the vendor's API definitions.
    Huawei,
    /// `gophertelekomcloud`: the Open Telekom Cloud SDK, written by hand.
    Otc,
}

impl Sdk {
    pub fn name(self) -> &'static str {
        match self {
            Sdk::Huawei => "huaweicloud-sdk-go-v3",
            Sdk::Otc => "gophertelekomcloud",
        }
    }
}

/// One SDK operation, read into the page model.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub sdk: Sdk,
    /// The service it belongs to, as the specs' file names say it (`dli`, `mrs`,
    /// `dataarts-factory`).
    pub service: String,
    /// The SDK's name (`CreateSparkJob`, `GetRunningStatus`).
    pub name: String,
    /// `id`: `<sdk> <name>`; `title`: the file defining it; `method`, `route`, fields.
    pub page: Page,
}

/// Which spec files each SDK service folder is compared with: the specs' crate names start with
/// the service (`dli-v2`, `mrs-v1.1`), DataArts Studio Factory's SDK folders are `dlf` (Huawei)
/// and `dataarts` (OTC).
const SERVICES: &[(&str, &str)] = &[
    ("dli", "dli"),
    ("mrs", "mrs"),
    ("dlf", "dataarts-factory"),
    ("dataarts", "dataarts-factory"),
];

/// Why an SDK tree could not be read. Every problem is reported, so a wrong `--sdk` path can
/// never pass as "nothing to check".
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}: cannot read the SDK tree: {source}\n  hint: give the directory holding the vendor's SDKs (--sdk ../shared/vendor-sdk)", path.display())]
    Tree {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: no SDK operation below it (no `GenReqDefForX()` in a `*_meta.go`, no function commented `Send request <METHOD> <path>`)\n  hint: give the directory holding `huaweicloud-sdk-go-v3/services/...` or `gophertelekomcloud/openstack/...`", path.display())]
    NoOperations { path: PathBuf },
    #[error("{}: cannot read the file: {source}\n  hint: SDK files are UTF-8 Go source; convert or remove this one", path.display())]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {source}\n  hint: the SDKs' files are generated Go that parses; check that this is one of them", path.display())]
    Go { path: PathBuf, source: go::GoError },
    #[error("{}: is a {kind}, not a regular file or a directory; it is not read\n  hint: SDK trees hold regular files: replace it by a copy of what it stands for, or remove it", path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
}

/// One Go package: its folder and what its files declare, merged.
#[derive(Default)]
struct Package {
    file: GoFile,
    /// The files defining each request definition or function, by its name (for the report).
    defined_in: BTreeMap<String, PathBuf>,
}

/// Every SDK operation below each of `trees`, read.
pub fn read_trees(trees: &[PathBuf]) -> Result<Vec<Operation>, Vec<ReadError>> {
    let mut problems = Vec::new();
    let mut operations = Vec::new();
    for tree in trees {
        let mut files = Vec::new();
        if let Err(problem) = collect(tree, &mut files, &mut problems) {
            problems.push(problem);
            continue;
        }
        files.sort();
        let mut packages: BTreeMap<PathBuf, Package> = BTreeMap::new();
        for file in files {
            let text = match std::fs::read_to_string(&file) {
                Ok(text) => text,
                Err(source) => {
                    problems.push(ReadError::File { path: file, source });
                    continue;
                }
            };
            let read = match go::read(&text) {
                Ok(read) => read,
                Err(source) => {
                    problems.push(ReadError::Go { path: file, source });
                    continue;
                }
            };
            let shown = file.strip_prefix(tree).unwrap_or(&file).to_owned();
            let dir = file.parent().unwrap_or(Path::new("")).to_owned();
            let package = packages.entry(dir).or_default();
            for def in &read.request_defs {
                package.defined_in.insert(def.name.clone(), shown.clone());
            }
            for function in &read.functions {
                package
                    .defined_in
                    .insert(function.name.clone(), shown.clone());
            }
            merge(&mut package.file, read);
        }
        let found = operations.len();
        for (dir, package) in &packages {
            let relative = dir.strip_prefix(tree).unwrap_or(dir);
            let Some(service) = service_of(relative) else {
                continue;
            };
            let model = packages.get(&dir.join("model"));
            for def in &package.file.request_defs {
                let models = model.map_or(&package.file, |m| &m.file);
                let file = package
                    .defined_in
                    .get(&def.name)
                    .cloned()
                    .unwrap_or_default();
                operations.push(huawei(def, models, &file, service));
            }
            for function in &package.file.functions {
                let file = package
                    .defined_in
                    .get(&function.name)
                    .cloned()
                    .unwrap_or_default();
                if let Some(operation) = otc(function, &package.file, &file, service) {
                    operations.push(operation);
                }
            }
        }
        if operations.len() == found {
            problems.push(ReadError::NoOperations { path: tree.clone() });
        }
    }
    if problems.is_empty() {
        Ok(operations)
    } else {
        Err(problems)
    }
}

fn merge(into: &mut GoFile, file: GoFile) {
    into.structs.extend(file.structs);
    into.aliases.extend(file.aliases);
    into.enums.extend(file.enums);
    into.request_defs.extend(file.request_defs);
    into.functions.extend(file.functions);
}

/// The `.go` files below `dir` (tests excluded); a directory that cannot be listed is a problem,
/// and so is each entry that is neither a regular file nor a directory.
fn collect(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    problems: &mut Vec<ReadError>,
) -> Result<(), ReadError> {
    let tree_error = |source| ReadError::Tree {
        path: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(tree_error)? {
        let entry = entry.map_err(tree_error)?;
        let path = entry.path();
        let file_type = entry.file_type().map_err(tree_error)?;
        if file_type.is_dir() {
            collect(&path, files, problems)?;
        } else if let Some(kind) = crate::files::special_kind(file_type) {
            problems.push(ReadError::NotAFile { path, kind });
        } else if path.extension().is_some_and(|e| e == "go")
            && !path.to_string_lossy().ends_with("_test.go")
        {
            files.push(path);
        }
    }
    Ok(())
}

/// The service of a package folder: the component after `services` (Huawei) or `openstack`
/// (OTC), as [`SERVICES`] names it for the specs.
fn service_of(relative: &Path) -> Option<&'static str> {
    let parts: Vec<&str> = relative
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    let at = parts
        .iter()
        .position(|p| *p == "services" || *p == "openstack")?;
    let folder = parts.get(at + 1)?;
    SERVICES
        .iter()
        .find(|(sdk, _)| sdk == folder)
        .map(|(_, service)| *service)
}

/// A Huawei SDK request definition as a page.
fn huawei(def: &go::RequestDef, models: &GoFile, file: &Path, service: &str) -> Operation {
    let mut page = Page {
        id: format!("{} {}", Sdk::Huawei.name(), def.name),
        title: file.display().to_string(),
        method: def.method.clone(),
        route: def.path.clone(),
        ..Page::default()
    };
    let request = models
        .structs
        .get(&format!("{}Request", def.name))
        .cloned()
        .unwrap_or_default();
    let mut types = Types::new(models, huawei_mandatory);
    let mut body = None;
    for field in &def.request_fields {
        let Some(go) = request.iter().find(|f| f.name == field.name) else {
            continue;
        };
        let name = field
            .json_tag
            .clone()
            .or_else(|| go.json.clone())
            .unwrap_or_else(|| go.name.clone());
        match field.location {
            Location::Path => page
                .path_parameters
                .push(types.field(name, &go.type_, Some(true))),
            Location::Query => {
                page.query_parameters
                    .push(types.field(name, &go.type_, Some(!go.omitempty)))
            }
            Location::Header => {
                page.header_parameters
                    .push(types.field(name, &go.type_, Some(!go.omitempty)))
            }
            Location::Body => body = Some(go.type_.clone()),
            Location::Other => {}
        }
    }
    add_route_parameters(&mut page);
    if let Some(body) = body {
        page.request_fields = types.body(&body);
    }
    let headers: BTreeSet<&str> = def
        .response_fields
        .iter()
        .filter(|f| f.location != Location::Body)
        .map(|f| f.name.as_str())
        .collect();
    if let Some(response) = def.response.as_ref().and_then(|r| models.structs.get(r)) {
        // A response whose body is not an object carries it in a field tagged `body`.
        let fields: Vec<&GoField> = response
            .iter()
            .filter(|f| f.json.as_deref() != Some("-") && !headers.contains(f.name.as_str()))
            .collect();
        page.response_fields = match fields.iter().find(|f| f.json.as_deref() == Some("body")) {
            Some(body) => types.body(&body.type_),
            None => types.fields(fields.into_iter()),
        };
    }
    page.nested = types.nested;
    Operation {
        sdk: Sdk::Huawei,
        service: service.to_owned(),
        name: def.name.clone(),
        page,
    }
}

/// An OTC SDK function whose comment states its route, as a page.
fn otc(function: &go::Function, package: &GoFile, file: &Path, service: &str) -> Option<Operation> {
    let line = function
        .comment
        .lines()
        .find_map(|l| l.trim().strip_prefix("Send request"))?;
    let (method, route, _) = super::request_line(line)?;
    let mut page = Page {
        id: format!("{} {}", Sdk::Otc.name(), function.name),
        title: file.display().to_string(),
        method: Some(method.clone()),
        route: Some(route),
        ..Page::default()
    };
    let mut types = Types::new(package, otc_mandatory);
    for parameter in &function.parameters {
        let Some(fields) = parameter.name().and_then(|n| package.structs.get(n)) else {
            continue;
        };
        let query: Vec<&GoField> = fields.iter().filter(|f| f.query.is_some()).collect();
        if !query.is_empty() {
            for f in query {
                let name = f.query.clone().unwrap_or_default();
                page.query_parameters
                    .push(types.field(name, &f.type_, otc_mandatory(f)));
            }
        } else if !matches!(method.as_str(), "GET" | "DELETE") {
            page.request_fields = types.body(parameter);
        }
    }
    add_route_parameters(&mut page);
    if let Some(result) = function
        .results
        .iter()
        .find(|r| r.name().is_some_and(|n| package.structs.contains_key(n)))
    {
        page.response_fields = types.body(result);
    }
    page.nested = types.nested;
    Some(Operation {
        sdk: Sdk::Otc,
        service: service.to_owned(),
        name: function.name.clone(),
        page,
    })
}

/// Every placeholder of the route the SDK fills without a request field (`project_id`, from
/// the client's configuration) is a mandatory string path parameter.
fn add_route_parameters(page: &mut Page) {
    let route = page.route.clone().unwrap_or_default();
    for placeholder in route.split('{').skip(1).filter_map(|r| r.split_once('}')) {
        let name = placeholder.0;
        if !page.path_parameters.iter().any(|p| p.name == name) {
            page.path_parameters.push(Field {
                name: name.to_owned(),
                mandatory: Some(true),
                type_: "String".into(),
                description: "A placeholder of the SDK's route.".into(),
                ..Field::default()
            });
        }
    }
}

/// The Huawei SDK requires every field without `omitempty`.
fn huawei_mandatory(field: &GoField) -> Option<bool> {
    Some(!field.omitempty)
}

/// The OTC SDK: `required:"true"` requires, `omitempty` leaves optional; a field with neither is
/// always sent (its zero value), which says nothing either way.
fn otc_mandatory(field: &GoField) -> Option<bool> {
    if field.required_tag {
        Some(true)
    } else if field.omitempty {
        Some(false)
    } else {
        None
    }
}

/// Go types as a page's type column would write them, with each struct a nested table.
struct Types<'a> {
    package: &'a GoFile,
    /// What the SDK's tags say of a field's being required.
    mandatory: fn(&GoField) -> Option<bool>,
    nested: BTreeMap<String, Vec<Field>>,
    /// Structs whose table is being built: a struct that contains itself is listed once.
    building: BTreeSet<String>,
}

/// How many aliases and pointers a type is followed through.
const MAX_RESOLVE: usize = 16;

impl<'a> Types<'a> {
    fn new(package: &'a GoFile, mandatory: fn(&GoField) -> Option<bool>) -> Self {
        Types {
            package,
            mandatory,
            nested: BTreeMap::new(),
            building: BTreeSet::new(),
        }
    }

    /// The fields of a body type: a struct's, or an array's items'.
    fn body(&mut self, type_: &GoType) -> Vec<Field> {
        let mut type_ = self.resolve(type_);
        if let GoType::Slice(items) = type_ {
            type_ = self.resolve(&items);
        }
        match type_.name().and_then(|n| self.package.structs.get(n)) {
            Some(fields) => self.fields(fields.iter()),
            None => Vec::new(),
        }
    }

    fn fields<'f>(&mut self, fields: impl Iterator<Item = &'f GoField>) -> Vec<Field> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        self.fields_into(fields, &mut out, &mut seen, 0);
        out
    }

    fn fields_into<'f>(
        &mut self,
        fields: impl Iterator<Item = &'f GoField>,
        out: &mut Vec<Field>,
        seen: &mut BTreeSet<String>,
        depth: usize,
    ) {
        for go in fields {
            if go.json.as_deref() == Some("-") {
                continue;
            }
            if go.embedded && go.json.is_none() {
                let promoted = go
                    .type_
                    .name()
                    .and_then(|n| self.package.structs.get(n))
                    .filter(|_| depth < MAX_RESOLVE);
                if let Some(promoted) = promoted {
                    self.fields_into(promoted.iter(), out, seen, depth + 1);
                }
                continue;
            }
            let name = go
                .json
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| go.name.clone());
            if seen.insert(name.clone()) {
                let mandatory = (self.mandatory)(go);
                out.push(self.field(name, &go.type_, mandatory));
            }
        }
    }

    /// Through aliases (`type Status string`) and pointers, to what it stands for.
    fn resolve(&self, type_: &GoType) -> GoType {
        let mut current = type_.pointee().clone();
        for _ in 0..MAX_RESOLVE {
            match &current {
                GoType::Named(name) if self.package.aliases.contains_key(name) => {
                    current = self.package.aliases[name].pointee().clone();
                }
                _ => break,
            }
        }
        current
    }

    fn field(&mut self, name: String, type_: &GoType, mandatory: Option<bool>) -> Field {
        let (words, type_name, values) = self.describe(type_, 0);
        Field {
            name,
            mandatory,
            type_: words,
            type_name,
            values,
            description: String::new(),
            ..Field::default()
        }
    }

    /// The type column's words (`String`, `Array of Job objects`), the nested table's name, and
    /// an enum's values.
    fn describe(&mut self, type_: &GoType, depth: usize) -> (String, Option<String>, Vec<String>) {
        if depth > MAX_RESOLVE {
            return (String::new(), None, Vec::new());
        }
        match self.resolve(type_) {
            GoType::Named(name) => {
                if let Some(values) = self.package.enums.get(&name) {
                    let numeric = !values.is_empty()
                        && values.iter().all(|v| v.parse::<f64>().is_ok())
                        && self
                            .package
                            .structs
                            .get(&name)
                            .and_then(|f| f.first())
                            .is_some_and(|f| f.type_.name() != Some("string"));
                    let word = if numeric { "Integer" } else { "String" };
                    return (word.into(), None, values.clone());
                }
                if self.package.structs.contains_key(&name) {
                    self.table(&name);
                    return ("Object".into(), Some(name), Vec::new());
                }
                (
                    builtin(&name).unwrap_or_default().to_owned(),
                    None,
                    Vec::new(),
                )
            }
            // Dates: `time.Time` (OTC), `sdktime.SdkTime` (Huawei) are strings on the wire.
            GoType::Qualified { package, name } => match (package.as_str(), name.as_str()) {
                ("time", "Time") | ("sdktime", _) => ("String".into(), None, Vec::new()),
                ("json", "RawMessage") => (String::new(), None, Vec::new()),
                _ => (String::new(), None, Vec::new()),
            },
            GoType::Slice(items) => {
                let (inner, name, values) = self.describe(&items, depth + 1);
                let words = match (&name, inner.as_str()) {
                    (Some(name), _) => format!("Array of {name} objects"),
                    (None, "") => "Array".to_owned(),
                    (None, inner) => format!("Array of {inner}s"),
                };
                (words, name, values)
            }
            GoType::Map(_) => ("Map".into(), None, Vec::new()),
            GoType::Pointer(_) | GoType::Any => (String::new(), None, Vec::new()),
        }
    }

    /// The nested table of struct `name`, built once.
    fn table(&mut self, name: &str) {
        if self.nested.contains_key(name) || !self.building.insert(name.to_owned()) {
            return;
        }
        let fields = self.package.structs.get(name).cloned().unwrap_or_default();
        let table = self.fields(fields.iter());
        self.building.remove(name);
        self.nested.insert(name.to_owned(), table);
    }
}

/// A predeclared Go type in the type column's words.
fn builtin(name: &str) -> Option<&'static str> {
    Some(match name {
        "string" => "String",
        "bool" => "Boolean",
        "int" | "int8" | "int16" | "int32" | "int64" | "uint" | "uint8" | "uint16" | "uint32"
        | "uint64" => "Integer",
        "float32" | "float64" => "Number",
        _ => return None,
    })
}

/// Compares every operation of `specs` with its SDK operations (see [`matches()`]).
pub fn check(specs: &[Spec], operations: &[Operation]) -> super::check::Outcome {
    super::check::check_against(specs, super::check::SDK, |spec, method, route, op| {
        let id = op.operation_id.as_deref().unwrap_or_default();
        matches(spec, method, route, id, operations)
            .into_iter()
            .map(|o| &o.page)
            .collect()
    })
}

/// The SDK operations an operation of `spec` is compared with: per SDK, the one of the spec's
/// service named like it (the operationId is the SDK name in snake case) on the same route, else
/// the only one so named, else the one on the same method and route.
pub fn matches<'o>(
    spec: &Spec,
    method: &str,
    route: &str,
    operation_id: &str,
    operations: &'o [Operation],
) -> Vec<&'o Operation> {
    let stem = spec
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let same_route = |o: &Operation| {
        o.page
            .method
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case(method))
            && o.page.route.as_deref().map(super::route_shape) == Some(super::route_shape(route))
    };
    let mut found = Vec::new();
    for sdk in [Sdk::Huawei, Sdk::Otc] {
        let candidates: Vec<&Operation> = operations
            .iter()
            .filter(|o| o.sdk == sdk && stem.starts_with(&format!("{}-", o.service)))
            .collect();
        let named: Vec<&Operation> = candidates
            .iter()
            .copied()
            .filter(|o| heck::ToSnakeCase::to_snake_case(o.name.as_str()) == operation_id)
            .collect();
        let chosen = named
            .iter()
            .copied()
            .find(|o| same_route(o))
            .or_else(|| (named.len() == 1).then(|| named[0]))
            .or_else(|| candidates.iter().copied().find(|o| same_route(o)));
        found.extend(chosen);
    }
    found
}

#[cfg(test)]
mod tests;
