//! `credlint history [RANGE]`: the literal rules (KEY001, ORG001, ORG004)
//! over what each commit of a range added, each secret reported once, at the
//! commit and path that introduced it, with whether HEAD still holds it (a
//! key removed since is still leaked: it must be rotated).
//!
//! What a commit added is read from blobs, not from patch text: for every
//! path a commit changed, the findings of the new blob that the old blob
//! (at the same path) did not have. That is what scanning the added hunks
//! finds for one-line secrets, and it lets each blob be classified, parsed
//! and judged exactly as `credlint check` judges a file — the same
//! extractor, the same rules, the same `credlint: ignore` directives, the
//! same fingerprints (rule, path, hash of the secret) — so that a baseline
//! written by `check` at HEAD also covers what history finds at the same
//! path. Findings are memoized per (blob, path): a blob is read once, by
//! the worker that first needs it; an old blob is usually the new blob of
//! an earlier commit, already judged.
//!
//! A finding is left out when HEAD has acknowledged its secret: the same
//! secret, for the same rule, is found at HEAD in a place that a
//! `credlint: ignore` directive covers or that the baseline records. A
//! finding whose own fingerprint the baseline records is left out too (a
//! baseline written by `history --write-baseline` records keys that were
//! removed and rotated).
//!
//! Merge commits are not diffed: what a merge brings in was added by the
//! commits of the merged branch, which the range holds.

pub mod git;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use crate::baseline::Baseline;
use crate::finding::{Finding, Severity, Summary};
use crate::progress::Counters;
use crate::provider::{Hits, ProviderId, Providers};
use crate::rule::{self, FileRef, Findings, Placeholders, Rule, RuleContext};
use crate::source::{Source, Span};
use crate::walk::{self, FileEntry, FileKind, WalkOptions};
use git::{Blob, Commit, GitError, Oid, PathId, Paths, Repo};

/// The rules history runs: the ones about literals, which a commit leaks
/// for good.
pub const RULES: [&str; 3] = ["KEY001", "ORG001", "ORG004"];

/// Skip reasons of blobs, as the summary counts them.
pub const SKIP_BINARY: &str = "binary";
pub const SKIP_TOO_LARGE: &str = "too large";
pub const SKIP_LFS: &str = "LFS pointer";
pub const SKIP_MISSING: &str = "missing";

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct HistoryOptions {
    /// Revisions as `git log` takes them (`origin/main..HEAD`); empty: HEAD.
    pub revisions: Vec<String>,
    /// Where the repository is looked for, and what paths are shown
    /// relative to (the current directory).
    pub base: PathBuf,
    /// Blobs larger than this are skipped and counted.
    pub max_file_size: u64,
    /// Rule selectors to enable (empty: every history rule).
    pub select: Vec<String>,
    /// Rule selectors to disable.
    pub ignore: Vec<String>,
    /// Severity overrides by rule code.
    pub severity: BTreeMap<String, Severity>,
    /// Only these providers, by name (`None`: all).
    pub providers: Option<Vec<String>>,
    /// The `exclude` globs (`exclude`, `rooted_exclude`, `base`): excluded
    /// paths are not read in any commit.
    pub walk: WalkOptions,
    /// Report only findings not recorded in (or acknowledged at HEAD by)
    /// this baseline.
    pub baseline: Option<Baseline>,
    /// Worker threads (0: the number of cores).
    pub threads: usize,
    /// Counters for a progress display, counting commits.
    pub progress: Option<Arc<Counters>>,
}

impl Default for HistoryOptions {
    fn default() -> Self {
        HistoryOptions {
            revisions: Vec::new(),
            base: PathBuf::from("."),
            max_file_size: crate::check::DEFAULT_MAX_FILE_SIZE,
            select: Vec::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            providers: None,
            walk: WalkOptions::default(),
            baseline: None,
            threads: 0,
            progress: None,
        }
    }
}

/// The commit that introduced a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The full commit id.
    pub commit: String,
    /// The committer date, ISO 8601.
    pub date: String,
    /// Whether HEAD still holds the secret (anywhere, for the same rule).
    pub present_at_head: bool,
}

impl Origin {
    /// `abc1234 (2026-01-02)`.
    pub fn short(&self) -> String {
        let id = self.commit.get(..7).unwrap_or(&self.commit);
        let day = self.date.get(..10).unwrap_or(&self.date);
        format!("{id} ({day})")
    }
}

/// The result of a history scan. `findings`, `origins` and `sources` are
/// parallel: one origin and one source per finding.
#[derive(Debug, Default)]
pub struct HistoryOutcome {
    pub findings: Vec<Finding>,
    pub origins: Vec<Origin>,
    /// The text of the blob each finding was found in, keys masked (for
    /// snippets); `None` if it could not be read again.
    pub sources: Vec<Option<Arc<Source>>>,
    /// `files_scanned` counts the distinct blobs read; `skipped` the blobs
    /// not read, by reason.
    pub summary: Summary,
    /// Commits in the range (merges included).
    pub commits: usize,
    /// Findings left out because the baseline records them or their secret.
    pub baselined: usize,
    /// Findings left out because a directive at HEAD ignores their secret.
    pub ignored_at_head: usize,
    pub notes: Vec<String>,
}

/// An error that stops a history scan (exit 2).
#[derive(Debug)]
pub struct HistoryError(pub String);

impl std::fmt::Display for HistoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HistoryError {}

impl From<GitError> for HistoryError {
    fn from(e: GitError) -> Self {
        HistoryError(e.0)
    }
}

/// A secret's identity across blobs: its rule (index into [`RULES`]) and
/// the hash of its text. The text itself is never kept.
type SecretId = (u8, [u8; 32]);

/// One finding of one blob at one path.
#[derive(Debug, Clone)]
struct BlobFinding {
    finding: Finding,
    secret: SecretId,
    /// A `credlint: ignore` directive in the blob covers it.
    suppressed: bool,
}

/// The findings of one blob at one path, in position order.
#[derive(Debug, Default)]
struct BlobScan {
    findings: Vec<BlobFinding>,
    /// The blob's text with keys masked, when asked for (see [`Scanner`]).
    source: Option<Arc<Source>>,
}

impl BlobScan {
    /// The secrets of findings no directive covers.
    fn reported(&self) -> impl Iterator<Item = &BlobFinding> {
        self.findings.iter().filter(|f| !f.suppressed)
    }
}

/// A path as check would see the work-tree file there.
struct PathInfo {
    entry: FileEntry,
    excluded: bool,
}

/// Run a history scan.
pub fn history(opts: &HistoryOptions) -> Result<HistoryOutcome, HistoryError> {
    let providers = Providers::builtin();
    let rules = rule::builtin();
    let enabled = selection(rules, opts)?;
    let keep_providers = provider_selection(providers, opts)?;
    let excludes = walk::Excludes::new(&opts.walk).map_err(|e| HistoryError(e.0))?;
    let base = std::fs::canonicalize(&opts.base).unwrap_or_else(|_| opts.base.clone());
    let repo = Repo::open(&base)?;

    let mut out = HistoryOutcome::default();
    if repo.shallow {
        out.notes.push(
            "this is a shallow clone: history before its oldest fetched commits is not scanned \
             (fetch it all with `git fetch --unshallow`, or `fetch-depth: 0` in CI)"
                .to_string(),
        );
    }
    if opts.revisions.is_empty() && !repo.has_head() {
        out.notes
            .push("the repository has no commits yet: no history to scan".to_string());
        return Ok(out);
    }
    let revisions = if opts.revisions.is_empty() {
        vec!["HEAD".to_string()]
    } else {
        opts.revisions.clone()
    };

    let mut paths = Paths::default();
    if let Some(p) = &opts.progress {
        p.set_unit("commits");
    }
    let commits = repo.log(&revisions, &mut paths)?;
    out.commits = commits.len();
    if let Some(p) = &opts.progress {
        p.add_total(commits.len());
    }

    let plain_rules: Vec<Box<dyn Rule>> = rule::all()
        .into_iter()
        .filter(|r| enabled.contains(r.code()))
        .collect();
    let pairs = crate::config::Pairs::new(Vec::new(), None);
    let cx = RuleContext {
        providers,
        rules,
        placeholders: Placeholders::builtin(),
        pairs: &pairs,
        verify: None,
        flow: Default::default(),
    };
    let mut infos: Vec<PathInfo> = Vec::new();
    classify_new(&mut infos, &paths, &repo.root, &base, &excludes);
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    };

    // 1. Every blob the range added, once, judged at every path it was
    // added at.
    let mut work: Vec<(Oid, Vec<PathId>)> = Vec::new();
    let mut work_index: HashMap<Oid, usize> = HashMap::new();
    // Which commits wait for each work item, for the progress count.
    let mut waiting: Vec<Vec<u32>> = Vec::new();
    let remaining: Vec<AtomicU32> = commits.iter().map(|_| AtomicU32::new(0)).collect();
    for (ci, commit) in commits.iter().enumerate() {
        let mut items: Vec<usize> = Vec::new();
        for ch in &commit.changes {
            if infos[ch.path as usize].excluded {
                continue;
            }
            let i = *work_index.entry(ch.new).or_insert_with(|| {
                work.push((ch.new, Vec::new()));
                waiting.push(Vec::new());
                work.len() - 1
            });
            if !work[i].1.contains(&ch.path) {
                work[i].1.push(ch.path);
            }
            if !items.contains(&i) {
                items.push(i);
            }
        }
        for &i in &items {
            waiting[i].push(ci as u32);
        }
        remaining[ci].store(items.len() as u32, Ordering::Relaxed);
        if items.is_empty()
            && let Some(p) = &opts.progress
        {
            p.file_done();
        }
    }
    let judge = Judge {
        providers,
        context_keys: context_keys(providers)?,
        cx: &cx,
        rules: &plain_rules,
        enabled: &enabled,
        keep_providers: keep_providers.as_ref(),
        max: opts.max_file_size,
    };
    let scanner = Scanner {
        judge: &judge,
        infos: &infos,
        keep_source: false,
    };
    let progress = opts.progress.as_deref();
    let done = |i: usize| {
        let Some(p) = progress else { return };
        for &ci in waiting.get(i).map_or(&[][..], Vec::as_slice) {
            if remaining[ci as usize].fetch_sub(1, Ordering::Relaxed) == 1 {
                p.file_done();
            }
        }
    };
    let results = read_all(&repo, &work, &scanner, threads, &done)?;
    let mut memo: HashMap<(Oid, PathId), Arc<BlobScan>> = HashMap::new();
    let mut skipped: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut scanned = 0usize;
    for r in results {
        match r.skip {
            Some(reason) => *skipped.entry(reason).or_default() += 1,
            None => scanned += 1,
        }
        for (path, scan) in r.scans {
            memo.insert((r.oid, path), scan);
        }
    }

    // 2. The old side of every change that has findings, when the range
    // did not already judge it (its parent is outside the range).
    let old_work = missing_work(
        commits
            .iter()
            .flat_map(|c| c.changes.iter())
            .filter_map(|ch| {
                let has = memo
                    .get(&(ch.new, ch.path))
                    .is_some_and(|s| s.reported().next().is_some());
                has.then_some(ch.old.map(|o| (o, ch.path))).flatten()
            }),
        &memo,
    );
    for r in read_all(&repo, &old_work, &scanner, threads, &|_| {})? {
        for (path, scan) in r.scans {
            memo.insert((r.oid, path), scan);
        }
    }

    // 3. What each commit added, oldest first; each secret once.
    let intros = introductions(&commits, &memo);

    // 4. HEAD: which secrets it still holds, and which it acknowledges.
    let mut present: HashSet<SecretId> = HashSet::new();
    let mut acknowledged: HashMap<SecretId, Acknowledged> = HashMap::new();
    if !intros.is_empty() && repo.has_head() {
        let head = repo.head_tree(&mut paths)?;
        classify_new(&mut infos, &paths, &repo.root, &base, &excludes);
        let scanner = Scanner {
            judge: &judge,
            infos: &infos,
            keep_source: false,
        };
        let head: Vec<(Oid, PathId)> = head
            .into_iter()
            .filter(|(_, p)| !infos[*p as usize].excluded)
            .collect();
        let head_work = missing_work(head.iter().copied(), &memo);
        for r in read_all(&repo, &head_work, &scanner, threads, &|_| {})? {
            for (path, scan) in r.scans {
                memo.insert((r.oid, path), scan);
            }
        }
        let mut first: Vec<(SecretId, Finding)> = Vec::new();
        for key in &head {
            let Some(scan) = memo.get(key) else { continue };
            let mut seen = HashSet::new();
            for f in &scan.findings {
                present.insert(f.secret);
                if f.suppressed {
                    acknowledged.insert(f.secret, Acknowledged::Ignored);
                } else if seen.insert(f.secret) {
                    // A baseline records the first occurrence of a secret in
                    // a file under its plain fingerprint.
                    first.push((f.secret, f.finding.clone()));
                }
            }
        }
        if let Some(b) = &opts.baseline {
            let mut left: Vec<Finding> = first.iter().map(|(_, f)| f.clone()).collect();
            b.filter(&mut left);
            let kept: HashSet<(&str, &str, &str)> = left
                .iter()
                .map(|f| (f.code.as_str(), f.path.as_str(), f.fingerprint.as_str()))
                .collect();
            for (secret, f) in &first {
                if !kept.contains(&(f.code.as_str(), f.path.as_str(), f.fingerprint.as_str())) {
                    acknowledged
                        .entry(*secret)
                        .or_insert(Acknowledged::Baselined);
                }
            }
        }
    }

    // 5. The findings to report, with their blobs' text for snippets.
    let mut chosen: Vec<(usize, Oid, PathId, BlobFinding)> = Vec::new();
    for intro in intros {
        match acknowledged.get(&intro.finding.secret) {
            Some(Acknowledged::Ignored) => out.ignored_at_head += 1,
            Some(Acknowledged::Baselined) => out.baselined += 1,
            None => chosen.push((intro.commit, intro.oid, intro.path, intro.finding)),
        }
    }
    if let Some(b) = &opts.baseline {
        let mut left: Vec<Finding> = chosen.iter().map(|c| c.3.finding.clone()).collect();
        out.baselined += b.filter(&mut left);
        let kept: HashSet<(String, String, String)> = left
            .into_iter()
            .map(|f| (f.code, f.path, f.fingerprint))
            .collect();
        chosen.retain(|c| {
            let f = &c.3.finding;
            kept.contains(&(f.code.clone(), f.path.clone(), f.fingerprint.clone()))
        });
    }
    let source_work: Vec<(Oid, Vec<PathId>)> = {
        let mut m: BTreeMap<Oid, Vec<PathId>> = BTreeMap::new();
        for (_, oid, path, _) in &chosen {
            let v = m.entry(*oid).or_default();
            if !v.contains(path) {
                v.push(*path);
            }
        }
        m.into_iter().collect()
    };
    let with_source = Scanner {
        judge: &judge,
        infos: &infos,
        keep_source: true,
    };
    let mut sources: HashMap<(Oid, PathId), Arc<Source>> = HashMap::new();
    for r in read_all(&repo, &source_work, &with_source, threads, &|_| {})? {
        for (path, scan) in r.scans {
            if let Some(s) = &scan.source {
                sources.insert((r.oid, path), s.clone());
            }
        }
    }
    for (ci, oid, path, bf) in chosen {
        let commit = &commits[ci];
        let origin = Origin {
            commit: commit.oid.hex(),
            date: commit.date.clone(),
            present_at_head: present.contains(&bf.secret),
        };
        let mut f = bf.finding;
        if let Some(&sev) = opts.severity.get(&f.code) {
            f.severity = sev;
        }
        f.message = format!(
            "{} — commit {}, {}",
            f.message,
            origin.short(),
            if origin.present_at_head {
                "still present at HEAD"
            } else if f.code == "KEY001" {
                "removed since, still leaked: rotate it"
            } else {
                "removed since"
            }
        );
        out.findings.push(f);
        out.origins.push(origin);
        out.sources.push(sources.get(&(oid, path)).cloned());
    }

    crate::check::redact_findings(&mut out.findings, providers);
    out.summary = Summary {
        files_scanned: scanned,
        skipped,
        ..Summary::default()
    };
    out.summary.count(&out.findings);
    if out
        .summary
        .skipped
        .get(SKIP_MISSING)
        .is_some_and(|&n| n > 0)
    {
        out.notes.push(
            "some blobs are not in this clone (a partial clone?): they were not scanned".into(),
        );
    }
    Ok(out)
}

/// Why HEAD acknowledges a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Acknowledged {
    /// A `credlint: ignore` directive covers it at HEAD.
    Ignored,
    /// The baseline records it at HEAD.
    Baselined,
}

/// A secret's first appearance in the range.
struct Intro {
    commit: usize,
    oid: Oid,
    path: PathId,
    finding: BlobFinding,
}

/// For each commit in order, the findings of each changed path's new blob
/// whose secret its old blob did not hold; each secret only the first time.
fn introductions(commits: &[Commit], memo: &HashMap<(Oid, PathId), Arc<BlobScan>>) -> Vec<Intro> {
    let mut seen: HashSet<SecretId> = HashSet::new();
    let mut out = Vec::new();
    for (ci, commit) in commits.iter().enumerate() {
        // git lists a commit's paths in order, but sort to be sure.
        let mut changes: Vec<_> = commit.changes.iter().collect();
        changes.sort_by_key(|c| c.path);
        for ch in changes {
            let Some(new) = memo.get(&(ch.new, ch.path)) else {
                continue;
            };
            if new.reported().next().is_none() {
                continue;
            }
            let before: HashSet<SecretId> = ch
                .old
                .and_then(|o| memo.get(&(o, ch.path)))
                .map(|s| s.reported().map(|f| f.secret).collect())
                .unwrap_or_default();
            for f in new.reported() {
                if before.contains(&f.secret) || !seen.insert(f.secret) {
                    continue;
                }
                out.push(Intro {
                    commit: ci,
                    oid: ch.new,
                    path: ch.path,
                    finding: f.clone(),
                });
            }
        }
    }
    out
}

/// The (blob, path) pairs not yet judged, grouped by blob.
fn missing_work(
    pairs: impl Iterator<Item = (Oid, PathId)>,
    memo: &HashMap<(Oid, PathId), Arc<BlobScan>>,
) -> Vec<(Oid, Vec<PathId>)> {
    let mut m: BTreeMap<Oid, Vec<PathId>> = BTreeMap::new();
    for (oid, path) in pairs {
        if memo.contains_key(&(oid, path)) {
            continue;
        }
        let v = m.entry(oid).or_default();
        if !v.contains(&path) {
            v.push(path);
        }
    }
    m.into_iter().collect()
}

/// Classify the paths interned since the last call.
fn classify_new(
    infos: &mut Vec<PathInfo>,
    paths: &Paths,
    root: &Path,
    base: &Path,
    excludes: &walk::Excludes,
) {
    for id in infos.len()..paths.len() {
        let rel = path_of(paths.get(id as PathId));
        let abs = root.join(&rel);
        let display = walk::display_path(&abs, base);
        let excluded = excludes.matches_path(&abs, false);
        // In history every file is committed: it is in a commit.
        let class = walk::classify(&abs, &display, true, true);
        infos.push(PathInfo {
            entry: FileEntry {
                path: abs,
                display,
                class,
                tracked_ignored: false,
            },
            excluded,
        });
    }
}

/// A path from git's output.
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

/// What judging a blob needs besides its path.
struct Judge<'a> {
    providers: &'a Providers,
    /// The key patterns that need a setting to tell them from other text.
    context_keys: Option<ContextKeys>,
    cx: &'a RuleContext<'a>,
    rules: &'a [Box<dyn Rule>],
    enabled: &'a HashSet<&'static str>,
    keep_providers: Option<&'a HashSet<ProviderId>>,
    max: u64,
}

/// Judges one blob at one path as `check` judges a file there.
struct Scanner<'a> {
    judge: &'a Judge<'a>,
    infos: &'a [PathInfo],
    /// Keep the masked text of blobs with findings (for snippets).
    keep_source: bool,
}

/// One blob's outcome.
struct BlobResult {
    oid: Oid,
    /// Why it was not read (one of the `SKIP_*` reasons).
    skip: Option<&'static str>,
    scans: Vec<(PathId, Arc<BlobScan>)>,
}

impl Scanner<'_> {
    /// Skip reason of a blob's bytes, if it is not text to scan.
    fn skip_reason(&self, bytes: &[u8]) -> Option<&'static str> {
        if bytes.len() as u64 > self.judge.max {
            Some(SKIP_TOO_LARGE)
        } else if is_lfs_pointer(bytes) {
            Some(SKIP_LFS)
        } else if crate::source::looks_binary(bytes) {
            Some(SKIP_BINARY)
        } else {
            None
        }
    }

    fn scan(&self, bytes: &[u8], path: PathId) -> BlobScan {
        let Some(info) = self.infos.get(path as usize) else {
            return BlobScan::default();
        };
        let entry = &info.entry;
        let kind = entry.class.kind;
        let j = self.judge;
        let prefilter = j.providers.prefilter();
        // UTF-16 text is prefiltered after decoding: its raw bytes
        // interleave NULs with every keyword.
        let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
        let decoded = utf16.then(|| Source::decode(bytes));
        let text_bytes = decoded.as_ref().map_or(bytes, |s| s.text().as_bytes());
        let hits = prefilter.scan_file(text_bytes, kind);
        // The gate of `check`: a literal keyword or a code word, an env
        // file, or a config that mentions a provider (where a key without
        // a prefix can be the value of a key variable).
        let config =
            crate::extract::config::is_config(kind) && j.providers.mentions_config(text_bytes);
        if !hits.any() && !entry.class.is_env() && !config {
            return BlobScan::default();
        }
        if !literal_possible(j.context_keys.as_ref(), kind, hits, text_bytes) {
            return BlobScan::default();
        }
        let source = decoded.unwrap_or_else(|| Source::decode(bytes));
        let mut class = entry.class;
        crate::walk::refine_by_text(&mut class, &entry.path, source.text());
        let mut facts = crate::extract::extract(&class, &entry.path, &source, hits, j.providers);
        if let Some(keep) = j.keep_providers {
            facts.retain_providers(j.providers, |p| keep.contains(&p));
        }
        if facts.literals.is_empty() {
            return BlobScan::default();
        }
        let refined;
        let entry = if class == entry.class {
            entry
        } else {
            refined = crate::walk::FileEntry {
                class,
                ..entry.clone()
            };
            &refined
        };
        let file = FileRef {
            entry,
            source: &source,
            facts: &facts,
        };
        let mut emit = Findings::new(j.cx.rules);
        for r in j.rules {
            r.check_file(j.cx, &file, &mut emit);
        }
        let mut findings = emit.findings;
        // The same context gate as a check (`rule::scope`).
        findings.retain(|f| crate::rule::scope::applies(&f.code, class.context));
        if findings.is_empty() {
            return BlobScan::default();
        }
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let kept = crate::rule::suppress::apply(
            j.cx,
            std::slice::from_ref(&file),
            findings.clone(),
            j.enabled,
        );
        let kept: HashSet<(String, Span)> = kept.into_iter().map(|f| (f.code, f.span)).collect();
        let findings: Vec<BlobFinding> = findings
            .into_iter()
            .filter_map(|mut f| {
                let rule = RULES.iter().position(|&c| c == f.code)? as u8;
                let text = &facts.literals.iter().find(|l| l.span == f.span)?.text;
                let secret = Sha256::digest(text.as_bytes()).into();
                let suppressed = !kept.contains(&(f.code.clone(), f.span));
                // A fix edits the work tree, not a past commit.
                f.fix = None;
                Some(BlobFinding {
                    finding: f,
                    secret: (rule, secret),
                    suppressed,
                })
            })
            .collect();
        let source = (self.keep_source && !findings.is_empty()).then(|| {
            let hidden = crate::check::hidden_spans(&facts, &source, j.providers);
            let masked = crate::redact::mask_spans(source.text(), &hidden);
            Arc::new(Source::new(masked))
        });
        BlobScan { findings, source }
    }
}

/// Whether a blob that passed `check`'s gate can hold a literal at all.
/// `check` also parses source code and configs that only name a provider
/// (`OpenAI(`, `OPENAI_API_KEY`), for its other rules; these three rules
/// need a literal, which needs one of: a key or ID keyword (a key split
/// over a concatenation has one too), a key without a prefix (Azure's 32
/// hex digits, which is a key only as the whole value of a key setting:
/// in code, a whole string literal), or a Kubernetes Secret's base64
/// `data`. Skipping the other parses is most of the speed of a history
/// scan. Env files and notebooks, whose values are decoded before they are
/// matched, are always read.
fn literal_possible(
    context_keys: Option<&ContextKeys>,
    kind: FileKind,
    hits: Hits,
    text: &[u8],
) -> bool {
    if hits.literals() {
        return true;
    }
    match kind {
        FileKind::Env { .. } | FileKind::Notebook => true,
        // A long CamelCase name is 32 letters too: only a whole string
        // literal can be a key value in code.
        FileKind::Code(_) => context_keys.is_some_and(|c| c.quoted.is_match(text)),
        _ if crate::extract::config::is_config(kind) => {
            context_keys.is_some_and(|c| c.bare.is_match(text))
                || memchr::memmem::find(text, b"Secret").is_some()
        }
        // Docs and other text: literals come from the raw-text scan alone.
        _ => false,
    }
}

/// Every key pattern that needs context, as one regex: anywhere (configs
/// may leave values unquoted), and as a whole quoted string (code).
struct ContextKeys {
    bare: regex::bytes::Regex,
    quoted: regex::bytes::Regex,
}

/// The [`ContextKeys`] of the providers (`None`: no provider has one).
fn context_keys(providers: &Providers) -> Result<Option<ContextKeys>, HistoryError> {
    let alternatives: Vec<String> = providers
        .iter()
        .flat_map(|(_, p)| p.keys.iter())
        .filter(|k| k.needs_context)
        .map(|k| format!("(?:{})", k.regex.as_str()))
        .collect();
    if alternatives.is_empty() {
        return Ok(None);
    }
    let any = alternatives.join("|");
    let compile = |pattern: &str| {
        regex::bytes::Regex::new(pattern)
            .map_err(|e| HistoryError(format!("built-in key patterns: {e}")))
    };
    Ok(Some(ContextKeys {
        bare: compile(&any)?,
        quoted: compile(&format!("[\"'`](?:{any})[\"'`]"))?,
    }))
}

/// A Git LFS pointer file: the blob git stores in place of a large file.
fn is_lfs_pointer(bytes: &[u8]) -> bool {
    bytes.len() < 1024 && bytes.starts_with(b"version https://git-lfs.github.com/spec/")
}

/// Blob ids asked of one `git cat-file` at a time: small enough that the
/// request never fills a pipe, large enough to keep git busy.
const CHUNK: usize = 64;

/// Read and judge `work` (each blob once, at each of its paths) with
/// `threads` workers, each streaming from its own `git cat-file --batch`.
/// `done(i)` is called once work item `i` is judged.
fn read_all(
    repo: &Repo,
    work: &[(Oid, Vec<PathId>)],
    scanner: &Scanner<'_>,
    threads: usize,
    done: &(dyn Fn(usize) + Sync),
) -> Result<Vec<BlobResult>, HistoryError> {
    if work.is_empty() {
        return Ok(Vec::new());
    }
    let oids: Vec<Oid> = work.iter().map(|(o, _)| *o).collect();
    let sizes = repo.sizes(&oids)?;
    let next = AtomicUsize::new(0);
    let take = || {
        let start = next.fetch_add(CHUNK, Ordering::Relaxed);
        (start < work.len()).then(|| start..(start + CHUNK).min(work.len()))
    };
    let workers = threads.clamp(1, work.len().div_ceil(CHUNK).max(1));
    let results: Vec<Result<Vec<BlobResult>, HistoryError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    let mut cat = repo.cat_file()?;
                    let io = |e: std::io::Error| HistoryError(format!("reading git cat-file: {e}"));
                    // Which items of a chunk are read, and which are not
                    // (too large or missing, by their size).
                    let ask = |cat: &mut git::CatFile, range: std::ops::Range<usize>| {
                        let mut read = Vec::new();
                        let mut not = Vec::new();
                        for i in range {
                            match sizes.get(&work[i].0).copied().flatten() {
                                None => not.push((i, SKIP_MISSING)),
                                Some(n) if n > scanner.judge.max => not.push((i, SKIP_TOO_LARGE)),
                                Some(_) => read.push(i),
                            }
                        }
                        let ids: Vec<Oid> = read.iter().map(|&i| work[i].0).collect();
                        cat.request(&ids).map(|()| (read, not))
                    };
                    let Some(first) = take() else {
                        return Ok(out);
                    };
                    let mut current = ask(&mut cat, first).map_err(io)?;
                    loop {
                        // Ask for the next chunk before judging this one, so
                        // git inflates while we scan.
                        let following = match take() {
                            Some(r) => Some(ask(&mut cat, r).map_err(io)?),
                            None => None,
                        };
                        let (read, not) = current;
                        for (i, reason) in not {
                            out.push(BlobResult {
                                oid: work[i].0,
                                skip: Some(reason),
                                scans: empty_scans(&work[i].1),
                            });
                            done(i);
                        }
                        for i in read {
                            let (oid, paths) = &work[i];
                            let r = match cat.read_blob().map_err(io)? {
                                Blob::Missing => BlobResult {
                                    oid: *oid,
                                    skip: Some(SKIP_MISSING),
                                    scans: empty_scans(paths),
                                },
                                Blob::Bytes(bytes) => match scanner.skip_reason(&bytes) {
                                    Some(reason) => BlobResult {
                                        oid: *oid,
                                        skip: Some(reason),
                                        scans: empty_scans(paths),
                                    },
                                    None => BlobResult {
                                        oid: *oid,
                                        skip: None,
                                        scans: paths
                                            .iter()
                                            .map(|&p| (p, Arc::new(scanner.scan(&bytes, p))))
                                            .collect(),
                                    },
                                },
                            };
                            out.push(r);
                            done(i);
                        }
                        match following {
                            Some(f) => current = f,
                            None => break,
                        }
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(HistoryError("a history worker failed".into())))
            })
            .collect()
    });
    let mut all = Vec::with_capacity(work.len());
    for r in results {
        all.extend(r?);
    }
    Ok(all)
}

fn empty_scans(paths: &[PathId]) -> Vec<(PathId, Arc<BlobScan>)> {
    paths
        .iter()
        .map(|&p| (p, Arc::new(BlobScan::default())))
        .collect()
}

/// The history rules that `select`/`ignore` leave enabled.
fn selection(
    rules: &crate::rule::RuleSet,
    opts: &HistoryOptions,
) -> Result<HashSet<&'static str>, HistoryError> {
    let mut on: HashSet<&'static str> = if opts.select.is_empty() {
        RULES.iter().copied().collect()
    } else {
        HashSet::new()
    };
    let history_codes = |sel: &str, what: &str| -> Result<Vec<&'static str>, HistoryError> {
        let codes = rules.matching(sel);
        if codes.is_empty() {
            return Err(HistoryError(format!("{what} {sel}: no rule matches")));
        }
        Ok(RULES
            .iter()
            .copied()
            .filter(|c| codes.iter().any(|r| r.code == *c))
            .collect())
    };
    for sel in &opts.select {
        on.extend(history_codes(sel, "select")?);
    }
    for sel in &opts.ignore {
        for c in history_codes(sel, "ignore")? {
            on.remove(c);
        }
    }
    if on.is_empty() {
        return Err(HistoryError(format!(
            "no rule left to run: history checks {} only, and the selection leaves none of them",
            RULES.join(", ")
        )));
    }
    Ok(on)
}

/// The providers to keep, by id (`None`: all).
fn provider_selection(
    providers: &Providers,
    opts: &HistoryOptions,
) -> Result<Option<HashSet<ProviderId>>, HistoryError> {
    let Some(names) = &opts.providers else {
        return Ok(None);
    };
    names
        .iter()
        .map(|n| {
            providers
                .by_name(n)
                .ok_or_else(|| HistoryError(format!("unknown provider {n:?}")))
        })
        .collect::<Result<HashSet<_>, _>>()
        .map(Some)
}

/// The one-line summary printed after `pretty` and `concise` output:
/// `Found 2 problems (2 errors, 0 warnings) in 1200 commits (3400 blobs
/// read).`, then ` Skipped 3 blobs (1 binary, 2 too large).` when some were.
pub fn summary_line(outcome: &HistoryOutcome) -> String {
    let s = &outcome.summary;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let scope = format!(
        "{} ({} read)",
        plural(outcome.commits, "commit", "commits"),
        plural(s.files_scanned, "blob", "blobs")
    );
    let mut line = if s.findings == 0 {
        format!("No problems found in {scope}.")
    } else {
        let mut counts = vec![
            plural(s.errors, "error", "errors"),
            plural(s.warnings, "warning", "warnings"),
        ];
        if s.infos > 0 {
            counts.push(plural(s.infos, "info", "infos"));
        }
        format!(
            "Found {} ({}) in {scope}.",
            plural(s.findings, "problem", "problems"),
            counts.join(", ")
        )
    };
    let skipped = s.skipped_total();
    if skipped > 0 {
        let reasons: Vec<String> = s
            .skipped
            .iter()
            .filter(|&(_, &n)| n > 0)
            .map(|(reason, n)| format!("{n} {reason}"))
            .collect();
        line.push_str(&format!(
            " Skipped {} ({}).",
            plural(skipped, "blob", "blobs"),
            reasons.join(", ")
        ));
    }
    line
}

/// Render the findings of a history scan in `format`. Each finding's
/// snippet comes from the blob it was found in; JSON adds `commit`,
/// `commit_date` and `present_at_head` to each finding and
/// `commits_scanned` to the summary.
pub fn render(
    outcome: &HistoryOutcome,
    format: crate::report::Format,
    color: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use crate::report::{self, Format, Report};
    let no_sources = HashMap::new();
    match format {
        Format::Pretty => {
            // Two findings at one path may come from two versions of the
            // file: each is rendered with its own blob's text.
            for (i, f) in outcome.findings.iter().enumerate() {
                let mut sources = HashMap::new();
                if let Some(Some(s)) = outcome.sources.get(i) {
                    sources.insert(f.path.clone(), s.clone());
                }
                if i > 0 {
                    out.write_all(b"\n")?;
                }
                report::pretty::render(
                    &Report {
                        rules: crate::rule::builtin(),
                        providers: crate::provider::Providers::builtin(),
                        findings: std::slice::from_ref(f),
                        summary: &outcome.summary,
                        sources: &sources,
                        color,
                    },
                    out,
                )?;
            }
            Ok(())
        }
        Format::Json => {
            let findings: Vec<serde_json::Map<String, serde_json::Value>> = outcome
                .origins
                .iter()
                .map(|o| {
                    let mut m = serde_json::Map::new();
                    m.insert("commit".into(), o.commit.clone().into());
                    m.insert("commit_date".into(), o.date.clone().into());
                    m.insert("present_at_head".into(), o.present_at_head.into());
                    m
                })
                .collect();
            let mut summary = serde_json::Map::new();
            summary.insert("commits_scanned".into(), outcome.commits.into());
            report::json::render_extended(
                &Report {
                    rules: crate::rule::builtin(),
                    providers: crate::provider::Providers::builtin(),
                    findings: &outcome.findings,
                    summary: &outcome.summary,
                    sources: &no_sources,
                    color: false,
                },
                &report::json::Extra {
                    summary: Some(&summary),
                    findings: &findings,
                },
                out,
            )
        }
        _ => report::render(
            format,
            &Report {
                rules: crate::rule::builtin(),
                providers: crate::provider::Providers::builtin(),
                findings: &outcome.findings,
                summary: &outcome.summary,
                sources: &no_sources,
                color,
            },
            out,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_possible_only_with_a_keyword_a_key_shape_or_a_secret() {
        let p = Providers::builtin();
        let ctx = context_keys(p).expect("patterns");
        let possible = |kind, text: &str| {
            let hits = p.prefilter().scan_file(text.as_bytes(), kind);
            literal_possible(ctx.as_ref(), kind, hits, text.as_bytes())
        };
        let py = FileKind::Code(crate::walk::Language::Python);
        // A code word alone: check parses it for other rules, not these.
        assert!(!possible(
            py,
            "client = OpenAI()\nk = os.environ['OPENAI_API_KEY']\n"
        ));
        assert!(possible(py, "ORG = 'org-'\n"));
        assert!(possible(py, &format!("k = '{}'\n", "ab12".repeat(8))));
        // A long name is not a key value.
        let name = "ChatCompletionMessageToolCallParamUnion";
        assert!(!possible(py, &format!("x: {name} = f()\n")));
        assert!(possible(
            FileKind::Yaml,
            &format!("key: {}\n", "ab12".repeat(8))
        ));
        assert!(!possible(
            FileKind::Docs,
            &format!("key: {}\n", "ab12".repeat(8))
        ));
        assert!(possible(FileKind::Env { shell: false }, "X=1\n"));
        // Base64 data of a Kubernetes Secret: no keyword, maybe no long run.
        let secret = "kind: Secret\ndata:\n  OPENAI_API_KEY: c2st+/==\n";
        assert!(possible(FileKind::Yaml, secret));
        assert!(!literal_possible(
            None,
            FileKind::Yaml,
            Hits::default(),
            b"a: b\n"
        ));
        assert!(literal_possible(
            None,
            FileKind::Yaml,
            Hits::default(),
            secret.as_bytes()
        ));
    }

    #[test]
    fn lfs_pointers() {
        let pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 12345\n";
        assert!(is_lfs_pointer(pointer));
        assert!(!is_lfs_pointer(b"version 1\n"));
    }

    #[test]
    fn origin_short_form() {
        let o = Origin {
            commit: "0123456789abcdef0123456789abcdef01234567".into(),
            date: "2026-01-02T03:04:05+01:00".into(),
            present_at_head: false,
        };
        assert_eq!(o.short(), "0123456 (2026-01-02)");
    }

    #[test]
    fn selection_keeps_history_rules_only() {
        let rules = rule::builtin();
        let sel = |select: &[&str], ignore: &[&str]| {
            let opts = HistoryOptions {
                select: select.iter().map(|s| s.to_string()).collect(),
                ignore: ignore.iter().map(|s| s.to_string()).collect(),
                ..HistoryOptions::default()
            };
            selection(rules, &opts).map(|s| {
                let mut v: Vec<_> = s.into_iter().collect();
                v.sort_unstable();
                v
            })
        };
        assert_eq!(sel(&[], &[]).unwrap(), ["KEY001", "ORG001", "ORG004"]);
        assert_eq!(sel(&["KEY"], &[]).unwrap(), ["KEY001"]);
        assert_eq!(sel(&[], &["ORG"]).unwrap(), ["KEY001"]);
        assert!(sel(&["ENV"], &[]).is_err());
        assert!(sel(&["NOPE"], &[]).is_err());
    }
}
