#![no_main]
//! Fuzz the json extractor through the single-file pipeline.

use credlint::walk::FileKind;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let kind = FileKind::Json { comments: data.first().is_some_and(|b| b % 2 == 0) };
    common::run(kind, "config.json", data);
});
