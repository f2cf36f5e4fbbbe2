//! ORG001 hardcoded-organization-id and (through [`hardcoded_id`]) ORG004
//! hardcoded-project-id: an ID literal in a committed file, outside comments
//! and prose. An ID that the provider publishes as a documentation example
//! is known data in example payloads (an OpenAPI spec's responses), and is
//! reported only as the value of a setting, where the app sends it.

use super::{FileRef, Findings, Rule, RuleContext};
use crate::fact::{LiteralKind, TextContext};
use crate::provider::is_placeholder_id;
use crate::walk::FileKind;

pub struct Org001;

impl Rule for Org001 {
    fn code(&self) -> &'static str {
        "ORG001"
    }

    fn check_file(&self, cx: &RuleContext<'_>, file: &FileRef<'_>, out: &mut Findings<'_>) {
        hardcoded_id(self.code(), LiteralKind::Org, cx, file, out);
    }
}

/// Shared by ORG001 and ORG004: the literal rule for one kind of ID.
pub(super) fn hardcoded_id(
    code: &str,
    kind: LiteralKind,
    cx: &RuleContext<'_>,
    file: &FileRef<'_>,
    out: &mut Findings<'_>,
) {
    let class = &file.entry.class;
    if !class.committed || class.test {
        return;
    }
    let variant = match class.kind {
        FileKind::Env { .. } if class.template => "template",
        FileKind::Env { .. } => "env",
        FileKind::Code(_) | FileKind::Notebook => "code",
        _ => "config",
    };
    for l in &file.facts.literals {
        if l.kind != kind || l.context != TextContext::Value || is_placeholder_id(&l.text) {
            continue;
        }
        let example = cx.placeholders.is_example_id(&l.text);
        if example
            && !file
                .facts
                .settings
                .iter()
                .any(|s| s.value.span.start <= l.span.start && l.span.end <= s.value.span.end)
        {
            continue;
        }
        let setting = super::setting_holding(file, l.span);
        let how = setting.and_then(|s| s.env_ref.as_ref());
        let variant = match how {
            _ if file.entry.tracked_ignored => "tracked-ignored",
            Some(_) if super::is_code(file) => "code-reference",
            _ => super::ref_variant(how).unwrap_or(variant),
        };
        out.emit(
            code,
            file,
            l.span,
            &l.text,
            Some(variant),
            &[
                ("id", l.text.clone()),
                ("how", how.map(ToString::to_string).unwrap_or_default()),
                ("name", setting.map(|s| s.name.clone()).unwrap_or_default()),
                ("path", file.entry.display.clone()),
                (
                    "origin",
                    if example {
                        " (the example ID of the provider's API reference: copied from the docs)"
                            .to_string()
                    } else {
                        String::new()
                    },
                ),
            ],
        )
        .fix = crate::fix::build::hardcoded_id(file, l);
    }
}
