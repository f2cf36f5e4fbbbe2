//! C# trees (tree-sitter-c-sharp): `new ApiKeyCredential(…)`, `new
//! OpenAIClientOptions { OrganizationId = …, ProjectId = … }`, named
//! arguments (`apiKey: …`), `Environment.GetEnvironmentVariable` reads and
//! `SetEnvironmentVariable` writes.

use tree_sitter::Node;

use super::NodeExt;
use super::Reader;
use super::binary;
use super::{
    Call, EnvWrite, LanguageSyntax, Named, Parents, Region, Str, argument_nodes, children,
    first_string_arg, method_callee, span_of, text_of,
};
use crate::source::Span;

pub(crate) struct CSharp;

/// How credlint reads C#: its grammar and engine syntax.
pub(crate) const READER: Reader = Reader {
    grammar: Some(|| tree_sitter_c_sharp::LANGUAGE.into()),
    syntax: Some(&CSharp),
};

impl LanguageSyntax for CSharp {
    fn region(&self, n: Node<'_>, _text: &str) -> Option<Region> {
        match n.kind_name() {
            "comment" => Some(Region::Comment),
            "string_literal"
            | "verbatim_string_literal"
            | "raw_string_literal"
            | "interpolated_string_expression"
            | "character_literal" => Some(Region::String),
            _ => None,
        }
    }

    fn imports(&self, n: Node<'_>, text: &str, out: &mut Vec<String>) {
        if n.kind_name() == "using_directive"
            && let Some(c) = children(n)
                .into_iter()
                .rfind(|c| matches!(c.kind_name(), "identifier" | "qualified_name"))
        {
            out.push(text_of(c, text).to_string());
        }
    }

    fn binding<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        _up: &Parents<'t>,
    ) -> Option<(String, Node<'t>)> {
        if n.kind_name() != "variable_declarator" {
            return None;
        }
        let name = n.field("name")?;
        let value = children(n).into_iter().rfind(|c| c.id() != name.id())?;
        if value.kind_name() == "bracketed_argument_list" {
            return None;
        }
        Some((text_of(name, text).to_string(), value))
    }

    fn name_ref(&self, n: Node<'_>, text: &str) -> Option<String> {
        match n.kind_name() {
            "identifier" => Some(text_of(n, text).to_string()),
            "member_access_expression" => {
                let object = text_of(n.field("expression")?, text);
                let name = text_of(n.field("name")?, text);
                (object == "this" || object.chars().next().is_some_and(char::is_uppercase))
                    .then(|| name.to_string())
            }
            _ => None,
        }
    }

    fn call<'t>(&self, n: Node<'t>, text: &str, up: &Parents<'t>) -> Option<Call<'t>> {
        let (callee, receiver, method, args) = match n.kind_name() {
            "invocation_expression" => {
                let function = n.field("function")?;
                let args = n.field("arguments")?;
                match function.kind_name() {
                    "member_access_expression" => {
                        let object = function.field("expression")?;
                        let name = function.field("name")?;
                        (
                            method_callee(object, text_of(name, text), text),
                            Some(object),
                            Some(span_of(name)),
                            Some(args),
                        )
                    }
                    "identifier" => (
                        vec![text_of(function, text).to_string()],
                        None,
                        None,
                        Some(args),
                    ),
                    _ => return None,
                }
            }
            "object_creation_expression" => {
                let ty = n.field("type")?;
                (
                    crate::provider::segments(text_of(ty, text)),
                    None,
                    None,
                    n.field("arguments"),
                )
            }
            // `ChatClient chat = new(…)`: the type is the declaration's.
            "implicit_object_creation_expression" => {
                let decl = up.of(up.of(n)?)?;
                let ty = decl.field("type")?;
                (
                    crate::provider::segments(text_of(ty, text)),
                    None,
                    None,
                    children(n)
                        .into_iter()
                        .find(|c| c.kind_name() == "argument_list"),
                )
            }
            _ => return None,
        };
        let (mut named, positional) = match args {
            Some(a) => argument_nodes(a),
            None => (Vec::new(), Vec::new()),
        };
        let initializer = n.field("initializer").or_else(|| {
            children(n)
                .into_iter()
                .find(|c| c.kind_name() == "initializer_expression")
        });
        if let Some(init) = initializer {
            for a in children(init) {
                if a.kind_name() != "assignment_expression" {
                    continue;
                }
                if let (Some(l), Some(r)) = (a.field("left"), a.field("right")) {
                    named.push(Named {
                        name: span_of(l),
                        value: r,
                        entry: span_of(a),
                    });
                }
            }
        }
        let args_span = match (args, initializer) {
            (Some(a), Some(i)) => Span::new(a.start_byte(), i.end_byte()),
            (Some(a), None) => span_of(a),
            (None, Some(i)) => span_of(i),
            (None, None) => Span::new(n.end_byte(), n.end_byte()),
        };
        Some(Call {
            node: n,
            callee,
            receiver,
            method,
            named,
            positional,
            args: args_span,
            block_param: None,
        })
    }

    fn string(&self, n: Node<'_>, text: &str) -> Option<Str> {
        let t = text_of(n, text);
        let (open, close, raw, interpolated) = match n.kind_name() {
            "string_literal" => {
                let close = if t.ends_with("\"u8") { 3 } else { 1 };
                (1, close, false, false)
            }
            "verbatim_string_literal" => (2, 1, true, false),
            "raw_string_literal" => {
                let q = t.chars().take_while(|&c| c == '"').count();
                (q, q, true, false)
            }
            "interpolated_string_expression" => {
                let interpolated = children(n).iter().any(|c| c.kind_name() == "interpolation");
                let open = t.find('"').map_or(2, |i| i + 1);
                (open, 1, t.contains('@'), interpolated)
            }
            _ => return None,
        };
        if t.len() < open + close {
            return None;
        }
        Some(Str {
            content: Span::new(n.start_byte() + open, n.end_byte() - close),
            quote: Some('"'),
            raw,
            interpolated,
        })
    }

    fn concat<'t>(&self, n: Node<'t>, text: &str) -> Option<Vec<Node<'t>>> {
        (n.kind_name() == "binary_expression"
            && n.field("operator").is_some_and(|o| text_of(o, text) == "+"))
        .then(|| Some(vec![n.field("left")?, n.field("right")?]))?
    }

    fn null(&self, n: Node<'_>, text: &str) -> bool {
        n.kind_name() == "null_literal"
            || (n.kind_name() == "identifier" && text_of(n, text) == "null")
    }

    fn env_read<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        _up: &Parents<'t>,
    ) -> Option<(String, Option<Node<'t>>)> {
        if n.kind_name() != "invocation_expression" {
            return None;
        }
        if !super::text_is(
            n.field("function")?,
            text,
            &[
                "Environment.GetEnvironmentVariable",
                "System.Environment.GetEnvironmentVariable",
            ],
        ) {
            return None;
        }
        let var = first_string_arg(self, n.field("arguments"), text)?;
        Some((var, None))
    }

    fn env_write<'t>(&self, n: Node<'t>, text: &str) -> Option<EnvWrite<'t>> {
        if n.kind_name() != "invocation_expression" {
            return None;
        }
        if !super::text_is(
            n.field("function")?,
            text,
            &[
                "Environment.SetEnvironmentVariable",
                "System.Environment.SetEnvironmentVariable",
            ],
        ) {
            return None;
        }
        let (_, positional) = argument_nodes(n.field("arguments")?);
        let (name, value) = (positional.first()?, positional.get(1)?);
        Some(EnvWrite {
            name: self.string(*name, text)?.content,
            value: *value,
            entry: span_of(n),
        })
    }

    fn or_default<'t>(&self, n: Node<'t>, text: &str) -> Option<(Node<'t>, Node<'t>)> {
        binary(n, text, "binary_expression", &["??"])
    }

    fn unwrap<'t>(&self, mut n: Node<'t>, _text: &str) -> Node<'t> {
        for _ in 0..16 {
            match n.kind_name() {
                "parenthesized_expression" | "argument" => match n.named_child(0) {
                    Some(c) => n = c,
                    None => break,
                },
                "postfix_unary_expression" | "cast_expression" => {
                    match n.field("value").or_else(|| children(n).into_iter().last()) {
                        Some(c) if c.id() != n.id() => n = c,
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        n
    }
}
