#![no_main]
//! Fuzz windowed parsing (chunking, included ranges, the fallbacks) with
//! the size threshold off: the first byte picks the language; the hits are
//! the real ones plus every offset of a `\x01` byte.

use credlint::provider::Providers;
use credlint::walk::Language;
use libfuzzer_sys::fuzz_target;

const LANGS: [Language; 6] = [
    Language::Python,
    Language::JavaScript,
    Language::TypeScript,
    Language::Tsx,
    Language::Go,
    Language::Rust,
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let lang = LANGS[first as usize % LANGS.len()];
    let text = String::from_utf8_lossy(rest);
    let providers = Providers::builtin();
    let mut hits = providers.prefilter().code_positions(text.as_bytes());
    hits.extend(text.bytes().enumerate().filter(|(_, b)| *b == 1).map(|(i, _)| i));
    let Some((windows, found)) = credlint::extract::code::fuzz_windows(lang, &text, &hits, providers)
    else {
        return;
    };
    let mut end = 0;
    for w in &windows {
        assert!(w.start >= end && w.start < w.end && w.end <= text.len());
        assert!(text.is_char_boundary(w.start) && text.is_char_boundary(w.end));
        end = w.end;
    }
    if let Some(x) = found {
        for s in &x.facts.settings {
            assert!(s.value.span.start <= s.value.span.end && s.value.span.end <= text.len());
        }
    }
});
