//! No output shows a key: random keys of every provider's shape, placed in
//! every file kind (env, YAML, TOML, JSON, each language, a notebook, a
//! minified one-line file) on a finding's line, on a context line next to
//! one and on a line a finding points at as related, and in key slots, go
//! through every output of the binary (every
//! format, `--statistics`, `--diff`, `--diff --unsafe-fixes`,
//! `--write-baseline` and its file, `--verify` with its notes). No window
//! of 8 characters of any key's secret part (what follows its provider
//! prefix) may appear anywhere.
//!
//! The keys are random (a seeded xorshift, so a failure reproduces) and
//! made at run time: no key is committed. The test also checks that it
//! tests something: every key pattern of every provider is covered, and
//! each placed key is shown (masked) in the `pretty` output.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::Path;

use common::{credlint, mock::Mock, repo_with};

/// A deterministic xorshift64* generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick(&mut self, alphabet: &[u8]) -> char {
        alphabet[(self.next() % alphabet.len() as u64) as usize] as char
    }
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const URLSAFE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const HEX: &[u8] = b"0123456789abcdef";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const WORD: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";

/// One part of a key shape: fixed text, or random characters.
enum Part {
    Fixed(&'static str),
    Random(&'static [u8], usize),
}

use Part::{Fixed, Random};

/// Every key shape of `rules/providers/*.toml` (the test checks that each
/// key pattern matches one): a name, the provider prefix (not secret) and
/// the parts after it. A random body never starts with `-`: a value that
/// starts with one reads as an option or a list item in some formats.
fn shapes() -> Vec<(&'static str, &'static str, Vec<Part>)> {
    let marker = "T3BlbkFJ";
    vec![
        (
            "openai-project",
            "sk-proj-",
            vec![
                Random(ALNUM, 1),
                Random(URLSAFE, 73),
                Fixed(marker),
                Random(URLSAFE, 74),
            ],
        ),
        (
            "openai-svcacct",
            "sk-svcacct-",
            vec![
                Random(ALNUM, 1),
                Random(URLSAFE, 57),
                Fixed(marker),
                Random(URLSAFE, 58),
            ],
        ),
        (
            "openai-admin",
            "sk-admin-",
            vec![
                Random(ALNUM, 1),
                Random(URLSAFE, 57),
                Fixed(marker),
                Random(URLSAFE, 58),
            ],
        ),
        (
            "openai-none-long",
            "sk-None-",
            vec![
                Random(ALNUM, 1),
                Random(URLSAFE, 39),
                Fixed(marker),
                Random(URLSAFE, 40),
            ],
        ),
        ("openai-none-short", "sk-None-", vec![Random(ALNUM, 48)]),
        (
            "openai-legacy",
            "sk-",
            vec![Random(ALNUM, 20), Fixed(marker), Random(ALNUM, 20)],
        ),
        (
            "anthropic-api",
            "sk-ant-api03-",
            vec![Random(ALNUM, 1), Random(URLSAFE, 92), Fixed("AA")],
        ),
        (
            "anthropic-admin",
            "sk-ant-admin01-",
            vec![Random(ALNUM, 1), Random(URLSAFE, 92), Fixed("AA")],
        ),
        ("azure-hex", "", vec![Random(HEX, 32)]),
        (
            "azure-extended",
            "",
            vec![Random(ALNUM, 64), Fixed("JQQJ"), Random(ALNUM, 16)],
        ),
        ("cohere", "", vec![Random(ALNUM, 40)]),
        ("deepseek", "sk-", vec![Random(LOWER_ALNUM, 32)]),
        (
            "gemini",
            "AIza",
            vec![Random(ALNUM, 1), Random(URLSAFE, 34)],
        ),
        ("groq", "gsk_", vec![Random(ALNUM, 52)]),
        ("huggingface", "hf_", vec![Random(ALNUM, 34)]),
        ("huggingface-org", "api_org_", vec![Random(ALNUM, 34)]),
        ("mistral", "", vec![Random(ALNUM, 32)]),
        ("openrouter", "sk-or-v1-", vec![Random(HEX, 64)]),
        ("perplexity", "pplx-", vec![Random(ALNUM, 48)]),
        ("xai", "xai-", vec![Random(WORD, 80)]),
    ]
}

/// A generated key and the 8-character windows of its secret part that
/// hold at least one random character.
struct Key {
    shape: &'static str,
    /// The file kind and the place, for failure messages.
    place: String,
    text: String,
    prefix_len: usize,
    windows: Vec<String>,
}

fn make_key(rng: &mut Rng, shape: &'static str, prefix: &'static str, parts: &[Part]) -> Key {
    let mut text = String::from(prefix);
    let mut random = vec![false; prefix.len()];
    for p in parts {
        match p {
            Fixed(s) => {
                text.push_str(s);
                random.extend(std::iter::repeat_n(false, s.len()));
            }
            Random(alphabet, n) => {
                text.extend((0..*n).map(|_| rng.pick(alphabet)));
                random.extend(std::iter::repeat_n(true, *n));
            }
        }
    }
    let windows = (prefix.len()..=text.len() - 8)
        .filter(|&i| random[i..i + 8].iter().any(|&r| r))
        .map(|i| text[i..i + 8].to_string())
        .collect();
    Key {
        shape,
        place: String::new(),
        text,
        prefix_len: prefix.len(),
        windows,
    }
}

/// What the `pretty` snippet shows of a key that stands alone: its
/// provider prefix (else its first 3 characters), `*`, its last 4.
fn masked_form(key: &Key) -> String {
    let head = if key.prefix_len > 0 {
        key.prefix_len
    } else {
        3
    }
    .min(key.text.len() / 4);
    let tail = &key.text[key.text.len() - 4..];
    format!(
        "{}{}{tail}",
        &key.text[..head],
        "*".repeat(key.text.len() - head - 4)
    )
}

/// Lines that push a related line out of the finding's context (miette
/// shows 2 lines around a label), in a comment of the file's syntax.
fn gap(comment: &str) -> String {
    (1..=4).map(|i| format!("{comment} ({i})\n")).collect()
}

/// The files of one file kind, for three keys: `f` on a finding's line
/// (an organization setting holding a key: ORG002), `c` on a context line
/// next to it, and `r` on a line shown only as related: the first of two
/// definitions (ENV003) in env, YAML and JSON files; in code, a TOML
/// (Codex) config and a notebook, an env read of a variable that nothing
/// defines, `var` (KEY005 is reported at the first read and points at
/// the others, at most 20: each shape reads its own variable). Paths are
/// under `dir`.
fn files(kind: &str, dir: &str, var: &str, f: &str, c: &str, r: &str) -> Vec<(String, String)> {
    let p = |name: &str| format!("{dir}/{name}");
    let one = |name: &str, text: String| vec![(p(name), text)];
    let g = gap;
    match kind {
        "env" => one(
            ".env",
            format!("OPENAI_ORG_ID={r}\n{}# {c}\nOPENAI_ORG_ID={f}\n", g("#")),
        ),
        "yaml" => one(
            "docker-compose.yml",
            format!(
                "services:\n  app:\n    environment:\n      - OPENAI_ORG_ID={r}\n{}      # {c}\n      - OPENAI_ORG_ID={f}\n",
                g("      #")
            ),
        ),
        "json" => one(
            "appsettings.json",
            format!(
                "{{\n  \"OpenAI\": {{\n    \"OrganizationId\": \"{r}\",\n    \"A\": 1,\n    \"B\": 2,\n    \"C\": 3,\n    \"Note\": \"{c}\",\n    \"OrganizationId\": \"{f}\"\n  }}\n}}\n"
            ),
        ),
        "toml" => vec![
            (
                p("config.toml"),
                format!("[openai]\n# {c}\norganization = \"{f}\"\n"),
            ),
            (
                p(".codex/config.toml"),
                format!(
                    "model_provider = \"m\"\n\n[model_providers.m]\nname = \"M\"\nenv_key = \"{var}\" # {r}\n"
                ),
            ),
        ],
        "python" => one(
            "app.py",
            format!(
                "import os\nfrom openai import OpenAI\n\n# {c}\nclient = OpenAI(organization=\"{f}\")\n{}key = os.environ[\"{var}\"]  # {r}\n",
                g("#")
            ),
        ),
        "javascript" => one(
            "app.js",
            format!(
                "import OpenAI from \"openai\";\n\n// {c}\nconst client = new OpenAI({{ organization: \"{f}\" }});\n{}const key = process.env.{var}; // {r}\n",
                g("//")
            ),
        ),
        "typescript" => one(
            "app.ts",
            format!(
                "import OpenAI from \"openai\";\n\n// {c}\nconst client: OpenAI = new OpenAI({{ organization: \"{f}\" }});\n{}const key: string | undefined = process.env.{var}; // {r}\n",
                g("//")
            ),
        ),
        "go" => one(
            "main.go",
            format!(
                "package main\n\nimport (\n\t\"os\"\n\n\t\"github.com/openai/openai-go/v3\"\n\t\"github.com/openai/openai-go/v3/option\"\n)\n\nfunc main() {{\n\t// {c}\n\tclient := openai.NewClient(option.WithOrganization(\"{f}\"))\n{}\tkey := os.Getenv(\"{var}\") // {r}\n\t_, _ = client, key\n}}\n",
                g("\t//")
            ),
        ),
        "java" => one(
            "App.java",
            format!(
                "import com.openai.client.okhttp.OpenAIOkHttpClient;\n\nclass App {{\n    void build() {{\n        // {c}\n        OpenAIOkHttpClient.builder().organization(\"{f}\").build();\n{}        String key = System.getenv(\"{var}\"); // {r}\n    }}\n}}\n",
                g("        //")
            ),
        ),
        "csharp" => one(
            "Program.cs",
            format!(
                "using System;\nusing OpenAI;\n\nvar client = new OpenAIClient(\n    new ApiKeyCredential(\"x\"),\n    // {c}\n    new OpenAIClientOptions {{ OrganizationId = \"{f}\" }});\n{}var k = Environment.GetEnvironmentVariable(\"{var}\"); // {r}\n",
                g("//")
            ),
        ),
        "ruby" => one(
            "app.rb",
            format!(
                "require \"openai\"\n\n# {c}\nclient = OpenAI::Client.new(organization: \"{f}\")\n{}key = ENV[\"{var}\"] # {r}\n",
                g("#")
            ),
        ),
        "rust" => one(
            "main.rs",
            format!(
                "use async_openai::config::OpenAIConfig;\n\nfn main() {{\n    // {c}\n    let config = OpenAIConfig::new().with_org_id(\"{f}\");\n{}    let key = std::env::var(\"{var}\"); // {r}\n    let _ = (config, key);\n}}\n",
                g("    //")
            ),
        ),
        "php" => one(
            "app.php",
            format!(
                "<?php\n// {c}\n$client = OpenAI::factory()->withOrganization(\"{f}\")->make();\n{}$key = getenv('{var}'); // {r}\n",
                g("//")
            ),
        ),
        "bash" => one(
            "run.sh",
            format!(
                "#!/usr/bin/env bash\n# {c}\nexport OPENAI_ORG_ID=\"{f}\"\n{}echo \"${var}\" # {r}\n",
                g("#")
            ),
        ),
        "notebook" => {
            let mut source = vec![
                "import os\n".to_string(),
                "from openai import OpenAI\n".to_string(),
                format!("# {c}\n"),
                format!("client = OpenAI(organization=\"{f}\")\n"),
            ];
            source.extend(g("#").lines().map(|l| format!("{l}\n")));
            source.push(format!("key = os.environ[\"{var}\"]  # {r}\n"));
            let nb = serde_json::json!({
                "cells": [{
                    "cell_type": "code",
                    "execution_count": 1,
                    "metadata": {},
                    "outputs": [],
                    "source": source,
                }],
                "metadata": {},
                "nbformat": 4,
                "nbformat_minor": 5
            });
            one(
                "analysis.ipynb",
                serde_json::to_string_pretty(&nb).expect("notebook"),
            )
        }
        // Keys where they belong, in key slots: the value of each is
        // hidden whatever it looks like, and `--verify` sends them.
        "slots" => vec![
            (p(".env"), format!("OPENAI_API_KEY={f}\n")),
            (
                p("app.py"),
                format!("from openai import OpenAI\n\nclient = OpenAI(api_key=\"{c}\")\n"),
            ),
            (
                p("docker-compose.yml"),
                format!(
                    "services:\n  app:\n    environment:\n      OPENAI_API_KEY: \"Bearer {r}\"\n"
                ),
            ),
        ],
        // A minified file: one long line, shown as a window around each
        // finding; the keys are not all in the window.
        "minified" => {
            let pad = "a+b;".repeat(300);
            one(
                "app.min.js",
                format!(
                    "{pad}const c=new OpenAI({{organization:\"{f}\"}});/* {c} */{pad}var k=process.env.{var};/* {r} */{pad}\n"
                ),
            )
        }
        _ => unreachable!("{kind}"),
    }
}

/// Key variables that nothing in the test repository defines, one per
/// shape.
const UNDEFINED: [&str; 20] = [
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_KEY",
    "AZURE_API_KEY",
    "CO_API_KEY",
    "COHERE_API_KEY",
    "DEEPSEEK_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "GOOGLE_KEY",
    "GROQ_API_KEY",
    "HF_TOKEN",
    "HUGGINGFACEHUB_API_TOKEN",
    "MISTRAL_API_KEY",
    "OPENAI_ACCESS_TOKEN",
    "OPENROUTER_API_KEY",
    "OPENROUTER_KEY",
    "PERPLEXITY_API_KEY",
    "XAI_API_KEY",
];

const KINDS: &[&str] = &[
    "env",
    "yaml",
    "toml",
    "json",
    "python",
    "javascript",
    "typescript",
    "go",
    "java",
    "csharp",
    "ruby",
    "rust",
    "php",
    "bash",
    "notebook",
    "minified",
    "slots",
];

/// Run the binary in `dir`: stdout and stderr together.
fn run(dir: &Path, args: &[&str]) -> String {
    let out = credlint()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run credlint");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "credlint {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every secret window of every key, with the key's index.
fn window_index(keys: &[Key]) -> HashMap<&[u8], usize> {
    keys.iter()
        .enumerate()
        .flat_map(|(i, k)| k.windows.iter().map(move |w| (w.as_bytes(), i)))
        .collect()
}

/// The keys of which `text` shows a window (none, or the test fails):
/// where each was placed and one window it showed (never more, so a
/// failure message cannot piece a key together).
fn leaks(text: &str, keys: &[Key], index: &HashMap<&[u8], usize>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for w in text.as_bytes().windows(8) {
        if let Some(&i) = index.get(w) {
            out.entry(format!("{} in {}", keys[i].shape, keys[i].place))
                .or_insert_with(|| String::from_utf8_lossy(w).into_owned());
        }
    }
    out
}

#[test]
fn no_output_shows_eight_characters_of_a_key() {
    let mut rng = Rng(0x5EED_CAFE_F00D_1234);
    let shapes = shapes();
    let mut keys = Vec::new();
    let mut files_all = Vec::new();
    // Every shape in every file kind, in each of the three places.
    for (s, (name, prefix, parts)) in shapes.iter().enumerate() {
        for kind in KINDS {
            let [mut f, mut c, mut r] =
                std::array::from_fn(|_| make_key(&mut rng, name, prefix, parts));
            let places = match *kind {
                "slots" => ["env key slot", "code key slot", "compose key slot"],
                _ => ["finding line", "context line", "related line"],
            };
            f.place = format!("{kind} {}", places[0]);
            c.place = format!("{kind} {}", places[1]);
            r.place = format!("{kind} {}", places[2]);
            let dir = format!("{s:02}-{name}/{kind}");
            files_all.extend(files(kind, &dir, UNDEFINED[s], &f.text, &c.text, &r.text));
            keys.extend([f, c, r]);
        }
    }

    // The shapes are those of the provider files: each key pattern of each
    // provider matches a generated key.
    let providers = credlint::provider::Providers::builtin();
    for (_, p) in providers.iter() {
        for k in &p.keys {
            assert!(
                keys.iter().any(|key| k.whole.is_match(&key.text)),
                "no generated key has the shape of {} {}",
                p.name,
                k.id
            );
        }
    }

    // An application (it ships an env template): KEY005 applies.
    files_all.push((".env.example".into(), "OPENAI_API_KEY=\n".into()));
    // A Gemini SDK: GOOGLE_API_KEY, a name Maps and Custom Search code
    // share, is a provider key here.
    files_all.push(("requirements.txt".into(), "google-genai\n".into()));
    let refs: Vec<(&str, &str)> = files_all
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let repo = repo_with(&refs);
    let dir = repo.path();

    let mut outputs: Vec<(String, String)> = Vec::new();
    for format in ["pretty", "concise", "json", "sarif", "github", "gitlab"] {
        outputs.push((
            format!("--format {format}"),
            run(dir, &["check", "--format", format]),
        ));
    }
    for format in ["concise", "json"] {
        outputs.push((
            format!("--statistics --format {format}"),
            run(dir, &["check", "--statistics", "--format", format]),
        ));
    }
    outputs.push(("--diff".into(), run(dir, &["check", "--diff"])));
    outputs.push((
        "--diff --unsafe-fixes".into(),
        run(dir, &["check", "--diff", "--unsafe-fixes"]),
    ));
    let baseline = tempfile::tempdir().expect("tmp");
    let baseline_file = baseline.path().join("baseline.json");
    let baseline_arg = baseline_file.to_str().expect("utf-8 path");
    outputs.push((
        "--write-baseline".into(),
        run(dir, &["check", "--write-baseline", baseline_arg]),
    ));
    outputs.push((
        "the baseline file".into(),
        fs::read_to_string(&baseline_file).expect("baseline written"),
    ));
    if cfg!(feature = "verify") {
        let mock = Mock::start();
        for format in ["pretty", "json"] {
            outputs.push((
                format!("--verify --format {format}"),
                run(
                    dir,
                    &[
                        "check",
                        "--verify",
                        "--api-base",
                        &mock.base(),
                        "--format",
                        format,
                    ],
                ),
            ));
        }
    }

    let index = window_index(&keys);
    if cfg!(feature = "verify") {
        let verified = outputs
            .iter()
            .find(|(what, _)| what.starts_with("--verify"))
            .map(|(_, text)| text.as_str())
            .unwrap_or("");
        assert!(
            verified.contains("--verify: asked about"),
            "--verify sent nothing: its note is not tested"
        );
    }
    for (what, text) in &outputs {
        let leaked = leaks(text, &keys, &index);
        assert!(
            leaked.is_empty(),
            "{what} shows part of a key: {:?}",
            // The window, not the key: the message is no leak itself.
            leaked
        );
    }

    // The test shows keys to begin with: every key placed in a file is
    // in the pretty output, masked.
    let pretty = &outputs[0].1;
    let missing: BTreeSet<String> = keys
        .iter()
        .filter(|k| !pretty.contains(&masked_form(k)))
        // A long line is shown as a window that cuts most keys; a key
        // without a prefix, alone in its key slot, is no finding.
        .filter(|k| !k.place.starts_with("minified"))
        .filter(|k| {
            // No rule tells these apart from any other long word.
            let shapeless = k.prefix_len == 0 || k.shape == "deepseek";
            let alone = k.place == "slots env key slot" || k.place == "slots code key slot";
            !(alone && shapeless)
        })
        .map(|k| format!("{} in {}", k.shape, k.place))
        .collect();
    assert!(missing.is_empty(), "not shown: {missing:#?}");
}
