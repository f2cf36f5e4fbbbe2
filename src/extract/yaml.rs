//! YAML into the spanned config tree ([`ConfigFile`]).
//!
//! Parsing is saphyr-parser's (a YAML 1.2 event parser that passes the
//! yaml-test-suite); this module builds the tree from its events and makes
//! its positions exact. saphyr reports positions as character indices, and
//! some of its spans reach past the node (a quoted scalar's runs on over the
//! blanks and comment after its closing quote, a block scalar's over the
//! blank lines after it, and any node's includes its `!tag` and `&anchor`),
//! so every span is converted to a byte offset and recomputed from the text:
//!
//! - a quoted scalar's span is inside its quotes (`quote` is `'` or `"`);
//! - a block scalar's (`|`, `>`) covers its content, first to last
//!   non-blank character; its text is decoded as YAML folds it;
//! - an empty value (`key:`, a bare `-`) is a Null scalar with a zero-length
//!   span where the value would start: after `key:` and the blanks after
//!   it, so at the end of the line or at a comment;
//! - a flow collection's span runs from its bracket to its closing bracket,
//!   a block collection's from its first key or `-` to the end of its last
//!   value.
//!
//! Plain scalars are typed by the YAML 1.2 core schema (`yes`/`on` are
//! strings, as in 1.2); a core-schema tag (`!!str`, `!!int`, …) overrides.
//!
//! Anchors and aliases: an alias becomes a copy of the anchored node, with
//! the anchored node's spans, so every scalar's span points at the text its
//! value was read from (the key holding the alias keeps its own span). Merge
//! keys (`<<: *base`) are not applied: `<<` stays an ordinary key whose value
//! is the copied map. Copies are counted: past [`MAX_COPIED_NODES`] parsing
//! stops with "alias expansion limit exceeded", so an alias bomb (billion
//! laughs) costs bounded time and memory. Nesting, aliases included, is
//! bounded by [`MAX_DEPTH`].
//!
//! Comments: saphyr yields none, so they are found in the text afterwards:
//! a `#` at the start of a line or after a blank, outside every quoted and
//! block scalar, up to the end of its line.
//!
//! Every document is one root node; an explicit empty document (a `---`
//! with nothing after it, as at the end of many Kubernetes manifests) is a
//! Null scalar. A stream with no document at all (empty, or only comments)
//! has no root.
//!
//! On a syntax error the documents before it are kept, and so is the one it
//! is in, as far as it was read (open collections closed at the error).

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

use crate::extract::config_tree::{ConfigFile, Key, Node, NodeKind, Scalar, ScalarType};
use crate::fact::ParseError;
use crate::source::Span;

/// How deep collections may nest (aliases included) before parsing stops.
pub const MAX_DEPTH: usize = 512;

/// How many nodes anchors and aliases may copy in one file.
pub const MAX_COPIED_NODES: usize = 100_000;

/// Parse a YAML stream: one root node per document.
pub fn parse(text: &str) -> ConfigFile {
    // saphyr rejects a tab right after a `:` value indicator, which YAML
    // allows (tabs may separate tokens within a line). Such a tab is only a
    // separator, so it is read as a space: same length, same spans, same
    // values. Each one costs a re-parse, so only a few are fixed.
    let mut patched: Option<String> = None;
    for _ in 0..TAB_FIXES {
        let file = parse_once(text, patched.as_deref().unwrap_or(text));
        let Some(e) = &file.error else { return file };
        // saphyr stops after the blanks; the tabs are between them and `:`.
        let bytes = text.as_bytes();
        let mut blanks = e.span.start.min(bytes.len());
        while blanks > 0 && matches!(bytes[blanks - 1], b' ' | b'\t') {
            blanks -= 1;
        }
        let run = blanks..e.span.start;
        let tab_after_colon = e.message.starts_with("':' must be followed")
            && blanks > 0
            && bytes[blanks - 1] == b':'
            && bytes[run.clone()].contains(&b'\t');
        if !tab_after_colon {
            return file;
        }
        let fixed = patched.get_or_insert_with(|| text.to_string());
        fixed.replace_range(run.clone(), &" ".repeat(run.len()));
    }
    parse_once(text, patched.as_deref().unwrap_or(text))
}

/// How many tabs after a `:` are read as spaces before giving up.
const TAB_FIXES: usize = 16;

/// Parse `read` (which is `text`, or `text` with separator tabs turned
/// into spaces); comments are found in the original `text`.
fn parse_once(text: &str, read: &str) -> ConfigFile {
    let mut b = Builder {
        text: read,
        offsets: Offsets::new(read),
        docs: Vec::new(),
        doc: None,
        stack: Vec::new(),
        anchors: HashMap::new(),
        copied: 0,
        protected: Vec::new(),
    };
    let mut parser = Parser::new_from_str(read);
    let mut error = None;
    while let Some(next) = parser.next_event() {
        let step = match next {
            Ok((event, span)) => {
                let raw = Span::new(
                    b.offsets.byte(span.start.index()),
                    b.offsets.byte(span.end.index()),
                );
                b.event(event, raw)
            }
            Err(e) => Err(b.scan_error(&e)),
        };
        if let Err(e) = step {
            error = Some(e);
            break;
        }
    }
    let read_to = error.as_ref().map(|e| e.span.start);
    // A flow collection whose continuation lines sit at or left of its
    // key's indentation (`fields: [` then `"a",` at column 0) breaks the
    // YAML 1.2 indentation rule, yet PyYAML, which most apps load YAML
    // with, reads it. No PARSE001 for what the app's loader reads; the
    // document is kept up to that point.
    if error
        .as_ref()
        .is_some_and(|e| e.message.contains("indentation"))
        && b.stack.iter().any(|f| f.flow)
    {
        error = None;
    }
    if let Some(at) = read_to {
        b.unwind(at);
    }
    let comments = comments(text, &b.protected, read_to);
    ConfigFile {
        docs: b.docs,
        comments,
        error,
    }
}

/// Character index to byte offset. ASCII text (most configs) needs no table.
struct Offsets<'a> {
    text: &'a str,
    /// For non-ASCII text, the byte offset of every [`MARK_CHARS`]th
    /// character (a table of every character would cost eight times the
    /// text).
    marks: Option<Vec<usize>>,
}

/// Characters between the marks of [`Offsets`].
const MARK_CHARS: usize = 64;

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let marks = (!text.is_ascii()).then(|| {
            text.char_indices()
                .step_by(MARK_CHARS)
                .map(|(i, _)| i)
                .collect()
        });
        Offsets { text, marks }
    }

    /// The byte offset of character `index`, or the text's length past
    /// its end.
    fn byte(&self, index: usize) -> usize {
        let len = self.text.len();
        let Some(marks) = &self.marks else {
            return index.min(len);
        };
        let Some(&mark) = marks.get(index / MARK_CHARS) else {
            return len;
        };
        self.text[mark..]
            .char_indices()
            .nth(index % MARK_CHARS)
            .map_or(len, |(i, _)| mark + i)
    }
}

/// A collection still open.
struct Frame {
    start: usize,
    /// Where the last key or value read ends in the text (for an alias,
    /// where the alias ends, not the copy).
    last_end: usize,
    flow: bool,
    anchor: usize,
    kind: FrameKind,
}

enum FrameKind {
    Map {
        entries: Vec<(Key, Node)>,
        /// The key read, waiting for its value.
        key: Option<Key>,
    },
    Seq(Vec<Node>),
}

impl Frame {
    /// The collection as a node ending at `end` (block collections end at
    /// their last value, whatever `end` says).
    fn close(self, end: usize) -> Node {
        let end = if self.flow { end } else { self.last_end }.max(self.start);
        let kind = match self.kind {
            FrameKind::Map { entries, .. } => NodeKind::Map(entries),
            FrameKind::Seq(items) => NodeKind::Seq(items),
        };
        Node {
            span: Span::new(self.start, end),
            kind,
        }
    }
}

struct Builder<'a> {
    text: &'a str,
    offsets: Offsets<'a>,
    docs: Vec<Node>,
    /// The root of the document being read.
    doc: Option<Node>,
    stack: Vec<Frame>,
    /// Anchor id → (a copy of the anchored node, its node count, its depth).
    anchors: HashMap<usize, (Node, usize, usize)>,
    copied: usize,
    /// Quoted and block scalars, in text order: no comment starts inside.
    protected: Vec<Span>,
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, raw: Span) -> Result<(), ParseError> {
        match event {
            Event::DocumentStart(_) => self.doc = None,
            Event::DocumentEnd => {
                if let Some(doc) = self.doc.take() {
                    self.docs.push(doc);
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let (node, end) = self.scalar(
                    &value,
                    style,
                    anchor != 0 || tag.is_some(),
                    tag.as_deref(),
                    raw,
                );
                self.complete(node, anchor, raw, end)?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(error_at(
                        self.text,
                        raw.end.saturating_sub(1).max(raw.start),
                        &format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                let map = matches!(event, Event::MappingStart(..));
                // A flow collection's event ends just after its bracket; a
                // block collection's ends at its first entry.
                let open = if map { b'{' } else { b'[' };
                let flow =
                    raw.end > raw.start && self.text.as_bytes().get(raw.end - 1) == Some(&open);
                let start = if flow { raw.end - 1 } else { raw.end };
                let kind = if map {
                    FrameKind::Map {
                        entries: Vec::new(),
                        key: None,
                    }
                } else {
                    FrameKind::Seq(Vec::new())
                };
                self.stack.push(Frame {
                    start,
                    last_end: start,
                    flow,
                    anchor,
                    kind,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(frame) = self.stack.pop() {
                    let anchor = frame.anchor;
                    // A flow collection's end event starts at its bracket
                    // (and may run on over a comment after it).
                    let close = if matches!(self.text.as_bytes().get(raw.start), Some(b']' | b'}'))
                    {
                        raw.start + 1
                    } else {
                        raw.end
                    };
                    let node = frame.close(close);
                    let end = node.span.end;
                    self.complete(node, anchor, raw, end)?;
                }
            }
            Event::Alias(id) => {
                let Some((node, count, depth)) = self.anchors.get(&id) else {
                    return Err(error_at(self.text, raw.start, "unknown anchor"));
                };
                if self.copied + count > MAX_COPIED_NODES {
                    return Err(error_at(
                        self.text,
                        raw.start,
                        "alias expansion limit exceeded",
                    ));
                }
                if self.stack.len() + depth > MAX_DEPTH {
                    return Err(error_at(
                        self.text,
                        raw.start,
                        &format!("nesting deeper than {MAX_DEPTH} levels (through an alias)"),
                    ));
                }
                self.copied += count;
                let node = node.clone();
                self.attach(node, raw.end);
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(())
    }

    /// A finished node, ending at `end` in the text (past a closing quote):
    /// remember it if anchored, then put it in its parent.
    fn complete(
        &mut self,
        node: Node,
        anchor: usize,
        raw: Span,
        end: usize,
    ) -> Result<(), ParseError> {
        if anchor != 0 {
            let (count, depth) = measure(&node);
            if self.copied + count > MAX_COPIED_NODES {
                return Err(error_at(
                    self.text,
                    raw.start,
                    "alias expansion limit exceeded",
                ));
            }
            self.copied += count;
            self.anchors.insert(anchor, (node.clone(), count, depth));
        }
        self.attach(node, end);
        Ok(())
    }

    /// Put `node`, which ends at `end` in the text, into its parent.
    fn attach(&mut self, node: Node, end: usize) {
        let Some(frame) = self.stack.last_mut() else {
            self.doc = Some(node);
            return;
        };
        frame.last_end = frame.last_end.max(end);
        match &mut frame.kind {
            FrameKind::Map { entries, key } => match key.take() {
                Some(k) => entries.push((k, node)),
                None => *key = Some(key_of(self.text, node)),
            },
            FrameKind::Seq(items) => items.push(node),
        }
    }

    /// Whether the next node completes a map entry or a sequence item (as
    /// opposed to being a key or a document root).
    fn in_value_position(&self) -> Option<bool> {
        match &self.stack.last()?.kind {
            FrameKind::Map { key, .. } => key.is_some().then_some(true),
            FrameKind::Seq(_) => Some(false),
        }
    }

    /// A scalar node, and where it ends in the text (past its closing quote).
    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        props: bool,
        tag: Option<&Tag>,
        raw: Span,
    ) -> (Node, usize) {
        let text = self.text;
        let start = if props {
            skip_props(text, raw.start, raw.end)
        } else {
            raw.start
        };
        let (span, quote, ty) = match style {
            ScalarStyle::Plain if value.is_empty() => {
                // Nothing written: put the null where the value would start.
                let mut at = skip_blanks(text, start);
                match self.in_value_position() {
                    Some(true) if text.as_bytes().get(at) == Some(&b':') => {
                        at = skip_blanks(text, at + 1);
                    }
                    // saphyr puts an empty item followed by a comment
                    // (`- # c`) after the comment: bring it back.
                    Some(false) if !props => at = empty_item(text, at).unwrap_or(at),
                    _ => {}
                }
                let ty = tag.and_then(core_type).unwrap_or(ScalarType::Null);
                (Span::new(at, at), None, ty)
            }
            ScalarStyle::Plain => {
                let ty = tag.and_then(core_type).unwrap_or_else(|| plain_type(value));
                (Span::new(start.min(raw.end), raw.end), None, ty)
            }
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                let q = if style == ScalarStyle::SingleQuoted {
                    b'\''
                } else {
                    b'"'
                };
                let bytes = text.as_bytes();
                let ty = tag.and_then(core_type).unwrap_or(ScalarType::String);
                match (start..raw.end).find(|&i| bytes[i] == q) {
                    Some(open) => {
                        let close = closing_quote(bytes, open, raw.end, q);
                        self.protected
                            .push(Span::new(open, (close + 1).min(raw.end)));
                        (Span::new(open + 1, close), Some(q as char), ty)
                    }
                    // Not seen in practice: keep saphyr's span.
                    None => (Span::new(start, raw.end), Some(q as char), ty),
                }
            }
            ScalarStyle::Literal | ScalarStyle::Folded => {
                let span = block_span(text, value, props, start, raw.end);
                self.protected.push(span);
                let ty = tag.and_then(core_type).unwrap_or(ScalarType::String);
                (span, None, ty)
            }
        };
        let end = match quote {
            Some(_) => (span.end + 1).min(raw.end).max(span.end),
            None => span.end,
        };
        let node = Node {
            span,
            kind: NodeKind::Scalar(Scalar {
                text: value.to_string(),
                quote,
                ty,
            }),
        };
        (node, end)
    }

    fn scan_error(&self, e: &ScanError) -> ParseError {
        let at = self.offsets.byte(e.marker().index());
        error_at(self.text, at, e.info())
    }

    /// After an error at `at`: close the open collections into the current
    /// document and keep it.
    fn unwind(&mut self, at: usize) {
        while let Some(frame) = self.stack.pop() {
            let node = frame.close(at);
            let end = node.span.end;
            self.attach(node, end);
        }
        if let Some(doc) = self.doc.take() {
            self.docs.push(doc);
        }
    }
}

/// A node in key position. A collection as a key (`? [a, b]`) is keyed
/// by its source text.
fn key_of(text: &str, node: Node) -> Key {
    match node.kind {
        NodeKind::Scalar(s) => Key {
            text: s.text,
            span: node.span,
        },
        _ => Key {
            text: slice(text, node.span).to_string(),
            span: node.span,
        },
    }
}

/// Node count and depth of a subtree (iteratively: trees can be deep).
fn measure(node: &Node) -> (usize, usize) {
    let mut count = 0;
    let mut deepest = 0;
    let mut stack = vec![(node, 1usize)];
    while let Some((n, depth)) = stack.pop() {
        count += 1;
        deepest = deepest.max(depth);
        match &n.kind {
            NodeKind::Map(entries) => stack.extend(entries.iter().map(|(_, v)| (v, depth + 1))),
            NodeKind::Seq(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            NodeKind::Scalar(_) => {}
        }
    }
    (count, deepest)
}

/// The content span of a block scalar whose event span (props skipped)
/// starts at `start` and ends at `end`.
fn block_span(text: &str, value: &str, props: bool, start: usize, end: usize) -> Span {
    let bytes = text.as_bytes();
    let at_indicator = matches!(bytes.get(start), Some(b'|' | b'>'));
    let empty = value.bytes().all(|b| b == b'\n');
    if empty {
        // No content: the null-like spot is the end of the header line.
        let at = if at_indicator {
            line_end(text, start)
        } else {
            let mut at = start;
            while at > 0 && matches!(bytes[at - 1], b' ' | b'\t' | b'\r' | b'\n') {
                at -= 1;
            }
            at
        };
        return Span::new(at, at);
    }
    // saphyr starts the span at the content, unless props come first: then
    // it starts at the props, and the `|`/`>` header line follows them.
    let mut from = if props && at_indicator {
        line_end(text, start)
    } else {
        start
    };
    while from < end && matches!(bytes[from], b' ' | b'\t' | b'\r' | b'\n') {
        from += 1;
    }
    let mut to = end.min(bytes.len());
    while to > from && matches!(bytes[to - 1], b' ' | b'\t' | b'\r' | b'\n') {
        to -= 1;
    }
    Span::new(from, to)
}

/// The offset of the closing quote of a quoted scalar opening at `open`
/// (or `end` if not found before it). In single quotes `''` is a quote; in
/// double quotes a backslash escapes the next character.
fn closing_quote(bytes: &[u8], open: usize, end: usize, q: u8) -> usize {
    let mut i = open + 1;
    while i < end {
        match bytes[i] {
            b'\\' if q == b'"' => i += 2,
            b'\'' if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == q => return i,
            _ => i += 1,
        }
    }
    end
}

/// Past `!tag` and `&anchor` properties (and the blanks between and after
/// them) at `at`, without passing `end`.
fn skip_props(text: &str, mut at: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    let end = end.min(bytes.len());
    while at < end && matches!(bytes[at], b'!' | b'&') {
        while at < end && !matches!(bytes[at], b' ' | b'\t' | b'\r' | b'\n') {
            at += 1;
        }
        while at < end && matches!(bytes[at], b' ' | b'\t' | b'\r' | b'\n') {
            at += 1;
        }
    }
    at
}

/// Where an empty block sequence item on the line of `at` would start:
/// after its `-` indicators and blanks, when only a comment or the line end
/// follows them (and that is not after `at`).
fn empty_item(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let mut p = skip_blanks(text, line_start);
    let mut dashes = 0;
    while bytes.get(p) == Some(&b'-')
        && matches!(bytes.get(p + 1), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
    {
        p = skip_blanks(text, p + 1);
        dashes += 1;
    }
    let rest_empty = matches!(bytes.get(p), None | Some(b'#' | b'\r' | b'\n'));
    (dashes > 0 && rest_empty && p <= at).then_some(p)
}

/// Past spaces and tabs on this line.
fn skip_blanks(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while matches!(bytes.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    at.min(bytes.len())
}

/// The end of the line holding `at`, before its `\r\n` or `\n`.
fn line_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let mut end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |n| at + n);
    if end > at && bytes[end - 1] == b'\r' {
        end -= 1;
    }
    end
}

fn slice(text: &str, span: Span) -> &str {
    text.get(span.start..span.end).unwrap_or("")
}

/// An error at byte `at`, spanning the character there (empty at the end).
fn error_at(text: &str, at: usize, message: &str) -> ParseError {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let len = text[at..].chars().next().map_or(0, char::len_utf8);
    ParseError {
        span: Span::new(at, at + len),
        message: message.to_string(),
    }
}

/// The type a core-schema tag (`!!str`, `!!int`, …) gives a scalar.
fn core_type(tag: &Tag) -> Option<ScalarType> {
    if tag.handle != "tag:yaml.org,2002:" {
        return None;
    }
    match tag.suffix.as_str() {
        "str" => Some(ScalarType::String),
        "int" | "float" => Some(ScalarType::Number),
        "bool" => Some(ScalarType::Bool),
        "null" => Some(ScalarType::Null),
        _ => None,
    }
}

/// The YAML 1.2 core-schema type of a plain scalar.
fn plain_type(s: &str) -> ScalarType {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => ScalarType::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => ScalarType::Bool,
        _ if is_number(s) => ScalarType::Number,
        _ => ScalarType::String,
    }
}

/// Core-schema int (`[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`) or float
/// (`[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?.inf`,
/// `.nan` in three spellings each).
fn is_number(s: &str) -> bool {
    let all = |t: &str, f: fn(&u8) -> bool| !t.is_empty() && t.bytes().all(|b| f(&b));
    if let Some(oct) = s.strip_prefix("0o") {
        return all(oct, |b| (b'0'..=b'7').contains(b));
    }
    if let Some(hex) = s.strip_prefix("0x") {
        return all(hex, u8::is_ascii_hexdigit);
    }
    if matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => all(frac, u8::is_ascii_digit),
        Some((int, frac)) => {
            all(int, u8::is_ascii_digit) && frac.bytes().all(|b| b.is_ascii_digit())
        }
        None => all(mantissa, u8::is_ascii_digit),
    };
    let exponent_ok =
        exponent.is_none_or(|e| all(e.strip_prefix(['-', '+']).unwrap_or(e), u8::is_ascii_digit));
    mantissa_ok && exponent_ok
}

/// Comment spans: a `#` at a line start or after a blank, outside every
/// protected (quoted or block scalar) span, to the end of its line. Past
/// `read_to` (where a syntax error stopped the parser, so scalars are no
/// longer known) only whole-line comments count.
fn comments(text: &str, protected: &[Span], read_to: Option<usize>) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut next_protected = 0;
    let mut from = 0;
    while let Some(n) = memchr::memchr(b'#', &bytes[from..]) {
        let at = from + n;
        from = at + 1;
        while protected.get(next_protected).is_some_and(|p| p.end <= at) {
            next_protected += 1;
        }
        if protected.get(next_protected).is_some_and(|p| p.start <= at) {
            continue;
        }
        let after_blank = at == 0 || matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b'\r');
        if !after_blank {
            continue;
        }
        if read_to.is_some_and(|r| at >= r) {
            let line_start = bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            if !bytes[line_start..at]
                .iter()
                .all(|b| matches!(b, b' ' | b'\t'))
            {
                continue;
            }
        }
        let end = line_end(text, at);
        out.push(Span::new(at, end));
        from = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::config_tree::{assert_spans_valid, mutations, render};
    use crate::source::{Position, Source};

    fn parse_src(text: &str) -> (Source, ConfigFile) {
        let file = parse(text);
        assert_spans_valid(&file, text);
        (Source::new(text.to_string()), file)
    }

    fn pos(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    /// Start and end position of a span.
    fn at(src: &Source, span: Span) -> (Position, Position) {
        (src.position(span.start), src.position(span.end))
    }

    fn text(node: &Node) -> &str {
        node.scalar().map_or("<not a scalar>", |s| s.text.as_str())
    }

    fn ty(node: &Node) -> ScalarType {
        node.scalar().map_or(ScalarType::String, |s| s.ty)
    }

    /// Follow a path of map keys and sequence indices.
    fn path<'a>(mut node: &'a Node, steps: &[&str]) -> &'a Node {
        for step in steps {
            node = match step.parse::<usize>() {
                Ok(i) => &node.items()[i],
                Err(_) => node.get(step).unwrap_or_else(|| panic!("no {step}")),
            };
        }
        node
    }

    const COMPOSE: &str = r#"# docker-compose.yml
x-common-env: &common-env
  LOG_LEVEL: info
  OPENAI_BASE_URL: "https://api.openai.com/v1#not-a-comment"

services:
  web:
    image: ghcr.io/acme/web:1.2   # pinned
    environment:
      <<: *common-env
      OPENAI_API_KEY: ${OPENAI_API_KEY}
      ANTHROPIC_API_KEY:
      GROQ_API_KEY:   # set in CI
      TAG: a#b
  worker:
    environment:
      - OPENAI_API_KEY=${OPENAI_API_KEY:?set it}
      - 'AZURE_OPENAI_ENDPOINT=https://x.openai.azure.com/ # still quoted'
      -
    command: >
      python worker.py
      --verbose
"#;

    #[test]
    fn compose_spans_values_and_comments() {
        let (src, file) = parse_src(COMPOSE);
        assert!(file.error.is_none(), "{:?}", file.error);
        assert_eq!(file.docs.len(), 1);
        let root = &file.docs[0];
        let env = path(root, &["services", "web", "environment"]);
        let keys: Vec<&str> = env.entries().iter().map(|(k, _)| k.text.as_str()).collect();
        assert_eq!(
            keys,
            [
                "<<",
                "OPENAI_API_KEY",
                "ANTHROPIC_API_KEY",
                "GROQ_API_KEY",
                "TAG"
            ]
        );
        let (k, v) = &env.entries()[1];
        assert_eq!(at(&src, k.span), (pos(11, 7), pos(11, 21)));
        assert_eq!(at(&src, v.span), (pos(11, 23), pos(11, 40)));
        assert_eq!((text(v), ty(v)), ("${OPENAI_API_KEY}", ScalarType::String));
        // `key:` alone: a Null, zero-length at the end of the line ...
        let empty = env.get("ANTHROPIC_API_KEY").unwrap();
        assert_eq!((text(empty), ty(empty)), ("", ScalarType::Null));
        assert_eq!(at(&src, empty.span), (pos(12, 25), pos(12, 25)));
        // ... or where the comment starts.
        let groq = env.get("GROQ_API_KEY").unwrap();
        assert_eq!(at(&src, groq.span), (pos(13, 23), pos(13, 23)));
        assert_eq!(text(env.get("TAG").unwrap()), "a#b");
        // The image, without its trailing comment.
        let image = path(root, &["services", "web", "image"]);
        assert_eq!(src.slice(image.span), "ghcr.io/acme/web:1.2");
        // Quoted: span inside the quotes, a `#` inside is not a comment.
        let items = path(root, &["services", "worker", "environment"]).items();
        assert_eq!(items.len(), 3);
        let quoted = &items[1];
        assert_eq!(quoted.scalar().unwrap().quote, Some('\''));
        assert_eq!(
            src.slice(quoted.span),
            "AZURE_OPENAI_ENDPOINT=https://x.openai.azure.com/ # still quoted"
        );
        assert_eq!(src.position(quoted.span.start), pos(18, 10));
        // A bare `-`: Null right after the dash.
        assert_eq!(ty(&items[2]), ScalarType::Null);
        assert_eq!(at(&src, items[2].span), (pos(19, 8), pos(19, 8)));
        // Folded block scalar: decoded, span over the content.
        let command = path(root, &["services", "worker", "command"]);
        assert_eq!(text(command), "python worker.py --verbose\n");
        assert_eq!(at(&src, command.span), (pos(21, 7), pos(22, 16)));
        let comments: Vec<&str> = file.comments.iter().map(|c| src.slice(*c)).collect();
        assert_eq!(
            comments,
            ["# docker-compose.yml", "# pinned", "# set in CI"]
        );
    }

    #[test]
    fn merge_key_value_is_a_copy_with_the_anchor_spans() {
        let (src, file) = parse_src(COMPOSE);
        let env = path(&file.docs[0], &["services", "web", "environment"]);
        let (merge_key, merged) = &env.entries()[0];
        assert_eq!(merge_key.text, "<<");
        assert_eq!(src.position(merge_key.span.start), pos(10, 7));
        let url = merged.get("OPENAI_BASE_URL").unwrap();
        assert_eq!(text(url), "https://api.openai.com/v1#not-a-comment");
        // Spans point at the anchored text, where the value is written.
        assert_eq!(src.position(url.span.start), pos(4, 21));
        assert_eq!(merged.span, file.docs[0].get("x-common-env").unwrap().span);
        // The map holding the alias still ends at the alias's line.
        assert!(src.position(env.span.end).line >= 14);
    }

    const K8S: &str = "apiVersion: v1
kind: Secret
metadata:
  name: openai
type: Opaque
stringData:
  OPENAI_API_KEY: \"replace-me\"
---
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - name: OPENAI_API_KEY
              valueFrom:
                secretKeyRef: {name: openai, key: OPENAI_API_KEY}
            - name: OPENAI_ORG_ID
              value: org-AbCdEfGhIjKlMnOpQrStUv
...
";

    #[test]
    fn kubernetes_multi_document() {
        let (src, file) = parse_src(K8S);
        assert!(file.error.is_none(), "{:?}", file.error);
        assert_eq!(file.docs.len(), 2);
        assert_eq!(text(file.docs[0].get("kind").unwrap()), "Secret");
        assert_eq!(at(&src, file.docs[0].span), (pos(1, 1), pos(7, 31)));
        let v = path(&file.docs[0], &["stringData", "OPENAI_API_KEY"]);
        assert_eq!(at(&src, v.span), (pos(7, 20), pos(7, 30)));
        assert_eq!(v.scalar().unwrap().quote, Some('"'));
        let deploy = &file.docs[1];
        assert_eq!(src.position(deploy.span.start), pos(9, 1));
        let env = path(
            deploy,
            &["spec", "template", "spec", "containers", "0", "env"],
        );
        assert_eq!(at(&src, env.span), (pos(17, 13), pos(21, 48)));
        let flow = path(&env.items()[0], &["valueFrom", "secretKeyRef"]);
        assert_eq!(src.slice(flow.span), "{name: openai, key: OPENAI_API_KEY}");
        let key = flow.get("key").unwrap();
        assert_eq!(at(&src, key.span), (pos(19, 51), pos(19, 65)));
        let org = path(&env.items()[1], &["value"]);
        assert_eq!(src.position(org.span.start), pos(21, 22));
        // A trailing `---` opens an empty document: a Null root.
        let (_, file) = parse_src("---\nkind: Secret\n---\n");
        assert_eq!(file.docs.len(), 2);
        assert_eq!(ty(&file.docs[1]), ScalarType::Null);
    }

    const WORKFLOW: &str = r##"name: CI
on:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    env:
      OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}
    steps:
      - uses: actions/checkout@v4
      - run: |
          echo "# not a comment"
          pytest -q # still the script

        env:
          ANTHROPIC_API_KEY: "${{ secrets.ANTHROPIC_API_KEY }}" # from secrets
"##;

    #[test]
    fn github_workflow() {
        let (src, file) = parse_src(WORKFLOW);
        assert!(file.error.is_none(), "{:?}", file.error);
        let root = &file.docs[0];
        // `on` is a string key in YAML 1.2, not `true`.
        assert!(root.get("on").is_some());
        let key = path(root, &["jobs", "test", "env", "OPENAI_API_KEY"]);
        assert_eq!(text(key), "${{ secrets.OPENAI_API_KEY }}");
        assert_eq!(at(&src, key.span), (pos(9, 23), pos(9, 52)));
        let run = path(root, &["jobs", "test", "steps", "1", "run"]);
        assert_eq!(
            text(run),
            "echo \"# not a comment\"\npytest -q # still the script\n"
        );
        assert_eq!(at(&src, run.span), (pos(13, 11), pos(14, 39)));
        let quoted = path(
            root,
            &["jobs", "test", "steps", "1", "env", "ANTHROPIC_API_KEY"],
        );
        assert_eq!(src.slice(quoted.span), "${{ secrets.ANTHROPIC_API_KEY }}");
        assert_eq!(src.position(quoted.span.start), pos(17, 31));
        let comments: Vec<&str> = file.comments.iter().map(|c| src.slice(*c)).collect();
        assert_eq!(comments, ["# from secrets"]);
    }

    const LITELLM: &str = "model_list:
  - model_name: gpt-4o
    litellm_params:
      model: azure/gpt-4o
      api_base: os.environ/AZURE_API_BASE
      api_key: \"os.environ/AZURE_API_KEY\"
      rpm: 6
      temperature: 0.2
      stream: true
      timeout: ~
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY # never inline
";

    #[test]
    fn litellm_types() {
        let (src, file) = parse_src(LITELLM);
        assert!(file.error.is_none(), "{:?}", file.error);
        let params = path(&file.docs[0], &["model_list", "0", "litellm_params"]);
        assert_eq!(ty(params.get("rpm").unwrap()), ScalarType::Number);
        assert_eq!(ty(params.get("temperature").unwrap()), ScalarType::Number);
        assert_eq!(ty(params.get("stream").unwrap()), ScalarType::Bool);
        let timeout = params.get("timeout").unwrap();
        assert_eq!(
            (ty(timeout), src.slice(timeout.span)),
            (ScalarType::Null, "~")
        );
        let key = params.get("api_key").unwrap();
        assert_eq!(at(&src, key.span), (pos(6, 17), pos(6, 41)));
        let master = path(&file.docs[0], &["general_settings", "master_key"]);
        assert_eq!(src.slice(master.span), "os.environ/LITELLM_MASTER_KEY");
    }

    #[test]
    fn core_schema_types() {
        let cases = [
            ("null", ScalarType::Null),
            ("NULL", ScalarType::Null),
            ("~", ScalarType::Null),
            ("True", ScalarType::Bool),
            ("FALSE", ScalarType::Bool),
            ("yes", ScalarType::String),
            ("on", ScalarType::String),
            ("0", ScalarType::Number),
            ("-12", ScalarType::Number),
            ("+3", ScalarType::Number),
            ("0o17", ScalarType::Number),
            ("0x1F", ScalarType::Number),
            ("1.5", ScalarType::Number),
            ("1.", ScalarType::Number),
            (".5", ScalarType::Number),
            ("-1e10", ScalarType::Number),
            ("2.5E-3", ScalarType::Number),
            (".inf", ScalarType::Number),
            ("-.Inf", ScalarType::Number),
            (".NaN", ScalarType::Number),
            ("1_000", ScalarType::String),
            ("0x", ScalarType::String),
            ("1e", ScalarType::String),
            ("1.2.3", ScalarType::String),
            ("0o8", ScalarType::String),
            ("-x", ScalarType::String),
            ("nan", ScalarType::String),
            ("sk-proj", ScalarType::String),
            ("'1'", ScalarType::String),
            ("\"true\"", ScalarType::String),
            ("!!str 12", ScalarType::String),
            ("!!int \"12\"", ScalarType::Number),
            ("!!null ''", ScalarType::Null),
            ("!custom 12", ScalarType::Number),
        ];
        for (value, want) in cases {
            let t = format!("k: {value}\n");
            let (src, file) = parse_src(&t);
            let v = file.docs[0].get("k").unwrap();
            assert_eq!(ty(v), want, "{value}");
            let raw = value.rsplit(' ').next().unwrap().trim_matches(['\'', '"']);
            assert_eq!(src.slice(v.span), raw, "{value}");
        }
    }

    #[test]
    fn block_scalars() {
        let t = "a: |\n  one\n    two\n\n  three\n\nb: >-\n  folded\n  line\n# after\nc: &x !!str |+\n  kept\n\nd: |2\n    indented\ne: |\nf: >\n\n";
        let (src, file) = parse_src(t);
        assert!(file.error.is_none(), "{:?}", file.error);
        let root = &file.docs[0];
        let a = root.get("a").unwrap();
        assert_eq!(text(a), "one\n  two\n\nthree\n");
        assert_eq!(src.slice(a.span), "one\n    two\n\n  three");
        let b = root.get("b").unwrap();
        assert_eq!(
            (text(b), src.slice(b.span)),
            ("folded line", "folded\n  line")
        );
        let c = root.get("c").unwrap();
        assert_eq!((text(c), src.slice(c.span)), ("kept\n\n", "kept"));
        assert_eq!(src.position(c.span.start), pos(12, 3));
        let d = root.get("d").unwrap();
        assert_eq!((text(d), src.slice(d.span)), ("  indented\n", "indented"));
        // Empty block scalars: zero-length at the end of the header line.
        for (key, line, col) in [("e", 16, 5), ("f", 17, 5)] {
            let v = root.get(key).unwrap();
            assert_eq!(at(&src, v.span), (pos(line, col), pos(line, col)), "{key}");
        }
        let comments: Vec<&str> = file.comments.iter().map(|c| src.slice(*c)).collect();
        assert_eq!(comments, ["# after"]);
    }

    #[test]
    fn crlf_columns() {
        let t = "env:\r\n  A: \"x\" # c\r\n  B: plain\r\n  C:\r\n  D: |\r\n    l1\r\n    l2\r\n  E: 'it''s'\r\n";
        let (src, file) = parse_src(t);
        assert!(file.error.is_none(), "{:?}", file.error);
        let env = file.docs[0].get("env").unwrap();
        let a = env.get("A").unwrap();
        assert_eq!(at(&src, a.span), (pos(2, 7), pos(2, 8)));
        let b = env.get("B").unwrap();
        assert_eq!(
            (src.slice(b.span), src.position(b.span.start)),
            ("plain", pos(3, 6))
        );
        let c = env.get("C").unwrap();
        assert_eq!(at(&src, c.span), (pos(4, 5), pos(4, 5)));
        assert_eq!(src.slice(Span::new(c.span.start, c.span.start + 2)), "\r\n");
        let d = env.get("D").unwrap();
        assert_eq!(text(d), "l1\nl2\n");
        assert_eq!(at(&src, d.span), (pos(6, 5), pos(7, 7)));
        let e = env.get("E").unwrap();
        assert_eq!((text(e), src.slice(e.span)), ("it's", "it''s"));
        assert_eq!(src.slice(file.comments[0]), "# c");
        // A multi-line plain scalar across CRLF.
        let (src, file) = parse_src("k: one\r\n  two\r\nz: 1\r\n");
        let k = file.docs[0].get("k").unwrap();
        assert_eq!((text(k), src.slice(k.span)), ("one two", "one\r\n  two"));
    }

    #[test]
    fn offsets_by_marks_are_every_characters_offset() {
        let t: String = (0..500)
            .map(|i| ["a", "é", "日", "😀", "\n"][i % 5].repeat(i % 3 + 1))
            .collect();
        let o = Offsets::new(&t);
        let every: Vec<usize> = t.char_indices().map(|(i, _)| i).collect();
        for index in 0..every.len() + 70 {
            assert_eq!(o.byte(index), every.get(index).copied().unwrap_or(t.len()));
        }
        let ascii = Offsets::new("abc");
        assert_eq!((ascii.byte(2), ascii.byte(9)), (2, 3));
    }

    #[test]
    fn non_ascii_offsets() {
        let t = "名前: \"日本語\" # コメント\nemoji: 😀😀 x\nnext: 'é'\nlist: [ü, \"ö\", {ß: 1}]\n";
        let (src, file) = parse_src(t);
        assert!(file.error.is_none(), "{:?}", file.error);
        let root = &file.docs[0];
        let (k, v) = &root.entries()[0];
        assert_eq!((k.text.as_str(), src.slice(k.span)), ("名前", "名前"));
        assert_eq!(at(&src, v.span), (pos(1, 6), pos(1, 9)));
        assert_eq!(src.slice(v.span), "日本語");
        let emoji = root.get("emoji").unwrap();
        assert_eq!(src.slice(emoji.span), "😀😀 x");
        let next = root.get("next").unwrap();
        assert_eq!(at(&src, next.span), (pos(3, 8), pos(3, 9)));
        let list = root.get("list").unwrap();
        assert_eq!(src.slice(list.span), "[ü, \"ö\", {ß: 1}]");
        assert_eq!(src.slice(list.items()[1].span), "ö");
        let (k, v) = &list.items()[2].entries()[0];
        assert_eq!((src.slice(k.span), src.slice(v.span)), ("ß", "1"));
        assert_eq!(src.slice(file.comments[0]), "# コメント");
        // An error position after non-ASCII text is a byte offset too.
        let (src, file) = parse_src("ключ: значение\nbad: [1, 2\n");
        let e = file.error.unwrap();
        assert_eq!(src.position(e.span.start).line, 3);
    }

    #[test]
    fn aliases_expand_and_duplicates_stay() {
        let t = "base: &b {model: gpt-4o, key: k1}\nuse: *b\nlist: [*b, *b]\nbase: again\n";
        let (src, file) = parse_src(t);
        assert!(file.error.is_none(), "{:?}", file.error);
        let root = &file.docs[0];
        let keys: Vec<&str> = root
            .entries()
            .iter()
            .map(|(k, _)| k.text.as_str())
            .collect();
        assert_eq!(keys, ["base", "use", "list", "base"]);
        // `get` finds the last of a repeated key.
        assert_eq!(text(root.get("base").unwrap()), "again");
        let used = root.get("use").unwrap();
        assert_eq!(text(used.get("model").unwrap()), "gpt-4o");
        assert_eq!(src.slice(used.span), "{model: gpt-4o, key: k1}");
        assert_eq!(root.get("list").unwrap().items().len(), 2);
        assert_eq!(src.slice(root.get("list").unwrap().span), "[*b, *b]");
        // An alias to an anchor never defined is an error.
        let (src, file) = parse_src("a: 1\nb: *nope\n");
        let e = file.error.unwrap();
        assert_eq!(src.position(e.span.start), pos(2, 4));
        assert_eq!(text(file.docs[0].get("a").unwrap()), "1");
    }

    #[test]
    fn alias_bomb_stops_fast() {
        let mut t = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            let refs = vec![format!("*{prev}"); 9].join(",");
            t.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        t.push_str("---\nnever: reached\n");
        let started = std::time::Instant::now();
        let (src, file) = parse_src(&t);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        let e = file.error.unwrap();
        assert_eq!(e.message, "alias expansion limit exceeded");
        assert!(
            src.position(e.span.start).line <= 7,
            "{:?}",
            src.position(e.span.start)
        );
        // What was read before the limit is kept; the later document is not.
        assert_eq!(file.docs.len(), 1);
        assert_eq!(file.docs[0].get("a").unwrap().items().len(), 9);
        // Nesting through an alias is bounded by the depth limit.
        let t = format!(
            "a: &a\n  {}x\nb: {}*a{}\n",
            "- ".repeat(400),
            "[".repeat(120),
            "]".repeat(120)
        );
        let file = parse(&t);
        let e = file.error.unwrap();
        assert!(e.message.contains("nesting deeper"), "{}", e.message);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        for deep in [
            "[".repeat(10_000),
            "{a: ".repeat(10_000),
            format!("{}x\n", "- ".repeat(10_000)),
            (0..600)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect::<String>(),
        ] {
            let file = parse(&deep);
            assert_spans_valid(&file, &deep);
            assert!(file.error.is_some(), "{}", &deep[..20]);
        }
        let file = parse(&format!("{}x\n", "- ".repeat(10_000)));
        let e = file.error.unwrap();
        assert!(
            e.message.contains("nesting deeper than 512"),
            "{}",
            e.message
        );
        assert_eq!(e.span.start, 2 * MAX_DEPTH);
        // Just within the limit parses.
        let file = parse(&format!("{}x\n", "- ".repeat(MAX_DEPTH)));
        assert!(file.error.is_none(), "{:?}", file.error);
    }

    #[test]
    fn syntax_errors_at_the_right_place() {
        let cases: &[(&str, (usize, usize))] = &[
            ("a: [1, 2\nb: 3\n", (2, 2)),
            ("a: 1\n  b: 2\n", (2, 4)),
            ("a: \"open\nb: 1\n", (1, 4)),
            ("a:\n\t- tab\n", (2, 2)),
            ("- a\nb: c\n", (2, 1)),
            ("a: 1\n---\nb: [\n", (4, 1)),
        ];
        for (t, (line, col)) in cases {
            let (src, file) = parse_src(t);
            let e = file
                .error
                .as_ref()
                .unwrap_or_else(|| panic!("{t:?} should fail"));
            assert_eq!(
                src.position(e.span.start),
                pos(*line, *col),
                "{t:?}: {}",
                e.message
            );
            assert!(!e.message.is_empty());
        }
        // Documents before the error are kept, and the partial one too.
        let (_, file) = parse_src("a: 1\n---\nb: 2\nc: [x, y\n");
        assert_eq!(file.docs.len(), 2);
        assert_eq!(text(file.docs[0].get("a").unwrap()), "1");
        assert_eq!(text(file.docs[1].get("b").unwrap()), "2");
        assert_eq!(file.docs[1].get("c").unwrap().items().len(), 2);
        // Past the error, only whole-line comments are known.
        let (src, file) = parse_src("a: [\n# whole\nb: x # tail\n");
        let comments: Vec<&str> = file.comments.iter().map(|c| src.slice(*c)).collect();
        assert_eq!(comments, ["# whole"]);
        // Empty and comment-only streams hold no document.
        for t in ["", "\n\n", "# only a comment\n"] {
            let f = parse(t);
            assert!(f.docs.is_empty() && f.error.is_none(), "{t:?}");
        }
    }

    #[test]
    fn quoted_keys_flow_comments_and_tabs() {
        let t = "\"OPENAI_API_KEY\": \"a\\\"b\"\n'it''s': x\nflow: &f [a, # first\n  \"b # c\", {k: v}] # after\ntab:\tvalue\t# c\n--- # doc comment\nmulti: \"one\n  two\"\n";
        let (src, file) = parse_src(t);
        assert!(file.error.is_none(), "{:?}", file.error);
        let root = &file.docs[0];
        let (k, v) = &root.entries()[0];
        assert_eq!(
            (k.text.as_str(), src.slice(k.span)),
            ("OPENAI_API_KEY", "OPENAI_API_KEY")
        );
        assert_eq!(src.position(k.span.start), pos(1, 2));
        assert_eq!((text(v), src.slice(v.span)), ("a\"b", "a\\\"b"));
        let (k, _) = &root.entries()[1];
        assert_eq!((k.text.as_str(), src.slice(k.span)), ("it's", "it''s"));
        let flow = root.get("flow").unwrap();
        assert_eq!(src.slice(flow.span), "[a, # first\n  \"b # c\", {k: v}]");
        assert_eq!(text(&flow.items()[1]), "b # c");
        let tab = root.get("tab").unwrap();
        assert_eq!(
            (text(tab), src.position(tab.span.start)),
            ("value", pos(5, 6))
        );
        let multi = file.docs[1].get("multi").unwrap();
        assert_eq!(
            (text(multi), src.slice(multi.span)),
            ("one two", "one\n  two")
        );
        let comments: Vec<&str> = file.comments.iter().map(|c| src.slice(*c)).collect();
        assert_eq!(comments, ["# first", "# after", "# c", "# doc comment"]);
    }

    #[test]
    fn empty_values_sit_where_the_value_would_start() {
        let t = "a:\nb: \nc:   # c\nd: &x\ne: !!null # n\nf: {g, h: }\nl:\n-\n-   # c\n- - # c\n\"q\":\r\n";
        let (src, file) = parse_src(t);
        assert!(file.error.is_none(), "{:?}", file.error);
        let root = &file.docs[0];
        let spot = |n: &Node| {
            assert!(n.span.is_empty(), "{:?}", n.span);
            assert_eq!(ty(n), ScalarType::Null);
            let p = src.position(n.span.start);
            (p.line, p.column)
        };
        assert_eq!(spot(root.get("a").unwrap()), (1, 3));
        assert_eq!(spot(root.get("b").unwrap()), (2, 4));
        assert_eq!(spot(root.get("c").unwrap()), (3, 6));
        assert_eq!(spot(root.get("d").unwrap()), (4, 6));
        assert_eq!(spot(root.get("e").unwrap()), (5, 11));
        let f = root.get("f").unwrap();
        assert_eq!(spot(f.get("g").unwrap()), (6, 6));
        assert_eq!(spot(f.get("h").unwrap()), (6, 11));
        let l = root.get("l").unwrap().items();
        assert_eq!(spot(&l[0]), (8, 2));
        assert_eq!(spot(&l[1]), (9, 5));
        assert_eq!(spot(&l[2].items()[0]), (10, 5));
        assert_eq!(spot(root.get("q").unwrap()), (11, 5));
    }

    #[test]
    fn mutated_inputs_never_panic() {
        let cases = mutations(&[COMPOSE, K8S, WORKFLOW, LITELLM], 3000);
        for t in &cases {
            let file = parse(t);
            assert_spans_valid(&file, t);
        }
    }

    #[test]
    fn snapshot() {
        let t = format!("{COMPOSE}---\n{LITELLM}");
        let (src, file) = parse_src(&t);
        insta::assert_snapshot!(render(&file, &src));
    }
}
