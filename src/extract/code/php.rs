//! PHP trees (tree-sitter-php): openai-php `OpenAI::client($key, $org)` and
//! `OpenAI::factory()->withApiKey(…)->withOrganization(…)`, `getenv` /
//! `env()` / `$_ENV` / `$_SERVER` reads; inline HTML is prose.

use tree_sitter::Node;

use super::NodeExt;
use super::Reader;
use super::binary;
use super::{
    Call, EnvWrite, LanguageSyntax, Parents, Region, Str, argument_nodes, children,
    first_string_arg, method_callee, plain_string, span_of, text_of,
};
use crate::source::Span;

pub(crate) struct Php;

/// How credlint reads PHP: its grammar and engine syntax.
pub(crate) const READER: Reader = Reader {
    grammar: Some(|| tree_sitter_php::LANGUAGE_PHP.into()),
    syntax: Some(&Php),
};

impl Php {
    /// `$_ENV["X"]` / `$_SERVER["X"]`: the key node.
    fn superglobal_key<'t>(&self, n: Node<'t>, text: &str) -> Option<Node<'t>> {
        if n.kind_name() != "subscript_expression" {
            return None;
        }
        let cs = children(n);
        let (object, key) = (cs.first()?, cs.get(1)?);
        if !matches!(text_of(*object, text), "$_ENV" | "$_SERVER") {
            return None;
        }
        self.string(*key, text).filter(|s| !s.interpolated)?;
        Some(*key)
    }
}

impl LanguageSyntax for Php {
    fn region(&self, n: Node<'_>, _text: &str) -> Option<Region> {
        match n.kind_name() {
            "comment" => Some(Region::Comment),
            "text" => Some(Region::Prose),
            "string" | "encapsed_string" | "heredoc" | "nowdoc" => Some(Region::String),
            _ => None,
        }
    }

    fn imports(&self, n: Node<'_>, text: &str, out: &mut Vec<String>) {
        if n.kind_name() == "namespace_use_clause" {
            out.push(text_of(n, text).trim_start_matches('\\').to_string());
        }
    }

    fn binding<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        _up: &Parents<'t>,
    ) -> Option<(String, Node<'t>)> {
        match n.kind_name() {
            "const_element" => {
                let cs = children(n);
                let name = cs.first()?;
                let value = cs.last()?;
                (name.id() != value.id()).then(|| (text_of(*name, text).to_string(), *value))
            }
            "assignment_expression" => {
                let left = n.field("left")?;
                (left.kind_name() == "variable_name")
                    .then(|| Some((text_of(left, text).to_string(), n.field("right")?)))?
            }
            _ => None,
        }
    }

    fn name_ref(&self, n: Node<'_>, text: &str) -> Option<String> {
        match n.kind_name() {
            "variable_name" | "name" => Some(text_of(n, text).to_string()),
            "class_constant_access_expression" => {
                let cs = children(n);
                Some(text_of(*cs.last()?, text).to_string())
            }
            _ => None,
        }
    }

    fn call<'t>(&self, n: Node<'t>, text: &str, _up: &Parents<'t>) -> Option<Call<'t>> {
        let args = n.field("arguments")?;
        let (callee, receiver, method) = match n.kind_name() {
            "function_call_expression" => {
                let f = n.field("function")?;
                (crate::provider::segments(text_of(f, text)), None, None)
            }
            "scoped_call_expression" => {
                let scope = n.field("scope")?;
                let name = n.field("name")?;
                (method_callee(scope, text_of(name, text), text), None, None)
            }
            "member_call_expression" | "nullsafe_member_call_expression" => {
                let object = n.field("object")?;
                let name = n.field("name")?;
                (
                    method_callee(object, text_of(name, text), text),
                    Some(object),
                    Some(span_of(name)),
                )
            }
            "object_creation_expression" => {
                let ty = children(n)
                    .into_iter()
                    .find(|c| matches!(c.kind_name(), "name" | "qualified_name"))?;
                (crate::provider::segments(text_of(ty, text)), None, None)
            }
            _ => return None,
        };
        let (named, positional) = argument_nodes(args);
        Some(Call {
            node: n,
            callee,
            receiver,
            method,
            named,
            positional,
            args: span_of(args),
            block_param: None,
        })
    }

    fn string(&self, n: Node<'_>, text: &str) -> Option<Str> {
        let t = text_of(n, text);
        match n.kind_name() {
            "string" | "encapsed_string" => {
                let q = t.chars().find(|&c| c == '\'' || c == '"')?;
                let open = t.find(q)? + 1;
                if t.len() < open + 1 {
                    return None;
                }
                let interpolated = children(n).iter().any(|c| {
                    !matches!(
                        c.kind_name(),
                        "string_content" | "escape_sequence" | "string_value"
                    )
                });
                Some(Str {
                    content: Span::new(n.start_byte() + open, n.end_byte() - 1),
                    quote: Some(q),
                    raw: q == '\'',
                    interpolated,
                })
            }
            _ => None,
        }
    }

    fn concat<'t>(&self, n: Node<'t>, text: &str) -> Option<Vec<Node<'t>>> {
        (n.kind_name() == "binary_expression"
            && n.field("operator").is_some_and(|o| text_of(o, text) == "."))
        .then(|| Some(vec![n.field("left")?, n.field("right")?]))?
    }

    fn null(&self, n: Node<'_>, text: &str) -> bool {
        n.kind_name() == "null" || text_of(n, text).eq_ignore_ascii_case("null")
    }

    fn env_read<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        up: &Parents<'t>,
    ) -> Option<(String, Option<Node<'t>>)> {
        match n.kind_name() {
            "function_call_expression" => {
                let f = text_of(n.field("function")?, text);
                if !matches!(f, "getenv" | "env" | "\\getenv") {
                    return None;
                }
                let args = n.field("arguments")?;
                let name = first_string_arg(self, Some(args), text)?;
                let (_, positional) = argument_nodes(args);
                // Laravel's env("X", "default").
                let default = if f == "env" {
                    positional.get(1).copied()
                } else {
                    None
                };
                Some((name, default))
            }
            "subscript_expression" => {
                let key = self.superglobal_key(n, text)?;
                let parent = up.of(n)?;
                if parent.kind_name() == "assignment_expression"
                    && parent.field("left").map(|l| l.id()) == Some(n.id())
                {
                    return None;
                }
                Some((plain_string(self, key, text)?, None))
            }
            _ => None,
        }
    }

    fn env_write<'t>(&self, n: Node<'t>, text: &str) -> Option<EnvWrite<'t>> {
        if n.kind_name() != "assignment_expression" {
            return None;
        }
        let key = self.superglobal_key(n.field("left")?, text)?;
        Some(EnvWrite {
            name: self.string(key, text)?.content,
            value: n.field("right")?,
            entry: span_of(n),
        })
    }

    fn or_default<'t>(&self, n: Node<'t>, text: &str) -> Option<(Node<'t>, Node<'t>)> {
        binary(n, text, "binary_expression", &["??", "?:", "||", "or"])
    }

    fn unwrap<'t>(&self, mut n: Node<'t>, _text: &str) -> Node<'t> {
        while matches!(n.kind_name(), "parenthesized_expression" | "argument") {
            match n.named_child(0) {
                Some(c) => n = c,
                None => break,
            }
        }
        n
    }
}
