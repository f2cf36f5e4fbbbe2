//! How credlint reaches its users, checked: the rule pages in `docs/rules/`
//! (generated, and what SARIF `helpUri` and `credlint rule` point at), shell
//! completions and man pages, the GitHub Action (`action.yml`: structure,
//! and its scripts run against the real binary), the pre-commit manifests
//! and the Python packaging metadata. The wheel itself is built and run by
//! `tests/wheel.sh`.
//!
//! `CREDLINT_BLESS=1 cargo test --test dist rule_pages` rewrites the
//! generated pages.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use credlint::rule::spec;

use common::{credlint, fixture_repo};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn bless() -> bool {
    std::env::var_os("CREDLINT_BLESS").is_some_and(|v| v == "1")
}

// ---------------------------------------------------------------------------
// Rule pages and the links to them

/// Every generated file under `docs/rules/`: `CODE.md` per rule and the
/// index `README.md`.
fn rule_pages() -> BTreeMap<String, String> {
    let rules = credlint::rule::builtin();
    let mut pages: BTreeMap<String, String> = rules
        .iter()
        .map(|r| (spec::doc_path(&r.code), spec::doc_page(r)))
        .collect();
    pages.insert("docs/rules/README.md".into(), spec::doc_index(rules));
    pages
}

#[test]
fn rule_pages_are_generated_from_the_rule_files() {
    let pages = rule_pages();
    let dir = root().join("docs/rules");
    if bless() {
        fs::create_dir_all(&dir).expect("mkdir docs/rules");
        for e in fs::read_dir(&dir).expect("docs/rules").flatten() {
            fs::remove_file(e.path()).expect("remove a stale page");
        }
        for (rel, text) in &pages {
            fs::write(root().join(rel), text).expect("write page");
        }
    }
    let on_disk: BTreeSet<String> = fs::read_dir(&dir)
        .expect("docs/rules/ (CREDLINT_BLESS=1 cargo test --test dist rule_pages makes it)")
        .flatten()
        .map(|e| format!("docs/rules/{}", e.file_name().to_string_lossy()))
        .collect();
    let wanted: BTreeSet<String> = pages.keys().cloned().collect();
    assert_eq!(
        on_disk, wanted,
        "docs/rules/ has other pages than the rules: regenerate with CREDLINT_BLESS=1 cargo test --test dist rule_pages"
    );
    for (rel, text) in &pages {
        assert!(
            read(rel) == *text,
            "{rel} is stale: regenerate it with CREDLINT_BLESS=1 cargo test --test dist rule_pages"
        );
    }
}

#[test]
fn a_rule_page_has_every_section_of_its_rule_file() {
    let rules = credlint::rule::builtin();
    let r = rules.get("ORG001").expect("ORG001");
    let page = spec::doc_page(r);
    assert!(
        page.contains("# ORG001: hardcoded-organization-id\n"),
        "{page}"
    );
    assert!(page.contains("Default severity: **error**"));
    for (title, body) in spec::doc_sections(&r.docs) {
        assert!(page.contains(&format!("\n## {title}\n\n{}\n", body.trim())));
    }
    assert!(page.contains("[`rules/ORG001.toml`](../../rules/ORG001.toml)"));
    let index = spec::doc_index(rules);
    assert_eq!(
        index.lines().filter(|l| l.starts_with("| [")).count(),
        rules.iter().count()
    );
}

#[test]
fn the_repository_url_is_set_once_and_pages_are_under_it() {
    assert_eq!(spec::REPOSITORY, "https://github.com/credlint/credlint");
    assert_eq!(
        spec::doc_url("KEY001"),
        "https://github.com/credlint/credlint/blob/main/docs/rules/KEY001.md"
    );
    assert_eq!(
        spec::doc_url_in("https://example.invalid/x/", "ENV002"),
        "https://example.invalid/x/blob/main/docs/rules/ENV002.md"
    );
}

/// The file in this repository that a URL of the repository's main branch
/// names, if it is one.
fn file_of(url: &str) -> Option<PathBuf> {
    let rel = url.strip_prefix(&format!("{}/blob/main/", spec::REPOSITORY))?;
    Some(root().join(rel))
}

#[test]
fn every_sarif_rule_has_a_help_uri_to_a_page_that_exists() {
    let repo = fixture_repo("python-app");
    let out = credlint()
        .current_dir(repo.path())
        .args(["check", "--format", "sarif"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["informationUri"], spec::REPOSITORY);
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), credlint::rule::builtin().iter().count());
    for r in rules {
        let code = r["id"].as_str().expect("id");
        let uri = r["helpUri"]
            .as_str()
            .unwrap_or_else(|| panic!("{code}: no helpUri"));
        assert_eq!(uri, spec::doc_url(code));
        let file = file_of(uri).unwrap_or_else(|| panic!("{uri} is not in the repository"));
        assert!(file.is_file(), "{code}: {uri} names no file");
    }
}

#[test]
fn credlint_rule_ends_with_the_page_url() {
    let out = credlint().args(["rule", "pair003"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let last = text.lines().last().expect("a line");
    let url = spec::doc_url("PAIR003");
    assert_eq!(last, format!("Documentation: {url}"));
    assert!(file_of(&url).expect("in the repository").is_file());
}
