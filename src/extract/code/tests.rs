//! Unit tests of the engine's helpers; the per-language behaviour is tested
//! end to end by the rule examples and the `tests/code_facts.rs` snapshots.

use super::*;

#[test]
fn decodes_c_style_escapes() {
    assert_eq!(
        decode_escapes(r#"a\"b\n\x41\u0042\u{43}\q"#),
        "a\"b\nABC\\q"
    );
    assert_eq!(decode_escapes(r"trailing\"), "trailing\\");
    assert_eq!(decode_escapes(r"\uZZZZ"), "\\uZZZZ");
}

#[test]
fn paths_and_spans() {
    assert!(is_path("openai.OpenAI"));
    assert!(is_path("OpenAI::Client"));
    assert!(is_path("$factory->make"));
    assert!(!is_path("foo().bar"));
    assert_eq!(
        normalize(vec![Span::new(5, 9), Span::new(0, 3), Span::new(2, 4)]),
        [Span::new(0, 4), Span::new(5, 9)]
    );
    assert_eq!(short("a\n   b"), "a b");
}

#[test]
fn env_variable_follows_the_readers_of_the_sdk() {
    let p = Providers::builtin();
    let openai = p.by_name("openai").expect("openai");
    assert_eq!(
        env_variable(p, openai, "codex", Slot::Org),
        Some("OPENAI_ORGANIZATION")
    );
    assert_eq!(
        env_variable(p, openai, "openai-python", Slot::Org),
        Some("OPENAI_ORG_ID")
    );
    assert_eq!(
        env_variable(p, openai, "openai-python<1", Slot::Org),
        Some("OPENAI_ORGANIZATION")
    );
    assert_eq!(
        env_variable(p, openai, "go-openai", Slot::Key),
        Some("OPENAI_API_KEY")
    );
}

#[test]
fn bad_input_never_panics() {
    let p = Providers::builtin();
    for lang in [
        Language::Python,
        Language::JavaScript,
        Language::TypeScript,
        Language::Tsx,
        Language::Go,
        Language::Java,
        Language::CSharp,
        Language::Ruby,
        Language::Rust,
        Language::Php,
        Language::Shell,
    ] {
        for text in [
            "",
            "OpenAI(",
            "OpenAI(api_key=\"",
            "new OpenAI({ apiKey: '",
            "\u{feff}\0\u{fffd}((((((((((",
            "os.environ[\"\"] = ",
            &"(".repeat(5000),
            &format!("OpenAI(api_key={})", vec!["\"a\""; 2000].join(" + ")),
            &format!(
                "new OpenAI({{ apiKey: {} }})",
                vec!["'a'"; 2000].join(" + ")
            ),
        ] {
            let _ = extract(lang, text, p);
        }
    }
}

#[test]
fn the_code_prefilter_wants_calls_not_mentions() {
    let p = Providers::builtin();
    let code = |s: &str| p.prefilter().scan(s.as_bytes()).code();
    for yes in [
        "client = OpenAI()",
        "const c = new OpenAI ({})",
        "x = os.environ['OPENAI_API_KEY']",
        "OpenAI::Client.new(access_token: t)",
        "OpenAI.configure do |config|",
        "OpenAIOkHttpClient.builder().build()",
        "openai.api_key = k",
        "using OpenAI;\nvar o = new OpenAIClientOptions { ProjectId = p };",
        "import \"github.com/openai/openai-go/v3/option\"\nx := option.WithAPIKey(k)",
        "import litellm\nlitellm.completion(model=m)",
        "curl https://api.openai.com/v1/models",
        "key = os.getenv('OPENAI_KEY')",
    ] {
        assert!(code(yes), "{yes}");
    }
    for no in [
        "from openai import OpenAI\n\ndef f(client: OpenAI) -> None: ...",
        "import OpenAI from 'openai';\ntype T = OpenAI.Chat.ChatCompletion;",
        "class MyOpenAIError(Exception): pass",
        "from openai.types import Model",
        "raise OpenAIError",
        "x := option.WithAPIKey(k)",
        "let config = rustls::ClientConfig { x };\nfn completion(a: u8) {}",
        "const c = new Configuration({ basePath });",
    ] {
        assert!(!code(no), "{no}");
    }
}

/// An API host makes a shell script worth parsing (its `curl` lines are
/// read by the host they call), not a source file of another language:
/// there it is an assertion of a test or a docstring's prose, and the
/// engine finds nothing by a host alone.
#[test]
fn an_api_host_is_a_code_word_of_shell_scripts_only() {
    use crate::walk::FileKind;
    let p = Providers::builtin();
    let code = |s: &str, kind| p.prefilter().scan_file(s.as_bytes(), kind).code();
    let host_only = [
        "assert m.base_url == 'https://api.anthropic.com'",
        "\"\"\"A model that uses Gemini via `generativelanguage.googleapis.com`.\"\"\"",
        "client.base_url = httpx.URL(\"https://api.openai.com/v1/\")",
    ];
    for text in host_only {
        assert!(!code(text, FileKind::Code(Language::Python)), "{text}");
        assert!(!code(text, FileKind::Code(Language::TypeScript)), "{text}");
        assert!(code(text, FileKind::Code(Language::Shell)), "{text}");
        assert!(code(text, FileKind::Notebook), "{text}");
    }
    // With a constructor the file is parsed as before.
    let call = "c = OpenAI(base_url='https://api.openai.com/v1')";
    assert!(code(call, FileKind::Code(Language::Python)));
}

/// Every node of a parse of each language: the kind and every field
/// read by number are what tree-sitter gives by name.
#[test]
fn kinds_and_fields_match_tree_sitter() {
    let samples: &[(Language, &str)] = &[
        (
            Language::Python,
            "import os\nfrom openai import OpenAI\nKEY = os.environ.get('OPENAI_API_KEY', 'x')\n\
             class A:\n    '''doc'''\n    x: int = 1\n    def f(self, a=1, *b, **c):\n        \
             return OpenAI(api_key=KEY, organization=f'org-{a}') if a else lambda: [i for i in b]\n\
             os.environ['X'] = 'y'\nopenai.api_key = 'sk'\nasync def g():\n    await g()\n\
             with open('f') as h:\n    pass\ntry:\n    x = {1: 2, **c}\nexcept E as e:\n    raise\n\
             def broken(:\n",
        ),
        (
            Language::JavaScript,
            "import OpenAI from 'openai';\nconst { OPENAI_API_KEY: k = 'd' } = process.env;\n\
             const c = new OpenAI({ apiKey: process.env.OPENAI_API_KEY ?? 'x', organization: `org-${k}` });\n\
             class A extends B { #p = 1; static m(a, ...r) { return a?.b?.[c] || r; } }\n\
             export default function f() { for (const x of y) { if (x) break; } }\n\
             const j = <div a=\"b\">{x}</div>;\nlet = ;\n",
        ),
        (
            Language::TypeScript,
            "import { OpenAI } from 'openai';\ninterface I { a: string; b?: number }\n\
             type T<U> = U extends string ? 'a' : never;\nenum E { A = 1 }\n\
             const c = new OpenAI({ apiKey: process.env['OPENAI_API_KEY']! as string });\n\
             abstract class A<T> implements I { constructor(private readonly a: string) { super(); } }\n\
             function f(this: A, x?: number): void {}\nlet x: = 1;\n",
        ),
        (
            Language::Tsx,
            "import OpenAI from 'openai';\nconst App = (p: P) => <OpenAIProvider apiKey={process.env.KEY!}>\
             <a href=\"x\">{p.children}</a></OpenAIProvider>;\nconst c = new OpenAI({ apiKey: 'sk' });\n<\n",
        ),
        (
            Language::Go,
            "package main\nimport (\n\t\"os\"\n\topenai \"github.com/sashabaranov/go-openai\"\n)\n\
             const key = \"sk\"\nvar c = openai.NewClient(os.Getenv(\"OPENAI_API_KEY\"))\n\
             type S struct { A string `json:\"a\"` }\nfunc (s *S) F(a ...int) (int, error) {\n\
             \tcfg := openai.DefaultConfig(key)\n\tcfg.OrgID = \"org\"\n\tfor i := range a { _ = i }\n\
             \tswitch x := a[0].(type) { case int: }\n\treturn 0, nil\n}\nfunc broken( {\n",
        ),
        (
            Language::Java,
            "import com.openai.client.OpenAIClient;\npublic class A<T> extends B implements C {\n\
             @Override public void f(String... a) throws E {\n\
             var c = OpenAIOkHttpClient.builder().apiKey(System.getenv(\"OPENAI_API_KEY\")).build();\n\
             for (int i = 0; i < a.length; i++) { x = a[i] == null ? \"d\" : a[i]; }\n\
             try (var r = open()) {} catch (E | F e) {} }\n record R(int a) {}\n void g( {\n}\n",
        ),
        (
            Language::CSharp,
            "using OpenAI;\nnamespace N { public class A : B {\n\
             public string K { get; set; } = Environment.GetEnvironmentVariable(\"OPENAI_API_KEY\") ?? \"d\";\n\
             void F(params int[] a) { var c = new OpenAIClient(apiKey: K, options: new() { Endpoint = u });\n\
             foreach (var x in a) { if (x is int y) {} } var s = $\"org-{K}\"; }\n\
             async Task G() => await H(); void Broken( { } } }\n",
        ),
        (
            Language::Ruby,
            "require 'openai'\nKEY = ENV.fetch('OPENAI_API_KEY', 'd')\n\
             client = OpenAI::Client.new(access_token: ENV['OPENAI_API_KEY'], organization_id: \"org-#{x}\")\n\
             OpenAI.configure do |config|\n  config.access_token = KEY\nend\n\
             class A < B\n  def f(a, *b, c: 1, **d, &e)\n    b.each { |x| puts x } unless a\n  end\nend\n\
             ENV['X'] = 'y'\ndef broken(\n",
        ),
        (
            Language::Rust,
            "use async_openai::{Client, config::OpenAIConfig};\nconst KEY: &str = \"sk\";\n\
             fn main() -> Result<(), E> {\n    let cfg = OpenAIConfig::new().with_api_key(std::env::var(\"OPENAI_API_KEY\")?);\n\
             let c = Client::with_config(cfg);\n    let s = S { a: 1, ..Default::default() };\n\
             match x { Some(y) if y > 1 => {}, _ => {} }\n    let f = |a: i32| a + 1;\n    Ok(())\n}\n\
             struct S<'a> { a: &'a str }\nimpl<T: Tr> Tr for S<T> where T: Copy { fn f(&self) {} }\n\
             macro_rules! m { ($x:expr) => { $x }; }\nfn broken( {\n",
        ),
        (
            Language::Php,
            "<?php\nuse OpenAI\\Client;\n$key = getenv('OPENAI_API_KEY') ?: 'd';\n\
             $client = OpenAI::client($_ENV['OPENAI_API_KEY'], organization: \"org-{$x}\");\n\
             $f = OpenAI::factory()->withApiKey($key)->make();\nclass A extends B { public function f(int ...$a): void {\
             foreach ($a as $k => $v) { echo \"$k\"; } } }\n$x = fn($a) => $a;\nfunction broken( {\n?>\n<p>html</p>\n",
        ),
        (
            Language::Shell,
            "#!/bin/bash\nexport OPENAI_API_KEY=\"${KEY:-sk}\"\ncurl -H \"Authorization: Bearer $OPENAI_API_KEY\" \\\n\
             https://api.openai.com/v1/models | jq '.data'\nif [ -n \"$X\" ]; then echo $(cat f) > out; fi\n\
             f() { local a=$1; for i in \"$@\"; do case $i in a) ;; esac; done; }\n\
             cat <<EOF\nbody $X\nEOF\narr=(1 2); echo ${arr[@]}\nif then fi (\n",
        ),
    ];
    let mut checked = 0;
    for &(lang, text) in samples {
        let tree = parse(lang, text).expect("parse");
        assert!(
            tree.root_node().has_error(),
            "{lang:?}: the sample holds an error"
        );
        checked += same_as_tree_sitter(lang, text);
    }
    assert!(checked > 1500, "{checked} nodes");
}

/// The same over the repository's fixtures and sources, real files of
/// every language.
#[test]
fn kinds_and_fields_match_tree_sitter_on_files() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("fixtures"), root.join("src/extract/code")];
    let mut seen = Vec::new();
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let lang = path
                .extension()
                .and_then(|x| x.to_str())
                .and_then(Language::from_extension);
            let (Some(lang), Ok(text)) = (lang, std::fs::read_to_string(&path)) else {
                continue;
            };
            if grammar(lang).is_some() {
                same_as_tree_sitter(lang, &text);
                seen.push(lang);
            }
        }
    }
    for lang in [
        Language::Python,
        Language::JavaScript,
        Language::Go,
        Language::Rust,
    ] {
        assert!(seen.contains(&lang), "no {lang:?} file");
    }
}

/// Checks every node of a parse of `text`; the number of nodes.
fn same_as_tree_sitter(lang: Language, text: &str) -> usize {
    let language = grammar(lang).expect("grammar");
    let fields: Vec<&str> = (1..=language.field_count())
        .filter_map(|id| language.field_name_for_id(u16::try_from(id).ok()?))
        .chain(["no_such_field", ""])
        .collect();
    let tree = parse(lang, text).expect("parse");
    let mut checked = 0;
    let mut cursor = tree.walk();
    'walk: loop {
        let n = cursor.node();
        assert_eq!(n.kind_name(), n.kind(), "{lang:?} {n:?}");
        for f in &fields {
            assert_eq!(n.field(f), n.child_by_field_name(f), "{lang:?} {n:?} {f}");
        }
        checked += 1;
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    checked
}
