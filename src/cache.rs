//! The persistent fact cache: what a scan learned about each file, kept
//! between runs so that a file that has not changed is not read again
//! (or, when it has facts, read but not parsed again).
//!
//! One file per scanned root in the cache folder (`.credlint_cache/` at
//! the root of the repository by default), holding one entry per file:
//! its stat data (size, mtime and ctime in nanoseconds, inode), the class
//! it was scanned with, a hash of its content, and the result: clean (no
//! facts), binary, or its facts. A file whose stat data match its entry is
//! not read when the entry says clean or binary. An entry recorded less
//! than [`RACY_NS`] after the file was last modified may miss a later
//! edit that left the same stat data, so its content hash decides
//! (git's "racily clean" entries).
//!
//! It also records, for each folder of a repository listed for the
//! context of a pre-commit run, the untracked env files it held and its
//! stat data: a folder whose stat data have not changed (no entry added,
//! removed or renamed) is not listed again, under the same racy rule.
//!
//! The file starts with a magic string, the schema version and a checksum
//! of the rest; the rest records credlint's version and a hash of the
//! built-in data and sources extraction depends on, then the entries as
//! fixed-size records sorted by key with a lookup table by key hash, so
//! that loading it decodes nothing per entry: an entry is decoded when a
//! run looks it up (a pre-commit run looks up a few of many). A file that
//! fails any of these checks (corrupted, truncated, written by another
//! version, a record out of its file's bounds or keys out of order) is
//! ignored and rebuilt: the cache can make a run faster, never different.
//! It is written to a temporary file in the same folder and renamed over
//! the old one, so a concurrent run reads the old file or the new one,
//! never half of one; the last writer wins, keeping the entries it loaded
//! that it did not scan (a pre-commit run scans a few files only). Any
//! error writing it (a read-only folder) leaves the run without a cache.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::fact::FileFacts;
use crate::index::FastHash;
use crate::walk::{FileClass, FileKind};

/// The default cache folder, at the root of the repository scanned.
pub const DIR_NAME: &str = ".credlint_cache";

const MAGIC: &[u8; 8] = b"credlint";
/// The layout of the file; bumped when it or a fact type changes.
const SCHEMA: u32 = 3;

/// An entry recorded within this long after its file's last modification
/// is checked by content hash: a later edit may have left the same mtime
/// (a file system that keeps seconds, or two seconds, only).
pub const RACY_NS: i64 = 2_000_000_000;

/// Entries of files not seen for this long are dropped when the cache is
/// written (as ruff does).
const MAX_UNSEEN_SECS: u64 = 30 * 24 * 3600;

/// Where a seen entry's date is refreshed: an entry seen again after this
/// long is written back with the new date.
const SEEN_REFRESH_SECS: u64 = 24 * 3600;

/// A file's stat data: equal stamps mean the file is taken as unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
    pub inode: u64,
}

impl Stamp {
    pub fn of(meta: &fs::Metadata) -> Stamp {
        Stamp::from(&crate::walk::FileStat::of(meta))
    }
}

impl From<&crate::walk::FileStat> for Stamp {
    fn from(stat: &crate::walk::FileStat) -> Stamp {
        Stamp {
            size: stat.len,
            mtime_ns: stat.mtime_ns,
            ctime_ns: stat.ctime_ns,
            inode: stat.inode,
        }
    }
}

/// What a scan of the file gave.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ScanResult {
    /// Nothing an extractor looks for (most files).
    Clean,
    /// Skipped as binary.
    Binary,
    /// Kept for the rules: its class after the text refined it, and its
    /// facts (encoded; decoded when used).
    Kept { class: FileClass, facts: Vec<u8> },
}

/// One file's entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub stamp: Stamp,
    /// The class the file was scanned with (before its text refined it).
    pub class: FileClass,
    /// A hash of the bytes read; `None` when the file was not read whole
    /// (binary, or a large file the prefilter rejected chunk by chunk).
    pub hash: Option<u128>,
    /// When the stamp was taken (the start of the run), in nanoseconds.
    pub checked_ns: i64,
    /// When the file was last seen, in seconds.
    pub seen: u64,
    pub result: ScanResult,
}

impl Entry {
    /// Whether the stamp alone cannot be trusted (see [`RACY_NS`]).
    pub fn racy(&self) -> bool {
        self.stamp.mtime_ns.saturating_add(RACY_NS) >= self.checked_ns
    }
}

/// The hash of a file's content.
pub fn content_hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// Encode facts for an entry.
pub fn encode_facts(facts: &FileFacts) -> Option<Vec<u8>> {
    postcard::to_stdvec(facts).ok()
}

/// Decode an entry's facts (`None`: unreadable, scan the file again).
pub fn decode_facts(bytes: &[u8]) -> Option<FileFacts> {
    postcard::from_bytes(bytes).ok()
}

/// A folder's entry: the env files it held (see
/// [`crate::walk::FolderMemo`]) when its stat data were `stamp`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Folder {
    pub stamp: crate::walk::FolderStamp,
    /// When the stamp was taken (the start of the run), in nanoseconds.
    pub checked_ns: i64,
    /// When the folder was last seen, in seconds.
    pub seen: u64,
    /// The names of its env files.
    pub env: Vec<String>,
}

/// The version and data hash a cache file must carry to be used: the
/// package version, and a hash of the embedded rule and provider data and
/// of the sources the binary was built from (a development build that
/// changes an extractor must not reuse the facts of the one before).
fn data_hash() -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for files in [crate::embedded::RULE_FILES, crate::embedded::PROVIDER_FILES] {
        for (name, text) in files {
            h.update(name.as_bytes());
            h.update(&[0]);
            h.update(text.as_bytes());
            h.update(&[0]);
        }
    }
    h.update(crate::embedded::PLACEHOLDERS.as_bytes());
    h.update(crate::embedded::SOURCE_HASH.as_bytes());
    h.digest()
}

/// The cache of one run: the entries loaded, and those this run recorded.
pub struct Cache {
    file: PathBuf,
    dir: PathBuf,
    /// The file loaded, checked (see [`Table::check`]); its entries are
    /// decoded when looked up.
    loaded: Table,
    updates: Mutex<Vec<(String, Entry)>>,
    /// The folders loaded, by path, and those this run recorded.
    folders: HashMap<String, Folder, FastHash>,
    folder_updates: Mutex<Vec<(String, Folder)>>,
    started_ns: i64,
    now_secs: u64,
    /// Why the file loaded was not used, if it was not (for tests and
    /// debugging).
    pub rejected: Option<&'static str>,
}

impl Cache {
    /// The cache for files under `root` (canonical), in the folder `dir`.
    /// Never fails: a missing or unusable file gives an empty cache.
    pub fn open(dir: &Path, root: &Path) -> Cache {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let name = format!(
            "facts-{:016x}.bin",
            xxhash_rust::xxh3::xxh3_64(root.as_os_str().as_encoded_bytes())
        );
        let file = dir.join(name);
        let (loaded, folders, rejected) = match fs::read(&file) {
            Ok(bytes) => match decode(bytes) {
                Ok((table, folders)) => (table, folders.into_iter().collect(), None),
                Err(why) => (Table::empty(), HashMap::default(), Some(why)),
            },
            Err(_) => (Table::empty(), HashMap::default(), Some("no cache file")),
        };
        Cache {
            file,
            dir: dir.to_path_buf(),
            loaded,
            updates: Mutex::new(Vec::new()),
            folders,
            folder_updates: Mutex::new(Vec::new()),
            started_ns: i64::try_from(now.as_nanos()).unwrap_or(i64::MAX),
            now_secs: now.as_secs(),
            rejected,
        }
    }

    /// The path of the cache file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// How many entries were loaded.
    pub fn len(&self) -> usize {
        self.loaded.len()
    }

    pub fn is_empty(&self) -> bool {
        self.loaded.len() == 0
    }

    /// The entry loaded for `key`, whatever its class.
    fn entry(&self, key: &str) -> Option<Entry> {
        self.loaded.find(key).and_then(|r| r.entry())
    }

    /// The entry of `key` scanned with `class`, if any.
    pub fn get(&self, key: &str, class: &FileClass) -> Option<Entry> {
        self.entry(key).filter(|e| e.class == *class)
    }

    /// The entry of `key` if its stamp says the file is unchanged: stamps
    /// equal, and not racy.
    pub fn fresh(&self, key: &str, class: &FileClass, stamp: &Stamp) -> Option<Entry> {
        let e = self.get(key, class)?;
        if e.stamp != *stamp || e.racy() {
            return None;
        }
        self.mark_seen(key, &e);
        Some(e)
    }

    /// Note that `key` was used this run, so that its entry is not dropped
    /// as unseen (only when the recorded date is old enough to matter).
    fn mark_seen(&self, key: &str, e: &Entry) {
        if self.seen_is_old(e.seen) {
            self.push(
                key,
                Entry {
                    seen: self.now_secs,
                    ..e.clone()
                },
            );
        }
    }

    fn seen_is_old(&self, seen: u64) -> bool {
        self.now_secs.saturating_sub(seen) > SEEN_REFRESH_SECS
    }

    /// Whether `key` is fresh (as [`Cache::fresh`]) and was clean (or
    /// binary, with `binary`), scanned as a file of kind `kind`: results
    /// that depend on the kind and the content only. The file's context is
    /// not compared: only the text-only contexts change what is extracted,
    /// and both are decided by the file's own path and text. Should
    /// extraction ever depend on a context other files decide (a library,
    /// a virtualenv), this test must compare the context too.
    /// The kind is asked for last (`kind`: it costs more than the rest).
    pub fn known_clean(
        &self,
        key: &str,
        kind: impl FnOnce() -> FileKind,
        stamp: &Stamp,
        binary: bool,
    ) -> bool {
        let Some(r) = self.loaded.find(key) else {
            return false;
        };
        let result = r.result();
        if !(result == CLEAN || (binary && result == BINARY)) || r.stamp() != *stamp || r.racy() {
            return false;
        }
        match r.class() {
            Some(class) if class.kind == kind() => {}
            _ => return false,
        }
        if self.seen_is_old(r.seen())
            && let Some(e) = r.entry()
        {
            self.mark_seen(key, &e);
        }
        true
    }

    /// Record what a scan of `key` gave, with its stamp taken this run.
    pub fn record(
        &self,
        key: &str,
        stamp: Stamp,
        class: FileClass,
        hash: Option<u128>,
        result: ScanResult,
    ) {
        self.push(
            key,
            Entry {
                stamp,
                class,
                hash,
                checked_ns: self.started_ns,
                seen: self.now_secs,
                result,
            },
        );
    }

    /// Record that `entry` was confirmed by content hash with the stamp
    /// `stamp` taken this run.
    pub fn confirm(&self, key: &str, entry: &Entry, stamp: Stamp) {
        self.push(
            key,
            Entry {
                stamp,
                checked_ns: self.started_ns,
                seen: self.now_secs,
                ..entry.clone()
            },
        );
    }

    fn push(&self, key: &str, entry: Entry) {
        if let Ok(mut u) = self.updates.lock() {
            u.push((key.to_string(), entry));
        }
    }

    /// Write the cache back if this run recorded anything: the entries
    /// loaded, updated with those recorded, less those unseen for long.
    /// Entries loaded that this run did not record are copied as they are
    /// (not decoded). Errors are returned for the caller to ignore or
    /// mention.
    pub fn save(self) -> std::io::Result<bool> {
        let updates = self.updates.into_inner().unwrap_or_default();
        let folder_updates = self.folder_updates.into_inner().unwrap_or_default();
        if updates.is_empty() && folder_updates.is_empty() {
            return Ok(false);
        }
        let now = self.now_secs;
        let kept = |seen: u64| now.saturating_sub(seen) <= MAX_UNSEEN_SECS;
        let mut out = Writer::default();
        let mut older = (0..self.loaded.len())
            .filter_map(|i| self.loaded.at(i))
            .peekable();
        let mut newer = sorted(updates).into_iter().peekable();
        loop {
            let order = match (older.peek(), newer.peek()) {
                (Some(x), Some(y)) => x.key().cmp(y.0.as_bytes()),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => break,
            };
            if order != std::cmp::Ordering::Greater {
                let r = older.next();
                if order == std::cmp::Ordering::Less {
                    if let Some(r) = r.filter(|r| kept(r.seen())) {
                        out.copy(&r)?;
                    }
                    continue;
                }
            }
            if let Some((k, e)) = newer.next().filter(|(_, e)| kept(e.seen)) {
                out.add(&k, &e)?;
            }
        }
        let mut folders = self.folders;
        folders.extend(folder_updates);
        let mut folders: Vec<(String, Folder)> =
            folders.into_iter().filter(|(_, f)| kept(f.seen)).collect();
        folders.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let bytes = out.finish(env!("CARGO_PKG_VERSION"), data_hash(), &folders)?;
        prepare_dir(&self.dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".facts-")
            .suffix(".tmp")
            .tempfile_in(&self.dir)?;
        tmp.as_file_mut().write_all(&bytes)?;
        tmp.persist(&self.file).map_err(|e| e.error)?;
        Ok(true)
    }
}

impl crate::walk::FolderMemo for Cache {
    fn env_files(&self, dir: &str, stamp: &crate::walk::FolderStamp) -> Option<Vec<String>> {
        let f = self.folders.get(dir)?;
        // Racy as a file's entry is: an entry added within the mtime's
        // granularity of the listing may have left the same mtime.
        if f.stamp != *stamp || f.stamp.mtime_ns.saturating_add(RACY_NS) >= f.checked_ns {
            return None;
        }
        if self.now_secs.saturating_sub(f.seen) > SEEN_REFRESH_SECS
            && let Ok(mut u) = self.folder_updates.lock()
        {
            u.push((
                dir.to_string(),
                Folder {
                    seen: self.now_secs,
                    ..f.clone()
                },
            ));
        }
        Some(f.env.clone())
    }

    fn record_env_files(&self, dir: &str, stamp: crate::walk::FolderStamp, names: Vec<String>) {
        if let Ok(mut u) = self.folder_updates.lock() {
            u.push((
                dir.to_string(),
                Folder {
                    stamp,
                    checked_ns: self.started_ns,
                    seen: self.now_secs,
                    env: names,
                },
            ));
        }
    }
}

/// `entries` sorted by key, one per key: of entries with the same key, the
/// last one (a later record replaces an earlier one).
fn sorted(mut entries: Vec<(String, Entry)>) -> Vec<(String, Entry)> {
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: Vec<(String, Entry)> = Vec::with_capacity(entries.len());
    for e in entries {
        match out.last_mut() {
            Some(last) if last.0 == e.0 => *last = e,
            _ => out.push(e),
        }
    }
    out
}

// The file: magic, schema, checksum and length of the body, body. The
// body: a fixed head (the data hash, the number of records, the size of
// the lookup table and of each section after it, the length of the
// version), the version, the records (fixed size, sorted by key), the
// lookup table, the keys' bytes, the blobs (each entry's class, and for a
// file kept its refined class and encoded facts), the folders (postcard).
// A run reads the file and checks its structure, and decodes the entries
// it looks up only.

const HEAD: usize = 8 + 4 + 8 + 8;
const BODY_HEAD: usize = 8 + 4 + 4 + 8 + 8 + 8 + 4;
/// The size of a record: key hash (u64), key offset and length (u32 each),
/// size, mtime, ctime, inode, checked_ns, seen (8 bytes each), content hash
/// (u128), whether there is one (u8), result (u8), 2 bytes unused, blob
/// offset and length (u32 each), 4 bytes unused.
const REC: usize = 96;
const CLEAN: u8 = 0;
const BINARY: u8 = 1;
const KEPT: u8 = 2;

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut w = [0; 4];
    if let Some(s) = b.get(at..at + 4) {
        w.copy_from_slice(s);
    }
    u32::from_le_bytes(w)
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut w = [0; 8];
    if let Some(s) = b.get(at..at + 8) {
        w.copy_from_slice(s);
    }
    u64::from_le_bytes(w)
}

fn u128_at(b: &[u8], at: usize) -> u128 {
    let mut w = [0; 16];
    if let Some(s) = b.get(at..at + 16) {
        w.copy_from_slice(s);
    }
    u128::from_le_bytes(w)
}

fn key_hash(key: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(key)
}

/// The entries of a cache file as read: its bytes and where each section
/// is. Every record's ranges are checked when the file is loaded.
struct Table {
    bytes: Vec<u8>,
    n: usize,
    records: Range<usize>,
    table: Range<usize>,
    keys: Range<usize>,
    blobs: Range<usize>,
}

impl Table {
    fn empty() -> Table {
        Table {
            bytes: Vec::new(),
            n: 0,
            records: 0..0,
            table: 0..0,
            keys: 0..0,
            blobs: 0..0,
        }
    }

    fn len(&self) -> usize {
        self.n
    }

    /// The record `i`.
    fn at(&self, i: usize) -> Option<Rec<'_>> {
        if i >= self.n {
            return None;
        }
        let at = self.records.start + i * REC;
        Some(Rec {
            raw: self.bytes.get(at..at + REC)?,
            table: self,
        })
    }

    /// The record of `key`: its slot in the lookup table (open addressing,
    /// linear probing; a slot holds a record's index plus one, 0 when
    /// empty), its key hash and then its key compared.
    fn find(&self, key: &str) -> Option<Rec<'_>> {
        let slots = self.table.len() / 4;
        if slots == 0 || self.n == 0 {
            return None;
        }
        let key = key.as_bytes();
        let hash = key_hash(key);
        let mut slot = (hash as usize) & (slots - 1);
        for _ in 0..slots {
            let i = u32_at(&self.bytes, self.table.start + slot * 4) as usize;
            let r = self.at(i.checked_sub(1)?)?;
            if r.key_hash() == hash && r.key() == key {
                return Some(r);
            }
            slot = (slot + 1) & (slots - 1);
        }
        None
    }

    /// Check that every record's key and blob lie in their sections, keys
    /// strictly ascending, result known, and every table slot names a
    /// record or none: what a checksum cannot tell (a file written wrong).
    fn check(&self) -> Result<(), &'static str> {
        let slots = self.table.len() / 4;
        if !slots.is_power_of_two() || slots < self.n {
            return Err("bad lookup table");
        }
        let mut last: Option<&[u8]> = None;
        for i in 0..self.n {
            let r = self.at(i).ok_or("truncated records")?;
            let (k, b) = (r.key_range(), r.blob_range());
            if k.end > self.keys.len() || b.end > self.blobs.len() {
                return Err("offset out of range");
            }
            if r.result() > KEPT {
                return Err("unknown result");
            }
            let key = r.key();
            if last.is_some_and(|l| l >= key) {
                return Err("keys out of order");
            }
            last = Some(key);
        }
        for s in 0..slots {
            if u32_at(&self.bytes, self.table.start + s * 4) as usize > self.n {
                return Err("bad lookup table");
            }
        }
        Ok(())
    }
}

/// One record of a [`Table`].
#[derive(Clone, Copy)]
struct Rec<'t> {
    raw: &'t [u8],
    table: &'t Table,
}

impl<'t> Rec<'t> {
    fn key_hash(&self) -> u64 {
        u64_at(self.raw, 0)
    }

    /// The range a record's offset and length at `at` give (within a
    /// section of the file).
    fn range_at(&self, at: usize) -> Range<usize> {
        let start = u32_at(self.raw, at) as usize;
        start..start + u32_at(self.raw, at + 4) as usize
    }

    /// The bytes at `r` within the file's `section`.
    fn in_section(&self, section: &Range<usize>, r: Range<usize>) -> &'t [u8] {
        self.table
            .bytes
            .get(section.start + r.start..section.start + r.end)
            .unwrap_or_default()
    }

    fn key_range(&self) -> Range<usize> {
        self.range_at(8)
    }

    fn key(&self) -> &'t [u8] {
        self.in_section(&self.table.keys, self.key_range())
    }

    fn stamp(&self) -> Stamp {
        Stamp {
            size: u64_at(self.raw, 16),
            mtime_ns: u64_at(self.raw, 24) as i64,
            ctime_ns: u64_at(self.raw, 32) as i64,
            inode: u64_at(self.raw, 40),
        }
    }

    fn checked_ns(&self) -> i64 {
        u64_at(self.raw, 48) as i64
    }

    fn seen(&self) -> u64 {
        u64_at(self.raw, 56)
    }

    fn hash(&self) -> Option<u128> {
        (self.raw.get(80) == Some(&1)).then(|| u128_at(self.raw, 64))
    }

    fn result(&self) -> u8 {
        self.raw.get(81).copied().unwrap_or(u8::MAX)
    }

    fn racy(&self) -> bool {
        self.stamp().mtime_ns.saturating_add(RACY_NS) >= self.checked_ns()
    }

    fn blob_range(&self) -> Range<usize> {
        self.range_at(84)
    }

    fn blob(&self) -> &'t [u8] {
        self.in_section(&self.table.blobs, self.blob_range())
    }

    /// The class the file was scanned with.
    fn class(&self) -> Option<FileClass> {
        postcard::take_from_bytes(self.blob()).ok().map(|(c, _)| c)
    }

    /// The whole entry (`None`: undecodable, as if absent).
    fn entry(&self) -> Option<Entry> {
        let (class, rest): (FileClass, &[u8]) = postcard::take_from_bytes(self.blob()).ok()?;
        let result = match self.result() {
            CLEAN => ScanResult::Clean,
            BINARY => ScanResult::Binary,
            KEPT => {
                let (class, facts): (FileClass, &[u8]) = postcard::take_from_bytes(rest).ok()?;
                ScanResult::Kept {
                    class,
                    facts: facts.to_vec(),
                }
            }
            _ => return None,
        };
        Some(Entry {
            stamp: self.stamp(),
            class,
            hash: self.hash(),
            checked_ns: self.checked_ns(),
            seen: self.seen(),
            result,
        })
    }
}

/// A cache file being written: records added in key order.
#[derive(Default)]
struct Writer {
    records: Vec<u8>,
    hashes: Vec<u64>,
    keys: Vec<u8>,
    blobs: Vec<u8>,
}

fn too_large() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, "cache too large")
}

fn offset(n: usize) -> std::io::Result<[u8; 4]> {
    u32::try_from(n)
        .map(u32::to_le_bytes)
        .map_err(|_| too_large())
}

impl Writer {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        key: &[u8],
        stamp: Stamp,
        checked_ns: i64,
        seen: u64,
        hash: Option<u128>,
        result: u8,
        blob: &[u8],
    ) -> std::io::Result<()> {
        let h = key_hash(key);
        let r = &mut self.records;
        r.extend_from_slice(&h.to_le_bytes());
        r.extend_from_slice(&offset(self.keys.len())?);
        r.extend_from_slice(&offset(key.len())?);
        r.extend_from_slice(&stamp.size.to_le_bytes());
        r.extend_from_slice(&stamp.mtime_ns.to_le_bytes());
        r.extend_from_slice(&stamp.ctime_ns.to_le_bytes());
        r.extend_from_slice(&stamp.inode.to_le_bytes());
        r.extend_from_slice(&checked_ns.to_le_bytes());
        r.extend_from_slice(&seen.to_le_bytes());
        r.extend_from_slice(&hash.unwrap_or(0).to_le_bytes());
        r.extend_from_slice(&[u8::from(hash.is_some()), result, 0, 0]);
        r.extend_from_slice(&offset(self.blobs.len())?);
        r.extend_from_slice(&offset(blob.len())?);
        r.extend_from_slice(&[0; 4]);
        self.hashes.push(h);
        self.keys.extend_from_slice(key);
        self.blobs.extend_from_slice(blob);
        offset(self.keys.len())?;
        offset(self.blobs.len())?;
        Ok(())
    }

    /// A record loaded, copied as it is.
    fn copy(&mut self, r: &Rec<'_>) -> std::io::Result<()> {
        self.push(
            r.key(),
            r.stamp(),
            r.checked_ns(),
            r.seen(),
            r.hash(),
            r.result(),
            r.blob(),
        )
    }

    /// An entry recorded this run.
    fn add(&mut self, key: &str, e: &Entry) -> std::io::Result<()> {
        let invalid = |e: postcard::Error| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string())
        };
        let mut blob = postcard::to_stdvec(&e.class).map_err(invalid)?;
        let result = match &e.result {
            ScanResult::Clean => CLEAN,
            ScanResult::Binary => BINARY,
            ScanResult::Kept { class, facts } => {
                blob.extend(postcard::to_stdvec(class).map_err(invalid)?);
                blob.extend_from_slice(facts);
                KEPT
            }
        };
        self.push(
            key.as_bytes(),
            e.stamp,
            e.checked_ns,
            e.seen,
            e.hash,
            result,
            &blob,
        )
    }

    /// The file's bytes.
    fn finish(
        self,
        version: &str,
        data: u64,
        folders: &[(String, Folder)],
    ) -> std::io::Result<Vec<u8>> {
        let n = self.hashes.len();
        let slots = (n * 2).max(1).next_power_of_two();
        let mut table = vec![0u32; slots];
        for (i, h) in self.hashes.iter().enumerate() {
            let mut s = (*h as usize) & (slots - 1);
            while table[s] != 0 {
                s = (s + 1) & (slots - 1);
            }
            table[s] = u32::try_from(i + 1).map_err(|_| too_large())?;
        }
        let folders = postcard::to_stdvec(folders)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?;
        let mut body = Vec::with_capacity(
            BODY_HEAD
                + version.len()
                + self.records.len()
                + slots * 4
                + self.keys.len()
                + self.blobs.len()
                + folders.len(),
        );
        body.extend_from_slice(&data.to_le_bytes());
        body.extend_from_slice(&offset(n)?);
        body.extend_from_slice(&offset(slots)?);
        body.extend_from_slice(&(self.keys.len() as u64).to_le_bytes());
        body.extend_from_slice(&(self.blobs.len() as u64).to_le_bytes());
        body.extend_from_slice(&(folders.len() as u64).to_le_bytes());
        body.extend_from_slice(&offset(version.len())?);
        body.extend_from_slice(version.as_bytes());
        body.extend_from_slice(&self.records);
        for s in table {
            body.extend_from_slice(&s.to_le_bytes());
        }
        body.extend_from_slice(&self.keys);
        body.extend_from_slice(&self.blobs);
        body.extend_from_slice(&folders);
        let mut out = Vec::with_capacity(body.len() + HEAD);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&SCHEMA.to_le_bytes());
        out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&body);
        Ok(out)
    }
}

/// The folders of a cache file, sorted by path.
type Folders = Vec<(String, Folder)>;

/// Check a cache file: its entries (decoded when looked up) and its
/// folders, or why it cannot be used.
fn decode(bytes: Vec<u8>) -> Result<(Table, Folders), &'static str> {
    if bytes.len() < HEAD || &bytes[..8] != MAGIC {
        return Err("not a credlint cache file");
    }
    if u32_at(&bytes, 8) != SCHEMA {
        return Err("another cache schema");
    }
    let sum = u64_at(&bytes, 12);
    let len = u64_at(&bytes, 20);
    let body = &bytes[HEAD..];
    if body.len() as u64 != len || body.len() < BODY_HEAD {
        return Err("truncated");
    }
    if xxhash_rust::xxh3::xxh3_64(body) != sum {
        return Err("checksum mismatch");
    }
    let data = u64_at(body, 0);
    let n = u32_at(body, 8) as usize;
    let slots = u32_at(body, 12) as usize;
    let sizes = [u64_at(body, 16), u64_at(body, 24), u64_at(body, 32)];
    let [keys_len, blobs_len, folders_len] =
        sizes.map(|s| usize::try_from(s).unwrap_or(usize::MAX));
    let version_len = u32_at(body, 40) as usize;
    // Every section's end, as offsets in `bytes`; an overflow is a bad file.
    let mut at = HEAD + BODY_HEAD;
    let mut section = |len: Option<usize>| -> Result<Range<usize>, &'static str> {
        let end = len.and_then(|l| at.checked_add(l)).ok_or("truncated")?;
        let r = at..end;
        at = end;
        Ok(r)
    };
    let version = section(Some(version_len))?;
    let records = section(n.checked_mul(REC))?;
    let table = section(slots.checked_mul(4))?;
    let keys = section(Some(keys_len))?;
    let blobs = section(Some(blobs_len))?;
    let folders = section(Some(folders_len))?;
    if folders.end != bytes.len() {
        return Err("truncated");
    }
    if bytes.get(version) != Some(env!("CARGO_PKG_VERSION").as_bytes()) {
        return Err("written by another credlint version");
    }
    if data != data_hash() {
        return Err("written for other rule or provider data");
    }
    let folders: Vec<(String, Folder)> =
        postcard::from_bytes(&bytes[folders]).map_err(|_| "undecodable")?;
    let table = Table {
        bytes,
        n,
        records,
        table,
        keys,
        blobs,
    };
    table.check()?;
    Ok((table, folders))
}

/// Create the cache folder with a `.gitignore` that ignores all of it and
/// a `CACHEDIR.TAG` (backup tools skip the folder), as ruff does.
fn prepare_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let gitignore = dir.join(".gitignore");
    if !gitignore.exists() {
        fs::write(gitignore, "# Created by credlint.\n*\n")?;
    }
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        fs::write(
            tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n\
             # This file is a cache directory tag created by credlint.\n\
             # For information about cache directory tags see https://bford.info/cachedir/\n",
        )?;
    }
    Ok(())
}

/// The cache key of a file: its absolute path, `.` components removed
/// (`None` for a path that is not UTF-8: such files are not cached).
pub fn key<'p>(path: &'p Path, cwd: &Path) -> Option<Cow<'p, str>> {
    let s = path.to_str()?;
    // Most paths (from the index, or a walk of an absolute path) are
    // already in that form: borrowed, not copied.
    if s.starts_with('/') && !s.contains("/./") && !s.contains("//") && !s.ends_with("/.") {
        return Some(Cow::Borrowed(s));
    }
    let abs: PathBuf = if path.is_absolute() {
        path.components().collect()
    } else {
        cwd.join(path).components().collect()
    };
    abs.to_str().map(|s| Cow::Owned(s.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class() -> FileClass {
        crate::walk::classify(Path::new("/x/a.py"), "a.py", true, true)
    }

    fn stamp() -> Stamp {
        Stamp {
            size: 3,
            mtime_ns: 1,
            ctime_ns: 1,
            inode: 7,
        }
    }

    #[test]
    fn a_saved_cache_loads_and_a_damaged_one_is_ignored() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = Path::new("/repo");
        let c = Cache::open(dir.path(), root);
        assert!(c.is_empty());
        c.record("/repo/a.py", stamp(), class(), Some(5), ScanResult::Clean);
        let file = c.file().to_path_buf();
        assert!(c.save().expect("save"));
        assert!(dir.path().join(".gitignore").exists());
        let c = Cache::open(dir.path(), root);
        assert_eq!(c.rejected, None);
        let e = c.get("/repo/a.py", &class()).expect("entry");
        assert_eq!(e.hash, Some(5));
        assert!(c.fresh("/repo/a.py", &class(), &stamp()).is_some());
        let good = fs::read(&file).expect("read");
        // Truncated, a flipped byte, random bytes, another schema.
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        let mut schema = good.clone();
        schema[8] ^= 1;
        for bad in [
            good[..good.len() / 2].to_vec(),
            flipped,
            (0..good.len()).map(|i| (i * 7919 % 251) as u8).collect(),
            schema,
            Vec::new(),
        ] {
            fs::write(&file, &bad).expect("write");
            let c = Cache::open(dir.path(), root);
            assert!(c.is_empty());
            assert!(c.rejected.is_some());
        }
    }

    /// A cache file of `entries` (sorted by key) with this version and
    /// data hash.
    fn file_of(version: &str, data: u64, entries: &[(&str, Entry)]) -> Vec<u8> {
        let mut w = Writer::default();
        for (k, e) in entries {
            w.add(k, e).expect("add");
        }
        w.finish(version, data, &[]).expect("encode")
    }

    fn entry(hash: u128, result: ScanResult) -> Entry {
        Entry {
            stamp: stamp(),
            class: class(),
            hash: Some(hash),
            checked_ns: 0,
            seen: 0,
            result,
        }
    }

    #[test]
    fn a_cache_of_another_version_or_data_is_ignored() {
        let entries = [("/repo/a.py", entry(5, ScanResult::Clean))];
        let v = env!("CARGO_PKG_VERSION");
        assert!(decode(file_of(v, data_hash(), &entries)).is_ok());
        for (bad, why) in [
            (
                file_of("0.0.0-other", data_hash(), &entries),
                "written by another credlint version",
            ),
            (
                file_of(v, data_hash() ^ 1, &entries),
                "written for other rule or provider data",
            ),
        ] {
            assert_eq!(decode(bad).err(), Some(why));
        }
    }

    /// Three entries (one kept with facts) and where their records start.
    fn three() -> (Vec<u8>, usize) {
        let kept = ScanResult::Kept {
            class: class(),
            facts: vec![1, 2, 3],
        };
        let v = env!("CARGO_PKG_VERSION");
        let bytes = file_of(
            v,
            data_hash(),
            &[
                ("/r/a", entry(1, ScanResult::Clean)),
                ("/r/b", entry(2, ScanResult::Binary)),
                ("/r/c", entry(3, kept)),
            ],
        );
        (bytes, HEAD + BODY_HEAD + v.len())
    }

    /// `bytes` with its checksum made right again: a file written wrong,
    /// not damaged on the way.
    fn resealed(mut bytes: Vec<u8>) -> Vec<u8> {
        let sum = xxhash_rust::xxh3::xxh3_64(&bytes[HEAD..]);
        bytes[12..20].copy_from_slice(&sum.to_le_bytes());
        bytes
    }

    #[test]
    fn entries_are_found_by_key_and_decoded_whole() {
        let (bytes, _) = three();
        let (t, _) = decode(bytes).expect("decode");
        assert_eq!(t.len(), 3);
        let got = |k: &str| t.find(k).and_then(|r| r.entry());
        assert!(matches!(
            got("/r/a").map(|e| e.result),
            Some(ScanResult::Clean)
        ));
        assert!(matches!(
            got("/r/b").map(|e| e.result),
            Some(ScanResult::Binary)
        ));
        let c = got("/r/c").expect("entry");
        assert_eq!(c.hash, Some(3));
        assert_eq!(c.stamp, stamp());
        assert_eq!(c.class, class());
        match c.result {
            ScanResult::Kept { class: k, facts } => {
                assert_eq!(k, class());
                assert_eq!(facts, vec![1, 2, 3]);
            }
            _ => panic!("not kept"),
        }
        assert!(got("/r/d").is_none());
        assert!(got("/r/").is_none());
        assert!(got("").is_none());
    }

    #[test]
    fn a_cache_file_written_wrong_is_ignored() {
        let (good, rec) = three();
        let set = |at: usize, v: &[u8]| {
            let mut b = good.clone();
            b[at..at + v.len()].copy_from_slice(v);
            resealed(b)
        };
        let n_at = HEAD + 8;
        // Records (and keys) swapped: keys out of order.
        let mut swapped = good.clone();
        let (a, b) = (
            good[rec..rec + REC].to_vec(),
            good[rec + REC..rec + 2 * REC].to_vec(),
        );
        swapped[rec..rec + REC].copy_from_slice(&b);
        swapped[rec + REC..rec + 2 * REC].copy_from_slice(&a);
        for (what, bad, why) in [
            ("more records", set(n_at, &4u32.to_le_bytes()), "truncated"),
            ("fewer records", set(n_at, &2u32.to_le_bytes()), "truncated"),
            (
                "key offset",
                set(rec + 8, &u32::MAX.to_le_bytes()),
                "offset out of range",
            ),
            (
                "key length",
                set(rec + 12, &1000u32.to_le_bytes()),
                "offset out of range",
            ),
            (
                "blob offset",
                set(rec + REC + 84, &999u32.to_le_bytes()),
                "offset out of range",
            ),
            ("result", set(rec + 81, &[7]), "unknown result"),
            ("keys out of order", resealed(swapped), "keys out of order"),
            (
                "table slot",
                set(rec + 3 * REC, &9u32.to_le_bytes()),
                "bad lookup table",
            ),
            (
                "records cut short",
                resealed(good[..rec + REC].to_vec()),
                "truncated",
            ),
        ] {
            // The length in the header follows the cut, so the sections decide.
            let mut bad = bad;
            let len = (bad.len() - HEAD) as u64;
            bad[20..28].copy_from_slice(&len.to_le_bytes());
            let bad = resealed(bad);
            assert_eq!(decode(bad).err(), Some(why), "{what}");
        }
    }

    #[test]
    fn no_byte_of_a_resealed_file_makes_a_load_or_lookup_panic_or_hang() {
        let (good, _) = three();
        for i in HEAD..good.len() {
            for x in [0x01, 0x80, 0xff] {
                let mut bad = good.clone();
                bad[i] ^= x;
                if let Ok((t, _)) = decode(resealed(bad)) {
                    for k in ["/r/a", "/r/b", "/r/c", "/r/d"] {
                        if let Some(r) = t.find(k) {
                            let _ = (r.entry(), r.class(), r.stamp(), r.racy());
                        }
                    }
                }
            }
        }
        // A table with no empty slot: a missing key is not found, in bounded time.
        let (bytes, rec) = three();
        let mut full = bytes;
        for s in 0..8 {
            let at = rec + 3 * REC + s * 4;
            full[at..at + 4].copy_from_slice(&1u32.to_le_bytes());
        }
        let (t, _) = decode(resealed(full)).expect("decode");
        assert!(t.find("/r/d").is_none());
    }

    #[test]
    fn facts_survive_the_round_trip() {
        let source = crate::source::Source::new(
            concat!(
                "OPENAI_API_KEY=sk-proj-",
                "abcdefghijklmnopqrstuvwxyz0123456789\n"
            )
            .into(),
        );
        let class = crate::walk::classify(Path::new("/x/.env"), ".env", false, true);
        let providers = crate::provider::Providers::builtin();
        let hits = providers
            .prefilter()
            .scan_file(source.text().as_bytes(), class.kind);
        let facts = crate::extract::extract(&class, Path::new("/x/.env"), &source, hits, providers);
        assert!(!facts.is_empty());
        let back = decode_facts(&encode_facts(&facts).expect("encode")).expect("decode");
        assert_eq!(
            facts.render(&source, providers),
            back.render(&source, providers)
        );
    }

    #[test]
    fn later_records_replace_earlier_ones_and_the_rest_are_kept() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = Path::new("/r");
        let c = Cache::open(dir.path(), root);
        c.record("/r/b", stamp(), class(), Some(1), ScanResult::Clean);
        c.record("/r/a", stamp(), class(), Some(2), ScanResult::Clean);
        assert!(c.save().expect("save"));
        let c = Cache::open(dir.path(), root);
        c.record("/r/c", stamp(), class(), Some(3), ScanResult::Clean);
        c.record("/r/b", stamp(), class(), Some(4), ScanResult::Clean);
        c.record("/r/b", stamp(), class(), Some(5), ScanResult::Clean);
        assert!(c.save().expect("save"));
        let c = Cache::open(dir.path(), root);
        assert_eq!(c.rejected, None);
        let got: Vec<(String, Option<u128>)> = (0..c.loaded.len())
            .filter_map(|i| c.loaded.at(i))
            .map(|r| {
                let k = String::from_utf8_lossy(r.key()).into_owned();
                (k, r.hash())
            })
            .collect();
        let want = [("/r/a", 2), ("/r/b", 5), ("/r/c", 3)]
            .map(|(k, h)| (k.to_string(), Some(h)))
            .to_vec();
        assert_eq!(got, want);
    }

    #[test]
    fn a_racy_entry_is_not_fresh() {
        let dir = tempfile::tempdir().expect("tmp");
        let c = Cache::open(dir.path(), Path::new("/repo"));
        let mut s = stamp();
        s.mtime_ns = c.started_ns - 1;
        c.record("/repo/a.py", s, class(), Some(5), ScanResult::Clean);
        assert!(c.save().expect("save"));
        let c = Cache::open(dir.path(), Path::new("/repo"));
        assert!(c.get("/repo/a.py", &class()).is_some());
        assert!(c.fresh("/repo/a.py", &class(), &s).is_none());
    }

    #[test]
    fn keys_are_absolute_without_dots() {
        let cwd = Path::new("/repo");
        assert_eq!(
            key(Path::new("./a/./b.py"), cwd).as_deref(),
            Some("/repo/a/b.py")
        );
        assert_eq!(
            key(Path::new("/repo/a/b.py"), cwd).as_deref(),
            Some("/repo/a/b.py")
        );
    }
}
