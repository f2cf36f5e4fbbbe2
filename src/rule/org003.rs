//! ORG003 empty-organization: an org (or project) setting that is empty, so
//! the SDK may send an empty `OpenAI-Organization` header.

use super::{Ctx, Emit, FileRef, Rule};
use crate::fact::{Slot, ValueKind};

pub struct Org003;

impl Rule for Org003 {
    fn code(&self) -> &'static str {
        "ORG003"
    }

    fn check_file(&self, _cx: &Ctx<'_>, file: &FileRef<'_>, out: &mut Emit<'_>) {
        if !super::key002::applies(file) {
            return;
        }
        for s in &file.facts.settings {
            let variant = match s.slot {
                Slot::Org => "org",
                Slot::Project => "project",
                _ => continue,
            };
            if s.value.kind == ValueKind::Empty {
                out.emit(
                    self.code(),
                    file,
                    super::setting_at(file, s),
                    &s.name,
                    Some(variant),
                    &[("var", s.name.clone())],
                );
            }
        }
    }
}
