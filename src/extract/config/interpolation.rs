//! Reference syntaxes of config formats, and the classification of a value
//! as a literal, a reference or empty.
//!
//! Each family reads references the way its loader does: docker compose
//! interpolates `${VAR}`, `${VAR:-default}`, `$VAR` and escapes `$$`; Spring
//! resolves `${NAME:default}`; GitHub Actions and Continue evaluate
//! `${{ … }}`; LiteLLM reads `os.environ/NAME`; Kubernetes expands `$(VAR)`
//! from the container's own env. A value that is exactly one reference is a
//! [`ValueKind::Reference`]; text around a reference makes it a literal (the
//! reference stays in the text as written, as in env files).
//!
//! Offsets: a value's decoded text equals its source text when it has no
//! escapes and is not folded; only then do references get their own spans.
//! Otherwise every span is the whole value's.

use crate::extract::config_tree::{Node, NodeKind, ScalarType};
use crate::fact::{Value, ValueKind};
use crate::source::Span;

/// How a family's loader reads references in a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interpolation {
    /// docker compose interpolation.
    Compose,
    /// Spring property placeholders.
    Spring,
    /// GitHub Actions (and Continue) expressions `${{ … }}`.
    Expression,
    /// LiteLLM `os.environ/NAME`.
    LiteLlm,
    /// LibreChat: `${VAR}`, and the `user_provided` sentinel.
    LibreChat,
    /// A Kubernetes env value: `$(VAR)` names an earlier variable of the
    /// same container; `$$` escapes.
    Kubernetes,
    /// A loader we do not know: a whole value in any common reference
    /// syntax is a reference (it is surely not the credential itself), and
    /// nothing is reported as an env read.
    Generic,
    /// No references at all (Dockerfile values are decoded by their own
    /// parser; .NET and Aider configs do not interpolate).
    None,
}

/// One reference inside a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    /// The variable (or secret) it names, when it names one.
    pub name: Option<String>,
    /// The reference as written.
    pub span: Span,
    /// What is used when the variable is unset (`${X:-…}`, `${X:…}`).
    pub default: Option<Value>,
    /// Whether it reads the process environment (a consumer), rather than a
    /// secret store or the file's own variables.
    pub env: bool,
}

/// A classified value and the references in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    pub value: Value,
    pub refs: Vec<Ref>,
}

/// Classify a scalar node. `text` is the whole file. `None` for maps and
/// sequences.
pub fn classify_node(node: &Node, text: &str, syntax: Interpolation) -> Option<Classified> {
    let NodeKind::Scalar(s) = &node.kind else {
        return None;
    };
    if s.ty == ScalarType::Null {
        return Some(Classified {
            value: Value {
                kind: ValueKind::Empty,
                text: String::new(),
                reference: None,
                span: node.span,
                quote: s.quote,
            },
            refs: Vec::new(),
        });
    }
    let exact = text.get(node.span.start..node.span.end) == Some(s.text.as_str());
    Some(classify_str(&s.text, node.span, exact, s.quote, syntax))
}

/// Classify a decoded string found at `span`. `exact`: the string is the
/// source text of `span` byte for byte, so references get their own spans.
pub fn classify_str(
    s: &str,
    span: Span,
    exact: bool,
    quote: Option<char>,
    syntax: Interpolation,
) -> Classified {
    classify_depth(s, span, exact, quote, syntax, 0)
}

fn classify_depth(
    s: &str,
    span: Span,
    exact: bool,
    quote: Option<char>,
    syntax: Interpolation,
    depth: u8,
) -> Classified {
    let scan = match syntax {
        Interpolation::Compose => compose(s, span, exact, depth),
        Interpolation::Spring => spring(s, span, exact, depth),
        Interpolation::Expression => expressions(s, span, exact),
        Interpolation::LiteLlm => whole(s, span, litellm(s)),
        Interpolation::LibreChat if s.trim() == "user_provided" => {
            // A sentinel: each user enters their own key in the UI. Not a
            // value sent to the provider, so not a literal.
            return Classified {
                value: Value {
                    kind: ValueKind::Reference,
                    text: s.to_string(),
                    reference: None,
                    span,
                    quote,
                },
                refs: Vec::new(),
            };
        }
        Interpolation::LibreChat => whole(s, span, braced_env(s)),
        Interpolation::Kubernetes => kubernetes(s, span, exact),
        Interpolation::Generic => whole(s, span, generic(s)),
        Interpolation::None => Scan::literal(s),
    };
    let kind = if scan.refs.len() == 1 && !scan.literal {
        ValueKind::Reference
    } else if scan.refs.is_empty() && scan.text.is_empty() {
        ValueKind::Empty
    } else {
        ValueKind::Literal
    };
    let reference = match kind {
        ValueKind::Reference => scan.refs.first().and_then(|r| r.name.clone()),
        _ => None,
    };
    Classified {
        value: Value {
            kind,
            text: if kind == ValueKind::Reference {
                s.to_string()
            } else {
                scan.text
            },
            reference,
            span,
            quote,
        },
        refs: scan.refs,
    }
}

/// What a scan of a value found.
struct Scan {
    /// The value with escapes resolved and references kept as written.
    text: String,
    refs: Vec<Ref>,
    /// Whether any character came from outside a reference.
    literal: bool,
}

impl Scan {
    fn literal(s: &str) -> Scan {
        Scan {
            text: s.to_string(),
            refs: Vec::new(),
            literal: !s.is_empty(),
        }
    }
}

/// A reference found by a whole-value matcher: the value is exactly one
/// reference, or it is a literal.
struct WholeRef {
    name: Option<String>,
    env: bool,
}

fn whole(s: &str, span: Span, found: Option<WholeRef>) -> Scan {
    match found {
        Some(r) => Scan {
            text: s.to_string(),
            refs: vec![Ref {
                name: r.name,
                span,
                default: None,
                env: r.env,
            }],
            literal: false,
        },
        None => Scan::literal(s),
    }
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Whether `s` is a shell-style variable name.
pub fn is_env_name(s: &str) -> bool {
    let b = s.as_bytes();
    b.first().is_some_and(|&c| is_name_start(c)) && b.iter().all(|&c| is_name(c))
}

/// The span of `s[from..to]` in the file, or the whole value's span when
/// offsets do not map.
fn sub(span: Span, exact: bool, from: usize, to: usize) -> Span {
    if exact {
        Span::new(span.start + from, span.start + to)
    } else {
        span
    }
}

/// The index of the `}` closing a `${` whose body starts at `from`,
/// counting nested `${`.
fn closing_brace(b: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'$' if b.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 2;
                continue;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// docker compose interpolation (compose-spec "Interpolation"): `${VAR}`,
/// `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`, `${VAR?err}`,
/// `${VAR:+alt}`, `${VAR+alt}`, `$VAR`; `$$` is a literal `$`. Defaults may
/// nest references.
fn compose(s: &str, span: Span, exact: bool, depth: u8) -> Scan {
    let b = s.as_bytes();
    let mut out = Scan {
        text: String::with_capacity(s.len()),
        refs: Vec::new(),
        literal: false,
    };
    let mut i = 0;
    let mut lit_from = 0;
    let flush = |out: &mut Scan, from: usize, to: usize| {
        if let Some(t) = s.get(from..to)
            && !t.is_empty()
        {
            out.text.push_str(t);
            out.literal = true;
        }
    };
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        match b.get(i + 1) {
            Some(b'$') => {
                flush(&mut out, lit_from, i + 1);
                i += 2;
                lit_from = i;
            }
            Some(b'{') => {
                let Some(close) = closing_brace(b, i + 2) else {
                    i += 1;
                    continue;
                };
                let inner = s.get(i + 2..close).unwrap_or("");
                let ib = inner.as_bytes();
                if !ib.first().is_some_and(|&c| is_name_start(c)) {
                    // Compose rejects this ("invalid interpolation format");
                    // keep it as text.
                    i = close + 1;
                    continue;
                }
                let len = ib.iter().take_while(|&&c| is_name(c)).count();
                let name = inner.get(..len).unwrap_or("");
                let op_at = i + 2 + len;
                let rest = inner.get(len..).unwrap_or("");
                let (op_len, has_default) = if rest.starts_with(":-") {
                    (2, true)
                } else if rest.starts_with('-') {
                    (1, true)
                } else if rest.starts_with(":?") || rest.starts_with(":+") {
                    (2, false)
                } else if rest.starts_with('?') || rest.starts_with('+') {
                    (1, false)
                } else if rest.is_empty() {
                    (0, false)
                } else {
                    i = close + 1;
                    continue;
                };
                flush(&mut out, lit_from, i);
                let default = if has_default {
                    let dfrom = op_at + op_len;
                    let dtext = s.get(dfrom..close).unwrap_or("");
                    let dspan = sub(span, exact, dfrom, close);
                    let inner = if depth < 4 {
                        classify_depth(dtext, dspan, exact, None, Interpolation::Compose, depth + 1)
                            .value
                    } else {
                        Value {
                            kind: ValueKind::Literal,
                            text: dtext.to_string(),
                            reference: None,
                            span: dspan,
                            quote: None,
                        }
                    };
                    Some(inner)
                } else {
                    None
                };
                out.text.push_str(s.get(i..=close).unwrap_or(""));
                out.refs.push(Ref {
                    name: Some(name.to_string()),
                    span: sub(span, exact, i, close + 1),
                    default,
                    env: true,
                });
                i = close + 1;
                lit_from = i;
            }
            Some(&c) if is_name_start(c) => {
                let len = b[i + 1..].iter().take_while(|&&c| is_name(c)).count();
                flush(&mut out, lit_from, i);
                let end = i + 1 + len;
                out.text.push_str(s.get(i..end).unwrap_or(""));
                out.refs.push(Ref {
                    name: s.get(i + 1..end).map(str::to_string),
                    span: sub(span, exact, i, end),
                    default: None,
                    env: true,
                });
                i = end;
                lit_from = i;
            }
            _ => i += 1,
        }
    }
    flush(&mut out, lit_from, b.len());
    out
}

/// Spring property placeholders: `${name}` and `${name:default}`. The name
/// may be another property (`${app.key}`) or, through relaxed binding, an
/// environment variable; only a variable-shaped name is an env read.
fn spring(s: &str, span: Span, exact: bool, depth: u8) -> Scan {
    let b = s.as_bytes();
    let mut out = Scan {
        text: String::with_capacity(s.len()),
        refs: Vec::new(),
        literal: false,
    };
    let mut i = 0;
    let mut lit_from = 0;
    while i < b.len() {
        if !(b[i] == b'$' && b.get(i + 1) == Some(&b'{')) {
            i += 1;
            continue;
        }
        let Some(close) = closing_brace(b, i + 2) else {
            break;
        };
        let inner = s.get(i + 2..close).unwrap_or("");
        // The default separator is the first `:` outside nested `${…}`.
        let sep = {
            let ib = inner.as_bytes();
            let mut d = 0usize;
            let mut found = None;
            let mut k = 0;
            while k < ib.len() {
                match ib[k] {
                    b'$' if ib.get(k + 1) == Some(&b'{') => {
                        d += 1;
                        k += 1;
                    }
                    b'}' => d = d.saturating_sub(1),
                    b':' if d == 0 => {
                        found = Some(k);
                        break;
                    }
                    _ => {}
                }
                k += 1;
            }
            found
        };
        let name = sep.map_or(inner, |k| inner.get(..k).unwrap_or("")).trim();
        if name.is_empty() {
            i = close + 1;
            continue;
        }
        if let Some(t) = s.get(lit_from..i)
            && !t.is_empty()
        {
            out.text.push_str(t);
            out.literal = true;
        }
        let default = sep.map(|k| {
            let dfrom = i + 2 + k + 1;
            let dtext = s.get(dfrom..close).unwrap_or("");
            let dspan = sub(span, exact, dfrom, close);
            if depth < 4 {
                classify_depth(dtext, dspan, exact, None, Interpolation::Spring, depth + 1).value
            } else {
                Value {
                    kind: ValueKind::Literal,
                    text: dtext.to_string(),
                    reference: None,
                    span: dspan,
                    quote: None,
                }
            }
        });
        out.text.push_str(s.get(i..=close).unwrap_or(""));
        out.refs.push(Ref {
            name: Some(name.to_string()),
            span: sub(span, exact, i, close + 1),
            default,
            env: is_env_name(name),
        });
        i = close + 1;
        lit_from = i;
    }
    if let Some(t) = s.get(lit_from..)
        && !t.is_empty()
    {
        out.text.push_str(t);
        out.literal = true;
    }
    out
}

/// `${{ … }}` expressions. `secrets.X`, `vars.X` and `env.X` name `X`;
/// only `env.X` reads the environment.
fn expressions(s: &str, span: Span, exact: bool) -> Scan {
    let mut out = Scan {
        text: s.to_string(),
        refs: Vec::new(),
        literal: false,
    };
    let mut i = 0;
    let mut covered = 0;
    while let Some(k) = s.get(i..).and_then(|r| r.find("${{")) {
        let open = i + k;
        let Some(close) = s.get(open + 3..).and_then(|r| r.find("}}")) else {
            break;
        };
        let end = open + 3 + close + 2;
        let expr = s.get(open + 3..open + 3 + close).unwrap_or("").trim();
        let (name, env) = expression_name(expr);
        out.refs.push(Ref {
            name,
            span: sub(span, exact, open, end),
            default: None,
            env,
        });
        covered += end - open;
        i = end;
    }
    // Any character outside the expressions (a blank too) is part of the
    // value.
    out.literal = covered < s.len();
    out
}

/// The context property an expression reads: `secrets.X`, `vars.X`,
/// `env.X`, also in index form (`secrets['X']`).
fn expression_name(expr: &str) -> (Option<String>, bool) {
    for (ctx, env) in [("secrets", false), ("vars", false), ("env", true)] {
        let Some(rest) = expr.strip_prefix(ctx) else {
            continue;
        };
        let name = if let Some(n) = rest.strip_prefix('.') {
            n
        } else if let Some(n) = rest
            .strip_prefix("['")
            .and_then(|n| n.strip_suffix("']"))
            .or_else(|| rest.strip_prefix("[\"").and_then(|n| n.strip_suffix("\"]")))
        {
            n
        } else {
            continue;
        };
        if is_env_name(name) || name.bytes().all(|c| is_name(c) || c == b'-') && !name.is_empty() {
            return (Some(name.to_string()), env);
        }
    }
    (None, false)
}

/// LiteLLM: `os.environ/NAME`, the whole value.
fn litellm(s: &str) -> Option<WholeRef> {
    let name = s.trim().strip_prefix("os.environ/")?;
    Some(WholeRef {
        name: (!name.is_empty()).then(|| name.to_string()),
        env: !name.is_empty(),
    })
}

/// `${VAR}` as the whole value (LibreChat).
fn braced_env(s: &str) -> Option<WholeRef> {
    let name = s.trim().strip_prefix("${")?.strip_suffix('}')?.trim();
    is_env_name(name).then(|| WholeRef {
        name: Some(name.to_string()),
        env: true,
    })
}

/// Kubernetes dependent variables: `$(VAR)`; `$$(VAR)` is the text
/// `$(VAR)`.
fn kubernetes(s: &str, span: Span, exact: bool) -> Scan {
    let b = s.as_bytes();
    let mut out = Scan {
        text: String::with_capacity(s.len()),
        refs: Vec::new(),
        literal: false,
    };
    let mut i = 0;
    let mut lit_from = 0;
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        if b.get(i + 1) == Some(&b'$') {
            if let Some(t) = s.get(lit_from..=i) {
                out.text.push_str(t);
                out.literal = true;
            }
            i += 2;
            lit_from = i;
            continue;
        }
        if b.get(i + 1) == Some(&b'(')
            && let Some(k) = s.get(i + 2..).and_then(|r| r.find(')'))
            && is_env_name(s.get(i + 2..i + 2 + k).unwrap_or(""))
        {
            let end = i + 2 + k + 1;
            if let Some(t) = s.get(lit_from..i)
                && !t.is_empty()
            {
                out.text.push_str(t);
                out.literal = true;
            }
            out.text.push_str(s.get(i..end).unwrap_or(""));
            out.refs.push(Ref {
                name: s.get(i + 2..end - 1).map(str::to_string),
                span: sub(span, exact, i, end),
                default: None,
                env: false,
            });
            i = end;
            lit_from = i;
            continue;
        }
        i += 1;
    }
    if let Some(t) = s.get(lit_from..)
        && !t.is_empty()
    {
        out.text.push_str(t);
        out.literal = true;
    }
    out
}

/// A whole value in a common reference syntax: `${NAME…}`, `$NAME`,
/// `${{ … }}`, `{{ … }}` (a template), `os.environ/NAME`, `$(NAME)`.
fn generic(s: &str) -> Option<WholeRef> {
    let t = s.trim();
    if let Some(r) = litellm(t) {
        return Some(WholeRef { env: false, ..r });
    }
    if let Some(inner) = t.strip_prefix("${{").and_then(|r| r.strip_suffix("}}")) {
        return Some(WholeRef {
            name: expression_name(inner.trim()).0,
            env: false,
        });
    }
    if t.starts_with("{{") && t.ends_with("}}") {
        return Some(WholeRef {
            name: None,
            env: false,
        });
    }
    if let Some(inner) = t.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        let len = inner.bytes().take_while(|&c| is_name(c)).count();
        let name = inner.get(..len).unwrap_or("");
        return Some(WholeRef {
            name: is_env_name(name).then(|| name.to_string()),
            env: false,
        });
    }
    if let Some(inner) = t.strip_prefix("$(").and_then(|r| r.strip_suffix(')'))
        && is_env_name(inner)
    {
        return Some(WholeRef {
            name: Some(inner.to_string()),
            env: false,
        });
    }
    if let Some(name) = t.strip_prefix('$')
        && is_env_name(name)
    {
        return Some(WholeRef {
            name: Some(name.to_string()),
            env: false,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str, syntax: Interpolation) -> Classified {
        classify_str(s, Span::new(10, 10 + s.len()), true, None, syntax)
    }

    #[test]
    fn compose_references() {
        let v = c("${OPENAI_API_KEY}", Interpolation::Compose);
        assert_eq!(v.value.kind, ValueKind::Reference);
        assert_eq!(v.value.reference.as_deref(), Some("OPENAI_API_KEY"));
        assert_eq!(v.refs[0].span, Span::new(10, 27));
        assert!(v.refs[0].env);

        let v = c("$OPENAI_API_KEY", Interpolation::Compose);
        assert_eq!(v.value.kind, ValueKind::Reference);

        // An empty default is still a reference, with an empty default.
        let v = c("${OPENAI_API_KEY:-}", Interpolation::Compose);
        assert_eq!(v.value.kind, ValueKind::Reference);
        let d = v.refs[0].default.as_ref().expect("default");
        assert_eq!(d.kind, ValueKind::Empty);
        assert_eq!(d.span, Span::new(28, 28));

        let v = c("${OPENAI_ORG_ID-org-abc}", Interpolation::Compose);
        let d = v.refs[0].default.as_ref().expect("default");
        assert_eq!(d.kind, ValueKind::Literal);
        assert_eq!(d.text, "org-abc");
        assert_eq!(d.span, Span::new(10 + 16, 10 + 23));

        let v = c("${OPENAI_API_KEY:?set it}", Interpolation::Compose);
        assert_eq!(v.value.kind, ValueKind::Reference);
        assert!(v.refs[0].default.is_none());

        // Nested default.
        let v = c("${A:-${B}}", Interpolation::Compose);
        let d = v.refs[0].default.as_ref().expect("default");
        assert_eq!(d.kind, ValueKind::Reference);
        assert_eq!(d.reference.as_deref(), Some("B"));
    }

    #[test]
    fn compose_escapes_and_literals() {
        let v = c("$${OPENAI_API_KEY}", Interpolation::Compose);
        assert_eq!(v.value.kind, ValueKind::Literal);
        assert_eq!(v.value.text, "${OPENAI_API_KEY}");
        assert!(v.refs.is_empty());

        let v = c("pa$$word", Interpolation::Compose);
        assert_eq!(v.value.text, "pa$word");
        assert_eq!(v.value.kind, ValueKind::Literal);

        let v = c("http://${HOST}:4000", Interpolation::Compose);
        assert_eq!(v.value.kind, ValueKind::Literal);
        assert_eq!(v.refs.len(), 1);
        assert_eq!(v.refs[0].name.as_deref(), Some("HOST"));
        assert_eq!(v.refs[0].span, Span::new(17, 24));

        let v = c("", Interpolation::Compose);
        assert_eq!(v.value.kind, ValueKind::Empty);
        let v = c("cost: 5$", Interpolation::Compose);
        assert_eq!(v.value.kind, ValueKind::Literal);
        assert_eq!(v.value.text, "cost: 5$");
        let v = c("${1BAD}", Interpolation::Compose);
        assert_eq!(v.value.kind, ValueKind::Literal);
        assert!(v.refs.is_empty());
    }

    #[test]
    fn other_syntaxes() {
        let v = c("${OPENAI_API_KEY:}", Interpolation::Spring);
        assert_eq!(v.value.kind, ValueKind::Reference);
        assert_eq!(
            v.refs[0].default.as_ref().map(|d| d.kind),
            Some(ValueKind::Empty)
        );
        let v = c("${openai.key}", Interpolation::Spring);
        assert_eq!(v.value.kind, ValueKind::Reference);
        assert!(!v.refs[0].env);

        let v = c("${{ secrets.OPENAI_API_KEY }}", Interpolation::Expression);
        assert_eq!(v.value.kind, ValueKind::Reference);
        assert_eq!(v.value.reference.as_deref(), Some("OPENAI_API_KEY"));
        assert!(!v.refs[0].env);
        let v = c("${{ env.OPENAI_API_KEY }}", Interpolation::Expression);
        assert!(v.refs[0].env);
        let v = c("Bearer ${{ secrets.X }}", Interpolation::Expression);
        assert_eq!(v.value.kind, ValueKind::Literal);
        assert_eq!(v.refs[0].span, Span::new(17, 33));

        let v = c("os.environ/OPENAI_API_KEY", Interpolation::LiteLlm);
        assert_eq!(v.value.kind, ValueKind::Reference);
        assert!(v.refs[0].env);
        let v = c("sk-1234", Interpolation::LiteLlm);
        assert_eq!(v.value.kind, ValueKind::Literal);

        let v = c("user_provided", Interpolation::LibreChat);
        assert_eq!(v.value.kind, ValueKind::Reference);
        assert!(v.refs.is_empty());
        let v = c("${GROQ_API_KEY}", Interpolation::LibreChat);
        assert_eq!(v.value.reference.as_deref(), Some("GROQ_API_KEY"));

        let v = c("$(OPENAI_KEY)", Interpolation::Kubernetes);
        assert_eq!(v.value.kind, ValueKind::Reference);
        assert!(!v.refs[0].env);
        let v = c("$$(OPENAI_KEY)", Interpolation::Kubernetes);
        assert_eq!(v.value.kind, ValueKind::Literal);
        assert_eq!(v.value.text, "$(OPENAI_KEY)");

        for r in [
            "${OPENAI_API_KEY}",
            "$OPENAI_API_KEY",
            "${{ secrets.X }}",
            "{{ .Values.key }}",
            "os.environ/X",
        ] {
            assert_eq!(
                c(r, Interpolation::Generic).value.kind,
                ValueKind::Reference,
                "{r}"
            );
            assert!(c(r, Interpolation::Generic).refs.iter().all(|r| !r.env));
        }
        assert_eq!(
            c("sk-$abc", Interpolation::Generic).value.kind,
            ValueKind::Literal
        );
        assert_eq!(
            c("${X}", Interpolation::None).value.kind,
            ValueKind::Literal
        );
    }
}
