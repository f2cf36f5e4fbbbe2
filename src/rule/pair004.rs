//! PAIR004 wrong-provider-key: a well-formed key of one provider in another
//! provider's key slot, unless a scope that uses the key points that slot at
//! the other provider's endpoint (an OpenAI-compatible API such as Groq's,
//! xAI's or Perplexity's, or Azure) or at a base URL that is not the slot
//! provider's own (a proxy, a local server, a URL read from elsewhere),
//! where another provider's key may be exactly what is wanted.

use std::collections::HashSet;

use super::{FileRef, Findings, Rule, RuleContext};
use crate::fact::{Slot, ValueKind};
use crate::graph::{Graph, Scope};
use crate::provider::{ProviderId, Providers};
use crate::redact::redact;

pub struct Pair004;

impl Rule for Pair004 {
    fn code(&self) -> &'static str {
        "PAIR004"
    }

    fn check_repo(
        &self,
        cx: &RuleContext<'_>,
        files: &[FileRef<'_>],
        graph: &Graph<'_>,
        out: &mut Findings<'_>,
    ) {
        // A key setting counts as used on purpose when any scope it takes
        // part in (its env file's, a client call that layers it) points the
        // slot away from the slot provider's own API.
        let mut intended = HashSet::new();
        for scope in &graph.scopes {
            for (provider, slot, _, at) in scope.winners() {
                if slot != Slot::Key || at.setting.value.kind != ValueKind::Literal {
                    continue;
                }
                let value = at.setting.value.text.trim();
                if let Some((other, _)) = cx.providers.foreign_key(provider, value)
                    && (points_at(scope, provider, other, cx.providers)
                        || points_elsewhere(scope, provider, cx.providers))
                {
                    intended.insert((at.file, at.setting.value.span));
                }
            }
        }
        let mut seen = HashSet::new();
        for scope in &graph.scopes {
            for (provider, slot, _, at) in scope.winners() {
                let s = at.setting;
                let file = &files[at.file];
                if slot != Slot::Key
                    || s.value.kind != ValueKind::Literal
                    || file.entry.class.template
                    || file.entry.class.test
                {
                    continue;
                }
                let value = s.value.text.trim();
                let Some((other, pattern)) = cx.providers.foreign_key(provider, value) else {
                    continue;
                };
                if intended.contains(&(at.file, s.value.span))
                    || !seen.insert((at.file, s.value.span))
                {
                    continue;
                }
                let theirs = cx.providers.get(other);
                let ours = cx.providers.get(provider);
                let their_var = theirs
                    .canonical(Slot::Key)
                    .map_or_else(|| "its own variable".to_string(), |v| v.name.clone());
                let base_var = ours
                    .canonical(Slot::BaseUrl)
                    .map_or_else(|| "the base URL".to_string(), |v| v.name.clone());
                out.emit(
                    self.code(),
                    file,
                    s.value.span,
                    value,
                    None,
                    &[
                        ("var", s.name.clone()),
                        ("kind", theirs.keys[pattern].description.clone()),
                        ("key", redact(value, cx.providers)),
                        ("provider", ours.display.clone()),
                        ("other", theirs.display.clone()),
                        ("other_var", their_var),
                        ("base_var", base_var),
                    ],
                );
            }
        }
    }
}

/// Whether the scope sets `provider`'s base URL to anything but the
/// provider's own API: a proxy, a local server, or a value read from
/// elsewhere (a reference, an expression), whose endpoint is unknown.
fn points_elsewhere(scope: &Scope<'_>, provider: ProviderId, providers: &Providers) -> bool {
    let hosts = &providers.get(provider).hosts;
    scope.get(provider, Slot::BaseUrl).is_some_and(|at| {
        let v = &at.setting.value;
        v.kind != ValueKind::Empty && !hosts.iter().any(|h| v.text.contains(h.as_str()))
    })
}

/// Whether the scope sends `provider`'s requests to `other`'s endpoint.
fn points_at(
    scope: &Scope<'_>,
    provider: ProviderId,
    other: ProviderId,
    providers: &Providers,
) -> bool {
    let hosts = &providers.get(other).hosts;
    let mentions = |p: ProviderId| {
        scope.get(p, Slot::BaseUrl).is_some_and(|at| {
            let v = &at.setting.value;
            v.kind != ValueKind::Empty && hosts.iter().any(|h| v.text.contains(h.as_str()))
        })
    };
    // The slot's own base URL points at the other provider, or (Azure) the
    // other provider's endpoint is configured in the same scope.
    mentions(provider)
        || scope
            .get(other, Slot::BaseUrl)
            .is_some_and(|at| at.setting.value.kind != ValueKind::Empty)
}
