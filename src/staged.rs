//! `credlint check --staged`: the files staged in git, with their staged
//! content — what the next commit will hold, which may differ from the work
//! tree (`git add -p`, edits after `git add`).
//!
//! Read with the `git` command line rather than libgit2: git is on every
//! machine that has a repository, it honours everything the repository
//! configures (worktrees, `GIT_INDEX_FILE` that `git commit -a` and hooks
//! set, split indexes, sparse checkouts), and it adds no C dependency to
//! the build. Two processes, whatever the number of files:
//!
//! - `git diff --cached --raw -z --no-renames --diff-filter=ACMRT` lists the
//!   staged paths with the object id of each one's staged blob (a rename is
//!   its new path, since renames are not detected);
//! - `git cat-file --batch` streams those blobs.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::walk::SkipReason;

/// One staged file: its work-tree path (absolute) and staged content.
#[derive(Debug)]
pub struct StagedFile {
    pub path: PathBuf,
    /// The blob, or why it was not read.
    pub content: Result<Vec<u8>, (SkipReason, String)>,
}

/// The staged files of the repository that holds `dir`.
#[derive(Debug)]
pub struct Staged {
    /// The work tree's root (canonical).
    pub root: PathBuf,
    pub files: Vec<StagedFile>,
    /// Staged symlinks (absolute work-tree paths): not scanned.
    pub symlinks: Vec<PathBuf>,
}

/// Why the staged files could not be listed (exit 2).
#[derive(Debug)]
pub struct StagedError(pub String);

impl std::fmt::Display for StagedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StagedError {}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir);
    c
}

fn run(cmd: &mut Command, what: &str) -> Result<Vec<u8>, StagedError> {
    let out = cmd.stderr(Stdio::piped()).output().map_err(|e| {
        StagedError(if e.kind() == io::ErrorKind::NotFound {
            "--staged reads the git index, but `git` is not installed or not on PATH".into()
        } else {
            format!("cannot run git ({what}): {e}")
        })
    })?;
    if !out.status.success() {
        return Err(StagedError(format!(
            "git {what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(out.stdout)
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

/// List and read the staged files of the repository that holds `dir`.
/// Blobs larger than `max` bytes are not kept.
pub fn read(dir: &Path, max: u64) -> Result<Staged, StagedError> {
    let top = git(dir)
        .args(["rev-parse", "--show-toplevel"])
        .stderr(Stdio::null())
        .output()
        .map_err(|e| {
            StagedError(if e.kind() == io::ErrorKind::NotFound {
                "--staged reads the git index, but `git` is not installed or not on PATH".into()
            } else {
                format!("cannot run git: {e}")
            })
        })?;
    if !top.status.success() {
        return Err(StagedError(format!(
            "--staged needs a git repository, and {} is not inside a git work tree",
            dir.display()
        )));
    }
    let top = String::from_utf8_lossy(&top.stdout).trim_end().to_string();
    let root = std::fs::canonicalize(&top).unwrap_or_else(|_| PathBuf::from(&top));

    let raw = run(
        git(&root).args([
            "-c",
            "core.quotePath=false",
            "diff",
            "--cached",
            "--raw",
            "-z",
            "--no-renames",
            "--no-abbrev",
            "--no-color",
            "--no-ext-diff",
            "--diff-filter=ACMRT",
        ]),
        "diff --cached",
    )?;

    let mut files = Vec::new();
    let mut symlinks = Vec::new();
    let mut wanted: Vec<(usize, String)> = Vec::new();
    // Records: ":<old mode> <new mode> <old id> <new id> <status>\0<path>\0".
    let mut fields = raw.split(|&b| b == 0);
    while let Some(meta) = fields.next() {
        if meta.is_empty() {
            continue;
        }
        let Some(path) = fields.next() else { break };
        let meta = String::from_utf8_lossy(meta);
        let parts: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
        let (Some(mode), Some(id)) = (parts.get(1), parts.get(3)) else {
            continue;
        };
        let rel = path_of(path);
        let abs = root.join(&rel);
        match *mode {
            // a submodule: a commit, not a file of this repository
            "160000" => {}
            "120000" => symlinks.push(abs),
            _ => {
                wanted.push((files.len(), id.to_string()));
                files.push(StagedFile {
                    path: abs,
                    content: Err((SkipReason::Unreadable, "not read".into())),
                });
            }
        }
    }
    if !wanted.is_empty() {
        let blobs = cat_blobs(&root, wanted.iter().map(|(_, id)| id.as_str()), max)?;
        for ((i, _), blob) in wanted.into_iter().zip(blobs) {
            if let Some(f) = files.get_mut(i) {
                f.content = blob;
            }
        }
    }
    Ok(Staged {
        root,
        files,
        symlinks,
    })
}

type Blob = Result<Vec<u8>, (SkipReason, String)>;

/// Read blobs by object id with one `git cat-file --batch`.
fn cat_blobs<'a>(
    root: &Path,
    ids: impl Iterator<Item = &'a str>,
    max: u64,
) -> Result<Vec<Blob>, StagedError> {
    let input: Vec<u8> = ids.flat_map(|id| format!("{id}\n").into_bytes()).collect();
    let count = input.iter().filter(|&&b| b == b'\n').count();
    let mut child = git(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| StagedError(format!("cannot run git cat-file: {e}")))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| StagedError("git cat-file: no stdin".into()))?;
    // Written from another thread: git answers while we ask, and a full
    // output pipe would otherwise block both sides.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| StagedError("git cat-file: no stdout".into()))?;
    let mut reader = BufReader::new(stdout);
    let mut out = Vec::with_capacity(count);
    let fail = |e: io::Error| StagedError(format!("reading from git cat-file: {e}"));
    for _ in 0..count {
        let mut header = String::new();
        if reader.read_line(&mut header).map_err(fail)? == 0 {
            return Err(StagedError("git cat-file ended early".into()));
        }
        // "<id> <type> <size>" or "<id> missing"
        let parts: Vec<&str> = header.trim_end().split(' ').collect();
        let size = match parts.as_slice() {
            [_, "blob", size] => size.parse::<u64>().ok(),
            _ => None,
        };
        let Some(size) = size else {
            out.push(Err((
                SkipReason::Unreadable,
                format!("git cat-file: {}", header.trim_end()),
            )));
            continue;
        };
        if size > max {
            io::copy(&mut (&mut reader).take(size + 1), &mut io::sink()).map_err(fail)?;
            out.push(Err((SkipReason::TooLarge, format!("{size} bytes"))));
            continue;
        }
        let mut blob = Vec::with_capacity(size as usize);
        (&mut reader)
            .take(size)
            .read_to_end(&mut blob)
            .map_err(fail)?;
        let mut newline = [0u8; 1];
        reader.read_exact(&mut newline).map_err(fail)?;
        out.push(Ok(blob));
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(out)
}
