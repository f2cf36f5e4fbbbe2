//! Files named on the command line (what pre-commit passes) get exactly the
//! findings, related locations and fixes that a check of their whole
//! repository gives them, whether or not the rest of the repository had to
//! be read: every file of every fixture repository, named alone.

mod common;

use std::path::{Path, PathBuf};

use credlint::finding::Finding;

fn run(root: &Path, paths: Vec<PathBuf>) -> Option<Vec<Finding>> {
    // A named file that cannot be scanned (binary) is an error, by design.
    common::check_in(root, paths, Vec::new())
        .ok()
        .map(|o| o.findings)
}

fn files(dir: &Path, root: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.file_name().is_some_and(|n| n == ".git") {
            continue;
        }
        if p.is_dir() {
            files(&p, root, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn each_fixture_file_named_alone_gets_its_findings_of_a_full_check() {
    let mut checked = 0;
    let mut with_findings = 0;
    for e in std::fs::read_dir(common::fixtures_dir())
        .expect("fixtures")
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        let repo = common::fixture_repo(&name);
        let root = repo.path();
        let whole = run(root, vec![root.to_path_buf()]).expect("check runs");
        let mut list = Vec::new();
        files(root, root, &mut list);
        for rel in list {
            let want: Vec<String> = whole
                .iter()
                .filter(|f| f.path == rel)
                .map(common::describe)
                .collect();
            let Some(alone) = run(root, vec![root.join(&rel)]) else {
                continue;
            };
            let got: Vec<String> = alone.iter().map(common::describe).collect();
            assert_eq!(got, want, "{name}/{rel} named alone");
            checked += 1;
            with_findings += usize::from(!want.is_empty());
        }
    }
    assert!(
        checked > 50 && with_findings > 20,
        "{checked} files, {with_findings} with findings"
    );
}
