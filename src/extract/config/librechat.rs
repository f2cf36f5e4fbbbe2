//! LibreChat `librechat.yaml`.
//!
//! Each endpoint (`endpoints.openAI`, `endpoints.azureOpenAI` and its
//! `groups[]`, each `endpoints.custom[]` entry) is a scope for the provider
//! its key, `name` or `baseURL` says. `apiKey: "${GROQ_API_KEY}"` is an env
//! read (LibreChat loads its `.env`); `user_provided` is a sentinel meaning
//! "each user enters a key", neither a literal nor a placeholder.

use super::generic::Walker;
use super::interpolation::Interpolation;
use super::{ConfigFacts, RefStyle, provider_by_host, text_of};
use crate::extract::config_tree::Node;
use crate::fact::ScopeKind;
use crate::provider::ProviderId;
use crate::source::Span;

/// Read a LibreChat config.
pub fn extract(out: &mut ConfigFacts<'_>, doc: &Node) {
    let mut skip = Vec::new();
    if let Some(endpoints) = doc.get("endpoints") {
        skip.push(endpoints.span);
        for (key, endpoint) in endpoints.entries() {
            if key.text == "custom" {
                for (i, item) in endpoint.items().iter().enumerate() {
                    let name = item.get("name").and_then(text_of);
                    let provider = name
                        .and_then(|n| out.providers.by_tool(n))
                        .or_else(|| by_url(out, item));
                    let label = name.map_or_else(|| format!("custom[{i}]"), str::to_string);
                    section(
                        out,
                        item,
                        format!("endpoints.{label}"),
                        item.span,
                        None,
                        provider,
                    );
                }
                continue;
            }
            let provider = out
                .providers
                .by_tool(&key.text)
                .or_else(|| by_url(out, endpoint));
            let span = Span::new(key.span.start, endpoint.span.end.max(key.span.end));
            let scope = section(
                out,
                endpoint,
                format!("endpoints.{}", key.text),
                span,
                None,
                provider,
            );
            if let Some(groups) = endpoint.get("groups") {
                for (i, g) in groups.items().iter().enumerate() {
                    let name = g
                        .get("group")
                        .and_then(text_of)
                        .map_or_else(|| format!("groups[{i}]"), str::to_string);
                    section(
                        out,
                        g,
                        format!("endpoints.{}.{name}", key.text),
                        g.span,
                        Some(scope),
                        provider,
                    );
                }
            }
        }
    }
    let rest = Walker {
        skip,
        ..Walker::section(Interpolation::LibreChat, RefStyle::Braced, 0, None)
    };
    rest.run(out, doc);
}

fn by_url(out: &ConfigFacts<'_>, node: &Node) -> Option<ProviderId> {
    node.get("baseURL")
        .and_then(text_of)
        .and_then(|u| provider_by_host(out.providers, u))
}

/// One endpoint scope, walked without its `groups` (their own scopes).
fn section(
    out: &mut ConfigFacts<'_>,
    node: &Node,
    name: String,
    span: Span,
    parent: Option<u32>,
    provider: Option<ProviderId>,
) -> u32 {
    let scope = out.scope(ScopeKind::Section, name, span, parent, Vec::new());
    let walker = Walker {
        skip: node.get("groups").map(|g| vec![g.span]).unwrap_or_default(),
        ..Walker::section(Interpolation::LibreChat, RefStyle::Braced, scope, provider)
    };
    walker.run(out, node);
    scope
}
