//! ORG005 invalid-project-id: see [`super::org002::invalid_id`].

use super::{FileRef, Findings, Rule, RuleContext};
use crate::fact::Slot;
use crate::graph::Graph;

pub struct Org005;

impl Rule for Org005 {
    fn code(&self) -> &'static str {
        "ORG005"
    }

    fn check_file(&self, cx: &RuleContext<'_>, file: &FileRef<'_>, out: &mut Findings<'_>) {
        super::org002::invalid_id(self.code(), Slot::Project, cx, file, out);
    }

    fn check_repo(
        &self,
        cx: &RuleContext<'_>,
        files: &[FileRef<'_>],
        _: &Graph<'_>,
        out: &mut Findings<'_>,
    ) {
        super::org002::flow_ids(self.code(), Slot::Project, cx, files, out);
    }
}
