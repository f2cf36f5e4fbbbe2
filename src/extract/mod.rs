//! Extractors: one module per file format, each turning one file into
//! [`FileFacts`]. An extractor knows nothing about rules; a parse failure
//! becomes a `ParseError` fact, not an abort.

use crate::fact::{FileFacts, TextContext};
use crate::provider::{Hits, Providers};
use crate::source::{Source, Span};
use crate::walk::{FileClass, FileKind, Language};

pub mod dotenv;
pub mod literal;

/// Extract the facts of one file. `hits` is what the keyword prefilter
/// found in its bytes.
pub fn extract(class: &FileClass, source: &Source, hits: Hits, providers: &Providers) -> FileFacts {
    let (mut facts, comments) = match class.kind {
        FileKind::Env { shell } => {
            let env = dotenv::extract(source, providers, shell);
            (env.facts, env.comments)
        }
        _ => (FileFacts::default(), Vec::new()),
    };
    if hits.any() {
        let enabled = providers.enabled(hits);
        let text = source.text();
        facts.literals = match class.kind {
            FileKind::Env { .. } => literal::scan(text, &enabled, |at| in_spans(&comments, at)),
            FileKind::Docs => literal::scan(text, &enabled, |_| TextContext::Prose),
            kind => {
                let prefixes = line_comment_prefixes(kind);
                literal::scan(text, &enabled, |at| line_comment(text, at, prefixes))
            }
        };
    }
    literal::context_keys(&mut facts, providers);
    facts
}

fn in_spans(spans: &[Span], at: usize) -> TextContext {
    let i = spans.partition_point(|s| s.end <= at);
    match spans.get(i) {
        Some(s) if s.start <= at => TextContext::Comment,
        _ => TextContext::Value,
    }
}

/// Whole-line comment markers by file kind. Code-aware comment detection
/// replaces this for the languages with a parser.
fn line_comment_prefixes(kind: FileKind) -> &'static [&'static str] {
    match kind {
        FileKind::Yaml | FileKind::Toml | FileKind::Dockerfile | FileKind::Env { .. } => &["#"],
        FileKind::Properties => &["#", "!"],
        FileKind::Json { comments: true } => &["//", "/*", "*"],
        FileKind::Json { comments: false } | FileKind::Notebook => &[],
        FileKind::Code(Language::Python | Language::Ruby | Language::Shell) => &["#"],
        FileKind::Code(Language::Php) => &["#", "//", "/*", "*"],
        FileKind::Code(Language::Other) => &["//", "/*", "*", "#", "--"],
        FileKind::Code(_) => &["//", "/*", "*"],
        FileKind::Docs => &[],
        FileKind::Other => &["#", ";", "//"],
    }
}

fn line_comment(text: &str, at: usize, prefixes: &[&str]) -> TextContext {
    if prefixes.is_empty() {
        return TextContext::Value;
    }
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let head = text[line_start..at].trim_start();
    if prefixes.iter().any(|p| head.starts_with(p)) {
        TextContext::Comment
    } else {
        TextContext::Value
    }
}
