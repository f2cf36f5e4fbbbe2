#![no_main]
//! Fuzz the whole single-file pipeline: the first byte picks the file kind.

use credlint::walk::{FileKind, Language};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let (kind, name) = match first % 10 {
        0 => (FileKind::Env { shell: false }, ".env"),
        1 => (FileKind::Yaml, "docker-compose.yml"),
        2 => (FileKind::Toml, "config.toml"),
        3 => (FileKind::Json { comments: true }, "tsconfig.json"),
        4 => (FileKind::Dockerfile, "Dockerfile"),
        5 => (FileKind::Properties, "application.properties"),
        6 => (FileKind::Notebook, "a.ipynb"),
        7 => (FileKind::Code(Language::Python), "a.py"),
        8 => (FileKind::Docs, "README.md"),
        _ => (FileKind::Other, "notes.cfg"),
    };
    common::run(kind, name, rest);
});
