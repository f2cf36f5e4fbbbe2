//! Discovery and classification of files. The walk honours `.gitignore`
//! (ignored folders are skipped), runs in parallel, and returns files in a
//! deterministic order. Env files are the exception to ignoring: an ignored
//! `.env` inside a walked folder is still scanned, because that is where
//! keys live; it is classified as local (not committed).
//!
//! The walk knows nothing about credentials: it says what kind of file each
//! path is, whether it is a template, a test file, and committed.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{Match, WalkBuilder, WalkState};
use rayon::prelude::*;

use crate::index::{Index, Indexes, Tracked};
use crate::progress::timings::{self, Phase};

mod context;
mod stat;
pub use context::{api_spec_text, jinja_text, recording_text};
pub use stat::FileStat;

pub use crate::language::Language;

/// What kind of file a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum FileKind {
    /// `.env`, `.env.*`, `*.env`; `.envrc` is `Env` with `shell = true`.
    Env {
        shell: bool,
    },
    Yaml,
    Toml,
    Json {
        comments: bool,
    },
    Dockerfile,
    Properties,
    Code(Language),
    Notebook,
    /// Markdown, reStructuredText, plain text, AsciiDoc.
    Docs,
    /// Anything else that is text.
    Other,
}

/// What a file is for, decided once when it is classified (SPEC §1
/// "Context"): it decides which rules apply to it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Context {
    /// Application code and config: every rule applies.
    #[default]
    Application,
    /// Package code that reads credentials on behalf of its users.
    Library,
    /// Tests, their fixtures and setup files.
    Test,
    /// Docs, examples, samples, tutorials, cookbooks, generated API specs.
    Docs,
    /// Third-party code kept in the tree (`vendor/`, `site-packages/`).
    Vendored,
    /// A template of another tool (Jinja, cookiecutter): not config.
    ForeignTemplate,
    /// Recorded HTTP traffic (VCR, pytest-recording, Polly, nock
    /// cassettes): data a test replays, not config.
    Recording,
}

impl Context {
    pub fn as_str(self) -> &'static str {
        match self {
            Context::Application => "application",
            Context::Library => "library",
            Context::Test => "test",
            Context::Docs => "docs",
            Context::Vendored => "vendored",
            Context::ForeignTemplate => "foreign-template",
            Context::Recording => "recording",
        }
    }

    /// Whether a file of this context is read as text only (its literals
    /// scanned), never parsed as config: a template of another tool is no
    /// valid config, a recording is data.
    pub fn text_only(self) -> bool {
        matches!(self, Context::ForeignTemplate | Context::Recording)
    }
}

/// The classification of one file (SPEC §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileClass {
    pub kind: FileKind,
    /// A template: `.env.example` and the like, Helm `values*.yaml`.
    pub template: bool,
    /// Tracked by git as far as ignore rules tell (see SPEC §1).
    pub committed: bool,
    pub test: bool,
    pub context: Context,
}

impl FileClass {
    pub fn is_env(&self) -> bool {
        matches!(self.kind, FileKind::Env { .. })
    }
    /// A runtime env file that is not committed: where keys belong.
    pub fn is_local_env(&self) -> bool {
        self.is_env() && !self.template && !self.committed
    }
}

/// A file to scan.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// The path to read.
    pub path: PathBuf,
    /// The path as reported: relative to the current directory when under
    /// it, `/`-separated.
    pub display: String,
    pub class: FileClass,
    /// Tracked by git although an ignore file matches it: committed all
    /// the same (ignoring a file does not untrack it), and `git rm --cached`
    /// is what stops committing it.
    pub tracked_ignored: bool,
}

/// Why a file (or a folder: see [`SkipReason::is_folder`]) was not scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    Binary,
    TooLarge,
    Unreadable,
    Symlink,
    /// A FIFO, socket or device: never opened (a FIFO would block).
    Special,
    /// Named explicitly (or staged) but matched by an `exclude` glob.
    Excluded,
    /// A folder inside a walked folder that cannot be listed.
    UnreadableFolder,
    /// A symbolic link to a folder: not followed.
    SymlinkedFolder,
}

impl SkipReason {
    /// The reason as counted in the summary (`skipped` in JSON); folders
    /// share the words of files and are counted apart.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "too large",
            SkipReason::Unreadable | SkipReason::UnreadableFolder => "unreadable",
            SkipReason::Symlink | SkipReason::SymlinkedFolder => "symlink",
            SkipReason::Special => "not a regular file",
            SkipReason::Excluded => "excluded",
        }
    }

    /// Whether the path skipped is a folder, not a file: summaries count
    /// files and folders apart.
    pub fn is_folder(self) -> bool {
        matches!(
            self,
            SkipReason::UnreadableFolder | SkipReason::SymlinkedFolder
        )
    }

    /// Whether the path could not be read (reported on stderr too).
    pub fn is_unreadable(self) -> bool {
        matches!(self, SkipReason::Unreadable | SkipReason::UnreadableFolder)
    }
}

/// `n` paths skipped for the reason `key` ([`SkipReason::as_str`]), in
/// words: `1 symlink`, `6 symlinks`, `2 binary`, `3 not regular files`.
pub fn skipped_count(key: &str, n: usize) -> String {
    let word = match (key, n) {
        (_, 1) => key,
        ("symlink", _) => "symlinks",
        ("not a regular file", _) => "not regular files",
        _ => key,
    };
    format!("{n} {word}")
}

/// A path that was not scanned, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub display: String,
    pub reason: SkipReason,
    pub detail: String,
}

/// gitignore-style globs, relative to a folder (as a `.gitignore` is
/// relative to its own folder: `a/b` is anchored there, `*.log` matches at
/// any depth below it). Paths outside the folder never match.
#[derive(Debug, Clone, Default)]
pub struct Globs {
    pub root: PathBuf,
    pub globs: Vec<String>,
}

/// Walk options.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// gitignore-style globs of paths to leave out (`--exclude`), relative
    /// to `base`.
    pub exclude: Vec<String>,
    /// Worker threads; 0 picks a default.
    pub threads: usize,
    /// Report paths relative to this folder (default: the current folder).
    pub base: Option<PathBuf>,
    /// More globs of paths to leave out, each set relative to its own folder
    /// (the configuration file's `exclude`).
    pub rooted_exclude: Vec<Globs>,
    /// Apply the excludes to files named explicitly too (as ruff's
    /// `--force-exclude`): pre-commit passes every changed file by name.
    /// Without it a file named on the command line is always checked.
    pub force_exclude: bool,
    /// Globs of paths to scan even though ignore files (`.gitignore`,
    /// `.ignore`, `.git/info/exclude`) skip them (`extend_include`). Such
    /// files count as not committed when git ignores them. Excludes win.
    pub extend_include: Vec<Globs>,
}

/// The result of a walk: files in deterministic (path) order, and paths
/// skipped before reading.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<FileEntry>,
    pub skipped: Vec<Skipped>,
    /// Files found that the caller's `known` test (see [`walk_except`])
    /// said need no scan: counted, not listed.
    pub known: usize,
    /// The git indexes the walk read, for a later listing of the same work
    /// tree (see [`index_files_except`]) to reuse rather than read again.
    pub indexes: Indexes,
}

/// A usage error: a path that does not exist, an invalid glob.
#[derive(Debug)]
pub struct WalkError(pub String);

impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WalkError {}

/// Walk the given paths (files or folders).
pub fn walk(paths: &[PathBuf], opts: &WalkOptions) -> Result<Walk, WalkError> {
    walk_except(paths, opts, &|_, _| false)
}

/// [`walk`] less the files inside walked folders that `known` (given the
/// path and the display path) says need no scan (the fact cache knows them
/// clean): not classified, only counted in [`Walk::known`]. Files named
/// on the command line are always listed.
pub fn walk_except(
    paths: &[PathBuf],
    opts: &WalkOptions,
    known: &(dyn Fn(&Path, &str) -> bool + Sync),
) -> Result<Walk, WalkError> {
    let files = Mutex::new(Vec::new());
    let mut out = walk_into(paths, opts, known, &|entry, _| {
        if let Ok(mut f) = files.lock() {
            f.push(entry);
        }
    })?;
    out.files = files.into_inner().unwrap_or_default();
    // A file found twice (overlapping paths) is listed once, as the first
    // path that found it classified it.
    out.files.sort_by(|a, b| a.display.cmp(&b.display));
    out.files.dedup_by(|a, b| a.display == b.display);
    Ok(out)
}

/// [`walk_except`] handing each file to `sink` as soon as it is found, so
/// that it can be read while the walk goes on; the [`Walk`] returned lists
/// no files. The sink is told whether the file comes from one of the
/// walk's threads while the walk goes on (`true`: reading it there
/// overlaps the walk), or from the calling thread (a file named on the
/// command line, or found after a folder's walk: reading it there would
/// read one file at a time). The files of a path are all handed over
/// before the walk of the next path begins, and a file found by two paths
/// (overlapping paths) is handed over twice: a sink keeps the first of each
/// display path, as [`walk_except`] does.
pub fn walk_into(
    paths: &[PathBuf],
    opts: &WalkOptions,
    known: &(dyn Fn(&Path, &str) -> bool + Sync),
    sink: &(dyn Fn(FileEntry, bool) + Sync),
) -> Result<Walk, WalkError> {
    let cwd = match &opts.base {
        Some(b) => b.clone(),
        None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
    };
    // Canonical, so that a repository root found by canonicalizing a file
    // argument yields the same display paths as the argument itself.
    let cwd = fs::canonicalize(&cwd).unwrap_or(cwd);
    let excludes = Excludes::new(opts)?;
    let includes = Matcher::build(
        opts.extend_include
            .iter()
            .map(|g| (g.root.as_path(), g.globs.as_slice())),
        "extend_include",
    )?;
    let mut out = Walk::default();
    let mut indexes = Indexes::default();
    // One ignore check per repository, its matchers shared by its files.
    let mut checks: Vec<IgnoreCheck> = Vec::new();
    for path in paths {
        let meta = fs::symlink_metadata(path)
            .map_err(|e| WalkError(format!("{}: {}", path.display(), io_reason(&e))))?;
        // A symlink named on the command line is followed.
        let target = match fs::metadata(path) {
            Ok(m) => m,
            Err(_) if meta.file_type().is_symlink() => {
                return Err(WalkError(format!(
                    "{}: broken symbolic link or symlink loop",
                    path.display()
                )));
            }
            Err(e) => return Err(WalkError(format!("{}: {}", path.display(), io_reason(&e)))),
        };
        if target.is_dir() {
            // A folder named on the command line that cannot be listed is
            // an error, as a named file that cannot be read is: otherwise
            // the run would pass having checked nothing.
            if let Err(e) = fs::read_dir(path) {
                return Err(WalkError(format!("{}: {}", path.display(), io_reason(&e))));
            }
            walk_dir(
                path,
                &cwd,
                &excludes,
                &includes,
                opts,
                &mut indexes,
                known,
                sink,
                &mut out,
            );
        } else if !target.is_file() {
            out.skipped.push(Skipped {
                display: display_path(path, &cwd),
                reason: SkipReason::Special,
                detail: String::new(),
            });
        } else {
            let display = display_path(path, &cwd);
            if opts.force_exclude && excludes.matches_path(&absolute_lexical(path), false) {
                out.skipped.push(Skipped {
                    display,
                    reason: SkipReason::Excluded,
                    detail: String::new(),
                });
                continue;
            }
            let root = repo_root(path);
            let (committed, tracked_ignored) = match &root {
                Some(root) => {
                    let at = match checks.iter().position(|c| c.root == *root) {
                        Some(at) => at,
                        None => {
                            checks.push(IgnoreCheck::new(root));
                            checks.len() - 1
                        }
                    };
                    let ignored = checks[at].is_ignored(path, false);
                    let tracked = indexes
                        .load(root)
                        .is_some_and(|i| i.is_tracked(&absolute_lexical(path)));
                    (tracked || !ignored, tracked && ignored)
                }
                None => (true, false),
            };
            sink(
                FileEntry {
                    class: classify(path, &display, committed, root.is_some()),
                    path: path.clone(),
                    display,
                    tracked_ignored,
                },
                false,
            );
        }
    }
    out.skipped.sort_by(|a, b| a.display.cmp(&b.display));
    out.skipped.dedup_by(|a, b| a.display == b.display);
    out.indexes = indexes;
    Ok(out)
}

/// The entry of a file of the git work tree at `root` (canonical), whether
/// or not it exists on disk: `--staged` reads files from the index, and a
/// staged file may have been deleted from the work tree since. A staged
/// file is in the index, so it is committed, whatever ignore files say.
pub fn repo_file_entry(path: PathBuf, display: String, root: &Path) -> FileEntry {
    let tracked_ignored = IgnoreCheck::new(root).is_ignored(&path, false);
    FileEntry {
        class: classify(&path, &display, true, true),
        path,
        display,
        tracked_ignored,
    }
}

/// The files of the work tree at `root` (canonical) as its index lists
/// them, without walking the tree: tracked files (not symlinks or
/// submodules), and the env files beside them that git does not track (a
/// local `.env`, which code's env reads resolve against), excludes applied.
/// What a commit holds: the context of the files a pre-commit hook names
/// or `--staged` reads. A tracked file deleted from the work tree is listed
/// and then fails to read; files of submodules are not listed (they belong
/// to another repository's commits). `None` when git cannot list the index.
pub fn index_files(root: &Path, opts: &WalkOptions) -> Result<Option<Walk>, WalkError> {
    index_files_except(root, opts, &|_| false, None, &mut Indexes::default())
}

/// What a run remembers of folders from one run to the next: the env
/// files a folder held when its modification time was the one recorded
/// (adding, removing or renaming an entry changes a folder's mtime), so
/// that an unchanged folder is not listed again.
pub trait FolderMemo: Sync {
    /// The env files recorded for the folder `dir` (absolute) when its
    /// stat data were `stamp`, if recorded long enough after its last
    /// change (its mtime) to be trusted.
    fn env_files(&self, dir: &str, stamp: &FolderStamp) -> Option<Vec<String>>;
    /// Record the env files of `dir` listed with the stat data `stamp`
    /// (taken before the listing).
    fn record_env_files(&self, dir: &str, stamp: FolderStamp, names: Vec<String>);
}

/// A folder's stat data: its mtime changes when an entry is added,
/// removed or renamed; its ctime and inode too, and also when the mtime is
/// set back by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FolderStamp {
    pub mtime_ns: i64,
    pub ctime_ns: i64,
    pub inode: u64,
}

impl FolderStamp {
    pub fn of(meta: &fs::Metadata) -> FolderStamp {
        FolderStamp::from(&FileStat::of(meta))
    }
}

impl From<&FileStat> for FolderStamp {
    fn from(stat: &FileStat) -> FolderStamp {
        FolderStamp {
            mtime_ns: stat.mtime_ns,
            ctime_ns: stat.ctime_ns,
            inode: stat.inode,
        }
    }
}

/// The names of the env files (regular files, by name) in the folder
/// `dir`: from `memo` when the folder has not changed since it recorded
/// them, listed (and recorded) otherwise. `stamp`: the folder's stat data
/// if taken already (before this listing).
fn env_names(
    dir: &Path,
    memo: Option<&dyn FolderMemo>,
    stamp: Option<FolderStamp>,
) -> Vec<std::ffi::OsString> {
    let key = memo.and(dir.to_str());
    let stamp = match (memo, key) {
        (Some(memo), Some(key)) => {
            let stamp = match stamp {
                Some(stamp) => stamp,
                None => match fs::metadata(dir) {
                    Ok(meta) => FolderStamp::of(&meta),
                    Err(_) => return Vec::new(),
                },
            };
            if let Some(names) = memo.env_files(key, &stamp) {
                return names.into_iter().map(Into::into).collect();
            }
            Some(stamp)
        }
        _ => None,
    };
    let Ok(rd) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for e in rd.flatten() {
        let name = e.file_name();
        if env_kind(&name.to_string_lossy()).is_some() && e.file_type().is_ok_and(|t| t.is_file()) {
            names.push(name);
        }
    }
    if let (Some(memo), Some(key), Some(stamp)) = (memo, key, stamp) {
        // Names that are not UTF-8 are not recorded: listed each time.
        let utf8: Option<Vec<String>> =
            names.iter().map(|n| n.to_str().map(String::from)).collect();
        if let Some(utf8) = utf8 {
            memo.record_env_files(key, stamp, utf8);
        }
    }
    names
}

/// [`index_files`] less the tracked files `known` (given the path and the
/// display path) says need no scan: not classified, not listed; folders
/// `memo` knows unchanged are not listed for env files either. The index
/// of `root` is taken from `read` when a walk before read it (one index
/// read per run), and read otherwise.
pub fn index_files_except(
    root: &Path,
    opts: &WalkOptions,
    known: &(dyn Fn(&Listed<'_>) -> bool + Sync),
    memo: Option<&dyn FolderMemo>,
    read: &mut Indexes,
) -> Result<Option<Walk>, WalkError> {
    let index = match read.take(root) {
        Some(index) => index,
        None => timings::time(Phase::GitIndex, || Index::read(root)),
    };
    let Some(index) = index else {
        return Ok(None);
    };
    let cwd = match &opts.base {
        Some(b) => b.clone(),
        None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
    };
    let cwd = fs::canonicalize(&cwd).unwrap_or(cwd);
    let excludes = Excludes::new(opts)?;
    let mut out = Walk::default();
    // The folders of tracked paths (by their bytes: cheaper to hash than
    // paths), where untracked env files are looked for.
    let mut dirs: HashSet<&[u8], crate::index::FastHash> = HashSet::default();
    dirs.insert(b"");
    // Runs of consecutive entries in one folder, with the folder.
    let mut runs: Vec<(std::ops::Range<usize>, &[u8])> = Vec::new();
    for i in 0..index.len() {
        let Some((_, mut name, _)) = index.get(i) else {
            continue;
        };
        let parent = memchr::memrchr(b'/', name).map_or(&b""[..], |slash| &name[..slash]);
        match runs.last_mut() {
            Some((run, dir)) if *dir == parent => run.end = i + 1,
            _ => runs.push((i..i + 1, parent)),
        }
        while let Some(slash) = memchr::memrchr(b'/', name) {
            name = &name[..slash];
            if !dirs.insert(name) {
                break;
            }
        }
    }
    // Classified in parallel (it costs more than listing the index), a
    // run of files of one folder at a time: a folder of two files or more
    // is opened once and its files stat'ed by name, if `known` asks (a
    // lone file is stat'ed by path: one system call, not three). Each run
    // gives its files and, when its folder was opened, the folder's stat
    // data (an `fstat` of the open folder; the untracked env files' memo
    // needs it, and by path it costs a lookup of every component). The
    // display path and the absolute path as text are borrowed from the
    // absolute path.
    let prefix = ListingPrefix::new(root, &cwd);
    let listed: Vec<_> = timings::time(Phase::ContextList, || {
        runs.into_par_iter()
            .map(|(run, parent)| {
                let mut folder = None;
                let by_name = run.len() >= 2;
                let files: Vec<FileEntry> = run
                    .filter_map(|i| {
                        let (rel, name, kind) = index.get(i)?;
                        if kind != Tracked::File || has_git_component(name) {
                            return None;
                        }
                        let abs = root.join(rel);
                        if !excludes.is_empty() && excludes.matches_path(&abs, false) {
                            return None;
                        }
                        let (key, display) = prefix.texts(&abs, name, &cwd);
                        let folder = folder.get_or_insert_with(|| match abs.parent() {
                            Some(dir) if by_name => stat::Folder::lazy(dir.to_path_buf()),
                            _ => stat::Folder::by_path(),
                        });
                        let listed = Listed {
                            path: &abs,
                            key,
                            display: &display,
                            folder,
                        };
                        if known(&listed) {
                            return None;
                        }
                        let display = display.into_owned();
                        Some(FileEntry {
                            class: classify(&abs, &display, true, true),
                            path: abs,
                            display,
                            tracked_ignored: false,
                        })
                    })
                    .collect();
                let stamp = folder
                    .and_then(|f| f.own_stat())
                    .map(|st| (parent, FolderStamp::from(&st)));
                (files, stamp)
            })
            .collect()
    });
    let mut stamps: HashMap<&[u8], FolderStamp, crate::index::FastHash> = HashMap::default();
    for (files, stamp) in listed {
        out.files.extend(files);
        if let Some((dir, stamp)) = stamp {
            stamps.insert(dir, stamp);
        }
    }
    let check = IgnoreCheck::new(root);
    let dirs: Vec<(&Path, Option<FolderStamp>)> = dirs
        .into_iter()
        .filter_map(|d| Some((crate::index::path_of(d)?, stamps.get(d).copied())))
        .collect();
    let untracked: Vec<PathBuf> = timings::time(Phase::UntrackedEnv, || {
        dirs.par_iter()
            .flat_map_iter(|&(dir, stamp)| {
                let dir = root.join(dir);
                env_names(&dir, memo, stamp)
                    .into_iter()
                    .map(|name| dir.join(name))
                    .filter(|abs| !index.is_tracked(abs) && !excludes.matches_path(abs, false))
                    .collect::<Vec<_>>()
            })
            .collect()
    });
    for abs in untracked {
        let display = display_path(&abs, &cwd);
        // Untracked: committed unless ignored (about to be added).
        let committed = !check.is_ignored(&abs, false);
        out.files.push(FileEntry {
            class: classify(&abs, &display, committed, true),
            path: abs,
            display,
            tracked_ignored: false,
        });
    }
    out.files.sort_by(|a, b| a.display.cmp(&b.display));
    Ok(Some(out))
}

/// Whether a path of the index (its bytes) has a `.git` component.
fn has_git_component(name: &[u8]) -> bool {
    name.split(|&b| b == b'/').any(|c| c == b".git")
}

/// A tracked file as the index listing meets it, for the test of whether
/// it needs a scan at all.
pub struct Listed<'a> {
    /// Its absolute path (its folders canonical).
    pub path: &'a Path,
    /// That path as text when it is already in the form of a cache key
    /// (absolute, no `.` or empty component): `None` otherwise.
    pub key: Option<&'a str>,
    /// Its display path.
    pub display: &'a str,
    folder: &'a stat::Folder,
}

impl Listed<'_> {
    /// The file's stat data, taken by name in its folder (`None`: it
    /// cannot be stat'ed).
    pub fn stat(&self) -> Option<FileStat> {
        match self.path.file_name() {
            Some(name) => self.folder.stat(name, self.path),
            None => FileStat::of_path(self.path),
        }
    }
}

/// What the paths a listing of the work tree at `root` makes share: the
/// root as text (when it is a cache key's form), and how much of an
/// absolute path the display path drops (when the root lies below the
/// current directory).
struct ListingPrefix<'r> {
    root: Option<&'r str>,
    /// Length of the current directory's text with its trailing `/`.
    display_from: Option<usize>,
}

impl<'r> ListingPrefix<'r> {
    fn new(root: &'r Path, cwd: &Path) -> ListingPrefix<'r> {
        let root = root.to_str().filter(|r| {
            r.starts_with('/') && (*r == "/" || crate::index::plain_relative(&r.as_bytes()[1..]))
        });
        let display_from = root.zip(cwd.to_str()).and_then(|(r, c)| {
            let c = c.strip_suffix('/').unwrap_or(c);
            if r == c {
                return Some(c.len() + 1);
            }
            let below = r.strip_prefix(c)?.strip_prefix('/')?;
            crate::index::plain_relative(below.as_bytes()).then_some(c.len() + 1)
        });
        ListingPrefix { root, display_from }
    }

    /// The key text and display path of `abs`, the root joined with the
    /// index path `name`: borrowed from `abs` where they can be.
    fn texts<'p>(&self, abs: &'p Path, name: &[u8], cwd: &Path) -> (Option<&'p str>, Cow<'p, str>) {
        let plain =
            self.root.is_some() && !name.starts_with(b"/") && crate::index::plain_relative(name);
        let text = if plain { abs.to_str() } else { None };
        let display = match (text, self.display_from) {
            (Some(t), Some(from)) => t.get(from..).map(Cow::Borrowed),
            _ => None,
        };
        let display = display.unwrap_or_else(|| Cow::Owned(display_path(abs, cwd)));
        (text, display)
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// `path` made absolute without resolving a final symlink: its folder is
/// canonicalized (so it compares with canonical glob roots), its name kept.
pub fn absolute_lexical(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|c| c.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(name)) => fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or(abs.clone()),
        _ => abs,
    }
}

/// A builder for globs a user writes (`--exclude`, and `exclude`,
/// `extend_include` and `[[pair]] files` in credlint.toml): gitignore lines,
/// except that an unclosed `[` is an error. gitignore reads it as a literal
/// `[`, which turns a typo into a glob that silently matches nothing.
pub fn user_globs(root: &Path) -> GitignoreBuilder {
    let mut b = GitignoreBuilder::new(root);
    b.allow_unclosed_class(false);
    b
}

/// gitignore-style glob sets, each relative to its own root folder.
#[derive(Debug, Clone, Default)]
struct Matcher {
    /// Root folder (canonical), compiled globs, and the globs as written.
    sets: Vec<(PathBuf, Gitignore, Vec<String>)>,
}

impl Matcher {
    fn build<'a>(
        sets: impl Iterator<Item = (&'a Path, &'a [String])>,
        what: &str,
    ) -> Result<Matcher, WalkError> {
        let mut out = Matcher::default();
        for (root, globs) in sets {
            if globs.is_empty() {
                continue;
            }
            let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
            let mut b = user_globs(&root);
            for g in globs {
                b.add_line(None, g)
                    .map_err(|e| WalkError(format!("invalid {what} glob {g:?}: {e}")))?;
            }
            let gi = b
                .build()
                .map_err(|e| WalkError(format!("invalid {what} globs: {e}")))?;
            out.sets.push((root, gi, globs.to_vec()));
        }
        Ok(out)
    }

    fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Whether `abs` itself matches (its folders are not consulted: a walk
    /// has already pruned the folders that match).
    fn matches(&self, abs: &Path, is_dir: bool) -> bool {
        self.check(abs, |gi, rel| gi.matched(rel, is_dir))
    }

    /// Whether `abs` or one of its folders (below a root) matches.
    fn matches_path(&self, abs: &Path, is_dir: bool) -> bool {
        self.check(abs, |gi, rel| gi.matched_path_or_any_parents(rel, is_dir))
    }

    fn check<'g>(
        &'g self,
        abs: &Path,
        matched: impl Fn(&'g Gitignore, &Path) -> Match<&'g ignore::gitignore::Glob>,
    ) -> bool {
        self.sets.iter().any(|(root, gi, _)| {
            // Passed relative, so the matcher never tries to strip a root.
            abs.strip_prefix(root)
                .is_ok_and(|rel| !rel.as_os_str().is_empty() && matched(gi, rel).is_ignore())
        })
    }
}

/// The `exclude` globs of a run: `--exclude` (relative to the base folder)
/// and the configuration file's (relative to its folder).
#[derive(Debug, Clone, Default)]
pub struct Excludes(Matcher);

impl Excludes {
    pub fn new(opts: &WalkOptions) -> Result<Excludes, WalkError> {
        let base = match &opts.base {
            Some(b) => b.clone(),
            None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        };
        let cli = (base.as_path(), opts.exclude.as_slice());
        let rooted = opts
            .rooted_exclude
            .iter()
            .map(|g| (g.root.as_path(), g.globs.as_slice()));
        Ok(Excludes(Matcher::build(
            std::iter::once(cli).chain(rooted),
            "exclude",
        )?))
    }

    /// Whether `abs` (absolute, folders canonical: see [`absolute_lexical`])
    /// or one of its folders is excluded.
    pub fn matches_path(&self, abs: &Path, is_dir: bool) -> bool {
        self.0.matches_path(abs, is_dir)
    }

    fn matches(&self, abs: &Path, is_dir: bool) -> bool {
        self.0.matches(abs, is_dir)
    }

    /// Whether there are no excludes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[allow(clippy::too_many_arguments)]
fn walk_dir(
    root: &Path,
    cwd: &Path,
    excludes: &Excludes,
    includes: &Matcher,
    opts: &WalkOptions,
    indexes: &mut Indexes,
    known: &(dyn Fn(&Path, &str) -> bool + Sync),
    sink: &(dyn Fn(FileEntry, bool) + Sync),
    out: &mut Walk,
) {
    let outer = repo_root(root);
    let in_git = outer.is_some();
    let root_abs = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(12)
    } else {
        opts.threads
    };
    let files = Mutex::new(Vec::new());
    let dirs = Mutex::new(Vec::new());
    let skipped = Mutex::new(Vec::new());
    let known_files = std::sync::atomic::AtomicUsize::new(0);
    // Each file is classified and handed over as the walk finds it: the
    // sink reads it while the walk goes on.
    let found = |p: PathBuf| {
        let display = display_path(&p, cwd);
        if known(&p, &display) {
            known_files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        } else {
            // Not ignored: tracked, or about to be added.
            let committed = in_git || !is_runtime_env_name(&p);
            sink(
                FileEntry {
                    class: classify(&p, &display, committed, in_git),
                    path: p.clone(),
                    display,
                    tracked_ignored: false,
                },
                true,
            );
        }
        if let Ok(mut f) = files.lock() {
            f.push(p);
        }
    };
    let filter = {
        let excludes = excludes.clone();
        let root = root.to_path_buf();
        let root_abs = root_abs.clone();
        move |e: &ignore::DirEntry| {
            // The fact cache's folder too (it ignores itself with its own
            // `.gitignore` as well; a custom `--cache-dir` relies on that).
            if e.file_name() == ".git" || is_cache_dir(e) {
                return false;
            }
            // The folder named on the command line is walked even if an
            // exclude matches it; what it contains is not.
            e.depth() == 0
                || !excludes.matches(
                    &rebase(e.path(), &root, &root_abs),
                    e.file_type().is_some_and(|t| t.is_dir()),
                )
        }
    };
    WalkBuilder::new(root)
        .hidden(false)
        .git_global(false)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .parents(true)
        .ignore(true)
        .follow_links(false)
        .threads(threads)
        .filter_entry(filter)
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(e) => {
                        let ft = e.file_type();
                        if ft.is_some_and(|t| t.is_dir()) {
                            if let Ok(mut d) = dirs.lock() {
                                d.push(e.into_path());
                            }
                        } else if ft.is_some_and(|t| t.is_file()) {
                            found(e.into_path());
                        } else if let Some(t) = ft
                            && let Ok(mut s) = skipped.lock()
                        {
                            let reason = if !t.is_symlink() {
                                SkipReason::Special
                            } else if fs::metadata(e.path()).is_ok_and(|m| m.is_dir()) {
                                SkipReason::SymlinkedFolder
                            } else {
                                SkipReason::Symlink
                            };
                            s.push((e.into_path(), reason, String::new()));
                        }
                    }
                    Err(err) => {
                        let path = error_path(&err);
                        if let (Some(p), Ok(mut s)) = (path, skipped.lock()) {
                            let reason = if fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) {
                                SkipReason::UnreadableFolder
                            } else {
                                SkipReason::Unreadable
                            };
                            s.push((p, reason, err.to_string()));
                        }
                    }
                }
                WalkState::Continue
            })
        });
    let mut files = files.into_inner().unwrap_or_default();
    let dirs = dirs.into_inner().unwrap_or_default();
    let seen: HashSet<&Path> = files.iter().map(|p| p.as_path()).collect();
    let repos = Repos::find(outer, &dirs, root, &root_abs, indexes);

    // Ignored env files inside walked folders: scanned, and local.
    let mut ignored_env: Vec<PathBuf> = dirs
        .par_iter()
        .flat_map_iter(|dir| {
            let mut found = Vec::new();
            let Ok(rd) = fs::read_dir(dir) else {
                return found;
            };
            for e in rd.flatten() {
                let name = e.file_name();
                let name = name.to_string_lossy();
                if env_kind(&name).is_none() || !e.file_type().is_ok_and(|t| t.is_file()) {
                    continue;
                }
                let p = e.path();
                if seen.contains(p.as_path())
                    || excludes.matches(&rebase(&p, root, &root_abs), false)
                {
                    continue;
                }
                found.push(p);
            }
            found
        })
        .collect();
    ignored_env.sort();
    let included = if includes.is_empty() {
        Vec::new()
    } else {
        let ignored: HashSet<&Path> = ignored_env.iter().map(|p| p.as_path()).collect();
        walk_included(root, &root_abs, excludes, includes)
            .into_iter()
            .filter(|p| !seen.contains(p.as_path()) && !ignored.contains(p.as_path()))
            .collect()
    };

    drop(seen);
    out.known += known_files.into_inner();
    for p in &ignored_env {
        let display = display_path(p, cwd);
        // Ignored, so local unless git tracks it all the same.
        let tracked = repos.is_tracked(&rebase(p, root, &root_abs), indexes);
        sink(
            FileEntry {
                class: classify(p, &display, tracked, in_git),
                path: p.clone(),
                display,
                tracked_ignored: tracked,
            },
            false,
        );
    }
    for p in &included {
        let display = display_path(p, cwd);
        // Skipped by an ignore file: committed unless git ignores it (a
        // `.ignore` file is not git's business).
        let (committed, tracked_ignored) = match repo_root(p) {
            Some(r) => {
                let ignored = IgnoreCheck::new(&r).is_ignored(p, false);
                let tracked = repos.is_tracked(&rebase(p, root, &root_abs), indexes);
                (tracked || !ignored, tracked && ignored)
            }
            None => (!is_runtime_env_name(p), false),
        };
        sink(
            FileEntry {
                class: classify(p, &display, committed, in_git),
                path: p.clone(),
                display,
                tracked_ignored,
            },
            false,
        );
    }
    // Tracked files that an ignore file hides from the walk: committed.
    files.extend(ignored_env);
    files.extend(included);
    for p in repos.hidden_tracked(root, &root_abs, &files, excludes, indexes) {
        let display = display_path(&p, cwd);
        sink(
            FileEntry {
                class: classify(&p, &display, true, true),
                path: p,
                display,
                tracked_ignored: true,
            },
            false,
        );
    }
    for (p, reason, detail) in skipped.into_inner().unwrap_or_default() {
        out.skipped.push(Skipped {
            display: display_path(&p, cwd),
            reason,
            detail,
        });
    }
}

/// `path` (found under `root`) made absolute under `root_abs`.
fn rebase(path: &Path, root: &Path, root_abs: &Path) -> PathBuf {
    match path.strip_prefix(root) {
        Ok(rel) => root_abs.join(rel),
        Err(_) => path.to_path_buf(),
    }
}

/// The files under `root` that `extend_include` selects, found without any
/// ignore file. Only folders that can hold a match are entered: a glob with
/// a literal folder prefix (`build/conf/*.yaml`) confines the walk to it; a
/// glob that matches at any depth (`*.local.yaml`) makes it visit every
/// folder, ignored ones (`node_modules/`) included.
fn walk_included(
    root: &Path,
    root_abs: &Path,
    excludes: &Excludes,
    includes: &Matcher,
) -> Vec<PathBuf> {
    let dirs = literal_dirs(includes);
    let found = Mutex::new(Vec::new());
    let filter = {
        let excludes = excludes.clone();
        let root = root.to_path_buf();
        let root_abs = root_abs.to_path_buf();
        move |e: &ignore::DirEntry| {
            // The fact cache's folder too (it ignores itself with its own
            // `.gitignore` as well; a custom `--cache-dir` relies on that).
            if e.file_name() == ".git" || is_cache_dir(e) {
                return false;
            }
            if e.depth() == 0 {
                return true;
            }
            let abs = rebase(e.path(), &root, &root_abs);
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            if excludes.matches(&abs, is_dir) {
                return false;
            }
            !is_dir || dirs.iter().any(|d| may_hold(d, &abs))
        }
    };
    WalkBuilder::new(root)
        .standard_filters(false)
        .follow_links(false)
        .filter_entry(filter)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .for_each(|e| {
            let abs = rebase(e.path(), root, root_abs);
            if includes.matches_path(&abs, false)
                && let Ok(mut f) = found.lock()
            {
                f.push(e.into_path());
            }
        });
    found.into_inner().unwrap_or_default()
}

/// For each glob that selects paths, the deepest literal path every match
/// lies under or on: `build/conf/*.yaml` → `ROOT/build/conf`,
/// `/settings.yaml` → `ROOT/settings.yaml`, `*.yaml` → `ROOT` (any depth).
fn literal_dirs(m: &Matcher) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for (root, _, globs) in &m.sets {
        for g in globs {
            let g = g.trim();
            if g.is_empty() || g.starts_with('!') || g.starts_with('#') {
                continue;
            }
            let body = g.trim_end_matches('/');
            let anchored = body.starts_with('/') || body.contains('/');
            let mut bound = root.clone();
            if anchored {
                for part in body.trim_start_matches('/').split('/') {
                    if part.is_empty() || part.contains(['*', '?', '[', '{', '\\']) {
                        break;
                    }
                    bound.push(part);
                }
            }
            out.push(bound);
        }
    }
    out
}

/// Whether a folder can hold a path under `bound`: it is on the way there,
/// or already inside it.
fn may_hold(bound: &Path, dir: &Path) -> bool {
    bound.starts_with(dir) || dir.starts_with(bound)
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// Whether a walked entry is a fact cache folder (`.credlint_cache`).
fn is_cache_dir(e: &ignore::DirEntry) -> bool {
    e.file_name() == ".credlint_cache" && e.file_type().is_some_and(|t| t.is_dir())
}

/// The root of the git work tree that contains `path`, if any.
pub fn repo_root(path: &Path) -> Option<PathBuf> {
    let abs = fs::canonicalize(path).ok()?;
    let mut dir = if abs.is_dir() {
        abs.as_path()
    } else {
        abs.parent()?
    };
    loop {
        if dir.join(".git").exists() {
            return Some(dir.to_path_buf());
        }
        dir = dir.parent()?;
    }
}

/// The git work trees of a walked folder, deepest first: the one that
/// holds it, and those nested below it (submodules, clones inside a work
/// tree). Each one's index decides for the files below its root.
#[derive(Debug, Default)]
struct Repos {
    roots: Vec<PathBuf>,
}

impl Repos {
    /// The work trees of the folder `root` (canonical: `root_abs`), whose
    /// walk found the folders `dirs`; their indexes are read into `indexes`.
    fn find(
        outer: Option<PathBuf>,
        dirs: &[PathBuf],
        root: &Path,
        root_abs: &Path,
        indexes: &mut Indexes,
    ) -> Repos {
        // Outside a work tree the ignore rules alone decide, nested
        // repositories included (as before git was asked).
        let Some(outer) = outer else {
            return Repos::default();
        };
        let mut roots = vec![outer];
        for d in dirs {
            if d.join(".git").exists() {
                let abs = rebase(d, root, root_abs);
                if !roots.contains(&abs) {
                    roots.push(abs);
                }
            }
        }
        roots.sort_by_key(|r| std::cmp::Reverse(r.components().count()));
        for r in &roots {
            indexes.load(r);
        }
        Repos { roots }
    }

    /// The root of the work tree that holds `abs`.
    fn repo_of(&self, abs: &Path) -> Option<&Path> {
        self.roots
            .iter()
            .find(|r| abs.starts_with(r))
            .map(PathBuf::as_path)
    }

    /// Whether git tracks `abs` (false when git cannot tell).
    fn is_tracked(&self, abs: &Path, indexes: &Indexes) -> bool {
        self.repo_of(abs)
            .and_then(|r| indexes.of(r))
            .is_some_and(|i| i.is_tracked(abs))
    }

    /// Tracked regular files under `root` that the walk did not find (an
    /// ignore file hides them; `found`: the files it found, listed or
    /// known) and no exclude leaves out, as paths under `root`.
    fn hidden_tracked(
        &self,
        root: &Path,
        root_abs: &Path,
        found: &[PathBuf],
        excludes: &Excludes,
        indexes: &Indexes,
    ) -> Vec<PathBuf> {
        if self.roots.is_empty() {
            return Vec::new();
        }
        let seen: HashSet<PathBuf> = found.iter().map(|p| rebase(p, root, root_abs)).collect();
        let mut out = Vec::new();
        for r in &self.roots {
            let Some(index) = indexes.of(r) else { continue };
            for (rel, kind) in index.iter() {
                if kind != Tracked::File {
                    continue;
                }
                let abs = r.join(rel);
                let Ok(below) = abs.strip_prefix(root_abs) else {
                    continue;
                };
                if seen.contains(&abs)
                    || self.repo_of(&abs) != Some(r.as_path())
                    || below.components().any(|c| c.as_os_str() == ".git")
                    || !fs::symlink_metadata(&abs).is_ok_and(|m| m.is_file())
                    || excludes.matches_path(&abs, false)
                {
                    continue;
                }
                out.push(root.join(below));
            }
        }
        out
    }
}

/// Answers "is this path ignored by git's ignore rules" for paths named
/// explicitly (the walker answers it for paths it finds).
struct IgnoreCheck {
    root: PathBuf,
    /// The matchers built so far, by ignore file (`None`: none there):
    /// files of one folder, or of one tree, share them.
    built: Mutex<std::collections::HashMap<PathBuf, Option<std::sync::Arc<Gitignore>>>>,
}

impl IgnoreCheck {
    fn new(root: &Path) -> Self {
        IgnoreCheck {
            root: root.to_path_buf(),
            built: Mutex::default(),
        }
    }

    /// The matcher of the ignore file `file`, for paths under `dir`.
    fn matcher(&self, dir: &Path, file: PathBuf) -> Option<std::sync::Arc<Gitignore>> {
        if let Ok(built) = self.built.lock()
            && let Some(m) = built.get(&file)
        {
            return m.clone();
        }
        let mut b = GitignoreBuilder::new(dir);
        b.add(&file);
        let m = b.build().ok().map(std::sync::Arc::new);
        if let Ok(mut built) = self.built.lock() {
            built.insert(file, m.clone());
        }
        m
    }

    fn is_ignored(&self, path: &Path, is_dir: bool) -> bool {
        let Ok(abs) = fs::canonicalize(path) else {
            return false;
        };
        let Ok(rel) = abs.strip_prefix(&self.root) else {
            return false;
        };
        // Matchers from the root down to the file's folder; a deeper
        // .gitignore overrides a shallower one.
        let mut matchers: Vec<std::sync::Arc<Gitignore>> = Vec::new();
        matchers.extend(self.matcher(&self.root, self.root.join(".git/info/exclude")));
        let mut dir = self.root.clone();
        let comps: Vec<_> = rel.components().collect();
        for (i, c) in comps.iter().enumerate() {
            matchers.extend(self.matcher(&dir, dir.join(".gitignore")));
            if i + 1 < comps.len() {
                dir.push(c);
            }
        }
        let mut ignored = false;
        for m in &matchers {
            let r = m.matched_path_or_any_parents(&abs, is_dir);
            if r.is_ignore() {
                ignored = true;
            } else if r.is_whitelist() {
                ignored = false;
            }
        }
        ignored
    }
}

/// The path as reported: relative to `cwd` when under it, `/`-separated.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let rel = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    // A path already in that form (no `.` component, no doubled or
    // trailing separator) is its own display path: most are.
    #[cfg(unix)]
    if let Some(s) = rel.to_str()
        && crate::index::plain_relative(s.as_bytes())
    {
        return s.to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::RootDir => parts.push(String::new()),
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => parts.push("..".into()),
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().into_owned()),
        }
    }
    let s = parts.join("/");
    if s.is_empty() { ".".into() } else { s }
}

const TEMPLATE_MARKERS: &[&str] = &[
    "example",
    "examples",
    "sample",
    "samples",
    "template",
    "templates",
    "tmpl",
    "tpl",
    "dist",
    "defaults",
    "default",
];

/// Extensions that make a `.env.*` name something other than an env file.
const NOT_ENV_EXTENSIONS: &[&str] = &[
    "js", "mjs", "cjs", "ts", "mts", "cts", "tsx", "jsx", "py", "rb", "go", "rs", "java", "php",
    "json", "yaml", "yml", "toml", "md", "sh", "bash", "ps1", "d", "lock",
];

/// For an env file name, whether it is a template; `None` if the name is not
/// an env file.
pub fn env_kind(name: &str) -> Option<EnvName> {
    if name == ".envrc" {
        return Some(EnvName {
            template: false,
            shell: true,
        });
    }
    let lower = name.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('.').collect();
    // `env.example`, `env.sample`: a template without the dot.
    let bare_template = parts.len() > 1
        && parts[0] == "env"
        && parts[1..].iter().any(|p| TEMPLATE_MARKERS.contains(p));
    let is_env = lower == ".env"
        || lower.starts_with(".env.")
        || parts[1..].contains(&"env")
        || bare_template;
    if !is_env || lower.ends_with(".d.ts") {
        return None;
    }
    let last = parts.last().copied().unwrap_or("");
    if parts.len() > 2 && NOT_ENV_EXTENSIONS.contains(&last) {
        return None;
    }
    if lower.starts_with(".envrc.") {
        return None;
    }
    let template = parts.iter().any(|p| TEMPLATE_MARKERS.contains(p));
    Some(EnvName {
        template,
        shell: false,
    })
}

/// Whether an env file's header comment says it is a template: it tells
/// the reader to copy or rename it (`cp .env.example .env`, "copy this file
/// to .env", "rename to .env") or to fill in the values. Only the comment
/// lines before the first assignment count, and only in files that are not
/// named as dotenv loads them (`.env`, `.env.local`…): those are the copies
/// the header asked for, and keep the template's header.
pub fn template_by_header(name: &str, text: &str) -> bool {
    if name.to_ascii_lowercase().starts_with(".env") {
        return false;
    }
    let mut header = String::new();
    for line in text.lines().take(30) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        match t.strip_prefix('#') {
            Some(c) => {
                header.push_str(&c.to_ascii_lowercase());
                header.push(' ');
            }
            None => break,
        }
    }
    if header.is_empty() {
        return false;
    }
    let copy = ["cp ", "copy ", "rename ", "duplicate "]
        .iter()
        .any(|w| header.contains(w))
        && (header.contains(".env") || header.contains("this file"));
    let fill = ["fill in", "fill out", "replace with your", "add your"]
        .iter()
        .any(|w| header.contains(w));
    copy || fill
}

/// What a file's text adds to its path's classification, once it is read:
/// a config with unquoted Jinja is a foreign template, a YAML/JSON
/// document shaped as recorded HTTP traffic is a recording, a YAML/JSON
/// OpenAPI/Swagger document is docs, an env file whose header says to copy
/// it is a template. `check` and `history` both call it.
pub fn refine_by_text(class: &mut FileClass, path: &Path, text: &str) {
    if jinja_text(class.kind, text) {
        class.context = Context::ForeignTemplate;
    } else if !matches!(
        class.context,
        Context::Vendored | Context::ForeignTemplate | Context::Recording
    ) && recording_text(class.kind, text)
    {
        class.context = Context::Recording;
    } else if class.context == Context::Application && api_spec_text(class.kind, text) {
        class.context = Context::Docs;
    }
    if class.is_env()
        && !class.template
        && path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| template_by_header(n, text))
    {
        class.template = true;
    }
}

/// What an env file's name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvName {
    pub template: bool,
    pub shell: bool,
}

fn is_runtime_env_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(env_kind)
        .is_some_and(|k| !k.template)
}

/// The runtime env file a template stands for, in the same folder:
/// `.env.example` → `.env`, `.env.production.sample` → `.env.production`,
/// `example.env` → `.env`.
pub fn template_sibling(name: &str) -> Option<String> {
    env_kind(name).filter(|k| k.template)?;
    let kept: Vec<&str> = name
        .split('.')
        .filter(|p| !TEMPLATE_MARKERS.contains(&p.to_ascii_lowercase().as_str()))
        .collect();
    let joined = kept.join(".");
    let sibling = if joined.starts_with('.') || joined.is_empty() {
        joined
    } else if name
        .split('.')
        .next()
        .is_some_and(|p| TEMPLATE_MARKERS.contains(&p.to_ascii_lowercase().as_str()))
    {
        // `example.env` → `.env`
        format!(".{joined}")
    } else {
        joined
    };
    if sibling.is_empty() || sibling == name {
        None
    } else {
        Some(sibling)
    }
}

const TEST_DIRS: &[&str] = &["test", "tests", "spec", "__tests__", "testdata", "fixtures"];

fn is_test_path(display: &str, name: &str) -> bool {
    let mut comps: Vec<&str> = display.split('/').collect();
    comps.pop();
    if comps
        .iter()
        .any(|c| TEST_DIRS.contains(c) || context::MORE_TEST_DIRS.contains(c))
    {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    if context::is_test_setup_name(display, &lower) {
        return true;
    }
    if lower == ".env.test" || lower == ".env.testing" {
        return true;
    }
    let stem = lower.split('.').next().unwrap_or("");
    lower.starts_with("test_")
        || stem.ends_with("_test")
        || lower.contains(".test.")
        || lower.contains(".spec.")
}

/// A file's kind by its name (`lower`, lower-cased) and path, for a name
/// that is not an env file's; and whether it lies in a Helm chart's
/// `templates/` (then its kind is `Other`: Go templates, not YAML).
fn kind_by_name(path: &Path, display: &str, lower: &str) -> (FileKind, bool) {
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let kind = if lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower == "containerfile"
    {
        FileKind::Dockerfile
    } else {
        match ext {
            "yaml" | "yml" => FileKind::Yaml,
            "toml" => FileKind::Toml,
            "json" => FileKind::Json {
                comments: json_allows_comments(display, lower),
            },
            "jsonc" | "json5" => FileKind::Json { comments: true },
            "properties" => FileKind::Properties,
            "ipynb" => FileKind::Notebook,
            "md" | "markdown" | "mdx" | "rst" | "txt" | "adoc" | "asciidoc" | "rdoc" => {
                FileKind::Docs
            }
            _ => {
                if let Some(lang) = Language::from_extension(ext) {
                    FileKind::Code(lang)
                } else if lower == "gemfile" || lower == "rakefile" {
                    FileKind::Code(Language::Ruby)
                } else {
                    FileKind::Other
                }
            }
        }
    };
    // A chart's `templates/` hold Go templates, not YAML: text only.
    let helm_template = is_helm_template(path);
    let kind = if helm_template { FileKind::Other } else { kind };
    (kind, helm_template)
}

/// The kind [`classify`] gives a file, without the rest of its class (its
/// context needs more look-ups): what a scan's result depends on.
pub fn kind_of(path: &Path, display: &str) -> FileKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    match env_kind(&name) {
        Some(env) => FileKind::Env { shell: env.shell },
        None => kind_by_name(path, display, &name.to_ascii_lowercase()).0,
    }
}

/// Classify a file by its path.
pub fn classify(path: &Path, display: &str, committed: bool, in_git: bool) -> FileClass {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let test = is_test_path(display, &name);
    if let Some(env) = env_kind(&name) {
        // Outside git, runtime env files are local.
        let committed = committed && (in_git || env.template);
        return FileClass {
            kind: FileKind::Env { shell: env.shell },
            template: env.template,
            committed,
            test,
            context: context::decide(
                path,
                display,
                &name,
                test,
                FileKind::Env { shell: env.shell },
            ),
        };
    }
    let lower = name.to_ascii_lowercase();
    let (kind, helm_template) = kind_by_name(path, display, &lower);
    let template = (kind == FileKind::Yaml && is_helm_values(path, &lower))
        || (lower == "appsettings.json" && is_layered_appsettings(path));
    let context = match context::decide(path, display, &name, test, kind) {
        Context::Application | Context::Library if helm_template => Context::ForeignTemplate,
        c => c,
    };
    FileClass {
        kind,
        template,
        committed,
        test,
        context,
    }
}

/// Whether a .NET `appsettings.json` is the base layer of a layered
/// configuration: an `appsettings.{Environment}.json` (or its `.example`)
/// beside it, or a project with user secrets (`<UserSecretsId>` in a
/// `.csproj` beside it). Its empty values are then defaults that the
/// environment's file, user secrets or `App__OpenAI__ApiKey`-style
/// variables fill in, as a template's are; a real key there is still one.
fn is_layered_appsettings(path: &Path) -> bool {
    let Some(dir) = path.parent() else {
        return false;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let name = e.file_name().to_string_lossy().to_ascii_lowercase();
        (name.starts_with("appsettings.") && name != "appsettings.json" && name.contains(".json"))
            || (name.ends_with(".csproj")
                && fs::metadata(e.path()).is_ok_and(|m| m.len() <= 1 << 20)
                && fs::read_to_string(e.path()).is_ok_and(|t| t.contains("<UserSecretsId>")))
    })
}

fn json_allows_comments(display: &str, lower: &str) -> bool {
    // .NET's JSON configuration provider skips comments and trailing commas.
    lower.starts_with("appsettings")
        || lower == "launchsettings.json"
        || lower.starts_with("tsconfig")
        || lower.starts_with("jsconfig")
        || lower == "devcontainer.json"
        || lower == ".devcontainer.json"
        || display.split('/').rev().nth(1) == Some(".vscode")
}

/// Whether a file is under a Helm chart's `templates/` folder (the chart's
/// `Chart.yaml` is beside that folder).
fn is_helm_template(path: &Path) -> bool {
    // Most paths have no such folder: no need to take them apart.
    if path.to_str().is_some_and(|s| !s.contains("templates")) {
        return false;
    }
    path.ancestors()
        .skip(1)
        .find(|a| a.file_name().is_some_and(|n| n == "templates"))
        .and_then(Path::parent)
        .is_some_and(|chart| chart.join("Chart.yaml").is_file())
}

fn is_helm_values(path: &Path, lower: &str) -> bool {
    lower.starts_with("values")
        && path
            .parent()
            .is_some_and(|d| d.join("Chart.yaml").is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn listing_texts_agree_with_display_paths_and_cache_keys() {
        let roots = ["/", "/repo", "/work/repo", "/work/re po"];
        let cwds = [
            "/",
            "/work",
            "/work/repo",
            "/work/repo/sub",
            "/elsewhere",
            "/work/",
        ];
        let names: [&[u8]; 6] = [
            b"a.py",
            b"sub/.env",
            b"sub/x/y.ts",
            b"./a.py",
            b"a//b.py",
            b"sub/.",
        ];
        for root in roots {
            for cwd in cwds {
                let prefix = ListingPrefix::new(Path::new(root), Path::new(cwd));
                for name in names {
                    let rel = crate::index::path_of(name).unwrap();
                    let abs = Path::new(root).join(rel);
                    let (key, display) = prefix.texts(&abs, name, Path::new(cwd));
                    let what = format!("root {root}, cwd {cwd}, name {rel:?}");
                    assert_eq!(display, display_path(&abs, Path::new(cwd)), "{what}");
                    if let Some(key) = key {
                        let expected = crate::cache::key(&abs, Path::new(cwd));
                        assert_eq!(Some(key), expected.as_deref(), "{what}");
                    }
                }
            }
        }
        // Plain names below a plain root give both texts borrowed.
        let prefix = ListingPrefix::new(Path::new("/work/repo"), Path::new("/work"));
        let abs = Path::new("/work/repo/sub/.env");
        let (key, display) = prefix.texts(abs, b"sub/.env", Path::new("/work"));
        assert_eq!(key, Some("/work/repo/sub/.env"));
        assert!(matches!(display, Cow::Borrowed("repo/sub/.env")));
    }

    #[test]
    fn env_names() {
        for (name, template) in [
            (".env", false),
            (".env.local", false),
            (".env.production", false),
            ("prod.env", false),
            (".env.example", true),
            (".env.sample", true),
            (".env.template", true),
            (".env.dist", true),
            (".env.defaults", true),
            ("example.env", true),
            ("app.env.example", true),
            (".env.production.sample", true),
            ("env.example", true),
            ("env.sample", true),
            ("openai.env.example", true),
            ("openai.env", false),
        ] {
            assert_eq!(env_kind(name).map(|k| k.template), Some(template), "{name}");
        }
        for name in [
            "env.py",
            ".env.ts",
            "environment.yml",
            ".env.d.ts",
            "config.json",
            "envoy.yaml",
        ] {
            assert_eq!(env_kind(name), None, "{name}");
        }
        assert!(env_kind(".envrc").is_some_and(|k| k.shell));
    }

    #[test]
    fn templates_by_their_header() {
        for (name, text, yes) in [
            (
                "app.env",
                "# cp app.env .env and edit\nOPENAI_API_KEY=\n",
                true,
            ),
            (
                ".env",
                "# cp .env.example .env and edit\nOPENAI_API_KEY=x\n",
                false,
            ),
            ("openai.env", "# Copy this file to .env\nA=1\n", true),
            ("app.env", "# Rename to .env before running\nA=1\n", true),
            ("openai.env", "# fill in your key\nOPENAI_API_KEY=\n", true),
            (".env", "# fill in your key\nOPENAI_API_KEY=x\n", false),
            (".env", "A=1\n# cp .env.example .env\n", false),
            (".env", "# settings for the bot\nA=1\n", false),
            (".env", "OPENAI_API_KEY=x\n", false),
        ] {
            assert_eq!(template_by_header(name, text), yes, "{name}: {text:?}");
        }
    }

    #[test]
    fn siblings() {
        assert_eq!(template_sibling(".env.example").as_deref(), Some(".env"));
        assert_eq!(
            template_sibling(".env.production.sample").as_deref(),
            Some(".env.production")
        );
        assert_eq!(template_sibling("example.env").as_deref(), Some(".env"));
        assert_eq!(
            template_sibling("app.env.example").as_deref(),
            Some("app.env")
        );
        assert_eq!(template_sibling(".env"), None);
    }

    #[test]
    fn helm_charts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let chart = dir.path().join("charts/app");
        std::fs::create_dir_all(chart.join("templates/sub")).expect("mkdir");
        std::fs::write(chart.join("Chart.yaml"), "name: app\n").expect("write");
        let class = |rel: &str| classify(&chart.join(rel), rel, true, true);
        assert!(class("values.yaml").template);
        assert!(class("values-prod.yaml").template);
        assert_eq!(class("values.yaml").kind, FileKind::Yaml);
        assert_eq!(class("templates/deployment.yaml").kind, FileKind::Other);
        assert_eq!(class("templates/sub/secret.yaml").kind, FileKind::Other);
        assert!(!class("Chart.yaml").template);
        // Without a Chart.yaml, `templates/` and `values.yaml` are plain YAML.
        let other = dir.path().join("web");
        std::fs::create_dir_all(other.join("templates")).expect("mkdir");
        let c = classify(
            &other.join("templates/page.yaml"),
            "web/templates/page.yaml",
            true,
            true,
        );
        assert_eq!(c.kind, FileKind::Yaml);
        let v = classify(&other.join("values.yaml"), "web/values.yaml", true, true);
        assert!(!v.template);
    }

    #[test]
    fn test_files() {
        for (display, yes) in [
            ("tests/test_client.py", true),
            ("src/client_test.go", true),
            ("web/app.test.ts", true),
            ("web/app.spec.js", true),
            ("fixtures/a/.env", true),
            (".env.test", true),
            ("src/testing.py", false),
            ("src/latest.py", false),
            ("contest/app.py", false),
        ] {
            let name = display.rsplit('/').next().unwrap_or(display);
            assert_eq!(is_test_path(display, name), yes, "{display}");
        }
    }
}
