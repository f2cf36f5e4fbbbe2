//! Ruby trees (tree-sitter-ruby): `OpenAI::Client.new(api_key: …)` (the
//! official gem and ruby-openai), `OpenAI.configure do |config| … end`,
//! `ENV["X"]` / `ENV.fetch("X", default)` reads and `ENV["X"] = …` writes.

use tree_sitter::Node;

use super::NodeExt;
use super::Reader;
use super::binary;
use super::{
    AttrAssign, Call, EnvWrite, LanguageSyntax, Named, Parents, Region, Str, children,
    first_string_arg, method_callee, plain_string, span_of, text_of,
};
use crate::source::Span;

pub(crate) struct Ruby;

/// How credlint reads Ruby: its grammar and engine syntax.
pub(crate) const READER: Reader = Reader {
    grammar: Some(|| tree_sitter_ruby::LANGUAGE.into()),
    syntax: Some(&Ruby),
};

impl Ruby {
    /// `ENV["X"]`: the key node.
    fn env_key<'t>(&self, n: Node<'t>, text: &str) -> Option<Node<'t>> {
        if n.kind_name() != "element_reference" || text_of(n.field("object")?, text) != "ENV" {
            return None;
        }
        let key = n.named_child(1)?;
        self.string(key, text).filter(|s| !s.interpolated)?;
        Some(key)
    }
}

fn is_assignment_target<'t>(n: Node<'t>, up: &Parents<'t>) -> bool {
    up.of(n).is_some_and(|p| {
        matches!(p.kind_name(), "assignment" | "operator_assignment")
            && p.field("left").map(|l| l.id()) == Some(n.id())
    })
}

impl LanguageSyntax for Ruby {
    fn region(&self, n: Node<'_>, _text: &str) -> Option<Region> {
        match n.kind_name() {
            "comment" => Some(Region::Comment),
            "string" | "heredoc_body" | "character" | "chained_string" => Some(Region::String),
            _ => None,
        }
    }

    fn imports(&self, n: Node<'_>, text: &str, out: &mut Vec<String>) {
        if n.kind_name() == "call"
            && n.field("receiver").is_none()
            && n.field("method")
                .is_some_and(|m| matches!(text_of(m, text), "require" | "require_relative"))
            && let Some(m) = first_string_arg(self, n.field("arguments"), text)
        {
            out.push(m);
        }
    }

    fn binding<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        _up: &Parents<'t>,
    ) -> Option<(String, Node<'t>)> {
        if n.kind_name() != "assignment" {
            return None;
        }
        let left = n.field("left")?;
        matches!(left.kind_name(), "constant" | "identifier")
            .then(|| Some((text_of(left, text).to_string(), n.field("right")?)))?
    }

    fn name_ref(&self, n: Node<'_>, text: &str) -> Option<String> {
        match n.kind_name() {
            "constant" | "identifier" => Some(text_of(n, text).to_string()),
            "scope_resolution" => Some(text_of(n.field("name")?, text).to_string()),
            _ => None,
        }
    }

    fn call<'t>(&self, n: Node<'t>, text: &str, _up: &Parents<'t>) -> Option<Call<'t>> {
        if n.kind_name() != "call" {
            return None;
        }
        let method = n.field("method")?;
        let receiver = n.field("receiver");
        let callee = match receiver {
            Some(r) => method_callee(r, text_of(method, text), text),
            None => vec![text_of(method, text).to_string()],
        };
        let args = n.field("arguments");
        let block = n.field("block");
        let mut named = Vec::new();
        let mut positional = Vec::new();
        for a in args.map(children).unwrap_or_default() {
            match a.kind_name() {
                "pair" => {
                    let (Some(k), Some(v)) = (a.field("key"), a.field("value")) else {
                        continue;
                    };
                    let name = match k.kind_name() {
                        "simple_symbol" => Span::new(k.start_byte() + 1, k.end_byte()),
                        _ => match self.string(k, text) {
                            Some(s) => s.content,
                            None => span_of(k),
                        },
                    };
                    named.push(Named {
                        name,
                        value: v,
                        entry: span_of(a),
                    });
                }
                "comment" => {}
                _ => positional.push(a),
            }
        }
        let block_param = block
            .and_then(|b| b.field("parameters"))
            .and_then(|p| {
                children(p)
                    .into_iter()
                    .find(|c| c.kind_name() == "identifier")
            })
            .map(|p| text_of(p, text).to_string());
        let start = args.or(block).map_or(n.end_byte(), |a| a.start_byte());
        Some(Call {
            node: n,
            callee,
            receiver,
            method: receiver.map(|_| span_of(method)),
            named,
            positional,
            args: Span::new(start, n.end_byte()),
            block_param,
        })
    }

    fn string(&self, n: Node<'_>, text: &str) -> Option<Str> {
        if n.kind_name() != "string" {
            return None;
        }
        let t = text_of(n, text);
        let open = if t.starts_with('%') {
            t.char_indices()
                .skip(1)
                .find(|(_, c)| !c.is_ascii_alphabetic())
                .map_or(2, |(i, _)| i + 1)
        } else {
            1
        };
        if t.len() < open + 1 {
            return None;
        }
        Some(Str {
            content: Span::new(n.start_byte() + open, n.end_byte() - 1),
            quote: t.chars().next(),
            raw: t.starts_with('\'') || t.starts_with("%q"),
            interpolated: children(n).iter().any(|c| c.kind_name() == "interpolation"),
        })
    }

    fn concat<'t>(&self, n: Node<'t>, text: &str) -> Option<Vec<Node<'t>>> {
        match n.kind_name() {
            "chained_string" => Some(children(n)),
            "binary" if n.field("operator").is_some_and(|o| text_of(o, text) == "+") => {
                Some(vec![n.field("left")?, n.field("right")?])
            }
            _ => None,
        }
    }

    fn null(&self, n: Node<'_>, _text: &str) -> bool {
        n.kind_name() == "nil"
    }

    fn env_read<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        up: &Parents<'t>,
    ) -> Option<(String, Option<Node<'t>>)> {
        match n.kind_name() {
            "element_reference" => {
                let key = self.env_key(n, text)?;
                if is_assignment_target(n, up) {
                    return None;
                }
                Some((plain_string(self, key, text)?, None))
            }
            "call" => {
                let receiver = n.field("receiver")?;
                let method = n.field("method")?;
                if text_of(receiver, text) != "ENV" || text_of(method, text) != "fetch" {
                    return None;
                }
                let args = n.field("arguments")?;
                let name = first_string_arg(self, Some(args), text)?;
                // ENV.fetch("X", "d") or ENV.fetch("X") { "d" }
                let default = children(args).get(1).copied().or_else(|| {
                    let block = n.field("block")?;
                    let body = block.field("body")?;
                    body.named_child(0)
                });
                Some((name, default))
            }
            _ => None,
        }
    }

    fn env_write<'t>(&self, n: Node<'t>, text: &str) -> Option<EnvWrite<'t>> {
        if n.kind_name() != "assignment" {
            return None;
        }
        let key = self.env_key(n.field("left")?, text)?;
        Some(EnvWrite {
            name: self.string(key, text)?.content,
            value: n.field("right")?,
            entry: span_of(n),
        })
    }

    fn or_default<'t>(&self, n: Node<'t>, text: &str) -> Option<(Node<'t>, Node<'t>)> {
        binary(n, text, "binary", &["||", "or"])
    }

    fn attr_assign<'t>(&self, n: Node<'t>, _text: &str) -> Option<AttrAssign<'t>> {
        if n.kind_name() != "assignment" {
            return None;
        }
        let left = n.field("left")?;
        if left.kind_name() != "call" || left.field("arguments").is_some() {
            return None;
        }
        Some(AttrAssign {
            receiver: left.field("receiver")?,
            attr: span_of(left.field("method")?),
            value: n.field("right")?,
            entry: span_of(n),
        })
    }

    fn unwrap<'t>(&self, mut n: Node<'t>, _text: &str) -> Node<'t> {
        while n.kind_name() == "parenthesized_statements" && n.named_child_count() == 1 {
            match n.named_child(0) {
                Some(c) => n = c,
                None => break,
            }
        }
        n
    }
}
