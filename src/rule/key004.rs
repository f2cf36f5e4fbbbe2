//! KEY004 malformed-api-key: a key value that has the provider's prefix but
//! not its shape, or carries whitespace, quotes, a `Bearer ` prefix, a
//! trailing newline, or an org/project ID.

use super::{FileRef, Findings, Rule, RuleContext};
use crate::fact::{Setting, Slot, ValueKind};
use crate::graph::Graph;
use crate::provider::Providers;
use crate::redact::redact;

pub struct Key004;

impl Rule for Key004 {
    fn code(&self) -> &'static str {
        "KEY004"
    }

    fn check_file(&self, cx: &RuleContext<'_>, file: &FileRef<'_>, out: &mut Findings<'_>) {
        if !super::key002::applies(file) {
            return;
        }
        for s in &file.facts.settings {
            if !super::key002::shared_name(cx, s) {
                check(cx, file, s, out);
            }
        }
    }

    fn check_repo(
        &self,
        cx: &RuleContext<'_>,
        files: &[FileRef<'_>],
        _: &Graph<'_>,
        out: &mut Findings<'_>,
    ) {
        super::key002::shared_settings(cx, files, |file, s| check(cx, file, s, out));
    }
}

fn check(cx: &RuleContext<'_>, file: &FileRef<'_>, s: &Setting, out: &mut Findings<'_>) {
    if s.slot != Slot::Key
        || s.value.kind != ValueKind::Literal
        || super::key002::is_blank(s)
        || cx.placeholders.is_placeholder_for(&s.name, &s.value.text)
    {
        return;
    }
    let proxy = file.custom_base_url(s, cx.providers);
    if let Some((variant, help_value)) = problem(s, cx.providers, proxy) {
        out.emit(
            "KEY004",
            file,
            s.value.span,
            &s.value.text,
            Some(variant),
            &[
                ("var", s.name.clone()),
                ("value", redact(s.value.text.trim(), cx.providers)),
                ("fixed", help_value),
            ],
        )
        .fix = crate::fix::build::clean_key(file, s);
    }
}

/// What is wrong with a key value, as a template variant and a hint.
fn problem(s: &Setting, providers: &Providers, proxy: bool) -> Option<(&'static str, String)> {
    let text = s.value.text.as_str();
    let trimmed = text.trim();
    if text.ends_with('\n') || text.ends_with("\\n") {
        return Some(("newline", String::new()));
    }
    if trimmed.len() != text.len() {
        return Some(("whitespace", String::new()));
    }
    if trimmed.len() > 7 && trimmed[..7].eq_ignore_ascii_case("bearer ") {
        return Some(("bearer", String::new()));
    }
    let quotes = ['"', '\'', '`'];
    if trimmed.starts_with(quotes) || trimmed.ends_with(quotes) {
        return Some(("quotes", String::new()));
    }
    if providers.id_of_any(Slot::Org, trimmed) {
        return Some(("org-id", String::new()));
    }
    if providers.id_of_any(Slot::Project, trimmed) {
        return Some(("project-id", String::new()));
    }
    if proxy || trimmed.contains("${") {
        return None;
    }
    // A well-formed key of another provider is PAIR004's, not a malformed key.
    if providers.key_of_any(trimmed).is_some() {
        return None;
    }
    let p = providers.get(s.provider);
    let prefix = p
        .key_prefixes
        .iter()
        .find(|pre| trimmed.starts_with(pre.as_str()))?;
    // Another provider's longer prefix (`sk-ant-` under `sk-`) is not ours.
    let longer_elsewhere = providers.iter().any(|(id, o)| {
        id != s.provider
            && o.key_prefixes
                .iter()
                .any(|op| op.len() > prefix.len() && trimmed.starts_with(op.as_str()))
    });
    if longer_elsewhere {
        return None;
    }
    Some(("shape", p.display.clone()))
}
