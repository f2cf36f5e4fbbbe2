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
