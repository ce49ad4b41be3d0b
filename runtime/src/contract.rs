//! What the generator must know of this crate, defined once, here.
//!
//! `codegen` compiles this very file (`#[path = "../../runtime/src/contract.rs"]`), so the
//! headers lint refuses in a spec, the paging styles `x-paginate` accepts and the phases `x-phase`
//! names are the ones this crate acts on: a change here changes both, and a rename of what this
//! file names fails this crate's build (its tests check each entry against the real item), not a
//! generated crate's. It depends on nothing, so both can compile it.

/// This crate's version, which the generated crates are written against and require: a runtime
/// release changes it (a test ties it to `Cargo.toml`), and the crates generated after it record
/// it in their model, so each of them is released again (`cargo xtask release`).
pub const VERSION: &str = "0.1.0";

/// The TLS backends, by this crate's feature names: the default (rustls with aws-lc-rs), the
/// quicker build (rustls with ring), the platform's. A generated client crate forwards each as a
/// feature of its own (the same default), so its consumer chooses one; the generated README
/// describes each by its place here.
pub const TLS_FEATURES: [&str; 3] = ["rustls", "rustls-ring", "native-tls"];

/// Headers the runtime sets on every request (lower case): a spec parameter of that name would
/// fight it (lint), a draft never proposes one, and a default header may not replace one.
pub const HEADERS_SET_BY_RUNTIME: &[&str] = &[
    "authorization",
    "content-length",
    "content-type",
    "host",
    "x-auth-token",
    "x-project-id",
    "x-sdk-content-sha256",
    "x-sdk-date",
    "x-security-token",
];

/// How a list operation pages: the `style` of `x-paginate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// A page number, the first being `first` (0 or 1, as the docs say).
    Number { first: u32 },
    /// An offset in items, starting at 0.
    Offset,
    /// The marker the previous page's answer gave (`next`).
    Marker,
}

impl Paging {
    /// The `style` words of `x-paginate`, in the order they are documented.
    pub const STYLES: &'static [&'static str] = &["number", "offset", "marker"];

    /// The paging a `style` word (and, for `number`, the first page) names.
    pub fn from_style(style: &str, first: u32) -> Option<Paging> {
        match style {
            "number" => Some(Paging::Number { first }),
            "offset" => Some(Paging::Offset),
            "marker" => Some(Paging::Marker),
            _ => None,
        }
    }

    /// Its `style` word.
    pub fn style(self) -> &'static str {
        match self {
            Paging::Number { .. } => "number",
            Paging::Offset => "offset",
            Paging::Marker => "marker",
        }
    }

    /// The expression that builds it in generated code.
    pub fn rust_expression(self) -> String {
        match self {
            Paging::Number { first } => {
                format!("cloud_runtime::paginate::Paging::Number {{ first: {first} }}")
            }
            Paging::Offset => "cloud_runtime::paginate::Paging::Offset".into(),
            Paging::Marker => "cloud_runtime::paginate::Paging::Marker".into(),
        }
    }
}

/// The phase words `x-phase` may use, and the `cloud_runtime::Phase` variant each stands for.
pub const PHASES: &[(&str, &str)] = &[
    ("queued", "Queued"),
    ("running", "Running"),
    ("succeeded", "Succeeded"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
];
