//! Where a run's time goes: per-phase times (summed over threads) and
//! counts, printed to stderr at the end of a check when the environment
//! sets `CREDLINT_TIMINGS=1`. A debugging aid for the scan's cost, not a
//! report: off, each probe costs one relaxed load of a cached flag.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// A timed phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Phase {
    Walk,
    Read,
    Prefilter,
    /// Deciding whether a source file is worth a parse, and where its hits are.
    CodeHits,
    /// Planning the windows of a windowed parse.
    Plan,
    ParseWhole,
    ParseWindows,
    /// The code engine's walk over a parse tree (facts, regions).
    Engine,
    Env,
    ConfigParse,
    ConfigExtract,
    Notebook,
    Dockerfile,
    Literals,
    Directives,
    Rules,
    /// Loading the fact cache (see `crate::cache`).
    CacheLoad,
    /// Writing it, while the rules run.
    CacheSave,
    /// Listing a git index (`git ls-files`).
    GitIndex,
    /// Listing the context of the files asked about from the index.
    ContextList,
    /// Looking for untracked env files beside the tracked files.
    UntrackedEnv,
}

const PHASES: [(Phase, &str); 21] = [
    (Phase::Walk, "walk"),
    (Phase::Read, "read"),
    (Phase::Prefilter, "prefilter"),
    (Phase::CodeHits, "code hits"),
    (Phase::Plan, "window plan"),
    (Phase::ParseWhole, "parse whole"),
    (Phase::ParseWindows, "parse windows"),
    (Phase::Engine, "code engine"),
    (Phase::Env, "env files"),
    (Phase::ConfigParse, "config parse"),
    (Phase::ConfigExtract, "config extract"),
    (Phase::Notebook, "notebooks"),
    (Phase::Dockerfile, "dockerfiles"),
    (Phase::Literals, "literal scan"),
    (Phase::Directives, "directives"),
    (Phase::Rules, "graph+rules"),
    (Phase::CacheLoad, "cache load"),
    (Phase::CacheSave, "cache save"),
    (Phase::GitIndex, "git index"),
    (Phase::ContextList, "context listing"),
    (Phase::UntrackedEnv, "untracked env"),
];

/// A counted event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Count {
    FilesWalked,
    FilesRead,
    BytesRead,
    /// Files the keyword prefilter found nothing to extract in.
    PrefilteredOut,
    Extracted,
    /// Files kept for the rules (with facts, or an env file).
    Kept,
    BytesKept,
    /// Kept files whose text is read again when needed, not held.
    Unloaded,
    BytesUnloaded,
    ParsesWhole,
    BytesParsedWhole,
    ParsesWindowed,
    BytesParsedWindowed,
    /// Windowed parses given up for a whole-file parse.
    WindowFallbacks,
    /// Bytes parsed whole because the file is small, its language is not
    /// windowed, or the windows would cover most of it.
    WholeSmall,
    WholeLanguage,
    WholeDense,
    LiteralScans,
}

const COUNTS: [(Count, &str); 18] = [
    (Count::FilesWalked, "files walked"),
    (Count::FilesRead, "files read"),
    (Count::BytesRead, "bytes read"),
    (Count::PrefilteredOut, "prefiltered out"),
    (Count::Extracted, "extracted"),
    (Count::Kept, "kept with facts"),
    (Count::BytesKept, "bytes kept"),
    (Count::Unloaded, "  of them not held"),
    (Count::BytesUnloaded, "  bytes not held"),
    (Count::ParsesWhole, "whole-file parses"),
    (Count::BytesParsedWhole, "bytes parsed whole"),
    (Count::ParsesWindowed, "windowed parses"),
    (Count::BytesParsedWindowed, "bytes in windows"),
    (Count::WindowFallbacks, "window fallbacks"),
    (Count::WholeSmall, "  whole: small"),
    (Count::WholeLanguage, "  whole: language"),
    (Count::WholeDense, "  whole: dense hits"),
    (Count::LiteralScans, "literal scans"),
];

static NANOS: [AtomicU64; PHASES.len()] = [const { AtomicU64::new(0) }; PHASES.len()];
static CALLS: [AtomicU64; PHASES.len()] = [const { AtomicU64::new(0) }; PHASES.len()];
static COUNTERS: [AtomicU64; COUNTS.len()] = [const { AtomicU64::new(0) }; COUNTS.len()];

/// The level `CREDLINT_TIMINGS` asks for: 0 off, 1 totals, 2 totals and
/// every file that took longer than [`SLOW_FILE`], 3 (`facts`) the facts
/// dump.
fn level() -> u8 {
    static LEVEL: OnceLock<u8> = OnceLock::new();
    *LEVEL.get_or_init(|| match std::env::var("CREDLINT_TIMINGS").as_deref() {
        Err(_) | Ok("" | "0") => 0,
        Ok("2") => 2,
        Ok("facts") => 3,
        Ok(_) => 1,
    })
}

/// Whether `CREDLINT_TIMINGS` asks for timings.
pub fn enabled() -> bool {
    matches!(level(), 1 | 2)
}

/// Whether `CREDLINT_TIMINGS=facts` asks for every kept file's facts (one
/// line each, secrets redacted, and a digest of all their fields) on stderr
/// instead of timings: what tells a change of the scan's cost from a change
/// of what it finds.
pub fn dump_facts() -> bool {
    level() == 3
}

/// A file whose scan takes longer is listed at level 2.
pub const SLOW_FILE: std::time::Duration = std::time::Duration::from_millis(5);

/// When timings are on, start timing one file's scan.
pub fn file_start() -> Option<Instant> {
    (level() == 2).then(Instant::now)
}

/// List the file at level 2 when its scan (started at `start`) was slow.
pub fn file_end(start: Option<Instant>, what: impl FnOnce() -> String) {
    if let Some(start) = start {
        let took = start.elapsed();
        if took >= SLOW_FILE {
            eprintln!(
                "credlint timings: {:>8.1} ms  {}",
                took.as_secs_f64() * 1e3,
                what()
            );
        }
    }
}

fn phase_index(p: Phase) -> usize {
    PHASES.iter().position(|(q, _)| *q == p).unwrap_or(0)
}

fn count_index(c: Count) -> usize {
    COUNTS.iter().position(|(d, _)| *d == c).unwrap_or(0)
}

/// Run `f`, adding its time to `phase` when timings are on.
pub fn time<T>(phase: Phase, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    let i = phase_index(phase);
    NANOS[i].fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
    CALLS[i].fetch_add(1, Ordering::Relaxed);
    out
}

/// Add `n` to a counter when timings are on.
pub fn count(c: Count, n: u64) {
    if enabled() {
        COUNTERS[count_index(c)].fetch_add(n, Ordering::Relaxed);
    }
}

/// The timings so far, one line each.
pub fn text() -> String {
    let mut out = String::from("credlint timings (time summed over threads):\n");
    for (i, (_, name)) in PHASES.iter().enumerate() {
        let ns = NANOS[i].load(Ordering::Relaxed);
        let calls = CALLS[i].load(Ordering::Relaxed);
        if calls > 0 {
            out.push_str(&format!(
                "  {name:<16} {:>9.1} ms  {calls:>8} calls\n",
                ns as f64 / 1e6
            ));
        }
    }
    for (i, (_, name)) in COUNTS.iter().enumerate() {
        out.push_str(&format!(
            "  {name:<20} {:>12}\n",
            COUNTERS[i].load(Ordering::Relaxed)
        ));
    }
    out
}

/// Note the process's resident and peak memory (Linux) at a named point.
pub fn memory(at: &str) {
    if !enabled() {
        return;
    }
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return;
    };
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .map(|l| l[name.len()..].trim().to_string())
            .unwrap_or_default()
    };
    eprintln!(
        "credlint timings: memory {at}: resident {}, peak {}",
        field("VmRSS:"),
        field("VmHWM:")
    );
}

/// Print the timings to stderr when they are on.
pub fn report() {
    if enabled() {
        eprint!("{}", text());
    }
}
