//! Shared by the fuzz targets: run one file of a given kind through the
//! whole single-file pipeline (decode, prefilter, extract, rules, render
//! in every format and as a diff of the fixes).
//! `tests/fuzz_regressions.rs` compiles this file too, so that it cannot
//! fall behind the library's API unnoticed.

// Each target uses a part of this file.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use credlint::fact::FileFacts;
use credlint::finding::{Finding, Related, Severity, Summary};
use credlint::provider::Providers;
use credlint::report::{Format, Report};
use credlint::rule::{self, FileRef, Placeholders, RuleContext};
use credlint::source::{Source, Span};
use credlint::walk::{FileClass, FileEntry, FileKind, Language};

pub fn run(kind: FileKind, name: &str, data: &[u8]) -> FileFacts {
    check_one(kind, name, data).1
}

/// The file's text, facts and findings.
fn check_one(kind: FileKind, name: &str, data: &[u8]) -> (Source, FileFacts, Vec<Finding>) {
    let providers = Providers::builtin();
    let source = Source::decode(data);
    let class = FileClass {
        kind,
        template: false,
        committed: true,
        test: false,
        context: Default::default(),
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
        tracked_ignored: false,
    };
    let pairs = credlint::config::Pairs::default();
    let cx = RuleContext {
        providers,
        rules: rule::builtin(),
        placeholders: Placeholders::builtin(),
        pairs: &pairs,
        verify: None,
        flow: Default::default(),
    };
    let files = [FileRef {
        entry: &entry,
        source: &source,
        facts: &facts,
    }];
    let graph = credlint::graph::Graph::build(&files);
    let mut findings = rule::run(&cx, &files, &graph);
    credlint::fix::finalize(&mut findings, &files);
    let _ = facts.render(&source, providers);
    (source, facts, findings)
}

/// Render one file's findings as `check` shows them: every format, the
/// statistics, and the diff of their fixes, from the text with its keys
/// hidden by the function `check` uses. A finding on the middle of the
/// text (related to its start) is added, so that `pretty` windows long
/// lines wherever the fuzzer puts them. No output may show a key the text
/// holds (as found by shape) in full.
pub fn render(kind: FileKind, name: &str, data: &[u8]) {
    let providers = Providers::builtin();
    let (source, facts, mut findings) = check_one(kind, name, data);
    let text = source.text();
    let mut mid = text.len() / 2;
    while !text.is_char_boundary(mid) {
        mid -= 1;
    }
    let span = Span::new(mid, (mid + 8).min(text.len()));
    findings.push(Finding {
        code: "FUZZ001".into(),
        name: "middle".into(),
        severity: Severity::Warning,
        path: name.to_string(),
        span,
        start: source.position(span.start),
        end: source.position(span.end),
        message: "here".into(),
        help: String::new(),
        fingerprint: "0".into(),
        related: vec![Related {
            path: name.to_string(),
            span: Span::new(0, text.len().min(1)),
            start: source.position(0),
            message: "and here".into(),
        }],
        fix: None,
    });
    let hidden = credlint::check::hidden_spans(&facts, &source, providers);
    let _ = credlint::fix::targets(&mut findings, providers, |_| {
        Some((PathBuf::from(name), &source, hidden.clone()))
    });
    credlint::check::redact_findings(&mut findings, providers);
    let masked = credlint::redact::mask_spans(text, &hidden);
    let sources = HashMap::from([(name.to_string(), Arc::new(Source::new(masked)))]);
    let mut summary = Summary::default();
    summary.count(&findings);
    let report = Report {
        rules: credlint::rule::builtin(),
        providers: credlint::provider::Providers::builtin(),
        findings: &findings,
        summary: &summary,
        sources: &sources,
        color: false,
    };
    let mut out = Vec::new();
    for format in [
        Format::Pretty,
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Gitlab,
    ] {
        credlint::report::render(format, &report, &mut out).expect("render");
    }
    credlint::report::statistics::render_text(&findings, &mut out).expect("statistics");
    credlint::report::statistics::render_json(&findings, &mut out).expect("statistics");
    // The edits of the fixes, sorted, without overlaps, as `--diff` shows
    // them (every applicability).
    let mut edits: Vec<&credlint::fix::Edit> = findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .flat_map(|x| x.edits.iter())
        .filter(|e| e.path == name)
        .collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut chosen: Vec<&credlint::fix::Edit> = Vec::new();
    for e in edits {
        if chosen.last().is_none_or(|c| !c.conflicts(e)) {
            chosen.push(e);
        }
    }
    if let Some(diff) = credlint::fix::apply::diff_file(name, text, &hidden, &chosen) {
        out.extend_from_slice(diff.as_bytes());
    }
    let shown = String::from_utf8_lossy(&out);
    for key in credlint::redact::key_spans(text, providers) {
        let key = &text[key.start..key.end];
        assert!(
            !shown.contains(key),
            "a key of {} characters is shown in full",
            key.len()
        );
    }
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
