#![no_main]
//! Fuzz the toml extractor through the single-file pipeline.

use credlint::walk::FileKind;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let kind = FileKind::Toml;
    common::run(kind, "config.toml", data);
});
