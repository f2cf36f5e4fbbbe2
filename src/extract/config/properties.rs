//! Java `.properties` files, read as `java.util.Properties.load` reads
//! them, into the config tree: one document, a map of flat keys
//! (`spring.ai.openai.api-key`) to string values.
//!
//! A line whose first non-blank character is `#` or `!` is a comment. A
//! line ending in an odd number of backslashes continues on the next one
//! (whose leading blanks are dropped). The key ends at the first unescaped
//! `=`, `:` or blank; blanks, then at most one `=`/`:`, then blanks follow;
//! the rest is the value. `\t`, `\n`, `\r`, `\f`, `\uXXXX` are escapes; a
//! backslash before anything else is dropped. Nothing is an error.
//!
//! Spans are the raw text of the key and of the value (the value through
//! the end of its last line); an empty value's span is empty, where the
//! value would start.

use crate::extract::config_tree::{ConfigFile, Key, Node, NodeKind, Scalar, ScalarType};
use crate::source::Span;

/// Parse a properties file.
pub fn parse(text: &str) -> ConfigFile {
    let b = text.as_bytes();
    let mut entries = Vec::new();
    let mut comments = Vec::new();
    let mut at = 0;
    while at < b.len() {
        // Skip leading blanks (space, tab, form feed).
        while at < b.len() && matches!(b[at], b' ' | b'\t' | b'\x0c') {
            at += 1;
        }
        if at >= b.len() {
            break;
        }
        if matches!(b[at], b'\n' | b'\r') {
            at = after_eol(b, at);
            continue;
        }
        if matches!(b[at], b'#' | b'!') {
            let end = eol(b, at);
            comments.push(Span::new(at, end));
            at = after_eol(b, end);
            continue;
        }
        // The logical line: raw segments joined at continuations.
        let (chars, next) = logical(text, at);
        at = next;
        let (key, value) = split(&chars);
        let key_text: String = unescape(&chars[key.0..key.1]);
        let key_span = span_of(&chars, key.0, key.1);
        let value_text = unescape(&chars[value.0..value.1]);
        let value_span = if value.0 == value.1 {
            let p = chars.get(value.0).map_or_else(
                || chars.last().map_or(key_span.end, |c| c.1 + c.0.len_utf8()),
                |c| c.1,
            );
            Span::new(p, p)
        } else {
            span_of(&chars, value.0, value.1)
        };
        entries.push((
            Key {
                text: key_text,
                span: key_span,
            },
            Node {
                span: value_span,
                kind: NodeKind::Scalar(Scalar {
                    text: value_text,
                    quote: None,
                    ty: ScalarType::String,
                }),
            },
        ));
    }
    let span = Span::new(0, text.len());
    ConfigFile {
        docs: vec![Node {
            span,
            kind: NodeKind::Map(entries),
        }],
        comments,
        error: None,
    }
}

fn eol(b: &[u8], mut at: usize) -> usize {
    while at < b.len() && !matches!(b[at], b'\n' | b'\r') {
        at += 1;
    }
    at
}

fn after_eol(b: &[u8], at: usize) -> usize {
    match (b.get(at), b.get(at + 1)) {
        (Some(b'\r'), Some(b'\n')) => at + 2,
        (Some(_), _) => at + 1,
        (None, _) => at,
    }
}

/// The characters of the logical line starting at `at`, each with its
/// file offset, continuation backslashes and the following line breaks and
/// leading blanks removed; and where the next line starts.
fn logical(text: &str, mut at: usize) -> (Vec<(char, usize)>, usize) {
    let b = text.as_bytes();
    let mut out = Vec::new();
    loop {
        let end = eol(b, at);
        let line = &text[at..end];
        let trailing = line.bytes().rev().take_while(|&c| c == b'\\').count();
        let continued = trailing % 2 == 1 && end < b.len();
        let body = if trailing % 2 == 1 {
            &line[..line.len() - 1]
        } else {
            line
        };
        out.extend(body.char_indices().map(|(k, c)| (c, at + k)));
        at = after_eol(b, end);
        if !continued {
            return (out, at);
        }
        while at < b.len() && matches!(b[at], b' ' | b'\t' | b'\x0c') {
            at += 1;
        }
    }
}

/// Index ranges of the key and the value in a logical line.
fn split(chars: &[(char, usize)]) -> ((usize, usize), (usize, usize)) {
    let mut i = 0;
    let mut key_end = chars.len();
    while i < chars.len() {
        let c = chars[i].0;
        if c == '\\' {
            i += 2;
            continue;
        }
        if c == '=' || c == ':' || c == ' ' || c == '\t' || c == '\x0c' {
            key_end = i;
            break;
        }
        i += 1;
    }
    let mut v = key_end.min(chars.len());
    while v < chars.len() && matches!(chars[v].0, ' ' | '\t' | '\x0c') {
        v += 1;
    }
    if v < chars.len() && matches!(chars[v].0, '=' | ':') {
        v += 1;
    }
    while v < chars.len() && matches!(chars[v].0, ' ' | '\t' | '\x0c') {
        v += 1;
    }
    ((0, key_end.min(chars.len())), (v, chars.len()))
}

fn span_of(chars: &[(char, usize)], from: usize, to: usize) -> Span {
    match (
        chars.get(from),
        to.checked_sub(1).and_then(|t| chars.get(t)),
    ) {
        (Some(a), Some(z)) if to > from => Span::new(a.1, z.1 + z.0.len_utf8()),
        (Some(a), _) => Span::new(a.1, a.1),
        _ => Span::default(),
    }
}

fn unescape(chars: &[(char, usize)]) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].0;
        if c != '\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let Some(&(n, _)) = chars.get(i + 1) else {
            i += 1;
            continue;
        };
        i += 2;
        match n {
            't' => out.push('\t'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            'f' => out.push('\x0c'),
            'u' => {
                let hex: String = chars[i..chars.len().min(i + 4)]
                    .iter()
                    .map(|c| c.0)
                    .collect();
                match (hex.len() == 4)
                    .then(|| u32::from_str_radix(&hex, 16).ok())
                    .flatten()
                    .and_then(char::from_u32)
                {
                    Some(ch) => {
                        out.push(ch);
                        i += 4;
                    }
                    None => out.push('u'),
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    #[test]
    fn keys_values_spans() {
        let text = "# Spring\r\nspring.ai.openai.api-key=${OPENAI_API_KEY}\r\nspring.ai.openai.organization-id : org-a\\\r\n    bc\r\n! bang\r\nempty=\r\nspaced\\ key name value here\r\nuni=caf\\u00e9\n";
        let s = Source::new(text.to_string());
        let f = parse(text);
        assert_eq!(f.comments.len(), 2);
        assert_eq!(s.slice(f.comments[0]), "# Spring");
        let e = f.docs[0].entries();
        assert_eq!(e.len(), 5);
        assert_eq!(e[0].0.text, "spring.ai.openai.api-key");
        assert_eq!(s.slice(e[0].1.span), "${OPENAI_API_KEY}");
        assert_eq!(e[1].0.text, "spring.ai.openai.organization-id");
        assert_eq!(e[1].1.scalar().map(|s| s.text.as_str()), Some("org-abc"));
        assert_eq!(s.position(e[1].1.span.start).line, 3);
        assert_eq!(s.position(e[1].1.span.start).column, 36);
        assert_eq!(e[2].0.text, "empty");
        assert!(e[2].1.span.is_empty());
        assert_eq!(e[2].1.span.start, text.find("empty=").unwrap_or(0) + 6);
        assert_eq!(e[3].0.text, "spaced key");
        assert_eq!(
            e[3].1.scalar().map(|s| s.text.as_str()),
            Some("name value here")
        );
        assert_eq!(e[4].1.scalar().map(|s| s.text.as_str()), Some("café"));
    }

    #[test]
    fn odd_input() {
        for t in [
            "\\",
            "a\\",
            "=",
            ":x",
            "a=\\u12",
            "a=b\\\\\nc=d",
            "\u{feff}x=1",
            "k=v\\",
        ] {
            let f = parse(t);
            assert_eq!(f.docs.len(), 1, "{t:?}");
        }
        let f = parse("a=b\\\\\nc=d");
        assert_eq!(f.docs[0].entries().len(), 2);
    }
}
