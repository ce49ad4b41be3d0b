//! What the runtime knows of each operation, from the spec through codegen: its route, which
//! statuses its docs list, whether it may be sent twice. Each generated crate emits one
//! `OPERATIONS` table of these; its hooks hand the runtime a [`Call`] per request.

/// One operation of a generated crate, as codegen read it from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: &'static str,
    /// Upper case: `GET`.
    pub method: &'static str,
    /// The route template: `/v1.0/{project_id}/jobs/{job_id}`.
    pub route: &'static str,
    /// Whether sending it twice does no harm (GET, DELETE, `x-idempotent` cancels): only then
    /// is it retried.
    pub retry_safe: bool,
    /// Every status the docs list. A response with another is an error whose text names the
    /// operation, the status and an excerpt of the body.
    pub statuses: &'static [u16],
    /// The listed statuses whose body is JSON. A body there that is not JSON (a gateway's HTML
    /// page) is an error with an excerpt, not a decoding error holding the whole body.
    pub json_statuses: &'static [u16],
    /// The documented integer ranges of its parameters and request body fields, checked before
    /// anything is sent.
    pub limits: &'static [Limit],
    /// JSON pointers into the request body of the fields the spec marks secret (`format:
    /// password`), `*` standing for any array index or map key: what a recording replaces.
    pub secrets: &'static [&'static str],
}

/// A documented integer range (`minimum`, `maximum`) of one parameter or request body field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub place: Place,
    /// The parameter's name, or the body field's JSON pointer (`/page_size`).
    pub name: &'static str,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// Where a [`Limit`]'s value is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Query,
    Path,
    Header,
    Body,
}

impl Place {
    pub fn as_str(self) -> &'static str {
        match self {
            Place::Query => "query parameter",
            Place::Path => "path parameter",
            Place::Header => "header",
            Place::Body => "request body field",
        }
    }
}

/// Whether a body of a documented JSON status of `operation_id` decodes as the type the
/// generated code reads it into (`Err` with the decoder's message). Each generated crate emits
/// one, so that the runtime can refuse an undecodable body with a bounded message before the
/// generated code would quote it whole. Asked to [`Decoding::Reencode`], it also returns the
/// typed value written back as JSON (`None` when the operation reads no typed body there).
pub type Decodes = fn(
    operation_id: &str,
    status: u16,
    body: &[u8],
    decoding: Decoding,
) -> Result<Option<serde_json::Value>, String>;

/// What a [`Decodes`] is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    /// Only whether the body decodes (every call's check: nothing is written back).
    Check,
    /// The typed value written back as JSON too: record mode compares it with the body to find
    /// the members the spec does not model.
    Reencode,
}

impl Operation {
    /// The entry for `id` in a table sorted by id.
    pub fn find(table: &'static [Operation], id: &str) -> Option<&'static Operation> {
        table
            .binary_search_by(|operation| operation.id.cmp(id))
            .ok()
            .map(|index| &table[index])
    }
}

/// One call of an operation: what the generated hooks pass to [`crate::Runtime`].
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    pub operation_id: &'a str,
    /// `None` when the crate's table lacks the operation (a hand-made or stale table): the
    /// runtime then refuses to send.
    pub operation: Option<&'static Operation>,
    /// The base URL the client was built with; its path, if any, comes before the route.
    pub base_url: &'a str,
    /// The crate's decoder check; without one, bodies are checked to be JSON only.
    pub decodes: Option<Decodes>,
}

impl<'a> Call<'a> {
    pub fn new(table: &'static [Operation], operation_id: &'a str, base_url: &'a str) -> Self {
        Call {
            operation_id,
            operation: Operation::find(table, operation_id),
            base_url,
            decodes: None,
        }
    }

    /// With the crate's decoder check.
    pub fn decoding(mut self, decodes: Decodes) -> Self {
        self.decodes = Some(decodes);
        self
    }

    pub fn retry_safe(&self) -> bool {
        self.operation.is_some_and(|operation| operation.retry_safe)
    }
}
