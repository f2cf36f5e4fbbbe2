//! Windowed parsing gives the facts of a whole-file parse: every code
//! fixture and every code file of the rule examples, embedded between
//! unrelated functions so that the file is large enough to be windowed.

use std::path::Path;

use crate::provider::Providers;
use crate::walk::Language;

use super::{extract, extract_windows, window};

fn filler(lang: Language, tag: &str) -> String {
    (0..40)
        .map(|i| match lang {
            Language::Python => format!("def filler_{tag}{i}(x):\n    return x + {i}\n\n"),
            Language::Go => format!("func filler{tag}{i}(x int) int {{\n\treturn x + {i}\n}}\n\n"),
            Language::Rust => format!("fn filler_{tag}{i}(x: u32) -> u32 {{\n    x + {i}\n}}\n\n"),
            _ => format!("function filler{tag}{i}(x) {{\n  return x + {i};\n}}\n\n"),
        })
        .collect()
}

fn language(path: &str) -> Option<Language> {
    Some(match Path::new(path).extension()?.to_str()? {
        "py" => Language::Python,
        "js" | "mjs" | "cjs" | "jsx" => Language::JavaScript,
        "ts" | "mts" => Language::TypeScript,
        "tsx" => Language::Tsx,
        "go" => Language::Go,
        "rs" => Language::Rust,
        _ => return None,
    })
}

/// (name, language, source) of every code fixture and rule-example file.
fn samples() -> Vec<(String, Language, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut stack = vec![root.join("fixtures")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Some(lang) = language(&p.to_string_lossy())
                && let Ok(text) = std::fs::read_to_string(&p)
            {
                out.push((p.display().to_string(), lang, text));
            }
        }
    }
    let Ok(rules) = std::fs::read_dir(root.join("rules")) else {
        return out;
    };
    for e in rules.flatten() {
        let Ok(text) = std::fs::read_to_string(e.path()) else {
            continue;
        };
        let Ok(doc) = text.parse::<toml::Table>() else {
            continue;
        };
        for list in ["examples", "negative_examples"] {
            let Some(toml::Value::Array(examples)) = doc.get(list) else {
                continue;
            };
            for (i, ex) in examples.iter().enumerate() {
                let Some(toml::Value::Table(files)) = ex.get("files") else {
                    continue;
                };
                for (path, content) in files {
                    if let (Some(lang), Some(src)) = (language(path), content.as_str()) {
                        let name = format!("{} {list}[{i}] {path}", e.path().display());
                        out.push((name, lang, src.to_string()));
                    }
                }
            }
        }
    }
    out
}

/// `src` one level down: in a class body (Python) or a function body,
/// between members or statements, so that windows are cut from a large
/// chunk.
fn nested(lang: Language, src: &str) -> String {
    let pad = |tag: &str, indent: &str| -> String {
        (0..80)
            .map(|i| match lang {
                Language::Python => {
                    format!("{indent}def f_{tag}{i}(self):\n{indent}    return {i}\n\n")
                }
                Language::Go => format!("{indent}x{tag}{i} := {i}\n{indent}_ = x{tag}{i}\n"),
                Language::Rust => format!("{indent}let _x{tag}{i} = {i};\n"),
                _ => format!("{indent}const x{tag}{i} = {i};\n"),
            })
            .collect()
    };
    let indent = if lang == Language::Python {
        "    "
    } else {
        "  "
    };
    let body: String = src.lines().map(|l| format!("{indent}{l}\n")).collect();
    let (open, close) = match lang {
        Language::Python => ("class Holder:\n", ""),
        Language::Go => ("func holder() {\n", "}\n"),
        Language::Rust => ("fn holder() {\n", "}\n"),
        _ => ("function holder() {\n", "}\n"),
    };
    format!(
        "{open}{}{body}{}{close}",
        pad("a", indent),
        pad("b", indent)
    )
}

/// `src` in the callback of a call at the top level, as in a JavaScript
/// test file (`describe('…', () => {`): cut two bracket levels down.
fn in_callback(src: &str) -> String {
    let pad = |tag: &str| -> String {
        (0..80)
            .map(|i| format!("  test('t{tag}{i}', () => {{\n    expect({i}).toBe({i});\n  }});\n"))
            .collect()
    };
    let body: String = src.lines().map(|l| format!("  {l}\n")).collect();
    format!(
        "describe('holder', () => {{\n{}{body}{}}});\n",
        pad("a"),
        pad("b")
    )
}

#[test]
fn windows_find_what_whole_files_find() {
    let providers = Providers::builtin();
    let (mut windowed, mut total, mut nested_windowed, mut callback_windowed) = (0, 0, 0, 0);
    let samples = samples();
    let variants = samples
        .iter()
        .flat_map(|(name, lang, src)| {
            [
                (
                    name.clone(),
                    *lang,
                    format!("{}{src}\n{}", filler(*lang, "a"), filler(*lang, "b")),
                ),
                (format!("{name} (nested)"), *lang, nested(*lang, src)),
                (format!("{name} (in a callback)"), *lang, in_callback(src)),
            ]
        })
        .filter(|(name, lang, _)| {
            !name.ends_with("(in a callback)")
                || matches!(
                    lang,
                    Language::JavaScript | Language::TypeScript | Language::Tsx
                )
        });
    for (name, lang, text) in variants {
        let hits = providers.prefilter().scan(text.as_bytes());
        let at = crate::extract::code_hits(&text, hits, providers);
        let whole = extract(lang, &text, providers).unwrap_or_default();
        total += 1;
        let Some(w) = window::plan(lang, &text, &at) else {
            continue;
        };
        let Some(part) = extract_windows(lang, &text, &w, providers) else {
            continue;
        };
        windowed += 1;
        nested_windowed += usize::from(name.ends_with("(nested)"));
        callback_windowed += usize::from(name.ends_with("(in a callback)"));
        assert_eq!(
            format!("{:#?}", part.facts),
            format!("{:#?}", whole.facts),
            "{name}: windows {w:?}"
        );
    }
    // The comparison must not be vacuous: many samples are windowed (the
    // others fall back: rule examples often omit the import a constructor
    // is gated on).
    assert!(total > 80, "{total} samples");
    assert!(windowed * 10 >= total * 3, "{windowed} of {total} windowed");
    assert!(
        nested_windowed >= 15,
        "{nested_windowed} nested samples windowed"
    );
    assert!(
        callback_windowed >= 20,
        "{callback_windowed} samples in a callback windowed"
    );
}

/// A class whose `__init__` stores credentials on `self` and whose other
/// method builds the client from them, with many methods between that name
/// `self` too: the receiver does not force a whole-file parse, and the
/// windows find what the whole file does.
#[test]
fn receivers_in_other_methods_do_not_block_windows() {
    let providers = Providers::builtin();
    let pad = |lang: Language, tag: &str| -> String {
        (0..60)
            .map(|i| match lang {
                Language::Python => {
                    format!("    def m_{tag}{i}(self, x):\n        return self.n + x + {i}\n\n")
                }
                _ => format!("  m{tag}{i}(x) {{\n    return this.n + x + {i};\n  }}\n"),
            })
            .collect()
    };
    let python = format!(
        "import os\nfrom openai import OpenAI\n\nclass Service:\n    \"\"\"A service.\"\"\"\n\n\
         {}    def __init__(self):\n        self.api_key = os.environ[\"OPENAI_API_KEY\"]\n        \
         self.organization = \"org-8eKhohB0jjXufkSvsS98Ct38\"\n\n{}    def client(self):\n        \
         return OpenAI(api_key=self.api_key, organization=self.organization)\n\n{}",
        pad(Language::Python, "a"),
        pad(Language::Python, "b"),
        pad(Language::Python, "c"),
    );
    let js = format!(
        "import OpenAI from \"openai\";\n\nexport class Service {{\n{}  constructor() {{\n    \
         this.apiKey = process.env.OPENAI_API_KEY;\n    this.organization = \"org-8eKhohB0jjXufkSvsS98Ct38\";\n  }}\n\
         {}  client() {{\n    return new OpenAI({{ apiKey: this.apiKey, organization: this.organization }});\n  }}\n{}}}\n",
        pad(Language::JavaScript, "a"),
        pad(Language::JavaScript, "b"),
        pad(Language::JavaScript, "c"),
    );
    // A receiver name bound elsewhere (as a plain variable) still sends
    // the file to a whole parse.
    let rebound = python.replace(
        "    def m_a0(self, x):\n",
        "    def m_a0(self, x):\n        self = OpenAI()\n",
    );
    for (name, lang, text, windowed) in [
        ("python", Language::Python, &python, true),
        ("javascript", Language::JavaScript, &js, true),
        ("python, receiver bound", Language::Python, &rebound, false),
    ] {
        let hits = providers.prefilter().scan(text.as_bytes());
        let at = crate::extract::code_hits(text, hits, providers);
        let whole = extract(lang, text, providers).unwrap_or_default();
        let w = window::plan(lang, text, &at).unwrap_or_default();
        assert!(!w.is_empty(), "{name}: not planned");
        let covered: usize = w.iter().map(|r| r.len()).sum();
        assert!(
            covered * 2 < text.len(),
            "{name}: {covered} of {}",
            text.len()
        );
        let part = extract_windows(lang, text, &w, providers);
        assert_eq!(part.is_some(), windowed, "{name}: windows {w:?}");
        if let Some(part) = part {
            assert_eq!(
                format!("{:#?}", part.facts),
                format!("{:#?}", whole.facts),
                "{name}: windows {w:?}"
            );
        }
        assert!(!whole.facts.is_empty(), "{name}: no facts");
    }
}
