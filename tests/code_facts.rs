//! Snapshots of what the code extractor learns from each `fixtures/code-*`
//! fixture (one line per fact, `FileFacts::render`), and of the findings a
//! check of the fixture reports (with their help lines, which name the fix
//! in the file's own language). A change in a grammar, in the client
//! tables or in value classification shows up here as a readable diff.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use credlint::check::{CheckOptions, check};
use credlint::provider::Providers;
use credlint::source::Source;
use credlint::walk::{self, WalkOptions};

use common::{fixture_repo, fixtures_dir};

fn files(dir: &Path) -> Vec<PathBuf> {
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

fn facts(fixture: &str) -> String {
    let providers = Providers::builtin();
    let root = fixtures_dir().join(fixture);
    let mut out = String::new();
    for p in files(&root) {
        let rel = p.strip_prefix(&root).expect("under the fixture");
        let name = rel.to_string_lossy().replace('\\', "/");
        let class = walk::classify(&p, &name, true, true);
        if !matches!(
            class.kind,
            walk::FileKind::Code(_) | walk::FileKind::Notebook
        ) {
            continue;
        }
        let source = Source::decode(&fs::read(&p).expect("read"));
        let hits = providers.prefilter().scan(source.text().as_bytes());
        let facts = credlint::extract::extract(&class, &p, &source, hits, providers);
        out.push_str(&format!("== {name}\n{}", facts.render(&source, providers)));
    }
    out
}

fn findings(fixture: &str) -> String {
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
            format!(
                "{}:{}:{} {} {}\n    help: {}\n",
                f.path, f.start.line, f.start.column, f.code, f.message, f.help
            )
        })
        .collect()
}

/// Every `fixtures/code-*` folder.
fn code_fixtures() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(fixtures_dir())
        .expect("fixtures/")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("code-"))
        .collect();
    names.sort();
    names
}

#[test]
fn facts_and_findings_of_each_code_fixture() {
    let names = code_fixtures();
    assert!(!names.is_empty());
    for name in names {
        let facts = facts(&name);
        assert!(facts.contains("client "), "{name}: no client found");
        insta::assert_snapshot!(format!("{name}-facts"), facts);
        insta::assert_snapshot!(format!("{name}-findings"), findings(&name));
    }
}
