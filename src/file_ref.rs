//! One scanned file as the passes after extraction see it: where it is
//! (its walk entry), its decoded text and its facts. Graph, consumers,
//! rules, suppression and fixes all take files in this shape.

use crate::fact::{FileFacts, Setting, Slot, ValueKind};
use crate::provider::Providers;
use crate::source::Source;
use crate::walk::FileEntry;

/// One scanned file as rules see it.
pub struct FileRef<'a> {
    pub entry: &'a FileEntry,
    pub source: &'a Source,
    pub facts: &'a FileFacts,
}

impl FileRef<'_> {
    /// Settings in the same scope as `s` (including `s`).
    pub fn scope_of<'b>(&'b self, s: &'b Setting) -> impl Iterator<Item = &'b Setting> + 'b {
        self.facts
            .settings
            .iter()
            .filter(move |o| o.scope == s.scope)
    }

    /// Whether the scope of `s` points the provider at a base URL other than
    /// the provider's own (a proxy or a local server, where keys are free-form).
    pub fn custom_base_url(&self, s: &Setting, providers: &Providers) -> bool {
        let hosts = &providers.get(s.provider).hosts;
        self.scope_of(s).any(|o| {
            o.provider == s.provider
                && o.slot == Slot::BaseUrl
                && o.value.kind != ValueKind::Empty
                && !hosts.iter().any(|h| o.value.text.contains(h.as_str()))
        })
    }
}
