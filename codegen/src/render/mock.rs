//! The mock crate beside each client (`generated/<crate>-mock`), for the tests of code that
//! uses the client: a local server, one typed mock per operation ("called with these
//! parameters, answer this status with this typed body", checked to be called), a scripted job
//! per waiter (running for N polls, then a given phase) and a scripted list per paginator (N
//! items across pages). What they share is `cloud_runtime::mock`, on wiremock.
//!
//! progenitor's `Generator::httpmock` is not used: it targets httpmock 0.8 (a second mock
//! server beside the wiremock the workspace tests with), cannot match the repeated pairs of an
//! array query parameter, and knows nothing of waiters or paginators.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::{RenderedFile, glue::statuses, header, manifest, spec_path_display};
use crate::{
    diagnostics::segment,
    error::Error,
    extensions::{paginate::Paginate, phase::PHASES, waiters::Waiter},
    naming::{builder_name, method_name, setter_name, type_name},
    progenitor_output::{builders, is_bytes},
    spec::{Spec, array_item_component, response_components},
    spec_json::{field_at, resolve, success_schema},
};

/// The mock crate of a spec: `<crate>-mock`.
pub fn crate_name(spec: &Spec) -> String {
    crate::crate_names::outputs(&spec.crate_name())[2].clone()
}

/// Members of every operation mock besides its parameters.
const MOCK_MEMBERS: &[&str] = &["times", "new"];

fn is_unit(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Tuple(t) if t.elems.is_empty())
}

/// The crate's files: `Cargo.toml` and `src/lib.rs`.
pub(super) fn render(spec: &Spec, file: &syn::File) -> Result<Vec<RenderedFile>, Error> {
    let refuse = |operation: &str, message: String| Error::Unsupported {
        path: spec.path.clone(),
        message: format!("mocks, `{operation}`: {message}"),
        hint: "rename the parameter, or report this".into(),
    };
    let document = serde_json::to_value(&spec.openapi).unwrap_or_default();
    let builders = builders(file);
    let mut server_methods = Vec::new();
    let mut mocks = Vec::new();
    for (method, route, op) in spec.operations() {
        let Some(id) = op.operation_id.as_deref() else {
            continue;
        };
        let op_json = document
            .pointer(&format!("/paths/{}/{method}", segment(route)))
            .unwrap_or(&Value::Null);
        let (ok, err) = builders
            .get(&builder_name(id))
            .and_then(|builder| builder.answer.clone())
            .ok_or_else(|| refuse(id, "progenitor's `send` answers an unexpected type".into()))?;
        let mock = format_ident!("{}", type_name(id));
        let fn_name = format_ident!("{}", method_name(id));
        let http_method = method.to_uppercase();

        // One matcher per parameter: path, query (each value of an array), header.
        let mut setters = Vec::new();
        let mut names = std::collections::BTreeSet::new();
        for parameter in op_json
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let parameter = resolve(&document, parameter);
            let (Some(name), Some(place)) = (
                parameter.get("name").and_then(Value::as_str),
                parameter.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let setter = setter_name(name);
            if MOCK_MEMBERS.contains(&setter.as_str())
                || setter.starts_with("respond")
                || !names.insert(setter.clone())
            {
                return Err(refuse(
                    id,
                    format!("parameter `{name}` would be mock member `{setter}`, which is taken"),
                ));
            }
            let setter = format_ident!("{setter}");
            let schema = resolve(&document, parameter.get("schema").unwrap_or(&Value::Null));
            let is_array = schema.get("type").and_then(Value::as_str) == Some("array");
            let doc = format!("Matches {place} parameter `{name}`.");
            let body = match (place, is_array) {
                ("path", _) => quote!(Self(self.0.path(#name, value))),
                ("header", _) => quote!(Self(self.0.header(#name, value))),
                (_, false) => quote!(Self(self.0.query(#name, value))),
                (_, true) => quote! {
                    let mut mock = self.0;
                    for value in value {
                        mock = mock.query(#name, value);
                    }
                    Self(mock)
                },
            };
            let argument = if is_array && place == "query" {
                quote!(value: impl IntoIterator<Item = impl std::fmt::Display>)
            } else {
                quote!(value: impl std::fmt::Display)
            };
            setters.push(quote! {
                #[doc = #doc]
                pub fn #setter(self, #argument) -> Self {
                    #body
                }
            });
        }

        // One answer per documented status, typed by what the client decodes it as.
        let (all, json) = statuses(spec, op);
        let mut answers = Vec::new();
        for status in all {
            let respond = format_ident!("respond_{status}");
            let ty = if (200..300).contains(&status) {
                &ok
            } else {
                &err
            };
            let doc = format!(
                "Answers status {status}, as the spec documents it; the guard checks the calls when dropped."
            );
            let answer = if json.contains(&status) && !is_unit(ty) && !is_bytes(ty) {
                quote! {
                    #[doc = #doc]
                    pub async fn #respond(self, body: &#ty) -> wiremock::MockGuard {
                        let body = serde_json::to_value(body).expect("a generated type serialises");
                        self.0.respond(#status, Some(body)).await
                    }
                }
            } else if is_bytes(ty) {
                quote! {
                    #[doc = #doc]
                    pub async fn #respond(self, body: Vec<u8>) -> wiremock::MockGuard {
                        self.0.respond_bytes(#status, body, "application/octet-stream").await
                    }
                }
            } else {
                quote! {
                    #[doc = #doc]
                    pub async fn #respond(self) -> wiremock::MockGuard {
                        self.0.respond(#status, None).await
                    }
                }
            };
            answers.push(answer);
        }
        let doc =
            format!("`{id}`: {http_method} {route}. Set the parameters to match, then answer.");
        let server_doc = format!(
            "A mock of [`api::Client::{}`]: `{http_method} {route}`.",
            method_name(id)
        );
        server_methods.push(quote! {
            #[doc = #server_doc]
            pub fn #fn_name(&self) -> #mock<'_> {
                #mock(cloud_runtime::mock::OperationMock::new(&self.server, #http_method, #route))
            }
        });
        mocks.push(quote! {
            #[doc = #doc]
            #[derive(Debug)]
            pub struct #mock<'a>(cloud_runtime::mock::OperationMock<'a>);

            impl<'a> #mock<'a> {
                #(#setters)*

                /// Expects exactly `n` calls (default: at least one).
                pub fn times(self, n: u64) -> Self {
                    Self(self.0.times(n))
                }

                #(#answers)*
            }
        });

        for waiter in Waiter::read_all(op).map_err(|problem| refuse(id, problem))? {
            server_methods.push(scripted_job(
                spec,
                &document,
                op_json,
                route,
                &waiter,
                &http_method,
            )?);
        }
        if let Some(declared) = op.extensions.get(crate::extensions::paginate::KEY) {
            server_methods.push(scripted_list(spec, op, declared, route, &http_method, id)?);
        }
    }

    let lib = spec.lib_name();
    let api = format_ident!("{lib}");
    let tokens = quote! {
        use #api as api;
        #[allow(unused_imports)]
        use api::types;
        pub use wiremock::MockGuard;

        /// A local server answering as the service would, as each test tells it.
        #[derive(Debug)]
        pub struct MockServer {
            server: wiremock::MockServer,
        }

        impl MockServer {
            /// Starts a server on a free local port.
            pub async fn start() -> MockServer {
                MockServer { server: wiremock::MockServer::start().await }
            }

            /// Its base URL.
            pub fn uri(&self) -> String {
                self.server.uri()
            }

            /// A client calling it, without credentials or retries.
            pub fn client(&self) -> api::Client {
                api::Client::with_runtime(&self.server.uri(), cloud_runtime::mock::runtime())
            }

            /// The wiremock server underneath, for what the typed mocks do not say.
            pub fn wiremock(&self) -> &wiremock::MockServer {
                &self.server
            }

            #(#server_methods)*
        }

        #(#mocks)*
    };
    let parsed = syn::parse2::<syn::File>(tokens).map_err(|e| Error::Format {
        path: spec.path.clone(),
        message: format!("mocks: {e}"),
    })?;
    let mut lib_rs = header(spec, "//");
    lib_rs.push_str("#![cfg_attr(rustfmt, rustfmt::skip)]\n#![allow(clippy::all)]\n");
    lib_rs.push_str(&format!(
        "//! Typed mocks of [`{lib}`] for the tests of code that uses it: start a [`MockServer`], say\n\
         //! what each operation answers (`server.<operation>().<parameter>(..).respond_<status>(&body)`),\n\
         //! call through [`MockServer::client`]; each mock checks, when its guard drops, that it was\n\
         //! called. Waiters get a scripted job (`<waiter>_job`), lists a scripted set of pages\n\
         //! (`<operation>_pages`). Generated beside the client from the same spec.\n\n"
    ));
    lib_rs.push_str(&prettyplease::unparse(&parsed));
    let dir = std::path::PathBuf::from(crate_name(spec));
    Ok(vec![
        RenderedFile {
            path: dir.join("Cargo.toml"),
            contents: manifest(spec)?,
        },
        RenderedFile {
            path: dir.join("src/lib.rs"),
            contents: lib_rs,
        },
    ])
}

/// `<waiter>_job(id, running_polls, ends)`: the polled operation answers a running phase for
/// `running_polls` polls, then `ends`, its status word (and job ID) where the waiter reads them.
fn scripted_job(
    spec: &Spec,
    document: &Value,
    op: &Value,
    route: &str,
    waiter: &Waiter,
    http_method: &str,
) -> Result<TokenStream, Error> {
    let unsupported = |message: String| Error::Unsupported {
        path: spec.path.clone(),
        message: format!("mocks, waiter `{}`: {message}", waiter.name),
        hint: "declare the waiter as lint rule `waiter` accepts".into(),
    };
    // An `item` waiter reads its job from the list's items: status and key are the item's.
    let (success, items, item_key) = match &waiter.item {
        None => (success_schema(document, op), None, None),
        Some(item) => {
            let (problems, schema) = crate::extensions::waiters::item_problems(
                document,
                op,
                success_schema(document, op),
                item,
            );
            if let Some((_, problem)) = problems.into_iter().next() {
                return Err(unsupported(problem));
            }
            (schema, Some(item.items.as_str()), Some(item.key.as_str()))
        }
    };
    let field = field_at(document, success, &waiter.status).map_err(unsupported)?;
    let (words, numeric) = phase_words(document, field)
        .ok_or_else(|| unsupported(format!("`{}` has no `x-phase`", waiter.status)))?;
    let words = words.iter().map(|(word, phase)| {
        let variant = format_ident!("{phase}");
        quote!((#word, cloud_runtime::Phase::#variant))
    });
    let status = &waiter.status;
    let items = match items {
        Some(path) => quote!(Some(#path)),
        None => quote!(None),
    };
    let (id_path, id_numeric) =
        match item_key.or(waiter.id.as_ref().and_then(|id| id.field.as_deref())) {
            Some(path) => {
                let field = field_at(document, success, path).map_err(unsupported)?;
                let numeric = matches!(
                    field.get("type").and_then(Value::as_str),
                    Some("integer" | "number")
                );
                (quote!(Some(#path)), numeric)
            }
            None => (quote!(None), false),
        };
    let name = format_ident!("{}_job", method_name(&waiter.name));
    let doc = format!(
        "A job for waiter `{}` (`{http_method} {route}`): `running_polls` answers in a running phase, then `ends` for ever; the job ID answered is `id`. Panics if the spec maps no status word to a phase asked for.",
        waiter.name
    );
    Ok(quote! {
        #[doc = #doc]
        pub async fn #name(
            &self,
            id: impl std::fmt::Display,
            running_polls: u64,
            ends: cloud_runtime::Phase,
        ) -> wiremock::MockGuard {
            let job = cloud_runtime::mock::ScriptedJob {
                words: &[#(#words),*],
                numeric: #numeric,
                status: #status,
                id: #id_path,
                id_value: id.to_string(),
                id_numeric: #id_numeric,
                items: #items,
                running_polls,
                ends,
            };
            cloud_runtime::mock::OperationMock::new(&self.server, #http_method, #route)
                .respond_with(job.responder())
                .await
        }
    })
}

/// The words `x-phase` maps for a status field (on it, or on an open enum's known half), as
/// (word, `Phase` variant); and whether the field is an integer.
fn phase_words(document: &Value, field: &Value) -> Option<(Vec<(String, &'static str)>, bool)> {
    let numeric = field.get("type").and_then(Value::as_str) == Some("integer");
    let mut candidates = vec![field];
    for key in ["anyOf", "oneOf", "allOf"] {
        for branch in field
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            candidates.push(resolve(document, branch));
        }
    }
    let table = candidates
        .iter()
        .find_map(|schema| schema.get(crate::extensions::phase::KEY))?
        .as_object()?;
    let words = table
        .iter()
        .filter_map(|(word, phase)| {
            let variant = PHASES
                .iter()
                .find(|(name, _)| Some(*name) == phase.as_str())?
                .1;
            Some((word.clone(), variant))
        })
        .collect();
    Some((words, numeric))
}

/// `<operation>_pages(items, page_size)`: the list operation serves `items` `page_size` at a
/// time, as its `x-paginate` says it pages.
fn scripted_list(
    spec: &Spec,
    op: &openapiv3::Operation,
    declared: &Value,
    route: &str,
    http_method: &str,
    id: &str,
) -> Result<TokenStream, Error> {
    let unsupported = |message: String| Error::Unsupported {
        path: spec.path.clone(),
        message: format!("mocks, `{id}` x-paginate: {message}"),
        hint: "declare a paginator that lint rule `paginate` accepts".into(),
    };
    let model = Paginate::read(declared).map_err(unsupported)?;
    let (Some(page), Some(items)) = (model.page.as_deref(), model.items.as_deref()) else {
        return Err(unsupported("`page` or `items` is missing".into()));
    };
    let (success, _) = response_components(spec, op);
    let success =
        success.ok_or_else(|| unsupported("the success response is not a component".into()))?;
    let item = array_item_component(spec, &success, items)
        .ok_or_else(|| unsupported("`items` is not an array of a component schema".into()))?;
    let item = format_ident!("{item}");
    let paging = match model.style.as_deref() {
        Some("number") => {
            let first = u64::from(model.first.unwrap_or(1));
            quote!(cloud_runtime::mock::Paging::Number { page: #page, first: #first })
        }
        Some("offset") => quote!(cloud_runtime::mock::Paging::Offset { page: #page }),
        Some("marker") => {
            let next = model.next.as_deref().unwrap_or_default();
            quote!(cloud_runtime::mock::Paging::Marker { page: #page, next: #next })
        }
        other => return Err(unsupported(format!("style {other:?}"))),
    };
    let total = match model.total.as_deref() {
        Some(total) => quote!(Some(#total)),
        None => quote!(None),
    };
    let name = format_ident!("{}_pages", method_name(id).to_snake_case());
    let doc = format!(
        "`{id}` (`{http_method} {route}`) serves `items`, `page_size` a page, paged as its `x-paginate` says; every call answers."
    );
    Ok(quote! {
        #[doc = #doc]
        pub async fn #name(&self, items: Vec<types::#item>, page_size: usize) -> wiremock::MockGuard {
            let list = cloud_runtime::mock::ScriptedList {
                paging: #paging,
                items_path: #items,
                total_path: #total,
                items: std::sync::Arc::new(
                    items
                        .iter()
                        .map(|item| serde_json::to_value(item).expect("a generated type serialises"))
                        .collect(),
                ),
                page_size,
            };
            cloud_runtime::mock::OperationMock::new(&self.server, #http_method, #route)
                .respond_with(list.responder())
                .await
        }
    })
}

fn manifest(spec: &Spec) -> Result<String, Error> {
    let mut dependencies = toml::Table::new();
    let (client, path) = manifest::client(spec);
    dependencies.insert(client, path);
    dependencies.insert("cloud-runtime".into(), manifest::workspace(&["mock"]));
    for name in ["serde_json", "wiremock"] {
        dependencies.insert(name.into(), manifest::workspace(&[]));
    }
    let description = format!(
        "Typed mocks of the {} (API {}) client for its users' tests, generated from {}",
        spec.openapi.info.title,
        spec.openapi.info.version,
        spec_path_display(spec)
    );
    manifest::manifest(spec, &crate_name(spec), description, dependencies)
}
