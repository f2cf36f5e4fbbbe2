//! Rust trees (tree-sitter-rust): async-openai builders
//! (`OpenAIConfig::new().with_api_key(…).with_org_id(…)`), `std::env::var`
//! / `env!` reads (through `.unwrap()`, `?` and friends), `set_var` writes,
//! `const`/`static`/`let` bindings.

use tree_sitter::Node;

use super::Reader;
use super::{
    Call, EnvWrite, LanguageSyntax, Parents, Region, Str, children, first_string_arg,
    method_callee, span_of, text_of,
};
use crate::source::Span;

pub(crate) struct Rust;

/// How credlint reads Rust: its grammar and engine syntax.
pub(crate) const READER: Reader = Reader {
    grammar: Some(|| tree_sitter_rust::LANGUAGE.into()),
    syntax: Some(&Rust),
};

fn compact(n: Node<'_>, text: &str) -> String {
    text_of(n, text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Methods that pass a value through (`.unwrap()`, `.to_string()`).
const PASS_THROUGH: &[&str] = &[
    "unwrap",
    "expect",
    "unwrap_or_default",
    "to_string",
    "to_owned",
    "into",
    "as_str",
    "as_ref",
    "clone",
    "ok",
];

impl LanguageSyntax for Rust {
    fn region(&self, n: Node<'_>, _text: &str) -> Option<Region> {
        match n.kind() {
            "line_comment" | "block_comment" => Some(Region::Comment),
            "string_literal" | "raw_string_literal" | "char_literal" => Some(Region::String),
            _ => None,
        }
    }

    fn imports(&self, n: Node<'_>, text: &str, out: &mut Vec<String>) {
        if n.kind() == "use_declaration"
            && let Some(a) = n.child_by_field_name("argument")
        {
            let t = compact(a, text);
            out.push(t.split("::").next().unwrap_or("").to_string());
        }
    }

    fn binding<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        _up: &Parents<'t>,
    ) -> Option<(String, Node<'t>)> {
        let (name, value) = match n.kind() {
            "const_item" | "static_item" => (
                n.child_by_field_name("name")?,
                n.child_by_field_name("value")?,
            ),
            "let_declaration" => (
                n.child_by_field_name("pattern")?,
                n.child_by_field_name("value")?,
            ),
            _ => return None,
        };
        (name.kind() == "identifier").then(|| (text_of(name, text).to_string(), value))
    }

    fn name_ref(&self, n: Node<'_>, text: &str) -> Option<String> {
        match n.kind() {
            "identifier" => Some(text_of(n, text).to_string()),
            "scoped_identifier" => {
                let path = text_of(n.child_by_field_name("path")?, text);
                (path == "Self" || path.chars().next().is_some_and(char::is_uppercase))
                    .then(|| Some(text_of(n.child_by_field_name("name")?, text).to_string()))?
            }
            _ => None,
        }
    }

    fn call<'t>(&self, n: Node<'t>, text: &str, _up: &Parents<'t>) -> Option<Call<'t>> {
        if n.kind() != "call_expression" {
            return None;
        }
        let function = n.child_by_field_name("function")?;
        let args = n.child_by_field_name("arguments")?;
        let (callee, receiver, method) = match function.kind() {
            "field_expression" => {
                let value = function.child_by_field_name("value")?;
                let field = function.child_by_field_name("field")?;
                (
                    method_callee(value, text_of(field, text), text),
                    Some(value),
                    Some(span_of(field)),
                )
            }
            "scoped_identifier" | "identifier" => (
                crate::provider::segments(&compact(function, text)),
                None,
                None,
            ),
            "generic_function" => {
                let f = function.child_by_field_name("function")?;
                (crate::provider::segments(&compact(f, text)), None, None)
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
                .filter(|c| !matches!(c.kind(), "line_comment" | "block_comment"))
                .collect(),
            args: span_of(args),
            block_param: None,
        })
    }

    fn string(&self, n: Node<'_>, text: &str) -> Option<Str> {
        let raw = match n.kind() {
            "string_literal" => false,
            "raw_string_literal" => true,
            _ => return None,
        };
        let t = text_of(n, text);
        let open = t.find('"')? + 1;
        let close = t.rfind('"')?;
        if close < open {
            return None;
        }
        Some(Str {
            content: Span::new(n.start_byte() + open, n.start_byte() + close),
            quote: Some('"'),
            raw,
            interpolated: false,
        })
    }

    fn null(&self, n: Node<'_>, text: &str) -> bool {
        n.kind() == "identifier" && text_of(n, text) == "None"
    }

    fn env_read<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        up: &Parents<'t>,
    ) -> Option<(String, Option<Node<'t>>)> {
        match n.kind() {
            "call_expression" => {
                if !super::text_is(
                    n.child_by_field_name("function")?,
                    text,
                    &[
                        "std::env::var",
                        "env::var",
                        "std::env::var_os",
                        "env::var_os",
                        "dotenvy::var",
                        "dotenv::var",
                    ],
                ) {
                    return None;
                }
                let name = first_string_arg(self, n.child_by_field_name("arguments"), text)?;
                // `env::var("X").unwrap_or("d")`
                let default = up
                    .of(n)
                    .filter(|p| p.kind() == "field_expression")
                    .filter(|p| {
                        p.child_by_field_name("field")
                            .is_some_and(|f| text_of(f, text) == "unwrap_or")
                    })
                    .and_then(|p| up.of(p))
                    .and_then(|c| c.child_by_field_name("arguments"))
                    .and_then(|a| a.named_child(0));
                Some((name, default))
            }
            "macro_invocation" => {
                let m = text_of(n.child_by_field_name("macro")?, text);
                if !matches!(m, "env" | "option_env" | "std::env" | "core::env") {
                    return None;
                }
                let tt = children(n).into_iter().find(|c| c.kind() == "token_tree")?;
                let name = first_string_arg(self, Some(tt), text)?;
                Some((name, None))
            }
            _ => None,
        }
    }

    fn env_write<'t>(&self, n: Node<'t>, text: &str) -> Option<EnvWrite<'t>> {
        if n.kind() != "call_expression" {
            return None;
        }
        if !super::text_is(
            n.child_by_field_name("function")?,
            text,
            &["std::env::set_var", "env::set_var"],
        ) {
            return None;
        }
        let args = children(n.child_by_field_name("arguments")?);
        let (name, value) = (args.first()?, args.get(1)?);
        Some(EnvWrite {
            name: self.string(*name, text)?.content,
            value: *value,
            entry: span_of(n),
        })
    }

    fn or_default<'t>(&self, n: Node<'t>, text: &str) -> Option<(Node<'t>, Node<'t>)> {
        // `env::var("X").unwrap_or("d".into())`
        if n.kind() != "call_expression" {
            return None;
        }
        let f = n.child_by_field_name("function")?;
        let unwrap_or = f
            .child_by_field_name("field")
            .is_some_and(|x| text_of(x, text) == "unwrap_or");
        if f.kind() != "field_expression" || !unwrap_or {
            return None;
        }
        Some((
            f.child_by_field_name("value")?,
            n.child_by_field_name("arguments")?.named_child(0)?,
        ))
    }

    fn unwrap<'t>(&self, mut n: Node<'t>, text: &str) -> Node<'t> {
        for _ in 0..16 {
            match n.kind() {
                "parenthesized_expression" | "try_expression" | "reference_expression" => {
                    match n.child_by_field_name("value").or_else(|| n.named_child(0)) {
                        Some(c) => n = c,
                        None => break,
                    }
                }
                "call_expression" => {
                    let Some(f) = n.child_by_field_name("function") else {
                        break;
                    };
                    let pass = f.kind() == "field_expression"
                        && f.child_by_field_name("field")
                            .is_some_and(|x| PASS_THROUGH.contains(&text_of(x, text)));
                    match f.child_by_field_name("value") {
                        Some(v) if pass => n = v,
                        _ => {
                            // `String::from("…")`
                            if matches!(compact(f, text).as_str(), "String::from" | "Some")
                                && let Some(a) = n
                                    .child_by_field_name("arguments")
                                    .and_then(|a| a.named_child(0))
                            {
                                n = a;
                            } else {
                                break;
                            }
                        }
                    }
                }
                _ => break,
            }
        }
        n
    }
}
