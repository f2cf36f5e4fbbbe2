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

use clap::{CommandFactory, Parser};
use credlint::extract::config_tree::Node;
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

// ---------------------------------------------------------------------------
// The GitHub Action

fn yaml(rel: &str) -> Node {
    let text = read(rel);
    let file = credlint::extract::yaml::parse(&text);
    assert!(file.error.is_none(), "{rel}: {:?}", file.error);
    file.docs.into_iter().next().expect("a document")
}

fn text<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get(key)?.scalar().map(|s| s.text.as_str())
}

/// Every `${{ … }}` expression in `s`, trimmed.
fn expressions(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("${{") {
        let after = &rest[i + 3..];
        let Some(j) = after.find("}}") else { break };
        out.push(after[..j].trim().to_string());
        rest = &after[j + 2..];
    }
    out
}

/// Every scalar of a tree, with its key path.
fn scalars(node: &Node, path: &str, out: &mut Vec<(String, String)>) {
    if let Some(s) = node.scalar() {
        out.push((path.to_string(), s.text.clone()));
    }
    for (k, v) in node.entries() {
        scalars(v, &format!("{path}.{}", k.text), out);
    }
    for (i, v) in node.items().iter().enumerate() {
        scalars(v, &format!("{path}[{i}]"), out);
    }
}

/// The input names an expression reads (`inputs.NAME`).
fn inputs_read(expr: &str) -> Vec<String> {
    let re = regex::Regex::new(r"inputs\.([A-Za-z0-9_-]+)").expect("regex");
    re.captures_iter(expr).map(|c| c[1].to_string()).collect()
}

fn step<'a>(action: &'a Node, id: &str) -> &'a Node {
    action
        .get("runs")
        .and_then(|r| r.get("steps"))
        .expect("runs.steps")
        .items()
        .iter()
        .find(|s| text(s, "id") == Some(id))
        .unwrap_or_else(|| panic!("no step {id}"))
}

#[test]
fn action_yml_has_the_structure_github_requires() {
    let action = yaml("action.yml");
    for key in ["name", "description", "author"] {
        assert!(
            text(&action, key).is_some_and(|t| !t.is_empty()),
            "no {key}"
        );
    }
    assert!(text(action.get("branding").expect("branding"), "icon").is_some());
    let runs = action.get("runs").expect("runs");
    assert_eq!(text(runs, "using"), Some("composite"));

    let inputs = action.get("inputs").expect("inputs");
    let declared: BTreeSet<String> = inputs
        .entries()
        .iter()
        .map(|(k, _)| k.text.clone())
        .collect();
    for want in [
        "mode",
        "paths",
        "range",
        "format",
        "upload-sarif",
        "args",
        "fail-on-findings",
        "install",
    ] {
        assert!(declared.contains(want), "no input {want}");
    }
    for (name, input) in inputs.entries() {
        assert!(
            text(input, "description").is_some_and(|d| d.len() > 10),
            "input {} has no description",
            name.text
        );
        assert!(
            input.get("default").is_some(),
            "input {} has no default",
            name.text
        );
    }

    // Inputs: each one read is declared, each one declared is read.
    let mut all = Vec::new();
    scalars(runs, "runs", &mut all);
    scalars(action.get("outputs").expect("outputs"), "outputs", &mut all);
    let read: BTreeSet<String> = all
        .iter()
        .flat_map(|(_, v)| expressions(v))
        .flat_map(|e| inputs_read(&e))
        .collect();
    assert_eq!(read, declared, "inputs read vs declared");

    let pinned = regex::Regex::new(r"^[\w.-]+/[\w./-]+@v\d+$").expect("regex");
    let output_ref =
        regex::Regex::new(r"^\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}$").expect("regex");
    let steps = runs.get("steps").expect("steps").items();
    let ids: BTreeSet<&str> = steps.iter().filter_map(|s| text(s, "id")).collect();
    for s in steps {
        let name = text(s, "name").expect("every step has a name");
        match (text(s, "run"), text(s, "uses")) {
            (Some(script), None) => {
                // composite run steps must name their shell
                assert_eq!(text(s, "shell"), Some("bash"), "{name}");
                // inputs reach scripts through env, never as shell code
                assert!(!script.contains("${{"), "{name}: an expression in run:");
                for (_, v) in s.get("env").map(Node::entries).unwrap_or_default() {
                    let v = &v.scalar().expect("env values are scalars").text;
                    assert!(
                        expressions(v).len() == 1 && v.starts_with("${{") && v.ends_with("}}"),
                        "{name}: env {v:?}"
                    );
                }
            }
            (None, Some(uses)) => {
                assert!(
                    pinned.is_match(uses),
                    "{name}: {uses} is not pinned to a major"
                );
            }
            _ => panic!("step {name}: exactly one of run and uses"),
        }
    }
    // Outputs come from a step that writes them.
    for (name, output) in action.get("outputs").expect("outputs").entries() {
        let value = text(output, "value").expect("value");
        let c = output_ref
            .captures(value)
            .unwrap_or_else(|| panic!("output {}: {value}", name.text));
        assert!(
            ids.contains(&c[1]),
            "output {}: no step {}",
            name.text,
            &c[1]
        );
        let script = text(step(&action, &c[1]), "run").expect("run");
        assert!(
            script.contains(&format!("echo \"{}=", &c[2])),
            "step {} never writes {}",
            &c[1],
            &c[2]
        );
    }
}

/// The options and subcommands the action's scripts give credlint exist,
/// for both modes (`args` and the SARIF options go to either).
#[test]
fn action_runs_commands_that_exist() {
    let action = yaml("action.yml");
    let script = text(step(&action, "run"), "run").expect("run").to_string();
    let cli = credlint::cli::Cli::command();
    let option = regex::Regex::new(r"\s(--[a-z][a-z-]+)").expect("regex");
    let used: BTreeSet<&str> = script
        .lines()
        .filter(|l| l.contains("\"${cmd[@]}\""))
        .flat_map(|l| option.captures_iter(l))
        .map(|c| c.get(1).expect("group").as_str())
        .collect();
    assert!(used.contains("--format") && used.contains("--output-file"));
    for mode in ["check", "history"] {
        assert!(script.contains(&format!("cmd=(credlint {mode}")), "{mode}");
        let sub = cli.find_subcommand(mode).expect("subcommand");
        for flag in &used {
            let long = &flag[2..];
            assert!(
                sub.get_arguments().any(|a| a.get_long() == Some(long)),
                "credlint {mode} has no {flag}"
            );
        }
    }
    // the input defaults are values credlint takes
    let inputs = action.get("inputs").expect("inputs");
    let default = |name: &str| {
        text(inputs.get(name).expect("input"), "default")
            .expect("default")
            .to_string()
    };
    let format = default("format");
    assert!(
        credlint::cli::Cli::try_parse_from(["credlint", "check", "--format", &format]).is_ok(),
        "default format {format}"
    );
    assert!(cli.find_subcommand(default("mode")).is_some());
}

/// A run of one of the action's `run` steps, as GitHub runs it: `bash -e`,
/// the step's `env:` evaluated from `inputs` (else the input's default)
/// and `github` context values, `GITHUB_OUTPUT` a file, and the credlint
/// under test first on PATH.
struct StepRun {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    outputs: BTreeMap<String, String>,
}

fn run_step(
    id: &str,
    dir: &Path,
    inputs: &[(&str, &str)],
    context: &[(&str, &str)],
    path: Option<&str>,
) -> StepRun {
    let action = yaml("action.yml");
    let declared = action.get("inputs").expect("inputs");
    let s = step(&action, id);
    let script = text(s, "run").expect("run");
    let work = tempfile::tempdir().expect("tmp");
    let output_file = work.path().join("output");
    fs::write(&output_file, "").expect("output file");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_credlint"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let search = match path {
        Some(p) => p.to_string(),
        None => format!(
            "{}:{}",
            bin_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        ),
    };
    let mut cmd = Process::new("bash");
    cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env_clear()
        .env("PATH", search)
        .env("HOME", work.path())
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GITHUB_OUTPUT", &output_file)
        .env("GITHUB_PATH", work.path().join("path"))
        .env("GITHUB_ACTION_PATH", root())
        .env("RUNNER_TEMP", work.path());
    for (name, value) in s.get("env").map(Node::entries).unwrap_or_default() {
        let expr = value.scalar().expect("scalar").text.clone();
        let expr = expressions(&expr).pop().expect("an expression");
        let value = if let Some(input) = expr.strip_prefix("inputs.") {
            inputs
                .iter()
                .find(|(k, _)| *k == input)
                .map(|(_, v)| v.to_string())
                .unwrap_or_else(|| {
                    text(declared.get(input).expect("declared"), "default")
                        .expect("default")
                        .to_string()
                })
        } else {
            context
                .iter()
                .find(|(k, _)| *k == expr)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        };
        cmd.env(&name.text, value);
    }
    let out = cmd.output().expect("bash");
    let outputs = fs::read_to_string(&output_file)
        .expect("output")
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    StepRun {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        outputs,
    }
}

#[test]
fn action_check_reports_annotations_and_passes_the_exit_code_on() {
    let repo = fixture_repo("python-app");
    let run = run_step("run", repo.path(), &[], &[], None);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.outputs.get("exit-code").map(String::as_str), Some("1"));
    assert!(
        run.stdout
            .contains("::error file=app/client.py,line=8,col=19,"),
        "{}",
        run.stdout
    );
    assert!(!run.outputs.contains_key("sarif-file"));

    let clean = fixture_repo("clean-app");
    let run = run_step("run", clean.path(), &[], &[], None);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.outputs.get("exit-code").map(String::as_str), Some("0"));
}

#[test]
fn action_check_takes_paths_args_and_writes_sarif() {
    let repo = fixture_repo("python-app");
    let run = run_step(
        "run",
        repo.path(),
        &[
            ("paths", "app\n.env.example"),
            ("args", "--select ORG,ENV  --ignore ENV002"),
            ("format", "concise"),
            ("upload-sarif", "true"),
            ("sarif-file", "reports.sarif"),
        ],
        &[],
        None,
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.outputs.get("exit-code").map(String::as_str), Some("1"));
    let lines: Vec<&str> = run.stdout.lines().filter(|l| l.contains(": ")).collect();
    assert_eq!(
        lines,
        [
            ".env.example:3:15: ORG001 organization ID org-oK6cPTt9iOqHOBSWhgetH8Lm is committed in an env template",
            "app/client.py:8:19: ORG001 organization ID org-YgojjHRg80USP2W5DfJXcaYi is hardcoded in source",
        ],
        "{}",
        run.stdout
    );
    assert_eq!(
        run.outputs.get("sarif-file").map(String::as_str),
        Some("reports.sarif")
    );
    let sarif: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(repo.path().join("reports.sarif")).expect("sarif"),
    )
    .expect("json");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(|r| r["ruleId"] == "ORG001"));
}

#[test]
fn action_errors_fail_the_step() {
    let repo = fixture_repo("python-app");
    let run = run_step("run", repo.path(), &[("mode", "lint")], &[], None);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stdout
            .contains("::error title=credlint::mode must be check or history")
    );
    // a credlint usage error (exit 2) is not a result
    let run = run_step("run", repo.path(), &[("args", "--no-such-flag")], &[], None);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let run = run_step("run", repo.path(), &[("paths", "missing/")], &[], None);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
}

fn git(dir: &Path, args: &[&str]) -> String {
    common::git::run(dir, &[], args)
}

#[test]
fn action_history_scans_the_pull_request_commits() {
    if !have("git") {
        eprintln!("git is not installed: skipping");
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    git(d, &["init", "-q"]);
    // before the pull request: an organization ID, already on main
    fs::write(d.join("old.py"), "ORG = \"org-1CURF0WYcVsZQ4plvJGFu0rZ\"\n").expect("write");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "main"]);
    let base = git(d, &["rev-parse", "HEAD"]);
    // the pull request's commit adds another
    fs::write(d.join("new.py"), "ORG = \"org-Sbj9nZeGYXBA4FKv0bIUqVZG\"\n").expect("write");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "pull request"]);
    let pr = [("github.event.pull_request.base.sha", base.as_str())];
    let inputs = [("mode", "history"), ("format", "concise")];

    let run = run_step("run", d, &inputs, &pr, None);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.outputs.get("exit-code").map(String::as_str), Some("1"));
    assert!(run.stdout.contains("new.py:1:8: ORG001"), "{}", run.stdout);
    assert!(!run.stdout.contains("old.py"), "{}", run.stdout);

    // no pull request: all of HEAD's history
    let run = run_step("run", d, &inputs, &[], None);
    assert!(run.stdout.contains("old.py:1:8: ORG001"), "{}", run.stdout);
    assert!(run.stdout.contains("new.py:1:8: ORG001"), "{}", run.stdout);

    // an explicit range wins
    let run = run_step(
        "run",
        d,
        &[
            ("mode", "history"),
            ("format", "concise"),
            ("range", "HEAD~1..HEAD~1"),
        ],
        &pr,
        None,
    );
    assert_eq!(
        run.outputs.get("exit-code").map(String::as_str),
        Some("0"),
        "{}",
        run.stdout
    );

    // a base commit the clone lacks (a shallow checkout): say how to fix it
    let missing = [(
        "github.event.pull_request.base.sha",
        "0123456789abcdef0123456789abcdef01234567",
    )];
    let run = run_step("run", d, &inputs, &missing, None);
    assert_eq!(run.code, Some(2));
    assert!(run.stdout.contains("fetch-depth: 0"), "{}", run.stdout);
}

#[test]
fn action_fails_the_job_on_failing_findings_unless_told_not_to() {
    let dir = tempfile::tempdir().expect("tmp");
    // the last step reads the run step's output
    let action = yaml("action.yml");
    let steps = action
        .get("runs")
        .and_then(|r| r.get("steps"))
        .expect("steps")
        .items();
    let last = steps.last().expect("a step");
    assert_eq!(text(last, "name"), Some("Fail on findings"));
    assert_eq!(
        text(last.get("env").expect("env"), "CREDLINT_EXIT"),
        Some("${{ steps.run.outputs.exit-code }}")
    );
    let fail_step = |exit: &str, fail: &str| -> Option<i32> {
        let script = text(last, "run").expect("run");
        Process::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(dir.path())
            .env("CREDLINT_EXIT", exit)
            .env("CREDLINT_FAIL", fail)
            .output()
            .expect("bash")
            .status
            .code()
    };
    assert_eq!(fail_step("1", "true"), Some(1));
    assert_eq!(fail_step("1", "false"), Some(0));
    assert_eq!(fail_step("0", "true"), Some(0));
    // the SARIF upload runs before it, only when asked
    let upload = steps
        .iter()
        .find(|s| {
            text(s, "uses").is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload step");
    assert_eq!(
        text(upload, "if"),
        Some("${{ inputs.upload-sarif == 'true' }}")
    );
}

#[test]
fn action_install_uses_credlint_on_path_or_says_why_not() {
    let dir = tempfile::tempdir().expect("tmp");
    let run = run_step("install", dir.path(), &[("install", "none")], &[], None);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    let run = run_step(
        "install",
        dir.path(),
        &[("install", "none")],
        &[],
        Some("/usr/bin:/bin"),
    );
    assert_eq!(run.code, Some(2));
    assert!(run.stdout.contains("no credlint on PATH"), "{}", run.stdout);
    let run = run_step("install", dir.path(), &[("install", "brew")], &[], None);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stdout
            .contains("install must be auto, pypi, cargo or none")
    );
}

/// The install step reads the version from Cargo.toml as this crate has it.
#[test]
fn action_install_reads_this_version() {
    let out = Process::new("sed")
        .args(["-n", r#"s/^version = "\(.*\)"$/\1/p"#])
        .arg(root().join("Cargo.toml"))
        .output()
        .expect("sed");
    let first = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert_eq!(first, env!("CARGO_PKG_VERSION"));
    let action = read("action.yml");
    assert!(action.contains(r#"version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$GITHUB_ACTION_PATH/Cargo.toml" | head -n 1)"#));
}

// ---------------------------------------------------------------------------
// pre-commit manifests and Python packaging

/// Each hook of a pre-commit manifest: its keys, and its entry parses as a
/// credlint command line.
fn hooks(rel: &str) -> Vec<BTreeMap<String, String>> {
    let manifest = yaml(rel);
    manifest
        .items()
        .iter()
        .map(|h| {
            let mut keys = BTreeMap::new();
            for (k, v) in h.entries() {
                let value = match v.scalar() {
                    Some(s) => s.text.clone(),
                    None => v
                        .items()
                        .iter()
                        .filter_map(|i| i.scalar().map(|s| s.text.clone()))
                        .collect::<Vec<_>>()
                        .join(","),
                };
                keys.insert(k.text.clone(), value);
            }
            let entry = &keys["entry"];
            let mut argv: Vec<&str> = entry.split_whitespace().collect();
            argv.push("some/file.py");
            assert!(
                credlint::cli::Cli::try_parse_from(&argv).is_ok(),
                "{rel}: entry {entry:?}"
            );
            keys
        })
        .collect()
}

#[test]
fn pre_commit_hooks_from_source_and_from_the_wheel_agree() {
    let source = hooks(".pre-commit-hooks.yaml");
    let mirror = hooks("packaging/credlint-pre-commit/.pre-commit-hooks.yaml");
    assert_eq!(source.len(), 1);
    assert_eq!(mirror.len(), 1);
    let (s, m) = (&source[0], &mirror[0]);
    assert_eq!(s["language"], "rust");
    assert_eq!(m["language"], "python");
    for key in [
        "id",
        "name",
        "entry",
        "types",
        "pass_filenames",
        "require_serial",
        "minimum_pre_commit_version",
    ] {
        assert_eq!(s.get(key), m.get(key), "{key}");
    }
}

fn toml_file(rel: &str) -> toml::Value {
    toml::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_wheel_is_the_binary_of_this_crate() {
    let py = toml_file("pyproject.toml");
    assert_eq!(
        py["build-system"]["build-backend"].as_str(),
        Some("maturin")
    );
    assert_eq!(py["tool"]["maturin"]["bindings"].as_str(), Some("bin"));
    let project = &py["project"];
    assert_eq!(project["name"].as_str(), Some(env!("CARGO_PKG_NAME")));
    // the version is Cargo.toml's, never a second copy
    assert!(project.get("version").is_none());
    assert!(
        project["dynamic"]
            .as_array()
            .is_some_and(|d| d.iter().any(|v| v.as_str() == Some("version")))
    );
    assert_eq!(
        project["description"].as_str(),
        Some(env!("CARGO_PKG_DESCRIPTION"))
    );
    for (name, url) in project["urls"].as_table().expect("urls") {
        let url = url.as_str().expect("a URL");
        assert!(
            url == spec::REPOSITORY || url.starts_with(&format!("{}/", spec::REPOSITORY)),
            "{name}: {url} is not under {}",
            spec::REPOSITORY
        );
        if let Some(file) = file_of(url).or_else(|| {
            url.strip_prefix(&format!("{}/tree/main/", spec::REPOSITORY))
                .map(|rel| root().join(rel))
        }) {
            assert!(
                file.exists(),
                "{name}: {url} names nothing in the repository"
            );
        }
    }
}

#[test]
fn the_pre_commit_mirror_pins_this_version() {
    let mirror = toml_file("packaging/credlint-pre-commit/pyproject.toml");
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(mirror["project"]["version"].as_str(), Some(version));
    let deps: Vec<&str> = mirror["project"]["dependencies"]
        .as_array()
        .expect("dependencies")
        .iter()
        .filter_map(|d| d.as_str())
        .collect();
    assert_eq!(deps, [format!("credlint=={version}")]);
}

// ---------------------------------------------------------------------------
// The README's example

/// The README's first example of credlint's output (a fenced block that
/// starts with `$ credlint …`) is what that command prints on
/// `fixtures/python-app`, NO_COLOR, in the pretty format a terminal gets.
#[test]
fn readme_example_is_real_output() {
    let readme = read("README.md");
    let block = readme
        .split("```")
        .skip(1)
        .step_by(2)
        .map(|b| b.split_once('\n').map_or("", |(_, body)| body))
        .find(|b| b.starts_with("$ credlint "))
        .expect("a fenced block starting with `$ credlint `");
    let (command, expected) = block.split_once('\n').expect("output after the command");
    let mut args: Vec<&str> = command["$ credlint ".len()..].split_whitespace().collect();
    if !args.contains(&"--format") {
        args.extend(["--format", "pretty"]);
    }
    let repo = fixture_repo("python-app");
    let out = credlint()
        .current_dir(repo.path())
        .args(&args)
        .output()
        .expect("run");
    let got = String::from_utf8(out.stdout).expect("utf-8");
    let trim = |s: &str| -> String {
        s.lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            .trim_end()
            .to_string()
    };
    assert_eq!(
        trim(expected),
        trim(&got),
        "README.md's example is stale; the real output is:\n{got}"
    );
}

/// Every place the docs name a release (`rev: vX.Y.Z`, `@vX.Y.Z`,
/// `--tag vX.Y.Z`, `credlint==X.Y.Z`) names this version, and no example
/// keeps a placeholder for the repository.
#[test]
fn install_docs_name_this_release_and_the_real_repository() {
    let version = env!("CARGO_PKG_VERSION");
    let release = regex::Regex::new(
        r"(?:rev: |credlint@|--tag |credlint-pre-commit@)v(\d+\.\d+\.\d+)|credlint==(\d+\.\d+\.\d+)",
    )
    .expect("regex");
    let mut docs: Vec<String> = fs::read_dir(root().join("docs"))
        .expect("docs/")
        .filter_map(Result::ok)
        .map(|e| format!("docs/{}", e.file_name().to_string_lossy()))
        .filter(|rel| rel.ends_with(".md"))
        .collect();
    docs.sort();
    for rel in std::iter::once("README.md").chain(docs.iter().map(String::as_str)) {
        let text = read(rel);
        for c in release.captures_iter(&text) {
            let named = c.get(1).or(c.get(2)).expect("a version").as_str();
            assert_eq!(named, version, "{rel}: {}", &c[0]);
        }
    }
    let install = read("docs/install.md");
    assert!(!install.contains("OWNER"), "docs/install.md: a placeholder");
    assert!(install.contains(&format!("rev: v{version}")));
    assert!(install.contains(&format!("uses: credlint/credlint@v{version}")));
    assert!(install.contains(spec::REPOSITORY));
}
