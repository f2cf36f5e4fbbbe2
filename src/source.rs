//! File text and positions. A `Source` owns the decoded text of one file and
//! turns byte offsets into the 1-based line and column that every report
//! prints. The line index is built lazily: most files never need it.

use std::path::PathBuf;
use std::sync::OnceLock;

/// A half-open byte range into a file's decoded text.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    /// This span moved right by `by` bytes (for spans found in a substring).
    pub fn shift(self, by: usize) -> Span {
        Span::new(self.start + by, self.end + by)
    }
}

/// 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// How the bytes of a file were turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// Invalid UTF-8 sequences were replaced with U+FFFD.
    Utf8Lossy,
    Utf16,
}

/// The decoded text of one file and its line index.
#[derive(Debug)]
pub struct Source {
    text: OnceLock<String>,
    encoding: Encoding,
    line_starts: OnceLock<Vec<usize>>,
    char_marks: OnceLock<Vec<usize>>,
    /// Where a text let go by [`Source::unload`] is read again from.
    reload: Option<Box<Reload>>,
}

/// What reading a file again must give to be the text that was scanned.
#[derive(Debug)]
struct Reload {
    path: PathBuf,
    /// The size of the file's bytes and the length of its text when scanned.
    file_len: u64,
    text_len: usize,
    /// XXH3-128 of the text.
    digest: u128,
}

/// Bytes between the marks of [`Source::char_marks`].
const MARK_BYTES: usize = 1024;

impl Source {
    pub fn new(text: String) -> Self {
        Source {
            text: OnceLock::from(text),
            encoding: Encoding::Utf8,
            line_starts: OnceLock::new(),
            char_marks: OnceLock::new(),
            reload: None,
        }
    }

    /// Decode raw file bytes: a UTF-8 BOM is dropped, UTF-16 (with a BOM) is
    /// decoded, anything else is UTF-8 with invalid sequences replaced.
    pub fn decode(bytes: &[u8]) -> Self {
        let (text, encoding) = decode_bytes(bytes);
        Source {
            text: OnceLock::from(text),
            encoding,
            line_starts: OnceLock::new(),
            char_marks: OnceLock::new(),
            reload: None,
        }
    }

    /// [`Source::decode`] of bytes it may keep: valid UTF-8 (almost every
    /// file) becomes the text without a copy, so decoding every file before
    /// its prefilter costs a validation pass, not a second buffer.
    pub fn from_bytes(mut bytes: Vec<u8>) -> Self {
        if is_utf16(&bytes) {
            return Source::decode(&bytes);
        }
        if bytes.starts_with(UTF8_BOM) {
            bytes.drain(..UTF8_BOM.len());
        }
        let (text, encoding) = match String::from_utf8(bytes) {
            Ok(s) => (s, Encoding::Utf8),
            Err(e) => (
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
                Encoding::Utf8Lossy,
            ),
        };
        Source {
            text: OnceLock::from(text),
            encoding,
            line_starts: OnceLock::new(),
            char_marks: OnceLock::new(),
            reload: None,
        }
    }

    pub fn text(&self) -> &str {
        self.text.get_or_init(|| self.read_again())
    }

    /// Let go of the text of a file read from `path` (`file_len` bytes):
    /// it is read again from the file when asked for. The line index is
    /// kept, so that a file changed since it was scanned still gives the
    /// scanned lines: its text is then blank (spaces and the scanned line
    /// breaks), never the new content under the old positions. Worth it for
    /// big files that the rules rarely look into (their only facts are
    /// key and ID literals).
    pub fn unload(&mut self, path: PathBuf, file_len: u64) {
        if self.text.get().is_none() {
            return;
        }
        self.line_starts();
        let Some(text) = self.text.take() else { return };
        self.reload = Some(Box::new(Reload {
            path,
            file_len,
            text_len: text.len(),
            digest: xxhash_rust::xxh3::xxh3_128(text.as_bytes()),
        }));
    }

    /// Whether the text was let go of and is not read again yet.
    pub fn is_unloaded(&self) -> bool {
        self.text.get().is_none()
    }

    /// The text of an unloaded source, from its file when that still holds
    /// the text scanned, else blank lines of the scanned lengths.
    fn read_again(&self) -> String {
        let Some(r) = &self.reload else {
            return String::new();
        };
        let same_len = std::fs::metadata(&r.path).is_ok_and(|m| m.len() == r.file_len);
        if same_len && let Ok(bytes) = std::fs::read(&r.path) {
            let text = Source::from_bytes(bytes)
                .text
                .into_inner()
                .unwrap_or_default();
            if text.len() == r.text_len && xxhash_rust::xxh3::xxh3_128(text.as_bytes()) == r.digest
            {
                return text;
            }
        }
        let mut blank = vec![b' '; r.text_len];
        for &start in self.line_starts().iter().skip(1) {
            if let Some(b) = blank.get_mut(start - 1) {
                *b = b'\n';
            }
        }
        String::from_utf8(blank).unwrap_or_default()
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(memchr::memchr_iter(b'\n', self.text().as_bytes()).map(|i| i + 1));
            starts
        })
    }

    /// The number of characters before every [`MARK_BYTES`]th byte: a
    /// column is then counted from the nearest mark, not from the start of
    /// its line (a minified file's one line holds every fact).
    fn char_marks(&self) -> &[usize] {
        self.char_marks.get_or_init(|| {
            let mut marks = vec![0];
            let mut chars = 0;
            for block in self.text().as_bytes().chunks(MARK_BYTES) {
                chars += char_starts(block);
                marks.push(chars);
            }
            marks
        })
    }

    /// The number of characters in the text before byte `at`.
    fn chars_before(&self, at: usize) -> usize {
        let block = at / MARK_BYTES;
        let from = block * MARK_BYTES;
        self.char_marks()[block] + char_starts(&self.text().as_bytes()[from..at])
    }

    /// The 1-based position of a byte offset (clamped to the text, and moved
    /// back to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text().len());
        while !self.text().is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let line_start = starts[line];
        let column = if offset - line_start <= MARK_BYTES {
            self.text()[line_start..offset].chars().count() + 1
        } else {
            self.chars_before(offset) - self.chars_before(line_start) + 1
        };
        Position {
            line: line + 1,
            column,
        }
    }

    /// The byte offset where the line holding `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        let starts = self.line_starts();
        starts[starts.partition_point(|&s| s <= offset).saturating_sub(1)]
    }

    /// The byte range of the 1-based line `line`, without its line ending.
    pub fn line_span(&self, line: usize) -> Span {
        let starts = self.line_starts();
        let Some(&start) = starts.get(line.saturating_sub(1)) else {
            return Span::new(self.text().len(), self.text().len());
        };
        let mut end = starts
            .get(line)
            .map(|&s| s - 1)
            .unwrap_or(self.text().len());
        if end > start && self.text().as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        Span::new(start, end)
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text().get(span.start..span.end).unwrap_or("")
    }
}

pub(crate) const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// The characters that start in `bytes` (of valid UTF-8): every byte that
/// is not a continuation byte.
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// Whether bytes start with a UTF-16 byte order mark (either order).
pub fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

fn decode_bytes(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (utf16(rest, u16::from_le_bytes), Encoding::Utf16);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (utf16(rest, u16::from_be_bytes), Encoding::Utf16);
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> (String, Encoding) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), Encoding::Utf8),
        Err(_) => (
            String::from_utf8_lossy(bytes).into_owned(),
            Encoding::Utf8Lossy,
        ),
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// How much of a file [`looks_binary`] looks at: a reader needs no more
/// than this to decide whether to skip a file.
pub const SNIFF_BYTES: usize = 8192;

/// True when the bytes look binary: a NUL in the first 8 KiB, unless the file
/// starts with a UTF-16 byte order mark.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if is_utf16(bytes) {
        return false;
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    memchr::memchr(0, head).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let s = Source::new("ab\nçd=x\r\nlast".to_string());
        assert_eq!(s.position(0), Position { line: 1, column: 1 });
        assert_eq!(s.position(3), Position { line: 2, column: 1 });
        // 'ç' is two bytes but one column
        assert_eq!(s.position(5), Position { line: 2, column: 2 });
        assert_eq!(s.position(10), Position { line: 3, column: 1 });
        assert_eq!(s.slice(s.line_span(2)), "çd=x");
        assert_eq!(s.slice(s.line_span(3)), "last");
    }

    #[test]
    fn columns_on_long_lines_count_characters() {
        let line: String = (0..5000)
            .map(|i| if i % 7 == 0 { 'é' } else { 'a' })
            .collect();
        let text = format!("x\n{line}\n{line}");
        let s = Source::new(text.clone());
        for (at, _) in text.char_indices().step_by(97) {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let column = text[line_start..at].chars().count() + 1;
            assert_eq!(s.position(at).column, column, "at {at}");
        }
        assert_eq!(s.position(text.len()).line, 3);
    }

    #[test]
    fn decodes_bom_utf16_and_invalid_utf8() {
        let s = Source::decode(b"\xEF\xBB\xBFA=1");
        assert_eq!(s.text(), "A=1");
        let s = Source::decode(&[0xFF, 0xFE, b'A', 0, b'=', 0, b'1', 0]);
        assert_eq!(s.text(), "A=1");
        assert_eq!(s.encoding(), Encoding::Utf16);
        let s = Source::decode(b"A=\xFF1");
        assert_eq!(s.encoding(), Encoding::Utf8Lossy);
        assert!(s.text().starts_with("A="));
        assert!(looks_binary(b"ab\0cd"));
        assert!(!looks_binary(&[0xFF, 0xFE, b'A', 0]));
    }

    #[test]
    fn an_unloaded_text_is_read_again_or_blank_when_changed() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("cassette.yaml");
        let text = "a: 1\nkey: sk-é\r\nlast";
        std::fs::write(&path, text).expect("write");
        let unloaded = || {
            let mut s = Source::from_bytes(text.as_bytes().to_vec());
            s.unload(path.clone(), text.len() as u64);
            assert!(s.is_unloaded());
            s
        };
        let s = unloaded();
        assert_eq!(s.position(13), Position { line: 2, column: 9 });
        assert_eq!(s.text(), text);
        assert!(!s.is_unloaded());
        assert_eq!(s.slice(s.line_span(2)), "key: sk-é");

        // Same size, other content: the scanned lines, blank.
        let s = unloaded();
        std::fs::write(&path, text.replace("sk", "xx")).expect("write");
        assert_eq!(s.text().len(), text.len());
        assert_eq!(s.position(text.len()).line, 3);
        assert_eq!(s.slice(s.line_span(1)), "    ");
        // Gone: blank too.
        let s = unloaded();
        std::fs::remove_file(&path).expect("rm");
        assert!(s.text().trim().is_empty());
        assert_eq!(s.text().lines().count(), 3);
    }

    #[test]
    fn from_bytes_decodes_as_decode_does() {
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("K=é\n".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for bytes in [
            &b"\xEF\xBB\xBFA=1\n"[..],
            &[0xFF, 0xFE, b'A', 0, b'=', 0, b'1', 0],
            &be,
            b"A=\xFF1",
            b"plain",
            b"",
            &[0xFF],
        ] {
            let a = Source::decode(bytes);
            let b = Source::from_bytes(bytes.to_vec());
            assert_eq!(a.text(), b.text(), "{bytes:?}");
            assert_eq!(a.encoding(), b.encoding(), "{bytes:?}");
        }
    }
}
