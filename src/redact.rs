//! The one redaction function. Every renderer, message and snapshot that
//! shows a key value goes through [`redact`]: a key is shown as its prefix
//! and last four characters (`sk-proj-…Ab3d`), the way OpenAI's own error
//! messages mask keys. Org and project IDs are not secrets and are not
//! redacted.

use crate::provider::Providers;

/// A key-like value masked to its provider prefix and last 4 characters.
/// Short values are masked completely.
pub fn redact(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() < 12 {
        return "…".repeat(usize::from(!value.is_empty()));
    }
    let prefix = known_prefix(value).unwrap_or_else(|| generic_prefix(value));
    // Never show more than a quarter of the value before the ellipsis.
    let max_prefix = chars.len() / 4;
    let prefix: String = prefix.chars().take(max_prefix.max(2)).collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{prefix}…{tail}")
}

/// Whether a value looks like it holds a key that must not be printed: it
/// contains a known key prefix and is long enough to hold a key.
pub fn looks_secret(value: &str) -> bool {
    value.len() >= 20
        && Providers::builtin()
            .key_prefixes()
            .iter()
            .any(|p| value.contains(p.as_str()))
}

/// A copy of `text` in which every span in `secrets` is masked in place:
/// its prefix and last 4 characters stay, the ASCII characters between them
/// become `*`. Lengths do not change, so every other span stays valid; this
/// is what snippets are rendered from.
pub fn mask_spans(text: &str, secrets: &[crate::source::Span]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for span in secrets {
        let Some(value) = text.get(span.start..span.end) else {
            continue;
        };
        let keep_head = known_prefix(value)
            .map(str::len)
            .unwrap_or(3)
            .min(value.len() / 4);
        let keep_tail = if value.len() >= 12 { 4 } else { 0 };
        let end = span.end - keep_tail;
        for b in &mut bytes[span.start + keep_head..end.max(span.start + keep_head)] {
            if b.is_ascii_graphic() {
                *b = b'*';
            }
        }
    }
    // Only ASCII bytes were replaced by ASCII, so the text is still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn known_prefix(value: &str) -> Option<&'static str> {
    Providers::builtin()
        .key_prefixes()
        .iter()
        .find(|p| value.starts_with(p.as_str()))
        .map(|p| p.as_str())
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

    #[test]
    fn keeps_prefix_and_last_four() {
        let body = "Ab3dEf6hIj9kLm2nOp5rSt8vWx1zAb4dEf7hIj0kLm3n";
        assert_eq!(redact(&format!("sk-proj-{body}WXyz")), "sk-proj-…WXyz");
        assert_eq!(
            redact(&format!("sk-ant-api03-{body}-AA")),
            "sk-ant-api03-…n-AA"
        );
        assert_eq!(redact(&format!("gsk_{body}")), "gsk_…Lm3n");
        assert_eq!(redact("0123456789abcdef0123456789abcdef"), "0123…cdef");
        assert_eq!(redact("short"), "…");
        assert_eq!(redact(""), "");
    }

    #[test]
    fn masks_in_place() {
        let key = "sk-proj-Ab3dEf6hIj9kLm2nOp5rSt8vWx1zWXyz";
        let text = format!("A={key}\nB=1\n");
        let masked = mask_spans(&text, &[crate::source::Span::new(2, 2 + key.len())]);
        assert_eq!(masked.len(), text.len());
        assert!(masked.starts_with("A=sk-proj-***"));
        assert!(masked.contains("*WXyz\nB=1"));
        assert!(!masked.contains("Ab3d"));
    }

    #[test]
    fn never_reveals_more_than_a_quarter() {
        let v = "sk-ant-api03-abcdef";
        let r = redact(v);
        assert!(r.chars().count() <= v.len() / 4 + 5, "{r}");
    }
}
