//! Runs every example of every rule (`rules/*.toml`): each positive example
//! must produce exactly the findings of that rule it lists, each negative
//! example none. The examples are small repositories written to a temporary
//! folder and checked end to end.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

mod common;

use credlint::rule::{self, spec::Example};

/// An example's files in a temporary folder.
fn write_example(example: &Example) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    if example.git {
        fs::create_dir(root.join(".git")).expect("mkdir .git");
    }
    for (path, text) in &example.files {
        let p = root.join(path);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(&p, text).expect("write example file");
    }
    dir
}

fn run_example(example: &Example) -> Vec<credlint::finding::Finding> {
    let dir = write_example(example);
    let root = dir.path();
    let paths = if example.args.is_empty() {
        vec![root.to_path_buf()]
    } else {
        example.args.iter().map(|a| root.join(a)).collect()
    };
    if example.verify {
        let mock = common::mock::Mock::start();
        return common::check_with(root, paths, Vec::new(), Some(&mock.root))
            .expect("check runs")
            .findings;
    }
    check_paths(root, paths)
}

fn check_paths(root: &Path, paths: Vec<std::path::PathBuf>) -> Vec<credlint::finding::Finding> {
    // An example's credlint.toml declares pairs, as the CLI would read it.
    let config_path = root.join("credlint.toml");
    let pairs = if config_path.is_file() {
        credlint::config::load(
            &config_path,
            "credlint.toml",
            credlint::rule::builtin(),
            credlint::provider::Providers::builtin(),
        )
        .unwrap_or_else(|e| panic!("example credlint.toml: {e}"))
        .pairs
    } else {
        Vec::new()
    };
    common::check_in(root, paths, pairs)
        .expect("check runs")
        .findings
}

/// Naming files (what pre-commit does) reads the rest of the repository
/// only when the named files need it; either way each named file gets
/// exactly the findings a check of the whole repository gives it.
#[test]
fn each_file_named_alone_gets_the_findings_of_a_full_check() {
    let mut failures = Vec::new();
    let mut count = 0;
    for r in rule::builtin().iter() {
        for e in r.examples.iter().chain(&r.negative_examples) {
            if !e.git || !e.args.is_empty() {
                continue;
            }
            let dir = write_example(e);
            let root = dir.path();
            let whole = check_paths(root, vec![root.to_path_buf()]);
            for path in e.files.keys() {
                if !root.join(path).is_file() {
                    continue;
                }
                count += 1;
                let alone: Vec<String> = check_paths(root, vec![root.join(path)])
                    .iter()
                    .map(common::describe)
                    .collect();
                let want: Vec<String> = whole
                    .iter()
                    .filter(|f| &f.path == path)
                    .map(common::describe)
                    .collect();
                if alone != want {
                    failures.push(format!(
                        "{} {:?}, {path} named alone:\n  got  {alone:#?}\n  want {want:#?}",
                        r.code, e.description
                    ));
                }
            }
        }
    }
    assert!(count > 100, "{count} files");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn at(f: &credlint::finding::Finding) -> String {
    format!("{}:{}:{}", f.path, f.start.line, f.start.column)
}

#[test]
fn every_rule_example() {
    let mut failures = Vec::new();
    let mut count = 0;
    // `--verify` examples ask the mock provider: a build without the
    // `verify` feature cannot run them.
    let runnable = |e: &&Example| !e.verify || cfg!(feature = "verify");
    for r in rule::builtin().iter() {
        for e in r.examples.iter().filter(runnable) {
            count += 1;
            let findings = run_example(e);
            let got: BTreeSet<String> = findings
                .iter()
                .filter(|f| f.code == r.code)
                .map(at)
                .collect();
            let want: BTreeSet<String> = e.expect.iter().cloned().collect();
            if got != want {
                let all: Vec<String> = findings
                    .iter()
                    .map(|f| format!("{} {} {}", at(f), f.code, f.message))
                    .collect();
                failures.push(format!(
                    "{} example {:?}: expected {want:?}, got {got:?}\n    all findings: {all:#?}",
                    r.code, e.description
                ));
            }
        }
        for e in r.negative_examples.iter().filter(runnable) {
            count += 1;
            let findings = run_example(e);
            let got: Vec<String> = findings
                .iter()
                .filter(|f| f.code == r.code)
                .map(|f| format!("{} {}", at(f), f.message))
                .collect();
            if !got.is_empty() {
                failures.push(format!(
                    "{} negative example {:?} fired: {got:?}",
                    r.code, e.description
                ));
            }
        }
    }
    assert!(count > 0);
    assert!(
        failures.is_empty(),
        "{} of {count} examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_logic_and_every_logic_has_a_rule() {
    let data: BTreeSet<String> = rule::builtin().iter().map(|r| r.code.clone()).collect();
    let logic: BTreeSet<String> = rule::all().iter().map(|r| r.code().to_string()).collect();
    assert_eq!(data, logic);
    let files: BTreeSet<String> = fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
        .expect("rules/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".toml").map(str::to_string))
        .collect();
    assert_eq!(files, data, "every rules/*.toml is a loaded rule");
}
