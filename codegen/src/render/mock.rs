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

use super::{
    file::{RenderedFile, header},
    manifest,
};
use crate::{
    error::Error,
    model::{CrateModel, PaginateModel, WaiterModel, parse_type},
    naming::{method_name, type_name},
    progenitor_output::is_bytes,
    spec::Spec,
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

/// The crate's files: `Cargo.toml` and `src/lib.rs`, from the crate's model.
pub(super) fn render(
    spec: &Spec,
    model: &CrateModel,
    version: &str,
) -> Result<Vec<RenderedFile>, Error> {
    let refuse = |operation: &str, message: String| Error::Unsupported {
        path: spec.path.clone(),
        message: format!("mocks, `{operation}`: {message}"),
        hint: "rename the parameter, or report this".into(),
    };
    let mut server_methods = Vec::new();
    let mut mocks = Vec::new();
    for operation in &model.operations {
        let id = operation.id.as_str();
        let route = operation.route.as_str();
        let (ok, err) = (
            parse_type(&operation.success_type),
            parse_type(&operation.error_type),
        );
        let mock = format_ident!("{}", type_name(id));
        let fn_name = format_ident!("{}", operation.method_name());
        let http_method = operation.method.as_str();

        // One matcher per parameter: path, query (each value of an array), header.
        let mut setters = Vec::new();
        let mut names = std::collections::BTreeSet::new();
        for parameter in &operation.parameters {
            let (name, place, is_array) = (
                parameter.name.as_str(),
                parameter.location.as_str(),
                parameter.array,
            );
            let setter = parameter.setter.clone();
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
        let mut answers = Vec::new();
        for status in &operation.statuses {
            let (status, json) = (status.code, status.json);
            let respond = format_ident!("respond_{status}");
            let ty = if (200..300).contains(&status) {
                &ok
            } else {
                &err
            };
            let doc = format!(
                "Answers status {status}, as the spec documents it; the guard checks the calls when dropped."
            );
            let answer = if json && !is_unit(ty) && !is_bytes(ty) {
                quote! {
                    #[doc = #doc]
                    pub async fn #respond(self, body: &#ty) -> wiremock::MockGuard {
                        self.0.respond_json(#status, body).await
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
            operation.method_name()
        );
        server_methods.push(quote! {
            #[doc = #server_doc]
            pub fn #fn_name(&self) -> #mock<'_> {
                #mock(self.0.operation(#http_method, #route).named(#id))
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

                /// Matches a request whose JSON body equals `body` (the typed request body, or
                /// any JSON).
                pub fn body(self, body: &(impl cloud_runtime::mock::Serialize + ?Sized)) -> Self {
                    Self(self.0.body(body))
                }

                /// Matches a request whose JSON body includes `json` (these fields, recursively).
                pub fn body_includes(self, json: cloud_runtime::mock::Json) -> Self {
                    Self(self.0.body_includes(json))
                }

                /// Answers the calls in order (status, JSON body or none), the last one repeated:
                /// a 503, then a 200.
                pub async fn respond_sequence(
                    self,
                    answers: Vec<(u16, Option<cloud_runtime::mock::Json>)>,
                ) -> wiremock::MockGuard {
                    self.0.respond_sequence(answers).await
                }

                #(#answers)*
            }
        });

        for waiter in &operation.waiters {
            server_methods.push(scripted_job(route, waiter, http_method));
        }
        if let Some(paginate) = &operation.paginate {
            server_methods.push(scripted_list(spec, paginate, route, http_method, id)?);
        }
    }

    let lib = spec.lib_name();
    let api = format_ident!("{lib}");
    let tokens = quote! {
        use #api as api;
        #[allow(unused_imports)]
        use api::types;
        pub use wiremock::MockGuard;

        /// A local server answering as the service would, as each test tells it; `uri()`,
        /// `mount()` (a `wiremock::Mock` of your own) and `wiremock()` come from
        /// `cloud_runtime::mock::Server`.
        #[derive(Debug)]
        pub struct MockServer(cloud_runtime::mock::Server);

        impl std::ops::Deref for MockServer {
            type Target = cloud_runtime::mock::Server;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl MockServer {
            /// Starts a server on a free local port.
            pub async fn start() -> MockServer {
                MockServer(cloud_runtime::mock::Server::start().await)
            }

            /// A client calling it, without credentials or retries.
            pub fn client(&self) -> api::Client {
                self.0.client(api::Client::with_runtime)
            }

            #(#server_methods)*
        }

        #(#mocks)*
    };
    let code = crate::formatting::format(tokens).map_err(|e| Error::Format {
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
         //! (`<operation>_pages`). Generated beside the client from the same spec.\n//!\n\
         //! When a test fails: an unmet `.times(n)` names the operation; a request no mock matches is\n\
         //! answered by a catch-all with status 418 and the body `no mock matched <METHOD> <path>`, a\n\
         //! status no spec documents, so the client reports it as an undocumented status quoting that\n\
         //! line, never as the service's own 404. Mocks match bodies (`.body(&typed)`,\n\
         //! `.body_includes(json)`), answer in sequence (`.respond_sequence`: a 503, then a 200), and a\n\
         //! scripted job ends in any status word (`Phase::Unknown(word)` for one the spec does not map).\n\n"
    ));
    lib_rs.push_str(&code);
    let dir = std::path::PathBuf::from(crate_name(spec));
    Ok(vec![
        RenderedFile {
            path: dir.join("Cargo.toml"),
            contents: manifest(spec, version)?,
        },
        RenderedFile {
            path: dir.join("src/lib.rs"),
            contents: lib_rs,
        },
    ])
}

/// `<waiter>_job(id, running_polls, ends)`: the polled operation answers a running phase for
/// `running_polls` polls, then `ends`, its status word (and job ID) where the waiter reads them.
fn scripted_job(route: &str, model: &WaiterModel, http_method: &str) -> TokenStream {
    let waiter = &model.declared;
    let words = model.words.iter().map(|(word, phase)| {
        let variant = format_ident!("{phase}");
        quote!((#word, cloud_runtime::Phase::#variant))
    });
    let (numeric, id_numeric) = (model.numeric, model.id_numeric);
    let status = &waiter.status;
    // An `item` waiter's job is the one item of its list, named by the item's key.
    let (items, id_field) = match &waiter.item {
        Some(item) => {
            let path = item.items.as_str();
            (quote!(Some(#path)), Some(item.key.as_str()))
        }
        None => (
            quote!(None),
            waiter.id.as_ref().and_then(|id| id.field.as_deref()),
        ),
    };
    let id_path = match id_field {
        Some(path) => quote!(Some(#path)),
        None => quote!(None),
    };
    let name = format_ident!("{}_job", method_name(&waiter.name));
    let doc = format!(
        "A job for waiter `{}` (`{http_method} {route}`): `running_polls` answers in a running phase, then `ends` for ever; the job ID answered is `id`. `ends` may be `Phase::Unknown(word)`, any word the spec does or does not map (to test an `Unknown` branch).",
        waiter.name
    );
    quote! {
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
            self.0.operation(#http_method, #route).respond_with(job.responder()).await
        }
    }
}

/// `<operation>_pages(items, page_size)`: the list operation serves `items` `page_size` at a
/// time, as its `x-paginate` says it pages.
fn scripted_list(
    spec: &Spec,
    model: &PaginateModel,
    route: &str,
    http_method: &str,
    id: &str,
) -> Result<TokenStream, Error> {
    let declared = &model.declared;
    let page = declared.page.as_deref().unwrap_or_default();
    let items = declared.items.as_deref().unwrap_or_default();
    let item = format_ident!("{}", model.item_type);
    let Some(paging) = model.declared.paging() else {
        return Err(Error::Unsupported {
            path: spec.path.clone(),
            message: format!("mocks, `{id}` x-paginate: style {:?}", declared.style),
            hint: "declare a paginator that lint rule `paginate` accepts".into(),
        });
    };
    let paging: TokenStream = paging
        .rust_expression()
        .parse()
        .map_err(|e| Error::Format {
            path: spec.path.clone(),
            message: format!("mocks: paging expression: {e}"),
        })?;
    let next = declared.next.as_deref().unwrap_or_default();
    let total = match declared.total.as_deref() {
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
                page: #page,
                next: #next,
                items_path: #items,
                total_path: #total,
                items: cloud_runtime::mock::ScriptedList::items(&items),
                page_size,
            };
            self.0.operation(#http_method, #route).respond_with(list.responder()).await
        }
    })
}

pub(super) fn manifest(spec: &Spec, version: &str) -> Result<String, Error> {
    let mut dependencies = toml::Table::new();
    let (client, path) = manifest::client(spec, version);
    dependencies.insert(client, path);
    dependencies.insert("cloud-runtime".into(), manifest::workspace(&["mock"]));
    dependencies.insert("wiremock".into(), manifest::workspace(&[]));
    let description = format!(
        "Typed mocks of the {} (API {}) client for its users' tests, generated from {}",
        spec.openapi.info.title,
        spec.openapi.info.version,
        spec.display_path()
    );
    manifest::manifest(
        spec,
        manifest::Kind::Mocks,
        &crate_name(spec),
        version,
        description,
        dependencies,
        toml::Table::new(),
    )
}
