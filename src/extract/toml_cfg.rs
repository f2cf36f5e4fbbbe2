//! TOML into the spanned config tree ([`ConfigFile`]).
//!
//! Parsing is the `toml` crate's own span-keeping document parser
//! (`toml::de::DeTable`, TOML 1.1), the one `toml::from_str` runs, so the
//! tree holds what a Rust or Python TOML loader would read. Comments come
//! from `toml_parser`'s lexer, the tokenizer underneath it.
//!
//! The file is one document: a map. Tables (`[a.b]`), dotted keys
//! (`a.b.c = 1`) and inline tables all become nested maps; arrays of
//! tables (`[[servers]]`) a sequence of maps. Entries are in document
//! order (of each key's first appearance; TOML has no duplicate keys).
//!
//! Spans: a key's and a string's span is inside the quotes (for a
//! multi-line string, after the newline that directly follows the opening
//! delimiter, which TOML drops); numbers, booleans and date-times are their
//! token, and their text is the token as written (`1_000`, `0x1F`,
//! `1979-05-27`; a date-time is typed a string). An inline table's or
//! array's span runs bracket to bracket; a `[table]`'s is its header, a
//! `[[table]]` element's its `[[header]]`, and a table made by a dotted
//! key its key. The root map spans the whole file.
//!
//! On a syntax error the parser recovers and the tree keeps what it could
//! read; `error` is the first error.

use ::toml::Spanned;
use ::toml::de::{DeTable, DeValue};

use crate::extract::config_tree::{ConfigFile, Key, Node, NodeKind, Scalar, ScalarType};
use crate::fact::ParseError;
use crate::source::Span;

/// Parse a TOML document.
pub fn parse(text: &str) -> ConfigFile {
    let (root, errors) = DeTable::parse_recoverable(text);
    let error = errors.first().map(|e| {
        let span = e.span().unwrap_or(0..0);
        let start = span.start.min(text.len());
        ParseError {
            span: clamp(text, start, span.end.max(start)),
            message: e.message().to_string(),
        }
    });
    let mut too_deep = false;
    let mut root = table(text, root.get_ref(), 0, &mut too_deep);
    root.span = Span::new(0, text.len());
    let error = error.or_else(|| {
        too_deep.then(|| ParseError {
            span: Span::new(0, 0),
            message: format!("nesting deeper than {MAX_DEPTH} levels"),
        })
    });
    ConfigFile {
        docs: vec![root],
        comments: comments(text),
        error,
    }
}

/// How deep the tree may nest. The `toml` parser already stops at 80
/// levels; this guards the recursion here should that limit ever go.
const MAX_DEPTH: usize = 512;

/// A table as a map node, its entries in document order. Past
/// [`MAX_DEPTH`] the table is left empty and `too_deep` set.
fn table(text: &str, t: &DeTable<'_>, depth: usize, too_deep: &mut bool) -> Node {
    if depth > MAX_DEPTH {
        *too_deep = true;
        return Node {
            span: Span::default(),
            kind: NodeKind::Map(Vec::new()),
        };
    }
    let mut entries: Vec<(&Spanned<std::borrow::Cow<'_, str>>, &Spanned<DeValue<'_>>)> =
        t.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    let entries = entries
        .into_iter()
        .map(|(k, v)| {
            let key = Key {
                text: k.get_ref().to_string(),
                span: inside_quotes(text, clamp(text, k.span().start, k.span().end)).0,
            };
            (key, value(text, v, depth + 1, too_deep))
        })
        .collect();
    Node {
        span: Span::default(),
        kind: NodeKind::Map(entries),
    }
}

fn value(text: &str, v: &Spanned<DeValue<'_>>, depth: usize, too_deep: &mut bool) -> Node {
    let range = v.span();
    let raw = clamp(text, range.start, range.end);
    let scalar = |span: Span, text: String, quote: Option<char>, ty: ScalarType| Node {
        span,
        kind: NodeKind::Scalar(Scalar { text, quote, ty }),
    };
    let as_written = || text.get(raw.start..raw.end).unwrap_or("").to_string();
    match v.get_ref() {
        DeValue::String(s) => {
            let (span, quote) = inside_quotes(text, raw);
            scalar(span, s.to_string(), quote, ScalarType::String)
        }
        DeValue::Integer(_) | DeValue::Float(_) => {
            scalar(raw, as_written(), None, ScalarType::Number)
        }
        DeValue::Boolean(_) => scalar(raw, as_written(), None, ScalarType::Bool),
        DeValue::Datetime(_) => scalar(raw, as_written(), None, ScalarType::String),
        DeValue::Array(_) if depth > MAX_DEPTH => {
            *too_deep = true;
            Node {
                span: raw,
                kind: NodeKind::Seq(Vec::new()),
            }
        }
        DeValue::Array(items) => Node {
            span: raw,
            kind: NodeKind::Seq(
                items
                    .iter()
                    .map(|i| value(text, i, depth + 1, too_deep))
                    .collect(),
            ),
        },
        DeValue::Table(t) => {
            let mut node = table(text, t, depth, too_deep);
            node.span = raw;
            node
        }
    }
}

/// The span inside a string's or key's quotes, and the quote character
/// (`None` for a bare key).
fn inside_quotes(text: &str, raw: Span) -> (Span, Option<char>) {
    let s = text.get(raw.start..raw.end).unwrap_or("");
    for (delim, quote) in [("\"\"\"", '"'), ("'''", '\''), ("\"", '"'), ("'", '\'')] {
        if s.len() >= 2 * delim.len() && s.starts_with(delim) && s.ends_with(delim) {
            let mut start = raw.start + delim.len();
            let end = raw.end - delim.len();
            if delim.len() == 3 {
                // TOML drops a newline right after the opening delimiter.
                let body = &text[start..end];
                if body.starts_with("\r\n") {
                    start += 2;
                } else if body.starts_with('\n') {
                    start += 1;
                }
            }
            return (Span::new(start, end), Some(quote));
        }
    }
    (raw, None)
}

/// A span clamped into `text` and onto character boundaries.
fn clamp(text: &str, start: usize, end: usize) -> Span {
    let fix = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = fix(start);
    Span::new(start, fix(end).max(start))
}

/// Every `#` comment, from the lexer (which knows where strings are), up to
/// the end of its line.
fn comments(text: &str) -> Vec<Span> {
    toml_parser::Source::new(text)
        .lex()
        .filter(|t| t.kind() == toml_parser::lexer::TokenKind::Comment)
        .map(|t| {
            let span = clamp(text, t.span().start(), t.span().end());
            let end = if text[..span.end].ends_with('\r') {
                span.end - 1
            } else {
                span.end
            };
            Span::new(span.start, end.max(span.start))
        })
        .collect()
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

    fn at(src: &Source, span: Span) -> (Position, Position) {
        (src.position(span.start), src.position(span.end))
    }

    fn text(node: &Node) -> &str {
        node.scalar().map_or("<not a scalar>", |s| s.text.as_str())
    }

    fn path<'a>(mut node: &'a Node, steps: &[&str]) -> &'a Node {
        for step in steps {
            node = match step.parse::<usize>() {
                Ok(i) => &node.items()[i],
                Err(_) => node.get(step).unwrap_or_else(|| panic!("no {step}")),
            };
        }
        node
    }

    fn keys(node: &Node) -> Vec<&str> {
        node.entries()
            .iter()
            .map(|(k, _)| k.text.as_str())
            .collect()
    }

    const CODEX: &str = r#"# ~/.codex/config.toml
model = "o3"
model_provider = "azure"   # trailing comment

[model_providers.azure]
name = "Azure"
base_url = "https://YOUR_PROJECT.openai.azure.com/openai#frag"
env_key = 'AZURE_OPENAI_API_KEY'
query_params = { api-version = "2025-04-01-preview" }

[mcp_servers.github]
command = "npx"
args = ["-y", "@modelcontextprotocol/server-github"]
env = { "GITHUB_PERSONAL_ACCESS_TOKEN" = "${GITHUB_TOKEN}" }

[[profiles]]
name = "fast"
max_tokens = 1_000
temperature = 0.2
stream = true
since = 1979-05-27

[[profiles]]
name = "slow"
"#;

    #[test]
    fn codex_config_spans_and_shape() {
        let (src, file) = parse_src(CODEX);
        assert!(file.error.is_none(), "{:?}", file.error);
        assert_eq!(file.docs.len(), 1);
        let root = &file.docs[0];
        assert_eq!(root.span, Span::new(0, CODEX.len()));
        assert_eq!(
            keys(root),
            [
                "model",
                "model_provider",
                "model_providers",
                "mcp_servers",
                "profiles"
            ]
        );
        let model = root.get("model").unwrap();
        assert_eq!(at(&src, model.span), (pos(2, 10), pos(2, 12)));
        assert_eq!(model.scalar().unwrap().quote, Some('"'));
        let azure = path(root, &["model_providers", "azure"]);
        assert_eq!(src.slice(azure.span), "[model_providers.azure]");
        assert_eq!(keys(azure), ["name", "base_url", "env_key", "query_params"]);
        let (k, v) = &azure.entries()[2];
        assert_eq!(at(&src, k.span), (pos(8, 1), pos(8, 8)));
        assert_eq!(
            (text(v), v.scalar().unwrap().quote),
            ("AZURE_OPENAI_API_KEY", Some('\''))
        );
        assert_eq!(at(&src, v.span), (pos(8, 12), pos(8, 32)));
        let inline = azure.get("query_params").unwrap();
        assert_eq!(
            src.slice(inline.span),
            "{ api-version = \"2025-04-01-preview\" }"
        );
        let (k, v) = &inline.entries()[0];
        assert_eq!(
            (src.slice(k.span), src.slice(v.span)),
            ("api-version", "2025-04-01-preview")
        );
        let env = path(root, &["mcp_servers", "github", "env"]);
        let (k, v) = &env.entries()[0];
        assert_eq!(k.text, "GITHUB_PERSONAL_ACCESS_TOKEN");
        assert_eq!(at(&src, k.span), (pos(14, 10), pos(14, 38)));
        assert_eq!(src.slice(v.span), "${GITHUB_TOKEN}");
        let args = path(root, &["mcp_servers", "github", "args"]);
        assert_eq!(
            src.slice(args.span),
            "[\"-y\", \"@modelcontextprotocol/server-github\"]"
        );
        assert_eq!(
            text(&args.items()[1]),
            "@modelcontextprotocol/server-github"
        );
        // Arrays of tables: a sequence of maps.
        let profiles = root.get("profiles").unwrap();
        assert_eq!(profiles.items().len(), 2);
        let fast = &profiles.items()[0];
        assert_eq!(src.slice(fast.span), "[[profiles]]");
        assert_eq!(text(fast.get("name").unwrap()), "fast");
        assert_eq!(text(profiles.items()[1].get("name").unwrap()), "slow");
        let n = fast.get("max_tokens").unwrap();
        assert_eq!(
            (text(n), n.scalar().unwrap().ty),
            ("1_000", ScalarType::Number)
        );
        assert_eq!(
            fast.get("temperature").unwrap().scalar().unwrap().ty,
            ScalarType::Number
        );
        assert_eq!(
            fast.get("stream").unwrap().scalar().unwrap().ty,
            ScalarType::Bool
        );
        let since = fast.get("since").unwrap();
        assert_eq!(
            (text(since), since.scalar().unwrap().ty),
            ("1979-05-27", ScalarType::String)
        );
        assert_eq!(since.scalar().unwrap().quote, None);
        // Comments: not the `#` inside the URL.
        let comments: Vec<&str> = file.comments.iter().map(|c| src.slice(*c)).collect();
        assert_eq!(comments, ["# ~/.codex/config.toml", "# trailing comment"]);
    }

    #[test]
    fn dotted_keys_nest_and_quoted_keys() {
        let t = "a.b.c = 1\n\"quoted.key\" = 2\nsite.\"google.com\" = true\n[x]\ny.z = 'w'\n";
        let (src, file) = parse_src(t);
        assert!(file.error.is_none(), "{:?}", file.error);
        let root = &file.docs[0];
        assert_eq!(keys(root), ["a", "quoted.key", "site", "x"]);
        let c = path(root, &["a", "b", "c"]);
        assert_eq!(at(&src, c.span), (pos(1, 9), pos(1, 10)));
        let (b_key, b) = &root.get("a").unwrap().entries()[0];
        assert_eq!(at(&src, b_key.span), (pos(1, 3), pos(1, 4)));
        // A table made by a dotted key spans that key.
        assert_eq!(src.slice(b.span), "b");
        let (qk, _) = &root.entries()[1];
        assert_eq!(src.slice(qk.span), "quoted.key");
        assert_eq!(src.position(qk.span.start), pos(2, 2));
        let (gk, _) = &root.get("site").unwrap().entries()[0];
        assert_eq!(
            (gk.text.as_str(), src.slice(gk.span)),
            ("google.com", "google.com")
        );
        assert_eq!(text(path(root, &["x", "y", "z"])), "w");
    }

    #[test]
    fn strings_escapes_multiline_crlf_and_non_ascii() {
        let t = "k = \"a\\tb\\u00e9\"\r\nml = \"\"\"\r\nline1\r\nline2\"\"\"\r\nlit = '''\nC:\\path'''\r\n\"näme\" = \"日本語\" # コメント\r\n\"ключ\" = 'значение'\r\n";
        let (src, file) = parse_src(t);
        assert!(file.error.is_none(), "{:?}", file.error);
        let root = &file.docs[0];
        let k = root.get("k").unwrap();
        assert_eq!((text(k), src.slice(k.span)), ("a\tbé", "a\\tb\\u00e9"));
        let ml = root.get("ml").unwrap();
        // `toml` keeps a CRLF inside a multi-line string as written.
        assert_eq!(text(ml), "line1\r\nline2");
        assert_eq!(at(&src, ml.span), (pos(3, 1), pos(4, 6)));
        let lit = root.get("lit").unwrap();
        assert_eq!((text(lit), src.slice(lit.span)), ("C:\\path", "C:\\path"));
        assert_eq!(lit.scalar().unwrap().quote, Some('\''));
        let name = root.get("näme").unwrap();
        assert_eq!(at(&src, name.span), (pos(7, 11), pos(7, 14)));
        let (k, v) = &root.entries()[4];
        assert_eq!(at(&src, k.span), (pos(8, 2), pos(8, 6)));
        assert_eq!(at(&src, v.span), (pos(8, 11), pos(8, 19)));
        let comments: Vec<&str> = file.comments.iter().map(|c| src.slice(*c)).collect();
        assert_eq!(comments, ["# コメント"]);
    }

    #[test]
    fn syntax_errors_at_the_right_place() {
        let cases: &[(&str, (usize, usize))] = &[
            ("a = 1\nb = \n", (2, 5)),
            ("a = 1\na = 2\n", (2, 1)),
            ("[table\nx = 1\n", (1, 7)),
            ("s = \"open\nt = 1\n", (1, 10)),
            ("k = [1, 2\n", (1, 10)),
            ("key value\n", (1, 5)),
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
        // What parsed is kept.
        let (_, file) = parse_src("model = \"o3\"\n[bad\nx = 1\n");
        assert!(file.error.is_some());
        assert_eq!(text(file.docs[0].get("model").unwrap()), "o3");
        // An empty file is an empty table.
        let (_, file) = parse_src("");
        assert!(file.error.is_none());
        assert_eq!(file.docs[0].entries().len(), 0);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        for deep in [
            format!("a = {}", "[".repeat(10_000)),
            format!("a = {}1{}", "[".repeat(10_000), "]".repeat(10_000)),
            format!("a = {}", "{b = ".repeat(10_000)),
            format!("{} = 1", vec!["k"; 10_000].join(".")),
            format!("[{}]", vec!["k"; 10_000].join(".")),
        ] {
            let file = parse(&deep);
            assert_spans_valid(&file, &deep);
            assert!(file.error.is_some(), "{}", &deep[..20]);
        }
    }

    #[test]
    fn mutated_inputs_never_panic() {
        let seeds = [
            CODEX,
            "a.b = \"\"\"x\ny\"\"\"\nc = [1, {d = 'e'}]\n[[t]]\nf = 1e3\n",
        ];
        for t in &mutations(&seeds, 3000) {
            let file = parse(t);
            assert_spans_valid(&file, t);
        }
    }

    #[test]
    fn snapshot() {
        let (src, file) = parse_src(CODEX);
        insta::assert_snapshot!(render(&file, &src));
    }
}
