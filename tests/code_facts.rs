//! Snapshots of what the code extractor learns from each `fixtures/code-*`
//! fixture (one line per fact, `FileFacts::render`), and of the findings a
//! check of the fixture reports (with their help lines, which name the fix
//! in the file's own language). A change in a grammar, in the client
//! tables or in value classification shows up here as a readable diff.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use credlint::check::{CheckOptions, check};
use credlint::provider::Providers;
use credlint::source::Source;
use credlint::walk::{self, WalkOptions};

use common::{fixture_repo, fixtures_dir};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn facts(fixture: &str) -> String {
    let providers = Providers::builtin();
    let root = fixtures_dir().join(fixture);
    let mut out = String::new();
    for p in files(&root) {
        let rel = p.strip_prefix(&root).expect("under the fixture");
        let name = rel.to_string_lossy().replace('\\', "/");
        let class = walk::classify(&p, &name, true, true);
        if !matches!(
            class.kind,
            walk::FileKind::Code(_) | walk::FileKind::Notebook
        ) {
            continue;
        }
        let source = Source::decode(&fs::read(&p).expect("read"));
        let hits = providers.prefilter().scan(source.text().as_bytes());
        let facts = credlint::extract::extract(&class, &p, &source, hits, providers);
        out.push_str(&format!("== {name}\n{}", facts.render(&source, providers)));
    }
    out
}

fn findings(fixture: &str) -> String {
    let repo = fixture_repo(fixture);
    let opts = CheckOptions {
        paths: vec![repo.path().to_path_buf()],
        walk: WalkOptions {
            base: Some(repo.path().to_path_buf()),
            threads: 2,
            ..WalkOptions::default()
        },
        ..CheckOptions::default()
    };
    let outcome = check(&opts).expect("check");
    outcome
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{} {} {}\n    help: {}\n",
                f.path, f.start.line, f.start.column, f.code, f.message, f.help
            )
        })
        .collect()
}

/// Every `fixtures/code-*` folder.
fn code_fixtures() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(fixtures_dir())
        .expect("fixtures/")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("code-"))
        .collect();
    names.sort();
    names
}

#[test]
fn facts_and_findings_of_each_code_fixture() {
    let names = code_fixtures();
    assert!(!names.is_empty());
    for name in names {
        let facts = facts(&name);
        assert!(facts.contains("client "), "{name}: no client found");
        insta::assert_snapshot!(format!("{name}-facts"), facts);
        insta::assert_snapshot!(format!("{name}-findings"), findings(&name));
    }
}

/// A made-up key of each provider's shape (random bodies, built at run
/// time so that no key sits in this file).
fn sample_key(provider: &str, seed: u64) -> Option<String> {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    const HEX: &[u8] = b"0123456789abcdef";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut body = |set: &[u8], n: usize| -> String {
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                set[(x % set.len() as u64) as usize] as char
            })
            .collect()
    };
    Some(match provider {
        "openai" => format!(
            "sk-proj-{}{}{}",
            body(ALNUM, 58),
            concat!("T3Blbk", "FJ"),
            body(ALNUM, 58)
        ),
        "anthropic" => format!("{}{}AA", concat!("sk-ant-", "api03-"), body(ALNUM, 93)),
        "azure-openai" => body(HEX, 32),
        "cohere" => body(ALNUM, 40),
        "deepseek" => format!("sk-{}", body(LOWER, 32)),
        "gemini" => format!("{}{}", concat!("AI", "za"), body(ALNUM, 35)),
        "groq" => format!("{}{}", concat!("gs", "k_"), body(ALNUM, 52)),
        "huggingface" => format!("{}{}", concat!("h", "f_"), body(ALNUM, 34)),
        "mistral" => body(ALNUM, 32),
        "openrouter" => format!("{}{}", concat!("sk-or-", "v1-"), body(HEX, 64)),
        "perplexity" => format!("{}{}", concat!("pp", "lx-"), body(ALNUM, 48)),
        "xai" => format!("{}{}", concat!("xa", "i-"), body(ALNUM, 80)),
        _ => return None,
    })
}

/// A constant named `name` holding `value`, in each parsed language and in
/// a notebook cell: (file name, text).
fn constants(name: &str, value: &str) -> Vec<(&'static str, String)> {
    let cell = format!("{name} = \\\"{value}\\\"\\n");
    vec![
        ("app.py", format!("import os\n{name} = \"{value}\"\n")),
        ("app.js", format!("const {name} = \"{value}\";\n")),
        (
            "app.ts",
            format!("export const {name}: string = \"{value}\";\n"),
        ),
        (
            "main.go",
            format!("package main\n\nconst {name} = \"{value}\"\n"),
        ),
        (
            "App.java",
            format!("class App {{\n    static final String {name} = \"{value}\";\n}}\n"),
        ),
        (
            "App.cs",
            format!("class App {{\n    const string {name} = \"{value}\";\n}}\n"),
        ),
        ("app.php", format!("<?php\nconst {name} = '{value}';\n")),
        ("vars.php", format!("<?php\n${name} = \"{value}\";\n")),
        ("app.rb", format!("{name} = \"{value}\"\n")),
        ("main.rs", format!("const {name}: &str = \"{value}\";\n")),
        ("run.sh", format!("{name}=\"{value}\"\n")),
        (
            "nb.ipynb",
            format!(
                "{{\"cells\": [{{\"cell_type\": \"code\", \"source\": [\"{cell}\"]}}], \"metadata\": {{}}}}\n"
            ),
        ),
    ]
}

/// Every provider's key assigned to a constant named like any of its key
/// variables, in every language and in a notebook cell, is a key literal
/// at the value (so KEY001 reports it and no output prints it), as the
/// env-file line of that name is: keys without a prefix (Mistral, Cohere,
/// Azure, DeepSeek) were found only in env files and configs.
#[test]
fn key_constants_of_every_provider_in_every_language() {
    let providers = Providers::builtin();
    let mut missing = Vec::new();
    for (pid, p) in providers.iter() {
        if p.keys.is_empty() {
            continue;
        }
        let key = sample_key(&p.name, pid as u64 + 1)
            .unwrap_or_else(|| panic!("no sample key for provider {}", p.name));
        assert!(
            p.keys.iter().any(|k| k.whole.is_match(&key)),
            "the sample key of {} has none of its shapes",
            p.name
        );
        for var in p
            .variables
            .iter()
            .filter(|v| v.slot == credlint::fact::Slot::Key)
        {
            for (file, text) in constants(&var.name, &key) {
                let path = Path::new(file);
                let class = walk::classify(path, file, true, true);
                let source = Source::new(text.clone());
                let hits = providers.prefilter().scan(text.as_bytes());
                let facts = credlint::extract::extract(&class, path, &source, hits, providers);
                let at = text.find(&key).expect("the key is in the text");
                let found = facts.literals.iter().any(|l| {
                    l.span.start == at
                        && l.span.end == at + key.len()
                        && matches!(l.kind, credlint::fact::LiteralKind::Key { provider, .. } if provider == pid)
                });
                if !found {
                    missing.push(format!("{} in {file}", var.name));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "no key literal for {} constants: {}",
        missing.len(),
        missing.join(", ")
    );
}

/// A notebook that is not valid JSON is read as text: an org ID in it is
/// still a value the literal scan reports (it was taken for prose).
#[test]
fn an_org_id_in_a_notebook_that_does_not_parse() {
    let providers = Providers::builtin();
    let org = concat!("org-", "YgojjHRg80USP2W5DfJXcaYi");
    let text = format!(
        "{{\"cells\": [{{\"cell_type\": \"code\", \"source\": [\"org = \\\"{org}\\\"\\n\"]}}], \"metadata\": {{}}\n"
    );
    let path = Path::new("broken.ipynb");
    let class = walk::classify(path, "broken.ipynb", true, true);
    let source = Source::new(text.clone());
    let hits = providers.prefilter().scan(text.as_bytes());
    let facts = credlint::extract::extract(&class, path, &source, hits, providers);
    assert_eq!(facts.parse_errors.len(), 1);
    let lit: Vec<_> = facts
        .literals
        .iter()
        .map(|l| (l.text.as_str(), l.context))
        .collect();
    assert_eq!(lit, [(org, credlint::fact::TextContext::Value)]);
}

/// KEY005 is reported once in each file that needs the variable, at the
/// file's first consumer, and names the other files as related locations:
/// a suppression or baseline entry then belongs to the file of the read.
#[test]
fn key005_once_per_file_with_the_others_related() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    fs::write(root.join(".env.example"), "DATABASE_URL=\n").expect("w");
    fs::write(
        root.join("app.py"),
        "import os\nfrom openai import OpenAI\n\nclient = OpenAI()\nkey = os.environ[\"OPENAI_API_KEY\"]\n",
    )
    .expect("w");
    fs::write(
        root.join("worker.js"),
        "const key = process.env.OPENAI_API_KEY;\n",
    )
    .expect("w");
    let opts = CheckOptions {
        paths: vec![root.to_path_buf()],
        walk: WalkOptions {
            base: Some(root.to_path_buf()),
            threads: 2,
            ..WalkOptions::default()
        },
        ..CheckOptions::default()
    };
    let outcome = check(&opts).expect("check");
    let found: Vec<_> = outcome
        .findings
        .iter()
        .filter(|f| f.code == "KEY005")
        .collect();
    let at: Vec<String> = found
        .iter()
        .map(|f| format!("{}:{}", f.path, f.start.line))
        .collect();
    assert_eq!(at, ["app.py:4", "worker.js:1"]);
    let related: Vec<Vec<String>> = found
        .iter()
        .map(|f| {
            f.related
                .iter()
                .map(|r| format!("{}:{}", r.path, r.start.line))
                .collect()
        })
        .collect();
    assert_eq!(related, [vec!["worker.js:1"], vec!["app.py:4"]]);
}
