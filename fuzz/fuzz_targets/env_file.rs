#![no_main]
//! Fuzz the env_file extractor through the single-file pipeline.

use credlint::walk::FileKind;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let kind = if data.first().is_some_and(|b| b % 2 == 0) { FileKind::Env { shell: false } } else { FileKind::Env { shell: true } };
    common::run(kind, ".env", data);
});
