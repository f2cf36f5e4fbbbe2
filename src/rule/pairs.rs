//! The key–organization pairs a repository declares (`[[pair]]` in
//! credlint.toml), as PAIR005 reads them. Configuration parses and
//! validates the declarations and hands them down in the rules' context.

use std::path::{Path, PathBuf};

/// `[[pair]]` declarations with their `files` globs compiled.
#[derive(Debug, Default)]
pub struct Pairs {
    pub decls: Vec<PairDecl>,
    files: Vec<Option<ignore::gitignore::Gitignore>>,
}

impl Pairs {
    /// Compile the declarations' globs, relative to `root` (the
    /// configuration file's folder).
    pub fn new(decls: Vec<PairDecl>, root: Option<&Path>) -> Pairs {
        let base = root.map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        let files = decls
            .iter()
            .map(|d| {
                if d.files.is_empty() {
                    return None;
                }
                let mut b = crate::walk::user_globs(&base);
                for g in &d.files {
                    // Validated when the configuration was read.
                    let _ = b.add_line(None, g);
                }
                b.build().ok()
            })
            .collect();
        Pairs { decls, files }
    }

    /// Whether declaration `i` applies to the file at `path`.
    pub fn applies(&self, i: usize, path: &Path) -> bool {
        match self.files.get(i) {
            Some(Some(m)) => {
                let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                m.matched_path_or_any_parents(&abs, false).is_ignore()
            }
            _ => true,
        }
    }
}

/// Which organization (and project) a key belongs to (PAIR005).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairDecl {
    /// The key's variable name (`OPENAI_API_KEY`).
    pub key: Option<String>,
    /// The key's last four characters.
    pub key_suffix: Option<String>,
    pub org: Option<String>,
    pub project: Option<String>,
    /// gitignore-style globs, relative to the configuration file's folder,
    /// of the files the declaration applies to (empty: all).
    pub files: Vec<String>,
}
