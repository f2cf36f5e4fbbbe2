//! `credlint check`: walk, read, prefilter, extract, run the rules, and
//! select the findings to report.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::baseline::Baseline;
use crate::fact::FileFacts;
use crate::finding::{Finding, Severity, Summary};
use crate::progress::timings::{self, Count, Phase};
use crate::provider::{Hits, ProviderId, Providers};
use crate::rule::{self, FileRef, Placeholders, RuleContext, RuleSet};
use crate::source::{SNIFF_BYTES, Source, is_utf16, looks_binary};
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
    /// `[[pair]]` declarations (PAIR005); their `files` globs are relative
    /// to `pairs_root`.
    pub pairs: Vec<crate::config::PairDecl>,
    pub pairs_root: Option<PathBuf>,
    /// Report only findings not recorded in this baseline.
    pub baseline: Option<Baseline>,
    /// When files are named, read the rest of their repository as context
    /// for cross-file rules (findings are still reported for the named
    /// files only).
    pub context: bool,
    /// Counters for a progress display (see [`crate::progress`]).
    pub progress: Option<Arc<crate::progress::Counters>>,
    /// Files never to scan, canonicalized: the `--output-file` report, whose
    /// earlier version would otherwise be linted as a committed config.
    pub skip_files: Vec<PathBuf>,
    /// `--verify`: ask each provider about the keys the scopes would send
    /// (VERIFY*). `None`: nothing is sent anywhere.
    pub verify: Option<VerifyOptions>,
    /// The fact cache (see [`crate::cache`]). `None`: no cache is read or
    /// written (`--no-cache`).
    pub cache: Option<CacheOptions>,
}

/// Where the fact cache is.
#[derive(Debug, Clone, Default)]
pub struct CacheOptions {
    /// The cache folder (`--cache-dir`); `None`: `.credlint_cache` at the
    /// root of the git work tree of the paths checked, else of the current
    /// folder.
    pub dir: Option<PathBuf>,
}

/// How `--verify` sends its requests.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// `--api-base`: where requests go instead of the scopes' base URLs.
    pub api_base: Vec<crate::verify::ApiBase>,
    /// For one request.
    pub timeout: std::time::Duration,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            api_base: Vec::new(),
            timeout: crate::verify::DEFAULT_TIMEOUT,
        }
    }
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
            pairs: Vec::new(),
            pairs_root: None,
            baseline: None,
            context: true,
            progress: None,
            skip_files: Vec::new(),
            verify: None,
            cache: None,
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
    /// The files the findings' fixes edit, by display path.
    pub fix_targets: HashMap<String, crate::fix::Target>,
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

impl Input {
    fn entry(&self) -> &FileEntry {
        match self {
            Input::Disk(e) | Input::Bytes(e, _) => e,
        }
    }
}

/// Run a check, in named stages: the rules to run, the inputs, the scanned
/// files with their facts, the findings, and the outcome the renderers get.
pub fn check(opts: &CheckOptions) -> Result<Outcome, CheckError> {
    // The built-in data is compiled on two threads: the same few
    // milliseconds every run, the largest step of a small pre-commit run.
    let (providers, rules) = std::thread::scope(|s| {
        let rules = s.spawn(|| {
            let _ = Placeholders::builtin();
            rule::builtin()
        });
        let providers = Providers::builtin();
        match rules.join() {
            Ok(rules) => (providers, rules),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    let mut notes = Vec::new();
    let selected = selected_rules(rules, opts, &mut notes)?;
    let enabled_providers = provider_selection(providers, opts)?;
    // The walk of one folder consults the cache; files named on the
    // command line (a pre-commit run) and staged files do not, so the cache
    // is loaded while they are found (and git lists its index).
    // Files are read while the walk finds them when the cache they are
    // read through is loaded already (or off).
    let (cache, inputs) = if opts.paths.len() == 1 && !opts.staged {
        let cache = timings::time(Phase::CacheLoad, || open_cache(opts));
        let inputs = gather_inputs(opts, providers, cache.as_ref(), true, &mut notes);
        (cache, inputs)
    } else {
        std::thread::scope(|s| {
            let loading = s.spawn(|| timings::time(Phase::CacheLoad, || open_cache(opts)));
            let ready = opts.cache.is_none();
            let inputs = gather_inputs(opts, providers, None, ready, &mut notes);
            (loading.join().ok().flatten(), inputs)
        })
    };
    let inputs = inputs?;
    let files = scan_files(
        inputs,
        opts,
        providers,
        enabled_providers,
        cache.as_ref(),
        &mut notes,
    )?;
    // The cache is written while the rules run.
    let (findings, baselined) = std::thread::scope(|s| {
        let saving =
            cache.map(|c| s.spawn(move || timings::time(Phase::CacheSave, || c.cache.save())));
        let found = timings::time(Phase::Rules, || {
            find(&files, opts, providers, rules, &selected, &mut notes)
        });
        if let Some(h) = saving {
            let _ = h.join();
        }
        found
    })?;
    timings::memory("after the rules");
    let outcome = outcome(files, findings, baselined, notes, providers);
    timings::report();
    Ok(outcome)
}

/// The fact cache of a run, and the folder its keys are relative to.
struct RunCache {
    cache: crate::cache::Cache,
    cwd: PathBuf,
}

/// Open the fact cache of the files `opts` asks about, if it is on.
fn open_cache(opts: &CheckOptions) -> Option<RunCache> {
    let c = opts.cache.as_ref()?;
    let cwd = std::env::current_dir().ok()?;
    let first = if opts.staged {
        opts.walk.base.clone().unwrap_or_else(|| cwd.clone())
    } else {
        opts.paths.first().cloned().unwrap_or_else(|| cwd.clone())
    };
    let root =
        walk::repo_root(&first).unwrap_or_else(|| fs::canonicalize(&cwd).unwrap_or(cwd.clone()));
    let dir = match &c.dir {
        Some(d) => cwd.join(d),
        None => root.join(crate::cache::DIR_NAME),
    };
    Some(RunCache {
        cache: crate::cache::Cache::open(&dir, &root),
        cwd,
    })
}

/// What [`gather_inputs`] found to scan.
struct Inputs {
    inputs: Vec<Input>,
    skipped: Vec<walk::Skipped>,
    /// The display paths asked about (found or skipped).
    targets: HashSet<String>,
    explicit_files: bool,
    /// The repository read as context for the cross-file rules, if any.
    context_root: Option<PathBuf>,
    with_context: bool,
    /// Files asked about that the cache knows to be clean: counted only.
    known_clean: usize,
    /// The git indexes read while finding the inputs, for the context.
    indexes: crate::index::Indexes,
    /// What the inputs read while the walk found them gave (files without
    /// facts left out, counted in `clean`).
    scanned: Vec<Result<Scanned, walk::Skipped>>,
    /// Inputs read while the walk found them that had no facts.
    clean: usize,
}

/// The files read, their facts, and what was skipped.
struct ScannedFiles {
    scanned: Vec<Scanned>,
    skipped: Vec<walk::Skipped>,
    targets: HashSet<String>,
    /// How many of the files asked about were scanned.
    scanned_targets: usize,
    with_context: bool,
}

/// Stage 0: the rules to run (`--select`/`--ignore`, VERIFY only with
/// `--verify`).
fn selected_rules<'r>(
    rules: &'r RuleSet,
    opts: &CheckOptions,
    notes: &mut Vec<String>,
) -> Result<HashSet<&'r str>, CheckError> {
    let mut selected = selection(rules, opts)?;
    // The VERIFY rules run only with --verify: without it they are not
    // selected, so a suppression of them is not judged unused.
    if opts.verify.is_none() {
        let before = selected.len();
        selected.retain(|c| !rule::needs_verify(c));
        if !opts.select.is_empty() && selected.len() < before {
            notes.push("the VERIFY rules run only with --verify".to_string());
        }
    }
    Ok(selected)
}

/// Stage 1, inputs: the files to scan (walked, or staged in git), the
/// paths asked about, and where the context comes from. With `ready` (the
/// cache, if any, is `cache`), walked files are read as the walk finds
/// them: their results are in [`Inputs::scanned`], not in the inputs.
fn gather_inputs(
    opts: &CheckOptions,
    providers: &Providers,
    cache: Option<&RunCache>,
    ready: bool,
    notes: &mut Vec<String>,
) -> Result<Inputs, CheckError> {
    let mut known_clean = 0;
    let mut indexes = crate::index::Indexes::default();
    let mut scanned = Vec::new();
    let mut clean = 0;
    // The files asked about are scanned first; the rest of their repository
    // is read as context for the cross-file rules only when they need it
    // (see `needs_context`).
    let (mut inputs, skipped, targets, explicit_files, context_root) = if opts.staged {
        let staged = staged_inputs(opts)?;
        if staged.targets.is_empty() {
            notes.push("no staged files to check".to_string());
        }
        // Staged files are read from the index only; the context comes from
        // the work tree.
        let root = (opts.context && !staged.targets.is_empty()).then_some(staged.root);
        (staged.inputs, staged.skipped, staged.targets, false, root)
    } else {
        // Files of a walked folder the cache knows to be clean are counted,
        // not classified nor listed (one folder: several could overlap).
        let known = |path: &std::path::Path, display: &str| match cache {
            Some(c) if opts.paths.len() == 1 => {
                known_clean_file(c, path, display, opts.max_file_size, false)
            }
            _ => false,
        };
        let stream = Stream::new(opts, providers, cache, ready);
        let walked =
            timings::time(Phase::Walk, || stream.walk(&known)).map_err(|e| CheckError(e.0))?;
        timings::memory("after the walk");
        let found = stream.finish();
        timings::count(Count::FilesWalked, found.seen.len() as u64);
        // The files kept for later are added when they are read.
        if let Some(p) = &opts.progress {
            p.add_total(found.read_now);
        }
        scanned = found.scanned;
        clean = found.clean;
        known_clean = walked.known;
        indexes = walked.indexes;
        let explicit_files = opts.paths.iter().all(|p| !p.is_dir());
        // What was asked about: the files found, and the paths named but
        // skipped (their reasons are reported; the context's are not).
        let mut targets = found.seen;
        targets.extend(walked.skipped.iter().map(|s| s.display.clone()));
        // Files named on the command line (what pre-commit passes) are
        // reported alone, but cross-file rules may read the rest of their
        // repository.
        let root = if opts.context {
            opts.paths
                .iter()
                .find(|p| p.is_file())
                .and_then(|p| walk::repo_root(p))
        } else {
            None
        };
        (found.pending, walked.skipped, targets, explicit_files, root)
    };
    let with_context = context_root.is_some()
        || (!opts.staged && opts.context && opts.paths.iter().any(|p| p.is_file()));
    if !opts.skip_files.is_empty() {
        inputs.retain(|i| !is_skipped(&i.entry().path, &opts.skip_files));
    }
    Ok(Inputs {
        inputs,
        skipped,
        targets,
        explicit_files,
        context_root,
        with_context,
        known_clean,
        indexes,
        scanned,
        clean,
    })
}

/// The files a walk finds, each kept once (the first path that found it
/// classified it); when the stream is `ready`, those the walk's threads
/// find are read as they are found.
struct Stream<'a> {
    opts: &'a CheckOptions,
    providers: &'a Providers,
    cache: Option<&'a RunCache>,
    ready: bool,
    /// The display paths of the files found.
    seen: std::sync::Mutex<HashSet<String>>,
    /// Files found, to read after the walk.
    pending: std::sync::Mutex<Vec<Input>>,
    /// Files read while the walk went on.
    read_now: AtomicUsize,
    clean: AtomicUsize,
    scanned: std::sync::Mutex<Vec<Result<Scanned, walk::Skipped>>>,
}

/// What a [`Stream`] found and read.
struct Found {
    seen: HashSet<String>,
    pending: Vec<Input>,
    read_now: usize,
    clean: usize,
    scanned: Vec<Result<Scanned, walk::Skipped>>,
}

impl<'a> Stream<'a> {
    fn new(
        opts: &'a CheckOptions,
        providers: &'a Providers,
        cache: Option<&'a RunCache>,
        ready: bool,
    ) -> Self {
        Stream {
            opts,
            providers,
            cache,
            ready,
            seen: Default::default(),
            pending: Default::default(),
            read_now: AtomicUsize::new(0),
            clean: AtomicUsize::new(0),
            scanned: Default::default(),
        }
    }

    /// Walk the paths asked about. Files the walk's threads find are read
    /// there, while the walk goes on (as many threads as the run has: they
    /// walk and read in turn); the others (named on the command line, or
    /// found after a folder's walk) are kept, to be read in parallel after
    /// the walk.
    fn walk(
        &self,
        known: &(dyn Fn(&std::path::Path, &str) -> bool + Sync),
    ) -> Result<walk::Walk, walk::WalkError> {
        let opts = self.opts;
        walk::walk_into(&opts.paths, &opts.walk, known, &|entry, walking| {
            if !self.first(&entry) {
                return;
            }
            if self.ready && walking {
                self.read(entry);
            } else if let Ok(mut pending) = self.pending.lock() {
                pending.push(Input::Disk(entry));
            }
        })
    }

    /// Whether `entry` is the first file found with its display path (and
    /// not left out by `--skip-files`).
    fn first(&self, entry: &FileEntry) -> bool {
        let new = match self.seen.lock() {
            Ok(mut seen) => seen.insert(entry.display.clone()),
            Err(_) => false,
        };
        new && (self.opts.skip_files.is_empty() || !is_skipped(&entry.path, &self.opts.skip_files))
    }

    /// Read `entry` now.
    fn read(&self, entry: FileEntry) {
        self.read_now.fetch_add(1, Ordering::Relaxed);
        match scan_one(Input::Disk(entry), self.opts, self.providers, self.cache) {
            Ok(s) if s.source.is_none() => {
                self.clean.fetch_add(1, Ordering::Relaxed);
            }
            r => {
                if let Ok(mut scanned) = self.scanned.lock() {
                    scanned.push(r);
                }
            }
        }
    }

    fn finish(self) -> Found {
        Found {
            seen: self.seen.into_inner().unwrap_or_default(),
            pending: self.pending.into_inner().unwrap_or_default(),
            read_now: self.read_now.into_inner(),
            clean: self.clean.into_inner(),
            scanned: self.scanned.into_inner().unwrap_or_default(),
        }
    }
}

/// Stage 2, scanned files: read, prefilter and extract every input (and
/// the context when a file asked about needs it); facts of providers not
/// enabled are dropped.
fn scan_files(
    inputs: Inputs,
    opts: &CheckOptions,
    providers: &Providers,
    enabled_providers: Option<HashSet<ProviderId>>,
    cache: Option<&RunCache>,
    notes: &mut Vec<String>,
) -> Result<ScannedFiles, CheckError> {
    let Inputs {
        inputs,
        mut skipped,
        targets,
        explicit_files,
        context_root,
        with_context,
        known_clean,
        mut indexes,
        scanned: mut results,
        clean,
    } = inputs;
    let clean_targets = AtomicUsize::new(known_clean + clean);
    results.extend(scan_all(
        inputs,
        opts,
        providers,
        cache,
        &targets,
        &clean_targets,
    ));
    timings::memory("after the scan");
    if let Some(root) = context_root {
        let asked: Vec<&Scanned> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        let context = if needs_context(&asked) {
            // What the commit holds, listed from the index (several times
            // faster than walking a large tree); the walk where git cannot
            // list it.
            // Files the cache knows to be clean or binary (stat data
            // unchanged) give the cross-file rules nothing: not even
            // classified.
            let known = |file: &walk::Listed<'_>| {
                cache.is_some_and(|c| {
                    let key = match file.key {
                        Some(key) => std::borrow::Cow::Borrowed(key),
                        None => match crate::cache::key(file.path, &c.cwd) {
                            Some(key) => key,
                            None => return false,
                        },
                    };
                    file.stat().is_some_and(|stat| {
                        known_clean_stat(
                            c,
                            &key,
                            file.path,
                            file.display,
                            &stat,
                            opts.max_file_size,
                            true,
                        )
                    })
                })
            };
            let memo = cache.map(|c| &c.cache as &dyn walk::FolderMemo);
            match walk::index_files_except(&root, &opts.walk, &known, memo, &mut indexes)
                .map_err(|e| CheckError(e.0))?
            {
                Some(listed) => listed,
                None => walk::walk(&[root], &opts.walk).map_err(|e| CheckError(e.0))?,
            }
        } else {
            walk::Walk::default()
        };
        let mut inputs: Vec<Input> = context
            .files
            .into_iter()
            .filter(|e| !targets.contains(&e.display))
            .map(Input::Disk)
            .collect();
        if !opts.skip_files.is_empty() {
            inputs.retain(|i| !is_skipped(&i.entry().path, &opts.skip_files));
        }
        results.extend(scan_all(
            inputs,
            opts,
            providers,
            cache,
            &targets,
            &clean_targets,
        ));
    }
    results.sort_by(|a, b| result_display(a).cmp(result_display(b)));

    let mut scanned = Vec::new();
    for r in results {
        match r {
            Ok(s) => scanned.push(s),
            Err(s) => skipped.push(s),
        }
    }
    skipped.sort_by(|a, b| a.display.cmp(&b.display));

    skipped.retain(|s| targets.contains(&s.display) || !with_context);
    let scanned_targets = clean_targets.into_inner()
        + scanned
            .iter()
            .filter(|s| targets.contains(&s.entry.display))
            .count();
    if scanned_targets == 0 && explicit_files && !opts.paths.is_empty() {
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

    if let Some(note) = truncation_note(&scanned, &targets) {
        notes.push(note);
    }

    if let Some(keep) = &enabled_providers {
        for s in &mut scanned {
            s.facts.retain_providers(providers, |p| keep.contains(&p));
        }
    }
    if timings::dump_facts() {
        dump_facts(&scanned, providers);
    }
    Ok(ScannedFiles {
        scanned,
        skipped,
        targets,
        scanned_targets,
        with_context,
    })
}

/// Texts at least this long whose only facts are key/ID literals are not
/// kept in memory (see [`let_go_of_text`]).
const UNLOAD_BYTES: usize = 64 * 1024;

/// Let go of the text of a big file whose only facts are key and ID
/// literals (recorded traffic, API specs, data): the rules look into few of
/// them (KEY001's context, the report's snippets), and those are read again
/// from the file, checked against a digest of the text scanned.
fn let_go_of_text(source: &mut Source, entry: &FileEntry, facts: &FileFacts, file_len: u64) {
    let only_literals = !facts.literals.is_empty()
        && facts.settings.is_empty()
        && facts.definitions.is_empty()
        && facts.parse_errors.is_empty()
        && facts.reads.is_empty()
        && facts.clients.is_empty()
        && facts.scopes.is_empty()
        && facts.dependencies.is_empty()
        && facts.suppressions.is_empty()
        && facts.truncations.is_empty()
        && facts.env_setup.is_empty();
    if only_literals && !entry.class.is_env() && source.text().len() >= UNLOAD_BYTES {
        timings::count(Count::Unloaded, 1);
        timings::count(Count::BytesUnloaded, source.text().len() as u64);
        source.unload(entry.path.clone(), file_len);
    }
}

/// The facts of every kept file on stderr (`CREDLINT_TIMINGS=facts`).
fn dump_facts(scanned: &[Scanned], providers: &Providers) {
    use std::hash::{Hash, Hasher};
    let mut out = String::new();
    for s in scanned {
        let Some(source) = &s.source else { continue };
        let mut h = std::collections::hash_map::DefaultHasher::new();
        format!("{:?}", s.facts).hash(&mut h);
        out.push_str(&format!(
            "== {} ({} bytes, facts {:016x})\n{}",
            s.entry.display,
            source.text().len(),
            h.finish(),
            s.facts.render(source, providers)
        ));
    }
    eprint!("{out}");
}

/// Stage 3, findings: verify (stage 3a, [`verify_keys`]), run the rules over the facts,
/// resolve fixes, apply suppressions, severities and the baseline.
/// Returns the findings and how many the baseline hid.
fn find(
    files: &ScannedFiles,
    opts: &CheckOptions,
    providers: &'static Providers,
    rules: &'static RuleSet,
    selected: &HashSet<&str>,
    notes: &mut Vec<String>,
) -> Result<(Vec<Finding>, usize), CheckError> {
    let ScannedFiles {
        scanned,
        targets,
        with_context,
        ..
    } = files;
    let with_context = *with_context;
    let pairs = crate::config::Pairs::new(opts.pairs.clone(), opts.pairs_root.as_deref());
    let verifier = opts
        .verify
        .as_ref()
        .map(|v| verifier(v, providers, opts.progress.clone()))
        .transpose()?
        .map(|v| {
            if with_context {
                v.with_targets(targets.clone())
            } else {
                v
            }
        });
    let cx = RuleContext {
        providers,
        rules,
        placeholders: Placeholders::builtin(),
        pairs: &pairs,
        verify: None,
        flow: Default::default(),
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
    let graph = crate::graph::Graph::build(&refs);
    let verified = verifier.map(|v| verify_keys(&cx, &refs, &graph, v));
    let cx = RuleContext {
        verify: verified.as_ref(),
        flow: Default::default(),
        ..cx
    };
    let mut findings = rule::run(&cx, &refs, &graph);
    crate::fix::finalize(&mut findings, &refs);
    if let Some(v) = &verified {
        notes.push(v.note(providers));
    }
    // Each rule reports only in the file contexts it applies to
    // (`rule::scope`), before directives are judged.
    let contexts: HashMap<&str, walk::Context> = refs
        .iter()
        .map(|r| (r.entry.display.as_str(), r.entry.class.context))
        .collect();
    findings.retain(|f| {
        selected.contains(f.code.as_str())
            && contexts
                .get(f.path.as_str())
                .is_none_or(|&c| rule::scope::applies(&f.code, c))
    });
    // Directives are judged against every finding of every file read, then
    // only the files asked about are reported on.
    let mut findings = crate::rule::suppress::apply(&cx, &refs, findings, selected);
    findings.retain(|f| targets.contains(&f.path));
    for f in &mut findings {
        if let Some(&sev) = opts.severity.get(&f.code) {
            f.severity = sev;
        }
    }
    distinguish_repeats(&mut findings);
    let baselined = match &opts.baseline {
        Some(b) => b.filter(&mut findings),
        None => 0,
    };
    Ok((findings, baselined))
}

/// Stage 4, outcome: hide every key in the text that may be shown, collect
/// what fixes edit, count, redact the messages, and hand the renderers
/// their masked sources.
fn outcome(
    files: ScannedFiles,
    mut findings: Vec<Finding>,
    baselined: usize,
    notes: Vec<String>,
    providers: &Providers,
) -> Outcome {
    let ScannedFiles {
        scanned,
        skipped,
        scanned_targets,
        ..
    } = files;
    let by_path: HashMap<&str, &Scanned> = scanned
        .iter()
        .map(|s| (s.entry.display.as_str(), s))
        .collect();
    // Every file whose text may be shown (a snippet, a diff) gets the
    // ranges to hide, once, in parallel: finding the keys by shape reads
    // the whole text.
    let shown: HashSet<&str> = findings
        .iter()
        .flat_map(|f| {
            let related = f.related.iter().map(|r| r.path.as_str());
            let edited = f
                .fix
                .iter()
                .flat_map(|x| x.edits.iter().map(|e| e.path.as_str()));
            std::iter::once(f.path.as_str())
                .chain(related)
                .chain(edited)
        })
        .collect();
    let hidden: HashMap<String, Vec<crate::source::Span>> = scanned
        .par_iter()
        .filter(|s| shown.contains(s.entry.display.as_str()))
        .filter_map(|s| {
            let source = s.source.as_deref()?;
            Some((
                s.entry.display.clone(),
                hidden_spans(&s.facts, source, providers),
            ))
        })
        .collect();
    drop(shown);
    let fix_targets = crate::fix::targets(&mut findings, providers, |path| {
        let s = by_path.get(path)?;
        Some((
            s.entry.path.clone(),
            s.source.as_deref()?,
            hidden.get(path).cloned().unwrap_or_default(),
        ))
    });

    let mut summary = Summary {
        files_scanned: scanned_targets,
        ..Summary::default()
    };
    summary.count(&findings);
    for s in &skipped {
        let counts = if s.reason.is_folder() {
            &mut summary.folders_skipped
        } else {
            &mut summary.skipped
        };
        *counts.entry(s.reason.as_str()).or_default() += 1;
    }

    redact_findings(&mut findings, providers);
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
            let hidden = hidden.get(&s.entry.display)?;
            let masked = crate::redact::mask_spans(src.text(), hidden);
            Some((s.entry.display.clone(), Arc::new(Source::new(masked))))
        })
        .collect();

    Outcome {
        findings,
        summary,
        sources,
        skipped,
        baselined,
        notes,
        fix_targets,
    }
}

/// Stage 3a, verification (`--verify`): collect the tuples the scopes of the
/// graph would send and ask the provider about each distinct one, once,
/// before the rules run; the VERIFY rules read the answers from the
/// context.
fn verify_keys(
    cx: &RuleContext<'_>,
    refs: &[FileRef<'_>],
    graph: &crate::graph::Graph<'_>,
    verifier: crate::verify::Verifier,
) -> crate::verify::Verified {
    let tuples = rule::verify_tuples(cx, refs, graph, verifier.plan());
    verifier.ask(tuples)
}

/// The verifier of a `--verify` run: the HTTP client, with the progress
/// line counting keys.
#[cfg(feature = "verify")]
fn verifier(
    v: &VerifyOptions,
    providers: &'static Providers,
    progress: Option<Arc<crate::progress::Counters>>,
) -> Result<crate::verify::Verifier, CheckError> {
    let opts = crate::verify::http::Options {
        timeout: v.timeout,
        ..crate::verify::http::Options::default()
    };
    Ok(crate::verify::Verifier::new(
        v.api_base.clone(),
        Box::new(move |tuples| {
            if let Some(p) = &progress {
                p.verifying(tuples.len());
            }
            crate::verify::http::verify_all(tuples, &opts, providers, &|| {
                if let Some(p) = &progress {
                    p.key_done();
                }
            })
        }),
    ))
}

#[cfg(not(feature = "verify"))]
fn verifier(
    _: &VerifyOptions,
    _: &'static Providers,
    _: Option<Arc<crate::progress::Counters>>,
) -> Result<crate::verify::Verifier, CheckError> {
    Err(CheckError(
        "--verify is not available: this credlint was built without the `verify` feature".into(),
    ))
}

/// Scan `inputs` in parallel. Files without facts (almost all of them) are
/// only counted, in `clean_targets` when they are among `targets`: keeping
/// their entries would cost more memory than everything else a run holds.
fn scan_all(
    inputs: Vec<Input>,
    opts: &CheckOptions,
    providers: &Providers,
    cache: Option<&RunCache>,
    targets: &HashSet<String>,
    clean_targets: &AtomicUsize,
) -> Vec<Result<Scanned, walk::Skipped>> {
    if let Some(p) = &opts.progress {
        p.add_total(inputs.len());
    }
    inputs
        .into_par_iter()
        .filter_map(|input| match scan_one(input, opts, providers, cache) {
            Ok(s) if s.source.is_none() => {
                if targets.contains(&s.entry.display) {
                    clean_targets.fetch_add(1, Ordering::Relaxed);
                }
                None
            }
            r => Some(r),
        })
        .collect()
}

/// Read, prefilter and extract one input (through the cache if any).
fn scan_one(
    input: Input,
    opts: &CheckOptions,
    providers: &Providers,
    cache: Option<&RunCache>,
) -> Result<Scanned, walk::Skipped> {
    let start = timings::file_start();
    let r = match (input, cache) {
        (Input::Disk(entry), Some(c)) => scan_file_cached(entry, opts.max_file_size, providers, c),
        (Input::Bytes(entry, bytes), Some(c)) => scan_bytes_cached(entry, bytes, providers, c),
        (Input::Disk(entry), None) => scan_file(entry, opts.max_file_size, providers),
        (Input::Bytes(entry, bytes), None) => scan_bytes(entry, bytes, providers),
    };
    timings::file_end(start, || match &r {
        Ok(s) => format!(
            "{} ({:?}, {} bytes{})",
            s.entry.display,
            s.entry.class.kind,
            s.source.as_ref().map_or(0, |t| t.text().len()),
            if s.source.is_some() { ", kept" } else { "" }
        ),
        Err(s) => s.display.clone(),
    });
    if let Some(p) = &opts.progress {
        p.file_done();
    }
    r
}

/// [`scan_file`] through the cache: a file whose stat data match its
/// entry is not read when it was clean or binary, and read but not
/// extracted again when it had facts and its content hash matches.
fn scan_file_cached(
    entry: FileEntry,
    max: u64,
    providers: &Providers,
    c: &RunCache,
) -> Result<Scanned, walk::Skipped> {
    use crate::cache::{ScanResult, Stamp, content_hash};
    let Some(key) = crate::cache::key(&entry.path, &c.cwd).map(std::borrow::Cow::into_owned) else {
        return scan_file(entry, max, providers);
    };
    // What cannot be scanned is found out again every time.
    let meta = match fs::metadata(&entry.path) {
        Ok(m) if m.is_file() && m.len() <= max => m,
        _ => return scan_file(entry, max, providers),
    };
    let class = entry.class;
    let cache = &c.cache;
    if let Some(e) = cache.fresh(&key, &class, &Stamp::of(&meta)) {
        match &e.result {
            ScanResult::Clean => return Ok(clean(entry)),
            ScanResult::Binary => return Err(binary(&entry)),
            ScanResult::Kept { .. } => {}
        }
    }
    // Stat again through the handle: the stamp recorded is of what is read.
    let mut file = match open_regular(&entry.path) {
        Ok(f) => f,
        Err(_) => return scan_file(entry, max, providers),
    };
    let meta = match file.metadata() {
        Ok(m) if m.is_file() && m.len() <= max => m,
        _ => return scan_file(entry, max, providers),
    };
    let stamp = Stamp::of(&meta);
    let read = timings::time(Phase::Read, || {
        read_into(&mut file, meta.len(), max, &entry, providers, take_buffer())
    });
    timings::count(Count::FilesRead, 1);
    let read = match read {
        Ok(r) => r,
        Err(_) => return scan_file(entry, max, providers),
    };
    drop(file);
    match read {
        FileRead::Whole(bytes) => {
            let hash = content_hash(&bytes);
            if let Some(e) = cache.get(&key, &class).filter(|e| e.hash == Some(hash)) {
                let reused = match &e.result {
                    ScanResult::Clean => Some(Ok(clean(entry.clone()))),
                    ScanResult::Binary => None,
                    ScanResult::Kept { class, facts } => {
                        crate::cache::decode_facts(facts).map(|facts| {
                            let mut entry = entry.clone();
                            entry.class = *class;
                            Ok(Scanned {
                                entry,
                                source: Some(Arc::new(Source::from_bytes(bytes.to_vec()))),
                                facts,
                            })
                        })
                    }
                };
                if let Some(r) = reused {
                    if e.stamp != stamp || e.racy() {
                        cache.confirm(&key, &e, stamp);
                    }
                    put_buffer(bytes);
                    return r;
                }
            }
            timings::count(Count::BytesRead, bytes.len() as u64);
            let r = scan_read(entry, &bytes, providers);
            put_buffer(bytes);
            if let Some(result) = cache_result(&r) {
                cache.record(&key, stamp, class, Some(hash), result);
            }
            r
        }
        FileRead::Binary => {
            cache.record(&key, stamp, class, None, ScanResult::Binary);
            Err(binary(&entry))
        }
        FileRead::Clean => {
            cache.record(&key, stamp, class, None, ScanResult::Clean);
            Ok(clean(entry))
        }
        FileRead::TooLarge => scan_file(entry, max, providers),
    }
}

/// [`scan_bytes`] through the cache (`--staged`: bytes from the index):
/// the entry of the work tree's file is used when its content hash
/// matches. Nothing is recorded (the stat data are not these bytes').
fn scan_bytes_cached(
    entry: FileEntry,
    bytes: Vec<u8>,
    providers: &Providers,
    c: &RunCache,
) -> Result<Scanned, walk::Skipped> {
    use crate::cache::ScanResult;
    let hit = crate::cache::key(&entry.path, &c.cwd).and_then(|key| {
        let hash = crate::cache::content_hash(&bytes);
        c.cache
            .get(&key, &entry.class)
            .filter(|e| e.hash == Some(hash))
            .map(|e| e.result)
    });
    match hit {
        Some(ScanResult::Clean) => Ok(clean(entry)),
        Some(ScanResult::Kept { class, facts }) => match crate::cache::decode_facts(&facts) {
            Some(facts) => {
                let mut entry = entry;
                entry.class = class;
                Ok(Scanned {
                    entry,
                    source: Some(Arc::new(Source::from_bytes(bytes))),
                    facts,
                })
            }
            None => scan_bytes(entry, bytes, providers),
        },
        _ => scan_bytes(entry, bytes, providers),
    }
}

/// Whether the cache says a file has nothing for the rules: clean (or
/// binary, with `binary`: a binary file asked about is reported as
/// skipped, one of the context is not), with the same kind and stat data.
/// Such a result depends on the file's kind and content only, not on the
/// rest of its class.
fn known_clean_file(
    c: &RunCache,
    path: &std::path::Path,
    display: &str,
    max: u64,
    binary: bool,
) -> bool {
    let Some(key) = crate::cache::key(path, &c.cwd) else {
        return false;
    };
    walk::FileStat::of_path(path)
        .is_some_and(|stat| known_clean_stat(c, &key, path, display, &stat, max, binary))
}

/// [`known_clean_file`] of the file `path` whose cache key is `key` and
/// stat data `stat`.
fn known_clean_stat(
    c: &RunCache,
    key: &str,
    path: &std::path::Path,
    display: &str,
    stat: &walk::FileStat,
    max: u64,
    binary: bool,
) -> bool {
    stat.is_file
        && stat.len <= max
        && c.cache.known_clean(
            key,
            || walk::kind_of(path, display),
            &crate::cache::Stamp::from(stat),
            binary,
        )
}

/// A file scanned without facts.
fn clean(entry: FileEntry) -> Scanned {
    Scanned {
        entry,
        source: None,
        facts: FileFacts::default(),
    }
}

fn binary(entry: &FileEntry) -> walk::Skipped {
    walk::Skipped {
        display: entry.display.clone(),
        reason: SkipReason::Binary,
        detail: String::new(),
    }
}

/// What the cache records of a scan (nothing for a file that could not be
/// scanned: that is found out again).
fn cache_result(r: &Result<Scanned, walk::Skipped>) -> Option<crate::cache::ScanResult> {
    use crate::cache::ScanResult;
    match r {
        Ok(s) => match &s.source {
            None => Some(ScanResult::Clean),
            Some(_) => crate::cache::encode_facts(&s.facts).map(|facts| ScanResult::Kept {
                class: s.entry.class,
                facts,
            }),
        },
        Err(s) if s.reason == SkipReason::Binary => Some(ScanResult::Binary),
        Err(_) => None,
    }
}

fn result_display(r: &Result<Scanned, walk::Skipped>) -> &str {
    match r {
        Ok(s) => &s.entry.display,
        Err(s) => &s.display,
    }
}

/// The files asked about that were read only in part (source nested
/// deeper than the parser walks), with where: not findings (nothing in
/// them is wrong), but the run must not pass for having read them whole.
fn truncation_note(scanned: &[Scanned], targets: &HashSet<String>) -> Option<String> {
    let mut at: Vec<String> = Vec::new();
    let mut message = "";
    for s in scanned {
        let (Some(t), Some(src)) = (s.facts.truncations.first(), &s.source) else {
            continue;
        };
        if !targets.contains(&s.entry.display) {
            continue;
        }
        let p = src.position(t.span.start);
        at.push(format!("{}:{}:{}", s.entry.display, p.line, p.column));
        message = &t.message;
    }
    let total = at.len();
    let first = at.first()?.clone();
    let listed = if total == 1 {
        first
    } else {
        let mut shown: Vec<String> = at.into_iter().take(5).collect();
        if total > shown.len() {
            shown.push(format!("and {} more", total - shown.len()));
        }
        format!("{total} files ({})", shown.join(", "))
    };
    Some(format!(
        "{listed}: {message} (keys and IDs there are still found; clients, settings and env reads are not)"
    ))
}

/// Whether the files asked about need the rest of their repository: only
/// facts that cross-file rules relate to other files' facts (settings,
/// definitions, env reads, clients, scopes) can give them a finding, a
/// related location or a fix that depends on another file. Key and ID
/// literals, parse errors and suppressions are judged within their file,
/// so a commit that touches no credential configuration costs no more than
/// reading its own files. (`each_file_named_alone_gets_the_findings_of_a_full_check`
/// in tests/rule_examples.rs and tests/file_args.rs hold this to a full check.)
/// An env file always needs them: a variable of any name is a credential
/// variable where code passes it into a client's slot (`rule::flow`).
fn needs_context(asked: &[&Scanned]) -> bool {
    asked.iter().any(|s| {
        let f = &s.facts;
        s.entry.class.is_env()
            || !(f.settings.is_empty()
                && f.definitions.is_empty()
                && f.reads.is_empty()
                && f.clients.is_empty()
                && f.scopes.is_empty())
    })
}

/// The staged files of a run.
struct StagedInputs {
    root: PathBuf,
    /// Read from the index, excludes applied.
    inputs: Vec<Input>,
    skipped: Vec<walk::Skipped>,
    /// The display path of every staged file, read or not.
    targets: HashSet<String>,
}

/// The staged files as inputs, with the excludes applied.
fn staged_inputs(opts: &CheckOptions) -> Result<StagedInputs, CheckError> {
    let base = match &opts.walk.base {
        Some(b) => b.clone(),
        None => std::env::current_dir().map_err(|e| CheckError(e.to_string()))?,
    };
    let base = fs::canonicalize(&base).unwrap_or(base);
    let staged =
        crate::staged::read(&base, opts.max_file_size).map_err(|e| CheckError(e.to_string()))?;
    let excludes = walk::Excludes::new(&opts.walk).map_err(|e| CheckError(e.0))?;
    let mut out = StagedInputs {
        root: staged.root.clone(),
        inputs: Vec::new(),
        skipped: Vec::new(),
        targets: HashSet::new(),
    };
    let mut skip = |path: &std::path::Path, reason, detail: String| {
        let display = walk::display_path(path, &base);
        out.targets.insert(display.clone());
        out.skipped.push(walk::Skipped {
            display,
            reason,
            detail,
        });
    };
    let mut read = Vec::new();
    for p in &staged.symlinks {
        skip(p, SkipReason::Symlink, String::new());
    }
    for f in staged.files {
        if excludes.matches_path(&f.path, false) {
            skip(&f.path, SkipReason::Excluded, String::new());
            continue;
        }
        match f.content {
            Ok(bytes) => {
                let display = walk::display_path(&f.path, &base);
                read.push(Input::Bytes(
                    walk::repo_file_entry(f.path, display, &staged.root),
                    bytes,
                ));
            }
            Err((reason, detail)) => skip(&f.path, reason, detail),
        }
    }
    out.targets
        .extend(read.iter().map(|i| i.entry().display.clone()));
    out.inputs = read;
    Ok(out)
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

/// Whether `path` is one of `skip` (canonical paths); only files with the
/// same name are canonicalized, so the check costs nothing per file.
fn is_skipped(path: &std::path::Path, skip: &[PathBuf]) -> bool {
    let name = path.file_name();
    skip.iter()
        .any(|s| s.file_name() == name && fs::canonicalize(path).is_ok_and(|c| &c == s))
}

/// The same offending content twice in one file gives the same fingerprint;
/// the second and later occurrences get the occurrence number mixed in, so
/// every fingerprint is unique and still independent of line numbers.
fn distinguish_repeats(findings: &mut [Finding]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for f in findings.iter_mut() {
        let n = seen.entry(f.fingerprint.clone()).or_insert(0);
        if *n > 0 {
            f.fingerprint =
                crate::finding::fingerprint(&f.code, &f.path, &format!("{}#{n}", f.fingerprint));
        }
        *n += 1;
    }
}

/// The byte ranges of a file's text to hide wherever the text is shown
/// (snippets, `--diff`): every key found in it by shape
/// ([`crate::redact::hidden_spans`]), and every literal value in a key
/// slot, whatever it looks like (a malformed value may still be most of a
/// real key): key settings, key literals, and the definitions and
/// env-read defaults of variables named as keys.
pub fn hidden_spans(
    facts: &FileFacts,
    source: &Source,
    providers: &Providers,
) -> Vec<crate::source::Span> {
    use crate::fact::{LiteralKind, Slot, ValueKind};
    let key_name = |name: &str| {
        providers
            .variable(name)
            .is_some_and(|(_, v)| v.slot == Slot::Key)
            || key_like_name(name)
    };
    let literals = facts
        .literals
        .iter()
        .filter(|l| matches!(l.kind, LiteralKind::Key { .. }))
        .map(|l| l.span);
    let settings = facts
        .settings
        .iter()
        .filter(|s| s.slot == Slot::Key && s.value.kind == ValueKind::Literal)
        .map(|s| s.value.span);
    let definitions = facts
        .definitions
        .iter()
        .filter(|d| d.value.kind == ValueKind::Literal && key_name(&d.name))
        .map(|d| d.value.span);
    let defaults = facts
        .reads
        .iter()
        .filter(|r| key_name(&r.name))
        .filter_map(|r| r.default.as_ref())
        .filter(|v| v.kind == ValueKind::Literal)
        .map(|v| v.span);
    let values: Vec<_> = literals
        .chain(settings)
        .chain(definitions)
        .chain(defaults)
        .collect();
    crate::redact::hidden_spans(source.text(), &values, providers)
}

/// The last line of defence for text that rules build from a file's
/// values (messages, help, related messages, fix descriptions): anything
/// in it shaped like a key is redacted (`sk-proj-…Ab3d`), even where a
/// rule quoted a value it did not take for a key.
pub fn redact_findings(findings: &mut [Finding], providers: &Providers) {
    let redact = |text: &mut String| {
        if let std::borrow::Cow::Owned(r) = crate::redact::redact_text(text, providers) {
            *text = r;
        }
    };
    for f in findings {
        redact(&mut f.message);
        redact(&mut f.help);
        for r in &mut f.related {
            redact(&mut r.message);
        }
        if let Some(fix) = &mut f.fix {
            redact(&mut fix.description);
        }
    }
}

/// Whether a variable's name says it holds a key or token
/// (`MY_SERVICE_API_KEY`, `HF_TOKEN`), not a count or a name
/// (`MAX_TOKENS`, `KEY_NAME`).
fn key_like_name(name: &str) -> bool {
    let n = crate::provider::normalize_key(name);
    ["key", "token", "secret", "password"]
        .iter()
        .any(|w| n.ends_with(w))
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

/// Open a file for reading without blocking: a path that became a FIFO
/// after the walk must not hang the run.
fn open_regular(path: &std::path::Path) -> std::io::Result<fs::File> {
    let mut o = fs::OpenOptions::new();
    o.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: only affects FIFOs and devices, which are then skipped.
        o.custom_flags(0o4000);
    }
    o.open(path)
}

/// Files larger than this are prefiltered chunk by chunk before they are
/// read whole, so that one with nothing to look for (a log, a data dump
/// allowed by a raised `--max-file-size`) is never held in memory. Source
/// code this large is not parsed (see `extract::code::MAX_PARSE_BYTES`), so
/// only the keyword prefilter decides.
const STREAM_BYTES: u64 = 16 << 20;

/// The chunk size of that prefilter.
const CHUNK_BYTES: usize = 4 << 20;

/// Bytes each chunk shares with the previous one, so that a keyword (or a
/// config word) across a chunk boundary is still seen whole.
const CHUNK_OVERLAP: usize = 4096;

pub(crate) fn scan_file(
    entry: FileEntry,
    max: u64,
    providers: &Providers,
) -> Result<Scanned, walk::Skipped> {
    let skip = |entry: &FileEntry, reason, detail: String| walk::Skipped {
        display: entry.display.clone(),
        reason,
        detail,
    };
    let mut file = match open_regular(&entry.path) {
        Ok(f) => f,
        Err(e) => return Err(skip(&entry, SkipReason::Unreadable, e.to_string())),
    };
    let meta = match file.metadata() {
        Ok(m) => m,
        Err(e) => return Err(skip(&entry, SkipReason::Unreadable, e.to_string())),
    };
    if !meta.is_file() {
        // Replaced by a FIFO or device since the walk saw it.
        return Err(skip(&entry, SkipReason::Special, String::new()));
    }
    let len = meta.len();
    if len > max {
        return Err(skip(&entry, SkipReason::TooLarge, format!("{len} bytes")));
    }
    let read = timings::time(Phase::Read, || {
        read_into(&mut file, len, max, &entry, providers, take_buffer())
    });
    timings::count(Count::FilesRead, 1);
    if let Ok(FileRead::Whole(bytes)) = &read {
        timings::count(Count::BytesRead, bytes.len() as u64);
    }
    match read {
        Ok(FileRead::Whole(bytes)) => {
            let scanned = scan_read(entry, &bytes, providers);
            put_buffer(bytes);
            scanned
        }
        Ok(FileRead::Binary) => Err(skip(&entry, SkipReason::Binary, String::new())),
        Ok(FileRead::Clean) => Ok(clean(entry)),
        Ok(FileRead::TooLarge) => Err(skip(
            &entry,
            SkipReason::TooLarge,
            format!("over {max} bytes"),
        )),
        Err(e) => Err(skip(&entry, SkipReason::Unreadable, e.to_string())),
    }
}

/// What reading a file for a scan gave.
#[derive(Debug)]
enum FileRead {
    Whole(Vec<u8>),
    /// A NUL in the first [`SNIFF_BYTES`]: nothing past them was read.
    Binary,
    /// A large file whose chunks the prefilter rejected: never held whole.
    Clean,
    /// The file grew past the limit while it was read.
    TooLarge,
}

/// Read a file of `len` bytes (by its metadata) for [`scan_bytes`]: its
/// first [`SNIFF_BYTES`] first, so that a binary file costs no more than
/// them whatever its size; then, for a large file, chunk by chunk through
/// the prefilter, and whole only when the prefilter finds something.
#[cfg(test)]
fn read_for_scan<R: std::io::Read + std::io::Seek>(
    file: &mut R,
    len: u64,
    max: u64,
    entry: &FileEntry,
    providers: &Providers,
) -> std::io::Result<FileRead> {
    read_into(file, len, max, entry, providers, Vec::new())
}

/// Larger read buffers are not kept for the next file.
const KEEP_BUFFER_BYTES: usize = 8 << 20;

thread_local! {
    /// The buffer each scanning thread reads files into: a file that is
    /// not kept (almost every one) costs no allocation of its own, and the
    /// heap is not left full of freed file-sized holes.
    static READ_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

fn take_buffer() -> Vec<u8> {
    READ_BUFFER.with(std::cell::Cell::take)
}

fn put_buffer(mut buf: Vec<u8>) {
    if buf.capacity() <= KEEP_BUFFER_BYTES {
        buf.clear();
        READ_BUFFER.with(|b| b.set(buf));
    }
}

/// [`read_for_scan`] into `buf` (emptied first), which
/// [`FileRead::Whole`] hands back.
fn read_into<R: std::io::Read + std::io::Seek>(
    file: &mut R,
    len: u64,
    max: u64,
    entry: &FileEntry,
    providers: &Providers,
    mut buf: Vec<u8>,
) -> std::io::Result<FileRead> {
    buf.clear();
    let mut head = buf;
    file.by_ref()
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)?;
    if looks_binary(&head) {
        return Ok(FileRead::Binary);
    }
    // UTF-16 is decoded whole (its keywords are not in its raw bytes); env
    // files and manifests are always extracted.
    let streamable = !is_utf16(&head)
        && !entry.class.is_env()
        && entry.class.kind != crate::walk::FileKind::Notebook
        && manifest_ecosystem(entry).is_none();
    if len > STREAM_BYTES && streamable {
        let mut chunk = head;
        let mut total = chunk.len() as u64;
        loop {
            let want = CHUNK_BYTES.saturating_sub(chunk.len()) as u64;
            let n = file.by_ref().take(want).read_to_end(&mut chunk)?;
            total += n as u64;
            if total > max {
                return Ok(FileRead::TooLarge);
            }
            let hits = providers.prefilter().scan_file(&chunk, entry.class.kind);
            if worth_extracting(entry, hits, &chunk, providers) {
                break;
            }
            if (n as u64) < want {
                return Ok(FileRead::Clean);
            }
            chunk.drain(..chunk.len() - CHUNK_OVERLAP.min(chunk.len()));
        }
        file.seek(std::io::SeekFrom::Start(0))?;
        head = chunk;
        head.clear();
    }
    let mut bytes = head;
    bytes.reserve((len as usize + 1).saturating_sub(bytes.len()));
    // Read at most one byte past the limit: the file may grow while we read.
    let left = max.saturating_add(1).saturating_sub(bytes.len() as u64);
    file.by_ref().take(left).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Ok(FileRead::TooLarge);
    }
    Ok(FileRead::Whole(bytes))
}

fn manifest_ecosystem(entry: &FileEntry) -> Option<crate::extract::manifest::Ecosystem> {
    entry
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(crate::extract::manifest::ecosystem)
}

/// Whether a file's text (or a chunk of it) holds anything an extractor
/// looks for: a provider keyword or a suppression directive; for a config,
/// a provider name, credential variable or org/project key word. Env files
/// and manifests are always read.
fn worth_extracting(entry: &FileEntry, hits: Hits, text: &[u8], providers: &Providers) -> bool {
    hits.any()
        || hits.directive()
        || entry.class.is_env()
        || manifest_ecosystem(entry).is_some()
        || (matches!(
            entry.class.kind,
            walk::FileKind::Docs | walk::FileKind::Dockerfile
        ) && mentions_env_setup(text))
        || (crate::extract::config::is_config(entry.class.kind) && providers.mentions_config(text))
}

/// Whether documentation may tell users how to set the environment (see
/// [`crate::fact::env_setup`]): worth keeping for KEY005.
fn mentions_env_setup(text: &[u8]) -> bool {
    // Two SIMD substring passes (documentation is most of what is read,
    // and most of it mentions none of the phrases).
    let template = memchr::memmem::find_iter(text, b"env.").any(|at| {
        let rest = &text[at + 4..];
        [&b"example"[..], b"sample", b"template"]
            .iter()
            .any(|t| rest.starts_with(t))
    });
    template
        || (memchr::memmem::find(text, b"docker run").is_some()
            && memchr::memmem::find(text, b"-e ").is_some())
}

/// Prefilter and extract one file's bytes, read into a buffer the caller
/// keeps: the text is copied out only for a file the prefilter passes.
/// (Text that decoding would change goes through [`scan_bytes`].)
fn scan_read(
    entry: FileEntry,
    bytes: &[u8],
    providers: &Providers,
) -> Result<Scanned, walk::Skipped> {
    let plain =
        !looks_binary(bytes) && !is_utf16(bytes) && !bytes.starts_with(crate::source::UTF8_BOM);
    if !plain {
        return scan_bytes(entry, bytes.to_vec(), providers);
    }
    // The prefilter reads the raw bytes before they are validated: what it
    // looks for is ASCII, and decoding only replaces invalid sequences
    // (never an ASCII byte) with U+FFFD, so the bytes it passes over are
    // the ones decoding would have. Most files stop here, and validating
    // every byte read cost more than the prefilter itself.
    let Some(hits) = prefilter(&entry, bytes, providers) else {
        return Ok(clean(entry));
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return scan_bytes(entry, bytes.to_vec(), providers);
    };
    Ok(extract_source(
        entry,
        Source::new(text.to_owned()),
        hits,
        providers,
        Some(bytes.len() as u64),
    ))
}

/// Prefilter and extract one file's bytes.
fn scan_bytes(
    entry: FileEntry,
    bytes: Vec<u8>,
    providers: &Providers,
) -> Result<Scanned, walk::Skipped> {
    if looks_binary(&bytes) {
        return Err(binary(&entry));
    }
    // Decoded before the prefilter looks: a UTF-16 file's keywords are not
    // in its raw bytes.
    let source = timings::time(Phase::Prefilter, || Source::from_bytes(bytes));
    let Some(hits) = prefilter(&entry, source.text().as_bytes(), providers) else {
        return Ok(clean(entry));
    };
    Ok(extract_source(entry, source, hits, providers, None))
}

/// The prefilter's hits in a file's text, or `None` when nothing in it is
/// worth extracting (counted as prefiltered out).
fn prefilter(entry: &FileEntry, text: &[u8], providers: &Providers) -> Option<Hits> {
    let (hits, worth) = timings::time(Phase::Prefilter, || {
        let hits = providers.prefilter().scan_file(text, entry.class.kind);
        (hits, worth_extracting(entry, hits, text, providers))
    });
    if !worth {
        timings::count(Count::PrefilteredOut, 1);
    }
    worth.then_some(hits)
}

/// Extract the facts of a file the prefilter passed (`hits`: what it found).
/// `on_disk`: the size of the file the text was read from as it is, when
/// the file can give the text again (not for staged content or decoded
/// text).
fn extract_source(
    entry: FileEntry,
    mut source: Source,
    hits: Hits,
    providers: &Providers,
    on_disk: Option<u64>,
) -> Scanned {
    // What the text adds to the path's classification (a Jinja template,
    // an API spec, an env template by its header).
    let mut entry = entry;
    walk::refine_by_text(&mut entry.class, &entry.path, source.text());
    let mut facts = crate::extract::extract(&entry.class, &entry.path, &source, hits, providers);
    if let Some(eco) = manifest_ecosystem(&entry) {
        crate::extract::manifest::extract(&source, eco, providers, &mut facts);
    }
    // An env file is kept without facts too: that it exists matters (ENV002
    // compares a template with its sibling, whose lines may all be of
    // variables no rule reads).
    timings::count(Count::Extracted, 1);
    let keep = !facts.is_empty() || entry.class.is_env();
    if keep {
        timings::count(Count::Kept, 1);
        timings::count(Count::BytesKept, source.text().len() as u64);
        if let Some(len) = on_disk {
            let_go_of_text(&mut source, &entry, &facts, len);
        }
    }
    let source = keep.then(|| Arc::new(source));
    Scanned {
        entry,
        source,
        facts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_setup_phrases() {
        assert!(mentions_env_setup(b"cp .env.example .env"));
        assert!(mentions_env_setup(b"see env.sample"));
        assert!(mentions_env_setup(
            b"docker run --rm x\nthen docker run -e KEY=1"
        ));
        // `docker run` counts only with an `-e ` somewhere.
        assert!(!mentions_env_setup(b"docker run --rm image"));
        assert!(mentions_env_setup(b"docker run --rm image\n.env.template"));
        assert!(!mentions_env_setup(b"-e flag, no container, envexample"));
    }

    #[test]
    fn repeated_content_gets_distinct_stable_fingerprints() {
        let dir = tempfile::tempdir().expect("tmp");
        let org = concat!("org-", "YgojjHRg80USP2W5DfJXcaYi");
        fs::write(
            dir.path().join("a.py"),
            format!("A = '{org}'\nB = '{org}'\n"),
        )
        .expect("w");
        let run = || {
            let opts = CheckOptions {
                paths: vec![dir.path().to_path_buf()],
                walk: WalkOptions {
                    base: Some(dir.path().to_path_buf()),
                    ..WalkOptions::default()
                },
                ..CheckOptions::default()
            };
            check(&opts).expect("check").findings
        };
        let first = run();
        assert_eq!(first.len(), 2);
        assert_ne!(first[0].fingerprint, first[1].fingerprint);
        // Lines moving does not change them.
        fs::write(
            dir.path().join("a.py"),
            format!("\n\nA = '{org}'\n\nB = '{org}'\n"),
        )
        .expect("w");
        let moved = run();
        assert_eq!(first[0].fingerprint, moved[0].fingerprint);
        assert_eq!(first[1].fingerprint, moved[1].fingerprint);
    }

    /// A file of `len` bytes made up as it is read: `head` (repeated to
    /// fill the first 8 KiB), then `fill`, with `mark` at `mark_at`.
    /// Counts the bytes read.
    struct Made {
        head: Vec<u8>,
        fill: u8,
        mark: Vec<u8>,
        mark_at: u64,
        len: u64,
        at: u64,
        read: u64,
    }

    impl std::io::Read for Made {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min((self.len - self.at) as usize);
            let buf = &mut buf[..n];
            buf.fill(self.fill);
            let here = self.at..self.at + n as u64;
            let sniff = 0..SNIFF_BYTES as u64;
            let mark = self.mark_at..self.mark_at + self.mark.len() as u64;
            for at in here.start.max(sniff.start)..here.end.min(sniff.end) {
                buf[(at - here.start) as usize] = self.head[at as usize % self.head.len()];
            }
            for at in here.start.max(mark.start)..here.end.min(mark.end) {
                buf[(at - here.start) as usize] = self.mark[(at - mark.start) as usize];
            }
            self.at += n as u64;
            self.read += n as u64;
            Ok(n)
        }
    }

    impl std::io::Seek for Made {
        fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
            if let std::io::SeekFrom::Start(at) = to {
                self.at = at;
            }
            Ok(self.at)
        }
    }

    fn entry(name: &str) -> FileEntry {
        let dir = std::path::Path::new("/nonexistent");
        FileEntry {
            path: dir.join(name),
            display: name.to_string(),
            class: walk::classify(&dir.join(name), name, true, true),
            tracked_ignored: false,
        }
    }

    #[test]
    fn a_binary_file_costs_its_first_8_kib_and_a_large_one_is_read_in_chunks() {
        let providers = Providers::builtin();
        let made = |head: &[u8], fill: u8, mark: &str, mark_at: u64, len: u64| Made {
            head: head.to_vec(),
            fill,
            mark: mark.as_bytes().to_vec(),
            mark_at,
            len,
            at: 0,
            read: 0,
        };
        let max = u64::MAX / 2;
        // NUL in the head: binary, and nothing more is read.
        let mut f = made(b"ab\0", b'x', "", 0, 3 << 30);
        let r = read_for_scan(&mut f, 3 << 30, max, &entry("a.py"), providers).expect("read");
        assert!(matches!(r, FileRead::Binary), "{r:?}");
        assert_eq!(f.read, SNIFF_BYTES as u64);
        // A large text file with nothing to look for: read once, in
        // chunks, never whole.
        let len = STREAM_BYTES + CHUNK_BYTES as u64 + 17;
        let mut f = made(b"log line\n", b'.', "", 0, len);
        let r = read_for_scan(&mut f, len, max, &entry("app.log"), providers).expect("read");
        assert!(matches!(r, FileRead::Clean), "{r:?}");
        assert_eq!(f.read, len);
        // The same with an org ID across the first chunk boundary, or at
        // the very end: read whole.
        let org = concat!(" org-", "YgojjHRg80USP2W5DfJXcaYi ");
        for at in [CHUNK_BYTES as u64 - 3, len - org.len() as u64] {
            let mut f = made(b"log line\n", b'.', org, at, len);
            let r = read_for_scan(&mut f, len, max, &entry("app.log"), providers).expect("read");
            match r {
                FileRead::Whole(b) => {
                    assert_eq!(b.len() as u64, len);
                    assert_eq!(&b[at as usize..][..org.len()], org.as_bytes());
                }
                other => panic!("{other:?}"),
            }
        }
        // Env files are always read whole.
        let mut f = made(b"A=1\n", b'\n', "", 0, len);
        let r = read_for_scan(&mut f, len, max, &entry(".env"), providers).expect("read");
        assert!(matches!(r, FileRead::Whole(_)), "{r:?}");
    }

    #[test]
    fn a_file_deleted_between_walk_and_read_is_counted() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("gone.py");
        fs::write(&p, "x = 1\n").expect("write");
        let walked =
            walk::walk(&[dir.path().to_path_buf()], &WalkOptions::default()).expect("walk");
        fs::remove_file(&p).expect("delete");
        let entry = walked.files.into_iter().next().expect("one file");
        match scan_file(entry, DEFAULT_MAX_FILE_SIZE, Providers::builtin()) {
            Err(s) => assert_eq!(s.reason, SkipReason::Unreadable),
            Ok(_) => panic!("a deleted file was scanned"),
        }
    }
}
