//! Snapshots of whole-repository output (pretty and JSON) and of the facts
//! the extractors emit for the fixture files, so that a change in parsing or
//! rendering shows up as a readable diff.

mod common;

use std::fs;

use credlint::check::{CheckOptions, check};
use credlint::provider::Providers;
use credlint::report::{self, Format, Report};
use credlint::source::Source;
use credlint::walk::{self, WalkOptions};

use common::{fixture_repo, fixtures_dir};

fn render(fixture: &str, format: Format) -> String {
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
    let r = Report {
        rules: credlint::rule::builtin(),
        providers: credlint::provider::Providers::builtin(),
        findings: &outcome.findings,
        summary: &outcome.summary,
        sources: &outcome.sources,
        color: false,
    };
    let mut out = Vec::new();
    report::render(format, &r, &mut out).expect("render");
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn pretty_and_json_output_of_each_fixture() {
    for fixture in [
        "python-app",
        "env-mistakes",
        "leaky-node",
        "clean-app",
        "configs",
    ] {
        insta::assert_snapshot!(format!("{fixture}-pretty"), render(fixture, Format::Pretty));
        insta::assert_snapshot!(format!("{fixture}-json"), render(fixture, Format::Json));
    }
}

#[test]
fn env_extractor_facts_of_each_fixture_env_file() {
    let providers = Providers::builtin();
    let mut out = String::new();
    let mut files: Vec<_> = Vec::new();
    let mut stack = vec![fixtures_dir()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if walk::env_kind(&e.file_name().to_string_lossy()).is_some() {
                files.push(p);
            }
        }
    }
    files.sort();
    for p in files {
        let rel = p.strip_prefix(fixtures_dir()).expect("under fixtures");
        let name = rel.to_string_lossy().replace('\\', "/");
        let class = walk::classify(&p, &name, true, true);
        let source = Source::decode(&fs::read(&p).expect("read"));
        let hits = providers.prefilter().scan(source.text().as_bytes());
        let facts = credlint::extract::extract(&class, &p, &source, hits, providers);
        out.push_str(&format!("== {name}\n{}", facts.render(&source, providers)));
    }
    insta::assert_snapshot!("env-facts", out);
}
