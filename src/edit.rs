//! The fix a finding carries, as plain data: byte-range edits on the
//! decoded text of one or more files and an applicability, as in ruff.
//! Rules build fixes ([`crate::fix::build`]); the fix pass resolves what
//! needs other files ([`crate::fix::finalize`]); applying them is
//! [`crate::fix::apply`].

use crate::file_ref::FileRef;
use crate::source::{Position, Source, Span};

/// Whether a fix may be applied, and with which flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Keeps what the program does: applied by `--fix`.
    Safe,
    /// May change what the program does: applied by `--fix --unsafe-fixes`.
    Unsafe,
    /// Shown for information, never applied.
    DisplayOnly,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }

    /// Whether a fix of this applicability is applied.
    pub fn applies(self, unsafe_fixes: bool) -> bool {
        match self {
            Applicability::Safe => true,
            Applicability::Unsafe => unsafe_fixes,
            Applicability::DisplayOnly => false,
        }
    }
}

/// One replacement: `span` of the decoded text of the file at `path` (its
/// display path) becomes `content`. An empty span is an insertion, empty
/// content a deletion.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edit {
    pub path: String,
    pub span: Span,
    pub start: Position,
    pub end: Position,
    pub content: String,
}

impl Edit {
    /// An edit of `span` in `file`.
    pub fn new(file: &FileRef<'_>, span: Span, content: impl Into<String>) -> Edit {
        Edit::in_source(&file.entry.display, file.source, span, content)
    }

    pub(crate) fn in_source(
        path: &str,
        source: &Source,
        span: Span,
        content: impl Into<String>,
    ) -> Edit {
        Edit {
            path: path.to_string(),
            span,
            start: source.position(span.start),
            end: source.position(span.end),
            content: content.into(),
        }
    }

    pub fn is_insertion(&self) -> bool {
        self.span.is_empty()
    }

    /// Whether two edits cannot both apply: they share bytes, or they
    /// insert at the same place (the order of the two insertions would be
    /// a guess). Edits of different files never conflict.
    pub fn conflicts(&self, other: &Edit) -> bool {
        if self.path != other.path {
            return false;
        }
        let (a, b) = (self.span, other.span);
        if a.start < b.end && b.start < a.end {
            return true;
        }
        (a.is_empty() || b.is_empty()) && a.start == b.start
    }
}

/// A proposed change for one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, for `--diff` and the JSON output.
    pub description: String,
    /// Non-overlapping edits, possibly in several files.
    pub edits: Vec<Edit>,
    /// A variable to add to the env files around the fixed file, resolved
    /// by [`finalize`] once every file has been scanned.
    pub(crate) env: Option<EnvVar>,
    /// The variable a fix deletes from an env file: if the file's template
    /// lists it, deleting it trades this finding for ENV002, so the fix is
    /// only shown ([`finalize`]).
    pub(crate) deletes: Option<String>,
}

/// A variable a fix moves out of a file: added (empty) to the repository's
/// env template and, when there is an uncommitted `.env`, with its value
/// there, so the program reads what it read before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnvVar {
    pub name: String,
    /// The value moved (an org or project ID: never a key).
    pub value: String,
}

impl Fix {
    /// A fix of `edits`.
    pub fn new(
        applicability: Applicability,
        description: impl Into<String>,
        edits: Vec<Edit>,
    ) -> Fix {
        Fix {
            applicability,
            description: description.into(),
            edits,
            env: None,
            deletes: None,
        }
    }

    /// This fix with another applicability.
    pub fn with(mut self, applicability: Applicability) -> Fix {
        self.applicability = applicability;
        self
    }
}
