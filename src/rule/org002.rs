//! ORG002 invalid-organization-id and (through [`invalid_id`]) ORG005
//! invalid-project-id: an org or project setting whose literal value is not
//! an ID of that kind.

use super::{FileRef, Findings, Rule, RuleContext};
use crate::fact::{Setting, Slot, ValueKind};
use crate::graph::Graph;
use crate::provider::is_placeholder_id;
use crate::redact::redact;

pub struct Org002;

impl Rule for Org002 {
    fn code(&self) -> &'static str {
        "ORG002"
    }

    fn check_file(&self, cx: &RuleContext<'_>, file: &FileRef<'_>, out: &mut Findings<'_>) {
        invalid_id(self.code(), Slot::Org, cx, file, out);
    }

    fn check_repo(
        &self,
        cx: &RuleContext<'_>,
        files: &[FileRef<'_>],
        _: &Graph<'_>,
        out: &mut Findings<'_>,
    ) {
        flow_ids(self.code(), Slot::Org, cx, files, out);
    }
}

/// Shared by ORG002 (org settings) and ORG005 (project settings).
pub(super) fn invalid_id(
    code: &str,
    slot: Slot,
    cx: &RuleContext<'_>,
    file: &FileRef<'_>,
    out: &mut Findings<'_>,
) {
    if !super::key002::applies(file) {
        return;
    }
    for s in &file.facts.settings {
        check_id(code, slot, cx, file, s, out);
    }
}

/// ORG002/ORG005 on the env-file settings of variables that code passes
/// into a client's org or project slot whatever their name (see
/// [`super::flow`]).
pub(super) fn flow_ids(
    code: &str,
    slot: Slot,
    cx: &RuleContext<'_>,
    files: &[FileRef<'_>],
    out: &mut Findings<'_>,
) {
    for (i, s) in super::flow::settings(cx, files) {
        if s.slot == slot
            && let Some(file) = files.get(*i)
        {
            check_id(code, slot, cx, file, s, out);
        }
    }
}

fn check_id(
    code: &str,
    slot: Slot,
    cx: &RuleContext<'_>,
    file: &FileRef<'_>,
    s: &Setting,
    out: &mut Findings<'_>,
) {
    let other = if slot == Slot::Org {
        Slot::Project
    } else {
        Slot::Org
    };
    if s.slot != slot || s.value.kind != ValueKind::Literal {
        return;
    }
    let v = s.value.text.trim();
    if v.is_empty() || v.contains("${") {
        return;
    }
    // A stand-in that says it is fake (`test-org`) in a CI job or test
    // setup is deliberate, as for keys (KEY003).
    if cx.placeholders.is_dummy(v) && super::key002::in_test_context(file, s) {
        return;
    }
    let well_formed = cx.providers.id_of_any(slot, v) && v.len() == s.value.text.len();
    let (reason, shown) = if well_formed {
        if !is_placeholder_id(v) {
            return;
        }
        ("placeholder", v.to_string())
    } else if cx.providers.key_of_any(v).is_some() || crate::redact::looks_secret(v, cx.providers) {
        ("key", redact(v, cx.providers))
    } else if cx.providers.id_of_any(other, v) {
        ("other-id", v.to_string())
    } else if cx.placeholders.is_placeholder(v) {
        ("placeholder", short(v))
    } else if v.len() != s.value.text.len() {
        ("whitespace", v.to_string())
    } else if slot == Slot::Org && (v.starts_with("org_") || v.starts_with("org-")) {
        (
            if v.starts_with("org_") {
                "underscore"
            } else {
                "shape"
            },
            short(v),
        )
    } else if slot == Slot::Project && (v.starts_with("proj-") || v.starts_with("proj_")) {
        (
            if v.starts_with("proj-") {
                "hyphen"
            } else {
                "shape"
            },
            short(v),
        )
    } else {
        ("name", short(v))
    };
    out.emit(
        code,
        file,
        s.value.span,
        &s.value.text,
        Some(reason),
        &[("var", s.name.clone()), ("value", shown)],
    );
}

fn short(v: &str) -> String {
    let s: String = v.chars().take(48).collect();
    if s.len() < v.len() {
        format!("{s}…")
    } else {
        s
    }
}
