//! `credlint check`: walk, read, prefilter, extract, run the rules, and
//! select the findings to report.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::baseline::Baseline;
use crate::fact::FileFacts;
use crate::finding::{Finding, Severity, Summary};
use crate::provider::{ProviderId, Providers};
use crate::rule::{self, Ctx, FileRef, Placeholders, RuleSet};
use crate::source::{Source, looks_binary};
use crate::walk::{self, FileEntry, SkipReason, WalkOptions};

/// Default size limit: larger files are skipped and counted.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;

/// What to check and how.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub walk: WalkOptions,
    pub max_file_size: u64,
    /// Rule selectors to enable (empty: all).
    pub select: Vec<String>,
    /// Rule selectors to disable.
    pub ignore: Vec<String>,
    /// Severity overrides by rule code.
    pub severity: BTreeMap<String, Severity>,
    /// Check the files staged in git, with their staged content, instead of
    /// `paths`.
    pub staged: bool,
    /// Only these providers, by name (`None`: all). Facts of the others are
    /// dropped before the rules run, so no finding is about them.
    pub providers: Option<Vec<String>>,
    /// Report only findings not recorded in this baseline.
    pub baseline: Option<Baseline>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            paths: vec![PathBuf::from(".")],
            walk: WalkOptions::default(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            select: Vec::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            staged: false,
            providers: None,
            baseline: None,
        }
    }
}

/// One file after extraction.
pub struct Scanned {
    pub entry: FileEntry,
    /// Kept only for files with facts (for rules' positions and snippets).
    pub source: Option<Arc<Source>>,
    pub facts: FileFacts,
}

/// The result of a check.
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// Texts of files with findings or related locations, by display path.
    pub sources: HashMap<String, Arc<Source>>,
    /// Paths not scanned, with the reason.
    pub skipped: Vec<walk::Skipped>,
    /// Findings left out because the baseline records them.
    pub baselined: usize,
    /// Things the user should know that are not findings (nothing staged,
    /// every file named was excluded).
    pub notes: Vec<String>,
}

/// An error that stops a check (exit code 2).
#[derive(Debug)]
pub struct CheckError(pub String);

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CheckError {}

/// A file to scan: on disk, or its bytes already read (from the git index).
enum Input {
    Disk(FileEntry),
    Bytes(FileEntry, Vec<u8>),
}

/// Run a check.
pub fn check(opts: &CheckOptions) -> Result<Outcome, CheckError> {
    let providers = Providers::builtin();
    let rules = rule::builtin();
    let selected = selection(rules, opts)?;
    let enabled_providers = provider_selection(providers, opts)?;

    let mut notes = Vec::new();
    let (inputs, mut skipped, explicit_files) = if opts.staged {
        let (inputs, skipped) = staged_inputs(opts)?;
        if inputs.is_empty() && skipped.is_empty() {
            notes.push("no staged files to check".to_string());
        }
        (inputs, skipped, false)
    } else {
        let walked = walk::walk(&opts.paths, &opts.walk).map_err(|e| CheckError(e.0))?;
        let inputs = walked.files.into_iter().map(Input::Disk).collect();
        (
            inputs,
            walked.skipped,
            opts.paths.iter().all(|p| p.is_file()),
        )
    };

    let results: Vec<Result<Scanned, walk::Skipped>> = inputs
        .into_par_iter()
        .map(|input| match input {
            Input::Disk(entry) => scan_file(entry, opts.max_file_size, providers),
            Input::Bytes(entry, bytes) => scan_bytes(entry, bytes, providers),
        })
        .collect();

    let mut scanned = Vec::new();
    for r in results {
        match r {
            Ok(s) => scanned.push(s),
            Err(s) => skipped.push(s),
        }
    }
    skipped.sort_by(|a, b| a.display.cmp(&b.display));

    if scanned.is_empty() && explicit_files && !opts.paths.is_empty() {
        let excluded = skipped
            .iter()
            .filter(|s| s.reason == SkipReason::Excluded)
            .count();
        // Files left out on purpose are not an error; files that could not
        // be read are (a pre-commit run must not pass having read nothing).
        if excluded == 0 || excluded < skipped.len() {
            let mut why: Vec<String> = skipped
                .iter()
                .take(5)
                .map(|s| match s.detail.as_str() {
                    "" => format!("{} ({})", s.display, s.reason.as_str()),
                    d => format!("{} ({}: {d})", s.display, s.reason.as_str()),
                })
                .collect();
            if skipped.len() > why.len() {
                why.push(format!("and {} more", skipped.len() - why.len()));
            }
            return Err(CheckError(format!(
                "no file could be scanned: every path given was skipped: {}",
                why.join(", ")
            )));
        }
        notes.push(
            "every file given is excluded by an `exclude` glob: nothing was checked".to_string(),
        );
    }

    if let Some(keep) = &enabled_providers {
        for s in &mut scanned {
            s.facts.retain_providers(providers, |p| keep.contains(&p));
        }
    }

    let cx = Ctx {
        providers,
        rules,
        placeholders: Placeholders::builtin(),
    };
    let refs: Vec<FileRef<'_>> = scanned
        .iter()
        .filter_map(|s| {
            s.source.as_deref().map(|source| FileRef {
                entry: &s.entry,
                source,
                facts: &s.facts,
            })
        })
        .collect();
    let mut findings = rule::run(&cx, &refs);
    findings.retain(|f| selected.contains(f.code.as_str()));
    let mut findings = crate::suppress::apply(&cx, &refs, findings, &selected);
    for f in &mut findings {
        if let Some(&sev) = opts.severity.get(&f.code) {
            f.severity = sev;
        }
    }
    let baselined = match &opts.baseline {
        Some(b) => b.filter(&mut findings),
        None => 0,
    };

    let mut summary = Summary {
        files_scanned: scanned.len(),
        ..Summary::default()
    };
    summary.count(&findings);
    let mut by_reason: BTreeMap<&'static str, usize> = BTreeMap::new();
    for s in &skipped {
        *by_reason.entry(s.reason.as_str()).or_default() += 1;
    }
    summary.skipped = by_reason;

    let wanted: HashSet<&str> = findings
        .iter()
        .flat_map(|f| {
            std::iter::once(f.path.as_str()).chain(f.related.iter().map(|r| r.path.as_str()))
        })
        .collect();
    // Renderers show snippets: they get the text with every key masked.
    let sources = scanned
        .iter()
        .filter(|s| wanted.contains(s.entry.display.as_str()))
        .filter_map(|s| {
            let src = s.source.as_ref()?;
            let masked = crate::redact::mask_spans(src.text(), &secret_spans(&s.facts));
            Some((s.entry.display.clone(), Arc::new(Source::new(masked))))
        })
        .collect();

    Ok(Outcome {
        findings,
        summary,
        sources,
        skipped,
        baselined,
        notes,
    })
}

/// The staged files as inputs, with the excludes applied.
fn staged_inputs(opts: &CheckOptions) -> Result<(Vec<Input>, Vec<walk::Skipped>), CheckError> {
    let base = match &opts.walk.base {
        Some(b) => b.clone(),
        None => std::env::current_dir().map_err(|e| CheckError(e.to_string()))?,
    };
    let base = fs::canonicalize(&base).unwrap_or(base);
    let staged =
        crate::staged::read(&base, opts.max_file_size).map_err(|e| CheckError(e.to_string()))?;
    let excludes = walk::Excludes::new(&opts.walk).map_err(|e| CheckError(e.0))?;
    let mut inputs = Vec::new();
    let mut skipped = Vec::new();
    let skip = |path: &std::path::Path, reason, detail: String| walk::Skipped {
        display: walk::display_path(path, &base),
        reason,
        detail,
    };
    for p in &staged.symlinks {
        skipped.push(skip(p, SkipReason::Symlink, String::new()));
    }
    for f in staged.files {
        if excludes.matches_path(&f.path, false) {
            skipped.push(skip(&f.path, SkipReason::Excluded, String::new()));
            continue;
        }
        match f.content {
            Ok(bytes) => {
                let display = walk::display_path(&f.path, &base);
                let entry = walk::repo_file_entry(f.path, display, &staged.root);
                inputs.push(Input::Bytes(entry, bytes));
            }
            Err((reason, detail)) => skipped.push(skip(&f.path, reason, detail)),
        }
    }
    Ok((inputs, skipped))
}

/// The providers to keep, by id (`None`: all).
fn provider_selection(
    providers: &Providers,
    opts: &CheckOptions,
) -> Result<Option<HashSet<ProviderId>>, CheckError> {
    let Some(names) = &opts.providers else {
        return Ok(None);
    };
    let mut keep = HashSet::new();
    for n in names {
        match providers.by_name(n) {
            Some(id) => {
                keep.insert(id);
            }
            None => return Err(CheckError(format!("unknown provider {n:?}"))),
        }
    }
    Ok(Some(keep))
}

/// The spans of a file that hold keys: key literals, and the literal values
/// of key settings (a malformed value may still be most of a real key).
fn secret_spans(facts: &FileFacts) -> Vec<crate::source::Span> {
    let literals = facts
        .literals
        .iter()
        .filter(|l| matches!(l.kind, crate::fact::LiteralKind::Key { .. }))
        .map(|l| l.span);
    let settings = facts
        .settings
        .iter()
        .filter(|s| {
            s.slot == crate::fact::Slot::Key && s.value.kind == crate::fact::ValueKind::Literal
        })
        .map(|s| s.value.span);
    let mut spans: Vec<_> = literals.chain(settings).collect();
    spans.sort();
    spans.dedup();
    spans
}

/// The rule codes that `select`/`ignore` leave enabled.
fn selection<'a>(rules: &'a RuleSet, opts: &CheckOptions) -> Result<HashSet<&'a str>, CheckError> {
    let mut on: HashSet<&str> = if opts.select.is_empty() {
        rules.iter().map(|r| r.code.as_str()).collect()
    } else {
        HashSet::new()
    };
    for sel in &opts.select {
        let codes = rules.matching(sel);
        if codes.is_empty() {
            return Err(CheckError(format!("select {sel}: no rule matches")));
        }
        on.extend(codes.iter().map(|r| r.code.as_str()));
    }
    for sel in &opts.ignore {
        let codes = rules.matching(sel);
        if codes.is_empty() {
            return Err(CheckError(format!("ignore {sel}: no rule matches")));
        }
        for r in codes {
            on.remove(r.code.as_str());
        }
    }
    Ok(on)
}

fn scan_file(entry: FileEntry, max: u64, providers: &Providers) -> Result<Scanned, walk::Skipped> {
    let skip = |entry: &FileEntry, reason, detail: String| walk::Skipped {
        display: entry.display.clone(),
        reason,
        detail,
    };
    let mut file = match fs::File::open(&entry.path) {
        Ok(f) => f,
        Err(e) => return Err(skip(&entry, SkipReason::Unreadable, e.to_string())),
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > max {
        return Err(skip(&entry, SkipReason::TooLarge, format!("{len} bytes")));
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    // Read at most one byte past the limit: the file may grow while we read.
    if let Err(e) = file.by_ref().take(max + 1).read_to_end(&mut bytes) {
        return Err(skip(&entry, SkipReason::Unreadable, e.to_string()));
    }
    if bytes.len() as u64 > max {
        return Err(skip(
            &entry,
            SkipReason::TooLarge,
            format!("over {max} bytes"),
        ));
    }
    scan_bytes(entry, bytes, providers)
}

/// Prefilter and extract one file's bytes.
fn scan_bytes(
    entry: FileEntry,
    bytes: Vec<u8>,
    providers: &Providers,
) -> Result<Scanned, walk::Skipped> {
    if looks_binary(&bytes) {
        return Err(walk::Skipped {
            display: entry.display.clone(),
            reason: SkipReason::Binary,
            detail: String::new(),
        });
    }
    let hits = providers.prefilter().scan(&bytes);
    if !hits.any() && !hits.directive() && !entry.class.is_env() {
        return Ok(Scanned {
            entry,
            source: None,
            facts: FileFacts::default(),
        });
    }
    let source = Source::decode(&bytes);
    drop(bytes);
    let facts = crate::extract::extract(&entry.class, &source, hits, providers);
    let source = (!facts.is_empty()).then(|| Arc::new(source));
    Ok(Scanned {
        entry,
        source,
        facts,
    })
}
