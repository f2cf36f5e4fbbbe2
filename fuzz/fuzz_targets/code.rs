#![no_main]
//! Fuzz the source-code extractors: the first byte picks the language.

use credlint::walk::{FileKind, Language};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const LANGS: [(Language, &str); 11] = [
    (Language::Python, "a.py"),
    (Language::JavaScript, "a.js"),
    (Language::TypeScript, "a.ts"),
    (Language::Tsx, "a.tsx"),
    (Language::Go, "a.go"),
    (Language::Java, "A.java"),
    (Language::CSharp, "A.cs"),
    (Language::Ruby, "a.rb"),
    (Language::Rust, "a.rs"),
    (Language::Php, "a.php"),
    (Language::Shell, "a.sh"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let (lang, name) = LANGS[first as usize % LANGS.len()];
    common::run(FileKind::Code(lang), name, rest);
});
