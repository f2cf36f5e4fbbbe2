//! Rules read facts — never files, never parsers — and emit findings. Each
//! rule's code, name, severity, message and help templates, docs and
//! examples live in `rules/CODE.toml`; the logic that the data cannot
//! express lives in one Rust file named after the rule.

use std::sync::LazyLock;

use crate::finding::{Finding, Related};
use crate::graph::Graph;

mod context;
pub mod pairs;
pub mod placeholder;
pub mod scope;
pub mod spec;

mod env001;
mod env002;
mod env003;
mod flow;
mod key001;
mod key002;
mod key003;
mod key004;
mod key005;
mod org001;
mod org002;
mod org003;
mod org004;
mod org005;
mod pair001;
mod pair002;
mod pair003;
mod pair004;
mod pair005;
mod parse001;
pub mod sup001;
pub mod suppress;
mod verify;

pub use crate::file_ref::FileRef;
pub use context::{
    Findings, Rule, RuleContext, code_variant, env_ref_at, is_code, needs_verify, ref_variant,
    related, setting_at, setting_holding,
};
pub use pairs::{PairDecl, Pairs};
pub use placeholder::Placeholders;
pub use spec::{RuleSet, RuleSpec};
pub use verify::tuples as verify_tuples;

static BUILTIN: LazyLock<RuleSet> = LazyLock::new(|| {
    // Embedded data, validated by the test suite.
    match RuleSet::load(crate::embedded::RULE_FILES) {
        Ok(r) => r,
        Err(e) => panic!("built-in rule data is invalid: {e}"),
    }
});

/// The rules embedded in the binary.
pub fn builtin() -> &'static RuleSet {
    &BUILTIN
}

/// Every rule with logic, in code order.
pub fn all() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(env001::Env001),
        Box::new(env002::Env002),
        Box::new(env003::Env003),
        Box::new(key001::Key001),
        Box::new(key002::Key002),
        Box::new(key003::Key003),
        Box::new(key004::Key004),
        Box::new(key005::Key005),
        Box::new(org001::Org001),
        Box::new(org002::Org002),
        Box::new(org003::Org003),
        Box::new(org004::Org004),
        Box::new(org005::Org005),
        Box::new(pair001::Pair001),
        Box::new(pair002::Pair002),
        Box::new(pair003::Pair003),
        Box::new(pair004::Pair004),
        Box::new(pair005::Pair005),
        Box::new(parse001::Parse001),
        Box::new(sup001::Sup001),
        Box::new(verify::Verify("VERIFY001")),
        Box::new(verify::Verify("VERIFY002")),
        Box::new(verify::Verify("VERIFY003")),
        Box::new(verify::Verify("VERIFY004")),
    ]
}

/// Run every rule over the files (`graph` joins their scopes) and return
/// the findings in report order. Fixes that need other files are resolved
/// after, by the pipeline's fix pass ([`crate::fix::finalize`]).
pub fn run(cx: &RuleContext<'_>, files: &[FileRef<'_>], graph: &Graph<'_>) -> Vec<Finding> {
    use rayon::prelude::*;
    let rules = all();
    let mut findings: Vec<Finding> = files
        .par_iter()
        .flat_map_iter(|f| {
            let mut out = Findings::new(cx.rules);
            if !f.facts.is_empty() {
                for r in &rules {
                    r.check_file(cx, f, &mut out);
                }
            }
            out.findings
        })
        .collect();
    let mut out = Findings::new(cx.rules);
    for r in &rules {
        r.check_repo(cx, files, graph, &mut out);
    }
    findings.extend(out.findings);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.code == b.code && a.path == b.path && a.span == b.span);
    findings
}
