//! KEY003 placeholder-api-key: a key setting that holds a placeholder.

use super::{FileRef, Findings, Rule, RuleContext};
use crate::fact::{Setting, Slot, ValueKind};
use crate::graph::Graph;

pub struct Key003;

impl Rule for Key003 {
    fn code(&self) -> &'static str {
        "KEY003"
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
    if s.slot == Slot::Key
        && s.value.kind == ValueKind::Literal
        && !super::key002::is_blank(s)
        && cx.placeholders.is_placeholder_for(&s.name, &s.value.text)
        && !file.custom_base_url(s, cx.providers)
        && !(cx.placeholders.is_dummy(&s.value.text) && super::key002::in_test_context(file, s))
    {
        let (variant, how) = super::code_variant(file, s);
        let template = super::key002::committed_template(cx, file);
        out.emit(
            "KEY003",
            file,
            s.value.span,
            &s.value.text,
            template
                .as_ref()
                .map_or(variant, |_| Some("committed-template")),
            &[
                ("var", s.name.clone()),
                ("value", shown(&s.value.text)),
                ("how", how),
                ("file", super::key002::file_name(file).to_string()),
                ("template", template.unwrap_or_default()),
            ],
        );
    }
}

/// A placeholder as shown in a message: not a secret, but kept short.
fn shown(value: &str) -> String {
    let v: String = value.trim().chars().take(40).collect();
    if v.len() < value.trim().len() {
        format!("{v}…")
    } else {
        v
    }
}
