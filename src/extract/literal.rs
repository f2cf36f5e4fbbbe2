//! Provider literals in raw text: API keys, org IDs and project IDs found by
//! the provider regexes, with ASCII boundaries checked here so that
//! `task-…`, `payments-org-…` or an `org-` with 30 characters never match.

use crate::fact::{Literal, LiteralKind, Slot, TextContext};
use crate::provider::{Enabled, Providers};
use crate::source::Span;

fn is_word_dash(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Find every enabled key and ID literal in `text`. `context` says whether a
/// byte offset lies in a comment, in prose, or elsewhere.
pub fn scan(
    text: &str,
    enabled: &Enabled<'_>,
    context: impl Fn(usize) -> TextContext,
) -> Vec<Literal> {
    let bytes = text.as_bytes();
    let before_ok = |start: usize| start == 0 || !is_word_dash(bytes[start - 1]);
    let mut out: Vec<Literal> = Vec::new();
    for &(pid, kid) in &enabled.keys {
        let pattern = &enabled.providers.get(pid).keys[kid];
        for m in pattern.regex.find_iter(text) {
            let after_ok = bytes.get(m.end()).is_none_or(|&b| !is_word_dash(b));
            if before_ok(m.start()) && after_ok {
                out.push(Literal {
                    kind: LiteralKind::Key {
                        provider: pid,
                        pattern: kid,
                    },
                    text: m.as_str().to_string(),
                    span: Span::new(m.start(), m.end()),
                    context: context(m.start()),
                });
            }
        }
    }
    for &(pid, iid) in &enabled.ids {
        let pattern = &enabled.providers.get(pid).ids[iid];
        for m in pattern.regex.find_iter(text) {
            let after_ok = bytes.get(m.end()).is_none_or(|&b| !is_word(b));
            if before_ok(m.start()) && after_ok {
                out.push(Literal {
                    kind: match pattern.slot {
                        Slot::Project => LiteralKind::Project,
                        _ => LiteralKind::Org,
                    },
                    text: m.as_str().to_string(),
                    span: Span::new(m.start(), m.end()),
                    context: context(m.start()),
                });
            }
        }
    }
    // Two key patterns may match the same key (or one inside another): keep
    // the earliest, longest match.
    out.sort_by(|a, b| {
        a.span
            .start
            .cmp(&b.span.start)
            .then(b.span.end.cmp(&a.span.end))
    });
    let mut kept: Vec<Literal> = Vec::with_capacity(out.len());
    for l in out {
        if kept.last().is_some_and(|k| l.span.start < k.span.end) {
            continue;
        }
        kept.push(l);
    }
    kept
}

/// A literal for each key setting whose whole value is a key of a pattern
/// too generic to search for in raw text (an Azure key is 32 hex digits).
pub fn context_keys(facts: &mut crate::fact::FileFacts, providers: &Providers) {
    // A constant's key literal (see the code engine) may be the value of a
    // setting too (`Mistral(api_key=MISTRAL_API_KEY)`): one literal each.
    let mut seen: std::collections::HashSet<Span> = facts
        .literals
        .iter()
        .filter(|l| matches!(l.kind, LiteralKind::Key { .. }))
        .map(|l| l.span)
        .collect();
    for s in &facts.settings {
        if s.slot != Slot::Key
            || s.value.kind != crate::fact::ValueKind::Literal
            || !seen.insert(s.value.span)
        {
            continue;
        }
        let p = providers.get(s.provider);
        for (kid, k) in p.keys.iter().enumerate() {
            if k.needs_context && k.whole.is_match(&s.value.text) {
                facts.literals.push(Literal {
                    kind: LiteralKind::Key {
                        provider: s.provider,
                        pattern: kid,
                    },
                    text: s.value.text.clone(),
                    span: s.value.span,
                    context: TextContext::Value,
                });
                break;
            }
        }
    }
    facts.literals.sort_by_key(|l| l.span.start);
}
