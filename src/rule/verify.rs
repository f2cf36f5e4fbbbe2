//! VERIFY001–004 (only with `--verify`): the provider's own answer to the
//! exact (key, org, project, base URL) each scope of the credential graph
//! would send. The tuples are collected here from the graph ([`tuples`]);
//! the pipeline's verification stage asks the provider about each distinct
//! one once, before the rules run, and each rule reads the
//! [`Verified`] answers in the context and reports those of its code at
//! the scope's key setting, with the org and project settings that were
//! sent as related locations. No rule sends anything.

use std::collections::{BTreeMap, BTreeSet};

use super::{FileRef, Findings, Related, Rule, RuleContext, related};
use crate::fact::{Slot, ValueKind};
use crate::graph::{At, Graph};
use crate::redact::redact;
use crate::source::Span;
use crate::verify::{Plan, Tuple, Verdict, Verified, host_of};

/// One of the four codes; all share the collection and the answers.
pub struct Verify(pub &'static str);

/// A scope's tuple and where its parts are set.
struct Ask<'a> {
    tuple: Tuple,
    key: At<'a>,
    /// Where the finding goes: the key setting, or, when only files named
    /// on the command line are reported and the key's is not among them,
    /// the first org or project setting sent that is.
    at: At<'a>,
    /// The org and project settings sent with the key.
    sent: Vec<(Slot, At<'a>)>,
}

/// What a slot's winner contributes to a request: nothing (unset or
/// empty: the SDK sends no header), a value, or something only known at
/// run time (the scope is then not verified).
enum Part<'a> {
    Unset,
    Value(At<'a>, &'a str),
    Unknown,
}

fn part<'a>(at: Option<At<'a>>) -> Part<'a> {
    let Some(at) = at else {
        return Part::Unset;
    };
    let v = &at.setting.value;
    match v.kind {
        ValueKind::Empty => Part::Unset,
        ValueKind::Literal if !v.text.trim().is_empty() => Part::Value(at, v.text.trim()),
        ValueKind::Literal => Part::Unset,
        _ => Part::Unknown,
    }
}

/// Every distinct tuple the repository's scopes would send, with the scopes
/// (by key setting) that send it, in graph order.
fn collect<'a>(
    cx: &RuleContext<'_>,
    files: &[FileRef<'_>],
    graph: &Graph<'a>,
    verifier: &Plan,
) -> Vec<Ask<'a>> {
    let mut asks: Vec<Ask<'a>> = Vec::new();
    for scope in &graph.scopes {
        for (provider, slot, _, key) in scope.winners() {
            if slot != Slot::Key {
                continue;
            }
            let p = cx.providers.get(provider);
            let Some(spec) = &p.verify else {
                continue;
            };
            let Part::Value(key, key_text) = part(Some(key)) else {
                continue;
            };
            let class = &files[key.file].entry.class;
            if class.template || class.test || cx.placeholders.is_placeholder(key_text) {
                continue;
            }
            let mut sent = Vec::new();
            let mut value = |slot: Slot| -> Result<Option<String>, ()> {
                match part(scope.get(provider, slot)) {
                    Part::Unset => Ok(None),
                    Part::Value(at, text) => {
                        if slot != Slot::BaseUrl {
                            sent.push((slot, at));
                        }
                        Ok(Some(text.to_string()))
                    }
                    Part::Unknown => Err(()),
                }
            };
            // Only OpenAI's API has organizations and projects.
            let scoped = spec.api == crate::verify::Api::OpenAi;
            let (Ok(org), Ok(project), Ok(base)) = (
                if scoped { value(Slot::Org) } else { Ok(None) },
                if scoped {
                    value(Slot::Project)
                } else {
                    Ok(None)
                },
                value(Slot::BaseUrl),
            ) else {
                continue;
            };
            let target = |a: &At<'_>| verifier.is_target(&files[a.file].entry.display);
            let Some(at) = std::iter::once(key)
                .chain(sent.iter().map(|&(_, a)| a))
                .find(target)
            else {
                continue;
            };
            let base_url = verifier
                .base_for(&p.name)
                .map(str::to_string)
                .or(base)
                .or_else(|| spec.base_url.clone())
                // `…/v1/` and `…/v1` are one request.
                .map(|b| b.trim_end_matches('/').to_string());
            asks.push(Ask {
                tuple: Tuple {
                    api: spec.api,
                    key: key_text.to_string(),
                    org,
                    project,
                    base_url,
                    path: spec.path.clone(),
                    bearer: key
                        .setting
                        .name
                        .eq_ignore_ascii_case("ANTHROPIC_AUTH_TOKEN"),
                },
                key,
                at,
                sent,
            });
        }
    }
    // A key without an endpoint in one scope (an env file holding only the
    // Azure key) is verified where a scope gives it one.
    let with_endpoint: BTreeSet<(usize, Span)> = asks
        .iter()
        .filter(|a| a.tuple.base_url.is_some())
        .map(|a| (a.key.file, a.key.setting.value.span))
        .collect();
    asks.retain(|a| {
        a.tuple.base_url.is_some()
            || !with_endpoint.contains(&(a.key.file, a.key.setting.value.span))
    });
    asks
}

/// An org or project value as shown: a key pasted there is masked, and a
/// long value cut.
fn shown(cx: &RuleContext<'_>, value: &str) -> String {
    if crate::redact::looks_secret(value, cx.providers) || cx.providers.key_of_any(value).is_some()
    {
        return redact(value, cx.providers);
    }
    let v: String = value.chars().take(60).collect();
    if v.len() < value.len() {
        format!("{v}…")
    } else {
        v
    }
}

/// A finding's code, file and span.
type Where<'c> = (&'c str, usize, Span);

/// The code of a verdict, if it is reported.
fn code_of(v: &Verdict) -> Option<&'static str> {
    match v {
        Verdict::Valid => None,
        Verdict::KeyRejected => Some("VERIFY001"),
        Verdict::OrgMismatch { .. } => Some("VERIFY002"),
        Verdict::ProjectMismatch => Some("VERIFY003"),
        Verdict::Inconclusive { .. } => Some("VERIFY004"),
    }
}

impl Rule for Verify {
    fn code(&self) -> &'static str {
        self.0
    }

    fn check_repo(
        &self,
        cx: &RuleContext<'_>,
        files: &[FileRef<'_>],
        graph: &Graph<'_>,
        out: &mut Findings<'_>,
    ) {
        let Some(verified) = cx.verify else {
            return;
        };
        // The first of the four rules reports for all.
        let all = verified.findings(|| {
            let mut all = Findings::new(cx.rules);
            report(cx, files, graph, verified, &mut all);
            all.findings
        });
        out.findings
            .extend(all.iter().filter(|f| f.code == self.0).cloned());
    }
}

/// Every distinct tuple the repository's scopes would send, sorted: what
/// the verification stage asks the provider about.
pub fn tuples(
    cx: &RuleContext<'_>,
    files: &[FileRef<'_>],
    graph: &Graph<'_>,
    plan: &Plan,
) -> Vec<Tuple> {
    let mut tuples: Vec<Tuple> = collect(cx, files, graph, plan)
        .into_iter()
        .map(|a| a.tuple)
        .collect();
    tuples.sort();
    tuples.dedup();
    tuples
}

/// Every VERIFY finding of the repository: collect the tuples again and
/// report the provider's answers to them.
fn report(
    cx: &RuleContext<'_>,
    files: &[FileRef<'_>],
    graph: &Graph<'_>,
    verified: &Verified,
    out: &mut Findings<'_>,
) {
    let asks = collect(cx, files, graph, verified.plan());

    // One finding per key setting: the scopes that send it with the
    // same wrong org become related locations of one finding.
    let mut found: BTreeMap<Where<'_>, (&Ask<'_>, &Verdict, Vec<Related>)> = BTreeMap::new();
    for a in &asks {
        let Some((v, code)) = verified
            .answer(&a.tuple)
            .and_then(|v| code_of(v).map(|c| (v, c)))
        else {
            continue;
        };
        let entry = found
            .entry((code, a.at.file, a.at.setting.value.span))
            .or_insert_with(|| (a, v, Vec::new()));
        let key_elsewhere = (a.key.file != a.at.file
            || a.key.setting.value.span != a.at.setting.value.span)
            .then_some((Slot::Key, a.key));
        for (slot, at) in key_elsewhere.into_iter().chain(a.sent.iter().copied()) {
            if at.file == a.at.file && at.setting.value.span == a.at.setting.value.span {
                continue;
            }
            let value = at.setting.value.text.trim();
            let message = match slot {
                Slot::Key => format!("the key {} is set here", redact(value, cx.providers)),
                Slot::Org => format!("organization {} is sent with the key", shown(cx, value)),
                _ => format!("project {} is sent with the key", shown(cx, value)),
            };
            let rel = related(&files[at.file], at.setting.value.span, message);
            if !entry
                .2
                .iter()
                .any(|r| r.path == rel.path && r.span == rel.span)
            {
                entry.2.push(rel);
            }
        }
    }
    for ((code, _, _), (a, v, rel)) in found {
        let t = &a.tuple;
        let host = t
            .base_url
            .as_deref()
            .map_or_else(|| "the provider".to_string(), |u| host_of(u, cx.providers));
        let mut args = vec![
            ("key", redact(&t.key, cx.providers)),
            ("host", host),
            ("org", shown(cx, t.org.as_deref().unwrap_or_default())),
            (
                "project",
                shown(cx, t.project.as_deref().unwrap_or_default()),
            ),
        ];
        let variant = match v {
            Verdict::OrgMismatch { code, owners } => {
                args.push(("answer", code.clone()));
                args.push(("owners", owners.join(", ")));
                (!owners.is_empty()).then_some("owners")
            }
            Verdict::Inconclusive { why } => {
                args.push(("why", why.clone()));
                why.starts_with("not sent").then_some("refused")
            }
            _ => None,
        };
        let f = out.emit(
            code,
            &files[a.at.file],
            a.at.setting.value.span,
            &format!(
                "{}\0{}\0{}",
                t.key,
                t.org.as_deref().unwrap_or(""),
                t.project.as_deref().unwrap_or("")
            ),
            variant,
            &args,
        );
        f.related = rel;
    }
}
