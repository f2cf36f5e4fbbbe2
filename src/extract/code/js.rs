//! JavaScript, TypeScript and TSX trees (tree-sitter-javascript,
//! tree-sitter-typescript): options objects of `new OpenAI({…})` and
//! `createOpenAI({…})`, `process.env.X` / `import.meta.env.X` reads
//! (destructuring too), template literals.

use tree_sitter::Node;

use super::NodeExt;
use super::Reader;
use super::{
    AttrAssign, Call, EnvWrite, LanguageSyntax, Named, Parents, Region, Str, children,
    method_callee, plain_string, span_of, text_of,
};
use super::{binary, member_assign};
use crate::source::Span;

pub(crate) struct Js;

/// How credlint reads JavaScript.
pub(crate) const JAVASCRIPT: Reader = Reader {
    grammar: Some(|| tree_sitter_javascript::LANGUAGE.into()),
    syntax: Some(&Js),
};

/// How credlint reads TypeScript.
pub(crate) const TYPESCRIPT: Reader = Reader {
    grammar: Some(|| tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into()),
    syntax: Some(&Js),
};

/// How credlint reads TSX.
pub(crate) const TSX: Reader = Reader {
    grammar: Some(|| tree_sitter_typescript::LANGUAGE_TSX.into()),
    syntax: Some(&Js),
};

/// `process.env`, `import.meta.env`, `Bun.env`.
fn is_env_object(n: Node<'_>, text: &str) -> bool {
    super::text_is(n, text, &["process.env", "import.meta.env", "Bun.env"])
}

impl Js {
    /// The variable a `process.env.X` / `process.env["X"]` member names,
    /// with the span of the name.
    fn env_member(&self, n: Node<'_>, text: &str) -> Option<(String, Span)> {
        match n.kind_name() {
            "member_expression" => {
                if !is_env_object(n.field("object")?, text) {
                    return None;
                }
                let p = n.field("property")?;
                Some((text_of(p, text).to_string(), span_of(p)))
            }
            "subscript_expression" => {
                if !is_env_object(n.field("object")?, text) {
                    return None;
                }
                let index = n.field("index")?;
                let s = self.string(index, text)?;
                Some((plain_string(self, index, text)?, s.content))
            }
            _ => None,
        }
    }

    fn is_assignment_target<'t>(n: Node<'t>, up: &Parents<'t>) -> bool {
        up.of(n).is_some_and(|p| {
            matches!(
                p.kind_name(),
                "assignment_expression" | "augmented_assignment_expression"
            ) && p.field("left").map(|l| l.id()) == Some(n.id())
        })
    }

    /// `const { X } = process.env` and `const { X = "d" } = process.env`.
    fn destructured<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        up: &Parents<'t>,
    ) -> Option<(String, Option<Node<'t>>)> {
        let (name, default, pattern) = match n.kind_name() {
            "shorthand_property_identifier_pattern" => {
                let parent = up.of(n)?;
                if parent.kind_name() == "object_assignment_pattern" {
                    return None;
                }
                (text_of(n, text).to_string(), None, parent)
            }
            "object_assignment_pattern" => {
                let left = n.field("left")?;
                if left.kind_name() != "shorthand_property_identifier_pattern" {
                    return None;
                }
                (text_of(left, text).to_string(), n.field("right"), up.of(n)?)
            }
            "pair_pattern" => {
                let key = n.field("key")?;
                let name =
                    plain_string(self, key, text).unwrap_or_else(|| text_of(key, text).to_string());
                let default = n
                    .field("value")
                    .filter(|v| v.kind_name() == "assignment_pattern")
                    .and_then(|v| v.field("right"));
                (name, default, up.of(n)?)
            }
            _ => return None,
        };
        if pattern.kind_name() != "object_pattern" {
            return None;
        }
        let decl = up.of(pattern)?;
        let value = match decl.kind_name() {
            "variable_declarator" => decl.field("value")?,
            "assignment_expression" => decl.field("right")?,
            _ => return None,
        };
        is_env_object(self.unwrap(value, text), text).then_some((name, default))
    }
}

impl LanguageSyntax for Js {
    fn region(&self, n: Node<'_>, _text: &str) -> Option<Region> {
        match n.kind_name() {
            "comment" | "html_comment" => Some(Region::Comment),
            "string" | "template_string" | "jsx_text" => Some(Region::String),
            _ => None,
        }
    }

    fn imports(&self, n: Node<'_>, text: &str, out: &mut Vec<String>) {
        match n.kind_name() {
            "import_statement" | "export_statement" => {
                if let Some(s) = n.field("source")
                    && let Some(m) = plain_string(self, s, text)
                {
                    out.push(m);
                }
            }
            "call_expression" => {
                let Some(f) = n.field("function") else {
                    return;
                };
                if matches!(text_of(f, text), "require" | "import")
                    && let Some(args) = n.field("arguments")
                    && let Some(m) = super::first_string_arg(self, Some(args), text)
                {
                    out.push(m);
                }
            }
            _ => {}
        }
    }

    fn binding<'t>(&self, n: Node<'t>, text: &str, up: &Parents<'t>) -> Option<(String, Node<'t>)> {
        match n.kind_name() {
            // `const { X } = process.env`: X is bound to an env read.
            "shorthand_property_identifier_pattern" | "object_assignment_pattern" => {
                self.destructured(n, text, up)?;
                let id = if n.kind_name() == "object_assignment_pattern" {
                    n.field("left")?
                } else {
                    n
                };
                Some((text_of(id, text).to_string(), n))
            }
            "variable_declarator" => {
                let name = n.field("name")?;
                let value = n.field("value")?;
                (name.kind_name() == "identifier").then(|| (text_of(name, text).to_string(), value))
            }
            // A class field `static ORG = "…"` / `private org = "…"`.
            "field_definition" | "public_field_definition" => {
                let name = n.field("property").or_else(|| n.field("name"))?;
                let value = n.field("value")?;
                Some((text_of(name, text).to_string(), value))
            }
            _ => None,
        }
    }

    fn name_ref(&self, n: Node<'_>, text: &str) -> Option<String> {
        match n.kind_name() {
            "identifier" | "shorthand_property_identifier" => Some(text_of(n, text).to_string()),
            "member_expression" => {
                let object = text_of(n.field("object")?, text);
                let prop = text_of(n.field("property")?, text);
                (object == "this" || object.chars().next().is_some_and(char::is_uppercase))
                    .then(|| prop.to_string())
            }
            _ => None,
        }
    }

    fn call<'t>(&self, n: Node<'t>, text: &str, _up: &Parents<'t>) -> Option<Call<'t>> {
        let function = match n.kind_name() {
            "call_expression" => n.field("function")?,
            "new_expression" => n.field("constructor")?,
            _ => return None,
        };
        let args = n.field("arguments")?;
        if args.kind_name() != "arguments" {
            return None;
        }
        let (callee, receiver, method) = match function.kind_name() {
            "member_expression" => {
                let object = function.field("object")?;
                let prop = function.field("property")?;
                (
                    method_callee(object, text_of(prop, text), text),
                    Some(object),
                    Some(span_of(prop)),
                )
            }
            "identifier" => (vec![text_of(function, text).to_string()], None, None),
            _ => return None,
        };
        let positional: Vec<Node<'t>> = children(args)
            .into_iter()
            .filter(|c| c.kind_name() != "comment")
            .collect();
        let mut named = Vec::new();
        if let Some(obj) = positional.first().map(|f| self.unwrap(*f, text))
            && obj.kind_name() == "object"
        {
            for p in children(obj) {
                match p.kind_name() {
                    "pair" => {
                        if let (Some(k), Some(v)) = (p.field("key"), p.field("value")) {
                            let name = match self.string(k, text) {
                                Some(s) => s.content,
                                None => span_of(k),
                            };
                            named.push(Named {
                                name,
                                value: v,
                                entry: span_of(p),
                            });
                        }
                    }
                    "shorthand_property_identifier" => named.push(Named {
                        name: span_of(p),
                        value: p,
                        entry: span_of(p),
                    }),
                    _ => {}
                }
            }
        }
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
        match n.kind_name() {
            "string" => {
                let t = text_of(n, text);
                let q = t.chars().next()?;
                let content = Span::new(
                    n.start_byte() + q.len_utf8(),
                    n.end_byte().saturating_sub(1).max(n.start_byte() + 1),
                );
                Some(Str {
                    content,
                    quote: Some(q),
                    raw: false,
                    interpolated: false,
                })
            }
            "template_string" => {
                let interpolated = children(n)
                    .iter()
                    .any(|c| c.kind_name() == "template_substitution");
                Some(Str {
                    content: Span::new(
                        n.start_byte() + 1,
                        n.end_byte().saturating_sub(1).max(n.start_byte() + 1),
                    ),
                    quote: Some('`'),
                    raw: false,
                    interpolated,
                })
            }
            _ => None,
        }
    }

    fn concat<'t>(&self, n: Node<'t>, text: &str) -> Option<Vec<Node<'t>>> {
        (n.kind_name() == "binary_expression"
            && n.field("operator").is_some_and(|o| text_of(o, text) == "+"))
        .then(|| Some(vec![n.field("left")?, n.field("right")?]))?
    }

    fn null(&self, n: Node<'_>, text: &str) -> bool {
        n.kind_name() == "null"
            || n.kind_name() == "undefined"
            || (n.kind_name() == "identifier" && text_of(n, text) == "undefined")
    }

    fn env_read<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        up: &Parents<'t>,
    ) -> Option<(String, Option<Node<'t>>)> {
        match n.kind_name() {
            "member_expression" | "subscript_expression" => {
                if Self::is_assignment_target(n, up) {
                    return None;
                }
                self.env_member(n, text).map(|(name, _)| (name, None))
            }
            "call_expression" => {
                // Deno.env.get("X")
                let f = n.field("function")?;
                if !super::text_is(f, text, &["Deno.env.get"]) {
                    return None;
                }
                let name = super::first_string_arg(self, n.field("arguments"), text)?;
                Some((name, None))
            }
            _ => self.destructured(n, text, up),
        }
    }

    fn env_write<'t>(&self, n: Node<'t>, text: &str) -> Option<EnvWrite<'t>> {
        if n.kind_name() != "assignment_expression" {
            return None;
        }
        let left = n.field("left")?;
        let (_, name) = self.env_member(left, text)?;
        Some(EnvWrite {
            name,
            value: n.field("right")?,
            entry: span_of(n),
        })
    }

    fn or_default<'t>(&self, n: Node<'t>, text: &str) -> Option<(Node<'t>, Node<'t>)> {
        binary(n, text, "binary_expression", &["||", "??"])
    }

    fn attr_assign<'t>(&self, n: Node<'t>, _text: &str) -> Option<AttrAssign<'t>> {
        member_assign(
            n,
            "assignment_expression",
            "member_expression",
            ("object", "property"),
        )
    }

    fn unwrap<'t>(&self, mut n: Node<'t>, _text: &str) -> Node<'t> {
        for _ in 0..16 {
            match n.kind_name() {
                "parenthesized_expression"
                | "as_expression"
                | "satisfies_expression"
                | "non_null_expression"
                | "type_assertion" => match n.named_child(0) {
                    Some(c) if c.kind_name() != "type_arguments" => n = c,
                    _ => break,
                },
                _ => break,
            }
        }
        n
    }
}
