//! PAIR001 conflicting-organization: one scope gets two different org (or
//! project) values — a code or config literal over the value of the env
//! file the scope runs with, a compose `environment` over its `env_file`.

use std::collections::HashSet;

use super::{FileRef, Findings, Rule, RuleContext, related};
use crate::fact::{Slot, ValueKind};
use crate::graph::{Graph, Layer};

pub struct Pair001;

impl Rule for Pair001 {
    fn code(&self) -> &'static str {
        "PAIR001"
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
            for (&(_, slot), layers) in &scope.slots {
                if !matches!(slot, Slot::Org | Slot::Project) {
                    continue;
                }
                let Some(&(Layer::Explicit, over)) = layers.last() else {
                    continue;
                };
                let value = over.setting.value.text.trim();
                if over.setting.value.kind != ValueKind::Literal || value.is_empty() {
                    continue;
                }
                // The value the env layers resolve to (the last one wins).
                let Some(&(_, under)) = layers.iter().rev().find(|(l, _)| *l == Layer::Env) else {
                    continue;
                };
                let env_value = under.setting.value.text.trim();
                // Two well-formed IDs that differ: a value that is no ID at
                // all is ORG002's or ORG005's, not a conflict.
                if under.setting.value.kind != ValueKind::Literal
                    || env_value == value
                    || !cx.providers.id_of_any(slot, value)
                    || !cx.providers.id_of_any(slot, env_value)
                {
                    continue;
                }
                if !seen.insert((over.file, over.setting.value.span)) {
                    continue;
                }
                let env_file = &files[under.file];
                let rel = related(
                    env_file,
                    under.setting.value.span,
                    format!(
                        "{} is {} here",
                        under.setting.name,
                        under.setting.value.text.trim()
                    ),
                );
                out.emit(
                    self.code(),
                    &files[over.file],
                    over.setting.value.span,
                    &format!("{value}\0{}", under.setting.value.text.trim()),
                    Some(if slot == Slot::Org { "org" } else { "project" }),
                    &[
                        ("name", over.setting.name.clone()),
                        ("value", value.to_string()),
                        ("other", under.setting.value.text.trim().to_string()),
                        ("var", under.setting.name.clone()),
                        ("path", env_file.entry.display.clone()),
                    ],
                )
                .related
                .push(rel);
            }
        }
    }
}
