//! Baselines: `credlint check --write-baseline FILE` records the current
//! findings, `--baseline FILE` reports only the findings not recorded.
//!
//! A finding is recorded by its rule, path and fingerprint, nothing else:
//! no message, no line, no value. The fingerprint hashes the rule, the path
//! and the offending content (a secret only through a hash of it), so the
//! file is safe to commit and a recorded finding still matches after lines
//! move. Identical findings (the same key twice in one file) share a
//! fingerprint; the baseline counts them, so a third copy is new.
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {"rule": "KEY001", "path": "docs/setup.md", "fingerprint": "5c1b…"}
//!   ]
//! }
//! ```

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;

/// The version of the baseline format this build reads and writes.
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    rule: String,
    path: String,
    fingerprint: String,
}

impl Entry {
    fn of(f: &Finding) -> Entry {
        Entry {
            rule: f.code.clone(),
            path: f.path.clone(),
            fingerprint: f.fingerprint.clone(),
        }
    }
}

/// A loaded baseline: how many times each finding was recorded.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    counts: HashMap<Entry, usize>,
}

/// A baseline file that cannot be read or is not a baseline.
#[derive(Debug)]
pub struct BaselineError(pub String);

impl std::fmt::Display for BaselineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BaselineError {}

impl Baseline {
    /// Read a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = fs::read_to_string(path)
            .map_err(|e| BaselineError(format!("cannot read baseline {}: {e}", path.display())))?;
        Baseline::parse(&text)
            .map_err(|e| BaselineError(format!("invalid baseline {}: {e}", path.display())))
    }

    /// Parse baseline text.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let file: BaselineFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if file.version != VERSION {
            return Err(format!(
                "version {} is not supported (this credlint reads version {VERSION})",
                file.version
            ));
        }
        let mut counts = HashMap::new();
        for e in file.findings {
            if e.fingerprint.is_empty() || !e.fingerprint.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!(
                    "finding {} at {}: fingerprint {:?} is not hexadecimal",
                    e.rule, e.path, e.fingerprint
                ));
            }
            *counts.entry(e).or_insert(0) += 1;
        }
        Ok(Baseline { counts })
    }

    /// The baseline document for `findings`, sorted, with a final newline.
    pub fn render(findings: &[Finding]) -> String {
        let mut entries: Vec<Entry> = findings.iter().map(Entry::of).collect();
        entries.sort_by(|a, b| {
            (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint))
        });
        let doc = BaselineFile {
            version: VERSION,
            findings: entries,
        };
        // Serializing plain strings and numbers cannot fail.
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Write the baseline of `findings` to `path`.
    pub fn write(path: &Path, findings: &[Finding]) -> Result<(), BaselineError> {
        fs::write(path, Baseline::render(findings))
            .map_err(|e| BaselineError(format!("cannot write baseline {}: {e}", path.display())))
    }

    /// The number of findings recorded.
    pub fn len(&self) -> usize {
        self.counts.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Keep the findings that are not in the baseline; returns how many
    /// were dropped. Each recorded finding matches at most one finding.
    pub fn filter(&self, findings: &mut Vec<Finding>) -> usize {
        let mut left = self.counts.clone();
        let before = findings.len();
        findings.retain(|f| match left.get_mut(&Entry::of(f)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        });
        before - findings.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::source::{Position, Span};

    fn finding(code: &str, path: &str, line: usize, content: &str) -> Finding {
        let pos = Position { line, column: 1 };
        Finding {
            code: code.into(),
            name: "n".into(),
            severity: Severity::Error,
            path: path.into(),
            span: Span::new(0, 1),
            start: pos,
            end: pos,
            message: format!("secret {content}"),
            help: String::new(),
            fingerprint: crate::finding::fingerprint(code, path, content),
            related: Vec::new(),
        }
    }

    #[test]
    fn round_trip_and_matching_ignores_lines() {
        let old = vec![
            finding("KEY001", "a.py", 3, "k1"),
            finding("ORG001", "a.py", 4, "o1"),
        ];
        let text = Baseline::render(&old);
        assert!(!text.contains("k1") && !text.contains("secret"), "{text}");
        let b = Baseline::parse(&text).unwrap();
        assert_eq!(b.len(), 2);
        let mut now = vec![
            finding("KEY001", "a.py", 30, "k1"),
            finding("ORG001", "a.py", 40, "o2"),
            finding("ORG001", "b.py", 4, "o1"),
        ];
        assert_eq!(b.filter(&mut now), 1);
        let left: Vec<_> = now
            .iter()
            .map(|f| (f.code.as_str(), f.path.as_str()))
            .collect();
        assert_eq!(left, [("ORG001", "a.py"), ("ORG001", "b.py")]);
    }

    #[test]
    fn duplicates_are_counted() {
        let b = Baseline::parse(&Baseline::render(&[finding("KEY001", "a.py", 1, "k")])).unwrap();
        let mut now = vec![
            finding("KEY001", "a.py", 1, "k"),
            finding("KEY001", "a.py", 9, "k"),
        ];
        assert_eq!(b.filter(&mut now), 1);
        assert_eq!(now.len(), 1);
    }

    #[test]
    fn malformed_baselines_are_errors() {
        for text in [
            "",
            "[]",
            "{\"version\": 1}",
            "{\"version\": 2, \"findings\": []}",
            "{\"version\": 1, \"findings\": [{\"rule\": \"KEY001\", \"path\": \"a\"}]}",
            "{\"version\": 1, \"findings\": [{\"rule\": \"KEY001\", \"path\": \"a\", \"fingerprint\": \"zz\"}]}",
            "{\"version\": 1, \"findings\": [], \"extra\": 1}",
        ] {
            assert!(Baseline::parse(text).is_err(), "{text:?}");
        }
        assert!(Baseline::parse("{\"version\": 1, \"findings\": []}").is_ok_and(|b| b.is_empty()));
    }
}
