//! ORG003 empty-organization: an org (or project) setting that is empty, so
//! the SDK may send an empty `OpenAI-Organization` header.
//!
//! The help must lead to a clean check: deleting an env line that the
//! file's template lists would trade this finding for ENV002 at the
//! template, so for such a line the help (and the fix, see
//! [`crate::fix::finalize`]) names the template too. That needs the other
//! files: env files are checked in [`Rule::check_repo`].

use super::{FileRef, Findings, Rule, RuleContext};
use crate::consumers::Consumers;
use crate::fact::{Setting, Slot};
use crate::finding::Severity;
use crate::graph::Graph;

pub struct Org003;

impl Rule for Org003 {
    fn code(&self) -> &'static str {
        "ORG003"
    }

    fn check_repo(
        &self,
        cx: &RuleContext<'_>,
        files: &[FileRef<'_>],
        _: &Graph<'_>,
        out: &mut Findings<'_>,
    ) {
        let env: Vec<FileRef<'_>> = files
            .iter()
            .filter(|f| f.entry.class.is_env())
            .map(|f| FileRef {
                entry: f.entry,
                source: f.source,
                facts: f.facts,
            })
            .collect();
        let mut consumers = None;
        for f in files {
            if f.facts.is_empty() || !f.facts.settings.iter().any(|s| s.slot != Slot::Key) {
                continue;
            }
            let consumers = consumers.get_or_insert_with(|| Consumers::detect(files, cx.providers));
            let env: &[FileRef<'_>] = if f.entry.class.is_env() { &env } else { &[] };
            check(self.code(), cx, f, env, consumers, out);
        }
        // Env-file settings of variables that code passes into a client's
        // org or project argument whatever their name (see `super::flow`).
        for (i, s) in super::flow::settings(cx, files) {
            if s.slot == Slot::Key {
                continue;
            }
            let Some(f) = files.get(*i) else { continue };
            let consumers = consumers.get_or_insert_with(|| Consumers::detect(files, cx.providers));
            check_setting(self.code(), cx, f, &env, consumers, s, out);
        }
    }
}

/// Whether the empty value of `s` reaches the API as an empty header: the
/// client of a code setting, or the detected readers of an env or config
/// variable, send it (see `omit_empty_headers` in the provider data). With
/// no reader detected, most SDKs send it.
fn reaches_api(
    cx: &RuleContext<'_>,
    file: &FileRef<'_>,
    s: &Setting,
    consumers: &Consumers,
) -> bool {
    let omit = &cx.providers.get(s.provider).omit_empty_headers;
    if super::is_code(file)
        && let Some(client) = file.facts.clients.iter().find(|c| c.scope == s.scope)
    {
        return !omit.contains(&client.sdk);
    }
    let Some((_, var)) = cx.providers.variable(&s.name) else {
        return true;
    };
    let detected: Vec<&String> = var
        .readers
        .iter()
        .filter(|r| consumers.matches(r))
        .collect();
    let omits = |reader: &str| {
        let name = Consumers::sdk_name(reader);
        omit.iter()
            .any(|o| Consumers::sdk_name(o) == name && consumers.matches(o))
    };
    detected.is_empty() || detected.iter().any(|r| !omits(r))
}

/// ORG003 in `file`; `env` are the repository's env files, for the
/// template that lists a variable of an env file.
fn check(
    code: &str,
    cx: &RuleContext<'_>,
    file: &FileRef<'_>,
    env: &[FileRef<'_>],
    consumers: &Consumers,
    out: &mut Findings<'_>,
) {
    if !super::key002::applies(file) {
        return;
    }
    for s in &file.facts.settings {
        check_setting(code, cx, file, env, consumers, s, out);
    }
}

/// ORG003 on one setting `s` of `file`.
fn check_setting(
    code: &str,
    cx: &RuleContext<'_>,
    file: &FileRef<'_>,
    env: &[FileRef<'_>],
    consumers: &Consumers,
    s: &Setting,
    out: &mut Findings<'_>,
) {
    let variant = match s.slot {
        Slot::Org => "org",
        Slot::Project => "project",
        _ => return,
    };
    if !super::key002::is_blank(s) {
        return;
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
    let finding = out.emit(
        code,
        file,
        super::setting_at(file, s),
        &s.name,
        Some(variant),
        &[
            ("var", s.name.clone()),
            ("how", how),
            ("template", template.unwrap_or_default().to_string()),
        ],
    );
    finding.fix = crate::fix::build::delete_entry(file, s);
    if !reaches_api(cx, file, s, consumers) {
        finding.severity = Severity::Info;
    }
}

#[cfg(test)]
mod tests {
    use crate::check::{CheckOptions, check};
    use crate::finding::Severity;

    /// ORG003's severity for each finding of a check of `files`.
    fn severities(files: &[(&str, &str)]) -> Vec<(String, Severity)> {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        }
        let opts = CheckOptions {
            paths: vec![dir.path().to_path_buf()],
            select: vec!["ORG003".into()],
            ..CheckOptions::default()
        };
        let outcome = check(&opts).expect("check runs");
        outcome
            .findings
            .into_iter()
            .map(|f| {
                let name = f.path.rsplit('/').next().unwrap_or("").to_string();
                (format!("{name}:{}", f.start.line), f.severity)
            })
            .collect()
    }

    #[test]
    fn a_warning_where_the_empty_header_is_sent() {
        // openai-python 1.x sends `OpenAI-Organization: ` for "".
        let got = severities(&[
            ("requirements.txt", "openai>=1.30\n"),
            (".env", "OPENAI_ORG_ID=\n"),
            (
                "app.py",
                "from openai import OpenAI\nc = OpenAI(organization=\"\")\n",
            ),
        ]);
        assert_eq!(
            got,
            [
                (".env:1".to_string(), Severity::Warning),
                ("app.py:2".to_string(), Severity::Warning)
            ]
        );
    }

    #[test]
    fn info_where_every_reader_leaves_the_header_out() {
        // LiteLLM reads `OPENAI_ORGANIZATION or None`; openai-node v3 sets
        // the header only for a truthy organization.
        let got = severities(&[
            ("requirements.txt", "litellm\n"),
            (".env", "OPENAI_ORGANIZATION=\n"),
            (
                "web.js",
                "const { Configuration } = require('openai');\nconst c = new Configuration({ organization: '' });\n",
            ),
        ]);
        assert_eq!(
            got,
            [
                (".env:1".to_string(), Severity::Info),
                ("web.js:2".to_string(), Severity::Info)
            ]
        );
    }
}
