//! Facts: the only contract between the extractors and the rules.
//!
//! An extractor turns one file into a [`FileFacts`]: plain data with byte
//! spans into the file's decoded text. Rules read facts, never files or
//! parsers, so a new file format is one extractor and no rule changes.

use std::fmt;

use crate::provider::{ProviderId, Providers};
use crate::redact::redact;
use crate::source::{Source, Span};

/// A credential slot of a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    Key,
    Org,
    Project,
    BaseUrl,
}

impl Slot {
    pub fn as_str(self) -> &'static str {
        match self {
            Slot::Key => "key",
            Slot::Org => "org",
            Slot::Project => "project",
            Slot::BaseUrl => "base_url",
        }
    }
}

/// What a setting's value is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A value written out in the file.
    Literal,
    /// A value taken from elsewhere at run time (`${VAR}`, `os.environ/VAR`, …).
    Reference,
    /// Nothing, or only quotes.
    Empty,
}

/// The value side of a setting or definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub kind: ValueKind,
    /// The decoded value (escapes resolved, quotes removed). For a reference,
    /// the reference as written.
    pub text: String,
    /// The variable a reference names, when it names one.
    pub reference: Option<String>,
    /// The value in the file: inside the quotes for a quoted value; empty at
    /// the position right after `=`/`:` for an empty value.
    pub span: Span,
    /// The quote character around the value, if any.
    pub quote: Option<char>,
}

/// One place that gives a value to a credential slot of a provider.
#[derive(Debug, Clone)]
pub struct Setting {
    pub provider: ProviderId,
    pub slot: Slot,
    /// The variable or config key as written (`OPENAI_API_KEY`, `api_key`).
    pub name: String,
    pub name_span: Span,
    pub value: Value,
    /// The whole entry (an env line), for fixes that delete it.
    pub entry: Span,
    /// Settings with the same scope id in one file apply together.
    pub scope: u32,
}

impl Setting {
    /// From the name through the value (`OPENAI_API_KEY=` for an empty
    /// value): where findings about the whole assignment point.
    pub fn assignment(&self) -> Span {
        Span::new(
            self.name_span.start.min(self.value.span.start),
            self.name_span.end.max(self.value.span.end),
        )
    }
}

/// A variable defined by a file (an env-file line, a compose entry, …).
#[derive(Debug, Clone)]
pub struct Definition {
    pub name: String,
    pub name_span: Span,
    pub value: Value,
    pub entry: Span,
    pub scope: u32,
}

/// What a literal matched by a provider regex is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiteralKind {
    /// An API key; `pattern` indexes the provider's key patterns.
    Key { provider: ProviderId, pattern: usize },
    Org,
    Project,
}

/// Where in a file a literal sits, as far as the extractor can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextContext {
    /// A value, a string, or text that is not known to be a comment.
    Value,
    /// A comment.
    Comment,
    /// Documentation prose (Markdown, reStructuredText, plain text).
    Prose,
}

/// A key, org ID or project ID found by the provider regexes.
#[derive(Debug, Clone)]
pub struct Literal {
    pub kind: LiteralKind,
    pub text: String,
    pub span: Span,
    pub context: TextContext,
}

/// A file that could not be parsed, at the syntax error.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
}

/// Everything one extractor learned about one file.
#[derive(Debug, Default)]
pub struct FileFacts {
    pub settings: Vec<Setting>,
    pub definitions: Vec<Definition>,
    pub literals: Vec<Literal>,
    pub parse_errors: Vec<ParseError>,
}

impl FileFacts {
    pub fn is_empty(&self) -> bool {
        self.settings.is_empty()
            && self.definitions.is_empty()
            && self.literals.is_empty()
            && self.parse_errors.is_empty()
    }

    /// One line per fact, with positions and secrets redacted: the form the
    /// extractor snapshots use, so that a parser change reads as a diff.
    pub fn render(&self, source: &Source, providers: &Providers) -> String {
        let mut out = String::new();
        let pos = |span: Span| {
            let a = source.position(span.start);
            let b = source.position(span.end);
            format!("{}:{}-{}:{}", a.line, a.column, b.line, b.column)
        };
        for d in &self.definitions {
            let _ = fmt::write(
                &mut out,
                format_args!(
                    "definition {} = {} @{} scope {}\n",
                    d.name,
                    ValueDisplay(&d.value, false),
                    pos(d.value.span),
                    d.scope
                ),
            );
        }
        for s in &self.settings {
            let _ = fmt::write(
                &mut out,
                format_args!(
                    "setting {}.{} {} = {} @{} scope {}\n",
                    providers.get(s.provider).name,
                    s.slot.as_str(),
                    s.name,
                    ValueDisplay(&s.value, s.slot == Slot::Key),
                    pos(s.value.span),
                    s.scope
                ),
            );
        }
        for l in &self.literals {
            let (kind, text) = match l.kind {
                LiteralKind::Key { provider, pattern } => {
                    let p = providers.get(provider);
                    (
                        format!("key {}/{}", p.name, p.keys[pattern].id),
                        redact(&l.text),
                    )
                }
                LiteralKind::Org => ("org".to_string(), l.text.clone()),
                LiteralKind::Project => ("project".to_string(), l.text.clone()),
            };
            let _ = fmt::write(
                &mut out,
                format_args!(
                    "literal {kind} {text} @{} in {:?}\n",
                    pos(l.span),
                    l.context
                ),
            );
        }
        for e in &self.parse_errors {
            let _ = fmt::write(
                &mut out,
                format_args!("parse-error @{}: {}\n", pos(e.span), e.message),
            );
        }
        out
    }
}

struct ValueDisplay<'a>(&'a Value, bool);

impl fmt::Display for ValueDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        match v.kind {
            ValueKind::Empty => write!(f, "empty"),
            ValueKind::Reference => write!(
                f,
                "reference {:?} -> {}",
                v.text,
                v.reference.as_deref().unwrap_or("?")
            ),
            ValueKind::Literal => {
                let shown = if self.1 || crate::redact::looks_secret(&v.text) {
                    redact(&v.text)
                } else {
                    v.text.clone()
                };
                match v.quote {
                    Some(q) => write!(f, "literal {q}{shown}{q}"),
                    None => write!(f, "literal {shown:?}"),
                }
            }
        }
    }
}
