//! ENV002 missing-from-env-file: a template env file lists a credential
//! variable that its sibling runtime env file lacks.

use std::collections::HashMap;

use super::{FileRef, Findings, Rule, RuleContext};
use crate::graph::Graph;
use crate::walk::template_sibling;

pub struct Env002;

impl Rule for Env002 {
    fn code(&self) -> &'static str {
        "ENV002"
    }

    fn check_repo(
        &self,
        cx: &RuleContext<'_>,
        files: &[FileRef<'_>],
        _: &Graph<'_>,
        out: &mut Findings<'_>,
    ) {
        let by_path: HashMap<&str, &FileRef<'_>> = files
            .iter()
            .filter(|f| f.entry.class.is_env())
            .map(|f| (f.entry.display.as_str(), f))
            .collect();
        for t in files {
            let class = &t.entry.class;
            if !class.is_env() || !class.template {
                continue;
            }
            let (dir, name) = match t.entry.display.rsplit_once('/') {
                Some((d, n)) => (Some(d), n),
                None => (None, t.entry.display.as_str()),
            };
            let Some(sib_name) = template_sibling(name) else {
                continue;
            };
            let sib_path = match dir {
                Some(d) => format!("{d}/{sib_name}"),
                None => sib_name,
            };
            let Some(sibling) = by_path.get(sib_path.as_str()) else {
                continue;
            };
            for d in &t.facts.definitions {
                if cx.providers.variable(&d.name).is_none() {
                    continue;
                }
                if sibling.facts.definitions.iter().any(|sd| sd.name == d.name) {
                    continue;
                }
                out.emit(
                    self.code(),
                    t,
                    d.name_span,
                    &format!("{}\0{}", d.name, sib_path),
                    None,
                    &[
                        ("var", d.name.clone()),
                        ("template", t.entry.display.clone()),
                        ("sibling", sib_path.clone()),
                    ],
                );
            }
        }
    }
}
