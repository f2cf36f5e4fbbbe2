#![no_main]
//! Fuzz deep nesting in source code (see `common::nesting_input`): a
//! language, a depth past the engine's walk bound, and a wrap
//! (`f(os.environ["X"], {})`, its `{}` the hole) around a leaf. The nest
//! must go through the whole pipeline without a panic, and the code
//! extractor's parent lookups must stay linear in the text.

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::nesting_input(data);
});
