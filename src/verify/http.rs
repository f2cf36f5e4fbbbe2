//! Sending verification requests (the `verify` cargo feature): one ureq
//! agent over rustls, a bounded number of requests at a time, a
//! per-request timeout, one retry on 429, no redirects (a redirect would
//! carry the key's header to another address).

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::{
    Request, Transport, Tuple, Verdict, classify, owner_orgs, owner_request, request,
    transport_failure,
};

/// How requests are sent.
#[derive(Debug, Clone)]
pub struct Options {
    /// For one request, connection to the last byte.
    pub timeout: Duration,
    /// Requests in flight at once (at most 4 are used).
    pub concurrency: usize,
    /// The wait before the one retry after a 429 without `Retry-After`;
    /// a `Retry-After` is honoured up to 5 seconds.
    pub backoff: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: super::DEFAULT_TIMEOUT,
            concurrency: 4,
            backoff: Duration::from_secs(1),
        }
    }
}

/// The most a verdict reads of a response body.
const BODY_LIMIT: u64 = 64 * 1024;

/// Verify every tuple; one verdict per tuple, in order. `done` is called
/// after each (for a progress line). A tuple that may not be sent (plain
/// HTTP off this machine, no endpoint) is inconclusive without a request;
/// its reason redacts what looks like a key of `providers`.
pub fn verify_all(
    tuples: &[Tuple],
    opts: &Options,
    providers: &crate::provider::Providers,
    done: &(dyn Fn() + Sync),
) -> Vec<Verdict> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<Verdict>>> = Mutex::new(vec![None; tuples.len()]);
    let workers = opts.concurrency.clamp(1, 4).min(tuples.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(t) = tuples.get(i) else {
                        break;
                    };
                    let v = verify_one(&agent, t, opts, providers);
                    if let Ok(mut o) = out.lock() {
                        o[i] = Some(v);
                    }
                    done();
                }
            });
        }
    });
    out.into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|v| {
            v.unwrap_or_else(|| Verdict::Inconclusive {
                why: "not sent".into(),
            })
        })
        .collect()
}

fn verify_one(
    agent: &ureq::Agent,
    t: &Tuple,
    opts: &Options,
    providers: &crate::provider::Providers,
) -> Verdict {
    let req = match request(t) {
        Ok(r) => r,
        Err(refused) => {
            return Verdict::Inconclusive {
                why: refused.why(providers),
            };
        }
    };
    let verdict = match send(agent, &req, opts) {
        Ok((status, body)) => classify(t.api, status, &body),
        Err(v) => v,
    };
    match verdict {
        // Which organizations the key does belong to: the fix.
        Verdict::OrgMismatch { code, .. } => {
            let owners = owner_request(t)
                .and_then(|r| send(agent, &r, opts).ok())
                .filter(|(status, _)| *status == 200)
                .map(|(_, body)| owner_orgs(&body))
                .unwrap_or_default();
            Verdict::OrgMismatch { code, owners }
        }
        v => v,
    }
}

/// One GET, retried once after a 429: the final status and body, or the
/// verdict of a transport failure.
fn send(agent: &ureq::Agent, req: &Request, opts: &Options) -> Result<(u16, Vec<u8>), Verdict> {
    for attempt in 0..2 {
        let mut call = agent.get(&req.url);
        for (name, value) in &req.headers {
            call = call.header(*name, value.as_str());
        }
        match call.call() {
            Ok(mut resp) => {
                let status = resp.status().as_u16();
                if status == 429 && attempt == 0 {
                    let wait = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map_or(opts.backoff, |s| Duration::from_secs(s.min(5)));
                    std::thread::sleep(wait);
                    continue;
                }
                let body = resp
                    .body_mut()
                    .with_config()
                    .limit(BODY_LIMIT)
                    .read_to_vec()
                    .unwrap_or_default();
                return Ok((status, body));
            }
            Err(ureq::Error::Timeout(_)) => return Err(transport_failure(&Transport::Timeout)),
            Err(e) => return Err(transport_failure(&Transport::Unreachable(reason(&e)))),
        }
    }
    Err(Verdict::Inconclusive {
        why: "rate limited (HTTP 429)".into(),
    })
}

/// What went wrong, without anything of the request (headers hold the key).
fn reason(e: &ureq::Error) -> String {
    match e {
        ureq::Error::HostNotFound => "host not found".into(),
        ureq::Error::ConnectionFailed => "connection failed".into(),
        // Socket errors say nothing of the request; the resolver's text
        // ("Temporary failure in name resolution") says more than its kind.
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::TimedOut => io.kind().to_string(),
            _ => io.to_string().chars().take(120).collect(),
        },
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => "TLS error".into(),
        _ => "request failed".into(),
    }
}
