//! `x-doc-page`, `x-doc-deviation`, `x-doc-name`: the vendor page an operation follows and the
//! differences kept on purpose, checked by lint rule `doc-page`; read by `docs check`.
//! `x-sdk-deviation`: a difference from the vendor's SDKs kept on purpose, checked by lint rule
//! `sdk-deviation`, as is `x-sdk-name` (the SDK's name of a field); read by `sdk check`. A key of its own, not `x-doc-deviation`: the page and the
//! SDK are separate witnesses, and a reason for leaving one does not say why the other is left.

use serde_json::Value;

use crate::{
    diagnostics::{Report, segment},
    spec_json::*,
};

/// On an operation: the vendor page it follows (`dli_02_0104`).
pub const PAGE: &str = "x-doc-page";
/// On any element the page describes: why the spec keeps a difference from it.
pub const DEVIATION: &str = "x-doc-deviation";
/// On any element an SDK describes: why the spec keeps a difference from it.
pub const SDK_DEVIATION: &str = "x-sdk-deviation";
/// On a parameter or property: the name the vendor SDK gives it where it differs from the page's
/// (`bootstrapScripts` for the page's `bootstrap_scripts`), so `sdk check` pairs the two.
pub const SDK_NAME: &str = "x-sdk-name";
/// On a parameter or property: the name the page gives it (`engine_type` for a parameter the
/// spec sends as `engine-type`, `Id` for a field the example calls `id`).
pub const DOC_NAME: &str = "x-doc-name";

/// Every operation names the vendor page it follows (`x-doc-page`), which `cargo xtask docs
/// check` compares it with.
pub(crate) fn doc_pages(doc: &Value, report: &mut Report) {
    for (route, _, method, op) in operations(doc) {
        let page = op.get(PAGE);
        let valid = page.and_then(Value::as_str).is_some_and(|p| {
            !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        });
        if !valid {
            report.add(
                at(route, method),
                "doc-page",
                match page {
                    None => "the operation names no doc page".to_owned(),
                    Some(other) => format!("`x-doc-page: {other}` is not a page id"),
                },
                "add `x-doc-page: <page id>`: the vendor page's `:original_name:` without `.html` (`dli_02_0104`), or its Huawei Cloud page name",
            );
        }
    }
}

/// A declared deviation from the docs or the SDKs gives its reason.
pub(crate) fn deviations(value: &Value, at: &str, report: &mut Report) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let pointer = format!("{at}/{}", segment(key));
                let no_reason = child.as_str().is_none_or(|r| r.trim().is_empty());
                if key == DEVIATION {
                    if no_reason {
                        report.add(pointer, "doc-page", "`x-doc-deviation` gives no reason", "say why the spec differs from its page (a contradiction in the docs, the vendor SDK's name, ...)");
                    }
                } else if key == SDK_DEVIATION {
                    if no_reason {
                        report.add(pointer, "sdk-deviation", "`x-sdk-deviation` gives no reason", "say why the spec differs from the vendor's SDK (the OTC page and SDK agree against it, real traffic, ...)");
                    }
                } else if key == SDK_NAME {
                    if no_reason {
                        report.add(pointer, "sdk-deviation", "`x-sdk-name` names nothing", "give the field's name in the vendor SDK (its JSON tag), or remove the key");
                    }
                } else {
                    deviations(child, &pointer, report);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                deviations(child, &format!("{at}/{i}"), report);
            }
        }
        _ => {}
    }
}
