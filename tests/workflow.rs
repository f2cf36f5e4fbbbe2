//! The workflow features end to end: inline suppressions and SUP001,
//! baselines, `--staged` against a real git repository, and the way
//! explicit file lists (as pre-commit passes them) are handled.

mod common;

use std::fs;
use std::path::Path;

use serde_json::Value;

use common::{check_json, credlint, found, repo_with, write_files};

const ORG_A: &str = "org-8eKhohB0jjXufkSvsS98Ct38";
const ORG_B: &str = "org-bEc9PYygAcHkqlZ4GbrLVLkw";
const ORG_C: &str = "org-Sbj9nZeGYXBA4FKv0bIUqVZG";
const KEY: &str = "sk-proj-kLEXxXLqQHcTsMg0ZIwwBhwvIM501oHginjgsjgUT3BlbkFJ5ojAedNLNzHU1nX5oVSzY1fxGDVIRFy4TxBJUeXc";
const KEY2: &str = "sk-proj-b8XVGydWHi8X2SIhV16JmOas9cyr8qc4q26msMGjT3BlbkFJsR8YmGplZG1UVnQH4vNgNw6un0Vg52MFZvxL4Jlm";

// ---------------------------------------------------------------------
// Suppressions

#[test]
fn suppressions_in_every_comment_syntax_and_placement() {
    let files: Vec<(String, String)> = vec![
        // trailing, and alone above; the third key has none
        (
            "app.py".into(),
            format!(
                "A = \"{KEY}\"  # credlint: ignore[KEY001]\n# credlint: ignore[KEY001] test key\nB = \"{KEY}\"\nC = \"{KEY2}\"\n"
            ),
        ),
        (
            "web/app.js".into(),
            format!(
                "// credlint: ignore[KEY001]\nconst a = \"{KEY}\";\nconst b = \"{KEY}\"; /* credlint: ignore[KEY001] */\n"
            ),
        ),
        (
            "db/seed.sql".into(),
            format!("-- credlint: ignore[KEY001]\ninsert into keys values ('{KEY}');\n"),
        ),
        (
            "README.md".into(),
            format!("# Setup\n\n<!-- credlint: ignore[KEY001] -->\nExample: `{KEY}`\n"),
        ),
        (
            "settings.ini".into(),
            format!("[openai]\nkey = {KEY} ; credlint: ignore[KEY001]\n"),
        ),
        (
            ".env.example".into(),
            format!("# credlint: ignore[KEY001]\nOPENAI_API_KEY={KEY}\n"),
        ),
        (
            "deploy/values.yaml".into(),
            format!("openai:\n  organization: \"{ORG_A}\" # credlint: ignore[ORG001]\n"),
        ),
        // bare: every rule on its line
        (
            "both.py".into(),
            format!("X = (\"{KEY}\", \"{ORG_A}\")  # credlint: ignore\n"),
        ),
        // file-wide, at the bottom of the file
        (
            "docs/keys.md".into(),
            format!("{KEY}\n\n{KEY2}\n\n<!-- credlint: ignore-file[KEY001] -->\n"),
        ),
    ];
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let repo = repo_with(&refs);
    let (code, doc, _) = check_json(repo.path(), &[]);
    assert_eq!(found(&doc), ["KEY001 app.py:4"]);
    assert_eq!(code, 1);
}

#[test]
fn what_does_not_suppress() {
    let app = format!(
        "# credlint: ignore[KEY001]\n\nA = \"{KEY}\"\n\
         B = \"{KEY}\"  # credlint: ignore[ORG001]\n\
         C = \"{KEY}\"  # credlint: ignore[KEY001]\nD = \"{KEY2}\"\n\
         HELP = \"credlint: ignore\"; E = \"{ORG_A}\"\n\
         # see `credlint: ignore[KEY001]`\nF = \"{KEY}\"\n"
    );
    let repo = repo_with(&[("app.py", &app)]);
    let (_, doc, _) = check_json(repo.path(), &[]);
    assert_eq!(
        found(&doc),
        [
            // two lines above: too far, and reported as unused
            "SUP001 app.py:1",
            "KEY001 app.py:3",
            // a directive for another rule
            "KEY001 app.py:4",
            "SUP001 app.py:4",
            // a trailing directive covers its own line only
            "KEY001 app.py:6",
            // text in a string, and prose in a comment, are not directives
            "ORG001 app.py:7",
            "KEY001 app.py:9",
        ]
    );
}

#[test]
fn sup001_respects_the_rule_selection() {
    let app = format!(
        "A = \"{KEY}\"  # credlint: ignore[KEY001]\n\
         x = 1  # credlint: ignore[ORG001]\n\
         y = 2  # credlint: ignore\n\
         z = 3  # credlint: ignore[KEY999]\n"
    );
    let repo = repo_with(&[("app.py", &app)]);
    let (_, doc, _) = check_json(repo.path(), &[]);
    assert_eq!(
        found(&doc),
        ["SUP001 app.py:2", "SUP001 app.py:3", "SUP001 app.py:4"]
    );
    let messages: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages[2].contains("KEY999 is no credlint rule"),
        "{messages:?}"
    );
    assert_eq!(doc["findings"][0]["help"], "delete it");

    // ORG001 does not run: its directive may still be needed by a full run;
    // a bare directive is only judged when every rule runs
    let (_, doc, _) = check_json(repo.path(), &["--ignore", "ORG"]);
    assert_eq!(found(&doc), ["SUP001 app.py:4"]);
    // KEY001 does not run: its directive is not judged either
    let (_, doc, _) = check_json(repo.path(), &["--ignore", "KEY001"]);
    assert_eq!(found(&doc), ["SUP001 app.py:2", "SUP001 app.py:4"]);
    // SUP001 itself off
    let (code, doc, _) = check_json(repo.path(), &["--ignore", "SUP001"]);
    assert_eq!((code, found(&doc)), (0, vec![]));
    let (_, doc, _) = check_json(repo.path(), &["--select", "KEY001"]);
    assert_eq!(found(&doc), Vec::<String>::new());
}

#[test]
fn partly_used_directive_and_sup001_suppression() {
    let app = format!(
        "A = \"{KEY}\"  # credlint: ignore[KEY001, ORG001]\n\
         x = 1  # credlint: ignore[ORG001, SUP001] kept for the next release\n"
    );
    let repo = repo_with(&[("app.py", &app)]);
    let (_, doc, _) = check_json(repo.path(), &[]);
    assert_eq!(found(&doc), ["SUP001 app.py:1"]);
    let f = &doc["findings"][0];
    assert_eq!(
        f["message"],
        "ORG001 in `credlint: ignore[KEY001, ORG001]` suppressed nothing on the lines it covers"
    );
    assert_eq!(f["help"], "remove ORG001 from the list");
    let col = app.lines().next().and_then(|l| l.find("credlint")).unwrap() + 1;
    assert_eq!(f["column"].as_u64(), Some(col as u64));
    // ignore-file[SUP001] silences SUP001 for the file
    let repo = repo_with(&[("app.py", &format!("{app}# credlint: ignore-file[SUP001]\n"))]);
    let (code, doc, _) = check_json(repo.path(), &[]);
    assert_eq!((code, found(&doc)), (0, vec![]));
}

// ---------------------------------------------------------------------
// Baseline

#[test]
fn baseline_survives_moved_lines_and_reports_new_findings() {
    let app = format!("import os\nORG = \"{ORG_A}\"\n");
    let docs = format!("Key: {KEY}\n");
    let repo = repo_with(&[("app.py", &app), ("docs/setup.md", &docs)]);
    let out = credlint()
        .current_dir(repo.path())
        .args(["check", "--write-baseline", "credlint-baseline.json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "findings, but writing exits 0");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("wrote 2 findings"), "{stderr}");
    let text = fs::read_to_string(repo.path().join("credlint-baseline.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["version"], 1);
    let entries = doc["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    for e in entries {
        let keys: Vec<&String> = e.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["fingerprint", "path", "rule"]);
    }
    // no secret, no value, no message
    for needle in [&KEY[..12], &KEY[KEY.len() - 8..], ORG_A, "hardcoded"] {
        assert!(!text.contains(needle), "baseline holds {needle}");
    }

    // lines inserted above the finding, and a new finding
    fs::write(
        repo.path().join("app.py"),
        format!("import os\nimport sys\n\n\nORG = \"{ORG_A}\"\nOTHER = \"{ORG_B}\"\n"),
    )
    .unwrap();
    let (code, doc, stderr) = check_json(repo.path(), &["--baseline", "credlint-baseline.json"]);
    assert_eq!(found(&doc), ["ORG001 app.py:6"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("2 findings recorded in the baseline not shown"),
        "{stderr}"
    );

    // the same value twice: the baseline recorded one
    fs::write(
        repo.path().join("app.py"),
        format!("ORG = \"{ORG_A}\"\nAGAIN = \"{ORG_A}\"\n"),
    )
    .unwrap();
    let (_, doc, _) = check_json(repo.path(), &["--baseline", "credlint-baseline.json"]);
    assert_eq!(found(&doc), ["ORG001 app.py:2"]);
}

#[test]
fn bad_baselines_are_usage_errors() {
    let repo = repo_with(&[("app.py", "x = 1\n"), ("bad.json", "{\"version\": 1}\n")]);
    for (file, msg) in [
        ("missing.json", "cannot read baseline missing.json"),
        ("bad.json", "invalid baseline bad.json"),
    ] {
        credlint()
            .current_dir(repo.path())
            .args(["check", "--baseline", file])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(msg));
    }
    credlint()
        .current_dir(repo.path())
        .args([
            "check",
            "--baseline",
            "a.json",
            "--write-baseline",
            "b.json",
        ])
        .assert()
        .code(2);
}

// ---------------------------------------------------------------------
// Explicit file lists (as pre-commit passes them)

#[test]
fn explicit_files_of_no_interest_pass_having_been_read() {
    let repo = repo_with(&[
        ("README.md", "# Nothing about credentials here\n"),
        ("main.c", "int main(void) { return 0; }\n"),
    ]);
    let (code, doc, _) = check_json(repo.path(), &["README.md", "main.c"]);
    assert_eq!(code, 0);
    assert_eq!(doc["summary"]["files_scanned"], 2);
}

#[test]
fn explicit_files_none_readable_is_an_error() {
    let repo = repo_with(&[("logo.png", "\u{0}PNG"), ("big.txt", &"a".repeat(64))]);
    credlint()
        .current_dir(repo.path())
        .args(["check", "--max-file-size", "32", "logo.png", "big.txt"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no file could be scanned: every path given was skipped: big.txt (too large: 64 bytes), logo.png (binary)",
        ));
}

// ---------------------------------------------------------------------
// --staged, against a real git repository

fn git(dir: &Path, args: &[&str]) {
    common::git::run(dir, &[], args);
}

fn git_repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    git(dir.path(), &["init", "-q"]);
    write_files(dir.path(), files);
    dir
}

#[test]
fn staged_content_is_checked_at_its_own_positions() {
    if !common::git::available() {
        eprintln!("git is not installed: skipping the --staged test");
        return;
    }
    let clean = "import os\nORG = os.environ['OPENAI_ORG_ID']\n";
    let repo = git_repo(&[
        ("app.py", clean),
        ("moved.py", "x = 1\n"),
        ("gone.py", "x = 1\n"),
        ("logo.png", "\u{0}\u{1}PNG"),
        (".gitignore", ".env\n"),
    ]);
    let root = repo.path();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "initial"]);

    // staged: an org ID on line 2 of app.py; then the work tree changes
    fs::write(
        root.join("app.py"),
        format!("import os\nORG = \"{ORG_A}\"\n"),
    )
    .unwrap();
    git(root, &["add", "app.py"]);
    fs::write(
        root.join("app.py"),
        "import os\n\n\n\nORG = os.environ['OPENAI_ORG_ID']\n",
    )
    .unwrap();
    // a new file staged, then deleted from the work tree
    fs::write(root.join("gone.py"), format!("K = \"{KEY}\"\n")).unwrap();
    git(root, &["add", "gone.py"]);
    fs::remove_file(root.join("gone.py")).unwrap();
    // a rename, reported at the new path
    fs::write(root.join("moved.py"), format!("O = \"{ORG_C}\"\n")).unwrap();
    git(root, &["add", "moved.py"]);
    git(root, &["mv", "moved.py", "renamed.py"]);
    // not staged: never reported by --staged
    fs::write(root.join("unstaged.py"), format!("O = \"{ORG_A}\"\n")).unwrap();
    // a binary file staged: skipped, not an error
    fs::write(root.join("logo.png"), "\u{0}\u{2}PNG").unwrap();
    git(root, &["add", "logo.png"]);

    let (code, doc, stderr) = check_json(root, &["--staged"]);
    assert_eq!(
        found(&doc),
        ["ORG001 app.py:2", "KEY001 gone.py:1", "ORG001 renamed.py:1"],
        "{stderr}"
    );
    assert_eq!(code, 1);
    assert_eq!(doc["summary"]["files_scanned"], 3);
    assert_eq!(doc["summary"]["skipped"]["binary"], 1);
    let f = &doc["findings"][0];
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(2), Some(8))
    );

    // the work tree says otherwise: the finding is the staged content's
    let (_, doc, _) = check_json(root, &["app.py"]);
    assert_eq!(found(&doc), Vec::<String>::new());

    // same classification as the work-tree file: a staged template env
    // file with a key is KEY001; config excludes apply to staged files
    fs::write(root.join(".env.example"), format!("OPENAI_API_KEY={KEY}\n")).unwrap();
    fs::write(root.join("credlint.toml"), "exclude = [\"renamed.py\"]\n").unwrap();
    git(root, &["add", ".env.example", "credlint.toml"]);
    let (_, doc, _) = check_json(root, &["--staged"]);
    assert_eq!(
        found(&doc),
        [
            "KEY001 .env.example:1",
            "ORG001 app.py:2",
            "KEY001 gone.py:1"
        ]
    );
    assert_eq!(doc["summary"]["skipped"]["excluded"], 1);

    // from a subfolder: the same files, paths relative to it when under it
    fs::create_dir(root.join("sub")).unwrap();
    write_files(root, &[("sub/s.py", &format!("O = \"{ORG_B}\"\n"))]);
    git(root, &["add", "sub/s.py"]);
    let (_, doc, _) = check_json(&root.join("sub"), &["--staged"]);
    assert!(found(&doc).contains(&"ORG001 s.py:1".to_string()), "{doc}");

    // nothing staged
    git(root, &["commit", "-q", "-m", "second"]);
    let (code, doc, stderr) = check_json(root, &["--staged"]);
    assert_eq!((code, found(&doc)), (0, vec![]));
    assert!(stderr.contains("no staged files"), "{stderr}");
}

#[test]
fn staged_outside_a_repository_is_a_usage_error() {
    if !common::git::available() {
        eprintln!("git is not installed: skipping the --staged test");
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    credlint()
        .current_dir(dir.path())
        .env(
            "GIT_CEILING_DIRECTORIES",
            dir.path().parent().unwrap_or(dir.path()),
        )
        .args(["check", "--staged"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--staged needs a git repository"));
    credlint()
        .current_dir(dir.path())
        .args(["check", "--staged", "some/path"])
        .assert()
        .code(2);
}

#[test]
fn staged_runs_do_not_suggest_fix_which_they_refuse() {
    if !common::git::available() {
        eprintln!("git is not installed: skipping the --staged test");
        return;
    }
    let repo = git_repo(&[
        (".gitignore", ".env\n"),
        (
            "config/settings.json",
            "{\"openai\": {\"organization\": \"\", \"model\": \"x\"}}\n",
        ),
    ]);
    let root = repo.path();
    git(root, &["add", "."]);
    let run = |args: &[&str]| {
        let out = credlint()
            .current_dir(root)
            .args(["check", "--format", "concise"])
            .args(args)
            .output()
            .expect("run");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // The same finding, fixable: the work-tree run says so, the staged run
    // (where --fix is a usage error) does not.
    let tree = run(&[]);
    assert!(tree.contains("1 fixable with --fix."), "{tree}");
    let staged = run(&["--staged"]);
    assert!(staged.contains("ORG003"), "{staged}");
    assert!(!staged.contains("fixable"), "{staged}");
    credlint()
        .current_dir(root)
        .args(["check", "--staged", "--fix"])
        .assert()
        .code(2);
}
