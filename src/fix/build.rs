//! Fixes built from facts, one constructor per kind of fix; rules call them
//! where they emit. Each works on the spans of a `Setting`, `Definition` or
//! `Literal` fact and the file's text, the same for every extractor, and
//! returns `None` when the text around the span is not what the fix
//! expects (an escape inside a value, an entry that shares its line): no
//! fix is better than a wrong one.

use std::sync::LazyLock;

use regex::Regex;

use super::{Applicability, Edit, EnvVar, Fix};
use crate::extract::format::env_entry;
use crate::fact::{
    Definition, EnvRef, EnvRefSyntax, Literal, LiteralKind, Setting, Slot, ValueKind,
};
use crate::file_ref::FileRef;
use crate::source::Span;
use crate::walk::{FileKind, Language};

/// What [`strip`] removed from a key value, for the description.
#[derive(Debug, Default, PartialEq, Eq)]
struct Stripped {
    space: bool,
    bearer: bool,
    quotes: bool,
    newline: bool,
}

const QUOTES: [char; 3] = ['"', '\'', '`'];

/// A quote character of any of the formats (`"`, `'`, `` ` ``).
pub(super) fn is_quote(c: char) -> bool {
    QUOTES.contains(&c)
}

/// How many bytes to cut from the head and the tail of a key value: the
/// whitespace, `Bearer ` prefix, quotes and trailing `\n` escapes around it,
/// in any order and nesting, until none is left.
fn strip(v: &str, what: &mut Stripped) -> (usize, usize) {
    let (mut head, mut tail) = (0, 0);
    loop {
        let Some(cur) = v.get(head..v.len() - tail) else {
            return (head, tail);
        };
        let before = (head, tail);
        let t = cur.trim_start();
        if t.len() < cur.len() {
            head += cur.len() - t.len();
            what.space = true;
            continue;
        }
        let t = cur.trim_end();
        if t.len() < cur.len() {
            tail += cur.len() - t.len();
            // A real line break at the end is the "trailing newline" case.
            if cur[t.len()..].contains('\n') {
                what.newline = true;
            } else {
                what.space = true;
            }
            continue;
        }
        if cur.ends_with("\\n") || cur.ends_with("\\r") {
            tail += 2;
            what.newline = true;
            continue;
        }
        if cur.len() > 7
            && cur
                .get(..6)
                .is_some_and(|p| p.eq_ignore_ascii_case("bearer"))
            && cur[6..].starts_with(char::is_whitespace)
        {
            head += cur.len() - cur[6..].trim_start().len();
            what.bearer = true;
            continue;
        }
        let first = cur.chars().next();
        let last = cur.chars().next_back();
        match (first, last) {
            (Some(a), Some(b)) if cur.len() >= 2 && a == b && QUOTES.contains(&a) => {
                head += 1;
                tail += 1;
            }
            (Some(a), _) if QUOTES.contains(&a) => head += 1,
            (_, Some(b)) if QUOTES.contains(&b) => tail += 1,
            _ => {}
        }
        if (head, tail) == before {
            return (head, tail);
        }
        what.quotes = true;
    }
}

/// KEY004: delete the whitespace, `Bearer ` prefix, nested quotes and
/// trailing newline around a key value. Only characters around the key are
/// deleted, so the edits never hold the key. `None` unless the value is
/// written in the file as it is decoded (no escapes in the part kept).
pub fn clean_key(file: &FileRef<'_>, s: &Setting) -> Option<Fix> {
    if s.value.kind != ValueKind::Literal {
        return None;
    }
    let raw = file
        .source
        .text()
        .get(s.value.span.start..s.value.span.end)?;
    let mut what = Stripped::default();
    let (head, tail) = strip(raw, &mut what);
    let (dh, dt) = strip(&s.value.text, &mut Stripped::default());
    let kept = raw.get(head..raw.len().checked_sub(tail)?)?;
    let clean = s.value.text.get(dh..s.value.text.len().checked_sub(dt)?)?;
    if head + tail == 0 || kept.is_empty() || kept != clean {
        return None;
    }
    let mut parts = Vec::new();
    if what.space {
        parts.push("the whitespace");
    }
    if what.bearer {
        parts.push("the `Bearer ` prefix");
    }
    if what.quotes {
        parts.push("the inner quotes");
    }
    if what.newline {
        parts.push("the trailing newline");
    }
    let mut edits = Vec::new();
    let span = s.value.span;
    if head > 0 {
        edits.push(Edit::new(
            file,
            Span::new(span.start, span.start + head),
            "",
        ));
    }
    if tail > 0 {
        edits.push(Edit::new(file, Span::new(span.end - tail, span.end), ""));
    }
    Some(Fix::new(
        Applicability::Safe,
        format!("remove {} from the {} value", list(&parts), s.name),
        edits,
    ))
}

/// `a`, `a and b`, `a, b and c`.
fn list(parts: &[&str]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn is_code(kind: FileKind) -> bool {
    matches!(kind, FileKind::Code(_))
}

/// The start of the line holding `at`.
fn line_start(text: &str, at: usize) -> usize {
    text.get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// The start of the line after the one holding `at` (the end of the text
/// on the last line).
fn next_line(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| at + i + 1)
}

/// The leading whitespace of a line, in characters.
fn indent(line: &str) -> usize {
    line.chars().take_while(|c| c.is_whitespace()).count()
}

/// Whether a line says nothing (blank, or only a `#`/`//` comment).
fn insignificant(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#') || t.starts_with("//")
}

/// Whether the lines `[from, to)` are the only child of the block opened
/// by the line before them (`env:` in YAML, `if x:` in Python): deleting
/// them would leave the parent empty, which changes its meaning (YAML
/// `null`) or is a syntax error (Python).
fn sole_child(text: &str, from: usize, to: usize) -> bool {
    let Some(first) = text.get(from..to).and_then(|t| t.lines().next()) else {
        return false;
    };
    let ind = indent(first);
    let dash = first.trim_start().starts_with('-');
    let prev = text
        .get(..from)
        .unwrap_or("")
        .lines()
        .rev()
        .find(|l| !insignificant(l));
    let Some(prev) = prev else { return false };
    let opens = prev.trim_end().ends_with(':')
        && (indent(prev) < ind
            || (indent(prev) == ind && dash && !prev.trim_start().starts_with('-')));
    if !opens {
        return false;
    }
    let next = text
        .get(to..)
        .unwrap_or("")
        .lines()
        .find(|l| !insignificant(l));
    let sibling = next.is_some_and(|n| {
        indent(n) > ind || (indent(n) == ind && (!dash || n.trim_start().starts_with('-')))
    });
    !sibling
}

/// The last character before `at` that is not whitespace, with its offset.
fn prev_char(text: &str, at: usize) -> Option<(usize, char)> {
    text.get(..at)?
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_whitespace())
}

/// The first character at or after `at` that is not whitespace.
fn next_char(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().find(|c| !c.is_whitespace())
}

/// ORG003: delete an empty setting's entry: its whole lines (an env line,
/// a config entry, an argument on its own line with its comma), or inline
/// in code and JSON with the comma that joins it to its neighbour.
pub fn delete_entry(file: &FileRef<'_>, s: &Setting) -> Option<Fix> {
    let text = file.source.text();
    let kind = file.entry.class.kind;
    let mut entry = s.entry;
    // A quoted key (JSON `"organization": ""`): the entry starts at its
    // opening quote.
    if let Some(q) = text.get(..entry.start).and_then(|t| t.chars().next_back())
        && is_quote(q)
        && text
            .get(line_start(text, entry.start)..entry.start - 1)
            .is_some_and(|p| {
                p.trim().is_empty()
                    || p.trim_end().ends_with(',')
                    || (kind == FileKind::Yaml && p.trim() == "-")
            })
    {
        entry.start -= 1;
        // Its closing quote goes with it (a quoted YAML list item whose
        // span is its content).
        if text.get(entry.end..).is_some_and(|t| t.starts_with(q))
            && text
                .get(entry.start + 1..entry.end)
                .is_some_and(|t| !t.ends_with(q))
        {
            entry.end += q.len_utf8();
        }
    }
    let entry_text = text.get(entry.start..entry.end)?;
    if entry_text.trim().is_empty()
        || matches!(
            kind,
            FileKind::Notebook | FileKind::Docs | FileKind::Other | FileKind::Dockerfile
        )
    {
        return None;
    }
    let commas = is_code(kind) || matches!(kind, FileKind::Json { .. });
    let start = line_start(text, entry.start);
    let prefix = text.get(start..entry.start)?;
    // A call in a builder chain (`.organization("")`) goes with its dot.
    let chained = is_code(kind) && prefix.ends_with('.');
    let prefix_ok = prefix.trim().is_empty()
        || (chained && prefix.trim() == ".")
        || (kind == FileKind::Yaml
            && prefix
                .trim_start()
                .strip_prefix('-')
                .is_some_and(|r| r.trim().is_empty() && !r.is_empty()));
    let (end, sep) = if entry_text.ends_with('\n') {
        (entry.end, "")
    } else {
        let end = next_line(text, entry.end);
        (end, text.get(entry.end..end)?.trim())
    };
    // What may follow the entry on its line: its comma or semicolon, and a
    // comment, which goes with the line.
    let (joined, rest) = match sep.strip_prefix([',', ';']) {
        Some(rest) if commas => (true, rest.trim_start()),
        _ => (false, sep),
    };
    let sep_ok = rest.is_empty()
        || (kind != (FileKind::Json { comments: false })
            && (rest.starts_with('#') || rest.starts_with("//")));
    let what = if matches!(kind, FileKind::Env { .. }) {
        "line"
    } else if is_code(kind) {
        "argument"
    } else {
        "entry"
    };
    let description = format!("delete the empty {} {what}", s.name);
    if prefix_ok && sep_ok {
        if matches!(kind, FileKind::Yaml | FileKind::Code(Language::Python))
            && sole_child(text, start, end)
        {
            return None;
        }
        let mut edits = Vec::new();
        // The last element of a list: its neighbour's comma would dangle
        // (JSON, and calls in languages without trailing commas).
        if commas
            && !joined
            && matches!(next_char(text, end), Some(')' | ']' | '}'))
            && let Some((at, ',')) = prev_char(text, start)
        {
            edits.push(Edit::new(file, Span::new(at, at + 1), ""));
        }
        edits.push(Edit::new(file, Span::new(start, end), ""));
        let mut fix = Fix::new(Applicability::Safe, description, edits);
        if matches!(kind, FileKind::Env { .. }) {
            fix.deletes = Some(s.name.clone());
        }
        return Some(fix);
    }
    if !commas {
        return None;
    }
    if chained {
        return Some(Fix::new(
            Applicability::Safe,
            description,
            vec![Edit::new(file, Span::new(entry.start - 1, entry.end), "")],
        ));
    }
    // Inline: `f(a, organization="")` or `f(organization="", a)`.
    let rest = text.get(entry.end..next_line(text, entry.end))?;
    let blanks = |t: &str| t.len() - t.trim_start_matches([' ', '\t']).len();
    let after = &rest[blanks(rest)..];
    if let Some(tail) = after.strip_prefix(',') {
        let cut = entry.end + blanks(rest) + 1 + blanks(tail);
        return Some(Fix::new(
            Applicability::Safe,
            description,
            vec![Edit::new(file, Span::new(entry.start, cut), "")],
        ));
    }
    let head = prefix.trim_end_matches([' ', '\t']);
    if head.ends_with(',') {
        let at = start + head.len() - 1;
        return Some(Fix::new(
            Applicability::Safe,
            description,
            vec![Edit::new(file, Span::new(at, entry.end), "")],
        ));
    }
    None
}

/// ENV001: rename a misspelled definition to the name the SDKs read. The
/// caller has checked that nothing reads the old name; `None` when the new
/// name is already defined in the same scope or the old one is defined
/// twice there (the rename would make a duplicate).
pub fn rename(file: &FileRef<'_>, d: &Definition, to: &str) -> Option<Fix> {
    if file.source.slice(d.name_span) != d.name {
        return None;
    }
    let scope = file.facts.definitions.iter().filter(|o| o.scope == d.scope);
    if scope.clone().any(|o| o.name == to) || scope.filter(|o| o.name == d.name).count() > 1 {
        return None;
    }
    Some(Fix::new(
        Applicability::Safe,
        format!("rename {} to {to}", d.name),
        vec![Edit::new(file, d.name_span, to)],
    ))
}

/// ORG001/ORG004: replace a hardcoded org or project ID with the way the
/// file's own syntax reads the variable (the setting's `env_ref`), and move
/// the variable to the env files around it (see [`super::finalize`]). In a
/// template env file the value is cleared instead. Unsafe: the program then
/// reads the ID from its environment, which may not set it.
pub fn hardcoded_id(file: &FileRef<'_>, l: &Literal) -> Option<Fix> {
    let (slot, what) = match l.kind {
        LiteralKind::Org => (Slot::Org, "organization ID"),
        LiteralKind::Project => (Slot::Project, "project ID"),
        LiteralKind::Key { .. } => return None,
    };
    let s = file
        .facts
        .settings
        .iter()
        .find(|s| s.value.span.start <= l.span.start && l.span.end <= s.value.span.end)?;
    if s.slot != slot || s.value.kind != ValueKind::Literal || s.value.span != l.span {
        return None;
    }
    let class = &file.entry.class;
    if class.is_env() {
        if !class.template {
            return None;
        }
        return Some(Fix::new(
            Applicability::Unsafe,
            format!(
                "clear the {what} in the template (`{}`)",
                env_entry(&s.name, "")
            ),
            vec![Edit::new(file, l.span, "")],
        ));
    }
    let env_ref = s.env_ref.as_ref()?;
    let reference = env_ref.to_string();
    let (edits, applicability, note) = match class.kind {
        FileKind::Code(lang) => in_code(file, s, env_ref, lang)?,
        FileKind::Notebook | FileKind::Docs | FileKind::Other => return None,
        kind => (
            vec![in_config(file, s, env_ref, kind)?],
            Applicability::Unsafe,
            String::new(),
        ),
    };
    let mut fix = Fix::new(
        applicability,
        format!("replace the {what} with `{reference}`{note}"),
        edits,
    );
    if env_ref.in_tool_store() {
        // GitHub Actions and Continue read these from their own stores.
        fix.description.push_str(&format!(
            "; set {} in the repository's variables or secrets",
            env_ref.var
        ));
    } else {
        fix.env = Some(EnvVar {
            name: env_ref.var.clone(),
            value: l.text.clone(),
        });
    }
    Some(fix)
}

/// The edit that puts the reference where a config value was, written so
/// that the format's own loader reads back exactly the reference: inside
/// the value's quotes when it has some, quoted when a bare YAML scalar
/// would not hold it, and as is inside a compose list entry
/// (`- NAME=value`), where the whole item is one string and quotes would
/// become part of the value.
fn in_config(file: &FileRef<'_>, s: &Setting, env_ref: &EnvRef, kind: FileKind) -> Option<Edit> {
    if !env_ref.is_value() {
        // An instruction (`valueFrom.secretKeyRef`, `docker run -e X`), not a value.
        return None;
    }
    let reference = &env_ref.to_string();
    let text = file.source.text();
    let span = s.value.span;
    let content = match s.value.quote {
        Some(q) => {
            // The value fills its quotes: the reference goes inside them.
            if !text.get(..span.start)?.ends_with(q) || !text.get(span.end..)?.starts_with(q) {
                return None;
            }
            quoted_as_is(reference, q)?
        }
        None => match kind {
            FileKind::Yaml => yaml_plain(text, span, reference)?,
            FileKind::Json { .. } | FileKind::Toml => return None,
            _ => reference.to_string(),
        },
    };
    Some(Edit::new(file, span, content))
}

/// `reference` as it may stand inside quotes `q` unchanged: no quote to
/// close them early, no backslash to start an escape.
fn quoted_as_is(reference: &str, q: char) -> Option<String> {
    (!reference.contains(q) && !reference.contains('\\')).then(|| reference.to_string())
}

/// A compose list entry up to its value: `- NAME=` or `- "NAME=` (the
/// quote, if any, is the YAML scalar's own).
static LIST_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    match Regex::new(r#"^[ \t]*-[ \t]+(["']?)[A-Za-z_][A-Za-z0-9_.-]*[ \t]*=$"#) {
        Ok(r) => r,
        Err(e) => panic!("LIST_ENTRY: {e}"),
    }
});

/// What replaces a YAML value that has no quotes of its own (`span`): the
/// whole scalar after `key:`, `-`, `[` or `,`; or the part after `=` of a
/// block sequence item `- NAME=value`, in a plain or quoted scalar. `None`
/// for anything else (a flow sequence item, a folded line), where the
/// right spelling would need the whole scalar rewritten.
fn yaml_plain(text: &str, span: Span, reference: &str) -> Option<String> {
    let prefix = text.get(line_start(text, span.start)..span.start)?;
    let rest = text.get(span.end..next_line(text, span.end))?;
    let rest = rest.trim_end_matches(['\n', '\r']);
    match prefix.trim_end().chars().next_back() {
        // The whole scalar. A bare scalar ends at `: ` or ` #`, and in flow
        // context at `,` `[` `]` `{` `}`: quote the reference when it holds
        // one of these (it never holds a quote or a backslash).
        Some(':' | '-' | '[' | ',' | '{' | '?') if prefix.ends_with([' ', '\t', '[', ',', '{']) => {
            if reference.contains(['{', '}', '[', ']', ',', '#', ':', '"', '\\']) {
                quoted_as_is(reference, '"').map(|r| format!("\"{r}\""))
            } else {
                Some(reference.to_string())
            }
        }
        // Inside `- NAME=value`: the item is one string, the value its tail.
        Some('=') => {
            let caps = LIST_ENTRY.captures(prefix)?;
            let after = match caps.get(1).map(|m| m.as_str()) {
                Some(q @ ("\"" | "'")) => {
                    let q = q.chars().next()?;
                    quoted_as_is(reference, q)?;
                    rest.strip_prefix(q)?
                }
                _ => {
                    // A bare scalar: it ends at ` #`, and `: ` would make the
                    // item a mapping.
                    if reference.contains(" #")
                        || reference.contains(": ")
                        || reference.ends_with(':')
                    {
                        return None;
                    }
                    rest
                }
            };
            let after = after.trim_start();
            (after.is_empty() || after.starts_with('#')).then(|| reference.to_string())
        }
        _ => None,
    }
}

type CodeFix = (Vec<Edit>, Applicability, String);

/// The edits that put the env read, an expression, where a string literal
/// was, with the import the expression needs.
fn in_code(file: &FileRef<'_>, s: &Setting, env_ref: &EnvRef, lang: Language) -> Option<CodeFix> {
    let reference = &env_ref.to_string();
    let os_read = env_ref.syntax == EnvRefSyntax::Code(lang);
    let text = file.source.text();
    let span = s.value.span;
    if lang == Language::Shell {
        // `$VAR` works where the literal was, unless in single quotes.
        if s.value.quote == Some('\'') {
            return None;
        }
        let edit = Edit::new(file, span, reference);
        return Some((vec![edit], Applicability::Unsafe, String::new()));
    }
    // The literal with its quotes, but not with a prefix (`r"…"`, `@"…"`,
    // `f"…"`) or a triple quote, where the expression would not fit.
    let q = s.value.quote?;
    let open = span.start.checked_sub(1)?;
    if !text[..span.start].ends_with(q) || !text.get(span.end..)?.starts_with(q) {
        return None;
    }
    if text[..open]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '@' || c == '$' || c == '_' || c == q)
    {
        return None;
    }
    let mut edits = vec![Edit::new(
        file,
        Span::new(open, span.end + q.len_utf8()),
        reference,
    )];
    let mut note = String::new();
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    match lang {
        Language::Python if os_read && !python_imports_os(text) => match python_import_at(text) {
            Some(at) => edits.push(Edit::new(
                file,
                Span::new(at, at),
                format!("import os{eol}"),
            )),
            None => note.push_str(" (add `import os`)"),
        },
        Language::Go if os_read && !go_imports_os(text) => match go_import(text, eol) {
            Some((at, line)) => edits.push(Edit::new(file, Span::new(at, at), line)),
            None => note.push_str(" (add `import \"os\"`)"),
        },
        Language::Rust => {
            note.push_str(" (`std::env::var` returns a `Result`: adapt the code)");
            return Some((edits, Applicability::DisplayOnly, note));
        }
        _ => {}
    }
    Some((edits, Applicability::Unsafe, note))
}

/// Whether a Python file binds the name `os` with `import os`.
fn python_imports_os(text: &str) -> bool {
    text.lines().any(|l| {
        l.trim_start().strip_prefix("import ").is_some_and(|rest| {
            rest.split('#')
                .next()
                .unwrap_or("")
                .split(',')
                .any(|p| p.trim() == "os")
        })
    })
}

/// Where `import os` goes in a Python file: after the `from __future__`
/// imports, else before the first top-level import. `None` when there is
/// no import to anchor to (a module docstring would have to be parsed).
fn python_import_at(text: &str) -> Option<usize> {
    let mut offset = 0;
    let mut after_future = None;
    let mut first_import = None;
    for line in text.split_inclusive('\n') {
        if line.starts_with("from __future__") {
            if line.contains('(') && !line.contains(')') {
                return None;
            }
            after_future = Some(offset + line.len());
        } else if first_import.is_none()
            && (line.starts_with("import ") || line.starts_with("from "))
        {
            first_import = Some(offset);
        }
        offset += line.len();
    }
    match after_future {
        // A future import on the last line without a line break.
        Some(at) if !text[..at].ends_with('\n') => None,
        Some(at) => Some(at),
        None => first_import,
    }
}

/// Whether a Go file imports `os`.
fn go_imports_os(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim();
        t == "\"os\"" || t == "import \"os\"" || t.ends_with(" \"os\"") && !t.starts_with("//")
    })
}

/// Where `"os"` goes in a Go file's imports, and the text to insert.
fn go_import(text: &str, eol: &str) -> Option<(usize, String)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "import (" {
            return Some((offset + line.len(), format!("\t\"os\"{eol}")));
        }
        if line.starts_with("import \"") {
            return Some((offset, format!("import \"os\"{eol}")));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(v: &str) -> (String, Stripped) {
        let mut what = Stripped::default();
        let (h, t) = strip(v, &mut what);
        (v[h..v.len() - t].to_string(), what)
    }

    #[test]
    fn strip_removes_everything_around_a_key_in_any_nesting() {
        let k = "sk-abc";
        for (v, space, bearer, quotes, newline) in [
            (" sk-abc ", true, false, false, false),
            ("Bearer sk-abc", false, true, false, false),
            ("bearer   sk-abc", false, true, false, false),
            ("'sk-abc'", false, false, true, false),
            ("\"sk-abc", false, false, true, false),
            ("sk-abc\\n", false, false, false, true),
            ("sk-abc\n", false, false, false, true),
            (" 'Bearer sk-abc' \\n", true, true, true, true),
            ("sk-abc", false, false, false, false),
        ] {
            let (got, what) = stripped(v);
            assert_eq!(got, k, "{v:?}");
            assert_eq!(
                what,
                Stripped {
                    space,
                    bearer,
                    quotes,
                    newline
                },
                "{v:?}"
            );
        }
        // `Bearer` as the whole value, or glued to the key, is not a prefix.
        assert_eq!(stripped("Bearer").0, "Bearer");
        assert_eq!(stripped("Bearersk-abc").0, "Bearersk-abc");
        assert_eq!(stripped("''").0, "");
    }

    #[test]
    fn value_references() {
        let r = |syntax| EnvRef::new(syntax, "OPENAI_ORG_ID");
        for ok in [
            EnvRefSyntax::Braced,
            EnvRefSyntax::Vars,
            EnvRefSyntax::Secrets,
            EnvRefSyntax::LiteLlm,
        ] {
            assert!(r(ok.clone()).is_value(), "{ok:?}");
        }
        for no in [
            EnvRefSyntax::SecretKeyRef,
            EnvRefSyntax::DockerRun,
            EnvRefSyntax::CodexHeader {
                header: "OpenAI-Organization".to_string(),
            },
            EnvRefSyntax::KubectlSecret,
        ] {
            assert!(!r(no.clone()).is_value(), "{no:?}");
        }
    }

    #[test]
    fn yaml_values_take_the_spelling_that_reads_back_as_the_reference() {
        let r = "${OPENAI_ORG_ID}";
        let at = |text: &str| {
            let start = text.find("org-").expect("value");
            let len = text[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .expect("end");
            let end = start + len;
            yaml_plain(text, Span::new(start, end), r)
        };
        // A compose list item is one string: quotes would stay in the value.
        assert_eq!(at("env:\n  - OPENAI_ORG_ID=org-x\n").as_deref(), Some(r));
        assert_eq!(
            at("env:\n  - OPENAI_ORG_ID=org-x  # c\n").as_deref(),
            Some(r)
        );
        assert_eq!(
            at("env:\n  - \"OPENAI_ORG_ID=org-x\"\n").as_deref(),
            Some(r)
        );
        assert_eq!(
            at("env:\n  - 'OPENAI_ORG_ID=org-x'\r\n").as_deref(),
            Some(r)
        );
        // A bare whole scalar holding `{` is quoted; in a flow sequence the
        // item would need rewriting whole.
        let quoted = Some(format!("\"{r}\""));
        assert_eq!(at("env:\n  OPENAI_ORG_ID: org-x\n"), quoted);
        assert_eq!(at("env: {OPENAI_ORG_ID: org-x, A: 1}\n"), quoted);
        assert_eq!(at("env: [OPENAI_ORG_ID=org-x, A=1]\n"), None);
        // A value on a continuation line, or after something else.
        assert_eq!(at("env:\n  OPENAI_ORG_ID:\n    org-x\n"), None);
        assert_eq!(at("env:\n  - X OPENAI_ORG_ID=org-x\n"), None);
        assert_eq!(
            yaml_plain("a: b\n", Span::new(3, 4), "os.environ/OPENAI_ORG_ID").as_deref(),
            Some("os.environ/OPENAI_ORG_ID")
        );
        // A reference a plain list item could not hold.
        let t = "env:\n  - OPENAI_ORG_ID=org-x\n";
        let s = t.find("org-").expect("value");
        assert_eq!(yaml_plain(t, Span::new(s, s + 5), "a #b"), None);
    }

    #[test]
    fn python_imports() {
        assert!(python_imports_os("import os\n"));
        assert!(python_imports_os("import sys, os  # x\n"));
        assert!(!python_imports_os(
            "import os.path\nfrom os import environ\n"
        ));
        assert_eq!(python_import_at("import sys\nx = 1\n"), Some(0));
        assert_eq!(
            python_import_at(
                "#!/usr/bin/env python\n\"\"\"Doc.\"\"\"\nfrom openai import OpenAI\n"
            ),
            Some(33)
        );
        let t = "from __future__ import annotations\nimport sys\n";
        assert_eq!(python_import_at(t), Some(35));
        assert_eq!(
            python_import_at("\"\"\"Only a docstring.\"\"\"\nX = 1\n"),
            None
        );
        assert_eq!(
            python_import_at("from __future__ import (\n  a,\n)\n"),
            None
        );
    }

    #[test]
    fn go_imports() {
        assert!(go_imports_os("import (\n\t\"fmt\"\n\t\"os\"\n)\n"));
        assert!(go_imports_os("import \"os\"\n"));
        assert!(!go_imports_os("import \"fmt\"\n"));
        let t = "package main\n\nimport (\n\t\"fmt\"\n)\n";
        assert_eq!(go_import(t, "\n"), Some((23, "\t\"os\"\n".to_string())));
        let t = "package main\n\nimport \"fmt\"\n";
        assert_eq!(
            go_import(t, "\n"),
            Some((14, "import \"os\"\n".to_string()))
        );
        assert_eq!(go_import("package main\n", "\n"), None);
    }

    #[test]
    fn sole_children() {
        let y = "env:\n  OPENAI_ORG_ID: \"\"\nother: 1\n";
        let from = y.find("  OPENAI").unwrap();
        let to = y.find("other").unwrap();
        assert!(sole_child(y, from, to));
        let y = "env:\n  A: 1\n  OPENAI_ORG_ID: \"\"\n";
        let from = y.find("  OPENAI").unwrap();
        assert!(!sole_child(y, from, y.len()));
        let y = "env:\n  OPENAI_ORG_ID: \"\"\n  B: 2\n";
        let from = y.find("  OPENAI").unwrap();
        let to = y.find("  B").unwrap();
        assert!(!sole_child(y, from, to));
        // A list item at the parent's indentation.
        let y = "env:\n- name: X\n  value: \"\"\nnext: 1\n";
        let from = y.find("- name").unwrap();
        let to = y.find("next").unwrap();
        assert!(sole_child(y, from, to));
        let y = "env:\n- name: X\n  value: \"\"\n- name: Y\n";
        let to = y.find("- name: Y").unwrap();
        assert!(!sole_child(y, y.find("- name").unwrap(), to));
        // A Python block.
        let p = "if x:\n    openai.organization = \"\"\nprint(1)\n";
        let from = p.find("    openai").unwrap();
        assert!(sole_child(p, from, p.find("print").unwrap()));
        // A key with a null value before it is a sibling, not a parent.
        let y = "a:\nOPENAI_ORG_ID: \"\"\n";
        assert!(!sole_child(y, 3, y.len()));
    }

    // ---- Builders on hand-made facts: the code extractor's settings look
    // like these (value inside the quotes, the argument as the entry, the
    // file's own env read as `env_ref`).

    use crate::fact::{FileFacts, Value};
    use crate::provider::{ProviderId, Providers};
    use crate::source::Source;
    use crate::walk::{FileClass, FileEntry};

    const ORG: &str = concat!("org-", "Wq8TnB3vZk5LmR7cYd2HxJ4p");

    struct File {
        entry: FileEntry,
        source: Source,
        facts: FileFacts,
    }

    impl File {
        fn new(path: &str, kind: FileKind, text: &str) -> File {
            File {
                entry: FileEntry {
                    path: path.into(),
                    display: path.into(),
                    class: FileClass {
                        kind,
                        template: false,
                        committed: true,
                        test: false,
                        context: Default::default(),
                    },
                    tracked_ignored: false,
                },
                source: Source::new(text.to_string()),
                facts: FileFacts::default(),
            }
        }

        /// A setting whose value is the `nth` occurrence of `value` (inside
        /// its quotes when `quote` is given), with `entry` the enclosing
        /// text `entry`; `env_ref` is how the file's language reads
        /// `OPENAI_ORG_ID`, as it spells it.
        fn setting(
            &mut self,
            slot: Slot,
            value: &str,
            quote: Option<char>,
            entry: &str,
            env_ref: Option<&str>,
        ) {
            let env_ref = env_ref.map(|spelled| {
                let FileKind::Code(lang) = self.entry.class.kind else {
                    panic!("an env read in code only");
                };
                let r = EnvRef::new(EnvRefSyntax::Code(lang), "OPENAI_ORG_ID");
                assert_eq!(r.to_string(), spelled);
                r
            });
            let text = self.source.text();
            let start = text.find(value).expect("value in text");
            let span = Span::new(start, start + value.len());
            let e = text.find(entry).expect("entry in text");
            let openai: ProviderId = Providers::builtin().by_name("openai").expect("openai");
            self.facts.settings.push(Setting {
                provider: openai,
                slot,
                name: "organization".into(),
                name_span: Span::new(e, e + 1),
                value: Value {
                    kind: if value.is_empty() {
                        ValueKind::Empty
                    } else {
                        ValueKind::Literal
                    },
                    text: value.into(),
                    reference: None,
                    span,
                    quote,
                },
                entry: Span::new(e, e + entry.len()),
                scope: 1,
                env_ref,
            });
            if value.starts_with("org-") {
                self.facts.literals.push(Literal {
                    kind: LiteralKind::Org,
                    text: value.into(),
                    span,
                    context: crate::fact::TextContext::Value,
                });
            }
        }

        fn get(&self) -> FileRef<'_> {
            FileRef {
                entry: &self.entry,
                source: &self.source,
                facts: &self.facts,
            }
        }

        /// The text after applying `fix`.
        fn fixed(&self, fix: &Fix) -> String {
            let mut edits: Vec<&Edit> = fix.edits.iter().collect();
            edits.sort_by_key(|e| (e.span.start, e.span.end));
            super::super::apply::apply_edits(self.source.text(), &edits).expect("edits fit")
        }
    }

    const PY_REF: &str = "os.environ.get(\"OPENAI_ORG_ID\")";

    fn python(text: &str) -> (File, Option<Fix>) {
        let mut f = File::new("app.py", FileKind::Code(Language::Python), text);
        let entry = format!("organization=\"{ORG}\"");
        f.setting(Slot::Org, ORG, Some('"'), &entry, Some(PY_REF));
        let fix = hardcoded_id(&f.get(), &f.facts.literals[0]);
        (f, fix)
    }

    #[test]
    fn a_code_literal_becomes_the_env_read_with_its_import() {
        let text =
            format!("from openai import OpenAI\n\nclient = OpenAI(organization=\"{ORG}\")\n");
        let (f, fix) = python(&text);
        let fix = fix.expect("fix");
        assert_eq!(fix.applicability, Applicability::Unsafe);
        assert_eq!(
            f.fixed(&fix),
            format!(
                "import os\nfrom openai import OpenAI\n\nclient = OpenAI(organization={PY_REF})\n"
            )
        );
        let env = fix.env.expect("moves the variable");
        assert_eq!(
            (env.name.as_str(), env.value.as_str()),
            ("OPENAI_ORG_ID", ORG)
        );
        // Already imported: no second import.
        let text = format!("import os\nclient = OpenAI(organization='{ORG}')\n");
        let mut f = File::new("app.py", FileKind::Code(Language::Python), &text);
        f.setting(
            Slot::Org,
            ORG,
            Some('\''),
            &format!("organization='{ORG}'"),
            Some(PY_REF),
        );
        let fix = hardcoded_id(&f.get(), &f.facts.literals[0]).expect("fix");
        assert_eq!(
            f.fixed(&fix),
            format!("import os\nclient = OpenAI(organization={PY_REF})\n")
        );
        // No import to anchor to: the description says what to add.
        let (f, fix) = python(&format!(
            "\"\"\"Doc.\"\"\"\nclient = OpenAI(organization=\"{ORG}\")\n"
        ));
        let fix = fix.expect("fix");
        assert!(
            fix.description.contains("(add `import os`)"),
            "{}",
            fix.description
        );
        assert_eq!(fix.edits.len(), 1, "{}", f.fixed(&fix));
    }

    #[test]
    fn string_prefixes_and_triple_quotes_get_no_code_fix() {
        for text in [
            format!("client = OpenAI(organization=r\"{ORG}\")\n"),
            format!("client = OpenAI(organization=f\"{ORG}\")\n"),
            format!("client = OpenAI(organization=\"\"\"{ORG}\"\"\")\n"),
        ] {
            let mut f = File::new("app.py", FileKind::Code(Language::Python), &text);
            let entry = &text[text.find("organization").unwrap()..text.rfind(')').unwrap()];
            f.setting(Slot::Org, ORG, Some('"'), entry, Some(PY_REF));
            assert!(
                hardcoded_id(&f.get(), &f.facts.literals[0]).is_none(),
                "{text}"
            );
        }
        // Part of a longer value, or in a setting of another slot.
        let text = format!("x = OpenAI(organization=\"{ORG}\")\n");
        let mut f = File::new("app.py", FileKind::Code(Language::Python), &text);
        f.setting(Slot::Project, ORG, Some('"'), "organization", Some(PY_REF));
        assert!(hardcoded_id(&f.get(), &f.facts.literals[0]).is_none());
    }

    #[test]
    fn go_gets_its_import_rust_is_display_only() {
        let text = format!(
            "package main\n\nimport (\n\t\"fmt\"\n)\n\nvar c = openai.ClientConfig{{OrgID: \"{ORG}\"}}\n"
        );
        let mut f = File::new("main.go", FileKind::Code(Language::Go), &text);
        let r = "os.Getenv(\"OPENAI_ORG_ID\")";
        f.setting(
            Slot::Org,
            ORG,
            Some('"'),
            &format!("OrgID: \"{ORG}\""),
            Some(r),
        );
        let fix = hardcoded_id(&f.get(), &f.facts.literals[0]).expect("fix");
        assert_eq!(
            f.fixed(&fix),
            format!(
                "package main\n\nimport (\n\t\"os\"\n\t\"fmt\"\n)\n\nvar c = openai.ClientConfig{{OrgID: {r}}}\n"
            )
        );
        let text = format!("let c = Client::new().with_org_id(\"{ORG}\");\n");
        let mut f = File::new("main.rs", FileKind::Code(Language::Rust), &text);
        f.setting(
            Slot::Org,
            ORG,
            Some('"'),
            &format!("\"{ORG}\""),
            Some("std::env::var(\"OPENAI_ORG_ID\")"),
        );
        let fix = hardcoded_id(&f.get(), &f.facts.literals[0]).expect("fix");
        assert_eq!(fix.applicability, Applicability::DisplayOnly);
    }

    #[test]
    fn shell_reads_the_variable_in_place_unless_single_quoted() {
        let text = format!("curl -H \"OpenAI-Organization: {ORG}\" https://api.openai.com\n");
        let mut f = File::new("a.sh", FileKind::Code(Language::Shell), &text);
        f.setting(
            Slot::Org,
            ORG,
            Some('"'),
            "OpenAI-Organization",
            Some("$OPENAI_ORG_ID"),
        );
        let fix = hardcoded_id(&f.get(), &f.facts.literals[0]).expect("fix");
        assert_eq!(
            f.fixed(&fix),
            "curl -H \"OpenAI-Organization: $OPENAI_ORG_ID\" https://api.openai.com\n"
        );
        let text = text.replace('"', "'");
        let mut f = File::new("a.sh", FileKind::Code(Language::Shell), &text);
        f.setting(
            Slot::Org,
            ORG,
            Some('\''),
            "OpenAI-Organization",
            Some("$OPENAI_ORG_ID"),
        );
        assert!(hardcoded_id(&f.get(), &f.facts.literals[0]).is_none());
    }

    /// `text` with the empty `organization` argument `entry` deleted.
    fn delete(kind: FileKind, text: &str, entry: &str) -> Option<String> {
        let mut f = File::new("f", kind, text);
        f.setting(Slot::Org, "", Some('"'), entry, None);
        // The empty value sits inside the entry's quotes.
        let at = text.find(entry).unwrap() + entry.len() - 1;
        f.facts.settings[0].value.span = Span::new(at, at);
        delete_entry(&f.get(), &f.facts.settings[0]).map(|fix| f.fixed(&fix))
    }

    #[test]
    fn empty_arguments_go_with_their_comma() {
        let py = FileKind::Code(Language::Python);
        let e = "organization=\"\"";
        assert_eq!(
            delete(
                py,
                "c = OpenAI(\n    api_key=k,\n    organization=\"\",\n)\n",
                e
            )
            .unwrap(),
            "c = OpenAI(\n    api_key=k,\n)\n"
        );
        assert_eq!(
            delete(
                py,
                "c = OpenAI(\n    api_key=k,\n    organization=\"\"\n)\n",
                e
            )
            .unwrap(),
            "c = OpenAI(\n    api_key=k\n)\n"
        );
        assert_eq!(
            delete(py, "c = OpenAI(api_key=k, organization=\"\")\n", e).unwrap(),
            "c = OpenAI(api_key=k)\n"
        );
        assert_eq!(
            delete(py, "c = OpenAI(organization=\"\", api_key=k)\n", e).unwrap(),
            "c = OpenAI(api_key=k)\n"
        );
        let js = FileKind::Code(Language::JavaScript);
        assert_eq!(
            delete(
                js,
                "new OpenAI({\r\n  apiKey: k,\r\n  organization: \"\",\r\n});\r\n",
                "organization: \"\""
            )
            .unwrap(),
            "new OpenAI({\r\n  apiKey: k,\r\n});\r\n"
        );
        // The only statement of a Python block: deleting it is a syntax error.
        let e = "openai.organization = \"\"";
        assert!(delete(py, "if x:\n    openai.organization = \"\"\nprint(1)\n", e).is_none());
        assert_eq!(
            delete(
                py,
                "import openai\nopenai.organization = \"\"\nprint(1)\n",
                e
            )
            .unwrap(),
            "import openai\nprint(1)\n"
        );
        // Another statement shares the line.
        assert!(delete(py, "x = 1; openai.organization = \"\"\n", e).is_none());
        // A call of a builder chain, on its own line or inline.
        let java = FileKind::Code(Language::Java);
        let e = "organization(\"\")";
        assert_eq!(
            delete(
                java,
                "B.builder()\n    .apiKey(k)\n    .organization(\"\")\n    .build();\n",
                e
            )
            .unwrap(),
            "B.builder()\n    .apiKey(k)\n    .build();\n"
        );
        assert_eq!(
            delete(
                java,
                "B.builder().apiKey(k).organization(\"\").build();\n",
                e
            )
            .unwrap(),
            "B.builder().apiKey(k).build();\n"
        );
        // A trailing comment goes with its line.
        assert_eq!(
            delete(
                py,
                "c = OpenAI(\n    api_key=k,\n    organization=\"\",  # TODO\n)\n",
                "organization=\"\""
            )
            .unwrap(),
            "c = OpenAI(\n    api_key=k,\n)\n"
        );
    }

    #[test]
    fn empty_config_entries_go_with_their_lines() {
        let yaml = FileKind::Yaml;
        assert_eq!(
            delete(
                yaml,
                "openai:\n  api_key: x\n  organization: \"\"\n",
                "organization: \"\""
            )
            .unwrap(),
            "openai:\n  api_key: x\n"
        );
        // A sequence item; the only child of its parent is kept.
        assert_eq!(
            delete(
                yaml,
                "environment:\n  - A=1\n  - \"OPENAI_ORG_ID=\"\n",
                "OPENAI_ORG_ID=\""
            )
            .unwrap(),
            "environment:\n  - A=1\n"
        );
        // The same item whose entry is its content, inside its quotes.
        assert_eq!(
            delete(
                yaml,
                "environment:\n  - \"OPENAI_ORG_ID=\"\n  - A=1\n",
                "OPENAI_ORG_ID="
            )
            .unwrap(),
            "environment:\n  - A=1\n"
        );
        assert!(
            delete(
                yaml,
                "openai:\n  organization: \"\"\nmodel: x\n",
                "organization: \"\""
            )
            .is_none()
        );
        // A flow mapping shares its line.
        assert!(
            delete(
                yaml,
                "openai: {api_key: x, organization: \"\"}\n",
                "organization: \"\""
            )
            .is_none()
        );
        let toml = FileKind::Toml;
        assert_eq!(
            delete(
                toml,
                "[openai]\norganization = \"\"\nmodel = \"x\"\n",
                "organization = \"\""
            )
            .unwrap(),
            "[openai]\nmodel = \"x\"\n"
        );
        assert!(
            delete(
                toml,
                "openai = { organization = \"\" }\n",
                "organization = \"\""
            )
            .is_none()
        );
        let json = FileKind::Json { comments: false };
        assert_eq!(
            delete(
                json,
                "{\n  \"organization\": \"\",\n  \"a\": 1\n}\n",
                "organization\": \"\""
            )
            .unwrap(),
            "{\n  \"a\": 1\n}\n"
        );
        assert_eq!(
            delete(
                json,
                "{\"a\": 1, \"organization\": \"\"}\n",
                "organization\": \"\""
            )
            .unwrap(),
            "{\"a\": 1}\n"
        );
    }
}
