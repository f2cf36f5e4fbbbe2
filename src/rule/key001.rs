//! KEY001 hardcoded-api-key: a provider key literal in a committed file,
//! comments and prose included (a leaked key is a leak wherever it sits).
//!
//! One exception: a Google API key that a web page or mobile app hands to
//! every user by design (a Maps JavaScript API `<script src=…?key=>`, a
//! Firebase web config, `google-services.json`) is public, restricted by
//! referrer or app, not by secrecy; the fix is to restrict its APIs, not to
//! move it out of the repository. See [`browser_public_google_key`].

use super::{FileRef, Findings, Rule, RuleContext};
use crate::fact::LiteralKind;
use crate::redact::redact;
use crate::source::Span;
use crate::walk::FileKind;

pub struct Key001;

impl Rule for Key001 {
    fn code(&self) -> &'static str {
        "KEY001"
    }

    fn check_file(&self, cx: &RuleContext<'_>, file: &FileRef<'_>, out: &mut Findings<'_>) {
        let class = &file.entry.class;
        if !class.committed {
            return;
        }
        let variant = match class.kind {
            FileKind::Env { .. } if class.template => "template",
            FileKind::Env { .. } => "env",
            FileKind::Docs => "docs",
            _ => "other",
        };
        for l in &file.facts.literals {
            let LiteralKind::Key { provider, pattern } = l.kind else {
                continue;
            };
            let p = cx.providers.get(provider);
            if p.keys[pattern].prefix == "AIza" && browser_public_google_key(file, l.span) {
                continue;
            }
            let var = p
                .canonical(crate::fact::Slot::Key)
                .map_or_else(|| "the key variable".to_string(), |v| v.name.clone());
            let setting = super::setting_holding(file, l.span);
            let how = setting.and_then(|s| s.env_ref.as_ref());
            let variant = match how {
                _ if file.entry.tracked_ignored => "tracked-ignored",
                Some(_) if super::is_code(file) => "code-reference",
                _ => super::ref_variant(how).unwrap_or(variant),
            };
            out.emit(
                self.code(),
                file,
                l.span,
                &l.text,
                Some(variant),
                &[
                    ("kind", p.keys[pattern].description.clone()),
                    ("key", redact(&l.text, cx.providers)),
                    ("var", var),
                    ("how", how.map(ToString::to_string).unwrap_or_default()),
                    ("name", setting.map(|s| s.name.clone()).unwrap_or_default()),
                    ("path", file.entry.display.clone()),
                ],
            );
        }
    }
}

/// URLs that browsers load with a Google key in their query: the Maps
/// JavaScript API, Static Maps and Street View images, the Maps Embed API
/// (`<iframe src=…>`).
const BROWSER_URLS: &[&str] = &[
    "maps.googleapis.com/maps/api/js",
    "maps.googleapis.com/maps/api/staticmap",
    "maps.googleapis.com/maps/api/streetview",
    "google.com/maps/embed/",
];

/// Keys of a Firebase web app config besides its `apiKey`.
const FIREBASE_KEYS: &[&str] = &["authDomain", "messagingSenderId", "storageBucket"];

/// Prefixes of env variables that front-end build tools put into the
/// bundle every visitor downloads, normalized (`NEXT_PUBLIC_`, `VITE_`, …).
const PUBLIC_BUNDLE: &[&str] = &["nextpublic", "vite", "reactapp", "expopublic", "public"];

/// Whether the Google key at `span` is one that a web page or app publishes
/// by design: in a Maps URL the browser loads, given to the Maps loader, in
/// a Firebase app config (or its env variable), in a front-end bundle
/// variable named for Maps, or in Firebase's mobile config files. The value
/// of a provider key setting (`GEMINI_API_KEY=AIza…`,
/// `genai.Client(api_key="AIza…")`) is never one: there the application
/// uses it as an LLM credential.
fn browser_public_google_key(file: &FileRef<'_>, span: Span) -> bool {
    let name = file.entry.display.rsplit('/').next().unwrap_or("");
    if name == "google-services.json" || name == "GoogleService-Info.plist" {
        return true;
    }
    if file
        .facts
        .settings
        .iter()
        .any(|s| s.value.span.start <= span.start && span.end <= s.value.span.end)
    {
        return false;
    }
    let text = file.source.text();
    let before = text
        .get(file.source.line_start(span.start)..span.start)
        .unwrap_or("");
    // The URL the key ends: what follows the last quote or blank.
    let url = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '('))
        .next()
        .unwrap_or("");
    if url.ends_with("key=") && BROWSER_URLS.iter().any(|u| url.contains(u)) {
        return true;
    }
    // The option or variable the key is the value of, as written and
    // normalized (`googleMapsApiKey: "`, `VITE_FIREBASE_API_KEY=`).
    let option = before.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '`' | ':' | '=' | '{' | '>')
    });
    let option = option
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    let normalized = crate::provider::normalize_key(option);
    if option == "googleMapsApiKey"
        || normalized.contains("firebase") && normalized.ends_with("key")
        || normalized.contains("maps")
            && normalized.ends_with("key")
            && PUBLIC_BUNDLE.iter().any(|p| normalized.starts_with(p))
    {
        return true;
    }
    // `@googlemaps/js-api-loader`: `new Loader({ apiKey: "AIza…" })`.
    if normalized == "apikey" && text.contains("@googlemaps/js-api-loader") {
        return true;
    }
    // A Firebase config object: `apiKey` with the config's other keys
    // around it.
    let from = floor_boundary(text, span.start.saturating_sub(600));
    let to = floor_boundary(text, (span.end + 600).min(text.len()));
    normalized == "apikey"
        && FIREBASE_KEYS
            .iter()
            .filter(|k| text[from..to].contains(*k))
            .count()
            >= 2
}

/// The largest char boundary of `text` at or below `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
