//! Test trees: a tiny block-YAML reader for the families' unit tests, so
//! that a test reads as the file it stands for and spans are computed, not
//! typed. It knows block maps and sequences, plain and quoted one-line
//! scalars, comments, `---` documents and CRLF; nothing else (no flow
//! collections, no multi-line scalars, no anchors). The real parsers are
//! tested on their own and end to end in `tests/config_facts.rs`.

use crate::extract::config_tree::{ConfigFile, Key, Node, NodeKind, Scalar, ScalarType};
use crate::source::Span;

#[derive(Debug, Clone)]
struct Line {
    indent: usize,
    /// File offset of the first content byte.
    start: usize,
    /// Content without the trailing comment and blanks.
    text: String,
    dash: bool,
}

/// Parse the block-YAML subset.
pub fn yaml(text: &str) -> ConfigFile {
    let mut docs = Vec::new();
    let mut comments = Vec::new();
    let mut lines: Vec<Line> = Vec::new();
    let flush = |lines: &mut Vec<Line>, docs: &mut Vec<Node>| {
        if !lines.is_empty() {
            let (node, _) = block(lines, 0);
            docs.push(node);
            lines.clear();
        }
    };
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let start = at;
        at += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim() == "---" {
            flush(&mut lines, &mut docs);
            continue;
        }
        let content = line.trim_start();
        let indent = line.len() - content.len();
        let (body, comment) = split_comment(content);
        if let Some(c) = comment {
            let cs = start + indent + c;
            comments.push(Span::new(cs, start + line.len()));
        }
        let body = body.trim_end();
        if body.is_empty() {
            continue;
        }
        // `- - x` / `- key: v`: a dash line, then the rest one level deeper.
        let mut indent = indent;
        let mut offset = start + indent;
        let mut body = body.to_string();
        while body == "-" || body.starts_with("- ") {
            lines.push(Line {
                indent,
                start: offset,
                text: "-".into(),
                dash: true,
            });
            let rest = body[1..].trim_start();
            let skipped = body.len() - rest.len();
            if rest.is_empty() {
                body.clear();
                break;
            }
            indent += skipped;
            offset += skipped;
            body = rest.to_string();
        }
        if !body.is_empty() {
            lines.push(Line {
                indent,
                start: offset,
                text: body,
                dash: false,
            });
        }
    }
    flush(&mut lines, &mut docs);
    ConfigFile {
        docs,
        comments,
        error: None,
    }
}

/// Where a ` #` comment starts outside quotes.
fn split_comment(s: &str) -> (&str, Option<usize>) {
    let mut quote = None;
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, b'#') if i == 0 || b[i - 1] == b' ' => return (&s[..i], Some(i)),
            _ => {}
        }
    }
    (s, None)
}

fn block(lines: &[Line], i: usize) -> (Node, usize) {
    let indent = lines[i].indent;
    if lines[i].dash {
        let mut items = Vec::new();
        let mut j = i;
        let start = lines[i].start;
        while j < lines.len() && lines[j].dash && lines[j].indent == indent {
            let dash_at = lines[j].start;
            j += 1;
            if j < lines.len() && lines[j].indent > indent {
                let (n, k) = block(lines, j);
                items.push(n);
                j = k;
            } else {
                items.push(null(dash_at + 1));
            }
        }
        let end = items.last().map_or(start, |n| n.span.end);
        return (
            Node {
                span: Span::new(start, end),
                kind: NodeKind::Seq(items),
            },
            j,
        );
    }
    if key_colon(&lines[i].text).is_none() {
        return (scalar(lines[i].start, &lines[i].text), i + 1);
    }
    let mut entries = Vec::new();
    let mut j = i;
    let start = lines[i].start;
    while j < lines.len() && !lines[j].dash && lines[j].indent == indent {
        let line = &lines[j];
        let Some(colon) = key_colon(&line.text) else {
            break;
        };
        let key = scalar(line.start, &line.text[..colon]);
        let key = Key {
            text: key.scalar().map(|s| s.text.clone()).unwrap_or_default(),
            span: key.span,
        };
        let rest = &line.text[colon + 1..];
        let rest_trim = rest.trim_start();
        j += 1;
        let value = if rest_trim.is_empty() {
            let nested = j < lines.len()
                && (lines[j].indent > indent || (lines[j].dash && lines[j].indent == indent));
            if nested {
                let (n, k) = block(lines, j);
                j = k;
                n
            } else {
                null(line.start + colon + 1)
            }
        } else {
            let off = line.start + colon + 1 + (rest.len() - rest_trim.len());
            scalar(off, rest_trim)
        };
        entries.push((key, value));
    }
    let end = entries.last().map_or(start, |(_, v)| v.span.end);
    (
        Node {
            span: Span::new(start, end),
            kind: NodeKind::Map(entries),
        },
        j,
    )
}

/// The `:` that ends a key (followed by a blank or the end), outside quotes.
fn key_colon(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut quote = None;
    for (i, &c) in b.iter().enumerate() {
        match (quote, c) {
            (None, b'"' | b'\'') if i == 0 => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, b':') if b.get(i + 1).is_none_or(|&n| n == b' ') => return Some(i),
            _ => {}
        }
    }
    None
}

fn null(at: usize) -> Node {
    Node {
        span: Span::new(at, at),
        kind: NodeKind::Scalar(Scalar {
            text: String::new(),
            quote: None,
            ty: ScalarType::Null,
        }),
    }
}

fn scalar(at: usize, s: &str) -> Node {
    let t = s.trim();
    let at = at + (s.len() - s.trim_start().len());
    if let Some(q) = t.chars().next().filter(|c| *c == '"' || *c == '\'')
        && t.len() >= 2
        && t.ends_with(q)
    {
        let inner = &t[1..t.len() - 1];
        let text = if q == '"' {
            inner
                .replace("\\\"", "\"")
                .replace("\\n", "\n")
                .replace("\\\\", "\\")
        } else {
            inner.replace("''", "'")
        };
        return Node {
            span: Span::new(at + 1, at + t.len() - 1),
            kind: NodeKind::Scalar(Scalar {
                text,
                quote: Some(q),
                ty: ScalarType::String,
            }),
        };
    }
    let ty = match t {
        "null" | "~" | "" => ScalarType::Null,
        "true" | "false" => ScalarType::Bool,
        _ if t.parse::<f64>().is_ok() => ScalarType::Number,
        _ => ScalarType::String,
    };
    Node {
        span: Span::new(at, at + t.len()),
        kind: NodeKind::Scalar(Scalar {
            text: t.to_string(),
            quote: None,
            ty,
        }),
    }
}

#[test]
fn the_test_reader_reads_what_the_tests_need() {
    let text = "a: 1\r\nb:\r\n  - x\r\n  - k: \"v\" # c\r\n    j: ''\r\nc:\r\n---\r\nd: e\r\n";
    let f = yaml(text);
    assert_eq!(f.docs.len(), 2);
    let a = &f.docs[0];
    let b = a.get("b").expect("b");
    assert_eq!(b.items().len(), 2);
    let k = b.items()[1].get("k").expect("k");
    assert_eq!(&text[k.span.start..k.span.end], "v");
    let j = b.items()[1].get("j").expect("j");
    assert!(j.span.is_empty());
    assert_eq!(
        a.get("c").and_then(|c| c.scalar()).map(|s| s.ty),
        Some(ScalarType::Null)
    );
    assert_eq!(f.comments.len(), 1);
    assert_eq!(&text[f.comments[0].start..f.comments[0].end], "# c");
    assert!(f.docs[1].get("d").is_some());
}
