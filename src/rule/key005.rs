//! KEY005 missing-api-key: a consumer needs a provider key variable (a
//! client built without an explicit key, an env read, a config reference)
//! and nothing in the repository defines it.

use std::collections::{BTreeMap, HashSet};

use super::{FileRef, Findings, Rule, RuleContext, related};
use crate::consumers::Consumers;
use crate::fact::{ReadUse, Slot, ValueKind};
use crate::graph::Graph;
use crate::source::{Position, Span};
use crate::walk::Context;

pub struct Key005;

/// One place that needs a key variable.
struct Need {
    file: usize,
    span: Span,
    at: Position,
    /// Any of these names satisfies it (an SDK may read several).
    names: Vec<String>,
}

/// SDKs whose clients read no env variable themselves: the key comes from
/// an explicit argument or a global configuration block (ruby-openai's
/// `OpenAI.configure`, openai-node v3's `Configuration`).
const NO_ENV_SDKS: &[&str] = &["ruby-openai", "openai-node<4"];

/// Whether the repository documents the environment its code runs in: it
/// ships an env file or template, a compose service loads an env file, or
/// its docs tell users to copy a template or pass variables to `docker
/// run -e`. A repository that documents none of its variables expects the
/// caller's shell to hold them, and a key missing from nothing is no drift.
///
/// Only the application's own files count: an example's or a tutorial's
/// setup (`docker run -e` in `docs/examples/`, an `examples/app/.env.example`)
/// documents that example, not the code outside it.
fn documents_env(files: &[FileRef<'_>]) -> bool {
    files.iter().any(|f| {
        let class = &f.entry.class;
        !class.test
            && matches!(class.context, Context::Application | Context::Library)
            && (class.is_env()
                || !f.facts.env_setup.is_empty()
                || f.facts.scopes.iter().any(|s| !s.env_files.is_empty()))
    })
}

impl Rule for Key005 {
    fn code(&self) -> &'static str {
        "KEY005"
    }

    fn check_repo(
        &self,
        cx: &RuleContext<'_>,
        files: &[FileRef<'_>],
        _: &Graph<'_>,
        out: &mut Findings<'_>,
    ) {
        // A variable the docs tell users to set (`OPENAI_API_KEY=…` in a
        // README's setup block) is documented as a template would.
        let defined: HashSet<&str> = files
            .iter()
            .flat_map(|f| {
                f.facts
                    .definitions
                    .iter()
                    .map(|d| d.name.as_str())
                    .chain(f.facts.env_setup.iter().filter_map(|e| e.name.as_deref()))
            })
            .collect();
        if !documents_env(files) {
            return;
        }
        let mut needs = Vec::new();
        let mut consumers = None;
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
                if explicit || c.spread {
                    continue;
                }
                let sdk = Consumers::sdk_name(&c.sdk);
                if NO_ENV_SDKS.contains(&c.sdk.as_str()) || NO_ENV_SDKS.contains(&sdk) {
                    continue;
                }
                let p = cx.providers.get(c.provider);
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
                // A shared name (`GOOGLE_API_KEY` also serves Maps, Places
                // and Custom Search) is a provider key only where one of its
                // readers is detected in the repository.
                let is_key = cx.providers.variable(&r.name).is_some_and(|(_, v)| {
                    v.slot == Slot::Key
                        && (!v.shared
                            || consumers
                                .get_or_insert_with(|| Consumers::detect(files, cx.providers))
                                .reads_any(&v.readers))
                });
                let has_default = r
                    .default
                    .as_ref()
                    .is_some_and(|d| d.kind != ValueKind::Empty);
                // A presence probe or a fallback after the caller's own
                // value does not need the variable.
                if is_key && !has_default && r.usage == ReadUse::Value {
                    let mut names = vec![r.name.clone()];
                    names.extend(r.alternatives.iter().cloned());
                    needs.push(Need {
                        file: i,
                        span: r.span,
                        at: f.source.position(r.span.start),
                        names,
                    });
                }
            }
        }
        // One finding per variable and file, at the file's first consumer;
        // the other files' first consumers are related locations, so that a
        // suppression or baseline entry belongs to the file that reads it.
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
            list.dedup_by_key(|n| n.file);
            for (k, n) in list.iter().enumerate() {
                let f = out.emit(
                    self.code(),
                    &files[n.file],
                    n.span,
                    var,
                    None,
                    &[
                        ("var", var.to_string()),
                        ("others", (list.len() - 1).to_string()),
                    ],
                );
                for (j, o) in list.iter().enumerate().take(21) {
                    if j != k {
                        f.related.push(related(
                            &files[o.file],
                            o.span,
                            format!("{var} is also needed here"),
                        ));
                    }
                }
            }
        }
    }
}
