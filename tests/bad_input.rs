//! Bad input (SPEC §6): every run finishes, reports or counts each file,
//! exits with the right code, and stays within a memory bound. The memory
//! bound is enforced with `ulimit -v`: a run that needs more fails.

use std::fs;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_credlint");

/// Run credlint in `dir` with an address-space limit (KiB); returns exit
/// code and stdout.
fn run_bounded(dir: &Path, args: &[&str], limit_kib: u64) -> (i32, String, String) {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script = format!("ulimit -v {limit_kib} && exec '{BIN}' {}", quoted.join(" "));
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run credlint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn repo() -> tempfile::TempDir {
    let d = tempfile::tempdir().expect("tmp");
    fs::create_dir(d.path().join(".git")).expect("git");
    d
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

const ORG: &str = concat!("org-", "YgojjHRg80USP2W5DfJXcaYi");
const MEM: u64 = 1_500_000; // 1.5 GiB of address space, threads included

#[test]
fn a_50_mb_single_line_file() {
    let d = repo();
    let mut line = "x".repeat(50 * 1024 * 1024);
    line.replace_range(10_000..10_000 + ORG.len() + 2, &format!("'{ORG}'"));
    fs::write(d.path().join("one_line.js"), &line).expect("write");
    // Over the default size limit: skipped and counted.
    let (code, out, _) = run_bounded(d.path(), &["check", "--format", "json"], MEM);
    assert_eq!(code, 0);
    assert_eq!(json(&out)["summary"]["skipped"]["too large"], 1);
    // With the limit raised: read, and the org ID found.
    let (code, out, err) = run_bounded(
        d.path(),
        &["check", "--format", "json", "--max-file-size", "100000000"],
        MEM,
    );
    assert_eq!(code, 1, "{err}");
    let doc = json(&out);
    assert_eq!(doc["findings"][0]["rule"], "ORG001");
    assert_eq!(doc["findings"][0]["column"], 10_002);
}

#[test]
fn ten_mb_of_minified_javascript() {
    let d = repo();
    let mut js = String::with_capacity(10 * 1024 * 1024);
    let mut i = 0u64;
    while js.len() < 10 * 1024 * 1024 {
        js.push_str(&format!(
            "var a{i}=function(t,e){{return t+e+\"task-{i}\"}};"
        ));
        i += 1;
    }
    js.push_str(&format!("var o={{organization:\"{ORG}\"}};"));
    fs::write(d.path().join("app.min.js"), &js).expect("write");
    let (code, out, err) = run_bounded(
        d.path(),
        &["check", "--format", "json", "--max-file-size", "20000000"],
        MEM,
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(json(&out)["summary"]["findings"], 1);
}

#[test]
fn encodings_line_endings_and_nul_bytes() {
    let d = repo();
    let p = d.path();
    fs::write(p.join(".gitignore"), ".env*\n").expect("w");
    // CRLF: positions still right.
    fs::write(p.join(".env"), "DEBUG=1\r\nOPENAI_ORG_ID=\r\n").expect("w");
    // BOM
    fs::write(p.join(".env.local"), "\u{feff}OPENAI_API_KEY=\n").expect("w");
    // UTF-16 LE with BOM
    let utf16: Vec<u8> = "OPENAI_PROJECT_ID=\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    fs::write(
        p.join(".env.production"),
        [&[0xFF, 0xFE][..], &utf16].concat(),
    )
    .expect("w");
    // invalid UTF-8 in a value
    fs::write(p.join(".env.staging"), b"OPENAI_ORG_ID=Pers\xffonal\n").expect("w");
    // NUL bytes: binary
    fs::write(p.join("data.bin"), b"OPENAI_ORG_ID=\0\0\0").expect("w");
    let (code, out, err) = run_bounded(p, &["check", "--format", "json"], MEM);
    assert_eq!(code, 1, "{err}");
    let doc = json(&out);
    let at: Vec<String> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{} {}",
                f["path"].as_str().unwrap_or(""),
                f["line"],
                f["column"],
                f["rule"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(at.contains(&".env:2:1 ORG003".to_string()), "{at:?}");
    assert!(at.contains(&".env.local:1:1 KEY002".to_string()), "{at:?}");
    assert!(
        at.contains(&".env.production:1:1 ORG003".to_string()),
        "{at:?}"
    );
    assert!(
        at.contains(&".env.staging:1:15 ORG002".to_string()),
        "{at:?}"
    );
    assert_eq!(doc["summary"]["skipped"]["binary"], 1);
    assert_eq!(doc["summary"]["files_scanned"], 5);
}

#[cfg(unix)]
#[test]
fn symlink_loops_fifos_and_unreadable_folders() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let d = repo();
    let p = d.path();
    symlink("b", p.join("a")).expect("symlink");
    symlink("a", p.join("b")).expect("symlink");
    fs::create_dir(p.join("dir")).expect("mkdir");
    symlink("..", p.join("dir/up")).expect("symlink");
    let fifo = p.join("pipe");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    fs::create_dir(p.join("locked")).expect("mkdir");
    fs::write(p.join("locked/.env"), "OPENAI_API_KEY=\n").expect("w");
    fs::set_permissions(p.join("locked"), fs::Permissions::from_mode(0o000)).expect("chmod");
    fs::write(p.join("ok.py"), format!("ORG = '{ORG}'\n")).expect("w");
    let (code, out, err) = run_bounded(p, &["check", "--format", "json"], MEM);
    let locked_readable = fs::read_dir(p.join("locked")).is_ok();
    fs::set_permissions(p.join("locked"), fs::Permissions::from_mode(0o755)).expect("chmod back");
    if !locked_readable {
        assert!(
            err.contains("locked"),
            "the unreadable folder is reported: {err}"
        );
        // A folder, counted apart from files.
        assert_eq!(
            json(&out)["summary"]["folders_skipped"]["unreadable"],
            1,
            "{out}"
        );
    }
    assert_eq!(code, 1, "{err}");
    let doc = json(&out);
    // `a` and `b` (a loop) are files; `dir/up` links a folder.
    assert_eq!(doc["summary"]["skipped"]["symlink"], 2, "{out}");
    assert_eq!(doc["summary"]["folders_skipped"]["symlink"], 1, "{out}");
    if made {
        assert_eq!(doc["summary"]["skipped"]["not a regular file"], 1, "{out}");
        // A FIFO named on the command line is skipped, not opened.
        let (code, _, err) = run_bounded(p, &["check", "pipe"], MEM);
        assert_eq!(code, 2, "{err}");
    }
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(paths.contains(&"ok.py"), "{out}");
    // Unless running as root (whom permissions do not stop), the locked
    // folder is counted as unreadable and reported on stderr.
    if locked_readable && !paths.contains(&"locked/.env") {
        panic!("a readable folder was skipped: {out}");
    }
}

#[test]
fn empty_and_whitespace_files() {
    let d = repo();
    fs::write(d.path().join(".env"), "").expect("w");
    fs::write(d.path().join("blank.py"), "\n\n\n").expect("w");
    let (code, out, _) = run_bounded(d.path(), &["check", "--format", "json"], MEM);
    assert_eq!(code, 0);
    assert_eq!(json(&out)["summary"]["files_scanned"], 2);
}

#[test]
fn deep_nesting_and_an_alias_bomb() {
    let d = repo();
    let p = d.path();
    let depth = 10_000;
    fs::write(
        p.join("deep.json"),
        format!(
            "{{\"OPENAI_API_KEY\": {}1{}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    )
    .expect("w");
    fs::write(
        p.join("deep-flow.yaml"),
        format!(
            "OPENAI_API_KEY: {}x{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    )
    .expect("w");
    let mut block = String::from("root:\n");
    for i in 0..depth.min(3000) {
        block.push_str(&" ".repeat(i + 2));
        block.push_str("k:\n");
    }
    fs::write(p.join("deep-block.yaml"), block + "# OPENAI_API_KEY org-\n").expect("w");
    let mut bomb = String::from("a: &a [\"OPENAI_API_KEY\", \"lol\"]\n");
    let names: Vec<char> = ('b'..='z').collect();
    let mut prev = 'a';
    for &n in &names {
        bomb.push_str(&format!("{n}: &{n} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        prev = n;
    }
    bomb.push_str(&format!(
        "services:\n  app:\n    environment:\n      OPENAI_ORG_ID: *{prev}\n"
    ));
    fs::write(p.join("docker-compose.yml"), bomb).expect("w");
    let start = std::time::Instant::now();
    let (code, out, err) = run_bounded(p, &["check", "--format", "json"], MEM);
    assert!(code == 0 || code == 1, "{err}");
    let doc = json(&out);
    assert_eq!(doc["summary"]["files_scanned"], 4, "{out}");
    // Generous: the point is that it finishes, not how fast (a timed test
    // would be flaky); the benchmark measures speed.
    assert!(start.elapsed().as_secs() < 120);
}
