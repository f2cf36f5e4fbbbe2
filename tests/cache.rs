//! The fact cache never changes a result: on every fixture, a run without
//! the cache, a cold run that fills it and a warm run that reads it print
//! the same report; so do runs over a damaged cache file, after a file is
//! edited behind the cache's back, and with a cache folder that cannot be
//! written.
//!
//! The other tests run credlint with `CREDLINT_NO_CACHE=1` (so that none
//! leaves a cache folder behind); these turn it on with a temporary folder.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{fixture_repo, fixtures_dir};

/// `credlint check --format json ARGS` in `dir` with the cache in
/// `cache` (`None`: `--no-cache`): exit code and stdout.
fn run(dir: &Path, cache: Option<&Path>, args: &[&str]) -> (i32, String) {
    let mut c = common::credlint();
    c.env_remove("CREDLINT_NO_CACHE")
        .env_remove("CREDLINT_CACHE_DIR")
        .current_dir(dir)
        .args(["check", "--isolated", "--format", "json"]);
    match cache {
        Some(d) => c.arg("--cache-dir").arg(d),
        None => c.arg("--no-cache"),
    };
    let out = c.args(args).output().expect("run");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The cache files in `dir`.
fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "bin"));
    v
}

fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(fixtures_dir())
        .expect("fixtures")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every file of a tree (not `.git`), relative to it.
fn files_of(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if e.file_name() == ".git" {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(root) {
                out.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn findings_are_the_same_without_the_cache_cold_and_warm_on_every_fixture() {
    for name in fixtures() {
        let repo = fixture_repo(&name);
        let cache = tempfile::tempdir().expect("tmp");
        let none = run(repo.path(), None, &[]);
        let cold = run(repo.path(), Some(cache.path()), &[]);
        assert_eq!(cache_files(cache.path()).len(), 1, "{name}: cache written");
        let warm = run(repo.path(), Some(cache.path()), &[]);
        assert_eq!(none, cold, "{name}: cold run differs");
        assert_eq!(none, warm, "{name}: warm run differs");
        // Each file named alone (as pre-commit passes them), with the rest
        // of the repository as context from the cache.
        for file in files_of(repo.path()) {
            let none = run(repo.path(), None, &[&file]);
            let warm = run(repo.path(), Some(cache.path()), &[&file]);
            assert_eq!(none, warm, "{name}: {file} named alone differs");
        }
    }
}

#[test]
fn the_default_cache_sits_at_the_repository_root_and_ignores_itself() {
    let repo = fixture_repo("python-app");
    let mut c = common::credlint();
    let out = c
        .env_remove("CREDLINT_NO_CACHE")
        .env_remove("CREDLINT_CACHE_DIR")
        .current_dir(repo.path().join("app").parent().expect("dir"))
        .args(["check", "--isolated", "--format", "json", "."])
        .output()
        .expect("run");
    let first = String::from_utf8_lossy(&out.stdout).into_owned();
    let dir = repo.path().join(".credlint_cache");
    assert_eq!(cache_files(&dir).len(), 1);
    assert!(
        fs::read_to_string(dir.join(".gitignore"))
            .expect("gitignore")
            .lines()
            .any(|l| l == "*")
    );
    assert!(dir.join("CACHEDIR.TAG").exists());
    // The cache folder is not scanned: the warm run counts the same files.
    let out = common::credlint()
        .env_remove("CREDLINT_NO_CACHE")
        .env_remove("CREDLINT_CACHE_DIR")
        .current_dir(repo.path())
        .args(["check", "--isolated", "--format", "json", "."])
        .output()
        .expect("run");
    assert_eq!(first, String::from_utf8_lossy(&out.stdout));
    // `--no-cache` neither reads nor writes it.
    fs::remove_dir_all(&dir).expect("rm");
    let none = run(repo.path(), None, &["."]);
    assert_eq!(none.1, first);
    assert!(!dir.exists());
}

#[test]
fn a_damaged_cache_file_is_ignored_and_rebuilt() {
    let repo = fixture_repo("env-mistakes");
    let cache = tempfile::tempdir().expect("tmp");
    let expected = run(repo.path(), None, &[]);
    assert_eq!(run(repo.path(), Some(cache.path()), &[]), expected);
    let file = cache_files(cache.path()).pop().expect("cache file");
    let good = fs::read(&file).expect("read");
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    let mut schema = good.clone();
    schema[8] = schema[8].wrapping_add(1);
    let random: Vec<u8> = (0..good.len() as u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for (what, bad) in [
        ("truncated", good[..good.len() / 3].to_vec()),
        ("empty", Vec::new()),
        ("a flipped byte", flipped),
        ("random bytes", random),
        ("another schema", schema),
    ] {
        fs::write(&file, &bad).expect("write");
        assert_eq!(
            run(repo.path(), Some(cache.path()), &[]),
            expected,
            "{what}"
        );
        // Rebuilt: the next run reads a good file again.
        assert_ne!(fs::read(&file).expect("read"), bad, "{what}: not rebuilt");
        assert_eq!(
            run(repo.path(), Some(cache.path()), &[]),
            expected,
            "{what}"
        );
    }
}

#[test]
fn a_file_edited_with_the_same_size_and_mtime_is_scanned_again() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::create_dir(dir.path().join(".git")).expect("git");
    let path = dir.path().join("settings.py");
    let key = format!("A = '{}'\n", concat!("org-", "YgojjHRg80USP2W5DfJXcaYi"));
    let clean = format!("A = '{}'\n", "x".repeat(28));
    assert_eq!(clean.len(), key.len());
    fs::write(&path, &clean).expect("write");
    let cache = tempfile::tempdir().expect("tmp");
    let first = run(dir.path(), Some(cache.path()), &[]);
    assert_eq!(first, run(dir.path(), None, &[]));
    let mtime = fs::metadata(&path)
        .expect("meta")
        .modified()
        .expect("mtime");
    // Same size, same mtime: only the content differs.
    fs::write(&path, &key).expect("write");
    fs::File::options()
        .write(true)
        .open(&path)
        .expect("open")
        .set_modified(mtime)
        .expect("set mtime");
    assert_eq!(
        fs::metadata(&path).expect("meta").len() as usize,
        clean.len()
    );
    let after = run(dir.path(), Some(cache.path()), &[]);
    let expected = run(dir.path(), None, &[]);
    assert_ne!(expected, first, "the edit adds a finding");
    assert_eq!(after, expected);
    // And back.
    fs::write(&path, &clean).expect("write");
    assert_eq!(run(dir.path(), Some(cache.path()), &[]), first);
}

#[test]
fn a_cache_folder_that_cannot_be_written_is_a_run_without_cache() {
    let repo = fixture_repo("leaky-node");
    let expected = run(repo.path(), None, &[]);
    // A regular file where the folder should be.
    let blocked = tempfile::NamedTempFile::new().expect("tmp");
    assert_eq!(run(repo.path(), Some(blocked.path()), &[]), expected);
    assert_eq!(run(repo.path(), Some(blocked.path()), &[]), expected);
}

/// The same on the real corpora (slow; run by `bench/run.sh llm` and by
/// hand): `CREDLINT_CORPUS=~/.cache/credlint-corpus cargo test --release
/// --test cache -- --ignored`.
#[test]
#[ignore]
fn findings_are_the_same_with_and_without_the_cache_on_the_real_corpora() {
    let Some(roots) = std::env::var_os("CREDLINT_CORPUS") else {
        eprintln!("CREDLINT_CORPUS is not set: nothing to compare");
        return;
    };
    for root in std::env::split_paths(&roots) {
        let cache = tempfile::tempdir().expect("tmp");
        let root_s = root.to_string_lossy().into_owned();
        let none = run(&root, None, &[&root_s]);
        let cold = run(&root, Some(cache.path()), &[&root_s]);
        let warm = run(&root, Some(cache.path()), &[&root_s]);
        assert_eq!(none, cold, "{root_s}: cold run differs");
        assert_eq!(none, warm, "{root_s}: warm run differs");
    }
}

/// Set the mtime of the folder `dir` an hour back (so that what the cache
/// records of it is not racy).
fn age(dir: &Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    fs::File::open(dir)
        .expect("open folder")
        .set_modified(hour_ago)
        .expect("set mtime");
}

#[test]
fn an_env_file_added_beside_tracked_files_is_seen_through_the_folder_cache() {
    if !common::git::available() {
        eprintln!("git is not installed: skipping");
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    common::git::run(d, &[], &["init", "-q"]);
    common::write_files(
        d,
        &[
            (".gitignore", ".env\n"),
            (".env.example", "DATABASE_URL=\n"),
            ("app.py", "from openai import OpenAI\n\nclient = OpenAI()\n"),
            ("lib/util.py", "X = 1\n"),
        ],
    );
    common::git::run(d, &[], &["add", "-A"]);
    common::git::run(d, &[], &["commit", "-q", "-m", "init"]);
    for folder in [d.to_path_buf(), d.join("lib")] {
        age(&folder);
    }
    let cache = tempfile::tempdir().expect("tmp");
    // Nothing defines the key the client reads: the same finding cold and
    // warm (the folders' env files then come from the cache).
    let none = run(d, None, &["app.py"]);
    assert!(none.1.contains("KEY005"), "{}", none.1);
    for _ in 0..2 {
        assert_eq!(run(d, Some(cache.path()), &["app.py"]), none);
    }
    // A local `.env` defines it: its folder changed, so it is listed again.
    let key = concat!("sk-proj-", "abcdefghijklmnopqrstuvwxyzABCDEF0123456789");
    fs::write(d.join(".env"), format!("OPENAI_API_KEY={key}\n")).expect("write");
    let with_env = run(d, None, &["app.py"]);
    assert_ne!(with_env, none);
    assert_eq!(run(d, Some(cache.path()), &["app.py"]), with_env);
    // Removed again (and its folder's mtime aged): the finding is back.
    fs::remove_file(d.join(".env")).expect("remove");
    age(d);
    assert_eq!(run(d, Some(cache.path()), &["app.py"]), none);
    assert_eq!(run(d, Some(cache.path()), &["app.py"]), none);
}
