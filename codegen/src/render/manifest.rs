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

/// `{path = "../<spec's client crate>"}`: how an output names the client beside it.
pub(super) fn client(spec: &Spec) -> (String, toml::Value) {
    let mut path = toml::Table::new();
    path.insert("path".into(), format!("../{}", spec.crate_name()).into());
    (spec.crate_name(), toml::Value::Table(path))
}

/// A generated crate's manifest, written by the `toml` serializer so that any title or version
/// a spec holds (quotes, control characters) is escaped as TOML requires: package `name`, its
/// `description`, the workspace's package keys, and `dependencies`.
pub(super) fn manifest(
    spec: &Spec,
    name: &str,
    version: &str,
    description: String,
    dependencies: toml::Table,
) -> Result<String, Error> {
    let mut package = toml::Table::new();
    package.insert("name".into(), name.into());
    // Its own version, from the spec's release record (`cargo xtask release`).
    package.insert("version".into(), version.into());
    package.insert("description".into(), description.into());
    for key in ["edition", "rust-version", "license", "publish"] {
        package.insert(key.into(), workspace(&[]));
    }
    let mut manifest = toml::Table::new();
    manifest.insert("package".into(), toml::Value::Table(package));
    manifest.insert("dependencies".into(), toml::Value::Table(dependencies));
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
    manifest(spec, &spec.crate_name(), version, description, dependencies)
}
