//! Shared test helpers: fixture repositories copied to a temporary folder.
//!
//! Fixture folders cannot hold a `.git` folder or an active `.gitignore`
//! (they would change this repository's own git behaviour), so a fixture's
//! `_gitignore` becomes `.gitignore` in the copy, and the copy is made a git
//! work tree with an empty `.git` folder.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("read fixture dir") {
        let e = e.expect("dir entry");
        let name = e.file_name().to_string_lossy().into_owned();
        let target_name = if name == "_gitignore" {
            ".gitignore".to_string()
        } else {
            name
        };
        let target = to.join(target_name);
        if e.file_type().expect("file type").is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).expect("copy fixture file");
        }
    }
}

/// A copy of `fixtures/NAME` as a git work tree.
pub fn fixture_repo(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&fixtures_dir().join(name), dir.path());
    fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
    dir
}

/// Every fixture key literal (anything that looks like a key) in the fixture files.
pub fn fixture_keys() -> Vec<String> {
    let re = regex::Regex::new(
        r"(?:sk-(?:proj-|svcacct-|ant-api03-|or-v1-)?[A-Za-z0-9_-]{20,}|gsk_[A-Za-z0-9]{52}|AIza[A-Za-z0-9_-]{35})",
    )
    .expect("regex");
    let mut keys = Vec::new();
    let mut stack = vec![fixtures_dir()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(text) = fs::read_to_string(&p) {
                keys.extend(re.find_iter(&text).map(|m| m.as_str().to_string()));
            }
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// A temporary repository made of `(path, text)` files, with an empty
/// `.git` folder (enough for ignore rules and "committed").
pub fn repo_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
    write_files(dir.path(), files);
    dir
}

/// Write `(path, text)` files under `root`, creating folders.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = root.join(path);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(&p, text).expect("write file");
    }
}

/// `credlint` with colour off and no git variables from an outer hook (a
/// test run from inside a git hook must not see the outer repository).
pub fn credlint() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("credlint").expect("binary");
    c.env("CREDLINT_NO_CACHE", "1");
    c.env("NO_COLOR", "1");
    for v in ["GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE"] {
        c.env_remove(v);
    }
    c
}

/// Run `credlint check --format json ARGS` in `dir`: exit code, document,
/// stderr.
pub fn check_json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = credlint()
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}); stderr: {stderr}"));
    (out.status.code().unwrap_or(-1), doc, stderr)
}

/// `RULE path:line` of each finding, in report order.
pub fn found(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f["rule"].as_str().unwrap_or("?"),
                f["path"].as_str().unwrap_or("?"),
                f["line"]
            )
        })
        .collect()
}

/// Check `paths` inside the repository at `root` through the library, as
/// the CLI would from `root`, with `[[pair]]` declarations `pairs`.
pub fn check_in(
    root: &Path,
    paths: Vec<PathBuf>,
    pairs: Vec<credlint::config::PairDecl>,
) -> Result<credlint::check::Outcome, credlint::check::CheckError> {
    check_with(root, paths, pairs, None)
}

/// [`check_in`], verifying keys with every request sent to `api_base`
/// (`--verify --api-base URL`) when it is given.
pub fn check_with(
    root: &Path,
    paths: Vec<PathBuf>,
    pairs: Vec<credlint::config::PairDecl>,
    api_base: Option<&str>,
) -> Result<credlint::check::Outcome, credlint::check::CheckError> {
    let opts = credlint::check::CheckOptions {
        verify: api_base.map(|url| credlint::check::VerifyOptions {
            api_base: vec![credlint::verify::ApiBase::parse(url).expect("api base")],
            timeout: std::time::Duration::from_secs(5),
        }),
        paths,
        walk: credlint::walk::WalkOptions {
            base: Some(root.to_path_buf()),
            threads: 2,
            ..credlint::walk::WalkOptions::default()
        },
        pairs,
        pairs_root: Some(root.to_path_buf()),
        ..credlint::check::CheckOptions::default()
    };
    credlint::check::check(&opts)
}

/// A finding with everything that could depend on other files: position,
/// code, message, related locations, and its fix's description and files.
pub fn describe(f: &credlint::finding::Finding) -> String {
    let related: Vec<String> = f
        .related
        .iter()
        .map(|r| format!("{} {}", r.path, r.message))
        .collect();
    let fix = f.fix.as_ref().map(|x| {
        let files: Vec<&String> = x.edits.iter().map(|e| &e.path).collect();
        (&x.description, files)
    });
    format!(
        "{}:{}:{} {} {} {related:?} {fix:?}",
        f.path, f.start.line, f.start.column, f.code, f.message
    )
}
pub mod git;
pub mod mock;
