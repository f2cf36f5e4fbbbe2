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
//! built-in data and sources extraction depends on. A file that fails any
//! of these checks (corrupted, truncated, written by another version) is
//! ignored and rebuilt: the cache can make a run faster, never different.
//! It is written to a temporary file in the same folder and renamed over
//! the old one, so a concurrent run reads the old file or the new one,
//! never half of one; the last writer wins, keeping the entries it loaded
//! that it did not scan (a pre-commit run scans a few files only). Any
//! error writing it (a read-only folder) leaves the run without a cache.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::hash::BuildHasher;
use std::io::Write;
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
/// The layout of the file; bumped when [`Stored`] or a fact type changes.
const SCHEMA: u32 = 2;

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
    #[cfg(unix)]
    pub fn of(meta: &fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            size: meta.len(),
            mtime_ns: meta
                .mtime()
                .saturating_mul(1_000_000_000)
                .saturating_add(meta.mtime_nsec()),
            ctime_ns: meta
                .ctime()
                .saturating_mul(1_000_000_000)
                .saturating_add(meta.ctime_nsec()),
            inode: meta.ino(),
        }
    }

    #[cfg(not(unix))]
    pub fn of(meta: &fs::Metadata) -> Stamp {
        let ns = |t: std::io::Result<SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        };
        Stamp {
            size: meta.len(),
            mtime_ns: ns(meta.modified()),
            ctime_ns: ns(meta.created()),
            inode: 0,
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

/// What the cache file holds after its header.
#[derive(Serialize, Deserialize)]
struct Stored {
    version: String,
    data: u64,
    entries: Vec<(String, Entry)>,
    /// Sorted by path.
    folders: Vec<(String, Folder)>,
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
    /// Sorted by key (as the file stores them).
    loaded: Vec<(String, Entry)>,
    /// Where each key of `loaded` is, by a hash of the key (a cheap one:
    /// see [`FastHash`]); keys whose hashes collide are told apart by
    /// comparing them.
    at: HashMap<u64, Slot, FastHash>,
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
            Ok(bytes) => match decode(&bytes) {
                Ok(stored) => (
                    sorted(stored.entries),
                    stored.folders.into_iter().collect(),
                    None,
                ),
                Err(why) => (Vec::new(), HashMap::default(), Some(why)),
            },
            Err(_) => (Vec::new(), HashMap::default(), Some("no cache file")),
        };
        let mut at: HashMap<u64, Slot, FastHash> =
            HashMap::with_capacity_and_hasher(loaded.len(), FastHash::default());
        for (i, (k, _)) in loaded.iter().enumerate() {
            match at.entry(hash_key(k)) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(Slot::One(i));
                }
                std::collections::hash_map::Entry::Occupied(mut o) => {
                    let slot = o.get_mut();
                    *slot = match std::mem::replace(slot, Slot::Many(Vec::new())) {
                        Slot::One(j) => Slot::Many(vec![j, i]),
                        Slot::Many(mut v) => {
                            v.push(i);
                            Slot::Many(v)
                        }
                    };
                }
            }
        }
        Cache {
            file,
            dir: dir.to_path_buf(),
            loaded,
            at,
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
        self.loaded.is_empty()
    }

    /// The entry loaded for `key`, whatever its class.
    fn entry(&self, key: &str) -> Option<&Entry> {
        let found = |i: &usize| {
            self.loaded
                .get(*i)
                .filter(|(k, _)| k == key)
                .map(|(_, e)| e)
        };
        match self.at.get(&hash_key(key))? {
            Slot::One(i) => found(i),
            Slot::Many(v) => v.iter().find_map(found),
        }
    }

    /// The entry of `key` scanned with `class`, if any.
    pub fn get(&self, key: &str, class: &FileClass) -> Option<&Entry> {
        self.entry(key).filter(|e| e.class == *class)
    }

    /// The entry of `key` if its stamp says the file is unchanged: stamps
    /// equal, and not racy.
    pub fn fresh(&self, key: &str, class: &FileClass, stamp: &Stamp) -> Option<&Entry> {
        let e = self.get(key, class)?;
        if e.stamp != *stamp || e.racy() {
            return None;
        }
        self.mark_seen(key, e);
        Some(e)
    }

    /// Note that `key` was used this run, so that its entry is not dropped
    /// as unseen (only when the recorded date is old enough to matter).
    fn mark_seen(&self, key: &str, e: &Entry) {
        if self.now_secs.saturating_sub(e.seen) > SEEN_REFRESH_SECS {
            self.push(
                key,
                Entry {
                    seen: self.now_secs,
                    ..e.clone()
                },
            );
        }
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
        let Some(e) = self.entry(key) else {
            return false;
        };
        if !(matches!(e.result, ScanResult::Clean)
            || (binary && matches!(e.result, ScanResult::Binary)))
            || e.stamp != *stamp
            || e.racy()
            || e.class.kind != kind()
        {
            return false;
        }
        self.mark_seen(key, e);
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
    /// Errors are returned for the caller to ignore or mention.
    pub fn save(self) -> std::io::Result<bool> {
        let updates = self.updates.into_inner().unwrap_or_default();
        let folder_updates = self.folder_updates.into_inner().unwrap_or_default();
        if updates.is_empty() && folder_updates.is_empty() {
            return Ok(false);
        }
        let now = self.now_secs;
        let entries: Vec<(String, Entry)> = merge(self.loaded, sorted(updates))
            .into_iter()
            .filter(|(_, e)| now.saturating_sub(e.seen) <= MAX_UNSEEN_SECS)
            .collect();
        let mut folders = self.folders;
        folders.extend(folder_updates);
        let mut folders: Vec<(String, Folder)> = folders
            .into_iter()
            .filter(|(_, f)| now.saturating_sub(f.seen) <= MAX_UNSEEN_SECS)
            .collect();
        folders.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let stored = Stored {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data: data_hash(),
            entries,
            folders,
        };
        let bytes = encode(&stored)?;
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

/// Where the entries of one key hash are in [`Cache::loaded`].
enum Slot {
    One(usize),
    Many(Vec<usize>),
}

fn hash_key(key: &str) -> u64 {
    FastHash::default().hash_one(key)
}

/// `entries` sorted by key, one per key: of entries with the same key, the
/// last one (a later record replaces an earlier one). A stable sort, so
/// input already sorted (a cache file) costs one pass.
fn sorted(mut entries: Vec<(String, Entry)>) -> Vec<(String, Entry)> {
    // A cache file's entries: already in order, each key once.
    if entries.windows(2).all(|w| w[0].0 < w[1].0) {
        return entries;
    }
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

/// Two lists sorted by key (one entry per key) merged; where both have a
/// key, the entry of `newer` is kept.
fn merge(older: Vec<(String, Entry)>, newer: Vec<(String, Entry)>) -> Vec<(String, Entry)> {
    let mut out = Vec::with_capacity(older.len() + newer.len());
    let mut a = older.into_iter().peekable();
    let mut b = newer.into_iter().peekable();
    loop {
        let order = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.0.cmp(&y.0),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => break,
        };
        let next = match order {
            std::cmp::Ordering::Less => a.next(),
            std::cmp::Ordering::Greater => b.next(),
            std::cmp::Ordering::Equal => {
                a.next();
                b.next()
            }
        };
        out.extend(next);
    }
    out
}

/// A cache file's bytes: magic, schema, checksum and length of the body,
/// body.
fn encode(stored: &Stored) -> std::io::Result<Vec<u8>> {
    let body = postcard::to_stdvec(stored)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?;
    let mut out = Vec::with_capacity(body.len() + 28);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&SCHEMA.to_le_bytes());
    out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

/// Decode a cache file, or say why it cannot be used.
fn decode(bytes: &[u8]) -> Result<Stored, &'static str> {
    const HEAD: usize = 8 + 4 + 8 + 8;
    if bytes.len() < HEAD || &bytes[..8] != MAGIC {
        return Err("not a credlint cache file");
    }
    let word = |at: usize| -> [u8; 8] {
        let mut w = [0; 8];
        w.copy_from_slice(&bytes[at..at + 8]);
        w
    };
    let mut schema = [0; 4];
    schema.copy_from_slice(&bytes[8..12]);
    if u32::from_le_bytes(schema) != SCHEMA {
        return Err("another cache schema");
    }
    let sum = u64::from_le_bytes(word(12));
    let len = u64::from_le_bytes(word(20));
    let body = &bytes[HEAD..];
    if body.len() as u64 != len {
        return Err("truncated");
    }
    if xxhash_rust::xxh3::xxh3_64(body) != sum {
        return Err("checksum mismatch");
    }
    let stored: Stored = postcard::from_bytes(body).map_err(|_| "undecodable")?;
    if stored.version != env!("CARGO_PKG_VERSION") {
        return Err("written by another credlint version");
    }
    if stored.data != data_hash() {
        return Err("written for other rule or provider data");
    }
    Ok(stored)
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

    #[test]
    fn a_cache_of_another_version_or_data_is_ignored() {
        let entry = Entry {
            stamp: stamp(),
            class: class(),
            hash: Some(5),
            checked_ns: 0,
            seen: 0,
            result: ScanResult::Clean,
        };
        let good = Stored {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data: data_hash(),
            entries: vec![("/repo/a.py".to_string(), entry.clone())],
            folders: Vec::new(),
        };
        assert!(decode(&encode(&good).expect("encode")).is_ok());
        let version = Stored {
            version: "0.0.0-other".to_string(),
            data: data_hash(),
            entries: vec![("/repo/a.py".to_string(), entry.clone())],
            folders: Vec::new(),
        };
        let data = Stored {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data: data_hash() ^ 1,
            entries: vec![("/repo/a.py".to_string(), entry)],
            folders: Vec::new(),
        };
        for (bad, why) in [
            (version, "written by another credlint version"),
            (data, "written for other rule or provider data"),
        ] {
            let err = decode(&encode(&bad).expect("encode")).err();
            assert_eq!(err, Some(why));
        }
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
        let e = |hash| Entry {
            stamp: stamp(),
            class: class(),
            hash: Some(hash),
            checked_ns: 0,
            seen: 0,
            result: ScanResult::Clean,
        };
        let older = sorted(vec![("/r/b".into(), e(1)), ("/r/a".into(), e(2))]);
        let newer = sorted(vec![
            ("/r/c".into(), e(3)),
            ("/r/b".into(), e(4)),
            ("/r/b".into(), e(5)),
        ]);
        let got: Vec<(String, Option<u128>)> = merge(older, newer)
            .into_iter()
            .map(|(k, e)| (k, e.hash))
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
