//! KEY002 empty-api-key: a key setting with an empty value where it is used
//! at run time (not in a template, not in a test file).

use super::{Ctx, Emit, FileRef, Rule};
use crate::fact::{Slot, ValueKind};

pub struct Key002;

impl Rule for Key002 {
    fn code(&self) -> &'static str {
        "KEY002"
    }

    fn check_file(&self, _cx: &Ctx<'_>, file: &FileRef<'_>, out: &mut Emit<'_>) {
        if !applies(file) {
            return;
        }
        for s in &file.facts.settings {
            if s.slot == Slot::Key && s.value.kind == ValueKind::Empty {
                let how = s.env_ref.as_deref();
                out.emit(
                    self.code(),
                    file,
                    super::setting_at(file, s),
                    &s.name,
                    super::ref_variant(how),
                    &[
                        ("var", s.name.clone()),
                        ("how", how.unwrap_or_default().to_string()),
                    ],
                );
            }
        }
    }
}

/// The value rules (KEY002-KEY004, ORG002, ORG003, ORG005) skip templates
/// and test files: empty and dummy values are their job.
pub(super) fn applies(file: &FileRef<'_>) -> bool {
    !file.entry.class.template && !file.entry.class.test
}
