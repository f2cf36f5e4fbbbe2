//! Source code: credentials read off a tree-sitter parse tree.
//!
//! This module owns the reading of source files in the languages credlint
//! parses (Python, JavaScript, TypeScript/TSX, Go, Java, C#, Ruby, Rust, PHP,
//! Bash) and of Jupyter notebooks ([`notebook`]). From one parse it learns:
//!
//! - **regions**: where comments, docstrings (prose) and string literals
//!   are, so the literal scan tells an org ID in a string from one in a
//!   comment or an identifier;
//! - **clients**: every call of a constructor listed in the providers'
//!   `[[clients]]` tables, each a [`Client`] fact with its own
//!   [`ScopeKind::ClientCall`] scope, and its credential arguments (named
//!   arguments, options objects, positional arguments, option calls such as
//!   `option.WithAPIKey`, builder methods such as `.apiKey(…)`, attribute
//!   assignments such as `openai.api_key = …`) as [`Setting`]s in that scope;
//! - **env reads** of every variable (`os.environ["X"]`, `process.env.X`,
//!   …), with their defaults, and env writes (`os.environ["X"] = …`) as
//!   definitions.
//!
//! Each value is classified: a literal (escapes decoded; a concatenation of
//! literals is a literal), an env read (a reference naming its variable), or
//! another expression (unknown statically). An identifier bound once in the
//! file to a literal or an env read (a module constant, a class attribute, a
//! `const`) resolves to that value, and the setting's value span is then the
//! constant's literal, so that a finding points at the text to change (the
//! setting's name span stays at the argument).
//!
//! The languages differ only in how these shapes look in their trees: each
//! language module implements [`LanguageSyntax`], and the engine here does the rest.
//!
//! The work is linear in the file however deep it nests: parents come from
//! the walk that visits the nodes ([`Parents`]), never from tree-sitter's
//! `Node::parent` (which searches down from the root), and the upward
//! searches (the client call whose arguments hold a node, the block whose
//! parameter an attribute assignment names) keep each node's answer. The
//! walk stops at [`MAX_DEPTH`] levels; below them a file is read as text.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::{Node, Parser, Tree};

use crate::fact::{
    Client, DefSource, Definition, EnvRead, FileFacts, Literal, LiteralKind, ReadKind, ReadUse,
    Scope, ScopeKind, Setting, Slot, TextContext, Value, ValueKind,
};
use crate::progress::timings::{self, Count, Phase};
use crate::provider::{ClientSpec, ProviderId, Providers};
use crate::source::Span;
use crate::walk::Language;

use super::format::{EnvRef, EnvRefSyntax};
use super::{Extracted, Regions};
use node::IdMap;
pub(crate) use node::NodeExt;

mod bash;
mod csharp;
mod go;
mod java;
mod js;
mod node;
pub mod notebook;
mod php;
mod python;
mod ruby;
mod rust;
pub(crate) mod window;
#[cfg(test)]
mod window_tests;

/// Larger source files are scanned as text, not parsed: they are generated
/// (bundles, bindings), and a parse would cost more than the whole rest of
/// a run.
pub const MAX_PARSE_BYTES: usize = 1 << 20;

/// Parse-tree levels the engine walks. Below them (only generated code
/// nests so deep: long `else if` or `+` chains, machine-written
/// expressions) a subtree is not searched for clients, settings and env
/// reads: its text is read as an unparsed file's is (key and ID literals
/// are still found there, in any context), the file gets a
/// [`crate::fact::Truncation`] fact, and the run says so. Every walk is
/// linear in the nodes it visits; the bound keeps the engine's recursion
/// (nested client constructors) and its memory per node small.
pub const MAX_DEPTH: usize = 1024;

thread_local! {
    /// Parent lookups made on this thread, for [`extract_work`].
    static WORK: Cell<u64> = const { Cell::new(0) };
}

fn count_work(n: u64) {
    WORK.with(|w| w.set(w.get().wrapping_add(n)));
}

/// [`extract`], and the work its parent lookups cost: one per lookup of a
/// walked node, one per level descended for any other. For the tests that
/// hold the extractors linear in the nesting.
#[doc(hidden)]
pub fn extract_work(lang: Language, text: &str, providers: &Providers) -> (Option<Extracted>, u64) {
    WORK.with(|w| w.set(0));
    let found = extract(lang, text, providers);
    (found, WORK.with(Cell::get))
}

/// The parents of a tree's nodes, recorded by the walk that visits them.
/// tree-sitter's own `Node::parent` searches down from the root, so it
/// costs the node's depth: one lookup from each of many deep nodes, or a
/// walk up from one, would cost the square of the nesting (50,000 nested
/// parentheses took minutes).
pub(crate) struct Parents<'t> {
    root: Option<Node<'t>>,
    map: IdMap<Node<'t>>,
}

impl<'t> Parents<'t> {
    pub(crate) fn new() -> Self {
        Parents {
            root: None,
            map: IdMap::default(),
        }
    }

    /// Room for the named nodes under `root` (about half of its nodes are
    /// punctuation and keywords), so the table is not grown node by node.
    pub(crate) fn under(root: Node<'t>) -> Self {
        let mut map = IdMap::default();
        map.reserve(root.descendant_count() / 2);
        Parents { root: None, map }
    }

    pub(crate) fn record(&mut self, n: Node<'t>, parent: Option<Node<'t>>) {
        match parent {
            Some(p) => {
                self.map.insert(n.id(), p);
            }
            None => self.root = Some(n),
        }
    }

    /// The parent of `n`. A node the walk did not record (below
    /// [`MAX_DEPTH`], under a token) is found from the root down, at the
    /// cost of its depth.
    pub(crate) fn of(&self, n: Node<'t>) -> Option<Node<'t>> {
        count_work(1);
        if let Some(&p) = self.map.get(&n.id()) {
            return Some(p);
        }
        let Some(mut at) = self.root else {
            return n.parent();
        };
        let mut parent = None;
        while at.id() != n.id() {
            count_work(1);
            let below = at.child_with_descendant(n)?;
            parent = Some(at);
            at = below;
        }
        parent
    }
}

/// How credlint reads one source language: its grammar and the engine's
/// syntax. Each language module holds its own; [`reader`] lists them.
pub(crate) struct Reader {
    /// The tree-sitter grammar, if credlint parses the language.
    pub grammar: Option<fn() -> tree_sitter::Language>,
    /// How the engine reads its trees; `None` for a language read by an
    /// extractor of its own (shell) or by none.
    pub syntax: Option<&'static dyn LanguageSyntax>,
}

/// The reader of a language.
pub(crate) fn reader(lang: Language) -> &'static Reader {
    match lang {
        Language::Python => &python::READER,
        Language::JavaScript => &js::JAVASCRIPT,
        Language::TypeScript => &js::TYPESCRIPT,
        Language::Tsx => &js::TSX,
        Language::Go => &go::READER,
        Language::Java => &java::READER,
        Language::CSharp => &csharp::READER,
        Language::Ruby => &ruby::READER,
        Language::Rust => &rust::READER,
        Language::Php => &php::READER,
        Language::Shell => &bash::READER,
        Language::Other => &Reader {
            grammar: None,
            syntax: None,
        },
    }
}

/// The tree-sitter grammar of a language, if credlint parses it.
pub fn grammar(lang: Language) -> Option<tree_sitter::Language> {
    reader(lang).grammar.map(|g| g())
}

/// Parse `text` as `lang`.
pub fn parse(lang: Language, text: &str) -> Option<Tree> {
    with_parser(lang, |parser| {
        parser.set_included_ranges(&[]).ok()?;
        parser.parse(text, None)
    })
}

thread_local! {
    /// This thread's parser of each language, kept from file to file.
    static PARSERS: RefCell<Vec<(Language, Parser)>> = const { RefCell::new(Vec::new()) };
}

/// Run `f` with this thread's parser of `lang` (a new one if that is in
/// use). A parse that gave no tree leaves its parser reset.
fn with_parser<R>(lang: Language, f: impl FnOnce(&mut Parser) -> Option<R>) -> Option<R> {
    let run = |parser: &mut Parser| {
        let out = f(parser);
        if out.is_none() {
            parser.reset();
        }
        out
    };
    PARSERS.with(|parsers| {
        let Ok(mut parsers) = parsers.try_borrow_mut() else {
            let mut parser = Parser::new();
            parser.set_language(&grammar(lang)?).ok()?;
            return run(&mut parser);
        };
        let at = match parsers.iter().position(|(l, _)| *l == lang) {
            Some(at) => at,
            None => {
                let mut parser = Parser::new();
                parser.set_language(&grammar(lang)?).ok()?;
                parsers.push((lang, parser));
                parsers.len() - 1
            }
        };
        run(&mut parsers[at].1)
    })
}

/// Parse only the byte ranges `windows` of `text` (sorted, disjoint); the
/// tree's positions are the file's.
fn parse_ranges(lang: Language, text: &str, windows: &[Range<usize>]) -> Option<Tree> {
    // Rows are counted from the previous point on: the windows are sorted,
    // so the text is read once however many there are.
    let (mut row, mut last, mut line_start) = (0, 0, 0);
    let bytes = text.as_bytes();
    let mut point = |at: usize| {
        let at = at.max(last).min(bytes.len());
        let between = &bytes[last..at];
        row += memchr::memchr_iter(b'\n', between).count();
        if let Some(n) = memchr::memrchr(b'\n', between) {
            line_start = last + n + 1;
        }
        last = at;
        tree_sitter::Point {
            row,
            column: at - line_start,
        }
    };
    let mut ranges: Vec<tree_sitter::Range> = Vec::with_capacity(windows.len());
    for w in windows {
        let start_point = point(w.start);
        let end_point = point(w.end);
        ranges.push(tree_sitter::Range {
            start_byte: w.start,
            end_byte: w.end,
            start_point,
            end_point,
        });
    }
    with_parser(lang, |parser| {
        parser.set_included_ranges(&ranges).ok()?;
        parser.parse(text, None)
    })
}

fn syntax(lang: Language) -> Option<&'static dyn LanguageSyntax> {
    reader(lang).syntax
}

/// Extract the facts and regions of one source file. Languages without a
/// grammar get nothing (the raw-text literal scan covers them).
pub fn extract(lang: Language, text: &str, providers: &Providers) -> Option<Extracted> {
    if lang == Language::Shell {
        let tree = parse(lang, text)?;
        return Some(node::in_tree(tree.root_node(), || {
            bash::extract(&tree, text, providers)
        }));
    }
    let syn = syntax(lang)?;
    timings::count(Count::ParsesWhole, 1);
    timings::count(Count::BytesParsedWhole, text.len() as u64);
    let tree = timings::time(Phase::ParseWhole, || parse(lang, text))?;
    timings::time(Phase::Engine, || {
        let mut engine = Engine::new(lang, syn, text, providers);
        node::in_tree(tree.root_node(), || engine.run(tree.root_node()));
        Some(engine.finish())
    })
}

/// [`extract`], parsing only the chunks of the file around `hits` (byte
/// offsets of what made the file worth parsing) when that gives the same
/// facts as a whole-file parse (see [`window`]).
pub fn extract_around(
    lang: Language,
    text: &str,
    hits: &[usize],
    providers: &Providers,
) -> Option<Extracted> {
    if let Some(windows) = timings::time(Phase::Plan, || window::plan(lang, text, hits)) {
        if let Some(found) = extract_windows(lang, text, &windows, providers) {
            return Some(found);
        }
        timings::count(Count::WindowFallbacks, 1);
    } else if text.len() < window::MIN_BYTES {
        timings::count(Count::WholeSmall, text.len() as u64);
    } else if window::windowed(lang) {
        timings::count(Count::WholeDense, text.len() as u64);
    } else {
        timings::count(Count::WholeLanguage, text.len() as u64);
    }
    extract(lang, text, providers)
}

/// Windowed extraction with the size threshold off, for the `windows` fuzz
/// target: the windows planned around `hits`, and what they yield (`None`
/// where a whole-file parse would be used).
#[doc(hidden)]
pub fn fuzz_windows(
    lang: Language,
    text: &str,
    hits: &[usize],
    providers: &Providers,
) -> Option<(Vec<Range<usize>>, Option<Extracted>)> {
    let windows = window::plan_from(lang, text, hits, 0)?;
    let found = extract_windows(lang, text, &windows, providers);
    Some((windows, found))
}

/// The facts of the `windows` of a file, or `None` when they might differ
/// from a whole-file parse's: the windows hold a syntax error (a chunk
/// boundary was wrong), or a name the engine looked up occurs outside them.
fn extract_windows(
    lang: Language,
    text: &str,
    windows: &[Range<usize>],
    providers: &Providers,
) -> Option<Extracted> {
    let syn = syntax(lang)?;
    timings::count(Count::ParsesWindowed, 1);
    timings::count(
        Count::BytesParsedWindowed,
        windows.iter().map(|w| w.len() as u64).sum(),
    );
    let tree = timings::time(Phase::ParseWindows, || parse_ranges(lang, text, windows))?;
    if tree.root_node().has_error() {
        return None;
    }
    let mut engine = Engine::new(lang, syn, text, providers);
    timings::time(Phase::Engine, || {
        node::in_tree(tree.root_node(), || engine.run(tree.root_node()));
    });
    let names = engine.names_used();
    // Each name is looked for in the whole text: past a few, a whole-file
    // parse costs less. A method receiver (`self`, `this`) the windows do
    // not bind counts only where it is assigned: it occurs in every method,
    // and only a binding can change what it resolves to.
    let outside = |n: &String| {
        if window::is_receiver(n) && !engine.bindings.contains_key(n) {
            window::bound_outside(text, windows, n)
        } else {
            window::occurs_outside(text, windows, n)
        }
    };
    if names.len() > window::MAX_NAMES || names.iter().any(outside) {
        return None;
    }
    Some(engine.finish())
}

/// What a region node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Region {
    Comment,
    Prose,
    String,
}

/// A string literal's parts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Str {
    /// Between the delimiters.
    pub content: Span,
    pub quote: Option<char>,
    /// Escapes are not processed (raw strings, single quotes in some
    /// languages).
    pub raw: bool,
    /// Holds an interpolation (`f"{x}"`, `` `${x}` ``, `"#{x}"`).
    pub interpolated: bool,
}

/// A named argument, an options-object property, a hash pair, an
/// initializer member or a composite-literal field.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Named<'t> {
    pub name: Span,
    pub value: Node<'t>,
    pub entry: Span,
}

/// A call (or `new`, or composite literal) in normalized form.
#[derive(Debug, Clone)]
pub(crate) struct Call<'t> {
    pub node: Node<'t>,
    /// The callee path's segments (`["openai", "OpenAI"]`); for a method
    /// called on an expression that is not a plain path, just the method.
    pub callee: Vec<String>,
    /// The receiver of a method call (for builder chains).
    pub receiver: Option<Node<'t>>,
    /// The method's name span, for a method call.
    pub method: Option<Span>,
    pub named: Vec<Named<'t>>,
    pub positional: Vec<Node<'t>>,
    /// The argument list (or initializer, or block) span: what lies inside
    /// it are the call's arguments.
    pub args: Span,
    /// A block's parameter name (Ruby `configure do |config|`).
    pub block_param: Option<String>,
}

/// An assignment `receiver.attr = value`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AttrAssign<'t> {
    pub receiver: Node<'t>,
    pub attr: Span,
    pub value: Node<'t>,
    pub entry: Span,
}

/// An env write `os.environ["X"] = value`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EnvWrite<'t> {
    pub name: Span,
    pub value: Node<'t>,
    pub entry: Span,
}

/// How one language's trees show the shapes the engine looks for. Every
/// method has a default that finds nothing.
pub(crate) trait LanguageSyntax: Sync {
    /// Whether `n` is a comment, a docstring or a string literal.
    fn region(&self, n: Node<'_>, text: &str) -> Option<Region>;
    /// Modules `n` imports.
    fn imports(&self, _n: Node<'_>, _text: &str, _out: &mut Vec<String>) {}
    /// A name bound to a value (`X = …`, `const X = …`).
    fn binding<'t>(
        &self,
        _n: Node<'t>,
        _text: &str,
        _up: &Parents<'t>,
    ) -> Option<(String, Node<'t>)> {
        None
    }
    /// The binding a name reference (`X`, `self.X`) resolves to.
    fn name_ref(&self, _n: Node<'_>, _text: &str) -> Option<String> {
        None
    }
    fn call<'t>(&self, n: Node<'t>, text: &str, up: &Parents<'t>) -> Option<Call<'t>>;
    fn string(&self, n: Node<'_>, text: &str) -> Option<Str>;
    /// The parts of a concatenation (`"a" + "b"`, `"a" "b"`).
    fn concat<'t>(&self, _n: Node<'t>, _text: &str) -> Option<Vec<Node<'t>>> {
        None
    }
    /// `None`, `null`, `nil`, `undefined`: no value (the SDK reads its env).
    fn null(&self, _n: Node<'_>, _text: &str) -> bool {
        false
    }
    /// An env read: the variable's name and the default's node.
    fn env_read<'t>(
        &self,
        n: Node<'t>,
        text: &str,
        up: &Parents<'t>,
    ) -> Option<(String, Option<Node<'t>>)>;
    fn env_write<'t>(&self, _n: Node<'t>, _text: &str) -> Option<EnvWrite<'t>> {
        None
    }
    /// `a or b`, `a || b`, `a ?? b`: a value with a fallback.
    fn or_default<'t>(&self, _n: Node<'t>, _text: &str) -> Option<(Node<'t>, Node<'t>)> {
        None
    }
    fn attr_assign<'t>(&self, _n: Node<'t>, _text: &str) -> Option<AttrAssign<'t>> {
        None
    }
    /// Parentheses, casts and other wrappers to look through.
    fn unwrap<'t>(&self, n: Node<'t>, _text: &str) -> Node<'t> {
        n
    }
}

/// The text of a node.
pub(crate) fn text_of<'a>(n: Node<'_>, text: &'a str) -> &'a str {
    text.get(n.byte_range()).unwrap_or("")
}

pub(crate) fn span_of(n: Node<'_>) -> Span {
    Span::new(n.start_byte(), n.end_byte())
}

/// The named children of a node.
/// The `argument` children of an argument list (C#, PHP): named ones with
/// their name, value and whole entry, and positional values.
pub(crate) fn argument_nodes<'t>(args: Node<'t>) -> (Vec<Named<'t>>, Vec<Node<'t>>) {
    let mut named = Vec::new();
    let mut positional = Vec::new();
    for a in children(args) {
        if a.kind_name() != "argument" {
            continue;
        }
        let name = a.field("name");
        let Some(value) = children(a)
            .into_iter()
            .rev()
            .find(|c| Some(c.id()) != name.map(|n| n.id()))
        else {
            continue;
        };
        match name {
            Some(k) => named.push(Named {
                name: span_of(k),
                value,
                entry: span_of(a),
            }),
            None => positional.push(value),
        }
    }
    (named, positional)
}

pub(crate) fn children<'t>(n: Node<'t>) -> Vec<Node<'t>> {
    let mut c = n.walk();
    n.named_children(&mut c).collect()
}

/// Whether a node's text, whitespace left out, is one of `candidates`
/// (`os.environ.get`), without allocating: this runs on every call node.
pub(crate) fn text_is(n: Node<'_>, text: &str, candidates: &[&str]) -> bool {
    let t = text_of(n, text);
    if t.len() > 64 {
        return false;
    }
    candidates.iter().any(|c| {
        let mut a = t.bytes().filter(|b| !b.is_ascii_whitespace());
        let mut b = c.bytes();
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some(x), Some(y)) if x == y => {}
                _ => return false,
            }
        }
    })
}

/// Whether a text is a plain path (`a.b.C`, `A::B`, `$a->b`).
pub(crate) fn is_path(s: &str) -> bool {
    !s.is_empty()
        && s.split(['.', ':', '\\'])
            .flat_map(|p| p.split("->"))
            .all(|p| {
                p.is_empty()
                    || p.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
            })
}

/// Receivers longer than this are not a plain path worth comparing with a
/// constructor: a long builder chain would otherwise be copied again for
/// each of its calls.
const MAX_PATH_BYTES: usize = 256;

/// The callee segments of a method call `receiver.method`.
pub(crate) fn method_callee(receiver: Node<'_>, method: &str, text: &str) -> Vec<String> {
    let written = text_of(receiver, text);
    let r: String = if written.len() > MAX_PATH_BYTES {
        String::new()
    } else {
        written.chars().filter(|c| !c.is_whitespace()).collect()
    };
    let mut segs = if is_path(&r) {
        crate::provider::segments(&r)
    } else {
        Vec::new()
    };
    segs.push(method.to_string());
    segs
}

/// Decode the C-style escapes shared by most languages. Unknown escapes
/// keep their backslash.
pub(crate) fn decode_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('\n') => {}
            Some(q @ ('\\' | '"' | '\'' | '`' | '$' | '/')) => out.push(q),
            Some('x') => {
                let hex: String = (0..2).filter_map(|_| chars.next()).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push_str("\\x");
                        out.push_str(&hex);
                    }
                }
            }
            Some('u') => {
                let hex: String = if chars.peek() == Some(&'{') {
                    chars.next();
                    let h: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    h
                } else {
                    (0..4).filter_map(|_| chars.next()).collect()
                };
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The decoded text of a string literal node that holds no interpolation.
pub(crate) fn plain_string(syn: &dyn LanguageSyntax, n: Node<'_>, text: &str) -> Option<String> {
    let s = syn.string(n, text)?;
    if s.interpolated {
        return None;
    }
    let raw = text.get(s.content.start..s.content.end)?;
    Some(if s.raw {
        raw.to_string()
    } else {
        decode_escapes(raw)
    })
}

/// The first positional argument of an argument-list node, if it is a plain
/// string: the variable name of `getenv("X")`.
pub(crate) fn first_string_arg(
    syn: &dyn LanguageSyntax,
    args: Option<Node<'_>>,
    text: &str,
) -> Option<String> {
    let first = children(args?)
        .into_iter()
        .find(|c| !c.is_extra() && c.kind_name() != "comment")?;
    let first = syn.unwrap(first, text);
    plain_string(syn, first, text).or_else(|| {
        // An `argument` wrapper (C#, PHP).
        let inner = first.named_child(0)?;
        plain_string(syn, syn.unwrap(inner, text), text)
    })
}

/// The value of an expression as a setting sees it; `None` for no value.
struct Classified {
    value: Value,
}

struct Engine<'a> {
    lang: Language,
    syn: &'a dyn LanguageSyntax,
    text: &'a str,
    providers: &'a Providers,
    tables: Vec<(ProviderId, &'a ClientSpec)>,
    imports: Vec<String>,
    bindings: HashMap<String, Vec<Node<'a>>>,
    facts: FileFacts,
    regions: Regions,
    /// Client scopes by the id of their constructor call node.
    clients: IdMap<u32>,
    /// Module-configuration scopes by (provider, sdk, module).
    modules: HashMap<(ProviderId, String), u32>,
    next_scope: u32,
    /// Names the file's other parts could change the meaning of: every
    /// identifier resolved through `bindings`, receivers of client
    /// attribute assignments, and modules a gated constructor needed but
    /// the imports seen lack (see [`Engine::names_used`]).
    names: RefCell<Vec<String>>,
    parents: Parents<'a>,
    /// Subtrees below [`MAX_DEPTH`], not walked.
    deep: Vec<Span>,
    /// What each call node is, once asked (see [`Engine::call_info`]).
    calls: IdMap<Option<CallInfo>>,
    /// Per node: the client call whose arguments hold it (see
    /// [`Engine::anchor`]).
    anchors: IdMap<Option<Node<'a>>>,
    /// Per node: the nearest enclosing call with a block parameter.
    blocks: IdMap<Option<Node<'a>>>,
}

/// What the upward searches need to know of a call node.
struct CallInfo {
    args: Span,
    block_param: Option<String>,
    /// A client constructor, or a builder method of one; asked only of
    /// calls whose arguments hold a node looked up from (see
    /// [`Engine::is_client`]).
    client: Option<bool>,
}

/// Enclosing blocks a configuration attribute looks through for the one
/// whose parameter it assigns: nested blocks that deep are generated.
const MAX_BLOCK_HOPS: usize = 64;

/// Whether an expression is a value the caller or the object was given (a
/// parameter, a variable, an attribute: `api_key`, `self.api_key`,
/// `$apiKey`), before which an env read is only a fallback. A call
/// (`config('openai.api_key')`) may itself read the same variable.
fn given_value(n: Node<'_>) -> bool {
    matches!(
        n.kind_name(),
        "identifier"
            | "attribute"
            | "member_expression"
            | "variable_name"
            | "instance_variable"
            | "field_expression"
            | "selector_expression"
            | "member_access_expression"
    )
}

/// A binary expression of node kind `kind` whose operator is one of
/// `ops`: its left and right operands (`x or "d"`, `x ?? "d"`).
pub(crate) fn binary<'t>(
    n: Node<'t>,
    text: &str,
    kind: &str,
    ops: &[&str],
) -> Option<(Node<'t>, Node<'t>)> {
    let op = n.field("operator")?;
    if n.kind_name() != kind || !ops.contains(&text_of(op, text)) {
        return None;
    }
    Some((n.field("left")?, n.field("right")?))
}

/// An assignment of node kind `assign` whose left side is a `member`
/// node: its `object` field is the receiver, its `attr` field the
/// attribute (`openai.api_key = …`).
pub(crate) fn member_assign<'t>(
    n: Node<'t>,
    assign: &str,
    member: &str,
    (object, attr): (&str, &str),
) -> Option<AttrAssign<'t>> {
    if n.kind_name() != assign {
        return None;
    }
    let left = n.field("left")?;
    if left.kind_name() != member {
        return None;
    }
    Some(AttrAssign {
        receiver: left.field(object)?,
        attr: span_of(left.field(attr)?),
        value: n.field("right")?,
        entry: span_of(n),
    })
}

/// A tree walk in document order without recursion (deeply nested code
/// must not overflow the stack). `visit(node, parent, depth)` (the root's
/// depth is 0) says whether to walk the node's children.
pub(crate) fn preorder<'t>(
    root: Node<'t>,
    mut visit: impl FnMut(Node<'t>, Option<Node<'t>>, usize) -> bool,
) {
    let mut cursor = root.walk();
    // The ancestors of the cursor's node: its parent is known without
    // asking tree-sitter (see [`Parents`]).
    let mut path: Vec<Node<'t>> = Vec::new();
    'outer: loop {
        let n = cursor.node();
        let descend = visit(n, path.last().copied(), path.len());
        if descend && cursor.goto_first_child() {
            path.push(n);
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'outer;
            }
            if !cursor.goto_parent() {
                break 'outer;
            }
            path.pop();
        }
    }
}

impl<'a> Engine<'a> {
    fn new(
        lang: Language,
        syn: &'a dyn LanguageSyntax,
        text: &'a str,
        providers: &'a Providers,
    ) -> Self {
        Engine {
            lang,
            syn,
            text,
            providers,
            tables: providers.clients(lang).collect(),
            imports: Vec::new(),
            bindings: HashMap::new(),
            facts: FileFacts::default(),
            regions: Regions {
                strings: Some(Vec::new()),
                ..Regions::default()
            },
            clients: IdMap::default(),
            modules: HashMap::new(),
            next_scope: 1,
            names: RefCell::new(Vec::new()),
            parents: Parents::new(),
            deep: Vec::new(),
            calls: IdMap::default(),
            anchors: IdMap::default(),
            blocks: IdMap::default(),
        }
    }

    fn run(&mut self, root: Node<'a>) {
        // Pass 1: regions, imports, bindings.
        let (syn, text) = (self.syn, self.text);
        let mut comments = Vec::new();
        let mut prose = Vec::new();
        let mut strings = Vec::new();
        let mut imports = Vec::new();
        let mut bindings: HashMap<String, Vec<Node<'a>>> = HashMap::new();
        // The named nodes outside comments and prose, in document order:
        // pass 2 visits them without walking the tree again.
        let mut nodes: Vec<Node<'a>> = Vec::new();
        let mut parents = Parents::under(root);
        let mut deep = Vec::new();
        preorder(root, |n, parent, depth| {
            // Punctuation and keywords: nothing to find, nothing below.
            if !n.is_named() {
                return false;
            }
            if depth > MAX_DEPTH {
                deep.push(span_of(n));
                return false;
            }
            parents.record(n, parent);
            match syn.region(n, text) {
                Some(Region::Comment) => {
                    comments.push(span_of(n));
                    return false;
                }
                Some(Region::Prose) => {
                    prose.push(span_of(n));
                    return false;
                }
                Some(Region::String) => {
                    strings.push(span_of(n));
                    // Interpolations may hold env reads; keep walking them
                    // for bindings and imports only.
                }
                None => {}
            }
            syn.imports(n, text, &mut imports);
            if let Some((name, value)) = syn.binding(n, text, &parents) {
                bindings.entry(name).or_default().push(value);
            }
            nodes.push(n);
            true
        });
        self.parents = parents;
        self.deep = normalize(deep);
        self.regions.unparsed.clone_from(&self.deep);
        self.regions.comments = normalize(comments);
        self.regions.prose = normalize(prose);
        self.regions.strings = Some(normalize(strings));
        self.imports = imports;
        self.bindings = bindings;

        // Pass 2: clients, settings, env reads and writes.
        for n in nodes {
            self.visit(n);
        }
    }

    /// The names whose bindings or uses elsewhere in the file could change
    /// what was found: identifiers looked up as constants, receivers of
    /// client attribute assignments, and variables bound to a constructor
    /// whose client takes attribute assignments (`config.OrgID = …`).
    fn names_used(&self) -> Vec<String> {
        let mut names = self.names.borrow().clone();
        for (name, values) in &self.bindings {
            let configurable = values.iter().any(|v| {
                self.syn
                    .call(self.syn.unwrap(*v, self.text), self.text, &self.parents)
                    .and_then(|c| self.constructor(&c))
                    .is_some_and(|(_, t)| !t.attributes.is_empty())
            });
            if configurable {
                names.push(name.clone());
            }
        }
        names.sort_unstable();
        names.dedup();
        names
    }

    fn finish(mut self) -> Extracted {
        self.constant_keys();
        self.split_literals();
        if let Some(&first) = self.deep.first() {
            self.facts.truncations.push(crate::fact::Truncation {
                span: first,
                message: format!(
                    "nested deeper than {MAX_DEPTH} levels: the part below was read as text only"
                ),
            });
        }
        self.facts
            .settings
            .sort_by_key(|s| (s.value.span, s.name_span));
        self.facts.reads.sort_by_key(|r| r.span);
        Extracted {
            facts: self.facts,
            regions: self.regions,
            knows_comments: true,
            scanned: false,
        }
    }

    /// A constant named like a provider's key variable (`MISTRAL_API_KEY =
    /// "…"`, `const CO_API_KEY = "…"`) whose value has the shape of that
    /// provider's keys holds a key, as the env-file line of that name
    /// would: one literal fact for it. A key too generic for the raw-text
    /// scan (Mistral's and Cohere's are only letters and digits) is found
    /// only so; one the scan sees is left to it, unless the constant spells
    /// it as a concatenation.
    fn constant_keys(&mut self) {
        let mut found = Vec::new();
        for (name, values) in &self.bindings {
            let bare = name.trim_start_matches(['$', '@']);
            let Some((pid, var)) = self.providers.variable(bare) else {
                continue;
            };
            if var.slot != Slot::Key {
                continue;
            }
            for &v in values {
                let Some(c) = self.classify(v, 0) else {
                    continue;
                };
                let v = c.value;
                if v.kind != ValueKind::Literal {
                    continue;
                }
                let raw = self.text.get(v.span.start..v.span.end);
                let keys = &self.providers.get(pid).keys;
                if let Some((pattern, _)) = keys.iter().enumerate().find(|(_, k)| {
                    k.whole.is_match(&v.text) && (k.needs_context || raw != Some(v.text.as_str()))
                }) {
                    found.push(Literal {
                        kind: LiteralKind::Key {
                            provider: pid,
                            pattern,
                        },
                        text: v.text,
                        span: v.span,
                        context: TextContext::Value,
                    });
                }
            }
        }
        found.sort_by_key(|l| l.span);
        found.dedup_by_key(|l| l.span);
        self.facts.literals.extend(found);
    }

    /// A key or ID that a setting spells as a concatenation of literals
    /// (`"sk-ant-" "api03-…"`) is a literal too, though no raw-text scan
    /// can see it: one literal fact over the whole concatenation.
    fn split_literals(&mut self) {
        let mut seen: std::collections::HashSet<Span> =
            self.facts.literals.iter().map(|l| l.span).collect();
        for s in &self.facts.settings {
            let v = &s.value;
            if v.kind != ValueKind::Literal
                || self.text.get(v.span.start..v.span.end) == Some(v.text.as_str())
                || !seen.insert(v.span)
            {
                continue;
            }
            let kind = if let Some((provider, pattern)) = self.providers.key_of_any(&v.text) {
                LiteralKind::Key { provider, pattern }
            } else if self.providers.id_of_any(Slot::Org, &v.text) {
                LiteralKind::Org
            } else if self.providers.id_of_any(Slot::Project, &v.text) {
                LiteralKind::Project
            } else {
                continue;
            };
            self.facts.literals.push(Literal {
                kind,
                text: v.text.clone(),
                span: v.span,
                context: TextContext::Value,
            });
        }
    }

    fn visit(&mut self, n: Node<'a>) {
        let (syn, text) = (self.syn, self.text);
        if let Some((name, default)) = syn.env_read(n, text, &self.parents) {
            self.env_read(n, name, default);
        }
        if let Some(w) = syn.env_write(n, text) {
            self.env_write(w);
        }
        if let Some(a) = syn.attr_assign(n, text) {
            self.attr_assign(a);
        }
        if let Some(call) = syn.call(n, text, &self.parents) {
            self.call(&call);
        }
    }

    fn env_read(&mut self, n: Node<'a>, name: String, default: Option<Node<'a>>) {
        // Reads of unrelated variables (`LOG_LEVEL`) matter to no rule.
        if !self.providers.prefilter().credential_like(&name) {
            return;
        }
        // `os.environ.get("X") or "…"`: the fallback is the default too.
        let fallback = self.parents.of(n).and_then(|p| {
            self.syn
                .or_default(p, self.text)
                .filter(|(lhs, _)| self.syn.unwrap(*lhs, self.text).id() == n.id())
                .map(|(_, rhs)| rhs)
        });
        let default = default
            .or(fallback)
            .and_then(|d| self.classify(d, 0).map(|c| c.value));
        let scope = self.enclosing_client(n).unwrap_or(0);
        let (mut usage, mut alternatives) = self.read_use(n);
        if usage == ReadUse::Value && self.guarded(n, &name) {
            usage = ReadUse::Probe;
        }
        alternatives.retain(|a| *a != name);
        alternatives.dedup();
        self.facts.reads.push(EnvRead {
            name,
            span: span_of(n),
            kind: ReadKind::Code,
            default,
            scope,
            usage,
            alternatives,
        });
    }

    /// Whether the env read at `n` of `name` sits in a branch whose
    /// condition asks for the same variable (`if "X" in os.environ:
    /// key = os.environ["X"]`, `if os.getenv("X"): Client(api_key=…)`):
    /// the code runs only when it is set.
    fn guarded(&self, n: Node<'a>, name: &str) -> bool {
        let mut at = n;
        for _ in 0..24 {
            let Some(p) = self.parents.of(at) else {
                return false;
            };
            if let Some(c) = p.field("condition")
                && !(c.start_byte() <= n.start_byte() && n.end_byte() <= c.end_byte())
            {
                let cond = text_of(c, self.text);
                if cond.len() < 512 && cond.contains(name) {
                    return true;
                }
            }
            at = p;
        }
        false
    }

    /// What the code around the env read at `n` does with its value, and
    /// the variables of the `or`/`||`/`??` chain it is part of. Walks up
    /// through parentheses, `and`/`or` chains and negations: a read in a
    /// condition, a negation, a comparison (`is None`, `=== undefined`) or
    /// a truth test (`bool(…)`, `skipif(…)`) only probes; a read after a
    /// value that is not itself an env read (`api_key or os.getenv("X")`),
    /// or passed as the default of a lookup (`fetch(:k, ENV["X"])`), is a
    /// fallback.
    fn read_use(&self, n: Node<'a>) -> (ReadUse, Vec<String>) {
        let (syn, text) = (self.syn, self.text);
        let inside = |inner: Node<'_>, outer: Node<'_>| {
            outer.start_byte() <= inner.start_byte() && inner.end_byte() <= outer.end_byte()
        };
        let same = |a: Node<'_>, b: Node<'_>| a.byte_range() == b.byte_range();
        let mut at = n;
        let mut fallback = false;
        let mut chain: Option<Node<'a>> = None;
        let mut usage = None;
        for _ in 0..32 {
            let Some(p) = self.parents.of(at) else {
                break;
            };
            let kind = p.kind_name();
            if kind == "parenthesized_expression" {
                at = p;
                continue;
            }
            if let Some((lhs, rhs)) = syn.or_default(p, text)
                && kind != "call_expression"
            {
                if inside(at, rhs) {
                    let mut first = lhs;
                    for _ in 0..64 {
                        match syn.or_default(syn.unwrap(first, text), text) {
                            Some((l, _)) => first = l,
                            None => break,
                        }
                    }
                    if given_value(syn.unwrap(first, text)) {
                        fallback = true;
                    }
                }
                chain = Some(p);
                at = p;
                continue;
            }
            let op = p
                .field("operator")
                .or_else(|| p.child(0).filter(|c| !c.is_named()))
                .map(|o| text_of(o, text));
            let binaryish = matches!(kind, "boolean_operator" | "binary_expression" | "binary");
            if binaryish && matches!(op, Some("and" | "&&")) {
                at = p;
                continue;
            }
            if kind == "not_operator"
                || (kind.contains("unary") && matches!(op, Some("!" | "not")))
                || kind == "comparison_operator"
                || (binaryish
                    && matches!(
                        op,
                        Some("==" | "!=" | "===" | "!==" | "is" | "is not" | "<>")
                    ))
            {
                usage = Some(ReadUse::Probe);
                break;
            }
            // A condition: `if`, `while`, `elif`, `a ? b : c`, `b if a else c`.
            let condition = p.field("condition").or_else(|| {
                (kind == "conditional_expression")
                    .then(|| p.named_child(1))
                    .flatten()
            });
            if let Some(c) = condition {
                if same(c, at) {
                    usage = Some(ReadUse::Probe);
                    break;
                }
                // `api_key if api_key else os.getenv("X")`,
                // `apiKey ? apiKey : process.env.X`: a fallback.
                let branches: Vec<Node<'a>> = children(p)
                    .into_iter()
                    .filter(|b| !same(*b, c) && !same(*b, at))
                    .collect();
                let elvis = branches.is_empty() && given_value(syn.unwrap(c, text));
                if elvis
                    || matches!(branches.as_slice(), [other] if text_of(*other, text) == text_of(c, text))
                {
                    fallback = true;
                }
                break;
            }
            // An argument of a call.
            if matches!(kind, "argument_list" | "arguments" | "argument") {
                let call = if kind == "argument" {
                    self.parents.of(p).and_then(|l| self.parents.of(l))
                } else {
                    self.parents.of(p)
                };
                if let Some(call) = call.and_then(|g| syn.call(g, text, &self.parents))
                    && let Some(last) = call.callee.last()
                {
                    if matches!(
                        last.as_str(),
                        "bool" | "Boolean" | "skipif" | "skipIf" | "skipUnless" | "isset" | "empty"
                    ) {
                        usage = Some(ReadUse::Probe);
                    } else if matches!(
                        last.as_str(),
                        "fetch" | "get" | "getenv" | "getOrDefault" | "GetValueOrDefault"
                    ) && call.positional.first().is_some_and(|f| !inside(at, *f))
                    {
                        fallback = true;
                    }
                }
                break;
            }
            break;
        }
        let usage = usage.unwrap_or(if fallback {
            ReadUse::Fallback
        } else {
            ReadUse::Value
        });
        let mut names = Vec::new();
        if let Some(top) = chain {
            let mut stack = vec![top];
            while let Some(e) = stack.pop() {
                if names.len() > 32 {
                    break;
                }
                let e = syn.unwrap(e, text);
                if let Some((l, r)) = syn.or_default(e, text) {
                    stack.push(r);
                    stack.push(l);
                } else if let Some((name, _)) = syn.env_read(e, text, &self.parents) {
                    names.push(name);
                }
            }
        }
        (usage, names)
    }

    fn env_write(&mut self, w: EnvWrite<'a>) {
        let name = self.text.get(w.name.start..w.name.end).unwrap_or("");
        if name.is_empty() {
            return;
        }
        let Some(c) = self.classify(w.value, 0) else {
            return;
        };
        if let Some((provider, variable)) = self.providers.variable(name) {
            self.facts.settings.push(Setting {
                provider,
                slot: variable.slot,
                name: name.to_string(),
                name_span: w.name,
                value: c.value.clone(),
                entry: w.entry,
                scope: 0,
                env_ref: None,
            });
        }
        self.facts.definitions.push(Definition {
            name: name.to_string(),
            name_span: w.name,
            value: c.value,
            entry: w.entry,
            scope: 0,
            source: DefSource::Code,
        });
    }

    /// Classify a value expression.
    fn classify(&self, n: Node<'a>, depth: usize) -> Option<Classified> {
        let (syn, text) = (self.syn, self.text);
        let n = syn.unwrap(n, text);
        if syn.null(n, text) {
            return None;
        }
        let expr = |n: Node<'_>| Classified {
            value: Value {
                kind: ValueKind::Expression,
                text: short(text_of(n, text)),
                reference: None,
                span: span_of(n),
                quote: None,
            },
        };
        // A concatenation of thousands of terms must not exhaust the stack.
        if depth > 64 {
            return Some(expr(n));
        }
        if let Some(s) = syn.string(n, text) {
            if s.interpolated {
                return Some(expr(n));
            }
            let raw = text.get(s.content.start..s.content.end).unwrap_or("");
            let decoded = if s.raw {
                raw.to_string()
            } else {
                decode_escapes(raw)
            };
            return Some(Classified {
                value: Value {
                    kind: if decoded.is_empty() {
                        ValueKind::Empty
                    } else {
                        ValueKind::Literal
                    },
                    text: decoded,
                    reference: None,
                    span: s.content,
                    quote: s.quote,
                },
            });
        }
        if let Some(parts) = syn.concat(n, text) {
            let mut out = String::new();
            let mut span: Option<Span> = None;
            let mut quote = None;
            for p in parts {
                let c = self.classify(p, depth + 1)?;
                if !matches!(c.value.kind, ValueKind::Literal | ValueKind::Empty) {
                    return Some(expr(n));
                }
                out.push_str(&c.value.text);
                quote = quote.or(c.value.quote);
                span = Some(match span {
                    None => c.value.span,
                    Some(s) => {
                        Span::new(s.start.min(c.value.span.start), s.end.max(c.value.span.end))
                    }
                });
            }
            let span = span.unwrap_or_else(|| span_of(n));
            return Some(Classified {
                value: Value {
                    kind: if out.is_empty() {
                        ValueKind::Empty
                    } else {
                        ValueKind::Literal
                    },
                    text: out,
                    reference: None,
                    span,
                    quote,
                },
            });
        }
        if let Some((name, _)) = syn.env_read(n, text, &self.parents) {
            return Some(reference(n, name, text));
        }
        if let Some((lhs, _)) = syn.or_default(n, text)
            && let Some((name, _)) = syn.env_read(syn.unwrap(lhs, text), text, &self.parents)
        {
            return Some(reference(n, name, text));
        }
        let name = syn.name_ref(n, text);
        if let Some(name) = &name {
            self.names.borrow_mut().push(name.clone());
        }
        if depth < 4
            && let Some(name) = name
            && let Some(values) = self.bindings.get(&name)
            && let Some(first) = values.first()
            && values
                .iter()
                .all(|v| text_of(*v, text) == text_of(*first, text))
        {
            // The constant's own value, at the constant's literal.
            return self
                .classify(*first, depth + 1)
                .map(|c| match c.value.kind {
                    ValueKind::Expression => expr(n),
                    _ => c,
                });
        }
        Some(expr(n))
    }

    /// The client tables whose constructor `call` is, best first: tables
    /// gated on an import the file has win over ungated ones, then the
    /// table that names more of the call's arguments.
    fn constructor(&self, call: &Call<'a>) -> Option<(ProviderId, &'a ClientSpec)> {
        let text = self.text;
        let names: Vec<&str> = call
            .named
            .iter()
            .map(|a| text.get(a.name.start..a.name.end).unwrap_or(""))
            .collect();
        self.tables
            .iter()
            .filter(|(_, t)| {
                t.constructors.iter().any(|c| ends_with(&call.callee, c)) && self.imported(t)
            })
            .max_by_key(|(_, t)| {
                let known = names.iter().filter(|n| t.named_slot(n).is_some()).count();
                // max_by_key keeps the last maximum: reverse order so the
                // first table in file order wins ties.
                (!t.imports.is_empty(), known)
            })
            .copied()
    }

    /// The option table entry a call is (`option.WithAPIKey(…)`).
    fn option(&self, call: &Call<'a>) -> Option<(ProviderId, &'a ClientSpec, Slot)> {
        self.tables.iter().find_map(|&(pid, t)| {
            let &(_, slot) = t
                .options
                .iter()
                .find(|(path, _)| ends_with(&call.callee, path))?;
            self.imported(t).then_some((pid, t, slot))
        })
    }

    /// Whether the file imports what `table` is gated on. When it does
    /// not, the modules count as names used (see [`Engine::names_used`]):
    /// in a windowed parse the import may lie outside the windows.
    fn imported(&self, table: &ClientSpec) -> bool {
        let ok = table.imported(&self.imports);
        if !ok {
            self.names
                .borrow_mut()
                .extend(table.imports.iter().cloned());
        }
        ok
    }

    /// The scope of the client call whose arguments hold `n`, if any.
    fn enclosing_client(&mut self, n: Node<'a>) -> Option<u32> {
        let a = self.anchor(n)?;
        let call = self.syn.call(a, self.text, &self.parents)?;
        if let Some(m) = self.constructor(&call) {
            return Some(self.client_scope(&call, m));
        }
        // An argument of a builder method (`.apiKey(getenv(…))`).
        let (root, m, _) = self.chain_root(&call)?;
        Some(self.client_scope(&root, m))
    }

    /// The nearest ancestor of `n` that is a client call (a constructor or
    /// a builder method of one) with `n` among its arguments. Each node's
    /// answer is kept: a node that is not among the arguments of its
    /// parent's call has its parent's answer (whether a node lies in a
    /// call's arguments is decided by the child of the call it descends
    /// from), so every node is looked up from at most once and a walk up
    /// stops at the first node already answered.
    fn anchor(&mut self, n: Node<'a>) -> Option<Node<'a>> {
        let mut path = Vec::new();
        let mut at = n;
        let found = loop {
            if let Some(&known) = self.anchors.get(&at.id()) {
                break known;
            }
            path.push(at.id());
            let Some(p) = self.parents.of(at) else {
                break None;
            };
            let start = at.start_byte();
            let inside = self
                .call_info(p)
                .is_some_and(|c| c.args.start <= start && start < c.args.end.max(c.args.start + 1));
            if inside && self.is_client(p) {
                break Some(p);
            }
            at = p;
        };
        for id in path {
            self.anchors.insert(id, found);
        }
        found
    }

    /// What call node `a` is, if it is a call.
    fn call_info(&mut self, a: Node<'a>) -> Option<&mut CallInfo> {
        if !self.calls.contains_key(&a.id()) {
            let info = self
                .syn
                .call(a, self.text, &self.parents)
                .map(|c| CallInfo {
                    args: c.args,
                    block_param: c.block_param,
                    client: None,
                });
            self.calls.insert(a.id(), info);
        }
        self.calls.get_mut(&a.id())?.as_mut()
    }

    /// Whether call node `a` is a client constructor or a builder method
    /// of one.
    fn is_client(&mut self, a: Node<'a>) -> bool {
        if let Some(known) = self.call_info(a).and_then(|c| c.client) {
            return known;
        }
        let client = self
            .syn
            .call(a, self.text, &self.parents)
            .is_some_and(|c| self.constructor(&c).is_some() || self.chain_root(&c).is_some());
        if let Some(c) = self.call_info(a) {
            c.client = Some(client);
        }
        client
    }

    /// The nearest strict ancestor of `n` that is a call with a block
    /// parameter (Ruby `do |config|`), kept per node as in
    /// [`Engine::anchor`].
    fn enclosing_block(&mut self, n: Node<'a>) -> Option<Node<'a>> {
        let mut path = Vec::new();
        let mut at = n;
        let found = loop {
            if let Some(&known) = self.blocks.get(&at.id()) {
                break known;
            }
            path.push(at.id());
            let Some(p) = self.parents.of(at) else {
                break None;
            };
            if self.call_info(p).is_some_and(|c| c.block_param.is_some()) {
                break Some(p);
            }
            at = p;
        };
        for id in path {
            self.blocks.insert(id, found);
        }
        found
    }

    /// For a builder method call (`….organization(x)`), the constructor at
    /// the root of its chain whose table knows the method, with the slot.
    fn chain_root(
        &self,
        call: &Call<'a>,
    ) -> Option<(Call<'a>, (ProviderId, &'a ClientSpec), Slot)> {
        let text = self.text;
        let method = call.method?;
        let mut r = call.receiver?;
        let mname = text.get(method.start..method.end).unwrap_or("");
        if !self
            .tables
            .iter()
            .any(|(_, t)| t.method_slot(mname).is_some())
        {
            return None;
        }
        for _ in 0..64 {
            let inner = self
                .syn
                .call(self.syn.unwrap(r, text), text, &self.parents)?;
            if let Some(m @ (_, table)) = self.constructor(&inner)
                && let Some(slot) = table.method_slot(mname)
            {
                return Some((inner, m, slot));
            }
            r = inner.receiver?;
        }
        None
    }

    /// The scope of a constructor call, created on first use. A constructor
    /// passed as an argument of another client's constructor (`new
    /// OpenAIClient(new ApiKeyCredential(k), new OpenAIClientOptions {…})`)
    /// shares that client's scope: its settings apply together.
    fn client_scope(&mut self, call: &Call<'a>, (pid, table): (ProviderId, &'a ClientSpec)) -> u32 {
        if let Some(&s) = self.clients.get(&call.node.id()) {
            return s;
        }
        let outer = self.enclosing_client(call.node);
        let scope = match outer {
            Some(s) => s,
            None => self.new_scope(call.node, call.callee.join(".")),
        };
        self.clients.insert(call.node.id(), scope);
        let spread = self.forwards(call, table);
        self.facts.clients.push(Client {
            provider: pid,
            constructor: callee_text(call, self.text),
            sdk: table.sdk.clone(),
            span: span_of(call.node),
            scope,
            spread,
        });
        scope
    }

    /// Whether a constructor call forwards arguments it does not spell
    /// out: a `**kwargs`/`*args` splat, a `...options` spread (also inside
    /// an options object), or an options object passed as a variable
    /// (`new OpenAI(config)`).
    fn forwards(&self, call: &Call<'a>, table: &ClientSpec) -> bool {
        const SPREADS: &[&str] = &[
            "dictionary_splat",
            "list_splat",
            "spread_element",
            "hash_splat_argument",
            "splat_argument",
            "variadic_unpacking",
        ];
        let mut c = call.node.walk();
        let Some(args) = call
            .node
            .children(&mut c)
            .find(|n| span_of(*n) == call.args)
        else {
            return false;
        };
        children(args).into_iter().any(|a| {
            let a = self.syn.unwrap(a, self.text);
            SPREADS.contains(&a.kind_name())
                || (a.kind_name() == "object"
                    && children(a).iter().any(|p| SPREADS.contains(&p.kind_name())))
                || (call.named.is_empty()
                    && call.positional.len() == 1
                    && a.kind_name() == "identifier"
                    && table.positional.first().is_none_or(Option::is_none)
                    && !table.named.is_empty())
        })
    }

    fn new_scope(&mut self, n: Node<'a>, name: String) -> u32 {
        let id = self.next_scope;
        self.next_scope += 1;
        self.facts.scopes.push(Scope {
            id,
            kind: ScopeKind::ClientCall,
            name,
            span: span_of(n),
            parent: None,
            env_files: Vec::new(),
        });
        id
    }

    fn call(&mut self, call: &Call<'a>) {
        let text = self.text;
        if let Some(m @ (pid, table)) = self.constructor(call) {
            let scope = self.client_scope(call, m);
            for a in &call.named {
                let name = text.get(a.name.start..a.name.end).unwrap_or("");
                if let Some(slot) = table.named_slot(name) {
                    self.setting(pid, table, slot, name, a.name, a.value, a.entry, scope);
                }
            }
            for (i, arg) in call.positional.iter().enumerate() {
                if let Some(Some(slot)) = table.positional.get(i) {
                    let name = format!("argument {} of {}", i + 1, callee_text(call, text));
                    self.setting(
                        pid,
                        table,
                        *slot,
                        &name,
                        span_of(*arg),
                        *arg,
                        span_of(*arg),
                        scope,
                    );
                }
            }
            return;
        }
        if let Some((pid, table, slot)) = self.option(call) {
            let Some(arg) = call.positional.first().copied() else {
                return;
            };
            let scope = match self.enclosing_client(call.node) {
                Some(s) => s,
                None => {
                    let s = self.new_scope(call.node, call.callee.join("."));
                    self.facts.clients.push(Client {
                        provider: pid,
                        constructor: callee_text(call, text),
                        sdk: table.sdk.clone(),
                        span: span_of(call.node),
                        scope: s,
                        spread: false,
                    });
                    s
                }
            };
            let name = callee_text(call, text);
            let name_span = Span::new(call.node.start_byte(), call.args.start);
            self.setting(
                pid,
                table,
                slot,
                &name,
                name_span,
                arg,
                span_of(call.node),
                scope,
            );
            return;
        }
        // A builder method: find the constructor at the root of the chain.
        let (Some(method), Some(arg)) = (call.method, call.positional.first().copied()) else {
            return;
        };
        if let Some((root, m @ (pid, table), slot)) = self.chain_root(call) {
            let scope = self.client_scope(&root, m);
            let mname = text.get(method.start..method.end).unwrap_or("");
            let entry = Span::new(method.start, call.node.end_byte());
            self.setting(pid, table, slot, mname, method, arg, entry, scope);
        }
    }

    fn attr_assign(&mut self, a: AttrAssign<'a>) {
        let text = self.text;
        let receiver = text_of(self.syn.unwrap(a.receiver, text), text).trim();
        let attr = text.get(a.attr.start..a.attr.end).unwrap_or("");
        let name = format!("{receiver}.{attr}");
        // The module itself (`openai.api_key = …`).
        for &(pid, table) in &self.tables {
            if table.module.as_deref() == Some(receiver)
                && let Some(slot) = table.attribute_slot(attr)
                && self.imported(table)
            {
                let key = (pid, format!("{}/{}", table.sdk, receiver));
                let scope = match self.modules.get(&key) {
                    Some(&s) => s,
                    None => {
                        let s = self.new_scope(a.receiver, receiver.to_string());
                        self.facts.clients.push(Client {
                            provider: pid,
                            constructor: receiver.to_string(),
                            sdk: table.sdk.clone(),
                            span: span_of(a.receiver),
                            scope: s,
                            spread: false,
                        });
                        self.modules.insert(key, s);
                        s
                    }
                };
                let name_span = Span::new(a.receiver.start_byte(), a.attr.end);
                self.setting(pid, table, slot, &name, name_span, a.value, a.entry, scope);
                return;
            }
        }
        // A variable bound to a constructor (`config := openai.DefaultConfig(…)`).
        if self
            .tables
            .iter()
            .any(|(_, t)| t.attribute_slot(attr).is_some())
        {
            self.names.borrow_mut().push(receiver.to_string());
        }
        if let Some(values) = self.bindings.get(receiver)
            && let [value] = values.as_slice()
            && let Some(call) = self
                .syn
                .call(self.syn.unwrap(*value, text), text, &self.parents)
            && let Some(m @ (pid, table)) = self.constructor(&call)
            && let Some(slot) = table.attribute_slot(attr)
        {
            let scope = self.client_scope(&call, m);
            let name_span = Span::new(a.receiver.start_byte(), a.attr.end);
            self.setting(pid, table, slot, &name, name_span, a.value, a.entry, scope);
            return;
        }
        // A configuration block's parameter (`OpenAI.configure do |config|`):
        // the nearest block with that parameter (an inner block's shadows
        // an outer one's).
        let mut block = self.enclosing_block(a.receiver);
        for _ in 0..MAX_BLOCK_HOPS {
            let Some(anc) = block else {
                return;
            };
            let param =
                self.call_info(anc).and_then(|c| c.block_param.as_deref()) == Some(receiver);
            if param {
                if let Some(call) = self.syn.call(anc, text, &self.parents)
                    && let Some(m @ (pid, table)) = self.constructor(&call)
                    && let Some(slot) = table.attribute_slot(attr)
                {
                    let scope = self.client_scope(&call, m);
                    let name_span = Span::new(a.receiver.start_byte(), a.attr.end);
                    self.setting(pid, table, slot, &name, name_span, a.value, a.entry, scope);
                }
                return;
            }
            block = self.enclosing_block(anc);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn setting(
        &mut self,
        provider: ProviderId,
        table: &ClientSpec,
        slot: Slot,
        name: &str,
        name_span: Span,
        value: Node<'a>,
        entry: Span,
        scope: u32,
    ) {
        // A constructor as the value (`credential: new ApiKeyCredential(k)`)
        // is a client of its own, in this scope: its arguments are the
        // settings.
        let inner = self.syn.unwrap(value, self.text);
        if let Some(c) = self.syn.call(inner, self.text, &self.parents)
            && self.constructor(&c).is_some()
        {
            return;
        }
        let Some(c) = self.classify(value, 0) else {
            return;
        };
        let env_ref = env_variable(self.providers, provider, &table.sdk, slot)
            .map(|var| EnvRef::new(EnvRefSyntax::Code(self.lang), var));
        self.facts.settings.push(Setting {
            provider,
            slot,
            name: name.to_string(),
            name_span,
            value: c.value,
            entry,
            scope,
            env_ref,
        });
    }
}

fn reference(n: Node<'_>, name: String, text: &str) -> Classified {
    Classified {
        value: Value {
            kind: ValueKind::Reference,
            text: short(text_of(n, text)),
            reference: Some(name),
            span: span_of(n),
            quote: None,
        },
    }
}

/// Code as shown in a fact: one line, at most 120 characters. Reads no
/// more of `s` than it shows: the values of nested expressions would
/// otherwise copy the rest of the nest once per level.
pub(crate) fn short(s: &str) -> String {
    const MAX: usize = 120;
    let mut one = String::new();
    let mut chars = 0;
    'words: for (i, word) in s.split_whitespace().enumerate() {
        for c in (i > 0).then_some(' ').into_iter().chain(word.chars()) {
            one.push(c);
            chars += 1;
            if chars > MAX {
                break 'words;
            }
        }
    }
    if chars > MAX {
        let mut t: String = one.chars().take(MAX - 1).collect();
        t.push('…');
        t
    } else {
        one
    }
}

/// Text as written, at most 120 characters (see [`short`]).
pub(crate) fn bounded(s: &str) -> String {
    const MAX: usize = 120;
    match s.char_indices().nth(MAX) {
        None => s.to_string(),
        Some(_) => {
            let mut t: String = s.chars().take(MAX - 1).collect();
            t.push('…');
            t
        }
    }
}

fn callee_text(call: &Call<'_>, text: &str) -> String {
    match call.method {
        Some(m) if call.callee.len() <= 1 => text.get(m.start..m.end).unwrap_or("").to_string(),
        _ => {
            let t: String = text
                .get(call.node.start_byte()..call.args.start)
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let t = t.trim_start_matches("new").trim_end_matches(['(', '{']);
            if t.is_empty() || t.len() > 80 {
                call.callee.join(".")
            } else {
                t.to_string()
            }
        }
    }
}

fn ends_with(callee: &[String], want: &[String]) -> bool {
    callee.len() >= want.len() && callee[callee.len() - want.len()..] == *want
}

/// The variable an SDK reads for a slot: a variable of the provider with
/// that slot whose readers name the SDK (canonical first), else the
/// canonical variable.
fn env_variable<'p>(
    providers: &'p Providers,
    pid: ProviderId,
    sdk: &str,
    slot: Slot,
) -> Option<&'p str> {
    let p = providers.get(pid);
    let base = |s: &str| {
        s.split(['<', '>', '=', '~'])
            .next()
            .unwrap_or("")
            .to_string()
    };
    let mut vars: Vec<_> = p.variables.iter().filter(|v| v.slot == slot).collect();
    vars.sort_by_key(|v| !v.canonical);
    // `openai-python<1` names its own reader entry; `openai-python` matches
    // `openai-python>=1` by its base name.
    vars.iter()
        .find(|v| v.readers.iter().any(|r| r == sdk))
        .or_else(|| {
            vars.iter()
                .find(|v| v.readers.iter().any(|r| base(r) == base(sdk)))
        })
        .or_else(|| vars.iter().find(|v| v.canonical))
        .map(|v| v.name.as_str())
}

/// Sort spans and merge overlaps.
pub(crate) fn normalize(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

#[cfg(test)]
mod tests;
