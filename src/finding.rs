//! Findings: what rules produce and renderers print. Plain data, the same
//! for every output format.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::source::{Position, Span};

/// How serious a finding is. Errors and warnings fail the run by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
    /// Whether a finding of this severity makes `credlint check` exit 1.
    pub fn fails(self) -> bool {
        matches!(self, Severity::Error | Severity::Warning)
    }
}

/// A secondary location of a finding (the first definition of a duplicate,
/// the env file a code literal overrides, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub path: String,
    pub span: Span,
    pub start: Position,
    pub message: String,
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub path: String,
    pub span: Span,
    pub start: Position,
    pub end: Position,
    pub message: String,
    pub help: String,
    pub fingerprint: String,
    pub related: Vec<Related>,
    /// The change that would resolve it, if credlint knows one.
    pub fix: Option<crate::edit::Fix>,
}

impl Finding {
    /// The order findings are reported in: path, line, column, code.
    pub fn sort_key(&self) -> (&str, Position, &str) {
        (&self.path, self.start, &self.code)
    }
}

/// A stable fingerprint: the rule, the path and the offending content (for a
/// secret, a hash of it), never the line, so it survives lines moving.
pub fn fingerprint(code: &str, path: &str, content: &str) -> String {
    let inner = Sha256::digest(content.as_bytes());
    let mut h = Sha256::new();
    h.update(code.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    h.update([0]);
    h.update(inner);
    let out = h.finalize();
    hex::encode(&out[..16])
}

/// Counts for the summary line and the JSON `summary` object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub files_scanned: usize,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files not scanned, by reason (`binary`, `too large`, …).
    pub skipped: BTreeMap<&'static str, usize>,
    /// Folders not entered, by reason (`symlink`, `unreadable`).
    pub folders_skipped: BTreeMap<&'static str, usize>,
}

impl Summary {
    pub fn count(&mut self, findings: &[Finding]) {
        self.findings = findings.len();
        self.errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        self.warnings = findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count();
        self.infos = findings
            .iter()
            .filter(|f| f.severity == Severity::Info)
            .count();
    }
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }
}
