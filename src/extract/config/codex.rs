//! Codex CLI `config.toml` (`~/.codex/config.toml`, or any TOML with
//! `model_providers`).
//!
//! Each `[model_providers.<id>]` is a scope. `env_key = "X"` names the
//! variable Codex reads the key from: an env read of X and a key setting
//! whose value is a reference to X — never a literal, whatever X looks
//! like. `env_http_headers` maps headers to variable names the same way
//! (`"OpenAI-Organization" = "OPENAI_ORGANIZATION"`); `http_headers` and
//! `experimental_bearer_token` hold literals. The provider is the one whose
//! variable `env_key` names, else the one the section id or `base_url`
//! names. `shell_environment_policy.set` sets variables for the commands
//! Codex runs: definitions.

use super::generic::Walker;
use super::interpolation::Interpolation;
use super::{ConfigFacts, Match, RefStyle, entry_span, match_key, provider_by_host, text_of};
use crate::extract::config_tree::Node;
use crate::fact::{DefSource, EnvRefSyntax, ReadKind, ScopeKind, Slot, Value, ValueKind};
use crate::provider::normalize_key;
use crate::source::Span;

/// How Codex reads a variable for a slot (for help lines).
pub fn env_ref(slot: Slot) -> Option<EnvRefSyntax> {
    let header = match slot {
        Slot::Key => return Some(EnvRefSyntax::CodexKey),
        Slot::Org => "OpenAI-Organization",
        Slot::Project => "OpenAI-Project",
        Slot::BaseUrl => return None,
    };
    Some(EnvRefSyntax::CodexHeader {
        header: header.to_string(),
    })
}

/// Read a Codex config.
pub fn extract(out: &mut ConfigFacts<'_>, doc: &Node) {
    let mut skip = Vec::new();
    if let Some(providers) = doc.get("model_providers") {
        skip.push(providers.span);
        for (id, section) in providers.entries() {
            provider_section(out, &id.text, id.span, section);
        }
    }
    if let Some(set) = doc
        .get("shell_environment_policy")
        .and_then(|p| p.get("set"))
    {
        skip.push(set.span);
        for (key, value) in set.entries() {
            let Some(c) = out.classify(value, Interpolation::None) else {
                continue;
            };
            out.env_entry(
                &key.text,
                key.span,
                c,
                entry_span(key, value),
                0,
                DefSource::Config,
                RefStyle::Codex,
            );
        }
    }
    let rest = Walker {
        skip,
        ..Walker::section(Interpolation::None, RefStyle::Codex, 0, None)
    };
    rest.run(out, doc);
}

fn provider_section(out: &mut ConfigFacts<'_>, id: &str, id_span: Span, section: &Node) {
    let scope = out.scope(
        ScopeKind::Section,
        format!("model_providers.{id}"),
        Span::new(id_span.start, section.span.end.max(id_span.end)),
        None,
        Vec::new(),
    );
    let env_key = section.get("env_key");
    let env_var = env_key.and_then(text_of).unwrap_or("");
    let provider = out
        .providers
        .variable(env_var)
        .map(|(p, _)| p)
        .or_else(|| out.providers.by_config_name(&normalize_key(id)))
        .or_else(|| out.providers.by_tool(id))
        .or_else(|| {
            section
                .get("base_url")
                .and_then(text_of)
                .and_then(|u| provider_by_host(out.providers, u))
        });
    let mut skip = Vec::new();
    for (key, value) in section.entries() {
        match key.text.as_str() {
            "env_key" => {
                skip.push(value.span);
                if let Some(p) = provider {
                    let m = Match {
                        provider: p,
                        slot: Slot::Key,
                        id_shaped_only: false,
                    };
                    env_name(out, m, "env_key".to_string(), key.span, value, scope);
                } else if let Some(name) = text_of(value).filter(|n| !n.is_empty()) {
                    out.read(name.to_string(), value.span, ReadKind::Config, None, scope);
                }
            }
            "env_http_headers" => {
                skip.push(value.span);
                for (header, var) in value.entries() {
                    let m = match_key(out.providers, &[], &header.text, provider);
                    match m {
                        Some(m) if !m.id_shaped_only => env_name(
                            out,
                            m,
                            format!("env_http_headers.{}", header.text),
                            header.span,
                            var,
                            scope,
                        ),
                        _ => {
                            if let Some(name) = text_of(var).filter(|n| !n.is_empty()) {
                                out.read(name.to_string(), var.span, ReadKind::Config, None, scope);
                            }
                        }
                    }
                }
            }
            "experimental_bearer_token" => {
                skip.push(value.span);
                if let (Some(p), Some(c)) = (provider, out.classify(value, Interpolation::None)) {
                    let m = Match {
                        provider: p,
                        slot: Slot::Key,
                        id_shaped_only: false,
                    };
                    out.setting(
                        m,
                        key.text.clone(),
                        key.span,
                        c.value,
                        entry_span(key, value),
                        scope,
                        RefStyle::Codex,
                    );
                }
            }
            _ => {}
        }
    }
    let walker = Walker {
        skip,
        ..Walker::section(Interpolation::None, RefStyle::Codex, scope, provider)
    };
    walker.run(out, section);
}

/// A value that names the variable a slot is read from: an env read and a
/// setting whose value is a reference to it (empty if no name is given).
fn env_name(
    out: &mut ConfigFacts<'_>,
    m: Match,
    name: String,
    name_span: Span,
    value: &Node,
    scope: u32,
) {
    let Some(var) = text_of(value) else {
        return;
    };
    let var = var.trim();
    let v = if var.is_empty() {
        Value {
            kind: ValueKind::Empty,
            text: String::new(),
            reference: None,
            span: value.span,
            quote: value.scalar().and_then(|s| s.quote),
        }
    } else {
        out.read(var.to_string(), value.span, ReadKind::Config, None, scope);
        Value {
            kind: ValueKind::Reference,
            text: var.to_string(),
            reference: Some(var.to_string()),
            span: value.span,
            quote: value.scalar().and_then(|s| s.quote),
        }
    };
    let entry = Span::new(name_span.start, value.span.end.max(name_span.end));
    out.setting(m, name, name_span, v, entry, scope, RefStyle::Codex);
}
