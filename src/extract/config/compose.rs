//! docker compose files (`compose*.y*ml`, `docker-compose*.y*ml`).
//!
//! Each service is a scope that loads its `env_file` list. Its
//! `environment` (map or `NAME=value` list) defines variables:
//!
//! - `NAME: value` / `NAME=value`: a definition, and a setting when NAME is
//!   a credential variable. `NAME: ""` / `NAME=` is the empty string (KEY002
//!   applies, this is not a template).
//! - `NAME:` (null) / `- NAME`: no value; compose takes NAME from the
//!   shell that runs it. A passthrough read, not a definition, not empty.
//! - `NAME: ${NAME}`: the same — the host's NAME passes through. Other
//!   references (`${OTHER}`, `${NAME:-default}` keeps NAME) are env reads
//!   of the host; the entry still defines NAME in the container.
//!
//! In the list form compose keeps quotes as part of the value
//! (`- KEY="v"` sets `"v"` with its quotes), so they stay in the text.
//! Interpolation applies to every value of the file, so references outside
//! `environment` are env reads too; top-level `secrets.*.environment` names
//! a variable compose reads.

use super::interpolation::{Classified, Interpolation, Ref};
use super::{ConfigFacts, RefStyle, entry_span, one_or_many, split_assignment, text_of};
use crate::extract::config_tree::{Node, NodeKind, ScalarType};
use crate::fact::{DefSource, ReadKind, ScopeKind, Value, ValueKind};
use crate::source::Span;

/// Read one compose document.
pub fn extract(out: &mut ConfigFacts<'_>, doc: &Node) {
    let mut handled = Vec::new();
    if let Some(services) = doc.get("services") {
        handled.push(services.span);
        for (key, svc) in services.entries() {
            let env_files = svc
                .get("env_file")
                .map(|f| {
                    one_or_many(f)
                        .into_iter()
                        .filter_map(|e| text_of(e).or_else(|| e.get("path").and_then(text_of)))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let scope = out.scope(
                ScopeKind::ComposeService,
                key.text.clone(),
                Span::new(key.span.start, svc.span.end.max(key.span.end)),
                None,
                env_files,
            );
            let mut skip = Vec::new();
            if let Some(env) = svc.get("environment") {
                skip.push(env.span);
                environment(out, env, scope);
            }
            interpolation_reads(out, svc, scope, &skip);
        }
    }
    if let Some(secrets) = doc.get("secrets") {
        for (_, s) in secrets.entries() {
            if let Some(var) = s.get("environment")
                && let Some(name) = text_of(var)
            {
                out.read(name.to_string(), var.span, ReadKind::Config, None, 0);
            }
        }
    }
    interpolation_reads(out, doc, 0, &handled);
}

fn environment(out: &mut ConfigFacts<'_>, env: &Node, scope: u32) {
    match &env.kind {
        NodeKind::Map(entries) => {
            for (key, value) in entries {
                let null = value.scalar().is_some_and(|s| s.ty == ScalarType::Null);
                let c = if null {
                    passthrough(&key.text, key.span)
                } else {
                    match out.classify(value, Interpolation::Compose) {
                        Some(c) => c,
                        None => continue,
                    }
                };
                out.env_entry(
                    &key.text,
                    key.span,
                    c,
                    entry_span(key, value),
                    scope,
                    DefSource::Compose,
                    RefStyle::Braced,
                );
            }
        }
        NodeKind::Seq(items) => {
            for item in items {
                let Some((name, name_span, value)) =
                    split_assignment(item, out.text, Interpolation::Compose)
                else {
                    continue;
                };
                let c = value.unwrap_or_else(|| passthrough(&name, name_span));
                out.env_entry(
                    &name,
                    name_span,
                    c,
                    item.span,
                    scope,
                    DefSource::Compose,
                    RefStyle::Braced,
                );
            }
        }
        NodeKind::Scalar(_) => {}
    }
}

/// `NAME:` / `- NAME` with no value: compose takes NAME from its own
/// environment, as `NAME: ${NAME}` would.
fn passthrough(name: &str, name_span: Span) -> Classified {
    Classified {
        value: Value {
            kind: ValueKind::Reference,
            text: String::new(),
            reference: Some(name.to_string()),
            span: Span::new(name_span.end, name_span.end),
            quote: None,
        },
        refs: vec![Ref {
            name: Some(name.to_string()),
            span: name_span,
            default: None,
            env: true,
        }],
    }
}

/// Env reads of the `${…}` references in every value below `node`.
fn interpolation_reads(out: &mut ConfigFacts<'_>, node: &Node, scope: u32, skip: &[Span]) {
    if skip.contains(&node.span) {
        return;
    }
    match &node.kind {
        NodeKind::Map(entries) => {
            for (_, v) in entries {
                interpolation_reads(out, v, scope, skip);
            }
        }
        NodeKind::Seq(items) => {
            for v in items {
                interpolation_reads(out, v, scope, skip);
            }
        }
        NodeKind::Scalar(s) => {
            if s.text.contains('$')
                && let Some(c) = out.classify(node, Interpolation::Compose)
            {
                out.reads(&c.refs, scope);
            }
        }
    }
}
