//! Config families: the credential semantics of YAML, TOML, JSON, properties
//! and Dockerfile configs.
//!
//! The parsers turn a file into a format-neutral spanned tree
//! ([`ConfigFile`]); this module decides which family a file (or, in
//! multi-document YAML, each document) belongs to and reads its settings,
//! env definitions, env reads and scopes off the tree:
//!
//! - [`compose`]: docker compose services, `environment`, `env_file`,
//!   interpolation.
//! - [`kubernetes`]: containers' `env`, `Secret` and `ConfigMap` data.
//! - [`workflow`]: GitHub Actions workflow, job and step `env`, action inputs.
//! - [`litellm`]: LiteLLM proxy `model_list` entries.
//! - [`codex`], [`aider`], [`continue_dev`], [`librechat`]: tool configs.
//! - Spring `application*.yml`/`.properties` and .NET `appsettings*.json`
//!   are the generic walk with their own reference syntax and key paths.
//! - [`generic`]: any other config, Helm values included: keys whose name
//!   says provider key/org/project.
//!
//! Which key names mean which provider is data (`config_keys` in
//! `rules/providers/*.toml`); the slot words (`api_key`, `organization`, …)
//! are format vocabulary and live here.

use std::path::Path;

use crate::extract::config_tree::{ConfigFile, Key, Node, NodeKind};
use crate::fact::{
    DefSource, Definition, EnvRead, EnvRef, EnvRefSyntax, FileFacts, ReadKind, Scope, ScopeKind,
    Setting, Slot, Value, ValueKind,
};
use crate::provider::{ProviderId, Providers, normalize_key};
use crate::source::Span;
use crate::walk::{FileClass, FileKind};

pub mod aider;
pub mod codex;
pub mod compose;
pub mod continue_dev;
pub mod dockerfile;
pub mod generic;
pub mod interpolation;
pub mod kubernetes;
pub mod librechat;
pub mod litellm;
pub mod properties;
pub mod workflow;

#[cfg(test)]
pub(crate) mod testutil;

use interpolation::{Classified, Interpolation, Ref};

/// The family a config file or YAML document belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Compose,
    Kubernetes,
    Workflow,
    LiteLlm,
    Spring,
    DotNet,
    Codex,
    Aider,
    Continue,
    LibreChat,
    /// Helm `values*.yaml`: the generic walk, in a template.
    Helm,
    Generic,
}

/// Read the facts of a parsed config file. `path` decides the family where
/// the name says it (compose, workflows, Spring, .NET, tools); otherwise
/// each document's content does (Kubernetes, LiteLLM, Continue), else the
/// generic walk.
pub fn extract(
    path: &Path,
    class: &FileClass,
    text: &str,
    file: &ConfigFile,
    providers: &Providers,
) -> FileFacts {
    let mut out = ConfigFacts::new(text, providers);
    if let Some(e) = &file.error {
        out.facts.parse_errors.push(e.clone());
    }
    let by_path = family_by_path(path, class, file);
    let many = file.docs.len() > 1;
    for (i, doc) in file.docs.iter().enumerate() {
        let family = by_path.unwrap_or_else(|| family_by_content(path, doc));
        // In a multi-document file each document of a walked family is its
        // own scope (Spring profiles override each other; they do not
        // repeat a setting).
        let walked = |out: &mut ConfigFacts<'_>, w: generic::Walker| {
            let scope = if many {
                let name = profile(doc).unwrap_or_else(|| format!("document {}", i + 1));
                out.scope(ScopeKind::Section, name, doc.span, None, Vec::new())
            } else {
                0
            };
            generic::Walker { scope, ..w }.run(out, doc);
        };
        match family {
            Family::Compose => compose::extract(&mut out, doc),
            Family::Kubernetes => kubernetes::extract(&mut out, doc),
            Family::Workflow => workflow::extract(&mut out, doc),
            Family::LiteLlm => litellm::extract(&mut out, doc),
            Family::Codex => codex::extract(&mut out, doc),
            Family::Aider => aider::extract(&mut out, doc),
            Family::Continue => continue_dev::extract(&mut out, doc),
            Family::LibreChat => librechat::extract(&mut out, doc),
            Family::DotNet => generic::dotnet(&mut out, doc),
            Family::Spring => walked(&mut out, generic::Walker::spring()),
            Family::Helm => walked(&mut out, generic::Walker::helm()),
            Family::Generic if generic::is_i18n_path(path) => {}
            Family::Generic => walked(&mut out, generic::Walker::generic()),
        }
    }
    out.facts
}

/// Parse a config file of kind `kind` into the tree. `None` for kinds
/// that are not tree-shaped configs.
pub fn parse(kind: FileKind, text: &str) -> Option<ConfigFile> {
    match kind {
        FileKind::Properties => Some(properties::parse(text)),
        FileKind::Yaml => Some(crate::extract::yaml::parse(text)),
        FileKind::Toml => Some(crate::extract::toml_cfg::parse(text)),
        FileKind::Json { comments } => Some(crate::extract::json::parse(text, comments)),
        _ => None,
    }
}

/// Whether a file of this kind is read by a config extractor.
pub fn is_config(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::Yaml
            | FileKind::Toml
            | FileKind::Json { .. }
            | FileKind::Properties
            | FileKind::Dockerfile
    )
}

/// The Spring profile a document activates, if it names one.
fn profile(doc: &Node) -> Option<String> {
    let nested = |path: &[&str]| {
        let mut n = doc;
        for k in path {
            n = n.get(k)?;
        }
        text_of(n).map(str::to_string)
    };
    doc.get("spring.config.activate.on-profile")
        .or_else(|| doc.get("spring.profiles"))
        .and_then(text_of)
        .map(str::to_string)
        .or_else(|| nested(&["spring", "config", "activate", "on-profile"]))
        .or_else(|| nested(&["spring", "profiles"]))
}

/// The file name, lowercased.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn is_yaml_name(name: &str) -> bool {
    name.ends_with(".yml") || name.ends_with(".yaml")
}

/// Whether the path is `.github/workflows/*.y*ml`.
pub fn is_workflow_path(path: &Path) -> bool {
    let mut parents = path.iter().rev().skip(1);
    is_yaml_name(&file_name(path))
        && parents.next().is_some_and(|p| p == "workflows")
        && parents.next().is_some_and(|p| p == ".github")
}

/// Whether the name is a compose file (`compose*.y*ml`,
/// `docker-compose*.y*ml`).
pub fn is_compose_name(name: &str) -> bool {
    is_yaml_name(name) && (name.starts_with("compose") || name.starts_with("docker-compose"))
}

fn family_by_path(path: &Path, class: &FileClass, file: &ConfigFile) -> Option<Family> {
    let name = file_name(path);
    let stem_is = |prefix: &str, exts: &[&str]| {
        name.starts_with(prefix) && exts.iter().any(|e| name.ends_with(e))
    };
    match class.kind {
        FileKind::Yaml if class.template => Some(Family::Helm),
        FileKind::Yaml if is_workflow_path(path) => Some(Family::Workflow),
        FileKind::Yaml if is_compose_name(&name) => Some(Family::Compose),
        FileKind::Yaml if name == ".aider.conf.yml" || name == ".aider.conf.yaml" => {
            Some(Family::Aider)
        }
        FileKind::Yaml if name.starts_with("librechat") => Some(Family::LibreChat),
        FileKind::Yaml | FileKind::Properties
            if stem_is("application", &[".yml", ".yaml", ".properties"])
                || stem_is("bootstrap", &[".yml", ".yaml", ".properties"]) =>
        {
            Some(Family::Spring)
        }
        FileKind::Properties => Some(Family::Generic),
        FileKind::Json { .. } if stem_is("appsettings", &[".json"]) => Some(Family::DotNet),
        FileKind::Toml => {
            let codex_dir = path.iter().any(|c| c == ".codex");
            let codex_keys = file
                .docs
                .iter()
                .any(|d| d.get("model_providers").is_some() || d.get("model_provider").is_some());
            Some(if codex_dir || codex_keys {
                Family::Codex
            } else {
                Family::Generic
            })
        }
        _ => None,
    }
}

fn family_by_content(path: &Path, doc: &Node) -> Family {
    if doc.get("apiVersion").is_some() && doc.get("kind").is_some() {
        return Family::Kubernetes;
    }
    let litellm = doc
        .get("model_list")
        .is_some_and(|l| l.items().iter().any(|e| e.get("litellm_params").is_some()));
    if litellm {
        return Family::LiteLlm;
    }
    let name = file_name(path);
    let continue_path =
        path.iter().any(|c| c == ".continue") || name.starts_with("config.") || name == "config";
    let continue_models = doc
        .get("models")
        .is_some_and(|m| m.items().iter().any(|e| e.get("provider").is_some()));
    if continue_path && continue_models {
        return Family::Continue;
    }
    Family::Generic
}

// --- Key names ---------------------------------------------------------

/// Normalized config key words that name a slot (`api_key`, `apiKey`,
/// `organization_id`, `base-url`, …): format vocabulary, not provider data.
const SLOT_WORDS: &[(&str, Slot)] = &[
    ("apikey", Slot::Key),
    ("key", Slot::Key),
    ("apitoken", Slot::Key),
    ("token", Slot::Key),
    ("accesstoken", Slot::Key),
    ("authtoken", Slot::Key),
    ("organization", Slot::Org),
    ("organisation", Slot::Org),
    ("org", Slot::Org),
    ("orgid", Slot::Org),
    ("organizationid", Slot::Org),
    ("organisationid", Slot::Org),
    ("project", Slot::Project),
    ("projectid", Slot::Project),
    ("baseurl", Slot::BaseUrl),
    ("baseuri", Slot::BaseUrl),
    ("apibase", Slot::BaseUrl),
    ("apiurl", Slot::BaseUrl),
    ("endpoint", Slot::BaseUrl),
    ("apiendpoint", Slot::BaseUrl),
];

/// The slot a normalized key word names.
pub fn slot_word(normalized: &str) -> Option<Slot> {
    SLOT_WORDS
        .iter()
        .find(|(w, _)| *w == normalized)
        .map(|&(_, s)| s)
}

/// What a key path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub provider: ProviderId,
    pub slot: Slot,
    /// An org/project word with no provider in sight (`organization:`): a
    /// setting only when the value has the shape of an ID (`org-…`), since
    /// the word alone is too common (an org *name* in a metadata file).
    pub id_shaped_only: bool,
}

/// The words of key segments: each key split at `.` and `:` (flat Spring,
/// VS Code and .NET keys hold paths).
fn words<'k>(keys: &[&'k str]) -> Vec<&'k str> {
    keys.iter()
        .flat_map(|k| k.split(['.', ':']))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The provider and slot a key names, given the keys of its ancestors
/// (outermost first) and the provider its section is about, if any.
pub fn match_key(
    providers: &Providers,
    ancestors: &[&str],
    key: &str,
    context: Option<ProviderId>,
) -> Option<Match> {
    let strong = |provider, slot| Match {
        provider,
        slot,
        id_shaped_only: false,
    };
    // Config keys are not case-sensitive the way env names are: a
    // lowercase `co_api_key` names Cohere's `CO_API_KEY`.
    if let Some((pid, v)) = providers
        .variable(key)
        .or_else(|| providers.variable(&key.to_ascii_uppercase()))
    {
        return Some(strong(pid, v.slot));
    }
    // Nearly every key of a large config names nothing: past the variable
    // names, every way to a match needs the key's last word to be a slot
    // word, a provider's name and a slot word, or the end of a listed key
    // path; the ancestors are split and normalized only then.
    if let Some(last) = key.rsplit(['.', ':']).find(|w| !w.is_empty()) {
        let last = normalize_key(last);
        let named = slot_word(&last).is_some()
            || providers
                .split_config_name(&last)
                .is_some_and(|(_, rest)| slot_word(rest).is_some())
            || providers.iter().any(|(_, p)| {
                p.config_keys
                    .paths
                    .iter()
                    .any(|(segs, _)| segs.last().is_some_and(|s| s == "*" || *s == last))
            });
        if !named {
            return None;
        }
    }
    let mut all = words(ancestors);
    let key_words = words(&[key]);
    all.extend(&key_words);
    let normalized: Vec<String> = all.iter().map(|w| normalize_key(w)).collect();
    for (pid, p) in providers.iter() {
        for (segs, slot) in &p.config_keys.paths {
            if segs.len() == normalized.len()
                && segs
                    .iter()
                    .zip(&normalized)
                    .all(|(s, n)| s == "*" || s == n)
            {
                return Some(strong(pid, *slot));
            }
        }
    }
    let (last, parents) = normalized.split_last()?;
    if let Some((pid, rest)) = providers.split_config_name(last)
        && let Some(slot) = slot_word(rest)
    {
        return Some(strong(pid, slot));
    }
    let slot = slot_word(last)?;
    for j in (0..parents.len()).rev() {
        if j > 0 {
            let two = format!("{}{}", parents[j - 1], parents[j]);
            if let Some(pid) = providers.by_config_name(&two) {
                return Some(strong(pid, slot));
            }
        }
        if let Some(pid) = providers.by_config_name(&parents[j]) {
            return Some(strong(pid, slot));
        }
    }
    if let Some(pid) = context {
        return Some(strong(pid, slot));
    }
    if matches!(slot, Slot::Org | Slot::Project) {
        let pid = providers
            .iter()
            .find(|(_, p)| p.ids.iter().any(|i| i.slot == slot))
            .map(|(pid, _)| pid)?;
        return Some(Match {
            provider: pid,
            slot,
            id_shaped_only: true,
        });
    }
    None
}

/// The provider whose API host a URL points at.
pub fn provider_by_host(providers: &Providers, url: &str) -> Option<ProviderId> {
    let url = url.to_ascii_lowercase();
    providers
        .iter()
        .find(|(_, p)| p.hosts.iter().any(|h| url.contains(h.as_str())))
        .map(|(pid, _)| pid)
}

/// Whether a value looks like an org or project ID, well-formed or not
/// (`org-…`, `org_…`, `proj_…`, `proj-…`): the prefix of the slot's ID
/// pattern, with either separator.
pub fn id_shaped(providers: &Providers, slot: Slot, value: &str) -> bool {
    let v = value.trim();
    providers
        .iter()
        .flat_map(|(_, p)| p.ids.iter())
        .filter(|i| i.slot == slot)
        .any(|i| {
            let stem = i.keyword.trim_end_matches(['-', '_']);
            v.len() > stem.len() + 1
                && v.get(..stem.len())
                    .is_some_and(|s| s.eq_ignore_ascii_case(stem))
                && matches!(v.as_bytes().get(stem.len()), Some(b'-' | b'_'))
        })
}

// --- How each family would reference a variable ------------------------

/// How a family reads a variable instead of a literal, for help lines
/// ([`Setting::env_ref`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefStyle {
    /// compose, LibreChat, Spring: `${VAR}`.
    Braced,
    /// A Kubernetes container: `valueFrom.secretKeyRef`.
    SecretKeyRef,
    /// A Kubernetes Secret: create it from an untracked env file.
    KubectlSecret,
    /// GitHub Actions: `${{ secrets.VAR }}` for keys, `${{ vars.VAR }}`
    /// for the other slots.
    Workflow,
    /// Continue: `${{ secrets.VAR }}`.
    Secrets,
    /// LiteLLM: `os.environ/VAR`.
    LiteLlm,
    /// .NET: user secrets for the key path.
    DotNet,
    /// Codex: `env_key` / `env_http_headers`.
    Codex,
    /// Dockerfile `ENV`: pass it at run time.
    DockerRun,
    /// Dockerfile `ARG`: a build secret.
    DockerSecret,
    /// No reference syntax (generic configs, Helm values, Aider).
    None,
}

/// The variable a setting should reference: its own name when that is a
/// credential variable, else the provider's canonical variable of the slot.
pub fn ref_var(
    providers: &Providers,
    provider: ProviderId,
    slot: Slot,
    name: &str,
) -> Option<String> {
    if providers.variable(name).is_some() {
        return Some(name.to_string());
    }
    providers
        .get(provider)
        .canonical(slot)
        .map(|v| v.name.clone())
}

/// The reference of a style to variable `var`; `name` is the setting as
/// written (the .NET key path).
pub fn env_ref(style: RefStyle, var: &str, slot: Slot, name: &str) -> Option<EnvRef> {
    let syntax = match style {
        RefStyle::Braced => EnvRefSyntax::Braced,
        RefStyle::SecretKeyRef => EnvRefSyntax::SecretKeyRef,
        RefStyle::KubectlSecret => EnvRefSyntax::KubectlSecret,
        RefStyle::Workflow if slot == Slot::Key => EnvRefSyntax::Secrets,
        RefStyle::Workflow => EnvRefSyntax::Vars,
        RefStyle::Secrets => EnvRefSyntax::Secrets,
        RefStyle::LiteLlm => EnvRefSyntax::LiteLlm,
        RefStyle::DotNet => EnvRefSyntax::DotNetSecrets {
            key: name.to_string(),
        },
        RefStyle::Codex => codex::env_ref(slot)?,
        RefStyle::DockerRun => EnvRefSyntax::DockerRun,
        RefStyle::DockerSecret => EnvRefSyntax::DockerSecret,
        RefStyle::None => return None,
    };
    Some(EnvRef::new(syntax, var))
}

// --- The fact emitter --------------------------------------------------

/// Facts being collected for one file, with the scope counter.
pub struct ConfigFacts<'a> {
    pub text: &'a str,
    pub providers: &'a Providers,
    pub facts: FileFacts,
    next_scope: u32,
}

impl<'a> ConfigFacts<'a> {
    pub fn new(text: &'a str, providers: &'a Providers) -> Self {
        ConfigFacts {
            text,
            providers,
            facts: FileFacts::default(),
            next_scope: 1,
        }
    }

    /// Open a new scope and return its id.
    pub fn scope(
        &mut self,
        kind: ScopeKind,
        name: String,
        span: Span,
        parent: Option<u32>,
        env_files: Vec<String>,
    ) -> u32 {
        let id = self.next_scope;
        self.next_scope += 1;
        self.facts.scopes.push(Scope {
            id,
            kind,
            name,
            span,
            parent,
            env_files,
        });
        id
    }

    /// Record a setting, with the reference text of `style`.
    #[allow(clippy::too_many_arguments)]
    pub fn setting(
        &mut self,
        m: Match,
        name: String,
        name_span: Span,
        value: Value,
        entry: Span,
        scope: u32,
        style: RefStyle,
    ) {
        let env_ref = ref_var(self.providers, m.provider, m.slot, &name)
            .and_then(|var| env_ref(style, &var, m.slot, &name));
        self.facts.settings.push(Setting {
            provider: m.provider,
            slot: m.slot,
            name,
            name_span,
            value,
            entry,
            scope,
            env_ref,
        });
    }

    /// Record a variable definition.
    pub fn definition(
        &mut self,
        name: String,
        name_span: Span,
        value: Value,
        entry: Span,
        scope: u32,
        source: DefSource,
    ) {
        self.facts.definitions.push(Definition {
            name,
            name_span,
            value,
            entry,
            scope,
            source,
        });
    }

    /// Record an env read.
    pub fn read(
        &mut self,
        name: String,
        span: Span,
        kind: ReadKind,
        default: Option<Value>,
        scope: u32,
    ) {
        self.facts.reads.push(EnvRead {
            name,
            span,
            kind,
            default,
            scope,
            usage: crate::fact::ReadUse::Value,
            alternatives: Vec::new(),
        });
    }

    /// Record the env reads among a value's references.
    pub fn reads(&mut self, refs: &[Ref], scope: u32) {
        for r in refs {
            if let (true, Some(name)) = (r.env, &r.name) {
                self.read(
                    name.clone(),
                    r.span,
                    ReadKind::Config,
                    r.default.clone(),
                    scope,
                );
            }
        }
    }

    /// Classify a scalar node in a syntax.
    pub fn classify(&self, node: &Node, syntax: Interpolation) -> Option<Classified> {
        interpolation::classify_node(node, self.text, syntax)
    }

    /// An env entry (`NAME: value`, or `NAME=value` split by the caller)
    /// of a family that sets the environment of its scope: a definition,
    /// a setting when the name is a credential variable, and the env reads
    /// of its value. `X=${X}` passes the host's X through: a read, not a
    /// definition.
    #[allow(clippy::too_many_arguments)]
    pub fn env_entry(
        &mut self,
        name: &str,
        name_span: Span,
        c: Classified,
        entry: Span,
        scope: u32,
        source: DefSource,
        style: RefStyle,
    ) {
        let passthrough = c.value.kind == ValueKind::Reference
            && c.value.reference.as_deref() == Some(name)
            && c.refs.first().is_some_and(|r| r.env);
        if passthrough {
            if let Some(r) = c.refs.first() {
                self.read(
                    name.to_string(),
                    r.span,
                    ReadKind::Passthrough,
                    r.default.clone(),
                    scope,
                );
            }
        } else {
            self.reads(&c.refs, scope);
            self.definition(
                name.to_string(),
                name_span,
                c.value.clone(),
                entry,
                scope,
                source,
            );
        }
        if let Some((pid, v)) = self.providers.variable(name) {
            let m = Match {
                provider: pid,
                slot: v.slot,
                id_shaped_only: false,
            };
            self.setting(m, name.to_string(), name_span, c.value, entry, scope, style);
        }
    }
}

/// The span of a map entry: from its key through its value (and the
/// value's closing quote).
pub fn entry_span(key: &Key, value: &Node) -> Span {
    let end = match &value.kind {
        NodeKind::Scalar(s) if s.quote.is_some() => value.span.end + 1,
        _ => value.span.end,
    };
    Span::new(key.span.start.min(value.span.start), end.max(key.span.end))
}

/// A scalar's text, if the node is a scalar.
pub fn text_of(node: &Node) -> Option<&str> {
    node.scalar().map(|s| s.text.as_str())
}

/// The items of a sequence, or the node itself when it is a single value
/// where a list is allowed (`env_file: .env`).
pub fn one_or_many(node: &Node) -> Vec<&Node> {
    match &node.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        _ => vec![node],
    }
}

/// Split a `NAME=value` string scalar (compose list form, Aider `set-env`):
/// the name with its span, and the value as a classified string with its
/// span (`None` when there is no `=`).
pub fn split_assignment(
    node: &Node,
    text: &str,
    syntax: Interpolation,
) -> Option<(String, Span, Option<Classified>)> {
    let s = node.scalar()?;
    let exact = text.get(node.span.start..node.span.end) == Some(s.text.as_str());
    let at = |from: usize, to: usize| {
        if exact {
            Span::new(node.span.start + from, node.span.start + to)
        } else {
            node.span
        }
    };
    match s.text.find('=') {
        Some(eq) => {
            let name = s.text[..eq].trim();
            let lead = s.text[..eq].len() - s.text[..eq].trim_start().len();
            let value = &s.text[eq + 1..];
            let c =
                interpolation::classify_str(value, at(eq + 1, s.text.len()), exact, None, syntax);
            Some((name.to_string(), at(lead, lead + name.len()), Some(c)))
        }
        None => {
            let name = s.text.trim();
            let lead = s.text.len() - s.text.trim_start().len();
            Some((name.to_string(), at(lead, lead + name.len()), None))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(ancestors: &[&str], key: &str) -> Option<(String, Slot, bool)> {
        let p = Providers::builtin();
        match_key(p, ancestors, key, None)
            .map(|m| (p.get(m.provider).name.clone(), m.slot, m.id_shaped_only))
    }

    #[test]
    fn key_names() {
        let s = |p: &str, slot| Some((p.to_string(), slot, false));
        assert_eq!(m(&[], "OPENAI_API_KEY"), s("openai", Slot::Key));
        assert_eq!(m(&[], "openai_api_key"), s("openai", Slot::Key));
        assert_eq!(m(&[], "openai-api-key"), s("openai", Slot::Key));
        assert_eq!(m(&[], "openai-organization-id"), s("openai", Slot::Org));
        assert_eq!(m(&["openai"], "apiKey"), s("openai", Slot::Key));
        assert_eq!(m(&["OpenAI"], "OrganizationId"), s("openai", Slot::Org));
        assert_eq!(m(&[], "OpenAI:ApiKey"), s("openai", Slot::Key));
        assert_eq!(m(&[], "openai.apiKey"), s("openai", Slot::Key));
        assert_eq!(
            m(&["spring", "ai", "openai"], "api-key"),
            s("openai", Slot::Key)
        );
        assert_eq!(
            m(&["spring", "ai", "azure", "openai"], "api-key"),
            s("azure-openai", Slot::Key)
        );
        assert_eq!(
            m(&[], "spring.ai.openai.project-id"),
            s("openai", Slot::Project)
        );
        assert_eq!(m(&["anthropic"], "api_key"), s("anthropic", Slot::Key));
        assert_eq!(m(&[], "azure_openai_api_key"), s("azure-openai", Slot::Key));
        assert_eq!(
            m(&["Clients", "ResponsesClient", "Credential"], "Key"),
            s("openai", Slot::Key)
        );
        assert_eq!(
            m(&["Clients", "Chat", "Options"], "OrganizationId"),
            s("openai", Slot::Org)
        );
        assert_eq!(
            m(&["headers"], "OpenAI-Organization"),
            s("openai", Slot::Org)
        );
        // Org/project words alone only with an ID-shaped value.
        assert_eq!(
            m(&["metadata"], "organization"),
            Some(("openai".to_string(), Slot::Org, true))
        );
        assert_eq!(
            m(&[], "project_id"),
            Some(("openai".to_string(), Slot::Project, true))
        );
    }

    #[test]
    fn key_names_that_are_not_settings() {
        for (a, k) in [
            (&[][..], "api_key"),
            (&[], "max_tokens"),
            (&["openai"], "model"),
            (&["openai"], "max_tokens"),
            (&["openai"], "existingSecretKey"),
            (&[], "openai"),
            (&[], "OPENAI_MODEL"),
            (&["keys"], "token"),
            (&[], "secretKey"),
        ] {
            assert_eq!(m(a, k), None, "{a:?} {k}");
        }
    }

    #[test]
    fn id_shapes() {
        let p = Providers::builtin();
        for v in ["org-abc", "org_abc", "ORG-x1", "proj_x"] {
            let slot = if v.starts_with("proj") {
                Slot::Project
            } else {
                Slot::Org
            };
            assert!(id_shaped(p, slot, v), "{v}");
        }
        for v in ["Acme", "org", "org-", "organization", "my-org-1", "proj"] {
            assert!(!id_shaped(p, Slot::Org, v), "{v}");
        }
    }

    #[test]
    fn paths() {
        assert!(is_workflow_path(Path::new("repo/.github/workflows/ci.yml")));
        assert!(is_workflow_path(Path::new(".github/workflows/a.yaml")));
        assert!(!is_workflow_path(Path::new("workflows/ci.yml")));
        assert!(!is_workflow_path(Path::new(".github/ci.yml")));
        assert!(is_compose_name("docker-compose.override.yml"));
        assert!(is_compose_name("compose.yaml"));
        assert!(!is_compose_name("composer.json"));
    }
}

#[cfg(test)]
mod family_tests;
