//! Consumer detection: which SDKs and frameworks a repository uses, from its
//! dependency manifests and the client constructors in its code, and which
//! variable names those consumers read (the `readers` lists of the provider
//! data, with version bounds such as `openai-python<1`).

use std::collections::{BTreeMap, BTreeSet};

use crate::extract::manifest::major;
use crate::file_ref::FileRef;
use crate::provider::Providers;
use crate::source::Span;

/// SDKs whose versions below a major read no env variable at all: the
/// caller passes every credential (openai-node v3 `new Configuration({
/// apiKey })`).
const NO_ENV_BELOW: &[(&str, u64)] = &[("openai-node", 4)];

/// The SDKs a repository uses: name → the major versions seen (`None`: no
/// version given, taken as the newest).
#[derive(Debug, Default)]
pub struct Consumers {
    sdks: BTreeMap<String, BTreeSet<Option<u64>>>,
    /// Where each SDK was first seen: (file index, span).
    origins: BTreeMap<String, (usize, Span)>,
    /// Variables that code or configs read explicitly, by name.
    pub explicit_reads: BTreeSet<String>,
}

impl Consumers {
    /// Detect consumers from every file's facts.
    pub fn detect(files: &[FileRef<'_>], providers: &Providers) -> Consumers {
        let mut c = Consumers::default();
        for (i, f) in files.iter().enumerate() {
            for d in &f.facts.dependencies {
                for p in providers
                    .packages()
                    .filter(|p| p.name == d.package && p.ecosystem == d.ecosystem)
                {
                    c.sdks
                        .entry(p.sdk.clone())
                        .or_default()
                        .insert(d.version.as_deref().and_then(major));
                    c.origins.entry(p.sdk.clone()).or_insert((i, d.span));
                }
            }
            for client in &f.facts.clients {
                // A client table may bound the SDK version (`openai-python<1`
                // for the 0.x module API).
                let name = Consumers::sdk_name(&client.sdk).to_string();
                let major = match client.sdk.split_once('<') {
                    Some((_, v)) => v.parse::<u64>().ok().and_then(|v| v.checked_sub(1)),
                    None => client
                        .sdk
                        .split_once(">=")
                        .and_then(|(_, v)| v.parse().ok()),
                };
                c.sdks.entry(name.clone()).or_default().insert(major);
                c.origins.entry(name).or_insert((i, client.span));
            }
            for r in &f.facts.reads {
                c.explicit_reads.insert(r.name.clone());
            }
        }
        c
    }

    pub fn is_empty(&self) -> bool {
        self.sdks.is_empty()
    }

    /// The detected SDKs, as written in the readers lists.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sdks.keys().map(String::as_str)
    }

    /// The SDK name of a reader token, without its version bound.
    pub fn sdk_name(token: &str) -> &str {
        token.split(['<', '>']).next().unwrap_or(token)
    }

    /// Whether a reader token (`openai-python`, `openai-python>=1`,
    /// `openai-python<1`) matches a detected consumer.
    pub fn matches(&self, reader: &str) -> bool {
        let (name, bound) = match reader.split_once(">=") {
            Some((n, v)) => (n, v.parse().ok().map(|v: u64| (true, v))),
            None => match reader.split_once('<') {
                Some((n, v)) => (n, v.parse().ok().map(|v: u64| (false, v))),
                None => (reader, None),
            },
        };
        let Some(majors) = self.sdks.get(name) else {
            return false;
        };
        match bound {
            None => true,
            Some((at_least, v)) => majors.iter().any(|m| match (m, at_least) {
                // No version given: the newest, which is above any bound.
                (None, at_least) => at_least,
                (Some(m), true) => *m >= v,
                (Some(m), false) => *m < v,
            }),
        }
    }

    /// The detected consumers among `readers`, and where the first was seen.
    pub fn which(&self, readers: &[String]) -> (Vec<String>, Option<(usize, Span)>) {
        let names: Vec<String> = readers
            .iter()
            .filter(|r| self.matches(r))
            .cloned()
            .collect();
        let origin = names.iter().find_map(|r| {
            let base = r.split(['<', '>']).next().unwrap_or(r);
            self.origins.get(base).copied()
        });
        (names, origin)
    }

    /// Whether any detected consumer reads one of `readers` from the
    /// environment: as [`Consumers::reads_any`], but an SDK seen only at
    /// versions that read no env variable at all (openai-node v3's
    /// `Configuration`) does not count.
    pub fn reads_env(&self, readers: &[String]) -> bool {
        readers.iter().any(|r| {
            let name = Consumers::sdk_name(r);
            let no_env_below = NO_ENV_BELOW
                .iter()
                .find(|(n, _)| *n == name)
                .map(|&(_, v)| v);
            match (no_env_below, self.sdks.get(name)) {
                (Some(v), Some(majors)) if r.as_str() == name => {
                    majors.iter().any(|m| m.is_none_or(|m| m >= v))
                }
                _ => self.matches(r),
            }
        })
    }

    /// Whether any detected consumer reads one of `readers`.
    pub fn reads_any(&self, readers: &[String]) -> bool {
        readers.iter().any(|r| self.matches(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_bounds() {
        let mut c = Consumers::default();
        c.sdks
            .entry("openai-python".into())
            .or_default()
            .insert(Some(0));
        assert!(c.matches("openai-python"));
        assert!(c.matches("openai-python<1"));
        assert!(!c.matches("openai-python>=1"));
        let mut c = Consumers::default();
        c.sdks
            .entry("openai-python".into())
            .or_default()
            .insert(None);
        assert!(c.matches("openai-python>=1"));
        assert!(!c.matches("openai-python<1"));
        assert!(!c.matches("langchain"));
    }
}
