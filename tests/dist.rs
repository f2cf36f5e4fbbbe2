//! How credlint reaches its users, checked: the rule pages in `docs/rules/`
//! (generated, and what SARIF `helpUri` and `credlint rule` point at), shell
//! completions and man pages, the GitHub Action (`action.yml`: structure,
//! and its scripts run against the real binary), the pre-commit manifests
//! and the Python packaging metadata. The wheel itself is built and run by
//! `tests/wheel.sh`.
//!
//! `CREDLINT_BLESS=1 cargo test --test dist rule_pages` rewrites the
//! generated pages.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use credlint::rule::spec;

use common::{credlint, fixture_repo};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn bless() -> bool {
    std::env::var_os("CREDLINT_BLESS").is_some_and(|v| v == "1")
}

// ---------------------------------------------------------------------------
// Rule pages and the links to them

/// Every generated file under `docs/rules/`: `CODE.md` per rule and the
/// index `README.md`.
fn rule_pages() -> BTreeMap<String, String> {
    let rules = credlint::rule::builtin();
    let mut pages: BTreeMap<String, String> = rules
        .iter()
        .map(|r| (spec::doc_path(&r.code), spec::doc_page(r)))
        .collect();
    pages.insert("docs/rules/README.md".into(), spec::doc_index(rules));
    pages
}

#[test]
fn rule_pages_are_generated_from_the_rule_files() {
    let pages = rule_pages();
    let dir = root().join("docs/rules");
    if bless() {
        fs::create_dir_all(&dir).expect("mkdir docs/rules");
        for e in fs::read_dir(&dir).expect("docs/rules").flatten() {
            fs::remove_file(e.path()).expect("remove a stale page");
        }
        for (rel, text) in &pages {
            fs::write(root().join(rel), text).expect("write page");
        }
    }
    let on_disk: BTreeSet<String> = fs::read_dir(&dir)
        .expect("docs/rules/ (CREDLINT_BLESS=1 cargo test --test dist rule_pages makes it)")
        .flatten()
        .map(|e| format!("docs/rules/{}", e.file_name().to_string_lossy()))
        .collect();
    let wanted: BTreeSet<String> = pages.keys().cloned().collect();
    assert_eq!(
        on_disk, wanted,
        "docs/rules/ has other pages than the rules: regenerate with CREDLINT_BLESS=1 cargo test --test dist rule_pages"
    );
    for (rel, text) in &pages {
        assert!(
            read(rel) == *text,
            "{rel} is stale: regenerate it with CREDLINT_BLESS=1 cargo test --test dist rule_pages"
        );
    }
}

#[test]
fn a_rule_page_has_every_section_of_its_rule_file() {
    let rules = credlint::rule::builtin();
    let r = rules.get("ORG001").expect("ORG001");
    let page = spec::doc_page(r);
    assert!(
        page.contains("# ORG001: hardcoded-organization-id\n"),
        "{page}"
    );
    assert!(page.contains("Default severity: **error**"));
    for (title, body) in spec::doc_sections(&r.docs) {
        assert!(page.contains(&format!("\n## {title}\n\n{}\n", body.trim())));
    }
    assert!(page.contains("[`rules/ORG001.toml`](../../rules/ORG001.toml)"));
    let index = spec::doc_index(rules);
    assert_eq!(
        index.lines().filter(|l| l.starts_with("| [")).count(),
        rules.iter().count()
    );
}

#[test]
fn the_repository_url_is_set_once_and_pages_are_under_it() {
    assert_eq!(spec::REPOSITORY, "https://github.com/credlint/credlint");
    assert_eq!(
        spec::doc_url("KEY001"),
        "https://github.com/credlint/credlint/blob/main/docs/rules/KEY001.md"
    );
    assert_eq!(
        spec::doc_url_in("https://example.invalid/x/", "ENV002"),
        "https://example.invalid/x/blob/main/docs/rules/ENV002.md"
    );
}

/// The file in this repository that a URL of the repository's main branch
/// names, if it is one.
fn file_of(url: &str) -> Option<PathBuf> {
    let rel = url.strip_prefix(&format!("{}/blob/main/", spec::REPOSITORY))?;
    Some(root().join(rel))
}

#[test]
fn every_sarif_rule_has_a_help_uri_to_a_page_that_exists() {
    let repo = fixture_repo("python-app");
    let out = credlint()
        .current_dir(repo.path())
        .args(["check", "--format", "sarif"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["informationUri"], spec::REPOSITORY);
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), credlint::rule::builtin().iter().count());
    for r in rules {
        let code = r["id"].as_str().expect("id");
        let uri = r["helpUri"]
            .as_str()
            .unwrap_or_else(|| panic!("{code}: no helpUri"));
        assert_eq!(uri, spec::doc_url(code));
        let file = file_of(uri).unwrap_or_else(|| panic!("{uri} is not in the repository"));
        assert!(file.is_file(), "{code}: {uri} names no file");
    }
}

#[test]
fn credlint_rule_ends_with_the_page_url() {
    let out = credlint().args(["rule", "pair003"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let last = text.lines().last().expect("a line");
    let url = spec::doc_url("PAIR003");
    assert_eq!(last, format!("Documentation: {url}"));
    assert!(file_of(&url).expect("in the repository").is_file());
}

// ---------------------------------------------------------------------------
// Completions and man pages

/// Subcommands and options every completion script must offer.
const SUBCOMMANDS: &[&str] = &["check", "history", "rules", "rule", "completions", "man"];
const CHECK_OPTIONS: &[&str] = &["--format", "--staged", "--baseline", "--force-exclude"];

fn stdout_of(args: &[&str]) -> String {
    let out = credlint().args(args).output().expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "credlint {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn have(program: &str) -> bool {
    Process::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn completions_name_every_subcommand_and_option() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        for word in SUBCOMMANDS {
            assert!(script.contains(word), "{shell}: no {word}");
        }
        for option in CHECK_OPTIONS {
            // fish declares long options as `-l NAME`
            let word = match shell {
                "fish" => format!("-l {}", &option[2..]),
                _ => option.to_string(),
            };
            assert!(script.contains(&word), "{shell}: no {word}");
        }
        // format values come from the clap value enum (PowerShell and
        // elvish scripts complete names only)
        if matches!(shell, "bash" | "zsh" | "fish") {
            for format in ["sarif", "github", "gitlab"] {
                assert!(script.contains(format), "{shell}: no --format {format}");
            }
        }
    }
    let out = credlint()
        .args(["completions", "tcsh"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

/// The bash script completes for real: subcommand names after `credlint`,
/// options after `credlint check --`, formats after `--format`.
#[test]
fn bash_completion_completes() {
    if !have("bash") {
        eprintln!("bash is not installed: skipping");
        return;
    }
    let script = stdout_of(&["completions", "bash"]);
    let complete = |words: &[&str]| -> Vec<String> {
        let line = words.join(" ");
        let program = format!(
            "{script}\nCOMP_WORDS=({line}); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}\n\
             _credlint credlint \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
             printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
            words.len() - 1
        );
        let out = Process::new("bash")
            .args(["--norc", "--noprofile", "-c", &program])
            .output()
            .expect("bash");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    };
    let subcommands = complete(&["credlint", "\"\""]);
    for s in SUBCOMMANDS {
        assert!(subcommands.iter().any(|w| w == s), "{subcommands:?}");
    }
    let history = complete(&["credlint", "hi"]);
    assert_eq!(history, ["history"]);
    let options = complete(&["credlint", "check", "--st"]);
    for o in ["--staged", "--statistics"] {
        assert!(options.iter().any(|w| w == o), "{options:?}");
    }
    let formats = complete(&["credlint", "check", "--format", "s"]);
    assert_eq!(formats, ["sarif"]);
}

#[test]
fn zsh_and_fish_completions_parse() {
    for (shell, check) in [("zsh", ["zsh", "-n"]), ("fish", ["fish", "--no-execute"])] {
        if !have(check[0]) {
            eprintln!("{shell} is not installed: skipping its syntax check");
            continue;
        }
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join(format!("credlint.{shell}"));
        fs::write(&file, stdout_of(&["completions", shell])).expect("write");
        let out = Process::new(check[0])
            .arg(check[1])
            .arg(&file)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{shell}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn man_page_lists_the_commands_and_the_rule_pages() {
    let page = stdout_of(&["man"]);
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "{page}");
    assert!(page.contains(".TH credlint 1"), "{page}");
    for s in ["check", "history", "rules", "rule", "completions"] {
        assert!(
            page.contains(&format!("credlint\\-{s}(1)")),
            "no {s}: {page}"
        );
    }
    assert!(!page.contains("credlint\\-help"), "no page for `help`");
    assert!(page.contains(".SH \"SEE ALSO\""));
    assert!(page.contains(&spec::doc_url("CODE").replace('-', "\\-")));
    // the library and the command give the same page
    let mut lib = Vec::new();
    credlint::cli::man_page(&mut lib).expect("render");
    assert_eq!(String::from_utf8(lib).expect("utf-8"), page);
}

#[test]
fn man_pages_render_without_warnings() {
    let tmp = tempfile::tempdir().expect("tmp");
    // a folder that does not exist yet, as ~/.local/share/man/man1 often
    let dir = tmp.path().join("share/man/man1");
    let out = credlint()
        .args(["man", "--dir"])
        .arg(&dir)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "credlint-check.1",
            "credlint-completions.1",
            "credlint-history.1",
            "credlint-man.1",
            "credlint-rule.1",
            "credlint-rules.1",
            "credlint.1"
        ]
    );
    let check = fs::read_to_string(dir.join("credlint-check.1")).expect("page");
    for option in [
        "\\-\\-staged",
        "\\-\\-format",
        "\\-\\-baseline",
        "\\-\\-fix",
    ] {
        assert!(check.contains(option), "credlint-check.1 has no {option}");
    }
    if !have("groff") {
        eprintln!("groff is not installed: skipping the rendering");
        return;
    }
    for name in &names {
        let out = Process::new("groff")
            // -k: UTF-8 input through preconv, as man(1) reads pages
            .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
            .arg(dir.join(name))
            .output()
            .expect("groff");
        let warnings = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && warnings.trim().is_empty(),
            "{name}: {warnings}"
        );
    }
    let out = Process::new("groff")
        // -P-cbou: plain text, no overstruck bold or underline
        .args(["-k", "-man", "-Tutf8", "-P-cbou"])
        .arg(dir.join("credlint.1"))
        .env("MANWIDTH", "80")
        .output()
        .expect("groff");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("SUBCOMMANDS"), "{text}");
    assert!(text.contains("credlint-check(1)"), "{text}");
}
