//! Client tables of the provider files: which constructors, arguments,
//! options, builder methods and attributes of which SDK give a value to
//! which credential slot, per language (`[[clients]]`), and which HTTP
//! headers carry a slot (`[[headers]]`, for `curl` in shell scripts).
//!
//! The code extractor (`extract::code`) reads these tables; it has no SDK
//! name of its own, so supporting another SDK is a data change.

use serde::Deserialize;

use super::Slot;
use crate::walk::Language;

/// Names per slot, as written in a `[[clients]]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SlotNamesFile {
    #[serde(default)]
    key: Vec<String>,
    #[serde(default)]
    org: Vec<String>,
    #[serde(default)]
    project: Vec<String>,
    #[serde(default)]
    base_url: Vec<String>,
}

impl SlotNamesFile {
    fn compile(self) -> Vec<(String, Slot)> {
        let mut out = Vec::new();
        for (names, slot) in [
            (self.key, Slot::Key),
            (self.org, Slot::Org),
            (self.project, Slot::Project),
            (self.base_url, Slot::BaseUrl),
        ] {
            out.extend(names.into_iter().map(|n| (n, slot)));
        }
        out
    }
}

/// One `[[clients]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClientFile {
    sdk: String,
    languages: Vec<String>,
    #[serde(default)]
    constructors: Vec<String>,
    /// A module configured by attribute assignment (`openai.api_key = …`).
    #[serde(default)]
    module: Option<String>,
    /// Modules one of which the file must import for this table to apply
    /// (`llama_index` for LlamaIndex's `OpenAI`).
    #[serde(default)]
    imports: Vec<String>,
    #[serde(default)]
    named: SlotNamesFile,
    /// The slot of each positional argument; `""` for an argument that is
    /// not a credential.
    #[serde(default)]
    positional: Vec<String>,
    #[serde(default)]
    options: SlotNamesFile,
    #[serde(default)]
    methods: SlotNamesFile,
    #[serde(default)]
    attributes: SlotNamesFile,
}

/// One `[[headers]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HeaderFile {
    name: String,
    slot: Slot,
    /// What precedes the value (`Bearer `).
    #[serde(default)]
    prefix: String,
}

/// How one SDK's clients are configured in one family of languages.
#[derive(Debug)]
pub struct ClientSpec {
    pub sdk: String,
    pub languages: Vec<Language>,
    /// Constructor paths, split into segments (`OpenAI::Client.new` →
    /// `["OpenAI", "Client", "new"]`). A call matches when its callee ends
    /// with these segments.
    pub constructors: Vec<Vec<String>>,
    /// The constructors as written (`OpenAI::Client.new`).
    pub written: Vec<String>,
    pub module: Option<String>,
    pub imports: Vec<String>,
    /// Keyword arguments (Python), options-object properties (JavaScript),
    /// hash keys (Ruby), named arguments and initializer members (C#),
    /// composite-literal fields (Go).
    pub named: Vec<(String, Slot)>,
    pub positional: Vec<Option<Slot>>,
    /// Calls whose first argument sets a slot (`option.WithAPIKey`), as
    /// segment paths.
    pub options: Vec<(Vec<String>, Slot)>,
    /// Builder methods chained on the constructor (`.apiKey(…)`).
    pub methods: Vec<(String, Slot)>,
    /// Attributes assigned on the module, on the value the constructor
    /// returns, or on a configuration block's parameter.
    pub attributes: Vec<(String, Slot)>,
}

impl ClientSpec {
    /// Whether the table applies to files of `lang`.
    pub fn applies_to(&self, lang: Language) -> bool {
        self.languages.contains(&lang)
    }

    /// Whether the table's import condition holds for a file importing
    /// `imports` (always, when the table names no import).
    pub fn imported(&self, imports: &[String]) -> bool {
        self.imports.is_empty()
            || self
                .imports
                .iter()
                .any(|want| imports.iter().any(|have| module_matches(have, want)))
    }

    /// The slot of a named argument.
    pub fn named_slot(&self, name: &str) -> Option<Slot> {
        lookup(&self.named, name)
    }

    /// The slot of a builder method.
    pub fn method_slot(&self, name: &str) -> Option<Slot> {
        lookup(&self.methods, name)
    }

    /// The slot of an attribute.
    pub fn attribute_slot(&self, name: &str) -> Option<Slot> {
        lookup(&self.attributes, name)
    }
}

fn lookup(table: &[(String, Slot)], name: &str) -> Option<Slot> {
    table.iter().find(|(n, _)| n == name).map(|&(_, s)| s)
}

/// `have` is module `want` or inside it (`llama_index.llms.openai` is in
/// `llama_index`; `@ai-sdk/openai` is `@ai-sdk/openai`).
fn module_matches(have: &str, want: &str) -> bool {
    have == want
        || have
            .strip_prefix(want)
            .is_some_and(|rest| rest.starts_with(['.', '/', ':', '\\']))
}

/// An HTTP header that carries a credential slot.
#[derive(Debug)]
pub struct Header {
    pub name: String,
    pub slot: Slot,
    pub prefix: String,
}

/// Split a callee path into segments at `.`, `::`, `->` and `\`.
pub fn segments(path: &str) -> Vec<String> {
    path.split(['.', ':', '\\'])
        .flat_map(|s| s.split("->"))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn language(name: &str) -> Result<Vec<Language>, String> {
    let languages: Vec<Language> = Language::named(name).collect();
    if languages.is_empty() {
        return Err(format!("unknown language {name:?}"));
    }
    Ok(languages)
}

fn slot(name: &str) -> Result<Option<Slot>, String> {
    Ok(match name {
        "" => None,
        "key" => Some(Slot::Key),
        "org" => Some(Slot::Org),
        "project" => Some(Slot::Project),
        "base_url" => Some(Slot::BaseUrl),
        other => return Err(format!("unknown slot {other:?}")),
    })
}

pub(super) fn compile_client(f: ClientFile) -> Result<ClientSpec, String> {
    let err = |m: String| format!("client table {}: {m}", f.sdk);
    let mut languages = Vec::new();
    for l in &f.languages {
        languages.extend(language(l).map_err(err)?);
    }
    if languages.is_empty() {
        return Err(err("names no language".into()));
    }
    let no_options = f.options.key.is_empty()
        && f.options.org.is_empty()
        && f.options.project.is_empty()
        && f.options.base_url.is_empty();
    if f.constructors.is_empty() && f.module.is_none() && no_options {
        return Err(err("needs constructors, a module or options".into()));
    }
    let constructors: Vec<Vec<String>> = f.constructors.iter().map(|c| segments(c)).collect();
    let written = f.constructors.clone();
    if constructors.iter().any(Vec::is_empty) {
        return Err(err("an empty constructor name".into()));
    }
    let positional = f
        .positional
        .iter()
        .map(|s| slot(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(err)?;
    let options = f
        .options
        .compile()
        .into_iter()
        .map(|(n, s)| (segments(&n), s))
        .collect();
    Ok(ClientSpec {
        sdk: f.sdk,
        languages,
        constructors,
        written,
        module: f.module,
        imports: f.imports,
        named: f.named.compile(),
        positional,
        options,
        methods: f.methods.compile(),
        attributes: f.attributes.compile(),
    })
}

pub(super) fn compile_header(f: HeaderFile) -> Result<Header, String> {
    if f.name.is_empty() || f.name.contains([':', ' ']) {
        return Err(format!("header name {:?} is not a header name", f.name));
    }
    Ok(Header {
        name: f.name,
        slot: f.slot,
        prefix: f.prefix,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_callee_paths() {
        assert_eq!(segments("OpenAI::Client.new"), ["OpenAI", "Client", "new"]);
        assert_eq!(segments("$f->withApiKey"), ["$f", "withApiKey"]);
        assert_eq!(segments("option.WithAPIKey"), ["option", "WithAPIKey"]);
    }

    #[test]
    fn imports_match_whole_modules() {
        assert!(module_matches("llama_index.llms.openai", "llama_index"));
        assert!(module_matches("openai", "openai"));
        assert!(!module_matches("openai_helpers", "openai"));
        assert!(module_matches(
            "github.com/openai/openai-go/v3/option",
            "github.com/openai/openai-go"
        ));
        assert!(!module_matches(
            "github.com/sashabaranov/go-openai",
            "github.com/openai/openai-go"
        ));
    }
}
