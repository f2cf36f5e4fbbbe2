//! A file's stat data, taken by path or by name in a folder opened once.
//!
//! Listing a work tree from its git index stats every tracked file; by
//! path, the kernel walks every folder of every path again (a third of
//! that listing's time in a deep tree). [`Folder`] opens a folder once and
//! stats its files by name, as git does for the index.

use std::fs;
use std::path::{Path, PathBuf};

/// What `stat` tells of a file (symbolic links followed, as by
/// [`fs::metadata`]): its type, size and the data that tell it unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    pub is_file: bool,
    pub len: u64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
    pub inode: u64,
}

/// Seconds and nanoseconds as nanoseconds, saturating.
#[cfg(unix)]
fn ns(secs: i64, nanos: i64) -> i64 {
    secs.saturating_mul(1_000_000_000).saturating_add(nanos)
}

/// [`FileStat`] of what `stat` returned.
#[cfg(unix)]
fn from_raw(st: &rustix::fs::Stat) -> FileStat {
    let mode = rustix::fs::FileType::from_raw_mode(st.st_mode);
    FileStat {
        is_file: mode == rustix::fs::FileType::RegularFile,
        len: int(st.st_size),
        mtime_ns: ns(int(st.st_mtime), int(st.st_mtime_nsec)),
        ctime_ns: ns(int(st.st_ctime), int(st.st_ctime_nsec)),
        inode: int(st.st_ino),
    }
}

/// A field of `struct stat` (whose integer types vary by platform) as the
/// type wanted; 0 where it does not fit (a negative size).
#[cfg(unix)]
fn int<T: TryInto<U>, U: Default>(v: T) -> U {
    v.try_into().unwrap_or_default()
}

impl FileStat {
    #[cfg(unix)]
    pub fn of(meta: &fs::Metadata) -> FileStat {
        use std::os::unix::fs::MetadataExt;
        FileStat {
            is_file: meta.is_file(),
            len: meta.len(),
            mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
            ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
        }
    }

    #[cfg(not(unix))]
    pub fn of(meta: &fs::Metadata) -> FileStat {
        let ns = |t: std::io::Result<std::time::SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        };
        FileStat {
            is_file: meta.is_file(),
            len: meta.len(),
            mtime_ns: ns(meta.modified()),
            ctime_ns: ns(meta.created()),
            inode: 0,
        }
    }

    /// The stat data of `path`, or `None` where it cannot be had.
    pub fn of_path(path: &Path) -> Option<FileStat> {
        fs::metadata(path).ok().map(|m| FileStat::of(&m))
    }
}

/// A folder opened to stat its files by name, when first asked. Where it
/// cannot be opened (or off Unix), files are stat'ed by their full paths:
/// the same answers, only slower.
pub struct Folder {
    dir: Option<PathBuf>,
    #[cfg(unix)]
    fd: std::cell::OnceCell<Option<rustix::fd::OwnedFd>>,
}

impl Folder {
    /// The folder `dir`, opened (following symbolic links, as a path
    /// through it would) at its first `stat`.
    pub fn lazy(dir: PathBuf) -> Folder {
        Folder {
            dir: Some(dir),
            #[cfg(unix)]
            fd: std::cell::OnceCell::new(),
        }
    }

    /// A folder whose files are stat'ed by their full paths.
    pub fn by_path() -> Folder {
        Folder {
            dir: None,
            #[cfg(unix)]
            fd: std::cell::OnceCell::new(),
        }
    }

    /// The folder's own stat data, when it was opened (by a `stat` of one
    /// of its files): read from the open folder, no path looked up.
    pub fn own_stat(&self) -> Option<FileStat> {
        #[cfg(unix)]
        if let Some(Some(fd)) = self.fd.get() {
            let st = rustix::fs::fstat(fd).ok()?;
            return Some(from_raw(&st));
        }
        None
    }

    /// The stat data of the file `name` of this folder, whose full path is
    /// `path`.
    pub fn stat(&self, name: &std::ffi::OsStr, path: &Path) -> Option<FileStat> {
        #[cfg(unix)]
        if let Some(fd) = self.fd.get_or_init(|| {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
            rustix::fs::open(self.dir.as_ref()?, flags, Mode::empty()).ok()
        }) {
            let st = rustix::fs::statat(fd, name, rustix::fs::AtFlags::empty()).ok()?;
            return Some(from_raw(&st));
        }
        let _ = name;
        FileStat::of_path(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_by_name_agrees_with_stat_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.py");
        fs::write(&file, "x = 1\n").unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        let folder = Folder::lazy(dir.path().to_path_buf());
        let by_name = folder.stat("a.py".as_ref(), &file).unwrap();
        assert_eq!(Some(by_name), FileStat::of_path(&file));
        assert_eq!(
            Some(by_name),
            Folder::by_path().stat("a.py".as_ref(), &file)
        );
        assert!(by_name.is_file);
        assert_eq!(by_name.len, 6);
        // Opened by the stat above: its own stat data without a lookup.
        assert_eq!(folder.own_stat(), FileStat::of_path(dir.path()));
        assert_eq!(Folder::by_path().own_stat(), None);
        let sub = folder
            .stat("sub".as_ref(), &dir.path().join("sub"))
            .unwrap();
        assert!(!sub.is_file);
        assert_eq!(folder.stat("gone".as_ref(), &dir.path().join("gone")), None);
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_followed_and_a_missing_folder_falls_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.env");
        fs::write(&file, "A=1\n").unwrap();
        std::os::unix::fs::symlink(&file, dir.path().join("link")).unwrap();
        let folder = Folder::lazy(dir.path().to_path_buf());
        let link = folder
            .stat("link".as_ref(), &dir.path().join("link"))
            .unwrap();
        assert!(link.is_file);
        assert_eq!(link.len, 4);
        // A folder that cannot be opened: its files are stat'ed by path.
        let none = Folder::lazy(dir.path().join("missing"));
        assert_eq!(none.stat("a.env".as_ref(), &file), FileStat::of_path(&file));
    }
}
