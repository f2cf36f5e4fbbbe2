//! `credlint::verify` against a mock provider on loopback that answers
//! like the real APIs (the exact bodies of credential-surface.md §3.1)
//! according to the key, org and project it receives.

#![cfg(feature = "verify")]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use credlint::verify::http::{Options, send_all};
use credlint::verify::{Api, Tuple, Verdict, request};

type Seen = Arc<Mutex<Vec<(String, HashMap<String, String>)>>>;

fn error(code: &str, message: &str) -> String {
    serde_json::json!({"error": {"message": message, "type": "invalid_request_error", "param": null, "code": code}})
        .to_string()
}

/// An OpenAI-like provider: key `sk-good` belongs to `org-A` / `proj_A`.
fn answer(path: &str, h: &HashMap<String, String>, calls: usize) -> (u16, String, String) {
    let none = String::new();
    let auth = h.get("authorization").unwrap_or(&none);
    if path.starts_with("/v1/models") && h.contains_key("x-api-key") {
        return match h.get("x-api-key").map(String::as_str) {
            Some("sk-ant-good") => (200, String::new(), "{\"data\":[]}".into()),
            _ => (
                401,
                String::new(),
                r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#.into(),
            ),
        };
    }
    match auth.as_str() {
        "Bearer sk-limited" => {
            return (
                429,
                String::new(),
                error("rate_limit_exceeded", "slow down"),
            );
        }
        "Bearer sk-once-limited" if calls == 1 => {
            return (
                429,
                "Retry-After: 0\r\n".into(),
                error("rate_limit_exceeded", "slow down"),
            );
        }
        "Bearer sk-once-limited" => return (200, String::new(), "{\"data\":[]}".into()),
        "Bearer sk-slow" => {
            std::thread::sleep(Duration::from_secs(3));
            return (200, String::new(), "{}".into());
        }
        "Bearer sk-redirect" => {
            return (
                302,
                "Location: http://127.0.0.1:9/\r\n".into(),
                String::new(),
            );
        }
        "Bearer sk-good" => {}
        _ => {
            return (
                401,
                String::new(),
                error(
                    "invalid_api_key",
                    "Incorrect API key provided: sk-revo*****oked. You can find your API key at https://platform.openai.com/account/api-keys.",
                ),
            );
        }
    }
    if h.get("openai-organization").is_some_and(|o| o != "org-A") {
        return (
            401,
            String::new(),
            error(
                "mismatched_organization",
                "OpenAI-Organization header should match organization for API key",
            ),
        );
    }
    if h.get("openai-project").is_some_and(|p| p != "proj_A") {
        return (
            401,
            String::new(),
            error(
                "mismatched_project",
                "OpenAI-Project header should match project for API key",
            ),
        );
    }
    (
        200,
        String::new(),
        "{\"object\":\"list\",\"data\":[]}".into(),
    )
}

/// Start the mock; its base URL and what it received.
fn mock() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let seen: Seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let log = log.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut first = String::new();
                if reader.read_line(&mut first).is_err() {
                    return;
                }
                let path = first.split_whitespace().nth(1).unwrap_or("").to_string();
                let mut headers = HashMap::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some((n, v)) = line.trim_end().split_once(':') {
                        headers.insert(n.trim().to_ascii_lowercase(), v.trim().to_string());
                    }
                }
                let calls = {
                    let mut l = log.lock().expect("log");
                    l.push((path.clone(), headers.clone()));
                    let auth = headers.get("authorization");
                    l.iter()
                        .filter(|(_, h)| h.get("authorization") == auth)
                        .count()
                };
                let (status, extra, body) = answer(&path, &headers, calls);
                let mut out = stream;
                let _ = write!(
                    out,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{body}",
                    body.len()
                );
            });
        }
    });
    (format!("http://{addr}/v1"), seen)
}

fn openai(base: &str, key: &str, org: Option<&str>, project: Option<&str>) -> Tuple {
    Tuple {
        api: Api::OpenAi,
        key: key.into(),
        org: org.map(String::from),
        project: project.map(String::from),
        base_url: Some(base.into()),
    }
}

fn verify(tuples: &[Tuple], opts: &Options) -> Vec<Verdict> {
    let reqs: Vec<_> = tuples
        .iter()
        .map(|t| (t.api, request(t).expect("request")))
        .collect();
    send_all(&reqs, opts, &|| {})
}

fn quick() -> Options {
    Options {
        timeout: Duration::from_millis(700),
        concurrency: 4,
        backoff: Duration::from_millis(10),
    }
}

#[test]
fn each_pairing_gets_its_verdict() {
    let (base, seen) = mock();
    let got = verify(
        &[
            openai(&base, "sk-good", Some("org-A"), Some("proj_A")),
            openai(&base, "sk-good", Some("org-B"), None),
            openai(&base, "sk-good", None, Some("proj_B")),
            openai(&base, "sk-revoked", None, None),
            openai(&base, "sk-limited", None, None),
        ],
        &quick(),
    );
    assert_eq!(got[0], Verdict::Valid);
    assert_eq!(
        got[1],
        Verdict::OrgMismatch {
            code: "mismatched_organization".into()
        }
    );
    assert_eq!(got[2], Verdict::ProjectMismatch);
    assert_eq!(got[3], Verdict::KeyRejected);
    assert!(matches!(got[4], Verdict::Inconclusive { .. }));
    // The rate-limited key was retried once, not more.
    let seen = seen.lock().expect("seen");
    let limited = seen
        .iter()
        .filter(|(_, h)| h.get("authorization").map(String::as_str) == Some("Bearer sk-limited"))
        .count();
    assert_eq!(limited, 2);
    assert!(seen.iter().all(|(p, _)| p == "/v1/models"));
}

#[test]
fn headers_are_sent_exactly_as_the_sdk_would() {
    let (base, seen) = mock();
    verify(
        &[
            openai(&base, "sk-good", None, None),
            openai(&base, "sk-good", Some("org-A"), Some("proj_A")),
        ],
        &Options {
            concurrency: 1,
            ..quick()
        },
    );
    let seen = seen.lock().expect("seen");
    let (bare, full) = (&seen[0].1, &seen[1].1);
    assert!(!bare.contains_key("openai-organization") && !bare.contains_key("openai-project"));
    assert_eq!(
        full.get("openai-organization").map(String::as_str),
        Some("org-A")
    );
    assert_eq!(
        full.get("openai-project").map(String::as_str),
        Some("proj_A")
    );

    let (root, seen) = mock();
    let anthropic = Tuple {
        api: Api::Anthropic,
        key: "sk-ant-good".into(),
        org: None,
        project: None,
        base_url: Some(root.trim_end_matches("/v1").to_string()),
    };
    assert_eq!(verify(&[anthropic], &quick()), [Verdict::Valid]);
    let seen = seen.lock().expect("seen");
    assert_eq!(seen[0].0, "/v1/models");
    assert_eq!(
        seen[0].1.get("anthropic-version").map(String::as_str),
        Some("2023-06-01")
    );
    assert!(!seen[0].1.contains_key("authorization"));
}

#[test]
fn a_429_is_retried_once_after_retry_after() {
    let (base, seen) = mock();
    let got = verify(&[openai(&base, "sk-once-limited", None, None)], &quick());
    assert_eq!(got, [Verdict::Valid]);
    assert_eq!(seen.lock().expect("seen").len(), 2);
}

#[test]
fn timeouts_unreachable_hosts_and_redirects_are_inconclusive() {
    let (base, seen) = mock();
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}/v1", l.local_addr().expect("addr"))
    };
    let got = verify(
        &[
            openai(&base, "sk-slow", None, None),
            openai(&closed, "sk-good", None, None),
            openai(&base, "sk-redirect", None, None),
        ],
        &quick(),
    );
    for v in &got {
        assert!(matches!(v, Verdict::Inconclusive { .. }), "{got:?}");
    }
    // The redirect was not followed with the key.
    let redirected = seen
        .lock()
        .expect("seen")
        .iter()
        .filter(|(_, h)| h.get("authorization").map(String::as_str) == Some("Bearer sk-redirect"))
        .count();
    assert_eq!(redirected, 1);
    // Nothing of a key in a verdict.
    assert!(!format!("{got:?}").contains("sk-"));
}
