//! ARCHITECTURE.md lists the modules of `codegen` and `cloud-runtime` (and the children of
//! `codegen::render`) bottom first, and says a module imports only those listed before it. This
//! test reads those lists and every `crate::`/`super::` reference of the code (tests and doc
//! links aside), so the page and the code cannot drift apart: an upward import, or a module the
//! page does not list, fails here with the file and the edge.

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The order ARCHITECTURE.md gives for `name`: the words of the fenced block after the line
/// `<!-- layers: NAME -->`, one layer a line, bottom first.
fn layers(name: &str) -> Vec<String> {
    let page = fs::read_to_string(workspace().join("ARCHITECTURE.md")).unwrap();
    let marker = format!("<!-- layers: {name} -->");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("ARCHITECTURE.md has no `{marker}`"));
    let block = page[start..]
        .split("```")
        .nth(1)
        .unwrap_or_else(|| panic!("no fenced block after `{marker}`"));
    block
        .lines()
        .skip(1)
        .flat_map(|line| {
            line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Items of a parsed file, without `#[cfg(test)]` ones.
fn production_items(items: Vec<syn::Item>) -> Vec<syn::Item> {
    items
        .into_iter()
        .filter(|item| {
            let attrs: &[syn::Attribute] = match item {
                syn::Item::Mod(m) => &m.attrs,
                syn::Item::Fn(f) => &f.attrs,
                syn::Item::Use(u) => &u.attrs,
                syn::Item::Impl(i) => &i.attrs,
                _ => &[],
            };
            !attrs.iter().any(|a| {
                a.path().is_ident("cfg") && a.to_token_stream().to_string().contains("test")
            })
        })
        .collect()
}

/// Every path a file's code names from `crate::` or `super::`, as its segments (without the
/// `crate`/`super` root, `super` resolved against `module`).
fn references(module: &[String], items: &[syn::Item]) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for item in items {
        match item {
            syn::Item::Use(u) => use_tree(module, &u.tree, None, &mut found),
            // Doc comments are attributes holding strings, which `scan` never reads as paths.
            other => scan(module, other.to_token_stream(), &mut found),
        }
    }
    found
}

fn root(module: &[String], first: &str) -> Option<Vec<String>> {
    match first {
        "crate" => Some(Vec::new()),
        "super" => Some(module[..module.len().saturating_sub(1)].to_vec()),
        _ => None,
    }
}

fn use_tree(
    module: &[String],
    tree: &syn::UseTree,
    prefix: Option<Vec<String>>,
    found: &mut Vec<Vec<String>>,
) {
    match (tree, prefix) {
        (syn::UseTree::Path(p), None) => {
            if let Some(base) = root(module, &p.ident.to_string()) {
                use_tree(module, &p.tree, Some(base), found);
            }
        }
        (syn::UseTree::Path(p), Some(mut prefix)) => {
            if p.ident == "super" {
                prefix.pop();
            } else {
                prefix.push(p.ident.to_string());
            }
            use_tree(module, &p.tree, Some(prefix), found);
        }
        (syn::UseTree::Name(n), Some(mut path)) => {
            if n.ident != "self" {
                path.push(n.ident.to_string());
            }
            found.push(path);
        }
        (syn::UseTree::Rename(r), Some(mut path)) => {
            path.push(r.ident.to_string());
            found.push(path);
        }
        (syn::UseTree::Glob(_), Some(path)) => found.push(path),
        (syn::UseTree::Group(g), prefix) => {
            for tree in &g.items {
                use_tree(module, tree, prefix.clone(), found);
            }
        }
        _ => {}
    }
}

/// `crate :: a :: b` and `super :: a` anywhere in the tokens.
fn scan(module: &[String], tokens: TokenStream, found: &mut Vec<Vec<String>>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < trees.len() {
        // A macro's input (`quote! { super::types::Job }`) is code the macro writes, often for
        // another crate: not a reference of this one.
        if let (TokenTree::Punct(bang), Some(TokenTree::Group(_))) = (&trees[i], trees.get(i + 1))
            && bang.as_char() == '!'
        {
            i += 2;
            continue;
        }
        if let TokenTree::Group(group) = &trees[i] {
            scan(module, group.stream(), found);
        }
        if let TokenTree::Ident(ident) = &trees[i]
            && let Some(mut path) = root(module, &ident.to_string())
        {
            let mut j = i + 1;
            while j + 2 < trees.len() + 1 {
                let colons = matches!((&trees.get(j), &trees.get(j + 1)),
                    (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':');
                match (colons, trees.get(j + 2)) {
                    (true, Some(TokenTree::Ident(next))) => {
                        let next = next.to_string();
                        if next == "super" {
                            path.pop();
                        } else {
                            path.push(next);
                        }
                        j += 3;
                    }
                    _ => break,
                }
            }
            // `pub(super)` names no item.
            if j > i + 1 && !path.is_empty() {
                found.push(path);
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
}

/// Names `lib.rs` re-exports (`pub use phase::Phase;`) -> the module defining them.
fn reexports(lib: &[syn::Item]) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for item in lib {
        if let syn::Item::Use(u) = item {
            collect_plain(&u.tree, Vec::new(), &mut names);
        }
    }
    names
}

fn collect_plain(tree: &syn::UseTree, prefix: Vec<String>, names: &mut BTreeMap<String, String>) {
    match tree {
        syn::UseTree::Path(p) => {
            let mut next = prefix;
            next.push(p.ident.to_string());
            collect_plain(&p.tree, next, names);
        }
        syn::UseTree::Name(n) => {
            if let Some(module) = prefix.iter().find(|s| *s != "crate") {
                names.insert(n.ident.to_string(), module.clone());
            }
        }
        syn::UseTree::Rename(r) => {
            if let Some(module) = prefix.iter().find(|s| *s != "crate") {
                names.insert(r.rename.to_string(), module.clone());
            }
        }
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                collect_plain(tree, prefix.clone(), names);
            }
        }
        syn::UseTree::Glob(_) => {}
    }
}

/// The module path of a file under `src` (`render/cli.rs` -> `[render, cli]`).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            found.push(path);
        }
    }
}

/// Every edge of `src` that goes against `order` at `depth` (0: the crate's modules; 1: the
/// children of `parent`), as "file: a -> b".
fn upward(src: &Path, order: &[String], parent: Option<&str>) -> Vec<String> {
    let lib = production_items(
        syn::parse_file(&fs::read_to_string(src.join("lib.rs")).unwrap())
            .unwrap()
            .items,
    );
    let exported = reexports(&lib);
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in files {
        let module = module_of(src, &file);
        let Some(from) = (match parent {
            None => module.first().cloned(),
            Some(parent) if module.first().map(String::as_str) == Some(parent) => {
                Some(module.get(1).cloned().unwrap_or_else(|| "mod".into()))
            }
            Some(_) => None,
        }) else {
            continue;
        };
        let position = |name: &str| order.iter().position(|m| m == name);
        let Some(at) = position(&from) else {
            problems.push(format!(
                "{}: module `{from}` is not in ARCHITECTURE.md's list",
                file.display()
            ));
            continue;
        };
        let parsed = syn::parse_file(&fs::read_to_string(&file).unwrap()).unwrap();
        for path in references(&module, &production_items(parsed.items)) {
            let target = match parent {
                None => {
                    let first = &path[0];
                    exported
                        .get(first)
                        .cloned()
                        .unwrap_or_else(|| first.clone())
                }
                Some(parent) if path.first().map(String::as_str) == Some(parent) => {
                    match path.get(1) {
                        Some(child) if position(child).is_some() => child.clone(),
                        _ => "mod".into(),
                    }
                }
                Some(_) => continue,
            };
            if target == from {
                continue;
            }
            match position(&target) {
                Some(to) if to < at => {}
                Some(_) => problems.push(format!(
                    "{}: `{from}` imports `{target}` (`{}`), listed above it",
                    file.display(),
                    path.join("::")
                )),
                // Not a module of this level (a function of lib.rs, an item of `mod`).
                None => {}
            }
        }
    }
    problems
}

#[test]
fn no_module_imports_one_listed_above_it() {
    let root = workspace();
    let mut problems = Vec::new();
    problems.extend(upward(&root.join("codegen/src"), &layers("codegen"), None));
    problems.extend(upward(
        &root.join("codegen/src"),
        &layers("codegen::render"),
        Some("render"),
    ));
    problems.extend(upward(
        &root.join("runtime/src"),
        &layers("cloud-runtime"),
        None,
    ));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker itself: an upward `use`, a `super::` and an inline `crate::` path are found;
/// doc comments and test modules are not read.
#[test]
fn the_checker_finds_each_kind_of_reference() {
    let file: syn::File = syn::parse_quote! {
        use crate::{low, high::Thing};
        use super::sibling;
        /// [`crate::in_docs`]
        fn f() { crate::inline::call(); quote!(crate::written::for_another_crate); }
        #[cfg(test)]
        mod tests { use crate::only_in_tests; }
    };
    let module = vec!["render".to_owned(), "cli".to_owned()];
    let found: Vec<String> = references(&module, &production_items(file.items))
        .into_iter()
        .map(|p| p.join("::"))
        .collect();
    assert_eq!(
        found,
        ["low", "high::Thing", "render::sibling", "inline::call"],
        "{found:?}"
    );
}
