//! Shared by the fuzz targets: run one file of a given kind through the
//! whole single-file pipeline (decode, prefilter, extract, rules, render).
//! `tests/fuzz_regressions.rs` compiles this file too, so that it cannot
//! fall behind the library's API unnoticed.

use std::path::PathBuf;

use credlint::fact::FileFacts;
use credlint::provider::Providers;
use credlint::rule::{self, Ctx, FileRef, Placeholders};
use credlint::source::Source;
use credlint::walk::{FileClass, FileEntry, FileKind};

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
