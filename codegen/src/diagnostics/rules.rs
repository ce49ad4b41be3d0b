//! What each rule checks, in one sentence and a line of help: SARIF's rule metadata
//! (`shortDescription`, `help`), so code-scanning tools show a rule's purpose beside its results.
//! A test holds this table to the registry: every rule that can be reported has an entry.

/// A rule's one-line description and its general help; each problem's own hint is specific.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    pub name: &'static str,
    pub description: &'static str,
    pub help: &'static str,
}

const fn rule(name: &'static str, description: &'static str, help: &'static str) -> RuleInfo {
    RuleInfo {
        name,
        description,
        help,
    }
}

/// Every rule a problem may name: the spec and cassette registries, `read` (the loader's), and
/// the drifts `docs check` reports.
pub const RULES: &[RuleInfo] = &[
    rule(
        "file-name",
        "A spec file's name must name a crate.",
        "Name spec files `<service>-v<version>.yaml` in lowercase letters, digits, `-` and `.`.",
    ),
    rule(
        "crate-name",
        "The crates a spec makes must be names Cargo loads and no other spec makes.",
        "Rename the spec file so its crate, `-cli` and `-mock` names are valid and unique.",
    ),
    rule(
        "read",
        "A spec must be a readable regular UTF-8 file.",
        "Replace a link by a copy of its target; save the file as UTF-8.",
    ),
    rule(
        "yaml",
        "A spec must be one YAML document, nested at most 64 levels, with merge keys holding mappings.",
        "Fix the YAML syntax at the reported line; name deep schemas as components.",
    ),
    rule(
        "duplicate-key",
        "A key appears at most once per mapping (YAML readers keep only the last).",
        "Merge the two entries into one.",
    ),
    rule(
        "number",
        "Numbers are finite (`.inf` and `.nan` have no JSON form).",
        "Give a finite bound, or leave the keyword out.",
    ),
    rule(
        "ref-cycle",
        "A schema must not be only a reference to itself, directly or through others.",
        "Give the schema a type, or reference the schema it stands for.",
    ),
    rule(
        "rust-name",
        "Names must become distinct Rust identifiers that generated code does not already use.",
        "Rename the property, parameter or operation, or give it `x-doc-name` for the page's name.",
    ),
    rule(
        "route",
        "Routes start with `/`, have no empty segment, and differ by more than parameter names.",
        "Write the route as the vendor's page does, once per method.",
    ),
    rule(
        "header-parameter",
        "Header parameters are HTTP header names the runtime does not set itself.",
        "Use a valid header name; leave authentication and signing headers to the runtime.",
    ),
    rule(
        "text",
        "Text that becomes doc comments holds no control characters and closes its code blocks.",
        "Remove the control character; close the ``` block or indent it as text.",
    ),
    rule(
        "openapi-document",
        "The document has the OpenAPI 3.0 structure openapiv3 reads.",
        "`openapi`, `info` (title, version) and `paths` are required, each field with its documented type.",
    ),
    rule(
        "openapi-version",
        "The document is OpenAPI 3.0.x.",
        "Write `openapi: 3.0.3`.",
    ),
    rule(
        "servers-and-tags",
        "The document names its servers and tags.",
        "Add `servers` with the service's endpoint and `tags` for its operations.",
    ),
    rule(
        "ref",
        "Every `$ref` resolves inside the document.",
        "Point the reference at an existing component (`#/components/...`).",
    ),
    rule(
        "operation-id",
        "Every operation has a unique snake_case `operationId`.",
        "Give the operation a unique snake_case `operationId`.",
    ),
    rule(
        "documented",
        "Every operation has a summary and a description.",
        "Describe the operation as its vendor page does.",
    ),
    rule(
        "path-parameters",
        "Path parameters are declared, required, and named in the route.",
        "Declare each `{name}` of the route as a required `in: path` parameter.",
    ),
    rule(
        "duplicate-parameter",
        "A parameter is declared once per operation.",
        "Remove the second declaration.",
    ),
    rule(
        "media-schema",
        "Every JSON content has a schema.",
        "Give the content a `schema`.",
    ),
    rule(
        "success-schemas",
        "An operation's success responses share one body type.",
        "Give every 2xx response the same schema, or none.",
    ),
    rule(
        "error-schemas",
        "An operation's error responses share one body type.",
        "Give every error response the same schema, or none.",
    ),
    rule(
        "default-response",
        "`default` is not declared beside a typed success response.",
        "Declare the error statuses the page documents instead of `default`.",
    ),
    rule(
        "responses",
        "Every operation declares at least one response.",
        "Declare the responses the page documents.",
    ),
    rule(
        "enum",
        "Enums are non-empty, without repeated values.",
        "List each documented value once.",
    ),
    rule(
        "pattern",
        "Patterns are regular expressions the client can compile.",
        "Write the pattern in the ECMAScript syntax the runtime accepts, or leave it out.",
    ),
    rule(
        "example",
        "Examples match their schema.",
        "Correct the example, or the schema if the service really sends this.",
    ),
    rule(
        "response-constraints",
        "Responses decode what services send: no required fields, lengths, patterns, ranges, formats or closed enums.",
        "Leave constraints to requests; make response enums open.",
    ),
    rule(
        "request-enum",
        "Request enums are components, so they can be handed to progenitor open.",
        "Move the inline enum to `components/schemas` and `$ref` it.",
    ),
    rule(
        "secret",
        "Secret request fields are marked, typed as writeOnly strings, and unconstrained.",
        "Mark the field `format: password, writeOnly: true`, or rename it.",
    ),
    rule(
        "nullable-union",
        "A named union is not nullable (typify would make it contain itself).",
        "Make the properties that hold it nullable instead.",
    ),
    rule(
        "nullable-type",
        "`nullable: true` stands beside a `type`.",
        "Add the `type`, or wrap the reference in `allOf` with `nullable`.",
    ),
    rule(
        "progenitor",
        "Progenitor generates the operation.",
        "Reduce the spec to the operation that triggers it, and report it.",
    ),
    rule(
        "doc-page",
        "Every operation names its vendor page (`x-doc-page`), and every `x-doc-deviation` gives a reason.",
        "Add `x-doc-page: <page id>`; say why the spec differs from its page.",
    ),
    rule(
        "idempotent",
        "`x-idempotent` is `true` or `false`.",
        "Write `x-idempotent: true` on an operation that is safe to send twice.",
    ),
    rule(
        "phase",
        "`x-phase` maps every value of a status enum (or documented integer) to one shared phase.",
        "Map each value to one of queued, running, succeeded, failed, cancelled.",
    ),
    rule(
        "paginate",
        "`x-paginate` names a query parameter, a style and the response fields paging needs.",
        "Declare `x-paginate: {page, style, first, items, total}` or `{page, style: marker, items, next}`.",
    ),
    rule(
        "waiter",
        "`x-waiters` entries poll a status field with a phase, with known keys only.",
        "Declare `x-waiters: [{name, status, success, failure, gone, after, message, id}]`.",
    ),
    rule(
        "cancel",
        "`x-cancel` reads a cancel operation's answers with known keys, naming an until-stopped waiter.",
        "Declare `x-cancel: {waiter, ambiguous, success_flag, code, message, not_found, finished, not_found_statuses, per_item}`.",
    ),
    rule(
        "cassette-json",
        "A cassette is readable JSON with the cassette's members.",
        "Fix the JSON syntax, or re-record the exchange.",
    ),
    rule(
        "cassette-operation",
        "A cassette records an operation of its crate's spec.",
        "Use the spec's `operationId`; keep cassettes in `tests/cassettes/<crate>/`.",
    ),
    rule(
        "cassette-request",
        "A cassette's request is the one its operation sends.",
        "Correct the method, path or query to the operation's.",
    ),
    rule(
        "cassette-request-body",
        "A cassette's request body matches the operation's request schema.",
        "Correct the recorded body, or the schema.",
    ),
    rule(
        "cassette-secret",
        "A secret request field is scrubbed in a cassette.",
        "Replace the value with the scrubbed placeholder.",
    ),
    rule(
        "cassette-status",
        "A cassette's status is one its operation declares.",
        "Record a declared status, or declare it in the spec.",
    ),
    rule(
        "cassette-response-body",
        "A cassette's response body matches the declared schema of its status.",
        "Fix the recording, or the schema if the service really sends this.",
    ),
    rule(
        "cassette-credential",
        "A cassette holds no credential, account or project identifier.",
        "Scrub it as record mode does.",
    ),
    rule(
        "cassette-name",
        "A cassette is named `<operation_id>.<status>[.<case>].json` after what it records.",
        "Rename the file after its operation and status.",
    ),
    rule(
        "cassette-file",
        "Everything below the cassettes directory is a regular file.",
        "Make it a regular file (a copy, not a link), or remove it.",
    ),
    rule(
        "docs-route",
        "An operation's method and route are its vendor page's.",
        "Correct the route, or declare why it differs with `x-doc-deviation`.",
    ),
    rule(
        "docs-parameter",
        "An operation's parameters are its vendor page's.",
        "Correct the parameter, or declare why it differs with `x-doc-deviation`.",
    ),
    rule(
        "docs-request-field",
        "A request body's fields are its vendor page's.",
        "Correct the field, or declare why it differs with `x-doc-deviation`.",
    ),
    rule(
        "docs-response-field",
        "A response body's fields are its vendor page's.",
        "Correct the field, or declare why it differs with `x-doc-deviation`.",
    ),
    rule(
        "docs-status",
        "An operation's statuses are its vendor page's.",
        "Correct the responses, or declare why they differ with `x-doc-deviation`.",
    ),
    rule(
        "sdk-deviation",
        "A difference from the vendor's SDK kept on purpose says why (`x-sdk-deviation`), and `x-sdk-name` names the SDK's field.",
        "Give the reason (the OTC page and SDK agree against it, real traffic, ...), or the field's JSON tag in the vendor SDK.",
    ),
];

/// What rule `name` checks; a rule missing here (a test forbids it) gets a generic entry.
pub fn rule_info(name: &'static str) -> RuleInfo {
    RULES
        .iter()
        .find(|r| r.name == name)
        .copied()
        .unwrap_or(RuleInfo {
            name,
            description: "A rule of `cargo xtask lint`.",
            help: "See the problem's hint.",
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{CASSETTE_RULES, SPEC_RULES};

    /// Every registered rule is described, once.
    #[test]
    fn every_rule_is_described_once() {
        for name in SPEC_RULES.iter().chain(CASSETTE_RULES) {
            assert_eq!(
                RULES.iter().filter(|r| r.name == *name).count(),
                1,
                "rule `{name}`: describe it once in diagnostics/rules.rs"
            );
        }
        for rule in RULES {
            assert!(
                !rule.description.is_empty() && !rule.help.is_empty(),
                "{}",
                rule.name
            );
        }
    }
}
