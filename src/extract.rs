//! Extractors: one module per file format, each turning one file into
//! [`FileFacts`]. An extractor knows nothing about rules; a parse failure
//! becomes a `ParseError` fact, not an abort.
//!
//! Every extractor also says where the file's comments, prose and string
//! literals are ([`Regions`]); the provider literal scan uses that to tell a
//! key in a comment from one in a value, and an org ID in a string from one
//! in an identifier.

use std::path::Path;

use crate::fact::{FileFacts, TextContext};
use crate::progress::timings::{self, Count, Phase};
use crate::provider::{Hits, Providers};
use crate::source::{Source, Span};
use crate::walk::{FileClass, FileKind};

pub mod code;
pub mod config;
pub mod config_tree;
pub mod directive;
pub mod dotenv;
pub mod format;
pub mod json;
pub mod literal;
pub mod manifest;
pub mod toml_cfg;
pub mod yaml;

/// Where a file's comments, prose and strings are. Each list is sorted and
/// non-overlapping.
#[derive(Debug, Default)]
pub struct Regions {
    pub comments: Vec<Span>,
    /// Docstrings and other prose inside a file.
    pub prose: Vec<Span>,
    /// String literals, for code: outside them (and comments) text is code
    /// (`TextContext::Code`). `None` when the extractor does not know.
    pub strings: Option<Vec<Span>>,
    /// Parts the parser did not walk (nested too deep): their text is a
    /// value, as in a file read as text.
    pub unparsed: Vec<Span>,
}

impl Regions {
    pub(crate) fn context(&self, at: usize) -> TextContext {
        if contains(&self.comments, at) {
            TextContext::Comment
        } else if contains(&self.prose, at) {
            TextContext::Prose
        } else if contains(&self.unparsed, at) {
            TextContext::Value
        } else {
            match &self.strings {
                Some(s) if !contains(s, at) => TextContext::Code,
                _ => TextContext::Value,
            }
        }
    }
}

/// The result of a format extractor.
#[derive(Debug, Default)]
pub struct Extracted {
    pub facts: FileFacts,
    pub regions: Regions,
    /// Whether `regions.comments` is authoritative; when false, whole-line
    /// comments are recognised by the format's comment markers.
    pub knows_comments: bool,
    /// Whether the extractor already filled `facts.literals` (a notebook
    /// scans each cell's decoded text itself).
    pub scanned: bool,
}

/// Extract the facts of one file at `path`. `hits` is what the keyword
/// prefilter found in its bytes.
pub fn extract(
    class: &FileClass,
    path: &Path,
    source: &Source,
    hits: Hits,
    providers: &Providers,
) -> FileFacts {
    let Extracted {
        mut facts,
        regions,
        knows_comments,
        scanned,
    } = match class.kind {
        FileKind::Env { shell } => {
            let env = timings::time(Phase::Env, || {
                dotenv::extract_credentials(source, providers, shell)
            });
            Extracted {
                facts: env.facts,
                regions: Regions {
                    comments: env.comments,
                    ..Regions::default()
                },
                knows_comments: true,
                scanned: false,
            }
        }
        FileKind::Code(lang)
            if timings::time(Phase::CodeHits, || {
                worth_parsing(source.text(), hits, providers)
            }) =>
        {
            let text = source.text();
            let at = if text.len() >= code::window::MIN_BYTES {
                timings::time(Phase::CodeHits, || code_hits(text, hits, providers))
            } else {
                Vec::new()
            };
            code::extract_around(lang, text, &at, providers).unwrap_or_default()
        }
        FileKind::Notebook => timings::time(Phase::Notebook, || {
            code::notebook::extract(source.text(), hits, providers)
        }),
        // A template of another tool is no config, a recording is data:
        // text only.
        FileKind::Yaml | FileKind::Toml | FileKind::Json { .. } | FileKind::Properties
            if !class.context.text_only() =>
        {
            match timings::time(Phase::ConfigParse, || {
                config::parse(class.kind, source.text())
            }) {
                Some(file) => Extracted {
                    facts: timings::time(Phase::ConfigExtract, || {
                        config::extract(path, class, source.text(), &file, providers)
                    }),
                    regions: Regions {
                        comments: file.comments,
                        ..Regions::default()
                    },
                    knows_comments: true,
                    scanned: false,
                },
                None => Extracted::default(),
            }
        }
        FileKind::Dockerfile => {
            let d = timings::time(Phase::Dockerfile, || {
                config::dockerfile::extract(source.text(), providers)
            });
            Extracted {
                facts: d.facts,
                regions: Regions {
                    comments: d.comments,
                    ..Regions::default()
                },
                knows_comments: true,
                scanned: false,
            }
        }
        _ => Extracted::default(),
    };
    if hits.literals() && !scanned {
        let enabled = providers.enabled(hits);
        let text = source.text();
        // Extractors may already have found literals the raw text hides
        // (base64 Secret data, a key split over a string concatenation).
        timings::count(Count::LiteralScans, 1);
        let found = timings::time(Phase::Literals, || match class.kind {
            FileKind::Docs => literal::scan(text, &enabled, |_| TextContext::Prose),
            _ if knows_comments => literal::scan(text, &enabled, |at| regions.context(at)),
            kind => {
                let comments = format::comments(kind);
                literal::scan(text, &enabled, |at| {
                    match line_comment(source, at, &comments) {
                        TextContext::Comment => TextContext::Comment,
                        _ => regions.context(at),
                    }
                })
            }
        });
        facts.literals.extend(found);
        facts.literals.sort_by_key(|l| l.span.start);
    }
    literal::context_keys(&mut facts, providers);
    if class.kind == FileKind::Docs || path.extension().is_some_and(|e| e == "md") {
        facts.env_setup = crate::fact::env_setup(source.text());
    }
    if hits.directive() {
        let comments = knows_comments.then_some(regions.comments.as_slice());
        facts.suppressions = timings::time(Phase::Directives, || {
            directive::scan(class.kind, source, comments)
        });
    }
    facts
}

/// Whether a source file is worth a parse: it names a client constructor,
/// a credential variable or another code keyword, or holds a literal the
/// regions must place. Generated files over [`code::MAX_PARSE_BYTES`] are
/// scanned as text.
fn worth_parsing(text: &str, hits: Hits, providers: &Providers) -> bool {
    text.len() <= code::MAX_PARSE_BYTES
        && (hits.code() || {
            timings::count(Count::LiteralScans, 1);
            !literal::scan(text, &providers.enabled(hits), |_| TextContext::Value).is_empty()
        })
}

/// Where a source file holds what makes it worth parsing: code words,
/// suppression directives and key or ID literals (byte offsets).
pub(crate) fn code_hits(text: &str, hits: Hits, providers: &Providers) -> Vec<usize> {
    let mut at = providers.prefilter().code_positions(text.as_bytes());
    if hits.literals() {
        timings::count(Count::LiteralScans, 1);
        let enabled = providers.enabled(hits);
        let found = literal::scan(text, &enabled, |_| TextContext::Value);
        at.extend(found.iter().map(|l| l.span.start));
    }
    at
}

fn contains(spans: &[Span], at: usize) -> bool {
    let i = spans.partition_point(|s| s.end <= at);
    spans.get(i).is_some_and(|s| s.start <= at)
}

/// Whether `at` is on a whole-line comment, by the format's comment
/// markers: for formats whose extractor does not report comments.
fn line_comment(source: &Source, at: usize, comments: &format::Comments) -> TextContext {
    if !comments.has_line_comments() {
        return TextContext::Value;
    }
    // The line index, not a search back: many literals on one long line
    // would each read the line again.
    let text = source.text();
    let line_start = source.line_start(at);
    let head = text[line_start..at].trim_start();
    if comments.starts_line(head) {
        TextContext::Comment
    } else {
        TextContext::Value
    }
}
