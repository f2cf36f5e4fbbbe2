//! GitHub Actions workflows (`.github/workflows/*.y*ml`).
//!
//! The workflow's `env` applies to the file (scope 0); each job is a scope,
//! each step a scope whose parent is its job. `env` entries (also a job's
//! `container.env` and its service containers' `env`) are definitions, and
//! settings when they name a credential variable. `${{ secrets.X }}` and
//! `${{ vars.X }}` are references to the repository's secret store: they
//! count as definitions (GitHub turns an unset secret into `""`, which no
//! static check can see). An empty value is the empty string. Action inputs
//! (`with:`) are settings when their names say provider key, org or project.

use super::generic::Walker;
use super::interpolation::Interpolation;
use super::{ConfigFacts, RefStyle, entry_span, text_of};
use crate::extract::config_tree::Node;
use crate::fact::{DefSource, ScopeKind};
use crate::provider::{ProviderId, Providers, normalize_key};
use crate::source::Span;

/// Read one workflow document.
pub fn extract(out: &mut ConfigFacts<'_>, doc: &Node) {
    if let Some(env) = doc.get("env") {
        env_map(out, env, 0);
    }
    let Some(jobs) = doc.get("jobs") else {
        return;
    };
    for (key, job) in jobs.entries() {
        let js = out.scope(
            ScopeKind::WorkflowJob,
            key.text.clone(),
            Span::new(key.span.start, job.span.end.max(key.span.end)),
            None,
            Vec::new(),
        );
        if let Some(env) = job.get("env") {
            env_map(out, env, js);
        }
        if let Some(env) = job.get("container").and_then(|c| c.get("env")) {
            env_map(out, env, js);
        }
        if let Some(services) = job.get("services") {
            for (sk, svc) in services.entries() {
                if let Some(env) = svc.get("env") {
                    let ss = out.scope(
                        ScopeKind::Section,
                        format!("{}.services.{}", key.text, sk.text),
                        Span::new(sk.span.start, svc.span.end.max(sk.span.end)),
                        Some(js),
                        Vec::new(),
                    );
                    env_map(out, env, ss);
                }
            }
        }
        if let Some(with) = job.get("with") {
            inputs(out, with, js, job.get("uses"));
        }
        let Some(steps) = job.get("steps") else {
            continue;
        };
        for (i, step) in steps.items().iter().enumerate() {
            let name = step
                .get("name")
                .or_else(|| step.get("id"))
                .and_then(text_of)
                .map_or_else(|| format!("steps[{i}]"), str::to_string);
            let ss = out.scope(
                ScopeKind::WorkflowStep,
                name,
                step.span,
                Some(js),
                Vec::new(),
            );
            if let Some(env) = step.get("env") {
                env_map(out, env, ss);
            }
            if let Some(with) = step.get("with") {
                inputs(out, with, ss, step.get("uses"));
            }
        }
    }
}

fn env_map(out: &mut ConfigFacts<'_>, env: &Node, scope: u32) {
    for (key, value) in env.entries() {
        let Some(c) = out.classify(value, Interpolation::Expression) else {
            continue;
        };
        out.env_entry(
            &key.text,
            key.span,
            c,
            entry_span(key, value),
            scope,
            DefSource::Workflow,
            RefStyle::Workflow,
        );
    }
}

/// Action inputs: settings by key name; the action (`uses: owner/repo@v`)
/// may say which provider bare names (`api-key`) are for.
fn inputs(out: &mut ConfigFacts<'_>, with: &Node, scope: u32, uses: Option<&Node>) {
    let context = uses
        .and_then(text_of)
        .and_then(|u| action_provider(out.providers, u));
    let walker = Walker {
        prefix: vec!["with".to_string()],
        ..Walker::section(
            Interpolation::Expression,
            RefStyle::Workflow,
            scope,
            context,
        )
    };
    walker.run(out, with);
}

/// The provider an action is for: its owner (`openai/…`) or the start of its
/// repository name (`anthropics/claude-code-action` → Anthropic).
fn action_provider(providers: &Providers, uses: &str) -> Option<ProviderId> {
    let path = uses.split('@').next().unwrap_or(uses);
    let mut parts = path.split('/');
    let owner = parts.next().unwrap_or("");
    let repo = parts.next().unwrap_or("");
    providers.by_config_name(&normalize_key(owner)).or_else(|| {
        providers
            .split_config_name(&normalize_key(repo))
            .map(|(p, _)| p)
    })
}
