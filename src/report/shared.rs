//! What every renderer reads: the [`Report`], fingerprints made unique
//! within it, and the escaping that keeps text from a scanned file from
//! driving a terminal or splitting a line-oriented format.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use crate::finding::{Finding, Summary};
use crate::source::Source;

/// Everything a renderer needs.
pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub summary: &'a Summary,
    /// The text of every file that has a finding or a related location,
    /// keyed by display path (for snippets).
    pub sources: &'a HashMap<String, Arc<Source>>,
    /// Whether to use colour (pretty only).
    pub color: bool,
    /// The rules the findings come from (their names, docs and links).
    pub rules: &'a crate::rule::RuleSet,
    /// The providers whose key shapes are never printed.
    pub providers: &'a crate::provider::Providers,
}

/// Each finding's fingerprint, made unique within the report.
///
/// A fingerprint hashes the rule, the path and the offending content, so the
/// same value twice in one file (an org ID pasted into two clients) gives two
/// findings with one fingerprint. Code-scanning services key alerts by
/// fingerprint and keep only one of such a pair (GitLab shows the first
/// only), so the n-th repeat (n ≥ 1, in report order) gets
/// `sha256(fingerprint ":" n)`, truncated like the original: still stable
/// when lines move, as long as the repeats keep their order.
pub(crate) fn unique_fingerprints(findings: &[Finding]) -> Vec<Cow<'_, str>> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let n = seen.entry(f.fingerprint.as_str()).or_insert(0);
            let out = if *n == 0 {
                Cow::Borrowed(f.fingerprint.as_str())
            } else {
                use sha2::{Digest, Sha256};
                let h = Sha256::digest(format!("{}:{n}", f.fingerprint).as_bytes());
                Cow::Owned(hex::encode(
                    &h[..f.fingerprint.len().div_ceil(2).min(h.len())],
                ))
            };
            *n += 1;
            out
        })
        .collect()
}

/// Text from a scanned file (a path, a message quoting a name) made safe for a
/// line-oriented terminal format: control characters, line breaks included,
/// are shown escaped (`\n`, `\u{1b}`) so they can neither split a line nor
/// drive the terminal; bidirectional-override characters are escaped too.
pub(crate) fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Control characters and the bidirectional embedding, override and isolate
/// characters ("Trojan Source").
pub(crate) fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}
