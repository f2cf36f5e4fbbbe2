//! Recorded HTTP traffic (VCR, pytest-recording, Polly, nock cassettes) is
//! test data read as text: a key recorded in it is still KEY001, and
//! nothing else is reported there (no PARSE001, no config rule).

mod common;

use common::{check_json, found, repo_with};

const OPENAI_KEY: &str = "sk-proj-kLEXxXLqQHcTsMg0ZIwwBhwvIM501oHginjgsjgUT3BlbkFJ5ojAedNLNzHU1nX5oVSzY1fxGDVIRFy4TxBJUeXc";
const ORG: &str = "org-8eKhohB0jjXufkSvsS98Ct38";

fn cassette(auth: &str, org: &str) -> String {
    format!(
        "interactions:\n\
         - request:\n    \
             body: '{{\"model\":\"gpt-4o\",\"messages\":[]}}'\n    \
             headers:\n      \
               authorization:\n      \
               - Bearer {auth}\n      \
               openai-organization:\n      \
               - {org}\n    \
             method: POST\n    \
             uri: https://api.openai.com/v1/chat/completions\n  \
           response:\n    \
             body:\n      \
               string: '{{\"id\":\"chatcmpl-1\"}}'\n    \
             status:\n      \
               code: 200\n\
         version: 1\n"
    )
}

#[test]
fn a_key_recorded_in_a_cassette_is_key001() {
    let text = cassette(OPENAI_KEY, ORG);
    let repo = repo_with(&[("tests/cassettes/test_chat/test_basic.yaml", text.as_str())]);
    let (code, doc, _) = check_json(repo.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        found(&doc),
        ["KEY001 tests/cassettes/test_chat/test_basic.yaml:6"]
    );
}

#[test]
fn placeholders_and_broken_syntax_in_recordings_report_nothing() {
    let placeholders = cassette("sk-xxxxxxxx", "user-redacted");
    // Cut mid-document: no YAML parser would take it, and none is asked to.
    let broken = format!("{}  - '\n\t{{", cassette("REDACTED", ORG));
    let polly = "{\n  \"log\": {\n    \"_recordingName\": \"openai\",\n    \"entries\": [\n      \
                 {\"request\": {\"headers\": [{\"name\": \"api-key\", \"value\": \"<api_key>\"}], \
                 \"url\": \"https://api.openai.com/v1/models\"}, \
                 \"response\": {\"content\": {\"text\": \"{\\\"organization\\\": \\\"org-8eKhohB0jjXufkSvsS98Ct38\\\"}\"}}},\n";
    let repo = repo_with(&[
        (
            "tests/cassettes/test_chat/test_basic.yaml",
            placeholders.as_str(),
        ),
        ("tests/cassettes/test_chat/test_cut.yaml", broken.as_str()),
        // VCR-shaped outside a cassette folder: decided by its text.
        ("tests/fixtures/vcr/openai.yaml", broken.as_str()),
        ("web/__recordings__/openai_1/recording.json", polly),
    ]);
    let (code, doc, stderr) = check_json(repo.path(), &[]);
    assert_eq!(found(&doc), Vec::<String>::new(), "{stderr}");
    assert_eq!(code, 0);
}

#[test]
fn a_config_in_a_recordings_folder_is_config() {
    // A `recordings/` folder holds audio or screen recordings as often as
    // HTTP ones: a YAML file there that is not shaped as recorded traffic
    // is read as the config it is.
    let config = format!("openai:\n  api_key: {OPENAI_KEY}\n  organization: \"{ORG}\n");
    let repo = repo_with(&[("recordings/settings.yaml", config.as_str())]);
    let (_, doc, _) = check_json(repo.path(), &[]);
    let rules: Vec<String> = found(&doc);
    assert!(
        rules
            .iter()
            .any(|f| f.starts_with("PARSE001 recordings/settings.yaml")),
        "{rules:?}"
    );
    assert!(
        rules
            .iter()
            .any(|f| f.starts_with("KEY001 recordings/settings.yaml:2")),
        "{rules:?}"
    );
}
