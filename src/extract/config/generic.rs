//! The generic walk: settings of any config whose key names say provider
//! key, org or project (`openai_api_key`, `OPENAI_API_KEY`, `apiKey` under
//! an `openai` section, `OpenAI:OrganizationId`, `spring.ai.openai.api-key`),
//! lists of `{name, value}` env entries (Helm `extraEnv`, ECS task
//! definitions), and maps under `env`-like keys (definitions).
//!
//! Spring and .NET configs are this walk with their own reference syntax and
//! help text; the families use it for the parts they do not model.
//!
//! In a file whose family is unknown the walk is strict, because such files
//! also hold UI labels and docs (`"apiKey": "API Key"` in a translation
//! file): only string values count, a value with inner blanks counts only
//! when it holds a key prefix, values that name a credential variable are
//! neither literal nor reference, and translation folders are skipped.

use super::interpolation::Interpolation;
use super::{ConfigFacts, Match, RefStyle, entry_span, id_shaped, match_key};
use crate::extract::config_tree::{Key, Node, NodeKind, ScalarType};
use crate::fact::{DefSource, ScopeKind, ValueKind};
use crate::provider::{ProviderId, normalize_key};
use crate::source::Span;

/// Keys whose map holds environment variables.
const ENV_MAPS: &[&str] = &[
    "env",
    "environment",
    "envvars",
    "environmentvariables",
    "remoteenv",
    "containerenv",
    "extraenv",
    "secretenv",
];

/// Keys under which a value names where a secret is, not the secret
/// (`valueFrom.secretKeyRef.key`, Helm `existingSecret`).
const REFERENCE_SECTIONS: &[&str] = &[
    "valuefrom",
    "secretkeyref",
    "configmapkeyref",
    "secretref",
    "existingsecret",
];

/// Folder names of translation files.
const I18N_DIRS: &[&str] = &[
    "locales",
    "locale",
    "i18n",
    "l10n",
    "lang",
    "langs",
    "languages",
    "translations",
];

/// Whether a path is in a translation folder (labels, not settings).
pub fn is_i18n_path(path: &std::path::Path) -> bool {
    path.iter().any(|c| {
        c.to_str()
            .is_some_and(|c| I18N_DIRS.contains(&c.to_ascii_lowercase().as_str()))
    })
}

/// One segment of a key path.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'n> {
    Key(&'n str),
    Index(usize),
}

/// A key path as written: keys joined by `sep`, indexes as `[i]`.
pub fn path_name(path: &[Seg<'_>], sep: char) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push(sep);
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The generic walk, configured per family.
#[derive(Debug, Clone)]
pub struct Walker {
    pub syntax: Interpolation,
    pub style: RefStyle,
    /// Separator of the key path in setting names.
    pub sep: char,
    /// The provider the walked section is about (a LiteLLM entry, a
    /// Continue model), for slot words with no provider in their path.
    pub context: Option<ProviderId>,
    pub scope: u32,
    /// Apply the precision filters of files whose family is unknown.
    pub strict: bool,
    /// Record maps under `env`-like keys and `{name, value}` lists as
    /// definitions.
    pub definitions: bool,
    /// Subtrees handled elsewhere (by span).
    pub skip: Vec<Span>,
    /// Keys to prefix setting names with (the walked node's own path).
    pub prefix: Vec<String>,
}

impl Walker {
    fn new(syntax: Interpolation, style: RefStyle) -> Self {
        Walker {
            syntax,
            style,
            sep: '.',
            context: None,
            scope: 0,
            strict: false,
            definitions: true,
            skip: Vec::new(),
            prefix: Vec::new(),
        }
    }

    /// Any config of unknown family.
    pub fn generic() -> Self {
        Walker {
            strict: true,
            ..Walker::new(Interpolation::Generic, RefStyle::None)
        }
    }

    /// Helm values: a template; the chart decides how values are used.
    pub fn helm() -> Self {
        Walker::new(Interpolation::Generic, RefStyle::None)
    }

    /// Spring `application*.yml` / `.properties`.
    pub fn spring() -> Self {
        Walker {
            definitions: false,
            ..Walker::new(Interpolation::Spring, RefStyle::Braced)
        }
    }

    /// A section of a known family: not strict, no definitions.
    pub fn section(
        syntax: Interpolation,
        style: RefStyle,
        scope: u32,
        context: Option<ProviderId>,
    ) -> Self {
        Walker {
            context,
            scope,
            definitions: false,
            ..Walker::new(syntax, style)
        }
    }

    /// Walk a document (or a section).
    pub fn run(&self, out: &mut ConfigFacts<'_>, node: &Node) {
        let prefix: Vec<&str> = self.prefix.iter().map(String::as_str).collect();
        let mut path: Vec<Seg<'_>> = prefix.iter().map(|k| Seg::Key(k)).collect();
        self.node(out, node, &mut path, false, self.context);
    }

    fn skipped(&self, node: &Node) -> bool {
        self.skip.contains(&node.span)
    }

    fn node<'n>(
        &self,
        out: &mut ConfigFacts<'_>,
        node: &'n Node,
        path: &mut Vec<Seg<'n>>,
        env_map: bool,
        context: Option<ProviderId>,
    ) {
        if self.skipped(node) {
            return;
        }
        match &node.kind {
            NodeKind::Map(entries) => {
                let context = sibling_provider(out, node).or(context);
                for (key, value) in entries {
                    if self.skipped(value) {
                        continue;
                    }
                    if value.scalar().is_some() {
                        self.entry(out, key, value, path, env_map, context);
                        continue;
                    }
                    let nk = normalize_key(&key.text);
                    if REFERENCE_SECTIONS.contains(&nk.as_str()) {
                        continue;
                    }
                    path.push(Seg::Key(&key.text));
                    self.node(out, value, path, ENV_MAPS.contains(&nk.as_str()), context);
                    path.pop();
                }
            }
            NodeKind::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    if self.env_item(out, item) {
                        continue;
                    }
                    path.push(Seg::Index(i));
                    self.node(out, item, path, false, context);
                    path.pop();
                }
            }
            NodeKind::Scalar(_) => {}
        }
    }

    /// A scalar map entry: a setting when its key path names one; a
    /// definition when it sits in an env map.
    fn entry(
        &self,
        out: &mut ConfigFacts<'_>,
        key: &Key,
        value: &Node,
        path: &[Seg<'_>],
        env_map: bool,
        context: Option<ProviderId>,
    ) {
        let Some(c) = out.classify(value, self.syntax) else {
            return;
        };
        let env_name = self.definitions && env_map && is_upper_env_name(&key.text);
        let ancestors: Vec<&str> = path
            .iter()
            .filter_map(|s| match s {
                Seg::Key(k) => Some(*k),
                Seg::Index(_) => None,
            })
            .collect();
        let m = match_key(out.providers, &ancestors, &key.text, context);
        let m = m.filter(|m| self.accept(out, m, value, &c.value.text, c.value.kind));
        if m.is_none() && !env_name {
            return;
        }
        out.reads(&c.refs, self.scope);
        let entry = entry_span(key, value);
        if env_name {
            out.definition(
                key.text.clone(),
                key.span,
                c.value.clone(),
                entry,
                self.scope,
                DefSource::Config,
            );
        }
        if let Some(m) = m {
            let mut full = path.to_vec();
            full.push(Seg::Key(&key.text));
            let name = path_name(&full, self.sep);
            out.setting(m, name, key.span, c.value, entry, self.scope, self.style);
        }
    }

    /// Whether a matched key's value makes it a setting.
    fn accept(
        &self,
        out: &ConfigFacts<'_>,
        m: &Match,
        node: &Node,
        text: &str,
        kind: ValueKind,
    ) -> bool {
        if m.id_shaped_only
            && !(kind == ValueKind::Literal && id_shaped(out.providers, m.slot, text))
        {
            return false;
        }
        if !self.strict {
            return true;
        }
        let string = node
            .scalar()
            .is_some_and(|s| s.ty == ScalarType::String || s.ty == ScalarType::Null);
        if !string {
            return false;
        }
        if kind != ValueKind::Literal {
            return true;
        }
        let t = text.trim();
        let has_prefix = out
            .providers
            .key_prefixes()
            .iter()
            .any(|p| t.contains(p.as_str()));
        if t.contains(char::is_whitespace) && !has_prefix {
            return false;
        }
        out.providers.variable(t).is_none()
    }

    /// A `{name: X, value: …}` / `{name: X, valueFrom: …}` item of an env
    /// list. Returns whether the item was one.
    fn env_item(&self, out: &mut ConfigFacts<'_>, item: &Node) -> bool {
        let Some(name_node) = item.get("name") else {
            return false;
        };
        let Some(name) = name_node.scalar().map(|s| s.text.clone()) else {
            return false;
        };
        if !is_upper_env_name(&name) {
            return false;
        }
        let value = item.get("value");
        let value_from = item.get("valueFrom");
        if value.is_none() && value_from.is_none() {
            return false;
        }
        let c = match (value, value_from) {
            (_, Some(from)) => Some(super::kubernetes::value_from(from)),
            (Some(v), None) => out.classify(v, self.syntax),
            _ => None,
        };
        let Some(c) = c else {
            return false;
        };
        if self.definitions {
            out.env_entry(
                &name,
                name_node.span,
                c,
                item.span,
                self.scope,
                DefSource::Config,
                RefStyle::SecretKeyRef,
            );
        } else if let Some((pid, v)) = out.providers.variable(&name) {
            let m = Match {
                provider: pid,
                slot: v.slot,
                id_shaped_only: false,
            };
            out.reads(&c.refs, self.scope);
            out.setting(
                m,
                name,
                name_node.span,
                c.value,
                item.span,
                self.scope,
                RefStyle::SecretKeyRef,
            );
        }
        true
    }
}

/// Keys whose value names the provider a map is about (`provider: openai`,
/// `type: openai` in multi-client configs).
const PROVIDER_KEYS: &[&str] = &["provider", "type", "vendor", "apitype"];

/// The provider a map's own `provider:`/`type:` entry names, if any.
fn sibling_provider(out: &ConfigFacts<'_>, map: &Node) -> Option<ProviderId> {
    map.entries().iter().find_map(|(k, v)| {
        let v = v.scalar()?;
        if !PROVIDER_KEYS.contains(&normalize_key(&k.text).as_str()) {
            return None;
        }
        out.providers
            .by_tool(&v.text)
            .or_else(|| out.providers.by_config_name(&normalize_key(&v.text)))
    })
}

/// An environment variable name as people write them: `[A-Z_][A-Z0-9_]*`.
pub fn is_upper_env_name(s: &str) -> bool {
    super::interpolation::is_env_name(s) && !s.bytes().any(|b| b.is_ascii_lowercase())
}

/// .NET `appsettings*.json`: the generic walk with `:`-joined key paths,
/// and one scope per `Clients:<Name>` binding section.
pub fn dotnet(out: &mut ConfigFacts<'_>, doc: &Node) {
    let mut walker = Walker {
        sep: ':',
        definitions: false,
        ..Walker::new(Interpolation::Generic, RefStyle::DotNet)
    };
    if let Some(clients) = doc.get("Clients") {
        walker.skip.push(clients.span);
        for (key, client) in clients.entries() {
            let scope = out.scope(
                ScopeKind::Section,
                format!("Clients:{}", key.text),
                Span::new(key.span.start, client.span.end.max(key.span.end)),
                None,
                Vec::new(),
            );
            let section = Walker {
                scope,
                prefix: vec!["Clients".to_string(), key.text.clone()],
                skip: Vec::new(),
                ..walker.clone()
            };
            section.run(out, client);
        }
    }
    walker.run(out, doc);
}
