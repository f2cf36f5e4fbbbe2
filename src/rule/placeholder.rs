//! The placeholder detector: whole values that stand for "put your key
//! here". The patterns are data (`rules/common/placeholders.toml`).

use std::sync::LazyLock;

use regex::{Regex, RegexSet};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    patterns: Vec<String>,
}

/// The compiled placeholder patterns.
pub struct Placeholders {
    set: RegexSet,
}

static BUILTIN: LazyLock<Placeholders> = LazyLock::new(|| {
    // Embedded data, validated by the test suite.
    match Placeholders::load(crate::data::PLACEHOLDERS) {
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
        let patterns: Vec<String> = f.patterns.iter().map(|p| format!("(?i){p}")).collect();
        // Validate each on its own so that an error names the pattern.
        for p in &patterns {
            Regex::new(p).map_err(|e| format!("{p}: {e}"))?;
        }
        let set = RegexSet::new(&patterns).map_err(|e| e.to_string())?;
        Ok(Placeholders { set })
    }

    /// Whether a whole value is a placeholder.
    pub fn is_placeholder(&self, value: &str) -> bool {
        let v = value.trim();
        if v.is_empty() || v.len() > 200 {
            return false;
        }
        let mut chars = v.chars();
        let first = chars.next();
        let repeated = v.chars().count() >= 4 && chars.all(|c| Some(c) == first);
        repeated || self.set.is_match(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ] {
            assert!(!p.is_placeholder(v), "{v}");
        }
    }
}
