//! KEY001 hardcoded-api-key: a provider key literal in a committed file,
//! comments and prose included (a leaked key is a leak wherever it sits).

use super::{Ctx, Emit, FileRef, Rule};
use crate::fact::LiteralKind;
use crate::redact::redact;
use crate::walk::FileKind;

pub struct Key001;

impl Rule for Key001 {
    fn code(&self) -> &'static str {
        "KEY001"
    }

    fn check_file(&self, cx: &Ctx<'_>, file: &FileRef<'_>, out: &mut Emit<'_>) {
        let class = &file.entry.class;
        if !class.committed {
            return;
        }
        let variant = match class.kind {
            FileKind::Env { .. } if class.template => "template",
            FileKind::Env { .. } => "env",
            FileKind::Docs => "docs",
            _ => "other",
        };
        for l in &file.facts.literals {
            let LiteralKind::Key { provider, pattern } = l.kind else {
                continue;
            };
            let p = cx.providers.get(provider);
            let var = p
                .canonical(crate::fact::Slot::Key)
                .map_or_else(|| "the key variable".to_string(), |v| v.name.clone());
            let how = super::env_ref_at(file, l.span);
            out.emit(
                self.code(),
                file,
                l.span,
                &l.text,
                Some(super::ref_variant(how).unwrap_or(variant)),
                &[
                    ("kind", p.keys[pattern].description.clone()),
                    ("key", redact(&l.text)),
                    ("var", var),
                    ("how", how.unwrap_or_default().to_string()),
                ],
            );
        }
    }
}
