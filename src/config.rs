//! `credlint.toml` / `.credlint.toml`: found in the scanned folder or its
//! ancestors up to the repository root, or named with `--config`.
//!
//! The file is read in two steps, as every data file of credlint is: it is
//! deserialized with unknown keys rejected ([`RawConfig`], values keep their
//! byte spans), then validated against the rules and providers that exist
//! (rule codes, provider names, globs) into a [`Config`]. Every error points
//! into the file with a miette label on the offending value.
//!
//! Globs (`exclude`, `extend_include`) are relative to the folder that holds
//! the configuration file, like a `.gitignore` is relative to its folder.

use std::collections::BTreeMap;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, LabeledSpan, NamedSource};
use serde::Deserialize;
use toml::Spanned;

use crate::finding::Severity;
use crate::provider::Providers;
use crate::rule::RuleSet;
pub use crate::rule::pairs::{PairDecl, Pairs};

/// The largest `max_file_size` (`--max-file-size`) accepted: 64 GiB. Large
/// files are sniffed and prefiltered in chunks, so a raised limit costs
/// little until a file matches; a limit near `u64::MAX` is a typo, not a
/// wish.
pub const MAX_FILE_SIZE_LIMIT: u64 = 1 << 36;

/// The file as written. Values that are validated later keep their spans.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Severity>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    extend_include: Vec<Spanned<String>>,
    #[serde(default)]
    max_file_size: Option<Spanned<u64>>,
    #[serde(default)]
    providers: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pair: Vec<Spanned<RawPair>>,
    #[serde(default)]
    verify: bool,
}

/// A `[[pair]]` declaration as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPair {
    key: Option<Spanned<String>>,
    key_suffix: Option<Spanned<String>>,
    org: Option<Spanned<String>>,
    project: Option<Spanned<String>>,
    #[serde(default)]
    files: Vec<Spanned<String>>,
}

/// A validated configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from (`None`: the defaults).
    pub path: Option<PathBuf>,
    /// Rule selectors to enable (empty: every rule).
    pub select: Vec<String>,
    /// Rule selectors to disable.
    pub ignore: Vec<String>,
    /// Severity overrides by exact rule code (selectors in the file are
    /// expanded; a more specific selector wins over a broader one).
    pub severity: BTreeMap<String, Severity>,
    /// gitignore-style globs of paths to leave out, relative to [`Config::root`].
    pub exclude: Vec<String>,
    /// gitignore-style globs of paths to scan although ignore files
    /// (`.gitignore`, `.ignore`, `.git/info/exclude`) would skip them,
    /// relative to [`Config::root`]. `exclude` still wins.
    pub extend_include: Vec<String>,
    /// Size limit in bytes; larger files are skipped.
    pub max_file_size: Option<u64>,
    /// `verify = true`: check as with `--verify` (network).
    pub verify: bool,
    /// Only these providers (by name); `None`: every provider.
    pub providers: Option<Vec<String>>,
    /// `[[pair]]` declarations.
    pub pairs: Vec<PairDecl>,
}

impl Config {
    /// The folder that globs are relative to: the configuration file's.
    pub fn root(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }
}

/// A configuration file that could not be read or is invalid.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("invalid configuration file {path}: {message}")]
#[diagnostic(code(credlint::config))]
pub struct ConfigError {
    /// The file as shown to the user.
    pub path: String,
    /// The first problem (the labels say where each one is).
    pub message: String,
    #[source_code]
    pub src: Option<NamedSource<String>>,
    /// One label per problem, on the offending value.
    #[label(collection)]
    pub labels: Vec<LabeledSpan>,
    #[help]
    pub help: Option<String>,
}

/// The names a configuration file may have, in order of preference.
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

/// The deepest folder that holds every one of `paths` (a file counts as its
/// folder): where configuration discovery starts when several paths are
/// checked at once, as pre-commit passes them.
pub fn common_folder(paths: &[PathBuf]) -> Option<PathBuf> {
    let mut common: Option<PathBuf> = None;
    for p in paths {
        let abs = fs::canonicalize(p).ok()?;
        let dir = if abs.is_dir() {
            abs
        } else {
            abs.parent()?.to_path_buf()
        };
        common = Some(match common {
            None => dir,
            Some(c) => {
                let mut shared = PathBuf::new();
                for (a, b) in c.components().zip(dir.components()) {
                    if a != b {
                        break;
                    }
                    shared.push(a);
                }
                shared
            }
        });
    }
    common
}

/// Read and validate a configuration file against `rules` and `providers`.
/// `shown` is how errors name it.
pub fn load(
    path: &Path,
    shown: &str,
    rules: &RuleSet,
    providers: &Providers,
) -> Result<Config, Box<ConfigError>> {
    let text = fs::read_to_string(path).map_err(|e| {
        Box::new(ConfigError {
            path: shown.to_string(),
            message: e.to_string(),
            src: None,
            labels: Vec::new(),
            help: None,
        })
    })?;
    let mut config = parse(shown, text, rules, providers)?;
    config.path = Some(path.to_path_buf());
    Ok(config)
}

/// Parse and validate configuration text against `rules` (selectors) and
/// `providers` (names); `name` is used in errors.
pub fn parse(
    name: &str,
    text: String,
    rules: &RuleSet,
    providers: &Providers,
) -> Result<Config, Box<ConfigError>> {
    let raw: RawConfig = match toml::from_str(&text) {
        Ok(c) => c,
        Err(e) => {
            let full = e.message().trim_end().to_string();
            // "unknown field `x`, expected one of `a`, `b`": the label says
            // what is wrong, the help line what is allowed.
            let (message, help) = match full.split_once(", expected one of ") {
                Some((what, keys)) if what.starts_with("unknown field") => (
                    what.replacen("unknown field", "unknown key", 1),
                    Some(format!("the keys of credlint.toml are {keys}")),
                ),
                _ => (full, None),
            };
            let labels = e
                .span()
                .map(|r| LabeledSpan::new_primary_with_span(Some(message.clone()), r))
                .into_iter()
                .collect();
            return Err(Box::new(ConfigError {
                path: name.to_string(),
                message,
                src: Some(NamedSource::new(name, text)),
                labels,
                help,
            }));
        }
    };
    let mut problems = Problems::default();
    let config = validate(raw, rules, providers, &mut problems);
    match problems.finish(name, text) {
        Some(e) => Err(Box::new(e)),
        None => Ok(config),
    }
}

/// Validation problems: a message at a span, and a help line for the whole.
#[derive(Default)]
struct Problems {
    list: Vec<(String, Range<usize>)>,
    help: Vec<String>,
}

impl Problems {
    fn add(&mut self, message: String, span: Range<usize>) {
        self.list.push((message, span));
    }

    fn help(&mut self, help: String) {
        if !self.help.contains(&help) {
            self.help.push(help);
        }
    }

    fn finish(self, name: &str, text: String) -> Option<ConfigError> {
        let (first, _) = self.list.first()?;
        let message = if self.list.len() == 1 {
            first.clone()
        } else {
            format!("{first} (and {} more problems)", self.list.len() - 1)
        };
        Some(ConfigError {
            path: name.to_string(),
            message,
            labels: self
                .list
                .into_iter()
                .map(|(m, s)| LabeledSpan::new_with_span(Some(m), s))
                .collect(),
            src: Some(NamedSource::new(name, text)),
            help: (!self.help.is_empty()).then(|| self.help.join("\n")),
        })
    }
}

/// The globs of `list` that compile; the others become problems.
fn globs(list: Vec<Spanned<String>>, key: &str, problems: &mut Problems) -> Vec<String> {
    let mut out = Vec::new();
    for g in list {
        let mut b = crate::walk::user_globs(Path::new("/"));
        match b.add_line(None, g.get_ref()) {
            Ok(_) => out.push(g.into_inner()),
            Err(e) => problems.add(format!("invalid glob in `{key}`: {e}"), g.span()),
        }
    }
    out
}

fn validate(
    raw: RawConfig,
    rules: &RuleSet,
    providers: &Providers,
    problems: &mut Problems,
) -> Config {
    let all_providers = providers;
    let rule_help = "rule selectors are codes (ORG001), code prefixes (ORG, KEY00) or name \
                     prefixes (hardcoded); `credlint rules` lists them";
    let mut selectors = |list: Vec<Spanned<String>>, key: &str| -> Vec<String> {
        let mut out = Vec::new();
        for s in list {
            if rules.matching(s.get_ref()).is_empty() {
                problems.add(
                    format!("unknown rule code {:?} in `{key}`", s.get_ref()),
                    s.span(),
                );
                problems.help(rule_help.to_string());
            } else {
                out.push(s.into_inner());
            }
        }
        out
    };
    let select = selectors(raw.select, "select");
    let ignore = selectors(raw.ignore, "ignore");

    // Broader selectors first, so that a more specific one overrides them.
    let mut by_breadth: Vec<(usize, Spanned<String>, Severity)> = Vec::new();
    for (key, sev) in raw.severity {
        let n = rules.matching(key.get_ref()).len();
        if n == 0 {
            problems.add(
                format!("unknown rule code {:?} in `[severity]`", key.get_ref()),
                key.span(),
            );
            problems.help(rule_help.to_string());
        } else {
            by_breadth.push((n, key, sev));
        }
    }
    by_breadth.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.get_ref().cmp(b.1.get_ref())));
    let mut severity = BTreeMap::new();
    for (_, key, sev) in by_breadth {
        for r in rules.matching(key.get_ref()) {
            severity.insert(r.code.clone(), sev);
        }
    }

    let exclude = globs(raw.exclude, "exclude", problems);
    let extend_include = globs(raw.extend_include, "extend_include", problems);

    let providers = raw.providers.map(|list| {
        let span = list.span();
        let list = list.into_inner();
        if list.is_empty() {
            problems.add(
                "`providers` is empty: no provider would be checked".into(),
                span,
            );
            problems.help("list the providers to check, or delete `providers` to check all".into());
        }
        let known: Vec<&str> = providers.iter().map(|(_, p)| p.name.as_str()).collect();
        let mut names = Vec::new();
        for p in list {
            if providers.by_name(p.get_ref()).is_none() {
                problems.add(format!("unknown provider {:?}", p.get_ref()), p.span());
                problems.help(format!("known providers: {}", known.join(", ")));
            } else if !names.contains(p.get_ref()) {
                names.push(p.into_inner());
            }
        }
        names
    });

    let mut pairs = Vec::new();
    for p in raw.pair {
        let span = p.span();
        let p = p.into_inner();
        if p.key.is_none() && p.key_suffix.is_none() {
            problems.add(
                "a `[[pair]]` needs `key` (a variable name) or `key_suffix`".into(),
                span.clone(),
            );
        }
        if p.org.is_none() && p.project.is_none() {
            problems.add("a `[[pair]]` needs `org` or `project`".into(), span);
        }
        if let Some(k) = &p.key
            && !k
                .get_ref()
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            problems.add(
                format!("`key` is a variable name, not {:?}", k.get_ref()),
                k.span(),
            );
            problems.help("name the variable that holds the key (OPENAI_API_KEY); use `key_suffix` for its last 4 characters".into());
        }
        if let Some(s) = &p.key_suffix
            && (s.get_ref().chars().count() != 4
                || !s
                    .get_ref()
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
        {
            problems.add(
                "`key_suffix` is the key's last 4 characters".into(),
                s.span(),
            );
        }
        for (value, slot, what) in [
            (
                &p.org,
                crate::fact::Slot::Org,
                "an organization ID (`org-` + 24 letters and digits)",
            ),
            (
                &p.project,
                crate::fact::Slot::Project,
                "a project ID (`proj_` + 24 letters and digits)",
            ),
        ] {
            if let Some(v) = value
                && !all_providers.id_of_any(slot, v.get_ref())
            {
                problems.add(format!("{:?} is not {what}", v.get_ref()), v.span());
            }
        }
        let files = globs(p.files, "files", problems);
        pairs.push(PairDecl {
            key: p.key.map(Spanned::into_inner),
            key_suffix: p.key_suffix.map(Spanned::into_inner),
            org: p.org.map(Spanned::into_inner),
            project: p.project.map(Spanned::into_inner),
            files,
        });
    }

    let max_file_size = raw.max_file_size.and_then(|m| {
        let n = *m.get_ref();
        if (1..=MAX_FILE_SIZE_LIMIT).contains(&n) {
            Some(n)
        } else {
            problems.add(
                format!("`max_file_size` must be between 1 and {MAX_FILE_SIZE_LIMIT} bytes"),
                m.span(),
            );
            None
        }
    });

    Config {
        path: None,
        select,
        ignore,
        severity,
        exclude,
        extend_include,
        max_file_size,
        verify: raw.verify,
        providers,
        pairs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Config {
        match parse(
            "credlint.toml",
            text.to_string(),
            crate::rule::builtin(),
            Providers::builtin(),
        ) {
            Ok(c) => c,
            Err(e) => panic!("{e:?}"),
        }
    }

    fn err(text: &str) -> ConfigError {
        match parse(
            "credlint.toml",
            text.to_string(),
            crate::rule::builtin(),
            Providers::builtin(),
        ) {
            Ok(c) => panic!("accepted: {c:?}"),
            Err(e) => *e,
        }
    }

    /// The text each label points at.
    fn labelled(e: &ConfigError, text: &str) -> Vec<String> {
        e.labels
            .iter()
            .map(|l| text[l.offset()..l.offset() + l.len()].to_string())
            .collect()
    }

    #[test]
    fn empty_file_is_the_default() {
        let c = ok("");
        assert!(c.select.is_empty() && c.ignore.is_empty() && c.severity.is_empty());
        assert!(c.exclude.is_empty() && c.extend_include.is_empty());
        assert_eq!(c.max_file_size, None);
        assert_eq!(c.providers, None);
    }

    #[test]
    fn every_key() {
        let c = ok(r#"
select = ["KEY", "ORG001"]
ignore = ["KEY004"]
exclude = ["vendor/", "*.min.js"]
extend_include = ["build/settings.yaml"]
max_file_size = 1024
verify = true
providers = ["openai", "anthropic", "openai"]

[severity]
ENV002 = "info"
"#);
        assert_eq!(c.select, ["KEY", "ORG001"]);
        assert_eq!(c.ignore, ["KEY004"]);
        assert_eq!(c.exclude, ["vendor/", "*.min.js"]);
        assert_eq!(c.extend_include, ["build/settings.yaml"]);
        assert_eq!(c.max_file_size, Some(1024));
        assert!(c.verify);
        assert_eq!(c.providers, Some(vec!["openai".into(), "anthropic".into()]));
        assert_eq!(c.severity.get("ENV002"), Some(&Severity::Info));
    }

    #[test]
    fn severity_selectors_expand_and_the_specific_one_wins() {
        let c = ok("[severity]\nORG = \"info\"\nORG001 = \"warning\"\n");
        assert_eq!(c.severity.get("ORG001"), Some(&Severity::Warning));
        assert_eq!(c.severity.get("ORG002"), Some(&Severity::Info));
        assert_eq!(c.severity.get("KEY001"), None);
    }

    #[test]
    fn unknown_key_points_at_the_key() {
        let text = "select = [\"KEY\"]\nignroe = [\"ORG001\"]\n";
        let e = err(text);
        assert_eq!(e.message, "unknown key `ignroe`");
        assert!(e.help.as_deref().is_some_and(|h| h.contains("`ignore`")));
        assert_eq!(labelled(&e, text), ["ignroe"]);
    }

    #[test]
    fn unknown_rule_codes_point_at_each_value() {
        let text =
            "select = [\"KEY\", \"KEY999\"]\nignore = [\"NOPE\"]\n[severity]\nXYZ1 = \"info\"\n";
        let e = err(text);
        assert_eq!(labelled(&e, text), ["\"KEY999\"", "\"NOPE\"", "XYZ1"]);
        assert!(
            e.help
                .as_deref()
                .is_some_and(|h| h.contains("credlint rules"))
        );
    }

    #[test]
    fn bad_severity_value_points_at_it() {
        let text = "[severity]\nORG001 = \"fatal\"\n";
        let e = err(text);
        assert_eq!(labelled(&e, text), ["\"fatal\""]);
    }

    #[test]
    fn unknown_provider_and_empty_list() {
        let text = "providers = [\"openai\", \"opanai\"]\n";
        let e = err(text);
        assert_eq!(labelled(&e, text), ["\"opanai\""]);
        assert!(e.help.as_deref().is_some_and(|h| h.contains("anthropic")));
        let text = "providers = []\n";
        assert_eq!(labelled(&err(text), text), ["[]"]);
    }

    #[test]
    fn invalid_glob_points_at_it() {
        let text = "exclude = [\"ok/\", \"bad{\"]\n";
        let e = err(text);
        assert_eq!(labelled(&e, text), ["\"bad{\""]);
        // An unclosed class is a typo, not a literal `[`, in every glob list.
        for (key, text) in [
            ("exclude", "exclude = [\"[\"]\n"),
            ("extend_include", "extend_include = [\"a/[b\"]\n"),
            (
                "files",
                concat!(
                    "[[pair]]\nkey = \"OPENAI_API_KEY\"\norg = \"org-",
                    "AbCdEfGhIjKlMnOpQrStUvWx\"\nfiles = [\"x[\"]\n"
                ),
            ),
        ] {
            let e = err(text);
            assert_eq!(e.labels.len(), 1, "{text}: {e:?}");
            assert!(
                e.message.contains(&format!("invalid glob in `{key}`")),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn wrong_types_are_errors() {
        for text in [
            "select = \"KEY\"\n",
            "max_file_size = -1\n",
            "max_file_size = \"big\"\n",
            "exclude = [1]\n",
        ] {
            let e = err(text);
            assert_eq!(e.labels.len(), 1, "{text}: {e:?}");
        }
    }

    #[test]
    fn max_file_size_out_of_range_points_at_it() {
        for text in [
            "max_file_size = 0\n",
            "max_file_size = 9223372036854775807\n",
        ] {
            let e = err(text);
            let value = text["max_file_size = ".len()..].trim_end();
            assert_eq!(labelled(&e, text), [value], "{text}");
            assert!(e.message.contains("between 1 and"), "{}", e.message);
        }
        assert_eq!(
            ok("max_file_size = 68719476736\n").max_file_size,
            Some(MAX_FILE_SIZE_LIMIT)
        );
    }

    #[test]
    fn pair_declarations_are_validated() {
        let e = err("[[pair]]\nkey = \"OPENAI_API_KEY\"\norg = \"org-x\"\n");
        assert_eq!(
            e.message,
            "\"org-x\" is not an organization ID (`org-` + 24 letters and digits)"
        );
        let org = concat!("org-", "AbCdEfGhIjKlMnOpQrStUvWx");
        let e = err(&format!("[[pair]]\norg = \"{org}\"\nextra = 1\n"));
        assert!(e.message.contains("unknown key `extra`"), "{}", e.message);
        let project = concat!("proj_", "AbCdEfGhIjKlMnOpQrStUvWx");
        let e = err(&format!(
            "[[pair]]\nkey_suffix = \"Ab3\"\nproject = \"{project}\"\n"
        ));
        assert_eq!(e.message, "`key_suffix` is the key's last 4 characters");
        let c = ok(&format!(
            "[[pair]]\nkey = \"OPENAI_API_KEY\"\norg = \"{org}\"\nfiles = [\"api/**\"]\n"
        ));
        assert_eq!(c.pairs.len(), 1);
        assert_eq!(c.pairs[0].files, ["api/**"]);
    }

    #[test]
    fn common_folder_of_files_and_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(root.join("a/b")).unwrap();
        fs::create_dir_all(root.join("a/c")).unwrap();
        fs::write(root.join("a/b/x.py"), "").unwrap();
        fs::write(root.join("a/c/y.py"), "").unwrap();
        assert_eq!(
            common_folder(&[root.join("a/b/x.py"), root.join("a/c/y.py")]),
            Some(root.join("a"))
        );
        assert_eq!(
            common_folder(&[root.join("a/b/x.py")]),
            Some(root.join("a/b"))
        );
        assert_eq!(common_folder(&[root.join("a/c")]), Some(root.join("a/c")));
    }

    #[test]
    fn discovery_stops_at_the_repository_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(root.join("repo/.git")).unwrap();
        fs::create_dir_all(root.join("repo/sub/deeper")).unwrap();
        // above the repository: never used
        fs::write(root.join("credlint.toml"), "").unwrap();
        assert_eq!(discover(&root.join("repo/sub/deeper")), None);
        fs::write(root.join("repo/.credlint.toml"), "").unwrap();
        assert_eq!(
            discover(&root.join("repo/sub/deeper")),
            Some(root.join("repo/.credlint.toml"))
        );
        fs::write(root.join("repo/sub/credlint.toml"), "").unwrap();
        assert_eq!(
            discover(&root.join("repo/sub/deeper")),
            Some(root.join("repo/sub/credlint.toml"))
        );
        // credlint.toml is preferred to .credlint.toml in one folder
        fs::write(root.join("repo/credlint.toml"), "").unwrap();
        assert_eq!(
            discover(&root.join("repo")),
            Some(root.join("repo/credlint.toml"))
        );
    }
}
