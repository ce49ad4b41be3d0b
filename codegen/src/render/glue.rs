//! What every crate carries to call through the runtime: constructors, the operations table the
//! runtime checks calls against (routes, statuses, retry safety, integer ranges), the decoder
//! check, and the `ClientHooks` impl.

use crate::{
    diagnostics::segment,
    error::Error,
    naming::{builder_name, method_name},
    progenitor_output::module_items,
    secrets,
    spec::Spec,
};

/// Operations that may be sent again after a transient failure: reads and deletes, and what
/// the spec marks `x-idempotent: true` (cancels sent as POST). Never a submission.
pub(super) fn retry_safe_operations(spec: &Spec) -> Vec<String> {
    let mut ids: Vec<String> = spec
        .operations()
        .filter(|(method, _, op)| {
            matches!(*method, "get" | "head" | "options" | "delete")
                || crate::extensions::idempotent::declared(op)
        })
        .filter_map(|(_, _, op)| op.operation_id.as_deref().map(method_name))
        .collect();
    ids.sort();
    ids
}

/// Documented statuses of `op` (lint allows only three-digit codes), and those with a JSON body.
pub(super) fn statuses(spec: &Spec, op: &openapiv3::Operation) -> (Vec<u16>, Vec<u16>) {
    let mut all = Vec::new();
    let mut json = Vec::new();
    for (status, response) in &op.responses.responses {
        let openapiv3::StatusCode::Code(code) = status else {
            continue;
        };
        all.push(*code);
        let has_json = spec
            .response(response)
            .is_some_and(|r| r.content.keys().any(|media| media.contains("json")));
        if has_json {
            json.push(*code);
        }
    }
    all.sort_unstable();
    json.sort_unstable();
    (all, json)
}

/// The documented integer ranges of `op`'s parameters and of its JSON request body's top-level
/// fields, as (place, name or JSON pointer, minimum, maximum); an exclusive bound is moved in by
/// one.
pub(super) fn integer_limits(
    spec: &Spec,
    op: &openapiv3::Operation,
) -> Vec<(&'static str, String, Option<i64>, Option<i64>)> {
    let range = |schema: &openapiv3::Schema| -> Option<(Option<i64>, Option<i64>)> {
        let openapiv3::SchemaKind::Type(openapiv3::Type::Integer(integer)) = &schema.schema_kind
        else {
            return None;
        };
        let min = integer
            .minimum
            .map(|m| m.saturating_add(i64::from(integer.exclusive_minimum)));
        let max = integer
            .maximum
            .map(|m| m.saturating_sub(i64::from(integer.exclusive_maximum)));
        (min.is_some() || max.is_some()).then_some((min, max))
    };
    let mut limits = Vec::new();
    for parameter in spec.parameters(op) {
        let (place, data) = match parameter {
            openapiv3::Parameter::Query { parameter_data, .. } => ("Query", parameter_data),
            openapiv3::Parameter::Path { parameter_data, .. } => ("Path", parameter_data),
            openapiv3::Parameter::Header { parameter_data, .. } => ("Header", parameter_data),
            openapiv3::Parameter::Cookie { .. } => continue,
        };
        let openapiv3::ParameterSchemaOrContent::Schema(schema) = &data.format else {
            continue;
        };
        if let Some((min, max)) = spec.schema(schema).and_then(range) {
            limits.push((place, data.name.clone(), min, max));
        }
    }
    let body = op.request_body.as_ref().and_then(|body| match body {
        openapiv3::ReferenceOr::Item(body) => Some(body),
        openapiv3::ReferenceOr::Reference { .. } => None,
    });
    let body_schema = body
        .and_then(|body| {
            body.content
                .iter()
                .find(|(media, _)| media.contains("json"))
        })
        .and_then(|(_, media)| media.schema.as_ref())
        .and_then(|schema| spec.schema(schema));
    if let Some(openapiv3::Schema {
        schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)),
        ..
    }) = body_schema
    {
        for (name, property) in &object.properties {
            if let Some((min, max)) = spec.boxed_schema(property).and_then(range) {
                let pointer = format!("/{}", name.replace('~', "~0").replace('/', "~1"));
                limits.push(("Body", pointer, min, max));
            }
        }
    }
    limits.sort();
    limits
}

/// `decodes`: for each operation, whether a body decodes as the type its builder's `send` reads
/// a success or an error into (read off progenitor's output, so the types are the ones it chose).
/// The runtime calls it on bodies it would otherwise hand on unread, so that an undecodable one
/// is refused with a bounded message instead of progenitor's error quoting it whole.
pub(super) fn decoders(spec: &Spec, generated: &syn::File) -> Result<String, Error> {
    use quote::quote;
    let sends: std::collections::BTreeMap<String, &syn::Signature> =
        module_items(generated, "builder")
            .filter_map(|item| match item {
                syn::Item::Impl(i) => Some(i),
                _ => None,
            })
            .filter_map(|i| {
                let syn::Type::Path(p) = &*i.self_ty else {
                    return None;
                };
                let name = p.path.segments.last()?.ident.to_string();
                let send = i.items.iter().find_map(|item| match item {
                    syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(&f.sig),
                    _ => None,
                })?;
                Some((name, send))
            })
            .collect();
    // `Result<ResponseValue<S>, Error<E>>` -> (S, E).
    let generic = |ty: &syn::Type, wrapper: &str| -> Option<syn::Type> {
        let syn::Type::Path(p) = ty else { return None };
        let last = p.path.segments.last()?;
        if last.ident != wrapper {
            return None;
        }
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        match args.args.first()? {
            syn::GenericArgument::Type(inner) => Some(inner.clone()),
            _ => None,
        }
    };
    // Bodies that are not decoded from JSON into a type of the crate: nothing to check.
    let checked = |ty: &syn::Type| {
        let syn::Type::Path(p) = ty else { return false };
        p.path.segments.first().is_some_and(|s| s.ident == "types")
    };
    let mut arms = Vec::new();
    let mut ids: Vec<String> = spec
        .operations()
        .filter_map(|(_, _, op)| op.operation_id.clone())
        .collect();
    ids.sort();
    for id in ids {
        let Some(send) = sends.get(&builder_name(&id)) else {
            continue;
        };
        let syn::ReturnType::Type(_, result) = &send.output else {
            continue;
        };
        let syn::Type::Path(p) = &**result else {
            continue;
        };
        let Some(syn::PathArguments::AngleBracketed(args)) =
            p.path.segments.last().map(|s| &s.arguments)
        else {
            continue;
        };
        let types: Vec<&syn::Type> = args
            .args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect();
        let [ok, err] = types.as_slice() else {
            continue;
        };
        let method = method_name(&id);
        if let Some(success) = generic(ok, "ResponseValue").filter(checked) {
            arms.push(quote!((#method, true) => check::<#success>(body, decoding),));
        }
        if let Some(error) = generic(err, "Error").filter(checked) {
            arms.push(quote!((#method, false) => check::<#error>(body, decoding),));
        }
    }
    let tokens = quote! {
        /// Whether `body`, sent with `status` to `operation_id`, decodes as the type the
        /// operation reads it into. The runtime checks bodies above a few KiB with it, so that
        /// one that does not decode is refused with a bounded message; record mode asks for the
        /// typed value written back (`Decoding::Reencode`) to list the members the types drop.
        fn decodes(
            operation_id: &str,
            status: u16,
            body: &[u8],
            decoding: cloud_runtime::call::Decoding,
        ) -> std::result::Result<Option<serde_json::Value>, String> {
            fn check<T: serde::de::DeserializeOwned + serde::Serialize>(
                body: &[u8],
                decoding: cloud_runtime::call::Decoding,
            ) -> std::result::Result<Option<serde_json::Value>, String> {
                let typed = serde_json::from_slice::<T>(body).map_err(|e| e.to_string())?;
                match decoding {
                    cloud_runtime::call::Decoding::Check => Ok(None),
                    cloud_runtime::call::Decoding::Reencode => {
                        serde_json::to_value(&typed).map(Some).map_err(|e| e.to_string())
                    }
                }
            }
            match (operation_id, (200..300).contains(&status)) {
                #(#arms)*
                _ => Ok(None),
            }
        }
    };
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| Error::Format {
        path: spec.path.clone(),
        message: format!("decoders: {e}"),
    })?;
    Ok(format!("\n{}", prettyplease::unparse(&file)))
}

/// One `cloud_runtime::Operation` per operation, sorted by id (the runtime looks them up by
/// binary search): route, method, whether retried, documented statuses, integer ranges.
fn operation_table(spec: &Spec) -> Vec<proc_macro2::TokenStream> {
    use quote::{format_ident, quote};
    let retry_safe = retry_safe_operations(spec);
    // The secret fields are found on the spec's JSON form, as lint finds them.
    let document = serde_json::to_value(&spec.openapi).unwrap_or_default();
    let mut rows: Vec<(String, proc_macro2::TokenStream)> = spec
        .operations()
        .filter_map(|(method, route, op)| {
            let id = method_name(op.operation_id.as_deref()?);
            let (all, json) = statuses(spec, op);
            let limits = integer_limits(spec, op)
                .into_iter()
                .map(|(place, name, min, max)| {
                    let place = format_ident!("{place}");
                    let bound = |b: Option<i64>| match b {
                        Some(b) => {
                            let b = proc_macro2::Literal::i64_unsuffixed(b);
                            quote!(Some(#b))
                        }
                        None => quote!(None),
                    };
                    let (min, max) = (bound(min), bound(max));
                    quote! {
                        cloud_runtime::call::Limit {
                            place: cloud_runtime::call::Place::#place,
                            name: #name,
                            min: #min,
                            max: #max,
                        }
                    }
                });
            let secrets = document
                .pointer(&format!("/paths/{}/{method}", segment(route)))
                .map(|op| secrets::pointers(&document, op))
                .unwrap_or_default();
            let method = method.to_uppercase();
            let safe = retry_safe.contains(&id);
            let unsuffixed = |codes: &[u16]| -> Vec<proc_macro2::Literal> {
                codes
                    .iter()
                    .map(|c| proc_macro2::Literal::u16_unsuffixed(*c))
                    .collect()
            };
            let (all, json) = (unsuffixed(&all), unsuffixed(&json));
            let row = quote! {
                cloud_runtime::Operation {
                    id: #id,
                    method: #method,
                    route: #route,
                    retry_safe: #safe,
                    statuses: &[#(#all),*],
                    json_statuses: &[#(#json),*],
                    limits: &[#(#limits),*],
                    secrets: &[#(#secrets),*],
                }
            };
            Some((id, row))
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows.into_iter().map(|(_, row)| row).collect()
}

/// Emitted into every crate (the orphan rule keeps the `ClientHooks` impl out of a shared crate):
/// constructors over the runtime, the table of operations it checks calls against, and the hooks
/// that hand each request to it.
pub(super) fn runtime_glue(spec: &Spec, service: &str) -> Result<String, Error> {
    use quote::quote;
    let retry_safe = retry_safe_operations(spec);
    let operations = operation_table(spec);
    let tokens = quote! {
        pub use cloud_runtime::{CancelOutcome, ConfigError, Credentials, Phase, Region, RetryPolicy, Runtime, Secret, wait};

        /// This service, as its endpoint hosts name it.
        pub const SERVICE: cloud_runtime::Service = cloud_runtime::Service::new(#service);

        /// Operations sent again after a transient failure (see [`RetryPolicy`]): reads, deletes and
        /// cancels. Submissions are never retried.
        pub const RETRY_SAFE_OPERATIONS: &[&str] = &[#(#retry_safe),*];

        impl Client {
            /// A client for this service in `region`, signing with the AK/SK (and project) in the
            /// environment variables the vendor's SDKs read: `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`,
            /// `HUAWEICLOUD_SDK_PROJECT_ID`, `HUAWEICLOUD_SDK_SECURITY_TOKEN`.
            pub fn from_env(region: &Region) -> Result<Self, cloud_runtime::ConfigError> {
                Self::for_region(region, Runtime::from_env()?)
            }

            /// A client for this service in `region`, calling through `runtime`; a region id that is
            /// not one DNS label (`eu-de`) is refused, so the endpoint stays in the cloud's domain.
            pub fn for_region(region: &Region, runtime: Runtime) -> Result<Self, cloud_runtime::ConfigError> {
                Ok(Self::with_runtime(&region.endpoint(&SERVICE)?, runtime))
            }

            /// A client for any base URL (a proxy, a local server, a path prefix), calling through
            /// `runtime`; a trailing `/` is dropped, as the routes start with one.
            pub fn with_runtime(base_url: &str, runtime: Runtime) -> Self {
                Self::new_with_client(base_url.trim_end_matches('/'), runtime.http_client(), runtime)
            }
        }

        /// Every operation as the runtime checks it: the route each request must reach, the statuses the
        /// docs list (another is an error naming it), whether it may be retried, and the documented
        /// integer ranges of its inputs.
        pub const OPERATIONS: &[cloud_runtime::Operation] = &[#(#operations),*];

        fn runtime_call<'a>(client: &'a Client, info: &OperationInfo) -> cloud_runtime::Call<'a> {
            cloud_runtime::Call::new(OPERATIONS, info.operation_id, client.baseurl()).decoding(decodes)
        }

        /// Every request goes through the runtime: route check, authentication, signing, retries,
        /// tracing, and a readable error for a response the docs do not describe.
        impl ClientHooks<Runtime> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &OperationInfo,
            ) -> std::result::Result<(), Error<E>> {
                self.inner()
                    .prepare(request, runtime_call(self, info))
                    .await
                    .map_err(|e| match e {
                        cloud_runtime::CallError::OutOfRange { .. } => Error::InvalidRequest(e.to_string()),
                        e => Error::Custom(e.to_string()),
                    })
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                self.inner().execute(self.client(), request, runtime_call(self, info)).await
            }

            async fn post<E>(
                &self,
                result: &reqwest::Result<reqwest::Response>,
                info: &OperationInfo,
            ) -> std::result::Result<(), Error<E>> {
                self.inner().finish(result, runtime_call(self, info)).map_err(Error::Custom)
            }
        }
    };
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| Error::Format {
        path: spec.path.clone(),
        message: format!("runtime glue: {e}"),
    })?;
    Ok(format!("\n{}", prettyplease::unparse(&file)))
}
