//! ORG004 hardcoded-project-id: see [`super::org001::hardcoded_id`].

use super::{FileRef, Findings, Rule, RuleContext};
use crate::fact::LiteralKind;

pub struct Org004;

impl Rule for Org004 {
    fn code(&self) -> &'static str {
        "ORG004"
    }

    fn check_file(&self, cx: &RuleContext<'_>, file: &FileRef<'_>, out: &mut Findings<'_>) {
        super::org001::hardcoded_id(self.code(), LiteralKind::Project, cx, file, out);
    }
}
