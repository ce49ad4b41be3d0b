//! The public types of a client crate, read off progenitor's `types` module: what code using the
//! crate names, builds and matches on, and so what a change report compares.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::type_string;
use crate::progenitor_output::module_items;

/// One type of the crate's `types` module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicType {
    pub kind: TypeKind,
    /// Its serde container attributes (`untagged`, `transparent`, ...), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serde: Vec<String>,
    /// A struct's named fields or an enum's variants, in declaration order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Member>,
    /// A newtype's inner type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inner: Option<String>,
    /// A digest of its doc comments and its members': a description edited in the spec is a
    /// documentation change of the crate. `None` in a record written before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
}

/// What a type is to its users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    Struct,
    /// A tuple struct around one value (typify's constrained strings and open enums' halves).
    Newtype,
    Enum,
}

/// A struct field or an enum variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The Rust name.
    pub name: String,
    /// The name on the wire (serde `rename`), when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wire: Option<String>,
    /// A field's type, or a variant's payload types joined by `, ` (empty for a unit variant).
    #[serde(rename = "type")]
    pub ty: String,
}

/// The structs and enums of progenitor's `types` module, by name.
pub(super) fn public_types(generated: &syn::File) -> BTreeMap<String, PublicType> {
    module_items(generated, "types")
        .filter_map(|item| match item {
            syn::Item::Struct(s) if matches!(s.vis, syn::Visibility::Public(_)) => {
                Some((s.ident.to_string(), structure(s)))
            }
            syn::Item::Enum(e) if matches!(e.vis, syn::Visibility::Public(_)) => {
                Some((e.ident.to_string(), enumeration(e)))
            }
            _ => None,
        })
        .collect()
}

fn structure(item: &syn::ItemStruct) -> PublicType {
    let serde = serde_words(&item.attrs);
    match &item.fields {
        syn::Fields::Unnamed(fields) => PublicType {
            kind: TypeKind::Newtype,
            serde,
            members: Vec::new(),
            inner: Some(
                fields
                    .unnamed
                    .iter()
                    .map(|f| type_string(&f.ty))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            docs: docs_digest(&item.attrs, fields.unnamed.iter().map(|f| &f.attrs)),
        },
        fields => PublicType {
            kind: TypeKind::Struct,
            serde,
            members: fields
                .iter()
                .filter_map(|field| {
                    let name = field.ident.as_ref()?.to_string();
                    Some(Member {
                        wire: rename(&field.attrs).filter(|wire| *wire != name),
                        name,
                        ty: type_string(&field.ty),
                    })
                })
                .collect(),
            inner: None,
            docs: docs_digest(&item.attrs, fields.iter().map(|f| &f.attrs)),
        },
    }
}

fn enumeration(item: &syn::ItemEnum) -> PublicType {
    PublicType {
        kind: TypeKind::Enum,
        serde: serde_words(&item.attrs),
        members: item
            .variants
            .iter()
            .map(|variant| {
                let name = variant.ident.to_string();
                Member {
                    wire: rename(&variant.attrs).filter(|wire| *wire != name),
                    ty: variant
                        .fields
                        .iter()
                        .map(|f| type_string(&f.ty))
                        .collect::<Vec<_>>()
                        .join(", "),
                    name,
                }
            })
            .collect(),
        inner: None,
        docs: docs_digest(&item.attrs, item.variants.iter().map(|v| &v.attrs)),
    }
}

/// The first 16 hex digits of the SHA-256 of a type's `#[doc]` text and its members', in order.
fn docs_digest<'a>(
    attrs: &'a [syn::Attribute],
    members: impl Iterator<Item = &'a Vec<syn::Attribute>>,
) -> Option<String> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for attrs in std::iter::once(attrs).chain(members.map(Vec::as_slice)) {
        for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
            if let syn::Meta::NameValue(doc) = &attr.meta {
                hasher.update(quote::ToTokens::to_token_stream(&doc.value).to_string());
            }
        }
        // Members apart: a line moved from one field to the next is a change.
        hasher.update([0u8]);
    }
    Some(hex::encode(&hasher.finalize()[..8]))
}

/// The words of `#[serde(..)]` attributes that change the wire form (`untagged`,
/// `transparent`, `deny_unknown_fields`), sorted.
fn serde_words(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut words = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(word) = meta.path.get_ident() {
                let word = word.to_string();
                if matches!(
                    word.as_str(),
                    "untagged" | "transparent" | "deny_unknown_fields"
                ) {
                    words.push(word);
                }
            }
            // Skip a value (`rename = ".."`) this reader does not use.
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    words.sort();
    words.dedup();
    words
}

/// The `#[serde(rename = "..")]` of a field or variant.
fn rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                found = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                meta.parse_nested_meta(|_| Ok(()))?;
            }
            Ok(())
        });
    }
    found
}
