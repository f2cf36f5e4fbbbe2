//! The credential graph: which settings apply together at run time, across
//! files. A scope is an env file's layered set (`.env` + `.env.local` +
//! `.env.<mode>` + `.env.<mode>.local` in one folder, as dotenv loaders
//! layer them), or a scope of a config or source file (a compose service, a
//! client call) resolved against the env file it runs with: the nearest
//! runtime env file in its folder or an ancestor, else the nearest template.
//!
//! Cross-file rules (PAIR*, KEY005, ENV001) read the graph, never files.

use std::collections::{BTreeMap, HashMap};

use crate::fact::{ScopeKind, Setting, Slot, ValueKind};
use crate::file_ref::FileRef;
use crate::provider::ProviderId;
use crate::walk::env_kind;

/// A setting and the file it is in (an index into the graph's files).
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    pub file: usize,
    pub setting: &'a Setting,
}

/// How a setting came into a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    /// Read from an env file the scope runs with.
    Env,
    /// Written in the scope itself (a code argument, a config entry).
    Explicit,
}

/// One effective scope: what each (provider, slot) resolves to, with the
/// settings it overrides.
#[derive(Debug)]
pub struct Scope<'a> {
    /// The file the scope belongs to.
    pub file: usize,
    /// Env-file scopes of one folder share a group: their layering is
    /// intended, so they are never compared with each other.
    pub group: String,
    /// For each (provider, slot): the winning setting last, earlier ones
    /// before it, with the layer each came from.
    pub slots: BTreeMap<(ProviderId, Slot), Vec<(Layer, At<'a>)>>,
}

impl<'a> Scope<'a> {
    /// The setting that wins for a slot.
    pub fn get(&self, provider: ProviderId, slot: Slot) -> Option<At<'a>> {
        self.slots
            .get(&(provider, slot))
            .and_then(|v| v.last())
            .map(|(_, a)| *a)
    }

    /// Every slot's winner.
    pub fn winners(&self) -> impl Iterator<Item = (ProviderId, Slot, Layer, At<'a>)> + '_ {
        self.slots
            .iter()
            .filter_map(|(&(p, s), v)| v.last().map(|&(l, a)| (p, s, l, a)))
    }
}

/// All scopes of a repository.
pub struct Graph<'a> {
    pub scopes: Vec<Scope<'a>>,
}

/// The folder of a display path (`""` for the top).
pub fn folder(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, n)| n)
}

/// The layering of a runtime env file name: `(mode, local)`. `.env` is
/// `("", false)`, `.env.local` `("", true)`, `.env.production`
/// `("production", false)`; a name outside this scheme (`app.env`) is its own
/// mode.
fn layer_of(name: &str) -> (String, bool) {
    let Some(rest) = name.strip_prefix(".env") else {
        return (name.to_string(), false);
    };
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    match rest {
        "" => (String::new(), false),
        "local" => (String::new(), true),
        r => match r.strip_suffix(".local") {
            Some(mode) => (mode.to_string(), true),
            None => (r.to_string(), false),
        },
    }
}

fn is_runtime_env(f: &FileRef<'_>) -> bool {
    f.entry.class.is_env() && !f.entry.class.template && !f.entry.class.test
}

impl<'a> Graph<'a> {
    /// Build the scopes of `files` (in path order).
    pub fn build(files: &'a [FileRef<'a>]) -> Graph<'a> {
        let mut scopes = Vec::new();

        // Env files: per folder, one scope per mode, layered.
        let mut by_folder: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, f) in files.iter().enumerate() {
            if is_runtime_env(f) && env_kind(file_name(&f.entry.display)).is_some_and(|k| !k.shell)
            {
                by_folder
                    .entry(folder(&f.entry.display))
                    .or_default()
                    .push(i);
            }
        }
        let mut env_scope_of_folder: HashMap<&str, usize> = HashMap::new();
        for (dir, idxs) in &by_folder {
            let layered: Vec<(usize, String, bool)> = idxs
                .iter()
                .map(|&i| {
                    let (mode, local) = layer_of(file_name(&files[i].entry.display));
                    (i, mode, local)
                })
                .collect();
            let mut modes: Vec<&str> = layered.iter().map(|(_, m, _)| m.as_str()).collect();
            modes.sort();
            modes.dedup();
            for mode in modes {
                // base, base.local, mode, mode.local — in that order.
                let mut members: Vec<&(usize, String, bool)> = layered
                    .iter()
                    .filter(|(_, m, _)| m.is_empty() || m == mode)
                    .collect();
                members.sort_by_key(|(_, m, local)| (!m.is_empty(), *local));
                let home = members.last().map_or(idxs[0], |m| m.0);
                let mut scope = Scope {
                    file: home,
                    group: format!("env:{dir}"),
                    slots: BTreeMap::new(),
                };
                for (i, _, _) in members {
                    for s in &files[*i].facts.settings {
                        scope.slots.entry((s.provider, s.slot)).or_default().push((
                            Layer::Env,
                            At {
                                file: *i,
                                setting: s,
                            },
                        ));
                    }
                }
                if mode.is_empty() {
                    env_scope_of_folder.insert(dir, scopes.len());
                }
                scopes.push(scope);
            }
        }

        // Scopes of other files (config entries, client calls): explicit
        // settings over the env file they run with — the scope's own
        // `env_file`s (compose) when it names some, else the nearest runtime
        // env file upward.
        let env_by_path: HashMap<&str, usize> = files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.entry.class.is_env())
            .map(|(i, f)| (f.entry.display.as_str(), i))
            .collect();
        for (i, f) in files.iter().enumerate() {
            if f.entry.class.is_env() || f.entry.class.test || f.entry.class.template {
                continue;
            }
            let mut ids: Vec<u32> = f.facts.settings.iter().map(|s| s.scope).collect();
            ids.sort_unstable();
            ids.dedup();
            let dir = folder(&f.entry.display);
            let nearest_env = nearest(&env_scope_of_folder, dir).map(|k| &scopes[k]);
            // By scope id, once: a file with thousands of scopes (compose
            // services, workflow jobs) must not filter them all for each.
            let mut settings_of: HashMap<u32, Vec<&'a Setting>> = HashMap::new();
            for s in &f.facts.settings {
                settings_of.entry(s.scope).or_default().push(s);
            }
            let mut env_files_of: HashMap<u32, Vec<&String>> = HashMap::new();
            for sc in &f.facts.scopes {
                env_files_of.entry(sc.id).or_default().extend(&sc.env_files);
            }
            // Kubernetes manifests, workflows and Dockerfiles never load
            // a .env file: their settings stand alone.
            let own_env_only = f.entry.class.kind == crate::walk::FileKind::Dockerfile
                || f.facts.scopes.iter().any(|sc| {
                    matches!(
                        sc.kind,
                        ScopeKind::KubernetesContainer
                            | ScopeKind::WorkflowJob
                            | ScopeKind::WorkflowStep
                    ) || sc.name.starts_with("Secret/")
                        || sc.name.starts_with("ConfigMap/")
                });
            let mut new = Vec::new();
            for id in ids {
                let mut scope = Scope {
                    file: i,
                    group: format!("file:{}#{id}", f.entry.display),
                    slots: BTreeMap::new(),
                };
                let named: Vec<usize> = env_files_of
                    .get(&id)
                    .into_iter()
                    .flatten()
                    .filter_map(|rel| env_by_path.get(join(dir, rel).as_str()).copied())
                    .collect();
                if named.is_empty() {
                    if let Some(env) = nearest_env.filter(|_| !own_env_only) {
                        for (&key, v) in &env.slots {
                            if let Some(&(_, at)) = v.last() {
                                scope.slots.entry(key).or_default().push((Layer::Env, at));
                            }
                        }
                    }
                } else {
                    for k in named {
                        for s in &files[k].facts.settings {
                            scope.slots.entry((s.provider, s.slot)).or_default().push((
                                Layer::Env,
                                At {
                                    file: k,
                                    setting: s,
                                },
                            ));
                        }
                    }
                }
                for &s in settings_of.get(&id).into_iter().flatten() {
                    // A reference resolves to the env value already there.
                    if s.value.kind == ValueKind::Reference {
                        continue;
                    }
                    scope.slots.entry((s.provider, s.slot)).or_default().push((
                        Layer::Explicit,
                        At {
                            file: i,
                            setting: s,
                        },
                    ));
                }
                new.push(scope);
            }
            scopes.extend(new);
        }
        Graph { scopes }
    }
}

/// `rel` (a path as written in a file in `dir`) as a display path.
fn join(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for c in rel.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.join("/")
}

/// The env scope of `dir` or its nearest ancestor that has one.
fn nearest(env: &HashMap<&str, usize>, dir: &str) -> Option<usize> {
    let mut d = dir;
    loop {
        if let Some(&k) = env.get(d) {
            return Some(k);
        }
        if d.is_empty() {
            return None;
        }
        d = folder(d);
    }
}
