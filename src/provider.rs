//! Providers as data. Each `rules/providers/<name>.toml` describes one LLM
//! provider: its credential variables (canonical names and aliases, with who
//! reads each), its key regexes, and its org/project ID regexes. The files
//! are embedded in the binary, deserialized with unknown fields rejected,
//! validated and compiled once, at start.
//!
//! The keyword [`Prefilter`] is derived from the key and ID patterns: one
//! multi-pattern pass over a file's bytes decides whether it can hold any
//! literal at all.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;
use serde::Deserialize;

use crate::walk::{FileKind, Language};

mod clients;
mod kinds;
mod prefilter;
pub use clients::{ClientSpec, Header, segments};
pub use kinds::{Api, Slot};
pub use prefilter::{DIRECTIVE_KEYWORD, Hits, Prefilter};
use prefilter::{Target, build_prefilter};

impl Prefilter {
    /// The prefilter for one file: the code words are looked for only in
    /// files credlint parses.
    pub fn scan_file(&self, bytes: &[u8], kind: FileKind) -> Hits {
        match kind {
            FileKind::Code(Language::Shell) | FileKind::Notebook => self.scan(bytes),
            FileKind::Code(l) if l != Language::Other => self.scan_without_hosts(bytes),
            _ => self.keywords(bytes),
        }
    }
}

/// Whether an org/project ID body is a placeholder: one repeated character,
/// or only `x`/`X` (SPEC §1).
pub fn is_placeholder_id(id: &str) -> bool {
    let body = id.split_once(['-', '_']).map(|(_, b)| b).unwrap_or(id);
    let mut chars = body.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    body.chars().all(|c| c == first) || body.chars().all(|c| c == 'x' || c == 'X')
}

/// Index of a provider in [`Providers`].
pub type ProviderId = usize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderFile {
    name: String,
    display: String,
    #[serde(default)]
    variables: Vec<VariableFile>,
    #[serde(default)]
    keys: Vec<KeyFile>,
    #[serde(default)]
    ids: Vec<IdFile>,
    /// Prefixes every key of this provider starts with (for KEY004: a value
    /// with the prefix but not the shape of any key pattern is malformed).
    #[serde(default)]
    key_prefixes: Vec<String>,
    /// Hosts of the provider's own API: a base URL elsewhere is a proxy or a
    /// local server, where keys may be free-form.
    #[serde(default)]
    hosts: Vec<String>,
    /// Packages that read this provider's credentials, for consumer
    /// detection from dependency manifests.
    #[serde(default)]
    packages: Vec<Package>,
    /// Names people write for the key variable that no SDK reads (ENV001);
    /// near misses within edit distance 2 are found without listing them.
    #[serde(default)]
    misspellings: Vec<String>,
    /// Names near the key variable that are not mistakes (read by some tool).
    #[serde(default)]
    not_misspellings: Vec<String>,
    /// How config files name this provider's settings.
    #[serde(default)]
    config_keys: ConfigKeysFile,
    /// How clients are configured in code, per SDK and language.
    #[serde(default)]
    clients: Vec<clients::ClientFile>,
    /// HTTP headers that carry a slot (for `curl -H` in shell scripts).
    #[serde(default)]
    headers: Vec<clients::HeaderFile>,
    /// Extra words whose presence makes a source file worth parsing (the
    /// prefix of the provider's variable names, to catch misspellings).
    #[serde(default)]
    code_keywords: Vec<String>,
    /// How `--verify` asks the provider about a key (none: not verified).
    #[serde(default)]
    verify: Option<VerifySpec>,
    /// Readers (tokens of the `readers` lists, version bounds allowed) that
    /// leave the org and project headers out when the value is empty; the
    /// others send an empty header (ORG003's severity).
    #[serde(default)]
    omit_empty_headers: Vec<String>,
}

/// The cheap authenticated request that verifies a key (`--verify`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifySpec {
    /// How the key is sent and the answer read: `openai` (Bearer, org and
    /// project headers), `anthropic`, `azure` (`api-key`), `bearer`.
    pub api: Api,
    /// The SDK's default base URL (none: the scope must set one, as Azure's
    /// resource endpoint).
    #[serde(default)]
    pub base_url: Option<String>,
    /// Appended to the base URL: a read-only listing.
    pub path: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigKeysFile {
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    tools: Vec<String>,
    #[serde(default)]
    models: Vec<String>,
    #[serde(default)]
    paths: Vec<ConfigPathFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigPathFile {
    path: String,
    slot: Slot,
}

/// A package in a dependency manifest and the SDK name it stands for in the
/// variables' `readers` lists.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// `pypi`, `npm`, `go`, `maven`, `rubygems`, `crates` or `nuget`.
    pub ecosystem: String,
    pub name: String,
    pub sdk: String,
}

const ECOSYSTEMS: &[&str] = &["pypi", "npm", "go", "maven", "rubygems", "crates", "nuget"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VariableFile {
    name: String,
    slot: Slot,
    #[serde(default)]
    canonical: bool,
    #[serde(default)]
    readers: Vec<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    shared: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    id: String,
    description: String,
    regex: String,
    /// The exact shape of a whole key, when stricter than `regex` (KEY004
    /// flags a value with the prefix but not this shape). Defaults to `regex`.
    #[serde(default)]
    shape: Option<String>,
    /// The prefix shown when the key is redacted (`sk-proj-`).
    prefix: String,
    /// Literal substrings that every match contains (the prefilter). Not
    /// needed for a `needs_context` pattern, which is never searched for.
    #[serde(default)]
    keywords: Vec<String>,
    /// A key that carries its own organization and project (PAIR003).
    #[serde(default)]
    scoped: bool,
    /// The pattern is too generic to be matched in raw text (a 32-hex Azure
    /// key): it is only checked against values of this provider's key slot.
    #[serde(default)]
    needs_context: bool,
    /// Although it needs context to be found, a whole value of this shape in
    /// another provider's key slot is recognised as this provider's key
    /// (PAIR004: a 32-hex Azure key in OPENAI_API_KEY).
    #[serde(default)]
    cross_check: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IdFile {
    slot: Slot,
    regex: String,
    keyword: String,
}

/// One credential variable of a provider.
#[derive(Debug)]
pub struct Variable {
    pub name: String,
    pub slot: Slot,
    pub canonical: bool,
    pub readers: Vec<String>,
    pub note: Option<String>,
    /// The name is also other services' variable (`GOOGLE_API_KEY` serves
    /// Maps, Custom Search, YouTube): a setting of it is this provider's
    /// only where one of its `readers` is detected in the repository.
    pub shared: bool,
}

/// One compiled key pattern.
#[derive(Debug)]
pub struct KeyPattern {
    pub id: String,
    pub description: String,
    /// Unanchored, for finding keys in text.
    pub regex: Regex,
    /// Anchored at both ends, for checking that a whole value is a key.
    pub whole: Regex,
    pub prefix: String,
    pub keywords: Vec<String>,
    pub scoped: bool,
    pub needs_context: bool,
    pub cross_check: bool,
}

/// One compiled org or project ID pattern.
#[derive(Debug)]
pub struct IdPattern {
    pub slot: Slot,
    pub regex: Regex,
    pub whole: Regex,
    pub keyword: String,
}

/// How config files name a provider's settings (`config_keys` in the
/// provider file). Names and tool ids are stored normalized (see
/// [`normalize_key`]); model prefixes lowercased.
#[derive(Debug, Default)]
pub struct ConfigKeys {
    /// Words that name the provider in a config key or a parent section:
    /// `openai` in `openai_api_key`, `openai: {api_key: …}`, `OpenAI:ApiKey`.
    pub names: Vec<String>,
    /// The provider's id in tool configs: a LiteLLM model prefix
    /// (`openai/gpt-4o`), a Continue `provider:`, a LibreChat endpoint.
    pub tools: Vec<String>,
    /// Model name prefixes that mean this provider when no tool id is given
    /// (LiteLLM `model: gpt-4o`).
    pub models: Vec<String>,
    /// Key paths of SDK config bindings, as normalized segments (`*` stands
    /// for any one segment), with the slot they set.
    pub paths: Vec<(Vec<String>, Slot)>,
    /// The names, tool ids and first path segments as written, for the
    /// config prefilter (which sees raw bytes: `open_ai`, not `openai`).
    words: Vec<String>,
}

/// A config key as compared with provider names and slot words: ASCII
/// letters and digits only, lowercased (`api-key`, `apiKey`, `API_KEY` are
/// all `apikey`).
pub fn normalize_key(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Config key words that name an org or project setting without naming a
/// provider; with the provider names and variables they make the config
/// prefilter.
const CONFIG_WORDS: &[&str] = &[
    "organization",
    "organisation",
    "org_id",
    "org-id",
    "orgid",
    "project_id",
    "project-id",
    "projectid",
];

/// One provider, compiled.
#[derive(Debug)]
pub struct Provider {
    pub name: String,
    pub display: String,
    pub variables: Vec<Variable>,
    pub keys: Vec<KeyPattern>,
    pub ids: Vec<IdPattern>,
    pub key_prefixes: Vec<String>,
    pub hosts: Vec<String>,
    pub packages: Vec<Package>,
    pub misspellings: Vec<String>,
    pub not_misspellings: Vec<String>,
    pub config_keys: ConfigKeys,
    pub clients: Vec<ClientSpec>,
    pub headers: Vec<Header>,
    pub code_keywords: Vec<String>,
    pub verify: Option<VerifySpec>,
    /// See `omit_empty_headers` in the provider file.
    pub omit_empty_headers: Vec<String>,
}

impl Provider {
    /// The canonical variable of a slot, if the provider has one.
    pub fn canonical(&self, slot: Slot) -> Option<&Variable> {
        self.variables
            .iter()
            .find(|v| v.slot == slot && v.canonical)
    }

    /// The key pattern that matches the whole value, if any.
    pub fn key_matching(&self, value: &str) -> Option<(usize, &KeyPattern)> {
        self.keys
            .iter()
            .enumerate()
            .find(|(_, k)| k.whole.is_match(value))
    }
}

/// All providers, compiled, with lookup tables.
#[derive(Debug)]
pub struct Providers {
    list: Vec<Provider>,
    by_variable: HashMap<String, (ProviderId, usize)>,
    prefilter: Prefilter,
    key_prefixes: Vec<String>,
    /// Case-insensitive words whose presence means a config file may hold
    /// a credential setting, definition or read.
    config_words: AhoCorasick,
}

/// An error in a provider data file.
#[derive(Debug)]
pub struct ProviderError {
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for ProviderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for ProviderError {}

static BUILTIN: LazyLock<Providers> = LazyLock::new(|| {
    // The provider files are part of the binary and are validated by the
    // test suite; a failure here is a build defect, not bad user input.
    match Providers::load(crate::embedded::PROVIDER_FILES) {
        Ok(p) => p,
        Err(e) => panic!("built-in provider data is invalid: {e}"),
    }
});

impl Providers {
    /// The providers embedded in the binary.
    pub fn builtin() -> &'static Providers {
        &BUILTIN
    }

    /// Load, validate and compile provider files given as `(file name, text)`.
    pub fn load(files: &[(&str, &str)]) -> Result<Providers, ProviderError> {
        let mut list = Vec::new();
        for (file, text) in files {
            let err = |message: String| ProviderError {
                file: file.to_string(),
                message,
            };
            let parsed: ProviderFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
            let stem = file
                .rsplit('/')
                .next()
                .unwrap_or(file)
                .trim_end_matches(".toml");
            if parsed.name != stem {
                return Err(err(format!(
                    "name {:?} differs from the file name",
                    parsed.name
                )));
            }
            list.push(compile(parsed).map_err(err)?);
        }
        list.sort_by(|a, b| a.name.cmp(&b.name));

        let mut by_variable = HashMap::new();
        for (pid, p) in list.iter().enumerate() {
            for (vid, v) in p.variables.iter().enumerate() {
                if let Some((other, _)) = by_variable.insert(v.name.clone(), (pid, vid)) {
                    return Err(ProviderError {
                        file: format!("{}.toml", p.name),
                        message: format!(
                            "variable {} is also declared by provider {}",
                            v.name, list[other].name
                        ),
                    });
                }
            }
        }

        let mut key_prefixes: Vec<String> = list
            .iter()
            .flat_map(|p| p.keys.iter().map(|k| k.prefix.clone()))
            .filter(|p| !p.is_empty())
            .collect();
        key_prefixes.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        key_prefixes.dedup();

        let prefilter = build_prefilter(&list).map_err(|message| ProviderError {
            file: "rules/providers".into(),
            message,
        })?;
        let config_words = build_config_words(&list).map_err(|message| ProviderError {
            file: "rules/providers".into(),
            message,
        })?;
        Ok(Providers {
            list,
            by_variable,
            prefilter,
            key_prefixes,
            config_words,
        })
    }

    pub fn get(&self, id: ProviderId) -> &Provider {
        &self.list[id]
    }

    pub fn iter(&self) -> impl Iterator<Item = (ProviderId, &Provider)> {
        self.list.iter().enumerate()
    }

    pub fn by_name(&self, name: &str) -> Option<ProviderId> {
        self.list.iter().position(|p| p.name == name)
    }

    /// The provider and variable entry of a credential variable name.
    pub fn variable(&self, name: &str) -> Option<(ProviderId, &Variable)> {
        self.by_variable
            .get(name)
            .map(|&(p, v)| (p, &self.list[p].variables[v]))
    }

    pub fn prefilter(&self) -> &Prefilter {
        &self.prefilter
    }

    /// Whether a config file's bytes mention anything a config extractor
    /// looks for: a provider name, a credential variable, an org/project
    /// key word. Files that do not are not parsed.
    pub fn mentions_config(&self, bytes: &[u8]) -> bool {
        self.config_words.find(bytes).is_some()
    }

    /// The provider a config key or section name names (`openai`,
    /// `azure_openai`): the longest [`ConfigKeys::names`] entry equal to
    /// the normalized text.
    pub fn by_config_name(&self, normalized: &str) -> Option<ProviderId> {
        self.list
            .iter()
            .position(|p| p.config_keys.names.iter().any(|n| n == normalized))
    }

    /// The provider whose config name the normalized key starts with, and
    /// the rest of the key (`openaiapikey` → openai, `apikey`); the longest
    /// name wins (`azureopenaikey` is Azure OpenAI's, not OpenAI's).
    pub fn split_config_name<'k>(&self, normalized: &'k str) -> Option<(ProviderId, &'k str)> {
        let mut best: Option<(ProviderId, usize)> = None;
        for (pid, p) in self.list.iter().enumerate() {
            for n in &p.config_keys.names {
                if normalized.starts_with(n.as_str()) && best.is_none_or(|(_, l)| n.len() > l) {
                    best = Some((pid, n.len()));
                }
            }
        }
        best.map(|(pid, l)| (pid, &normalized[l..]))
    }

    /// The provider a tool names (a LiteLLM model prefix, a Continue
    /// `provider:`, a LibreChat endpoint), compared normalized.
    pub fn by_tool(&self, id: &str) -> Option<ProviderId> {
        let n = normalize_key(id);
        if n.is_empty() {
            return None;
        }
        self.list
            .iter()
            .position(|p| p.config_keys.tools.contains(&n))
    }

    /// The provider a bare model name implies (`gpt-4o` → OpenAI).
    pub fn by_model(&self, model: &str) -> Option<ProviderId> {
        let m = model.to_ascii_lowercase();
        self.list.iter().position(|p| {
            p.config_keys
                .models
                .iter()
                .any(|pre| m.starts_with(pre.as_str()))
        })
    }

    /// Every known package of every provider.
    pub fn packages(&self) -> impl Iterator<Item = &Package> {
        self.list.iter().flat_map(|p| p.packages.iter())
    }

    /// Every key prefix, longest first.
    pub fn key_prefixes(&self) -> &[String] {
        &self.key_prefixes
    }

    /// The client tables of every provider that apply to `lang`.
    pub fn clients(&self, lang: Language) -> impl Iterator<Item = (ProviderId, &ClientSpec)> {
        self.list.iter().enumerate().flat_map(move |(pid, p)| {
            p.clients
                .iter()
                .filter(move |c| c.applies_to(lang))
                .map(move |c| (pid, c))
        })
    }

    /// The key patterns and ID patterns enabled by the prefilter hits.
    pub fn enabled(&self, hits: Hits) -> Enabled<'_> {
        let mut keys = Vec::new();
        let mut ids = Vec::new();
        for (bit, targets) in self.prefilter.targets.iter().enumerate() {
            if !hits.has(bit) {
                continue;
            }
            for t in targets {
                match *t {
                    Target::Key(p, k) => keys.push((p, k)),
                    Target::Id(p, i) => ids.push((p, i)),
                }
            }
        }
        keys.sort_unstable();
        keys.dedup();
        ids.sort_unstable();
        ids.dedup();
        Enabled {
            providers: self,
            keys,
            ids,
        }
    }

    /// Which well-formed key of any provider a whole value is.
    pub fn key_of_any(&self, value: &str) -> Option<(ProviderId, usize)> {
        self.iter()
            .find_map(|(pid, p)| p.key_matching(value).map(|(k, _)| (pid, k)))
    }

    /// Which provider's well-formed key a whole value is, among patterns that
    /// identify a provider on their own (prefixed keys, and `cross_check`
    /// shapes), other than `except`.
    pub fn foreign_key(&self, except: ProviderId, value: &str) -> Option<(ProviderId, usize)> {
        self.iter()
            .filter(|&(pid, _)| pid != except)
            .find_map(|(pid, p)| {
                p.keys
                    .iter()
                    .position(|k| (!k.needs_context || k.cross_check) && k.whole.is_match(value))
                    .map(|k| (pid, k))
            })
    }

    /// Whether a whole value is an org (or project) ID of any provider.
    pub fn id_of_any(&self, slot: Slot, value: &str) -> bool {
        self.list
            .iter()
            .flat_map(|p| p.ids.iter())
            .any(|i| i.slot == slot && i.whole.is_match(value))
    }
}

/// The patterns a file's prefilter hits enable.
pub struct Enabled<'a> {
    pub providers: &'a Providers,
    pub keys: Vec<(ProviderId, usize)>,
    pub ids: Vec<(ProviderId, usize)>,
}

fn compile(f: ProviderFile) -> Result<Provider, String> {
    let mut keys = Vec::new();
    for k in f.keys {
        if k.keywords.is_empty() && !k.needs_context {
            return Err(format!("key pattern {} has no keywords", k.id));
        }
        let regex = Regex::new(&k.regex).map_err(|e| format!("key pattern {}: {e}", k.id))?;
        let whole = Regex::new(&format!("^(?:{})$", k.shape.as_deref().unwrap_or(&k.regex)))
            .map_err(|e| format!("key pattern {}: {e}", k.id))?;
        keys.push(KeyPattern {
            id: k.id,
            description: k.description,
            regex,
            whole,
            prefix: k.prefix,
            keywords: k.keywords,
            scoped: k.scoped,
            needs_context: k.needs_context,
            cross_check: k.cross_check,
        });
    }
    let mut ids = Vec::new();
    for i in f.ids {
        if !matches!(i.slot, Slot::Org | Slot::Project) {
            return Err("ID patterns are for the org and project slots only".into());
        }
        let regex = Regex::new(&i.regex).map_err(|e| format!("ID pattern: {e}"))?;
        let whole =
            Regex::new(&format!("^(?:{})$", i.regex)).map_err(|e| format!("ID pattern: {e}"))?;
        ids.push(IdPattern {
            slot: i.slot,
            regex,
            whole,
            keyword: i.keyword,
        });
    }
    // PAIR004 and the proxy checks of KEY003/KEY004 tell a provider's own
    // endpoint from another's by these.
    if f.hosts.is_empty() {
        return Err("no hosts: list the API hosts of the provider".into());
    }
    for p in &f.packages {
        if !ECOSYSTEMS.contains(&p.ecosystem.as_str()) {
            return Err(format!(
                "package {}: unknown ecosystem {:?}",
                p.name, p.ecosystem
            ));
        }
    }
    let config_keys = compile_config_keys(f.config_keys)?;
    let variables = f
        .variables
        .into_iter()
        .map(|v| Variable {
            name: v.name,
            slot: v.slot,
            canonical: v.canonical,
            readers: v.readers,
            note: v.note,
            shared: v.shared,
        })
        .collect::<Vec<_>>();
    for slot in [Slot::Key, Slot::Org, Slot::Project, Slot::BaseUrl] {
        if variables
            .iter()
            .filter(|v| v.slot == slot && v.canonical)
            .count()
            > 1
        {
            return Err(format!(
                "more than one canonical {} variable",
                slot.as_str()
            ));
        }
    }
    if let Some(v) = &f.verify {
        if !v.path.starts_with('/') {
            return Err(format!("verify.path {:?} must start with /", v.path));
        }
        if let Some(b) = &v.base_url
            && !b.starts_with("https://")
        {
            return Err(format!("verify.base_url {b:?} must be https"));
        }
    }
    Ok(Provider {
        name: f.name,
        display: f.display,
        variables,
        keys,
        ids,
        key_prefixes: f.key_prefixes,
        hosts: f.hosts,
        packages: f.packages,
        misspellings: f.misspellings,
        not_misspellings: f.not_misspellings,
        config_keys,
        clients: f
            .clients
            .into_iter()
            .map(clients::compile_client)
            .collect::<Result<_, _>>()?,
        headers: f
            .headers
            .into_iter()
            .map(clients::compile_header)
            .collect::<Result<_, _>>()?,
        code_keywords: f.code_keywords,
        verify: f.verify,
        omit_empty_headers: f.omit_empty_headers,
    })
}

fn compile_config_keys(f: ConfigKeysFile) -> Result<ConfigKeys, String> {
    let normalized = |list: Vec<String>, what: &str| -> Result<Vec<String>, String> {
        list.iter()
            .map(|n| {
                let k = normalize_key(n);
                if k.is_empty() {
                    Err(format!(
                        "config_keys.{what}: {n:?} has no letters or digits"
                    ))
                } else {
                    Ok(k)
                }
            })
            .collect()
    };
    let mut paths = Vec::new();
    let mut first_segments = Vec::new();
    for p in f.paths {
        if let Some(first) = p.path.split(['.', ':']).find(|s| *s != "*") {
            first_segments.push(first.to_string());
        }
        let segments: Vec<String> = p
            .path
            .split(['.', ':'])
            .map(|s| {
                if s == "*" {
                    s.to_string()
                } else {
                    normalize_key(s)
                }
            })
            .collect();
        if segments.iter().any(String::is_empty) {
            return Err(format!(
                "config_keys.paths: {:?} has an empty segment",
                p.path
            ));
        }
        paths.push((segments, p.slot));
    }
    let mut words: Vec<String> = f.names.iter().chain(&f.tools).cloned().collect();
    words.extend(first_segments);
    if f.models.iter().any(|m| m.is_empty()) {
        return Err("config_keys.models: an empty model prefix matches every model".into());
    }
    Ok(ConfigKeys {
        names: normalized(f.names, "names")?,
        tools: normalized(f.tools, "tools")?,
        models: f.models.iter().map(|m| m.to_ascii_lowercase()).collect(),
        paths,
        words,
    })
}

fn build_config_words(list: &[Provider]) -> Result<AhoCorasick, String> {
    let mut words: Vec<String> = CONFIG_WORDS.iter().map(|w| w.to_string()).collect();
    for p in list {
        words.extend(p.variables.iter().map(|v| v.name.clone()));
        words.extend(p.config_keys.names.iter().cloned());
        words.extend(p.config_keys.words.iter().cloned());
    }
    words.sort();
    words.dedup();
    // Only whether a word occurs is asked: leftmost-first matching answers
    // that as well and lets the automaton use its SIMD search.
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(&words)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::prefilter::{import_like, within_two_edits};
    use super::*;

    const MINIMAL: &str = "name = \"p\"\ndisplay = \"P\"\nhosts = [\"api.p.test\"]\n";

    #[test]
    fn a_provider_without_hosts_is_rejected() {
        let e = Providers::load(&[("p.toml", "name = \"p\"\ndisplay = \"P\"\n")]);
        assert!(e.is_err_and(|e| e.message.contains("no hosts")));
    }

    #[test]
    fn config_keys_are_validated() {
        let load = |extra: &str| Providers::load(&[("p.toml", &format!("{MINIMAL}{extra}"))]);
        assert!(load("[config_keys]\nnames = [\"p\"]\nmodels = [\"p-\"]\n").is_ok());
        for bad in [
            "[config_keys]\nnmes = [\"p\"]\n",
            "[config_keys]\nnames = [\"--\"]\n",
            "[config_keys]\nmodels = [\"\"]\n",
            "[[config_keys.paths]]\npath = \"A::B\"\nslot = \"key\"\n",
            "[[config_keys.paths]]\npath = \"A:B\"\nslot = \"token\"\n",
        ] {
            assert!(load(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn import_lines_are_told_with_the_line_start_carried_along() {
        let text = b"x = 1; import a\nimport b; c = import_c\n  from d import e\n";
        let mut line = (0, 0);
        let got: Vec<bool> = [7, 16, 30, 40]
            .iter()
            .map(|&at| import_like(text, at, &mut line))
            .collect();
        let fresh: Vec<bool> = [7, 16, 30, 40]
            .iter()
            .map(|&at| import_like(text, at, &mut (0, 0)))
            .collect();
        assert_eq!(got, fresh);
        assert_eq!(got, [false, true, true, true]);
        // Asked out of order, it still looks back to the line's start.
        assert!(!import_like(text, 7, &mut line));
    }

    #[test]
    fn credential_names_are_variables_and_their_near_misses() {
        let p = Providers::builtin().prefilter();
        for yes in [
            "OPENAI_API_KEY",
            "OPENAI_APIKEY",
            "OPENAI_API_KYE",
            "OPENAI_KEY",
            "OPEN_AI_API_KEY",
            "OPENAI_ORGANIZATION_ID",
            "ANTHROPIC_KEY",
        ] {
            assert!(p.credential_name(yes), "{yes}");
        }
        for no in [
            "OPENAI_X123456",
            "OPENAI_MODEL_NAME_2",
            "DEBUG",
            "VAR_1",
            "OPEN",
        ] {
            assert!(!p.credential_name(no), "{no}");
        }
        assert!(within_two_edits(b"kitten", b"sittin"));
        assert!(!within_two_edits(b"kitten", b"sitting"));
        assert!(within_two_edits(b"", b"ab"));
        assert!(!within_two_edits(b"abc", b""));
    }

    #[test]
    fn config_prefilter() {
        let p = Providers::builtin();
        for yes in [
            "openai:\n  api_key: x\n",
            "environment:\n  - OPENAI_API_KEY\n",
            "ORGANIZATION: org_x",
            "{\"Clients\": {}}",
            "Open_AI_Key: x",
            "model_list:\n - litellm_params: {model: groq/llama}",
        ] {
            assert!(p.mentions_config(yes.as_bytes()), "{yes}");
        }
        for no in [
            "{\"name\": \"x\", \"version\": \"1.0.0\", \"dependencies\": {\"react\": \"^18\"}}",
            "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: x\n",
        ] {
            assert!(!p.mentions_config(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn config_names_tools_models() {
        let p = Providers::builtin();
        let name = |id: Option<ProviderId>| id.map(|i| p.get(i).name.as_str());
        assert_eq!(name(p.by_config_name("openai")), Some("openai"));
        assert_eq!(name(p.by_config_name("azureopenai")), Some("azure-openai"));
        assert_eq!(
            p.split_config_name("azureopenaiapikey")
                .map(|(i, rest)| (p.get(i).name.as_str(), rest)),
            Some(("azure-openai", "apikey"))
        );
        assert_eq!(
            p.split_config_name("openrouterkey")
                .map(|(i, rest)| (p.get(i).name.as_str(), rest)),
            Some(("openrouter", "key"))
        );
        assert_eq!(name(p.by_tool("openAI")), Some("openai"));
        assert_eq!(name(p.by_tool("azureOpenAI")), Some("azure-openai"));
        assert_eq!(name(p.by_tool("ollama")), None);
        assert_eq!(name(p.by_model("gpt-4o-mini")), Some("openai"));
        assert_eq!(name(p.by_model("claude-3-5-sonnet")), Some("anthropic"));
        assert_eq!(name(p.by_model("llama3")), None);
    }
}
