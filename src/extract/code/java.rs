//! Java trees (tree-sitter-java): openai-java builders
//! (`OpenAIOkHttpClient.builder().apiKey(…).organization(…)`),
//! `System.getenv` reads, fields and locals as constants.

use tree_sitter::Node;

use super::NodeExt;
use super::Reader;
use super::{
    Call, LanguageSyntax, Parents, Region, Str, children, first_string_arg, method_callee, span_of,
    text_of,
};
use crate::source::Span;

pub(crate) struct Java;

/// How credlint reads Java: its grammar and engine syntax.
pub(crate) const READER: Reader = Reader {
    grammar: Some(|| tree_sitter_java::LANGUAGE.into()),
    syntax: Some(&Java),
};

impl LanguageSyntax for Java {
    fn region(&self, n: Node<'_>, _text: &str) -> Option<Region> {
        match n.kind_name() {
            "line_comment" | "block_comment" | "comment" => Some(Region::Comment),
            "string_literal" | "character_literal" => Some(Region::String),
            _ => None,
        }
    }

    fn imports(&self, n: Node<'_>, text: &str, out: &mut Vec<String>) {
        if n.kind_name() == "import_declaration"
            && let Some(p) = children(n)
                .into_iter()
                .find(|c| matches!(c.kind_name(), "scoped_identifier" | "identifier"))
        {
            out.push(text_of(p, text).to_string());
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
        Some((text_of(name, text).to_string(), n.field("value")?))
    }

    fn name_ref(&self, n: Node<'_>, text: &str) -> Option<String> {
        match n.kind_name() {
            "identifier" => Some(text_of(n, text).to_string()),
            // `this.org`, `Config.ORG`
            "field_access" => {
                let object = text_of(n.field("object")?, text);
                let field = text_of(n.field("field")?, text);
                (object == "this" || object.chars().next().is_some_and(char::is_uppercase))
                    .then(|| field.to_string())
            }
            _ => None,
        }
    }

    fn call<'t>(&self, n: Node<'t>, text: &str, _up: &Parents<'t>) -> Option<Call<'t>> {
        let args = n.field("arguments")?;
        let (callee, receiver, method) = match n.kind_name() {
            "method_invocation" => {
                let name = n.field("name")?;
                match n.field("object") {
                    Some(object) => (
                        method_callee(object, text_of(name, text), text),
                        Some(object),
                        Some(span_of(name)),
                    ),
                    None => (vec![text_of(name, text).to_string()], None, None),
                }
            }
            "object_creation_expression" => {
                let ty = n.field("type")?;
                (crate::provider::segments(text_of(ty, text)), None, None)
            }
            _ => return None,
        };
        Some(Call {
            node: n,
            callee,
            receiver,
            method,
            named: Vec::new(),
            positional: children(args)
                .into_iter()
                .filter(|c| !matches!(c.kind_name(), "line_comment" | "block_comment"))
                .collect(),
            args: span_of(args),
            block_param: None,
        })
    }

    fn string(&self, n: Node<'_>, text: &str) -> Option<Str> {
        if n.kind_name() != "string_literal" {
            return None;
        }
        let t = text_of(n, text);
        let d = if t.starts_with("\"\"\"") { 3 } else { 1 };
        if t.len() < 2 * d {
            return None;
        }
        Some(Str {
            content: Span::new(n.start_byte() + d, n.end_byte() - d),
            quote: Some('"'),
            raw: false,
            interpolated: children(n)
                .iter()
                .any(|c| c.kind_name() == "string_interpolation"),
        })
    }

    fn concat<'t>(&self, n: Node<'t>, text: &str) -> Option<Vec<Node<'t>>> {
        (n.kind_name() == "binary_expression"
            && n.field("operator").is_some_and(|o| text_of(o, text) == "+"))
        .then(|| Some(vec![n.field("left")?, n.field("right")?]))?
    }

    fn null(&self, n: Node<'_>, _text: &str) -> bool {
        n.kind_name() == "null_literal"
    }

    fn env_read<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        _up: &Parents<'t>,
    ) -> Option<(String, Option<Node<'t>>)> {
        if n.kind_name() != "method_invocation" {
            return None;
        }
        let object = n.field("object")?;
        let name = n.field("name")?;
        if !matches!(text_of(object, text), "System" | "java.lang.System")
            || text_of(name, text) != "getenv"
        {
            return None;
        }
        let var = first_string_arg(self, n.field("arguments"), text)?;
        Some((var, None))
    }

    fn unwrap<'t>(&self, mut n: Node<'t>, _text: &str) -> Node<'t> {
        while matches!(
            n.kind_name(),
            "parenthesized_expression" | "cast_expression"
        ) {
            match n.field("value").or_else(|| n.named_child(0)) {
                Some(c) if c.id() != n.id() => n = c,
                _ => break,
            }
        }
        n
    }
}
