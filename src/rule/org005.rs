//! ORG005 invalid-project-id: see [`super::org002::invalid_id`].

use super::{Ctx, Emit, FileRef, Rule};
use crate::fact::Slot;

pub struct Org005;

impl Rule for Org005 {
    fn code(&self) -> &'static str {
        "ORG005"
    }

    fn check_file(&self, cx: &Ctx<'_>, file: &FileRef<'_>, out: &mut Emit<'_>) {
        super::org002::invalid_id(self.code(), Slot::Project, cx, file, out);
    }
}
