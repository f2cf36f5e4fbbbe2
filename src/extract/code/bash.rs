//! Shell scripts (tree-sitter-bash): `export X=…` definitions (settings
//! when `X` is a credential variable), `X=… command` prefixes, `$X` /
//! `${X:-default}` reads, and `curl -H "Header: value"` requests whose
//! headers carry a credential (`Authorization: Bearer …`,
//! `OpenAI-Organization: …`), each request a client scope.
//!
//! Shell has no string/code split that matters here (an unquoted word is a
//! value), so the regions are the comments only.

use std::collections::HashSet;

use tree_sitter::{Node, Tree};

use super::NodeExt;
use super::Reader;
use super::{MAX_DEPTH, Parents, children, normalize, preorder, span_of, text_of};
use crate::extract::format::{EnvRef, EnvRefSyntax};
use crate::extract::{Extracted, Regions};
use crate::fact::{
    Client, DefSource, Definition, EnvRead, FileFacts, ReadKind, Scope, ScopeKind, Setting, Slot,
    Truncation, Value, ValueKind,
};
use crate::provider::{ProviderId, Providers};
use crate::source::Span;
use crate::walk::Language;

/// How credlint reads shell: its grammar; its trees are read by
/// [`extract`], not by the engine.
pub(crate) const READER: Reader = Reader {
    grammar: Some(|| tree_sitter_bash::LANGUAGE.into()),
    syntax: None,
};

/// Extract a shell script.
pub(crate) fn extract(tree: &Tree, text: &str, providers: &Providers) -> Extracted {
    let root = tree.root_node();
    let mut comments = Vec::new();
    let mut assigned: HashSet<String> = HashSet::new();
    let mut parents = Parents::under(root);
    let mut deep = Vec::new();
    // The nodes to visit once every assignment is known, in order.
    let mut nodes = Vec::new();
    preorder(root, |n, parent, depth| {
        if depth > MAX_DEPTH {
            deep.push(span_of(n));
            return false;
        }
        parents.record(n, parent);
        match n.kind_name() {
            "comment" => {
                comments.push(span_of(n));
                return false;
            }
            // `X=1 command` sets X for that command only.
            "variable_assignment" if parent.is_none_or(|p| p.kind_name() != "command") => {
                if let Some(name) = n.field("name") {
                    assigned.insert(text_of(name, text).to_string());
                }
            }
            "for_statement" => {
                if let Some(v) = n.field("variable") {
                    assigned.insert(text_of(v, text).to_string());
                }
            }
            _ => {}
        }
        nodes.push(n);
        true
    });
    let mut x = Shell {
        text,
        providers,
        assigned,
        facts: FileFacts::default(),
        next_scope: 1,
        parents,
    };
    for n in nodes {
        x.visit(n);
    }
    let deep = normalize(deep);
    if let Some(&first) = deep.first() {
        x.facts.truncations.push(Truncation {
            span: first,
            message: format!(
                "nested deeper than {MAX_DEPTH} levels: the part below was read as text only"
            ),
        });
    }
    x.facts
        .settings
        .sort_by_key(|s| (s.value.span, s.name_span));
    x.facts.reads.sort_by_key(|r| r.span);
    Extracted {
        facts: x.facts,
        regions: Regions {
            comments: normalize(comments),
            prose: Vec::new(),
            strings: None,
            unparsed: deep,
        },
        knows_comments: true,
        scanned: false,
    }
}

struct Shell<'a> {
    text: &'a str,
    providers: &'a Providers,
    /// Variables the script assigns itself: reading them is not reading the
    /// environment.
    assigned: HashSet<String>,
    facts: FileFacts,
    next_scope: u32,
    parents: Parents<'a>,
}

/// The variable and default of `$X` / `${X:-d}`.
fn expansion<'t>(n: Node<'t>, text: &str) -> Option<(String, Span, Option<Node<'t>>)> {
    match n.kind_name() {
        "simple_expansion" | "expansion" => {
            let cs = children(n);
            let var = cs.iter().find(|c| c.kind_name() == "variable_name")?;
            let default = if n.kind_name() == "expansion"
                && n.field("operator")
                    .is_some_and(|o| matches!(text_of(o, text), ":-" | "-" | ":=" | "="))
            {
                cs.iter().rev().find(|c| c.id() != var.id()).copied()
            } else {
                None
            };
            Some((text_of(*var, text).to_string(), span_of(*var), default))
        }
        _ => None,
    }
}

fn is_special(name: &str) -> bool {
    name.chars().all(|c| c.is_ascii_digit())
        || matches!(name, "@" | "*" | "#" | "?" | "$" | "!" | "-" | "_")
}

/// Undo shell quoting of a word (`\x` → `x`).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl<'a> Shell<'a> {
    fn visit(&mut self, n: Node<'a>) {
        match n.kind_name() {
            "simple_expansion" | "expansion" => self.read(n),
            "variable_assignment" => self.assignment(n),
            "command" => self.command(n),
            _ => {}
        }
    }

    fn read(&mut self, n: Node<'_>) {
        let Some((name, _, default)) = expansion(n, self.text) else {
            return;
        };
        if is_special(&name) || self.assigned.contains(&name) {
            return;
        }
        let default = default.and_then(|d| self.value(d));
        self.facts.reads.push(EnvRead {
            name,
            span: span_of(n),
            kind: ReadKind::Code,
            default,
            scope: 0,
            usage: crate::fact::ReadUse::Value,
            alternatives: Vec::new(),
        });
    }

    /// The value of a word, string or expansion as a setting sees it.
    fn value(&self, n: Node<'_>) -> Option<Value> {
        let text = self.text;
        let raw = text_of(n, text);
        let literal = |t: String, span: Span, quote: Option<char>| Value {
            kind: if t.is_empty() {
                ValueKind::Empty
            } else {
                ValueKind::Literal
            },
            text: t,
            reference: None,
            span,
            quote,
        };
        let inside = |n: Node<'_>| {
            Span::new(
                (n.start_byte() + 1).min(n.end_byte()),
                n.end_byte().saturating_sub(1).max(n.start_byte()),
            )
        };
        Some(match n.kind_name() {
            "word" | "number" => literal(unescape(raw), span_of(n), None),
            "raw_string" => {
                let s = inside(n);
                literal(
                    text.get(s.start..s.end).unwrap_or("").to_string(),
                    s,
                    Some('\''),
                )
            }
            "string" => {
                let cs = children(n);
                if cs.iter().all(|c| c.kind_name() == "string_content") {
                    let s = inside(n);
                    literal(
                        unescape(text.get(s.start..s.end).unwrap_or("")),
                        s,
                        Some('"'),
                    )
                } else if let [one] = cs.as_slice()
                    && let Some((name, _, _)) = expansion(*one, text)
                {
                    reference(n, name, text)
                } else {
                    expression(n, text)
                }
            }
            "simple_expansion" | "expansion" => {
                let (name, _, _) = expansion(n, text)?;
                reference(n, name, text)
            }
            "concatenation" => {
                let mut out = String::new();
                for c in children(n) {
                    let v = self.value(c)?;
                    if !matches!(v.kind, ValueKind::Literal | ValueKind::Empty) {
                        return Some(expression(n, text));
                    }
                    out.push_str(&v.text);
                }
                literal(out, span_of(n), None)
            }
            _ => expression(n, text),
        })
    }

    fn assignment(&mut self, n: Node<'a>) {
        let text = self.text;
        let Some(name_node) = n.field("name") else {
            return;
        };
        let name = text_of(name_node, text).to_string();
        let eq_end = name_node.end_byte() + 1;
        let value = match n.field("value") {
            Some(v) => self.value(v),
            None => Some(Value {
                kind: ValueKind::Empty,
                text: String::new(),
                reference: None,
                span: Span::new(eq_end.min(n.end_byte()), eq_end.min(n.end_byte())),
                quote: None,
            }),
        };
        let Some(value) = value else {
            return;
        };
        let parent = self.parents.of(n);
        let exported = parent.is_some_and(|p| {
            (p.kind_name() == "declaration_command"
                && matches!(
                    p.child(0).map(|c| text_of(c, text)),
                    Some("export" | "declare" | "typeset")
                ))
                || p.kind_name() == "command"
        });
        let entry = parent
            .filter(|p| p.kind_name() == "declaration_command")
            .map_or_else(|| span_of(n), span_of);
        if let Some((provider, variable)) = self.providers.variable(&name) {
            self.facts.settings.push(Setting {
                provider,
                slot: variable.slot,
                name: name.clone(),
                name_span: span_of(name_node),
                value: value.clone(),
                entry,
                scope: 0,
                env_ref: None,
            });
        }
        if exported {
            self.facts.definitions.push(Definition {
                name,
                name_span: span_of(name_node),
                value,
                entry,
                scope: 0,
                source: DefSource::Shell,
            });
        }
    }

    /// `curl … -H "Name: value" …`
    fn command(&mut self, n: Node<'_>) {
        let text = self.text;
        let Some(name) = n.field("name") else {
            return;
        };
        if text_of(name, text).trim() != "curl" {
            return;
        }
        let args: Vec<Node<'_>> = {
            let mut c = n.walk();
            n.children_by_field_name("argument", &mut c).collect()
        };
        // The provider whose host the request goes to, if any.
        let host_provider = args.iter().find_map(|a| {
            let t = text_of(*a, text);
            if !t.contains("://") {
                return None;
            }
            self.providers
                .iter()
                .find(|(_, p)| p.hosts.iter().any(|h| t.contains(h.as_str())))
                .map(|(pid, _)| pid)
        });
        let mut headers = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let flag = text_of(args[i], text);
            if matches!(flag, "-H" | "--header") {
                if let Some(v) = args.get(i + 1) {
                    headers.push(*v);
                }
                i += 2;
                continue;
            }
            i += 1;
        }
        let mut scope = None;
        for h in headers {
            let Some((pid, slot, hname, value, name_span)) = self.header(h, host_provider) else {
                continue;
            };
            let scope = *scope.get_or_insert_with(|| {
                let id = self.next_scope;
                self.next_scope += 1;
                self.facts.scopes.push(Scope {
                    id,
                    kind: ScopeKind::ClientCall,
                    name: "curl".into(),
                    span: span_of(n),
                    parent: None,
                    env_files: Vec::new(),
                });
                self.facts.clients.push(Client {
                    provider: pid,
                    constructor: "curl".into(),
                    sdk: "curl".into(),
                    span: span_of(n),
                    scope: id,
                    spread: false,
                });
                id
            });
            let env_ref = self
                .providers
                .get(pid)
                .canonical(slot)
                .map(|v| EnvRef::new(EnvRefSyntax::Code(Language::Shell), v.name.clone()));
            self.facts.settings.push(Setting {
                provider: pid,
                slot,
                name: hname,
                name_span,
                value,
                entry: span_of(h),
                scope,
                env_ref,
            });
        }
    }

    /// A credential header: its provider, slot, name and value.
    fn header(
        &self,
        h: Node<'_>,
        host: Option<ProviderId>,
    ) -> Option<(ProviderId, Slot, String, Value, Span)> {
        let text = self.text;
        let (content, quote) = match h.kind_name() {
            "string" | "raw_string" => (
                Span::new(
                    (h.start_byte() + 1).min(h.end_byte()),
                    h.end_byte().saturating_sub(1).max(h.start_byte()),
                ),
                text_of(h, text).chars().next(),
            ),
            "word" => (span_of(h), None),
            _ => return None,
        };
        let raw = text.get(content.start..content.end)?;
        let colon = raw.find(':')?;
        let hname = raw[..colon].trim();
        let after = &raw[colon + 1..];
        let lead = after.len() - after.trim_start().len();
        let mut start = content.start + colon + 1 + lead;
        let mut value_raw = after.trim();
        // Providers declaring this header; a header with a value prefix
        // (`Bearer `) is shared by many APIs and needs other evidence.
        let declared: Vec<(ProviderId, Slot, &str)> = self
            .providers
            .iter()
            .flat_map(|(pid, p)| {
                p.headers
                    .iter()
                    .filter(|d| d.name.eq_ignore_ascii_case(hname))
                    .map(move |d| (pid, d.slot, d.prefix.as_str()))
            })
            .collect();
        let (_, slot, prefix) = *declared.first()?;
        if !prefix.is_empty() {
            if !value_raw
                .get(..prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
            {
                return None;
            }
            let rest = &value_raw[prefix.len()..];
            start += prefix.len() + (rest.len() - rest.trim_start().len());
            value_raw = rest.trim();
        }
        let value_span = Span::new(start, start + value_raw.len());
        // What the value is.
        let var_name = value_raw
            .strip_prefix("${")
            .and_then(|v| v.strip_suffix('}'))
            .or_else(|| value_raw.strip_prefix('$'))
            .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        let value = if let Some(var) = var_name {
            Value {
                kind: ValueKind::Reference,
                text: value_raw.to_string(),
                reference: Some(var.to_string()),
                span: value_span,
                quote,
            }
        } else if quote != Some('\'') && value_raw.contains(['$', '`']) {
            Value {
                kind: ValueKind::Expression,
                text: value_raw.to_string(),
                reference: None,
                span: value_span,
                quote,
            }
        } else {
            Value {
                kind: if value_raw.is_empty() {
                    ValueKind::Empty
                } else {
                    ValueKind::Literal
                },
                text: if quote == Some('\'') {
                    value_raw.to_string()
                } else {
                    unescape(value_raw)
                },
                reference: None,
                span: value_span,
                quote,
            }
        };
        // Which provider: the request's host, the key's own shape, the
        // variable it names, or the only provider declaring the header.
        let by_key = (value.kind == ValueKind::Literal)
            .then(|| self.providers.key_of_any(&value.text).map(|(p, _)| p))
            .flatten();
        let by_var = value
            .reference
            .as_deref()
            .and_then(|v| self.providers.variable(v))
            .map(|(p, _)| p);
        let only = (declared.len() == 1 && prefix.is_empty()).then_some(declared[0].0);
        let pid = host.or(by_key).or(by_var).or(only)?;
        // The header must be one this provider reads.
        let slot = self
            .providers
            .get(pid)
            .headers
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(hname))
            .map_or(slot, |d| d.slot);
        let name_span = Span::new(content.start, content.start + colon);
        Some((pid, slot, hname.to_string(), value, name_span))
    }
}

fn reference(n: Node<'_>, name: String, text: &str) -> Value {
    Value {
        kind: ValueKind::Reference,
        // Bounded: nested defaults (`${A:-${B:-…}}`) would otherwise copy
        // the rest of the nest once per level.
        text: super::bounded(text_of(n, text)),
        reference: Some(name),
        span: span_of(n),
        quote: None,
    }
}

fn expression(n: Node<'_>, text: &str) -> Value {
    Value {
        kind: ValueKind::Expression,
        text: text_of(n, text).chars().take(120).collect(),
        reference: None,
        span: span_of(n),
        quote: None,
    }
}
