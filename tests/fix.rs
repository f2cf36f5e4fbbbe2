//! `--fix`, `--unsafe-fixes` and `--diff` end to end: every fix kind on the
//! `fixable` fixture, fixed and then checked again; the diff output; what
//! is never touched (files that are not strict UTF-8, lines a template
//! lists, entries whose removal would empty their parent); atomic writes;
//! and no key in any output.

mod common;
#[path = "fix/readback.rs"]
mod readback;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use common::{fixture_keys, fixture_repo, repo_with};

fn credlint() -> Command {
    let mut c = Command::cargo_bin("credlint").expect("binary");
    c.env("CREDLINT_NO_CACHE", "1");
    c.env("NO_COLOR", "1");
    c
}

/// Run credlint in `dir`: exit code, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = credlint()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run credlint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file under `root` (but `.git`) with its bytes.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).expect("under root").to_path_buf();
                out.insert(rel, fs::read(&p).expect("read"));
            }
        }
    }
    out
}

fn read(root: &Path, path: &str) -> String {
    fs::read_to_string(root.join(path)).expect("read")
}

/// The `CODE path:line` of each finding of a JSON report.
fn findings(root: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (_, out, _) = run(root, &all);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| format!("{} {}:{}", f["rule"], f["path"], f["line"]).replace('"', ""))
        .collect()
}

const SAFE_CODES: &str = "KEY004,ORG003,ENV001";

#[test]
fn diff_shows_the_safe_fixes_and_writes_nothing() {
    let repo = fixture_repo("fixable");
    let before = tree(repo.path());
    let (code, out, err) = run(repo.path(), &["check", "--diff"]);
    assert_eq!(code, 1, "something to fix: exit 1\n{err}");
    assert!(
        err.contains("Would fix 9 problems. 5 more with --unsafe-fixes."),
        "{err}"
    );
    insta::assert_snapshot!("fixable-diff", out);
    assert_eq!(tree(repo.path()), before, "--diff writes nothing");
}

#[test]
fn diff_with_unsafe_fixes_shows_the_moves() {
    let repo = fixture_repo("fixable");
    let before = tree(repo.path());
    let (code, out, err) = run(repo.path(), &["check", "--diff", "--unsafe-fixes"]);
    assert_eq!(code, 1);
    // The two org IDs moving to .env add different lines at its end, and
    // the project ID fills in the empty line ORG003 deletes: the second
    // of each pair waits for the next round of --fix.
    assert!(
        err.contains("Would fix 12 problems. 2 more overlap these"),
        "{err}"
    );
    insta::assert_snapshot!("fixable-diff-unsafe", out);
    assert_eq!(tree(repo.path()), before);
}

#[test]
fn safe_fixes_then_recheck_is_clean() {
    let repo = fixture_repo("fixable");
    let root = repo.path();
    let (code, out, err) = run(root, &["check", "--fix"]);
    // What remains (hardcoded IDs) still fails the run.
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("Fixed 9 problems.\n"), "{out}");
    assert!(
        out.trim_end()
            .ends_with("5 fixable with --fix --unsafe-fixes."),
        "the summary stays last, with what is left to fix: {out}"
    );
    // KEY004: whitespace, `Bearer `, nested quotes and the trailing newline
    // escape gone, keys intact.
    let env = read(root, ".env");
    let lines: Vec<&str> = env.lines().collect();
    assert!(lines[0].starts_with("OPENAI_API_KEY=\"sk-proj-") && lines[0].ends_with("w3Xe\""));
    assert!(lines[1].starts_with("ANTHROPIC_API_KEY=\"sk-ant-api03-"));
    assert!(lines[2].starts_with("GROQ_API_KEY=\"gsk_") && lines[2].ends_with("163d\""));
    assert!(lines[3].starts_with("OPENROUTER_API_KEY=\"sk-or-v1-") && lines[3].ends_with("eab6\""));
    // ORG003: the empty line is gone, with its line break.
    assert_eq!(lines.len(), 4, "{env}");
    assert!(!read(root, "docker-compose.yml").contains("OPENAI_PROJECT_ID"));
    // JSON: the member and its neighbour's comma go together.
    assert_eq!(
        read(root, "config/settings.json"),
        "{\n  \"openai\": {\n    \"api_key\": \"${OPENAI_API_KEY}\"\n  }\n}\n"
    );
    let parsed: serde_json::Value =
        serde_json::from_str(&read(root, "config/settings.json")).expect("still JSON");
    assert!(parsed["openai"].get("organization").is_none());
    // Every safe finding is gone, and nothing is left for --fix.
    let (code, out, _) = run(root, &["check", "--select", SAFE_CODES]);
    assert_eq!(code, 0, "{out}");
    let (code, out, err) = run(root, &["check", "--diff"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(err.contains("No fixes available."), "{err}");
}

#[test]
fn crlf_and_bom_survive_byte_for_byte() {
    let repo = fixture_repo("fixable");
    let path = repo.path().join("deploy/prod.env");
    let before = fs::read(&path).expect("read");
    assert!(before.starts_with(b"\xEF\xBB\xBFOPENAI_ORG_ID=\r\nOPENAI_APIKEY="));
    let (code, _, err) = run(repo.path(), &["check", "--fix", "deploy/prod.env"]);
    assert_eq!(code, 0, "both findings fixed: {err}");
    let after = fs::read(&path).expect("read");
    // The empty line removed, the name renamed; every other byte as it was.
    let mut expected = b"\xEF\xBB\xBFOPENAI_API_KEY=".to_vec();
    expected.extend_from_slice(&before[b"\xEF\xBB\xBFOPENAI_ORG_ID=\r\nOPENAI_APIKEY=".len()..]);
    assert_eq!(after, expected);
    assert!(after.ends_with(b"reJt\r\n"));
}

#[test]
fn unsafe_fixes_move_ids_into_env_files_and_recheck_is_clean() {
    let repo = fixture_repo("fixable");
    let root = repo.path();
    let (code, out, err) = run(root, &["check", "--fix", "--unsafe-fixes"]);
    assert!(out.contains("Fixed 14 problems.\n"), "{out}{err}");
    // Only what no fix can do is left: an ID in a Kubernetes manifest,
    // which belongs in a Secret (valueFrom), and PAIR003 infos.
    let left = findings(root, &[]);
    let failing: Vec<&String> = left.iter().filter(|f| !f.starts_with("PAIR003")).collect();
    assert_eq!(failing, ["ORG001 k8s/pod.yaml:11"], "{left:?}");
    assert_eq!(code, 1);
    // Each config now reads the variable in its own syntax.
    assert!(
        read(root, "docker-compose.yml").contains("      OPENAI_ORG_ID: \"${OPENAI_ORG_ID}\"\n")
    );
    assert!(
        read(root, "litellm/config.yaml")
            .contains("      organization: os.environ/OPENAI_ORG_ID\n")
    );
    assert!(
        read(root, "spring/src/main/resources/application.yml")
            .contains("      project-id: \"${OPENAI_PROJECT_ID}\"\n")
    );
    assert!(
        read(root, ".github/workflows/ci.yml")
            .contains("      OPENAI_ORG_ID: \"${{ vars.OPENAI_ORG_ID }}\"\n")
    );
    // The template lists the variables, empty; the local .env holds the
    // values the configs had, so the programs still send them.
    assert_eq!(
        read(root, ".env.example"),
        "# Copy to .env and fill in.\nOPENAI_API_KEY=\nANTHROPIC_API_KEY=\nGROQ_API_KEY=\nOPENROUTER_API_KEY=\nOPENAI_ORG_ID=\nOPENAI_PROJECT_ID=\n"
    );
    let env = read(root, ".env");
    let tail: Vec<&str> = env.lines().skip(4).collect();
    assert_eq!(
        tail,
        [
            concat!("OPENAI_ORG_ID=org-", "RPAJtX3bhq7JdLcwUM6Jyyrj"),
            concat!("OPENAI_PROJECT_ID=proj_", "pD35IGQmbRXzy7BOBPsDs5Os"),
        ]
    );
    // The configs are still valid YAML with the values where they were.
    let compose = read(root, "docker-compose.yml");
    assert_eq!(compose.lines().count(), 7, "{compose}");
    let (code, out, _) = run(root, &["check", "--diff", "--unsafe-fixes"]);
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn fix_keeps_permissions_and_leaves_no_temporary_file() {
    let repo = fixture_repo("fixable");
    let root = repo.path();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(root.join(".env"), fs::Permissions::from_mode(0o600)).expect("chmod");
        fs::set_permissions(root.join(".env.example"), fs::Permissions::from_mode(0o664))
            .expect("chmod");
    }
    let names_before: Vec<PathBuf> = tree(root).into_keys().collect();
    run(root, &["check", "--fix", "--unsafe-fixes"]);
    let names_after: Vec<PathBuf> = tree(root).into_keys().collect();
    assert_eq!(names_before, names_after, "no file added or left behind");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &str| {
            fs::metadata(root.join(p))
                .expect("meta")
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode(".env"), 0o600);
        assert_eq!(mode(".env.example"), 0o664);
    }
}

#[cfg(unix)]
#[test]
fn fix_keeps_hard_links_and_owners() {
    use std::os::unix::fs::MetadataExt;
    let repo = fixture_repo("fixable");
    let root = repo.path();
    // A second name outside the checked tree (a deployment folder linking
    // the same file): a rename would leave it with the old content.
    let elsewhere = tempfile::tempdir().expect("tmp");
    let link = elsewhere.path().join("api.env");
    fs::hard_link(root.join(".env"), &link).expect("hard link");
    // Running as root, files of another user can be made: a rename would
    // hand them to root.
    let as_root = fs::metadata(root).expect("meta").uid() == 0
        && std::os::unix::fs::chown(root.join("docker-compose.yml"), Some(65534), Some(65534))
            .is_ok();
    let inode = fs::metadata(root.join(".env")).expect("meta").ino();
    let (code, out, err) = run(root, &["check", "--fix", "--unsafe-fixes"]);
    assert!(out.contains("Fixed 14 problems."), "{code} {out}{err}");
    let meta = fs::metadata(root.join(".env")).expect("meta");
    assert_eq!((meta.ino(), meta.nlink()), (inode, 2));
    assert_eq!(
        fs::read(&link).expect("read"),
        fs::read(root.join(".env")).expect("read")
    );
    assert!(
        read(root, ".env").contains("OPENAI_ORG_ID="),
        "the link sees the fix"
    );
    if as_root {
        let meta = fs::metadata(root.join("docker-compose.yml")).expect("meta");
        assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
        assert!(read(root, "docker-compose.yml").contains("${OPENAI_ORG_ID}"));
    }
}

#[test]
fn no_key_in_any_diff_json_or_report() {
    let keys = fixture_keys();
    let repo = fixture_repo("fixable");
    let fragments: Vec<String> = keys
        .iter()
        .filter(|k| k.len() > 40)
        .map(|k| k[12..36].to_string())
        .collect();
    let mut outputs = Vec::new();
    for args in [
        &["check", "--diff"][..],
        &["check", "--diff", "--unsafe-fixes"],
        &["check", "--format", "json"],
        &["check", "--format", "json", "--fix", "--unsafe-fixes"],
        &["check", "--format", "pretty"],
    ] {
        let (_, out, err) = run(repo.path(), args);
        outputs.push((args.join(" "), format!("{out}{err}")));
    }
    assert!(
        outputs[0].1.contains("sk-ant-api03-"),
        "the diff shows key lines, masked"
    );
    for (args, text) in &outputs {
        for k in keys.iter().chain(&fragments) {
            assert!(!text.contains(k.as_str()), "{args} printed a key: {text}");
        }
    }
}

#[test]
fn json_carries_the_fix_of_each_finding() {
    let repo = fixture_repo("fixable");
    let (_, out, _) = run(repo.path(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    let all = doc["findings"].as_array().expect("findings");
    let find = |rule: &str, path: &str| {
        all.iter()
            .find(|f| f["rule"] == rule && f["path"] == path)
            .unwrap_or_else(|| panic!("{rule} {path}"))
    };
    let rename = &find("ENV001", "deploy/prod.env")["fix"];
    assert_eq!(rename["applicability"], "safe");
    assert_eq!(rename["message"], "rename OPENAI_APIKEY to OPENAI_API_KEY");
    assert_eq!(
        rename["edits"],
        serde_json::json!([{"path": "deploy/prod.env", "line": 2, "column": 1,
            "end_line": 2, "end_column": 14, "content": "OPENAI_API_KEY"}])
    );
    let moved = &find("ORG001", "docker-compose.yml")["fix"];
    assert_eq!(moved["applicability"], "unsafe");
    let paths: Vec<&str> = moved["edits"]
        .as_array()
        .expect("edits")
        .iter()
        .map(|e| e["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths, ["docker-compose.yml", ".env"], "{moved}");
    // A Kubernetes manifest has no in-place reference: no fix at all.
    assert!(find("ORG001", "k8s/pod.yaml").get("fix").is_none());
    // Findings without a fix have no member (the SPEC layout is unchanged).
    assert!(find("ENV002", ".env.example").get("fix").is_none());
}

#[test]
fn utf16_and_invalid_utf8_files_are_never_fixed() {
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "OPENAI_ORG_ID=\nOPENAI_KEY=x\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let latin1 = b"# caf\xE9\nOPENAI_PROJECT_ID=\n".to_vec();
    let repo = repo_with(&[(".gitignore", "*.env\n")]);
    let root = repo.path();
    fs::write(root.join("a.env"), &utf16).expect("write");
    fs::write(root.join("b.env"), &latin1).expect("write");
    let found = findings(root, &[]);
    assert!(found.contains(&"ORG003 a.env:1".to_string()), "{found:?}");
    assert!(found.contains(&"ORG003 b.env:2".to_string()), "{found:?}");
    let (_, out, _) = run(root, &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    for f in doc["findings"].as_array().expect("findings") {
        let fix = &f["fix"];
        assert_eq!(fix["applicability"], "display-only", "{f}");
        assert!(
            fix["message"]
                .as_str()
                .expect("message")
                .contains("not applied: the file is"),
            "{f}"
        );
    }
    let (code, out, _) = run(root, &["check", "--fix"]);
    assert_eq!(code, 1);
    assert!(out.contains("Fixed 0 problems."), "{out}");
    assert!(!out.contains("fixable"), "{out}");
    assert_eq!(fs::read(root.join("a.env")).expect("read"), utf16);
    assert_eq!(fs::read(root.join("b.env")).expect("read"), latin1);
    let (code, out, _) = run(root, &["check", "--diff"]);
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn a_variable_the_template_lists_is_not_deleted() {
    // Deleting it would trade ORG003 for ENV002 (the template lists it).
    let repo = repo_with(&[
        (".gitignore", ".env\n"),
        (".env", "OPENAI_API_KEY=sk-x\nOPENAI_ORG_ID=\n"),
        (".env.example", "OPENAI_API_KEY=\nOPENAI_ORG_ID=\n"),
    ]);
    let (_, out, _) = run(
        repo.path(),
        &["check", "--format", "json", "--select", "ORG003"],
    );
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    let fix = &doc["findings"][0]["fix"];
    assert_eq!(fix["applicability"], "display-only", "{doc}");
    run(repo.path(), &["check", "--fix"]);
    assert_eq!(
        read(repo.path(), ".env"),
        "OPENAI_API_KEY=sk-x\nOPENAI_ORG_ID=\n"
    );
    // The help says where else the line goes, and following it leaves
    // nothing to report (deleting from .env alone would be ENV002).
    let help = doc["findings"][0]["help"].as_str().expect("help");
    assert_eq!(
        help,
        "delete the line here and in .env.example (a key already belongs to an organization), or set the organization ID"
    );
    assert!(
        fix["message"]
            .as_str()
            .expect("message")
            .contains("delete it from .env.example too, or set the value"),
        "{fix}"
    );
    for file in [".env", ".env.example"] {
        let text = read(repo.path(), file).replace("OPENAI_ORG_ID=\n", "");
        fs::write(repo.path().join(file), text).expect("write");
    }
    let (code, out, _) = run(repo.path(), &["check", "--select", "ORG,ENV"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("No problems found"), "{out}");
    // Without the template line the same line is deleted.
    let repo = repo_with(&[
        (".gitignore", ".env\n"),
        (".env", "OPENAI_API_KEY=sk-x\nOPENAI_ORG_ID=\n"),
        (".env.example", "OPENAI_API_KEY=\n"),
    ]);
    run(repo.path(), &["check", "--fix"]);
    assert_eq!(read(repo.path(), ".env"), "OPENAI_API_KEY=sk-x\n");
}

#[test]
fn fixes_that_would_break_or_duplicate_are_not_offered() {
    let secret_data = {
        use base64::Engine;
        let key = concat!(
            "sk-proj-",
            "PalIAL0N5tj2aiqnENjiuqblYMRURlT3BlbkFJLr7Hv5GLNu8ansfl3QWu9Wgxhuk3JX",
            "\n"
        );
        base64::engine::general_purpose::STANDARD.encode(key)
    };
    let secret = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  OPENAI_API_KEY: {secret_data}\n"
    );
    let files = [
        (".gitignore", ".env\n"),
        // The right name is already there: renaming would duplicate it.
        (".env", "OPENAI_API_KEY=sk-x\nOPENAI_KEY=sk-y\n"),
        // The only entry of its mapping: deleting it leaves `null`.
        (
            "docker-compose.yml",
            "services:\n  api:\n    environment:\n      OPENAI_ORG_ID: \"\"\n",
        ),
        // Base64 of a key with a newline: the fix would have to re-encode it.
        ("k8s/secret.yaml", secret.as_str()),
    ];
    let repo = repo_with(&files);
    let found = findings(repo.path(), &[]);
    for want in [
        "ENV001 .env:2",
        "ORG003 docker-compose.yml:4",
        "KEY004 k8s/secret.yaml:6",
    ] {
        assert!(found.contains(&want.to_string()), "{want}: {found:?}");
    }
    let (_, out, _) = run(repo.path(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    for f in doc["findings"].as_array().expect("findings") {
        assert!(f.get("fix").is_none(), "{f}");
    }
    let before = tree(repo.path());
    let (_, out, err) = run(repo.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert!(out.contains("Fixed 0 problems."), "{out}{err}");
    assert_eq!(tree(repo.path()), before);
}

#[test]
fn fix_and_diff_refuse_staged() {
    let repo = repo_with(&[(".env", "OPENAI_ORG_ID=\n")]);
    for flag in ["--fix", "--diff"] {
        let (code, _, err) = run(repo.path(), &["check", "--staged", flag]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("cannot be used with"), "{err}");
    }
}

#[test]
fn nothing_to_fix_exits_0_with_diff() {
    let repo = fixture_repo("clean-app");
    let (code, out, err) = run(repo.path(), &["check", "--diff", "--unsafe-fixes"]);
    assert_eq!((code, out.as_str()), (0, ""));
    assert!(err.contains("No fixes available."));
    let (code, out, _) = run(repo.path(), &["check", "--fix"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Fixed 0 problems.\nNo problems found"),
        "{out}"
    );
}

const COMPOSE_WITH_ORG: &str = concat!(
    "services:\n  api:\n    environment:\n      OPENAI_ORG_ID: org-",
    "Hq7Zt2mXc9LpWv4RbN6kJd3s\n      LOG_LEVEL: info\n"
);

#[test]
fn the_nearest_general_template_gets_the_variable() {
    let repo = repo_with(&[
        (".env.example", "OPENAI_API_KEY=\n"),
        ("services/.env.sample", "OPENAI_API_KEY=\n"),
        // A template of one environment is not the repository's template.
        ("services/api/.env.production.example", "OPENAI_API_KEY=\n"),
        ("services/api/docker-compose.yml", COMPOSE_WITH_ORG),
    ]);
    let root = repo.path();
    let (_, out, err) = run(root, &["check", "--fix", "--unsafe-fixes"]);
    assert!(out.contains("Fixed 1 problem.\n"), "{out}{err}");
    assert_eq!(
        read(root, "services/.env.sample"),
        "OPENAI_API_KEY=\nOPENAI_ORG_ID=\n"
    );
    assert_eq!(read(root, ".env.example"), "OPENAI_API_KEY=\n");
    assert_eq!(
        read(root, "services/api/.env.production.example"),
        "OPENAI_API_KEY=\n"
    );
}

#[test]
fn without_a_template_none_is_created_and_the_fix_says_so() {
    let repo = repo_with(&[("docker-compose.yml", COMPOSE_WITH_ORG)]);
    let root = repo.path();
    let (_, out, _) = run(root, &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    let fix = &doc["findings"][0]["fix"];
    assert_eq!(fix["edits"].as_array().map(Vec::len), Some(1), "{fix}");
    assert!(
        fix["message"].as_str().expect("message").contains(
            "no env template (.env.example) next to or above docker-compose.yml: none created"
        ),
        "{fix}"
    );
    let before: Vec<PathBuf> = tree(root).into_keys().collect();
    run(root, &["check", "--fix", "--unsafe-fixes"]);
    assert_eq!(tree(root).into_keys().collect::<Vec<_>>(), before);
    assert!(read(root, "docker-compose.yml").contains("OPENAI_ORG_ID: \"${OPENAI_ORG_ID}\""));
}

#[test]
fn machine_readable_output_stays_clean_under_fix() {
    let repo = fixture_repo("fixable");
    let (code, out, err) = run(repo.path(), &["check", "--fix", "--format", "json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("stdout is one JSON document");
    // What remains: the unsafe fixes, still offered.
    let unsafe_left = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["fix"]["applicability"] == "unsafe")
        .count();
    assert_eq!(unsafe_left, 5, "{doc}");
    assert!(err.contains("credlint: Fixed 9 problems."), "{err}");
}

#[test]
fn a_name_the_sdks_do_not_read_is_renamed_as_an_unsafe_fix() {
    let files = [
        (".gitignore", ".env\n"),
        ("requirements.txt", "openai==1.30.0\n"),
        (
            ".env",
            concat!("OPENAI_ORGANIZATION=org-", "Tq4Zn8WcRb2LmX7vKp5YdJ3h\n"),
        ),
    ];
    let repo = repo_with(&files);
    let root = repo.path();
    assert!(findings(root, &[]).contains(&"ENV001 .env:1".to_string()));
    run(root, &["check", "--fix"]);
    assert!(
        read(root, ".env").starts_with("OPENAI_ORGANIZATION="),
        "safe only: kept"
    );
    run(root, &["check", "--fix", "--unsafe-fixes"]);
    assert_eq!(
        read(root, ".env"),
        concat!("OPENAI_ORG_ID=org-", "Tq4Zn8WcRb2LmX7vKp5YdJ3h\n")
    );
    let (code, out, _) = run(root, &["check", "--select", "ENV001"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn one_overlapping_fix_is_counted_in_the_singular() {
    // The org and the project ID both move to the end of .env: the second
    // insertion waits for the next round.
    let compose = concat!(
        "services:\n  api:\n    environment:\n      OPENAI_ORG_ID: org-",
        "Hq7Zt2mXc9LpWv4RbN6kJd3s\n      OPENAI_PROJECT_ID: proj_",
        "Lm4Vx8QwZr2Kc6TnBj9HdY3p\n"
    );
    let repo = repo_with(&[
        (".gitignore", ".env\n"),
        (".env", "LOG=1\n"),
        (".env.example", "OPENAI_API_KEY=\n"),
        ("docker-compose.yml", compose),
    ]);
    let (code, _, err) = run(repo.path(), &["check", "--diff", "--unsafe-fixes"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("Would fix 1 problem. 1 more overlaps these: run --fix to apply it in turn."),
        "{err}"
    );
}
