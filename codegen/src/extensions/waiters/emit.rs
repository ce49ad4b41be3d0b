//! The emitter of `x-waiters`: `Client::wait_until_<name>()` and one waiter type per waiter,
//! forwarding every setter of the polled operation's builder.

use std::collections::BTreeMap;

use serde_json::Value;

use super::*;
use crate::{error::Error, naming::builder_name};

/// `Client::wait_until_<name>()` for every waiter a spec declares (`x-waiters` on the polled
/// operation: `name`, the `status` field of its success response, the `success` and `failure`
/// phases, and optionally the documented status meaning `gone`). The waiter takes the polled
/// operation's parameters through setters copied from progenitor's builder (`builder`), plus
/// `max_wait` and `poll_interval`.
pub(crate) fn emit(spec: &Spec, generated: &syn::File) -> Result<String, Error> {
    use quote::quote;
    let types = generated_types(generated);
    let builders: Vec<&syn::ItemImpl> = module_items(generated, "builder")
        .filter_map(|item| match item {
            syn::Item::Impl(i) => Some(i),
            _ => None,
        })
        .collect();
    let mut structs = Vec::new();
    let mut constructors = Vec::new();
    // The spec as JSON, where an `item` waiter finds its items' component.
    let document = serde_json::to_value(&spec.openapi).unwrap_or_default();
    for (http_method, route, op) in spec.operations() {
        if op.extensions.get(KEY).is_none() {
            continue;
        }
        // Lint rule `waiter` refuses what cannot be emitted; what still cannot is an error
        // naming the operation, never a waiter silently left out.
        let id = op.operation_id.as_deref().unwrap_or_default();
        let unsupported = |message: String| Error::Unsupported {
            path: spec.path.clone(),
            message: format!("operation `{id}`: x-waiters: {message}"),
            hint: "declare waiters that lint rule `waiter` accepts".into(),
        };
        let ident = |name: &str| {
            syn::parse_str::<syn::Ident>(name)
                .map_err(|_| unsupported(format!("`{name}` is not a Rust identifier")))
        };
        let method = ident(&method_name(id))?;
        let builder = builder_name(id);
        let builder_ident = ident(&builder)?;
        let setters: Vec<&syn::ImplItemFn> = builders
            .iter()
            .filter(|i| matches!(&*i.self_ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == builder)))
            .flat_map(|i| &i.items)
            .filter_map(|item| match item {
                syn::ImplItem::Fn(f) if f.sig.ident != "new" && f.sig.ident != "send" => Some(f),
                _ => None,
            })
            .collect();
        let (success_type, error_type) = response_components(spec, op);
        let success_type = success_type
            .ok_or_else(|| unsupported("the success response is not a component schema".into()))?;
        let success_ty = ident(&success_type)?;
        let error_ty = type_path(error_type.as_deref())
            .parse::<proc_macro2::TokenStream>()
            .map_err(|e| unsupported(e.to_string()))?;
        for waiter in Waiter::read_all(op).map_err(unsupported)? {
            let (name, status) = (waiter.name.as_str(), waiter.status.as_str());
            let phases = |phases: &[String]| -> Vec<proc_macro2::TokenStream> {
                phases.iter().filter_map(|p| phase_path(p)).collect()
            };
            let success = phases(waiter.success.as_deref().unwrap_or_default());
            let failure = phases(waiter.failure.as_deref().unwrap_or_default());
            let gone = match &waiter.gone {
                None => quote!(None),
                Some(GoneWhen::Status(status)) => quote!(Some(cloud_runtime::NotFound {
                    status: Some(#status),
                    code_field: "",
                    codes: &[],
                })),
                Some(GoneWhen::Code {
                    status,
                    code,
                    codes,
                }) => {
                    let code_field = code.as_deref().unwrap_or_default();
                    let codes = codes.as_deref().unwrap_or_default();
                    quote!(Some(cloud_runtime::NotFound {
                        status: Some(#status),
                        code_field: #code_field,
                        codes: &[#(#codes),*],
                    }))
                }
            };
            let struct_ident = ident(&heck::ToUpperCamelCase::to_upper_camel_case(name))?;
            let wait_fn = ident(&crate::extensions::waiters::client_method(name))?;
            if let Some(item) = &waiter.item {
                let op_json = document
                    .pointer(&format!("/paths/{}/{http_method}", segment(route)))
                    .unwrap_or(&Value::Null);
                structs.push(
                    emit_listed(
                        &types,
                        &document,
                        op_json,
                        &waiter,
                        item,
                        ListedNames {
                            struct_ident: &struct_ident,
                            builder_ident: &builder_ident,
                            success_type: &success_type,
                            error_ty: &error_ty,
                            wait_fn: &wait_fn,
                            polled: &method_name(id),
                        },
                        &setters,
                        &gone,
                        &success,
                        &failure,
                    )
                    .map_err(|problem| unsupported(format!("waiter `{name}`: {problem}")))?,
                );
                let constructor_doc = format!(
                    " Waits until the phase of `{status}` of the `{}` item named by `{}` in [`Client::{}`]'s answer is {} (an answer without it: gone).",
                    item.items,
                    item.parameter,
                    method_name(id),
                    phase_words(waiter.success.as_deref().unwrap_or_default())
                );
                constructors.push(quote! {
                    #[doc = #constructor_doc]
                    pub fn #wait_fn(&self) -> waiters::#struct_ident<'_> {
                        waiters::#struct_ident {
                            request: self.#method(),
                            wait: cloud_runtime::wait::Wait::default(),
                            key: None,
                        }
                    }
                });
                continue;
            }
            let status_field = field_read(&types, "types", "response", true, &success_type, status)
                .and_then(|source| {
                    source
                        .parse::<proc_macro2::TokenStream>()
                        .map_err(|e| e.to_string())
                })
                .map_err(|problem| unsupported(format!("waiter `{name}`: {problem}")))?;
            // What else the answer says: the service's message and the job it is about.
            let read_field = |path: &str| {
                field_read(&types, "types", "response", true, &success_type, path)
                    .and_then(|source| {
                        source
                            .parse::<proc_macro2::TokenStream>()
                            .map_err(|e| e.to_string())
                    })
                    .map_err(|problem| unsupported(format!("waiter `{name}`: {problem}")))
            };
            let word_of = |path: Option<&str>| -> Result<proc_macro2::TokenStream, Error> {
                Ok(match path {
                    Some(path) => {
                        let read = read_field(path)?;
                        quote!(#read.map(cloud_runtime::Phase::word))
                    }
                    None => quote!(None),
                })
            };
            let message = word_of(waiter.message.as_deref())?;
            let id_read = word_of(waiter.id.as_ref().and_then(|id| id.field.as_deref()))?;
            let id_parameter = match waiter.id.as_ref().map(|id| id.parameter.as_str()) {
                Some(parameter) => quote!(Some(#parameter)),
                None => quote!(None),
            };
            let wait_fn_name = wait_fn.to_string();
            let doc = format!(
                " Polls [`crate::Client::{}`] until the phase of its `{status}` is {}: see `x-waiters` in the spec.",
                method_name(id),
                phase_words(waiter.success.as_deref().unwrap_or_default())
            );
            let settings = wait_setters();
            let forwarded = setters.iter().map(|f| {
                let sig = &f.sig;
                let ident = &sig.ident;
                let args: Vec<&syn::Ident> = sig
                    .inputs
                    .iter()
                    .filter_map(|arg| match arg {
                        syn::FnArg::Typed(t) => match &*t.pat {
                            syn::Pat::Ident(i) => Some(&i.ident),
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect();
                quote! {
                    /// The polled request's parameter (see the operation's builder).
                    pub #sig {
                        self.request = self.request.#ident(#(#args),*);
                        self
                    }
                }
            });
            structs.push(quote! {
                #[doc = #doc]
                #[derive(Debug, Clone)]
                pub struct #struct_ident<'a> {
                    pub(crate) request: builder::#builder_ident<'a>,
                    pub(crate) wait: cloud_runtime::wait::Wait,
                }

                impl<'a> #struct_ident<'a> {
                    #(#forwarded)*

                    #settings

                    /// The phase of a response of the polled operation, as this waiter reads it
                    /// (`Phase::Unknown` with no word when the response carries no status).
                    pub fn phase_of(response: &types::#success_ty) -> cloud_runtime::Phase {
                        #status_field
                            .map_or(cloud_runtime::Phase::Unknown(String::new()), |status| status.phase())
                    }

                    /// What a response of the polled operation says, as this waiter reads it:
                    /// the phase, the service's own status word and message, and the job it is
                    /// about (see `x-waiters` in the spec).
                    pub fn read(response: &types::#success_ty) -> cloud_runtime::wait::Reading {
                        cloud_runtime::wait::Reading {
                            phase: Self::phase_of(response),
                            status: #status_field.map(cloud_runtime::Phase::word),
                            message: #message,
                            id: #id_read,
                        }
                    }

                    /// Polls until the job reaches a phase the waiter waits for (its last response),
                    /// a failure phase, the time runs out, or a poll fails.
                    pub async fn send(
                        self,
                    ) -> Result<
                        cloud_runtime::wait::Waited<types::#success_ty>,
                        cloud_runtime::wait::WaitError<types::#success_ty, Error<#error_ty>>,
                    > {
                        const WAITER: cloud_runtime::wait::Waiter = cloud_runtime::wait::Waiter {
                            name: #wait_fn_name,
                            success: &[#(#success),*],
                            failure: &[#(#failure),*],
                            gone: #gone,
                            id_parameter: #id_parameter,
                        };
                        cloud_runtime::wait::until(
                            self.request,
                            &self.wait,
                            WAITER,
                            |request| async move { request.send().await.map(ResponseValue::into_inner) },
                            Self::read,
                            |error| match error {
                                Error::ErrorResponse(response) => (
                                    Some(response.status().as_u16()),
                                    serde_json::to_value(response.as_ref()).ok(),
                                ),
                                other => (other.status().map(|status| status.as_u16()), None),
                            },
                        )
                        .await
                    }
                }
            });
            let constructor_doc = format!(
                " Waits until the phase of `{status}` in [`Client::{}`]'s answer is {}.",
                method_name(id),
                phase_words(waiter.success.as_deref().unwrap_or_default())
            );
            constructors.push(quote! {
                #[doc = #constructor_doc]
                pub fn #wait_fn(&self) -> waiters::#struct_ident<'_> {
                    waiters::#struct_ident {
                        request: self.#method(),
                        wait: cloud_runtime::wait::Wait::default(),
                    }
                }
            });
        }
    }
    if structs.is_empty() {
        return Ok(String::new());
    }
    let tokens = quote! {
        /// Waiters: `Client::wait_until_<name>()`, each polling one operation until the job it reports
        /// reaches a phase (declared in the spec by `x-waiters`).
        pub mod waiters {
            use super::{builder, types, Error, ResponseValue};
            #(#structs)*
        }

        impl Client {
            #(#constructors)*
        }
    };
    crate::formatting::section(&spec.path, "waiters", tokens)
}

/// The names an `item` waiter's code is built from.
struct ListedNames<'n> {
    struct_ident: &'n syn::Ident,
    builder_ident: &'n syn::Ident,
    success_type: &'n str,
    error_ty: &'n proc_macro2::TokenStream,
    wait_fn: &'n syn::Ident,
    polled: &'n str,
}

/// The waiter type of an `item` waiter: it keeps the value of the `parameter` setter (the job's
/// name), reads the item whose `key` is that name from each answer, and waits with
/// `cloud_runtime::wait::until_listed` (a list without the item is gone).
#[allow(clippy::too_many_arguments)]
fn emit_listed(
    types: &BTreeMap<String, &syn::Item>,
    document: &Value,
    op: &Value,
    waiter: &Waiter,
    item: &Item,
    names: ListedNames<'_>,
    setters: &[&syn::ImplItemFn],
    gone: &proc_macro2::TokenStream,
    success: &[proc_macro2::TokenStream],
    failure: &[proc_macro2::TokenStream],
) -> Result<proc_macro2::TokenStream, String> {
    use quote::quote;
    let ListedNames {
        struct_ident,
        builder_ident,
        success_type,
        error_ty,
        wait_fn,
        polled,
    } = names;
    // The items' component: progenitor names the item type after it.
    let array = field_at(document, success_schema(document, op), &item.items)?;
    let item_type = array
        .pointer("/items/$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .ok_or_else(|| format!("`{}`'s items are not a component schema", item.items))?;
    let item_ty: syn::Ident = syn::parse_str(item_type).map_err(|e| e.to_string())?;
    let tokens = |source: String| {
        source
            .parse::<proc_macro2::TokenStream>()
            .map_err(|e| e.to_string())
    };
    let items_read = tokens(field_read(
        types,
        "types",
        "response",
        true,
        success_type,
        &item.items,
    )?)?;
    let key_read = tokens(field_read(
        types, "types", "item", true, item_type, &item.key,
    )?)?;
    let status_read = tokens(field_read(
        types,
        "types",
        "item",
        true,
        item_type,
        &waiter.status,
    )?)?;
    let message = match waiter.message.as_deref() {
        Some(path) => {
            let read = tokens(field_read(types, "types", "item", true, item_type, path)?)?;
            quote!(#read.map(cloud_runtime::Phase::word))
        }
        None => quote!(None),
    };
    let success_ty: syn::Ident = syn::parse_str(success_type).map_err(|e| e.to_string())?;
    let keyed = method_name(&item.parameter);
    let settings = wait_setters();
    let forwarded = setters.iter().map(|f| {
        let sig = &f.sig;
        let ident = &sig.ident;
        if *ident == keyed {
            // The job's name: kept, to find its item in each answer.
            return quote! {
                /// The polled request's parameter, and the name of the item waited for.
                pub fn #ident(mut self, value: impl Into<String>) -> Self {
                    let value = value.into();
                    self.key = Some(value.clone());
                    self.request = self.request.#ident(value);
                    self
                }
            };
        }
        let args: Vec<&syn::Ident> = sig
            .inputs
            .iter()
            .filter_map(|arg| match arg {
                syn::FnArg::Typed(t) => match &*t.pat {
                    syn::Pat::Ident(i) => Some(&i.ident),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        quote! {
            /// The polled request's parameter (see the operation's builder).
            pub #sig {
                self.request = self.request.#ident(#(#args),*);
                self
            }
        }
    });
    let wait_fn_name = wait_fn.to_string();
    let doc = format!(
        " Polls [`crate::Client::{polled}`] until the phase of `{}` of the `{}` item named by `{}` is {}: see `x-waiters` in the spec. An answer without the item is `Waited::Gone`.",
        waiter.status,
        item.items,
        item.parameter,
        phase_words(waiter.success.as_deref().unwrap_or_default())
    );
    let missing = format!(
        "{wait_fn_name}: set `{}`, the name of the item to wait for",
        item.parameter
    );
    Ok(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #struct_ident<'a> {
            pub(crate) request: builder::#builder_ident<'a>,
            pub(crate) wait: cloud_runtime::wait::Wait,
            pub(crate) key: Option<String>,
        }

        impl<'a> #struct_ident<'a> {
            #(#forwarded)*

            #settings

            /// The phase of the item named `key` in a response of the polled operation, as
            /// this waiter reads it (`Phase::Unknown` with no word when the item is missing or
            /// carries no status).
            pub fn phase_of(response: &types::#success_ty, key: &str) -> cloud_runtime::Phase {
                Self::read(response, key)
                    .map_or(cloud_runtime::Phase::Unknown(String::new()), |reading| reading.phase)
            }

            /// What a response of the polled operation says of the item named `key` (its
            /// name compared without regard to ASCII case and surrounding space), as this
            /// waiter reads it; `None` when the answer does not list it.
            pub fn read(response: &types::#success_ty, key: &str) -> Option<cloud_runtime::wait::Reading> {
                let item: &types::#item_ty = #items_read?.iter().find(|item| {
                    #key_read.is_some_and(|found| found.trim().eq_ignore_ascii_case(key.trim()))
                })?;
                Some(cloud_runtime::wait::Reading {
                    phase: #status_read
                        .map_or(cloud_runtime::Phase::Unknown(String::new()), |status| status.phase()),
                    status: #status_read.map(cloud_runtime::Phase::word),
                    message: #message,
                    id: #key_read.map(cloud_runtime::Phase::word),
                })
            }

            /// Polls until the item reaches a phase the waiter waits for (the last response),
            /// a failure phase, leaves the list (gone), the time runs out, or a poll fails.
            pub async fn send(
                self,
            ) -> Result<
                cloud_runtime::wait::Waited<types::#success_ty>,
                cloud_runtime::wait::WaitError<types::#success_ty, Error<#error_ty>>,
            > {
                const WAITER: cloud_runtime::wait::Waiter = cloud_runtime::wait::Waiter {
                    name: #wait_fn_name,
                    success: &[#(#success),*],
                    failure: &[#(#failure),*],
                    gone: #gone,
                    id_parameter: None,
                };
                let Some(key) = self.key else {
                    return Err(cloud_runtime::wait::WaitError::Call {
                        waiter: #wait_fn_name,
                        source: Error::InvalidRequest(#missing.to_owned()),
                    });
                };
                cloud_runtime::wait::until_listed(
                    self.request,
                    &self.wait,
                    WAITER,
                    |request| async move { request.send().await.map(ResponseValue::into_inner) },
                    move |response| Self::read(response, &key),
                    |error| match error {
                        Error::ErrorResponse(response) => (
                            Some(response.status().as_u16()),
                            serde_json::to_value(response.as_ref()).ok(),
                        ),
                        other => (other.status().map(|status| status.as_u16()), None),
                    },
                )
                .await
            }
        }
    })
}

/// A waiter's phase list in words: `succeeded`, `succeeded or failed`, `succeeded, failed or
/// cancelled`.
pub(crate) fn phase_words(phases: &[String]) -> String {
    match phases.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The settings every waiter's builder has (the whole-response and the item form alike): its
/// deadline, the poll interval and a progress callback on `cloud_runtime::wait::Wait`.
fn wait_setters() -> proc_macro2::TokenStream {
    quote::quote! {
        /// How long to wait in all before giving up (default 30 minutes): a deadline,
        /// kept even when the service does not answer.
        pub fn max_wait(mut self, max_wait: std::time::Duration) -> Self {
            self.wait.max_wait = max_wait;
            self
        }

        /// The first interval between polls (default 2 s, at least 50 ms); it grows by
        /// half each poll up to `max_interval`.
        pub fn poll_interval(mut self, interval: std::time::Duration) -> Self {
            self.wait.poll_interval = interval;
            self.wait.max_interval = self.wait.max_interval.max(interval);
            self
        }

        /// Called with each answer's reading and the time waited so far (a progress
        /// line, a log); it must return quickly.
        pub fn on_poll(
            mut self,
            on_poll: impl Fn(&cloud_runtime::wait::Reading, std::time::Duration) + Send + Sync + 'static,
        ) -> Self {
            self.wait.on_poll = Some(std::sync::Arc::new(on_poll));
            self
        }
    }
}
