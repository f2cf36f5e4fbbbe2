//! A mock LLM provider on loopback for `--verify` tests: it answers like the
//! real APIs (the exact 401 bodies of credential-surface.md §3.1) according
//! to the key, organization and project it receives, and records every
//! request. Every provider shape is served at once, told apart by the
//! credential header: `Authorization: Bearer` (OpenAI and OpenAI-compatible
//! providers, `GET …/models`, `GET …/me`), `x-api-key` (Anthropic),
//! `api-key` (Azure OpenAI) and `x-goog-api-key` (Gemini).
//!
//! The key table (the keys are made up, in the real formats):
//! - [`PROJECT_KEY`] belongs to [`ORG_A`] / [`PROJ_A`];
//! - [`USER_KEY`] belongs to [`ORG_A`] (default) and [`ORG_C`], and may
//!   send [`PROJ_A`];
//! - [`LIMITED_KEY`] and `sk-limited` are always rate limited (429);
//!   `sk-once-limited` only the first time (with `Retry-After: 0`);
//! - `sk-slow` answers after 3 s; `sk-redirect` answers 302; `sk-down`
//!   503; `sk-no-org` belongs to no organization (`no_organization`); an
//!   organization header that is no org ID is `invalid_organization`;
//! - [`ANTHROPIC_KEY`], [`AZURE_KEY`] and [`GEMINI_KEY`] are live; every other key is
//!   revoked (`invalid_api_key`, or the provider's equivalent).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const PROJECT_KEY: &str = "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";
pub const USER_KEY: &str = "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";
pub const REVOKED_KEY: &str = "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";
pub const LIMITED_KEY: &str = "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";
pub const ANTHROPIC_KEY: &str = "sk-ant-api03-xuI5aHUQPFeNBTxaQWk8JzFalHlsZfYcMMDktXP-tKsf2rcDkdfrUnW5gcF_Ha6ili8GjHEAD6-Wj9KfzjsQGMrb9h_ImAA";
pub const AZURE_KEY: &str = "4ff39c11b9bc04025e4d3b1bb3a3f57f";
pub const GEMINI_KEY: &str = "AIzaGTd7FguoV8FWnFbB0JxXujr4qqaaABvvLOz";
pub const ORG_A: &str = "org-YgojjHRg80USP2W5DfJXcaYi";
pub const ORG_B: &str = "org-oK6cPTt9iOqHOBSWhgetH8Lm";
pub const ORG_C: &str = "org-GPb1a2dWsAnpGk9dsdrgeiCy";
pub const PROJ_A: &str = "proj_yqoYMaaItDr9uP14pEHpJpb9";
pub const PROJ_B: &str = "proj_0kOoe9IzDeMUjpHXh2SPkbbo";

/// One request the mock received: its path (with query) and headers
/// (lower-case names).
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub headers: HashMap<String, String>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// A running mock; stops when dropped.
pub struct Mock {
    /// `http://127.0.0.1:PORT`.
    pub root: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    server: Arc<tiny_http::Server>,
}

impl Mock {
    pub fn start() -> Mock {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("mock binds"));
        let root = format!(
            "http://{}",
            server.server_addr().to_ip().expect("an IP address")
        );
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let (srv, log) = (server.clone(), seen.clone());
        std::thread::spawn(move || {
            for req in srv.incoming_requests() {
                let log = log.clone();
                std::thread::spawn(move || respond(req, &log));
            }
        });
        Mock { root, seen, server }
    }

    /// The OpenAI-style base URL (`…/v1`).
    pub fn base(&self) -> String {
        format!("{}/v1", self.root)
    }

    /// Every request received so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("mock log").clone()
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

fn respond(req: tiny_http::Request, log: &Mutex<Vec<Seen>>) {
    let seen = Seen {
        path: req.url().to_string(),
        headers: req
            .headers()
            .iter()
            .map(|h| {
                (
                    h.field.as_str().as_str().to_ascii_lowercase(),
                    h.value.as_str().to_string(),
                )
            })
            .collect(),
    };
    let calls = {
        let mut l = log.lock().expect("mock log");
        l.push(seen.clone());
        l.iter()
            .filter(|s| s.header("authorization") == seen.header("authorization"))
            .count()
    };
    let (status, extra, body) = answer(&seen, calls);
    let mut resp = tiny_http::Response::from_string(body)
        .with_status_code(status)
        .with_header(
            tiny_http::Header::from_bytes("Content-Type", "application/json").expect("header"),
        );
    if let Some((name, value)) = extra {
        resp = resp.with_header(tiny_http::Header::from_bytes(name, value).expect("header"));
    }
    let _ = req.respond(resp);
}

fn openai_error(code: &str, message: &str) -> String {
    serde_json::json!({"error": {"message": message, "type": "invalid_request_error", "param": null, "code": code}})
        .to_string()
}

type Answer = (u16, Option<(&'static str, &'static str)>, String);

fn ok() -> Answer {
    (200, None, r#"{"object":"list","data":[]}"#.into())
}

fn answer(req: &Seen, calls: usize) -> Answer {
    if let Some(key) = req.header("x-api-key") {
        return if key == ANTHROPIC_KEY {
            ok()
        } else {
            (
                401,
                None,
                r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#.into(),
            )
        };
    }
    if let Some(key) = req.header("x-goog-api-key") {
        return if key == GEMINI_KEY {
            ok()
        } else {
            (
                400,
                None,
                r#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}]}}"#.into(),
            )
        };
    }
    if let Some(key) = req.header("api-key") {
        return if key == AZURE_KEY && req.path.contains("api-version=") {
            ok()
        } else {
            (
                401,
                None,
                r#"{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}}"#.into(),
            )
        };
    }
    let key = req
        .header("authorization")
        .and_then(|a| a.strip_prefix("Bearer "))
        .unwrap_or("");
    let (orgs, projects): (&[&str], &[&str]) = match key {
        "sk-limited" => return limited(None),
        k if k == LIMITED_KEY => return limited(None),
        "sk-once-limited" if calls == 1 => return limited(Some(("Retry-After", "0"))),
        "sk-slow" => {
            std::thread::sleep(Duration::from_secs(3));
            return ok();
        }
        "sk-redirect" => {
            return (
                302,
                Some(("Location", "http://127.0.0.1:9/")),
                String::new(),
            );
        }
        "sk-down" => return (503, None, openai_error("server_error", "overloaded")),
        "sk-no-org" => {
            return unauthorized(
                "no_organization",
                "You must be a member of an organization to use the API. Please contact us through our help center at help.openai.com.",
            );
        }
        "sk-good" | "sk-once-limited" => (&["org-A"], &["proj_A"]),
        k if k == USER_KEY => (&[ORG_A, ORG_C], &[PROJ_A]),
        k if k == PROJECT_KEY => (&[ORG_A], &[PROJ_A]),
        _ => {
            return unauthorized(
                "invalid_api_key",
                "Incorrect API key provided: sk-revo*****oked. You can find your API key at https://platform.openai.com/account/api-keys.",
            );
        }
    };
    if req.path.ends_with("/me") {
        let data: Vec<_> = orgs
            .iter()
            .enumerate()
            .map(|(i, id)| serde_json::json!({"object": "organization", "id": id, "is_default": i == 0}))
            .collect();
        let body = serde_json::json!({"object": "user", "orgs": {"object": "list", "data": data}});
        return (200, None, body.to_string());
    }
    if let Some(name) = req
        .header("openai-organization")
        .filter(|o| !o.starts_with("org-"))
    {
        return unauthorized(
            "invalid_organization",
            &format!("No such organization: {name}."),
        );
    }
    if req
        .header("openai-organization")
        .is_some_and(|o| !orgs.contains(&o))
    {
        return unauthorized(
            "mismatched_organization",
            "OpenAI-Organization header should match organization for API key",
        );
    }
    if req
        .header("openai-project")
        .is_some_and(|p| !projects.contains(&p))
    {
        return unauthorized(
            "mismatched_project",
            "OpenAI-Project header should match project for API key",
        );
    }
    ok()
}

/// A 401 with OpenAI's error body.
fn unauthorized(code: &str, message: &str) -> Answer {
    (401, None, openai_error(code, message))
}

fn limited(extra: Option<(&'static str, &'static str)>) -> Answer {
    (
        429,
        extra,
        openai_error("rate_limit_exceeded", "Rate limit reached"),
    )
}
