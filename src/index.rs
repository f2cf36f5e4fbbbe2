//! The paths git tracks: the index of a work tree, read with
//! `git ls-files -z` (one process; about 40 ms for the 27,000 entries of a
//! large repository, less than the walk itself). It decides what is
//! committed (SPEC §1): a tracked file is committed even when an ignore file
//! matches it, since ignoring a file later does not untrack it.
//!
//! The `git` command line rather than a git library, as for `--staged` and
//! `history`: git honours everything the repository configures (worktrees,
//! split and sparse indexes, index format versions) and adds nothing to the
//! build. When git is missing, the folder is not a work tree git accepts, or
//! git fails, there is no index and the ignore rules alone decide, as they
//! do outside git.

use std::collections::HashMap;
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

/// The tracked paths of one work tree.
#[derive(Debug, Default)]
pub struct Index {
    /// The work tree's root (canonical).
    pub root: PathBuf,
    /// Tracked paths, relative to the root (a conflicted path once).
    pub tracked: HashMap<PathBuf, Tracked, FastHash>,
}

impl Index {
    /// The index of the work tree whose root (canonical, holding `.git`) is
    /// `root`, or `None` when git cannot tell.
    pub fn read(root: &Path) -> Option<Index> {
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
        if let Some(file) = std::env::var_os("GIT_INDEX_FILE") {
            let file = PathBuf::from(file);
            let file = if file.is_absolute() {
                file
            } else {
                std::env::current_dir()
                    .map(|d| d.join(&file))
                    .unwrap_or(file)
            };
            let ours = git_dir(root).is_some_and(|d| file.starts_with(&d));
            if !ours {
                cmd.env_remove("GIT_INDEX_FILE");
            }
        }
        let out = cmd.output().ok()?;
        if !out.status.success() {
            return None;
        }
        // Records: "<mode> <object id> <stage>\t<path>\0".
        let tracked = out
            .stdout
            .split(|&b| b == 0)
            .filter_map(|record| {
                let tab = record.iter().position(|&b| b == b'\t')?;
                let (meta, path) = record.split_at(tab);
                let kind = match meta.get(..6)? {
                    b"120000" => Tracked::Symlink,
                    b"160000" => Tracked::Submodule,
                    _ => Tracked::File,
                };
                Some((path_of(path.get(1..)?), kind))
            })
            .collect();
        Some(Index {
            root: root.to_path_buf(),
            tracked,
        })
    }

    /// Whether `abs` (absolute, its folders canonical) is tracked.
    pub fn is_tracked(&self, abs: &Path) -> bool {
        abs.strip_prefix(&self.root)
            .is_ok_and(|rel| self.tracked.contains_key(rel))
    }
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

/// A path from git's `-z` output.
fn path_of(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
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
