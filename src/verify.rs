//! Key verification (`credlint check --verify`, issue 8): what to send to a
//! provider for one resolved (key, org, project, base URL) tuple, and what
//! its answer means.
//!
//! This module is pure: it builds requests and classifies responses; the
//! HTTP client and the wiring into `check` use it. Requests carry exactly
//! the headers the SDK would send for the same configuration (an org or
//! project header only when the app sets one), so a key that works alone
//! but not with the app's organization is reported as the app would see
//! it: `401 mismatched_organization`.

use serde::Deserialize;

#[cfg(feature = "verify")]
pub mod http;

pub use crate::provider::Api;

/// One distinct credential tuple as the app would send it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tuple {
    pub api: Api,
    pub key: String,
    pub org: Option<String>,
    pub project: Option<String>,
    /// Where the request goes: the scope's base URL, `--api-base`, or the
    /// provider's default; `None` when there is none (Azure without an
    /// endpoint).
    pub base_url: Option<String>,
    /// The read-only listing under the base URL (`/models`).
    pub path: String,
    /// The key is an Anthropic auth token (`ANTHROPIC_AUTH_TOKEN`), which
    /// the SDK sends as `Authorization: Bearer`.
    pub bearer: bool,
}

/// An HTTP request to make (GET).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub url: String,
    /// Header names and values; the key is among the values, so a request
    /// is never printed or logged.
    pub headers: Vec<(&'static str, String)>,
}

/// How long one request may take by default (`--verify-timeout`).
pub const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The Anthropic API version header the SDKs send.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// Why a tuple cannot be verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Plain HTTP to a host that is not loopback: the key would travel in
    /// clear text.
    Insecure(String),
    /// Not an http(s) URL.
    BadUrl(String),
    /// Azure needs the resource endpoint; none was configured.
    NoEndpoint,
}

impl Refused {
    /// Why nothing was sent, for a finding (never holds the key).
    pub fn why(&self, providers: &crate::provider::Providers) -> String {
        match self {
            Refused::Insecure(host) => format!(
                "not sent: the base URL is plain http to {host}, which would carry the key in clear text"
            ),
            Refused::BadUrl(url) if crate::redact::looks_secret(url, providers) => format!(
                "not sent: the base URL ({}) is not an http(s) URL",
                crate::redact::redact(url, providers)
            ),
            Refused::BadUrl(url) => format!("not sent: the base URL {url:?} is not an http(s) URL"),
            Refused::NoEndpoint => "not sent: no endpoint is configured for this key".into(),
        }
    }
}

/// `--api-base`: where requests go instead of the scopes' base URLs, for
/// every provider or one (`openai=https://proxy.example/v1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase {
    pub provider: Option<String>,
    pub url: String,
}

impl ApiBase {
    /// `URL` or `PROVIDER=URL`.
    pub fn parse(s: &str) -> Result<ApiBase, String> {
        let (provider, url) = match s.split_once('=') {
            Some((p, u)) if !p.contains("://") => (Some(p.trim().to_string()), u.trim()),
            _ => (None, s.trim()),
        };
        check_transport(url.trim_end_matches('/')).map_err(|r| match r {
            Refused::Insecure(host) => format!(
                "{url}: plain http to {host} would carry keys in clear text (https, or http to this machine only)"
            ),
            _ => format!("{url}: not an http(s) URL"),
        })?;
        Ok(ApiBase {
            provider,
            url: url.to_string(),
        })
    }
}

type SendFn = dyn Fn(&[Tuple]) -> Vec<Verdict> + Send + Sync;

/// Where a `--verify` run's requests go and which files it reports in:
/// what the tuples are collected with.
pub struct Plan {
    api_base: Vec<ApiBase>,
    /// When files are named, the files findings may be reported in (the
    /// rest is context): a scope is sent only if one of its settings is in
    /// one of them. `None`: every file.
    targets: Option<std::collections::HashSet<String>>,
}

impl Plan {
    /// Whether findings may be reported in the file at `path`.
    pub fn is_target(&self, path: &str) -> bool {
        self.targets.as_ref().is_none_or(|t| t.contains(path))
    }

    /// The `--api-base` for a provider: its own, else the one for all.
    pub fn base_for(&self, provider: &str) -> Option<&str> {
        self.api_base
            .iter()
            .find(|b| b.provider.as_deref() == Some(provider))
            .or_else(|| self.api_base.iter().find(|b| b.provider.is_none()))
            .map(|b| b.url.as_str())
    }
}

/// A `--verify` run before it asks: the [`Plan`] and how requests are sent.
/// The pipeline's verification stage collects the tuples from the
/// credential graph and [`ask`](Verifier::ask)s once, before the rules run;
/// the rules only read the [`Verified`] answers.
pub struct Verifier {
    plan: Plan,
    send: Box<SendFn>,
}

impl Verifier {
    /// `send` answers tuples in order (the HTTP client, or a test's).
    pub fn new(api_base: Vec<ApiBase>, send: Box<SendFn>) -> Verifier {
        Verifier {
            plan: Plan {
                api_base,
                targets: None,
            },
            send,
        }
    }

    /// Report (and so verify) only settings in these files.
    pub fn with_targets(mut self, targets: std::collections::HashSet<String>) -> Verifier {
        self.plan.targets = Some(targets);
        self
    }

    /// What the tuples are collected with.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Ask the provider about each of `tuples`, once: the only place a
    /// `--verify` run sends anything.
    pub fn ask(self, tuples: Vec<Tuple>) -> Verified {
        let verdicts = (self.send)(&tuples);
        Verified {
            plan: self.plan,
            answers: tuples.into_iter().zip(verdicts).collect(),
            findings: std::sync::OnceLock::new(),
        }
    }
}

/// The answers of a `--verify` run, for the rules (VERIFY001–004) to read.
pub struct Verified {
    plan: Plan,
    answers: std::collections::HashMap<Tuple, Verdict>,
    /// The VERIFY findings, made once for the four rules.
    findings: std::sync::OnceLock<Vec<crate::finding::Finding>>,
}

impl Verified {
    /// What the tuples were collected with.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The provider's answer about `tuple`, if it was asked.
    pub fn answer(&self, tuple: &Tuple) -> Option<&Verdict> {
        self.answers.get(tuple)
    }

    /// What was sent where, for a note on stderr. A host that holds
    /// something shaped like a key of any of `providers` (a key pasted into
    /// a base URL) shows it redacted.
    pub fn note(&self, providers: &crate::provider::Providers) -> String {
        let answers = &self.answers;
        if answers.is_empty() {
            return "--verify: no key to verify (keys are taken from runtime env files and literals)"
                .into();
        }
        let mut hosts: std::collections::BTreeMap<String, usize> = Default::default();
        for t in answers.keys() {
            *hosts
                .entry(t.base_url.as_deref().map_or("(no endpoint)".into(), |url| {
                    crate::redact::redact_text(&host_of(url, providers), providers).into_owned()
                }))
                .or_default() += 1;
        }
        let to: Vec<String> = hosts.iter().map(|(h, n)| format!("{n} to {h}")).collect();
        format!(
            "--verify: asked about {} (key, organization, project) {}: {}",
            answers.len(),
            if answers.len() == 1 {
                "tuple"
            } else {
                "tuples"
            },
            to.join(", ")
        )
    }

    /// The VERIFY findings, made by `make` on the first call.
    pub fn findings(
        &self,
        make: impl FnOnce() -> Vec<crate::finding::Finding>,
    ) -> &[crate::finding::Finding] {
        self.findings.get_or_init(make)
    }
}

/// `host[:port]` of a URL, for messages; a value that is no URL (a key
/// pasted into the base URL variable) is never shown; one that holds a key
/// prefix of `providers` is redacted.
pub fn host_of(url: &str, providers: &crate::provider::Providers) -> String {
    let Some((_, rest)) = url.split_once("://") else {
        return "an invalid base URL".into();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if crate::redact::looks_secret(host, providers) {
        crate::redact::redact(host, providers)
    } else {
        host.chars().take(100).collect()
    }
}

/// The request that verifies `t`: a cheap authenticated, read-only listing.
pub fn request(t: &Tuple) -> Result<Request, Refused> {
    let base = t
        .base_url
        .as_deref()
        .ok_or(Refused::NoEndpoint)?
        .trim_end_matches('/');
    check_transport(base)?;
    let mut headers = Vec::new();
    match t.api {
        Api::OpenAi => {
            headers.push(("Authorization", format!("Bearer {}", t.key)));
            if let Some(org) = &t.org {
                headers.push(("OpenAI-Organization", org.clone()));
            }
            if let Some(project) = &t.project {
                headers.push(("OpenAI-Project", project.clone()));
            }
        }
        Api::Anthropic if t.bearer => {
            headers.push(("Authorization", format!("Bearer {}", t.key)));
            headers.push(("anthropic-version", ANTHROPIC_VERSION.to_string()));
        }
        Api::Anthropic => {
            headers.push(("x-api-key", t.key.clone()));
            headers.push(("anthropic-version", ANTHROPIC_VERSION.to_string()));
        }
        Api::AzureOpenAi => headers.push(("api-key", t.key.clone())),
        Api::Bearer => headers.push(("Authorization", format!("Bearer {}", t.key))),
        Api::Gemini => headers.push(("x-goog-api-key", t.key.clone())),
    }
    Ok(Request {
        url: format!("{base}{}", t.path),
        headers,
    })
}

/// The request that asks OpenAI which organizations a key belongs to
/// (`GET {base}/me`, the key alone), after a mismatched organization.
pub fn owner_request(t: &Tuple) -> Option<Request> {
    if t.api != Api::OpenAi {
        return None;
    }
    let mut bare = t.clone();
    bare.org = None;
    bare.project = None;
    bare.path = "/me".into();
    request(&bare).ok()
}

/// The organization IDs of a `GET /me` answer (`orgs.data[].id`); anything
/// not shaped like an org ID is dropped.
pub fn owner_orgs(body: &[u8]) -> Vec<String> {
    #[derive(Deserialize)]
    struct Me {
        orgs: Option<List>,
    }
    #[derive(Deserialize)]
    struct List {
        #[serde(default)]
        data: Vec<Org>,
    }
    #[derive(Deserialize)]
    struct Org {
        id: Option<String>,
    }
    let Ok(me) = serde_json::from_slice::<Me>(body) else {
        return Vec::new();
    };
    me.orgs
        .map(|l| l.data)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|o| o.id)
        .filter(|id| {
            id.strip_prefix("org-").is_some_and(|r| {
                (1..=64).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric())
            })
        })
        .take(8)
        .collect()
}

/// Keys travel over HTTPS only, or plain HTTP to this machine (a local
/// proxy, a test server).
fn check_transport(base: &str) -> Result<(), Refused> {
    let (scheme, rest) = base
        .split_once("://")
        .ok_or_else(|| Refused::BadUrl(base.to_string()))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    match scheme.to_ascii_lowercase().as_str() {
        "https" if !host.is_empty() => Ok(()),
        "http" if is_loopback(host) => Ok(()),
        "http" => Err(Refused::Insecure(host.to_string())),
        _ => Err(Refused::BadUrl(base.to_string())),
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// What a provider's answer means for the tuple.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// 200: the key works with this org and project.
    Valid,
    /// VERIFY001: the key itself is rejected (`invalid_api_key`, or the
    /// provider's equivalent).
    KeyRejected,
    /// VERIFY002: the org header does not match the key
    /// (`mismatched_organization`), names no organization
    /// (`invalid_organization`), or the account has none
    /// (`no_organization`). `owners`: the organizations the key belongs to,
    /// when the provider told.
    OrgMismatch { code: String, owners: Vec<String> },
    /// VERIFY003: the project header does not match the key.
    ProjectMismatch,
    /// VERIFY004: no answer that decides (rate limit, server error,
    /// timeout, network), or an answer credlint does not know.
    Inconclusive { why: String },
}

/// How a request ended before a verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    Timeout,
    Unreachable(String),
}

#[derive(Deserialize)]
struct ErrorBody {
    error: Option<ErrorDetail>,
}

#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    code: Option<serde_json::Value>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    /// Google's `google.rpc.ErrorInfo` entries (`reason`).
    #[serde(default)]
    details: Vec<serde_json::Value>,
}

/// Classify a response (`status`, `body`) to the request for a tuple of
/// `api`. The body's message is never kept: the provider echoes part of
/// the key in it.
pub fn classify(api: Api, status: u16, body: &[u8]) -> Verdict {
    if (200..300).contains(&status) {
        return Verdict::Valid;
    }
    let detail = serde_json::from_slice::<ErrorBody>(body)
        .ok()
        .and_then(|b| b.error);
    let code = detail
        .as_ref()
        .and_then(|d| d.code.as_ref())
        .and_then(|c| c.as_str())
        .unwrap_or("")
        .to_string();
    let kind = detail
        .as_ref()
        .and_then(|d| d.kind.clone())
        .unwrap_or_default();
    let google_reason = |reason: &str| {
        detail.as_ref().is_some_and(|d| {
            d.details
                .iter()
                .any(|x| x.get("reason").and_then(|r| r.as_str()) == Some(reason))
        })
    };
    match (api, status, code.as_str()) {
        (_, 429, _) => Verdict::Inconclusive {
            why: "rate limited (HTTP 429)".into(),
        },
        (_, s, _) if s >= 500 => Verdict::Inconclusive {
            why: format!("server error (HTTP {s})"),
        },
        (Api::OpenAi | Api::AzureOpenAi, 401, "mismatched_organization")
        | (Api::OpenAi | Api::AzureOpenAi, 401, "invalid_organization")
        | (Api::OpenAi | Api::AzureOpenAi, 401, "no_organization") => Verdict::OrgMismatch {
            code,
            owners: Vec::new(),
        },
        (Api::OpenAi | Api::AzureOpenAi, 401, "mismatched_project") => Verdict::ProjectMismatch,
        (Api::OpenAi, 401, "invalid_api_key") => Verdict::KeyRejected,
        // OpenAI-compatible providers have no org or project: a 401 to a
        // listing that needs only the key is about the key.
        (Api::Bearer, 401, _) => Verdict::KeyRejected,
        // Azure answers a wrong key with 401 and its own body shape.
        (Api::AzureOpenAi, 401, _) => Verdict::KeyRejected,
        // Anthropic: `{"type":"error","error":{"type":"authentication_error",…}}`.
        (Api::Anthropic, 401, _) if kind == "authentication_error" => Verdict::KeyRejected,
        // Google answers a wrong key with 400 `API_KEY_INVALID`; a 403 is a
        // key not allowed to use this API (another Google API's key).
        (Api::Gemini, 400, _) if google_reason("API_KEY_INVALID") => Verdict::KeyRejected,
        (Api::Gemini, 403, _) => Verdict::Inconclusive {
            why: "the key may not use the Gemini API (HTTP 403: another Google API's key, or the API is not enabled)".into(),
        },
        (_, s, _) => Verdict::Inconclusive {
            why: match code.as_str() {
                "" => format!("unexpected answer (HTTP {s})"),
                c => format!("unexpected answer (HTTP {s}, {c})"),
            },
        },
    }
}

/// The verdict when no response came.
pub fn transport_failure(t: &Transport) -> Verdict {
    Verdict::Inconclusive {
        why: match t {
            Transport::Timeout => "no answer before the timeout".into(),
            Transport::Unreachable(why) => format!("provider unreachable: {why}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tuple(api: Api, org: Option<&str>, project: Option<&str>, base: Option<&str>) -> Tuple {
        let (default, path) = match api {
            Api::OpenAi => (Some("https://api.openai.com/v1"), "/models"),
            Api::Anthropic => (Some("https://api.anthropic.com"), "/v1/models"),
            Api::AzureOpenAi => (None, "/openai/models?api-version=2024-10-21"),
            Api::Bearer => (Some("https://api.groq.com/openai/v1"), "/models"),
            Api::Gemini => (
                Some("https://generativelanguage.googleapis.com"),
                "/v1beta/models",
            ),
        };
        Tuple {
            api,
            key: "k-123".into(),
            org: org.map(String::from),
            project: project.map(String::from),
            base_url: base.or(default).map(String::from),
            path: path.into(),
            bearer: false,
        }
    }

    fn names(r: &Request) -> Vec<&str> {
        r.headers.iter().map(|(n, _)| *n).collect()
    }

    #[test]
    fn openai_headers_are_sent_exactly_when_the_app_sets_them() {
        let r = request(&tuple(Api::OpenAi, None, None, None)).expect("request");
        assert_eq!(r.url, "https://api.openai.com/v1/models");
        assert_eq!(names(&r), ["Authorization"]);
        assert_eq!(r.headers[0].1, "Bearer k-123");
        let r = request(&tuple(Api::OpenAi, Some("org-a"), Some("proj_b"), None)).expect("request");
        assert_eq!(
            names(&r),
            ["Authorization", "OpenAI-Organization", "OpenAI-Project"]
        );
        let r = request(&tuple(
            Api::OpenAi,
            None,
            Some("proj_b"),
            Some("https://proxy.example/v1/"),
        ))
        .expect("request");
        assert_eq!(r.url, "https://proxy.example/v1/models");
        assert_eq!(names(&r), ["Authorization", "OpenAI-Project"]);
    }

    #[test]
    fn the_note_never_shows_a_key_in_a_host() {
        // A Mistral key (no prefix) pasted as the host of a base URL.
        let key: String = "aUe6Yc3JhGf8Ds1NpKw4RzT9bV2mL7xQ".chars().rev().collect();
        let v = Verifier::new(
            Vec::new(),
            Box::new(|t| t.iter().map(|_| Verdict::Valid).collect()),
        );
        let verified = v.ask(vec![tuple(
            Api::Bearer,
            None,
            None,
            Some(&format!("https://{key}/v1")),
        )]);
        let note = verified.note(crate::provider::Providers::builtin());
        assert!(note.contains("1 to Qx7L…6eUa"), "{note}");
        assert!(!note.contains(&key[4..12]), "{note}");
    }

    #[test]
    fn anthropic_and_azure_requests() {
        let r = request(&tuple(Api::Anthropic, None, None, None)).expect("request");
        assert_eq!(r.url, "https://api.anthropic.com/v1/models");
        assert_eq!(names(&r), ["x-api-key", "anthropic-version"]);
        assert_eq!(
            request(&tuple(Api::AzureOpenAi, None, None, None)),
            Err(Refused::NoEndpoint)
        );
        let r = request(&tuple(
            Api::AzureOpenAi,
            None,
            None,
            Some("https://r.openai.azure.com"),
        ))
        .expect("request");
        assert_eq!(
            r.url,
            "https://r.openai.azure.com/openai/models?api-version=2024-10-21"
        );
        assert_eq!(names(&r), ["api-key"]);
        let mut token = tuple(Api::Anthropic, None, None, None);
        token.bearer = true;
        let r = request(&token).expect("request");
        assert_eq!(names(&r), ["Authorization", "anthropic-version"]);
        let r = request(&tuple(Api::Bearer, None, None, None)).expect("request");
        assert_eq!(r.url, "https://api.groq.com/openai/v1/models");
        assert_eq!(names(&r), ["Authorization"]);
    }

    #[test]
    fn the_owner_lookup_sends_the_key_alone() {
        let t = tuple(Api::OpenAi, Some("org-a"), Some("proj_b"), None);
        let r = owner_request(&t).expect("request");
        assert_eq!(r.url, "https://api.openai.com/v1/me");
        assert_eq!(names(&r), ["Authorization"]);
        assert_eq!(
            owner_request(&tuple(Api::Anthropic, None, None, None)),
            None
        );
        let body = br#"{"object":"user","orgs":{"object":"list","data":[{"id":"org-Abc123","is_default":true},{"id":"evil<script>"},{"title":"x"}]}}"#;
        assert_eq!(owner_orgs(body), ["org-Abc123"]);
        assert!(owner_orgs(b"not json").is_empty());
    }

    #[test]
    fn api_base_parses_one_provider_or_all() {
        assert_eq!(
            ApiBase::parse("openai=https://proxy.example/v1"),
            Ok(ApiBase {
                provider: Some("openai".into()),
                url: "https://proxy.example/v1".into()
            })
        );
        assert_eq!(
            ApiBase::parse("http://127.0.0.1:4000/v1?x=1").map(|b| b.provider),
            Ok(None)
        );
        assert!(ApiBase::parse("http://proxy.internal/v1").is_err());
        assert!(ApiBase::parse("openai=proxy").is_err());
        assert_eq!(
            host_of(
                "https://user@r.openai.azure.com:443/x",
                crate::provider::Providers::builtin()
            ),
            "r.openai.azure.com:443"
        );
    }

    #[test]
    fn keys_travel_over_https_or_to_loopback_only() {
        for ok in [
            "https://api.example.com/v1",
            "http://localhost:8080/v1",
            "http://127.0.0.1:4000",
            "http://[::1]:9/v1",
        ] {
            assert!(check_transport(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            check_transport("http://proxy.internal:8080/v1"),
            Err(Refused::Insecure("proxy.internal".into()))
        );
        assert_eq!(
            check_transport("http://localhost.evil.com/v1"),
            Err(Refused::Insecure("localhost.evil.com".into()))
        );
        assert_eq!(
            check_transport("http://user@evil.com@127.0.0.1.nip.io/"),
            Err(Refused::Insecure("127.0.0.1.nip.io".into()))
        );
        assert!(matches!(
            check_transport("ftp://x"),
            Err(Refused::BadUrl(_))
        ));
        assert!(matches!(
            check_transport("api.openai.com"),
            Err(Refused::BadUrl(_))
        ));
    }

    /// The exact bodies of credential-surface.md §3.1.
    fn openai_error(code: Option<&str>, message: &str) -> Vec<u8> {
        serde_json::json!({"error": {"message": message, "type": "invalid_request_error", "param": null, "code": code}})
            .to_string()
            .into_bytes()
    }

    #[test]
    fn openai_401_bodies() {
        let key = openai_error(
            Some("invalid_api_key"),
            "Incorrect API key provided: sk-PMafP*****E873. You can find your API key at https://platform.openai.com/account/api-keys.",
        );
        assert_eq!(classify(Api::OpenAi, 401, &key), Verdict::KeyRejected);
        let org = openai_error(
            Some("mismatched_organization"),
            "OpenAI-Organization header should match organization for API key",
        );
        assert_eq!(
            classify(Api::OpenAi, 401, &org),
            Verdict::OrgMismatch {
                code: "mismatched_organization".into(),
                owners: Vec::new(),
            }
        );
        let project = openai_error(
            Some("mismatched_project"),
            "OpenAI-Project header should match project for API key",
        );
        assert_eq!(
            classify(Api::OpenAi, 401, &project),
            Verdict::ProjectMismatch
        );
        for code in ["invalid_organization", "no_organization"] {
            assert_eq!(
                classify(Api::OpenAi, 401, &openai_error(Some(code), "")),
                Verdict::OrgMismatch {
                    code: code.into(),
                    owners: Vec::new()
                }
            );
        }
        // No key sent: `code: null`; not a verdict about the key.
        let none = openai_error(None, "You didn't provide an API key.");
        assert!(matches!(
            classify(Api::OpenAi, 401, &none),
            Verdict::Inconclusive { .. }
        ));
        // 403 model access is not an auth verdict either.
        let model = openai_error(
            Some("model_not_found"),
            "Project `proj_x` does not have access",
        );
        assert!(matches!(
            classify(Api::OpenAi, 403, &model),
            Verdict::Inconclusive { .. }
        ));
    }

    #[test]
    fn inconclusive_answers_and_transport_failures() {
        assert_eq!(classify(Api::OpenAi, 200, b"{\"data\":[]}"), Verdict::Valid);
        for s in [429, 500, 502, 503] {
            assert!(
                matches!(classify(Api::OpenAi, s, b""), Verdict::Inconclusive { .. }),
                "{s}"
            );
        }
        assert!(matches!(
            classify(Api::OpenAi, 401, b"<html>"),
            Verdict::Inconclusive { .. }
        ));
        assert!(matches!(
            transport_failure(&Transport::Timeout),
            Verdict::Inconclusive { .. }
        ));
        let anthropic = br#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#;
        assert_eq!(
            classify(Api::Anthropic, 401, anthropic),
            Verdict::KeyRejected
        );
        assert_eq!(
            classify(Api::AzureOpenAi, 401, b"{\"error\":{\"code\":\"401\"}}"),
            Verdict::KeyRejected
        );
        let google = |reason: &str| {
            serde_json::json!({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT",
                "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason, "domain": "googleapis.com"}]}})
            .to_string()
            .into_bytes()
        };
        assert_eq!(
            classify(Api::Gemini, 400, &google("API_KEY_INVALID")),
            Verdict::KeyRejected
        );
        assert!(matches!(
            classify(Api::Gemini, 403, &google("SERVICE_DISABLED")),
            Verdict::Inconclusive { .. }
        ));
        let r = request(&tuple(Api::Gemini, None, None, None)).expect("request");
        assert_eq!(
            r.url,
            "https://generativelanguage.googleapis.com/v1beta/models"
        );
        assert_eq!(names(&r), ["x-goog-api-key"]);
    }

    #[test]
    fn the_provider_message_is_not_kept() {
        let body = openai_error(
            Some("weird_code"),
            "Incorrect API key provided: sk-PMafP*****E873",
        );
        let v = classify(Api::OpenAi, 401, &body);
        assert!(!format!("{v:?}").contains("E873"));
    }
}
