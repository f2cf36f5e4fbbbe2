//! Rust trees (tree-sitter-rust): async-openai builders
//! (`OpenAIConfig::new().with_api_key(…).with_org_id(…)`), `std::env::var`
//! / `env!` reads (through `.unwrap()`, `?` and friends), `set_var` writes,
//! `const`/`static`/`let` bindings.

use tree_sitter::Node;

use super::NodeExt;
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
        match n.kind_name() {
            "line_comment" | "block_comment" => Some(Region::Comment),
            "string_literal" | "raw_string_literal" | "char_literal" => Some(Region::String),
            _ => None,
        }
    }

    fn imports(&self, n: Node<'_>, text: &str, out: &mut Vec<String>) {
        if n.kind_name() == "use_declaration"
            && let Some(a) = n.field("argument")
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
        let (name, value) = match n.kind_name() {
            "const_item" | "static_item" => (n.field("name")?, n.field("value")?),
            "let_declaration" => (n.field("pattern")?, n.field("value")?),
            _ => return None,
        };
        (name.kind_name() == "identifier").then(|| (text_of(name, text).to_string(), value))
    }

    fn name_ref(&self, n: Node<'_>, text: &str) -> Option<String> {
        match n.kind_name() {
            "identifier" => Some(text_of(n, text).to_string()),
            "scoped_identifier" => {
                let path = text_of(n.field("path")?, text);
                (path == "Self" || path.chars().next().is_some_and(char::is_uppercase))
                    .then(|| Some(text_of(n.field("name")?, text).to_string()))?
            }
            _ => None,
        }
    }

    fn call<'t>(&self, n: Node<'t>, text: &str, _up: &Parents<'t>) -> Option<Call<'t>> {
        if n.kind_name() != "call_expression" {
            return None;
        }
        let function = n.field("function")?;
        let args = n.field("arguments")?;
        let (callee, receiver, method) = match function.kind_name() {
            "field_expression" => {
                let value = function.field("value")?;
                let field = function.field("field")?;
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
                let f = function.field("function")?;
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
                .filter(|c| !matches!(c.kind_name(), "line_comment" | "block_comment"))
                .collect(),
            args: span_of(args),
            block_param: None,
        })
    }

    fn string(&self, n: Node<'_>, text: &str) -> Option<Str> {
        let raw = match n.kind_name() {
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
        n.kind_name() == "identifier" && text_of(n, text) == "None"
    }

    fn env_read<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        up: &Parents<'t>,
    ) -> Option<(String, Option<Node<'t>>)> {
        match n.kind_name() {
            "call_expression" => {
                if !super::text_is(
                    n.field("function")?,
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
                let name = first_string_arg(self, n.field("arguments"), text)?;
                // `env::var("X").unwrap_or("d")`
                let default = up
                    .of(n)
                    .filter(|p| p.kind_name() == "field_expression")
                    .filter(|p| {
                        p.field("field")
                            .is_some_and(|f| text_of(f, text) == "unwrap_or")
                    })
                    .and_then(|p| up.of(p))
                    .and_then(|c| c.field("arguments"))
                    .and_then(|a| a.named_child(0));
                Some((name, default))
            }
            "macro_invocation" => {
                let m = text_of(n.field("macro")?, text);
                if !matches!(m, "env" | "option_env" | "std::env" | "core::env") {
                    return None;
                }
                let tt = children(n)
                    .into_iter()
                    .find(|c| c.kind_name() == "token_tree")?;
                let name = first_string_arg(self, Some(tt), text)?;
                Some((name, None))
            }
            _ => None,
        }
    }

    fn env_write<'t>(&self, n: Node<'t>, text: &str) -> Option<EnvWrite<'t>> {
        if n.kind_name() != "call_expression" {
            return None;
        }
        if !super::text_is(
            n.field("function")?,
            text,
            &["std::env::set_var", "env::set_var"],
        ) {
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

    fn or_default<'t>(&self, n: Node<'t>, text: &str) -> Option<(Node<'t>, Node<'t>)> {
        // `env::var("X").unwrap_or("d".into())`
        if n.kind_name() != "call_expression" {
            return None;
        }
        let f = n.field("function")?;
        let unwrap_or = f
            .field("field")
            .is_some_and(|x| text_of(x, text) == "unwrap_or");
        if f.kind_name() != "field_expression" || !unwrap_or {
            return None;
        }
        Some((f.field("value")?, n.field("arguments")?.named_child(0)?))
    }

    fn unwrap<'t>(&self, mut n: Node<'t>, text: &str) -> Node<'t> {
        for _ in 0..16 {
            match n.kind_name() {
                "parenthesized_expression" | "try_expression" | "reference_expression" => {
                    match n.field("value").or_else(|| n.named_child(0)) {
                        Some(c) => n = c,
                        None => break,
                    }
                }
                "call_expression" => {
                    let Some(f) = n.field("function") else {
                        break;
                    };
                    let pass = f.kind_name() == "field_expression"
                        && f.field("field")
                            .is_some_and(|x| PASS_THROUGH.contains(&text_of(x, text)));
                    match f.field("value") {
                        Some(v) if pass => n = v,
                        _ => {
                            // `String::from("…")`
                            if matches!(compact(f, text).as_str(), "String::from" | "Some")
                                && let Some(a) = n.field("arguments").and_then(|a| a.named_child(0))
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
