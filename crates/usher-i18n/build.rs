//! Compiles every `locales/LANG/*.ftl` into the crate: writes `$OUT_DIR/locales.rs`, a list of
//! `(language, file name, text)` in a stable order, so that adding a file needs no code change.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read at run time, not with `env!`: a build script compiled for one checkout may be run
    // for another (a moved or second worktree sharing a target folder).
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("locales");
    // Relative, so that it names this checkout's folder whichever checkout runs the script.
    println!("cargo:rerun-if-changed=locales");
    let mut files = Vec::new();
    for lang in std::fs::read_dir(&root).expect("locales/ exists") {
        let lang = lang.expect("locales/ entry").path();
        if !lang.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&lang).expect("locales/LANG is readable") {
            let file = file.expect("locales/LANG entry").path();
            if file.extension().is_some_and(|e| e == "ftl") {
                files.push(file);
            }
        }
    }
    files.sort();
    let mut out = String::from("&[\n");
    for file in files {
        let lang = file
            .parent()
            .and_then(Path::file_name)
            .expect("a language folder");
        let name = file.file_name().expect("a file name");
        // The path is put together when the crate compiles, from its own manifest folder, so
        // a list written for another checkout still reads this checkout's files.
        let (lang, name) = (lang.to_string_lossy(), name.to_string_lossy());
        writeln!(
            out,
            "    ({lang:?}, {name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {:?}))),",
            format!("/locales/{lang}/{name}")
        )
        .expect("write to a String");
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("locales.rs");
    std::fs::write(dest, out).expect("write OUT_DIR/locales.rs");
}
