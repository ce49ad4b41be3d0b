//! Runs progenitor on one spec and turns its panics into errors that name the operation.
//!
//! progenitor 0.15 `assert!`s on some valid OpenAPI (two error schemas in one operation, a
//! non-required path parameter, JSON content without a schema, ...). A panic from a library must
//! not reach the maintainer as a backtrace, so each run is wrapped in `catch_unwind`; when it
//! fails, every operation is retried alone to find the one to blame.

use openapiv3::{OpenAPI, Paths, ReferenceOr};
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};

use crate::{
    error::Error, guard, open_enums, path_parameter_types, path_segments, reachable_schemas,
    secrets, spec::Spec,
};

/// The progenitor version Cargo.lock resolved; every generated file names it.
pub const PROGENITOR_VERSION: &str = env!("CODEGEN_PROGENITOR_VERSION");

/// The type every generated `Client` carries for its hooks.
pub const RUNTIME_TYPE: &str = "cloud_runtime::Runtime";

/// The generator settings every crate is built with.
fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    // Builders: DLI's job list alone has a dozen optional filters; positional calls would be a
    // wall of `None`s. Builders also check constrained inputs and report them as
    // `Error::InvalidRequest` instead of forcing callers to build newtypes.
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // Callers compare responses (`status == Some(Succeed)`) and so do the replay tests.
        .with_derive("PartialEq")
        // Authentication, retries and tracing live in the runtime crate, reached through the
        // `ClientHooks` impl render.rs emits; `Expected` makes a crate without it fail to build.
        .with_inner_type(RUNTIME_TYPE.parse().expect("a Rust path"))
        .with_hooks(HooksMode::Expected)
        // Secret request fields ([`secrets`]) are one type whose `Debug` never shows them.
        .with_replacement(secrets::COMPONENT, secrets::RUST_TYPE, std::iter::empty());
    settings
}

/// progenitor's output for one spec, and the optional crates that output names.
pub struct Generated {
    pub tokens: TokenStream,
    /// Crates beyond progenitor-client/reqwest/serde the code needs (`regress`, `chrono`, `uuid`).
    pub extra_dependencies: Vec<&'static str>,
}

/// A failed progenitor run: what it said (error or panic message).
struct Failure(String);

/// What progenitor is handed: the spec with open enums as `oneOf` ([`open_enums`]), secret
/// fields as one replaced type ([`secrets`]), every path parameter confined to its segment
/// ([`path_segments`]), one type per path parameter name ([`path_parameter_types`]) and only the component schemas some operation reaches
/// ([`reachable_schemas`]). The spec itself is left as written.
fn input(spec: &Spec) -> Result<OpenAPI, Error> {
    let unsupported = |message: String| Error::Unsupported {
        path: spec.path.clone(),
        message,
        hint: "report this: the spec passed lint but could not be prepared for progenitor".into(),
    };
    let mut document =
        serde_json::to_value(&spec.openapi).map_err(|e| unsupported(e.to_string()))?;
    open_enums::open(&mut document);
    secrets::hand_over(&mut document);
    path_segments::confine(&mut document);
    path_parameter_types::share(&mut document);
    reachable_schemas::prune(&mut document);
    serde_json::from_value(document).map_err(|e| unsupported(e.to_string()))
}

/// Runs progenitor on the whole spec; on failure names the operation responsible.
pub fn generate(spec: &Spec) -> Result<Generated, Error> {
    let openapi = input(spec)?;
    let failure = match run_guarded(&openapi) {
        Ok(tokens) => return Ok(tokens),
        Err(failure) => failure,
    };
    for (method, route, operation) in spec.operations() {
        if let Err(Failure(message)) = run_guarded(&only_operation(&openapi, route, method)) {
            let operation_id = operation
                .operation_id
                .clone()
                .unwrap_or_else(|| "(no operationId)".into());
            return Err(Error::Operation {
                path: spec.path.clone(),
                operation: operation_id,
                method: http_method(method),
                route: route.into(),
                hint: hint_for(&message),
                message,
            });
        }
    }
    // No single operation fails alone: the problem is spec-wide (version, components, ...).
    Err(Error::Unsupported {
        path: spec.path.clone(),
        hint: hint_for(&failure.0).to_owned(),
        message: format!("progenitor cannot generate this spec: {}", failure.0),
    })
}

/// A copy of `openapi` whose only operation is `method route`.
fn only_operation(openapi: &OpenAPI, route: &str, method: &str) -> OpenAPI {
    let mut single = openapi.clone();
    let mut item = match openapi.paths.paths.get(route) {
        Some(ReferenceOr::Item(item)) => item.clone(),
        _ => return single,
    };
    for (m, slot) in [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("options", &mut item.options),
        ("head", &mut item.head),
        ("patch", &mut item.patch),
        ("trace", &mut item.trace),
    ] {
        if m != method {
            *slot = None;
        }
    }
    single.paths = Paths {
        paths: [(route.to_owned(), ReferenceOr::Item(item))]
            .into_iter()
            .collect(),
        extensions: Default::default(),
    };
    single
}

fn run_guarded(openapi: &OpenAPI) -> Result<Generated, Failure> {
    let result = guard::guarded(|| {
        let mut generator = Generator::new(&settings());
        let tokens = generator.generate_tokens(openapi)?;
        let types = generator.get_type_space();
        let extra_dependencies = [
            ("chrono", types.uses_chrono()),
            ("regress", types.uses_regress()),
            ("uuid", types.uses_uuid()),
        ]
        .into_iter()
        .filter_map(|(name, used)| used.then_some(name))
        .collect();
        Ok::<_, progenitor::Error>(Generated {
            tokens,
            extra_dependencies,
        })
    });
    match result {
        Ok(Ok(generated)) => Ok(generated),
        Ok(Err(e)) => Err(Failure(e.to_string())),
        Err(message) => Err(Failure(format!("progenitor panicked: {message}"))),
    }
}

/// What the maintainer should change, keyed on what progenitor said.
fn hint_for(message: &str) -> &'static str {
    const HINTS: &[(&str, &str)] = &[
        (
            "response_types.len() <= 1",
            "an operation may have one success schema and one error schema: give every 2xx response the same schema (or none), give every 4xx/5xx response the same schema (merge them into one with optional fields), and drop a `default` response that stands beside a typed 2xx",
        ),
        (
            "parameter_data.required",
            "path parameters must be marked `required: true`",
        ),
        (
            "media type encoding",
            "give every `application/json` request or response content a `schema`",
        ),
        (
            "missing from path",
            "every path parameter must appear as `{name}` in the route, and every `{name}` must be a declared path parameter",
        ),
        (
            "invalid operation path",
            "the route template must be `/segment/{param}/...` with each parameter declared",
        ),
        (
            "invalid version",
            "only OpenAPI 3.0.x is supported: set `openapi: 3.0.3`",
        ),
        (
            "operation ID",
            "give every operation a unique snake_case `operationId`",
        ),
        (
            "type error",
            "a schema cannot be turned into a Rust type: check its `type`, `enum` and `$ref`s",
        ),
    ];
    HINTS
        .iter()
        .find(|(needle, _)| message.contains(needle))
        .map(|(_, hint)| *hint)
        .unwrap_or("reduce the operation until progenitor accepts it, and note the limitation in ARCHITECTURE.md")
}

/// The lower-case method an OpenAPI path item keys an operation by, as a constant.
fn http_method(method: &str) -> &'static str {
    [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ]
    .into_iter()
    .find(|known| known.eq_ignore_ascii_case(method))
    .unwrap_or("get")
}
