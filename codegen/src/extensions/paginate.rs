//! `x-paginate`: a list operation's paging (`page`, `style`, `first`, `items`, `total`, `next`),
//! checked by lint rule `paginate` and turned into `.stream()` on its builder.

use serde_json::Value;

use crate::{
    diagnostics::{Report, segment},
    spec_json::*,
};
use std::fmt::Write as _;

use crate::{
    error::Error,
    naming::{builder_name, method_name},
    spec::*,
};

/// The extension's key on an operation.
pub const KEY: &str = "x-paginate";

/// What the emitter adds to the operation's builder.
pub const BUILDER_MEMBERS: &[&str] = &["stream"];

/// `x-paginate` names what codegen's `.stream()` needs: a query parameter of the operation
/// (`page`), a `style` (`number`, `offset` or `marker`), and in the success response an `items`
/// array of a component, an optional integer `total` (number and offset), or the string field
/// (or dotted path) holding the `next` marker (marker). Codegen skips a declaration it cannot
/// use, so every part is checked here.
pub(crate) fn paginations(doc: &Value, report: &mut Report) {
    for (route, item, method, op) in operations(doc) {
        let Some(declared) = op.get("x-paginate") else {
            continue;
        };
        inline_responses(doc, op, &at(route, method), "paginate", report);
        let at = format!("{}/x-paginate", at(route, method));
        let hint = "declare `x-paginate: {page: <query parameter>, style: number|offset, first: 0|1, items: <array field>, total: <integer field>}`, or `{page: <query parameter>, style: marker, items: <array field>, next: <string field, or dotted path>}`";
        let text = |key: &str| declared.get(key).and_then(Value::as_str);
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
        if !matches!(style, Some("number" | "offset" | "marker")) {
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
        for key in refuses.iter().filter(|key| declared.get(**key).is_some()) {
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
        let property =
            |name: &str| success.and_then(|s| s.pointer(&format!("/properties/{}", segment(name))));
        match text("items") {
            Some(items) => {
                let array_of_component = property(items).is_some_and(|p| {
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
            && property(total)
                .and_then(|p| p.get("type"))
                .and_then(Value::as_str)
                != Some("integer")
        {
            report.add(
                format!("{at}/total"),
                "paginate",
                format!("`{total}` is not an integer field of the success response"),
                hint,
            );
        }
    }
}

/// `.stream()` on the builder of every list operation its spec declares with `x-paginate`
/// (`page`: the page or offset parameter, `style`: `number` (with `first`) or `offset`,
/// `items` and optional `total`: fields of the success response). `lint` checks the
/// declaration; what it names is read from the spec here.
pub(crate) fn emit(spec: &Spec) -> Result<String, Error> {
    let mut out = String::new();
    for (_, _, op) in spec.operations() {
        let Some(declared) = op.extensions.get("x-paginate") else {
            continue;
        };
        // Lint rule `paginate` refuses what cannot be emitted; what still cannot is an error,
        // never a paginator silently left out.
        let id = op.operation_id.as_deref().unwrap_or_default();
        let unsupported = |message: &str| Error::Unsupported {
            path: spec.path.clone(),
            message: format!("operation `{id}`: x-paginate: {message}"),
            hint: "declare a paginator that lint rule `paginate` accepts".into(),
        };
        let text = |key: &str| declared.get(key).and_then(serde_json::Value::as_str);
        let (Some(page), Some(items)) = (text("page"), text("items")) else {
            return Err(unsupported("`page` or `items` is missing"));
        };
        let paging = match text("style") {
            Some("offset") => "cloud_runtime::paginate::Paging::Offset".to_owned(),
            _ => format!(
                "cloud_runtime::paginate::Paging::Number {{ first: {} }}",
                declared
                    .get("first")
                    .and_then(serde_json::Value::as_u64)
                    .unwrap_or(1)
            ),
        };
        let (success, error) = response_components(spec, op);
        let success =
            success.ok_or_else(|| unsupported("the success response is not a component schema"))?;
        let item = array_item_component(spec, &success, items)
            .ok_or_else(|| unsupported("`items` is not an array of a component schema"))?;
        let error = type_path(error.as_deref());
        let builder = builder_name(id);
        if text("style") == Some("marker") {
            // `markers.next`: each step an optional field of the owned response.
            let next = text("next").ok_or_else(|| unsupported("`next` is missing"))?;
            let mut steps = next.split('.').map(method_name);
            let first = steps.next().unwrap_or_default();
            let next = steps.fold(format!("value.{first}"), |chain, step| {
                format!("{chain}.and_then(|value| value.{step})")
            });
            let _ = write!(
                out,
                "\nimpl<'a> builder::{builder}<'a> {{\n    /// Every item across the pages, as one stream: the first page as you set it, then each\n    /// page after the marker the last one gave, fetched lazily, each once, until a page comes\n    /// back empty or without a next marker. Declared in the spec by `x-paginate`.\n    pub fn stream(self) -> cloud_runtime::paginate::Items<'a, types::{item}, Error<{error}>> {{\n        cloud_runtime::paginate::items_after_marker(self, |request, marker| async move {{\n            let request = match marker {{\n                Some(marker) => request.{setter}(marker),\n                None => request,\n            }};\n            let value = request.send().await?.into_inner();\n            Ok(cloud_runtime::paginate::MarkedPage {{\n                items: value.{items_field}.unwrap_or_default(),\n                next: {next},\n            }})\n        }})\n    }}\n}}\n",
                setter = method_name(page),
                items_field = method_name(items),
            );
            continue;
        }
        let total = match text("total") {
            Some(total) => format!(
                "value.{}.and_then(|t| u64::try_from(t).ok())",
                method_name(total)
            ),
            None => "None".to_owned(),
        };
        let _ = write!(
            out,
            "\nimpl<'a> builder::{builder}<'a> {{\n    /// Every item across the pages, as one stream: pages are fetched lazily, each once, and\n    /// the stream ends at the documented total, an empty page, or a page shorter than the\n    /// first (the page size is what you set). Declared in the spec by `x-paginate`.\n    pub fn stream(self) -> cloud_runtime::paginate::Items<'a, types::{item}, Error<{error}>> {{\n        cloud_runtime::paginate::items(self, {paging}, |request, page| async move {{\n            let value = request.{setter}(page).send().await?.into_inner();\n            Ok(cloud_runtime::paginate::Page {{\n                items: value.{items_field}.unwrap_or_default(),\n                total: {total},\n            }})\n        }})\n    }}\n}}\n",
            setter = method_name(page),
            items_field = method_name(items),
        );
    }
    Ok(out)
}
