//! Bad input (SPEC §6): every run finishes, reports or counts each file,
//! exits with the right code, and stays within a memory bound. The memory
//! bound is enforced with `ulimit -v`: a run that needs more fails.

use std::fs;
use std::path::Path;
use std::process::Command;

use credlint::walk::Language;

const BIN: &str = env!("CARGO_BIN_EXE_credlint");

/// Run credlint in `dir` with an address-space limit (KiB); returns exit
/// code and stdout.
fn run_bounded(dir: &Path, args: &[&str], limit_kib: u64) -> (i32, String, String) {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script = format!(
        "ulimit -v {limit_kib} && CREDLINT_NO_CACHE=1 exec '{BIN}' {}",
        quoted.join(" ")
    );
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

/// A key of OpenAI's project-key shape with a made-up body, built at run
/// time so that no key sits in this file.
fn fake_key(seed: u64) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut body = |n: usize| -> String {
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                CHARS[(x >> 33) as usize % CHARS.len()] as char
            })
            .collect()
    };
    let (a, b) = (body(40), body(40));
    format!("sk-proj-{a}{}{b}", concat!("T3Blbk", "FJ"))
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

/// `path:line:column RULE` of every finding.
fn locations(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"]
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
        .collect()
}

#[test]
fn keys_in_utf16_files_with_a_bom_are_found() {
    let d = repo();
    let p = d.path();
    let key = fake_key(4);
    fs::write(
        p.join("app.py"),
        utf16(&format!("import os\nKEY = \"{key}\"\n"), false),
    )
    .expect("w");
    fs::write(
        p.join("settings.yaml"),
        utf16(&format!("llm:\n  token: \"{key}\"\n"), true),
    )
    .expect("w");
    fs::write(
        p.join(".env.example"),
        utf16(&format!("OPENAI_API_KEY={key}\n"), false),
    )
    .expect("w");
    // Committed (no .gitignore): a key there is reported too.
    fs::write(
        p.join(".env"),
        utf16(&format!("# é\nOPENAI_API_KEY={key}\n"), true),
    )
    .expect("w");
    let (code, out, err) = run_bounded(p, &["check", "--format", "json"], MEM);
    assert_eq!(code, 1, "{err}");
    assert!(!out.contains(&key), "a key was printed in full");
    let doc = json(&out);
    let at = locations(&doc);
    for want in [
        "app.py:2:8 KEY001",
        "settings.yaml:2:11 KEY001",
        ".env.example:1:16 KEY001",
        ".env:2:16 KEY001",
    ] {
        assert!(at.contains(&want.to_string()), "{want} missing from {at:?}");
    }
    assert_eq!(doc["summary"]["files_scanned"], 4, "{out}");
}

#[test]
fn huge_sparse_files_are_sniffed_not_read() {
    let d = repo();
    let p = d.path();
    // 2 GiB each, almost no disk: zeros, so binary by their first 8 KiB.
    for name in ["dump.py", "data.json"] {
        let f = fs::File::create(p.join(name)).expect("create");
        f.set_len(2 << 30).expect("set_len");
    }
    fs::write(p.join("ok.py"), format!("ORG = '{ORG}'\n")).expect("w");
    let start = std::time::Instant::now();
    // Reading either file whole would need more than the address-space
    // limit allows.
    let (code, out, err) = run_bounded(
        p,
        &["check", "--format", "json", "--max-file-size", "4000000000"],
        MEM,
    );
    assert_eq!(code, 1, "{err}");
    let doc = json(&out);
    assert_eq!(doc["summary"]["skipped"]["binary"], 2, "{out}");
    assert_eq!(doc["summary"]["files_scanned"], 1, "{out}");
    // Sniffing 8 KiB of each takes no time; reading 4 GiB took 25 s.
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

/// `depth` levels of `wrap` (which holds `{}` for the level below) around
/// `leaf`.
fn nest(wrap: &str, leaf: &str, depth: usize) -> String {
    let (open, close) = wrap.split_once("{}").expect("a wrap holds {}");
    format!("{}{leaf}{}", open.repeat(depth), close.repeat(depth))
}

/// Per language: the text before the nest, the wrap (each level holds an
/// env read, so every level is looked up from), the leaf, the text after,
/// and how many env reads each level makes (nested destructuring reads
/// only at its top). Shapes that look at a node's parent (assignment targets,
/// destructuring, `new(…)`, `unwrap_or`, configuration blocks) are among
/// them.
const NESTS: &[(Language, &str, &str, &str, &str, usize)] = &[
    (
        Language::Python,
        "import os\nfrom openai import OpenAI\nc = OpenAI(api_key=",
        "f(os.environ[\"OPENAI_API_KEY\"], ({}))",
        "os.environ.get(\"OPENAI_API_KEY\")",
        ")\n",
        1,
    ),
    (
        Language::JavaScript,
        "import OpenAI from \"openai\";\nconst c = new OpenAI({ apiKey: ",
        "f(process.env.OPENAI_API_KEY, ({}))",
        "process.env[\"OPENAI_API_KEY\"]",
        " });\n",
        1,
    ),
    (
        Language::JavaScript,
        "const { OPENAI_API_KEY, ",
        "a: { OPENAI_ORG_ID = \"d\", {} }",
        "OPENAI_PROJECT_ID",
        " } = process.env;\n",
        0,
    ),
    (
        Language::TypeScript,
        "import OpenAI from \"openai\";\nconst c = new OpenAI({ apiKey: ",
        "f(process.env.OPENAI_API_KEY as string, ({}))",
        "process.env.OPENAI_API_KEY!",
        " });\n",
        1,
    ),
    (
        Language::Go,
        "package main\n\nimport (\n\t\"os\"\n\t\"github.com/sashabaranov/go-openai\"\n)\n\nfunc main() {\n\tc := openai.NewClient(",
        "f(os.Getenv(\"OPENAI_API_KEY\"), ({}))",
        "os.Getenv(\"OPENAI_API_KEY\")",
        ")\n\t_ = c\n}\n",
        1,
    ),
    (
        Language::Java,
        "class A { void m() { var c = OpenAIOkHttpClient.builder().apiKey(",
        "f(System.getenv(\"OPENAI_API_KEY\"), ({}))",
        "System.getenv(\"OPENAI_API_KEY\")",
        ").build(); } }\n",
        1,
    ),
    (
        Language::CSharp,
        "using OpenAI;\nclass A { void M() { ApiKeyCredential c = new(",
        "F(Environment.GetEnvironmentVariable(\"OPENAI_API_KEY\"), new({}))",
        "Environment.GetEnvironmentVariable(\"OPENAI_API_KEY\")",
        "); } }\n",
        1,
    ),
    (
        Language::Php,
        "<?php\n$c = OpenAI::client(",
        "f(getenv('OPENAI_API_KEY'), $_ENV['OPENAI_API_KEY'], ({}))",
        "$_SERVER['OPENAI_API_KEY']",
        ");\n",
        1,
    ),
    (
        Language::Ruby,
        "c = OpenAI::Client.new(access_token: ",
        "f(ENV[\"OPENAI_API_KEY\"], ({}))",
        "ENV.fetch(\"OPENAI_API_KEY\")",
        ")\n",
        1,
    ),
    (
        Language::Ruby,
        "OpenAI.configure do |config|\n",
        "f do |x|\nz.access_token = ENV[\"OPENAI_API_KEY\"]\n{}end\n",
        "config.access_token = ENV[\"OPENAI_API_KEY\"]\n",
        "end\n",
        1,
    ),
    (
        Language::Rust,
        "fn main() {\n    let c = Client::with_config(OpenAIConfig::new().with_api_key(",
        "f(std::env::var(\"OPENAI_API_KEY\").unwrap_or(({})))",
        "env::var(\"OPENAI_API_KEY\")?",
        "));\n}\n",
        1,
    ),
    (
        Language::Shell,
        "curl -H \"Authorization: Bearer ",
        "$(X=1 f \"$OPENAI_API_KEY\" {})",
        "${OPENAI_API_KEY:-x}",
        "\" https://api.openai.com/v1/models\n",
        1,
    ),
];

/// The code extractors visit each node a bounded number of times, however
/// deep it sits: four times the nesting is about four times the work (it
/// was sixteen: a walk up to the enclosing client from every node, and
/// tree-sitter's `Node::parent`, which searches down from the root). Work
/// is counted, not timed: a count does not depend on the machine.
#[test]
fn code_extraction_work_is_linear_in_the_nesting() {
    let providers = credlint::provider::Providers::builtin();
    let mut superlinear = Vec::new();
    for &(lang, before, wrap, leaf, after, per_level) in NESTS {
        let run = |depth: usize| {
            let text = format!("{before}{}{after}", nest(wrap, leaf, depth));
            let (found, work) = credlint::extract::code::extract_work(lang, &text, providers);
            let found = found.expect("parsed");
            assert!(
                found.facts.reads.len() > per_level * depth,
                "{lang:?} at depth {depth}: {} reads",
                found.facts.reads.len()
            );
            work
        };
        let (small, large) = (run(40), run(160));
        assert!(small > 0, "{lang:?}: no work counted");
        if large > 8 * small {
            superlinear.push(format!(
                "{lang:?} `{wrap}`: {:.1}× ({small} → {large})",
                large as f64 / small as f64
            ));
        }
    }
    assert!(
        superlinear.is_empty(),
        "4× the nesting cost more than 8× the work:\n{}",
        superlinear.join("\n")
    );
}

/// The inputs: 50,000 nested parentheses (about 100 KB) in every
/// parsed language, a key at the bottom. Each file is read (the parse-tree
/// walk stops at `MAX_DEPTH`, so the nest below it is read as text: the
/// key is still found), the run says which files were read only in part,
/// and it finishes at once (it took minutes per file).
#[test]
fn fifty_thousand_nested_parentheses_in_every_language() {
    let d = repo();
    let p = d.path();
    let key = fake_key(50);
    let depth = 50_000;
    let nested =
        |open: &str, close: &str| format!("{}\"{key}\"{}", open.repeat(depth), close.repeat(depth));
    let files = [
        (
            "a.py",
            format!("import os\nc = OpenAI(api_key={})\n", nested("(", ")")),
        ),
        (
            "a.js",
            format!(
                "const c = new OpenAI({{ apiKey: {} }});\n",
                nested("(", ")")
            ),
        ),
        (
            "a.ts",
            format!(
                "const c = new OpenAI({{ apiKey: {} }});\n",
                nested("(", ")")
            ),
        ),
        (
            "a.go",
            format!(
                "package main\nfunc main() {{ c := openai.NewClient({}) }}\n",
                nested("(", ")")
            ),
        ),
        (
            "a.rs",
            format!(
                "fn main() {{ let c = OpenAIConfig::new().with_api_key({}); }}\n",
                nested("(", ")")
            ),
        ),
        (
            "A.java",
            format!(
                "class A {{ void m() {{ var c = OpenAIOkHttpClient.builder().apiKey({}).build(); }} }}\n",
                nested("(", ")")
            ),
        ),
        (
            "A.cs",
            format!(
                "class A {{ void M() {{ var c = new ApiKeyCredential({}); }} }}\n",
                nested("(", ")")
            ),
        ),
        (
            "a.php",
            format!("<?php\n$c = OpenAI::client({});\n", nested("(", ")")),
        ),
        (
            "a.rb",
            format!(
                "c = OpenAI::Client.new(access_token: {})\n",
                nested("(", ")")
            ),
        ),
        ("a.sh", format!("echo {}\n", nested("$(echo ", ")"))),
    ];
    for (name, text) in &files {
        fs::write(p.join(name), text).expect("write");
    }
    let start = std::time::Instant::now();
    let (code, out, err) = run_bounded(p, &["check", "--format", "json"], MEM);
    let took = start.elapsed();
    assert_eq!(code, 1, "{err}");
    assert!(
        !out.contains(&key) && !err.contains(&key),
        "a key was printed"
    );
    let doc = json(&out);
    let at = locations(&doc);
    for (name, text) in &files {
        let line = text[..text.find("sk-proj-").expect("key")]
            .matches('\n')
            .count()
            + 1;
        let column = text
            .lines()
            .nth(line - 1)
            .and_then(|l| l.find("sk-proj-"))
            .expect("col")
            + 1;
        let want = format!("{name}:{line}:{column} KEY001");
        assert!(at.contains(&want), "{want} missing from {at:?}");
    }
    assert!(
        err.contains("10 files (") && err.contains("nested deeper than"),
        "the partly read files are named: {err}"
    );
    // Generous for a debug build on a shared machine: the quadratic walk
    // took minutes for each file.
    assert!(took.as_secs() < 60, "{took:?}");
}

/// `lines` assignments of ordinary variables, then the given tail.
fn big_env(lines: usize, tail: &str) -> String {
    let mut text = String::with_capacity(lines * 32 + tail.len());
    for i in 0..lines {
        text.push_str(&format!("VAR_{i}=value_{i}_abcdefgh\n"));
    }
    text.push_str(tail);
    text
}

/// A large env file's facts are what the rules use: the credential
/// variables and the names that may misspell one, not a definition per
/// line (which took ten times the file: a million lines, 342 MB).
#[test]
fn a_large_env_file_keeps_only_the_facts_rules_use() {
    let text = big_env(
        50_000,
        "OPENAI_API_KEY=\nOPENAI_APIKEY=x\nOPENAI_MODEL=gpt-4o\nDEBUG=1\n",
    );
    let source = credlint::source::Source::new(text);
    let class = credlint::walk::classify(Path::new(".env"), ".env", true, true);
    let providers = credlint::provider::Providers::builtin();
    let hits = providers.prefilter().scan(source.text().as_bytes());
    let facts = credlint::extract::extract(&class, Path::new(".env"), &source, hits, providers);
    let names: Vec<&str> = facts.definitions.iter().map(|d| d.name.as_str()).collect();
    assert!(names.len() < 10, "{} definitions", names.len());
    assert_eq!(names, ["OPENAI_API_KEY", "OPENAI_APIKEY"]);
    assert_eq!(facts.settings.len(), 1);
}

/// The same through the command line, within a memory bound: 300,000
/// lines (9.7 MB) peaked at 127 MB resident and needed 280 MB of address
/// space; now 42 MB and under 70 MB. One worker thread, so that the bound
/// does not depend on the machine's cores.
#[test]
fn a_large_env_file_is_checked_in_a_small_multiple_of_its_size() {
    let d = repo();
    fs::write(d.path().join(".env"), big_env(300_000, "OPENAI_API_KEY=\n")).expect("w");
    let (code, out, err) = run_bounded(
        d.path(),
        &[
            "check",
            "-j",
            "1",
            "--format",
            "json",
            "--max-file-size",
            "100000000",
        ],
        160_000,
    );
    assert_eq!(code, 1, "{err}");
    let doc = json(&out);
    assert_eq!(locations(&doc), [".env:300001:1 KEY002"]);
}

/// A large file of lines that are not assignments is not an env file: the
/// first hundred errors are reported, the rest in one more (each was a
/// finding: 300,000 lines of 4.7 MB took 353 MB).
#[test]
fn a_large_env_file_of_bad_lines_reports_a_bounded_number_of_errors() {
    let d = repo();
    let mut text = String::new();
    for i in 0..200_000 {
        text.push_str(&format!("bad line {i}\n"));
    }
    fs::write(d.path().join("x.env"), text).expect("w");
    let (code, out, err) = run_bounded(
        d.path(),
        &[
            "check",
            "-j",
            "1",
            "--format",
            "json",
            "--max-file-size",
            "100000000",
        ],
        160_000,
    );
    assert_eq!(code, 1, "{err}");
    let doc = json(&out);
    let findings = doc["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 101, "{}", findings.len());
    let last = &findings[100];
    assert_eq!(last["line"], 101);
    let message = last["message"].as_str().unwrap_or("");
    assert!(message.contains("199900 more lines"), "{message}");
}
