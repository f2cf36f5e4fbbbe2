//! Applying inline suppressions to the findings after the rules have run
//! ([`apply`]), which is also where SUP001 (unused-suppression) is decided,
//! since it needs to know what each directive suppressed. The directives
//! themselves are facts, found by the extractor
//! (`crate::extract::directive`); their syntax is described there.

use std::collections::{HashMap, HashSet};

use super::{FileRef, Findings, RuleContext, sup001};
use crate::fact::Suppression;
use crate::finding::Finding;

#[derive(Debug, Clone, Default)]
pub struct Use {
    /// It suppressed at least one finding.
    pub any: bool,
    /// For a directive with codes: which of them suppressed something.
    pub codes: Vec<bool>,
}

/// Whether a directive covers a finding of `code` at `line`.
fn covers(s: &Suppression, code: &str, line: usize) -> Option<Option<usize>> {
    let on_line = s.lines.0 <= line && line <= s.lines.1;
    if !(s.file || on_line) {
        return None;
    }
    match &s.codes {
        None => Some(None),
        Some(codes) => codes.iter().position(|(c, _)| c == code).map(Some),
    }
}

/// Apply the suppressions of `files` to `findings` (already limited to the
/// enabled rules), then add SUP001 findings for directives that suppressed
/// nothing when SUP001 is enabled. Returns the findings to report, in
/// report order.
pub fn apply(
    cx: &RuleContext<'_>,
    files: &[FileRef<'_>],
    findings: Vec<Finding>,
    enabled: &HashSet<&str>,
) -> Vec<Finding> {
    let with: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.facts.suppressions.is_empty())
        .map(|(i, f)| (f.entry.display.as_str(), i))
        .collect();
    if with.is_empty() {
        return findings;
    }
    let mut uses: HashMap<usize, Vec<Use>> = with
        .values()
        .map(|&i| {
            let list = files[i]
                .facts
                .suppressions
                .iter()
                .map(|s| Use {
                    any: false,
                    codes: vec![false; s.codes.as_ref().map_or(0, Vec::len)],
                })
                .collect();
            (i, list)
        })
        .collect();

    let mut kept = Vec::with_capacity(findings.len());
    for f in findings {
        let Some(&i) = with.get(f.path.as_str()) else {
            kept.push(f);
            continue;
        };
        let mut suppressed = false;
        for (d, s) in files[i].facts.suppressions.iter().enumerate() {
            if let Some(which) = covers(s, &f.code, f.start.line) {
                suppressed = true;
                // Every directive that covers it counts as used, so that no
                // advice to delete one would bring the finding back.
                if let Some(u) = uses.get_mut(&i).and_then(|u| u.get_mut(d)) {
                    u.any = true;
                    if let Some(c) = which.and_then(|c| u.codes.get_mut(c)) {
                        *c = true;
                    }
                }
            }
        }
        if !suppressed {
            kept.push(f);
        }
    }

    if enabled.contains(sup001::CODE) {
        // Every rule that can run: without --verify the VERIFY rules
        // cannot, so a bare directive is still judged by the others.
        let every_rule = cx.rules.iter().all(|r| {
            r.code == sup001::CODE
                || enabled.contains(r.code.as_str())
                || (cx.verify.is_none() && crate::rule::needs_verify(&r.code))
        });
        let mut out = Findings::new(cx.rules);
        let mut order: Vec<usize> = with.values().copied().collect();
        order.sort_unstable();
        for i in order {
            let file = &files[i];
            let Some(u) = uses.get(&i) else { continue };
            sup001::check(cx, file, u, enabled, every_rule, &mut out);
        }
        // A SUP001 finding is suppressed only by a directive that names
        // SUP001: a bare `credlint: ignore` would otherwise hide its own
        // report.
        for f in out.findings {
            let named = with.get(f.path.as_str()).is_some_and(|&i| {
                files[i].facts.suppressions.iter().any(|s| {
                    s.codes.is_some()
                        && covers(s, sup001::CODE, f.start.line).is_some_and(|c| c.is_some())
                })
            });
            if !named {
                kept.push(f);
            }
        }
        kept.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    kept
}
