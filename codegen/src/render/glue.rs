//! What every crate carries to call through the runtime: constructors, the operations table the
//! runtime checks calls against (routes, statuses, retry safety, integer ranges), the decoder
//! check, and the `ClientHooks` impl.

use crate::{
    error::Error,
    model::{CrateModel, Operation},
    naming::{builder_name, method_name},
    progenitor_output::module_items,
    spec::Spec,
};

/// Operations that may be sent again after a transient failure: reads and deletes, and what
/// the spec marks `x-idempotent: true` (cancels sent as POST). Never a submission.
fn retry_safe_operations(model: &CrateModel) -> Vec<String> {
    let mut ids: Vec<String> = model
        .operations
        .iter()
        .filter(|op| op.retry_safe)
        .map(Operation::method_name)
        .collect();
    ids.sort();
    ids
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
    crate::formatting::section(&spec.path, "decoders", tokens)
}

/// One `cloud_runtime::Operation` per operation, sorted by id (the runtime looks them up by
/// binary search): route, method, whether retried, documented statuses, integer ranges.
fn operation_table(model: &CrateModel) -> Vec<proc_macro2::TokenStream> {
    use quote::{format_ident, quote};
    let mut rows: Vec<(String, proc_macro2::TokenStream)> = model
        .operations
        .iter()
        .map(|op| {
            let id = op.method_name();
            let limits = op.limits.iter().map(|limit| {
                let place = format_ident!("{}", limit.place);
                let name = &limit.name;
                let bound = |b: Option<i64>| match b {
                    Some(b) => {
                        let b = proc_macro2::Literal::i64_unsuffixed(b);
                        quote!(Some(#b))
                    }
                    None => quote!(None),
                };
                let (min, max) = (bound(limit.min), bound(limit.max));
                quote! {
                    cloud_runtime::call::Limit {
                        place: cloud_runtime::call::Place::#place,
                        name: #name,
                        min: #min,
                        max: #max,
                    }
                }
            });
            let secrets = &op.secrets;
            let method = &op.method;
            let route = &op.route;
            let safe = op.retry_safe;
            let codes = |json_only: bool| -> Vec<proc_macro2::Literal> {
                op.statuses
                    .iter()
                    .filter(|s| s.json || !json_only)
                    .map(|s| proc_macro2::Literal::u16_unsuffixed(s.code))
                    .collect()
            };
            let (all, json) = (codes(false), codes(true));
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
            (id, row)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows.into_iter().map(|(_, row)| row).collect()
}

/// `From<&str>` and `From<String>` for every open enum (`X { KnownX(KnownX), Other(String) }`),
/// as the AWS SDK's enums take strings: a known value becomes its known variant, anything else
/// `Other`, so `.job_type("QUERY")` builds. Beside progenitor's output: typify gives the wrapper
/// only `From<KnownX>`, and the known half its `FromStr`.
fn open_enums_from_strings(model: &CrateModel) -> Vec<proc_macro2::TokenStream> {
    use quote::{format_ident, quote};
    model
        .types
        .iter()
        .filter(|(name, ty)| {
            let known = crate::open_enums::known_name(name);
            ty.kind == crate::model::TypeKind::Enum
                && ty.members.len() == 2
                && ty.members.iter().any(|m| m.name == known && m.ty == known)
                && ty
                    .members
                    .iter()
                    .any(|m| m.name == crate::open_enums::OTHER && m.ty == "::std::string::String")
        })
        .map(|(name, _)| {
            let open = format_ident!("{name}");
            let known = format_ident!("{}", crate::open_enums::known_name(name));
            let doc = format!(
                "A known value as [`types::{known}`], anything else as [`types::{open}::Other`]."
            );
            quote! {
                impl ::std::convert::From<&str> for types::#open {
                    #[doc = #doc]
                    fn from(value: &str) -> Self {
                        match value.parse::<types::#known>() {
                            Ok(known) => Self::#known(known),
                            Err(_) => Self::Other(value.to_owned()),
                        }
                    }
                }
                impl ::std::convert::From<::std::string::String> for types::#open {
                    #[doc = #doc]
                    fn from(value: ::std::string::String) -> Self {
                        match value.parse::<types::#known>() {
                            Ok(known) => Self::#known(known),
                            Err(_) => Self::Other(value),
                        }
                    }
                }
            }
        })
        .collect()
}

/// Emitted into every crate (the orphan rule keeps the `ClientHooks` impl out of a shared crate):
/// constructors over the runtime, the table of operations it checks calls against, and the hooks
/// that hand each request to it.
pub(super) fn runtime_glue(
    spec: &Spec,
    model: &CrateModel,
    service: &str,
) -> Result<String, Error> {
    use quote::quote;
    let retry_safe = retry_safe_operations(model);
    let operations = operation_table(model);
    let from_strings = open_enums_from_strings(model);
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

        #(#from_strings)*
    };
    crate::formatting::section(&spec.path, "runtime glue", tokens)
}
