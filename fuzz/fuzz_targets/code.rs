#![no_main]
//! Fuzz the source-code extractors: the first byte picks the language.

use credlint::walk::FileKind;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let (lang, name) = common::LANGS[first as usize % common::LANGS.len()];
    common::run(FileKind::Code(lang), name, rest);
});
