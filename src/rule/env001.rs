//! ENV001 unread-credential-variable: a credential defined under a name that
//! the repository's consumers do not read, while they read another name for
//! the same slot; plain misspellings of key names; and the reverse, code
//! reading a name that is defined nowhere while a near name is.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{FileRef, Findings, Rule, RuleContext, related};
use crate::consumers::Consumers;
use crate::fact::{ReadUse, Slot};
use crate::graph::Graph;
use crate::provider::{Providers, Variable};

pub struct Env001;

impl Rule for Env001 {
    fn code(&self) -> &'static str {
        "ENV001"
    }

    fn check_repo(
        &self,
        cx: &RuleContext<'_>,
        files: &[FileRef<'_>],
        _: &Graph<'_>,
        out: &mut Findings<'_>,
    ) {
        let consumers = Consumers::detect(files, cx.providers);
        let defined: HashSet<&str> = files
            .iter()
            .flat_map(|f| f.facts.definitions.iter().map(|d| d.name.as_str()))
            .collect();
        // A name something reads is not renamed, even if no rule counts
        // the reader as a consumer (a Dockerfile `$VAR`).
        let read: HashSet<&str> = files
            .iter()
            .flat_map(|f| f.facts.reads.iter().map(|r| r.name.as_str()))
            .collect();
        let mut first_def: BTreeMap<&str, (usize, crate::source::Span)> = BTreeMap::new();
        for (i, f) in files.iter().enumerate() {
            for d in &f.facts.definitions {
                first_def.entry(d.name.as_str()).or_insert((i, d.name_span));
            }
        }

        for f in files {
            for d in &f.facts.definitions {
                if consumers.explicit_reads.contains(&d.name) {
                    continue;
                }
                if let Some((pid, var)) = cx.providers.variable(&d.name) {
                    if consumers.is_empty() || consumers.reads_any(&var.readers) {
                        continue;
                    }
                    let p = cx.providers.get(pid);
                    let Some(wanted) = read_instead(&p.variables, var, &consumers) else {
                        continue;
                    };
                    let (sdks, origin) = consumers.which(&wanted.readers);
                    let finding = out.emit(
                        self.code(),
                        f,
                        d.name_span,
                        &d.name,
                        Some("unread"),
                        &[
                            ("name", d.name.clone()),
                            ("wanted", wanted.name.clone()),
                            ("sdks", sdks.join(", ")),
                        ],
                    );
                    // Unsafe: a tool the detection missed may read the old name.
                    finding.fix = (!read.contains(d.name.as_str()))
                        .then(|| crate::fix::build::rename(f, d, &wanted.name))
                        .flatten()
                        .map(|fix| fix.with(crate::fix::Applicability::Unsafe));
                    if let Some((fi, span)) = origin {
                        finding.related.push(related(
                            &files[fi],
                            span,
                            format!("{} is used here", sdks.first().map_or("", String::as_str)),
                        ));
                    }
                } else if let Some(canonical) = misspelling_of(&d.name, cx.providers) {
                    out.emit(
                        self.code(),
                        f,
                        d.name_span,
                        &d.name,
                        Some("misspelling"),
                        &[("name", d.name.clone()), ("wanted", canonical.name.clone())],
                    )
                    .fix = (!read.contains(d.name.as_str()))
                        .then(|| crate::fix::build::rename(f, d, &canonical.name))
                        .flatten();
                }
            }
        }

        // The reverse: code reads a name nothing defines, while a near name
        // is defined.
        let mut reported = HashSet::new();
        // The near defined name of each name read (one answer per name:
        // code reads the same names in many places).
        let mut near: HashMap<&str, Option<&str>> = HashMap::new();
        // Names the code itself treats as aliases: read in one `or` chain.
        let chained: HashSet<(&str, &str)> = files
            .iter()
            .flat_map(|f| f.facts.reads.iter())
            .flat_map(|r| {
                r.alternatives
                    .iter()
                    .map(move |a| (r.name.as_str(), a.as_str()))
            })
            .collect();
        for f in files {
            for r in &f.facts.reads {
                if defined.contains(r.name.as_str()) {
                    continue;
                }
                // An alias chain that also reads a defined name
                // (`os.getenv("AZURE_ENDPOINT") or os.getenv("AZURE_OPENAI_ENDPOINT")`)
                // gets its value from that name.
                if r.alternatives.iter().any(|a| defined.contains(a.as_str())) {
                    continue;
                }
                let found = *near
                    .entry(r.name.as_str())
                    .or_insert_with(|| near_defined(&r.name, cx.providers, &defined));
                let Some(instead) = found else {
                    continue;
                };
                // A fallback after the caller's value (`api_key or
                // os.getenv("GOOGLE_API_KEY")`) that is an alias of the
                // defined name: the value falls through to the SDK, which
                // reads its aliases itself.
                let aliases = matches!(
                    (cx.providers.variable(&r.name), cx.providers.variable(instead)),
                    (Some((pr, vr)), Some((pd, vd))) if pr == pd && vr.slot == vd.slot
                );
                if (r.usage == ReadUse::Fallback && aliases)
                    || chained.contains(&(r.name.as_str(), instead))
                {
                    continue;
                }
                if !reported.insert(r.name.as_str()) {
                    continue;
                }
                let finding = out.emit(
                    self.code(),
                    f,
                    r.span,
                    &r.name,
                    Some("reverse"),
                    &[("name", r.name.clone()), ("wanted", instead.to_string())],
                );
                if let Some(&(fi, span)) = first_def.get(instead) {
                    finding.related.push(related(
                        &files[fi],
                        span,
                        format!("{instead} is defined here"),
                    ));
                }
            }
        }
    }
}

/// The variable of the same slot that the detected consumers read, the
/// canonical one first.
fn read_instead<'p>(
    vars: &'p [Variable],
    var: &Variable,
    consumers: &Consumers,
) -> Option<&'p Variable> {
    let mut candidates: Vec<&Variable> = vars
        .iter()
        .filter(|w| w.slot == var.slot && w.name != var.name && consumers.reads_env(&w.readers))
        .collect();
    candidates.sort_by_key(|w| !w.canonical);
    candidates.first().copied()
}

fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

fn normalized(name: &str) -> String {
    name.chars().filter(|&c| c != '_').collect()
}

/// The canonical key variable that `name` misspells, if it is a plain
/// misspelling: listed in the provider data, or within edit distance 2 of
/// the canonical name with the same first four characters. Deliberate
/// variants that extend the name (`OPENAI_API_KEY_2`) are not misspellings.
pub fn misspelling_of<'p>(name: &str, providers: &'p Providers) -> Option<&'p Variable> {
    if !is_env_name(name) || providers.variable(name).is_some() {
        return None;
    }
    providers.iter().find_map(|(_, p)| {
        let canonical = p.canonical(Slot::Key)?;
        if p.not_misspellings.iter().any(|n| n == name) {
            return None;
        }
        if p.misspellings.iter().any(|n| n == name) {
            return Some(canonical);
        }
        let c = &canonical.name;
        let close = name.get(..4) == c.get(..4)
            && !name.starts_with(c.as_str())
            && edit_distance(&normalized(name), &normalized(c)) <= 2;
        close.then_some(canonical)
    })
}

/// A defined name that `read` is a near miss or an alias of.
fn near_defined<'d>(
    read: &str,
    providers: &Providers,
    defined: &HashSet<&'d str>,
) -> Option<&'d str> {
    let mut best: Option<&'d str> = None;
    let read_variable = providers.variable(read);
    let read_misspells = misspelling_of(read, providers).map(|c| c.name.as_str());
    for &d in defined {
        let related = match (read_variable, providers.variable(d)) {
            // Two names of the same provider slot (aliases).
            (Some((pr, vr)), Some((pd, vd))) => pr == pd && vr.slot == vd.slot,
            // The read is a misspelling of the defined name, or the reverse.
            _ => {
                read_misspells == Some(d)
                    || misspelling_of(d, providers).is_some_and(|c| c.name == read)
                    || (is_env_name(read)
                        && is_env_name(d)
                        && read.get(..4) == d.get(..4)
                        && (read_variable.is_some() || providers.variable(d).is_some())
                        && edit_distance(&normalized(read), &normalized(d)) <= 2)
            }
        };
        if related && best.is_none_or(|b| d < b) {
            best = Some(d);
        }
    }
    best
}

/// Levenshtein distance, bounded to short names.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspellings() {
        let p = Providers::builtin();
        for name in [
            "OPENAI_KEY",
            "OPENAI_APIKEY",
            "OPENAI_API_TOKEN",
            "OPEN_AI_API_KEY",
            "OPENAI_API_KYE",
            "ANTHROPIC_KEY",
        ] {
            assert!(misspelling_of(name, p).is_some(), "{name}");
        }
        for name in [
            "OPENAI_API_KEY",
            "OPENAI_API_KEYS",
            "OPENAI_API_KEY_2",
            "GROK_API_KEY",
            "OPENAI_ORG_ID",
            "MY_OPENAI_KEY",
            "openai_key",
            "OPENAI_API_TYPE",
            "OPENAI_API_BASE",
        ] {
            assert!(misspelling_of(name, p).is_none(), "{name}");
        }
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("OPENAIAPIKEY", "OPENAIAPIKEY"), 0);
    }
}
