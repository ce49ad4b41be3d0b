//! `x-paginate`: a list operation's paging (`page`, `style`, `first`, `items`, `total`, `next`),
//! checked by lint rule `paginate` and turned into `.stream()` on its builder.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    diagnostics::Report,
    error::Error,
    naming::{builder_name, method_name},
    runtime_contract::Paging,
    spec::*,
    spec_json::*,
};

/// The extension's key on an operation.
pub const KEY: &str = "x-paginate";

/// What the emitter adds to the operation's builder.
pub const BUILDER_MEMBERS: &[&str] = &["stream"];

/// `x-paginate`, read once for lint and emitter alike.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
// serde ignores an unknown key, which would leave paging silently off: the schema flags it.
#[schemars(deny_unknown_fields)]
pub struct Paginate {
    /// The query parameter naming the page, offset or marker.
    pub page: Option<String>,
    /// `number`, `offset` or `marker`.
    pub style: Option<String>,
    /// The first page number (`number` style), 0 or 1.
    pub first: Option<u32>,
    /// The array field of the success response holding the items.
    pub items: Option<String>,
    /// The integer field holding the total (`number` and `offset`).
    pub total: Option<String>,
    /// The string field (or dotted path) holding the next marker (`marker`).
    pub next: Option<String>,
}

impl Paginate {
    /// How it pages, when its `style` is one of [`Paging::STYLES`] (the first page of a
    /// `number` list is 1 unless `first` says 0).
    pub fn paging(&self) -> Option<Paging> {
        Paging::from_style(self.style.as_deref()?, self.first.unwrap_or(1))
    }

    /// The declaration on an operation (its extension value), or why it does not read.
    pub fn read(value: &Value) -> Result<Paginate, String> {
        Paginate::deserialize(value).map_err(|e| format!("`x-paginate` does not read: {e}"))
    }
}

/// `x-paginate` names what codegen's `.stream()` needs: a query parameter of the operation
/// (`page`), a `style` (`number`, `offset` or `marker`), and in the success response an `items`
/// array of a component, an optional integer `total` (number and offset), or the string field
/// (or dotted path) holding the `next` marker (marker). Codegen skips a declaration it cannot
/// use, so every part is checked here.
pub(crate) fn paginations(doc: &Value, report: &mut Report) {
    for (route, item, method, op) in operations(doc) {
        let Some(declared) = op.get(KEY) else {
            continue;
        };
        inline_responses(doc, op, &at(route, method), "paginate", report);
        let at = format!("{}/x-paginate", at(route, method));
        let hint = "declare `x-paginate: {page: <query parameter>, style: number|offset, first: 0|1, items: <array field>, total: <integer field>}`, or `{page: <query parameter>, style: marker, items: <array field>, next: <string field, or dotted path>}`";
        let model = match Paginate::read(declared) {
            Ok(model) => model,
            Err(problem) => {
                report.add(&at, "paginate", problem, hint);
                continue;
            }
        };
        let text = |key: &str| match key {
            "page" => model.page.as_deref(),
            "style" => model.style.as_deref(),
            "items" => model.items.as_deref(),
            "total" => model.total.as_deref(),
            "next" => model.next.as_deref(),
            _ => None,
        };
        let params: Vec<&str> = [item, op]
            .iter()
            .filter_map(|o| o.get("parameters").and_then(Value::as_array))
            .flatten()
            .map(|p| resolve(doc, p))
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
            .filter_map(|p| p.get("name").and_then(Value::as_str))
            .collect();
        match text("page") {
            Some(page) if params.contains(&page) => {}
            Some(page) => report.add(
                format!("{at}/page"),
                "paginate",
                format!("`{page}` is not a query parameter of the operation"),
                hint,
            ),
            None => report.add(&at, "paginate", "`page` is missing", hint),
        }
        let style = text("style");
        if !style.is_some_and(|style| Paging::STYLES.contains(&style)) {
            report.add(
                format!("{at}/style"),
                "paginate",
                "`style` is not `number`, `offset` or `marker`",
                hint,
            );
        }
        let success = success_schema(doc, op);
        let (needs, refuses) = match style {
            Some("marker") => ("next", ["total", "first"].as_slice()),
            _ => ("", ["next"].as_slice()),
        };
        let declared_key = |key: &str| match key {
            "total" => model.total.is_some(),
            "first" => model.first.is_some(),
            "next" => model.next.is_some(),
            _ => false,
        };
        for key in refuses.iter().filter(|key| declared_key(key)) {
            report.add(
                format!("{at}/{key}"),
                "paginate",
                format!(
                    "`{key}` does not belong to style `{}`",
                    style.unwrap_or_default()
                ),
                hint,
            );
        }
        if !needs.is_empty() {
            match text(needs).map(|next| (next, field_at(doc, success, next))) {
                None => report.add(&at, "paginate", format!("`{needs}` is missing"), hint),
                Some((_, Ok(field)))
                    if field.get("type").and_then(Value::as_str) == Some("string") => {}
                Some((next, Ok(_))) => report.add(
                    format!("{at}/next"),
                    "paginate",
                    format!("`{next}` is not a string field of the success response"),
                    hint,
                ),
                Some((_, Err(problem))) => {
                    report.add(format!("{at}/next"), "paginate", problem, hint);
                }
            }
        }
        // `items` and `total` may be dotted paths (`job_list.jobs`), like `next`.
        let field = |path: &str| field_at(doc, success, path).ok();
        match text("items") {
            Some(items) => {
                let array_of_component = field(items).is_some_and(|p| {
                    p.get("type").and_then(Value::as_str) == Some("array")
                        && p.pointer("/items/$ref")
                            .and_then(Value::as_str)
                            .is_some_and(|r| r.starts_with("#/components/schemas/"))
                });
                if !array_of_component {
                    report.add(format!("{at}/items"), "paginate", format!("`{items}` is not an array of a component schema in the success response"), hint);
                }
            }
            None => report.add(&at, "paginate", "`items` is missing", hint),
        }
        if let Some(total) = text("total")
            && !field(total).is_some_and(|schema| countable(doc, schema))
        {
            report.add(
                format!("{at}/total"),
                "paginate",
                format!("`{total}` is not an integer field (or integer-or-string) of the success response"),
                hint,
            );
        }
    }
}

/// Whether a total's schema reads as a count: an integer, or a `oneOf`/`anyOf` of integers and
/// strings with an integer among them (a number the page types String and the SDK integer).
fn countable(doc: &Value, schema: &Value) -> bool {
    let kind = |schema: &Value| {
        resolve_schema(doc, schema)
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    if kind(schema).as_deref() == Some("integer") {
        return true;
    }
    let branches: Vec<Option<String>> = ["oneOf", "anyOf"]
        .iter()
        .filter_map(|key| schema.get(*key).and_then(Value::as_array))
        .flatten()
        .map(kind)
        .collect();
    branches.iter().any(|k| k.as_deref() == Some("integer"))
        && branches
            .iter()
            .all(|k| matches!(k.as_deref(), Some("integer" | "string")))
}

/// `.stream()` on the builder of every list operation its spec declares with `x-paginate`
/// (`page`: the page, offset or marker parameter, `style`, `items`, and `total` or `next`:
/// fields of the success response). Lint rule `paginate` refuses what cannot be emitted; what
/// still cannot is an error naming the operation, never a paginator silently left out.
pub(crate) fn emit(spec: &Spec) -> Result<String, Error> {
    use quote::quote;
    let mut impls = Vec::new();
    for (_, _, op) in spec.operations() {
        let Some(declared) = op.extensions.get(KEY) else {
            continue;
        };
        let id = op.operation_id.as_deref().unwrap_or_default();
        let unsupported = |message: &str| Error::Unsupported {
            path: spec.path.clone(),
            message: format!("operation `{id}`: x-paginate: {message}"),
            hint: "declare a paginator that lint rule `paginate` accepts".into(),
        };
        let model = Paginate::read(declared).map_err(|problem| unsupported(&problem))?;
        let (Some(page), Some(items)) = (model.page.as_deref(), model.items.as_deref()) else {
            return Err(unsupported("`page` or `items` is missing"));
        };
        let (success, error) = response_components(spec, op);
        let success =
            success.ok_or_else(|| unsupported("the success response is not a component schema"))?;
        let item = array_item_component(spec, &success, items)
            .ok_or_else(|| unsupported("`items` is not an array of a component schema"))?;
        let ident = |name: &str| {
            syn::parse_str::<syn::Ident>(name)
                .map_err(|_| unsupported(&format!("`{name}` is not a Rust identifier")))
        };
        let builder = ident(&builder_name(id))?;
        let item = ident(&item)?;
        let error: syn::Type = syn::parse_str(&type_path(error.as_deref()))
            .map_err(|e| unsupported(&e.to_string()))?;
        let setter = ident(&method_name(page))?;
        // `a.b.c`: each step an optional field of the owned response.
        // `a.b.c` read from the answer `value`, each step an optional field: moved out
        // (`value.a.and_then(|value| value.b)`), or by reference, read before the items move
        // (`value.a.as_ref().and_then(|value| value.b.as_ref())`).
        let read = |path: &str, by_reference: bool| -> Result<proc_macro2::TokenStream, Error> {
            let steps: Vec<syn::Ident> = path
                .split('.')
                .map(|step| ident(&method_name(step)))
                .collect::<Result<_, _>>()?;
            let (last, walk) = steps
                .split_last()
                .ok_or_else(|| unsupported("an empty field path"))?;
            let borrow = by_reference.then(|| quote!(.as_ref()));
            let mut chain = quote!(value);
            for (i, step) in walk.iter().enumerate() {
                chain = if i == 0 {
                    quote!(#chain.#step #borrow)
                } else {
                    quote!(#chain.and_then(|value| value.#step #borrow))
                };
            }
            Ok(if walk.is_empty() {
                quote!(value.#last #borrow)
            } else {
                quote!(#chain.and_then(|value| value.#last #borrow))
            })
        };
        let items_read = read(items, false)?;
        let stream = if model.style.as_deref() == Some("marker") {
            let next = model
                .next
                .as_deref()
                .ok_or_else(|| unsupported("`next` is missing"))?;
            let next = read(next, false)?;
            quote! {
                /// Every item across the pages, as one stream: the first page as you set it, then
                /// each page after the marker the last one gave, fetched lazily, each once. The
                /// stream ends at a page that is empty, has no next marker, or repeats one already
                /// read, and after at most `.max_pages(n)` pages (an error then says the list went
                /// on). Declared in the spec by `x-paginate`.
                pub fn stream(self) -> cloud_runtime::paginate::Items<'a, types::#item, Error<#error>> {
                    cloud_runtime::paginate::items_after_marker(self, |request, marker| async move {
                        let request = match marker {
                            Some(marker) => request.#setter(marker),
                            None => request,
                        };
                        let value = request.send().await?.into_inner();
                        Ok(cloud_runtime::paginate::MarkedPage {
                            items: #items_read.unwrap_or_default(),
                            next: #next,
                        })
                    })
                }
            }
        } else {
            let paging: proc_macro2::TokenStream = model
                .paging()
                .unwrap_or(Paging::Number { first: 1 })
                .rust_expression()
                .parse()
                .map_err(|e| Error::Format {
                    path: spec.path.clone(),
                    message: format!("paging expression: {e}"),
                })?;
            // Read by reference, before the items move out of the answer, as a count: an
            // integer, or a string of one where page and SDK disagree (MRS `clusterTotal`).
            let total = match model.total.as_deref() {
                Some(total) => {
                    let total = read(total, true)?;
                    quote!(#total.and_then(cloud_runtime::paginate::count))
                }
                None => quote!(None),
            };
            quote! {
                /// Every item across the pages, as one stream: pages are fetched lazily, each
                /// once. The stream ends at the documented total (the smallest any page gave), an
                /// empty page, a page shorter than the first (the page size is what you set), a
                /// page repeating one already read, and after at most `.max_pages(n)` pages (an
                /// error then says the list went on). Declared in the spec by `x-paginate`.
                pub fn stream(self) -> cloud_runtime::paginate::Items<'a, types::#item, Error<#error>> {
                    cloud_runtime::paginate::items(self, #paging, |request, page| async move {
                        let value = request.#setter(page).send().await?.into_inner();
                        let total = #total;
                        Ok(cloud_runtime::paginate::Page {
                            items: #items_read.unwrap_or_default(),
                            total,
                        })
                    })
                }
            }
        };
        impls.push(quote! {
            impl<'a> builder::#builder<'a> {
                #stream
            }
        });
    }
    if impls.is_empty() {
        return Ok(String::new());
    }
    crate::formatting::section(&spec.path, "paginators", quote!(#(#impls)*))
}

#[cfg(test)]
mod tests {
    /// Items and total nested in the answer (`job_list.jobs`, Flink's list) are read through
    /// each optional step, and lint accepts the dotted paths.
    #[test]
    fn nested_items_and_totals_are_read_step_by_step() {
        let yaml = r#"
openapi: 3.0.3
info: {title: t, version: v1}
servers: [{url: 'https://jobs.example.com'}]
tags: [{name: jobs}]
paths:
  /v1/jobs:
    get:
      operationId: list_jobs
      x-doc-page: test_02_8701
      x-paginate: {page: offset, style: offset, items: job_list.jobs, total: job_list.total_count}
      summary: List jobs.
      description: Lists jobs.
      tags: [jobs]
      parameters:
        - {name: offset, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/JobListResult'}}}
components:
  schemas:
    JobListResult:
      type: object
      properties:
        job_list: {$ref: '#/components/schemas/JobList'}
    JobList:
      type: object
      properties:
        total_count: {type: integer}
        jobs: {type: array, nullable: true, items: {$ref: '#/components/schemas/Job'}}
    Job:
      type: object
      properties:
        name: {type: string}
"#;
        let document: serde_json::Value = serde_yaml::from_str(yaml).unwrap();
        let path = std::path::Path::new("specs/t-v1.yaml");
        let mut report = crate::lint::Report::new(path);
        super::paginations(&document, &mut report);
        assert!(report.problems.is_empty(), "{:#?}", report.problems);
        let spec = crate::Spec::parse(path.into(), yaml.as_bytes()).unwrap();
        let emitted = super::emit(&spec).unwrap();
        let code: String = emitted.split_whitespace().collect();
        assert!(
            code.contains("items:value.job_list.and_then(|value|value.jobs).unwrap_or_default()"),
            "{emitted}"
        );
        assert!(
            code.contains(
                "lettotal=value.job_list.as_ref().and_then(|value|value.total_count.as_ref()).and_then(cloud_runtime::paginate::count)"
            ),
            "{emitted}"
        );
        assert!(code.contains("Items<'a,types::Job,"), "{emitted}");
    }
}
