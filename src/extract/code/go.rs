//! Go trees (tree-sitter-go): openai-go option calls
//! (`option.WithAPIKey(…)`), go-openai configs (`openai.DefaultConfig(k)`,
//! `ClientConfig{OrgID: …}`, `config.OrgID = …`), `os.Getenv` /
//! `os.LookupEnv` reads and `os.Setenv` writes.

use tree_sitter::Node;

use super::NodeExt;
use super::Reader;
use super::{
    AttrAssign, Call, EnvWrite, LanguageSyntax, Named, Parents, Region, Str, children,
    first_string_arg, method_callee, span_of, text_of,
};
use crate::source::Span;

pub(crate) struct Go;

/// How credlint reads Go: its grammar and engine syntax.
pub(crate) const READER: Reader = Reader {
    grammar: Some(|| tree_sitter_go::LANGUAGE.into()),
    syntax: Some(&Go),
};

fn callee_text(n: Node<'_>, text: &str) -> String {
    text_of(n, text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The pairs of `left := right` / `const left = right` (one per name).
fn pairs<'t>(left: Node<'t>, right: Node<'t>) -> Vec<(Node<'t>, Node<'t>)> {
    let l = if left.kind_name() == "expression_list" {
        children(left)
    } else {
        vec![left]
    };
    let r = if right.kind_name() == "expression_list" {
        children(right)
    } else {
        vec![right]
    };
    if l.len() != r.len() {
        return Vec::new();
    }
    l.into_iter().zip(r).collect()
}

impl LanguageSyntax for Go {
    fn region(&self, n: Node<'_>, _text: &str) -> Option<Region> {
        match n.kind_name() {
            "comment" => Some(Region::Comment),
            "interpreted_string_literal" | "raw_string_literal" | "rune_literal" => {
                Some(Region::String)
            }
            _ => None,
        }
    }

    fn imports(&self, n: Node<'_>, text: &str, out: &mut Vec<String>) {
        if n.kind_name() == "import_spec"
            && let Some(p) = n.field("path")
            && let Some(s) = super::plain_string(self, p, text)
        {
            out.push(s);
        }
    }

    fn binding<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        _up: &Parents<'t>,
    ) -> Option<(String, Node<'t>)> {
        let (left, right) = match n.kind_name() {
            "const_spec" | "var_spec" => (n.field("name")?, n.field("value")?),
            "short_var_declaration" => (n.field("left")?, n.field("right")?),
            _ => return None,
        };
        // One name per binding is enough for credentials (`const Org = "…"`).
        pairs(left, right)
            .into_iter()
            .find(|(l, _)| l.kind_name() == "identifier")
            .map(|(l, r)| (text_of(l, text).to_string(), r))
    }

    fn name_ref(&self, n: Node<'_>, text: &str) -> Option<String> {
        (n.kind_name() == "identifier").then(|| text_of(n, text).to_string())
    }

    fn call<'t>(&self, n: Node<'t>, text: &str, _up: &Parents<'t>) -> Option<Call<'t>> {
        match n.kind_name() {
            "call_expression" => {
                let function = n.field("function")?;
                let args = n.field("arguments")?;
                let (callee, receiver, method) = match function.kind_name() {
                    "selector_expression" => {
                        let operand = function.field("operand")?;
                        let field = function.field("field")?;
                        (
                            method_callee(operand, text_of(field, text), text),
                            Some(operand),
                            Some(span_of(field)),
                        )
                    }
                    "identifier" => (vec![text_of(function, text).to_string()], None, None),
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
                        .filter(|c| c.kind_name() != "comment")
                        .collect(),
                    args: span_of(args),
                    block_param: None,
                })
            }
            "composite_literal" => {
                let ty = n.field("type")?;
                let body = n.field("body")?;
                let mut named = Vec::new();
                for e in children(body) {
                    if e.kind_name() != "keyed_element" {
                        continue;
                    }
                    let (Some(k), Some(v)) = (e.field("key"), e.field("value")) else {
                        continue;
                    };
                    named.push(Named {
                        name: span_of(self.unwrap(k, text)),
                        value: v,
                        entry: span_of(e),
                    });
                }
                Some(Call {
                    node: n,
                    callee: crate::provider::segments(&callee_text(ty, text)),
                    receiver: None,
                    method: None,
                    named,
                    positional: Vec::new(),
                    args: span_of(body),
                    block_param: None,
                })
            }
            _ => None,
        }
    }

    fn string(&self, n: Node<'_>, text: &str) -> Option<Str> {
        let raw = match n.kind_name() {
            "interpreted_string_literal" => false,
            "raw_string_literal" => true,
            _ => return None,
        };
        let t = text_of(n, text);
        if t.len() < 2 {
            return None;
        }
        Some(Str {
            content: Span::new(n.start_byte() + 1, n.end_byte() - 1),
            quote: t.chars().next(),
            raw,
            interpolated: false,
        })
    }

    fn concat<'t>(&self, n: Node<'t>, text: &str) -> Option<Vec<Node<'t>>> {
        (n.kind_name() == "binary_expression"
            && n.field("operator").is_some_and(|o| text_of(o, text) == "+"))
        .then(|| Some(vec![n.field("left")?, n.field("right")?]))?
    }

    fn null(&self, n: Node<'_>, _text: &str) -> bool {
        n.kind_name() == "nil"
    }

    fn env_read<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        _up: &Parents<'t>,
    ) -> Option<(String, Option<Node<'t>>)> {
        if n.kind_name() != "call_expression" {
            return None;
        }
        if !super::text_is(n.field("function")?, text, &["os.Getenv", "os.LookupEnv"]) {
            return None;
        }
        let name = first_string_arg(self, n.field("arguments"), text)?;
        Some((name, None))
    }

    fn env_write<'t>(&self, n: Node<'t>, text: &str) -> Option<EnvWrite<'t>> {
        if n.kind_name() != "call_expression"
            || !super::text_is(n.field("function")?, text, &["os.Setenv"])
        {
            return None;
        }
        let args = children(n.field("arguments")?);
        let (name, value) = (args.first()?, args.get(1)?);
        Some(EnvWrite {
            name: self.string(*name, text)?.content,
            value: *value,
            entry: span_of(n),
        })
    }

    fn attr_assign<'t>(&self, n: Node<'t>, _text: &str) -> Option<AttrAssign<'t>> {
        if n.kind_name() != "assignment_statement" {
            return None;
        }
        let (left, value) = pairs(n.field("left")?, n.field("right")?)
            .into_iter()
            .find(|(l, _)| l.kind_name() == "selector_expression")?;
        Some(AttrAssign {
            receiver: left.field("operand")?,
            attr: span_of(left.field("field")?),
            value,
            entry: span_of(n),
        })
    }

    fn unwrap<'t>(&self, mut n: Node<'t>, text: &str) -> Node<'t> {
        for _ in 0..16 {
            match n.kind_name() {
                "parenthesized_expression" | "literal_element" => match n.named_child(0) {
                    Some(c) => n = c,
                    None => break,
                },
                "expression_list" if n.named_child_count() == 1 => match n.named_child(0) {
                    Some(c) => n = c,
                    None => break,
                },
                "unary_expression" if text_of(n, text).starts_with('&') => {
                    match n.field("operand") {
                        Some(c) => n = c,
                        None => break,
                    }
                }
                _ => break,
            }
        }
        n
    }
}
