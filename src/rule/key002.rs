//! KEY002 empty-api-key: a key setting with an empty value where it is used
//! at run time (not in a template, not in a test file).

use super::{FileRef, Findings, Rule, RuleContext};
use crate::consumers::Consumers;
use crate::fact::{DefSource, Setting, Slot, ValueKind};
use crate::graph::Graph;
use crate::walk::Context;

pub struct Key002;

impl Rule for Key002 {
    fn code(&self) -> &'static str {
        "KEY002"
    }

    fn check_file(&self, cx: &RuleContext<'_>, file: &FileRef<'_>, out: &mut Findings<'_>) {
        if !applies(file) {
            return;
        }
        for s in &file.facts.settings {
            if !shared_name(cx, s) {
                check(cx, file, s, out);
            }
        }
    }

    fn check_repo(
        &self,
        cx: &RuleContext<'_>,
        files: &[FileRef<'_>],
        _: &Graph<'_>,
        out: &mut Findings<'_>,
    ) {
        shared_settings(cx, files, |file, s| check(cx, file, s, out));
    }
}

fn check(cx: &RuleContext<'_>, file: &FileRef<'_>, s: &Setting, out: &mut Findings<'_>) {
    if s.slot == Slot::Key && is_blank(s) {
        let (variant, how) = super::code_variant(file, s);
        let template = committed_template(cx, file);
        out.emit(
            "KEY002",
            file,
            super::setting_at(file, s),
            &s.name,
            template
                .as_ref()
                .map_or(variant, |_| Some("committed-template")),
            &[
                ("var", s.name.clone()),
                ("how", how),
                ("file", file_name(file).to_string()),
                ("template", template.unwrap_or_default()),
            ],
        );
    }
}

/// The name of `file` without its folder.
pub(super) fn file_name<'f>(file: &FileRef<'f>) -> &'f str {
    let d = file.entry.display.as_str();
    d.rsplit('/').next().unwrap_or(d)
}

/// For a committed runtime env file that reads as a template — every
/// credential setting in it empty, a placeholder or a reference, no value
/// anyone could run with — the template name it should have
/// (`.env` → `.env.example`). Such a file is the project's template by
/// intent, yet the application loads it and sends what it holds: the help
/// says to rename it rather than to put a key into a committed file.
pub(super) fn committed_template(cx: &RuleContext<'_>, file: &FileRef<'_>) -> Option<String> {
    let class = &file.entry.class;
    if !class.is_env() || class.template || !class.committed || file.facts.settings.is_empty() {
        return None;
    }
    let template_like = file.facts.settings.iter().all(|s| match s.value.kind {
        ValueKind::Reference => true,
        ValueKind::Literal if s.slot == Slot::BaseUrl => true,
        ValueKind::Literal => {
            is_blank(s) || cx.placeholders.is_placeholder_for(&s.name, &s.value.text)
        }
        _ => is_blank(s),
    });
    template_like.then(|| format!("{}.example", file_name(file)))
}

/// Whether `s` sets a variable whose name other services share
/// (`GOOGLE_API_KEY`): it is the provider's credential only where one of
/// the variable's readers is detected, which the value rules check in
/// [`Rule::check_repo`] through [`shared_settings`].
pub(super) fn shared_name(cx: &RuleContext<'_>, s: &Setting) -> bool {
    cx.providers
        .variable(&s.name)
        .is_some_and(|(p, v)| p == s.provider && v.shared)
}

/// Call `each` on every setting of a shared-name variable (see
/// [`shared_name`]) in a file the value rules apply to, when the
/// repository has a consumer that reads the variable as the provider's
/// (a Gemini SDK for `GOOGLE_API_KEY`, not Maps or Custom Search code);
/// then on the env-file settings of variables that code passes into a
/// client's slot whatever their name (see [`super::flow`]).
pub(super) fn shared_settings<'f>(
    cx: &RuleContext<'_>,
    files: &'f [FileRef<'f>],
    mut each: impl FnMut(&FileRef<'f>, &Setting),
) {
    let mut consumers = None;
    for file in files {
        if !applies(file) {
            continue;
        }
        for s in &file.facts.settings {
            let Some((_, var)) = cx.providers.variable(&s.name) else {
                continue;
            };
            if !shared_name(cx, s) {
                continue;
            }
            let c = consumers.get_or_insert_with(|| Consumers::detect(files, cx.providers));
            if c.reads_any(&var.readers) {
                each(file, s);
            }
        }
    }
    for (i, s) in super::flow::settings(cx, files) {
        if let Some(file) = files.get(*i) {
            each(file, s);
        }
    }
}

/// Whether a setting's value is empty: nothing, only quotes, or only
/// whitespace inside quotes (`OPENAI_API_KEY=" "`), which sends an empty key
/// all the same (KEY002/ORG003, not a key with whitespace around it).
pub(super) fn is_blank(s: &Setting) -> bool {
    match s.value.kind {
        ValueKind::Empty => true,
        ValueKind::Literal => s.value.text.trim().is_empty(),
        _ => false,
    }
}

/// The value rules (KEY002-KEY004, ORG002, ORG003, ORG005) skip templates
/// and test files: empty and dummy values are their job.
pub(super) fn applies(file: &FileRef<'_>) -> bool {
    !file.entry.class.template && !file.entry.class.test
}

/// Whether setting `s` sits where a stand-in value is deliberate: a file in
/// test context, a CI workflow (its jobs run tests and builds, and take real
/// keys from `secrets`), or code that puts the value into the process
/// environment (a stand-in for a library that insists on the variable, or a
/// self-check of the app's own validation). The one place that answers
/// this for the value rules; the context model may widen it (a CI job that
/// runs tests is test context).
pub(super) fn in_test_context(file: &FileRef<'_>, s: &Setting) -> bool {
    if file.entry.class.test || file.entry.class.context == Context::Test {
        return true;
    }
    file.facts.definitions.iter().any(|d| {
        d.value.span == s.value.span && matches!(d.source, DefSource::Workflow | DefSource::Code)
    })
}

#[cfg(test)]
mod tests {
    use crate::check::{CheckOptions, check};

    /// `(line, rule, message)` of the KEY002/KEY003 findings of a check of
    /// `files` in a git work tree (so that `.env` is committed).
    fn findings(files: &[(&str, &str)]) -> Vec<(usize, String, String)> {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
        for (path, text) in files {
            std::fs::write(dir.path().join(path), text).expect("write");
        }
        let opts = CheckOptions {
            paths: vec![dir.path().to_path_buf()],
            select: vec!["KEY002".into(), "KEY003".into()],
            ..CheckOptions::default()
        };
        check(&opts)
            .expect("check runs")
            .findings
            .into_iter()
            .map(|f| (f.start.line, f.code, f.message))
            .collect()
    }

    #[test]
    fn a_committed_env_file_of_placeholders_reads_as_a_template() {
        let got = findings(&[(
            ".env",
            "OPENAI_API_KEY=your_openai_api_key\nANTHROPIC_API_KEY=\nOPENAI_BASE_URL=https://api.openai.com/v1\n",
        )]);
        assert_eq!(got.len(), 2, "{got:?}");
        for (_, _, message) in &got {
            assert!(message.contains("reads as a template"), "{message}");
        }
    }

    #[test]
    fn a_committed_env_file_with_a_real_value_is_not_a_template() {
        let got = findings(&[(
            ".env",
            "OPENAI_API_KEY=your_openai_api_key\nOPENAI_ORG_ID=org-YgojjHRg80USP2W5DfJXcaYi\n",
        )]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(!got[0].2.contains("template"), "{}", got[0].2);
    }
}
