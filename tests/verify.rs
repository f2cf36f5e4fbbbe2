//! `credlint::verify` against a mock provider on loopback that answers
//! like the real APIs (the exact bodies of credential-surface.md §3.1)
//! according to the key, org and project it receives.

#![cfg(feature = "verify")]

use std::net::TcpListener;
use std::time::Duration;

mod common;

use common::mock::Mock;
use credlint::verify::http::{Options, verify_all};
use credlint::verify::{Api, Tuple, Verdict};

fn openai(base: &str, key: &str, org: Option<&str>, project: Option<&str>) -> Tuple {
    Tuple {
        api: Api::OpenAi,
        key: key.into(),
        org: org.map(String::from),
        project: project.map(String::from),
        base_url: Some(base.into()),
        path: "/models".into(),
        bearer: false,
    }
}

fn verify(tuples: &[Tuple], opts: &Options) -> Vec<Verdict> {
    verify_all(
        tuples,
        opts,
        credlint::provider::Providers::builtin(),
        &|| {},
    )
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
    let mock = Mock::start();
    let base = mock.base();
    let got = verify(
        &[
            openai(&base, "sk-good", Some("org-A"), Some("proj_A")),
            openai(&base, "sk-good", Some("org-B"), None),
            openai(&base, "sk-good", None, Some("proj_B")),
            openai(&base, "sk-revoked", None, None),
            openai(&base, "sk-limited", None, None),
            openai(&base, "sk-good", Some("Personal"), None),
            openai(&base, "sk-no-org", None, None),
            openai(&base, "sk-down", None, None),
        ],
        &quick(),
    );
    let org_code = |v: &Verdict| match v {
        Verdict::OrgMismatch { code, .. } => code.clone(),
        v => format!("{v:?}"),
    };
    assert_eq!(org_code(&got[5]), "invalid_organization");
    assert_eq!(org_code(&got[6]), "no_organization");
    assert_eq!(
        got[7],
        Verdict::Inconclusive {
            why: "server error (HTTP 503)".into()
        }
    );
    assert_eq!(got[0], Verdict::Valid);
    // The key alone asked which organizations it belongs to.
    assert_eq!(
        got[1],
        Verdict::OrgMismatch {
            code: "mismatched_organization".into(),
            owners: vec!["org-A".into()],
        }
    );
    assert_eq!(got[2], Verdict::ProjectMismatch);
    assert_eq!(got[3], Verdict::KeyRejected);
    assert!(matches!(got[4], Verdict::Inconclusive { .. }));
    let seen = mock.seen();
    // The rate-limited key was retried once, not more.
    let limited = seen
        .iter()
        .filter(|s| s.header("authorization") == Some("Bearer sk-limited"))
        .count();
    assert_eq!(limited, 2);
    // The owner lookup follows each organization verdict, with the key alone.
    let me: Vec<_> = seen.iter().filter(|s| s.path == "/v1/me").collect();
    assert_eq!(me.len(), 3);
    assert_eq!(me[0].header("openai-organization"), None);
    assert!(
        seen.iter()
            .all(|s| s.path == "/v1/models" || s.path == "/v1/me")
    );
}

#[test]
fn headers_are_sent_exactly_as_the_sdk_would() {
    let mock = Mock::start();
    let base = mock.base();
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
    let seen = mock.seen();
    let (bare, full) = (&seen[0], &seen[1]);
    assert!(
        bare.header("openai-organization").is_none() && bare.header("openai-project").is_none()
    );
    assert_eq!(full.header("openai-organization"), Some("org-A"));
    assert_eq!(full.header("openai-project"), Some("proj_A"));

    let mock = Mock::start();
    let anthropic = |key: &str, bearer: bool| Tuple {
        api: Api::Anthropic,
        key: key.into(),
        org: None,
        project: None,
        base_url: Some(mock.root.clone()),
        path: "/v1/models".into(),
        bearer,
    };
    let got = verify(
        &[
            anthropic(common::mock::ANTHROPIC_KEY, false),
            anthropic("sk-ant-api03-revoked", true),
        ],
        &Options {
            concurrency: 1,
            ..quick()
        },
    );
    assert_eq!(got[0], Verdict::Valid);
    let seen = mock.seen();
    assert_eq!(seen[0].path, "/v1/models");
    assert_eq!(seen[0].header("anthropic-version"), Some("2023-06-01"));
    assert!(seen[0].header("authorization").is_none());
    // ANTHROPIC_AUTH_TOKEN travels as a bearer token.
    assert_eq!(
        seen[1].header("authorization"),
        Some("Bearer sk-ant-api03-revoked")
    );
    assert!(seen[1].header("x-api-key").is_none());

    let mock = Mock::start();
    let azure = |key: &str| Tuple {
        api: Api::AzureOpenAi,
        key: key.into(),
        org: None,
        project: None,
        base_url: Some(mock.root.clone()),
        path: "/openai/models?api-version=2024-10-21".into(),
        bearer: false,
    };
    let got = verify(
        &[
            azure(common::mock::AZURE_KEY),
            azure("0123456789abcdef0123456789abcdef"),
        ],
        &quick(),
    );
    assert_eq!(got, [Verdict::Valid, Verdict::KeyRejected]);
    assert!(mock.seen().iter().all(
        |s| s.header("api-key").is_some() && s.path == "/openai/models?api-version=2024-10-21"
    ));
}

#[test]
fn a_429_is_retried_once_after_retry_after() {
    let mock = Mock::start();
    let got = verify(
        &[openai(&mock.base(), "sk-once-limited", None, None)],
        &quick(),
    );
    assert_eq!(got, [Verdict::Valid]);
    assert_eq!(mock.seen().len(), 2);
}

#[test]
fn timeouts_unreachable_hosts_and_redirects_are_inconclusive() {
    let mock = Mock::start();
    let base = mock.base();
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}/v1", l.local_addr().expect("addr"))
    };
    let got = verify(
        &[
            openai(&base, "sk-slow", None, None),
            openai(&closed, "sk-good", None, None),
            openai(&base, "sk-redirect", None, None),
            openai("http://192.0.2.1/v1", "sk-good", None, None),
        ],
        &quick(),
    );
    for v in &got {
        assert!(matches!(v, Verdict::Inconclusive { .. }), "{got:?}");
    }
    // Plain http off this machine is refused before any connection.
    assert!(matches!(&got[3], Verdict::Inconclusive { why } if why.starts_with("not sent")));
    // The redirect was not followed with the key.
    let redirected = mock
        .seen()
        .iter()
        .filter(|s| s.header("authorization") == Some("Bearer sk-redirect"))
        .count();
    assert_eq!(redirected, 1);
    // Nothing of a key in a verdict.
    assert!(!format!("{got:?}").contains("sk-"));
}
