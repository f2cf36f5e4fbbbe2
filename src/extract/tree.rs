//! A config document as a format-neutral tree with spans. The YAML, TOML and
//! JSON parsers each produce a [`ConfigFile`]; the config families (compose,
//! Kubernetes, workflows, LiteLLM, …) read credentials off the tree without
//! knowing which format it came from.

use crate::fact::ParseError;
use crate::source::Span;

/// A map key as written, decoded, with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub text: String,
    pub span: Span,
}

/// The type a plain (unquoted) scalar has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    String,
    Number,
    Bool,
    /// `null`, `~`, or nothing at all (`key:` in YAML).
    Null,
}

/// A leaf value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// The decoded value (escapes resolved, quotes removed, block scalars
    /// folded as the format says).
    pub text: String,
    /// The quote character, if the value was quoted.
    pub quote: Option<char>,
    pub ty: ScalarType,
}

/// What a node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// Entries in document order (duplicates kept: ENV003 wants them).
    Map(Vec<(Key, Node)>),
    Seq(Vec<Node>),
    Scalar(Scalar),
}

/// One node and its span. For a quoted scalar the span is inside the
/// quotes; for an empty/null value it is zero-length where the value would
/// start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

impl Node {
    /// The value of key `name` in a map node (the last one if repeated).
    pub fn get(&self, name: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.text == name)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The scalar, if this is one.
    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The entries of a map node (empty for other nodes).
    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.kind {
            NodeKind::Map(e) => e,
            _ => &[],
        }
    }

    /// The items of a sequence node (empty for other nodes).
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Seq(i) => i,
            _ => &[],
        }
    }
}

/// A parsed config file: its documents (YAML may have several), its
/// comments, and the syntax error that stopped parsing, if any. On an error
/// the documents parsed before it are kept.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    pub docs: Vec<Node>,
    pub comments: Vec<Span>,
    pub error: Option<ParseError>,
}
