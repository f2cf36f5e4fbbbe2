//! Windowed parsing: parse only the top-level chunks of a source file that
//! hold something credlint looks for.
//!
//! A file is parsed because a client constructor, a credential variable or
//! a key literal occurs in it; the rest of the file (often almost all of it)
//! cannot hold a fact. A parse costs far more than reading the file, so a
//! large file is cut into top-level chunks (a function, a class, a
//! statement: what starts at column 0, outside brackets, strings and
//! comments) and only the chunks with a hit are given to tree-sitter, as
//! included ranges: positions stay those of the file.
//!
//! The result must be what a whole-file parse gives. The caller falls back
//! to one when the windows do not parse cleanly (a chunk boundary was
//! wrong) or when a name the engine resolved also occurs outside the
//! windows (a constant or a configured client variable bound or used
//! elsewhere). Languages whose top level is not visible at column 0 (Java
//! and C# class bodies) or whose strings are too irregular to skip cheaply
//! (Ruby, PHP and shell heredocs) are always parsed whole.

use std::ops::Range;

use crate::walk::Language;

/// Smaller files are parsed whole: a parse of a few KiB costs little.
pub(crate) const MIN_BYTES: usize = 2048;

/// When the windows cover more than this share of a file (in tenths), the
/// whole file is parsed: little would be saved.
const MAX_SHARE_TENTHS: usize = 6;

/// More names to look for outside the windows than this and the whole
/// file is parsed (each name is a pass over the text).
pub(crate) const MAX_NAMES: usize = 32;

/// More windows than this and the whole file is parsed: tree-sitter's
/// lexer looks its included ranges up linearly, so a parse of many ranges
/// costs their number times the text.
const MAX_WINDOWS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Python,
    Js,
    Go,
    Rust,
}

fn family(lang: Language) -> Option<Family> {
    match lang {
        Language::Python => Some(Family::Python),
        Language::JavaScript | Language::TypeScript | Language::Tsx => Some(Family::Js),
        Language::Go => Some(Family::Go),
        Language::Rust => Some(Family::Rust),
        _ => None,
    }
}

/// Whether files of `lang` may be parsed in windows.
pub(crate) fn windowed(lang: Language) -> bool {
    family(lang).is_some()
}

/// The byte ranges to parse: the chunks holding `hits` (byte offsets),
/// merged and in order. `None` when the file should be parsed whole.
pub(crate) fn plan(lang: Language, text: &str, hits: &[usize]) -> Option<Vec<Range<usize>>> {
    plan_from(lang, text, hits, MIN_BYTES)
}

/// [`plan`] for files of at least `min_bytes`.
pub(crate) fn plan_from(
    lang: Language,
    text: &str,
    hits: &[usize],
    min_bytes: usize,
) -> Option<Vec<Range<usize>>> {
    let fam = family(lang)?;
    if text.len() < min_bytes || hits.is_empty() {
        return None;
    }
    let b = text.as_bytes();
    let lines = code_lines(fam, b);
    let starts = top_starts(fam, b, &lines);
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut nested: std::collections::HashMap<usize, Option<Nested>> =
        std::collections::HashMap::new();
    for &h in hits {
        let k = starts.partition_point(|&s| s <= h).saturating_sub(1);
        let start = starts.get(k).copied().unwrap_or(0);
        let end = starts.get(k + 1).copied().unwrap_or(text.len());
        if end - start < NEST_BYTES {
            ranges.push(start..end);
            continue;
        }
        let n = nested
            .entry(start)
            .or_insert_with(|| nest(fam, b, &lines, start..end));
        let Some(n) = n else {
            ranges.push(start..end);
            continue;
        };
        ranges.push(n.header.clone());
        if !n.tail.is_empty() {
            ranges.push(n.tail.clone());
        }
        if h >= n.header.end && h < n.tail.start {
            let m = n.members.partition_point(|&s| s <= h).saturating_sub(1);
            let m_end = n.members.get(m + 1).copied().unwrap_or(n.tail.start);
            ranges.push(n.members[m]..m_end);
        }
    }
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if last.end >= r.start => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    let covered: usize = out.iter().map(|r| r.len()).sum();
    (covered * 10 <= text.len() * MAX_SHARE_TENTHS && out.len() <= MAX_WINDOWS).then_some(out)
}

/// Whether `name` occurs as a whole word in `text` outside `windows`.
pub(crate) fn occurs_outside(text: &str, windows: &[Range<usize>], name: &str) -> bool {
    find_outside(text, windows, name, |_| true)
}

/// The receivers of methods: `self` and `cls` (Python, Rust), `this`
/// (JavaScript, TypeScript). Every method names them, so their other
/// occurrences say nothing; only an assignment to one could (see
/// [`bound_outside`]).
const RECEIVERS: &[&str] = &["self", "cls", "this"];

/// Whether `name` is a method receiver (see [`RECEIVERS`]).
pub(crate) fn is_receiver(name: &str) -> bool {
    RECEIVERS.contains(&name)
}

/// Whether `name` may be assigned outside `windows`: a whole word followed
/// (past spaces) by `=` but not `==`, or by `:` (an annotated assignment,
/// a walrus; a parameter's annotation or a dictionary key is counted too,
/// which only costs a whole-file parse).
pub(crate) fn bound_outside(text: &str, windows: &[Range<usize>], name: &str) -> bool {
    find_outside(text, windows, name, |rest| {
        let mut rest = rest;
        while let [b' ' | b'\t', tail @ ..] = rest {
            rest = tail;
        }
        match rest {
            [b'=', b'=', ..] => false,
            [b'=' | b':', ..] => true,
            _ => false,
        }
    })
}

/// Whether `name` occurs as a whole word outside `windows` with what
/// follows it accepted by `after`.
fn find_outside(
    text: &str,
    windows: &[Range<usize>],
    name: &str,
    after: impl Fn(&[u8]) -> bool,
) -> bool {
    if name.is_empty() {
        return false;
    }
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
    let finder = memchr::memmem::Finder::new(name.as_bytes());
    let mut gaps = Vec::with_capacity(windows.len() + 1);
    let mut from = 0;
    for w in windows {
        gaps.push(from..w.start);
        from = w.end;
    }
    gaps.push(from..bytes.len());
    for gap in gaps {
        let Some(hay) = bytes.get(gap.clone()) else {
            continue;
        };
        for at in finder.find_iter(hay) {
            let (s, e) = (gap.start + at, gap.start + at + name.len());
            let before = s == 0 || !word(bytes[s - 1]);
            let whole = bytes.get(e).is_none_or(|&b| !word(b));
            if before && whole && after(bytes.get(e..).unwrap_or_default()) {
                return true;
            }
        }
    }
    false
}

/// A line that starts in code (not inside a string or a comment), with
/// the bracket depth at its start.
#[derive(Debug, Clone, Copy)]
struct CodeLine {
    start: usize,
    depth: usize,
}

/// Every line of `b` that starts in code, in order.
fn code_lines(fam: Family, b: &[u8]) -> Vec<CodeLine> {
    let mut lines = Vec::new();
    let mut depth: usize = 0;
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        if line_start {
            line_start = false;
            lines.push(CodeLine { start: i, depth });
        }
        let c = b[i];
        match c {
            b'\n' => {
                line_start = true;
                i += 1;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'#' if fam == Family::Python => i = skip_line(b, i),
            b'/' if fam != Family::Python && b.get(i + 1) == Some(&b'/') => i = skip_line(b, i),
            b'/' if fam != Family::Python && b.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(b, i + 2, fam == Family::Rust);
            }
            b'"' | b'\'' if fam == Family::Python => {
                if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c) {
                    i = skip_triple(b, i + 3, c);
                } else {
                    i = skip_quoted(b, i + 1, c, false);
                }
            }
            b'"' | b'\'' if fam == Family::Js || fam == Family::Go => {
                i = skip_quoted(b, i + 1, c, false);
            }
            b'`' if fam == Family::Js => i = skip_quoted(b, i + 1, c, true),
            b'`' if fam == Family::Go => i = skip_raw(b, i + 1, b"`"),
            b'"' if fam == Family::Rust => i = skip_quoted(b, i + 1, c, true),
            b'\'' if fam == Family::Rust => i = skip_rust_char(b, i),
            b'r' if fam == Family::Rust && raw_string_start(b, i).is_some() => {
                let (hashes, open) = raw_string_start(b, i).unwrap_or((0, i + 1));
                let mut close = vec![b'"'];
                close.extend(std::iter::repeat_n(b'#', hashes));
                i = skip_raw(b, open, &close);
            }
            _ => i += 1,
        }
    }
    lines
}

/// The indentation (spaces and tabs) of the line at `start`.
fn indent_of(b: &[u8], start: usize) -> usize {
    b[start..]
        .iter()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count()
}

/// Where chunks start among `lines` at bracket depth `depth` and
/// indentation `indent`: lines that start code there (a letter, `_`, `$`,
/// a decorator or an attribute), unless they continue a compound statement
/// (`else:`) or follow a decorator or an attribute.
fn starts_at(fam: Family, b: &[u8], lines: &[CodeLine], depth: usize, indent: usize) -> Vec<usize> {
    let mut starts = Vec::new();
    // The previous chunk-starting line was a decorator or attribute: the
    // next line belongs to it.
    let mut attached = false;
    for l in lines {
        if l.depth != depth || indent_of(b, l.start) != indent {
            continue;
        }
        match line_kind(fam, &b[l.start + indent..]) {
            Line::Start if !attached => starts.push(l.start),
            Line::Start => attached = false,
            Line::Attach => {
                if !attached {
                    starts.push(l.start);
                }
                attached = true;
            }
            Line::Other => {}
        }
    }
    starts
}

/// Where top-level chunks start: offset 0, and every line that starts a
/// chunk at column 0 outside brackets, strings and comments.
#[cfg(test)]
fn chunk_starts(fam: Family, b: &[u8]) -> Vec<usize> {
    let lines = code_lines(fam, b);
    top_starts(fam, b, &lines)
}

fn top_starts(fam: Family, b: &[u8], lines: &[CodeLine]) -> Vec<usize> {
    let mut starts = starts_at(fam, b, lines, 0, 0);
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    starts
}

/// A large chunk cut one level down: a class's members, a function's
/// statements. Parsing `header` + one member + `tail` (`}`) is valid code.
#[derive(Debug)]
struct Nested {
    /// From the chunk's start to its first member.
    header: Range<usize>,
    /// Where each member starts.
    members: Vec<usize>,
    /// The closing line(s), empty for Python.
    tail: Range<usize>,
}

/// Chunks at least this large are cut into their members.
const NEST_BYTES: usize = 4096;

fn nest(fam: Family, b: &[u8], lines: &[CodeLine], chunk: Range<usize>) -> Option<Nested> {
    // `lines` is sorted: the chunk's lines are found, not filtered out of
    // every line of the file once per chunk.
    let from = lines.partition_point(|l| l.start <= chunk.start);
    let to = lines.partition_point(|l| l.start < chunk.end);
    let inner: Vec<CodeLine> = lines[from..to.max(from)].to_vec();
    // A JavaScript chunk whose first line opens two brackets is cut one
    // level further in: the statements of a callback (`describe('…', () =>
    // {`, a test file's whole body), the properties of `defineConfig({`.
    let body_depth = match fam {
        Family::Python => 0,
        Family::Js if inner.first().is_some_and(|l| l.depth == 2) => 2,
        _ => 1,
    };
    // The members' indentation: the first body line's.
    let first = inner.iter().find(|l| {
        let ind = indent_of(b, l.start);
        let rest = &b[l.start + ind..];
        l.depth == body_depth
            && ind > 0
            && !matches!(rest.first(), None | Some(b'\n' | b'\r' | b'#' | b'/'))
    })?;
    let indent = indent_of(b, first.start);
    let tail_start = if fam == Family::Python {
        chunk.end
    } else {
        // The closing line: the chunk's last line at column 0, `}` first.
        let last = inner.iter().rev().find(|l| indent_of(b, l.start) == 0)?;
        if b.get(last.start) != Some(&b'}') {
            return None;
        }
        last.start
    };
    let members: Vec<usize> = starts_at(fam, b, &inner, body_depth, indent)
        .into_iter()
        .filter(|&m| m < tail_start)
        .collect();
    if members.len() < 2 {
        return None;
    }
    Some(Nested {
        header: chunk.start..members[0],
        members,
        tail: tail_start..chunk.end,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// Starts a chunk.
    Start,
    /// A decorator or attribute: starts a chunk that the next line joins.
    Attach,
    Other,
}

fn line_kind(fam: Family, line: &[u8]) -> Line {
    let Some(&first) = line.first() else {
        return Line::Other;
    };
    match first {
        b'@' if matches!(fam, Family::Python | Family::Js) => Line::Attach,
        b'#' if fam == Family::Rust && line.get(1) == Some(&b'[') => Line::Attach,
        b'$' if fam == Family::Js => Line::Start,
        c if c.is_ascii_alphabetic() || c == b'_' => {
            let continues: &[&[u8]] = match fam {
                Family::Python => &[b"else", b"elif", b"except", b"finally"],
                Family::Js => &[b"else", b"catch", b"finally"],
                Family::Go | Family::Rust => &[b"else"],
            };
            let word_end = line
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
                .unwrap_or(line.len());
            if continues.contains(&&line[..word_end]) {
                Line::Other
            } else {
                Line::Start
            }
        }
        _ => Line::Other,
    }
}

/// Past the end of the line holding `i` (at its newline).
fn skip_line(b: &[u8], i: usize) -> usize {
    memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n)
}

fn skip_block_comment(b: &[u8], mut i: usize, nested: bool) -> usize {
    let mut depth = 1;
    while i < b.len() {
        if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else if nested && b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    b.len()
}

/// Past a string closed by `quote`, with backslash escapes. A string that
/// cannot span lines ends at an unescaped newline (an unterminated string:
/// the newline is left for the caller).
fn skip_quoted(b: &[u8], mut i: usize, quote: u8, multiline: bool) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'\n' if !multiline => return i,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

fn skip_triple(b: &[u8], mut i: usize, quote: u8) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            c if c == quote && b.get(i + 1) == Some(&quote) && b.get(i + 2) == Some(&quote) => {
                return i + 3;
            }
            _ => i += 1,
        }
    }
    b.len()
}

/// Past the first occurrence of `close` from `i` (no escapes).
fn skip_raw(b: &[u8], i: usize, close: &[u8]) -> usize {
    match memchr::memmem::find(&b[i.min(b.len())..], close) {
        Some(n) => i + n + close.len(),
        None => b.len(),
    }
}

/// A Rust raw string at `i` (`r"`, `r#"`, after a non-word byte or `b`):
/// the number of `#`s and the offset after the opening quote.
fn raw_string_start(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let prev_ok = i == 0 || {
        let p = b[i - 1];
        !(p.is_ascii_alphanumeric() || p == b'_')
            || (p == b'b' && (i < 2 || !b[i - 2].is_ascii_alphanumeric()))
    };
    if !prev_ok {
        return None;
    }
    let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
    (b.get(i + 1 + hashes) == Some(&b'"')).then_some((hashes, i + 2 + hashes))
}

/// Past a Rust char literal at `i`, or past the `'` of a lifetime.
fn skip_rust_char(b: &[u8], i: usize) -> usize {
    match (b.get(i + 1), b.get(i + 2)) {
        (Some(b'\\'), _) => {
            // `'\n'`, `'\''`, `'\u{1F600}'`: to the closing quote.
            let rest = &b[(i + 3).min(b.len())..];
            let end = rest.iter().take(12).position(|&c| c == b'\'');
            end.map_or(i + 1, |n| i + 3 + n + 1)
        }
        (Some(_), Some(b'\'')) => i + 3,
        _ => {
            // A multi-byte char (`'é'`) or a lifetime (`'a`).
            let rest = &b[(i + 1).min(b.len())..];
            match rest.iter().take(5).position(|&c| c == b'\'') {
                Some(n) if rest[..n].iter().all(|&c| c >= 0x80) && n > 0 => i + 1 + n + 1,
                _ => i + 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(fam: Family, s: &str) -> Vec<&str> {
        let st = chunk_starts(fam, s.as_bytes());
        st.iter()
            .map(|&i| s[i..].lines().next().unwrap_or(""))
            .collect()
    }

    #[test]
    fn python_chunks() {
        let src = "import os\n\n@dec\ndef f():\n    x = (1,\n2)\n    return x\n\nclass A:\n    pass\nelse_ = 1\nif x:\n    pass\nelse:\n    pass\nDOC = \"\"\"\nnot_a_start = 1\n\"\"\"\n# comment\ny = 'a\\'b' # z\n";
        assert_eq!(
            starts(Family::Python, src),
            vec![
                "import os",
                "@dec",
                "class A:",
                "else_ = 1",
                "if x:",
                "DOC = \"\"\"",
                "y = 'a\\'b' # z"
            ]
        );
    }

    #[test]
    fn js_chunks() {
        let src = "const a = `\nnot = 1\n`;\n/* block\nnope = 2\n*/\nexport function f() {\n  return {\nx: 1 };\n}\nconst s = \"}\";\nlet t = 1;\n";
        assert_eq!(
            starts(Family::Js, src),
            vec![
                "const a = `",
                "export function f() {",
                "const s = \"}\";",
                "let t = 1;"
            ]
        );
    }

    #[test]
    fn rust_chunks() {
        let src = "use a;\n#[derive(Debug)]\nstruct S<'a> { x: &'a str }\nconst Q: char = '\"';\nconst R: &str = r#\"\nnope\n\"#;\nfn f() {\n    let s = \"multi\nnope\";\n}\n/* a /* nested */\nnope */\nfn g() {}\n";
        assert_eq!(
            starts(Family::Rust, src),
            vec![
                "use a;",
                "#[derive(Debug)]",
                "const Q: char = '\"';",
                "const R: &str = r#\"",
                "fn f() {",
                "fn g() {}"
            ]
        );
    }

    #[test]
    fn go_chunks() {
        let src = "package main\n\nvar (\n\tx = 1\n)\nconst raw = `\nnope\n`\nfunc f() {\n}\n";
        assert_eq!(
            starts(Family::Go, src),
            vec!["package main", "var (", "const raw = `", "func f() {"]
        );
    }

    #[test]
    fn plan_merges_and_refuses_large_shares() {
        let mut src = String::new();
        for i in 0..200 {
            src.push_str(&format!("def f{i}():\n    return {i}\n\n"));
        }
        let at = src.find("def f10(").unwrap_or(0);
        let w = plan(Language::Python, &src, &[at + 4, at + 6]).unwrap_or_default();
        assert_eq!(w.len(), 1);
        assert_eq!(&src[w[0].clone()], "def f10():\n    return 10\n\n");
        assert!(plan(Language::Python, &src, &[0, src.len() - 1, src.len() / 2]).is_some());
        let all: Vec<usize> = (0..src.len()).step_by(10).collect();
        assert!(plan(Language::Python, &src, &all).is_none());
        assert!(plan(Language::Java, &src, &[at]).is_none());
        // Many scattered windows: a whole parse (tree-sitter looks its
        // ranges up one by one).
        let scattered: Vec<usize> = (0..200)
            .step_by(3)
            .filter_map(|i| src.find(&format!("def f{i}(")))
            .collect();
        assert!(scattered.len() > MAX_WINDOWS);
        assert!(plan(Language::Python, &src, &scattered).is_none());
        assert!(plan(Language::Python, &src, &scattered[..MAX_WINDOWS / 2]).is_some());
    }

    fn windows_text<'a>(src: &'a str, lang: Language, needle: &str) -> Vec<&'a str> {
        let at = src.find(needle).unwrap_or(0);
        plan_from(lang, src, &[at], 0)
            .unwrap_or_default()
            .into_iter()
            .map(|r| &src[r])
            .collect()
    }

    #[test]
    fn large_python_classes_are_cut_into_members() {
        let mut src = String::from("import os\n\nclass Service(Base):\n    \"\"\"Doc.\"\"\"\n\n");
        for i in 0..200 {
            src.push_str(&format!("    def m{i}(self):\n        return {i}\n\n"));
        }
        src.push_str(
            "    @property\n    def client(self):\n        return OpenAI(\n    api_key=k)\n\n",
        );
        src.push_str("    def last(self):\n        pass\n");
        let w = windows_text(&src, Language::Python, "OpenAI(");
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(w[0], "class Service(Base):\n    \"\"\"Doc.\"\"\"\n\n");
        assert_eq!(
            w[1],
            "    @property\n    def client(self):\n        return OpenAI(\n    api_key=k)\n\n"
        );
    }

    #[test]
    fn large_js_classes_keep_their_closing_brace() {
        let mut src = String::from("export class Service {\n");
        for i in 0..200 {
            src.push_str(&format!("  m{i}() {{\n    return {i};\n  }}\n"));
        }
        src.push_str("  client() {\n    return new OpenAI({ apiKey: k });\n  }\n}\n");
        let w = windows_text(&src, Language::JavaScript, "OpenAI(");
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(w[0], "export class Service {\n");
        assert_eq!(
            w[1],
            "  client() {\n    return new OpenAI({ apiKey: k });\n  }\n}\n"
        );
    }

    #[test]
    fn occurrences_outside_windows() {
        let text = "KEY = 1\nfoo(KEY)\nKEYS = 2\n";
        let w = |spans: &[(usize, usize)]| -> Vec<Range<usize>> {
            spans.iter().map(|&(a, b)| a..b).collect()
        };
        assert!(occurs_outside(text, &w(&[(0, 8)]), "KEY"));
        assert!(!occurs_outside(text, &w(&[(0, 17)]), "KEY"));
        assert!(occurs_outside(text, &w(&[(0, 8), (17, 26)]), "KEY"));
        assert!(!occurs_outside(text, &w(&[(0, 26)]), "KEY"));
    }

    #[test]
    fn receivers_count_only_where_assigned() {
        assert!(is_receiver("self") && is_receiver("this") && !is_receiver("config"));
        let all = |t: &str| bound_outside(t, &[], "self");
        assert!(!all(
            "def f(self):\n    self.api_key = k\n    return self == x\n"
        ));
        assert!(!all("myself = 1\nself_ = 2\nself.x = 3\n"));
        assert!(all("self = OpenAI()\n"));
        assert!(all("self\t= OpenAI()\n"));
        assert!(all("self: OpenAI = OpenAI()\n"));
        assert!(all("if (self := make()):\n    pass\n"));
        // Inside the windows it is the engine's to see.
        let text = "self = OpenAI()\nself.x = 1\n";
        assert!(!bound_outside(text, std::slice::from_ref(&(0..16)), "self"));
        assert!(bound_outside(text, std::slice::from_ref(&(16..27)), "self"));
    }
}
