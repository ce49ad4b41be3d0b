//! Who a check compares the specs with, and what that changes: the acknowledgement key, the
//! witness's own names, the rule names, how answers are read.

use crate::extensions::doc_page::{DEVIATION, DOC_NAME, SDK_DEVIATION, SDK_NAME};

/// Who a check compares the specs with: the vendor's pages or its SDKs. Both are read into
/// [`Page`](crate::docs::Page)s and compared alike; each has its own acknowledgement and rule names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Witness {
    /// `docs`, `sdk`: the summary's prefix and the rules' (`docs-parameter`, `sdk-parameter`).
    pub name: &'static str,
    /// How a message names it: `the page`, `the SDK`.
    pub the: &'static str,
    /// What the summary counts: `pages`, `SDK operations`.
    pub units: &'static str,
    /// The key declaring a difference kept on purpose, with its reason.
    pub deviation: &'static str,
    /// The key giving the witness's own name of a parameter or property.
    pub name_key: Option<&'static str>,
    /// Whether an answer that is an array is described by its items' fields (the SDKs), rather
    /// than as one field of type array (the pages).
    pub array_items: bool,
    /// Whether the witness reads answers' member names without regard to ASCII case (Go's
    /// `encoding/json` does: the Huawei SDK's `GroupName` reads `groupName`).
    pub answers_fold_case: bool,
}

/// The vendor's pages (`cargo xtask docs check`).
pub const DOCS: Witness = Witness {
    name: "docs",
    the: "the page",
    units: "pages",
    deviation: DEVIATION,
    name_key: Some(DOC_NAME),
    array_items: false,
    answers_fold_case: false,
};

/// The vendor's SDKs (`cargo xtask sdk check`).
pub const SDK: Witness = Witness {
    name: "sdk",
    the: "the SDK",
    units: "SDK operations",
    deviation: SDK_DEVIATION,
    name_key: Some(SDK_NAME),
    array_items: true,
    answers_fold_case: true,
};

impl Default for Witness {
    fn default() -> Self {
        DOCS
    }
}

impl Witness {
    /// The rule a kind of difference is reported under (the kinds are named for the pages).
    pub(super) fn rule(self, kind: &'static str) -> &'static str {
        if self.name == DOCS.name {
            return kind;
        }
        match kind {
            "docs-route" => "sdk-route",
            "docs-parameter" => "sdk-parameter",
            "docs-status" => "sdk-status",
            "docs-request-field" => "sdk-request-field",
            "docs-response-field" => "sdk-response-field",
            other => other,
        }
    }
}
