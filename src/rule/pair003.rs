//! PAIR003 organization-with-scoped-key: a scope sets an org or project next
//! to a project or service-account key, which already carries both.

use std::collections::HashSet;

use super::{FileRef, Findings, Rule, RuleContext};
use crate::fact::{Slot, ValueKind};
use crate::graph::Graph;
use crate::redact::redact;

pub struct Pair003;

impl Rule for Pair003 {
    fn code(&self) -> &'static str {
        "PAIR003"
    }

    fn check_repo(
        &self,
        cx: &RuleContext<'_>,
        files: &[FileRef<'_>],
        graph: &Graph<'_>,
        out: &mut Findings<'_>,
    ) {
        let mut seen = HashSet::new();
        for scope in &graph.scopes {
            for (provider, slot, _, key) in scope.winners() {
                if slot != Slot::Key || key.setting.value.kind != ValueKind::Literal {
                    continue;
                }
                let p = cx.providers.get(provider);
                let value = key.setting.value.text.trim();
                let Some((_, pattern)) = p.key_matching(value).filter(|(_, k)| k.scoped) else {
                    continue;
                };
                let set = |slot| {
                    scope
                        .get(provider, slot)
                        .filter(|at| at.setting.value.kind != ValueKind::Empty)
                };
                let Some(at) = set(Slot::Org).or_else(|| set(Slot::Project)) else {
                    continue;
                };
                let file = &files[at.file];
                if file.entry.class.template || file.entry.class.test {
                    continue;
                }
                if !seen.insert((at.file, at.setting.value.span)) {
                    continue;
                }
                let s = at.setting;
                out.emit(
                    self.code(),
                    file,
                    s.assignment(),
                    &format!("{}\0{}", s.name, value),
                    None,
                    &[
                        ("var", s.name.clone()),
                        ("kind", pattern.description.clone()),
                        ("key", redact(value, cx.providers)),
                    ],
                );
            }
        }
    }
}
