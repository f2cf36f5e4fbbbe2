//! The config extractors end to end on the `configs` fixture: a snapshot of
//! the facts each file yields (one line per fact, with positions; keys
//! redacted), and the exact positions of findings in a multi-document
//! manifest and in a CRLF file.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use credlint::check::{CheckOptions, check};
use credlint::provider::Providers;
use credlint::source::Source;
use credlint::walk::{self, WalkOptions};

use common::{fixture_repo, fixtures_dir};

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn config_extractor_facts_of_each_fixture_file() {
    let providers = Providers::builtin();
    let root = fixtures_dir().join("configs");
    let mut out = String::new();
    for p in files_under(&root) {
        let rel = p
            .strip_prefix(&root)
            .expect("under the fixture")
            .to_string_lossy()
            .replace('\\', "/");
        let class = walk::classify(&p, &rel, true, true);
        // Env files have their own snapshot; `_gitignore` is not scanned.
        if class.is_env() || rel == "_gitignore" {
            continue;
        }
        let source = Source::decode(&fs::read(&p).expect("read"));
        let hits = providers.prefilter().scan(source.text().as_bytes());
        let facts = credlint::extract::extract(&class, &p, &source, hits, providers);
        out.push_str(&format!(
            "== {rel} ({:?}{})\n{}",
            class.kind,
            if class.template { ", template" } else { "" },
            facts.render(&source, providers)
        ));
    }
    insta::assert_snapshot!("config-facts", out);
}

/// Findings as `path:line:col CODE` and the text each one points at.
fn findings(fixture: &str) -> Vec<(String, String)> {
    let repo = fixture_repo(fixture);
    let opts = CheckOptions {
        paths: vec![repo.path().to_path_buf()],
        walk: WalkOptions {
            base: Some(repo.path().to_path_buf()),
            threads: 2,
            ..WalkOptions::default()
        },
        ..CheckOptions::default()
    };
    let outcome = check(&opts).expect("check");
    outcome
        .findings
        .iter()
        .map(|f| {
            let text = fs::read_to_string(repo.path().join(&f.path)).expect("read");
            let at = text.get(f.span.start..f.span.end).unwrap_or("").to_string();
            (
                format!("{}:{}:{} {}", f.path, f.start.line, f.start.column, f.code),
                at,
            )
        })
        .collect()
}

#[test]
fn findings_point_at_the_value_in_multi_document_and_crlf_files() {
    let got = findings("configs");
    let bytes = fs::read(fixtures_dir().join("configs/k8s/secret.yaml")).expect("read");
    assert!(
        bytes.windows(2).any(|w| w == b"\r\n"),
        "the Secret fixture must keep its CRLF line endings"
    );
    for (want, text) in [
        // Second document of k8s/deployment.yaml.
        (
            "k8s/deployment.yaml:29:23 ORG001",
            "org-tktnaFEgsehcIYEu6tDhANiX",
        ),
        ("k8s/deployment.yaml:31:23 KEY002", ""),
        (
            "k8s/deployment.yaml:32:21 ENV003",
            "OPENAI_ORG_ID\n              value: $(ORG)",
        ),
        // CRLF: columns and lines count characters, not `\r`.
        ("k8s/secret.yaml:7:22 ORG005", "proj-not-an-id"),
        (
            "k8s/secret.yaml:10:19 KEY004",
            "c2stbDltSEpzVG5LODljcUdqb0V3elNUM0JsYmtGSmZwQVVOVWx1VGROdVd3aE1RRUc0Cg==",
        ),
        (
            "k8s/secret.yaml:10:19 KEY001",
            "c2stbDltSEpzVG5LODljcUdqb0V3elNUM0JsYmtGSmZwQVVOVWx1VGROdVd3aE1RRUc0Cg==",
        ),
    ] {
        assert!(
            got.iter().any(|(at, t)| at == want && t == text),
            "missing {want} at {text:?}; got {got:#?}"
        );
    }
}

#[test]
fn no_finding_in_translation_files_helm_values_or_references() {
    let got = findings("configs");
    for path in [
        "web/locales/en.json",
        "charts/app/values.yaml",
        ".github/workflows/ci.yml:4:",
        "docker-compose.yml:11:",
        "docker-compose.yml:15:",
        "docker-compose.yml:16:",
        "docker-compose.yml:17:",
        "litellm/config.yaml:5:",
        "litellm/config.yaml:14:",
        "librechat.yaml:8:",
        "spring/src/main/resources/application.yml:4:",
        "Dockerfile:4:",
    ] {
        let hits: Vec<&String> = got
            .iter()
            .map(|(at, _)| at)
            .filter(|at| at.starts_with(path))
            .collect();
        assert!(hits.is_empty(), "{path}: {hits:?}");
    }
}

/// Config keys name provider variables whatever their case: a lowercase
/// `co_api_key` is Cohere's `CO_API_KEY` (its keys have no prefix, so they
/// are found only as such a setting's value).
#[test]
fn lowercase_config_keys_name_provider_variables() {
    let providers = Providers::builtin();
    let key: String = (0..40u32)
        .map(|i| char::from(b"aZ3kQ9mX"[(i * 7 % 8) as usize]))
        .collect();
    for (file, text) in [
        ("settings.yaml", format!("co_api_key: \"{key}\"\n")),
        ("settings.toml", format!("co_api_key = \"{key}\"\n")),
        ("settings.json", format!("{{\"co_api_key\": \"{key}\"}}\n")),
    ] {
        let path = Path::new(file);
        let class = walk::classify(path, file, true, true);
        let source = Source::new(text.clone());
        let hits = providers.prefilter().scan(text.as_bytes());
        let facts = credlint::extract::extract(&class, path, &source, hits, providers);
        let cohere = providers.by_name("cohere").expect("cohere");
        let settings: Vec<_> = facts
            .settings
            .iter()
            .map(|s| (s.provider, s.slot, s.name.as_str()))
            .collect();
        assert_eq!(
            settings,
            [(cohere, credlint::fact::Slot::Key, "co_api_key")],
            "{file}"
        );
        let at = text.find(&key).expect("key");
        assert!(
            facts.literals.iter().any(|l| l.span.start == at
                && matches!(l.kind, credlint::fact::LiteralKind::Key { provider, .. } if provider == cohere)),
            "{file}: no key literal"
        );
    }
}
