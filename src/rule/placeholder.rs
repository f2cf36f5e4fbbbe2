//! The placeholder detector: whole values that stand for "put your key
//! here", and among them the dummies that say they are fake on purpose
//! (`fake-for-tests`), which tests and CI jobs use deliberately. The
//! patterns are data (`rules/common/placeholders.toml`).

use std::sync::LazyLock;

use regex::{Regex, RegexSet};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    patterns: Vec<String>,
    #[serde(default)]
    dummies: Vec<String>,
    #[serde(default)]
    example_ids: Vec<String>,
}

/// The compiled placeholder patterns.
pub struct Placeholders {
    set: RegexSet,
    dummies: RegexSet,
    example_ids: Vec<String>,
}

static BUILTIN: LazyLock<Placeholders> = LazyLock::new(|| {
    // Embedded data, validated by the test suite.
    match Placeholders::load(crate::embedded::PLACEHOLDERS) {
        Ok(p) => p,
        Err(e) => panic!("built-in placeholder patterns are invalid: {e}"),
    }
});

impl Placeholders {
    pub fn builtin() -> &'static Placeholders {
        &BUILTIN
    }

    pub fn load(text: &str) -> Result<Placeholders, String> {
        let f: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let compile = |list: &[String]| -> Result<RegexSet, String> {
            let patterns: Vec<String> = list.iter().map(|p| format!("(?i){p}")).collect();
            // Each pattern is compiled on its own only to name the one in
            // error: compiling them one by one costs more than the set
            // (a startup cost of every run).
            RegexSet::new(&patterns).map_err(|set_error| {
                patterns
                    .iter()
                    .find_map(|p| Regex::new(p).err().map(|e| format!("{p}: {e}")))
                    .unwrap_or_else(|| set_error.to_string())
            })
        };
        Ok(Placeholders {
            set: compile(&f.patterns)?,
            dummies: compile(&f.dummies)?,
            example_ids: f.example_ids,
        })
    }

    /// Whether a whole value is a placeholder (a dummy included).
    pub fn is_placeholder(&self, value: &str) -> bool {
        let Some(v) = candidate(value) else {
            return false;
        };
        let mut chars = v.chars();
        let first = chars.next();
        let repeated = v.chars().count() >= 4 && chars.all(|c| Some(c) == first);
        repeated
            || self.set.is_match(v)
            || self.dummies.is_match(v)
            || squeezed(v).is_some_and(|s| self.set.is_match(&s) || self.dummies.is_match(&s))
    }

    /// Whether a whole value says it is fake on purpose (`fake-for-tests`,
    /// `test-token`, `sk-test-abc`, `not-a-real-key`): a stand-in that tests,
    /// CI jobs and code satisfying a library's presence check use
    /// deliberately. Every dummy is also a placeholder.
    pub fn is_dummy(&self, value: &str) -> bool {
        let Some(v) = candidate(value) else {
            return false;
        };
        self.dummies.is_match(v) || squeezed(v).is_some_and(|s| self.dummies.is_match(&s))
    }

    /// Whether an org or project ID is one that a provider publishes as an
    /// example in its documentation (`org-GVHQ2HIxb4ZqSNLpMcSCPT1U`).
    pub fn is_example_id(&self, id: &str) -> bool {
        self.example_ids.iter().any(|e| e == id)
    }

    /// Whether the value of setting `name` is a placeholder, or the name
    /// itself written as the value (`ENV OPENAI_API_KEY "OPENAI_API_KEY"`,
    /// `openai.api_key = "openai_api_key"`): what the code meant to read,
    /// not a key.
    pub fn is_placeholder_for(&self, name: &str, value: &str) -> bool {
        if self.is_placeholder(value) {
            return true;
        }
        // Only a value made of name characters can be a name: a key is never
        // compared through its letters alone.
        let name_like = value
            .trim()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        let v = crate::provider::normalize_key(value);
        name_like && !v.is_empty() && v == crate::provider::normalize_key(name)
    }
}

/// The trimmed value, if it is short enough to be a placeholder.
fn candidate(value: &str) -> Option<&str> {
    let v = value.trim();
    (!v.is_empty() && v.len() <= 200).then_some(v)
}

/// The value with its outer `_`/`-` trimmed and runs of them made one
/// (`__your__api_key` → `your_api_key`), when that changes it.
fn squeezed(v: &str) -> Option<String> {
    let inner = v.trim_matches(['_', '-']);
    let mut out = String::with_capacity(inner.len());
    let mut last_sep = false;
    for c in inner.chars() {
        let sep = matches!(c, '_' | '-');
        if !(sep && last_sep) {
            out.push(c);
        }
        last_sep = sep;
    }
    (!out.is_empty() && out != v).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invalid_pattern_is_named_in_the_error() {
        let err = |text: &str| Placeholders::load(text).err().unwrap_or_default();
        let e = err("patterns = [\"^x+$\", \"^(unclosed$\"]");
        assert!(e.starts_with("(?i)^(unclosed$: "), "{e}");
        let e = err("patterns = [\"^x+$\"]\ndummies = [\"a{2,1}\"]");
        assert!(e.starts_with("(?i)a{2,1}: "), "{e}");
        assert!(Placeholders::load("patterns = [\"^x+$\"]").is_ok());
    }

    #[test]
    fn placeholders_from_the_spec() {
        let p = Placeholders::builtin();
        for v in [
            "your-api-key",
            "sk-xxxx",
            "sk-xxxxxxxxxxxxxxxxxxxxxxxx",
            "sk-...",
            "sk-proj-...",
            "<OPENAI_API_KEY>",
            "<< YOUR API KEY >>",
            "changeme",
            "replace_me",
            "TODO",
            "dummy",
            "insert_key_here",
            "your_openai_api_key_here",
            "sk-your-openai-api-key-here",
            "YOUR_ORG_ID",
            "org-your-organization-id",
            "wrong-org-id",
            "optional-org-id",
            "xxxxxxxx",
        ] {
            assert!(p.is_placeholder(v), "{v}");
        }
    }

    #[test]
    fn real_values_are_not_placeholders() {
        let p = Placeholders::builtin();
        for v in [
            "user_provided",
            "ollama",
            "lm-studio",
            "Personal",
            concat!("org-", "AbCdEfGhIjKlMnOpQrStUvWx"),
            concat!("proj_", "AbCdEfGhIjKlMnOpQrStUvWx"),
            "sk-abc123def456",
            concat!(
                "gsk_",
                "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hI6kL9nO2qR5tU8wX1z"
            ),
            "https://api.openai.com/v1",
            "my-company",
            "testbed-7",
            "latest",
            "monkey",
        ] {
            assert!(!p.is_placeholder(v), "{v}");
        }
    }

    #[test]
    fn placeholders_met_in_real_repositories() {
        let p = Placeholders::builtin();
        for v in [
            "__your__api_key",
            "--your-api-key--",
            "OPENAI_API_KEY",
            "openai_key",
            "open-ai-api-key",
            "api_token",
        ] {
            assert!(p.is_placeholder(v), "{v}");
        }
    }

    #[test]
    fn dummies_are_placeholders_that_say_they_are_fake() {
        let p = Placeholders::builtin();
        for v in [
            "fake-for-tests",
            "fake-api-key",
            "test-token",
            "sk-test-abc123",
            "sk-proj-fake",
            "mock_api_key",
            "dummy",
            "not-a-real-key",
            "key-for-testing",
            "openai-test",
        ] {
            assert!(p.is_dummy(v), "{v}");
            assert!(p.is_placeholder(v), "{v}");
        }
        for v in [
            "your-api-key",
            "changeme",
            "<OPENAI_API_KEY>",
            "sk-xxxx",
            "testbed-7",
            "latest",
            concat!(
                "sk-",
                "u8jzPde0IgxLd6GncfBA",
                "T3BlbkFJ",
                "epfJBd0Kh8oOOL8dKLzd"
            ),
        ] {
            assert!(!p.is_dummy(v), "{v}");
        }
    }

    #[test]
    fn a_name_written_as_its_own_value() {
        let p = Placeholders::builtin();
        assert!(!p.is_placeholder("spring.ai.openai.api-key"));
        assert!(p.is_placeholder_for("spring.ai.openai.api-key", "spring.ai.openai.api-key"));
        assert!(p.is_placeholder_for("openai.api_key", "openai_api_key"));
        assert!(!p.is_placeholder_for("OPENAI_API_KEY", "sk-abc123def456"));
        assert!(!p.is_placeholder_for("GEMINI_KEY", "GEMINI-KEY!"));
    }
}
