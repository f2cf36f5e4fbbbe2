//! ORG003 empty-organization: an org (or project) setting that is empty, so
//! the SDK may send an empty `OpenAI-Organization` header.
//!
//! The help must lead to a clean check: deleting an env line that the
//! file's template lists would trade this finding for ENV002 at the
//! template, so for such a line the help (and the fix, see
//! [`crate::fix::finalize`]) names the template too. That needs the other
//! files: env files are checked in [`Rule::check_repo`].

use super::{Ctx, Emit, FileRef, Rule};
use crate::fact::Slot;
use crate::graph::Graph;

pub struct Org003;

impl Rule for Org003 {
    fn code(&self) -> &'static str {
        "ORG003"
    }

    fn check_file(&self, _cx: &Ctx<'_>, file: &FileRef<'_>, out: &mut Emit<'_>) {
        if !file.entry.class.is_env() {
            check(self.code(), file, &[], out);
        }
    }

    fn check_repo(&self, _cx: &Ctx<'_>, files: &[FileRef<'_>], _: &Graph<'_>, out: &mut Emit<'_>) {
        let env: Vec<FileRef<'_>> = files
            .iter()
            .filter(|f| f.entry.class.is_env())
            .map(|f| FileRef {
                entry: f.entry,
                source: f.source,
                facts: f.facts,
            })
            .collect();
        for f in &env {
            if !f.facts.is_empty() {
                check(self.code(), f, &env, out);
            }
        }
    }
}

/// ORG003 in `file`; `env` are the repository's env files, for the
/// template that lists a variable of an env file.
fn check(code: &str, file: &FileRef<'_>, env: &[FileRef<'_>], out: &mut Emit<'_>) {
    if !super::key002::applies(file) {
        return;
    }
    for s in &file.facts.settings {
        let variant = match s.slot {
            Slot::Org => "org",
            Slot::Project => "project",
            _ => continue,
        };
        if !super::key002::is_blank(s) {
            continue;
        }
        let (in_code, how) = super::code_variant(file, s);
        let template = crate::fix::listing_template(env, &file.entry.display, &s.name);
        let variant = match (in_code, variant, template) {
            (Some(_), "org", _) => "code-org",
            (Some(_), _, _) => "code-project",
            (None, "org", Some(_)) => "org-listed",
            (None, _, Some(_)) => "project-listed",
            (None, v, None) => v,
        };
        out.emit(
            code,
            file,
            super::setting_at(file, s),
            &s.name,
            Some(variant),
            &[
                ("var", s.name.clone()),
                ("how", how.to_string()),
                ("template", template.unwrap_or_default().to_string()),
            ],
        )
        .fix = crate::fix::build::delete_entry(file, s);
    }
}
