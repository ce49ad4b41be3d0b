//! The one formatter of generated code: prettyplease, a run of items at a time, and the outline
//! of progenitor's code that codegen reads.
//!
//! Parsing progenitor's whole output into one `syn::File` held it, syn's token buffer and the
//! rest of the tokens at once: for 3,000 operations more than half a gigabyte beyond the tokens.
//! Here the tokens are cut at item boundaries (inside modules too), each run of items parsed,
//! formatted with prettyplease and dropped. Text is what `prettyplease::unparse` of the whole
//! file gives, byte for byte: an item inside a module is formatted inside as many `mod` lines
//! as it is deep, which are then cut off, so its indentation and line breaks are the module's.
//!
//! What the readers of progenitor's tree need (the operation model, waiters, decoders, the
//! submit example) is kept as an outline: the `types` module with its structs and enums, the
//! `builder` module with its structs and impls, the bodies of `new` and `send` emptied (their
//! signatures are what is read); other modules empty. Nothing reads the rest, which is most of the code, so when a
//! thread is spare those runs are handed to it as text (`syn` trees cannot cross threads) and
//! formatted there while this thread goes on; their text takes its place in order.

use std::{path::Path, sync::mpsc};

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::quote;

use crate::error::Error;

/// How many sibling items are parsed and formatted together: one `syn::parse2` per item costs
/// more than formatting the item, and a run this long is still small.
const ITEMS_PER_RUN: usize = 64;

/// The formatted code and its outline.
pub struct Formatted {
    pub code: String,
    pub outline: syn::File,
}

/// Formats `tokens` (a whole file) and keeps its outline; with `spare_thread`, the runs the
/// outline drops are formatted on a second thread. An error is syn's message.
pub fn format_with_outline(tokens: TokenStream, spare_thread: bool) -> Result<Formatted, String> {
    if !spare_thread {
        let mut formatter = Formatter::new(true, None);
        let items = formatter.items(tokens, &[]);
        return formatter.finish(items, Vec::new());
    }
    std::thread::scope(|scope| {
        let (jobs, inbox) = mpsc::channel::<(usize, String)>();
        let helper = scope.spawn(move || {
            inbox
                .into_iter()
                .map(|(depth, text)| format_text(depth, &text))
                .collect::<Vec<_>>()
        });
        let mut formatter = Formatter::new(true, Some(jobs));
        let items = formatter.items(tokens, &[]);
        // Closing the channel lets the helper finish what it was handed.
        formatter.helper = None;
        let handed = helper
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        formatter.finish(items, handed)
    })
}

/// `what` codegen emits for the spec at `spec_path` (`tokens`, whole items), formatted behind a
/// blank line; an error names the spec and `what`.
pub fn section(spec_path: &Path, what: &str, tokens: TokenStream) -> Result<String, Error> {
    let code = format(tokens).map_err(|e| Error::Format {
        path: spec_path.to_path_buf(),
        message: format!("{what}: {e}"),
    })?;
    Ok(format!("\n{code}"))
}

/// Formats `tokens` (a whole file), keeping nothing of its tree: for what codegen writes itself
/// (command line, mocks, the code beside progenitor's), whose readers read the model.
pub fn format(tokens: TokenStream) -> Result<String, String> {
    let mut formatter = Formatter::new(false, None);
    let items = formatter.items(tokens, &[]);
    Ok(formatter.finish(items, Vec::new())?.code)
}

/// Text formatted in order: written here, or the `n`th run handed to the helper.
enum Segment {
    Text(String),
    Handed(usize),
}

struct Formatter {
    segments: Vec<Segment>,
    keep_outline: bool,
    /// Where runs the outline drops go, as (depth, text), when a thread is spare.
    helper: Option<mpsc::Sender<(usize, String)>>,
    handed: usize,
}

/// A piece of a token stream: one item (and its first keyword after attributes and
/// visibility), or a module whose items are cut in turn.
enum Piece {
    Item {
        keyword: Option<String>,
        tokens: Vec<TokenTree>,
    },
    Module {
        /// Attributes, visibility, `mod` and the name.
        head: Vec<TokenTree>,
        body: TokenStream,
    },
}

impl Formatter {
    fn new(keep_outline: bool, helper: Option<mpsc::Sender<(usize, String)>>) -> Self {
        Formatter {
            segments: Vec::new(),
            keep_outline,
            helper,
            handed: 0,
        }
    }

    fn push_str(&mut self, text: &str) {
        match self.segments.last_mut() {
            Some(Segment::Text(last)) => last.push_str(text),
            _ => self.segments.push(Segment::Text(text.to_owned())),
        }
    }

    /// The text, with what the helper formatted (`handed`, in the order handed) in its places.
    fn finish(
        self,
        items: Result<Vec<syn::Item>, String>,
        handed: Vec<Result<String, String>>,
    ) -> Result<Formatted, String> {
        let items = items?;
        let mut code = String::new();
        for segment in self.segments {
            match segment {
                Segment::Text(text) => code.push_str(&text),
                Segment::Handed(n) => match handed.get(n) {
                    Some(Ok(text)) => code.push_str(text),
                    Some(Err(e)) => return Err(e.clone()),
                    None => return Err("a run handed to the helper thread was lost".into()),
                },
            }
        }
        Ok(Formatted {
            code,
            outline: syn::File {
                items,
                ..syn::parse_quote!()
            },
        })
    }

    /// Formats the items of `tokens`, which sit inside the modules `path`, and returns what the
    /// outline keeps of them. Consecutive items go in runs, each all kept or all dropped.
    fn items(&mut self, tokens: TokenStream, path: &[String]) -> Result<Vec<syn::Item>, String> {
        let mut kept = Vec::new();
        let mut run = Vec::new();
        let mut run_items = 0;
        let mut run_kept = true;
        for piece in pieces(tokens) {
            match piece {
                Piece::Item { keyword, tokens } => {
                    let item_kept = self.keep_outline && outline_keeps(path, keyword.as_deref());
                    if run_items == ITEMS_PER_RUN || (run_items > 0 && item_kept != run_kept) {
                        self.run(std::mem::take(&mut run), run_kept, path, &mut kept)?;
                        run_items = 0;
                    }
                    run.extend(tokens);
                    run_items += 1;
                    run_kept = item_kept;
                }
                Piece::Module { head, body } => {
                    self.run(std::mem::take(&mut run), run_kept, path, &mut kept)?;
                    run_items = 0;
                    kept.extend(self.module(head, body, path)?);
                }
            }
        }
        self.run(run, run_kept, path, &mut kept)?;
        Ok(kept)
    }

    /// Parses and formats one run of items (or hands it to the helper when the outline keeps
    /// none of them); what the outline keeps goes to `kept`.
    fn run(
        &mut self,
        run: Vec<TokenTree>,
        run_kept: bool,
        path: &[String],
        kept: &mut Vec<syn::Item>,
    ) -> Result<(), String> {
        if run.is_empty() {
            return Ok(());
        }
        let tokens: TokenStream = run.into_iter().collect();
        if !run_kept && let Some(helper) = &self.helper {
            // The text travels; if the helper is gone, its error surfaces in `finish`.
            let _ = helper.send((path.len(), tokens.to_string()));
            self.segments.push(Segment::Handed(self.handed));
            self.handed += 1;
            return Ok(());
        }
        let (items, text) = parse_and_unparse(tokens, path.len())?;
        self.push_str(&text);
        // Kept or not was decided from the tokens, the same with and without a helper.
        if run_kept {
            kept.extend(items.into_iter().filter_map(|item| outline(item, path)));
        }
        Ok(())
    }

    /// A module: its head and closing brace as prettyplease writes them around its items, and
    /// its items in between. The outline holds the module with what it keeps of its items.
    fn module(
        &mut self,
        head: Vec<TokenTree>,
        body: TokenStream,
        path: &[String],
    ) -> Result<Option<syn::Item>, String> {
        let head: TokenStream = head.into_iter().collect();
        // The module around one placeholder item: the lines before the placeholder are the
        // head, the lines after it the closing brace.
        let placeholder = quote!(
            struct CodegenPlaceholder;
        );
        let framed = quote!(#head { #placeholder });
        let (mut items, text) = parse_and_unparse(framed, path.len())?;
        let (Some(syn::Item::Mod(mut module)), true) = (items.pop(), items.is_empty()) else {
            return Err("a module head did not parse as one module".into());
        };
        let (before, after) = split_at_placeholder(&text)
            .ok_or("the module placeholder was not formatted on a line of its own")?;
        self.push_str(before);
        let after = after.to_owned();
        let mut inner = path.to_vec();
        inner.push(module.ident.to_string());
        let items = self.items(body, &inner)?;
        self.push_str(&after);
        if let Some((_, content)) = module.content.as_mut() {
            *content = items;
        }
        Ok(self
            .keep_outline
            .then(|| outline(syn::Item::Mod(module), path))
            .flatten())
    }
}

/// A run handed over as text, formatted inside `depth` modules (on the helper thread).
fn format_text(depth: usize, text: &str) -> Result<String, String> {
    let tokens: TokenStream = text
        .parse()
        .map_err(|e: proc_macro2::LexError| e.to_string())?;
    Ok(parse_and_unparse(tokens, depth)?.1)
}

/// `tokens` parsed inside `depth` wrapping modules and formatted there, the wrapping lines
/// cut off; the items unwrapped.
fn parse_and_unparse(
    mut tokens: TokenStream,
    depth: usize,
) -> Result<(Vec<syn::Item>, String), String> {
    let wrapper = Ident::new("codegen_wrapper", Span::call_site());
    for _ in 0..depth {
        let body = TokenTree::Group(Group::new(Delimiter::Brace, tokens));
        tokens = quote!(mod #wrapper #body);
    }
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| e.to_string())?;
    let text = prettyplease::unparse(&file);
    let text = cut_lines(&text, depth).ok_or("a wrapping module was not formatted as lines")?;
    let mut items = file.items;
    for _ in 0..depth {
        items = match items.pop() {
            Some(syn::Item::Mod(syn::ItemMod {
                content: Some((_, inner)),
                ..
            })) if items.is_empty() => inner,
            _ => return Err("a wrapping module did not parse back".into()),
        };
    }
    Ok((items, text.to_owned()))
}

/// `text` without its first and last `depth` lines.
fn cut_lines(text: &str, depth: usize) -> Option<&str> {
    let mut start = 0;
    for _ in 0..depth {
        start += text[start..].find('\n')? + 1;
    }
    let mut end = text.len();
    for _ in 0..depth {
        let before = text[..end].strip_suffix('\n')?;
        end = before.rfind('\n').map_or(0, |i| i + 1);
    }
    (start <= end).then(|| &text[start..end])
}

/// The text before the placeholder item's line and after it.
fn split_at_placeholder(text: &str) -> Option<(&str, &str)> {
    let at = text.rfind("struct CodegenPlaceholder;")?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = at + text[at..].find('\n')? + 1;
    Some((&text[..line_start], &text[line_end..]))
}

/// Whether the outline keeps an item inside the modules `path` whose first keyword is
/// `keyword`: what [`outline`] keeps, told from the tokens before they are parsed.
fn outline_keeps(path: &[String], keyword: Option<&str>) -> bool {
    match path {
        [] => keyword == Some("mod"),
        [module] if module == "types" => matches!(keyword, Some("struct" | "enum")),
        [module] if module == "builder" => matches!(keyword, Some("struct" | "impl")),
        _ => false,
    }
}

/// What the outline keeps of `item`, found inside the modules `path`: what [`outline_keeps`]
/// says of its keyword, with the bodies of `builder`'s `new` and `send` emptied.
fn outline(item: syn::Item, path: &[String]) -> Option<syn::Item> {
    if !outline_keeps(path, keyword_of(&item)) {
        return None;
    }
    match item {
        syn::Item::Impl(mut block) => {
            for member in &mut block.items {
                if let syn::ImplItem::Fn(f) = member
                    && (f.sig.ident == "new" || f.sig.ident == "send")
                {
                    f.block.stmts.clear();
                }
            }
            Some(syn::Item::Impl(block))
        }
        item => Some(item),
    }
}

/// The keyword `pieces` reads first in the tokens of `item`, for the kinds the outline tells
/// apart.
fn keyword_of(item: &syn::Item) -> Option<&'static str> {
    match item {
        syn::Item::Struct(_) => Some("struct"),
        syn::Item::Enum(_) => Some("enum"),
        syn::Item::Impl(_) => Some("impl"),
        syn::Item::Mod(_) => Some("mod"),
        _ => None,
    }
}

/// Cuts `tokens` into items: each attribute, visibility and keyword up to the `;` or `{...}`
/// that ends the item. A module with a body becomes a [`Piece::Module`] unless the body is
/// empty (prettyplease writes `mod m {}` on one line) or opens with inner attributes; it is then
/// one item.
fn pieces(tokens: TokenStream) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    // The item's first keyword after attributes and visibility, once seen.
    let mut keyword: Option<String> = None;
    let mut after_keyword: Option<String> = None;
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match &token {
            TokenTree::Ident(ident) if keyword.is_none() && ident != "pub" => {
                keyword = Some(ident.to_string());
            }
            TokenTree::Ident(ident) if keyword.is_some() && after_keyword.is_none() => {
                after_keyword = Some(ident.to_string());
            }
            _ => {}
        }
        let ends = match &token {
            TokenTree::Punct(p) => p.as_char() == ';' && keyword.is_some(),
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                match keyword.as_deref() {
                    // These end only at `;`: `use a::{b};`, `const X: T = T { .. };`.
                    Some("use" | "static" | "type") => false,
                    Some("const") => matches!(
                        after_keyword.as_deref(),
                        Some("fn" | "unsafe" | "async" | "extern")
                    ),
                    Some(_) => true,
                    None => false,
                }
            }
            _ => false,
        };
        if keyword.as_deref() == Some("mod")
            && let TokenTree::Group(group) = &token
            && group.delimiter() == Delimiter::Brace
            && !group.stream().is_empty()
            && !opens_with_inner_attribute(group)
        {
            let body = group.stream();
            // The group holds a second handle on the body; let it go so that iterating the
            // body moves its tokens instead of copying them.
            drop(token);
            pieces.push(Piece::Module {
                head: std::mem::take(&mut current),
                body,
            });
            keyword = None;
            after_keyword = None;
            continue;
        }
        current.push(token);
        if ends || (tokens.peek().is_none() && !current.is_empty()) {
            pieces.push(Piece::Item {
                keyword: keyword.take(),
                tokens: std::mem::take(&mut current),
            });
            after_keyword = None;
        }
    }
    pieces
}

fn opens_with_inner_attribute(group: &Group) -> bool {
    let mut tokens = group.stream().into_iter();
    matches!(
        (tokens.next(), tokens.next()),
        (Some(TokenTree::Punct(hash)), Some(TokenTree::Punct(bang)))
            if hash.as_char() == '#' && bang.as_char() == '!'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of item, at the top and inside modules two deep: the text is what formatting
    /// the whole file gives.
    #[test]
    fn the_text_is_the_whole_files() {
        let cases: Vec<(&str, TokenStream)> = vec![
            ("empty", quote!()),
            (
                "one item",
                quote!(
                    pub struct A;
                ),
            ),
            (
                "items that end in braces and in semicolons",
                quote! {
                    #![allow(dead_code)]
                    extern crate alloc;
                    use std::{fmt, io};
                    pub use std::collections::{BTreeMap as Map};
                    const X: Point = Point { x: 1, y: 2 };
                    pub const fn f() -> u8 { 1 }
                    static S: [u8; 2] = [1, 2];
                    type T = std::result::Result<(), ()>;
                    pub(crate) struct Point { x: u8, y: u8 }
                    struct Tuple(u8, String);
                    enum E { A { x: u8 }, B(u8) }
                    impl<T> From<T> for Point where T: Into<u8> { fn from(t: T) -> Self { let x = t.into(); Point { x, y: x } } }
                    macro_rules! m { () => {}; }
                    mod declared;
                    unsafe impl Send for Point {}
                    trait Tr { fn g(&self) {} }
                },
            ),
            (
                "modules with doc comments, nested two deep, one with inner attributes",
                quote! {
                    /// Types used as operation parameters and responses.
                    #[allow(clippy::all)]
                    pub mod types {
                        #[doc = "A long doc comment\nof two lines"]
                        #[derive(Clone, Debug)]
                        pub struct CancelSqlJobResult { pub is_success: ::std::option::Option<bool>, pub message: ::std::option::Option<::std::string::String> }
                        impl CancelSqlJobResult { pub fn builder() -> builder::CancelSqlJobResult { Default::default() } }
                        pub mod builder {
                            pub struct CancelSqlJobResult { is_success: Result<Option<bool>, String> }
                            impl CancelSqlJobResult { pub fn is_success<T>(mut self, value: T) -> Self where T: TryInto<Option<bool>>, T::Error: std::fmt::Display { self.is_success = value.try_into().map_err(|e| format!("error converting supplied value for is_success: {}", e)); self } }
                        }
                        pub mod error { #![allow(missing_docs)] pub struct ConversionError(String); }
                    }
                    pub mod empty {}
                    pub struct After;
                },
            ),
        ];
        for (case, tokens) in cases {
            let whole = prettyplease::unparse(&syn::parse2(tokens.clone()).unwrap());
            let code = format(tokens.clone()).unwrap_or_else(|e| panic!("{case}: {e}"));
            assert_eq!(code, whole, "{case}");
            for spare_thread in [false, true] {
                let formatted = format_with_outline(tokens.clone(), spare_thread)
                    .unwrap_or_else(|e| panic!("{case}: {e}"));
                assert_eq!(
                    formatted.code, whole,
                    "{case}, spare thread: {spare_thread}"
                );
            }
        }
    }

    /// More items than one run holds, at the top and in a module.
    #[test]
    fn runs_of_items_join_seamlessly() {
        let structs: Vec<TokenStream> = (0..ITEMS_PER_RUN * 2 + 3)
            .map(|i| {
                let name = quote::format_ident!("S{i}");
                quote!(pub struct #name { pub field_with_a_long_name: ::std::option::Option<::std::string::String> })
            })
            .collect();
        let tokens = quote!(#(#structs)* pub mod types { #(#structs)* });
        let whole = prettyplease::unparse(&syn::parse2(tokens.clone()).unwrap());
        for spare_thread in [false, true] {
            let formatted = format_with_outline(tokens.clone(), spare_thread).unwrap();
            assert_eq!(formatted.code, whole);
            // Of the top level the outline keeps the module; of `types`, every struct.
            let [syn::Item::Mod(types)] = formatted.outline.items.as_slice() else {
                panic!("the outline is not the `types` module alone");
            };
            let kept = types.content.as_ref().map_or(0, |(_, items)| items.len());
            assert_eq!(kept, ITEMS_PER_RUN * 2 + 3);
        }
    }

    #[test]
    fn the_outline_keeps_what_codegen_reads() {
        let tokens = quote! {
            pub struct Client;
            impl Client { pub fn op(&self) -> builder::Op<'_> { builder::Op::new(self) } }
            pub mod types {
                pub struct Kept { pub x: u8 }
                pub enum AlsoKept { A }
                impl Kept { pub fn dropped() {} }
                pub mod builder { pub struct Kept; }
            }
            pub mod builder {
                pub struct Op<'a> { client: &'a super::Client }
                impl<'a> Op<'a> {
                    pub fn new(client: &'a super::Client) -> Self { Self { client } }
                    pub fn x<V>(self, value: V) -> Self where V: TryInto<u8> { self }
                    pub async fn send(self) -> Result<(), ()> { let _ = self.client; Ok(()) }
                }
            }
        };
        let outline = format_with_outline(tokens.clone(), false).unwrap().outline;
        let outline = prettyplease::unparse(&outline);
        let handed_over = format_with_outline(tokens, true).unwrap().outline;
        assert_eq!(prettyplease::unparse(&handed_over), outline);
        let expected = prettyplease::unparse(&syn::parse_quote! {
            pub mod types {
                pub struct Kept { pub x: u8 }
                pub enum AlsoKept { A }
            }
            pub mod builder {
                pub struct Op<'a> { client: &'a super::Client }
                impl<'a> Op<'a> {
                    pub fn new(client: &'a super::Client) -> Self {}
                    pub fn x<V>(self, value: V) -> Self where V: TryInto<u8> { self }
                    pub async fn send(self) -> Result<(), ()> {}
                }
            }
        });
        assert_eq!(outline, expected);
    }

    #[test]
    fn tokens_that_are_no_items_are_an_error() {
        for tokens in [quote!(pub struct), quote!(pub mod m { fn }), quote!(1 + 2)] {
            assert!(format(tokens.clone()).is_err());
            assert!(format_with_outline(tokens.clone(), false).is_err());
            assert!(format_with_outline(tokens, true).is_err());
        }
    }
}
