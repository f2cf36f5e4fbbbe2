//! PAIR002 key-with-multiple-organizations: one key (compared by hash, never
//! printed) paired with different organization IDs in different scopes.

use std::collections::{BTreeMap, HashSet};

use sha2::{Digest, Sha256};

use super::{FileRef, Findings, Rule, RuleContext, related};
use crate::fact::{Slot, ValueKind};
use crate::graph::{At, Graph, Layer};
use crate::source::Position;

pub struct Pair002;

struct Pairing<'a> {
    group: &'a str,
    org: At<'a>,
    org_text: &'a str,
    at: (&'a str, Position),
}

impl Rule for Pair002 {
    fn code(&self) -> &'static str {
        "PAIR002"
    }

    fn check_repo(
        &self,
        cx: &RuleContext<'_>,
        files: &[FileRef<'_>],
        graph: &Graph<'_>,
        out: &mut Findings<'_>,
    ) {
        let mut by_key: BTreeMap<Vec<u8>, Vec<Pairing<'_>>> = BTreeMap::new();
        for scope in &graph.scopes {
            for (provider, slot, _, key) in scope.winners() {
                if slot != Slot::Key || key.setting.value.kind != ValueKind::Literal {
                    continue;
                }
                let value = key.setting.value.text.trim();
                if cx.providers.get(provider).key_matching(value).is_none() {
                    continue;
                }
                let Some(org_layers) = scope.slots.get(&(provider, Slot::Org)) else {
                    continue;
                };
                let Some(&(layer, org)) = org_layers.last() else {
                    continue;
                };
                let org_text = org.setting.value.text.trim();
                if org.setting.value.kind != ValueKind::Literal
                    || !cx.providers.id_of_any(Slot::Org, org_text)
                {
                    continue;
                }
                // An explicit org over a different env org is PAIR001's.
                let overrides = layer == Layer::Explicit
                    && org_layers
                        .iter()
                        .any(|(l, a)| *l == Layer::Env && a.setting.value.text.trim() != org_text);
                let file = &files[org.file];
                if overrides || file.entry.class.template || file.entry.class.test {
                    continue;
                }
                let digest = Sha256::digest(value.as_bytes()).to_vec();
                by_key.entry(digest).or_default().push(Pairing {
                    group: &scope.group,
                    org,
                    org_text,
                    at: (
                        &file.entry.display,
                        file.source.position(org.setting.value.span.start),
                    ),
                });
            }
        }
        let mut seen = HashSet::new();
        for pairings in by_key.values_mut() {
            pairings.sort_by(|a, b| a.at.cmp(&b.at));
            let Some(first) = pairings.first() else {
                continue;
            };
            for p in &pairings[1..] {
                if p.org_text == first.org_text || p.group == first.group {
                    continue;
                }
                if !seen.insert((p.org.file, p.org.setting.value.span)) {
                    continue;
                }
                let first_file = &files[first.org.file];
                let rel = related(
                    first_file,
                    first.org.setting.value.span,
                    format!("the same key is paired with {} here", first.org_text),
                );
                out.emit(
                    self.code(),
                    &files[p.org.file],
                    p.org.setting.value.span,
                    &format!("{}\0{}", p.org_text, first.org_text),
                    None,
                    &[
                        ("org", p.org_text.to_string()),
                        ("first", first.org_text.to_string()),
                        ("first_path", first_file.entry.display.clone()),
                    ],
                )
                .related
                .push(rel);
            }
        }
    }
}
