//! ORG001 hardcoded-organization-id and (through [`hardcoded_id`]) ORG004
//! hardcoded-project-id: an ID literal in a committed file, outside comments
//! and prose.

use super::{Ctx, Emit, FileRef, Rule};
use crate::extract::literal::is_placeholder_id;
use crate::fact::{LiteralKind, TextContext};
use crate::walk::FileKind;

pub struct Org001;

impl Rule for Org001 {
    fn code(&self) -> &'static str {
        "ORG001"
    }

    fn check_file(&self, _cx: &Ctx<'_>, file: &FileRef<'_>, out: &mut Emit<'_>) {
        hardcoded_id(self.code(), LiteralKind::Org, file, out);
    }
}

/// Shared by ORG001 and ORG004: the literal rule for one kind of ID.
pub(super) fn hardcoded_id(code: &str, kind: LiteralKind, file: &FileRef<'_>, out: &mut Emit<'_>) {
    let class = &file.entry.class;
    if !class.committed || class.test {
        return;
    }
    let variant = match class.kind {
        FileKind::Env { .. } if class.template => "template",
        FileKind::Env { .. } => "env",
        FileKind::Code(_) => "code",
        _ => "config",
    };
    for l in &file.facts.literals {
        if l.kind != kind || l.context != TextContext::Value || is_placeholder_id(&l.text) {
            continue;
        }
        let how = super::env_ref_at(file, l.span);
        out.emit(
            code,
            file,
            l.span,
            &l.text,
            Some(super::ref_variant(how).unwrap_or(variant)),
            &[
                ("id", l.text.clone()),
                ("how", how.unwrap_or_default().to_string()),
            ],
        );
    }
}
