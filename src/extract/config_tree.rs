//! A config document as a format-neutral tree with spans. The YAML, TOML and
//! JSON parsers each produce a [`ConfigFile`]; the config families (compose,
//! Kubernetes, workflows, LiteLLM, …) read credentials off the tree without
//! knowing which format it came from.

use crate::fact::ParseError;
use crate::source::Span;

/// A map key as written, decoded, with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub text: String,
    pub span: Span,
}

/// The type a plain (unquoted) scalar has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    String,
    Number,
    Bool,
    /// `null`, `~`, or nothing at all (`key:` in YAML).
    Null,
}

/// A leaf value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// The decoded value (escapes resolved, quotes removed, block scalars
    /// folded as the format says).
    pub text: String,
    /// The quote character, if the value was quoted.
    pub quote: Option<char>,
    pub ty: ScalarType,
}

/// What a node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// Entries in document order (duplicates kept: ENV003 wants them).
    Map(Vec<(Key, Node)>),
    Seq(Vec<Node>),
    Scalar(Scalar),
}

/// One node and its span. For a quoted scalar the span is inside the
/// quotes; for an empty/null value it is zero-length where the value would
/// start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

impl Node {
    /// The value of key `name` in a map node (the last one if repeated).
    pub fn get(&self, name: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.text == name)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The scalar, if this is one.
    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The entries of a map node (empty for other nodes).
    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.kind {
            NodeKind::Map(e) => e,
            _ => &[],
        }
    }

    /// The items of a sequence node (empty for other nodes).
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Seq(i) => i,
            _ => &[],
        }
    }
}

/// A parsed config file: its documents (YAML may have several), its
/// comments, and the syntax error that stopped parsing, if any. On an error
/// the documents parsed before it are kept.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    pub docs: Vec<Node>,
    pub comments: Vec<Span>,
    pub error: Option<ParseError>,
}

/// A plain-text dump of a parsed file for tests and snapshots: one line per
/// node with its path, type, text and `line:col-line:col` span (and its
/// key's span), then the comments and the error. Values that look like keys
/// are redacted.
#[cfg(test)]
pub(crate) fn render(file: &ConfigFile, source: &crate::source::Source) -> String {
    use std::fmt::Write;

    fn at(source: &crate::source::Source, span: Span) -> String {
        let a = source.position(span.start);
        let b = source.position(span.end);
        format!("{}:{}-{}:{}", a.line, a.column, b.line, b.column)
    }
    fn segment(key: &str) -> String {
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | '$'));
        if plain {
            format!(".{key}")
        } else {
            format!("[{key:?}]")
        }
    }

    let mut out = String::new();
    for (i, doc) in file.docs.iter().enumerate() {
        let _ = writeln!(out, "--- doc {i}");
        // Iterative, like the parsers: (path, key span, node).
        let mut stack: Vec<(String, Option<Span>, &Node)> = vec![(String::new(), None, doc)];
        while let Some((path, key, node)) = stack.pop() {
            let shown = if path.is_empty() { "$" } else { path.as_str() };
            let what = match &node.kind {
                NodeKind::Map(e) => format!("map({})", e.len()),
                NodeKind::Seq(i) => format!("seq({})", i.len()),
                NodeKind::Scalar(s) => {
                    let providers = crate::provider::Providers::builtin();
                    let text = if crate::redact::looks_secret(&s.text, providers) {
                        crate::redact::redact(&s.text, providers)
                    } else {
                        s.text.clone()
                    };
                    let ty = format!("{:?}", s.ty).to_lowercase();
                    match s.quote {
                        Some(q) => format!("{ty}{q} {text:?}"),
                        None => format!("{ty} {text:?}"),
                    }
                }
            };
            let key = key
                .map(|k| format!(" key {}", at(source, k)))
                .unwrap_or_default();
            let _ = writeln!(out, "{shown} {what} {}{key}", at(source, node.span));
            match &node.kind {
                NodeKind::Map(entries) => {
                    for (k, v) in entries.iter().rev() {
                        stack.push((format!("{path}{}", segment(&k.text)), Some(k.span), v));
                    }
                }
                NodeKind::Seq(items) => {
                    for (n, v) in items.iter().enumerate().rev() {
                        stack.push((format!("{path}[{n}]"), None, v));
                    }
                }
                NodeKind::Scalar(_) => {}
            }
        }
    }
    for c in &file.comments {
        let _ = writeln!(out, "comment {} {:?}", at(source, *c), source.slice(*c));
    }
    if let Some(e) = &file.error {
        let _ = writeln!(out, "error {} {}", at(source, e.span), e.message);
    }
    out
}

/// Deterministic pseudo-random mutations of `seeds` for the parsers'
/// no-panic tests: characters deleted, duplicated, swapped for
/// syntax-significant ones, and slices cut out or repeated.
#[cfg(test)]
pub(crate) fn mutations(seeds: &[&str], count: usize) -> Vec<String> {
    const PIECES: &[&str] = &[
        "\"", "'", "\\", "#", "\n", "\r\n", "\t", " ", ":", ",", "[", "]", "{", "}", "-", "|", ">",
        "&a", "*a", "!", "?", "=", ".", "/*", "*/", "//", "\"\"\"", "'''", "\\u", "\\uD800", "é",
        "—", "😀", "\u{feff}", "0", "1e", "---", "...", "%", "@", "`", "~", "null",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let mut s: Vec<char> = seeds[i % seeds.len()].chars().collect();
        for _ in 0..1 + next(4) {
            let at = next(s.len() + 1);
            match next(5) {
                0 if !s.is_empty() => {
                    let len = 1 + next(8);
                    s.drain(at.min(s.len() - 1)..(at + len).min(s.len()));
                }
                1 => {
                    let piece = PIECES[next(PIECES.len())];
                    s.splice(at..at, piece.chars());
                }
                2 if at < s.len() => {
                    let piece = PIECES[next(PIECES.len())];
                    s.splice(at..at + 1, piece.chars());
                }
                3 => {
                    let end = (at + next(40)).min(s.len());
                    let copy: Vec<char> = s[at..end].to_vec();
                    let to = next(s.len() + 1);
                    s.splice(to..to, copy);
                }
                _ => s.truncate(at),
            }
        }
        out.push(s.into_iter().collect());
    }
    out
}

/// Every span in `file` lies inside `text`, on character boundaries, with
/// its start not after its end.
#[cfg(test)]
pub(crate) fn assert_spans_valid(file: &ConfigFile, text: &str) {
    let check = |span: Span, what: &str| {
        assert!(
            span.start <= span.end
                && span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end),
            "bad {what} span {span:?} in {text:?}"
        );
    };
    let mut stack: Vec<&Node> = file.docs.iter().collect();
    while let Some(node) = stack.pop() {
        check(node.span, "node");
        match &node.kind {
            NodeKind::Map(entries) => {
                for (k, v) in entries {
                    check(k.span, "key");
                    stack.push(v);
                }
            }
            NodeKind::Seq(items) => stack.extend(items),
            NodeKind::Scalar(_) => {}
        }
    }
    for c in &file.comments {
        check(*c, "comment");
    }
    if let Some(e) = &file.error {
        check(e.span, "error");
    }
}
