//! Inline suppression directives: finding `credlint: ignore[…]` in
//! comments ([`scan`], run by the extractor on every decoded file that the
//! prefilter saw `credlint:` in). They become [`Suppression`] facts; the
//! rule layer applies them to the findings after the rules have run
//! (`crate::rule::suppress::apply`), which is also where SUP001 is decided.
//!
//! Syntax, in any comment (`#`, `//`, `/* */`, `--`, `<!-- -->`, `;`):
//!
//! - `credlint: ignore[KEY001, ORG001]` — these rules;
//! - `credlint: ignore` — every rule;
//! - `credlint: ignore-file` (optionally `ignore-file[CODES]`) — the whole
//!   file, wherever the comment is.
//!
//! A line directive covers its own line (a trailing comment, or a finding
//! inside the comment itself); when its comment stands alone on its line,
//! it also covers the next line, so it can sit above what it suppresses.
//! Text after the directive (`— test key, not real`) is free.
//!
//! A directive counts only inside a comment, and only at the start of the
//! comment's text: right after the marker and blanks, or after a second
//! marker on the line (a `#` after a `# noqa: E501`), so prose that
//! mentions the syntax is not one.
//! Where the extractor knows the file's comments exactly, that decides;
//! otherwise the line must hold one of the format's comment markers
//! ([`format::comments`]) before the directive, outside string quotes, or
//! the directive must lie inside a `/* */` or `<!-- -->` block.

use memchr::memmem;

use super::format::{self, Comments};
use crate::fact::Suppression;
use crate::source::{Source, Span};
use crate::walk::FileKind;

/// The prefilter keyword: only files that contain it are scanned for
/// directives.
pub use crate::provider::DIRECTIVE_KEYWORD as KEYWORD;

/// Find the suppression directives of one file. `comments` are the file's
/// comment spans when its extractor knows them exactly (sorted).
pub fn scan(kind: FileKind, source: &Source, comments: Option<&[Span]>) -> Vec<Suppression> {
    let text = source.text();
    let syn = format::comments(kind);
    let mut out = Vec::new();
    for at in memmem::find_iter(text.as_bytes(), KEYWORD.as_bytes()) {
        if !starts_comment(text, at) {
            continue;
        }
        let Some((directive_end, codes, file)) = parse_directive(text, at) else {
            continue;
        };
        let comment = match comments {
            Some(spans) => spans.iter().find(|c| c.start <= at && at < c.end).copied(),
            None => comment_around(text, at, &syn),
        };
        let Some(comment) = comment else { continue };
        let line = source.position(at).line;
        let alone = blank_before(text, comment.start) && blank_after(text, comment.end);
        let last = if alone {
            source.position(comment.end.max(comment.start)).line + 1
        } else {
            line
        };
        out.push(Suppression {
            span: Span::new(at, directive_end),
            codes,
            file,
            lines: (line, last),
        });
    }
    out
}

/// Whether the keyword at `at` opens its comment's text: only blanks lie
/// between it and the end of a comment marker (`#`, `//`, `/*`, `*`, `--`,
/// `<!--`, `;`, `!`). Prose that mentions a directive (`` see `credlint:
/// ignore` ``, `reason: credlint: ignore`) is not one.
fn starts_comment(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches([' ', '\t']);
    before
        .as_bytes()
        .last()
        .is_some_and(|b| matches!(b, b'#' | b'/' | b'*' | b'-' | b';' | b'!'))
}

type Codes = Option<Vec<(String, Span)>>;

/// Parse `credlint: ignore…` at `at`: the end of the directive, its codes
/// and whether it is file-wide. `None` when the text is not a directive.
fn parse_directive(text: &str, at: usize) -> Option<(usize, Codes, bool)> {
    let bytes = text.as_bytes();
    let mut i = at + KEYWORD.len();
    while bytes.get(i).is_some_and(|&b| b == b' ' || b == b'\t') {
        i += 1;
    }
    let rest = text.get(i..)?;
    let (word, file) = if rest.starts_with("ignore-file") {
        ("ignore-file", true)
    } else if rest.starts_with("ignore") {
        ("ignore", false)
    } else {
        return None;
    };
    i += word.len();
    // `ignored`, `ignore_x`, `ignore-files` are not directives.
    if bytes
        .get(i)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return None;
    }
    let word_end = i;
    let mut j = i;
    while bytes.get(j).is_some_and(|&b| b == b' ' || b == b'\t') {
        j += 1;
    }
    if bytes.get(j) != Some(&b'[') {
        return Some((word_end, None, file));
    }
    let open = j + 1;
    let line_end = text[open..].find('\n').map_or(text.len(), |n| open + n);
    let close = open + text[open..line_end].find(']')?;
    let mut codes = Vec::new();
    let mut start = open;
    for part in text[open..close].split(',') {
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            let offset = start + (part.len() - part.trim_start().len());
            codes.push((
                trimmed.to_ascii_uppercase(),
                Span::new(offset, offset + trimmed.len()),
            ));
        }
        start += part.len() + 1;
    }
    Some((close + 1, Some(codes), file))
}

/// The comment that holds offset `at`, by the file kind's comment markers:
/// a comment that starts before it on its line outside any string, or a
/// block comment opened on an earlier line and not yet closed.
fn comment_around(text: &str, at: usize, syn: &Comments) -> Option<Span> {
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    let block_end = |close: &str| {
        text[at..]
            .find(close)
            .map_or(text.len(), |c| at + c + close.len())
    };
    let head = &text.as_bytes()[line_start..at];
    let mut quote: Option<u8> = None;
    let mut k = 0;
    while k < head.len() {
        let b = head[k];
        if let Some(q) = quote {
            if b == b'\\' {
                k += 1;
            } else if b == q {
                quote = None;
            }
            k += 1;
            continue;
        }
        // An apostrophe inside a word (`it's`) opens no string.
        let in_word = k > 0 && head[k - 1].is_ascii_alphanumeric();
        if syn.quotes.contains(&b) && !(b == b'\'' && in_word) {
            quote = Some(b);
        } else if syn.line.iter().any(|m| head[k..].starts_with(m.as_bytes())) {
            return Some(Span::new(line_start + k, line_end));
        } else if let Some((open, close)) = syn
            .block
            .iter()
            .find(|(o, _)| head[k..].starts_with(o.as_bytes()))
        {
            let body = k + open.len();
            match find(&head[body..], close.as_bytes()) {
                // closed before the directive: go on after it
                Some(c) => {
                    k = body + c + close.len();
                    continue;
                }
                None => return Some(Span::new(line_start + k, block_end(close))),
            }
        }
        k += 1;
    }
    // A continuation line (` * ` and the directive) of a block comment
    // opened on an earlier line. Strings are not tracked across lines, so
    // only a line that looks like one counts.
    let lead = text[line_start..at].trim();
    if lead.is_empty() || !lead.bytes().all(|b| b == b'*') {
        return None;
    }
    for (open, close) in syn.block {
        let before = &text[..line_start];
        if let Some(o) = before.rfind(open)
            && text[o + open.len()..at].find(close).is_none()
        {
            return Some(Span::new(o, block_end(close)));
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memmem::find(hay, needle)
}

fn blank_before(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    text[line_start..at].trim().is_empty()
}

fn blank_after(text: &str, at: usize) -> bool {
    let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    text[at..line_end].trim().is_empty()
}

/// What one directive suppressed in this run.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::walk::Language;

    fn scan_text(kind: FileKind, text: &str) -> Vec<String> {
        let source = Source::new(text.to_string());
        scan(kind, &source, None)
            .iter()
            .map(|s| {
                let codes = match &s.codes {
                    None => "*".to_string(),
                    Some(c) => c
                        .iter()
                        .map(|(c, sp)| {
                            assert_eq!(text[sp.start..sp.end].to_ascii_uppercase(), *c);
                            c.as_str()
                        })
                        .collect::<Vec<_>>()
                        .join(","),
                };
                format!(
                    "{}{codes} {}-{} {:?}",
                    if s.file { "file " } else { "" },
                    s.lines.0,
                    s.lines.1,
                    &text[s.span.start..s.span.end]
                )
            })
            .collect()
    }

    const PY: FileKind = FileKind::Code(Language::Python);
    const JS: FileKind = FileKind::Code(Language::JavaScript);

    #[test]
    fn every_comment_syntax() {
        let cases: &[(FileKind, &str)] = &[
            (PY, "x = 1  # credlint: ignore[KEY001]\n"),
            (JS, "x = 1; // credlint: ignore[KEY001]\n"),
            (JS, "x = 1; /* credlint: ignore[KEY001] */\n"),
            (
                FileKind::Code(Language::Other),
                "select 1 -- credlint: ignore[KEY001]\n",
            ),
            (FileKind::Docs, "text <!-- credlint: ignore[KEY001] -->\n"),
            (FileKind::Other, "key = 1 ; credlint: ignore[KEY001]\n"),
            (FileKind::Yaml, "key: v # credlint: ignore[KEY001]\n"),
            (FileKind::Toml, "key = \"v\" # credlint: ignore[KEY001]\n"),
            (
                FileKind::Json { comments: true },
                "{\"a\": 1} // credlint: ignore[KEY001]\n",
            ),
            (
                FileKind::Code(Language::Go),
                "x := 1 // credlint: ignore[KEY001]\n",
            ),
            (
                FileKind::Code(Language::Rust),
                "let x = 1; // credlint: ignore[KEY001]\n",
            ),
            (
                FileKind::Code(Language::Shell),
                "X=1 # credlint: ignore[KEY001]\n",
            ),
            (FileKind::Dockerfile, "ENV X=1 # credlint: ignore[KEY001]\n"),
            (FileKind::Properties, "x=1\n! credlint: ignore[KEY001]\n"),
        ];
        for (kind, text) in cases {
            let got = scan_text(*kind, text);
            assert_eq!(got.len(), 1, "{kind:?} {text:?}: {got:?}");
            assert!(got[0].starts_with("KEY001 "), "{kind:?} {text:?}: {got:?}");
        }
    }

    #[test]
    fn placement_own_line_or_next() {
        // trailing: its own line only
        assert_eq!(
            scan_text(PY, "a\nx = 1  # credlint: ignore[KEY001]\n"),
            ["KEY001 2-2 \"credlint: ignore[KEY001]\""]
        );
        // alone on its line: that line and the next
        assert_eq!(
            scan_text(PY, "a\n    # credlint: ignore[KEY001] test key\nx = 1\n"),
            ["KEY001 2-3 \"credlint: ignore[KEY001]\""]
        );
        // a block comment alone over two lines: through the line after it
        assert_eq!(
            scan_text(JS, "/* credlint: ignore[KEY001]\n   a test key */\nx = 1\n"),
            ["KEY001 1-3 \"credlint: ignore[KEY001]\""]
        );
        // a block comment followed by code on its line is not alone
        assert_eq!(
            scan_text(JS, "/* credlint: ignore[KEY001] */ x = 1\ny = 2\n"),
            ["KEY001 1-1 \"credlint: ignore[KEY001]\""]
        );
        // an HTML comment alone above a Markdown line
        assert_eq!(
            scan_text(
                FileKind::Docs,
                "<!-- credlint: ignore[KEY001] -->\nsk-...\n"
            ),
            ["KEY001 1-2 \"credlint: ignore[KEY001]\""]
        );
        // inside a multi-line block comment, on a continuation line
        assert_eq!(
            scan_text(JS, "/**\n * credlint: ignore[ORG001]\n */\nconst o = 1;\n"),
            ["ORG001 2-4 \"credlint: ignore[ORG001]\""]
        );
    }

    #[test]
    fn forms_of_the_directive() {
        assert_eq!(
            scan_text(PY, "x  # credlint: ignore\n"),
            ["* 1-1 \"credlint: ignore\""]
        );
        assert_eq!(
            scan_text(PY, "x  # credlint:ignore[key001 , org001] because\n"),
            ["KEY001,ORG001 1-1 \"credlint:ignore[key001 , org001]\""]
        );
        assert_eq!(
            scan_text(PY, "# credlint: ignore-file\n"),
            ["file * 1-2 \"credlint: ignore-file\""]
        );
        assert_eq!(
            scan_text(PY, "x = 1\n# credlint: ignore-file[KEY001]\n"),
            ["file KEY001 2-3 \"credlint: ignore-file[KEY001]\""]
        );
        assert_eq!(
            scan_text(PY, "x  # credlint: ignore []\n"),
            [" 1-1 \"credlint: ignore []\""]
        );
    }

    #[test]
    fn not_directives() {
        for (kind, text) in [
            // in a string, with no comment marker before it
            (PY, "x = \"credlint: ignore\"\n"),
            // the marker is inside the string
            (PY, "x = \"# credlint: ignore[KEY001]\"\n"),
            (JS, "const s = '// credlint: ignore';\n"),
            (JS, "const s = `/* credlint: ignore */`;\n"),
            // after the comment ended... on another line
            (PY, "# note\nx = 1 credlint: ignore\n"),
            // mentioned in a comment's prose, not starting it
            (PY, "# write `credlint: ignore` to suppress\n"),
            (PY, "# reason: credlint: ignore[KEY001]\n"),
            (JS, "// see the docs, credlint: ignore\n"),
            // not the keyword's grammar
            (PY, "# credlint: ignored\n"),
            (PY, "# credlint: ignore_this\n"),
            (PY, "# credlint: ignore-files\n"),
            (PY, "# credlint: check this\n"),
            (PY, "# credlint: ignore[KEY001\n"),
            // `#` is a heading in Markdown, not a comment
            (FileKind::Docs, "# credlint: ignore\n"),
            // `//` is not a Python comment
            (PY, "x = 5 // credlint: ignore\n"),
            // plain JSON has no comments
            (
                FileKind::Json { comments: false },
                "{\"a\": \"# credlint: ignore\"}\n",
            ),
            // a block comment closed before the directive
            (JS, "/* a */ x = 1 credlint: ignore\n"),
            // a `/*` in an earlier string does not open a comment
            (
                JS,
                "const g = \"src/*.ts\";\nconst s = \"# credlint: ignore\";\n",
            ),
        ] {
            assert_eq!(
                scan_text(kind, text),
                Vec::<String>::new(),
                "{kind:?} {text:?}"
            );
        }
    }

    #[test]
    fn chained_and_doc_comments() {
        assert_eq!(
            scan_text(PY, "import x  # noqa: F401 # credlint: ignore[KEY001]\n").len(),
            1
        );
        assert_eq!(
            scan_text(
                FileKind::Code(Language::Rust),
                "/// credlint: ignore[KEY001]\nconst K: &str = \"\";\n"
            ),
            ["KEY001 1-2 \"credlint: ignore[KEY001]\""]
        );
        assert_eq!(scan_text(JS, "/** credlint: ignore */\n").len(), 1);
    }

    #[test]
    fn apostrophes_in_words_open_no_string() {
        assert_eq!(
            scan_text(
                FileKind::Yaml,
                "name: it's fine # credlint: ignore[ORG001]\n"
            )
            .len(),
            1
        );
    }

    #[test]
    fn known_comment_spans_decide() {
        let text = "A=1 # credlint: ignore[KEY001]\nB=\"# credlint: ignore\"\n";
        let source = Source::new(text.to_string());
        let comments = [Span::new(4, 30)];
        let found = scan(FileKind::Env { shell: false }, &source, Some(&comments));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].lines, (1, 1));
    }
}
