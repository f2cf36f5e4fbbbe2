//! ENV003 duplicate-credential-variable: the same credential variable twice
//! in one scope. Loaders disagree on which definition wins.

use std::collections::HashMap;

use super::{FileRef, Findings, Rule, RuleContext, related};

pub struct Env003;

impl Rule for Env003 {
    fn code(&self) -> &'static str {
        "ENV003"
    }

    fn check_file(&self, _cx: &RuleContext<'_>, file: &FileRef<'_>, out: &mut Findings<'_>) {
        // Code runs in order: a later assignment replaces an earlier one on
        // purpose (a test resetting `openai.api_key`), no loader chooses.
        if super::is_code(file) {
            return;
        }
        let mut first: HashMap<(u32, &str), &crate::fact::Setting> = HashMap::new();
        for s in &file.facts.settings {
            match first.get(&(s.scope, s.name.as_str())) {
                None => {
                    first.insert((s.scope, s.name.as_str()), s);
                }
                Some(prev) => {
                    let rel = related(
                        file,
                        prev.assignment(),
                        format!("{} is first defined here", s.name),
                    );
                    out.emit(
                        self.code(),
                        file,
                        s.assignment(),
                        &s.name,
                        None,
                        &[("var", s.name.clone())],
                    )
                    .related
                    .push(rel);
                }
            }
        }
    }
}
