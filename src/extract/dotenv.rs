//! Env files (`.env`, `.env.*`, `*.env`, `.envrc`).
//!
//! This module owns the reading of env files: one pass over the decoded text
//! that turns every assignment into a [`Definition`] (and into a [`Setting`]
//! when its name is a credential variable), records the span of every
//! comment, and reports every line a dotenv loader would reject as a
//! [`ParseError`], then goes on with the next line.
//!
//! Values mean what dotenvy 0.15.7 makes of them: its key characters, its
//! `export` prefix, its inline comments, its quotes and escapes, its
//! multi-line quoted values and its errors. dotenvy itself cannot be used:
//! it yields only `(key, value)` pairs, with no position for a value, a
//! comment or an error, and it stops a value at the first error. So the
//! scanner here is our own, and mirrors dotenvy's two stages: a line joiner
//! that decides where an entry ends (a quote left open at the end of a line
//! continues the entry on the next one; whitespace then `#` ends it) and a
//! value decoder. `tests/dotenv_semantics.rs` checks the decoded values
//! against dotenvy itself.
//!
//! Deliberate differences from dotenvy, each where dotenvy has a defect that
//! other loaders do not share:
//!
//! - References are not expanded: `${VAR}` and `$VAR` stay in the text as
//!   written, and a value that is exactly one reference is a
//!   [`ValueKind::Reference`]. `$VAR` takes shell names (`$OPENAI_KEY` names
//!   `OPENAI_KEY`; dotenvy stops a name at `_`), and the character after the
//!   name is read normally (dotenvy takes it literally, so `"$VAR"` never
//!   closes its quote there). A `$` that starts no reference stays a `$`
//!   (dotenvy drops it).
//! - `${NAME:-default}` and the other shell operators name `NAME`.
//! - A quote in a comment never continues an entry on the next line.
//!   dotenvy's line joiner misses a `#` right after `=` or after an even
//!   number of whitespace characters, and a quote after it then swallows
//!   the following lines.
//! - A backslash inside single quotes is literal for the joiner too, as it
//!   is for dotenvy's value decoder (its joiner treats `\'` as escaped).
//! - The end of the file ends an entry that ends with whitespace or a
//!   backslash (dotenvy rejects such a last line without a newline).
//!
//! An unterminated quote is reported at the quote left open at the end of
//! the entry's first line, and scanning resumes on the following line.
//!
//! Spans: a value's span lies inside its quotes when one pair of quotes
//! encloses the whole value, else it covers the value as written. An empty
//! value's span is empty: inside the quotes of `""` or `''`, else right
//! after the `=`, so that a fix can write a value at its start either way.
//! An entry's span runs from the start of its first line through the line
//! ending of its last.
//!
//! With `shell` (`.envrc`, which direnv sources with bash), lines that are
//! not assignments, or that dotenvy would reject, are shell and are skipped
//! without an error; backslashes follow bash (inside double quotes one
//! escapes only `$`, `` ` ``, `"`, `\` and a line break, and is kept before
//! anything else), and `$(…)` and backquoted command substitutions are read
//! as references that name no variable.

use std::collections::HashMap;

use crate::fact::{DefSource, Definition, FileFacts, ParseError, Setting, Value, ValueKind};
use crate::provider::Providers;
use crate::source::{Source, Span};

/// What the env-file extractor learned about one file.
#[derive(Debug, Default)]
pub struct EnvFile {
    /// Definitions, settings and parse errors (literals are left to the
    /// literal scanner).
    pub facts: FileFacts,
    /// Every comment (`# …` lines and inline ` # …`), from its `#` to the
    /// end of its line without the line ending, in file order.
    pub comments: Vec<Span>,
}

/// Read one env file, with a definition for every assignment (as a loader
/// reads it). `shell` is for `.envrc`, where lines that are not
/// assignments are shell, not errors.
pub fn extract(source: &Source, providers: &Providers, shell: bool) -> EnvFile {
    scan(source, providers, shell, false)
}

/// [`extract`], keeping only the definitions a rule can use: of credential
/// variables and of names that may misspell one (see
/// [`crate::provider::Prefilter::credential_name`]). The other lines are
/// still read (their syntax errors and comments count) but hold nothing
/// for the rules: a million-line env file's facts are a handful, not a
/// definition per line (which took ten times the file).
pub fn extract_credentials(source: &Source, providers: &Providers, shell: bool) -> EnvFile {
    scan(source, providers, shell, true)
}

fn scan(source: &Source, providers: &Providers, shell: bool, credentials_only: bool) -> EnvFile {
    let mut scanner = Scanner {
        text: source.text(),
        shell,
        providers,
        credentials_only,
        out: EnvFile::default(),
        doomed: HashMap::new(),
        more_errors: None,
        more: 0,
    };
    let mut at = 0;
    while at < scanner.text.len() {
        at = scanner.entry(at);
    }
    if let Some(first) = scanner.more_errors.take() {
        let more = scanner.more;
        scanner.out.facts.parse_errors.push(ParseError {
            span: first.span,
            message: format!(
                "{more} more lines cannot be parsed, from this one on ({}): is this an env file?",
                first.message
            ),
        });
    }
    scanner.out.comments.sort_unstable();
    scanner.out
}

/// Syntax errors reported one by one in a file; the rest are counted in one
/// more (a file of a million bad lines is not an env file, and a finding
/// each would cost a hundred times the file).
pub const MAX_ERRORS: usize = 100;

struct Scanner<'a> {
    text: &'a str,
    shell: bool,
    providers: &'a Providers,
    /// Keep only the definitions of credential-like names.
    credentials_only: bool,
    out: EnvFile,
    /// Line starts from which the joiner, in a given quote state (a
    /// [`Joiner`] bit), is known to reach the end of the file with the quote
    /// still open. Keeps unterminated quotes from costing quadratic time.
    doomed: HashMap<usize, u8>,
    /// The first error past [`MAX_ERRORS`], and how many there are.
    more_errors: Option<ParseError>,
    more: usize,
}

/// The part of an assignment before its value.
struct Head {
    name: Span,
    eq: usize,
    value: usize,
}

/// Where the line joiner ended an entry.
enum Joined {
    Done {
        /// End of the entry's text: the last line's end or its comment.
        end: usize,
        /// Start of the line after the entry.
        next: usize,
        comment: Option<Span>,
    },
    /// A quote is still open at the end of the file.
    Unterminated { quote: usize },
}

/// States of dotenvy's line joiner (`QuotedLines`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Joiner {
    Complete,
    /// After an odd number of blanks: a `#` here ends the entry.
    Blank,
    Escape,
    Weak,
    WeakEscape,
    Strong,
}

impl Joiner {
    fn bit(self) -> u8 {
        match self {
            Joiner::Weak | Joiner::WeakEscape => 1,
            Joiner::Strong => 2,
            _ => 0,
        }
    }
}

impl Scanner<'_> {
    /// Read the entry starting at line start `at`; return the start of the
    /// next line to read.
    fn entry(&mut self, at: usize) -> usize {
        let eol = line_end(self.text, at);
        let next = (eol + 1).min(self.text.len());
        let content_end = trim_end(self.text, at, eol);
        let first = skip_blank(self.text, at, content_end);
        if first >= content_end {
            return next;
        }
        if char_at(self.text, first) == Some('#') {
            self.comment(first, eol);
            return next;
        }
        let head = match self.head(first, content_end) {
            Ok(head) => head,
            Err(error) => {
                // A bare `NAME` (or `export NAME`) is no error to
                // python-dotenv (a name without a value, which it does not
                // set) nor to Node's dotenv (which skips it).
                if !self.shell && !bare_name(self.text, first, content_end) {
                    self.error(error);
                }
                if let Some(comment) = loose_comment(self.text, at, eol) {
                    self.out.comments.push(comment);
                }
                return next;
            }
        };
        if head.value >= content_end || char_at(self.text, head.value) == Some('#') {
            if head.value < content_end {
                self.comment(head.value, eol);
            }
            let value = Value {
                kind: ValueKind::Empty,
                text: String::new(),
                reference: None,
                span: Span::new(head.eq + 1, head.eq + 1),
                quote: None,
            };
            self.define(&head, value, Span::new(at, next));
            return next;
        }
        let (end, entry_end, comment) = match self.join(head.value) {
            Joined::Done { end, next, comment } => (end, next, comment),
            Joined::Unterminated { quote } => {
                if !self.shell {
                    let kind = match char_at(self.text, quote) {
                        Some('\'') => "single",
                        _ => "double",
                    };
                    self.error(ParseError {
                        span: Span::new(quote, quote + 1),
                        message: format!("unterminated {kind}-quoted value starting here"),
                    });
                }
                return next;
            }
        };
        let value_end = trim_end(self.text, head.value, end);
        let decoded = decode(self.text, head.value, value_end, self.shell);
        if let Some(comment) = comment {
            self.out.comments.push(comment);
        }
        match decoded {
            Ok(decoded) => {
                if let Some(hash) = decoded.comment {
                    self.comment(hash, line_end(self.text, hash));
                }
                let value = decoded.into_value(head.value, head.eq);
                self.define(&head, value, Span::new(at, entry_end));
            }
            Err(error) => {
                if !self.shell {
                    self.error(error);
                }
            }
        }
        entry_end
    }

    /// `[export] NAME =` and the blanks after it, as dotenvy reads them.
    fn head(&self, first: usize, end: usize) -> Result<Head, ParseError> {
        let text = self.text;
        let Some(first_end) = key_end(text, first) else {
            return Err(unexpected(
                text,
                first,
                "expected a variable name (KEY=VALUE)",
            ));
        };
        let mut name = Span::new(first, first_end);
        let mut at = skip_blank(text, first_end, end);
        if slice(text, name) == "export" && char_at(text, at) != Some('=') {
            let Some(second_end) = key_end(text, at) else {
                return Err(if at >= end {
                    ParseError {
                        span: name,
                        message: "expected a variable name after `export`".to_string(),
                    }
                } else {
                    unexpected(text, at, "expected a variable name after `export`")
                });
            };
            name = Span::new(at, second_end);
            at = skip_blank(text, second_end, end);
        }
        if at >= end {
            return Err(ParseError {
                span: name,
                message: format!("expected `=` after `{}`", shorten(slice(text, name))),
            });
        }
        if char_at(text, at) != Some('=') {
            let hint = if at == name.end {
                " (names hold letters, digits, `_` and `.`)"
            } else {
                ""
            };
            let what = format!("expected `=` after `{}`{hint}", shorten(slice(text, name)));
            return Err(unexpected(text, at, &what));
        }
        Ok(Head {
            name,
            eq: at,
            value: skip_blank(text, at + 1, end),
        })
    }

    /// dotenvy's line joiner from the first character of a value: the entry
    /// goes on while a quote is open at the end of a line.
    fn join(&mut self, from: usize) -> Joined {
        let text = self.text;
        let mut state = Joiner::Complete;
        let mut open = from;
        let mut first_open = None;
        let mut passed = Vec::new();
        let mut after_blank = false;
        // After a `#` that dotenvy's joiner misses (an even number of blanks
        // before it), quotes are comment text: they open nothing.
        let mut in_comment = false;
        let rest = text.get(from..).unwrap_or("");
        for (offset, c) in rest.char_indices() {
            let at = from + offset;
            if c == '#' && state == Joiner::Blank {
                let end = line_end(text, at);
                return Joined::Done {
                    end: at,
                    next: (end + 1).min(text.len()),
                    comment: Some(Span::new(at, strip_cr(text, at, end))),
                };
            }
            in_comment |= c == '#' && after_blank;
            let blank = c.is_whitespace() && c != '\n' && c != '\r';
            after_blank = blank && matches!(state, Joiner::Complete | Joiner::Blank);
            state = match (state, c) {
                (Joiner::Complete, _) if blank => Joiner::Blank,
                (Joiner::Complete | Joiner::Blank, '\\') => Joiner::Escape,
                (Joiner::Complete | Joiner::Blank, '"') if !in_comment => {
                    open = at;
                    Joiner::Weak
                }
                (Joiner::Complete | Joiner::Blank, '\'') if !in_comment => {
                    open = at;
                    Joiner::Strong
                }
                (Joiner::Complete | Joiner::Blank | Joiner::Escape, _) => Joiner::Complete,
                (Joiner::Weak, '\\') => Joiner::WeakEscape,
                (Joiner::Weak, '"') | (Joiner::Strong, '\'') => Joiner::Complete,
                (Joiner::Weak | Joiner::WeakEscape, _) => Joiner::Weak,
                (Joiner::Strong, _) => Joiner::Strong,
            };
            if c != '\n' {
                continue;
            }
            if state == Joiner::Complete {
                return Joined::Done {
                    end: at,
                    next: at + 1,
                    comment: None,
                };
            }
            let quote = *first_open.get_or_insert(open);
            let line = at + 1;
            if self.doomed.get(&line).is_some_and(|b| b & state.bit() != 0) {
                self.doom(&passed);
                return Joined::Unterminated { quote };
            }
            passed.push((line, state.bit()));
        }
        match state {
            Joiner::Complete | Joiner::Blank | Joiner::Escape => Joined::Done {
                end: text.len(),
                next: text.len(),
                comment: None,
            },
            Joiner::Weak | Joiner::WeakEscape | Joiner::Strong => {
                self.doom(&passed);
                Joined::Unterminated {
                    quote: first_open.unwrap_or(open),
                }
            }
        }
    }

    fn error(&mut self, e: ParseError) {
        if self.out.facts.parse_errors.len() < MAX_ERRORS {
            self.out.facts.parse_errors.push(e);
        } else {
            self.more += 1;
            self.more_errors.get_or_insert(e);
        }
    }

    fn doom(&mut self, passed: &[(usize, u8)]) {
        for &(line, bit) in passed {
            *self.doomed.entry(line).or_insert(0) |= bit;
        }
    }

    /// A comment from `at` to the end of its line.
    fn comment(&mut self, at: usize, line_end: usize) {
        self.out
            .comments
            .push(Span::new(at, strip_cr(self.text, at, line_end)));
    }

    fn define(&mut self, head: &Head, value: Value, entry: Span) {
        let name = slice(self.text, head.name);
        if self.credentials_only && !self.providers.prefilter().credential_name(name) {
            return;
        }
        let name = name.to_string();
        if let Some((provider, variable)) = self.providers.variable(&name) {
            self.out.facts.settings.push(Setting {
                provider,
                slot: variable.slot,
                name: name.clone(),
                name_span: head.name,
                value: value.clone(),
                entry,
                scope: 0,
                env_ref: None,
            });
        }
        self.out.facts.definitions.push(Definition {
            name,
            name_span: head.name,
            value,
            entry,
            scope: 0,
            source: DefSource::EnvFile,
        });
    }
}

/// A value decoded by dotenvy's rules, references kept as written.
struct Decoded {
    text: String,
    /// References and command substitutions in the value.
    references: usize,
    /// The variable the first reference names.
    name: Option<String>,
    /// Whether any character came from outside a reference.
    literal: bool,
    /// The quote around the whole value, when one pair encloses all of it.
    enclosed: Option<char>,
    /// End of the value: before the blanks of an inline comment.
    end: usize,
    /// An inline comment the decoder found (the joiner finds the others).
    comment: Option<usize>,
}

impl Decoded {
    fn add_reference(&mut self, written: &str, name: Option<&str>) {
        self.text.push_str(written);
        self.references += 1;
        if self.references == 1 {
            self.name = name.map(str::to_string);
        }
    }

    fn push(&mut self, c: char) {
        self.text.push(c);
        self.literal = true;
    }

    /// The value fact. An empty value's span is empty: inside the quotes of
    /// `""`/`''`, else right after the `=`.
    fn into_value(self, start: usize, eq: usize) -> Value {
        let kind = if self.references == 1 && !self.literal {
            ValueKind::Reference
        } else if self.references == 0 && self.text.is_empty() {
            ValueKind::Empty
        } else {
            ValueKind::Literal
        };
        let span = match (kind, self.enclosed) {
            (ValueKind::Empty, Some(_)) => Span::new(start + 1, start + 1),
            (ValueKind::Empty, None) => Span::new(eq + 1, eq + 1),
            (_, Some(_)) => Span::new(start + 1, self.end.saturating_sub(1).max(start + 1)),
            (_, None) => Span::new(start, self.end),
        };
        Value {
            reference: if kind == ValueKind::Reference {
                self.name
            } else {
                None
            },
            kind,
            text: self.text,
            span,
            quote: self.enclosed,
        }
    }
}

/// dotenvy's value decoder (`parse_value`) over `text[start..end]`, a value
/// already cut at its comment and trailing whitespace.
fn decode(text: &str, start: usize, end: usize, shell: bool) -> Result<Decoded, ParseError> {
    let raw = text.get(start..end).unwrap_or("");
    let mut d = Decoded {
        text: String::new(),
        references: 0,
        name: None,
        literal: false,
        enclosed: None,
        end,
        comment: None,
    };
    let mut quote: Option<(char, usize)> = None;
    let mut first_close = None;
    let mut blank_at: Option<usize> = None;
    let mut i = 0;
    while let Some(c) = raw.get(i..).and_then(|r| r.chars().next()) {
        let at = start + i;
        let width = c.len_utf8();
        if let Some(blank) = blank_at {
            match c {
                ' ' | '\t' => {}
                '#' => {
                    d.comment = Some(at);
                    d.end = blank;
                    break;
                }
                _ if !shell && !raw.starts_with(['"', '\'']) => {
                    // python-dotenv and Node's dotenv keep the blanks inside
                    // an unquoted value (`KEY=<your key here>`); only
                    // dotenvy rejects them, and apps load these files with
                    // the former.
                    for b in raw.get(blank - start..i).unwrap_or("").chars() {
                        d.push(b);
                    }
                    blank_at = None;
                    continue;
                }
                _ => {
                    return Err(ParseError {
                        span: Span::new(blank, at + width),
                        message: "text after a quoted value: quote the whole value".to_string(),
                    });
                }
            }
            i += width;
            continue;
        }
        let in_single = matches!(quote, Some(('\'', _)));
        let in_double = matches!(quote, Some(('"', _)));
        match c {
            '\'' if in_single => {
                if quote.is_some_and(|(_, open)| open == start) {
                    first_close = Some(at);
                }
                quote = None;
            }
            _ if in_single => d.push(c),
            '$' => {
                i = reference(raw, i, start, shell, &mut d)?;
                continue;
            }
            '`' if shell => {
                let close = raw
                    .get(i + 1..)
                    .and_then(|r| r.find('`'))
                    .map(|k| i + 1 + k)
                    .ok_or_else(|| ParseError {
                        span: Span::new(at, end),
                        message: "unterminated command substitution".to_string(),
                    })?;
                d.add_reference(raw.get(i..=close).unwrap_or(""), None);
                i = close + 1;
                continue;
            }
            '"' if in_double => {
                if quote.is_some_and(|(_, open)| open == start) {
                    first_close = Some(at);
                }
                quote = None;
            }
            '\\' => {
                let Some(escaped) = raw.get(i + 1..).and_then(|r| r.chars().next()) else {
                    i += 1;
                    continue;
                };
                if shell {
                    if in_double && !matches!(escaped, '$' | '`' | '"' | '\\' | '\n') {
                        d.push('\\');
                    }
                    if escaped != '\n' {
                        d.push(escaped);
                    }
                    i += 1 + escaped.len_utf8();
                    continue;
                }
                match escaped {
                    '\\' | '\'' | '"' | '$' | ' ' => d.push(escaped),
                    'n' => d.push('\n'),
                    '\n' | '\r' => {
                        return Err(ParseError {
                            span: Span::new(at, at + 1),
                            message: "backslash at the end of a line: dotenv values have no \
                                      line continuation"
                                .to_string(),
                        });
                    }
                    // python-dotenv and Node's dotenv keep an unknown
                    // escape as written (python-dotenv decodes `\t` and the
                    // like in double quotes); only dotenvy rejects it.
                    't' if in_double => d.push('\t'),
                    'r' if in_double => d.push('\r'),
                    other if !other.is_whitespace() => {
                        d.push('\\');
                        d.push(other);
                    }
                    other => {
                        return Err(ParseError {
                            span: Span::new(at, at + 1 + other.len_utf8()),
                            message: format!(
                                "invalid escape `\\{}`: dotenv knows only \\\\, \\', \\\", \\$, \
                                 \\n and `\\ `",
                                other.escape_debug()
                            ),
                        });
                    }
                }
                i += 1 + escaped.len_utf8();
                continue;
            }
            _ if in_double => d.push(c),
            '\'' | '"' => quote = Some((c, at)),
            ' ' | '\t' => blank_at = Some(at),
            _ => d.push(c),
        }
        i += width;
    }
    if let Some((q, open)) = quote {
        let kind = if q == '\'' { "single" } else { "double" };
        return Err(ParseError {
            span: Span::new(open, open + 1),
            message: format!("unterminated {kind}-quoted value starting here"),
        });
    }
    if first_close.is_some_and(|close| close + 1 == d.end) {
        d.enclosed = raw.chars().next();
    }
    Ok(d)
}

/// A `$` at `raw[i]` outside single quotes: a reference (kept as written) or
/// a plain `$`. Returns the index after it.
fn reference(
    raw: &str,
    i: usize,
    start: usize,
    shell: bool,
    d: &mut Decoded,
) -> Result<usize, ParseError> {
    let after = i + 1;
    let rest = raw.get(after..).unwrap_or("");
    match rest.chars().next() {
        Some('{') => {
            let Some(k) = rest.get(1..).and_then(|r| r.find('}')) else {
                return Err(ParseError {
                    span: Span::new(start + i, start + raw.len()),
                    message: "unterminated `${` reference".to_string(),
                });
            };
            let close = after + 1 + k;
            let inner = raw.get(after + 1..close).unwrap_or("");
            d.add_reference(raw.get(i..=close).unwrap_or(""), braced_name(inner));
            Ok(close + 1)
        }
        Some('(') if shell => {
            let Some(close) = matching_paren(raw, after) else {
                return Err(ParseError {
                    span: Span::new(start + i, start + raw.len()),
                    message: "unterminated command substitution".to_string(),
                });
            };
            d.add_reference(raw.get(i..=close).unwrap_or(""), None);
            Ok(close + 1)
        }
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let name = rest.get(..len).unwrap_or("");
            d.add_reference(raw.get(i..after + len).unwrap_or(""), Some(name));
            Ok(after + len)
        }
        _ => {
            d.push('$');
            Ok(after)
        }
    }
}

/// The variable `${…}` names: a shell name, alone or before a parameter
/// operator (`:-`, `-`, `:?`, `?`, `:+`, `+`, `:=`, `=`, `:offset`).
fn braced_name(inner: &str) -> Option<&str> {
    let first = inner.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    let len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let (name, rest) = inner.split_at_checked(len)?;
    match rest.chars().next() {
        None | Some(':' | '-' | '?' | '+' | '=') => Some(name),
        Some(_) => None,
    }
}

/// The index of the `)` closing the `(` at `raw[open]`, skipping quoted text.
fn matching_paren(raw: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    let mut escaped = false;
    for (k, c) in raw.get(open..)?.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (Some('"') | None, '\\') => escaped = true,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(open + k);
                }
            }
            (None, _) => {}
        }
    }
    None
}

/// A comment in a line that is not an assignment: `#` at the start or after
/// whitespace, outside shell quotes.
fn loose_comment(text: &str, from: usize, line_end: usize) -> Option<Span> {
    let line = text.get(from..line_end)?;
    let mut after_blank = true;
    let mut quote = None;
    let mut escaped = false;
    for (k, c) in line.char_indices() {
        if escaped {
            escaped = false;
            after_blank = false;
            continue;
        }
        match (quote, c) {
            (None, '#') if after_blank => {
                let at = from + k;
                return Some(Span::new(at, strip_cr(text, at, line_end)));
            }
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (Some('"') | None, '\\') => escaped = true,
            (None, '\'' | '"') => quote = Some(c),
            _ => {}
        }
        after_blank = quote.is_none() && c.is_whitespace();
    }
    None
}

/// Whether `text[first..end]` is a bare `NAME` or `export NAME` (or a lone
/// `export`): a name without `=`.
fn bare_name(text: &str, first: usize, end: usize) -> bool {
    let line = text.get(first..end).unwrap_or("");
    let name = match line.strip_prefix("export") {
        Some(rest) if rest.starts_with([' ', '\t']) => rest.trim_start(),
        _ => line,
    };
    !name.is_empty() && key_end(name, 0) == Some(name.len())
}

/// A parse error at the character at `at`.
fn unexpected(text: &str, at: usize, expected: &str) -> ParseError {
    match char_at(text, at) {
        Some(c) => ParseError {
            span: Span::new(at, at + c.len_utf8()),
            message: format!("{expected}, found `{}`", c.escape_debug()),
        },
        None => ParseError {
            span: Span::new(at, at),
            message: expected.to_string(),
        },
    }
}

/// End of dotenvy's key at `at`: an ASCII letter or `_`, then ASCII letters,
/// digits, `_` and `.`.
fn key_end(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    let first = rest.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(rest.len());
    Some(at + len)
}

fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

fn slice(text: &str, span: Span) -> &str {
    text.get(span.start..span.end).unwrap_or("")
}

/// The offset of the `\n` ending the line that holds `at`, or the text end.
fn line_end(text: &str, at: usize) -> usize {
    text.as_bytes()
        .get(at..)
        .and_then(|rest| memchr::memchr(b'\n', rest))
        .map_or(text.len(), |k| at + k)
}

/// `end` moved back over one `\r` (a CRLF line ending), not before `start`.
fn strip_cr(text: &str, start: usize, end: usize) -> usize {
    if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

/// The first offset in `start..end` that is not whitespace, or `end`.
fn skip_blank(text: &str, start: usize, end: usize) -> usize {
    match text.get(start..end) {
        Some(s) => end - s.trim_start().len(),
        None => end,
    }
}

/// `end` moved back over whitespace, not before `start`.
fn trim_end(text: &str, start: usize, end: usize) -> usize {
    match text.get(start..end) {
        Some(s) => start + s.trim_end().len(),
        None => end,
    }
}

/// A name cut for a message (lines may be of any length).
fn shorten(name: &str) -> String {
    const MAX: usize = 40;
    match name.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", name.get(..cut).unwrap_or("")),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Slot;
    use crate::source::Position;

    fn scan(text: &str) -> (Source, EnvFile) {
        scan_as(text, false)
    }

    fn scan_as(text: &str, shell: bool) -> (Source, EnvFile) {
        let source = Source::new(text.to_string());
        let env = extract(&source, Providers::builtin(), shell);
        (source, env)
    }

    fn value<'a>(env: &'a EnvFile, name: &str) -> &'a Value {
        match env.facts.definitions.iter().find(|d| d.name == name) {
            Some(d) => &d.value,
            None => panic!("{name} is not defined: {:?}", env.facts),
        }
    }

    fn pos(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    fn errors(env: &EnvFile) -> Vec<&str> {
        env.facts
            .parse_errors
            .iter()
            .map(|e| e.message.as_str())
            .collect()
    }

    #[test]
    fn unquoted_value() {
        let (s, env) = scan("# header\nOPENAI_BASE_URL=https://api.example.com/v1\n");
        let v = value(&env, "OPENAI_BASE_URL");
        assert_eq!(v.kind, ValueKind::Literal);
        assert_eq!(v.text, "https://api.example.com/v1");
        assert_eq!(v.quote, None);
        assert_eq!(v.reference, None);
        assert_eq!(s.slice(v.span), "https://api.example.com/v1");
        assert_eq!(s.position(v.span.start), pos(2, 17));
        assert!(env.facts.parse_errors.is_empty());
    }

    #[test]
    fn blanks_export_and_spaces_around_equals() {
        let (s, env) = scan("  export  OPENAI_ORG_ID =\t org-fake   \n");
        let d = &env.facts.definitions[0];
        assert_eq!(d.name, "OPENAI_ORG_ID");
        assert_eq!(s.slice(d.name_span), "OPENAI_ORG_ID");
        assert_eq!(s.position(d.name_span.start), pos(1, 11));
        assert_eq!(d.value.text, "org-fake");
        assert_eq!(s.slice(d.value.span), "org-fake");
        assert_eq!(s.slice(d.entry), s.text());
        assert_eq!(d.scope, 0);
    }

    #[test]
    fn export_as_a_name_and_dotted_names() {
        let (_, env) = scan("export=1\nexportX=2\nA.b_1=3\n_x=4\n");
        let names: Vec<_> = env.facts.definitions.iter().map(|d| &d.name).collect();
        assert_eq!(names, ["export", "exportX", "A.b_1", "_x"]);
    }

    #[test]
    fn inline_comments() {
        let (s, env) = scan("A=value # note\nB=\"q # in\" # out\nC=x#y\nD='s'\t#t\n");
        assert_eq!(value(&env, "A").text, "value");
        assert_eq!(s.slice(value(&env, "A").span), "value");
        assert_eq!(value(&env, "B").text, "q # in");
        assert_eq!(value(&env, "C").text, "x#y");
        assert_eq!(value(&env, "D").text, "s");
        let comments: Vec<_> = env.comments.iter().map(|&c| s.slice(c)).collect();
        assert_eq!(comments, ["# note", "# out", "#t"]);
    }

    #[test]
    fn escapes_unquoted() {
        let (s, env) = scan("A=my\\ cool\\ value\nB=\\$HOME\nC=a\\\\b\nD=x\\ny\n");
        assert_eq!(value(&env, "A").text, "my cool value");
        assert_eq!(s.slice(value(&env, "A").span), "my\\ cool\\ value");
        assert_eq!(value(&env, "B").text, "$HOME");
        assert_eq!(value(&env, "B").kind, ValueKind::Literal);
        assert_eq!(value(&env, "C").text, "a\\b");
        assert_eq!(value(&env, "D").text, "x\ny");
    }

    #[test]
    fn single_quotes_are_literal_and_may_span_lines() {
        let (s, env) = scan("A='$X \\n # not'\nB='line1\nline2'\nC=after\n");
        let a = value(&env, "A");
        assert_eq!(a.text, "$X \\n # not");
        assert_eq!(a.kind, ValueKind::Literal);
        assert_eq!(a.quote, Some('\''));
        assert_eq!(s.slice(a.span), "$X \\n # not");
        let b = value(&env, "B");
        assert_eq!(b.text, "line1\nline2");
        assert_eq!(s.slice(b.span), "line1\nline2");
        assert_eq!(s.position(b.span.end), pos(3, 6));
        let entry = env.facts.definitions[1].entry;
        assert_eq!(s.slice(entry), "B='line1\nline2'\n");
        assert_eq!(value(&env, "C").text, "after");
    }

    #[test]
    fn double_quotes_decode_escapes_and_may_span_lines() {
        let (s, env) = scan("A=\"a \\\"q\\\" \\\\ \\$ \\' \\n end\"\nB=\"x\n  y\"  # c\n");
        let a = value(&env, "A");
        assert_eq!(a.text, "a \"q\" \\ $ ' \n end");
        assert_eq!(a.quote, Some('"'));
        assert_eq!(s.slice(a.span), "a \\\"q\\\" \\\\ \\$ \\' \\n end");
        let b = value(&env, "B");
        assert_eq!(b.text, "x\n  y");
        assert_eq!(s.slice(b.span), "x\n  y");
        assert_eq!(s.position(b.span.start), pos(2, 4));
        assert_eq!(s.slice(env.comments[0]), "# c");
    }

    #[test]
    fn concatenated_quotes_are_one_unquoted_value() {
        let (s, env) = scan("A=\"con\"'cat'x\n");
        let a = value(&env, "A");
        assert_eq!(a.text, "concatx");
        assert_eq!(a.quote, None);
        assert_eq!(s.slice(a.span), "\"con\"'cat'x");
    }

    #[test]
    fn references() {
        let text = "OPENAI_API_KEY=${OPENAI_KEY}\nOPENAI_ORG_ID=$ORG_ID\n\
                    OPENAI_PROJECT_ID=\"${PROJECT:-proj_default}\"\n\
                    OPENAI_BASE_URL=https://${HOST}/v1\nX='${NOT}'\nY=\\${NOT}\nZ=${}\n";
        let (s, env) = scan(text);
        let key = value(&env, "OPENAI_API_KEY");
        assert_eq!(key.kind, ValueKind::Reference);
        assert_eq!(key.text, "${OPENAI_KEY}");
        assert_eq!(key.reference.as_deref(), Some("OPENAI_KEY"));
        assert_eq!(s.slice(key.span), "${OPENAI_KEY}");
        let org = value(&env, "OPENAI_ORG_ID");
        assert_eq!(org.kind, ValueKind::Reference);
        assert_eq!(org.text, "$ORG_ID");
        assert_eq!(org.reference.as_deref(), Some("ORG_ID"));
        let project = value(&env, "OPENAI_PROJECT_ID");
        assert_eq!(project.kind, ValueKind::Reference);
        assert_eq!(project.quote, Some('"'));
        assert_eq!(project.reference.as_deref(), Some("PROJECT"));
        assert_eq!(s.slice(project.span), "${PROJECT:-proj_default}");
        let url = value(&env, "OPENAI_BASE_URL");
        assert_eq!(url.kind, ValueKind::Literal);
        assert_eq!(url.text, "https://${HOST}/v1");
        assert_eq!(url.reference, None);
        assert_eq!(value(&env, "X").kind, ValueKind::Literal);
        assert_eq!(value(&env, "Y").kind, ValueKind::Literal);
        assert_eq!(value(&env, "Y").text, "${NOT}");
        let z = value(&env, "Z");
        assert_eq!(
            (z.kind, z.reference.as_deref()),
            (ValueKind::Reference, None)
        );
    }

    #[test]
    fn dollar_without_a_name_is_literal() {
        let (_, env) = scan("A=$\nB=price$5\nC=$$X\n");
        assert_eq!(value(&env, "A").text, "$");
        assert_eq!(value(&env, "A").kind, ValueKind::Literal);
        assert_eq!(value(&env, "B").text, "price$5");
        assert_eq!(value(&env, "C").text, "$$X");
        assert_eq!(value(&env, "C").kind, ValueKind::Literal);
    }

    #[test]
    fn empty_values() {
        let (s, env) = scan("A=\nB=   \nC=\"\"\nD=''\nE= # c\nF=#x\nG=\"\"\"\"\n");
        for name in ["A", "B", "C", "D", "E", "F", "G"] {
            let v = value(&env, name);
            assert_eq!(v.kind, ValueKind::Empty, "{name}");
            assert_eq!(v.text, "", "{name}");
            assert!(v.span.is_empty(), "{name}");
        }
        assert_eq!(s.position(value(&env, "A").span.start), pos(1, 3));
        assert_eq!(s.position(value(&env, "B").span.start), pos(2, 3));
        assert_eq!(value(&env, "C").quote, Some('"'));
        assert_eq!(s.position(value(&env, "C").span.start), pos(3, 4));
        assert_eq!(value(&env, "D").quote, Some('\''));
        assert_eq!(value(&env, "G").quote, None);
        let comments: Vec<_> = env.comments.iter().map(|&c| s.slice(c)).collect();
        assert_eq!(comments, ["# c", "#x"]);
    }

    #[test]
    fn blanks_inside_quotes_are_kept() {
        let (s, env) = scan("OPENAI_API_KEY=\" sk-fake \"\n");
        let v = value(&env, "OPENAI_API_KEY");
        assert_eq!(v.text, " sk-fake ");
        assert_eq!(s.slice(v.span), " sk-fake ");
    }

    #[test]
    fn crlf_and_last_line_without_newline() {
        let (s, env) = scan("# c\r\nA=1\r\nB=\"two\"\r\nC='x\r\ny'\r\nD=4");
        assert_eq!(value(&env, "A").text, "1");
        assert_eq!(value(&env, "B").text, "two");
        // As in dotenvy, a line break inside quotes is kept as written.
        assert_eq!(value(&env, "C").text, "x\r\ny");
        assert_eq!(value(&env, "D").text, "4");
        assert_eq!(s.slice(env.comments[0]), "# c");
        let entries: Vec<_> = env
            .facts
            .definitions
            .iter()
            .map(|d| s.slice(d.entry))
            .collect();
        assert_eq!(
            entries,
            ["A=1\r\n", "B=\"two\"\r\n", "C='x\r\ny'\r\n", "D=4"]
        );
    }

    #[test]
    fn credential_variables_become_settings() {
        let (s, env) = scan("OPENAI_API_KEY=sk-fake\nPORT=8080\nOPENAI_ORG_ID=org-fake\n");
        assert_eq!(env.facts.definitions.len(), 3);
        let settings: Vec<_> = env
            .facts
            .settings
            .iter()
            .map(|st| (st.name.as_str(), st.slot, st.value.text.as_str(), st.scope))
            .collect();
        assert_eq!(
            settings,
            [
                ("OPENAI_API_KEY", Slot::Key, "sk-fake", 0),
                ("OPENAI_ORG_ID", Slot::Org, "org-fake", 0)
            ]
        );
        let providers = Providers::builtin();
        let openai = providers.by_name("openai");
        assert!(
            env.facts
                .settings
                .iter()
                .all(|st| Some(st.provider) == openai)
        );
        assert_eq!(
            s.slice(env.facts.settings[1].entry),
            "OPENAI_ORG_ID=org-fake\n"
        );
    }

    #[test]
    fn every_bad_line_is_reported_and_scanning_goes_on() {
        let text = "A=1\nnot an assignment\nB=\"two\" words\n.C=3\nE=${OPEN\nF-G=1\nH=8\n";
        let (s, env) = scan(text);
        let names: Vec<_> = env.facts.definitions.iter().map(|d| &d.name).collect();
        assert_eq!(names, ["A", "H"]);
        let found: Vec<_> = env
            .facts
            .parse_errors
            .iter()
            .map(|e| (s.position(e.span.start), s.slice(e.span)))
            .collect();
        assert_eq!(
            found,
            [
                (pos(2, 5), "a"),
                (pos(3, 8), " w"),
                (pos(4, 1), "."),
                (pos(5, 3), "${OPEN"),
                (pos(6, 2), "-"),
            ]
        );
        assert!(errors(&env)[1].starts_with("text after a quoted value"));
        assert!(errors(&env)[2].starts_with("expected a variable name"));
        assert_eq!(errors(&env)[3], "unterminated `${` reference");
        assert_eq!(
            errors(&env)[4],
            "expected `=` after `F` (names hold letters, digits, `_` and `.`), found `-`"
        );
    }

    #[test]
    fn blanks_and_escapes_as_python_dotenv_reads_them() {
        let (_, env) = scan("A=<your key here>\nB=h\\8u # c\nBARE\nexport ALSO_BARE\n");
        assert!(env.facts.parse_errors.is_empty());
        assert_eq!(value(&env, "A").text, "<your key here>");
        assert_eq!(value(&env, "B").text, "h\\8u");
        assert_eq!(env.facts.definitions.len(), 2);
    }

    #[test]
    fn names_without_equals() {
        // python-dotenv reads a bare name as unset, Node's dotenv skips it.
        let (_, env) = scan("JUST_A_NAME\nexport\nexport A\nA B\n");
        let found: Vec<_> = env
            .facts
            .parse_errors
            .iter()
            .map(|e| e.message.as_str())
            .collect();
        assert_eq!(found, ["expected `=` after `A`, found `B`"]);
    }

    #[test]
    fn unterminated_quote_is_reported_where_it_opens() {
        let (s, env) = scan("A=1\nOPENAI_API_KEY=\"sk-fake\nB=2\nC='x\n");
        let names: Vec<_> = env.facts.definitions.iter().map(|d| &d.name).collect();
        assert_eq!(names, ["A", "B"]);
        let found: Vec<_> = env
            .facts
            .parse_errors
            .iter()
            .map(|e| (s.position(e.span.start), e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (pos(2, 16), "unterminated double-quoted value starting here"),
                (pos(4, 3), "unterminated single-quoted value starting here"),
            ]
        );
    }

    #[test]
    fn backslash_at_line_end_inside_double_quotes() {
        let (s, env) = scan("A=\"x\\\ny\"\nB=1\n");
        assert_eq!(env.facts.parse_errors.len(), 1);
        assert_eq!(s.position(env.facts.parse_errors[0].span.start), pos(1, 5));
        assert_eq!(value(&env, "B").text, "1");
    }

    #[test]
    fn envrc_shell_lines_are_not_errors() {
        let text = "#!/usr/bin/env bash\nsource_up # parent\nexport OPENAI_API_KEY=\"$(op read op://v/k)\"\n\
                    if [ -f .env ]; then dotenv; fi\nexport OPENAI_ORG_ID=\"org-fake\"\n\
                    export ANTHROPIC_API_KEY=`pass show anthropic`\nFOO=bar cmd\necho \"# no\" # yes\n";
        let (s, env) = scan_as(text, true);
        assert!(
            env.facts.parse_errors.is_empty(),
            "{:?}",
            env.facts.parse_errors
        );
        let key = value(&env, "OPENAI_API_KEY");
        assert_eq!(key.kind, ValueKind::Reference);
        assert_eq!(key.reference, None);
        assert_eq!(key.text, "$(op read op://v/k)");
        assert_eq!(value(&env, "OPENAI_ORG_ID").text, "org-fake");
        assert_eq!(value(&env, "ANTHROPIC_API_KEY").kind, ValueKind::Reference);
        assert_eq!(env.facts.definitions.len(), 3);
        let comments: Vec<_> = env.comments.iter().map(|&c| s.slice(c)).collect();
        assert_eq!(comments, ["#!/usr/bin/env bash", "# parent", "# yes"]);

        // The same file as a plain env file: the shell lines are errors
        // (not `FOO=bar cmd`, a value with a blank to python-dotenv), and
        // `"$(…)"` is a double-quoted literal.
        let (_, env) = scan(text);
        assert_eq!(env.facts.parse_errors.len(), 3);
        assert_eq!(value(&env, "OPENAI_API_KEY").kind, ValueKind::Literal);
    }

    #[test]
    fn envrc_backslashes_follow_bash() {
        let text = "export A=\"a\\tb\\n\\$c\\\"\"\nexport B=x\\qy\nexport C='s\\t'\n";
        let (_, env) = scan_as(text, true);
        assert!(env.facts.parse_errors.is_empty());
        assert_eq!(value(&env, "A").text, "a\\tb\\n$c\"");
        assert_eq!(value(&env, "B").text, "xqy");
        assert_eq!(value(&env, "C").text, "s\\t");
        // As a plain env file, python-dotenv keeps `\q` as written.
        let (_, env) = scan(text);
        assert!(env.facts.parse_errors.is_empty());
        assert_eq!(value(&env, "B").text, "x\\qy");
    }

    #[test]
    fn nul_bytes_and_decoded_input() {
        let source = Source::decode(b"\xEF\xBB\xBFA=x\0y\nB=\xFF\xFE\n\0=1\n");
        let env = extract(&source, Providers::builtin(), false);
        assert_eq!(value(&env, "A").text, "x\0y");
        assert_eq!(value(&env, "B").text, "\u{FFFD}\u{FFFD}");
        assert_eq!(env.facts.parse_errors.len(), 1);
        assert_eq!(
            source.position(env.facts.parse_errors[0].span.start),
            pos(3, 1)
        );
    }

    #[test]
    fn long_names_are_shortened_in_messages() {
        let name = "N".repeat(10_000);
        let (_, env) = scan(&format!("{name} x\n"));
        assert!(env.facts.parse_errors[0].message.len() < 100);
    }

    #[test]
    fn facts_render() {
        let (s, env) = scan("OPENAI_API_KEY=\nOPENAI_ORG_ID=${ORG}\nbad line\n");
        let rendered = env.facts.render(&s, Providers::builtin());
        assert_eq!(
            rendered,
            "definition OPENAI_API_KEY = empty @1:16-1:16 scope 0 from EnvFile\n\
             definition OPENAI_ORG_ID = reference \"${ORG}\" -> ORG @2:15-2:21 scope 0 from EnvFile\n\
             setting openai.key OPENAI_API_KEY = empty @1:16-1:16 scope 0\n\
             setting openai.org OPENAI_ORG_ID = reference \"${ORG}\" -> ORG @2:15-2:21 scope 0\n\
             parse-error @3:5-3:6: expected `=` after `bad`, found `l`\n"
        );
    }
}
