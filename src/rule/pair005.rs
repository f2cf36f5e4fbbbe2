//! PAIR005 declared-pair-mismatch: credlint.toml declares which organization
//! (and project) a key belongs to (`[[pair]]`); a scope pairs that key with
//! another one.

use std::collections::HashSet;

use super::{FileRef, Findings, Rule, RuleContext};
use crate::fact::{Slot, ValueKind};
use crate::graph::Graph;

pub struct Pair005;

impl Rule for Pair005 {
    fn code(&self) -> &'static str {
        "PAIR005"
    }

    fn check_repo(
        &self,
        cx: &RuleContext<'_>,
        files: &[FileRef<'_>],
        graph: &Graph<'_>,
        out: &mut Findings<'_>,
    ) {
        if cx.pairs.decls.is_empty() {
            return;
        }
        let mut seen = HashSet::new();
        for scope in &graph.scopes {
            let home = &files[scope.file];
            if home.entry.class.template || home.entry.class.test {
                continue;
            }
            for (provider, slot, _, key) in scope.winners() {
                if slot != Slot::Key || key.setting.value.kind != ValueKind::Literal {
                    continue;
                }
                let value = key.setting.value.text.trim();
                let suffix: String = {
                    let chars: Vec<char> = value.chars().collect();
                    chars[chars.len().saturating_sub(4)..].iter().collect()
                };
                for (i, decl) in cx.pairs.decls.iter().enumerate() {
                    let named = decl.key.as_deref().is_none_or(|k| k == key.setting.name);
                    let suffixed = decl.key_suffix.as_deref().is_none_or(|s| s == suffix);
                    if !(named && suffixed && cx.pairs.applies(i, &home.entry.path)) {
                        continue;
                    }
                    for (want, slot) in [(&decl.org, Slot::Org), (&decl.project, Slot::Project)] {
                        let Some(want) = want else { continue };
                        let Some(at) = scope.get(provider, slot) else {
                            continue;
                        };
                        let got = at.setting.value.text.trim();
                        if at.setting.value.kind != ValueKind::Literal
                            || got.is_empty()
                            || got == want
                        {
                            continue;
                        }
                        if !seen.insert((at.file, at.setting.value.span)) {
                            continue;
                        }
                        let key_label = match (&decl.key, &decl.key_suffix) {
                            (Some(k), Some(s)) => format!("{k} (…{s})"),
                            (Some(k), None) => k.clone(),
                            (None, Some(s)) => format!("the key ending in {s}"),
                            (None, None) => "the key".into(),
                        };
                        out.emit(
                            self.code(),
                            &files[at.file],
                            at.setting.value.span,
                            &format!("{got}\0{want}"),
                            Some(if slot == Slot::Org { "org" } else { "project" }),
                            &[
                                ("var", at.setting.name.clone()),
                                ("value", got.to_string()),
                                ("declared", want.clone()),
                                ("key", key_label),
                            ],
                        );
                    }
                }
            }
        }
    }
}
