//! Every fix kind, read back by each format's own loader: a fixed file must
//! not only lint clean, it must give the program the value the fix meant
//! (SPEC §2 "a concrete fix"). YAML through saphyr-parser's events, TOML
//! through `toml`, JSON through `serde_json`, env files through `dotenvy`,
//! compose `environment` entries with compose's own rule (a list item
//! `NAME=value` is one string: quotes in it stay in the value), and source
//! code through the tree-sitter grammars the extractors use.
//!
//! Failure messages name variables and files, never key values.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::Value;

use super::{read, run};
use crate::common::{fixture_repo, repo_with};

/// A YAML stream's first document as plain data: every scalar a string
/// (the loaders compared here read env values as strings), a plain empty
/// or `~`/`null` scalar `Null`. Aliases are not needed by these files.
fn yaml(text: &str) -> Result<Value, String> {
    enum Open {
        Seq(Vec<Value>),
        Map(serde_json::Map<String, Value>, Option<String>),
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut done: Option<Value> = None;
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, _) = next.map_err(|e| format!("YAML error: {e}"))?;
        let value = match event {
            Event::SequenceStart(..) => {
                stack.push(Open::Seq(Vec::new()));
                continue;
            }
            Event::MappingStart(..) => {
                stack.push(Open::Map(serde_json::Map::new(), None));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Open::Seq(items)) => Value::Array(items),
                _ => return Err("unbalanced sequence".into()),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Open::Map(map, None)) => Value::Object(map),
                _ => return Err("unbalanced mapping".into()),
            },
            Event::Scalar(text, style, ..) => {
                let null = style == ScalarStyle::Plain
                    && matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL");
                if null {
                    Value::Null
                } else {
                    Value::String(text.into_owned())
                }
            }
            Event::Alias(_) => Value::Null,
            _ => continue,
        };
        match stack.last_mut() {
            Some(Open::Seq(items)) => items.push(value),
            Some(Open::Map(map, key)) => match key.take() {
                Some(k) => {
                    map.insert(k, value);
                }
                None => {
                    *key = Some(match value {
                        Value::String(s) => s,
                        other => other.to_string(),
                    })
                }
            },
            None => {
                if done.is_none() {
                    done = Some(value);
                }
            }
        }
    }
    done.ok_or_else(|| "no document".into())
}

/// A compose service's `environment`, as compose reads it: a map's values,
/// or each list item split at its first `=` (no `=`: taken from the host,
/// `None`). A list item's quotes are part of its value.
fn compose_env(doc: &Value, service: &str) -> BTreeMap<String, Option<String>> {
    let env = &doc["services"][service]["environment"];
    let mut out = BTreeMap::new();
    match env {
        Value::Object(map) => {
            for (k, v) in map {
                out.insert(k.clone(), v.as_str().map(str::to_string));
            }
        }
        Value::Array(items) => {
            for item in items {
                let item = item.as_str().unwrap_or_default();
                match item.split_once('=') {
                    Some((k, v)) => out.insert(k.to_string(), Some(v.to_string())),
                    None => out.insert(item.to_string(), None),
                };
            }
        }
        _ => {}
    }
    out
}

/// An env file as dotenvy loads it (a UTF-8 BOM is not part of the first
/// name: dotenvy would keep it, the programs that write BOMs do not).
fn dotenv(root: &Path, path: &str) -> BTreeMap<String, String> {
    let bytes = fs::read(root.join(path)).expect("read env file");
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    dotenvy::from_read_iter(bytes)
        .map(|r| r.unwrap_or_else(|e| panic!("{path}: dotenvy cannot load it: {e}")))
        .collect()
}

fn yaml_file(root: &Path, path: &str) -> Value {
    yaml(&read(root, path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `value` is exactly `key` (compared without printing either).
fn assert_key(value: Option<&str>, key: &str, what: &str) {
    assert!(
        value == Some(key),
        "{what}: not the key alone after the fix (len {:?}, want {})",
        value.map(str::len),
        key.len()
    );
}

/// The key literals of a text, in order (fixture keys are real-shaped).
fn keys_in(text: &str) -> Vec<String> {
    let re = regex::Regex::new(
        r"(?:sk-(?:proj-|ant-api03-|or-v1-)?[A-Za-z0-9_-]{20,}|gsk_[A-Za-z0-9]{52})",
    )
    .expect("regex");
    re.find_iter(text).map(|m| m.as_str().to_string()).collect()
}

const ORG: &str = concat!("org-", "RPAJtX3bhq7JdLcwUM6Jyyrj");
const PROJ: &str = concat!("proj_", "pD35IGQmbRXzy7BOBPsDs5Os");

#[test]
fn the_fixable_fixture_reads_back_as_each_fix_meant() {
    let repo = fixture_repo("fixable");
    let root = repo.path();
    let env_keys = keys_in(&read(root, ".env"));
    let prod_keys = keys_in(&read(root, "deploy/prod.env"));
    assert_eq!((env_keys.len(), prod_keys.len()), (4, 1));
    let (_, out, err) = run(root, &["check", "--fix", "--unsafe-fixes"]);
    assert!(out.contains("Fixed 14 problems."), "{out}{err}");

    // KEY004 (env file): each value is the key alone; ORG003: the empty
    // project line went, and the project ID moved here from Spring.
    let env = dotenv(root, ".env");
    for (name, key) in [
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "GROQ_API_KEY",
        "OPENROUTER_API_KEY",
    ]
    .iter()
    .zip(&env_keys)
    {
        assert_key(env.get(*name).map(String::as_str), key, name);
    }
    assert_eq!(env.get("OPENAI_ORG_ID").map(String::as_str), Some(ORG));
    assert_eq!(env.get("OPENAI_PROJECT_ID").map(String::as_str), Some(PROJ));
    // The template lists the moved names, empty (ORG001 in the template:
    // cleared).
    let template = dotenv(root, ".env.example");
    assert_eq!(template.get("OPENAI_ORG_ID").map(String::as_str), Some(""));
    assert_eq!(
        template.get("OPENAI_PROJECT_ID").map(String::as_str),
        Some("")
    );
    // ENV001 + ORG003 under a BOM and CRLF.
    let prod = dotenv(root, "deploy/prod.env");
    assert_eq!(
        prod.keys().map(String::as_str).collect::<Vec<_>>(),
        ["OPENAI_API_KEY"]
    );
    assert_key(
        prod.get("OPENAI_API_KEY").map(String::as_str),
        &prod_keys[0],
        "deploy/prod.env OPENAI_API_KEY",
    );

    // Compose (map form): the reference compose interpolates; the empty
    // entry gone, its siblings intact.
    let compose = yaml_file(root, "docker-compose.yml");
    let api = compose_env(&compose, "api");
    assert_eq!(api["OPENAI_ORG_ID"].as_deref(), Some("${OPENAI_ORG_ID}"));
    assert_eq!(api["OPENAI_API_KEY"].as_deref(), Some("${OPENAI_API_KEY}"));
    assert_eq!(api["LOG_LEVEL"].as_deref(), Some("info"));
    assert!(!api.contains_key("OPENAI_PROJECT_ID"), "{api:?}");
    // Workflow, LiteLLM and Spring read their own reference syntax.
    let ci = yaml_file(root, ".github/workflows/ci.yml");
    assert_eq!(
        ci["jobs"]["test"]["env"]["OPENAI_ORG_ID"],
        "${{ vars.OPENAI_ORG_ID }}"
    );
    let litellm = yaml_file(root, "litellm/config.yaml");
    assert_eq!(
        litellm["model_list"][0]["litellm_params"]["organization"],
        "os.environ/OPENAI_ORG_ID"
    );
    let spring = yaml_file(root, "spring/src/main/resources/application.yml");
    assert_eq!(
        spring["spring"]["ai"]["openai"]["project-id"],
        "${OPENAI_PROJECT_ID}"
    );
    // Kubernetes: not fixable in place, untouched and still valid.
    let pod = yaml_file(root, "k8s/pod.yaml");
    assert_eq!(pod["spec"]["containers"][0]["env"][0]["value"], ORG);
    // JSON: the member and the comma before it gone together.
    let settings: Value =
        serde_json::from_str(&read(root, "config/settings.json")).expect("settings.json is JSON");
    assert_eq!(
        settings,
        serde_json::json!({"openai": {"api_key": "${OPENAI_API_KEY}"}})
    );
}

/// A compose file with every way `environment` can be written.
fn compose_forms(key: &str, key2: &str) -> String {
    format!(
        r#"services:
  plain:
    image: x
    environment:
      - OPENAI_API_KEY=${{OPENAI_API_KEY}}
      - OPENAI_ORG_ID={ORG}
      - OPENAI_PROJECT_ID=
      - LOG_LEVEL=info
  double:
    image: x
    environment:
      - "OPENAI_ORG_ID={ORG}"
      - "OPENAI_PROJECT_ID="
      - A=1
  single:
    image: x
    environment:
      - 'OPENAI_ORG_ID={ORG}'
      - B=2
  flowmap:
    image: x
    environment: {{OPENAI_ORG_ID: {ORG}, C: 3}}
  flowseq:
    image: x
    environment: [OPENAI_ORG_ID={ORG}, D=4]
  quoted:
    image: x
    environment:
      OPENAI_ORG_ID: '{ORG}'
      E: 5
  keys:
    image: x
    environment:
      - OPENAI_API_KEY=" {key}"
      - F=6
  renamed:
    image: x
    environment:
      - OPENAI_APIKEY={key2}
      - G=7
"#
    )
}

#[test]
fn compose_list_entries_keep_compose_semantics() {
    let key = concat!("sk-proj-", "Vb7RkT2qLm9XcW4nZp8HjD3fGs6YtA1e");
    let key2 = concat!("sk-proj-", "Nq5WzC8rXk3JmT6vLb2HpF9dRs4GyE7u");
    let compose = compose_forms(key, key2);
    let repo = repo_with(&[
        (".gitignore", ".env\n"),
        ("requirements.txt", "openai==1.30.0\n"),
        (".env", "LOG=1\n"),
        (".env.example", "OPENAI_API_KEY=\n"),
        ("docker-compose.yml", &compose),
    ]);
    let root = repo.path();
    let (_, out, err) = run(root, &["check", "--fix", "--unsafe-fixes"]);
    assert!(out.contains("Fixed"), "{out}{err}");
    let doc = yaml_file(root, "docker-compose.yml");
    let reference = Some("${OPENAI_ORG_ID}");
    for service in ["plain", "double", "single", "flowmap", "quoted"] {
        let env = compose_env(&doc, service);
        assert_eq!(
            env["OPENAI_ORG_ID"].as_deref(),
            reference,
            "service {service}:\n{}",
            read(root, "docker-compose.yml")
        );
    }
    let plain = compose_env(&doc, "plain");
    assert!(!plain.contains_key("OPENAI_PROJECT_ID"), "{plain:?}");
    let double = compose_env(&doc, "double");
    assert!(!double.contains_key("OPENAI_PROJECT_ID"), "{double:?}");
    assert_eq!(double["A"].as_deref(), Some("1"));
    assert_eq!(plain["LOG_LEVEL"].as_deref(), Some("info"));
    // A flow sequence item would need its whole scalar rewritten: no fix,
    // the value as it was.
    assert_eq!(
        compose_env(&doc, "flowseq")["OPENAI_ORG_ID"].as_deref(),
        Some(ORG)
    );
    // KEY004 and ENV001 inside list items.
    let keys = compose_env(&doc, "keys");
    assert_key(
        keys.get("OPENAI_API_KEY").and_then(|v| v.as_deref()),
        key,
        "keys OPENAI_API_KEY",
    );
    assert_eq!(keys["F"].as_deref(), Some("6"));
    let renamed = compose_env(&doc, "renamed");
    assert_key(
        renamed.get("OPENAI_API_KEY").and_then(|v| v.as_deref()),
        key2,
        "renamed OPENAI_API_KEY",
    );
    assert!(
        !renamed.contains_key("OPENAI_APIKEY"),
        "{:?}",
        renamed.keys()
    );
    // The moved value reaches compose through the local .env it reads.
    let env = dotenv(root, ".env");
    assert_eq!(env.get("OPENAI_ORG_ID").map(String::as_str), Some(ORG));
}

#[test]
fn json_toml_properties_and_tool_configs_read_back() {
    let key = concat!("sk-proj-", "Hx4TcQ9wLz2RmB7kVn5JdP8sFg3YtE6a");
    let continue_json = format!(
        r#"{{
  "models": [
    {{
      "title": "GPT",
      "provider": "openai",
      "model": "gpt-4o",
      "apiKey": " {key}",
      "requestOptions": {{"headers": {{"OpenAI-Organization": "{ORG}"}}}}
    }}
  ]
}}
"#
    );
    let toml_cfg =
        format!("[openai]\napi_key = \"Bearer {key}\"\norganization = \"\"\nmodel = \"x\"\n");
    let properties = format!(
        "spring.ai.openai.api-key=${{OPENAI_API_KEY}}\nspring.ai.openai.organization-id={ORG}\nspring.ai.openai.project-id=\n"
    );
    let librechat = format!(
        "endpoints:\n  custom:\n    - name: openai\n      apiKey: \"${{OPENAI_API_KEY}}\"\n      baseURL: https://api.openai.com/v1\n      headers:\n        OpenAI-Organization: {ORG}\n"
    );
    let repo = repo_with(&[
        (".gitignore", ".env\n"),
        (".env.example", "OPENAI_API_KEY=\n"),
        (".continue/config.json", &continue_json),
        ("config.toml", &toml_cfg),
        ("src/main/resources/application.properties", &properties),
        ("lc/librechat.yaml", &librechat),
    ]);
    let root = repo.path();
    let (_, out, err) = run(root, &["check", "--fix", "--unsafe-fixes"]);
    assert!(out.contains("Fixed"), "{out}{err}");

    let cont: Value =
        serde_json::from_str(&read(root, ".continue/config.json")).expect("still JSON");
    let model = &cont["models"][0];
    assert_key(model["apiKey"].as_str(), key, "Continue apiKey");
    assert_eq!(
        model["requestOptions"]["headers"]["OpenAI-Organization"],
        "${{ secrets.OPENAI_ORG_ID }}"
    );
    let toml: toml::Table = read(root, "config.toml").parse().expect("still TOML");
    let openai = toml["openai"].as_table().expect("[openai]");
    assert_key(openai["api_key"].as_str(), key, "config.toml api_key");
    assert!(!openai.contains_key("organization"));
    assert_eq!(openai["model"].as_str(), Some("x"));
    // Java properties: `key=value` lines (no escapes in these).
    let props: BTreeMap<String, String> = read(root, "src/main/resources/application.properties")
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    assert_eq!(
        props
            .get("spring.ai.openai.organization-id")
            .map(String::as_str),
        Some("${OPENAI_ORG_ID}")
    );
    assert!(!props.contains_key("spring.ai.openai.project-id"));
    let lc = yaml_file(root, "lc/librechat.yaml");
    assert_eq!(
        lc["endpoints"]["custom"][0]["headers"]["OpenAI-Organization"],
        "${OPENAI_ORG_ID}"
    );
}

/// `text` parsed by `language`: no syntax error anywhere, and a node of
/// kind `kind` that is exactly `expr`.
fn assert_code(path: &str, text: &str, language: tree_sitter::Language, kind: &str, expr: &str) {
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&language).expect("grammar");
    let tree = parser.parse(text, None).expect("parse");
    assert!(
        !tree.root_node().has_error(),
        "{path} no longer parses:\n{text}"
    );
    let mut stack = vec![tree.root_node()];
    let mut found = false;
    while let Some(n) = stack.pop() {
        if n.kind() == kind && text.get(n.byte_range()) == Some(expr) {
            found = true;
            break;
        }
        let mut c = n.walk();
        stack.extend(n.children(&mut c));
    }
    assert!(found, "{path}: no {kind} `{expr}`:\n{text}");
}

#[test]
fn code_fixes_still_parse_and_read_the_variable() {
    let py = format!(
        "from openai import OpenAI\n\nclient = OpenAI(\n    organization=\"{ORG}\",\n    project=\"\",\n)\n"
    );
    let js = format!("const c = new OpenAI({{ organization: \"{ORG}\", project: \"\" }});\n");
    let go = format!(
        "package main\n\nimport (\n\t\"fmt\"\n\n\topenai \"github.com/sashabaranov/go-openai\"\n)\n\nvar c = openai.ClientConfig{{OrgID: \"{ORG}\"}}\n\nfunc main() {{ fmt.Println(c) }}\n"
    );
    let java = "class A {\n  void m() {\n    var c = OpenAIOkHttpClient.builder()\n        .apiKey(k)\n        .organization(\"\")\n        .build();\n  }\n}\n";
    let sh = format!("curl -H \"OpenAI-Organization: {ORG}\" https://api.openai.com/v1/models\n");
    let repo = repo_with(&[
        (".gitignore", ".env\n"),
        (".env.example", "OPENAI_API_KEY=\n"),
        ("app.py", &py),
        ("web.js", &js),
        ("main.go", &go),
        ("A.java", java),
        ("run.sh", &sh),
    ]);
    let root = repo.path();
    let (_, out, err) = run(root, &["check", "--fix", "--unsafe-fixes"]);
    assert!(out.contains("Fixed"), "{out}{err}");
    let py = read(root, "app.py");
    assert_code(
        "app.py",
        &py,
        tree_sitter_python::LANGUAGE.into(),
        "call",
        "os.environ.get(\"OPENAI_ORG_ID\")",
    );
    assert!(py.starts_with("import os\n"), "{py}");
    assert!(!py.contains("project"), "{py}");
    let js = read(root, "web.js");
    assert_code(
        "web.js",
        &js,
        tree_sitter_javascript::LANGUAGE.into(),
        "member_expression",
        "process.env.OPENAI_ORG_ID",
    );
    assert!(!js.contains("project"), "{js}");
    let go = read(root, "main.go");
    assert_code(
        "main.go",
        &go,
        tree_sitter_go::LANGUAGE.into(),
        "call_expression",
        "os.Getenv(\"OPENAI_ORG_ID\")",
    );
    assert!(go.contains("\t\"os\"\n"), "{go}");
    let java = read(root, "A.java");
    assert_code(
        "A.java",
        &java,
        tree_sitter_java::LANGUAGE.into(),
        "method_invocation",
        "OpenAIOkHttpClient.builder()\n        .apiKey(k)\n        .build()",
    );
    let sh = read(root, "run.sh");
    assert_code(
        "run.sh",
        &sh,
        tree_sitter_bash::LANGUAGE.into(),
        "string",
        "\"OpenAI-Organization: $OPENAI_ORG_ID\"",
    );
    let env = dotenv(root, ".env.example");
    assert_eq!(env.get("OPENAI_ORG_ID").map(String::as_str), Some(""));
}
