//! `credlint history` end to end, on temporary git repositories built
//! commit by commit (fixed dates, no user or system git configuration).

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use common::git::need_git;
use serde_json::Value;

/// A git work tree whose commits get dates one day apart from 2026-01-01.
struct Repo {
    dir: tempfile::TempDir,
    commits: usize,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().expect("temp dir"),
            commits: 0,
        };
        repo.git(&["init", "-q"]);
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> String {
        let date = format!("2026-01-{:02}T12:00:00+00:00", self.commits + 1);
        let env = [
            ("GIT_AUTHOR_DATE", date.as_str()),
            ("GIT_COMMITTER_DATE", date.as_str()),
        ];
        common::git::run(self.path(), &env, args)
    }

    /// Write (or, with `None`, delete) files and commit them all; returns
    /// the commit id.
    fn commit(&mut self, files: &[(&str, Option<&[u8]>)]) -> String {
        for (path, content) in files {
            let p = self.path().join(path);
            match content {
                Some(bytes) => {
                    if let Some(parent) = p.parent() {
                        fs::create_dir_all(parent).expect("mkdir");
                    }
                    fs::write(&p, bytes).expect("write");
                }
                None => fs::remove_file(&p).expect("delete"),
            }
        }
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", "change"]);
        self.commits += 1;
        self.git(&["rev-parse", "HEAD"])
    }

    fn credlint(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        let mut cmd = Command::cargo_bin("credlint").expect("binary");
        cmd.env("CREDLINT_NO_CACHE", "1");
        cmd.current_dir(self.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE")
            .env("NO_COLOR", "1")
            .args(args)
            .assert()
    }

    /// `credlint history ARGS --format json`: the exit code and document.
    fn history_json(&self, args: &[&str]) -> (i32, Value) {
        let mut all = vec!["history", "--format", "json"];
        all.extend_from_slice(args);
        let out = self.credlint(&all).get_output().clone();
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )
        });
        (out.status.code().unwrap_or(-1), doc)
    }
}

/// Random characters from `alphabet` (a fresh body per call, so no key of
/// these tests exists anywhere else).
fn random(n: usize, alphabet: &[u8]) -> String {
    use std::hash::{BuildHasher, Hasher};
    let state = std::collections::hash_map::RandomState::new();
    (0..n)
        .map(|i| {
            let mut h = state.build_hasher();
            h.write_usize(i);
            alphabet[(h.finish() % alphabet.len() as u64) as usize] as char
        })
        .collect()
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// An OpenAI project key of the real shape with a random body.
fn fake_key() -> String {
    format!(
        "{}{}{}{}",
        concat!("sk-", "proj-"),
        random(58, ALNUM),
        concat!("T3Blbk", "FJ"),
        random(58, ALNUM)
    )
}

fn fake_org() -> String {
    format!("{}{}", concat!("org", "-"), random(24, ALNUM))
}

fn findings(doc: &Value) -> &Vec<Value> {
    doc["findings"].as_array().expect("findings array")
}

fn client(key: &str) -> Vec<u8> {
    format!("import openai\n\nclient = openai.OpenAI(api_key=\"{key}\")\n").into_bytes()
}

const CLEAN: &[u8] = b"import openai\n\nclient = openai.OpenAI()\n";

#[test]
fn a_key_added_then_deleted_is_reported_at_the_adding_commit_as_removed() {
    need_git!();
    let mut repo = Repo::new();
    let key = fake_key();
    repo.commit(&[("app.py", Some(CLEAN)), ("README.md", Some(b"# app\n"))]);
    let adding = repo.commit(&[("app.py", Some(&client(&key)))]);
    repo.commit(&[("app.py", Some(CLEAN))]);

    let (code, doc) = repo.history_json(&[]);
    assert_eq!(code, 1, "{doc}");
    let f = findings(&doc);
    assert_eq!(f.len(), 1, "{doc}");
    assert_eq!(f[0]["rule"], "KEY001");
    assert_eq!(f[0]["path"], "app.py");
    assert_eq!(f[0]["line"], 3);
    assert_eq!(f[0]["commit"], adding.as_str());
    assert_eq!(f[0]["commit_date"], "2026-01-02T12:00:00Z");
    assert_eq!(f[0]["present_at_head"], false);
    let message = f[0]["message"].as_str().expect("message");
    assert!(
        message.contains(&format!("commit {} (2026-01-02)", &adding[..7])),
        "{message}"
    );
    assert!(
        message.contains("removed since, still leaked: rotate it"),
        "{message}"
    );
    assert_eq!(doc["summary"]["commits_scanned"], 3);

    // The human formats say the same, and no format prints the key.
    for format in ["concise", "pretty", "json", "sarif", "github", "gitlab"] {
        let out = repo
            .credlint(&["history", "--format", format])
            .code(1)
            .get_output()
            .clone();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains(&key), "{format} prints the key");
        assert!(
            !text.contains(&key[8..40]),
            "{format} prints part of the key"
        );
        if format == "concise" {
            assert!(text.starts_with("app.py:3:"), "{text}");
            assert!(text.contains("removed since, still leaked"), "{text}");
            assert!(
                text.contains("Found 1 problem (1 error, 0 warnings) in 3 commits"),
                "{text}"
            );
        }
        if format == "pretty" {
            // The snippet is the adding commit's version of the file.
            assert!(
                text.contains("client = openai.OpenAI(api_key=\"sk-proj-"),
                "{text}"
            );
        }
    }
}

#[test]
fn a_key_still_at_head_is_marked_present_and_fingerprinted_as_check_does() {
    need_git!();
    let mut repo = Repo::new();
    let key = fake_key();
    repo.commit(&[("app.py", Some(&client(&key)))]);
    // Lines move: the fingerprint does not.
    let moved = format!("\n\n{}", String::from_utf8_lossy(&client(&key)));
    repo.commit(&[("app.py", Some(moved.as_bytes()))]);
    let (_, doc) = repo.history_json(&[]);
    let f = findings(&doc);
    assert_eq!(f.len(), 1, "{doc}");
    assert_eq!(f[0]["present_at_head"], true);
    assert!(
        f[0]["message"]
            .as_str()
            .is_some_and(|m| m.ends_with("still present at HEAD")),
        "{doc}"
    );
    let check = repo
        .credlint(&["check", "--format", "json"])
        .get_output()
        .clone();
    let check: Value = serde_json::from_slice(&check.stdout).expect("json");
    let c = findings(&check);
    assert_eq!(c.len(), 1, "{check}");
    assert_eq!(c[0]["fingerprint"], f[0]["fingerprint"]);
    // Stable across runs.
    let (_, again) = repo.history_json(&[]);
    assert_eq!(findings(&again)[0]["fingerprint"], f[0]["fingerprint"]);
}

#[test]
fn a_range_limits_the_commits_read() {
    need_git!();
    let mut repo = Repo::new();
    let (old, new) = (fake_key(), fake_key());
    repo.commit(&[("a.py", Some(&client(&old)))]);
    let base = repo.commit(&[("b.py", Some(b"x = 1\n"))]);
    repo.commit(&[("c.py", Some(&client(&new)))]);
    repo.commit(&[("a.py", Some(CLEAN))]);

    let (_, all) = repo.history_json(&[]);
    let paths: Vec<&str> = findings(&all)
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(paths, ["a.py", "c.py"], "{all}");

    let range = format!("{base}..HEAD");
    let (code, doc) = repo.history_json(&[&range]);
    assert_eq!(code, 1);
    assert_eq!(doc["summary"]["commits_scanned"], 2, "{doc}");
    let f = findings(&doc);
    assert_eq!(f.len(), 1, "{doc}");
    assert_eq!(f[0]["path"], "c.py");
    // Only the range's new blobs are read: c.py and the clean a.py.
    assert_eq!(doc["summary"]["files_scanned"], 2, "{doc}");

    // A commit that only edits around a key that was there before the range
    // adds nothing.
    let base = repo.git(&["rev-parse", "HEAD"]);
    let edited = format!("# edited\n{}", String::from_utf8_lossy(&client(&new)));
    repo.commit(&[("c.py", Some(edited.as_bytes()))]);
    let (code, doc) = repo.history_json(&[&format!("{base}..HEAD")]);
    assert_eq!(code, 0, "{doc}");
    assert!(findings(&doc).is_empty(), "{doc}");
}

#[test]
fn a_baselined_head_finding_is_not_reported_again() {
    need_git!();
    let mut repo = Repo::new();
    let key = fake_key();
    let org = fake_org();
    repo.commit(&[("app.py", Some(&client(&key)))]);
    let cfg = format!("ORG = \"{org}\"\n");
    repo.commit(&[("settings.py", Some(cfg.as_bytes()))]);
    let (_, doc) = repo.history_json(&[]);
    assert_eq!(findings(&doc).len(), 2, "{doc}");

    let baseline = repo.path().join("baseline.json");
    let b = baseline.to_str().expect("utf-8 path");
    repo.credlint(&["check", "--write-baseline", b]).code(0);
    let (code, doc) = repo.history_json(&["--baseline", b]);
    assert_eq!(code, 0, "{doc}");
    assert!(findings(&doc).is_empty(), "{doc}");
    repo.credlint(&["history", "--baseline", b])
        .code(0)
        .stderr(predicates::str::contains(
            "2 findings recorded in the baseline not shown",
        ));

    // The key moves to another file at HEAD, where the baseline records it:
    // history reports it at the path that introduced it only if HEAD does
    // not acknowledge it.
    let mut repo2 = Repo::new();
    repo2.commit(&[("old.py", Some(&client(&key)))]);
    repo2.commit(&[("old.py", None), ("new.py", Some(&client(&key)))]);
    let (_, doc) = repo2.history_json(&[]);
    let f = findings(&doc);
    assert_eq!(f.len(), 1, "reported once: {doc}");
    assert_eq!(f[0]["path"], "old.py");
    assert_eq!(f[0]["present_at_head"], true);
    let baseline2 = repo2.path().join("baseline.json");
    let b2 = baseline2.to_str().expect("utf-8 path");
    repo2.credlint(&["check", "--write-baseline", b2]).code(0);
    let (code, doc) = repo2.history_json(&["--baseline", b2]);
    assert_eq!(code, 0, "{doc}");
    assert!(findings(&doc).is_empty(), "{doc}");
}

#[test]
fn a_history_baseline_records_rotated_keys() {
    need_git!();
    let mut repo = Repo::new();
    repo.commit(&[("app.py", Some(&client(&fake_key())))]);
    repo.commit(&[("app.py", Some(CLEAN))]);
    let baseline = repo.path().join("history-baseline.json");
    let b = baseline.to_str().expect("utf-8 path");
    repo.credlint(&["history", "--write-baseline", b]).code(0);
    let (code, doc) = repo.history_json(&["--baseline", b]);
    assert_eq!(code, 0, "{doc}");
    assert!(findings(&doc).is_empty());
    // A new leak is still reported.
    repo.commit(&[("other.py", Some(&client(&fake_key())))]);
    let (code, doc) = repo.history_json(&["--baseline", b]);
    assert_eq!(code, 1);
    assert_eq!(findings(&doc).len(), 1, "{doc}");
}

#[test]
fn a_secret_ignored_at_head_is_not_reported() {
    need_git!();
    let mut repo = Repo::new();
    let key = fake_key();
    repo.commit(&[("app.py", Some(&client(&key)))]);
    let (_, doc) = repo.history_json(&[]);
    assert_eq!(findings(&doc).len(), 1);
    // The directive comes in a later commit, above the line.
    let ignored = format!(
        "import openai\n\n# credlint: ignore[KEY001] — test key, revoked\nclient = openai.OpenAI(api_key=\"{key}\")\n"
    );
    repo.commit(&[("app.py", Some(ignored.as_bytes()))]);
    let (code, doc) = repo.history_json(&[]);
    assert_eq!(code, 0, "{doc}");
    assert!(findings(&doc).is_empty(), "{doc}");
    repo.credlint(&["history"])
        .code(0)
        .stderr(predicates::str::contains(
            "1 finding ignored by a `credlint: ignore` at HEAD not shown",
        ));
    // Another key in the same file is still reported.
    let other = fake_key();
    let both = format!(
        "{}backup = openai.OpenAI(api_key=\"{other}\")\n",
        String::from_utf8_lossy(ignored.as_bytes())
    );
    repo.commit(&[("app.py", Some(both.as_bytes()))]);
    let (code, doc) = repo.history_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&doc).len(), 1, "{doc}");
    assert_eq!(findings(&doc)[0]["line"], 5);
}

#[test]
fn org_ids_follow_the_check_rules_for_comments_and_docs() {
    need_git!();
    let mut repo = Repo::new();
    let (in_code, in_comment, in_docs) = (fake_org(), fake_org(), fake_org());
    let key = fake_key();
    let code = format!("# was {in_comment}\nORG = \"{in_code}\"\n");
    let docs = format!("Set `OPENAI_ORG_ID={in_docs}` and the key {key}.\n");
    repo.commit(&[
        ("app.py", Some(code.as_bytes())),
        ("docs/setup.md", Some(docs.as_bytes())),
    ]);
    repo.commit(&[
        ("app.py", Some(b"x = 1\n")),
        ("docs/setup.md", Some(b"-\n")),
    ]);
    let (_, doc) = repo.history_json(&[]);
    let got: Vec<(String, String)> = findings(&doc)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("ORG001".to_string(), "app.py".to_string()),
            ("KEY001".to_string(), "docs/setup.md".to_string()),
        ],
        "{doc}"
    );
    assert!(
        findings(&doc)[0]["message"]
            .as_str()
            .is_some_and(|m| m.ends_with("removed since")),
        "an org ID is not a secret to rotate: {doc}"
    );
    // --select narrows to the rules history runs.
    let (_, doc) = repo.history_json(&["--select", "ORG"]);
    assert_eq!(findings(&doc).len(), 1, "{doc}");
    repo.credlint(&["history", "--select", "ENV"])
        .code(2)
        .stderr(predicates::str::contains(
            "history checks KEY001, ORG001, ORG004",
        ));
}

#[test]
fn binary_huge_and_lfs_blobs_are_skipped_and_counted() {
    need_git!();
    let mut repo = Repo::new();
    let key = fake_key();
    let mut binary = b"\x89PNG\r\n\x1a\n\0\0".to_vec();
    binary.extend_from_slice(key.as_bytes());
    let big = format!("{}KEY = \"{key}\"\n", "# padding\n".repeat(100));
    let lfs = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n";
    repo.commit(&[
        ("logo.png", Some(&binary)),
        ("big.py", Some(big.as_bytes())),
        ("model.bin", Some(lfs.as_bytes())),
        ("ok.py", Some(b"x = 1\n")),
    ]);
    let (code, doc) = repo.history_json(&["--max-file-size", "500"]);
    assert_eq!(code, 0, "{doc}");
    assert!(findings(&doc).is_empty(), "{doc}");
    let s = &doc["summary"];
    assert_eq!(s["files_scanned"], 1, "{doc}");
    assert_eq!(s["skipped"]["binary"], 1, "{doc}");
    assert_eq!(s["skipped"]["too large"], 1, "{doc}");
    assert_eq!(s["skipped"]["LFS pointer"], 1, "{doc}");
    repo.credlint(&["history", "--max-file-size", "500", "--format", "concise"])
        .code(0)
        .stdout(predicates::str::contains(
            "Skipped 3 blobs (1 LFS pointer, 1 binary, 1 too large).",
        ));
    // Without the limit the big file is read.
    let (code, doc) = repo.history_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&doc)[0]["path"], "big.py");
}

#[test]
fn excluded_paths_are_not_read() {
    need_git!();
    let mut repo = Repo::new();
    repo.commit(&[
        ("vendor/lib.py", Some(&client(&fake_key()))),
        ("credlint.toml", Some(b"exclude = [\"vendor/\"]\n")),
    ]);
    let (code, doc) = repo.history_json(&[]);
    assert_eq!(code, 0, "{doc}");
    let (code, doc) = repo.history_json(&["--isolated"]);
    assert_eq!(code, 1, "{doc}");
}

#[test]
fn outside_a_work_tree_or_without_git_it_exits_2() {
    need_git!();
    let dir = tempfile::tempdir().expect("tmp");
    Command::cargo_bin("credlint")
        .expect("binary")
        .env("CREDLINT_NO_CACHE", "1")
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path())
        .args(["history"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not inside a git work tree"));

    let mut repo = Repo::new();
    repo.commit(&[("a.py", Some(b"x = 1\n"))]);
    let empty_path = tempfile::tempdir().expect("tmp");
    Command::cargo_bin("credlint")
        .expect("binary")
        .env("CREDLINT_NO_CACHE", "1")
        .current_dir(repo.path())
        .env("PATH", empty_path.path())
        .args(["history"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("`git` is not installed"));

    // A revision git does not know is a usage error, and an option-like
    // revision is not an option.
    repo.credlint(&["history", "nope..HEAD"]).code(2);
    repo.credlint(&["history", "--", "--output=x"]).code(2);
    assert!(!repo.path().join("x").exists());
}

#[test]
fn an_empty_repository_has_no_history() {
    need_git!();
    let repo = Repo::new();
    repo.credlint(&["history"])
        .code(0)
        .stderr(predicates::str::contains("no commits yet"));
}

/// The redacted key or the ID a literal finding's message names: the same
/// secret gives the same token in every file.
fn token(message: &str) -> String {
    message
        .split([' ', '`', '"', '\''])
        .find(|w| w.contains('…') || w.starts_with("org-") || w.starts_with("proj_"))
        .unwrap_or(message)
        .to_string()
}

/// Every example of every rule (`rules/*.toml`), committed in one commit:
/// history finds exactly the KEY001/ORG001/ORG004 findings check finds at
/// HEAD — the same positions and fingerprints, each secret once.
#[test]
fn history_agrees_with_check_on_every_rule_example() {
    need_git!();
    let rules: std::collections::HashSet<&str> = credlint::history::RULES.into_iter().collect();
    let mut failures = Vec::new();
    let mut with_findings = 0;
    for r in credlint::rule::builtin().iter() {
        for e in r.examples.iter().chain(&r.negative_examples) {
            if !e.git || !e.args.is_empty() || e.verify {
                continue;
            }
            let mut repo = Repo::new();
            let files: Vec<(&str, Option<&[u8]>)> = e
                .files
                .iter()
                .map(|(p, t)| (p.as_str(), Some(t.as_bytes())))
                .collect();
            repo.commit(&files);
            let root = fs::canonicalize(repo.path()).expect("root");
            let check = common::check_in(&root, vec![root.clone()], Vec::new())
                .expect("check runs")
                .findings;
            let check: Vec<_> = check
                .iter()
                .filter(|f| rules.contains(f.code.as_str()))
                .collect();
            let history = credlint::history::history(&credlint::history::HistoryOptions {
                base: root.clone(),
                threads: 2,
                ..credlint::history::HistoryOptions::default()
            })
            .expect("history runs");
            let at = |f: &credlint::finding::Finding| {
                format!(
                    "{} {}:{}:{} {}",
                    f.code, f.path, f.start.line, f.start.column, f.fingerprint
                )
            };
            let want: std::collections::BTreeSet<String> = check.iter().map(|f| at(f)).collect();
            let got: Vec<String> = history.findings.iter().map(at).collect();
            let secrets = |fs: &mut dyn Iterator<Item = &credlint::finding::Finding>| {
                fs.map(|f| format!("{} {}", f.code, token(&f.message)))
                    .collect::<std::collections::BTreeSet<_>>()
            };
            let check_secrets = secrets(&mut check.iter().copied());
            let history_secrets = secrets(&mut history.findings.iter());
            if !got.iter().all(|g| want.contains(g))
                || check_secrets != history_secrets
                || history_secrets.len() != got.len()
                || history.origins.iter().any(|o| !o.present_at_head)
            {
                failures.push(format!(
                    "{} {:?}:\n  history {got:#?}\n  check   {want:#?}",
                    r.code, e.description
                ));
            }
            with_findings += usize::from(!got.is_empty());
        }
    }
    assert!(with_findings > 20, "{with_findings} examples with findings");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Keys without a prefix (an Azure key is 32 hex digits) are keys only as
/// the value of a key setting: in code and configs history must parse the
/// blob to see them, as check does.
#[test]
fn keys_without_a_prefix_are_found_in_code_and_configs() {
    need_git!();
    let mut repo = Repo::new();
    let (a, b) = (
        random(32, b"0123456789abcdef"),
        random(32, b"0123456789abcdef"),
    );
    let code = format!(
        "from openai import AzureOpenAI\n\nclient = AzureOpenAI(api_key=\"{a}\", azure_endpoint=\"https://x.openai.azure.com\")\n"
    );
    let compose = format!(
        "services:\n  app:\n    image: app\n    environment:\n      AZURE_OPENAI_API_KEY: {b}\n"
    );
    repo.commit(&[
        ("app.py", Some(code.as_bytes())),
        ("compose.yaml", Some(compose.as_bytes())),
    ]);
    let root = fs::canonicalize(repo.path()).expect("root");
    let check: Vec<String> = common::check_in(&root, vec![root.clone()], Vec::new())
        .expect("check")
        .findings
        .iter()
        .filter(|f| f.code == "KEY001")
        .map(|f| format!("{}:{} {}", f.path, f.start.line, f.fingerprint))
        .collect();
    assert_eq!(check.len(), 2, "{check:?}");
    let (_, doc) = repo.history_json(&[]);
    let history: Vec<String> = findings(&doc)
        .iter()
        .map(|f| {
            format!(
                "{}:{} {}",
                f["path"].as_str().unwrap_or_default(),
                f["line"],
                f["fingerprint"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(history, check, "{doc}");
}
