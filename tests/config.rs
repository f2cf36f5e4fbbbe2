//! `credlint.toml` end to end: discovery, `--config`, `--isolated`, every
//! key, and the rendering of errors that point into the file.

mod common;

use std::fs;

use common::{check_json, credlint, found, repo_with};

const ORG_A: &str = "org-8eKhohB0jjXufkSvsS98Ct38";
const ORG_B: &str = "org-bEc9PYygAcHkqlZ4GbrLVLkw";
const OPENAI_KEY: &str = "sk-proj-kLEXxXLqQHcTsMg0ZIwwBhwvIM501oHginjgsjgUT3BlbkFJ5ojAedNLNzHU1nX5oVSzY1fxGDVIRFy4TxBJUeXc";
const ANTHROPIC_KEY: &str = "sk-ant-api03-qIv_GpeQoMLlnT6atUTDfhWvFFdtjKGLxdMVOe307O5Cm3xAfT4_zidAV0Rn2S1aHDbcrvhsPub3eZ4HnXh5Va1NdW-FBAA";

/// A repository with an ORG001, a KEY001 and a KEY002 finding.
fn three_findings(config: Option<&str>) -> tempfile::TempDir {
    let app = format!("ORG = \"{ORG_A}\"\n");
    let docs = format!("Use a key like {OPENAI_KEY}\n");
    let mut files = vec![
        (".gitignore", ".env\n"),
        ("app.py", app.as_str()),
        ("docs/setup.md", docs.as_str()),
        (".env", "OPENAI_API_KEY=\n"),
    ];
    if let Some(c) = config {
        files.push(("credlint.toml", c));
    }
    repo_with(&files)
}

#[test]
fn without_config_every_rule_runs() {
    let repo = three_findings(None);
    let (code, doc, _) = check_json(repo.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        found(&doc),
        ["KEY002 .env:1", "ORG001 app.py:1", "KEY001 docs/setup.md:1"]
    );
}

#[test]
fn select_key() {
    let repo = three_findings(Some("select = [\"ORG\"]\n"));
    let (_, doc, _) = check_json(repo.path(), &[]);
    assert_eq!(found(&doc), ["ORG001 app.py:1"]);
    // the command line's --select replaces the file's
    let (_, doc, _) = check_json(repo.path(), &["--select", "KEY001"]);
    assert_eq!(found(&doc), ["KEY001 docs/setup.md:1"]);
}

#[test]
fn ignore_key() {
    let repo = three_findings(Some("ignore = [\"KEY\"]\n"));
    let (_, doc, _) = check_json(repo.path(), &[]);
    assert_eq!(found(&doc), ["ORG001 app.py:1"]);
    // the command line's --ignore adds to the file's
    let (code, doc, _) = check_json(repo.path(), &["--ignore", "ORG001"]);
    assert_eq!(found(&doc), Vec::<String>::new());
    assert_eq!(code, 0);
}

#[test]
fn severity_key() {
    let repo = three_findings(Some(
        "select = [\"ORG001\"]\n[severity]\nORG001 = \"info\"\n",
    ));
    let (code, doc, _) = check_json(repo.path(), &[]);
    assert_eq!(found(&doc), ["ORG001 app.py:1"]);
    assert_eq!(doc["findings"][0]["severity"], "info");
    assert_eq!(code, 0, "infos do not fail the run");
    // a prefix selector, overridden by a more specific one
    let repo = three_findings(Some("[severity]\nKEY = \"info\"\nKEY002 = \"warning\"\n"));
    let (_, doc, _) = check_json(repo.path(), &[]);
    let sev: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["rule"], f["severity"]))
        .collect();
    assert_eq!(
        sev,
        [
            "\"KEY002\" \"warning\"",
            "\"ORG001\" \"error\"",
            "\"KEY001\" \"info\""
        ]
    );
}

#[test]
fn exclude_globs_are_relative_to_the_config_folder() {
    let org = format!("ORG = \"{ORG_A}\"\n");
    let repo = repo_with(&[
        (
            "credlint.toml",
            "exclude = [\"/sub/skip.py\", \"*.gen.py\"]\n",
        ),
        ("skip.py", &org),
        ("sub/skip.py", &org),
        ("sub/keep.py", &org),
        ("sub/deeper/x.gen.py", &org),
    ]);
    // scanning the subfolder: the anchored glob still means ROOT/sub/skip.py
    let (_, doc, _) = check_json(&repo.path().join("sub"), &["."]);
    assert_eq!(found(&doc), ["ORG001 keep.py:1"]);
    let (_, doc, _) = check_json(repo.path(), &[]);
    assert_eq!(found(&doc), ["ORG001 skip.py:1", "ORG001 sub/keep.py:1"]);
    // --exclude is relative to the current folder
    let (_, doc, _) = check_json(repo.path(), &["--exclude", "sub/keep.py"]);
    assert_eq!(found(&doc), ["ORG001 skip.py:1"]);
}

#[test]
fn explicit_files_are_checked_unless_force_exclude() {
    let org = format!("ORG = \"{ORG_A}\"\n");
    let repo = repo_with(&[
        ("credlint.toml", "exclude = [\"generated/\"]\n"),
        ("generated/lib.py", &org),
        ("app.py", "print('hello')\n"),
    ]);
    let (code, doc, _) = check_json(repo.path(), &["generated/lib.py"]);
    assert_eq!(
        (code, found(&doc)),
        (1, vec!["ORG001 generated/lib.py:1".to_string()])
    );
    // as pre-commit passes them: excluded files are skipped, and said so
    let (code, doc, stderr) = check_json(repo.path(), &["--force-exclude", "generated/lib.py"]);
    assert_eq!(code, 0);
    assert_eq!(doc["summary"]["files_scanned"], 0);
    assert_eq!(doc["summary"]["skipped"]["excluded"], 1);
    assert!(stderr.contains("every file given is excluded"), "{stderr}");
    let (code, doc, _) = check_json(
        repo.path(),
        &["--force-exclude", "generated/lib.py", "app.py"],
    );
    assert_eq!(code, 0);
    assert_eq!(doc["summary"]["files_scanned"], 1);
}

#[test]
fn extend_include_scans_ignored_paths() {
    let org = format!("ORG = \"{ORG_A}\"\n");
    let files = [
        (".gitignore", "build/\nsecrets/\n"),
        (".ignore", "generated/\n"),
        ("build/settings.yaml", "openai:\n  organization: org-x\n"),
        ("build/other.yaml", "a: 1\n"),
        ("secrets/prod/.env", "OPENAI_API_KEY=\n"),
        ("generated/conf.py", org.as_str()),
        ("app.py", "print('hi')\n"),
    ];
    let repo = repo_with(&files);
    let (_, doc, _) = check_json(repo.path(), &[]);
    assert_eq!(
        doc["summary"]["files_scanned"], 3,
        "app.py, .gitignore, .ignore"
    );
    assert_eq!(found(&doc), Vec::<String>::new());

    fs::write(
        repo.path().join("credlint.toml"),
        "extend_include = [\"build/settings.yaml\", \"secrets/\", \"generated/*.py\"]\n",
    )
    .unwrap();
    let (_, doc, _) = check_json(repo.path(), &[]);
    // + credlint.toml, build/settings.yaml, secrets/prod/.env, generated/conf.py
    assert_eq!(doc["summary"]["files_scanned"], 7);
    // generated/ is skipped by .ignore, not by git: committed, so ORG001 fires;
    // secrets/prod/.env is git-ignored: a local env file, KEY002 fires;
    // build/settings.yaml is read as a config: `org-x` is no org ID
    assert_eq!(
        found(&doc),
        [
            "ORG002 build/settings.yaml:2",
            "ORG001 generated/conf.py:1",
            "KEY002 secrets/prod/.env:1"
        ]
    );

    // exclude wins; an unanchored glob finds files at any depth
    fs::write(
        repo.path().join("credlint.toml"),
        "extend_include = [\"*.env\", \".env\", \"*.py\"]\nexclude = [\"generated/\"]\n",
    )
    .unwrap();
    let (_, doc, _) = check_json(repo.path(), &[]);
    assert_eq!(found(&doc), ["KEY002 secrets/prod/.env:1"]);
}

#[test]
fn max_file_size_key() {
    let repo = three_findings(Some("max_file_size = 20\n"));
    let (_, doc, _) = check_json(repo.path(), &[]);
    // app.py (38 bytes) and docs/setup.md are over the limit; .env is not
    assert_eq!(found(&doc), ["KEY002 .env:1"]);
    assert!(doc["summary"]["skipped"]["too large"].as_u64() >= Some(2));
    let (_, doc, _) = check_json(repo.path(), &["--max-file-size", "100000"]);
    assert_eq!(found(&doc).len(), 3, "the command line wins");
}

#[test]
fn providers_key() {
    let docs = format!("OpenAI: {OPENAI_KEY}\nAnthropic: {ANTHROPIC_KEY}\n");
    let app = format!("ORG = \"{ORG_A}\"\n");
    let files = [("docs/keys.md", docs.as_str()), ("app.py", app.as_str())];
    let repo = repo_with(&files);
    let (_, doc, _) = check_json(repo.path(), &[]);
    assert_eq!(
        found(&doc),
        [
            "ORG001 app.py:1",
            "KEY001 docs/keys.md:1",
            "KEY001 docs/keys.md:2"
        ]
    );
    fs::write(
        repo.path().join("credlint.toml"),
        "providers = [\"anthropic\"]\n",
    )
    .unwrap();
    let (_, doc, _) = check_json(repo.path(), &[]);
    assert_eq!(found(&doc), ["KEY001 docs/keys.md:2"]);
    fs::write(
        repo.path().join("credlint.toml"),
        "providers = [\"openai\"]\n",
    )
    .unwrap();
    let (_, doc, _) = check_json(repo.path(), &[]);
    assert_eq!(found(&doc), ["ORG001 app.py:1", "KEY001 docs/keys.md:1"]);
}

#[test]
fn discovery_config_flag_and_isolated() {
    let org = format!("ORG = \"{ORG_A}\"\nORG2 = \"{ORG_B}\"\n");
    let repo = repo_with(&[
        (".credlint.toml", "ignore = [\"ORG\"]\n"),
        ("sub/app.py", &org),
        (
            "conf/strict.toml",
            "exclude = [\"/local.py\", \"/app.py\"]\n",
        ),
        ("conf/local.py", &org),
        ("app.py", &org),
    ]);
    // .credlint.toml of the repository root, found from a subfolder
    let (code, doc, _) = check_json(&repo.path().join("sub"), &[]);
    assert_eq!((code, found(&doc)), (0, vec![]));
    let (_, doc, _) = check_json(&repo.path().join("sub"), &["--isolated"]);
    assert_eq!(found(&doc), ["ORG001 app.py:1", "ORG001 app.py:2"]);
    // --config: its globs are relative to its own folder (conf/)
    let (_, doc, _) = check_json(repo.path(), &["--config", "conf/strict.toml"]);
    assert_eq!(
        found(&doc),
        [
            "ORG001 app.py:1",
            "ORG001 app.py:2",
            "ORG001 sub/app.py:1",
            "ORG001 sub/app.py:2"
        ]
    );
    credlint()
        .current_dir(repo.path())
        .args(["check", "--config", "c.toml", "--isolated"])
        .assert()
        .code(2);
    credlint()
        .current_dir(repo.path())
        .args(["check", "--config", "missing.toml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("missing.toml"));
}

/// stderr of a check in a repository whose credlint.toml is `config`.
fn config_error(config: &str) -> String {
    let repo = repo_with(&[("credlint.toml", config), ("app.py", "x = 1\n")]);
    let out = credlint()
        .current_dir(repo.path())
        .args(["check"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).expect("utf-8")
}

#[test]
fn error_unknown_key() {
    insta::assert_snapshot!(config_error("select = [\"KEY\"]\nexlude = [\"vendor/\"]\n"));
}

#[test]
fn error_unknown_rule_codes() {
    insta::assert_snapshot!(config_error(
        "select = [\"KEY\", \"KEY999\"]\nignore = [\"ORG01X\"]\n\n[severity]\nPAIR999 = \"info\"\n"
    ));
}

#[test]
fn error_unknown_provider_and_bad_value() {
    insta::assert_snapshot!(config_error(
        "providers = [\"openai\", \"opnai\"]\nmax_file_size = \"5MB\"\n"
    ));
    insta::assert_snapshot!(config_error("providers = [\"openai\", \"opnai\"]\n"));
}
