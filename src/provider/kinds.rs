//! The kinds provider data is written in: the credential slots a provider
//! has and the API shape its key is verified with. Plain data, below the
//! facts, verification and rules that use them.

use serde::Deserialize;

/// A credential slot of a provider.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    Key,
    Org,
    Project,
    BaseUrl,
}

impl Slot {
    pub fn as_str(self) -> &'static str {
        match self {
            Slot::Key => "key",
            Slot::Org => "org",
            Slot::Project => "project",
            Slot::BaseUrl => "base_url",
        }
    }
}

/// How a key is sent and the answer read (`verify.api` in a provider's
/// data file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
pub enum Api {
    /// `Authorization: Bearer`, with `OpenAI-Organization` and
    /// `OpenAI-Project` when the app sets them.
    #[serde(rename = "openai")]
    OpenAi,
    /// `x-api-key` (or `Authorization: Bearer` for an auth token) and
    /// `anthropic-version`.
    #[serde(rename = "anthropic")]
    Anthropic,
    /// `api-key`, to the resource endpoint.
    #[serde(rename = "azure")]
    AzureOpenAi,
    /// `Authorization: Bearer` alone (OpenAI-compatible providers).
    #[serde(rename = "bearer")]
    Bearer,
    /// `x-goog-api-key` (Google Gemini).
    #[serde(rename = "gemini")]
    Gemini,
}
