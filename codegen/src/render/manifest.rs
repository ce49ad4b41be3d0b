//! The crates' `Cargo.toml`s: the client's, its command line's and its mocks'.

use super::file::header;
use crate::{error::Error, spec::Spec};

/// `{workspace = true}`, optionally with `features`.
pub(super) fn workspace(features: &[&str]) -> toml::Value {
    let mut inherit = toml::Table::new();
    inherit.insert("workspace".into(), toml::Value::Boolean(true));
    if !features.is_empty() {
        inherit.insert(
            "features".into(),
            toml::Value::Array(features.iter().map(|f| (*f).into()).collect()),
        );
    }
    toml::Value::Table(inherit)
}

/// `{path = "../<spec's client crate>", version = "<version>"}`: how an output names the client
/// beside it. The path builds the workspace; the version is what a published package keeps
/// (Cargo drops the path), so a consumer gets the client released with it.
///
/// Without the client's default features: a command line's program and a mock's test pick the
/// TLS backend (the mocks need none: they serve plain HTTP on the loopback).
pub(super) fn client(spec: &Spec, version: &str) -> (String, toml::Value) {
    let mut path = toml::Table::new();
    path.insert("path".into(), format!("../{}", spec.crate_name()).into());
    path.insert("version".into(), version.into());
    path.insert("default-features".into(), false.into());
    (spec.crate_name(), toml::Value::Table(path))
}

/// What kind of crate a manifest describes: its crates.io keywords and categories.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    Client,
    CommandLine,
    Mocks,
}

impl Kind {
    /// At most five, as crates.io allows; the first segment of the crate name (`dli`, `mrs`,
    /// `dataarts`) names the service family people search for.
    fn keywords(self, spec: &Spec) -> Vec<String> {
        let family = spec
            .crate_name()
            .split('-')
            .next()
            .unwrap_or_default()
            .to_owned();
        let own: &[&str] = match self {
            Kind::Client => &["sdk", "api-client", "bigdata"],
            Kind::CommandLine => &["cli", "sdk", "bigdata"],
            Kind::Mocks => &["mock", "testing", "wiremock"],
        };
        ["huaweicloud".to_owned(), family]
            .into_iter()
            .chain(own.iter().map(|k| (*k).to_owned()))
            .collect()
    }

    /// Slugs from crates.io's category list.
    fn categories(self) -> &'static [&'static str] {
        match self {
            Kind::Client => &["api-bindings", "web-programming::http-client"],
            Kind::CommandLine => &["api-bindings", "command-line-interface"],
            Kind::Mocks => &["api-bindings", "development-tools::testing"],
        }
    }
}

/// What a package holds: the sources and the files its manifest names. Cargo adds `Cargo.toml`
/// (and the lock file where it belongs) itself; nothing else of the workspace (specs,
/// cassettes, tests) can enter through a generated crate.
pub(super) const INCLUDE: [&str; 4] = ["/src/**/*.rs", "/README.md", "/CHANGELOG.md", "/LICENSE"];

/// A generated crate's manifest, written by the `toml` serializer so that any title or version
/// a spec holds (quotes, control characters) is escaped as TOML requires: package `name`, its
/// `description`, the workspace's package keys, what crates.io shows (docs, readme, keywords,
/// categories), what the package includes, and `dependencies`.
pub(super) fn manifest(
    spec: &Spec,
    kind: Kind,
    name: &str,
    version: &str,
    description: String,
    dependencies: toml::Table,
    features: toml::Table,
) -> Result<String, Error> {
    let mut package = toml::Table::new();
    package.insert("name".into(), name.into());
    // Its own version, from the spec's release record (`cargo xtask release`).
    package.insert("version".into(), version.into());
    package.insert("description".into(), description.into());
    for key in ["edition", "rust-version", "license"] {
        package.insert(key.into(), workspace(&[]));
    }
    package.insert(
        "documentation".into(),
        format!("https://docs.rs/{name}").into(),
    );
    package.insert("readme".into(), "README.md".into());
    package.insert("keywords".into(), kind.keywords(spec).into());
    package.insert("categories".into(), kind.categories().to_vec().into());
    package.insert("include".into(), INCLUDE.to_vec().into());
    // The code is the same on every platform: docs.rs builds it once, not for five targets.
    let mut docs_rs = toml::Table::new();
    docs_rs.insert("targets".into(), vec!["x86_64-unknown-linux-gnu"].into());
    let mut metadata = toml::Table::new();
    metadata.insert("docs".into(), {
        let mut docs = toml::Table::new();
        docs.insert("rs".into(), toml::Value::Table(docs_rs));
        toml::Value::Table(docs)
    });
    package.insert("metadata".into(), toml::Value::Table(metadata));
    let mut manifest = toml::Table::new();
    manifest.insert("package".into(), toml::Value::Table(package));
    manifest.insert("dependencies".into(), toml::Value::Table(dependencies));
    if !features.is_empty() {
        manifest.insert("features".into(), toml::Value::Table(features));
    }
    let body = toml::to_string(&manifest).map_err(|e| Error::Format {
        path: spec.path.clone(),
        message: format!("the manifest of {name} cannot be written: {e}"),
    })?;
    Ok(format!("{}\n{body}", header(spec, "#")))
}

/// The client crate's manifest.
pub(super) fn cargo_toml(
    spec: &Spec,
    version: &str,
    extra_dependencies: &[&str],
) -> Result<String, Error> {
    let always = [
        "cloud-runtime",
        "progenitor-client",
        "reqwest",
        "serde",
        "serde_json",
    ];
    let dependencies = always
        .iter()
        .chain(extra_dependencies)
        .map(|name| ((*name).to_owned(), workspace(&[])))
        .collect();
    let description = format!(
        "Typed client for {} (API {}), generated from {}",
        spec.openapi.info.title,
        spec.openapi.info.version,
        spec.display_path()
    );
    manifest(
        spec,
        Kind::Client,
        &spec.crate_name(),
        version,
        description,
        dependencies,
        tls_features(),
    )
}

/// The runtime's TLS backends as the client's own features, its default the runtime's: a
/// consumer compiles one backend, reqwest's heavier default only when asked for.
fn tls_features() -> toml::Table {
    let backends = crate::runtime_contract::TLS_FEATURES;
    let [default, ..] = backends;
    let mut features = toml::Table::new();
    features.insert("default".into(), vec![default].into());
    for backend in backends {
        features.insert(
            backend.into(),
            vec![format!("cloud-runtime/{backend}")].into(),
        );
    }
    features
}
