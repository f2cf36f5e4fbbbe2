//! Python trees (tree-sitter-python): keyword arguments, module attribute
//! assignments (`openai.api_key = …`), `os.environ` / `os.getenv` reads,
//! docstrings as prose.

use tree_sitter::Node;

use super::NodeExt;
use super::Reader;
use super::{
    AttrAssign, Call, EnvWrite, LanguageSyntax, Named, Parents, Region, Str, children,
    first_string_arg, method_callee, plain_string, span_of, text_is, text_of,
};
use super::{binary, member_assign};
use crate::source::Span;

pub(crate) struct Python;

/// How credlint reads Python: its grammar and engine syntax.
pub(crate) const READER: Reader = Reader {
    grammar: Some(|| tree_sitter_python::LANGUAGE.into()),
    syntax: Some(&Python),
};

fn is_environ(n: Node<'_>, text: &str) -> bool {
    text_is(n, text, &["os.environ", "environ"])
}

impl Python {
    /// `os.environ["X"]` on either side of an assignment.
    fn environ_key<'t>(&self, n: Node<'t>, text: &str) -> Option<Node<'t>> {
        if n.kind_name() != "subscript" || !is_environ(n.field("value")?, text) {
            return None;
        }
        let key = n.field("subscript")?;
        self.string(key, text).filter(|s| !s.interpolated)?;
        Some(key)
    }
}

impl LanguageSyntax for Python {
    fn region(&self, n: Node<'_>, _text: &str) -> Option<Region> {
        match n.kind_name() {
            "comment" => Some(Region::Comment),
            "string" | "concatenated_string" => Some(Region::String),
            // A string that is a whole statement is a docstring (or
            // commented-out text): prose.
            "expression_statement"
                if n.named_child_count() == 1
                    && n.named_child(0).is_some_and(|c| {
                        matches!(c.kind_name(), "string" | "concatenated_string")
                    }) =>
            {
                Some(Region::Prose)
            }
            _ => None,
        }
    }

    fn imports(&self, n: Node<'_>, text: &str, out: &mut Vec<String>) {
        match n.kind_name() {
            "import_statement" => {
                for c in children(n) {
                    let name = match c.kind_name() {
                        "aliased_import" => c.field("name"),
                        "dotted_name" => Some(c),
                        _ => None,
                    };
                    out.extend(name.map(|m| text_of(m, text).to_string()));
                }
            }
            "import_from_statement" => {
                if let Some(m) = n.field("module_name") {
                    out.push(text_of(m, text).to_string());
                }
            }
            _ => {}
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
        let right = n.field("right")?;
        (left.kind_name() == "identifier").then(|| (text_of(left, text).to_string(), right))
    }

    fn name_ref(&self, n: Node<'_>, text: &str) -> Option<String> {
        match n.kind_name() {
            "identifier" => Some(text_of(n, text).to_string()),
            // `self.ORG`, `cls.ORG`, `Settings.ORG`: a class attribute.
            "attribute" => {
                let object = text_of(n.field("object")?, text);
                let attr = text_of(n.field("attribute")?, text);
                let class_like = object == "self"
                    || object == "cls"
                    || object.chars().next().is_some_and(char::is_uppercase);
                class_like.then(|| attr.to_string())
            }
            _ => None,
        }
    }

    fn call<'t>(&self, n: Node<'t>, text: &str, _up: &Parents<'t>) -> Option<Call<'t>> {
        if n.kind_name() != "call" {
            return None;
        }
        let function = n.field("function")?;
        let args = n.field("arguments")?;
        let (callee, receiver, method) = match function.kind_name() {
            "attribute" => {
                let object = function.field("object")?;
                let attr = function.field("attribute")?;
                (
                    method_callee(object, text_of(attr, text), text),
                    Some(object),
                    Some(span_of(attr)),
                )
            }
            "identifier" => (vec![text_of(function, text).to_string()], None, None),
            _ => return None,
        };
        let mut named = Vec::new();
        let mut positional = Vec::new();
        let mut splat = false;
        if args.kind_name() == "argument_list" {
            for a in children(args) {
                match a.kind_name() {
                    "keyword_argument" => {
                        if let (Some(k), Some(v)) = (a.field("name"), a.field("value")) {
                            named.push(Named {
                                name: span_of(k),
                                value: v,
                                entry: span_of(a),
                            });
                        }
                    }
                    "comment" => {}
                    "list_splat" | "dictionary_splat" => splat = true,
                    _ if !splat => positional.push(a),
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
        if n.kind_name() != "string" {
            return None;
        }
        let mut start = None;
        let mut end = None;
        let mut interpolated = false;
        for c in children(n) {
            match c.kind_name() {
                "string_start" => start = Some(c),
                "string_end" => end = Some(c),
                "interpolation" => interpolated = true,
                _ => {}
            }
        }
        let (start, end) = (start?, end?);
        let opener = text_of(start, text);
        let prefix = opener.trim_end_matches(['"', '\'']);
        Some(Str {
            content: Span::new(start.end_byte(), end.start_byte().max(start.end_byte())),
            quote: opener.chars().last(),
            raw: prefix.contains(['r', 'R']),
            interpolated,
        })
    }

    fn concat<'t>(&self, n: Node<'t>, text: &str) -> Option<Vec<Node<'t>>> {
        match n.kind_name() {
            "concatenated_string" => Some(children(n)),
            "binary_operator" if n.field("operator").is_some_and(|o| text_of(o, text) == "+") => {
                Some(vec![n.field("left")?, n.field("right")?])
            }
            _ => None,
        }
    }

    fn null(&self, n: Node<'_>, _text: &str) -> bool {
        n.kind_name() == "none"
    }

    fn env_read<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        up: &Parents<'t>,
    ) -> Option<(String, Option<Node<'t>>)> {
        match n.kind_name() {
            "subscript" => {
                let key = self.environ_key(n, text)?;
                // The target of `os.environ["X"] = …` is a write.
                let parent = up.of(n)?;
                if parent.kind_name() == "assignment"
                    && parent.field("left").map(|l| l.id()) == Some(n.id())
                {
                    return None;
                }
                Some((plain_string(self, key, text)?, None))
            }
            "call" => {
                let function = n.field("function")?;
                if !text_is(
                    function,
                    text,
                    &["os.environ.get", "environ.get", "os.getenv", "getenv"],
                ) {
                    return None;
                }
                let args = n.field("arguments")?;
                let name = first_string_arg(self, Some(args), text)?;
                let cs = children(args);
                let default = cs
                    .iter()
                    .find(|a| {
                        a.kind_name() == "keyword_argument"
                            && a.field("name")
                                .is_some_and(|k| text_of(k, text) == "default")
                    })
                    .and_then(|a| a.field("value"))
                    .or_else(|| {
                        cs.iter()
                            .filter(|a| !matches!(a.kind_name(), "comment" | "keyword_argument"))
                            .nth(1)
                            .copied()
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
        let key = self.environ_key(n.field("left")?, text)?;
        let s = self.string(key, text)?;
        Some(EnvWrite {
            name: s.content,
            value: n.field("right")?,
            entry: span_of(n),
        })
    }

    fn or_default<'t>(&self, n: Node<'t>, text: &str) -> Option<(Node<'t>, Node<'t>)> {
        binary(n, text, "boolean_operator", &["or"])
    }

    fn attr_assign<'t>(&self, n: Node<'t>, _text: &str) -> Option<AttrAssign<'t>> {
        member_assign(n, "assignment", "attribute", ("object", "attribute"))
    }

    fn unwrap<'t>(&self, mut n: Node<'t>, _text: &str) -> Node<'t> {
        while n.kind_name() == "parenthesized_expression" {
            match n.named_child(0) {
                Some(c) => n = c,
                None => break,
            }
        }
        n
    }
}
