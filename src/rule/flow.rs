//! Credential variables by data flow: an env variable of any name that code
//! (or a config) passes into a client's key, org or project slot
//! (`OpenAI(api_key=os.environ["MY_LLM_KEY"])`, through a local or a
//! module constant) holds that provider's credential, so the value rules
//! check its env-file values as they check `OPENAI_API_KEY`'s.

use std::collections::HashMap;

use super::{FileRef, RuleContext};
use crate::fact::{DefSource, Setting, Slot, ValueKind};
use crate::provider::ProviderId;
use crate::walk::FileKind;

/// The env-file settings of variables that reach a client slot only by
/// data flow (names the provider data knows keep their own data), with the
/// index of their file in `files`. Only env files the value rules apply to
/// (not templates, not test files) are looked at. An env file's facts keep
/// only credential-like names (a million-line file must not cost a
/// definition per line), so these few files are read again, in full, when
/// some variable flows into a slot.
pub(super) fn settings<'c>(
    cx: &'c RuleContext<'_>,
    files: &[FileRef<'_>],
) -> &'c [(usize, Setting)] {
    cx.flow.get_or_init(|| collect(cx, files))
}

fn collect(cx: &RuleContext<'_>, files: &[FileRef<'_>]) -> Vec<(usize, Setting)> {
    let slots = slots(cx, files);
    if slots.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let FileKind::Env { shell } = file.entry.class.kind else {
            continue;
        };
        if !super::key002::applies(file) {
            continue;
        }
        let env = crate::extract::dotenv::extract(file.source, cx.providers, shell);
        for d in &env.facts.definitions {
            if d.source != DefSource::EnvFile {
                continue;
            }
            let Some(&Some((provider, slot))) = slots.get(d.name.as_str()) else {
                continue;
            };
            out.push((
                i,
                Setting {
                    provider,
                    slot,
                    name: d.name.clone(),
                    name_span: d.name_span,
                    value: d.value.clone(),
                    entry: d.entry,
                    scope: d.scope,
                    env_ref: None,
                },
            ));
        }
    }
    out
}

/// Variable name → the provider and slot that code passes its value into;
/// `None` for a variable that flows into slots of different kinds (a key
/// here, an org there), which says nothing sure about it.
fn slots<'f>(
    cx: &RuleContext<'_>,
    files: &'f [FileRef<'f>],
) -> HashMap<&'f str, Option<(ProviderId, Slot)>> {
    let mut map: HashMap<&'f str, Option<(ProviderId, Slot)>> = HashMap::new();
    for file in files {
        if file.entry.class.is_env() {
            continue;
        }
        for s in &file.facts.settings {
            if s.value.kind != ValueKind::Reference
                || !matches!(s.slot, Slot::Key | Slot::Org | Slot::Project)
            {
                continue;
            }
            let Some(var) = s.value.reference.as_deref() else {
                continue;
            };
            if var.is_empty() || cx.providers.variable(var).is_some() {
                continue;
            }
            map.entry(var)
                .and_modify(|seen| {
                    if seen.is_some_and(|(_, slot)| slot != s.slot) {
                        *seen = None;
                    }
                })
                .or_insert(Some((s.provider, s.slot)));
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use crate::check::{CheckOptions, check};

    /// `(line, rule)` of the value-rule findings of a check of `files`.
    fn findings(files: &[(&str, &str)]) -> Vec<(usize, String)> {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
        for (path, text) in files {
            std::fs::write(dir.path().join(path), text).expect("write");
        }
        let opts = CheckOptions {
            paths: vec![dir.path().to_path_buf()],
            select: ["KEY002", "KEY003", "ORG002", "ORG003"]
                .map(String::from)
                .to_vec(),
            ..CheckOptions::default()
        };
        check(&opts)
            .expect("check runs")
            .findings
            .into_iter()
            .filter(|f| f.path.rsplit('/').next() == Some(".env"))
            .map(|f| (f.start.line, f.code))
            .collect()
    }

    #[test]
    fn a_variable_that_flows_into_slots_of_different_kinds_is_left_alone() {
        let got = findings(&[
            (".env", "LLM_CRED=\n"),
            (
                "app.py",
                "import os\nfrom openai import OpenAI\n\na = OpenAI(api_key=os.getenv(\"LLM_CRED\"))\nb = OpenAI(organization=os.getenv(\"LLM_CRED\"))\n",
            ),
        ]);
        assert!(got.is_empty(), "{got:?}");
        let key_only = findings(&[
            (".env", "LLM_CRED=\n"),
            (
                "app.py",
                "import os\nfrom openai import OpenAI\n\na = OpenAI(api_key=os.getenv(\"LLM_CRED\"))\n",
            ),
        ]);
        assert_eq!(key_only, [(1, "KEY002".to_string())]);
    }

    #[test]
    fn a_known_name_keeps_its_own_provider_data() {
        // OPENAI_ORG_ID passed as a key is still an org variable, not a
        // key whose empty value is KEY002.
        let got = findings(&[
            (".env", "OPENAI_ORG_ID=\n"),
            (
                "app.py",
                "import os\nfrom openai import OpenAI\n\nc = OpenAI(api_key=os.environ[\"OPENAI_ORG_ID\"])\n",
            ),
        ]);
        assert!(!got.iter().any(|(_, code)| code == "KEY002"), "{got:?}");
    }
}
