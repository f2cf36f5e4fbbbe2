//! Redaction: the one place that decides what of a text is a key and how
//! much of it may be shown.
//!
//! A key is recognised by what it is, not by where it sits: every match of
//! any provider's key regex anywhere in a text (Azure, Mistral and Cohere
//! keys have no prefix), every word that starts with a known key prefix and
//! is long enough to hold a key (a truncated or malformed key), and every
//! word of a value the facts put in a key slot (whatever it looks like).
//! [`hidden_spans`] turns these into the byte ranges to hide and
//! [`mask_spans`] hides them in place, keeping lengths so every other span
//! still fits; pretty snippets, `--diff` (both sides, context lines too) and
//! everything else that prints file text are made from that masked text.
//!
//! What stays visible: a provider prefix (`sk-proj-`) and the last four
//! characters, as in OpenAI's own error messages (`sk-proj-…Ab3d` in
//! messages via [`redact`]; `sk-proj-*****Ab3d` in place). An authorization
//! scheme before a key (`Bearer `) is not the secret and stays readable.
//! Org and project IDs are not secrets and are never hidden.

use std::borrow::Cow;

use crate::provider::Providers;
use crate::source::Span;

/// Shorter words starting with a key prefix are not taken for keys
/// (`sk-proj-` alone, `hf_hub`).
const MIN_PREFIXED_KEY: usize = 20;

/// No key of any provider is shorter (a test holds the provider files to
/// it): shorter runs of key characters are not searched.
const MIN_KEY: usize = MIN_PREFIXED_KEY;

/// Visible characters at the end of a hidden value.
const TAIL: usize = 4;

/// Values shorter than this are hidden completely except a head of at most
/// a quarter of their length.
const MIN_TAIL_SHOWN: usize = 12;

/// Words of a key-slot value that are not the secret: the authorization
/// scheme a header value starts with.
const SCHEMES: &[&str] = &["bearer", "basic", "token"];

/// A key-like value masked to its provider prefix (one of `providers`' key
/// prefixes, else a generic one) and last 4 characters. Short values are
/// masked completely.
pub fn redact(value: &str, providers: &Providers) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() < MIN_TAIL_SHOWN {
        return "…".repeat(usize::from(!value.is_empty()));
    }
    let prefix = known_prefix(value.as_bytes(), providers)
        .and_then(|n| value.get(..n))
        .unwrap_or_else(|| generic_prefix(value));
    // Never show more than a quarter of the value before the ellipsis.
    let max_prefix = chars.len() / 4;
    let prefix: String = prefix.chars().take(max_prefix.max(2)).collect();
    let tail: String = chars[chars.len() - TAIL..].iter().collect();
    format!("{prefix}…{tail}")
}

/// Whether a value looks like it holds a key that must not be printed: it
/// contains a key prefix of `providers` and is long enough to hold a key.
pub fn looks_secret(value: &str, providers: &Providers) -> bool {
    value.len() >= MIN_PREFIXED_KEY
        && providers
            .key_prefixes()
            .iter()
            .any(|p| value.contains(p.as_str()))
}

/// The byte ranges of `text` to hide before any of it is shown: the middle
/// of every key found in it by shape ([`key_spans`]) and of every word of
/// the key-slot `values` (spans of `text` the facts hold for key settings,
/// whatever they look like), keeping a provider prefix (or up to 3
/// characters) and the last 4 characters of each. Sorted; they may
/// overlap. Feed them to [`mask_spans`].
pub fn hidden_spans(text: &str, values: &[Span], providers: &Providers) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut secrets = key_spans(text, providers);
    for v in values {
        secrets.extend(value_words(bytes, *v));
    }
    secrets.sort_unstable();
    secrets.dedup();
    secrets
        .into_iter()
        .filter_map(|s| hide(bytes, s, providers))
        .collect()
}

/// Every key in `text`, found by what it is: a match of any provider's key
/// regex, widened to the whole alphanumeric run around it (a 45-character
/// run holds no 40-character key at its start only), and every run of key
/// characters that starts with a known key prefix and is long enough to
/// hold a key. Unsorted; they may overlap.
///
/// Keys are made of [`is_key_alphabet`] characters only, so the regexes
/// run on the runs of those characters long enough to hold one: most text
/// (code, prose, minified files) has few such runs, and regexes without a
/// literal prefix (Azure, Mistral, Cohere) would otherwise read every byte.
pub fn key_spans(text: &str, providers: &Providers) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_key_alphabet(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_key_alphabet(bytes[i]) {
            i += 1;
        }
        if i - start >= MIN_KEY {
            // The run is ASCII, so its ends are character boundaries.
            keys_in_run(&text[start..i], providers, &mut out, start);
        }
    }
    out
}

/// The keys of one run of key characters (see [`key_spans`]), shifted by
/// `offset`.
fn keys_in_run(run: &str, providers: &Providers, out: &mut Vec<Span>, offset: usize) {
    let bytes = run.as_bytes();
    for (_, p) in providers.iter() {
        for k in &p.keys {
            let mut at = 0;
            while at < run.len() {
                let Some(m) = k.regex.find_at(run, at) else {
                    break;
                };
                let span = widen(bytes, m.start(), m.end());
                out.push(span.shift(offset));
                // The widened run is hidden as a whole: go on after it, so
                // a megabyte of letters is one span, not thousands.
                at = span.end.max(m.end()).max(at + 1);
            }
        }
    }
    for prefix in providers.key_prefixes() {
        for i in memchr::memmem::find_iter(bytes, prefix.as_bytes()) {
            if i > 0 && is_key_byte(bytes[i - 1]) {
                continue;
            }
            let end = i + bytes[i..].iter().take_while(|&&b| is_key_byte(b)).count();
            if end - i >= MIN_PREFIXED_KEY {
                out.push(Span::new(i, end).shift(offset));
            }
        }
    }
}

/// `text` with every key found in it by shape ([`key_spans`]) redacted as
/// in messages (`sk-proj-…Ab3d`): for text built from a file's values
/// (messages, help, notes) that a rule did not redact itself.
pub fn redact_text<'t>(text: &'t str, providers: &Providers) -> Cow<'t, str> {
    let mut spans = key_spans(text, providers);
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    spans.sort_unstable_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in spans {
        if s.start < at {
            // Inside (or overlapping) a key already redacted.
            continue;
        }
        let (Some(before), Some(value)) = (text.get(at..s.start), text.get(s.start..s.end)) else {
            continue;
        };
        out.push_str(before);
        out.push_str(&redact(value, providers));
        at = s.end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    Cow::Owned(out)
}

/// A copy of `text` in which the ASCII characters of every `hidden` range
/// (from [`hidden_spans`]) become `*`. Lengths do not change, so every
/// other span stays valid; this is what snippets and diffs are made from.
pub fn mask_spans(text: &str, hidden: &[Span]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for span in hidden {
        let end = span.end.min(bytes.len());
        for b in bytes.get_mut(span.start.min(end)..end).unwrap_or_default() {
            if b.is_ascii_graphic() {
                *b = b'*';
            }
        }
    }
    // Only ASCII bytes were replaced by ASCII, so the text is still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Every character any provider's key regex can match (a test holds the
/// provider files to it).
fn is_key_alphabet(b: u8) -> bool {
    is_key_byte(b) || matches!(b, b'+' | b'/' | b'=')
}

/// The characters of a prefixed key (`sk-proj-…`, `hf_…`), for prefixed
/// words.
fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// A regex match widened over the alphanumeric characters on both sides.
fn widen(bytes: &[u8], start: usize, end: usize) -> Span {
    let left = bytes[..start]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let right = bytes[end..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    Span::new(start - left, end + right)
}

/// The words of a key-slot value: runs of characters a key or token may
/// hold (base64 and JWT ones included), split at whitespace, quotes and
/// escapes (`\n` in a YAML string is not part of the key), without the
/// authorization scheme (`Bearer`).
fn value_words(bytes: &[u8], value: Span) -> Vec<Span> {
    let end = value.end.min(bytes.len());
    let start = value.start.min(end);
    let word_byte = |b: u8| is_key_byte(b) || matches!(b, b'+' | b'/' | b'=' | b'.' | b'~');
    let mut out = Vec::new();
    let mut i = start;
    while i < end {
        if bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if !word_byte(bytes[i]) {
            // Non-ASCII characters are never rewritten; anything else
            // that is no key character separates words.
            i += 1;
            continue;
        }
        let from = i;
        while i < end && word_byte(bytes[i]) {
            i += 1;
        }
        let word = &bytes[from..i];
        if !SCHEMES
            .iter()
            .any(|s| word.eq_ignore_ascii_case(s.as_bytes()))
        {
            out.push(Span::new(from, i));
        }
    }
    out
}

/// The part of a secret to hide: all but its provider prefix (or its first
/// 3 characters), at most a quarter of it, and its last 4 characters.
fn hide(bytes: &[u8], secret: Span, providers: &Providers) -> Option<Span> {
    let value = bytes.get(secret.start..secret.end)?;
    let head = known_prefix(value, providers)
        .unwrap_or(3)
        .min(value.len() / 4);
    let tail = if value.len() >= MIN_TAIL_SHOWN {
        TAIL
    } else {
        0
    };
    let span = Span::new(secret.start + head, secret.end - tail);
    (!span.is_empty()).then_some(span)
}

/// The length of the longest known key prefix `value` starts with.
fn known_prefix(value: &[u8], providers: &Providers) -> Option<usize> {
    providers
        .key_prefixes()
        .iter()
        .find(|p| value.starts_with(p.as_bytes()))
        .map(String::len)
}

/// Up to and including the first `-` or `_` within the first 8 characters,
/// else the first 4 characters.
fn generic_prefix(value: &str) -> &str {
    let head: String = value.chars().take(8).collect();
    match head.find(['-', '_']) {
        Some(i) => &value[..=i],
        None => {
            let end = value
                .char_indices()
                .nth(4)
                .map(|(i, _)| i)
                .unwrap_or(value.len());
            &value[..end]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn providers() -> &'static Providers {
        Providers::builtin()
    }

    /// `text` masked as snippets are, with `values` as key-slot values.
    fn masked(text: &str, values: &[Span]) -> String {
        mask_spans(text, &hidden_spans(text, values, providers()))
    }

    #[test]
    fn keeps_prefix_and_last_four() {
        let body = "Ab3dEf6hIj9kLm2nOp5rSt8vWx1zAb4dEf7hIj0kLm3n";
        assert_eq!(
            redact(&format!("sk-proj-{body}WXyz"), providers()),
            "sk-proj-…WXyz"
        );
        assert_eq!(
            redact(&format!("sk-ant-api03-{body}-AA"), providers()),
            "sk-ant-api03-…n-AA"
        );
        assert_eq!(redact(&format!("gsk_{body}"), providers()), "gsk_…Lm3n");
        assert_eq!(
            redact("0123456789abcdef0123456789abcdef", providers()),
            "0123…cdef"
        );
        assert_eq!(redact("short", providers()), "…");
        assert_eq!(redact("", providers()), "");
    }

    #[test]
    fn masks_in_place() {
        let key = concat!("sk-proj-", "Ab3dEf6hIj9kLm2nOp5rSt8vWx1zWXyz");
        let text = format!("A={key}\nB=1\n");
        let m = masked(&text, &[Span::new(2, 2 + key.len())]);
        assert_eq!(m.len(), text.len());
        assert!(m.starts_with("A=sk-proj-***"), "{m}");
        assert!(m.contains("*WXyz\nB=1"), "{m}");
        assert!(!m.contains("Ab3d"), "{m}");
    }

    #[test]
    fn keys_without_a_prefix_are_found_by_shape_anywhere() {
        // An Azure key (32 hex), a Mistral key (32 alphanumerics) and a
        // Cohere key (40) on lines that are no key setting: a comment, an
        // org setting, a context line.
        let azure = concat!("3f9c2a7d", "e1b04c6f", "a85d9e13", "b7c2f460");
        let mistral = concat!("Qx7Lm2Vb", "9TzR4wKp", "N1sD8fGh", "J3cY6eUa");
        let cohere = concat!("Zr4Tq8Wm", "1Xc5Vb9N", "k2Lp6Hs3", "Dj7Fg0Ya", "Ue4Io8Pq");
        let deepseek = concat!("sk-", "0a1b2c3d", "4e5f6a7b", "8c9d0e1f", "2a3b4c5d");
        let text = format!("OPENAI_ORG_ID={azure}\n# {mistral}\nx = \"{cohere}\"\nk: {deepseek}\n");
        let m = masked(&text, &[]);
        for key in [azure, mistral, cohere, &deepseek[3..]] {
            for w in key.as_bytes().windows(8) {
                let w = std::str::from_utf8(w).unwrap();
                assert!(!m.contains(w), "{w} shown in {m}");
            }
        }
        assert!(m.contains("OPENAI_ORG_ID=3f9*"), "{m}");
        assert!(m.contains("f460\n"), "{m}");
        assert!(m.contains("k: sk-*"), "{m}");
        // An org ID is no secret.
        let org = concat!("org-", "YgojjHRg80USP2W5DfJXcaYi");
        assert_eq!(
            masked(&format!("OPENAI_ORG_ID={org}\n"), &[]),
            format!("OPENAI_ORG_ID={org}\n")
        );
    }

    #[test]
    fn a_key_slot_value_is_hidden_word_by_word_keeping_the_scheme() {
        let key = concat!(
            "sk-svcacct-",
            "Ab3dEf6hIj9kLm2nOp5rSt8vWx1zAb4dEf7hIj0kWXyz"
        );
        let text = format!("OPENAI_API_KEY=\"Bearer {key}\"\n");
        let value = Span::new(16, text.len() - 2);
        let m = masked(&text, &[value]);
        assert!(
            m.starts_with("OPENAI_API_KEY=\"Bearer sk-svcacct-***"),
            "{m}"
        );
        assert!(m.ends_with("*WXyz\"\n"), "{m}");
        // Whatever the value looks like: hidden but its head and tail.
        let text = "api_key: \"not a key at all, 9f8e7d6c5b4a\"\n";
        let m = masked(text, &[Span::new(10, text.len() - 2)]);
        assert_eq!(m.len(), text.len());
        assert!(m.contains("*** * *** ** ***, 9f8*****5b4a\""), "{m}");
    }

    #[test]
    fn an_escape_after_a_key_is_not_its_tail() {
        // A YAML string ending in `\n`: the last 4 characters shown are the
        // key's, not `UD\n`.
        let key = concat!(
            "sk-svcacct-",
            "Ab3dEf6hIj9kLm2nOp5rSt8vWx1zAb4dEf7hIj0kcvUD"
        );
        let text = format!("OPENAI_API_KEY: \"{key}\\n\"\n");
        let value = Span::new(17, 17 + key.len() + 2);
        let m = masked(&text, &[value]);
        assert!(m.contains("*cvUD\\n\""), "{m}");
    }

    #[test]
    fn redacts_keys_in_messages() {
        let mistral = concat!("Qx7Lm2Vb", "9TzR4wKp", "N1sD8fGh", "J3cY6eUa");
        let org = concat!("org-", "YgojjHRg80USP2W5DfJXcaYi");
        let msg = format!("{org} differs from {mistral}");
        assert_eq!(
            redact_text(&msg, providers()),
            format!("{org} differs from Qx7L…6eUa")
        );
        assert!(matches!(
            redact_text("no key here", providers()),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_long_run_is_one_span() {
        let text = "x".repeat(1 << 20);
        let spans = key_spans(&text, providers());
        assert!(spans.len() <= 8, "{}", spans.len());
        assert!(spans.iter().any(|s| s.start == 0 && s.end == text.len()));
    }

    /// What [`key_spans`] relies on: every key regex matches only
    /// [`is_key_alphabet`] characters, and nothing shorter than
    /// [`MIN_KEY`]. Checked on the regex text: outside classes only
    /// letters, digits, `-`, `_` and the syntax of groups, alternatives and
    /// counted repeats; inside classes only ranges and characters of the
    /// alphabet; and the shortest string each matches is long enough.
    #[test]
    fn key_regexes_stay_within_the_key_alphabet() {
        let class = regex::Regex::new(r"\[([^\]]*)\]").unwrap();
        let range = regex::Regex::new(r"[A-Za-z0-9]-[A-Za-z0-9]").unwrap();
        let repeat = regex::Regex::new(r"\{\d+(,\d*)?\}").unwrap();
        let mut checked = 0;
        for (_, p) in providers().iter() {
            for k in &p.keys {
                let re = k.regex.as_str();
                for c in class.captures_iter(re) {
                    let inner = range.replace_all(&c[1], "");
                    let inner = inner.replace("\\-", "-");
                    assert!(
                        inner.bytes().all(is_key_alphabet),
                        "{}: class [{}] leaves the key alphabet",
                        p.name,
                        &c[1]
                    );
                }
                let outside = class.replace_all(re, "x");
                let outside = repeat.replace_all(&outside, "");
                let outside = outside.replace("(?:", "").replace([')', '|'], "");
                assert!(
                    outside.bytes().all(is_key_byte),
                    "{}: {re} matches characters outside the key alphabet",
                    p.name
                );
                let shortest = min_len(&mut re.as_bytes());
                assert!(
                    shortest >= MIN_KEY,
                    "{}: {re} matches {shortest} characters, fewer than {MIN_KEY}",
                    p.name
                );
                checked += 1;
            }
        }
        assert!(checked >= 12, "{checked}");
    }

    /// The length of the shortest match of a regex made of literals,
    /// classes, non-capturing groups, alternatives and repeats (what the
    /// test above lets through), read from the front of `re`.
    fn min_len(re: &mut &[u8]) -> usize {
        let mut best = usize::MAX;
        let mut seq = 0;
        while let Some((&c, rest)) = re.split_first() {
            *re = rest;
            let atom = match c {
                b'|' => {
                    best = best.min(seq);
                    seq = 0;
                    continue;
                }
                b')' => break,
                b'(' => {
                    *re = re.strip_prefix(b"?:").unwrap_or(re);
                    min_len(re)
                }
                b'[' => {
                    let close = re.iter().position(|&b| b == b']').unwrap();
                    *re = &re[close + 1..];
                    1
                }
                b'\\' => {
                    *re = &re[1..];
                    1
                }
                _ => 1,
            };
            let times = match re.first() {
                Some(b'*' | b'?') => {
                    *re = &re[1..];
                    0
                }
                Some(b'+') => {
                    *re = &re[1..];
                    1
                }
                Some(b'{') => {
                    let close = re.iter().position(|&b| b == b'}').unwrap();
                    let inner = std::str::from_utf8(&re[1..close]).unwrap();
                    *re = &re[close + 1..];
                    inner.split(',').next().unwrap().parse().unwrap()
                }
                _ => 1,
            };
            seq += atom * times;
        }
        best.min(seq)
    }

    #[test]
    fn min_len_reads_the_regex_syntax_of_key_patterns() {
        let n = |re: &str| min_len(&mut re.as_bytes());
        assert_eq!(n("sk-[a-z0-9]{32}"), 35);
        assert_eq!(n("sk-(?:svcacct|service)-[A-Za-z0-9_-]{20,}T3BlbkFJ"), 39);
        assert_eq!(
            n("[A-Za-z0-9+/]{60,100}(?:JQQJ|AAAB|ACOGk)[A-Za-z0-9+/=]{0,30}"),
            64
        );
        assert_eq!(n("a(?:b|)c?d*e+"), 2);
    }

    #[test]
    fn never_reveals_more_than_a_quarter() {
        let v = "sk-ant-api03-abcdef";
        let r = redact(v, providers());
        assert!(r.chars().count() <= v.len() / 4 + 5, "{r}");
    }
}
