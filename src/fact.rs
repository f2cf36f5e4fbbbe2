//! Facts: the only contract between the extractors and the rules.
//!
//! An extractor turns one file into a [`FileFacts`]: plain data with byte
//! spans into the file's decoded text. Rules read facts, never files or
//! parsers, so a new file format is one extractor and no rule changes.

use std::fmt;

pub use crate::extract::format::{EnvRef, EnvRefSyntax};
use serde::{Deserialize, Serialize};

pub use crate::provider::Slot;
use crate::provider::{ProviderId, Providers};
use crate::redact::redact;
use crate::source::{Source, Span};

/// What a setting's value is made of.
#[derive(Debug, Serialize, Deserialize, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A value written out in the file.
    Literal,
    /// A value taken from elsewhere at run time (`${VAR}`, `os.environ/VAR`, …).
    Reference,
    /// Nothing, or only quotes.
    Empty,
    /// Code that computes the value (a function call, a variable that is not
    /// a resolvable constant): unknown statically.
    Expression,
}

/// The value side of a setting or definition.
#[derive(Debug, Serialize, Deserialize, Clone, PartialEq, Eq)]
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
#[derive(Debug, Serialize, Deserialize, Clone)]
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
    /// How this file would read the slot's variable instead of a literal, in
    /// its own syntax (`${{ secrets.OPENAI_API_KEY }}`,
    /// `os.environ/OPENAI_API_KEY`, `os.environ.get("OPENAI_ORG_ID")`), for
    /// help lines. `None` for env files.
    pub env_ref: Option<EnvRef>,
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

/// Where a definition comes from.
#[derive(Debug, Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DefSource {
    EnvFile,
    Compose,
    Kubernetes,
    /// A workflow `env:` entry (a `${{ secrets.X }}` value counts too).
    Workflow,
    Dockerfile,
    /// A shell `export X=…`.
    Shell,
    /// Another config that sets an environment variable.
    Config,
    /// Code that sets the process environment (`os.environ["X"] = …`).
    Code,
}

/// A variable defined by a file (an env-file line, a compose entry, …).
#[derive(Debug, Serialize, Deserialize, Clone)]
pub struct Definition {
    pub name: String,
    pub name_span: Span,
    pub value: Value,
    pub entry: Span,
    pub scope: u32,
    pub source: DefSource,
}

/// How a variable is read.
#[derive(Debug, Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadKind {
    /// An explicit env read in code: `os.environ["X"]`, `process.env.X`.
    Code,
    /// A reference in a config: compose `${X}`, LiteLLM `os.environ/X`,
    /// Spring `${X}`, Codex `env_key = "X"`.
    Config,
    /// A compose `X=${X}` entry: passes the host's X through.
    Passthrough,
}

/// What code does with the value of an env read.
#[derive(Debug, Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReadUse {
    /// The value is used: it must be set for the code to work.
    #[default]
    Value,
    /// Only whether it is set is asked (`if os.getenv("X"):`,
    /// `os.environ.get("X") is None`, `process.env.X ? … : …`, a skip
    /// marker): a missing variable is a branch the code takes on purpose.
    Probe,
    /// A fallback after a value the caller gave (`api_key or
    /// os.getenv("X")`, `apiKey ?? process.env.X`).
    Fallback,
}

/// A place that reads an environment variable at run time (a consumer).
#[derive(Debug, Serialize, Deserialize, Clone)]
pub struct EnvRead {
    pub name: String,
    pub span: Span,
    pub kind: ReadKind,
    /// The value used when the variable is unset (`os.getenv("X", "…")`,
    /// `${X:-…}`), when there is one.
    pub default: Option<Value>,
    pub scope: u32,
    /// What the code does with the value.
    pub usage: ReadUse,
    /// The other variables read in the same `or`/`||`/`??` chain
    /// (`os.getenv("GEMINI_API_KEY") or os.getenv("GOOGLE_API_KEY")`): any
    /// of them set gives the value.
    pub alternatives: Vec<String>,
}

/// A client constructor call, or a module-level client configuration
/// (`openai.api_key = …`). Its explicit arguments are settings with the same
/// scope; a slot without one is read from the SDK's env variable.
#[derive(Debug, Serialize, Deserialize, Clone)]
pub struct Client {
    pub provider: ProviderId,
    /// The constructor as written (`OpenAI`, `ChatOpenAI`, `option.WithAPIKey`).
    pub constructor: String,
    /// Which SDK or framework it belongs to (`openai-python`, `langchain`),
    /// from the provider data.
    pub sdk: String,
    pub span: Span,
    pub scope: u32,
    /// The call forwards arguments it does not spell out (`OpenAI(**kwargs)`,
    /// `new OpenAI({ ...options })`, `new OpenAI(config)`): they may set any
    /// slot.
    pub spread: bool,
}

/// What kind of unit a scope is.
#[derive(Debug, Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScopeKind {
    /// A whole file (an env file, a plain config).
    File,
    ComposeService,
    KubernetesContainer,
    WorkflowJob,
    WorkflowStep,
    LiteLlmEntry,
    ClientCall,
    /// A named section of a config (a Codex provider, a Continue model).
    Section,
}

/// A set of settings that apply together at run time. Scope 0 of every file
/// is the file itself and needs no `Scope` fact.
#[derive(Debug, Serialize, Deserialize, Clone)]
pub struct Scope {
    pub id: u32,
    pub kind: ScopeKind,
    /// The service, container, job or entry name, when it has one.
    pub name: String,
    pub span: Span,
    /// The enclosing scope (a workflow step's job), if any.
    pub parent: Option<u32>,
    /// Env files the scope loads (compose `env_file`), as written.
    pub env_files: Vec<String>,
}

/// A dependency declared in a manifest (requirements.txt, package.json, …)
/// or an import in code.
#[derive(Debug, Serialize, Deserialize, Clone)]
pub struct Dependency {
    /// The package as the ecosystem names it (`openai`, `@ai-sdk/openai`).
    pub package: String,
    /// The ecosystem of the manifest (`pypi`, `npm`, …): `openai` is a
    /// different SDK on each.
    pub ecosystem: String,
    /// The version requirement as written, if any.
    pub version: Option<String>,
    pub span: Span,
}

/// What a literal matched by a provider regex is.
#[derive(Debug, Serialize, Deserialize, Clone, Copy, PartialEq, Eq)]
pub enum LiteralKind {
    /// An API key; `pattern` indexes the provider's key patterns.
    Key {
        provider: ProviderId,
        pattern: usize,
    },
    Org,
    Project,
}

/// Where in a file a literal sits, as far as the extractor can tell.
#[derive(Debug, Serialize, Deserialize, Clone, Copy, PartialEq, Eq)]
pub enum TextContext {
    /// A value, a string, or text that is not known to be a comment.
    Value,
    /// A comment.
    Comment,
    /// Documentation prose (Markdown, reStructuredText, plain text,
    /// docstrings).
    Prose,
    /// Source code outside string literals and comments (an identifier).
    Code,
}

/// A key, org ID or project ID found by the provider regexes.
#[derive(Debug, Serialize, Deserialize, Clone)]
pub struct Literal {
    pub kind: LiteralKind,
    pub text: String,
    pub span: Span,
    pub context: TextContext,
}

/// A file that could not be parsed, at the syntax error.
#[derive(Debug, Serialize, Deserialize, Clone)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
}

/// A part of a file its extractor did not read in full (source nested
/// deeper than the parser walks): the facts there are missing, and its key
/// and ID literals were found as in a file read as text. Not a finding:
/// the run names the files that have one.
#[derive(Debug, Serialize, Deserialize, Clone)]
pub struct Truncation {
    /// Where the part starts.
    pub span: Span,
    pub message: String,
}

/// An inline suppression directive in a comment: `credlint: ignore[KEY001]`,
/// a bare `credlint: ignore`, or `credlint: ignore-file`. Found in every
/// decoded file by `crate::rule::suppress::scan`, applied after the rules run.
#[derive(Debug, Serialize, Deserialize, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// From `credlint:` through the closing `]` (or the word `ignore`).
    pub span: Span,
    /// The rule codes listed, upper-cased, each with its span; `None` for a
    /// directive without a list, which covers every rule.
    pub codes: Option<Vec<(String, Span)>>,
    /// `ignore-file`: covers the whole file.
    pub file: bool,
    /// The 1-based lines whose findings it covers, first and last: its own
    /// line, and the line after the comment when the comment stands alone
    /// on its line(s).
    pub lines: (usize, usize),
}

/// Everything one extractor learned about one file.
#[derive(Debug, Serialize, Deserialize, Default)]
pub struct FileFacts {
    pub settings: Vec<Setting>,
    pub definitions: Vec<Definition>,
    pub literals: Vec<Literal>,
    pub parse_errors: Vec<ParseError>,
    pub reads: Vec<EnvRead>,
    pub clients: Vec<Client>,
    pub scopes: Vec<Scope>,
    pub dependencies: Vec<Dependency>,
    pub suppressions: Vec<Suppression>,
    pub truncations: Vec<Truncation>,
    /// Places in documentation that tell users how to set the environment:
    /// a mention of an env template (`cp .env.example .env`), a `docker
    /// run -e NAME=` flag, a `NAME=value` line. A repository with one
    /// documents its variables.
    pub env_setup: Vec<EnvSetup>,
}

impl FileFacts {
    pub fn is_empty(&self) -> bool {
        self.settings.is_empty()
            && self.definitions.is_empty()
            && self.literals.is_empty()
            && self.parse_errors.is_empty()
            && self.reads.is_empty()
            && self.clients.is_empty()
            && self.scopes.is_empty()
            && self.dependencies.is_empty()
            && self.suppressions.is_empty()
            && self.truncations.is_empty()
            && self.env_setup.is_empty()
    }

    /// Drop the facts that belong to providers `keep` rejects (`providers`
    /// in credlint.toml): settings, clients and key literals by their
    /// provider, org/project ID literals by the providers whose ID patterns
    /// match them, definitions and reads of a provider's credential
    /// variables. Facts of no provider stay.
    pub fn retain_providers(&mut self, providers: &Providers, keep: impl Fn(ProviderId) -> bool) {
        let var_kept = |name: &str| providers.variable(name).is_none_or(|(p, _)| keep(p));
        self.settings.retain(|s| keep(s.provider));
        self.clients.retain(|c| keep(c.provider));
        self.definitions.retain(|d| var_kept(&d.name));
        self.reads.retain(|r| var_kept(&r.name));
        self.literals.retain(|l| match l.kind {
            LiteralKind::Key { provider, .. } => keep(provider),
            LiteralKind::Org | LiteralKind::Project => {
                let slot = if l.kind == LiteralKind::Org {
                    Slot::Org
                } else {
                    Slot::Project
                };
                providers.iter().any(|(id, p)| {
                    keep(id)
                        && p.ids
                            .iter()
                            .any(|i| i.slot == slot && i.whole.is_match(&l.text))
                })
            }
        });
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
        for sc in &self.scopes {
            let _ = fmt::write(
                &mut out,
                format_args!(
                    "scope {} {:?} {:?} @{}{}{}\n",
                    sc.id,
                    sc.kind,
                    sc.name,
                    pos(sc.span),
                    sc.parent
                        .map(|p| format!(" parent {p}"))
                        .unwrap_or_default(),
                    if sc.env_files.is_empty() {
                        String::new()
                    } else {
                        format!(" env_files {:?}", sc.env_files)
                    }
                ),
            );
        }
        for d in &self.definitions {
            let _ = fmt::write(
                &mut out,
                format_args!(
                    "definition {} = {} @{} scope {} from {:?}\n",
                    d.name,
                    ValueDisplay(
                        &d.value,
                        providers
                            .variable(&d.name)
                            .is_some_and(|(_, v)| v.slot == Slot::Key),
                        providers
                    ),
                    pos(d.value.span),
                    d.scope,
                    d.source
                ),
            );
        }
        for r in &self.reads {
            let default = r
                .default
                .as_ref()
                .map(|v| format!(" default {}", ValueDisplay(v, true, providers)))
                .unwrap_or_default();
            let usage = match r.usage {
                ReadUse::Value => "",
                ReadUse::Probe => " probe",
                ReadUse::Fallback => " fallback",
            };
            let alternatives = if r.alternatives.is_empty() {
                String::new()
            } else {
                format!(" or {}", r.alternatives.join(" "))
            };
            let _ = fmt::write(
                &mut out,
                format_args!(
                    "read {} {:?} @{} scope {}{default}{usage}{alternatives}\n",
                    r.name,
                    r.kind,
                    pos(r.span),
                    r.scope
                ),
            );
        }
        for c in &self.clients {
            let _ = fmt::write(
                &mut out,
                format_args!(
                    "client {}/{} {} @{} scope {}{}\n",
                    providers.get(c.provider).name,
                    c.sdk,
                    c.constructor,
                    pos(c.span),
                    c.scope,
                    if c.spread { " spread" } else { "" }
                ),
            );
        }
        for d in &self.dependencies {
            let _ = fmt::write(
                &mut out,
                format_args!(
                    "dependency {} {} @{}\n",
                    d.package,
                    d.version.as_deref().unwrap_or("*"),
                    pos(d.span)
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
                    ValueDisplay(&s.value, s.slot == Slot::Key, providers),
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
                        redact(&l.text, providers),
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
        for s in &self.suppressions {
            let codes = match &s.codes {
                None => "all".to_string(),
                Some(c) => c
                    .iter()
                    .map(|(c, _)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            };
            let _ = fmt::write(
                &mut out,
                format_args!(
                    "suppression{} {codes} lines {}-{} @{}\n",
                    if s.file { " file" } else { "" },
                    s.lines.0,
                    s.lines.1,
                    pos(s.span)
                ),
            );
        }
        for e in &self.parse_errors {
            let _ = fmt::write(
                &mut out,
                format_args!("parse-error @{}: {}\n", pos(e.span), e.message),
            );
        }
        for e in &self.env_setup {
            let _ = fmt::write(
                &mut out,
                format_args!(
                    "env-setup {} @{}\n",
                    e.name.as_deref().unwrap_or("template"),
                    pos(e.span)
                ),
            );
        }
        for t in &self.truncations {
            let _ = fmt::write(
                &mut out,
                format_args!("truncated @{}: {}\n", pos(t.span), t.message),
            );
        }
        out
    }
}

/// A place in documentation that tells users how to set the environment.
#[derive(Debug, Serialize, Deserialize, Clone, PartialEq, Eq)]
pub struct EnvSetup {
    /// The variable it documents (`docker run -e NAME=`, a `NAME=value`
    /// line); `None` for a mention of an env template.
    pub name: Option<String>,
    pub span: Span,
}

/// Names of env templates that documentation may tell users to copy.
const TEMPLATE_NAMES: &[&str] = &[
    ".env.example",
    ".env.sample",
    ".env.template",
    "env.example",
];

/// Where documentation tells users how to set the environment (see
/// [`FileFacts::env_setup`]): mentions of an env template, `-e NAME=`
/// flags and `NAME=value` lines (`export` allowed) of upper-case names.
pub fn env_setup(text: &str) -> Vec<EnvSetup> {
    let mut out: Vec<EnvSetup> = TEMPLATE_NAMES
        .iter()
        .flat_map(|t| {
            text.match_indices(t).map(|(i, m)| EnvSetup {
                name: None,
                span: Span::new(i, i + m.len()),
            })
        })
        .take(4)
        .collect();
    // Where ` -e ` occurs, found in one pass rather than searched for in
    // each line.
    let flags: Vec<usize> = memchr::memmem::find_iter(text.as_bytes(), b" -e ").collect();
    let mut next_flag = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let mut rest = line.trim_start();
        let mut offset = start + (line.len() - rest.len());
        for prefix in ["export ", "-e ", "--env "] {
            if let Some(r) = rest.strip_prefix(prefix) {
                let t = r.trim_start();
                offset += rest.len() - t.len();
                rest = t;
            }
        }
        // `docker run … -e NAME=…` on one line.
        // The first ` -e ` within `rest` (which starts at `offset`).
        while flags.get(next_flag).is_some_and(|&f| f < offset) {
            next_flag += 1;
        }
        let flag = flags
            .get(next_flag)
            .filter(|&&f| f + 4 <= at)
            .map(|&f| f - offset)
            .filter(|_| !rest.starts_with(|c: char| c.is_ascii_uppercase()));
        if let Some(i) = flag {
            let t = rest[i + 4..].trim_start();
            offset += rest.len() - t.len();
            rest = t;
        }
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
            .count();
        let after = rest[len..].trim_start_matches(' ');
        if len >= 2 && rest.as_bytes()[0].is_ascii_uppercase() && after.starts_with('=') {
            out.push(EnvSetup {
                name: Some(rest[..len].to_string()),
                span: Span::new(offset, offset + len),
            });
        }
        if out.len() >= 256 {
            break;
        }
    }
    out.sort_unstable_by_key(|s| s.span.start);
    out
}

/// `text` with every key-like word (a run of key characters that holds a
/// key prefix) redacted.
fn redact_within(text: &str, providers: &Providers) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if crate::redact::looks_secret(word, providers) {
            out.push_str(&redact(word, providers));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

struct ValueDisplay<'a>(&'a Value, bool, &'a Providers);

impl fmt::Display for ValueDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        match v.kind {
            ValueKind::Empty => write!(f, "empty"),
            // Code may embed a key (`"sk-…" + suffix`, a default of an env
            // read): never print it.
            ValueKind::Expression => write!(f, "expression {:?}", redact_within(&v.text, self.2)),
            ValueKind::Reference => write!(
                f,
                "reference {:?} -> {}",
                redact_within(&v.text, self.2),
                v.reference.as_deref().unwrap_or("?")
            ),
            ValueKind::Literal => {
                let shown = if self.1 || crate::redact::looks_secret(&v.text, self.2) {
                    redact(&v.text, self.2)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(Option<String>, usize)> {
        env_setup(text)
            .into_iter()
            .map(|e| (e.name, e.span.start))
            .collect()
    }

    #[test]
    fn env_setup_reads_names_flags_and_templates() {
        let text = "cp .env.example .env\nexport OPENAI_API_KEY=sk\n  -e MODEL=x\n\
                    docker run -e ANTHROPIC_API_KEY=y img\nDEBUG -e NOT=1\nlower=1\n";
        assert_eq!(
            names(text),
            vec![
                (None, 3),
                (None, 4),
                (Some("OPENAI_API_KEY".into()), 28),
                (Some("MODEL".into()), 51),
                (Some("ANTHROPIC_API_KEY".into()), 73),
            ]
        );
        // Only the first ` -e ` of a line counts; a line may also start
        // with the flag.
        assert_eq!(
            names("run -e A_B=1 -e C_D=2\n -e XY=1\n"),
            vec![(Some("A_B".into()), 7), (Some("XY".into()), 26)]
        );
    }
}
