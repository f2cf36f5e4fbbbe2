//! Aider `.aider.conf.yml`.
//!
//! `openai-api-key`, `anthropic-api-key`, `openai-organization-id`,
//! `openai-api-base` are settings by name (the generic walk finds them).
//! `set-env` (`NAME=value`, one or a list) sets process variables:
//! definitions, and settings for credential variables. `api-key`
//! (`provider=key`) sets `PROVIDER_API_KEY`. Aider does not interpolate:
//! every value is literal.

use super::generic::Walker;
use super::interpolation::Interpolation;
use super::{ConfigFacts, RefStyle, one_or_many, split_assignment};
use crate::extract::config_tree::Node;
use crate::fact::DefSource;

/// Read an Aider config.
pub fn extract(out: &mut ConfigFacts<'_>, doc: &Node) {
    let mut skip = Vec::new();
    if let Some(set_env) = doc.get("set-env") {
        skip.push(set_env.span);
        for item in one_or_many(set_env) {
            if let Some((name, name_span, Some(c))) =
                split_assignment(item, out.text, Interpolation::None)
            {
                out.env_entry(
                    &name,
                    name_span,
                    c,
                    item.span,
                    0,
                    DefSource::Config,
                    RefStyle::None,
                );
            }
        }
    }
    if let Some(keys) = doc.get("api-key") {
        skip.push(keys.span);
        for item in one_or_many(keys) {
            if let Some((provider, name_span, Some(c))) =
                split_assignment(item, out.text, Interpolation::None)
            {
                // Aider sets `<PROVIDER>_API_KEY` from `provider=key`.
                let var = format!(
                    "{}_API_KEY",
                    provider.to_ascii_uppercase().replace('-', "_")
                );
                out.env_entry(
                    &var,
                    name_span,
                    c,
                    item.span,
                    0,
                    DefSource::Config,
                    RefStyle::None,
                );
            }
        }
    }
    let rest = Walker {
        skip,
        ..Walker::section(Interpolation::None, RefStyle::None, 0, None)
    };
    rest.run(out, doc);
}
