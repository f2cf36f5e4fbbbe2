//! The paths git tracks: the index of a work tree. It decides what is
//! committed (SPEC §1): a tracked file is committed even when an ignore file
//! matches it, since ignoring a file later does not untrack it.
//!
//! The index file is read in process (a few milliseconds for the 27,000
//! entries of a large repository) where its layout is the common one;
//! anything else (a split or sparse index, another hash, a linked worktree,
//! a configuration with extensions) is left to `git ls-files -z`, which
//! honours everything the repository configures and adds nothing to the
//! build. When git is missing, the folder is not a work tree git accepts, or
//! git fails, there is no index and the ignore rules alone decide, as they
//! do outside git.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A hasher for tables keyed by paths the run itself lists (the index,
/// the cache's keys): FxHash (as rustc uses), several times cheaper than
/// the default SipHash on long paths. Not for keys an attacker chooses to
/// collide (a crafted repository can only slow its own scan).
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The [`std::hash::BuildHasher`] of [`FastHasher`].
pub type FastHash = std::hash::BuildHasherDefault<FastHasher>;

/// What a tracked path is, by its mode in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tracked {
    File,
    Symlink,
    /// A submodule: a commit of another repository, checked out as a folder.
    Submodule,
}

impl Tracked {
    /// The kind of an index entry of mode `mode` (`None`: a kind git's
    /// work-tree index does not hold, such as a sparse index's folder).
    fn of_mode(mode: u32) -> Option<Tracked> {
        match mode & 0o170_000 {
            0o100_000 => Some(Tracked::File),
            0o120_000 => Some(Tracked::Symlink),
            0o160_000 => Some(Tracked::Submodule),
            _ => None,
        }
    }
}

/// The tracked paths of one work tree.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Index {
    /// The work tree's root (canonical).
    pub root: PathBuf,
    /// The paths' bytes, one after the other.
    names: Vec<u8>,
    /// Tracked paths (where their bytes are in `names`), relative to the
    /// root, sorted bytewise as git sorts them, each once (a conflicted
    /// path once).
    entries: Vec<(u32, u32, Tracked)>,
}

impl Index {
    /// The index of the work tree whose root (canonical, holding `.git`) is
    /// `root`, or `None` when git cannot tell: the index file read in
    /// process where its layout is one this reader knows (most
    /// repositories), `git ls-files` otherwise.
    pub fn read(root: &Path) -> Option<Index> {
        Index::read_file(root).or_else(|| Index::read_with_git(root))
    }

    /// The index of the work tree at `root` as `git ls-files` lists it.
    pub fn read_with_git(root: &Path) -> Option<Index> {
        let mut cmd = Command::new("git");
        cmd.current_dir(root)
            .args(["-c", "core.quotePath=false", "ls-files", "-z", "--stage"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            // The repository is the one at `root`: never one found above it
            // (a `.git` git does not accept must not lead to an outer
            // repository), nor one an outer hook names.
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_COMMON_DIR")
            .env("GIT_NO_LAZY_FETCH", "1");
        if let Some(parent) = root.parent() {
            cmd.env("GIT_CEILING_DIRECTORIES", parent);
        }
        // A hook of `git commit -a` or `git commit FILE` runs with the index
        // being committed in GIT_INDEX_FILE: kept for this repository, never
        // passed to another (a nested repository has its own index).
        if std::env::var_os("GIT_INDEX_FILE").is_some() && hook_index(root).is_none() {
            cmd.env_remove("GIT_INDEX_FILE");
        }
        let out = cmd.output().ok()?;
        if !out.status.success() {
            return None;
        }
        // Records: "<mode> <object id> <stage>\t<path>\0".
        let mut index = Index {
            root: root.to_path_buf(),
            ..Index::default()
        };
        for record in out.stdout.split(|&b| b == 0) {
            let Some(tab) = record.iter().position(|&b| b == b'\t') else {
                continue;
            };
            let (meta, path) = record.split_at(tab);
            let kind = match meta.get(..6) {
                Some(b"120000") => Tracked::Symlink,
                Some(b"160000") => Tracked::Submodule,
                Some(_) => Tracked::File,
                None => continue,
            };
            index.push(path.get(1..).unwrap_or_default(), kind)?;
        }
        index.finish();
        Some(index)
    }

    /// The index of the work tree at `root` read from its index file, or
    /// `None` where git might list something else: the layout is not one
    /// this reader knows (a split or sparse index, another version or
    /// hash, an extension git requires be understood, an entry or length
    /// out of place), the repository is not a plain one (`.git` a file, a
    /// configuration with extensions or another work tree, a folder another
    /// user owns, which git refuses), or the index names another file.
    /// The index's checksum is not computed: git does not either, but on
    /// `fsck`; its layout is checked throughout.
    pub fn read_file(root: &Path) -> Option<Index> {
        if !git_on_path() {
            return None;
        }
        let git = root.join(".git");
        let meta = fs::symlink_metadata(&git).ok()?;
        if !meta.is_dir() || !owned(&meta) || !fs::metadata(root).is_ok_and(|m| owned(&m)) {
            return None;
        }
        if !git.join("HEAD").is_file() || !git.join("objects").is_dir() {
            return None;
        }
        let config = fs::read(git.join("config")).ok()?;
        let config: String = String::from_utf8_lossy(&config)
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let plain = [
            "extensions",
            "worktree",
            "include",
            "repositoryformatversion=1",
        ]
        .iter()
        .all(|w| !config.contains(w))
            && config.matches("bare").count() == config.matches("bare=false").count();
        if !plain {
            return None;
        }
        let file = if std::env::var_os("GIT_INDEX_FILE").is_some() {
            hook_index(root)?
        } else {
            git.join("index")
        };
        let bytes = fs::read(file).ok()?;
        let mut index = parse(&bytes)?;
        index.root = root.to_path_buf();
        Some(index)
    }

    fn push(&mut self, name: &[u8], kind: Tracked) -> Option<()> {
        let start = u32::try_from(self.names.len()).ok()?;
        self.names.extend_from_slice(name);
        let end = u32::try_from(self.names.len()).ok()?;
        self.entries.push((start, end, kind));
        Some(())
    }

    fn name(&self, (start, end, _): &(u32, u32, Tracked)) -> &[u8] {
        self.names
            .get(*start as usize..*end as usize)
            .unwrap_or_default()
    }

    /// Sorted bytewise, each path once (of a conflicted path's stages, the
    /// first).
    fn finish(&mut self) {
        let mut entries = std::mem::take(&mut self.entries);
        if !entries
            .windows(2)
            .all(|w| self.name(&w[0]) <= self.name(&w[1]))
        {
            entries.sort_by(|a, b| self.name(a).cmp(self.name(b)));
        }
        entries.dedup_by(|b, a| self.name(a) == self.name(b));
        self.entries = entries;
    }

    /// How many paths are tracked.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `i`th tracked path (bytewise order), relative to the root, and
    /// its bytes.
    pub fn get(&self, i: usize) -> Option<(&Path, &[u8], Tracked)> {
        let e = self.entries.get(i)?;
        let name = self.name(e);
        Some((path_of(name)?, name, e.2))
    }

    /// The tracked paths, relative to the root, in bytewise order.
    pub fn iter(&self) -> impl Iterator<Item = (&Path, Tracked)> + '_ {
        (0..self.len()).filter_map(|i| self.get(i).map(|(p, _, k)| (p, k)))
    }

    /// Whether `abs` (absolute, its folders canonical) is tracked.
    pub fn is_tracked(&self, abs: &Path) -> bool {
        let Ok(rel) = abs.strip_prefix(&self.root) else {
            return false;
        };
        let rel = rel.as_os_str().as_encoded_bytes();
        if !plain_relative(rel) {
            let parts: Vec<&[u8]> = rel
                .split(|&b| b == b'/')
                .filter(|p| !p.is_empty() && *p != b".")
                .collect();
            return self.contains(&parts.join(&b'/'));
        }
        self.contains(rel)
    }

    fn contains(&self, rel: &[u8]) -> bool {
        self.entries
            .binary_search_by(|e| self.name(e).cmp(rel))
            .is_ok()
    }
}

/// Whether a relative path is written as git writes the index's paths
/// (and as credlint displays paths): not empty nor `.`, no `.` component,
/// no doubled, leading `./` or trailing separator.
pub fn plain_relative(rel: &[u8]) -> bool {
    !rel.is_empty()
        && rel != b"."
        && !rel.ends_with(b"/")
        && !rel.starts_with(b"./")
        && !rel.ends_with(b"/.")
        && memchr::memmem::find(rel, b"//").is_none()
        && memchr::memmem::find(rel, b"/./").is_none()
}

/// Whether a `git` program is on the PATH: without one the ignore rules
/// alone decide, as they do where the index cannot be read.
fn git_on_path() -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    std::env::split_paths(&path).any(|dir| {
        let git = dir.join(if cfg!(windows) { "git.exe" } else { "git" });
        fs::metadata(git).is_ok_and(|m| {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                m.is_file() && m.permissions().mode() & 0o111 != 0
            }
            #[cfg(not(unix))]
            {
                m.is_file()
            }
        })
    })
}

/// Whether the process's user owns a file (git refuses a repository
/// another user owns, unless configured to accept it: `git` decides then).
#[cfg(unix)]
fn owned(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // Under sudo, git compares with the user sudo ran for: git decides.
    if std::env::var_os("SUDO_UID").is_some() {
        return false;
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    meta.uid() == unsafe { libc::geteuid() }
}

#[cfg(not(unix))]
fn owned(_: &fs::Metadata) -> bool {
    false
}

/// The index file GIT_INDEX_FILE names (a hook of `git commit`), when it
/// is one of the repository at `root`.
fn hook_index(root: &Path) -> Option<PathBuf> {
    let file = PathBuf::from(std::env::var_os("GIT_INDEX_FILE")?);
    let file = if file.is_absolute() {
        file
    } else {
        std::env::current_dir()
            .map(|d| d.join(&file))
            .unwrap_or(file)
    };
    git_dir(root)
        .is_some_and(|d| file.starts_with(&d))
        .then_some(file)
}

/// The entries of an index file (git's `gitformat-index`: versions 2 to
/// 4, SHA-1 object names), or `None` for anything else or anything out of
/// place.
fn parse(bytes: &[u8]) -> Option<Index> {
    const HASH: usize = 20;
    let be32 = |at: usize| -> Option<u32> {
        let b = bytes.get(at..at + 4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    if bytes.get(..4)? != b"DIRC" {
        return None;
    }
    let version = be32(4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = be32(8)? as usize;
    let end = bytes.len().checked_sub(HASH)?;
    let mut index = Index::default();
    index.entries.reserve(count.min(end / 62));
    index.names.reserve(end);
    let mut at = 12;
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let start = at;
        // ctime, mtime, dev, ino (24 bytes), mode, uid, gid, size, object
        // name, flags.
        let mode = be32(at + 24)?;
        let flags = u16::from_be_bytes([*bytes.get(at + 60)?, *bytes.get(at + 61)?]);
        at += 62;
        if flags & 0x4000 != 0 {
            if version < 3 {
                return None;
            }
            at += 2;
        }
        let kind = Tracked::of_mode(mode)?;
        let len = usize::from(flags & 0x0fff);
        let name: &[u8] = if version == 4 {
            // The length of the previous name's end to drop, then the
            // rest of this one, NUL-terminated.
            let (strip, used) = varint(bytes.get(at..end)?)?;
            at += used;
            let rest = bytes.get(at..end)?;
            let nul = memchr::memchr(0, rest)?;
            let keep = previous.len().checked_sub(strip)?;
            previous.truncate(keep);
            previous.extend_from_slice(&rest[..nul]);
            at += nul + 1;
            &previous
        } else {
            let rest = bytes.get(at..end)?;
            let nul = memchr::memchr(0, rest)?;
            // 1 to 8 NULs pad the entry to a multiple of 8 bytes.
            let padded = (at - start + nul + 8) & !7;
            if bytes.get(at + nul..start + padded)?.iter().any(|&b| b != 0) {
                return None;
            }
            let name = &rest[..nul];
            at = start + padded;
            name
        };
        if name.is_empty()
            || (len < 0x0fff && name.len() != len)
            || (len == 0x0fff && name.len() < len)
        {
            return None;
        }
        index.push(name, kind)?;
    }
    // Extensions: a signature, a length, the data. One whose signature
    // does not start with a capital letter must be understood (a split
    // index's `link`, a sparse index's `sdir`): git then decides.
    while at < end {
        let sig = bytes.get(at..at + 4)?;
        if !sig[0].is_ascii_uppercase() {
            return None;
        }
        let len = be32(at + 4)? as usize;
        at = at.checked_add(8)?.checked_add(len)?;
    }
    if at != end {
        return None;
    }
    // Git writes entries sorted by name, stage; a conflicted path has one
    // entry per stage, next to each other.
    let mut ordered = true;
    let mut entries = std::mem::take(&mut index.entries);
    for w in entries.windows(2) {
        if index.name(&w[0]) > index.name(&w[1]) {
            ordered = false;
        }
    }
    if !ordered {
        return None;
    }
    entries.dedup_by(|b, a| index.name(a) == index.name(b));
    index.entries = entries;
    Some(index)
}

/// A number in git's offset encoding (each continuation adds one before
/// shifting), and the bytes it used.
fn varint(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut it = bytes.iter();
    let mut c = *it.next()?;
    let mut value = usize::from(c & 0x7f);
    let mut used = 1;
    while c & 0x80 != 0 {
        c = *it.next()?;
        used += 1;
        value = value
            .checked_add(1)?
            .checked_mul(128)?
            .checked_add(usize::from(c & 0x7f))?;
    }
    Some((value, used))
}

/// The git folder of the work tree at `root` (canonical): `.git`, or where a
/// `.git` file (a linked worktree, a submodule) points.
fn git_dir(root: &Path) -> Option<PathBuf> {
    let dot = root.join(".git");
    if dot.is_dir() {
        return std::fs::canonicalize(dot).ok();
    }
    let text = std::fs::read_to_string(&dot).ok()?;
    let target = text.strip_prefix("gitdir:")?.trim();
    std::fs::canonicalize(root.join(target)).ok()
}

/// A path from an index's bytes.
pub fn path_of(bytes: &[u8]) -> Option<&Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(Path::new(std::ffi::OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        std::str::from_utf8(bytes).ok().map(Path::new)
    }
}

/// The indexes of the work trees a run meets, read once each: the
/// repository of the paths checked, and nested repositories (submodules,
/// clones inside a work tree), each of which decides for its own files.
#[derive(Debug, Default)]
pub struct Indexes {
    /// By root; `None` where git could not tell.
    read: Vec<(PathBuf, Option<Index>)>,
}

impl Indexes {
    /// Read the index of the work tree at `root` (canonical), once.
    pub fn load(&mut self, root: &Path) -> Option<&Index> {
        if !self.read.iter().any(|(r, _)| r == root) {
            let index =
                crate::progress::timings::time(crate::progress::timings::Phase::GitIndex, || {
                    Index::read(root)
                });
            self.read.push((root.to_path_buf(), index));
        }
        self.of(root)
    }

    /// The index of the work tree at `root` if it was loaded (`Some(None)`:
    /// loaded, but git could not tell), moved out.
    pub fn take(&mut self, root: &Path) -> Option<Option<Index>> {
        let at = self.read.iter().position(|(r, _)| r == root)?;
        Some(self.read.swap_remove(at).1)
    }

    /// The index of the work tree at `root`, if loaded and readable.
    pub fn of(&self, root: &Path) -> Option<&Index> {
        self.read
            .iter()
            .find(|(r, _)| r == root)
            .and_then(|(_, idx)| idx.as_ref())
    }
}
