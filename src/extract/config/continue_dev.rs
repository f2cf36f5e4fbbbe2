//! Continue (`.continue/config.yaml`, `config.json`, block files).
//!
//! Each model (`models[]`, `tabAutocompleteModel`, `embeddingsProvider`,
//! `reranker`) is a scope for the provider its `provider:` names;
//! `apiKey`, `apiBase` and `requestOptions.headers` (`OpenAI-Organization`)
//! are its settings. `${{ secrets.X }}` is a reference to Continue's secret
//! store (the hub, or a local `.env` outside the repository), so it is not
//! reported as an env read.

use super::generic::Walker;
use super::interpolation::Interpolation;
use super::{ConfigFacts, RefStyle, one_or_many, text_of};
use crate::extract::config_tree::Node;
use crate::fact::ScopeKind;

const MODEL_KEYS: &[&str] = &[
    "models",
    "tabAutocompleteModel",
    "embeddingsProvider",
    "reranker",
];

/// Read a Continue config.
pub fn extract(out: &mut ConfigFacts<'_>, doc: &Node) {
    let mut skip = Vec::new();
    for &list in MODEL_KEYS {
        let Some(node) = doc.get(list) else {
            continue;
        };
        skip.push(node.span);
        for (i, model) in one_or_many(node).into_iter().enumerate() {
            if model.entries().is_empty() {
                continue;
            }
            let provider = model
                .get("provider")
                .and_then(text_of)
                .and_then(|p| out.providers.by_tool(p));
            let name = ["name", "title", "model"]
                .iter()
                .find_map(|k| model.get(k).and_then(text_of))
                .map_or_else(|| format!("{list}[{i}]"), str::to_string);
            let scope = out.scope(ScopeKind::Section, name, model.span, None, Vec::new());
            let walker = Walker::section(
                Interpolation::Expression,
                RefStyle::Secrets,
                scope,
                provider,
            );
            walker.run(out, model);
        }
    }
    let rest = Walker {
        skip,
        ..Walker::section(Interpolation::Expression, RefStyle::Secrets, 0, None)
    };
    rest.run(out, doc);
}
