#![no_main]
//! Fuzz the renderers: every format (`pretty` with long lines anywhere),
//! the statistics and the `--diff` of the fixes, from the masked text; the
//! first byte picks the file kind. No output may show a key in full.

use credlint::walk::{FileKind, Language};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let (kind, name) = match first % 6 {
        0 => (FileKind::Env { shell: false }, ".env"),
        1 => (FileKind::Yaml, "docker-compose.yml"),
        2 => (FileKind::Json { comments: true }, "tsconfig.json"),
        3 => (FileKind::Notebook, "a.ipynb"),
        4 => (FileKind::Code(Language::JavaScript), "app.min.js"),
        _ => (FileKind::Code(Language::Python), "a.py"),
    };
    common::render(kind, name, rest);
});
