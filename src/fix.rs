//! Fixes: what a finding proposes to change. A fix is a list of byte-range
//! edits on the decoded text of one or more files, with an applicability,
//! as in ruff: `Safe` fixes keep what the program does and apply with
//! `--fix`; `Unsafe` ones may change it and apply only with
//! `--unsafe-fixes` too; `DisplayOnly` ones are shown, never applied.
//!
//! Rules build fixes from facts ([`build`]) where they emit findings. The
//! parts that need other files (the env template a hardcoded org ID moves
//! to) are resolved after all rules ran, in [`finalize`], from the scanned
//! files. [`apply`] chooses non-overlapping fixes, writes files (atomically,
//! or in place when a rename would lose their links or owner),
//! renders `--diff` and runs the fix-then-recheck loop.
//!
//! No edit ever holds a key: key fixes only delete the characters around
//! a key, and [`targets`] demotes any fix whose content looks like one.

use std::collections::HashMap;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::extract::format::env_entry;
use crate::fact::ValueKind;
use crate::file_ref::FileRef;
use crate::finding::Finding;
use crate::provider::{Providers, Slot};
use crate::source::{Encoding, Source, Span};

pub mod apply;
pub mod build;

pub(crate) use crate::edit::EnvVar;
pub use crate::edit::{Applicability, Edit, Fix};

impl Fix {
    /// Whether any edit's content could be a key (never printed, never
    /// written by credlint), by the providers' key and ID patterns.
    pub fn holds_secret(&self, providers: &Providers) -> bool {
        self.edits.iter().any(|e| {
            e.content
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .any(|w| {
                    // Org and project IDs are not secrets, whatever letters
                    // their bodies happen to hold.
                    !providers.id_of_any(Slot::Org, w)
                        && !providers.id_of_any(Slot::Project, w)
                        && (crate::redact::looks_secret(w, providers)
                            || providers.key_of_any(w).is_some())
                })
        })
    }
}

/// Template names an added variable goes to, in order of preference. A
/// template of one environment (`.env.production.example`) or one loaded at
/// run time (`.env.defaults`) is not "the" template of the repository.
const TEMPLATE_NAMES: &[&str] = &[
    ".env.example",
    ".env.sample",
    ".env.template",
    ".env.dist",
    "example.env",
    "sample.env",
    "template.env",
];

/// Resolve what fixes need from other files: add the variable a fix moves
/// to the nearest env template (in the fixed file's folder or an ancestor)
/// and to the nearest uncommitted `.env`, unless they already define it.
/// `files` are every scanned file with facts, in path order.
pub fn finalize(findings: &mut [Finding], files: &[FileRef<'_>]) {
    if !findings.iter().any(|f| {
        f.fix
            .as_ref()
            .is_some_and(|x| x.env.is_some() || x.deletes.is_some())
    }) {
        return;
    }
    // Only env files are looked up: a handful, however large the repository.
    let files: Vec<FileRef<'_>> = files
        .iter()
        .filter(|f| f.entry.class.is_env())
        .map(|f| FileRef {
            entry: f.entry,
            source: f.source,
            facts: f.facts,
        })
        .collect();
    let files = files.as_slice();
    for f in findings.iter_mut() {
        let Some(fix) = f.fix.as_mut() else { continue };
        if let Some(name) = fix.deletes.take()
            && let Some(t) = listing_template(files, &f.path, &name)
        {
            fix.applicability = Applicability::DisplayOnly;
            fix.description.push_str(&format!(
                " (not applied: {t} lists {name}, and ENV002 would report it missing from {}: delete it from {t} too, or set the value)",
                f.path
            ));
        }
        let Some(var) = fix.env.take() else { continue };
        let folder = crate::graph::folder(&f.path);
        let template = nearest(files, folder, |file| {
            let name = file_name(&file.entry.display);
            file.entry.class.is_env() && file.entry.class.template && TEMPLATE_NAMES.contains(&name)
        });
        match template {
            Some(t) if defines(t, &var.name) => {
                fix.description
                    .push_str(&format!("; {} already lists {}", t.entry.display, var.name));
            }
            Some(t) => {
                let entry = env_entry(&var.name, "");
                fix.edits.push(append_line(t, &entry));
                fix.description
                    .push_str(&format!("; add `{entry}` to {}", t.entry.display));
            }
            None => fix.description.push_str(&format!(
                "; no env template (.env.example) next to or above {}: none created, set {} where the program runs",
                f.path, var.name
            )),
        }
        let runtime = nearest(files, folder, |file| {
            file_name(&file.entry.display) == ".env" && file.entry.class.is_env()
        });
        if let Some(env) = runtime {
            let existing = env.facts.definitions.iter().find(|d| d.name == var.name);
            if let Some(d) = existing.filter(|d| d.value.kind != ValueKind::Empty) {
                fix.description
                    .push_str(&format!("; {} already sets {}", env.entry.display, d.name));
            } else if !env.entry.class.is_local_env() {
                fix.description.push_str(&format!(
                    "; {} is committed: set {} where the program runs",
                    env.entry.display, var.name
                ));
            } else {
                let entry = env_entry(&var.name, &var.value);
                let edit = match existing {
                    // An empty line of its own: filled in, not duplicated.
                    Some(d) => Edit::new(env, d.value.span, var.value.clone()),
                    None => append_line(env, &entry),
                };
                fix.edits.push(edit);
                fix.description.push_str(&format!(
                    "; set `{entry}` in {} (not committed), so the program still sends it",
                    env.entry.display
                ));
            }
        }
    }
}

/// The template env file whose sibling is `path` and that defines `name`:
/// deleting `name` from `path` alone would make ENV002 report it there.
pub(crate) fn listing_template<'f>(
    files: &'f [FileRef<'_>],
    path: &str,
    name: &str,
) -> Option<&'f str> {
    let folder = crate::graph::folder(path);
    let file = file_name(path);
    files
        .iter()
        .find(|t| {
            t.entry.class.is_env()
                && t.entry.class.template
                && crate::graph::folder(&t.entry.display) == folder
                && crate::walk::template_sibling(file_name(&t.entry.display)).as_deref()
                    == Some(file)
                && defines(t, name)
        })
        .map(|t| t.entry.display.as_str())
}

/// The file matching `want` in `folder` or the nearest ancestor folder.
fn nearest<'f, 'a>(
    files: &'f [FileRef<'a>],
    folder: &str,
    want: impl Fn(&FileRef<'_>) -> bool,
) -> Option<&'f FileRef<'a>> {
    let mut best: Option<(&FileRef<'a>, usize, usize)> = None;
    for file in files {
        if !want(file) {
            continue;
        }
        let dir = crate::graph::folder(&file.entry.display);
        let inside = dir.is_empty()
            || folder == dir
            || (folder.starts_with(dir) && folder.as_bytes().get(dir.len()) == Some(&b'/'));
        if !inside || file.entry.display.starts_with('/') != folder.starts_with('/') {
            continue;
        }
        let name = file_name(&file.entry.display);
        let rank = TEMPLATE_NAMES
            .iter()
            .position(|n| *n == name)
            .unwrap_or(TEMPLATE_NAMES.len());
        if best.is_none_or(|(_, depth, r)| dir.len() > depth || (dir.len() == depth && rank < r)) {
            best = Some((file, dir.len(), rank));
        }
    }
    best.map(|(f, _, _)| f)
}

/// The last component of a display path.
fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, n)| n)
}

fn defines(file: &FileRef<'_>, name: &str) -> bool {
    file.facts.definitions.iter().any(|d| d.name == name)
}

/// An insertion of `line` at the end of `file`, in the file's own line
/// ending, after a line break if the last line has none.
fn append_line(file: &FileRef<'_>, line: &str) -> Edit {
    let text = file.source.text();
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut content = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        content.push_str(eol);
    }
    content.push_str(line);
    content.push_str(eol);
    let end = text.len();
    Edit::in_source(
        &file.entry.display,
        file.source,
        Span::new(end, end),
        content,
    )
}

/// What applying fixes needs to know about a file that fixes edit.
#[derive(Debug, Clone)]
pub struct Target {
    /// The path to read and write.
    pub path: PathBuf,
    /// SHA-256 of the decoded text the edits' spans refer to: a file that
    /// changed since it was checked is not written.
    pub digest: [u8; 32],
    /// The byte ranges hidden wherever the text is shown (`--diff`), from
    /// [`crate::check::hidden_spans`].
    pub secrets: Vec<Span>,
}

/// The digest [`Target::digest`] holds.
pub fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// Collect the files the findings' fixes edit. `lookup` gives, for a
/// display path, the path on disk, the decoded text and the ranges of it
/// to hide. A
/// fix that edits a file that was not decoded exactly (UTF-16, invalid
/// UTF-8, unknown) or whose content looks like a key becomes display-only.
pub fn targets<'s>(
    findings: &mut [Finding],
    providers: &Providers,
    lookup: impl Fn(&str) -> Option<(PathBuf, &'s Source, Vec<Span>)>,
) -> HashMap<String, Target> {
    let mut out: HashMap<String, Target> = HashMap::new();
    let mut bad: HashMap<String, &'static str> = HashMap::new();
    for f in findings.iter_mut() {
        let Some(fix) = f.fix.as_mut() else { continue };
        if fix.holds_secret(providers) {
            // Never expected: key fixes only delete. Keep it out of sight.
            f.fix = None;
            continue;
        }
        let mut refused = None;
        for e in &fix.edits {
            if out.contains_key(&e.path) {
                continue;
            }
            if let Some(why) = bad.get(&e.path) {
                refused = Some(*why);
                continue;
            }
            match lookup(&e.path) {
                Some((path, source, secrets)) if source.encoding() == Encoding::Utf8 => {
                    out.insert(
                        e.path.clone(),
                        Target {
                            path,
                            digest: digest(source.text()),
                            secrets,
                        },
                    );
                }
                Some((_, source, _)) => {
                    let why = match source.encoding() {
                        Encoding::Utf16 => "the file is UTF-16",
                        _ => "the file is not valid UTF-8",
                    };
                    bad.insert(e.path.clone(), why);
                    refused = Some(why);
                }
                None => {
                    bad.insert(e.path.clone(), "the file was not read");
                    refused = Some("the file was not read");
                }
            }
        }
        if let Some(why) = refused
            && fix.applicability != Applicability::DisplayOnly
        {
            fix.applicability = Applicability::DisplayOnly;
            fix.description.push_str(&format!(" (not applied: {why})"));
        }
    }
    out
}

/// Counts of the fixes findings carry, for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fixable {
    pub safe: usize,
    pub unsafe_: usize,
}

impl Fixable {
    pub fn count(findings: &[Finding]) -> Fixable {
        let mut n = Fixable::default();
        for f in findings {
            match f.fix.as_ref().map(|x| x.applicability) {
                Some(Applicability::Safe) => n.safe += 1,
                Some(Applicability::Unsafe) => n.unsafe_ += 1,
                _ => {}
            }
        }
        n
    }

    /// `2 fixable with --fix (1 more with --unsafe-fixes).`, or `None` when
    /// nothing is fixable.
    pub fn hint(self, unsafe_fixes: bool) -> Option<String> {
        let (now, hidden) = if unsafe_fixes {
            (self.safe + self.unsafe_, 0)
        } else {
            (self.safe, self.unsafe_)
        };
        let flags = if unsafe_fixes {
            "--fix --unsafe-fixes"
        } else {
            "--fix"
        };
        match (now, hidden) {
            (0, 0) => None,
            (0, h) => Some(format!("{h} fixable with --fix --unsafe-fixes.")),
            (n, 0) => Some(format!("{n} fixable with {flags}.")),
            (n, h) => Some(format!(
                "{n} fixable with --fix ({h} more with --unsafe-fixes)."
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Position;

    fn edit(path: &str, start: usize, end: usize) -> Edit {
        let p = Position { line: 1, column: 1 };
        Edit {
            path: path.into(),
            span: Span::new(start, end),
            start: p,
            end: p,
            content: String::new(),
        }
    }

    #[test]
    fn conflicts() {
        assert!(edit("a", 0, 3).conflicts(&edit("a", 2, 4)));
        assert!(!edit("a", 0, 3).conflicts(&edit("a", 3, 4)));
        assert!(!edit("a", 0, 3).conflicts(&edit("b", 0, 3)));
        // Two insertions at one place: the order would be a guess.
        assert!(edit("a", 3, 3).conflicts(&edit("a", 3, 3)));
        // An insertion at the start of a replacement.
        assert!(edit("a", 3, 3).conflicts(&edit("a", 3, 5)));
        // An insertion touching the end of a replacement is after it.
        assert!(!edit("a", 5, 5).conflicts(&edit("a", 3, 5)));
        assert!(edit("a", 4, 4).conflicts(&edit("a", 3, 5)));
    }

    #[test]
    fn hints() {
        let n = |safe, unsafe_| Fixable { safe, unsafe_ };
        assert_eq!(n(0, 0).hint(false), None);
        assert_eq!(n(2, 0).hint(false).unwrap(), "2 fixable with --fix.");
        assert_eq!(
            n(2, 1).hint(false).unwrap(),
            "2 fixable with --fix (1 more with --unsafe-fixes)."
        );
        assert_eq!(
            n(0, 1).hint(false).unwrap(),
            "1 fixable with --fix --unsafe-fixes."
        );
        assert_eq!(
            n(2, 1).hint(true).unwrap(),
            "3 fixable with --fix --unsafe-fixes."
        );
    }

    #[test]
    fn secrets_in_content_are_told_from_ids() {
        let fix = |content: &str| {
            let mut e = edit("a", 0, 0);
            e.content = content.to_string();
            Fix::new(Applicability::Safe, "d", vec![e])
        };
        let key = concat!("sk-proj-", "Vd8kQ2mZp4LtW9xR7nB3cY6hJ1fG5sA0eK");
        assert!(fix(&format!("OPENAI_API_KEY={key}\n")).holds_secret(Providers::builtin()));
        assert!(fix(&format!("\"{key}\"")).holds_secret(Providers::builtin()));
        // An org ID whose body happens to contain a key prefix.
        let org = concat!("org-", "xAIzaSyQ2mZp4LtW9xR7nB3c");
        assert!(!fix(&format!("OPENAI_ORG_ID={org}\n")).holds_secret(Providers::builtin()));
        assert!(!fix("os.environ.get(\"OPENAI_ORG_ID\")").holds_secret(Providers::builtin()));
        assert!(!fix("OPENAI_API_KEY").holds_secret(Providers::builtin()));
    }

    #[test]
    fn applicability() {
        assert!(Applicability::Safe.applies(false));
        assert!(!Applicability::Unsafe.applies(false));
        assert!(Applicability::Unsafe.applies(true));
        assert!(!Applicability::DisplayOnly.applies(true));
    }
}
