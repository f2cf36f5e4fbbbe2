//! KEY005 missing-api-key: a consumer needs a provider key variable (a
//! client built without an explicit key, an env read, a config reference)
//! and nothing in the repository defines it.

use std::collections::{BTreeMap, HashSet};

use super::{Ctx, Emit, FileRef, Rule, related};
use crate::consumers::Consumers;
use crate::fact::{Slot, ValueKind};
use crate::graph::Graph;
use crate::source::{Position, Span};

pub struct Key005;

/// One place that needs a key variable.
struct Need {
    file: usize,
    span: Span,
    at: Position,
    /// Any of these names satisfies it (an SDK may read several).
    names: Vec<String>,
}

impl Rule for Key005 {
    fn code(&self) -> &'static str {
        "KEY005"
    }

    fn check_repo(&self, cx: &Ctx<'_>, files: &[FileRef<'_>], _: &Graph<'_>, out: &mut Emit<'_>) {
        let defined: HashSet<&str> = files
            .iter()
            .flat_map(|f| f.facts.definitions.iter().map(|d| d.name.as_str()))
            .collect();
        let mut needs = Vec::new();
        for (i, f) in files.iter().enumerate() {
            let class = &f.entry.class;
            if class.test || class.template {
                continue;
            }
            for c in &f.facts.clients {
                let explicit = f
                    .facts
                    .settings
                    .iter()
                    .any(|s| s.scope == c.scope && s.slot == Slot::Key);
                if explicit {
                    continue;
                }
                let p = cx.providers.get(c.provider);
                let sdk = Consumers::sdk_name(&c.sdk);
                let mut names: Vec<String> = p
                    .variables
                    .iter()
                    .filter(|v| {
                        v.slot == Slot::Key
                            && v.readers.iter().any(|r| Consumers::sdk_name(r) == sdk)
                    })
                    .map(|v| v.name.clone())
                    .collect();
                if names.is_empty() {
                    names.extend(p.canonical(Slot::Key).map(|v| v.name.clone()));
                }
                if !names.is_empty() {
                    needs.push(Need {
                        file: i,
                        span: c.span,
                        at: f.source.position(c.span.start),
                        names,
                    });
                }
            }
            for r in &f.facts.reads {
                let is_key = cx
                    .providers
                    .variable(&r.name)
                    .is_some_and(|(_, v)| v.slot == Slot::Key);
                let has_default = r
                    .default
                    .as_ref()
                    .is_some_and(|d| d.kind != ValueKind::Empty);
                if is_key && !has_default {
                    needs.push(Need {
                        file: i,
                        span: r.span,
                        at: f.source.position(r.span.start),
                        names: vec![r.name.clone()],
                    });
                }
            }
        }
        // Once per variable, at its first consumer in path order.
        let mut by_var: BTreeMap<&str, Vec<&Need>> = BTreeMap::new();
        for n in &needs {
            if n.names.iter().any(|v| defined.contains(v.as_str())) {
                continue;
            }
            by_var.entry(n.names[0].as_str()).or_default().push(n);
        }
        for (var, mut list) in by_var {
            list.sort_by(|a, b| {
                (&files[a.file].entry.display, a.at).cmp(&(&files[b.file].entry.display, b.at))
            });
            let first = list[0];
            let f = out.emit(
                self.code(),
                &files[first.file],
                first.span,
                var,
                None,
                &[
                    ("var", var.to_string()),
                    ("others", (list.len() - 1).to_string()),
                ],
            );
            for n in list.iter().skip(1).take(20) {
                f.related.push(related(
                    &files[n.file],
                    n.span,
                    format!("{var} is also needed here"),
                ));
            }
        }
    }
}
