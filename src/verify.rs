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

/// Which API shape a tuple is verified against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    OpenAi,
    Anthropic,
    AzureOpenAi,
}

/// One distinct credential tuple as the app would send it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tuple {
    pub api: Api,
    pub key: String,
    pub org: Option<String>,
    pub project: Option<String>,
    /// The scope's base URL, or `None` for the provider's default.
    pub base_url: Option<String>,
}

/// An HTTP request to make (GET).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub url: String,
    /// Header names and values; the key is among the values, so a request
    /// is never printed or logged.
    pub headers: Vec<(&'static str, String)>,
}

/// The Azure OpenAI data-plane API version sent with the models listing.
pub const AZURE_API_VERSION: &str = "2024-10-21";
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

/// The request that verifies `t`: a cheap authenticated, read-only listing.
pub fn request(t: &Tuple) -> Result<Request, Refused> {
    let base = match (&t.base_url, t.api) {
        (Some(b), _) => b.trim_end_matches('/').to_string(),
        (None, Api::OpenAi) => "https://api.openai.com/v1".to_string(),
        (None, Api::Anthropic) => "https://api.anthropic.com".to_string(),
        (None, Api::AzureOpenAi) => return Err(Refused::NoEndpoint),
    };
    check_transport(&base)?;
    let mut headers = Vec::new();
    let url = match t.api {
        Api::OpenAi => {
            headers.push(("Authorization", format!("Bearer {}", t.key)));
            if let Some(org) = &t.org {
                headers.push(("OpenAI-Organization", org.clone()));
            }
            if let Some(project) = &t.project {
                headers.push(("OpenAI-Project", project.clone()));
            }
            format!("{base}/models")
        }
        Api::Anthropic => {
            headers.push(("x-api-key", t.key.clone()));
            headers.push(("anthropic-version", ANTHROPIC_VERSION.to_string()));
            // The SDK's base URL has no `/v1`; its paths do.
            format!("{base}/v1/models")
        }
        Api::AzureOpenAi => {
            headers.push(("api-key", t.key.clone()));
            format!("{base}/openai/models?api-version={AZURE_API_VERSION}")
        }
    };
    Ok(Request { url, headers })
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
    /// (`no_organization`).
    OrgMismatch { code: String },
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
    match (api, status, code.as_str()) {
        (_, 429, _) => Verdict::Inconclusive {
            why: "rate limited (HTTP 429)".into(),
        },
        (_, s, _) if s >= 500 => Verdict::Inconclusive {
            why: format!("server error (HTTP {s})"),
        },
        (Api::OpenAi | Api::AzureOpenAi, 401, "mismatched_organization")
        | (Api::OpenAi | Api::AzureOpenAi, 401, "invalid_organization")
        | (Api::OpenAi | Api::AzureOpenAi, 401, "no_organization") => Verdict::OrgMismatch { code },
        (Api::OpenAi | Api::AzureOpenAi, 401, "mismatched_project") => Verdict::ProjectMismatch,
        (Api::OpenAi, 401, "invalid_api_key") => Verdict::KeyRejected,
        // Azure answers a wrong key with 401 and its own body shape.
        (Api::AzureOpenAi, 401, _) => Verdict::KeyRejected,
        // Anthropic: `{"type":"error","error":{"type":"authentication_error",…}}`.
        (Api::Anthropic, 401, _) if kind == "authentication_error" => Verdict::KeyRejected,
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
        Tuple {
            api,
            key: "k-123".into(),
            org: org.map(String::from),
            project: project.map(String::from),
            base_url: base.map(String::from),
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
            format!("https://r.openai.azure.com/openai/models?api-version={AZURE_API_VERSION}")
        );
        assert_eq!(names(&r), ["api-key"]);
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
                code: "mismatched_organization".into()
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
                Verdict::OrgMismatch { code: code.into() }
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
