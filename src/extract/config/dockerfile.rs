//! Dockerfiles: `ENV` and `ARG` lines.
//!
//! A small line parser in the Dockerfile reference's terms: a parser
//! directive at the top may change the escape character (`# escape=``),
//! an escape at the end of a line continues the instruction (comment and
//! empty lines inside a continuation are dropped), `#` starts a comment only
//! at the start of a line, heredocs (`RUN <<EOF`) are skipped.
//!
//! `ENV A=b C="d e"` and the legacy `ENV A b c` define variables of the
//! image: definitions, and settings when they name a credential variable.
//! Values are read as BuildKit's word processing reads them: quotes
//! removed, escapes resolved, `$VAR` / `${VAR…}` references kept (a value
//! that is one reference is a reference). A bare `ENV NAME=`, with nothing
//! after the `=`, declares a variable that the deployment supplies (`docker
//! run -e`, compose, Kubernetes), as a template's empty line does: a
//! definition, not a setting, so the empty-value rules leave it alone. An
//! explicit `ENV NAME=""` sets the empty string and stays a setting.
//! `ARG NAME[=default]` defines a
//! build variable (from `--build-arg` when it has no default): a
//! definition only, since no SDK reads a build argument. Each `FROM` starts
//! a build stage, which is a scope.

use super::{ConfigFacts, Match, RefStyle};
use crate::fact::{DefSource, FileFacts, ScopeKind, Value, ValueKind};
use crate::provider::Providers;
use crate::source::Span;

/// What the Dockerfile reader found: facts and comment spans.
#[derive(Debug, Default)]
pub struct Dockerfile {
    pub facts: FileFacts,
    pub comments: Vec<Span>,
}

/// A logical line: its text with continuations removed, and for each byte
/// of it the offset in the file.
struct Logical {
    text: String,
    at: Vec<usize>,
    /// The offset just past the logical line's last byte in the file.
    end: usize,
}

impl Logical {
    fn push(&mut self, c: char, at: usize) {
        let mut buf = [0u8; 4];
        for (i, _) in c.encode_utf8(&mut buf).bytes().enumerate() {
            self.at.push(at + i);
        }
        self.text.push(c);
    }

    /// The file span of `text[from..to]`.
    fn span(&self, from: usize, to: usize) -> Span {
        let start = self.at.get(from).copied().unwrap_or(self.end);
        let end = if to == 0 {
            start
        } else {
            self.at.get(to - 1).map_or(self.end, |&a| a + 1)
        };
        Span::new(start, end.max(start))
    }
}

/// Read a Dockerfile.
pub fn extract(text: &str, providers: &Providers) -> Dockerfile {
    let mut out = ConfigFacts::new(text, providers);
    let mut comments = Vec::new();
    let lines = physical_lines(text);
    let mut escape = '\\';
    let mut directives = true;
    let mut stage = 0u32;
    let mut i = 0;
    while i < lines.len() {
        let (start, end) = lines[i];
        let line = &text[start..end];
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() {
            directives = false;
            i += 1;
            continue;
        }
        if trimmed.starts_with('#') {
            if directives && let Some(e) = escape_directive(trimmed) {
                escape = e;
            } else if directives && !is_directive(trimmed) {
                directives = false;
            }
            comments.push(Span::new(start + indent, end));
            i += 1;
            continue;
        }
        directives = false;
        let (logical, next) = join(text, &lines, i, escape, &mut comments);
        i = next;
        let (keyword, rest_at) = split_keyword(&logical.text);
        match keyword.to_ascii_uppercase().as_str() {
            "FROM" => {
                let words: Vec<&str> = logical.text[rest_at..].split_whitespace().collect();
                let name = match words.iter().position(|w| w.eq_ignore_ascii_case("as")) {
                    Some(k) => words.get(k + 1).copied(),
                    None => words.iter().find(|w| !w.starts_with("--")).copied(),
                }
                .unwrap_or("")
                .to_string();
                stage = out.scope(
                    ScopeKind::Section,
                    name,
                    logical.span(0, logical.text.len()),
                    None,
                    Vec::new(),
                );
            }
            "ENV" => env(&mut out, &logical, rest_at, escape, stage),
            "ARG" => arg(&mut out, &logical, rest_at, escape, stage),
            "RUN" | "COPY" | "ADD" => {
                if let Some(marker) = heredoc_marker(&logical.text[rest_at..]) {
                    i = skip_heredoc(text, &lines, i, &marker);
                }
            }
            _ => {}
        }
    }
    Dockerfile {
        facts: out.facts,
        comments,
    }
}

/// `(start, end)` of each line without its line ending.
fn physical_lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && text.as_bytes()[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            out.push((start, end));
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

fn escape_directive(comment: &str) -> Option<char> {
    let body = comment.trim_start_matches('#').trim();
    let (k, v) = body.split_once('=')?;
    if !k.trim().eq_ignore_ascii_case("escape") {
        return None;
    }
    match v.trim() {
        "`" => Some('`'),
        "\\" => Some('\\'),
        _ => None,
    }
}

fn is_directive(comment: &str) -> bool {
    let body = comment.trim_start_matches('#').trim();
    body.split_once('=').is_some_and(|(k, _)| {
        let k = k.trim();
        !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// Join line `i` and its continuations into one logical line; return it and
/// the index of the next line.
fn join(
    text: &str,
    lines: &[(usize, usize)],
    mut i: usize,
    escape: char,
    comments: &mut Vec<Span>,
) -> (Logical, usize) {
    let mut logical = Logical {
        text: String::new(),
        at: Vec::new(),
        end: 0,
    };
    let mut first = true;
    while i < lines.len() {
        let (start, end) = lines[i];
        let line = &text[start..end];
        i += 1;
        if !first {
            let t = line.trim_start();
            if t.is_empty() {
                continue;
            }
            if t.starts_with('#') {
                comments.push(Span::new(end - t.len(), end));
                continue;
            }
        }
        first = false;
        let content = line.trim_end();
        let continued = content.ends_with(escape);
        let body = if continued {
            &content[..content.len() - escape.len_utf8()]
        } else {
            content
        };
        for (k, c) in body.char_indices() {
            logical.push(c, start + k);
        }
        logical.end = start + body.len();
        if !continued {
            break;
        }
    }
    (logical, i)
}

/// The instruction keyword and the offset of its arguments.
fn split_keyword(line: &str) -> (&str, usize) {
    let start = line.len() - line.trim_start().len();
    let rest = &line[start..];
    let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let args = start + len;
    let args = args + (line[args..].len() - line[args..].trim_start().len());
    (&rest[..len], args)
}

/// One word of an instruction's arguments: its raw byte range and, for
/// `NAME=value`, where the value starts.
struct Word {
    from: usize,
    to: usize,
    eq: Option<usize>,
}

/// Split arguments into words at unquoted blanks.
fn words(s: &str, from: usize, escape: char) -> Vec<Word> {
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    let mut start: Option<usize> = None;
    let mut eq = None;
    let mut chars = s[from..]
        .char_indices()
        .map(|(k, c)| (from + k, c))
        .peekable();
    while let Some((k, c)) = chars.next() {
        if quote.is_none() && c.is_whitespace() {
            if let Some(st) = start.take() {
                out.push(Word {
                    from: st,
                    to: k,
                    eq: eq.take(),
                });
            }
            continue;
        }
        if start.is_none() {
            start = Some(k);
        }
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None | Some('"'), _) if c == escape => {
                chars.next();
            }
            (None, '=') if eq.is_none() => eq = Some(k),
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push(Word {
            from: st,
            to: s.len(),
            eq,
        });
    }
    out
}

/// A value as BuildKit's word processing reads it.
fn value(logical: &Logical, from: usize, to: usize, escape: char, eq: usize) -> Value {
    let raw = &logical.text[from..to];
    let mut text = String::new();
    let mut refs = 0usize;
    let mut name = None;
    let mut literal = false;
    let mut quote: Option<char> = None;
    let mut chars = raw.char_indices().peekable();
    while let Some((k, c)) = chars.next() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (Some('\''), _) => {
                text.push(c);
                literal = true;
            }
            (_, _) if c == escape => {
                if let Some((_, n)) = chars.next() {
                    text.push(n);
                    literal = true;
                }
            }
            (_, '$') => {
                let rest = &raw[k + 1..];
                let len = if rest.starts_with('{') {
                    rest.find('}').map(|e| e + 1)
                } else {
                    let n = rest
                        .bytes()
                        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                        .count();
                    (n > 0).then_some(n)
                };
                match len {
                    Some(len) => {
                        let written = &raw[k..k + 1 + len];
                        text.push_str(written);
                        refs += 1;
                        let inner = written.trim_start_matches("${").trim_start_matches('$');
                        let n = inner
                            .bytes()
                            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                            .count();
                        if refs == 1 {
                            name = Some(inner[..n].to_string());
                        }
                        for _ in 0..written.chars().count() - 1 {
                            chars.next();
                        }
                    }
                    None => {
                        text.push('$');
                        literal = true;
                    }
                }
            }
            _ => {
                text.push(c);
                literal = true;
            }
        }
    }
    let kind = if refs == 1 && !literal {
        ValueKind::Reference
    } else if refs == 0 && text.is_empty() {
        ValueKind::Empty
    } else {
        ValueKind::Literal
    };
    let enclosed = raw.len() >= 2
        && matches!(raw.as_bytes()[0], b'"' | b'\'')
        && raw.as_bytes()[raw.len() - 1] == raw.as_bytes()[0];
    let span = match (kind, enclosed) {
        (ValueKind::Empty, false) => logical.span(eq + 1, eq + 1),
        (_, true) => logical.span(from + 1, to - 1),
        _ => logical.span(from, to),
    };
    Value {
        kind,
        reference: if kind == ValueKind::Reference {
            name
        } else {
            None
        },
        text,
        span,
        quote: if enclosed { raw.chars().next() } else { None },
    }
}

fn env(out: &mut ConfigFacts<'_>, logical: &Logical, from: usize, escape: char, scope: u32) {
    let ws = words(&logical.text, from, escape);
    let Some(first) = ws.first() else {
        return;
    };
    let pairs: Vec<(Span, String, Value)> = if first.eq.is_none() {
        // Legacy `ENV NAME value…`: the rest of the line is the value.
        let name = logical.text[first.from..first.to].to_string();
        let vfrom = ws.get(1).map_or(logical.text.len(), |w| w.from);
        let v = value(logical, vfrom, logical.text.len(), escape, first.to);
        vec![(logical.span(first.from, first.to), name, v)]
    } else {
        ws.iter()
            .filter_map(|w| {
                let eq = w.eq?;
                let name = logical.text[w.from..eq].to_string();
                let v = value(logical, eq + 1, w.to, escape, eq);
                Some((logical.span(w.from, eq), name, v))
            })
            .collect()
    };
    let entry = logical.span(0, logical.text.len());
    for (name_span, name, v) in pairs {
        out.definition(
            name.clone(),
            name_span,
            v.clone(),
            entry,
            scope,
            DefSource::Dockerfile,
        );
        let declaration = v.kind == ValueKind::Empty && v.quote.is_none();
        if declaration {
            continue;
        }
        if let Some((pid, var)) = out.providers.variable(&name) {
            let m = Match {
                provider: pid,
                slot: var.slot,
                id_shaped_only: false,
            };
            out.setting(m, name, name_span, v, entry, scope, RefStyle::DockerRun);
        }
    }
}

fn arg(out: &mut ConfigFacts<'_>, logical: &Logical, from: usize, escape: char, scope: u32) {
    let entry = logical.span(0, logical.text.len());
    for w in words(&logical.text, from, escape) {
        let (name_to, v) = match w.eq {
            Some(eq) => (eq, value(logical, eq + 1, w.to, escape, eq)),
            None => {
                let name = &logical.text[w.from..w.to];
                (
                    w.to,
                    Value {
                        kind: ValueKind::Reference,
                        text: format!("--build-arg {name}"),
                        reference: None,
                        span: logical.span(w.to, w.to),
                        quote: None,
                    },
                )
            }
        };
        let name = logical.text[w.from..name_to].to_string();
        out.definition(
            name,
            logical.span(w.from, name_to),
            v,
            entry,
            scope,
            DefSource::Dockerfile,
        );
    }
}

/// The delimiter of the first heredoc in arguments (`<<EOF`, `<<-"EOF"`).
fn heredoc_marker(args: &str) -> Option<String> {
    let at = args.find("<<")?;
    let rest = args[at + 2..].trim_start_matches('-');
    let word: String = rest
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some(word)
}

/// The index of the line after the heredoc that starts after line `i - 1`.
fn skip_heredoc(text: &str, lines: &[(usize, usize)], mut i: usize, marker: &str) -> usize {
    while i < lines.len() {
        let (s, e) = lines[i];
        i += 1;
        if text[s..e].trim() == marker {
            break;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    fn facts(text: &str) -> (Source, Dockerfile) {
        let d = extract(text, Providers::builtin());
        (Source::new(text.to_string()), d)
    }

    #[test]
    fn env_forms_and_spans() {
        let text = "FROM python:3.12 AS app\r\nENV OPENAI_API_KEY=\"\" OPENAI_ORG_ID=org-abc \\\r\n    DEBUG=1\r\nENV OPENAI_PROJECT_ID proj_one two\r\n";
        let (s, d) = facts(text);
        let f = &d.facts;
        assert_eq!(f.scopes.len(), 1);
        assert_eq!(f.scopes[0].name, "app");
        let names: Vec<&str> = f.definitions.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "OPENAI_API_KEY",
                "OPENAI_ORG_ID",
                "DEBUG",
                "OPENAI_PROJECT_ID"
            ]
        );
        let key = &f.settings[0];
        assert_eq!(key.value.kind, ValueKind::Empty);
        assert_eq!(s.position(key.value.span.start).line, 2);
        assert_eq!(s.position(key.value.span.start).column, 21);
        let debug = &f.definitions[2];
        assert_eq!(s.slice(debug.value.span), "1");
        assert_eq!(s.position(debug.name_span.start).line, 3);
        let proj = &f.settings[2];
        assert_eq!(proj.value.text, "proj_one two");
        assert_eq!(s.slice(proj.value.span), "proj_one two");
        assert_eq!(key.scope, 1);
        assert!(
            key.env_ref
                .as_ref()
                .map(ToString::to_string)
                .as_deref()
                .is_some_and(|r| r.contains("docker run -e"))
        );
    }

    #[test]
    fn references_quotes_escapes() {
        let text = "ARG OPENAI_API_KEY\nENV OPENAI_API_KEY=$OPENAI_API_KEY\nENV A='x y' B=\"a\\\"b\" C=${HOST}/v1 D=\\$E\n";
        let (s, d) = facts(text);
        let f = &d.facts;
        let arg = &f.definitions[0];
        assert_eq!(arg.value.kind, ValueKind::Reference);
        assert_eq!(arg.scope, 0);
        assert!(f.settings.len() == 1);
        assert_eq!(f.settings[0].value.kind, ValueKind::Reference);
        assert_eq!(
            f.settings[0].value.reference.as_deref(),
            Some("OPENAI_API_KEY")
        );
        let by = |n: &str| f.definitions.iter().find(|d| d.name == n).expect(n);
        assert_eq!(by("A").value.text, "x y");
        assert_eq!(s.slice(by("A").value.span), "x y");
        assert_eq!(by("B").value.text, "a\"b");
        assert_eq!(by("C").value.kind, ValueKind::Literal);
        assert_eq!(by("D").value.text, "$E");
        assert_eq!(by("D").value.kind, ValueKind::Literal);
    }

    #[test]
    fn comments_directives_heredocs_backtick_escape() {
        let text = "# escape=`\nFROM x\n# a comment with ENV OPENAI_API_KEY=no\nRUN <<EOF\nENV OPENAI_API_KEY=not-an-instruction\nEOF\nENV OPENAI_ORG_ID=org-a `\n  # dropped\n  OPENAI_PROJECT_ID=proj_b\n";
        let (s, d) = facts(text);
        let names: Vec<&str> = d.facts.settings.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["OPENAI_ORG_ID", "OPENAI_PROJECT_ID"]);
        assert_eq!(d.comments.len(), 3);
        assert_eq!(
            s.slice(d.comments[1]),
            "# a comment with ENV OPENAI_API_KEY=no"
        );
        assert_eq!(s.slice(d.facts.settings[1].value.span), "proj_b");
    }

    #[test]
    fn a_bare_empty_env_is_a_declaration_not_a_setting() {
        let text = "FROM node:22\nENV OPENAI_API_KEY=\nENV OPENAI_ORGANIZATION= AZURE_OPENAI_API_KEY=\"\"\n";
        let (_, d) = facts(text);
        let f = &d.facts;
        let names: Vec<&str> = f.definitions.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "OPENAI_API_KEY",
                "OPENAI_ORGANIZATION",
                "AZURE_OPENAI_API_KEY"
            ]
        );
        let settings: Vec<&str> = f.settings.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(settings, ["AZURE_OPENAI_API_KEY"]);
        assert_eq!(f.settings[0].value.kind, ValueKind::Empty);
    }

    #[test]
    fn bad_input_never_panics() {
        for text in [
            "ENV",
            "ENV =",
            "ENV A=\"unterminated",
            "ARG",
            "ENV A=${",
            "\\",
            "FROM",
            "ENV é=ü ö",
            "ENV A \\",
        ] {
            let _ = facts(text);
        }
    }
}
