//! SUP001 unused-suppression: a `credlint: ignore[…]` directive that
//! suppressed nothing in this run. Stale directives hide the next real
//! finding on their line.
//!
//! Unlike the other rules, SUP001 cannot be decided from facts alone: it
//! needs to know what each directive suppressed. So its [`Rule`] methods do
//! nothing, and [`check`] is called by `crate::rule::suppress::apply` once the
//! other rules' findings have been matched against the directives.
//!
//! What counts as unused follows ruff's RUF100, with one deliberate
//! difference: a code of a rule that is not enabled in this run (by
//! `--select`/`--ignore` or `credlint.toml`) is not reported. ruff reports
//! those as "non-enabled"; credlint does not, because its advice is "delete
//! it", and that advice must be safe to follow: a run narrowed to
//! `--select KEY001` cannot know whether an `ignore[ORG001]` is still
//! needed by the full run. For the same reason a directive without codes
//! (`credlint: ignore`) is reported only when every rule is enabled. As in
//! ruff, a directive that names SUP001 itself is never reported: that is
//! how a directive is kept on purpose. Unknown codes are always reported.

use std::collections::HashSet;

use super::{FileRef, Findings, Rule, RuleContext};
use crate::rule::suppress::Use;

/// The rule code.
pub const CODE: &str = "SUP001";

pub struct Sup001;

impl Rule for Sup001 {
    fn code(&self) -> &'static str {
        CODE
    }
}

/// Report the directives of `file` that suppressed nothing. `uses[i]` is
/// what directive `i` of the file suppressed; `every_rule` says whether all
/// rules ran.
pub fn check(
    cx: &RuleContext<'_>,
    file: &FileRef<'_>,
    uses: &[Use],
    enabled: &HashSet<&str>,
    every_rule: bool,
    out: &mut Findings<'_>,
) {
    for (s, used) in file.facts.suppressions.iter().zip(uses) {
        let text = file
            .source
            .text()
            .get(s.span.start..s.span.end)
            .unwrap_or("credlint: ignore");
        let file_variant = if s.file { Some("file") } else { None };
        let Some(codes) = &s.codes else {
            if !used.any && every_rule {
                out.emit(
                    CODE,
                    file,
                    s.span,
                    text,
                    file_variant,
                    &[("directive", text.to_string()), ("note", String::new())],
                );
            }
            continue;
        };
        if codes.iter().any(|(c, _)| c == CODE) {
            continue;
        }
        let mut stale = Vec::new();
        let mut unknown = Vec::new();
        for ((code, _), &hit) in codes.iter().zip(&used.codes) {
            if hit {
                continue;
            }
            if cx.rules.get(code).is_none() {
                unknown.push(code.as_str());
            } else if enabled.contains(code.as_str())
                && super::scope::applies(code, file.entry.class.context)
            {
                // A rule that never reports in this file's context could
                // not have used the directive: like a rule not enabled.
                stale.push(code.as_str());
            }
        }
        if !codes.is_empty() && stale.is_empty() && unknown.is_empty() {
            continue;
        }
        let note = match unknown.len() {
            0 => String::new(),
            1 => format!(" ({} is no credlint rule)", unknown[0]),
            _ => format!(" ({} are no credlint rules)", unknown.join(", ")),
        };
        let names: Vec<&str> = stale.iter().chain(&unknown).copied().collect();
        let names = names.join(", ");
        let variant = if codes.is_empty() {
            Some("empty")
        } else if stale.len() + unknown.len() < codes.len() {
            Some(if s.file { "some_file" } else { "some" })
        } else {
            file_variant
        };
        out.emit(
            CODE,
            file,
            s.span,
            &format!("{text}\0{names}"),
            variant,
            &[
                ("directive", text.to_string()),
                ("names", names),
                ("note", note),
            ],
        );
    }
}
