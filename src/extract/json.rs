//! JSON and JSONC into the spanned config tree ([`ConfigFile`]).
//!
//! serde_json keeps no positions, so this is a small parser of our own. It
//! is iterative (an explicit stack, no recursion), so nesting depth costs
//! heap, not call stack; past [`MAX_DEPTH`] it stops with an error, which
//! also keeps the tree shallow enough for the families' recursive walks and
//! for `Drop`.
//!
//! Strict mode follows RFC 8259. JSONC mode (`comments = true`: tsconfig,
//! VS Code settings, devcontainer.json) also takes `//` and `/* */`
//! comments, collected into [`ConfigFile::comments`], and a trailing comma
//! before `]` or `}`.
//!
//! Spans: a string's span is inside its quotes (its text decoded: escapes
//! and `\uXXXX` surrogate pairs resolved, a lone surrogate becomes U+FFFD);
//! a number's, `true`'s, `false`'s and `null`'s span is the token; an
//! object's or array's runs from its opening to its closing bracket. On a
//! syntax error the value parsed so far is kept as the document (open
//! objects and arrays closed at the error), and `error` says where and why.
//! A file holding nothing but blanks and comments has no document and no
//! error.

use crate::extract::config_tree::{ConfigFile, Key, Node, NodeKind, Scalar, ScalarType};
use crate::fact::ParseError;
use crate::source::Span;

/// How deep objects and arrays may nest before parsing stops with an error.
pub const MAX_DEPTH: usize = 512;

/// Parse `text` as JSON, or as JSONC when `comments` is true.
pub fn parse(text: &str, comments: bool) -> ConfigFile {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        jsonc: comments,
        comments: Vec::new(),
        stack: Vec::new(),
    };
    let (doc, error) = match p.document() {
        Ok(doc) => (doc, None),
        Err(e) => (p.unwind(), Some(e)),
    };
    ConfigFile {
        docs: doc.into_iter().collect(),
        comments: p.comments,
        error,
    }
}

/// An object or array still open.
enum Frame {
    Object {
        start: usize,
        entries: Vec<(Key, Node)>,
        key: Option<Key>,
    },
    Array {
        start: usize,
        items: Vec<Node>,
    },
}

impl Frame {
    fn close(self, end: usize) -> Node {
        match self {
            Frame::Object { start, entries, .. } => Node {
                span: Span::new(start, end),
                kind: NodeKind::Map(entries),
            },
            Frame::Array { start, items } => Node {
                span: Span::new(start, end),
                kind: NodeKind::Seq(items),
            },
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    jsonc: bool,
    comments: Vec<Span>,
    stack: Vec<Frame>,
}

/// What a finished value leads to.
enum Next {
    /// Another value is wanted (after `[`, `,` in an array, or `key:`).
    Value,
    /// The top-level value is complete.
    Done(Node),
}

impl Parser<'_> {
    fn document(&mut self) -> Result<Option<Node>, ParseError> {
        self.skip_blank()?;
        if self.pos >= self.bytes.len() {
            return Ok(None);
        }
        loop {
            let node = match self.value()? {
                Some(node) => node,
                // A container was opened: its first value (or key) is next.
                None => continue,
            };
            if let Next::Done(root) = self.finish(node)? {
                self.skip_blank()?;
                if self.pos < self.bytes.len() {
                    return Err(self.error("unexpected text after the JSON value"));
                }
                return Ok(Some(root));
            }
        }
    }

    /// After a syntax error: close whatever is open, innermost first, so
    /// the partial document keeps what was read.
    fn unwind(&mut self) -> Option<Node> {
        let end = self.pos.min(self.bytes.len());
        let mut done: Option<Node> = None;
        while let Some(mut frame) = self.stack.pop() {
            if let Some(child) = done.take() {
                match &mut frame {
                    Frame::Object { entries, key, .. } => {
                        if let Some(k) = key.take() {
                            entries.push((k, child));
                        }
                    }
                    Frame::Array { items, .. } => items.push(child),
                }
            }
            done = Some(frame.close(end));
        }
        done
    }

    /// One value at `pos` (blanks already skipped). A scalar comes back
    /// whole; `[` or `{` pushes a frame and returns `None`, or returns the
    /// container at once when it is empty.
    fn value(&mut self) -> Result<Option<Node>, ParseError> {
        let start = self.pos;
        match self.bytes.get(start) {
            Some(b'{') | Some(b'[') => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(self.error(&format!("nesting deeper than {MAX_DEPTH} levels")));
                }
                let object = self.bytes[start] == b'{';
                self.pos += 1;
                self.skip_blank()?;
                let close = if object { b'}' } else { b']' };
                if self.bytes.get(self.pos) == Some(&close) {
                    self.pos += 1;
                    let kind = if object {
                        NodeKind::Map(Vec::new())
                    } else {
                        NodeKind::Seq(Vec::new())
                    };
                    return Ok(Some(Node {
                        span: Span::new(start, self.pos),
                        kind,
                    }));
                }
                if object {
                    self.stack.push(Frame::Object {
                        start,
                        entries: Vec::new(),
                        key: None,
                    });
                    let k = self.key()?;
                    if let Some(Frame::Object { key, .. }) = self.stack.last_mut() {
                        *key = Some(k);
                    }
                } else {
                    self.stack.push(Frame::Array {
                        start,
                        items: Vec::new(),
                    });
                }
                Ok(None)
            }
            Some(b'"') => {
                let (text, span) = self.string()?;
                Ok(Some(scalar(span, text, Some('"'), ScalarType::String)))
            }
            Some(b't') => self.word("true", ScalarType::Bool).map(Some),
            Some(b'f') => self.word("false", ScalarType::Bool).map(Some),
            Some(b'n') => self.word("null", ScalarType::Null).map(Some),
            Some(b'-' | b'0'..=b'9') => self.number().map(Some),
            Some(_) => Err(self.error("expected a JSON value")),
            None => Err(self.error("unexpected end of file: expected a JSON value")),
        }
    }

    /// A finished value goes into its parent; then read on past `,` (to the
    /// next value) or past closing brackets (finishing their containers).
    fn finish(&mut self, mut node: Node) -> Result<Next, ParseError> {
        loop {
            let Some(mut frame) = self.stack.pop() else {
                return Ok(Next::Done(node));
            };
            let (is_object, close) = match &mut frame {
                Frame::Object { entries, key, .. } => {
                    if let Some(k) = key.take() {
                        entries.push((k, node));
                    }
                    (true, b'}')
                }
                Frame::Array { items, .. } => {
                    items.push(node);
                    (false, b']')
                }
            };
            // The frame stays on the stack while reading on, so that an
            // error keeps it in the partial document.
            self.stack.push(frame);
            self.skip_blank()?;
            match self.bytes.get(self.pos) {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_blank()?;
                    let trailing = self.jsonc && self.bytes.get(self.pos) == Some(&close);
                    if !trailing {
                        if is_object {
                            let k = self.key()?;
                            if let Some(Frame::Object { key, .. }) = self.stack.last_mut() {
                                *key = Some(k);
                            }
                        }
                        return Ok(Next::Value);
                    }
                    // JSONC trailing comma: on to the close.
                    self.pos += 1;
                }
                Some(&b) if b == close => self.pos += 1,
                _ => {
                    let msg = if is_object {
                        "expected `,` or `}` after an object entry"
                    } else {
                        "expected `,` or `]` after an array item"
                    };
                    return Err(self.error(msg));
                }
            }
            match self.stack.pop() {
                Some(frame) => node = frame.close(self.pos),
                None => return Err(self.error("internal: lost an open container")),
            }
        }
    }

    /// `"key"` and the `:` after it, leaving `pos` on the value.
    fn key(&mut self) -> Result<Key, ParseError> {
        if self.bytes.get(self.pos) != Some(&b'"') {
            return Err(self.error("expected a string key in double quotes"));
        }
        let (text, span) = self.string()?;
        self.skip_blank()?;
        if self.bytes.get(self.pos) != Some(&b':') {
            return Err(self.error("expected `:` after an object key"));
        }
        self.pos += 1;
        self.skip_blank()?;
        Ok(Key { text, span })
    }

    /// A string at `pos` (on its opening quote): its decoded text and the
    /// span inside the quotes.
    fn string(&mut self) -> Result<(String, Span), ParseError> {
        let start = self.pos + 1;
        let mut i = start;
        let mut out: Option<String> = None;
        let mut run = start;
        loop {
            let Some(&b) = self.bytes.get(i) else {
                self.pos = start - 1;
                return Err(self.error_len("unterminated string", 1));
            };
            match b {
                b'"' => {
                    let text = match out {
                        Some(mut s) => {
                            s.push_str(&self.text[run..i]);
                            s
                        }
                        None => self.text[start..i].to_string(),
                    };
                    self.pos = i + 1;
                    return Ok((text, Span::new(start, i)));
                }
                b'\\' => {
                    let s = out.get_or_insert_with(String::new);
                    s.push_str(&self.text[run..i]);
                    let Some(&e) = self.bytes.get(i + 1) else {
                        self.pos = i;
                        return Err(self.error_len("unterminated string", 1));
                    };
                    i += 2;
                    match e {
                        b'"' => s.push('"'),
                        b'\\' => s.push('\\'),
                        b'/' => s.push('/'),
                        b'b' => s.push('\u{8}'),
                        b'f' => s.push('\u{c}'),
                        b'n' => s.push('\n'),
                        b'r' => s.push('\r'),
                        b't' => s.push('\t'),
                        b'u' => {
                            let Some(hi) = hex4(self.bytes, i) else {
                                self.pos = i - 2;
                                return Err(self.error_len("invalid \\u escape", 2));
                            };
                            i += 4;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                // A high surrogate pairs with a `\uDC00`-`\uDFFF` after it.
                                let lo = if self.bytes.get(i) == Some(&b'\\')
                                    && self.bytes.get(i + 1) == Some(&b'u')
                                {
                                    hex4(self.bytes, i + 2)
                                        .filter(|lo| (0xDC00..0xE000).contains(lo))
                                } else {
                                    None
                                };
                                match lo {
                                    Some(lo) => {
                                        i += 6;
                                        char::from_u32(
                                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00),
                                        )
                                    }
                                    None => None,
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            s.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
                        }
                        _ => {
                            self.pos = i - 2;
                            return Err(self.error_len("invalid escape in string", 2));
                        }
                    }
                    run = i;
                }
                0..=0x1f => {
                    self.pos = i;
                    return Err(self.error("control character in string (escape it)"));
                }
                _ => i += 1,
            }
        }
    }

    /// `true`, `false` or `null`.
    fn word(&mut self, word: &str, ty: ScalarType) -> Result<Node, ParseError> {
        let start = self.pos;
        let end = start + word.len();
        if self.bytes.get(start..end) != Some(word.as_bytes()) || self.ident_at(end) {
            return Err(self.error("expected a JSON value"));
        }
        self.pos = end;
        Ok(scalar(Span::new(start, end), word.to_string(), None, ty))
    }

    fn ident_at(&self, at: usize) -> bool {
        self.bytes
            .get(at)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Result<Node, ParseError> {
        let start = self.pos;
        let b = self.bytes;
        let mut i = start;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let digits = |mut i: usize| {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i = digits(i),
            _ => {
                self.pos = i;
                return Err(self.error("expected a digit"));
            }
        }
        if b.get(i) == Some(&b'.') {
            let after = digits(i + 1);
            if after == i + 1 {
                self.pos = after;
                return Err(self.error("expected a digit after `.`"));
            }
            i = after;
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let after = digits(i);
            if after == i {
                self.pos = after;
                return Err(self.error("expected a digit in the exponent"));
            }
            i = after;
        }
        if self.ident_at(i) || b.get(i) == Some(&b'.') {
            self.pos = i;
            return Err(self.error("invalid number"));
        }
        self.pos = i;
        Ok(scalar(
            Span::new(start, i),
            self.text[start..i].to_string(),
            None,
            ScalarType::Number,
        ))
    }

    /// Skip whitespace, and in JSONC mode comments (recording them).
    fn skip_blank(&mut self) -> Result<(), ParseError> {
        loop {
            match self.bytes.get(self.pos) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') if self.jsonc => {
                    let start = self.pos;
                    match self.bytes.get(start + 1) {
                        Some(b'/') => {
                            let mut end = memchr::memchr(b'\n', &self.bytes[start..])
                                .map_or(self.bytes.len(), |n| start + n);
                            self.pos = end;
                            if end > start && self.bytes[end - 1] == b'\r' {
                                end -= 1;
                            }
                            self.comments.push(Span::new(start, end));
                        }
                        Some(b'*') => {
                            let Some(n) = memchr::memmem::find(&self.bytes[start + 2..], b"*/")
                            else {
                                return Err(self.error_len("unterminated `/*` comment", 2));
                            };
                            let end = start + 2 + n + 2;
                            self.comments.push(Span::new(start, end));
                            self.pos = end;
                        }
                        _ => return Ok(()),
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    /// An error at `pos`, spanning the character there (empty at the end).
    fn error(&self, message: &str) -> ParseError {
        let len = self
            .text
            .get(self.pos..)
            .and_then(|s| s.chars().next())
            .map_or(0, char::len_utf8);
        self.error_len(message, len)
    }

    fn error_len(&self, message: &str, len: usize) -> ParseError {
        let start = self.pos.min(self.text.len());
        let mut end = (start + len).min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        ParseError {
            span: Span::new(start, end),
            message: message.to_string(),
        }
    }
}

fn scalar(span: Span, text: String, quote: Option<char>, ty: ScalarType) -> Node {
    Node {
        span,
        kind: NodeKind::Scalar(Scalar { text, quote, ty }),
    }
}

fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..at + 4)?;
    let s = std::str::from_utf8(digits).ok()?;
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::config_tree::{assert_spans_valid, mutations, render};
    use crate::source::{Position, Source};

    fn parse_src(text: &str, jsonc: bool) -> (Source, ConfigFile) {
        let file = parse(text, jsonc);
        assert_spans_valid(&file, text);
        (Source::new(text.to_string()), file)
    }

    fn at(source: &Source, span: Span) -> (Position, Position) {
        (source.position(span.start), source.position(span.end))
    }

    fn pos(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    fn text(node: &Node) -> &str {
        node.scalar().map_or("<not a scalar>", |s| s.text.as_str())
    }

    const APPSETTINGS: &str = r#"{
  "Logging": { "LogLevel": { "Default": "Information" } },
  "OpenAI": {
    "ApiKey": "${OPENAI_API_KEY}",
    "Organization": "org-AbCdEfGhIjKlMnOpQrStUv",
    "MaxTokens": 1024,
    "Temperature": -0.5e-1,
    "Stream": true,
    "Proxy": null
  },
  "AllowedHosts": "*"
}
"#;

    #[test]
    fn appsettings_spans_and_types() {
        let (src, file) = parse_src(APPSETTINGS, false);
        assert!(file.error.is_none(), "{:?}", file.error);
        assert_eq!(file.docs.len(), 1);
        let root = &file.docs[0];
        assert_eq!(at(&src, root.span), (pos(1, 1), pos(12, 2)));
        let openai = root.get("OpenAI").unwrap();
        assert_eq!(at(&src, openai.span), (pos(3, 13), pos(10, 4)));
        let (key, api) = &openai.entries()[0];
        assert_eq!(key.text, "ApiKey");
        assert_eq!(at(&src, key.span), (pos(4, 6), pos(4, 12)));
        assert_eq!(text(api), "${OPENAI_API_KEY}");
        assert_eq!(at(&src, api.span), (pos(4, 16), pos(4, 33)));
        assert_eq!(src.slice(api.span), "${OPENAI_API_KEY}");
        let s = api.scalar().unwrap();
        assert_eq!((s.quote, s.ty), (Some('"'), ScalarType::String));
        let num = openai.get("MaxTokens").unwrap();
        assert_eq!(
            (text(num), num.scalar().unwrap().ty),
            ("1024", ScalarType::Number)
        );
        assert_eq!(num.scalar().unwrap().quote, None);
        assert_eq!(text(openai.get("Temperature").unwrap()), "-0.5e-1");
        assert_eq!(
            openai.get("Stream").unwrap().scalar().unwrap().ty,
            ScalarType::Bool
        );
        let null = openai.get("Proxy").unwrap();
        assert_eq!(null.scalar().unwrap().ty, ScalarType::Null);
        assert_eq!(src.slice(null.span), "null");
        // A number or keyword in quotes is a string.
        let (_, f) = parse_src(r#"{"a": "1024", "b": "true", "c": "null"}"#, false);
        for (_, v) in f.docs[0].entries() {
            assert_eq!(v.scalar().unwrap().ty, ScalarType::String);
        }
    }

    const TSCONFIG: &str = r#"// tsconfig with comments
{
  /* compiler options */
  "compilerOptions": {
    "target": "es2022", // trailing comment
    "paths": { "@/*": ["./src/*",], },
  },
  "include": ["src", "http://x//y", "a/*b*/c"],
}
"#;

    #[test]
    fn jsonc_comments_and_trailing_commas() {
        let (src, file) = parse_src(TSCONFIG, true);
        assert!(file.error.is_none(), "{:?}", file.error);
        let comments: Vec<&str> = file.comments.iter().map(|c| src.slice(*c)).collect();
        assert_eq!(
            comments,
            [
                "// tsconfig with comments",
                "/* compiler options */",
                "// trailing comment"
            ]
        );
        let root = &file.docs[0];
        let paths = root.get("compilerOptions").unwrap().get("paths").unwrap();
        assert_eq!(text(&paths.get("@/*").unwrap().items()[0]), "./src/*");
        // `//` and `/*` inside strings are string text, not comments.
        let include: Vec<&str> = root
            .get("include")
            .unwrap()
            .items()
            .iter()
            .map(text)
            .collect();
        assert_eq!(include, ["src", "http://x//y", "a/*b*/c"]);
        // Strict JSON rejects the comment on line 1 ...
        let (src, strict) = parse_src(TSCONFIG, false);
        let e = strict.error.unwrap();
        assert_eq!(src.position(e.span.start), pos(1, 1));
        assert!(strict.comments.is_empty());
        // ... and a trailing comma.
        let (src, strict) = parse_src("[1,\n 2,\n]", false);
        let e = strict.error.unwrap();
        assert_eq!(src.position(e.span.start), pos(3, 1), "{}", e.message);
        assert_eq!(strict.docs[0].items().len(), 2);
        // JSONC allows one trailing comma, not an empty slot.
        for bad in ["[1,,]", "[,]", "{,}", r#"{"a":1,,}"#] {
            assert!(parse(bad, true).error.is_some(), "{bad}");
        }
        assert_eq!(parse("[1,]", true).docs[0].items().len(), 1);
        // An unterminated block comment is an error at its start.
        let (src, f) = parse_src("{\n  /* open", true);
        let e = f.error.unwrap();
        assert_eq!(at(&src, e.span), (pos(2, 3), pos(2, 5)));
    }

    #[test]
    fn escapes_decoded_span_is_raw() {
        let t = r#"{"k\u0065y": "a\"b\\c\/d\n\t\u00e9\ud83d\ude00\ud800x"}"#;
        let (src, file) = parse_src(t, false);
        let (k, v) = &file.docs[0].entries()[0];
        assert_eq!(k.text, "key");
        assert_eq!(src.slice(k.span), r"k\u0065y");
        assert_eq!(text(v), "a\"b\\c/d\n\té😀\u{fffd}x");
        assert_eq!(
            src.slice(v.span),
            r#"a\"b\\c\/d\n\t\u00e9\ud83d\ude00\ud800x"#
        );
        for bad in [r#""\x""#, r#""\u12""#, r#""\u12G4""#, "\"a\nb\"", "\"abc"] {
            let f = parse(bad, false);
            assert!(f.error.is_some(), "{bad}");
        }
    }

    #[test]
    fn crlf_and_non_ascii_columns() {
        let t = "{\r\n  \"naïve\": \"日本語\",\r\n  \"emoji\": \"😀\", \"n\": 1\r\n}\r\n";
        let (src, file) = parse_src(t, false);
        assert!(file.error.is_none());
        let (k, v) = &file.docs[0].entries()[0];
        assert_eq!(at(&src, k.span), (pos(2, 4), pos(2, 9)));
        assert_eq!(at(&src, v.span), (pos(2, 13), pos(2, 16)));
        assert_eq!(src.slice(v.span), "日本語");
        let n = file.docs[0].get("n").unwrap();
        assert_eq!(at(&src, n.span), (pos(3, 22), pos(3, 23)));
        // Line comments stop before the CR.
        let (src, f) = parse_src("// c\r\n1", true);
        assert_eq!(src.slice(f.comments[0]), "// c");
    }

    #[test]
    fn syntax_errors_at_the_right_place() {
        let cases: &[(&str, (usize, usize), &str)] = &[
            (
                "{\n  \"a\": 1\n  \"b\": 2\n}",
                (3, 3),
                "expected `,` or `}`",
            ),
            ("{\"a\" 1}", (1, 6), "expected `:`"),
            ("{a: 1}", (1, 2), "expected a string key"),
            ("[1, 2", (1, 6), "expected `,` or `]`"),
            ("[01]", (1, 3), "invalid number"),
            ("[1.]", (1, 4), "expected a digit after `.`"),
            ("[-]", (1, 3), "expected a digit"),
            ("[1e+]", (1, 5), "expected a digit in the exponent"),
            ("[tru]", (1, 2), "expected a JSON value"),
            ("[truex]", (1, 2), "expected a JSON value"),
            ("{\"a\": 1} x", (1, 10), "unexpected text after"),
            ("{\"a\": \"é\n\"}", (1, 9), "control character"),
            ("[\"open", (1, 2), "unterminated string"),
            ("", (1, 1), ""),
        ];
        for (t, (line, col), msg) in cases {
            let (src, file) = parse_src(t, false);
            match &file.error {
                Some(e) => {
                    assert_eq!(
                        src.position(e.span.start),
                        pos(*line, *col),
                        "{t:?}: {}",
                        e.message
                    );
                    assert!(e.message.contains(msg), "{t:?}: {}", e.message);
                }
                None => assert!(msg.is_empty(), "{t:?} should fail"),
            }
        }
        // Blank or comment-only files hold no document and no error.
        for t in ["", "  \n", "// nothing\n/* here */"] {
            let f = parse(t, true);
            assert!(f.docs.is_empty() && f.error.is_none(), "{t:?}");
        }
    }

    #[test]
    fn partial_document_kept_on_error() {
        let t = "{\"model\": \"gpt-4o\", \"env\": {\"OPENAI_API_KEY\": \"x\", \"b\": }";
        let (_, file) = parse_src(t, false);
        assert!(file.error.is_some());
        let root = &file.docs[0];
        assert_eq!(text(root.get("model").unwrap()), "gpt-4o");
        let env = root.get("env").unwrap();
        assert_eq!(text(env.get("OPENAI_API_KEY").unwrap()), "x");
        // The key without a value is dropped.
        assert!(env.get("b").is_none());
    }

    #[test]
    fn duplicate_keys_kept_in_order() {
        let (_, file) = parse_src(r#"{"a": 1, "b": 2, "a": 3}"#, false);
        let keys: Vec<&str> = file.docs[0]
            .entries()
            .iter()
            .map(|(k, _)| k.text.as_str())
            .collect();
        assert_eq!(keys, ["a", "b", "a"]);
        assert_eq!(text(file.docs[0].get("a").unwrap()), "3");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        for open in ["[", "{\"a\":"] {
            let t = open.repeat(10_000);
            let file = parse(&t, false);
            let e = file.error.unwrap();
            assert!(
                e.message.contains("nesting deeper than 512"),
                "{}",
                e.message
            );
            assert_eq!(e.span.start, open.len() * MAX_DEPTH);
            assert_eq!(file.docs.len(), 1);
        }
        // Just within the limit parses.
        let t = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let file = parse(&t, false);
        assert!(file.error.is_none(), "{:?}", file.error);
        let mut depth = 0;
        let mut node = &file.docs[0];
        while let Some(inner) = node.items().first() {
            node = inner;
            depth += 1;
        }
        assert_eq!(depth, MAX_DEPTH - 1);
    }

    #[test]
    fn mutated_inputs_never_panic() {
        let seeds = [
            APPSETTINGS,
            TSCONFIG,
            r#"{"a":[1,-2.5e3,true,null,"\u00e9\ud83d\ude00"],"b":{}}"#,
        ];
        let cases = mutations(&seeds, 3000);
        for t in &cases {
            for jsonc in [false, true] {
                let file = parse(t, jsonc);
                assert_spans_valid(&file, t);
            }
        }
    }

    #[test]
    fn snapshot() {
        let (src, file) = parse_src(TSCONFIG, true);
        insta::assert_snapshot!(render(&file, &src));
    }
}
