//! The command line end to end: exit codes, formats, bad input.

mod common;

use std::fs;

use assert_cmd::Command;
use predicates::prelude::*;

use common::{fixture_keys, fixture_repo, fixtures_dir};

fn credlint() -> Command {
    let mut c = Command::cargo_bin("credlint").expect("binary");
    c.env("CREDLINT_NO_CACHE", "1");
    c.env("NO_COLOR", "1");
    c
}

#[test]
fn every_fixture_folder_is_used() {
    let mut names: Vec<String> = fs::read_dir(fixtures_dir())
        .expect("fixtures/")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // A fixture folder that goes missing (e.g. its env files not committed)
    // fails here rather than silently testing less.
    assert_eq!(
        names,
        [
            "clean-app",
            "code-csharp",
            "code-go",
            "code-java",
            "code-js",
            "code-notebook",
            "code-php",
            "code-python",
            "code-ruby",
            "code-rust",
            "code-shell",
            "code-usage",
            "configs",
            "env-mistakes",
            "fixable",
            "leaky-node",
            "python-app",
            "verify-pairs"
        ]
    );
    // Code fixtures are about source files; the others must keep their env
    // files.
    fn has_env(dir: &std::path::Path) -> bool {
        fs::read_dir(dir).expect("fixture").flatten().any(|e| {
            e.file_name().to_string_lossy().starts_with(".env")
                || (e.path().is_dir() && has_env(&e.path()))
        })
    }
    for n in names.iter().filter(|n| !n.starts_with("code-")) {
        assert!(
            has_env(&fixtures_dir().join(n)),
            "fixture {n} lost its env files"
        );
    }
}

#[test]
fn findings_exit_1_clean_exit_0() {
    let repo = fixture_repo("python-app");
    credlint()
        .current_dir(repo.path())
        .args(["check", "."])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ORG001"));
    let clean = fixture_repo("clean-app");
    credlint()
        .current_dir(clean.path())
        .args(["check"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No problems found"));
}

#[test]
fn missing_path_is_a_usage_error() {
    credlint()
        .args(["check", "/definitely/not/here"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "/definitely/not/here: no such file or directory",
        ));
}

#[test]
fn unknown_rule_selector_is_a_usage_error() {
    let repo = fixture_repo("clean-app");
    credlint()
        .current_dir(repo.path())
        .args(["check", "--select", "NOPE42"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("NOPE42"));
}

#[test]
fn empty_repository_passes() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::create_dir(dir.path().join(".git")).expect("git");
    credlint()
        .current_dir(dir.path())
        .args(["check"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("in 0 files"));
}

#[test]
fn json_document_follows_the_spec() {
    let repo = fixture_repo("python-app");
    let out = credlint()
        .current_dir(repo.path())
        .args(["check", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["tool"]["name"], "credlint");
    let summary = &doc["summary"];
    for k in ["files_scanned", "findings", "errors", "warnings", "infos"] {
        assert!(summary[k].is_u64(), "summary.{k}");
    }
    let findings = doc["findings"].as_array().expect("findings");
    assert_eq!(summary["findings"].as_u64(), Some(findings.len() as u64));
    for f in findings {
        for k in [
            "rule",
            "name",
            "severity",
            "path",
            "message",
            "help",
            "fingerprint",
        ] {
            assert!(f[k].is_string(), "finding.{k}: {f}");
        }
        for k in ["line", "column", "end_line", "end_column"] {
            assert!(f[k].as_u64().is_some_and(|n| n >= 1), "finding.{k}: {f}");
        }
        assert!(f["related"].is_array());
    }
}

#[test]
fn no_format_prints_a_fixture_key_in_full() {
    let keys = fixture_keys();
    assert!(keys.len() >= 8, "the fixtures hold keys: {keys:?}");
    for fixture in [
        "python-app",
        "env-mistakes",
        "leaky-node",
        "code-python",
        "code-js",
        "code-go",
        "code-ruby",
        "code-shell",
        "code-notebook",
        "configs",
        "fixable",
    ] {
        let repo = fixture_repo(fixture);
        for format in ["pretty", "concise", "json", "sarif", "github", "gitlab"] {
            let out = credlint()
                .current_dir(repo.path())
                .args(["check", "--format", format])
                .output()
                .expect("run");
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                text.contains("KEY0"),
                "{fixture} {format}: expected key findings\n{text}"
            );
            for k in &keys {
                assert!(
                    !text.contains(k.as_str()),
                    "{fixture} --format {format} printed a key in full"
                );
                // not even most of it
                let head = &k[..k.len() * 3 / 4];
                assert!(
                    !text.contains(head),
                    "{fixture} --format {format} printed most of a key"
                );
            }
        }
    }
}

#[test]
fn bad_files_are_counted_not_fatal() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    fs::create_dir(root.join(".git")).expect("git");
    fs::write(root.join("blob.bin"), b"\x00\x01\x02OPENAI_API_KEY").expect("write");
    fs::write(
        root.join("latin1.py"),
        b"name = \"caf\xe9\"\nORG = \"org-YgojjHRg80USP2W5DfJXcaYi\"\n",
    )
    .expect("write");
    fs::write(root.join("big.txt"), vec![b'a'; 2048]).expect("write");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("loop-b", root.join("loop-a")).expect("symlink");
        std::os::unix::fs::symlink("loop-a", root.join("loop-b")).expect("symlink");
    }
    let out = credlint()
        .current_dir(root)
        .args(["check", "--format", "json", "--max-file-size", "1024"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // the invalid UTF-8 file is decoded lossily and still checked
    let findings = doc["findings"].as_array().expect("findings");
    assert!(
        findings
            .iter()
            .any(|f| f["path"] == "latin1.py" && f["rule"] == "ORG001")
    );
    let skipped = &doc["summary"]["skipped"];
    assert_eq!(skipped["binary"], 1);
    assert_eq!(skipped["too large"], 1);
    #[cfg(unix)]
    assert_eq!(skipped["symlink"], 2);
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported_and_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    fs::set_permissions(root, fs::Permissions::from_mode(0o755)).expect("chmod");
    fs::create_dir(root.join(".git")).expect("git");
    let p = root.join("secret.py");
    fs::write(&p, "ORG = 'org-YgojjHRg80USP2W5DfJXcaYi'\n").expect("write");
    fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).expect("chmod");
    let Some(mut cmd) = credlint_unprivileged(&p) else {
        return;
    };
    cmd.current_dir(root)
        .args(["check"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("secret.py: cannot read"));
}

#[test]
fn explicit_symlink_loop_is_a_clear_error() {
    #[cfg(unix)]
    {
        let dir = tempfile::tempdir().expect("tmp");
        std::os::unix::fs::symlink("b", dir.path().join("a")).expect("symlink");
        std::os::unix::fs::symlink("a", dir.path().join("b")).expect("symlink");
        credlint()
            .current_dir(dir.path())
            .args(["check", "a"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("symlink loop"));
    }
}

#[test]
fn explicit_binary_file_only_is_an_error_not_a_pass() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(dir.path().join("x.bin"), b"\x00\x00").expect("write");
    credlint()
        .current_dir(dir.path())
        .args(["check", "x.bin"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no file could be scanned"));
}

#[test]
fn rules_and_rule_explain() {
    credlint().arg("rules").assert().code(0).stdout(
        predicate::str::contains("ORG001")
            .and(predicate::str::contains("hardcoded-organization-id")),
    );
    credlint()
        .args(["rule", "org001"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("## Why is this bad?"));
    credlint().args(["rule", "XYZ999"]).assert().code(2);
}

#[test]
fn readme_rule_table_is_current() {
    let readme =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let table = credlint::cli::rule_table(credlint::rule::builtin());
    let start =
        readme.find("<!-- rules:start -->").expect("start marker") + "<!-- rules:start -->\n".len();
    let end = readme.find("<!-- rules:end -->").expect("end marker");
    assert_eq!(
        &readme[start..end],
        table,
        "README rule table is stale: regenerate it with `cargo run -- rules --markdown`"
    );
}

#[test]
fn explicit_file_arguments_report_only_those_files() {
    let repo = fixture_repo("python-app");
    let out = credlint()
        .current_dir(repo.path())
        .args(["check", "--format", "concise", "app/client.py"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(": ")).collect();
    assert!(!lines.is_empty());
    assert!(
        lines.iter().all(|l| l.starts_with("app/client.py:")),
        "{text}"
    );
    assert!(text.contains("in 1 file."), "{text}");
}

#[test]
fn exclude_globs_leave_paths_out() {
    let repo = fixture_repo("python-app");
    let out = credlint()
        .current_dir(repo.path())
        .args([
            "check",
            "--format",
            "concise",
            "--exclude",
            "app/",
            "--exclude",
            "*.md",
        ])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("app/client.py"), "{text}");
    assert!(!text.contains("README.md"), "{text}");
    assert!(text.contains(".env.example"), "{text}");
}

#[test]
fn output_is_the_same_on_any_thread_count() {
    let repo = fixture_repo("env-mistakes");
    let run = |j: &str| {
        credlint()
            .current_dir(repo.path())
            .args(["check", "--format", "json", "-j", j])
            .output()
            .expect("run")
            .stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    for _ in 0..3 {
        assert_eq!(run("2"), one);
        assert_eq!(run("8"), one);
    }
}

#[test]
fn gitignored_env_files_are_scanned_as_local() {
    // .env is ignored by the fixture's .gitignore: scanned (its empty key is
    // KEY002) but its key is not KEY001 (local files are where keys belong).
    let repo = fixture_repo("python-app");
    fs::write(repo.path().join(".env"), "OPENAI_API_KEY=\n").expect("write");
    let out = credlint()
        .current_dir(repo.path())
        .args(["check", "--format", "concise", "--select", "KEY"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(".env:1:1: KEY002"), "{text}");
    let ignored_dir = fixture_repo("python-app");
    let out = credlint()
        .current_dir(ignored_dir.path())
        .args(["check", "--format", "concise"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains(".venv/"),
        "ignored folders are skipped: {text}"
    );
    assert!(!text.contains(".env:1"), "a local .env key is fine: {text}");
}

#[test]
fn numeric_options_out_of_range_are_usage_errors() {
    // u64::MAX bytes overflowed the read limit: every file read as empty
    // and a project with findings passed. A huge thread count tried to
    // start that many threads; a huge timeout overflowed the deadline.
    let repo = fixture_repo("python-app");
    for (args, what) in [
        (
            &["--max-file-size", "18446744073709551615"][..],
            "--max-file-size",
        ),
        (&["--max-file-size", "0"], "--max-file-size"),
        (&["-j", "100000"], "--threads"),
        (&["-j", "0"], "--threads"),
        (
            &["--verify", "--verify-timeout", "18446744073709551615"],
            "--verify-timeout",
        ),
        (&["--verify", "--verify-timeout", "0"], "--verify-timeout"),
    ] {
        credlint()
            .current_dir(repo.path())
            .arg("check")
            .args(args)
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(what).and(predicate::str::contains("between 1 and")));
    }
    // The largest size accepted still finds what is there.
    credlint()
        .current_dir(repo.path())
        .args(["check", "--max-file-size", "68719476736"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ORG001"));
    // credlint.toml's limit is checked the same way, pointing into the file.
    fs::write(
        repo.path().join("credlint.toml"),
        "max_file_size = 9223372036854775807\n",
    )
    .expect("write");
    credlint()
        .current_dir(repo.path())
        .args(["check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`max_file_size` must be between 1 and",
        ));
}

/// `credlint` for a test of `locked`, a path made unreadable: as is when
/// that stops this process, else (running as root, whom permissions do not
/// stop) as the user `nobody`; `None` when that is not possible here.
#[cfg(unix)]
fn credlint_unprivileged(locked: &std::path::Path) -> Option<Command> {
    if fs::File::open(locked).is_err() {
        return Some(credlint());
    }
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    let mut c = Command::new(setpriv);
    c.env("NO_COLOR", "1")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
    c.arg(assert_cmd::cargo::cargo_bin("credlint"));
    Some(c)
}

#[cfg(unix)]
#[test]
fn a_named_folder_that_cannot_be_read_is_a_usage_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    fs::set_permissions(root, fs::Permissions::from_mode(0o755)).expect("chmod");
    fs::create_dir(root.join("locked")).expect("mkdir");
    fs::write(
        root.join("locked/app.py"),
        "ORG = 'org-YgojjHRg80USP2W5DfJXcaYi'\n",
    )
    .expect("write");
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o000)).expect("chmod");
    let Some(mut cmd) = credlint_unprivileged(&root.join("locked")) else {
        return;
    };
    let out = cmd
        .current_dir(root)
        .args(["check", "locked/", "--format", "json"])
        .output()
        .expect("run");
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o755)).expect("chmod");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("locked/: permission denied"), "{err}");
    assert!(out.stdout.is_empty(), "no report of 0 files");
}

#[test]
fn an_unclosed_class_in_an_exclude_glob_is_a_usage_error() {
    // gitignore reads `[` as a literal: the glob matched nothing and the
    // run went on as if no exclude had been given.
    let repo = fixture_repo("python-app");
    for glob in ["[", "app/[", "{a"] {
        credlint()
            .current_dir(repo.path())
            .args(["check", "--exclude", glob])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "invalid exclude glob {glob:?}"
            )));
    }
    // A closed class still works.
    credlint()
        .current_dir(repo.path())
        .args(["check", "--exclude", "[a]pp/", "--select", "ORG001"])
        .assert()
        .stdout(predicate::str::contains("app/client.py").not());
}

#[test]
fn no_rule_text_puts_an_article_before_an_argument() {
    // "a {kind}" read "a OpenAI project API key": no article fits every
    // provider name, so templates word around it ("the {kind}").
    let article = regex::Regex::new(r#"(?i)\b(a|an) [`"']?\{"#).expect("regex");
    let mut bad = Vec::new();
    for e in fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
        .expect("rules/")
    {
        let path = e.expect("entry").path();
        if path.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let text = fs::read_to_string(&path).expect("read");
        for line in text.lines() {
            let t = line.trim_start();
            if (t.starts_with("message") || t.starts_with("help")) && article.is_match(t) {
                bad.push(format!("{}: {t}", path.display()));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
    // And what users saw.
    let repo = fixture_repo("python-app");
    credlint()
        .current_dir(repo.path())
        .args(["check"])
        .assert()
        .stdout(
            predicate::str::contains("next to the OpenAI project API key")
                .and(predicate::str::contains("a OpenAI").not()),
        );
}

#[cfg(unix)]
#[test]
fn the_summary_counts_files_and_folders_apart_in_plural_words() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    fs::set_permissions(root, fs::Permissions::from_mode(0o755)).expect("chmod");
    fs::create_dir(root.join(".git")).expect("git");
    fs::create_dir(root.join("src")).expect("mkdir");
    fs::write(root.join("src/app.py"), "print(1)\n").expect("write");
    for i in 0..6 {
        symlink("src/app.py", root.join(format!("link{i}.py"))).expect("symlink");
    }
    symlink("src", root.join("src-link")).expect("symlink");
    fs::create_dir(root.join("locked")).expect("mkdir");
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o000)).expect("chmod");
    let Some(mut cmd) = credlint_unprivileged(&root.join("locked")) else {
        return;
    };
    let out = cmd
        .current_dir(root)
        .args(["check", "--format", "concise"])
        .output()
        .expect("run");
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o755)).expect("chmod");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(
        text.trim_end(),
        "No problems found in 1 file. Skipped 6 files (6 symlinks) \
         and 2 folders (1 symlink, 1 unreadable)."
    );
}
