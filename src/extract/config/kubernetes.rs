//! Kubernetes manifests (any YAML document with `apiVersion` and `kind`).
//!
//! - Each document is a scope (`Kind/name`). Every container
//!   (`containers`, `initContainers`, `ephemeralContainers`, wherever the
//!   pod template sits) is a scope within it; its
//!   `env` entries are definitions, and settings when they name a
//!   credential variable. An entry with neither `value` nor `valueFrom` is
//!   the empty string. `valueFrom` is a reference (to a Secret, a
//!   ConfigMap, a field), and counts as a definition. `$(VAR)` names an
//!   earlier variable of the same container, not the host environment.
//! - A `Secret`'s `stringData` values are plain text; its `data` values are
//!   base64, decoded here: the decoded text is the value, its span the
//!   base64 text. A key found in decoded text is a literal (the raw scan
//!   cannot see it). A `ConfigMap`'s `data` is plain text. Their entries
//!   define variables for `envFrom`.
//! - The rest of the document (custom resources) gets the strict generic
//!   walk.

use base64::Engine as _;

use super::generic::Walker;
use super::interpolation::{Classified, Interpolation};
use super::{ConfigFacts, RefStyle, entry_span, id_shaped, match_key, text_of};
use crate::extract::config_tree::{Node, NodeKind};
use crate::fact::{DefSource, Literal, LiteralKind, ScopeKind, TextContext, Value, ValueKind};
use crate::provider::normalize_key;
use crate::source::Span;

const CONTAINER_LISTS: &[&str] = &["containers", "initContainers", "ephemeralContainers"];

/// Read one Kubernetes document.
pub fn extract(out: &mut ConfigFacts<'_>, doc: &Node) {
    let kind = doc.get("kind").and_then(text_of).unwrap_or("");
    let name = doc
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(text_of)
        .unwrap_or("")
        .to_string();
    let scope = out.scope(
        ScopeKind::Section,
        format!("{kind}/{name}"),
        doc.span,
        None,
        Vec::new(),
    );
    let mut skip = Vec::new();
    if kind == "Secret" || kind == "ConfigMap" {
        data(out, doc, kind, &name, scope, &mut skip);
    }
    containers(out, doc, scope, &mut skip);
    let walker = Walker {
        skip,
        scope,
        ..Walker::generic()
    };
    walker.run(out, doc);
}

/// Find every container list below `node`.
fn containers(out: &mut ConfigFacts<'_>, node: &Node, parent: u32, skip: &mut Vec<Span>) {
    match &node.kind {
        NodeKind::Map(entries) => {
            for (key, value) in entries {
                if CONTAINER_LISTS.contains(&key.text.as_str()) && !value.items().is_empty() {
                    for c in value.items() {
                        container(out, c, parent, skip);
                    }
                } else {
                    containers(out, value, parent, skip);
                }
            }
        }
        NodeKind::Seq(items) => {
            for i in items {
                containers(out, i, parent, skip);
            }
        }
        NodeKind::Scalar(_) => {}
    }
}

fn container(out: &mut ConfigFacts<'_>, c: &Node, parent: u32, skip: &mut Vec<Span>) {
    let name = c.get("name").and_then(text_of).unwrap_or("").to_string();
    let scope = out.scope(
        ScopeKind::KubernetesContainer,
        name,
        c.span,
        Some(parent),
        Vec::new(),
    );
    let Some(env) = c.get("env") else {
        return;
    };
    skip.push(env.span);
    for item in env.items() {
        let Some(name_node) = item.get("name") else {
            continue;
        };
        let Some(name) = text_of(name_node).map(str::to_string) else {
            continue;
        };
        let classified = match (item.get("value"), item.get("valueFrom")) {
            (_, Some(from)) => value_from(from),
            (Some(v), None) => match out.classify(v, Interpolation::Kubernetes) {
                Some(c) => c,
                None => continue,
            },
            // No value: the variable is set to the empty string.
            (None, None) => {
                let at = name_node.span.end
                    + usize::from(name_node.scalar().is_some_and(|s| s.quote.is_some()));
                Classified {
                    value: Value {
                        kind: ValueKind::Empty,
                        text: String::new(),
                        reference: None,
                        span: Span::new(at, at),
                        quote: None,
                    },
                    refs: Vec::new(),
                }
            }
        };
        out.env_entry(
            &name,
            name_node.span,
            classified,
            item.span,
            scope,
            DefSource::Kubernetes,
            RefStyle::SecretKeyRef,
        );
    }
}

/// A `valueFrom` source: a reference that names no variable.
pub fn value_from(node: &Node) -> Classified {
    let (source, target) = node
        .entries()
        .first()
        .map(|(k, v)| {
            let name = v.get("name").and_then(text_of);
            let key = v.get("key").and_then(text_of);
            let target = match (name, key) {
                (Some(n), Some(k)) => format!(" {n}/{k}"),
                (Some(n), None) => format!(" {n}"),
                (None, Some(k)) => format!(" {k}"),
                (None, None) => String::new(),
            };
            (k.text.as_str(), target)
        })
        .unwrap_or(("", String::new()));
    Classified {
        value: Value {
            kind: ValueKind::Reference,
            text: format!("valueFrom.{source}{target}"),
            reference: None,
            span: node.span,
            quote: None,
        },
        refs: Vec::new(),
    }
}

/// A Secret's or ConfigMap's data, in the document's scope.
fn data(
    out: &mut ConfigFacts<'_>,
    doc: &Node,
    kind: &str,
    name: &str,
    scope: u32,
    skip: &mut Vec<Span>,
) {
    // The Secret's name says which provider bare keys (`api-key`) are for.
    let context = out
        .providers
        .split_config_name(&normalize_key(name))
        .map(|(pid, _)| pid);
    let style = if kind == "Secret" {
        RefStyle::KubectlSecret
    } else {
        RefStyle::SecretKeyRef
    };
    let sections: &[(&str, bool)] = if kind == "Secret" {
        &[("stringData", false), ("data", true)]
    } else {
        &[("data", false)]
    };
    for &(section, base64) in sections {
        let Some(map) = doc.get(section) else {
            continue;
        };
        skip.push(map.span);
        for (key, node) in map.entries() {
            let Some(s) = node.scalar() else {
                continue;
            };
            let value = if base64 {
                decoded(out, node, &s.text)
            } else {
                match out.classify(node, Interpolation::None) {
                    Some(c) => c.value,
                    None => continue,
                }
            };
            let entry = entry_span(key, node);
            if super::interpolation::is_env_name(&key.text) {
                out.definition(
                    key.text.clone(),
                    key.span,
                    value.clone(),
                    entry,
                    scope,
                    DefSource::Kubernetes,
                );
            }
            let Some(m) = match_key(out.providers, &[], &key.text, context) else {
                continue;
            };
            if m.id_shaped_only
                && !(value.kind == ValueKind::Literal
                    && id_shaped(out.providers, m.slot, &value.text))
            {
                continue;
            }
            out.setting(m, key.text.clone(), key.span, value, entry, scope, style);
        }
    }
}

/// The value of a base64 `data` entry: the decoded text at the span of the
/// base64 text. Keys and IDs in the decoded text become literals.
fn decoded(out: &mut ConfigFacts<'_>, node: &Node, raw: &str) -> Value {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let text = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    let Some(text) = text else {
        // Not base64: the API server rejects it; keep it as written.
        return Value {
            kind: ValueKind::Literal,
            text: raw.to_string(),
            reference: None,
            span: node.span,
            quote: node.scalar().and_then(|s| s.quote),
        };
    };
    // One literal per kind: two patterns may match the same key.
    let key = out.providers.iter().find_map(|(pid, p)| {
        p.keys.iter().enumerate().find_map(|(kid, k)| {
            (!k.needs_context)
                .then(|| k.regex.find(&text))
                .flatten()
                .map(|m| (pid, kid, m.as_str().to_string()))
        })
    });
    if let Some((provider, pattern, found)) = key {
        out.facts.literals.push(Literal {
            kind: LiteralKind::Key { provider, pattern },
            text: found,
            span: node.span,
            context: TextContext::Value,
        });
    }
    let ids: Vec<Literal> = out
        .providers
        .iter()
        .flat_map(|(_, p)| p.ids.iter())
        .filter_map(|i| {
            i.regex.find(&text).map(|m| Literal {
                kind: match i.slot {
                    crate::fact::Slot::Project => LiteralKind::Project,
                    _ => LiteralKind::Org,
                },
                text: m.as_str().to_string(),
                span: node.span,
                context: TextContext::Value,
            })
        })
        .collect();
    out.facts.literals.extend(ids);
    Value {
        kind: if text.is_empty() {
            ValueKind::Empty
        } else {
            ValueKind::Literal
        },
        text,
        reference: None,
        span: node.span,
        quote: node.scalar().and_then(|s| s.quote),
    }
}
