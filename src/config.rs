//! `credlint.toml` / `.credlint.toml`: found in the scanned folder or its
//! ancestors up to the repository root, or named with `--config`. Unknown
//! keys are errors that point into the file.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;

use crate::finding::Severity;

/// The configuration file's contents.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Rule codes or prefixes to enable (default: all).
    #[serde(default)]
    pub select: Vec<String>,
    /// Rule codes or prefixes to disable.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Severity overrides by rule code.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// gitignore-style globs of paths to leave out.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Size limit in bytes; larger files are skipped.
    #[serde(default)]
    pub max_file_size: Option<u64>,
}

/// A configuration file that could not be read or is invalid.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("invalid configuration file {path}: {message}")]
#[diagnostic(code(credlint::config))]
pub struct ConfigError {
    pub path: String,
    pub message: String,
    #[source_code]
    pub src: Option<NamedSource<String>>,
    #[label("{message}")]
    pub span: Option<SourceSpan>,
}

pub const FILE_NAMES: [&str; 2] = ["credlint.toml", ".credlint.toml"];

/// Find the configuration file for a scan of `start`: in `start` (or its
/// folder) and its ancestors, stopping at the repository root.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let abs = fs::canonicalize(start).ok()?;
    let mut dir = if abs.is_dir() {
        abs.as_path()
    } else {
        abs.parent()?
    };
    loop {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if dir.join(".git").exists() {
            return None;
        }
        dir = dir.parent()?;
    }
}

/// Read and validate a configuration file.
pub fn load(path: &Path) -> Result<Config, Box<ConfigError>> {
    let display = path.display().to_string();
    let text = fs::read_to_string(path).map_err(|e| {
        Box::new(ConfigError {
            path: display.clone(),
            message: e.to_string(),
            src: None,
            span: None,
        })
    })?;
    parse(&display, text)
}

/// Parse configuration text; `name` is used in errors.
pub fn parse(name: &str, text: String) -> Result<Config, Box<ConfigError>> {
    let config: Config = match toml::from_str(&text) {
        Ok(c) => c,
        Err(e) => {
            let span = e.span().map(|r| SourceSpan::from(r.start..r.end));
            return Err(Box::new(ConfigError {
                path: name.to_string(),
                message: e.message().to_string(),
                src: Some(NamedSource::new(name, text)),
                span,
            }));
        }
    };
    Ok(config)
}
