//! Every cassette on disk is replayed by some test, and loads cleanly.

use std::{fs, path::Path};

use replay::{Cassette, cassettes_dir};

/// Cassette names (`crate/operation.status`) found under `cassettes/`.
fn cassette_names() -> Vec<String> {
    let mut names = Vec::new();
    for crate_dir in fs::read_dir(cassettes_dir()).unwrap().flatten() {
        for file in fs::read_dir(crate_dir.path()).unwrap().flatten() {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "json") {
                let stem = path.file_stem().unwrap().to_string_lossy();
                names.push(format!(
                    "{}/{stem}",
                    crate_dir.file_name().to_string_lossy()
                ));
            }
        }
    }
    names.sort();
    names
}

#[test]
fn every_cassette_loads_and_is_replayed_by_a_test() {
    let tests_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let sources: String = fs::read_dir(&tests_dir)
        .unwrap()
        .flatten()
        .filter(|f| f.path().extension().is_some_and(|e| e == "rs"))
        .map(|f| fs::read_to_string(f.path()).unwrap())
        .collect();
    let names = cassette_names();
    // Which documented statuses need a cassette is `cargo xtask coverage`'s job (xtask tests);
    // here: whatever is on disk is well-formed and replayed.
    assert!(
        !names.is_empty(),
        "no cassettes under {}",
        cassettes_dir().display()
    );
    let mut unreplayed = Vec::new();
    for name in &names {
        let cassette = Cassette::load(name);
        if !sources.contains(&format!("\"{name}\"")) {
            unreplayed.push(format!("{name} ({})", cassette.source));
        }
    }
    assert!(
        unreplayed.is_empty(),
        "cassettes no test replays: {unreplayed:#?}"
    );
}
