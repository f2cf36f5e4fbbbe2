//! LiteLLM proxy configs (a top-level `model_list` whose entries have
//! `litellm_params`).
//!
//! Each `model_list` entry is a scope. Its provider comes from the
//! `model` routing prefix (`azure/gpt-4o`), else from the model name
//! (`gpt-4o`); `litellm_params.{api_key, organization, api_base}` are its
//! settings. `os.environ/NAME` is an env read of NAME, never a literal.
//! `environment_variables` sets process variables: definitions.
//! `general_settings.master_key` is the proxy's own key, not a provider's.

use super::generic::Walker;
use super::interpolation::Interpolation;
use super::{ConfigFacts, RefStyle, entry_span, text_of};
use crate::extract::config_tree::Node;
use crate::fact::{DefSource, ScopeKind};

/// Read one LiteLLM document.
pub fn extract(out: &mut ConfigFacts<'_>, doc: &Node) {
    let mut skip = Vec::new();
    if let Some(list) = doc.get("model_list") {
        skip.push(list.span);
        for (i, entry) in list.items().iter().enumerate() {
            let name = entry
                .get("model_name")
                .and_then(text_of)
                .map_or_else(|| format!("model_list[{i}]"), str::to_string);
            let scope = out.scope(ScopeKind::LiteLlmEntry, name, entry.span, None, Vec::new());
            let Some(params) = entry.get("litellm_params") else {
                continue;
            };
            let model = params.get("model").and_then(text_of).unwrap_or("");
            let provider = match model.split_once('/') {
                Some((prefix, _)) => out.providers.by_tool(prefix),
                None => out.providers.by_model(model),
            };
            let walker = Walker {
                prefix: vec!["litellm_params".to_string()],
                ..Walker::section(Interpolation::LiteLlm, RefStyle::LiteLlm, scope, provider)
            };
            walker.run(out, params);
        }
    }
    if let Some(env) = doc.get("environment_variables") {
        skip.push(env.span);
        for (key, value) in env.entries() {
            let Some(c) = out.classify(value, Interpolation::LiteLlm) else {
                continue;
            };
            out.env_entry(
                &key.text,
                key.span,
                c,
                entry_span(key, value),
                0,
                DefSource::Config,
                RefStyle::LiteLlm,
            );
        }
    }
    if let Some(general) = doc.get("general_settings") {
        skip.push(general.span);
    }
    let rest = Walker {
        skip,
        strict: true,
        ..Walker::section(Interpolation::LiteLlm, RefStyle::LiteLlm, 0, None)
    };
    rest.run(out, doc);
}
