//! Records the progenitor version that Cargo.lock resolved, so every generated file can name it.

use std::{env, fs, path::PathBuf};

fn main() {
    let lock_path = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock_path.display());
    let lock = fs::read_to_string(&lock_path).unwrap_or_else(|e| {
        panic!(
            "codegen needs the workspace Cargo.lock at {}: {e}",
            lock_path.display()
        )
    });
    let lock: toml::Table = lock.parse().expect("Cargo.lock is valid TOML");
    let version = lock["package"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"].as_str() == Some("progenitor"))
        .and_then(|p| p["version"].as_str())
        .expect("Cargo.lock resolves progenitor");
    println!("cargo:rustc-env=CODEGEN_PROGENITOR_VERSION={version}");
}
