//! `credlint check --verify` end to end: the binary against the mock
//! provider on loopback, on a fixture repository with one pairing of each
//! kind; redaction in every output format; nothing sent without `--verify`.

#![cfg(feature = "verify")]

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

mod common;

use common::mock::{self, Mock};

const FORMATS: &[&str] = &["pretty", "concise", "json", "sarif", "github", "gitlab"];

fn credlint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("credlint").expect("binary");
    c.env("CREDLINT_NO_CACHE", "1");
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

/// `credlint check --verify --api-base MOCK --format FORMAT PATHS…` in `dir`.
fn check_verify(dir: &Path, mock: &Mock, format: &str, paths: &[&str]) -> Output {
    credlint(dir)
        .args([
            "check",
            "--verify",
            "--api-base",
            &mock.root,
            "--format",
            format,
        ])
        .args(paths)
        .output()
        .expect("runs")
}

/// Everything a run printed.
fn all_text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("JSON report")
}

/// `(code, path:line:col)` of every VERIFY finding.
fn verify_findings(report: &Value) -> BTreeSet<(String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"].as_str().is_some_and(|c| c.starts_with("VERIFY")))
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                format!(
                    "{}:{}:{}",
                    f["path"].as_str().unwrap_or(""),
                    f["line"],
                    f["column"]
                ),
            )
        })
        .collect()
}

fn finding<'a>(report: &'a Value, code: &str, path: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == code && f["path"] == path)
        .unwrap_or_else(|| panic!("no {code} at {path}"))
}

#[test]
fn each_pairing_of_the_fixture_gets_its_code() {
    let repo = common::fixture_repo("verify-pairs");
    let mock = Mock::start();
    let out = check_verify(repo.path(), &mock, "json", &[]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let report = json(&out.stdout);
    let want: BTreeSet<(String, String)> = [
        ("VERIFY001", "revoked/.env:1:16"),
        ("VERIFY002", "wrong-org/.env:1:16"),
        ("VERIFY002", "api/.env:1:16"),
        ("VERIFY003", "wrong-project/.env:1:16"),
        ("VERIFY004", "limited/.env:1:16"),
    ]
    .iter()
    .map(|(c, a)| (c.to_string(), a.to_string()))
    .collect();
    assert_eq!(verify_findings(&report), want);

    // The help names the organizations the key belongs to (from GET /me);
    // the organization that was sent is the related location.
    let org = finding(&report, "VERIFY002", "wrong-org/.env");
    let help = org["help"].as_str().expect("help");
    assert!(
        help.contains(mock::ORG_A) && help.contains(mock::ORG_C),
        "{help}"
    );
    assert_eq!(org["severity"], "error");
    assert_eq!(org["related"][0]["path"], "wrong-org/.env");
    assert_eq!(org["related"][0]["line"], 2);
    // The code's organization sent with the key of its env file.
    let code = finding(&report, "VERIFY002", "api/.env");
    assert_eq!(code["related"][0]["path"], "api/app.py");
    assert_eq!(code["related"][0]["line"], 7);
    let project = finding(&report, "VERIFY003", "wrong-project/.env");
    assert_eq!(project["related"][0]["line"], 2);
    assert_eq!(
        finding(&report, "VERIFY004", "limited/.env")["severity"],
        "info"
    );

    // One request per distinct tuple: six (good, wrong project, revoked,
    // limited, the key of api/.env alone, and that key with the wrong
    // organization, which wrong-org/.env and api/app.py both send), one
    // retry for the rate-limited key, one GET /me for the mismatch.
    let seen = mock.seen();
    let models = seen.iter().filter(|s| s.path == "/models").count();
    let me = seen.iter().filter(|s| s.path == "/me").count();
    assert_eq!((models, me), (7, 1), "{seen:#?}");
    // Exactly the headers the SDK would send.
    let good = seen
        .iter()
        .find(|s| s.header("openai-project") == Some(mock::PROJ_A))
        .expect("the good pairing was sent");
    assert_eq!(good.header("openai-organization"), Some(mock::ORG_A));
    let bare = seen
        .iter()
        .filter(|s| s.header("authorization") == Some(&format!("Bearer {}", mock::REVOKED_KEY)))
        .collect::<Vec<_>>();
    assert_eq!(bare.len(), 1);
    assert!(bare[0].header("openai-organization").is_none());
    assert!(bare[0].header("openai-project").is_none());
}

#[test]
fn a_rate_limited_key_alone_does_not_fail_the_run() {
    let repo = common::fixture_repo("verify-pairs");
    for dir in ["good", "wrong-org", "wrong-project", "revoked", "api"] {
        fs::remove_dir_all(repo.path().join(dir)).expect("rm");
    }
    let mock = Mock::start();
    let out = check_verify(repo.path(), &mock, "concise", &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("VERIFY004"), "{stdout}");
    assert!(stdout.contains("rate limited (HTTP 429)"), "{stdout}");
    assert_eq!(out.status.code(), Some(0), "{stdout}");
}

#[test]
fn keys_are_redacted_in_every_format() {
    let repo = common::fixture_repo("verify-pairs");
    let mock = Mock::start();
    let keys = [
        mock::PROJECT_KEY,
        mock::USER_KEY,
        mock::REVOKED_KEY,
        mock::LIMITED_KEY,
    ];
    for format in FORMATS {
        let out = check_verify(repo.path(), &mock, format, &[]);
        let text = all_text(&out);
        assert!(text.contains("VERIFY00"), "{format}: {text}");
        for key in keys {
            // Neither the key nor any 12 characters of its secret part.
            let secret = &key[key.len() - 16..key.len() - 4];
            assert!(
                !text.contains(key) && !text.contains(secret),
                "{format} prints a key: {text}"
            );
        }
        if *format == "concise" {
            assert!(text.contains("(sk-proj-…YU6C)"), "{text}");
        }
    }
}

/// A repository whose key is revoked and whose base URL is the mock: any
/// request would reach it.
fn pointed_at(mock: &Mock) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join(".git")).expect("mkdir");
    fs::write(dir.path().join(".gitignore"), ".env\n").expect("write");
    fs::write(
        dir.path().join(".env"),
        format!(
            "OPENAI_API_KEY={}\nOPENAI_BASE_URL={}\n",
            mock::REVOKED_KEY,
            mock.base()
        ),
    )
    .expect("write");
    dir
}

#[test]
fn nothing_is_sent_without_verify() {
    let mock = Mock::start();
    let repo = pointed_at(&mock);
    for format in FORMATS {
        credlint(repo.path())
            .args(["check", "--format", format])
            .assert()
            .code(0);
    }
    credlint(repo.path())
        .args(["check", "--fix"])
        .assert()
        .code(0);
    assert!(mock.seen().is_empty(), "{:#?}", mock.seen());

    // The scope's own base URL is used; `verify = true` in credlint.toml
    // turns verification on, `--no-verify` off again.
    fs::write(repo.path().join("credlint.toml"), "verify = true\n").expect("write");
    credlint(repo.path())
        .args(["check", "--no-verify"])
        .assert()
        .code(0);
    assert!(mock.seen().is_empty());
    let out = credlint(repo.path())
        .args(["check", "--format", "concise"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("VERIFY001"));
    assert_eq!(mock.seen().len(), 1);
    assert_eq!(mock.seen()[0].path, "/v1/models");
}

#[test]
fn verify_options_are_checked() {
    let mock = Mock::start();
    let repo = pointed_at(&mock);
    let err = |args: &[&str]| {
        let out = credlint(repo.path()).args(args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(err(&["check", "--api-base", "https://proxy.example/v1"]).contains("need --verify"));
    assert!(
        err(&[
            "check",
            "--verify",
            "--api-base",
            "http://proxy.internal/v1"
        ])
        .contains("clear text")
    );
    assert!(
        err(&[
            "check",
            "--verify",
            "--api-base",
            "nosuch=https://x.example"
        ])
        .contains("unknown provider")
    );
    assert!(mock.seen().is_empty());
    // A scope's base URL that is plain http off this machine is not sent to.
    fs::write(
        repo.path().join(".env"),
        format!(
            "OPENAI_API_KEY={}\nOPENAI_BASE_URL=http://192.0.2.1/v1\n",
            mock::REVOKED_KEY
        ),
    )
    .expect("write");
    let out = credlint(repo.path())
        .args(["check", "--verify", "--format", "concise"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("VERIFY004") && stdout.contains("not sent"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(0));
}

/// Files named on the command line (pre-commit): only the scopes with a
/// setting in them are sent, and the finding is in a named file.
#[test]
fn named_files_send_only_their_scopes() {
    let repo = common::fixture_repo("verify-pairs");
    let run = |paths: &[&str]| {
        let mock = Mock::start();
        let out = check_verify(repo.path(), &mock, "json", paths);
        (
            verify_findings(&json(&out.stdout)),
            json(&out.stdout),
            mock.seen(),
        )
    };
    let (found, report, seen) = run(&["api/app.py"]);
    assert_eq!(
        found,
        [("VERIFY002".to_string(), "api/app.py:7:19".to_string())].into()
    );
    let f = finding(&report, "VERIFY002", "api/app.py");
    assert_eq!(f["related"][0]["path"], "api/.env");
    assert!(
        f["related"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("sk-…KLzd"))
    );
    // The wrong pairing and the owner lookup; not the other services.
    assert_eq!(seen.len(), 2, "{seen:#?}");

    let (found, _, seen) = run(&["revoked/.env"]);
    assert_eq!(
        found,
        [("VERIFY001".to_string(), "revoked/.env:1:16".to_string())].into()
    );
    assert_eq!(seen.len(), 1);

    let (found, _, seen) = run(&["README.md", "requirements.txt"]);
    assert!(found.is_empty() && seen.is_empty());
}

/// A key pasted into the organization or base URL variable is sent as the
/// app would send it, and masked in every report all the same.
#[test]
fn a_key_in_the_wrong_slot_is_masked_too() {
    let mock = Mock::start();
    let repo = pointed_at(&mock);
    fs::write(
        repo.path().join(".env"),
        format!(
            "OPENAI_API_KEY={}\nOPENAI_ORG_ID={}\nOPENAI_BASE_URL={}\n",
            mock::USER_KEY,
            mock::REVOKED_KEY,
            mock.base()
        ),
    )
    .expect("write");
    fs::create_dir(repo.path().join("b")).expect("mkdir");
    fs::write(
        repo.path().join("b/.env"),
        format!(
            "OPENAI_API_KEY={}\nOPENAI_BASE_URL={}\n",
            mock::USER_KEY,
            mock::LIMITED_KEY
        ),
    )
    .expect("write");
    for format in FORMATS {
        let out = credlint(repo.path())
            .args(["check", "--verify", "--format", format])
            .output()
            .expect("runs");
        let text = all_text(&out);
        assert!(
            text.contains("VERIFY002") && text.contains("VERIFY004"),
            "{format}: {text}"
        );
        for key in [mock::USER_KEY, mock::REVOKED_KEY, mock::LIMITED_KEY] {
            let secret = &key[key.len() - 16..key.len() - 4];
            assert!(!text.contains(secret), "{format} prints a key: {text}");
        }
    }
}

/// An Azure key in an env file without the endpoint is verified where code
/// gives it one; with no endpoint anywhere, it is not sent.
#[test]
fn an_azure_key_is_sent_to_the_endpoint_its_client_sets() {
    let mock = Mock::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    fs::create_dir(root.join(".git")).expect("mkdir");
    fs::write(root.join(".gitignore"), ".env\n").expect("write");
    fs::write(
        root.join(".env"),
        "AZURE_OPENAI_API_KEY=0123456789abcdef0123456789abcdef\n",
    )
    .expect("write");
    fs::write(
        root.join("app.py"),
        format!(
            "import os\nfrom openai import AzureOpenAI\n\nclient = AzureOpenAI(\n    azure_endpoint=\"{}\",\n    api_key=os.environ[\"AZURE_OPENAI_API_KEY\"],\n    api_version=\"2024-10-21\",\n)\n",
            mock.root
        ),
    )
    .expect("write");
    let run = || {
        credlint(root)
            .args(["check", "--verify", "--format", "concise"])
            .output()
            .expect("runs")
    };
    let out = run();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(stdout.contains(".env:1:22: VERIFY001"), "{stdout}");
    assert!(!stdout.contains("VERIFY004"), "{stdout}");
    let seen = mock.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/openai/models?api-version=2024-10-21");

    fs::remove_file(root.join("app.py")).expect("rm");
    let stdout = String::from_utf8_lossy(&run().stdout).into_owned();
    assert!(
        stdout.contains("VERIFY004") && stdout.contains("no endpoint"),
        "{stdout}"
    );
    assert_eq!(mock.seen().len(), 1);
}
