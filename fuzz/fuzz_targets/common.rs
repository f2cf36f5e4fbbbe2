//! Shared by the fuzz targets: run one file of a given kind through the
//! whole single-file pipeline (decode, prefilter, extract, rules, render).
//! `tests/fuzz_regressions.rs` compiles this file too, so that it cannot
//! fall behind the library's API unnoticed.

// Each target uses a part of this file.
#![allow(dead_code)]

use std::path::PathBuf;

use credlint::fact::FileFacts;
use credlint::provider::Providers;
use credlint::rule::{self, Ctx, FileRef, Placeholders};
use credlint::source::Source;
use credlint::walk::{FileClass, FileEntry, FileKind, Language};

pub fn run(kind: FileKind, name: &str, data: &[u8]) -> FileFacts {
    let providers = Providers::builtin();
    let source = Source::decode(data);
    let class = FileClass {
        kind,
        template: false,
        committed: true,
        test: false,
    };
    let hits = providers.prefilter().scan(source.text().as_bytes());
    let path = PathBuf::from(name);
    let facts = credlint::extract::extract(&class, &path, &source, hits, providers);
    // Every span must lie inside the text, on character boundaries.
    let len = source.text().len();
    for s in facts.settings.iter() {
        assert!(s.value.span.end <= len && s.value.span.start <= s.value.span.end);
        assert!(source.text().is_char_boundary(s.value.span.start));
    }
    for l in facts.literals.iter() {
        assert!(l.span.end <= len);
    }
    let entry = FileEntry {
        path,
        display: name.to_string(),
        class,
    };
    let pairs = credlint::config::Pairs::default();
    let cx = Ctx {
        providers,
        rules: rule::builtin(),
        placeholders: Placeholders::builtin(),
        pairs: &pairs,
        verify: None,
    };
    let files = [FileRef {
        entry: &entry,
        source: &source,
        facts: &facts,
    }];
    let _ = rule::run(&cx, &files);
    let _ = facts.render(&source, providers);
    facts
}

/// The languages of the code engine and the shell extractor, with a file
/// name each.
pub const LANGS: [(Language, &str); 11] = [
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

/// Work per byte of source above which an extraction is not linear (see
/// `credlint::extract::code::extract_work`): a node costs a few lookups,
/// and a node takes at least one byte.
pub const WORK_PER_BYTE: u64 = 4;

/// Nest `wrap` (its first `{}` is the hole; appended if it has none)
/// `depth` times around `leaf` in `lang`, run the single-file pipeline on
/// it, and check that the code extractor's work stays linear in the text.
/// Returns the work and the text's length.
pub fn nested(lang_index: u8, depth: usize, wrap: &str, leaf: &str) -> (u64, usize) {
    let (lang, name) = LANGS[lang_index as usize % LANGS.len()];
    let (open, close) = wrap.split_once("{}").unwrap_or((wrap, ""));
    let text = format!("{}{leaf}{}", open.repeat(depth), close.repeat(depth));
    run(FileKind::Code(lang), name, text.as_bytes());
    let (_, work) = credlint::extract::code::extract_work(lang, &text, Providers::builtin());
    assert!(
        work <= WORK_PER_BYTE * (text.len() as u64 + 64),
        "{lang:?}: {work} lookups for {} bytes ({wrap:?} × {depth} around {leaf:?})",
        text.len()
    );
    (work, text.len())
}

/// The `nesting` target's input: language byte, two depth bytes (up to
/// 8,191 levels), then wrap and leaf split at the first NUL.
pub fn nesting_input(data: &[u8]) {
    let [lang, hi, lo, rest @ ..] = data else {
        return;
    };
    let depth = usize::from(u16::from_be_bytes([*hi, *lo]) & 0x1fff);
    let text = String::from_utf8_lossy(rest);
    let (wrap, leaf) = text.split_once('\0').unwrap_or((&text, ""));
    // Small enough for the fuzzer's timeout: the point is the depth, not
    // the size of one level.
    if wrap.len() * depth > 1 << 20 {
        return;
    }
    nested(*lang, depth, wrap, leaf);
}
