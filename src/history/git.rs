//! The git plumbing of `credlint history`, through the `git` command line:
//! which commits a range holds and which blobs each one changed, the tree
//! of HEAD, and the blobs' bytes. Four kinds of process, whatever the size
//! of the history:
//!
//! - `git rev-parse` finds the work tree and its state (shallow, no commits);
//! - `git log --raw -z --no-renames` lists, oldest first, every commit of
//!   the range with the old and new blob id of each path it changed;
//! - `git cat-file --batch-check` gives each blob's size (so huge blobs are
//!   never read), and one `git cat-file --batch` per worker streams the
//!   blobs themselves, each distinct blob once;
//! - `git ls-tree -r` lists HEAD's tree.
//!
//! Nothing here knows about credentials.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// A git object id (SHA-1, or SHA-256 in repositories that use it).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid {
    len: u8,
    bytes: [u8; 32],
}

impl Oid {
    /// Parse a full hexadecimal id (40 or 64 digits).
    pub fn parse(hex: &[u8]) -> Option<Oid> {
        if hex.len() != 40 && hex.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            let digit = |b: u8| (b as char).to_digit(16);
            bytes[i] = (digit(pair[0])? * 16 + digit(pair[1])?) as u8;
        }
        Some(Oid {
            len: (hex.len() / 2) as u8,
            bytes,
        })
    }

    /// The all-zero id git prints for "no blob" (an added or deleted path).
    pub fn is_null(&self) -> bool {
        self.bytes.iter().all(|&b| b == 0)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    pub fn hex(&self) -> String {
        hex::encode(self.as_bytes())
    }
}

impl std::fmt::Debug for Oid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.hex())
    }
}

/// Why git could not answer (exit 2).
#[derive(Debug)]
pub struct GitError(pub String);

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GitError {}

const NOT_INSTALLED: &str =
    "history reads the repository with git, but `git` is not installed or not on PATH";

fn spawn_error(what: &str, e: io::Error) -> GitError {
    if e.kind() == io::ErrorKind::NotFound {
        GitError(NOT_INSTALLED.into())
    } else {
        GitError(format!("cannot run git {what}: {e}"))
    }
}

/// A repository's work tree, and how to ask git about it.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The work tree's root (canonical).
    pub root: PathBuf,
    /// A shallow clone: history stops at its boundary commits.
    pub shallow: bool,
}

impl Repo {
    /// The work tree that holds `dir`.
    pub fn open(dir: &Path) -> Result<Repo, GitError> {
        let out = Command::new("git")
            .current_dir(dir)
            .args([
                "rev-parse",
                "--is-inside-work-tree",
                "--show-toplevel",
                "--is-shallow-repository",
            ])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .map_err(|e| spawn_error("rev-parse", e))?;
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.lines();
        if !out.status.success() || lines.next() != Some("true") {
            return Err(GitError(format!(
                "history reads a git repository's commits, and {} is not inside a git work tree",
                dir.display()
            )));
        }
        let top = lines.next().unwrap_or_default();
        let root = std::fs::canonicalize(top).unwrap_or_else(|_| PathBuf::from(top));
        let shallow = lines.next() == Some("true");
        Ok(Repo { root, shallow })
    }

    /// A `git` command run at the root, with settings that would change
    /// what the plumbing prints turned off.
    fn git(&self) -> Command {
        let mut c = Command::new("git");
        c.current_dir(&self.root)
            .args([
                "-c",
                "core.quotePath=false",
                "-c",
                "log.showSignature=false",
            ])
            // A partial clone would otherwise fetch each missing blob over
            // the network, one request at a time: they are counted instead.
            .env("GIT_NO_LAZY_FETCH", "1")
            .stdin(Stdio::null());
        c
    }

    fn output(&self, args: &[&str], what: &str) -> Result<Vec<u8>, GitError> {
        let out = self
            .git()
            .args(args)
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| spawn_error(what, e))?;
        if !out.status.success() {
            return Err(GitError(format!(
                "git {what} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(out.stdout)
    }

    /// Whether HEAD points at a commit (false in a repository without one).
    pub fn has_head(&self) -> bool {
        self.git()
            .args(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// The commits of `revisions` (as `git log` takes them), parents before
    /// children, with what each changed. Paths are interned in `paths`.
    pub fn log(&self, revisions: &[String], paths: &mut Paths) -> Result<Vec<Commit>, GitError> {
        let mut cmd = self.git();
        cmd.args([
            "log",
            "--reverse",
            "--topo-order",
            "--no-renames",
            "--raw",
            "-z",
            "--no-abbrev",
            "--root",
            "--no-color",
            "--no-show-signature",
            // \x01 cannot start a raw record (":…"), so it marks a header.
            "--format=%x01%H %cI",
            "--end-of-options",
        ]);
        cmd.args(revisions);
        cmd.arg("--");
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| spawn_error("log", e))?;
        let stderr = drain(child.stderr.take());
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| GitError("git log: no output".into()))?;
        let parsed = parse_log(BufReader::with_capacity(1 << 16, stdout), paths);
        let status = child.wait().map_err(|e| spawn_error("log", e))?;
        let err = stderr.join().unwrap_or_default();
        if !status.success() {
            return Err(GitError(format!(
                "git log failed: {}",
                String::from_utf8_lossy(&err).trim()
            )));
        }
        parsed.map_err(|e| GitError(format!("reading git log: {e}")))
    }

    /// HEAD's files: blob id and interned path of every regular file.
    pub fn head_tree(&self, paths: &mut Paths) -> Result<Vec<(Oid, PathId)>, GitError> {
        let out = self.output(&["ls-tree", "-r", "-z", "--full-tree", "HEAD"], "ls-tree")?;
        let mut files = Vec::new();
        // "<mode> SP <type> SP <id> TAB <path>\0"
        for record in out.split(|&b| b == 0) {
            let Some(tab) = record.iter().position(|&b| b == b'\t') else {
                continue;
            };
            let (meta, path) = (&record[..tab], &record[tab + 1..]);
            let mut parts = meta.split(|&b| b == b' ');
            let (Some(mode), Some(_), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
                continue;
            };
            if !is_file_mode(mode) {
                continue;
            }
            if let Some(oid) = Oid::parse(id) {
                files.push((oid, paths.intern(path)));
            }
        }
        Ok(files)
    }

    /// The size of each blob (`None`: not in the repository, as in a
    /// partial or damaged clone).
    pub fn sizes(&self, oids: &[Oid]) -> Result<HashMap<Oid, Option<u64>>, GitError> {
        let mut sizes = HashMap::with_capacity(oids.len());
        if oids.is_empty() {
            return Ok(sizes);
        }
        let mut child = self
            .git()
            .args([
                "cat-file",
                "--batch-check=%(objectname) %(objecttype) %(objectsize)",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| spawn_error("cat-file", e))?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| GitError("git cat-file: no input".into()))?;
        let input = id_lines(oids);
        // Written from another thread: git answers while we ask, and a full
        // output pipe would otherwise block both sides.
        let writer = std::thread::spawn(move || {
            let mut stdin = stdin;
            let _ = stdin.write_all(&input);
        });
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| GitError("git cat-file: no output".into()))?;
        let reader = BufReader::new(stdout);
        for line in reader.split(b'\n') {
            let line = line.map_err(|e| GitError(format!("reading git cat-file: {e}")))?;
            let mut parts = line.split(|&b| b == b' ');
            let Some(oid) = parts.next().and_then(Oid::parse) else {
                continue;
            };
            let size = match (parts.next(), parts.next()) {
                (Some(b"blob"), Some(size)) => std::str::from_utf8(size)
                    .ok()
                    .and_then(|s| s.parse::<u64>().ok()),
                _ => None,
            };
            sizes.insert(oid, size);
        }
        let _ = writer.join();
        let _ = child.wait();
        Ok(sizes)
    }

    /// A `git cat-file --batch` process to stream blobs from.
    pub fn cat_file(&self) -> Result<CatFile, GitError> {
        let mut child = self
            .git()
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| spawn_error("cat-file", e))?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| GitError("git cat-file: no output".into()))?;
        Ok(CatFile {
            child,
            stdin,
            stdout: BufReader::with_capacity(1 << 16, stdout),
        })
    }
}

/// Read a child's stderr to the end on another thread (so it never fills).
fn drain(stderr: Option<std::process::ChildStderr>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut s) = stderr {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    })
}

fn id_lines(oids: &[Oid]) -> Vec<u8> {
    let mut input = Vec::with_capacity(oids.len() * 41);
    for oid in oids {
        input.extend_from_slice(oid.hex().as_bytes());
        input.push(b'\n');
    }
    input
}

/// Regular files (and executables); not symlinks (`120000`) or
/// submodules (`160000`).
fn is_file_mode(mode: &[u8]) -> bool {
    mode == b"100644" || mode == b"100755" || mode == b"100664"
}

/// Interned paths (relative to the work tree's root, as git prints them):
/// one history names the same few thousand paths over and over.
#[derive(Debug, Default)]
pub struct Paths {
    ids: HashMap<Vec<u8>, PathId>,
    list: Vec<Vec<u8>>,
}

/// An interned path.
pub type PathId = u32;

impl Paths {
    pub fn intern(&mut self, path: &[u8]) -> PathId {
        if let Some(&id) = self.ids.get(path) {
            return id;
        }
        let id = self.list.len() as PathId;
        self.list.push(path.to_vec());
        self.ids.insert(path.to_vec(), id);
        id
    }

    pub fn get(&self, id: PathId) -> &[u8] {
        self.list.get(id as usize).map_or(&[], Vec::as_slice)
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// One commit of the range.
#[derive(Debug, Clone)]
pub struct Commit {
    pub oid: Oid,
    /// The committer date, ISO 8601 with the committer's offset.
    pub date: String,
    pub changes: Vec<Change>,
}

/// A regular file a commit added or modified.
#[derive(Debug, Clone, Copy)]
pub struct Change {
    pub path: PathId,
    /// The blob before (`None`: the path was added, or was not a file).
    pub old: Option<Oid>,
    pub new: Oid,
}

/// Parse `git log --raw -z --format=%x01%H %cI` output. Records are
/// NUL-separated: a header `\x01<id> <date>`, then for each changed path
/// `:<old mode> <new mode> <old id> <new id> <status>` and the path (each
/// record but the first after a header starts with a newline).
fn parse_log(mut reader: impl BufRead, paths: &mut Paths) -> io::Result<Vec<Commit>> {
    let mut commits: Vec<Commit> = Vec::new();
    let mut record = Vec::new();
    let mut path = Vec::new();
    loop {
        record.clear();
        if reader.read_until(0, &mut record)? == 0 {
            break;
        }
        if record.last() == Some(&0) {
            record.pop();
        }
        let text = trim_newlines(&record);
        if let Some(header) = text.strip_prefix(b"\x01") {
            let mut parts = header.splitn(2, |&b| b == b' ');
            let oid = parts.next().and_then(Oid::parse);
            let date = parts
                .next()
                .map(|d| String::from_utf8_lossy(trim_newlines(d)).into_owned())
                .unwrap_or_default();
            if let Some(oid) = oid {
                commits.push(Commit {
                    oid,
                    date,
                    changes: Vec::new(),
                });
            }
            continue;
        }
        let Some(raw) = text.strip_prefix(b":") else {
            continue;
        };
        // The path always follows a raw record, whatever bytes it holds.
        path.clear();
        if reader.read_until(0, &mut path)? == 0 {
            break;
        }
        if path.last() == Some(&0) {
            path.pop();
        }
        let fields: Vec<&[u8]> = raw.split(|&b| b == b' ').collect();
        let [old_mode, new_mode, old, new, _status] = fields.as_slice() else {
            continue;
        };
        if !is_file_mode(new_mode) {
            continue;
        }
        let (Some(old), Some(new)) = (Oid::parse(old), Oid::parse(new)) else {
            continue;
        };
        if new.is_null() {
            continue;
        }
        let old = (!old.is_null() && is_file_mode(old_mode)).then_some(old);
        let Some(commit) = commits.last_mut() else {
            continue;
        };
        commit.changes.push(Change {
            path: paths.intern(&path),
            old,
            new,
        });
    }
    Ok(commits)
}

fn trim_newlines(mut b: &[u8]) -> &[u8] {
    while let [b'\n', rest @ ..] = b {
        b = rest;
    }
    while let [rest @ .., b'\n'] = b {
        b = rest;
    }
    b
}

/// A running `git cat-file --batch`: ask for blobs with [`CatFile::request`],
/// then read them back in the same order with [`CatFile::read_blob`].
pub struct CatFile {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

/// One blob's answer.
pub enum Blob {
    Bytes(Vec<u8>),
    /// Not in the repository (a partial or damaged clone).
    Missing,
}

impl CatFile {
    /// Ask for `oids`. The caller reads each answer before asking for more
    /// than a pipe holds (a few hundred ids at a time).
    pub fn request(&mut self, oids: &[Oid]) -> io::Result<()> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| io::Error::other("git cat-file input closed"))?;
        stdin.write_all(&id_lines(oids))?;
        stdin.flush()
    }

    /// The next answer.
    pub fn read_blob(&mut self) -> io::Result<Blob> {
        let mut header = Vec::new();
        if self.stdout.read_until(b'\n', &mut header)? == 0 {
            return Err(io::Error::other("git cat-file ended early"));
        }
        // "<id> <type> <size>\n<bytes>\n" or "<id> missing\n"
        let mut parts = trim_newlines(&header).split(|&b| b == b' ');
        let _id = parts.next();
        let size = match (parts.next(), parts.next()) {
            (Some(_), Some(size)) => std::str::from_utf8(size)
                .ok()
                .and_then(|s| s.parse::<u64>().ok()),
            _ => None,
        };
        let Some(size) = size else {
            return Ok(Blob::Missing);
        };
        let mut bytes = Vec::with_capacity(size as usize);
        (&mut self.stdout).take(size).read_to_end(&mut bytes)?;
        if (bytes.len() as u64) < size {
            return Err(io::Error::other("git cat-file ended early"));
        }
        let mut newline = [0u8; 1];
        self.stdout.read_exact(&mut newline)?;
        Ok(Blob::Bytes(bytes))
    }
}

impl Drop for CatFile {
    fn drop(&mut self) {
        // Closing its input ends git cat-file.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(c: char) -> String {
        std::iter::repeat_n(c, 40).collect()
    }

    #[test]
    fn parses_log_records() {
        let zero = oid('0');
        let mut out = Vec::new();
        out.extend_from_slice(format!("\x01{} 2026-01-02T03:04:05+00:00\0", oid('a')).as_bytes());
        out.extend_from_slice(format!("\n:000000 100644 {zero} {} A\0a.py\0", oid('b')).as_bytes());
        out.extend_from_slice(
            format!(":120000 100644 {} {} T\0l\0", oid('c'), oid('d')).as_bytes(),
        );
        out.extend_from_slice(format!(":100644 000000 {} {zero} D\0gone\0", oid('e')).as_bytes());
        out.extend_from_slice(
            format!(":100644 160000 {} {} M\0sub\0", oid('e'), oid('f')).as_bytes(),
        );
        // A path that looks like a header is still a path.
        out.extend_from_slice(
            format!(":100644 100755 {} {} M\0\x01odd\0", oid('e'), oid('f')).as_bytes(),
        );
        // A merge: no records.
        out.extend_from_slice(format!("\x01{} 2026-01-03T00:00:00+01:00\0", oid('1')).as_bytes());
        out.extend_from_slice(format!("\x01{} 2026-01-04T00:00:00+01:00\0", oid('2')).as_bytes());
        out.extend_from_slice(
            format!("\n:100644 100644 {} {} M\0a.py\0", oid('b'), oid('9')).as_bytes(),
        );
        let mut paths = Paths::default();
        let commits = parse_log(&out[..], &mut paths).expect("parse");
        assert_eq!(commits.len(), 3);
        assert_eq!(commits[0].date, "2026-01-02T03:04:05+00:00");
        assert_eq!(commits[0].oid.hex(), oid('a'));
        let c0: Vec<(&[u8], Option<String>, String)> = commits[0]
            .changes
            .iter()
            .map(|c| (paths.get(c.path), c.old.map(|o| o.hex()), c.new.hex()))
            .collect();
        assert_eq!(
            c0,
            [
                (&b"a.py"[..], None, oid('b')),
                (&b"l"[..], None, oid('d')),
                (&b"\x01odd"[..], Some(oid('e')), oid('f')),
            ]
        );
        assert!(commits[1].changes.is_empty());
        assert_eq!(commits[2].changes.len(), 1);
        assert_eq!(commits[2].changes[0].path, commits[0].changes[0].path);
        assert_eq!(commits[2].changes[0].old.map(|o| o.hex()), Some(oid('b')));
    }

    #[test]
    fn oids() {
        assert!(Oid::parse(b"abc").is_none());
        assert!(Oid::parse(oid('g').as_bytes()).is_none());
        let long: String = std::iter::repeat_n('7', 64).collect();
        assert_eq!(Oid::parse(long.as_bytes()).map(|o| o.hex()), Some(long));
        assert!(Oid::parse(oid('0').as_bytes()).is_some_and(|o| o.is_null()));
    }
}
