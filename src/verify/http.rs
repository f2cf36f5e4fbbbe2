//! Sending verification requests (the `verify` cargo feature): one ureq
//! agent over rustls, a bounded number of requests at a time, a
//! per-request timeout, one retry on 429, no redirects (a redirect would
//! carry the key's header to another address).

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::{Api, Request, Transport, Verdict, classify, transport_failure};

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
            timeout: Duration::from_secs(10),
            concurrency: 4,
            backoff: Duration::from_secs(1),
        }
    }
}

/// The most a verdict reads of a response body.
const BODY_LIMIT: u64 = 64 * 1024;

/// Send every request; one verdict per request, in order. `done` is
/// called after each (for a progress line).
pub fn send_all(
    requests: &[(Api, Request)],
    opts: &Options,
    done: &(dyn Fn() + Sync),
) -> Vec<Verdict> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<Verdict>>> = Mutex::new(vec![None; requests.len()]);
    let workers = opts.concurrency.clamp(1, 4).min(requests.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((api, req)) = requests.get(i) else {
                        break;
                    };
                    let v = send_one(&agent, *api, req, opts);
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

fn send_one(agent: &ureq::Agent, api: Api, req: &Request, opts: &Options) -> Verdict {
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
                return classify(api, status, &body);
            }
            Err(ureq::Error::Timeout(_)) => return transport_failure(&Transport::Timeout),
            Err(e) => return transport_failure(&Transport::Unreachable(reason(&e))),
        }
    }
    Verdict::Inconclusive {
        why: "rate limited (HTTP 429)".into(),
    }
}

/// What went wrong, without anything of the request (headers hold the key).
fn reason(e: &ureq::Error) -> String {
    match e {
        ureq::Error::HostNotFound => "host not found".into(),
        ureq::Error::ConnectionFailed => "connection failed".into(),
        ureq::Error::Io(io) => io.kind().to_string(),
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => "TLS error".into(),
        _ => "request failed".into(),
    }
}
