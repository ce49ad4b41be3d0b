//! The crate's `Cargo.toml`.

use super::{header, spec_path_display};
use crate::{error::Error, spec::Spec};

/// The crate's manifest, written by the `toml` serializer so that any title or version a spec
/// holds (quotes, control characters) is escaped as TOML requires.
pub(super) fn cargo_toml(spec: &Spec, extra_dependencies: &[&str]) -> Result<String, Error> {
    let workspace = || {
        let mut inherit = toml::Table::new();
        inherit.insert("workspace".into(), toml::Value::Boolean(true));
        toml::Value::Table(inherit)
    };
    let mut package = toml::Table::new();
    package.insert("name".into(), spec.crate_name().into());
    package.insert(
        "description".into(),
        format!(
            "Typed client for {} (API {}), generated from {}",
            spec.openapi.info.title,
            spec.openapi.info.version,
            spec_path_display(spec)
        )
        .into(),
    );
    for key in ["version", "edition", "rust-version", "license", "publish"] {
        package.insert(key.into(), workspace());
    }
    let mut dependencies = toml::Table::new();
    let always = [
        "cloud-runtime",
        "progenitor-client",
        "reqwest",
        "serde",
        "serde_json",
    ];
    for name in always.iter().chain(extra_dependencies) {
        dependencies.insert((*name).to_owned(), workspace());
    }
    let mut manifest = toml::Table::new();
    manifest.insert("package".into(), toml::Value::Table(package));
    manifest.insert("dependencies".into(), toml::Value::Table(dependencies));
    let body = toml::to_string(&manifest).map_err(|e| Error::Format {
        path: spec.path.clone(),
        message: format!("the manifest cannot be written: {e}"),
    })?;
    Ok(format!("{}\n{body}", header(spec, "#")))
}
