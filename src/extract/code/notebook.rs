//! Jupyter notebooks (`.ipynb`).
//!
//! A notebook is JSON; its cells' sources are JSON strings (or arrays of
//! them) with escapes. This module parses the JSON with serde_json, keeping
//! each cell's `source` as the raw text it was written as (a borrowed
//! `RawValue`, whose position in the file is known), decodes it while
//! recording, for every decoded byte, the file bytes it came from, and
//! lints the code cells in the kernel's language
//! (`metadata.kernelspec.language`, `metadata.language_info.name`, default
//! Python) with the code extractor. Every span is then mapped back, so a
//! finding points at the line and column of the `.ipynb` file itself.
//!
//! The code cells are joined into one program (cells run in one kernel, so
//! a constant of one cell is used by the next); IPython magics (`%…`, `!…`)
//! are blanked before parsing, except `%env NAME=value`, which sets an env
//! variable and is read as one. `%%bash` / `%%sh` cells are shell. Markdown
//! cells, outputs and metadata are prose: a key there is still KEY001, an
//! org ID is not ORG001.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::extract as extract_code;
use crate::extract::{Extracted, Regions, literal};
use crate::fact::{
    DefSource, Definition, FileFacts, ParseError, Setting, TextContext, Value, ValueKind,
};
use crate::provider::{Hits, Providers};
use crate::source::Span;
use crate::walk::Language;

#[derive(Deserialize)]
struct Notebook<'a> {
    #[serde(borrow, default)]
    cells: Vec<Cell<'a>>,
    #[serde(default)]
    metadata: Metadata,
}

#[derive(Deserialize)]
struct Cell<'a> {
    #[serde(default)]
    cell_type: String,
    #[serde(borrow, default)]
    source: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(default)]
    kernelspec: Option<Kernelspec>,
    #[serde(default)]
    language_info: Option<LanguageInfo>,
}

#[derive(Deserialize)]
struct Kernelspec {
    #[serde(default)]
    language: Option<String>,
}

#[derive(Deserialize)]
struct LanguageInfo {
    #[serde(default)]
    name: Option<String>,
}

/// Decoded text and, for each decoded byte, the file range it came from.
#[derive(Default)]
struct Decoded {
    text: String,
    /// `starts[i]`: file offset of the source of decoded byte `i`;
    /// `starts[len]`: the file offset after the last source byte.
    starts: Vec<usize>,
    /// `ends[i]`: file offset after the source of decoded byte `i`.
    ends: Vec<usize>,
    /// The text before magics were blanked (for the literal scan), when
    /// some were.
    original: Option<String>,
    /// The blanked magic lines: values, for the literal scan.
    magics: Vec<Span>,
}

impl Decoded {
    fn push(&mut self, c: char, from: usize, to: usize) {
        let mut buf = [0u8; 4];
        let s = c.encode_utf8(&mut buf);
        for k in 0..s.len() {
            self.starts.push(from + k.min(to.saturating_sub(from + 1)));
            self.ends.push(to);
        }
        self.text.push(c);
        if let Some(o) = &mut self.original {
            o.push(c);
        }
    }

    /// Append another decoded text (without its trailing end entry).
    fn append(&mut self, other: &Decoded) {
        let at = self.text.len();
        if self.original.is_some() || other.original.is_some() {
            let mut o = self.original.take().unwrap_or_else(|| self.text.clone());
            o.push_str(other.original.as_deref().unwrap_or(&other.text));
            self.original = Some(o);
        }
        self.magics.extend(other.magics.iter().map(|m| m.shift(at)));
        self.text.push_str(&other.text);
        self.starts
            .extend(other.starts.iter().take(other.text.len()));
        self.ends.extend(&other.ends);
    }

    /// A separator that maps to where the previous text ended.
    fn push_separator(&mut self) {
        let at = self.ends.last().copied().unwrap_or(0);
        self.push('\n', at, at);
    }

    /// The file span of a decoded span.
    fn map(&self, span: Span, end_of_text: usize) -> Span {
        let start = self.starts.get(span.start).copied().unwrap_or(end_of_text);
        let end = if span.end > span.start {
            self.ends.get(span.end - 1).copied().unwrap_or(end_of_text)
        } else {
            start
        };
        Span::new(start, end.max(start))
    }
}

/// Decode a cell's raw `source` (a JSON string or array of strings) that
/// starts at file offset `base`.
fn decode_source(raw: &str, base: usize) -> Decoded {
    let mut out = Decoded::default();
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        i += 1;
        // One JSON string: serde_json has validated it.
        while i < bytes.len() && bytes[i] != b'"' {
            if bytes[i] == b'\\' {
                let from = i;
                let esc = bytes.get(i + 1).copied().unwrap_or(b'\\');
                let (c, len) = match esc {
                    b'n' => (Some('\n'), 2),
                    b't' => (Some('\t'), 2),
                    b'r' => (Some('\r'), 2),
                    b'b' => (Some('\u{8}'), 2),
                    b'f' => (Some('\u{c}'), 2),
                    b'u' => unicode_escape(raw, i),
                    other => (Some(other as char), 2),
                };
                if let Some(c) = c {
                    out.push(c, base + from, base + from + len);
                }
                i += len;
            } else {
                let Some(c) = raw.get(i..).and_then(|s| s.chars().next()) else {
                    break;
                };
                out.push(c, base + i, base + i + c.len_utf8());
                i += c.len_utf8();
            }
        }
        i += 1;
    }
    let end = out.ends.last().copied().unwrap_or(base);
    out.starts.push(end);
    out
}

/// `\uXXXX`, with a surrogate pair `\uD83D\uDE00` read as one character.
fn unicode_escape(raw: &str, at: usize) -> (Option<char>, usize) {
    let hex = |from: usize| {
        raw.get(from..from + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    let Some(first) = hex(at + 2) else {
        return (None, 2);
    };
    if (0xD800..0xDC00).contains(&first)
        && raw.get(at + 6..at + 8) == Some("\\u")
        && let Some(second) = hex(at + 8)
        && (0xDC00..0xE000).contains(&second)
    {
        let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
        return (char::from_u32(c), 12);
    }
    (
        Some(char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER)),
        6,
    )
}

fn kernel_language(m: &Metadata) -> Option<Language> {
    let name = m
        .kernelspec
        .as_ref()
        .and_then(|k| k.language.clone())
        .or_else(|| m.language_info.as_ref().and_then(|l| l.name.clone()))
        .unwrap_or_else(|| "python".into())
        .to_ascii_lowercase();
    Some(match name.as_str() {
        "python" | "python3" | "python2" | "ipython" => Language::Python,
        "javascript" | "js" | "node" | "nodejs" => Language::JavaScript,
        "typescript" | "ts" => Language::TypeScript,
        "go" | "golang" => Language::Go,
        "java" => Language::Java,
        "c#" | "csharp" | ".net (c#)" => Language::CSharp,
        "ruby" => Language::Ruby,
        "rust" => Language::Rust,
        "php" => Language::Php,
        "bash" | "sh" | "shell" | "zsh" => Language::Shell,
        _ => return None,
    })
}

/// Everything the notebook extractor learned, in file coordinates.
struct NotebookFacts {
    facts: FileFacts,
    next_scope: u32,
}

/// Extract a notebook.
pub fn extract(text: &str, hits: Hits, providers: &Providers) -> Extracted {
    let whole = Span::new(0, text.len());
    let nb: Notebook<'_> = match serde_json::from_str(text) {
        Ok(nb) => nb,
        Err(e) => {
            let mut facts = FileFacts::default();
            facts.parse_errors.push(ParseError {
                span: error_span(text, e.line(), e.column()),
                message: format!("invalid notebook JSON: {e}"),
            });
            // Which parts are code is unknown: the literal scan reads the
            // file as text (an org ID in it is reported, as in any file
            // that cannot be parsed), not as prose.
            return Extracted {
                facts,
                regions: Regions::default(),
                knows_comments: false,
                scanned: false,
            };
        }
    };
    let lang = kernel_language(&nb.metadata);
    let enabled = providers.enabled(hits);
    let scan = hits.literals();
    let mut out = NotebookFacts {
        facts: FileFacts::default(),
        next_scope: 1,
    };
    let mut sources: Vec<Span> = Vec::new();
    let mut program = Decoded::default();
    let mut shell_cells = Vec::new();
    for cell in &nb.cells {
        let Some(raw) = cell.source else { continue };
        let raw_text = raw.get();
        let base = (raw_text.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        if base > text.len() {
            continue;
        }
        sources.push(Span::new(base, base + raw_text.len()));
        let decoded = decode_source(raw_text, base);
        if cell.cell_type != "code" {
            // Markdown and raw cells: prose.
            if scan {
                for mut l in literal::scan(&decoded.text, &enabled, |_| TextContext::Prose) {
                    l.span = decoded.map(l.span, base);
                    out.facts.literals.push(l);
                }
            }
            continue;
        }
        let first_line = decoded.text.lines().next().unwrap_or("").trim();
        if first_line.starts_with("%%bash") || first_line.starts_with("%%sh") {
            shell_cells.push(decoded);
            continue;
        }
        if !program.text.is_empty() {
            program.push_separator();
        }
        program.append(&blank_magics(decoded, lang, &mut out.facts, providers));
    }
    let end = program.ends.last().copied().unwrap_or(0);
    program.starts.push(end);
    if !program.text.is_empty() {
        cell_facts(
            &mut out,
            lang,
            &program,
            providers,
            &enabled,
            scan,
            text.len(),
        );
    }
    for cell in shell_cells {
        // Blank the `%%bash` line itself; the rest is a script.
        let mut cell = cell;
        let nl = cell.text.find('\n').unwrap_or(cell.text.len());
        cell.text.replace_range(..nl, &" ".repeat(nl));
        cell_facts(
            &mut out,
            Some(Language::Shell),
            &cell,
            providers,
            &enabled,
            scan,
            text.len(),
        );
    }
    // Outputs, attachments and metadata: prose; a key printed in an output
    // is still a leak.
    sources.sort();
    if scan {
        for l in literal::scan(text, &enabled, |_| TextContext::Prose) {
            if !sources
                .iter()
                .any(|s| s.start <= l.span.start && l.span.start < s.end)
            {
                out.facts.literals.push(l);
            }
        }
    }
    out.facts.literals.sort_by_key(|l| l.span.start);
    out.facts
        .settings
        .sort_by_key(|s| (s.value.span, s.name_span));
    out.facts.reads.sort_by_key(|r| r.span);
    Extracted {
        facts: out.facts,
        regions: Regions {
            prose: vec![whole],
            ..Regions::default()
        },
        knows_comments: true,
        scanned: true,
    }
}

/// Lint decoded code in `lang` and map its facts into the file.
fn cell_facts(
    out: &mut NotebookFacts,
    lang: Option<Language>,
    code: &Decoded,
    providers: &Providers,
    enabled: &crate::provider::Enabled<'_>,
    scan: bool,
    file_len: usize,
) {
    let ext = lang.and_then(|l| extract_code(l, &code.text, providers));
    let (mut facts, regions) = match ext {
        Some(e) => (e.facts, e.regions),
        None => (FileFacts::default(), Regions::default()),
    };
    if scan {
        let text = code.original.as_deref().unwrap_or(&code.text);
        facts.literals.extend(literal::scan(text, enabled, |at| {
            if code.magics.iter().any(|m| m.start <= at && at < m.end) {
                TextContext::Value
            } else {
                regions.context(at)
            }
        }));
    }
    let m = |s: Span| code.map(s, file_len);
    let base = out.next_scope - 1;
    let bump = |s: u32| if s == 0 { 0 } else { s + base };
    for mut sc in facts.scopes {
        sc.id = bump(sc.id);
        sc.parent = sc.parent.map(bump);
        sc.span = m(sc.span);
        out.next_scope = out.next_scope.max(sc.id + 1);
        out.facts.scopes.push(sc);
    }
    for mut s in facts.settings {
        s.name_span = m(s.name_span);
        s.value.span = m(s.value.span);
        s.entry = m(s.entry);
        s.scope = bump(s.scope);
        out.facts.settings.push(s);
    }
    for mut d in facts.definitions {
        d.name_span = m(d.name_span);
        d.value.span = m(d.value.span);
        d.entry = m(d.entry);
        d.scope = bump(d.scope);
        out.facts.definitions.push(d);
    }
    for mut r in facts.reads {
        r.span = m(r.span);
        r.scope = bump(r.scope);
        if let Some(d) = &mut r.default {
            d.span = m(d.span);
        }
        out.facts.reads.push(r);
    }
    for mut c in facts.clients {
        c.span = m(c.span);
        c.scope = bump(c.scope);
        out.facts.clients.push(c);
    }
    for mut l in facts.literals {
        l.span = m(l.span);
        out.facts.literals.push(l);
    }
    for mut e in facts.parse_errors {
        e.span = m(e.span);
        out.facts.parse_errors.push(e);
    }
    for mut t in facts.truncations {
        t.span = m(t.span);
        out.facts.truncations.push(t);
    }
}

/// Blank IPython magics (`%…`, `!…`) so that the cell parses as code, and
/// read `%env NAME=value` as an env definition.
fn blank_magics(
    mut d: Decoded,
    lang: Option<Language>,
    facts: &mut FileFacts,
    providers: &Providers,
) -> Decoded {
    if lang != Some(Language::Python) {
        return d;
    }
    let mut at = 0;
    let mut blanks = Vec::new();
    for line in d.text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start().len();
        let t = body.trim_start();
        if t.starts_with('%') || t.starts_with('!') {
            if let Some(rest) = t.strip_prefix("%env ") {
                env_magic(&d, at + indent + 5, rest, facts, providers);
            }
            blanks.push(Span::new(at + indent, at + body.len()));
        }
        at += line.len();
    }
    if blanks.is_empty() {
        return d;
    }
    d.original = Some(d.text.clone());
    for b in &blanks {
        // ASCII spaces keep every offset (and the map) unchanged; a magic
        // line's non-ASCII bytes become spaces too.
        let spaces = " ".repeat(b.len());
        d.text.replace_range(b.start..b.end, &spaces);
    }
    d.magics = blanks;
    d
}

/// `%env NAME=value` (or `%env NAME value`) at decoded offset `at`.
fn env_magic(d: &Decoded, at: usize, rest: &str, facts: &mut FileFacts, providers: &Providers) {
    let sep = rest.find(['=', ' ']).unwrap_or(rest.len());
    let name = rest[..sep].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return;
    }
    let value_start = (sep + 1).min(rest.len());
    let raw_value = &rest[value_start..];
    let value_text = raw_value.trim();
    let lead = raw_value.len() - raw_value.trim_start().len();
    let vstart = at + value_start + lead;
    let map = |s: Span| d.map(s, d.starts.last().copied().unwrap_or(0));
    let value = Value {
        kind: if value_text.is_empty() {
            ValueKind::Empty
        } else {
            ValueKind::Literal
        },
        text: value_text.to_string(),
        reference: None,
        span: map(Span::new(vstart, vstart + value_text.len())),
        quote: None,
    };
    let name_span = map(Span::new(at, at + name.len()));
    let entry = map(Span::new(at - 5, at + rest.len()));
    if let Some((provider, variable)) = providers.variable(name) {
        facts.settings.push(Setting {
            provider,
            slot: variable.slot,
            name: name.to_string(),
            name_span,
            value: value.clone(),
            entry,
            scope: 0,
            env_ref: None,
        });
    }
    facts.definitions.push(Definition {
        name: name.to_string(),
        name_span,
        value,
        entry,
        scope: 0,
        source: DefSource::Code,
    });
}

/// The span of serde_json's 1-based line and column.
fn error_span(text: &str, line: usize, column: usize) -> Span {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    let mut at = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    Span::new(at, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_sources_with_a_map_back_to_the_file() {
        let raw = r#"["a = \"x\"\n", "b\u00e9\ud83d\ude00"]"#;
        let d = decode_source(raw, 100);
        assert_eq!(d.text, "a = \"x\"\nbé😀");
        assert_eq!(d.starts.len(), d.text.len() + 1);
        // `"x"`: the quote is `\"` at raw offset 6.
        assert_eq!(d.starts[4], 106);
        assert_eq!(d.ends[4], 108);
        // `b` starts the second string.
        let b = d.text.find('b').expect("b");
        assert_eq!(d.starts[b], 100 + raw.find('b').expect("b"));
        let smile = d.text.find('😀').expect("emoji");
        assert_eq!(d.map(Span::new(smile, smile + 4), 0).len(), 12);
    }

    #[test]
    fn error_spans_are_clamped() {
        assert_eq!(error_span("ab\ncd", 2, 2), Span::new(4, 5));
        assert_eq!(error_span("ab", 9, 9), Span::new(2, 2));
    }
}
