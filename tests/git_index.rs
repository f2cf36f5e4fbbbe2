//! The git index decides what is committed (SPEC §1): a tracked file is
//! committed even when an ignore file lists it, an untracked ignored one is
//! local. End to end on temporary git repositories (no user or system git
//! configuration, nothing inherited from a hook).

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use common::git::need_git;
use serde_json::Value;

fn git(dir: &Path, args: &[&str]) {
    common::git::run(dir, &[], args);
}

/// A git work tree with `files` written (not added).
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    git(dir.path(), &["init", "-q"]);
    write(dir.path(), files);
    dir
}

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = root.join(path);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(&p, text).expect("write");
    }
}

fn commit(dir: &Path) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "change"]);
}

/// `credlint check --format json ARGS` in `dir`: exit code and document.
fn check(dir: &Path, args: &[&str]) -> (i32, Value) {
    check_env(dir, args, None)
}

fn check_env(dir: &Path, args: &[&str], path_var: Option<&Path>) -> (i32, Value) {
    let mut cmd = Command::cargo_bin("credlint").expect("binary");
    cmd.env("CREDLINT_NO_CACHE", "1");
    cmd.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .env("NO_COLOR", "1")
        .args(["check", "--format", "json"])
        .args(args);
    if let Some(p) = path_var {
        cmd.env("PATH", p);
    }
    let out = cmd.output().expect("run");
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )
    });
    (out.status.code().unwrap_or(-1), doc)
}

/// `RULE path` of each finding.
fn found(doc: &Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap_or("?"),
                f["path"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

fn finding<'a>(doc: &'a Value, rule: &str, path: &str) -> &'a Value {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == rule && f["path"] == path)
        .unwrap_or_else(|| panic!("no {rule} at {path}: {:?}", found(doc)))
}

/// Random characters (a fresh body per call: no key of these tests exists
/// anywhere else).
fn random(n: usize) -> String {
    use std::hash::{BuildHasher, Hasher};
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let state = std::collections::hash_map::RandomState::new();
    (0..n)
        .map(|i| {
            let mut h = state.build_hasher();
            h.write_usize(i);
            ALNUM[(h.finish() % ALNUM.len() as u64) as usize] as char
        })
        .collect()
}

/// An OpenAI project key of the real shape with a random body.
fn fake_key() -> String {
    format!(
        "{}{}{}{}",
        concat!("sk-", "proj-"),
        random(58),
        concat!("T3Blbk", "FJ"),
        random(58)
    )
}

fn env_with(key: &str) -> String {
    format!("OPENAI_API_KEY={key}\n")
}

/// A repository whose `.env` (with a key) was committed, then listed in
/// `.gitignore`: the classic leak.
fn ignored_after_commit() -> tempfile::TempDir {
    let key = fake_key();
    let dir = repo(&[(".env", &env_with(&key)), ("app.py", "import os\n")]);
    commit(dir.path());
    write(dir.path(), &[(".gitignore", ".env\n")]);
    commit(dir.path());
    dir
}

#[test]
fn a_tracked_env_file_that_gitignore_lists_is_committed() {
    need_git!();
    let dir = ignored_after_commit();
    let (code, doc) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{:?}", found(&doc));
    let f = finding(&doc, "KEY001", ".env");
    let message = f["message"].as_str().unwrap_or_default();
    assert!(message.contains("git still tracks"), "{message}");
    let help = f["help"].as_str().unwrap_or_default();
    assert!(help.contains("git rm --cached .env"), "{help}");
    assert!(help.contains("revoke the key"), "{help}");
    // `.env`, `.gitignore` and `app.py` are counted
    assert_eq!(doc["summary"]["files_scanned"], 3, "{}", doc["summary"]);

    // Named, as pre-commit names it.
    let (code, doc) = check(dir.path(), &[".env"]);
    assert_eq!(code, 1);
    assert_eq!(found(&doc), ["KEY001 .env"]);
}

#[test]
fn a_tracked_ignored_env_file_fails_staged() {
    need_git!();
    let dir = ignored_after_commit();
    let key = fake_key();
    write(
        dir.path(),
        &[(".env", &format!("{}DEBUG=1\n", env_with(&key)))],
    );
    // Tracked, so `git add` takes it although `.gitignore` lists it.
    git(dir.path(), &["add", ".env"]);
    let (code, doc) = check(dir.path(), &["--staged"]);
    assert_eq!(code, 1, "{:?}", found(&doc));
    let f = finding(&doc, "KEY001", ".env");
    assert!(
        f["help"]
            .as_str()
            .unwrap_or_default()
            .contains("git rm --cached .env")
    );
}

#[test]
fn a_force_added_env_file_is_committed() {
    need_git!();
    let key = fake_key();
    let dir = repo(&[(".gitignore", ".env\n"), ("app.py", "import os\n")]);
    commit(dir.path());
    write(dir.path(), &[(".env", &env_with(&key))]);
    git(dir.path(), &["add", "-f", ".env"]);
    for args in [&[][..], &["--staged"], &[".env"]] {
        let (code, doc) = check(dir.path(), args);
        assert_eq!(code, 1, "{args:?}: {:?}", found(&doc));
        assert_eq!(found(&doc), ["KEY001 .env"], "{args:?}");
    }
}

#[test]
fn an_untracked_ignored_env_file_stays_local() {
    need_git!();
    let key = fake_key();
    let dir = repo(&[(".gitignore", ".env\n"), ("app.py", "import os\n")]);
    commit(dir.path());
    write(dir.path(), &[(".env", &env_with(&key))]);
    for args in [&[][..], &[".env"]] {
        let (code, doc) = check(dir.path(), args);
        assert_eq!(code, 0, "{args:?}: {:?}", found(&doc));
    }
    // Untracked again after `git rm --cached`: local again.
    let dir = ignored_after_commit();
    git(dir.path(), &["rm", "-q", "--cached", ".env"]);
    let (code, doc) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{:?}", found(&doc));
}

#[test]
fn tracked_files_in_an_ignored_folder_are_listed_and_excludes_still_win() {
    need_git!();
    let key = fake_key();
    let dir = repo(&[
        ("deploy/local/settings.yaml", &format!("api_key: {key}\n")),
        ("app.py", "import os\n"),
    ]);
    commit(dir.path());
    // Ignored after the commit, and an untracked file beside it.
    write(
        dir.path(),
        &[
            (".gitignore", "deploy/local/\n"),
            ("deploy/local/other.yaml", &format!("api_key: {key}\n")),
        ],
    );
    let (code, doc) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(found(&doc), ["KEY001 deploy/local/settings.yaml"]);
    let (code, doc) = check(dir.path(), &["--exclude", "deploy/"]);
    assert_eq!(code, 0, "{:?}", found(&doc));
}

#[test]
fn a_nested_repository_decides_for_its_own_files() {
    need_git!();
    let key = fake_key();
    let outer = repo(&[("app.py", "import os\n")]);
    commit(outer.path());
    let inner = outer.path().join("inner");
    fs::create_dir(&inner).expect("mkdir");
    git(&inner, &["init", "-q"]);
    write(&inner, &[(".env", &env_with(&key))]);
    commit(&inner);
    write(&inner, &[(".gitignore", ".env\n")]);
    commit(&inner);
    let (code, doc) = check(outer.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(found(&doc), ["KEY001 inner/.env"]);
}

#[test]
fn without_git_or_outside_a_work_tree_the_ignore_rules_decide() {
    need_git!();
    let dir = ignored_after_commit();
    // git missing from PATH: `.gitignore` alone decides (the `.env` is
    // local), and the run does not fail.
    let empty = tempfile::tempdir().expect("tmp");
    let (code, doc) = check_env(dir.path(), &[], Some(empty.path()));
    assert_eq!(code, 0, "{:?}", found(&doc));
    let (code, _) = check_env(dir.path(), &[".env"], Some(empty.path()));
    assert_eq!(code, 0);

    // A `.git` that git does not accept: the same, and never the index of
    // a repository around it.
    let outer = repo(&[("sub/.env", &env_with(&fake_key()))]);
    commit(outer.path());
    let inner = outer.path().join("sub");
    fs::create_dir_all(inner.join(".git")).expect("mkdir");
    write(&inner, &[(".gitignore", ".env\n")]);
    let (code, doc) = check(&inner, &[]);
    assert_eq!(code, 0, "{:?}", found(&doc));

    // Outside a work tree runtime env files are local.
    let plain = tempfile::tempdir().expect("tmp");
    write(plain.path(), &[(".env", &env_with(&fake_key()))]);
    let (code, doc) = check(plain.path(), &[]);
    assert_eq!(code, 0, "{:?}", found(&doc));
}

#[test]
fn named_and_staged_files_get_their_context_from_the_index() {
    need_git!();
    let dir = repo(&[
        (".gitignore", ".env\n"),
        (".env.example", "DATABASE_URL=\n"),
        ("app.py", "from openai import OpenAI\n\nclient = OpenAI()\n"),
    ]);
    commit(dir.path());
    // The repository documents its environment, and nothing defines the key
    // the client reads.
    for args in [&["app.py"][..], &["--staged"]] {
        if args == ["--staged"] {
            write(
                dir.path(),
                &[(
                    "app.py",
                    "from openai import OpenAI\n\nclient = OpenAI()\n\n",
                )],
            );
            git(dir.path(), &["add", "app.py"]);
        }
        let (_, doc) = check(dir.path(), args);
        assert_eq!(found(&doc), ["KEY005 app.py"], "{args:?}");
    }
    // The local `.env` (untracked, ignored) is listed beside the tracked
    // files, and defines it.
    write(dir.path(), &[(".env", &env_with(&fake_key()))]);
    for args in [&["app.py"][..], &["--staged"]] {
        let (code, doc) = check(dir.path(), args);
        assert_eq!(code, 0, "{args:?}: {:?}", found(&doc));
    }
}

/// The index as read in process, checked against `git ls-files`: the same
/// list, or none (left to git). `in_process`: whether the reader must
/// read this layout itself.
fn same_index(root: &Path, in_process: bool) -> bool {
    use credlint::index::Index;
    let root = fs::canonicalize(root).expect("canonical");
    let by_git = Index::read_with_git(&root).expect("git lists the index");
    let read = match Index::read_file(&root) {
        Some(read) => {
            assert_eq!(read, by_git, "{}", root.display());
            true
        }
        None => {
            assert!(!in_process, "{}: not read in process", root.display());
            false
        }
    };
    assert_eq!(Index::read(&root), Some(by_git));
    read
}

#[test]
fn the_index_read_in_process_is_the_one_git_lists() {
    need_git!();
    let dir = repo(&[
        ("a.py", "x = 1\n"),
        ("dir/b.txt", "b\n"),
        ("dir/sub/c.txt", "c\n"),
        ("dir.txt", "d\n"),
        ("dir-x/e.txt", "e\n"),
        ("ünïcödé/日本語.env", "K=v\n"),
        ("name with spaces\tand tab.txt", "t\n"),
        ("conflict.txt", "base\n"),
    ]);
    let d = dir.path();
    #[cfg(unix)]
    std::os::unix::fs::symlink("a.py", d.join("link.py")).expect("symlink");
    commit(d);
    same_index(d, true);
    // A conflicted path: one entry per stage.
    git(d, &["checkout", "-q", "-b", "other"]);
    write(d, &[("conflict.txt", "other\n")]);
    git(d, &["commit", "-q", "-am", "other"]);
    git(d, &["checkout", "-q", "-"]);
    write(d, &[("conflict.txt", "main\n")]);
    git(d, &["commit", "-q", "-am", "main"]);
    let merge = common::git::isolate(&mut std::process::Command::new("git"))
        .current_dir(d)
        .args([
            "-c",
            "user.name=c",
            "-c",
            "user.email=c@e",
            "merge",
            "-q",
            "other",
        ])
        .output()
        .expect("git");
    assert!(!merge.status.success(), "the merge conflicts");
    // A submodule's entry, and a path longer than the 12 bits of an
    // entry's name length.
    let head = common::git::run(d, &[], &["rev-parse", "HEAD"]);
    git(
        d,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{head},sub"),
        ],
    );
    let blob = common::git::run(d, &[], &["rev-parse", "HEAD:a.py"]);
    let long = vec!["x".repeat(200); 22].join("/");
    git(
        d,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("100644,{blob},{long}"),
        ],
    );
    same_index(d, true);
    // Version 3 (extended flags: intent to add, skip-worktree), version 4
    // (prefix-compressed paths), and back to 2.
    write(d, &[("new.txt", "n\n")]);
    git(d, &["add", "-N", "new.txt"]);
    git(d, &["update-index", "--skip-worktree", "dir/b.txt"]);
    same_index(d, true);
    for version in ["3", "4", "2"] {
        git(d, &["update-index", "--index-version", version]);
        same_index(d, version != "2");
    }
    git(d, &["update-index", "--index-version", "4"]);
    git(d, &["update-index", "--no-skip-worktree", "dir/b.txt"]);
    same_index(d, true);
    // A split index: left to git.
    git(d, &["update-index", "--split-index"]);
    same_index(d, false);
    assert!(credlint::index::Index::read_file(d).is_none());
    git(d, &["update-index", "--no-split-index"]);
    same_index(d, true);
}

#[test]
fn a_damaged_index_is_left_to_git() {
    need_git!();
    let dir = repo(&[("a.py", "x = 1\n"), ("b/c.py", "y = 2\n")]);
    let d = dir.path();
    commit(d);
    same_index(d, true);
    let file = d.join(".git/index");
    let good = fs::read(&file).expect("index");
    let mut version = good.clone();
    version[7] = 9;
    let mut count = good.clone();
    count[11] += 1;
    for bad in [good[..good.len() - 25].to_vec(), version, count] {
        fs::write(&file, &bad).expect("write");
        let root = fs::canonicalize(d).expect("canonical");
        assert!(credlint::index::Index::read_file(&root).is_none());
    }
}

/// Every repository of the real corpora, read in process and by git
/// (run by hand: `CREDLINT_CORPUS=~/.cache/credlint-corpus:~/.cache/credlint-apps
/// cargo test --release --test git_index -- --ignored`).
#[test]
#[ignore]
fn the_index_read_in_process_is_the_one_git_lists_on_the_real_corpora() {
    let Some(roots) = std::env::var_os("CREDLINT_CORPUS") else {
        eprintln!("CREDLINT_CORPUS is not set: nothing to compare");
        return;
    };
    let (mut read, mut in_process) = (0, 0);
    for root in std::env::split_paths(&roots) {
        let Ok(dirs) = fs::read_dir(&root) else {
            continue;
        };
        for d in dirs.flatten() {
            if d.path().join(".git").exists() {
                in_process += usize::from(same_index(&d.path(), false));
                read += 1;
            }
        }
    }
    eprintln!("{read} repositories compared, {in_process} read in process");
    assert!(read == 0 || in_process > 0);
}
